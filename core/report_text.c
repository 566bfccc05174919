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

/* What a cell shows: the figure, and for gesi the counts behind it. */
static char *cell_text(json_t *cell) {
    if (!cell)
        return tocmp_xstrdup("");
    const char *display = json_string_value(json_object_get(cell, "display"));
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
                                          json_string_value(json_array_get(p.periods, k))));
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
    for (size_t i = 0; i < ncols * nrows; i++)
        free(grid[i]);
    free(grid);
    free(w);
    pivot_free(&p);
}

static void print_targets(FILE *out, json_t *ind, int markdown) {
    size_t i;
    json_t *cell;
    json_array_foreach(json_object_get(ind, "cells"), i, cell) {
        json_t *target = json_object_get(cell, "target");
        if (json_object_size(json_object_get(cell, "dims")) || !target)
            continue;
        int pct = strcmp(json_string_value(json_object_get(ind, "measure")), "percentage") == 0;
        char *t = tocmp_display(json_number_value(target), 1, pct,
                                (int)json_integer_value(json_object_get(ind, "rounding")));
        fprintf(out, "%s%s: %s against a target of %s: %s\n", markdown ? "- " : "  ",
                json_string_value(json_object_get(cell, "period")),
                json_string_value(json_object_get(cell, "display")), t,
                json_string_value(json_object_get(cell, "status")));
        free(t);
    }
}

static void print_checks(FILE *out, json_t *report, int markdown) {
    json_t *checks = json_object_get(report, "checks");
    fprintf(out, markdown ? "\n## Checks\n\n" : "\nChecks\n");
    if (json_array_size(checks) == 0) {
        fprintf(out,
                "%sEvery figure recorded as printed matches the data, and every "
                "breakdown adds up to its total.\n",
                markdown ? "" : "  ");
        return;
    }
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c) {
        char *dims = json_dumps(json_object_get(c, "dims"), JSON_COMPACT);
        const char *source = json_string_value(json_object_get(c, "source"));
        fprintf(out, "%s%s %s %s: %s%s%s%s\n", markdown ? "- " : "  ",
                json_string_value(json_object_get(c, "indicator")),
                json_string_value(json_object_get(c, "period")), dims ? dims : "{}",
                json_string_value(json_object_get(c, "message")), source ? " (" : "",
                source ? source : "", source ? ")" : "");
        free(dims);
    }
}

static void print_rollup(FILE *out, json_t *report, int markdown) {
    json_t *rollup = json_object_get(report, "rollup");
    if (!json_array_size(rollup))
        return;
    fprintf(out, markdown ? "\n## Status by outcome\n\n" : "\nStatus by outcome\n");
    size_t i;
    json_t *r;
    json_array_foreach(rollup, i, r) {
        fprintf(out, "%s%s (%s):", markdown ? "- **" : "  ",
                json_string_value(json_object_get(r, "node")),
                json_string_value(json_object_get(r, "level")));
        if (markdown)
            fputs("**", out);
        const char *groups[2] = {"indicators", "projects"};
        for (int g = 0; g < 2; g++) {
            json_t *counts = json_object_get(r, groups[g]);
            if (!json_object_size(counts))
                continue;
            fprintf(out, " %s", groups[g]);
            const char *k;
            json_t *v;
            int first = 1;
            json_object_foreach(counts, k, v) {
                fprintf(out, "%s %lld %s", first ? "" : ",", (long long)json_integer_value(v), k);
                first = 0;
            }
            fputc(';', out);
        }
        fputc('\n', out);
    }
}

void tocmp_report_print_text(FILE *out, json_t *report, int markdown) {
    json_t *program = json_object_get(report, "program");
    fprintf(out, markdown ? "# Indicator report: %s\n" : "Indicator report: %s\n",
            json_string_value(json_object_get(program, "title")));
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(report, "indicators"), i, ind) {
        fprintf(out, markdown ? "\n## %s: %s\n\n" : "\n%s  %s\n",
                json_string_value(json_object_get(ind, "id")),
                json_string_value(json_object_get(ind, "title")));
        tocmp_buf nb = {0};
        size_t k;
        json_t *node;
        json_array_foreach(json_object_get(ind, "nodes"), k, node) {
            tocmp_buf_printf(&nb, "%s%s", k ? ", " : "", json_string_value(node));
        }
        char *nodes = nb.data ? nb.data : tocmp_xstrdup("none");
        const char *unit = json_string_value(json_object_get(ind, "unit"));
        fprintf(out, "%smeasure: %s%s%s%s; calculator: %s; results: %s\n%s", markdown ? "" : "  ",
                json_string_value(json_object_get(ind, "measure")), unit ? " (" : "",
                unit ? unit : "", unit ? ")" : "",
                json_string_value(json_object_get(ind, "calculator")), nodes, markdown ? "\n" : "");
        free(nodes);
        print_table(out, ind, markdown);
        print_targets(out, ind, markdown);
    }
    print_checks(out, report, markdown);
    print_rollup(out, report, markdown);
}
