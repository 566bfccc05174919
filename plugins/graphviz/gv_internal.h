/*
 * gv_internal.h -- what the files of the graphviz exporter plugin share.
 *
 * The plugin includes tocm/plugin.h and Graphviz's own headers, nothing else
 * from tocm. Layout of the code:
 *   graphviz.c   the plugin descriptor, options, gvc layout and rendering
 *   view.c       which nodes and links a view shows (full, node:, country:,
 *                mapping), and the narrower views offered for large models
 *   build.c      the cgraph graph: bands, clusters, labels, colours, legend
 *   status.c     --color-by rag: each node's status, read from the report
 *   text.c       a byte buffer, UTF-8, word wrap and Graphviz escaping
 *   countries.c  ISO 3166-1 names for cluster labels
 */
#ifndef TOCM_GV_INTERNAL_H
#define TOCM_GV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <tocm/plugin.h>

#define GV_PLUGIN_NAME "graphviz"

/* Graphviz 2.43 leaks by design and by bug: gvContext keeps its config
 * text, gvPluginList loses the names it deduplicates, and a layout leaves
 * pieces of the HTML-label parser, mincross and pango behind. In a
 * sanitizer build, what Graphviz allocates between these two marks is not
 * reported as a leak (LeakSanitizer's own API, per thread); nothing of
 * tocm's is allocated in between, so tocm's leaks are still caught.
 * Threads Graphviz's libraries start (fontconfig) are covered by
 * tests/lsan.supp instead. */
#if defined(__SANITIZE_ADDRESS__)
#define GV_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GV_LSAN 1
#endif
#endif
#ifdef GV_LSAN
#include <sanitizer/lsan_interface.h>
#define GRAPHVIZ_LEAKS_BEGIN() __lsan_disable()
#define GRAPHVIZ_LEAKS_END() __lsan_enable()
#else
#define GRAPHVIZ_LEAKS_BEGIN() ((void)0)
#define GRAPHVIZ_LEAKS_END() ((void)0)
#endif

/* ---- text.c ------------------------------------------------------------ */

/* A growable NUL-terminated byte string. Allocation failure sets failed and
 * makes every later append a no-op, so callers check once at the end. */
struct buf {
    char *data;
    size_t len, cap;
    int failed;
};

