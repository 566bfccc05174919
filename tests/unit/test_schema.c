/*
 * test_schema.c -- the schema's tables (core/schema.c) are consistent, the
 * loader checks every place from them, and builds indicators, tables and
 * status as model objects.
 */
/* cmocka needs these first, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "model_internal.h"
#include "schema.h"
#include "tocm/tocm.h"
#include "util.h"

#include <unistd.h>

/* Every place: unique names, unique positive positions, flags that make
 * sense together, a meaning for each field. */
static void test_tables_consistent(void **state) {
    (void)state;
    for (int p = TOCMP_PLACE_ROOT; p < TOCMP_PLACE_COUNT; p++) {
        const struct tocmp_place_info *info = tocmp_schema_place((enum tocmp_place)p);
        assert_non_null(info->name);
        assert_non_null(info->a);
        assert_true(info->field_count > 0);
        assert_true(info->field_count < 64); /* tocmp_schema_member_order's bound */
        for (size_t i = 0; i < info->field_count; i++) {
            const struct tocmp_field *f = &info->fields[i];
            assert_true(f->pos > 0);
            assert_true(f->meaning && *f->meaning);
            assert_true(f->kinds != 0);
            assert_ptr_equal(tocmp_schema_field((enum tocmp_place)p, f->name), f);
            for (size_t j = 0; j < i; j++) {
                assert_string_not_equal(info->fields[j].name, f->name);
                assert_int_not_equal(info->fields[j].pos, f->pos);
            }
            if (f->flags & TOCMP_F_MAP)
                assert_true(f->kinds & TOCMP_K_OBJECT);
            if (f->flags & TOCMP_F_LINKS)
                assert_true((f->flags & TOCMP_F_LIST) && (f->flags & TOCMP_F_NODE_IDS));
            if (f->flags & TOCMP_F_LIST)
                assert_true((f->kinds & TOCMP_K_ARRAY) && f->items == TOCMP_K_STRING);
            if (f->items)
                assert_true(f->kinds & (TOCMP_K_ARRAY | TOCMP_K_OBJECT));
        }
    }
    assert_null(tocmp_schema_field(TOCMP_PLACE_NODE, "donor_ref"));
    assert_int_equal(tocmp_schema_child(TOCMP_PLACE_ROOT, "nodes"), TOCMP_PLACE_NODE);
    assert_int_equal(tocmp_schema_child(TOCMP_PLACE_INDICATOR, "baseline"), TOCMP_PLACE_BASELINE);
}

static void test_wording(void **state) {
    (void)state;
    char *s = tocmp_schema_expected(tocmp_schema_field(TOCMP_PLACE_NODE, "inferred"));
    assert_string_equal(s, "true, false or an array of ids");
    free(s);
    s = tocmp_schema_expected(tocmp_schema_field(TOCMP_PLACE_NODE, "partners"));
    assert_string_equal(s, "an array of strings");
    free(s);
    s = tocmp_schema_doc_type(tocmp_schema_field(TOCMP_PLACE_INDICATOR, "nodes"));
    assert_string_equal(s, "array of node ids");
    free(s);
    s = tocmp_schema_doc_type(tocmp_schema_field(TOCMP_PLACE_ROOT, "tables"));
    assert_string_equal(s, "object (name → object)");
    free(s);
    s = tocmp_schema_doc_type(tocmp_schema_field(TOCMP_PLACE_BASELINE, "period"));
    assert_string_equal(s, "string or integer");
    free(s);
}

