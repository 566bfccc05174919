/*
 * edit_doc.c -- finding things in the document being edited, and the
 * small list changes the operations share.
 */
#include <string.h>

#include "edit_internal.h"
#include "util.h"

const char *tocmp_edit_str_member(json_t *object, const char *key) {
    json_t *v = json_object_get(object, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The items of the top-level array name ("nodes", "indicators"), or NULL. */
json_t *tocmp_edit_top_array(tocm_edit *e, const char *name) {
    json_t *a = json_object_get(e->doc, name);
    return json_is_array(a) ? a : NULL;
}

/* Index of the first object in array whose "id" is id, or -1. */
long tocmp_edit_find_in(json_t *array, const char *id) {
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        const char *item_id = tocmp_edit_str_member(item, "id");
        if (item_id && strcmp(item_id, id) == 0)
            return (long)i;
    }
    return -1;
}

json_t *tocmp_edit_find_node(tocm_edit *e, const char *id) {
    json_t *nodes = tocmp_edit_top_array(e, "nodes");
    long i = nodes ? tocmp_edit_find_in(nodes, id) : -1;
    return i < 0 ? NULL : json_array_get(nodes, (size_t)i);
}

json_t *tocmp_edit_find_indicator(tocm_edit *e, const char *id) {
    json_t *inds = tocmp_edit_top_array(e, "indicators");
    long i = inds ? tocmp_edit_find_in(inds, id) : -1;
    return i < 0 ? NULL : json_array_get(inds, (size_t)i);
}

/* Index of string s in a JSON array of strings, or -1. */
long tocmp_edit_find_string(json_t *array, const char *s) {
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        if (json_is_string(item) && strcmp(json_string_value(item), s) == 0)
            return (long)i;
    }
    return -1;
}

/* Removes every entry equal to s; returns how many went. */
size_t tocmp_edit_remove_string(json_t *array, const char *s) {
    size_t removed = 0;
    for (size_t i = json_array_size(array); i-- > 0;) {
        json_t *item = json_array_get(array, i);
        if (json_is_string(item) && strcmp(json_string_value(item), s) == 0) {
            json_array_remove(array, i);
            removed++;
        }
    }
    return removed;
}

/* Replaces every entry equal to from by to, or drops it when to is already
 * in the array. Returns how many entries were changed or dropped. */
size_t tocmp_edit_replace_string(json_t *array, const char *from, const char *to) {
    if (!json_is_array(array))
        return 0;
    int has_to = tocmp_edit_find_string(array, to) >= 0;
    size_t changed = 0;
    for (size_t i = json_array_size(array); i-- > 0;) {
        json_t *item = json_array_get(array, i);
        if (!json_is_string(item) || strcmp(json_string_value(item), from) != 0)
            continue;
        if (has_to) {
            json_array_remove(array, i);
        } else {
            json_array_set_new(array, i, json_string(to));
            has_to = 1;
        }
        changed++;
    }
    return changed;
}

/* Drops member key of object when it is an empty array. */
void tocmp_edit_drop_if_empty(json_t *object, const char *key) {
    json_t *v = json_object_get(object, key);
    if (json_is_array(v) && json_array_size(v) == 0)
        json_object_del(object, key);
}

const char *tocmp_edit_level_title_of(tocm_edit *e, const char *level) {
    json_t *levels = json_object_get(e->doc, "levels");
    size_t i;
    json_t *l;
    json_array_foreach(levels, i, l) {
        const char *id = json_is_string(l) ? json_string_value(l) : tocmp_edit_str_member(l, "id");
        if (id && level && strcmp(id, level) == 0) {
            const char *title = json_is_object(l) ? tocmp_edit_str_member(l, "title") : NULL;
            return title ? title : id;
        }
    }
    return level ? level : "node";
}

long tocmp_edit_level_rank(tocm_edit *e, const char *level) {
    for (size_t i = 0; level && i < e->level_count; i++)
        if (strcmp(e->levels[i], level) == 0)
            return (long)i;
    return -1;
}

