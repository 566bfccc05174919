/*
 * engine_parts.h -- what the files of the engine share: the context of one
 * report, an indicator being computed and the cells it has computed so far.
 * Private to engine*.c; the rest of the library sees engine.h.
 */
#ifndef TOCMP_ENGINE_PARTS_H
#define TOCMP_ENGINE_PARTS_H

#include <jansson.h>
#include <stddef.h>

#include "engine.h"
#include "engine_internal.h"
#include "idmap.h"
#include "table.h"

#define MAX_DIMS 6
/* The most cells one indicator may have (E413): each costs about a
 * kilobyte, and no one reads a table of more. */
#define TOCMP_REPORT_MAX_CELLS 50000

/* One computed figure, kept for the reconciliation and reported checks. */
struct cell {
    unsigned mask;         /* which dimensions it is broken down by */
    long period;           /* period rank, or -1 for the total over periods */
    size_t dims[MAX_DIMS]; /* value rank per dimension (valid where mask has it) */
    struct tocm_calc_result r;
    json_t *json; /* borrowed from the indicator's cells array */
};

struct interned {
    tocmp_idmap ids;     /* text -> id in first-seen order */
    const char **names;  /* id -> text (borrowed from the table) */
    size_t *rank;        /* id -> position in sorted order */
    const char **sorted; /* rank -> text */
    size_t count, cap;
};

struct ctx {
    const tocm_model *m;
    const tocm_registry *reg;
    const tocm_report_options *opts;
    tocm_diags *diags;
    /* The data of the model's tables (model->tables), read when an
     * indicator first needs one; NULL when it could not be read. */
    struct tocm_table **tables;
    unsigned char *table_read;
    size_t *table_diag; /* the first diagnostic of each table's reading */
    /* Tables in databases (ABI 1.5): the open connection (NULL for a CSV
     * file), and whether the rows have been read (else the table is only
     * described, and indicators push their aggregation down). */
    struct tocmp_source **sources;
    unsigned char *scanned;
    char *model_dir;
    json_t *checks;
    size_t errors;
    unsigned jobs;                 /* threads that parse and fold (engine_stream.c) */
    struct tocmp_stream **streams; /* per table: read in chunks, or NULL */
    const unsigned char *selected; /* the indicators reported, NULL for all */
};

struct indicator {
    size_t index;
    const struct tocmp_indicator *model; /* the model's indicator */
    json_t *def;                         /* its object, for nested members */
    const char *id;
    const struct tocm_calculator *calc;
    struct tocm_table *table;
    int percentage, decimals, lower_is_better;
    int qualitative;           /* measure "qualitative": the figures are texts */
    int zero_fill;             /* "zero_fill": a period with no rows is 0, not "not reported" */
    double achieved, on_track; /* thresholds: the indicator's own, else the model's */
    enum { AGG_PERIODIC, AGG_CUMULATIVE, AGG_LATEST } aggregation;
    size_t period_col; /* TOCM_NONE: one period, "all" */
    size_t dim_cols[MAX_DIMS];
    const char *dim_names[MAX_DIMS];
    size_t dim_count;
    struct interned periods;
    struct interned dims[MAX_DIMS];
    struct cell *cells;
    size_t cell_count, cell_cap;
};

struct triple {
    size_t key, period, row;
};

/* ---- engine.c: the driver ---------------------------------------------- */

/* Reports an error about an indicator in the diagnostics and counts it.
 * Takes path and message (both new). */
void tocmp_engine_fail(struct ctx *c, const char *code, char *path, const char *indicator,
                       char *message);

/* ---- engine_group.c: interning, grouping and cells -------------------- */

/* The id of text in in (borrowed: it must outlive in), adding it if new. */
size_t tocmp_intern(struct interned *in, const char *text);
/* Orders the interned values: numerically when every value is a number
 * (years), else as text. Fills in->rank and in->sorted. */
void tocmp_rank_values(struct interned *in);
void tocmp_interned_free(struct interned *in);

/* {dimension: value} of the dimensions mask names. new. */
json_t *tocmp_dims_json(const struct indicator *ind, unsigned mask, const size_t *dims);
/* The name of a period rank: "total" for -1, "all" with no period column. */
const char *tocmp_period_name(const struct indicator *ind, long period);

/* Computes the cells of one subset (mask) of the dimensions over the
 * filtered rows[0..row_count), appending their JSON to cells_json and the
 * cells to ind->cells. 0, or -1 when a calculator failed (reported). */
int tocmp_compute_subset(struct ctx *c, struct indicator *ind, const size_t *rows, size_t row_count,
                         const size_t *period_of, size_t *const *dim_of, unsigned mask,
                         json_t *cells_json, const struct tocm_calc_request *req);

/* 1, with r filled as "not reported", when a cell with own rows of its
 * period is not reported (no data for the period), rather than computed. */
int tocmp_cell_unreported(const struct indicator *ind, size_t own, long period,
                          struct tocm_calc_result *r);
