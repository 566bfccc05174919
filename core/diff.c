/*
 * diff.c -- what changed between two versions of a model, in the terms of
 * the results chain rather than of lines (tocm.h, "Editing and diff").
 *
 * The diff is a flat list of change records (JSON objects), in a fixed
 * order: renamed nodes, added nodes, removed nodes, then per node (in the new
 * file's order) its level, link and field changes, then indicators, the
 * program header, the levels, and any other top-level member. The text form
 * groups the per-node records under one heading per node.
 *
 * Renames. A node removed from the old model and one added in the new, on
 * the same level, are one node renamed when they have the same title, or
 * when enough else matches: score 2 each for the same description, the same
 * links out, the same contributors (links in), 1 for each other field that
 * is equal; 4 or more is a match. Candidate pairs are taken best score first,
 * each node at most once. Once renames are known, every id in the old model
 * is read through them, so a rename does not also show up as a link removed
 * and a link added on each of the node's neighbours.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "util.h"

struct tocm_diff {
    json_t *changes; /* array of change records */
    json_t *summary; /* object of counts */
    json_t *labels;  /* node id -> "Level \"title\"" for the text form */
    json_t *levels;  /* level id -> level title */
};

/* One side of the comparison. */
struct side {
    const tocm_model *m;
    json_t *nodes;    /* the "nodes" array (may be NULL) */
    json_t *by_id;    /* id -> index in nodes (first node with the id) */
    json_t *in_links; /* id -> array of ids of the nodes contributing to it */
};

static const char *str_member(json_t *object, const char *key) {
    json_t *v = json_object_get(object, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *node_at(const struct side *s, const char *id) {
    json_t *index = json_object_get(s->by_id, id);
    return index ? json_array_get(s->nodes, (size_t)json_integer_value(index)) : NULL;
}

static void side_init(struct side *s, const tocm_model *m) {
    s->m = m;
    s->nodes = json_object_get(m->root, "nodes");
    if (!json_is_array(s->nodes))
        s->nodes = NULL;
    s->by_id = json_object();
    s->in_links = json_object();
    size_t i;
    json_t *n;
    json_array_foreach(s->nodes, i, n) {
        const char *id = str_member(n, "id");
        if (id && !json_object_get(s->by_id, id))
            json_object_set_new(s->by_id, id, json_integer((json_int_t)i));
    }
    json_array_foreach(s->nodes, i, n) {
        const char *id = str_member(n, "id");
        if (!id || json_integer_value(json_object_get(s->by_id, id)) != (json_int_t)i)
            continue;
        size_t k;
        json_t *t;
        json_array_foreach(json_object_get(n, "contributes_to"), k, t) {
            if (!json_is_string(t))
                continue;
            json_t *list = json_object_get(s->in_links, json_string_value(t));
            if (!list) {
                list = json_array();
                json_object_set_new(s->in_links, json_string_value(t), list);
            }
            json_array_append_new(list, json_string(id));
        }
    }
}

static void side_free(struct side *s) {
    json_decref(s->by_id);
    json_decref(s->in_links);
}

/* ---- sets of ids ---------------------------------------------------------- */

/* The strings of array, each read through map when map has it, as an
 * object used as a set (insertion order kept). new. */
static json_t *id_set(json_t *array, json_t *map) {
    json_t *set = json_object();
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v) {
        if (!json_is_string(v))
            continue;
        const char *id = json_string_value(v);
        const char *mapped = map ? str_member(map, id) : NULL;
        json_object_set_new(set, mapped ? mapped : id, json_true());
    }
    return set;
}

static int same_set(json_t *a, json_t *b, json_t *map) {
    json_t *sa = id_set(a, map), *sb = id_set(b, NULL);
    int same = json_equal(sa, sb);
    json_decref(sa);
    json_decref(sb);
    return same;
}

/* The array with its strings read through map. new. */
static json_t *map_array(json_t *array, json_t *map) {
    if (!json_is_array(array))
        return json_incref(array);
    json_t *out = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v) {
        const char *mapped = json_is_string(v) ? str_member(map, json_string_value(v)) : NULL;
        json_array_append_new(out, mapped ? json_string(mapped) : json_incref(v));
    }
    return out;
}

/* ---- records -------------------------------------------------------------- */

static json_t *record(struct tocm_diff *d, const char *what, const char *change) {
    json_t *r = json_object();
    json_object_set_new(r, "what", json_string(what));
    json_object_set_new(r, "change", json_string(change));
    json_array_append_new(d->changes, r);
    return r;
}

