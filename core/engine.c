/*
 * engine.c -- computes the indicators of a model from its data tables.
 *
 * For each indicator: filter the table's rows, group them by every subset of
 * the disaggregation columns (the full breakdown, each margin and the grand
 * total) and by period, and hand each group's rows to the calculator plugin.
 * Every figure, totals included, is computed from rows: a share across
 * countries is numerator-sum over denominator-sum, a distinct count across
 * countries counts each person once. Nothing is ever averaged or added up
 * from rounded parts.
 *
 * Grouping sorts (key, period, row) triples once per subset, so each group's
 * rows are contiguous and each period's rows a contiguous run inside it:
 * a periodic cell is a run, a cumulative cell a prefix, the total the whole
 * group. Cost: O(r log r) per subset for r matching rows, O(r) when the
 * combinations of values are few enough for a counting sort.
 */
#include <libgen.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "engine_internal.h"
#include "model_internal.h"
#include "table.h"
#include "util.h"

#define MAX_DIMS 6

/* One computed figure, kept for the reconciliation and reported checks. */
struct cell {
    unsigned mask;        /* which dimensions it is broken down by */
    long period;          /* period rank, or -1 for the total over periods */
    size_t dims[MAX_DIMS]; /* value rank per dimension (valid where mask has it) */
    struct tocm_calc_result r;
    json_t *json;         /* borrowed from the indicator's cells array */
};

struct interned {
    tocmp_idmap ids;      /* text -> id in first-seen order */
    const char **names;   /* id -> text (borrowed from the table) */
    size_t *rank;         /* id -> position in sorted order */
    const char **sorted;  /* rank -> text */
    size_t count, cap;
};

struct ctx {
    const tocm_model *m;
    const tocm_registry *reg;
    const struct tocmp_report_options *opts;
    tocm_diags *diags;
    json_t *tables_def;
    tocmp_idmap table_ids; /* table name -> index in tables[] */
    struct tocm_table **tables;
    size_t table_count;
    char *model_dir;
    json_t *checks;
    size_t errors;
};

static void fail(struct ctx *c, const char *code, char *path, const char *indicator,
                 char *message) {
    tocm_diags_add(c->diags, TOCM_SEV_ERROR, code, c->m->file, 0, 0, path, indicator, "%s",
                   message);
    c->errors++;
    free(path);
    free(message);
}

double tocmp_round(double value, int decimals) {
    double scale = pow(10, decimals);
    /* The nudge keeps 0.365 (stored as 0.36499999...) rounding to 0.37 as a
     * person would, without moving any value that is not on a boundary. */
    double scaled = value * scale;
    return round(scaled + (scaled >= 0 ? 1e-9 : -1e-9)) / scale;
}

char *tocmp_display(double value, int has_value, int percentage, int decimals) {
    if (!has_value)
        return tocmp_xstrdup("\xe2\x80\x93"); /* an en dash, as reports print */
    double v = tocmp_round(percentage ? value * 100 : value, decimals);
    char digits[64];
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v));
    if (v == 0)
        snprintf(digits, sizeof digits, "%.*f", decimals, 0.0); /* no "-0" */
    /* Thousands separators in the whole part: 8562 -> 8,562. */
    char *dot = strchr(digits, '.');
    size_t whole = dot ? (size_t)(dot - digits) : strlen(digits);
    tocmp_buf b = {0};
    if (v < 0)
        tocmp_buf_puts(&b, "-");
    for (size_t i = 0; i < whole; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            tocmp_buf_puts(&b, ",");
        tocmp_buf_append(&b, digits + i, 1);
    }
    if (dot)
        tocmp_buf_puts(&b, dot);
    if (percentage)
        tocmp_buf_puts(&b, "%");
    return b.data;
}

/* ---- interning column values ------------------------------------------ */

