/*
 * engine_status.c -- the plan against the figures: for each cell with a
 * target (a period's total, a breakdown with a target of its own, the total
 * column against the life-of-program target), its target, baseline, % of
 * target, progress from the baseline and status.
 *
 * Plan values are as people write them: a percentage target of 50 means
 * 50 %, so it is divided by 100 to meet the calculator's fraction.
 *
 * Progress is rounded to nine decimals before it is compared with the
 * thresholds, so 0.32 against a target of 0.40 (0.7999999999999999 in
 * binary floating point) is 0.8 and on track, as a person computes it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_parts.h"
#include "model_internal.h"
#include "util.h"

/* One plan value: a number, a text (qualitative), or pending. */
struct plan_value {
    enum { PLAN_NONE, PLAN_NUMBER, PLAN_TEXT, PLAN_PENDING } kind;
    double value;
    const char *text, *label, *date, *note;
};

/* Rounded to nine decimals, and never -0. */
static double tidy(double x) {
    double r = round(x * 1e9) / 1e9;
    return r == 0 ? 0.0 : r;
}

static struct plan_value read_plan(json_t *v, int percentage) {
    struct plan_value p = {.kind = PLAN_NONE};
    json_t *number = v;
    if (json_is_object(v)) {
        p.label = json_string_value(json_object_get(v, "label"));
        p.date = json_string_value(json_object_get(v, "date"));
        p.note = json_string_value(json_object_get(v, "note"));
        if (json_is_true(json_object_get(v, "pending"))) {
            p.kind = PLAN_PENDING;
            return p;
        }
        if (json_is_string(json_object_get(v, "text"))) {
            p.kind = PLAN_TEXT;
            p.text = json_string_value(json_object_get(v, "text"));
            return p;
        }
        number = json_object_get(v, "value");
    } else if (json_is_string(v)) {
        p.kind = PLAN_TEXT;
        p.text = json_string_value(v);
        return p;
    }
    if (json_is_number(number)) {
        p.kind = PLAN_NUMBER;
        p.value = json_number_value(number) / (percentage ? 100.0 : 1.0);
    }
    return p;
}

static int same_dims(json_t *want, json_t *have) {
    return json_is_object(want) && json_object_size(want) == json_object_size(have) &&
           json_equal(want, have);
}

/* The entry of an array of {"period"?, "dims", ...} for this period and
 * breakdown; an entry without a period is for the whole program. */
static json_t *find_entry(json_t *list, const char *period, json_t *dims, int use_period) {
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (!same_dims(json_object_get(e, "dims"), dims))
            continue;
        if (!use_period)
            return e;
        json_t *p = json_object_get(e, "period");
        if (json_is_string(p) ? strcmp(json_string_value(p), period) == 0
                              : !p && strcmp(period, "total") == 0)
            return e;
    }
    return NULL;
}

static struct plan_value target_for(const struct indicator *ind, const char *period, json_t *dims) {
    json_t *def = ind->def;
    if (json_object_size(dims)) {
        json_t *e = find_entry(json_object_get(def, "breakdown_targets"), period, dims, 1);
        return e ? read_plan(e, ind->percentage) : (struct plan_value){.kind = PLAN_NONE};
    }
    json_t *t = json_object_get(json_object_get(def, "targets"), period);
    return read_plan(t, ind->percentage);
}

static struct plan_value baseline_for(const struct indicator *ind, json_t *dims) {
    json_t *b = json_object_get(ind->def, "baseline");
    if (!b)
        return (struct plan_value){.kind = PLAN_NUMBER, .value = 0}; /* none: from zero */
    if (json_object_size(dims)) {
        json_t *e = find_entry(json_object_get(b, "breakdown"), NULL, dims, 0);
        if (e)
            return read_plan(e, ind->percentage);
        struct plan_value total = read_plan(b, ind->percentage);
        /* A baseline of zero is zero for every part; any other is not. */
        if (total.kind == PLAN_NUMBER && total.value == 0)
            return total;
        return (struct plan_value){.kind = PLAN_NONE};
    }
    return read_plan(b, ind->percentage);
}

static void set_display(json_t *j, const char *key, const struct indicator *ind, double v) {
    char *d = tocmp_display(v, 1, ind->percentage, ind->decimals);
    json_object_set_new(j, key, json_string(d));
    free(d);
}

/* Whether v meets the target tv, in the indicator's direction. */
static int meets(const struct indicator *ind, double v, double tv) {
    double tol = 1e-9 * fmax(1.0, fabs(tv));
    return ind->lower_is_better ? v <= tv + tol : v >= tv - tol;
}

