/*
 * view.c -- which nodes and links a diagram shows.
 *
 *   full          every node, every link
 *   node:ID       the node, everything that contributes to it (transitively)
 *                 and everything it contributes to, with the links among them
 *   country:CODE  the country's nodes and every node they lead to, up to the
 *                 goal, with the links among them
 *   eopo:ID       an end-of-program outcome and everything beneath it
 *   outcomes      the goal and the outcome levels: the chain without
 *                 projects and clusters
 *   mapping       the projects and the outcomes each is cited for: the
 *                 links from a project straight to an outcome, and those
 *                 that go through the project's cluster
 *   matrix        the same as a table: projects by outcomes
 *
 * "Projects" are the nodes of the level whose id is "project"; a model
 * without one uses its lowest level that has nodes citing outcomes
 * directly. "Clusters" are the nodes of the level whose id is "cluster",
 * else of the non-outcome level just above the projects.
 *
 * With --projects list, count or hide, a project whose cluster is drawn is
 * folded into it (listed or counted in its box, or left out) instead of
 * being drawn as a node.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gv_internal.h"

int view_is_outcome(const struct tocm_host *host, const tocm_model *m, size_t node) {
    long level = host->node_level(m, node);
    return level >= 0 && host->level_is_outcome(m, (size_t)level);
}
#define node_is_outcome view_is_outcome

/* Marks from and everything reachable from it: up the links (what it
 * contributes to) when up, down (what contributes to it) otherwise. stack
 * has room for every node. */
static void mark_reachable(const struct tocm_host *host, const tocm_model *m, size_t from, int up,
                           unsigned char *mark, size_t *stack) {
    size_t top = 0;
    if (!mark[from]) {
        mark[from] = 1;
        stack[top++] = from;
    }
    while (top) {
        size_t n = stack[--top];
        size_t count = up ? host->node_out_count(m, n) : host->node_in_count(m, n);
        for (size_t i = 0; i < count; i++) {
            size_t next = up ? host->node_out(m, n, i) : host->node_in(m, n, i);
            if (next < host->node_count(m) && !mark[next]) {
                mark[next] = 1;
                stack[top++] = next;
            }
        }
    }
}

static size_t find_project_level(const struct tocm_host *host, const tocm_model *m) {
    size_t levels = host->level_count(m);
    for (size_t l = 0; l < levels; l++)
        if (strcmp(host->level_id(m, l), "project") == 0)
            return l;
    /* The lowest non-outcome level with a node that cites an outcome. */
    size_t best = TOCM_NONE, lowest = TOCM_NONE;
    for (size_t n = 0; n < host->node_count(m); n++) {
        long level = host->node_level(m, n);
        if (level < 0)
            continue;
        if (lowest == TOCM_NONE || (size_t)level > lowest)
            lowest = (size_t)level;
        if (host->level_is_outcome(m, (size_t)level))
            continue;
        for (size_t i = 0; i < host->node_out_count(m, n); i++) {
            if (node_is_outcome(host, m, host->node_out(m, n, i)) &&
                (best == TOCM_NONE || (size_t)level > best))
                best = (size_t)level;
        }
    }
    return best != TOCM_NONE ? best : lowest;
}

static size_t find_cluster_level(const struct tocm_host *host, const tocm_model *m,
                                 size_t project_level) {
    size_t levels = host->level_count(m);
    for (size_t l = 0; l < levels; l++)
        if (strcmp(host->level_id(m, l), "cluster") == 0)
            return l;
    if (project_level != TOCM_NONE && project_level >= 2 &&
        !host->level_is_outcome(m, project_level - 1))
        return project_level - 1;
    return TOCM_NONE;
}

static size_t find_eopo_level(const struct tocm_host *host, const tocm_model *m) {
    size_t levels = host->level_count(m);
    for (size_t l = 0; l < levels; l++)
        if (strcmp(host->level_id(m, l), "eopo") == 0)
            return l;
    for (size_t l = 0; l < levels; l++)
        if (host->level_is_outcome(m, l))
            return l;
    return levels > 1 ? 1 : 0;
}

