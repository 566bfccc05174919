/*
 * record_write.c -- the CSV text of a results table as `tocm record` writes
 * it: cells quoted as RFC 4180 says; new text cells that a spreadsheet
 * would run as a formula (a leading =, +, -, @, tab or CR) prefixed with an
 * apostrophe, as OWASP advises and tocm's report CSV does. Old rows are
 * written as they were read, so recording a figure never changes another.
 */
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "util.h"

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

/* Only new cells are guarded: an old cell is kept as it was read. */
char *tocmp_sheet_compose(const struct sheet *s, const unsigned char *guard_rows,
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
