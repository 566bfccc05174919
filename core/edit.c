/*
 * edit.c -- changing a model file safely: the edit transaction and the
 * operations on its JSON document (tocm.h, "Editing and diff").
 *
 * The transaction: lock the file (lock.c), read it through the locked
 * descriptor, load and validate it, and remember its findings. Operations
 * change the jansson document in place; every operation checks what it needs
 * before it touches anything, so a refused one leaves the document as it
 * was. The commit prints the document in the canonical layout, loads and
 * validates that text as a fresh model, and compares its findings with the
 * file's: only a change that adds no error is written (tocm_write_file_atomic:
 * temporary file, fsync, rename, fsync of the directory). The lock is held
 * until tocm_edit_close, so it covers everything from the read to the
 * rename.
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

#include "lock.h"
#include "model_internal.h"
#include "util.h"

struct tocm_edit {
    char *path; /* as given: used in messages */
    char *real; /* resolved (symlinks followed): the file written */
    int fd;     /* holds the lock */
    struct stat st;
    char *before;
    size_t before_len;
    char *after;
    size_t after_len;
    json_t *doc; /* owned: the document being edited */
    enum tocm_edit_kind kind;
    char **levels; /* level ids, top first */
    size_t level_count;
    char **findings; /* keys of the file's findings, sorted */
    size_t finding_count;
    char *error;
    char **notes;
    size_t note_count;
    int changed, canonical;
};

/* ---- small helpers ------------------------------------------------------ */

