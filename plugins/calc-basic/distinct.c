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

const struct tocm_calculator tocm_calc_distinct = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_calculator),
    .name = "distinct",
    .summary = "number of distinct values (e.g. people counted once per period)",
    .params_help = "column: the identifier; where: optional filter",
    .compute = distinct_compute,
};
