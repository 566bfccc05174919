/*
 * distinct.c -- distinct: how many different values a column takes, e.g.
 * people trained, where "a person who attended more than one training event
 * was counted once only within a year".
 *
 * The host groups rows by period before calling, so counting distinct
 * values in the cell is exactly "once per period"; the total over countries
 * is recomputed from the union of rows, so a person trained in two countries
 * is still one person.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calculators.h"

static uint64_t hash(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int distinct_compute(const struct tocm_host *host, const struct tocm_calc_input *in,
                            struct tocm_calc_result *out, tocm_error *err) {
    size_t col = calc_column_param(host, in, "column", 1, err);
    if (col == TOCM_NONE)
        return -1;
    /* An open-addressing set of borrowed strings, at most half full. */
    size_t cap = 16;
    while (cap < in->row_count * 2)
        cap *= 2;
    const char **slots = host->alloc(cap * sizeof *slots);
    if (!slots) {
        host->error_set(err, "distinct", "out of memory");
        return -1;
    }
    memset(slots, 0, cap * sizeof *slots);
    size_t distinct = 0;
    for (size_t i = 0; i < in->row_count; i++) {
        size_t row = in->rows[i];
        if (!calc_row_selected(host, in, row))
            continue;
        const char *value = host->table_text(in->table, row, col);
        if (!*value)
            continue; /* no identifier: cannot be told apart, so not counted */
        size_t k = (size_t)hash(value) & (cap - 1);
        while (slots[k] && strcmp(slots[k], value) != 0)
            k = (k + 1) & (cap - 1);
        if (!slots[k]) {
            slots[k] = value;
            distinct++;
        }
    }
    host->free(slots);
    out->has_value = 1;
    out->value = (double)distinct;
    return 0;
}

/* distinct as an aggregate: an exact set of the identifiers seen (texts
 * borrowed from the table, which the host keeps until the last release),
 * merged by union, so a person in two countries is still one person in
 * their total. */
struct distinct_entry {
    const char *value;
    uint64_t hash;
};

struct distinct_state {
    struct distinct_entry *slots; /* open addressing, at most half full */
    size_t cap, count;
};

static int distinct_prepare(const struct tocm_host *host, const struct tocm_calc_input *in,
                            struct tocm_agg_plan *plan, tocm_error *err) {
    size_t col = calc_column_param(host, in, "column", 1, err);
    if (col == TOCM_NONE)
        return -1;
    calc_plan_column(plan, col);
    calc_plan_filter(plan, "where");
    plan->state_size = sizeof(struct distinct_state);
    return 1;
}

/* Adds value (with its hash) to the set. 0, or -1 with err set. */
static int distinct_add(const struct tocm_host *host, struct distinct_state *st, const char *value,
                        uint64_t h, tocm_error *err) {
    if (2 * (st->count + 1) > st->cap) {
        size_t cap = st->cap ? 2 * st->cap : 16;
        struct distinct_entry *slots = host->alloc(cap * sizeof *slots);
        if (!slots) {
            host->error_set(err, "distinct", "out of memory");
            return -1;
        }
        memset(slots, 0, cap * sizeof *slots);
        for (size_t i = 0; i < st->cap; i++) {
            if (!st->slots[i].value)
                continue;
            size_t k = (size_t)st->slots[i].hash & (cap - 1);
            while (slots[k].value)
                k = (k + 1) & (cap - 1);
            slots[k] = st->slots[i];
        }
        host->free(st->slots);
        st->slots = slots;
        st->cap = cap;
    }
    size_t k = (size_t)h & (st->cap - 1);
    while (st->slots[k].value) {
        if (st->slots[k].hash == h && strcmp(st->slots[k].value, value) == 0)
            return 0;
        k = (k + 1) & (st->cap - 1);
    }
    st->slots[k].value = value;
    st->slots[k].hash = h;
    st->count++;
    return 0;
}

static int distinct_update(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                           const struct tocm_agg_batch *b, tocm_error *err) {
    (void)plan;
    const char *const *text = b->columns[0].text;
    for (size_t i = 0; i < b->row_count; i++) {
        struct distinct_state *st = b->states[i];
        if (!st || !calc_batch_passes(b, 0, i) || !*text[i])
            continue; /* no identifier: cannot be told apart, so not counted */
        if (distinct_add(host, st, text[i], hash(text[i]), err) != 0)
            return -1;
    }
    return 0;
}

static int distinct_combine(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                            void *into, const void *from, tocm_error *err) {
    (void)plan;
    const struct distinct_state *b = from;
    for (size_t i = 0; i < b->cap; i++)
        if (b->slots[i].value &&
            distinct_add(host, into, b->slots[i].value, b->slots[i].hash, err) != 0)
            return -1;
    return 0;
}

static int distinct_finalize(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                             const void *state, struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    out->has_value = 1;
    out->value = (double)((const struct distinct_state *)state)->count;
    return 0;
}

static void distinct_release(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                             void *state) {
    (void)plan;
    struct distinct_state *st = state;
    host->free(st->slots);
    memset(st, 0, sizeof *st);
}

/* In SQL: grouped by the identifier as well, so each value of each cell
 * comes once, with how many of its rows pass "where". Exact, whatever the
 * number of values (the database sends each cell's set, not a count that
 * could not be merged). */
static int distinct_sql_terms(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                              struct tocm_agg_sql *sql, tocm_error *err) {
    (void)host, (void)plan, (void)err;
    calc_sql_term(sql, TOCM_AGG_SQL_GROUP, 0, 0, 0, 0);
    calc_sql_term(sql, TOCM_AGG_SQL_COUNT, 0, 0, 1u, 0);
    return 1;
}

static int distinct_sql_load(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                             const char *const *values, void *state, tocm_error *err) {
    (void)plan;
    calc_sum passing;
    if (calc_sql_integer(host, values[1], &passing, err) != 0)
        return -1;
    if (passing == 0 || !*values[0])
        return 0; /* no identifier: cannot be told apart, so not counted */
    return distinct_add(host, state, values[0], hash(values[0]), err);
}

static const struct tocm_aggregate distinct_aggregate = {
    .size = sizeof(struct tocm_aggregate),
    .prepare = distinct_prepare,
    .init = calc_state_zero,
    .update = distinct_update,
    .combine = distinct_combine,
    .finalize = distinct_finalize,
    .release = distinct_release,
    .sql_terms = distinct_sql_terms,
    .sql_load = distinct_sql_load,
};

const struct tocm_calculator tocm_calc_distinct = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "distinct",
    .summary = "number of distinct values (e.g. people counted once per period)",
    .params_help = "column: the identifier; where: optional filter",
    .compute = distinct_compute,
    .aggregate = &distinct_aggregate,
};
