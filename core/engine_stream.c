/*
 * engine_stream.c -- tables read in chunks and folded as they come, once for
 * every indicator that reads them, on several threads.
 *
 * Before any indicator is computed, each table all of whose selected
 * indicators fold (ABI 1.4 aggregates whose prepare said yes) is read
 * once: table_stream.c cuts the file into chunks of whole records, each
 * chunk is parsed into a block (a struct tocm_table of its rows, column by
 * column) and the block is folded into the finest states of every one of
 * those indicators. Memory is the chunks in flight, the states and each
 * column's distinct values: not the rows. A table with an indicator that
 * cannot fold (a 1.0-1.3 plugin, a calculator that declines, TOCM_ENGINE_ROWS=1)
 * is read whole later, as before, and computed from its rows.
 *
 * Where rows come from and how they are folded meet in one function,
 * fold_block(): it takes one column-major block of rows with the table's
 * columns and folds it into every indicator of the table. A source that is
 * not a CSV file (a database cursor) would fill such blocks and call it.
 *
 * Threads (`tocm report --jobs N`): chunk k is read, parsed and folded by
 * worker k mod N (the workers take turns at reading, in file order); each
 * worker folds its chunks into states of its own,
 * keyed by values it interned itself. When the file is read, worker 0's
 * states take in the others', worker by worker and state by state in the
 * order they were made: a fixed order, and one that cannot change a figure
 * anyway, since an aggregate's states merge exactly (integer sums, sets;
 * calculators decline decimal columns, whose sums would depend on order).
 * The figures and every byte of the report are those of one thread.
 *
 * Values: each column an indicator groups by or reads is interned per
 * worker, each distinct text once, in memory that lives until the report
 * is done, so a state may keep the texts it is given (a set of
 * identifiers) as the ABI promises, though the chunk they came from is
 * gone. An indicator's periods and breakdown values are then the texts of
 * its states' keys, ranked as engine.c ranks them.
 *
 * A report of an indicator cannot hold more than TOCMP_REPORT_MAX_CELLS
 * cells, so more finest states than that mean an error (E413): the stream
 * gives up on its table, which is then read whole, so the message is the
 * one computing from rows gives.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_keys.h"
#include "engine_parts.h"
#include "model_internal.h"
#include "util.h"

/* About the bytes of one chunk: large enough that a chunk costs little to
 * hand over, small enough that a few in flight per worker stay in the
 * cache and the memory stays flat. */
#define STREAM_CHUNK_BYTES ((size_t)1 << 20)
#define MAX_JOBS 64

/* ---- a streamed table and its indicators -------------------------------- */

/* An indicator folded from its table's stream. */
struct sind {
    const struct tocmp_indicator *model;
    struct tocmp_fold fold; /* calculator, plan; err of a failed prepare */
    int prepared;           /* prepare's answer: 1 fold, -1 failed */
    json_t *filter;         /* the indicator's rows */
    json_t *plan_filters[TOCM_AGG_MAX_FILTERS];
    int has_period;
    size_t arity;                  /* key parts: the period (if any), then each dimension */
    size_t key_need[1 + MAX_DIMS]; /* which interned column each key part is */
    size_t plan_need[TOCM_AGG_MAX_COLUMNS];
    struct tocm_calc_request req;
    struct tocmp_part result; /* every worker's states, merged */
    tocm_error err;           /* why result.failed */
};

struct worker {
    struct tocmp_stream *st;
    struct tocm_table block;
    struct tocmp_values *values; /* per interned column */
    uint32_t *ids;               /* per interned column, TOCMP_FOLD_BATCH rows */
    const char **texts;          /* the same as texts */
    struct tocmp_part *parts;    /* per indicator */
    struct tocmp_fold *folds;    /* per indicator: this worker's calls (err) */
    void **states;
    unsigned char *masks;
    int lost;       /* a chunk had an error: the table is lost, stop folding */
    int overflow;   /* more states than a report holds */
    unsigned index; /* its place in the ring (read_all) */
    pthread_t thread;
};

