/*
 * engine_keys.h -- how a streamed row finds its state (engine_keys.c): the
 * distinct texts of a column, each interned once per worker as a small
 * integer, and an indicator's finest states indexed by the integers of
 * their period and breakdown values. Private to engine*.c.
 *
 * At millions of rows these two lookups are made for every row and every
 * grouped column, so the common case of each is inline here and touches
 * as few bytes as it can: a short text (at most 7 bytes: years, codes,
 * counts) is one 8-byte word, found by one multiply and one compare; a
 * state's key is packed into one word while the ids are small enough, and
 * found the same way. Everything else goes to engine_keys.c.
 */
#ifndef TOCMP_ENGINE_KEYS_H
#define TOCMP_ENGINE_KEYS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine_parts.h"

#define TOCMP_KEYS_MIX 0x9E3779B97F4A7C15u

/* The hash a slot is taken from: its top bits (tocmp_keys_slot), which
 * depend on every bit of the word (a product's low bits depend on the
 * factors' low bits only: a key packed as year, country, sex would have
 * had its slot chosen by the sex alone). */
static inline uint64_t tocmp_keys_hash(uint64_t word) { return word * TOCMP_KEYS_MIX; }
/* The slot of hash h in a table of 2^(64 - shift) slots. */
static inline size_t tocmp_keys_slot(uint64_t h, unsigned shift) { return (size_t)(h >> shift); }

/* ---- values: one column's distinct texts, as one worker has seen them --- */

/* A slot of the open-addressing index. head: the text's first 8 bytes,
 * zero-filled; for a text of at most 7 bytes (a text never holds a NUL)
 * head and len are the whole text. */
struct tocmp_value_slot {
    uint64_t head;
    uint32_t id; /* id + 1; 0 for an empty slot */
    uint32_t len;
};
struct tocmp_values {
    struct tocmp_value_slot *slots;
    size_t mask;    /* slots - 1 */
    unsigned shift; /* 64 - log2(slots) */
    char **text;    /* id -> text (in the arena) */
    uint64_t *hash; /* id -> the hash its slot came from */
    size_t count, cap;
    char *arena; /* the current block: arena_left bytes left */
    size_t arena_left;
    char **blocks;
    size_t block_count;
};

void tocmp_values_init(struct tocmp_values *v);
void tocmp_values_free(struct tocmp_values *v);
/* The id of text s, adding it if new. Any NUL-terminated text. */
uint32_t tocmp_values_intern(struct tocmp_values *v, const char *s);

/* The same, for a text that may be read TOCMP_TABLE_PAD bytes past its NUL
 * (a chunk's buffer is padded so): its first word is loaded whole, and its
 * end found in it by the classic zero-byte test (exact for the lowest zero
 * byte), with no loop over bytes. Little-endian words, as the plain
 * tocmp_values_intern makes them; elsewhere that one does the work. */
static inline uint32_t tocmp_values_intern_padded(struct tocmp_values *v, const char *s) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    memcpy(&w, s, 8);
    uint64_t zero = (w - 0x0101010101010101u) & ~w & 0x8080808080808080u;
    if (zero) {
        uint32_t len = (uint32_t)__builtin_ctzll(zero) >> 3;
        uint64_t head = len ? w & (~(uint64_t)0 >> (64 - 8 * len)) : 0;
        for (size_t i = tocmp_keys_slot(tocmp_keys_hash(head), v->shift);; i = (i + 1) & v->mask) {
            const struct tocmp_value_slot *sl = &v->slots[i];
            if (sl->head == head && sl->len == len && sl->id)
                return sl->id - 1;
            if (!sl->id)
                break; /* new: the slow path adds it */
        }
    }
#endif
    return tocmp_values_intern(v, s);
}

/* ---- parts: one indicator's finest states, in one worker ---------------- */

/* A slot: a state and its key's tag. While every id of a key fits in
 * 64 / arity bits, the tag is the key itself, packed, and equal tags mean
 * equal keys; once one does not fit, the part turns wide for good: tags are
 * hashes of the whole key, checked against the key. */
struct tocmp_part_slot {
    uint64_t tag;
    void *state; /* NULL for an empty slot */
    size_t index;
};

/* State s has the key keys[s * arity ...] (its period's id, then each
 * breakdown value's), in the order states were made. */
struct tocmp_part {
    struct tocmp_pool pool;
    uint32_t *keys;
    size_t *rows_of; /* rows folded into each state */
    struct tocmp_part_slot *slots;
    size_t mask, cap; /* mask: slots - 1 */
    unsigned shift;   /* 64 - log2(slots) */
    int wide;
    int failed; /* the calculator failed: the fold's err says why */
    int taken;  /* computed: its states released */
};

/* The state of key, made (and init) when new: the slow path. */
void *tocmp_part_add(struct tocmp_part *p, struct tocmp_fold *f, const uint32_t *key, size_t arity,
                     size_t *index);

/* key packed into one word, 32 bits per id for one or two parts, 64 /
 * arity bits for more (9 for seven): 1, or 0 when an id is too large. */
static inline int tocmp_part_pack(const uint32_t *key, size_t arity, uint64_t *tag) {
    unsigned width = arity <= 2 ? 32 : 64 / (unsigned)arity;
    uint64_t t = 0, over = 0;
    for (size_t a = 0; a < arity; a++) {
        over |= key[a];
        t = t << width | key[a];
    }
    *tag = t;
    return (over >> width) == 0;
}

/* The state of key (arity ids), made (and init) when new; *index: its
 * number, in the order states were made. */
static inline void *tocmp_part_state(struct tocmp_part *p, struct tocmp_fold *f,
                                     const uint32_t *key, size_t arity, size_t *index) {
    uint64_t tag;
    if (p->slots && !p->wide && tocmp_part_pack(key, arity, &tag)) {
        for (size_t i = tocmp_keys_slot(tocmp_keys_hash(tag), p->shift);; i = (i + 1) & p->mask) {
            const struct tocmp_part_slot *sl = &p->slots[i];
            if (sl->tag == tag && sl->state) {
                *index = sl->index;
                return sl->state;
            }
            if (!sl->state)
                break;
        }
    }
    return tocmp_part_add(p, f, key, arity, index);
}
void tocmp_part_free(struct tocmp_part *p, struct tocmp_fold *f);

#endif
