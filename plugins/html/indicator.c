/*
 * indicator.c -- one indicator as a donor reads it: what it measures, its
 * baseline and life-of-program target, the IPTT (each period's target,
 * actual, % of target, status and comment, and the breakdowns that have
 * targets of their own), the figures by breakdown, and its charts. Words
 * and ordering follow the text report (core/report_text.c), so the printed
 * forms agree.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "html_internal.h"

static int is_pct(json_t *ind) { return strcmp(js(ind, "measure"), "percentage") == 0; }

/* A plan value (baseline, life-of-program target) as the model writes it. */
static void plan_text(struct hbuf *o, json_t *v, json_t *ind) {
    json_t *num = json_is_object(v) ? json_object_get(v, "value") : v;
    if (json_is_object(v) && json_is_true(json_object_get(v, "pending")))
        hb_puts(o, "pending");
    else if (json_is_string(v))
        hb_text(o, json_string_value(v));
    else if (json_is_object(v) && json_is_string(json_object_get(v, "text")))
        hb_text(o, js(v, "text"));
    else if (json_is_number(num)) {
        /* As written: a percentage target of 50 means 50 %. */
        double x = json_number_value(num);
        int decimals = (int)json_integer_value(json_object_get(ind, "rounding"));
        if (decimals < 0 || decimals > 6)
            decimals = 0;
        char digits[64];
        snprintf(digits, sizeof digits, "%.*f", decimals, fabs(x));
        /* Thousands grouped, as the report prints figures: 1,000. */
        const char *dot = strchr(digits, '.');
        size_t whole = dot ? (size_t)(dot - digits) : strlen(digits);
        if (x < 0)
            hb_puts(o, "\u2212");
        for (size_t i = 0; i < whole; i++) {
            if (i && (whole - i) % 3 == 0)
                hb_puts(o, ",");
            hb_put(o, digits + i, 1);
        }
        hb_puts(o, dot ? dot : "");
        hb_puts(o, is_pct(ind) ? "%" : "");
    } else
        hb_puts(o, "none");
    if (json_is_object(v) && *js(v, "period")) {
        hb_puts(o, " (");
        hb_text(o, js(v, "period"));
        hb_puts(o, ")");
    }
    if (json_is_object(v) && *js(v, "note")) {
        hb_puts(o, " \u2014 "); /* a dash, as the text report: "168: ..." read as a ratio */
        hb_text(o, js(v, "note"));
    }
}

/* Whether a cell's figure is the model's printed one, shown because the
 * data gives none (the report's "origin"), not one computed: marked with a
 * dagger the page explains, as the text report marks it. */
static int printed_only(json_t *cell) { return strcmp(js(cell, "origin"), "reported") == 0; }

const char *missing_word(json_t *cell) {
    return strcmp(js(cell, "status"), "not yet due") == 0 ? "not yet due" : "not reported";
}

void dims_words(struct hbuf *o, json_t *dims) {
    const char *k;
    json_t *v;
    int first = 1;
    json_object_foreach(dims, k, v) {
        if (!first)
            hb_puts(o, ", ");
        hb_text(o, k);
        hb_puts(o, " ");
        hb_text(o, json_string_value(v));
        first = 0;
    }
    if (first)
        hb_puts(o, "Total");
}

static void percent(struct hbuf *o, json_t *v) {
    if (!json_is_number(v))
        return;
    hb_printf(o, "%.0f%%", json_number_value(v));
}

static void status_cell(struct hbuf *o, const char *status) {
    if (!status || !*status)
        return;
    hb_printf(o, "<span class=\"st st-%s\">%s ", status_class(status), status_symbol(status));
    hb_text(o, status);
    hb_puts(o, "</span>");
}

/* The IPTT: a row per period's total, per breakdown with a target of its
 * own, and the life-of-program column. */
