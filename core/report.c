/*
 * report.c -- the public report API (tocm/report.h): a computed report and
 * its printed forms, over the engine's results document (engine.h).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "engine_parts.h"
#include "model_internal.h"
#include "report_build.h"
#include "report_print.h"
#include "tocm/report.h"
#include "util.h"

struct tocm_report {
    json_t *doc; /* the results document, owned */
};

/* For an indicator whose total is its latest figure rather than a sum
 * (aggregation "latest", or texts), "latest_period": the period that figure
 * is from, so that a reader is told which year "9 shelters" is. For
 * figures, the engine has named it on the total cell (the last period
 * with a figure, which need not be the last with rows). */
static void add_latest_periods(json_t *doc) {
    size_t i, k;
    json_t *ind, *cell;
    json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
        const char *agg = json_string_value(json_object_get(ind, "aggregation"));
        const char *measure = json_string_value(json_object_get(ind, "measure"));
        int texts = measure && strcmp(measure, "qualitative") == 0;
        if (!texts && !(agg && strcmp(agg, "latest") == 0))
            continue;
        if (!texts) {
            json_array_foreach(json_object_get(ind, "cells"), k, cell) {
                json_t *named = json_object_get(cell, "latest_period");
                if (named && json_object_size(json_object_get(cell, "dims")) == 0)
                    json_object_set(ind, "latest_period", named);
            }
            continue;
        }
        json_t *periods = json_object_get(ind, "periods");
        size_t latest = json_array_size(periods);
        json_array_foreach(json_object_get(ind, "cells"), k, cell) {
            if (json_object_size(json_object_get(cell, "dims")) || !json_object_get(cell, "text"))
                continue;
            const char *period = json_string_value(json_object_get(cell, "period"));
            for (size_t p = json_array_size(periods); p-- > 0;) {
                if (strcmp(json_string_value(json_array_get(periods, p)), period) == 0) {
                    if (latest == json_array_size(periods) || p > latest)
                        latest = p;
                    break;
                }
            }
        }
        if (latest < json_array_size(periods))
            json_object_set(ind, "latest_period", json_array_get(periods, latest));
    }
}

/* The thresholds the statuses are judged by: the program's ("thresholds"),
 * and an indicator's own where it has them, so that a reader is told what
 * "on track" means. */
static void add_thresholds(json_t *doc, const tocm_model *m) {
    json_object_set_new(
        doc, "thresholds",
        json_pack("{s:f, s:f}", "achieved", m->status.achieved, "on_track", m->status.on_track));
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
        size_t mi = tocmp_model_find_indicator(m, json_string_value(json_object_get(ind, "id")));
        json_t *own =
            mi == TOCMP_NONE ? NULL : json_object_get(m->indicators[mi].json, "thresholds");
        if (!json_is_object(own))
            continue;
        json_t *a = json_object_get(own, "achieved"), *o = json_object_get(own, "on_track");
        json_object_set_new(
            ind, "thresholds",
            json_pack("{s:f, s:f}", "achieved",
                      json_is_number(a) ? json_number_value(a) : m->status.achieved, "on_track",
                      json_is_number(o) ? json_number_value(o) : m->status.on_track));
    }
}

