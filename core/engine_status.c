/*
 * engine_status.c -- target status: how a total compares with the
 * indicator's target for its period, measured from the baseline, against
 * the model's thresholds ("status": {"thresholds": ...}).
 */
#include <string.h>

#include "engine_parts.h"
#include "model_internal.h"

/* The status of a total cell against the indicator's target for its period. */
void tocmp_add_status(struct ctx *c, const struct indicator *ind, const struct cell *cell) {
    json_t *targets = json_object_get(ind->def, "targets");
    json_t *target = json_object_get(targets, tocmp_period_name(ind, cell->period));
    if (!json_is_number(target))
        return;
    double t = json_number_value(target);
    json_object_set_new(cell->json, "target", json_real(t));
    if (!cell->r.has_value) {
        json_object_set_new(cell->json, "status", json_string("no data"));
        return;
    }
    json_t *baseline = json_object_get(json_object_get(ind->def, "baseline"), "value");
    double b = json_is_number(baseline) ? json_number_value(baseline) : 0;
    double on_track = c->m->status.on_track, achieved = c->m->status.achieved;
    double v = cell->r.value;
    const char *status;
    if (ind->lower_is_better ? v <= t : v >= t) {
        status = "achieved";
    } else {
        /* How far from the baseline towards the target we have come. */
        double progress = t != b ? (v - b) / (t - b) : 0;
        status = progress >= achieved   ? "achieved"
                 : progress >= on_track ? "on track"
                                        : "off track";
        json_object_set_new(cell->json, "progress", json_real(progress));
    }
    json_object_set_new(cell->json, "status", json_string(status));
}
