/*
 * idmap.c -- open-addressing hash map from borrowed strings to indices.
 *
 * Linear probing over a power-of-two table kept at most half full gives
 * O(1) average lookups; the model is loaded once and never shrinks, so
 * there is no deletion and no tombstone bookkeeping.
 */
#include "idmap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* FNV-1a: simple, and good enough for short identifiers like "O2.4". */
static uint64_t hash_string(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void tocmp_idmap_init(tocmp_idmap *map, size_t expected) {
    size_t capacity = 16;
    while (capacity / 2 < expected) {
        if (capacity > SIZE_MAX / 2 / sizeof *map->values)
            tocmp_out_of_memory(SIZE_MAX);
        capacity *= 2;
    }
    map->keys = tocmp_xcalloc(capacity, sizeof *map->keys);
    map->values = tocmp_xcalloc(capacity, sizeof *map->values);
    map->hashes = tocmp_xcalloc(capacity, sizeof *map->hashes);
    map->mask = capacity - 1;
    map->count = 0;
}

void tocmp_idmap_free(tocmp_idmap *map) {
    free(map->keys);
    free(map->values);
    free(map->hashes);
    map->keys = NULL;
    map->values = NULL;
    map->hashes = NULL;
    map->count = 0;
}

/* The slot holding key, or the empty slot where it would go; *tag is what
 * the key's slot holds in hashes. */
static size_t find_slot(const tocmp_idmap *map, const char *key, unsigned *tag);

static void grow(tocmp_idmap *map) {
    tocmp_idmap bigger;
    tocmp_idmap_init(&bigger, map->mask + 1);
    /* The keys are distinct: each goes straight into its empty slot. */
    for (size_t i = 0; i <= map->mask; i++) {
        if (!map->keys[i])
            continue;
        unsigned tag;
        size_t slot = find_slot(&bigger, map->keys[i], &tag);
        bigger.keys[slot] = map->keys[i];
        bigger.values[slot] = map->values[i];
        bigger.hashes[slot] = tag;
        bigger.count++;
    }
    tocmp_idmap_free(map);
    *map = bigger;
}

static size_t find_slot(const tocmp_idmap *map, const char *key, unsigned *tag) {
    uint64_t h = hash_string(key);
    /* The high half (the low one picks the slot), with 1 set: 0 is empty. */
    unsigned t = (unsigned)(h >> 32) | 1u;
    size_t i = (size_t)h & map->mask;
    while (map->hashes[i] && (map->hashes[i] != t || strcmp(map->keys[i], key) != 0))
        i = (i + 1) & map->mask;
    *tag = t;
    return i;
}

size_t tocmp_idmap_put(tocmp_idmap *map, const char *key, size_t value) {
    if ((map->count + 1) * 2 > map->mask + 1)
        grow(map);
    unsigned tag;
    size_t i = find_slot(map, key, &tag);
    if (map->keys[i])
        return map->values[i];
    map->keys[i] = key;
    map->values[i] = value;
    map->hashes[i] = tag;
    map->count++;
    return value;
}

size_t tocmp_idmap_get(const tocmp_idmap *map, const char *key) {
    if (!map->keys)
        return TOCMP_IDMAP_NONE;
    unsigned tag;
    size_t i = find_slot(map, key, &tag);
    return map->keys[i] ? map->values[i] : TOCMP_IDMAP_NONE;
}

static void internal_error(const char *file, int line, const char *key, const char *what) {
    fprintf(stderr, "tocm: internal error at %s:%d: '%s' %s the index\n", file, line, key, what);
    abort();
}

void tocmp_idmap_add_new_at(tocmp_idmap *map, const char *key, size_t value, const char *file,
                            int line) {
    unsigned tag;
    if (tocmp_idmap_put(map, key, value) != value || map->keys[find_slot(map, key, &tag)] != key)
        internal_error(file, line, key, "is already in");
}

size_t tocmp_idmap_get_known_at(const tocmp_idmap *map, const char *key, const char *file,
                                int line) {
    size_t value = tocmp_idmap_get(map, key);
    if (value == TOCMP_IDMAP_NONE)
        internal_error(file, line, key, "is not in");
    return value;
}
