/*
 * engine_fold.c -- computing an indicator in one pass over its rows, with a
 * calculator that is a mergeable aggregate (plugin ABI 1.4).
 *
 * Each filtered row is folded once into the state of its finest cell: every
 * disaggregation column x period. Every other cell is a combine of finest
 * states: a margin combines the finest cells that share its values, a
 * cumulative cell the periods up to its own, a total every period. The
 * cells come out in the order, and with the figures, that computing each
 * one from its rows (engine_group.c) gives: the calculator promises that its
 * states merge to exactly what it would have computed from the union of
 * rows (numerators and denominators, exact sums, sets), never a figure of
 * figures.
 *
 * Rows go to the calculator in batches of consecutive table rows, each
 * column as its contiguous slice of the table's column-major arrays: no
 * copy, one call per batch rather than one per row and cell.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_parts.h"
#include "util.h"

#define NO_STATE UINT32_MAX

void *tocmp_pool_at(const struct tocmp_pool *p, size_t i) {
    return p->chunks[i / TOCMP_POOL_CHUNK] + (i % TOCMP_POOL_CHUNK) * p->size;
}

void *tocmp_pool_new(struct tocmp_pool *p) {
    if (p->count % TOCMP_POOL_CHUNK == 0) {
        size_t nchunks = p->count / TOCMP_POOL_CHUNK;
        p->chunks = tocmp_xrealloc(p->chunks, (nchunks + 1) * sizeof *p->chunks);
        p->chunks[nchunks] = tocmp_xcalloc(TOCMP_POOL_CHUNK, p->size);
    }
    return tocmp_pool_at(p, p->count++);
}

void tocmp_state_init(struct tocmp_fold *f, void *state) {
    tocmp_guard_enter(f->plugin, &f->err);
    f->agg->init(f->host, &f->plan, state);
    tocmp_guard_leave(0, &f->err); /* init cannot fail; a misuse is caught later */
}

int tocmp_state_combine(struct tocmp_fold *f, void *into, const void *from) {
    tocmp_guard_enter(f->plugin, &f->err);
    return tocmp_guard_leave(f->agg->combine(f->host, &f->plan, into, from, &f->err), &f->err);
}

/* Combines from into into; a failure is reported. */
static int state_combine(struct tocmp_fold *f, void *into, const void *from) {
    if (tocmp_state_combine(f, into, from) == 0)
        return 0;
    tocmp_calc_failed(f->c, f->ind, &f->err);
    return -1;
}

static void state_release(struct tocmp_fold *f, void *state) {
    if (!f->agg->release)
        return;
    tocmp_guard_enter(f->plugin, &f->err);
    f->agg->release(f->host, &f->plan, state);
    tocmp_guard_leave(0, &f->err);
}

void tocmp_pool_free(struct tocmp_fold *f, struct tocmp_pool *p) {
    for (size_t i = 0; i < p->count; i++)
        state_release(f, tocmp_pool_at(p, i));
    for (size_t k = 0; k < (p->count + TOCMP_POOL_CHUNK - 1) / TOCMP_POOL_CHUNK; k++)
        free(p->chunks[k]);
    free(p->chunks);
    memset(p, 0, sizeof *p);
}

/* The cell of state (NULL: no rows) over n rows, own of them its period's. */
static int emit(struct tocmp_fold *f, const void *state, void *empty, size_t n, size_t own,
                const size_t *dims, unsigned mask, long period, json_t *cells_json) {
    struct tocm_calc_result r;
    if (!tocmp_cell_unreported(f->ind, own, period, &r) &&
        tocmp_agg_finalize(f->ind->calc, f->plugin, &f->plan, state ? state : empty, &r, &f->err) !=
            0) {
        tocmp_calc_failed(f->c, f->ind, &f->err);
        return -1;
    }
    tocmp_add_cell(f->c, f->ind, r, n, NULL, own, dims, mask, period, cells_json);
    return 0;
}

/* Folds rows[0..n) into finest states: finest->count states, state i for
 * the finest key key_of[i] over rows_of[i] rows. */