static int refuse(tocm_edit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(tocm_edit *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    free(e->error);
    e->error = tocmp_vasprintf(fmt, ap);
    va_end(ap);
    return TOCM_EINVALID;
}

static void note(tocm_edit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(tocm_edit *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    e->notes = tocmp_xrealloc(e->notes, (e->note_count + 1) * sizeof *e->notes);
    e->notes[e->note_count++] = tocmp_vasprintf(fmt, ap);
    va_end(ap);
}

static const char *str_member(json_t *object, const char *key) {
    json_t *v = json_object_get(object, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The items of the top-level array name ("nodes", "indicators"), or NULL. */
static json_t *top_array(tocm_edit *e, const char *name) {
    json_t *a = json_object_get(e->doc, name);
    return json_is_array(a) ? a : NULL;
}

/* Index of the first object in array whose "id" is id, or -1. */
static long find_in(json_t *array, const char *id) {
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        const char *item_id = str_member(item, "id");
        if (item_id && strcmp(item_id, id) == 0)
            return (long)i;
    }
    return -1;
}

static json_t *find_node(tocm_edit *e, const char *id) {
    json_t *nodes = top_array(e, "nodes");
    long i = nodes ? find_in(nodes, id) : -1;
    return i < 0 ? NULL : json_array_get(nodes, (size_t)i);
}

static json_t *find_indicator(tocm_edit *e, const char *id) {
    json_t *inds = top_array(e, "indicators");
    long i = inds ? find_in(inds, id) : -1;
    return i < 0 ? NULL : json_array_get(inds, (size_t)i);
}

/* Index of string s in a JSON array of strings, or -1. */
static long find_string(json_t *array, const char *s) {
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        if (json_is_string(item) && strcmp(json_string_value(item), s) == 0)
            return (long)i;
    }
    return -1;
}

/* Removes every entry equal to s; returns how many went. */
static size_t remove_string(json_t *array, const char *s) {
    size_t removed = 0;
    for (size_t i = json_array_size(array); i-- > 0;) {
        json_t *item = json_array_get(array, i);
        if (json_is_string(item) && strcmp(json_string_value(item), s) == 0) {
            json_array_remove(array, i);
            removed++;
        }
    }
    return removed;
}

/* Replaces every entry equal to from by to, or drops it when to is already
 * in the array. Returns how many entries were changed or dropped. */
static size_t replace_string(json_t *array, const char *from, const char *to) {
    if (!json_is_array(array))
        return 0;
    int has_to = find_string(array, to) >= 0;
    size_t changed = 0;
    for (size_t i = json_array_size(array); i-- > 0;) {
        json_t *item = json_array_get(array, i);
        if (!json_is_string(item) || strcmp(json_string_value(item), from) != 0)
            continue;
        if (has_to) {
            json_array_remove(array, i);
        } else {
            json_array_set_new(array, i, json_string(to));
            has_to = 1;
        }
        changed++;
    }
    return changed;
}

/* Drops member key of object when it is an empty array. */
static void drop_if_empty(json_t *object, const char *key) {
    json_t *v = json_object_get(object, key);
    if (json_is_array(v) && json_array_size(v) == 0)
        json_object_del(object, key);
}

static const char *level_title_of(tocm_edit *e, const char *level) {
    json_t *levels = json_object_get(e->doc, "levels");
    size_t i;
    json_t *l;
    json_array_foreach(levels, i, l) {
        const char *id = json_is_string(l) ? json_string_value(l) : str_member(l, "id");
        if (id && level && strcmp(id, level) == 0) {
            const char *title = json_is_object(l) ? str_member(l, "title") : NULL;
            return title ? title : id;
        }
    }
    return level ? level : "node";
}

static long level_rank(tocm_edit *e, const char *level) {
    for (size_t i = 0; level && i < e->level_count; i++)
        if (strcmp(e->levels[i], level) == 0)
            return (long)i;
    return -1;
}

/* "'P7' (Project)" for messages. new. */
static char *describe_node(tocm_edit *e, json_t *node) {
    const char *id = str_member(node, "id");
    return tocmp_asprintf("'%s' (%s)", id ? id : "?", level_title_of(e, str_member(node, "level")));
}

/* "'A', 'B', 'C' and 4 more" from an array of C strings. new. */
static char *name_list(const char **names, size_t count) {
    tocmp_buf b = {0};
    size_t shown = count > 6 ? 5 : count;
    for (size_t i = 0; i < shown; i++) {
        if (i)
            tocmp_buf_puts(&b, i + 1 == shown && shown == count ? " and " : ", ");
        tocmp_buf_printf(&b, "'%s'", names[i]);
    }
    if (shown < count)
        tocmp_buf_printf(&b, " and %zu more", count - shown);
    return b.data ? b.data : tocmp_xstrdup("");
}

enum found { FOUND_NONE, FOUND_NODE, FOUND_INDICATOR };

/* Finds what id names under the edit's kind. On failure sets the error. */
static enum found resolve(tocm_edit *e, const char *id, json_t **object) {
    json_t *node = e->kind != TOCM_EDIT_INDICATOR ? find_node(e, id) : NULL;
    json_t *ind = e->kind != TOCM_EDIT_NODE ? find_indicator(e, id) : NULL;
    *object = NULL;
    if (node && ind) {
        refuse(e, "'%s' is both a node and an indicator; say which with --node or --indicator",
               id);
        return FOUND_NONE;
    }
    if (node) {
        *object = node;
        return FOUND_NODE;
    }
    if (ind) {
        *object = ind;
        return FOUND_INDICATOR;
    }
    refuse(e, "%s has no %s '%s'", e->path,
           e->kind == TOCM_EDIT_NODE        ? "node"
           : e->kind == TOCM_EDIT_INDICATOR ? "indicator"
                                            : "node or indicator",
           id);
    return FOUND_NONE;
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

static char *read_fd(int fd, size_t *len) {
    tocmp_buf b = {0};
    char chunk[65536];
    if (lseek(fd, 0, SEEK_SET) < 0)
        return NULL;
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            free(b.data);
            return NULL;
        }
        if (n == 0)
            break;
        tocmp_buf_append(&b, chunk, (size_t)n);
    }
    if (!b.data)
        b.data = tocmp_xcalloc(1, 1);
    *len = b.len;
    return b.data;
}

int tocm_edit_open(const char *path, const tocm_edit_options *options, tocm_diags *diags,
                   tocm_edit **out) {
    *out = NULL;
    double timeout = options ? options->lock_timeout : TOCM_EDIT_LOCK_TIMEOUT;
    FILE *notice = options ? options->wait_notice : NULL;
    char real[PATH_MAX];
    const char *target = realpath(path, real) ? real : path;

    char err[PATH_MAX + 256];
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
    e->before = read_fd(fd, &e->before_len);
    if (!e->before || fstat(fd, &e->st) != 0) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E000", path, 0, 0, "", NULL,
                       "cannot read %s: %s", path, strerror(errno));
        tocm_edit_close(e);
        return TOCM_EIO;
    }
    if (strlen(e->before) != e->before_len) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E001", path, 0, 0, "", NULL,
                       "the file holds a NUL byte: it is not a JSON text");
        tocm_edit_close(e);
        return TOCM_EINVALID;
    }
    tocm_diags *found = tocm_diags_new();
    tocm_model *m = NULL;
    int rc = tocm_model_load_string(e->before, path, found, &m);
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
    size_t len;
    char *canonical = tocm_model_format(m, &len);
    e->canonical = len == e->before_len && memcmp(canonical, e->before, len) == 0;
    free(canonical);
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
int tocm_edit_changed(const tocm_edit *e) { return e->changed; }
int tocm_edit_was_canonical(const tocm_edit *e) { return e->canonical; }

