/*
 * record_write.h -- a results table as `tocm record` makes and writes it
 * (models/FORMAT.md, "Figures entered directly"): its name, its definition
 * in the model and its CSV text. Shared by the files that make one, tocm
 * record (record*.c) and tocm import iati (import_iati_actuals.c), so that
 * either can take up the other's table.
 */
#ifndef TOCMP_RECORD_WRITE_H
#define TOCMP_RECORD_WRITE_H

#include <jansson.h>
#include <stddef.h>

#include "util.h"

/* A name for a new results table of indicator id that tables does not hold
 * yet: results_ID, with characters other than letters, digits, '-' and '_'
 * as '_' (it names a file too), then results_ID_2, _3... new. */
char *tocmp_record_table_name(json_t *tables, const char *id);

/* The definition of a new results table called name: its path
 * (data/NAME.csv), its title and its columns: the period column, integer
 * when integer_periods says every period is a whole number, else text; a
 * text column per breakdown (the strings of dims); value, decimal or text
 * for a qualitative indicator; status (qualitative only), comment and
 * source, text. new. */
json_t *tocmp_record_table_def(const char *name, const char *title, const char *period_col,
                               int integer_periods, json_t *dims, int qualitative);

/* Appends one CSV record of n cells, and its line end, to b. A cell is
 * quoted as RFC 4180 says when it holds a comma, a quote or a line end, or
 * starts or ends with a space a reader might trim; a NULL cell is empty.
 * guard: NULL, or for each cell whether it is new text that a spreadsheet
 * would run as a formula (a leading =, +, -, @, tab or CR) were it not
 * prefixed with an apostrophe, as OWASP advises. */
void tocmp_record_write_row(tocmp_buf *b, const char *const *cells, size_t n,
                            const unsigned char *guard);

#endif
