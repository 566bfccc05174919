/*
 * edit.c -- changing a model file safely: the edit transaction (tocm.h,
 * "Editing and diff"). The operations are in edit_ops.c and edit_remove.c.
 *
 * The transaction: lock the file (lock.c), read it through the locked
 * descriptor, load and validate it, and remember its findings. Operations
 * change the jansson document in place; every operation checks what it needs
 * before it touches anything, so a refused one leaves the document as it
 * was. The commit prints the document in the canonical layout, loads and
 * validates it as a fresh model (from the document itself when the text
 * reads back as exactly that document, else from the text), and compares
 * its findings with the file's: only a change that adds no error is written
 * (tocm_write_file_atomic: temporary file, fsync, rename, fsync of the
 * directory). The lock is held until tocm_edit_close, so it covers
 * everything from the read to the rename.
 *
 * Errors are compared by code, node and message, with JSON-pointer indices
 * in messages blanked ("/nodes/#"): inserting a node shifts the index of
 * every later node, and an error the file already had must not look new
 * because of that.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* realpath */
#endif
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edit_internal.h"
#include "lock.h"
#include "model_internal.h"
#include "util.h"

int tocmp_edit_refuse(tocm_edit *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    free(e->error);
    e->error = tocmp_vasprintf(fmt, ap);
    va_end(ap);
    return TOCM_EINVALID;
}

void tocmp_edit_note(tocm_edit *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    e->notes = tocmp_xrealloc(e->notes, (e->note_count + 1) * sizeof *e->notes);
    e->notes[e->note_count++] = tocmp_vasprintf(fmt, ap);
    va_end(ap);
}

void tocmp_edit_set_side_file(tocm_edit *e, char *path, char *shown, char *data, size_t len,
                              const struct stat *st) {
    free(e->side_path);
    free(e->side_shown);
    free(e->side_data);
    e->side_path = path;
    e->side_shown = shown;
    e->side_data = data;
    e->side_len = len;
    e->side_exists = st != NULL;
    if (st)
        e->side_st = *st;
}

/* 1 when the file at path is still the one st describes: same file, size
 * and modification time. */
static int unchanged_since(const char *path, const struct stat *st) {
    struct stat now;
    return stat(path, &now) == 0 && now.st_ino == st->st_ino && now.st_dev == st->st_dev &&
           now.st_size == st->st_size && now.st_mtim.tv_sec == st->st_mtim.tv_sec &&
           now.st_mtim.tv_nsec == st->st_mtim.tv_nsec;
}

/* ---- finding keys -------------------------------------------------------- */

static char *finding_key(const tocm_diag *d) {
    tocmp_buf b = {0};
    tocmp_buf_printf(&b, "%c%s\x1f%s\x1f", d->severity == TOCM_SEV_ERROR ? 'E' : 'W', d->code,
                     d->node ? d->node : "");
    for (const char *p = d->message; *p; p++) {
        tocmp_buf_append(&b, p, 1);
        if (*p == '/' && p[1] >= '0' && p[1] <= '9') {
            tocmp_buf_puts(&b, "#");
            while (p[1] >= '0' && p[1] <= '9')
                p++;
        }
    }
    return b.data;
}

