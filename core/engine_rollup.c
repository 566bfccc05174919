/*
 * engine_rollup.c -- the roll-up: for each outcome (and the goal), how many
 * indicators and projects beneath it are in each status.
 */
#include <string.h>

#include "engine_parts.h"
#include "model_internal.h"
#include "util.h"

/* Counts one status on every node reachable upwards from the start nodes,
 * each node once however many paths lead to it; with item, appends item to
 * each one's list instead (counts[u] an array). */
static void spread(const tocm_model *m, const size_t *starts, size_t start_count, json_t **counts,
                   const char *status, json_t *item, unsigned char *seen, size_t *queue) {
    memset(seen, 0, m->node_count);
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < start_count; i++) {
        if (starts[i] == TOCM_NO_NODE || seen[starts[i]])
            continue;
        seen[starts[i]] = 1;
        queue[tail++] = starts[i];
    }
    while (head < tail) {
        size_t u = queue[head++];
        if (item) {
            if (!counts[u])
                counts[u] = json_array();
            json_array_append(counts[u], item);
        } else {
            if (!counts[u])
                counts[u] = json_object();
            json_t *count = json_object_get(counts[u], status);
            json_object_set_new(counts[u], status,
                                json_integer(count ? json_integer_value(count) + 1 : 1));
        }
        for (size_t e = 0; e < m->nodes[u].out_count; e++) {
            size_t w = m->out_edges[m->nodes[u].out_begin + e];
            if (!seen[w]) {
                seen[w] = 1;
                queue[tail++] = w;
            }
        }
    }
}

/* Each outcome (and the goal) with the statuses of the indicators and
 * projects beneath it: an indicator or project status counts for its own
 * node(s) and once for every node they lead to. */
/* Whether cell is the headline figure of its period: the total, or with
 * the report cut to a country, that country's. */
static int headline(json_t *cell, const char *country) {
    json_t *dims = json_object_get(cell, "dims");
    if (json_object_size(dims) == 0)
        return 1;
    const char *c = json_string_value(json_object_get(dims, "country"));
    return country && json_object_size(dims) == 1 && c && strcmp(c, country) == 0;
}

/* related[node] = 1 for every node that holds one of indicators (its
 * "nodes") or contributes to one through links: a walk down the in-edges
 * from the nodes that hold them, each node once. */
static void mark_related(const tocm_model *m, json_t *indicators, unsigned char *related,
                         size_t *queue) {
    size_t head = 0, tail = 0, i;
    json_t *ind;
    json_array_foreach(indicators, i, ind) {
        size_t mi = tocmp_model_find_indicator(m, json_string_value(json_object_get(ind, "id")));
        if (mi == TOCMP_NONE)
            continue;
        const struct tocmp_indicator *def = &m->indicators[mi];
        for (size_t k = 0; k < def->node_count; k++) {
            size_t node = m->indicator_nodes[def->node_begin + k];
            if (node != TOCM_NO_NODE && !related[node]) {
                related[node] = 1;
                queue[tail++] = node;
            }
        }
    }
    while (head < tail) {
        size_t u = queue[head++];
        for (size_t e = 0; e < m->nodes[u].in_count; e++) {
            size_t w = m->in_edges[m->nodes[u].in_begin + e];
            if (!related[w]) {
                related[w] = 1;
                queue[tail++] = w;
            }
        }
    }
}

json_t *tocmp_rollup(const tocm_model *m, json_t *indicators, const char *country,
                     int related_only) {
    size_t n = m->node_count;
    json_t **ind_status = tocmp_xcalloc(n ? n : 1, sizeof *ind_status);
    json_t **proj_status = tocmp_xcalloc(n ? n : 1, sizeof *proj_status);
    json_t **left_out = tocmp_xcalloc(n ? n : 1, sizeof *left_out);
    unsigned char *seen = tocmp_xcalloc(n ? n : 1, 1);
    size_t *queue = tocmp_xmalloc((n ? n : 1) * sizeof *queue);

    size_t i;
    json_t *ind;
    json_array_foreach(indicators, i, ind) {
        /* The status of the latest period's total that has a target and
         * a figure (not a future one, nor one not reported). */
        const char *status = NULL;
        size_t k;
        json_t *cell;
        json_array_foreach(json_object_get(ind, "cells"), k, cell) {
            if (headline(cell, country) && json_object_get(cell, "status") &&
                (!json_is_null(json_object_get(cell, "value")) || json_object_get(cell, "text")) &&
                strcmp(json_string_value(json_object_get(cell, "period")), "total") != 0)
                status = json_string_value(json_object_get(cell, "status"));
        }
        /* The nodes the model attaches the indicator to. */
        size_t mi = tocmp_model_find_indicator(m, json_string_value(json_object_get(ind, "id")));
        if (mi == TOCMP_NONE)
            continue;
        const struct tocmp_indicator *def = &m->indicators[mi];
        spread(m, m->indicator_nodes + def->node_begin, def->node_count, ind_status,
               status ? status : "no target", NULL, seen, queue);
    }
    /* With indicators chosen by name, the projects are theirs: those that
     * contribute to a result they measure, not every project beneath the
     * outcomes and the goal those results lead to. */
    unsigned char *related = NULL;
    if (related_only) {
        related = tocmp_xcalloc(n ? n : 1, 1);
        mark_related(m, indicators, related, queue);
    }
    for (size_t node = 0; node < n; node++) {
        if (related && !related[node])
            continue;
        const char *status = tocm_node_status(m, node);
        /* A status outside the vocabulary is not a status of its own
         * (validate warns, W206): left out, and named, so that a reader
         * can tell which projects the counts do not include. */
        if (status && tocmp_node_status_known(m, status)) {
            spread(m, &node, 1, proj_status, status, NULL, seen, queue);
        } else if (status && m->nodes[node].id) {
            json_t *item = json_pack("{s:s, s:s}", "node", m->nodes[node].id, "status", status);
            spread(m, &node, 1, left_out, NULL, item, seen, queue);
            json_decref(item);
        }
    }
    json_t *out = json_array();
    for (size_t node = 0; node < n; node++) {
        long level = m->nodes[node].level;
        if (level < 0 || !(level == 0 || m->levels[level].outcome))
            continue;
        if (!ind_status[node] && !proj_status[node] && !left_out[node])
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "node", json_string(m->nodes[node].id));
        json_object_set_new(o, "level", json_string(m->levels[level].id));
        json_object_set_new(o, "title", json_string(m->nodes[node].title));
        json_object_set_new(o, "indicators", ind_status[node] ? ind_status[node] : json_object());
        json_object_set_new(o, "projects", proj_status[node] ? proj_status[node] : json_object());
        if (left_out[node])
            json_object_set_new(o, "left_out", left_out[node]);
        ind_status[node] = proj_status[node] = left_out[node] = NULL;
        json_array_append_new(out, o);
    }
    for (size_t node = 0; node < n; node++) {
        json_decref(ind_status[node]);
        json_decref(proj_status[node]);
        json_decref(left_out[node]);
    }
    free(ind_status);
    free(proj_status);
    free(left_out);
    free(related);
    free(seen);
    free(queue);
    return out;
}
