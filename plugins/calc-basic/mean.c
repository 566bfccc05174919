/*
 * mean.c -- mean: the (optionally weighted) average of a numeric column.
 *
 * Weighted by respondents, it turns per-country percentages into the
 * program-wide figure the way the percentages would have been computed from
 * the pooled answers, instead of averaging countries of different sizes.
 */
#include <stdint.h>
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

/* mean as an aggregate, over integer values and weights: the exact
 * weighted sum and total weight. */
struct mean_state {
    calc_sum sum, weights;
    uint64_t skipped;
};

static int mean_prepare(const struct tocm_host *host, const struct tocm_calc_input *in,
                        struct tocm_agg_plan *plan, tocm_error *err) {
    size_t col = calc_number_column_param(host, in, "column", 1, err);
    if (col == TOCM_NONE)
        return -1;
    size_t weight_col = calc_number_column_param(host, in, "weight", 0, err);
    if (err->text[0])
        return -1;
    if (!calc_integer_column(host, in, col) ||
        (weight_col != TOCM_NONE && !calc_integer_column(host, in, weight_col)))
        return 0;
    calc_plan_column(plan, col);
    if (weight_col != TOCM_NONE)
        calc_plan_column(plan, weight_col);
    calc_plan_filter(plan, "where");
    plan->state_size = sizeof(struct mean_state);
    return 1;
}

static int mean_update(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                       const struct tocm_agg_batch *b, tocm_error *err) {
    (void)host, (void)err;
    int weighted = plan->column_count == 2;
    for (size_t i = 0; i < b->row_count; i++) {
        struct mean_state *st = b->states[i];
        if (!st || !calc_batch_passes(b, 0, i))
            continue;
        if (!b->columns[0].has_number[i] || (weighted && !b->columns[1].has_number[i])) {
            st->skipped++;
            continue;
        }
        calc_sum w = weighted ? (calc_sum)b->columns[1].number[i] : 1;
        st->sum += w * (calc_sum)b->columns[0].number[i];
        st->weights += w;
    }
    return 0;
}

static int mean_combine(const struct tocm_host *host, const struct tocm_agg_plan *plan, void *into,
                        const void *from, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    struct mean_state *a = into;
    const struct mean_state *b = from;
    a->sum += b->sum;
    a->weights += b->weights;
    a->skipped += b->skipped;
    return 0;
}

static int mean_finalize(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                         const void *state, struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    const struct mean_state *st = state;
    if (st->weights == 0) {
        out->has_value = 0;
        snprintf(out->note, sizeof out->note, "no values to average");
        return 0;
    }
    out->has_value = 1;
    out->value = calc_sum_value(st->sum) / calc_sum_value(st->weights);
    if (st->skipped)
        snprintf(out->note, sizeof out->note, "%zu row(s) with an empty value left out",
                 (size_t)st->skipped);
    return 0;
}

/* In SQL: the (weighted) sum and the weights over the rows passing "where"
 * with every value there, and how many rows pass "where" at all. */
static int mean_sql_terms(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                          struct tocm_agg_sql *sql, tocm_error *err) {
    (void)host, (void)err;
    if (plan->column_count == 2) {
        calc_sql_term(sql, TOCM_AGG_SQL_SUM_PRODUCT, 0, 1, 1u, 3u);
        calc_sql_term(sql, TOCM_AGG_SQL_SUM, 1, 0, 1u, 3u);
        calc_sql_term(sql, TOCM_AGG_SQL_COUNT, 0, 0, 1u, 3u);
    } else {
        calc_sql_term(sql, TOCM_AGG_SQL_SUM, 0, 0, 1u, 1u);
        calc_sql_term(sql, TOCM_AGG_SQL_COUNT, 0, 0, 1u, 1u);
        calc_sql_term(sql, TOCM_AGG_SQL_COUNT, 0, 0, 1u, 1u);
    }
    calc_sql_term(sql, TOCM_AGG_SQL_COUNT, 0, 0, 1u, 0);
    return 1;
}

static int mean_sql_load(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                         const char *const *values, void *state, tocm_error *err) {
    (void)plan;
    struct mean_state *st = state;
    calc_sum sum, weights, complete, all;
    if (calc_sql_integer(host, values[0], &sum, err) != 0 ||
        calc_sql_integer(host, values[1], &weights, err) != 0 ||
        calc_sql_integer(host, values[2], &complete, err) != 0 ||
        calc_sql_integer(host, values[3], &all, err) != 0)
        return -1;
    st->sum += sum;
    st->weights += weights;
    st->skipped += (uint64_t)(all - complete);
    return 0;
}

static const struct tocm_aggregate mean_aggregate = {
    .size = sizeof(struct tocm_aggregate),
    .prepare = mean_prepare,
    .init = calc_state_zero,
    .update = mean_update,
    .combine = mean_combine,
    .finalize = mean_finalize,
    .sql_terms = mean_sql_terms,
    .sql_load = mean_sql_load,
};

const struct tocm_calculator tocm_calc_mean = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "mean",
    .summary = "average of a numeric column, optionally weighted (e.g. by respondents)",
    .params_help = "column: the values; weight: optional weight column; where: optional filter",
    .compute = mean_compute,
    .aggregate = &mean_aggregate,
};
