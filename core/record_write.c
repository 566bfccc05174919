/*
 * record_write.c -- a results table as `tocm record` makes and writes it,
 * and `tocm import iati` too (record_write.h): its name and definition,
 * and its CSV text: cells quoted as RFC 4180 says; new text cells that a
 * spreadsheet would run as a formula (a leading =, +, -, @, tab or CR)
 * prefixed with an apostrophe, as OWASP advises and tocm's report CSV
 * does. Old rows are written as they were read, so recording a figure
 * never changes another.
 */
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "record_write.h"
#include "util.h"

char *tocmp_record_table_name(json_t *tables, const char *id) {
    char *base = tocmp_asprintf("results_%s", id);
    for (char *p = base; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            *p = '_';
    char *name = tocmp_xstrdup(base);
    for (int i = 2; json_object_get(tables, name); i++) {
        free(name);
        name = tocmp_asprintf("%s_%d", base, i);
    }
    free(base);
    return name;
}

json_t *tocmp_record_table_def(const char *name, const char *title, const char *period_col,
                               int integer_periods, json_t *dims, int qualitative) {
    json_t *cols = json_object();
    json_object_set_new(cols, period_col, json_string(integer_periods ? "integer" : "text"));
    size_t i;
    json_t *dim;
    json_array_foreach(dims, i, dim) {
        if (json_is_string(dim))
            json_object_set_new(cols, json_string_value(dim), json_string("text"));
    }
    json_object_set_new(cols, "value", json_string(qualitative ? "text" : "decimal"));
    if (qualitative)
        json_object_set_new(cols, "status", json_string("text"));
    json_object_set_new(cols, "comment", json_string("text"));
    json_object_set_new(cols, "source", json_string("text"));
    json_t *def = json_object();
    char *path = tocmp_asprintf("data/%s.csv", name);
    json_object_set_new(def, "path", json_string(path));
    free(path);
    json_object_set_new(def, "title", json_string(title));
    json_object_set_new(def, "columns", cols);
    return def;
}

/* One cell; guard: a text cell that a spreadsheet would run as a formula
 * gets a leading apostrophe. */
static void put_cell(tocmp_buf *b, const char *s, int guard) {
    if (!s)
        s = "";
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

void tocmp_record_write_row(tocmp_buf *b, const char *const *cells, size_t n,
                            const unsigned char *guard) {
    /* A record of one empty cell would read as a blank line, which is no
     * record at all: quote it. */
    if (n == 1 && (!cells[0] || !*cells[0])) {
        tocmp_buf_puts(b, "\"\"\n");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            tocmp_buf_puts(b, ",");
        put_cell(b, cells[i], guard && guard[i]);
    }
    tocmp_buf_puts(b, "\n");
}

/* Only new cells are guarded: an old cell is kept as it was read. */
char *tocmp_sheet_compose(const struct sheet *s, const unsigned char *guard_rows,
                          const unsigned char *guard_cols, size_t *len) {
    tocmp_buf b = {0};
    if (s->bom)
        tocmp_buf_puts(&b, "\xEF\xBB\xBF");
    tocmp_record_write_row(&b, (const char *const *)s->names, s->cols, NULL);
    for (size_t r = 0; r < s->count; r++)
        tocmp_record_write_row(&b, (const char *const *)s->rows[r], s->cols,
                               guard_rows[r] ? guard_cols : NULL);
    *len = b.len;
    return b.data;
}
