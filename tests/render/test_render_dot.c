/*
 * test_render_dot.c -- `tocm render -T dot`, read back with cgraph
 * (agmemread) and checked against the model, read here independently with
 * jansson:
 *   - the nodes and links of each view (full, mapping, node:ID,
 *     country:CODE): the counts, each one, dashed exactly when inferred;
 *   - ranks: one row per level (the same y, or x for LR), in level order on
 *     the side --direction asks for, each headed by its band label;
 *   - country clusters: each holds only its country's nodes of one level,
 *     every node with a country is in one, and its box contains them;
 *   - the hostile fixture: ids, tooltips and label text come back verbatim.
 *
 * Usage: test_render_dot TOCM SOURCE_DIR (the repository root).
 */
/* cmocka.h needs these first. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgraph.h>

static const char *tocm_path, *source_dir;

/* ---- running tocm ------------------------------------------------------ */

static char *run_render(const char *model, const char *args) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' render '%s/%s' -T dot %s", tocm_path, source_dir, model, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len = 0, cap = 1 << 16;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t n;
    while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 4096) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    out[len] = '\0';
    int status = pclose(p);
    if (status != 0)
        fail_msg("'%s' exited with %d", cmd, status);
    return out;
}

static Agraph_t *render_graph(const char *model, const char *args) {
    char *dot = run_render(model, args);
    Agraph_t *g = agmemread(dot);
    free(dot);
    assert_non_null(g);
    return g;
}

/* ---- the model, read with jansson ---------------------------------------- */

struct mnode {
    const char *id, *country, *title, *description;
    size_t level;
    size_t out[16], out_count;
    int out_inferred[16];
    int inferred;
};

struct model {
    json_t *root;
    const char *level_ids[16];
    int level_outcome[16];
    size_t level_count;
    struct mnode *nodes;
    size_t count;
};

