/*
 * test_diff.c -- the semantic diff (tocm_diff_models and its JSON and text
 * forms) on pairs of small models built here: what does not count (node
 * and link order, layout), renames (same title; or a changed title with
 * enough else the same; never across levels), level, field and link
 * changes, changes deep inside nested values named by their path, and
 * indicators (added, removed, renamed, attached, detached, fields).
 */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tocm/tocm.h"

static const char base_json[] =
    "{\"tocm\": 1,\n"
    " \"program\": {\"id\": \"t\", \"title\": \"Diff test\",\n"
    "             \"budget\": {\"total\": \"$3\", \"by_year\": {\"2021\": \"$1\", \"2022\": "
    "\"$2\"}}},\n"
    " \"levels\": [{\"id\": \"goal\", \"title\": \"Goal\"},\n"
    "            {\"id\": \"outcome\", \"title\": \"Outcome\", \"outcome\": true},\n"
    "            {\"id\": \"project\", \"title\": \"Project\"}],\n"
    " \"nodes\": [\n"
    "  {\"id\": \"G\", \"level\": \"goal\", \"title\": \"Safer communities\"},\n"
    "  {\"id\": \"O1\", \"level\": \"outcome\", \"title\": \"Justice works\",\n"
    "   \"description\": \"Courts and prosecutors handle trafficking cases well.\",\n"
    "   \"contributes_to\": [\"G\"]},\n"
    "  {\"id\": \"O2\", \"level\": \"outcome\", \"title\": \"Victims are protected\",\n"
    "   \"contributes_to\": [\"G\"]},\n"
    "  {\"id\": \"P1\", \"level\": \"project\", \"title\": \"Prosecutor training\",\n"
    "   \"contributes_to\": [\"O1\", \"O2\"], \"extra\": [{\"k\": 1}, {\"k\": 2}]},\n"
    "  {\"id\": \"P2\", \"level\": \"project\", \"title\": \"Shelter support\",\n"
    "   \"contributes_to\": [\"O2\"]}],\n"
    " \"tables\": {\"t\": {\"path\": \"t.csv\"}},\n"
    " \"indicators\": [\n"
    "  {\"id\": \"I1\", \"title\": \"Cases heard\", \"nodes\": [\"O1\"], \"calculator\": "
    "\"count\",\n"
    "   \"table\": \"t\", \"params\": {\"column\": \"cases\"}},\n"
    "  {\"id\": \"I2\", \"title\": \"Victims sheltered\", \"nodes\": [\"O2\"],\n"
    "   \"calculator\": \"count\", \"table\": \"t\"}]}\n";

struct fixture {
    json_t *old_doc, *new_doc; /* new_doc: a copy of the base to change */
    tocm_diff *diff;
    json_t *result; /* tocm_diff_json, parsed */
    char *text;     /* tocm_diff_text */
};

static int setup(void **state) {
    struct fixture *f = calloc(1, sizeof *f);
    f->old_doc = json_loads(base_json, 0, NULL);
    f->new_doc = json_deep_copy(f->old_doc);
    *state = f;
    return f->old_doc ? 0 : -1;
}

static int teardown(void **state) {
    struct fixture *f = *state;
    json_decref(f->old_doc);
    json_decref(f->new_doc);
    json_decref(f->result);
    tocm_diff_free(f->diff);
    free(f->text);
    free(f);
    return 0;
}

static tocm_model *load(json_t *doc, const char *name) {
    char *text = json_dumps(doc, JSON_INDENT(1));
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = NULL;
    assert_int_equal(tocm_model_load_string(text, name, diags, &m), TOCM_OK);
    assert_int_equal(tocm_diags_errors(diags), 0);
    tocm_diags_free(diags);
    free(text);
    return m;
}

/* Diffs the base with f->new_doc. */
static void diff(struct fixture *f) {
    tocm_model *a = load(f->old_doc, "old.json"), *b = load(f->new_doc, "new.json");
    f->diff = tocm_diff_models(a, b);
    assert_non_null(f->diff);
    char *json = tocm_diff_json(f->diff, "old.json", "new.json");
    f->result = json_loads(json, 0, NULL);
    assert_non_null(f->result);
    free(json);
    f->text = tocm_diff_text(f->diff, "old.json", "new.json");
    assert_non_null(f->text);
    tocm_model_free(a);
    tocm_model_free(b);
}

static json_t *node(struct fixture *f, const char *id) {
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(f->new_doc, "nodes"), i, n) {
        if (strcmp(json_string_value(json_object_get(n, "id")), id) == 0)
            return n;
    }
    fail_msg("no node %s", id);
    return NULL;
}

static json_t *ind(struct fixture *f, size_t i) {
    return json_array_get(json_object_get(f->new_doc, "indicators"), i);
}

