/*
 * graphviz.c -- the `graphviz` exporter: the results chain as a diagram,
 * laid out and rendered in process by Graphviz (cgraph + gvc; `dot` is
 * never run).
 *
 * Formats: svg, png, pdf and dot (the laid-out graph, as `dot -Tdot`
 * writes it), then whatever else the installed gvc can write (listed at load
 * time: jpg, eps, canon -- the graph before layout, ...), except its
 * interactive windows (x11, xlib, gtk) and its JSON dumps, which would take
 * the "json" format from tocm's own json exporter.
 *
 * Options (`tocm render` sets them from its flags; `tocm export --option`
 * takes them too):
 *   view       full (default), mapping, node:ID, country:CODE
 *   color-by   level (default), status, country, rag (the report's roll-up
 *              for period; needs the report, which `tocm render` computes)
 *   period     the period rag reads
 *   direction  TB (goal at the top; default), BT, LR (projects on the left,
 *              goal on the right; default for mapping), RL
 *   force      1: lay out a view larger than max-nodes anyway
 *   max-nodes  the largest view laid out without force (default 2500)
 *   wrap       title columns per line (default 30)
 */
#include <stdlib.h>
#include <string.h>

#include <cgraph.h>
#include <gvc.h>

#include "gv_internal.h"

#define DEFAULT_MAX_NODES 2500
#define DEFAULT_WRAP 30
#define DEFAULT_DPI 150
#define DEFAULT_MIN_FONT 8

/* ---- formats, found once at load time ------------------------------------ */

#define MAX_FORMATS 96
static const char *formats[MAX_FORMATS + 1];
static char format_names[2048];
static int formats_ready;

/* One Graphviz context for the plugin's life. Graphviz 2.43's pango plugin
 * keeps font data that points into the first context it served: a second
 * context, after the first was freed, reads freed memory (AddressSanitizer
 * shows it as soon as one process draws twice, as `tocm serve` does on every
 * request). So the context is made once, on first use, reused by every
 * export (each graph's layout is freed after it is drawn), and freed when the
 * plugin is unloaded. */
static GVC_t *shared_gvc;

static GVC_t *plugin_gvc(void) {
    if (!shared_gvc) {
        GRAPHVIZ_LEAKS_BEGIN();
        shared_gvc = gvContext();
        GRAPHVIZ_LEAKS_END();
    }
    return shared_gvc;
}

__attribute__((destructor)) static void free_plugin_gvc(void) {
    if (shared_gvc) {
        GRAPHVIZ_LEAKS_BEGIN();
        gvFreeContext(shared_gvc);
        GRAPHVIZ_LEAKS_END();
        shared_gvc = NULL;
    }
}

static int format_excluded(const char *f) {
    static const char *const excluded[] = {"x11",   "xlib",     "gtk",      "json",
                                           "json0", "dot_json", "xdot_json"};
    for (size_t i = 0; i < sizeof excluded / sizeof excluded[0]; i++)
        if (strcmp(f, excluded[i]) == 0)
            return 1;
    return 0;
}

static int list_has(char **list, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return 1;
    return 0;
}

