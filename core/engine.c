/*
 * engine.c -- computes the indicators of a model from its data tables: the
 * driver. A table whose indicators all fold is read first, in chunks folded
 * as they come (engine_stream.c); any other is loaded whole when an
 * indicator first reads it. For each indicator it prepares the calculator,
 * period and disaggregation columns and filter, interns each matching row's
 * values (or takes them from the stream), has engine_fold.c or
 * engine_group.c compute every cell, then runs the checks
 * (engine_checks.c) and finally the roll-up (engine_rollup.c).
 *
 * Every figure, totals included, is computed from rows: a share across
 * countries is numerator-sum over denominator-sum, a distinct count across
 * countries counts each person once. Nothing is ever averaged or added up
 * from rounded parts.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_parts.h"
#include "model_internal.h"
#include "util.h"

void tocmp_engine_fail(struct ctx *c, const char *code, char *path, const char *indicator,
                       char *message) {
    tocm_diags_add(c->diags, TOCM_SEV_ERROR, code, c->m->file, 0, 0, path, indicator, "%s",
                   message);
    c->errors++;
    free(path);
    free(message);
}

/* ---- tables ----------------------------------------------------------- */

/* The data of table index of the model, read on first use. A table that
 * cannot be read is remembered too (as NULL), so its error is reported
 * once, not once per indicator that reads it. */
static struct tocm_table *table_for(struct ctx *c, size_t index) {
    if (c->table_read[index])
        return c->tables[index];
    /* Read in chunks already, for indicators that fold: only its
     * diagnostics are new. */
    int streamed;
    c->table_diag[index] = tocm_diags_count(c->diags);
    struct tocm_table *header = tocmp_stream_table(c, index, &streamed);
    if (streamed) {
        if (!header)
            c->errors++;
        c->table_read[index] = 1;
        return c->tables[index] = header; /* (the stream owns it) */
    }
    const struct tocmp_table *def = &c->m->tables[index];
    if (json_object_get(def->json, "database")) {
        c->table_diag[index] = tocm_diags_count(c->diags);
        c->tables[index] = tocmp_engine_source_open(c, index);
        c->table_read[index] = 1;
        c->errors += !c->tables[index];
        return c->tables[index];
    }
    const char *rel = def->path;
    char *path = rel[0] == '/' || strcmp(c->model_dir, ".") == 0
                     ? tocmp_xstrdup(rel)
                     : tocmp_asprintf("%s/%s", c->model_dir, rel);
    size_t spec_count;
    struct tocmp_column_spec *specs = tocmp_table_specs(def, &spec_count);
    c->table_diag[index] = tocm_diags_count(c->diags);
    /* Name the file as the user wrote it, relative to where they ran tocm. */
    struct tocm_table *t = tocmp_table_load(path, path, specs, spec_count, c->diags);
    free(specs);
    free(path);
    if (!t)
        c->errors++;
    c->tables[index] = t;
    c->table_read[index] = 1;
    return t;
}

static size_t column_or_fail(struct ctx *c, struct indicator *ind, const char *name,
                             const char *field) {
    size_t col = tocmp_table_column(ind->table, name);
    if (col == TOCM_NONE)
        tocmp_engine_fail(
            c, "E408", tocmp_asprintf("/indicators/%zu/%s", ind->index, field), ind->id,
            tocmp_asprintf("indicator '%s': the table %s has no column '%s' (named by '%s')",
                           ind->id, ind->table->path, name, field));
    return col;
}

/* ---- driver ----------------------------------------------------------- */

static void indicator_free(struct indicator *ind) {
    tocmp_interned_free(&ind->periods);
    for (size_t d = 0; d < ind->dim_count; d++)
        tocmp_interned_free(&ind->dims[d]);
    free(ind->cells);
}

