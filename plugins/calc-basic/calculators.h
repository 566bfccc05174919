/*
 * calculators.h -- what the files of the calc-basic plugin share. Every
 * symbol here is hidden (the plugin is built with -fvisibility=hidden): only
 * tocm_plugin_entry leaves the .so.
 */
#ifndef CALC_BASIC_CALCULATORS_H
#define CALC_BASIC_CALCULATORS_H

#include <tocm/plugin.h>

extern const struct tocm_calculator tocm_calc_count, tocm_calc_sum, tocm_calc_mean, tocm_calc_share,
    tocm_calc_ratio, tocm_calc_distinct, tocm_calc_gesi, tocm_calc_recorded;

/* A column named by a parameter, as an index; TOCM_NONE with err set when
 * the parameter is missing (and required) or the table lacks the column.
 * With required == 0 a missing parameter gives TOCM_NONE and no error. */
size_t calc_column_param(const struct tocm_host *host, const struct tocm_calc_input *in,
                         const char *param, int required, tocm_error *err);

/* The same for a column that must hold numbers (typed integer or decimal
 * in the model's "columns"): a text column is an error. */
size_t calc_number_column_param(const struct tocm_host *host, const struct tocm_calc_input *in,
                                const char *param, int required, tocm_error *err);

/* 1 when the row passes the optional "where" filter. */
int calc_row_selected(const struct tocm_host *host, const struct tocm_calc_input *in, size_t row);

/* ---- Mergeable aggregates (ABI 1.4) ------------------------------------
 * Every sum a state keeps is an exact integer (128 bits), so states merge
 * in any order to the very sum compute makes adding doubles row by row
 * (exact below 2^53). A decimal column's sum would depend on the order, so
 * prepare declines it and the host computes through compute. */

__extension__ typedef __int128 calc_sum;

/* 1 when col is typed integer, so its values add up exactly. */
int calc_integer_column(const struct tocm_host *host, const struct tocm_calc_input *in, size_t col);

/* Appends the filter parameter name to plan; returns its index. */
size_t calc_plan_filter(struct tocm_agg_plan *plan, const char *name);

/* Appends the column col to plan; returns its index in the batch. */
size_t calc_plan_column(struct tocm_agg_plan *plan, size_t col);

/* 1 when row i of the batch passes filter k (NULL: every row does). */
static inline int calc_batch_passes(const struct tocm_agg_batch *b, size_t k, size_t i) {
    return !b->filters[k] || b->filters[k][i];
}

/* The exact sum as the double compute would have made of it. */
static inline double calc_sum_value(calc_sum s) { return (double)s; }

/* ---- Pushed down (ABI 1.5) ----------------------------------------------
 * Each aggregate also says how a database computes its state (sql_terms)
 * and folds the database's figures in (sql_load), exactly as update folds
 * rows: the same integer counts and sums. */

/* A term of sql. */
void calc_sql_term(struct tocm_agg_sql *sql, enum tocm_agg_sql_op op, size_t column, size_t column2,
                   unsigned filters, unsigned present);

/* The whole number text (a count or sum from the database), exactly. 0, or
 * -1 with err set when it is not one. */
int calc_sql_integer(const struct tocm_host *host, const char *text, calc_sum *out,
                     tocm_error *err);

/* init and release for states that hold only numbers. */
void calc_state_zero(const struct tocm_host *host, const struct tocm_agg_plan *plan, void *state);

#endif
