/*
 * diff.c -- what changed between two versions of a model, in the terms of
 * the results chain rather than of lines (tocm.h, "Editing and diff").
 *
 * The diff is a flat list of change records (JSON objects), in a fixed
 * order: renamed nodes, added nodes, removed nodes, then per node (in the new
 * file's order) its level, link and field changes, then indicators, the
 * program header, the levels, the tables, "status", and any top-level member
 * the schema does not know. Fields are compared in the schema's canonical
 * order (schema.c). The text form groups the per-node records under one
 * heading per node.
 *
 * This file holds what every part of the comparison shares (the two sides,
 * sets of ids, change records, field-by-field comparison), the driver and
 * the JSON form. Renames are found in diff_renames.c, each part of the
 * model is compared in diff_parts.c, and diff_text.c prints the text form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_internal.h"
#include "model_internal.h"
#include "path.h"
#include "util.h"

const char *tocmp_diff_str_member(json_t *object, const char *key) {
    json_t *v = json_object_get(object, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

json_t *tocmp_diff_node_at(const struct side *s, const char *id) {
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
        const char *id = tocmp_diff_str_member(n, "id");
        if (id && !json_object_get(s->by_id, id))
            json_object_set_new(s->by_id, id, json_integer((json_int_t)i));
    }
    json_array_foreach(s->nodes, i, n) {
        const char *id = tocmp_diff_str_member(n, "id");
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
json_t *tocmp_diff_id_set(json_t *array, json_t *map) {
    json_t *set = json_object();
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v) {
        if (!json_is_string(v))
            continue;
        const char *id = json_string_value(v);
        const char *mapped = map ? tocmp_diff_str_member(map, id) : NULL;
        json_object_set_new(set, mapped ? mapped : id, json_true());
    }
    return set;
}

int tocmp_diff_same_set(json_t *a, json_t *b, json_t *map) {
    json_t *sa = tocmp_diff_id_set(a, map), *sb = tocmp_diff_id_set(b, NULL);
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
        const char *mapped =
            json_is_string(v) ? tocmp_diff_str_member(map, json_string_value(v)) : NULL;
        json_array_append_new(out, mapped ? json_string(mapped) : json_incref(v));
    }
    return out;
}

/* ---- records -------------------------------------------------------------- */

json_t *tocmp_diff_record(struct tocm_diff *d, const char *what, const char *change) {
    json_t *r = json_object();
    json_object_set_new(r, "what", json_string(what));
    json_object_set_new(r, "change", json_string(change));
    json_array_append_new(d->changes, r);
    return r;
}

void tocmp_diff_count_add(struct tocm_diff *d, const char *key, size_t n) {
    json_t *v = json_object_get(d->summary, key);
    json_object_set_new(d->summary, key, json_integer(json_integer_value(v) + (json_int_t)n));
}

void tocmp_diff_set_str(json_t *r, const char *key, const char *value) {
    if (value)
        json_object_set_new(r, key, json_string(value));
}

/* A change of one member: "from" absent when it was added, "to" absent when
 * it was removed. */
void tocmp_diff_field_record(struct tocm_diff *d, const char *what, const char *id,
                             const char *field, json_t *from, json_t *to) {
    json_t *r = tocmp_diff_record(d, what, "field");
    tocmp_diff_set_str(r, "id", id);
    json_object_set_new(r, "field", json_string(field));
    if (from)
        json_object_set(r, "from", from);
    if (to)
        json_object_set(r, "to", to);
}

int tocmp_diff_in_list(const char *const *list, const char *key) {
    for (; *list; list++)
        if (strcmp(*list, key) == 0)
            return 1;
    return 0;
}

/* The changes between two values at field (a path such as "params.column"
 * or "reported[2].value"): objects are compared member by member and arrays
 * of the same length item by item, so a change deep inside a big value is
 * reported where it is; anything else is one record. Returns the count. */
/* field.key as `tocm set` reads it back (core/path.h): a key with a dot
 * is quoted, so `targets."2024.1"` never reads as targets.2024.1. new. */
static char *sub_key(const char *field, const char *key) {
    tocmp_buf b = {0};
    tocmp_buf_puts(&b, field);
    tocmp_path_put_key(&b, key);
    return b.data;
}

/* 1 when every entry is a plain value (not an object or a list). */
static int plain_list(json_t *array) {
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v) {
        if (json_is_object(v) || json_is_array(v))
            return 0;
    }
    return 1;
}

static int contains(json_t *array, json_t *v) {
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        if (json_equal(item, v))
            return 1;
    }
    return 0;
}

