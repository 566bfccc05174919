/*
 * chart.c -- each indicator's charts, drawn here as inline SVG (no chart
 * library, nothing loaded):
 *
 *   - target and actual by period: a bar per period's actual, a thick
 *     marker at its target; for a cumulative indicator the bars are what
 *     each period added and a line with points is the running total the
 *     targets are set against;
 *   - the breakdown of the latest period with figures: a bar per value of
 *     the first breakdown (the country when there is one), split by the
 *     second (women and men, from the figures or from a gesi calculator's
 *     parts) into bars side by side.
 *
 * Every chart has a <title> and a <desc> (what it shows, in words, with the
 * figures) and its data as a table. Marks differ in shape as well as
 * colour, and each bar is labelled with its figure (and its group), so
 * nothing is told by colour alone.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html_internal.h"

#define W 560.0
#define MAX_ROWS 40 /* more rows than this: the table says it better */

static const char *const seg_colours[] = {"#3a6ea5", "#b35900", "#6b4c9a", "#2e7d4f"};
#define MAX_SEGS 4

static int is_pct(json_t *ind) { return strcmp(js(ind, "measure"), "percentage") == 0; }

/* An axis figure: percentages as people read them, thousands grouped. */
static void axis_value(struct hbuf *o, double v, int pct) {
    if (pct)
        v *= 100;
    double a = fabs(v);
    int decimals = a != 0 && a < 10 && a != floor(a) ? (a < 1 ? 2 : 1) : 0;
    char digits[64];
    snprintf(digits, sizeof digits, "%.*f", decimals, a);
    char *dot = strchr(digits, '.');
    size_t whole = dot ? (size_t)(dot - digits) : strlen(digits);
    if (v < 0 && round(a * 100) != 0)
        hb_puts(o, "\u2212");
    for (size_t i = 0; i < whole; i++) {
        if (i && (whole - i) % 3 == 0)
            hb_puts(o, ",");
        hb_put(o, digits + i, 1);
    }
    if (dot)
        hb_puts(o, dot);
    if (pct)
        hb_puts(o, "%");
}

/* A "nice" axis: a step of 1, 2, 2.5 or 5 times a power of ten giving four
 * or five ticks, and the domain widened to whole steps. */
struct axis {
    double lo, hi, step;
};

