/*
 * import_iati_plan.c -- an IATI indicator into a tocm indicator: its
 * measure, direction, references, baseline(s) and, per period, its targets
 * (the total in `targets`, breakdowns in `breakdown_targets`); its actuals
 * are handed to import_iati_actuals.c. What tocm has no member for is kept
 * in `iati_extra`; a value that is not a number is kept as `iati_value` and
 * the figure marked pending (models/FORMAT.md, "Importing IATI").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_iati.h"
#include "util.h"

/* ---- the plan: baselines and targets ------------------------------------------------------ */

/* A figure's dimensions: {name: value}, or NULL with a warning when one is
 * a placeholder (the figure is then kept whole in the indicator's extras). */
static json_t *dims_of(struct ix *x, xmlNodePtr el, const char *what, const char *ind_id) {
    json_t *dims = json_object();
    for (xmlNodePtr n = ix_elem(el->children); n; n = ix_elem(n->next)) {
        if (!ix_is(n, "dimension"))
            continue;
        const char *name = ix_attr(n, "name"), *value = ix_attr(n, "value");
        if (!name || !value || ix_placeholder(name) || ix_placeholder(value)) {
            ix_warn(x, "W511", n,
                    "indicator '%s': the dimension '%s'='%s' of a %s is a placeholder: the %s is "
                    "not imported as a figure (kept in the indicator's iati_extra)",
                    ind_id, name ? name : "", value ? value : "", what, what);
            json_decref(dims);
            return NULL;
        }
        json_object_set_new(dims, name, ix_str(value));
    }
    return dims;
}

/* Children of a figure tocm has no member for (location, document-link):
 * kept in the object's extras. */
static void keep_other_children(json_t *object, xmlNodePtr el, const char *const *handled) {
    for (xmlNodePtr n = ix_elem(el->children); n; n = ix_elem(n->next)) {
        int known = ix_in_tocm(n, NULL);
        for (size_t i = 0; handled[i]; i++)
            known |= ix_is(n, handled[i]);
        if (!known)
            ix_keep(object, n);
    }
}

/* The comment of a figure, its narratives joined. new, or NULL. */
static char *comment_of(struct ix *x, xmlNodePtr el, json_t *extra) {
    for (xmlNodePtr n = ix_elem(el->children); n; n = ix_elem(n->next))
        if (ix_is(n, "comment")) {
            char *c = ix_narrative(x, n, extra);
            if (c && ix_placeholder(c)) {
                free(c);
                return NULL;
            }
            return c;
        }
    return NULL;
}

struct indicator_ctx {
    struct ix *x;
    json_t *ind;       /* the indicator being built */
    const char *id;    /* its id */
    int qualitative;   /* measure 5 */
    int tocm_made;     /* carries tocm:id: tocm's attributes are there */
    json_t *dim_names; /* disaggregation columns, in order seen (array) */
    int decimals;      /* most decimals of any figure */
    json_t *rows;      /* its actuals (import_iati_actuals.c) */
    json_t *plan_dims; /* the breakdown columns of its targets and baselines */
};

static void note_in(json_t *list, json_t *dims) {
    const char *k;
    json_t *v;
    json_object_foreach(dims, k, v) tocmp_json_add_unique(list, k);
}

/* The breakdown columns: those of the plan (targets, baselines) apart, as
 * an indicator whose actuals cannot be added up keeps only these. */
static void note_dims(struct indicator_ctx *c, json_t *dims, int plan) {
    note_in(c->dim_names, dims);
    if (plan)
        note_in(c->plan_dims, dims);
}

/* A figure's value: 1 with the number in *v, 0 when there is none, -1 when
 * the text is not a number (warned, and kept as iati_value in target). */
static int value_of(struct indicator_ctx *c, xmlNodePtr el, const char *what, json_t *target,
                    double *v) {
    const char *raw = ix_attr(el, "value");
    if (!raw || !*raw)
        return 0;
    if (c->qualitative) {
        /* A qualitative indicator's figure is its text: a value is kept. */
        json_object_set_new(target, "iati_value", ix_str(raw));
        return 0;
    }
    if (ix_number(raw, v)) {
        int d = ix_decimals(raw);
        if (d > c->decimals)
            c->decimals = d > 6 ? 6 : d;
        return 1;
    }
    ix_warn(c->x, ix_placeholder(raw) ? "W511" : "W512", el,
            "indicator '%s': the %s value '%s' is not a number: kept as iati_value, the %s "
            "marked pending",
            c->id, what, raw, what);
    json_object_set_new(target, "iati_value", ix_str(raw));
    return -1;
}

