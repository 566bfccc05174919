/*
 * test_emit.c -- the canonical layout written by tocm_model_format
 * (models/FORMAT.md, "Canonical layout").
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tocm/tocm.h"

/* Loads text and returns its canonical form (new). */
static char *format(const char *text) {
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(text, d);
    size_t len = 0;
    char *out = tocm_model_format(m, &len);
    assert_non_null(out);
    assert_int_equal(len, strlen(out));
    tocm_model_free(m);
    tocm_diags_free(d);
    return out;
}

/* A model written every way the canonical layout is not: members out of
 * order, everything on a few lines, unknown members at every level. */
static const char messy[] =
    "{\"x-top\": {\"b\": 1, \"a\": [true, false, null]},\n"
    " \"nodes\": [{\"notes\": \"n\", \"x-node\": {\"z\": 1, \"y\": {\"deep\": [1, {\"k\": "
    "\"v\"}]}},\n"
    "   \"contributes_to\": [], \"title\": \"G\", \"level\": \"goal\", \"id\": \"G\",\n"
    "   \"source\": \"p. 3\", \"assumptions\": [\"a\"], \"inferred\": true, \"status\": \"s\",\n"
    "   \"partners\": [\"x\"], \"country\": \"KH\", \"description\": \"d\"}],\n"
    " \"program\": {\"x-prog\": 1, \"countries\": [\"KH\"], \"period\": {\"end\": \"2028\", "
    "\"start\": \"2018\"},\n"
    "   \"description\": \"d\", \"title\": \"P\", \"id\": \"p\"},\n"
    " \"tocm\": 1, \"x-mid\": \"kept\",\n"
    " \"levels\": [{\"x-level\": 0, \"outcome\": false, \"title\": \"Goal\", \"id\": \"goal\"}, "
    "\"other\"]}";

static const char messy_canonical[] = "{\n"
                                      "  \"tocm\": 1,\n"
                                      "  \"program\": {\n"
                                      "    \"id\": \"p\",\n"
                                      "    \"title\": \"P\",\n"
                                      "    \"description\": \"d\",\n"
                                      "    \"period\": {\n"
                                      "      \"end\": \"2028\",\n"
                                      "      \"start\": \"2018\"\n"
                                      "    },\n"
                                      "    \"countries\": [\n"
                                      "      \"KH\"\n"
                                      "    ],\n"
                                      "    \"x-prog\": 1\n"
                                      "  },\n"
                                      "  \"levels\": [\n"
                                      "    {\n"
                                      "      \"id\": \"goal\",\n"
                                      "      \"title\": \"Goal\",\n"
                                      "      \"outcome\": false,\n"
                                      "      \"x-level\": 0\n"
                                      "    },\n"
                                      "    \"other\"\n"
                                      "  ],\n"
                                      "  \"nodes\": [\n"
                                      "    {\n"
                                      "      \"id\": \"G\",\n"
                                      "      \"level\": \"goal\",\n"
                                      "      \"title\": \"G\",\n"
                                      "      \"description\": \"d\",\n"
                                      "      \"country\": \"KH\",\n"
                                      "      \"partners\": [\n"
                                      "        \"x\"\n"
                                      "      ],\n"
                                      "      \"status\": \"s\",\n"
                                      "      \"contributes_to\": [],\n"
                                      "      \"inferred\": true,\n"
                                      "      \"assumptions\": [\n"
                                      "        \"a\"\n"
                                      "      ],\n"
                                      "      \"source\": \"p. 3\",\n"
                                      "      \"notes\": \"n\",\n"
                                      "      \"x-node\": {\n"
                                      "        \"z\": 1,\n"
                                      "        \"y\": {\n"
                                      "          \"deep\": [\n"
                                      "            1,\n"
                                      "            {\n"
                                      "              \"k\": \"v\"\n"
                                      "            }\n"
                                      "          ]\n"
                                      "        }\n"
                                      "      }\n"
                                      "    }\n"
                                      "  ],\n"
                                      "  \"x-top\": {\n"
                                      "    \"b\": 1,\n"
                                      "    \"a\": [\n"
                                      "      true,\n"
                                      "      false,\n"
                                      "      null\n"
                                      "    ]\n"
                                      "  },\n"
                                      "  \"x-mid\": \"kept\"\n"
                                      "}\n";

