/*
 * tocm.h -- the libtocm API: load a theory-of-change model, validate it,
 * walk its results chain, and write it back in canonical form.
 *
 * Ownership words used below (after jansson):
 *   new      the caller owns the result and frees it with the named function;
 *   borrowed the pointer stays owned by the model (or diagnostics list) and
 *            is valid until that object is freed;
 *   stolen   the callee takes ownership of the argument.
 */
#ifndef TOCM_TOCM_H
#define TOCM_TOCM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TOCM_VERSION "0.1.0"
/* The model file format this library reads and writes ("tocm": 1). */
#define TOCM_FORMAT_VERSION 1

/* Results of operations that can fail for reasons other than the model. */
enum tocm_status {
    TOCM_OK = 0,
    TOCM_EINVALID = 1, /* the model (or data) has errors; see diagnostics */
    TOCM_EIO = 2,      /* the file could not be read or written */
};

/* ---- Diagnostics ------------------------------------------------------ */

enum tocm_severity { TOCM_SEV_ERROR, TOCM_SEV_WARNING };

/* One finding. All strings are borrowed from the list that holds it. */
typedef struct tocm_diag {
    enum tocm_severity severity;
    const char *code;    /* stable rule code: "E104", "W201", ... */
    const char *file;    /* file the finding is about */
    int line, column;    /* 1-based; 0 when not known */
    const char *path;    /* JSON pointer ("/nodes/17/contributes_to/0"); "" for the root */
    const char *node;    /* id of the node concerned, or NULL */
    const char *message; /* human text, no trailing newline */
} tocm_diag;

typedef struct tocm_diags tocm_diags;

/* new: free with tocm_diags_free. */
tocm_diags *tocm_diags_new(void);
void tocm_diags_free(tocm_diags *diags);
size_t tocm_diags_count(const tocm_diags *diags);
/* borrowed: valid until the list is freed. */
const tocm_diag *tocm_diags_get(const tocm_diags *diags, size_t index);
size_t tocm_diags_errors(const tocm_diags *diags);
size_t tocm_diags_warnings(const tocm_diags *diags);
/* Adds a finding; every string is copied. node may be NULL. */
void tocm_diags_add(tocm_diags *diags, enum tocm_severity severity,
                    const char *code, const char *file, int line, int column,
                    const char *path, const char *node, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
/* One finding, GNU style, with its newline. */
void tocm_diag_print(const tocm_diag *diag, void *stdio_file);
/* GNU style, one line each: "file:line:col: error: E104 /path: message". */
void tocm_diags_print(const tocm_diags *diags, void *stdio_file);
/* A JSON array of {"file","line","column","severity","code","path","node","message"}. */
void tocm_diags_print_json(const tocm_diags *diags, void *stdio_file);

/* ---- The model -------------------------------------------------------- */

typedef struct tocm_model tocm_model;

/* Loads and checks the shape of a model file (JSON syntax, required fields,
 * types). On TOCM_OK *out is new (free with tocm_model_free); findings go to
 * diags. TOCM_EINVALID: the file is not a usable model (syntax error, not a
 * tocm file): *out is NULL. TOCM_EIO: the file could not be read: *out is
 * NULL and one E000 diagnostic says why. Structural errors that still leave a
 * graph (a node without a title, say) give TOCM_OK with errors in diags: run
 * tocm_validate for the full picture. */
int tocm_model_load_file(const char *path, tocm_diags *diags, tocm_model **out);
/* As above from a NUL-terminated buffer; name is used in diagnostics. */
int tocm_model_load_string(const char *text, const char *name,
                           tocm_diags *diags, tocm_model **out);
void tocm_model_free(tocm_model *model);

/* Runs every validation rule (models/FORMAT.md) and appends findings.
 * Returns the number of errors added. */
size_t tocm_validate(const tocm_model *model, tocm_diags *diags);

/* borrowed */
const char *tocm_model_file(const tocm_model *model);
const char *tocm_model_program_id(const tocm_model *model);
const char *tocm_model_program_title(const tocm_model *model);

/* Levels, top (index 0) to bottom. */
size_t tocm_model_level_count(const tocm_model *model);
const char *tocm_level_id(const tocm_model *model, size_t level);    /* borrowed */
const char *tocm_level_title(const tocm_model *model, size_t level); /* borrowed */
int tocm_level_is_outcome(const tocm_model *model, size_t level);
/* Index of the level with that id, or -1. */
long tocm_model_find_level(const tocm_model *model, const char *id);

/* Nodes in file order. Node indices are stable for the model's lifetime. */
#define TOCM_NO_NODE ((size_t)-1)
size_t tocm_model_node_count(const tocm_model *model);
/* O(1) on average; TOCM_NO_NODE if there is no such node. With duplicate
 * ids the first node in the file wins. */
size_t tocm_model_find_node(const tocm_model *model, const char *id);
const char *tocm_node_id(const tocm_model *model, size_t node);    /* borrowed */
const char *tocm_node_title(const tocm_model *model, size_t node); /* borrowed */
/* The level index, or -1 if the node's level is unknown. */
long tocm_node_level(const tocm_model *model, size_t node);
/* borrowed; NULL when the node has no such field (or it is not a string). */
const char *tocm_node_country(const tocm_model *model, size_t node);
const char *tocm_node_status(const tocm_model *model, size_t node);
/* borrowed; any string field of the node, e.g. "description", or NULL. */
const char *tocm_node_string(const tocm_model *model, size_t node,
                             const char *field);

/* Links. "Out" links are the node's contributes_to targets that exist, in
 * file order; "in" links are the nodes that contribute to it, in file order. */
size_t tocm_node_out_count(const tocm_model *model, size_t node);
size_t tocm_node_out(const tocm_model *model, size_t node, size_t i);
size_t tocm_node_in_count(const tocm_model *model, size_t node);
size_t tocm_node_in(const tocm_model *model, size_t node, size_t i);
/* Number of resolved links in the model. */
size_t tocm_model_edge_count(const tocm_model *model);

/* ---- Writing ---------------------------------------------------------- */

/* The model (the JSON it was loaded from, unknown fields included) in the
 * canonical layout of models/FORMAT.md. new: free() it. *len gets the byte
 * count when len is not NULL. */
char *tocm_model_format(const tocm_model *model, size_t *len);

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename over path, fsync of the directory. An existing file's mode is
 * kept. On failure returns TOCM_EIO and puts the reason in err. */
int tocm_write_file_atomic(const char *path, const char *data, size_t len,
                           char *err, size_t err_size);

#ifdef __cplusplus
}
#endif
#endif