static struct axis make_axis(double lo, double hi) {
    struct axis a = {.lo = fmin(lo, 0), .hi = fmax(hi, 0)};
    if (a.hi - a.lo <= 0)
        a.hi = a.lo + 1;
    double raw = (a.hi - a.lo) / 4, mag = pow(10, floor(log10(raw)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    a.step = mag * 10;
    for (size_t i = 0; i < 5; i++)
        if (mag * steps[i] >= raw) {
            a.step = mag * steps[i];
            break;
        }
    a.lo = floor(a.lo / a.step + 1e-9) * a.step;
    a.hi = ceil(a.hi / a.step - 1e-9) * a.step;
    return a;
}

static void svg_open(struct page *p, double height, const char *what, json_t *ind) {
    struct hbuf *o = &p->out;
    int n = ++p->chart_seq;
    hb_puts(o,
            "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    hb_num(o, W);
    hb_puts(o, " ");
    hb_num(o, height);
    hb_printf(o, "\" width=\"%d\" height=\"", (int)W);
    hb_num(o, height);
    hb_printf(o, "\" role=\"img\" aria-labelledby=\"ch%d-t ch%d-d\">\n<title id=\"ch%d-t\">", n, n,
              n);
    hb_svg(o, what);
    hb_puts(o, ": ");
    hb_svg(o, js(ind, "id"));
    hb_puts(o, " ");
    hb_svg(o, js(ind, "title"));
    hb_printf(o, "</title>\n<desc id=\"ch%d-d\">", n);
}

static void text_at(struct hbuf *o, double x, double y, const char *anchor, const char *cls) {
    hb_puts(o, "<text x=\"");
    hb_num(o, x);
    hb_puts(o, "\" y=\"");
    hb_num(o, y);
    hb_printf(o, "\" text-anchor=\"%s\" class=\"%s\">", anchor, cls);
}

static void rect(struct hbuf *o, double x, double y, double w, double h, const char *fill) {
    hb_puts(o, "<rect x=\"");
    hb_num(o, x);
    hb_puts(o, "\" y=\"");
    hb_num(o, y);
    hb_puts(o, "\" width=\"");
    hb_num(o, fmax(w, 0));
    hb_puts(o, "\" height=\"");
    hb_num(o, fmax(h, 0));
    hb_printf(o, "\" fill=\"%s\"", fill);
}

/* A label cut to `max` characters (code points), with an ellipsis. */
static void svg_short(struct hbuf *o, const char *s, size_t max) {
    size_t n = 0, i = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max)
            break;
    if (!s[i]) {
        hb_svg(o, s);
        return;
    }
    char *cut = strndup(s, i);
    if (!cut) {
        o->failed = 1;
        return;
    }
    hb_svg(o, cut);
    hb_puts(o, "\u2026");
    free(cut);
}

/* ---- target and actual by period --------------------------------------- */

struct point {
    const char *period, *display, *target_display;
    const char *missing;         /* "not reported" or "not yet due", when there is no value */
    double value, target, added; /* NAN when there is none */
};

static void period_chart(struct page *p, json_t *ind) {
    struct hbuf *o = &p->out;
    json_t *cells = json_object_get(ind, "cells");
    size_t n = 0, with_value = 0, with_target = 0;
    struct point *pts = calloc(json_array_size(cells) + 1, sizeof *pts);
    if (!pts) {
        o->failed = 1;
        return;
    }
    size_t i;
    json_t *cell;
    json_array_foreach(cells, i, cell) {
        if (json_object_size(json_object_get(cell, "dims")) ||
            strcmp(js(cell, "period"), "total") == 0)
            continue;
        struct point *pt = &pts[n++];
        pt->period = js(cell, "period");
        json_t *v = json_object_get(cell, "value"), *t = json_object_get(cell, "target");
        pt->value = json_is_number(v) ? json_number_value(v) : NAN;
        pt->target = json_is_number(t) ? json_number_value(t) : NAN;
        pt->display = js(cell, "display");
        pt->target_display = js(cell, "target_display");
        pt->missing = missing_word(cell);
        with_value += !isnan(pt->value);
        with_target += !isnan(pt->target);
    }
    /* One period without a target says nothing a table does not. */
    if (with_value == 0 || (n < 2 && with_target == 0)) {
        free(pts);
        return;
    }
    int cumulative = is_cumulative(ind), pct = is_pct(ind);
    double lo = 0, hi = 0, prev = 0;
    int prev_known = 1;
    for (i = 0; i < n; i++) {
        struct point *pt = &pts[i];
        pt->added = NAN;
        if (cumulative && !isnan(pt->value) && prev_known)
            pt->added = pt->value - prev;
        prev_known = !isnan(pt->value);
        prev = prev_known ? pt->value : prev;
        double vals[] = {pt->value, pt->target, pt->added};
        for (size_t k = 0; k < 3; k++)
            if (!isnan(vals[k])) {
                lo = fmin(lo, vals[k]);
                hi = fmax(hi, vals[k]);
            }
    }
    struct axis ax = make_axis(lo, hi);
    const double H = 250, x0 = 64, x1 = W - 12, y0 = 34, y1 = H - 34;
    double slot = (x1 - x0) / (double)n, bw = fmin(56, slot * 0.5);
#define Y(v) (y1 - ((v)-ax.lo) / (ax.hi - ax.lo) * (y1 - y0))

    svg_open(p, H, "Target and actual by period", ind);
    hb_puts(o, cumulative ? "Bars: what each period added; line with points: the running total; "
                            "thick black marks: the targets for the running total. "
                          : "Bars: the actual figure of each period; thick black marks: the "
                            "targets. ");
    for (i = 0; i < n; i++) {
        hb_svg(o, pts[i].period);
        hb_puts(o, ": ");
        hb_svg(o, isnan(pts[i].value) ? pts[i].missing : pts[i].display);
        if (!isnan(pts[i].target)) {
            hb_puts(o, " (target ");
            hb_svg(o, pts[i].target_display);
            hb_puts(o, ")");
        }
        hb_puts(o, i + 1 < n ? "; " : ".");
    }
    hb_puts(o, "</desc>\n");
    /* The legend, in shapes as well as colours. */
    hb_puts(o, "<g class=\"legend\">");
    rect(o, x0, 8, 12, 12, "#3a6ea5");
    hb_puts(o, "/>");
    text_at(o, x0 + 16, 18, "start", "lg");
    hb_puts(o, cumulative ? "added in the period" : "actual");
    hb_puts(o, "</text>");
    double lx = x0 + (cumulative ? 150 : 70);
    rect(o, lx, 12, 18, 4, "#1b1b1b");
    hb_puts(o, "/>");
    text_at(o, lx + 22, 18, "start", "lg");
    hb_puts(o, "target</text>");
    if (cumulative) {
        lx += 80;
        hb_puts(o, "<path d=\"M");
        hb_num(o, lx);
        hb_puts(o, " 14h18\" stroke=\"#7a4d00\" stroke-width=\"2\"/><circle cx=\"");
        hb_num(o, lx + 9);
        hb_puts(o, "\" cy=\"14\" r=\"3.5\" fill=\"#7a4d00\"/>");
        text_at(o, lx + 22, 18, "start", "lg");
        hb_puts(o, "running total</text>");
    }
    hb_puts(o, "</g>\n<g class=\"axis\">");
    for (double t = ax.lo; t <= ax.hi + ax.step / 2; t += ax.step) {
        hb_puts(o, "<path d=\"M");
        hb_num(o, x0);
        hb_puts(o, " ");
        hb_num(o, Y(t));
        hb_puts(o, "H");
        hb_num(o, x1);
        hb_printf(o, "\" stroke=\"%s\"/>", fabs(t) < ax.step / 1e6 ? "#4a4a4a" : "#d0d0d0");
        text_at(o, x0 - 6, Y(t) + 4, "end", "tk");
        axis_value(o, fabs(t) < ax.step / 1e6 ? 0 : t, pct);
        hb_puts(o, "</text>");
    }
    hb_puts(o, "</g>\n");
    for (i = 0; i < n; i++) {
        struct point *pt = &pts[i];
        double cx = x0 + slot * ((double)i + 0.5);
        double bar = cumulative ? pt->added : pt->value;
        hb_puts(o, "<g>");
        if (!isnan(bar)) {
            rect(o, cx - bw / 2, fmin(Y(bar), Y(0)), bw, fabs(Y(bar) - Y(0)), "#3a6ea5");
            hb_puts(o, "><title>");
            hb_svg(o, pt->period);
            hb_puts(o, cumulative ? ": added " : ": ");
            if (cumulative)
                axis_value(o, bar, pct);
            else
                hb_svg(o, pt->display);
            hb_puts(o, "</title></rect>");
            if (!cumulative) {
                /* Above the bar, or above its target mark when that is higher. */
                double top = fmin(Y(bar), Y(0));
                if (!isnan(pt->target))
                    top = fmin(top, Y(pt->target) - 2);
                text_at(o, cx, top - 5, "middle", "vl");
                hb_svg(o, pt->display);
                hb_puts(o, "</text>");
            }
        } else if (!cumulative || isnan(pt->value)) {
            text_at(o, cx, Y(0) - 4, "middle", "na");
            hb_svg(o, pt->missing);
            hb_puts(o, "</text>");
        }
        if (!isnan(pt->target)) {
            double tw = fmin(slot * 0.8, bw + 24);
            rect(o, cx - tw / 2, Y(pt->target) - 2, tw, 4, "#1b1b1b");
            hb_puts(o, "><title>");
            hb_svg(o, pt->period);
            hb_puts(o, ": target ");
            hb_svg(o, pt->target_display);
            hb_puts(o, "</title></rect>");
        }
        text_at(o, cx, y1 + 16, "middle", "tk");
        svg_short(o, pt->period, 14);
        hb_puts(o, "</text></g>\n");
    }
    if (cumulative) {
        /* The running total: a line through the periods that have it. */
        hb_puts(o, "<path fill=\"none\" stroke=\"#7a4d00\" stroke-width=\"2\" d=\"");
        int pen = 0;
        for (i = 0; i < n; i++) {
            if (isnan(pts[i].value)) {
                pen = 0;
                continue;
            }
            hb_puts(o, pen ? " L" : " M");
            hb_num(o, x0 + slot * ((double)i + 0.5));
            hb_puts(o, " ");
            hb_num(o, Y(pts[i].value));
            pen = 1;
        }
        hb_puts(o, "\"/>\n");
        for (i = 0; i < n; i++) {
            if (isnan(pts[i].value))
                continue;
            double cx = x0 + slot * ((double)i + 0.5);
            hb_puts(o, "<circle cx=\"");
            hb_num(o, cx);
            hb_puts(o, "\" cy=\"");
            hb_num(o, Y(pts[i].value));
            hb_puts(o, "\" r=\"4\" fill=\"#7a4d00\"><title>");
            hb_svg(o, pts[i].period);
            hb_puts(o, ": running total ");
            hb_svg(o, pts[i].display);
            hb_puts(o, "</title></circle>");
            text_at(o, cx + 8, Y(pts[i].value) - 6, "start", "vl");
            hb_svg(o, pts[i].display);
            hb_puts(o, "</text>\n");
        }
    }
#undef Y
    hb_puts(o, "</svg>\n<figcaption>Target and actual by period");
    hb_puts(o, cumulative ? " (cumulative)" : "");
    hb_puts(o, "</figcaption>\n<details class=\"chart-data\"><summary>The chart's data</summary>"
               "<table class=\"data\"><thead><tr><th scope=\"col\">Period</th>");
    if (cumulative)
        hb_puts(o, "<th scope=\"col\" class=\"num\">Added</th>"
                   "<th scope=\"col\" class=\"num\">Running total</th>");
    else
        hb_puts(o, "<th scope=\"col\" class=\"num\">Actual</th>");
    hb_puts(o, "<th scope=\"col\" class=\"num\">Target</th></tr></thead><tbody>\n");
    for (i = 0; i < n; i++) {
        hb_puts(o, "<tr><th scope=\"row\">");
        hb_text(o, pts[i].period);
        hb_puts(o, "</th>");
        if (cumulative) {
            hb_puts(o, "<td class=\"num\">");
            if (!isnan(pts[i].added))
                axis_value(o, pts[i].added, pct);
            hb_puts(o, "</td>");
        }
        hb_puts(o, "<td class=\"num\">");
        if (isnan(pts[i].value))
            hb_puts(o, pts[i].missing);
        else
            hb_text(o, pts[i].display);
        hb_puts(o, "</td><td class=\"num\">");
        hb_text(o, pts[i].target_display);
        hb_puts(o, "</td></tr>\n");
    }
    hb_puts(o, "</tbody></table></details>\n</figure>\n");
    free(pts);
}

/* ---- the breakdown ----------------------------------------------------- */

struct bar_row {
    json_t *cell; /* the row's own cell (one dimension) */
    const char *label;
    double seg[MAX_SEGS]; /* NAN: none */
    const char *seg_display[MAX_SEGS];
};

static int has_dim(json_t *ind, const char *name) {
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(ind, "dimensions"), i, d) {
        if (strcmp(json_string_value(d), name) == 0)
            return 1;
    }
    return 0;
}

/* The latest period that has a figure for some breakdown. */
static const char *breakdown_period(json_t *ind, const char *dim) {
    const char *latest = NULL;
    size_t i;
    json_t *cell;
    json_array_foreach(json_object_get(ind, "cells"), i, cell) {
        json_t *dims = json_object_get(cell, "dims");
        const char *period = js(cell, "period");
        if (json_object_size(dims) == 1 && json_object_get(dims, dim) &&
            json_is_number(json_object_get(cell, "value")) && strcmp(period, "total") != 0 &&
            (!latest || strcmp(period, latest) > 0))
            latest = period;
    }
    return latest;
}

static void breakdown_chart(struct page *p, json_t *ind) {
    struct hbuf *o = &p->out;
    json_t *dimensions = json_object_get(ind, "dimensions");
    if (!json_array_size(dimensions))
        return;
    const char *dim =
        has_dim(ind, "country") ? "country" : json_string_value(json_array_get(dimensions, 0));
    const char *period = breakdown_period(ind, dim);
    if (!period)
        return;
    /* The second split: a gesi calculator's parts, else the other
     * breakdown (sex first), when it has few values. */
    const char *seg_dim = NULL;
    if (strcmp(dim, "sex") != 0 && has_dim(ind, "sex"))
        seg_dim = "sex";
    for (size_t d = 0; !seg_dim && d < json_array_size(dimensions); d++)
        if (strcmp(json_string_value(json_array_get(dimensions, d)), dim) != 0)
            seg_dim = json_string_value(json_array_get(dimensions, d));
    const char *segs[MAX_SEGS];
    size_t nseg = 0;
    int use_parts = 0;
    json_t *cells = json_object_get(ind, "cells");
    size_t i;
    json_t *cell;
    size_t nrows = 0;
    json_array_foreach(cells, i, cell) {
        json_t *dims = json_object_get(cell, "dims");
        if (strcmp(js(cell, "period"), period) != 0 || !json_object_get(dims, dim))
            continue;
        if (json_object_size(dims) == 1) {
            nrows++;
            if (json_object_size(json_object_get(cell, "parts")))
                use_parts = 1;
        }
    }
    if (nrows > MAX_ROWS || (nrows < 2 && !use_parts && !seg_dim))
        return;
    int overflow = 0;
    if (use_parts) {
        seg_dim = NULL;
        json_array_foreach(cells, i, cell) {
            if (strcmp(js(cell, "period"), period) != 0 ||
                json_object_size(json_object_get(cell, "dims")) != 1)
                continue;
            const char *name;
            json_t *v;
            json_object_foreach(json_object_get(cell, "parts"), name, v) {
                size_t k = 0;
                while (k < nseg && strcmp(segs[k], name) != 0)
                    k++;
                if (k == nseg) {
                    if (nseg == MAX_SEGS)
                        overflow = 1;
                    else
                        segs[nseg++] = name;
                }
            }
        }
    } else if (seg_dim) {
        json_array_foreach(cells, i, cell) {
            json_t *dims = json_object_get(cell, "dims");
            if (strcmp(js(cell, "period"), period) != 0 || json_object_size(dims) != 2 ||
                !json_object_get(dims, dim) || !json_object_get(dims, seg_dim))
                continue;
            const char *v = js(dims, seg_dim);
            size_t k = 0;
            while (k < nseg && strcmp(segs[k], v) != 0)
                k++;
            if (k == nseg) {
                if (nseg == MAX_SEGS)
                    overflow = 1;
                else
                    segs[nseg++] = v;
            }
        }
    }
    if (overflow || nseg == 1)
        nseg = 0, seg_dim = NULL, use_parts = 0;
    if (nrows < 2 && !nseg)
        return;
    struct bar_row *rows = calloc(nrows, sizeof *rows);
    if (!rows) {
        o->failed = 1;
        return;
    }
    size_t r = 0;
    double hi = 0, lo = 0;
    int pct = is_pct(ind) && !use_parts;
    json_array_foreach(cells, i, cell) {
        json_t *dims = json_object_get(cell, "dims");
        if (strcmp(js(cell, "period"), period) != 0 || json_object_size(dims) != 1 ||
            !json_object_get(dims, dim))
            continue;
        struct bar_row *row = &rows[r++];
        row->cell = cell;
        row->label = js(dims, dim);
        for (size_t k = 0; k < MAX_SEGS; k++)
            row->seg[k] = NAN;
        if (!nseg) {
            json_t *v = json_object_get(cell, "value");
            row->seg[0] = json_is_number(v) ? json_number_value(v) : NAN;
            row->seg_display[0] = js(cell, "display");
        } else if (use_parts) {
            for (size_t k = 0; k < nseg; k++) {
                json_t *v = json_object_get(json_object_get(cell, "parts"), segs[k]);
                row->seg[k] = json_is_number(v) ? json_number_value(v) : NAN;
            }
        } else {
            size_t j;
            json_t *c2;
            json_array_foreach(cells, j, c2) {
                json_t *d2 = json_object_get(c2, "dims");
                if (strcmp(js(c2, "period"), period) != 0 || json_object_size(d2) != 2 ||
                    strcmp(js(d2, dim), row->label) != 0 || !json_object_get(d2, seg_dim))
                    continue;
                for (size_t k = 0; k < nseg; k++)
                    if (strcmp(js(d2, seg_dim), segs[k]) == 0) {
                        json_t *v = json_object_get(c2, "value");
                        row->seg[k] = json_is_number(v) ? json_number_value(v) : NAN;
                        row->seg_display[k] = js(c2, "display");
                    }
            }
        }
        for (size_t k = 0; k < (nseg ? nseg : 1); k++)
            if (!isnan(row->seg[k])) {
                hi = fmax(hi, row->seg[k]);
                lo = fmin(lo, row->seg[k]);
            }
    }
    size_t per = nseg ? nseg : 1;
    const double bh = 13, gap = 9, lab = 150, x0 = lab + 8, x1 = W - 110, top = nseg ? 30 : 8;
    double rowh = bh * (double)per + gap, H = top + rowh * (double)nrows + 24;
    struct axis ax = make_axis(lo, hi);
#define X(v) (x0 + ((v)-ax.lo) / (ax.hi - ax.lo) * (x1 - x0))
    char what[160];
    snprintf(what, sizeof what, "Breakdown by %s%s%s, %s", dim, nseg ? " and " : "",
             nseg ? (use_parts ? "sex" : seg_dim) : "", period);
    svg_open(p, H, what, ind);
    hb_svg(o, what);
    hb_puts(o, ": ");
    for (r = 0; r < nrows; r++) {
        hb_svg(o, rows[r].label);
        for (size_t k = 0; k < per; k++) {
            hb_puts(o, k ? ", " : " ");
            if (nseg) {
                hb_svg(o, segs[k]);
                hb_puts(o, " ");
            }
            if (isnan(rows[r].seg[k]))
                hb_puts(o, "not reported");
            else if (rows[r].seg_display[k])
                hb_svg(o, rows[r].seg_display[k]);
            else
                axis_value(o, rows[r].seg[k], pct);
        }
        hb_puts(o, r + 1 < nrows ? "; " : ".");
    }
    hb_puts(o, "</desc>\n");
    if (nseg) {
        hb_puts(o, "<g class=\"legend\">");
        double lx = x0;
        for (size_t k = 0; k < nseg; k++) {
            rect(o, lx, 8, 12, 12, seg_colours[k]);
            hb_puts(o, "/>");
            text_at(o, lx + 16, 18, "start", "lg");
            svg_short(o, segs[k], 18);
            hb_puts(o, "</text>");
            lx += 130;
        }
        hb_puts(o, "</g>\n");
    }
    hb_puts(o, "<g class=\"axis\">");
    for (double t = ax.lo; t <= ax.hi + ax.step / 2; t += ax.step) {
        hb_puts(o, "<path d=\"M");
        hb_num(o, X(t));
        hb_puts(o, " ");
        hb_num(o, top - 4);
        hb_puts(o, "V");
        hb_num(o, H - 20);
        hb_printf(o, "\" stroke=\"%s\"/>", fabs(t) < ax.step / 1e6 ? "#4a4a4a" : "#d0d0d0");
        text_at(o, X(t), H - 6, "middle", "tk");
        axis_value(o, fabs(t) < ax.step / 1e6 ? 0 : t, pct);
        hb_puts(o, "</text>");
    }
    hb_puts(o, "</g>\n");
    for (r = 0; r < nrows; r++) {
        double y = top + rowh * (double)r;
        hb_puts(o, "<g");
        /* The country filter hides the other countries' bars. */
        if (strcmp(dim, "country") == 0)
            country_class(p, json_object_get(rows[r].cell, "dims"), NULL);
        hb_puts(o, ">");
        text_at(o, lab, y + bh * (double)per / 2 + 4, "end", "rl");
        svg_short(o, rows[r].label, 22);
        hb_puts(o, "<title>");
        hb_svg(o, rows[r].label);
        hb_puts(o, "</title></text>");
        for (size_t k = 0; k < per; k++) {
            double v = rows[r].seg[k], by = y + bh * (double)k;
            if (isnan(v)) {
                text_at(o, X(0) + 4, by + bh - 3, "start", "na");
                hb_puts(o, "not reported</text>");
                continue;
            }
            rect(o, fmin(X(v), X(0)), by + 1, fabs(X(v) - X(0)), bh - 2, seg_colours[k]);
            hb_puts(o, "><title>");
            hb_svg(o, rows[r].label);
            if (nseg) {
                hb_puts(o, ", ");
                hb_svg(o, segs[k]);
            }
            hb_puts(o, ": ");
            if (rows[r].seg_display[k])
                hb_svg(o, rows[r].seg_display[k]);
            else
                axis_value(o, v, pct);
            hb_puts(o, "</title></rect>");
            text_at(o, fmax(X(v), X(0)) + 4, by + bh - 3, "start", "vl");
            if (rows[r].seg_display[k])
                hb_svg(o, rows[r].seg_display[k]);
            else
                axis_value(o, v, pct);
            if (nseg) {
                hb_puts(o, " ");
                svg_short(o, segs[k], 10);
            }
            hb_puts(o, "</text>");
        }
        hb_puts(o, "</g>\n");
    }
#undef X
    hb_puts(o, "</svg>\n<figcaption>");
    hb_text(o, what);
    hb_puts(o, "</figcaption>\n<details class=\"chart-data\"><summary>The chart's data</summary>"
               "<table class=\"data\"><thead><tr><th scope=\"col\">");
    hb_text(o, dim);
    hb_puts(o, "</th>");
    for (size_t k = 0; k < per; k++) {
        hb_puts(o, "<th scope=\"col\" class=\"num\">");
        hb_text(o, nseg ? segs[k] : period);
        hb_puts(o, "</th>");
    }
    hb_puts(o, "</tr></thead><tbody>\n");
    for (r = 0; r < nrows; r++) {
        hb_puts(o, "<tr");
        if (strcmp(dim, "country") == 0)
            country_class(p, json_object_get(rows[r].cell, "dims"), NULL);
        hb_puts(o, "><th scope=\"row\">");
        hb_text(o, rows[r].label);
        hb_puts(o, "</th>");
        for (size_t k = 0; k < per; k++) {
            hb_puts(o, "<td class=\"num\">");
            if (isnan(rows[r].seg[k]))
                hb_puts(o, "not reported");
            else if (rows[r].seg_display[k])
                hb_text(o, rows[r].seg_display[k]);
            else
                axis_value(o, rows[r].seg[k], pct);
            hb_puts(o, "</td>");
        }
        hb_puts(o, "</tr>\n");
    }
    hb_puts(o, "</tbody></table></details>\n</figure>\n");
    free(rows);
}

void charts_write(struct page *p, json_t *ind) {
    if (strcmp(js(ind, "measure"), "qualitative") == 0)
        return;
    struct hbuf *o = &p->out;
    size_t mark = o->len;
    hb_puts(o, "<div class=\"charts\">\n");
    size_t inner = o->len;
    period_chart(p, ind);
    breakdown_chart(p, ind);
    if (o->len == inner && !o->failed) {
        /* No chart: take the empty container back. */
        o->len = mark;
        if (o->data)
            o->data[mark] = '\0';
        return;
    }
    hb_puts(o, "</div>\n");
}
