/*
 * html_internal.h -- shared by the files of the html exporter.
 *
 * The page is built in memory (struct hbuf) and handed to the host in one
 * piece, so a failure half-way never leaves half a page behind. Every string
 * that comes from the model or the data goes through one of the escapers
 * below, chosen by where it lands: element text, an attribute value, or SVG
 * text. Nothing from the model ever lands in CSS, a URL or an id as is:
 * ids and URLs are made with hb_id, CSS classes from indexes.
 */
#ifndef TOCM_HTML_INTERNAL_H
#define TOCM_HTML_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <tocm/plugin.h>

/* A growing byte buffer. An allocation failure sets `failed` and turns every
 * later append into nothing: the caller checks once, at the end. */
struct hbuf {
    char *data;
    size_t len, cap;
    int failed;
};

void hb_free(struct hbuf *b);
void hb_put(struct hbuf *b, const char *s, size_t n);
void hb_puts(struct hbuf *b, const char *s);
void hb_printf(struct hbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Element text: & < > escaped, controls dropped, and a string holding a
 * bidirectional control isolated in <bdi> so it cannot reorder what
 * follows it on the line. */
void hb_text(struct hbuf *b, const char *s);
/* An attribute value between double quotes: & < > " ' escaped, and
 * controls (bidi ones included) shown as \uXXXX, as the CLI prints them. */
void hb_attr(struct hbuf *b, const char *s);
/* Text inside SVG (<text>, <title>, <desc>): the XML escapes, and controls
 * shown as \uXXXX. */
void hb_svg(struct hbuf *b, const char *s);
/* An id (and the fragment of a link to it): prefix + the string with every
 * byte outside [A-Za-z0-9._-] written as ~XX, so any id maps to a valid,
 * distinct HTML id, and the usual ones (O1.2, T1.capacity_development)
 * read as themselves in a link. */
void hb_id(struct hbuf *b, const char *prefix, const char *s);
/* A number for SVG coordinates: at most two decimals, no -0. */
void hb_num(struct hbuf *b, double v);

/* Everything the sections of the page share. */
struct page {
    const struct tocm_host *host;
    const tocm_model *m;
    tocm_error *err;
    struct hbuf out;
    json_t *report; /* the report document (models/FORMAT.md) */
    json_t *model;  /* the model in its canonical JSON (tables, program) */
    /* The country filter: the codes, regional entries first, then by code.
     * A country's CSS class is "c" + its index here. */
    char **countries;
    size_t country_count;
    const char *chain_view; /* "outcomes", "full" or "none" */
    int chart_seq;          /* numbers the ids of chart titles */
    unsigned char *block;   /* per node: 1 when the results section has it */
    size_t *home;           /* per indicator: the node it is shown under */
};

/* json helpers: NULL/"" safe. */
const char *js(json_t *o, const char *key);
int is_cumulative(json_t *ind);

/* The index of a country in the filter, or -1. */
long country_index(const struct page *p, const char *code);
/* ` class="cty cN"` for a breakdown (or nothing when it has no country). */
void country_class(struct page *p, json_t *dims, const char *more);

/* Status words: a symbol and a word, never colour alone. */
const char *status_symbol(const char *status);
/* The CSS class suffix of a status: ok, track, off, none. */
const char *status_class(const char *status);

/* Sections. */
void css_write(struct page *p);
/* The results chain as a diagram (chain.c), linking to the results. */
int chain_write(struct page *p);
/* An indicator's charts, each with a title, a description and its data as
 * a table (chart.c). */
void charts_write(struct page *p, json_t *ind);
/* The results, each with its indicators (results.c); results_plan first
 * decides which nodes have a block, so the diagram can link to them. */
int results_plan(struct page *p);
int results_write(struct page *p);
/* The status a result shows: the worst of its indicators' (NULL: none). */
const char *node_status(struct page *p, const char *node_id);
/* The same, or when none of them has a verdict, what they are ("no
 * target"); NULL when no indicator lies beneath it. */
const char *node_status_word(struct page *p, const char *node_id);
/* An indicator's status: that of its latest reported period's total. */
const char *indicator_status(json_t *ind);
/* Whether the results section has a block for the node (a link target). */
int node_has_block(struct page *p, size_t node);
/* One indicator: its plan, the IPTT, the figures by breakdown, charts. */
void indicator_write(struct page *p, json_t *ind);
/* A breakdown as words ("country KH, sex F"), or "Total" for none. */
void dims_words(struct hbuf *o, json_t *dims);
/* What a cell without a figure is: "not yet due" (its period has not ended)
 * or "not reported". */
const char *missing_word(json_t *cell);

#endif
