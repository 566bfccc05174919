/*
 * mean.c -- mean: the (optionally weighted) average of a numeric column.
 *
 * Weighted by respondents, it turns per-country percentages into the
 * program-wide figure the way the percentages would have been computed from
 * the pooled answers, instead of averaging countries of different sizes.
 */
#include <stdio.h>

#include "calculators.h"

static int mean_compute(const struct tocm_host *host, const struct tocm_calc_input *in,
                        struct tocm_calc_result *out, tocm_error *err) {
    size_t col = calc_number_column_param(host, in, "column", 1, err);
    if (col == TOCM_NONE)
        return -1;
    size_t weight_col = calc_number_column_param(host, in, "weight", 0, err);
    if (err->text[0])
        return -1;
    double sum = 0, weights = 0, x, w;
    size_t skipped = 0;
    for (size_t i = 0; i < in->row_count; i++) {
        size_t row = in->rows[i];
        if (!calc_row_selected(host, in, row))
            continue;
        w = 1;
        if (!host->table_number(in->table, row, col, &x) ||
            (weight_col != TOCM_NONE && !host->table_number(in->table, row, weight_col, &w))) {
            skipped++;
            continue;
        }
        sum += w * x;
        weights += w;
    }
    if (weights == 0) {
        out->has_value = 0;
        snprintf(out->note, sizeof out->note, "no values to average");
        return 0;
    }
    out->has_value = 1;
    out->value = sum / weights;
    if (skipped)
        snprintf(out->note, sizeof out->note, "%zu row(s) with an empty value left out", skipped);
    return 0;
}

const struct tocm_calculator tocm_calc_mean = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "mean",
    .summary = "average of a numeric column, optionally weighted (e.g. by respondents)",
    .params_help = "column: the values; weight: optional weight column; where: optional filter",
    .compute = mean_compute,
};
