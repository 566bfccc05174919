/*
 * test_loader.c -- JSON text -> tocm_model: syntax and shape errors
 * (E001-E004), levels, the id index and the adjacency in both directions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "model_internal.h"
#include "tocm/tocm.h"

static const char valid_model[] =
    "{\n"
    "  \"tocm\": 1,\n"
    "  \"program\": {\"id\": \"cw\", \"title\": \"Clean Water\"},\n"
    "  \"nodes\": [\n"
    "    {\"id\": \"G\", \"level\": \"goal\", \"title\": \"Fewer illnesses\"},\n"
    "    {\"id\": \"O1\", \"level\": \"eopo\", \"title\": \"Safe water\",\n"
    "     \"contributes_to\": [\"G\"], \"description\": \"Households use it\"},\n"
    "    {\"id\": \"P1\", \"level\": \"project\", \"title\": \"Wells\", \"country\": \"KH\",\n"
    "     \"status\": \"completed\", \"contributes_to\": [\"O1\"]}\n"
    "  ]\n"
    "}\n";

/* Loads text that must be refused (TOCM_EINVALID, no model). */
static void load_refused(const char *text, tocm_diags *d) {
    tocm_model *m = (tocm_model *)&m; /* must be overwritten with NULL */
    assert_int_equal(tocm_model_load_string(text, "t.json", d, &m), TOCM_EINVALID);
    assert_null(m);
}

/* ---- A valid model ---------------------------------------------------- */

static void test_valid_model(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(valid_model, d);
    assert_int_equal(tocm_diags_count(d), 0);
    assert_string_equal(tocm_model_file(m), "t.json");
    assert_string_equal(tocm_model_program_id(m), "cw");
    assert_string_equal(tocm_model_program_title(m), "Clean Water");
    assert_int_equal(tocm_model_node_count(m), 3);
    assert_int_equal(tocm_model_edge_count(m), 2);

    size_t p1 = tocm_model_find_node(m, "P1");
    assert_int_equal(p1, 2);
    assert_string_equal(tocm_node_id(m, p1), "P1");
    assert_string_equal(tocm_node_title(m, p1), "Wells");
    assert_int_equal(tocm_node_level(m, p1), tocm_model_find_level(m, "project"));
    assert_string_equal(tocm_node_country(m, p1), "KH");
    assert_string_equal(tocm_node_status(m, p1), "completed");
    assert_null(tocm_node_string(m, p1, "description"));
    size_t o1 = tocm_model_find_node(m, "O1");
    assert_string_equal(tocm_node_string(m, o1, "description"), "Households use it");
    assert_null(tocm_node_country(m, o1));
    assert_null(tocm_node_status(m, o1));
    /* Not a string: NULL, not a crash or a number's text. */
    assert_null(tocm_node_string(m, o1, "contributes_to"));

    assert_int_equal(tocm_node_out_count(m, p1), 1);
    assert_int_equal(tocm_node_out(m, p1, 0), o1);
    assert_int_equal(tocm_node_in_count(m, o1), 1);
    assert_int_equal(tocm_node_in(m, o1, 0), p1);
    assert_int_equal(tocm_node_out_count(m, 0), 0);

    /* Valid: the only findings are the four default levels it leaves empty. */
    assert_int_equal(tocm_validate(m, d), 0);
    assert_int_equal(tocm_diags_errors(d), 0);
    assert_int_equal(tocm_diags_warnings(d), 4);
    tocm_model_free(m);
    tocm_diags_free(d);
}

