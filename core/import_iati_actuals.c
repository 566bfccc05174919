/*
 * import_iati_actuals.c -- an IATI file's actuals as results tables, in the
 * layout `tocm record` writes (models/FORMAT.md, "Figures entered
 * directly"): one table per indicator, data/results_ID.csv, with the period,
 * one column per breakdown, value, (status,) comment and source; the
 * indicator computed by the `recorded` calculator. Figures stay data: a
 * report reads them like any other, and `tocm record` adds the next ones.
 *
 * The recorded calculator adds a breakdown's rows up into its totals, so a
 * table holds the finest figures IATI gives. A total (or a partial
 * breakdown) IATI also gives is checked against the sum of its parts: the
 * same figure is what the report computes, and nothing is lost; a different
 * one (a percentage, a mean, a total that does not add up) cannot come out
 * of the table, so it is kept in the indicator's `reported` list, which
 * `tocm report` checks against the computed figure, and named in a warning.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_iati.h"
#include "record_write.h"
#include "util.h"

static void set_str(json_t *o, const char *key, const char *value) {
    if (value && *value)
        json_object_set_new(o, key, json_string(value));
}

void ix_actual(struct ix *x, json_t *rows, const char *ind_id, int qualitative, const char *period,
               xmlNodePtr el, int tocm_made) {
    json_t *row = json_object();
    set_str(row, "period", period);
    json_t *dims = json_object();
    xmlNodePtr figure = NULL; /* <tocm:figure>: the comment's parts apart */
    for (xmlNodePtr n = ix_elem(el->children); n; n = ix_elem(n->next)) {
        if (ix_in_tocm(n, "figure"))
            figure = n;
        else if (ix_is(n, "dimension"))
            json_object_set_new(dims, ix_attr(n, "name"), json_string(ix_attr(n, "value")));
        else if (!ix_is(n, "comment"))
            ix_warn(x, "W512", n,
                    "indicator '%s': the %s of the actual for %s is not kept: a results table "
                    "holds a figure's period, breakdown, value, comment and source",
                    ind_id, (const char *)n->name, period);
    }
    json_object_set_new(row, "dims", dims);
    json_object_set_new(row, "line", json_integer(ix_line(el)));
    const char *raw = ix_attr(el, "value");
    char *comment = NULL;
    for (xmlNodePtr n = ix_elem(el->children); n && !comment; n = ix_elem(n->next))
        if (ix_is(n, "comment"))
            comment = ix_narrative(x, n, NULL);
    if (comment && ix_placeholder(comment)) {
        free(comment);
        comment = NULL;
    }
    tocmp_buf why = {0};
    if (qualitative) {
        const char *text = tocm_made ? ix_attr(figure, "text") : comment;
        set_str(row, "value", text);
        set_str(row, "status", ix_attr(figure, "assessed"));
        if (raw && *raw)
            tocmp_buf_printf(&why, "IATI value '%s'", raw);
    } else {
        double v;
        char num[40];
        if (raw && ix_number(raw, &v)) {
            set_str(row, "value", ix_format_number(v, num));
            json_object_set_new(row, "number", json_real(v));
        } else if (raw && *raw) {
            ix_warn(x, ix_placeholder(raw) ? "W511" : "W512", el,
                    "indicator '%s': the actual '%s' for %s is not a number: recorded as not "
                    "reported, the value kept in its comment",
                    ind_id, raw, period);
            tocmp_buf_printf(&why, "IATI value '%s' is not a number", raw);
        } else {
            tocmp_buf_puts(&why, "no value in the IATI file");
        }
    }
    const char *tc = tocm_made ? ix_attr(figure, "comment") : (qualitative ? NULL : comment);
    if (tc && *tc)
        tocmp_buf_printf(&why, "%s%s", why.len ? ". " : "", tc);
    set_str(row, "comment", why.data);
    set_str(row, "source", tocm_made ? ix_attr(figure, "source") : NULL);
    if (tocm_made && ix_attr(figure, "reported"))
        json_object_set_new(row, "reported", json_true()); /* from `reported`: back there */
    free(why.data);
    free(comment);
    json_array_append_new(rows, row);
}

/* ---- the tables --------------------------------------------------------------------------- */

