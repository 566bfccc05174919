/*
 * record_write.c -- the CSV text of a results table as `tocm record` writes
 * it, and `tocm import iati` too (record_write.h): cells quoted as RFC 4180
 * says; new text cells that a spreadsheet would run as a formula (a leading
 * =, +, -, @, tab or CR) prefixed with an apostrophe, as OWASP advises and
 * tocm's report CSV does. Old rows are written as they were read, so
 * recording a figure never changes another.
 */
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "record_write.h"
#include "util.h"

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
