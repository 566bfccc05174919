/*
 * record.c -- figures entered directly (tocm record): rows of an
 * indicator's results table, written through the edit transaction.
 *
 * Everything is checked before anything changes, and every problem is
 * listed (a bulk file is refused whole, with each bad line): the period is
 * one of the indicator's (its targets', its breakdown targets', the
 * program's years, the table's own), every breakdown column of the
 * indicator is given and no other, a country is one of the program's, the
 * value is of the indicator's measure, and no figure for the same period
 * and breakdown is there already unless it is to be replaced.
 *
 * The table is then rewritten whole: the rows as they were (their texts as
 * read, their order kept), a replaced figure in its place, new ones at the
 * end; cells quoted as RFC 4180 says; new text cells that a spreadsheet
 * would run as a formula (a leading =, +, -, @, tab or CR) prefixed with an
 * apostrophe, as OWASP advises and tocm's report CSV does. The text is read
 * back with the reader the report uses, with the table's column types,
 * before the edit keeps it: what is written is what the report will read.
 * The commit writes it atomically before the model.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* mkstemp */
#endif
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edit_internal.h"
#include "table.h"
#include "util.h"

/* The results table as it will be written. */
struct sheet {
    char **names; /* header */
    size_t cols;
    char ***rows; /* rows[r][c], owned */
    size_t count, cap;
    int bom; /* the file started with a byte-order mark: kept */
};

struct ctx {
    tocm_edit *e;
    const char *id;
    json_t *ind, *table_def;
    const char *table_name; /* owned by `made` or the model */
    char *made_name;        /* a table made for the indicator */
    const char *period_col;
    const char **dims;
    size_t dim_count;
    int qualitative;
    const char *measure;
    json_t *periods; /* the valid periods: an object used as an ordered set */
    json_t *countries;
    struct sheet sheet;
    const char *from;
    tocm_diags *problems;
    size_t bad;
};

static void sheet_free(struct sheet *s) {
    for (size_t r = 0; r < s->count; r++) {
        for (size_t c = 0; c < s->cols; c++)
            free(s->rows[r][c]);
        free(s->rows[r]);
    }
    free(s->rows);
    for (size_t c = 0; c < s->cols; c++)
        free(s->names[c]);
    free(s->names);
}

static long sheet_col(const struct sheet *s, const char *name) {
    for (size_t c = 0; c < s->cols; c++)
        if (strcmp(s->names[c], name) == 0)
            return (long)c;
    return -1;
}

static size_t sheet_add_col(struct sheet *s, const char *name) {
    s->names = tocmp_xrealloc(s->names, (s->cols + 1) * sizeof *s->names);
    s->names[s->cols] = tocmp_xstrdup(name);
    for (size_t r = 0; r < s->count; r++) {
        s->rows[r] = tocmp_xrealloc(s->rows[r], (s->cols + 1) * sizeof *s->rows[r]);
        s->rows[r][s->cols] = tocmp_xstrdup("");
    }
    return s->cols++;
}

static char **sheet_new_row(struct sheet *s) {
    if (s->count == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->rows = tocmp_xrealloc(s->rows, s->cap * sizeof *s->rows);
    }
    char **row = tocmp_xcalloc(s->cols ? s->cols : 1, sizeof *row);
    for (size_t c = 0; c < s->cols; c++)
        row[c] = tocmp_xstrdup("");
    s->rows[s->count++] = row;
    return row;
}

static void put_cell(char **row, long col, const char *text) {
    free(row[col]);
    row[col] = tocmp_xstrdup(text ? text : "");
}

/* ---- problems -------------------------------------------------------------- */