const char *tocm_edit_text(const tocm_edit *e, int after, size_t *len) {
    if (len)
        *len = after ? e->after_len : e->before_len;
    return after ? e->after : e->before;
}

/* ---- operations ---------------------------------------------------------- */

/* Refuses an id that is empty or already names a node or an indicator. */
static int is_utf8(const char *s) {
    json_t *v = json_string(s);
    json_decref(v);
    return v != NULL;
}

static int check_new_id(tocm_edit *e, const char *id) {
    if (!id || !*id)
        return refuse(e, "an id cannot be empty");
    if (!is_utf8(id))
        return refuse(e, "the id is not valid UTF-8 text");
    json_t *node = find_node(e, id);
    if (node) {
        char *what = describe_node(e, node);
        const char *title = str_member(node, "title");
        refuse(e, "there is already a node %s: \"%s\"", what, title ? title : "");
        free(what);
        return TOCM_EINVALID;
    }
    if (find_indicator(e, id))
        return refuse(e, "there is already an indicator '%s'", id);
    return TOCM_OK;
}

int tocm_edit_add_node(tocm_edit *e, const char *id, const char *level, const char *title,
                       const char *after) {
    if (check_new_id(e, id) != TOCM_OK)
        return TOCM_EINVALID;
    if ((level && !is_utf8(level)) || (title && !is_utf8(title)))
        return refuse(e, "the level or title is not valid UTF-8 text");
    json_t *nodes = json_object_get(e->doc, "nodes");
    if (nodes && !json_is_array(nodes))
        return refuse(e, "'nodes' in %s is not an array; fix the file first", e->path);
    size_t position;
    if (after) {
        long i = nodes ? find_in(nodes, after) : -1;
        if (i < 0)
            return refuse(e, "%s has no node '%s' to put the new node after", e->path, after);
        position = (size_t)i + 1;
    } else {
        /* Keep the file grouped by level: after the last node of the same
         * level or a higher one (the end, when the level is unknown). */
        long rank = level_rank(e, level);
        position = nodes ? json_array_size(nodes) : 0;
        if (rank >= 0 && nodes) {
            position = 0;
            size_t i;
            json_t *n;
            json_array_foreach(nodes, i, n) {
                long r = level_rank(e, str_member(n, "level"));
                if (r >= 0 && r <= rank)
                    position = i + 1;
            }
        }
    }
    if (!nodes) {
        nodes = json_array();
        json_object_set_new(e->doc, "nodes", nodes);
    }
    json_t *node = json_object();
    json_object_set_new(node, "id", json_string(id));
    json_object_set_new(node, "level", json_string(level ? level : ""));
    json_object_set_new(node, "title", json_string(title ? title : ""));
    json_array_insert_new(nodes, position, node);
    note(e, "added %s '%s': \"%s\"", level_title_of(e, level), id, title ? title : "");
    return TOCM_OK;
}

int tocm_edit_add_indicator(tocm_edit *e, const char *id, const char *title) {
    if (check_new_id(e, id) != TOCM_OK)
        return TOCM_EINVALID;
    if (title && !is_utf8(title))
        return refuse(e, "the title is not valid UTF-8 text");
    json_t *inds = json_object_get(e->doc, "indicators");
    if (inds && !json_is_array(inds))
        return refuse(e, "'indicators' in %s is not an array; fix the file first", e->path);
    if (!inds) {
        inds = json_array();
        json_object_set_new(e->doc, "indicators", inds);
    }
    json_t *ind = json_object();
    json_object_set_new(ind, "id", json_string(id));
    json_object_set_new(ind, "title", json_string(title ? title : ""));
    json_array_append_new(inds, ind);
    note(e, "added indicator '%s': \"%s\"", id, title ? title : "");
    return TOCM_OK;
}

