/*
 * report_csv.c -- a computed report as tidy CSV tables: the IPTT (a row per
 * indicator x period x breakdown), the checks, the roll-up and the
 * indicators not computed, each with the same columns whatever the report
 * holds, so a spreadsheet or a script can rely on them.
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
    if (x == (double)(long long)x && x > -1e15 && x < 1e15) {
        /* A whole number as people write it: 10, not 1e+01. */
        snprintf(buf, sizeof buf, "%lld", (long long)x);
        fputs(strcmp(buf, "-0") == 0 ? "0" : buf, out);
        return;
    }
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

/* One row: fields written as given, in order, with commas between. */
struct row {
    FILE *out;
    int first;
};

static void text(struct row *r, const char *s) {
    if (!r->first)
        fputc(',', r->out);
    r->first = 0;
    csv_field(r->out, s);
}

static void number(struct row *r, json_t *v) {
    if (!r->first)
        fputc(',', r->out);
    r->first = 0;
    if (json_is_string(v))
        csv_field(r->out, json_string_value(v)); /* a qualitative target */
    else
        csv_number(r->out, v);
}

static void end_row(struct row *r) {
    fputc('\n', r->out);
    r->first = 1;
}

static void header(struct row *r, const char *const *names) {
    for (; *names; names++)
        text(r, *names);
    end_row(r);
}

static const char *str(json_t *o, const char *key) {
    return json_string_value(json_object_get(o, key));
}

/* The IPTT: a row per indicator x period x breakdown, the indicators in
 * the order of the results chain, each with the result it is placed under;
 * then a row per indicator that could not be computed. */
static void print_iptt(struct row *r, json_t *report) {
    static const char *const columns[] = {"level",
                                          "node",
                                          "indicator",
                                          "title",
                                          "measure",
                                          "unit",
                                          "period",
                                          "breakdown",
                                          "baseline",
                                          "target",
                                          "target_label",
                                          "actual",
                                          "actual_text",
                                          "numerator",
                                          "denominator",
                                          "display",
                                          "percent_of_target",
                                          "progress",
                                          "status",
                                          "comment",
                                          "source",
                                          "note",
                                          NULL};
    header(r, columns);
    /* The order: as placed along the chain, then the others; a document
     * without a chain in model order. */
    json_t *order = json_array(), *node_of = json_object(), *level_of = json_object();
    size_t i, k;
    json_t *e, *id, *ind;
    json_array_foreach(json_object_get(report, "chain"), i, e) {
        json_array_foreach(json_object_get(e, "indicators"), k, id) {
            json_array_append(order, id);
            json_object_set(node_of, json_string_value(id), json_object_get(e, "node"));
            json_object_set(level_of, json_string_value(id), json_object_get(e, "level"));
        }
    }
    json_array_foreach(json_object_get(report, "other_indicators"), k, id) {
        json_array_append(order, id);
    }
    json_t *by_id = json_object();
    json_array_foreach(json_object_get(report, "indicators"), i, ind) {
        json_object_set(by_id, str(ind, "id"), ind);
        if (!json_object_get(report, "chain"))
            json_array_append(order, json_object_get(ind, "id"));
    }
    json_array_foreach(order, i, id) {
        ind = json_object_get(by_id, json_string_value(id));
        json_t *cell;
        json_array_foreach(json_object_get(ind, "cells"), k, cell) {
            char *breakdown = breakdown_text(json_object_get(cell, "dims"));
            text(r, str(level_of, json_string_value(id)));
            text(r, str(node_of, json_string_value(id)));
            text(r, str(ind, "id"));
            text(r, str(ind, "title"));
            text(r, str(ind, "measure"));
            text(r, str(ind, "unit"));
            text(r, str(cell, "period"));
            text(r, breakdown);
            number(r, json_object_get(cell, "baseline"));
            number(r, json_object_get(cell, "target"));
            text(r, str(cell, "target_label"));
            number(r, json_object_get(cell, "value"));
            text(r, str(cell, "text"));
            number(r, json_object_get(cell, "numerator"));
            number(r, json_object_get(cell, "denominator"));
            text(r, str(cell, "display"));
            json_t *pot = json_object_get(cell, "percent_of_target");
            number(r, pot ? pot : json_object_get(cell, "percent_of_lop_target"));
            number(r, json_object_get(cell, "progress"));
            text(r, str(cell, "status"));
            text(r, str(cell, "comment"));
            text(r, str(cell, "source"));
            text(r, str(cell, "note"));
            end_row(r);
            free(breakdown);
        }
    }
    json_t *f;
    json_array_foreach(json_object_get(report, "failed"), i, f) {
        /* Never silently missing: a row that says why. */
        for (size_t c = 0; columns[c]; c++) {
            const char *name = columns[c];
            text(r, strcmp(name, "indicator") == 0 ? str(f, "indicator")
                    : strcmp(name, "title") == 0   ? str(f, "title")
                    : strcmp(name, "status") == 0  ? "not computed"
                    : strcmp(name, "note") == 0    ? str(f, "message")
                                                   : NULL);
        }
        end_row(r);
    }
    json_decref(order);
    json_decref(node_of);
    json_decref(level_of);
    json_decref(by_id);
}

static void print_checks(struct row *r, json_t *report) {
    static const char *const columns[] = {"kind",     "indicator", "period",  "breakdown",
                                          "reported", "computed",  "display", "source",
                                          "message",  NULL};
    header(r, columns);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "checks"), i, c) {
        char *breakdown = breakdown_text(json_object_get(c, "dims"));
        text(r, str(c, "kind"));
        text(r, str(c, "indicator"));
        text(r, str(c, "period"));
        text(r, breakdown);
        number(r, json_object_get(c, "reported"));
        number(r, json_object_get(c, "computed"));
        text(r, str(c, "display"));
        text(r, str(c, "source"));
        text(r, str(c, "message"));
        end_row(r);
        free(breakdown);
    }
}

/* The roll-up, tidy: a row per node x kind (indicators, projects) x status. */
static void print_rollup(struct row *r, json_t *report) {
    static const char *const columns[] = {"level", "node", "title", "of", "status", "count", NULL};
    header(r, columns);
    static const char *const kinds[] = {"indicators", "projects"};
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(report, "rollup"), i, o) {
        for (size_t k = 0; k < 2; k++) {
            const char *status;
            json_t *count;
            json_object_foreach(json_object_get(o, kinds[k]), status, count) {
                text(r, str(o, "level"));
                text(r, str(o, "node"));
                text(r, str(o, "title"));
                text(r, kinds[k]);
                text(r, status);
                number(r, count);
                end_row(r);
            }
        }
    }
}

static void print_failed(struct row *r, json_t *report) {
    static const char *const columns[] = {"indicator", "table",   "code", "file",
                                          "line",      "message", NULL};
    header(r, columns);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(report, "failed"), i, f) {
        text(r, str(f, "indicator"));
        text(r, str(f, "table"));
        text(r, str(f, "code"));
        text(r, str(f, "file"));
        number(r, json_object_get(f, "line"));
        text(r, str(f, "message"));
        end_row(r);
    }
}

void tocmp_report_print_csv(FILE *out, json_t *report, enum tocm_report_part part) {
    struct row r = {.out = out, .first = 1};
    switch (part) {
    case TOCM_REPORT_PART_CHECKS: print_checks(&r, report); break;
    case TOCM_REPORT_PART_ROLLUP: print_rollup(&r, report); break;
    case TOCM_REPORT_PART_FAILED: print_failed(&r, report); break;
    case TOCM_REPORT_PART_IPTT:
    default: print_iptt(&r, report); break;
    }
}
