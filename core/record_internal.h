/*
 * record_internal.h -- what the files of `tocm record` share:
 *
 *   record.c           the transaction: each record checked, the cells
 *                      found, the figures put in, the model wired;
 *   record_indicator.c what the indicator's figures need: its measure,
 *                      breakdowns, periods, and its table or a new one;
 *   record_check.c     one record checked, every problem listed;
 *   record_sheet.c     the results table in memory, read from its file and
 *                      read back as the report would;
 *   record_write.c     a new table's name and definition, and the
 *                      table's CSV text (record_write.h);
 *   record_csv.c       the bulk form: records read from a CSV file.
 */
#ifndef TOCMP_RECORD_INTERNAL_H
#define TOCMP_RECORD_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "edit_internal.h"

/* The results table as it will be written. */
struct sheet {
    char **names; /* header */
    size_t cols;
    char ***rows; /* rows[r][c], owned */
    size_t count, cap;
    int bom; /* the file started with a byte-order mark: kept */
};

/* One `tocm record` of an indicator's figures. */
struct recording {
    tocm_edit *e;
    const char *id;
    json_t *ind, *table_def;
    const char *table_name; /* owned by `made` or the model */
    char *made_name;        /* a table made for the indicator */
    const char *period_col;
    const char **dims;
    size_t dim_count;
    int qualitative;
    const char *measure;
    json_t *periods; /* the valid periods: an object used as an ordered set */
    json_t *countries;
    struct sheet sheet;
    const char *from;
    tocm_diags *problems;
    size_t bad;
};

/* ---- record_indicator.c --------------------------------------------------- */

/* Finds the indicator and what its figures need; table_def stays NULL when
 * it has no table yet. On failure sets the edit's error. */
int tocmp_record_prepare(struct recording *c);
/* The periods a figure may be for (c->periods): the plan's, the program's
 * years, those already in c->sheet; sorted. */
void tocmp_record_collect_periods(struct recording *c);
/* The definition of a new results table called name. new. */
json_t *tocmp_record_new_table_def(struct recording *c, const char *name);

/* ---- record_check.c ------------------------------------------------------- */

/* Checks one record against the indicator and its table, adding each
 * problem to c->problems (c->bad counts them). */
void tocmp_record_check(struct recording *c, const tocm_record *r);
/* Adds a problem of record r in column to c->problems. */
void tocmp_record_problem(struct recording *c, const tocm_record *r, const char *column,
                          const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The value r gives for breakdown key, or NULL. */
const char *tocmp_record_dim_value(const tocm_record *r, const char *key);
/* The type the table's definition gives column name ("text" when none). */
const char *tocmp_record_col_type(const struct recording *c, const char *name);
/* A whole number of at most 18 digits, with an optional sign. */
int tocmp_record_is_integer(const char *s);

/* ---- record_sheet.c ------------------------------------------------------- */

void tocmp_sheet_free(struct sheet *s);
/* The index of column name, or -1. */
long tocmp_sheet_col(const struct sheet *s, const char *name);
/* Adds an empty column at the right; returns its index. */
size_t tocmp_sheet_add_col(struct sheet *s, const char *name);
/* Adds a row of empty cells at the end; returns it. */
char **tocmp_sheet_new_row(struct sheet *s);
/* Replaces a cell's text (NULL: empty). */
void tocmp_sheet_put(char **row, long col, const char *text);
/* Reads the table at path into s: as an earlier record of this edit left
 * it, or from the file, with table_def's column types. On failure sets the
 * edit's error. */
int tocmp_sheet_read(struct sheet *s, tocm_edit *e, json_t *table_def, const char *path,
                     const char *shown);
/* Reads text back as the report would, with table_def's column types. On
 * failure sets the edit's error. */
int tocmp_sheet_read_back(tocm_edit *e, json_t *table_def, const char *text, size_t len,
                          const char *shown);

/* ---- record_write.c ------------------------------------------------------- */

/* The table's CSV text. guard_rows: the new rows; guard_cols: their text
 * columns (a number is never a formula, and -3 must stay -3). new. */
char *tocmp_sheet_compose(const struct sheet *s, const unsigned char *guard_rows,
                          const unsigned char *guard_cols, size_t *len);

#endif
