/*
 * test_keys.c -- the streamed engine's two lookups (core/engine_keys.c):
 * interned column values, whose fast path reads a padded text a word at a
 * time and must agree with the plain path on every text; and the index of
 * finest states, whose keys are packed into one word until an id is too
 * large for it and which must then find every state made before.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_keys.h"

/* A text in its own padded buffer, as a chunk's would be, with non-zero
 * bytes after the NUL (a chunk holds the next fields there). */
static char *padded(const char *s) {
    size_t len = strlen(s);
    char *buf = malloc(len + 1 + TOCMP_TABLE_PAD);
    memcpy(buf, s, len + 1);
    memset(buf + len + 1, 'x', TOCMP_TABLE_PAD);
    return buf;
}

static void test_values_agree(void **state) {
    (void)state;
    /* Every length around the one-word boundary, the empty text, texts
     * that share their first 8 bytes, and bytes past ASCII. */
    const char *texts[] = {"",
                           "a",
                           "2021",
                           "female",
                           "1234567",
                           "12345678",
                           "123456789",
                           "P1234567",
                           "P1234568",
                           "P12345670",
                           "abcdefghijklmnop",
                           "abcdefghijklmnoq",
                           "caf\xc3\xa9",
                           "a,b"};
    size_t n = sizeof texts / sizeof texts[0];
    struct tocmp_values v;
    tocmp_values_init(&v);
    uint32_t ids[sizeof texts / sizeof texts[0]];
    for (size_t i = 0; i < n; i++) {
        char *p = padded(texts[i]);
        ids[i] = (i % 2) ? tocmp_values_intern_padded(&v, p) : tocmp_values_intern(&v, texts[i]);
        free(p);
    }
    assert_int_equal(v.count, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ids[i], i);
        assert_string_equal(v.text[i], texts[i]);
        /* Found again by the other path. */
        char *p = padded(texts[i]);
        assert_int_equal(tocmp_values_intern_padded(&v, p), ids[i]);
        assert_int_equal(tocmp_values_intern(&v, texts[i]), ids[i]);
        free(p);
    }
    assert_int_equal(v.count, n);
    tocmp_values_free(&v);
}

static void test_values_grow(void **state) {
    (void)state;
    struct tocmp_values v;
    tocmp_values_init(&v);
    char text[32];
    /* Enough values for the index to grow many times; short and long. */
    for (unsigned i = 0; i < 20000; i++) {
        snprintf(text, sizeof text, i % 3 ? "%u" : "person-%u", i);
        char *p = padded(text);
        assert_int_equal(tocmp_values_intern_padded(&v, p), i);
        free(p);
    }
    for (unsigned i = 0; i < 20000; i++) {
        snprintf(text, sizeof text, i % 3 ? "%u" : "person-%u", i);
        assert_int_equal(tocmp_values_intern(&v, text), i);
        assert_string_equal(v.text[i], text);
    }
    assert_int_equal(v.count, 20000);
    tocmp_values_free(&v);
}

/* A stand-in aggregate: init marks a state, so a state made twice shows. */
static int inits;
static void count_init(const struct tocm_host *host, const struct tocm_agg_plan *plan, void *st) {
    (void)host, (void)plan;
    inits++;
    *(int *)st = inits;
}
static const struct tocm_aggregate counting = {.size = sizeof counting, .init = count_init};

static void fold_setup(struct tocmp_fold *f, struct tocmp_part *p) {
    memset(f, 0, sizeof *f);
    f->agg = &counting;
    f->plugin = "test";
    memset(p, 0, sizeof *p);
    p->pool.size = 16;
    inits = 0;
}

/* Makes a state for every key of keys[0..n) twice over, checking that the
 * second round finds the first round's states, in the order they were
 * made, and that distinct keys have distinct states. */
static void check_keys(const uint32_t *keys, size_t n, size_t arity) {
    struct tocmp_fold f;
    struct tocmp_part p;
    fold_setup(&f, &p);
    void **made = calloc(n, sizeof *made);
    for (size_t round = 0; round < 2; round++)
        for (size_t k = 0; k < n; k++) {
            size_t index;
            void *st = tocmp_part_state(&p, &f, keys + k * arity, arity, &index);
            assert_int_equal(index, k);
            if (round == 0)
                made[k] = st;
            else
                assert_ptr_equal(st, made[k]);
            assert_int_equal(*(int *)st, (int)k + 1); /* init once, in order */
        }
    assert_int_equal(p.pool.count, n);
    assert_int_equal(inits, (int)n);
    for (size_t k = 0; k < n; k++)
        assert_memory_equal(p.keys + k * arity, keys + k * arity, arity * sizeof *keys);
    free(made);
    tocmp_part_free(&p, &f);
}

static void test_part_packed(void **state) {
    (void)state;
    /* Year x country x sex: distinct keys whose parts differ in each place. */
    uint32_t keys[5 * 10 * 4 * 3];
    size_t n = 0;
    for (uint32_t y = 0; y < 5; y++)
        for (uint32_t c = 0; c < 10; c++)
            for (uint32_t s = 0; s < 4; s++) {
                keys[n * 3] = y, keys[n * 3 + 1] = c, keys[n * 3 + 2] = s;
                n++;
            }
    check_keys(keys, n, 3);
    /* One part: ids of any size; two parts: 32 bits each. */
    uint32_t one[] = {7, 0, UINT32_MAX, 123456};
    check_keys(one, 4, 1);
    uint32_t two[] = {0, 1, 1, 0, UINT32_MAX, 0, 0, UINT32_MAX};
    check_keys(two, 4, 2);
}

static void test_part_turns_wide(void **state) {
    (void)state;
    /* Seven parts pack 9 bits each: an id of 512 or more does not fit.
     * Keys whose ids fit come first (1, 1, 1, 1, 1, 1, k); then keys with
     * larger ids (1, 1, 1, 1, 1, 0, k | 512), which a packing that let the
     * tenth bit of the last id spill into the part before would take for
     * the first ones. */
    enum { N = 1000, ARITY = 7 };
    uint32_t *keys = calloc(N * ARITY, sizeof *keys);
    for (size_t k = 0; k < N; k++) {
        for (size_t a = 0; a < ARITY - 1; a++)
            keys[k * ARITY + a] = 1;
        if (k < 500) {
            keys[k * ARITY + ARITY - 1] = (uint32_t)k;
        } else {
            keys[k * ARITY + ARITY - 2] = 0;
            keys[k * ARITY + ARITY - 1] = (uint32_t)(k - 500) | 512u;
        }
    }
    check_keys(keys, N, ARITY);
    free(keys);
    uint32_t none = 0;
    check_keys(&none, 1, 0); /* no period, no breakdown: one state */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_agree),
        cmocka_unit_test(test_values_grow),
        cmocka_unit_test(test_part_packed),
        cmocka_unit_test(test_part_turns_wide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
