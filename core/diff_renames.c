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

/* Fills map (old id -> new id) and pairs (array of [old, new]). */
void tocmp_diff_find_renames(const struct side *o, const struct side *n, json_t *removed,
                             json_t *added, json_t *map) {
    size_t nr = json_array_size(removed), na = json_array_size(added);
    if (!nr || !na)
        return;
    size_t cap = 64, count = 0;
    struct candidate *c = tocmp_xmalloc(cap * sizeof *c);
    /* Every pair when that is affordable; otherwise only same-title pairs,
     * found through a title index. */
    int all_pairs = nr * na <= 1000000;
    json_t *by_title = json_object();
    if (!all_pairs) {
        for (size_t j = 0; j < na; j++) {
            json_t *b = tocmp_diff_node_at(n, json_string_value(json_array_get(added, j)));
            char *key = tocmp_asprintf(
                "%s\x1f%s",
                tocmp_diff_str_member(b, "level") ? tocmp_diff_str_member(b, "level") : "",
                tocmp_diff_str_member(b, "title") ? tocmp_diff_str_member(b, "title") : "");
            json_t *list = json_object_get(by_title, key);
            if (!list) {
                list = json_array();
                json_object_set_new(by_title, key, list);
            }
            json_array_append_new(list, json_integer((json_int_t)j));
            free(key);
        }
    }
    for (size_t i = 0; i < nr; i++) {
        json_t *a = tocmp_diff_node_at(o, json_string_value(json_array_get(removed, i)));
        json_t *list = NULL;
        if (!all_pairs) {
            char *key = tocmp_asprintf(
                "%s\x1f%s",
                tocmp_diff_str_member(a, "level") ? tocmp_diff_str_member(a, "level") : "",
                tocmp_diff_str_member(a, "title") ? tocmp_diff_str_member(a, "title") : "");
            list = json_object_get(by_title, key);
            free(key);
            if (!list)
                continue;
        }
        size_t limit = all_pairs ? na : json_array_size(list);
        for (size_t jj = 0; jj < limit; jj++) {
            size_t j = all_pairs ? jj : (size_t)json_integer_value(json_array_get(list, jj));
            json_t *b = tocmp_diff_node_at(n, json_string_value(json_array_get(added, j)));
            int score = rename_score(o, n, a, b);
            if (score < 0)
                continue;
            if (count == cap) {
                cap *= 2;
                c = tocmp_xrealloc(c, cap * sizeof *c);
            }
            c[count++] = (struct candidate){.old_i = i, .new_i = j, .score = score};
        }
    }
    json_decref(by_title);
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
