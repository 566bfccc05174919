/*
 * table.c -- CSV data tables: RFC 4180 parsing, UTF-8 checking and typed
 * columns.
 *
 * One pass over the bytes, in place: the file's own buffer becomes the
 * table's text. A field never grows when it is unescaped ("" becomes ", the
 * enclosing quotes go), so it is rewritten where it lies and its NUL takes
 * the place of the comma or line end that closed it. No cell is copied or
 * allocated, which matters at millions of rows: the table costs the file,
 * one pointer, one number and one flag per cell. Typed cells are checked as
 * they are read. A mistake stops the load with one message that names the
 * file, the line and column where the offending field starts, and the
 * column's name, as a spreadsheet user would look for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "table.h"
#include "table_parse.h"
#include "util.h"

/* Records an error. A cell of the wrong type or a row of the wrong length
 * leaves the rest of the file readable, so reading goes on and later errors
 * are counted too; the first TOCMP_TABLE_MAX_ERRORS are kept. */
void tocmp_csv_fail(struct tocmp_csv_parser *ps, size_t line, size_t column, const char *code,
                    char *message) {
    struct tocmp_table_errors *e = ps->errs;
    if (e->count < TOCMP_TABLE_MAX_ERRORS) {
        e->list[e->count] = (struct tocmp_table_error){line, column, code, message};
    } else {
        if (!e->unlisted_code)
            e->unlisted_code = code;
        free(message);
    }
    e->count++;
}

/* An error after which the fields cannot be told apart (a quote never
 * closed, bytes that are not text): reading stops. */
static void stop(struct tocmp_csv_parser *ps, size_t line, size_t column, const char *code,
                 char *message) {
    tocmp_csv_fail(ps, line, column, code, message);
    ps->errs->fatal = 1;
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

/* The ASCII bytes the field loop below must look at: separators, quotes,
 * line ends and NUL (the buffer's end, or an error); it also stops at every
 * byte past ASCII, to check the UTF-8. Every other byte is plain text,
 * skipped a run at a time with one compare and one lookup per byte instead
 * of a chain of tests: at millions of rows this scan is most of the load. */
static const unsigned char stops[128] = {['\0'] = 1, ['\n'] = 1, ['\r'] = 1, [','] = 1, ['"'] = 1};

/* Reads one field, unescaping it in place, and sets *text to it
 * (NUL-terminated). Returns 1 if the record goes on (a comma followed), 0 at
 * the end of the record or file. */
static int read_field(struct tocmp_csv_parser *ps, const char **text, size_t *field_line,
                      size_t *field_column) {
    *field_line = ps->line;
    *field_column = (size_t)(ps->p - ps->line_start) + 1;
    char *out = ps->p; /* where the unescaped text goes: never past ps->p */
    *text = out;
    int quoted = ps->p < ps->end && *ps->p == '"';
    if (quoted)
        ps->p++;
    const char *run = ps->p;
#define FLUSH_RUN()                                                                                \
    do {                                                                                           \
        size_t n_ = (size_t)(ps->p - run);                                                         \
        if (out != run)                                                                            \
            memmove(out, run, n_);                                                                 \
        out += n_;                                                                                 \
    } while (0)
    for (;;) {
        /* The buffer ends in a NUL (tocmp_read_text), so this stops there. */
        while ((unsigned char)*ps->p < 0x80 && !stops[(unsigned char)*ps->p])
            ps->p++;
        if (ps->p >= ps->end) {
            if (quoted)
                stop(ps, *field_line, *field_column, "E302",
                     tocmp_xstrdup("a quoted field is never closed (a '\"' is missing)"));
            break;
        }
        unsigned char c = (unsigned char)*ps->p;
        if (quoted && c == '"') {
            FLUSH_RUN();
            if (ps->p + 1 < ps->end && ps->p[1] == '"') { /* "" is one quote */
                *out++ = '"';
                ps->p += 2;
                run = ps->p;
                continue;
            }
            ps->p++;
            run = ps->p;
            quoted = 0;
            if (ps->p < ps->end && *ps->p != ',' && *ps->p != '\n' && *ps->p != '\r') {
                stop(ps, ps->line, (size_t)(ps->p - ps->line_start) + 1, "E302",
                     tocmp_xstrdup("unexpected text after a closing quote (write \"\" for "
                                   "a quote inside a quoted field)"));
                return 0;
            }
            continue;
        }
        if (!quoted && (c == ',' || c == '\n' || c == '\r'))
            break;
        if (!quoted && c == '"') {
            stop(ps, ps->line, (size_t)(ps->p - ps->line_start) + 1, "E302",
                 tocmp_xstrdup("a '\"' inside an unquoted field (quote the whole field and "
                               "double the quote)"));
            return 0;
        }
        if (c == '\n') { /* only inside quotes */
            ps->line++;
            ps->line_start = ps->p + 1;
        }
        if (c == '\0') {
            /* Stopping here, not taking it for the end of the cell: "20\0 21"
             * is not 20. */
            stop(ps, ps->line, (size_t)(ps->p - ps->line_start) + 1, "E305",
                 tocmp_xstrdup("a NUL byte: a CSV file is text, which never holds one (is "
                               "this the right file, saved as CSV?)"));
            return 0;
        }
        if (c >= 0x80) {
            size_t n = utf8_length((const unsigned char *)ps->p, (const unsigned char *)ps->end);
            if (!n) {
                stop(ps, ps->line, (size_t)(ps->p - ps->line_start) + 1, "E305",
                     tocmp_xstrdup("the text is not valid UTF-8 (save the file as UTF-8)"));
                return 0;
            }
            ps->p += n;
            continue;
        }
        ps->p++;
    }
    FLUSH_RUN();
#undef FLUSH_RUN
    /* The separator is read before the NUL goes in, possibly over it. */
    int more = 0;
    if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        more = 1;
    } else {
        /* End of record: \n, \r\n or a lone \r. */
        if (ps->p < ps->end && *ps->p == '\r')
            ps->p++;
        if (ps->p < ps->end && *ps->p == '\n')
            ps->p++;
        ps->line++;
        ps->line_start = ps->p;
    }
    *out = '\0'; /* out <= the separator's place, or the file's final NUL */
    return more;
}