static size_t find_node(const struct model *m, const char *id) {
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->nodes[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

static void load_model(const char *path, struct model *m) {
    char full[2048];
    snprintf(full, sizeof full, "%s/%s", source_dir, path);
    json_error_t jerr;
    memset(m, 0, sizeof *m);
    m->root = json_load_file(full, 0, &jerr);
    assert_non_null(m->root);
    json_t *levels = json_object_get(m->root, "levels");
    if (levels) {
        size_t i;
        json_t *l;
        json_array_foreach(levels, i, l) {
            m->level_ids[i] = json_is_string(l) ? json_string_value(l)
                                                : json_string_value(json_object_get(l, "id"));
            m->level_outcome[i] = json_is_true(json_object_get(l, "outcome"));
        }
        m->level_count = json_array_size(levels);
    } else {
        static const char *const def[] = {"goal",    "eopo",    "intermediate", "immediate",
                                          "cluster", "project", "activity"};
        for (size_t i = 0; i < 7; i++) {
            m->level_ids[i] = def[i];
            m->level_outcome[i] = i >= 1 && i <= 3;
        }
        m->level_count = 7;
    }
    json_t *nodes = json_object_get(m->root, "nodes");
    m->count = json_array_size(nodes);
    m->nodes = calloc(m->count, sizeof *m->nodes);
    size_t i;
    json_t *n;
    json_array_foreach(nodes, i, n) {
        struct mnode *mn = &m->nodes[i];
        mn->id = json_string_value(json_object_get(n, "id"));
        mn->title = json_string_value(json_object_get(n, "title"));
        mn->description = json_string_value(json_object_get(n, "description"));
        mn->country = json_string_value(json_object_get(n, "country"));
        const char *level = json_string_value(json_object_get(n, "level"));
        for (size_t l = 0; l < m->level_count; l++)
            if (strcmp(m->level_ids[l], level) == 0)
                mn->level = l;
        mn->inferred = json_is_true(json_object_get(n, "inferred"));
    }
    json_array_foreach(nodes, i, n) {
        struct mnode *mn = &m->nodes[i];
        json_t *inferred = json_object_get(n, "inferred");
        size_t k;
        json_t *t;
        json_array_foreach(json_object_get(n, "contributes_to"), k, t) {
            assert_true(mn->out_count < 16);
            mn->out[mn->out_count] = find_node(m, json_string_value(t));
            size_t j;
            json_t *x;
            json_array_foreach(inferred, j, x) {
                if (strcmp(json_string_value(x), json_string_value(t)) == 0)
                    mn->out_inferred[mn->out_count] = 1;
            }
            mn->out_count++;
        }
    }
}

static void free_model(struct model *m) {
    free(m->nodes);
    json_decref(m->root);
}

/* ---- what each view should show ------------------------------------------ */

static int is_outcome(const struct model *m, size_t node) {
    return m->level_outcome[m->nodes[node].level];
}

/* Marks from and what it reaches: up the links (bit 1) or down them (bit 2). */
static void reach(const struct model *m, size_t from, int up, unsigned char *mark) {
    unsigned char bit = up ? 1 : 2;
    if (mark[from] & bit)
        return;
    mark[from] |= bit;
    if (up) {
        for (size_t k = 0; k < m->nodes[from].out_count; k++)
            reach(m, m->nodes[from].out[k], up, mark);
        return;
    }
    for (size_t i = 0; i < m->count; i++)
        for (size_t k = 0; k < m->nodes[i].out_count; k++)
            if (m->nodes[i].out[k] == from)
                reach(m, i, up, mark);
}

static size_t project_level(const struct model *m) {
    for (size_t l = 0; l < m->level_count; l++)
        if (strcmp(m->level_ids[l], "project") == 0)
            return l;
    return (size_t)-1;
}

static int is_cluster(const struct model *m, size_t node) {
    return strcmp(m->level_ids[m->nodes[node].level], "cluster") == 0;
}

static int links(const struct model *m, size_t from, size_t to) {
    for (size_t k = 0; k < m->nodes[from].out_count; k++)
        if (m->nodes[from].out[k] == to)
            return 1;
    return 0;
}

/* shown[i]; returns the count. */
static size_t expected_nodes(const struct model *m, const char *view, unsigned char *shown) {
    memset(shown, 0, m->count);
    unsigned char *mark = calloc(m->count, 1);
    if (strcmp(view, "full") == 0) {
        memset(shown, 1, m->count);
    } else if (strcmp(view, "outcomes") == 0) {
        for (size_t i = 0; i < m->count; i++)
            shown[i] = m->nodes[i].level == 0 || is_outcome(m, i);
    } else if (strncmp(view, "eopo:", 5) == 0) {
        reach(m, find_node(m, view + 5), 0, mark); /* everything beneath it */
        for (size_t i = 0; i < m->count; i++)
            shown[i] = mark[i] != 0;
    } else if (strncmp(view, "node:", 5) == 0) {
        size_t focus = find_node(m, view + 5);
        reach(m, focus, 1, mark);
        reach(m, focus, 0, mark);
        for (size_t i = 0; i < m->count; i++)
            shown[i] = mark[i] != 0;
    } else if (strncmp(view, "country:", 8) == 0) {
        for (size_t i = 0; i < m->count; i++)
            if (m->nodes[i].country && strcmp(m->nodes[i].country, view + 8) == 0)
                reach(m, i, 1, mark);
        for (size_t i = 0; i < m->count; i++)
            shown[i] = mark[i] != 0;
    } else if (strcmp(view, "mapping") == 0) {
        size_t p = project_level(m);
        for (size_t i = 0; i < m->count; i++) {
            if (m->nodes[i].level != p)
                continue;
            shown[i] = 1;
            for (size_t k = 0; k < m->nodes[i].out_count; k++) {
                size_t to = m->nodes[i].out[k];
                if (is_outcome(m, to))
                    shown[to] = 1;
                if (is_cluster(m, to)) /* and what it reaches through its cluster */
                    for (size_t j = 0; j < m->nodes[to].out_count; j++)
                        if (is_outcome(m, m->nodes[to].out[j]))
                            shown[m->nodes[to].out[j]] = 1;
            }
        }
    }
    free(mark);
    size_t n = 0;
    for (size_t i = 0; i < m->count; i++)
        n += shown[i];
    return n;
}

static int expected_link(const struct model *m, const char *view, const unsigned char *shown,
                         size_t from, size_t k) {
    size_t to = m->nodes[from].out[k];
    if (!shown[from] || !shown[to])
        return 0;
    if (strcmp(view, "mapping") == 0)
        return m->nodes[from].level == project_level(m) && is_outcome(m, to);
    return 1;
}

/* ---- reading the DOT ------------------------------------------------------- */

static const char *attr(void *obj, const char *name) {
    char *v = agget(obj, (char *)name);
    return v ? v : "";
}

static int is_band_label(Agnode_t *n) { return strcmp(attr(n, "tocm_kind"), "band-label") == 0; }

static void node_pos(Agnode_t *n, double *x, double *y) {
    const char *pos = attr(n, "pos");
    if (sscanf(pos, "%lf,%lf", x, y) != 2)
        fail_msg("node %s has no position ('%s')", agnameof(n), pos);
}

/* The rank coordinate: y for TB/BT, x for LR/RL. */
static double rank_coord(Agnode_t *n, const char *dir) {
    double x, y;
    node_pos(n, &x, &y);
    return dir[0] == 'L' || dir[0] == 'R' ? x : y;
}

static double order_coord(Agnode_t *n, const char *dir) {
    double x, y;
    node_pos(n, &x, &y);
    return dir[0] == 'L' || dir[0] == 'R' ? -y : x; /* in LR, the first in a rank is on top */
}

static void check_view(const char *model_path, const char *view, const char *dir) {
    struct model m;
    load_model(model_path, &m);
    unsigned char *shown = malloc(m.count);
    size_t want_nodes = expected_nodes(&m, view, shown);
    char args[256];
    snprintf(args, sizeof args, "--view '%s'%s%s", view, dir ? " --direction " : "",
             dir ? dir : "");
    Agraph_t *g = render_graph(model_path, args);
    if (!dir)
        dir = strcmp(view, "mapping") == 0 ? "LR" : "TB";

    /* Nodes. */
    size_t got_nodes = 0;
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
        if (is_band_label(n))
            continue;
        got_nodes++;
        size_t i = find_node(&m, agnameof(n));
        assert_true(i != (size_t)-1);
        assert_true(shown[i]);
        assert_string_equal(attr(n, "tocm_level"), m.level_ids[m.nodes[i].level]);
        assert_string_equal(attr(n, "id"), m.nodes[i].id);
    }
    assert_int_equal(got_nodes, want_nodes);

    /* Links: every one drawn, dashed exactly when inferred; nothing else
     * visible. */
    size_t want_edges = 0, got_edges = 0;
    for (size_t i = 0; i < m.count; i++) {
        for (size_t k = 0; k < m.nodes[i].out_count; k++) {
            if (!expected_link(&m, view, shown, i, k))
                continue;
            want_edges++;
            Agnode_t *t = agnode(g, (char *)m.nodes[i].id, 0);
            Agnode_t *h = agnode(g, (char *)m.nodes[m.nodes[i].out[k]].id, 0);
            assert_non_null(t);
            assert_non_null(h);
            Agedge_t *e = agedge(g, t, h, NULL, 0);
            if (!e)
                fail_msg("%s: no link %s -> %s", view, agnameof(t), agnameof(h));
            assert_string_equal(attr(e, "style"), m.nodes[i].out_inferred[k] ? "dashed" : "solid");
        }
    }
    /* The mapping also links a project to the outcomes it reaches only
     * through its cluster, dotted, once each. */
    if (strcmp(view, "mapping") == 0) {
        for (size_t i = 0; i < m.count; i++) {
            if (m.nodes[i].level != project_level(&m))
                continue;
            unsigned char *seen = calloc(m.count, 1);
            for (size_t k = 0; k < m.nodes[i].out_count; k++) {
                size_t c = m.nodes[i].out[k];
                if (!is_cluster(&m, c))
                    continue;
                for (size_t j = 0; j < m.nodes[c].out_count; j++) {
                    size_t o = m.nodes[c].out[j];
                    if (!is_outcome(&m, o) || links(&m, i, o) || seen[o])
                        continue;
                    seen[o] = 1;
                    want_edges++;
                    Agedge_t *e = agedge(g, agnode(g, (char *)m.nodes[i].id, 0),
                                         agnode(g, (char *)m.nodes[o].id, 0), NULL, 0);
                    if (!e)
                        fail_msg("mapping: no link %s -> %s through %s", m.nodes[i].id,
                                 m.nodes[o].id, m.nodes[c].id);
                    assert_string_equal(attr(e, "style"), "dotted");
                }
            }
            free(seen);
        }
    }
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e))
            got_edges += strcmp(attr(e, "style"), "invis") != 0;
    assert_int_equal(got_edges, want_edges);

    /* Ranks: one per level present, in order, headed by the band label. */
    double prev = 0;
    int have_prev = 0;
    int goal_side_positive = strcmp(dir, "TB") == 0 || strcmp(dir, "LR") == 0;
    for (size_t l = 0; l < m.level_count; l++) {
        size_t count = 0, any = (size_t)-1;
        for (size_t i = 0; i < m.count; i++)
            if (shown[i] && m.nodes[i].level == l) {
                count++;
                any = i;
            }
        char name[64];
        snprintf(name, sizeof name, "level_%zu", l);
        Agraph_t *band = agsubg(g, name, 0);
        if (!count) {
            assert_null(band);
            continue;
        }
        assert_non_null(band);
        assert_string_equal(attr(band, "rank"), "same");
        assert_string_equal(attr(band, "tocm_level"), m.level_ids[l]);
        assert_int_equal(agnnodes(band), count + 1);
        Agnode_t *label = NULL;
        for (Agnode_t *n = agfstnode(band); n; n = agnxtnode(band, n))
            if (is_band_label(n))
                label = n;
        assert_non_null(label);
        double r = rank_coord(agnode(g, (char *)m.nodes[any].id, 0), dir);
        for (Agnode_t *n = agfstnode(band); n; n = agnxtnode(band, n)) {
            assert_true(rank_coord(n, dir) == r);
            if (n != label) {
                size_t i = find_node(&m, agnameof(n));
                assert_int_equal(m.nodes[i].level, l);
                assert_true(order_coord(label, dir) < order_coord(n, dir));
            }
        }
        if (have_prev) {
            /* Level l is further from the goal than the previous level. */
            if (goal_side_positive)
                assert_true(r < prev);
            else
                assert_true(r > prev);
        }
        prev = r;
        have_prev = 1;
    }

    /* Country clusters. */
    unsigned char *clustered = calloc(m.count, 1);
    int mapping = strcmp(view, "mapping") == 0;
    for (Agraph_t *sub = agfstsubg(g); sub; sub = agnxtsubg(sub)) {
        if (strncmp(agnameof(sub), "cluster_country_", 16) != 0)
            continue;
        assert_string_equal(attr(sub, "tocm_kind"), "country");
        const char *country = attr(sub, "tocm_country");
        const char *level = attr(sub, "tocm_level");
        double llx, lly, urx, ury;
        assert_int_equal(sscanf(attr(sub, "bb"), "%lf,%lf,%lf,%lf", &llx, &lly, &urx, &ury), 4);
        assert_true(agnnodes(sub) > 0);
        for (Agnode_t *n = agfstnode(sub); n; n = agnxtnode(sub, n)) {
            size_t i = find_node(&m, agnameof(n));
            assert_true(i != (size_t)-1);
            if (country[0])
                assert_string_equal(m.nodes[i].country ? m.nodes[i].country : "", country);
            else
                assert_null(m.nodes[i].country); /* the mapping's regional cluster */
            assert_string_equal(m.level_ids[m.nodes[i].level], level);
            assert_false(clustered[i]);
            clustered[i] = 1;
            double x, y;
            node_pos(n, &x, &y);
            assert_true(x > llx && x < urx && y > lly && y < ury);
        }
    }
    for (size_t i = 0; i < m.count; i++) {
        int want =
            shown[i] && (m.nodes[i].country || (mapping && m.nodes[i].level == project_level(&m)));
        if (want != clustered[i])
            fail_msg("%s: node %s is %sin a country cluster", view, m.nodes[i].id,
                     clustered[i] ? "" : "not ");
    }
    free(clustered);
    agclose(g);
    free(shown);
    free_model(&m);
}