/* Reports a calculator's failure on ind (E409) from err. */
void tocmp_calc_failed(struct ctx *c, const struct indicator *ind, const tocm_error *err);
/* Appends the cell of result r, over n rows of which the period's own are
 * own_rows[0..own) (read only for results tables; NULL when folded), with
 * value ranks dims (valid where mask has a bit), to ind->cells and its
 * JSON to cells_json (when the period is in the output). */
void tocmp_add_cell(struct ctx *c, struct indicator *ind, struct tocm_calc_result r, size_t n,
                    const size_t *own_rows, size_t own, const size_t *dims, unsigned mask,
                    long period, json_t *cells_json);

/* ---- engine_fold.c: one pass with mergeable aggregates (ABI 1.4) ------- */

/* Computes every cell of ind, as tocmp_compute_subset does for each subset
 * in turn, by folding each filtered row (rows[0..n), their period ranks and
 * value ids) once into its finest cell's state and combining states for
 * every margin. 1 when done, 0 when the calculator has no aggregate or
 * declines the indicator (nothing done: compute it through rows), -1 when
 * it failed (reported). */
int tocmp_fold_indicator(struct ctx *c, struct indicator *ind, const size_t *rows, size_t n,
                         const size_t *period_of, size_t *const *dim_of, json_t *cells_json,
                         const struct tocm_calc_request *req);

/* Rows per batch handed to a calculator's update: the slices of a few
 * columns stay in the L1/L2 cache. */
#define TOCMP_FOLD_BATCH 2048
/* The most (finest cells x periods) the dense index of an indicator's cells
 * covers: 4 bytes each. Sparser breakdowns than that are computed through
 * rows. */
#define TOCMP_FOLD_MAX_KEYS ((size_t)1 << 22)

/* States of one size, in chunks so that a state never moves. */
#define TOCMP_POOL_CHUNK 256
struct tocmp_pool {
    unsigned char **chunks;
    size_t count, size; /* states made; bytes of one (aligned) */
};
/* One indicator's aggregate: the calculator, its plan, and its calls. */
struct tocmp_fold {
    struct ctx *c;
    struct indicator *ind;
    const struct tocm_aggregate *agg;
    const char *plugin;
    const struct tocm_host *host;
    struct tocm_agg_plan plan;
    size_t state_size;
    tocm_error err;
};
void *tocmp_pool_at(const struct tocmp_pool *p, size_t i);
/* A new, zeroed state (not yet init). */
void *tocmp_pool_new(struct tocmp_pool *p);
/* Releases every state of p and frees it. */
void tocmp_pool_free(struct tocmp_fold *f, struct tocmp_pool *p);
void tocmp_state_init(struct tocmp_fold *f, void *state);
/* Combines from into into: 0, or -1 with f->err set (not reported). */
int tocmp_state_combine(struct tocmp_fold *f, void *into, const void *from);

/* Every cell of f->ind from its finest states (finest->count of them, state
 * i for the finest key key_of[i] over rows_of[i] rows: the dimensions'
 * value ranks as one mixed-radix number, then the period rank) over n rows
 * in all, the last period with rows being last_data. 0, or -1 when the
 * calculator failed (reported). */
int tocmp_fold_cells(struct tocmp_fold *f, size_t n, size_t last_data,
                     const struct tocmp_pool *finest, const size_t *key_of, const size_t *rows_of,
                     json_t *cells_json);

/* ---- engine_stream.c: tables read in chunks, folded as they come ------ */

/* Before any indicator is computed: reads every table all of whose
 * selected indicators fold (ABI 1.4 aggregates), once for all of them, in
 * chunks folded as they come, on c->jobs threads. The other tables are read
 * whole when first needed (tocmp_table_load). */
void tocmp_stream_tables(struct ctx *c, const unsigned char *selected);
/* The table of index when it was streamed: the header (no rows) or NULL
 * when it could not be read, its diagnostics added now. *streamed is 0 when
 * the table was not streamed (read it whole). */
struct tocm_table *tocmp_stream_table(struct ctx *c, size_t index, int *streamed);
/* The table's columns as the model types them (engine_stream.c). new
 * (free); *count set. */
struct tocmp_table;
struct tocmp_column_spec *tocmp_table_specs(const struct tocmp_table *def, size_t *count);
/* Computes the cells of ind from the states its table's stream folded, as
 * tocmp_fold_indicator does from rows, after interning its period and
 * dimension values (ind->periods before its target periods are added).
 * Returns 0 when ind was not streamed (compute it from rows). 1 when its
 * values are interned: then call tocmp_stream_cells. */
int tocmp_stream_values(struct ctx *c, struct indicator *ind);
/* 1 when done, -1 when the calculator failed (reported). */
int tocmp_stream_cells(struct ctx *c, struct indicator *ind, json_t *cells_json);
void tocmp_stream_free(struct ctx *c);

