/*
 * test_idmap.c -- the string -> index hash map behind tocm_model_find_node,
 * and the library's out-of-memory rule it follows (tocm.h, "Errors and
 * memory"): an allocation that fails runs the program's handler, then
 * aborts; a lookup that must succeed and does not is an internal error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "idmap.h"
#include "tocm/tocm.h"
#include "util.h"

#define MISSING TOCMP_IDMAP_NONE

static void test_put_then_get(void **state) {
    (void)state;
    tocmp_idmap map;
    tocmp_idmap_init(&map, 4);
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
    tocmp_idmap_init(&map, 0);
    assert_int_equal(tocmp_idmap_get(&map, "anything"), MISSING);
    assert_int_equal(tocmp_idmap_put(&map, "O1", 3), 3);
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
    tocmp_idmap_init(&map, 2);
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
    tocmp_idmap_init(&map, 1);
    assert_int_equal(tocmp_idmap_put(&map, stored, 5), 5);
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
    tocmp_idmap_init(&map, 0);
    assert_int_equal(map.mask + 1, 16); /* the minimum */
    tocmp_idmap_free(&map);
    tocmp_idmap_init(&map, 1000);
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
    char(*keys)[16] = malloc(N * sizeof *keys);
    assert_non_null(keys);
    tocmp_idmap map;
    tocmp_idmap_init(&map, 0);
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
    tocmp_idmap_init(&map, 0);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(tocmp_idmap_put(&map, keys[i], i), i);
    assert_int_equal(map.mask + 1, 16); /* 8 of 16: full without a grow */
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(tocmp_idmap_get(&map, keys[i]), i);
    assert_int_equal(tocmp_idmap_put(&map, "i", 8), 8); /* the ninth forces a grow */
    assert_int_equal(map.mask + 1, 32);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(tocmp_idmap_get(&map, keys[i]), i);
    assert_int_equal(tocmp_idmap_get(&map, "i"), 8);
    tocmp_idmap_free(&map);
}

/* Runs fn in a child process, its standard error in *err (new); returns
 * the child's wait status. */
static int in_child(void (*fn)(void), char **err) {
    char path[] = "/tmp/tocm-idmap-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd, 2);
        signal(SIGABRT, SIG_DFL);
        fn();
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    *err = tocmp_read_file(path, NULL);
    assert_non_null(*err);
    close(fd);
    unlink(path);
    return status;
}

static void child_missing_key(void) {
    tocmp_idmap map;
    tocmp_idmap_init(&map, 0);
    assert_int_equal(tocmp_idmap_put(&map, "here", 1), 1);
    size_t v = tocmp_idmap_get_known(&map, "not-here");
    printf("%zu\n", v); /* not reached */
}

static void child_duplicate_key(void) {
    tocmp_idmap map;
    tocmp_idmap_init(&map, 0);
    tocmp_idmap_add_new(&map, "twice", 1);
    tocmp_idmap_add_new(&map, "twice", 2);
}

/* A key the caller put itself and cannot find is a bug: a clear stop, not
 * an index of (size_t)-1 into an array. */
static void test_internal_errors_stop(void **state) {
    (void)state;
    char *err;
    int status = in_child(child_missing_key, &err);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    assert_non_null(strstr(err, "tocm: internal error at "));
    assert_non_null(strstr(err, "'not-here' is not in the index"));
    free(err);
    status = in_child(child_duplicate_key, &err);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    assert_non_null(strstr(err, "'twice' is already in the index"));
    free(err);
    /* get_known and add_new in the ordinary case. */
    tocmp_idmap map;
    tocmp_idmap_init(&map, 0);
    tocmp_idmap_add_new(&map, "a", 7);
    assert_int_equal(tocmp_idmap_get_known(&map, "a"), 7);
    tocmp_idmap_free(&map);
}

/* Sanitizers intercept an impossible allocation themselves, so the
 * out-of-memory check runs in ordinary builds only. */
#if !defined(__SANITIZE_ADDRESS__)
static void exiting_handler(size_t size) {
    fprintf(stderr, "handler: %s\n", size > ((size_t)1 << 60) ? "huge" : "small");
    _exit(42);
}

static void child_out_of_memory_with_handler(void) {
    assert_null(tocm_set_oom_handler(exiting_handler));
    void *p = tocmp_xmalloc(SIZE_MAX / 2);
    free(p); /* not reached */
}

static void child_out_of_memory(void) {
    void *p = tocmp_xmalloc(SIZE_MAX / 2);
    free(p); /* not reached */
}

#endif

/* Out of memory: the program's handler runs (here it exits 42); without
 * one, tocm says so and aborts. */
static void test_out_of_memory(void **state) {
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip();
#else
    char *err;
    int status = in_child(child_out_of_memory_with_handler, &err);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 42);
    assert_string_equal(err, "handler: huge\n");
    free(err);
    status = in_child(child_out_of_memory, &err);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    assert_non_null(strstr(err, "tocm: out of memory ("));
    free(err);
#endif
}

/* jansson's allocations follow the same rule once the library is in use,
 * and a program's own jansson allocators are left alone. */
static void test_json_allocations(void **state) {
    (void)state;
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    assert_true(m == malloc && f == free);
    tocm_diags_free(tocm_diags_new());
    json_get_alloc_funcs(&m, &f);
    assert_true(m != malloc && f == free);
    json_t *v = json_string("allocated the tocm way");
    assert_non_null(v);
    json_decref(v);
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
        cmocka_unit_test(test_internal_errors_stop),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_json_allocations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
