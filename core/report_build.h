/*
 * report_build.h -- the steps report.c takes around the engine to make a
 * report document: what the options select (report_select.c), which
 * periods are due (report_due.c) and the grouping along the results chain
 * (report_chain.c). Private to the library.
 */
#ifndef TOCMP_REPORT_BUILD_H
#define TOCMP_REPORT_BUILD_H

#include <jansson.h>

#include "tocm/report.h"
#include "tocm/tocm.h"

/* What the options select, resolved against the model. */
struct tocmp_selection {
    unsigned char *indicators; /* per model indicator: 1 to compute; NULL: all */
    unsigned char *nodes;      /* per model node: 1 in scope; NULL: every node */
    int by_level;              /* --level given: the chain is that level's nodes */
};

/* Resolves --node, --level and the indicators of options. TOCM_OK, or
 * TOCM_EINVALID (an indicator the model lacks: E410) or TOCM_EUSAGE (a node
 * or level it lacks: E414, listing the ones it has), with the diagnostic
 * added. */
int tocmp_select_resolve(const tocm_model *m, const tocm_report_options *o, tocm_diags *d,
                         struct tocmp_selection *sel);
void tocmp_selection_free(struct tocmp_selection *sel);

/* Keeps in doc (the engine's document) only the periods and country that
 * options select, and the checks of what is kept; adds "selection".
 * TOCM_OK, or TOCM_EUSAGE (an unknown period or country: E414, listing the
 * ones the report has) with the diagnostic added. */
int tocmp_select_prune(json_t *doc, const tocm_model *m, const tocm_report_options *o,
                       const struct tocmp_selection *sel, tocm_diags *d);

/* The as-of date: the option's, else the model's program.reporting_date,
 * else today (UTC), into out as YYYY-MM-DD. 0; -1 when the option is not
 * a date, -2 when the model's is not (E414 added). */
int tocmp_as_of(const tocm_model *m, const char *option, char out[11], tocm_diags *d);

/* The last day of a period as YYYY-MM-DD ("2025" -> "2025-12-31",
 * "2025-02" -> "2025-02-28", "2025-Q3" -> "2025-09-30", a date itself).
 * 0, or -1 for a period that names no dates ("all", "phase 1"). */
int tocmp_period_end(const char *period, char out[11]);

/* Marks the cells without a figure whose period (or dated target) ends
 * after as_of: "not yet due" instead of "not reported". */
void tocmp_mark_not_yet_due(json_t *doc, const char *as_of);

/* The "chain" array of doc: the results chain's nodes in scope (goal,
 * outcomes, and every node an indicator measures), depth first from the
 * top, each with the indicators placed under it; and "other_indicators",
 * those measuring no node in scope. */
void tocmp_report_chain(json_t *doc, const tocm_model *m, const struct tocmp_selection *sel);

#endif