static void count(struct tocm_diff *d, const char *key, size_t n) {
    json_t *v = json_object_get(d->summary, key);
    json_object_set_new(d->summary, key, json_integer(json_integer_value(v) + (json_int_t)n));
}

static void set_str(json_t *r, const char *key, const char *value) {
    if (value)
        json_object_set_new(r, key, json_string(value));
}

/* A change of one member: "from" absent when it was added, "to" absent when
 * it was removed. */
static void field_record(struct tocm_diff *d, const char *what, const char *id,
                         const char *field, json_t *from, json_t *to) {
    json_t *r = record(d, what, "field");
    set_str(r, "id", id);
    json_object_set_new(r, "field", json_string(field));
    if (from)
        json_object_set(r, "from", from);
    if (to)
        json_object_set(r, "to", to);
}

static const char *const node_order[] = {
    "id",       "level",          "title",    "description", "country", "partners",
    "status",   "contributes_to", "inferred", "assumptions", "source",  "notes", NULL};

static int in_list(const char *const *list, const char *key) {
    for (; *list; list++)
        if (strcmp(*list, key) == 0)
            return 1;
    return 0;
}

/* The changes between two values at field (a path such as "params.column"
 * or "reported[2].value"): objects are compared member by member and arrays
 * of the same length item by item, so a change deep inside a big value is
 * reported where it is; anything else is one record. Returns the count. */
static size_t diff_value(struct tocm_diff *d, const char *what, const char *id,
                         const char *field, json_t *a, json_t *b) {
    if (a && b && json_equal(a, b))
        return 0;
    if (!a && !b)
        return 0;
    size_t n = 0;
    if (json_is_object(a) && json_is_object(b)) {
        const char *key;
        json_t *v;
        json_object_foreach(b, key, v) {
            char *sub = tocmp_asprintf("%s.%s", field, key);
            n += diff_value(d, what, id, sub, json_object_get(a, key), v);
            free(sub);
        }
        json_object_foreach(a, key, v) {
            if (json_object_get(b, key))
                continue;
            char *sub = tocmp_asprintf("%s.%s", field, key);
            n += diff_value(d, what, id, sub, v, NULL);
            free(sub);
        }
        return n;
    }
    if (json_is_array(a) && json_is_array(b) && json_array_size(a) == json_array_size(b) &&
        json_array_size(a) > 1) {
        /* Lists of plain texts read better whole ("A", "B" to "A", "C"). */
        int plain = 1;
        size_t i;
        json_t *v;
        json_array_foreach(b, i, v) plain &= !json_is_object(v) && !json_is_array(v);
        if (!plain) {
            json_array_foreach(b, i, v) {
                char *sub = tocmp_asprintf("%s[%zu]", field, i);
                n += diff_value(d, what, id, sub, json_array_get(a, i), v);
                free(sub);
            }
            return n;
        }
    }
    field_record(d, what, id, field, a, b);
    return 1;
}

/* Field changes between two objects, skipping the keys in skip. Known node
 * members come first in canonical order, then the new object's other
 * members, then members only the old one had. map, when not NULL, is applied
 * to the "inferred" list of old nodes. Returns the number of records. */
static size_t compare_fields(struct tocm_diff *d, const char *what, const char *id,
                             json_t *old_obj, json_t *new_obj, const char *const *skip,
                             json_t *map) {
    size_t n = 0;
    json_t *keys = json_array();
    for (const char *const *k = node_order; *k; k++)
        if (json_object_get(old_obj, *k) || json_object_get(new_obj, *k))
            json_array_append_new(keys, json_string(*k));
    const char *key;
    json_t *v;
    json_object_foreach(new_obj, key, v) {
        if (!in_list(node_order, key))
            json_array_append_new(keys, json_string(key));
    }
    json_object_foreach(old_obj, key, v) {
        if (!in_list(node_order, key) && !json_object_get(new_obj, key))
            json_array_append_new(keys, json_string(key));
    }
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k) {
        const char *name = json_string_value(k);
        if (in_list(skip, name))
            continue;
        json_t *a = json_object_get(old_obj, name), *b = json_object_get(new_obj, name);
        json_t *mapped = map && strcmp(name, "inferred") == 0 && a ? map_array(a, map)
                                                                  : json_incref(a);
        n += diff_value(d, what, id, name, mapped, b);
        json_decref(mapped);
    }
    json_decref(keys);
    return n;
}

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
    const char *la = str_member(a, "level"), *lb = str_member(b, "level");
    if (!la || !lb || strcmp(la, lb) != 0)
        return -1;
    int score = 0;
    int same_title = equal_present(json_object_get(a, "title"), json_object_get(b, "title"));
    if (same_title)
        score += 4;
    if (equal_present(json_object_get(a, "description"), json_object_get(b, "description")))
        score += 2;
    json_t *out_a = json_object_get(a, "contributes_to"), *out_b = json_object_get(b, "contributes_to");
    if (json_array_size(out_a) > 0 && same_set(out_a, out_b, NULL))
        score += 2;
    json_t *in_a = json_object_get(o->in_links, str_member(a, "id"));
    json_t *in_b = json_object_get(n->in_links, str_member(b, "id"));
    if (json_array_size(in_a) > 0 && same_set(in_a, in_b, NULL))
        score += 2;
    static const char *const strong[] = {"id", "level", "title", "description", "contributes_to",
                                         "inferred", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(a, key, v) {
        if (!in_list(strong, key) && equal_present(v, json_object_get(b, key)))
            score += 1;
    }
    return same_title || score >= 4 ? score : -1;
}

