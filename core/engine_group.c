/*
 * engine_group.c -- grouping an indicator's rows and computing its cells.
 *
 * The rows are grouped by every subset of the disaggregation columns (the
 * full breakdown, each margin and the grand total) and by period, and each
 * group's rows go to the calculator plugin.
 *
 * Grouping sorts (key, period, row) triples once per subset, so each group's
 * rows are contiguous and each period's rows a contiguous run inside it:
 * a periodic cell is a run, a cumulative cell a prefix, the total the whole
 * group. Cost: O(r log r) per subset for r matching rows, O(r) when the
 * combinations of values are few enough for a counting sort.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_parts.h"
#include "model_internal.h"
#include "util.h"

/* ---- interning column values ------------------------------------------ */

size_t tocmp_intern(struct interned *in, const char *text) {
    size_t id = tocmp_idmap_get(&in->ids, text);
    if (id != TOCMP_IDMAP_NONE)
        return id;
    if (in->count == in->cap) {
        in->cap = in->cap ? in->cap * 2 : 16;
        in->names = tocmp_xrealloc(in->names, in->cap * sizeof *in->names);
    }
    in->names[in->count] = text;
    tocmp_idmap_add_new(&in->ids, text, in->count);
    return in->count++;
}

static int numeric_text(const char *s, double *out) {
    char *end;
    if (!*s)
        return 0;
    *out = strtod(s, &end);
    return *end == '\0';
}

/* qsort has no context argument in C11: the one comparison flag lives here
 * (tocm computes on one thread). */
static int all_numeric;
static int compare_texts(const void *a, const void *b) {
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    if (all_numeric) {
        double dx = 0, dy = 0;
        numeric_text(x, &dx);
        numeric_text(y, &dy);
        if (dx != dy)
            return dx < dy ? -1 : 1;
    }
    return strcmp(x, y);
}

/* Orders values: numerically when every value is a number (years), else as
 * text, so "2019" < "2020" and "KH" < "LA" either way. */
void tocmp_rank_values(struct interned *in) {
    in->sorted = tocmp_xmalloc((in->count ? in->count : 1) * sizeof *in->sorted);
    if (in->count) /* names is NULL when no row matched */
        memcpy(in->sorted, in->names, in->count * sizeof *in->sorted);
    double d;
    all_numeric = 1;
    for (size_t i = 0; i < in->count && all_numeric; i++)
        all_numeric = numeric_text(in->names[i], &d);
    qsort(in->sorted, in->count, sizeof *in->sorted, compare_texts);
    in->rank = tocmp_xmalloc((in->count ? in->count : 1) * sizeof *in->rank);
    for (size_t r = 0; r < in->count; r++)
        in->rank[tocmp_idmap_get_known(&in->ids, in->sorted[r])] = r;
}

void tocmp_interned_free(struct interned *in) {
    tocmp_idmap_free(&in->ids);
    free(in->names);
    free(in->rank);
    free(in->sorted);
}

static int compare_triples(const void *a, const void *b) {
    const struct triple *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

json_t *tocmp_dims_json(const struct indicator *ind, unsigned mask, const size_t *dims) {
    json_t *o = json_object();
    for (size_t d = 0; d < ind->dim_count; d++)
        if (mask & (1u << d))
            json_object_set_new(o, ind->dim_names[d], json_string(ind->dims[d].sorted[dims[d]]));
    return o;
}

const char *tocmp_period_name(const struct indicator *ind, long period) {
    if (period < 0)
        return "total";
    if (ind->period_col == TOCM_NONE)
        return "all";
    /* No row matched, so there is no period: the one cell (the grand total,
     * 0 for a count) is the total over none. */
    return (size_t)period < ind->periods.count ? ind->periods.sorted[period] : "total";
}

/* The non-empty texts of column name over the rows, joined with "; " (each
 * text once), or NULL. new. */
static char *joined_column(const struct indicator *ind, const size_t *rows, size_t n,
                           const char *name) {
    size_t col = tocmp_table_column(ind->table, name);
    if (col == TOCM_NONE)
        return NULL;
    tocmp_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        const char *text = ind->table->text[tocmp_table_cell(ind->table, rows[i], col)];
        if (!*text || (b.data && strstr(b.data, text)))
            continue;
        tocmp_buf_printf(&b, "%s%s", b.data ? "; " : "", text);
    }
    return b.data;
}

