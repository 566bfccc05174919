/*
 * report_chain.c -- the report grouped along the results chain, as an IPTT
 * reads: the goal, under it each end-of-program outcome, under each its
 * outcomes, and under each node the indicators that measure it.
 *
 * The chain shows the goal level, every outcome level, and any other node
 * an indicator measures (an output with indicators of its own); nodes in
 * between that are not shown are skipped over, so an output hangs under
 * the nearest outcome above it. A node that contributes to several is shown
 * once, under the first of them in file order (its first contributes_to
 * link that leads to a shown node). An indicator measuring several nodes is
 * placed under the first of its "nodes" that is shown, and referred to
 * under the others, so each block is printed once.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "report_build.h"
#include "util.h"

struct chain {
    const tocm_model *m;
    const unsigned char *scope; /* NULL: every node */
    unsigned char *shown;       /* per node */
    size_t *parent;             /* per shown node: TOCM_NO_NODE for a root */
    json_t **entry;             /* per shown node: its chain entry */
    json_t *out;
};

/* The nearest shown node that node leads to (breadth first along
 * contributes_to, in file order), or TOCM_NO_NODE. */
static size_t shown_parent(struct chain *ch, size_t node, size_t *queue, unsigned char *seen) {
    const tocm_model *m = ch->m;
    size_t head = 0, tail = 0, found = TOCM_NO_NODE;
    seen[node] = 1;
    queue[tail++] = node;
    while (head < tail && found == TOCM_NO_NODE) {
        const struct tocmp_node *u = &m->nodes[queue[head++]];
        for (size_t e = 0; e < u->out_count && found == TOCM_NO_NODE; e++) {
            size_t w = m->out_edges[u->out_begin + e];
            if (seen[w])
                continue;
            if (ch->shown[w])
                found = w;
            seen[w] = 1;
            queue[tail++] = w;
        }
    }
    /* Clear only what was visited: the search usually stops a step or two
     * up, and clearing all of seen per node would cost n squared. */
    for (size_t i = 0; i < tail; i++)
        seen[queue[i]] = 0;
    return found;
}

static json_t *node_entry(const tocm_model *m, size_t node, size_t parent, int depth) {
    const struct tocmp_node *n = &m->nodes[node];
    json_t *e = json_object();
    json_object_set_new(e, "node", json_string(n->id));
    json_object_set_new(e, "title", json_string(n->title));
    const char *level = n->level >= 0 ? m->levels[n->level].id : n->level_name;
    json_object_set_new(e, "level", json_string(level ? level : ""));
    json_object_set_new(e, "level_title",
                        json_string(n->level >= 0 ? m->levels[n->level].title : ""));
    json_object_set_new(e, "depth", json_integer(depth));
    json_object_set_new(e, "parent",
                        parent == TOCM_NO_NODE ? json_null() : json_string(m->nodes[parent].id));
    const char *status = tocm_node_status(m, node);
    json_object_set_new(e, "status", status ? json_string(status) : json_null());
    const char *country = tocm_node_country(m, node);
    if (country)
        json_object_set_new(e, "country", json_string(country));
    json_t *assumptions = json_array(), *given = json_object_get(n->json, "assumptions");
    size_t i;
    json_t *a;
    json_array_foreach(given, i, a) {
        if (json_is_string(a))
            json_array_append(assumptions, a);
    }
    json_object_set_new(e, "assumptions", assumptions);
    json_object_set_new(e, "indicators", json_array());
    json_object_set_new(e, "references", json_array());
    return e;
}

/* Appends node's entry, then those of the shown nodes it is the parent of,
 * in file order. children: per node, its first child; next: the sibling. */
static void emit(struct chain *ch, size_t node, int depth, const size_t *children,
                 const size_t *next) {
    json_t *e = node_entry(ch->m, node, ch->parent[node], depth);
    ch->entry[node] = e;
    json_array_append_new(ch->out, e);
    for (size_t c = children[node]; c != TOCM_NO_NODE; c = next[c])
        emit(ch, c, depth + 1, children, next);
}

static int in_indicators(json_t *entry, json_t *ident) {
    size_t q;
    json_t *have;
    json_array_foreach(json_object_get(entry, "indicators"), q, have) {
        if (json_equal(have, ident))
            return 1;
    }
    return 0;
}

