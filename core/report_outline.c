/*
 * report_outline.c -- a computed report as text or Markdown, as a program
 * team sends it to its donor: what it covers (as-of date, selection), the
 * results chain from the goal down, each result with its status and
 * assumptions and the indicators that measure it (report_text.c prints each
 * indicator's block), then the indicators that could not be computed, the
 * checks of printed figures and the status rolled up by outcome.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_print.h"
#include "util.h"

/* "a, b and c" of a JSON array of strings. new. */
static char *joined(json_t *list) {
    tocmp_buf b = {0};
    tocmp_buf_puts(&b, "");
    size_t n = json_array_size(list);
    for (size_t i = 0; i < n; i++)
        tocmp_buf_printf(&b, "%s%s",
                         i == 0       ? ""
                         : i + 1 == n ? " and "
                                      : ", ",
                         json_string_value(json_array_get(list, i)));
    return b.data;
}

/* The date and what the options selected, so a reader knows what the
 * tables leave out. */
/* How to read "% of target" and the statuses, once, when some figure has
 * a target: a donor reading "93 %, off track" needs to know that status is
 * judged from the baseline. */
static void print_legend(FILE *out, json_t *report, int markdown) {
    int targets = 0;
    size_t i, k;
    json_t *ind, *cell;
    json_array_foreach(json_object_get(report, "indicators"), i, ind) {
        json_array_foreach(json_object_get(ind, "cells"), k, cell) targets |=
            json_is_number(json_object_get(cell, "target"));
    }
    json_t *th = json_object_get(report, "thresholds");
    if (!targets || !th)
        return;
    double achieved = json_number_value(json_object_get(th, "achieved"));
    double on_track = json_number_value(json_object_get(th, "on_track"));
    fprintf(out,
            "%s%% of target is the actual as a share of the target (for a lower-is-better "
            "indicator, the share of the planned reduction achieved). Status is judged by "
            "progress from the baseline to the target: \u2713 achieved ",
            markdown ? "\n" : "");
    if (achieved >= 1)
        fputs("at the target", out);
    else
        fprintf(out, "from %g%% of the way", achieved * 100);
    fprintf(out, ", \u2192 on track from %g%% of the way, \u2717 off track below that.\n",
            on_track * 100);
}

static void print_scope(FILE *out, json_t *report, int markdown) {
    const char *as_of = json_string_value(json_object_get(report, "as_of"));
    json_t *sel = json_object_get(report, "selection");
    tocmp_buf b = {0};
    tocmp_buf_puts(&b, "");
    if (as_of)
        tocmp_buf_printf(&b, "Figures as of %s.", as_of);
    json_t *periods = json_object_get(sel, "periods");
    size_t np = json_array_size(periods);
    if (np == 1)
        tocmp_buf_printf(&b, " Period: %s.", json_string_value(json_array_get(periods, 0)));
    else if (np > 1)
        tocmp_buf_printf(&b, " Periods: %s to %s.", json_string_value(json_array_get(periods, 0)),
                         json_string_value(json_array_get(periods, np - 1)));
    const char *node = json_string_value(json_object_get(sel, "node"));
    if (node)
        tocmp_buf_printf(&b, " Results: %s and what contributes to it.", node);
    const char *level = json_string_value(json_object_get(sel, "level"));
    if (level)
        tocmp_buf_printf(&b, " Level: %s.", level);
    const char *country = json_string_value(json_object_get(sel, "country"));
    if (country)
        tocmp_buf_printf(&b, " Country: %s.", country);
    json_t *named = json_object_get(sel, "indicators");
    if (json_array_size(named)) {
        char *j = joined(named);
        tocmp_buf_printf(&b, " Indicators: %s.", j);
        free(j);
    }
    json_t *left = json_object_get(sel, "left_out");
    if (json_array_size(left)) {
        char *j = joined(left);
        tocmp_buf_printf(&b, " Left out, with no figures for %s alone: %s.", country ? country : "",
                         j);
        free(j);
    }
    if (b.len)
        fprintf(out, "%s%s\n", markdown ? "\n" : "", b.data + (b.data[0] == ' '));
    free(b.data);
    print_legend(out, report, markdown);
}

/* id -> the chain node it is placed under. new. */
static json_t *placements(json_t *chain) {
    json_t *at = json_object();
    size_t i, k;
    json_t *e, *id;
    json_array_foreach(chain, i, e) {
        json_array_foreach(json_object_get(e, "indicators"), k, id) {
            json_object_set(at, json_string_value(id), json_object_get(e, "node"));
        }
    }
    return at;
}

static json_t *find_indicator(json_t *report, const char *id) {
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(report, "indicators"), i, ind) {
        if (strcmp(json_string_value(json_object_get(ind, "id")), id) == 0)
            return ind;
    }
    return NULL;
}

/* One result of the chain: its heading, status, assumptions and the
 * indicators placed elsewhere that measure it too. Returns the Markdown
 * heading level its indicators take. */
