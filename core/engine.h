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

/* Computes every indicator of a valid model. Returns a new JSON document
 *   {"program", "indicators": [{"id", "title", "measure", "unit", "nodes",
 *     "dimensions", "periods", "cells": [{"period", "dims", "value",
 *     "numerator", "denominator", "display", ...}]}],
 *    "checks": [...], "rollup": [...]}
 * (the shape `tocm report --format json` prints), or NULL with the reasons in
 * diags (a missing or malformed CSV file, an unknown calculator, ...). */
json_t *tocmp_compute_report(const tocm_model *model, const tocm_registry *registry,
                             const tocm_report_options *options, tocm_diags *diags);

/* A figure as a report prints it: thousands separators, `decimals` places,
 * percentages (fractions) times 100 with a % sign; "–" for no value. new. */
char *tocmp_display(double value, int has_value, int percentage, int decimals);

/* Rounds half away from zero, as people (and the seed report) round. */
double tocmp_round(double value, int decimals);

#endif
