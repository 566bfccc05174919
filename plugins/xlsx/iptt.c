/*
 * iptt.c -- the Indicator Performance Tracking Table and the breakdown
 * sheets, laid out from the computed report (its JSON document, described
 * in models/FORMAT.md). Nothing is computed here: every figure, target,
 * percentage and status is the report's own, so the workbook says what
 * `tocm report` prints.
 *
 * One layout serves both: a block of rows per indicator, with fixed columns
 * (ID, result, indicator, breakdown, unit, baseline, life-of-program
 * target), then per period a group of four (target, actual, % of target,
 * status) under a merged period header, then the total to date, comments
 * and sources.
 *   IPTT             each indicator's total row and the rows of breakdowns
 *                    that have a plan of their own (a target or a status)
 *   By <dimension>   every row of that breakdown, planned or not
 *
 * Units: in the report's cells a percentage indicator's figures are
 * fractions (0.65), while its plan members (baseline.value, lop_target) are
 * as people write them (65). Both are written as fractions under a % number
 * format, so Excel shows 65% and computes with 0.65.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../graphviz/gv_internal.h" /* natural_cmp */
#include "xlsx_internal.h"

/* ---- small readers of the report JSON ---------------------------------------- */

static const char *jstr(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int xlsx_is_percentage(json_t *ind) {
    const char *m = jstr(ind, "measure");
    return m && strcmp(m, "percentage") == 0;
}

static int is_qualitative(json_t *ind) {
    const char *m = jstr(ind, "measure");
    return m && strcmp(m, "qualitative") == 0;
}

/* The canonical key of a dims object. new (free()). */
static char *dims_key(json_t *dims) {
    return dims ? json_dumps(dims, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
}

static char *value_text(json_t *v) {
    if (json_is_string(v))
        return strdup(json_string_value(v));
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

char *xlsx_dims_label(json_t *dims) {
    struct joined j = {0};
    const char *k;
    json_t *v;
    if (!dims || json_object_size(dims) == 0)
        return strdup("Total");
    json_object_foreach(dims, k, v) {
        char *t = value_text(v);
        join_printf(&j, ", ", "%s %s", k, t ? t : "?");
        free(t);
    }
    if (j.failed) {
        join_free(&j);
        return NULL;
    }
    return j.data;
}

/* The names of dims, joined by 0x1F in sorted order: which breakdown sheet
 * the row belongs to. new. */
static char *keyset_of(json_t *dims) {
    size_t n = json_object_size(dims);
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys)
        return NULL;
    size_t i = 0;
    const char *k;
    json_t *v;
    json_object_foreach(dims, k, v) keys[i++] = k;
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0 && strcmp(keys[b - 1], keys[b]) > 0; b--) {
            const char *t = keys[b];
            keys[b] = keys[b - 1];
            keys[b - 1] = t;
        }
    struct joined j = {0};
    for (i = 0; i < n; i++)
        join_add(&j, "\x1f", keys[i]);
    free(keys);
    if (j.failed) {
        join_free(&j);
        return NULL;
    }
    return j.data ? j.data : strdup("");
}

/* ---- one indicator's cells, by breakdown ------------------------------------- */

struct ind {
    json_t *def;
    const char *id;
    int pct, qual;
    lxw_format *vf; /* its figures' number format */
    /* breakdown key -> array of its cells; order: the keys by first
     * appearance, the total ({}) first. */
    json_t *rows;
    json_t *order;
};

static void ind_free(struct ind *I) {
    json_decref(I->rows);
    json_decref(I->order);
    I->rows = I->order = NULL;
}

static int ind_open(struct xlsx_ctx *x, json_t *def, struct ind *I) {
    memset(I, 0, sizeof *I);
    I->def = def;
    I->id = jstr(def, "id");
    if (!I->id)
        I->id = "";
    I->pct = xlsx_is_percentage(def);
    I->qual = is_qualitative(def);
    json_t *r = json_object_get(def, "rounding");
    I->vf = xlsx_value_format(x, I->pct, json_is_integer(r) ? json_integer_value(r) : 0);
    I->rows = json_object();
    I->order = json_array();
    if (!I->rows || !I->order)
        goto nomem;
    char *total = dims_key(NULL);
    if (!total || json_object_set_new(I->rows, total, json_array()) ||
        json_array_append_new(I->order, json_string(total))) {
        free(total);
        goto nomem;
    }
    free(total);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(def, "cells"), i, c) {
        char *key = dims_key(json_object_get(c, "dims"));
        if (!key)
            goto nomem;
        json_t *list = json_object_get(I->rows, key);
        if (!list) {
            list = json_array();
            if (!list || json_object_set_new(I->rows, key, list) ||
                json_array_append_new(I->order, json_string(key))) {
                free(key);
                goto nomem;
            }
        }
        free(key);
        if (json_array_append(list, c))
            goto nomem;
    }
    return 0;
nomem:
    ind_free(I);
    return xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the IPTT");
}

static json_t *cell_of(json_t *cells, const char *period) {
    size_t i;
    json_t *c;
    json_array_foreach(cells, i, c) {
        const char *p = jstr(c, "period");
        if (p && strcmp(p, period) == 0)
            return c;
    }
    return NULL;
}