/* The first byte at or after q that the field loop must look at (a
 * stops[] byte or one past ASCII). Eight bytes at a time while eight are
 * left before end (the buffer's last byte, its NUL): each word is tested
 * for all those bytes at once with the zero-byte trick, whose lowest
 * flagged byte is exact (a false flag only ever sits above a true one), so
 * a field of a few bytes costs one word, not a loop with a branch per byte
 * whose exit the processor cannot predict. */
static inline char *scan_plain(char *q, const char *end) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u
#define ZERO_BYTES(v) (((v)-ONES) & ~(v)&HIGHS)
    while (end - q >= 8) {
        uint64_t w;
        memcpy(&w, q, 8);
        uint64_t hit = ZERO_BYTES(w) | ZERO_BYTES(w ^ (ONES * ',')) |
                       ZERO_BYTES(w ^ (ONES * '\n')) | ZERO_BYTES(w ^ (ONES * '\r')) |
                       ZERO_BYTES(w ^ (ONES * '"')) | (w & HIGHS);
        if (hit)
            return q + (__builtin_ctzll(hit) >> 3);
        q += 8;
    }
#undef ZERO_BYTES
#undef HIGHS
#undef ONES
#endif
    while ((unsigned char)*q < 0x80 && !stops[(unsigned char)*q])
        q++;
    return q;
}

/* The common field, read faster: plain ASCII, unquoted, up to a comma or a
 * line end. It needs no unescaping, so its text is where it lies. Returns
 * -1 for any other field (quoted, UTF-8, a NUL inside, a stray quote),
 * having changed nothing: read_field then reads it from its start, with its
 * checks and messages. Otherwise as read_field. */
static inline int read_plain_field(struct tocmp_csv_parser *ps, const char **text,
                                   size_t *field_line, size_t *field_column) {
    char *q = scan_plain(ps->p, ps->end);
    unsigned char c = (unsigned char)*q;
    if (c == '"' || c >= 0x80 || (c == '\0' && q < ps->end))
        return -1;
    *text = ps->p;
    *field_line = ps->line;
    *field_column = (size_t)(ps->p - ps->line_start) + 1;
    if (c == ',') {
        *q = '\0';
        ps->p = q + 1;
        return 1;
    }
    /* End of record: \n, \r\n, a lone \r, or the end of the text. */
    char *p = q;
    if (p < ps->end && *p == '\r')
        p++;
    if (p < ps->end && *p == '\n')
        p++;
    ps->line++;
    ps->line_start = ps->p = p;
    *q = '\0'; /* after the separator was read: it may be the one overwritten */
    return 0;
}

/* A whole number in the range of long long, as strtoll reads one, but in
 * one pass with no locale and no errno: digits only, an optional sign. */
