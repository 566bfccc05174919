/*
 * engine_source.c -- indicators of tables that live in databases (plugin
 * ABI 1.5).
 *
 * A table with "database" is first only described (its columns and their
 * types), which is all the checks and a calculator's prepare need. Each
 * indicator then asks the database for its finest cells' states: one
 * SELECT ... GROUP BY period and breakdown columns, with the indicator's
 * filter as WHERE, when its calculator says how its state is made of SQL
 * aggregates (count, sum, share...) and every filter can be said in SQL.
 * Only the grouped states cross the wire; the margins and totals are
 * combined here, as the one-pass engine combines states (engine_fold.c).
 * Otherwise the table's rows are read, once, and the indicator (and every
 * later one on the table) is computed from them as from a CSV file.
 *
 * A connection or query that fails fails the table: its indicators, and no
 * other, are listed as failed with the table's one error line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_parts.h"
#include "model_internal.h"
#include "source.h"
#include "source_sql.h"
#include "util.h"

/* The table of index, connected and described. */
struct tocm_table *tocmp_engine_source_open(struct ctx *c, size_t index) {
    if (!c->sources) {
        c->sources = tocmp_xcalloc(c->m->table_count + 1, sizeof *c->sources);
        c->scanned = tocmp_xcalloc(c->m->table_count + 1, 1);
    }
    return tocmp_source_open(c->m, c->reg, index, c->model_dir, &c->sources[index], c->diags);
}

/* Forgets table index after its failure, which diagnostics from first on
 * describe, so later indicators name it. */
static void table_failed(struct ctx *c, size_t index, size_t first) {
    tocmp_source_close(c->sources[index]);
    c->sources[index] = NULL;
    tocmp_table_free(c->tables[index]);
    c->tables[index] = NULL;
    c->table_diag[index] = first;
    c->errors++;
}

static int fold_rows(void *ctx, const struct tocm_table *block) {
    return tocmp_stream_fold(ctx, block);
}

int tocmp_engine_source_rows(struct ctx *c, size_t index, size_t indicator) {
    if (!c->sources || !c->sources[index] || c->scanned[index] || c->streams[index])
        return 0;
    size_t first = tocm_diags_count(c->diags);
    /* Folded block by block as the cursor hands rows over, when every
     * indicator left on the table folds; only the columns they read. */
    struct tocm_table *t = c->tables[index];
    unsigned char *need = tocmp_xcalloc(t->column_count + 1, 1);
    struct tocmp_stream *st = tocmp_stream_begin(c, index, indicator, t, need);
    int rc = st ? tocmp_source_blocks(c->sources[index], t, need, fold_rows, st, c->diags) : 0;
    free(need);
    if (rc != 0) {
        tocmp_stream_discard(st);
        table_failed(c, index, first);
        return -1;
    }
    if (st && tocmp_stream_end(c, index, st))
        return 0;
    /* Else every row, held: a calculator that reads rows, or states too
     * many or too sparse to combine (computing from rows says which). */
    if (tocmp_source_scan(c->sources[index], c->tables[index], c->diags) != 0) {
        table_failed(c, index, first);
        return -1;
    }
    c->scanned[index] = 1;
    return 0;
}

void tocmp_engine_sources_close(struct ctx *c) {
    for (size_t t = 0; c->sources && t < c->m->table_count; t++)
        tocmp_source_close(c->sources[t]);
    free(c->sources);
    free(c->scanned);
}

/* ---- pushed down ------------------------------------------------------- */

struct tocmp_pushed {
    struct tocm_agg_plan plan;
    size_t term_count, dims, columns; /* columns per result row */
    size_t rows, cap;                 /* result rows kept */
    size_t *at;                       /* rows x columns offsets into arena */
    tocmp_buf arena;
    size_t *period_id, *dim_id; /* interned, per result row */
    size_t *count;              /* the rows each stands for */
    const char **values;        /* scratch: one row's term values */
    size_t width;               /* a result row's columns, when not columns */
    int too_many;               /* more groups than the states can be combined from */
};

