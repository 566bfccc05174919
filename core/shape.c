/*
 * shape.c -- the shape of a model, checked against the schema (shape.h).
 *
 * Paths ("/nodes/3/title") and names ("node 'O1'") are formatted only when
 * there is something to report: a clean load formats nothing.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "shape.h"
#include "util.h"

const struct tocmp_where tocmp_shape_top = {0};

static void path_into(tocmp_buf *b, const struct tocmp_where *w) {
    if (!w->parent)
        return;
    path_into(b, w->parent);
    if (w->key)
        tocmp_buf_pointer_key(b, w->key);
    else
        tocmp_buf_printf(b, "/%zu", w->index);
}

/* "node 'P1'", "the level", "'baseline' of indicator 'T3'". new. */
static char *what_of(const struct tocmp_where *w) {
    if (w->kind)
        return w->id ? tocmp_asprintf("%s '%s'", w->kind, w->id)
                     : tocmp_asprintf("the %s", w->kind);
    if (!w->parent)
        return tocmp_xstrdup("the model");
    char *parent = what_of(w->parent);
    char *what = w->key ? tocmp_asprintf("'%s' of %s", w->key, parent)
                        : tocmp_asprintf("entry %zu of %s", w->index, parent);
    free(parent);
    return what;
}

void tocmp_shape_fail(const struct tocmp_shape *s, const char *code, const struct tocmp_where *w,
                      const char *node, const char *fmt, ...) {
    tocmp_buf path = {0};
    path_into(&path, w);
    va_list ap;
    va_start(ap, fmt);
    char *message = tocmp_vasprintf(fmt, ap);
    va_end(ap);
    /* A finding about a member of something with an id names it in the
     * message too ("node 'O1': ..."): the path's index alone does not tell
     * a person which node or indicator to look for. */
    const struct tocmp_where *owner = w;
    while (owner && !(owner->kind && owner->id))
        owner = owner->parent;
    if (owner && strcmp(code, "E003") != 0)
        tocm_diags_add(s->diags, TOCM_SEV_ERROR, code, s->file, 0, 0, path.data ? path.data : "",
                       node, "%s '%s': %s", owner->kind, owner->id, message);
    else
        tocm_diags_add(s->diags, TOCM_SEV_ERROR, code, s->file, 0, 0, path.data ? path.data : "",
                       node, "%s", message);
    free(message);
    free(path.data);
}

/* The kind of a field's value (and that an id is not empty): E004 when it is
 * wrong. Returns 1 when the value is usable. */
int tocmp_shape_kind(const struct tocmp_shape *s, const struct tocmp_field *f, json_t *v,
                     const struct tocmp_where *w, const char *node) {
    if (!tocmp_schema_kind_ok(f->kinds, v)) {
        char *expected = tocmp_schema_expected(f);
        tocmp_shape_fail(s, "E004", w, node, "'%s' must be %s, not %s", f->name, expected,
                         tocmp_json_kind_name(v));
        free(expected);
        return 0;
    }
    if ((f->flags & TOCMP_F_NONEMPTY) && json_is_string(v) && json_string_length(v) == 0) {
        tocmp_shape_fail(s, "E004", w, node, "'%s' must not be empty", f->name);
        return 0;
    }
    return 1;
}

/* The id an object of place goes by in messages: its "id" member, when that
 * is a non-empty string. */
static const char *id_of(json_t *object, enum tocmp_place place) {
    if (!tocmp_schema_field(place, "id"))
        return NULL;
    json_t *id = json_object_get(object, "id");
    return json_is_string(id) && json_string_length(id) > 0 ? json_string_value(id) : NULL;
}

/* One entry of the array or map field f (key: its name in a map, NULL in an
 * array); w is where the entry sits. Objects of a known place get their
 * members checked, and name themselves in messages by their id (or key).
 * Returns 1 when the entry is of the right kind. */
