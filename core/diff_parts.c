/*
 * diff_parts.c -- comparing each part of the model: nodes (level, links,
 * fields), indicators, the program header, the levels and any other
 * top-level member; and the labels the text form names nodes by.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_internal.h"
#include "model_internal.h"
#include "util.h"

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
    json_t *r = tocmp_diff_record(d, "node", change);
    tocmp_diff_set_str(r, "id", tocmp_diff_str_member(item, "id"));
    tocmp_diff_set_str(r, "level", tocmp_diff_str_member(item, "level"));
    tocmp_diff_set_str(r, "title", tocmp_diff_str_member(item, "title"));
    json_t *links = link_list(item);
    char key[32];
    snprintf(key, sizeof key, "links_%s", change);
    tocmp_diff_count_add(d, key, json_array_size(links));
    json_object_set_new(r, "contributes_to", links);
    snprintf(key, sizeof key, "nodes_%s", change);
    tocmp_diff_count_add(d, key, 1);
}

void tocmp_diff_nodes(struct tocm_diff *d, const struct side *o, const struct side *n,
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
    tocmp_diff_find_renames(o, n, removed, added, map);
    json_t *renamed_to = json_object(); /* new id -> old id */
    json_object_foreach(map, id, v)
        json_object_set_new(renamed_to, json_string_value(v), json_string(id));

    size_t i;
    json_t *item;
    /* Renamed and added, in the new file's order. */
    json_array_foreach(n->nodes, i, item) {
        const char *nid = tocmp_diff_str_member(item, "id");
        if (!nid || json_integer_value(json_object_get(n->by_id, nid)) != (json_int_t)i)
            continue;
        const char *old_id = tocmp_diff_str_member(renamed_to, nid);
        if (old_id) {
            json_t *r = tocmp_diff_record(d, "node", "renamed");
            tocmp_diff_set_str(r, "id", nid);
            tocmp_diff_set_str(r, "from", old_id);
            tocmp_diff_count_add(d, "nodes_renamed", 1);
        }
    }
    json_array_foreach(n->nodes, i, item) {
        const char *nid = tocmp_diff_str_member(item, "id");
        if (!nid || json_integer_value(json_object_get(n->by_id, nid)) != (json_int_t)i ||
            json_object_get(o->by_id, nid) || tocmp_diff_str_member(renamed_to, nid))
            continue;
        record_whole_node(d, item, "added");
    }
    json_array_foreach(o->nodes, i, item) {
        const char *oid = tocmp_diff_str_member(item, "id");
        if (!oid || json_integer_value(json_object_get(o->by_id, oid)) != (json_int_t)i ||
            json_object_get(n->by_id, oid) || json_object_get(map, oid))
            continue;
        record_whole_node(d, item, "removed");
    }
    /* Changes of the nodes on both sides. */
    static const char *const skip[] = {"id", "level", "contributes_to", NULL};
    json_array_foreach(n->nodes, i, item) {
        const char *nid = tocmp_diff_str_member(item, "id");
        if (!nid || json_integer_value(json_object_get(n->by_id, nid)) != (json_int_t)i)
            continue;
        const char *old_id = tocmp_diff_str_member(renamed_to, nid);
        json_t *old = tocmp_diff_node_at(o, old_id ? old_id : nid);
        if (!old)
            continue;
        size_t before = json_array_size(d->changes);
        const char *la = tocmp_diff_str_member(old, "level"),
                   *lb = tocmp_diff_str_member(item, "level");
        if ((la || lb) && (!la || !lb || strcmp(la, lb) != 0)) {
            json_t *r = tocmp_diff_record(d, "node", "level");
            tocmp_diff_set_str(r, "id", nid);
            tocmp_diff_set_str(r, "from", la);
            tocmp_diff_set_str(r, "to", lb);
        }
        json_t *old_links = tocmp_diff_id_set(json_object_get(old, "contributes_to"), map);
        json_t *new_links = tocmp_diff_id_set(json_object_get(item, "contributes_to"), NULL);
        const char *t;
        json_t *x;
        json_object_foreach(new_links, t, x) {
            if (!json_object_get(old_links, t)) {
                json_t *r = tocmp_diff_record(d, "node", "link_added");
                tocmp_diff_set_str(r, "id", nid);
                tocmp_diff_set_str(r, "to", t);
                tocmp_diff_count_add(d, "links_added", 1);
            }
        }
        json_object_foreach(old_links, t, x) {
            if (!json_object_get(new_links, t)) {
                json_t *r = tocmp_diff_record(d, "node", "link_removed");
                tocmp_diff_set_str(r, "id", nid);
                tocmp_diff_set_str(r, "to", t);
                tocmp_diff_count_add(d, "links_removed", 1);
            }
        }
        json_decref(old_links);
        json_decref(new_links);
        tocmp_diff_compare_fields(d, "node", nid, TOCMP_PLACE_NODE, old, item, skip, map);
        if (json_array_size(d->changes) > before)
            tocmp_diff_count_add(d, "nodes_changed", 1);
    }
    json_decref(renamed_to);
    json_decref(removed);
    json_decref(added);
}

