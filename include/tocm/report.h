/*
 * report.h -- computing a model's indicators from its data tables, and the
 * report's printed forms (`tocm report`).
 *
 * A report is computed once, from a valid model and the calculator plugins
 * of a registry (tocm/host.h), and then printed in any of its formats; all
 * of them are drawn from the one results document, so they cannot disagree.
 * Ownership words as in tocm.h.
 */
#ifndef TOCM_REPORT_H
#define TOCM_REPORT_H

#include <stddef.h>

#include "tocm/host.h"
#include "tocm/tocm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tocm_report tocm_report;

/* What to compute. Zero (or NULL options) computes everything. A period,
 * node, level or country the report does not have is refused with
 * TOCM_EUSAGE and an E414 diagnostic listing the ones it has. */
typedef struct tocm_report_options {
    /* Only these periods: "2021", "total", or an inclusive range of the
     * report's periods "2021..2023" (either end may be left open:
     * "2022.."). NULL: all. */
    const char *period;
    const char *indicator; /* only this indicator; NULL: all */
    /* -- appended in issue 11 -- */
    const char *const *indicators; /* more indicators (borrowed), as many as */
    size_t indicator_count;        /* indicator_count; with `indicator`: the union */
    const char *node;              /* only this node, the nodes beneath it and their indicators */
    const char *level;             /* only the nodes of this level and their indicators */
    const char *country;           /* only this country's figures ("KH") */
    /* "YYYY-MM-DD": a period that ends after it is not yet due. NULL: the
     * model's program.reporting_date, else today (UTC). */
    const char *as_of;
    /* -- appended in issue 14 -- */
    /* Threads that read and fold the data tables: 0, one per core; 1, the
     * calling thread only. The report is the same byte for byte. */
    unsigned jobs;
} tocm_report_options;

enum tocm_report_format {
    TOCM_REPORT_TEXT = 0,     /* aligned tables for a terminal */
    TOCM_REPORT_MARKDOWN = 1, /* the same as Markdown */
    TOCM_REPORT_CSV = 2,      /* one line per cell */
    TOCM_REPORT_JSON = 3,     /* the results document itself */
};

/* The parts of a report that CSV prints as tables of their own (a CSV
 * file holds one table): the IPTT (a row per indicator x period x
 * breakdown), the checks, the roll-up, and the indicators not computed. */
enum tocm_report_part {
    TOCM_REPORT_PART_IPTT = 0,
    TOCM_REPORT_PART_CHECKS = 1,
    TOCM_REPORT_PART_ROLLUP = 2,
    TOCM_REPORT_PART_FAILED = 3,
};

/* Computes every indicator of model (which should have passed
 * tocm_validate) with the calculators of registry. TOCM_OK: *out is new
 * (free with tocm_report_free). TOCM_EINVALID: diags say why (a data file
 * that is missing or malformed, a calculator no plugin provides, an
 * indicator that options name but the model lacks, ...); when some
 * indicators could still be computed, *out is the report of those (its
 * "failed" member lists the others with the reason), else NULL.
 * TOCM_EUSAGE: options select something the report does not have; *out is
 * NULL. */
int tocm_report_compute(const tocm_model *model, const tocm_registry *registry,
                        const tocm_report_options *options, tocm_diags *diags, tocm_report **out);
void tocm_report_free(tocm_report *report);

/* How many checks failed: a printed figure that differs from the data or
 * has no data, or a breakdown that does not add up to its total. */
size_t tocm_report_check_count(const tocm_report *report);

/* The report in format. new: free() it; *len gets the byte count when len
 * is not NULL. NULL only when memory ran out. */
char *tocm_report_print(const tocm_report *report, enum tocm_report_format format, size_t *len);

/* Writes report through the exporter plugin for format (xlsx, html, ...),
 * as tocm_registry_export does for a model, and also lends the exporter the
 * report as the JSON document TOCM_REPORT_JSON prints (host->
 * export_report_json, plugin ABI 1.3). Returns an enum tocm_export_status. */
int tocm_report_export(const tocm_report *report, const tocm_registry *registry,
                       const tocm_model *model, const char *format,
                       const tocm_export_option *options, size_t option_count,
                       tocm_export_sink write, void *sink, tocm_error *err);

/* One part of the report as CSV, with the same columns whatever the
 * report holds. new: free() it; *len as above. NULL only when memory ran
 * out. */
char *tocm_report_print_csv_part(const tocm_report *report, enum tocm_report_part part,
                                 size_t *len);

/* The part named "iptt", "checks", "rollup" or "failed": 0 and *out set,
 * or -1. */
int tocm_report_part_from_name(const char *name, enum tocm_report_part *out);

/* The format named "text", "md", "csv" or "json": 0 and *out set, or -1. */
int tocm_report_format_from_name(const char *name, enum tocm_report_format *out);

#ifdef __cplusplus
}
#endif
#endif
