/*
 * test_record.c -- tocm_edit_record and tocm_edit_record_csv (core/record*.c)
 * through the public API, on a model and results table
 * in a scratch directory: a figure appended, a qualitative one, a replaced
 * one, every problem of a record listed (and nothing changed), the bulk
 * file's line numbers (blank lines and a quoted line break counted), CSV
 * quoting and the formula guard read back exactly, a table made and wired
 * in for an indicator without one, and a dry run writing nothing.
 */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "scratch_files.h"
// clang-format on

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tocm/tocm.h"
#include "util.h"

static const char model_json[] =
    "{\"tocm\": 1,\n"
    " \"program\": {\"id\": \"t\", \"title\": \"Record test\", \"countries\": [\"KH\", "
    "\"LA\"]},\n"
    " \"levels\": [\"goal\", \"output\"],\n"
    " \"nodes\": [{\"id\": \"G\", \"level\": \"goal\", \"title\": \"Goal\"}],\n"
    " \"tables\": {\"cases\": {\"path\": \"cases.csv\", \"columns\": {\"year\": \"integer\",\n"
    "   \"country\": \"text\", \"value\": \"decimal\"}},\n"
    "   \"sop\": {\"path\": \"sop.csv\", \"columns\": {\"year\": \"integer\"}}},\n"
    " \"indicators\": [\n"
    "  {\"id\": \"C\", \"title\": \"Cases\", \"nodes\": [\"G\"], \"calculator\": \"recorded\",\n"
    "   \"table\": \"cases\", \"period\": \"year\", \"disaggregate\": [\"country\"],\n"
    "   \"targets\": {\"2024\": 10, \"2025\": 20}},\n"
    "  {\"id\": \"Q\", \"title\": \"Procedure\", \"nodes\": [\"G\"], \"measure\": "
    "\"qualitative\",\n"
    "   \"calculator\": \"recorded\", \"table\": \"sop\", \"period\": \"year\",\n"
    "   \"targets\": {\"2025\": \"Signed\"}},\n"
    "  {\"id\": \"S\", \"title\": \"Sum\", \"nodes\": [\"G\"], \"calculator\": \"sum\", "
    "\"table\": \"cases\",\n"
    "   \"params\": {\"column\": \"value\"}}]}\n";

static const char cases_csv[] = "year,country,value\n2024,KH,4\n";

struct fixture {
    char dir[64];
    char *model, *cases, *sop;
    tocm_diags *problems;
    tocm_edit *edit;
};

