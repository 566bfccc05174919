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
    /* Cells between one column's first row and the next's: row_count for a
     * table read whole, the room of the block for one read in chunks. */
    size_t stride;
    size_t room;                /* cells the arrays hold (a block's, reused for the next) */
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
    /* 1 when every text may be read TOCMP_TABLE_PAD bytes past its NUL (a
     * chunk's buffer is padded so), letting a reader load whole words. */
    int text_padded;
};

/* Zero bytes after the last text of a chunk (text_padded). */
#define TOCMP_TABLE_PAD 8

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

/* Checks a non-empty cell's text against type as a CSV cell is checked:
 * 1 (with *out the number, for integer and decimal) or 0 when it is not of
 * the type; and the type as messages word it ("a whole number"). For table
 * sources (source.c). */
int tocmp_cell_parse(enum tocm_cell_type type, const char *text, double *out);
const char *tocmp_cell_type_name(enum tocm_cell_type type);

/* Where the cell of row and col is in text, number and has_number. Column
 * by column, so that a calculator reading one column of many rows touches
 * that column's memory only, not every column of every row. */
static inline size_t tocmp_table_cell(const struct tocm_table *t, size_t row, size_t col) {
    return col * t->stride + row;
}

/* ---- Reading a table in chunks (table_stream.c) --------------------------
 * For a table that is folded as it is read: memory depends on the chunk
 * size, not on the file's. The reader (one thread) cuts the file into
 * chunks of whole records; each chunk is parsed (on any thread) into a
 * block, a struct tocm_table of the chunk's rows that shares the header's
 * columns; the chunks' errors are reported at the end in file order, as
 * tocmp_table_load would report them for the whole file. */

struct tocmp_table_stream;
struct tocmp_table_chunk;

/* Opens path and reads its header (the columns typed from specs). NULL with
 * the error in diags (E301, E304, E306) when the file cannot be read or its
 * header is wrong. chunk_bytes: about how much each chunk holds. new: free
 * with tocmp_table_stream_close. */
struct tocmp_table_stream *tocmp_table_stream_open(const char *path, const char *display_name,
                                                   const struct tocmp_column_spec *specs,
                                                   size_t spec_count, size_t chunk_bytes,
                                                   tocm_diags *diags);
/* The header: names, types and the column index; no rows. Valid until close. */
const struct tocm_table *tocmp_table_stream_header(const struct tocmp_table_stream *s);
/* The next chunk (whole records), or NULL at the end of the file or when it
 * could not be read further (then tocmp_table_stream_finish says so). The
 * chunk stays the stream's; parse it with tocmp_table_chunk_parse. */
struct tocmp_table_chunk *tocmp_table_stream_next(struct tocmp_table_stream *s);
/* Parses the chunk's next records, at most max_rows of them, into block
 * (set up by tocmp_table_block_init: its arrays are reused and grown), so
 * that a caller folds each piece while its bytes are in the cache. Returns
 * 1 when it parsed a piece (block->row_count rows, maybe none: blank lines,
 * dropped rows), 0 when the chunk is done (or stopped at a fatal error).
 * Thread-safe for distinct chunks and blocks. The block's texts point into
 * the chunk (padded: text_padded): valid until tocmp_table_chunk_done. */
int tocmp_table_chunk_parse(struct tocmp_table_chunk *chunk, struct tocm_table *block,
                            size_t max_rows);
/* 1 when the chunk had an error: the table is lost, the rest need not be
 * folded (but is still read and parsed, so every error is counted). */
int tocmp_table_chunk_failed(const struct tocmp_table_chunk *chunk);
/* Frees the chunk's bytes (its errors are kept for finish). */
void tocmp_table_chunk_done(struct tocmp_table_chunk *chunk);
/* After the last chunk was parsed: adds every error in file order to diags.
 * Returns the data rows read, or (size_t)-1 when the file had errors. */
size_t tocmp_table_stream_finish(struct tocmp_table_stream *s, tocm_diags *diags);
void tocmp_table_stream_close(struct tocmp_table_stream *s);

/* A block of rows with header's columns (borrowed), empty. */
void tocmp_table_block_init(struct tocm_table *block, const struct tocm_table *header);
void tocmp_table_block_free(struct tocm_table *block);

#endif