int view_is_project(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                    size_t node) {
    long level = host->node_level(m, node);
    return level >= 0 && (size_t)level == v->project_level;
}
#define is_project view_is_project

int view_is_cluster(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                    size_t node) {
    long level = host->node_level(m, node);
    return level >= 0 && (size_t)level == v->cluster_level;
}

int view_links(const struct tocm_host *host, const tocm_model *m, size_t from, size_t to,
               int *inferred) {
    for (size_t k = 0; k < host->node_out_count(m, from); k++)
        if (host->node_out(m, from, k) == to) {
            if (inferred)
                *inferred = host->link_is_inferred(m, from, k);
            return 1;
        }
    return 0;
}

size_t view_through_cluster(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                            size_t project, size_t outcome) {
    if (v->cluster_level == TOCM_NONE || view_links(host, m, project, outcome, NULL))
        return TOCM_NONE;
    size_t best = TOCM_NONE;
    for (size_t k = 0; k < host->node_out_count(m, project); k++) {
        size_t c = host->node_out(m, project, k);
        if (c >= host->node_count(m) || !view_is_cluster(host, m, v, c) ||
            !view_links(host, m, c, outcome, NULL))
            continue;
        if (best == TOCM_NONE || natural_cmp(host->node_id(m, c), host->node_id(m, best)) < 0)
            best = c;
    }
    return best;
}

int view_draws_link(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                    size_t node, size_t i) {
    size_t to = host->node_out(m, node, i);
    if (to >= v->node_count || !v->shown[node] || !v->shown[to])
        return 0;
    if (v->kind == VIEW_MAPPING)
        return is_project(host, m, v, node) && node_is_outcome(host, m, to);
    return v->kind != VIEW_MATRIX;
}

static int count_link(const struct drawn_link *l, void *ctx) {
    (void)l;
    (*(size_t *)ctx)++;
    return 0;
}

/* 1 when a project folded into the same box as project, and before it in
 * file order, also links to `to`. */
static int earlier_sibling_links(const struct tocm_host *host, const tocm_model *m,
                                 const struct view *v, size_t project, size_t to) {
    size_t home = v->home[project];
    for (size_t k = 0; k < host->node_in_count(m, home); k++) {
        size_t p = host->node_in(m, home, k);
        if (p < project && v->home[p] == home && view_links(host, m, p, to, NULL))
            return 1;
    }
    return 0;
}

int view_each_link(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                   int (*fn)(const struct drawn_link *l, void *ctx), void *ctx) {
    size_t n = v->node_count;
    int folding = v->projects == PROJECTS_LIST || v->projects == PROJECTS_COUNT;
    for (size_t i = 0; i < n; i++) {
        if (v->shown[i]) {
            for (size_t k = 0; k < host->node_out_count(m, i); k++) {
                if (!view_draws_link(host, m, v, i, k))
                    continue;
                struct drawn_link l = {LINK_PLAIN, i,         host->node_out(m, i, k),
                                       i,          TOCM_NONE, host->link_is_inferred(m, i, k),
                                       0};
                if (folding && view_is_cluster(host, m, v, i)) {
                    for (size_t j = 0; j < host->node_in_count(m, i) && !l.direct_too; j++) {
                        size_t p = host->node_in(m, i, j);
                        l.direct_too =
                            p < n && v->home[p] == i && view_links(host, m, p, l.to, NULL);
                    }
                }
                if (fn(&l, ctx) != 0)
                    return -1;
            }
            if (v->kind == VIEW_MAPPING && is_project(host, m, v, i)) {
                /* The outcomes reached through a cluster only, each once, in
                 * the order of the clusters' links. */
                for (size_t k = 0; k < host->node_out_count(m, i); k++) {
                    size_t c = host->node_out(m, i, k);
                    if (c >= n || !view_is_cluster(host, m, v, c))
                        continue;
                    for (size_t j = 0; j < host->node_out_count(m, c); j++) {
                        size_t o = host->node_out(m, c, j);
                        if (o >= n || !v->shown[o] || !node_is_outcome(host, m, o) ||
                            view_through_cluster(host, m, v, i, o) != c)
                            continue;
                        struct drawn_link l = {
                            LINK_THROUGH,
                            i,
                            o,
                            i,
                            c,
                            host->link_is_inferred(m, i, k) || host->link_is_inferred(m, c, j),
                            0};
                        if (fn(&l, ctx) != 0)
                            return -1;
                    }
                }
            }
        } else if (folding && v->home[i] != TOCM_NONE) {
            size_t home = v->home[i];
            for (size_t k = 0; k < host->node_out_count(m, i); k++) {
                size_t to = host->node_out(m, i, k);
                if (to >= n || to == home || !v->shown[to] || view_links(host, m, home, to, NULL))
                    continue;
                /* Never a link between two boxes of one level (a flat link
                 * Graphviz routes badly around tall boxes): a second
                 * cluster of a project lists it too (build.c), and what
                 * lies beneath the projects is counted in one box only. */
                if (host->node_level(m, to) == host->node_level(m, home))
                    continue;
                if (v->projects == PROJECTS_COUNT && earlier_sibling_links(host, m, v, i, to))
                    continue;
                struct drawn_link l = {
                    LINK_LISTED, i, to, home, TOCM_NONE, host->link_is_inferred(m, i, k), 0};
                if (fn(&l, ctx) != 0)
                    return -1;
            }
        }
    }
    return 0;
}