static void free_names(char **list, int n) {
    for (int i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

/* Fills formats: the main four first, then the rest in gvc's (sorted)
 * order. 0, or -1 with err set when gvc cannot lay out or write them. */
static int find_formats(const struct tocm_host *host, tocm_error *err) {
    static const char *const main_formats[] = {"svg", "png", "pdf", "dot"};
    GVC_t *gvc = plugin_gvc();
    GRAPHVIZ_LEAKS_BEGIN();
    int nd = 0, nl = 0;
    char **devices = gvc ? gvPluginList(gvc, "device", &nd, NULL) : NULL;
    char **layouts = gvc ? gvPluginList(gvc, "layout", &nl, NULL) : NULL;
    GRAPHVIZ_LEAKS_END();
    if (!gvc) {
        host->error_set(err, GV_PLUGIN_NAME, "Graphviz (gvc) could not start");
        return -1;
    }
    int rc = 0;
    if (!list_has(layouts, nl, "dot")) {
        host->error_set(err, GV_PLUGIN_NAME,
                        "Graphviz has no 'dot' layout plugin (install the graphviz package, "
                        "then run 'dot -c' as root)");
        rc = -1;
    } else {
        for (size_t i = 0; i < 4; i++) {
            if (!list_has(devices, nd, main_formats[i])) {
                host->error_set(err, GV_PLUGIN_NAME,
                                "Graphviz cannot write %s (install the graphviz package, then "
                                "run 'dot -c' as root)",
                                main_formats[i]);
                rc = -1;
                break;
            }
        }
    }
    if (rc == 0) {
        /* The main four first, then the rest in gvc's (sorted) order. */
        size_t count = 0, used = 0;
        for (int i = -4; i < nd && count < MAX_FORMATS; i++) {
            const char *f = i < 0 ? main_formats[i + 4] : devices[i];
            int is_main = 0;
            for (size_t k = 0; k < 4; k++)
                is_main |= strcmp(f, main_formats[k]) == 0;
            if (i >= 0 && (is_main || format_excluded(f)))
                continue;
            size_t len = strlen(f) + 1;
            if (used + len > sizeof format_names)
                break;
            memcpy(format_names + used, f, len);
            formats[count++] = format_names + used;
            used += len;
        }
        /* The matrix view as a table. */
        static const char *const tables[] = {"csv", "md"};
        for (size_t k = 0; k < 2 && count < MAX_FORMATS; k++)
            formats[count++] = tables[k];
        formats[count] = NULL;
        formats_ready = 1;
    }
    free_names(devices, nd);
    free_names(layouts, nl);
    return rc;
}

/* ---- Graphviz's messages, through the host's log --------------------------
 * agerr hands its handler pieces ("Warning", ": ", the text); they are
 * joined and logged a line at a time. */

static const struct tocm_host *log_host;
static struct buf log_line;

static int forward_message(char *piece) {
    buf_puts(&log_line, piece);
    if (log_line.failed || !log_line.data) {
        buf_free(&log_line);
        return 0;
    }
    const char *text = log_line.data;
    const char *nl;
    while ((nl = strchr(text, '\n'))) {
        int is_error = strncmp(text, "Error: ", 7) == 0;
        const char *body = text;
        if (is_error)
            body += 7;
        else if (strncmp(text, "Warning: ", 9) == 0)
            body += 9;
        if (nl > body && log_host)
            log_host->log(is_error ? TOCM_LOG_ERROR : TOCM_LOG_WARNING, GV_PLUGIN_NAME, "%.*s",
                          (int)(nl - body), body);
        text = nl + 1;
    }
    /* Keep the unfinished rest. */
    size_t rest = strlen(text);
    memmove(log_line.data, text, rest + 1);
    log_line.len = rest;
    return 0;
}

/* ---- canon: the graph before layout -----------------------------------------
 * gvc's own canon device wants a layout it then does not print; agwrite
 * writes the same text without one, so canon works at any size, fast. */

static int put_text(void *chan, const char *str) {
    buf_puts(chan, str);
    return 0;
}

static int flush_nothing(void *chan) {
    (void)chan;
    return 0;
}

static int write_canon(Agraph_t *g, struct buf *out) {
    /* As gvc's dot renderer does: swap the graph's output discipline for the
     * write, then put it back. */
    Agiodisc_t *saved = g->clos->disc.io;
    Agiodisc_t io = *saved;
    io.putstr = put_text;
    io.flush = flush_nothing;
    g->clos->disc.io = &io;
    int rc = agwrite(g, out);
    g->clos->disc.io = saved;
    return rc == 0 && !out->failed ? 0 : -1;
}

/* ---- bitmaps ---------------------------------------------------------------
 * cairo cannot draw a bitmap wider or taller than 32767 pixels; gvc then
 * scales it down and says so on stderr under a NULL program name. Lowering
 * the resolution first gives the same picture with a message of our own. */

#define BITMAP_MAX_PIXELS 30000.0

static int is_bitmap(const char *format) {
    static const char *const bitmaps[] = {"png", "jpg",  "jpeg", "jpe",  "gif", "bmp", "ico",
                                          "tif", "tiff", "webp", "wbmp", "gd",  "gd2"};
    for (size_t i = 0; i < sizeof bitmaps / sizeof bitmaps[0]; i++)
        if (strcmp(format, bitmaps[i]) == 0)
            return 1;
    return 0;
}

/* Lowers the graph's resolution when the bitmap would be too large: returns
 * the new dpi (and the old one in *was), or 0 when it fits. */
static double fit_bitmap(Agraph_t *g, const char *format, double *was) {
    if (!is_bitmap(format))
        return 0;
    double pad = 2 * 0.3 * 72; /* the pad attribute, both sides, in points */
    double w = GD_bb(g).UR.x - GD_bb(g).LL.x + pad, h = GD_bb(g).UR.y - GD_bb(g).LL.y + pad;
    double dpi = GD_drawing(g)->dpi > 0 ? GD_drawing(g)->dpi : 96;
    double largest = (w > h ? w : h) * dpi / 72;
    if (largest <= BITMAP_MAX_PIXELS)
        return 0;
    *was = dpi;
    GD_drawing(g)->dpi = dpi * BITMAP_MAX_PIXELS / largest;
    return GD_drawing(g)->dpi;
}

/* ---- options ------------------------------------------------------------- */

static int option_flag(const char *v) {
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
                 strcmp(v, "") == 0);
}

static int option_number(const struct tocm_host *host, const char *name, const char *v, long lo,
                         long hi, long *out, tocm_error *err) {
    if (!v)
        return 0;
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi) {
        host->error_set(err, "options", "%s must be a whole number from %ld to %ld, not '%.40s'",
                        name, lo, hi, v);
        return -1;
    }
    *out = n;
    return 0;
}

/* Everything the options ask for. */
struct job {
    const char *spec; /* the view (NULL: full, or matrix for csv/md) */
    enum projects_mode projects;
    int projects_given, direction_given;
    struct render_opts o;
    long max_nodes;
    int force, book, wrap_given;
    struct page page; /* w == 0: no page */
    double min_font;
    long dpi;
};

static int parse_projects(const struct tocm_host *host, const char *value, enum projects_mode *out,
                          tocm_error *err) {
    static const char *const names[] = {"nodes", "list", "count", "hide"};
    *out = PROJECTS_NODES;
    if (!value)
        return 0;
    for (size_t k = 0; k < 4; k++)
        if (strcmp(value, names[k]) == 0) {
            *out = (enum projects_mode)k;
            return 0;
        }
    host->error_set(err, "options", "projects must be nodes, list, count or hide, not '%.40s'",
                    value);
    return -1;
}