void buf_add(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text so far ("" when empty); valid until the next append. */
const char *buf_str(const struct buf *b);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* Decodes the UTF-8 sequence at s (which is not at its end): sets *cp and
 * returns its length in bytes, 1..4. A malformed byte decodes as U+FFFD and
 * has length 1, so the caller always advances. */
size_t utf8_decode(const char *s, uint32_t *cp);

/* Columns a code point takes in a label: 0 for combining marks (so a base
 * letter and its marks stay together), 2 for East Asian wide characters,
 * 1 otherwise. */
int cp_width(uint32_t cp);

/* Text for a Graphviz HTML-like label: & < > " are entities, a backslash is
 * doubled (Graphviz expands \N, \G ... in label text), newlines become
 * <br/>, tabs spaces, other control characters U+FFFD. */
void html_text(struct buf *b, const char *s);

/* The same, word-wrapped to lines of at most width columns (a longer word
 * is cut between characters, never inside one or before a combining mark).
 * Newlines in s always break. Lines are joined with <br/>. */
void html_wrapped(struct buf *b, const char *s, int width);

/* Text for a tooltip attribute: Graphviz expands backslash escapes in
 * tooltips twice, so a backslash is written as four; & is written as &amp;
 * (the SVG writer leaves entities alone, so a literal "&amp;" would
 * otherwise show as "&"); control characters except newline become U+FFFD. */
void tooltip_text(struct buf *b, const char *s);

/* Text for an id attribute (the SVG element id): the same, but ids are
 * expanded once, so a backslash is doubled. */
void id_text(struct buf *b, const char *s);

/* A CSS class name: ASCII letters, digits, '-' and '_'; anything else '_'. */
void class_text(struct buf *b, const char *s);

/* ---- countries.c ------------------------------------------------------- */

/* The English short name of an ISO 3166-1 alpha-2 code, or NULL. */
const char *country_name(const char *code);

/* ---- view.c ------------------------------------------------------------ */

enum view_kind {
    VIEW_FULL,
    VIEW_NODE,
    VIEW_COUNTRY,
    VIEW_MAPPING,
    VIEW_EOPO,
    VIEW_OUTCOMES,
    VIEW_MATRIX
};

/* How projects are drawn where their clusters are: one node each, listed
 * inside their cluster's box, counted in it, or left out. */
enum projects_mode { PROJECTS_NODES, PROJECTS_LIST, PROJECTS_COUNT, PROJECTS_HIDE };

struct view {
    enum view_kind kind;
    char spec[128]; /* as given ("full" when none) */
    enum projects_mode projects;
    size_t focus;         /* VIEW_NODE, VIEW_EOPO: the node */
    char country[8];      /* VIEW_COUNTRY: the code, upper case */
    size_t project_level; /* the level whose nodes are projects (TOCM_NONE: none) */
    size_t cluster_level; /* the level of project clusters (TOCM_NONE: none) */
    size_t eopo_level;    /* the level of the end-of-program outcomes */
    size_t node_count;    /* nodes in the model */
    unsigned char *shown; /* per model node: 1 when the view draws it as a node */
    /* per model node: the cluster a project is folded into (list, count
     * and hide modes; it is then not shown), or TOCM_NONE */
    size_t *home;
    size_t shown_count;
    size_t folded_count; /* projects folded into their clusters */
    size_t edge_count;   /* links the view draws */
};

/* Parses "full", "mapping", "outcomes", "matrix", "node:ID", "eopo:ID" or
 * "country:CODE" (NULL: full) and selects the nodes. 0, or -1 with err set
 * (unknown view, node or country; out of memory). */
int view_open(const struct tocm_host *host, const tocm_model *m, const char *spec,
              enum projects_mode projects, struct view *v, tocm_error *err);
/* 1 when the view draws the link from node to host->node_out(m, node, i)
 * between two shown nodes. */
int view_draws_link(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                    size_t node, size_t i);
/* 1 when node is a project (of the project level). */
int view_is_project(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                    size_t node);
/* 1 when node is a project cluster. */
int view_is_cluster(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                    size_t node);
/* 1 when the node's level is an outcome level. */
int view_is_outcome(const struct tocm_host *host, const tocm_model *m, size_t node);
/* 1 when from links to to directly; *inferred set when it does. */
int view_links(const struct tocm_host *host, const tocm_model *m, size_t from, size_t to,
               int *inferred);
/* The first cluster (in natural id order) through which project reaches
 * outcome without citing it directly, or TOCM_NONE. */
size_t view_through_cluster(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                            size_t project, size_t outcome);
/* A link as a view draws it. */
enum link_kind {
    LINK_PLAIN,   /* from -> to, as the model has it */
    LINK_THROUGH, /* mapping: a project reaches an outcome through its cluster (via) */
    LINK_LISTED,  /* a project listed in its cluster's box (tail) cites to */
};
struct drawn_link {
    enum link_kind kind;
    size_t from, to; /* model nodes */
    size_t tail;     /* the node drawn at the tail: from, or the box from is listed in */
    size_t via;      /* LINK_THROUGH: the cluster */
    int inferred;    /* the modeller inferred the link (for LINK_THROUGH: either step) */
    int direct_too;  /* a cluster's link whose target a project listed in it also cites */
};
/* Calls fn for each link the view draws, in a fixed order. Stops and
 * returns -1 when fn does. */
int view_each_link(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                   int (*fn)(const struct drawn_link *l, void *ctx), void *ctx);
/* A line for the diagram's subtitle, e.g. "Cambodia (KH): its projects and
 * every result they lead to". */
void view_describe(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                   struct buf *out);
/* Logs (as notes) the narrower views of the model and their sizes: the
 * outcomes, one per EOPO, one per country, the mapping. */
void view_suggest(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                  size_t limit);
void view_close(struct view *v);

/* ---- order.c ------------------------------------------------------------- */

/* Natural order of ids: digit runs compare as numbers (O2.4 < O2.10). */
int natural_cmp(const char *a, const char *b);
/* Country codes in the diagrams' order: none (regional) first, then by
 * code. */
int country_cmp(const char *a, const char *b);
/* Sorts nodes[0..count) by level, then country (country_cmp), then id
 * (natural_cmp). */
void sort_nodes(const struct tocm_host *host, const tocm_model *m, size_t *nodes, size_t count);
/* Sorts nodes[0..count) by id (natural_cmp) only. */
void sort_by_id(const struct tocm_host *host, const tocm_model *m, size_t *nodes, size_t count);
/* The distinct countries of the model's nodes in country_cmp order
 * (regional not included). new: free() *codes. 0, -1 out of memory. */
int model_countries(const struct tocm_host *host, const tocm_model *m, const char ***codes,
                    size_t *count);

/* ---- status.c ------------------------------------------------------------ */

/* A node's status for --color-by rag, best first after "none". */
enum rag { RAG_NONE, RAG_GREEN, RAG_AMBER, RAG_RED };
/* "✔", "▲", "✖" or "–"; "on track", ...; "green", ... (for classes). */
const char *rag_symbol(enum rag r);
const char *rag_words(enum rag r);
const char *rag_name(enum rag r);

struct node_status {
    enum rag rag;
    size_t rated[4];   /* the counts it was decided from, by rag (none: not rated) */
    size_t indicators; /* indicators that measure the node itself (the badge) */
    int in_rollup;     /* the report's roll-up lists the node */
    char *rollup;      /* "indicators beneath: 3 achieved, 1 off track; ..." or NULL */
    char *measured;    /* "ID: status" per indicator of the node, or NULL */
};

struct statuses {
    char period[64];
    struct node_status *node; /* per model node */
    size_t node_count;
};

/* Reads each node's status in period from the report JSON (the document
 * `tocm report --format json` prints). 0, or -1 with err set: not a
 * report, or a period none of its indicators has (the message lists
 * theirs). */
int statuses_read(const struct tocm_host *host, const tocm_model *m, const char *json, size_t len,
                  const char *period, struct statuses *s, tocm_error *err);
void statuses_free(struct statuses *s);

/* ---- build.c ----------------------------------------------------------- */

enum color_by { COLOR_LEVEL, COLOR_STATUS, COLOR_COUNTRY, COLOR_RAG };
/* Where the top level (the goal) goes. LR puts it on the right: the chain
 * reads left to right, from the projects to the goal. */
enum direction { DIR_TB, DIR_BT, DIR_LR, DIR_RL };

struct render_opts {
    enum color_by color_by;
    enum direction direction;
    int wrap;                      /* columns per title line */
    int assumptions;               /* draw each node's assumptions as a note */
    int compact;                   /* on a page: tighter spacing, a narrower key */
    const struct statuses *status; /* COLOR_RAG: each node's, from the report */
};

struct Agraph_s;
/* Builds the graph of the view, ready for gvLayout. NULL when out of
 * memory. */
struct Agraph_s *build_graph(const struct tocm_host *host, const tocm_model *m,
                             const struct view *v, const struct render_opts *o);

/* ---- page.c -------------------------------------------------------------- */

struct page {
    double w, h;   /* points; 0: no page (the drawing at its own size) */
    double margin; /* points, each side */
    int landscape;
    char name[48];
};

/* What fitting a laid-out drawing to a page gives. */
struct fit {
    double width, height; /* the drawing, points, with its pad */
    double smallest;      /* its smallest text, points, before scaling */
    double scale;         /* at most 1 */
};

/* Parses --page ("A4", "A3", "letter", "slide", "WxH" in mm, cm or in) and
 * --landscape. 0, or -1 with err set. */
int page_parse(const struct tocm_host *host, const char *spec, int landscape, struct page *p,
               tocm_error *err);
/* "A4 landscape (297 x 210 mm)". */
void page_describe(const struct page *p, struct buf *out);
/* The smallest text size (points) of a graph's visible labels: fontsize,
 * and point-size inside HTML-like labels. */
double drawing_smallest_font(struct Agraph_s *g);
/* Fits the laid-out g to p (NULL or no size: scale 1). */
void page_fit(struct Agraph_s *g, const struct page *p, struct fit *f);

/* A PDF of any number of pages, built in memory. */
struct pdf;
struct GVC_s;
struct pdf *pdf_open(void);
/* Draws the laid-out g on a new page of p's size (or the drawing's own,
 * when p has none), scaled by f->scale, at the top, centred. 0 or -1. */
int pdf_page(struct pdf *d, struct GVC_s *gvc, struct Agraph_s *g, const struct page *p,
             const struct fit *f);
/* Finishes the PDF: its bytes go to *out (buf_free them). 0 or -1. */
int pdf_close(struct pdf *d, struct buf *out);

/* ---- matrix_model.c (what the matrix holds; shared with the xlsx plugin)
 * and matrix.c (its CSV, Markdown and drawing) -------------------------- */

struct matrix {
    size_t *rows, row_count; /* projects, by country then id */
    size_t *cols, col_count; /* outcomes, by EOPO */
    size_t *group;           /* per column: its EOPO (TOCM_NONE: none) */
};
enum cell { CELL_NONE, CELL_CITED, CELL_INFERRED, CELL_CLUSTER };

/* The rows and columns of the matrix of v. 0, -1 out of memory. */
int matrix_collect(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                   struct matrix *mx);
void matrix_free(struct matrix *mx);
/* What the cell of project x outcome holds (*via: the cluster). */
enum cell matrix_cell(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                      size_t project, size_t outcome, size_t *via);
/* The matrix as CSV (cells: cited, inferred, "cluster ID" or empty) or as
 * Markdown (the symbols). */
void matrix_text(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                 const struct matrix *mx, int markdown, struct buf *out);
/* The matrix drawn as one table: rows [from, to) (to 0: all); part, when
 * not NULL, says which part ("1 of 2") in the subtitle. NULL: no memory. */
struct Agraph_s *build_matrix(const struct tocm_host *host, const tocm_model *m,
                              const struct view *v, const struct matrix *mx, size_t from, size_t to,
                              const char *part);

#endif