/* 1 when indicator i of m is the first (or only) one with its id. */
static int first_with_id(const tocm_model *m, size_t i) {
    return m->indicators[i].id && tocmp_model_find_indicator(m, m->indicators[i].id) == i;
}

/* The indicator of m with id, or NULL. */
static const struct tocmp_indicator *indicator_named(const tocm_model *m, const char *id) {
    size_t i = tocmp_model_find_indicator(m, id);
    return i == TOCMP_NONE ? NULL : &m->indicators[i];
}

static const char *title_of(const struct tocmp_indicator *ind) {
    return tocmp_diff_str_member(ind->json, "title");
}

void tocmp_diff_indicators(struct tocm_diff *d, const tocm_model *om, const tocm_model *nm,
                           json_t *node_map) {
    json_t *oa = json_object_get(om->root, "indicators");
    json_t *na = json_object_get(nm->root, "indicators");
    if (!json_is_array(oa) && !json_is_array(na)) {
        /* Neither side has a list of indicators: compare whatever is there. */
        if ((oa || na) && !json_equal(oa, na)) {
            tocmp_diff_field_record(d, "model", NULL, "indicators", oa, na);
            tocmp_diff_count_add(d, "other_changes", 1);
        }
        return;
    }
    /* Renamed indicators: a removed and an added one with the same title.
     * renamed[i] is 1 + the new index of old indicator i (0: none);
     * renamed_from[j] the other way round. */
    size_t *renamed = tocmp_xcalloc(om->indicator_count + 1, sizeof *renamed);
    size_t *renamed_from = tocmp_xcalloc(nm->indicator_count + 1, sizeof *renamed_from);
    for (size_t i = 0; i < om->indicator_count; i++) {
        const struct tocmp_indicator *a = &om->indicators[i];
        if (!first_with_id(om, i) || indicator_named(nm, a->id) || !title_of(a))
            continue;
        for (size_t j = 0; j < nm->indicator_count; j++) {
            const struct tocmp_indicator *b = &nm->indicators[j];
            if (!first_with_id(nm, j) || indicator_named(om, b->id) || renamed_from[j])
                continue;
            if (title_of(b) && strcmp(title_of(a), title_of(b)) == 0) {
                renamed[i] = j + 1;
                renamed_from[j] = i + 1;
                break;
            }
        }
    }
    for (size_t j = 0; j < nm->indicator_count; j++) {
        const struct tocmp_indicator *b = &nm->indicators[j];
        if (!first_with_id(nm, j))
            continue;
        if (renamed_from[j]) {
            json_t *r = tocmp_diff_record(d, "indicator", "renamed");
            tocmp_diff_set_str(r, "id", b->id);
            tocmp_diff_set_str(r, "from", om->indicators[renamed_from[j] - 1].id);
            tocmp_diff_count_add(d, "indicators_renamed", 1);
        } else if (!indicator_named(om, b->id)) {
            json_t *r = tocmp_diff_record(d, "indicator", "added");
            tocmp_diff_set_str(r, "id", b->id);
            tocmp_diff_set_str(r, "title", title_of(b));
            json_t *nodes = json_object_get(b->json, "nodes");
            if (nodes)
                json_object_set(r, "nodes", nodes);
            tocmp_diff_count_add(d, "indicators_added", 1);
        }
    }
    for (size_t i = 0; i < om->indicator_count; i++) {
        const struct tocmp_indicator *a = &om->indicators[i];
        if (!first_with_id(om, i) || indicator_named(nm, a->id) || renamed[i])
            continue;
        json_t *r = tocmp_diff_record(d, "indicator", "removed");
        tocmp_diff_set_str(r, "id", a->id);
        tocmp_diff_set_str(r, "title", title_of(a));
        tocmp_diff_count_add(d, "indicators_removed", 1);
    }
    static const char *const skip[] = {"id", "nodes", NULL};
    for (size_t j = 0; j < nm->indicator_count; j++) {
        const struct tocmp_indicator *b = &nm->indicators[j];
        if (!first_with_id(nm, j))
            continue;
        const struct tocmp_indicator *a =
            renamed_from[j] ? &om->indicators[renamed_from[j] - 1] : indicator_named(om, b->id);
        if (!a)
            continue;
        size_t before = json_array_size(d->changes);
        json_t *was = tocmp_diff_id_set(json_object_get(a->json, "nodes"), node_map);
        json_t *now = tocmp_diff_id_set(json_object_get(b->json, "nodes"), NULL);
        const char *t;
        json_t *x;
        json_object_foreach(now, t, x) {
            if (!json_object_get(was, t)) {
                json_t *r = tocmp_diff_record(d, "indicator", "attached");
                tocmp_diff_set_str(r, "id", b->id);
                tocmp_diff_set_str(r, "node", t);
            }
        }
        json_object_foreach(was, t, x) {
            if (!json_object_get(now, t)) {
                json_t *r = tocmp_diff_record(d, "indicator", "detached");
                tocmp_diff_set_str(r, "id", b->id);
                tocmp_diff_set_str(r, "node", t);
            }
        }
        json_decref(was);
        json_decref(now);
        tocmp_diff_compare_fields(d, "indicator", b->id, TOCMP_PLACE_INDICATOR, a->json, b->json,
                                  skip, node_map);
        if (json_array_size(d->changes) > before)
            tocmp_diff_count_add(d, "indicators_changed", 1);
    }
    free(renamed);
    free(renamed_from);
}

