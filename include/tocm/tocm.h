/*
 * tocm.h -- the libtocm API: load a theory-of-change model, validate it,
 * walk its results chain, and write it back in canonical form.
 *
 * Ownership words used below (after jansson):
 *   new      the caller owns the result and frees it with the named function;
 *   borrowed the pointer stays owned by the model (or diagnostics list) and
 *            is valid until that object is freed;
 *   stolen   the callee takes ownership of the argument.
 *
 * Errors and memory: the one rule.
 *
 *   Out of memory stops the program. No tocm function returns an error for
 *   it: when an allocation fails, tocm calls the handler the program set
 *   with tocm_set_oom_handler (if any), then prints "tocm: out of memory"
 *   and calls abort(). That holds for the JSON values tocm builds too: the
 *   first call to tocm_diags_new or tocm_registry_load gives jansson
 *   allocation functions that follow this rule, unless the program has
 *   already given jansson its own (json_set_alloc_funcs), which then stay.
 *
 *   Why, as git does and unlike jansson: tocm is first a command-line tool,
 *   whose only sensible answer to a failed allocation is to stop. A model is
 *   thousands of small allocations; an error code for each would double the
 *   error paths, none of them exercised by real use, for a caller that could
 *   only give up anyway. Stopping cannot damage a user's file: every write
 *   is atomic (a temporary file renamed over the old), so an abort leaves
 *   the old file or the new one, never half of each. A program embedding
 *   libtocm that must not die sets a handler that does not return (saves
 *   its state and exits with its own status, or longjmps to a point that
 *   then exits, accepting that tocm's objects are lost).
 *
 *   Everything else is handed back to the caller, never fatal, in one
 *   shape on each side of the plugin boundary (the library prints only
 *   where it is given a stream, and what plugins log with host->log and the
 *   registry's refusals, by default, go to standard error):
 *     - the library: findings in a tocm_diags list (tocm_diag: severity,
 *       code, file, line, column, JSON path, node, message) and a status
 *       (enum tocm_status) as the return value. Input that is not a model,
 *       errors in it, and files that cannot be read or written (code E000)
 *       all take this form. Two lower-level calls hand back one sentence
 *       instead, which their callers turn into a finding or print:
 *       tocm_edit_error (why an edit operation refused a request: not a
 *       finding in a file) and tocm_write_file_atomic (why a write failed,
 *       in the caller's buffer; TOCM_MESSAGE_SIZE bytes always suffice).
 *     - plugins (tocm/plugin.h): a caller-owned struct tocm_error of fixed
 *       size (TOCM_ERROR_SOURCE_SIZE, TOCM_ERROR_TEXT_SIZE), so that no heap
 *       string crosses the boundary; the host turns it into a diagnostic.
 *
 *   Bugs in tocm itself (an index that must hold a key does not) stop the
 *   program with "tocm: internal error at FILE:LINE".
 */
#ifndef TOCM_TOCM_H
#define TOCM_TOCM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* TOCM_VERSION ("0.1.0") and TOCM_VERSION_MAJOR/MINOR/PATCH, from CMake's
 * project(VERSION). */
#include "tocm/version.h"

/* The model file format this library reads and writes ("tocm": 1). */
#define TOCM_FORMAT_VERSION 1

/* Room for one message with a file name in it: what tocm_write_file_atomic
 * needs for its err buffer (longer ones are cut, never overrun). */
#define TOCM_MESSAGE_SIZE 4352

/* Results of operations that can fail for reasons other than the model. */
enum tocm_status {
    TOCM_OK = 0,
    TOCM_EINVALID = 1, /* the model (or data) has errors; see diagnostics */
    TOCM_EIO = 2,      /* the file could not be read or written */
    TOCM_EUSAGE = 3,   /* a request names what is not there (see tocm_report_compute) */
};

/* Called with the size wanted when an allocation fails, before tocm
 * aborts (see "Errors and memory" above). It must not return; if it does,
 * tocm aborts. NULL restores the default (none). Returns the previous one. */
