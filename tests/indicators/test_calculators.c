/*
 * test_calculators.c -- the calc-basic calculators, called for real through
 * the plugin (issue 5, item 1).
 *
 * Usage: test_calculators PATH/TO/calc-basic.so
 *
 * The plugin is dlopen()ed and entered exactly as tocm's registry does it,
 * with the core's own host table; tables are read from small CSV files by
 * the core's CSV reader. Each calculator is tried on an empty table, a zero
 * denominator (shares and ratios), missing values, one row and many rows.
 * Whatever the input, a figure is either a finite number or no value with a
 * note saying why: never NaN.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dlfcn.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_internal.h"
#include "table.h"
#include "tocm/host.h"
#include "tocm/plugin.h"

static const char *plugin_path;
static void *handle;
static const struct tocm_plugin *plugin;
static char tmpdir[] = "/tmp/tocm-calc-XXXXXX";
static int file_serial;

/* ---- fixtures ---------------------------------------------------------- */

static int load_plugin(void **state) {
    (void)state;
    handle = dlopen(plugin_path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        fprintf(stderr, "dlopen %s: %s\n", plugin_path, dlerror());
        return -1;
    }
    tocm_plugin_entry_fn entry;
    /* ISO C forbids converting void * to a function pointer; POSIX allows
     * it, and memcpy says so without a warning. */
    void *sym = dlsym(handle, TOCM_PLUGIN_ENTRY_NAME);
    if (!sym) {
        fprintf(stderr, "no %s in %s\n", TOCM_PLUGIN_ENTRY_NAME, plugin_path);
        return -1;
    }
    memcpy(&entry, &sym, sizeof entry);
    tocm_error err = {0};
    if (entry(tocm_host_table(), &plugin, &err) != 0 || !plugin) {
        fprintf(stderr, "the plugin refused to load: %s\n", err.text);
        return -1;
    }
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return -1;
    }
    return 0;
}

static int unload_plugin(void **state) {
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    if (handle)
        dlclose(handle);
    return 0;
}

static const struct tocm_calculator *calculator(const char *name) {
    for (const struct tocm_calculator *const *c = plugin->calculators; c && *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    fail_msg("calc-basic has no calculator '%s'", name);
    return NULL;
}

/* Writes csv to a new file in the temporary directory and reads it back as a
 * table. specs: "name:type" pairs, NULL-terminated (type i, d, t or D). */
static struct tocm_table *table_from(const char *csv, ...) {
    char path[512];
    snprintf(path, sizeof path, "%s/t%d.csv", tmpdir, file_serial++);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(csv, 1, strlen(csv), f), strlen(csv));
    assert_int_equal(fclose(f), 0);

    struct tocmp_column_spec specs[16];
    size_t n = 0;
    va_list ap;
    va_start(ap, csv);
    for (const char *s; (s = va_arg(ap, const char *)) != NULL;) {
        assert_true(n < 16);
        const char *colon = strrchr(s, ':');
        assert_non_null(colon);
        specs[n].name = strndup(s, (size_t)(colon - s));
        specs[n].type = colon[1] == 'i'   ? TOCM_CELL_INTEGER
                        : colon[1] == 'd' ? TOCM_CELL_DECIMAL
                        : colon[1] == 'D' ? TOCM_CELL_DATE
                                          : TOCM_CELL_TEXT;
        n++;
    }
    va_end(ap);
    tocm_diags *diags = tocm_diags_new();
    struct tocm_table *t = tocmp_table_load(path, "t.csv", specs, n, diags);
    if (!t)
        tocm_diags_print(diags, stderr);
    assert_non_null(t);
    assert_int_equal(tocm_diags_count(diags), 0);
    tocm_diags_free(diags);
    for (size_t i = 0; i < n; i++)
        free((char *)specs[i].name);
    return t;
}

/* Runs calculator name on rows (all of the table's rows when rows is NULL)
 * with params (JSON text). Returns compute's status; checks the invariants
 * every result must keep. */