/* Known members in the fixed order, unknown ones after them in file order
 * (member order inside unknown objects untouched: "z" before "y", "end"
 * before "start"), two-space indent, final newline. */
static void test_canonical_layout(void **state) {
    (void)state;
    char *out = format(messy);
    if (strcmp(out, messy_canonical) != 0)
        fprintf(stderr, "got:\n%s", out);
    assert_string_equal(out, messy_canonical);
    free(out);
}

static void test_idempotent(void **state) {
    (void)state;
    char *once = format(messy);
    char *twice = format(once);
    assert_string_equal(once, twice);
    char *thrice = format(twice);
    assert_string_equal(twice, thrice);
    free(once);
    free(twice);
    free(thrice);
}

/* Formatting changes layout only: the document means the same. */
static void test_same_document(void **state) {
    (void)state;
    char *out = format(messy);
    json_error_t err;
    json_t *a = json_loads(messy, 0, &err);
    json_t *b = json_loads(out, 0, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    free(out);
}

/* Unknown members survive wherever they are, including in a node that is
 * otherwise broken (the formatter works on models with errors). */
static void test_unknown_fields_kept_in_broken_model(void **state) {
    (void)state;
    char *out = format("{\"tocm\": 1, \"nodes\": [{\"id\": 5, \"donor_ref\": \"KH-7\"}, 3],"
                       " \"extra\": [{}]}");
    assert_string_equal(out, "{\n"
                             "  \"tocm\": 1,\n"
                             "  \"nodes\": [\n"
                             "    {\n"
                             "      \"id\": 5,\n"
                             "      \"donor_ref\": \"KH-7\"\n"
                             "    },\n"
                             "    3\n"
                             "  ],\n"
                             "  \"extra\": [\n"
                             "    {}\n"
                             "  ]\n"
                             "}\n");
    free(out);
}

/* Key order is only imposed where the format defines it: an unknown object
 * that happens to have an "id" key keeps its own order. */
static void test_order_only_where_defined(void **state) {
    (void)state;
    char *out = format("{\"tocm\": 1, \"meta\": {\"title\": \"t\", \"id\": \"i\"},"
                       " \"nodes\": [{\"id\": \"G\", \"title\": \"g\", \"level\": \"goal\","
                       " \"x\": {\"title\": 1, \"id\": 2}}]}");
    assert_non_null(strstr(out, "  \"meta\": {\n    \"title\": \"t\",\n    \"id\": \"i\"\n  }"));
    assert_non_null(strstr(out, "\"x\": {\n        \"title\": 1,\n        \"id\": 2\n      }"));
    assert_non_null(
        strstr(out, "\"id\": \"G\",\n      \"level\": \"goal\",\n      \"title\": \"g\""));
    free(out);
}

/* Returns the canonical text of a number n as written in the "v" member. */
static char *number_text(const char *n) {
    char text[256];
    snprintf(text, sizeof text, "{\"tocm\": 1, \"v\": %s}", n);
    char *out = format(text);
    const char *start = strstr(out, "\"v\": ");
    assert_non_null(start);
    start += 5;
    size_t len = strcspn(start, "\n");
    char *result = malloc(len + 1);
    assert_non_null(result);
    memcpy(result, start, len);
    result[len] = '\0';
    free(out);
    return result;
}

static void check_number(const char *in, const char *want) {
    char *got = number_text(in);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "%s formatted as %s, want %s\n", in, got, want);
    assert_string_equal(got, want);
    free(got);
}

static void test_numbers(void **state) {
    (void)state;
    check_number("0.1", "0.1");
    check_number("2.0", "2.0"); /* stays a real, not the integer 2 */
    check_number("2.50", "2.5");
    check_number("-0.5", "-0.5");
    check_number("1e300", "1e+300");
    check_number("1.5e-7", "1.5e-07");
    check_number("0.30000000000000004", "0.30000000000000004"); /* needs all 17 digits */
    check_number("123.456", "123.456");
    check_number("-0.0", "-0.0");
    check_number("2", "2");
    check_number("-17", "-17");
    check_number("9007199254740993", "9007199254740993"); /* integers stay exact */
    check_number("-9223372036854775808", "-9223372036854775808");
}