struct tocmp_stream {
    struct tocmp_table_stream *s;
    const struct tocm_table *header;
    size_t *interned; /* table columns the indicators group by or read */
    size_t interned_count;
    struct sind *inds;
    size_t ind_count;
    struct worker *workers;
    unsigned worker_count;
    tocm_diags *diags;        /* the reading's, added when the table is first used */
    int bad;                  /* the file had errors: its indicators fail */
    int given;                /* diags added */
    struct tocm_table *owned; /* a database's table: header, freed with the stream */
    /* The workers' turns at reading (read_all): chunk `turn` is the next. */
    pthread_mutex_t ring_lock;
    pthread_cond_t ring_turn;
    size_t turn;
    unsigned ring; /* workers taking turns; 0 until all are started */
};

/* Folds rows [lo, lo + n) of the worker's block (interned already) into
 * indicator j's states. */
static void fold_batch(struct worker *w, size_t j, size_t lo, size_t n) {
    struct tocmp_stream *st = w->st;
    const struct sind *si = &st->inds[j];
    struct tocmp_part *p = &w->parts[j];
    struct tocmp_fold *f = &w->folds[j];
    const struct tocm_table *b = &w->block;
    uint32_t key[1 + MAX_DIMS];
    for (size_t i = 0; i < n; i++) {
        if (si->filter && !tocmp_filter_matches(si->filter, b, lo + i)) {
            w->states[i] = NULL;
            continue;
        }
        for (size_t a = 0; a < si->arity; a++)
            key[a] = w->ids[si->key_need[a] * TOCMP_FOLD_BATCH + i];
        size_t s;
        w->states[i] = tocmp_part_state(p, f, key, si->arity, &s);
        p->rows_of[s]++;
    }
    if (p->pool.count > TOCMP_REPORT_MAX_CELLS) {
        w->overflow = 1;
        return;
    }
    struct tocm_agg_batch batch = {.size = sizeof batch, .row_count = n, .states = w->states};
    for (size_t k = 0; k < si->fold.plan.column_count; k++) {
        size_t at = tocmp_table_cell(b, lo, si->fold.plan.columns[k]);
        batch.columns[k].number = b->number + at;
        batch.columns[k].has_number = b->has_number + at;
        batch.columns[k].text = w->texts + si->plan_need[k] * TOCMP_FOLD_BATCH;
    }
    for (size_t k = 0; k < si->fold.plan.filter_count; k++) {
        if (!si->plan_filters[k])
            continue; /* no such parameter: every row matches (NULL) */
        unsigned char *m = w->masks + k * TOCMP_FOLD_BATCH;
        for (size_t i = 0; i < n; i++)
            m[i] = w->states[i] && tocmp_filter_matches(si->plan_filters[k], b, lo + i);
        batch.filters[k] = m;
    }
    tocmp_guard_enter(f->plugin, &f->err);
    if (tocmp_guard_leave(f->agg->update(f->host, &f->plan, &batch, &f->err), &f->err) != 0)
        p->failed = 1;
}

/* Folds the worker's block, every row once into every indicator of the
 * table. The one place rows meet the aggregates: a block from any source
 * (a struct tocm_table of rows with the table's columns) folds the same. */
static void fold_block(struct worker *w) {
    struct tocmp_stream *st = w->st;
    const struct tocm_table *b = &w->block;
    for (size_t lo = 0; lo < b->row_count && !w->overflow; lo += TOCMP_FOLD_BATCH) {
        size_t n = b->row_count - lo < TOCMP_FOLD_BATCH ? b->row_count - lo : TOCMP_FOLD_BATCH;
        for (size_t k = 0; k < st->interned_count; k++) {
            const char *const *text = b->text + tocmp_table_cell(b, lo, st->interned[k]);
            uint32_t *ids = w->ids + k * TOCMP_FOLD_BATCH;
            const char **texts = w->texts + k * TOCMP_FOLD_BATCH;
            struct tocmp_values *v = &w->values[k];
            for (size_t i = 0; i < n; i++) {
                uint32_t id = b->text_padded ? tocmp_values_intern_padded(v, text[i])
                                             : tocmp_values_intern(v, text[i]);
                ids[i] = id;
                texts[i] = v->text[id];
            }
        }
        for (size_t j = 0; j < st->ind_count && !w->overflow; j++)
            if (st->inds[j].prepared == 1 && !w->parts[j].failed)
                fold_batch(w, j, lo, n);
    }
}