/* Comments, sources and texts: from a results table's own columns (for the
 * rows of the period itself, own[0..own_n)), and the indicator's "comments"
 * for this period and breakdown. */
static void add_texts(const struct indicator *ind, json_t *j, const size_t *own, size_t own_n) {
    int results = strcmp(ind->calc->name, "recorded") == 0;
    /* A results table's comments belong to the figures entered: the finest
     * breakdown (a total adds up many rows and would repeat them all). */
    int finest = json_object_size(json_object_get(j, "dims")) == ind->dim_count &&
                 strcmp(json_string_value(json_object_get(j, "period")), "total") != 0;
    /* A qualitative figure is one entry: the latest with a text (a total
     * over the periods: the latest period's). A cell over several breakdown
     * values has none of its own: texts do not add up. */
    size_t latest = own_n; /* own_n: none has a text */
    if (results && ind->qualitative && own_n) {
        size_t col = tocmp_table_column(ind->table, "value");
        for (size_t k = own_n; col != TOCM_NONE && latest == own_n && k-- > 0;)
            if (*ind->table->text[tocmp_table_cell(ind->table, own[k], col)])
                latest = k;
        if (json_object_size(json_object_get(j, "dims")) < ind->dim_count) {
            json_object_set_new(j, "note",
                                json_string("qualitative: see the figures by breakdown"));
            own_n = 0;
        } else if (!finest) {
            int found = latest < own_n;
            own += found ? latest : own_n - 1;
            own_n = 1;
            latest = found ? 0 : 1;
        }
    }
    if (results && own_n && (finest || ind->qualitative)) {
        static const char *const cols[][2] = {
            {"comment", "comment"}, {"source", "source"}, {"status", "assessed"}};
        for (size_t k = 0; k < 3; k++) {
            char *text = finest || k == 2 ? joined_column(ind, own, own_n, cols[k][0]) : NULL;
            if (text)
                json_object_set_new(j, cols[k][1], json_string(text));
            free(text);
        }
        if (ind->qualitative && latest < own_n) {
            const char *text = ind->table->text[tocmp_table_cell(
                ind->table, own[latest], tocmp_table_column(ind->table, "value"))];
            json_object_set_new(j, "text", json_string(text));
            json_object_set_new(j, "display", json_string(text));
            json_object_del(j, "note");
        } else if (ind->qualitative) {
            /* Entries with no text: not reported, and the comment says why. */
            char *why = joined_column(ind, own, own_n, "comment");
            char *note = why ? tocmp_asprintf("not reported: %s", why)
                             : tocmp_asprintf("not reported: no text entered for %s",
                                              json_string_value(json_object_get(j, "period")));
            json_object_set_new(j, "note", json_string(note));
            free(note);
            free(why);
        }
    }
    const char *period = json_string_value(json_object_get(j, "period"));
    json_t *dims = json_object_get(j, "dims");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(ind->def, "comments"), i, e) {
        json_t *p = json_object_get(e, "period");
        json_t *d = json_object_get(e, "dims");
        const char *text = json_string_value(json_object_get(e, "text"));
        if (!text || !json_is_string(p) || strcmp(json_string_value(p), period) != 0)
            continue;
        if (d ? !json_equal(d, dims) : json_object_size(dims) != 0)
            continue;
        const char *had = json_string_value(json_object_get(j, "comment"));
        char *both = had ? tocmp_asprintf("%s; %s", had, text) : tocmp_xstrdup(text);
        json_object_set_new(j, "comment", json_string(both));
        free(both);
    }
}

