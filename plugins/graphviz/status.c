/*
 * status.c -- `--color-by rag`: each node's red, amber or green status for
 * one period, read from the computed report.
 *
 * The statuses are never worked out here from the model: tocm computes the
 * report (with the period) and lends it as JSON (host->export_report_json,
 * plugin ABI 1.3), so the diagram says what `tocm report` says. Its
 * `rollup` member gives, for each outcome and the goal, how many of the
 * indicators and projects beneath it are in each status; its `indicators`
 * member, which nodes each indicator measures (the badge) and their
 * statuses (the tooltip).
 *
 * One status for a node, from those counts (README.md, "Diagrams", words
 * it the same way):
 *   - each count is rated: an indicator achieved or on track, and a project
 *     in the first two-fifths of the model's status vocabulary (completed,
 *     partly completed), are green; an indicator off track, and a project in
 *     its last two-fifths (major delay, on hold), red; a project in between
 *     (some delays), amber; anything else (no target, not reported, target
 *     or baseline pending, a qualitative assessment) is not rated;
 *   - nothing rated: no status (–);
 *   - half or more of the rated ones red: red (✖);
 *   - all of them green: green (✔);
 *   - otherwise amber (▲): some are behind, fewer than half badly.
 * A node the roll-up does not list (a project, a cluster) is rated by its
 * own status alone.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gv_internal.h"

/* A copy of the text so far, or NULL when memory ran out. */
static char *copy_text(const struct buf *b) {
    if (b->failed)
        return NULL;
    size_t len = b->len;
    char *c = malloc(len + 1);
    if (c)
        memcpy(c, buf_str(b), len + 1);
    return c;
}

static const char *const symbols[] = {"\xE2\x80\x93", "\xE2\x9C\x94", "\xE2\x96\xB2",
                                      "\xE2\x9C\x96"};
static const char *const words[] = {"no status", "on track", "some behind", "off track"};
static const char *const names[] = {"none", "green", "amber", "red"};

const char *rag_symbol(enum rag r) { return symbols[r]; }
const char *rag_words(enum rag r) { return words[r]; }
const char *rag_name(enum rag r) { return names[r]; }

/* tocm's default vocabulary for the nodes' status, best first
 * (models/FORMAT.md), used when the model declares none. */
static const char *const default_vocabulary[] = {"completed", "partly completed", "some delays",
                                                 "major delay", "on hold"};

/* The model's status vocabulary, from its canonical JSON. new: json_decref. */
static json_t *read_vocabulary(const struct tocm_host *host, const tocm_model *m) {
    size_t len = 0;
    char *text = host->model_format(m, &len);
    json_t *vocabulary = NULL;
    if (text) {
        json_t *doc = json_loadb(text, len, 0, NULL);
        json_t *list = json_object_get(json_object_get(doc, "status"), "node_statuses");
        if (json_is_array(list) && json_array_size(list))
            vocabulary = json_incref(list);
        json_decref(doc);
        host->free(text);
    }
    if (!vocabulary) {
        vocabulary = json_array();
        for (size_t k = 0; k < sizeof default_vocabulary / sizeof default_vocabulary[0]; k++)
            json_array_append_new(vocabulary, json_string(default_vocabulary[k]));
    }
    return vocabulary;
}

/* A project's status: green in the first two-fifths of the vocabulary, red
 * in the last two-fifths (rounded to the nearest place), amber between;
 * a word not in it is not rated. */
static enum rag project_rag(json_t *vocabulary, const char *status) {
    size_t n = json_array_size(vocabulary), at = n;
    for (size_t k = 0; k < n && at == n; k++) {
        const char *word = json_string_value(json_array_get(vocabulary, k));
        if (word && strcmp(word, status) == 0)
            at = k;
    }
    if (at == n)
        return RAG_NONE;
    size_t band = (4 * n + 5) / 10; /* two-fifths, rounded: 2 of 5, 1 of 3 */
    if (band == 0)
        band = 1;
    if (at < band)
        return RAG_GREEN;
    if (at >= n - band)
        return RAG_RED;
    return RAG_AMBER;
}

static enum rag indicator_rag(const char *status) {
    if (strcmp(status, "achieved") == 0 || strcmp(status, "on track") == 0)
        return RAG_GREEN;
    if (strcmp(status, "off track") == 0)
        return RAG_RED;
    return RAG_NONE;
}

/* The node's status from its rated counts (the rule at the top). */
static enum rag decide(const size_t rated[4]) {
    size_t total = rated[RAG_GREEN] + rated[RAG_AMBER] + rated[RAG_RED];
    if (total == 0)
        return RAG_NONE;
    if (2 * rated[RAG_RED] >= total)
        return RAG_RED;
    if (rated[RAG_GREEN] == total)
        return RAG_GREEN;
    return RAG_AMBER;
}

/* Adds "N word, N word" for a counts object to the tooltip, rating each. */
static void add_counts(struct node_status *ns, json_t *counts, json_t *vocabulary, int projects,
                       const char *what, struct buf *detail) {
    if (!json_object_size(counts))
        return;
    buf_printf(detail, "%s%s:", detail->len ? "; " : "", what);
    const char *key;
    json_t *value;
    int first = 1;
    json_object_foreach(counts, key, value) {
        json_int_t count = json_integer_value(value);
        if (count <= 0)
            continue;
        enum rag r = projects ? project_rag(vocabulary, key) : indicator_rag(key);
        ns->rated[r] += (size_t)count;
        buf_printf(detail, "%s %lld %s", first ? "" : ",", (long long)count, key);
        first = 0;
    }
}