/* Whatever the text, a real reads back as the same double, and as a real. */
static void test_reals_round_trip(void **state) {
    (void)state;
    static const char *const reals[] = {"100.0",
                                        "1500000.0",
                                        "1e21",
                                        "3.141592653589793",
                                        "2.2250738585072014e-308",
                                        "1.7976931348623157e308",
                                        "5e-324",
                                        "0.1e1",
                                        "1E2",
                                        "12345678.9"};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        char *got = number_text(reals[i]);
        json_error_t err;
        json_t *a = json_loads(reals[i], JSON_DECODE_ANY, &err);
        json_t *b = json_loads(got, JSON_DECODE_ANY, &err);
        assert_non_null(a);
        if (!b || !json_is_real(b) || json_real_value(a) != json_real_value(b))
            fail_msg("%s formatted as %s, which does not read back the same", reals[i], got);
        /* And the formatted text formats to itself. */
        char *again = number_text(got);
        assert_string_equal(again, got);
        free(again);
        json_decref(a);
        json_decref(b);
        free(got);
    }
}

static void test_string_escaping(void **state) {
    (void)state;
    char *out = format("{\"tocm\": 1, \"s\": \"q\\\" b\\\\ s\\/ n\\n t\\t r\\r b\\b f\\f"
                       " c\\u0001\\u001f del\\u007f\"}");
    /* JSON requires escaping quote, backslash and controls below 0x20:
     * nothing else (the solidus and DEL come out as themselves). */
    assert_non_null(strstr(out, "\"s\": \"q\\\" b\\\\ s/ n\\n t\\t r\\r b\\b f\\f"
                                " c\\u0001\\u001f del\x7f\"\n"));
    free(out);
    /* Keys are strings too. */
    out = format("{\"tocm\": 1, \"a\\\"b\\n\": 1}");
    assert_non_null(strstr(out, "\"a\\\"b\\n\": 1"));
    free(out);
}

static void test_utf8_verbatim(void **state) {
    (void)state;
    /* Lao, Khmer, Vietnamese, an emoji (4 bytes), and escaped non-ASCII that
     * must come out as plain UTF-8. */
    char *out = format("{\"tocm\": 1, \"s\": \"ເມືອງ ភ្នំពេញ Việt Nam 😀 \\u00e9 \\ud83d\\ude00\"}");
    assert_non_null(strstr(out, "\"s\": \"ເມືອງ ភ្នំពេញ Việt Nam 😀 é 😀\"\n"));
    free(out);
}

/* A string with an escaped NUL is refused on load (jansson would cut the
 * string there): it must not reach the writer half-read. */
static void test_nul_refused(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = NULL;
    assert_int_equal(tocm_model_load_string("{\"tocm\": 1, \"s\": \"a\\u0000b\"}", "t.json", d, &m),
                     TOCM_EINVALID);
    assert_null(m);
    assert_string_equal(tocm_diags_get(d, 0)->code, "E001");
    tocm_diags_free(d);
}

static void test_empty_containers_and_len(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok("{\"tocm\":1,\"nodes\":[],\"program\":{},\"x\":[[],{}]}", d);
    char *out = tocm_model_format(m, NULL); /* len may be NULL */
    assert_string_equal(out, "{\n"
                             "  \"tocm\": 1,\n"
                             "  \"program\": {},\n"
                             "  \"nodes\": [],\n"
                             "  \"x\": [\n"
                             "    [],\n"
                             "    {}\n"
                             "  ]\n"
                             "}\n");
    free(out);
    tocm_model_free(m);
    tocm_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_layout),
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_same_document),
        cmocka_unit_test(test_unknown_fields_kept_in_broken_model),
        cmocka_unit_test(test_order_only_where_defined),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_reals_round_trip),
        cmocka_unit_test(test_string_escaping),
        cmocka_unit_test(test_utf8_verbatim),
        cmocka_unit_test(test_nul_refused),
        cmocka_unit_test(test_empty_containers_and_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