static int all_digits(const char *s) {
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Does row a's breakdown hold within b's ({} holds within everything)? */
static int within(json_t *inner, json_t *outer) {
    const char *k;
    json_t *v;
    json_object_foreach(inner, k, v) {
        if (!json_equal(v, json_object_get(outer, k)))
            return 0;
    }
    return 1;
}

/* The sum of the finest figures (those with every breakdown column) of
 * the period within row's breakdown: NAN when one is not a number; *parts
 * how many. */
static double sum_of_parts(json_t *rows, json_t *row, size_t dim_count, size_t *parts) {
    const char *period = json_string_value(json_object_get(row, "period"));
    json_t *dims = json_object_get(row, "dims");
    double sum = 0;
    size_t i;
    json_t *f;
    *parts = 0;
    json_array_foreach(rows, i, f) {
        if (json_object_size(json_object_get(f, "dims")) != dim_count ||
            strcmp(json_string_value(json_object_get(f, "period")), period) != 0 ||
            !within(dims, json_object_get(f, "dims")))
            continue;
        (*parts)++;
        json_t *n = json_object_get(f, "number");
        sum = n ? sum + json_real_value(n) : NAN;
    }
    return sum;
}

static void keep_reported(json_t *ind, json_t *row) {
    json_t *reported = json_object_get(ind, "reported");
    if (!reported) {
        reported = json_array();
        json_object_set_new(ind, "reported", reported);
    }
    json_t *e = json_pack("{s:O, s:O}", "period", json_object_get(row, "period"), "dims",
                          json_object_get(row, "dims"));
    json_t *number = json_object_get(row, "number");
    if (number)
        json_object_set_new(e, "value", ix_json_number(json_real_value(number)));
    else if (json_object_get(row, "value"))
        json_object_set(e, "value", json_object_get(row, "value"));
    const char *source = json_string_value(json_object_get(row, "source"));
    json_object_set_new(e, "source", json_string(source ? source : "IATI actual"));
    json_array_append_new(reported, e);
}

/* The rows the results table holds (into kept). The recorded calculator
 * adds a period's rows up, so when every total and partial breakdown IATI
 * gives is the sum of the finest figures (a count), the table holds the
 * finest ones and the report computes the same totals. Otherwise (a
 * percentage, a mean, figures that do not add up) adding up would print a
 * false total, so the figures the table cannot give go to the indicator's
 * `reported` list, which tocm report shows and checks (and tocm's IATI
 * export writes as actuals): for a percentage whose plan is broken down
 * (entered_apart), the table holds the finest breakdowns, each entered
 * percentage a figure of its own, which tocm never adds up; otherwise it
 * holds each period's total. */
static void fold_totals(struct ix *x, json_t *ind, json_t *rows, size_t dim_count, int additive,
                        int entered_apart, json_t *kept) {
    const char *id = json_string_value(json_object_get(ind, "id"));
    size_t i, parts;
    json_t *r;
    /* Figures tocm's export wrote from `reported` go back there. */
    json_t *data = json_array();
    json_array_foreach(rows, i, r) {
        if (json_is_true(json_object_get(r, "reported")))
            keep_reported(ind, r);
        else
            json_array_append(data, r);
    }
    rows = data;
    int adds_up = additive;
    json_array_foreach(rows, i, r) {
        if (!adds_up || json_object_size(json_object_get(r, "dims")) == dim_count)
            continue;
        double sum = sum_of_parts(rows, r, dim_count, &parts);
        json_t *number = json_object_get(r, "number");
        /* No number where a part has none is the same: not reported. */
        if (parts && !(number ? !isnan(sum) &&
                                    fabs(json_real_value(number) - sum) <= 1e-9 * fmax(1, fabs(sum))
                              : isnan(sum)))
            adds_up = 0;
    }
    size_t moved = 0;
    json_array_foreach(rows, i, r) {
        size_t size = json_object_size(json_object_get(r, "dims"));
        if (adds_up) {
            /* The finest rows, and those with nothing finer under them. */
            if (size == dim_count || (sum_of_parts(rows, r, dim_count, &parts), parts == 0))
                json_array_append(kept, r);
            continue;
        }
        if (entered_apart) {
            if (size == dim_count) {
                json_array_append(kept, r);
            } else {
                keep_reported(ind, r);
                moved++;
            }
            continue;
        }
        /* Each period's total; a breakdown only in a period without one. */
        int has_total = 0;
        size_t j;
        json_t *t;
        json_array_foreach(rows, j, t) {
            has_total |= json_object_size(json_object_get(t, "dims")) == 0 &&
                         json_equal(json_object_get(t, "period"), json_object_get(r, "period"));
        }
        if (size == 0 || (!has_total && size == dim_count)) {
            json_array_append(kept, r);
        } else {
            keep_reported(ind, r);
            moved++;
        }
    }
    if (moved)
        tocm_diags_add(
            x->d, TOCM_SEV_WARNING, "W513", x->file,
            (int)json_integer_value(json_object_get(x->ind_line, id)), 0, "", id,
            "indicator '%s': its breakdown actuals are not parts that add up to its totals "
            "(a percentage, a mean): the results table holds %s, and the %zu other "
            "figures are kept in the indicator's `reported` list, which tocm report shows "
            "and checks",
            id, entered_apart ? "the finest breakdowns" : "the totals", moved);
    json_decref(data);
}

void ix_tables(struct ix *x, json_t *model, struct tocm_import_output *out) {
    json_t *tables = json_object();
    json_t *indicators = json_object_get(model, "indicators");
    out->tables = tocmp_xcalloc(json_array_size(indicators) + 1, sizeof *out->tables);
    size_t i;
    json_t *ind;
    json_array_foreach(indicators, i, ind) {
        const char *id = json_string_value(json_object_get(ind, "id"));
        const char *measure = json_string_value(json_object_get(ind, "measure"));
        int qualitative = measure && strcmp(measure, "qualitative") == 0;
        int additive = !measure || strcmp(measure, "unit") == 0;
        json_t *dims = json_object_get(ind, "disaggregate");
        size_t dim_count = json_array_size(dims);
        json_t *rows = json_object_get(x->actuals, id);
        json_t *kept = json_array();
        json_t *plan_dims = json_incref(json_object_get(ind, "\x01plan_dims"));
        json_object_del(ind, "\x01plan_dims");
        int entered_apart =
            measure && strcmp(measure, "percentage") == 0 && json_array_size(plan_dims) > 0;
        if (rows)
            fold_totals(x, ind, rows, dim_count, additive, entered_apart, kept);
        int totals_only = 1;
        size_t k;
        json_t *kr;
        json_array_foreach(kept, k, kr) totals_only &=
            json_object_size(json_object_get(kr, "dims")) == 0;
        if (totals_only) {
            /* No breakdown in the table: only the plan's breakdowns remain. */
            if (json_array_size(plan_dims))
                json_object_set(ind, "disaggregate", plan_dims);
            else
                json_object_del(ind, "disaggregate");
            dims = json_object_get(ind, "disaggregate");
        }
        json_decref(plan_dims);
        /* The period column: integers when every period is a year. */
        int years = 1;
        size_t r;
        json_t *row;
        json_array_foreach(kept, r, row) years &=
            all_digits(json_string_value(json_object_get(row, "period")));
        char *name = tocmp_record_table_name(tables, id);
        const char *title = json_string_value(json_object_get(ind, "title"));
        char *ttitle = tocmp_asprintf("%s (imported from IATI)", title ? title : id);
        json_object_set_new(
            tables, name, tocmp_record_table_def(name, ttitle, "period", years, dims, qualitative));
        free(ttitle);
        char *path = tocmp_asprintf("data/%s.csv", name);
        json_object_set_new(ind, "calculator", json_string("recorded"));
        json_object_set_new(ind, "table", json_string(name));
        json_object_set_new(ind, "period", json_string("period"));
        /* The text: header, then the rows in the file's order, written as
         * tocm record writes them, each with the same columns in the same
         * order. Text cells are guarded against formulas: all but a numeric
         * value and a period of years. */
        size_t dn = json_array_size(dims), n = 0, d;
        json_t *dim;
        const char **cells = tocmp_xcalloc(dn + 5, sizeof *cells);
        unsigned char *guard = tocmp_xcalloc(dn + 5, 1);
        memset(guard, 1, dn + 5);
        guard[0] = !years;
        guard[1 + dn] = (unsigned char)qualitative;
        cells[n++] = "period";
        json_array_foreach(dims, d, dim) cells[n++] = json_string_value(dim);
        cells[n++] = "value";
        if (qualitative)
            cells[n++] = "status";
        cells[n++] = "comment";
        cells[n++] = "source";
        tocmp_buf b = {0};
        tocmp_record_write_row(&b, cells, n, NULL);
        json_array_foreach(kept, r, row) {
            json_t *rd = json_object_get(row, "dims");
            n = 0;
            cells[n++] = json_string_value(json_object_get(row, "period"));
            json_array_foreach(dims, d, dim) {
                cells[n++] = json_string_value(json_object_get(rd, json_string_value(dim)));
            }
            cells[n++] = json_string_value(json_object_get(row, "value"));
            if (qualitative)
                cells[n++] = json_string_value(json_object_get(row, "status"));
            cells[n++] = json_string_value(json_object_get(row, "comment"));
            cells[n++] = json_string_value(json_object_get(row, "source"));
            tocmp_record_write_row(&b, cells, n, guard);
        }
        free(cells);
        free(guard);
        struct tocm_import_table *t = &out->tables[out->table_count++];
        t->path = path;
        t->text = b.data;
        t->len = b.len;
        free(name);
        json_decref(kept);
    }
    json_object_set_new(model, "tables", tables);
}
