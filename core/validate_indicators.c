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
#include "schema.h"
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

/* "a, b or c" of a value list (schema.c). new. */
static char *words_of(const char *const *values) {
    tocmp_buf b = {0};
    for (size_t i = 0; values[i]; i++)
        tocmp_buf_printf(&b, "%s%s", i == 0 ? "" : values[i + 1] ? ", " : " or ", values[i]);
    return b.data;
}

static void check_tables(const tocm_model *m, tocm_diags *d) {
    const char *const *types = tocmp_schema_values(TOCMP_PLACE_TABLE, "columns");
    for (size_t i = 0; i < m->table_count; i++) {
        const struct tocmp_table *t = &m->tables[i];
        const char *col;
        json_t *type;
        /* A table in a database needs to say where in it its rows are. */
        json_t *database = json_object_get(t->json, "database");
        if (json_is_string(database) && !json_object_get(t->json, "table") &&
            !json_object_get(t->json, "query"))
            error(d, m, "E003", tocmp_asprintf("/tables/%s", t->name), NULL,
                  tocmp_asprintf("table '%s' needs 'table' or 'query': where in the database "
                                 "its rows are",
                                 t->name));
        /* A type that is not a string is the loader's E004. */
        json_object_foreach(t->columns, col, type) {
            if (json_is_string(type) && !one_of(json_string_value(type), types)) {
                char *words = words_of(types);
                error(d, m, "E406", tocmp_asprintf("/tables/%s/columns/%s", t->name, col), NULL,
                      tocmp_asprintf("column '%s' of table '%s' has an unknown type (use %s)", col,
                                     t->name, words));
                free(words);
            }
        }
    }
}

static void check_enum(const tocm_model *m, tocm_diags *d, const struct tocmp_indicator *ind,
                       const char *field, const char *value) {
    const char *const *allowed = tocmp_schema_values(TOCMP_PLACE_INDICATOR, field);
    if (!value || one_of(value, allowed))
        return;
    tocmp_buf list = {0};
    for (size_t i = 0; allowed[i]; i++)
        tocmp_buf_printf(&list, "%s%s", i ? ", " : "", allowed[i]);
    error(d, m, "E405", tocmp_asprintf("/indicators/%zu/%s", ind->json_index, field), ind->id,
          tocmp_asprintf("indicator '%s': '%s' must be one of %s", ind->id, field, list.data));
    free(list.data);
}

/* ---- the plan: baselines and targets (E411, E412, W205) ---------------- */

struct plan_check {
    const tocm_model *m;
    tocm_diags *d;
    const struct tocmp_indicator *ind;
    int qualitative, percentage;
};

static void fraction_warning(struct plan_check *p, json_t *v, const char *path) {
    if (!p->percentage || !json_is_number(v))
        return;
    double x = json_number_value(v);
    if (x > 0 && x <= 1)
        tocm_diags_add(p->d, TOCM_SEV_WARNING, "W205", p->m->file, 0, 0, path, p->ind->id,
                       "indicator '%s': %g looks like a fraction; percentages are written as "
                       "people write them (50 for 50 %%)",
                       p->ind->id, x);
}

/* One target: a number of the indicator's measure, a text for a
 * qualitative one, or explicitly pending; never silently nothing. */
static void check_target(struct plan_check *p, json_t *v, const char *what, char *path) {
    json_t *value = json_is_object(v) ? json_object_get(v, "value") : v;
    json_t *text = json_is_object(v) ? json_object_get(v, "text") : v;
    int pending = json_is_object(v) && json_is_true(json_object_get(v, "pending"));
    int ok = pending || (p->qualitative ? json_is_string(text) : json_is_number(value));
    if (!ok) {
        char *shown = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        error(p->d, p->m, "E411", tocmp_xstrdup(path), p->ind->id,
              p->qualitative
                  ? tocmp_asprintf("indicator '%s': %s %s is not a text (the indicator is "
                                   "qualitative); write a text, or {\"pending\": true}",
                                   p->ind->id, what, shown ? shown : "?")
                  : tocmp_asprintf("indicator '%s': %s %s is not a number; write a number "
                                   "(10000, not \"10,000\"), or {\"pending\": true} for a "
                                   "target to be confirmed",
                                   p->ind->id, what, shown ? shown : "?"));
        free(shown);
    } else if (!pending && !p->qualitative) {
        fraction_warning(p, value, path);
    }
    free(path);
}

