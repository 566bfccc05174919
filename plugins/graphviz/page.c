/*
 * page.c -- fitting a laid-out drawing to a page: page sizes, the scale,
 * the smallest text on the page, and PDF pages drawn with cairo (one file,
 * any number of pages, each the page's own size).
 *
 * Graphviz renders to an external cairo context when asked (gvRenderContext),
 * but its PDF renderer then finishes the context's surface at the end of the
 * page. So each page is drawn through a cairo tee surface wrapped around the
 * one PDF surface: finishing the tee only drops its reference, and the PDF
 * surface goes on to the next page.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-tee.h>
#include <cairo.h>
#include <cgraph.h>
#include <gvc.h>

#include "gv_internal.h"

#define MM 2.834645669 /* points per millimetre */

static int same_word(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if ((*a | 0x20) != (*b | 0x20))
            return 0;
    return *a == *b;
}

/* A length "210", "210mm", "21cm", "8.5in" in points (a bare number is
 * mm); -1 when malformed. */
static double length(const char *s, size_t n) {
    char text[32];
    if (n == 0 || n >= sizeof text)
        return -1;
    memcpy(text, s, n);
    text[n] = '\0';
    char *end;
    double v = strtod(text, &end);
    if (end == text || !(v > 0) || v > 10000)
        return -1;
    if (!*end || same_word(end, "mm"))
        return v * MM;
    if (same_word(end, "cm"))
        return v * 10 * MM;
    if (same_word(end, "in"))
        return v * 72;
    if (same_word(end, "pt"))
        return v;
    return -1;
}

int page_parse(const struct tocm_host *host, const char *spec, int landscape, struct page *p,
               tocm_error *err) {
    static const struct {
        const char *name;
        double w, h; /* points, portrait */
    } sizes[] = {
        {"A4", 210 * MM, 297 * MM},
        {"A3", 297 * MM, 420 * MM},
        {"letter", 612, 792},
        {"slide", 405, 720}, /* 16:9, 10 x 5.625 in; landscape by default */
    };
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        if (!same_word(spec, sizes[i].name))
            continue;
        p->w = sizes[i].w;
        p->h = sizes[i].h;
        snprintf(p->name, sizeof p->name, "%s", sizes[i].name);
        if (strcmp(sizes[i].name, "slide") == 0)
            landscape = !landscape;
        goto found;
    }
    const char *x = strpbrk(spec, "xX");
    if (x) {
        /* The unit may be given once, at the end: 297x210mm. */
        const char *unit = x + 1 + strspn(x + 1, "0123456789.");
        double w = length(spec, (size_t)(x - spec)), h = length(x + 1, strlen(x + 1));
        if (w > 0 && h > 0) {
            /* "297x210mm": a bare width takes the height's unit. */
            size_t wl = (size_t)(x - spec);
            if (strspn(spec, "0123456789.") == wl && *unit) {
                char buf[48];
                snprintf(buf, sizeof buf, "%.*s%s", (int)wl, spec, unit);
                w = length(buf, strlen(buf));
            }
            p->w = w;
            p->h = h;
            snprintf(p->name, sizeof p->name, "%.40s", spec);
            /* As given; --landscape turns a portrait one. */
            if (landscape && w < h) {
                p->w = h;
                p->h = w;
            }
            goto sized;
        }
    }
    host->error_set(err, "options",
                    "page must be A4, A3, letter, slide or WxH in mm, cm or in (e.g. 297x210mm), "
                    "not '%.40s'",
                    spec);
    return -1;
found:
    if (landscape != (p->w > p->h)) {
        double t = p->w;
        p->w = p->h;
        p->h = t;
    }
sized:
    p->landscape = p->w > p->h;
    p->margin = 8 * MM;
    if (p->w < 2 * p->margin + 36 || p->h < 2 * p->margin + 36) {
        host->error_set(err, "options", "the page '%.40s' is too small for a drawing", spec);
        return -1;
    }
    return 0;
}

void page_describe(const struct page *p, struct buf *out) {
    buf_printf(out, "%s %s (%.0f x %.0f mm)", p->name, p->landscape ? "landscape" : "portrait",
               p->w / MM + 0.01, p->h / MM + 0.01);
}

/* ---- the smallest text ---------------------------------------------------- */

static double attr_number(void *obj, const char *name, double fallback) {
    char *v = agget(obj, (char *)name);
    if (!v || !*v)
        return fallback;
    char *end;
    double d = strtod(v, &end);
    return end != v && d > 0 ? d : fallback;
}

