/*
 * test_engine.c -- the indicator engine, function by function rather than
 * through `tocm report`: grouping (cells per breakdown and their totals),
 * periods (cumulative, latest, periodic), target status with the model's
 * thresholds and a baseline, the checks (figures recorded as printed
 * against the data), the roll-up to outcomes and the goal, and the number
 * display.
 *
 * Usage: test_engine PATH/TO/calc-basic.so
 *
 * Each test writes a model and its CSV into a scratch directory, loads it
 * with tocm_model_load_file, loads calc-basic alone (no directory search)
 * and computes the report document with tocmp_compute_report.
 */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "tocm/host.h"
#include "tocm/tocm.h"
#include "util.h"

static const char *calc_basic;

/* The events of three years in two countries; LA's 2023 figure comes in
 * two rows, one of them empty. */
static const char events_csv[] = "year,country,people\n"
                                 "2021,KH,4\n2021,LA,6\n"
                                 "2022,KH,15\n2022,LA,5\n"
                                 "2023,KH,10\n2023,LA,20\n2023,LA,\n";

struct fixture {
    char dir[64];
    tocm_registry *registry;
    tocm_diags *diags;
    tocm_model *model;
    json_t *report;
};

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state) {
    struct fixture *f = tocmp_xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/tocm-engine-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    char *data = tocmp_asprintf("%s/data", f->dir);
    mkdir(data, 0755);
    char *csv = tocmp_asprintf("%s/events.csv", data);
    write_text(csv, events_csv);
    free(csv);
    free(data);
    const char *files[] = {calc_basic};
    struct tocm_registry_options opts = {.files = files, .file_count = 1, .no_search = 1};
    f->registry = tocm_registry_load(&opts);
    f->diags = tocm_diags_new();
    *state = f;
    return f->registry && tocm_registry_refused(f->registry) == 0 ? 0 : -1;
}