void tocmp_diff_section(struct tocm_diff *d, json_t *old_root, json_t *new_root, const char *name,
                        enum tocmp_place place, const char *count_key) {
    json_t *a = json_object_get(old_root, name), *b = json_object_get(new_root, name);
    if ((!a && !b) || json_equal(a, b))
        return;
    static const char *const skip[] = {NULL};
    size_t before = json_array_size(d->changes);
    if (json_is_object(a) && json_is_object(b))
        tocmp_diff_compare_fields(d, name, NULL, place, a, b, skip, NULL);
    else
        tocmp_diff_field_record(d, "model", NULL, name, a, b);
    tocmp_diff_count_add(d, count_key, json_array_size(d->changes) - before);
}

static void whole_table(struct tocm_diff *d, const char *name, json_t *table, const char *change) {
    json_t *r = tocmp_diff_record(d, "table", change);
    tocmp_diff_set_str(r, "id", name);
    tocmp_diff_set_str(r, "path", tocmp_diff_str_member(table, "path"));
}

void tocmp_diff_tables(struct tocm_diff *d, const tocm_model *om, const tocm_model *nm) {
    json_t *a = json_object_get(om->root, "tables"), *b = json_object_get(nm->root, "tables");
    if ((!a && !b) || json_equal(a, b))
        return;
    size_t before = json_array_size(d->changes);
    if ((a && !json_is_object(a)) || (b && !json_is_object(b))) {
        tocmp_diff_field_record(d, "model", NULL, "tables", a, b);
        tocmp_diff_count_add(d, "table_changes", 1);
        return;
    }
    static const char *const skip[] = {NULL};
    for (size_t j = 0; j < nm->table_count; j++) {
        const struct tocmp_table *t = &nm->tables[j];
        size_t i = tocmp_model_find_table(om, t->name);
        json_t *old = i == TOCMP_NONE ? NULL : json_object_get(a, t->name);
        json_t *now = json_object_get(b, t->name);
        if (!old)
            whole_table(d, t->name, now, "added");
        else if (om->tables[i].json && t->json)
            tocmp_diff_compare_fields(d, "table", t->name, TOCMP_PLACE_TABLE, old, now, skip, NULL);
        else if (!json_equal(old, now))
            tocmp_diff_field_record(d, "table", t->name, "", old, now);
    }
    for (size_t i = 0; i < om->table_count; i++) {
        const struct tocmp_table *t = &om->tables[i];
        if (tocmp_model_find_table(nm, t->name) == TOCMP_NONE)
            whole_table(d, t->name, json_object_get(a, t->name), "removed");
    }
    tocmp_diff_count_add(d, "table_changes", json_array_size(d->changes) - before);
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
        } else if (json_is_object(l) && tocmp_diff_str_member(l, "id") &&
                   !json_object_get(map, tocmp_diff_str_member(l, "id"))) {
            json_object_set(map, tocmp_diff_str_member(l, "id"), l);
        }
    }
    return map;
}