static int parse_integer(const char *s, double *out) {
    const char *p = s;
    int negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (!*p)
        return 0;
    /* 18 digits cannot pass LLONG_MAX: they need no check each. */
    unsigned long long v = 0;
    const char *digits = p;
    for (; p - digits < 18; p++) {
        unsigned digit = (unsigned)(unsigned char)*p - '0';
        if (digit > 9)
            break;
        v = v * 10 + digit;
    }
    /* The magnitude may reach LLONG_MAX, or one more when negative. */
    unsigned long long limit = (unsigned long long)LLONG_MAX + (unsigned long long)negative;
    for (; *p; p++) {
        unsigned digit = (unsigned)(unsigned char)*p - '0';
        if (digit > 9 || v > (limit - digit) / 10)
            return 0;
        v = v * 10 + digit;
    }
    *out = negative && v ? -(double)v : (double)v; /* "-0" is 0, not -0 */
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

/* Checks cell i (of column c) against the column's type and keeps its
 * number (number and has_number start zeroed). line and column: where the
 * field starts, for the message. */
static void type_cell(struct tocmp_csv_parser *ps, struct tocm_table *t, size_t i, size_t c,
                      size_t line, size_t column) {
    const char *text = t->text[i];
    if (!*text || t->types[c] == TOCM_CELL_TEXT)
        return; /* text, or empty: a missing value, whatever the type */
    int ok = 1;
    switch (t->types[c]) {
    case TOCM_CELL_INTEGER: ok = parse_integer(text, &t->number[i]); break;
    case TOCM_CELL_DECIMAL: ok = parse_decimal(text, &t->number[i]); break;
    case TOCM_CELL_DATE: ok = parse_date(text); break;
    case TOCM_CELL_TEXT: break;
    }
    if (!ok)
        tocmp_csv_fail(ps, line, column, "E303",
                       tocmp_asprintf("column '%s': '%s' is not %s", t->names[c], text,
                                      type_name(t->types[c])));
    else if (t->types[c] == TOCM_CELL_INTEGER || t->types[c] == TOCM_CELL_DECIMAL)
        t->has_number[i] = 1;
}

/* The whole file, NUL-terminated (the parser stops at the NUL), read
 * straight into one buffer of the file's size: the generic reader grows a
 * buffer chunk by chunk, copying each byte twice more, which at tens of
 * megabytes costs more than parsing them. Anything but a regular file of
 * at most max bytes (a pipe, a device, a directory, one too large) goes
 * through the generic reader and its errors. NULL with errno on failure. */
static char *read_table_file(const char *path, size_t max, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uintmax_t)st.st_size > max) {
        if (fd >= 0)
            close(fd);
        return tocmp_read_text(path, max, len);
    }
    size_t size = (size_t)st.st_size, got = 0;
    char *data = tocmp_xmalloc(size + 1);
    while (got < size) { /* a file that shrinks while read ends early */
        ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            close(fd);
            free(data);
            errno = saved;
            return NULL;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    data[got] = '\0';
    *len = got;
    return data;
}

int tocmp_csv_parse_header(struct tocmp_csv_parser *ps, struct tocm_table *t,
                           const struct tocmp_column_spec *specs, size_t spec_count) {
    if (ps->p >= ps->end) {
        tocmp_csv_fail(ps, 1, 1, "E306",
                       tocmp_xstrdup("the file is empty: a header row is needed"));
        return -1;
    }
    /* The header's fields, and where each starts, for messages. */
    const char **header = NULL;
    size_t *field_columns = NULL, field_cap = 0, line, column, cc = 0;
    int more;
    do {
        if (cc == field_cap) {
            field_cap = field_cap ? field_cap * 2 : 16;
            header = tocmp_xrealloc(header, field_cap * sizeof *header);
            field_columns = tocmp_xrealloc(field_columns, field_cap * sizeof *field_columns);
        }
        more = read_field(ps, &header[cc], &line, &column);
        field_columns[cc++] = column;
    } while (more && !ps->errs->count);
    int rc = 0;
    if (ps->errs->count) {
        rc = -1;
        goto done;
    }
    t->column_count = cc;
    t->names = tocmp_xcalloc(cc, sizeof *t->names);
    t->types = tocmp_xcalloc(cc, sizeof *t->types);
    /* Each name once: one hash lookup per column, so a header of a million
     * columns is checked in a blink rather than a million squared compares. */
    tocmp_idmap_init(&t->columns, cc);
    for (size_t c = 0; c < cc; c++) {
        t->names[c] = tocmp_xstrdup(header[c]);
        if (!ps->errs->count && tocmp_idmap_put(&t->columns, t->names[c], c) != c)
            tocmp_csv_fail(ps, 1, field_columns[c], "E306",
                           tocmp_asprintf("the header names column '%s' twice", t->names[c]));
    }
    for (size_t s = 0; s < spec_count && !ps->errs->count; s++) {
        size_t c = tocmp_table_column(t, specs[s].name);
        if (c == TOCM_NONE)
            tocmp_csv_fail(ps, 1, 1, "E304",
                           tocmp_asprintf("the model expects a column '%s', which the header lacks",
                                          specs[s].name));
        else
            t->types[c] = specs[s].type;
    }
    rc = ps->errs->count ? -1 : 0;
done:
    free(header);
    free(field_columns);
    return rc;
}

