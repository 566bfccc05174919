/*
 * idmap.c -- open-addressing hash map from borrowed strings to indices.
 *
 * Linear probing over a power-of-two table kept at most half full gives
 * O(1) average lookups; the model is loaded once and never shrinks, so
 * there is no deletion and no tombstone bookkeeping.
 */
#include "idmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a: simple, and good enough for short identifiers like "O2.4". */
static uint64_t hash_string(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

int tocmp_idmap_init(tocmp_idmap *map, size_t expected) {
    size_t capacity = 16;
    while (capacity < expected * 2)
        capacity *= 2;
    map->keys = calloc(capacity, sizeof *map->keys);
    map->values = malloc(capacity * sizeof *map->values);
    map->mask = capacity - 1;
    map->count = 0;
    if (!map->keys || !map->values) {
        tocmp_idmap_free(map);
        return -1;
    }
    return 0;
}

void tocmp_idmap_free(tocmp_idmap *map) {
    free(map->keys);
    free(map->values);
    map->keys = NULL;
    map->values = NULL;
    map->count = 0;
}

static int grow(tocmp_idmap *map) {
    tocmp_idmap bigger;
    if (tocmp_idmap_init(&bigger, (map->mask + 1)) != 0)
        return -1;
    for (size_t i = 0; i <= map->mask; i++)
        if (map->keys[i])
            tocmp_idmap_put(&bigger, map->keys[i], map->values[i]);
    tocmp_idmap_free(map);
    *map = bigger;
    return 0;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find_slot(const tocmp_idmap *map, const char *key) {
    size_t i = (size_t)hash_string(key) & map->mask;
    while (map->keys[i] && strcmp(map->keys[i], key) != 0)
        i = (i + 1) & map->mask;
    return i;
}

size_t tocmp_idmap_put(tocmp_idmap *map, const char *key, size_t value) {
    if ((map->count + 1) * 2 > map->mask + 1 && grow(map) != 0)
        return (size_t)-1;
    size_t i = find_slot(map, key);
    if (map->keys[i])
        return map->values[i];
    map->keys[i] = key;
    map->values[i] = value;
    map->count++;
    return value;
}

size_t tocmp_idmap_get(const tocmp_idmap *map, const char *key) {
    if (!map->keys)
        return (size_t)-1;
    size_t i = find_slot(map, key);
    return map->keys[i] ? map->values[i] : (size_t)-1;
}
