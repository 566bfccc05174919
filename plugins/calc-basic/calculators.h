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

#endif
