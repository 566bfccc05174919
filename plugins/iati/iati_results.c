/*
 * iati_results.c -- the activity's results: one IATI `result` per node that
 * has indicators (IATI requires at least one indicator per result), each
 * indicator with its baseline(s), and one `period` per period that has a
 * target or an actual, holding the total and each breakdown (`dimension`).
 *
 * Mapping (models/FORMAT.md, "IATI"):
 *   level       -> result type: program.iati_result_types, else the top
 *                  level impact (3), outcome levels outcome (2), the rest
 *                  output (1);
 *   measure     -> unit 1, percentage 2, nominal 3, ordinal 4, qualitative 5;
 *   direction   -> ascending (lower is better: false);
 *   percentages -> as people write them (54 for 54 %), targets as the model
 *                  has them, actuals rounded as the report shows them;
 *   texts       -> a qualitative indicator's texts, notes, labels, comments
 *                  and sources go into `comment` narratives;
 *   lop_target and the means of verification -> the indicator's description
 *                  (IATI has no place of their own for them).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iati_internal.h"

static const char *string_at(json_t *object, const char *key) {
    return json_string_value(json_object_get(object, key));
}

/* A growable text for comments: pieces joined by ". ". */
struct text {
    char *s;
    size_t len;
};

static void add(struct text *t, const char *piece) {
    if (!piece || !*piece)
        return;
    size_t n = strlen(piece);
    char *s = realloc(t->s, t->len + n + 3);
    if (!s)
        return;
    t->s = s;
    if (t->len) {
        memcpy(t->s + t->len, ". ", 2);
        t->len += 2;
    }
    memcpy(t->s + t->len, piece, n + 1);
    t->len += n;
}

static void add_labelled(struct text *t, const char *label, const char *piece) {
    if (!piece || !*piece)
        return;
    size_t n = strlen(label) + strlen(piece) + 1;
    char *s = malloc(n);
    if (!s)
        return;
    snprintf(s, n, "%s%s", label, piece);
    add(t, s);
    free(s);
}

/* tocm's own attribute (namespace IATI_TOCM_NS), when the model has the
 * member as a string: what IATI keeps only inside a comment, so that
 * `tocm import iati` gives the member back as it was. */

static void tocm_attr(struct iati *x, const char *name, json_t *object, const char *key) {
    const char *v = string_at(object, key);
    if (v) {
        char qname[64];
        snprintf(qname, sizeof qname, "tocm:%s", name);
        iati_attr(x, qname, v);
    }
}

/* tocm:pending="true" for a figure to be confirmed. */
static void tocm_pending(struct iati *x, const char *prefix, json_t *object) {
    if (json_is_true(json_object_get(object, "pending"))) {
        char qname[64];
        snprintf(qname, sizeof qname, "tocm:%spending", prefix);
        iati_attr(x, qname, "true");
    }
}

/* <comment> with the text, then freed. */
static void flush_comment(struct iati *x, struct text *t) {
    if (t->len)
        iati_narrative(x, "comment", t->s);
    free(t->s);
    t->s = NULL;
    t->len = 0;
}

static void dimensions(struct iati *x, json_t *dims) {
    const char *name;
    json_t *v;
    json_object_foreach(dims, name, v) {
        char num[32];
        const char *value = json_is_string(v)   ? json_string_value(v)
                            : json_is_number(v) ? iati_number(json_number_value(v), num)
                                                : NULL;
        if (!value)
            continue;
        iati_start(x, "dimension");
        iati_attr(x, "name", name);
        iati_attr(x, "value", value);
        iati_end(x);
    }
}

/* ---- the result type of a level -------------------------------------- */

static const char *result_code(const char *word) {
    static const char *const map[][2] = {
        {"output", "1"}, {"outcome", "2"}, {"impact", "3"}, {"other", "9"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], word) == 0)
            return map[i][1];
    return NULL;
}

