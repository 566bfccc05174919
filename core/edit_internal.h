/*
 * edit_internal.h -- what the files of the editor share: the transaction
 * (edit.c), the helpers that find things in the document (edit_doc.c), the
 * operations (edit_ops.c) and removal (edit_remove.c).
 */
#ifndef TOCMP_EDIT_INTERNAL_H
#define TOCMP_EDIT_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <sys/stat.h>

#include "schema.h"
#include "tocm/tocm.h"

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
    /* A data file written with the model (tocm record's results table):
     * by the commit, after the model's checks and before the model. */
    char *side_path;  /* as the file system takes it */
    char *side_shown; /* for messages */
    char *side_data;
    size_t side_len;
    struct stat side_st; /* as read, to notice another program's change */
    int side_exists, side_changed;
};

/* What an id names. The last four are reached by assign and unset only. */
enum found {
    FOUND_NONE,
    FOUND_NODE,
    FOUND_INDICATOR,
    FOUND_TABLE,
    FOUND_LEVEL,
    FOUND_PROGRAM,
    FOUND_STATUS,
};

/* ---- edit.c ------------------------------------------------------------- */

/* Sets the edit's error (what tocm_edit_error returns); returns
 * TOCM_EINVALID so an operation can `return tocmp_edit_refuse(...)`. */
int tocmp_edit_refuse(tocm_edit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The data file the commit writes with the model (path and shown: new,
 * owned by the edit). st: the file as read, NULL when it does not exist. */
void tocmp_edit_set_side_file(tocm_edit *e, char *path, char *shown, char *data, size_t len,
                              const struct stat *st);
/* Adds a line to what the edit reports it did (tocm_edit_note). */
void tocmp_edit_note(tocm_edit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- edit_doc.c --------------------------------------------------------- */

/* object[key] when it is a string, else NULL. */
const char *tocmp_edit_str_member(json_t *object, const char *key);
/* The top-level array name ("nodes", "indicators"), or NULL. */
json_t *tocmp_edit_top_array(tocm_edit *e, const char *name);
/* Index of the first object in array whose "id" is id, or -1. */
long tocmp_edit_find_in(json_t *array, const char *id);
json_t *tocmp_edit_find_node(tocm_edit *e, const char *id);
json_t *tocmp_edit_find_indicator(tocm_edit *e, const char *id);
/* Index of string s in a JSON array of strings, or -1. */
long tocmp_edit_find_string(json_t *array, const char *s);
/* Removes every entry equal to s; returns how many went. */
size_t tocmp_edit_remove_string(json_t *array, const char *s);
/* Replaces every entry equal to from by to (dropping it when to is already
 * there); returns how many entries changed. */
size_t tocmp_edit_replace_string(json_t *array, const char *from, const char *to);
/* Drops member key of object when it is an empty array. */
void tocmp_edit_drop_if_empty(json_t *object, const char *key);
/* The title of a level ("Project"), or its id, for messages. */
const char *tocmp_edit_level_title_of(tocm_edit *e, const char *level);
/* The position of a level, top first, or -1. */
long tocmp_edit_level_rank(tocm_edit *e, const char *level);
/* "'P7' (Project)" for messages. new. */
char *tocmp_edit_describe_node(tocm_edit *e, json_t *node);
/* "'A', 'B', 'C' and 4 more" from an array of C strings. new. */
char *tocmp_edit_name_list(const char **names, size_t count);
/* 1 when s is valid UTF-8 (jansson refuses other text). */
int tocmp_edit_is_utf8(const char *s);
/* What the schema calls the objects of a kind: TOCMP_PLACE_NODE,
 * TOCMP_PLACE_INDICATOR, ... */
enum tocmp_place tocmp_edit_place(enum found kind);
/* The list that holds the links of kind's objects (a node's
 * contributes_to, an indicator's nodes): += and -= on it link and unlink.
 * NULL for kinds without links. */
const char *tocmp_edit_links_field(enum found kind);
/* The fields of kind's objects that hold node ids, which rename and rm
 * follow: fills out (room for 16) and returns the count. */
size_t tocmp_edit_id_fields(enum found kind, const struct tocmp_field **out);
/* Finds the node or indicator id names under the edit's kind. On failure
 * sets the error. */
enum found tocmp_edit_resolve(tocm_edit *e, const char *id, json_t **object);

#endif