/* The share of the way from the baseline b to the target tv that v has
 * come, rounded to nine decimals. */
static double progress_of(const struct indicator *ind, double v, double tv, double b) {
    double progress;
    if (tv != b)
        progress = (v - b) / (tv - b);
    else if (meets(ind, v, tv))
        progress = 1; /* a level to hold, held */
    else              /* a level to hold, lost: how much of it is left */
        progress = ind->lower_is_better ? (v != 0 ? tv / v : 0) : (tv != 0 ? v / tv : 0);
    return tidy(progress);
}

/* "% of target" into *out: the figure as a share of the target, as IPTTs
 * show it; for a lower-is-better indicator, the share of the planned
 * reduction achieved (progress from the baseline), because 16 days against
 * a target of 10 is not "160 %" of anything. 0 when there is none (a target
 * of 0; a reduction without a baseline), else 1. */
static int percent_of(const struct indicator *ind, double v, double tv, const struct plan_value *b,
                      double *out) {
    if (!ind->lower_is_better) {
        *out = tv != 0 ? tidy(v / tv * 100) : 0;
        return tv != 0;
    }
    if (b->kind != PLAN_NUMBER)
        return 0;
    *out = tidy(progress_of(ind, v, tv, b->value) * 100);
    return 1;
}

void tocmp_add_status(struct ctx *c, const struct indicator *ind, const struct cell *cell) {
    tocmp_add_status_at(c, ind, tocmp_period_name(ind, cell->period), &cell->r, cell->json);
}

void tocmp_add_status_at(struct ctx *c, const struct indicator *ind, const char *period,
                         const struct tocm_calc_result *r, json_t *j) {
    json_t *dims = json_object_get(j, "dims");
    struct plan_value t = target_for(ind, period, dims);
    if (t.kind == PLAN_NONE && strcmp(period, "total") == 0 && !json_object_size(dims)) {
        /* The total column against the life-of-program target: how much
         * of it is done to date, with no status (the program is not over). */
        struct plan_value lop = read_plan(json_object_get(ind->def, "lop_target"), ind->percentage);
        struct plan_value b = baseline_for(ind, dims);
        double pct;
        if (lop.kind == PLAN_NUMBER && r->has_value &&
            percent_of(ind, r->value, lop.value, &b, &pct))
            json_object_set_new(j, "percent_of_lop_target", json_real(pct));
        return;
    }
    if (t.kind == PLAN_NONE)
        return;
    if (t.label)
        json_object_set_new(j, "target_label", json_string(t.label));
    if (t.date)
        json_object_set_new(j, "target_date", json_string(t.date));
    if (t.note)
        json_object_set_new(j, "target_note", json_string(t.note));
    if (t.kind == PLAN_PENDING) {
        json_object_set_new(j, "target", json_null());
        json_object_set_new(j, "target_display", json_string("pending"));
        json_object_set_new(j, "status", json_string("target pending"));
        return;
    }
    if (t.kind == PLAN_TEXT) {
        json_object_set_new(j, "target", json_string(t.text));
        json_object_set_new(j, "target_display", json_string(t.text));
        /* A qualitative result is judged by the team, in the results table. */
        const char *assessed = json_string_value(json_object_get(j, "assessed"));
        const char *note = json_string_value(json_object_get(j, "note"));
        /* Without a text of its own (a total over breakdown values) it is
         * not assessed; not reported only when the entries are missing. */
        int missing =
            !json_object_get(j, "text") && (!note || strncmp(note, "not reported", 12) == 0);
        json_object_set_new(j, "status",
                            json_string(assessed && *assessed ? assessed
                                        : missing             ? "not reported"
                                                              : "not assessed"));
        return;
    }
    double tv = t.value;
    json_object_set_new(j, "target", json_real(tv));
    set_display(j, "target_display", ind, tv);
    struct plan_value b = baseline_for(ind, dims);
    if (b.kind == PLAN_NUMBER)
        json_object_set_new(j, "baseline", json_real(b.value));
    if (!r->has_value) {
        json_object_set_new(j, "status", json_string("not reported"));
        return;
    }
    double v = r->value;
    double pct;
    if (percent_of(ind, v, tv, &b, &pct))
        json_object_set_new(j, "percent_of_target", json_real(pct));
    int met = meets(ind, v, tv);
    const char *status;
    if (b.kind != PLAN_NUMBER) {
        /* Without a baseline there is no way to say how far along it is. */
        json_object_set_new(j, "progress", json_null());
        status = met ? "achieved" : b.kind == PLAN_PENDING ? "baseline pending" : "no baseline";
    } else {
        double progress = progress_of(ind, v, tv, b.value);
        json_object_set_new(j, "progress", json_real(progress));
        status = met || progress >= ind->achieved ? "achieved"
                 : progress >= ind->on_track      ? "on track"
                                                  : "off track";
    }
    json_object_set_new(j, "status", json_string(status));
    (void)c;
}

