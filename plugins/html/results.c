/*
 * results.c -- the indicators grouped along the results chain: one block per
 * result (the goal, every outcome, and any other node an indicator
 * measures), top level first, each with the status of what lies beneath it,
 * its assumptions and the indicators that measure it. An indicator that
 * measures several results is shown under the first and linked from the
 * others, so the page holds each table once.
 */
#include <stdlib.h>
#include <string.h>

#include "html_internal.h"

const char *indicator_status(json_t *ind) {
    /* As the roll-up reads it: the latest period's total that is
     * reported (not a period without figures, nor one not yet due), not
     * the life-of-program column. */
    const char *status = NULL;
    size_t k;
    json_t *cell;
    json_array_foreach(json_object_get(ind, "cells"), k, cell) {
        const char *s = json_string_value(json_object_get(cell, "status"));
        if (s && json_object_size(json_object_get(cell, "dims")) == 0 &&
            strcmp(s, "not reported") != 0 && strcmp(s, "not yet due") != 0 &&
            strcmp(js(cell, "period"), "total") != 0)
            status = s;
    }
    return status;
}

static json_t *rollup_of(struct page *p, const char *node_id) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(p->report, "rollup"), i, r) {
        if (strcmp(js(r, "node"), node_id) == 0)
            return r;
    }
    return NULL;
}

const char *node_status(struct page *p, const char *node_id) {
    json_t *counts = json_object_get(rollup_of(p, node_id), "indicators");
    static const char *const worst_first[] = {"off track", "on track", "achieved"};
    for (size_t i = 0; i < 3; i++)
        if (json_integer_value(json_object_get(counts, worst_first[i])) > 0)
            return worst_first[i];
    return NULL;
}

const char *node_status_word(struct page *p, const char *node_id) {
    const char *status = node_status(p, node_id);
    if (status)
        return status;
    /* No indicator with a verdict: say what they are (no target, ...). */
    json_t *counts = json_object_get(rollup_of(p, node_id), "indicators");
    void *it = json_object_iter(counts);
    return it ? json_object_iter_key(it) : NULL;
}

int node_has_block(struct page *p, size_t node) {
    return p->block && node < p->host->node_count(p->m) && p->block[node];
}

/* The node an indicator is shown under: its first result in the model. */
static size_t home_of(struct page *p, json_t *ind) {
    size_t k;
    json_t *id;
    json_array_foreach(json_object_get(ind, "nodes"), k, id) {
        size_t n = p->host->node_find(p->m, json_string_value(id));
        if (n != TOCM_NONE)
            return n;
    }
    return TOCM_NONE;
}

int results_plan(struct page *p) {
    const struct tocm_host *h = p->host;
    size_t n = h->node_count(p->m);
    p->block = calloc(n ? n : 1, 1);
    if (!p->block)
        return -1;
    for (size_t i = 0; i < n; i++) {
        long level = h->node_level(p->m, i);
        if (level == 0 || (level > 0 && h->level_is_outcome(p->m, (size_t)level)))
            p->block[i] = 1;
    }
    json_t *list = json_object_get(p->report, "indicators");
    p->home = malloc((json_array_size(list) + 1) * sizeof *p->home);
    if (!p->home)
        return -1;
    json_t *chain = json_object_get(p->report, "chain");
    size_t k;
    json_t *ind;
    if (json_is_array(chain)) {
        /* The report's own grouping (models/FORMAT.md, `chain`): its nodes
         * are the blocks, each indicator placed where it says. */
        memset(p->block, 0, n ? n : 1);
        json_array_foreach(list, k, ind) { p->home[k] = TOCM_NONE; }
        size_t c;
        json_t *entry;
        json_array_foreach(chain, c, entry) {
            size_t node = h->node_find(p->m, js(entry, "node"));
            if (node == TOCM_NONE)
                continue;
            p->block[node] = 1;
            size_t j;
            json_t *id;
            json_array_foreach(json_object_get(entry, "indicators"), j, id) {
                json_array_foreach(list, k, ind) {
                    if (p->home[k] == TOCM_NONE && json_is_string(id) &&
                        strcmp(js(ind, "id"), json_string_value(id)) == 0)
                        p->home[k] = node;
                }
            }
        }
        return 0;
    }
    json_array_foreach(list, k, ind) {
        p->home[k] = home_of(p, ind);
        if (p->home[k] != TOCM_NONE)
            p->block[p->home[k]] = 1;
    }
    return 0;
}

