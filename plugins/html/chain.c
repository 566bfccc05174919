/*
 * chain.c -- the results chain at the top of the page: Graphviz (cgraph and
 * gvc, in process) lays it out, and this file draws the SVG from the
 * layout itself.
 *
 * Why not the graphviz plugin's SVG: plugins cannot call each other, and
 * handing a diagram over through the CLI would need a new ABI slot and make
 * `tocm report` know about diagrams. More to the point, the page needs a
 * different drawing: each box a link into the page (#node-ID), the page's
 * status colours with a symbol and a word in every box, the page's fonts,
 * and text escaped by the page's own SVG escaper. So Graphviz does what it
 * is best at, the layout (positions and edge splines), and the drawing is
 * the page's. The graph is read through the host API, as any plugin does.
 *
 * Left to right, the goal on the right: a chain of 3-5 levels is then a few
 * columns wide and fits the page width, where a top-down drawing of nine
 * outcomes side by side would shrink its text below reading size.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html_internal.h"

#ifdef TOCM_HTML_GRAPHVIZ
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

/* Graphviz 2.43 leaves a few allocations of its own behind (gvc's plugin
 * table, pieces of a layout). In a sanitizer build what it allocates
 * between these marks is not reported as a leak (LeakSanitizer's own API,
 * per thread), as plugins/graphviz does; the page's own buffers are never
 * allocated in between, so a leak of this plugin is still caught. */
#if defined(__SANITIZE_ADDRESS__)
#define HTML_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HTML_LSAN 1
#endif
#endif
#ifdef HTML_LSAN
#include <sanitizer/lsan_interface.h>
#define GVC_LEAKS_BEGIN() __lsan_disable()
#define GVC_LEAKS_END() __lsan_enable()
#else
#define GVC_LEAKS_BEGIN() ((void)0)
#define GVC_LEAKS_END() ((void)0)
#endif
#endif

#define WRAP 26     /* characters per line of a box */
#define MAX_LINES 5 /* lines of title per box; the rest is cut with an ellipsis */

/* Which nodes the diagram shows. */
static int drawn(struct page *p, size_t node) {
    if (strcmp(p->chain_view, "full") == 0)
        return 1;
    long level = p->host->node_level(p->m, node);
    return level == 0 || (level > 0 && p->host->level_is_outcome(p->m, (size_t)level));
}

/* The title cut into lines of at most WRAP characters at spaces (a longer
 * word is cut), at most MAX_LINES of them. Returns the number of lines;
 * starts[i]/lens[i] are byte ranges into s, *cut is 1 when text was left
 * out. */
static size_t wrap(const char *s, size_t starts[], size_t lens[], int *cut) {
    size_t n = 0, pos = 0, total = strlen(s);
    *cut = 0;
    while (pos < total && n < MAX_LINES) {
        while (s[pos] == ' ')
            pos++;
        if (pos >= total)
            break;
        size_t chars = 0, i = pos, last_space = 0;
        while (i < total && chars < WRAP) {
            if (s[i] == ' ')
                last_space = i;
            i++;
            while (i < total && ((unsigned char)s[i] & 0xC0) == 0x80)
                i++;
            chars++;
        }
        size_t end = i;
        if (i < total && s[i] != ' ' && last_space > pos)
            end = last_space;
        starts[n] = pos;
        lens[n] = end - pos;
        n++;
        pos = end;
    }
    while (pos < total && s[pos] == ' ')
        pos++;
    *cut = pos < total;
    return n;
}

/* A box shows at most ID_CHARS characters of its id (the full id is in its
 * tooltip and its block): a long id would run out of the box. The id goes
 * through the SVG escaper when `svg`, as is into the layout label. */