static int keep_row(void *ctx, size_t count, const char *const *values) {
    struct tocmp_pushed *p = ctx;
    if (count != p->columns) {
        p->width = count;
        return -1;
    }
    /* Each group is a finest cell: past this many, the dense index of
     * cells would be too large whatever the rest (tocmp_pushed_cells). */
    if (p->rows >= TOCMP_FOLD_MAX_KEYS) {
        p->too_many = 1;
        return -1;
    }
    if (p->rows == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 256;
        p->at = tocmp_xrealloc(p->at, p->cap * p->columns * sizeof *p->at);
    }
    for (size_t i = 0; i < count; i++) {
        const char *v = values[i] ? values[i] : "";
        p->at[p->rows * p->columns + i] = p->arena.len;
        tocmp_buf_append(&p->arena, v, strlen(v) + 1);
    }
    p->rows++;
    return 0;
}

void tocmp_pushed_free(struct tocmp_pushed *p) {
    if (!p)
        return;
    free(p->at);
    free(p->arena.data);
    free(p->period_id);
    free(p->dim_id);
    free(p->count);
    free(p->values);
    free(p);
}

/* The calculator's aggregate, when it can be computed in SQL. */
static const struct tocm_aggregate *sql_aggregate(const struct tocm_calculator *calc) {
    const struct tocm_aggregate *agg = calc->aggregate;
    if (!agg || TOCM_ABI_MINOR_OF(calc->abi) < 5 ||
        agg->size < offsetof(struct tocm_aggregate, sql_load) + sizeof agg->sql_load ||
        !agg->sql_terms || !agg->sql_load)
        return NULL;
    return agg;
}

/* Forgets the values interned in, borrowed from results about to be freed. */
static void reset_interned(struct interned *in) {
    tocmp_interned_free(in);
    memset(in, 0, sizeof *in);
    tocmp_idmap_init(&in->ids, 16);
}

/* W314: the indicator's rows are read instead of its groups. */
static void too_many_groups(struct ctx *c, const struct indicator *ind) {
    char *path = tocmp_asprintf("/indicators/%zu", ind->index);
    tocm_diags_add(c->diags, TOCM_SEV_WARNING, "W314", c->m->file, 0, 0, path, ind->id,
                   "indicator '%s': its breakdown has too many combinations of values to "
                   "be grouped in the database (over %zu); its table's rows are read instead",
                   ind->id, (size_t)TOCMP_FOLD_MAX_KEYS);
    free(path);
}