static const char model_with_indicators[] =
    "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"},\n"
    " \"levels\": [\"goal\", \"eopo\"],\n"
    " \"nodes\": [{\"id\": \"G\", \"level\": \"goal\", \"title\": \"g\"},\n"
    "           {\"id\": \"O\", \"level\": \"eopo\", \"title\": \"o\", \"contributes_to\": "
    "[\"G\"]}],\n"
    " \"tables\": {\"t1\": {\"path\": \"a.csv\", \"columns\": {\"n\": \"integer\"}},\n"
    "            \"t2\": {\"path\": \"b.csv\"}},\n"
    " \"indicators\": [\n"
    "  {\"id\": \"I1\", \"title\": \"one\", \"calculator\": \"count\", \"table\": \"t2\",\n"
    "   \"nodes\": [\"O\", \"G\", \"O\"], \"x-mine\": {\"kept\": true}},\n"
    "  {\"id\": \"I2\", \"title\": \"two\", \"calculator\": \"sum\", \"table\": \"nope\",\n"
    "   \"nodes\": [\"Z\", \"O\"], \"measure\": \"percentage\"}],\n"
    " \"status\": {\"node_statuses\": [\"done\"], \"thresholds\": {\"on_track\": 0.5}}}\n";

static void test_objects(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(model_with_indicators, d);
    assert_int_equal(tocm_diags_count(d), 0);

    assert_int_equal(m->table_count, 2);
    size_t t2 = tocmp_model_find_table(m, "t2");
    assert_int_equal(t2, 1);
    assert_string_equal(m->tables[t2].path, "b.csv");
    assert_null(m->tables[t2].columns);
    assert_non_null(m->tables[tocmp_model_find_table(m, "t1")].columns);
    assert_int_equal(tocmp_model_find_table(m, "t3"), TOCMP_NONE);

    assert_int_equal(m->indicator_count, 2);
    size_t i1 = tocmp_model_find_indicator(m, "I1"), i2 = tocmp_model_find_indicator(m, "I2");
    assert_int_equal(i1, 0);
    assert_int_equal(i2, 1);
    assert_int_equal(tocmp_model_find_indicator(m, "I3"), TOCMP_NONE);
    const struct tocmp_indicator *a = &m->indicators[i1], *b = &m->indicators[i2];
    assert_string_equal(a->title, "one");
    assert_string_equal(a->calculator, "count");
    assert_int_equal(a->table, t2);
    assert_int_equal(b->table, TOCMP_NONE);
    assert_string_equal(b->measure, "percentage");
    assert_null(a->measure);
    /* Links to nodes, in the file's order, unknown ids kept as NO_NODE. */
    size_t o = tocm_model_find_node(m, "O"), g = tocm_model_find_node(m, "G");
    assert_int_equal(a->node_count, 3);
    assert_int_equal(m->indicator_nodes[a->node_begin], o);
    assert_int_equal(m->indicator_nodes[a->node_begin + 1], g);
    assert_int_equal(b->node_count, 2);
    assert_int_equal(m->indicator_nodes[b->node_begin], TOCM_NO_NODE);
    assert_int_equal(m->indicator_node_slots[b->node_begin + 1], 1);
    /* And from nodes to indicators, each once. */
    assert_int_equal(m->nodes[o].ind_count, 2);
    assert_int_equal(m->node_indicators[m->nodes[o].ind_begin], i1);
    assert_int_equal(m->node_indicators[m->nodes[o].ind_begin + 1], i2);
    assert_int_equal(m->nodes[g].ind_count, 1);

    assert_non_null(m->status.node_statuses);
    assert_true(m->status.on_track == 0.5);
    assert_true(m->status.achieved == 1.0);

    /* Unknown members stay in the document, byte for byte through fmt. */
    char *text = tocm_model_format(m, NULL);
    assert_non_null(strstr(text, "\"x-mine\": {\n        \"kept\": true\n      }"));
    free(text);

    /* The validator reads the objects: unknown table and node. */
    tocm_validate(m, d);
    CHECK_DIAGS(d, {"E404", "/indicators/1/table", "I2", "table 'nope'"},
                {"E403", "/indicators/1/nodes/0", "I2", "unknown node 'Z'"});
    tocm_model_free(m);
    tocm_diags_free(d);
}

/* The loader checks tables, indicators, status and the objects nested in
 * them from the schema, with the same messages as for nodes. */
