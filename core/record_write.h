/*
 * record_write.h -- a results table's CSV text as `tocm record` writes it,
 * shared by the files that write one: tocm record (record_write.c) and
 * tocm import iati (import_iati_actuals.c), so both tables read the same.
 */
#ifndef TOCMP_RECORD_WRITE_H
#define TOCMP_RECORD_WRITE_H

#include <stddef.h>

#include "util.h"

/* Appends one CSV record of n cells, and its line end, to b. A cell is
 * quoted as RFC 4180 says when it holds a comma, a quote or a line end, or
 * starts or ends with a space a reader might trim; a NULL cell is empty.
 * guard: NULL, or for each cell whether it is new text that a spreadsheet
 * would run as a formula (a leading =, +, -, @, tab or CR) were it not
 * prefixed with an apostrophe, as OWASP advises. */
void tocmp_record_write_row(tocmp_buf *b, const char *const *cells, size_t n,
                            const unsigned char *guard);

#endif