int tocmp_push_down(struct ctx *c, struct indicator *ind, json_t *filter,
                    const struct tocm_calc_request *req, struct tocmp_pushed **out) {
    *out = NULL;
    size_t index = ind->model->table;
    if (!c->sources || !c->sources[index] || c->scanned[index] || c->streams[index])
        return 0;
    const char *rows_only = getenv("TOCM_ENGINE_ROWS"), *push = getenv("TOCM_PUSH_DOWN");
    const struct tocm_aggregate *agg = sql_aggregate(ind->calc);
    if (!agg || (rows_only && strcmp(rows_only, "1") == 0) || (push && strcmp(push, "0") == 0))
        return 0;
    const char *plugin = tocm_registry_plugin_of(c->reg, ind->calc);
    struct tocm_calc_input input = {
        .size = sizeof input, .model = c->m, .table = ind->table, .request = req};
    struct tocmp_pushed *p = tocmp_xcalloc(1, sizeof *p);
    tocm_error err;
    int ready = tocmp_agg_prepare(ind->calc, plugin, &input, &p->plan, &err);
    if (ready < 0) {
        tocmp_calc_failed(c, ind, &err);
        tocmp_pushed_free(p);
        return -1;
    }
    struct tocm_agg_sql terms = {.size = sizeof terms};
    if (ready == 1) {
        tocmp_guard_enter(plugin, &err);
        ready = tocmp_guard_leave(agg->sql_terms(tocm_host_table(), &p->plan, &terms, &err), &err);
        if (ready < 0) {
            tocmp_calc_failed(c, ind, &err);
            tocmp_pushed_free(p);
            return -1;
        }
    }
    /* Terms that are not sound are declined, not trusted. */
    if (ready == 1 && (terms.term_count == 0 || terms.term_count > TOCM_AGG_SQL_MAX_TERMS))
        ready = 0;
    for (size_t k = 0; ready == 1 && k < terms.term_count; k++) {
        const struct tocm_agg_sql_term *t = &terms.terms[k];
        if (t->op < TOCM_AGG_SQL_COUNT || t->op > TOCM_AGG_SQL_GROUP ||
            (t->op != TOCM_AGG_SQL_COUNT && t->column >= p->plan.column_count) ||
            (t->op == TOCM_AGG_SQL_SUM_PRODUCT && t->column2 >= p->plan.column_count) ||
            (t->filters >> p->plan.filter_count) != 0 || (t->present >> p->plan.column_count) != 0)
            ready = 0;
    }
    if (ready != 1) {
        tocmp_pushed_free(p);
        return 0;
    }

    /* SELECT period, dims..., count(*), terms... FROM relation WHERE filter
     * GROUP BY period, dims and GROUP terms. */
    struct tocmp_sql q = {.dialect = tocmp_source_driver(c->sources[index]), .table = ind->table};
    tocmp_buf groups = {0};
    tocmp_buf_puts(&q.text, "SELECT ");
    size_t col = 0;
    if (ind->period_col != TOCM_NONE) {
        tocmp_sql_column_text(&q, ind->period_col);
        tocmp_buf_printf(&groups, "%s%zu", col ? ", " : "", col + 1);
    } else {
        tocmp_buf_puts(&q.text, "''");
    }
    col++;
    for (size_t d = 0; d < ind->dim_count; d++, col++) {
        tocmp_buf_puts(&q.text, ", ");
        tocmp_sql_column_text(&q, ind->dim_cols[d]);
        tocmp_buf_printf(&groups, "%s%zu", groups.len ? ", " : "", col + 1);
    }
    tocmp_buf_puts(&q.text, ", count(*)");
    col++;
    int ok = 1;
    for (size_t k = 0; k < terms.term_count && ok; k++, col++) {
        tocmp_buf_puts(&q.text, ", ");
        ok = tocmp_sql_term(&q, &p->plan, &terms.terms[k], req->params) == 0;
        if (terms.terms[k].op == TOCM_AGG_SQL_GROUP)
            tocmp_buf_printf(&groups, "%s%zu", groups.len ? ", " : "", col + 1);
    }
    tocmp_buf_printf(&q.text, " FROM %s WHERE ", tocmp_source_relation(c->sources[index]));
    if (ok)
        ok = tocmp_sql_filter(&q, filter) == 0;
    if (groups.len)
        tocmp_buf_printf(&q.text, " GROUP BY %s", groups.data);
    free(groups.data);
    if (!ok) {
        tocmp_sql_free(&q);
        tocmp_pushed_free(p);
        return 0;
    }
    p->term_count = terms.term_count;
    p->dims = ind->dim_count;
    p->columns = col;
    size_t first = tocm_diags_count(c->diags);
    int rc = tocmp_source_query(c->sources[index], q.text.data, (const char *const *)q.params,
                                q.param_count, keep_row, p, ind->id, c->diags);
    tocmp_sql_free(&q);
    if (rc != 0 && p->too_many) {
        too_many_groups(c, ind);
        tocmp_pushed_free(p);
        return 0;
    }
    if (rc != 0) {
        if (p->width) {
            char *path = tocmp_asprintf("/tables/%s", c->m->tables[index].name);
            tocm_diags_add(c->diags, TOCM_SEV_ERROR, "E313", c->m->file, 0, 0, path, ind->id,
                           "table '%s' (%s): reading failed: a grouped row came with %zu "
                           "columns, not %zu",
                           c->m->tables[index].name, tocmp_source_driver(c->sources[index])->name,
                           p->width, p->columns);
            free(path);
        }
        table_failed(c, index, first);
        tocmp_pushed_free(p);
        return -1;
    }

    /* Intern each result row's period and values, as compute_indicator
     * does each row's; the texts stay in the arena until p is freed. */
    p->period_id = tocmp_xmalloc((p->rows ? p->rows : 1) * sizeof *p->period_id);
    p->dim_id = tocmp_xmalloc((p->rows * p->dims + 1) * sizeof *p->dim_id);
    p->count = tocmp_xmalloc((p->rows ? p->rows : 1) * sizeof *p->count);
    p->values = tocmp_xmalloc((p->term_count ? p->term_count : 1) * sizeof *p->values);
    size_t kept = 0;
    for (size_t r = 0; r < p->rows; r++) {
        const size_t *at = p->at + r * p->columns;
        size_t count = strtoull(p->arena.data + at[1 + p->dims], NULL, 10);
        if (count == 0)
            continue; /* no GROUP BY and no row: the one row of nothing */
        memmove(p->at + kept * p->columns, at, p->columns * sizeof *at);
        at = p->at + kept * p->columns;
        p->count[kept] = count;
        if (ind->period_col != TOCM_NONE)
            p->period_id[kept] = tocmp_intern(&ind->periods, p->arena.data + at[0]);
        for (size_t d = 0; d < p->dims; d++)
            p->dim_id[kept * p->dims + d] = tocmp_intern(&ind->dims[d], p->arena.data + at[1 + d]);
        kept++;
    }
    p->rows = kept;
    /* The cells' dense index (tocmp_pushed_cells): periods, with those of
     * targets, times each dimension's values. */
    size_t space = ind->periods.count + json_object_size(json_object_get(ind->def, "targets")) +
                   json_array_size(json_object_get(ind->def, "breakdown_targets"));
    space = space ? space : 1;
    for (size_t d = 0; d < ind->dim_count && space <= TOCMP_FOLD_MAX_KEYS; d++)
        space *= ind->dims[d].count ? ind->dims[d].count : 1;
    if (space > TOCMP_FOLD_MAX_KEYS) {
        reset_interned(&ind->periods);
        for (size_t d = 0; d < ind->dim_count; d++)
            reset_interned(&ind->dims[d]);
        too_many_groups(c, ind);
        tocmp_pushed_free(p);
        return 0;
    }
    *out = p;
    return 1;
}

