/*
 * build.c -- the cgraph graph of a view: one band per level (a rank=same
 * row, or column for LR, headed by a grey label node), countries as
 * clusters within a band, node labels with the id in bold over the
 * word-wrapped title, colours, and the legend in the graph's label.
 *
 * Everything is created in a fixed order (levels top to bottom; within a
 * level the regional nodes first, then by country code, then by id in
 * natural order: O2.4 < O2.5 < O2.10), and invisible links chain each row
 * in that order, so a node keeps its place relative to its siblings on
 * every page, and the same model gives the same bytes every time.
 *
 * Links point from a node to what it contributes to, so their heads are on
 * higher levels. rankdir puts the top level where --direction asks: TB
 * (goal at the top) is Graphviz's BT, because the arrows point up.
 *
 * The DOT this produces carries tocm_* attributes the tests read back:
 * tocm_level on nodes, bands and country clusters, tocm_country on country
 * clusters, and tocm_kind where the structure needs it: "band" (the row
 * subgraph), "band-label" (its label node), "country" (a cluster),
 * "band-order" (the invisible links that order the bands and keep each
 * label first in its row).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgraph.h>

#include "gv_internal.h"

#define FONT "DejaVu Sans"
#define CHAIN_LIMIT 400 /* nodes: larger views are not chained (see below) */
#define LARGE_VIEW 1000 /* nodes: larger views are placed faster (see below) */

/* ---- palettes -----------------------------------------------------------
 * Chosen to survive greyscale printing and colour-blind readers: levels and
 * statuses are ordered, so each uses a sequential ColorBrewer scheme whose
 * lightness changes monotonically (YlGnBu, YlOrBr), with the status also
 * printed in the node; countries are named by their clusters and the
 * legend anyway, and use Paul Tol's "light" qualitative scheme. Text turns
 * white on the dark end. */

struct swatch {
    const char *fill, *font;
};

/* ColorBrewer YlGnBu with each colour's CIE L* lightness, light to dark. */
static const struct {
    double lightness;
    unsigned char r, g, b;
} level_ramp[] = {
    {99.1, 0xff, 0xff, 0xd9}, {95.3, 0xed, 0xf8, 0xb1}, {88.8, 0xc7, 0xe9, 0xb4},
    {77.1, 0x7f, 0xcd, 0xbb}, {68.4, 0x41, 0xb6, 0xc4}, {56.4, 0x1d, 0x91, 0xc0},
    {39.9, 0x22, 0x5e, 0xa8}, {26.7, 0x25, 0x34, 0x94}, {13.4, 0x08, 0x1d, 0x58},
};
#define LEVEL_RAMP_SIZE (sizeof level_ramp / sizeof level_ramp[0])
#define LEVEL_LIGHTEST 97.0
#define LEVEL_DARKEST 20.0

/* tocm's status vocabulary, best first (models/FORMAT.md). */
static const char *const statuses[] = {"completed", "partly completed", "some delays",
                                       "major delay", "on hold"};
static const struct swatch status_palette[] = {
    {"#fee391", "black"}, {"#fec44f", "black"}, {"#fe9929", "black"},
    {"#d95f0e", "white"}, {"#993404", "white"},
};
#define STATUS_COUNT (sizeof statuses / sizeof statuses[0])
static const struct swatch status_other = {"#d0d0d0", "black"};
static const struct swatch no_value = {"#ffffff", "black"};

static const struct swatch country_palette[] = {
    {"#77AADD", "black"}, {"#EE8866", "black"}, {"#EEDD88", "black"},
    {"#FFAABB", "black"}, {"#99DDFF", "black"}, {"#44BB99", "black"},
    {"#BBCC33", "black"}, {"#AAAA00", "black"}, {"#DDDDDD", "black"},
};
#define COUNTRY_PALETTE_SIZE (sizeof country_palette / sizeof country_palette[0])

/* The fill of a level: the ramp at evenly spaced lightness, the top level
 * darkest, so neighbouring levels differ by the same step in greyscale
 * too (the ramp's own colours bunch up at the light end). buf holds the
 * "#rrggbb". */
static struct swatch level_swatch(size_t level, size_t levels, char buf[8]) {
    double target = levels < 2 ? 80.0
                               : LEVEL_DARKEST + (LEVEL_LIGHTEST - LEVEL_DARKEST) * (double)level /
                                                     (double)(levels - 1);
    size_t k = 0;
    while (k + 2 < LEVEL_RAMP_SIZE && level_ramp[k + 1].lightness > target)
        k++;
    double span = level_ramp[k].lightness - level_ramp[k + 1].lightness;
    double t = (level_ramp[k].lightness - target) / span;
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    int rgb[3] = {
        (int)(level_ramp[k].r + t * (level_ramp[k + 1].r - level_ramp[k].r) + 0.5),
        (int)(level_ramp[k].g + t * (level_ramp[k + 1].g - level_ramp[k].g) + 0.5),
        (int)(level_ramp[k].b + t * (level_ramp[k + 1].b - level_ramp[k].b) + 0.5),
    };
    snprintf(buf, 8, "#%02x%02x%02x", rgb[0] & 0xFF, rgb[1] & 0xFF, rgb[2] & 0xFF);
    return (struct swatch){buf, target < 55 ? "white" : "black"};
}

static size_t status_index(const char *status) {
    for (size_t i = 0; i < STATUS_COUNT; i++)
        if (strcmp(statuses[i], status) == 0)
            return i;
    return TOCM_NONE;
}

/* ---- red, amber, green ----------------------------------------------------
 * The statuses come from the report (status.c); each is drawn with its
 * symbol as well as its colour, so it reads in greyscale and for
 * colour-blind readers. Red takes white text. */

static const struct swatch rag_palette[] = {
    {"#f2f2f2", "black"}, {"#a6dba0", "black"}, {"#fdd49e", "black"}, {"#d6604d", "white"}};

static enum rag node_rag(const struct render_opts *o, size_t node) {
    return o->status && node < o->status->node_count ? o->status->node[node].rag : RAG_NONE;
}

/* ---- the model's countries, sorted ------------------------------------- */

struct countries {
    const char **codes;
    size_t count;
};