static void baseline(struct indicator_ctx *c, xmlNodePtr el) {
    struct ix *x = c->x;
    json_t *dims = dims_of(x, el, "baseline", c->id);
    if (!dims) {
        ix_keep(c->ind, el);
        return;
    }
    json_t *b = json_object();
    double v;
    int has = value_of(c, el, "baseline", b, &v);
    static const char *const handled_children[] = {"comment", "dimension", NULL};
    static const char *const handled_attrs[] = {"year", "iso-date", "value", NULL};
    json_t *main = json_object_get(c->ind, "baseline");
    if (json_object_size(dims)) {
        /* A breakdown's baseline: tocm keeps its value and dimensions. */
        if (!json_is_object(main)) {
            main = json_object();
            json_object_set_new(c->ind, "baseline", main);
        }
        json_t *list = json_object_get(main, "breakdown");
        if (!list) {
            list = json_array();
            json_object_set_new(main, "breakdown", list);
        }
        if (has == 1) {
            note_dims(c, dims, 1);
            json_object_set_new(b, "dims", dims);
            json_object_set_new(b, "value", ix_json_number(v));
            json_array_append_new(list, b);
        } else {
            ix_warn(x, "W512", el,
                    "indicator '%s': a breakdown baseline without a number is kept in the "
                    "indicator's iati_extra (tocm's breakdown baselines are figures)",
                    c->id);
            ix_keep(c->ind, el);
            json_decref(b);
            json_decref(dims);
        }
        return;
    }
    json_decref(dims);
    if (json_is_object(main) &&
        (json_object_get(main, "period") || json_object_get(main, "value") ||
         json_object_get(main, "text") || json_object_get(main, "pending"))) {
        /* IATI 2.03 allows a baseline per location or year; tocm one. */
        ix_keep(c->ind, el);
        json_decref(b);
        return;
    }
    if (json_is_object(main)) {
        /* Breakdowns came first: move them into this one. */
        json_object_set(b, "breakdown", json_object_get(main, "breakdown"));
    }
    const char *year = ix_attr(el, "year"), *date = ix_attr(el, "iso-date");
    const char *tperiod = ix_tocm(el, "period"), *tdate = ix_tocm(el, "date");
    if (c->tocm_made) {
        ix_set_str(b, "period", tperiod);
        ix_set_str(b, "date", tdate ? tdate : date);
    } else {
        if (year && !ix_placeholder(year))
            ix_set_str(b, "period", year);
        ix_set_str(b, "date", date);
    }
    if (has == 1)
        json_object_set_new(b, "value", ix_json_number(v));
    char *comment = comment_of(x, el, b);
    const char *ttext = ix_tocm(el, "text"), *tnote = ix_tocm(el, "note");
    if (c->tocm_made) {
        ix_set_str(b, "text", ttext);
        ix_set_str(b, "note", tnote);
        if (ix_tocm(el, "pending"))
            json_object_set_new(b, "pending", json_true());
    } else if (c->qualitative && comment) {
        ix_set_str(b, "text", comment);
    } else {
        ix_set_str(b, "note", comment);
    }
    free(comment);
    if (has != 1 && !json_object_get(b, "text") && !json_object_get(b, "pending")) {
        /* tocm never reads a missing baseline as 0 (E412). */
        json_object_set_new(b, "pending", json_true());
        if (has == 0 && !c->tocm_made)
            ix_warn(x, "W512", el, "indicator '%s': the baseline has no value: imported as pending",
                    c->id);
    }
    keep_other_children(b, el, handled_children);
    ix_keep_other_attrs(b, el, handled_attrs);
    json_object_set_new(c->ind, "baseline", b);
}

/* A target (or the life-of-program target) as tocm writes it: a number or
 * a text when that is all there is, else an object. Steals t. */
static json_t *simplest(json_t *t) {
    if (json_object_size(t) == 1 && json_object_get(t, "value")) {
        json_t *v = json_incref(json_object_get(t, "value"));
        json_decref(t);
        return v;
    }
    if (json_object_size(t) == 1 && json_object_get(t, "text")) {
        json_t *v = json_incref(json_object_get(t, "text"));
        json_decref(t);
        return v;
    }
    return t;
}

