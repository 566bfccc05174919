/*
 * crash_test.c -- SIGKILL `tocm` at random moments during a loop of edits and
 * check, after each one, that the model file is a valid model and is either
 * the file as it was before the edit or the file as the edit makes it.
 *
 * Usage: crash_test TOCM MODEL [EDITS]   (EDITS defaults to 1000)
 *
 * MODEL must be a scratch copy with no validation errors: it is edited in
 * place. Each edit starts `tocm` on MODEL, sleeps a random time drawn from
 * [0, 1.25 x the median duration of an edit] (measured first on a few
 * edits that are not killed), and sends SIGKILL; so most kills land while the
 * process runs: while it loads, validates, writes the temporary file, syncs
 * or renames. The edits cycle through set (texts of random length, so a torn
 * write would change the size), add and rm.
 *
 * Checking: the old bytes are known to be a valid model. When the file still
 * holds them, all is well. When it does not, it must hold exactly what the
 * edit makes of the old bytes: the driver computes that with libtocm's own
 * edit API (a dry-run commit on a shadow copy of the old bytes) and then
 * loads and validates the file as well.
 *
 * The seed is printed; set CRASH_SEED to repeat a run. Exit status 0 when no
 * file was ever corrupt, 1 otherwise, 2 on a setup failure.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tocm/tocm.h"

extern char **environ;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int spit(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* One edit. */
struct edit {
    char kind; /* 's' set, 'a' add, 'r' rm */
    char id[64], assignment[400];
};

static const char *node_id, *node_level, *node_target; /* the node edited */

/* The edit as libtocm calls on shadow, a copy of the old bytes: the text
 * it makes (new, malloc'd), or NULL when the library refuses it. */
static char *expected_text(const struct edit *e, const char *shadow, size_t *len) {
    tocm_diags *d = tocm_diags_new();
    tocm_edit *ed = NULL;
    char *out = NULL;
    if (tocm_edit_open(shadow, NULL, d, &ed) != TOCM_OK)
        goto done;
    int rc;
    if (e->kind == 's') {
        rc = tocm_edit_assign(ed, e->id, e->assignment);
    } else if (e->kind == 'a') {
        rc = tocm_edit_add_node(ed, e->id, node_level, "Added by the crash test", NULL);
        if (rc == TOCM_OK)
            rc = tocm_edit_link(ed, e->id, node_target, 0);
    } else {
        rc = tocm_edit_remove(ed, e->id, TOCM_REMOVE_ONLY, NULL);
    }
    if (rc == TOCM_OK && tocm_edit_commit(ed, TOCM_COMMIT_DRY_RUN, NULL) == TOCM_OK) {
        const char *text = tocm_edit_text(ed, tocm_edit_changed(ed), len);
        out = malloc(*len + 1);
        memcpy(out, text, *len + 1);
    } else {
        fprintf(stderr, "crash_test: the library refuses the edit: %s\n", tocm_edit_error(ed));
    }
done:
    tocm_edit_close(ed);
    tocm_diags_free(d);
    return out;
}

/* The children's environment: ours, but a sanitized tocm skips its leak
 * check at exit (the other tests check leaks; here it would only slow each
 * of a thousand runs and widen the moment after the rename). */
static char **child_env;

static void make_child_env(void) {
    size_t n = 0;
    while (environ[n])
        n++;
    child_env = calloc(n + 2, sizeof *child_env);
    size_t k = 0;
    const char *asan = "";
    for (size_t i = 0; i < n; i++) {
        if (strncmp(environ[i], "ASAN_OPTIONS=", 13) == 0)
            asan = environ[i] + 13;
        else
            child_env[k++] = environ[i];
    }
    size_t len = strlen(asan) + 64;
    child_env[k] = malloc(len);
    snprintf(child_env[k], len, "ASAN_OPTIONS=%s%sdetect_leaks=0", asan, *asan ? ":" : "");
}

/* Runs tocm on the edit; kills it after delay seconds unless delay < 0.
 * Returns the wait status. */