void tocmp_diff_levels(struct tocm_diff *d, json_t *old_root, json_t *new_root) {
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
            json_t *r = tocmp_diff_record(d, "level", "added");
            tocmp_diff_set_str(r, "id", id);
            tocmp_diff_set_str(r, "title", tocmp_diff_str_member(v, "title"));
            continue;
        }
        static const char *const skip[] = {"id", NULL};
        tocmp_diff_compare_fields(d, "level", id, TOCMP_PLACE_LEVEL, old, v, skip, NULL);
    }
    json_object_foreach(a, id, v) {
        if (!json_object_get(b, id)) {
            json_t *r = tocmp_diff_record(d, "level", "removed");
            tocmp_diff_set_str(r, "id", id);
            tocmp_diff_set_str(r, "title", tocmp_diff_str_member(v, "title"));
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
        json_t *r = tocmp_diff_record(d, "level", "order");
        json_object_set(r, "from", oa);
        json_object_set(r, "to", ob);
    }
    json_decref(oa);
    json_decref(ob);
    json_decref(a);
    json_decref(b);
    tocmp_diff_count_add(d, "level_changes", json_array_size(d->changes) - before);
}

void tocmp_diff_other(struct tocm_diff *d, json_t *old_root, json_t *new_root) {
    /* Every member the schema knows has a comparison of its own above
     * ("tocm" is 1 on both sides, or they would not have loaded). */
    size_t before = json_array_size(d->changes);
    const char *key;
    json_t *v;
    json_object_foreach(new_root, key, v) {
        if (!tocmp_schema_field(TOCMP_PLACE_ROOT, key))
            tocmp_diff_value(d, "model", NULL, key, json_object_get(old_root, key), v);
    }
    json_object_foreach(old_root, key, v) {
        if (!tocmp_schema_field(TOCMP_PLACE_ROOT, key) && !json_object_get(new_root, key))
            tocmp_diff_value(d, "model", NULL, key, v, NULL);
    }
    tocmp_diff_count_add(d, "other_changes", json_array_size(d->changes) - before);
}

void tocmp_diff_add_labels(struct tocm_diff *d, const tocm_model *m) {
    for (size_t l = 0; l < m->level_count; l++)
        if (!json_object_get(d->levels, m->levels[l].id))
            json_object_set_new(d->levels, m->levels[l].id, json_string(m->levels[l].title));
    for (size_t i = 0; i < m->node_count; i++) {
        const struct tocmp_node *n = &m->nodes[i];
        if (!n->id || json_object_get(d->labels, n->id))
            continue;
        const char *level =
            n->level >= 0 ? m->levels[n->level].title : (n->level_name ? n->level_name : "node");
        char *label = tocmp_asprintf("%s \"%s\"", level, n->title);
        json_object_set_new(d->labels, n->id, json_string(label));
        free(label);
    }
}
