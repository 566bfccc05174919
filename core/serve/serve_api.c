/*
 * serve_api.c -- the routes of `tocm serve` and its read-only handlers:
 *
 *   GET  /               the page (token in the query)
 *   GET  /app.js ...     the page's files (serve_assets.c)
 *   GET  /api/state      {hash, undo}: cheap, polled by the page to notice
 *                        a change made elsewhere
 *   GET  /api/model      the model file's JSON, its findings, its hash
 *   GET  /api/svg        the diagram (?view=, ?color=) from the graphviz
 *                        exporter, through the plugin registry
 *   GET  /api/diff       ?from=HASH: `tocm diff` in words from a version
 *                        the page showed to the file now
 *   GET  /api/indicators the latest figure and status of each indicator
 *                        (serve_report.c)
 *   POST /api/edit       serve_edit.c
 *   POST /api/undo       serve_edit.c
 *
 * Every handler reads the model file afresh: the file is the truth, and a
 * terminal user may have changed it a second ago.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"
#include "serve_assets.h"

/* ---- helpers ------------------------------------------------------------- */

void serve_json(struct serve_response *out, unsigned status, json_t *body) {
    out->status = status;
    out->type = "application/json; charset=utf-8";
    out->body = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
    out->len = out->body ? strlen(out->body) : 0;
    json_decref(body);
}

void serve_error(struct serve_response *out, unsigned status, const char *message) {
    serve_json(out, status, json_pack("{ss}", "error", message));
}

char *serve_read_model(const struct serve *s, size_t *len) {
    FILE *f = fopen(s->model, "rb");
    if (!f)
        return NULL;
    struct sbuf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > (size_t)256 << 20) { /* no model is this large */
            free(b.data);
            fclose(f);
            errno = EFBIG;
            return NULL;
        }
        sbuf_add(&b, chunk, n);
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(b.data);
        errno = EIO;
        return NULL;
    }
    if (!b.data)
        sbuf_add(&b, "", 0);
    *len = b.len;
    return b.data;
}

void serve_hash(const char *text, size_t len, char hash[17]) {
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 1099511628211ull;
    }
    snprintf(hash, 17, "%016llx", (unsigned long long)h);
}

char *serve_read_model_or_fail(const struct serve *s, struct serve_response *out, size_t *len,
                               char hash[17]) {
    char *text = serve_read_model(s, len);
    if (!text) {
        char message[512];
        snprintf(message, sizeof message, "cannot read %s: %s", s->name, strerror(errno));
        serve_error(out, 500, message);
        return NULL;
    }
    if (hash)
        serve_hash(text, *len, hash);
    return text;
}

void serve_snapshot_keep(struct serve *s, const char *hash, const char *text) {
    if (serve_snapshot_find(s, hash))
        return;
    struct serve_snapshot *slot = &s->snapshots[s->snapshot_next];
    s->snapshot_next = (s->snapshot_next + 1) % SERVE_SNAPSHOTS;
    free(slot->text);
    slot->text = strdup(text);
    if (!slot->text) {
        fputs("tocm: out of memory\n", stderr);
        abort();
    }
    memcpy(slot->hash, hash, 17);
}

const char *serve_snapshot_find(const struct serve *s, const char *hash) {
    for (size_t i = 0; i < SERVE_SNAPSHOTS; i++)
        if (s->snapshots[i].text && strcmp(s->snapshots[i].hash, hash) == 0)
            return s->snapshots[i].text;
    return NULL;
}

json_t *serve_findings_json(const tocm_diags *diags) {
    json_t *list = json_array();
    for (size_t i = 0; i < tocm_diags_count(diags); i++) {
        const tocm_diag *d = tocm_diags_get(diags, i);
        json_t *f = json_pack("{ss ss ss ss*}", "severity",
                              d->severity == TOCM_SEV_ERROR ? "error" : "warning", "code", d->code,
                              "path", d->path ? d->path : "", "message", d->message);
        if (d->node)
            json_object_set_new(f, "node", json_string(d->node));
        if (d->line)
            json_object_set_new(f, "line", json_integer(d->line));
        if (f)
            json_array_append_new(list, f);
    }
    return list;
}