static void test_shape_errors(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(
        "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\", \"countries\": \"KH\"},\n"
        " \"nodes\": [],\n"
        " \"tables\": {\"a/b\": 3, \"t\": {\"columns\": {\"n\": 1}}},\n"
        " \"indicators\": [7, {\"title\": \"x\"},\n"
        "   {\"id\": \"I\", \"title\": 1, \"calculator\": \"c\", \"table\": \"t\",\n"
        "    \"nodes\": [\"G\", 2], \"baseline\": {\"value\": \"tbc\"},\n"
        "    \"reported\": [{\"period\": \"2021\", \"source\": 5}], \"rounding\": 1.5}],\n"
        " \"status\": {\"thresholds\": {\"achieved\": \"all\"}}}\n",
        d);
    CHECK_DIAGS(
        d,
        {"E004", "/program/countries", NULL,
         "'countries' must be an array of strings, not a string"},
        {"E004", "/tables/a~1b", NULL, "table 'a/b' must be an object, not an integer"},
        {"E003", "/tables/t", NULL, "table 't' has no 'path'"},
        {"E004", "/tables/t/columns/n", NULL, "'n' in 'columns' must be a string, not an integer"},
        {"E004", "/indicators/0", NULL, "an indicator must be an object, not an integer"},
        {"E003", "/indicators/1", NULL, "the indicator has no 'id'"},
        {"E003", "/indicators/1", NULL, "the indicator has no 'calculator'"},
        {"E003", "/indicators/1", NULL, "the indicator has no 'table'"},
        {"E004", "/indicators/2/title", "I", "'title' must be a string, not an integer"},
        {"E004", "/indicators/2/nodes/1", "I", "'nodes' entries must be strings, not an integer"},
        {"E004", "/indicators/2/baseline/value", "I", "'value' must be a number, not a string"},
        {"E004", "/indicators/2/rounding", "I", "'rounding' must be an integer, not a number"},
        {"E004", "/indicators/2/reported/0/source", "I",
         "'source' must be a string, not an integer"},
        {"E004", "/status/thresholds/achieved", NULL, "'achieved' must be a number, not a string"});
    assert_int_equal(m->indicator_count, 3);
    assert_null(m->indicators[0].json);
    assert_null(m->indicators[1].id);
    assert_string_equal(m->indicators[2].title, "");
    assert_true(m->status.achieved == 1.0);
    tocm_model_free(m);
    tocm_diags_free(d);
}

static tocm_model *load_text(const char *text, int shape_errors_allowed);

/* diff compares tables and status as parts of their own, and indicators
 * through the model's objects. */
static void test_diff_parts(void **state) {
    (void)state;
    static const char old_text[] =
        "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"}, \"levels\": [\"goal\"],\n"
        " \"nodes\": [{\"id\": \"G\", \"level\": \"goal\", \"title\": \"g\"},\n"
        "           {\"id\": \"H\", \"level\": \"goal\", \"title\": \"h\"}],\n"
        " \"tables\": {\"t1\": {\"path\": \"a.csv\"}, \"t2\": {\"path\": \"x.csv\"}},\n"
        " \"indicators\": [{\"id\": \"I1\", \"title\": \"Trained\", \"calculator\": \"count\",\n"
        "                 \"table\": \"t1\", \"nodes\": [\"G\"]}],\n"
        " \"status\": {\"thresholds\": {\"on_track\": 0.8}}}\n";
    static const char new_text[] =
        "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"}, \"levels\": [\"goal\"],\n"
        " \"nodes\": [{\"id\": \"G\", \"level\": \"goal\", \"title\": \"g\"},\n"
        "           {\"id\": \"H\", \"level\": \"goal\", \"title\": \"h\"}],\n"
        " \"tables\": {\"t1\": {\"path\": \"b.csv\"}, \"t3\": {\"path\": \"y.csv\"}},\n"
        " \"indicators\": [{\"id\": \"I9\", \"title\": \"Trained\", \"calculator\": \"count\",\n"
        "                 \"table\": \"t1\", \"nodes\": [\"H\"]}],\n"
        " \"status\": {\"thresholds\": {\"on_track\": 0.7}}}\n";
    tocm_model *a = load_text(old_text, 0), *b = load_text(new_text, 0);
    tocm_diff *diff = tocm_diff_models(a, b);
    char *json = tocm_diff_json(diff, "old", "new");
    json_error_t err;
    json_t *doc = json_loads(json, 0, &err);
    json_t *summary = json_object_get(doc, "summary");
    assert_int_equal(json_integer_value(json_object_get(summary, "table_changes")), 3);
    assert_int_equal(json_integer_value(json_object_get(summary, "status_changes")), 1);
    assert_int_equal(json_integer_value(json_object_get(summary, "indicators_renamed")), 1);
    assert_int_equal(json_integer_value(json_object_get(summary, "indicators_changed")), 1);
    assert_int_equal(json_integer_value(json_object_get(summary, "other_changes")), 0);
    char *text = tocm_diff_text(diff, "old", "new");
    static const char *const lines[] = {
        "  'I1' is now 'I9'\n",
        "      now attached to 'H'\n",
        "      no longer attached to 'G'\n",
        "Tables\n  't1': path changed from \"a.csv\" to \"b.csv\"\n",
        "  added table 't3' (y.csv)\n",
        "  removed table 't2' (x.csv)\n",
        "Status\n  thresholds.on_track changed from 0.8 to 0.7\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (!strstr(text, lines[i]))
            fail_msg("diff text lacks \"%s\":\n%s", lines[i], text);
    free(text);
    json_decref(doc);
    free(json);
    tocm_diff_free(diff);
    tocm_model_free(a);
    tocm_model_free(b);
}