static int run_rows(const char *name, const struct tocm_table *t, const char *params,
                    const size_t *rows, size_t row_count, struct tocm_calc_result *r,
                    tocm_error *err) {
    const struct tocm_calculator *calc = calculator(name);
    json_error_t jerr;
    json_t *p = params ? json_loads(params, 0, &jerr) : NULL;
    if (params && !p)
        fail_msg("bad params in the test: %s", jerr.text);
    size_t *all = NULL;
    if (!rows) {
        all = malloc((t->row_count ? t->row_count : 1) * sizeof *all);
        assert_non_null(all);
        for (size_t i = 0; i < t->row_count; i++)
            all[i] = i;
        rows = all;
        row_count = t->row_count;
    }
    struct tocm_calc_request req = {.params = p, .table = t};
    struct tocm_calc_input in = {.size = sizeof in,
                                 .model = NULL,
                                 .table = t,
                                 .rows = rows,
                                 .row_count = row_count,
                                 .request = &req};
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    memset(err, 0, sizeof *err);
    int rc = calc->compute(tocm_host_table(), &in, r, err);
    free(all);
    json_decref(p);
    if (rc == 0) {
        assert_true(err->text[0] == '\0');
        /* A figure is finite, or absent with a reason. */
        if (r->has_value)
            assert_true(isfinite(r->value));
        else
            assert_true(r->note[0] != '\0');
        if (r->has_ratio) {
            assert_true(isfinite(r->numerator));
            assert_true(isfinite(r->denominator));
        }
        assert_true(r->part_count <= TOCM_CALC_MAX_PARTS);
    } else {
        assert_int_equal(rc, -1);
        assert_true(err->text[0] != '\0');
    }
    return rc;
}

static int run(const char *name, const struct tocm_table *t, const char *params,
               struct tocm_calc_result *r) {
    tocm_error err;
    int rc = run_rows(name, t, params, NULL, 0, r, &err);
    if (rc != 0)
        fprintf(stderr, "%s failed: %s (%s)\n", name, err.text, err.source);
    assert_int_equal(rc, 0);
    return rc;
}

/* The calculator must refuse (rc -1) with a message containing want. */
static void run_fails(const char *name, const struct tocm_table *t, const char *params,
                      const char *want) {
    struct tocm_calc_result r;
    tocm_error err;
    assert_int_equal(run_rows(name, t, params, NULL, 0, &r, &err), -1);
    if (!strstr(err.text, want))
        fail_msg("%s: expected an error containing \"%s\", got \"%s\"", name, want, err.text);
}

static void assert_value(const struct tocm_calc_result *r, double want) {
    if (!r->has_value)
        fail_msg("no value (%s), expected %.17g", r->note, want);
    if (fabs(r->value - want) > 1e-9 * fmax(1, fabs(want)))
        fail_msg("value %.17g, expected %.17g", r->value, want);
}

static void assert_no_value(const struct tocm_calc_result *r, const char *note) {
    if (r->has_value)
        fail_msg("value %.17g, expected none (%s)", r->value, note);
    if (!strstr(r->note, note))
        fail_msg("note \"%s\", expected \"%s\"", r->note, note);
}

static void assert_ratio(const struct tocm_calc_result *r, double num, double den) {
    assert_int_equal(r->has_ratio, 1);
    assert_true(r->numerator == num);
    assert_true(r->denominator == den);
}

/* A table of n people: id, country (KH/LA/PH by i % 3), sex (female when i
 * is even), age = i % 50 (empty when i % 7 == 0), hours = i / 4. */
static struct tocm_table *people(size_t n) {
    size_t cap = 64 + n * 48;
    char *csv = malloc(cap);
    assert_non_null(csv);
    size_t len = (size_t)snprintf(csv, cap, "id,country,sex,age,hours\n");
    static const char *const countries[] = {"KH", "LA", "PH"};
    for (size_t i = 0; i < n; i++) {
        char age[16] = "";
        if (i % 7)
            snprintf(age, sizeof age, "%zu", i % 50);
        len += (size_t)snprintf(csv + len, cap - len, "p%zu,%s,%s,%s,%.2f\n", i % 997,
                                countries[i % 3], i % 2 ? "male" : "female", age, i / 4.0);
    }
    struct tocm_table *t = table_from(csv, "age:i", "hours:d", NULL);
    free(csv);
    return t;
}

/* ---- count ------------------------------------------------------------- */

static void count_empty(void **state) {
    (void)state;
    struct tocm_table *t = table_from("country,sex\n", NULL);
    assert_int_equal(t->row_count, 0);
    struct tocm_calc_result r;
    run("count", t, NULL, &r);
    assert_value(&r, 0); /* no events is a figure: 0 */
    run("count", t, "{\"where\": {\"sex\": \"female\"}}", &r);
    assert_value(&r, 0);
    tocmp_table_free(t);
}

