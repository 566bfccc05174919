/*
 * test_edit.c -- the edit transaction and its operations, through the
 * public API (tocm_edit_*), on a small model file in a scratch directory:
 * where add puts a node; = := += -= and unset; link and unlink with the
 * inferred mark; rename following every reference; remove refusing,
 * cascading and reattaching; indicators; and commit: refused when the
 * change adds an error (the file byte-identical), --force, --dry-run, no
 * rewrite when nothing changed, nesting past what reads back refused.
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

#include "path.h"
#include "tocm/tocm.h"
#include "util.h"

/* G <- O1, O2 <- P1 (O2 inferred), P2; indicator I1 on O1. */
static const char model_json[] =
    "{\"tocm\": 1, \"program\": {\"id\": \"t\", \"title\": \"Edit test\"},\n"
    " \"levels\": [{\"id\": \"goal\"}, {\"id\": \"outcome\", \"outcome\": true},\n"
    "              {\"id\": \"project\"}],\n"
    " \"nodes\": [\n"
    "  {\"id\": \"G\", \"level\": \"goal\", \"title\": \"Goal\"},\n"
    "  {\"id\": \"O1\", \"level\": \"outcome\", \"title\": \"One\", \"contributes_to\": "
    "[\"G\"]},\n"
    "  {\"id\": \"O2\", \"level\": \"outcome\", \"title\": \"Two\", \"contributes_to\": "
    "[\"G\"]},\n"
    "  {\"id\": \"P1\", \"level\": \"project\", \"title\": \"Project one\",\n"
    "   \"contributes_to\": [\"O1\", \"O2\"], \"inferred\": [\"O2\"], \"partners\": "
    "[\"UNODC\"]},\n"
    "  {\"id\": \"P2\", \"level\": \"project\", \"title\": \"Project two\", \"contributes_to\": "
    "[\"O1\"]}],\n"
    " \"tables\": {\"t\": {\"path\": \"t.csv\"}},\n"
    " \"indicators\": [{\"id\": \"I1\", \"title\": \"Ind\", \"nodes\": [\"O1\"],\n"
    "                   \"calculator\": \"count\", \"table\": \"t\"}],\n"
    " \"extra\": {\"kept\": true}}\n";

struct fixture {
    char dir[64];
    char *path;
    tocm_diags *diags;
    tocm_edit *edit;
    json_t *after; /* the committed document */
};

static int setup(void **state) {
    struct fixture *f = tocmp_xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/tocm-edit-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->path = tocmp_asprintf("%s/model.json", f->dir);
    FILE *out = fopen(f->path, "w");
    if (!out || fputs(model_json, out) < 0 || fclose(out) != 0)
        return -1;
    /* Start from the canonical layout, as a model under tocm's care is. */
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = NULL;
    if (tocm_model_load_file(f->path, d, &m) != TOCM_OK)
        return -1;
    size_t len;
    char *canon = tocm_model_format(m, &len);
    char err[TOCM_MESSAGE_SIZE];
    int rc = tocm_write_file_atomic(f->path, canon, len, err, sizeof err);
    free(canon);
    tocm_model_free(m);
    tocm_diags_free(d);
    f->diags = tocm_diags_new();
    if (rc != TOCM_OK || tocm_edit_open(f->path, NULL, f->diags, &f->edit) != TOCM_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    struct fixture *f = *state;
    tocm_edit_close(f->edit);
    tocm_diags_free(f->diags);
    json_decref(f->after);
    unlink(f->path);
    rmdir(f->dir);
    free(f->path);
    free(f);
    return 0;
}

/* Commits (flags) and parses what was written into f->after. */
static void commit(struct fixture *f, int flags, int want) {
    tocm_diags *added = tocm_diags_new();
    int rc = tocm_edit_commit(f->edit, flags, added);
    if (rc != want) {
        tocm_diags_print(added, stderr);
        fail_msg("commit returned %d, not %d: %s", rc, want, tocm_edit_error(f->edit));
    }
    tocm_diags_free(added);
    char *text = slurp(f->path);
    json_decref(f->after);
    f->after = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(f->after);
}

static json_t *find(json_t *doc, const char *array, const char *id) {
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(doc, array), i, x) {
        if (strcmp(json_string_value(json_object_get(x, "id")), id) == 0)
            return x;
    }
    return NULL;
}