static int countries_collect(const struct tocm_host *host, const tocm_model *m,
                             struct countries *c) {
    size_t n = host->node_count(m);
    c->codes = malloc((n ? n : 1) * sizeof *c->codes);
    c->count = 0;
    if (!c->codes)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *code = host->node_string(m, i, "country");
        if (!code)
            continue;
        size_t k = 0;
        while (k < c->count && strcmp(c->codes[k], code) < 0)
            k++;
        if (k < c->count && strcmp(c->codes[k], code) == 0)
            continue;
        memmove(c->codes + k + 1, c->codes + k, (c->count - k) * sizeof *c->codes);
        c->codes[k] = code;
        c->count++;
    }
    return 0;
}

static size_t countries_index(const struct countries *c, const char *code) {
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->codes[i], code) == 0)
            return i;
    return TOCM_NONE;
}

/* ---- cgraph helpers ------------------------------------------------------ */

struct syms {
    Agsym_t *g_label, *g_style, *g_fillcolor, *g_color, *g_labeljust, *g_labelloc, *g_fontsize,
        *g_rank, *g_id, *g_tooltip, *g_penwidth, *g_kind, *g_level, *g_country;
    Agsym_t *n_label, *n_fillcolor, *n_fontcolor, *n_style, *n_id, *n_tooltip, *n_class,
        *n_penwidth, *n_level, *n_color, *n_fontsize, *n_kind;
    Agsym_t *e_style, *e_tooltip, *e_weight, *e_kind, *e_class, *e_color, *e_penwidth;
};

static char *S(const char *s) { return (char *)s; }

static void set_html(void *obj, Agsym_t *sym, const char *html) {
    Agraph_t *root = agroot(obj);
    /* An HTML string is a refstr with a flag; agxset keeps the same refstr
     * (it only bumps its count), so the flag survives. */
    char *h = agstrdup_html(root, S(html));
    agxset(obj, sym, h);
    agstrfree(root, h);
}

static void set(void *obj, Agsym_t *sym, const char *value) { agxset(obj, sym, S(value)); }

/* A name for cgraph: the model id, unless it holds something DOT cannot
 * quote back (a backslash, a control character); then "#<index>". */
static void node_name(const struct tocm_host *host, const tocm_model *m, size_t node,
                      struct buf *out) {
    const char *id = host->node_id(m, node);
    int plain = 1;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (*p == '\\' || *p < 0x20 || *p == 0x7F)
            plain = 0;
    buf_reset(out);
    if (plain) {
        buf_puts(out, id);
        return;
    }
    buf_printf(out, "#%zu", node);
    while (host->node_find(m, buf_str(out)) != TOCM_NONE)
        buf_puts(out, "#"); /* a model id that looks like ours: step aside */
}

/* ---- labels ------------------------------------------------------------ */

static void node_label(const struct tocm_host *host, const tocm_model *m, size_t node,
                       const struct render_opts *o, int wrap, struct buf *out) {
    buf_reset(out);
    const struct node_status *ns =
        o->color_by == COLOR_RAG && o->status && node < o->status->node_count
            ? &o->status->node[node]
            : NULL;
    if (ns) {
        /* The status's symbol before the id, and on the same line how many
         * indicators measure the node: no line more than the plain label,
         * so a page that fits coloured by level fits coloured by status. */
        buf_printf(out, "<b>%s ", rag_symbol(ns->rag));
        html_text(out, host->node_id(m, node));
        buf_puts(out, "</b>");
        if (ns->indicators)
            buf_printf(out, " \xC2\xB7 <i>%zu indicator%s</i>", ns->indicators,
                       ns->indicators == 1 ? "" : "s");
        const char *title = host->node_title(m, node);
        if (title && *title) {
            buf_puts(out, "<br/>");
            html_wrapped(out, title, wrap);
        }
        return;
    }
    buf_puts(out, "<b>");
    html_text(out, host->node_id(m, node));
    buf_puts(out, "</b>");
    const char *title = host->node_title(m, node);
    if (title && *title) {
        buf_puts(out, "<br/>");
        html_wrapped(out, title, wrap);
    }
    if (o->color_by == COLOR_STATUS) {
        const char *status = host->node_string(m, node, "status");
        if (status) {
            buf_puts(out, "<br/><i>");
            html_text(out, status);
            buf_puts(out, "</i>");
        }
    }
}

static struct swatch node_swatch(const struct tocm_host *host, const tocm_model *m, size_t node,
                                 const struct render_opts *o, const struct countries *countries,
                                 char buf[8]) {
    switch (o->color_by) {
    case COLOR_LEVEL:
        return level_swatch((size_t)host->node_level(m, node), host->level_count(m), buf);
    case COLOR_STATUS: {
        const char *status = host->node_string(m, node, "status");
        if (!status)
            return no_value;
        size_t k = status_index(status);
        return k == TOCM_NONE ? status_other : status_palette[k];
    }
    case COLOR_RAG: return rag_palette[node_rag(o, node)];
    case COLOR_COUNTRY: {
        const char *code = host->node_string(m, node, "country");
        size_t k = code ? countries_index(countries, code) : TOCM_NONE;
        return k == TOCM_NONE ? no_value : country_palette[k % COUNTRY_PALETTE_SIZE];
    }
    }
    return no_value;
}

/* Set by legend_colours for its cells: on a page, their text is wrapped,
 * and they are padded less (a page is short of height). */
static int legend_wrap = 400, legend_pad = 4;

static void legend_cell(struct buf *out, struct swatch s, const char *text) {
    buf_printf(out,
               "<td bgcolor=\"%s\" border=\"1\" color=\"#333333\" cellpadding=\"%d\">"
               "<font color=\"%s\">",
               s.fill, legend_pad, s.font);
    html_wrapped(out, text, legend_wrap);
    buf_puts(out, "</font></td>");
}