/* The periods the report's indicators have, sorted, joined by ", ". */
static int period_known(json_t *indicators, const char *period, struct buf *all) {
    json_t *seen = json_object();
    size_t i, k;
    json_t *ind, *p;
    int known = 0;
    json_array_foreach(indicators, i, ind) {
        json_array_foreach(json_object_get(ind, "periods"), k, p) {
            const char *name = json_string_value(p);
            if (!name)
                continue;
            known |= strcmp(name, period) == 0;
            json_object_set(seen, name, json_true());
        }
    }
    /* In natural order (2021 < 2022, Q2 < Q10), for the message. */
    size_t count = json_object_size(seen), at = 0;
    const char **list = malloc((count ? count : 1) * sizeof *list);
    if (list) {
        const char *key;
        json_t *value;
        json_object_foreach(seen, key, value) list[at++] = key;
        for (size_t a = 1; a < count; a++)
            for (size_t b = a; b > 0 && natural_cmp(list[b - 1], list[b]) > 0; b--) {
                const char *t = list[b];
                list[b] = list[b - 1];
                list[b - 1] = t;
            }
        for (size_t a = 0; a < count; a++)
            buf_printf(all, "%s%s", a ? ", " : "", list[a]);
        free(list);
    }
    json_decref(seen);
    return known;
}

int statuses_read(const struct tocm_host *host, const tocm_model *m, const char *json, size_t len,
                  const char *period, struct statuses *s, tocm_error *err) {
    memset(s, 0, sizeof *s);
    json_error_t jerr;
    json_t *doc = json_loadb(json, len, 0, &jerr);
    json_t *indicators = json_object_get(doc, "indicators");
    json_t *rollup = json_object_get(doc, "rollup");
    if (!json_is_array(indicators) || !json_is_array(rollup)) {
        host->error_set(err, GV_PLUGIN_NAME,
                        "the report lent to the exporter is not the report JSON (%s)",
                        doc ? "no indicators or rollup member" : jerr.text);
        json_decref(doc);
        return -1;
    }
    struct buf periods = {0};
    if (!period_known(indicators, period, &periods)) {
        if (periods.len)
            host->error_set(err, "period",
                            "the indicators have no period '%.40s'; their periods are: %.400s",
                            period, buf_str(&periods));
        else
            host->error_set(err, "period",
                            "the model has no indicators, so no period '%.40s' to colour by; "
                            "--color-by status colours the nodes by their own status",
                            period);
        buf_free(&periods);
        json_decref(doc);
        return -1;
    }
    buf_free(&periods);

    size_t n = host->node_count(m);
    s->node = calloc(n ? n : 1, sizeof *s->node);
    s->node_count = n;
    json_t *vocabulary = read_vocabulary(host, m);
    struct buf detail = {0};
    int rc = s->node ? 0 : -1;
    snprintf(s->period, sizeof s->period, "%s", period);

    /* The badge: the indicators that measure each node; the tooltip: their
     * statuses in the period (the total's). */
    size_t i, k;
    json_t *ind, *node;
    json_array_foreach(indicators, i, ind) {
        if (rc != 0)
            break;
        const char *status = NULL;
        json_t *cell;
        json_array_foreach(json_object_get(ind, "cells"), k, cell) {
            const char *p = json_string_value(json_object_get(cell, "period"));
            if (p && strcmp(p, period) == 0 && json_object_size(json_object_get(cell, "dims")) == 0)
                status = json_string_value(json_object_get(cell, "status"));
        }
        json_array_foreach(json_object_get(ind, "nodes"), k, node) {
            const char *id = json_string_value(node);
            size_t at = id ? host->node_find(m, id) : TOCM_NONE;
            if (at == TOCM_NONE || at >= n)
                continue;
            struct node_status *ns = &s->node[at];
            ns->indicators++;
            buf_reset(&detail);
            if (ns->measured)
                buf_puts(&detail, ns->measured);
            buf_printf(&detail, "%s%s: %s", detail.len ? "\n" : "",
                       json_string_value(json_object_get(ind, "id")),
                       status ? status : "no figure or target");
            free(ns->measured);
            ns->measured = copy_text(&detail);
        }
    }
    /* The roll-up. */
    json_t *entry;
    json_array_foreach(rollup, i, entry) {
        if (rc != 0)
            break;
        const char *id = json_string_value(json_object_get(entry, "node"));
        size_t at = id ? host->node_find(m, id) : TOCM_NONE;
        if (at == TOCM_NONE || at >= n)
            continue;
        struct node_status *ns = &s->node[at];
        ns->in_rollup = 1;
        buf_reset(&detail);
        add_counts(ns, json_object_get(entry, "indicators"), vocabulary, 0, "indicators beneath",
                   &detail);
        add_counts(ns, json_object_get(entry, "projects"), vocabulary, 1, "projects beneath",
                   &detail);
        ns->rag = decide(ns->rated);
        ns->rollup = copy_text(&detail);
    }
    /* The others by their own status. */
    for (size_t x = 0; x < n && rc == 0; x++) {
        struct node_status *ns = &s->node[x];
        const char *own = host->node_string(m, x, "status");
        if (ns->in_rollup || !own)
            continue;
        ns->rated[project_rag(vocabulary, own)]++;
        ns->rag = decide(ns->rated);
        buf_reset(&detail);
        buf_printf(&detail, "status: %s", own);
        ns->rollup = copy_text(&detail);
    }
    buf_free(&detail);
    json_decref(vocabulary);
    json_decref(doc);
    if (rc != 0) {
        statuses_free(s);
        host->error_set(err, GV_PLUGIN_NAME, "out of memory reading the report");
    }
    return rc;
}

void statuses_free(struct statuses *s) {
    for (size_t i = 0; s->node && i < s->node_count; i++) {
        free(s->node[i].measured);
        free(s->node[i].rollup);
    }
    free(s->node);
    memset(s, 0, sizeof *s);
}