static json_t *node(struct fixture *f, const char *id) { return find(f->after, "nodes", id); }

/* The list member key of x as one string, "a,b,c" ("" when absent). */
static char *list(json_t *x, const char *key) {
    tocmp_buf b = {0};
    tocmp_buf_puts(&b, "");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(x, key), i, v) {
        if (i)
            tocmp_buf_puts(&b, ",");
        tocmp_buf_puts(&b, json_string_value(v));
    }
    return b.data;
}

static void assert_list(json_t *x, const char *key, const char *want) {
    char *got = list(x, key);
    assert_string_equal(got, want);
    free(got);
}

static char *node_order(struct fixture *f) {
    tocmp_buf b = {0};
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(f->after, "nodes"), i, n) {
        tocmp_buf_printf(&b, "%s%s", i ? "," : "", json_string_value(json_object_get(n, "id")));
    }
    return b.data;
}

static void refused(struct fixture *f, int rc, const char *why) {
    assert_int_equal(rc, TOCM_EINVALID);
    if (!strstr(tocm_edit_error(f->edit), why))
        fail_msg("the refusal \"%s\" does not say \"%s\"", tocm_edit_error(f->edit), why);
}

/* ---- add ------------------------------------------------------------------ */

static void test_add_node_placement(void **state) {
    struct fixture *f = *state;
    assert_int_equal(tocm_edit_add_node(f->edit, "P3", "project", "Three", NULL), TOCM_OK);
    assert_int_equal(tocm_edit_link(f->edit, "P3", "O2", 0), TOCM_OK);
    /* An outcome goes after the last node of its level. */
    assert_int_equal(tocm_edit_add_node(f->edit, "O3", "outcome", "Three", NULL), TOCM_OK);
    assert_int_equal(tocm_edit_link(f->edit, "O3", "G", 0), TOCM_OK);
    assert_int_equal(tocm_edit_link(f->edit, "P3", "O3", 0), TOCM_OK);
    /* --after puts it where asked. */
    assert_int_equal(tocm_edit_add_node(f->edit, "P0", "project", "Zero", "O2"), TOCM_OK);
    assert_int_equal(tocm_edit_link(f->edit, "P0", "O1", 0), TOCM_OK);
    refused(f, tocm_edit_add_node(f->edit, "P1", "project", "Again", NULL), "P1");
    refused(f, tocm_edit_add_node(f->edit, "P9", "project", "After", "NOPE"), "NOPE");
    commit(f, 0, TOCM_OK);
    char *order = node_order(f);
    /* O3 after the last outcome (O2); then P0 right after O2, before it. */
    assert_string_equal(order, "G,O1,O2,P0,O3,P1,P2,P3");
    free(order);
    json_t *p3 = node(f, "P3");
    assert_string_equal(json_string_value(json_object_get(p3, "title")), "Three");
    assert_list(p3, "contributes_to", "O2,O3");
    assert_true(tocm_edit_note_count(f->edit) > 0);
}

/* ---- set ------------------------------------------------------------------ */