/* Selects the nodes of v (kind and its argument set). 0 or -1 (memory). */
static int select_nodes(const struct tocm_host *host, const tocm_model *m, struct view *v) {
    size_t n = host->node_count(m);
    size_t *stack = malloc((n ? n : 1) * sizeof *stack);
    unsigned char *down = calloc(n ? n : 1, 1);
    if (!stack || !down) {
        free(stack);
        free(down);
        return -1;
    }
    switch (v->kind) {
    case VIEW_FULL:
        for (size_t i = 0; i < n; i++)
            v->shown[i] = host->node_level(m, i) >= 0;
        break;
    case VIEW_EOPO: mark_reachable(host, m, v->focus, 0, v->shown, stack); break;
    case VIEW_NODE:
        mark_reachable(host, m, v->focus, 1, v->shown, stack);
        mark_reachable(host, m, v->focus, 0, down, stack);
        for (size_t i = 0; i < n; i++)
            v->shown[i] |= down[i];
        break;
    case VIEW_COUNTRY:
        for (size_t i = 0; i < n; i++) {
            const char *c = host->node_string(m, i, "country");
            if (c && strcmp(c, v->country) == 0)
                mark_reachable(host, m, i, 1, v->shown, stack);
        }
        break;
    case VIEW_MAPPING:
        for (size_t i = 0; i < n; i++) {
            if (!is_project(host, m, v, i))
                continue;
            v->shown[i] = 1;
            for (size_t k = 0; k < host->node_out_count(m, i); k++) {
                size_t to = host->node_out(m, i, k);
                if (to < n && node_is_outcome(host, m, to))
                    v->shown[to] = 1;
                if (to < n && view_is_cluster(host, m, v, to))
                    for (size_t j = 0; j < host->node_out_count(m, to); j++) {
                        size_t o = host->node_out(m, to, j);
                        if (o < n && node_is_outcome(host, m, o))
                            v->shown[o] = 1;
                    }
            }
        }
        break;
    case VIEW_OUTCOMES:
        for (size_t i = 0; i < n; i++)
            v->shown[i] = host->node_level(m, i) == 0 || node_is_outcome(host, m, i);
        break;
    case VIEW_MATRIX:
        for (size_t i = 0; i < n; i++)
            v->shown[i] = is_project(host, m, v, i) || node_is_outcome(host, m, i);
        break;
    }
    /* Projects folded into their clusters. */
    int folds = v->projects != PROJECTS_NODES && (v->kind == VIEW_FULL || v->kind == VIEW_NODE ||
                                                  v->kind == VIEW_EOPO || v->kind == VIEW_COUNTRY);
    for (size_t i = 0; i < n && folds; i++) {
        if (!v->shown[i] || !is_project(host, m, v, i))
            continue;
        size_t home = TOCM_NONE;
        for (size_t k = 0; k < host->node_out_count(m, i); k++) {
            size_t c = host->node_out(m, i, k);
            if (c < n && v->shown[c] && view_is_cluster(host, m, v, c) &&
                (home == TOCM_NONE || natural_cmp(host->node_id(m, c), host->node_id(m, home)) < 0))
                home = c;
        }
        if (home != TOCM_NONE || v->projects == PROJECTS_HIDE) {
            v->home[i] = home;
            v->shown[i] = 0;
            v->folded_count++;
        }
    }
    /* What lies beneath the projects (activities, ...) goes where the
     * projects it contributes to went: a large model's overview is its
     * chain down to the clusters, with everything below counted in them.
     * Level by level downwards, so each node finds its targets placed. */
    size_t levels = host->level_count(m);
    for (size_t l = v->project_level + 1; folds && v->project_level != TOCM_NONE && l < levels;
         l++) {
        for (size_t i = 0; i < n; i++) {
            if (!v->shown[i] || host->node_level(m, i) != (long)l)
                continue;
            size_t home = TOCM_NONE;
            for (size_t k = 0; k < host->node_out_count(m, i); k++) {
                size_t t = host->node_out(m, i, k);
                /* a cluster or project drawn as a node, or the box a
                 * folded one went into */
                size_t h = TOCM_NONE;
                if (t < n && !v->shown[t])
                    h = v->home[t];
                else if (t < n && (view_is_cluster(host, m, v, t) || is_project(host, m, v, t)))
                    h = t;
                if (h != TOCM_NONE &&
                    (home == TOCM_NONE ||
                     natural_cmp(host->node_id(m, h), host->node_id(m, home)) < 0))
                    home = h;
            }
            if (home != TOCM_NONE || v->projects == PROJECTS_HIDE) {
                v->home[i] = home;
                v->shown[i] = 0;
                v->folded_count++;
            }
        }
    }
    free(stack);
    free(down);
    v->shown_count = v->edge_count = 0;
    for (size_t i = 0; i < n; i++) {
        if (host->node_level(m, i) < 0)
            v->shown[i] = 0; /* an unknown level (a validated model has none) */
        v->shown_count += v->shown[i];
    }
    view_each_link(host, m, v, count_link, &v->edge_count);
    return 0;
}

