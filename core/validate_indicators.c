/*
 * validate_indicators.c -- rules for the "tables" and "indicators" members
 * (models/FORMAT.md, "Indicators and monitoring data"): E4xx.
 *
 * These check what can be checked without reading the data files or loading
 * plugins; `tocm report` checks the rest (CSV content, calculators) when it
 * computes. Types and required fields are the loader's (schema.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "util.h"

static void error(tocm_diags *d, const tocm_model *m, const char *code, char *path,
                  const char *node, char *message) {
    tocm_diags_add(d, TOCM_SEV_ERROR, code, m->file, 0, 0, path, node, "%s", message);
    free(path);
    free(message);
}

static int one_of(const char *value, const char *const *allowed) {
    for (; *allowed; allowed++)
        if (strcmp(value, *allowed) == 0)
            return 1;
    return 0;
}

static void check_tables(const tocm_model *m, tocm_diags *d) {
    static const char *const types[] = {"text", "integer", "decimal", "date", NULL};
    for (size_t i = 0; i < m->table_count; i++) {
        const struct tocmp_table *t = &m->tables[i];
        const char *col;
        json_t *type;
        /* A type that is not a string is the loader's E004. */
        json_object_foreach(t->columns, col, type) {
            if (json_is_string(type) && !one_of(json_string_value(type), types))
                error(d, m, "E406", tocmp_asprintf("/tables/%s/columns/%s", t->name, col), NULL,
                      tocmp_asprintf("column '%s' of table '%s' has an unknown type (use text, "
                                     "integer, decimal or date)",
                                     col, t->name));
        }
    }
}

static void check_enum(const tocm_model *m, tocm_diags *d, const struct tocmp_indicator *ind,
                       const char *field, const char *value, const char *const *allowed,
                       const char *list) {
    if (value && !one_of(value, allowed))
        error(d, m, "E405", tocmp_asprintf("/indicators/%zu/%s", ind->json_index, field), ind->id,
              tocmp_asprintf("indicator '%s': '%s' must be one of %s", ind->id, field, list));
}

/* The loader has checked each field's type (E003, E004); what is left is
 * what the fields mean: unique ids, known tables and nodes, known values. */
static void check_indicator(const tocm_model *m, tocm_diags *d, size_t i) {
    static const char *const measures[] = {"unit",    "percentage",  "nominal",
                                           "ordinal", "qualitative", NULL};
    static const char *const directions[] = {"higher", "lower", NULL};
    static const char *const aggregations[] = {"periodic", "cumulative", "latest", NULL};
    const struct tocmp_indicator *ind = &m->indicators[i];
    const char *id = ind->id;
    if (!id)
        return;
    size_t first = tocmp_model_find_indicator(m, id);
    if (first != i)
        error(d, m, "E402", tocmp_asprintf("/indicators/%zu/id", ind->json_index), id,
              tocmp_asprintf("duplicate indicator id '%s' (first used at /indicators/%zu)", id,
                             m->indicators[first].json_index));
    if (ind->table_name && ind->table == TOCMP_NONE)
        error(d, m, "E404", tocmp_asprintf("/indicators/%zu/table", ind->json_index), id,
              tocmp_asprintf("indicator '%s' reads table '%s', which 'tables' does not define", id,
                             ind->table_name));
    for (size_t k = ind->node_begin; k < ind->node_begin + ind->node_count; k++) {
        if (m->indicator_nodes[k] != TOCM_NO_NODE)
            continue;
        size_t slot = m->indicator_node_slots[k];
        const char *nid =
            json_string_value(json_array_get(json_object_get(ind->json, "nodes"), slot));
        error(d, m, "E403", tocmp_asprintf("/indicators/%zu/nodes/%zu", ind->json_index, slot), id,
              tocmp_asprintf("indicator '%s' is attached to unknown node '%s'", id, nid));
    }
    check_enum(m, d, ind, "measure", ind->measure, measures,
               "unit, percentage, nominal, ordinal, qualitative");
    check_enum(m, d, ind, "direction", ind->direction, directions, "higher, lower");
    check_enum(m, d, ind, "aggregation", ind->aggregation, aggregations,
               "periodic, cumulative, latest");
    json_t *rounding = json_object_get(ind->json, "rounding");
    if (json_is_integer(rounding) &&
        (json_integer_value(rounding) < 0 || json_integer_value(rounding) > 6))
        error(
            d, m, "E004", tocmp_asprintf("/indicators/%zu/rounding", ind->json_index), id,
            tocmp_asprintf("'rounding' of indicator '%s' must be a whole number from 0 to 6", id));
}

size_t tocmp_validate_indicators(const tocm_model *m, tocm_diags *d) {
    size_t before = tocm_diags_errors(d);
    check_tables(m, d);
    for (size_t i = 0; i < m->indicator_count; i++)
        check_indicator(m, d, i);
    return tocm_diags_errors(d) - before;
}