#define ASEAN "models/asean-act-2021/model.json"

static void full_view(void **state) {
    (void)state;
    check_view(ASEAN, "full", NULL);
}
static void mapping_view(void **state) {
    (void)state;
    check_view(ASEAN, "mapping", NULL);
}
static void node_views(void **state) {
    (void)state;
    check_view(ASEAN, "node:O2.1", NULL);
    check_view(ASEAN, "node:EOPO3", NULL);
    check_view(ASEAN, "node:GOAL", NULL);
    check_view(ASEAN, "node:L204", NULL);
}
static void country_views(void **state) {
    (void)state;
    check_view(ASEAN, "country:KH", NULL);
    check_view(ASEAN, "country:LA", NULL);
    check_view(ASEAN, "country:PH", NULL);
}
static void eopo_and_outcome_views(void **state) {
    (void)state;
    check_view(ASEAN, "eopo:EOPO1", NULL);
    check_view(ASEAN, "eopo:EOPO3", NULL);
    check_view(ASEAN, "outcomes", NULL);
    check_view(ASEAN, "outcomes", "LR");
}

/* Natural order, written again here: digit runs compare as numbers. */
static int natural_less(const char *a, const char *b) {
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            char *ea, *eb;
            unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
            if (x != y)
                return x < y;
            a = ea;
            b = eb;
        } else if (*a != *b) {
            return (unsigned char)*a < (unsigned char)*b;
        } else {
            a++, b++;
        }
    }
    return *b != 0 && *a == 0;
}