/* The distinct countries of the model's nodes, sorted, as "KH LA ...". */
static void list_countries(const struct tocm_host *host, const tocm_model *m, struct buf *out) {
    size_t n = host->node_count(m);
    const char **codes = malloc((n ? n : 1) * sizeof *codes);
    if (!codes)
        return;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        const char *c = host->node_string(m, i, "country");
        if (!c)
            continue;
        size_t k = 0;
        while (k < count && strcmp(codes[k], c) < 0)
            k++;
        if (k < count && strcmp(codes[k], c) == 0)
            continue;
        memmove(codes + k + 1, codes + k, (count - k) * sizeof *codes);
        codes[k] = c;
        count++;
    }
    for (size_t k = 0; k < count; k++)
        buf_printf(out, "%s%s", k ? " " : "", codes[k]);
    free(codes);
}

/* The end-of-program outcomes, in natural order, as "EOPO1 EOPO2 ...". */
static void list_eopos(const struct tocm_host *host, const tocm_model *m, size_t eopo_level,
                       struct buf *out) {
    size_t n = host->node_count(m), count = 0;
    size_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return;
    for (size_t i = 0; i < n; i++)
        if (host->node_level(m, i) == (long)eopo_level)
            ids[count++] = i;
    sort_by_id(host, m, ids, count);
    for (size_t k = 0; k < count; k++)
        buf_printf(out, "%s%s", k ? " " : "", host->node_id(m, ids[k]));
    free(ids);
}

