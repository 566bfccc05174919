/*
 * source.h -- data tables read from databases through source plugins (plugin
 * ABI 1.5): a table of the model with "database": NAME.
 */
#ifndef TOCMP_SOURCE_H
#define TOCMP_SOURCE_H

#include <stddef.h>

#include "table.h"
#include "tocm/host.h"
#include "tocm/plugin.h"
#include "tocm/tocm.h"

/* One model table's open connection. */
struct tocmp_source;

/* Connects table index of m through its "database" source and describes it:
 * returns the table with its columns named and typed (the database's types,
 * checked against the model's "columns") and no rows yet, and *out the
 * connection. NULL with one diagnostic (E310-E312) naming the table and its
 * source. model_dir: the model file's folder. new: free the table with
 * tocmp_table_free, the connection with tocmp_source_close. */
struct tocm_table *tocmp_source_open(const tocm_model *m, const tocm_registry *reg, size_t index,
                                     const char *model_dir, struct tocmp_source **out,
                                     tocm_diags *diags);

/* Reads every row of the table into t (described by tocmp_source_open; its
 * rows are still none), in batches through the source. 0, or -1 with one
 * diagnostic (E303, E313). */
int tocmp_source_scan(struct tocmp_source *s, struct tocm_table *t, tocm_diags *diags);

/* Called with each block of rows tocmp_source_blocks reads: 0 to go on, 1
 * to stop reading (not a failure). The block is borrowed for the call. */
typedef int (*tocm_source_block_fn)(void *ctx, const struct tocm_table *block);

/* Reads the rows of t (described by tocmp_source_open), only its columns
 * marked in need (one byte per column; the others are empty cells), in
 * blocks of a few thousand rows typed as a CSV file's cells are, each
 * handed to block then reused: memory is one block, whatever the table's
 * size. 0 (also when block stopped it), or -1 with one diagnostic (E303,
 * E313): the blocks already handed over are then worth nothing. */
int tocmp_source_blocks(struct tocmp_source *s, const struct tocm_table *t,
                        const unsigned char *need, tocm_source_block_fn block, void *ctx,
                        tocm_diags *diags);

/* Runs one statement of the host's (params bound as text) and calls row for
 * each result row. 0, or -1 with one diagnostic (E313) naming the table,
 * its source and indicator (may be NULL). When row returns -1 the caller
 * has reported why (or stops on purpose), and nothing is added. */
int tocmp_source_query(struct tocmp_source *s, const char *sql, const char *const *params,
                       size_t param_count, tocm_source_row_fn row, void *ctx, const char *indicator,
                       tocm_diags *diags);

/* What the SQL reads FROM: the quoted table name, or the query in
 * parentheses. Borrowed. */
const char *tocmp_source_relation(const struct tocmp_source *s);
/* The source plugin's description (placeholders, collation). Borrowed. */
const struct tocm_source *tocmp_source_driver(const struct tocmp_source *s);

void tocmp_source_close(struct tocmp_source *s);

#endif