int tocmp_cell_unreported(const struct indicator *ind, size_t own, long period,
                          struct tocm_calc_result *r) {
    /* (With no period at all, the one cell is the total over none: a count
     * of 0 is a figure.) */
    if (own != 0 || ind->zero_fill || !ind->periods.count)
        return 0;
    /* No rows for the period: not reported, which is not zero; nor is the
     * total of a table with no rows at all. */
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    snprintf(r->note, sizeof r->note, "not reported: no data for %s",
             period >= 0                      ? tocmp_period_name(ind, period)
             : ind->aggregation == AGG_LATEST ? "the last period"
                                              : "any period");
    return 1;
}

void tocmp_calc_failed(struct ctx *c, const struct indicator *ind, const tocm_error *err) {
    const char *plugin = tocm_registry_plugin_of(c->reg, ind->calc);
    tocmp_engine_fail(c, "E409", tocmp_asprintf("/indicators/%zu/params", ind->index), ind->id,
                      tocmp_asprintf("indicator '%s': calculator '%s' (plugin '%s') failed: "
                                     "%s%s%s",
                                     ind->id, ind->calc->name, plugin ? plugin : "?",
                                     err->text[0] ? err->text : "no reason given",
                                     err->source[0] ? " — " : "", err->source));
}

void tocmp_add_cell(struct ctx *c, struct indicator *ind, struct tocm_calc_result r, size_t n,
                    const size_t *own_rows, size_t own, const size_t *dims, unsigned mask,
                    long period, json_t *cells_json) {
    if (r.has_value && !isfinite(r.value)) {
        /* A plugin bug must not put NaN in a report. */
        r.has_value = 0;
        snprintf(r.note, sizeof r.note, "the calculator returned no finite figure");
    }
    /* Figures entered directly are as people write them, like the plan:
     * 54 is 54 %; the engine holds percentages as fractions. */
    if (r.has_value && ind->percentage && strcmp(ind->calc->name, "recorded") == 0) {
        r.value /= 100.0;
        /* Each percentage entered is a figure of its own: a sum of several
         * (over breakdown values or periods) is no percentage of anything. */
        int margin = mask != (1u << ind->dim_count) - 1;
        if (margin || n > 1) {
            r.has_value = 0;
            snprintf(r.note, sizeof r.note, "not added up: percentages entered %s do not add up",
                     margin ? "by breakdown" : "per period");
        }
    }
    if (ind->cell_count == ind->cell_cap) {
        ind->cell_cap = ind->cell_cap ? ind->cell_cap * 2 : 64;
        ind->cells = tocmp_xrealloc(ind->cells, ind->cell_cap * sizeof *ind->cells);
    }
    struct cell *cell = &ind->cells[ind->cell_count++];
    memset(cell, 0, sizeof *cell);
    cell->mask = mask;
    cell->period = period;
    cell->r = r;
    for (size_t d = 0; d < ind->dim_count; d++)
        cell->dims[d] = dims[d];

    int in_output =
        !c->opts->period || strcmp(c->opts->period, tocmp_period_name(ind, period)) == 0;
    json_t *j = json_object();
    json_object_set_new(j, "period", json_string(tocmp_period_name(ind, period)));
    json_object_set_new(j, "dims", tocmp_dims_json(ind, mask, cell->dims));
    json_object_set_new(j, "value", r.has_value ? json_real(r.value) : json_null());
    if (r.has_ratio) {
        json_object_set_new(j, "numerator", json_real(r.numerator));
        json_object_set_new(j, "denominator", json_real(r.denominator));
    }
    char *display = tocmp_display(r.value, r.has_value, ind->percentage, ind->decimals);
    json_object_set_new(j, "display", json_string(display));
    free(display);
    json_object_set_new(j, "rows", json_integer((json_int_t)n));
    if (r.part_count) {
        json_t *parts = json_object();
        for (size_t p = 0; p < r.part_count && p < TOCM_CALC_MAX_PARTS; p++)
            json_object_set_new(parts, r.parts[p].name, json_real(r.parts[p].value));
        json_object_set_new(j, "parts", parts);
    }
    if (r.note[0])
        json_object_set_new(j, "note", json_string(r.note));
    add_texts(ind, j, own_rows, own);
    cell->json = j;
    tocmp_add_status(c, ind, cell);
    if (in_output)
        json_array_append_new(cells_json, j);
    else
        json_decref(j), cell->json = NULL;
}