static int parse_options(const struct tocm_host *host, const struct tocm_export_input *in,
                         struct job *j, tocm_error *err) {
    const struct tocm_export_request *req = in->request;
    const char *color = host->export_option(req, "color-by");
    const char *dir = host->export_option(req, "direction");
    memset(j, 0, sizeof *j);
    j->spec = host->export_option(req, "view");
    j->book = option_flag(host->export_option(req, "book"));
    int table = strcmp(in->format, "csv") == 0 || strcmp(in->format, "md") == 0;
    if (table && !j->spec)
        j->spec = "matrix";
    if (table && strcmp(j->spec, "matrix") != 0) {
        host->error_set(err, "options",
                        "-T %s writes the matrix view: use --view matrix, not '%.40s'", in->format,
                        j->spec);
        return -1;
    }
    if (j->book &&
        (j->spec || (strcmp(in->format, "pdf") != 0 && strcmp(in->format, "dot") != 0))) {
        host->error_set(err, "options",
                        j->spec ? "--book makes its own pages: leave out --view"
                                : "--book writes a PDF (-T pdf; -T dot for the laid-out pages)");
        return -1;
    }
    j->o.color_by = COLOR_LEVEL;
    if (color && strcmp(color, "level") == 0)
        j->o.color_by = COLOR_LEVEL;
    else if (color && strcmp(color, "status") == 0)
        j->o.color_by = COLOR_STATUS;
    else if (color && strcmp(color, "country") == 0)
        j->o.color_by = COLOR_COUNTRY;
    else if (color && strcmp(color, "rag") == 0)
        j->o.color_by = COLOR_RAG;
    else if (color) {
        host->error_set(err, "options",
                        "color-by must be level, status, country or rag, not '%.40s'", color);
        return -1;
    }
    const char *period = host->export_option(req, "period");
    if (j->o.color_by == COLOR_RAG && (!period || !*period)) {
        host->error_set(err, "options", "--color-by rag needs --period (e.g. --period 2021)");
        return -1;
    }
    int mapping = j->spec && strcmp(j->spec, "mapping") == 0;
    j->o.direction = mapping ? DIR_LR : DIR_TB;
    if (dir) {
        static const char *const names[] = {"TB", "BT", "LR", "RL"};
        size_t k = 0;
        while (k < 4 && !(strlen(dir) == 2 && (dir[0] & ~0x20) == names[k][0] &&
                          (dir[1] & ~0x20) == names[k][1]))
            k++;
        if (k == 4) {
            host->error_set(err, "options", "direction must be TB, BT, LR or RL, not '%.40s'", dir);
            return -1;
        }
        j->o.direction = (enum direction)k;
        j->direction_given = 1;
    }
    const char *projects = host->export_option(req, "projects");
    j->projects_given = projects != NULL;
    if (parse_projects(host, projects, &j->projects, err) != 0)
        return -1;
    long wrap = DEFAULT_WRAP, dpi = DEFAULT_DPI, min_font = DEFAULT_MIN_FONT;
    j->max_nodes = DEFAULT_MAX_NODES;
    if (option_number(host, "wrap", host->export_option(req, "wrap"), 8, 400, &wrap, err) != 0 ||
        option_number(host, "max-nodes", host->export_option(req, "max-nodes"), 1, 10000000,
                      &j->max_nodes, err) != 0 ||
        option_number(host, "dpi", host->export_option(req, "dpi"), 36, 1200, &dpi, err) != 0 ||
        option_number(host, "min-font", host->export_option(req, "min-font"), 1, 72, &min_font,
                      err) != 0)
        return -1;
    j->o.wrap = (int)wrap;
    j->dpi = dpi;
    j->min_font = (double)min_font;
    j->force = option_flag(host->export_option(req, "force"));
    j->o.assumptions = option_flag(host->export_option(req, "assumptions"));
    const char *page = host->export_option(req, "page");
    int landscape = option_flag(host->export_option(req, "landscape"));
    if (!page && j->book) {
        page = "A4";
        landscape = 1;
    }
    if (page && page_parse(host, page, landscape, &j->page, err) != 0)
        return -1;
    /* On a page: tighter, and titles wrapped to suit the direction (narrow
     * nodes side by side in rows; wider, shorter ones in columns). */
    j->o.compact = page != NULL;
    j->wrap_given = host->export_option(req, "wrap") != NULL;
    if (j->o.compact && !j->wrap_given)
        j->o.wrap = j->o.direction == DIR_TB || j->o.direction == DIR_BT ? 22 : 28;
    if (!page && landscape) {
        host->error_set(err, "options", "--landscape turns a page: add --page (e.g. --page A4)");
        return -1;
    }
    return 0;
}

/* ---- laying out one drawing ------------------------------------------------ */

/* A drawing: its view, graph and how it fits the page. */
struct drawing {
    struct view v;
    Agraph_t *g;
    int laid_out;
    struct fit fit;
    struct render_opts o;
    char what[96]; /* "eopo:EOPO2, left to right, projects listed" */
};

static void drawing_free(GVC_t *gvc, struct drawing *d) {
    GRAPHVIZ_LEAKS_BEGIN();
    if (d->laid_out)
        gvFreeLayout(gvc, d->g);
    GRAPHVIZ_LEAKS_END();
    if (d->g)
        agclose(d->g);
    view_close(&d->v);
    memset(d, 0, sizeof *d);
}

/* Builds and lays out a view (for the matrix, rows [from, to)). 0, or -1
 * with err set. */