static int print_node(FILE *out, json_t *e, json_t *at, int markdown) {
    int depth = (int)json_integer_value(json_object_get(e, "depth"));
    int h = 2 + depth > 5 ? 5 : 2 + depth;
    char *title = tocmp_md_cell(json_string_value(json_object_get(e, "title")), markdown);
    const char *level = json_string_value(json_object_get(e, "level_title"));
    const char *id = json_string_value(json_object_get(e, "node"));
    if (markdown) {
        fprintf(out, "\n%.*s %s %s: %s\n\n", h, "######", level, id, title);
    } else {
        char *line = tocmp_asprintf("%s %s: %s", level, id, title);
        size_t w = 0;
        for (const char *s = line; *s; s++)
            w += ((unsigned char)*s & 0xC0) != 0x80;
        fprintf(out, "\n\n%s\n", line);
        for (size_t i = 0; i < w && i < 78; i++)
            fputc(depth == 0 ? '=' : '-', out);
        fputc('\n', out);
        free(line);
    }
    free(title);
    const char *lead = markdown ? "" : "  ";
    const char *status = json_string_value(json_object_get(e, "status"));
    if (status)
        fprintf(out, "%sStatus: %s\n%s", lead, status, markdown ? "\n" : "");
    json_t *assumptions = json_object_get(e, "assumptions");
    if (json_array_size(assumptions)) {
        fprintf(out, "%sAssumptions:\n%s", lead, markdown ? "\n" : "");
        size_t i;
        json_t *a;
        json_array_foreach(assumptions, i, a) {
            char *t = tocmp_md_cell(json_string_value(a), markdown);
            fprintf(out, "%s- %s\n", lead, t);
            free(t);
        }
        if (markdown)
            fputc('\n', out);
    }
    json_t *refs = json_object_get(e, "references");
    if (json_array_size(refs)) {
        fprintf(out, "%sAlso measured by:", lead);
        size_t i;
        json_t *r;
        json_array_foreach(refs, i, r) {
            json_t *where = json_object_get(at, json_string_value(r));
            fprintf(out, "%s %s (under %s)", i ? "," : "", json_string_value(r),
                    where ? json_string_value(where) : "another result");
        }
        fprintf(out, "\n%s", markdown ? "\n" : "");
    }
    if (!json_array_size(json_object_get(e, "indicators")) && !json_array_size(refs))
        fprintf(out, "%sNo indicator measures this result directly.\n%s", lead,
                markdown ? "\n" : "");
    return h + 1;
}

/* The indicators whose data could not be read: listed, never silently
 * missing from the report. */
static void print_failed(FILE *out, json_t *report, int markdown) {
    json_t *failed = json_object_get(report, "failed");
    if (!json_array_size(failed))
        return;
    fprintf(out, markdown ? "\n## Not computed\n\n" : "\nNot computed\n");
    size_t i;
    json_t *f;
    json_array_foreach(failed, i, f) {
        json_t *line = json_object_get(f, "line");
        const char *file = json_string_value(json_object_get(f, "file"));
        char *msg = tocmp_md_cell(json_string_value(json_object_get(f, "message")), markdown);
        fprintf(out, "%s%s: %s", markdown ? "- " : "  ",
                json_string_value(json_object_get(f, "indicator")), file ? file : "");
        if (line)
            fprintf(out, ":%lld", (long long)json_integer_value(line));
        const char *code = json_string_value(json_object_get(f, "code"));
        fprintf(out, ": %s %s\n", code ? code : "", msg);
        free(msg);
    }
}

static void print_checks(FILE *out, json_t *report, int markdown) {
    json_t *checks = json_object_get(report, "checks");
    fprintf(out, markdown ? "\n## Checks\n\n" : "\nChecks\n");
    if (json_array_size(checks) == 0) {
        /* Figures shown as printed were not compared with anything: say
         * so rather than claim they match. */
        size_t shown = 0, i, k;
        json_t *ind, *cell;
        json_array_foreach(json_object_get(report, "indicators"), i, ind) {
            json_array_foreach(json_object_get(ind, "cells"), k, cell) {
                const char *origin = json_string_value(json_object_get(cell, "origin"));
                shown += origin && strcmp(origin, "reported") == 0;
            }
        }
        if (shown)
            fprintf(out,
                    "%sEvery figure recorded as printed matches the data, or is shown as "
                    "printed (\u2020, %zu figure%s) where the data has none; every breakdown "
                    "adds up to its total.\n",
                    markdown ? "" : "  ", shown, shown == 1 ? "" : "s");
        else
            fprintf(out,
                    "%sEvery figure recorded as printed matches the data, and every "
                    "breakdown adds up to its total.\n",
                    markdown ? "" : "  ");
        return;
    }
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c) {
        /* The breakdown in words ("country SG"), as the IPTT names it; the
         * total as such. */
        tocmp_buf where = {0};
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(c, "dims"), k, v) {
            tocmp_buf_printf(&where, "%s%s %s", where.data ? ", " : "", k,
                             json_is_string(v) ? json_string_value(v) : "?");
        }
        const char *source = json_string_value(json_object_get(c, "source"));
        fprintf(out, "%s%s, %s, %s: %s%s%s%s\n", markdown ? "- " : "  ",
                json_string_value(json_object_get(c, "indicator")),
                json_string_value(json_object_get(c, "period")), where.data ? where.data : "total",
                json_string_value(json_object_get(c, "message")), source ? " (" : "",
                source ? source : "", source ? ")" : "");
        free(where.data);
    }
}