static void test_default_levels(void **state) {
    (void)state;
    static const struct {
        const char *id, *title;
        int outcome;
    } want[] = {
        {"goal", "Goal", 0},
        {"eopo", "End-of-program outcome", 1},
        {"intermediate", "Intermediate outcome", 1},
        {"immediate", "Immediate outcome", 1},
        {"cluster", "Project cluster", 0},
        {"project", "Project", 0},
        {"activity", "Activity", 0},
    };
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(valid_model, d);
    assert_int_equal(tocm_model_level_count(m), 7);
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(tocm_level_id(m, i), want[i].id);
        assert_string_equal(tocm_level_title(m, i), want[i].title);
        assert_int_equal(tocm_level_is_outcome(m, i), want[i].outcome);
        assert_int_equal(tocm_model_find_level(m, want[i].id), (long)i);
    }
    assert_int_equal(tocm_model_find_level(m, "impact"), -1);
    assert_int_equal(tocm_model_find_level(m, "Goal"), -1);
    tocm_model_free(m);
    tocm_diags_free(d);
}

static void test_custom_levels(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(
        "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"},\n"
        " \"levels\": [{\"id\": \"impact\", \"title\": \"Impact\"},\n"
        "             {\"id\": \"outcome\", \"outcome\": true},\n"
        "             \"output\",\n"
        "             {\"id\": \"activity\", \"title\": \"Activity\", \"outcome\": false}],\n"
        " \"nodes\": [{\"id\": \"A\", \"level\": \"activity\", \"title\": \"a\"},\n"
        "           {\"id\": \"B\", \"level\": \"goal\", \"title\": \"b\"}]}",
        d);
    assert_int_equal(tocm_diags_count(d), 0);
    assert_int_equal(tocm_model_level_count(m), 4);
    assert_string_equal(tocm_level_id(m, 0), "impact");
    assert_string_equal(tocm_level_title(m, 0), "Impact");
    assert_false(tocm_level_is_outcome(m, 0));
    assert_string_equal(tocm_level_id(m, 1), "outcome");
    assert_string_equal(tocm_level_title(m, 1), "outcome"); /* title defaults to the id */
    assert_true(tocm_level_is_outcome(m, 1));
    assert_string_equal(tocm_level_id(m, 2), "output"); /* a bare string */
    assert_string_equal(tocm_level_title(m, 2), "output");
    assert_false(tocm_level_is_outcome(m, 2));
    assert_false(tocm_level_is_outcome(m, 3));
    assert_int_equal(tocm_node_level(m, 0), 3);
    /* Custom levels replace the defaults: "goal" is unknown here. */
    assert_int_equal(tocm_node_level(m, 1), -1);
    assert_int_equal(tocm_model_find_level(m, "goal"), -1);
    tocm_model_free(m);
    tocm_diags_free(d);
}

/* ---- E001: not JSON --------------------------------------------------- */

static void test_e001_line_column(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    load_refused("{\n  \"tocm\": 1,\n  \"program\": ,\n  \"nodes\": []\n}\n", d);
    assert_int_equal(tocm_diags_count(d), 1);
    const tocm_diag *g = tocm_diags_get(d, 0);
    assert_string_equal(g->code, "E001");
    assert_int_equal(g->severity, TOCM_SEV_ERROR);
    assert_string_equal(g->file, "t.json");
    assert_int_equal(g->line, 3);
    assert_int_equal(g->column, 14); /* the comma */
    assert_string_equal(g->path, "");
    assert_null(g->node);
    assert_non_null(strstr(g->message, "unexpected token"));
    tocm_diags_free(d);
}

static void test_e001_truncated(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    load_refused("{\"tocm\": 1,\n \"nodes\": [\n", d);
    const tocm_diag *g = tocm_diags_get(d, 0);
    assert_string_equal(g->code, "E001");
    assert_true(g->line >= 2);
    assert_true(g->column >= 1);
    assert_non_null(strstr(g->message, "end of file"));
    tocm_diags_free(d);
}

static void test_e001_empty_text(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    load_refused("", d);
    assert_int_equal(tocm_diags_count(d), 1);
    const tocm_diag *g = tocm_diags_get(d, 0);
    assert_string_equal(g->code, "E001");
    /* Never line 0: the printed form needs a position for E001. */
    assert_int_equal(g->line, 1);
    assert_int_equal(g->column, 1);
    tocm_diags_free(d);
}