/* On every page, the outcomes of a row stand in natural id order (so
 * O2.4 is left of O2.5 and O2.6 on every country and EOPO page), and the
 * order of any two outcomes is the same on every page. */
static void stable_order(void **state) {
    (void)state;
    struct model m;
    load_model(ASEAN, &m);
    static const char *const views[] = {
        "full",       "outcomes",   "country:KH", "country:ID", "country:LA", "country:PH",
        "country:TH", "country:VN", "eopo:EOPO1", "eopo:EOPO2", "eopo:EOPO3",
    };
    static const char *const modes[] = {"", "--projects list", "--direction LR"};
    for (size_t mi = 0; mi < 3; mi++) {
        for (size_t vi = 0; vi < sizeof views / sizeof views[0]; vi++) {
            char args[128];
            snprintf(args, sizeof args, "--view %s %s", views[vi], modes[mi]);
            Agraph_t *g = render_graph(ASEAN, args);
            const char *dir = mi == 2 ? "LR" : "TB";
            for (size_t a = 0; a < m.count; a++) {
                if (!is_outcome(&m, a))
                    continue;
                Agnode_t *na = agnode(g, (char *)m.nodes[a].id, 0);
                for (size_t b = 0; b < m.count && na; b++) {
                    if (b == a || !is_outcome(&m, b) || m.nodes[b].level != m.nodes[a].level ||
                        !natural_less(m.nodes[a].id, m.nodes[b].id))
                        continue;
                    Agnode_t *nb = agnode(g, (char *)m.nodes[b].id, 0);
                    if (nb && !(order_coord(na, dir) < order_coord(nb, dir)))
                        fail_msg("%s: %s is not before %s", args, m.nodes[a].id, m.nodes[b].id);
                }
            }
            agclose(g);
        }
    }
    free_model(&m);
}

