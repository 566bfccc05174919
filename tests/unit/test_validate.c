/*
 * test_validate.c -- the semantic rules E101-E108 and W201-W203, each with
 * its exact code, JSON path and node, and the validator on very long chains.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tocm/tocm.h"

#define PROGRAM "\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"P\"}"
/* Three custom levels, the middle one an outcome level. */
#define LEVELS "\"levels\": [\"top\", {\"id\": \"mid\", \"outcome\": true}, \"low\"]"

/* Loads text (which must load) and validates it; *errors gets the count
 * tocm_validate returned. The caller frees both. */
static tocm_diags *validate(const char *text, size_t *errors) {
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(text, d);
    /* The rules below are the validator's: the loader found nothing. */
    if (tocm_diags_count(d) != 0)
        dump_diags(d);
    assert_int_equal(tocm_diags_count(d), 0);
    size_t e = tocm_validate(m, d);
    assert_int_equal(e, tocm_diags_errors(d));
    if (errors)
        *errors = e;
    tocm_model_free(m);
    return d;
}

static void test_clean_model(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                             "  \"contributes_to\": [\"T\"], \"country\": \"KH\"},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"M\", \"T\"], \"country\": \"VN\"}]}",
                             &errors);
    assert_int_equal(errors, 0);
    assert_int_equal(tocm_diags_count(d), 0);
    tocm_diags_free(d);
}

static void test_e101_duplicate_id(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                             "  \"contributes_to\": [\"T\"]},\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t2\"},\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t3\"},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"M\"]}]}",
                             &errors);
    assert_int_equal(errors, 2);
    CHECK_DIAGS(d, {"E101", "/nodes/2/id", "T", "duplicate id 'T' (first used at /nodes/0)"},
                {"E101", "/nodes/3/id", "T", "duplicate id 'T' (first used at /nodes/0)"});
    tocm_diags_free(d);
}

static void test_e102_unknown_level(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                             "  \"contributes_to\": [\"T\"]},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"M\"]},\n"
                             " {\"id\": \"X\", \"level\": \"Low\", \"title\": \"x\","
                             "  \"contributes_to\": [\"M\"]}]}",
                             &errors);
    assert_int_equal(errors, 1);
    /* No W201 or E105 for X: with no level its links cannot be judged. */
    CHECK_DIAGS(d, {"E102", "/nodes/3/level", "X",
                    "node 'X' has unknown level 'Low' (the levels are: top, mid, low)"});
    tocm_diags_free(d);
}

static void test_e103_duplicate_level(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", \"levels\": [\"top\", {\"id\": \"low\"}, \"top\"],"
                             " \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"T\"]}]}",
                             &errors);
    assert_int_equal(errors, 1);
    /* Only E103: the second "top" is not also reported as empty (W203). */
    CHECK_DIAGS(d,
                {"E103", "/levels/2", NULL, "level 'top' is defined twice (first at /levels/0)"});
    tocm_diags_free(d);
}

static void test_e104_unknown_target(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                             "  \"contributes_to\": [\"T\", \"T2\"]},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"m\", \"M\"]}]}",
                             &errors);
    assert_int_equal(errors, 2);
    CHECK_DIAGS(d,
                {"E104", "/nodes/1/contributes_to/1", "M", "'M' contributes to unknown node 'T2'"},
                {"E104", "/nodes/2/contributes_to/0", "L", "'L' contributes to unknown node 'm'"});
    tocm_diags_free(d);
}

static void test_e104_only_dangling_links_is_not_orphan(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                             "  \"contributes_to\": [\"T\"]},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"gone\"]}]}",
                             &errors);
    /* M has no contributor that exists: W202 as well. */
    CHECK_DIAGS(d, {"E104", "/nodes/2/contributes_to/0", "L", "unknown node 'gone'"},
                {"W202", "/nodes/1", "M", "nothing contributes to outcome 'M'"});
    tocm_diags_free(d);
}