static int compare_keys(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted keys of every finding in diags. new (free each and the array). */
static char **finding_keys(const tocm_diags *diags, size_t *count) {
    size_t n = tocm_diags_count(diags);
    char **keys = tocmp_xcalloc(n, sizeof *keys);
    for (size_t i = 0; i < n; i++)
        keys[i] = finding_key(tocm_diags_get(diags, i));
    qsort(keys, n, sizeof *keys, compare_keys);
    *count = n;
    return keys;
}

static void free_keys(char **keys, size_t count) {
    for (size_t i = 0; i < count; i++)
        free(keys[i]);
    free(keys);
}

/* ---- open and close ------------------------------------------------------ */

/* Bytes read at a time: small enough that the NUL check below finds them
 * still in the cache. */
#define READ_SLICE ((size_t)1 << 20)

/* The whole file behind fd, read straight into a buffer of its size (a
 * large model is not copied through a smaller one): new, NUL-terminated.
 * *nul is set when the file holds a NUL byte. */
static char *read_fd(int fd, size_t *len, int *nul) {
    struct stat st;
    if (lseek(fd, 0, SEEK_SET) < 0 || fstat(fd, &st) != 0)
        return NULL;
    size_t cap = st.st_size > 0 && (size_t)st.st_size < TOCMP_MAX_MODEL_BYTES
                     ? (size_t)st.st_size + 1
                     : 65536;
    char *data = tocmp_xmalloc_large(cap);
    size_t used = 0;
    *nul = 0;
    for (;;) {
        /* Full: the file grew since fstat, or reports no size. */
        if (used + 1 == cap) {
            if (used > TOCMP_MAX_MODEL_BYTES) { /* a file that keeps growing */
                free(data);
                errno = EFBIG;
                return NULL;
            }
            cap = cap > TOCMP_MAX_MODEL_BYTES / 2 ? TOCMP_MAX_MODEL_BYTES + 2 : cap * 2;
            data = tocmp_xrealloc(data, cap);
        }
        size_t want = cap - 1 - used;
        ssize_t n = read(fd, data + used, want < READ_SLICE ? want : READ_SLICE);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            free(data);
            return NULL;
        }
        if (n == 0)
            break;
        *nul |= memchr(data + used, '\0', (size_t)n) != NULL;
        used += (size_t)n;
    }
    data[used] = '\0';
    *len = used;
    return data;
}

int tocm_edit_open(const char *path, const tocm_edit_options *options, tocm_diags *diags,
                   tocm_edit **out) {
    *out = NULL;
    double timeout = options ? options->lock_timeout : TOCM_EDIT_LOCK_TIMEOUT;
    FILE *notice = options ? options->wait_notice : NULL;
    char real[PATH_MAX];
    const char *target = realpath(path, real) ? real : path;

    char err[TOCM_MESSAGE_SIZE];
    int fd = tocmp_lock_file(target, path, timeout, notice, err, sizeof err);
    if (fd < 0) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E000", path, 0, 0, "", NULL, "%s", err);
        return TOCM_EIO;
    }
    tocm_edit *e = tocmp_xcalloc(1, sizeof *e);
    e->fd = fd;
    e->path = tocmp_xstrdup(path);
    e->real = tocmp_xstrdup(target);
    e->error = tocmp_xstrdup("");
    /* Read through the locked descriptor: what we edit is what we locked. */
    int nul = 0;
    e->before = read_fd(fd, &e->before_len, &nul);
    if (!e->before || fstat(fd, &e->st) != 0) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E000", path, 0, 0, "", NULL, "cannot read %s: %s",
                       path, strerror(errno));
        tocm_edit_close(e);
        return TOCM_EIO;
    }
    if (nul) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E001", path, 0, 0, "", NULL,
                       "the file holds a NUL byte: it is not a JSON text");
        tocm_edit_close(e);
        return TOCM_EINVALID;
    }
    tocm_diags *found = tocm_diags_new();
    tocm_model *m = NULL;
    int rc = tocmp_model_load_text(e->before, e->before_len, path, found, &m);
    if (rc != TOCM_OK) {
        for (size_t i = 0; i < tocm_diags_count(found); i++) {
            const tocm_diag *d = tocm_diags_get(found, i);
            tocm_diags_add(diags, d->severity, d->code, d->file, d->line, d->column, d->path,
                           d->node, "%s", d->message);
        }
        tocm_diags_free(found);
        tocm_edit_close(e);
        return rc;
    }
    tocm_validate(m, found);
    e->findings = finding_keys(found, &e->finding_count);
    tocm_diags_free(found);

    e->level_count = tocm_model_level_count(m);
    e->levels = tocmp_xcalloc(e->level_count, sizeof *e->levels);
    for (size_t i = 0; i < e->level_count; i++)
        e->levels[i] = tocmp_xstrdup(tocm_level_id(m, i));
    e->canonical = tocmp_json_is_canonical(m->root, e->before, e->before_len);
    /* Keep the document, let the model (which points into it) go. */
    e->doc = json_incref(m->root);
    tocm_model_free(m);
    *out = e;
    return TOCM_OK;
}