/* Fills map (old id -> new id) and pairs (array of [old, new]). */
static void find_renames(const struct side *o, const struct side *n, json_t *removed,
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
            json_t *b = node_at(n, json_string_value(json_array_get(added, j)));
            char *key = tocmp_asprintf("%s\x1f%s", str_member(b, "level") ? str_member(b, "level") : "",
                                       str_member(b, "title") ? str_member(b, "title") : "");
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
        json_t *a = node_at(o, json_string_value(json_array_get(removed, i)));
        json_t *list = NULL;
        if (!all_pairs) {
            char *key = tocmp_asprintf("%s\x1f%s", str_member(a, "level") ? str_member(a, "level") : "",
                                       str_member(a, "title") ? str_member(a, "title") : "");
            list = json_object_get(by_title, key);
            free(key);
            if (!list)
                continue;
        }
        size_t limit = all_pairs ? na : json_array_size(list);
        for (size_t jj = 0; jj < limit; jj++) {
            size_t j = all_pairs ? jj : (size_t)json_integer_value(json_array_get(list, jj));
            json_t *b = node_at(n, json_string_value(json_array_get(added, j)));
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

/* ---- the parts of the model --------------------------------------------------- */

static json_t *link_list(json_t *node) {
    json_t *out = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(node, "contributes_to"), i, t) {
        if (json_is_string(t))
            json_array_append(out, t);
    }
    return out;
}

/* A node that is only on one side ("added" or "removed"), with its links,
 * which count as links added or removed with it. */
static void record_whole_node(struct tocm_diff *d, json_t *item, const char *change) {
    json_t *r = record(d, "node", change);
    set_str(r, "id", str_member(item, "id"));
    set_str(r, "level", str_member(item, "level"));
    set_str(r, "title", str_member(item, "title"));
    json_t *links = link_list(item);
    char key[32];
    snprintf(key, sizeof key, "links_%s", change);
    count(d, key, json_array_size(links));
    json_object_set_new(r, "contributes_to", links);
    snprintf(key, sizeof key, "nodes_%s", change);
    count(d, key, 1);
}

static void diff_nodes(struct tocm_diff *d, const struct side *o, const struct side *n,
                       json_t *map) {
    json_t *removed = json_array(), *added = json_array();
    const char *id;
    json_t *v;
    json_object_foreach(o->by_id, id, v) {
        if (!json_object_get(n->by_id, id))
            json_array_append_new(removed, json_string(id));
    }
    json_object_foreach(n->by_id, id, v) {
        if (!json_object_get(o->by_id, id))
            json_array_append_new(added, json_string(id));
    }
    find_renames(o, n, removed, added, map);
    json_t *renamed_to = json_object(); /* new id -> old id */
    json_object_foreach(map, id, v) json_object_set_new(renamed_to, json_string_value(v), json_string(id));

    size_t i;
    json_t *item;
    /* Renamed and added, in the new file's order. */
    json_array_foreach(n->nodes, i, item) {
        const char *nid = str_member(item, "id");
        if (!nid || json_integer_value(json_object_get(n->by_id, nid)) != (json_int_t)i)
            continue;
        const char *old_id = str_member(renamed_to, nid);
        if (old_id) {
            json_t *r = record(d, "node", "renamed");
            set_str(r, "id", nid);
            set_str(r, "from", old_id);
            count(d, "nodes_renamed", 1);
        }
    }
    json_array_foreach(n->nodes, i, item) {
        const char *nid = str_member(item, "id");
        if (!nid || json_integer_value(json_object_get(n->by_id, nid)) != (json_int_t)i ||
            json_object_get(o->by_id, nid) || str_member(renamed_to, nid))
            continue;
        record_whole_node(d, item, "added");
    }
    json_array_foreach(o->nodes, i, item) {
        const char *oid = str_member(item, "id");
        if (!oid || json_integer_value(json_object_get(o->by_id, oid)) != (json_int_t)i ||
            json_object_get(n->by_id, oid) || json_object_get(map, oid))
            continue;
        record_whole_node(d, item, "removed");
    }
    /* Changes of the nodes on both sides. */
    static const char *const skip[] = {"id", "level", "contributes_to", NULL};
    json_array_foreach(n->nodes, i, item) {
        const char *nid = str_member(item, "id");
        if (!nid || json_integer_value(json_object_get(n->by_id, nid)) != (json_int_t)i)
            continue;
        const char *old_id = str_member(renamed_to, nid);
        json_t *old = node_at(o, old_id ? old_id : nid);
        if (!old)
            continue;
        size_t before = json_array_size(d->changes);
        const char *la = str_member(old, "level"), *lb = str_member(item, "level");
        if ((la || lb) && (!la || !lb || strcmp(la, lb) != 0)) {
            json_t *r = record(d, "node", "level");
            set_str(r, "id", nid);
            set_str(r, "from", la);
            set_str(r, "to", lb);
        }
        json_t *old_links = id_set(json_object_get(old, "contributes_to"), map);
        json_t *new_links = id_set(json_object_get(item, "contributes_to"), NULL);
        const char *t;
        json_t *x;
        json_object_foreach(new_links, t, x) {
            if (!json_object_get(old_links, t)) {
                json_t *r = record(d, "node", "link_added");
                set_str(r, "id", nid);
                set_str(r, "to", t);
                count(d, "links_added", 1);
            }
        }
        json_object_foreach(old_links, t, x) {
            if (!json_object_get(new_links, t)) {
                json_t *r = record(d, "node", "link_removed");
                set_str(r, "id", nid);
                set_str(r, "to", t);
                count(d, "links_removed", 1);
            }
        }
        json_decref(old_links);
        json_decref(new_links);
        compare_fields(d, "node", nid, old, item, skip, map);
        if (json_array_size(d->changes) > before)
            count(d, "nodes_changed", 1);
    }
    json_decref(renamed_to);
    json_decref(removed);
    json_decref(added);
}

static json_t *by_id_of(json_t *array) {
    json_t *map = json_object();
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        const char *id = str_member(item, "id");
        if (id && !json_object_get(map, id))
            json_object_set(map, id, item);
    }
    return map;
}