typedef void (*tocm_oom_handler)(size_t size);
tocm_oom_handler tocm_set_oom_handler(tocm_oom_handler handler);

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
void tocm_diags_add(tocm_diags *diags, enum tocm_severity severity, const char *code,
                    const char *file, int line, int column, const char *path, const char *node,
                    const char *fmt, ...) __attribute__((format(printf, 9, 10)));
/* Prints text for a person at a terminal: every character a terminal would
 * act on rather than show (control characters such as ESC, which start
 * colour and cursor sequences; DEL; C1 controls; right-to-left and other
 * bidirectional overrides; line separators; bytes that are not UTF-8) is
 * written as an escape: \t, \n, \r, \xHH for a byte, \u{HHHH} for a code
 * point. With TOCM_TEXT_MULTILINE, newlines are kept. The printers below,
 * and every command that shows ids, titles or messages, use it. */
#define TOCM_TEXT_MULTILINE 1
void tocm_print_text(const char *text, int flags, void *stdio_file);
/* One finding, GNU style, with its newline; its texts are escaped as by
 * tocm_print_text. */
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
/* As above from an open stream (a FILE *: a pipe or standard input will do,
 * nothing seeks), read to its end; name is used in diagnostics. */
int tocm_model_load_stream(void *stdio_file, const char *name, tocm_diags *diags, tocm_model **out);
/* As above from a NUL-terminated buffer; name is used in diagnostics. */
int tocm_model_load_string(const char *text, const char *name, tocm_diags *diags, tocm_model **out);
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
const char *tocm_node_string(const tocm_model *model, size_t node, const char *field);

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
int tocm_write_file_atomic(const char *path, const char *data, size_t len, char *err,
                           size_t err_size);

/* ---- Editing and diff (core/edit.c, core/lock.c, core/diff.c) --------- */

/* An edit of a model file, as one transaction: tocm_edit_open locks the file
 * (an exclusive flock, held until tocm_edit_close) and loads it; the
 * tocm_edit_* operations change the document in memory; tocm_edit_commit
 * validates the result and writes it (atomically, in the canonical layout)
 * only if the change adds no error. Closing without a commit writes
 * nothing. */
typedef struct tocm_edit tocm_edit;

/* How long tocm_edit_open waits, by default, for another edit to finish. */
#define TOCM_EDIT_LOCK_TIMEOUT 10.0

typedef struct tocm_edit_options {
    double lock_timeout; /* seconds to wait for another edit; < 0: forever */
    void *wait_notice;   /* a FILE * told once when the wait passes a second, or NULL */
} tocm_edit_options;

/* options may be NULL (defaults). On TOCM_OK *out is new: release it with
 * tocm_edit_close. TOCM_EIO: the file cannot be read or locked (one E000
 * diagnostic says why; a lock timeout is one). TOCM_EINVALID: the file is
 * not a loadable model (its syntax errors are in diags). */
int tocm_edit_open(const char *path, const tocm_edit_options *options, tocm_diags *diags,
                   tocm_edit **out);
/* Releases the lock and frees the edit. NULL is ignored. */
void tocm_edit_close(tocm_edit *edit);

/* Which kind of object an id names in the operations below. The default,
 * ANY, takes a node, or an indicator (top-level "indicators" array) when no
 * node has the id; an id used by both is refused as ambiguous. Assign and
 * unset also reach a table (by its name in "tables"), a level (by its id)
 * and the sections "program" and "status" (by those words); under ANY an id
 * that names two of them is refused as ambiguous. */
enum tocm_edit_kind {
    TOCM_EDIT_ANY,
    TOCM_EDIT_NODE,
    TOCM_EDIT_INDICATOR,
    TOCM_EDIT_TABLE,
    TOCM_EDIT_LEVEL,
    TOCM_EDIT_SECTION, /* "program" or "status" */
};
void tocm_edit_set_kind(tocm_edit *edit, enum tocm_edit_kind kind);