/* "'P7' (Project)" for messages. new. */
char *tocmp_edit_describe_node(tocm_edit *e, json_t *node) {
    const char *id = tocmp_edit_str_member(node, "id");
    return tocmp_asprintf("'%s' (%s)", id ? id : "?",
                          tocmp_edit_level_title_of(e, tocmp_edit_str_member(node, "level")));
}

/* "'A', 'B', 'C' and 4 more" from an array of C strings. new. */
char *tocmp_edit_name_list(const char **names, size_t count) {
    tocmp_buf b = {0};
    size_t shown = count > 6 ? 5 : count;
    for (size_t i = 0; i < shown; i++) {
        if (i)
            tocmp_buf_puts(&b, i + 1 == shown && shown == count ? " and " : ", ");
        tocmp_buf_printf(&b, "'%s'", names[i]);
    }
    if (shown < count)
        tocmp_buf_printf(&b, " and %zu more", count - shown);
    return b.data ? b.data : tocmp_xstrdup("");
}

int tocmp_edit_is_utf8(const char *s) {
    json_t *v = json_string(s);
    json_decref(v);
    return v != NULL;
}

enum tocmp_place tocmp_edit_place(enum found kind) {
    switch (kind) {
    case FOUND_INDICATOR: return TOCMP_PLACE_INDICATOR;
    case FOUND_TABLE: return TOCMP_PLACE_TABLE;
    case FOUND_LEVEL: return TOCMP_PLACE_LEVEL;
    case FOUND_PROGRAM: return TOCMP_PLACE_PROGRAM;
    case FOUND_STATUS: return TOCMP_PLACE_STATUS;
    default: return TOCMP_PLACE_NODE;
    }
}

const char *tocmp_edit_links_field(enum found kind) {
    const struct tocmp_place_info *p = tocmp_schema_place(tocmp_edit_place(kind));
    for (size_t i = 0; i < p->field_count; i++)
        if (p->fields[i].flags & TOCMP_F_LINKS)
            return p->fields[i].name;
    return NULL;
}

size_t tocmp_edit_id_fields(enum found kind, const struct tocmp_field **out) {
    const struct tocmp_place_info *p = tocmp_schema_place(tocmp_edit_place(kind));
    size_t n = 0;
    for (size_t i = 0; i < p->field_count && n < 16; i++)
        if (p->fields[i].flags & TOCMP_F_NODE_IDS)
            out[n++] = &p->fields[i];
    return n;
}

enum found tocmp_edit_resolve(tocm_edit *e, const char *id, json_t **object) {
    /* Links, renames and removal are for nodes and indicators only. */
    int any = e->kind == TOCM_EDIT_ANY;
    json_t *node = any || e->kind == TOCM_EDIT_NODE ? tocmp_edit_find_node(e, id) : NULL;
    json_t *ind = any || e->kind == TOCM_EDIT_INDICATOR ? tocmp_edit_find_indicator(e, id) : NULL;
    *object = NULL;
    if (node && ind) {
        tocmp_edit_refuse(
            e, "'%s' is both a node and an indicator; say which with --node or --indicator", id);
        return FOUND_NONE;
    }
    if (node) {
        *object = node;
        return FOUND_NODE;
    }
    if (ind) {
        *object = ind;
        return FOUND_INDICATOR;
    }
    if (!any && e->kind != TOCM_EDIT_NODE && e->kind != TOCM_EDIT_INDICATOR) {
        tocmp_edit_refuse(e, "only nodes and indicators are linked, renamed or removed");
        return FOUND_NONE;
    }
    tocmp_edit_refuse(e, "%s has no %s '%s'", e->path,
                      e->kind == TOCM_EDIT_NODE        ? "node"
                      : e->kind == TOCM_EDIT_INDICATOR ? "indicator"
                                                       : "node or indicator",
                      id);
    return FOUND_NONE;
}