#define ID_CHARS 18
static void short_id(struct hbuf *b, const char *id, int svg) {
    size_t i = 0, chars = 0;
    while (id[i] && chars < ID_CHARS) {
        i++;
        while (((unsigned char)id[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    char *head = strndup(id, i);
    if (!head) {
        b->failed = 1;
        return;
    }
    if (svg)
        hb_svg(b, head);
    else
        hb_puts(b, head);
    free(head);
    if (id[i])
        hb_puts(b, "\u2026");
}

static void legend(struct hbuf *o) {
    static const char *const items[][3] = {
        {"ok", "\u2713", "achieved"},
        {"track", "\u2192", "on track"},
        {"off", "\u2717", "off track"},
        {"none", "\u2013", "no status yet (no target, or not reported)"},
    };
    hb_puts(o, "<ul class=\"legend\" aria-label=\"Legend\">");
    for (size_t i = 0; i < 4; i++)
        hb_printf(o, "<li><span class=\"st st-%s\">%s %s</span></li>", items[i][0], items[i][1],
                  items[i][2]);
    hb_puts(o, "</ul>\n");
}

#ifdef TOCM_HTML_GRAPHVIZ

static const char *fill_of(const char *cls) {
    return strcmp(cls, "ok") == 0      ? "#dff0e3"
           : strcmp(cls, "track") == 0 ? "#e0ecf8"
           : strcmp(cls, "off") == 0   ? "#f9e0e2"
                                       : "#f1f1f1";
}

static const char *stroke_of(const char *cls) {
    return strcmp(cls, "ok") == 0      ? "#1d6b34"
           : strcmp(cls, "track") == 0 ? "#1f5c99"
           : strcmp(cls, "off") == 0   ? "#a4232f"
                                       : "#666666";
}

/* Text as Graphviz reads a label: it expands \N, \l and the like, and
 * turns entities such as &lt; into characters, so both are escaped for the
 * text to be measured as it will be drawn. */
static void layout_text(struct hbuf *b, const char *s, size_t n) {
    for (size_t k = 0; k < n; k++)
        if (s[k] == '\\')
            hb_puts(b, "\\\\");
        else if (s[k] == '&')
            hb_puts(b, "&amp;");
        else
            hb_put(b, s + k, 1);
}

/* The label Graphviz measures: the lines the box will show. The text is
 * never drawn by Graphviz, so nothing but its own escapes matters here. */
static void layout_label(struct hbuf *b, const char *head, const char *title) {
    layout_text(b, head, strlen(head));
    size_t starts[MAX_LINES], lens[MAX_LINES];
    int cut;
    size_t n = wrap(title, starts, lens, &cut);
    for (size_t i = 0; i < n; i++) {
        hb_puts(b, "\\n");
        layout_text(b, title + starts[i], lens[i]);
    }
    if (cut)
        hb_puts(b, "...");
}

static void pt(struct hbuf *o, double x, double y, double top) {
    hb_num(o, x);
    hb_puts(o, " ");
    hb_num(o, top - y);
}

static int draw(struct page *p, Agraph_t *g, Agnode_t **gn, size_t n) {
    const struct tocm_host *h = p->host;
    struct hbuf *o = &p->out;
    const double pad = 6;
    double w = GD_bb(g).UR.x - GD_bb(g).LL.x + 2 * pad;
    double ht = GD_bb(g).UR.y - GD_bb(g).LL.y + 2 * pad;
    double left = GD_bb(g).LL.x - pad, top = GD_bb(g).UR.y + pad;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += gn[i] != NULL;
    hb_puts(o,
            "<figure class=\"chain\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    hb_num(o, w);
    hb_puts(o, " ");
    hb_num(o, ht);
    hb_puts(o, "\" width=\"");
    hb_num(o, w);
    hb_puts(o, "\" height=\"");
    hb_num(o, ht);
    hb_printf(o,
              "\" aria-labelledby=\"chain-t chain-d\">\n<title id=\"chain-t\">The results "
              "chain</title>\n<desc id=\"chain-d\">%zu results, each an arrow to the results it "
              "contributes to, the goal on the right. Each box shows the status of the "
              "indicators beneath it and links to its indicators below.</desc>\n",
              count);
    /* The arrows first, under the boxes. */
    hb_puts(o, "<g class=\"edges\" fill=\"none\" stroke=\"#5a5a5a\" stroke-width=\"1.2\">\n");
    for (size_t i = 0; i < n; i++) {
        if (!gn[i])
            continue;
        for (Agedge_t *e = agfstout(g, gn[i]); e; e = agnxtout(g, e)) {
            splines *spl = ED_spl(e);
            if (!spl || spl->size == 0)
                continue;
            bezier *bz = &spl->list[0];
            if (bz->size == 0)
                continue;
            hb_puts(o, "<path d=\"M");
            pt(o, bz->list[0].x - left, bz->list[0].y, top);
            for (size_t k = 1; k + 2 < (size_t)bz->size; k += 3) {
                hb_puts(o, " C");
                for (size_t j = 0; j < 3; j++) {
                    hb_puts(o, j ? " " : "");
                    pt(o, bz->list[k + j].x - left, bz->list[k + j].y, top);
                }
            }
            hb_puts(o, "\"/>");
            if (bz->eflag) {
                /* The arrowhead: from the spline's end to the tip. */
                pointf a = bz->list[bz->size - 1], tip = bz->ep;
                double dx = tip.x - a.x, dy = tip.y - a.y, len = hypot(dx, dy);
                if (len > 0) {
                    double ux = dx / len, uy = dy / len, hw = 3.5;
                    hb_puts(o, "<path fill=\"#5a5a5a\" stroke=\"none\" d=\"M");
                    pt(o, tip.x - left, tip.y, top);
                    hb_puts(o, " L");
                    pt(o, a.x - uy * hw - left, a.y + ux * hw, top);
                    hb_puts(o, " L");
                    pt(o, a.x + uy * hw - left, a.y - ux * hw, top);
                    hb_puts(o, "Z\"/>");
                }
            }
            hb_puts(o, "\n");
        }
    }
    hb_puts(o, "</g>\n");
    for (size_t i = 0; i < n; i++) {
        if (!gn[i])
            continue;
        const char *id = h->node_id(p->m, i), *title = h->node_title(p->m, i);
        const char *status = node_status_word(p, id);
        const char *cls = status_class(status);
        double bw = ND_width(gn[i]) * 72, bh = ND_height(gn[i]) * 72;
        double x = ND_coord(gn[i]).x - left - bw / 2, y = top - ND_coord(gn[i]).y - bh / 2;
        int link = node_has_block(p, i);
        if (link) {
            hb_puts(o, "<a href=\"#");
            hb_id(o, "node-", id);
            hb_puts(o, "\" aria-label=\"");
            hb_attr(o, id);
            hb_puts(o, ": ");
            hb_attr(o, title);
            hb_printf(o, " (%s)\">", status ? status : "no indicator");
        } else
            hb_puts(o, "<g>");
        hb_puts(o, "<title>");
        hb_svg(o, id);
        hb_puts(o, ": ");
        hb_svg(o, title);
        hb_puts(o, "</title><rect x=\"");
        hb_num(o, x);
        hb_puts(o, "\" y=\"");
        hb_num(o, y);
        hb_puts(o, "\" width=\"");
        hb_num(o, bw);
        hb_puts(o, "\" height=\"");
        hb_num(o, bh);
        hb_printf(o, "\" rx=\"5\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>", fill_of(cls),
                  stroke_of(cls), strcmp(cls, "none") == 0 ? "1" : "2");
        size_t starts[MAX_LINES], lens[MAX_LINES];
        int cut;
        size_t lines = wrap(title, starts, lens, &cut);
        /* Graphviz sized the box for 11 pt lines 1.2 high: centre the
         * block of lines (the head and the title) the same way. */
        double cx = x + bw / 2, line_h = 13.2;
        double y0 = y + bh / 2 - line_h * (double)(lines + 1) / 2 + 10;
        hb_puts(o, "<text text-anchor=\"middle\" class=\"cn\"><tspan class=\"ch\" x=\"");
        hb_num(o, cx);
        hb_puts(o, "\" y=\"");
        hb_num(o, y0);
        hb_puts(o, "\">");
        short_id(o, id, 1);
        if (status)
            hb_printf(o, " \u00b7 %s %s", status_symbol(status), status);
        hb_puts(o, "</tspan>");
        for (size_t k = 0; k < lines; k++) {
            hb_puts(o, "<tspan x=\"");
            hb_num(o, cx);
            hb_puts(o, "\" dy=\"");
            hb_num(o, line_h);
            hb_puts(o, "\">");
            char *line = strndup(title + starts[k], lens[k]);
            if (!line) {
                o->failed = 1;
                return -1;
            }
            hb_svg(o, line);
            free(line);
            if (cut && k + 1 == lines)
                hb_puts(o, "\u2026");
            hb_puts(o, "</tspan>");
        }
        hb_puts(o, "</text>");
        hb_puts(o, link ? "</a>\n" : "</g>\n");
    }
    hb_puts(o, "</svg>\n</figure>\n");
    return 0;
}

/* One Graphviz context for the plugin's life, as the graphviz plugin keeps
 * one (see plugins/graphviz/graphviz.c): Graphviz 2.43's pango plugin keeps
 * font data pointing into the first context it served, so freeing a context
 * and making another, as `tocm serve` would on every page, reads freed
 * memory; and a context costs its plugin configuration on every export.
 * Freed when the plugin is unloaded. */
static GVC_t *shared_gvc;

static GVC_t *plugin_gvc(void) {
    if (!shared_gvc) {
        GVC_LEAKS_BEGIN();
        shared_gvc = gvContext();
        GVC_LEAKS_END();
    }
    return shared_gvc;
}

__attribute__((destructor)) static void free_plugin_gvc(void) {
    if (shared_gvc) {
        GVC_LEAKS_BEGIN();
        gvFreeContext(shared_gvc);
        GVC_LEAKS_END();
        shared_gvc = NULL;
    }
}

static int layout_and_draw(struct page *p) {
    const struct tocm_host *h = p->host;
    size_t n = h->node_count(p->m);
    Agnode_t **gn = calloc(n ? n : 1, sizeof *gn);
    GVC_t *gvc = plugin_gvc();
    GVC_LEAKS_BEGIN();
    Agraph_t *g = agopen((char *)"chain", Agdirected, NULL);
    GVC_LEAKS_END();
    struct hbuf label = {0};
    int rc = -1;
    if (!gn || !gvc || !g)
        goto done;
    agattr(g, AGRAPH, (char *)"rankdir", (char *)"LR");
    agattr(g, AGRAPH, (char *)"nodesep", (char *)"0.12");
    agattr(g, AGRAPH, (char *)"ranksep", (char *)"0.45");
    agattr(g, AGNODE, (char *)"shape", (char *)"box");
    agattr(g, AGNODE, (char *)"fontname", (char *)"DejaVu Sans");
    agattr(g, AGNODE, (char *)"fontsize", (char *)"11");
    agattr(g, AGNODE, (char *)"margin", (char *)"0.08,0.05");
    agattr(g, AGNODE, (char *)"label", (char *)"");
    /* One rank per level, so a level is one column. */
    size_t levels = h->level_count(p->m);
    for (size_t level = 0; level < levels; level++) {
        char name[48];
        snprintf(name, sizeof name, "level%zu", level);
        Agraph_t *sub = NULL;
        for (size_t i = 0; i < n; i++) {
            if (!drawn(p, i) || h->node_level(p->m, i) != (long)level)
                continue;
            if (!sub) {
                sub = agsubg(g, name, 1);
                agsafeset(sub, (char *)"rank", (char *)"same", (char *)"");
            }
            char nname[32];
            snprintf(nname, sizeof nname, "n%zu", i);
            gn[i] = agnode(sub, nname, 1);
            const char *status = node_status_word(p, h->node_id(p->m, i));
            char head[128] = "";
            /* The first line as drawn: the id, a symbol and the status. */
            label.len = 0;
            if (status)
                snprintf(head, sizeof head, " \u00b7 %s %s", status_symbol(status), status);
            struct hbuf idl = {0};
            short_id(&idl, h->node_id(p->m, i), 0);
            hb_puts(&idl, head);
            layout_label(&label, idl.failed ? "" : idl.data, h->node_title(p->m, i));
            hb_free(&idl);
            if (label.failed)
                goto done;
            agsafeset(gn[i], (char *)"label", label.data, (char *)"");
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!gn[i])
            continue;
        for (size_t k = 0; k < h->node_out_count(p->m, i); k++) {
            size_t t = h->node_out(p->m, i, k);
            if (t < n && gn[t])
                agedge(g, gn[i], gn[t], NULL, 1);
        }
    }
    GVC_LEAKS_BEGIN();
    int laid_out = gvLayout(gvc, g, "dot") == 0;
    GVC_LEAKS_END();
    if (!laid_out) {
        h->error_set(p->err, "html", "Graphviz could not lay out the results chain");
        goto done;
    }
    rc = draw(p, g, gn, n);
    GVC_LEAKS_BEGIN();
    gvFreeLayout(gvc, g);
    GVC_LEAKS_END();
done:
    hb_free(&label);
    GVC_LEAKS_BEGIN();
    if (g)
        agclose(g);
    GVC_LEAKS_END();
    free(gn);
    if (rc != 0 && !p->err->text[0])
        p->out.failed = 1;
    return rc;
}
#endif

int chain_write(struct page *p) {
    if (strcmp(p->chain_view, "none") == 0)
        return 0;
    struct hbuf *o = &p->out;
    size_t n = p->host->node_count(p->m), shown = 0;
    for (size_t i = 0; i < n; i++)
        shown += drawn(p, i);
    if (!shown)
        return 0;
    hb_puts(o, "<section id=\"chain\" class=\"block\">\n<h2>Results chain</h2>\n"
               "<p>How the results lead to the goal (on the right). Each result is coloured by "
               "the status of the indicators beneath it, for the latest period with figures; "
               "select a result to go to its indicators.</p>\n");
    int rc = 0;
#ifdef TOCM_HTML_GRAPHVIZ
    rc = layout_and_draw(p);
#else
    hb_puts(o, "<p class=\"sub\">(This tocm was built without Graphviz: the diagram is left "
               "out; the results are listed below.)</p>\n");
#endif
    legend(o);
    hb_puts(o, "</section>\n");
    return rc;
}