/* Every record but the last ends a line, so the line ends (and the text
 * after the last one) bound the rows. */
size_t tocmp_csv_max_rows(const char *p, const char *end) {
    size_t max_rows = p < end && end[-1] != '\n' && end[-1] != '\r';
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        max_rows++;
    for (const char *q = p; (q = memchr(q, '\r', (size_t)(end - q))) != NULL; q++)
        max_rows += q + 1 == end || q[1] != '\n';
    return max_rows;
}

size_t tocmp_csv_parse_rows(struct tocmp_csv_parser *ps, struct tocm_table *t, size_t max_rows) {
    size_t cc = t->column_count, rows = 0, line, column;
    /* Where each field of the current record starts, for messages. */
    size_t *field_lines = tocmp_xmalloc((cc ? cc : 1) * sizeof *field_lines);
    size_t *field_columns = tocmp_xmalloc((cc ? cc : 1) * sizeof *field_columns);
    int more;
    while (ps->p < ps->end && !ps->errs->fatal && rows < max_rows) {
        size_t record_line = ps->line, fields = 0;
        /* A line with nothing on it is not a record, in any table (as
         * spreadsheets and most CSV readers skip it); a quoted empty field,
         * "", is one: a row with a missing value (models/FORMAT.md). */
        int blank = *ps->p == '\n' || *ps->p == '\r';
        do {
            const char *text;
            more = read_plain_field(ps, &text, &line, &column);
            if (more < 0)
                more = read_field(ps, &text, &line, &column);
            if (fields < cc) {
                t->text[fields * max_rows + rows] = text;
                field_lines[fields] = line;
                field_columns[fields] = column;
            }
            fields++;
        } while (more && !ps->errs->fatal);
        if (ps->errs->fatal)
            break;
        if (blank)
            continue;
        if (fields != cc) {
            tocmp_csv_fail(
                ps, record_line, 1, "E302",
                tocmp_asprintf("this row has %zu field(s) but the header has %zu", fields, cc));
            continue; /* the row is dropped; the next one is read as usual */
        }
        for (size_t c = 0; c < cc; c++)
            type_cell(ps, t, c * max_rows + rows, c, field_lines[c], field_columns[c]);
        rows++;
    }
    free(field_lines);
    free(field_columns);
    return rows;
}

void tocmp_table_errors_clear(struct tocmp_table_errors *errs) {
    for (size_t i = 0; i < errs->count && i < TOCMP_TABLE_MAX_ERRORS; i++)
        free(errs->list[i].message);
    memset(errs, 0, sizeof *errs);
}

size_t tocmp_table_errors_flush(struct tocmp_table_errors *errs, size_t n, const size_t *first_line,
                                const char *display_name, tocm_diags *diags) {
    size_t total = 0, listed = 0;
    const char *unlisted = NULL;
    for (size_t k = 0; k < n; k++) {
        struct tocmp_table_errors *e = &errs[k];
        for (size_t i = 0; i < e->count && i < TOCMP_TABLE_MAX_ERRORS; i++) {
            const struct tocmp_table_error *x = &e->list[i];
            if (listed < TOCMP_TABLE_MAX_ERRORS) {
                tocm_diags_add(diags, TOCM_SEV_ERROR, x->code, display_name,
                               (int)(x->line + first_line[k] - 1), (int)x->column, "", NULL, "%s",
                               x->message);
                listed++;
            } else if (!unlisted) {
                unlisted = x->code;
            }
        }
        if (e->count > TOCMP_TABLE_MAX_ERRORS && !unlisted)
            unlisted = e->unlisted_code;
        total += e->count;
        int fatal = e->fatal;
        tocmp_table_errors_clear(e);
        if (fatal) {
            for (size_t j = k + 1; j < n; j++)
                tocmp_table_errors_clear(&errs[j]);
            break;
        }
    }
    if (total > TOCMP_TABLE_MAX_ERRORS)
        tocm_diags_add(diags, TOCM_SEV_ERROR, unlisted, display_name, 0, 0, "", NULL,
                       "%zu more error(s) in this file, not listed (the first %d are)",
                       total - TOCMP_TABLE_MAX_ERRORS, TOCMP_TABLE_MAX_ERRORS);
    return total;
}

