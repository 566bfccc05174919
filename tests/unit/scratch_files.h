/*
 * scratch_files.h -- shared by the unit tests that edit files in a scratch
 * directory (test_edit.c, test_record.c): write a file whole, read it back.
 * Include after <cmocka.h>; the tests have core/ on their include path.
 */
#ifndef TOCM_TEST_SCRATCH_FILES_H
#define TOCM_TEST_SCRATCH_FILES_H

#include <stdio.h>

#include "util.h"

/* Writes text to path, replacing it; fails the test on any error. */
static inline void put(const char *path, const char *text) {
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    assert_true(fputs(text, out) >= 0);
    assert_int_equal(fclose(out), 0);
}

/* The whole file. new (free). */
static inline char *slurp(const char *path) {
    char *text = tocmp_read_file(path, NULL);
    assert_non_null(text);
    return text;
}

#endif