static void count_missing_values(void **state) {
    (void)state;
    /* Rows with empty cells are still rows; an empty cell matches no filter. */
    struct tocm_table *t = table_from("country,sex,n\nKH,,\n,female,3\nLA,male,\n", "n:i", NULL);
    struct tocm_calc_result r;
    run("count", t, NULL, &r);
    assert_value(&r, 3);
    run("count", t, "{\"where\": {\"sex\": [\"female\", \"male\"]}}", &r);
    assert_value(&r, 2);
    run("count", t, "{\"where\": {\"n\": {\"min\": 0}}}", &r);
    assert_value(&r, 1);
    run("count", t, "{\"where\": {\"sex\": \"\"}}", &r);
    assert_value(&r, 1);
    tocmp_table_free(t);
}

static void count_one_row(void **state) {
    (void)state;
    struct tocm_table *t = table_from("country,sex\nKH,female\n", NULL);
    struct tocm_calc_result r;
    run("count", t, NULL, &r);
    assert_value(&r, 1);
    assert_int_equal(r.has_ratio, 0);
    run("count", t, "{\"where\": {\"sex\": \"male\"}}", &r);
    assert_value(&r, 0);
    tocmp_table_free(t);
}

static void count_many_rows(void **state) {
    (void)state;
    struct tocm_table *t = people(3000);
    struct tocm_calc_result r;
    run("count", t, NULL, &r);
    assert_value(&r, 3000);
    run("count", t, "{\"where\": {\"sex\": \"female\", \"country\": \"KH\"}}", &r);
    assert_value(&r, 500); /* i % 6 == 0 */
    run("count", t, "{\"where\": {\"age\": {\"min\": 10, \"max\": 19}}}", &r);
    size_t want = 0;
    for (size_t i = 0; i < 3000; i++)
        want += i % 7 && i % 50 >= 10 && i % 50 <= 19;
    assert_value(&r, (double)want);
    /* Only the rows handed over count, not the whole table. */
    size_t rows[] = {1, 3, 5, 2999};
    tocm_error err;
    assert_int_equal(run_rows("count", t, NULL, rows, 4, &r, &err), 0);
    assert_value(&r, 4);
    assert_int_equal(run_rows("count", t, NULL, rows, 0, &r, &err), 0);
    assert_value(&r, 0);
    tocmp_table_free(t);
}

/* ---- sum --------------------------------------------------------------- */

static void sum_empty(void **state) {
    (void)state;
    struct tocm_table *t = table_from("country,people\n", "people:i", NULL);
    struct tocm_calc_result r;
    run("sum", t, "{\"column\": \"people\"}", &r);
    assert_value(&r, 0);
    assert_string_equal(r.note, "");
    tocmp_table_free(t);
}

static void sum_missing_values(void **state) {
    (void)state;
    struct tocm_table *t = table_from("country,people\nKH,\nLA,5\nPH,\nVN,-2\n", "people:i", NULL);
    struct tocm_calc_result r;
    run("sum", t, "{\"column\": \"people\"}", &r);
    assert_value(&r, 3);
    assert_string_equal(r.note, "2 empty cell(s) left out");
    /* Only empty cells: no figure, since 0 would claim a count nobody made. */
    size_t rows[] = {0, 2};
    tocm_error err;
    assert_int_equal(run_rows("sum", t, "{\"column\": \"people\"}", rows, 2, &r, &err), 0);
    assert_no_value(&r, "no value reported (2 empty cell(s))");
    tocmp_table_free(t);
}

static void sum_one_row(void **state) {
    (void)state;
    struct tocm_table *t = table_from("country,amount\nKH,12.5\n", "amount:d", NULL);
    struct tocm_calc_result r;
    run("sum", t, "{\"column\": \"amount\"}", &r);
    assert_value(&r, 12.5);
    run("sum", t, "{\"column\": \"amount\", \"where\": {\"country\": \"LA\"}}", &r);
    assert_value(&r, 0);
    tocmp_table_free(t);
}

