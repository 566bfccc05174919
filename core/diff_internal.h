/*
 * diff_internal.h -- what the files of the diff share: the comparison and
 * its records (diff.c), renames (diff_renames.c), the parts of the model
 * (diff_parts.c) and the text form (diff_text.c).
 */
#ifndef TOCMP_DIFF_INTERNAL_H
#define TOCMP_DIFF_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "schema.h"
#include "tocm/tocm.h"

struct tocm_diff {
    json_t *changes; /* array of change records */
    json_t *summary; /* object of counts */
    json_t *labels;  /* node id -> "Level \"title\"" for the text form */
    json_t *levels;  /* level id -> level title */
};

/* One side of the comparison. */
struct side {
    const tocm_model *m;
    json_t *nodes;    /* the "nodes" array (may be NULL) */
    json_t *by_id;    /* id -> index in nodes (first node with the id) */
    json_t *in_links; /* id -> array of ids of the nodes contributing to it */
};

/* ---- diff.c: what the parts share --------------------------------------- */

/* object[key] when it is a string, else NULL. */
const char *tocmp_diff_str_member(json_t *object, const char *key);
/* The first node of a side with this id, or NULL. */
json_t *tocmp_diff_node_at(const struct side *s, const char *id);
/* The strings of array, each read through map when map has it, as an
 * object used as a set. new. */
json_t *tocmp_diff_id_set(json_t *array, json_t *map);
/* 1 when two arrays of ids hold the same set (a's read through map). */
int tocmp_diff_same_set(json_t *a, json_t *b, json_t *map);
/* Appends a new change record {"what", "change"} and returns it (borrowed). */
json_t *tocmp_diff_record(struct tocm_diff *d, const char *what, const char *change);
/* Adds n to the summary count key. */
void tocmp_diff_count_add(struct tocm_diff *d, const char *key, size_t n);
/* r[key] = value when value is not NULL. */
void tocmp_diff_set_str(json_t *r, const char *key, const char *value);
/* A change of one member: "from" absent when it was added, "to" absent
 * when it was removed. */
void tocmp_diff_field_record(struct tocm_diff *d, const char *what, const char *id,
                             const char *field, json_t *from, json_t *to);
/* 1 when key is in the NULL-terminated list. */
int tocmp_diff_in_list(const char *const *list, const char *key);
/* The changes between two values at field, member by member and item by
 * item where the shapes allow. Returns the number of records. */
size_t tocmp_diff_value(struct tocm_diff *d, const char *what, const char *id, const char *field,
                        json_t *a, json_t *b);
/* Field changes between two objects at place, skipping the keys in skip,
 * the schema's fields first in canonical order; map (old id -> new id)
 * applies to the old side's fields that hold node ids. Returns the number
 * of records. */
size_t tocmp_diff_compare_fields(struct tocm_diff *d, const char *what, const char *id,
                                 enum tocmp_place place, json_t *old_obj, json_t *new_obj,
                                 const char *const *skip, json_t *map);

/* ---- diff_renames.c ----------------------------------------------------- */

/* Fills map (old id -> new id) with the removed and added nodes (arrays of
 * ids) that are one node renamed. */
void tocmp_diff_find_renames(const struct side *o, const struct side *n, json_t *removed,
                             json_t *added, json_t *map);

/* ---- diff_parts.c ------------------------------------------------------- */

/* Nodes: renames, additions, removals, then per node its level, links and
 * fields. Fills map (old id -> new id) with the renames. */
void tocmp_diff_nodes(struct tocm_diff *d, const struct side *o, const struct side *n, json_t *map);
/* Indicators, through the models' indicator objects and their id index:
 * renames (same title), additions, removals, then per indicator the nodes
 * it is attached to and its fields. */
void tocmp_diff_indicators(struct tocm_diff *d, const tocm_model *old_model,
                           const tocm_model *new_model, json_t *node_map);
/* A top-level object of fields ("program", "status"): its field changes,
 * counted under count_key; records say what = name. */
void tocmp_diff_section(struct tocm_diff *d, json_t *old_root, json_t *new_root, const char *name,
                        enum tocmp_place place, const char *count_key);
/* The tables: added, removed, and each one's field changes. */
void tocmp_diff_tables(struct tocm_diff *d, const tocm_model *old_model,
                       const tocm_model *new_model);
void tocmp_diff_levels(struct tocm_diff *d, json_t *old_root, json_t *new_root);
/* Top-level members the schema does not know. */
void tocmp_diff_other(struct tocm_diff *d, json_t *old_root, json_t *new_root);
/* Labels ("Outcome \"title\"") and level titles of m's nodes the diff has
 * none for yet, for the text form. */
void tocmp_diff_add_labels(struct tocm_diff *d, const tocm_model *m);

#endif