void tocmp_report_chain(json_t *doc, const tocm_model *m, const struct tocmp_selection *sel) {
    size_t n = m->node_count;
    struct chain ch = {.m = m, .scope = sel->nodes, .out = json_array()};
    ch.shown = tocmp_xcalloc(n ? n : 1, 1);
    ch.parent = tocmp_xmalloc((n ? n : 1) * sizeof *ch.parent);
    ch.entry = tocmp_xcalloc(n ? n : 1, sizeof *ch.entry);
    json_t *indicators = json_object_get(doc, "indicators");

    /* Which nodes are shown: in scope, and a goal or outcome, or measured
     * by an indicator of the report (under --level: every node of it). */
    for (size_t i = 0; i < n; i++) {
        long level = m->nodes[i].level;
        ch.shown[i] = m->nodes[i].id && (!sel->nodes || sel->nodes[i]) &&
                      (sel->by_level || level == 0 || (level > 0 && m->levels[level].outcome));
    }
    size_t k, j;
    json_t *ind, *id;
    json_array_foreach(indicators, k, ind) {
        json_array_foreach(json_object_get(ind, "nodes"), j, id) {
            size_t node = tocm_model_find_node(m, json_string_value(id));
            if (node != TOCM_NO_NODE && (!sel->nodes || sel->nodes[node]))
                ch.shown[node] = 1;
        }
    }
    /* Parents, and the children lists in file order. Recursion depth is
     * bounded by the number of levels: links only go upwards. */
    size_t *queue = tocmp_xmalloc((n ? n : 1) * sizeof *queue);
    unsigned char *seen = tocmp_xcalloc(n ? n : 1, 1);
    size_t *children = tocmp_xmalloc((n ? n : 1) * sizeof *children);
    size_t *next = tocmp_xmalloc((n ? n : 1) * sizeof *next);
    size_t *last = tocmp_xmalloc((n ? n : 1) * sizeof *last);
    for (size_t i = 0; i < n; i++) {
        children[i] = next[i] = last[i] = TOCM_NO_NODE;
        ch.parent[i] = ch.shown[i] ? shown_parent(&ch, i, queue, seen) : TOCM_NO_NODE;
    }
    for (size_t i = 0; i < n; i++) {
        size_t p = ch.parent[i];
        if (!ch.shown[i] || p == TOCM_NO_NODE)
            continue;
        if (last[p] == TOCM_NO_NODE)
            children[p] = i;
        else
            next[last[p]] = i;
        last[p] = i;
    }
    /* Roots from the top level down, each in file order. */
    for (size_t level = 0; level <= m->level_count; level++)
        for (size_t i = 0; i < n; i++) {
            long l = m->nodes[i].level;
            size_t rank = l < 0 ? m->level_count : (size_t)l;
            if (ch.shown[i] && ch.parent[i] == TOCM_NO_NODE && rank == level)
                emit(&ch, i, 0, children, next);
        }

    /* Each indicator under the first shown node it measures, referred to
     * under the others it measures. */
    json_t *other = json_array();
    json_array_foreach(indicators, k, ind) {
        json_t *ident = json_object_get(ind, "id");
        int placed = 0;
        json_array_foreach(json_object_get(ind, "nodes"), j, id) {
            size_t node = tocm_model_find_node(m, json_string_value(id));
            if (node == TOCM_NO_NODE || !ch.entry[node])
                continue;
            json_t *list = json_object_get(ch.entry[node], placed ? "references" : "indicators");
            size_t q;
            json_t *have;
            int dup = 0; /* a node listed twice */
            json_array_foreach(list, q, have) dup |= json_equal(have, ident);
            if (!dup &&
                !(placed && json_array_size(json_object_get(ch.entry[node], "indicators")) &&
                  in_indicators(ch.entry[node], ident)))
                json_array_append(list, ident);
            placed = 1;
        }
        if (!placed)
            json_array_append(other, ident);
    }
    json_object_set_new(doc, "chain", ch.out);
    json_object_set_new(doc, "other_indicators", other);
    free(queue);
    free(seen);
    free(children);
    free(next);
    free(last);
    free(ch.shown);
    free(ch.parent);
    free(ch.entry);
}