/* A table whose rows come from elsewhere (a database cursor), folded block
 * by block as they come: memory is a block and the states, not the rows.
 * Plans the selected indicators of table t from the first-th on, over
 * header (t's described table, c->tables[t]); NULL when one of them needs
 * the rows whole, or none folds (TOCM_ENGINE_ROWS=1). need (one byte per
 * column of header) is set to the columns the indicators read. */
struct tocmp_stream *tocmp_stream_begin(struct ctx *c, size_t t, size_t first,
                                        const struct tocm_table *header, unsigned char *need);
/* Folds a block of rows (header's columns; those not in need may be
 * empty). 1 when there are more states than a report holds: stop reading,
 * tocmp_stream_end will give up. */
int tocmp_stream_fold(struct tocmp_stream *st, const struct tocm_table *block);
/* After the last block: 1 when the stream is t's (c->streams[t], which
 * then owns c->tables[t]), 0 when its states cannot be used (freed: read
 * the rows whole instead). */
int tocmp_stream_end(struct ctx *c, size_t t, struct tocmp_stream *st);
/* Frees a stream that failed part way. */
void tocmp_stream_discard(struct tocmp_stream *st);

/* ---- engine_source.c: tables in databases (ABI 1.5) -------------------- */

/* Connects table index (it has "database") and describes it: the table
 * with no rows yet, or NULL (reported). */
struct tocm_table *tocmp_engine_source_open(struct ctx *c, size_t index);
/* Reads the rows of table index when it is a database's not yet read, for
 * the indicator-th indicator of the model and the later ones of the table:
 * folded as they come (engine_stream.c) when they all fold, else held
 * whole. 0, or -1 (reported; the table is then failed: c->tables[index] is
 * NULL). */
int tocmp_engine_source_rows(struct ctx *c, size_t index, size_t indicator);
void tocmp_engine_sources_close(struct ctx *c);

/* An indicator's finest states as the database computed them. */
struct tocmp_pushed;
/* Asks the database of ind's table (described, not read) for ind's finest
 * states, filter as WHERE, and interns their periods and values into ind.
 * 1 with *out set; 0 when it cannot be pushed down (read the rows); -1 on
 * failure (reported; a failed query fails the table). */
int tocmp_push_down(struct ctx *c, struct indicator *ind, json_t *filter,
                    const struct tocm_calc_request *req, struct tocmp_pushed **out);
/* Every cell of ind from p, once ind's periods and values are ranked: as
 * tocmp_fold_given. */
int tocmp_pushed_cells(struct ctx *c, struct indicator *ind, struct tocmp_pushed *p,
                       json_t *cells_json);
void tocmp_pushed_free(struct tocmp_pushed *p);

/* ---- engine_status.c ---------------------------------------------------- */

/* Sets "target", "status" and "progress" on a total cell's JSON when the
 * indicator has a target for its period. */
void tocmp_add_status(struct ctx *c, const struct indicator *ind, const struct cell *cell);
/* The same for the cell JSON j of a period by name with figure r: also for a
 * cell the data has no rows for (a printed figure shown in its place). */
void tocmp_add_status_at(struct ctx *c, const struct indicator *ind, const char *period,
                         const struct tocm_calc_result *r, json_t *j);

/* Puts the figure r in the cell JSON j of period (by name): value,
 * display, parts, note and status, dropping what its old figure decided. */
void tocmp_cell_refigure(struct ctx *c, const struct indicator *ind, json_t *j, const char *period,
                         const struct tocm_calc_result *r);
/* For an indicator aggregated as "latest": each total whose last period
 * (the last with rows) has no figure takes the same breakdown's latest
 * figure; every total with a figure says its period ("latest_period"). */
void tocmp_latest_fill(struct ctx *c, struct indicator *ind);

/* ---- engine_checks.c ---------------------------------------------------- */

/* Appends a "reconciliation" check for every margin its parts do not add
 * up to. */
void tocmp_reconcile(struct ctx *c, const struct indicator *ind);
/* Appends a check for every printed figure that disagrees with the data or
 * has no data; marks each agreeing cell "reported". A printed figure the
 * data gives none for is shown in its cell (one added to cells_json, and
 * its dimensions to dimensions, when the data has no such cell), marked
 * "origin": "reported". */
void tocmp_check_reported(struct ctx *c, const struct indicator *ind, json_t *cells_json,
                          json_t *dimensions);

/* ---- engine_rollup.c ---------------------------------------------------- */

/* The "rollup" array of a report from its computed indicators. country:
 * the report is cut to that country (--country), whose cells stand for
 * the totals; NULL: none. related_only: count only the projects that
 * contribute to a node one of indicators measures (the indicators were
 * chosen by name). Each entry's "left_out" names the nodes whose status is
 * not one of status.node_statuses (W206). new. */
json_t *tocmp_rollup(const tocm_model *m, json_t *indicators, const char *country,
                     int related_only);

#endif