static void diff_indicators(struct tocm_diff *d, json_t *old_root, json_t *new_root,
                            json_t *node_map) {
    json_t *oa = json_object_get(old_root, "indicators");
    json_t *na = json_object_get(new_root, "indicators");
    if (!json_is_array(oa) && !json_is_array(na)) {
        /* Neither side has a list of indicators: compare whatever is there. */
        if ((oa || na) && !json_equal(oa, na)) {
            field_record(d, "model", NULL, "indicators", oa, na);
            count(d, "other_changes", 1);
        }
        return;
    }
    json_t *old_by = by_id_of(json_is_array(oa) ? oa : NULL);
    json_t *new_by = by_id_of(json_is_array(na) ? na : NULL);
    /* Renamed indicators: a removed and an added one with the same title. */
    json_t *renamed = json_object(), *renamed_to = json_object();
    const char *id;
    json_t *v;
    json_object_foreach(old_by, id, v) {
        if (json_object_get(new_by, id))
            continue;
        const char *title = str_member(v, "title");
        const char *nid;
        json_t *w;
        json_object_foreach(new_by, nid, w) {
            if (json_object_get(old_by, nid) || json_object_get(renamed_to, nid))
                continue;
            if (title && str_member(w, "title") && strcmp(title, str_member(w, "title")) == 0) {
                json_object_set_new(renamed, id, json_string(nid));
                json_object_set_new(renamed_to, nid, json_string(id));
                break;
            }
        }
    }
    json_object_foreach(new_by, id, v) {
        const char *old_id = str_member(renamed_to, id);
        if (old_id) {
            json_t *r = record(d, "indicator", "renamed");
            set_str(r, "id", id);
            set_str(r, "from", old_id);
            count(d, "indicators_renamed", 1);
        } else if (!json_object_get(old_by, id)) {
            json_t *r = record(d, "indicator", "added");
            set_str(r, "id", id);
            set_str(r, "title", str_member(v, "title"));
            json_t *nodes = json_object_get(v, "nodes");
            if (nodes)
                json_object_set(r, "nodes", nodes);
            count(d, "indicators_added", 1);
        }
    }
    json_object_foreach(old_by, id, v) {
        if (json_object_get(new_by, id) || json_object_get(renamed, id))
            continue;
        json_t *r = record(d, "indicator", "removed");
        set_str(r, "id", id);
        set_str(r, "title", str_member(v, "title"));
        count(d, "indicators_removed", 1);
    }
    static const char *const skip[] = {"id", "nodes", NULL};
    json_object_foreach(new_by, id, v) {
        const char *old_id = str_member(renamed_to, id);
        json_t *old = json_object_get(old_by, old_id ? old_id : id);
        if (!old)
            continue;
        size_t before = json_array_size(d->changes);
        json_t *a = id_set(json_object_get(old, "nodes"), node_map);
        json_t *b = id_set(json_object_get(v, "nodes"), NULL);
        const char *t;
        json_t *x;
        json_object_foreach(b, t, x) {
            if (!json_object_get(a, t)) {
                json_t *r = record(d, "indicator", "attached");
                set_str(r, "id", id);
                set_str(r, "node", t);
            }
        }
        json_object_foreach(a, t, x) {
            if (!json_object_get(b, t)) {
                json_t *r = record(d, "indicator", "detached");
                set_str(r, "id", id);
                set_str(r, "node", t);
            }
        }
        json_decref(a);
        json_decref(b);
        compare_fields(d, "indicator", id, old, v, skip, NULL);
        if (json_array_size(d->changes) > before)
            count(d, "indicators_changed", 1);
    }
    json_decref(renamed);
    json_decref(renamed_to);
    json_decref(old_by);
    json_decref(new_by);
}

