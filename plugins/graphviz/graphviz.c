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
 *   color-by   level (default), status, country
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

/* ---- formats, found once at load time ------------------------------------ */

#define MAX_FORMATS 96
static const char *formats[MAX_FORMATS + 1];
static char format_names[2048];
static int formats_ready;

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
    GRAPHVIZ_LEAKS_BEGIN();
    GVC_t *gvc = gvContext();
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
        formats[count] = NULL;
        formats_ready = 1;
    }
    free_names(devices, nd);
    free_names(layouts, nl);
    GRAPHVIZ_LEAKS_BEGIN();
    gvFreeContext(gvc);
    GRAPHVIZ_LEAKS_END();
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

static int parse_options(const struct tocm_host *host, const struct tocm_export_input *in,
                         const struct view *v, struct render_opts *o, long *max_nodes, int *force,
                         tocm_error *err) {
    const struct tocm_export_request *req = in->request;
    const char *color = host->export_option(req, "color-by");
    const char *dir = host->export_option(req, "direction");
    o->color_by = COLOR_LEVEL;
    if (color && strcmp(color, "level") == 0)
        o->color_by = COLOR_LEVEL;
    else if (color && strcmp(color, "status") == 0)
        o->color_by = COLOR_STATUS;
    else if (color && strcmp(color, "country") == 0)
        o->color_by = COLOR_COUNTRY;
    else if (color) {
        host->error_set(err, "options", "color-by must be level, status or country, not '%.40s'",
                        color);
        return -1;
    }
    o->direction = v->kind == VIEW_MAPPING ? DIR_LR : DIR_TB;
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
        o->direction = (enum direction)k;
    }
    long wrap = DEFAULT_WRAP;
    *max_nodes = DEFAULT_MAX_NODES;
    if (option_number(host, "wrap", host->export_option(req, "wrap"), 8, 400, &wrap, err) != 0 ||
        option_number(host, "max-nodes", host->export_option(req, "max-nodes"), 1, 10000000,
                      max_nodes, err) != 0)
        return -1;
    o->wrap = (int)wrap;
    *force = option_flag(host->export_option(req, "force"));
    return 0;
}

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

/* ---- the exporter ---------------------------------------------------------- */

static int write_diagram(const struct tocm_host *host, const struct tocm_export_input *in,
                         tocm_error *err) {
    const char *spec = host->export_option(in->request, "view");
    enum projects_mode projects;
    if (parse_projects(host, host->export_option(in->request, "projects"), &projects, err) != 0)
        return -1;
    struct view v;
    if (view_open(host, in->model, spec, projects, &v, err) != 0)
        return -1;
    struct render_opts o;
    long max_nodes;
    int force, rc = -1;
    /* canon is the graph before layout: no layout, so no size limit. */
    int layout = strcmp(in->format, "canon") != 0;
    struct buf canon = {0};
    if (parse_options(host, in, &v, &o, &max_nodes, &force, err) != 0)
        goto out;
    if (v.shown_count == 0) {
        host->error_set(err, "view", "the view '%.80s' shows no node", spec ? spec : "full");
        goto out;
    }
    if (layout && v.shown_count > (size_t)max_nodes && !force) {
        view_suggest(host, in->model, &v, (size_t)max_nodes);
        host->error_set(err, "view",
                        "the %.60s view has %zu nodes: above %ld, Graphviz can take minutes to lay "
                        "it out; pick a narrower view (listed above) or add --force",
                        spec ? spec : "full", v.shown_count, max_nodes);
        goto out;
    }

    Agraph_t *g = build_graph(host, in->model, &v, &o);
    if (!g) {
        host->error_set(err, GV_PLUGIN_NAME, "out of memory building the graph");
        goto out;
    }
    /* Graphviz works; what it allocates meanwhile is its own business (see
     * GRAPHVIZ_LEAKS_BEGIN). The output is written outside that window. */
    log_host = host;
    agusererrf previous = agseterrf(forward_message);
    char *data = NULL;
    unsigned int len = 0;
    int laid_out = 0, rendered = 0;
    double dpi = 0, fitted = 0;
    GRAPHVIZ_LEAKS_BEGIN();
    GVC_t *gvc = gvContext();
    if (gvc && layout && gvLayout(gvc, g, "dot") == 0) {
        laid_out = 1;
        fitted = fit_bitmap(g, in->format, &dpi);
        rendered = gvRenderData(gvc, g, in->format, &data, &len) == 0 && data;
    }
    GRAPHVIZ_LEAKS_END();

    if (fitted > 0)
        host->log(TOCM_LOG_INFO, GV_PLUGIN_NAME,
                  "the %s is drawn at %.1f dpi instead of %.0f to stay within %.0f pixels; svg "
                  "and pdf keep every detail",
                  in->format, fitted, dpi, BITMAP_MAX_PIXELS);
    if (!gvc)
        host->error_set(err, GV_PLUGIN_NAME, "Graphviz (gvc) could not start");
    else if (!layout && write_canon(g, &canon) != 0)
        host->error_set(err, GV_PLUGIN_NAME, "Graphviz could not write canon");
    else if (!layout)
        rc = host->export_write(in->request, canon.data, canon.len) == 0 ? 0 : -1;
    else if (!laid_out)
        host->error_set(err, GV_PLUGIN_NAME, "Graphviz could not lay the graph out");
    else if (!rendered)
        host->error_set(err, GV_PLUGIN_NAME, "Graphviz could not write %.40s", in->format);
    else
        rc = host->export_write(in->request, data, len) == 0 ? 0 : -1;
    buf_free(&canon);

    GRAPHVIZ_LEAKS_BEGIN();
    if (data)
        gvFreeRenderData(data);
    if (laid_out)
        gvFreeLayout(gvc, g);
    if (gvc)
        gvFreeContext(gvc);
    GRAPHVIZ_LEAKS_END();
    agclose(g);
    agseterrf(previous);
    log_host = NULL;
    buf_free(&log_line);
out:
    view_close(&v);
    return rc;
}

static const struct tocm_exporter graphviz_exporter = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_exporter),
    .name = "graphviz",
    .summary = "diagrams of the results chain (views: full, mapping, node:ID, country:CODE)",
    .formats = formats,
    .write = write_diagram,
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