static void process_chunk(struct worker *w, struct tocmp_table_chunk *ch) {
    /* A batch of rows at a time: folded while the bytes just parsed are
     * still in the cache (a whole chunk is not: it is larger than L2). */
    while (tocmp_table_chunk_parse(ch, &w->block, TOCMP_FOLD_BATCH)) {
        if (tocmp_table_chunk_failed(ch))
            w->lost = 1;
        if (!w->lost && !w->overflow)
            fold_block(w);
    }
    tocmp_table_chunk_done(ch);
}

/* Worker w's share of the file: chunks index, index + ring, ... Each
 * worker reads its own chunk when its turn comes (the reading is in file
 * order, one at a time), then parses and folds it while the next worker
 * reads: the bytes are parsed on the core that just copied them in, still
 * in its cache, and no thread does nothing but read. */
static void take_turns(struct worker *w) {
    struct tocmp_stream *st = w->st;
    for (size_t k = w->index;;) {
        pthread_mutex_lock(&st->ring_lock);
        while (st->ring == 0 || st->turn != k)
            pthread_cond_wait(&st->ring_turn, &st->ring_lock);
        /* At the end every worker in turn gets NULL, and stops. */
        struct tocmp_table_chunk *ch = tocmp_table_stream_next(st->s);
        st->turn++;
        k += st->ring;
        pthread_cond_broadcast(&st->ring_turn);
        pthread_mutex_unlock(&st->ring_lock);
        if (!ch)
            return;
        process_chunk(w, ch);
    }
}

static void *worker_main(void *arg) {
    take_turns(arg);
    return NULL;
}

static void worker_init(struct worker *w, struct tocmp_stream *st) {
    memset(w, 0, sizeof *w);
    w->st = st;
    tocmp_table_block_init(&w->block, st->header);
    w->values = tocmp_xcalloc(st->interned_count + 1, sizeof *w->values);
    for (size_t k = 0; k < st->interned_count; k++)
        tocmp_values_init(&w->values[k]);
    w->ids = tocmp_xmalloc((st->interned_count + 1) * TOCMP_FOLD_BATCH * sizeof *w->ids);
    w->texts = tocmp_xmalloc((st->interned_count + 1) * TOCMP_FOLD_BATCH * sizeof *w->texts);
    w->parts = tocmp_xcalloc(st->ind_count, sizeof *w->parts);
    w->folds = tocmp_xcalloc(st->ind_count, sizeof *w->folds);
    for (size_t j = 0; j < st->ind_count; j++) {
        w->folds[j] = st->inds[j].fold;
        w->parts[j].pool.size = st->inds[j].fold.state_size;
    }
    w->states = tocmp_xmalloc(TOCMP_FOLD_BATCH * sizeof *w->states);
    w->masks = tocmp_xmalloc(TOCM_AGG_MAX_FILTERS * TOCMP_FOLD_BATCH);
}

/* Reads the whole file, chunk by chunk, on the workers: this thread is
 * worker 0, the others run on threads of their own; chunk k goes to worker
 * k mod the workers started, so which worker folds which chunk is fixed,
 * whatever the timing. */
static void read_all(struct tocmp_stream *st) {
    struct tocmp_table_chunk *ch;
    if (st->worker_count == 1) {
        while ((ch = tocmp_table_stream_next(st->s)) != NULL)
            process_chunk(&st->workers[0], ch);
        return;
    }
    pthread_mutex_init(&st->ring_lock, NULL);
    pthread_cond_init(&st->ring_turn, NULL);
    unsigned started = 1; /* worker 0: this thread */
    for (; started < st->worker_count; started++) {
        struct worker *w = &st->workers[started];
        w->index = started;
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
            break; /* no more threads: the ones started do the work */
    }
    pthread_mutex_lock(&st->ring_lock);
    st->ring = started;
    pthread_cond_broadcast(&st->ring_turn);
    pthread_mutex_unlock(&st->ring_lock);
    take_turns(&st->workers[0]);
    for (unsigned k = 1; k < started; k++)
        pthread_join(st->workers[k].thread, NULL);
    pthread_mutex_destroy(&st->ring_lock);
    pthread_cond_destroy(&st->ring_turn);
}