/* The smallest point-size="N" in an HTML-like label, or fallback. */
static double html_smallest(const char *label, double fallback) {
    double best = fallback;
    for (const char *p = label; (p = strstr(p, "point-size=\"")); p++) {
        double d = strtod(p + 12, NULL);
        if (d > 0 && d < best)
            best = d;
    }
    return best;
}

static int visible(void *obj) {
    char *style = agget(obj, "style");
    return !(style && strstr(style, "invis"));
}

static double label_smallest(void *obj, double smallest) {
    char *label = agget(obj, "label");
    if (!label || !*label || !visible(obj))
        return smallest;
    double size = attr_number(obj, "fontsize", 14);
    if (aghtmlstr(label))
        size = html_smallest(label, size);
    return size < smallest ? size : smallest;
}

static double graph_smallest(Agraph_t *g, double smallest) {
    smallest = label_smallest(g, smallest);
    for (Agraph_t *sub = agfstsubg(g); sub; sub = agnxtsubg(sub))
        smallest = graph_smallest(sub, smallest);
    return smallest;
}

double drawing_smallest_font(Agraph_t *g) {
    double smallest = graph_smallest(g, 1e9);
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
        smallest = label_smallest(n, smallest);
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e))
            smallest = label_smallest(e, smallest);
    }
    return smallest < 1e9 ? smallest : 0;
}

/* ---- fitting ------------------------------------------------------------- */

void page_fit(Agraph_t *g, const struct page *p, struct fit *f) {
    double pad = attr_number(g, "pad", 0.0555) * 72;
    f->width = GD_bb(g).UR.x - GD_bb(g).LL.x + 2 * pad;
    f->height = GD_bb(g).UR.y - GD_bb(g).LL.y + 2 * pad;
    f->smallest = drawing_smallest_font(g);
    f->scale = 1;
    if (p && p->w > 0) {
        double sx = (p->w - 2 * p->margin) / f->width, sy = (p->h - 2 * p->margin) / f->height;
        f->scale = fmin(1.0, fmin(sx, sy));
    }
}

/* ---- PDF ----------------------------------------------------------------- */

static cairo_status_t write_pdf_bytes(void *closure, const unsigned char *data,
                                      unsigned int length) {
    struct buf *b = closure;
    buf_add(b, (const char *)data, length);
    return b->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

struct pdf {
    cairo_surface_t *surface;
    struct buf bytes;
};

struct pdf *pdf_open(void) {
    struct pdf *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->surface = cairo_pdf_surface_create_for_stream(write_pdf_bytes, &d->bytes, 595, 842);
    if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(d->surface);
        free(d);
        return NULL;
    }
    return d;
}

int pdf_page(struct pdf *d, GVC_t *gvc, Agraph_t *g, const struct page *p, const struct fit *f) {
    double w = p && p->w > 0 ? p->w : f->width, h = p && p->h > 0 ? p->h : f->height;
    cairo_pdf_surface_set_size(d->surface, w, h);
    /* Drawn at the top of the page, centred across it. */
    double dx = (w - f->width * f->scale) / 2;
    double dy = p && p->w > 0 ? p->margin : 0;
    /* Graphviz adds the PDF device's default margin around an external
     * context's drawing unless the graph sets its own. */
    agsafeset(g, "margin", "0", "");
    GD_drawing(g)->margin.x = GD_drawing(g)->margin.y = 0;
    cairo_surface_t *tee = cairo_tee_surface_create(d->surface);
    cairo_t *cr = cairo_create(tee);
    cairo_translate(cr, dx, dy);
    cairo_scale(cr, f->scale, f->scale);
    int rc = gvRenderContext(gvc, g, "pdf", cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(tee);
    cairo_t *page = cairo_create(d->surface);
    cairo_show_page(page);
    cairo_destroy(page);
    return rc == 0 && st == CAIRO_STATUS_SUCCESS &&
                   cairo_surface_status(d->surface) == CAIRO_STATUS_SUCCESS
               ? 0
               : -1;
}

int pdf_close(struct pdf *d, struct buf *out) {
    cairo_surface_finish(d->surface);
    int ok = cairo_surface_status(d->surface) == CAIRO_STATUS_SUCCESS && !d->bytes.failed;
    cairo_surface_destroy(d->surface);
    *out = d->bytes;
    free(d);
    return ok ? 0 : -1;
}
