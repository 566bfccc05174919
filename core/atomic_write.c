/*
 * atomic_write.c -- replace a file so that a crash at any moment leaves
 * either the old content or the new, never a mix or an empty file.
 *
 * The recipe: write a temporary file in the same directory (rename is only
 * atomic within one file system), fsync it so its data is on disk before the
 * name points at it, rename it over the target, then fsync the directory so
 * the rename itself survives a power cut.
 *
 * One rule for every write (tocm edits, fmt -w, export -o):
 * - a symbolic link is followed: the file it points to is replaced and the
 *   link stays a link;
 * - the new file keeps the old one's owner, group and mode (when root edits
 *   a user's model, it stays the user's), and the write is refused when
 *   they cannot be kept;
 * - a file the caller could not write is refused, and so is a read-only
 *   file or folder for root too: tocm does not override permission bits;
 * - everything happens relative to the directory opened at the start, and
 *   just before the rename the directory is checked to still be where the
 *   path says and the target to still be the file first seen (or the one
 *   the caller locked): a folder moved or a file swapped mid-write means
 *   nothing is written;
 * - the temporary file is removed on every failure. One left by a killed
 *   process (.NAME.tmpXXXXXX) is swept by the next write of NAME: a writer
 *   holds an flock on its temporary file, so a file nobody holds that is
 *   more than STALE_SECONDS old is an orphan.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tocm/tocm.h"
#include "util.h"

/* A temporary file older than this that nobody holds is an orphan. */
#define STALE_SECONDS 10

static const char suffix_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
#define SUFFIX_LEN 6

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
        if (n == 0) { /* no progress and no reason: do not loop for ever */
            errno = EIO;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Is name ".BASE.tmpXXXXXX", a temporary file of ours for base? */
static int is_temporary_of(const char *name, const char *base) {
    size_t b = strlen(base);
    if (name[0] != '.' || strncmp(name + 1, base, b) != 0 || strncmp(name + 1 + b, ".tmp", 4) != 0)
        return 0;
    const char *s = name + 1 + b + 4;
    return strlen(s) == SUFFIX_LEN && strspn(s, suffix_chars) == SUFFIX_LEN;
}

/* Removes the temporary files of base that a killed writer left in dfd. */
static void sweep(int dfd, const char *base) {
    int scan = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (scan < 0)
        return;
    DIR *d = fdopendir(scan);
    if (!d) {
        close(scan);
        return;
    }
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_temporary_of(e->d_name, base))
            continue;
        int fd = openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        /* Nobody holds it (a live writer does) and it is not brand new (a
         * writer between creating it and locking it). */
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && now - st.st_mtime > STALE_SECONDS &&
            flock(fd, LOCK_EX | LOCK_NB) == 0)
            unlinkat(dfd, e->d_name, 0);
        close(fd);
    }
    closedir(d);
}

/* Creates dfd/.BASE.tmpXXXXXX exclusively, its name in *name (new). */
static int create_temporary(int dfd, const char *base, char **name) {
    static unsigned long counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long seed = (unsigned long long)ts.tv_nsec ^
                              ((unsigned long long)ts.tv_sec << 20) ^
                              ((unsigned long long)getpid() << 40);
    for (int attempt = 0; attempt < 100; attempt++) {
        char suffix[SUFFIX_LEN + 1];
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL + ++counter;
        unsigned long long bits = seed >> 16;
        for (int i = 0; i < SUFFIX_LEN; i++, bits /= 62)
            suffix[i] = suffix_chars[bits % 62];
        suffix[SUFFIX_LEN] = '\0';
        *name = tocmp_asprintf(".%s.tmp%s", base, suffix);
        int fd = openat(dfd, *name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0)
            return fd;
        int saved = errno;
        free(*name);
        *name = NULL;
        errno = saved;
        if (saved != EEXIST)
            return -1;
    }
    return -1;
}

/* Is the directory open as dfd still the one dir names? */
static int same_directory(int dfd, const char *dir) {
    struct stat held, named;
    return fstat(dfd, &held) == 0 && stat(dir, &named) == 0 && held.st_dev == named.st_dev &&
           held.st_ino == named.st_ino;
}

