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

/* The sex column (parameter or "sex"), the optional count column and the
 * female and male values. 0, or -1 with err set. */
static int gesi_params(const struct tocm_host *host, const struct tocm_calc_input *in,
                       size_t *sex_out, size_t *count_out, const char **female_out,
                       const char **male_out, tocm_error *err) {
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
    *sex_out = sex_col;
    *count_out = count_col;
    *female_out = female ? female : "female";
    *male_out = male ? male : "male";
    return 0;
}

static void gesi_result(struct tocm_calc_result *out, double f, double m, double o);

static int gesi_compute(const struct tocm_host *host, const struct tocm_calc_input *in,
                        struct tocm_calc_result *out, tocm_error *err) {
    size_t sex_col, count_col;
    const char *female, *male;
    if (gesi_params(host, in, &sex_col, &count_col, &female, &male, err) != 0)
        return -1;

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
    gesi_result(out, f, m, o);
    return 0;
}

/* The share of women and its three parts. */
static void gesi_result(struct tocm_calc_result *out, double f, double m, double o) {
    add_part(out, "female", f);
    add_part(out, "male", m);
    add_part(out, "other", o);
    out->has_ratio = 1;
    out->numerator = f;
    out->denominator = f + m + o;
    if (out->denominator == 0) {
        out->has_value = 0;
        snprintf(out->note, sizeof out->note, "nobody counted");
        return;
    }
    out->has_value = 1;
    out->value = f / out->denominator;
}

/* gesi as an aggregate (with no count column, or an integer one): exact
 * counts of women, men and others. */
struct gesi_config {
    const char *female, *male; /* borrowed from the indicator's params */
};

struct gesi_state {
    calc_sum f, m, o;
};

static int gesi_prepare(const struct tocm_host *host, const struct tocm_calc_input *in,
                        struct tocm_agg_plan *plan, tocm_error *err) {
    size_t sex_col, count_col;
    struct gesi_config config;
    if (gesi_params(host, in, &sex_col, &count_col, &config.female, &config.male, err) != 0)
        return -1;
    if (count_col != TOCM_NONE && !calc_integer_column(host, in, count_col))
        return 0;
    calc_plan_column(plan, sex_col);
    if (count_col != TOCM_NONE)
        calc_plan_column(plan, count_col);
    calc_plan_filter(plan, "where");
    memcpy(plan->config.bytes, &config, sizeof config);
    plan->state_size = sizeof(struct gesi_state);
    return 1;
}

static int gesi_update(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                       const struct tocm_agg_batch *b, tocm_error *err) {
    (void)host, (void)err;
    struct gesi_config config;
    memcpy(&config, plan->config.bytes, sizeof config);
    int counted = plan->column_count == 2;
    const char *const *sex = b->columns[0].text;
    for (size_t i = 0; i < b->row_count; i++) {
        struct gesi_state *st = b->states[i];
        if (!st || !calc_batch_passes(b, 0, i) || !*sex[i])
            continue;
        calc_sum v = 1;
        if (counted) {
            if (!b->columns[1].has_number[i])
                continue;
            v = (calc_sum)b->columns[1].number[i];
        }
        if (strcmp(sex[i], config.female) == 0)
            st->f += v;
        else if (strcmp(sex[i], config.male) == 0)
            st->m += v;
        else
            st->o += v;
    }
    return 0;
}

static int gesi_combine(const struct tocm_host *host, const struct tocm_agg_plan *plan, void *into,
                        const void *from, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    struct gesi_state *a = into;
    const struct gesi_state *b = from;
    a->f += b->f;
    a->m += b->m;
    a->o += b->o;
    return 0;
}

static int gesi_finalize(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                         const void *state, struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    const struct gesi_state *st = state;
    gesi_result(out, calc_sum_value(st->f), calc_sum_value(st->m), calc_sum_value(st->o));
    return 0;
}

/* In SQL: grouped by the sex column as well (a few values), the rows (or
 * counts) passing "where" of each value. */
static int gesi_sql_terms(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                          struct tocm_agg_sql *sql, tocm_error *err) {
    (void)host, (void)err;
    calc_sql_term(sql, TOCM_AGG_SQL_GROUP, 0, 0, 0, 0);
    if (plan->column_count == 2)
        calc_sql_term(sql, TOCM_AGG_SQL_SUM, 1, 0, 1u, 2u);
    else
        calc_sql_term(sql, TOCM_AGG_SQL_COUNT, 0, 0, 1u, 0);
    return 1;
}

static int gesi_sql_load(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                         const char *const *values, void *state, tocm_error *err) {
    struct gesi_config config;
    memcpy(&config, plan->config.bytes, sizeof config);
    struct gesi_state *st = state;
    calc_sum v;
    if (calc_sql_integer(host, values[1], &v, err) != 0)
        return -1;
    const char *sex = values[0];
    if (!*sex)
        return 0; /* nothing known about them: not counted */
    if (strcmp(sex, config.female) == 0)
        st->f += v;
    else if (strcmp(sex, config.male) == 0)
        st->m += v;
    else
        st->o += v;
    return 0;
}

static const struct tocm_aggregate gesi_aggregate = {
    .size = sizeof(struct tocm_aggregate),
    .prepare = gesi_prepare,
    .init = calc_state_zero,
    .update = gesi_update,
    .combine = gesi_combine,
    .finalize = gesi_finalize,
    .sql_terms = gesi_sql_terms,
    .sql_load = gesi_sql_load,
};

const struct tocm_calculator tocm_calc_gesi = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "gesi",
    .summary = "share of women, with the female / male / other breakdown",
    .params_help = "sex_column (default 'sex'); column: optional count column; female, male: "
                   "the values used (default 'female', 'male'); where: optional filter",
    .compute = gesi_compute,
    .aggregate = &gesi_aggregate,
};