struct tocm_table *tocmp_table_load(const char *path, const char *display_name,
                                    const struct tocmp_column_spec *specs, size_t spec_count,
                                    tocm_diags *diags) {
    size_t len;
    char *data = read_table_file(path, TOCMP_MAX_DATA_BYTES, &len); /* NUL-terminated */
    if (!data && errno == EFBIG) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E301", display_name, 0, 0, "", NULL,
                       "the data file is larger than %zu MiB, the most tocm reads",
                       TOCMP_MAX_DATA_BYTES >> 20);
        return NULL;
    }
    if (!data) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E301", display_name, 0, 0, "", NULL,
                       "cannot read the data file: %s", strerror(errno));
        return NULL;
    }
    struct tocmp_table_errors errs = {0};
    struct tocmp_csv_parser ps = {.p = data, .end = data + len, .line = 1, .errs = &errs};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3; /* a UTF-8 byte-order mark, as spreadsheets write */
    ps.line_start = ps.p;

    struct tocm_table *t = tocmp_xcalloc(1, sizeof *t);
    t->path = tocmp_xstrdup(display_name);
    t->arena = data; /* the cells' text stays in the file's buffer */
    size_t first_line = 1;
    if (tocmp_csv_parse_header(&ps, t, specs, spec_count) != 0) {
        tocmp_table_errors_flush(&errs, 1, &first_line, display_name, diags);
        tocmp_table_free(t);
        return NULL;
    }

    /* The cells are laid out column by column with room for max_rows, and
     * closed up at the end if fewer came (blank lines, line breaks inside
     * quotes). The numbers of text columns are never written, so their
     * zeroed pages cost no memory. */
    size_t cc = t->column_count;
    size_t max_rows = tocmp_csv_max_rows(ps.p, ps.end);
    size_t room = max_rows ? max_rows * cc : 1;
    t->text = tocmp_xmalloc(room * sizeof *t->text);
    t->number = tocmp_xcalloc(room, sizeof *t->number);
    t->has_number = tocmp_xcalloc(room, 1);
    size_t rows = tocmp_csv_parse_rows(&ps, t, max_rows);
    if (ps.p < ps.end && !errs.fatal) /* cannot happen: see tocmp_csv_max_rows */
        stop(&ps, ps.line, 1, "E302", tocmp_xstrdup("more records than lines"));
    if (tocmp_table_errors_flush(&errs, 1, &first_line, display_name, diags) != 0) {
        tocmp_table_free(t);
        return NULL;
    }

    /* Close up the columns: column c moves down from c * max_rows to
     * c * rows, never over a column not yet moved. */
    t->row_count = t->stride = rows;
    for (size_t c = 1; c < cc && rows < max_rows; c++) {
        memmove((void *)(t->text + c * rows), t->text + c * max_rows, rows * sizeof *t->text);
        memmove(t->number + c * rows, t->number + c * max_rows, rows * sizeof *t->number);
        memmove(t->has_number + c * rows, t->has_number + c * max_rows, rows);
    }
    size_t cells = rows ? rows * cc : 1;
    t->text = tocmp_xrealloc((void *)t->text, cells * sizeof *t->text);
    t->number = tocmp_xrealloc(t->number, cells * sizeof *t->number);
    t->has_number = tocmp_xrealloc(t->has_number, cells);
    return t;
}

void tocmp_table_free(struct tocm_table *t) {
    if (!t)
        return;
    tocmp_idmap_free(&t->columns);
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
    size_t c = tocmp_idmap_get(&t->columns, name);
    return c == TOCMP_IDMAP_NONE ? TOCM_NONE : c;
}

int tocmp_cell_parse(enum tocm_cell_type type, const char *text, double *out) {
    switch (type) {
    case TOCM_CELL_INTEGER: return parse_integer(text, out);
    case TOCM_CELL_DECIMAL: return parse_decimal(text, out);
    case TOCM_CELL_DATE: return parse_date(text);
    case TOCM_CELL_TEXT: break;
    }
    return 1;
}

const char *tocmp_cell_type_name(enum tocm_cell_type type) { return type_name(type); }