static void test_assign_forms(void **state) {
    struct fixture *f = *state;
    assert_int_equal(tocm_edit_assign(f->edit, "P2", "status=some delays"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "P2", "budget:=1500"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "P2", "tags:={\"a\": [1, 2.5]}"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "P1", "partners+=ILO"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "P2", "partners+=ILO"), TOCM_OK); /* made */
    assert_int_equal(tocm_edit_assign(f->edit, "P1", "partners-=UNODC"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "P2", "partners-=ILO"), TOCM_OK); /* emptied */
    refused(f, tocm_edit_assign(f->edit, "P1", "partners-=Nobody"), "Nobody");
    refused(f, tocm_edit_assign(f->edit, "P1", "id=P7"), "rename");
    refused(f, tocm_edit_assign(f->edit, "NOPE", "status=x"), "NOPE");
    refused(f, tocm_edit_assign(f->edit, "P1", "tags:={bad"), "JSON");
    commit(f, 0, TOCM_OK);
    json_t *p2 = node(f, "P2");
    assert_string_equal(json_string_value(json_object_get(p2, "status")), "some delays");
    assert_int_equal(json_integer_value(json_object_get(p2, "budget")), 1500);
    json_t *want = json_loads("{\"a\": [1, 2.5]}", 0, NULL);
    assert_true(json_equal(json_object_get(p2, "tags"), want));
    json_decref(want);
    assert_null(json_object_get(p2, "partners"));
    assert_list(node(f, "P1"), "partners", "ILO");
    /* Members tocm does not know are kept. */
    assert_true(json_is_true(json_object_get(json_object_get(f->after, "extra"), "kept")));
}

static void test_unset(void **state) {
    struct fixture *f = *state;
    assert_int_equal(tocm_edit_unset(f->edit, "P1", "partners"), TOCM_OK);
    refused(f, tocm_edit_unset(f->edit, "P1", "title"), "title");
    commit(f, 0, TOCM_OK);
    assert_null(json_object_get(node(f, "P1"), "partners"));
    assert_non_null(json_object_get(node(f, "P1"), "title"));
}

/* ---- member paths ----------------------------------------------------------- */

/* Parses text and writes it back: the text diff prints is the one set reads. */
static void round_trip(const char *text, size_t segments, const char *want) {
    struct tocmp_path p;
    char *err;
    assert_int_equal(tocmp_path_parse(text, strlen(text), &p, &err), 0);
    assert_int_equal(p.count, segments);
    char *back = tocmp_path_text(&p, p.count);
    assert_string_equal(back, want);
    free(back);
    tocmp_path_free(&p);
}

static void test_path_syntax(void **state) {
    (void)state;
    round_trip("targets.2014", 2, "targets.2014");
    round_trip("baseline.breakdown[10].value", 4, "baseline.breakdown[10].value");
    round_trip("breakdown_targets[]", 2, "breakdown_targets[]");
    round_trip("targets.\"2024.1\"", 2, "targets.\"2024.1\"");
    round_trip("\"a\\\"b\"", 1, "\"a\\\"b\""); /* a"b */
    round_trip("\"plain\"", 1, "plain");       /* quotes only where needed */
    round_trip("\"x-\"", 1, "\"x-\"");         /* would read as x -= */
    static const char *const bad[] = {"",     ".a",  "a.",     "a..b", "a[",
                                      "a[x]", "a]b", "\"open", "a\"b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tocmp_path p;
        char *err = NULL;
        if (tocmp_path_parse(bad[i], strlen(bad[i]), &p, &err) == 0)
            fail_msg("'%s' parsed as a path", bad[i]);
        assert_non_null(strstr(err, "is not a path"));
        assert_int_equal(p.count, 0);
        free(err);
    }
    assert_int_equal(tocmp_path_key_end("a.\"b=c\".d:=1"), 10); /* the = after : */
    assert_int_equal(tocmp_path_key_end("abc"), 3);
}

