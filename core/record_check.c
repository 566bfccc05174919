/*
 * record_check.c -- one record of `tocm record` checked before anything
 * changes: the period is one of the indicator's, every breakdown of the
 * indicator is given and no other, a country is one of the program's, the
 * value is of the indicator's measure, texts are valid UTF-8 on one line,
 * and each cell is of its table column's type. Every problem is listed,
 * not only the first, so a bulk file can be mended in one go.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "util.h"

/* ---- problems -------------------------------------------------------------- */

void tocmp_record_problem(struct recording *c, const tocm_record *r, const char *column,
                          const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *why = tocmp_vasprintf(fmt, ap);
    va_end(ap);
    tocm_diags_add(c->problems, TOCM_SEV_ERROR, "E420", c->from ? c->from : "", (int)r->line, 0,
                   column, c->id, "%s", why);
    free(why);
    c->bad++;
}

/* "a, b and c" from the keys of a set, or of an array of strings. new. */
static char *list_words(json_t *set) {
    tocmp_buf b = {0};
    size_t n = json_is_array(set) ? json_array_size(set) : json_object_size(set), i = 0;
    const char *key;
    json_t *v;
    if (json_is_array(set)) {
        size_t k;
        json_array_foreach(set, k, v) {
            tocmp_buf_printf(&b, "%s%s",
                             i == 0       ? ""
                             : i + 1 == n ? " and "
                                          : ", ",
                             json_is_string(v) ? json_string_value(v) : "?");
            i++;
        }
    } else {
        json_object_foreach(set, key, v) {
            tocmp_buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", key);
            i++;
        }
    }
    return b.data ? b.data : tocmp_xstrdup("none");
}

/* ---- checking a value ---------------------------------------------------------- */

static int has_control(const char *s) {
    for (; *s;) {
        size_t len;
        long cp;
        if (tocmp_char_is_control(s, &len, &cp))
            return 1;
        s += len;
    }
    return 0;
}

static int is_number(const char *s) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    return *s && end != s && !*end && !errno && isfinite(v) && !strpbrk(s, "xXnNiI");
}