/* Computes the figure for rows from[0..n) (possibly none), the last own of
 * them the period's own, a cell of the group whose first row is group_row
 * (TOCM_NONE for the empty grand total). */
static int compute_cell(struct ctx *c, struct indicator *ind, const struct triple *from, size_t n,
                        size_t own, size_t group_row, unsigned mask, long period,
                        json_t *cells_json, const struct tocm_calc_request *req) {
    size_t *rows = tocmp_xmalloc((n ? n : 1) * sizeof *rows);
    for (size_t i = 0; i < n; i++)
        rows[i] = from[i].row;
    struct tocm_calc_input input = {.size = sizeof input,
                                    .model = c->m,
                                    .table = ind->table,
                                    .rows = rows,
                                    .row_count = n,
                                    .request = req};
    struct tocm_calc_result r;
    tocm_error err;
    if (!tocmp_cell_unreported(ind, own, period, &r) &&
        tocmp_calc_call(ind->calc, tocm_registry_plugin_of(c->reg, ind->calc), &input, &r, &err) !=
            0) {
        free(rows);
        tocmp_calc_failed(c, ind, &err);
        return -1;
    }
    size_t dims[MAX_DIMS] = {0};
    if (group_row != TOCM_NONE)
        for (size_t d = 0; d < ind->dim_count; d++)
            dims[d] = ind->dims[d].rank[tocmp_idmap_get_known(
                &ind->dims[d].ids,
                ind->table->text[tocmp_table_cell(ind->table, group_row, ind->dim_cols[d])])];
    /* The period's own rows are the last `own` of the cell's rows. */
    tocmp_add_cell(c, ind, r, n, rows + (n - own), own, dims, mask, period, cells_json);
    free(rows);
    return 0;
}

/* The key of filtered row i in the subset mask: its values' ranks in the
 * subset's dimensions, as one mixed-radix number. */
static size_t subset_key(const struct indicator *ind, size_t *const *dim_of, unsigned mask,
                         size_t i) {
    size_t key = 0;
    for (size_t d = 0; d < ind->dim_count; d++)
        if (mask & (1u << d))
            key = key * ind->dims[d].count + ind->dims[d].rank[dim_of[d][i]];
    return key;
}

/* The rows of one subset as (key, period, row) triples sorted in the order
 * compare_triples defines. When the keys and periods make few buckets (a
 * breakdown by country and sex over years has hundreds), a counting sort
 * places them in two passes over the rows, with no unsorted copy; being
 * stable, on rows that come in ascending order, it gives qsort's order.
 * new: free(). */
static struct triple *sorted_triples(const struct indicator *ind, const size_t *rows, size_t n,
                                     const size_t *period_of, size_t *const *dim_of,
                                     unsigned mask) {
    size_t periods = ind->periods.count ? ind->periods.count : 1;
    size_t key_space = 1; /* 0: too many to count */
    for (size_t d = 0; d < ind->dim_count && key_space; d++)
        if (mask & (1u << d))
            key_space = ind->dims[d].count && key_space <= SIZE_MAX / ind->dims[d].count
                            ? key_space * ind->dims[d].count
                            : 0;
    struct triple *t = tocmp_xmalloc((n ? n : 1) * sizeof *t);
    if (key_space == 0 || key_space > (2 * n + 4096) / periods) {
        for (size_t i = 0; i < n; i++)
            t[i] = (struct triple){
                .key = subset_key(ind, dim_of, mask, i), .period = period_of[i], .row = rows[i]};
        qsort(t, n, sizeof *t, compare_triples);
        return t;
    }
    size_t buckets = key_space * periods;
    size_t *next = tocmp_xcalloc(buckets + 1, sizeof *next);
    for (size_t i = 0; i < n; i++)
        next[subset_key(ind, dim_of, mask, i) * periods + period_of[i] + 1]++;
    for (size_t b = 1; b <= buckets; b++)
        next[b] += next[b - 1];
    for (size_t i = 0; i < n; i++) {
        size_t key = subset_key(ind, dim_of, mask, i);
        t[next[key * periods + period_of[i]]++] =
            (struct triple){.key = key, .period = period_of[i], .row = rows[i]};
    }
    free(next);
    return t;
}

