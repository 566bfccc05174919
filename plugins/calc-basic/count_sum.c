/*
 * count_sum.c -- the additive calculators: count and sum.
 *
 * Each receives the rows of one cell (a period and a combination of
 * disaggregation values, already filtered by the indicator's "filter") and
 * returns one figure. Totals are computed by the host calling them again on
 * the union of rows, so these functions never combine figures themselves.
 */
#include <stdio.h>

#include "calculators.h"

/* count: rows in the cell, optionally only those matching params.where.
 * Zero rows give 0, a real figure ("no events held"). */
static int count_compute(const struct tocm_host *host, const struct tocm_calc_input *in,
                         struct tocm_calc_result *out, tocm_error *err) {
    (void)err;
    size_t n = 0;
    for (size_t i = 0; i < in->row_count; i++)
        n += (size_t)calc_row_selected(host, in, in->rows[i]);
    out->has_value = 1;
    out->value = (double)n;
    return 0;
}

/* sum: the total of a numeric column over the cell's rows. Empty cells are
 * left out; zero rows give 0; rows whose cells are all empty give no figure,
 * since 0 would claim a count that was never reported. */
static int sum_compute(const struct tocm_host *host, const struct tocm_calc_input *in,
                       struct tocm_calc_result *out, tocm_error *err) {
    size_t col = calc_number_column_param(host, in, "column", 1, err);
    if (col == TOCM_NONE)
        return -1;
    double total = 0, v;
    size_t present = 0, missing = 0;
    for (size_t i = 0; i < in->row_count; i++) {
        if (!calc_row_selected(host, in, in->rows[i]))
            continue;
        if (host->table_number(in->table, in->rows[i], col, &v)) {
            total += v;
            present++;
        } else {
            missing++;
        }
    }
    if (present == 0 && missing > 0) {
        out->has_value = 0;
        snprintf(out->note, sizeof out->note, "no value reported (%zu empty cell(s))", missing);
        return 0;
    }
    out->has_value = 1;
    out->value = total;
    if (missing)
        snprintf(out->note, sizeof out->note, "%zu empty cell(s) left out", missing);
    return 0;
}

/* recorded: figures entered directly (`tocm record`), one row per period and
 * breakdown in a results table of columns value, comment and source. A cell
 * adds up its rows, like sum; but a row whose value is empty is a figure
 * not reported, so the cell and every total it is part of are not reported
 * either, with the row's comment as the reason: a partial total must never
 * read as the whole. A text column of values (a qualitative indicator)
 * gives no figure; tocm shows the text itself. */
static int recorded_compute(const struct tocm_host *host, const struct tocm_calc_input *in,
                            struct tocm_calc_result *out, tocm_error *err) {
    size_t col = calc_column_param(host, in, "column", 0, err);
    if (col == TOCM_NONE && !err->text[0])
        col = host->table_column_find(in->table, "value");
    if (col == TOCM_NONE) {
        host->error_set(err, "value", "a recorded indicator's table needs a 'value' column");
        return -1;
    }
    enum tocm_cell_type type = host->table_column_type(in->table, col);
    if (type != TOCM_CELL_INTEGER && type != TOCM_CELL_DECIMAL) {
        out->has_value = 0;
        snprintf(out->note, sizeof out->note, "qualitative: see the text");
        return 0;
    }
    size_t comment_col = host->table_column_find(in->table, "comment");
    double total = 0, v;
    size_t missing = 0;
    const char *why = NULL;
    for (size_t i = 0; i < in->row_count; i++) {
        if (!calc_row_selected(host, in, in->rows[i]))
            continue;
        if (host->table_number(in->table, in->rows[i], col, &v)) {
            total += v;
        } else {
            missing++;
            if (comment_col != TOCM_NONE && !why)
                why = host->table_text(in->table, in->rows[i], comment_col);
        }
    }
    if (missing) {
        out->has_value = 0;
        if (missing == in->row_count && why && *why)
            snprintf(out->note, sizeof out->note, "not reported: %s", why);
        else
            snprintf(out->note, sizeof out->note,
                     "not reported: %zu of its figures missing (see the breakdown)", missing);
        return 0;
    }
    out->has_value = 1;
    out->value = total;
    return 0;
}

const struct tocm_calculator tocm_calc_recorded = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "recorded",
    .summary = "figures entered directly (tocm record): the value column, added up over a "
               "breakdown; an empty value is not reported",
    .params_help = "column: the values (default 'value'); where: optional extra filter",
    .flags = TOCM_CALC_ADDITIVE,
    .compute = recorded_compute,
};

const struct tocm_calculator tocm_calc_count = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "count",
    .summary = "number of rows (events, people, cases) matching the indicator's filter",
    .params_help = "where: optional extra filter",
    .flags = TOCM_CALC_ADDITIVE,
    .compute = count_compute,
};

const struct tocm_calculator tocm_calc_sum = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "sum",
    .summary = "total of a numeric column",
    .params_help = "column: the column to add up; where: optional extra filter",
    .flags = TOCM_CALC_ADDITIVE,
    .compute = sum_compute,
};
