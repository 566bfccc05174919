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

static const char *str(json_t *o, const char *key) {
    return json_string_value(json_object_get(o, key));
}

/* A table's columns, each filled from one member of a row's objects: the
 * row's own item (a cell, a check, a failed indicator), the indicator it
 * belongs to, or its place in the results chain. One writer serves every
 * table, so their quoting and number forms cannot drift apart. */
enum from { ITEM, INDICATOR, PLACE };
enum kind {
    TEXT,      /* a string member */
    NUMBER,    /* a number (or a qualitative target's text) */
    BREAKDOWN, /* the "dims" object as "country=KH; sex=female" */
};
struct column {
    const char *name;
    enum kind kind;
    enum from from;
    const char *key;      /* the member; NULL: the name */
    const char *fallback; /* NUMBER: the member read when key is missing */
};

/* The objects one row is drawn from. */
struct sources {
    json_t *item, *indicator, *place;
};

static void header(struct row *r, const struct column *columns) {
    for (; columns->name; columns++)
        text(r, columns->name);
    end_row(r);
}

static void write_row(struct row *r, const struct column *columns, const struct sources *s) {
    for (; columns->name; columns++) {
        json_t *o = columns->from == ITEM        ? s->item
                    : columns->from == INDICATOR ? s->indicator
                                                 : s->place;
        const char *key = columns->key ? columns->key : columns->name;
        switch (columns->kind) {
        case TEXT: text(r, str(o, key)); break;
        case NUMBER: {
            json_t *v = json_object_get(o, key);
            number(r, v || !columns->fallback ? v : json_object_get(o, columns->fallback));
            break;
        }
        case BREAKDOWN: {
            char *breakdown = breakdown_text(json_object_get(o, key));
            text(r, breakdown);
            free(breakdown);
            break;
        }
        }
    }
    end_row(r);
}

/* A header, then a row per element of items. */
static void write_table(struct row *r, const struct column *columns, json_t *items) {
    header(r, columns);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        struct sources s = {.item = item};
        write_row(r, columns, &s);
    }
}

/* The IPTT: a row per indicator x period x breakdown, the indicators in
 * the order of the results chain, each with the result it is placed under;
 * then a row per indicator that could not be computed. */
