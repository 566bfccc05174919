/*
 * report_select.c -- what `tocm report --period/--node/--level/--country/
 * --indicator` select, and the pruning of a computed report to it.
 *
 * Nodes, levels and indicators are resolved against the model before
 * anything is computed (only the selected indicators are). Periods and
 * countries come from the data, so they are checked against the computed
 * report. A name the model or report does not have is refused, listing
 * the ones it has: a typo must not give an empty report that looks like a
 * program with no results.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "report_build.h"
#include "util.h"

/* The most names an E414 message lists before "and N more". */
#define LIST_MAX 40

/* Adds E414 at JSON path where: "--OPTION ARG: the HOLDER no WHAT 'NAME';
 * OWNER WHATS are: a, b, c" (holder: "model has"). names: a JSON array of
 * strings (borrowed). */
static void unknown(tocm_diags *d, const tocm_model *m, const char *where, const char *option,
                    const char *arg, const char *name, const char *holder, const char *owner,
                    const char *what, const char *whats, json_t *names) {
    tocmp_buf b = {0};
    tocmp_buf_printf(&b, "--%s %s: the %s no %s '%s'; ", option, arg, holder, what, name);
    size_t n = json_array_size(names);
    tocmp_buf_printf(&b, "%s %s are: %s", owner, whats, n ? "" : "none");
    for (size_t i = 0; i < n && i < LIST_MAX; i++)
        tocmp_buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(json_array_get(names, i)));
    if (n > LIST_MAX)
        tocmp_buf_printf(&b, " and %zu more", n - LIST_MAX);
    tocm_diags_add(d, TOCM_SEV_ERROR, "E414", m->file, 0, 0, where, NULL, "%s", b.data);
    free(b.data);
}

int tocmp_select_resolve(const tocm_model *m, const tocm_report_options *o, tocm_diags *d,
                         struct tocmp_selection *sel) {
    memset(sel, 0, sizeof *sel);
    size_t n = m->node_count;
    if (o->node) {
        size_t x = tocm_model_find_node(m, o->node);
        if (x == TOCM_NO_NODE) {
            json_t *ids = json_array();
            for (size_t i = 0; i < n; i++)
                if (m->nodes[i].id)
                    json_array_append_new(ids, json_string(m->nodes[i].id));
            unknown(d, m, "/nodes", "node", o->node, o->node, "model has", "its", "node", "nodes",
                    ids);
            json_decref(ids);
            return TOCM_EUSAGE;
        }
        /* The node and everything that contributes to it, at any depth. */
        sel->nodes = tocmp_xcalloc(n ? n : 1, 1);
        size_t *queue = tocmp_xmalloc((n ? n : 1) * sizeof *queue), head = 0, tail = 0;
        sel->nodes[x] = 1;
        queue[tail++] = x;
        while (head < tail) {
            const struct tocmp_node *u = &m->nodes[queue[head++]];
            for (size_t e = 0; e < u->in_count; e++) {
                size_t w = m->in_edges[u->in_begin + e];
                if (!sel->nodes[w]) {
                    sel->nodes[w] = 1;
                    queue[tail++] = w;
                }
            }
        }
        free(queue);
    }
    if (o->level) {
        long level = tocm_model_find_level(m, o->level);
        if (level < 0) {
            json_t *ids = json_array();
            for (size_t i = 0; i < m->level_count; i++)
                json_array_append_new(ids, json_string(m->levels[i].id));
            unknown(d, m, "/levels", "level", o->level, o->level, "model has", "its", "level",
                    "levels", ids);
            json_decref(ids);
            tocmp_selection_free(sel);
            return TOCM_EUSAGE;
        }
        if (!sel->nodes) {
            sel->nodes = tocmp_xcalloc(n ? n : 1, 1);
            memset(sel->nodes, 1, n);
        }
        for (size_t i = 0; i < n; i++)
            sel->nodes[i] = sel->nodes[i] && m->nodes[i].level == level;
        sel->by_level = 1;
    }
    int named = o->indicator || o->indicator_count;
    if (!named && !sel->nodes)
        return TOCM_OK;
    size_t ni = m->indicator_count;
    sel->indicators = tocmp_xcalloc(ni ? ni : 1, 1);
    if (!named)
        memset(sel->indicators, 1, ni);
    int missing = 0;
    for (size_t k = 0; k <= o->indicator_count; k++) {
        const char *id = k < o->indicator_count ? o->indicators[k] : o->indicator;
        if (!id)
            continue;
        size_t i = tocmp_model_find_indicator(m, id);
        if (i == TOCMP_NONE) {
            tocm_diags_add(d, TOCM_SEV_ERROR, "E410", m->file, 0, 0, "/indicators", id,
                           "the model has no indicator '%s'", id);
            missing = 1;
        } else {
            sel->indicators[i] = 1;
        }
    }
    if (missing) {
        tocmp_selection_free(sel);
        return TOCM_EINVALID;
    }
    /* Under --node or --level: only indicators of a node in scope. */
    for (size_t i = 0; sel->nodes && i < ni; i++) {
        const struct tocmp_indicator *ind = &m->indicators[i];
        int in = 0;
        for (size_t k = 0; k < ind->node_count && !in; k++) {
            size_t node = m->indicator_nodes[ind->node_begin + k];
            in = node != TOCM_NO_NODE && sel->nodes[node];
        }
        sel->indicators[i] = sel->indicators[i] && in;
    }
    return TOCM_OK;
}