/* The list a link lives in: a node's contributes_to, an indicator's nodes. */
static const char *link_member(enum found kind) {
    return kind == FOUND_NODE ? "contributes_to" : "nodes";
}

int tocm_edit_link(tocm_edit *e, const char *from, const char *to, int inferred) {
    json_t *object;
    enum found kind = resolve(e, from, &object);
    if (kind == FOUND_NONE)
        return TOCM_EINVALID;
    if (!is_utf8(to))
        return refuse(e, "the id to link to is not valid UTF-8 text");
    const char *member = link_member(kind);
    json_t *list = json_object_get(object, member);
    if (list && !json_is_array(list))
        return refuse(e, "'%s' of '%s' is not a list; fix it with 'tocm set' first", member, from);
    /* A node's links are checked by the validator (E104: unknown node), so
     * --force can still write one; nothing checks an indicator's. */
    if (kind == FOUND_INDICATOR && !find_node(e, to))
        return refuse(e, "%s has no node '%s' to attach indicator '%s' to", e->path, to, from);
    json_t *marks = kind == FOUND_NODE ? json_object_get(object, "inferred") : NULL;
    if (inferred && kind != FOUND_NODE)
        return refuse(e, "only a node's links can be marked inferred");
    if (inferred && marks && !json_is_array(marks) && !json_is_boolean(marks))
        return refuse(e, "'inferred' of '%s' is neither true, false nor a list", from);

    int changed = 0;
    if (list && find_string(list, to) >= 0) {
        note(e, kind == FOUND_NODE ? "'%s' already contributes to '%s'"
                                   : "indicator '%s' is already attached to '%s'",
             from, to);
    } else {
        if (!list) {
            list = json_array();
            json_object_set_new(object, member, list);
        }
        json_array_append_new(list, json_string(to));
        note(e, kind == FOUND_NODE ? "'%s' now contributes to '%s'"
                                   : "indicator '%s' is now attached to '%s'",
             from, to);
        changed = 1;
    }
    if (inferred) {
        if (json_is_true(marks)) {
            note(e, "'%s' is inferred as a whole (inferred: true): its links need no mark", from);
        } else if (json_is_array(marks) && find_string(marks, to) >= 0) {
            if (!changed)
                note(e, "the link from '%s' to '%s' is already marked inferred", from, to);
        } else {
            if (!json_is_array(marks)) {
                marks = json_array();
                json_object_set_new(object, "inferred", marks);
            }
            json_array_append_new(marks, json_string(to));
            note(e, "the link from '%s' to '%s' is marked inferred", from, to);
        }
    }
    return TOCM_OK;
}

int tocm_edit_unlink(tocm_edit *e, const char *from, const char *to) {
    json_t *object;
    enum found kind = resolve(e, from, &object);
    if (kind == FOUND_NONE)
        return TOCM_EINVALID;
    const char *member = link_member(kind);
    json_t *list = json_object_get(object, member);
    if (!json_is_array(list) || find_string(list, to) < 0)
        return refuse(e,
                      kind == FOUND_NODE ? "'%s' does not contribute to '%s'; nothing to unlink"
                                         : "indicator '%s' is not attached to '%s'",
                      from, to);
    remove_string(list, to);
    drop_if_empty(object, member);
    if (kind == FOUND_NODE) {
        json_t *marks = json_object_get(object, "inferred");
        if (json_is_array(marks) && remove_string(marks, to))
            drop_if_empty(object, "inferred");
        note(e, "'%s' no longer contributes to '%s'", from, to);
    } else {
        note(e, "indicator '%s' is no longer attached to '%s'", from, to);
    }
    return TOCM_OK;
}

/* Fields of a node the format types; used for hints before the validator's
 * plainer "must be an array" would refuse the change. */
static int is_node_list_field(const char *key) {
    return strcmp(key, "partners") == 0 || strcmp(key, "assumptions") == 0 ||
           strcmp(key, "contributes_to") == 0;
}

static char *value_text(json_t *v) {
    if (json_is_string(v))
        return tocmp_asprintf("\"%s\"", json_string_value(v));
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    char *copy = tocmp_xstrdup(s ? s : "?");
    free(s);
    return copy;
}

