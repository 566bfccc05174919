/*
 * table_parse.h -- the CSV parser that table.c (a whole file at once) and
 * table_stream.c (a file in chunks of whole records) share. Private to
 * table*.c.
 *
 * Errors are not added to the diagnostics as they are found but kept, with
 * their line relative to where the parse began: a chunk parsed on a worker
 * thread does not yet know on which line of the file it starts. They are
 * flushed in file order once every earlier chunk has been parsed, so the
 * messages, their order and the "N more" line are the same however the file
 * was cut.
 */
#ifndef TOCMP_TABLE_PARSE_H
#define TOCMP_TABLE_PARSE_H

#include <stddef.h>

#include "table.h"

/* The most errors listed per file: enough to fix a column of bad cells in
 * one pass, few enough that a wrong file does not bury the terminal. */
#define TOCMP_TABLE_MAX_ERRORS 20

struct tocmp_table_error {
    size_t line, column; /* line relative to the parse's first line (1) */
    const char *code;
    char *message; /* owned */
};

/* The errors of one parse: the first TOCMP_TABLE_MAX_ERRORS kept, the rest
 * counted (a chunk's later ones can never be among a file's first). */
struct tocmp_table_errors {
    struct tocmp_table_error list[TOCMP_TABLE_MAX_ERRORS];
    size_t count;              /* every error found, kept or not */
    const char *unlisted_code; /* the code of the first one not kept */
    int fatal;                 /* the text could not be split into fields: reading stopped */
};

struct tocmp_csv_parser {
    char *p, *end; /* *end is a NUL (or the byte past the chunk, never read as text) */
    size_t line;   /* 1-based, relative to where the parse began */
    const char *line_start;
    struct tocmp_table_errors *errs;
};

/* Records an error (message: new). */
void tocmp_csv_fail(struct tocmp_csv_parser *ps, size_t line, size_t column, const char *code,
                    char *message);

/* Reads the header record into t: names, types from specs, the column
 * index. 0, or -1 with the error recorded. */
int tocmp_csv_parse_header(struct tocmp_csv_parser *ps, struct tocm_table *t,
                           const struct tocmp_column_spec *specs, size_t spec_count);

/* The most records the bytes [p, end) can hold: one per line end, and the
 * text after the last one. */
size_t tocmp_csv_max_rows(const char *p, const char *end);

/* Parses the records of [ps->p, ps->end) into t's cells laid out column by
 * column with a stride of max_rows (t->text, t->number, t->has_number:
 * has_number zeroed), checking each typed cell. Returns the number of rows
 * (blank lines are none; a row of the wrong length is dropped, with an
 * error). Stops at a fatal error, or once max_rows rows are read, with
 * ps->p at the next record: a second call reads on from there. */
size_t tocmp_csv_parse_rows(struct tocmp_csv_parser *ps, struct tocm_table *t, size_t max_rows);

/* Adds the errors of consecutive parses errs[0..n) of one file to diags, as
 * one parse of the whole file would have: in order, the first
 * TOCMP_TABLE_MAX_ERRORS listed, the others counted in one more line, and
 * nothing after a fatal error. first_line[k]: the file's line where parse k
 * began. Frees the messages. Returns the number of errors (0: the file is
 * good). */
size_t tocmp_table_errors_flush(struct tocmp_table_errors *errs, size_t n, const size_t *first_line,
                                const char *display_name, tocm_diags *diags);
void tocmp_table_errors_clear(struct tocmp_table_errors *errs);

#endif