static void print_iptt(struct row *r, json_t *report) {
    static const struct column columns[] = {
        {"level", TEXT, PLACE, NULL, NULL},
        {"node", TEXT, PLACE, NULL, NULL},
        {"indicator", TEXT, INDICATOR, "id", NULL},
        {"title", TEXT, INDICATOR, NULL, NULL},
        {"measure", TEXT, INDICATOR, NULL, NULL},
        {"unit", TEXT, INDICATOR, NULL, NULL},
        {"period", TEXT, ITEM, NULL, NULL},
        {"breakdown", BREAKDOWN, ITEM, "dims", NULL},
        {"baseline", NUMBER, ITEM, NULL, NULL},
        {"target", NUMBER, ITEM, NULL, NULL},
        {"target_label", TEXT, ITEM, NULL, NULL},
        {"actual", NUMBER, ITEM, "value", NULL},
        {"actual_text", TEXT, ITEM, "text", NULL},
        {"numerator", NUMBER, ITEM, NULL, NULL},
        {"denominator", NUMBER, ITEM, NULL, NULL},
        {"display", TEXT, ITEM, NULL, NULL},
        {"percent_of_target", NUMBER, ITEM, NULL, "percent_of_lop_target"},
        {"progress", NUMBER, ITEM, NULL, NULL},
        {"status", TEXT, ITEM, NULL, NULL},
        {"comment", TEXT, ITEM, NULL, NULL},
        {"source", TEXT, ITEM, NULL, NULL},
        {"note", TEXT, ITEM, NULL, NULL},
        /* "reported": the figure is the model's printed one, shown where
         * the data gives none; empty for a computed one. Columns are
         * added last, so the ones before keep their places. */
        {"origin", TEXT, ITEM, NULL, NULL},
        /* On the total of a stock (aggregation latest): the period its
         * figure is from. */
        {"latest_period", TEXT, ITEM, NULL, NULL},
        {NULL, TEXT, ITEM, NULL, NULL},
    };
    header(r, columns);
    /* The order: as placed along the chain, then the others; a document
     * without a chain in model order. */
    json_t *order = json_array(), *place_of = json_object();
    size_t i, k;
    json_t *e, *id, *ind;
    json_array_foreach(json_object_get(report, "chain"), i, e) {
        json_array_foreach(json_object_get(e, "indicators"), k, id) {
            json_array_append(order, id);
            json_object_set(place_of, json_string_value(id), e);
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
        struct sources s = {.indicator = json_object_get(by_id, json_string_value(id)),
                            .place = json_object_get(place_of, json_string_value(id))};
        json_array_foreach(json_object_get(s.indicator, "cells"), k, s.item) {
            write_row(r, columns, &s);
        }
    }
    json_t *f;
    json_array_foreach(json_object_get(report, "failed"), i, f) {
        /* Never silently missing: a row that says why. */
        struct sources s = {.indicator =
                                json_pack("{s:O?, s:O?}", "id", json_object_get(f, "indicator"),
                                          "title", json_object_get(f, "title")),
                            .item = json_pack("{s:s, s:O?}", "status", "not computed", "note",
                                              json_object_get(f, "message"))};
        write_row(r, columns, &s);
        json_decref(s.indicator);
        json_decref(s.item);
    }
    json_decref(order);
    json_decref(place_of);
    json_decref(by_id);
}

static void print_checks(struct row *r, json_t *report) {
    static const struct column columns[] = {
        {"kind", TEXT, ITEM, NULL, NULL},       {"indicator", TEXT, ITEM, NULL, NULL},
        {"period", TEXT, ITEM, NULL, NULL},     {"breakdown", BREAKDOWN, ITEM, "dims", NULL},
        {"reported", NUMBER, ITEM, NULL, NULL}, {"computed", NUMBER, ITEM, NULL, NULL},
        {"display", TEXT, ITEM, NULL, NULL},    {"source", TEXT, ITEM, NULL, NULL},
        {"message", TEXT, ITEM, NULL, NULL},    {NULL, TEXT, ITEM, NULL, NULL},
    };
    write_table(r, columns, json_object_get(report, "checks"));
}

/* The roll-up, tidy: a row per node x kind (indicators, projects) x status. */
static void print_rollup(struct row *r, json_t *report) {
    static const struct column columns[] = {
        {"level", TEXT, PLACE, NULL, NULL},
        {"node", TEXT, PLACE, NULL, NULL},
        {"title", TEXT, PLACE, NULL, NULL},
        {"of", TEXT, ITEM, NULL, NULL},
        {"status", TEXT, ITEM, NULL, NULL},
        {"count", NUMBER, ITEM, NULL, NULL},
        /* On a "projects left out" row: the node whose status is not one
         * of status.node_statuses (W206), so it is named, not only counted. */
        {"left_out", TEXT, ITEM, NULL, NULL},
        {NULL, TEXT, ITEM, NULL, NULL},
    };
    header(r, columns);
    static const char *const kinds[] = {"indicators", "projects"};
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(report, "rollup"), i, o) {
        for (size_t k = 0; k < 2; k++) {
            const char *status;
            json_t *count;
            json_object_foreach(json_object_get(o, kinds[k]), status, count) {
                struct sources s = {.place = o,
                                    .item = json_pack("{s:s, s:s, s:O}", "of", kinds[k], "status",
                                                      status, "count", count)};
                write_row(r, columns, &s);
                json_decref(s.item);
            }
        }
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(o, "left_out"), k, e) {
            struct sources s = {.place = o,
                                .item = json_pack("{s:s, s:O, s:i, s:O}", "of", "projects left out",
                                                  "status", json_object_get(e, "status"), "count",
                                                  1, "left_out", json_object_get(e, "node"))};
            write_row(r, columns, &s);
            json_decref(s.item);
        }
    }
}

static void print_failed(struct row *r, json_t *report) {
    static const struct column columns[] = {
        {"indicator", TEXT, ITEM, NULL, NULL}, {"table", TEXT, ITEM, NULL, NULL},
        {"code", TEXT, ITEM, NULL, NULL},      {"file", TEXT, ITEM, NULL, NULL},
        {"line", NUMBER, ITEM, NULL, NULL},    {"message", TEXT, ITEM, NULL, NULL},
        {NULL, TEXT, ITEM, NULL, NULL},
    };
    write_table(r, columns, json_object_get(report, "failed"));
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