static json_t *row_dims(json_t *cells) {
    json_t *c = json_array_get(cells, 0);
    json_t *d = json_object_get(c, "dims");
    return json_is_object(d) ? d : NULL;
}

/* A breakdown row has a plan of its own: a target or a status somewhere. */
static int row_planned(json_t *cells) {
    size_t i;
    json_t *c;
    json_array_foreach(cells, i, c) if (json_object_get(c, "target") ||
                                        json_object_get(c, "status")) return 1;
    return 0;
}

/* ---- the sheet layout ----------------------------------------------------------- */

#define NOCOL ((lxw_col_t)0xFFFF) /* a column the sheet leaves out */

enum { SUB_TARGET, SUB_ACTUAL, SUB_PERCENT, SUB_STATUS, SUB_COUNT };

/* One row of a sheet: a breakdown of an indicator, or a band naming a node
 * of the results chain. */
struct item {
    const struct ind *ind; /* NULL for a band */
    json_t *cells;         /* the row's cells (borrowed from ind->rows) */
    json_t *band;          /* the chain entry (borrowed from the report) */
};

struct sheet {
    struct xlsx_ctx *x;
    lxw_worksheet *ws;
    const char **periods;
    size_t nperiods;
    const char **keys; /* breakdown sheets: the dimension of each breakdown column */
    size_t nkeys;      /* 0: the IPTT's one "Breakdown" column */
    json_t *checks;    /* "indicator\x1fperiod\x1fdims" -> the failed check */
    struct item *items;
    size_t nitems;
    /* Which optional columns have something in them: a sheet without any
     * plan (a model with no targets) shows the figures without empty
     * target, % and status columns. */
    int has_base, has_lop, has_lop_pct;
    unsigned char (*has)[SUB_COUNT]; /* per period */
    size_t w_id, w_result;           /* the longest id and result list */
    lxw_col_t c_id, c_result, c_title, c_brk, c_unit, c_base, c_lop, c_total, c_totpct, c_comment,
        c_source, c_last;
    lxw_col_t (*pc)[SUB_COUNT]; /* per period: its columns, NOCOL when left out */
    lxw_row_t row;              /* the next row to write */
};