/* ---- every field through load -> fmt -> set -> diff -> rename ---------- */

static const char base_model[] =
    "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"},\n"
    " \"levels\": [{\"id\": \"goal\", \"title\": \"Goal\"},\n"
    "            {\"id\": \"eopo\", \"title\": \"EOPO\", \"outcome\": true}],\n"
    " \"nodes\": [{\"id\": \"G\", \"level\": \"goal\", \"title\": \"g\"},\n"
    "           {\"id\": \"O\", \"level\": \"eopo\", \"title\": \"o\", \"contributes_to\": "
    "[\"G\"]}],\n"
    " \"tables\": {\"t\": {\"path\": \"t.csv\"}},\n"
    " \"indicators\": [{\"id\": \"I\", \"title\": \"i\", \"calculator\": \"count\",\n"
    "   \"table\": \"t\", \"nodes\": [\"O\"], \"baseline\": {},\n"
    "   \"reported\": [{\"period\": \"2021\", \"value\": 1}]}],\n"
    " \"status\": {\"node_statuses\": [\"done\"], \"thresholds\": {\"achieved\": 1.0}}}\n";

/* The object of a document that holds the fields of place: node "O", the
 * indicator "I", and so on. A new place needs a line here. */
static json_t *holder(json_t *doc, enum tocmp_place place) {
    json_t *ind = json_array_get(json_object_get(doc, "indicators"), 0);
    switch (place) {
    case TOCMP_PLACE_ROOT: return doc;
    case TOCMP_PLACE_PROGRAM: return json_object_get(doc, "program");
    case TOCMP_PLACE_LEVEL: return json_array_get(json_object_get(doc, "levels"), 1);
    case TOCMP_PLACE_NODE: return json_array_get(json_object_get(doc, "nodes"), 1);
    case TOCMP_PLACE_TABLE: return json_object_get(json_object_get(doc, "tables"), "t");
    case TOCMP_PLACE_INDICATOR: return ind;
    case TOCMP_PLACE_BASELINE: return json_object_get(ind, "baseline");
    case TOCMP_PLACE_REPORTED: return json_array_get(json_object_get(ind, "reported"), 0);
    case TOCMP_PLACE_STATUS: return json_object_get(doc, "status");
    case TOCMP_PLACE_THRESHOLDS:
        return json_object_get(json_object_get(doc, "status"), "thresholds");
    default: return NULL;
    }
}

/* A value of the field's kinds; variant 0 and 1 differ. Node ids name "G",
 * which the rename below renames. */