static void test_e001_duplicate_key(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    load_refused("{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"},\n"
                 " \"nodes\": [{\"id\": \"G\", \"level\": \"goal\", \"title\": \"a\",\n"
                 "            \"title\": \"b\"}]}",
                 d);
    assert_int_equal(tocm_diags_count(d), 1);
    const tocm_diag *g = tocm_diags_get(d, 0);
    assert_string_equal(g->code, "E001");
    assert_int_equal(g->line, 3);
    assert_non_null(strstr(g->message, "duplicate"));
    tocm_diags_free(d);
    /* Also at the top level. */
    d = tocm_diags_new();
    load_refused("{\"tocm\": 1, \"tocm\": 1}", d);
    assert_string_equal(tocm_diags_get(d, 0)->code, "E001");
    tocm_diags_free(d);
}

static void test_e001_trailing_garbage(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    load_refused("{\"tocm\": 1} {}", d);
    assert_string_equal(tocm_diags_get(d, 0)->code, "E001");
    tocm_diags_free(d);
}

/* ---- E002: JSON, but not a tocm model ---------------------------------- */

static void test_e002(void **state) {
    (void)state;
    static const struct {
        const char *text, *path, *message;
    } cases[] = {
        {"[1, 2]", "", "the top level is an array, not an object"},
        {"\"tocm\"", "", "the top level is a string, not an object"},
        {"42", "", "the top level is an integer, not an object"},
        {"null", "", "the top level is null, not an object"},
        {"{\"program\": {}, \"nodes\": []}", "", "no \"tocm\" format version"},
        {"{\"tocm\": 2, \"nodes\": []}", "/tocm", "unsupported format version 2 "},
        {"{\"tocm\": 0}", "/tocm", "unsupported format version 0 "},
        {"{\"tocm\": \"1\"}", "/tocm", "unsupported format version \"1\""},
        {"{\"tocm\": 1.0}", "/tocm", "unsupported format version 1.0 "},
        {"{\"tocm\": null}", "/tocm", "unsupported format version null"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tocm_diags *d = tocm_diags_new();
        load_refused(cases[i].text, d);
        CHECK_DIAGS(d, {"E002", cases[i].path, NULL, cases[i].message});
        assert_int_equal(tocm_diags_get(d, 0)->line, 0);
        tocm_diags_free(d);
    }
}

/* ---- E003: a required field is missing --------------------------------- */

static void test_e003_top_level(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok("{\"tocm\": 1}", d);
    CHECK_DIAGS(d, {"E003", "", NULL, "no 'program'"}, {"E003", "", NULL, "no 'nodes'"});
    assert_int_equal(tocm_model_node_count(m), 0);
    assert_null(tocm_model_program_id(m));
    assert_int_equal(tocm_model_level_count(m), 7);
    tocm_model_free(m);
    tocm_diags_free(d);
}

static void test_e003_program_and_nodes(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok("{\"tocm\": 1, \"program\": {\"title\": \"P\"},\n"
                            " \"levels\": [{\"title\": \"no id\"}, \"goal\"],\n"
                            " \"nodes\": [{\"level\": \"goal\", \"title\": \"x\"},\n"
                            "           {\"id\": \"A\", \"title\": \"a\"},\n"
                            "           {\"id\": \"B\", \"level\": \"goal\"}]}",
                            d);
    CHECK_DIAGS(d, {"E003", "/program", NULL, "the program has no 'id'"},
                {"E003", "/levels/0", NULL, "the level has no 'id'"},
                {"E003", "/nodes/0", NULL, "the node has no 'id'"},
                {"E003", "/nodes/1", "A", "node 'A' has no 'level'"},
                {"E003", "/nodes/2", "B", "node 'B' has no 'title'"});
    /* The level without an id is dropped; the rest still load. */
    assert_int_equal(tocm_model_level_count(m), 1);
    assert_string_equal(tocm_level_id(m, 0), "goal");
    assert_int_equal(tocm_model_node_count(m), 3);
    assert_string_equal(tocm_node_id(m, 0), "");    /* no id: "" not NULL */
    assert_string_equal(tocm_node_title(m, 2), ""); /* no title: "" */
    assert_int_equal(tocm_model_find_node(m, "B"), 2);
    tocm_model_free(m);
    tocm_diags_free(d);
}

/* ---- E004: a field has the wrong type --------------------------------- */

static void test_e004_node_fields(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(
        "{\"tocm\": 1, \"program\": {\"id\": \"\", \"title\": 5},\n"
        " \"nodes\": [7,\n"
        "  {\"id\": 12, \"level\": \"goal\", \"title\": \"x\"},\n"
        "  {\"id\": \"\", \"level\": \"goal\", \"title\": \"x\"},\n"
        "  {\"id\": \"A\", \"level\": [\"goal\"], \"title\": true, \"contributes_to\": \"G\"},\n"
        "  {\"id\": \"B\", \"level\": \"goal\", \"title\": \"b\", \"partners\": [\"x\", 3, null],\n"
        "   \"inferred\": \"yes\", \"description\": {}, \"country\": 1, \"status\": false,\n"
        "   \"source\": [], \"notes\": 2.5, \"assumptions\": \"one\"},\n"
        "  {\"id\": \"C\", \"level\": \"goal\", \"title\": \"c\", \"inferred\": true},\n"
        "  {\"id\": \"D\", \"level\": \"goal\", \"title\": \"d\", \"inferred\": [\"C\", 1],\n"
        "   \"contributes_to\": [\"C\", 5, \"B\"]}]}",
        d);
    CHECK_DIAGS(
        d, {"E004", "/program/id", NULL, "'id' must not be empty"},
        {"E004", "/program/title", NULL, "'title' must be a string, not an integer"},
        {"E004", "/nodes/0", NULL, "a node must be an object, not an integer"},
        {"E004", "/nodes/1/id", NULL, "'id' must be a string, not an integer"},
        {"E004", "/nodes/2/id", NULL, "'id' must not be empty"},
        {"E004", "/nodes/3/level", "A", "'level' must be a string, not an array"},
        {"E004", "/nodes/3/title", "A", "'title' must be a string, not a boolean"},
        {"E004", "/nodes/3/contributes_to", "A",
         "'contributes_to' must be an array of strings, not a string"},
        {"E004", "/nodes/4/description", "B", "'description' must be a string, not an object"},
        {"E004", "/nodes/4/country", "B", "'country' must be a string, not an integer"},
        {"E004", "/nodes/4/status", "B", "'status' must be a string, not a boolean"},
        {"E004", "/nodes/4/source", "B", "'source' must be a string, not an array"},
        {"E004", "/nodes/4/notes", "B", "'notes' must be a string, not a number"},
        {"E004", "/nodes/4/partners/1", "B", "'partners' entries must be strings, not an integer"},
        {"E004", "/nodes/4/partners/2", "B", "'partners' entries must be strings, not null"},
        {"E004", "/nodes/4/assumptions", "B",
         "'assumptions' must be an array of strings, not a string"},
        {"E004", "/nodes/4/inferred", "B",
         "'inferred' must be true, false or an array of ids, not a string"},
        {"E004", "/nodes/6/contributes_to/1", "D",
         "'contributes_to' entries must be strings, not an integer"},
        {"E004", "/nodes/6/inferred/1", "D", "'inferred' entries must be strings"});
    assert_int_equal(tocm_model_node_count(m), 7);
    /* Nodes without a usable id cannot be found or linked. */
    assert_string_equal(tocm_node_id(m, 1), "");
    assert_int_equal(tocm_model_find_node(m, ""), TOCM_NO_NODE);
    /* The string entries of a partly wrong contributes_to still link. */
    size_t dn = tocm_model_find_node(m, "D");
    assert_int_equal(tocm_node_out_count(m, dn), 2);
    assert_int_equal(tocm_node_out(m, dn, 0), tocm_model_find_node(m, "C"));
    assert_int_equal(tocm_node_out(m, dn, 1), tocm_model_find_node(m, "B"));
    /* A country that is not a string is "no country" to readers. */
    assert_null(tocm_node_country(m, tocm_model_find_node(m, "B")));
    tocm_model_free(m);
    tocm_diags_free(d);
}

static void test_e004_top_level(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok("{\"tocm\": 1, \"program\": [], \"levels\": {}, \"nodes\": {}}", d);
    CHECK_DIAGS(d, {"E004", "/program", NULL, "'program' must be an object, not an array"},
                {"E004", "/levels", NULL, "'levels' must be an array, not an object"},
                {"E004", "/nodes", NULL, "'nodes' must be an array, not an object"});
    /* Unusable levels fall back to the defaults so nodes can still be read. */
    assert_int_equal(tocm_model_level_count(m), 7);
    assert_int_equal(tocm_model_node_count(m), 0);
    tocm_model_free(m);
    tocm_diags_free(d);

    d = tocm_diags_new();
    m = load_ok("{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"},"
                " \"levels\": [], \"nodes\": []}",
                d);
    CHECK_DIAGS(d, {"E004", "/levels", NULL, "'levels' must list at least one level"});
    assert_int_equal(tocm_model_level_count(m), 7);
    tocm_model_free(m);
    tocm_diags_free(d);
}

