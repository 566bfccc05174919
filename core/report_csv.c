/*
 * report_csv.c -- a computed report as CSV: one line per cell, a column per
 * dimension used by any indicator.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "report_print.h"

/* CSV: one line per cell, a column per dimension used by any indicator. */
static void csv_field(FILE *out, const char *s) {
    if (!s)
        s = "";
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void csv_number(FILE *out, json_t *v) {
    if (json_is_number(v))
        fprintf(out, "%.17g", json_number_value(v));
}

void tocmp_report_print_csv(FILE *out, json_t *report) {
    json_t *all_dims = json_array();
    size_t i, k;
    json_t *ind, *d;
    json_array_foreach(json_object_get(report, "indicators"), i, ind) {
        json_array_foreach(json_object_get(ind, "dimensions"), k, d) {
            size_t j;
            json_t *e;
            int seen = 0;
            json_array_foreach(all_dims, j, e) seen |= json_equal(e, d);
            if (!seen)
                json_array_append(all_dims, d);
        }
    }
    fputs("indicator,title,measure,period", out);
    json_array_foreach(all_dims, k, d) {
        fputc(',', out);
        csv_field(out, json_string_value(d));
    }
    fputs(",value,numerator,denominator,display,target,status\n", out);
    json_array_foreach(json_object_get(report, "indicators"), i, ind) {
        size_t c;
        json_t *cell;
        json_array_foreach(json_object_get(ind, "cells"), c, cell) {
            csv_field(out, json_string_value(json_object_get(ind, "id")));
            fputc(',', out);
            csv_field(out, json_string_value(json_object_get(ind, "title")));
            fputc(',', out);
            csv_field(out, json_string_value(json_object_get(ind, "measure")));
            fputc(',', out);
            csv_field(out, json_string_value(json_object_get(cell, "period")));
            json_array_foreach(all_dims, k, d) {
                fputc(',', out);
                csv_field(out, json_string_value(json_object_get(json_object_get(cell, "dims"),
                                                                 json_string_value(d))));
            }
            fputc(',', out);
            csv_number(out, json_object_get(cell, "value"));
            fputc(',', out);
            csv_number(out, json_object_get(cell, "numerator"));
            fputc(',', out);
            csv_number(out, json_object_get(cell, "denominator"));
            fputc(',', out);
            csv_field(out, json_string_value(json_object_get(cell, "display")));
            fputc(',', out);
            csv_number(out, json_object_get(cell, "target"));
            fputc(',', out);
            csv_field(out, json_string_value(json_object_get(cell, "status")));
            fputc('\n', out);
        }
    }
    json_decref(all_dims);
}