static void test_e105_not_higher(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                             "  \"contributes_to\": [\"T\"]},\n"
                             " {\"id\": \"M2\", \"level\": \"mid\", \"title\": \"m2\","
                             "  \"contributes_to\": [\"T\", \"M\"]},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"M\"]},\n"
                             " {\"id\": \"T2\", \"level\": \"top\", \"title\": \"t2\","
                             "  \"contributes_to\": [\"L\"]}]}",
                             &errors);
    assert_int_equal(errors, 2);
    /* Same level and lower level; skipping a level (L -> T) is allowed. W202
     * for M2: its only contributor would be a top-level node, and it has none. */
    CHECK_DIAGS(d,
                {"E105", "/nodes/2/contributes_to/1", "M2",
                 "'M2' (mid) contributes to 'M' (mid), which is not at a higher level"},
                {"E105", "/nodes/4/contributes_to/0", "T2",
                 "'T2' (top) contributes to 'L' (low), which is not at a higher level"},
                {"W202", "/nodes/2", "M2", "nothing contributes to outcome 'M2'"});
    tocm_diags_free(d);
}

/* The cycle M -> L -> M: the edge that closes it is reported, with the loop
 * spelled out from the node it returns to. */
static void test_e106_cycle(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                             "  \"contributes_to\": [\"T\", \"L\"]},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"M\"]}]}",
                             &errors);
    assert_int_equal(errors, 2);
    CHECK_DIAGS(d, {"E105", "/nodes/1/contributes_to/1", "M", "'M' (mid) contributes to 'L' (low)"},
                {"E106", "/nodes/2/contributes_to/0", "L", "the links form a cycle: M -> L -> M"});
    tocm_diags_free(d);
}

/* A longer loop among nodes whose levels are unknown (so E105 cannot fire
 * and E106 is the only thing that finds it), plus a self-loop. */
static void test_e106_longer_cycle_and_self_loop(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(
        "{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
        " {\"id\": \"A\", \"level\": \"?\", \"title\": \"a\", \"contributes_to\": [\"B\"]},\n"
        " {\"id\": \"B\", \"level\": \"?\", \"title\": \"b\", \"contributes_to\": [\"C\"]},\n"
        " {\"id\": \"C\", \"level\": \"?\", \"title\": \"c\", \"contributes_to\": [\"D\"]},\n"
        " {\"id\": \"D\", \"level\": \"?\", \"title\": \"d\", \"contributes_to\": [\"B\"]},\n"
        " {\"id\": \"S\", \"level\": \"?\", \"title\": \"s\", \"contributes_to\": [\"S\"]}]}",
        d);
    size_t errors = tocm_validate(m, d);
    /* 5 x E102, 2 x E106, W203 x 3 (no node has a known level). */
    assert_int_equal(errors, 7);
    size_t cycles = 0;
    for (size_t i = 0; i < tocm_diags_count(d); i++) {
        const tocm_diag *g = tocm_diags_get(d, i);
        if (strcmp(g->code, "E106") != 0)
            continue;
        cycles++;
        if (cycles == 1) {
            assert_string_equal(g->path, "/nodes/3/contributes_to/0");
            assert_string_equal(g->node, "D");
            assert_string_equal(g->message, "the links form a cycle: B -> C -> D -> B");
        } else {
            assert_string_equal(g->path, "/nodes/4/contributes_to/0");
            assert_string_equal(g->node, "S");
            assert_string_equal(g->message, "the links form a cycle: S -> S");
        }
    }
    assert_int_equal(cycles, 2);
    tocm_model_free(m);
    tocm_diags_free(d);
}

static void test_e107_country(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d =
        validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                 " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\", \"country\": \"UK\"},\n"
                 " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\", \"country\": \"kh\","
                 "  \"contributes_to\": [\"T\"]},\n"
                 " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\", \"country\": \"KHM\","
                 "  \"contributes_to\": [\"M\"]},\n"
                 " {\"id\": \"L2\", \"level\": \"low\", \"title\": \"l\", \"country\": \"\","
                 "  \"contributes_to\": [\"M\"]},\n"
                 " {\"id\": \"L3\", \"level\": \"low\", \"title\": \"l\", \"country\": \"GB\","
                 "  \"contributes_to\": [\"M\"]},\n"
                 " {\"id\": \"L4\", \"level\": \"low\", \"title\": \"l\", \"country\": \"ZW\","
                 "  \"contributes_to\": [\"M\"]},\n"
                 " {\"id\": \"L5\", \"level\": \"low\", \"title\": \"l\", \"country\": \"AD\","
                 "  \"contributes_to\": [\"M\"]}]}",
                 &errors);
    assert_int_equal(errors, 4);
    CHECK_DIAGS(d,
                {"E107", "/nodes/0/country", "T", "node 'T' has country 'UK', which is not an ISO"},
                {"E107", "/nodes/1/country", "M", "country 'kh'"},
                {"E107", "/nodes/2/country", "L", "country 'KHM'"},
                {"E107", "/nodes/3/country", "L2", "country ''"});
    tocm_diags_free(d);
}

