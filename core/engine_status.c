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
#include <string.h>

#include "engine_parts.h"
#include "model_internal.h"

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

void tocmp_add_status(struct ctx *c, const struct indicator *ind, const struct cell *cell) {
    json_t *j = cell->json;
    const char *period = tocmp_period_name(ind, cell->period);
    json_t *dims = json_object_get(j, "dims");
    struct plan_value t = target_for(ind, period, dims);
    if (t.kind == PLAN_NONE && strcmp(period, "total") == 0 && !json_object_size(dims)) {
        /* The total column against the life-of-program target: how much
         * of it is done to date, with no status (the program is not over). */
        struct plan_value lop = read_plan(json_object_get(ind->def, "lop_target"), ind->percentage);
        if (lop.kind == PLAN_NUMBER && cell->r.has_value && lop.value != 0)
            json_object_set_new(j, "percent_of_lop_target",
                                json_real(tidy(cell->r.value / lop.value * 100)));
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
        json_object_set_new(j, "status",
                            json_string(assessed && *assessed        ? assessed
                                        : json_object_get(j, "text") ? "not assessed"
                                                                     : "not reported"));
        return;
    }
    double tv = t.value;
    json_object_set_new(j, "target", json_real(tv));
    set_display(j, "target_display", ind, tv);
    struct plan_value b = baseline_for(ind, dims);
    if (b.kind == PLAN_NUMBER)
        json_object_set_new(j, "baseline", json_real(b.value));
    if (!cell->r.has_value) {
        json_object_set_new(j, "status", json_string("not reported"));
        return;
    }
    double v = cell->r.value;
    if (tv != 0)
        json_object_set_new(j, "percent_of_target", json_real(tidy(v / tv * 100)));
    double tol = 1e-9 * fmax(1.0, fabs(tv));
    int met = ind->lower_is_better ? v <= tv + tol : v >= tv - tol;
    const char *status;
    if (b.kind != PLAN_NUMBER) {
        /* Without a baseline there is no way to say how far along it is. */
        json_object_set_new(j, "progress", json_null());
        status = met ? "achieved" : b.kind == PLAN_PENDING ? "baseline pending" : "no baseline";
    } else {
        double progress;
        if (tv != b.value)
            progress = (v - b.value) / (tv - b.value);
        else if (met)
            progress = 1; /* a level to hold, held */
        else              /* a level to hold, lost: how much of it is left */
            progress = ind->lower_is_better ? (v != 0 ? tv / v : 0) : (tv != 0 ? v / tv : 0);
        progress = tidy(progress);
        json_object_set_new(j, "progress", json_real(progress));
        status = met || progress >= ind->achieved ? "achieved"
                 : progress >= ind->on_track      ? "on track"
                                                  : "off track";
    }
    json_object_set_new(j, "status", json_string(status));
    (void)c;
}
