/*
 * report_due.c -- which periods are due: a figure is expected once its
 * period has ended. A cell with no figure in a period that ends after the
 * report's as-of date is "not yet due", not "not reported": the 2026
 * milestone of a report written in March 2026 is not missing.
 *
 * The as-of date is the --as-of option, else the model's
 * program.reporting_date, else today (UTC). Giving it makes a report
 * reproducible; tests and the worked example do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model_internal.h"
#include "report_build.h"

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int mo) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return mo == 2 && leap(y) ? 29 : days[mo - 1];
}

/* Reads exactly n digits at s. -1 when they are not all digits. */
static int digits(const char *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static void put_date(char out[11], int y, int mo, int d) {
    char buf[32]; /* room the compiler can see for any int */
    snprintf(buf, sizeof buf, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)mo % 100u,
             (unsigned)d % 100u);
    memcpy(out, buf, 10);
    out[10] = '\0';
}

int tocmp_period_end(const char *p, char out[11]) {
    size_t len = strlen(p);
    int y = len >= 4 ? digits(p, 4) : -1;
    if (y < 0)
        return -1;
    if (len == 4) { /* 2025 */
        put_date(out, y, 12, 31);
        return 0;
    }
    const char *rest = p + 4 + (p[4] == '-');
    size_t rl = strlen(rest);
    if (rl == 2 && (rest[0] == 'Q' || rest[0] == 'q') && rest[1] >= '1' && rest[1] <= '4') {
        int mo = (rest[1] - '0') * 3; /* 2025-Q3, 2025Q3 */
        put_date(out, y, mo, month_days(y, mo));
        return 0;
    }
    if (rl == 2 && (rest[0] == 'H' || rest[0] == 'h' || rest[0] == 'S' || rest[0] == 's') &&
        (rest[1] == '1' || rest[1] == '2')) {
        int mo = rest[1] == '1' ? 6 : 12; /* 2025-H1, 2025-S2 */
        put_date(out, y, mo, month_days(y, mo));
        return 0;
    }
    if (p[4] != '-')
        return -1;
    int mo = rl >= 2 ? digits(rest, 2) : -1;
    if (mo < 1 || mo > 12)
        return -1;
    if (rl == 2) { /* 2025-06 */
        put_date(out, y, mo, month_days(y, mo));
        return 0;
    }
    int d = rl == 5 && rest[2] == '-' ? digits(rest + 3, 2) : -1;
    if (d < 1 || d > month_days(y, mo))
        return -1;
    put_date(out, y, mo, d); /* 2025-06-30 */
    return 0;
}

/* Whether s is a date YYYY-MM-DD that exists. */
static int is_date(const char *s) {
    char end[11];
    return s && strlen(s) == 10 && tocmp_period_end(s, end) == 0;
}

int tocmp_as_of(const tocm_model *m, const char *option, char out[11], tocm_diags *d) {
    const char *given = option, *from = "--as-of";
    if (!given) {
        given = json_string_value(
            json_object_get(json_object_get(m->root, "program"), "reporting_date"));
        from = "program.reporting_date";
    }
    if (given) {
        if (!is_date(given)) {
            tocm_diags_add(
                d, TOCM_SEV_ERROR, "E414", m->file, 0, 0, option ? "" : "/program/reporting_date",
                NULL, "%s '%s' is not a date (write YYYY-MM-DD, e.g. 2026-03-31)", from, given);
            return option ? -1 : -2;
        }
        memcpy(out, given, 10);
        out[10] = '\0';
        return 0;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    put_date(out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return 0;
}

void tocmp_mark_not_yet_due(json_t *doc, const char *as_of) {
    size_t i, k;
    json_t *ind, *cell;
    json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
        json_array_foreach(json_object_get(ind, "cells"), k, cell) {
            if (!json_is_null(json_object_get(cell, "value")) || json_object_get(cell, "text"))
                continue;
            const char *period = json_string_value(json_object_get(cell, "period"));
            const char *dated = json_string_value(json_object_get(cell, "target_date"));
            char end[11];
            if (dated && is_date(dated))
                memcpy(end, dated, 11);
            else if (!period || tocmp_period_end(period, end) != 0)
                continue; /* "total", "all", "phase 1": no date to be due by */
            if (strcmp(end, as_of) <= 0)
                continue;
            const char *status = json_string_value(json_object_get(cell, "status"));
            if (status && strcmp(status, "not reported") == 0)
                json_object_set_new(cell, "status", json_string("not yet due"));
            char note[160];
            if (dated)
                snprintf(note, sizeof note, "not yet due: the target is for %s", end);
            else
                snprintf(note, sizeof note, "not yet due: %s ends on %s", period, end);
            json_object_set_new(cell, "note", json_string(note));
            json_object_set_new(cell, "due", json_string(end));
        }
    }
}