static int draw(const struct tocm_host *host, const tocm_model *m, GVC_t *gvc, const char *spec,
                enum projects_mode projects, const struct render_opts *o, const struct page *page,
                size_t from, size_t to, const char *part, struct drawing *d, tocm_error *err) {
    memset(d, 0, sizeof *d);
    if (view_open(host, m, spec, projects, &d->v, err) != 0)
        return -1;
    d->o = *o;
    if (d->v.kind == VIEW_MATRIX) {
        struct matrix mx;
        if (matrix_collect(host, m, &d->v, &mx) != 0) {
            host->error_set(err, GV_PLUGIN_NAME, "out of memory");
            return -1;
        }
        d->g = build_matrix(host, m, &d->v, &mx, from, to, part);
        matrix_free(&mx);
    } else {
        d->g = build_graph(host, m, &d->v, o);
    }
    if (!d->g) {
        host->error_set(err, GV_PLUGIN_NAME, "out of memory building the graph");
        return -1;
    }
    GRAPHVIZ_LEAKS_BEGIN();
    d->laid_out = gvLayout(gvc, d->g, "dot") == 0;
    GRAPHVIZ_LEAKS_END();
    if (!d->laid_out) {
        host->error_set(err, GV_PLUGIN_NAME, "Graphviz could not lay the graph out");
        return -1;
    }
    page_fit(d->g, page, &d->fit);
    return 0;
}

static int fits(const struct drawing *d, double min_font) {
    return d->fit.smallest * d->fit.scale + 1e-9 >= min_font;
}

/* Records the page and the scale on the graph, for -T dot (the tests read
 * them back). */
static void mark_page(Agraph_t *g, const struct page *p, const struct fit *f, const char *spec) {
    char text[64];
    snprintf(text, sizeof text, "%.4f", f->scale);
    agsafeset(g, "tocm_scale", text, "");
    snprintf(text, sizeof text, "%.2f", p->w);
    agsafeset(g, "tocm_page_width", text, "");
    snprintf(text, sizeof text, "%.2f", p->h);
    agsafeset(g, "tocm_page_height", text, "");
    agsafeset(g, "tocm_view", (char *)(spec ? spec : "full"), "");
}

/* Renders a laid-out drawing in a format gvc writes, scaled to the page
 * when there is one. */
static int render_one(const struct tocm_host *host, GVC_t *gvc, struct drawing *d,
                      const struct job *j, const char *format, char **data, unsigned int *len) {
    if (j->page.w > 0) {
        /* Graphviz scales the drawing down to size (points) itself. */
        GD_drawing(d->g)->size.x = j->page.w - 2 * j->page.margin;
        GD_drawing(d->g)->size.y = j->page.h - 2 * j->page.margin;
    }
    if (is_bitmap(format)) {
        GD_drawing(d->g)->dpi = (double)j->dpi;
        double was = 0, fitted = fit_bitmap(d->g, format, &was);
        if (fitted > 0)
            host->log(TOCM_LOG_INFO, GV_PLUGIN_NAME,
                      "the %s is drawn at %.1f dpi instead of %.0f to stay within %.0f pixels; "
                      "svg and pdf keep every detail",
                      format, fitted, was, BITMAP_MAX_PIXELS);
    }
    GRAPHVIZ_LEAKS_BEGIN();
    int ok = gvRenderData(gvc, d->g, format, data, len) == 0 && *data;
    GRAPHVIZ_LEAKS_END();
    return ok ? 0 : -1;
}

static void refuse_small(const struct tocm_host *host, const tocm_model *m, const struct job *j,
                         const struct drawing *d, const char *spec, tocm_error *err) {
    struct buf page = {0};
    page_describe(&j->page, &page);
    view_suggest(host, m, &d->v, (size_t)j->max_nodes);
    host->log(TOCM_LOG_INFO, GV_PLUGIN_NAME,
              "  --projects list or count, --direction LR or a larger --page may fit as well; "
              "--book fits each page on its own");
    host->error_set(err, "page",
                    "the %.40s view on %s would need %.1f pt text (its %.0f pt scaled to %.0f %%), "
                    "under --min-font %.0f: pick a narrower view (listed above), or add --force",
                    spec ? spec : "full", buf_str(&page), d->fit.smallest * d->fit.scale,
                    d->fit.smallest, d->fit.scale * 100, j->min_font);
    buf_free(&page);
}

/* ---- ways of drawing a page ------------------------------------------------ */

struct candidate {
    enum direction direction;
    enum projects_mode projects;
    int wrap; /* title columns */
    const char *words;
};

static const struct candidate chain_ways[] = {
    {DIR_LR, PROJECTS_LIST, 28, "left to right, projects listed in their clusters"},
    {DIR_LR, PROJECTS_LIST, 40, "left to right, projects listed in their clusters"},
    {DIR_LR, PROJECTS_LIST, 20, "left to right, projects listed in their clusters"},
    {DIR_TB, PROJECTS_LIST, 22, "goal at the top, projects listed in their clusters"},
    {DIR_TB, PROJECTS_LIST, 16, "goal at the top, projects listed in their clusters"},
    {DIR_LR, PROJECTS_COUNT, 28, "left to right, projects counted in their clusters"},
    {DIR_LR, PROJECTS_COUNT, 40, "left to right, projects counted in their clusters"},
    {DIR_LR, PROJECTS_COUNT, 20, "left to right, projects counted in their clusters"},
    {DIR_TB, PROJECTS_COUNT, 22, "goal at the top, projects counted in their clusters"},
    {DIR_TB, PROJECTS_COUNT, 16, "goal at the top, projects counted in their clusters"},
    {DIR_TB, PROJECTS_HIDE, 16, "goal at the top, projects counted, their own links left out"},
};
static const struct candidate outcome_ways[] = {
    {DIR_LR, PROJECTS_NODES, 28, "left to right"},
    {DIR_LR, PROJECTS_NODES, 40, "left to right"},
    {DIR_TB, PROJECTS_NODES, 22, "goal at the top"},
    {DIR_TB, PROJECTS_NODES, 16, "goal at the top"},
};
#define WAYS(a) (sizeof(a) / sizeof(a)[0])