/* Is there a change record with every member of want (a JSON object)? */
static int has(struct fixture *f, const char *want_json) {
    json_t *want = json_loads(want_json, 0, NULL);
    assert_non_null(want);
    size_t i;
    json_t *r;
    int found = 0;
    json_array_foreach(json_object_get(f->result, "changes"), i, r) {
        const char *k;
        json_t *v;
        int all = 1;
        json_object_foreach(want, k, v) {
            if (!json_equal(json_object_get(r, k), v))
                all = 0;
        }
        found |= all;
    }
    json_decref(want);
    return found;
}

#define assert_has(f, want)                                                                        \
    do {                                                                                           \
        if (!has(f, want)) {                                                                       \
            char *all = json_dumps(json_object_get((f)->result, "changes"), JSON_INDENT(1));       \
            fail_msg("no change %s in\n%s", want, all);                                            \
        }                                                                                          \
    } while (0)

#define assert_text(f, want)                                                                       \
    do {                                                                                           \
        if (!strstr((f)->text, want))                                                              \
            fail_msg("\"%s\" not in the text:\n%s", want, (f)->text);                              \
    } while (0)

static size_t summary(struct fixture *f, const char *key) {
    return (size_t)json_integer_value(json_object_get(json_object_get(f->result, "summary"), key));
}

/* ---- what does not count ---------------------------------------------------- */

static void test_order_does_not_count(void **state) {
    struct fixture *f = *state;
    json_t *nodes = json_object_get(f->new_doc, "nodes");
    json_t *reversed = json_array();
    for (size_t i = json_array_size(nodes); i-- > 0;)
        json_array_append(reversed, json_array_get(nodes, i));
    json_object_set_new(f->new_doc, "nodes", reversed);
    json_t *swapped = json_pack("[ss]", "O2", "O1");
    json_object_set(node(f, "P1"), "contributes_to", swapped);
    json_decref(swapped);
    diff(f);
    assert_int_equal(tocm_diff_count(f->diff), 0);
    assert_true(json_is_true(json_object_get(f->result, "equal")));
    assert_text(f, "No changes");
}

/* ---- renames -------------------------------------------------------------- */

/* Same level and title, new id: a rename, and the links to it follow (no
 * link changes reported for P1). */
static void test_rename_by_title(void **state) {
    struct fixture *f = *state;
    json_object_set_new(node(f, "O1"), "id", json_string("O1-NEW"));
    json_t *p1 = json_pack("[ss]", "O1-NEW", "O2");
    json_object_set_new(node(f, "P1"), "contributes_to", p1);
    json_array_set_new(json_object_get(ind(f, 0), "nodes"), 0, json_string("O1-NEW"));
    diff(f);
    assert_has(f, "{\"what\": \"node\", \"change\": \"renamed\", \"id\": \"O1-NEW\", "
                  "\"from\": \"O1\"}");
    assert_int_equal(summary(f, "nodes_renamed"), 1);
    assert_int_equal(summary(f, "links_added") + summary(f, "links_removed"), 0);
    assert_int_equal(tocm_diff_count(f->diff), 1);
    assert_text(f, "'O1' is now 'O1-NEW'");
}

/* A new id and a reworded title, the description and links the same: still
 * a rename, with the title change on the renamed node. */
static void test_rename_by_similarity(void **state) {
    struct fixture *f = *state;
    json_t *o1 = node(f, "O1");
    json_object_set_new(o1, "id", json_string("O1-R"));
    json_object_set_new(o1, "title", json_string("The justice sector works"));
    json_object_set_new(node(f, "P1"), "contributes_to", json_pack("[ss]", "O1-R", "O2"));
    json_array_set_new(json_object_get(ind(f, 0), "nodes"), 0, json_string("O1-R"));
    diff(f);
    assert_has(f, "{\"change\": \"renamed\", \"id\": \"O1-R\", \"from\": \"O1\"}");
    assert_has(f, "{\"change\": \"field\", \"id\": \"O1-R\", \"field\": \"title\", "
                  "\"from\": \"Justice works\", \"to\": \"The justice sector works\"}");
    assert_text(f, "title changed from \"Justice works\" to \"The justice sector works\"");
}

/* A node on another level with the old one's title is not a rename. */
static void test_no_rename_across_levels(void **state) {
    struct fixture *f = *state;
    json_t *p2 = node(f, "P2");
    json_object_set_new(p2, "id", json_string("O3"));
    json_object_set_new(p2, "level", json_string("outcome"));
    json_object_set_new(p2, "contributes_to", json_pack("[s]", "G"));
    diff(f);
    assert_has(f, "{\"what\": \"node\", \"change\": \"removed\", \"id\": \"P2\"}");
    assert_has(f, "{\"what\": \"node\", \"change\": \"added\", \"id\": \"O3\"}");
    assert_int_equal(summary(f, "nodes_renamed"), 0);
}

