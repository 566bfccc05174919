/*
 * diff_renames.c -- which removed node and added node are one node renamed.
 *
 * A node removed from the old model and one added in the new, on the same
 * level, are one node renamed when they have the same title, or when enough
 * else matches: score 2 each for the same description, the same links out,
 * the same contributors (links in), 1 for each other field that is equal;
 * 4 or more is a match. Candidate pairs are taken best score first, each
 * node at most once. Once renames are known, every id in the old model is
 * read through them, so a rename does not also show up as a link removed
 * and a link added on each of the node's neighbours.
 */
#include <stdlib.h>
#include <string.h>

#include "diff_internal.h"
#include "model_internal.h"
#include "util.h"

/* ---- renames ---------------------------------------------------------------- */

struct candidate {
    size_t old_i, new_i; /* positions in the removed and added lists */
    int score;
};

static int by_score(const void *a, const void *b) {
    const struct candidate *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    if (x->old_i != y->old_i)
        return x->old_i < y->old_i ? -1 : 1;
    return x->new_i < y->new_i ? -1 : x->new_i > y->new_i;
}

static int equal_present(json_t *a, json_t *b) { return a && b && json_equal(a, b); }

static int rename_score(const struct side *o, const struct side *n, json_t *a, json_t *b) {
    const char *la = tocmp_diff_str_member(a, "level"), *lb = tocmp_diff_str_member(b, "level");
    if (!la || !lb || strcmp(la, lb) != 0)
        return -1;
    int score = 0;
    int same_title = equal_present(json_object_get(a, "title"), json_object_get(b, "title"));
    if (same_title)
        score += 4;
    if (equal_present(json_object_get(a, "description"), json_object_get(b, "description")))
        score += 2;
    json_t *out_a = json_object_get(a, "contributes_to"),
           *out_b = json_object_get(b, "contributes_to");
    if (json_array_size(out_a) > 0 && tocmp_diff_same_set(out_a, out_b, NULL))
        score += 2;
    json_t *in_a = json_object_get(o->in_links, tocmp_diff_str_member(a, "id"));
    json_t *in_b = json_object_get(n->in_links, tocmp_diff_str_member(b, "id"));
    if (json_array_size(in_a) > 0 && tocmp_diff_same_set(in_a, in_b, NULL))
        score += 2;
    static const char *const strong[] = {
        "id", "level", "title", "description", "contributes_to", "inferred", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(a, key, v) {
        if (!tocmp_diff_in_list(strong, key) && equal_present(v, json_object_get(b, key)))
            score += 1;
    }
    return same_title || score >= 4 ? score : -1;
}

/* Candidate pairs are found through indices, not by scoring every pair:
 * a pair scores 4 or more only if the two nodes share their level and at
 * least one of title, description, links out or contributors (or, failing
 * those, four weaker fields; such pairs are found only when every pair is
 * scored, below ALL_PAIRS). Each removed node scores at most MAX_TRIES
 * nodes of each index bucket it falls in, starting at its own rank in the
 * bucket, so a thousand nodes that share a title cost a thousand times
 * MAX_TRIES scores, not a million, and nodes listed in the same order pair
 * up in that order. */
#define ALL_PAIRS 65536
#define MAX_TRIES 16
enum { KEY_TITLE, KEY_DESCRIPTION, KEY_OUT, KEY_IN, KEY_COUNT };

static int by_string(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The ids of a list of ids, sorted and joined, appended to b. */
static void append_id_set(tocmp_buf *b, json_t *array) {
    size_t n = json_array_size(array), k = 0;
    const char **ids = tocmp_xmalloc((n ? n : 1) * sizeof *ids);
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v) {
        if (json_is_string(v))
            ids[k++] = json_string_value(v);
    }
    qsort(ids, k, sizeof *ids, by_string);
    for (i = 0; i < k; i++) {
        if (i && strcmp(ids[i], ids[i - 1]) == 0)
            continue; /* a set: E108 duplicates do not count */
        tocmp_buf_puts(b, "\x1f");
        tocmp_buf_puts(b, ids[i]);
    }
    free(ids);
}

/* The key of node under index which, or NULL when it has nothing to match
 * on there. new. */
static char *index_key(const struct side *s, json_t *node, int which) {
    const char *level = tocmp_diff_str_member(node, "level");
    if (!level)
        return NULL;
    tocmp_buf b = {0};
    tocmp_buf_printf(&b, "%d\x1f%s\x1f", which, level);
    if (which == KEY_TITLE || which == KEY_DESCRIPTION) {
        const char *text =
            tocmp_diff_str_member(node, which == KEY_TITLE ? "title" : "description");
        if (!text) {
            free(b.data);
            return NULL;
        }
        tocmp_buf_puts(&b, text);
    } else {
        json_t *links = which == KEY_OUT
                            ? json_object_get(node, "contributes_to")
                            : json_object_get(s->in_links, tocmp_diff_str_member(node, "id"));
        if (json_array_size(links) == 0) {
            free(b.data);
            return NULL;
        }
        append_id_set(&b, links);
    }
    return b.data;
}

static void add_candidate(struct candidate **c, size_t *count, size_t *cap, size_t i, size_t j,
                          int score) {
    if (*count == *cap) {
        *cap *= 2;
        *c = tocmp_xrealloc(*c, *cap * sizeof **c);
    }
    (*c)[(*count)++] = (struct candidate){.old_i = i, .new_i = j, .score = score};
}

/* Fills map (old id -> new id) and pairs (array of [old, new]). */
void tocmp_diff_find_renames(const struct side *o, const struct side *n, json_t *removed,
                             json_t *added, json_t *map) {
    size_t nr = json_array_size(removed), na = json_array_size(added);
    if (!nr || !na)
        return;
    size_t cap = 64, count = 0;
    struct candidate *c = tocmp_xmalloc(cap * sizeof *c);
    if (nr <= ALL_PAIRS / na) {
        for (size_t i = 0; i < nr; i++) {
            json_t *a = tocmp_diff_node_at(o, json_string_value(json_array_get(removed, i)));
            for (size_t j = 0; j < na; j++) {
                json_t *b = tocmp_diff_node_at(n, json_string_value(json_array_get(added, j)));
                int score = rename_score(o, n, a, b);
                if (score >= 0)
                    add_candidate(&c, &count, &cap, i, j, score);
            }
        }
    } else {
        /* key -> array of positions in added; key -> removed nodes seen. */
        json_t *index = json_object(), *seen = json_object();
        for (size_t j = 0; j < na; j++) {
            json_t *b = tocmp_diff_node_at(n, json_string_value(json_array_get(added, j)));
            for (int which = 0; which < KEY_COUNT; which++) {
                char *key = index_key(n, b, which);
                if (!key)
                    continue;
                json_t *list = json_object_get(index, key);
                if (!list) {
                    list = json_array();
                    json_object_set_new(index, key, list);
                }
                json_array_append_new(list, json_integer((json_int_t)j));
                free(key);
            }
        }
        for (size_t i = 0; i < nr; i++) {
            json_t *a = tocmp_diff_node_at(o, json_string_value(json_array_get(removed, i)));
            for (int which = 0; which < KEY_COUNT; which++) {
                char *key = index_key(o, a, which);
                json_t *list = key ? json_object_get(index, key) : NULL;
                if (!list) {
                    free(key);
                    continue;
                }
                json_t *rank = json_object_get(seen, key);
                size_t first = rank ? (size_t)json_integer_value(rank) : 0;
                json_object_set_new(seen, key, json_integer((json_int_t)first + 1));
                free(key);
                size_t len = json_array_size(list);
                size_t tries = len < MAX_TRIES ? len : MAX_TRIES;
                for (size_t t = 0; t < tries; t++) {
                    size_t j = (size_t)json_integer_value(json_array_get(list, (first + t) % len));
                    json_t *b = tocmp_diff_node_at(n, json_string_value(json_array_get(added, j)));
                    int score = rename_score(o, n, a, b);
                    if (score >= 0)
                        add_candidate(&c, &count, &cap, i, j, score);
                }
            }
        }
        json_decref(index);
        json_decref(seen);
    }
    qsort(c, count, sizeof *c, by_score);
    unsigned char *used_old = tocmp_xcalloc(nr, 1), *used_new = tocmp_xcalloc(na, 1);
    for (size_t k = 0; k < count; k++) {
        if (used_old[c[k].old_i] || used_new[c[k].new_i])
            continue;
        used_old[c[k].old_i] = used_new[c[k].new_i] = 1;
        json_object_set(map, json_string_value(json_array_get(removed, c[k].old_i)),
                        json_array_get(added, c[k].new_i));
    }
    free(used_old);
    free(used_new);
    free(c);
}