static void candidate_apply(const struct candidate *c, const struct job *j, struct render_opts *o,
                            enum projects_mode *projects) {
    o->direction = c->direction;
    if (!j->wrap_given)
        o->wrap = c->wrap;
    *projects = c->projects;
}

/* The first way of drawing spec that fits (LR first: the pages are
 * landscape), else the one with the largest text. 1 fits, 0 does not, -1
 * error. */
static int choose_way(const struct tocm_host *host, const tocm_model *m, GVC_t *gvc,
                      const struct job *j, const char *spec, struct candidate *way,
                      tocm_error *err) {
    int is_outcomes = spec && strcmp(spec, "outcomes") == 0;
    const struct candidate *list = is_outcomes ? outcome_ways : chain_ways;
    size_t count = is_outcomes ? WAYS(outcome_ways) : WAYS(chain_ways);
    double best = -1;
    for (size_t k = 0; k < count; k++) {
        struct candidate c = list[k];
        if (j->direction_given && c.direction != j->o.direction)
            continue;
        if (j->projects_given && !is_outcomes && c.projects != j->projects)
            continue;
        if (j->wrap_given && k && list[k - 1].direction == c.direction &&
            list[k - 1].projects == c.projects)
            continue; /* --option wrap: one try per way */
        struct render_opts o = j->o;
        o.direction = c.direction;
        if (!j->wrap_given)
            o.wrap = c.wrap;
        struct drawing t;
        int rc = draw(host, m, gvc, spec, c.projects, &o, &j->page, 0, 0, NULL, &t, err);
        int ok = rc == 0 && fits(&t, j->min_font);
        double scale = t.fit.scale;
        drawing_free(gvc, &t);
        if (rc != 0)
            return -1;
        if (ok) {
            *way = c;
            return 1;
        }
        if (scale > best) {
            best = scale;
            *way = c;
        }
    }
    if (best < 0) {
        host->error_set(err, "options", "no way of drawing %s matches --direction and --projects",
                        spec);
        return -1;
    }
    return 0;
}

/* ---- one diagram ------------------------------------------------------------ */

static int write_single(const struct tocm_host *host, const struct tocm_export_input *in,
                        struct job *j, tocm_error *err) {
    const tocm_model *m = in->model;
    int rc = -1;
    int table = strcmp(in->format, "csv") == 0 || strcmp(in->format, "md") == 0;
    int layout = strcmp(in->format, "canon") != 0;
    struct view v;
    if (view_open(host, m, j->spec, j->projects, &v, err) != 0)
        return -1;
    if (table) {
        struct matrix mx;
        struct buf out = {0};
        if (matrix_collect(host, m, &v, &mx) != 0) {
            host->error_set(err, GV_PLUGIN_NAME, "out of memory");
        } else {
            matrix_text(host, m, &v, &mx, strcmp(in->format, "md") == 0, &out);
            if (out.failed)
                host->error_set(err, GV_PLUGIN_NAME, "out of memory");
            else
                rc = host->export_write(in->request, out.data, out.len) == 0 ? 0 : -1;
            matrix_free(&mx);
        }
        buf_free(&out);
        view_close(&v);
        return rc;
    }
    if (v.shown_count == 0) {
        host->error_set(err, "view", "the view '%.80s' shows no node", j->spec ? j->spec : "full");
        view_close(&v);
        return -1;
    }
    if (layout && v.kind != VIEW_MATRIX && v.shown_count > (size_t)j->max_nodes && !j->force) {
        view_suggest(host, m, &v, (size_t)j->max_nodes);
        host->error_set(err, "view",
                        "the %.60s view has %zu nodes: above %ld, Graphviz can take minutes to lay "
                        "it out; pick a narrower view (listed above) or add --force",
                        j->spec ? j->spec : "full", v.shown_count, j->max_nodes);
        view_close(&v);
        return -1;
    }
    enum view_kind kind = v.kind;
    view_close(&v);

    log_host = host;
    agusererrf previous = agseterrf(forward_message);
    GVC_t *gvc = plugin_gvc();
    struct drawing d = {0};
    char *data = NULL;
    unsigned int len = 0;
    struct buf bytes = {0};
    if (!gvc) {
        host->error_set(err, GV_PLUGIN_NAME, "Graphviz (gvc) could not start");
        goto out;
    }
    if (!layout) {
        /* canon: the graph before layout, at any size. */
        if (view_open(host, m, j->spec, j->projects, &d.v, err) != 0)
            goto out;
        d.g = d.v.kind == VIEW_MATRIX ? NULL : build_graph(host, m, &d.v, &j->o);
        if (!d.g) {
            host->error_set(err, GV_PLUGIN_NAME, "Graphviz could not write canon");
            goto out;
        }
        if (write_canon(d.g, &bytes) != 0)
            host->error_set(err, GV_PLUGIN_NAME, "Graphviz could not write canon");
        else
            rc = host->export_write(in->request, bytes.data, bytes.len) == 0 ? 0 : -1;
        goto out;
    }
    /* On a page, an outcome, EOPO or country view is drawn the first way
     * that fits, as in the book (within --direction and --projects). */
    enum projects_mode projects = j->projects;
    struct render_opts o = j->o;
    if (j->page.w > 0 && (kind == VIEW_COUNTRY || kind == VIEW_EOPO || kind == VIEW_OUTCOMES)) {
        struct candidate way;
        if (choose_way(host, m, gvc, j, j->spec, &way, err) < 0)
            goto out;
        candidate_apply(&way, j, &o, &projects);
    }
    if (draw(host, m, gvc, j->spec, projects, &o, &j->page, 0, 0, NULL, &d, err) != 0)
        goto out;
    if (j->page.w > 0 && !fits(&d, j->min_font)) {
        if (!j->force) {
            refuse_small(host, m, j, &d, j->spec, err);
            goto out;
        }
        host->log(TOCM_LOG_WARNING, GV_PLUGIN_NAME,
                  "--force: the smallest text on the page is %.1f pt, under --min-font %.0f",
                  d.fit.smallest * d.fit.scale, j->min_font);
    }
    if (j->page.w > 0)
        mark_page(d.g, &j->page, &d.fit, j->spec);
    if (strcmp(in->format, "pdf") == 0 && j->page.w > 0) {
        struct pdf *pdf = pdf_open();
        int ok = pdf != NULL;
        GRAPHVIZ_LEAKS_BEGIN();
        ok = ok && pdf_page(pdf, gvc, d.g, &j->page, &d.fit) == 0;
        GRAPHVIZ_LEAKS_END();
        if (pdf && pdf_close(pdf, &bytes) != 0)
            ok = 0;
        if (!ok)
            host->error_set(err, GV_PLUGIN_NAME, "could not write the PDF");
        else
            rc = host->export_write(in->request, bytes.data, bytes.len) == 0 ? 0 : -1;
        goto out;
    }
    if (render_one(host, gvc, &d, j, in->format, &data, &len) != 0)
        host->error_set(err, GV_PLUGIN_NAME, "Graphviz could not write %.40s", in->format);
    else
        rc = host->export_write(in->request, data, len) == 0 ? 0 : -1;
out:
    buf_free(&bytes);
    GRAPHVIZ_LEAKS_BEGIN();
    if (data)
        gvFreeRenderData(data);
    GRAPHVIZ_LEAKS_END();
    if (gvc)
        drawing_free(gvc, &d);
    else
        view_close(&d.v);
    agseterrf(previous);
    log_host = NULL;
    buf_free(&log_line);
    return rc;
}