/* The legend's colour row: only the values the view shows. */
static void legend_colours(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                           const struct render_opts *o, const struct countries *countries,
                           struct buf *out) {
    size_t n = host->node_count(m);
    legend_wrap = o->compact ? 16 : 400;
    legend_pad = o->compact ? 1 : 4;
    buf_puts(out, "<tr><td align=\"left\"><b>Colour</b></td>");
    if (o->color_by == COLOR_LEVEL) {
        size_t levels = host->level_count(m);
        for (size_t l = 0; l < levels; l++) {
            int present = 0;
            for (size_t i = 0; i < n && !present; i++)
                present = v->shown[i] && host->node_level(m, i) == (long)l;
            if (!present)
                continue;
            const char *title = host->level_title(m, l);
            char hex[8];
            legend_cell(out, level_swatch(l, levels, hex), title ? title : host->level_id(m, l));
        }
    } else if (o->color_by == COLOR_RAG) {
        legend_wrap = 400; /* a few words each */
        int seen[4] = {0};
        for (size_t i = 0; i < n; i++)
            if (v->shown[i])
                seen[node_rag(o, i)] = 1;
        static const char *const meaning[] = {"no status yet", "all on track", "some behind",
                                              "half or more off track"};
        for (int r = RAG_GREEN; r <= RAG_RED + 1; r++) {
            enum rag k = r <= RAG_RED ? (enum rag)r : RAG_NONE;
            if (!seen[k])
                continue;
            struct buf t = {0};
            buf_printf(&t, "%s %s", rag_symbol(k), meaning[k]);
            legend_cell(out, rag_palette[k], buf_str(&t));
            buf_free(&t);
        }
    } else if (o->color_by == COLOR_STATUS) {
        int seen[STATUS_COUNT] = {0}, none = 0, other = 0;
        struct buf others = {0};
        for (size_t i = 0; i < n; i++) {
            if (!v->shown[i])
                continue;
            const char *status = host->node_string(m, i, "status");
            size_t k = status ? status_index(status) : TOCM_NONE;
            if (!status) {
                none = 1;
            } else if (k != TOCM_NONE) {
                seen[k] = 1;
            } else {
                /* Each unknown status once, in order of appearance. */
                int dup = 0;
                for (size_t j = 0; j < i && !dup; j++) {
                    const char *s = v->shown[j] ? host->node_string(m, j, "status") : NULL;
                    dup = s && strcmp(s, status) == 0;
                }
                if (!dup) {
                    if (other)
                        buf_puts(&others, ", ");
                    buf_puts(&others, status);
                    other = 1;
                }
            }
        }
        for (size_t k = 0; k < STATUS_COUNT; k++)
            if (seen[k])
                legend_cell(out, status_palette[k], statuses[k]);
        if (other)
            legend_cell(out, status_other, buf_str(&others));
        if (none)
            legend_cell(out, no_value, "no status");
        buf_free(&others);
    } else {
        int regional = 0;
        for (size_t c = 0; c < countries->count; c++) {
            int present = 0;
            for (size_t i = 0; i < n && !present; i++) {
                const char *code = v->shown[i] ? host->node_string(m, i, "country") : NULL;
                present = code && strcmp(code, countries->codes[c]) == 0;
            }
            if (present) {
                const char *name = country_name(countries->codes[c]);
                legend_cell(out, country_palette[c % COUNTRY_PALETTE_SIZE],
                            name ? name : countries->codes[c]);
            }
        }
        for (size_t i = 0; i < n && !regional; i++)
            regional = v->shown[i] && !host->node_string(m, i, "country");
        if (regional)
            legend_cell(out, no_value, "no country");
    }
    buf_puts(out, "</tr>");
}

/* What the key explains: only what the diagram shows. */
struct key {
    int inferred_node, inferred_link, country, through, direct_too, box, assumptions;
};

static void graph_label(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                        const struct render_opts *o, const struct countries *countries,
                        const struct key *key, struct buf *out) {
    const char *title = host->program_string(m, "title");
    struct buf sub = {0};
    view_describe(host, m, v, &sub);
    if (o->color_by == COLOR_RAG && o->status) {
        buf_printf(&sub, "; status in %s", o->status->period);
        if (!o->compact)
            buf_puts(&sub, ", rolled up from the indicators and projects beneath each result");
    }
    buf_puts(out, "<table border=\"0\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"2\">");
    buf_puts(out, "<tr><td align=\"left\"><font point-size=\"18\"><b>");
    html_text(out, title ? title : "");
    buf_puts(out, "</b></font></td></tr><tr><td align=\"left\" balign=\"left\">"
                  "<font point-size=\"13\">");
    struct buf wrapped = {0};
    html_wrapped(&wrapped, buf_str(&sub), o->compact ? 90 : 400);
    for (const char *p = buf_str(&wrapped); *p;) {
        const char *br = strstr(p, "<br/>");
        size_t len = br ? (size_t)(br - p) : strlen(p);
        buf_add(out, p, len);
        if (!br)
            break;
        buf_puts(out, "<br align=\"left\"/>");
        p = br + 5;
    }
    buf_free(&wrapped);
    buf_puts(out, "</font></td></tr>");
    buf_free(&sub);

    /* The legend: a table per row, so rows do not share column widths. */
    buf_printf(out,
               "<tr><td align=\"left\"><table align=\"left\" border=\"0\" cellborder=\"0\" "
               "cellspacing=\"%d\" cellpadding=\"%d\">",
               o->compact ? 1 : 3, o->compact ? 0 : 2);
    /* On a page coloured by level, the grey tags name the levels already. */
    if (!(o->compact && o->color_by == COLOR_LEVEL))
        legend_colours(host, m, v, o, countries, out);
    else
        buf_puts(out, "<tr><td></td></tr>");
    buf_puts(out, "</table></td></tr>");
    /* The key, lines of text: Graphviz spreads a nested table's spare
     * width over its cells, which would scatter separate cells. On a page,
     * two items a line, so the key is no wider than the drawing. */
    const char *items[12];
    size_t count = 0;
    items[count++] = "\xE2\x80\x94\xE2\x80\x94\xE2\x96\xB6 contributes to";
    if (key->inferred_link)
        items[count++] = "- - \xE2\x96\xB6 link inferred by the modeller";
    if (key->through)
        items[count++] = "\xC2\xB7\xC2\xB7\xC2\xB7\xE2\x96\xB6 through the project's cluster";
    if (key->direct_too)
        items[count++] = "thick line: also cited directly by projects in the box";
    if (key->inferred_node)
        items[count++] = "dashed border: node inferred by the modeller";
    if (v->kind == VIEW_NODE)
        items[count++] = "thick border: the node in focus";
    if (o->compact && o->color_by == COLOR_LEVEL)
        items[count++] = o->direction == DIR_TB || o->direction == DIR_BT
                             ? "grey tags: levels, one row and one colour each"
                             : "grey tags: levels, one column and one colour each";
    else
        items[count++] = o->direction == DIR_TB || o->direction == DIR_BT
                             ? "grey tags: levels, one row each"
                             : "grey tags: levels, one column each";
    if (key->country)
        items[count++] = "framed boxes: countries";
    if (key->box && v->projects == PROJECTS_LIST)
        items[count++] = "\xE2\x97\x8F after a listed project: it also cites the cluster's "
                         "outcomes directly";
    else if (key->box)
        items[count++] = "projects counted in their cluster";
    if (key->assumptions)
        items[count++] = "notes: the assumptions behind a node's links";
    static const char sep[] = " \xC2\xA0\xC2\xB7\xC2\xA0 "; /* a spaced middle dot */
    size_t per_line = o->compact ? 2 : count;
    buf_puts(out, "<tr><td align=\"left\" balign=\"left\"><b>Key</b>  ");
    for (size_t i = 0; i < count; i++) {
        if (i && i % per_line == 0)
            buf_puts(out, "<br align=\"left\"/>");
        else if (i)
            buf_puts(out, sep);
        buf_puts(out, items[i]);
    }
    buf_puts(out, "<br align=\"left\"/></td></tr></table>");
}