static void target(struct indicator_ctx *c, xmlNodePtr el, const char *period) {
    struct ix *x = c->x;
    json_t *dims = dims_of(x, el, "target", c->id);
    if (!dims) {
        ix_keep(c->ind, el);
        return;
    }
    json_t *t = json_object();
    double v;
    int has = value_of(c, el, "target", t, &v);
    if (has == 1)
        json_object_set_new(t, "value", ix_json_number(v));
    char *comment = comment_of(x, el, t);
    xmlNodePtr plan = NULL;
    for (xmlNodePtr n = ix_elem(el->children); n && c->tocm_made; n = ix_elem(n->next))
        if (ix_in_tocm(n, "plan"))
            plan = n;
    if (c->tocm_made) {
        /* <tocm:plan>: the parts IATI keeps only in the comment. */
        static const char *const parts[] = {"text", "label", "date", "note"};
        for (size_t i = 0; plan && i < 4; i++)
            ix_set_str(t, parts[i], ix_attr(plan, parts[i]));
        if (plan && ix_attr(plan, "pending"))
            json_object_set_new(t, "pending", json_true());
    } else if (c->qualitative && comment) {
        ix_set_str(t, "text", comment);
    } else {
        ix_set_str(t, "note", comment);
    }
    free(comment);
    if (has != 1 && !json_object_get(t, "text"))
        json_object_set_new(t, "pending", json_true());
    static const char *const handled_children[] = {"comment", "dimension", NULL};
    static const char *const handled_attrs[] = {"value", NULL};
    keep_other_children(t, el, handled_children);
    ix_keep_other_attrs(t, el, handled_attrs);
    if (json_object_size(dims)) {
        note_dims(c, dims, 1);
        json_t *list = json_object_get(c->ind, "breakdown_targets");
        if (!list) {
            list = json_array();
            json_object_set_new(c->ind, "breakdown_targets", list);
        }
        json_t *e = json_object();
        ix_set_str(e, "period", strcmp(period, "all") == 0 && !c->tocm_made ? NULL : period);
        json_object_set_new(e, "dims", dims);
        json_object_update(e, t);
        json_decref(t);
        json_array_append_new(list, e);
        return;
    }
    json_decref(dims);
    json_t *targets = json_object_get(c->ind, "targets");
    if (!targets) {
        targets = json_object();
        json_object_set_new(c->ind, "targets", targets);
    }
    if (json_object_get(targets, period)) {
        ix_warn(x, "W512", el,
                "indicator '%s': a second target for period %s without a breakdown is kept in "
                "the indicator's iati_extra (tocm has one per period)",
                c->id, period);
        ix_keep(c->ind, el);
        json_decref(t);
        return;
    }
    json_object_set_new(targets, period, simplest(t));
}

static void period(struct indicator_ctx *c, xmlNodePtr el) {
    struct ix *x = c->x;
    xmlNodePtr ps = NULL, pe = NULL;
    for (xmlNodePtr n = ix_elem(el->children); n; n = ix_elem(n->next)) {
        if (ix_is(n, "period-start") && !ps)
            ps = n;
        else if (ix_is(n, "period-end") && !pe)
            pe = n;
    }
    const char *start = ps ? ix_attr(ps, "iso-date") : NULL;
    const char *end = pe ? ix_attr(pe, "iso-date") : NULL;
    char *name = start && end ? ix_period_name(x, start, end) : NULL;
    if (!name) {
        ix_error(x, "E513", el,
                 "indicator '%s': a period needs <period-start> and <period-end> with iso-date "
                 "YYYY-MM-DD (found '%s' and '%s')",
                 c->id, start ? start : "", end ? end : "");
        return;
    }
    const char *tname = ix_tocm(el, "period");
    if (tname && *tname) {
        free(name);
        name = tocmp_xstrdup(tname);
    } else if (strchr(name, '/')) {
        ix_warn(x, "W512", el,
                "indicator '%s': the period %s to %s is not a year, half, quarter, month or day: "
                "named '%s'",
                c->id, start, end, name);
    }
    for (xmlNodePtr n = ix_elem(el->children); n; n = ix_elem(n->next)) {
        if (ix_is(n, "target"))
            target(c, n, name);
        else if (ix_is(n, "actual")) {
            json_t *dims = dims_of(x, n, "actual", c->id);
            if (!dims) {
                ix_keep(c->ind, n);
                continue;
            }
            note_dims(c, dims, 0);
            json_decref(dims);
            double v;
            const char *raw = ix_attr(n, "value");
            if (raw && ix_number(raw, &v)) {
                int d = ix_decimals(raw);
                if (d > c->decimals)
                    c->decimals = d > 6 ? 6 : d;
            }
            ix_actual(x, c->rows, c->id, c->qualitative, name, n, c->tocm_made);
        } else if (!ix_is(n, "period-start") && !ix_is(n, "period-end"))
            ix_keep(c->ind, n);
    }
    free(name);
}