/* The members a cell's figure decides: cleared before another figure takes
 * its place, so that no reason, status or share of the old one stays. */
static void clear_figure(json_t *j) {
    static const char *const stale[] = {
        "note",           "due",          "status",      "progress",    "percent_of_target",
        "baseline",       "target",       "parts",       "numerator",   "denominator",
        "target_display", "target_label", "target_date", "target_note", "percent_of_lop_target",
    };
    for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++)
        json_object_del(j, stale[i]);
}

void tocmp_cell_refigure(struct ctx *c, const struct indicator *ind, json_t *j, const char *period,
                         const struct tocm_calc_result *r) {
    clear_figure(j);
    json_object_set_new(j, "value", r->has_value ? json_real(r->value) : json_null());
    if (r->has_ratio) {
        json_object_set_new(j, "numerator", json_real(r->numerator));
        json_object_set_new(j, "denominator", json_real(r->denominator));
    }
    char *display = tocmp_display(r->value, r->has_value, ind->percentage, ind->decimals);
    json_object_set_new(j, "display", json_string(display));
    free(display);
    if (r->part_count) {
        json_t *parts = json_object();
        for (size_t p = 0; p < r->part_count && p < TOCM_CALC_MAX_PARTS; p++)
            json_object_set_new(parts, r->parts[p].name, json_real(r->parts[p].value));
        json_object_set_new(j, "parts", parts);
    }
    if (r->note[0])
        json_object_set_new(j, "note", json_string(r->note));
    tocmp_add_status_at(c, ind, period, r, j);
}

/* A cell's key among its indicator's: breakdown, period and value ranks. */
static char *latest_key(const struct indicator *ind, unsigned mask, long period,
                        const size_t *dims) {
    tocmp_buf b = {0};
    tocmp_buf_printf(&b, "%u/%ld", mask, period);
    for (size_t d = 0; d < ind->dim_count; d++)
        if (mask & (1u << d))
            tocmp_buf_printf(&b, "/%zu", dims[d]);
    return b.data;
}

void tocmp_latest_fill(struct ctx *c, struct indicator *ind) {
    if (ind->aggregation != AGG_LATEST || ind->qualitative || ind->periods.count < 2)
        return;
    /* The last period with rows: later ones are plan only (with zero_fill
     * their 0 is no figure reported). */
    long last = -1;
    json_t *index = json_object();
    for (size_t i = 0; i < ind->cell_count; i++) {
        const struct cell *cell = &ind->cells[i];
        if (!cell->json || cell->period < 0)
            continue;
        if (json_integer_value(json_object_get(cell->json, "rows")) > 0 && cell->period > last)
            last = cell->period;
        char *key = latest_key(ind, cell->mask, cell->period, cell->dims);
        json_object_set_new(index, key, json_integer((json_int_t)i));
        free(key);
    }
    for (size_t i = 0; i < ind->cell_count && last >= 0; i++) {
        struct cell *total = &ind->cells[i];
        if (!total->json || total->period >= 0)
            continue;
        /* The same breakdown's last period with a figure. */
        const struct cell *from = NULL;
        for (long p = last; p >= 0 && !from; p--) {
            char *key = latest_key(ind, total->mask, p, total->dims);
            json_t *at = json_object_get(index, key);
            free(key);
            const struct cell *have = at ? &ind->cells[json_integer_value(at)] : NULL;
            if (have && have->r.has_value)
                from = have;
        }
        if (!from)
            continue;
        const char *period = tocmp_period_name(ind, from->period);
        if (!total->r.has_value) {
            /* The last period's figure is missing (an empty value, a
             * calculator with nothing to give, no rows for this breakdown):
             * the latest figure there is stands, with its period named. */
            total->r = from->r;
            json_object_set(total->json, "rows", json_object_get(from->json, "rows"));
            tocmp_cell_refigure(c, ind, total->json, "total", &total->r);
        }
        json_object_set_new(total->json, "latest_period", json_string(period));
    }
    json_decref(index);
}
