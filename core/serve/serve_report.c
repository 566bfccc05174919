/*
 * serve_report.c -- GET /api/indicators: each indicator's latest figure and
 * status, for the node panel of the page. The report is computed as
 * `tocm report` computes it (tocm/report.h, with the calculator plugins),
 * and read from its JSON document, the contract every exporter reads too.
 *
 * "Latest": the last period whose total (the cell without breakdown) has
 * a figure; the last period when none has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"
#include "tocm/report.h"

/* The total cell (no dims) to show from an indicator's cells. borrowed. */
static json_t *latest_total(json_t *cells) {
    json_t *last = NULL, *last_with_value = NULL;
    size_t i;
    json_t *cell;
    json_array_foreach(cells, i, cell) {
        json_t *dims = json_object_get(cell, "dims");
        if (json_object_size(dims) != 0)
            continue;
        last = cell;
        json_t *value = json_object_get(cell, "value");
        if (value && !json_is_null(value))
            last_with_value = cell;
    }
    return last_with_value ? last_with_value : last;
}

static void copy_member(json_t *to, json_t *from, const char *key) {
    json_t *v = json_object_get(from, key);
    if (v && !json_is_null(v))
        json_object_set(to, key, v);
}

/* The figures of the model in text. new: {"indicators": {...}} or
 * {"error": ...}. */
static json_t *compute(const struct serve *s, const char *text) {
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = NULL;
    json_t *result = NULL;
    if (tocm_model_load_string(text, s->model, diags, &m) != TOCM_OK || tocm_validate(m, diags)) {
        result =
            json_pack("{ss}", "error", "the figures are computed once the model has no errors");
        goto out;
    }
    tocm_report *report = NULL;
    if (tocm_report_compute(m, s->registry, NULL, diags, &report) != TOCM_OK) {
        const tocm_diag *d = NULL;
        for (size_t i = 0; i < tocm_diags_count(diags); i++)
            if (tocm_diags_get(diags, i)->severity == TOCM_SEV_ERROR && !d)
                d = tocm_diags_get(diags, i);
        char message[512];
        snprintf(message, sizeof message, "the figures cannot be computed: %s",
                 d ? d->message : "see tocm report");
        result = json_pack("{ss}", "error", message);
        goto out;
    }
    char *json = tocm_report_print(report, TOCM_REPORT_JSON, NULL);
    tocm_report_free(report);
    json_t *doc = json ? json_loads(json, 0, NULL) : NULL;
    free(json);
    json_t *list = json_object();
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
        const char *id = json_string_value(json_object_get(ind, "id"));
        json_t *cell = latest_total(json_object_get(ind, "cells"));
        if (!id || !cell)
            continue;
        json_t *latest = json_object();
        copy_member(latest, cell, "period");
        copy_member(latest, cell, "display");
        copy_member(latest, cell, "target_display");
        copy_member(latest, cell, "status");
        copy_member(latest, cell, "note");
        json_object_set_new(list, id, latest);
    }
    json_decref(doc);
    result = json_pack("{so}", "indicators", list);
out:
    tocm_model_free(m);
    tocm_diags_free(diags);
    return result;
}

void serve_indicators(struct serve *s, const struct serve_request *r, struct serve_response *out) {
    (void)r;
    size_t len;
    char hash[17];
    char *text = serve_read_model_or_fail(s, out, &len, hash);
    if (!text)
        return;
    if (!s->indicators || strcmp(hash, s->indicators_hash) != 0) {
        json_decref(s->indicators);
        s->indicators = compute(s, text);
        memcpy(s->indicators_hash, hash, sizeof hash);
    }
    free(text);
    json_t *body = json_deep_copy(s->indicators);
    json_object_set_new(body, "hash", json_string(hash));
    serve_json(out, 200, body);
}