/* ---- clusters that hold their projects ---------------------------------- */

/* What lies beneath the projects folded into each shown node (view.c
 * folds activities and the like where their projects went): how many, and
 * the highest of their levels. */
struct beneath {
    size_t *count;
    long *level;
};

static int beneath_collect(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                           struct beneath *b) {
    size_t n = v->node_count;
    b->count = calloc(n ? n : 1, sizeof *b->count);
    b->level = malloc((n ? n : 1) * sizeof *b->level);
    if (!b->count || !b->level)
        return -1;
    for (size_t i = 0; i < n; i++)
        b->level[i] = -1;
    for (size_t i = 0; i < n; i++) {
        size_t h = v->home[i];
        if (h == TOCM_NONE || h >= n || view_is_project(host, m, v, i))
            continue;
        b->count[h]++;
        long l = host->node_level(m, i);
        if (b->level[h] < 0 || l < b->level[h])
            b->level[h] = l;
    }
    return 0;
}

/* "412 beneath them (Activity and below)", in italics. */
static void beneath_text(const struct tocm_host *host, const tocm_model *m, const struct beneath *b,
                         size_t node, const char *them, struct buf *out) {
    long l = b->level[node];
    const char *title = host->level_title(m, (size_t)l);
    buf_printf(out, "<i>%zu beneath %s (", b->count[node], them);
    html_text(out, title ? title : host->level_id(m, (size_t)l));
    buf_puts(out, l + 1 < (long)host->level_count(m) ? " and below)</i>" : ")</i>");
}

/* The first words of a title, at most max columns, with an ellipsis when
 * cut. */
static void short_title(struct buf *out, const char *title, int max) {
    if (!title)
        return;
    size_t len = 0, cut = 0;
    int cols = 0;
    uint32_t cp;
    while (title[len]) {
        size_t k = utf8_decode(title + len, &cp);
        if (cp == '\n' || cp == '\r')
            break;
        if (cols + cp_width(cp) > max) {
            if (!cut)
                cut = len;
            struct buf t = {0};
            buf_add(&t, title, cut);
            html_text(out, buf_str(&t));
            buf_puts(out, "\xE2\x80\xA6");
            buf_free(&t);
            return;
        }
        if (cp == ' ')
            cut = len;
        cols += cp_width(cp);
        len += k;
    }
    struct buf t = {0};
    buf_add(&t, title, len);
    html_text(out, buf_str(&t));
    buf_free(&t);
}

/* The projects folded into cluster c, or into another cluster but also
 * citing c, sorted by country then id. */
static size_t folded_projects(const struct tocm_host *host, const tocm_model *m,
                              const struct view *v, size_t c, size_t *out) {
    size_t count = 0;
    for (size_t k = 0; k < host->node_in_count(m, c); k++) {
        size_t p = host->node_in(m, c, k);
        /* A project of two clusters is listed in both (drawn once, in the
         * first): a link between two boxes of the same level would be a
         * flat edge Graphviz routes badly around tall boxes. */
        if (p < v->node_count && v->home[p] != TOCM_NONE &&
            (v->home[p] == c || view_is_project(host, m, v, p))) {
            size_t j = 0;
            while (j < count && out[j] != p)
                j++;
            if (j == count)
                out[count++] = p;
        }
    }
    sort_nodes(host, m, out, count);
    return count;
}

#define LIST_ROWS 10 /* rows per column of a cluster's list */

/* The label of a cluster node that holds its projects: its id and title,
 * then the projects (list: id and short title, a column per LIST_ROWS,
 * each cell a port the project's own links leave from; count: how many per
 * country). scratch has room for every node. */
