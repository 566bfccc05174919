/*
 * plugin.c -- the calc-basic plugin: the indicator calculators tocm ships.
 */
#include "calculators.h"

size_t calc_column_param(const struct tocm_host *host, const struct tocm_calc_input *in,
                         const char *param, int required, tocm_error *err) {
    const char *name = host->param_string(in->request, param);
    if (!name) {
        if (required)
            host->error_set(err, param, "the parameter '%s' (a column name) is required",
                            param);
        return TOCM_NONE;
    }
    size_t col = host->table_column_find(in->table, name);
    if (col == TOCM_NONE)
        host->error_set(err, name, "the data table has no column '%s' (parameter '%s')", name,
                        param);
    return col;
}

int calc_row_selected(const struct tocm_host *host, const struct tocm_calc_input *in,
                      size_t row) {
    return host->param_filter_matches(in->request, "where", row);
}

static const struct tocm_calculator *const calculators[] = {
    &tocm_calc_count, &tocm_calc_sum,      &tocm_calc_mean, &tocm_calc_share,
    &tocm_calc_ratio, &tocm_calc_distinct, &tocm_calc_gesi, NULL,
};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "calc-basic",
    .version = "1.0.0",
    .summary = "The indicator calculators tocm ships: count, sum, mean, share, ratio, "
               "distinct, gesi",
    .calculators = calculators,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host;
    (void)err;
    *out = &plugin;
    return 0;
}