int tocm_report_compute(const tocm_model *model, const tocm_registry *registry,
                        const tocm_report_options *options, tocm_diags *diags, tocm_report **out) {
    static const tocm_report_options all = {0};
    const tocm_report_options *o = options ? options : &all;
    *out = NULL;
    char as_of[11];
    int rc = tocmp_as_of(model, o->as_of, as_of, diags);
    if (rc != 0)
        return rc == -1 ? TOCM_EUSAGE : TOCM_EINVALID;
    struct tocmp_selection sel;
    rc = tocmp_select_resolve(model, o, diags, &sel);
    if (rc != TOCM_OK)
        return rc;
    /* The engine computes every period; the selection is cut afterwards,
     * from the whole report, so that periods and countries can be checked
     * against what the data holds. */
    tocm_report_options engine_opts = *o;
    engine_opts.period = NULL;
    json_t *doc = tocmp_compute_report(model, registry, &engine_opts, sel.indicators, diags);
    if (!doc) {
        tocmp_selection_free(&sel);
        return TOCM_EINVALID;
    }
    tocmp_mark_not_yet_due(doc, as_of);
    add_latest_periods(doc);
    add_thresholds(doc, model);
    rc = tocmp_select_prune(doc, model, o, &sel, diags);
    if (rc != TOCM_OK) {
        json_decref(doc);
        tocmp_selection_free(&sel);
        return rc;
    }
    json_object_set_new(doc, "as_of", json_string(as_of));
    /* The roll-up again, over what was kept: the statuses of the selected
     * periods and country, only for nodes in scope; with indicators named,
     * only the projects that contribute to what they measure. */
    int named = o->indicator != NULL || o->indicator_count > 0;
    json_object_set_new(doc, "rollup",
                        tocmp_rollup(model, json_object_get(doc, "indicators"), o->country, named));
    tocmp_report_chain(doc, model, &sel);
    json_t *rollup = json_object_get(doc, "rollup");
    for (size_t i = json_array_size(rollup); sel.nodes && i-- > 0;) {
        size_t node = tocm_model_find_node(
            model, json_string_value(json_object_get(json_array_get(rollup, i), "node")));
        if (node == TOCM_NO_NODE || !sel.nodes[node])
            json_array_remove(rollup, i);
    }
    tocmp_selection_free(&sel);
    tocm_report *r = tocmp_xmalloc(sizeof *r);
    r->doc = doc;
    *out = r;
    return json_object_get(doc, "failed") ? TOCM_EINVALID : TOCM_OK;
}

void tocm_report_free(tocm_report *report) {
    if (!report)
        return;
    json_decref(report->doc);
    free(report);
}

size_t tocm_report_check_count(const tocm_report *report) {
    return json_array_size(json_object_get(report->doc, "checks"));
}

/* Text and Markdown are read on terminals: titles, notes and comments come
 * from the model and the data, so every character a terminal would act on
 * (escape sequences, bidirectional overrides) is escaped, as everywhere
 * else tocm shows model text. CSV and JSON are data and stay exact. */
static int print_for_reading(FILE *out, json_t *doc, int markdown) {
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    if (!mem)
        return -1;
    tocmp_report_print_text(mem, doc, markdown);
    int rc = fclose(mem);
    if (rc == 0)
        tocm_print_text(text, TOCM_TEXT_MULTILINE, out);
    free(text);
    return rc;
}

/* Prints report in format (for CSV, its part) into memory. new. */
static char *print(const tocm_report *report, enum tocm_report_format format,
                   enum tocm_report_part part, size_t *len) {
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    if (!mem)
        return NULL;
    int failed = 0;
    switch (format) {
    case TOCM_REPORT_JSON:
        json_dumpf(report->doc, mem, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        fputc('\n', mem);
        break;
    case TOCM_REPORT_CSV: tocmp_report_print_csv(mem, report->doc, part); break;
    case TOCM_REPORT_MARKDOWN:
    case TOCM_REPORT_TEXT:
    default: failed = print_for_reading(mem, report->doc, format == TOCM_REPORT_MARKDOWN); break;
    }
    if (fclose(mem) != 0 || failed) {
        free(text);
        return NULL;
    }
    if (len)
        *len = size;
    return text;
}

char *tocm_report_print(const tocm_report *report, enum tocm_report_format format, size_t *len) {
    return print(report, format, TOCM_REPORT_PART_IPTT, len);
}

char *tocm_report_print_csv_part(const tocm_report *report, enum tocm_report_part part,
                                 size_t *len) {
    return print(report, TOCM_REPORT_CSV, part, len);
}

int tocm_report_part_from_name(const char *name, enum tocm_report_part *out) {
    static const char *const names[] = {
        [TOCM_REPORT_PART_IPTT] = "iptt",
        [TOCM_REPORT_PART_CHECKS] = "checks",
        [TOCM_REPORT_PART_ROLLUP] = "rollup",
        [TOCM_REPORT_PART_FAILED] = "failed",
    };
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i], name) == 0) {
            *out = (enum tocm_report_part)i;
            return 0;
        }
    }
    return -1;
}

int tocm_report_format_from_name(const char *name, enum tocm_report_format *out) {
    static const struct {
        const char *name;
        enum tocm_report_format format;
    } names[] = {{"text", TOCM_REPORT_TEXT},
                 {"md", TOCM_REPORT_MARKDOWN},
                 {"csv", TOCM_REPORT_CSV},
                 {"json", TOCM_REPORT_JSON}};
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i].name, name) == 0) {
            *out = names[i].format;
            return 0;
        }
    }
    return -1;
}
