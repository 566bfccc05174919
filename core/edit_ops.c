/*
 * edit_ops.c -- the edit operations: add, link and unlink, rename. Each
 * checks what it needs before it touches the document, so a refused
 * operation leaves it as it was. Set and unset are in edit_set.c, removal
 * in edit_remove.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit_internal.h"
#include "util.h"

/* ---- operations ---------------------------------------------------------- */

/* Refuses an id that is empty or already names a node or an indicator. */
static int check_new_id(tocm_edit *e, const char *id) {
    if (!id || !*id)
        return tocmp_edit_refuse(e, "an id cannot be empty");
    if (!tocmp_edit_is_utf8(id))
        return tocmp_edit_refuse(e, "the id is not valid UTF-8 text");
    json_t *node = tocmp_edit_find_node(e, id);
    if (node) {
        char *what = tocmp_edit_describe_node(e, node);
        const char *title = tocmp_edit_str_member(node, "title");
        tocmp_edit_refuse(e, "there is already a node %s: \"%s\"", what, title ? title : "");
        free(what);
        return TOCM_EINVALID;
    }
    if (tocmp_edit_find_indicator(e, id))
        return tocmp_edit_refuse(e, "there is already an indicator '%s'", id);
    return TOCM_OK;
}

int tocm_edit_add_node(tocm_edit *e, const char *id, const char *level, const char *title,
                       const char *after) {
    if (check_new_id(e, id) != TOCM_OK)
        return TOCM_EINVALID;
    if ((level && !tocmp_edit_is_utf8(level)) || (title && !tocmp_edit_is_utf8(title)))
        return tocmp_edit_refuse(e, "the level or title is not valid UTF-8 text");
    json_t *nodes = json_object_get(e->doc, "nodes");
    if (nodes && !json_is_array(nodes))
        return tocmp_edit_refuse(e, "'nodes' in %s is not an array; fix the file first", e->path);
    size_t position;
    if (after) {
        long i = nodes ? tocmp_edit_find_in(nodes, after) : -1;
        if (i < 0)
            return tocmp_edit_refuse(e, "%s has no node '%s' to put the new node after", e->path,
                                     after);
        position = (size_t)i + 1;
    } else {
        /* Keep the file grouped by level: after the last node of the same
         * level or a higher one (the end, when the level is unknown). */
        long rank = tocmp_edit_level_rank(e, level);
        position = nodes ? json_array_size(nodes) : 0;
        if (rank >= 0 && nodes) {
            position = 0;
            size_t i;
            json_t *n;
            json_array_foreach(nodes, i, n) {
                long r = tocmp_edit_level_rank(e, tocmp_edit_str_member(n, "level"));
                if (r >= 0 && r <= rank)
                    position = i + 1;
            }
        }
    }
    if (!nodes) {
        nodes = json_array();
        json_object_set_new(e->doc, "nodes", nodes);
    }
    json_t *node = json_object();
    json_object_set_new(node, "id", json_string(id));
    json_object_set_new(node, "level", json_string(level ? level : ""));
    json_object_set_new(node, "title", json_string(title ? title : ""));
    json_array_insert_new(nodes, position, node);
    tocmp_edit_note(e, "added %s '%s': \"%s\"", tocmp_edit_level_title_of(e, level), id,
                    title ? title : "");
    return TOCM_OK;
}

int tocm_edit_add_indicator(tocm_edit *e, const char *id, const char *title) {
    if (check_new_id(e, id) != TOCM_OK)
        return TOCM_EINVALID;
    if (title && !tocmp_edit_is_utf8(title))
        return tocmp_edit_refuse(e, "the title is not valid UTF-8 text");
    json_t *inds = json_object_get(e->doc, "indicators");
    if (inds && !json_is_array(inds))
        return tocmp_edit_refuse(e, "'indicators' in %s is not an array; fix the file first",
                                 e->path);
    if (!inds) {
        inds = json_array();
        json_object_set_new(e->doc, "indicators", inds);
    }
    json_t *ind = json_object();
    json_object_set_new(ind, "id", json_string(id));
    json_object_set_new(ind, "title", json_string(title ? title : ""));
    json_array_append_new(inds, ind);
    tocmp_edit_note(e, "added indicator '%s': \"%s\"", id, title ? title : "");
    return TOCM_OK;
}

/* The list a link lives in: a node's contributes_to, an indicator's nodes. */
static const char *link_member(enum found kind) { return tocmp_edit_links_field(kind); }