/* Worker 0 takes in the others' states, in worker order and, within a
 * worker, in the order its states were made. */
static void merge_workers(struct tocmp_stream *st) {
    struct worker *w0 = &st->workers[0];
    for (unsigned w = 1; w < st->worker_count; w++) {
        struct worker *wk = &st->workers[w];
        w0->overflow |= wk->overflow;
        /* wk's value ids as worker 0's */
        uint32_t **map = tocmp_xcalloc(st->interned_count + 1, sizeof *map);
        for (size_t k = 0; k < st->interned_count; k++) {
            map[k] = tocmp_xmalloc((wk->values[k].count + 1) * sizeof **map);
            for (size_t id = 0; id < wk->values[k].count; id++)
                map[k][id] = tocmp_values_intern(&w0->values[k], wk->values[k].text[id]);
        }
        for (size_t j = 0; j < st->ind_count && !w0->overflow; j++) {
            struct sind *si = &st->inds[j];
            struct tocmp_part *into = &w0->parts[j], *from = &wk->parts[j];
            if (into->failed)
                continue;
            if (from->failed) {
                into->failed = 1;
                w0->folds[j].err = wk->folds[j].err;
                continue;
            }
            uint32_t key[1 + MAX_DIMS];
            for (size_t s = 0; s < from->pool.count && !into->failed; s++) {
                for (size_t a = 0; a < si->arity; a++)
                    key[a] = map[si->key_need[a]][from->keys[s * si->arity + a]];
                size_t at;
                void *state = tocmp_part_state(into, &w0->folds[j], key, si->arity, &at);
                into->rows_of[at] += from->rows_of[s];
                if (tocmp_state_combine(&w0->folds[j], state, tocmp_pool_at(&from->pool, s)) != 0)
                    into->failed = 1;
            }
            if (into->pool.count > TOCMP_REPORT_MAX_CELLS)
                w0->overflow = 1;
        }
        for (size_t k = 0; k < st->interned_count; k++)
            free(map[k]);
        free(map);
        /* The states are merged: release them now (their texts live on in
         * wk's values until the stream is freed). */
        for (size_t j = 0; j < st->ind_count; j++)
            tocmp_part_free(&wk->parts[j], &wk->folds[j]);
    }
}

/* 1 when the dense index engine_fold.c makes of an indicator's cells would
 * be too large (it computes such sparse breakdowns from rows). */
static int too_sparse(const struct tocmp_stream *st, const struct sind *si) {
    const struct tocmp_part *p = &st->workers[0].parts[si - st->inds];
    size_t space = 1;
    for (size_t a = 0; a < si->arity; a++) {
        size_t count = st->workers[0].values[si->key_need[a]].count;
        unsigned char *seen = tocmp_xcalloc(count + 1, 1);
        size_t distinct = 0;
        for (size_t s = 0; s < p->pool.count; s++)
            if (!seen[p->keys[s * si->arity + a]]++)
                distinct++;
        free(seen);
        if (a == 0 && si->has_period) /* and the periods with targets only */
            distinct += json_object_size(json_object_get(si->model->json, "targets")) +
                        json_array_size(json_object_get(si->model->json, "breakdown_targets"));
        space *= distinct ? distinct : 1;
        if (space > TOCMP_FOLD_MAX_KEYS)
            return 1;
    }
    return 0;
}

/* ---- planning: which tables to stream ----------------------------------- */

struct tocmp_column_spec *tocmp_table_specs(const struct tocmp_table *def, size_t *count) {
    size_t spec_count = json_object_size(def->columns), k = 0;
    struct tocmp_column_spec *specs = tocmp_xcalloc(spec_count + 1, sizeof *specs);
    const char *col;
    json_t *type;
    json_object_foreach(def->columns, col, type) {
        const char *t = json_string_value(type);
        specs[k].name = col;
        specs[k++].type = strcmp(t, "integer") == 0   ? TOCM_CELL_INTEGER
                          : strcmp(t, "decimal") == 0 ? TOCM_CELL_DECIMAL
                          : strcmp(t, "date") == 0    ? TOCM_CELL_DATE
                                                      : TOCM_CELL_TEXT;
    }
    *count = spec_count;
    return specs;
}

