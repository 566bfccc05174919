/*
 * engine.h -- computing indicators: data tables in, a results document out.
 * Private to the library; programs use tocm/report.h.
 */
#ifndef TOCMP_ENGINE_H
#define TOCMP_ENGINE_H

#include <jansson.h>

#include "tocm/host.h"
#include "tocm/report.h"
#include "tocm/tocm.h"

/* Computes the indicators of a valid model that selected marks (by index
 * into the model's indicators; NULL: all). Returns a new JSON document
 *   {"program", "indicators": [{"id", "title", "measure", "unit", "nodes",
 *     "dimensions", "periods", "cells": [{"period", "dims", "value",
 *     "numerator", "denominator", "display", ...}]}],
 *    "checks": [...], "rollup": [...], "failed": [...]}
 * (the shape `tocm report --format json` prints, models/FORMAT.md). An
 * indicator that cannot be computed (a missing or malformed CSV file, an
 * unknown calculator, ...) has its reasons in diags and an entry in
 * "failed" (present only then); the others are computed. NULL when none
 * could be. */
json_t *tocmp_compute_report(const tocm_model *model, const tocm_registry *registry,
                             const tocm_report_options *options, const unsigned char *selected,
                             tocm_diags *diags);

/* A figure as a report prints it: thousands separators, `decimals` places,
 * percentages (fractions) times 100 with a % sign; "–" for no value. new. */
char *tocmp_display(double value, int has_value, int percentage, int decimals);

/* Rounds half away from zero, as people (and the seed report) round. */
double tocmp_round(double value, int decimals);

#endif