static size_t intern(struct interned *in, const char *text) {
    size_t id = tocmp_idmap_get(&in->ids, text);
    if (id != (size_t)-1)
        return id;
    if (in->count == in->cap) {
        in->cap = in->cap ? in->cap * 2 : 16;
        in->names = tocmp_xrealloc(in->names, in->cap * sizeof *in->names);
    }
    in->names[in->count] = text;
    tocmp_idmap_put(&in->ids, text, in->count);
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
static void rank_values(struct interned *in) {
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
        in->rank[tocmp_idmap_get(&in->ids, in->sorted[r])] = r;
}

static void interned_free(struct interned *in) {
    tocmp_idmap_free(&in->ids);
    free(in->names);
    free(in->rank);
    free(in->sorted);
}

/* ---- tables ----------------------------------------------------------- */

static struct tocm_table *table_for(struct ctx *c, const char *name, size_t ind_index) {
    size_t id = tocmp_idmap_get(&c->table_ids, name);
    if (id != (size_t)-1)
        return c->tables[id]; /* NULL: it failed, and that is reported already */
    json_t *def = json_object_get(c->tables_def, name);
    const char *rel = json_string_value(json_object_get(def, "path"));
    char *path = rel[0] == '/' || strcmp(c->model_dir, ".") == 0
                     ? tocmp_xstrdup(rel)
                     : tocmp_asprintf("%s/%s", c->model_dir, rel);
    json_t *columns = json_object_get(def, "columns");
    size_t spec_count = json_object_size(columns), k = 0;
    struct tocmp_column_spec *specs = tocmp_xcalloc(spec_count, sizeof *specs);
    const char *col;
    json_t *type;
    json_object_foreach(columns, col, type) {
        const char *t = json_string_value(type);
        specs[k].name = col;
        specs[k++].type = strcmp(t, "integer") == 0   ? TOCM_CELL_INTEGER
                          : strcmp(t, "decimal") == 0 ? TOCM_CELL_DECIMAL
                          : strcmp(t, "date") == 0    ? TOCM_CELL_DATE
                                                      : TOCM_CELL_TEXT;
    }
    /* Name the file as the user wrote it, relative to where they ran tocm. */
    struct tocm_table *t = tocmp_table_load(path, path, specs, spec_count, c->diags);
    free(specs);
    free(path);
    (void)ind_index;
    /* A table that cannot be read is remembered too (as NULL), so its error
     * is reported once, not once per indicator that reads it. */
    if (!t)
        c->errors++;
    c->tables = tocmp_xrealloc(c->tables, (c->table_count + 1) * sizeof *c->tables);
    c->tables[c->table_count] = t;
    /* The name is borrowed from the model's JSON, which outlives the map. */
    tocmp_idmap_put(&c->table_ids, name, c->table_count);
    return c->tables[c->table_count++];
}

/* ---- one indicator ----------------------------------------------------- */

struct indicator {
    size_t index;
    json_t *def;
    const char *id;
    const struct tocm_calculator *calc;
    struct tocm_table *table;
    int percentage, decimals, lower_is_better;
    enum { AGG_PERIODIC, AGG_CUMULATIVE, AGG_LATEST } aggregation;
    size_t period_col; /* TOCM_NONE: one period, "all" */
    size_t dim_cols[MAX_DIMS];
    const char *dim_names[MAX_DIMS];
    size_t dim_count;
    struct interned periods;
    struct interned dims[MAX_DIMS];
    struct cell *cells;
    size_t cell_count, cell_cap;
};

struct triple {
    size_t key, period, row;
};

static int compare_triples(const void *a, const void *b) {
    const struct triple *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static size_t column_or_fail(struct ctx *c, struct indicator *ind, const char *name,
                             const char *field) {
    size_t col = tocmp_table_column(ind->table, name);
    if (col == TOCM_NONE)
        fail(c, "E408", tocmp_asprintf("/indicators/%zu/%s", ind->index, field), ind->id,
             tocmp_asprintf("indicator '%s': the table %s has no column '%s' (named by '%s')",
                            ind->id, ind->table->path, name, field));
    return col;
}

static json_t *dims_json(const struct indicator *ind, unsigned mask, const size_t *dims) {
    json_t *o = json_object();
    for (size_t d = 0; d < ind->dim_count; d++)
        if (mask & (1u << d))
            json_object_set_new(o, ind->dim_names[d], json_string(ind->dims[d].sorted[dims[d]]));
    return o;
}

static const char *period_name(const struct indicator *ind, long period) {
    if (period < 0)
        return "total";
    if (ind->period_col == TOCM_NONE)
        return "all";
    /* No row matched, so there is no period: the one cell (the grand total,
     * 0 for a count) is the total over none. */
    return (size_t)period < ind->periods.count ? ind->periods.sorted[period] : "total";
}

/* The status of a total cell against the indicator's target for its period. */
static void add_status(struct ctx *c, const struct indicator *ind, const struct cell *cell) {
    json_t *targets = json_object_get(ind->def, "targets");
    json_t *target = json_object_get(targets, period_name(ind, cell->period));
    if (!json_is_number(target))
        return;
    double t = json_number_value(target);
    json_object_set_new(cell->json, "target", json_real(t));
    if (!cell->r.has_value) {
        json_object_set_new(cell->json, "status", json_string("no data"));
        return;
    }
    json_t *baseline = json_object_get(json_object_get(ind->def, "baseline"), "value");
    double b = json_is_number(baseline) ? json_number_value(baseline) : 0;
    json_t *thresholds = json_object_get(json_object_get(c->m->root, "status"), "thresholds");
    json_t *on = json_object_get(thresholds, "on_track");
    double on_track = json_is_number(on) ? json_number_value(on) : 0.8;
    json_t *ach = json_object_get(thresholds, "achieved");
    double achieved = json_is_number(ach) ? json_number_value(ach) : 1.0;
    double v = cell->r.value;
    const char *status;
    if (ind->lower_is_better ? v <= t : v >= t) {
        status = "achieved";
    } else {
        /* How far from the baseline towards the target we have come. */
        double progress = t != b ? (v - b) / (t - b) : 0;
        status = progress >= achieved   ? "achieved"
                 : progress >= on_track ? "on track"
                                        : "off track";
        json_object_set_new(cell->json, "progress", json_real(progress));
    }
    json_object_set_new(cell->json, "status", json_string(status));
}

/* Computes the figure for rows from[0..n) (possibly none), a cell of the
 * group whose first row is group_row (TOCM_NONE for the empty grand total). */
static int compute_cell(struct ctx *c, struct indicator *ind, const struct triple *from,
                        size_t n, size_t group_row, unsigned mask, long period,
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
    struct tocm_calc_result r = {.size = sizeof r};
    tocm_error err = {0};
    int rc = ind->calc->compute(tocm_host_table(), &input, &r, &err);
    free(rows);
    if (rc != 0) {
        fail(c, "E409", tocmp_asprintf("/indicators/%zu/params", ind->index), ind->id,
             tocmp_asprintf("indicator '%s': calculator '%s' failed: %s%s%s", ind->id,
                            ind->calc->name, err.text[0] ? err.text : "no reason given",
                            err.source[0] ? " — " : "", err.source));
        return -1;
    }
    if (r.has_value && !isfinite(r.value)) {
        /* A plugin bug must not put NaN in a report. */
        r.has_value = 0;
        snprintf(r.note, sizeof r.note, "the calculator returned no finite figure");
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
    if (group_row != TOCM_NONE)
        for (size_t d = 0; d < ind->dim_count; d++)
            cell->dims[d] = ind->dims[d].rank[tocmp_idmap_get(
                &ind->dims[d].ids,
                ind->table->text[tocmp_table_cell(ind->table, group_row, ind->dim_cols[d])])];

    int in_output = !c->opts->period || strcmp(c->opts->period, period_name(ind, period)) == 0;
    json_t *j = json_object();
    json_object_set_new(j, "period", json_string(period_name(ind, period)));
    json_object_set_new(j, "dims", dims_json(ind, mask, cell->dims));
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
    cell->json = j;
    if (mask == 0)
        add_status(c, ind, cell);
    if (in_output)
        json_array_append_new(cells_json, j);
    else
        json_decref(j), cell->json = NULL;
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
static int compute_subset(struct ctx *c, struct indicator *ind, const size_t *rows,
                          size_t row_count, const size_t *period_of, size_t *const *dim_of,
                          unsigned mask, json_t *cells_json, const struct tocm_calc_request *req) {
    struct triple *t = sorted_triples(ind, rows, row_count, period_of, dim_of, mask);
    size_t periods = ind->periods.count ? ind->periods.count : 1;
    int rc = 0;
    /* The grand total exists even with no rows (a count of 0 is a figure);
     * a breakdown has a cell only for values that occur. */
    if (row_count == 0 && mask != 0) {
        free(t);
        return 0;
    }
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
                rc = compute_cell(c, ind, t + start, run_end - start, group_row, mask, (long)p,
                                  cells_json, req);
            else
                rc = compute_cell(c, ind, t + run, run_end - run, group_row, mask, (long)p,
                                  cells_json, req);
            run = run_end;
        }
        if (rc == 0 && periods > 1) {
            if (ind->aggregation == AGG_LATEST) {
                /* The indicator's last period, not this group's: a group with
                 * no rows then has the total its last column shows, and the
                 * parts of a total still add up to it. */
                size_t last = end;
                while (last > start && t[last - 1].period == periods - 1)
                    last--;
                rc = compute_cell(c, ind, t + last, end - last, group_row, mask, -1, cells_json,
                                  req);
            } else {
                rc = compute_cell(c, ind, t + start, end - start, group_row, mask, -1,
                                  cells_json, req);
            }
        }
        start = end;
    } while (start < row_count && rc == 0);
    free(t);
    return rc;
}

/* ---- checks ----------------------------------------------------------- */

static void add_check(struct ctx *c, const struct indicator *ind, const char *kind,
                      const struct cell *cell, char *message) {
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(kind));
    json_object_set_new(o, "indicator", json_string(ind->id));
    if (cell) {
        json_object_set_new(o, "period", json_string(period_name(ind, cell->period)));
        json_object_set_new(o, "dims", dims_json(ind, cell->mask, cell->dims));
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
static void reconcile(struct ctx *c, const struct indicator *ind) {
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
        tocmp_idmap_put(&ids, keys[i], i);
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
            if (p == (size_t)-1)
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
        if (!additive && !parent->r.has_ratio)
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
                add_check(c, ind, "reconciliation", parent,
                          tocmp_asprintf("the parts by '%s' do not add up to this figure "
                                         "(parts %g, total %g)",
                                         ind->dim_names[d],
                                         parent->r.has_ratio ? s->den : s->value,
                                         parent->r.has_ratio ? parent->r.denominator
                                                             : parent->r.value));
        }
    }
    free(sums);
    tocmp_idmap_free(&ids);
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}

static const struct cell *find_cell(const struct indicator *ind, const char *period,
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
        if (id == (size_t)-1)
            return NULL;
        mask |= 1u << d;
        want[d] = ind->dims[d].rank[id];
    }
    for (size_t i = 0; i < ind->cell_count; i++) {
        const struct cell *cell = &ind->cells[i];
        if (cell->mask != mask || strcmp(period_name(ind, cell->period), period) != 0)
            continue;
        size_t d = 0;
        while (d < ind->dim_count && (!(mask & (1u << d)) || cell->dims[d] == want[d]))
            d++;
        if (d == ind->dim_count)
            return cell;
    }
    return NULL;
}