/* The index of table column col among the interned ones, adding it. */
static size_t intern_column(struct tocmp_stream *st, size_t col) {
    for (size_t k = 0; k < st->interned_count; k++)
        if (st->interned[k] == col)
            return k;
    st->interned = tocmp_xrealloc(st->interned, (st->interned_count + 1) * sizeof *st->interned);
    st->interned[st->interned_count] = col;
    return st->interned_count++;
}

/* What plan_indicator found. */
enum plan_answer { PLAN_SKIP, PLAN_WHOLE, PLAN_FOLD };

/* Works out how indicator i folds, from the table's header alone. SKIP:
 * it fails before it needs rows (no calculator, a column the table lacks:
 * engine.c reports it), or prepare failed (si->prepared -1: reported when
 * the indicator is computed); WHOLE: it needs the table's rows; FOLD: si
 * is ready. */
static enum plan_answer plan_indicator(struct ctx *c, struct tocmp_stream *st, size_t i,
                                       struct sind *si) {
    const struct tocmp_indicator *model = &c->m->indicators[i];
    const struct tocm_table *h = st->header;
    memset(si, 0, sizeof *si);
    si->model = model;
    const struct tocm_calculator *calc = tocm_registry_calculator(c->reg, model->calculator);
    if (!calc)
        return PLAN_SKIP;
    if (!calc->aggregate)
        return PLAN_WHOLE;
    json_t *def = model->json;
    size_t cols[1 + MAX_DIMS], arity = 0;
    if (model->period) {
        if ((cols[arity++] = tocmp_table_column(h, model->period)) == TOCM_NONE)
            return PLAN_SKIP;
        si->has_period = 1;
    }
    json_t *dis = json_object_get(def, "disaggregate");
    if (json_array_size(dis) > MAX_DIMS)
        return PLAN_SKIP;
    size_t k;
    json_t *dim;
    json_array_foreach(dis, k, dim) {
        if (!json_is_string(dim))
            return PLAN_WHOLE; /* (the validator does not let this through) */
        if ((cols[arity++] = tocmp_table_column(h, json_string_value(dim))) == TOCM_NONE)
            return PLAN_SKIP;
    }
    si->filter = json_object_get(def, "filter");
    const char *fcol;
    json_t *fval;
    json_object_foreach(si->filter, fcol, fval) {
        (void)fval;
        if (tocmp_table_column(h, fcol) == TOCM_NONE)
            return PLAN_SKIP;
    }
    if (!json_is_object(si->filter))
        si->filter = NULL;

    si->req = (struct tocm_calc_request){.params = json_object_get(def, "params"), .table = h};
    struct tocmp_fold *f = &si->fold;
    *f = (struct tocmp_fold){.agg = calc->aggregate, .host = tocm_host_table()};
    f->plugin = tocm_registry_plugin_of(c->reg, calc);
    struct tocm_calc_input input = {
        .size = sizeof input, .model = c->m, .table = h, .request = &si->req};
    si->prepared = tocmp_agg_prepare(calc, f->plugin, &input, &f->plan, &f->err);
    if (si->prepared < 0) {
        si->err = f->err;
        return PLAN_SKIP;
    }
    if (si->prepared == 0)
        return PLAN_WHOLE;
    f->state_size = (f->plan.state_size + 15) & ~(size_t)15; /* aligned for any scalar */
    si->arity = arity;
    for (size_t a = 0; a < arity; a++)
        si->key_need[a] = intern_column(st, cols[a]);
    for (size_t p = 0; p < f->plan.column_count; p++)
        si->plan_need[p] = intern_column(st, f->plan.columns[p]);
    for (size_t p = 0; p < f->plan.filter_count; p++)
        si->plan_filters[p] = json_object_get(si->req.params, f->plan.filters[p]);
    return PLAN_FOLD;
}