static int teardown(void **state) {
    struct fixture *f = *state;
    json_decref(f->report);
    tocm_model_free(f->model);
    tocm_diags_free(f->diags);
    tocm_registry_free(f->registry);
    char *cmd = tocmp_asprintf("rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* Writes a model with the goal G, the outcome O1 under it and the project
 * P1 under O1, the events table, and the given indicators (a JSON array)
 * and extra top-level members (a JSON object's inside, or ""); loads it and
 * computes its report into f->report. */
static void compute(struct fixture *f, const char *indicators, const char *extra) {
    char *text = tocmp_asprintf(
        "{\"tocm\": 1, \"program\": {\"id\": \"t\", \"title\": \"Engine test\"},\n"
        " \"levels\": [{\"id\": \"goal\"}, {\"id\": \"outcome\", \"outcome\": true},\n"
        "              {\"id\": \"project\"}],\n"
        " \"nodes\": [{\"id\": \"G\", \"level\": \"goal\", \"title\": \"Goal\"},\n"
        "           {\"id\": \"O1\", \"level\": \"outcome\", \"title\": \"Outcome\",\n"
        "            \"contributes_to\": [\"G\"]},\n"
        "           {\"id\": \"P1\", \"level\": \"project\", \"title\": \"Project\",\n"
        "            \"contributes_to\": [\"O1\"], \"status\": \"completed\"}],\n"
        " \"tables\": {\"events\": {\"path\": \"data/events.csv\",\n"
        "                          \"columns\": {\"year\": \"integer\", \"people\": "
        "\"integer\"}}},\n"
        " \"indicators\": %s%s%s}\n",
        indicators, *extra ? ", " : "", extra);
    char *path = tocmp_asprintf("%s/model.json", f->dir);
    write_text(path, text);
    free(text);
    assert_int_equal(tocm_model_load_file(path, f->diags, &f->model), TOCM_OK);
    free(path);
    assert_int_equal(tocm_validate(f->model, f->diags), 0);
    tocm_report_options opts = {0};
    f->report = tocmp_compute_report(f->model, f->registry, &opts, NULL, f->diags);
    if (!f->report)
        tocm_diags_print(f->diags, stderr);
    assert_non_null(f->report);
}

static json_t *indicator(const struct fixture *f, const char *id) {
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(f->report, "indicators"), i, ind) {
        if (strcmp(json_string_value(json_object_get(ind, "id")), id) == 0)
            return ind;
    }
    fail_msg("no indicator '%s' in the report", id);
    return NULL;
}

/* The cell of period with the breakdown dims ("{}" for the total, or e.g.
 * "{\"country\": \"KH\"}"). */
static json_t *cell(json_t *ind, const char *period, const char *dims) {
    json_t *want = json_loads(dims, 0, NULL);
    assert_non_null(want);
    size_t i;
    json_t *c, *found = NULL;
    json_array_foreach(json_object_get(ind, "cells"), i, c) {
        if (strcmp(json_string_value(json_object_get(c, "period")), period) == 0 &&
            json_equal(json_object_get(c, "dims"), want))
            found = c;
    }
    json_decref(want);
    if (!found)
        fail_msg("no cell %s %s", period, dims);
    return found;
}

static double value(json_t *ind, const char *period, const char *dims) {
    json_t *v = json_object_get(cell(ind, period, dims), "value");
    assert_true(json_is_number(v));
    return json_number_value(v);
}

static const char *text(json_t *ind, const char *period, const char *dims, const char *key) {
    return json_string_value(json_object_get(cell(ind, period, dims), key));
}

/* ---- grouping ------------------------------------------------------------ */

/* A breakdown by country gives one cell per country and the total, each
 * computed from its own rows; an empty cell is left out and said so. */
static void test_grouping_by_dimension(void **state) {
    struct fixture *f = *state;
    compute(f,
            "[{\"id\": \"people\", \"title\": \"People\", \"nodes\": [\"O1\"],\n"
            "  \"calculator\": \"sum\", \"table\": \"events\", \"params\": {\"column\": "
            "\"people\"},\n"
            "  \"disaggregate\": [\"country\"]}]",
            "");
    json_t *ind = indicator(f, "people");
    json_t *periods = json_object_get(ind, "periods");
    assert_int_equal(json_array_size(periods), 1);
    assert_string_equal(json_string_value(json_array_get(periods, 0)), "all");
    assert_float_equal(value(ind, "all", "{}"), 60, 1e-9);
    assert_float_equal(value(ind, "all", "{\"country\": \"KH\"}"), 29, 1e-9);
    assert_float_equal(value(ind, "all", "{\"country\": \"LA\"}"), 31, 1e-9);
    assert_non_null(strstr(text(ind, "all", "{\"country\": \"LA\"}", "note"), "1 empty cell"));
    /* Three cells: the total and the two countries, nothing else. */
    assert_int_equal(json_array_size(json_object_get(ind, "cells")), 3);
    assert_int_equal(json_array_size(json_object_get(f->report, "checks")), 0);
}

/* A filter keeps only the rows it names, in every cell. */
static void test_grouping_with_filter(void **state) {
    struct fixture *f = *state;
    compute(f,
            "[{\"id\": \"kh\", \"title\": \"KH events\", \"nodes\": [\"O1\"],\n"
            "  \"calculator\": \"count\", \"table\": \"events\",\n"
            "  \"filter\": {\"country\": \"KH\"}}]",
            "");
    assert_float_equal(value(indicator(f, "kh"), "all", "{}"), 3, 1e-9);
}

/* ---- periods ------------------------------------------------------------- */

static const char *by_year(const char *aggregation, const char *more) {
    static char buf[1024];
    snprintf(buf, sizeof buf,
             "[{\"id\": \"ind\", \"title\": \"People trained\", \"nodes\": [\"O1\"],\n"
             "  \"calculator\": \"sum\", \"table\": \"events\", \"params\": {\"column\": "
             "\"people\"},\n"
             "  \"period\": \"year\", \"disaggregate\": [\"country\"],\n"
             "  \"aggregation\": \"%s\"%s%s}]",
             aggregation, *more ? ", " : "", more);
    return buf;
}

static void test_periods_cumulative(void **state) {
    struct fixture *f = *state;
    compute(f, by_year("cumulative", ""), "");
    json_t *ind = indicator(f, "ind");
    json_t *want = json_pack("[sss]", "2021", "2022", "2023");
    assert_true(json_equal(json_object_get(ind, "periods"), want));
    json_decref(want);
    assert_float_equal(value(ind, "2021", "{}"), 10, 1e-9);
    assert_float_equal(value(ind, "2022", "{}"), 30, 1e-9);
    assert_float_equal(value(ind, "2023", "{}"), 60, 1e-9);
    assert_float_equal(value(ind, "total", "{}"), 60, 1e-9);
    assert_float_equal(value(ind, "2022", "{\"country\": \"KH\"}"), 19, 1e-9);
    assert_float_equal(value(ind, "total", "{\"country\": \"LA\"}"), 31, 1e-9);
}

static void test_periods_latest(void **state) {
    struct fixture *f = *state;
    compute(f, by_year("latest", ""), "");
    json_t *ind = indicator(f, "ind");
    assert_float_equal(value(ind, "2021", "{}"), 10, 1e-9);
    assert_float_equal(value(ind, "2023", "{}"), 30, 1e-9);
    /* The total is the last period's figure, for each breakdown too. */
    assert_float_equal(value(ind, "total", "{}"), 30, 1e-9);
    assert_float_equal(value(ind, "total", "{\"country\": \"KH\"}"), 10, 1e-9);
}

static void test_periods_periodic(void **state) {
    struct fixture *f = *state;
    compute(f, by_year("periodic", ""), "");
    json_t *ind = indicator(f, "ind");
    assert_float_equal(value(ind, "2021", "{}"), 10, 1e-9);
    assert_float_equal(value(ind, "2022", "{}"), 20, 1e-9);
    assert_float_equal(value(ind, "2023", "{}"), 30, 1e-9);
    assert_float_equal(value(ind, "2022", "{\"country\": \"LA\"}"), 5, 1e-9);
}

/* ---- status -------------------------------------------------------------- */

/* Thresholds from the model (achieved at 95 %, on track from 60 %), not
 * the defaults (100 %, 80 %): 30 of 40 is on track only with the model's. */
static void test_status_against_targets(void **state) {
    struct fixture *f = *state;
    compute(f,
            by_year("cumulative",
                    "\"targets\": {\"2021\": 10, \"2022\": 40, \"2023\": 120, \"total\": 62}"),
            "\"status\": {\"thresholds\": {\"achieved\": 0.95, \"on_track\": 0.6}}");
    json_t *ind = indicator(f, "ind");
    assert_string_equal(text(ind, "2021", "{}", "status"), "achieved");
    assert_string_equal(text(ind, "2022", "{}", "status"), "on track");
    assert_float_equal(json_number_value(json_object_get(cell(ind, "2022", "{}"), "progress")),
                       0.75, 1e-9);
    assert_string_equal(text(ind, "2023", "{}", "status"), "off track");
    assert_string_equal(text(ind, "total", "{}", "status"), "achieved"); /* 60 of 62 */
    /* Targets are for totals: no breakdown has a status. */
    assert_null(text(ind, "2022", "{\"country\": \"KH\"}", "status"));
}

/* Progress is measured from the baseline, and for "lower is better" from
 * above: 20 -> 45 at 30 is 40 % of the way (off track). */
static void test_status_with_baseline(void **state) {
    struct fixture *f = *state;
    compute(f,
            by_year("cumulative", "\"baseline\": {\"period\": \"2020\", \"value\": 20},"
                                  " \"targets\": {\"2022\": 45, \"2023\": 60}"),
            "");
    json_t *ind = indicator(f, "ind");
    assert_string_equal(text(ind, "2022", "{}", "status"), "off track");
    assert_float_equal(json_number_value(json_object_get(cell(ind, "2022", "{}"), "progress")), 0.4,
                       1e-9);
    assert_string_equal(text(ind, "2023", "{}", "status"), "achieved");
}

static void test_status_lower_is_better(void **state) {
    struct fixture *f = *state;
    compute(f,
            by_year("periodic", "\"direction\": \"lower\","
                                " \"baseline\": {\"period\": \"2020\", \"value\": 50},"
                                " \"targets\": {\"2021\": 12, \"2022\": 15}"),
            "");
    json_t *ind = indicator(f, "ind");
    assert_string_equal(text(ind, "2021", "{}", "status"), "achieved"); /* 10 <= 12 */
    assert_string_equal(text(ind, "2022", "{}", "status"), "on track"); /* 30 of 35 */
    assert_float_equal(json_number_value(json_object_get(cell(ind, "2022", "{}"), "progress")),
                       30.0 / 35, 1e-9);
}

/* ---- checks -------------------------------------------------------------- */

/* A figure recorded as printed that the data gives: no finding, and the
 * cell carries it. One the data contradicts: a reported_mismatch naming
 * both. One for a cell the data does not have: reported_without_data. */
static void test_checks_reported_figures(void **state) {
    struct fixture *f = *state;
    compute(f,
            "[{\"id\": \"people\", \"title\": \"People\", \"nodes\": [\"O1\"],\n"
            "  \"calculator\": \"sum\", \"table\": \"events\", \"params\": {\"column\": "
            "\"people\"},\n"
            "  \"disaggregate\": [\"country\"], \"reported\": [\n"
            "   {\"period\": \"all\", \"dims\": {}, \"value\": 60, \"source\": \"p. 3\"},\n"
            "   {\"period\": \"all\", \"dims\": {\"country\": \"KH\"}, \"value\": 30},\n"
            "   {\"period\": \"all\", \"dims\": {\"country\": \"MM\"}, \"value\": 1}]}]",
            "");
    json_t *checks = json_object_get(f->report, "checks");
    assert_int_equal(json_array_size(checks), 2);
    int mismatch = 0, without = 0;
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c) {
        const char *kind = json_string_value(json_object_get(c, "kind"));
        assert_string_equal(json_string_value(json_object_get(c, "indicator")), "people");
        if (strcmp(kind, "reported_mismatch") == 0) {
            mismatch++;
            assert_string_equal(
                json_string_value(json_object_get(json_object_get(c, "dims"), "country")), "KH");
            assert_float_equal(json_number_value(json_object_get(c, "computed")), 29, 1e-9);
            assert_non_null(strstr(json_string_value(json_object_get(c, "message")), "29"));
        } else if (strcmp(kind, "reported_without_data") == 0) {
            without++;
        }
    }
    assert_int_equal(mismatch, 1);
    assert_int_equal(without, 1);
    /* The matching figure is on its cell. */
    assert_float_equal(
        json_number_value(json_object_get(cell(indicator(f, "people"), "all", "{}"), "reported")),
        60, 1e-9);
}

/* ---- roll-up ------------------------------------------------------------- */

/* Each outcome counts its indicators by the status of the latest period,
 * and passes them up the chain; projects under a node are counted by their
 * status. */
static void test_rollup(void **state) {
    struct fixture *f = *state;
    compute(f, by_year("periodic", "\"targets\": {\"2023\": 100}"), "");
    json_t *rollup = json_object_get(f->report, "rollup");
    json_t *o1 = NULL, *g = NULL;
    size_t i;
    json_t *r;
    json_array_foreach(rollup, i, r) {
        const char *node = json_string_value(json_object_get(r, "node"));
        if (strcmp(node, "O1") == 0)
            o1 = r;
        else if (strcmp(node, "G") == 0)
            g = r;
    }
    assert_non_null(o1);
    assert_non_null(g);
    json_t *want = json_pack("{s:i}", "off track", 1); /* 30 of 100 */
    assert_true(json_equal(json_object_get(o1, "indicators"), want));
    assert_true(json_equal(json_object_get(g, "indicators"), want));
    json_decref(want);
    want = json_pack("{s:i}", "completed", 1);
    assert_true(json_equal(json_object_get(o1, "projects"), want));
    json_decref(want);
}

/* ---- number display ------------------------------------------------------ */

static void test_round_half_away_from_zero(void **state) {
    (void)state;
    assert_float_equal(tocmp_round(2.5, 0), 3, 1e-12);
    assert_float_equal(tocmp_round(-2.5, 0), -3, 1e-12);
    assert_float_equal(tocmp_round(0.125, 2), 0.13, 1e-12);
    assert_float_equal(tocmp_round(1234.5678, 1), 1234.6, 1e-9);
}

static void test_display(void **state) {
    (void)state;
    struct {
        double value;
        int has_value, percentage, decimals;
        const char *want;
    } cases[] = {
        {1234567, 1, 0, 0, "1,234,567"}, {0.5125, 1, 1, 1, "51.3%"},   {0.65, 1, 1, 0, "65%"},
        {12.345, 1, 0, 2, "12.35"},      {0, 0, 0, 0, "\xE2\x80\x93"}, {-1500, 1, 0, 0, "-1,500"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = tocmp_display(cases[i].value, cases[i].has_value, cases[i].percentage,
                                  cases[i].decimals);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PATH/TO/calc-basic.so\n", argv[0]);
        return 2;
    }
    calc_basic = argv[1];
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_grouping_by_dimension),
        T(test_grouping_with_filter),
        T(test_periods_cumulative),
        T(test_periods_latest),
        T(test_periods_periodic),
        T(test_status_against_targets),
        T(test_status_with_baseline),
        T(test_status_lower_is_better),
        T(test_checks_reported_figures),
        T(test_rollup),
        cmocka_unit_test(test_round_half_away_from_zero),
        cmocka_unit_test(test_display),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