static void diff_program(struct tocm_diff *d, json_t *old_root, json_t *new_root) {
    json_t *a = json_object_get(old_root, "program"), *b = json_object_get(new_root, "program");
    if ((!a && !b) || json_equal(a, b))
        return;
    static const char *const skip[] = {NULL};
    size_t before = json_array_size(d->changes);
    if (json_is_object(a) && json_is_object(b))
        compare_fields(d, "program", NULL, a, b, skip, NULL);
    else
        field_record(d, "model", NULL, "program", a, b);
    count(d, "program_changes", json_array_size(d->changes) - before);
}

/* Levels as an object id -> {title, ...} in order. new. */
static json_t *level_map(json_t *levels) {
    json_t *map = json_object();
    size_t i;
    json_t *l;
    json_array_foreach(levels, i, l) {
        if (json_is_string(l)) {
            json_t *o = json_object();
            json_object_set(o, "id", l);
            if (!json_object_get(map, json_string_value(l)))
                json_object_set_new(map, json_string_value(l), o);
            else
                json_decref(o);
        } else if (json_is_object(l) && str_member(l, "id") &&
                   !json_object_get(map, str_member(l, "id"))) {
            json_object_set(map, str_member(l, "id"), l);
        }
    }
    return map;
}

static void diff_levels(struct tocm_diff *d, json_t *old_root, json_t *new_root) {
    json_t *la = json_object_get(old_root, "levels"), *lb = json_object_get(new_root, "levels");
    if ((!la && !lb) || json_equal(la, lb))
        return;
    size_t before = json_array_size(d->changes);
    json_t *a = level_map(la), *b = level_map(lb);
    const char *id;
    json_t *v;
    json_object_foreach(b, id, v) {
        json_t *old = json_object_get(a, id);
        if (!old) {
            json_t *r = record(d, "level", "added");
            set_str(r, "id", id);
            set_str(r, "title", str_member(v, "title"));
            continue;
        }
        static const char *const skip[] = {"id", NULL};
        compare_fields(d, "level", id, old, v, skip, NULL);
    }
    json_object_foreach(a, id, v) {
        if (!json_object_get(b, id)) {
            json_t *r = record(d, "level", "removed");
            set_str(r, "id", id);
            set_str(r, "title", str_member(v, "title"));
        }
    }
    /* The order of the levels both sides have. */
    json_t *oa = json_array(), *ob = json_array();
    json_object_foreach(a, id, v) {
        if (json_object_get(b, id))
            json_array_append_new(oa, json_string(id));
    }
    json_object_foreach(b, id, v) {
        if (json_object_get(a, id))
            json_array_append_new(ob, json_string(id));
    }
    if (!json_equal(oa, ob)) {
        json_t *r = record(d, "level", "order");
        json_object_set(r, "from", oa);
        json_object_set(r, "to", ob);
    }
    json_decref(oa);
    json_decref(ob);
    json_decref(a);
    json_decref(b);
    count(d, "level_changes", json_array_size(d->changes) - before);
}