static void problem(struct ctx *c, const tocm_record *r, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void problem(struct ctx *c, const tocm_record *r, const char *column, const char *fmt, ...) {
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

static int is_integer(const char *s) {
    const char *p = s + (*s == '-' || *s == '+');
    if (!*p || strlen(p) > 18)
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

/* The type the table's definition gives column name. */
static const char *col_type(const struct ctx *c, const char *name) {
    const char *t = tocmp_edit_str_member(json_object_get(c->table_def, "columns"), name);
    return t ? t : "text";
}

/* Checks a text cell (the period, a breakdown, a comment...). */
static int text_ok(struct ctx *c, const tocm_record *r, const char *column, const char *text) {
    if (!tocmp_edit_is_utf8(text)) {
        problem(c, r, column, "%s is not valid UTF-8 text", column);
        return 0;
    }
    if (has_control(text)) {
        problem(c, r, column,
                "%s holds a line break or another control character; write it on one line", column);
        return 0;
    }
    return 1;
}

/* Checks text against the table's type for column. */
static int type_ok(struct ctx *c, const tocm_record *r, const char *column, const char *text) {
    const char *type = col_type(c, column);
    if (strcmp(type, "integer") == 0 && !is_integer(text)) {
        problem(c, r, column, "%s '%s' is not a whole number, as the table's column '%s' holds",
                column, text, column);
        return 0;
    }
    if (strcmp(type, "decimal") == 0 && !is_number(text)) {
        problem(c, r, column, "%s '%s' is not a number, as the table's column '%s' holds", column,
                text, column);
        return 0;
    }
    return 1;
}

static const char *dim_value(const tocm_record *r, const char *key) {
    for (size_t i = 0; i < r->dim_count; i++)
        if (strcmp(r->dim_keys[i], key) == 0)
            return r->dim_values[i];
    return NULL;
}

/* The cell a record is for, as a key: the period and the breakdown's
 * values in the indicator's order. new. */
static char *cell_key(const struct ctx *c, const char *period, const char *const *values) {
    tocmp_buf b = {0};
    tocmp_buf_puts(&b, period);
    for (size_t i = 0; i < c->dim_count; i++) {
        tocmp_buf_puts(&b, "\x1f");
        tocmp_buf_puts(&b, values[i] ? values[i] : "");
    }
    return b.data;
}

/* "2024, country KH" for messages. new. */
static char *cell_words(const struct ctx *c, const char *period, const char *const *values) {
    tocmp_buf b = {0};
    tocmp_buf_puts(&b, period);
    for (size_t i = 0; i < c->dim_count; i++)
        tocmp_buf_printf(&b, ", %s %s", c->dims[i], values[i] ? values[i] : "");
    return b.data;
}

/* A figure in a note: 26, "SOP signed" (a text), not reported. new. */
static char *figure_words(const struct ctx *c, const char *value) {
    if (!*value)
        return tocmp_xstrdup("not reported");
    return c->qualitative ? tocmp_asprintf("\"%s\"", value) : tocmp_xstrdup(value);
}

static void check_record(struct ctx *c, const tocm_record *r) {
    const char *period = r->period ? r->period : "";
    int ok = 1;
    if (!*period) {
        problem(c, r, c->period_col, "the period is missing");
        ok = 0;
    } else if (text_ok(c, r, c->period_col, period)) {
        if (json_object_size(c->periods) && !json_object_get(c->periods, period)) {
            char *valid = list_words(c->periods);
            problem(c, r, c->period_col, "period '%s' is not one of indicator '%s''s periods: %s",
                    period, c->id, valid);
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
                problem(c, r, key, "indicator '%s' is not broken down by '%s'; its breakdowns: %s",
                        c->id, key, valid);
                free(valid);
            } else {
                problem(c, r, key,
                        "indicator '%s' is not broken down by '%s' (it has no breakdown)", c->id,
                        key);
            }
            ok = 0;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(r->dim_keys[j], key) == 0) {
                problem(c, r, key, "the breakdown '%s' is given twice", key);
                ok = 0;
            }
        }
    }
    for (size_t k = 0; k < c->dim_count; k++) {
        const char *v = dim_value(r, c->dims[k]);
        if (!v || !*v) {
            if (r->line)
                problem(c, r, c->dims[k],
                        "indicator '%s' is broken down by %s: the figure needs its %s (the "
                        "column '%s' is empty)",
                        c->id, c->dims[k], c->dims[k], c->dims[k]);
            else
                problem(c, r, c->dims[k],
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
            problem(c, r, c->dims[k], "country '%s' is not one of the program's countries: %s", v,
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
            problem(c, r, "value",
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
        problem(c, r, "value", "value '%s' is not a number; indicator '%s' %s: write a number%s",
                value, c->id, what, hint);
        free(what);
        ok = 0;
    }
    if (r->status && *r->status && !c->qualitative) {
        problem(c, r, "status",
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

/* ---- the table -------------------------------------------------------------------- */

static enum tocm_cell_type cell_type(const char *name) {
    if (strcmp(name, "integer") == 0)
        return TOCM_CELL_INTEGER;
    if (strcmp(name, "decimal") == 0)
        return TOCM_CELL_DECIMAL;
    if (strcmp(name, "date") == 0)
        return TOCM_CELL_DATE;
    return TOCM_CELL_TEXT;
}

/* The specs of the table's typed columns (pointing into def). new. */
static struct tocmp_column_spec *specs_of(json_t *def, size_t *n) {
    json_t *cols = json_object_get(def, "columns");
    struct tocmp_column_spec *specs = tocmp_xcalloc(json_object_size(cols) + 1, sizeof *specs);
    const char *key;
    json_t *v;
    *n = 0;
    json_object_foreach(cols, key, v) {
        if (json_is_string(v))
            specs[(*n)++] = (struct tocmp_column_spec){key, cell_type(json_string_value(v))};
    }
    return specs;
}

/* The file's path as the file system takes it: relative to the model. */
static char *data_path(tocm_edit *e, const char *rel) {
    if (rel[0] == '/')
        return tocmp_xstrdup(rel);
    const char *slash = strrchr(e->path, '/');
    if (!slash)
        return tocmp_xstrdup(rel);
    return tocmp_asprintf("%.*s/%s", (int)(slash - e->path), e->path, rel);
}

/* Writes text to a new temporary file; returns its path (new), or NULL
 * with the edit's error set. */
static char *temp_copy(struct ctx *c, const char *text, size_t len) {
    const char *dir = getenv("TMPDIR");
    char *tmp = tocmp_asprintf("%s/tocm-record-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(tmp);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
        tocmp_edit_refuse(c->e, "cannot check the table in %s: %s", tmp, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return NULL;
    }
    close(fd);
    return tmp;
}

/* Reads the existing table into c->sheet: as an earlier record of this edit
 * left it, or from the file. */
static int read_sheet(struct ctx *c, const char *path, const char *shown) {
    char *pending = NULL;
    const char *file = path;
    if (c->e->side_data && strcmp(c->e->side_path, path) == 0) {
        c->sheet.bom = c->e->side_len >= 3 && memcmp(c->e->side_data, "\xEF\xBB\xBF", 3) == 0;
        pending = temp_copy(c, c->e->side_data, c->e->side_len);
        if (!pending)
            return TOCM_EINVALID;
        path = pending;
    }
    size_t n;
    struct tocmp_column_spec *specs = specs_of(c->table_def, &n);
    tocm_diags *d = tocm_diags_new();
    struct tocm_table *t = tocmp_table_load(path, shown, specs, n, d);
    free(specs);
    if (!t) {
        const tocm_diag *first = tocm_diags_get(d, 0);
        tocmp_edit_refuse(c->e, "%s:%d: %s; fix the table first", shown, first ? first->line : 0,
                          first ? first->message : "cannot be read");
        tocm_diags_free(d);
        if (pending) {
            unlink(pending);
            free(pending);
        }
        return TOCM_EINVALID;
    }
    tocm_diags_free(d);
    FILE *f = pending ? NULL : fopen(file, "rb");
    if (pending) {
        unlink(pending);
        free(pending);
    }
    if (f) {
        char head[3];
        c->sheet.bom = fread(head, 1, 3, f) == 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0;
        fclose(f);
    }
    for (size_t col = 0; col < t->column_count; col++)
        sheet_add_col(&c->sheet, t->names[col]);
    for (size_t r = 0; r < t->row_count; r++) {
        char **row = sheet_new_row(&c->sheet);
        for (size_t col = 0; col < t->column_count; col++)
            put_cell(row, (long)col, t->text[tocmp_table_cell(t, r, col)]);
    }
    tocmp_table_free(t);
    return TOCM_OK;
}

/* RFC 4180: quoted when it holds a comma, a quote or a line end, or starts
 * or ends with a space a reader might trim. guard: a text cell that a
 * spreadsheet would run as a formula gets a leading apostrophe. */
static void put_csv(tocmp_buf *b, const char *s, int guard) {
    int quote = *s && (strpbrk(s, ",\"\r\n") || s[0] == ' ' || s[strlen(s) - 1] == ' ');
    if (quote)
        tocmp_buf_puts(b, "\"");
    if (guard && *s && strchr("=+-@\t\r", s[0]))
        tocmp_buf_puts(b, "'");
    for (; *s; s++) {
        if (*s == '"')
            tocmp_buf_puts(b, "\"");
        tocmp_buf_append(b, s, 1);
    }
    if (quote)
        tocmp_buf_puts(b, "\"");
}

/* ---- the indicator and its table ------------------------------------------------------ */

/* "2024" or "2024-01-01", not "2024x". */
static int starts_with_year(const char *s) {
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return s[4] == '\0' || s[4] == '-';
}

/* The periods a figure may be for: the plan's, the program's years, the
 * table's own. */
static void collect_periods(struct ctx *c) {
    c->periods = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(c->ind, "targets"), key, v) {
        json_object_set_new(c->periods, key, json_true());
    }
    size_t i;
    json_array_foreach(json_object_get(c->ind, "breakdown_targets"), i, v) {
        json_t *p = json_object_get(v, "period");
        if (json_is_string(p))
            json_object_set_new(c->periods, json_string_value(p), json_true());
        else if (json_is_integer(p)) {
            char buf[32];
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(p));
            json_object_set_new(c->periods, buf, json_true());
        }
    }
    json_t *period = json_object_get(json_object_get(c->e->doc, "program"), "period");
    const char *start = tocmp_edit_str_member(period, "start");
    const char *end = tocmp_edit_str_member(period, "end");
    if (start && end && strlen(start) >= 4 && strlen(end) >= 4) {
        int a = atoi(start), b = atoi(end);
        /* Years only when the dates start with them (2024, 2024-01-01). */
        if (a >= 1900 && b >= a && b - a <= 100 && starts_with_year(start) &&
            starts_with_year(end)) {
            for (int y = a; y <= b; y++) {
                char buf[16];
                snprintf(buf, sizeof buf, "%d", y);
                json_object_set_new(c->periods, buf, json_true());
            }
        }
    }
    long pc = sheet_col(&c->sheet, c->period_col);
    for (size_t r = 0; pc >= 0 && r < c->sheet.count; r++)
        if (*c->sheet.rows[r][pc])
            json_object_set_new(c->periods, c->sheet.rows[r][pc], json_true());
    /* Sorted, so the list in a message reads in order. */
    size_t n = json_object_size(c->periods);
    const char **keys = tocmp_xcalloc(n + 1, sizeof *keys);
    size_t k = 0;
    json_object_foreach(c->periods, key, v) keys[k++] = key;
    for (size_t x = 1; x < n; x++)
        for (size_t y = x; y > 0 && strcmp(keys[y - 1], keys[y]) > 0; y--) {
            const char *t = keys[y];
            keys[y] = keys[y - 1];
            keys[y - 1] = t;
        }
    json_t *sorted = json_object();
    for (k = 0; k < n; k++)
        json_object_set_new(sorted, keys[k], json_true());
    free(keys);
    json_decref(c->periods);
    c->periods = sorted;
}

/* A table name for an indicator's results: results_ID, with characters
 * other than letters, digits, '-' and '_' as '_', not yet taken. new. */
static char *new_table_name(tocm_edit *e, const char *id) {
    char *base = tocmp_asprintf("results_%s", id);
    for (char *p = base; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            *p = '_';
    json_t *tables = json_object_get(e->doc, "tables");
    char *name = tocmp_xstrdup(base);
    for (int i = 2; json_object_get(tables, name); i++) {
        free(name);
        name = tocmp_asprintf("%s_%d", base, i);
    }
    free(base);
    return name;
}

/* The definition of a new results table for the indicator. new. */
static json_t *new_table_def(struct ctx *c, const char *name) {
    json_t *def = json_object();
    char *path = tocmp_asprintf("data/%s.csv", name);
    json_object_set_new(def, "path", json_string(path));
    free(path);
    const char *title = tocmp_edit_str_member(c->ind, "title");
    char *t = tocmp_asprintf("%s (entered with tocm record)", title ? title : c->id);
    json_object_set_new(def, "title", json_string(t));
    free(t);
    json_t *cols = json_object();
    /* Integer periods when every known one is a year or the like. */
    int integer = 1;
    const char *key;
    json_t *v;
    json_object_foreach(c->periods, key, v) integer &= is_integer(key);
    json_object_set_new(cols, c->period_col, json_string(integer ? "integer" : "text"));
    for (size_t i = 0; i < c->dim_count; i++)
        json_object_set_new(cols, c->dims[i], json_string("text"));
    json_object_set_new(cols, "value", json_string(c->qualitative ? "text" : "decimal"));
    if (c->qualitative)
        json_object_set_new(cols, "status", json_string("text"));
    json_object_set_new(cols, "comment", json_string("text"));
    json_object_set_new(cols, "source", json_string("text"));
    json_object_set_new(def, "columns", cols);
    return def;
}

/* Finds the indicator and what its figures need; makes its table's
 * definition when it has none (not yet in the model). */
static int prepare(struct ctx *c) {
    tocm_edit *e = c->e;
    c->ind = tocmp_edit_find_indicator(e, c->id);
    if (!c->ind)
        return tocmp_edit_refuse(e, "%s has no indicator '%s'", e->path, c->id);
    const char *calc = tocmp_edit_str_member(c->ind, "calculator");
    if (calc && strcmp(calc, "recorded") != 0) {
        const char *table = tocmp_edit_str_member(c->ind, "table");
        return tocmp_edit_refuse(
            e,
            "indicator '%s' is computed by calculator '%s'%s%s%s; tocm record is for indicators "
            "whose figures are entered directly (calculator 'recorded')",
            c->id, calc, table ? " from table '" : "", table ? table : "", table ? "'" : "");
    }
    c->measure = tocmp_edit_str_member(c->ind, "measure");
    if (!c->measure)
        c->measure = "unit";
    c->qualitative = strcmp(c->measure, "qualitative") == 0;
    json_t *dims = json_object_get(c->ind, "disaggregate");
    c->dims = tocmp_xcalloc(json_array_size(dims) + 1, sizeof *c->dims);
    size_t i;
    json_t *v;
    json_array_foreach(dims, i, v) {
        if (json_is_string(v))
            c->dims[c->dim_count++] = json_string_value(v);
    }
    c->countries = json_object_get(json_object_get(e->doc, "program"), "countries");
    c->period_col = tocmp_edit_str_member(c->ind, "period");
    c->table_name = tocmp_edit_str_member(c->ind, "table");
    c->table_def =
        json_object_get(json_object_get(e->doc, "tables"), c->table_name ? c->table_name : "");
    if (json_is_object(c->table_def)) {
        if (!c->period_col)
            return tocmp_edit_refuse(e,
                                     "indicator '%s' has no 'period': every row of its table is "
                                     "one period; name its period column first (tocm set MODEL "
                                     "%s period=year)",
                                     c->id, c->id);
        return TOCM_OK;
    }
    c->table_def = NULL;
    if (!c->period_col)
        c->period_col = "period";
    return TOCM_OK;
}

/* ---- recording -------------------------------------------------------------------------- */

static void ctx_free(struct ctx *c) {
    free(c->dims);
    json_decref(c->periods);
    sheet_free(&c->sheet);
    free(c->made_name);
}

/* The table's text. new. */
/* guard_rows: the new rows; guard_cols: their text columns (a number is
 * never a formula, and -3 must stay -3). */
static char *compose(const struct sheet *s, const unsigned char *guard_rows,
                     const unsigned char *guard_cols, size_t *len) {
    tocmp_buf b = {0};
    if (s->bom)
        tocmp_buf_puts(&b, "\xEF\xBB\xBF");
    for (size_t col = 0; col < s->cols; col++) {
        if (col)
            tocmp_buf_puts(&b, ",");
        put_csv(&b, s->names[col], 0);
    }
    tocmp_buf_puts(&b, "\n");
    for (size_t r = 0; r < s->count; r++) {
        /* A row of one empty cell would read as a blank line, which is no
         * row at all: quote it. */
        if (s->cols == 1 && !*s->rows[r][0]) {
            tocmp_buf_puts(&b, "\"\"\n");
            continue;
        }
        for (size_t col = 0; col < s->cols; col++) {
            if (col)
                tocmp_buf_puts(&b, ",");
            put_csv(&b, s->rows[r][col], guard_rows[r] && guard_cols[col]);
        }
        tocmp_buf_puts(&b, "\n");
    }
    *len = b.len;
    return b.data;
}

/* Reads text back as the report would, with the table's column types. */
static int read_back(struct ctx *c, const char *text, size_t len, const char *shown) {
    char *tmp = temp_copy(c, text, len);
    if (!tmp)
        return TOCM_EINVALID;
    size_t n;
    struct tocmp_column_spec *specs = specs_of(c->table_def, &n);
    tocm_diags *d = tocm_diags_new();
    struct tocm_table *t = tocmp_table_load(tmp, shown, specs, n, d);
    int rc = TOCM_OK;
    if (!t) {
        const tocm_diag *first = tocm_diags_get(d, 0);
        rc = tocmp_edit_refuse(c->e, "the new %s would not read back (%s)", shown,
                               first ? first->message : "?");
    }
    tocmp_table_free(t);
    tocm_diags_free(d);
    free(specs);
    unlink(tmp);
    free(tmp);
    return rc;
}

int tocm_edit_record(tocm_edit *e, const char *id, const tocm_record *records, size_t count,
                     int flags, const char *from, tocm_diags *problems) {
    struct ctx c = {.e = e, .id = id, .from = from, .problems = problems};
    int rc = prepare(&c);
    if (rc != TOCM_OK) {
        ctx_free(&c);
        return rc;
    }
    json_t *made = NULL;
    char *rel = NULL, *path = NULL, *shown = NULL;
    unsigned char *guard = NULL;
    struct stat st;
    int exists = 0;
    if (!c.table_def) {
        collect_periods(&c);
        c.made_name = c.table_name ? tocmp_xstrdup(c.table_name) : new_table_name(e, id);
        made = new_table_def(&c, c.made_name);
        c.table_def = made;
    }
    if (json_object_get(c.table_def, "database") || !tocmp_edit_str_member(c.table_def, "path")) {
        /* tocm record writes CSV files; a database keeps its own rows. */
        rc = tocmp_edit_refuse(e,
                               "indicator '%s' reads a table in a database; record its "
                               "figures there, not with tocm record",
                               id);
        goto out;
    }
    rel = tocmp_xstrdup(tocmp_edit_str_member(c.table_def, "path"));
    path = data_path(e, rel);
    shown = tocmp_xstrdup(path);
    exists = stat(path, &st) == 0;
    if (made && exists) {
        rc = tocmp_edit_refuse(e,
                               "%s is there already, but no table of the model names it; name it "
                               "in 'tables' and in indicator '%s' ('table'), or move it away",
                               shown, id);
        goto out;
    }
    if (exists) {
        if (read_sheet(&c, path, shown) != TOCM_OK) {
            rc = TOCM_EINVALID;
            goto out;
        }
    }
    /* The columns tocm record writes; a file without its period, breakdown
     * or value column is not a results table. */
    const char *needed[3 + 64];
    size_t nn = 0;
    needed[nn++] = c.period_col;
    for (size_t i = 0; i < c.dim_count && nn < 64; i++)
        needed[nn++] = c.dims[i];
    needed[nn++] = "value";
    for (size_t i = 0; i < nn; i++) {
        if (sheet_col(&c.sheet, needed[i]) >= 0)
            continue;
        if (exists) {
            rc = tocmp_edit_refuse(e,
                                   "%s has no column '%s', so it is not a results table of "
                                   "indicator '%s' (tocm record writes %s, the breakdown, value, "
                                   "comment and source)",
                                   shown, needed[i], id, c.period_col);
            goto out;
        }
        sheet_add_col(&c.sheet, needed[i]);
    }
    if (!made)
        collect_periods(&c);
    if (c.qualitative && sheet_col(&c.sheet, "status") < 0)
        sheet_add_col(&c.sheet, "status");
    if (sheet_col(&c.sheet, "comment") < 0)
        sheet_add_col(&c.sheet, "comment");
    if (sheet_col(&c.sheet, "source") < 0)
        sheet_add_col(&c.sheet, "source");

    /* The cells already in the table, and those of earlier records. */
    long pc = sheet_col(&c.sheet, c.period_col);
    long *dc = tocmp_xcalloc(c.dim_count + 1, sizeof *dc);
    for (size_t k = 0; k < c.dim_count; k++)
        dc[k] = sheet_col(&c.sheet, c.dims[k]);
    const char **values = tocmp_xcalloc(c.dim_count + 1, sizeof *values);
    json_t *had = json_object(); /* cell key -> row index */
    size_t old_rows = c.sheet.count;
    for (size_t r = 0; r < old_rows; r++) {
        for (size_t k = 0; k < c.dim_count; k++)
            values[k] = c.sheet.rows[r][dc[k]];
        char *key = cell_key(&c, c.sheet.rows[r][pc], values);
        if (!json_object_get(had, key))
            json_object_set_new(had, key, json_integer((json_int_t)r));
        free(key);
    }
    json_t *seen = json_object(); /* cell key -> index of the record */
    size_t *target_row = tocmp_xcalloc(count + 1, sizeof *target_row);
    for (size_t i = 0; i < count; i++) {
        const tocm_record *r = &records[i];
        /* Each record's problems together, in the file's order. */
        check_record(&c, r);
        for (size_t k = 0; k < c.dim_count; k++)
            values[k] = dim_value(r, c.dims[k]);
        const char *period = r->period ? r->period : "";
        char *key = cell_key(&c, period, values);
        char *words = cell_words(&c, period, values);
        json_t *earlier = json_object_get(seen, key);
        json_t *row = json_object_get(had, key);
        target_row[i] = (size_t)-1;
        if (earlier) {
            size_t j = (size_t)json_integer_value(earlier);
            if (records[j].line)
                problem(&c, r, "value", "a second figure for %s (line %zu has one)", words,
                        records[j].line);
            else
                problem(&c, r, "value", "a second figure for %s", words);
        } else if (row && !(flags & TOCM_RECORD_REPLACE)) {
            size_t at = (size_t)json_integer_value(row);
            long vc = sheet_col(&c.sheet, "value");
            const char *was = c.sheet.rows[at][vc];
            problem(&c, r, "value",
                    "%s already has a figure for %s (%s, on line %zu); --replace replaces it", rel,
                    words, *was ? was : "not reported", at + 2);
        } else if (row) {
            target_row[i] = (size_t)json_integer_value(row);
        }
        json_object_set_new(seen, key, json_integer((json_int_t)i));
        free(key);
        free(words);
    }
    json_decref(seen);
    json_decref(had);

    if (c.bad) {
        if (c.bad == 1 && !from)
            rc = tocmp_edit_refuse(
                e, "%s", tocm_diags_get(problems, tocm_diags_count(problems) - 1)->message);
        else
            rc = tocmp_edit_refuse(e, "%zu problem%s %s %s", c.bad, c.bad == 1 ? "" : "s",
                                   from ? "in" : "with", from ? from : "the figure");
        free(dc);
        free(values);
        free(target_row);
        goto out;
    }

    /* Apply: a replaced figure in its row, new ones at the end. */
    guard = tocmp_xcalloc(c.sheet.count + count + 1, 1);
    long vc = sheet_col(&c.sheet, "value"), cc = sheet_col(&c.sheet, "comment"),
         sc = sheet_col(&c.sheet, "source"), stc = sheet_col(&c.sheet, "status");
    for (size_t i = 0; i < count; i++) {
        const tocm_record *r = &records[i];
        size_t at = target_row[i];
        char **row;
        char *words;
        for (size_t k = 0; k < c.dim_count; k++)
            values[k] = dim_value(r, c.dims[k]);
        words = cell_words(&c, r->period, values);
        const char *value = r->value ? r->value : "";
        if (at != (size_t)-1) {
            row = c.sheet.rows[at];
            char *now = figure_words(&c, value), *was = figure_words(&c, row[vc]);
            tocmp_edit_note(e, "replaced the figure for %s of indicator '%s' in %s: %s (was %s)",
                            words, id, rel, now, was);
            free(now);
            free(was);
            /* The comment and source are the new figure's too (put below,
             * empty when not given): an old comment about the old figure
             * would mislead. */
        } else {
            at = c.sheet.count;
            row = sheet_new_row(&c.sheet);
            char *now = figure_words(&c, value);
            tocmp_edit_note(e, "recorded %s for %s of indicator '%s' in %s", now, words, id, rel);
            free(now);
        }
        guard[at] = 1;
        free(words);
        put_cell(row, pc, r->period);
        for (size_t k = 0; k < c.dim_count; k++)
            put_cell(row, dc[k], values[k]);
        put_cell(row, vc, value);
        put_cell(row, cc, r->comment);
        put_cell(row, sc, r->source);
        if (stc >= 0)
            put_cell(row, stc, r->status);
    }
    free(dc);
    free(values);
    free(target_row);

    unsigned char *text_cols = tocmp_xcalloc(c.sheet.cols + 1, 1);
    for (size_t col = 0; col < c.sheet.cols; col++)
        text_cols[col] = strcmp(col_type(&c, c.sheet.names[col]), "text") == 0 &&
                         (c.qualitative || (long)col != vc) && (long)col != pc;
    size_t len;
    char *text = compose(&c.sheet, guard, text_cols, &len);
    free(text_cols);
    rc = read_back(&c, text, len, shown);
    if (rc != TOCM_OK) {
        free(text);
        goto out;
    }
    /* The model: a new table and the indicator wired to it; columns the
     * file gains are typed text. */
    if (made) {
        json_t *tables = json_object_get(e->doc, "tables");
        if (!json_is_object(tables)) {
            tables = json_object();
            json_object_set_new(e->doc, "tables", tables);
        }
        json_object_set(tables, c.made_name, made);
        json_object_set_new(c.ind, "table", json_string(c.made_name));
        json_object_set_new(c.ind, "calculator", json_string("recorded"));
        if (!tocmp_edit_str_member(c.ind, "period"))
            json_object_set_new(c.ind, "period", json_string(c.period_col));
        tocmp_edit_note(e,
                        "made the results table '%s' (%s) and wired it into indicator '%s' "
                        "(calculator 'recorded')",
                        c.made_name, rel, id);
    } else {
        json_t *cols = json_object_get(c.table_def, "columns");
        for (size_t col = 0; json_is_object(cols) && col < c.sheet.cols; col++)
            if (!json_object_get(cols, c.sheet.names[col]))
                json_object_set_new(cols, c.sheet.names[col], json_string("text"));
    }

    tocmp_edit_set_side_file(e, path, shown, text, len, exists ? &st : NULL);
    path = shown = NULL;
out:
    json_decref(made);
    free(guard);
    free(rel);
    free(path);
    free(shown);
    ctx_free(&c);
    return rc;
}