static void iptt_write(struct page *p, json_t *ind) {
    struct hbuf *o = &p->out;
    int cumulative = is_cumulative(ind);
    /* Figures of a qualitative indicator are sentences: left-aligned. */
    const char *num = strcmp(js(ind, "measure"), "qualitative") == 0 ? "" : " class=\"num\"";
    /* Without any target the plan columns would be empty: an indicator
     * that only reports figures gets the figures and the comments. */
    int plan = json_object_get(ind, "lop_target") != NULL;
    size_t i;
    json_t *cell;
    json_array_foreach(json_object_get(ind, "cells"), i, cell) {
        plan |= json_object_get(cell, "target") != NULL;
    }
    hb_printf(o,
              "<table class=\"data iptt\">\n<caption>%s</caption>\n"
              "<thead><tr><th scope=\"col\">Period</th><th scope=\"col\">Breakdown</th>",
              plan ? "Targets and actuals" : "Actuals (no target is set)");
    if (plan)
        hb_printf(o, "<th scope=\"col\"%s>Target</th>", num);
    hb_printf(o, "<th scope=\"col\"%s>Actual%s</th>", num, cumulative ? " (cumulative)" : "");
    if (plan)
        hb_puts(o, "<th scope=\"col\" class=\"num\">% of target</th>"
                   "<th scope=\"col\">Status</th>");
    hb_puts(o, "<th scope=\"col\">Comment</th></tr></thead>\n<tbody>\n");
    json_array_foreach(json_object_get(ind, "cells"), i, cell) {
        json_t *dims = json_object_get(cell, "dims");
        int total = json_object_size(dims) == 0;
        if (!total && !json_object_get(cell, "target"))
            continue;
        const char *period = js(cell, "period");
        int lop = strcmp(period, "total") == 0;
        hb_puts(o, "<tr");
        country_class(p, dims, total ? (lop ? "tot lop" : "tot") : NULL);
        hb_puts(o, "><th scope=\"row\">");
        /* The total of a stock is its latest figure: say which period. */
        const char *latest =
            *js(cell, "latest_period") ? js(cell, "latest_period") : js(ind, "latest_period");
        if (lop && (cumulative || !json_object_get(ind, "periods")))
            hb_puts(o, "To date");
        else if (lop && *latest) {
            hb_puts(o, "Latest (");
            hb_text(o, latest);
            hb_puts(o, ")");
        } else if (lop)
            hb_puts(o, "All periods");
        else {
            hb_text(o, period);
            if (*js(cell, "target_label")) {
                hb_puts(o, " <span class=\"sub\">(");
                hb_text(o, js(cell, "target_label"));
                hb_puts(o, ")</span>");
            }
        }
        hb_puts(o, "</th><td>");
        dims_words(o, dims);
        if (plan) {
            hb_printf(o, "</td><td%s>", num);
            const char *tdisp = json_string_value(json_object_get(cell, "target_display"));
            if (!tdisp && lop)
                tdisp = json_string_value(json_object_get(ind, "lop_target_display"));
            hb_text(o, tdisp);
        }
        hb_printf(o, "</td><td%s>", num);
        int reported =
            json_is_number(json_object_get(cell, "value")) || json_object_get(cell, "text");
        if (reported)
            hb_text(o, js(cell, "display"));
        if (reported && printed_only(cell))
            hb_puts(o, " <span class=\"sub\" title=\"as printed, not computed\">\u2020</span>");
        else if (!reported)
            hb_printf(o, "<span class=\"sub\">%s</span>", missing_word(cell));
        if (plan) {
            hb_puts(o, "</td><td class=\"num\">");
            json_t *pot = json_object_get(cell, "percent_of_target");
            percent(o, pot ? pot : json_object_get(cell, "percent_of_lop_target"));
            hb_puts(o, "</td><td>");
            status_cell(o, json_string_value(json_object_get(cell, "status")));
        }
        hb_puts(o, "</td><td>");
        const char *comment = json_string_value(json_object_get(cell, "comment"));
        const char *note = json_string_value(json_object_get(cell, "note"));
        if (comment)
            hb_text(o, comment);
        else if (!reported && *js(cell, "due")) {
            /* The Actual column already says "not yet due": say when. */
            hb_puts(o, "due by ");
            hb_text(o, js(cell, "due"));
        } else if (!reported && note)
            hb_text(o, note);
        /* Said before the source, which names where it is printed. */
        if (printed_only(cell))
            hb_printf(o,
                      "%s<span class=\"sub\">\u2020 As printed, not computed: the data has "
                      "no figure for it.</span>",
                      comment ? " " : "");
        if (*js(cell, "source")) {
            hb_puts(o, "<br><span class=\"sub\">Source: ");
            hb_text(o, js(cell, "source"));
            hb_puts(o, "</span>");
        }
        if (json_object_get(cell, "reported"))
            hb_printf(o, "%s<span class=\"st st-ok\">\u2713 as printed</span>",
                      comment || (!reported && note) ? " " : "");
        hb_puts(o, "</td></tr>\n");
    }
    hb_puts(o, "</tbody>\n</table>\n");
}