int view_open(const struct tocm_host *host, const tocm_model *m, const char *spec,
              enum projects_mode projects, struct view *v, tocm_error *err) {
    memset(v, 0, sizeof *v);
    v->node_count = host->node_count(m);
    v->focus = TOCM_NONE;
    v->projects = projects;
    v->project_level = find_project_level(host, m);
    v->cluster_level = find_cluster_level(host, m, v->project_level);
    v->eopo_level = find_eopo_level(host, m);
    snprintf(v->spec, sizeof v->spec, "%s", spec ? spec : "full");
    if (!spec || strcmp(spec, "full") == 0) {
        v->kind = VIEW_FULL;
    } else if (strcmp(spec, "mapping") == 0) {
        v->kind = VIEW_MAPPING;
    } else if (strcmp(spec, "matrix") == 0) {
        v->kind = VIEW_MATRIX;
    } else if (strcmp(spec, "outcomes") == 0) {
        v->kind = VIEW_OUTCOMES;
    } else if (strncmp(spec, "node:", 5) == 0) {
        v->kind = VIEW_NODE;
        v->focus = host->node_find(m, spec + 5);
        if (v->focus == TOCM_NONE) {
            host->error_set(err, "view", "no node has the id '%.120s'", spec + 5);
            return -1;
        }
    } else if (strncmp(spec, "eopo:", 5) == 0) {
        v->kind = VIEW_EOPO;
        v->focus = host->node_find(m, spec + 5);
        if (v->focus == TOCM_NONE || host->node_level(m, v->focus) != (long)v->eopo_level) {
            struct buf ids = {0};
            list_eopos(host, m, v->eopo_level, &ids);
            host->error_set(err, "view",
                            "'%.80s' is not an end-of-program outcome; the model's: %s", spec + 5,
                            ids.len ? buf_str(&ids) : "none");
            buf_free(&ids);
            return -1;
        }
    } else if (strncmp(spec, "country:", 8) == 0) {
        v->kind = VIEW_COUNTRY;
        const char *code = spec + 8;
        size_t len = strlen(code);
        if (len == 0 || len >= sizeof v->country) {
            host->error_set(err, "view", "'%.40s' is not a country code (e.g. country:KH)", spec);
            return -1;
        }
        for (size_t i = 0; i <= len; i++)
            v->country[i] =
                (char)(code[i] >= 'a' && code[i] <= 'z' ? code[i] - 'a' + 'A' : code[i]);
        int found = 0;
        for (size_t i = 0; i < v->node_count && !found; i++) {
            const char *c = host->node_string(m, i, "country");
            found = c && strcmp(c, v->country) == 0;
        }
        if (!found) {
            struct buf codes = {0};
            list_countries(host, m, &codes);
            host->error_set(err, "view",
                            "no node is in the country '%s'; the model's countries: %s", v->country,
                            codes.len ? buf_str(&codes) : "none");
            buf_free(&codes);
            return -1;
        }
    } else {
        host->error_set(err, "view",
                        "unknown view '%.80s': use full, outcomes, mapping, matrix, node:ID, "
                        "eopo:ID or country:CODE",
                        spec);
        return -1;
    }
    v->shown = calloc(v->node_count ? v->node_count : 1, 1);
    v->home = malloc((v->node_count ? v->node_count : 1) * sizeof *v->home);
    if (v->home)
        for (size_t i = 0; i < v->node_count; i++)
            v->home[i] = TOCM_NONE;
    if (!v->shown || !v->home || select_nodes(host, m, v) != 0) {
        view_close(v);
        host->error_set(err, "view", "out of memory");
        return -1;
    }
    return 0;
}

void view_describe(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                   struct buf *out) {
    switch (v->kind) {
    case VIEW_FULL: buf_puts(out, "The results chain"); break;
    case VIEW_NODE:
        buf_printf(out, "%s: what contributes to it and what it contributes to",
                   host->node_id(m, v->focus));
        break;
    case VIEW_EOPO: {
        const char *title = host->node_title(m, v->focus);
        buf_printf(out, "%s", host->node_id(m, v->focus));
        if (title && *title)
            buf_printf(out, " \xE2\x80\x93 %s", title);
        buf_puts(out, ": everything beneath it");
        break;
    }
    case VIEW_OUTCOMES: buf_puts(out, "The outcomes, from the goal down"); break;
    case VIEW_MATRIX: {
        const char *title = host->level_title(m, v->project_level);
        buf_printf(out, "%s \xC3\x97 outcomes, by country and end-of-program outcome",
                   title ? title : host->level_id(m, v->project_level));
        break;
    }
    case VIEW_COUNTRY: {
        const char *name = country_name(v->country);
        if (name)
            buf_printf(out, "%s (%s)", name, v->country);
        else
            buf_puts(out, v->country);
        buf_puts(out, ": its projects and every result they lead to");
        break;
    }
    case VIEW_MAPPING: {
        const char *title = host->level_title(m, v->project_level);
        buf_printf(out, "%s \xE2\x86\x92 the outcomes each is cited for, by country",
                   title ? title : host->level_id(m, v->project_level));
        break;
    }
    }
    if (v->kind == VIEW_MATRIX)
        return;
    buf_printf(out, " (%zu node%s, %zu link%s)", v->shown_count, v->shown_count == 1 ? "" : "s",
               v->edge_count, v->edge_count == 1 ? "" : "s");
}