static void diff_other(struct tocm_diff *d, json_t *old_root, json_t *new_root) {
    static const char *const known[] = {"tocm", "program", "levels", "nodes", "indicators", NULL};
    size_t before = json_array_size(d->changes);
    const char *key;
    json_t *v;
    json_object_foreach(new_root, key, v) {
        if (!in_list(known, key))
            diff_value(d, "model", NULL, key, json_object_get(old_root, key), v);
    }
    json_object_foreach(old_root, key, v) {
        if (!in_list(known, key) && !json_object_get(new_root, key))
            diff_value(d, "model", NULL, key, v, NULL);
    }
    count(d, "other_changes", json_array_size(d->changes) - before);
}

static void add_labels(struct tocm_diff *d, const tocm_model *m) {
    for (size_t l = 0; l < m->level_count; l++)
        if (!json_object_get(d->levels, m->levels[l].id))
            json_object_set_new(d->levels, m->levels[l].id, json_string(m->levels[l].title));
    for (size_t i = 0; i < m->node_count; i++) {
        const struct tocmp_node *n = &m->nodes[i];
        if (!n->id || json_object_get(d->labels, n->id))
            continue;
        const char *level = n->level >= 0 ? m->levels[n->level].title
                                          : (n->level_name ? n->level_name : "node");
        char *label = tocmp_asprintf("%s \"%s\"", level, n->title);
        json_object_set_new(d->labels, n->id, json_string(label));
        free(label);
    }
}

tocm_diff *tocm_diff_models(const tocm_model *old_model, const tocm_model *new_model) {
    struct tocm_diff *d = tocmp_xcalloc(1, sizeof *d);
    d->changes = json_array();
    d->summary = json_object();
    d->labels = json_object();
    d->levels = json_object();
    static const char *const keys[] = {
        "nodes_added",      "nodes_removed",      "nodes_renamed",      "nodes_changed",
        "links_added",      "links_removed",      "indicators_added",   "indicators_removed",
        "indicators_renamed", "indicators_changed", "program_changes", "level_changes",
        "other_changes",    NULL};
    for (const char *const *k = keys; *k; k++)
        json_object_set_new(d->summary, *k, json_integer(0));
    struct side o, n;
    side_init(&o, old_model);
    side_init(&n, new_model);
    json_t *map = json_object();
    diff_nodes(d, &o, &n, map);
    diff_indicators(d, old_model->root, new_model->root, map);
    diff_program(d, old_model->root, new_model->root);
    diff_levels(d, old_model->root, new_model->root);
    diff_other(d, old_model->root, new_model->root);
    add_labels(d, new_model);
    add_labels(d, old_model);
    json_decref(map);
    side_free(&o);
    side_free(&n);
    return d;
}

void tocm_diff_free(tocm_diff *d) {
    if (!d)
        return;
    json_decref(d->changes);
    json_decref(d->summary);
    json_decref(d->labels);
    json_decref(d->levels);
    free(d);
}

size_t tocm_diff_count(const tocm_diff *d) { return json_array_size(d->changes); }

/* ---- output ------------------------------------------------------------------ */

char *tocm_diff_json(const tocm_diff *d, const char *old_name, const char *new_name) {
    json_t *out = json_object();
    json_object_set_new(out, "old", json_string(old_name ? old_name : ""));
    json_object_set_new(out, "new", json_string(new_name ? new_name : ""));
    json_object_set_new(out, "equal", json_boolean(json_array_size(d->changes) == 0));
    json_object_set(out, "summary", d->summary);
    json_object_set(out, "changes", d->changes);
    char *text = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(out);
    tocmp_buf b = {0};
    tocmp_buf_puts(&b, text ? text : "{}");
    tocmp_buf_puts(&b, "\n");
    free(text);
    return b.data;
}

static long summary(const tocm_diff *d, const char *key) {
    return (long)json_integer_value(json_object_get(d->summary, key));
}