static const char *result_type(struct iati *x, long level) {
    const struct tocm_host *h = x->host;
    const tocm_model *m = x->in->model;
    if (level < 0)
        return "9";
    json_t *types = json_object_get(json_object_get(x->model, "program"), "iati_result_types");
    const char *word = string_at(types, h->level_id(m, (size_t)level));
    if (word) {
        const char *code = result_code(word);
        if (!code) {
            h->error_set(x->err, "program.iati_result_types",
                         "level '%s' is mapped to '%s': use output, outcome, impact or other",
                         h->level_id(m, (size_t)level), word);
            x->refused = 1;
            return "9";
        }
        return code;
    }
    if (level == 0)
        return "3";
    return h->level_is_outcome(m, (size_t)level) ? "2" : "1";
}

/* ---- values ------------------------------------------------------------ */

static int is_qualitative(json_t *ind) {
    const char *m = string_at(ind, "measure");
    return m && strcmp(m, "qualitative") == 0;
}

/* A target as the model writes it: a number, a text, or an object. */
static void write_target(struct iati *x, json_t *ind, json_t *t, json_t *dims) {
    char num[32];
    struct text c = {0};
    const char *value = NULL;
    json_t *v = json_is_object(t) ? json_object_get(t, "value") : t;
    if (json_is_number(v))
        value = iati_number(json_number_value(v), num);
    iati_start(x, "target");
    if (value && !is_qualitative(ind))
        iati_attr(x, "value", value);
    dimensions(x, dims);
    if (json_is_string(t))
        add(&c, json_string_value(t));
    if (json_is_object(t)) {
        add(&c, string_at(t, "label"));
        add(&c, string_at(t, "text"));
        if (json_is_true(json_object_get(t, "pending")))
            add(&c, "Target to be confirmed");
        add_labelled(&c, "Due ", string_at(t, "date"));
        add(&c, string_at(t, "note"));
    }
    flush_comment(x, &c);
    /* The target's parts as tocm has them, for tocm import iati: IATI
     * allows no other attribute on <target>, but elements of another
     * namespace after its comment. */
    if (json_is_string(t) ||
        (json_is_object(t) && !(json_object_size(t) == 1 && json_object_get(t, "value")))) {
        iati_start(x, "tocm:plan");
        if (json_is_string(t))
            iati_attr(x, "text", json_string_value(t));
        static const char *const parts[] = {"text", "label", "date", "note"};
        for (size_t i = 0; json_is_object(t) && i < 4; i++)
            iati_attr(x, parts[i], string_at(t, parts[i]));
        if (json_is_true(json_object_get(t, "pending")))
            iati_attr(x, "pending", "true");
        iati_end(x);
    }
    iati_end(x);
}

/* An actual from a report cell; nothing for a figure not reported. */
/* An actual from a report cell. A figure not reported is written, without
 * a value, only when the team entered it so with a comment saying why
 * (IATI's value is optional); one merely missing is left out. A breakdown
 * with an empty value (rows whose breakdown cell is blank) is left out:
 * IATI's dimension needs a value. */