void tocm_edit_close(tocm_edit *e) {
    if (!e)
        return;
    tocmp_unlock_file(e->fd);
    free(e->path);
    free(e->real);
    free(e->before);
    free(e->after);
    json_decref(e->doc);
    for (size_t i = 0; i < e->level_count; i++)
        free(e->levels[i]);
    free(e->levels);
    free_keys(e->findings, e->finding_count);
    free(e->error);
    free(e->side_path);
    free(e->side_shown);
    free(e->side_data);
    for (size_t i = 0; i < e->note_count; i++)
        free(e->notes[i]);
    free(e->notes);
    free(e);
}

void tocm_edit_set_kind(tocm_edit *e, enum tocm_edit_kind kind) { e->kind = kind; }
const char *tocm_edit_error(const tocm_edit *e) { return e->error; }
size_t tocm_edit_note_count(const tocm_edit *e) { return e->note_count; }
const char *tocm_edit_note(const tocm_edit *e, size_t i) {
    return i < e->note_count ? e->notes[i] : NULL;
}
int tocm_edit_changed(const tocm_edit *e) { return e->changed || e->side_changed; }
int tocm_edit_was_canonical(const tocm_edit *e) { return e->canonical; }

const char *tocm_edit_text(const tocm_edit *e, int after, size_t *len) {
    if (len)
        *len = after ? e->after_len : e->before_len;
    return after ? e->after : e->before;
}

char *tocm_edit_current(const tocm_edit *e, size_t *len) {
    size_t n;
    char *text = tocmp_format_json(e->doc, &n);
    if (len)
        *len = n;
    return text;
}

/* ---- commit -------------------------------------------------------------- */

/* Appends to added the findings of after that before did not have (as a
 * multiset: an error the file had twice and now has three times is new). */
static size_t new_findings(tocm_edit *e, const tocm_diags *after, tocm_diags *added) {
    size_t n = tocm_diags_count(after), errors = 0;
    char **keys = tocmp_xcalloc(n, sizeof *keys);
    unsigned char *used = tocmp_xcalloc(e->finding_count + 1, 1);
    for (size_t i = 0; i < n; i++)
        keys[i] = finding_key(tocm_diags_get(after, i));
    for (size_t i = 0; i < n; i++) {
        /* First unused equal key among the file's findings (sorted). */
        char **hit =
            bsearch(&keys[i], e->findings, e->finding_count, sizeof *e->findings, compare_keys);
        int old = 0;
        if (hit) {
            size_t k = (size_t)(hit - e->findings);
            while (k > 0 && strcmp(e->findings[k - 1], keys[i]) == 0)
                k--;
            for (; k < e->finding_count && strcmp(e->findings[k], keys[i]) == 0; k++) {
                if (!used[k]) {
                    used[k] = 1;
                    old = 1;
                    break;
                }
            }
        }
        if (old)
            continue;
        const tocm_diag *d = tocm_diags_get(after, i);
        if (d->severity == TOCM_SEV_ERROR)
            errors++;
        if (added)
            tocm_diags_add(added, d->severity, d->code, d->file, d->line, d->column, d->path,
                           d->node, "%s", d->message);
    }
    free_keys(keys, n);
    free(used);
    return errors;
}