static void cluster_box_label(const struct tocm_host *host, const tocm_model *m,
                              const struct view *v, size_t c, const struct render_opts *o,
                              const struct beneath *b, size_t *scratch, int *any_direct,
                              struct buf *out) {
    size_t count = folded_projects(host, m, v, c, scratch);
    size_t beneath = b->count[c];
    buf_reset(out);
    size_t cols = v->projects == PROJECTS_LIST && count ? (count + LIST_ROWS - 1) / LIST_ROWS : 1;
    buf_printf(out,
               "<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">"
               "<tr><td colspan=\"%zu\" align=\"left\" balign=\"left\"><b>",
               cols);
    html_text(out, host->node_id(m, c));
    buf_puts(out, "</b>");
    const char *title = host->node_title(m, c);
    if (title && *title) {
        buf_puts(out, "<br align=\"left\"/>");
        html_wrapped(out, title, o->wrap + 6);
    }
    buf_puts(out, "<br align=\"left\"/></td></tr>");
    if (count == 0 && beneath == 0) {
        buf_puts(out, "</table>");
        return;
    }
    struct buf under = {0};
    if (beneath) {
        buf_printf(&under, "<tr><td colspan=\"%zu\" align=\"left\">", cols);
        beneath_text(host, m, b, c, "them", &under);
        buf_puts(&under, "</td></tr>");
    }
    if (v->projects == PROJECTS_COUNT || v->projects == PROJECTS_HIDE) {
        /* By country; "7 projects (VN)" when they share one (a country
         * page), not "7 projects: VN 7". */
        const char *first = count ? host->node_string(m, scratch[0], "country") : NULL;
        int one = count > 0 &&
                  country_cmp(host->node_string(m, scratch[count - 1], "country"), first) == 0;
        buf_printf(out, "<tr><td align=\"left\"><i>%zu project%s%s", count, count == 1 ? "" : "s",
                   one ? " (" : ":");
        if (one) {
            html_text(out, first ? first : "regional");
            buf_puts(out, ")");
        }
        for (size_t i = 0; i < count && !one;) {
            const char *code = host->node_string(m, scratch[i], "country");
            size_t j = i + 1;
            while (j < count && country_cmp(host->node_string(m, scratch[j], "country"), code) == 0)
                j++;
            buf_printf(out, "%s %s %zu", i ? " \xC2\xB7" : "", code ? code : "regional", j - i);
            i = j;
        }
        buf_puts(out, "</i></td></tr>");
        buf_puts(out, buf_str(&under));
        buf_puts(out, "</table>");
        buf_free(&under);
        return;
    }
    size_t rows = (count + cols - 1) / cols;
    for (size_t r = 0; r < rows; r++) {
        buf_puts(out, "<tr>");
        for (size_t col = 0; col < cols; col++) {
            size_t i = col * rows + r;
            if (i >= count) {
                buf_puts(out, "<td></td>");
                continue;
            }
            size_t p = scratch[i];
            buf_printf(out, "<td align=\"left\" port=\"p%zu\">", p);
            int direct = 0;
            for (size_t k = 0; k < host->node_out_count(m, p) && !direct; k++) {
                size_t to = host->node_out(m, p, k);
                direct = to != c && to < v->node_count && v->shown[to] &&
                         view_links(host, m, c, to, NULL);
            }
            *any_direct |= direct;
            buf_puts(out, "<b>");
            html_text(out, host->node_id(m, p));
            buf_puts(out, "</b>");
            if (direct)
                buf_puts(out, " \xE2\x97\x8F");
            buf_puts(out, " ");
            short_title(out, host->node_title(m, p), cols > 2 ? 16 : cols == 2 ? 24 : 32);
            buf_puts(out, "</td>");
        }
        buf_puts(out, "</tr>");
    }
    buf_puts(out, buf_str(&under));
    buf_puts(out, "</table>");
    buf_free(&under);
}

/* ---- the graph ----------------------------------------------------------- */

static const char *rankdir(enum direction d) {
    switch (d) {
    case DIR_TB: return "BT";
    case DIR_BT: return "TB";
    case DIR_LR: return "LR";
    case DIR_RL: return "RL";
    }
    return "BT";
}

static void declare(Agraph_t *g, struct syms *s, int compact, int wide) {
    /* Graph (and band/cluster) attributes. Defaults are "" where the root
     * and the subgraphs differ, so each sets its own. */
    agattr(g, AGRAPH, S("newrank"), S("true"));
    /* The rows are created in the diagrams' order, and the invisible links
     * chain them in it; dot's crossing minimisation would still reorder
     * nodes inside clusters and the clusters themselves, so it is all but
     * switched off: the same order on every page, and large views lay out
     * in seconds. */
    agattr(g, AGRAPH, S("mclimit"), S("0.001"));
    agattr(g, AGRAPH, S("fontname"), S(FONT));
    agattr(g, AGRAPH, S("bgcolor"), S("white"));
    agattr(g, AGRAPH, S("pad"), S(compact ? "0.1" : "0.3"));
    agattr(g, AGRAPH, S("nodesep"), S(compact ? "0.14" : "0.22"));
    /* On a page left to right, the levels are columns and the drawing is
     * as wide as the page allows: narrower gaps leave larger text. */
    agattr(g, AGRAPH, S("ranksep"), S(compact ? (wide ? "0.3" : "0.4") : "0.6"));
    agattr(g, AGRAPH, S("outputorder"), S("edgesfirst"));
    s->g_label = agattr(g, AGRAPH, S("label"), S(""));
    s->g_style = agattr(g, AGRAPH, S("style"), S(""));
    s->g_fillcolor = agattr(g, AGRAPH, S("fillcolor"), S(""));
    s->g_color = agattr(g, AGRAPH, S("color"), S(""));
    s->g_penwidth = agattr(g, AGRAPH, S("penwidth"), S("1"));
    s->g_labeljust = agattr(g, AGRAPH, S("labeljust"), S("l"));
    s->g_labelloc = agattr(g, AGRAPH, S("labelloc"), S("t"));
    s->g_fontsize = agattr(g, AGRAPH, S("fontsize"), S("12"));
    s->g_rank = agattr(g, AGRAPH, S("rank"), S(""));
    s->g_id = agattr(g, AGRAPH, S("id"), S(""));
    s->g_tooltip = agattr(g, AGRAPH, S("tooltip"), S(""));
    s->g_kind = agattr(g, AGRAPH, S("tocm_kind"), S(""));
    s->g_level = agattr(g, AGRAPH, S("tocm_level"), S(""));
    s->g_country = agattr(g, AGRAPH, S("tocm_country"), S(""));

    agattr(g, AGNODE, S("shape"), S("box"));
    agattr(g, AGNODE, S("fontname"), S(FONT));
    s->n_fontsize = agattr(g, AGNODE, S("fontsize"), S("10"));
    agattr(g, AGNODE, S("margin"), S(compact ? "0.08,0.045" : "0.12,0.06"));
    s->n_color = agattr(g, AGNODE, S("color"), S("#333333"));
    s->n_style = agattr(g, AGNODE, S("style"), S("rounded,filled"));
    s->n_penwidth = agattr(g, AGNODE, S("penwidth"), S("1"));
    s->n_label = agattr(g, AGNODE, S("label"), S(""));
    s->n_fillcolor = agattr(g, AGNODE, S("fillcolor"), S("white"));
    s->n_fontcolor = agattr(g, AGNODE, S("fontcolor"), S("black"));
    s->n_id = agattr(g, AGNODE, S("id"), S(""));
    s->n_tooltip = agattr(g, AGNODE, S("tooltip"), S(""));
    s->n_class = agattr(g, AGNODE, S("class"), S(""));
    s->n_level = agattr(g, AGNODE, S("tocm_level"), S(""));
    s->n_kind = agattr(g, AGNODE, S("tocm_kind"), S(""));

    s->e_color = agattr(g, AGEDGE, S("color"), S("#4d4d4d"));
    agattr(g, AGEDGE, S("arrowsize"), S("0.6"));
    s->e_penwidth = agattr(g, AGEDGE, S("penwidth"), S("0.8"));
    s->e_style = agattr(g, AGEDGE, S("style"), S("solid"));
    s->e_tooltip = agattr(g, AGEDGE, S("tooltip"), S(""));
    s->e_weight = agattr(g, AGEDGE, S("weight"), S("1"));
    s->e_class = agattr(g, AGEDGE, S("class"), S(""));
    s->e_kind = agattr(g, AGEDGE, S("tocm_kind"), S(""));
}