/* --projects list: projects whose cluster is drawn are listed in its box,
 * not drawn; a link the cluster already has is drawn once, thick. */
static void projects_listed(void **state) {
    (void)state;
    Agraph_t *g = render_graph(ASEAN, "--view country:KH --projects list");
    assert_null(agnode(g, "C202", 0));
    assert_null(agnode(g, "NGO-LSCW", 0));
    Agnode_t *nat = agnode(g, "CL-NAT", 0);
    assert_non_null(nat);
    const char *label = attr(nat, "label");
    static const char *const listed[] = {"C202", "C203", "C204", "C205", "C299"};
    for (size_t i = 0; i < 5; i++)
        assert_non_null(strstr(label, listed[i]));
    assert_null(strstr(label, "V201")); /* only the page's country */
    Agnode_t *o21 = agnode(g, "O2.1", 0);
    Agedge_t *e = agedge(g, nat, o21, NULL, 0);
    assert_non_null(e);
    assert_string_equal(attr(e, "penwidth"), "2.2");
    /* NGO-LSCW cites EOPO2 and EOPO3 itself: drawn from its row of CL-IPP. */
    Agnode_t *ipp = agnode(g, "CL-IPP", 0);
    size_t from_row = 0;
    for (Agedge_t *x = agfstout(g, ipp); x; x = agnxtout(g, x))
        from_row += strncmp(attr(x, "tailport"), "p", 1) == 0;
    assert_int_equal(from_row, 2);
    agclose(g);
    g = render_graph(ASEAN, "--view full --projects hide");
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        assert_string_not_equal(attr(n, "tocm_level"), "project");
    agclose(g);
}