static int setup(void **state) {
    struct fixture *f = tocmp_xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/tocm-record-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->model = tocmp_asprintf("%s/model.json", f->dir);
    f->cases = tocmp_asprintf("%s/cases.csv", f->dir);
    f->sop = tocmp_asprintf("%s/sop.csv", f->dir);
    put(f->model, model_json);
    /* Canonical, as a model under tocm's care is: a commit then changes
     * only what the test changes. */
    tocm_diags *c = tocm_diags_new();
    tocm_model *m = NULL;
    if (tocm_model_load_file(f->model, c, &m) != TOCM_OK)
        return -1;
    size_t len;
    char *canon = tocm_model_format(m, &len), err[TOCM_MESSAGE_SIZE];
    int written = tocm_write_file_atomic(f->model, canon, len, err, sizeof err);
    free(canon);
    tocm_model_free(m);
    tocm_diags_free(c);
    if (written != TOCM_OK)
        return -1;
    put(f->cases, cases_csv);
    put(f->sop, "year,value,status\n");
    f->problems = tocm_diags_new();
    tocm_diags *d = tocm_diags_new();
    int rc = tocm_edit_open(f->model, NULL, d, &f->edit);
    tocm_diags_free(d);
    if (rc != TOCM_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    struct fixture *f = *state;
    tocm_edit_close(f->edit);
    tocm_diags_free(f->problems);
    char *cmd = tocmp_asprintf("rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(f->model);
    free(f->cases);
    free(f->sop);
    free(f);
    return 0;
}

static const char *const country[] = {"country"};

static tocm_record rec(const char *period, const char *const *values, const char *value) {
    return (tocm_record){.period = period,
                         .dim_keys = country,
                         .dim_values = values,
                         .dim_count = values ? 1 : 0,
                         .value = value};
}

static void commit_ok(struct fixture *f, int flags) {
    tocm_diags *added = tocm_diags_new();
    int rc = tocm_edit_commit(f->edit, flags, added);
    if (rc != TOCM_OK) {
        tocm_diags_print(added, stderr);
        fail_msg("commit: %s", tocm_edit_error(f->edit));
    }
    tocm_diags_free(added);
}

static void test_append_and_replace(void **state) {
    struct fixture *f = *state;
    static const char *const la[] = {"LA"}, *const kh[] = {"KH"};
    tocm_record r[2] = {rec("2024", la, "7"), rec("2025", kh, "12.5")};
    r[1].comment = "=1+1";
    r[1].source = "Register, \"final\" copy";
    assert_int_equal(tocm_edit_record(f->edit, "C", r, 2, 0, NULL, f->problems), TOCM_OK);
    tocm_record again = rec("2024", kh, "5");
    assert_int_equal(
        tocm_edit_record(f->edit, "C", &again, 1, TOCM_RECORD_REPLACE, NULL, f->problems), TOCM_OK);
    if (tocm_diags_count(f->problems))
        fail_msg("%s", tocm_diags_get(f->problems, 0)->message);
    commit_ok(f, 0);
    char *text = slurp(f->cases);
    /* The replaced figure stays in its row; the others follow; a comment
     * that would run as a formula is guarded; the quote is doubled. */
    assert_string_equal(text, "year,country,value,comment,source\n"
                              "2024,KH,5,,\n"
                              "2024,LA,7,,\n"
                              "2025,KH,12.5,'=1+1,\"Register, \"\"final\"\" copy\"\n");
    free(text);
    /* The table gained two columns, typed in the model. */
    char *model = slurp(f->model);
    assert_non_null(strstr(model, "\"comment\": \"text\""));
    free(model);
}

static void test_every_problem_listed(void **state) {
    struct fixture *f = *state;
    static const char *const vn[] = {"VN"}, *const kh[] = {"KH"};
    tocm_record r[4] = {rec("2030", vn, "1,5"), rec("2024", kh, "3"), rec("2025", NULL, "2"),
                        rec("2025", kh, "")};
    r[0].line = 2;
    r[1].line = 3;
    r[2].line = 4;
    r[3].line = 5;
    assert_int_equal(tocm_edit_record(f->edit, "C", r, 4, 0, "in.csv", f->problems), TOCM_EINVALID);
    /* 2030, VN, 1,5 (line 2); KH 2024 already there (3); no country (4);
     * empty value without a comment (5): in the file's order. */
    assert_int_equal(tocm_diags_count(f->problems), 6);
    static const int lines[] = {2, 2, 2, 3, 4, 5};
    static const char *const columns[] = {"year", "country", "value", "value", "country", "value"};
    for (size_t i = 0; i < 6; i++) {
        const tocm_diag *d = tocm_diags_get(f->problems, i);
        assert_int_equal(d->line, lines[i]);
        assert_string_equal(d->path, columns[i]);
        assert_string_equal(d->file, "in.csv");
    }
    assert_non_null(strstr(tocm_edit_error(f->edit), "6 problems in in.csv"));
    /* Nothing to write: the commit changes nothing. */
    commit_ok(f, 0);
    assert_false(tocm_edit_changed(f->edit));
    char *text = slurp(f->cases);
    assert_string_equal(text, cases_csv);
    free(text);
}

static void test_refusals(void **state) {
    struct fixture *f = *state;
    tocm_record r = rec("2024", NULL, "3");
    assert_int_equal(tocm_edit_record(f->edit, "S", &r, 1, 0, NULL, f->problems), TOCM_EINVALID);
    assert_non_null(strstr(tocm_edit_error(f->edit), "calculator 'sum'"));
    assert_int_equal(tocm_edit_record(f->edit, "NOPE", &r, 1, 0, NULL, f->problems), TOCM_EINVALID);
    /* A status on a numeric indicator; a line break in a comment. */
    static const char *const kh[] = {"KH"};
    tocm_record s = rec("2025", kh, "3");
    s.status = "achieved";
    s.comment = "two\nlines";
    assert_int_equal(tocm_edit_record(f->edit, "C", &s, 1, 0, NULL, f->problems), TOCM_EINVALID);
    assert_int_equal(tocm_diags_count(f->problems), 2);
}

static void test_qualitative(void **state) {
    struct fixture *f = *state;
    tocm_record r = rec("2025", NULL, "Signed, at last");
    r.status = "achieved";
    assert_int_equal(tocm_edit_record(f->edit, "Q", &r, 1, 0, NULL, f->problems), TOCM_OK);
    commit_ok(f, 0);
    char *text = slurp(f->sop);
    assert_string_equal(text, "year,value,status,comment,source\n"
                              "2025,\"Signed, at last\",achieved,,\n");
    free(text);
}

static void test_bulk_lines(void **state) {
    struct fixture *f = *state;
    char *path = tocmp_asprintf("%s/in.csv", f->dir);
    /* Line 2 good, 3 blank, 4-5 one record with a quoted line break and a
     * bad value, 6 an unknown country. */
    put(path, "year,country,value,comment\n2025,KH,1,\n\n2025,LA,x,\"a\nb\"\n2024,VN,2,\n");
    assert_int_equal(tocm_edit_record_csv(f->edit, "C", path, 0, f->problems), TOCM_EINVALID);
    /* value x (line 4) and its comment's line break (4), VN (6). */
    assert_int_equal(tocm_diags_count(f->problems), 3);
    assert_int_equal(tocm_diags_get(f->problems, 0)->line, 4);
    assert_int_equal(tocm_diags_get(f->problems, 2)->line, 6);
    assert_string_equal(tocm_diags_get(f->problems, 2)->path, "country");
    put(path, "year,country,value\n2025,KH,1\n2025,LA,2\n");
    tocm_diags_free(f->problems);
    f->problems = tocm_diags_new();
    assert_int_equal(tocm_edit_record_csv(f->edit, "C", path, 0, f->problems), TOCM_OK);
    commit_ok(f, 0);
    char *text = slurp(f->cases);
    assert_string_equal(text, "year,country,value,comment,source\n2024,KH,4,,\n2025,KH,1,,\n"
                              "2025,LA,2,,\n");
    free(text);
    free(path);
}

static void test_new_table_and_dry_run(void **state) {
    struct fixture *f = *state;
    /* C's table is taken away: record makes results_C in data/. */
    tocm_edit_close(f->edit);
    f->edit = NULL;
    json_t *doc = json_load_file(f->model, 0, NULL);
    assert_non_null(doc);
    json_object_del(json_array_get(json_object_get(doc, "indicators"), 0), "table");
    assert_int_equal(json_dump_file(doc, f->model, JSON_INDENT(2)), 0);
    json_decref(doc);
    tocm_diags *d = tocm_diags_new();
    assert_int_equal(tocm_edit_open(f->model, NULL, d, &f->edit), TOCM_OK);
    tocm_diags_free(d);
    static const char *const kh[] = {"KH"};
    tocm_record r = rec("2025", kh, "9");
    assert_int_equal(tocm_edit_record(f->edit, "C", &r, 1, 0, NULL, f->problems), TOCM_OK);
    char *table = tocmp_asprintf("%s/data/results_C.csv", f->dir);
    commit_ok(f, TOCM_COMMIT_DRY_RUN);
    struct stat st;
    assert_int_not_equal(stat(table, &st), 0); /* a dry run writes nothing */
    commit_ok(f, 0);
    char *model;
    char *text = slurp(table);
    assert_string_equal(text, "year,country,value,comment,source\n2025,KH,9,,\n");
    free(text);
    model = slurp(f->model);
    assert_non_null(strstr(model, "\"table\": \"results_C\""));
    assert_non_null(strstr(model, "\"path\": \"data/results_C.csv\""));
    free(model);
    free(table);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_append_and_replace), T(test_every_problem_listed), T(test_refusals),
        T(test_qualitative),        T(test_bulk_lines),           T(test_new_table_and_dry_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
