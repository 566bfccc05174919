/*
 * engine_internal.h -- what the plugin host needs to know about the objects
 * it lends to plugins during a calculation or an export.
 */
#ifndef TOCMP_ENGINE_INTERNAL_H
#define TOCMP_ENGINE_INTERNAL_H

#include <jansson.h>

#include "table.h"
#include "tocm/host.h"
#include "tocm/plugin.h"

/* One calculator call: the indicator's "params" and the table it reads. */
struct tocm_calc_request {
    json_t *params; /* borrowed; may be NULL */
    const struct tocm_table *table;
};

/* One export: its options (a name given twice: the last value wins) and
 * where the bytes go. */
struct tocm_export_request {
    const tocm_export_option *options;
    size_t option_count;
    tocm_export_sink write;
    void *sink;
    const char *report_json; /* the report as JSON, or NULL (ABI 1.3) */
    size_t report_json_len;
};

/* 1 when row of t matches filter, an object of column -> wanted value(s):
 * {"sex": "female", "country": ["KH", "LA"], "year": 2021}. A column the
 * table lacks never matches. */
int tocmp_filter_matches(json_t *filter, const struct tocm_table *t, size_t row);

/* Calls calc->compute of the plugin named plugin with the host's guards
 * (plugin_host.c): out and err are zeroed first; afterwards every string the
 * plugin filled is terminated inside its array and made printable, and a
 * misuse of the host (an index out of range, a NULL), more parts than a
 * result holds, or a part that is not a finite number makes the call fail
 * with err saying why. Returns 0 or -1. */
int tocmp_calc_call(const struct tocm_calculator *calc, const char *plugin,
                    const struct tocm_calc_input *in, struct tocm_calc_result *out,
                    tocm_error *err);

/* ---- Mergeable aggregates (ABI 1.4), plugin_host.c ---------------------- */

/* The largest state a plan may ask for. */
#define TOCMP_AGG_MAX_STATE 65536

/* Around any direct call into a plugin's aggregate: enter zeroes err and
 * starts guarding the host; leave stops, cleans err's strings and turns a
 * misuse of the host into -1 with err saying why. leave returns rc
 * otherwise (with err's text set when rc < 0). */
void tocmp_guard_enter(const char *plugin, tocm_error *err);
int tocmp_guard_leave(int rc, tocm_error *err);

/* Calls calc->aggregate->prepare with a zeroed plan and checks the plan
 * (column indices, counts, state size). 1: fold with it; 0: compute
 * through rows; -1 with err set. */
int tocmp_agg_prepare(const struct tocm_calculator *calc, const char *plugin,
                      const struct tocm_calc_input *in, struct tocm_agg_plan *plan,
                      tocm_error *err);
/* Calls finalize into a zeroed result, with tocmp_calc_call's checks of the
 * result. 0 or -1. */
int tocmp_agg_finalize(const struct tocm_calculator *calc, const char *plugin,
                       const struct tocm_agg_plan *plan, const void *state,
                       struct tocm_calc_result *out, tocm_error *err);

#endif
