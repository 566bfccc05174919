/*
 * engine_keys.c -- interned column values and the index of finest states,
 * for the streamed engine (engine_stream.c). See engine_keys.h.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_keys.h"
#include "util.h"

#define ARENA_BLOCK 65536

/* ---- values ---------------------------------------------------------------
 * A text of at most 7 bytes is placed by the hash of its one word (head)
 * alone, as the inline path places it; a longer one by the hash of its
 * length and all its words (the last one zero-filled), and is compared
 * past its head with memcmp. */

/* n < 8 bytes of s as the low bytes of a word, the rest zero: the word a
 * little-endian load of the padded text gives, once masked. */
static inline uint64_t load_part(const char *s, size_t n) {
    uint64_t w = 0;
    memcpy(&w, s, n);
    return w;
}

static uint64_t text_hash(const char *s, size_t len, uint64_t head) {
    if (len < 8)
        return tocmp_keys_hash(head);
    uint64_t h = (uint64_t)len * TOCMP_KEYS_MIX;
    for (size_t off = 0; off < len; off += 8)
        h = (h ^ load_part(s + off, len - off < 8 ? len - off : 8)) * TOCMP_KEYS_MIX;
    return h;
}

void tocmp_values_init(struct tocmp_values *v) {
    memset(v, 0, sizeof *v);
    v->mask = 63;
    v->shift = 58;
    v->slots = tocmp_xcalloc(v->mask + 1, sizeof *v->slots);
}

static char *arena_copy(struct tocmp_values *v, const char *s, size_t len) {
    if (len + 1 > v->arena_left) {
        size_t size = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;
        v->blocks = tocmp_xrealloc(v->blocks, (v->block_count + 1) * sizeof *v->blocks);
        v->blocks[v->block_count++] = v->arena = tocmp_xmalloc(size);
        v->arena_left = size;
    }
    char *copy = v->arena;
    memcpy(copy, s, len + 1);
    v->arena += len + 1;
    v->arena_left -= len + 1;
    return copy;
}

/* A text not seen before, into the empty slot i its probe ended at. */
static uint32_t values_add(struct tocmp_values *v, const char *s, size_t i, uint64_t h, size_t len,
                           uint64_t head) {
    if (v->count == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 64;
        v->text = tocmp_xrealloc(v->text, v->cap * sizeof *v->text);
        v->hash = tocmp_xrealloc(v->hash, v->cap * sizeof *v->hash);
    }
    uint32_t id = (uint32_t)v->count++;
    v->text[id] = arena_copy(v, s, len);
    v->hash[id] = h;
    /* A length past 32 bits is kept as the largest: the tail's memcmp
     * still tells such texts apart. */
    uint32_t len32 = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
    v->slots[i] = (struct tocmp_value_slot){head, id + 1, len32};
    if (2 * v->count > v->mask + 1) { /* at most half full */
        size_t mask = 2 * v->mask + 1;
        struct tocmp_value_slot *slots = tocmp_xcalloc(mask + 1, sizeof *slots);
        for (size_t k = 0; k <= v->mask; k++) {
            if (!v->slots[k].id)
                continue;
            size_t j = tocmp_keys_slot(v->hash[v->slots[k].id - 1], v->shift - 1);
            while (slots[j].id)
                j = (j + 1) & mask;
            slots[j] = v->slots[k];
        }
        free(v->slots);
        v->slots = slots;
        v->mask = mask;
        v->shift--;
    }
    return id;
}

uint32_t tocmp_values_intern(struct tocmp_values *v, const char *s) {
    size_t len = strlen(s);
    uint64_t head = load_part(s, len < 8 ? len : 8), h = text_hash(s, len, head);
    uint32_t len32 = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
    size_t i = tocmp_keys_slot(h, v->shift);
    for (; v->slots[i].id; i = (i + 1) & v->mask) {
        const struct tocmp_value_slot *sl = &v->slots[i];
        if (sl->head == head && sl->len == len32 &&
            (len < 8 || strcmp(v->text[sl->id - 1] + 8, s + 8) == 0))
            return sl->id - 1;
    }
    return values_add(v, s, i, h, len, head);
}