static void stream_free(struct tocmp_stream *st) {
    if (!st)
        return;
    for (unsigned w = 0; w < st->worker_count; w++) {
        struct worker *wk = &st->workers[w];
        for (size_t j = 0; j < st->ind_count; j++)
            tocmp_part_free(&wk->parts[j], &wk->folds[j]);
        for (size_t k = 0; k < st->interned_count; k++)
            tocmp_values_free(&wk->values[k]);
        free(wk->values);
        free(wk->ids);
        free(wk->texts);
        free(wk->parts);
        free(wk->folds);
        free(wk->states);
        free(wk->masks);
        tocmp_table_block_free(&wk->block);
    }
    free(st->workers);
    free(st->inds);
    free(st->interned);
    if (st->diags)
        tocm_diags_free(st->diags);
    tocmp_table_stream_close(st->s);
    tocmp_table_free(st->owned);
    free(st);
}

/* Plans the selected indicators of table t from the first-th of the model
 * on into st: how many fold, or -1 when one needs the table's rows whole. */
static long plan_table(struct ctx *c, struct tocmp_stream *st, size_t t, size_t first) {
    size_t wanted = 0;
    for (size_t i = first; i < c->m->indicator_count; i++)
        wanted += (!c->selected || c->selected[i]) && c->m->indicators[i].table == t;
    st->inds = tocmp_xcalloc(wanted + 1, sizeof *st->inds);
    long folding = 0;
    for (size_t i = first; i < c->m->indicator_count; i++) {
        if ((c->selected && !c->selected[i]) || c->m->indicators[i].table != t)
            continue;
        struct sind *si = &st->inds[st->ind_count++];
        enum plan_answer a = plan_indicator(c, st, i, si);
        if (a == PLAN_WHOLE)
            return -1;
        folding += a == PLAN_FOLD;
    }
    return folding;
}

/* 1 when the folded states cannot be used: more than a report holds, or
 * too sparse for the dense index. */
static int gives_up(struct tocmp_stream *st) {
    int give_up = st->workers[0].overflow;
    for (size_t j = 0; j < st->ind_count && !give_up; j++)
        if (st->inds[j].prepared == 1 && !st->workers[0].parts[j].failed)
            give_up = too_sparse(st, &st->inds[j]);
    return give_up;
}

/* Streams table t for the selected indicators, or leaves it (NULL) to be
 * read whole. */
static struct tocmp_stream *stream_table(struct ctx *c, size_t t, const unsigned char *selected) {
    const struct tocmp_table *def = &c->m->tables[t];
    if (json_object_get(def->json, "database"))
        return NULL; /* a database's: pushed down or read by engine_source.c */
    size_t wanted = 0;
    for (size_t i = 0; i < c->m->indicator_count; i++)
        wanted += (!selected || selected[i]) && c->m->indicators[i].table == t;
    if (wanted == 0)
        return NULL;
    const char *rel = def->path;
    char *path = rel[0] == '/' || strcmp(c->model_dir, ".") == 0
                     ? tocmp_xstrdup(rel)
                     : tocmp_asprintf("%s/%s", c->model_dir, rel);
    size_t spec_count;
    struct tocmp_column_spec *specs = tocmp_table_specs(def, &spec_count);
    struct tocmp_stream *st = tocmp_xcalloc(1, sizeof *st);
    st->diags = tocm_diags_new();
    /* TOCM_STREAM_CHUNK: another chunk size in bytes, for the tests, which
     * cut small files into many chunks. */
    const char *chunk_env = getenv("TOCM_STREAM_CHUNK");
    size_t chunk = chunk_env && atol(chunk_env) > 0 ? (size_t)atol(chunk_env) : STREAM_CHUNK_BYTES;
    /* Named as the user wrote it, relative to where they ran tocm. */
    st->s = tocmp_table_stream_open(path, path, specs, spec_count, chunk, st->diags);
    free(specs);
    free(path);
    if (!st->s) {
        st->bad = 1; /* the header or the file is wrong: reported on first use */
        return st;
    }
    st->header = tocmp_table_stream_header(st->s);
    if (plan_table(c, st, t, 0) <= 0) {
        stream_free(st);
        return NULL;
    }

