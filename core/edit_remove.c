/*
 * edit_remove.c -- removing a node or an indicator, with what refers to it:
 * refused while something still depends on the node, or with its
 * dependants re-attached or removed as the mode says (tocm.h). What refers
 * to a node is every field the schema marks as holding node ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit_internal.h"
#include "util.h"

/* Keeps the items of array for which keep() says 1, in order, in one pass
 * (json_array_remove one by one moves the rest each time: quadratic).
 * Returns how many went. */
static size_t filter_array(json_t *array, int (*keep)(json_t *item, void *arg), void *arg) {
    size_t n = json_array_size(array), kept = 0;
    if (n == 0)
        return 0;
    json_t **items = tocmp_xmalloc(n * sizeof *items);
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(array, i);
        if (keep(item, arg))
            items[kept++] = json_incref(item);
    }
    if (kept < n) {
        json_array_clear(array);
        for (size_t i = 0; i < kept; i++)
            json_array_append(array, items[i]);
    }
    for (size_t i = 0; i < kept; i++)
        json_decref(items[i]);
    free(items);
    return n - kept;
}

static int not_removed_id(json_t *item, void *removed) {
    return !json_is_string(item) || !json_object_get(removed, json_string_value(item));
}

static int not_removed_node(json_t *node, void *removed) {
    const char *nid = tocmp_edit_str_member(node, "id");
    return !nid || !json_object_get(removed, nid);
}

/* Removes entries naming removed nodes from a list; returns how many. */
static size_t drop_removed(json_t *list, json_t *removed) {
    return filter_array(list, not_removed_id, removed);
}

/* Grows the removed set to a fixpoint: a node goes when it has links and
 * every one of them goes to a removed node. A worklist, so the cost is
 * linear in nodes and links whatever the order of the nodes (a pass over
 * all nodes per round took one round per level of a chain listed
 * bottom-up). links: the member holding a node's links. */
static void cascade(json_t *nodes, json_t *removed, const char *target, const char *links) {
    size_t n = json_array_size(nodes);
    size_t *left = tocmp_xcalloc(n ? n : 1, sizeof *left); /* links not (yet) removed */
    json_t *referrers = json_object();                     /* id -> [node index per link to it] */
    size_t i;
    json_t *item;
    json_array_foreach(nodes, i, item) {
        json_t *targets = json_object_get(item, links);
        left[i] = json_array_size(targets);
        size_t k;
        json_t *t;
        json_array_foreach(targets, k, t) {
            if (!json_is_string(t))
                continue; /* never removed: the node keeps a link */
            json_t *list = json_object_get(referrers, json_string_value(t));
            if (!list) {
                list = json_array();
                json_object_set_new(referrers, json_string_value(t), list);
            }
            json_array_append_new(list, json_integer((json_int_t)i));
        }
    }
    /* Ids removed whose referrers are still to be looked at. */
    const char **queue = tocmp_xmalloc((n + 1) * sizeof *queue);
    size_t head = 0, tail = 0;
    queue[tail++] = target;
    while (head < tail) {
        json_t *list = json_object_get(referrers, queue[head++]);
        size_t k;
        json_t *ref;
        json_array_foreach(list, k, ref) {
            size_t r = (size_t)json_integer_value(ref);
            json_t *node = json_array_get(nodes, r);
            const char *nid = tocmp_edit_str_member(node, "id");
            if (--left[r] > 0 || !nid || json_object_get(removed, nid))
                continue;
            json_object_set_new(removed, nid, json_true());
            queue[tail++] = nid; /* each id once: at most n */
        }
    }
    free(queue);
    free(left);
    json_decref(referrers);
}

static int remove_indicator(tocm_edit *e, const char *id) {
    json_t *inds = tocmp_edit_top_array(e, "indicators");
    long i = tocmp_edit_find_in(inds, id);
    char *name = tocmp_xstrdup(id);
    json_array_remove(inds, (size_t)i);
    tocmp_edit_note(e, "removed indicator '%s'", name);
    free(name);
    return TOCM_OK;
}