/* A value in words: "text", "A", "B" for a list of texts, (empty list). */
static void put_value(tocmp_buf *b, json_t *v) {
    if (json_is_string(v)) {
        tocmp_buf_printf(b, "\"%s\"", json_string_value(v));
        return;
    }
    if (json_is_array(v)) {
        int all_strings = 1;
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) all_strings &= json_is_string(item);
        if (json_array_size(v) == 0) {
            tocmp_buf_puts(b, "an empty list");
            return;
        }
        if (all_strings) {
            json_array_foreach(v, i, item) {
                tocmp_buf_printf(b, "%s\"%s\"", i ? ", " : "", json_string_value(item));
            }
            return;
        }
    }
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);
    tocmp_buf_puts(b, s ? s : "?");
    free(s);
}

static void put_ids(tocmp_buf *b, json_t *ids) {
    size_t n = json_array_size(ids), i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        tocmp_buf_printf(b, "%s'%s'", i == 0 ? "" : i + 1 == n ? " and " : ", ",
                         json_string_value(id));
    }
}

static const char *field_of(json_t *r, const char *key) { return str_member(r, key); }

static const char *label(const tocm_diff *d, const char *id) {
    const char *l = str_member(d->labels, id);
    return l ? l : "";
}

static const char *level_title(const tocm_diff *d, const char *id) {
    const char *t = id ? str_member(d->levels, id) : NULL;
    return t ? t : id ? id : "(none)";
}

/* "field changed from X to Y" / "field set to Y" / "field removed (was X)". */
static void put_field_change(tocmp_buf *b, json_t *r) {
    json_t *from = json_object_get(r, "from"), *to = json_object_get(r, "to");
    const char *field = field_of(r, "field");
    if (from && to) {
        tocmp_buf_printf(b, "%s changed from ", field);
        put_value(b, from);
        tocmp_buf_puts(b, " to ");
        put_value(b, to);
    } else if (to) {
        tocmp_buf_printf(b, "%s set to ", field);
        put_value(b, to);
    } else {
        tocmp_buf_printf(b, "%s removed (was ", field);
        put_value(b, from);
        tocmp_buf_puts(b, ")");
    }
}

static void heading(tocmp_buf *b, const char **current, const char *name) {
    if (*current && strcmp(*current, name) == 0)
        return;
    tocmp_buf_printf(b, "\n%s\n", name);
    *current = name;
}