int tocm_edit_assign(tocm_edit *e, const char *id, const char *assignment) {
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return refuse(e, "'%s' is not an assignment: write KEY=TEXT, KEY:=JSON, KEY+=TEXT or "
                         "KEY-=TEXT",
                      assignment);
    char op = '=';
    size_t key_len = (size_t)(eq - assignment);
    if (key_len > 1 && strchr(":+-", eq[-1])) {
        op = eq[-1];
        key_len--;
    }
    char *key = tocmp_xmalloc(key_len + 1);
    memcpy(key, assignment, key_len);
    key[key_len] = '\0';
    const char *text = eq + 1;
    int rc = TOCM_OK;
    json_t *object;
    enum found kind = resolve(e, id, &object);
    json_t *value = NULL;
    char *shown = NULL;
    if (kind == FOUND_NONE) {
        rc = TOCM_EINVALID;
        goto out;
    }
    if (strcmp(key, "id") == 0) {
        rc = refuse(e, "an id is changed with 'tocm rename MODEL %s NEW', which also updates "
                       "every link to it",
                    id);
        goto out;
    }
    if (strcmp(key, link_member(kind)) == 0 && (op == '+' || op == '-')) {
        rc = op == '+' ? tocm_edit_link(e, id, text, 0) : tocm_edit_unlink(e, id, text);
        goto out;
    }
    json_t *old = json_object_get(object, key);
    if (op == '=') {
        int list = (kind == FOUND_NODE && is_node_list_field(key)) ||
                   (kind == FOUND_INDICATOR && strcmp(key, "nodes") == 0);
        if (list) {
            rc = refuse(e, "'%s' is a list: use %s+=TEXT to add an entry, %s-=TEXT to take "
                           "one out, or %s:='[\"A\", \"B\"]' to replace the whole list",
                        key, key, key, key);
            goto out;
        }
        if (kind == FOUND_NODE && strcmp(key, "inferred") == 0) {
            rc = refuse(e, "'inferred' is true, false or a list of ids: use inferred:=true, "
                           "inferred:=false or inferred+=ID");
            goto out;
        }
        value = json_string(text);
        if (!value) {
            rc = refuse(e, "the value of '%s' is not valid UTF-8 text", key);
            goto out;
        }
    } else if (op == ':') {
        json_error_t jerr;
        value = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
        if (!value) {
            rc = refuse(e, "the value of '%s' is not valid JSON (%s); a text needs quotes, "
                           "e.g. %s:='\"text\"', or use %s=text",
                        key, jerr.text, key, key);
            goto out;
        }
    } else {
        if (old && !json_is_array(old)) {
            rc = refuse(e, "'%s' of '%s' is not a list, so %s%c= cannot %s it", key, id, key, op,
                        op == '+' ? "add to" : "take from");
            goto out;
        }
        if (op == '+') {
            if (old && find_string(old, text) >= 0) {
                note(e, "\"%s\" is already in '%s' of '%s'", text, key, id);
                goto out;
            }
            json_t *s = json_string(text);
            if (!s) {
                rc = refuse(e, "the value of '%s' is not valid UTF-8 text", key);
                goto out;
            }
            if (!old) {
                old = json_array();
                json_object_set_new(object, key, old);
            }
            json_array_append_new(old, s);
            note(e, "added \"%s\" to '%s' of '%s'", text, key, id);
        } else {
            if (!old || find_string(old, text) < 0) {
                rc = refuse(e, "\"%s\" is not in '%s' of '%s'", text, key, id);
                goto out;
            }
            remove_string(old, text);
            drop_if_empty(object, key);
            note(e, "took \"%s\" out of '%s' of '%s'", text, key, id);
        }
        goto out;
    }
    shown = value_text(value);
    if (old && json_equal(old, value)) {
        note(e, "'%s' of '%s' is already %s", key, id, shown);
        goto out;
    }
    json_object_set(object, key, value);
    note(e, "set '%s' of '%s' to %s", key, id, shown);
out:
    json_decref(value);
    free(shown);
    free(key);
    return rc;
}