/* ---- the book: every page readable ----------------------------------------- */

static double number(void *obj, const char *name, double fallback) {
    const char *v = attr(obj, name);
    char *end;
    double d = strtod(v, &end);
    return end != v ? d : fallback;
}

/* The smallest text of a visible label of obj, in points before scaling:
 * its fontsize (Graphviz's default 14), or the smallest point-size inside
 * an HTML-like label. */
static double label_font(void *obj, double smallest) {
    const char *label = attr(obj, "label");
    if (!*label || strstr(attr(obj, "style"), "invis"))
        return smallest;
    double size = number(obj, "fontsize", 14);
    if (aghtmlstr((char *)label))
        for (const char *p = label; (p = strstr(p, "point-size=\"")); p++) {
            double d = strtod(p + 12, NULL);
            if (d < size)
                size = d;
        }
    return size < smallest ? size : smallest;
}

static double subgraph_font(Agraph_t *g, double smallest) {
    smallest = label_font(g, smallest);
    for (Agraph_t *sub = agfstsubg(g); sub; sub = agnxtsubg(sub))
        smallest = subgraph_font(sub, smallest);
    return smallest;
}

/* Every page of the book, at A4 landscape: the drawing, with its pad, fits
 * the page at the scale it is drawn at, and its smallest text at that scale
 * is at least --min-font. The pages: outcomes, one per EOPO, one per
 * country, then the matrix. */