/* The operations. Each returns TOCM_OK or, when it refuses (no such id, the
 * new id is taken, links would be left dangling...), TOCM_EINVALID with the
 * reason in tocm_edit_error and the document unchanged. What each one did
 * is added to the notes, one sentence each. */

/* A node {id, level, title}, placed after the node `after` when not NULL,
 * otherwise after the last node of the same or a higher level. */
int tocm_edit_add_node(tocm_edit *edit, const char *id, const char *level, const char *title,
                       const char *after);
/* An indicator {id, title} at the end of "indicators" (made if absent). */
int tocm_edit_add_indicator(tocm_edit *edit, const char *id, const char *title);
/* One assignment to a field of node or indicator id (or of a table, a
 * level, the program or status: see tocm_edit_kind). KEY is a member path
 * (core/path.h): `title`, `targets.2014`, `baseline.breakdown[0].value`,
 * `breakdown_targets[]` (a new entry), `targets."2024.1"` (a name with a
 * dot). A missing object on the way is made when the schema says the member
 * is an object (or a list, before [N]); a target written as a number or a
 * text becomes {"value": N} or {"text": T} when a member is set inside it.
 *   KEY=TEXT    the string TEXT
 *   KEY:=JSON   any JSON value (number, true/false, array, object, "string")
 *   KEY+=TEXT   adds the string TEXT to the list KEY (made if absent)
 *   KEY-=TEXT   takes the string TEXT out of the list KEY (an emptied list
 *               is removed)
 * "id" cannot be assigned (use tocm_edit_rename); contributes_to += and -=
 * on a node (nodes += and -= on an indicator) are tocm_edit_link and
 * tocm_edit_unlink. */
int tocm_edit_assign(tocm_edit *edit, const char *id, const char *assignment);
/* Removes a field, or the member or list entry at a path (KEY as above);
 * objects and lists it leaves empty on the way go too. Required fields (a
 * node's id, level and title...) cannot be removed. */
int tocm_edit_unset(tocm_edit *edit, const char *id, const char *key);
/* Node from now contributes to node to (indicator from is attached to node
 * to). inferred: also mark the link inferred (the node's "inferred" list). */
int tocm_edit_link(tocm_edit *edit, const char *from, const char *to, int inferred);
/* The reverse of tocm_edit_link; an inferred mark on the link goes too. */
int tocm_edit_unlink(tocm_edit *edit, const char *from, const char *to);
/* Renames a node, and every reference to it: contributes_to and inferred
 * lists of every node, "nodes" of every indicator. Or renames an indicator. */
int tocm_edit_rename(tocm_edit *edit, const char *old_id, const char *new_id);

enum tocm_remove_mode {
    TOCM_REMOVE_ONLY,     /* refuse when anything links to the node */
    TOCM_REMOVE_CASCADE,  /* also remove what is left contributing to nothing */
    TOCM_REMOVE_REATTACH, /* move the links to the node onto another node */
};
/* Removes a node (or an indicator). CASCADE: every node whose links all go
 * to removed nodes is removed too, recursively; other nodes and indicators
 * just lose their links to removed nodes, and an indicator left attached to
 * nothing is removed. REATTACH: the links and indicators that pointed at the
 * node point at reattach_to instead. */
int tocm_edit_remove(tocm_edit *edit, const char *id, enum tocm_remove_mode mode,
                     const char *reattach_to);

/* A figure entered directly, for an indicator with the "recorded"
 * calculator (tocm record). Texts as typed; NULL or "" is none. */
typedef struct tocm_record {
    const char *period;
    const char *const *dim_keys; /* dim_count columns of the indicator's disaggregate */
    const char *const *dim_values;
    size_t dim_count;
    const char *value;   /* a number, or a text for a qualitative indicator; "" (with a
                            comment saying why): not reported */
    const char *comment; /* shown beside the figure */
    const char *source;  /* the means of verification */
    const char *status;  /* a qualitative indicator's own assessment ("on track") */
    size_t line;         /* the line of the file it comes from (0: none) */
} tocm_record;

