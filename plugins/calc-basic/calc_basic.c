/*
 * calc_basic.c -- the basic calculators: count and sum.
 *
 * Each receives the rows of one cell (a period and a combination of
 * disaggregation values, already filtered by the indicator's "filter") and
 * returns one figure. Totals are computed by the host calling them again on
 * the union of rows, so these functions never combine figures themselves.
 */
#include <stdio.h>

#include <tocm/plugin.h>

/* The "column" parameter as a column index, or TOCM_NONE with err set. */
static size_t required_column(const struct tocm_host *host, const struct tocm_calc_input *in,
                              const char *param, tocm_error *err) {
    const char *name = host->param_string(in->request, param);
    if (!name) {
        host->error_set(err, param, "the parameter '%s' (a column name) is required", param);
        return TOCM_NONE;
    }
    size_t col = host->table_column_find(in->table, name);
    if (col == TOCM_NONE)
        host->error_set(err, name, "the data table has no column '%s'", name);
    return col;
}

/* count: rows in the cell, optionally only those matching params.where.
 * Zero rows give 0, a real figure ("no events held"). */
static int count_compute(const struct tocm_host *host, const struct tocm_calc_input *in,
                         struct tocm_calc_result *out, tocm_error *err) {
    (void)err;
    size_t n = 0;
    for (size_t i = 0; i < in->row_count; i++)
        n += (size_t)host->param_filter_matches(in->request, "where", in->rows[i]);
    out->has_value = 1;
    out->value = (double)n;
    return 0;
}

/* sum: the total of a numeric column over the cell's rows. Empty cells are
 * left out; zero rows give 0; rows whose cells are all empty give no figure,
 * since 0 would claim a count that was never reported. */
static int sum_compute(const struct tocm_host *host, const struct tocm_calc_input *in,
                       struct tocm_calc_result *out, tocm_error *err) {
    size_t col = required_column(host, in, "column", err);
    if (col == TOCM_NONE)
        return -1;
    double total = 0, v;
    size_t present = 0, missing = 0;
    for (size_t i = 0; i < in->row_count; i++) {
        if (!host->param_filter_matches(in->request, "where", in->rows[i]))
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

static const struct tocm_calculator count_calc = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "count",
    .summary = "number of rows (events, people, cases) matching the indicator's filter",
    .params_help = "where: optional extra filter",
    .compute = count_compute,
};

static const struct tocm_calculator sum_calc = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "sum",
    .summary = "total of a numeric column",
    .params_help = "column: the column to add up; where: optional extra filter",
    .compute = sum_compute,
};

static const struct tocm_calculator *const calculators[] = {&count_calc, &sum_calc, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "calc-basic",
    .version = "1.0.0",
    .summary = "Basic indicator calculators",
    .calculators = calculators,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host;
    (void)err;
    *out = &plugin;
    return 0;
}
