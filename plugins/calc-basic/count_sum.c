/*
 * count_sum.c -- the additive calculators: count and sum.
 *
 * Each receives the rows of one cell (a period and a combination of
 * disaggregation values, already filtered by the indicator's "filter") and
 * returns one figure. Totals are computed by the host calling them again on
 * the union of rows, so these functions never combine figures themselves.
 */
#include <stdint.h>
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

/* count as an aggregate: the rows that pass "where". */
struct count_state {
    uint64_t rows;
};

static int count_prepare(const struct tocm_host *host, const struct tocm_calc_input *in,
                         struct tocm_agg_plan *plan, tocm_error *err) {
    (void)host, (void)in, (void)err;
    calc_plan_filter(plan, "where");
    plan->state_size = sizeof(struct count_state);
    return 1;
}

static int count_update(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                        const struct tocm_agg_batch *b, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    for (size_t i = 0; i < b->row_count; i++) {
        struct count_state *st = b->states[i];
        if (st && calc_batch_passes(b, 0, i))
            st->rows++;
    }
    return 0;
}

static int count_combine(const struct tocm_host *host, const struct tocm_agg_plan *plan, void *into,
                         const void *from, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    ((struct count_state *)into)->rows += ((const struct count_state *)from)->rows;
    return 0;
}

static int count_finalize(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                          const void *state, struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    out->has_value = 1;
    out->value = (double)((const struct count_state *)state)->rows;
    return 0;
}

/* In SQL: count(*) of the rows passing "where". */
static int count_sql_terms(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                           struct tocm_agg_sql *sql, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    calc_sql_term(sql, TOCM_AGG_SQL_COUNT, 0, 0, 1u, 0);
    return 1;
}

static int count_sql_load(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                          const char *const *values, void *state, tocm_error *err) {
    (void)plan;
    calc_sum rows;
    if (calc_sql_integer(host, values[0], &rows, err) != 0)
        return -1;
    ((struct count_state *)state)->rows += (uint64_t)rows;
    return 0;
}

static const struct tocm_aggregate count_aggregate = {
    .size = sizeof(struct tocm_aggregate),
    .prepare = count_prepare,
    .init = calc_state_zero,
    .update = count_update,
    .combine = count_combine,
    .finalize = count_finalize,
    .sql_terms = count_sql_terms,
    .sql_load = count_sql_load,
};

/* sum as an aggregate, over an integer column: the exact total and how
 * many cells were empty. */
struct sum_state {
    calc_sum total;
    uint64_t present, missing;
};

static int sum_prepare(const struct tocm_host *host, const struct tocm_calc_input *in,
                       struct tocm_agg_plan *plan, tocm_error *err) {
    size_t col = calc_number_column_param(host, in, "column", 1, err);
    if (col == TOCM_NONE)
        return -1;
    if (!calc_integer_column(host, in, col))
        return 0;
    calc_plan_column(plan, col);
    calc_plan_filter(plan, "where");
    plan->state_size = sizeof(struct sum_state);
    return 1;
}

static int sum_update(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                      const struct tocm_agg_batch *b, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    const double *number = b->columns[0].number;
    const unsigned char *has = b->columns[0].has_number;
    for (size_t i = 0; i < b->row_count; i++) {
        struct sum_state *st = b->states[i];
        if (!st || !calc_batch_passes(b, 0, i))
            continue;
        if (has[i]) {
            st->total += (calc_sum)number[i];
            st->present++;
        } else {
            st->missing++;
        }
    }
    return 0;
}

static int sum_combine(const struct tocm_host *host, const struct tocm_agg_plan *plan, void *into,
                       const void *from, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    struct sum_state *a = into;
    const struct sum_state *b = from;
    a->total += b->total;
    a->present += b->present;
    a->missing += b->missing;
    return 0;
}

static int sum_finalize(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                        const void *state, struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    const struct sum_state *st = state;
    /* The notes and the no-figure case exactly as sum_compute words them. */
    if (st->present == 0 && st->missing > 0) {
        out->has_value = 0;
        snprintf(out->note, sizeof out->note, "no value reported (%zu empty cell(s))",
                 (size_t)st->missing);
        return 0;
    }
    out->has_value = 1;
    out->value = calc_sum_value(st->total);
    if (st->missing)
        snprintf(out->note, sizeof out->note, "%zu empty cell(s) left out", (size_t)st->missing);
    return 0;
}

/* In SQL: the sum, the cells with a number and all cells, of the rows
 * passing "where". */
static int sum_sql_terms(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                         struct tocm_agg_sql *sql, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    calc_sql_term(sql, TOCM_AGG_SQL_SUM, 0, 0, 1u, 0);
    calc_sql_term(sql, TOCM_AGG_SQL_COUNT, 0, 0, 1u, 1u);
    calc_sql_term(sql, TOCM_AGG_SQL_COUNT, 0, 0, 1u, 0);
    return 1;
}

static int sum_sql_load(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                        const char *const *values, void *state, tocm_error *err) {
    (void)plan;
    struct sum_state *st = state;
    calc_sum total, present, all;
    if (calc_sql_integer(host, values[0], &total, err) != 0 ||
        calc_sql_integer(host, values[1], &present, err) != 0 ||
        calc_sql_integer(host, values[2], &all, err) != 0)
        return -1;
    st->total += total;
    st->present += (uint64_t)present;
    st->missing += (uint64_t)(all - present);
    return 0;
}

static const struct tocm_aggregate sum_aggregate = {
    .size = sizeof(struct tocm_aggregate),
    .prepare = sum_prepare,
    .init = calc_state_zero,
    .update = sum_update,
    .combine = sum_combine,
    .finalize = sum_finalize,
    .sql_terms = sum_sql_terms,
    .sql_load = sum_sql_load,
};

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
    .aggregate = &count_aggregate,
};

const struct tocm_calculator tocm_calc_sum = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "sum",
    .summary = "total of a numeric column",
    .params_help = "column: the column to add up; where: optional extra filter",
    .flags = TOCM_CALC_ADDITIVE,
    .compute = sum_compute,
    .aggregate = &sum_aggregate,
};
