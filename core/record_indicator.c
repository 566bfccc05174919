/*
 * record_indicator.c -- what an indicator's figures need before `tocm
 * record` can take them: the indicator (entered directly, calculator
 * `recorded`), its measure and breakdowns, the program's countries, the
 * periods a figure may be for, and its results table, or the definition of
 * a new one (data/results_ID.csv) when it has none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "util.h"

/* "2024" or "2024-01-01", not "2024x". */
static int starts_with_year(const char *s) {
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return s[4] == '\0' || s[4] == '-';
}

/* The periods a figure may be for: the plan's, the program's years, the
 * table's own. */
void tocmp_record_collect_periods(struct recording *c) {
    c->periods = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(c->ind, "targets"), key, v) {
        json_object_set_new(c->periods, key, json_true());
    }
    size_t i;
    json_array_foreach(json_object_get(c->ind, "breakdown_targets"), i, v) {
        json_t *p = json_object_get(v, "period");
        if (json_is_string(p))
            json_object_set_new(c->periods, json_string_value(p), json_true());
        else if (json_is_integer(p)) {
            char buf[32];
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(p));
            json_object_set_new(c->periods, buf, json_true());
        }
    }
    json_t *period = json_object_get(json_object_get(c->e->doc, "program"), "period");
    const char *start = tocmp_edit_str_member(period, "start");
    const char *end = tocmp_edit_str_member(period, "end");
    if (start && end && strlen(start) >= 4 && strlen(end) >= 4) {
        int a = atoi(start), b = atoi(end);
        /* Years only when the dates start with them (2024, 2024-01-01). */
        if (a >= 1900 && b >= a && b - a <= 100 && starts_with_year(start) &&
            starts_with_year(end)) {
            for (int y = a; y <= b; y++) {
                char buf[16];
                snprintf(buf, sizeof buf, "%d", y);
                json_object_set_new(c->periods, buf, json_true());
            }
        }
    }
    long pc = tocmp_sheet_col(&c->sheet, c->period_col);
    for (size_t r = 0; pc >= 0 && r < c->sheet.count; r++)
        if (*c->sheet.rows[r][pc])
            json_object_set_new(c->periods, c->sheet.rows[r][pc], json_true());
    /* Sorted, so the list in a message reads in order. */
    size_t n = json_object_size(c->periods);
    const char **keys = tocmp_xcalloc(n + 1, sizeof *keys);
    size_t k = 0;
    json_object_foreach(c->periods, key, v) keys[k++] = key;
    for (size_t x = 1; x < n; x++)
        for (size_t y = x; y > 0 && strcmp(keys[y - 1], keys[y]) > 0; y--) {
            const char *t = keys[y];
            keys[y] = keys[y - 1];
            keys[y - 1] = t;
        }
    json_t *sorted = json_object();
    for (k = 0; k < n; k++)
        json_object_set_new(sorted, keys[k], json_true());
    free(keys);
    json_decref(c->periods);
    c->periods = sorted;
}

/* A table name for an indicator's results: results_ID, with characters
 * other than letters, digits, '-' and '_' as '_', not yet taken. new. */
char *tocmp_record_new_table_name(tocm_edit *e, const char *id) {
    char *base = tocmp_asprintf("results_%s", id);
    for (char *p = base; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            *p = '_';
    json_t *tables = json_object_get(e->doc, "tables");
    char *name = tocmp_xstrdup(base);
    for (int i = 2; json_object_get(tables, name); i++) {
        free(name);
        name = tocmp_asprintf("%s_%d", base, i);
    }
    free(base);
    return name;
}

/* The definition of a new results table for the indicator. new. */
json_t *tocmp_record_new_table_def(struct recording *c, const char *name) {
    json_t *def = json_object();
    char *path = tocmp_asprintf("data/%s.csv", name);
    json_object_set_new(def, "path", json_string(path));
    free(path);
    const char *title = tocmp_edit_str_member(c->ind, "title");
    char *t = tocmp_asprintf("%s (entered with tocm record)", title ? title : c->id);
    json_object_set_new(def, "title", json_string(t));
    free(t);
    json_t *cols = json_object();
    /* Integer periods when every known one is a year or the like. */
    int integer = 1;
    const char *key;
    json_t *v;
    json_object_foreach(c->periods, key, v) integer &= tocmp_record_is_integer(key);
    json_object_set_new(cols, c->period_col, json_string(integer ? "integer" : "text"));
    for (size_t i = 0; i < c->dim_count; i++)
        json_object_set_new(cols, c->dims[i], json_string("text"));
    json_object_set_new(cols, "value", json_string(c->qualitative ? "text" : "decimal"));
    if (c->qualitative)
        json_object_set_new(cols, "status", json_string("text"));
    json_object_set_new(cols, "comment", json_string("text"));
    json_object_set_new(cols, "source", json_string("text"));
    json_object_set_new(def, "columns", cols);
    return def;
}

/* Finds the indicator and what its figures need; makes its table's
 * definition when it has none (not yet in the model). */
int tocmp_record_prepare(struct recording *c) {
    tocm_edit *e = c->e;
    c->ind = tocmp_edit_find_indicator(e, c->id);
    if (!c->ind)
        return tocmp_edit_refuse(e, "%s has no indicator '%s'", e->path, c->id);
    const char *calc = tocmp_edit_str_member(c->ind, "calculator");
    if (calc && strcmp(calc, "recorded") != 0) {
        const char *table = tocmp_edit_str_member(c->ind, "table");
        return tocmp_edit_refuse(
            e,
            "indicator '%s' is computed by calculator '%s'%s%s%s; tocm record is for indicators "
            "whose figures are entered directly (calculator 'recorded')",
            c->id, calc, table ? " from table '" : "", table ? table : "", table ? "'" : "");
    }
    c->measure = tocmp_edit_str_member(c->ind, "measure");
    if (!c->measure)
        c->measure = "unit";
    c->qualitative = strcmp(c->measure, "qualitative") == 0;
    json_t *dims = json_object_get(c->ind, "disaggregate");
    c->dims = tocmp_xcalloc(json_array_size(dims) + 1, sizeof *c->dims);
    size_t i;
    json_t *v;
    json_array_foreach(dims, i, v) {
        if (json_is_string(v))
            c->dims[c->dim_count++] = json_string_value(v);
    }
    c->countries = json_object_get(json_object_get(e->doc, "program"), "countries");
    c->period_col = tocmp_edit_str_member(c->ind, "period");
    c->table_name = tocmp_edit_str_member(c->ind, "table");
    c->table_def =
        json_object_get(json_object_get(e->doc, "tables"), c->table_name ? c->table_name : "");
    if (json_is_object(c->table_def)) {
        if (!c->period_col)
            return tocmp_edit_refuse(e,
                                     "indicator '%s' has no 'period': every row of its table is "
                                     "one period; name its period column first (tocm set MODEL "
                                     "%s period=year)",
                                     c->id, c->id);
        return TOCM_OK;
    }
    c->table_def = NULL;
    if (!c->period_col)
        c->period_col = "period";
    return TOCM_OK;
}
