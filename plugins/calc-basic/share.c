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

/* share and ratio as aggregates: exact integer numerator and
 * denominator. */
struct ratio_state {
    calc_sum num, den;
};

enum { SHARE_WHERE, SHARE_DENOMINATOR, SHARE_NUMERATOR };

static int share_prepare(const struct tocm_host *host, const struct tocm_calc_input *in,
                         struct tocm_agg_plan *plan, tocm_error *err) {
    size_t col = calc_number_column_param(host, in, "column", 0, err);
    if (err->text[0])
        return -1;
    if (col != TOCM_NONE) {
        if (!calc_integer_column(host, in, col))
            return 0;
        calc_plan_column(plan, col);
    }
    calc_plan_filter(plan, "where");
    calc_plan_filter(plan, "denominator");
    calc_plan_filter(plan, "numerator");
    plan->state_size = sizeof(struct ratio_state);
    return 1;
}

static int share_update(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                        const struct tocm_agg_batch *b, tocm_error *err) {
    (void)host, (void)err;
    int counted = plan->column_count == 1;
    for (size_t i = 0; i < b->row_count; i++) {
        struct ratio_state *st = b->states[i];
        if (!st || !calc_batch_passes(b, SHARE_WHERE, i))
            continue;
        calc_sum v = 1;
        if (counted) {
            if (!b->columns[0].has_number[i])
                continue; /* an empty count adds nothing to either side */
            v = (calc_sum)b->columns[0].number[i];
        }
        if (!calc_batch_passes(b, SHARE_DENOMINATOR, i))
            continue;
        st->den += v;
        if (calc_batch_passes(b, SHARE_NUMERATOR, i))
            st->num += v;
    }
    return 0;
}

static int ratio_prepare(const struct tocm_host *host, const struct tocm_calc_input *in,
                         struct tocm_agg_plan *plan, tocm_error *err) {
    size_t ncol = calc_number_column_param(host, in, "numerator_column", 1, err);
    size_t dcol = calc_number_column_param(host, in, "denominator_column", 1, err);
    if (ncol == TOCM_NONE || dcol == TOCM_NONE)
        return -1;
    if (!calc_integer_column(host, in, ncol) || !calc_integer_column(host, in, dcol))
        return 0;
    calc_plan_column(plan, ncol);
    calc_plan_column(plan, dcol);
    calc_plan_filter(plan, "where");
    plan->state_size = sizeof(struct ratio_state);
    return 1;
}

static int ratio_update(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                        const struct tocm_agg_batch *b, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    for (size_t i = 0; i < b->row_count; i++) {
        struct ratio_state *st = b->states[i];
        if (!st || !calc_batch_passes(b, 0, i))
            continue;
        if (b->columns[0].has_number[i])
            st->num += (calc_sum)b->columns[0].number[i];
        if (b->columns[1].has_number[i])
            st->den += (calc_sum)b->columns[1].number[i];
    }
    return 0;
}

static int ratio_combine(const struct tocm_host *host, const struct tocm_agg_plan *plan, void *into,
                         const void *from, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    struct ratio_state *a = into;
    const struct ratio_state *b = from;
    a->num += b->num;
    a->den += b->den;
    return 0;
}

static int ratio_finalize(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                          const void *state, struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    const struct ratio_state *st = state;
    finish(out, calc_sum_value(st->num), calc_sum_value(st->den));
    return 0;
}

/* In SQL: the denominator (rows passing "where" and "denominator", or
 * their counts) and the numerator (those passing "numerator" too). */
static int share_sql_terms(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                           struct tocm_agg_sql *sql, tocm_error *err) {
    (void)host, (void)err;
    unsigned den = 1u << SHARE_WHERE | 1u << SHARE_DENOMINATOR, num = den | 1u << SHARE_NUMERATOR;
    enum tocm_agg_sql_op op = plan->column_count == 1 ? TOCM_AGG_SQL_SUM : TOCM_AGG_SQL_COUNT;
    unsigned present = plan->column_count == 1 ? 1u : 0;
    calc_sql_term(sql, op, 0, 0, num, present);
    calc_sql_term(sql, op, 0, 0, den, present);
    return 1;
}

/* In SQL: the two sums over the rows passing "where". */
static int ratio_sql_terms(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                           struct tocm_agg_sql *sql, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    calc_sql_term(sql, TOCM_AGG_SQL_SUM, 0, 0, 1u, 0);
    calc_sql_term(sql, TOCM_AGG_SQL_SUM, 1, 0, 1u, 0);
    return 1;
}

/* Both: the numerator, then the denominator. */
static int ratio_sql_load(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                          const char *const *values, void *state, tocm_error *err) {
    (void)plan;
    struct ratio_state *st = state;
    calc_sum num, den;
    if (calc_sql_integer(host, values[0], &num, err) != 0 ||
        calc_sql_integer(host, values[1], &den, err) != 0)
        return -1;
    st->num += num;
    st->den += den;
    return 0;
}

static const struct tocm_aggregate share_aggregate = {
    .size = sizeof(struct tocm_aggregate),
    .prepare = share_prepare,
    .init = calc_state_zero,
    .update = share_update,
    .combine = ratio_combine,
    .finalize = ratio_finalize,
    .sql_terms = share_sql_terms,
    .sql_load = ratio_sql_load,
};

static const struct tocm_aggregate ratio_aggregate = {
    .size = sizeof(struct tocm_aggregate),
    .prepare = ratio_prepare,
    .init = calc_state_zero,
    .update = ratio_update,
    .combine = ratio_combine,
    .finalize = ratio_finalize,
    .sql_terms = ratio_sql_terms,
    .sql_load = ratio_sql_load,
};

const struct tocm_calculator tocm_calc_share = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "share",
    .summary = "numerator over denominator (both kept), e.g. share of events with feedback",
    .params_help = "numerator, denominator: filters; column: optional column to sum instead "
                   "of counting rows; where: optional filter",
    .compute = share_compute,
    .aggregate = &share_aggregate,
};

const struct tocm_calculator tocm_calc_ratio = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "ratio",
    .summary = "sum of one column over the sum of another (both kept)",
    .params_help = "numerator_column, denominator_column; where: optional filter",
    .compute = ratio_compute,
    .aggregate = &ratio_aggregate,
};