static void sum_many_rows(void **state) {
    (void)state;
    struct tocm_table *t = people(3000);
    struct tocm_calc_result r;
    double want = 0, want_kh = 0;
    for (size_t i = 0; i < 3000; i++)
        if (i % 7) {
            want += (double)(i % 50);
            want_kh += i % 3 == 0 ? (double)(i % 50) : 0;
        }
    run("sum", t, "{\"column\": \"age\"}", &r);
    assert_value(&r, want);
    run("sum", t, "{\"column\": \"age\", \"where\": {\"country\": \"KH\"}}", &r);
    assert_value(&r, want_kh);
    run("sum", t, "{\"column\": \"hours\"}", &r);
    assert_value(&r, 2999.0 * 3000 / 2 / 4);
    tocmp_table_free(t);
}

static void sum_bad_params(void **state) {
    (void)state;
    struct tocm_table *t = table_from("country,people\nKH,3\n", "people:i", NULL);
    run_fails("sum", t, NULL, "the parameter 'column' (a column name) is required");
    run_fails("sum", t, "{\"column\": \"persons\"}", "no column 'persons'");
    /* A column that is not numeric is an error, not a row of empty cells. */
    run_fails("sum", t, "{\"column\": \"country\"}", "'country'");
    tocmp_table_free(t);
}

/* ---- mean -------------------------------------------------------------- */

static void mean_empty(void **state) {
    (void)state;
    struct tocm_table *t = table_from("score,respondents\n", "score:d", "respondents:i", NULL);
    struct tocm_calc_result r;
    run("mean", t, "{\"column\": \"score\"}", &r);
    assert_no_value(&r, "no values to average");
    run("mean", t, "{\"column\": \"score\", \"weight\": \"respondents\"}", &r);
    assert_no_value(&r, "no values to average");
    tocmp_table_free(t);
}

static void mean_zero_weight(void **state) {
    (void)state;
    struct tocm_table *t =
        table_from("score,respondents\n0.5,0\n0.9,0\n", "score:d", "respondents:i", NULL);
    struct tocm_calc_result r;
    run("mean", t, "{\"column\": \"score\", \"weight\": \"respondents\"}", &r);
    assert_no_value(&r, "no values to average");
    run("mean", t, "{\"column\": \"score\"}", &r);
    assert_value(&r, 0.7);
    tocmp_table_free(t);
}

static void mean_missing_values(void **state) {
    (void)state;
    struct tocm_table *t = table_from("score,respondents\n0.5,10\n,20\n0.8,\n0.2,30\n", "score:d",
                                      "respondents:i", NULL);
    struct tocm_calc_result r;
    run("mean", t, "{\"column\": \"score\"}", &r);
    assert_value(&r, 1.5 / 3);
    assert_string_equal(r.note, "1 row(s) with an empty value left out");
    /* A row without a weight cannot be weighted: left out as well. */
    run("mean", t, "{\"column\": \"score\", \"weight\": \"respondents\"}", &r);
    assert_value(&r, (0.5 * 10 + 0.2 * 30) / 40);
    assert_string_equal(r.note, "2 row(s) with an empty value left out");
    size_t rows[] = {1};
    tocm_error err;
    assert_int_equal(run_rows("mean", t, "{\"column\": \"score\"}", rows, 1, &r, &err), 0);
    assert_no_value(&r, "no values to average");
    tocmp_table_free(t);
}

static void mean_one_row(void **state) {
    (void)state;
    struct tocm_table *t =
        table_from("score,respondents\n0.25,4\n", "score:d", "respondents:i", NULL);
    struct tocm_calc_result r;
    run("mean", t, "{\"column\": \"score\"}", &r);
    assert_value(&r, 0.25);
    run("mean", t, "{\"column\": \"score\", \"weight\": \"respondents\"}", &r);
    assert_value(&r, 0.25);
    tocmp_table_free(t);
}

static void mean_many_rows(void **state) {
    (void)state;
    struct tocm_table *t = people(3000);
    struct tocm_calc_result r;
    double sum = 0, n = 0, wsum = 0, w = 0;
    for (size_t i = 0; i < 3000; i++)
        if (i % 7) {
            sum += (double)(i % 50);
            n++;
            wsum += (double)(i % 50) * (i / 4.0);
            w += i / 4.0;
        }
    run("mean", t, "{\"column\": \"age\"}", &r);
    assert_value(&r, sum / n);
    run("mean", t, "{\"column\": \"age\", \"weight\": \"hours\"}", &r);
    assert_value(&r, wsum / w);
    run_fails("mean", t, "{\"column\": \"age\", \"weight\": \"nope\"}", "no column 'nope'");
    run_fails("mean", t, "{}", "the parameter 'column'");
    tocmp_table_free(t);
}