    st->worker_count = c->jobs;
    st->workers = tocmp_xcalloc(st->worker_count, sizeof *st->workers);
    for (unsigned w = 0; w < st->worker_count; w++)
        worker_init(&st->workers[w], st);
    read_all(st);
    if (tocmp_table_stream_finish(st->s, st->diags) == (size_t)-1) {
        st->bad = 1;
        return st;
    }
    merge_workers(st);
    if (gives_up(st)) { /* read whole: computing from rows says what is wrong */
        stream_free(st);
        return NULL;
    }
    /* The blocks' memory is no longer needed; the values are. */
    for (unsigned w = 0; w < st->worker_count; w++)
        tocmp_table_block_free(&st->workers[w].block);
    return st;
}

/* ---- rows from elsewhere: a database's, in blocks (engine_source.c) ---- */

/* Marks the columns of header that filter text (key) names in need. */
static void filter_columns(const struct tocm_table *header, json_t *filter, unsigned char *need) {
    const char *col;
    json_t *want;
    json_object_foreach(filter, col, want) {
        (void)want;
        size_t at = tocmp_table_column(header, col);
        if (at != TOCM_NONE)
            need[at] = 1;
    }
}

struct tocmp_stream *tocmp_stream_begin(struct ctx *c, size_t t, size_t first,
                                        const struct tocm_table *header, unsigned char *need) {
    const char *rows_only = getenv("TOCM_ENGINE_ROWS");
    if (rows_only && strcmp(rows_only, "1") == 0)
        return NULL;
    struct tocmp_stream *st = tocmp_xcalloc(1, sizeof *st);
    st->header = header;
    if (plan_table(c, st, t, first) <= 0) {
        stream_free(st);
        return NULL;
    }
    /* One worker: the rows come from one connection, and folding a block
     * costs less than the database takes to send it. */
    st->worker_count = 1;
    st->workers = tocmp_xcalloc(1, sizeof *st->workers);
    worker_init(&st->workers[0], st);
    memset(need, 0, header->column_count);
    for (size_t k = 0; k < st->interned_count; k++)
        need[st->interned[k]] = 1;
    for (size_t j = 0; j < st->ind_count; j++) {
        const struct sind *si = &st->inds[j];
        if (si->prepared != 1)
            continue;
        filter_columns(header, si->filter, need);
        for (size_t k = 0; k < si->fold.plan.filter_count; k++)
            filter_columns(header, si->plan_filters[k], need);
        for (size_t k = 0; k < si->fold.plan.column_count; k++)
            need[si->fold.plan.columns[k]] = 1;
    }
    return st;
}

int tocmp_stream_fold(struct tocmp_stream *st, const struct tocm_table *block) {
    struct worker *w = &st->workers[0];
    if (!w->overflow) {
        w->block = *block; /* borrowed for the fold */
        fold_block(w);
        memset(&w->block, 0, sizeof w->block);
    }
    return w->overflow;
}

int tocmp_stream_end(struct ctx *c, size_t t, struct tocmp_stream *st) {
    if (gives_up(st)) {
        stream_free(st);
        return 0;
    }
    st->owned = c->tables[t];
    c->streams[t] = st;
    return 1;
}

void tocmp_stream_discard(struct tocmp_stream *st) { stream_free(st); }

void tocmp_stream_tables(struct ctx *c, const unsigned char *selected) {
    c->streams = tocmp_xcalloc(c->m->table_count + 1, sizeof *c->streams);
    c->selected = selected;
    const char *rows_only = getenv("TOCM_ENGINE_ROWS");
    if (rows_only && strcmp(rows_only, "1") == 0)
        return;
    if (c->jobs == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        c->jobs = cores > 0 ? (unsigned)cores : 1;
    }
    if (c->jobs > MAX_JOBS)
        c->jobs = MAX_JOBS;
    for (size_t t = 0; t < c->m->table_count; t++)
        c->streams[t] = stream_table(c, t, selected);
}