/* ---- indicators ----------------------------------------------------------------------------- */

static const char *measure_name(struct ix *x, xmlNodePtr el, const char *code) {
    static const char *const names[] = {"unit", "percentage", "nominal", "ordinal", "qualitative"};
    if (!code)
        return "unit";
    if (code[0] >= '1' && code[0] <= '5' && !code[1])
        return names[code[0] - '1'];
    /* IATI 1.x wrote names ("Unit", "Percentage"). */
    for (size_t i = 0; i < 5; i++)
        if (strcasecmp(code, names[i]) == 0)
            return names[i];
    ix_warn(x, ix_placeholder(code) ? "W511" : "W512", el,
            "measure '%s' is not an IATI measure (1 unit, 2 percentage, 3 nominal, 4 ordinal, "
            "5 qualitative): read as unit, the code kept in iati_extra",
            code);
    return NULL;
}

static int xsd_bool(const char *s, int *out) {
    if (!s)
        return 0;
    if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
        return *out = 1, 1;
    if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
        return *out = 0, 1;
    return 0;
}

/* The life-of-program target from tocm's attributes, or NULL. new. */
static json_t *lop_target(xmlNodePtr el) {
    json_t *t = json_object();
    const char *v = ix_tocm(el, "lop-value");
    double d;
    if (v && ix_number(v, &d))
        json_object_set_new(t, "value", ix_json_number(d));
    ix_set_str(t, "text", ix_tocm(el, "lop-text"));
    ix_set_str(t, "label", ix_tocm(el, "lop-label"));
    ix_set_str(t, "date", ix_tocm(el, "lop-date"));
    ix_set_str(t, "note", ix_tocm(el, "lop-note"));
    if (ix_tocm(el, "lop-pending"))
        json_object_set_new(t, "pending", json_true());
    if (!json_object_size(t)) {
        json_decref(t);
        return NULL;
    }
    return simplest(t);
}

/* A second <indicator> of the same tocm id under another result: the same
 * indicator measuring one more node, when its plan is the same. */
static int same_plan(json_t *a, json_t *b) {
    json_t *ca = json_deep_copy(a), *cb = json_deep_copy(b);
    json_object_del(ca, "nodes");
    json_object_del(cb, "nodes");
    int same = json_equal(ca, cb);
    json_decref(ca);
    json_decref(cb);
    return same;
}