int tocmp_shape_entry(const struct tocmp_shape *s, const struct tocmp_field *f, json_t *entry,
                      struct tocmp_where *w, const char *key, const char *node) {
    const struct tocmp_place_info *p = tocmp_schema_place(f->place);
    if (f->items && !tocmp_schema_kind_ok(f->items, entry)) {
        struct tocmp_field each = {.name = f->name, .kinds = f->items};
        char *one = tocmp_schema_expected(&each);
        char *many = tocmp_schema_expected_items(f);
        const char *is = tocmp_json_kind_name(entry);
        if (f->place != TOCMP_PLACE_NONE && key)
            tocmp_shape_fail(s, "E004", w, node, "%s '%s' must be %s, not %s", p->name, key, one,
                             is);
        else if (f->place != TOCMP_PLACE_NONE)
            tocmp_shape_fail(s, "E004", w, node, "%s must be %s, not %s", p->a, one, is);
        else if (key)
            tocmp_shape_fail(s, "E004", w, node, "'%s' in '%s' must be %s, not %s", key, f->name,
                             one, is);
        else
            tocmp_shape_fail(s, "E004", w, node, "'%s' entries must be %s, not %s", f->name, many,
                             is);
        free(one);
        free(many);
        return 0;
    }
    if (f->place != TOCMP_PLACE_NONE && json_is_object(entry)) {
        w->kind = p->name;
        w->id = key ? key : id_of(entry, f->place);
        /* What an entry with an id is about is that id (a node, an
         * indicator); a map's keys are not node ids. */
        if (!key && w->id)
            node = w->id;
        tocmp_shape_members(s, entry, f->place, w, node);
    }
    return 1;
}

/* A field's value: its kind, then its entries or members. Returns 1 when
 * the value itself is of the right kind. */
int tocmp_shape_value(const struct tocmp_shape *s, const struct tocmp_field *f, json_t *v,
                      const struct tocmp_where *w, const char *node) {
    if (!tocmp_shape_kind(s, f, v, w, node))
        return 0;
    const char *key;
    json_t *entry;
    size_t i;
    if (json_is_array(v)) {
        json_array_foreach(v, i, entry) {
            struct tocmp_where ew = {.parent = w, .index = i};
            tocmp_shape_entry(s, f, entry, &ew, NULL, node);
        }
    } else if (json_is_object(v) && (f->flags & TOCMP_F_MAP)) {
        json_object_foreach(v, key, entry) {
            struct tocmp_where ew = {.parent = w, .key = key};
            tocmp_shape_entry(s, f, entry, &ew, key, node);
        }
    } else if (json_is_object(v) && f->place != TOCMP_PLACE_NONE) {
        tocmp_shape_members(s, v, f->place, w, node);
    }
    return 1;
}

/* Every field of place that object has (or lacks, when required), in the
 * schema's order. */
void tocmp_shape_members(const struct tocmp_shape *s, json_t *object, enum tocmp_place place,
                         const struct tocmp_where *w, const char *node) {
    const struct tocmp_place_info *p = tocmp_schema_place(place);
    /* Each member's value by field, from one walk over the members: a node
     * has a dozen fields and uses half, and a lookup per field (missing
     * ones too) was most of the cost of loading a large model. */
    json_t *small[32];
    json_t **values = p->field_count <= 32 ? small : tocmp_xmalloc(p->field_count * sizeof *values);
    memset(values, 0, p->field_count * sizeof *values);
    const char *key;
    json_t *member;
    json_object_foreach(object, key, member) {
        const struct tocmp_field *f = tocmp_schema_field(place, key);
        if (f)
            values[f - p->fields] = member;
    }
    for (size_t i = 0; i < p->field_count; i++) {
        const struct tocmp_field *f = &p->fields[i];
        json_t *v = values[i];
        if (v) {
            struct tocmp_where mw = {.parent = w, .key = f->name};
            tocmp_shape_value(s, f, v, &mw, node);
        } else if ((f->flags & TOCMP_F_REQUIRED) &&
                   /* A table in a database (ABI 1.5 sources) has no file
                    * of its own, unless its source says so. */
                   !(place == TOCMP_PLACE_TABLE && strcmp(f->name, "path") == 0 &&
                     json_object_get(object, "database"))) {
            char *what = what_of(w);
            tocmp_shape_fail(s, "E003", w, node, "%s has no '%s'", what, f->name);
            free(what);
        }
    }
    if (values != small)
        free(values);
}
const char *tocmp_shape_string(json_t *object, const char *name) {
    json_t *v = json_object_get(object, name);
    return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}