void tocmp_selection_free(struct tocmp_selection *sel) {
    free(sel->indicators);
    free(sel->nodes);
    sel->indicators = sel->nodes = NULL;
}

/* ---- periods ------------------------------------------------------------ */

static int is_number(const char *s) {
    char *end;
    if (!*s)
        return 0;
    strtod(s, &end);
    return *end == '\0';
}

/* Orders periods as the engine does: numerically when both are numbers
 * (years), else as text. */
static int period_cmp(const char *a, const char *b) {
    if (is_number(a) && is_number(b)) {
        double x = strtod(a, NULL), y = strtod(b, NULL);
        return (x > y) - (x < y);
    }
    return strcmp(a, b);
}

static int by_period(const void *a, const void *b) {
    return period_cmp(json_string_value(*(json_t *const *)a),
                      json_string_value(*(json_t *const *)b));
}

/* Every period of the report's indicators, once, in order. new. */
static json_t *all_periods(json_t *indicators) {
    json_t *seen = json_object(), *list = json_array();
    size_t i, k;
    json_t *ind, *p;
    json_array_foreach(indicators, i, ind) {
        json_array_foreach(json_object_get(ind, "periods"), k, p) {
            if (!json_object_get(seen, json_string_value(p))) {
                json_object_set_new(seen, json_string_value(p), json_true());
                json_array_append(list, p);
            }
        }
    }
    json_decref(seen);
    size_t n = json_array_size(list);
    json_t **items = tocmp_xmalloc((n ? n : 1) * sizeof *items);
    for (size_t j = 0; j < n; j++)
        items[j] = json_array_get(list, j);
    qsort(items, n, sizeof *items, by_period);
    json_t *sorted = json_array();
    for (size_t j = 0; j < n; j++)
        json_array_append(sorted, items[j]);
    free(items);
    json_decref(list);
    return sorted;
}

static int in_list(json_t *list, const char *s) {
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (strcmp(json_string_value(v), s) == 0)
            return 1;
    }
    return 0;
}

/* The periods --period P selects: P itself, "total", or a range A..B (an
 * end may be open) of the report's periods, into *out (new). TOCM_OK or
 * TOCM_EUSAGE. */
static int periods_wanted(const tocm_model *m, const char *spec, json_t *indicators, tocm_diags *d,
                          json_t **out) {
    json_t *all = all_periods(indicators);
    if (json_array_size(indicators) == 0) {
        tocm_diags_add(d, TOCM_SEV_ERROR, "E414", m->file, 0, 0, "/indicators", NULL,
                       "--period %s: the report has no indicators, so no periods", spec);
        json_decref(all);
        *out = NULL;
        return TOCM_EUSAGE;
    }
    json_t *want = json_array();
    const char *dots = strstr(spec, "..");
    int rc = TOCM_OK;
    if (!dots) {
        if (strcmp(spec, "total") == 0 || in_list(all, spec)) {
            json_array_append_new(want, json_string(spec));
        } else {
            json_array_append_new(all, json_string("total"));
            unknown(d, m, "/indicators", "period", spec, spec, "report's indicators have", "their",
                    "period", "periods", all);
            rc = TOCM_EUSAGE;
        }
    } else {
        char *from = tocmp_xstrdup(spec);
        from[dots - spec] = '\0';
        const char *to = dots + 2;
        const char *bad = *from && !in_list(all, from) ? from
                          : *to && !in_list(all, to)   ? to
                                                       : NULL;
        if (bad) {
            unknown(d, m, "/indicators", "period", spec, bad, "report's indicators have", "their",
                    "period", "periods", all);
            rc = TOCM_EUSAGE;
        }
        size_t i;
        json_t *p;
        json_array_foreach(all, i, p) {
            const char *s = json_string_value(p);
            if ((!*from || period_cmp(from, s) <= 0) && (!*to || period_cmp(s, to) <= 0))
                json_array_append(want, p);
        }
        free(from);
    }
    json_decref(all);
    if (rc != TOCM_OK) {
        json_decref(want);
        want = NULL;
    }
    *out = want;
    return rc;
}

/* ---- countries ---------------------------------------------------------- */

static void add_once(json_t *list, const char *s) {
    if (s && !in_list(list, s))
        json_array_append_new(list, json_string(s));
}

/* The countries a report can be cut by: the program's, the nodes', and
 * every value of a "country" breakdown. new. */