char *serve_diff_text(const char *before, const char *after, const char *name,
                      const char *before_name, const char *after_name) {
    tocm_diags *scratch = tocm_diags_new();
    tocm_model *a = NULL, *b = NULL;
    tocm_model_load_string(before, name, scratch, &a);
    tocm_model_load_string(after, name, scratch, &b);
    char *text = NULL;
    if (a && b) {
        tocm_diff *d = tocm_diff_models(a, b);
        text = tocm_diff_count(d) ? tocm_diff_text(d, before_name, after_name)
                                  : strdup("No change in meaning (layout only).\n");
        tocm_diff_free(d);
    } else {
        text = strdup("One of the two versions is not a model tocm can read.\n");
    }
    tocm_model_free(a);
    tocm_model_free(b);
    tocm_diags_free(scratch);
    return text;
}

/* Loads and validates text. new; NULL when the file is not a model. */
static tocm_model *load_checked(const struct serve *s, const char *text, tocm_diags *diags) {
    tocm_model *m = NULL;
    if (tocm_model_load_string(text, s->model, diags, &m) == TOCM_OK)
        tocm_validate(m, diags);
    return m;
}

/* ---- handlers ------------------------------------------------------------ */

static void get_state(struct serve *s, const struct serve_request *r, struct serve_response *out) {
    (void)r;
    size_t len;
    char hash[17];
    char *text = serve_read_model_or_fail(s, out, &len, hash);
    if (!text)
        return;
    free(text);
    serve_json(out, 200, json_pack("{ss sI}", "hash", hash, "undo", (json_int_t)s->undo_count));
}

static void get_model(struct serve *s, const struct serve_request *r, struct serve_response *out) {
    (void)r;
    size_t len;
    char hash[17];
    char *text = serve_read_model_or_fail(s, out, &len, hash);
    if (!text)
        return;
    serve_snapshot_keep(s, hash, text);
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = load_checked(s, text, diags);
    int canonical = 0;
    if (m) {
        size_t n;
        char *formatted = tocm_model_format(m, &n);
        canonical = n == len && memcmp(formatted, text, n) == 0;
        free(formatted);
    }
    json_t *body = json_pack("{ss ss so* so sI sI sb sI}", "file", s->name, "hash", hash, "doc",
                             doc, "findings", serve_findings_json(diags), "errors",
                             (json_int_t)tocm_diags_errors(diags), "warnings",
                             (json_int_t)tocm_diags_warnings(diags), "canonical", canonical, "undo",
                             (json_int_t)s->undo_count);
    if (!m)
        json_object_set_new(body, "unreadable", json_true());
    tocm_model_free(m);
    tocm_diags_free(diags);
    free(text);
    serve_json(out, 200, body);
}

static void get_svg(struct serve *s, const struct serve_request *r, struct serve_response *out) {
    size_t len;
    char *text = serve_read_model_or_fail(s, out, &len, NULL);
    if (!text)
        return;
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = load_checked(s, text, diags);
    free(text);
    if (!m || tocm_diags_errors(diags) > 0) {
        char message[256];
        snprintf(message, sizeof message,
                 "the model has %zu error%s: the diagram is drawn again once %s fixed",
                 tocm_diags_errors(diags), tocm_diags_errors(diags) == 1 ? "" : "s",
                 tocm_diags_errors(diags) == 1 ? "it is" : "they are");
        serve_error(out, 409, message);
        tocm_model_free(m);
        tocm_diags_free(diags);
        return;
    }
    tocm_export_option options[2];
    size_t count = 0;
    const char *view = serve_param(r, "view"), *color = serve_param(r, "color");
    if (view && *view)
        options[count++] = (tocm_export_option){"view", view};
    if (color && *color)
        options[count++] = (tocm_export_option){"color-by", color};
    struct sbuf svg = {0};
    tocm_error err = {0};
    int status = tocm_registry_export(s->registry, m, "svg", options, count, sbuf_sink, &svg, &err);
    if (status == TOCM_EXPORT_OK) {
        out->status = 200;
        out->type = "image/svg+xml";
        out->body = svg.data;
        out->len = svg.len;
    } else {
        free(svg.data);
        char message[TOCM_ERROR_TEXT_SIZE + 64];
        snprintf(message, sizeof message, "%s",
                 status == TOCM_EXPORT_NO_EXPORTER
                     ? "no plugin draws SVG (the graphviz plugin was not found)"
                 : err.text[0] ? err.text
                               : "the diagram could not be drawn");
        serve_error(out, status == TOCM_EXPORT_NO_EXPORTER ? 501 : 400, message);
    }
    tocm_model_free(m);
    tocm_diags_free(diags);
}