static int fold_rows(struct tocmp_fold *f, const size_t *rows, size_t n, const size_t *period_of,
                     size_t *const *dim_of, size_t periods, uint32_t *slot,
                     struct tocmp_pool *finest, size_t **key_of, size_t **rows_of,
                     const struct tocm_calc_request *req) {
    const struct indicator *ind = f->ind;
    const struct tocm_table *t = ind->table;
    void **states = tocmp_xmalloc(TOCMP_FOLD_BATCH * sizeof *states);
    unsigned char *masks = tocmp_xmalloc(TOCM_AGG_MAX_FILTERS * TOCMP_FOLD_BATCH);
    json_t *filters[TOCM_AGG_MAX_FILTERS];
    for (size_t k = 0; k < f->plan.filter_count; k++)
        filters[k] = json_object_get(req->params, f->plan.filters[k]);
    size_t cap = 0;
    int rc = 0;
    for (size_t j = 0; j < n && rc == 0;) {
        /* The batch: table rows [lo, hi), from the next filtered row. */
        size_t lo = rows[j],
               hi = lo + TOCMP_FOLD_BATCH < t->row_count ? lo + TOCMP_FOLD_BATCH : t->row_count;
        memset(states, 0, (hi - lo) * sizeof *states);
        for (; j < n && rows[j] < hi; j++) {
            size_t key = 0;
            for (size_t d = 0; d < ind->dim_count; d++)
                key = key * ind->dims[d].count + ind->dims[d].rank[dim_of[d][j]];
            key = key * periods + period_of[j];
            if (slot[key] == NO_STATE) {
                if (finest->count == cap) {
                    cap = cap ? 2 * cap : 64;
                    *key_of = tocmp_xrealloc(*key_of, cap * sizeof **key_of);
                    *rows_of = tocmp_xrealloc(*rows_of, cap * sizeof **rows_of);
                }
                (*key_of)[finest->count] = key;
                (*rows_of)[finest->count] = 0;
                slot[key] = (uint32_t)finest->count;
                tocmp_state_init(f, tocmp_pool_new(finest));
            }
            (*rows_of)[slot[key]]++;
            states[rows[j] - lo] = tocmp_pool_at(finest, slot[key]);
        }
        struct tocm_agg_batch batch = {
            .size = sizeof batch, .row_count = hi - lo, .states = states};
        for (size_t k = 0; k < f->plan.column_count; k++) {
            size_t at = tocmp_table_cell(t, lo, f->plan.columns[k]);
            batch.columns[k].number = t->number + at;
            batch.columns[k].has_number = t->has_number + at;
            batch.columns[k].text = t->text + at;
        }
        for (size_t k = 0; k < f->plan.filter_count; k++) {
            if (!filters[k])
                continue; /* no such parameter: every row matches (NULL) */
            unsigned char *m = masks + k * TOCMP_FOLD_BATCH;
            for (size_t i = 0; i < hi - lo; i++)
                m[i] = states[i] && tocmp_filter_matches(filters[k], t, lo + i);
            batch.filters[k] = m;
        }
        tocmp_guard_enter(f->plugin, &f->err);
        rc = tocmp_guard_leave(f->agg->update(f->host, &f->plan, &batch, &f->err), &f->err);
    }
    free(states);
    free(masks);
    return rc;
}

/* The cells of one subset (mask) of the dimensions, from the finest
 * states, in the order tocmp_compute_subset makes them. */