static void write_actual(struct iati *x, json_t *rep, json_t *cell) {
    json_t *v = json_object_get(cell, "value");
    const char *text = string_at(cell, "text");
    if (!json_is_number(v) && !text && !string_at(cell, "comment"))
        return;
    const char *name;
    json_t *dv;
    json_object_foreach(json_object_get(cell, "dims"), name, dv) {
        if (json_is_string(dv) && !*json_string_value(dv))
            return;
    }
    const char *measure = string_at(rep, "measure");
    int percentage = measure && strcmp(measure, "percentage") == 0;
    iati_start(x, "actual");
    if (json_is_number(v)) {
        /* As the report shows it: percentages ×100, rounded alike. */
        double d = json_number_value(v) * (percentage ? 100.0 : 1.0);
        json_int_t decimals = json_integer_value(json_object_get(rep, "rounding"));
        double scale = pow(10.0, (double)(decimals < 0 || decimals > 6 ? 0 : decimals));
        char num[32];
        iati_attr(x, "value", iati_number(round(d * scale) / scale + 0.0, num));
    }
    dimensions(x, json_object_get(cell, "dims"));
    struct text c = {0};
    add(&c, text);
    add_labelled(&c, "Assessed: ", string_at(cell, "assessed"));
    add(&c, string_at(cell, "comment"));
    add_labelled(&c, "Source: ", string_at(cell, "source"));
    flush_comment(x, &c);
    /* The parts joined in the comment, apart, for tocm import iati (IATI
     * allows elements of another namespace at the end of <actual>). */
    static const char *const parts[] = {"text", "assessed", "comment", "source"};
    /* A figure the report shows as printed (the model's `reported`, where
     * the data has none) goes back there on import, as write_reported's. */
    const char *origin = string_at(cell, "origin");
    int printed = origin && strcmp(origin, "reported") == 0;
    int any = printed;
    for (size_t i = 0; i < 4; i++)
        any |= string_at(cell, parts[i]) != NULL;
    if (any) {
        iati_start(x, "tocm:figure");
        for (size_t i = 0; i < 4; i++)
            iati_attr(x, parts[i], string_at(cell, parts[i]));
        if (printed)
            iati_attr(x, "reported", "true");
        iati_end(x);
    }
    iati_end(x);
}

/* The report's cell of a period and breakdown that has a figure, or NULL. */
static json_t *cell_with_value(json_t *rep, const char *period, json_t *dims) {
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(rep, "cells"), i, c) {
        const char *cp = string_at(c, "period");
        if (cp && strcmp(cp, period) == 0 && json_equal(json_object_get(c, "dims"), dims) &&
            (json_is_number(json_object_get(c, "value")) || string_at(c, "text")))
            return c;
    }
    return NULL;
}

/* Figures the program reported (the indicator's `reported`) for which the
 * data gives none: the breakdowns of a share or a mean imported from IATI,
 * a figure printed in a report before the data came in. They are actuals
 * all the same (as printed: 54 for 54 %). Where the data has a figure, it
 * is the one written, and tocm report checks the two. */
static void write_reported(struct iati *x, json_t *ind, json_t *rep, const char *period) {
    size_t i;
    json_t *r, *none = json_object();
    json_array_foreach(json_object_get(ind, "reported"), i, r) {
        json_t *rp = json_object_get(r, "period"), *v = json_object_get(r, "value");
        char pbuf[32];
        const char *pr = json_is_string(rp) ? json_string_value(rp) : NULL;
        if (json_is_integer(rp)) {
            snprintf(pbuf, sizeof pbuf, "%lld", (long long)json_integer_value(rp));
            pr = pbuf;
        }
        json_t *dims = json_object_get(r, "dims");
        if (!pr || strcmp(pr, period) != 0 || !json_is_number(v) ||
            cell_with_value(rep, period, dims ? dims : none))
            continue;
        char num[32];
        iati_start(x, "actual");
        iati_attr(x, "value", iati_number(json_number_value(v), num));
        dimensions(x, dims);
        struct text c = {0};
        add_labelled(&c, "Source: ", string_at(r, "source"));
        flush_comment(x, &c);
        if (string_at(r, "source")) {
            iati_start(x, "tocm:figure");
            iati_attr(x, "source", string_at(r, "source"));
            iati_attr(x, "reported", "true");
            iati_end(x);
        }
        iati_end(x);
    }
    json_decref(none);
}

/* ---- baselines ----------------------------------------------------------- */

