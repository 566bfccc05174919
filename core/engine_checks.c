/*
 * engine_checks.c -- the checks of a computed indicator: reconciliation
 * (every margin equals the sum of its parts) and printed figures (what the
 * model records as reported agrees with what the data gives).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_parts.h"
#include "util.h"

/* ---- checks ----------------------------------------------------------- */

static void add_check(struct ctx *c, const struct indicator *ind, const char *kind,
                      const struct cell *cell, char *message) {
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(kind));
    json_object_set_new(o, "indicator", json_string(ind->id));
    if (cell) {
        json_object_set_new(o, "period", json_string(tocmp_period_name(ind, cell->period)));
        json_object_set_new(o, "dims", tocmp_dims_json(ind, cell->mask, cell->dims));
    }
    json_object_set_new(o, "message", json_string(message));
    free(message);
    json_array_append_new(c->checks, o);
}

/* A cell's identity as text, for a hash map: its breakdown, period and
 * value ranks. Writes into buf (256 bytes hold MAX_DIMS ranks). */
static const char *cell_key(char *buf, size_t size, const struct indicator *ind, unsigned mask,
                            long period, const size_t *dims) {
    int n = snprintf(buf, size, "%u/%ld", mask, period);
    for (size_t d = 0; d < ind->dim_count; d++)
        if (mask & (1u << d))
            n += snprintf(buf + n, size - (size_t)n, "/%zu", dims[d]);
    return buf;
}