static json_t *sample(const struct tocmp_field *f, int variant) {
    const char *text = variant ? "v1" : "v0";
    if (f->flags & TOCMP_F_NODE_IDS)
        return variant ? json_pack("[ss]", "O", "G") : json_pack("[s]", "G");
    if (f->flags & TOCMP_F_MAP)
        return f->items == TOCMP_K_STRING ? json_pack("{ss}", "k", text)
                                          : json_pack("{si}", "k", variant);
    if ((f->kinds & TOCMP_K_ARRAY) && f->items == TOCMP_K_STRING)
        return variant ? json_pack("[ss]", "v0", "v1") : json_pack("[s]", "v0");
    if ((f->kinds & TOCMP_K_ARRAY) && (f->place != TOCMP_PLACE_NONE || f->items == TOCMP_K_OBJECT))
        return json_pack("[{si}]", "x-test", variant);
    if (f->kinds & TOCMP_K_STRING)
        return json_string(text);
    if (f->kinds & TOCMP_K_INTEGER)
        return json_integer(2 + variant);
    if (f->kinds & TOCMP_K_REAL)
        return json_real(0.5 + variant);
    if (f->kinds & TOCMP_K_BOOL)
        return json_boolean(variant);
    if (f->kinds & TOCMP_K_OBJECT)
        return json_pack("{si}", "x-test", variant);
    return json_pack("[i]", variant);
}

static tocm_model *load_text(const char *text, int shape_errors_allowed) {
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(text, d);
    for (size_t i = 0; i < tocm_diags_count(d) && !shape_errors_allowed; i++) {
        const tocm_diag *g = tocm_diags_get(d, i);
        if (strncmp(g->code, "E00", 3) == 0) {
            dump_diags(d);
            fail_msg("a field of the schema's own kind is a shape error");
        }
    }
    tocm_diags_free(d);
    return m;
}

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static tocm_model *load_path(const char *path) {
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = NULL;
    assert_int_equal(tocm_model_load_file(path, d, &m), TOCM_OK);
    tocm_diags_free(d);
    return m;
}

/* One edit of the file, written whatever the validator says. */
static void edit_file(const char *path, enum tocm_edit_kind kind, const char *assignment,
                      const char *rename_from, const char *rename_to) {
    tocm_diags *d = tocm_diags_new();
    tocm_edit *e = NULL;
    assert_int_equal(tocm_edit_open(path, NULL, d, &e), TOCM_OK);
    tocm_edit_set_kind(e, kind);
    int rc = assignment ? tocm_edit_assign(e, kind == TOCM_EDIT_NODE ? "O" : "I", assignment)
                        : tocm_edit_rename(e, rename_from, rename_to);
    if (rc != TOCM_OK)
        fail_msg("%s: %s", assignment ? assignment : "rename", tocm_edit_error(e));
    assert_int_equal(tocm_edit_commit(e, TOCM_COMMIT_FORCE, NULL), TOCM_OK);
    tocm_edit_close(e);
    tocm_diags_free(d);
}

/* The known members of object come in canonical order. */
static void assert_canonical(json_t *object, enum tocmp_place place) {
    int last = 0;
    const char *key;
    json_t *v;
    json_object_foreach(object, key, v) {
        const struct tocmp_field *f = tocmp_schema_field(place, key);
        if (!f)
            continue;
        if (f->pos < last)
            fail_msg("'%s' of %s is out of its canonical place", key,
                     tocmp_schema_place(place)->name);
        last = f->pos;
    }
}