/* "Indicators beneath it: ✓ 2 achieved, → 1 on track" from the roll-up. */
static void rollup_line(struct page *p, json_t *r, const char *group, const char *words) {
    json_t *counts = json_object_get(r, group);
    if (!json_object_size(counts))
        return;
    struct hbuf *o = &p->out;
    hb_printf(o, "<p class=\"rollup\">%s: ", words);
    const char *k;
    json_t *v;
    int first = 1;
    json_object_foreach(counts, k, v) {
        hb_printf(o, "%s<span class=\"st st-%s\">%s %lld ", first ? "" : " ", status_class(k),
                  status_symbol(k), (long long)json_integer_value(v));
        hb_text(o, k);
        hb_puts(o, "</span>");
        first = 0;
    }
    hb_puts(o, "</p>\n");
}

static void node_block(struct page *p, size_t node, int page_break) {
    const struct tocm_host *h = p->host;
    struct hbuf *o = &p->out;
    const char *id = h->node_id(p->m, node);
    const char *status = node_status_word(p, id);
    hb_printf(o, "<section class=\"node%s\" id=\"", page_break ? " brk" : "");
    hb_id(o, "node-", id);
    hb_puts(o, "\">\n<h3><span class=\"lvl\">");
    long level = h->node_level(p->m, node);
    hb_text(o, level >= 0 ? h->level_title(p->m, (size_t)level) : "");
    hb_puts(o, "</span> <span class=\"nid\">");
    hb_text(o, id);
    hb_puts(o, "</span> ");
    hb_text(o, h->node_title(p->m, node));
    hb_puts(o, "</h3>\n");
    if (status)
        hb_printf(o, "<p class=\"nodest\"><span class=\"st st-%s\">%s %s</span></p>\n",
                  status_class(status), status_symbol(status), status);
    const char *own = h->node_string(p->m, node, "status");
    if (own && *own) {
        hb_puts(o, "<p class=\"rollup\">Implementation: ");
        hb_text(o, own);
        hb_puts(o, "</p>\n");
    }
    json_t *r = rollup_of(p, id);
    rollup_line(p, r, "indicators", "Indicators beneath it");
    rollup_line(p, r, "projects", "Projects beneath it");
    /* Named, not only counted: the nodes whose status is none of
     * status.node_statuses (W206), which the counts leave out. */
    json_t *left = json_object_get(r, "left_out");
    if (json_array_size(left)) {
        hb_puts(o, "<p class=\"rollup\">Left out of the counts, their status not one of "
                   "status.node_statuses: ");
        size_t k;
        json_t *e;
        json_array_foreach(left, k, e) {
            hb_puts(o, k ? ", " : "");
            hb_text(o, js(e, "node"));
            hb_puts(o, " (\u2018");
            hb_text(o, js(e, "status"));
            hb_puts(o, "\u2019)");
        }
        hb_puts(o, "</p>\n");
    }
    size_t na = h->node_list_count(p->m, node, "assumptions");
    if (na) {
        hb_puts(o, "<details class=\"assume\"><summary>Assumptions</summary><ul>\n");
        for (size_t k = 0; k < na; k++) {
            hb_puts(o, "<li>");
            hb_text(o, h->node_list_item(p->m, node, "assumptions", k));
            hb_puts(o, "</li>\n");
        }
        hb_puts(o, "</ul></details>\n");
    }
    /* Its indicators: shown here when this is their home, linked when
     * they are shown under another result. */
    size_t k, shown = 0;
    json_t *ind;
    json_array_foreach(json_object_get(p->report, "indicators"), k, ind) {
        if (p->home[k] == node) {
            indicator_write(p, ind);
            shown++;
        }
    }
    int others = 0;
    json_array_foreach(json_object_get(p->report, "indicators"), k, ind) {
        if (p->home[k] == node || json_array_size(json_object_get(ind, "nodes")) < 2)
            continue;
        size_t j;
        json_t *nid;
        json_array_foreach(json_object_get(ind, "nodes"), j, nid) {
            if (strcmp(json_string_value(nid), id) != 0)
                continue;
            if (!others++)
                hb_puts(o, "<p class=\"also\">Also measured by: ");
            else
                hb_puts(o, "; ");
            hb_puts(o, "<a href=\"#");
            hb_id(o, "ind-", js(ind, "id"));
            hb_puts(o, "\">");
            hb_text(o, js(ind, "id"));
            hb_puts(o, "</a> ");
            hb_text(o, js(ind, "title"));
            shown++;
            break;
        }
    }
    if (others)
        hb_puts(o, "</p>\n");
    if (!shown)
        hb_puts(o, "<p class=\"sub\">No indicator measures this result directly.</p>\n");
    hb_puts(o, "</section>\n");
}