/* Cells of one subset of dimensions. */
int tocmp_compute_subset(struct ctx *c, struct indicator *ind, const size_t *rows, size_t row_count,
                         const size_t *period_of, size_t *const *dim_of, unsigned mask,
                         json_t *cells_json, const struct tocm_calc_request *req) {
    struct triple *t = sorted_triples(ind, rows, row_count, period_of, dim_of, mask);
    size_t periods = ind->periods.count ? ind->periods.count : 1;
    int rc = 0;
    /* Every combination of values that occurs gets a cell in every period:
     * a table with many periods and many values (a few hundred kilobytes of
     * CSV) would ask for hundreds of millions. Count them before making
     * any, and refuse past the limit. */
    size_t groups = row_count ? 1 : 0;
    for (size_t i = 1; i < row_count; i++)
        groups += t[i].key != t[i - 1].key;
    size_t per_group = periods + (periods > 1);
    size_t cells = (groups ? groups : 1) * per_group;
    if (groups > TOCMP_REPORT_MAX_CELLS / per_group ||
        cells > TOCMP_REPORT_MAX_CELLS - ind->cell_count) {
        tocmp_engine_fail(
            c, "E413", tocmp_asprintf("/indicators/%zu", ind->index), ind->id,
            tocmp_asprintf("indicator '%s' has too many cells to report: %zu combinations of "
                           "values over %zu period%s (the limit is %d cells per indicator); "
                           "break it down by fewer columns, or filter its rows",
                           ind->id, groups, periods, periods == 1 ? "" : "s",
                           TOCMP_REPORT_MAX_CELLS));
        free(t);
        return -1;
    }
    /* The grand total exists even with no rows (a count of 0 is a figure);
     * a breakdown has a cell only for values that occur. */
    if (row_count == 0 && mask != 0) {
        free(t);
        return 0;
    }
    /* The last period with figures: later ones are plan only. */
    size_t last_data = 0;
    for (size_t i = 0; i < row_count; i++)
        if (period_of[i] > last_data)
            last_data = period_of[i];
    size_t start = 0;
    do {
        size_t group_row = row_count ? t[start].row : TOCM_NONE;
        size_t end = start;
        while (end < row_count && t[end].key == t[start].key)
            end++;
        size_t run = start;
        for (size_t p = 0; p < periods && rc == 0; p++) {
            size_t run_end = run;
            while (run_end < end && t[run_end].period == p)
                run_end++;
            if (ind->aggregation == AGG_CUMULATIVE)
                rc = compute_cell(c, ind, t + start, run_end - start, run_end - run, group_row,
                                  mask, (long)p, cells_json, req);
            else
                rc = compute_cell(c, ind, t + run, run_end - run, run_end - run, group_row, mask,
                                  (long)p, cells_json, req);
            run = run_end;
        }
        if (rc == 0 && periods > 1) {
            if (ind->aggregation == AGG_LATEST) {
                /* The indicator's last period with figures, not this
                 * group's: a group with no rows then is not reported, as its
                 * last column shows. */
                size_t last = end;
                while (last > start && t[last - 1].period == last_data)
                    last--;
                rc = compute_cell(c, ind, t + last, end - last, end - last, group_row, mask, -1,
                                  cells_json, req);
            } else {
                rc = compute_cell(c, ind, t + start, end - start, end - start, group_row, mask, -1,
                                  cells_json, req);
            }
        }
        start = end;
    } while (start < row_count && rc == 0);
    free(t);
    return rc;
}
