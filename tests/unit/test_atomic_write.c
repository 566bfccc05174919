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
#include <fcntl.h>
#include <sys/file.h>
#include <sys/time.h>
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

static void write_text(const char *path, const char *text) {
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static void assert_content(const char *path, const char *text) {
    size_t len;
    char *got = slurp(path, &len);
    assert_int_equal(len, strlen(text));
    assert_memory_equal(got, text, len);
    free(got);
}

/* Root editing a user's file leaves it the user's (issue 10, defect 16). */
static void test_keeps_owner_and_group(void **state) {
    struct fixture *f = *state;
    if (geteuid() != 0)
        skip(); /* only root can give a file away */
    write_text(f->path, "old\n");
    assert_int_equal(chown(f->path, 1234, 5678), 0);
    assert_int_equal(chmod(f->path, 0600), 0);
    char err[256] = "";
    assert_int_equal(tocm_write_file_atomic(f->path, "new\n", 4, err, sizeof err), TOCM_OK);
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_uid, 1234);
    assert_int_equal(st.st_gid, 5678);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_content(f->path, "new\n");
}

/* A symbolic link is followed: its target is replaced, the link stays. */
static void test_follows_symlink(void **state) {
    struct fixture *f = *state;
    char *target = tocmp_asprintf("%s/real.json", f->dir);
    write_text(target, "old\n");
    assert_int_equal(symlink("real.json", f->path), 0);
    char err[256] = "";
    assert_int_equal(tocm_write_file_atomic(f->path, "new\n", 4, err, sizeof err), TOCM_OK);
    struct stat st;
    assert_int_equal(lstat(f->path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_content(target, "new\n");
    assert_int_equal(entries(f->dir), 2);
    /* A dangling link is not silently turned into a file. */
    assert_int_equal(unlink(target), 0);
    assert_int_equal(tocm_write_file_atomic(f->path, "x", 1, err, sizeof err), TOCM_EIO);
    assert_non_null(strstr(err, "cannot follow the symbolic link"));
    assert_int_equal(lstat(f->path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    free(target);
}

/* A read-only file is refused, for root too; the file is untouched. */
static void test_refuses_read_only_file(void **state) {
    struct fixture *f = *state;
    write_text(f->path, "old\n");
    assert_int_equal(chmod(f->path, 0444), 0);
    char err[256] = "";
    assert_int_equal(tocm_write_file_atomic(f->path, "new\n", 4, err, sizeof err), TOCM_EIO);
    assert_non_null(strstr(err, f->path));
    assert_non_null(strstr(err, "read-only (mode 0444)"));
    assert_content(f->path, "old\n");
    assert_int_equal(entries(f->dir), 1);
}

static void test_refuses_read_only_folder(void **state) {
    struct fixture *f = *state;
    write_text(f->path, "old\n");
    assert_int_equal(chmod(f->dir, 0555), 0);
    char err[256] = "";
    int rc = tocm_write_file_atomic(f->path, "new\n", 4, err, sizeof err);
    assert_int_equal(chmod(f->dir, 0700), 0);
    assert_int_equal(rc, TOCM_EIO);
    assert_non_null(strstr(err, f->path));
    assert_content(f->path, "old\n");
    assert_int_equal(entries(f->dir), 1);
}

/* Not a regular file: a FIFO is never opened (it would block), nor replaced. */
static void test_refuses_fifo(void **state) {
    struct fixture *f = *state;
    assert_int_equal(mkfifo(f->path, 0644), 0);
    char err[256] = "";
    assert_int_equal(tocm_write_file_atomic(f->path, "x", 1, err, sizeof err), TOCM_EIO);
    assert_non_null(strstr(err, "not a regular file"));
    struct stat st;
    assert_int_equal(lstat(f->path, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(entries(f->dir), 1);
}

/* The file the caller locked was swapped for another: nothing written. */
static void test_expect_mismatch(void **state) {
    struct fixture *f = *state;
    write_text(f->path, "first\n");
    struct stat locked;
    assert_int_equal(stat(f->path, &locked), 0);
    char *other = tocmp_asprintf("%s/other", f->dir);
    write_text(other, "second\n");
    assert_int_equal(rename(other, f->path), 0);
    char err[256] = "";
    assert_int_equal(tocmp_replace_file(f->path, "new\n", 4, &locked, err, sizeof err), TOCM_EIO);
    assert_non_null(strstr(err, "replaced or moved"));
    assert_content(f->path, "second\n");
    assert_int_equal(entries(f->dir), 1);
    /* The file it names now passes. */
    assert_int_equal(stat(f->path, &locked), 0);
    assert_int_equal(tocmp_replace_file(f->path, "new\n", 4, &locked, err, sizeof err), TOCM_OK);
    assert_content(f->path, "new\n");
    free(other);
}

static void make_aged(const char *path, int seconds_old) {
    write_text(path, "partial");
    struct timeval tv[2];
    gettimeofday(&tv[0], NULL);
    tv[0].tv_sec -= seconds_old;
    tv[1] = tv[0];
    assert_int_equal(utimes(path, tv), 0);
}

/* Temporary files left by a killed writer are swept by the next write;
 * one still held by a live writer, or brand new, is left alone. */
static void test_sweeps_stale_temporaries(void **state) {
    struct fixture *f = *state;
    char *stale = tocmp_asprintf("%s/.model.json.tmpAbC123", f->dir);
    char *fresh = tocmp_asprintf("%s/.model.json.tmpXyZ789", f->dir);
    char *held = tocmp_asprintf("%s/.model.json.tmpHeLd00", f->dir);
    char *other = tocmp_asprintf("%s/.other.json.tmpAbC123", f->dir);
    make_aged(stale, 3600);
    make_aged(fresh, 0);
    make_aged(held, 3600);
    make_aged(other, 3600);
    int fd = open(held, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    char err[256] = "";
    assert_int_equal(tocm_write_file_atomic(f->path, "new\n", 4, err, sizeof err), TOCM_OK);
    assert_int_equal(access(stale, F_OK), -1);
    assert_int_equal(access(fresh, F_OK), 0);
    assert_int_equal(access(held, F_OK), 0);
    assert_int_equal(access(other, F_OK), 0);
    close(fd);
    free(stale);
    free(fresh);
    free(held);
    free(other);
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
        cmocka_unit_test_setup_teardown(test_keeps_owner_and_group, setup, teardown),
        cmocka_unit_test_setup_teardown(test_follows_symlink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_read_only_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_read_only_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_fifo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expect_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sweeps_stale_temporaries, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