/* ---- share ------------------------------------------------------------- */

static const char share_params[] =
    "{\"numerator\": {\"feedback\": \"yes\"}, \"denominator\": {\"type\": \"training\"}}";

static void share_empty(void **state) {
    (void)state;
    struct tocm_table *t = table_from("type,feedback,people\n", "people:i", NULL);
    struct tocm_calc_result r;
    run("share", t, share_params, &r);
    assert_no_value(&r, "the denominator is 0");
    assert_ratio(&r, 0, 0);
    tocmp_table_free(t);
}

static void share_zero_denominator(void **state) {
    (void)state;
    /* Rows, but none in the denominator: no figure, neither 0 % nor 100 %. */
    struct tocm_table *t =
        table_from("type,feedback,people\nwebinar,yes,4\nwebinar,no,2\n", "people:i", NULL);
    struct tocm_calc_result r;
    run("share", t, share_params, &r);
    assert_no_value(&r, "the denominator is 0");
    assert_int_equal(r.has_ratio, 1);
    assert_true(r.denominator == 0);
    /* Summed: the denominator's counts are all 0. */
    struct tocm_table *z =
        table_from("type,feedback,people\ntraining,yes,0\ntraining,no,0\n", "people:i", NULL);
    run("share", z,
        "{\"numerator\": {\"feedback\": \"yes\"}, \"denominator\": {\"type\": \"training\"}, "
        "\"column\": \"people\"}",
        &r);
    assert_no_value(&r, "the denominator is 0");
    assert_ratio(&r, 0, 0);
    tocmp_table_free(z);
    tocmp_table_free(t);
}

static void share_missing_values(void **state) {
    (void)state;
    struct tocm_table *t = table_from("type,feedback,people\n"
                                      "training,yes,10\n"
                                      "training,,5\n"   /* no answer: not in the numerator */
                                      "training,yes,\n" /* no count: adds nothing */
                                      ",yes,7\n"        /* no type: not in the denominator */
                                      "training,no,5\n",
                                      "people:i", NULL);
    struct tocm_calc_result r;
    run("share", t, share_params, &r);
    /* Rows: the numerator is counted inside the denominator only, so the
     * row without a type is no part of the share. */
    assert_ratio(&r, 2, 4);
    assert_value(&r, 0.5);
    run("share", t,
        "{\"numerator\": {\"feedback\": \"yes\"}, \"denominator\": {\"type\": \"training\"}, "
        "\"column\": \"people\"}",
        &r);
    assert_ratio(&r, 10, 20);
    assert_value(&r, 0.5);
    tocmp_table_free(t);
}

static void share_one_row(void **state) {
    (void)state;
    struct tocm_table *t = table_from("type,feedback,people\ntraining,yes,3\n", "people:i", NULL);
    struct tocm_calc_result r;
    run("share", t, share_params, &r);
    assert_ratio(&r, 1, 1);
    assert_value(&r, 1);
    run("share", t, "{\"numerator\": {\"feedback\": \"no\"}}", &r);
    assert_ratio(&r, 0, 1); /* no denominator filter: every row */
    assert_value(&r, 0);
    tocmp_table_free(t);
}

static void share_many_rows(void **state) {
    (void)state;
    struct tocm_table *t = people(3000);
    struct tocm_calc_result r;
    /* Women among KH participants: i % 3 == 0 of whom i % 2 == 0. */
    run("share", t,
        "{\"numerator\": {\"sex\": \"female\"}, \"denominator\": {\"country\": \"KH\"}}", &r);
    assert_ratio(&r, 500, 1000);
    assert_value(&r, 0.5);
    double num = 0, den = 0;
    for (size_t i = 0; i < 3000; i++)
        if (i % 3 == 1) {
            den += i / 4.0;
            num += i % 2 ? 0 : i / 4.0;
        }
    run("share", t,
        "{\"numerator\": {\"sex\": \"female\"}, \"denominator\": {\"country\": \"LA\"}, "
        "\"column\": \"hours\"}",
        &r);
    assert_ratio(&r, num, den);
    assert_value(&r, num / den);
    run_fails("share", t, "{\"column\": \"gone\"}", "no column 'gone'");
    tocmp_table_free(t);
}

