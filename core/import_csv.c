/*
 * import_csv.c -- RFC 4180 for sheets people save from Excel (import_csv.h).
 *
 * A field is quoted or not; in a quoted field a quote is written twice and
 * commas and line breaks are text. A quote inside an unquoted field, or text
 * after a closing quote, is an error naming its line, as is an unclosed
 * quote (at the line it opened on). A line holding nothing is no record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_csv.h"
#include "util.h"

struct field_buf {
    char *s;
    size_t len, cap;
};

static void put(struct field_buf *f, char c) {
    if (f->len + 2 > f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->s = tocmp_xrealloc(f->s, f->cap);
    }
    f->s[f->len++] = c;
    f->s[f->len] = '\0';
}

static void end_field(struct tocmp_csv_record *r, struct field_buf *f, size_t *cap) {
    if (r->count == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        r->fields = tocmp_xrealloc(r->fields, *cap * sizeof *r->fields);
    }
    r->fields[r->count++] = f->s ? f->s : tocmp_xstrdup("");
    f->s = NULL;
    f->len = f->cap = 0;
}

/* Length of the UTF-8 sequence at s (of n bytes), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n) {
    if (s[0] < 0x80)
        return 1;
    size_t want = s[0] >= 0xF0 && s[0] <= 0xF4   ? 4
                  : s[0] >= 0xE0                 ? 3
                  : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
                                                 : 0;
    if (!want || want > n)
        return 0;
    for (size_t i = 1; i < want; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    /* Overlong forms and surrogates are not UTF-8. */
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return want;
}

int tocmp_csv_parse(const char *text, size_t len, struct tocmp_csv *out, size_t *line_out,
                    char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    size_t i = 0, line = 1, cap = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (size_t k = i; k < len;) {
        if (text[k] == '\0') {
            size_t l = 1;
            for (size_t j = 0; j < k; j++)
                l += text[j] == '\n';
            *line_out = l;
            snprintf(err, err_size,
                     "a NUL byte: this is not a text file (is it an .xlsx? save "
                     "the sheet as CSV UTF-8)");
            return -1;
        }
        size_t n = utf8_len((const unsigned char *)text + k, len - k);
        if (!n) {
            size_t l = 1;
            for (size_t j = 0; j < k; j++)
                l += text[j] == '\n';
            *line_out = l;
            snprintf(err, err_size, "bytes that are not UTF-8 (save the sheet as \"CSV UTF-8\")");
            return -1;
        }
        k += n;
    }
    while (i < len) {
        /* A blank line is no record. */
        if (text[i] == '\n' || (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')) {
            i += text[i] == '\r' ? 2 : 1;
            line++;
            continue;
        }
        if (out->count == cap) {
            cap = cap ? cap * 2 : 64;
            out->records = tocmp_xrealloc(out->records, cap * sizeof *out->records);
        }
        struct tocmp_csv_record *r = &out->records[out->count++];
        memset(r, 0, sizeof *r);
        r->line = line;
        size_t fcap = 0;
        struct field_buf f = {0};
        for (;;) {
            if (i < len && text[i] == '"') {
                size_t opened = line;
                i++;
                for (;;) {
                    if (i >= len) {
                        free(f.s);
                        *line_out = opened;
                        snprintf(err, err_size, "a quote opened here is never closed");
                        return -1;
                    }
                    if (text[i] == '"') {
                        if (i + 1 < len && text[i + 1] == '"') {
                            put(&f, '"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (text[i] == '\n')
                        line++;
                    put(&f, text[i++]);
                }
                if (i < len && text[i] != ',' && text[i] != '\n' &&
                    !(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')) {
                    free(f.s);
                    *line_out = line;
                    snprintf(err, err_size,
                             "text after a closing quote (a quote inside a quoted field is "
                             "written twice: \"\")");
                    return -1;
                }
            } else {
                while (i < len && text[i] != ',' && text[i] != '\n' &&
                       !(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')) {
                    if (text[i] == '"') {
                        free(f.s);
                        *line_out = line;
                        snprintf(err, err_size,
                                 "a quote inside an unquoted field (quote the whole field and "
                                 "write the quote twice)");
                        return -1;
                    }
                    put(&f, text[i++]);
                }
            }
            end_field(r, &f, &fcap);
            if (i < len && text[i] == ',') {
                i++;
                continue;
            }
            if (i < len) {
                i += text[i] == '\r' ? 2 : 1;
                line++;
            }
            break;
        }
    }
    return 0;
}

void tocmp_csv_free(struct tocmp_csv *csv) {
    for (size_t r = 0; r < csv->count; r++) {
        for (size_t f = 0; f < csv->records[r].count; f++)
            free(csv->records[r].fields[f]);
        free(csv->records[r].fields);
    }
    free(csv->records);
    memset(csv, 0, sizeof *csv);
}