static void get_diff(struct serve *s, const struct serve_request *r, struct serve_response *out) {
    const char *from = serve_param(r, "from");
    const char *old = from ? serve_snapshot_find(s, from) : NULL;
    if (!old) {
        serve_error(out, 404, "that version is no longer kept; reload the page");
        return;
    }
    size_t len;
    char hash[17];
    char *text = serve_read_model_or_fail(s, out, &len, hash);
    if (!text)
        return;
    char *words =
        serve_diff_text(old, text, s->name, "the version the page showed", "the file now");
    serve_json(out, 200, json_pack("{ss ss ss}", "from", from, "hash", hash, "text", words));
    free(words);
    free(text);
}

/* ---- routing ------------------------------------------------------------- */

typedef void (*handler_fn)(struct serve *s, const struct serve_request *r,
                           struct serve_response *out);

static const char *const no_params[] = {NULL};
static const char *const page_params[] = {"token", NULL};
static const char *const svg_params[] = {"view", "color", NULL};
static const char *const diff_params[] = {"from", NULL};

static const struct route {
    const char *method, *path;
    enum serve_access access;
    const char *const *params;
    handler_fn handler;
} routes[] = {
    {"GET", "/api/state", SERVE_API, no_params, get_state},
    {"GET", "/api/model", SERVE_API, no_params, get_model},
    {"GET", "/api/svg", SERVE_API, svg_params, get_svg},
    {"GET", "/api/diff", SERVE_API, diff_params, get_diff},
    {"GET", "/api/indicators", SERVE_API, no_params, serve_indicators},
    {"POST", "/api/edit", SERVE_API, no_params, serve_edit},
    {"POST", "/api/undo", SERVE_API, no_params, serve_undo},
};

static void send_asset(const struct serve_asset *a, struct serve_response *out) {
    out->status = 200;
    out->type = a->type;
    out->static_body = a->data;
    out->len = a->len;
}

void serve_handle(struct serve *s, const struct serve_request *r, struct serve_response *out) {
    const char *why = NULL;
    unsigned refused;
    if (strcmp(r->path, "/") == 0 || strcmp(r->path, "/index.html") == 0) {
        if (strcmp(r->method, "GET") != 0) {
            serve_error(out, 405, "the page is read with GET");
        } else if ((refused = serve_gate(s, r, SERVE_PAGE, page_params, &why)) != 0) {
            serve_error(out, refused, why);
        } else {
            send_asset(serve_asset_find("/index.html"), out);
        }
        return;
    }
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (strcmp(r->path, routes[i].path) != 0)
            continue;
        if (strcmp(r->method, routes[i].method) != 0) {
            serve_error(out, 405, "wrong method for this address");
            return;
        }
        if ((refused = serve_gate(s, r, routes[i].access, routes[i].params, &why)) != 0) {
            serve_error(out, refused, why);
            return;
        }
        routes[i].handler(s, r, out);
        return;
    }
    const struct serve_asset *a = serve_asset_find(r->path);
    if (a && strcmp(r->method, "GET") == 0) {
        if ((refused = serve_gate(s, r, SERVE_PUBLIC, no_params, &why)) != 0)
            serve_error(out, refused, why);
        else
            send_asset(a, out);
        return;
    }
    /* Even a 404 passes the Host check: it says nothing to a rebinding
     * page then. */
    if ((refused = serve_gate(s, r, SERVE_PUBLIC, NULL, &why)) != 0)
        serve_error(out, refused, why);
    else
        serve_error(out, 404, "no such page");
}