struct band {
    Agraph_t *rank;
    Agnode_t *head; /* the label node */
    size_t first;   /* the first node shown on the level, or TOCM_NONE */
    size_t count;
};

struct link_ctx {
    enum direction direction;
    const struct tocm_host *host;
    const tocm_model *m;
    const struct view *v;
    const struct syms *s;
    Agnode_t **gnodes;
    struct buf *text;
    int any_inferred, any_through, any_direct_too;
};

static int add_link(const struct drawn_link *l, void *ctx) {
    struct link_ctx *c = ctx;
    const struct syms *s = c->s;
    Agnode_t *t = c->gnodes[l->tail], *h = c->gnodes[l->to];
    if (!t || !h)
        return 0;
    Agraph_t *g = agroot(t);
    Agedge_t *e = agedge(g, t, h, NULL, 1);
    if (!e)
        return -1;
    struct buf *text = c->text;
    if (l->inferred) {
        set(e, s->e_style, "dashed");
        set(e, s->e_class, "inferred");
        c->any_inferred = 1;
    }
    if (l->kind == LINK_THROUGH) {
        set(e, s->e_style, "dotted");
        set(e, s->e_class, l->inferred ? "through-cluster inferred" : "through-cluster");
        set(e, s->e_color, "#7a7a7a");
        c->any_through = 1;
    }
    if (l->kind == LINK_LISTED && c->v->projects == PROJECTS_LIST &&
        view_is_project(c->host, c->m, c->v, l->from)) {
        /* From the project's row, on the side that faces the goal. */
        static const char *const side[] = {"n", "s", "e", "w"};
        buf_reset(text);
        buf_printf(text, "p%zu:%s", l->from, side[c->direction]);
        agsafeset(e, S("tailport"), S(buf_str(text)), S(""));
    }
    if (l->direct_too) {
        set(e, s->e_penwidth, "2.2");
        c->any_direct_too = 1;
    }
    buf_reset(text);
    tooltip_text(text, c->host->node_id(c->m, l->from));
    buf_puts(text, " \xE2\x86\x92 ");
    tooltip_text(text, c->host->node_id(c->m, l->to));
    if (l->kind == LINK_THROUGH) {
        buf_puts(text, " through ");
        tooltip_text(text, c->host->node_id(c->m, l->via));
    }
    if (l->inferred)
        buf_puts(text, " (inferred)");
    if (l->direct_too)
        buf_puts(text, "; also cited directly by projects listed in the box");
    set(e, s->e_tooltip, buf_str(text));
    return 0;
}