/* The figures by breakdown: a row per combination of values (most
 * detailed first, as the text report), a column per period. */
static void breakdown_write(struct page *p, json_t *ind) {
    struct hbuf *o = &p->out;
    json_t *dimensions = json_object_get(ind, "dimensions");
    size_t nd = json_array_size(dimensions);
    if (!nd)
        return;
    json_t *periods = json_array();
    json_t *rows = json_array(); /* [dims, {period: cell}] */
    json_t *index = json_object();
    size_t i;
    json_t *cell;
    json_array_foreach(json_object_get(ind, "cells"), i, cell) {
        const char *period = js(cell, "period");
        size_t k;
        json_t *pv;
        int known = 0;
        json_array_foreach(periods, k, pv) known |= strcmp(json_string_value(pv), period) == 0;
        if (!known)
            json_array_append_new(periods, json_string(period));
        char *key = json_dumps(json_object_get(cell, "dims"), JSON_COMPACT | JSON_SORT_KEYS);
        json_t *row = key ? json_object_get(index, key) : NULL;
        if (key && !row) {
            row = json_pack("[O,{}]", json_object_get(cell, "dims"));
            json_array_append_new(rows, row);
            json_object_set(index, key, row);
        }
        free(key);
        if (row)
            json_object_set(json_array_get(row, 1), period, cell);
    }
    json_decref(index);
    size_t printed = 0; /* figures marked as printed, explained under the table */
    hb_puts(o, "<details class=\"bd\"><summary>Figures by breakdown</summary>\n"
               "<table class=\"data\">\n<thead><tr>");
    json_t *d;
    json_array_foreach(dimensions, i, d) {
        hb_puts(o, "<th scope=\"col\">");
        hb_text(o, json_string_value(d));
        hb_puts(o, "</th>");
    }
    json_t *pv;
    json_array_foreach(periods, i, pv) {
        hb_puts(o, "<th scope=\"col\" class=\"num\">");
        hb_text(o, strcmp(json_string_value(pv), "total") == 0 ? "total" : json_string_value(pv));
        hb_puts(o, "</th>");
    }
    hb_puts(o, "</tr></thead>\n<tbody>\n");
    for (size_t want = nd + 1; want-- > 0;) {
        json_t *row;
        json_array_foreach(rows, i, row) {
            json_t *dims = json_array_get(row, 0);
            if (json_object_size(dims) != want)
                continue;
            hb_puts(o, "<tr");
            country_class(p, dims, want == 0 ? "tot" : NULL);
            hb_puts(o, ">");
            size_t k;
            json_array_foreach(dimensions, k, d) {
                const char *v = json_string_value(json_object_get(dims, json_string_value(d)));
                hb_puts(o, k == 0 ? "<th scope=\"row\">" : "<td>");
                if (want == 0 && k == 0)
                    hb_puts(o, "Total");
                else
                    hb_text(o, v ? v : "all");
                hb_puts(o, k == 0 ? "</th>" : "</td>");
            }
            json_array_foreach(periods, k, pv) {
                json_t *c = json_object_get(json_array_get(row, 1), json_string_value(pv));
                hb_puts(o, "<td class=\"num\">");
                if (c)
                    hb_text(o, js(c, "display"));
                /* A latest figure from another period than the indicator's. */
                if (c && *js(c, "latest_period") &&
                    strcmp(js(c, "latest_period"), js(ind, "latest_period")) != 0) {
                    hb_puts(o, " <span class=\"sub\">(");
                    hb_text(o, js(c, "latest_period"));
                    hb_puts(o, ")</span>");
                }
                if (c && printed_only(c)) {
                    printed++;
                    hb_puts(o, " <span class=\"sub\" title=\"as printed, not computed\">"
                               "\u2020</span>");
                }
                json_t *parts = json_object_get(c, "parts");
                if (json_object_size(parts)) {
                    hb_puts(o, " <span class=\"sub\">(");
                    const char *name;
                    json_t *v;
                    int first = 1;
                    json_object_foreach(parts, name, v) {
                        hb_printf(o, "%s%.0f ", first ? "" : ", ", json_number_value(v));
                        hb_text(o, name);
                        first = 0;
                    }
                    hb_puts(o, ")</span>");
                }
                hb_puts(o, "</td>");
            }
            hb_puts(o, "</tr>\n");
        }
    }
    hb_puts(o, "</tbody>\n</table>\n");
    if (printed)
        hb_puts(o, "<p class=\"sub\">\u2020 as printed, not computed: the data has no figure "
                   "for it.</p>\n");
    hb_puts(o, "</details>\n");
    json_decref(rows);
    json_decref(periods);
}