static void write_baseline(struct iati *x, json_t *ind) {
    json_t *b = json_object_get(ind, "baseline");
    if (!json_is_object(b))
        return;
    char year[8] = "", date[11] = "", ignore[11];
    json_t *period = json_object_get(b, "period");
    const char *when = string_at(b, "date");
    if (when && iati_period_dates(when, date, ignore) && strlen(when) != 10)
        date[0] = '\0'; /* a year or month is not an iso-date */
    if (json_is_integer(period))
        snprintf(year, sizeof year, "%d", (int)json_integer_value(period));
    else if (json_is_string(period) && strlen(json_string_value(period)) >= 4)
        snprintf(year, sizeof year, "%.4s", json_string_value(period));
    else if (when && strlen(when) >= 4)
        snprintf(year, sizeof year, "%.4s", when);
    if (!year[0] || atoi(year) <= 0 || strspn(year, "0123456789") != 4) {
        x->host->log(TOCM_LOG_WARNING, "iati",
                     "indicator '%s': the baseline is not written: IATI needs its year (give "
                     "it a \"period\" or \"date\")",
                     string_at(ind, "id"));
        return;
    }
    int qualitative = is_qualitative(ind);
    char num[32];
    iati_start(x, "baseline");
    iati_attr(x, "year", year);
    if (date[0])
        iati_attr(x, "iso-date", date);
    json_t *v = json_object_get(b, "value");
    if (json_is_number(v) && !qualitative)
        iati_attr(x, "value", iati_number(json_number_value(v), num));
    char tperiod[32];
    if (json_is_integer(period)) {
        snprintf(tperiod, sizeof tperiod, "%lld", (long long)json_integer_value(period));
        iati_attr(x, "tocm:period", tperiod);
    }
    tocm_attr(x, "period", b, "period");
    tocm_attr(x, "date", b, "date");
    tocm_attr(x, "text", b, "text");
    tocm_attr(x, "note", b, "note");
    tocm_pending(x, "", b);
    struct text c = {0};
    add(&c, string_at(b, "text"));
    if (json_is_true(json_object_get(b, "pending")))
        add(&c, "Baseline to be confirmed");
    add(&c, string_at(b, "note"));
    flush_comment(x, &c);
    iati_end(x);
    /* Baselines of breakdowns: the same year, with their dimensions. */
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(b, "breakdown"), i, e) {
        json_t *bv = json_object_get(e, "value");
        iati_start(x, "baseline");
        iati_attr(x, "year", year);
        if (date[0])
            iati_attr(x, "iso-date", date);
        if (json_is_number(bv) && !qualitative)
            iati_attr(x, "value", iati_number(json_number_value(bv), num));
        dimensions(x, json_object_get(e, "dims"));
        iati_end(x);
    }
}

/* ---- periods ------------------------------------------------------------- */

/* Periods in time order: by first day, then last day (2024-Q2 before
 * 2024-H2, a year before its later months); periods that are no dates last,
 * by name. */
static int by_time(const void *a, const void *b) {
    const char *p = *(const char *const *)a, *q = *(const char *const *)b;
    char ps[11], pe[11], qs[11], qe[11];
    int pd = iati_period_dates(p, ps, pe), qd = iati_period_dates(q, qs, qe);
    if (pd != qd)
        return pd ? -1 : 1;
    if (!pd)
        return strcmp(p, q);
    int c = strcmp(ps, qs);
    if (!c)
        c = strcmp(qe, pe); /* the longer span first */
    return c ? c : strcmp(p, q);
}

/* Every period with a target or an actual, sorted, each once. new array of
 * borrowed strings. */
static const char **periods_of(json_t *ind, json_t *rep, size_t *count) {
    size_t cap = json_object_size(json_object_get(ind, "targets")) +
                 json_array_size(json_object_get(ind, "breakdown_targets")) +
                 json_array_size(json_object_get(rep, "cells")) + 1;
    const char **list = malloc(cap * sizeof *list);
    size_t n = 0;
    if (!list)
        return NULL;
    const char *key;
    json_t *v;
    size_t i;
    json_object_foreach(json_object_get(ind, "targets"), key, v) list[n++] = key;
    json_array_foreach(json_object_get(ind, "breakdown_targets"), i, v) {
        const char *p = string_at(v, "period");
        if (p)
            list[n++] = p;
    }
    json_array_foreach(json_object_get(rep, "cells"), i, v) {
        const char *p = string_at(v, "period");
        if (p && strcmp(p, "total") != 0)
            list[n++] = p;
    }
    qsort(list, n, sizeof *list, by_time);
    size_t unique = 0;
    for (i = 0; i < n; i++)
        if (unique == 0 || strcmp(list[unique - 1], list[i]) != 0)
            list[unique++] = list[i];
    *count = unique;
    return list;
}

