/*
 * table.h -- data tables read from CSV files (RFC 4180, UTF-8), with typed
 * columns. The host lends them to calculator plugins as struct tocm_table.
 */
#ifndef TOCMP_TABLE_H
#define TOCMP_TABLE_H

#include <stddef.h>

#include "idmap.h"
#include "tocm/plugin.h"
#include "tocm/tocm.h"

struct tocm_table {
    char *path;
    size_t row_count, column_count;
    char **names;               /* column_count names (owned) */
    tocmp_idmap columns;        /* name -> column, so a lookup costs no scan */
    enum tocm_cell_type *types; /* column_count types */
    /* row_count * column_count cells, column by column: the cell of row r
     * and column c is at tocmp_table_cell(t, r, c). text points into `arena`;
     * number is valid when has_number is 1. */
    const char **text;
    double *number;
    unsigned char *has_number;
    char *arena; /* all cell text, NUL-separated (owned) */
};

struct tocmp_column_spec {
    const char *name;
    enum tocm_cell_type type;
};

/* Reads a CSV file with a header row. Columns named in specs get that type
 * and every cell is checked ("file:line:column: column 'x': 'abc' is not an
 * integer"); other columns are text. A spec naming a column the file lacks
 * is an error. On failure returns NULL with one diagnostic (code E3xx) in
 * diags; display_name is how the file is named in messages. new: free with
 * tocmp_table_free. */
struct tocm_table *tocmp_table_load(const char *path, const char *display_name,
                                    const struct tocmp_column_spec *specs, size_t spec_count,
                                    tocm_diags *diags);
void tocmp_table_free(struct tocm_table *t);
size_t tocmp_table_column(const struct tocm_table *t, const char *name);

/* Where the cell of row and col is in text, number and has_number. Column
 * by column, so that a calculator reading one column of many rows touches
 * that column's memory only, not every column of every row. */
static inline size_t tocmp_table_cell(const struct tocm_table *t, size_t row, size_t col) {
    return col * t->row_count + row;
}

#endif
