/*
 * fault_shim.c -- an LD_PRELOAD library that makes one system call of
 * tocm's write path fail (or run a command first), for the fault-injection
 * tests (test_faults.sh). Portable where mounting a small tmpfs is not.
 *
 *   TOCM_FAULT=CALL:N:WHAT[,CALL:N:WHAT...]
 *
 * CALL is write, fsync, fchown, fchmod, renameat, rename, create (an
 * open/openat with O_CREAT) or close (of a file this process created).
 * N is which call fails: 1 the first, 2 the second, ...; "*" every one.
 * WHAT is an errno name (ENOSPC, EIO, EACCES, EDQUOT, EROFS, EXDEV, EPERM,
 * ENOENT) or "run": run $TOCM_FAULT_RUN with /bin/sh, then make the call
 * as usual (to move a folder or swap a file at that very moment).
 *
 * Only tocm's own direct calls are seen: glibc's stdio writes through
 * internal aliases, so standard output is not affected.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

enum call { C_WRITE, C_FSYNC, C_FCHOWN, C_FCHMOD, C_RENAMEAT, C_RENAME, C_CREATE, C_CLOSE, C_N };
static const char *const call_names[C_N] = {"write",    "fsync",  "fchown", "fchmod",
                                            "renameat", "rename", "create", "close"};

#define MAX_RULES 8
static struct rule {
    enum call call;
    long nth;  /* 0: every call */
    int error; /* 0: run the command */
} rules[MAX_RULES];
static int rule_count = -1;
static long counts[C_N];
static unsigned char created[4096]; /* fds this process created */

static int errno_named(const char *name) {
    static const struct {
        const char *name;
        int value;
    } table[] = {{"ENOSPC", ENOSPC}, {"EIO", EIO},     {"EACCES", EACCES}, {"EDQUOT", EDQUOT},
                 {"EROFS", EROFS},   {"EXDEV", EXDEV}, {"EPERM", EPERM},   {"ENOENT", ENOENT},
                 {"EINTR", EINTR},   {"EFBIG", EFBIG}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, name) == 0)
            return table[i].value;
    fprintf(stderr, "fault_shim: unknown errno name '%s'\n", name);
    abort();
}

static void parse_rules(void) {
    rule_count = 0;
    const char *spec = getenv("TOCM_FAULT");
    if (!spec || !*spec)
        return;
    char *copy = strdup(spec);
    for (char *save = NULL, *item = strtok_r(copy, ",", &save); item && rule_count < MAX_RULES;
         item = strtok_r(NULL, ",", &save)) {
        char *name = item, *nth = strchr(name, ':'), *what = nth ? strchr(nth + 1, ':') : NULL;
        if (!what) {
            fprintf(stderr, "fault_shim: TOCM_FAULT item '%s' is not CALL:N:WHAT\n", item);
            abort();
        }
        *nth++ = '\0';
        *what++ = '\0';
        struct rule *r = &rules[rule_count];
        int found = 0;
        for (int c = 0; c < C_N; c++)
            if (strcmp(call_names[c], name) == 0)
                r->call = (enum call)c, found = 1;
        if (!found) {
            fprintf(stderr, "fault_shim: unknown call '%s'\n", name);
            abort();
        }
        r->nth = strcmp(nth, "*") == 0 ? 0 : atol(nth);
        r->error = strcmp(what, "run") == 0 ? 0 : errno_named(what);
        rule_count++;
    }
    free(copy);
}

/* Counts the call; returns the errno to fail it with, or 0 to go ahead
 * (after running the command when a "run" rule matched). */
static int fault(enum call c) {
    if (rule_count < 0)
        parse_rules();
    long n = ++counts[c];
    for (int i = 0; i < rule_count; i++) {
        if (rules[i].call != c || (rules[i].nth && rules[i].nth != n))
            continue;
        if (rules[i].error)
            return rules[i].error;
        const char *cmd = getenv("TOCM_FAULT_RUN");
        if (cmd && system(cmd) != 0)
            fprintf(stderr, "fault_shim: '%s' failed\n", cmd);
    }
    return 0;
}

#define REAL(name, type) ((type)dlsym(RTLD_NEXT, name))

ssize_t write(int fd, const void *buf, size_t n) {
    int e = fault(C_WRITE);
    if (e) {
        errno = e;
        return -1;
    }
    return REAL("write", ssize_t(*)(int, const void *, size_t))(fd, buf, n);
}

int fsync(int fd) {
    int e = fault(C_FSYNC);
    if (e) {
        errno = e;
        return -1;
    }
    return REAL("fsync", int (*)(int))(fd);
}

int fchown(int fd, uid_t uid, gid_t gid) {
    int e = fault(C_FCHOWN);
    if (e) {
        errno = e;
        return -1;
    }
    return REAL("fchown", int (*)(int, uid_t, gid_t))(fd, uid, gid);
}

int fchmod(int fd, mode_t mode) {
    int e = fault(C_FCHMOD);
    if (e) {
        errno = e;
        return -1;
    }
    return REAL("fchmod", int (*)(int, mode_t))(fd, mode);
}

int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
    int e = fault(C_RENAMEAT);
    if (e) {
        errno = e;
        return -1;
    }
    return REAL("renameat", int (*)(int, const char *, int, const char *))(olddirfd, oldpath,
                                                                           newdirfd, newpath);
}

int rename(const char *oldpath, const char *newpath) {
    int e = fault(C_RENAME);
    if (e) {
        errno = e;
        return -1;
    }
    return REAL("rename", int (*)(const char *, const char *))(oldpath, newpath);
}

static int note_created(int fd) {
    if (fd >= 0 && (size_t)fd < sizeof created)
        created[fd] = 1;
    return fd;
}

int openat(int dirfd, const char *path, int flags, ...) {
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
        int e = fault(C_CREATE);
        if (e) {
            errno = e;
            return -1;
        }
        return note_created(
            REAL("openat", int (*)(int, const char *, int, ...))(dirfd, path, flags, mode));
    }
    return REAL("openat", int (*)(int, const char *, int, ...))(dirfd, path, flags);
}

int open(const char *path, int flags, ...) {
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
        int e = fault(C_CREATE);
        if (e) {
            errno = e;
            return -1;
        }
        return note_created(REAL("open", int (*)(const char *, int, ...))(path, flags, mode));
    }
    return REAL("open", int (*)(const char *, int, ...))(path, flags);
}

/* mkstemp creates through glibc's internal open: count it as a create. */
int mkstemp(char *template) {
    int e = fault(C_CREATE);
    if (e) {
        errno = e;
        return -1;
    }
    return note_created(REAL("mkstemp", int (*)(char *))(template));
}

int close(int fd) {
    if (fd >= 0 && (size_t)fd < sizeof created && created[fd]) {
        created[fd] = 0;
        int e = fault(C_CLOSE);
        if (e) {
            /* As the kernel does: the descriptor is gone, the error reported. */
            REAL("close", int (*)(int))(fd);
            errno = e;
            return -1;
        }
    }
    return REAL("close", int (*)(int))(fd);
}
