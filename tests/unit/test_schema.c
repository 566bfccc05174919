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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_consistent),
        cmocka_unit_test(test_wording),
        cmocka_unit_test(test_objects),
        cmocka_unit_test(test_shape_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