void indicator_write(struct page *p, json_t *ind) {
    struct hbuf *o = &p->out;
    const char *status = indicator_status(ind);
    hb_puts(o, "<article class=\"ind");
    /* The countries it has figures for: the filter hides it under any
     * other country; without a country breakdown it stays. */
    int by_country = 0;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(ind, "dimensions"), i, d) {
        by_country |= strcmp(json_string_value(d), "country") == 0;
    }
    if (by_country) {
        hb_puts(o, " cty");
        for (size_t c = 0; c < p->country_count; c++) {
            json_t *cell;
            json_array_foreach(json_object_get(ind, "cells"), i, cell) {
                const char *v =
                    json_string_value(json_object_get(json_object_get(cell, "dims"), "country"));
                if (v && strcmp(v, p->countries[c]) == 0) {
                    hb_printf(o, " c%zu", c);
                    break;
                }
            }
        }
    }
    hb_puts(o, "\" id=\"");
    hb_id(o, "ind-", js(ind, "id"));
    hb_puts(o, "\">\n<h4><span class=\"nid\">");
    hb_text(o, js(ind, "id"));
    hb_puts(o, "</span> ");
    hb_text(o, js(ind, "title"));
    hb_puts(o, "</h4>\n");
    if (status) {
        hb_puts(o, "<p class=\"indst\">");
        status_cell(o, status);
        hb_puts(o, "</p>\n");
    }
    hb_puts(o, "<dl class=\"plan\">\n<div><dt>Measure</dt><dd>");
    hb_text(o, js(ind, "measure"));
    if (*js(ind, "unit")) {
        hb_puts(o, " (");
        hb_text(o, js(ind, "unit"));
        hb_puts(o, ")");
    }
    if (*js(ind, "aggregation")) {
        hb_puts(o, ", ");
        hb_text(o, js(ind, "aggregation"));
    }
    if (strcmp(js(ind, "direction"), "lower") == 0)
        hb_puts(o, "; lower is better");
    hb_puts(o, "</dd></div>\n<div><dt>Results</dt><dd>");
    json_t *nid;
    json_array_foreach(json_object_get(ind, "nodes"), i, nid) {
        size_t n = p->host->node_find(p->m, json_string_value(nid));
        if (i)
            hb_puts(o, ", ");
        if (n != TOCM_NONE && node_has_block(p, n)) {
            hb_puts(o, "<a href=\"#");
            hb_id(o, "node-", json_string_value(nid));
            hb_puts(o, "\">");
            hb_text(o, json_string_value(nid));
            hb_puts(o, "</a>");
        } else
            hb_text(o, json_string_value(nid));
    }
    if (!json_array_size(json_object_get(ind, "nodes")))
        hb_puts(o, "none");
    hb_puts(o, "</dd></div>\n");
    json_t *baseline = json_object_get(ind, "baseline");
    if (baseline) {
        hb_puts(o, "<div><dt>Baseline</dt><dd>");
        plan_text(o, baseline, ind);
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(baseline, "breakdown"), k, e) {
            hb_puts(o, k ? "; " : " (");
            dims_words(o, json_object_get(e, "dims"));
            hb_puts(o, ": ");
            plan_text(o, json_object_get(e, "value"), ind);
        }
        if (json_array_size(json_object_get(baseline, "breakdown")))
            hb_puts(o, ")");
        hb_puts(o, "</dd></div>\n");
    }
    if (json_object_get(ind, "lop_target")) {
        hb_puts(o, "<div><dt>Life-of-program target</dt><dd>");
        plan_text(o, json_object_get(ind, "lop_target"), ind);
        hb_puts(o, "</dd></div>\n");
    }
    if (*js(ind, "verification")) {
        hb_puts(o, "<div><dt>Means of verification</dt><dd>");
        hb_text(o, js(ind, "verification"));
        hb_puts(o, "</dd></div>\n");
    }
    if (*js(ind, "notes")) {
        hb_puts(o, "<div><dt>Notes</dt><dd>");
        hb_text(o, js(ind, "notes"));
        hb_puts(o, "</dd></div>\n");
    }
    hb_puts(o, "</dl>\n");
    iptt_write(p, ind);
    charts_write(p, ind);

    breakdown_write(p, ind);
    hb_puts(o, "</article>\n");
}
