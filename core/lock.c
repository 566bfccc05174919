/*
 * lock.c -- see lock.h.
 *
 * flock has no timeout of its own. Rather than interrupt a blocking flock
 * with a signal (which would touch the caller's signal handling), this polls
 * with LOCK_NB, starting at 1 ms and backing off to 50 ms: an edit holds the
 * lock for milliseconds, so the waiter gets it soon after it is free.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* flock */
#endif
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(long micros) {
    struct timespec ts = {.tv_sec = micros / 1000000, .tv_nsec = (micros % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int tocmp_lock_file(const char *path, const char *name, double timeout, FILE *notice, char *err,
                    size_t err_size) {
    /* Negative or infinite: wait for as long as it takes. NaN (which no
     * caller should pass) is taken as 0: an answer now, never a hang. */
    if (timeout != timeout)
        timeout = 0;
    int forever = timeout < 0 || timeout > 1e15;
    double start = now_seconds();
    long pause = 1000; /* microseconds */
    int told = 0;
    for (;;) {
        /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            snprintf(err, err_size, "cannot open %s: %s", name, strerror(errno));
            return -1;
        }
        /* Only a file can be edited: a device such as /dev/zero never ends
         * and a FIFO's content is gone once read. */
        struct stat kind;
        if (fstat(fd, &kind) != 0) {
            snprintf(err, err_size, "cannot read %s: %s", name, strerror(errno));
            close(fd);
            return -1;
        }
        if (!S_ISREG(kind.st_mode)) {
            snprintf(err, err_size, "%s is not a regular file (%s); tocm edits model files only",
                     name,
                     S_ISDIR(kind.st_mode)                            ? "a folder"
                     : S_ISFIFO(kind.st_mode)                         ? "a pipe"
                     : S_ISCHR(kind.st_mode) || S_ISBLK(kind.st_mode) ? "a device"
                                                                      : "not a file");
            close(fd);
            return -1;
        }
        for (;;) {
            if (flock(fd, LOCK_EX | LOCK_NB) == 0)
                break;
            if (errno == EINTR)
                continue;
            if (errno != EWOULDBLOCK) {
                snprintf(err, err_size, "cannot lock %s: %s", name, strerror(errno));
                close(fd);
                return -1;
            }
            double waited = now_seconds() - start;
            if (!forever && waited >= timeout) {
                snprintf(err, err_size,
                         "%s is being edited by another program (another tocm edit still "
                         "running?); gave up waiting after %g s; nothing was changed (try "
                         "again, or wait longer with --lock-timeout SECONDS)",
                         name, timeout);
                close(fd);
                return -1;
            }
            if (notice && !told && waited >= 1.0) {
                fprintf(notice, "tocm: waiting for another edit of %s to finish...\n", name);
                fflush(notice);
                told = 1;
            }
            /* In double until it is known to fit: (long)INFINITY is
             * undefined and once made this loop spin. */
            double left = forever ? (double)pause : (timeout - waited) * 1e6 + 1;
            nap(left < (double)pause ? (long)left : pause);
            if (pause < 50000)
                pause *= 2;
        }
        /* Locked. Is it still the file the path names? */
        struct stat held, named;
        if (fstat(fd, &held) != 0) {
            snprintf(err, err_size, "cannot read %s: %s", name, strerror(errno));
            close(fd);
            return -1;
        }
        if (stat(path, &named) == 0 && named.st_dev == held.st_dev && named.st_ino == held.st_ino)
            return fd;
        /* Replaced while we waited (or removed): try again on what the path
         * names now. A removed file ends the loop at open(). */
        close(fd);
    }
}

void tocmp_unlock_file(int fd) {
    if (fd < 0)
        return;
    flock(fd, LOCK_UN);
    close(fd);
}
