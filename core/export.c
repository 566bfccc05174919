/*
 * export.c -- running an export (tocm/host.h, tocm_registry_export): find
 * the exporter for the format, check the options against the ones it
 * declares, and lend it the model and a request that carries the options,
 * the sink and, for tocm_report_export (tocm/report.h), the computed report
 * as its JSON document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "tocm/host.h"
#include "tocm/report.h"
#include "util.h"

/* Edit distance of two short names, for "did you mean": 0 when equal. Names
 * longer than 63 bytes are simply far. */
static size_t distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return (size_t)-1;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* TOCM_EXPORT_OK, or TOCM_EXPORT_BAD_OPTION with err naming the first
 * option e does not declare and the ones it does. */
static int check_options(const struct tocm_exporter *e, const tocm_export_option *options,
                         size_t count, tocm_error *err) {
    if (!e->options)
        return TOCM_EXPORT_OK; /* ABI 1.0/1.1: declares nothing, gets everything */
    for (size_t i = 0; i < count; i++) {
        const char *name = options[i].name;
        const struct tocm_option_info *closest = NULL;
        size_t best = 3; /* suggest only a near miss: at most two edits */
        int known = 0;
        for (const struct tocm_option_info *o = e->options; o->name && !known; o++) {
            size_t d = distance(name, o->name);
            known = d == 0;
            if (d < best) {
                best = d;
                closest = o;
            }
        }
        if (known)
            continue;
        tocmp_buf valid = {0};
        for (const struct tocm_option_info *o = e->options; o->name; o++)
            tocmp_buf_printf(&valid, "%s%s", o == e->options ? "" : ", ", o->name);
        char hint[96] = "";
        if (closest)
            snprintf(hint, sizeof hint, " (did you mean '%s'?)", closest->name);
        snprintf(err->source, sizeof err->source, "%s", e->name);
        if (valid.data)
            snprintf(err->text, sizeof err->text,
                     "the %s exporter has no option '%s'%s; its options are: %s", e->name, name,
                     hint, valid.data);
        else
            snprintf(err->text, sizeof err->text,
                     "the %s exporter has no option '%s'; it takes no options", e->name, name);
        err->code = TOCM_EXPORT_BAD_OPTION;
        free(valid.data);
        return TOCM_EXPORT_BAD_OPTION;
    }
    return TOCM_EXPORT_OK;
}

static int export_run(const tocm_registry *reg, const tocm_model *model, const char *format,
                      const tocm_export_option *options, size_t option_count,
                      const char *report_json, size_t report_json_len, tocm_export_sink write,
                      void *sink, tocm_error *err) {
    memset(err, 0, sizeof *err);
    const struct tocm_exporter *e = tocm_registry_exporter_for(reg, format);
    if (!e) {
        snprintf(err->source, sizeof err->source, "%s", format);
        snprintf(err->text, sizeof err->text, "no exporter writes the format '%s'", format);
        err->code = TOCM_EXPORT_NO_EXPORTER;
        return TOCM_EXPORT_NO_EXPORTER;
    }
    int rc = check_options(e, options, option_count, err);
    if (rc != TOCM_EXPORT_OK)
        return rc;
    struct tocm_export_request request = {.options = options,
                                          .option_count = option_count,
                                          .write = write,
                                          .sink = sink,
                                          .report_json = report_json,
                                          .report_json_len = report_json_len};
    struct tocm_export_input input = {
        .size = sizeof input, .model = model, .format = format, .request = &request};
    /* With the host's guards (plugin_host.c): a plugin that misuses the host
     * fails the export instead of reading out of bounds. */
    return tocm_exporter_run(e, tocm_registry_plugin_of(reg, e), &input, err) == 0
               ? TOCM_EXPORT_OK
               : TOCM_EXPORT_FAILED;
}

int tocm_registry_export(const tocm_registry *reg, const tocm_model *model, const char *format,
                         const tocm_export_option *options, size_t option_count,
                         tocm_export_sink write, void *sink, tocm_error *err) {
    return export_run(reg, model, format, options, option_count, NULL, 0, write, sink, err);
}

int tocm_report_export(const tocm_report *report, const tocm_registry *reg, const tocm_model *model,
                       const char *format, const tocm_export_option *options, size_t option_count,
                       tocm_export_sink write, void *sink, tocm_error *err) {
    memset(err, 0, sizeof *err);
    size_t len = 0;
    char *json = tocm_report_print(report, TOCM_REPORT_JSON, &len);
    if (!json) {
        snprintf(err->source, sizeof err->source, "%s", format);
        snprintf(err->text, sizeof err->text, "out of memory printing the report");
        err->code = TOCM_EXPORT_FAILED;
        return TOCM_EXPORT_FAILED;
    }
    int rc = export_run(reg, model, format, options, option_count, json, len, write, sink, err);
    free(json);
    return rc;
}