size_t tocmp_diff_value(struct tocm_diff *d, const char *what, const char *id, const char *field,
                        json_t *a, json_t *b) {
    if (a && b && json_equal(a, b))
        return 0;
    if (!a && !b)
        return 0;
    size_t n = 0;
    /* An object added or removed whole is named member by member, as the
     * paths `tocm set` takes: thresholds.on_track set to 0.9. */
    if ((!a && json_object_size(b) > 0) || (!b && json_object_size(a) > 0)) {
        json_t *present = a ? a : b;
        const char *key;
        json_t *v;
        json_object_foreach(present, key, v) {
            char *sub = sub_key(field, key);
            n += tocmp_diff_value(d, what, id, sub, a ? v : NULL, a ? NULL : v);
            free(sub);
        }
        return n;
    }
    if (json_is_object(a) && json_is_object(b)) {
        const char *key;
        json_t *v;
        json_object_foreach(b, key, v) {
            char *sub = sub_key(field, key);
            n += tocmp_diff_value(d, what, id, sub, json_object_get(a, key), v);
            free(sub);
        }
        json_object_foreach(a, key, v) {
            if (json_object_get(b, key))
                continue;
            char *sub = sub_key(field, key);
            n += tocmp_diff_value(d, what, id, sub, v, NULL);
            free(sub);
        }
        return n;
    }
    if (json_is_array(a) && json_is_array(b) && json_array_size(a) != json_array_size(b) &&
        !plain_list(a) && !plain_list(b)) {
        /* Entries (breakdown targets, comments) added or removed: each by
         * its index, the removed ones as they were in the old list. */
        size_t i;
        json_t *v;
        json_array_foreach(a, i, v) {
            if (!contains(b, v)) {
                char *sub = tocmp_asprintf("%s[%zu]", field, i);
                tocmp_diff_field_record(d, what, id, sub, v, NULL);
                free(sub);
                n++;
            }
        }
        json_array_foreach(b, i, v) {
            if (!contains(a, v)) {
                char *sub = tocmp_asprintf("%s[%zu]", field, i);
                tocmp_diff_field_record(d, what, id, sub, NULL, v);
                free(sub);
                n++;
            }
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
                char *sub = tocmp_asprintf("%s[%zu]", field, i); /* as path.h writes it */
                n += tocmp_diff_value(d, what, id, sub, json_array_get(a, i), v);
                free(sub);
            }
            return n;
        }
    }
    tocmp_diff_field_record(d, what, id, field, a, b);
    return 1;
}

/* Field changes between two objects at place, skipping the keys in skip.
 * The fields the schema knows come first in canonical order, then the new
 * object's other members, then members only the old one had. map, when not
 * NULL, is applied to the old object's fields that hold node ids. Returns
 * the number of records. */
size_t tocmp_diff_compare_fields(struct tocm_diff *d, const char *what, const char *id,
                                 enum tocmp_place place, json_t *old_obj, json_t *new_obj,
                                 const char *const *skip, json_t *map) {
    size_t n = 0;
    json_t *keys = json_array();
    const struct tocmp_field *known[64];
    size_t known_count = tocmp_schema_canonical(place, known);
    for (size_t i = 0; i < known_count; i++)
        if (json_object_get(old_obj, known[i]->name) || json_object_get(new_obj, known[i]->name))
            json_array_append_new(keys, json_string(known[i]->name));
    const char *key;
    json_t *v;
    json_object_foreach(new_obj, key, v) {
        if (!tocmp_schema_field(place, key))
            json_array_append_new(keys, json_string(key));
    }
    json_object_foreach(old_obj, key, v) {
        if (!tocmp_schema_field(place, key) && !json_object_get(new_obj, key))
            json_array_append_new(keys, json_string(key));
    }
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k) {
        const char *name = json_string_value(k);
        if (tocmp_diff_in_list(skip, name))
            continue;
        json_t *a = json_object_get(old_obj, name), *b = json_object_get(new_obj, name);
        const struct tocmp_field *f = tocmp_schema_field(place, name);
        json_t *mapped =
            map && a && f && (f->flags & TOCMP_F_NODE_IDS) ? map_array(a, map) : json_incref(a);
        char *shown = sub_key("", name);
        n += tocmp_diff_value(d, what, id, shown, mapped, b);
        free(shown);
        json_decref(mapped);
    }
    json_decref(keys);
    return n;
}

tocm_diff *tocm_diff_models(const tocm_model *old_model, const tocm_model *new_model) {
    struct tocm_diff *d = tocmp_xcalloc(1, sizeof *d);
    d->changes = json_array();
    d->summary = json_object();
    d->labels = json_object();
    d->levels = json_object();
    static const char *const keys[] = {
        "nodes_added",        "nodes_removed",      "nodes_renamed",    "nodes_changed",
        "links_added",        "links_removed",      "indicators_added", "indicators_removed",
        "indicators_renamed", "indicators_changed", "program_changes",  "level_changes",
        "table_changes",      "status_changes",     "other_changes",    NULL};
    for (const char *const *k = keys; *k; k++)
        json_object_set_new(d->summary, *k, json_integer(0));
    struct side o, n;
    side_init(&o, old_model);
    side_init(&n, new_model);
    json_t *map = json_object();
    tocmp_diff_nodes(d, &o, &n, map);
    tocmp_diff_indicators(d, old_model, new_model, map);
    tocmp_diff_section(d, old_model->root, new_model->root, "program", TOCMP_PLACE_PROGRAM,
                       "program_changes");
    tocmp_diff_levels(d, old_model->root, new_model->root);
    tocmp_diff_tables(d, old_model, new_model);
    tocmp_diff_section(d, old_model->root, new_model->root, "status", TOCMP_PLACE_STATUS,
                       "status_changes");
    tocmp_diff_other(d, old_model->root, new_model->root);
    tocmp_diff_add_labels(d, new_model);
    tocmp_diff_add_labels(d, old_model);
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