int tocm_edit_remove(tocm_edit *e, const char *id, enum tocm_remove_mode mode,
                     const char *reattach_to) {
    json_t *object;
    enum found kind = tocmp_edit_resolve(e, id, &object);
    if (kind == FOUND_NONE)
        return TOCM_EINVALID;
    if (kind == FOUND_INDICATOR)
        return remove_indicator(e, id);
    json_t *nodes = tocmp_edit_top_array(e, "nodes");
    json_t *inds = tocmp_edit_top_array(e, "indicators");
    char *target = tocmp_xstrdup(id); /* id may point into the node */
    size_t i;
    json_t *item;
    int rc = TOCM_OK;

    /* What points at the node. */
    const char **from = tocmp_xcalloc(json_array_size(nodes), sizeof *from);
    const char **attached = tocmp_xcalloc(json_array_size(inds), sizeof *attached);
    size_t from_count = 0, attached_count = 0;
    const char *node_links = tocmp_edit_links_field(FOUND_NODE);
    const char *ind_links = tocmp_edit_links_field(FOUND_INDICATOR);
    const struct tocmp_field *node_ids[16], *ind_ids[16];
    size_t node_id_count = tocmp_edit_id_fields(FOUND_NODE, node_ids);
    size_t ind_id_count = tocmp_edit_id_fields(FOUND_INDICATOR, ind_ids);
    json_array_foreach(nodes, i, item) {
        if (item != object &&
            tocmp_edit_find_string(json_object_get(item, node_links), target) >= 0)
            from[from_count++] =
                tocmp_edit_str_member(item, "id") ? tocmp_edit_str_member(item, "id") : "?";
    }
    json_array_foreach(inds, i, item) {
        int refers = 0;
        for (size_t k = 0; k < ind_id_count && !refers; k++)
            refers = tocmp_edit_find_string(json_object_get(item, ind_ids[k]->name), target) >= 0;
        if (refers)
            attached[attached_count++] =
                tocmp_edit_str_member(item, "id") ? tocmp_edit_str_member(item, "id") : "?";
    }

    json_t *removed = json_object(); /* id -> true: the nodes that go */
    json_object_set_new(removed, target, json_true());

    if (mode == TOCM_REMOVE_ONLY && (from_count || attached_count)) {
        char *a = tocmp_edit_name_list(from, from_count),
             *b = tocmp_edit_name_list(attached, attached_count);
        tocmp_buf msg = {0};
        tocmp_buf_printf(&msg, "cannot remove '%s': ", target);
        if (from_count)
            tocmp_buf_printf(&msg, "%s still contribute%s to it", a, from_count == 1 ? "s" : "");
        if (from_count && attached_count)
            tocmp_buf_puts(&msg, ", and ");
        if (attached_count)
            tocmp_buf_printf(&msg, "indicator%s %s %s attached to it",
                             attached_count == 1 ? "" : "s", b, attached_count == 1 ? "is" : "are");
        tocmp_buf_puts(&msg, "; use --cascade to remove what hangs only on it, or "
                             "--reattach-to ID to move those links to another node");
        rc = tocmp_edit_refuse(e, "%s", msg.data);
        free(msg.data);
        free(a);
        free(b);
        goto out;
    }
    if (mode == TOCM_REMOVE_REATTACH) {
        json_t *new_target = reattach_to ? tocmp_edit_find_node(e, reattach_to) : NULL;
        if (!new_target) {
            rc = tocmp_edit_refuse(e, "%s has no node '%s' to reattach the links of '%s' to",
                                   e->path, reattach_to ? reattach_to : "", target);
            goto out;
        }
        if (new_target == object) {
            rc = tocmp_edit_refuse(e, "cannot reattach the links of '%s' to itself", target);
            goto out;
        }
        json_array_foreach(nodes, i, item) {
            for (size_t k = 0; k < node_id_count; k++)
                tocmp_edit_replace_string(json_object_get(item, node_ids[k]->name), target,
                                          reattach_to);
        }
        json_array_foreach(inds, i, item) {
            for (size_t k = 0; k < ind_id_count; k++)
                tocmp_edit_replace_string(json_object_get(item, ind_ids[k]->name), target,
                                          reattach_to);
        }
        if (from_count) {
            char *a = tocmp_edit_name_list(from, from_count);
            tocmp_edit_note(e, "%s now contribute%s to '%s' instead", a, from_count == 1 ? "s" : "",
                            reattach_to);
            free(a);
        }
        if (attached_count) {
            char *b = tocmp_edit_name_list(attached, attached_count);
            tocmp_edit_note(e, "indicator%s %s now attached to '%s' instead",
                            attached_count == 1 ? "" : "s", b, reattach_to);
            free(b);
        }
    } else if (mode == TOCM_REMOVE_CASCADE) {
        cascade(nodes, removed, target, node_links);
    }
    /* Take out the links to removed nodes, then the nodes. */
    size_t dropped_links = 0;
    json_array_foreach(nodes, i, item) {
        const char *nid = tocmp_edit_str_member(item, "id");
        if (nid && json_object_get(removed, nid))
            continue;
        size_t dropped = drop_removed(json_object_get(item, node_links), removed);
        /* Only a list this removal emptied goes: a node that already had
         * "contributes_to": [] (a goal) is not this change's business. */
        if (dropped)
            tocmp_edit_drop_if_empty(item, node_links);
        dropped_links += dropped;
        for (size_t k = 0; k < node_id_count; k++) {
            json_t *marks = json_object_get(item, node_ids[k]->name);
            if (strcmp(node_ids[k]->name, node_links) != 0 && json_is_array(marks) &&
                drop_removed(marks, removed))
                tocmp_edit_drop_if_empty(item, node_ids[k]->name);
        }
    }
    size_t detached = 0, indicators_removed = 0;
    tocmp_buf gone_inds = {0};
    for (size_t k = 0; k < json_array_size(inds);) {
        item = json_array_get(inds, k);
        for (size_t f = 0; f < ind_id_count; f++) {
            json_t *marks = json_object_get(item, ind_ids[f]->name);
            if (strcmp(ind_ids[f]->name, ind_links) != 0 && json_is_array(marks) &&
                drop_removed(marks, removed))
                tocmp_edit_drop_if_empty(item, ind_ids[f]->name);
        }
        json_t *list = json_object_get(item, ind_links);
        if (!json_is_array(list) || json_array_size(list) == 0 ||
            drop_removed(list, removed) == 0) {
            k++;
            continue;
        }
        detached++;
        if (json_array_size(list) > 0) {
            k++;
            continue;
        }
        const char *iid = tocmp_edit_str_member(item, "id");
        tocmp_buf_printf(&gone_inds, "%s'%s'", gone_inds.len ? ", " : "", iid ? iid : "?");
        json_array_remove(inds, k);
        indicators_removed++;
    }
    tocmp_buf gone = {0};
    size_t gone_count = 0;
    json_array_foreach(nodes, i, item) {
        const char *nid = tocmp_edit_str_member(item, "id");
        if (nid && json_object_get(removed, nid) && strcmp(nid, target) != 0) {
            tocmp_buf_printf(&gone, "%s'%s'", gone.len ? ", " : "", nid);
            gone_count++;
        }
    }
    filter_array(nodes, not_removed_node, removed);
    tocmp_edit_note(e, "removed '%s'", target);
    if (gone_count)
        tocmp_edit_note(e, "removed with it, as they contributed only to removed nodes: %s",
                        gone.data);
    if (mode == TOCM_REMOVE_CASCADE && dropped_links)
        tocmp_edit_note(e, "took out %zu link%s to removed nodes", dropped_links,
                        dropped_links == 1 ? "" : "s");
    if (mode == TOCM_REMOVE_CASCADE && detached > indicators_removed)
        tocmp_edit_note(e, "detached %zu indicator%s from removed nodes",
                        detached - indicators_removed,
                        detached - indicators_removed == 1 ? "" : "s");
    if (indicators_removed)
        tocmp_edit_note(e, "removed indicator%s %s, left attached to nothing",
                        indicators_removed == 1 ? "" : "s", gone_inds.data);
    free(gone.data);
    free(gone_inds.data);
out:
    json_decref(removed);
    free(from);
    free(attached);
    free(target);
    return rc;
}
