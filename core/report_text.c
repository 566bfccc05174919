/*
 * report_text.c -- a computed report as aligned text or Markdown: per
 * indicator a table (rows: combinations of dimension values, columns:
 * periods) and its targets, then the checks and the status by outcome.
 * Drawn from the results document (engine.h), as every format is.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "report_print.h"
#include "util.h"

/* ---- pivot: rows = combinations of dimension values, columns = periods */

struct pivot {
    json_t *rows;    /* array of {"dims": {...}, "by_period": {period: cell}} */
    json_t *periods; /* array of period names, with "total" last if present */
};

static struct pivot make_pivot(json_t *ind) {
    struct pivot p = {.rows = json_array(), .periods = json_array()};
    json_t *index = json_object(); /* dims text -> row */
    size_t i;
    json_t *cell;
    json_array_foreach(json_object_get(ind, "cells"), i, cell) {
        const char *period = json_string_value(json_object_get(cell, "period"));
        int known = 0;
        size_t k;
        json_t *name;
        json_array_foreach(p.periods, k, name) known |=
            strcmp(json_string_value(name), period) == 0;
        if (!known)
            json_array_append_new(p.periods, json_string(period));
        char *key = json_dumps(json_object_get(cell, "dims"), JSON_COMPACT | JSON_SORT_KEYS);
        json_t *row = json_object_get(index, key);
        if (!row) {
            row = json_pack("{s:O, s:o}", "dims", json_object_get(cell, "dims"), "by_period",
                            json_object());
            json_array_append_new(p.rows, row);
            json_object_set(index, key, row);
        }
        free(key);
        json_object_set(json_object_get(row, "by_period"), period, cell);
    }
    json_decref(index);
    /* Reports put the breakdown first and the totals last: order the rows by
     * how many dimensions they are broken down by, most first (stable). */
    json_t *ordered = json_array();
    for (size_t want = json_array_size(json_object_get(ind, "dimensions")) + 1; want-- > 0;) {
        size_t r;
        json_t *row;
        json_array_foreach(p.rows, r, row) {
            if (json_object_size(json_object_get(row, "dims")) == want)
                json_array_append(ordered, row);
        }
    }
    json_decref(p.rows);
    p.rows = ordered;
    return p;
}

static void pivot_free(struct pivot *p) {
    json_decref(p->rows);
    json_decref(p->periods);
}

/* Whether a cell's figure is one the model records as printed, shown
 * because the data gives none (engine_checks.c), not one computed. */
static int printed_only(json_t *cell) {
    const char *origin = json_string_value(json_object_get(cell, "origin"));
    return origin && strcmp(origin, "reported") == 0;
}

/* The mark beside such a figure, explained under the table. */
#define PRINTED_MARK "\u2020"

/* What a cell shows: the figure, and for gesi the counts behind it; a
 * latest figure from another period than the indicator's latest (latest)
 * says which. */
static char *cell_text(json_t *cell, const char *latest) {
    if (!cell)
        return tocmp_xstrdup("");
    const char *display = json_string_value(json_object_get(cell, "display"));
    const char *own = json_string_value(json_object_get(cell, "latest_period"));
    if (own && (!latest || strcmp(own, latest) != 0))
        return tocmp_asprintf("%s (%s)%s", display, own,
                              printed_only(cell) ? " " PRINTED_MARK : "");
    if (printed_only(cell))
        return tocmp_asprintf("%s " PRINTED_MARK, display);
    json_t *parts = json_object_get(cell, "parts");
    if (!parts)
        return tocmp_xstrdup(display);
    tocmp_buf b = {0};
    tocmp_buf_printf(&b, "%s (", display);
    const char *name;
    json_t *v;
    int first = 1;
    json_object_foreach(parts, name, v) {
        char *n = tocmp_display(json_number_value(v), 1, 0, 0);
        tocmp_buf_printf(&b, "%s%s %s", first ? "" : ", ", n, name);
        free(n);
        first = 0;
    }
    tocmp_buf_puts(&b, ")");
    return b.data;
}

static const char *dim_value(json_t *dims, const char *name) {
    const char *v = json_string_value(json_object_get(dims, name));
    return v ? v : "all";
}