static int add_item(struct sheet *s, const struct ind *ind, json_t *cells, json_t *band) {
    struct item *grown = realloc(s->items, (s->nitems + 1) * sizeof *grown);
    if (!grown)
        return xlsx_check(s->x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a sheet");
    s->items = grown;
    s->items[s->nitems++] = (struct item){.ind = ind, .cells = cells, .band = band};
    return 0;
}

/* Adds the periods of ind to the set, in natural order. */
static int add_periods(struct sheet *s, json_t *ind) {
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(ind, "periods"), i, p) {
        const char *name = json_string_value(p);
        if (!name)
            continue;
        size_t k = 0;
        while (k < s->nperiods && natural_cmp(s->periods[k], name) < 0)
            k++;
        if (k < s->nperiods && strcmp(s->periods[k], name) == 0)
            continue;
        const char **grown = realloc(s->periods, (s->nperiods + 1) * sizeof *grown);
        if (!grown)
            return xlsx_check(s->x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a sheet");
        s->periods = grown;
        memmove(s->periods + k + 1, s->periods + k, (s->nperiods - k) * sizeof *s->periods);
        s->periods[k] = name;
        s->nperiods++;
    }
    return 0;
}

static size_t period_index(const struct sheet *s, const char *period) {
    for (size_t p = 0; period && p < s->nperiods; p++)
        if (strcmp(s->periods[p], period) == 0)
            return p;
    return (size_t)-1;
}

/* Characters of a UTF-8 string, for column widths. */
static size_t text_width(const char *t) {
    size_t n = 0;
    for (; t && *t; t++)
        n += ((unsigned char)*t & 0xC0) != 0x80;
    return n;
}

/* The periods and the optional columns the items need. */
static int scan(struct sheet *s) {
    for (size_t i = 0; i < s->nitems; i++)
        if (s->items[i].ind && add_periods(s, s->items[i].ind->def))
            return -1;
    s->has = calloc(s->nperiods ? s->nperiods : 1, sizeof *s->has);
    s->pc = calloc(s->nperiods ? s->nperiods : 1, sizeof *s->pc);
    if (!s->has || !s->pc)
        return xlsx_check(s->x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a sheet");
    for (size_t i = 0; i < s->nitems; i++) {
        const struct item *it = &s->items[i];
        if (!it->ind)
            continue;
        json_t *def = it->ind->def;
        int total = json_object_size(row_dims(it->cells)) == 0;
        size_t w = text_width(it->ind->id);
        if (w > s->w_id)
            s->w_id = w;
        size_t k;
        json_t *n, *c;
        w = 0;
        json_array_foreach(json_object_get(def, "nodes"), k, n) w +=
            text_width(json_string_value(n)) + 2;
        if (w > s->w_result)
            s->w_result = w;
        json_t *base = json_object_get(def, "baseline");
        if (total ? base != NULL : json_array_size(json_object_get(base, "breakdown")) > 0)
            s->has_base = 1;
        if (total && json_object_get(def, "lop_target"))
            s->has_lop = 1;
        json_array_foreach(it->cells, k, c) {
            const char *period = jstr(c, "period");
            if (json_object_get(c, "baseline"))
                s->has_base = 1;
            if (period && strcmp(period, "total") == 0) {
                s->has_lop |= json_object_get(c, "target") != NULL;
                s->has_lop_pct |= json_is_number(json_object_get(c, "percent_of_lop_target"));
                continue;
            }
            size_t p = period_index(s, period);
            if (p == (size_t)-1)
                continue;
            s->has[p][SUB_TARGET] |= json_object_get(c, "target") != NULL;
            s->has[p][SUB_ACTUAL] = 1;
            s->has[p][SUB_PERCENT] |= json_is_number(json_object_get(c, "percent_of_target"));
            s->has[p][SUB_STATUS] |= jstr(c, "status") != NULL;
        }
    }
    return 0;
}

static void layout(struct sheet *s) {
    lxw_col_t c = 0;
    s->c_id = c++;
    s->c_result = c++;
    s->c_title = c++;
    s->c_brk = c;
    c += (lxw_col_t)(s->nkeys ? s->nkeys : 1);
    s->c_unit = c++;
    s->c_base = s->has_base ? c++ : NOCOL;
    s->c_lop = s->has_lop ? c++ : NOCOL;
    /* A period with a target or a status anywhere on the sheet gets all
     * four columns, as an IPTT template has them; one without gets only
     * its actuals. */
    for (size_t p = 0; p < s->nperiods; p++) {
        int planned = s->has[p][SUB_TARGET] || s->has[p][SUB_STATUS];
        for (int k = 0; k < SUB_COUNT; k++)
            s->pc[p][k] = k == SUB_ACTUAL || planned ? c++ : NOCOL;
    }
    s->c_total = c++;
    s->c_totpct = s->has_lop_pct ? c++ : NOCOL;
    s->c_comment = c++;
    s->c_source = c++;
    s->c_last = (lxw_col_t)(c - 1);
}

static int merge(struct sheet *s, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2,
                 const char *text, lxw_format *f) {
    if (r1 == r2 && c1 == c2)
        return xlsx_text(s->x, s->ws, r1, c1, text, f);
    return xlsx_check(s->x, worksheet_merge_range(s->ws, r1, c1, r2, c2, text, f),
                      "a merged header");
}

#define HEADER_ROWS 4 /* title, legend, and two header rows */

static double clamp_width(size_t chars, double lo, double hi) {
    double w = (double)chars + 2;
    return w < lo ? lo : w > hi ? hi : w;
}

static int write_headers(struct sheet *s, const char *title, const char *legend) {
    struct xlsx_ctx *x = s->x;
    lxw_worksheet *ws = s->ws;
    if (xlsx_text(x, ws, 0, 0, title, x->st.title) ||
        xlsx_text(x, ws, 1, 0, legend, x->st.subtitle))
        return -1;
    worksheet_set_row(ws, 0, 20, NULL);
    const lxw_row_t h1 = 2, h2 = 3;
    struct {
        lxw_col_t col;
        const char *name;
        double width;
    } fixed[] = {
        {s->c_id, "ID", clamp_width(s->w_id, 6, 30)},
        {s->c_result, "Result", clamp_width(s->w_result, 8, 18)},
        {s->c_title, "Indicator", 38},
        {s->c_unit, "Unit", 14},
        {s->c_base, "Baseline", 12},
        {s->c_lop, "Life-of-program target", 13},
        {s->c_comment, "Comments", 48},
        {s->c_source, "Source / means of verification", 40},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        if (fixed[i].col == NOCOL)
            continue;
        if (merge(s, h1, fixed[i].col, h2, fixed[i].col, fixed[i].name, x->st.header))
            return -1;
        worksheet_set_column(ws, fixed[i].col, fixed[i].col, fixed[i].width, NULL);
    }
    if (s->nkeys == 0) {
        if (merge(s, h1, s->c_brk, h2, s->c_brk, "Breakdown", x->st.header))
            return -1;
        worksheet_set_column(ws, s->c_brk, s->c_brk, 16, NULL);
    } else {
        if (merge(s, h1, s->c_brk, h1, (lxw_col_t)(s->c_brk + s->nkeys - 1), "Breakdown",
                  x->st.centre))
            return -1;
        for (size_t k = 0; k < s->nkeys; k++) {
            lxw_col_t c = (lxw_col_t)(s->c_brk + k);
            if (xlsx_text(x, ws, h2, c, s->keys[k], x->st.header))
                return -1;
            worksheet_set_column(ws, c, c, 12, NULL);
        }
    }
    static const char *const sub[SUB_COUNT] = {"Target", "Actual", "% of target", "Status"};
    static const double subw[SUB_COUNT] = {11, 12, 9, 15};
    for (size_t p = 0; p < s->nperiods; p++) {
        lxw_col_t first = NOCOL, last = 0;
        for (int k = 0; k < SUB_COUNT; k++) {
            lxw_col_t c = s->pc[p][k];
            if (c == NOCOL)
                continue;
            if (first == NOCOL)
                first = c;
            last = c;
            if (xlsx_text(x, ws, h2, c, sub[k], x->st.header))
                return -1;
            worksheet_set_column(ws, c, c, subw[k], NULL);
        }
        if (merge(s, h1, first, h1, last, s->periods[p], x->st.centre))
            return -1;
    }
    lxw_col_t tlast = s->c_totpct != NOCOL ? s->c_totpct : s->c_total;
    if (merge(s, h1, s->c_total, h1, tlast, "Total to date", x->st.centre) ||
        xlsx_text(x, ws, h2, s->c_total, "Actual", x->st.header))
        return -1;
    worksheet_set_column(ws, s->c_total, s->c_total, 12, NULL);
    if (s->c_totpct != NOCOL) {
        if (xlsx_text(x, ws, h2, s->c_totpct, "% of life-of-program target", x->st.header))
            return -1;
        worksheet_set_column(ws, s->c_totpct, s->c_totpct, 12, NULL);
    }
    worksheet_freeze_panes(ws, HEADER_ROWS, 1);
    xlsx_print_setup(ws, HEADER_ROWS - 1, title);
    s->row = HEADER_ROWS;
    return 0;
}

/* A percentage the report gives ×100 (96.2) as the fraction Excel formats
 * (0.962), without the binary noise dividing adds (0.99230769230999999):
 * the report rounds it to nine decimals, so eleven are exact here. */
static double fraction_of(double percent) { return round(percent * 1e9) / 1e11; }

/* ---- cells ---------------------------------------------------------------- */

/* A plan number as written (65 for 65 %) in the sheet's unit. */
static double plan_number(const struct ind *I, double v) { return I->pct ? v / 100 : v; }

/* The reason a figure is missing, without the "not reported: " the report
 * puts before it (the cell already says so). */
static const char *reason_of(json_t *c) {
    const char *note = jstr(c, "note");
    if (note && strncmp(note, "not reported: ", 14) == 0)
        note += 14;
    return note;
}

/* Writes a plan entry (a baseline or a target in any of its forms) at col.
 * obj may be a number, a text, or an object with value / text / pending
 * and a note; period, when not NULL, is put before the note. */
static int write_plan(struct sheet *s, const struct ind *I, lxw_col_t col, json_t *plan,
                      const char *pending_word) {
    struct xlsx_ctx *x = s->x;
    lxw_row_t r = s->row;
    if (!plan || json_is_null(plan) || col == NOCOL)
        return 0;
    if (json_is_number(plan))
        return xlsx_number(x, s->ws, r, col, plan_number(I, json_number_value(plan)), I->vf);
    if (json_is_string(plan))
        return xlsx_text(x, s->ws, r, col, json_string_value(plan), NULL);
    if (!json_is_object(plan))
        return 0;
    struct joined note = {0};
    json_t *period = json_object_get(plan, "period");
    char *ptext = period ? value_text(period) : NULL;
    if (ptext)
        join_printf(&note, NULL, "Measured in %s.", ptext);
    free(ptext);
    join_add(&note, " ", jstr(plan, "date"));
    join_add(&note, " ", jstr(plan, "note"));
    int rc;
    json_t *v = json_object_get(plan, "value");
    if (json_is_true(json_object_get(plan, "pending")))
        rc = xlsx_text(x, s->ws, r, col, pending_word, x->st.missing);
    else if (json_is_number(v))
        rc = xlsx_number(x, s->ws, r, col, plan_number(I, json_number_value(v)), I->vf);
    else
        rc = xlsx_text(x, s->ws, r, col, jstr(plan, "text"), NULL);
    if (rc == 0 && !note.failed)
        rc = xlsx_note(x, s->ws, r, col, note.data);
    join_free(&note);
    return rc;
}

/* Whether a cell's figure is the model's printed one, shown because the
 * data gives none (the report's "origin"), not one computed. */
static int printed_only(json_t *c) {
    const char *origin = jstr(c, "origin");
    return origin && strcmp(origin, "reported") == 0;
}

/* A figure of a cell (value, or text): for the actual and total columns.
 * No figure: "not reported" (or the status that says why, "not yet due") as
 * text, never 0, with the reason as a note. */
static int write_figure(struct sheet *s, const struct ind *I, lxw_col_t col, json_t *c) {
    struct xlsx_ctx *x = s->x;
    json_t *v = json_object_get(c, "value");
    if (json_is_number(v)) {
        if (xlsx_number(x, s->ws, s->row, col, json_number_value(v), I->vf))
            return -1;
        /* A figure the model records as printed, where the data has none:
         * a number still (a sheet adds it up), marked by a note; so is a
         * latest figure, with the period it is from. */
        const char *latest = jstr(c, "latest_period");
        if (!printed_only(c) && !latest)
            return 0;
        struct joined note = {0};
        if (latest)
            join_printf(&note, NULL, "The latest figure: %s.", latest);
        if (printed_only(c))
            join_printf(&note, " ",
                        "As printed%s%s%s, not computed: the data has no figure for it.",
                        jstr(c, "source") ? " (" : "", jstr(c, "source") ? jstr(c, "source") : "",
                        jstr(c, "source") ? ")" : "");
        int rc = note.failed ? xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell")
                             : xlsx_note(x, s->ws, s->row, col, note.data);
        join_free(&note);
        return rc;
    }
    const char *text = jstr(c, "text");
    if (text)
        return xlsx_text(x, s->ws, s->row, col, text, NULL);
    const char *status = jstr(c, "status");
    const char *word = status && strcmp(status, "not yet due") == 0 ? status : "not reported";
    if (xlsx_text(x, s->ws, s->row, col, word, x->st.missing))
        return -1;
    return xlsx_note(x, s->ws, s->row, col, jstr(c, "note"));
}

static int write_target(struct sheet *s, const struct ind *I, lxw_col_t col, json_t *c) {
    struct xlsx_ctx *x = s->x;
    json_t *t = json_object_get(c, "target");
    if (!t || col == NOCOL)
        return 0;
    int rc;
    if (json_is_number(t))
        rc = xlsx_number(x, s->ws, s->row, col, json_number_value(t), I->vf);
    else if (json_is_string(t))
        rc = xlsx_text(x, s->ws, s->row, col, json_string_value(t), NULL);
    else
        rc = xlsx_text(x, s->ws, s->row, col, jstr(c, "target_display"), x->st.missing);
    struct joined note = {0};
    join_add(&note, NULL, jstr(c, "target_label"));
    const char *date = jstr(c, "target_date");
    if (date)
        join_printf(&note, ", ", "due %s", date);
    join_add(&note, ". ", jstr(c, "target_note"));
    if (rc == 0 && !note.failed)
        rc = xlsx_note(x, s->ws, s->row, col, note.data);
    join_free(&note);
    return rc;
}

static int write_status(struct sheet *s, lxw_col_t col, json_t *c) {
    const char *status = jstr(c, "status");
    if (!status || col == NOCOL)
        return 0;
    const struct xlsx_status *st = xlsx_status_find(s->x, status);
    return xlsx_text(s->x, s->ws, s->row, col, st ? st->shown : status, st ? st->format : NULL);
}

/* The comments of a row: each period's comment, the reason a figure is
 * missing, and the printed-figure check of the cell. */
static void row_comments(struct sheet *s, const struct ind *I, json_t *cells, struct joined *out) {
    size_t i;
    json_t *c;
    json_array_foreach(cells, i, c) {
        const char *period = jstr(c, "period");
        if (!period)
            continue;
        const char *shown = strcmp(period, "total") == 0 ? "Total" : period;
        const char *comment = jstr(c, "comment");
        if (comment)
            join_printf(out, "\n", "%s: %s", shown, comment);
        if (!json_is_number(json_object_get(c, "value")) && !jstr(c, "text")) {
            const char *why = reason_of(c);
            /* A figure entered as missing carries its reason as its comment. */
            if (why && (!comment || strcmp(why, comment) != 0))
                join_printf(out, "\n", "%s: %s", shown, why);
        }
        char *dk = dims_key(json_object_get(c, "dims"));
        struct joined key = {0};
        join_printf(&key, NULL, "%s\x1f%s\x1f%s", I->id, period, dk ? dk : "");
        free(dk);
        json_t *failed = key.failed ? NULL : json_object_get(s->checks, key.data);
        join_free(&key);
        if (failed)
            join_printf(out, "\n", "%s: \u2717 %s", shown,
                        jstr(failed, "message") ? jstr(failed, "message") : "check failed");
        else if (json_object_get(c, "reported"))
            join_printf(out, "\n", "%s: \u2713 the printed figure matches", shown);
        else if (printed_only(c))
            join_printf(out, "\n", "%s: as printed, not computed", shown);
    }
}

static void row_sources(json_t *cells, struct joined *out) {
    size_t i;
    json_t *c;
    json_array_foreach(cells, i, c) {
        const char *src = jstr(c, "source"), *period = jstr(c, "period");
        if (src && period)
            join_printf(out, "\n", "%s: %s", strcmp(period, "total") == 0 ? "Total" : period, src);
    }
}

static int write_unit(struct sheet *s, const struct ind *I) {
    struct joined u = {0};
    if (I->pct)
        join_add(&u, NULL, "%");
    else if (I->qual)
        join_add(&u, NULL, "qualitative");
    else
        join_add(&u, NULL, jstr(I->def, "unit"));
    const char *agg = jstr(I->def, "aggregation");
    if (agg && strcmp(agg, "periodic") != 0)
        join_add(&u, ", ", agg);
    const char *dir = jstr(I->def, "direction");
    if (dir && strcmp(dir, "lower") == 0)
        join_add(&u, ", ", "lower is better");
    int rc = u.failed ? xlsx_check(s->x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell")
                      : xlsx_text(s->x, s->ws, s->row, s->c_unit, u.data, NULL);
    join_free(&u);
    return rc;
}

/* The baseline of a breakdown row: its own in baseline.breakdown, else the
 * one its cells were compared with. */
static int write_row_baseline(struct sheet *s, const struct ind *I, json_t *dims, json_t *cells) {
    if (s->c_base == NOCOL)
        return 0;
    json_t *base = json_object_get(I->def, "baseline");
    if (json_object_size(dims) == 0)
        return write_plan(s, I, s->c_base, base, "to be confirmed");
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(base, "breakdown"), i, b) {
        if (json_equal(json_object_get(b, "dims"), dims))
            return write_plan(s, I, s->c_base, json_object_get(b, "value"), "to be confirmed");
    }
    json_t *c;
    json_array_foreach(cells, i, c) {
        json_t *v = json_object_get(c, "baseline");
        if (json_is_number(v))
            return xlsx_number(s->x, s->ws, s->row, s->c_base, json_number_value(v), I->vf);
    }
    return 0;
}

static int write_row(struct sheet *s, const struct ind *I, json_t *cells) {
    json_t *result_ids = json_object_get(I->def, "nodes");
    struct xlsx_ctx *x = s->x;
    lxw_worksheet *ws = s->ws;
    json_t *dims = row_dims(cells);
    int total = json_object_size(dims) == 0;
    lxw_row_t r = s->row;
    int rc = xlsx_text(x, ws, r, s->c_id, I->id, total ? x->st.text : x->st.muted);
    if (rc == 0 && (total || s->nkeys)) {
        struct joined res = {0};
        size_t i;
        json_t *n;
        json_array_foreach(result_ids, i, n) join_add(&res, ", ", json_string_value(n));
        rc = xlsx_text(x, ws, r, s->c_result, res.data, NULL);
        if (rc == 0)
            rc = xlsx_text(x, ws, r, s->c_title, jstr(I->def, "title"), NULL);
        join_free(&res);
    }
    if (rc == 0 && s->nkeys == 0) {
        char *label = xlsx_dims_label(dims);
        rc = label ? xlsx_text(x, ws, r, s->c_brk, label, total ? x->st.text : x->st.muted)
                   : xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell");
        free(label);
    }
    for (size_t k = 0; rc == 0 && k < s->nkeys; k++) {
        json_t *v = json_object_get(dims, s->keys[k]);
        lxw_col_t c = (lxw_col_t)(s->c_brk + k);
        if (json_is_number(v))
            rc = xlsx_number(x, ws, r, c, json_number_value(v), NULL);
        else {
            char *t = v ? value_text(v) : NULL;
            rc = xlsx_text(x, ws, r, c, t, NULL);
            free(t);
        }
    }
    if (rc == 0)
        rc = write_unit(s, I);
    if (rc == 0)
        rc = write_row_baseline(s, I, dims, cells);
    json_t *tot = cell_of(cells, "total");
    if (rc == 0) {
        if (total)
            rc = write_plan(s, I, s->c_lop, json_object_get(I->def, "lop_target"), "pending");
        else if (tot)
            rc = write_target(s, I, s->c_lop, tot);
    }
    for (size_t p = 0; rc == 0 && p < s->nperiods; p++) {
        json_t *c = cell_of(cells, s->periods[p]);
        if (!c)
            continue;
        rc = write_target(s, I, s->pc[p][SUB_TARGET], c);
        if (rc == 0)
            rc = write_figure(s, I, s->pc[p][SUB_ACTUAL], c);
        json_t *pct = json_object_get(c, "percent_of_target");
        if (rc == 0 && json_is_number(pct) && s->pc[p][SUB_PERCENT] != NOCOL)
            rc = xlsx_number(x, ws, r, s->pc[p][SUB_PERCENT], fraction_of(json_number_value(pct)),
                             x->st.percent);
        if (rc == 0)
            rc = write_status(s, s->pc[p][SUB_STATUS], c);
    }
    if (rc == 0 && tot) {
        rc = write_figure(s, I, s->c_total, tot);
        json_t *pct = json_object_get(tot, "percent_of_lop_target");
        if (rc == 0 && json_is_number(pct) && s->c_totpct != NOCOL)
            rc = xlsx_number(x, ws, r, s->c_totpct, fraction_of(json_number_value(pct)),
                             x->st.percent);
    }
    struct joined comments = {0}, sources = {0};
    row_comments(s, I, cells, &comments);
    if (total)
        join_add(&sources, NULL, jstr(I->def, "verification"));
    row_sources(cells, &sources);
    if (comments.failed || sources.failed)
        rc = xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell");
    if (rc == 0)
        rc = xlsx_text(x, ws, r, s->c_comment, comments.data, NULL);
    if (rc == 0)
        rc = xlsx_text(x, ws, r, s->c_source, sources.data, NULL);
    join_free(&comments);
    join_free(&sources);
    s->row++;
    return rc;
}

/* ---- bands: the results chain ---------------------------------------------- */

static lxw_format *band_format(struct xlsx_ctx *x, json_int_t depth) {
    static const unsigned fills[] = {0xBDD7EE, 0xDDEBF7, 0xEEF4FA};
    size_t d = depth < 0 ? 0 : depth > 2 ? 2 : (size_t)depth;
    if (!x->st.bands[d]) {
        lxw_format *f = workbook_add_format(x->wb);
        format_set_bold(f);
        format_set_bg_color(f, fills[d]);
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_top(f, LXW_BORDER_THIN);
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
        format_set_indent(f, (uint8_t)d);
        x->st.bands[d] = f;
    }
    return x->st.bands[d];
}

/* A node of the chain: "EOPO1 (End-of-program outcome): title", its own
 * status, and beside it its assumptions and the indicators placed under
 * another node that measure it too. */
static int write_band(struct sheet *s, json_t *e) {
    struct xlsx_ctx *x = s->x;
    json_t *depth = json_object_get(e, "depth");
    lxw_format *f = band_format(x, json_is_integer(depth) ? json_integer_value(depth) : 0);
    struct joined label = {0}, side = {0};
    const char *node = jstr(e, "node"), *level = jstr(e, "level_title");
    if (node)
        join_add(&label, NULL, node);
    if (level && *level)
        join_printf(&label, " ", "(%s)", level);
    join_add(&label, ": ", jstr(e, "title"));
    if (jstr(e, "status"))
        join_printf(&label, NULL, " \u2014 status: %s", jstr(e, "status"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(e, "assumptions"), i, v)
        join_add(&side, i ? "; " : "Assumptions: ", json_string_value(v));
    json_array_foreach(json_object_get(e, "references"), i, v)
        join_add(&side, i ? ", " : (side.len ? "\nAlso measured by: " : "Also measured by: "),
                 json_string_value(v));
    int rc = label.failed || side.failed
                 ? xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a band")
                 : merge(s, s->row, 0, s->row, (lxw_col_t)(s->c_comment - 1),
                         label.data ? label.data : "", f);
    if (rc == 0)
        rc = side.data
                 ? xlsx_text(x, s->ws, s->row, s->c_comment, side.data, f)
                 : xlsx_check(x, worksheet_write_blank(s->ws, s->row, s->c_comment, f), "a band");
    if (rc == 0)
        rc = xlsx_check(x, worksheet_write_blank(s->ws, s->row, s->c_source, f), "a band");
    join_free(&label);
    join_free(&side);
    s->row++;
    return rc;
}

/* ---- the sheets ------------------------------------------------------------ */

/* The failed printed-figure checks by indicator, period and breakdown. */
static json_t *index_checks(json_t *report) {
    json_t *idx = json_object();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "checks"), i, c) {
        char *dk = dims_key(json_object_get(c, "dims"));
        struct joined key = {0};
        join_printf(&key, NULL, "%s\x1f%s\x1f%s", jstr(c, "indicator") ? jstr(c, "indicator") : "",
                    jstr(c, "period") ? jstr(c, "period") : "", dk ? dk : "");
        free(dk);
        if (!key.failed && idx && !json_object_get(idx, key.data))
            json_object_set(idx, key.data, c);
        join_free(&key);
    }
    return idx;
}

static const char *legend =
    "Status: \u2713 achieved \u00b7 \u2192 on track \u00b7 \u2717 off track \u00b7 \u2013 not "
    "reported \u00b7 \u2026 pending or not yet due. \"not reported\" is a period with no figure "
    "(the reason is in Comments and in the cell's note), never 0. Notes on cells give milestone "
    "labels and baseline sources.";

static void sheet_free(struct sheet *s) {
    free(s->periods);
    free(s->keys);
    free(s->items);
    free(s->has);
    free(s->pc);
}

/* Lays out and writes the items of s. */
static int write_sheet(struct sheet *s, const char *name, const char *title) {
    struct xlsx_ctx *x = s->x;
    if (scan(s))
        return -1;
    layout(s);
    s->ws = xlsx_add_sheet(x, name);
    if (!s->ws || write_headers(s, title, legend))
        return -1;
    int rc = 0;
    for (size_t i = 0; i < s->nitems && rc == 0; i++)
        rc = s->items[i].ind ? write_row(s, s->items[i].ind, s->items[i].cells)
                             : write_band(s, s->items[i].band);
    if (rc == 0 && s->row > HEADER_ROWS)
        worksheet_autofilter(s->ws, HEADER_ROWS - 1, 0, s->row - 1, s->c_last);
    return rc;
}

/* The rows an indicator has on the IPTT: its total, and the breakdowns
 * with a plan of their own. */
static int add_iptt_rows(struct sheet *s, const struct ind *I) {
    size_t k;
    json_t *key;
    json_array_foreach(I->order, k, key) {
        json_t *cells = json_object_get(I->rows, json_string_value(key));
        if (json_array_size(cells) && (k == 0 || row_planned(cells)) && add_item(s, I, cells, NULL))
            return -1;
    }
    return 0;
}

static const struct ind *find_ind(const struct ind *inds, size_t n, json_t *id) {
    for (size_t i = 0; json_is_string(id) && i < n; i++)
        if (strcmp(inds[i].id, json_string_value(id)) == 0)
            return &inds[i];
    return NULL;
}

/* The IPTT: along the report's results chain when it has one (each node a
 * band, its indicators under it), else in the report's order. Every
 * indicator appears once: those the chain does not place come last. */
static int iptt_sheet(struct xlsx_ctx *x, const struct ind *inds, size_t n, json_t *checks) {
    struct sheet s = {.x = x, .checks = checks};
    unsigned char *placed = calloc(n ? n : 1, 1);
    int rc = placed ? 0 : xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the IPTT");
    json_t *chain = json_object_get(x->report, "chain");
    size_t i, k;
    json_t *e, *id;
    json_array_foreach(chain, i, e) {
        if (rc || !json_is_object(e))
            continue;
        rc = add_item(&s, NULL, NULL, e);
        json_array_foreach(json_object_get(e, "indicators"), k, id) {
            const struct ind *I = find_ind(inds, n, id);
            if (rc == 0 && I && !placed[I - inds]) {
                placed[I - inds] = 1;
                rc = add_iptt_rows(&s, I);
            }
        }
    }
    int band = json_array_size(chain) > 0;
    json_t *other = NULL; /* a band of the same shape as a chain entry */
    for (i = 0; i < n && rc == 0; i++) {
        if (placed[i])
            continue;
        if (band) {
            other = json_pack("{s:s, s:i}", "title",
                              "Indicators not attached to a result of the chain", "depth", 0);
            rc = other ? add_item(&s, NULL, NULL, other)
                       : xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the IPTT");
            band = 0;
        }
        if (rc == 0)
            rc = add_iptt_rows(&s, &inds[i]);
    }
    const char *program = jstr(json_object_get(x->report, "program"), "title");
    struct joined title = {0};
    join_printf(&title, NULL, "%s: Indicator Performance Tracking Table", program ? program : "");
    if (rc == 0)
        rc = title.failed ? xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the IPTT")
                          : write_sheet(&s, "IPTT", title.data);
    join_free(&title);
    free(placed);
    sheet_free(&s);
    json_decref(other);
    return rc;
}

/* One sheet per set of breakdown dimensions ("By country", "By event x
 * sex"): every row of that breakdown, planned or not, in indicator order. */
static int breakdown_sheet(struct xlsx_ctx *x, const struct ind *inds, size_t n, json_t *checks,
                           const char *keyset) {
    struct sheet s = {.x = x, .checks = checks};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t k;
        json_t *key;
        json_array_foreach(inds[i].order, k, key) {
            json_t *cells = json_object_get(inds[i].rows, json_string_value(key));
            json_t *dims = row_dims(cells);
            char *ks = keyset_of(dims); /* NULL dims: the empty key set */
            if (rc == 0 && ks && strcmp(ks, keyset) == 0) {
                /* The columns: the dimensions in the order the first
                 * indicator with them lists them. */
                if (!s.keys) {
                    s.nkeys = json_object_size(dims);
                    s.keys = malloc(s.nkeys * sizeof *s.keys);
                    size_t got = 0, j;
                    json_t *d;
                    json_array_foreach(json_object_get(inds[i].def, "dimensions"), j, d) {
                        if (s.keys && json_string_value(d) &&
                            json_object_get(dims, json_string_value(d)))
                            s.keys[got++] = json_string_value(d);
                    }
                    if (s.keys && got != s.nkeys) { /* not all listed: their own order */
                        const char *name;
                        json_t *v;
                        got = 0;
                        json_object_foreach(dims, name, v) s.keys[got++] = name;
                    }
                    if (!s.keys)
                        rc = xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a breakdown sheet");
                }
                if (rc == 0)
                    rc = add_item(&s, &inds[i], cells, NULL);
            }
            free(ks);
        }
    }
    struct joined dims = {0}, name = {0}, title = {0};
    for (size_t k = 0; k < s.nkeys; k++)
        join_add(&dims, " \u00d7 ", s.keys[k]);
    join_printf(&name, NULL, "By %s", dims.data ? dims.data : "");
    const char *program = jstr(json_object_get(x->report, "program"), "title");
    join_printf(&title, NULL, "%s: figures and targets by %s", program ? program : "",
                dims.data ? dims.data : "");
    if (rc == 0 && (dims.failed || name.failed || title.failed))
        rc = xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a breakdown sheet");
    if (rc == 0)
        rc = write_sheet(&s, name.data, title.data);
    join_free(&dims);
    join_free(&name);
    join_free(&title);
    sheet_free(&s);
    return rc;
}

