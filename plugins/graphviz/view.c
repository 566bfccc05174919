/*
 * view.c -- which nodes and links a diagram shows.
 *
 *   full          every node, every link
 *   node:ID       the node, everything that contributes to it (transitively)
 *                 and everything it contributes to, with the links among them
 *   country:CODE  the country's nodes and every node they lead to, up to the
 *                 goal, with the links among them
 *   mapping       the projects and the outcomes each is cited for: only the
 *                 links from a project straight to an outcome
 *
 * "Projects" (for mapping) are the nodes of the level whose id is
 * "project"; a model without one uses its lowest level that has nodes
 * citing outcomes directly.
 */
#include <stdlib.h>
#include <string.h>

#include "gv_internal.h"

static int node_is_outcome(const struct tocm_host *host, const tocm_model *m, size_t node) {
    long level = host->node_level(m, node);
    return level >= 0 && host->level_is_outcome(m, (size_t)level);
}

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

static int is_project(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                      size_t node) {
    long level = host->node_level(m, node);
    return level >= 0 && (size_t)level == v->project_level;
}

int view_draws_link(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                    size_t node, size_t i) {
    size_t to = host->node_out(m, node, i);
    if (to >= v->node_count || !v->shown[node] || !v->shown[to])
        return 0;
    if (v->kind == VIEW_MAPPING)
        return is_project(host, m, v, node) && node_is_outcome(host, m, to);
    return 1;
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
            }
        }
        break;
    }
    free(stack);
    free(down);
    v->shown_count = v->edge_count = 0;
    for (size_t i = 0; i < n; i++) {
        if (host->node_level(m, i) < 0)
            v->shown[i] = 0; /* an unknown level (a validated model has none) */
        if (!v->shown[i])
            continue;
        v->shown_count++;
        for (size_t k = 0; k < host->node_out_count(m, i); k++)
            v->edge_count += (size_t)view_draws_link(host, m, v, i, k);
    }
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

int view_open(const struct tocm_host *host, const tocm_model *m, const char *spec, struct view *v,
              tocm_error *err) {
    memset(v, 0, sizeof *v);
    v->node_count = host->node_count(m);
    v->focus = TOCM_NONE;
    if (!spec || strcmp(spec, "full") == 0) {
        v->kind = VIEW_FULL;
    } else if (strcmp(spec, "mapping") == 0) {
        v->kind = VIEW_MAPPING;
        v->project_level = find_project_level(host, m);
    } else if (strncmp(spec, "node:", 5) == 0) {
        v->kind = VIEW_NODE;
        v->focus = host->node_find(m, spec + 5);
        if (v->focus == TOCM_NONE) {
            host->error_set(err, "view", "no node has the id '%.120s'", spec + 5);
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
                        "unknown view '%.80s': use full, mapping, node:ID or country:CODE", spec);
        return -1;
    }
    v->shown = calloc(v->node_count ? v->node_count : 1, 1);
    if (!v->shown || select_nodes(host, m, v) != 0) {
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
    buf_printf(out, " (%zu node%s, %zu link%s)", v->shown_count, v->shown_count == 1 ? "" : "s",
               v->edge_count, v->edge_count == 1 ? "" : "s");
}

/* The size of a view of m, or 0 when it cannot be opened. */
static size_t view_size(const struct tocm_host *host, const tocm_model *m, const char *spec) {
    struct view v;
    tocm_error err = {0};
    if (view_open(host, m, spec, &v, &err) != 0)
        return 0;
    size_t n = v.shown_count;
    view_close(&v);
    return n;
}

static void suggest(const struct tocm_host *host, const tocm_model *m, const char *spec,
                    size_t limit) {
    size_t n = view_size(host, m, spec);
    if (n)
        host->log(TOCM_LOG_INFO, GV_PLUGIN_NAME, "  --view %-22s %6zu nodes%s", spec, n,
                  n > limit ? " (also needs --force)" : "");
}

void view_suggest(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                  size_t limit) {
    host->log(TOCM_LOG_INFO, GV_PLUGIN_NAME, "narrower views of this model:");
    struct buf codes = {0}, spec = {0};
    list_countries(host, m, &codes);
    for (const char *c = buf_str(&codes); *c;) {
        size_t len = strcspn(c, " ");
        buf_reset(&spec);
        buf_puts(&spec, "country:");
        buf_add(&spec, c, len);
        suggest(host, m, buf_str(&spec), limit);
        c += len + (c[len] == ' ');
    }
    if (v->kind != VIEW_MAPPING)
        suggest(host, m, "mapping", limit);
    /* Node views of the second level (each EOPO's part of the chain), at
     * most 12 of them. */
    size_t shown = 0;
    for (size_t i = 0; i < host->node_count(m) && shown < 12; i++) {
        if (host->node_level(m, i) != 1)
            continue;
        buf_reset(&spec);
        buf_printf(&spec, "node:%s", host->node_id(m, i));
        suggest(host, m, buf_str(&spec), limit);
        shown++;
    }
    host->log(TOCM_LOG_INFO, GV_PLUGIN_NAME,
              "  --view node:ID              any node with what contributes to it and what it "
              "contributes to");
    buf_free(&codes);
    buf_free(&spec);
}

void view_close(struct view *v) {
    free(v->shown);
    v->shown = NULL;
}