static void test_e108_listed_twice(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                             "  \"contributes_to\": [\"T\"]},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"M\", \"T\", \"M\", \"M\"]},\n"
                             " {\"id\": \"L2\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"M\"]}]}",
                             &errors);
    assert_int_equal(errors, 2);
    /* L2 linking to M as well is not a repeat: it is another node. */
    CHECK_DIAGS(d, {"E108", "/nodes/2/contributes_to/2", "L", "'L' lists 'M' more than once"},
                {"E108", "/nodes/2/contributes_to/3", "L", "'L' lists 'M' more than once"});
    tocm_diags_free(d);
}

static void test_w201_orphan(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"T2\", \"level\": \"top\", \"title\": \"t2\"},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                             "  \"contributes_to\": [\"T\"]},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"M\"]},\n"
                             " {\"id\": \"L2\", \"level\": \"low\", \"title\": \"l2\"},\n"
                             " {\"id\": \"L3\", \"level\": \"low\", \"title\": \"l3\","
                             "  \"contributes_to\": []}]}",
                             &errors);
    assert_int_equal(errors, 0); /* warnings are not errors */
    /* Top-level nodes contribute to nothing by design: no W201 for T2. */
    CHECK_DIAGS(d, {"W201", "/nodes/4", "L2", "'L2' (low) contributes to nothing"},
                {"W201", "/nodes/5", "L3", "'L3' (low) contributes to nothing"});
    assert_int_equal(tocm_diags_warnings(d), 2);
    tocm_diags_free(d);
}

static void test_w202_outcome_without_contributors(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                             "  \"contributes_to\": [\"T\"]},\n"
                             " {\"id\": \"M2\", \"level\": \"mid\", \"title\": \"m2\","
                             "  \"contributes_to\": [\"T\"]},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"M\"]}]}",
                             &errors);
    assert_int_equal(errors, 0);
    /* Only "mid" is an outcome level: T has contributors anyway, and L is
     * on a level that is not an outcome. */
    CHECK_DIAGS(d, {"W202", "/nodes/2", "M2", "nothing contributes to outcome 'M2'"});
    tocm_diags_free(d);
}

static void test_w203_empty_level(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", \"levels\": [\"top\", \"mid\", \"low\", \"bottom\"],"
                             " \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"T\"]}]}",
                             &errors);
    assert_int_equal(errors, 0);
    CHECK_DIAGS(d, {"W203", "/levels/1", NULL, "level 'mid' has no nodes"},
                {"W203", "/levels/3", NULL, "level 'bottom' has no nodes"});
    tocm_diags_free(d);
}

/* A later node with a duplicated id (E101) gets no links (they go to the
 * first), so W202 would be a false alarm about the id; W201 about its own
 * contributes_to still holds. */
static void test_w202_not_for_duplicate_id(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                             "  \"contributes_to\": [\"T\"]},\n"
                             " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m2\"},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"M\"]}]}",
                             &errors);
    assert_int_equal(errors, 1);
    CHECK_DIAGS(d, {"E101", "/nodes/2/id", "M", NULL},
                {"W201", "/nodes/2", "M", "'M' (mid) contributes to nothing"});
    tocm_diags_free(d);
}