int xlsx_iptt_sheets(struct xlsx_ctx *x) {
    json_t *defs = json_object_get(x->report, "indicators");
    if (!json_is_array(defs)) {
        x->host->error_set(x->err, "xlsx", "the report has no 'indicators' array");
        return -1;
    }
    size_t n = json_array_size(defs);
    struct ind *inds = calloc(n ? n : 1, sizeof *inds);
    json_t *checks = index_checks(x->report);
    json_t *keysets = json_array();
    int rc =
        inds && checks && keysets ? 0 : xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the IPTT");
    size_t opened = 0;
    for (; rc == 0 && opened < n; opened++)
        if (ind_open(x, json_array_get(defs, opened), &inds[opened]))
            rc = -1;
    if (rc == 0)
        rc = iptt_sheet(x, inds, opened, checks);
    /* The breakdowns, by first appearance. */
    for (size_t i = 0; i < opened && rc == 0; i++) {
        size_t k, j;
        json_t *key, *seen;
        json_array_foreach(inds[i].order, k, key) {
            json_t *dims = row_dims(json_object_get(inds[i].rows, json_string_value(key)));
            if (json_object_size(dims) == 0)
                continue;
            char *ks = keyset_of(dims);
            int found = 0;
            json_array_foreach(keysets, j, seen) found |=
                ks && strcmp(json_string_value(seen), ks) == 0;
            if (ks && !found)
                json_array_append_new(keysets, json_string(ks));
            free(ks);
        }
    }
    size_t j;
    json_t *seen;
    json_array_foreach(keysets, j, seen) if (rc == 0) rc =
        breakdown_sheet(x, inds, opened, checks, json_string_value(seen));
    for (size_t i = 0; i < opened; i++)
        ind_free(&inds[i]);
    free(inds);
    json_decref(keysets);
    json_decref(checks);
    return rc;
}