/* The size of a view of m, or 0 when it cannot be opened. */
static size_t view_size(const struct tocm_host *host, const tocm_model *m, const char *spec,
                        enum projects_mode projects) {
    struct view v;
    tocm_error err = {0};
    if (view_open(host, m, spec, projects, &v, &err) != 0)
        return 0;
    size_t n = v.shown_count;
    view_close(&v);
    return n;
}

static void suggest(const struct tocm_host *host, const tocm_model *m, const char *spec,
                    size_t limit) {
    size_t n = view_size(host, m, spec, PROJECTS_NODES);
    if (n)
        host->log(TOCM_LOG_INFO, GV_PLUGIN_NAME, "  --view %-22s %6zu nodes%s", spec, n,
                  n > limit ? " (also needs --force)" : "");
}

void view_suggest(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                  size_t limit) {
    host->log(TOCM_LOG_INFO, GV_PLUGIN_NAME, "narrower views of this model:");
    struct buf list = {0}, spec = {0};
    if (v->kind != VIEW_OUTCOMES)
        suggest(host, m, "outcomes", limit);
    list_eopos(host, m, v->eopo_level, &list);
    size_t shown = 0;
    for (const char *c = buf_str(&list); *c && shown < 12; shown++) {
        size_t len = strcspn(c, " ");
        buf_reset(&spec);
        buf_puts(&spec, "eopo:");
        buf_add(&spec, c, len);
        suggest(host, m, buf_str(&spec), limit);
        c += len + (c[len] == ' ');
    }
    buf_reset(&list);
    list_countries(host, m, &list);
    for (const char *c = buf_str(&list); *c;) {
        size_t len = strcspn(c, " ");
        buf_reset(&spec);
        buf_puts(&spec, "country:");
        buf_add(&spec, c, len);
        suggest(host, m, buf_str(&spec), limit);
        c += len + (c[len] == ' ');
    }
    if (v->kind != VIEW_MAPPING)
        suggest(host, m, "mapping", limit);
    if (v->kind == VIEW_FULL && v->cluster_level != TOCM_NONE) {
        /* The whole chain with the projects, and what lies beneath them,
         * folded into their clusters: the overview of a large model. */
        static const struct {
            enum projects_mode mode;
            const char *name, *what;
        } folds[] = {
            {PROJECTS_LIST, "list", "projects listed in their clusters"},
            {PROJECTS_COUNT, "count", "the overview: projects counted in their clusters"},
        };
        for (size_t k = 0; k < 2; k++) {
            if (v->projects == folds[k].mode)
                continue;
            size_t n = view_size(host, m, "full", folds[k].mode);
            if (n)
                host->log(TOCM_LOG_INFO, GV_PLUGIN_NAME,
                          "  --view full --projects %-5s %6zu nodes%s (%s)", folds[k].name, n,
                          n > limit ? " (also needs --force)" : "", folds[k].what);
        }
    }
    host->log(TOCM_LOG_INFO, GV_PLUGIN_NAME,
              "  --view node:ID              any node with what contributes to it and what it "
              "contributes to");
    buf_free(&list);
    buf_free(&spec);
}

void view_close(struct view *v) {
    free(v->shown);
    free(v->home);
    v->shown = NULL;
    v->home = NULL;
}
