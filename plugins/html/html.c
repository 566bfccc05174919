/*
 * html.c -- the `html` exporter: `tocm report MODEL --format html` writes
 * the computed report as one self-contained page: a header, the results
 * chain as a clickable diagram coloured by status, each result with its
 * indicators (the IPTT, the figures by breakdown and charts), the checks of
 * printed figures, the assumptions and the data sources.
 *
 * The page carries no script at all: the country filter and the jumps from
 * the diagram are plain links, radio buttons and CSS, so the
 * Content-Security-Policy can forbid every script and every load, and a
 * string that slipped past an escaper still could not run.
 *
 * Same input, same bytes: nothing depends on the clock unless
 * --option date=... asks for a date, and every order is the report's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "html_internal.h"

const char *js(json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

int is_cumulative(json_t *ind) { return strcmp(js(ind, "aggregation"), "cumulative") == 0; }

/* ---- the country filter ------------------------------------------------ */

static int country_cmp(const void *a, const void *b) {
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    /* Regional entries (anything but a two-letter code) first. */
    int rx = strlen(x) != 2, ry = strlen(y) != 2;
    if (rx != ry)
        return ry - rx;
    return strcmp(x, y);
}

static int add_country(struct page *p, const char *code) {
    if (!code || !*code || country_index(p, code) >= 0)
        return 0;
    char **grown = realloc(p->countries, (p->country_count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    p->countries = grown;
    if (!(p->countries[p->country_count] = strdup(code)))
        return -1;
    p->country_count++;
    return 0;
}

long country_index(const struct page *p, const char *code) {
    for (size_t i = 0; code && i < p->country_count; i++)
        if (strcmp(p->countries[i], code) == 0)
            return (long)i;
    return -1;
}

void country_class(struct page *p, json_t *dims, const char *more) {
    long c = country_index(p, json_string_value(json_object_get(dims, "country")));
    if (c >= 0)
        hb_printf(&p->out, " class=\"cty c%ld%s%s\"", c, more ? " " : "", more ? more : "");
    else if (more)
        hb_printf(&p->out, " class=\"%s\"", more);
}

/* Every country a breakdown names, so the filter offers exactly those. */
static int collect_countries(struct page *p) {
    size_t i, k;
    json_t *ind, *cell;
    json_array_foreach(json_object_get(p->report, "indicators"), i, ind) {
        json_array_foreach(json_object_get(ind, "cells"), k, cell) {
            if (add_country(p, json_string_value(
                                   json_object_get(json_object_get(cell, "dims"), "country"))) != 0)
                return -1;
        }
    }
    if (p->country_count > 1)
        qsort(p->countries, p->country_count, sizeof *p->countries, country_cmp);
    return 0;
}

/* ---- status words ------------------------------------------------------ */

const char *status_symbol(const char *status) {
    static const char *const words[][2] = {
        {"achieved", "\u2713"},     {"on track", "\u2192"},       {"off track", "\u2717"},
        {"not reported", "\u2013"}, {"target pending", "\u2026"}, {"baseline pending", "\u2026"},
        {"no baseline", "?"},       {"not assessed", "?"},        {"no target", "\u2013"},
        {"not yet due", "\u2026"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (status && strcmp(status, words[i][0]) == 0)
            return words[i][1];
    return "\u2022";
}

const char *status_class(const char *status) {
    if (!status)
        return "none";
    if (strcmp(status, "achieved") == 0)
        return "ok";
    if (strcmp(status, "on track") == 0)
        return "track";
    if (strcmp(status, "off track") == 0)
        return "off";
    return "none";
}

/* ---- the header -------------------------------------------------------- */

/* The latest period any indicator has a figure for: what the report is
 * about, when several periods are in it. */
static const char *latest_period(struct page *p) {
    const char *latest = NULL;
    size_t i, k;
    json_t *ind, *cell;
    json_array_foreach(json_object_get(p->report, "indicators"), i, ind) {
        json_array_foreach(json_object_get(ind, "cells"), k, cell) {
            const char *period = js(cell, "period");
            int has = json_is_number(json_object_get(cell, "value")) ||
                      json_is_string(json_object_get(cell, "text"));
            if (has && strcmp(period, "total") != 0 && (!latest || strcmp(period, latest) > 0))
                latest = period;
        }
    }
    return latest;
}

/* At a glance: how many indicators are in each status (their latest
 * reported period), and whether the printed figures check out. */
static void glance_write(struct page *p) {
    struct hbuf *o = &p->out;
    json_t *indicators = json_object_get(p->report, "indicators");
    static const char *const order[] = {"achieved", "on track", "off track"};
    size_t counts[4] = {0}, total = json_array_size(indicators);
    size_t i;
    json_t *ind;
    json_array_foreach(indicators, i, ind) {
        const char *s = indicator_status(ind);
        size_t k = 0;
        while (k < 3 && !(s && strcmp(s, order[k]) == 0))
            k++;
        counts[k]++;
    }
    hb_printf(o, "<p class=\"glance\"><strong>%zu indicator%s</strong>", total,
              total == 1 ? "" : "s");
    for (size_t k = 0; k < 3; k++)
        if (counts[k])
            hb_printf(o, " <span class=\"st st-%s\">%s %zu %s</span>", status_class(order[k]),
                      status_symbol(order[k]), counts[k], order[k]);
    if (counts[3])
        hb_printf(o,
                  " <span class=\"st st-none\">\u2013 %zu without a verdict (no target or no "
                  "figure yet)</span>",
                  counts[3]);
    size_t checks = json_array_size(json_object_get(p->report, "checks"));
    if (checks)
        hb_printf(o,
                  " <a href=\"#checks\"><span class=\"st st-off\">\u2717 %zu printed figure%s "
                  "to look at</span></a>",
                  checks, checks == 1 ? "" : "s");
    else
        hb_puts(o, " <span class=\"st st-ok\">\u2713 every printed figure checks out</span>");
    hb_puts(o, "</p>\n");
}

/* Indicators the report could not compute (a data file with errors):
 * said at the top, so nobody reads the page as complete. */
static void failed_write(struct page *p) {
    struct hbuf *o = &p->out;
    json_t *failed = json_object_get(p->report, "failed");
    if (!json_array_size(failed))
        return;
    hb_printf(o,
              "<div class=\"failed\" role=\"alert\"><p><span class=\"st st-off\">\u2717 %zu "
              "indicator%s could not be computed</span> and %s left out of this page:</p><ul>\n",
              json_array_size(failed), json_array_size(failed) == 1 ? "" : "s",
              json_array_size(failed) == 1 ? "is" : "are");
    size_t i;
    json_t *f;
    json_array_foreach(failed, i, f) {
        hb_puts(o, "<li><strong>");
        hb_text(o, js(f, "indicator"));
        hb_puts(o, "</strong>: ");
        hb_text(o, js(f, "file"));
        if (json_is_integer(json_object_get(f, "line")))
            hb_printf(o, ":%lld", (long long)json_integer_value(json_object_get(f, "line")));
        hb_puts(o, ": ");
        hb_text(o, js(f, "code"));
        hb_puts(o, " ");
        hb_text(o, js(f, "message"));
        hb_puts(o, "</li>\n");
    }
    hb_puts(o, "</ul></div>\n");
}

static void header_write(struct page *p, const char *date) {
    const struct tocm_host *h = p->host;
    struct hbuf *o = &p->out;
    json_t *program = json_object_get(p->report, "program");
    hb_puts(o, "<header class=\"top\">\n<p class=\"kicker\">Indicator report</p>\n<h1>");
    hb_text(o, js(program, "title"));
    hb_puts(o, "</h1>\n<dl class=\"facts\">\n");
    const char *start = h->program_string(p->m, "period.start");
    const char *end = h->program_string(p->m, "period.end");
    if (start || end) {
        hb_puts(o, "<div><dt>Program period</dt><dd>");
        hb_text(o, start ? start : "?");
        hb_puts(o, "\u2013");
        hb_text(o, end ? end : "?");
        hb_puts(o, "</dd></div>\n");
    }
    const char *period = latest_period(p);
    hb_puts(o, "<div><dt>Reporting period</dt><dd>");
    hb_text(o, period ? period : "no figures yet");
    hb_puts(o, "</dd></div>\n");
    /* The report's as-of date and selection, when it has them. */
    if (*js(p->report, "as_of")) {
        hb_puts(o, "<div><dt>Figures as of</dt><dd>");
        hb_text(o, js(p->report, "as_of"));
        hb_puts(o, "</dd></div>\n");
    }
    json_t *sel = json_object_get(p->report, "selection");
    static const char *const picks[] = {"country", "node", "level"};
    for (size_t i = 0; i < 3; i++)
        if (*js(sel, picks[i])) {
            hb_printf(o, "<div><dt>Only %s</dt><dd>", picks[i]);
            hb_text(o, js(sel, picks[i]));
            hb_puts(o, "</dd></div>\n");
        }
    json_t *periods = json_object_get(sel, "periods");
    if (json_array_size(periods)) {
        hb_puts(o, "<div><dt>Only periods</dt><dd>");
        size_t i;
        json_t *v;
        json_array_foreach(periods, i, v) {
            hb_puts(o, i ? ", " : "");
            hb_text(o, json_string_value(v));
        }
        hb_puts(o, "</dd></div>\n");
    }
    static const char *const fields[][2] = {{"donor", "Donor"}, {"implementer", "Implementer"}};
    for (size_t i = 0; i < 2; i++) {
        const char *v = h->program_string(p->m, fields[i][0]);
        if (v && *v) {
            hb_printf(o, "<div><dt>%s</dt><dd>", fields[i][1]);
            hb_text(o, v);
            hb_puts(o, "</dd></div>\n");
        }
    }
    hb_puts(o, "<div><dt>Generated</dt><dd>");
    if (date) {
        hb_text(o, date);
        hb_puts(o, " by ");
    } else {
        hb_puts(o, "by ");
    }
    hb_printf(o, "tocm %s", h->version);
    hb_puts(o, "</dd></div>\n</dl>\n");
    glance_write(p);
    failed_write(p);
    const char *source = h->program_string(p->m, "source");
    if (source && *source) {
        hb_puts(o, "<p class=\"source\">Source: ");
        hb_text(o, source);
        hb_puts(o, "</p>\n");
    }
    hb_puts(o, "</header>\n");
}

/* The filter: radio buttons that come before <main>, so CSS can hide the
 * breakdowns of the other countries; no script needed. */
static void filter_write(struct page *p) {
    struct hbuf *o = &p->out;
    if (p->country_count < 2)
        return;
    hb_puts(o, "<nav class=\"filter\" aria-label=\"Country filter\">\n<fieldset>"
               "<legend>Show the figures of</legend>\n"
               "<input type=\"radio\" name=\"country\" id=\"f-all\" checked>"
               "<label for=\"f-all\">every country</label>\n");
    for (size_t i = 0; i < p->country_count; i++) {
        hb_printf(o, "<input type=\"radio\" name=\"country\" id=\"f-c%zu\"><label for=\"f-c%zu\">",
                  i, i);
        hb_text(o, p->countries[i]);
        hb_puts(o, "</label>\n");
    }
    hb_puts(o, "</fieldset>\n<p class=\"filter-note\">Indicators without a country breakdown are "
               "shown whole.</p>\n</nav>\n");
}

/* ---- the sections after the indicators --------------------------------- */

static void checks_write(struct page *p) {
    struct hbuf *o = &p->out;
    json_t *checks = json_object_get(p->report, "checks");
    hb_puts(o, "<section id=\"checks\" class=\"block\">\n<h2>Checks of printed figures</h2>\n");
    if (json_array_size(checks) == 0) {
        hb_puts(o, "<p><span class=\"st st-ok\">\u2713 all match</span> Every figure recorded as "
                   "printed matches the data, and every breakdown adds up to its total.</p>\n"
                   "</section>\n");
        return;
    }
    hb_printf(o,
              "<p><span class=\"st st-off\">\u2717 %zu to look at</span> Figures printed in a "
              "report that the data does not give, and breakdowns that do not add up.</p>\n",
              json_array_size(checks));
    hb_puts(o, "<table class=\"data\">\n<thead><tr><th scope=\"col\">Indicator</th>"
               "<th scope=\"col\">Period</th><th scope=\"col\">Breakdown</th>"
               "<th scope=\"col\">Finding</th><th scope=\"col\">Printed in</th></tr></thead>\n"
               "<tbody>\n");
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c) {
        hb_puts(o, "<tr");
        country_class(p, json_object_get(c, "dims"), NULL);
        hb_puts(o, "><td><a href=\"#");
        hb_id(o, "ind-", js(c, "indicator"));
        hb_puts(o, "\">");
        hb_text(o, js(c, "indicator"));
        hb_puts(o, "</a></td><td>");
        hb_text(o, js(c, "period"));
        hb_puts(o, "</td><td>");
        dims_words(o, json_object_get(c, "dims"));
        hb_puts(o, "</td><td>");
        hb_text(o, js(c, "message"));
        hb_puts(o, "</td><td>");
        hb_text(o, js(c, "source"));
        hb_puts(o, "</td></tr>\n");
    }
    hb_puts(o, "</tbody>\n</table>\n</section>\n");
}

static void assumptions_write(struct page *p) {
    const struct tocm_host *h = p->host;
    struct hbuf *o = &p->out;
    size_t n = h->node_count(p->m), with = 0;
    for (size_t i = 0; i < n; i++)
        with += h->node_list_count(p->m, i, "assumptions") > 0;
    hb_puts(o, "<section id=\"assumptions\" class=\"block\">\n<h2>Assumptions</h2>\n");
    if (!with) {
        hb_puts(o, "<p>The model records no assumptions.</p>\n</section>\n");
        return;
    }
    hb_puts(o, "<p>What must hold for each result to lead to the next, as the model records "
               "it.</p>\n<dl class=\"assumptions\">\n");
    for (size_t i = 0; i < n; i++) {
        size_t count = h->node_list_count(p->m, i, "assumptions");
        if (!count)
            continue;
        hb_puts(o, "<dt><a href=\"#");
        hb_id(o, "node-", h->node_id(p->m, i));
        hb_puts(o, "\">");
        hb_text(o, h->node_id(p->m, i));
        hb_puts(o, "</a> ");
        hb_text(o, h->node_title(p->m, i));
        hb_puts(o, "</dt>\n");
        for (size_t k = 0; k < count; k++) {
            hb_puts(o, "<dd>");
            hb_text(o, h->node_list_item(p->m, i, "assumptions", k));
            hb_puts(o, "</dd>\n");
        }
    }
    hb_puts(o, "</dl>\n</section>\n");
}

/* The rows the report read from a table: the most any one of its
 * indicators read (its total over all periods), since the report document
 * counts rows per figure, not per file. -1 when no indicator read it. */
static long long rows_read(struct page *p, const char *table) {
    json_t *defs = json_object_get(p->model, "indicators");
    long long most = -1;
    size_t i, k;
    json_t *ind, *def, *cell;
    json_array_foreach(json_object_get(p->report, "indicators"), i, ind) {
        const char *used = NULL;
        json_array_foreach(defs, k, def) {
            if (strcmp(js(def, "id"), js(ind, "id")) == 0) {
                used = js(def, "table");
                break;
            }
        }
        if (!used || strcmp(used, table) != 0)
            continue;
        long long sum = 0, total = -1;
        json_array_foreach(json_object_get(ind, "cells"), k, cell) {
            if (json_object_size(json_object_get(cell, "dims")))
                continue;
            long long r = json_integer_value(json_object_get(cell, "rows"));
            if (strcmp(js(cell, "period"), "total") == 0)
                total = r;
            else
                sum += r;
        }
        /* Periods split the rows, so their counts add up; but a cumulative
         * period counts every row before it too, and its total is all. */
        long long r = is_cumulative(ind) && total >= 0 ? total : sum;
        if (r > most)
            most = r;
    }
    return most;
}

/* The data sources: the model's tables, with the file each is read from
 * and how many rows the report read from it (the report's own count when
 * its document has a `tables` member with `rows`). */
static void sources_write(struct page *p) {
    struct hbuf *o = &p->out;
    json_t *tables = json_object_get(p->model, "tables");
    json_t *counted = json_object_get(p->report, "tables");
    hb_puts(o, "<section id=\"sources\" class=\"block\">\n<h2>Data sources</h2>\n");
    if (!json_object_size(tables)) {
        hb_puts(o, "<p>The model reads no data tables.</p>\n</section>\n");
        return;
    }
    hb_puts(o, "<table class=\"data\">\n<thead><tr><th scope=\"col\">Table</th>"
               "<th scope=\"col\">File</th><th scope=\"col\" class=\"num\">Rows read</th>"
               "<th scope=\"col\">Source</th></tr></thead>\n<tbody>\n");
    const char *name;
    json_t *t;
    json_object_foreach(tables, name, t) {
        hb_puts(o, "<tr><th scope=\"row\">");
        hb_text(o, name);
        if (*js(t, "title")) {
            hb_puts(o, "<br><span class=\"sub\">");
            hb_text(o, js(t, "title"));
            hb_puts(o, "</span>");
        }
        hb_puts(o, "</th><td><code>");
        hb_text(o, js(t, "path"));
        hb_puts(o, "</code></td><td class=\"num\">");
        long long rows = -1;
        size_t k;
        json_t *e;
        json_array_foreach(counted, k, e) {
            if (strcmp(js(e, "id"), name) == 0 && json_is_integer(json_object_get(e, "rows")))
                rows = json_integer_value(json_object_get(e, "rows"));
        }
        if (rows < 0)
            rows = rows_read(p, name);
        if (rows >= 0)
            hb_printf(o, "%lld", rows);
        else
            hb_puts(o, "<span class=\"sub\">not read</span>");
        hb_puts(o, "</td><td>");
        hb_text(o, js(t, "source"));
        hb_puts(o, "</td></tr>\n");
    }
    hb_puts(o, "</tbody>\n</table>\n<p class=\"sub\">Rows read: the most rows any one "
               "indicator read from the table (rows no indicator selects are not "
               "counted).</p>\n</section>\n");
}

/* ---- the page ---------------------------------------------------------- */

/* What the Content-Security-Policy allows: the inline stylesheet and
 * nothing else. No script, no load of any kind, no form, no base. */
static const char csp[] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                          "base-uri 'none'; form-action 'none'";

static int check_date(const struct tocm_host *h, const char *date, char *out, size_t size,
                      tocm_error *err) {
    if (strcmp(date, "today") == 0) {
        time_t now = time(NULL);
        struct tm tm;
        if (!gmtime_r(&now, &tm) || strftime(out, size, "%Y-%m-%d", &tm) == 0) {
            h->error_set(err, "date", "cannot read the clock");
            return -1;
        }
        return 0;
    }
    int y, mo, d;
    char tail;
    if (strlen(date) != 10 || sscanf(date, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 || mo < 1 ||
        mo > 12 || d < 1 || d > 31 || date[4] != '-' || date[7] != '-') {
        h->error_set(err, "date", "the date must be YYYY-MM-DD or 'today', not '%s'", date);
        return -1;
    }
    snprintf(out, size, "%s", date);
    return 0;
}

static void page_write(struct page *p, const char *date) {
    struct hbuf *o = &p->out;
    json_t *program = json_object_get(p->report, "program");
    hb_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    hb_printf(o, "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n", csp);
    hb_puts(o, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    hb_printf(o, "<meta name=\"generator\" content=\"tocm %s\">\n", p->host->version);
    hb_puts(o, "<title>Indicator report: ");
    /* <title> holds text only: no <bdi> there, controls shown escaped. */
    hb_attr(o, js(program, "title"));
    hb_puts(o, "</title>\n");
    css_write(p);
    hb_puts(o, "</head>\n<body>\n<a class=\"skip\" href=\"#results\">Skip to the results</a>\n");
    header_write(p, date);
    filter_write(p);
    hb_puts(o, "<main id=\"main\">\n");
    chain_write(p);

    results_write(p);
    checks_write(p);
    assumptions_write(p);
    sources_write(p);
    hb_puts(o, "</main>\n<footer><p>Written by tocm from the model <code>");
    hb_text(o, js(program, "id"));
    hb_puts(o, "</code>. Every figure is computed from the data tables listed above.</p>"
               "</footer>\n</body>\n</html>\n");
}

static int write_html(const struct tocm_host *h, const struct tocm_export_input *in,
                      tocm_error *err) {
    size_t len = 0;
    const char *doc = h->export_report_json ? h->export_report_json(in->request, &len) : NULL;
    if (!doc) {
        h->error_set(err, "html",
                     "the HTML page is a report: write it with `tocm report MODEL --format html`");
        return -1;
    }
    const char *date_opt = h->export_option(in->request, "date");
    char date[32];
    if (date_opt && check_date(h, date_opt, date, sizeof date, err) != 0)
        return -1;
    const char *chain = h->export_option(in->request, "chain");
    if (chain && strcmp(chain, "outcomes") != 0 && strcmp(chain, "full") != 0 &&
        strcmp(chain, "none") != 0) {
        h->error_set(err, "chain", "the chain must be outcomes, full or none, not '%s'", chain);
        return -1;
    }
    struct page p = {
        .host = h, .m = in->model, .err = err, .chain_view = chain ? chain : "outcomes"};
    json_error_t jerr;
    p.report = json_loadb(doc, len, 0, &jerr);
    if (!p.report) {
        h->error_set(err, "html", "the report is not valid JSON (line %d): %s", jerr.line,
                     jerr.text);
        return -1;
    }
    size_t mlen = 0;
    char *model = h->model_format(in->model, &mlen);
    p.model = model ? json_loadb(model, mlen, 0, &jerr) : NULL;
    h->free(model);
    int rc = -1;
    if (!p.model)
        h->error_set(err, "html", "cannot read the model's canonical form");
    else if (collect_countries(&p) != 0 || results_plan(&p) != 0)
        h->error_set(err, "html", "out of memory");
    else {
        page_write(&p, date_opt ? date : NULL);
        if (p.out.failed)
            h->error_set(err, "html", "out of memory");
        else if (!err->text[0])
            rc = h->export_write(in->request, p.out.data, p.out.len);
    }
    hb_free(&p.out);
    json_decref(p.report);
    json_decref(p.model);
    for (size_t i = 0; i < p.country_count; i++)
        free(p.countries[i]);
    free(p.countries);
    free(p.block);
    free(p.home);
    return rc;
}

static const char *const formats[] = {"html", NULL};

static const struct tocm_option_info options[] = {
    {.name = "date",
     .arg = "YYYY-MM-DD|today",
     .help = "the date the page says it was generated (default: none, so the same input "
             "gives the same bytes)"},
    {.name = "chain",
     .arg = "outcomes|full|none",
     .help = "the results chain drawn at the top: the goal and the outcomes (default), every "
             "node, or none"},
    {.name = NULL},
};

static const struct tocm_exporter html_exporter = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_exporter),
    .name = "html",
    .summary = "the report as one self-contained HTML page (tocm report --format html): the "
               "chain coloured by status, the IPTT, charts, checks and sources",
    .formats = formats,
    .write = write_html,
    .options = options,
};

static const struct tocm_exporter *const exporters[] = {&html_exporter, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "html",
    .version = "0.1.0",
    .summary = "the report as a self-contained HTML page",
    .exporters = exporters,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host;
    (void)err;
    *out = &plugin;
    return 0;
}