/* ---- levels, fields, links ------------------------------------------------ */

static void test_level_field_and_links(void **state) {
    struct fixture *f = *state;
    json_t *p1 = node(f, "P1");
    json_object_set_new(p1, "status", json_string("completed"));
    json_object_set_new(p1, "contributes_to", json_pack("[s]", "O1"));
    json_t *p2 = node(f, "P2");
    json_object_set_new(p2, "contributes_to", json_pack("[ss]", "O2", "O1"));
    json_object_set_new(node(f, "O2"), "level", json_string("goal"));
    json_object_del(node(f, "O2"), "contributes_to");
    diff(f);
    assert_has(f, "{\"change\": \"field\", \"id\": \"P1\", \"field\": \"status\", "
                  "\"to\": \"completed\"}");
    assert_has(f, "{\"change\": \"link_removed\", \"id\": \"P1\", \"to\": \"O2\"}");
    assert_has(f, "{\"change\": \"link_added\", \"id\": \"P2\", \"to\": \"O1\"}");
    assert_has(f, "{\"change\": \"level\", \"id\": \"O2\", \"from\": \"outcome\", "
                  "\"to\": \"goal\"}");
    assert_text(f, "status set to \"completed\"");
    assert_text(f, "moved from level Outcome to Goal");
    assert_text(f, "no longer contributes to 'O2'");
    assert_text(f, "now contributes to 'O1'");
}

/* ---- nested values ---------------------------------------------------------- */

static void test_nested_changes_by_path(void **state) {
    struct fixture *f = *state;
    json_t *by_year = json_object_get(
        json_object_get(json_object_get(f->new_doc, "program"), "budget"), "by_year");
    json_object_set_new(by_year, "2022", json_string("$5"));
    json_object_set_new(json_array_get(json_object_get(node(f, "P1"), "extra"), 1), "k",
                        json_integer(5));
    diff(f);
    assert_has(f, "{\"field\": \"budget.by_year.2022\", \"from\": \"$2\", \"to\": \"$5\"}");
    assert_has(f, "{\"id\": \"P1\", \"field\": \"extra[1].k\", \"from\": 2, \"to\": 5}");
    assert_text(f, "budget.by_year.2022 changed from \"$2\" to \"$5\"");
    assert_text(f, "extra[1].k changed from 2 to 5");
}

/* ---- indicators ------------------------------------------------------------- */

static void test_indicators(void **state) {
    struct fixture *f = *state;
    json_t *inds = json_object_get(f->new_doc, "indicators");
    /* I1: attached to O2 as well, detached from nothing, a param changed. */
    json_array_append_new(json_object_get(ind(f, 0), "nodes"), json_string("O2"));
    json_object_set_new(json_object_get(ind(f, 0), "params"), "column", json_string("heard"));
    /* I2 renamed (same title); I3 added; nothing removed. */
    json_object_set_new(ind(f, 1), "id", json_string("I2-R"));
    json_array_append_new(inds,
                          json_pack("{s:s,s:s,s:[s],s:s,s:s}", "id", "I3", "title", "Shelters open",
                                    "nodes", "O2", "calculator", "count", "table", "t"));
    diff(f);
    assert_has(f, "{\"what\": \"indicator\", \"change\": \"attached\", \"id\": \"I1\", "
                  "\"node\": \"O2\"}");
    assert_has(f, "{\"what\": \"indicator\", \"change\": \"field\", \"id\": \"I1\", "
                  "\"field\": \"params.column\", \"from\": \"cases\", \"to\": \"heard\"}");
    assert_has(f, "{\"what\": \"indicator\", \"change\": \"renamed\", \"id\": \"I2-R\", "
                  "\"from\": \"I2\"}");
    assert_has(f, "{\"what\": \"indicator\", \"change\": \"added\", \"id\": \"I3\"}");
    assert_false(has(f, "{\"what\": \"indicator\", \"change\": \"removed\"}"));
    assert_int_equal(summary(f, "indicators_added"), 1);
    assert_int_equal(summary(f, "indicators_renamed"), 1);

    /* And removed, the other way round. */
    tocm_diff_free(f->diff);
    json_decref(f->result);
    free(f->text);
    json_t *swap = f->old_doc;
    f->old_doc = f->new_doc;
    f->new_doc = swap;
    diff(f);
    assert_has(f, "{\"what\": \"indicator\", \"change\": \"removed\", \"id\": \"I3\"}");
    assert_has(f, "{\"what\": \"indicator\", \"change\": \"detached\", \"id\": \"I1\", "
                  "\"node\": \"O2\"}");
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_order_does_not_count),
        T(test_rename_by_title),
        T(test_rename_by_similarity),
        T(test_no_rename_across_levels),
        T(test_level_field_and_links),
        T(test_nested_changes_by_path),
        T(test_indicators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