/* Display width in characters (UTF-8 continuation bytes do not count). */
static size_t width(const char *s) {
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void pad(FILE *out, const char *s, size_t w, int right) {
    size_t n = width(s);
    if (right)
        for (size_t i = n; i < w; i++)
            fputc(' ', out);
    fputs(s, out);
    if (!right)
        for (size_t i = n; i < w; i++)
            fputc(' ', out);
}

/* Under a table with figures shown as printed: what the mark means, and
 * where they are printed (their distinct sources). */
static void print_printed_legend(FILE *out, json_t *ind, int markdown) {
    json_t *sources = json_array();
    int any = 0;
    size_t ci;
    json_t *cell;
    json_array_foreach(json_object_get(ind, "cells"), ci, cell) {
        if (!printed_only(cell))
            continue;
        any = 1;
        const char *source = json_string_value(json_object_get(cell, "source"));
        if (source)
            tocmp_json_add_unique(sources, source);
    }
    if (any) {
        fputs(markdown ? "\n" PRINTED_MARK " as printed" : "  " PRINTED_MARK " as printed", out);
        size_t k;
        json_t *have;
        json_array_foreach(sources, k, have) {
            char *t = tocmp_md_cell(json_string_value(have), markdown);
            fprintf(out, "%s%s", k ? "; " : " (", t);
            free(t);
        }
        fputs(json_array_size(sources) ? ")" : "", out);
        fputs(", not computed: the data has no figure for it\n", out);
    }
    json_decref(sources);
}

static void print_table(FILE *out, json_t *ind, int markdown) {
    struct pivot p = make_pivot(ind);
    json_t *dims = json_object_get(ind, "dimensions");
    size_t ndims = json_array_size(dims), nper = json_array_size(p.periods);
    size_t ncols = (ndims ? ndims : 1) + nper, nrows = json_array_size(p.rows) + 1;
    char **grid = tocmp_xcalloc(ncols * nrows, sizeof *grid);
    for (size_t d = 0; d < ndims; d++)
        grid[d] = tocmp_xstrdup(json_string_value(json_array_get(dims, d)));
    if (!ndims)
        grid[0] = tocmp_xstrdup("");
    size_t first_period = ndims ? ndims : 1;
    for (size_t k = 0; k < nper; k++)
        grid[first_period + k] = tocmp_xstrdup(json_string_value(json_array_get(p.periods, k)));
    size_t r;
    json_t *row;
    json_array_foreach(p.rows, r, row) {
        char **line = grid + (r + 1) * ncols;
        json_t *rd = json_object_get(row, "dims");
        /* The grand total reads "Total" in its first column; a margin reads
         * "all" in the dimensions it adds up over. */
        for (size_t d = 0; d < ndims; d++)
            line[d] =
                tocmp_xstrdup(json_object_size(rd) == 0
                                  ? (d == 0 ? "Total" : "")
                                  : dim_value(rd, json_string_value(json_array_get(dims, d))));
        if (!ndims)
            line[0] = tocmp_xstrdup("Total");
        for (size_t k = 0; k < nper; k++)
            line[first_period + k] =
                cell_text(json_object_get(json_object_get(row, "by_period"),
                                          json_string_value(json_array_get(p.periods, k))),
                          json_string_value(json_object_get(ind, "latest_period")));
    }
    size_t *w = tocmp_xcalloc(ncols, sizeof *w);
    for (size_t i = 0; i < ncols * nrows; i++)
        if (width(grid[i]) > w[i % ncols])
            w[i % ncols] = width(grid[i]);
    for (size_t rr = 0; rr < nrows; rr++) {
        fputs(markdown ? "|" : "  ", out);
        for (size_t col = 0; col < ncols; col++) {
            fputs(markdown ? " " : (col ? "  " : ""), out);
            pad(out, grid[rr * ncols + col], w[col], col >= first_period);
            if (markdown)
                fputs(" |", out);
        }
        fputc('\n', out);
        if (markdown && rr == 0) {
            fputs("|", out);
            for (size_t col = 0; col < ncols; col++)
                fputs(col >= first_period ? " ---: |" : " --- |", out);
            fputc('\n', out);
        }
    }
    /* A "–" is never left without its reason: the distinct reasons of the
     * cells with no figure, under the table. */
    json_t *reasons = json_array();
    size_t ci;
    json_t *cell;
    json_array_foreach(json_object_get(ind, "cells"), ci, cell) {
        const char *note = json_string_value(json_object_get(cell, "note"));
        if (!json_is_null(json_object_get(cell, "value")) || json_object_get(cell, "text") || !note)
            continue;
        tocmp_json_add_unique(reasons, note);
    }
    if (json_array_size(reasons)) {
        fputs(markdown ? "\n\u2013 " : "  \u2013 ", out);
        size_t k;
        json_t *have;
        json_array_foreach(reasons, k, have) {
            char *t = tocmp_md_cell(json_string_value(have), markdown);
            fprintf(out, "%s%s", k ? "; " : "", t);
            free(t);
        }
        fputc('\n', out);
    }
    json_decref(reasons);
    print_printed_legend(out, ind, markdown);
    for (size_t i = 0; i < ncols * nrows; i++)
        free(grid[i]);
    free(grid);
    free(w);
    pivot_free(&p);
}

/* A status as a symbol and a word, never colour alone. */
const char *tocmp_status_words(const char *status) {
    static const char *const words[][2] = {
        {"achieved", "\u2713 achieved"},
        {"on track", "\u2192 on track"},
        {"off track", "\u2717 off track"},
        {"not reported", "\u2013 not reported"},
        {"not yet due", "\u25cb not yet due"},
        {"target pending", "\u2026 target pending"},
        {"baseline pending", "\u2026 baseline pending"},
        {"no baseline", "? no baseline"},
        {"not assessed", "? not assessed"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (status && strcmp(status, words[i][0]) == 0)
            return words[i][1];
    return status ? status : "";
}

/* Markdown cells: a | would end the cell, a line break the row. new. */
char *tocmp_md_cell(const char *s, int markdown) {
    tocmp_buf b = {0};
    tocmp_buf_puts(&b, "");
    for (; s && *s; s++) {
        if (markdown && *s == '|')
            tocmp_buf_puts(&b, "\\|");
        else if (*s == '\n' || *s == '\r')
            tocmp_buf_puts(&b, " ");
        else
            tocmp_buf_append(&b, s, 1);
    }
    return b.data;
}

static char *dims_words(json_t *dims) {
    tocmp_buf b = {0};
    tocmp_buf_puts(&b, "");
    const char *k;
    json_t *v;
    json_object_foreach(dims, k, v) {
        tocmp_buf_printf(&b, "%s%s %s", b.len ? ", " : "", k, json_string_value(v));
    }
    return b.data;
}

static char *percent_text(json_t *v) {
    if (!json_is_number(v))
        return tocmp_xstrdup("");
    /* Short of the target never reads as 100 %: 99.6 % is shown as 99 %. */
    double x = json_number_value(v);
    char *d = tocmp_display(x >= 99.5 && x < 100 ? 99 : x, 1, 0, 0);
    char *out = tocmp_asprintf("%s%%", d);
    free(d);
    return out;
}

/* A plan value as written in the model (percentages as people write them). */
static char *plan_text(json_t *v, json_t *ind) {
    int pct = strcmp(json_string_value(json_object_get(ind, "measure")), "percentage") == 0;
    int decimals = (int)json_integer_value(json_object_get(ind, "rounding"));
    json_t *num = json_is_object(v) ? json_object_get(v, "value") : v;
    const char *note = json_is_object(v) ? json_string_value(json_object_get(v, "note")) : NULL;
    const char *period = json_is_object(v) ? json_string_value(json_object_get(v, "period")) : NULL;
    tocmp_buf b = {0};
    if (json_is_object(v) && json_is_true(json_object_get(v, "pending")))
        tocmp_buf_puts(&b, "pending");
    else if (json_is_string(v))
        tocmp_buf_puts(&b, json_string_value(v));
    else if (json_is_object(v) && json_is_string(json_object_get(v, "text")))
        tocmp_buf_puts(&b, json_string_value(json_object_get(v, "text")));
    else if (json_is_number(num)) {
        char *d = tocmp_display(json_number_value(num) / (pct ? 100.0 : 1.0), 1, pct, decimals);
        tocmp_buf_puts(&b, d);
        free(d);
    } else
        tocmp_buf_puts(&b, "none");
    if (period)
        tocmp_buf_printf(&b, " (%s)", period);
    /* A dash, not a colon: "168: The sum of ..." reads as a ratio. */
    if (note)
        tocmp_buf_printf(&b, " \u2014 %s", note);
    return b.data;
}

/* A note without the words the Actual column already shows ("not
 * reported: no data for 2025" -> "no data for 2025"). borrowed. */
static const char *reason(const char *note) {
    static const char *const said[] = {"not reported: ", "not yet due: "};
    for (size_t i = 0; i < sizeof said / sizeof said[0]; i++)
        if (strncmp(note, said[i], strlen(said[i])) == 0)
            return note + strlen(said[i]);
    return note;
}

/* The indicator as an IPTT block: baseline, life-of-program target, and a
 * row per period (and per breakdown with a target of its own): target,
 * actual, % of target, status, comment. */
static void print_iptt(FILE *out, json_t *ind, int markdown) {
    const char *lead = markdown ? "- " : "  ";
    json_t *baseline = json_object_get(ind, "baseline");
    if (baseline) {
        char *b = plan_text(baseline, ind);
        fprintf(out, "%sBaseline: %s\n", lead, b);
        free(b);
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(baseline, "breakdown"), k, e) {
            char *d = dims_words(json_object_get(e, "dims"));
            char *v = plan_text(json_object_get(e, "value"), ind);
            fprintf(out, "%s%s: %s\n", markdown ? "  - " : "    ", d, v);
            free(d);
            free(v);
        }
    }
    if (json_object_get(ind, "lop_target")) {
        char *t = plan_text(json_object_get(ind, "lop_target"), ind);
        fprintf(out, "%sLife-of-program target: %s\n", lead, t);
        free(t);
    }
    /* Say so when there is no plan, rather than leave it to empty columns. */
    int planned = baseline || json_object_get(ind, "lop_target");
    size_t ci;
    json_t *pc;
    json_array_foreach(json_object_get(ind, "cells"), ci, pc) planned |=
        json_object_get(pc, "target") != NULL;
    if (!planned)
        fprintf(out, "%sBaseline and targets: none set.\n", lead);
    const char *mov = json_string_value(json_object_get(ind, "verification"));
    if (mov)
        fprintf(out, "%sMeans of verification: %s\n", lead, mov);
    const char *direction = json_string_value(json_object_get(ind, "direction"));
    if (direction && strcmp(direction, "lower") == 0)
        fprintf(out,
                "%sLower is better: %% of target is the share of the planned reduction, from "
                "the baseline to the target, achieved.\n",
                lead);
    json_t *th = json_object_get(ind, "thresholds");
    if (th) {
        double achieved = json_number_value(json_object_get(th, "achieved"));
        fprintf(out, "%sOn track from %g%% of the way from the baseline to the target", lead,
                json_number_value(json_object_get(th, "on_track")) * 100);
        if (achieved < 1)
            fprintf(out, ", achieved from %g%%", achieved * 100);
        fputs(" (this indicator's own thresholds).\n", out);
    }
    const char *notes = json_string_value(json_object_get(ind, "notes"));
    if (notes) {
        char *t = tocmp_md_cell(notes, markdown);
        fprintf(out, "%sNotes: %s\n", lead, t);
        free(t);
    }
    const char *agg = json_string_value(json_object_get(ind, "aggregation"));
    int cumulative = agg && strcmp(agg, "cumulative") == 0;
    /* Texts are read, not compared: left-aligned, as words are. */
    int qualitative =
        strcmp(json_string_value(json_object_get(ind, "measure")), "qualitative") == 0;

    static const char *const head[] = {"Period",      "Breakdown", "Target", "Actual",
                                       "% of target", "Status",    "Comment"};
    enum { NC = 7 };
    json_t *cells = json_object_get(ind, "cells");
    size_t n = json_array_size(cells), rows = 1;
    char **grid = tocmp_xcalloc((n + 1) * NC, sizeof *grid);
    for (size_t c = 0; c < NC; c++)
        grid[c] = tocmp_xstrdup(head[c]);
    if (cumulative) {
        free(grid[3]);
        grid[3] = tocmp_xstrdup("Actual (cumulative)");
    }
    size_t i;
    json_t *cell;
    json_array_foreach(cells, i, cell) {
        json_t *dims = json_object_get(cell, "dims");
        int total = json_object_size(dims) == 0;
        /* A breakdown has a row of its own when it has a target or a
         * comment: a comment is read beside the figure it is about. */
        if (!total && !json_object_get(cell, "target") && !json_object_get(cell, "comment"))
            continue;
        const char *period = json_string_value(json_object_get(cell, "period"));
        int lop = strcmp(period, "total") == 0;
        char **line = grid + rows++ * NC;
        const char *label = json_string_value(json_object_get(cell, "target_label"));
        /* The total column: to date (cumulative), the latest figure and
         * its period (a stock, a text), else all periods together. */
        const char *latest = json_string_value(json_object_get(cell, "latest_period"));
        if (!latest)
            latest = json_string_value(json_object_get(ind, "latest_period"));
        line[0] = lop && (cumulative || !json_object_get(ind, "periods")) ? tocmp_xstrdup("To date")
                  : lop && latest ? tocmp_asprintf("Latest (%s)", latest)
                  : lop           ? tocmp_xstrdup("All periods")
                  : label         ? tocmp_asprintf("%s (%s)", period, label)
                                  : tocmp_xstrdup(period);
        line[1] = total ? tocmp_xstrdup("Total") : dims_words(dims);
        const char *tdisp = json_string_value(json_object_get(cell, "target_display"));
        if (!tdisp && lop && json_object_get(ind, "lop_target_display"))
            tdisp = json_string_value(json_object_get(ind, "lop_target_display"));
        /* A text life-of-program target (qualitative) has no printed form. */
        json_t *lop_target = json_object_get(ind, "lop_target");
        char *lop_text = tdisp || !lop || !lop_target ? NULL
                         : json_is_true(json_object_get(lop_target, "pending"))
                             ? tocmp_xstrdup("pending")
                             : plan_text(lop_target, ind);
        line[2] = tocmp_md_cell(tdisp ? tdisp : lop_text ? lop_text : "", markdown);
        free(lop_text);
        const char *disp = json_string_value(json_object_get(cell, "display"));
        const char *status = json_string_value(json_object_get(cell, "status"));
        json_t *value = json_object_get(cell, "value");
        int reported = !json_is_null(value) || json_object_get(cell, "text");
        const char *why = json_string_value(json_object_get(cell, "note"));
        /* No figure: not yet due, not reported, or none of its own (a
         * total of texts or of percentages entered by breakdown), which the
         * comment column explains. */
        char *printed = printed_only(cell) ? tocmp_asprintf("%s " PRINTED_MARK, disp) : NULL;
        line[3] = tocmp_md_cell(printed                                         ? printed
                                : reported                                      ? disp
                                : json_object_get(cell, "due")                  ? "not yet due"
                                : !why || strncmp(why, "not reported", 12) == 0 ? "not reported"
                                                                                : "\u2013",
                                markdown);
        free(printed);
        json_t *pot = json_object_get(cell, "percent_of_target");
        line[4] = percent_text(pot ? pot : json_object_get(cell, "percent_of_lop_target"));
        line[5] = tocmp_xstrdup(status ? tocmp_status_words(status) : "");
        /* The comment, else why there is no figure. */
        const char *comment = json_string_value(json_object_get(cell, "comment"));
        const char *note = json_string_value(json_object_get(cell, "note"));
        tocmp_buf cb = {0};
        tocmp_buf_puts(&cb, "");
        if (comment)
            tocmp_buf_puts(&cb, comment);
        else if (!reported && json_object_get(cell, "due"))
            tocmp_buf_printf(&cb, "due by %s", json_string_value(json_object_get(cell, "due")));
        else if (!reported && note)
            tocmp_buf_puts(&cb, reason(note));
        if (json_object_get(cell, "reported"))
            tocmp_buf_printf(&cb, "%sas printed \u2713", cb.len ? "; " : "");
        if (printed_only(cell))
            tocmp_buf_printf(&cb, "%sas printed%s%s%s, not computed", cb.len ? "; " : "",
                             json_object_get(cell, "source") ? " (" : "",
                             json_object_get(cell, "source")
                                 ? json_string_value(json_object_get(cell, "source"))
                                 : "",
                             json_object_get(cell, "source") ? ")" : "");
        line[6] = tocmp_md_cell(cb.data, markdown);
        free(cb.data);
    }
    fputc('\n', out);
    size_t w[NC] = {0};
    for (size_t k = 0; k < rows * NC; k++)
        if (width(grid[k]) > w[k % NC])
            w[k % NC] = width(grid[k]);
    /* A column with nothing in it is left out: an indicator without a plan
     * (the bundled model's) has no Target, % or Status to show, and a
     * qualitative one no % of target. Period, breakdown and actual stay. */
    int keep[NC];
    for (size_t c = 0; c < NC; c++) {
        keep[c] = c <= 1 || c == 3;
        for (size_t r = 1; r < rows && !keep[c]; r++)
            keep[c] = *grid[r * NC + c] != '\0';
    }
    for (size_t r = 0; r < rows; r++) {
        fputs(markdown ? "|" : "  ", out);
        /* Text lines end at their last word, not in padding. */
        size_t last = NC;
        while (!markdown && last > 1 && (!keep[last - 1] || !*grid[r * NC + last - 1]))
            last--;
        for (size_t c = 0; c < last; c++) {
            if (!keep[c])
                continue;
            int right = c >= 2 && c <= 4 && (!qualitative || c == 4);
            fputs(markdown ? " " : (c ? "  " : ""), out);
            if (markdown || c + 1 < last)
                pad(out, grid[r * NC + c], w[c], right);
            else
                fputs(grid[r * NC + c], out);
            if (markdown)
                fputs(" |", out);
        }
        fputc('\n', out);
        if (markdown && r == 0) {
            fputs("|", out);
            for (size_t c = 0; c < NC; c++)
                if (keep[c])
                    fputs(c >= 2 && c <= 4 && (!qualitative || c == 4) ? " ---: |" : " --- |", out);
            fputc('\n', out);
        }
    }
    fputc('\n', out);
    for (size_t k = 0; k < rows * NC; k++)
        free(grid[k]);
    free(grid);
}

void tocmp_report_print_indicator(FILE *out, json_t *ind, int markdown, int heading) {
    char hashes[8];
    int h = heading < 1 ? 1 : heading > 6 ? 6 : heading;
    memset(hashes, '#', (size_t)h);
    hashes[h] = '\0';
    char *title = tocmp_md_cell(json_string_value(json_object_get(ind, "title")), markdown);
    if (markdown)
        fprintf(out, "\n%s %s: %s\n\n", hashes, json_string_value(json_object_get(ind, "id")),
                title);
    else
        fprintf(out, "\n%s  %s\n", json_string_value(json_object_get(ind, "id")), title);
    free(title);
    tocmp_buf nb = {0};
    size_t k;
    json_t *node;
    json_array_foreach(json_object_get(ind, "nodes"), k, node) {
        tocmp_buf_printf(&nb, "%s%s", k ? ", " : "", json_string_value(node));
    }
    char *nodes = nb.data ? nb.data : tocmp_xstrdup("none");
    const char *unit = json_string_value(json_object_get(ind, "unit"));
    fprintf(out, "%smeasure: %s%s%s%s; calculator: %s; results: %s\n%s", markdown ? "" : "  ",
            json_string_value(json_object_get(ind, "measure")), unit ? " (" : "", unit ? unit : "",
            unit ? ")" : "", json_string_value(json_object_get(ind, "calculator")), nodes,
            markdown ? "\n" : "");
    free(nodes);
    print_iptt(out, ind, markdown);
    if (json_array_size(json_object_get(ind, "dimensions"))) {
        fputs(markdown ? "Figures by breakdown:\n\n" : "  Figures by breakdown:\n", out);
        print_table(out, ind, markdown);
    }
}