int tocm_edit_commit(tocm_edit *e, int flags, tocm_diags *added) {
    free(e->after);
    int faithful;
    e->after = tocmp_format_json_checked(e->doc, e->before_len, &e->after_len, &faithful);
    e->changed = e->after_len != e->before_len || memcmp(e->after, e->before, e->after_len) != 0;
    e->side_changed = e->side_data != NULL;
    if (e->changed && e->side_changed && !e->canonical) {
        /* A figure recorded into an existing table leaves the model as it
         * was: a file not in the canonical layout must not be rewritten
         * for it. Compared with the file's own canonical text. */
        tocm_diags *scratch = tocm_diags_new();
        tocm_model *m = NULL;
        size_t len = 0;
        char *canon = NULL;
        if (tocm_model_load_string(e->before, e->path, scratch, &m) == TOCM_OK)
            canon = tocm_model_format(m, &len);
        if (canon && len == e->after_len && memcmp(canon, e->after, len) == 0) {
            e->changed = 0;
            free(e->after);
            e->after = tocmp_xstrdup(e->before);
            e->after_len = e->before_len;
        }
        free(canon);
        tocm_model_free(m);
        tocm_diags_free(scratch);
    }
    if (!e->changed && !e->side_changed)
        return TOCM_OK;
    if (!e->changed)
        goto write;

    /* The text to be written is what must pass. When it reads back as the
     * document itself, check the document: the same model without a second
     * parse, which cost more than all the rest of an edit of a large model. */
    tocm_diags *found = tocm_diags_new();
    tocm_model *m = NULL;
    int rc = faithful ? tocmp_model_load_json(e->doc, e->path, found, &m)
                      : tocmp_model_load_text(e->after, e->after_len, e->path, found, &m);
    if (rc == TOCM_OK)
        tocm_validate(m, found);
    size_t errors = new_findings(e, found, added);
    tocm_model_free(m);
    tocm_diags_free(found);
    if (rc != TOCM_OK) {
        /* Not even loadable: never written, --force or not. */
        tocmp_edit_refuse(
            e, "the change would leave a file that is not a tocm model; nothing written");
        return TOCM_EINVALID;
    }
    if (errors && !(flags & TOCM_COMMIT_FORCE)) {
        tocmp_edit_refuse(e,
                          "the change would add %zu error%s to the model; nothing written (--force "
                          "writes it anyway)",
                          errors, errors == 1 ? "" : "s");
        return TOCM_EINVALID;
    }
write:
    if (flags & TOCM_COMMIT_DRY_RUN)
        return TOCM_OK;

    /* The lock keeps tocm editors out, but not other programs: do not
     * overwrite a change one of them made since we read the file. */
    if ((e->changed && !unchanged_since(e->real, &e->st)) ||
        (e->side_changed && e->side_exists && !unchanged_since(e->side_path, &e->side_st))) {
        tocmp_edit_refuse(e,
                          "%s was changed by another program while tocm was editing it; nothing "
                          "written (run the command again)",
                          e->changed && !unchanged_since(e->real, &e->st) ? e->path
                                                                          : e->side_shown);
        return TOCM_EIO;
    }
    char err[TOCM_MESSAGE_SIZE];
    /* The data file first: a model that names a table not written yet
     * would not compute, while a table the model does not name yet harms
     * nothing. */
    if (e->side_changed && !e->side_exists) {
        /* A new results table goes in the model's data/ folder, made
         * here (never by a dry run); one level only, mode as umask says. */
        char *dir = tocmp_xstrdup(e->side_path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
                tocmp_edit_refuse(e, "cannot make the folder %s: %s; nothing written", dir,
                                  strerror(errno));
                free(dir);
                return TOCM_EIO;
            }
        }
        free(dir);
    }
    if (e->side_changed &&
        tocmp_replace_file(e->side_path, e->side_data, e->side_len,
                           e->side_exists ? &e->side_st : NULL, err, sizeof err) != TOCM_OK) {
        tocmp_edit_refuse(e, "%s", err);
        return TOCM_EIO;
    }
    if (!e->changed)
        return TOCM_OK;
    /* ... nor write anywhere but over the file locked and read: the
     * replace checks again just before its rename. */
    if (tocmp_replace_file(e->real, e->after, e->after_len, &e->st, err, sizeof err) != TOCM_OK) {
        tocmp_edit_refuse(e, "%s", err);
        return TOCM_EIO;
    }
    return TOCM_OK;
}