int tocm_edit_unset(tocm_edit *e, const char *id, const char *key) {
    json_t *object;
    enum found kind = resolve(e, id, &object);
    if (kind == FOUND_NONE)
        return TOCM_EINVALID;
    if (strcmp(key, "id") == 0 ||
        (kind == FOUND_NODE && (strcmp(key, "level") == 0 || strcmp(key, "title") == 0)))
        return refuse(e, "every %s needs its '%s'; set it to something else instead",
                      kind == FOUND_NODE ? "node" : "indicator", key);
    if (!json_object_get(object, key)) {
        note(e, "'%s' has no '%s'; nothing to remove", id, key);
        return TOCM_OK;
    }
    json_object_del(object, key);
    note(e, "removed '%s' of '%s'", key, id);
    if (kind == FOUND_NODE && strcmp(key, "contributes_to") == 0 &&
        json_is_array(json_object_get(object, "inferred"))) {
        /* The marks were about links that are gone. */
        json_object_del(object, "inferred");
        note(e, "removed the inferred marks of '%s' with its links", id);
    }
    return TOCM_OK;
}

int tocm_edit_rename(tocm_edit *e, const char *old_id, const char *new_id) {
    json_t *object;
    enum found kind = resolve(e, old_id, &object);
    if (kind == FOUND_NONE)
        return TOCM_EINVALID;
    if (strcmp(old_id, new_id) == 0) {
        note(e, "'%s' already has that id", old_id);
        return TOCM_OK;
    }
    if (check_new_id(e, new_id) != TOCM_OK)
        return TOCM_EINVALID;
    /* Copy: old_id may point into the member about to be replaced. */
    char *old = tocmp_xstrdup(old_id);
    json_object_set_new(object, "id", json_string(new_id));
    if (kind == FOUND_INDICATOR) {
        note(e, "renamed indicator '%s' to '%s'", old, new_id);
        free(old);
        return TOCM_OK;
    }
    size_t links = 0, marks = 0, indicators = 0;
    size_t i;
    json_t *item;
    json_array_foreach(top_array(e, "nodes"), i, item) {
        links += replace_string(json_object_get(item, "contributes_to"), old, new_id);
        marks += replace_string(json_object_get(item, "inferred"), old, new_id);
    }
    json_array_foreach(top_array(e, "indicators"), i, item) {
        indicators += replace_string(json_object_get(item, "nodes"), old, new_id) > 0;
    }
    char *what = describe_node(e, object);
    tocmp_buf refs = {0};
    if (links)
        tocmp_buf_printf(&refs, "%zu link%s", links, links == 1 ? "" : "s");
    if (marks)
        tocmp_buf_printf(&refs, "%s%zu inferred mark%s", refs.len ? ", " : "", marks,
                         marks == 1 ? "" : "s");
    if (indicators)
        tocmp_buf_printf(&refs, "%s%zu indicator%s", refs.len ? ", " : "", indicators,
                         indicators == 1 ? "" : "s");
    note(e, "renamed '%s' to %s; updated %s", old, what, refs.len ? refs.data : "no references");
    free(refs.data);
    free(what);
    free(old);
    return TOCM_OK;
}

/* Removes entries naming removed nodes from a list; returns how many. */
static size_t drop_removed(json_t *list, json_t *removed) {
    size_t dropped = 0;
    for (size_t i = json_array_size(list); i-- > 0;) {
        json_t *item = json_array_get(list, i);
        if (json_is_string(item) && json_object_get(removed, json_string_value(item))) {
            json_array_remove(list, i);
            dropped++;
        }
    }
    return dropped;
}

static int remove_indicator(tocm_edit *e, const char *id) {
    json_t *inds = top_array(e, "indicators");
    long i = find_in(inds, id);
    char *name = tocmp_xstrdup(id);
    json_array_remove(inds, (size_t)i);
    note(e, "removed indicator '%s'", name);
    free(name);
    return TOCM_OK;
}