#define TOCM_RECORD_REPLACE 1 /* a figure for the same period and breakdown is replaced */
/* Records figures of indicator id in its results table (models/FORMAT.md,
 * "Figures entered directly"). Every record is checked first (period one of
 * the indicator's, each of its breakdowns given and known, the value of its
 * measure, no figure already there unless REPLACE, no two for the same
 * cell): each problem is added to problems (file `from`, the record's line,
 * path = the column) and TOCM_EINVALID returned with nothing changed. An
 * indicator without a results table gets one ("data/results_ID.csv",
 * calculator "recorded"), made in the model through this edit. The table
 * is written by tocm_edit_commit, atomically, before the model. */
int tocm_edit_record(tocm_edit *edit, const char *id, const tocm_record *records, size_t count,
                     int flags, const char *from, tocm_diags *problems);

/* The bulk form: the figures of the CSV file at path, one per line, in the
 * results table's columns (the indicator's period column or "period", its
 * breakdown columns, value, comment, source, status). A column of any other
 * name, or any bad line, refuses the whole file: every problem is in
 * problems with its line, and nothing changes. */
int tocm_edit_record_csv(tocm_edit *edit, const char *id, const char *path, int flags,
                         tocm_diags *problems);

/* borrowed: why the last operation or commit failed ("" if none). */
const char *tocm_edit_error(const tocm_edit *edit);
size_t tocm_edit_note_count(const tocm_edit *edit);
const char *tocm_edit_note(const tocm_edit *edit, size_t index); /* borrowed */

#define TOCM_COMMIT_FORCE 1   /* write even if the change adds errors */
#define TOCM_COMMIT_DRY_RUN 2 /* validate, but write nothing */
/* Validates the edited model and writes it. Findings the change adds (ones
 * the file did not have before) are appended to added (may be NULL).
 * TOCM_OK: written, or nothing to write (tocm_edit_changed says which), or
 * a dry run that would be accepted. TOCM_EINVALID: the change adds errors
 * and FORCE is not given: nothing written. TOCM_EIO: the write failed, or
 * another program changed the file meanwhile: nothing written. */
int tocm_edit_commit(tocm_edit *edit, int flags, tocm_diags *added);
/* After a commit: 1 when the new text differs from the file's. */
int tocm_edit_changed(const tocm_edit *edit);
/* 1 when the file was in the canonical layout when opened. */
int tocm_edit_was_canonical(const tocm_edit *edit);
/* borrowed: the file's text as read (after = 0), or after the commit's
 * edits (after = 1; NULL before a commit). */
const char *tocm_edit_text(const tocm_edit *edit, int after, size_t *len);
/* new (free()): the document as the operations so far have left it, in
 * the canonical layout, neither validated nor written; *len gets the byte
 * count when len is not NULL. For a caller that needs the state between
 * operations (tocm serve computes the inverse of each, for its undo). */
char *tocm_edit_current(const tocm_edit *edit, size_t *len);

/* A semantic diff of two models: nodes added, removed and renamed; per
 * node, level, field and link changes; indicators; program header, levels
 * and other top-level members. Node order and the order of links do not
 * count. A removed and an added node on the same level are taken for a
 * rename when they have the same title, or when enough else matches
 * (description, links in and out, other fields). */
typedef struct tocm_diff tocm_diff;
/* new: free with tocm_diff_free. */
tocm_diff *tocm_diff_models(const tocm_model *old_model, const tocm_model *new_model);
void tocm_diff_free(tocm_diff *diff);
/* Number of changes; 0 when the models mean the same. */
size_t tocm_diff_count(const tocm_diff *diff);
/* new (free()): the changes in words, for people. */
char *tocm_diff_text(const tocm_diff *diff, const char *old_name, const char *new_name);
/* new (free()): {"old", "new", "equal", "summary": {...}, "changes": [...]},
 * see tocm diff --help. */
char *tocm_diff_json(const tocm_diff *diff, const char *old_name, const char *new_name);

#ifdef __cplusplus
}
#endif
#endif