static void test_assign_paths(void **state) {
    struct fixture *f = *state;
    assert_int_equal(tocm_edit_assign(f->edit, "I1", "targets.2014:=15000"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "I1", "targets.2015:=20"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "I1", "targets.2015.label=M2"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "I1", "baseline.value:=12"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "t", "columns.v=integer"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "status", "thresholds.on_track:=0.9"), TOCM_OK);
    /* Refused half way: what the walk made (params) is put back. */
    refused(f, tocm_edit_assign(f->edit, "I1", "params.where.x=1"), "params.where");
    refused(f, tocm_edit_assign(f->edit, "I1", "title.x=1"), "not an object");
    refused(f, tocm_edit_assign(f->edit, "I1", "nodes[3]=G"), "there is no [3]");
    assert_int_equal(tocm_edit_unset(f->edit, "I1", "targets.2014"), TOCM_OK);
    assert_int_equal(tocm_edit_unset(f->edit, "I1", "nosuch.member"), TOCM_OK); /* a note */
    commit(f, 0, TOCM_OK);
    json_t *ind = json_array_get(json_object_get(f->after, "indicators"), 0);
    json_t *want = json_loads("{\"2015\": {\"value\": 20, \"label\": \"M2\"}}", 0, NULL);
    assert_true(json_equal(json_object_get(ind, "targets"), want));
    json_decref(want);
    assert_null(json_object_get(ind, "targets.2014"));
    assert_null(json_object_get(ind, "params"));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(ind, "baseline"), "value")),
                     12);
    json_t *t = json_object_get(json_object_get(f->after, "tables"), "t");
    assert_string_equal(json_string_value(json_object_get(json_object_get(t, "columns"), "v")),
                        "integer");
    json_t *th = json_object_get(json_object_get(f->after, "status"), "thresholds");
    assert_true(json_real_value(json_object_get(th, "on_track")) == 0.9);
}

/* ---- link, unlink --------------------------------------------------------- */

static void test_link_unlink_inferred(void **state) {
    struct fixture *f = *state;
    assert_int_equal(tocm_edit_link(f->edit, "P2", "O2", 1), TOCM_OK);
    assert_int_equal(tocm_edit_unlink(f->edit, "P1", "O2"), TOCM_OK);
    refused(f, tocm_edit_unlink(f->edit, "P1", "G"), "G");
    /* An indicator's node must exist now; a node's link to an unknown node
     * is the validator's E104, at commit. */
    refused(f, tocm_edit_link(f->edit, "I1", "NOPE", 0), "NOPE");
    commit(f, 0, TOCM_OK);
    assert_list(node(f, "P2"), "contributes_to", "O1,O2");
    assert_list(node(f, "P2"), "inferred", "O2");
    /* The link and its inferred mark go together; an emptied list goes. */
    assert_list(node(f, "P1"), "contributes_to", "O1");
    assert_null(json_object_get(node(f, "P1"), "inferred"));
}

/* ---- rename --------------------------------------------------------------- */

static void test_rename_follows_references(void **state) {
    struct fixture *f = *state;
    assert_int_equal(tocm_edit_rename(f->edit, "O2", "O2-R"), TOCM_OK);
    assert_int_equal(tocm_edit_rename(f->edit, "O1", "O1-R"), TOCM_OK);
    refused(f, tocm_edit_rename(f->edit, "P1", "P2"), "P2");
    refused(f, tocm_edit_rename(f->edit, "NOPE", "X"), "NOPE");
    commit(f, 0, TOCM_OK);
    assert_null(node(f, "O2"));
    assert_list(node(f, "P1"), "contributes_to", "O1-R,O2-R");
    assert_list(node(f, "P1"), "inferred", "O2-R");
    assert_list(node(f, "P2"), "contributes_to", "O1-R");
    assert_list(find(f->after, "indicators", "I1"), "nodes", "O1-R");
}

/* ---- remove --------------------------------------------------------------- */

static void test_remove_refuses_linked(void **state) {
    struct fixture *f = *state;
    refused(f, tocm_edit_remove(f->edit, "O1", TOCM_REMOVE_ONLY, NULL), "P1");
    assert_int_equal(tocm_edit_remove(f->edit, "P2", TOCM_REMOVE_ONLY, NULL), TOCM_OK);
    commit(f, 0, TOCM_OK);
    assert_null(node(f, "P2"));
    assert_non_null(node(f, "O1"));
}