static json_t *all_countries(const tocm_model *m, json_t *indicators) {
    json_t *list = json_array();
    size_t i, k;
    json_t *v, *ind;
    json_array_foreach(json_object_get(json_object_get(m->root, "program"), "countries"), i, v) {
        add_once(list, json_string_value(v));
    }
    for (size_t n = 0; n < m->node_count; n++)
        add_once(list, tocm_node_country(m, n));
    json_array_foreach(indicators, i, ind) {
        json_array_foreach(json_object_get(ind, "cells"), k, v) {
            add_once(list,
                     json_string_value(json_object_get(json_object_get(v, "dims"), "country")));
        }
    }
    return list;
}

/* Whether every node the indicator measures is in country (and it
 * measures one at least): its figures are that country's. */
static int wholly_in(const tocm_model *m, json_t *ind, const char *country) {
    size_t i;
    json_t *id;
    int any = 0;
    json_array_foreach(json_object_get(ind, "nodes"), i, id) {
        size_t node = tocm_model_find_node(m, json_string_value(id));
        const char *c = node == TOCM_NO_NODE ? NULL : tocm_node_country(m, node);
        if (!c || strcmp(c, country) != 0)
            return 0;
        any = 1;
    }
    return any;
}

/* ---- pruning ------------------------------------------------------------ */

/* Whether a cell (or check) of an indicator is kept. by_dims: the
 * indicator is cut by its country breakdown. */
static int keep(json_t *item, json_t *periods, const char *country, int by_dims) {
    const char *p = json_string_value(json_object_get(item, "period"));
    if (periods && (!p || !in_list(periods, p)))
        return 0;
    if (country && by_dims) {
        const char *c =
            json_string_value(json_object_get(json_object_get(item, "dims"), "country"));
        return c && strcmp(c, country) == 0;
    }
    return 1;
}

static void filter_array(json_t *array, json_t *periods, const char *country, int by_dims) {
    for (size_t i = json_array_size(array); i-- > 0;)
        if (!keep(json_array_get(array, i), periods, country, by_dims))
            json_array_remove(array, i);
}

static json_t *string_or_null(const char *s) { return s ? json_string(s) : json_null(); }

int tocmp_select_prune(json_t *doc, const tocm_model *m, const tocm_report_options *o,
                       const struct tocmp_selection *sel, tocm_diags *d) {
    json_t *indicators = json_object_get(doc, "indicators");
    json_t *periods = NULL;
    if (o->period && periods_wanted(m, o->period, indicators, d, &periods) != TOCM_OK)
        return TOCM_EUSAGE;
    const char *country = o->country;
    if (country) {
        json_t *all = all_countries(m, indicators);
        int known = in_list(all, country);
        if (!known)
            unknown(d, m, "/program/countries", "country", country, country,
                    "model and its data have", "their", "country", "countries", all);
        json_decref(all);
        if (!known) {
            json_decref(periods);
            return TOCM_EUSAGE;
        }
    }
    /* Each indicator: cut by country (its country breakdown, or kept whole
     * when it measures only that country's work, else left out), then by
     * period. by_dims remembers how each kept one was cut, for its checks. */
    json_t *left_out = json_array(), *cut = json_object();
    for (size_t i = json_array_size(indicators); i-- > 0;) {
        json_t *ind = json_array_get(indicators, i);
        const char *id = json_string_value(json_object_get(ind, "id"));
        int by_dims = country && in_list(json_object_get(ind, "dimensions"), "country");
        if (country && !by_dims && !wholly_in(m, ind, country)) {
            json_array_insert_new(left_out, 0, json_string(id));
            json_array_remove(indicators, i);
            continue;
        }
        json_object_set_new(cut, id, json_boolean(by_dims));
        filter_array(json_object_get(ind, "cells"), periods, country, by_dims);
        if (periods) {
            json_t *own = json_object_get(ind, "periods");
            for (size_t k = json_array_size(own); k-- > 0;)
                if (!in_list(periods, json_string_value(json_array_get(own, k))))
                    json_array_remove(own, k);
        }
    }
    json_t *checks = json_object_get(doc, "checks");
    for (size_t i = json_array_size(checks); i-- > 0;) {
        json_t *c = json_array_get(checks, i);
        json_t *how = json_object_get(cut, json_string_value(json_object_get(c, "indicator")));
        if (!how || !keep(c, periods, country, json_is_true(how)))
            json_array_remove(checks, i);
    }
    json_decref(cut);

    json_t *s = json_object();
    json_object_set_new(s, "periods", periods ? periods : json_null());
    json_object_set_new(s, "node", string_or_null(o->node));
    json_object_set_new(s, "level", string_or_null(o->level));
    json_object_set_new(s, "country", string_or_null(country));
    json_t *named = json_null();
    if (o->indicator || o->indicator_count) {
        named = json_array();
        for (size_t k = 0; k < o->indicator_count; k++)
            add_once(named, o->indicators[k]);
        add_once(named, o->indicator);
    }
    json_object_set_new(s, "indicators", named);
    json_object_set_new(s, "left_out", left_out);
    json_object_set_new(doc, "selection", s);
    (void)sel;
    return TOCM_OK;
}