static void round_trip(const char *dir, enum tocmp_place place, const struct tocmp_field *f) {
    char path[512];
    snprintf(path, sizeof path, "%s/model.json", dir);
    json_error_t err;
    json_t *doc = json_loads(base_model, 0, &err);
    assert_non_null(doc);
    json_t *at = holder(doc, place);
    if (!at)
        fail_msg("test_schema.c has no holder for place '%s'", tocmp_schema_place(place)->name);
    json_t *v0 = sample(f, 0), *v1 = sample(f, 1);
    json_object_set(at, f->name, v0);

    /* load, with no shape error; fmt, idempotent and canonical. */
    char *text = json_dumps(doc, JSON_PRESERVE_ORDER);
    tocm_model *m0 = load_text(text, 0);
    char *t1 = tocm_model_format(m0, NULL);
    tocm_model *m1 = load_text(t1, 0);
    assert_true(json_equal(m0->root, m1->root));
    char *t2 = tocm_model_format(m1, NULL);
    assert_string_equal(t1, t2);
    assert_canonical(holder(m1->root, place), place);
    assert_true(json_equal(json_object_get(holder(m1->root, place), f->name), v0));

    /* set: through tocm_edit_assign where set reaches (nodes, indicators),
     * in the document elsewhere. */
    write_text(path, t1);
    int by_set =
        (place == TOCMP_PLACE_NODE || place == TOCMP_PLACE_INDICATOR) && strcmp(f->name, "id") != 0;
    if (by_set) {
        char *json = json_dumps(v1, JSON_ENCODE_ANY | JSON_COMPACT);
        char *assignment = tocmp_asprintf("%s:=%s", f->name, json);
        edit_file(path, place == TOCMP_PLACE_NODE ? TOCM_EDIT_NODE : TOCM_EDIT_INDICATOR,
                  assignment, NULL, NULL);
        free(assignment);
        free(json);
    } else {
        json_t *copy = json_deep_copy(m1->root);
        json_object_set(holder(copy, place), f->name, v1);
        char *changed = tocmp_format_json(copy, NULL);
        write_text(path, changed);
        free(changed);
        json_decref(copy);
    }
    tocm_model *m2 = load_path(path);
    assert_true(json_equal(json_object_get(holder(m2->root, place), f->name), v1));

    /* diff: nothing between a model and its fmt; the change, by name. */
    tocm_diff *same = tocm_diff_models(m0, m1);
    assert_int_equal(tocm_diff_count(same), 0);
    tocm_diff_free(same);
    tocm_diff *diff = tocm_diff_models(m1, m2);
    if (tocm_diff_count(diff) == 0)
        fail_msg("diff does not see a change of '%s' of %s", f->name,
                 tocmp_schema_place(place)->name);
    char *dj = tocm_diff_json(diff, "a", "b");
    int by_name = !(f->flags & TOCMP_F_LINKS) &&
                  !(place == TOCMP_PLACE_NODE && strcmp(f->name, "level") == 0);
    if (by_name && !strstr(dj, f->name))
        fail_msg("diff does not name '%s' of %s:\n%s", f->name, tocmp_schema_place(place)->name,
                 dj);
    free(dj);
    tocm_diff_free(diff);

    /* rename: node G's new id reaches every field that holds node ids; the
     * field's owner renamed keeps the field. */
    edit_file(path, TOCM_EDIT_NODE, NULL, "G", "G2");
    tocm_model *m3 = load_path(path);
    json_t *got = json_object_get(holder(m3->root, place), f->name);
    if (f->flags & TOCMP_F_NODE_IDS) {
        json_t *want = json_pack("[ss]", "O", "G2");
        if (!json_equal(got, want))
            fail_msg("rename did not follow '%s' of %s", f->name, tocmp_schema_place(place)->name);
        json_decref(want);
    } else {
        assert_true(json_equal(got, v1));
    }
    if (place == TOCMP_PLACE_NODE || place == TOCMP_PLACE_INDICATOR) {
        const char *old_id = place == TOCMP_PLACE_NODE ? "O" : "I";
        if (strcmp(f->name, "id") == 0)
            old_id = json_string_value(v1);
        edit_file(path, place == TOCMP_PLACE_NODE ? TOCM_EDIT_NODE : TOCM_EDIT_INDICATOR, NULL,
                  old_id, "Z9");
        tocm_model *m4 = load_path(path);
        json_t *mine = holder(m4->root, place);
        assert_string_equal(json_string_value(json_object_get(mine, "id")), "Z9");
        if (strcmp(f->name, "id") != 0 && !(f->flags & TOCMP_F_NODE_IDS))
            assert_true(json_equal(json_object_get(mine, f->name), v1));
        tocm_model_free(m4);
    }

    tocm_model_free(m3);
    tocm_model_free(m2);
    tocm_model_free(m1);
    tocm_model_free(m0);
    free(t2);
    free(t1);
    free(text);
    json_decref(v0);
    json_decref(v1);
    json_decref(doc);
}