int tocmp_pushed_cells(struct ctx *c, struct indicator *ind, struct tocmp_pushed *p,
                       json_t *cells_json) {
    struct tocmp_fold f = {.c = c,
                           .ind = ind,
                           .agg = ind->calc->aggregate,
                           .host = tocm_host_table(),
                           .plan = p->plan};
    f.plugin = tocm_registry_plugin_of(c->reg, ind->calc);
    f.state_size = (f.plan.state_size + 15) & ~(size_t)15;
    size_t periods = ind->periods.count ? ind->periods.count : 1, space = periods;
    for (size_t d = 0; d < ind->dim_count && space <= TOCMP_FOLD_MAX_KEYS; d++)
        space *= ind->dims[d].count ? ind->dims[d].count : 1;
    if (space > TOCMP_FOLD_MAX_KEYS) {
        /* (tocmp_push_down reads the rows instead before it comes to this.) */
        tocmp_engine_fail(
            c, "E413", tocmp_asprintf("/indicators/%zu", ind->index), ind->id,
            tocmp_asprintf("indicator '%s' has too many combinations of values to combine "
                           "(over %zu); break it down by fewer columns, or filter its rows",
                           ind->id, (size_t)TOCMP_FOLD_MAX_KEYS));
        return -1;
    }
    /* Each result row into the state of its finest cell; several rows may
     * be one cell's (a distinct count's identifiers, gesi's sexes). */
    uint32_t *slot = tocmp_xmalloc(space * sizeof *slot);
    memset(slot, 0xFF, space * sizeof *slot);
    struct tocmp_pool finest = {.size = f.state_size};
    size_t *key_of = tocmp_xmalloc((p->rows ? p->rows : 1) * sizeof *key_of);
    size_t *rows_of = tocmp_xcalloc(p->rows ? p->rows : 1, sizeof *rows_of);
    size_t n = 0, last_data = 0;
    int rc = 0;
    for (size_t r = 0; r < p->rows && rc == 0; r++) {
        size_t key = 0;
        for (size_t d = 0; d < p->dims; d++)
            key = key * ind->dims[d].count + ind->dims[d].rank[p->dim_id[r * p->dims + d]];
        size_t period = ind->period_col == TOCM_NONE ? 0 : ind->periods.rank[p->period_id[r]];
        key = key * periods + period;
        n += p->count[r];
        if (period > last_data)
            last_data = period;
        if (slot[key] == UINT32_MAX) {
            slot[key] = (uint32_t)finest.count;
            key_of[finest.count] = key;
            tocmp_state_init(&f, tocmp_pool_new(&finest));
        }
        rows_of[slot[key]] += p->count[r];
        const size_t *at = p->at + r * p->columns;
        for (size_t k = 0; k < p->term_count; k++)
            p->values[k] = p->arena.data + at[2 + p->dims + k];
        tocmp_guard_enter(f.plugin, &f.err);
        rc = tocmp_guard_leave(
            f.agg->sql_load(f.host, &f.plan, p->values, tocmp_pool_at(&finest, slot[key]), &f.err),
            &f.err);
    }
    free(slot);
    if (rc != 0)
        tocmp_calc_failed(c, ind, &f.err);
    else
        rc = tocmp_fold_cells(&f, n, last_data, &finest, key_of, rows_of, cells_json);
    tocmp_pool_free(&f, &finest);
    free(key_of);
    free(rows_of);
    return rc == 0 ? 1 : -1;
}
