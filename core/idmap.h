/*
 * idmap.h -- string -> index hash map with open addressing. Keys are
 * borrowed: the map never copies or frees them, so they must outlive it.
 */
#ifndef TOCMP_IDMAP_H
#define TOCMP_IDMAP_H

#include <stddef.h>

typedef struct tocmp_idmap {
    const char **keys; /* NULL marks an empty slot */
    size_t *values;
    size_t mask; /* capacity - 1; capacity is a power of two */
    size_t count;
} tocmp_idmap;

/* Sizes the table for expected entries at most half full. Returns 0, or -1
 * when out of memory. */
int tocmp_idmap_init(tocmp_idmap *map, size_t expected);
void tocmp_idmap_free(tocmp_idmap *map);
/* Inserts key unless present. Returns the value now stored under key: the
 * given one when inserted, the earlier one when key was already there. */
size_t tocmp_idmap_put(tocmp_idmap *map, const char *key, size_t value);
/* The value under key, or (size_t)-1. */
size_t tocmp_idmap_get(const tocmp_idmap *map, const char *key);

#endif