/* A contributes_to of the wrong type is an E004; no W201 on top of it. */
static void test_w201_not_after_e004(void **state) {
    (void)state;
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok("{" PROGRAM ", " LEVELS ", \"nodes\": [\n"
                            " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                            " {\"id\": \"M\", \"level\": \"mid\", \"title\": \"m\","
                            "  \"contributes_to\": \"T\"},\n"
                            " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                            "  \"contributes_to\": [\"M\"]}]}",
                            d);
    assert_int_equal(tocm_validate(m, d), 0);
    CHECK_DIAGS(d, {"E004", "/nodes/1/contributes_to", "M", NULL});
    tocm_model_free(m);
    tocm_diags_free(d);
}

/* With the default levels there is no "levels" member to point at. */
static void test_w203_default_levels(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", \"nodes\": [\n"
                             " {\"id\": \"G\", \"level\": \"goal\", \"title\": \"g\"},\n"
                             " {\"id\": \"E\", \"level\": \"eopo\", \"title\": \"e\","
                             "  \"contributes_to\": [\"G\"]},\n"
                             " {\"id\": \"I\", \"level\": \"intermediate\", \"title\": \"i\","
                             "  \"contributes_to\": [\"E\"]},\n"
                             " {\"id\": \"M\", \"level\": \"immediate\", \"title\": \"m\","
                             "  \"contributes_to\": [\"I\"]},\n"
                             " {\"id\": \"P\", \"level\": \"project\", \"title\": \"p\","
                             "  \"contributes_to\": [\"M\"]}]}",
                             &errors);
    assert_int_equal(errors, 0);
    CHECK_DIAGS(d, {"W203", "", NULL, "level 'cluster' has no nodes"},
                {"W203", "", NULL, "level 'activity' has no nodes"});
    tocm_diags_free(d);
}

/* Findings come out rule by rule, each in file order: levels, nodes, links,
 * cycles, then warnings. */
static void test_order_of_findings(void **state) {
    (void)state;
    size_t errors;
    tocm_diags *d = validate("{" PROGRAM ", \"levels\": [\"top\", \"low\", \"top\", \"empty\"],"
                             " \"nodes\": [\n"
                             " {\"id\": \"T\", \"level\": \"top\", \"title\": \"t\"},\n"
                             " {\"id\": \"L\", \"level\": \"low\", \"title\": \"l\","
                             "  \"contributes_to\": [\"T\", \"X\", \"T\"], \"country\": \"XX\"},\n"
                             " {\"id\": \"L\", \"level\": \"nope\", \"title\": \"l\"},\n"
                             " {\"id\": \"O\", \"level\": \"low\", \"title\": \"o\"}]}",
                             &errors);
    assert_int_equal(errors, 6);
    CHECK_DIAGS(d, {"E103", "/levels/2", NULL, NULL}, {"E107", "/nodes/1/country", "L", NULL},
                {"E101", "/nodes/2/id", "L", NULL}, {"E102", "/nodes/2/level", "L", NULL},
                {"E104", "/nodes/1/contributes_to/1", "L", NULL},
                {"E108", "/nodes/1/contributes_to/2", "L", NULL}, {"W201", "/nodes/3", "O", NULL},
                {"W203", "/levels/3", NULL, NULL});
    tocm_diags_free(d);
}

/* Builds a chain of n nodes on n levels, N0 at the top and each N(i)
 * contributing to N(i-1); with close_loop, N0 also contributes to the last. */
static char *chain_model(size_t n, int close_loop) {
    size_t cap = 128 + n * 96;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "{" PROGRAM ", \"levels\": [");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "%s\"L%zu\"", i ? "," : "", i);
    len += (size_t)snprintf(text + len, cap - len, "], \"nodes\": [");
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(text + len, cap - len,
                                "%s{\"id\": \"N%zu\", \"level\": \"L%zu\", \"title\": \"t\"",
                                i ? "," : "", i, i);
        if (i > 0)
            len +=
                (size_t)snprintf(text + len, cap - len, ", \"contributes_to\": [\"N%zu\"]", i - 1);
        else if (close_loop)
            len +=
                (size_t)snprintf(text + len, cap - len, ", \"contributes_to\": [\"N%zu\"]", n - 1);
        len += (size_t)snprintf(text + len, cap - len, "}");
    }
    len += (size_t)snprintf(text + len, cap - len, "]}");
    assert_true(len < cap);
    return text;
}

struct validate_job {
    const tocm_model *m;
    tocm_diags *d;
    size_t errors;
};