static void test_e004_levels(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok("{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"},\n"
                            " \"levels\": [{\"id\": \"top\", \"title\": 5, \"outcome\": \"yes\"},\n"
                            "            7, \"\", {\"id\": \"\"}, {\"id\": 3}, \"low\"],\n"
                            " \"nodes\": []}",
                            d);
    CHECK_DIAGS(
        d, {"E004", "/levels/0/title", NULL, "'title' must be a string, not an integer"},
        {"E004", "/levels/0/outcome", NULL, "'outcome' must be true or false, not a string"},
        {"E004", "/levels/1", NULL, "not an integer"},
        {"E004", "/levels/2", NULL, "a level id must not be empty"},
        {"E004", "/levels/3/id", NULL, "'id' must not be empty"},
        {"E004", "/levels/4/id", NULL, "'id' must be a string, not an integer"});
    /* The usable levels remain, in order; a bad title falls back to the id. */
    assert_int_equal(tocm_model_level_count(m), 2);
    assert_string_equal(tocm_level_id(m, 0), "top");
    assert_string_equal(tocm_level_title(m, 0), "top");
    assert_false(tocm_level_is_outcome(m, 0));
    assert_string_equal(tocm_level_id(m, 1), "low");
    tocm_model_free(m);
    tocm_diags_free(d);
}

