/*
 * test_idmap.c -- the string -> index hash map behind tocm_model_find_node.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idmap.h"

#define MISSING ((size_t)-1)

static void test_put_then_get(void **state) {
    (void)state;
    tocmp_idmap map;
    assert_int_equal(tocmp_idmap_init(&map, 4), 0);
    assert_int_equal(tocmp_idmap_put(&map, "G", 0), 0);
    assert_int_equal(tocmp_idmap_put(&map, "O1", 1), 1);
    assert_int_equal(tocmp_idmap_put(&map, "O2.4", 7), 7);
    assert_int_equal(map.count, 3);
    assert_int_equal(tocmp_idmap_get(&map, "G"), 0);
    assert_int_equal(tocmp_idmap_get(&map, "O1"), 1);
    assert_int_equal(tocmp_idmap_get(&map, "O2.4"), 7);
    tocmp_idmap_free(&map);
}

static void test_get_missing(void **state) {
    (void)state;
    tocmp_idmap map;
    assert_int_equal(tocmp_idmap_init(&map, 0), 0);
    assert_int_equal(tocmp_idmap_get(&map, "anything"), MISSING);
    tocmp_idmap_put(&map, "O1", 3);
    assert_int_equal(tocmp_idmap_get(&map, "O"), MISSING);
    assert_int_equal(tocmp_idmap_get(&map, "O12"), MISSING);
    assert_int_equal(tocmp_idmap_get(&map, "o1"), MISSING);
    assert_int_equal(tocmp_idmap_get(&map, ""), MISSING);
    tocmp_idmap_free(&map);
    /* A freed map answers "missing" rather than touching freed memory. */
    assert_null(map.keys);
    assert_int_equal(tocmp_idmap_get(&map, "O1"), MISSING);
}

static void test_first_wins(void **state) {
    (void)state;
    tocmp_idmap map;
    assert_int_equal(tocmp_idmap_init(&map, 2), 0);
    assert_int_equal(tocmp_idmap_put(&map, "dup", 4), 4);
    /* The second put returns the value already there and changes nothing. */
    assert_int_equal(tocmp_idmap_put(&map, "dup", 9), 4);
    assert_int_equal(tocmp_idmap_get(&map, "dup"), 4);
    assert_int_equal(map.count, 1);
    tocmp_idmap_free(&map);
}

static void test_keys_compared_by_content(void **state) {
    (void)state;
    tocmp_idmap map;
    char stored[] = "P1.2";
    char probe[] = "P1.2";
    assert_ptr_not_equal(stored, probe);
    assert_int_equal(tocmp_idmap_init(&map, 1), 0);
    tocmp_idmap_put(&map, stored, 5);
    assert_int_equal(tocmp_idmap_get(&map, probe), 5);
    /* Keys are borrowed, not copied: the table holds our pointer. */
    int found = 0;
    for (size_t i = 0; i <= map.mask; i++)
        if (map.keys[i] == stored)
            found = 1;
    assert_true(found);
    tocmp_idmap_free(&map);
}

static void test_capacity_from_expected(void **state) {
    (void)state;
    tocmp_idmap map;
    assert_int_equal(tocmp_idmap_init(&map, 0), 0);
    assert_int_equal(map.mask + 1, 16); /* the minimum */
    tocmp_idmap_free(&map);
    assert_int_equal(tocmp_idmap_init(&map, 1000), 0);
    size_t cap = map.mask + 1;
    assert_int_equal(cap & (cap - 1), 0); /* a power of two */
    assert_true(cap >= 2000);
    assert_true(cap < 4000);
    tocmp_idmap_free(&map);
}

/* Starting from the smallest table, thousands of inserts force many grows;
 * every key must survive each rehash with its value. */
static void test_grow_keeps_everything(void **state) {
    (void)state;
    enum { N = 20000 };
    char (*keys)[16] = malloc(N * sizeof *keys);
    assert_non_null(keys);
    tocmp_idmap map;
    assert_int_equal(tocmp_idmap_init(&map, 0), 0);
    size_t initial = map.mask + 1;
    for (size_t i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "N%zu", i);
        assert_int_equal(tocmp_idmap_put(&map, keys[i], i * 3), i * 3);
        /* Never more than half full, so probes stay short. */
        assert_true(map.count * 2 <= map.mask + 1);
    }
    assert_true(map.mask + 1 > initial);
    assert_int_equal(map.count, N);
    for (size_t i = 0; i < N; i++)
        assert_int_equal(tocmp_idmap_get(&map, keys[i]), i * 3);
    /* Re-putting every key after the grows still finds the first value. */
    for (size_t i = 0; i < N; i++)
        assert_int_equal(tocmp_idmap_put(&map, keys[i], 1), i * 3);
    assert_int_equal(map.count, N);
    assert_int_equal(tocmp_idmap_get(&map, "N20000"), MISSING);
    tocmp_idmap_free(&map);
    free(keys);
}

/* Linear probing wraps from the last slot to the first: fill a small table
 * to its limit and check every key, whatever slots they hashed to. */
static void test_full_small_table(void **state) {
    (void)state;
    static const char *const keys[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
    tocmp_idmap map;
    assert_int_equal(tocmp_idmap_init(&map, 0), 0);
    for (size_t i = 0; i < 8; i++)
        tocmp_idmap_put(&map, keys[i], i);
    assert_int_equal(map.mask + 1, 16); /* 8 of 16: full without a grow */
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(tocmp_idmap_get(&map, keys[i]), i);
    tocmp_idmap_put(&map, "i", 8); /* the ninth forces a grow */
    assert_int_equal(map.mask + 1, 32);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(tocmp_idmap_get(&map, keys[i]), i);
    assert_int_equal(tocmp_idmap_get(&map, "i"), 8);
    tocmp_idmap_free(&map);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_then_get),
        cmocka_unit_test(test_get_missing),
        cmocka_unit_test(test_first_wins),
        cmocka_unit_test(test_keys_compared_by_content),
        cmocka_unit_test(test_capacity_from_expected),
        cmocka_unit_test(test_grow_keeps_everything),
        cmocka_unit_test(test_full_small_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