/* ---- the book --------------------------------------------------------------
 * Graphviz keeps the attribute handles of the graph it laid out last in
 * globals, and renders through them: a graph is rendered right after its
 * own layout, never after another's. So each page is chosen (laying out
 * the ways of drawing it), then laid out again and drawn at once. */

/* Where the matrix is cut into parts that fit: cuts[0..*parts]. Even
 * shares, moved back to the start of a country when one is near. 1 fits,
 * 0 not even in 12 parts, or more parts would not help (the table is too
 * wide, not too long: then it is cut as little as gave the largest text);
 * -1 error. */
#define MATRIX_MAX_PARTS 12
static void cut_evenly(const struct tocm_host *host, const tocm_model *m, const struct matrix *mx,
                       size_t n, size_t *cuts) {
    size_t rows = mx->row_count;
    cuts[0] = 0;
    for (size_t k = 1; k < n; k++) {
        size_t at = rows * k / n;
        for (size_t back = 0; back < rows / (3 * n) && at > cuts[k - 1] + back + 1; back++) {
            if (country_cmp(host->node_string(m, mx->rows[at - back - 1], "country"),
                            host->node_string(m, mx->rows[at - back], "country")) != 0) {
                at -= back;
                break;
            }
        }
        cuts[k] = at;
    }
    cuts[n] = rows;
}

static int choose_cuts(const struct tocm_host *host, const tocm_model *m, GVC_t *gvc,
                       const struct job *j, const struct matrix *mx, size_t *cuts, size_t *parts,
                       tocm_error *err) {
    double best = 0; /* the worst page's scale with the best number of parts */
    size_t best_n = 1;
    for (size_t n = 1; n <= MATRIX_MAX_PARTS && n <= mx->row_count; n++) {
        cut_evenly(host, m, mx, n, cuts);
        double worst = 1;
        int all = 1;
        for (size_t k = 0; k < n; k++) {
            struct drawing t;
            int rc = draw(host, m, gvc, "matrix", PROJECTS_NODES, &j->o, &j->page, cuts[k],
                          cuts[k + 1], NULL, &t, err);
            if (rc == 0) {
                all &= fits(&t, j->min_font);
                if (t.fit.scale < worst)
                    worst = t.fit.scale;
            }
            drawing_free(gvc, &t);
            if (rc != 0)
                return -1;
        }
        if (all) {
            *parts = n;
            return 1;
        }
        /* Another part helps only while the pages are too long. */
        if (n > 1 && worst < best + 0.01)
            break;
        if (worst > best) {
            best = worst;
            best_n = n;
        }
    }
    *parts = best_n;
    cut_evenly(host, m, mx, best_n, cuts);
    return 0;
}

/* The book's output: a PDF, or the laid-out pages as DOT; and what the
 * summary line says about its pages. */
struct book_out {
    struct pdf *pdf;
    struct buf dot;
    size_t pages;
    double smallest;       /* the smallest text on any page, points, as printed */
    char smallest_on[128]; /* the page it is on */
};

/* Adds a laid-out page. A page under --min-font (drawn anyway with
 * --force) is named in a warning; the rest are summed up once at the end
 * (book_summary), so a good book prints one line. */
