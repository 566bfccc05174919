/*
 * table.c -- CSV data tables: RFC 4180 parsing, UTF-8 checking and typed
 * columns.
 *
 * One pass over the bytes: cells are copied, unescaped, into a single arena
 * (no allocation per cell, which matters at millions of rows) and addressed
 * by offset until the arena stops growing, then by pointer. A mistake stops
 * the load with one message that names the file, the line and column where
 * the offending field starts, and the column's name, as a spreadsheet user
 * would look for it.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "util.h"

struct parser {
    const char *p, *end;
    const char *name; /* display name of the file */
    size_t line;      /* 1-based line of the current position */
    const char *line_start;
    tocm_diags *diags;
    int failed;
};

static void fail(struct parser *ps, size_t line, size_t column, const char *code, char *message) {
    if (!ps->failed)
        tocm_diags_add(ps->diags, TOCM_SEV_ERROR, code, ps->name, (int)line, (int)column, "",
                       NULL, "%s", message);
    ps->failed = 1;
    free(message);
}

/* Length of the valid UTF-8 sequence at s (0 if invalid). */
static size_t utf8_length(const unsigned char *s, const unsigned char *end) {
    size_t n;
    uint32_t cp;
    if (s[0] < 0x80)
        return 1;
    else if ((s[0] & 0xE0) == 0xC0)
        n = 2, cp = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        n = 3, cp = s[0] & 0x0F;
    else if ((s[0] & 0xF8) == 0xF0)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    if ((size_t)(end - s) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
    static const uint32_t min_for[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* Reads one field into the arena (NUL-terminated). Returns 1 if the record
 * goes on (a comma followed), 0 at the end of the record or file. */
static int read_field(struct parser *ps, tocmp_buf *arena, size_t *field_line,
                      size_t *field_column) {
    *field_line = ps->line;
    *field_column = (size_t)(ps->p - ps->line_start) + 1;
    int quoted = ps->p < ps->end && *ps->p == '"';
    if (quoted)
        ps->p++;
    const char *run = ps->p;
    for (;;) {
        if (ps->p >= ps->end) {
            if (quoted)
                fail(ps, *field_line, *field_column, "E302",
                     tocmp_xstrdup("a quoted field is never closed (a '\"' is missing)"));
            break;
        }
        unsigned char c = (unsigned char)*ps->p;
        if (quoted && c == '"') {
            tocmp_buf_append(arena, run, (size_t)(ps->p - run));
            if (ps->p + 1 < ps->end && ps->p[1] == '"') { /* "" is one quote */
                tocmp_buf_append(arena, "\"", 1);
                ps->p += 2;
                run = ps->p;
                continue;
            }
            ps->p++;
            run = ps->p;
            quoted = 0;
            if (ps->p < ps->end && *ps->p != ',' && *ps->p != '\n' && *ps->p != '\r') {
                fail(ps, ps->line, (size_t)(ps->p - ps->line_start) + 1, "E302",
                     tocmp_xstrdup("unexpected text after a closing quote (write \"\" for "
                                   "a quote inside a quoted field)"));
                return 0;
            }
            continue;
        }
        if (!quoted && (c == ',' || c == '\n' || c == '\r'))
            break;
        if (!quoted && c == '"') {
            fail(ps, ps->line, (size_t)(ps->p - ps->line_start) + 1, "E302",
                 tocmp_xstrdup("a '\"' inside an unquoted field (quote the whole field and "
                               "double the quote)"));
            return 0;
        }
        if (c == '\n') { /* only inside quotes */
            ps->line++;
            ps->line_start = ps->p + 1;
        }
        if (c >= 0x80) {
            size_t n = utf8_length((const unsigned char *)ps->p, (const unsigned char *)ps->end);
            if (!n) {
                fail(ps, ps->line, (size_t)(ps->p - ps->line_start) + 1, "E305",
                     tocmp_xstrdup("the text is not valid UTF-8 (save the file as UTF-8)"));
                return 0;
            }
            ps->p += n;
            continue;
        }
        ps->p++;
    }
    tocmp_buf_append(arena, run, (size_t)(ps->p - run));
    tocmp_buf_append(arena, "", 1); /* the NUL */
    if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        return 1;
    }
    /* End of record: \n, \r\n or a lone \r. */
    if (ps->p < ps->end && *ps->p == '\r')
        ps->p++;
    if (ps->p < ps->end && *ps->p == '\n')
        ps->p++;
    ps->line++;
    ps->line_start = ps->p;
    return 0;
}

static int parse_integer(const char *s, double *out) {
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    if (!*p)
        return 0;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            return 0;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno)
        return 0;
    *out = (double)v;
    return 1;
}

static int parse_decimal(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    /* strtod also takes "nan", "inf" and hex: monitoring data never means those. */
    if (end == s || *end || errno || !isfinite(v) || strpbrk(s, "xXnN"))
        return 0;
    *out = v;
    return 1;
}

/* YYYY, YYYY-MM or YYYY-MM-DD with a plausible month and day. */
static int parse_date(const char *s) {
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    }
    if (n >= 7) {
        int month = (s[5] - '0') * 10 + (s[6] - '0');
        if (month < 1 || month > 12)
            return 0;
    }
    if (n == 10) {
        int day = (s[8] - '0') * 10 + (s[9] - '0');
        if (day < 1 || day > 31)
            return 0;
    }
    return 1;
}

static const char *type_name(enum tocm_cell_type t) {
    switch (t) {
    case TOCM_CELL_INTEGER: return "a whole number";
    case TOCM_CELL_DECIMAL: return "a number";
    case TOCM_CELL_DATE: return "a date (YYYY, YYYY-MM or YYYY-MM-DD)";
    default: return "text";
    }
}