char *tocm_diff_text(const tocm_diff *d, const char *old_name, const char *new_name) {
    tocmp_buf b = {0};
    if (json_array_size(d->changes) == 0) {
        tocmp_buf_printf(&b, "No changes: %s and %s describe the same model.\n", old_name,
                         new_name);
        return b.data;
    }
    tocmp_buf_printf(&b, "Changes from %s to %s: ", old_name, new_name);
    static const struct {
        const char *key, *words;
    } parts[] = {
        {"nodes_added", "node%s added"},       {"nodes_removed", "node%s removed"},
        {"nodes_renamed", "node%s renamed"},   {"nodes_changed", "node%s changed"},
        {"links_added", "link%s added"},       {"links_removed", "link%s removed"},
        {"indicators_added", "indicator%s added"},
        {"indicators_removed", "indicator%s removed"},
        {"indicators_renamed", "indicator%s renamed"},
        {"indicators_changed", "indicator%s changed"},
        {"program_changes", "program header change%s"},
        {"level_changes", "level change%s"},   {"other_changes", "other change%s"},
    };
    int first = 1;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        long n = summary(d, parts[i].key);
        if (!n)
            continue;
        tocmp_buf_printf(&b, "%s%ld ", first ? "" : ", ", n);
        tocmp_buf_printf(&b, parts[i].words, n == 1 ? "" : "s");
        first = 0;
    }
    tocmp_buf_puts(&b, ".\n");

    const char *section = NULL;
    const char *open_node = NULL; /* the node whose changes are being listed */
    const char *open_what = NULL;
    size_t i;
    json_t *r;
    json_array_foreach(d->changes, i, r) {
        const char *what = field_of(r, "what"), *change = field_of(r, "change");
        const char *id = field_of(r, "id");
        if (strcmp(what, "node") == 0) {
            if (strcmp(change, "renamed") == 0) {
                heading(&b, &section, "Renamed");
                tocmp_buf_printf(&b, "  '%s' is now '%s': %s\n", field_of(r, "from"), id,
                                 label(d, id));
            } else if (strcmp(change, "added") == 0) {
                heading(&b, &section, "Added");
                tocmp_buf_printf(&b, "  '%s': %s\n", id, label(d, id));
                json_t *links = json_object_get(r, "contributes_to");
                if (json_array_size(links)) {
                    tocmp_buf_puts(&b, "      contributes to ");
                    put_ids(&b, links);
                    tocmp_buf_puts(&b, "\n");
                } else {
                    tocmp_buf_puts(&b, "      contributes to nothing\n");
                }
            } else if (strcmp(change, "removed") == 0) {
                heading(&b, &section, "Removed");
                tocmp_buf_printf(&b, "  '%s': %s\n", id, label(d, id));
            } else {
                heading(&b, &section, "Changed");
                if (!open_node || strcmp(open_node, id) != 0 || strcmp(open_what, what) != 0) {
                    tocmp_buf_printf(&b, "  '%s': %s\n", id, label(d, id));
                    open_node = id;
                    open_what = what;
                }
                tocmp_buf_puts(&b, "      ");
                if (strcmp(change, "level") == 0) {
                    tocmp_buf_printf(&b, "moved from level %s to %s",
                                     level_title(d, field_of(r, "from")),
                                     level_title(d, field_of(r, "to")));
                } else if (strcmp(change, "link_added") == 0) {
                    tocmp_buf_printf(&b, "now contributes to '%s'", field_of(r, "to"));
                } else if (strcmp(change, "link_removed") == 0) {
                    tocmp_buf_printf(&b, "no longer contributes to '%s'", field_of(r, "to"));
                } else {
                    put_field_change(&b, r);
                }
                tocmp_buf_puts(&b, "\n");
            }
            continue;
        }
        if (strcmp(what, "indicator") == 0) {
            heading(&b, &section, "Indicators");
            if (strcmp(change, "added") == 0) {
                tocmp_buf_printf(&b, "  added '%s': \"%s\"", id,
                                 field_of(r, "title") ? field_of(r, "title") : "");
                json_t *nodes = json_object_get(r, "nodes");
                if (json_array_size(nodes)) {
                    tocmp_buf_puts(&b, ", attached to ");
                    put_ids(&b, nodes);
                }
                tocmp_buf_puts(&b, "\n");
                open_node = NULL;
            } else if (strcmp(change, "removed") == 0) {
                tocmp_buf_printf(&b, "  removed '%s': \"%s\"\n", id,
                                 field_of(r, "title") ? field_of(r, "title") : "");
                open_node = NULL;
            } else if (strcmp(change, "renamed") == 0) {
                tocmp_buf_printf(&b, "  '%s' is now '%s'\n", field_of(r, "from"), id);
                open_node = NULL;
            } else {
                if (!open_node || strcmp(open_node, id) != 0 || strcmp(open_what, what) != 0) {
                    tocmp_buf_printf(&b, "  '%s':\n", id);
                    open_node = id;
                    open_what = what;
                }
                tocmp_buf_puts(&b, "      ");
                if (strcmp(change, "attached") == 0)
                    tocmp_buf_printf(&b, "now attached to '%s'", field_of(r, "node"));
                else if (strcmp(change, "detached") == 0)
                    tocmp_buf_printf(&b, "no longer attached to '%s'", field_of(r, "node"));
                else
                    put_field_change(&b, r);
                tocmp_buf_puts(&b, "\n");
            }
            continue;
        }
        if (strcmp(what, "program") == 0) {
            heading(&b, &section, "Program");
            tocmp_buf_puts(&b, "  ");
            put_field_change(&b, r);
            tocmp_buf_puts(&b, "\n");
        } else if (strcmp(what, "level") == 0) {
            heading(&b, &section, "Levels");
            if (strcmp(change, "added") == 0 || strcmp(change, "removed") == 0) {
                tocmp_buf_printf(&b, "  %s level '%s'", change, id);
                if (field_of(r, "title"))
                    tocmp_buf_printf(&b, ": \"%s\"", field_of(r, "title"));
            } else if (strcmp(change, "order") == 0) {
                tocmp_buf_puts(&b, "  order changed from ");
                put_ids(&b, json_object_get(r, "from"));
                tocmp_buf_puts(&b, " to ");
                put_ids(&b, json_object_get(r, "to"));
            } else {
                tocmp_buf_printf(&b, "  '%s': ", id);
                put_field_change(&b, r);
            }
            tocmp_buf_puts(&b, "\n");
        } else {
            heading(&b, &section, "Other parts of the model");
            tocmp_buf_puts(&b, "  ");
            put_field_change(&b, r);
            tocmp_buf_puts(&b, "\n");
        }
    }
    return b.data;
}