Agraph_t *build_graph(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                      const struct render_opts *o) {
    size_t n = host->node_count(m), levels = host->level_count(m);
    struct countries countries = {0};
    struct band *bands = calloc(levels ? levels : 1, sizeof *bands);
    Agnode_t **gnodes = calloc(n ? n : 1, sizeof *gnodes);
    Agraph_t **clusters = NULL; /* [level * (countries + 1) + country]; last: regional */
    struct buf text = {0}, name = {0};
    Agraph_t *g = NULL;
    if (!bands || !gnodes || countries_collect(host, m, &countries) != 0)
        goto done;
    size_t per_level = countries.count + 1;
    clusters = calloc(levels * per_level + 1, sizeof *clusters);
    if (!clusters)
        goto done;

    const char *pid = host->program_string(m, "id");
    int plain_pid = pid && *pid && !strpbrk(pid, "\\\n\r\t");
    g = agopen(S(plain_pid ? pid : "tocm"), Agdirected, NULL);
    if (!g)
        goto done;
    struct syms s;
    declare(g, &s, o->compact, o->direction == DIR_LR || o->direction == DIR_RL);
    agattr(g, AGRAPH, S("rankdir"), S(rankdir(o->direction)));
    set(g, s.g_labeljust, "l");
    set(g, s.g_labelloc, "t");
    set(g, s.g_id, "tocm-diagram");

    int any_country = 0;
    /* Bands, top level first: a row (rank=same) per level, headed by a
     * label node that invisible flat links keep first in the row (dot draws
     * a flat link's tail before its head). Not clusters: a cluster band would
     * make every link that skips a level detour around it. */
    for (size_t i = 0; i < n; i++) {
        if (!v->shown[i])
            continue;
        size_t l = (size_t)host->node_level(m, i);
        if (bands[l].count++ == 0)
            bands[l].first = i;
    }
    for (size_t l = 0; l < levels; l++) {
        if (!bands[l].count)
            continue;
        buf_reset(&name);
        buf_printf(&name, "level_%zu", l);
        Agraph_t *band = agsubg(g, S(buf_str(&name)), 1);
        bands[l].rank = band;
        set(band, s.g_rank, "same");
        set(band, s.g_kind, "band");
        set(band, s.g_level, host->level_id(m, l));

        buf_reset(&name);
        buf_printf(&name, "tocm:level:%zu", l);
        while (host->node_find(m, buf_str(&name)) != TOCM_NONE)
            buf_puts(&name, ":");
        Agnode_t *head = agnode(g, S(buf_str(&name)), 1);
        agsubnode(band, head, 1);
        bands[l].head = head;
        const char *title = host->level_title(m, l);
        buf_reset(&text);
        buf_puts(&text, "<b>");
        html_wrapped(&text, title ? title : host->level_id(m, l), 18);
        buf_printf(&text, "</b><br/>%zu node%s", bands[l].count, bands[l].count == 1 ? "" : "s");
        set_html(head, s.n_label, buf_str(&text));
        set(head, s.n_style, "filled");
        set(head, s.n_fillcolor, "#e6e6e6");
        set(head, s.n_color, "#e6e6e6");
        set(head, s.n_fontsize, "12");
        set(head, s.n_kind, "band-label");
        set(head, s.n_level, host->level_id(m, l));
        buf_reset(&text);
        buf_puts(&text, "level:");
        id_text(&text, host->level_id(m, l));
        set(head, s.n_id, buf_str(&text));
        set(head, s.n_class, "band-label");

        /* Country clusters on this level, sorted by code; in the mapping,
         * regional projects get a cluster too. */
        for (size_t c = 0; c <= countries.count; c++) {
            int regional = c == countries.count;
            if (regional && !(v->kind == VIEW_MAPPING && l == v->project_level))
                continue;
            int present = 0;
            for (size_t i = 0; i < n && !present; i++) {
                if (!v->shown[i] || host->node_level(m, i) != (long)l)
                    continue;
                const char *code = host->node_string(m, i, "country");
                present = regional ? !code : code && strcmp(code, countries.codes[c]) == 0;
            }
            if (!present)
                continue;
            const char *code = regional ? "regional" : countries.codes[c];
            buf_reset(&name);
            buf_printf(&name, "cluster_country_%zu_%s", l, code);
            Agraph_t *cl = agsubg(g, S(buf_str(&name)), 1);
            any_country = 1;
            clusters[l * per_level + c] = cl;
            buf_reset(&text);
            buf_puts(&text, "<b>");
            const char *cname = regional ? NULL : country_name(code);
            if (regional)
                buf_puts(&text, "Regional (no country)");
            else if (cname)
                buf_printf(&text, "%s (%s)", cname, code);
            else
                buf_puts(&text, code);
            buf_puts(&text, "</b>");
            set_html(cl, s.g_label, buf_str(&text));
            set(cl, s.g_style, "rounded,filled");
            set(cl, s.g_fillcolor, "white");
            set(cl, s.g_color, "#666666");
            set(cl, s.g_penwidth, "1.2");
            set(cl, s.g_fontsize, "12");
            set(cl, s.g_labelloc, o->direction == DIR_TB ? "b" : "t");
            set(cl, s.g_kind, "country");
            set(cl, s.g_level, host->level_id(m, l));
            set(cl, s.g_country, regional ? "" : code);
            buf_reset(&text);
            buf_printf(&text, "country:%s:", code);
            id_text(&text, host->level_id(m, l));
            set(cl, s.g_id, buf_str(&text));
        }
    }

    /* Nodes, in the diagrams' order, each row chained in it. */
    size_t *order = malloc((n ? n : 1) * sizeof *order), shown_n = 0;
    size_t *scratch = malloc((n ? n : 1) * sizeof *scratch);
    Agnode_t **last = calloc(levels ? levels : 1, sizeof *last);
    struct beneath under = {0};
    if (!order || !scratch || !last || beneath_collect(host, m, v, &under) != 0) {
        free(order);
        free(scratch);
        free(last);
        free(under.count);
        free(under.level);
        agclose(g);
        g = NULL;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (v->shown[i])
            order[shown_n++] = i;
    sort_nodes(host, m, order, shown_n);
    /* Past LARGE_VIEW nodes, the network simplex that places nodes along
     * the rows is cut short (nslimit: passes per node): it takes most of
     * the layout time of a large view (measured on the generated models,
     * tests/render/bench_render.sh: 2,000 nodes 3.6 -> 1.4 s of CPU, 5,000
     * nodes 33 -> 15 s), and a view that large is read zoomed in, where
     * slightly longer links do not matter. */
    if (shown_n > LARGE_VIEW)
        agattr(g, AGRAPH, S("nslimit"), S("0.1"));
    int any_inferred_node = 0, any_inferred_link = 0, any_direct = 0, any_box = 0, any_note = 0;
    for (size_t oi = 0; oi < shown_n; oi++) {
        size_t i = order[oi];
        size_t l = (size_t)host->node_level(m, i);
        node_name(host, m, i, &name);
        Agnode_t *gn = agnode(g, S(buf_str(&name)), 1);
        gnodes[i] = gn;
        agsubnode(bands[l].rank, gn, 1);
        /* dot keeps a flat link's tail left of its head only when its
         * weight is not 0. */
        /* Past CHAIN_LIMIT nodes the chain is left out: dot's flat links
         * cost more than the whole layout, and creation order with the
         * crossing minimisation cut short keeps most of the order. */
        Agedge_t *keep_left =
            agedge(g, last[l] && shown_n <= CHAIN_LIMIT ? last[l] : bands[l].head, gn, NULL, 1);
        set(keep_left, s.e_style, "invis");
        set(keep_left, s.e_kind, "band-order");
        if (shown_n > CHAIN_LIMIT)
            set(keep_left, s.e_weight, "0");
        const char *code = host->node_string(m, i, "country");
        size_t c = code ? countries_index(&countries, code) : countries.count;
        Agraph_t *cl = c != TOCM_NONE ? clusters[l * per_level + c] : NULL;
        if (cl) {
            agsubnode(cl, gn, 1);
            /* Inside a cluster, dot orders the cluster's own links. */
            if (last[l] && shown_n <= CHAIN_LIMIT && agsubnode(cl, last[l], 0))
                agsubedge(cl, keep_left, 1);
        }
        last[l] = gn;

        int is_box = v->projects != PROJECTS_NODES && view_is_cluster(host, m, v, i);
        if (is_box) {
            cluster_box_label(host, m, v, i, o, &under, scratch, &any_direct, &text);
            any_box = 1;
        } else {
            /* On a page, a row of one or two nodes (the goal, an EOPO)
             * takes wider, shorter boxes. */
            int wrap = o->wrap;
            int rows = o->direction == DIR_TB || o->direction == DIR_BT;
            if (o->compact && rows && bands[l].count <= 2)
                wrap = o->wrap * 2;
            node_label(host, m, i, o, wrap, &text);
            if (under.count[i]) {
                buf_puts(&text, "<br/>");
                beneath_text(host, m, &under, i, "it", &text);
            }
        }
        set_html(gn, s.n_label, buf_str(&text));
        char hex[8];
        struct swatch sw = node_swatch(host, m, i, o, &countries, hex);
        set(gn, s.n_fillcolor, sw.fill);
        set(gn, s.n_fontcolor, sw.font);
        int inferred = host->node_is_inferred(m, i);
        any_inferred_node |= inferred;
        if (inferred)
            set(gn, s.n_style, "rounded,filled,dashed");
        if (v->kind == VIEW_NODE && i == v->focus)
            set(gn, s.n_penwidth, "3");
        buf_reset(&text);
        id_text(&text, host->node_id(m, i));
        set(gn, s.n_id, buf_str(&text));
        const char *desc = host->node_string(m, i, "description");
        buf_reset(&text);
        tooltip_text(&text, desc ? desc : host->node_title(m, i));
        if (o->color_by == COLOR_RAG && o->status) {
            /* What the status stands on, for the SVG's tooltip. */
            const struct node_status *ns = &o->status->node[i];
            buf_puts(&text, "\n\n");
            buf_printf(&text, "%s %s in ", rag_symbol(ns->rag), rag_words(ns->rag));
            tooltip_text(&text, o->status->period);
            if (ns->rollup) {
                buf_puts(&text, "\n");
                tooltip_text(&text, ns->rollup);
            }
            if (ns->measured) {
                buf_puts(&text, "\nIndicators of this result:\n");
                tooltip_text(&text, ns->measured);
            }
        }
        set(gn, s.n_tooltip, buf_str(&text));
        buf_reset(&text);
        buf_puts(&text, "level-");
        class_text(&text, host->level_id(m, l));
        if (code) {
            buf_puts(&text, " country-");
            class_text(&text, code);
        }
        if (inferred)
            buf_puts(&text, " inferred");
        if (o->color_by == COLOR_RAG) {
            buf_printf(&text, " rag-%s", rag_name(node_rag(o, i)));
            agsafeset(gn, S("tocm_status"), S(rag_name(node_rag(o, i))), S(""));
        }
        set(gn, s.n_class, buf_str(&text));
        set(gn, s.n_level, host->level_id(m, l));

        /* Its assumptions, as a note beside it in its row. */
        size_t assumptions = o->assumptions ? host->node_list_count(m, i, "assumptions") : 0;
        if (assumptions) {
            buf_reset(&name);
            node_name(host, m, i, &name);
            buf_puts(&name, ":assumptions");
            Agnode_t *note = agnode(g, S(buf_str(&name)), 1);
            agsubnode(bands[l].rank, note, 1);
            buf_reset(&text);
            buf_puts(&text, "<b>Assumptions</b>");
            for (size_t k = 0; k < assumptions; k++) {
                buf_puts(&text, "<br align=\"left\"/>\xE2\x80\xA2 ");
                html_wrapped(&text, host->node_list_item(m, i, "assumptions", k), o->wrap + 4);
            }
            buf_puts(&text, "<br align=\"left\"/>");
            set_html(note, s.n_label, buf_str(&text));
            agsafeset(note, S("shape"), S("note"), S("box"));
            set(note, s.n_style, "filled");
            set(note, s.n_fillcolor, "#fff7d6");
            set(note, s.n_kind, "assumptions");
            set(note, s.n_level, host->level_id(m, l));
            Agedge_t *tie = agedge(g, gn, note, NULL, 1);
            set(tie, s.e_style, "dotted");
            set(tie, s.e_kind, "assumptions");
            agsafeset(tie, S("arrowhead"), S("none"), S("normal"));
            last[l] = note;
            any_note = 1;
        }
    }

    /* Links, in file order. */
    struct link_ctx lc = {o->direction, host, m, v, &s, gnodes, &text, 0, 0, 0};
    view_each_link(host, m, v, add_link, &lc);
    any_inferred_link |= lc.any_inferred;
    free(order);
    free(scratch);
    free(last);
    free(under.count);
    free(under.level);

    /* The band labels, chained from the bottom up: they keep the bands in
     * level order even where no drawn link joins two neighbouring bands (the
     * mapping draws no outcome-to-outcome links), and line up. */
    size_t upper = TOCM_NONE;
    for (size_t l = 0; l < levels; l++) {
        if (!bands[l].count)
            continue;
        if (upper != TOCM_NONE) {
            Agedge_t *e = agedge(g, bands[l].head, bands[upper].head, NULL, 1);
            set(e, s.e_style, "invis");
            set(e, s.e_kind, "band-order");
        }
        upper = l;
    }

    buf_reset(&text);
    struct key key = {any_inferred_node,
                      any_inferred_link,
                      any_country,
                      lc.any_through,
                      lc.any_direct_too || any_direct,
                      any_box,
                      any_note};
    graph_label(host, m, v, o, &countries, &key, &text);
    set_html(g, s.g_label, buf_str(&text));
    set(g, s.g_fontsize, "12");
    if (text.failed || name.failed) {
        agclose(g);
        g = NULL;
    }

done:
    buf_free(&text);
    buf_free(&name);
    free(countries.codes);
    free(clusters);
    free(gnodes);
    free(bands);
    return g;
}