struct tocm_table *tocmp_table_load(const char *path, const char *display_name,
                                    const struct tocmp_column_spec *specs, size_t spec_count,
                                    tocm_diags *diags) {
    size_t len;
    char *data = tocmp_read_file(path, &len);
    if (!data) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E301", display_name, 0, 0, "", NULL,
                       "cannot read the data file: %s", strerror(errno));
        return NULL;
    }
    struct parser ps = {.p = data, .end = data + len, .name = display_name, .line = 1,
                        .diags = diags};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3; /* a UTF-8 byte-order mark, as spreadsheets write */
    ps.line_start = ps.p;

    struct tocm_table *t = tocmp_xcalloc(1, sizeof *t);
    t->path = tocmp_xstrdup(display_name);
    tocmp_buf arena = {0};
    size_t *offsets = NULL, offset_count = 0, offset_cap = 0;
    size_t *lines = NULL, *columns = NULL; /* where each cell starts, for messages */
    size_t record_fields = 0;

    if (ps.p >= ps.end) {
        fail(&ps, 1, 1, "E306", tocmp_xstrdup("the file is empty: a header row is needed"));
        goto done;
    }
    while (ps.p < ps.end && !ps.failed) {
        size_t record_line = ps.line, fields = 0, line, column;
        int more;
        do {
            if (offset_count == offset_cap) {
                offset_cap = offset_cap ? offset_cap * 2 : 1024;
                offsets = tocmp_xrealloc(offsets, offset_cap * sizeof *offsets);
                lines = tocmp_xrealloc(lines, offset_cap * sizeof *lines);
                columns = tocmp_xrealloc(columns, offset_cap * sizeof *columns);
            }
            offsets[offset_count] = arena.len;
            more = read_field(&ps, &arena, &line, &column);
            lines[offset_count] = line;
            columns[offset_count++] = column;
            fields++;
        } while (more && !ps.failed);
        if (ps.failed)
            break;
        if (t->column_count == 0) {
            t->column_count = fields;
            continue;
        }
        /* A blank line (one empty field) is skipped, as spreadsheets do. */
        if (fields == 1 && arena.data[offsets[offset_count - 1]] == '\0') {
            offset_count--;
            continue;
        }
        if (fields != t->column_count) {
            fail(&ps, record_line, 1, "E302",
                 tocmp_asprintf("this row has %zu field(s) but the header has %zu", fields,
                                t->column_count));
            break;
        }
        record_fields += fields;
    }
    if (ps.failed)
        goto done;

    t->row_count = record_fields / (t->column_count ? t->column_count : 1);
    t->arena = arena.data;
    arena.data = NULL;
    t->names = tocmp_xcalloc(t->column_count, sizeof *t->names);
    t->types = tocmp_xcalloc(t->column_count, sizeof *t->types);
    for (size_t c = 0; c < t->column_count; c++) {
        t->names[c] = tocmp_xstrdup(t->arena + offsets[c]);
        for (size_t k = 0; k < c; k++)
            if (strcmp(t->names[k], t->names[c]) == 0)
                fail(&ps, 1, columns[c], "E306",
                     tocmp_asprintf("the header names column '%s' twice", t->names[c]));
    }
    for (size_t s = 0; s < spec_count && !ps.failed; s++) {
        size_t c = tocmp_table_column(t, specs[s].name);
        if (c == TOCM_NONE)
            fail(&ps, 1, 1, "E304",
                 tocmp_asprintf("the model expects a column '%s', which the header lacks",
                                specs[s].name));
        else
            t->types[c] = specs[s].type;
    }
    if (ps.failed)
        goto done;

    size_t cells = t->row_count * t->column_count;
    t->text = tocmp_xmalloc(cells * sizeof *t->text);
    t->number = tocmp_xcalloc(cells, sizeof *t->number);
    t->has_number = tocmp_xcalloc(cells, 1);
    for (size_t i = 0; i < cells && !ps.failed; i++) {
        size_t k = t->column_count + i; /* skip the header's offsets */
        const char *text = t->arena + offsets[k];
        size_t c = i % t->column_count;
        t->text[i] = text;
        if (!*text)
            continue; /* empty: a missing value, whatever the type */
        int ok = 1;
        switch (t->types[c]) {
        case TOCM_CELL_INTEGER: ok = parse_integer(text, &t->number[i]); break;
        case TOCM_CELL_DECIMAL: ok = parse_decimal(text, &t->number[i]); break;
        case TOCM_CELL_DATE: ok = parse_date(text); break;
        case TOCM_CELL_TEXT: break;
        }
        if (!ok)
            fail(&ps, lines[k], columns[k], "E303",
                 tocmp_asprintf("column '%s': '%s' is not %s", t->names[c], text,
                                type_name(t->types[c])));
        else if (t->types[c] == TOCM_CELL_INTEGER || t->types[c] == TOCM_CELL_DECIMAL)
            t->has_number[i] = 1;
    }

done:
    free(offsets);
    free(lines);
    free(columns);
    free(arena.data);
    free(data);
    if (ps.failed) {
        tocmp_table_free(t);
        return NULL;
    }
    return t;
}

void tocmp_table_free(struct tocm_table *t) {
    if (!t)
        return;
    for (size_t c = 0; c < t->column_count && t->names; c++)
        free(t->names[c]);
    free(t->names);
    free(t->types);
    free((void *)t->text);
    free(t->number);
    free(t->has_number);
    free(t->arena);
    free(t->path);
    free(t);
}

size_t tocmp_table_column(const struct tocm_table *t, const char *name) {
    for (size_t c = 0; c < t->column_count; c++)
        if (strcmp(t->names[c], name) == 0)
            return c;
    return TOCM_NONE;
}