/* The level's title for a node of the roll-up, from the chain ("End-of-
 * program outcome", not "eopo"); its id when the chain lacks the node. */
static const char *level_words(json_t *report, json_t *r) {
    const char *node = json_string_value(json_object_get(r, "node"));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(report, "chain"), i, e) {
        const char *title = json_string_value(json_object_get(e, "level_title"));
        if (title && node && strcmp(json_string_value(json_object_get(e, "node")), node) == 0)
            return title;
    }
    return json_string_value(json_object_get(r, "level"));
}

static void print_rollup(FILE *out, json_t *report, int markdown) {
    json_t *rollup = json_object_get(report, "rollup");
    if (!json_array_size(rollup))
        return;
    fprintf(out, markdown ? "\n## Status by outcome\n\n" : "\nStatus by outcome\n");
    /* Indicator statuses best first, whatever order they were counted in. */
    static const char *const order[] = {"achieved",         "on track",     "off track",
                                        "baseline pending", "no baseline",  "target pending",
                                        "not reported",     "not assessed", "no target"};
    size_t i;
    json_t *r;
    json_array_foreach(rollup, i, r) {
        fprintf(out, "%s%s%s (%s):", markdown ? "- **" : "  ",
                json_string_value(json_object_get(r, "node")), markdown ? "**" : "",
                level_words(report, r));
        const char *groups[2] = {"indicators", "projects"};
        int said = 0;
        for (int g = 0; g < 2; g++) {
            json_t *counts = json_object_get(r, groups[g]);
            if (!json_object_size(counts))
                continue;
            fprintf(out, "%s %s", said++ ? ";" : "", groups[g]);
            int first = 1;
            size_t n = g == 0 ? sizeof order / sizeof order[0] : 0;
            for (size_t o = 0; o <= n; o++) {
                const char *k;
                json_t *v;
                json_object_foreach(counts, k, v) {
                    int known = 0;
                    for (size_t q = 0; q < n; q++)
                        known |= strcmp(order[q], k) == 0;
                    /* the known ones in order, then (o == n) the others */
                    if (o < n ? strcmp(order[o], k) != 0 : known)
                        continue;
                    fprintf(out, "%s %lld %s", first ? "" : ",", (long long)json_integer_value(v),
                            k);
                    first = 0;
                }
            }
        }
        /* Never only a count: the nodes whose status is not a listed one,
         * by id, with the status they have. */
        json_t *left = json_object_get(r, "left_out");
        if (json_array_size(left)) {
            fprintf(out,
                    "%s left out of the counts, their status not one of "
                    "status.node_statuses (W206):",
                    said++ ? ";" : "");
            size_t k;
            json_t *e;
            json_array_foreach(left, k, e) {
                char *status =
                    tocmp_md_cell(json_string_value(json_object_get(e, "status")), markdown);
                fprintf(out, "%s %s ('%s')", k ? "," : "",
                        json_string_value(json_object_get(e, "node")), status);
                free(status);
            }
        }
        fputs(".\n", out);
    }
}

void tocmp_report_print_text(FILE *out, json_t *report, int markdown) {
    json_t *program = json_object_get(report, "program");
    fprintf(out, markdown ? "# Indicator report: %s\n" : "Indicator report: %s\n",
            json_string_value(json_object_get(program, "title")));
    print_scope(out, report, markdown);
    json_t *chain = json_object_get(report, "chain");
    json_t *at = placements(chain);
    size_t i, k;
    json_t *e, *id;
    json_array_foreach(chain, i, e) {
        int h = print_node(out, e, at, markdown);
        json_array_foreach(json_object_get(e, "indicators"), k, id) {
            json_t *ind = find_indicator(report, json_string_value(id));
            if (ind)
                tocmp_report_print_indicator(out, ind, markdown, h);
        }
    }
    json_decref(at);
    json_t *other = json_object_get(report, "other_indicators");
    /* A document without a chain (from an older tocm) lists every one. */
    int all = !chain;
    if (all)
        other = json_object_get(report, "indicators");
    if (json_array_size(other) && !all)
        fputs(markdown ? "\n## Indicators not attached to a result in this report\n"
                       : "\n\nIndicators not attached to a result in this report\n"
                         "====================================================\n",
              out);
    json_array_foreach(other, k, id) {
        json_t *ind = all ? id : find_indicator(report, json_string_value(id));
        if (ind)
            tocmp_report_print_indicator(out, ind, markdown, all ? 2 : 3);
    }
    print_failed(out, report, markdown);
    print_checks(out, report, markdown);
    print_rollup(out, report, markdown);
}
