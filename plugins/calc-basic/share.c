/*
 * share.c -- share and ratio: a numerator over a denominator, both returned
 * so that a share across countries or periods is recomputed from summed
 * parts, never averaged.
 *
 * A zero denominator gives no figure (has_value 0, with the reason), which a
 * report prints as a dash: 0 % or 100 % would both be claims nobody made.
 */
#include <stdio.h>

#include "calculators.h"

static void finish(struct tocm_calc_result *out, double numerator, double denominator) {
    out->has_ratio = 1;
    out->numerator = numerator;
    out->denominator = denominator;
    if (denominator == 0) {
        out->has_value = 0;
        snprintf(out->note, sizeof out->note, "the denominator is 0");
        return;
    }
    out->has_value = 1;
    out->value = numerator / denominator;
}

/* share: rows (or the sum of `column`) matching `denominator` and
 * `numerator`, over those matching `denominator`. */
static int share_compute(const struct tocm_host *host, const struct tocm_calc_input *in,
                         struct tocm_calc_result *out, tocm_error *err) {
    size_t col = calc_number_column_param(host, in, "column", 0, err);
    if (err->text[0])
        return -1;
    double num = 0, den = 0, v;
    for (size_t i = 0; i < in->row_count; i++) {
        size_t row = in->rows[i];
        if (!calc_row_selected(host, in, row))
            continue;
        if (col == TOCM_NONE)
            v = 1;
        else if (!host->table_number(in->table, row, col, &v))
            continue; /* an empty count adds nothing to either side */
        /* The numerator is a part of the denominator: a row outside the
         * denominator counts on neither side. */
        if (!host->param_filter_matches(in->request, "denominator", row))
            continue;
        den += v;
        if (host->param_filter_matches(in->request, "numerator", row))
            num += v;
    }
    finish(out, num, den);
    return 0;
}

/* ratio: the sum of one column over the sum of another. */
static int ratio_compute(const struct tocm_host *host, const struct tocm_calc_input *in,
                         struct tocm_calc_result *out, tocm_error *err) {
    size_t ncol = calc_number_column_param(host, in, "numerator_column", 1, err);
    size_t dcol = calc_number_column_param(host, in, "denominator_column", 1, err);
    if (ncol == TOCM_NONE || dcol == TOCM_NONE)
        return -1;
    double num = 0, den = 0, v;
    for (size_t i = 0; i < in->row_count; i++) {
        size_t row = in->rows[i];
        if (!calc_row_selected(host, in, row))
            continue;
        if (host->table_number(in->table, row, ncol, &v))
            num += v;
        if (host->table_number(in->table, row, dcol, &v))
            den += v;
    }
    finish(out, num, den);
    return 0;
}

const struct tocm_calculator tocm_calc_share = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "share",
    .summary = "numerator over denominator (both kept), e.g. share of events with feedback",
    .params_help = "numerator, denominator: filters; column: optional column to sum instead "
                   "of counting rows; where: optional filter",
    .compute = share_compute,
};

const struct tocm_calculator tocm_calc_ratio = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "ratio",
    .summary = "sum of one column over the sum of another (both kept)",
    .params_help = "numerator_column, denominator_column; where: optional filter",
    .compute = ratio_compute,
};
