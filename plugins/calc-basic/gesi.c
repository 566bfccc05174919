/*
 * gesi.c -- gesi (gender equality and social inclusion): the share of women,
 * with the female / male / other breakdown that reports print beside it.
 *
 * Rows are people (one row each) or counts (with `column`). Values of the
 * sex column other than the female and male ones count as "other"; an empty
 * sex cell is not counted at all, since nothing is known about that person.
 */
#include <stdio.h>
#include <string.h>

#include "calculators.h"

static void add_part(struct tocm_calc_result *out, const char *name, double value) {
    size_t i = out->part_count++;
    snprintf(out->parts[i].name, sizeof out->parts[i].name, "%s", name);
    out->parts[i].value = value;
}

static int gesi_compute(const struct tocm_host *host, const struct tocm_calc_input *in,
                        struct tocm_calc_result *out, tocm_error *err) {
    size_t sex_col = calc_column_param(host, in, "sex_column", 0, err);
    if (err->text[0])
        return -1;
    if (sex_col == TOCM_NONE) {
        sex_col = host->table_column_find(in->table, "sex");
        if (sex_col == TOCM_NONE) {
            host->error_set(err, "sex_column",
                            "name the column holding sex with the parameter 'sex_column' "
                            "(there is no column 'sex')");
            return -1;
        }
    }
    size_t count_col = calc_number_column_param(host, in, "column", 0, err);
    if (err->text[0])
        return -1;
    const char *female = host->param_string(in->request, "female");
    const char *male = host->param_string(in->request, "male");
    if (!female)
        female = "female";
    if (!male)
        male = "male";

    double f = 0, m = 0, o = 0, v;
    for (size_t i = 0; i < in->row_count; i++) {
        size_t row = in->rows[i];
        if (!calc_row_selected(host, in, row))
            continue;
        const char *sex = host->table_text(in->table, row, sex_col);
        if (!*sex)
            continue;
        if (count_col == TOCM_NONE)
            v = 1;
        else if (!host->table_number(in->table, row, count_col, &v))
            continue;
        if (strcmp(sex, female) == 0)
            f += v;
        else if (strcmp(sex, male) == 0)
            m += v;
        else
            o += v;
    }
    add_part(out, "female", f);
    add_part(out, "male", m);
    add_part(out, "other", o);
    out->has_ratio = 1;
    out->numerator = f;
    out->denominator = f + m + o;
    if (out->denominator == 0) {
        out->has_value = 0;
        snprintf(out->note, sizeof out->note, "nobody counted");
        return 0;
    }
    out->has_value = 1;
    out->value = f / out->denominator;
    return 0;
}

const struct tocm_calculator tocm_calc_gesi = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "gesi",
    .summary = "share of women, with the female / male / other breakdown",
    .params_help = "sex_column (default 'sex'); column: optional count column; female, male: "
                   "the values used (default 'female', 'male'); where: optional filter",
    .compute = gesi_compute,
};