static void write_period(struct iati *x, json_t *ind, json_t *rep, const char *p) {
    char start[11], end[11];
    int dated = strcmp(p, "all") == 0 ? iati_program_dates(x, start, end)
                                      : iati_period_dates(p, start, end);
    if (!dated) {
        x->host->log(TOCM_LOG_WARNING, "iati",
                     "indicator '%s': period '%s' is not written: IATI periods are dates, and "
                     "it is not a year, month (2024-03), quarter (2024-Q2), half (2024-H1) or "
                     "day",
                     string_at(ind, "id"), p);
        return;
    }
    iati_start(x, "period");
    iati_attr(x, "tocm:period", p);
    iati_start(x, "period-start");
    iati_attr(x, "iso-date", start);
    iati_end(x);
    iati_start(x, "period-end");
    iati_attr(x, "iso-date", end);
    iati_end(x);
    json_t *t = json_object_get(json_object_get(ind, "targets"), p);
    if (t)
        write_target(x, ind, t, NULL);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(ind, "breakdown_targets"), i, e) {
        const char *bp = string_at(e, "period");
        if (bp && strcmp(bp, p) == 0)
            write_target(x, ind, e, json_object_get(e, "dims"));
    }
    json_array_foreach(json_object_get(rep, "cells"), i, e) {
        const char *cp = string_at(e, "period");
        if (cp && strcmp(cp, p) == 0)
            write_actual(x, rep, e);
    }
    if (rep)
        write_reported(x, ind, rep, p);
    iati_end(x);
}

/* ---- indicators and results --------------------------------------------- */

static void write_indicator(struct iati *x, json_t *ind, json_t *rep) {
    static const char *const measures[][2] = {{"unit", "1"},
                                              {"percentage", "2"},
                                              {"nominal", "3"},
                                              {"ordinal", "4"},
                                              {"qualitative", "5"}};
    const char *measure = string_at(ind, "measure");
    const char *code = "1";
    for (size_t i = 0; measure && i < sizeof measures / sizeof measures[0]; i++)
        if (strcmp(measures[i][0], measure) == 0)
            code = measures[i][1];
    const char *direction = string_at(ind, "direction");
    iati_start(x, "indicator");
    iati_attr(x, "measure", code);
    iati_attr(x, "tocm:id", string_at(ind, "id"));
    iati_attr(x, "ascending", direction && strcmp(direction, "lower") == 0 ? "false" : "true");
    /* Counts add up across activities; shares, ranks and texts do not. */
    iati_attr(x, "aggregation-status", strcmp(code, "1") == 0 ? "true" : "false");
    /* What IATI holds only in the description, for tocm import iati. */
    tocm_attr(x, "unit", ind, "unit");
    tocm_attr(x, "verification", ind, "verification");
    json_t *lt = json_object_get(ind, "lop_target");
    char lnum[32];
    if (json_is_number(lt))
        iati_attr(x, "tocm:lop-value", iati_number(json_number_value(lt), lnum));
    else if (json_is_string(lt))
        iati_attr(x, "tocm:lop-text", json_string_value(lt));
    else if (json_is_object(lt)) {
        if (json_is_number(json_object_get(lt, "value")))
            iati_attr(x, "tocm:lop-value",
                      iati_number(json_number_value(json_object_get(lt, "value")), lnum));
        tocm_attr(x, "lop-text", lt, "text");
        tocm_attr(x, "lop-label", lt, "label");
        tocm_attr(x, "lop-date", lt, "date");
        tocm_attr(x, "lop-note", lt, "note");
        tocm_pending(x, "lop-", lt);
    }
    iati_narrative(x, "title", string_at(ind, "title"));
    struct text d = {0};
    add_labelled(&d, "Means of verification: ", string_at(ind, "verification"));
    json_t *lop = json_object_get(ind, "lop_target");
    char num[32];
    json_t *lv = json_is_object(lop) ? json_object_get(lop, "value") : lop;
    if (json_is_number(lv))
        add_labelled(&d, "Life-of-program target: ", iati_number(json_number_value(lv), num));
    else if (json_is_string(lv))
        add_labelled(&d, "Life-of-program target: ", json_string_value(lv));
    if (d.len)
        iati_narrative(x, "description", d.s);
    free(d.s);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(ind, "references"), i, r) {
        const char *vocabulary = string_at(r, "vocabulary"), *rcode = string_at(r, "code");
        if (!vocabulary || !rcode) {
            x->host->log(TOCM_LOG_WARNING, "iati",
                         "indicator '%s': reference %zu is not written: IATI needs its "
                         "\"vocabulary\" and \"code\"",
                         string_at(ind, "id"), i + 1);
            continue;
        }
        iati_start(x, "reference");
        iati_attr(x, "vocabulary", vocabulary);
        iati_attr(x, "code", rcode);
        if (string_at(r, "uri"))
            iati_attr(x, "indicator-uri", string_at(r, "uri"));
        iati_end(x);
    }
    write_baseline(x, ind);
    size_t n = 0;
    const char **periods = periods_of(ind, rep, &n);
    if (!periods)
        x->failed = 1;
    for (i = 0; i < n; i++)
        write_period(x, ind, rep, periods[i]);
    free(periods);
    iati_end(x);
}

