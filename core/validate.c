/*
 * validate.c -- the semantic rules of models/FORMAT.md (E101-E110, W201-W203,
 * W206).
 *
 * The loader has already reported shape errors (E001-E004). Each rule here is
 * one pass over nodes or links in file order, so findings come out in a
 * stable order and the whole check is linear in nodes + links.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "model_internal.h"
#include "util.h"

struct vctx {
    const tocm_model *m;
    tocm_diags *diags;
    size_t errors;
};

static void report(struct vctx *v, enum tocm_severity sev, const char *code, const char *path,
                   const char *node, const char *message) {
    tocm_diags_add(v->diags, sev, code, v->m->file, 0, 0, path, node, "%s", message);
    if (sev == TOCM_SEV_ERROR)
        v->errors++;
}

static void reportf(struct vctx *v, enum tocm_severity sev, const char *code, const char *node,
                    char *path, char *message) {
    report(v, sev, code, path, node, message);
    free(path);
    free(message);
}

static char *link_path(const tocm_model *m, const struct tocmp_link *l) {
    return tocmp_asprintf("/nodes/%zu/contributes_to/%zu", m->nodes[l->from].json_index, l->slot);
}

/* E109: an id with a character a terminal acts on (an escape sequence, a
 * right-to-left override) could make a listing lie about what it shows. The
 * message names the first such character. E110: an id is a short label
 * people type in `tocm set` and read in every table and diagram; past
 * TOCMP_MAX_ID_BYTES it is a paragraph pasted in the wrong field, so it is
 * refused (and named by its first characters only). what: "node", "level". */
static void check_id_characters(struct vctx *v, const char *id, const char *what, const char *node,
                                size_t json_index) {
    size_t id_len = strlen(id);
    if (id_len > TOCMP_MAX_ID_BYTES) {
        reportf(v, TOCM_SEV_ERROR, "E110", NULL, tocmp_asprintf("/%ss/%zu/id", what, json_index),
                tocmp_asprintf("%s id '%.32s...' is %zu bytes long; an id is at most %d bytes "
                               "(put long text in the title)",
                               what, id, id_len, TOCMP_MAX_ID_BYTES));
        return;
    }
    for (const char *p = id; *p;) {
        size_t len;
        long cp;
        if (tocmp_char_is_control(p, &len, &cp)) {
            reportf(v, TOCM_SEV_ERROR, "E109", node,
                    tocmp_asprintf("/%ss/%zu/id", what, json_index),
                    tocmp_asprintf("%s id '%s' contains the control character U+%04lX; ids "
                                   "must be printable text",
                                   what, id, cp));
            return;
        }
        p += len;
    }
}

static void check_levels(struct vctx *v) {
    const tocm_model *m = v->m;
    if (m->levels_defaulted)
        return;
    tocmp_idmap seen;
    tocmp_idmap_init(&seen, m->level_count);
    for (size_t i = 0; i < m->level_count; i++) {
        check_id_characters(v, m->levels[i].id, "level", NULL, m->levels[i].json_index);
        size_t first = tocmp_idmap_put(&seen, m->levels[i].id, i);
        if (first != i)
            reportf(v, TOCM_SEV_ERROR, "E103", NULL,
                    tocmp_asprintf("/levels/%zu", m->levels[i].json_index),
                    tocmp_asprintf("level '%s' is defined twice (first at /levels/%zu)",
                                   m->levels[i].id, m->levels[first].json_index));
    }
    tocmp_idmap_free(&seen);
}

static char *level_list(const tocm_model *m) {
    tocmp_buf b = {0};
    for (size_t i = 0; i < m->level_count; i++) {
        if (i)
            tocmp_buf_puts(&b, ", ");
        tocmp_buf_puts(&b, m->levels[i].id);
    }
    return b.data ? b.data : tocmp_xstrdup("");
}

static void check_nodes(struct vctx *v) {
    const tocm_model *m = v->m;
    char *levels = NULL;
    for (size_t i = 0; i < m->node_count; i++) {
        const struct tocmp_node *n = &m->nodes[i];
        if (!n->id)
            continue;
        check_id_characters(v, n->id, "node", n->id, i);
        size_t first = tocmp_idmap_get_known(&m->ids, n->id);
        if (first != i)
            reportf(v, TOCM_SEV_ERROR, "E101", n->id, tocmp_asprintf("/nodes/%zu/id", i),
                    tocmp_asprintf("duplicate id '%s' (first used at /nodes/%zu)", n->id,
                                   m->nodes[first].json_index));
        if (n->level_name && n->level < 0) {
            if (!levels)
                levels = level_list(m);
            reportf(v, TOCM_SEV_ERROR, "E102", n->id, tocmp_asprintf("/nodes/%zu/level", i),
                    tocmp_asprintf("node '%s' has unknown level '%s' (the levels are: %s)", n->id,
                                   n->level_name, levels));
        }
        const char *country = tocm_node_country(m, i);
        if (country && !tocmp_country_is_valid(country))
            reportf(v, TOCM_SEV_ERROR, "E107", n->id, tocmp_asprintf("/nodes/%zu/country", i),
                    tocmp_asprintf("node '%s' has country '%s', which is not an ISO 3166-1 "
                                   "alpha-2 code (two capital letters, e.g. 'KH', 'VN')",
                                   n->id, country));
    }
    free(levels);
}