static int book_emit(const struct tocm_host *host, GVC_t *gvc, const struct job *j,
                     struct drawing *d, struct book_out *out) {
    out->pages++;
    double text = d->fit.smallest * d->fit.scale;
    if (!fits(d, j->min_font))
        host->log(TOCM_LOG_WARNING, GV_PLUGIN_NAME,
                  "page %zu (%s) has %.1f pt text, under --min-font %.0f (%s)", out->pages,
                  d->v.spec, text, j->min_font, d->what);
    if (out->pages == 1 || text < out->smallest) {
        out->smallest = text;
        snprintf(out->smallest_on, sizeof out->smallest_on, "%s", d->v.spec);
    }
    mark_page(d->g, &j->page, &d->fit, d->v.spec);
    if (out->pdf) {
        GRAPHVIZ_LEAKS_BEGIN();
        int rc = pdf_page(out->pdf, gvc, d->g, &j->page, &d->fit);
        GRAPHVIZ_LEAKS_END();
        return rc;
    }
    char *data = NULL;
    unsigned int len = 0;
    GRAPHVIZ_LEAKS_BEGIN();
    int ok = gvRenderData(gvc, d->g, "dot", &data, &len) == 0 && data;
    GRAPHVIZ_LEAKS_END();
    if (ok)
        buf_add(&out->dot, data, len);
    GRAPHVIZ_LEAKS_BEGIN();
    if (data)
        gvFreeRenderData(data);
    GRAPHVIZ_LEAKS_END();
    return ok && !out->dot.failed ? 0 : -1;
}

static int write_book(const struct tocm_host *host, const struct tocm_export_input *in,
                      struct job *j, tocm_error *err) {
    const tocm_model *m = in->model;
    struct view all;
    if (view_open(host, m, "matrix", PROJECTS_NODES, &all, err) != 0)
        return -1;
    size_t n = host->node_count(m), eopo_count = 0;
    size_t *eopos = malloc((n ? n : 1) * sizeof *eopos);
    const char **codes = NULL;
    size_t code_count = 0;
    struct buf specs = {0}, failed = {0}, bytes = {0};
    struct matrix mx = {0};
    struct book_out out = {0};
    int rc = -1, have_matrix = 0;
    log_host = host;
    agusererrf previous = agseterrf(forward_message);
    GVC_t *gvc = plugin_gvc();
    if (!gvc) {
        host->error_set(err, GV_PLUGIN_NAME, "Graphviz (gvc) could not start");
        goto out;
    }
    if (!eopos || model_countries(host, m, &codes, &code_count) != 0) {
        host->error_set(err, GV_PLUGIN_NAME, "out of memory");
        goto out;
    }
    /* The pages: the outcomes, each EOPO, each country, then the matrix. */
    for (size_t i = 0; i < n; i++)
        if (host->node_level(m, i) == (long)all.eopo_level)
            eopos[eopo_count++] = i;
    sort_by_id(host, m, eopos, eopo_count);
    buf_add(&specs, "outcomes", 9);
    for (size_t k = 0; k < eopo_count; k++) {
        buf_printf(&specs, "eopo:%s", host->node_id(m, eopos[k]));
        buf_add(&specs, "", 1);
    }
    for (size_t k = 0; k < code_count; k++) {
        buf_printf(&specs, "country:%s", codes[k]);
        buf_add(&specs, "", 1);
    }
    if (specs.failed) {
        host->error_set(err, GV_PLUGIN_NAME, "out of memory");
        goto out;
    }
    out.pdf = strcmp(in->format, "pdf") == 0 ? pdf_open() : NULL;
    if (strcmp(in->format, "pdf") == 0 && !out.pdf) {
        host->error_set(err, GV_PLUGIN_NAME, "could not start the PDF");
        goto out;
    }
    for (const char *spec = specs.data; spec < specs.data + specs.len; spec += strlen(spec) + 1) {
        struct candidate way;
        int fit = choose_way(host, m, gvc, j, spec, &way, err);
        if (fit < 0)
            goto out;
        if (!fit)
            buf_printf(&failed, "%s%s", failed.len ? ", " : "", spec);
        struct render_opts o = j->o;
        o.direction = way.direction;
        if (!j->wrap_given)
            o.wrap = way.wrap;
        struct drawing d;
        int drawn = draw(host, m, gvc, spec, way.projects, &o, &j->page, 0, 0, NULL, &d, err);
        if (drawn == 0) {
            snprintf(d.what, sizeof d.what, "%s", way.words);
            drawn = book_emit(host, gvc, j, &d, &out);
            if (drawn != 0)
                host->error_set(err, GV_PLUGIN_NAME, "could not draw the page of %s", spec);
        }
        drawing_free(gvc, &d);
        if (drawn != 0)
            goto out;
    }
    if (all.project_level != TOCM_NONE) {
        if (matrix_collect(host, m, &all, &mx) != 0) {
            host->error_set(err, GV_PLUGIN_NAME, "out of memory");
            goto out;
        }
        have_matrix = 1;
    }
    if (have_matrix && mx.row_count) {
        size_t cuts[MATRIX_MAX_PARTS + 1], parts = 1;
        int fit = choose_cuts(host, m, gvc, j, &mx, cuts, &parts, err);
        if (fit < 0)
            goto out;
        if (!fit)
            buf_printf(&failed, "%smatrix", failed.len ? ", " : "");
        for (size_t k = 0; k < parts; k++) {
            char part[32];
            snprintf(part, sizeof part, "part %zu of %zu", k + 1, parts);
            struct drawing d;
            int drawn = draw(host, m, gvc, "matrix", PROJECTS_NODES, &j->o, &j->page, cuts[k],
                             cuts[k + 1], parts > 1 ? part : NULL, &d, err);
            if (drawn == 0) {
                snprintf(d.what, sizeof d.what, "projects %zu-%zu of %zu", cuts[k] + 1, cuts[k + 1],
                         mx.row_count);
                drawn = book_emit(host, gvc, j, &d, &out);
                if (drawn != 0)
                    host->error_set(err, GV_PLUGIN_NAME, "could not draw the matrix");
            }
            drawing_free(gvc, &d);
            if (drawn != 0)
                goto out;
        }
    }
    if (failed.len && !j->force) {
        struct buf page = {0};
        page_describe(&j->page, &page);
        host->error_set(err, "page",
                        "%.80s would need text under --min-font %.0f on %s: use a larger --page, "
                        "a lower --min-font, or add --force",
                        buf_str(&failed), j->min_font, buf_str(&page));
        buf_free(&page);
        goto out;
    }
    {
        /* One line for the whole book. */
        struct buf page = {0};
        page_describe(&j->page, &page);
        size_t matrix_parts = out.pages - 1 - eopo_count - code_count;
        char matrix[48];
        if (matrix_parts > 1)
            snprintf(matrix, sizeof matrix, "the matrix on %zu pages", matrix_parts);
        else
            snprintf(matrix, sizeof matrix, "%s", matrix_parts ? "the matrix" : "no matrix");
        host->log(TOCM_LOG_INFO, GV_PLUGIN_NAME,
                  "the book: %zu pages on %s (the outcomes, %zu end-of-program outcome%s, %zu "
                  "countr%s, %s); smallest text %.1f pt (%s)",
                  out.pages, buf_str(&page), eopo_count, eopo_count == 1 ? "" : "s", code_count,
                  code_count == 1 ? "y" : "ies", matrix, out.smallest, out.smallest_on);
        buf_free(&page);
    }
    if (out.pdf) {
        struct pdf *pdf = out.pdf;
        out.pdf = NULL;
        if (pdf_close(pdf, &bytes) != 0) {
            host->error_set(err, GV_PLUGIN_NAME, "could not write the PDF");
            goto out;
        }
        rc = host->export_write(in->request, bytes.data, bytes.len) == 0 ? 0 : -1;
    } else {
        rc = host->export_write(in->request, out.dot.data, out.dot.len) == 0 ? 0 : -1;
    }
out:
    if (out.pdf && pdf_close(out.pdf, &bytes) == 0)
        (void)0;
    buf_free(&bytes);
    buf_free(&out.dot);
    buf_free(&failed);
    buf_free(&specs);
    if (have_matrix)
        matrix_free(&mx);
    agseterrf(previous);
    log_host = NULL;
    buf_free(&log_line);
    free(codes);
    free(eopos);
    view_close(&all);
    return rc;
}

