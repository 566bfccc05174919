/*
 * report_csv.c -- a computed report as one tidy CSV table: a row per
 * indicator x period x breakdown, with the same columns whatever the
 * report holds, so a spreadsheet or a script can rely on them.
 *
 * Numbers are written in the shortest form that reads back to the same
 * value (0.1, not 0.10000000000000001). Text cells that a spreadsheet would
 * run as a formula (a leading =, +, -, @, tab or carriage return) are
 * prefixed with an apostrophe, as OWASP advises for CSV injection.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_print.h"

static const char *const columns[] = {
    "indicator",   "title",     "measure",     "unit",         "period",
    "breakdown",   "baseline",  "target",      "target_label", "actual",
    "actual_text", "numerator", "denominator", "display",      "percent_of_target",
    "progress",    "status",    "comment",     "source",       "note",
};

static void csv_field(FILE *out, const char *s) {
    if (!s)
        s = "";
    int guard = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
    if (!guard && !strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    if (guard)
        fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* The shortest %g form that reads back to exactly v. */
static void csv_number(FILE *out, json_t *v) {
    if (!json_is_number(v))
        return;
    double x = json_number_value(v);
    char buf[40];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    fputs(strcmp(buf, "-0") == 0 ? "0" : buf, out);
}

static char *breakdown_text(json_t *dims) {
    size_t len = 1;
    const char *k;
    json_t *v;
    json_object_foreach(dims, k, v) len += strlen(k) + strlen(json_string_value(v)) + 3;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    json_object_foreach(dims, k, v) {
        if (s[0])
            strcat(s, "; ");
        strcat(s, k);
        strcat(s, "=");
        strcat(s, json_string_value(v));
    }
    return s;
}

void tocmp_report_print_csv(FILE *out, json_t *report) {
    size_t ncols = sizeof columns / sizeof columns[0];
    for (size_t c = 0; c < ncols; c++) {
        if (c)
            fputc(',', out);
        fputs(columns[c], out);
    }
    fputc('\n', out);
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(report, "indicators"), i, ind) {
        size_t k;
        json_t *cell;
        json_array_foreach(json_object_get(ind, "cells"), k, cell) {
            char *breakdown = breakdown_text(json_object_get(cell, "dims"));
            json_t *target = json_object_get(cell, "target");
            const char *texts[] = {
                json_string_value(json_object_get(ind, "id")),
                json_string_value(json_object_get(ind, "title")),
                json_string_value(json_object_get(ind, "measure")),
                json_string_value(json_object_get(ind, "unit")),
                json_string_value(json_object_get(cell, "period")),
                breakdown,
            };
            for (size_t t = 0; t < 6; t++) {
                if (t)
                    fputc(',', out);
                csv_field(out, texts[t]);
            }
            fputc(',', out);
            csv_number(out, json_object_get(cell, "baseline"));
            fputc(',', out);
            if (json_is_string(target))
                csv_field(out, json_string_value(target)); /* a qualitative target */
            else
                csv_number(out, target);
            fputc(',', out);
            csv_field(out, json_string_value(json_object_get(cell, "target_label")));
            fputc(',', out);
            csv_number(out, json_object_get(cell, "value"));
            fputc(',', out);
            csv_field(out, json_string_value(json_object_get(cell, "text")));
            fputc(',', out);
            csv_number(out, json_object_get(cell, "numerator"));
            fputc(',', out);
            csv_number(out, json_object_get(cell, "denominator"));
            fputc(',', out);
            csv_field(out, json_string_value(json_object_get(cell, "display")));
            fputc(',', out);
            json_t *pot = json_object_get(cell, "percent_of_target");
            csv_number(out, pot ? pot : json_object_get(cell, "percent_of_lop_target"));
            fputc(',', out);
            csv_number(out, json_object_get(cell, "progress"));
            static const char *const tail[] = {"status", "comment", "source", "note"};
            for (size_t t = 0; t < 4; t++) {
                fputc(',', out);
                csv_field(out, json_string_value(json_object_get(cell, tail[t])));
            }
            fputc('\n', out);
            free(breakdown);
        }
    }
}
