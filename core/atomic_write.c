/*
 * atomic_write.c -- replace a file so that a crash at any moment leaves
 * either the old content or the new, never a mix or an empty file.
 *
 * The recipe: write a temporary file in the same directory (rename is only
 * atomic within one file system), fsync it so its data is on disk before the
 * name points at it, rename it over the target, then fsync the directory so
 * the rename itself survives a power cut.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tocm/tocm.h"
#include "util.h"

static int fail(char *err, size_t err_size, const char *what, const char *path) {
    snprintf(err, err_size, "%s '%s': %s", what, path, strerror(errno));
    return TOCM_EIO;
}

static int write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int tocm_write_file_atomic(const char *path, const char *data, size_t len, char *err,
                           size_t err_size) {
    char *path_copy = tocmp_xstrdup(path);
    char *dir = tocmp_xstrdup(dirname(path_copy));
    free(path_copy);
    path_copy = tocmp_xstrdup(path);
    char *tmp = tocmp_asprintf("%s/.%s.tmpXXXXXX", dir, basename(path_copy));
    free(path_copy);

    int rc = TOCM_OK;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = fail(err, err_size, "cannot create a temporary file beside", path);
        goto out;
    }
    /* Keep the permissions the user gave the original; a new file gets the
     * usual 0666 less the umask rather than mkstemp's 0600. */
    struct stat st;
    mode_t mode;
    if (stat(path, &st) == 0) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        rc = fail(err, err_size, "cannot write", tmp);
        close(fd);
        unlink(tmp);
        goto out;
    }
    if (close(fd) != 0) {
        rc = fail(err, err_size, "cannot write", tmp);
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, path) != 0) {
        rc = fail(err, err_size, "cannot replace", path);
        unlink(tmp);
        goto out;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        /* The data is safe either way; a failed directory sync only means
         * the rename might not survive a power cut. */
        fsync(dfd);
        close(dfd);
    }
out:
    free(tmp);
    free(dir);
    return rc;
}
