/*
 * serve_undo.c -- the inverse of an edit operation, for the page's undo.
 *
 * Undo applies the inverse as a new edit (through the same transaction,
 * validated and written like any other), so the file's history stays a
 * sequence of ordinary changes and undo cannot write what an edit could
 * not.
 *
 * A rename is taken back by the rename the other way (which also puts back
 * every reference). Every other operation is taken back from the document
 * before and after it: objects it removed are added again at their old
 * place, with every field they had; fields it changed on any node or
 * indicator are set back (a cascade removal or a reattach touches many);
 * objects it added are removed. The order matters for the edit API: first
 * add back (so links to them can be restored), then restore fields (which
 * also drops links to the objects about to go), then remove. Undo puts the
 * file back byte for byte when nothing else changed it meanwhile
 * (tests/serve/test_api.sh checks each operation).
 */
#include <string.h>

#include "serve.h"

static json_t *find_by_id(const json_t *array, const char *id) {
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        const char *other = json_string_value(json_object_get(item, "id"));
        if (other && strcmp(other, id) == 0)
            return item;
    }
    return NULL;
}

static const char *id_of(const json_t *object) {
    return json_string_value(json_object_get(object, "id"));
}

/* An operation on an object of a list ("kind": "indicator" for those). */
static json_t *new_op(const char *op, int indicator) {
    json_t *o = json_pack("{ss}", "op", op);
    if (indicator)
        json_object_set_new(o, "kind", json_string("indicator"));
    return o;
}

/* Puts back what list `name` of before had and after lost. */
static void add_back(json_t *ops, const json_t *before, const json_t *after, int indicator) {
    size_t i;
    json_t *item;
    const char *previous = NULL;
    json_array_foreach(before, i, item) {
        const char *id = id_of(item);
        if (!id)
            continue;
        if (!find_by_id(after, id)) {
            json_t *o = new_op("add", indicator);
            json_object_set_new(o, "id", json_string(id));
            json_object_set(o, "title", json_object_get(item, "title"));
            if (!indicator) {
                json_object_set(o, "level", json_object_get(item, "level"));
                if (previous)
                    json_object_set_new(o, "after", json_string(previous));
            }
            if (json_is_string(json_object_get(o, "title")) &&
                (indicator || json_is_string(json_object_get(o, "level"))))
                json_array_append_new(ops, o);
            else
                json_decref(o);
        }
        previous = id;
    }
}

/* Sets back every field of before's objects that after lacks or changed. */
static void restore_fields(json_t *ops, const json_t *before, const json_t *after, int indicator) {
    size_t i;
    json_t *item;
    json_array_foreach(before, i, item) {
        const char *id = id_of(item);
        if (!id)
            continue;
        json_t *now = find_by_id(after, id);
        json_t *skeleton = NULL;
        if (!now) {
            /* Added back just now: it has what add gave it. */
            skeleton = json_pack("{ss}", "id", id);
            json_object_set(skeleton, "title", json_object_get(item, "title"));
            if (!indicator)
                json_object_set(skeleton, "level", json_object_get(item, "level"));
            now = skeleton;
        }
        const char *key;
        json_t *value;
        /* Unsets first: unsetting contributes_to drops the inferred marks,
         * which the sets below then put back. */
        int links_dropped = 0;
        json_object_foreach(now, key, value) {
            if (strcmp(key, "id") == 0 || json_object_get(item, key))
                continue;
            links_dropped |= strcmp(key, "contributes_to") == 0;
            json_t *o = new_op("unset", indicator);
            json_object_set_new(o, "id", json_string(id));
            json_object_set_new(o, "field", json_string(key));
            json_array_append_new(ops, o);
        }
        json_object_foreach(item, key, value) {
            if (strcmp(key, "id") == 0)
                continue;
            json_t *had = json_object_get(now, key);
            /* The inferred marks are set again when the unset of the
             * links above dropped them. */
            if (had && json_equal(had, value) && !(links_dropped && strcmp(key, "inferred") == 0))
                continue;
            json_t *o = new_op("set", indicator);
            json_object_set_new(o, "id", json_string(id));
            json_object_set_new(o, "field", json_string(key));
            json_object_set(o, "value", value);
            json_array_append_new(ops, o);
        }
        json_decref(skeleton);
    }
}

/* Removes what after has and before had not, last first. */
static void remove_new(json_t *ops, const json_t *before, const json_t *after, int indicator) {
    for (size_t i = json_array_size(after); i-- > 0;) {
        const char *id = id_of(json_array_get(after, i));
        if (!id || find_by_id(before, id))
            continue;
        json_t *o = new_op("remove", indicator);
        json_object_set_new(o, "id", json_string(id));
        json_object_set_new(o, "mode", json_string("only"));
        json_array_append_new(ops, o);
    }
}

json_t *serve_inverse(const json_t *op, const json_t *before, const json_t *after) {
    if (!json_is_object(before) || !json_is_object(after))
        return NULL;
    const char *name = json_string_value(json_object_get(op, "op"));
    if (name && strcmp(name, "rename") == 0) {
        json_t *back = json_pack("{ss sO sO}", "op", "rename", "from", json_object_get(op, "to"),
                                 "to", json_object_get(op, "from"));
        if (!back)
            return NULL;
        const char *kind = json_string_value(json_object_get(op, "kind"));
        if (kind)
            json_object_set_new(back, "kind", json_string(kind));
        return json_pack("[o]", back);
    }
    const json_t *nodes_before = json_object_get(before, "nodes");
    const json_t *nodes_after = json_object_get(after, "nodes");
    const json_t *inds_before = json_object_get(before, "indicators");
    const json_t *inds_after = json_object_get(after, "indicators");
    json_t *ops = json_array();
    /* An indicator can only be added at the end: to put one back in its
     * place, the ones after it are taken out and put back too (nothing
     * links to an indicator, so that is always allowed). */
    json_t *inds_now = json_is_array(inds_after) ? json_deep_copy(inds_after) : json_array();
    size_t i;
    json_t *item;
    int past_gap = 0;
    json_array_foreach(inds_before, i, item) {
        const char *id = id_of(item);
        if (!id)
            continue;
        json_t *now = find_by_id(inds_now, id);
        if (!now) {
            past_gap = 1;
        } else if (past_gap) {
            json_t *o = new_op("remove", 1);
            json_object_set_new(o, "id", json_string(id));
            json_object_set_new(o, "mode", json_string("only"));
            json_array_append_new(ops, o);
            size_t k;
            json_t *other;
            json_array_foreach(inds_now, k, other) {
                if (other == now) {
                    json_array_remove(inds_now, k);
                    break;
                }
            }
        }
    }
    add_back(ops, nodes_before, nodes_after, 0);
    add_back(ops, inds_before, inds_now, 1);
    restore_fields(ops, nodes_before, nodes_after, 0);
    restore_fields(ops, inds_before, inds_now, 1);
    remove_new(ops, inds_before, inds_now, 1);
    remove_new(ops, nodes_before, nodes_after, 0);
    json_decref(inds_now);
    return ops;
}