/* ---- BOM, files -------------------------------------------------------- */

static void test_bom_accepted(void **state) {
    (void)state;
    size_t n = strlen(valid_model);
    char *text = malloc(n + 4);
    assert_non_null(text);
    memcpy(text, "\xEF\xBB\xBF", 3);
    memcpy(text + 3, valid_model, n + 1);
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(text, d);
    assert_int_equal(tocm_diags_count(d), 0);
    assert_int_equal(tocm_model_node_count(m), 3);
    tocm_model_free(m);
    tocm_diags_free(d);
    /* Only at the very start: a BOM after whitespace is not JSON. */
    memcpy(text, " \xEF\xBB", 3);
    d = tocm_diags_new();
    load_refused(text, d);
    assert_string_equal(tocm_diags_get(d, 0)->code, "E001");
    tocm_diags_free(d);
    free(text);
}

static void test_load_file(void **state) {
    (void)state;
    char path[] = "/tmp/tocm-test-loader-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(valid_model, f);
    fclose(f);
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = NULL;
    assert_int_equal(tocm_model_load_file(path, d, &m), TOCM_OK);
    assert_non_null(m);
    assert_string_equal(tocm_model_file(m), path);
    assert_int_equal(tocm_model_node_count(m), 3);
    tocm_model_free(m);
    tocm_diags_free(d);
    remove(path);

    /* Gone now: an I/O failure (E000), not a model error. */
    d = tocm_diags_new();
    m = (tocm_model *)&m;
    assert_int_equal(tocm_model_load_file(path, d, &m), TOCM_EIO);
    assert_null(m);
    CHECK_DIAGS(d, {"E000", "", NULL, "No such file or directory"});
    assert_string_equal(tocm_diags_get(d, 0)->file, path);
    tocm_diags_free(d);
}

