/*
 * idmap.h -- string -> index hash map with open addressing. Keys are
 * borrowed: the map never copies or frees them, so they must outlive it.
 *
 * Memory follows the library's rule (include/tocm/tocm.h): the map
 * allocates through tocmp_x*, so running out of memory stops the program
 * and no function here fails. What each returns is an index or
 * TOCMP_IDMAP_NONE, and the compiler insists that every caller looks at it.
 */
#ifndef TOCMP_IDMAP_H
#define TOCMP_IDMAP_H

#include <stddef.h>

/* "No such key": what tocmp_idmap_get returns for a key not in the map. */
#define TOCMP_IDMAP_NONE ((size_t)-1)

typedef struct tocmp_idmap {
    const char **keys; /* NULL marks an empty slot */
    size_t *values;
    /* Part of each key's hash, never 0 in a used slot: a probe compares
     * these (dense, 4 bytes a slot) and reads a key's bytes only when
     * they match, rather than following every key it passes. */
    unsigned *hashes;
    size_t mask; /* capacity - 1; capacity is a power of two */
    size_t count;
} tocmp_idmap;

/* Sizes the table for expected entries at most half full. */
void tocmp_idmap_init(tocmp_idmap *map, size_t expected);
void tocmp_idmap_free(tocmp_idmap *map);
/* Inserts key unless present. Returns the value now stored under key: the
 * given one when inserted, the earlier one when key was already there (so
 * `put(...) != value` means "a duplicate"). */
size_t tocmp_idmap_put(tocmp_idmap *map, const char *key, size_t value)
    __attribute__((warn_unused_result));
/* Inserts a key the caller knows is not there yet (it just looked, or the
 * keys are distinct by construction). A key already there is a bug in
 * tocm: it stops the program with a message naming the key and caller. */
#define tocmp_idmap_add_new(map, key, value)                                                       \
    tocmp_idmap_add_new_at(map, key, value, __FILE__, __LINE__)
void tocmp_idmap_add_new_at(tocmp_idmap *map, const char *key, size_t value, const char *file,
                            int line);
/* The value under key, or TOCMP_IDMAP_NONE. */
size_t tocmp_idmap_get(const tocmp_idmap *map, const char *key) __attribute__((warn_unused_result));
/* The value under a key the caller put there itself. A missing key is a bug
 * in tocm, not a condition of the input: it stops the program with a
 * message naming the key and the caller. */
#define tocmp_idmap_get_known(map, key) tocmp_idmap_get_known_at(map, key, __FILE__, __LINE__)
size_t tocmp_idmap_get_known_at(const tocmp_idmap *map, const char *key, const char *file,
                                int line);

#endif
