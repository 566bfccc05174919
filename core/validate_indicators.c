/*
 * validate_indicators.c -- rules for the "tables" and "indicators" members
 * (models/FORMAT.md, "Indicators and monitoring data"): E4xx.
 *
 * These check what can be checked without reading the data files or loading
 * plugins; `tocm report` checks the rest (CSV content, calculators) when it
 * computes.
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

static void check_tables(const tocm_model *m, tocm_diags *d, json_t *tables) {
    static const char *const types[] = {"text", "integer", "decimal", "date", NULL};
    const char *name;
    json_t *t;
    json_object_foreach(tables, name, t) {
        if (!json_is_object(t)) {
            error(d, m, "E004", tocmp_asprintf("/tables/%s", name), NULL,
                  tocmp_asprintf("table '%s' must be an object with a 'path'", name));
            continue;
        }
        if (!json_is_string(json_object_get(t, "path")))
            error(d, m, json_object_get(t, "path") ? "E004" : "E003",
                  tocmp_asprintf("/tables/%s/path", name), NULL,
                  tocmp_asprintf("table '%s' needs a 'path' (a CSV file relative to the model)",
                                 name));
        json_t *columns = json_object_get(t, "columns");
        if (columns && !json_is_object(columns)) {
            error(d, m, "E004", tocmp_asprintf("/tables/%s/columns", name), NULL,
                  tocmp_asprintf("'columns' of table '%s' must map column names to types",
                                 name));
            continue;
        }
        const char *col;
        json_t *type;
        json_object_foreach(columns, col, type) {
            if (!json_is_string(type) || !one_of(json_string_value(type), types))
                error(d, m, "E406", tocmp_asprintf("/tables/%s/columns/%s", name, col), NULL,
                      tocmp_asprintf("column '%s' of table '%s' has an unknown type (use text, "
                                     "integer, decimal or date)",
                                     col, name));
        }
    }
}

static void check_enum(const tocm_model *m, tocm_diags *d, json_t *ind, size_t i, const char *id,
                       const char *field, const char *const *allowed, const char *list) {
    json_t *v = json_object_get(ind, field);
    if (v && (!json_is_string(v) || !one_of(json_string_value(v), allowed)))
        error(d, m, "E405", tocmp_asprintf("/indicators/%zu/%s", i, field), id,
              tocmp_asprintf("indicator '%s': '%s' must be one of %s", id, field, list));
}

static void check_indicator(const tocm_model *m, tocm_diags *d, json_t *tables, json_t *ind,
                            size_t i, tocmp_idmap *seen) {
    static const char *const measures[] = {"unit", "percentage", "nominal", "ordinal",
                                           "qualitative", NULL};
    static const char *const directions[] = {"higher", "lower", NULL};
    static const char *const aggregations[] = {"periodic", "cumulative", "latest", NULL};
    if (!json_is_object(ind)) {
        error(d, m, "E004", tocmp_asprintf("/indicators/%zu", i), NULL,
              tocmp_xstrdup("an indicator must be an object"));
        return;
    }
    json_t *idv = json_object_get(ind, "id");
    const char *id = json_string_value(idv);
    if (!id || !*id) {
        error(d, m, idv ? "E004" : "E003", tocmp_asprintf("/indicators/%zu", i), NULL,
              tocmp_xstrdup("the indicator has no 'id' (a non-empty string)"));
        return;
    }
    size_t first = tocmp_idmap_put(seen, id, i);
    if (first != i)
        error(d, m, "E402", tocmp_asprintf("/indicators/%zu/id", i), id,
              tocmp_asprintf("duplicate indicator id '%s' (first used at /indicators/%zu)", id,
                             first));
    static const char *const required[] = {"title", "calculator", "table", NULL};
    for (const char *const *f = required; *f; f++) {
        json_t *v = json_object_get(ind, *f);
        if (!json_is_string(v))
            error(d, m, v ? "E004" : "E003", tocmp_asprintf("/indicators/%zu/%s", i, *f), id,
                  tocmp_asprintf("indicator '%s' needs '%s' (a string)", id, *f));
    }
    const char *table = json_string_value(json_object_get(ind, "table"));
    if (table && !json_object_get(tables, table))
        error(d, m, "E404", tocmp_asprintf("/indicators/%zu/table", i), id,
              tocmp_asprintf("indicator '%s' reads table '%s', which 'tables' does not define",
                             id, table));
    json_t *nodes = json_object_get(ind, "nodes");
    if (nodes && !json_is_array(nodes))
        error(d, m, "E004", tocmp_asprintf("/indicators/%zu/nodes", i), id,
              tocmp_asprintf("'nodes' of indicator '%s' must be an array of node ids", id));
    size_t k;
    json_t *node;
    json_array_foreach(nodes, k, node) {
        const char *nid = json_string_value(node);
        if (!nid || tocm_model_find_node(m, nid) == TOCM_NO_NODE)
            error(d, m, "E403", tocmp_asprintf("/indicators/%zu/nodes/%zu", i, k), id,
                  nid ? tocmp_asprintf("indicator '%s' is attached to unknown node '%s'", id, nid)
                      : tocmp_asprintf("indicator '%s': node ids must be strings", id));
    }
    check_enum(m, d, ind, i, id, "measure", measures,
               "unit, percentage, nominal, ordinal, qualitative");
    check_enum(m, d, ind, i, id, "direction", directions, "higher, lower");
    check_enum(m, d, ind, i, id, "aggregation", aggregations, "periodic, cumulative, latest");
    static const char *const objects[] = {"params", "filter", "targets", "baseline", NULL};
    for (const char *const *f = objects; *f; f++) {
        json_t *v = json_object_get(ind, *f);
        if (v && !json_is_object(v))
            error(d, m, "E004", tocmp_asprintf("/indicators/%zu/%s", i, *f), id,
                  tocmp_asprintf("'%s' of indicator '%s' must be an object", *f, id));
    }
    json_t *dis = json_object_get(ind, "disaggregate");
    if (dis && !json_is_array(dis))
        error(d, m, "E004", tocmp_asprintf("/indicators/%zu/disaggregate", i), id,
              tocmp_asprintf("'disaggregate' of indicator '%s' must be an array of column names",
                             id));
    json_t *rounding = json_object_get(ind, "rounding");
    if (rounding && (!json_is_integer(rounding) || json_integer_value(rounding) < 0 ||
                     json_integer_value(rounding) > 6))
        error(d, m, "E004", tocmp_asprintf("/indicators/%zu/rounding", i), id,
              tocmp_asprintf("'rounding' of indicator '%s' must be a whole number from 0 to 6",
                             id));
}

size_t tocmp_validate_indicators(const tocm_model *m, tocm_diags *d) {
    size_t before = tocm_diags_errors(d);
    json_t *tables = json_object_get(m->root, "tables");
    if (tables && !json_is_object(tables))
        error(d, m, "E004", tocmp_xstrdup("/tables"), NULL,
              tocmp_xstrdup("'tables' must be an object: table name -> {\"path\": ...}"));
    else if (tables)
        check_tables(m, d, tables);
    json_t *indicators = json_object_get(m->root, "indicators");
    if (indicators && !json_is_array(indicators)) {
        error(d, m, "E004", tocmp_xstrdup("/indicators"), NULL,
              tocmp_xstrdup("'indicators' must be an array"));
    } else if (indicators) {
        tocmp_idmap seen;
        tocmp_idmap_init(&seen, json_array_size(indicators));
        size_t i;
        json_t *ind;
        json_array_foreach(indicators, i, ind) check_indicator(m, d, tables, ind, i, &seen);
        tocmp_idmap_free(&seen);
    }
    return tocm_diags_errors(d) - before;
}