static void check_book(const char *extra, double min_font, double page_w, double page_h) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' render '%s/%s' --book -T dot %s", tocm_path, source_dir, ASEAN,
             extra);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t pages = 0, eopos = 0, countries = 0, matrices = 0;
    Agraph_t *g;
    while ((g = agread(p, NULL)) != NULL) {
        pages++;
        const char *view = attr(g, "tocm_view");
        eopos += strncmp(view, "eopo:", 5) == 0;
        countries += strncmp(view, "country:", 8) == 0;
        matrices += strcmp(view, "matrix") == 0;
        if (pages == 1)
            assert_string_equal(view, "outcomes");
        assert_true(fabs(number(g, "tocm_page_width", 0) - page_w) < 0.5);
        assert_true(fabs(number(g, "tocm_page_height", 0) - page_h) < 0.5);
        double scale = number(g, "tocm_scale", 0);
        assert_true(scale > 0 && scale <= 1);
        double llx, lly, urx, ury;
        assert_int_equal(sscanf(attr(g, "bb"), "%lf,%lf,%lf,%lf", &llx, &lly, &urx, &ury), 4);
        double pad = number(g, "pad", 0.0555) * 72;
        if ((urx - llx + 2 * pad) * scale > page_w || (ury - lly + 2 * pad) * scale > page_h)
            fail_msg("page %zu (%s): %.0f x %.0f pt at %.2f does not fit the page", pages, view,
                     urx - llx, ury - lly, scale);
        double smallest = subgraph_font(g, 1e9);
        for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
            smallest = label_font(n, smallest);
            for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e))
                smallest = label_font(e, smallest);
        }
        if (smallest * scale < min_font - 1e-6)
            fail_msg("page %zu (%s): smallest text %.2f pt (%.1f at %.2f), under %.1f", pages, view,
                     smallest * scale, smallest, scale, min_font);
        agclose(g);
    }
    assert_int_equal(pclose(p), 0);
    assert_int_equal(eopos, 3);
    assert_int_equal(countries, 6);
    assert_true(matrices >= 1);
    assert_int_equal(pages, 1 + eopos + countries + matrices);
}

static void book_pages(void **state) {
    (void)state;
    check_book("", 8, 841.89, 595.28); /* A4 landscape, the default */
    check_book("--page A3 --landscape --min-font 10", 10, 1190.55, 841.89);
}

static void directions(void **state) {
    (void)state;
    check_view(ASEAN, "country:VN", "BT");
    check_view(ASEAN, "country:VN", "LR");
    check_view(ASEAN, "country:VN", "RL");
    check_view(ASEAN, "mapping", "TB");
}

/* The seed's Cambodia page: C202-C299 -> the O2.x outcomes -> EOPO2 ->
 * goal, all there. */
static void cambodia_page(void **state) {
    (void)state;
    Agraph_t *g = render_graph(ASEAN, "--view country:KH");
    static const char *const want[] = {"C202", "C203", "C204", "C205", "C299",  "O2.1", "O2.2",
                                       "O2.3", "O2.4", "O2.5", "O2.6", "EOPO2", "GOAL"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_non_null(agnode(g, (char *)want[i], 0));
    assert_null(agnode(g, "L204", 0));
    assert_non_null(agsubg(g, "cluster_country_5_KH", 0));
    agclose(g);
}

/* ---- hostile titles ---------------------------------------------------------- */

/* Undoes the plugin's escaping of an attribute: &amp; and runs of
 * `per` backslashes. */
static char *unescape_attr(const char *s, int per) {
    char *out = malloc(strlen(s) + 1), *p = out;
    while (*s) {
        if (strncmp(s, "&amp;", 5) == 0) {
            *p++ = '&';
            s += 5;
        } else if (*s == '\\') {
            for (int i = 0; i < per; i++)
                assert_true(s[i] == '\\');
            *p++ = '\\';
            s += per;
        } else {
            *p++ = *s++;
        }
    }
    *p = '\0';
    return out;
}

/* The text of an HTML-like label: tags dropped (<br/> becomes '\n'),
 * entities decoded, doubled backslashes undone. */
static char *label_text(const char *s) {
    char *out = malloc(strlen(s) + 1), *p = out;
    while (*s) {
        if (*s == '<') {
            if (strncmp(s, "<br/>", 5) == 0)
                *p++ = '\n';
            s = strchr(s, '>');
            assert_non_null(s);
            s++;
            continue;
        }
        static const struct {
            const char *entity, *text;
        } entities[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}};
        int done = 0;
        for (size_t i = 0; i < 4 && !done; i++) {
            size_t n = strlen(entities[i].entity);
            if (strncmp(s, entities[i].entity, n) == 0) {
                *p++ = entities[i].text[0];
                s += n;
                done = 1;
            }
        }
        if (done)
            continue;
        if (*s == '\\') {
            assert_true(s[1] == '\\');
            *p++ = '\\';
            s += 2;
            continue;
        }
        assert_true(*s != '&' && *s != '"');
        *p++ = *s++;
    }
    *p = '\0';
    return out;
}

