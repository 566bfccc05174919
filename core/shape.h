/*
 * shape.h -- the loader's checks of the shape of a model: every member of
 * every place against its row in the schema (schema.c): E003 for a required
 * field that is missing, E004 for a value of the wrong kind.
 */
#ifndef TOCMP_SHAPE_H
#define TOCMP_SHAPE_H

#include <jansson.h>

#include "schema.h"
#include "tocm/tocm.h"

/* Where a value sits, for messages. Paths and names are formatted only when
 * there is something to report, so a clean load formats nothing. */
struct tocmp_where {
    const struct tocmp_where *parent; /* NULL: the top level */
    const char *key;                  /* member name; NULL: entry `index` of an array */
    size_t index;
    const char *kind; /* what the object is ("node", "table"), or NULL */
    const char *id;   /* its id or map key, when it has one */
};

/* The top level: the root of every path. */
extern const struct tocmp_where tocmp_shape_top;

/* Where findings go. */
struct tocmp_shape {
    const char *file;
    tocm_diags *diags;
};

/* Adds an error at w. A finding about a member of something with an id
 * names it first ("node 'O1': ..."). node: the diagnostic's node, or NULL. */
void tocmp_shape_fail(const struct tocmp_shape *s, const char *code, const struct tocmp_where *w,
                      const char *node, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The kind of field f's value v at w (and that an id is not empty): E004
 * when it is wrong. Returns 1 when the value is usable. */
int tocmp_shape_kind(const struct tocmp_shape *s, const struct tocmp_field *f, json_t *v,
                     const struct tocmp_where *w, const char *node);
/* One entry of the array or map field f (key: its name in a map, NULL in an
 * array) at w: its kind, then, for objects of a known place, its members;
 * such an object names itself by its id (or key), so w->kind and w->id are
 * set. Returns 1 when the entry is of the right kind. */
int tocmp_shape_entry(const struct tocmp_shape *s, const struct tocmp_field *f, json_t *entry,
                      struct tocmp_where *w, const char *key, const char *node);
/* A field's value: its kind, then its entries or members. Returns 1 when
 * the value is of the right kind. */
int tocmp_shape_value(const struct tocmp_shape *s, const struct tocmp_field *f, json_t *v,
                      const struct tocmp_where *w, const char *node);
/* Every field of place that object has (or lacks, when required), in the
 * schema's order. */
void tocmp_shape_members(const struct tocmp_shape *s, json_t *object, enum tocmp_place place,
                         const struct tocmp_where *w, const char *node);
/* object[name] when it is a non-empty string, else NULL. */
const char *tocmp_shape_string(json_t *object, const char *name);

#endif