/* Every figure the model records as printed is compared with the computed
 * one, rounded the way the indicator is displayed. */
static void check_reported(struct ctx *c, const struct indicator *ind) {
    json_t *reported = json_object_get(ind->def, "reported");
    size_t i;
    json_t *entry;
    json_array_foreach(reported, i, entry) {
        json_t *pv = json_object_get(entry, "period");
        const char *period = json_is_string(pv) ? json_string_value(pv)
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
        const struct cell *cell = find_cell(ind, period, dims);
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
            double shown = tocmp_round(
                ind->percentage ? cell->r.value * 100 : cell->r.value, ind->decimals);
            double printed = tocmp_round(json_number_value(value), ind->decimals);
            if (!cell->r.has_value || !json_is_number(value) || !close_enough(shown, printed)) {
                char *display = tocmp_display(cell->r.value, cell->r.has_value, ind->percentage,
                                              ind->decimals);
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
}

/* ---- driver ----------------------------------------------------------- */

static void indicator_free(struct indicator *ind) {
    interned_free(&ind->periods);
    for (size_t d = 0; d < ind->dim_count; d++)
        interned_free(&ind->dims[d]);
    free(ind->cells);
}

static json_t *compute_indicator(struct ctx *c, size_t index, json_t *def) {
    struct indicator ind = {.index = index, .def = def};
    ind.id = json_string_value(json_object_get(def, "id"));
    const char *calc_name = json_string_value(json_object_get(def, "calculator"));
    ind.calc = tocm_registry_calculator(c->reg, calc_name);
    if (!ind.calc) {
        fail(c, "E407", tocmp_asprintf("/indicators/%zu/calculator", index), ind.id,
             tocmp_asprintf("indicator '%s' uses calculator '%s', which no loaded plugin "
                            "provides (see 'tocm plugins')",
                            ind.id, calc_name));
        return NULL;
    }
    ind.table = table_for(c, json_string_value(json_object_get(def, "table")), index);
    if (!ind.table)
        return NULL;
    const char *measure = json_string_value(json_object_get(def, "measure"));
    ind.percentage = measure && strcmp(measure, "percentage") == 0;
    json_t *rounding = json_object_get(def, "rounding");
    ind.decimals = json_is_integer(rounding) ? (int)json_integer_value(rounding) : 0;
    const char *direction = json_string_value(json_object_get(def, "direction"));
    ind.lower_is_better = direction && strcmp(direction, "lower") == 0;
    const char *agg = json_string_value(json_object_get(def, "aggregation"));
    ind.aggregation = !agg                               ? AGG_PERIODIC
                      : strcmp(agg, "cumulative") == 0 ? AGG_CUMULATIVE
                      : strcmp(agg, "latest") == 0     ? AGG_LATEST
                                                       : AGG_PERIODIC;

    size_t errors = c->errors;
    const char *period = json_string_value(json_object_get(def, "period"));
    ind.period_col = period ? column_or_fail(c, &ind, period, "period") : TOCM_NONE;
    json_t *dis = json_object_get(def, "disaggregate");
    if (json_array_size(dis) > MAX_DIMS) {
        fail(c, "E004", tocmp_asprintf("/indicators/%zu/disaggregate", index), ind.id,
             tocmp_asprintf("indicator '%s': at most %d disaggregation columns", ind.id,
                            MAX_DIMS));
        return NULL;
    }
    size_t k;
    json_t *dim;
    json_array_foreach(dis, k, dim) {
        ind.dim_names[k] = json_string_value(dim);
        ind.dim_cols[k] = ind.dim_names[k] ? column_or_fail(c, &ind, ind.dim_names[k],
                                                            "disaggregate")
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

    /* Filter, and intern each row's period and dimension values. */
    const struct tocm_table *t = ind.table;
    size_t *rows = tocmp_xmalloc((t->row_count ? t->row_count : 1) * sizeof *rows);
    size_t *period_id = tocmp_xmalloc((t->row_count ? t->row_count : 1) * sizeof *period_id);
    size_t *dim_ids[MAX_DIMS];
    for (size_t d = 0; d < ind.dim_count; d++)
        dim_ids[d] = tocmp_xmalloc((t->row_count ? t->row_count : 1) * sizeof *dim_ids[d]);
    size_t n = 0;
    for (size_t row = 0; row < t->row_count; row++) {
        if (filter && !tocmp_filter_matches(filter, t, row))
            continue;
        rows[n] = row;
        period_id[n] = ind.period_col == TOCM_NONE
                           ? 0
                           : intern(&ind.periods,
                                    t->text[tocmp_table_cell(t, row, ind.period_col)]);
        for (size_t d = 0; d < ind.dim_count; d++)
            dim_ids[d][n] =
                intern(&ind.dims[d], t->text[tocmp_table_cell(t, row, ind.dim_cols[d])]);
        n++;
    }
    if (ind.period_col == TOCM_NONE)
        intern(&ind.periods, "all");
    rank_values(&ind.periods);
    for (size_t i = 0; i < n; i++)
        period_id[i] = ind.periods.rank[period_id[i]];
    for (size_t d = 0; d < ind.dim_count; d++)
        rank_values(&ind.dims[d]);

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
    if (json_object_get(def, "baseline"))
        json_object_set(out, "baseline", json_object_get(def, "baseline"));

    json_t *cells = json_array();
    struct tocm_calc_request req = {.params = json_object_get(def, "params"), .table = t};
    int rc = 0;
    /* The total first, then each dimension alone, then combinations. */
    for (unsigned size = 0; size <= ind.dim_count && rc == 0; size++)
        for (unsigned mask = 0; mask < (1u << ind.dim_count) && rc == 0; mask++)
            if ((unsigned)__builtin_popcount(mask) == size)
                rc = compute_subset(c, &ind, rows, n, period_id, dim_ids, mask, cells, &req);
    json_object_set_new(out, "cells", cells);
    if (rc == 0) {
        reconcile(c, &ind);
        check_reported(c, &ind);
    }
    free(rows);
    free(period_id);
    for (size_t d = 0; d < ind.dim_count; d++)
        free(dim_ids[d]);
    indicator_free(&ind);
    if (rc != 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* Counts one status on every node reachable upwards from the start nodes,
 * each node once however many paths lead to it. */
static void spread(const tocm_model *m, const size_t *starts, size_t start_count,
                   json_t **counts, const char *status, unsigned char *seen, size_t *queue) {
    memset(seen, 0, m->node_count);
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < start_count; i++) {
        if (starts[i] == TOCM_NO_NODE || seen[starts[i]])
            continue;
        seen[starts[i]] = 1;
        queue[tail++] = starts[i];
    }
    while (head < tail) {
        size_t u = queue[head++];
        if (!counts[u])
            counts[u] = json_object();
        json_t *count = json_object_get(counts[u], status);
        json_object_set_new(counts[u], status,
                            json_integer(count ? json_integer_value(count) + 1 : 1));
        for (size_t e = 0; e < m->nodes[u].out_count; e++) {
            size_t w = m->out_edges[m->nodes[u].out_begin + e];
            if (!seen[w]) {
                seen[w] = 1;
                queue[tail++] = w;
            }
        }
    }
}

/* Each outcome (and the goal) with the statuses of the indicators and
 * projects beneath it: an indicator or project status counts for its own
 * node(s) and once for every node they lead to. */
static json_t *rollup(const tocm_model *m, json_t *indicators) {
    size_t n = m->node_count;
    json_t **ind_status = tocmp_xcalloc(n ? n : 1, sizeof *ind_status);
    json_t **proj_status = tocmp_xcalloc(n ? n : 1, sizeof *proj_status);
    unsigned char *seen = tocmp_xcalloc(n ? n : 1, 1);
    size_t *queue = tocmp_xmalloc((n ? n : 1) * sizeof *queue);

    size_t i;
    json_t *ind;
    json_array_foreach(indicators, i, ind) {
        /* The status of the latest period's total that has a target. */
        const char *status = NULL;
        size_t k;
        json_t *cell;
        json_array_foreach(json_object_get(ind, "cells"), k, cell) {
            if (json_object_size(json_object_get(cell, "dims")) == 0 &&
                json_object_get(cell, "status") &&
                strcmp(json_string_value(json_object_get(cell, "period")), "total") != 0)
                status = json_string_value(json_object_get(cell, "status"));
        }
        json_t *nodes = json_object_get(ind, "nodes");
        size_t count = json_array_size(nodes);
        size_t *starts = tocmp_xmalloc((count ? count : 1) * sizeof *starts);
        json_t *node_id;
        json_array_foreach(nodes, k, node_id) starts[k] =
            tocm_model_find_node(m, json_string_value(node_id));
        spread(m, starts, count, ind_status, status ? status : "no target", seen, queue);
        free(starts);
    }
    for (size_t node = 0; node < n; node++) {
        const char *status = tocm_node_status(m, node);
        if (status)
            spread(m, &node, 1, proj_status, status, seen, queue);
    }
    json_t *out = json_array();
    for (size_t node = 0; node < n; node++) {
        long level = m->nodes[node].level;
        if (level < 0 || !(level == 0 || m->levels[level].outcome))
            continue;
        if (!ind_status[node] && !proj_status[node])
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "node", json_string(m->nodes[node].id));
        json_object_set_new(o, "level", json_string(m->levels[level].id));
        json_object_set_new(o, "title", json_string(m->nodes[node].title));
        json_object_set_new(o, "indicators", ind_status[node] ? ind_status[node] : json_object());
        json_object_set_new(o, "projects", proj_status[node] ? proj_status[node] : json_object());
        ind_status[node] = proj_status[node] = NULL;
        json_array_append_new(out, o);
    }
    for (size_t node = 0; node < n; node++) {
        json_decref(ind_status[node]);
        json_decref(proj_status[node]);
    }
    free(ind_status);
    free(proj_status);
    free(seen);
    free(queue);
    return out;
}

json_t *tocmp_compute_report(const tocm_model *m, const tocm_registry *reg,
                             const struct tocmp_report_options *opts, tocm_diags *diags) {
    struct ctx c = {.m = m, .reg = reg, .opts = opts, .diags = diags};
    c.tables_def = json_object_get(m->root, "tables");
    tocmp_idmap_init(&c.table_ids, 8);
    char *copy = tocmp_xstrdup(m->file);
    c.model_dir = tocmp_xstrdup(dirname(copy));
    free(copy);
    c.checks = json_array();

    json_t *indicators = json_array();
    json_t *defs = json_object_get(m->root, "indicators");
    size_t i;
    json_t *def;
    int found = !opts->indicator;
    json_array_foreach(defs, i, def) {
        const char *id = json_string_value(json_object_get(def, "id"));
        if (opts->indicator && strcmp(opts->indicator, id) != 0)
            continue;
        found = 1;
        json_t *result = compute_indicator(&c, i, def);
        if (result)
            json_array_append_new(indicators, result);
    }
    if (!found)
        fail(&c, "E410", tocmp_xstrdup("/indicators"), opts->indicator,
             tocmp_asprintf("the model has no indicator '%s'", opts->indicator));

    json_t *report = NULL;
    if (c.errors == 0) {
        report = json_object();
        json_t *program = json_object();
        json_object_set_new(program, "id", json_string(m->program_id ? m->program_id : ""));
        json_object_set_new(program, "title",
                            json_string(m->program_title ? m->program_title : ""));
        json_object_set_new(report, "program", program);
        json_object_set_new(report, "indicators", indicators);
        json_object_set_new(report, "checks", c.checks);
        json_object_set_new(report, "rollup", rollup(m, indicators));
    } else {
        json_decref(indicators);
        json_decref(c.checks);
    }
    for (size_t t = 0; t < c.table_count; t++)
        tocmp_table_free(c.tables[t]);
    free(c.tables);
    tocmp_idmap_free(&c.table_ids);
    free(c.model_dir);
    return report;
}