/* ---- Adjacency ---------------------------------------------------------- */

static void test_adjacency_order(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(
        "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"}, \"nodes\": [\n"
        " {\"id\": \"G\", \"level\": \"goal\", \"title\": \"g\"},\n"
        " {\"id\": \"O1\", \"level\": \"eopo\", \"title\": \"o1\", \"contributes_to\": [\"G\"]},\n"
        " {\"id\": \"O2\", \"level\": \"eopo\", \"title\": \"o2\", \"contributes_to\": [\"G\"]},\n"
        " {\"id\": \"P2\", \"level\": \"project\", \"title\": \"p2\",\n"
        "  \"contributes_to\": [\"O2\", \"nowhere\", \"O1\"]},\n"
        " {\"id\": \"P1\", \"level\": \"project\", \"title\": \"p1\", \"contributes_to\": "
        "[\"O1\"]},\n"
        " {\"id\": \"P3\", \"level\": \"project\", \"title\": \"p3\", \"contributes_to\": [\"O1\", "
        "\"O2\"]}\n"
        "]}",
        d);
    size_t G = 0, O1 = 1, O2 = 2, P2 = 3, P1 = 4, P3 = 5;
    assert_int_equal(tocm_model_find_node(m, "P3"), P3);
    /* The dangling link is not an edge. */
    assert_int_equal(tocm_model_edge_count(m), 7);
    /* Out: contributes_to order, dangling entries skipped. */
    assert_int_equal(tocm_node_out_count(m, P2), 2);
    assert_int_equal(tocm_node_out(m, P2, 0), O2);
    assert_int_equal(tocm_node_out(m, P2, 1), O1);
    assert_int_equal(tocm_node_out_count(m, P3), 2);
    assert_int_equal(tocm_node_out(m, P3, 0), O1);
    assert_int_equal(tocm_node_out(m, P3, 1), O2);
    assert_int_equal(tocm_node_out_count(m, G), 0);
    /* In: contributors in file order, whatever order the links came in. */
    assert_int_equal(tocm_node_in_count(m, O1), 3);
    assert_int_equal(tocm_node_in(m, O1, 0), P2);
    assert_int_equal(tocm_node_in(m, O1, 1), P1);
    assert_int_equal(tocm_node_in(m, O1, 2), P3);
    assert_int_equal(tocm_node_in_count(m, O2), 2);
    assert_int_equal(tocm_node_in(m, O2, 0), P2);
    assert_int_equal(tocm_node_in(m, O2, 1), P3);
    assert_int_equal(tocm_node_in_count(m, G), 2);
    assert_int_equal(tocm_node_in(m, G, 0), O1);
    assert_int_equal(tocm_node_in(m, G, 1), O2);
    assert_int_equal(tocm_node_in_count(m, P1), 0);
    /* Every edge appears once in each direction. */
    size_t outs = 0, ins = 0;
    for (size_t n = 0; n < tocm_model_node_count(m); n++) {
        outs += tocm_node_out_count(m, n);
        ins += tocm_node_in_count(m, n);
    }
    assert_int_equal(outs, 7);
    assert_int_equal(ins, 7);
    tocm_model_free(m);
    tocm_diags_free(d);
}

/* ---- find_node ---------------------------------------------------------- */