static json_t *compute_indicator(struct ctx *c, size_t index) {
    const struct tocmp_indicator *model = &c->m->indicators[index];
    json_t *def = model->json;
    struct indicator ind = {.index = model->json_index, .model = model, .def = def};
    ind.id = model->id;
    const char *calc_name = model->calculator;
    ind.calc = tocm_registry_calculator(c->reg, calc_name);
    if (!ind.calc) {
        tocmp_engine_fail(
            c, "E407", tocmp_asprintf("/indicators/%zu/calculator", ind.index), ind.id,
            tocmp_asprintf("indicator '%s' uses calculator '%s', which no loaded plugin "
                           "provides (see 'tocm plugins')",
                           ind.id, calc_name));
        return NULL;
    }
    ind.table = table_for(c, model->table);
    if (!ind.table)
        return NULL;
    const char *measure = model->measure;
    ind.percentage = measure && strcmp(measure, "percentage") == 0;
    json_t *rounding = json_object_get(def, "rounding");
    ind.decimals = json_is_integer(rounding) ? (int)json_integer_value(rounding) : 0;
    ind.qualitative = measure && strcmp(measure, "qualitative") == 0;
    ind.zero_fill = json_is_true(json_object_get(def, "zero_fill"));
    json_t *thresholds = json_object_get(def, "thresholds");
    json_t *th = json_object_get(thresholds, "achieved");
    ind.achieved = json_is_number(th) ? json_number_value(th) : c->m->status.achieved;
    th = json_object_get(thresholds, "on_track");
    ind.on_track = json_is_number(th) ? json_number_value(th) : c->m->status.on_track;
    const char *direction = model->direction;
    ind.lower_is_better = direction && strcmp(direction, "lower") == 0;
    const char *agg = model->aggregation;
    ind.aggregation = !agg                             ? AGG_PERIODIC
                      : strcmp(agg, "cumulative") == 0 ? AGG_CUMULATIVE
                      : strcmp(agg, "latest") == 0     ? AGG_LATEST
                                                       : AGG_PERIODIC;

    size_t errors = c->errors;
    const char *period = model->period;
    ind.period_col = period ? column_or_fail(c, &ind, period, "period") : TOCM_NONE;
    json_t *dis = json_object_get(def, "disaggregate");
    if (json_array_size(dis) > MAX_DIMS) {
        tocmp_engine_fail(
            c, "E004", tocmp_asprintf("/indicators/%zu/disaggregate", index), ind.id,
            tocmp_asprintf("indicator '%s': at most %d disaggregation columns", ind.id, MAX_DIMS));
        return NULL;
    }
    size_t k;
    json_t *dim;
    json_array_foreach(dis, k, dim) {
        ind.dim_names[k] = json_string_value(dim);
        ind.dim_cols[k] = ind.dim_names[k]
                              ? column_or_fail(c, &ind, ind.dim_names[k], "disaggregate")
                              : TOCM_NONE;
        tocmp_idmap_init(&ind.dims[k].ids, 16);
        ind.dim_count++;
    }
    json_t *filter = json_object_get(def, "filter");
    const char *fcol;
    json_t *fval;
    json_object_foreach(filter, fcol, fval) {
        (void)fval;
        column_or_fail(c, &ind, fcol, "filter");
    }
    tocmp_idmap_init(&ind.periods.ids, 16);
    if (c->errors != errors) {
        indicator_free(&ind);
        return NULL;
    }

    /* A table in a database: the indicator's states computed there, else
     * its rows read (engine_source.c). */
    struct tocm_calc_request req = {.params = json_object_get(def, "params"), .table = ind.table};
    struct tocmp_pushed *pushed = NULL;
    if (tocmp_push_down(c, &ind, filter, &req, &pushed) < 0 ||
        (!pushed && tocmp_engine_source_rows(c, model->table, index) != 0)) {
        indicator_free(&ind);
        return NULL;
    }

    /* Filter, and intern each row's period and dimension values; a table
     * read in chunks has folded them already (engine_stream.c), a
     * database its states (pushed). */
    const struct tocm_table *t = ind.table;
    int streamed = !pushed && tocmp_stream_values(c, &ind);
    size_t rows_room = !streamed && t->row_count ? t->row_count : 1;
    size_t *rows = tocmp_xmalloc(rows_room * sizeof *rows);
    size_t *period_id = tocmp_xmalloc(rows_room * sizeof *period_id);
    size_t *dim_ids[MAX_DIMS];
    for (size_t d = 0; d < ind.dim_count; d++)
        dim_ids[d] = tocmp_xmalloc(rows_room * sizeof *dim_ids[d]);
    size_t n = 0;
    for (size_t row = 0; row < t->row_count && !streamed && !pushed; row++) {
        if (filter && !tocmp_filter_matches(filter, t, row))
            continue;
        rows[n] = row;
        period_id[n] =
            ind.period_col == TOCM_NONE
                ? 0
                : tocmp_intern(&ind.periods, t->text[tocmp_table_cell(t, row, ind.period_col)]);
        for (size_t d = 0; d < ind.dim_count; d++)
            dim_ids[d][n] =
                tocmp_intern(&ind.dims[d], t->text[tocmp_table_cell(t, row, ind.dim_cols[d])]);
        n++;
    }
    if (ind.period_col == TOCM_NONE) {
        tocmp_intern(&ind.periods, "all");
    } else {
        /* Periods with a target and no figures yet are part of the plan:
         * they appear, not reported. */
        const char *tp;
        json_t *tv;
        json_object_foreach(json_object_get(def, "targets"), tp, tv) {
            if (strcmp(tp, "total") != 0)
                tocmp_intern(&ind.periods, tp);
        }
        size_t e;
        json_array_foreach(json_object_get(def, "breakdown_targets"), e, tv) {
            const char *bp = json_string_value(json_object_get(tv, "period"));
            if (bp && strcmp(bp, "total") != 0)
                tocmp_intern(&ind.periods, bp);
        }
    }
    tocmp_rank_values(&ind.periods);
    for (size_t i = 0; i < n; i++)
        period_id[i] = ind.periods.rank[period_id[i]];
    for (size_t d = 0; d < ind.dim_count; d++)
        tocmp_rank_values(&ind.dims[d]);

    json_t *out = json_object();
    json_object_set_new(out, "id", json_string(ind.id));
    json_object_set(out, "title", json_object_get(def, "title"));
    json_object_set_new(out, "measure", json_string(measure ? measure : "unit"));
    if (json_object_get(def, "unit"))
        json_object_set(out, "unit", json_object_get(def, "unit"));
    json_object_set_new(out, "calculator", json_string(ind.calc->name));
    json_t *nodes = json_object_get(def, "nodes");
    json_object_set_new(out, "nodes", nodes ? json_incref(nodes) : json_array());
    json_t *dims_list = json_array();
    for (size_t d = 0; d < ind.dim_count; d++)
        json_array_append_new(dims_list, json_string(ind.dim_names[d]));
    json_object_set_new(out, "dimensions", dims_list);
    json_t *periods = json_array();
    for (size_t p = 0; p < ind.periods.count; p++)
        json_array_append_new(periods, json_string(ind.periods.sorted[p]));
    json_object_set_new(out, "periods", periods);
    json_object_set_new(out, "rounding", json_integer(ind.decimals));
    if (json_object_get(def, "aggregation"))
        json_object_set(out, "aggregation", json_object_get(def, "aggregation"));
    /* The plan as written (percentages as people write them), for the
     * printers' header lines. */
    static const char *const plan[] = {"baseline", "lop_target", "verification",
                                       "notes",    "direction",  NULL};
    for (const char *const *f = plan; *f; f++)
        if (json_object_get(def, *f))
            json_object_set(out, *f, json_object_get(def, *f));
    if (json_object_get(def, "lop_target")) {
        json_t *lop = json_object_get(def, "lop_target");
        json_t *num = json_is_object(lop) ? json_object_get(lop, "value") : lop;
        if (json_is_number(num)) {
            char *d = tocmp_display(json_number_value(num) / (ind.percentage ? 100.0 : 1.0), 1,
                                    ind.percentage, ind.decimals);
            json_object_set_new(out, "lop_target_display", json_string(d));
            free(d);
        }
    }

    json_t *cells = json_array();
    /* One pass with a mergeable aggregate (1: done); else (0) every cell
     * from its rows. */
    int rc = pushed     ? tocmp_pushed_cells(c, &ind, pushed, cells)
             : streamed ? tocmp_stream_cells(c, &ind, cells)
                        : tocmp_fold_indicator(c, &ind, rows, n, period_id, dim_ids, cells, &req);
    /* The total first, then each dimension alone, then combinations. */
    for (unsigned size = 0; size <= ind.dim_count && rc == 0; size++)
        for (unsigned mask = 0; mask < (1u << ind.dim_count) && rc == 0; mask++)
            if ((unsigned)__builtin_popcount(mask) == size)
                rc = tocmp_compute_subset(c, &ind, rows, n, period_id, dim_ids, mask, cells, &req);
    json_object_set_new(out, "cells", cells);
    if (rc == 1)
        rc = 0;
    if (rc == 0) {
        tocmp_reconcile(c, &ind);
        /* After the reconciliation: a latest figure taken from an earlier
         * period is no part of this period's sums. */
        tocmp_latest_fill(c, &ind);
        tocmp_check_reported(c, &ind, cells, dims_list);
    }
    free(rows);
    free(period_id);
    for (size_t d = 0; d < ind.dim_count; d++)
        free(dim_ids[d]);
    indicator_free(&ind);
    tocmp_pushed_free(pushed); /* after ind: its values are the results' texts */
    if (rc != 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* Why indicator i could not be computed: the first error it added to the
 * diagnostics since first_diag, else (a table read for an earlier
 * indicator) the first error of its table. new. */
static json_t *failure(struct ctx *c, size_t i, size_t first_diag) {
    const struct tocmp_indicator *def = &c->m->indicators[i];
    size_t from = first_diag, count = tocm_diags_count(c->diags);
    if (from == count && def->table != TOCMP_NONE && c->table_read[def->table])
        from = c->table_diag[def->table];
    json_t *f = json_object();
    json_object_set_new(f, "indicator", json_string(def->id));
    json_object_set_new(f, "title", json_string(def->title));
    if (def->table_name)
        json_object_set_new(f, "table", json_string(def->table_name));
    for (size_t k = from; k < count; k++) {
        const tocm_diag *d = tocm_diags_get(c->diags, k);
        if (d->severity != TOCM_SEV_ERROR)
            continue;
        json_object_set_new(f, "code", json_string(d->code));
        json_object_set_new(f, "file", json_string(d->file));
        if (d->line > 0)
            json_object_set_new(f, "line", json_integer(d->line));
        json_object_set_new(f, "message", json_string(d->message));
        break;
    }
    return f;
}

json_t *tocmp_compute_report(const tocm_model *m, const tocm_registry *reg,
                             const tocm_report_options *opts, const unsigned char *selected,
                             tocm_diags *diags) {
    struct ctx c = {.m = m, .reg = reg, .opts = opts, .diags = diags, .jobs = opts->jobs};
    c.tables = tocmp_xcalloc(m->table_count + 1, sizeof *c.tables);
    c.table_read = tocmp_xcalloc(m->table_count + 1, 1);
    c.table_diag = tocmp_xcalloc(m->table_count + 1, sizeof *c.table_diag);
    char *copy = tocmp_xstrdup(m->file);
    c.model_dir = tocmp_xstrdup(dirname(copy));
    free(copy);
    c.checks = json_array();
    tocmp_stream_tables(&c, selected);

    /* The validator has checked every indicator: each has an id, a
     * calculator and a table the model defines. An indicator that fails
     * (its table has a bad cell, say) takes only itself down. */
    json_t *indicators = json_array(), *failed = json_array();
    for (size_t i = 0; i < m->indicator_count; i++) {
        if (selected && !selected[i])
            continue;
        size_t first_diag = tocm_diags_count(diags);
        json_t *result = compute_indicator(&c, i);
        if (result)
            json_array_append_new(indicators, result);
        else
            json_array_append_new(failed, failure(&c, i, first_diag));
    }

    json_t *report = NULL;
    if (c.errors == 0 || json_array_size(indicators) > 0) {
        report = json_object();
        json_t *program = json_object();
        json_object_set_new(program, "id", json_string(m->program_id ? m->program_id : ""));
        json_object_set_new(program, "title",
                            json_string(m->program_title ? m->program_title : ""));
        json_object_set_new(report, "program", program);
        json_object_set_new(report, "indicators", indicators);
        json_object_set_new(report, "checks", c.checks);
        json_object_set_new(report, "rollup", tocmp_rollup(m, indicators, NULL, 0));
        if (json_array_size(failed))
            json_object_set(report, "failed", failed);
    } else {
        json_decref(indicators);
        json_decref(c.checks);
    }
    json_decref(failed);
    tocmp_engine_sources_close(&c);
    for (size_t t = 0; t < m->table_count; t++)
        if (!c.streams[t]) /* a streamed table's header is its stream's */
            tocmp_table_free(c.tables[t]);
    tocmp_stream_free(&c);
    free(c.tables);
    free(c.table_read);
    free(c.table_diag);
    free(c.model_dir);
    return report;
}