void tocmp_values_free(struct tocmp_values *v) {
    for (size_t b = 0; b < v->block_count; b++)
        free(v->blocks[b]);
    free(v->blocks);
    free(v->slots);
    free(v->text);
    free(v->hash);
    memset(v, 0, sizeof *v);
}

/* ---- the index of finest states ------------------------------------------ */

static uint64_t key_hash(const uint32_t *key, size_t arity) {
    uint64_t h = TOCMP_KEYS_MIX;
    for (size_t a = 0; a < arity; a++)
        h = (h ^ key[a]) * 0xFF51AFD7ED558CCDu;
    return h ^ (h >> 29);
}

static uint64_t tag_of(const struct tocmp_part *p, const uint32_t *key, size_t arity) {
    uint64_t tag;
    if (p->wide || !tocmp_part_pack(key, arity, &tag))
        tag = key_hash(key, arity);
    return tag;
}

/* Rebuilds the slots, 2^(64 - shift) of them, from the states' keys. */
static void part_reindex(struct tocmp_part *p, size_t arity, unsigned shift) {
    size_t mask = ((size_t)1 << (64 - shift)) - 1;
    struct tocmp_part_slot *slots = tocmp_xcalloc(mask + 1, sizeof *slots);
    for (size_t k = 0; k < p->pool.count; k++) {
        uint64_t tag = tag_of(p, p->keys + k * arity, arity);
        size_t j = tocmp_keys_slot(tocmp_keys_hash(tag), shift);
        while (slots[j].state)
            j = (j + 1) & mask;
        slots[j] = (struct tocmp_part_slot){tag, tocmp_pool_at(&p->pool, k), k};
    }
    free(p->slots);
    p->slots = slots;
    p->mask = mask;
    p->shift = shift;
}

void *tocmp_part_add(struct tocmp_part *p, struct tocmp_fold *f, const uint32_t *key, size_t arity,
                     size_t *index) {
    if (!p->slots) {
        p->mask = 63;
        p->shift = 58;
        p->slots = tocmp_xcalloc(p->mask + 1, sizeof *p->slots);
    }
    uint64_t tag;
    if (!p->wide && !tocmp_part_pack(key, arity, &tag)) {
        p->wide = 1; /* for good: every tag becomes a hash */
        part_reindex(p, arity, p->shift);
    }
    tag = tag_of(p, key, arity);
    size_t i = tocmp_keys_slot(tocmp_keys_hash(tag), p->shift);
    for (const struct tocmp_part_slot *sl; (sl = &p->slots[i])->state; i = (i + 1) & p->mask) {
        if (sl->tag == tag &&
            (!p->wide || memcmp(p->keys + sl->index * arity, key, arity * sizeof *key) == 0)) {
            *index = sl->index;
            return sl->state;
        }
    }
    size_t s = p->pool.count;
    if (s == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->keys = tocmp_xrealloc(p->keys, p->cap * (arity ? arity : 1) * sizeof *p->keys);
        p->rows_of = tocmp_xrealloc(p->rows_of, p->cap * sizeof *p->rows_of);
    }
    memcpy(p->keys + s * arity, key, arity * sizeof *key);
    p->rows_of[s] = 0;
    void *state = tocmp_pool_new(&p->pool);
    tocmp_state_init(f, state);
    p->slots[i] = (struct tocmp_part_slot){tag, state, s};
    if (2 * p->pool.count > p->mask + 1) /* at most half full */
        part_reindex(p, arity, p->shift - 1);
    *index = s;
    return state;
}

void tocmp_part_free(struct tocmp_part *p, struct tocmp_fold *f) {
    if (!p->taken)
        tocmp_pool_free(f, &p->pool);
    free(p->keys);
    free(p->rows_of);
    free(p->slots);
    memset(p, 0, sizeof *p);
}