/* Indicators attached to no result shown: the model attaches them to none,
 * or the report's selection leaves their results out. */
static void loose_write(struct page *p) {
    struct hbuf *o = &p->out;
    size_t k, loose = 0;
    json_t *ind;
    json_array_foreach(json_object_get(p->report, "indicators"), k, ind) {
        if (p->home[k] != TOCM_NONE)
            continue;
        if (!loose++)
            hb_puts(o, "<section class=\"node\" id=\"node-none\">\n<h3>Indicators of no "
                       "particular result</h3>\n");
        indicator_write(p, ind);
    }
    if (loose)
        hb_puts(o, "</section>\n");
    if (json_array_size(json_object_get(p->report, "indicators")) == 0)
        hb_puts(o, "<p>The report has no indicators.</p>\n");
}

int results_write(struct page *p) {
    const struct tocm_host *h = p->host;
    struct hbuf *o = &p->out;
    hb_puts(o, "<section id=\"results\" class=\"block\">\n<h2>Results and their indicators</h2>\n");
    /* Along the chain: each top node, then depth first what contributes
     * to it, so an end-of-program outcome is followed by the outcomes
     * beneath it; a node reached twice is shown where it is first met.
     * A printed page starts at each branch of a top node (each EOPO). The
     * walk keeps its own stack: a chain may be 100,000 nodes deep. */
    json_t *chain = json_object_get(p->report, "chain");
    if (json_is_array(chain)) {
        /* The report's chain is in this order already, with depths. */
        size_t c;
        json_t *entry;
        int first = 1;
        json_array_foreach(chain, c, entry) {
            size_t node = h->node_find(p->m, js(entry, "node"));
            if (node == TOCM_NONE)
                continue;
            node_block(p, node, !first && json_integer_value(json_object_get(entry, "depth")) <= 1);
            first = 0;
        }
        loose_write(p);
        hb_puts(o, "</section>\n");
        return 0;
    }
    size_t n = h->node_count(p->m), levels = h->level_count(p->m);
    unsigned char *seen = calloc(n ? n : 1, 1);
    size_t *stack = malloc((h->edge_count(p->m) + n + 1) * sizeof *stack);
    size_t *depth = malloc((h->edge_count(p->m) + n + 1) * sizeof *depth);
    if (!seen || !stack || !depth) {
        free(seen);
        free(stack);
        free(depth);
        o->failed = 1;
        return -1;
    }
    int first = 1;
    for (size_t level = 0; level < levels; level++)
        for (size_t root = 0; root < n; root++) {
            if (seen[root] || h->node_level(p->m, root) != (long)level)
                continue;
            size_t top = 0;
            stack[top] = root;
            depth[top++] = 0;
            while (top) {
                top--;
                size_t u = stack[top], d = depth[top];
                if (seen[u])
                    continue;
                seen[u] = 1;
                if (p->block[u]) {
                    node_block(p, u, !first && d <= 1);
                    first = 0;
                }
                /* Pushed last first, so they come out in model order. */
                for (size_t k = h->node_in_count(p->m, u); k-- > 0;) {
                    size_t v = h->node_in(p->m, u, k);
                    if (v < n && !seen[v]) {
                        stack[top] = v;
                        depth[top++] = d + 1;
                    }
                }
            }
        }
    free(seen);
    free(stack);
    free(depth);
    loose_write(p);
    hb_puts(o, "</section>\n");
    return 0;
}
