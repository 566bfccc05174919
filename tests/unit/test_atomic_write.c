/*
 * test_atomic_write.c -- tocm_write_file_atomic: content, permissions,
 * clean failure, no temporary files left behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tocm/tocm.h"
#include "util.h"

struct fixture {
    char dir[64];
    char *path; /* dir/model.json */
    mode_t old_umask;
};

static int setup(void **state) {
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/tocm-test-write-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->path = tocmp_asprintf("%s/model.json", f->dir);
    f->old_umask = umask(022);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    struct fixture *f = *state;
    DIR *d = opendir(f->dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *p = tocmp_asprintf("%s/%s", f->dir, e->d_name);
            unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(f->dir);
    umask(f->old_umask);
    free(f->path);
    free(f);
    return 0;
}

static char *slurp(const char *path, size_t *len) {
    char *text = tocmp_read_file(path, len);
    assert_non_null(text);
    return text;
}

/* Names in the directory other than "." and "..". */
static size_t entries(const char *dir) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static mode_t mode_of(const char *path) {
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

static void test_writes_new_file(void **state) {
    struct fixture *f = *state;
    char err[256] = "";
    static const char data[] = "{\n  \"tocm\": 1\n}\n";
    assert_int_equal(tocm_write_file_atomic(f->path, data, sizeof data - 1, err, sizeof err),
                     TOCM_OK);
    size_t len;
    char *text = slurp(f->path, &len);
    assert_int_equal(len, sizeof data - 1);
    assert_memory_equal(text, data, len);
    free(text);
    /* A new file gets 0666 less the umask (022), not mkstemp's 0600. */
    assert_int_equal(mode_of(f->path), 0644);
    /* The temporary file was renamed, not left beside it. */
    assert_int_equal(entries(f->dir), 1);
}

static void test_replaces_and_keeps_mode(void **state) {
    struct fixture *f = *state;
    char err[256] = "";
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    fputs("old content that is longer than the new one\n", fp);
    fclose(fp);
    assert_int_equal(chmod(f->path, 0640), 0);
    struct stat before;
    assert_int_equal(stat(f->path, &before), 0);

    assert_int_equal(tocm_write_file_atomic(f->path, "new\n", 4, err, sizeof err), TOCM_OK);
    size_t len;
    char *text = slurp(f->path, &len);
    assert_int_equal(len, 4);
    assert_memory_equal(text, "new\n", 4);
    free(text);
    assert_int_equal(mode_of(f->path), 0640);
    /* Replaced by rename: a new inode, never the old file truncated. */
    struct stat after;
    assert_int_equal(stat(f->path, &after), 0);
    assert_true(after.st_ino != before.st_ino);
    assert_int_equal(entries(f->dir), 1);

    /* An unusual mode survives too. */
    assert_int_equal(chmod(f->path, 0600), 0);
    assert_int_equal(tocm_write_file_atomic(f->path, "x", 1, err, sizeof err), TOCM_OK);
    assert_int_equal(mode_of(f->path), 0600);
}

static void test_empty_data(void **state) {
    struct fixture *f = *state;
    char err[256] = "";
    assert_int_equal(tocm_write_file_atomic(f->path, "", 0, err, sizeof err), TOCM_OK);
    size_t len = 99;
    char *text = slurp(f->path, &len);
    assert_int_equal(len, 0);
    free(text);
}

static void test_large_data(void **state) {
    struct fixture *f = *state;
    char err[256] = "";
    size_t n = 5u << 20;
    char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)('a' + i % 26);
    assert_int_equal(tocm_write_file_atomic(f->path, data, n, err, sizeof err), TOCM_OK);
    size_t len;
    char *text = slurp(f->path, &len);
    assert_int_equal(len, n);
    assert_memory_equal(text, data, n);
    free(text);
    free(data);
}

static void test_missing_directory(void **state) {
    struct fixture *f = *state;
    char err[256] = "";
    char *path = tocmp_asprintf("%s/no-such-dir/model.json", f->dir);
    assert_int_equal(tocm_write_file_atomic(path, "x", 1, err, sizeof err), TOCM_EIO);
    /* The message names the file and says why. */
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, strerror(ENOENT)));
    /* Nothing was created anywhere. */
    assert_int_equal(entries(f->dir), 0);
    free(path);
}

static void test_small_error_buffer(void **state) {
    struct fixture *f = *state;
    char err[8];
    memset(err, 'Z', sizeof err);
    char *path = tocmp_asprintf("%s/no-such-dir/model.json", f->dir);
    assert_int_equal(tocm_write_file_atomic(path, "x", 1, err, sizeof err), TOCM_EIO);
    /* Truncated, but always terminated within the buffer. */
    assert_int_equal(strlen(err), sizeof err - 1);
    free(path);
}

static void test_target_is_a_directory(void **state) {
    struct fixture *f = *state;
    char err[256] = "";
    assert_int_equal(mkdir(f->path, 0755), 0);
    assert_int_equal(tocm_write_file_atomic(f->path, "x", 1, err, sizeof err), TOCM_EIO);
    assert_non_null(strstr(err, f->path));
    /* The temporary file is cleaned up after the failed rename. */
    assert_int_equal(entries(f->dir), 1);
    assert_int_equal(rmdir(f->path), 0);
}

/* A bare file name writes in the current directory. */
static void test_relative_path(void **state) {
    struct fixture *f = *state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(f->dir), 0);
    char err[256] = "";
    int rc = tocm_write_file_atomic("model.json", "rel\n", 4, err, sizeof err);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, TOCM_OK);
    size_t len;
    char *text = slurp(f->path, &len);
    assert_memory_equal(text, "rel\n", 4);
    free(text);
    assert_int_equal(entries(f->dir), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_writes_new_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replaces_and_keeps_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_error_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_target_is_a_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_path, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
