/*
 * import_csv.h -- a sheet saved as CSV (RFC 4180), read whole into records
 * that remember the line each starts on, so an importer can name the line
 * of every bad row. (The data-table reader, table.c, types columns for
 * calculators and keeps no lines; an import needs the opposite.)
 */
#ifndef TOCMP_IMPORT_CSV_H
#define TOCMP_IMPORT_CSV_H

#include <stddef.h>

struct tocmp_csv_record {
    size_t line;   /* 1-based line the record starts on */
    size_t count;  /* fields */
    char **fields; /* each NUL-terminated, owned */
};

struct tocmp_csv {
    struct tocmp_csv_record *records; /* the header first; blank lines skipped */
    size_t count;
};

/* Parses text (len bytes, UTF-8 with or without a BOM, \n or \r\n). 0, or
 * -1 with *line and a message in err (a stray or unclosed quote, a NUL byte,
 * bytes that are not UTF-8). The result is freed with tocmp_csv_free even on
 * failure. */
int tocmp_csv_parse(const char *text, size_t len, struct tocmp_csv *out, size_t *line, char *err,
                    size_t err_size);
void tocmp_csv_free(struct tocmp_csv *csv);

#endif