static int fold_subset(struct tocmp_fold *f, unsigned mask, size_t n, size_t periods,
                       size_t last_data, const struct tocmp_pool *finest, const size_t *key_of,
                       const size_t *rows_of, json_t *cells_json) {
    struct indicator *ind = f->ind;
    size_t space = 1; /* the subset's value combinations */
    for (size_t d = 0; d < ind->dim_count; d++)
        if (mask & (1u << d))
            space *= ind->dims[d].count;
    uint32_t *slot = tocmp_xmalloc((space ? space * periods : 1) * sizeof *slot);
    memset(slot, 0xFF, space * periods * sizeof *slot);
    struct tocmp_pool merged = {.size = f->state_size};
    size_t *rows_in = NULL, rows_cap = 0;
    int rc = 0;
    for (size_t i = 0; i < finest->count && rc == 0; i++) {
        size_t key = key_of[i], p = key % periods, sub = 0, radix = 1;
        key /= periods;
        for (size_t d = ind->dim_count; d-- > 0;) {
            size_t value = key % ind->dims[d].count;
            key /= ind->dims[d].count;
            if (mask & (1u << d)) {
                sub += value * radix;
                radix *= ind->dims[d].count;
            }
        }
        size_t at = sub * periods + p;
        if (slot[at] == NO_STATE) {
            slot[at] = (uint32_t)merged.count;
            if (merged.count == rows_cap) { /* doubling: tens of thousands of cells */
                rows_cap = rows_cap ? 2 * rows_cap : 64;
                rows_in = tocmp_xrealloc(rows_in, rows_cap * sizeof *rows_in);
            }
            rows_in[merged.count] = 0;
            tocmp_state_init(f, tocmp_pool_new(&merged));
        }
        rows_in[slot[at]] += rows_of[i];
        rc = state_combine(f, tocmp_pool_at(&merged, slot[at]), tocmp_pool_at(finest, i));
    }
    if (rc != 0)
        goto done;
    /* The limit on cells (E413), counted as tocmp_compute_subset does. */
    size_t groups = 0;
    for (size_t g = 0; g < space; g++)
        for (size_t p = 0; p < periods; p++)
            if (slot[g * periods + p] != NO_STATE) {
                groups++;
                break;
            }
    size_t per_group = periods + (periods > 1);
    size_t cells = (groups ? groups : 1) * per_group;
    if (groups > TOCMP_REPORT_MAX_CELLS / per_group ||
        cells > TOCMP_REPORT_MAX_CELLS - ind->cell_count) {
        tocmp_engine_fail(
            f->c, "E413", tocmp_asprintf("/indicators/%zu", ind->index), ind->id,
            tocmp_asprintf("indicator '%s' has too many cells to report: %zu combinations of "
                           "values over %zu period%s (the limit is %d cells per indicator); "
                           "break it down by fewer columns, or filter its rows",
                           ind->id, groups, periods, periods == 1 ? "" : "s",
                           TOCMP_REPORT_MAX_CELLS));
        rc = -1;
        goto done;
    }
    if (n == 0 && mask != 0)
        goto done; /* a breakdown has a cell only for values that occur */

    /* Scratch states: the empty one, a running one and a total. */
    unsigned char *empty = tocmp_xcalloc(3, f->state_size);
    unsigned char *acc = empty + f->state_size, *total = acc + f->state_size;
    tocmp_state_init(f, empty);
    for (size_t g = 0; g < space && rc == 0; g++) {
        size_t all_rows = 0;
        for (size_t p = 0; p < periods; p++)
            if (slot[g * periods + p] != NO_STATE)
                all_rows += rows_in[slot[g * periods + p]];
        if (all_rows == 0 && !(n == 0 && g == 0))
            continue; /* no rows: no group (but the grand total over none) */
        size_t dims[MAX_DIMS] = {0};
        for (size_t d = ind->dim_count, rest = g; d-- > 0;)
            if (mask & (1u << d)) {
                dims[d] = rest % ind->dims[d].count;
                rest /= ind->dims[d].count;
            }
        tocmp_state_init(f, acc);
        tocmp_state_init(f, total);
        size_t running = 0;
        for (size_t p = 0; p < periods && rc == 0; p++) {
            uint32_t s = slot[g * periods + p];
            const void *own_state = s == NO_STATE ? NULL : tocmp_pool_at(&merged, s);
            size_t own = s == NO_STATE ? 0 : rows_in[s];
            if (own_state && periods > 1 && ind->aggregation != AGG_LATEST)
                rc = state_combine(f, total, own_state);
            if (rc != 0)
                break;
            if (ind->aggregation == AGG_CUMULATIVE) {
                if (own_state)
                    rc = state_combine(f, acc, own_state);
                running += own;
                if (rc == 0)
                    rc = emit(f, acc, empty, running, own, dims, mask, (long)p, cells_json);
            } else {
                rc = emit(f, own_state, empty, own, own, dims, mask, (long)p, cells_json);
            }
        }
        if (rc == 0 && periods > 1) {
            if (ind->aggregation == AGG_LATEST) {
                /* The indicator's last period with figures, not the
                 * group's (engine_group.c says why). */
                uint32_t s = slot[g * periods + last_data];
                size_t own = s == NO_STATE ? 0 : rows_in[s];
                rc = emit(f, s == NO_STATE ? NULL : tocmp_pool_at(&merged, s), empty, own, own,
                          dims, mask, -1, cells_json);
            } else {
                rc = emit(f, total, empty, all_rows, all_rows, dims, mask, -1, cells_json);
            }
        }
        state_release(f, acc);
        state_release(f, total);
    }
    state_release(f, empty);
    free(empty);
done:
    tocmp_pool_free(f, &merged);
    free(rows_in);
    free(slot);
    return rc;
}