static int run_tocm(const char *tocm, const char *model, const struct edit *e, double delay) {
    char *argv[16];
    int argc = 0;
    argv[argc++] = (char *)tocm;
    if (e->kind == 's') {
        argv[argc++] = "set";
        argv[argc++] = (char *)model;
        argv[argc++] = (char *)e->id;
        argv[argc++] = (char *)e->assignment;
    } else if (e->kind == 'a') {
        argv[argc++] = "add";
        argv[argc++] = (char *)model;
        argv[argc++] = "--id";
        argv[argc++] = (char *)e->id;
        argv[argc++] = "--level";
        argv[argc++] = (char *)node_level;
        argv[argc++] = "--title";
        argv[argc++] = "Added by the crash test";
        argv[argc++] = "--contributes-to";
        argv[argc++] = (char *)node_target;
    } else {
        argv[argc++] = "rm";
        argv[argc++] = (char *)model;
        argv[argc++] = (char *)e->id;
    }
    argv[argc++] = "-q";
    argv[argc] = NULL;
    /* posix_spawn, not fork: copying this (sanitized) process's mappings
     * for each of a thousand runs would cost more than the runs. */
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int err = posix_spawn(&pid, tocm, &actions, NULL, argv, child_env);
    posix_spawn_file_actions_destroy(&actions);
    if (err != 0) {
        fprintf(stderr, "crash_test: cannot run %s: %s\n", tocm, strerror(err));
        exit(2);
    }
    if (delay >= 0) {
        struct timespec ts = {.tv_sec = (time_t)delay,
                              .tv_nsec = (long)((delay - (double)(time_t)delay) * 1e9)};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

/* One plain edit, not killed, timed into *seconds. 0, or -1 if it failed. */
static int time_one(const char *tocm, const char *model, double *seconds, int n) {
    struct edit e = {.kind = 's'};
    snprintf(e.id, sizeof e.id, "%s", node_id);
    snprintf(e.assignment, sizeof e.assignment, "notes=calibration %d", n);
    double t0 = now();
    int status = run_tocm(tocm, model, &e, -1);
    *seconds = now() - t0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    fprintf(stderr, "crash_test: a timing edit failed (status %d)\n", status);
    return -1;
}

static double median(const double *values, int n) {
    double v[16];
    for (int i = 0; i < n; i++) {
        int k = i;
        for (; k > 0 && v[k - 1] > values[i]; k--)
            v[k] = v[k - 1];
        v[k] = values[i];
    }
    return v[n / 2];
}

/* Removes the temporary files killed runs left; returns how many. */
static long clear_temporaries(const char *dir, const char *prefix) {
    long n = 0;
    DIR *dh = opendir(dir);
    struct dirent *de;
    while (dh && (de = readdir(dh)) != NULL) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        n += unlink(path) == 0;
    }
    if (dh)
        closedir(dh);
    return n;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: crash_test TOCM MODEL [EDITS]\n");
        return 2;
    }
    const char *tocm = argv[1], *model = argv[2];
    int edits = argc > 3 ? atoi(argv[3]) : 1000;
    unsigned seed = getenv("CRASH_SEED") ? (unsigned)strtoul(getenv("CRASH_SEED"), NULL, 10)
                                         : (unsigned)time(NULL);
    srand(seed);
    printf("crash test: %d edits of %s, seed %u (CRASH_SEED=%u repeats it)\n", edits, model, seed,
           seed);

    /* The node to edit: the last one; it gets a sibling now and then. */
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = NULL;
    if (tocm_model_load_file(model, diags, &m) != TOCM_OK || tocm_validate(m, diags) > 0) {
        fprintf(stderr, "crash_test: %s must be a valid model\n", model);
        tocm_diags_print(diags, stderr);
        return 2;
    }
    size_t last = tocm_model_node_count(m) - 1;
    if (tocm_node_out_count(m, last) == 0) {
        fprintf(stderr, "crash_test: the last node of %s must contribute to something\n", model);
        return 2;
    }
    node_id = strdup(tocm_node_id(m, last));
    node_level = strdup(tocm_level_id(m, (size_t)tocm_node_level(m, last)));
    node_target = strdup(tocm_node_id(m, tocm_node_out(m, last, 0)));
    tocm_model_free(m);
    tocm_diags_free(diags);

    char *dir_copy = strdup(model), *base_copy = strdup(model);
    const char *dir = dirname(dir_copy), *base = basename(base_copy);
    char tmp_prefix[256], shadow[4096];
    snprintf(tmp_prefix, sizeof tmp_prefix, ".%s.tmp", base);
    snprintf(shadow, sizeof shadow, "%s/crash-test-shadow.json", dir);

    make_child_env();
    /* Calibration: plain edits, not killed, to time one: 7 first, then one
     * every 50 edits, so the window follows the machine's load. The window
     * is the median of the last 7 (one slow start does not widen it). */
    enum { SAMPLES = 7, EVERY = 50 };
    double samples[SAMPLES];
    int calibrations = 0;
    for (int i = 0; i < SAMPLES; i++)
        if (time_one(tocm, model, &samples[i], calibrations++) != 0)
            return 2;
    double duration = median(samples, SAMPLES);
    printf("crash test: an edit takes %.1f ms (median of %d); kills fall in [0, 1.25 x that]\n",
           duration * 1e3, SAMPLES);

    long killed = 0, killed_old = 0, killed_new = 0, finished = 0, corrupt = 0, invalid = 0,
         bad_exit = 0, temp_files = 0;
    int extra_present = 0;
    char extra_id[64] = "";
    size_t old_len;
    char *old = slurp(model, &old_len);
    if (!old) {
        perror(model);
        return 2;
    }
    double start = now();
    double shortest = duration, longest = duration;
    for (int i = 0; i < edits; i++) {
        if (i > 0 && i % EVERY == 0) {
            if (time_one(tocm, model, &samples[calibrations % SAMPLES], calibrations) != 0)
                return 2;
            calibrations++;
            duration = median(samples, SAMPLES);
            shortest = duration < shortest ? duration : shortest;
            longest = duration > longest ? duration : longest;
            free(old);
            old = slurp(model, &old_len);
        }
        struct edit e = {0};
        int r = rand() % 10;
        if (r == 0 && !extra_present) {
            e.kind = 'a';
            snprintf(e.id, sizeof e.id, "CRASH-%d", i);
        } else if (r == 1 && extra_present) {
            e.kind = 'r';
            snprintf(e.id, sizeof e.id, "%s", extra_id);
        } else {
            e.kind = 's';
            snprintf(e.id, sizeof e.id, "%s", node_id);
            int len = rand() % 300;
            char text[320];
            for (int k = 0; k < len; k++)
                text[k] = (char)('a' + (i + k) % 26);
            text[len] = '\0';
            snprintf(e.assignment, sizeof e.assignment, "notes=edit %d %s", i, text);
        }
        double delay = duration * 1.25 * (double)rand() / RAND_MAX;
        int status = run_tocm(tocm, model, &e, delay);

        size_t len = 0;
        char *text = slurp(model, &len);
        int is_old = text && len == old_len && memcmp(text, old, len) == 0;
        int is_new = 0;
        if (text && !is_old) {
            size_t new_len;
            if (spit(shadow, old, old_len) != 0) {
                perror(shadow);
                return 2;
            }
            char *expected = expected_text(&e, shadow, &new_len);
            is_new = expected && new_len == len && memcmp(expected, text, len) == 0;
            free(expected);
            if (is_new) {
                tocm_diags *vd = tocm_diags_new();
                tocm_model *vm = NULL;
                if (tocm_model_load_string(text, model, vd, &vm) != TOCM_OK ||
                    tocm_validate(vm, vd) > 0) {
                    invalid++;
                    fprintf(stderr, "crash_test: edit %d left %s with errors\n", i, model);
                    tocm_diags_print(vd, stderr);
                }
                tocm_model_free(vm);
                tocm_diags_free(vd);
            }
        }
        if (!is_old && !is_new) {
            corrupt++;
            fprintf(stderr, "crash_test: edit %d left %s neither old nor new (%zu bytes)\n", i,
                    model, len);
        }
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
            killed++;
            killed_old += is_old;
            killed_new += is_new;
        } else {
            finished++;
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !is_new) {
                bad_exit++;
                fprintf(stderr,
                        "crash_test: edit %d ended with status %d without being killed, "
                        "leaving the %s file\n",
                        i, WIFEXITED(status) ? WEXITSTATUS(status) : -1, is_new ? "new" : "old");
            }
        }
        if (is_new) {
            if (e.kind == 'a') {
                extra_present = 1;
                snprintf(extra_id, sizeof extra_id, "%s", e.id);
            } else if (e.kind == 'r') {
                extra_present = 0;
            }
            free(old);
            old = text;
            old_len = len;
        } else {
            free(text);
        }
        /* A killed run may leave its temporary file: count and clear them. */
        temp_files += clear_temporaries(dir, tmp_prefix);
    }
    unlink(shadow);
    double elapsed = now() - start;
    printf("crash test: %d edits in %.1f s: %ld killed (%ld left the old file, %ld the new one: "
           "killed after the rename), %ld ran to the end\n",
           edits, elapsed, killed, killed_old, killed_new, finished);
    printf("crash test: the kill window followed the edit time, %.0f to %.0f ms (%d timing "
           "edits, not counted)\n",
           shortest * 1.25e3, longest * 1.25e3, calibrations);
    printf("crash test: %ld corrupt file(s), %ld invalid model(s), %ld bad exit(s); %ld "
           "temporary file(s) left by killed runs (removed)\n",
           corrupt, invalid, bad_exit, temp_files);
    free(old);
    free(dir_copy);
    free(base_copy);
    free((char *)node_id);
    free((char *)node_level);
    free((char *)node_target);
    for (size_t i = 0; child_env[i]; i++)
        if (strncmp(child_env[i], "ASAN_OPTIONS=", 13) == 0)
            free(child_env[i]);
    free(child_env);
    return corrupt || invalid || bad_exit ? 1 : 0;
}
