/*
 * stdout_guard.c -- standard output that remembers why a write failed.
 *
 * stdio keeps only an error flag: when a block of output fails to reach a
 * full disk or a closed pipe half-way through a command, the reason (errno)
 * is gone by the time main's exit handler notices the flag, and the user
 * reads "cannot write to standard output" with no cause. So standard output
 * is replaced by a stream of our own (glibc documents stdout as a variable
 * that may be assigned) whose writes go to descriptor 1 and keep the first
 * failure's errno. Buffering is what stdio would choose: by line on a
 * terminal, in blocks otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "commands.h"

static int first_error; /* errno of the first failed write, 0 if none */

static ssize_t write_all(void *cookie, const char *data, size_t len) {
    (void)cookie;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(STDOUT_FILENO, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (!first_error)
                first_error = n < 0 ? errno : EIO;
            /* stdio takes a short count as a failure and sets the flag. */
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)n;
    }
    return (ssize_t)len;
}

void cli_stdout_guard_install(void) {
    cookie_io_functions_t io = {.write = write_all};
    FILE *guarded = fopencookie(NULL, "w", io);
    if (!guarded)
        return; /* keep the plain stdout: only the reason could be lost */
    setvbuf(guarded, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
    stdout = guarded;
}

int cli_stdout_guard_error(void) { return first_error; }