static int write_diagram(const struct tocm_host *host, const struct tocm_export_input *in,
                         tocm_error *err) {
    struct job j;
    if (parse_options(host, in, &j, err) != 0)
        return -1;
    /* --color-by rag: the statuses are the computed report's, lent by the
     * host when the export runs with one (`tocm render` computes it). */
    struct statuses status = {0};
    if (j.o.color_by == COLOR_RAG) {
        size_t len = 0;
        const char *json = host->export_report_json(in->request, &len);
        if (!json) {
            host->error_set(err, "color-by",
                            "--color-by rag reads the computed report: use tocm render (it "
                            "computes the report for --period), not tocm export");
            return -1;
        }
        if (statuses_read(host, in->model, json, len, host->export_option(in->request, "period"),
                          &status, err) != 0)
            return -1;
        j.o.status = &status;
    }
    int rc = j.book ? write_book(host, in, &j, err) : write_single(host, in, &j, err);
    statuses_free(&status);
    return rc;
}

/* Every option the exporter reads (ABI 1.2): the host refuses any other,
 * so an option it learns to read gets its line here. */
static const struct tocm_option_info options[] = {
    {.name = "view",
     .arg = "VIEW",
     .help = "full (default), outcomes, mapping, matrix, node:ID, eopo:ID or country:CODE"},
    {.name = "book",
     .arg = "1|yes",
     .help = "one PDF: the outcomes, each end-of-program outcome, each country, the matrix"},
    {.name = "projects",
     .arg = "HOW",
     .help = "nodes (default), list or count inside their cluster's box, or hide"},
    {.name = "page", .arg = "SIZE", .help = "fit to a page: A4, A3, letter, slide or WxH (mm, in)"},
    {.name = "landscape", .arg = "1|yes", .help = "turn the page sideways"},
    {.name = "min-font", .arg = "PT", .help = "the smallest text allowed on a page (default 8)"},
    {.name = "dpi", .arg = "N", .help = "resolution of png and other bitmaps (default 150)"},
    {.name = "assumptions", .arg = "1|yes", .help = "show each node's assumptions beside it"},
    {.name = "color-by",
     .arg = "BY",
     .help = "fill nodes by level (default), status, country or rag (needs period)"},
    {.name = "period", .arg = "P", .help = "the period --color-by rag reads (e.g. 2021)"},
    {.name = "direction", .arg = "DIR", .help = "TB (default), BT, LR (default for mapping) or RL"},
    {.name = "wrap", .arg = "N", .help = "wrap titles at N characters (8 to 400)"},
    {.name = "max-nodes",
     .arg = "N",
     .help = "refuse to lay out a view of more than N nodes (default 2500)"},
    {.name = "force", .arg = "1|yes", .help = "lay out a view above max-nodes anyway"},
    {.name = NULL},
};

static const struct tocm_exporter graphviz_exporter = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_exporter),
    .name = "graphviz",
    .summary = "diagrams of the results chain (views: full, outcomes, mapping, matrix, node:ID, "
               "eopo:ID, country:CODE; --book)",
    .formats = formats,
    .write = write_diagram,
    .options = options,
};

static const struct tocm_exporter *const exporters[] = {&graphviz_exporter, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = GV_PLUGIN_NAME,
    .version = "1.0.0",
    .summary = "Draws the results chain and the project-to-outcome map with Graphviz "
               "(in process)",
    .exporters = exporters,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    if (!formats_ready && find_formats(host, err) != 0)
        return -1;
    *out = &plugin;
    return 0;
}