static int close_enough(double a, double b) {
    return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* Every margin must equal the sum of the cells it is made of: for additive
 * calculators their values, for shares their numerators and denominators.
 * Totals are computed from rows, so a failure here means rows fell out of
 * the breakdown (an empty disaggregation value, say) and the user should
 * know their parts do not add up to the whole. */
void tocmp_reconcile(struct ctx *c, const struct indicator *ind) {
    int additive = ind->calc->flags & TOCM_CALC_ADDITIVE;
    size_t n = ind->cell_count, nd = ind->dim_count;
    if (nd == 0)
        return;
    /* Each child adds its figures to its parent's sums for the dimension
     * the child adds, found by key: linear in the cells, where comparing
     * every cell with every other would be quadratic, and a breakdown by
     * person or district has thousands of cells. */
    char buf[256];
    char **keys = tocmp_xcalloc(n ? n : 1, sizeof *keys);
    tocmp_idmap ids;
    tocmp_idmap_init(&ids, n);
    for (size_t i = 0; i < n; i++) {
        const struct cell *cell = &ind->cells[i];
        keys[i] =
            tocmp_xstrdup(cell_key(buf, sizeof buf, ind, cell->mask, cell->period, cell->dims));
        /* (mask, period, values) names one cell: the keys are distinct. */
        tocmp_idmap_add_new(&ids, keys[i], i);
    }
    struct parts {
        double value, num, den;
        size_t children;
    } *sums = tocmp_xcalloc(n ? n * nd : 1, sizeof *sums);
    for (size_t k = 0; k < n; k++) {
        const struct cell *child = &ind->cells[k];
        for (size_t d = 0; d < nd; d++) {
            if (!(child->mask & (1u << d)))
                continue;
            size_t p =
                tocmp_idmap_get(&ids, cell_key(buf, sizeof buf, ind, child->mask & ~(1u << d),
                                               child->period, child->dims));
            if (p == TOCMP_IDMAP_NONE)
                continue;
            struct parts *s = &sums[p * nd + d];
            s->children++;
            s->value += child->r.has_value ? child->r.value : 0;
            s->num += child->r.numerator;
            s->den += child->r.denominator;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct cell *parent = &ind->cells[i];
        if ((!additive && !parent->r.has_ratio) || !parent->r.has_value)
            continue;
        for (size_t d = 0; d < nd; d++) {
            const struct parts *s = &sums[i * nd + d];
            if ((parent->mask & (1u << d)) || !s->children)
                continue;
            int ok = parent->r.has_ratio
                         ? close_enough(s->num, parent->r.numerator) &&
                               close_enough(s->den, parent->r.denominator)
                         : close_enough(s->value, parent->r.has_value ? parent->r.value : 0);
            if (!ok)
                add_check(
                    c, ind, "reconciliation", parent,
                    tocmp_asprintf("the parts by '%s' do not add up to this figure "
                                   "(parts %g, total %g)",
                                   ind->dim_names[d], parent->r.has_ratio ? s->den : s->value,
                                   parent->r.has_ratio ? parent->r.denominator : parent->r.value));
        }
    }
    free(sums);
    tocmp_idmap_free(&ids);
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}

/* The key of a cell in the index of tocmp_check_reported: its mask, its
 * period's name and its value ranks. new. */
static char *cell_index_key(const struct indicator *ind, unsigned mask, const char *period,
                            const size_t *dims) {
    tocmp_buf b = {0};
    tocmp_buf_printf(&b, "%u\x1f%s", mask, period);
    for (size_t d = 0; d < ind->dim_count; d++)
        if (mask & (1u << d))
            tocmp_buf_printf(&b, "\x1f%zu", dims[d]);
    return b.data;
}

/* Every cell by its key, the first of equal keys kept. new. */
static json_t *cell_index(const struct indicator *ind) {
    json_t *index = json_object();
    for (size_t i = 0; i < ind->cell_count; i++) {
        const struct cell *cell = &ind->cells[i];
        char *key =
            cell_index_key(ind, cell->mask, tocmp_period_name(ind, cell->period), cell->dims);
        if (!json_object_get(index, key))
            json_object_set_new(index, key, json_integer((json_int_t)i));
        free(key);
    }
    return index;
}

static const struct cell *find_cell(const struct indicator *ind, json_t *index, const char *period,
                                    json_t *dims) {
    unsigned mask = 0;
    size_t want[MAX_DIMS] = {0};
    const char *name;
    json_t *value;
    json_object_foreach(dims, name, value) {
        size_t d = 0;
        while (d < ind->dim_count && strcmp(ind->dim_names[d], name) != 0)
            d++;
        if (d == ind->dim_count || !json_is_string(value))
            return NULL;
        size_t id = tocmp_idmap_get(&ind->dims[d].ids, json_string_value(value));
        if (id == TOCMP_IDMAP_NONE)
            return NULL;
        mask |= 1u << d;
        want[d] = ind->dims[d].rank[id];
    }
    char *key = cell_index_key(ind, mask, period, want);
    json_t *at = json_object_get(index, key);
    free(key);
    return at ? &ind->cells[json_integer_value(at)] : NULL;
}

/* Shows the printed figure value (a number, as printed: 54 for 54 %) in
 * the cell JSON j of period, whose data gives no figure: the report then
 * reads as the program reported it, marked as printed rather than computed
 * ("origin"), with its status judged against the plan like any figure. */
static void show_printed(struct ctx *c, const struct indicator *ind, json_t *j, const char *period,
                         double printed, const char *source) {
    struct tocm_calc_result r;
    memset(&r, 0, sizeof r);
    r.has_value = 1;
    r.value = printed / (ind->percentage ? 100.0 : 1.0);
    json_object_set_new(j, "origin", json_string("reported"));
    if (source && !json_object_get(j, "source"))
        json_object_set_new(j, "source", json_string(source));
    tocmp_cell_refigure(c, ind, j, period, &r);
}

/* Whether period is one of the indicator's (or "total"). */
static int known_period(const struct indicator *ind, const char *period) {
    if (strcmp(period, "total") == 0)
        return 1;
    for (size_t p = 0; p < ind->periods.count; p++)
        if (strcmp(ind->periods.sorted[p], period) == 0)
            return 1;
    return 0;
}

/* Whether every value of dims is a text (the form cells' breakdowns take). */
static int text_dims(json_t *dims) {
    const char *k;
    json_t *v;
    json_object_foreach(dims, k, v) {
        if (!json_is_string(v))
            return 0;
    }
    return 1;
}

/* Every figure the model records as printed is compared with the computed
 * one, rounded the way the indicator is displayed. A numeric one the data
 * gives no figure for is shown in its cell: for figures entered directly
 * (`recorded`) it is the figure, as a share imported from IATI whose
 * breakdowns or totals the results table cannot hold; for a calculated
 * indicator it is also a finding, since the data should have given it. */
void tocmp_check_reported(struct ctx *c, const struct indicator *ind, json_t *cells_json,
                          json_t *dimensions) {
    json_t *reported = json_object_get(ind->def, "reported");
    if (json_array_size(reported) == 0)
        return;
    int entered = strcmp(ind->calc->name, "recorded") == 0;
    json_t *index = cell_index(ind);
    json_t *added = json_object(); /* cells made here, by period and breakdown */
    size_t i;
    json_t *entry;
    json_array_foreach(reported, i, entry) {
        json_t *pv = json_object_get(entry, "period");
        const char *period = json_is_string(pv)             ? json_string_value(pv)
                             : ind->period_col == TOCM_NONE ? "all"
                                                            : "total";
        char number[32];
        if (json_is_integer(pv)) {
            snprintf(number, sizeof number, "%lld", (long long)json_integer_value(pv));
            period = number;
        }
        json_t *dims = json_object_get(entry, "dims");
        json_t *value = json_object_get(entry, "value");
        const char *source = json_string_value(json_object_get(entry, "source"));
        const struct cell *cell = find_cell(ind, index, period, dims);
        int in_output = !c->opts->period || strcmp(c->opts->period, period) == 0;
        /* Shown in place: a number, for a numeric indicator, where the data
         * gives none, in a period of the indicator's (a period it does not
         * have would sit outside its columns: a finding only). */
        int showable = json_is_number(value) && !ind->qualitative &&
                       (cell ? !cell->r.has_value && cell->json
                             : in_output && known_period(ind, period) && text_dims(dims));
        if (showable) {
            json_t *j = cell ? cell->json : NULL;
            if (!j) {
                char *dkey = json_dumps(dims ? dims : json_object(),
                                        JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
                char *key = tocmp_asprintf("%s\x1f%s", period, dkey ? dkey : "");
                free(dkey);
                int twice = json_object_get(added, key) != NULL;
                if (!twice) {
                    j = json_object();
                    json_object_set_new(j, "period", json_string(period));
                    json_object_set_new(j, "dims", dims ? json_deep_copy(dims) : json_object());
                    json_object_set_new(j, "rows", json_integer(0));
                    json_object_set(added, key, j);
                    json_array_append_new(cells_json, j);
                    /* A breakdown the data is not broken down by is one the
                     * report is: its printers list the cell's dimensions. */
                    const char *name;
                    json_t *v;
                    json_object_foreach(dims, name, v) tocmp_json_add_unique(dimensions, name);
                }
                free(key);
                if (twice)
                    continue; /* the same figure printed twice: the first is shown */
            }
            show_printed(c, ind, j, period, json_number_value(value), source);
            if (entered)
                continue;
        }
        json_t *o = json_object();
        json_object_set_new(o, "indicator", json_string(ind->id));
        json_object_set_new(o, "period", json_string(period));
        json_object_set_new(o, "dims", dims ? json_deep_copy(dims) : json_object());
        json_object_set_new(o, "reported", json_deep_copy(value));
        if (source)
            json_object_set_new(o, "source", json_string(source));
        if (!cell) {
            json_object_set_new(o, "kind", json_string("reported_without_data"));
            json_object_set_new(o, "message",
                                json_string("the report prints this figure but the data has "
                                            "no rows for it"));
            json_array_append_new(c->checks, o);
        } else {
            double shown =
                tocmp_round(ind->percentage ? cell->r.value * 100 : cell->r.value, ind->decimals);
            double printed = tocmp_round(json_number_value(value), ind->decimals);
            if (!cell->r.has_value || !json_is_number(value) || !close_enough(shown, printed)) {
                char *display =
                    tocmp_display(cell->r.value, cell->r.has_value, ind->percentage, ind->decimals);
                /* The printed figure in the same style, for a like-for-like message. */
                char *printed_text =
                    json_is_number(value)
                        ? tocmp_display(json_number_value(value) / (ind->percentage ? 100 : 1), 1,
                                        ind->percentage, ind->decimals)
                        : json_dumps(value, JSON_ENCODE_ANY);
                json_object_set_new(o, "kind", json_string("reported_mismatch"));
                json_object_set_new(o, "computed",
                                    cell->r.has_value ? json_real(cell->r.value) : json_null());
                json_object_set_new(o, "display", json_string(display));
                char *msg = tocmp_asprintf("printed %s but the data gives %s",
                                           printed_text ? printed_text : "?", display);
                json_object_set_new(o, "message", json_string(msg));
                free(msg);
                free(printed_text);
                free(display);
                json_array_append_new(c->checks, o);
            } else {
                json_decref(o);
                /* Record the agreement on the cell itself. */
                if (cell->json)
                    json_object_set_new(cell->json, "reported", json_deep_copy(value));
            }
        }
    }
    json_decref(added);
    json_decref(index);
}