static void check_plan(const tocm_model *m, tocm_diags *d, const struct tocmp_indicator *ind) {
    json_t *def = ind->json;
    size_t at = ind->json_index;
    struct plan_check p = {.m = m, .d = d, .ind = ind};
    p.qualitative = ind->measure && strcmp(ind->measure, "qualitative") == 0;
    p.percentage = ind->measure && strcmp(ind->measure, "percentage") == 0;
    const char *period;
    json_t *v;
    json_t *targets = json_object_get(def, "targets");
    if (json_is_object(targets))
        json_object_foreach(targets, period, v) {
            char *what = tocmp_asprintf("the target for %s", period);
            check_target(&p, v, what, tocmp_asprintf("/indicators/%zu/targets/%s", at, period));
            free(what);
        }
    if (json_object_get(def, "lop_target"))
        check_target(&p, json_object_get(def, "lop_target"), "the life-of-program target",
                     tocmp_asprintf("/indicators/%zu/lop_target", at));
    json_t *dis = json_object_get(def, "disaggregate");
    size_t k;
    json_t *e;
    json_array_foreach(json_object_get(def, "breakdown_targets"), k, e) {
        if (!json_is_object(e))
            continue; /* the loader reports the shape */
        check_target(&p, e, "the breakdown target",
                     tocmp_asprintf("/indicators/%zu/breakdown_targets/%zu", at, k));
        json_t *dims = json_object_get(e, "dims");
        const char *name;
        json_t *dv;
        if (!json_is_object(dims) || json_object_size(dims) == 0)
            error(d, m, "E411", tocmp_asprintf("/indicators/%zu/breakdown_targets/%zu/dims", at, k),
                  ind->id,
                  tocmp_asprintf("indicator '%s': a breakdown target needs 'dims', e.g. "
                                 "{\"country\": \"KH\"} (a total's target goes in 'targets')",
                                 ind->id));
        json_object_foreach(dims, name, dv) {
            int known = 0;
            size_t j;
            json_t *col;
            json_array_foreach(dis, j, col) known |=
                json_is_string(col) && strcmp(json_string_value(col), name) == 0;
            if (known && json_is_string(dv))
                continue;
            char *path =
                tocmp_asprintf("/indicators/%zu/breakdown_targets/%zu/dims/%s", at, k, name);
            if (!known) {
                /* How to fix it: the columns it may name, or the one line
                 * that makes this one a breakdown of the indicator. */
                tocmp_buf cols = {0};
                json_array_foreach(dis, j, col) {
                    if (json_is_string(col))
                        tocmp_buf_printf(&cols, "%s'%s'", cols.data ? ", " : "",
                                         json_string_value(col));
                }
                error(d, m, "E411", path, ind->id,
                      cols.data ? tocmp_asprintf("indicator '%s': a breakdown target names '%s', "
                                                 "which is not in its 'disaggregate' (%s); use "
                                                 "one of those, or add \"%s\" to 'disaggregate' "
                                                 "if its table has that column",
                                                 ind->id, name, cols.data, name)
                                : tocmp_asprintf("indicator '%s': a breakdown target names '%s', "
                                                 "but the indicator has no 'disaggregate'; add "
                                                 "\"disaggregate\": [\"%s\"] if its table has "
                                                 "that column, or put the target in 'targets'",
                                                 ind->id, name, name));
                free(cols.data);
            } else {
                char *shown = json_dumps(dv, JSON_ENCODE_ANY | JSON_COMPACT);
                error(d, m, "E411", path, ind->id,
                      tocmp_asprintf("indicator '%s': breakdown values are texts, not %s; write "
                                     "\"%s\": \"%s\" (the value as its table holds it)",
                                     ind->id, json_is_number(dv) ? "numbers" : "this", name,
                                     shown && json_is_number(dv) ? shown : "KH"));
                free(shown);
            }
        }
    }
    json_t *b = json_object_get(def, "baseline");
    if (json_is_object(b)) {
        int pending = json_is_true(json_object_get(b, "pending"));
        json_t *value = json_object_get(b, p.qualitative ? "text" : "value");
        if (!pending && !(p.qualitative ? json_is_string(value) : json_is_number(value)))
            error(d, m, "E412", tocmp_asprintf("/indicators/%zu/baseline", at), ind->id,
                  tocmp_asprintf("indicator '%s': the baseline has no %s; give it, or write "
                                 "\"pending\": true (to be confirmed) so reports say so rather "
                                 "than assume 0",
                                 ind->id, p.qualitative ? "'text'" : "numeric 'value'"));
        else if (!pending) {
            char *path = tocmp_asprintf("/indicators/%zu/baseline/value", at);
            fraction_warning(&p, value, path);
            free(path);
        }
        json_array_foreach(json_object_get(b, "breakdown"), k, e) {
            json_t *bv = json_object_get(e, "value");
            if (!json_is_number(bv) && !p.qualitative)
                error(d, m, "E412", tocmp_asprintf("/indicators/%zu/baseline/breakdown/%zu", at, k),
                      ind->id,
                      tocmp_asprintf("indicator '%s': a breakdown's baseline needs a numeric "
                                     "'value' and its 'dims'",
                                     ind->id));
        }
    }
}

/* The loader has checked each field's type (E003, E004); what is left is
 * what the fields mean: unique ids, known tables and nodes, known values. */
static void check_indicator(const tocm_model *m, tocm_diags *d, size_t i) {
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
    check_enum(m, d, ind, "measure", ind->measure);
    check_enum(m, d, ind, "direction", ind->direction);
    check_enum(m, d, ind, "aggregation", ind->aggregation);
    json_t *rounding = json_object_get(ind->json, "rounding");
    if (json_is_integer(rounding) &&
        (json_integer_value(rounding) < 0 || json_integer_value(rounding) > 6))
        error(
            d, m, "E004", tocmp_asprintf("/indicators/%zu/rounding", ind->json_index), id,
            tocmp_asprintf("'rounding' of indicator '%s' must be a whole number from 0 to 6", id));
    if (ind->json)
        check_plan(m, d, ind);
}

size_t tocmp_validate_indicators(const tocm_model *m, tocm_diags *d) {
    size_t before = tocm_diags_errors(d);
    check_tables(m, d);
    for (size_t i = 0; i < m->indicator_count; i++)
        check_indicator(m, d, i);
    return tocm_diags_errors(d) - before;
}