/* O1 goes with P2, which hangs on it alone; P1 also contributes to O2, so
 * it stays and loses its link; I1, left on nothing, goes. */
static void test_remove_cascade(void **state) {
    struct fixture *f = *state;
    assert_int_equal(tocm_edit_remove(f->edit, "O1", TOCM_REMOVE_CASCADE, NULL), TOCM_OK);
    commit(f, 0, TOCM_OK);
    assert_null(node(f, "O1"));
    assert_null(node(f, "P2"));
    assert_list(node(f, "P1"), "contributes_to", "O2");
    assert_null(find(f->after, "indicators", "I1"));
}

static void test_remove_reattach(void **state) {
    struct fixture *f = *state;
    refused(f, tocm_edit_remove(f->edit, "O1", TOCM_REMOVE_REATTACH, "NOPE"), "NOPE");
    assert_int_equal(tocm_edit_remove(f->edit, "O1", TOCM_REMOVE_REATTACH, "O2"), TOCM_OK);
    commit(f, 0, TOCM_OK);
    assert_null(node(f, "O1"));
    assert_list(node(f, "P1"), "contributes_to", "O2"); /* not twice */
    assert_list(node(f, "P2"), "contributes_to", "O2");
    assert_list(find(f->after, "indicators", "I1"), "nodes", "O2");
}

/* ---- indicators ----------------------------------------------------------- */