int tocm_edit_link(tocm_edit *e, const char *from, const char *to, int inferred) {
    json_t *object;
    enum found kind = tocmp_edit_resolve(e, from, &object);
    if (kind == FOUND_NONE)
        return TOCM_EINVALID;
    if (!tocmp_edit_is_utf8(to))
        return tocmp_edit_refuse(e, "the id to link to is not valid UTF-8 text");
    const char *member = link_member(kind);
    json_t *list = json_object_get(object, member);
    if (list && !json_is_array(list))
        return tocmp_edit_refuse(e, "'%s' of '%s' is not a list; fix it with 'tocm set' first",
                                 member, from);
    /* A node's links are checked by the validator (E104: unknown node), so
     * --force can still write one; nothing checks an indicator's. */
    if (kind == FOUND_INDICATOR && !tocmp_edit_find_node(e, to))
        return tocmp_edit_refuse(e, "%s has no node '%s' to attach indicator '%s' to", e->path, to,
                                 from);
    json_t *marks = kind == FOUND_NODE ? json_object_get(object, "inferred") : NULL;
    if (inferred && kind != FOUND_NODE)
        return tocmp_edit_refuse(e, "only a node's links can be marked inferred");
    if (inferred && marks && !json_is_array(marks) && !json_is_boolean(marks))
        return tocmp_edit_refuse(e, "'inferred' of '%s' is neither true, false nor a list", from);

    int changed = 0;
    if (list && tocmp_edit_find_string(list, to) >= 0) {
        tocmp_edit_note(e,
                        kind == FOUND_NODE ? "'%s' already contributes to '%s'"
                                           : "indicator '%s' is already attached to '%s'",
                        from, to);
    } else {
        if (!list) {
            list = json_array();
            json_object_set_new(object, member, list);
        }
        json_array_append_new(list, json_string(to));
        tocmp_edit_note(e,
                        kind == FOUND_NODE ? "'%s' now contributes to '%s'"
                                           : "indicator '%s' is now attached to '%s'",
                        from, to);
        changed = 1;
    }
    if (inferred) {
        if (json_is_true(marks)) {
            tocmp_edit_note(
                e, "'%s' is inferred as a whole (inferred: true): its links need no mark", from);
        } else if (json_is_array(marks) && tocmp_edit_find_string(marks, to) >= 0) {
            if (!changed)
                tocmp_edit_note(e, "the link from '%s' to '%s' is already marked inferred", from,
                                to);
        } else {
            if (!json_is_array(marks)) {
                marks = json_array();
                json_object_set_new(object, "inferred", marks);
            }
            json_array_append_new(marks, json_string(to));
            tocmp_edit_note(e, "the link from '%s' to '%s' is marked inferred", from, to);
        }
    }
    return TOCM_OK;
}

int tocm_edit_unlink(tocm_edit *e, const char *from, const char *to) {
    json_t *object;
    enum found kind = tocmp_edit_resolve(e, from, &object);
    if (kind == FOUND_NONE)
        return TOCM_EINVALID;
    const char *member = link_member(kind);
    json_t *list = json_object_get(object, member);
    if (!json_is_array(list) || tocmp_edit_find_string(list, to) < 0)
        return tocmp_edit_refuse(e,
                                 kind == FOUND_NODE
                                     ? "'%s' does not contribute to '%s'; nothing to unlink"
                                     : "indicator '%s' is not attached to '%s'",
                                 from, to);
    tocmp_edit_remove_string(list, to);
    tocmp_edit_drop_if_empty(object, member);
    /* Marks on the link (a node's inferred list) go with it. */
    const struct tocmp_field *ids[16];
    size_t n = tocmp_edit_id_fields(kind, ids);
    for (size_t i = 0; i < n; i++) {
        json_t *marks = json_object_get(object, ids[i]->name);
        if (!(ids[i]->flags & TOCMP_F_LINKS) && json_is_array(marks) &&
            tocmp_edit_remove_string(marks, to))
            tocmp_edit_drop_if_empty(object, ids[i]->name);
    }
    if (kind == FOUND_NODE) {
        tocmp_edit_note(e, "'%s' no longer contributes to '%s'", from, to);
    } else {
        tocmp_edit_note(e, "indicator '%s' is no longer attached to '%s'", from, to);
    }
    return TOCM_OK;
}

int tocm_edit_rename(tocm_edit *e, const char *old_id, const char *new_id) {
    json_t *object;
    enum found kind = tocmp_edit_resolve(e, old_id, &object);
    if (kind == FOUND_NONE)
        return TOCM_EINVALID;
    if (strcmp(old_id, new_id) == 0) {
        tocmp_edit_note(e, "'%s' already has that id", old_id);
        return TOCM_OK;
    }
    if (check_new_id(e, new_id) != TOCM_OK)
        return TOCM_EINVALID;
    /* Copy: old_id may point into the member about to be replaced. */
    char *old = tocmp_xstrdup(old_id);
    json_object_set_new(object, "id", json_string(new_id));
    if (kind == FOUND_INDICATOR) {
        tocmp_edit_note(e, "renamed indicator '%s' to '%s'", old, new_id);
        free(old);
        return TOCM_OK;
    }
    /* Every field the schema says holds node ids follows the rename. */
    size_t links = 0, marks = 0, indicators = 0;
    const struct tocmp_field *ids[16];
    size_t n = tocmp_edit_id_fields(FOUND_NODE, ids);
    size_t i;
    json_t *item;
    json_array_foreach(tocmp_edit_top_array(e, "nodes"), i, item) {
        for (size_t k = 0; k < n; k++) {
            size_t changed =
                tocmp_edit_replace_string(json_object_get(item, ids[k]->name), old, new_id);
            if (ids[k]->flags & TOCMP_F_LINKS)
                links += changed;
            else
                marks += changed;
        }
    }
    n = tocmp_edit_id_fields(FOUND_INDICATOR, ids);
    json_array_foreach(tocmp_edit_top_array(e, "indicators"), i, item) {
        size_t changed = 0;
        for (size_t k = 0; k < n; k++)
            changed += tocmp_edit_replace_string(json_object_get(item, ids[k]->name), old, new_id);
        indicators += changed > 0;
    }
    char *what = tocmp_edit_describe_node(e, object);
    tocmp_buf refs = {0};
    if (links)
        tocmp_buf_printf(&refs, "%zu link%s", links, links == 1 ? "" : "s");
    if (marks)
        tocmp_buf_printf(&refs, "%s%zu inferred mark%s", refs.len ? ", " : "", marks,
                         marks == 1 ? "" : "s");
    if (indicators)
        tocmp_buf_printf(&refs, "%s%zu indicator%s", refs.len ? ", " : "", indicators,
                         indicators == 1 ? "" : "s");
    tocmp_edit_note(e, "renamed '%s' to %s; updated %s", old, what,
                    refs.len ? refs.data : "no references");
    free(refs.data);
    free(what);
    free(old);
    return TOCM_OK;
}