/* ---- ratio ------------------------------------------------------------- */

static const char ratio_params[] =
    "{\"numerator_column\": \"spent\", \"denominator_column\": \"budget\"}";

static void ratio_empty(void **state) {
    (void)state;
    struct tocm_table *t = table_from("country,spent,budget\n", "spent:d", "budget:d", NULL);
    struct tocm_calc_result r;
    run("ratio", t, ratio_params, &r);
    assert_no_value(&r, "the denominator is 0");
    assert_ratio(&r, 0, 0);
    tocmp_table_free(t);
}

static void ratio_zero_denominator(void **state) {
    (void)state;
    struct tocm_table *t =
        table_from("country,spent,budget\nKH,5,0\nLA,3,0\n", "spent:d", "budget:d", NULL);
    struct tocm_calc_result r;
    run("ratio", t, ratio_params, &r);
    assert_no_value(&r, "the denominator is 0");
    assert_ratio(&r, 8, 0);
    /* Denominators that cancel out are 0 as well. */
    struct tocm_table *c =
        table_from("country,spent,budget\nKH,5,2.5\nLA,3,-2.5\n", "spent:d", "budget:d", NULL);
    run("ratio", c, ratio_params, &r);
    assert_no_value(&r, "the denominator is 0");
    tocmp_table_free(c);
    tocmp_table_free(t);
}

static void ratio_missing_values(void **state) {
    (void)state;
    struct tocm_table *t =
        table_from("country,spent,budget\nKH,,10\nLA,6,\nPH,4,20\n", "spent:d", "budget:d", NULL);
    struct tocm_calc_result r;
    run("ratio", t, ratio_params, &r);
    assert_ratio(&r, 10, 30);
    assert_value(&r, 1.0 / 3);
    size_t rows[] = {0};
    tocm_error err;
    assert_int_equal(run_rows("ratio", t, ratio_params, rows, 1, &r, &err), 0);
    assert_ratio(&r, 0, 10);
    assert_value(&r, 0);
    rows[0] = 1;
    assert_int_equal(run_rows("ratio", t, ratio_params, rows, 1, &r, &err), 0);
    assert_no_value(&r, "the denominator is 0");
    tocmp_table_free(t);
}

static void ratio_one_row(void **state) {
    (void)state;
    struct tocm_table *t =
        table_from("country,spent,budget\nKH,75,100\n", "spent:d", "budget:d", NULL);
    struct tocm_calc_result r;
    run("ratio", t, ratio_params, &r);
    assert_ratio(&r, 75, 100);
    assert_value(&r, 0.75);
    run_fails("ratio", t, "{\"numerator_column\": \"spent\"}",
              "the parameter 'denominator_column' (a column name) is required");
    run_fails("ratio", t, "{\"denominator_column\": \"budget\"}",
              "the parameter 'numerator_column' (a column name) is required");
    tocmp_table_free(t);
}

static void ratio_many_rows(void **state) {
    (void)state;
    struct tocm_table *t = people(3000);
    struct tocm_calc_result r;
    double num = 0, den = 0;
    for (size_t i = 0; i < 3000; i++)
        if (i % 3 == 2) {
            num += i % 7 ? (double)(i % 50) : 0;
            den += i / 4.0;
        }
    run("ratio", t,
        "{\"numerator_column\": \"age\", \"denominator_column\": \"hours\", "
        "\"where\": {\"country\": \"PH\"}}",
        &r);
    assert_ratio(&r, num, den);
    assert_value(&r, num / den);
    tocmp_table_free(t);
}

/* ---- distinct ---------------------------------------------------------- */

static void distinct_empty(void **state) {
    (void)state;
    struct tocm_table *t = table_from("person_id,country\n", NULL);
    struct tocm_calc_result r;
    run("distinct", t, "{\"column\": \"person_id\"}", &r);
    assert_value(&r, 0);
    tocmp_table_free(t);
}

static void distinct_missing_values(void **state) {
    (void)state;
    /* An empty identifier cannot be told apart from another: not counted. */
    struct tocm_table *t = table_from("person_id,country\nA,KH\n,KH\nB,LA\n,LA\nA,LA\n", NULL);
    struct tocm_calc_result r;
    run("distinct", t, "{\"column\": \"person_id\"}", &r);
    assert_value(&r, 2);
    size_t rows[] = {1, 3};
    tocm_error err;
    assert_int_equal(run_rows("distinct", t, "{\"column\": \"person_id\"}", rows, 2, &r, &err), 0);
    assert_value(&r, 0);
    tocmp_table_free(t);
}