int tocm_edit_remove(tocm_edit *e, const char *id, enum tocm_remove_mode mode,
                     const char *reattach_to) {
    json_t *object;
    enum found kind = resolve(e, id, &object);
    if (kind == FOUND_NONE)
        return TOCM_EINVALID;
    if (kind == FOUND_INDICATOR)
        return remove_indicator(e, id);
    json_t *nodes = top_array(e, "nodes");
    json_t *inds = top_array(e, "indicators");
    char *target = tocmp_xstrdup(id); /* id may point into the node */
    size_t i;
    json_t *item;
    int rc = TOCM_OK;

    /* What points at the node. */
    const char **from = tocmp_xcalloc(json_array_size(nodes), sizeof *from);
    const char **attached = tocmp_xcalloc(json_array_size(inds), sizeof *attached);
    size_t from_count = 0, attached_count = 0;
    json_array_foreach(nodes, i, item) {
        if (item != object && find_string(json_object_get(item, "contributes_to"), target) >= 0)
            from[from_count++] = str_member(item, "id") ? str_member(item, "id") : "?";
    }
    json_array_foreach(inds, i, item) {
        if (find_string(json_object_get(item, "nodes"), target) >= 0)
            attached[attached_count++] = str_member(item, "id") ? str_member(item, "id") : "?";
    }

    json_t *removed = json_object(); /* id -> true: the nodes that go */
    json_object_set_new(removed, target, json_true());

    if (mode == TOCM_REMOVE_ONLY && (from_count || attached_count)) {
        char *a = name_list(from, from_count), *b = name_list(attached, attached_count);
        tocmp_buf msg = {0};
        tocmp_buf_printf(&msg, "cannot remove '%s': ", target);
        if (from_count)
            tocmp_buf_printf(&msg, "%s still contribute%s to it", a, from_count == 1 ? "s" : "");
        if (from_count && attached_count)
            tocmp_buf_puts(&msg, ", and ");
        if (attached_count)
            tocmp_buf_printf(&msg, "indicator%s %s %s attached to it",
                             attached_count == 1 ? "" : "s", b,
                             attached_count == 1 ? "is" : "are");
        tocmp_buf_puts(&msg, "; use --cascade to remove what hangs only on it, or "
                             "--reattach-to ID to move those links to another node");
        rc = refuse(e, "%s", msg.data);
        free(msg.data);
        free(a);
        free(b);
        goto out;
    }
    if (mode == TOCM_REMOVE_REATTACH) {
        json_t *new_target = reattach_to ? find_node(e, reattach_to) : NULL;
        if (!new_target) {
            rc = refuse(e, "%s has no node '%s' to reattach the links of '%s' to", e->path,
                        reattach_to ? reattach_to : "", target);
            goto out;
        }
        if (new_target == object) {
            rc = refuse(e, "cannot reattach the links of '%s' to itself", target);
            goto out;
        }
        json_array_foreach(nodes, i, item) {
            replace_string(json_object_get(item, "contributes_to"), target, reattach_to);
            replace_string(json_object_get(item, "inferred"), target, reattach_to);
        }
        json_array_foreach(inds, i, item) {
            replace_string(json_object_get(item, "nodes"), target, reattach_to);
        }
        if (from_count) {
            char *a = name_list(from, from_count);
            note(e, "%s now contribute%s to '%s' instead", a, from_count == 1 ? "s" : "",
                 reattach_to);
            free(a);
        }
        if (attached_count) {
            char *b = name_list(attached, attached_count);
            note(e, "indicator%s %s now attached to '%s' instead", attached_count == 1 ? "" : "s",
                 b, reattach_to);
            free(b);
        }
    } else if (mode == TOCM_REMOVE_CASCADE) {
        /* Grow the removed set to a fixpoint: a node goes when it has links
         * and every one of them goes to a removed node. */
        int grew = 1;
        while (grew) {
            grew = 0;
            json_array_foreach(nodes, i, item) {
                const char *nid = str_member(item, "id");
                json_t *targets = json_object_get(item, "contributes_to");
                if (!nid || json_object_get(removed, nid) || json_array_size(targets) == 0)
                    continue;
                int all = 1;
                size_t k;
                json_t *t;
                json_array_foreach(targets, k, t) {
                    if (!json_is_string(t) || !json_object_get(removed, json_string_value(t)))
                        all = 0;
                }
                if (all) {
                    json_object_set_new(removed, nid, json_true());
                    grew = 1;
                }
            }
        }
    }
    /* Take out the links to removed nodes, then the nodes. */
    size_t dropped_links = 0;
    json_array_foreach(nodes, i, item) {
        const char *nid = str_member(item, "id");
        if (nid && json_object_get(removed, nid))
            continue;
        dropped_links += drop_removed(json_object_get(item, "contributes_to"), removed);
        drop_if_empty(item, "contributes_to");
        json_t *marks = json_object_get(item, "inferred");
        if (json_is_array(marks) && drop_removed(marks, removed))
            drop_if_empty(item, "inferred");
    }
    size_t detached = 0, indicators_removed = 0;
    tocmp_buf gone_inds = {0};
    for (size_t k = 0; k < json_array_size(inds);) {
        item = json_array_get(inds, k);
        json_t *list = json_object_get(item, "nodes");
        if (!json_is_array(list) || json_array_size(list) == 0 ||
            drop_removed(list, removed) == 0) {
            k++;
            continue;
        }
        detached++;
        if (json_array_size(list) > 0) {
            k++;
            continue;
        }
        const char *iid = str_member(item, "id");
        tocmp_buf_printf(&gone_inds, "%s'%s'", gone_inds.len ? ", " : "", iid ? iid : "?");
        json_array_remove(inds, k);
        indicators_removed++;
    }
    tocmp_buf gone = {0};
    size_t gone_count = 0;
    json_array_foreach(nodes, i, item) {
        const char *nid = str_member(item, "id");
        if (nid && json_object_get(removed, nid) && strcmp(nid, target) != 0) {
            tocmp_buf_printf(&gone, "%s'%s'", gone.len ? ", " : "", nid);
            gone_count++;
        }
    }
    for (size_t k = json_array_size(nodes); k-- > 0;) {
        const char *nid = str_member(json_array_get(nodes, k), "id");
        if (nid && json_object_get(removed, nid))
            json_array_remove(nodes, k);
    }
    note(e, "removed '%s'", target);
    if (gone_count)
        note(e, "removed with it, as they contributed only to removed nodes: %s", gone.data);
    if (mode == TOCM_REMOVE_CASCADE && dropped_links)
        note(e, "took out %zu link%s to removed nodes", dropped_links,
             dropped_links == 1 ? "" : "s");
    if (mode == TOCM_REMOVE_CASCADE && detached > indicators_removed)
        note(e, "detached %zu indicator%s from removed nodes", detached - indicators_removed,
             detached - indicators_removed == 1 ? "" : "s");
    if (indicators_removed)
        note(e, "removed indicator%s %s, left attached to nothing",
             indicators_removed == 1 ? "" : "s", gone_inds.data);
    free(gone.data);
    free(gone_inds.data);
out:
    json_decref(removed);
    free(from);
    free(attached);
    free(target);
    return rc;
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
        char **hit = bsearch(&keys[i], e->findings, e->finding_count, sizeof *e->findings,
                             compare_keys);
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
    e->after = tocmp_format_json(e->doc, &e->after_len);
    e->changed = e->after_len != e->before_len || memcmp(e->after, e->before, e->after_len) != 0;
    if (!e->changed)
        return TOCM_OK;

    tocm_diags *found = tocm_diags_new();
    tocm_model *m = NULL;
    int rc = tocm_model_load_string(e->after, e->path, found, &m);
    if (rc == TOCM_OK)
        tocm_validate(m, found);
    size_t errors = new_findings(e, found, added);
    tocm_model_free(m);
    tocm_diags_free(found);
    if (rc != TOCM_OK) {
        /* Not even loadable: never written, --force or not. */
        refuse(e, "the change would leave a file that is not a tocm model; nothing written");
        return TOCM_EINVALID;
    }
    if (errors && !(flags & TOCM_COMMIT_FORCE)) {
        refuse(e, "the change would add %zu error%s to the model; nothing written (--force "
                  "writes it anyway)",
               errors, errors == 1 ? "" : "s");
        return TOCM_EINVALID;
    }
    if (flags & TOCM_COMMIT_DRY_RUN)
        return TOCM_OK;

    /* The lock keeps tocm editors out, but not other programs: do not
     * overwrite a change one of them made since we read the file. */
    struct stat now;
    if (stat(e->real, &now) != 0 || now.st_ino != e->st.st_ino || now.st_dev != e->st.st_dev ||
        now.st_size != e->st.st_size || now.st_mtim.tv_sec != e->st.st_mtim.tv_sec ||
        now.st_mtim.tv_nsec != e->st.st_mtim.tv_nsec) {
        refuse(e, "%s was changed by another program while tocm was editing it; nothing "
                  "written (run the command again)",
               e->path);
        return TOCM_EIO;
    }
    char err[PATH_MAX + 256];
    if (tocm_write_file_atomic(e->real, e->after, e->after_len, err, sizeof err) != TOCM_OK) {
        refuse(e, "%s", err);
        return TOCM_EIO;
    }
    return TOCM_OK;
}
