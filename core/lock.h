/*
 * lock.h -- an exclusive advisory lock (flock) on a file that is replaced
 * by rename, with a timeout.
 */
#ifndef TOCMP_LOCK_H
#define TOCMP_LOCK_H

#include <stddef.h>
#include <stdio.h>

/* Opens path read-only and takes an exclusive flock on it. Since tocm
 * replaces a model by renaming a new file over it, the lock is on the inode:
 * after getting it, the path is checked to still name the locked inode, and
 * the whole thing is retried when it does not (a concurrent edit renamed a
 * new file in meanwhile).
 *
 * name: the file as messages call it (the path as the user gave it).
 * timeout: seconds to wait for another holder (< 0 or infinite: forever, 0:
 * not at all; NaN is taken as 0).
 * notice: when not NULL, told once (one line) if the wait passes a second.
 * Returns the locked descriptor, or -1 with a sentence in err. */
int tocmp_lock_file(const char *path, const char *name, double timeout, FILE *notice, char *err,
                    size_t err_size);

/* Releases the lock and closes fd (-1 is ignored). */
void tocmp_unlock_file(int fd);

#endif