struct tocm_table *tocmp_stream_table(struct ctx *c, size_t index, int *streamed) {
    struct tocmp_stream *st = c->streams ? c->streams[index] : NULL;
    *streamed = st != NULL;
    if (!st)
        return NULL;
    if (!st->given) {
        for (size_t k = 0; k < tocm_diags_count(st->diags); k++) {
            const tocm_diag *d = tocm_diags_get(st->diags, k);
            tocm_diags_add(c->diags, d->severity, d->code, d->file, d->line, d->column, d->path,
                           d->node, "%s", d->message);
        }
        st->given = 1;
    }
    return st->bad ? NULL : (struct tocm_table *)st->header;
}

static struct sind *find_sind(struct ctx *c, const struct indicator *ind,
                              struct tocmp_stream **out) {
    struct tocmp_stream *st = c->streams ? c->streams[ind->model->table] : NULL;
    for (size_t j = 0; st && j < st->ind_count; j++)
        if (st->inds[j].model == ind->model) {
            *out = st;
            return &st->inds[j];
        }
    return NULL;
}

int tocmp_stream_values(struct ctx *c, struct indicator *ind) {
    struct tocmp_stream *st;
    struct sind *si = find_sind(c, ind, &st);
    if (!si)
        return 0;
    if (si->prepared != 1)
        return 1; /* it failed: tocmp_stream_cells says why */
    const struct tocmp_part *p = &st->workers[0].parts[si - st->inds];
    const struct tocmp_values *v = st->workers[0].values;
    for (size_t s = 0; s < p->pool.count; s++) {
        const uint32_t *key = p->keys + s * si->arity;
        size_t a = 0;
        if (si->has_period)
            (void)tocmp_intern(&ind->periods, v[si->key_need[a]].text[key[a]]), a++;
        for (size_t d = 0; d < ind->dim_count; d++, a++)
            (void)tocmp_intern(&ind->dims[d], v[si->key_need[a]].text[key[a]]);
    }
    return 1;
}

int tocmp_stream_cells(struct ctx *c, struct indicator *ind, json_t *cells_json) {
    struct tocmp_stream *st;
    struct sind *si = find_sind(c, ind, &st);
    if (si->prepared != 1) {
        tocmp_calc_failed(c, ind, &si->err);
        return -1;
    }
    size_t j = (size_t)(si - st->inds);
    struct tocmp_part *p = &st->workers[0].parts[j];
    struct tocmp_fold f = st->workers[0].folds[j];
    f.c = c;
    f.ind = ind;
    p->taken = 1;
    if (p->failed) {
        tocmp_calc_failed(c, ind, &f.err);
        tocmp_pool_free(&f, &p->pool);
        return -1;
    }
    const struct tocmp_values *v = st->workers[0].values;
    size_t periods = ind->periods.count ? ind->periods.count : 1;
    size_t count = p->pool.count, n = 0, last_data = 0;
    size_t *key_of = tocmp_xmalloc((count ? count : 1) * sizeof *key_of);
    for (size_t s = 0; s < count; s++) {
        const uint32_t *key = p->keys + s * si->arity;
        size_t a = 0, period = 0, k = 0;
        if (si->has_period) {
            const char *text = v[si->key_need[a]].text[key[a]];
            period = ind->periods.rank[tocmp_idmap_get_known(&ind->periods.ids, text)];
            a++;
        }
        for (size_t d = 0; d < ind->dim_count; d++, a++) {
            const char *text = v[si->key_need[a]].text[key[a]];
            k = k * ind->dims[d].count +
                ind->dims[d].rank[tocmp_idmap_get_known(&ind->dims[d].ids, text)];
        }
        key_of[s] = k * periods + period;
        n += p->rows_of[s];
        if (period > last_data)
            last_data = period;
    }
    int rc = tocmp_fold_cells(&f, n, last_data, &p->pool, key_of, p->rows_of, cells_json);
    tocmp_pool_free(&f, &p->pool);
    free(key_of);
    return rc == 0 ? 1 : -1;
}

void tocmp_stream_free(struct ctx *c) {
    for (size_t t = 0; c->streams && t < c->m->table_count; t++)
        stream_free(c->streams[t]);
    free(c->streams);
    c->streams = NULL;
}