static void distinct_one_row(void **state) {
    (void)state;
    struct tocm_table *t = table_from("person_id,country\nA,KH\n", NULL);
    struct tocm_calc_result r;
    run("distinct", t, "{\"column\": \"person_id\"}", &r);
    assert_value(&r, 1);
    run("distinct", t, "{\"column\": \"person_id\", \"where\": {\"country\": \"LA\"}}", &r);
    assert_value(&r, 0);
    run_fails("distinct", t, NULL, "the parameter 'column'");
    tocmp_table_free(t);
}

static void distinct_many_rows(void **state) {
    (void)state;
    /* 3000 rows over ids p0..p996: every id once, the first three times. */
    struct tocm_table *t = people(3000);
    struct tocm_calc_result r;
    run("distinct", t, "{\"column\": \"id\"}", &r);
    assert_value(&r, 997);
    run("distinct", t, "{\"column\": \"country\"}", &r);
    assert_value(&r, 3);
    /* People in KH: i % 3 == 0, ids i % 997. */
    unsigned char seen[997] = {0};
    size_t want = 0;
    for (size_t i = 0; i < 3000; i += 3)
        if (!seen[i % 997]++)
            want++;
    run("distinct", t, "{\"column\": \"id\", \"where\": {\"country\": \"KH\"}}", &r);
    assert_value(&r, (double)want);
    tocmp_table_free(t);
}

/* ---- gesi -------------------------------------------------------------- */

static void assert_parts(const struct tocm_calc_result *r, double f, double m, double o) {
    assert_int_equal(r->part_count, 3);
    assert_string_equal(r->parts[0].name, "female");
    assert_string_equal(r->parts[1].name, "male");
    assert_string_equal(r->parts[2].name, "other");
    assert_true(r->parts[0].value == f);
    assert_true(r->parts[1].value == m);
    assert_true(r->parts[2].value == o);
}

static void gesi_empty(void **state) {
    (void)state;
    struct tocm_table *t = table_from("sex,people\n", "people:i", NULL);
    struct tocm_calc_result r;
    run("gesi", t, NULL, &r);
    assert_no_value(&r, "nobody counted");
    assert_ratio(&r, 0, 0);
    assert_parts(&r, 0, 0, 0);
    run("gesi", t, "{\"column\": \"people\"}", &r);
    assert_no_value(&r, "nobody counted");
    tocmp_table_free(t);
}

static void gesi_zero_denominator(void **state) {
    (void)state;
    /* Rows, but nobody counted: empty sex cells and zero counts. */
    struct tocm_table *t = table_from("sex,people\n,5\nfemale,0\nmale,0\n", "people:i", NULL);
    struct tocm_calc_result r;
    run("gesi", t, "{\"column\": \"people\"}", &r);
    assert_no_value(&r, "nobody counted");
    assert_ratio(&r, 0, 0);
    tocmp_table_free(t);
}

static void gesi_missing_values(void **state) {
    (void)state;
    struct tocm_table *t = table_from("gender,people\n"
                                      "F,10\n"
                                      ",4\n" /* sex unknown: nobody counted */
                                      "M,\n" /* no count: nothing added */
                                      "M,6\n"
                                      "X,2\n" /* neither: other */
                                      "F,\n",
                                      "people:i", NULL);
    struct tocm_calc_result r;
    run("gesi", t,
        "{\"sex_column\": \"gender\", \"female\": \"F\", \"male\": \"M\", \"column\": \"people\"}",
        &r);
    assert_parts(&r, 10, 6, 2);
    assert_ratio(&r, 10, 18);
    assert_value(&r, 10.0 / 18);
    /* One row per person: the rows with a sex count, whatever the count. */
    run("gesi", t, "{\"sex_column\": \"gender\", \"female\": \"F\", \"male\": \"M\"}", &r);
    assert_parts(&r, 2, 2, 1);
    assert_value(&r, 0.4);
    tocmp_table_free(t);
}