static void test_find_node_semantics(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(
        "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"}, \"nodes\": [\n"
        " {\"id\": \"G\", \"level\": \"goal\", \"title\": \"first\"},\n"
        " {\"id\": \"X\", \"level\": \"eopo\", \"title\": \"x\", \"contributes_to\": [\"G\"]},\n"
        " {\"id\": \"G\", \"level\": \"goal\", \"title\": \"second\"}\n"
        "]}",
        d);
    /* Duplicate ids: the first node in the file wins, for lookups and links. */
    assert_int_equal(tocm_model_find_node(m, "G"), 0);
    assert_string_equal(tocm_node_title(m, tocm_model_find_node(m, "G")), "first");
    assert_int_equal(tocm_node_out(m, 1, 0), 0);
    assert_int_equal(tocm_node_in_count(m, 2), 0);
    assert_int_equal(tocm_model_find_node(m, "g"), TOCM_NO_NODE);
    assert_int_equal(tocm_model_find_node(m, "Y"), TOCM_NO_NODE);
    assert_int_equal(tocm_model_find_node(m, ""), TOCM_NO_NODE);
    char key[] = {'X', '\0'}; /* same text, another pointer */
    assert_int_equal(tocm_model_find_node(m, key), 1);
    tocm_model_free(m);
    tocm_diags_free(d);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* O(1): the index is a hash table kept at most half full, with short
 * probe runs, and 100,000 lookups in a 100,000-node model take a few
 * milliseconds (a linear scan would take minutes). */
static void test_find_node_constant_time(void **state) {
    (void)state;
    enum { N = 100000 };
    size_t cap = 64 + (size_t)N * 96;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap,
                                  "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"},"
                                  " \"nodes\": [");
    for (size_t i = 0; i < N; i++)
        len +=
            (size_t)snprintf(text + len, cap - len,
                             "%s{\"id\": \"P%zu.%zu\", \"level\": \"project\", \"title\": \"t\"}",
                             i ? "," : "", i / 10, i % 10);
    len += (size_t)snprintf(text + len, cap - len, "]}");
    assert_true(len < cap);
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(text, d);
    free(text);
    assert_int_equal(tocm_model_node_count(m), N);

    const tocmp_idmap *ids = &m->ids;
    assert_int_equal(ids->count, N);
    assert_true(ids->count * 2 <= ids->mask + 1);
    /* The longest run of occupied slots bounds every probe sequence. */
    size_t run = 0, longest = 0;
    for (size_t i = 0; i <= ids->mask; i++) {
        run = ids->keys[i] ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    assert_true(longest < 100);

    char id[32];
    double start = now();
    for (size_t i = 0; i < N; i++) {
        snprintf(id, sizeof id, "P%zu.%zu", i / 10, i % 10);
        if (tocm_model_find_node(m, id) != i)
            fail_msg("find_node(%s) != %zu", id, i);
    }
    for (size_t i = 0; i < N; i++) {
        snprintf(id, sizeof id, "Q%zu", i);
        if (tocm_model_find_node(m, id) != TOCM_NO_NODE)
            fail_msg("find_node(%s) found something", id);
    }
    double elapsed = now() - start;
    /* Generous for sanitizer builds; a scan needs ~10^10 comparisons. */
    assert_true(elapsed < 5.0);
    tocm_model_free(m);
    tocm_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_model),
        cmocka_unit_test(test_default_levels),
        cmocka_unit_test(test_custom_levels),
        cmocka_unit_test(test_e001_line_column),
        cmocka_unit_test(test_e001_truncated),
        cmocka_unit_test(test_e001_empty_text),
        cmocka_unit_test(test_e001_duplicate_key),
        cmocka_unit_test(test_e001_trailing_garbage),
        cmocka_unit_test(test_e002),
        cmocka_unit_test(test_e003_top_level),
        cmocka_unit_test(test_e003_program_and_nodes),
        cmocka_unit_test(test_e004_node_fields),
        cmocka_unit_test(test_e004_top_level),
        cmocka_unit_test(test_e004_levels),
        cmocka_unit_test(test_bom_accepted),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_adjacency_order),
        cmocka_unit_test(test_find_node_semantics),
        cmocka_unit_test(test_find_node_constant_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
