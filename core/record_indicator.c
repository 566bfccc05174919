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
#include "record_write.h"
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

/* The definition of a new results table for the indicator. new. */
json_t *tocmp_record_new_table_def(struct recording *c, const char *name) {
    const char *title = tocmp_edit_str_member(c->ind, "title");
    char *t = tocmp_asprintf("%s (entered with tocm record)", title ? title : c->id);
    /* Integer periods when every known one is a year or the like. */
    int integer = 1;
    const char *key;
    json_t *v;
    json_object_foreach(c->periods, key, v) integer &= tocmp_record_is_integer(key);
    json_t *def = tocmp_record_table_def(name, t, c->period_col, integer,
                                         json_object_get(c->ind, "disaggregate"), c->qualitative);
    free(t);
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