int tocmp_fold_indicator(struct ctx *c, struct indicator *ind, const size_t *rows, size_t n,
                         const size_t *period_of, size_t *const *dim_of, json_t *cells_json,
                         const struct tocm_calc_request *req) {
    const struct tocm_aggregate *agg = ind->calc->aggregate;
    /* TOCM_ENGINE_ROWS=1 computes every cell through rows, as before ABI
     * 1.4: the tests compare the two ways byte for byte. */
    const char *rows_only = getenv("TOCM_ENGINE_ROWS");
    if (!agg || (rows_only && strcmp(rows_only, "1") == 0))
        return 0;
    struct tocmp_fold f = {.c = c, .ind = ind, .agg = agg, .host = tocm_host_table()};
    f.plugin = tocm_registry_plugin_of(c->reg, ind->calc);
    struct tocm_calc_input input = {
        .size = sizeof input, .model = c->m, .table = ind->table, .request = req};
    int ready = tocmp_agg_prepare(ind->calc, f.plugin, &input, &f.plan, &f.err);
    if (ready < 0) {
        tocmp_calc_failed(c, ind, &f.err);
        return -1;
    }
    size_t periods = ind->periods.count ? ind->periods.count : 1, space = periods;
    for (size_t d = 0; d < ind->dim_count && space <= TOCMP_FOLD_MAX_KEYS; d++)
        space *= ind->dims[d].count ? ind->dims[d].count : 1;
    if (ready == 0 || space > TOCMP_FOLD_MAX_KEYS)
        return 0;
    /* Every state aligned for any scalar. */
    f.state_size = (f.plan.state_size + 15) & ~(size_t)15;

    uint32_t *slot = tocmp_xmalloc(space * sizeof *slot);
    memset(slot, 0xFF, space * sizeof *slot);
    struct tocmp_pool finest = {.size = f.state_size};
    size_t *key_of = NULL, *rows_of = NULL;
    int rc =
        fold_rows(&f, rows, n, period_of, dim_of, periods, slot, &finest, &key_of, &rows_of, req);
    if (rc != 0)
        tocmp_calc_failed(c, ind, &f.err);
    free(slot);
    /* The last period with figures: later ones are plan only. */
    size_t last_data = 0;
    for (size_t i = 0; i < n; i++)
        if (period_of[i] > last_data)
            last_data = period_of[i];
    if (rc == 0)
        rc = tocmp_fold_cells(&f, n, last_data, &finest, key_of, rows_of, cells_json);
    tocmp_pool_free(&f, &finest);
    free(key_of);
    free(rows_of);
    return rc == 0 ? 1 : -1;
}

int tocmp_fold_cells(struct tocmp_fold *f, size_t n, size_t last_data,
                     const struct tocmp_pool *finest, const size_t *key_of, const size_t *rows_of,
                     json_t *cells_json) {
    const struct indicator *ind = f->ind;
    size_t periods = ind->periods.count ? ind->periods.count : 1;
    int rc = 0;
    /* The total first, then each dimension alone, then combinations. */
    for (unsigned size = 0; size <= ind->dim_count && rc == 0; size++)
        for (unsigned mask = 0; mask < (1u << ind->dim_count) && rc == 0; mask++)
            if ((unsigned)__builtin_popcount(mask) == size)
                rc = fold_subset(f, mask, n, periods, last_data, finest, key_of, rows_of,
                                 cells_json);
    return rc;
}