static void *validate_thread(void *arg) {
    struct validate_job *job = arg;
    job->errors = tocm_validate(job->m, job->d);
    return NULL;
}

/* Validates in a thread with a 1 MiB stack. A depth-first search by
 * recursion would need 100,000 frames on these chains and overflow it (it
 * would likely overflow the usual 8 MiB too); the validator must walk
 * iteratively. */
static tocm_diags *validate_small_stack(const char *text, size_t *errors) {
    tocm_diags *d = tocm_diags_new();
    tocm_model *m = load_ok(text, d);
    assert_int_equal(tocm_diags_count(d), 0);
    struct validate_job job = {.m = m, .d = d};
    pthread_attr_t attr;
    pthread_t thread;
    assert_int_equal(pthread_attr_init(&attr), 0);
    assert_int_equal(pthread_attr_setstacksize(&attr, 1u << 20), 0);
    assert_int_equal(pthread_create(&thread, &attr, validate_thread, &job), 0);
    assert_int_equal(pthread_join(thread, NULL), 0);
    pthread_attr_destroy(&attr);
    tocm_model_free(m);
    *errors = job.errors;
    return d;
}

static void test_long_chain(void **state) {
    (void)state;
    enum { N = 100000 };
    char *text = chain_model(N, 0);
    size_t errors;
    tocm_diags *d = validate_small_stack(text, &errors);
    free(text);
    assert_int_equal(errors, 0);
    assert_int_equal(tocm_diags_count(d), 0);
    tocm_diags_free(d);
}

static void test_long_cycle(void **state) {
    (void)state;
    enum { N = 100000 };
    char *text = chain_model(N, 1);
    size_t errors;
    tocm_diags *d = validate_small_stack(text, &errors);
    free(text);
    /* N0 (top) -> N99999 (bottom) goes down, and closes one big loop. */
    assert_int_equal(errors, 2);
    assert_int_equal(tocm_diags_count(d), 2);
    const tocm_diag *e105 = tocm_diags_get(d, 0), *e106 = tocm_diags_get(d, 1);
    assert_string_equal(e105->code, "E105");
    assert_string_equal(e105->path, "/nodes/0/contributes_to/0");
    assert_string_equal(e106->code, "E106");
    assert_string_equal(e106->node, "N1");
    assert_string_equal(e106->path, "/nodes/1/contributes_to/0");
    /* The loop is spelled out in full: N0 -> N99999 -> ... -> N1 -> N0. */
    const char *msg = e106->message;
    assert_non_null(strstr(msg, "the links form a cycle: N0 -> N99999 -> N99998 -> "));
    assert_non_null(strstr(msg, " -> N2 -> N1 -> N0"));
    /* A plain scan: strstr in a loop is quadratic under ASan's interceptor. */
    size_t arrows = 0;
    for (const char *p = msg; *p; p++)
        if (p[0] == ' ' && p[1] == '-' && p[2] == '>' && p[3] == ' ')
            arrows++;
    assert_int_equal(arrows, N);
    tocm_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_model),
        cmocka_unit_test(test_e101_duplicate_id),
        cmocka_unit_test(test_e102_unknown_level),
        cmocka_unit_test(test_e103_duplicate_level),
        cmocka_unit_test(test_e104_unknown_target),
        cmocka_unit_test(test_e104_only_dangling_links_is_not_orphan),
        cmocka_unit_test(test_e105_not_higher),
        cmocka_unit_test(test_e106_cycle),
        cmocka_unit_test(test_e106_longer_cycle_and_self_loop),
        cmocka_unit_test(test_e107_country),
        cmocka_unit_test(test_e108_listed_twice),
        cmocka_unit_test(test_w201_orphan),
        cmocka_unit_test(test_w202_outcome_without_contributors),
        cmocka_unit_test(test_w203_empty_level),
        cmocka_unit_test(test_w203_default_levels),
        cmocka_unit_test(test_w202_not_for_duplicate_id),
        cmocka_unit_test(test_w201_not_after_e004),
        cmocka_unit_test(test_order_of_findings),
        cmocka_unit_test(test_long_chain),
        cmocka_unit_test(test_long_cycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
