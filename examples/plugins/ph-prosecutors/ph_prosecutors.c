/*
 * ph_prosecutors.c -- an example tocm plugin with a country-specific
 * indicator: the share of women among the Philippine prosecutors trained in
 * the National Prosecution Service's blended e-learning TIP course.
 *
 * The ASEAN-ACT 2021 report (project P202) prints it as "81 prosecutors
 * (53 women, 28 men)" and "81 prosecutors across the country (65% women)".
 * The course ran three times; a prosecutor who took it more than once is one
 * prosecutor, so the calculator counts distinct prosecutor ids, and only
 * those who completed it.
 *
 * It shows everything a plugin needs: one header, a calculator with
 * designated initializers, parameters and table columns read through the
 * host table, a result with numerator and denominator (so tocm recomputes
 * the share correctly across periods and regions), and the entry point.
 */
#include <stdio.h>
#include <string.h>

#include <tocm/plugin.h>

#define MAX_PROSECUTORS 4096

static int women_prosecutors(const struct tocm_host *host, const struct tocm_calc_input *in,
                             struct tocm_calc_result *out, tocm_error *err) {
    const char *id_name = host->param_string(in->request, "id_column");
    size_t id_col = host->table_column_find(in->table, id_name ? id_name : "prosecutor_id");
    size_t sex_col = host->table_column_find(in->table, "sex");
    size_t done_col = host->table_column_find(in->table, "completed");
    if (id_col == TOCM_NONE || sex_col == TOCM_NONE || done_col == TOCM_NONE) {
        host->error_set(err, "ph-prosecutors",
                        "the table needs the columns prosecutor_id, sex and completed");
        return -1;
    }
    /* Distinct prosecutors who completed the course: a small linear set is
     * plenty for a national cohort. */
    static const char *seen[MAX_PROSECUTORS];
    size_t distinct = 0;
    double women = 0, everyone = 0;
    for (size_t i = 0; i < in->row_count; i++) {
        size_t row = in->rows[i];
        if (strcmp(host->table_text(in->table, row, done_col), "yes") != 0)
            continue;
        const char *id = host->table_text(in->table, row, id_col);
        size_t k = 0;
        while (k < distinct && strcmp(seen[k], id) != 0)
            k++;
        if (k < distinct)
            continue;
        if (distinct == MAX_PROSECUTORS) {
            host->error_set(err, "ph-prosecutors", "more than %d prosecutors", MAX_PROSECUTORS);
            return -1;
        }
        seen[distinct++] = id;
        everyone += 1;
        women += strcmp(host->table_text(in->table, row, sex_col), "female") == 0;
    }
    out->has_ratio = 1;
    out->numerator = women;
    out->denominator = everyone;
    out->has_value = everyone > 0;
    out->value = everyone > 0 ? women / everyone : 0;
    if (!out->has_value)
        snprintf(out->note, sizeof out->note, "no prosecutor completed the course");
    return 0;
}

static const struct tocm_calculator calculator = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "ph_women_prosecutors",
    .summary = "Philippines NPS e-learning: share of women among prosecutors who completed it",
    .params_help = "id_column: the prosecutor identifier (default prosecutor_id)",
    .compute = women_prosecutors,
};

static const struct tocm_calculator *const calculators[] = {&calculator, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "ph-prosecutors",
    .version = "1.0.0",
    .summary = "Example: a Philippines-specific indicator (ASEAN-ACT project P202)",
    .calculators = calculators,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    if (TOCM_ABI_MAJOR_OF(host->abi) != TOCM_ABI_MAJOR) {
        host->error_set(err, "ph-prosecutors", "built for another tocm");
        return -1;
    }
    *out = &plugin;
    return 0;
}