int tocmp_record_is_integer(const char *s) {
    const char *p = s + (*s == '-' || *s == '+');
    if (!*p || strlen(p) > 18)
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

/* The type the table's definition gives column name. */
const char *tocmp_record_col_type(const struct recording *c, const char *name) {
    const char *t = tocmp_edit_str_member(json_object_get(c->table_def, "columns"), name);
    return t ? t : "text";
}

/* Checks a text cell (the period, a breakdown, a comment...). */
static int text_ok(struct recording *c, const tocm_record *r, const char *column,
                   const char *text) {
    if (!tocmp_edit_is_utf8(text)) {
        tocmp_record_problem(c, r, column, "%s is not valid UTF-8 text", column);
        return 0;
    }
    if (has_control(text)) {
        tocmp_record_problem(
            c, r, column,
            "%s holds a line break or another control character; write it on one line", column);
        return 0;
    }
    return 1;
}

/* Checks text against the table's type for column. */
static int type_ok(struct recording *c, const tocm_record *r, const char *column,
                   const char *text) {
    const char *type = tocmp_record_col_type(c, column);
    if (strcmp(type, "integer") == 0 && !tocmp_record_is_integer(text)) {
        tocmp_record_problem(c, r, column,
                             "%s '%s' is not a whole number, as the table's column '%s' holds",
                             column, text, column);
        return 0;
    }
    if (strcmp(type, "decimal") == 0 && !is_number(text)) {
        tocmp_record_problem(c, r, column,
                             "%s '%s' is not a number, as the table's column '%s' holds", column,
                             text, column);
        return 0;
    }
    return 1;
}

const char *tocmp_record_dim_value(const tocm_record *r, const char *key) {
    for (size_t i = 0; i < r->dim_count; i++)
        if (strcmp(r->dim_keys[i], key) == 0)
            return r->dim_values[i];
    return NULL;
}

void tocmp_record_check(struct recording *c, const tocm_record *r) {
    const char *period = r->period ? r->period : "";
    int ok = 1;
    if (!*period) {
        tocmp_record_problem(c, r, c->period_col, "the period is missing");
        ok = 0;
    } else if (text_ok(c, r, c->period_col, period)) {
        if (json_object_size(c->periods) && !json_object_get(c->periods, period)) {
            char *valid = list_words(c->periods);
            tocmp_record_problem(c, r, c->period_col,
                                 "period '%s' is not one of indicator '%s''s periods: %s", period,
                                 c->id, valid);
            free(valid);
            ok = 0;
        } else {
            ok &= type_ok(c, r, c->period_col, period);
        }
    } else {
        ok = 0;
    }
    for (size_t i = 0; i < r->dim_count; i++) {
        const char *key = r->dim_keys[i];
        size_t k;
        for (k = 0; k < c->dim_count && strcmp(c->dims[k], key) != 0; k++)
            ;
        if (k == c->dim_count) {
            if (c->dim_count) {
                json_t *dims = json_object_get(c->ind, "disaggregate");
                char *valid = list_words(dims);
                tocmp_record_problem(
                    c, r, key, "indicator '%s' is not broken down by '%s'; its breakdowns: %s",
                    c->id, key, valid);
                free(valid);
            } else {
                tocmp_record_problem(
                    c, r, key, "indicator '%s' is not broken down by '%s' (it has no breakdown)",
                    c->id, key);
            }
            ok = 0;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(r->dim_keys[j], key) == 0) {
                tocmp_record_problem(c, r, key, "the breakdown '%s' is given twice", key);
                ok = 0;
            }
        }
    }
    for (size_t k = 0; k < c->dim_count; k++) {
        const char *v = tocmp_record_dim_value(r, c->dims[k]);
        if (!v || !*v) {
            if (r->line)
                tocmp_record_problem(
                    c, r, c->dims[k],
                    "indicator '%s' is broken down by %s: the figure needs its %s (the "
                    "column '%s' is empty)",
                    c->id, c->dims[k], c->dims[k], c->dims[k]);
            else
                tocmp_record_problem(
                    c, r, c->dims[k],
                    "indicator '%s' is broken down by %s: the figure needs its %s (--dim "
                    "%s=VALUE)",
                    c->id, c->dims[k], c->dims[k], c->dims[k]);
            ok = 0;
            continue;
        }
        if (!text_ok(c, r, c->dims[k], v)) {
            ok = 0;
            continue;
        }
        if (strcmp(c->dims[k], "country") == 0 && json_array_size(c->countries) &&
            tocmp_edit_find_string(c->countries, v) < 0) {
            char *valid = list_words(c->countries);
            tocmp_record_problem(c, r, c->dims[k],
                                 "country '%s' is not one of the program's countries: %s", v,
                                 valid);
            free(valid);
            ok = 0;
            continue;
        }
        ok &= type_ok(c, r, c->dims[k], v);
    }
    const char *value = r->value ? r->value : "";
    const char *comment = r->comment ? r->comment : "";
    if (!*value) {
        if (!*comment) {
            tocmp_record_problem(
                c, r, "value",
                "the value is missing: a figure not reported needs a comment saying why "
                "(--comment)");
            ok = 0;
        }
    } else if (c->qualitative) {
        ok &= text_ok(c, r, "value", value);
    } else if (!is_number(value)) {
        size_t n = strlen(value);
        const char *hint = strchr(value, ',')         ? " (10000, not 10,000)"
                           : n && value[n - 1] == '%' ? " (54 for 54 %)"
                                                      : "";
        const char *unit = tocmp_edit_str_member(c->ind, "unit");
        char *what = strcmp(c->measure, "unit") == 0 && unit
                         ? tocmp_asprintf("counts %s", unit)
                         : tocmp_asprintf("is of measure '%s'", c->measure);
        tocmp_record_problem(c, r, "value",
                             "value '%s' is not a number; indicator '%s' %s: write a number%s",
                             value, c->id, what, hint);
        free(what);
        ok = 0;
    }
    if (r->status && *r->status && !c->qualitative) {
        tocmp_record_problem(
            c, r, "status",
            "a status is a qualitative indicator's own assessment; indicator '%s' measures %s, "
            "so its status comes from its targets",
            c->id, c->measure);
        ok = 0;
    }
    if (*comment)
        ok &= text_ok(c, r, "comment", comment);
    if (r->source && *r->source)
        ok &= text_ok(c, r, "source", r->source);
    if (r->status && *r->status)
        ok &= text_ok(c, r, "status", r->status);
    (void)ok;
}