static void check_links(struct vctx *v) {
    const tocm_model *m = v->m;
    /* seen_by[t] == from + 1 when node `from` already links to t. */
    size_t *seen_by = tocmp_xcalloc(m->node_count, sizeof *seen_by);
    for (size_t k = 0; k < m->link_count; k++) {
        const struct tocmp_link *l = &m->links[k];
        const struct tocmp_node *from = &m->nodes[l->from];
        if (l->to == TOCM_NO_NODE) {
            reportf(v, TOCM_SEV_ERROR, "E104", from->id, link_path(m, l),
                    tocmp_asprintf("'%s' contributes to unknown node '%s'", from->id, l->target));
            continue;
        }
        if (seen_by[l->to] == l->from + 1) {
            reportf(v, TOCM_SEV_ERROR, "E108", from->id, link_path(m, l),
                    tocmp_asprintf("'%s' lists '%s' more than once in contributes_to", from->id,
                                   l->target));
            continue;
        }
        seen_by[l->to] = l->from + 1;
        const struct tocmp_node *to = &m->nodes[l->to];
        if (from->level >= 0 && to->level >= 0 && to->level >= from->level)
            reportf(v, TOCM_SEV_ERROR, "E105", from->id, link_path(m, l),
                    tocmp_asprintf("'%s' (%s) contributes to '%s' (%s), which is not at a "
                                   "higher level",
                                   from->id, m->levels[from->level].id, to->id,
                                   m->levels[to->level].id));
    }
    free(seen_by);
}

/* At most this many loops are spelled out; the links that close the others
 * are counted in one more finding. A loop can be as long as the model, so
 * spelling out every one is quadratic: 20,000 links back to the top of a
 * 20,000-node chain would print about 200 million ids. */
#define MAX_CYCLES_SPELLED 10

/* Depth-first search without recursion (a 100,000-node chain would overflow
 * the C stack). Every edge that closes a loop is one cycle, reported once:
 * the first MAX_CYCLES_SPELLED with the loop spelled out from the node it
 * returns to, the rest as a count, at the first of them. */
static void check_cycles(struct vctx *v) {
    const tocm_model *m = v->m;
    size_t n = m->node_count;
    enum { WHITE, GREY, BLACK };
    unsigned char *colour = tocmp_xcalloc(n, 1);
    size_t *stack = tocmp_xmalloc(n * sizeof *stack);       /* node */
    size_t *next = tocmp_xmalloc(n * sizeof *next);         /* next out-edge to try */
    size_t *depth_of = tocmp_xmalloc(n * sizeof *depth_of); /* position on the stack */
    size_t cycles = 0, first_unspelled = 0, first_unspelled_from = 0;

    for (size_t root = 0; root < n; root++) {
        if (colour[root] != WHITE)
            continue;
        size_t depth = 0;
        stack[depth] = root;
        next[depth] = 0;
        depth_of[root] = 0;
        colour[root] = GREY;
        depth++;
        while (depth > 0) {
            size_t u = stack[depth - 1];
            const struct tocmp_node *node = &m->nodes[u];
            if (next[depth - 1] == node->out_count) {
                colour[u] = BLACK;
                depth--;
                continue;
            }
            size_t e = node->out_begin + next[depth - 1]++;
            size_t w = m->out_edges[e];
            if (colour[w] == WHITE) {
                colour[w] = GREY;
                depth_of[w] = depth;
                stack[depth] = w;
                next[depth] = 0;
                depth++;
            } else if (colour[w] == GREY) {
                if (++cycles > MAX_CYCLES_SPELLED) {
                    if (cycles == MAX_CYCLES_SPELLED + 1) {
                        first_unspelled = e;
                        first_unspelled_from = u;
                    }
                    continue;
                }
                tocmp_buf path = {0};
                for (size_t d = depth_of[w]; d < depth; d++) {
                    tocmp_buf_puts(&path, m->nodes[stack[d]].id);
                    tocmp_buf_puts(&path, " -> ");
                }
                tocmp_buf_puts(&path, m->nodes[w].id);
                reportf(v, TOCM_SEV_ERROR, "E106", node->id,
                        link_path(m, &m->links[m->out_links[e]]),
                        tocmp_asprintf("the links form a cycle: %s", path.data));
                free(path.data);
            }
        }
    }
    if (cycles > MAX_CYCLES_SPELLED) {
        const struct tocmp_node *from = &m->nodes[first_unspelled_from];
        size_t rest = cycles - MAX_CYCLES_SPELLED;
        reportf(v, TOCM_SEV_ERROR, "E106", from->id,
                link_path(m, &m->links[m->out_links[first_unspelled]]),
                tocmp_asprintf("%zu more link%s close%s a cycle, starting with this one "
                               "('%s' -> '%s'); only the first %d cycles are spelled out",
                               rest, rest == 1 ? "" : "s", rest == 1 ? "s" : "", from->id,
                               m->nodes[m->out_edges[first_unspelled]].id, MAX_CYCLES_SPELLED));
    }
    free(colour);
    free(stack);
    free(next);
    free(depth_of);
}