/* The report's entry for an indicator, or NULL. */
static json_t *report_of(struct iati *x, const char *id) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(x->report, "indicators"), i, r) {
        const char *rid = string_at(r, "id");
        if (rid && strcmp(rid, id) == 0)
            return r;
    }
    return NULL;
}

static int measures_node(json_t *ind, const char *node) {
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(ind, "nodes"), i, v) {
        if (json_is_string(v) && strcmp(json_string_value(v), node) == 0)
            return 1;
    }
    return 0;
}

int iati_write_results(struct iati *x) {
    const struct tocm_host *h = x->host;
    const tocm_model *m = x->in->model;
    json_t *indicators = json_object_get(x->model, "indicators");
    size_t i;
    json_t *ind;
    json_array_foreach(indicators, i, ind) {
        if (x->writing == -1 && json_array_size(json_object_get(ind, "nodes")) == 0)
            h->log(TOCM_LOG_WARNING, "iati",
                   "indicator '%s' is not written: it measures no node, and IATI keeps "
                   "indicators under results",
                   string_at(ind, "id"));
    }
    size_t nodes = h->node_count(m);
    for (size_t node = 0; node < nodes && !x->refused; node++) {
        if (x->owner && x->owner[node] != x->writing)
            continue; /* another activity's */
        const char *id = h->node_id(m, node);
        int any = 0;
        json_array_foreach(indicators, i, ind) any |= measures_node(ind, id);
        if (!any)
            continue; /* IATI requires at least one indicator per result */
        const char *type = result_type(x, h->node_level(m, node));
        iati_start(x, "result");
        iati_attr(x, "type", type);
        /* tocm's own names, in its namespace (which IATI allows on every
         * element): what an import needs to give the node back its id. */
        iati_attr(x, "tocm:node", id);
        long level = h->node_level(m, node);
        if (level >= 0)
            iati_attr(x, "tocm:level", h->level_id(m, (size_t)level));
        iati_narrative(x, "title", h->node_title(m, node));
        const char *description = h->node_string(m, node, "description");
        if (description)
            iati_narrative(x, "description", description);
        json_array_foreach(indicators, i, ind) {
            if (measures_node(ind, id))
                write_indicator(x, ind, report_of(x, string_at(ind, "id")));
        }
        iati_end(x);
    }
    return x->refused ? -1 : 0;
}