/* set's list handling comes from the schema: KEY=TEXT on a list and
 * KEY+=TEXT on a field that is not one are refused with a hint. */
static void test_set_lists(void **state) {
    (void)state;
    char dir[] = "/tmp/tocm-schema-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[600];
    snprintf(path, sizeof path, "%s/model.json", dir);
    write_text(path, base_model);
    tocm_diags *d = tocm_diags_new();
    tocm_edit *e = NULL;
    assert_int_equal(tocm_edit_open(path, NULL, d, &e), TOCM_OK);
    static const struct {
        const char *id, *assignment, *error;
    } refused[] = {
        {"O", "partners=UNODC", "'partners' is a list: use partners+=TEXT"},
        {"O", "inferred=G", "'inferred' is true, false or a list of ids"},
        {"I", "disaggregate=country", "'disaggregate' is a list"},
        {"O", "description+=more", "'description' is a string, not a list"},
        {"I", "rounding-=1", "'rounding' is an integer, not a list"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        assert_int_equal(tocm_edit_assign(e, refused[i].id, refused[i].assignment), TOCM_EINVALID);
        if (!strstr(tocm_edit_error(e), refused[i].error))
            fail_msg("%s: %s", refused[i].assignment, tocm_edit_error(e));
    }
    /* A list the schema knows, and one it does not, both take +=. */
    assert_int_equal(tocm_edit_assign(e, "O", "partners+=UNODC"), TOCM_OK);
    assert_int_equal(tocm_edit_assign(e, "O", "x-tags+=mine"), TOCM_OK);
    /* Unsetting a required field is refused, for indicators too. */
    assert_int_equal(tocm_edit_unset(e, "I", "calculator"), TOCM_EINVALID);
    assert_non_null(strstr(tocm_edit_error(e), "every indicator needs its 'calculator'"));
    tocm_edit_close(e);
    tocm_diags_free(d);
    remove(path);
    rmdir(dir);
}

static void test_every_field_round_trips(void **state) {
    (void)state;
    char dir[] = "/tmp/tocm-schema-XXXXXX";
    assert_non_null(mkdtemp(dir));
    size_t fields = 0;
    for (int p = TOCMP_PLACE_ROOT + 1; p < TOCMP_PLACE_COUNT; p++) {
        const struct tocmp_place_info *info = tocmp_schema_place((enum tocmp_place)p);
        for (size_t i = 0; i < info->field_count; i++, fields++)
            round_trip(dir, (enum tocmp_place)p, &info->fields[i]);
    }
    /* The top level's fields are the places above; each is in the base
     * model, and fmt puts them in canonical order. */
    tocm_model *m = load_text(base_model, 0);
    const struct tocmp_place_info *top = tocmp_schema_place(TOCMP_PLACE_ROOT);
    for (size_t i = 0; i < top->field_count; i++)
        assert_non_null(json_object_get(m->root, top->fields[i].name));
    char *t = tocm_model_format(m, NULL);
    tocm_model *again = load_text(t, 0);
    assert_canonical(again->root, TOCMP_PLACE_ROOT);
    tocm_model_free(again);
    free(t);
    tocm_model_free(m);
    char lock[600];
    snprintf(lock, sizeof lock, "%s/model.json", dir);
    remove(lock);
    rmdir(dir);
    assert_true(fields > 40);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_consistent), cmocka_unit_test(test_wording),
        cmocka_unit_test(test_objects),           cmocka_unit_test(test_shape_errors),
        cmocka_unit_test(test_set_lists),         cmocka_unit_test(test_every_field_round_trips),
        cmocka_unit_test(test_diff_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