void ix_indicator(struct ix *x, xmlNodePtr el, const char *node_id, size_t number) {
    const char *tid = ix_tocm(el, "id");
    char *id = tid && *tid ? tocmp_xstrdup(tid) : tocmp_asprintf("%s.%zu", node_id, number);
    json_t *ind = json_object();
    ix_set_str(ind, "id", id);
    struct indicator_ctx c = {.x = x,
                              .ind = ind,
                              .id = id,
                              .tocm_made = tid && *tid,
                              .dim_names = json_array(),
                              .rows = json_array(),
                              .plan_dims = json_array()};
    xmlNodePtr title_el = NULL;
    for (xmlNodePtr n = ix_elem(el->children); n; n = ix_elem(n->next))
        if (ix_is(n, "title")) {
            title_el = n;
            break;
        }
    char *title = title_el ? ix_narrative(x, title_el, ind) : NULL;
    if (!title || ix_placeholder(title)) {
        ix_error(x, "E512", title_el ? title_el : el,
                 "indicator '%s' has no title (IATI requires one; tocm too)", id);
        free(title);
        free(id);
        json_decref(ind);
        json_decref(c.dim_names);
        json_decref(c.rows);
        json_decref(c.plan_dims);
        return;
    }
    json_object_set_new(ind, "title", ix_str(title));
    free(title);
    json_object_set_new(ind, "nodes", json_pack("[s]", node_id));
    const char *code = ix_attr(el, "measure");
    const char *measure = measure_name(x, el, code);
    if (!measure)
        ix_keep_attr(ind, el, "measure", code);
    else if (strcmp(measure, "unit") != 0)
        ix_set_str(ind, "measure", measure);
    c.qualitative = measure && strcmp(measure, "qualitative") == 0;
    int asc;
    const char *ascending = ix_attr(el, "ascending");
    if (xsd_bool(ascending, &asc)) {
        if (!asc)
            ix_set_str(ind, "direction", "lower");
    } else if (ascending) {
        ix_warn(x, "W512", el,
                "indicator '%s': ascending='%s' is not true or false: kept in "
                "iati_extra",
                id, ascending);
        ix_keep_attr(ind, el, "ascending", ascending);
    }
    /* aggregation-status: tocm's export derives it from the measure; any
     * other file's is kept. */
    const char *agg = ix_attr(el, "aggregation-status");
    if (agg && !c.tocm_made)
        ix_keep_attr(ind, el, "aggregation-status", agg);
    static const char *const handled_attrs[] = {"measure", "ascending", "aggregation-status", NULL};
    ix_keep_other_attrs(ind, el, handled_attrs);
    if (c.tocm_made) {
        ix_set_str(ind, "unit", ix_tocm(el, "unit"));
        ix_set_str(ind, "verification", ix_tocm(el, "verification"));
        json_t *lop = lop_target(el);
        if (lop)
            json_object_set_new(ind, "lop_target", lop);
    }
    for (xmlNodePtr n = ix_elem(el->children); n; n = ix_elem(n->next)) {
        if (ix_is(n, "title"))
            continue;
        if (ix_is(n, "description")) {
            /* tocm writes its verification and life-of-program target there
             * (they come back from its own attributes); any other file's
             * description is kept as the indicator's. */
            if (c.tocm_made)
                continue;
            char *d = ix_narrative(x, n, ind);
            if (d && ix_placeholder(d))
                ix_warn(x, "W511", n,
                        "indicator '%s': the description '%s' is a placeholder: "
                        "not imported",
                        id, d);
            else if (d)
                json_object_set_new(ind, "description", ix_str(d));
            free(d);
        } else if (ix_is(n, "reference")) {
            const char *voc = ix_attr(n, "vocabulary"), *rc = ix_attr(n, "code");
            if (!voc || !rc || ix_placeholder(voc) || ix_placeholder(rc)) {
                ix_warn(x, "W511", n,
                        "indicator '%s': a reference without a real vocabulary "
                        "and code is not imported",
                        id);
                continue;
            }
            json_t *refs = json_object_get(ind, "references");
            if (!refs) {
                refs = json_array();
                json_object_set_new(ind, "references", refs);
            }
            json_t *r = json_pack("{s:o, s:o}", "vocabulary", ix_str(voc), "code", ix_str(rc));
            const char *uri = ix_attr(n, "indicator-uri");
            if (uri)
                json_object_set_new(r, "uri", ix_str(uri));
            json_array_append_new(refs, r);
        } else if (ix_is(n, "baseline")) {
            baseline(&c, n);
        } else if (ix_is(n, "period")) {
            period(&c, n);
        } else {
            ix_keep(ind, n);
        }
    }
    if (json_array_size(c.dim_names))
        json_object_set(ind, "disaggregate", c.dim_names);
    /* For import_iati_actuals.c, which removes it. */
    json_object_set_new(ind, "\x01plan_dims", c.plan_dims);
    if (c.decimals > 0)
        json_object_set_new(ind, "rounding", json_integer(c.decimals));
    json_decref(c.dim_names);
    json_t *before = json_object_get(x->ind_ids, id);
    if (before && c.tocm_made && same_plan(before, ind)) {
        /* One indicator under several results (tocm writes it under each):
         * one more node; its actuals were read the first time. */
        json_array_append_new(json_object_get(before, "nodes"), json_string(node_id));
        json_decref(c.rows);
        json_decref(ind);
        free(id);
        return;
    }
    if (before) {
        char *other = NULL;
        for (int i = 2; !other || json_object_get(x->ind_ids, other); i++) {
            free(other);
            other = tocmp_asprintf("%s-%d", id, i);
        }
        ix_warn(x, "W512", el, "a second indicator '%s' with another plan: imported as '%s'", id,
                other);
        json_object_set_new(ind, "id", json_string(other));
        free(id);
        id = other;
    }
    json_object_set_new(x->actuals, id, c.rows);
    json_object_set(x->ind_ids, id, ind);
    json_object_set_new(x->ind_line, id, json_integer(ix_line(el)));
    json_array_append_new(x->indicators, ind);
    free(id);
}
