/*
 * helpers.h -- shared by the unit tests: load a model from text and compare
 * its findings with an exact expected list. Include after <cmocka.h>.
 */
#ifndef TOCM_TEST_HELPERS_H
#define TOCM_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tocm/tocm.h"

/* One expected finding. node NULL: the finding names no node. message: a
 * piece of text the message must contain (NULL: not checked). */
struct expect {
    const char *code;
    const char *path;
    const char *node;
    const char *message;
};

static inline void dump_diags(const tocm_diags *d) {
    fprintf(stderr, "-- %zu finding(s):\n", tocm_diags_count(d));
    tocm_diags_print(d, stderr);
}

/* Every finding, in order, exactly as expected: code, path, node, severity
 * (from the code's letter) and message text. */
static inline void check_diags(const tocm_diags *d, const struct expect *want, size_t n) {
    if (tocm_diags_count(d) != n)
        dump_diags(d);
    assert_int_equal(tocm_diags_count(d), n);
    for (size_t i = 0; i < n; i++) {
        const tocm_diag *g = tocm_diags_get(d, i);
        int ok = strcmp(g->code, want[i].code) == 0 && strcmp(g->path, want[i].path) == 0 &&
                 ((!g->node && !want[i].node) ||
                  (g->node && want[i].node && strcmp(g->node, want[i].node) == 0)) &&
                 (!want[i].message || strstr(g->message, want[i].message));
        if (!ok) {
            fprintf(stderr, "finding %zu: want %s %s node=%s msg~'%s'\n", i, want[i].code,
                    want[i].path, want[i].node ? want[i].node : "(none)",
                    want[i].message ? want[i].message : "");
            dump_diags(d);
        }
        assert_string_equal(g->code, want[i].code);
        assert_string_equal(g->path, want[i].path);
        if (want[i].node) {
            assert_non_null(g->node);
            assert_string_equal(g->node, want[i].node);
        } else {
            assert_null(g->node);
        }
        if (want[i].message)
            assert_non_null(strstr(g->message, want[i].message));
        assert_int_equal(g->severity, want[i].code[0] == 'W' ? TOCM_SEV_WARNING : TOCM_SEV_ERROR);
    }
}

#define CHECK_DIAGS(d, ...)                                                                        \
    do {                                                                                           \
        const struct expect want_[] = {__VA_ARGS__};                                               \
        check_diags((d), want_, sizeof want_ / sizeof want_[0]);                                   \
    } while (0)

/* Loads text that must give a model (TOCM_OK). */
static inline tocm_model *load_ok(const char *text, tocm_diags *d) {
    tocm_model *m = NULL;
    int rc = tocm_model_load_string(text, "t.json", d, &m);
    if (rc != TOCM_OK)
        dump_diags(d);
    assert_int_equal(rc, TOCM_OK);
    assert_non_null(m);
    return m;
}

#endif