static void test_indicators(void **state) {
    struct fixture *f = *state;
    assert_int_equal(tocm_edit_add_indicator(f->edit, "I2", "Second"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "I2", "calculator=count"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(f->edit, "I2", "table=t"), TOCM_OK);
    assert_int_equal(tocm_edit_link(f->edit, "I2", "O2", 0), TOCM_OK);
    assert_int_equal(tocm_edit_link(f->edit, "I1", "O2", 0), TOCM_OK);
    assert_int_equal(tocm_edit_unlink(f->edit, "I1", "O1"), TOCM_OK);
    /* A new indicator cannot take a node's id, nor a node an indicator's. */
    refused(f, tocm_edit_add_indicator(f->edit, "P2", "Same id as a node"), "P2");
    refused(f, tocm_edit_add_node(f->edit, "I1", "project", "Same id as an indicator", NULL), "I1");
    /* With the kind set, an operation looks at that kind only. */
    tocm_edit_set_kind(f->edit, TOCM_EDIT_NODE);
    refused(f, tocm_edit_assign(f->edit, "I1", "unit=x"), "I1");
    tocm_edit_set_kind(f->edit, TOCM_EDIT_INDICATOR);
    assert_int_equal(tocm_edit_assign(f->edit, "I1", "unit=events"), TOCM_OK);
    tocm_edit_set_kind(f->edit, TOCM_EDIT_ANY);
    commit(f, 0, TOCM_OK);
    json_t *i2 = find(f->after, "indicators", "I2");
    assert_non_null(i2);
    assert_string_equal(json_string_value(json_object_get(i2, "calculator")), "count");
    assert_list(i2, "nodes", "O2");
    json_t *i1 = find(f->after, "indicators", "I1");
    assert_list(i1, "nodes", "O2");
    assert_string_equal(json_string_value(json_object_get(i1, "unit")), "events");
    assert_int_equal(json_array_size(json_object_get(f->after, "indicators")), 2);
}

/* ---- commit --------------------------------------------------------------- */

/* A change that adds an error is refused and the file is left exactly as
 * it was; with FORCE it is written; a dry run writes nothing. */
static void test_commit_refuses_new_errors(void **state) {
    struct fixture *f = *state;
    char *before = slurp(f->path);
    struct stat st_before, st_after;
    assert_int_equal(stat(f->path, &st_before), 0);
    assert_int_equal(tocm_edit_assign(f->edit, "P1", "country=XX"), TOCM_OK);
    tocm_diags *added = tocm_diags_new();
    assert_int_equal(tocm_edit_commit(f->edit, 0, added), TOCM_EINVALID);
    assert_int_equal(tocm_diags_errors(added), 1);
    assert_string_equal(tocm_diags_get(added, 0)->code, "E107");
    tocm_diags_free(added);
    char *after = slurp(f->path);
    assert_string_equal(before, after);
    assert_int_equal(stat(f->path, &st_after), 0);
    assert_true(st_before.st_ino == st_after.st_ino);
    free(after);

    assert_int_equal(tocm_edit_commit(f->edit, TOCM_COMMIT_DRY_RUN | TOCM_COMMIT_FORCE, NULL),
                     TOCM_OK);
    after = slurp(f->path);
    assert_string_equal(before, after);
    free(after);

    commit(f, TOCM_COMMIT_FORCE, TOCM_OK);
    assert_string_equal(json_string_value(json_object_get(node(f, "P1"), "country")), "XX");
    assert_true(tocm_edit_changed(f->edit));
    free(before);
}

/* "[[...[]...]]", depth arrays deep. new. */
static char *nested_arrays(size_t depth) {
    char *s = tocmp_xmalloc(2 * depth + 1);
    memset(s, '[', depth);
    memset(s + depth, ']', depth);
    s[2 * depth] = '\0';
    return s;
}

/* The commit checks the document itself only when its text reads back as
 * that document. Nesting past what jansson reads (2,048 levels: the value
 * parses on its own, but not 4 levels down in a model) must still be
 * refused, as the text would be; nesting it reads is written as ever. */
static void test_commit_checks_what_reads_back(void **state) {
    struct fixture *f = *state;
    char *deep = nested_arrays(2046);
    char *assignment = tocmp_asprintf("deep:=%s", deep);
    assert_int_equal(tocm_edit_assign(f->edit, "P2", assignment), TOCM_OK);
    char *before = slurp(f->path);
    commit(f, 0, TOCM_EINVALID);
    assert_non_null(strstr(tocm_edit_error(f->edit), "not a tocm model"));
    char *after = slurp(f->path);
    assert_string_equal(before, after); /* nothing written */
    free(before);
    free(after);
    free(assignment);
    free(deep);

    deep = nested_arrays(300); /* deeper than a model needs, still JSON tocm reads */
    assignment = tocmp_asprintf("deep:=%s", deep);
    assert_int_equal(tocm_edit_assign(f->edit, "P2", assignment), TOCM_OK);
    commit(f, 0, TOCM_OK);
    json_t *v = json_object_get(node(f, "P2"), "deep");
    size_t depth = 0;
    for (; json_is_array(v); v = json_array_get(v, 0))
        depth++;
    assert_int_equal(depth, 300);
    free(assignment);
    free(deep);
}

/* Nothing changed: nothing is written (same inode), and it says so. */
static void test_commit_no_change(void **state) {
    struct fixture *f = *state;
    struct stat st_before, st_after;
    assert_int_equal(stat(f->path, &st_before), 0);
    assert_true(tocm_edit_was_canonical(f->edit));
    assert_int_equal(tocm_edit_assign(f->edit, "P1", "title=Project one"), TOCM_OK);
    commit(f, 0, TOCM_OK);
    assert_false(tocm_edit_changed(f->edit));
    assert_int_equal(stat(f->path, &st_after), 0);
    assert_true(st_before.st_ino == st_after.st_ino);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_add_node_placement),
        T(test_assign_forms),
        T(test_unset),
        T(test_path_syntax),
        T(test_assign_paths),
        T(test_link_unlink_inferred),
        T(test_rename_follows_references),
        T(test_remove_refuses_linked),
        T(test_remove_cascade),
        T(test_remove_reattach),
        T(test_indicators),
        T(test_commit_refuses_new_errors),
        T(test_commit_no_change),
        T(test_commit_checks_what_reads_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