static void gesi_one_row(void **state) {
    (void)state;
    struct tocm_table *t = table_from("sex\nmale\n", NULL);
    struct tocm_calc_result r;
    run("gesi", t, NULL, &r); /* the column 'sex' by default */
    assert_parts(&r, 0, 1, 0);
    assert_value(&r, 0);
    struct tocm_table *u = table_from("gender\nfemale\n", NULL);
    run_fails("gesi", u, NULL, "sex_column");
    run("gesi", u, "{\"sex_column\": \"gender\"}", &r);
    assert_value(&r, 1);
    run_fails("gesi", u, "{\"sex_column\": \"sexe\"}", "no column 'sexe'");
    tocmp_table_free(u);
    tocmp_table_free(t);
}

static void gesi_many_rows(void **state) {
    (void)state;
    struct tocm_table *t = people(3000);
    struct tocm_calc_result r;
    run("gesi", t, NULL, &r);
    assert_parts(&r, 1500, 1500, 0);
    assert_value(&r, 0.5);
    double f = 0, m = 0;
    for (size_t i = 0; i < 3000; i++)
        if (i % 7)
            *(i % 2 ? &m : &f) += (double)(i % 50);
    run("gesi", t, "{\"column\": \"age\"}", &r);
    assert_parts(&r, f, m, 0);
    assert_ratio(&r, f, f + m);
    assert_value(&r, f / (f + m));
    tocmp_table_free(t);
}

/* ---- the plugin itself ------------------------------------------------- */

static void plugin_lists_every_calculator(void **state) {
    (void)state;
    assert_string_equal(plugin->name, "calc-basic");
    static const char *const names[] = {"count", "sum",      "mean", "share",
                                        "ratio", "distinct", "gesi", "recorded"};
    size_t n = 0;
    for (const struct tocm_calculator *const *c = plugin->calculators; *c; c++) {
        assert_int_equal(TOCM_ABI_MAJOR_OF((*c)->abi), TOCM_ABI_MAJOR);
        assert_non_null((*c)->compute);
        assert_non_null((*c)->summary);
        n++;
    }
    assert_int_equal(n, sizeof names / sizeof names[0]);
    for (size_t i = 0; i < n; i++)
        assert_non_null(calculator(names[i]));
    /* count and sum add up across disjoint rows; the others do not. */
    assert_true(calculator("count")->flags & TOCM_CALC_ADDITIVE);
    assert_true(calculator("sum")->flags & TOCM_CALC_ADDITIVE);
    assert_false(calculator("mean")->flags & TOCM_CALC_ADDITIVE);
    assert_false(calculator("distinct")->flags & TOCM_CALC_ADDITIVE);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PATH/TO/calc-basic.so\n", argv[0]);
        return 2;
    }
    plugin_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plugin_lists_every_calculator),
        cmocka_unit_test(count_empty),
        cmocka_unit_test(count_missing_values),
        cmocka_unit_test(count_one_row),
        cmocka_unit_test(count_many_rows),
        cmocka_unit_test(sum_empty),
        cmocka_unit_test(sum_missing_values),
        cmocka_unit_test(sum_one_row),
        cmocka_unit_test(sum_many_rows),
        cmocka_unit_test(sum_bad_params),
        cmocka_unit_test(mean_empty),
        cmocka_unit_test(mean_zero_weight),
        cmocka_unit_test(mean_missing_values),
        cmocka_unit_test(mean_one_row),
        cmocka_unit_test(mean_many_rows),
        cmocka_unit_test(share_empty),
        cmocka_unit_test(share_zero_denominator),
        cmocka_unit_test(share_missing_values),
        cmocka_unit_test(share_one_row),
        cmocka_unit_test(share_many_rows),
        cmocka_unit_test(ratio_empty),
        cmocka_unit_test(ratio_zero_denominator),
        cmocka_unit_test(ratio_missing_values),
        cmocka_unit_test(ratio_one_row),
        cmocka_unit_test(ratio_many_rows),
        cmocka_unit_test(distinct_empty),
        cmocka_unit_test(distinct_missing_values),
        cmocka_unit_test(distinct_one_row),
        cmocka_unit_test(distinct_many_rows),
        cmocka_unit_test(gesi_empty),
        cmocka_unit_test(gesi_zero_denominator),
        cmocka_unit_test(gesi_missing_values),
        cmocka_unit_test(gesi_one_row),
        cmocka_unit_test(gesi_many_rows),
    };
    return cmocka_run_group_tests(tests, load_plugin, unload_plugin);
}
