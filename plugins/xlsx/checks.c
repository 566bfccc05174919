/*
 * checks.c -- the Checks sheet, from the computed report:
 *   1. every figure the model records as printed in a report, against the
 *      figure computed from the data (the report's `checks` hold the ones
 *      that differ; a cell's `reported` member is a printed figure that
 *      matched), differences first;
 *   2. the status roll-up: for each result, the statuses of the indicators
 *      and projects beneath it (the report's `rollup`).
 */
#include <stdlib.h>
#include <string.h>

#include "xlsx_internal.h"

static const char *jstr(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

struct checks {
    struct xlsx_ctx *x;
    lxw_worksheet *ws;
    lxw_row_t row;
    json_t *by_id; /* indicator id -> its definition in the report */
    lxw_format *differs, *matches;
};

enum { C_IND, C_TITLE, C_PERIOD, C_BRK, C_PRINTED, C_COMPUTED, C_RESULT, C_SOURCE, C_COUNT };

/* A figure in the indicator's unit; printed figures of a percentage are as
 * printed (54 for 54 %), computed ones fractions. */
static int figure(struct checks *k, lxw_col_t col, json_t *ind, json_t *v, int as_printed) {
    json_t *r = json_object_get(ind, "rounding");
    int pct = xlsx_is_percentage(ind);
    lxw_format *f = xlsx_value_format(k->x, pct, json_is_integer(r) ? json_integer_value(r) : 0);
    if (json_is_number(v))
        return xlsx_number(k->x, k->ws, k->row, col,
                           json_number_value(v) / (pct && as_printed ? 100 : 1), f);
    if (json_is_string(v))
        return xlsx_text(k->x, k->ws, k->row, col, json_string_value(v), NULL);
    return 0;
}

static int check_row(struct checks *k, const char *id, const char *period, json_t *dims,
                     json_t *printed, json_t *computed, const char *result, lxw_format *rf,
                     const char *source) {
    struct xlsx_ctx *x = k->x;
    json_t *ind = json_object_get(k->by_id, id ? id : "");
    char *label = xlsx_dims_label(dims);
    if (!label)
        return xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Checks sheet");
    int rc = xlsx_text(x, k->ws, k->row, C_IND, id, NULL);
    if (rc == 0)
        rc = xlsx_text(x, k->ws, k->row, C_TITLE, jstr(ind, "title"), NULL);
    if (rc == 0)
        rc = xlsx_text(x, k->ws, k->row, C_PERIOD,
                       period && strcmp(period, "total") == 0 ? "Total" : period, NULL);
    if (rc == 0)
        rc = xlsx_text(x, k->ws, k->row, C_BRK, label, NULL);
    if (rc == 0)
        rc = figure(k, C_PRINTED, ind, printed, 1);
    if (rc == 0)
        rc = computed ? figure(k, C_COMPUTED, ind, computed, 0)
                      : xlsx_text(x, k->ws, k->row, C_COMPUTED, "no data", x->st.missing);
    if (rc == 0)
        rc = xlsx_text(x, k->ws, k->row, C_RESULT, result, rf);
    if (rc == 0)
        rc = xlsx_text(x, k->ws, k->row, C_SOURCE, source, NULL);
    free(label);
    k->row++;
    return rc;
}

static int printed_figures(struct checks *k) {
    json_t *report = k->x->report;
    size_t i, j;
    json_t *c, *ind;
    int rc = 0;
    /* The differences, as the report lists them. */
    json_array_foreach(json_object_get(report, "checks"), i, c) {
        if (rc)
            break;
        const char *kind = jstr(c, "kind");
        int nodata = kind && strcmp(kind, "reported_without_data") == 0;
        struct joined why = {0};
        join_add(&why, NULL, jstr(c, "message"));
        join_add(&why, ". Printed in: ", jstr(c, "source"));
        rc = check_row(k, jstr(c, "indicator"), jstr(c, "period"), json_object_get(c, "dims"),
                       json_object_get(c, "reported"),
                       nodata ? NULL : json_object_get(c, "computed"),
                       nodata ? "\u2717 no data" : "\u2717 differs", k->differs, why.data);
        join_free(&why);
    }
    /* The printed figures that match: cells with a `reported` member and no
     * check of their own. */
    json_array_foreach(json_object_get(report, "indicators"), i, ind) {
        json_array_foreach(json_object_get(ind, "cells"), j, c) {
            json_t *printed = json_object_get(c, "reported");
            if (rc || !printed)
                continue;
            int failed = 0;
            size_t n;
            json_t *f;
            json_array_foreach(json_object_get(report, "checks"), n, f) {
                failed |= json_equal(json_object_get(f, "indicator"), json_object_get(ind, "id")) &&
                          json_equal(json_object_get(f, "period"), json_object_get(c, "period")) &&
                          json_equal(json_object_get(f, "dims"), json_object_get(c, "dims"));
            }
            if (!failed)
                rc = check_row(k, jstr(ind, "id"), jstr(c, "period"), json_object_get(c, "dims"),
                               printed, json_object_get(c, "value"), "\u2713 matches", k->matches,
                               NULL);
        }
    }
    return rc;
}

/* The distinct status words of member `what` of the roll-up entries:
 * known ones in the report's order, then the others as they appear. */
static json_t *status_columns(struct xlsx_ctx *x, json_t *rollup, const char *what, int known) {
    json_t *cols = json_array();
    if (!cols)
        return NULL;
    if (known)
        for (size_t s = 0; s < x->status_count; s++) {
            size_t i;
            json_t *e;
            json_array_foreach(rollup, i, e) {
                if (json_object_get(json_object_get(e, what), x->statuses[s].word)) {
                    json_array_append_new(cols, json_string(x->statuses[s].word));
                    break;
                }
            }
        }
    size_t i;
    json_t *e;
    json_array_foreach(rollup, i, e) {
        const char *word;
        json_t *v;
        json_object_foreach(json_object_get(e, what), word, v) {
            int have = 0;
            size_t j;
            json_t *c;
            json_array_foreach(cols, j, c) have |= strcmp(json_string_value(c), word) == 0;
            if (!have)
                json_array_append_new(cols, json_string(word));
        }
    }
    return cols;
}

static int rollup_table(struct checks *k) {
    struct xlsx_ctx *x = k->x;
    json_t *rollup = json_object_get(x->report, "rollup");
    if (!json_array_size(rollup))
        return 0;
    json_t *ind_cols = status_columns(x, rollup, "indicators", 1);
    json_t *proj_cols = status_columns(x, rollup, "projects", 0);
    int rc = ind_cols && proj_cols ? 0 : xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a table");
    k->row++;
    if (rc == 0)
        rc = xlsx_text(x, k->ws, k->row++, 0,
                       "Status roll-up: the statuses of the indicators and projects beneath each "
                       "result",
                       x->st.band);
    lxw_row_t h1 = k->row, h2 = k->row + 1;
    static const char *const fixed[] = {"Result", "Level", "Title"};
    for (lxw_col_t c = 0; rc == 0 && c < 3; c++)
        rc = xlsx_check(x, worksheet_merge_range(k->ws, h1, c, h2, c, fixed[c], x->st.header),
                        "a header");
    size_t ni = json_array_size(ind_cols), np = json_array_size(proj_cols);
    struct {
        json_t *cols;
        const char *what, *name;
        lxw_col_t first;
    } groups[] = {{ind_cols, "indicators", "Indicators", 3},
                  {proj_cols, "projects", "Projects", (lxw_col_t)(3 + ni)}};
    for (size_t g = 0; g < 2 && rc == 0; g++) {
        size_t n = json_array_size(groups[g].cols);
        if (n == 0)
            continue;
        lxw_col_t first = groups[g].first, last = (lxw_col_t)(first + n - 1);
        rc = n > 1 ? xlsx_check(x,
                                worksheet_merge_range(k->ws, h1, first, h1, last, groups[g].name,
                                                      x->st.centre),
                                "a header")
                   : xlsx_text(x, k->ws, h1, first, groups[g].name, x->st.centre);
        for (size_t j = 0; j < n && rc == 0; j++) {
            const char *word = json_string_value(json_array_get(groups[g].cols, j));
            const struct xlsx_status *st = g == 0 ? xlsx_status_find(x, word) : NULL;
            rc = xlsx_text(x, k->ws, h2, (lxw_col_t)(first + j), st ? st->shown : word,
                           x->st.header);
        }
    }
    /* The nodes whose status is none of status.node_statuses (W206): not
     * counted, so named, in a column of their own when there are any. */
    lxw_col_t left_col = (lxw_col_t)(3 + ni + np);
    int any_left = 0;
    size_t i;
    json_t *e;
    json_array_foreach(rollup, i, e) any_left |=
        json_array_size(json_object_get(e, "left_out")) > 0;
    if (any_left && rc == 0)
        rc = xlsx_check(x,
                        worksheet_merge_range(k->ws, h1, left_col, h2, left_col,
                                              "Left out (status not in node_statuses)",
                                              x->st.header),
                        "a header");
    k->row = h2 + 1;
    json_array_foreach(rollup, i, e) {
        if (rc)
            break;
        json_t *left = json_object_get(e, "left_out");
        if (json_array_size(left)) {
            struct joined names = {0};
            size_t j;
            json_t *l;
            json_array_foreach(left, j, l)
                join_printf(&names, ", ", "%s ('%s')", jstr(l, "node"), jstr(l, "status"));
            rc = names.failed ? xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell")
                              : xlsx_text(x, k->ws, k->row, left_col, names.data, NULL);
            join_free(&names);
        }
        rc = xlsx_text(x, k->ws, k->row, 0, jstr(e, "node"), NULL);
        if (rc == 0)
            rc = xlsx_text(x, k->ws, k->row, 1, jstr(e, "level"), NULL);
        if (rc == 0)
            rc = xlsx_text(x, k->ws, k->row, 2, jstr(e, "title"), NULL);
        for (size_t g = 0; g < 2 && rc == 0; g++) {
            json_t *counts = json_object_get(e, groups[g].what);
            for (size_t j = 0; j < json_array_size(groups[g].cols) && rc == 0; j++) {
                json_t *v =
                    json_object_get(counts, json_string_value(json_array_get(groups[g].cols, j)));
                if (json_is_number(v))
                    rc = xlsx_number(x, k->ws, k->row, (lxw_col_t)(groups[g].first + j),
                                     json_number_value(v), x->st.number);
            }
        }
        k->row++;
    }
    /* Columns the checks above leave at the default width. */
    for (size_t j = C_COUNT; j < 3 + ni + np; j++)
        worksheet_set_column(k->ws, (lxw_col_t)j, (lxw_col_t)j, 11, NULL);
    if (any_left && left_col >= C_COUNT) /* else a column of the checks: its width stays */
        worksheet_set_column(k->ws, left_col, left_col, 40, NULL);
    json_decref(ind_cols);
    json_decref(proj_cols);
    return rc;
}

int xlsx_checks_sheet(struct xlsx_ctx *x) {
    struct checks k = {.x = x, .by_id = json_object()};
    if (!k.by_id)
        return xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Checks sheet");
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(x->report, "indicators"), i, ind) {
        const char *id = jstr(ind, "id");
        if (id && !json_object_get(k.by_id, id))
            json_object_set(k.by_id, id, ind);
    }
    const struct xlsx_status *bad = xlsx_status_find(x, "off track");
    const struct xlsx_status *good = xlsx_status_find(x, "achieved");
    k.differs = bad ? bad->format : NULL;
    k.matches = good ? good->format : NULL;
    k.ws = xlsx_add_sheet(x, "Checks");
    int rc = k.ws ? 0 : -1;
    const char *program = jstr(json_object_get(x->report, "program"), "title");
    struct joined title = {0};
    join_printf(&title, NULL, "%s: printed figures checked against the data",
                program ? program : "");
    if (rc == 0)
        rc = xlsx_text(x, k.ws, 0, 0, title.data, x->st.title);
    if (rc == 0)
        rc = xlsx_text(x, k.ws, 1, 0,
                       "Each figure the model records as printed in a report, against the figure "
                       "computed from the data and rounded the same way. Differences first.",
                       x->st.subtitle);
    static const char *const names[C_COUNT] = {
        "Indicator", "Title",    "Period", "Breakdown",
        "Printed",   "Computed", "Result", "Message and where it is printed"};
    double widths[C_COUNT] = {10, 40, 9, 18, 11, 12, 14, 60};
    /* The indicator column as wide as its longest id, within reason. */
    const char *key;
    json_t *v;
    json_object_foreach(k.by_id, key, v) {
        double w = (double)strlen(key) + 2;
        if (w > widths[C_IND])
            widths[C_IND] = w < 30 ? w : 30;
    }
    for (int c = 0; c < C_COUNT && rc == 0; c++) {
        rc = xlsx_text(x, k.ws, 2, (lxw_col_t)c, names[c], x->st.header);
        worksheet_set_column(k.ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    k.row = 3;
    if (rc == 0)
        rc = printed_figures(&k);
    if (rc == 0 && k.row == 3)
        rc = xlsx_text(x, k.ws, k.row++, 0, "The model records no printed figures.", x->st.muted);
    if (rc == 0)
        worksheet_freeze_panes(k.ws, 3, 0);
    if (rc == 0)
        rc = rollup_table(&k);
    if (rc == 0)
        xlsx_print_setup(k.ws, 2, title.data);
    join_free(&title);
    json_decref(k.by_id);
    return rc;
}