static void check_shape_warnings(struct vctx *v) {
    const tocm_model *m = v->m;
    size_t *per_level = tocmp_xcalloc(m->level_count, sizeof *per_level);
    for (size_t i = 0; i < m->node_count; i++) {
        const struct tocmp_node *n = &m->nodes[i];
        if (!n->id || n->level < 0)
            continue;
        per_level[n->level]++;
        /* A contributes_to of the wrong type is already an E004. */
        json_t *targets = n->contributes_to;
        if (n->level > 0 && (!targets || (json_is_array(targets) && json_array_size(targets) == 0)))
            reportf(v, TOCM_SEV_WARNING, "W201", n->id, tocmp_asprintf("/nodes/%zu", i),
                    tocmp_asprintf("'%s' (%s) contributes to nothing: an orphan below the "
                                   "top level",
                                   n->id, m->levels[n->level].id));
        /* Links to a duplicated id go to its first node (E101): the later
         * one has no contributors by construction, so do not warn. */
        if (m->levels[n->level].outcome && n->in_count == 0 &&
            tocmp_idmap_get_known(&m->ids, n->id) == i)
            reportf(v, TOCM_SEV_WARNING, "W202", n->id, tocmp_asprintf("/nodes/%zu", i),
                    tocmp_asprintf("nothing contributes to outcome '%s'", n->id));
    }
    for (size_t l = 0; l < m->level_count; l++) {
        /* A level defined twice (E103) gets its nodes on the first entry;
         * do not also call the second one empty. */
        if (per_level[l] || tocm_model_find_level(m, m->levels[l].id) != (long)l)
            continue;
        char *path = m->levels_defaulted ? tocmp_xstrdup("")
                                         : tocmp_asprintf("/levels/%zu", m->levels[l].json_index);
        reportf(v, TOCM_SEV_WARNING, "W203", NULL, path,
                tocmp_asprintf("level '%s' has no nodes", m->levels[l].id));
    }
    free(per_level);
}

int tocmp_node_status_known(const tocm_model *m, const char *status) {
    json_t *vocabulary = m->status.node_statuses;
    if (!vocabulary || !status)
        return 1;
    size_t i;
    json_t *word;
    json_array_foreach(vocabulary, i, word) {
        if (json_is_string(word) && strcmp(json_string_value(word), status) == 0)
            return 1;
    }
    return 0;
}

/* W206: a status outside the vocabulary is most often a typo ("Completed "
 * for "completed"); rolled up it would be counted as a status of its own,
 * so the roll-up leaves it out and this says why. */
static void check_node_statuses(struct vctx *v) {
    const tocm_model *m = v->m;
    json_t *vocabulary = m->status.node_statuses;
    if (!vocabulary)
        return;
    char *words = NULL;
    for (size_t i = 0; i < m->node_count; i++) {
        const struct tocmp_node *n = &m->nodes[i];
        const char *status = n->id ? tocm_node_status(m, i) : NULL;
        if (!status || tocmp_node_status_known(m, status))
            continue;
        if (!words) {
            tocmp_buf b = {0};
            size_t k;
            json_t *word;
            json_array_foreach(vocabulary, k, word) {
                if (json_is_string(word))
                    tocmp_buf_printf(&b, "%s'%s'", b.data ? ", " : "", json_string_value(word));
            }
            words = b.data ? b.data : tocmp_xstrdup("none");
        }
        reportf(v, TOCM_SEV_WARNING, "W206", n->id,
                tocmp_asprintf("/nodes/%zu/status", n->json_index),
                tocmp_asprintf("'%s' has status '%s', which is not one of status.node_statuses "
                               "(%s); the roll-up leaves it out",
                               n->id, status, words));
    }
    free(words);
}

size_t tocm_validate(const tocm_model *model, tocm_diags *diags) {
    struct vctx v = {.m = model, .diags = diags};
    check_levels(&v);
    check_nodes(&v);
    check_links(&v);
    check_cycles(&v);
    check_shape_warnings(&v);
    check_node_statuses(&v);
    return v.errors + tocmp_validate_indicators(model, diags);
}
