/*
 * plugin.c -- the calc-basic plugin: the indicator calculators tocm ships.
 */
#include <string.h>

#include "calculators.h"

size_t calc_column_param(const struct tocm_host *host, const struct tocm_calc_input *in,
                         const char *param, int required, tocm_error *err) {
    const char *name = host->param_string(in->request, param);
    if (!name) {
        if (required)
            host->error_set(err, param, "the parameter '%s' (a column name) is required", param);
        return TOCM_NONE;
    }
    size_t col = host->table_column_find(in->table, name);
    if (col == TOCM_NONE)
        host->error_set(err, name, "the data table has no column '%s' (parameter '%s')", name,
                        param);
    return col;
}

size_t calc_number_column_param(const struct tocm_host *host, const struct tocm_calc_input *in,
                                const char *param, int required, tocm_error *err) {
    size_t col = calc_column_param(host, in, param, required, err);
    if (col == TOCM_NONE)
        return col;
    /* Undeclared columns are text: without this, every cell of a column the
     * model forgot to type would read as empty and the figure as "no value". */
    enum tocm_cell_type type = host->table_column_type(in->table, col);
    if (type != TOCM_CELL_INTEGER && type != TOCM_CELL_DECIMAL) {
        const char *name = host->table_column_name(in->table, col);
        host->error_set(err, name,
                        "the column '%s' (parameter '%s') is not numeric: declare it as "
                        "\"integer\" or \"decimal\" in the table's \"columns\"",
                        name, param);
        return TOCM_NONE;
    }
    return col;
}

int calc_row_selected(const struct tocm_host *host, const struct tocm_calc_input *in, size_t row) {
    return host->param_filter_matches(in->request, "where", row);
}

int calc_integer_column(const struct tocm_host *host, const struct tocm_calc_input *in,
                        size_t col) {
    return host->table_column_type(in->table, col) == TOCM_CELL_INTEGER;
}

size_t calc_plan_filter(struct tocm_agg_plan *plan, const char *name) {
    plan->filters[plan->filter_count] = name;
    return plan->filter_count++;
}

size_t calc_plan_column(struct tocm_agg_plan *plan, size_t col) {
    plan->columns[plan->column_count] = col;
    return plan->column_count++;
}

void calc_sql_term(struct tocm_agg_sql *sql, enum tocm_agg_sql_op op, size_t column, size_t column2,
                   unsigned filters, unsigned present) {
    struct tocm_agg_sql_term *t = &sql->terms[sql->term_count++];
    t->op = op;
    t->column = column;
    t->column2 = column2;
    t->filters = filters;
    t->present = present;
}

int calc_sql_integer(const struct tocm_host *host, const char *text, calc_sum *out,
                     tocm_error *err) {
    const char *p = text;
    int negative = *p == '-';
    p += negative || *p == '+';
    calc_sum v = 0;
    /* At most 36 digits: far below 2^127, and far above any real sum. */
    size_t digits = 0;
    for (; *p >= '0' && *p <= '9' && digits < 37; p++, digits++)
        v = v * 10 + (*p - '0');
    if (digits == 0 || digits > 36 || *p) {
        host->error_set(err, "", "the database gave '%.40s' where a whole number was expected",
                        text);
        return -1;
    }
    *out = negative ? -v : v;
    return 0;
}

void calc_state_zero(const struct tocm_host *host, const struct tocm_agg_plan *plan, void *state) {
    (void)host;
    memset(state, 0, plan->state_size);
}

static const struct tocm_calculator *const calculators[] = {
    &tocm_calc_count, &tocm_calc_sum,      &tocm_calc_mean,
    &tocm_calc_share, &tocm_calc_ratio,    &tocm_calc_distinct,
    &tocm_calc_gesi,  &tocm_calc_recorded, NULL,
};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "calc-basic",
    .version = "1.0.0",
    .summary = "The indicator calculators tocm ships: count, sum, mean, share, ratio, "
               "distinct, gesi, recorded",
    .calculators = calculators,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host;
    (void)err;
    *out = &plugin;
    return 0;
}