int tocmp_replace_file(const char *path, const char *data, size_t len, const struct stat *expect,
                       char *err, size_t err_size) {
    /* Follow a symbolic link to the file it names, so the link stays. */
    char real[PATH_MAX];
    const char *target = path;
    struct stat link;
    if (lstat(path, &link) == 0 && S_ISLNK(link.st_mode)) {
        if (!realpath(path, real))
            return fail(err, err_size, "cannot follow the symbolic link", path);
        target = real;
    }
    char *copy = tocmp_xstrdup(target);
    char *slash = strrchr(copy, '/');
    const char *dir = ".", *base = copy;
    if (slash) {
        *slash = '\0';
        dir = slash == copy ? "/" : copy;
        base = slash + 1;
    }
    int rc = TOCM_OK, dfd = -1, fd = -1;
    char *tmp = NULL;
    if (!*base) {
        errno = EISDIR;
        rc = fail(err, err_size, "cannot write", path);
        goto out;
    }
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        rc = fail(err, err_size, "cannot open the folder of", path);
        goto out;
    }
    struct stat st, dst;
    int exists = fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (!exists && errno != ENOENT) {
        rc = fail(err, err_size, "cannot read", path);
        goto out;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        snprintf(err, err_size,
                 "'%s' is not a regular file (a folder, device or pipe); nothing written", path);
        rc = TOCM_EIO;
        goto out;
    }
    if (expect && (!exists || st.st_dev != expect->st_dev || st.st_ino != expect->st_ino)) {
        snprintf(err, err_size,
                 "'%s' was replaced or moved by another program while tocm was working on it; "
                 "nothing written (run the command again)",
                 path);
        rc = TOCM_EIO;
        goto out;
    }
    /* Root may write anything: hold it to the permission bits anyway, so
     * that a file or folder made read-only stays unchanged. */
    if (exists &&
        (geteuid() == 0 ? !(st.st_mode & 0222) : faccessat(dfd, base, W_OK, AT_EACCESS) != 0)) {
        snprintf(err, err_size,
                 "'%s' is read-only (mode %04o); nothing written (make it writable first, "
                 "e.g. chmod u+w)",
                 path, (unsigned)(st.st_mode & 07777));
        rc = TOCM_EIO;
        goto out;
    }
    if (geteuid() == 0 && fstat(dfd, &dst) == 0 && !(dst.st_mode & 0222)) {
        snprintf(err, err_size, "the folder of '%s' is read-only (mode %04o); nothing written",
                 path, (unsigned)(dst.st_mode & 07777));
        rc = TOCM_EIO;
        goto out;
    }

    sweep(dfd, base);
    fd = create_temporary(dfd, base, &tmp);
    if (fd < 0) {
        rc = fail(err, err_size, "cannot create a temporary file beside", path);
        goto out;
    }
    /* Marks the file as being written, for sweep(). */
    flock(fd, LOCK_EX | LOCK_NB);

    /* Keep the owner, group and permissions the file had; a new file gets
     * the usual 0666 less the umask rather than 0600. */
    mode_t mode;
    if (exists) {
        struct stat mine;
        if (fstat(fd, &mine) != 0) {
            rc = fail(err, err_size, "cannot write a temporary file beside", path);
            goto out;
        }
        if ((mine.st_uid != st.st_uid || mine.st_gid != st.st_gid) &&
            fchown(fd, st.st_uid, st.st_gid) != 0) {
            char why[160];
            snprintf(why, sizeof why, "cannot keep the owner (uid %u) and group (gid %u) of",
                     (unsigned)st.st_uid, (unsigned)st.st_gid);
            rc = fail(err, err_size, why, path);
            goto out;
        }
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        rc = fail(err, err_size, "cannot write", path);
        goto out;
    }
    int closed = close(fd);
    fd = -1;
    if (closed != 0) {
        rc = fail(err, err_size, "cannot write", path);
        goto out;
    }

    /* Last checks before the name moves: the folder is still where the path
     * says, and the file is still the one seen at the start. */
    struct stat now;
    int now_exists = fstatat(dfd, base, &now, AT_SYMLINK_NOFOLLOW) == 0;
    if (!same_directory(dfd, dir) || now_exists != exists ||
        (exists && (now.st_dev != st.st_dev || now.st_ino != st.st_ino))) {
        snprintf(err, err_size,
                 "'%s' or its folder was replaced or moved by another program while tocm "
                 "was writing it; nothing written (run the command again)",
                 path);
        rc = TOCM_EIO;
        goto out;
    }
    if (renameat(dfd, tmp, dfd, base) != 0) {
        rc = fail(err, err_size, "cannot replace", path);
        goto out;
    }
    free(tmp);
    tmp = NULL;
    /* The data is safe either way; a failed directory sync only means the
     * rename might not survive a power cut. */
    fsync(dfd);

out:
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlinkat(dfd, tmp, 0);
        free(tmp);
    }
    if (dfd >= 0)
        close(dfd);
    free(copy);
    return rc;
}

int tocm_write_file_atomic(const char *path, const char *data, size_t len, char *err,
                           size_t err_size) {
    return tocmp_replace_file(path, data, len, NULL, err, err_size);
}