/* s without spaces, tabs and newlines. */
static char *squeeze(const char *s) {
    char *out = malloc(strlen(s) + 1), *p = out;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n')
            *p++ = *s;
    *p = '\0';
    return out;
}

static size_t code_points(const char *s, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}

static void hostile_titles(void **state) {
    (void)state;
    const char *path = "tests/render/fixtures/hostile.json";
    struct model m;
    load_model(path, &m);
    Agraph_t *g = render_graph(path, "");
    size_t seen = 0;
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
        if (is_band_label(n))
            continue;
        char *id = unescape_attr(attr(n, "id"), 2);
        size_t i = find_node(&m, id);
        if (i == (size_t)-1)
            fail_msg("no model node has the id '%s'", id);
        seen++;
        /* The tooltip: the description, else the title, exactly. */
        char *tooltip = unescape_attr(attr(n, "tooltip"), 4);
        assert_string_equal(tooltip,
                            m.nodes[i].description ? m.nodes[i].description : m.nodes[i].title);
        /* The label: the id in bold, then the title wrapped: the same
         * characters in the same order, lines of at most 30 columns,
         * breaking at the title's own newlines. */
        const char *html = attr(n, "label");
        assert_true(aghtmlstr((char *)html));
        char *text = label_text(html);
        char *nl = strchr(text, '\n');
        assert_non_null(nl);
        *nl = '\0';
        assert_string_equal(text, id);
        char *body = squeeze(nl + 1), *title = squeeze(m.nodes[i].title);
        assert_string_equal(body, title);
        for (char *line = nl + 1; *line;) {
            size_t len = strcspn(line, "\n");
            /* Columns are code points, except in scripts with combining
             * marks (three-byte sequences here: Lao), not checked. */
            int simple = 1;
            for (size_t k = 0; k < len; k++)
                simple &= (unsigned char)line[k] < 0xE0;
            if (simple && code_points(line, len) > 30)
                fail_msg("%s: line '%.*s' is longer than 30", id, (int)len, line);
            /* A line never starts inside a UTF-8 sequence. */
            assert_true(((unsigned char)line[0] & 0xC0) != 0x80);
            line += len + (line[len] == '\n');
        }
        free(body);
        free(title);
        free(text);
        free(tooltip);
        free(id);
    }
    assert_int_equal(seen, m.count);
    /* The title's paragraphs survive: "Line two", a blank line, "Line four". */
    Agnode_t *o2 = agnode(g, "O2", 0);
    assert_non_null(o2);
    assert_non_null(strstr(attr(o2, "label"), "Line two<br/><br/>Line four"));
    agclose(g);
    free_model(&m);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s TOCM SOURCE_DIR\n", argv[0]);
        return 2;
    }
    tocm_path = argv[1];
    source_dir = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_view),      cmocka_unit_test(mapping_view),
        cmocka_unit_test(node_views),     cmocka_unit_test(country_views),
        cmocka_unit_test(directions),     cmocka_unit_test(cambodia_page),
        cmocka_unit_test(hostile_titles), cmocka_unit_test(eopo_and_outcome_views),
        cmocka_unit_test(stable_order),   cmocka_unit_test(projects_listed),
        cmocka_unit_test(book_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
