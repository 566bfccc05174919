/*
 * serve.h -- what the files of `tocm serve` share: the server's state, the
 * request and response as the handlers see them, and one growable buffer.
 *
 *   serve_http.c    the listening sockets (loopback only), libmicrohttpd,
 *                   the request loop, the headers every response carries
 *   serve_gate.c    the checks every request passes first: Host, Origin,
 *                   token, method, parameters, body size
 *   serve_api.c     the routes and the read-only handlers (page, model,
 *                   diagram, state, diff)
 *   serve_report.c  the indicators' latest figures and status
 *   serve_edit.c    the writing handlers: edits and undo, each one tocm
 *                   edit transaction
 *   serve_undo.c    the inverse of an edit operation, for undo
 *   serve_assets.c  the page's files, compiled in
 *
 * The server is single-threaded: libmicrohttpd runs from our select loop,
 * so the handlers need no locks, and a request never sees another half
 * done. The file lock of the edit transaction still guards against other
 * programs (tocm on the command line).
 */
#ifndef TOCM_SERVE_H
#define TOCM_SERVE_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "tocm/host.h"
#include "tocm/tocm.h"

/* The largest request body taken (an edit is a few hundred bytes; a long
 * description a few kilobytes). */
#define SERVE_MAX_BODY (256 * 1024)
/* How many edits of the session undo can take back. */
#define SERVE_UNDO_MAX 100
/* Texts of the model the page may have shown, for `tocm diff` against the
 * file when it changes under the page. */
#define SERVE_SNAPSHOTS 16
/* Hex digits of the per-run token (128 random bits). */
#define SERVE_TOKEN_HEX 32

/* A growable byte buffer; data is NUL-terminated when not NULL. */
struct sbuf {
    char *data;
    size_t len, cap;
};
void sbuf_add(struct sbuf *b, const void *data, size_t len);
void sbuf_puts(struct sbuf *b, const char *s);
/* A tocm_export_sink that appends to a struct sbuf. */
int sbuf_sink(void *b, const void *data, size_t len);

struct serve_snapshot {
    char hash[17];
    char *text;
};

struct serve {
    const char *model; /* the model file, as given on the command line */
    const char *name;  /* its name without directory, for the page */
    char token[SERVE_TOKEN_HEX + 1];
    unsigned port;
    int have_ipv6;
    tocm_registry *registry; /* the plugins: the diagram is the graphviz exporter's */
    struct serve_snapshot snapshots[SERVE_SNAPSHOTS];
    size_t snapshot_next;
    /* Undo: each entry a JSON array of operations that takes one edit
     * back (serve_undo.c), newest last. */
    json_t *undo[SERVE_UNDO_MAX];
    size_t undo_count;
    /* The indicators' latest figures (GET /api/indicators) for the file
     * version indicators_hash: computing a report takes a while. */
    char indicators_hash[17];
    json_t *indicators;
    double lock_timeout; /* seconds an edit waits for another editor */
    int quiet;           /* no request log on stderr */
};

/* One request as the handlers see it. */
struct serve_request {
    const char *method; /* "GET", "POST" */
    const char *path;   /* without the query */
    void *connection;   /* struct MHD_Connection *: for query parameters */
    const char *body;   /* NUL-terminated; "" for none */
    size_t body_len;
};

/* What a handler answers. body is new (free()) unless static_body is set. */
struct serve_response {
    unsigned status;
    const char *type; /* Content-Type */
    char *body;
    size_t len;
    const void *static_body; /* compiled-in bytes, not freed */
};

/* ---- serve_http.c ------------------------------------------------------- */

/* Listens on 127.0.0.1 and ::1 at s->port (0: a free port, the same on
 * both) until SIGINT or SIGTERM. Prints the URL to out once listening.
 * Returns 0, or 2 after saying on stderr why it could not listen. */
int serve_run(struct serve *s, void *stdio_out);
/* A query parameter of the request, or NULL. borrowed. */
const char *serve_param(const struct serve_request *r, const char *name);
/* A request header, or NULL. borrowed. */
const char *serve_header(const struct serve_request *r, const char *name);

/* ---- serve_gate.c ------------------------------------------------------- */

/* What a route needs beyond the checks every request passes. */
enum serve_access {
    SERVE_PUBLIC, /* the page's own static files: no secret in them */
    SERVE_PAGE,   /* the page: the token in the query (?token=) */
    SERVE_API,    /* the API: the token in the X-Tocm-Token header */
};
/* Checks the request against Host, Origin, Sec-Fetch-Site, the token and
 * the parameters allowed (a NULL-terminated list; NULL: none). Returns 0,
 * or the HTTP status to refuse it with and the reason in why. */
unsigned serve_gate(const struct serve *s, const struct serve_request *r, enum serve_access access,
                    const char *const *params, const char **why);
/* 1 when host (a Host header) names this server by a loopback name. */
int serve_gate_host_ok(const struct serve *s, const char *host);
/* 1 when origin (an Origin header) is this server's. */
int serve_gate_origin_ok(const struct serve *s, const char *origin);

/* ---- serve_api.c -------------------------------------------------------- */

/* Routes a request that passed the transport checks (method, size). */
void serve_handle(struct serve *s, const struct serve_request *r, struct serve_response *out);
/* A JSON response (steals body). */
void serve_json(struct serve_response *out, unsigned status, json_t *body);
/* {"error": message} with status. */
void serve_error(struct serve_response *out, unsigned status, const char *message);
/* Reads the model file. new (free()), or NULL with errno set. */
char *serve_read_model(const struct serve *s, size_t *len);
/* FNV-1a of text, as 16 hex digits, into hash[17]. What the page compares
 * to notice a change; not a defence against anything. */
void serve_hash(const char *text, size_t len, char hash[17]);
/* serve_read_model for a handler: on failure answers 500 with the file's
 * name and the reason, and returns NULL; otherwise fills hash (unless NULL)
 * with the text's serve_hash. new (free). */
char *serve_read_model_or_fail(const struct serve *s, struct serve_response *out, size_t *len,
                               char hash[17]);
/* Remembers text (copied) under its hash for serve_snapshot_find. */
void serve_snapshot_keep(struct serve *s, const char *hash, const char *text);
const char *serve_snapshot_find(const struct serve *s, const char *hash);
/* Findings as the page reads them: [{severity, code, path, node, message}]. new. */
json_t *serve_findings_json(const tocm_diags *diags);
/* The change from before to after in words (tocm diff's text), the two
 * called before_name and after_name. new. */
char *serve_diff_text(const char *before, const char *after, const char *name,
                      const char *before_name, const char *after_name);

/* ---- serve_report.c ----------------------------------------------------- */

/* GET /api/indicators: {id: {period, display, target_display, status}}. */
void serve_indicators(struct serve *s, const struct serve_request *r, struct serve_response *out);

/* ---- serve_edit.c ------------------------------------------------------- */

/* POST /api/edit: {"base": HASH, "ops": [...], "check": bool}. */
void serve_edit(struct serve *s, const struct serve_request *r, struct serve_response *out);
/* POST /api/undo: {"base": HASH}. */
void serve_undo(struct serve *s, const struct serve_request *r, struct serve_response *out);
void serve_undo_clear(struct serve *s);

/* ---- serve_undo.c ------------------------------------------------------- */

/* The operations that take op back, given the document before and after
 * it (json of the model file). new: a JSON array of operations in the
 * form serve_edit takes, or NULL when the change cannot be described so. */
json_t *serve_inverse(const json_t *op, const json_t *before, const json_t *after);

#endif
