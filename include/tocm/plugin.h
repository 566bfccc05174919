/*
 * plugin.h -- the tocm plugin ABI. The only header a plugin needs.
 *
 * A plugin is a shared object with exactly one exported symbol,
 * tocm_plugin_entry (see TOCM_PLUGIN_DEFINE at the end). tocm dlopen()s it,
 * calls the entry with a const table of host functions, and gets back a
 * descriptor listing the calculators and exporters the plugin provides.
 * Plugins link nothing from tocm: everything they need comes through the
 * host table, so one .so works with every tocm of the same ABI major.
 *
 * Compatibility rules (after GStreamer and SQLite):
 *   - TOCM_ABI_MAJOR changes when anything already published changes; a
 *     plugin built for another major is refused.
 *   - TOCM_ABI_MINOR grows when something is appended: a new slot at the END
 *     of a struct or of the host table. A plugin built for a newer minor than
 *     the host's is refused (it may call slots the host lacks); an older one
 *     loads.
 *   - Every struct a plugin hands over carries its own size. The host copies
 *     min(size, sizeof) into a zeroed struct of its own, so slots a plugin
 *     does not know about read as zero/NULL, and checks that the required
 *     ones are present.
 *   - Always fill structs with designated initializers (.name = "..."), so
 *     slots can be appended without silently shifting meaning.
 *
 * History: 1.0 the first ABI; 1.1 appended tocm_calculator.flags; 1.2
 * appended tocm_exporter.options (struct tocm_option_info); 1.3 appended
 * tocm_host.export_report_json (the computed report, for exporters); 1.4
 * appended tocm_calculator.aggregate (struct tocm_aggregate: calculators as
 * mergeable aggregates, folded in one pass over the data); 1.5 appended
 * tocm_aggregate.sql_terms and sql_load (an aggregate's state computed by a
 * database, pushed down) and tocm_plugin.sources (struct tocm_source: data
 * tables read from databases).
 *
 * Ownership words, as in jansson: *borrowed* pointers stay owned by whoever
 * handed them over and are valid for the duration of the call (or, for
 * strings from the model, until the plugin's callback returns); *new*
 * pointers are the receiver's to free with host->free; nothing is *stolen*
 * across this boundary. No heap string crosses it: errors go into the
 * caller-owned, fixed-size struct tocm_error.
 */
#ifndef TOCM_PLUGIN_H
#define TOCM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TOCM_ABI_MAJOR 1
#define TOCM_ABI_MINOR 5
#define TOCM_ABI_MAKE(major, minor) ((uint32_t)(major) << 16 | (uint32_t)(minor))
#define TOCM_ABI_VERSION TOCM_ABI_MAKE(TOCM_ABI_MAJOR, TOCM_ABI_MINOR)
#define TOCM_ABI_MAJOR_OF(abi) ((uint32_t)(abi) >> 16)
#define TOCM_ABI_MINOR_OF(abi) ((uint32_t)(abi)&0xFFFFu)

/* The name of the one symbol a plugin exports. */
#define TOCM_PLUGIN_ENTRY_NAME "tocm_plugin_entry"

/* ---- Errors ----------------------------------------------------------- */

/* The sizes of the fixed text fields that cross the boundary (part of the
 * ABI: they never change within a major version). Longer text is cut. */
#define TOCM_ERROR_SOURCE_SIZE 80
#define TOCM_ERROR_TEXT_SIZE 256
#define TOCM_CALC_PART_NAME_SIZE 32
#define TOCM_CALC_NOTE_SIZE 128

/* Filled by whoever fails; owned by the caller. The first error set wins
 * (tocm_error_set does nothing when text[0] is already set). The host turns
 * it into one diagnostic (tocm.h, "Errors and memory"). */
typedef struct tocm_error {
    int code;                            /* 0 none; otherwise free for the plugin to choose */
    int line, column;                    /* where in an input, when the error is about one */
    char source[TOCM_ERROR_SOURCE_SIZE]; /* what the error is about: a file, a column, ... */
    char text[TOCM_ERROR_TEXT_SIZE];     /* one line, no trailing newline */
} tocm_error;

/* ---- Opaque objects the host lends to plugins -------------------------- */

typedef struct tocm_model tocm_model; /* the loaded model */
typedef struct tocm_table tocm_table; /* a data table (CSV) */
typedef struct tocm_calc_request tocm_calc_request;
typedef struct tocm_export_request tocm_export_request;

#define TOCM_NONE ((size_t)-1)

/* Cell types of data tables. */
enum tocm_cell_type {
    TOCM_CELL_TEXT = 0,
    TOCM_CELL_INTEGER = 1,
    TOCM_CELL_DECIMAL = 2,
    TOCM_CELL_DATE = 3, /* ISO 8601 text, compared as text */
};

enum tocm_log_level { TOCM_LOG_ERROR = 0, TOCM_LOG_WARNING = 1, TOCM_LOG_INFO = 2 };

/* ---- The host table ----------------------------------------------------
 * Handed to tocm_plugin_entry and to every callback. const: plugins never
 * write to it. Slots are only ever appended (check host->size, or rely on
 * the minor-version check, before using a slot newer than your ABI minor).
 * Every string returned is borrowed from the model or table. */
struct tocm_host {
    uint32_t abi;        /* TOCM_ABI_VERSION of the host */
    size_t size;         /* sizeof(struct tocm_host) of the host */
    const char *version; /* the tocm release, e.g. "0.1.0" */

    /* Memory: anything a plugin hands to the host to free (none in 1.0), or
     * the host hands to the plugin as *new*, uses these. */
    void *(*alloc)(size_t size);
    void (*free)(void *ptr);

    /* Sets err (first error wins) with a printf-style message. */
    void (*error_set)(tocm_error *err, const char *source, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
    /* A line on standard error, prefixed with the plugin's name. */
    void (*log)(enum tocm_log_level level, const char *plugin, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

    /* The program header: program_string(m, "title"), "id", "period.start"... */
    const char *(*program_string)(const tocm_model *m, const char *field);

    /* Levels, top (0) to bottom. */
    size_t (*level_count)(const tocm_model *m);
    const char *(*level_id)(const tocm_model *m, size_t level);
    const char *(*level_title)(const tocm_model *m, size_t level);
    int (*level_is_outcome)(const tocm_model *m, size_t level);

    /* Nodes in file order; indices are stable while the model lives. */
    size_t (*node_count)(const tocm_model *m);
    size_t (*node_find)(const tocm_model *m, const char *id); /* TOCM_NONE if absent */
    const char *(*node_id)(const tocm_model *m, size_t node);
    const char *(*node_title)(const tocm_model *m, size_t node);
    long (*node_level)(const tocm_model *m, size_t node); /* -1: unknown level */
    /* Any string field ("description", "country", "status", ...) or NULL. */
    const char *(*node_string)(const tocm_model *m, size_t node, const char *field);
    /* Items of an array-of-strings field ("partners", "assumptions"). */
    size_t (*node_list_count)(const tocm_model *m, size_t node, const char *field);
    const char *(*node_list_item)(const tocm_model *m, size_t node, const char *field, size_t i);
    /* 1 when the node itself is marked inferred. */
    int (*node_is_inferred)(const tocm_model *m, size_t node);

    /* Links: out = what the node contributes to; in = what contributes to it. */
    size_t (*edge_count)(const tocm_model *m);
    size_t (*node_out_count)(const tocm_model *m, size_t node);
    size_t (*node_out)(const tocm_model *m, size_t node, size_t i);
    size_t (*node_in_count)(const tocm_model *m, size_t node);
    size_t (*node_in)(const tocm_model *m, size_t node, size_t i);
    /* 1 when the link node -> node_out(node, i) is the modeller's inference. */
    int (*link_is_inferred)(const tocm_model *m, size_t node, size_t i);

    /* The model in the canonical JSON layout. new: free with host->free. */
    char *(*model_format)(const tocm_model *m, size_t *len);

    /* Indicators defined in the model, in file order. */
    size_t (*indicator_count)(const tocm_model *m);
    const char *(*indicator_id)(const tocm_model *m, size_t ind);
    /* Any string field of the indicator ("title", "measure", "unit", ...). */
    const char *(*indicator_string)(const tocm_model *m, size_t ind, const char *field);
    size_t (*indicator_node_count)(const tocm_model *m, size_t ind);
    size_t (*indicator_node)(const tocm_model *m, size_t ind, size_t i);

    /* Data tables: columns have a name and a type; a cell may be empty. */
    size_t (*table_row_count)(const tocm_table *t);
    size_t (*table_column_count)(const tocm_table *t);
    const char *(*table_column_name)(const tocm_table *t, size_t col);
    enum tocm_cell_type (*table_column_type)(const tocm_table *t, size_t col);
    size_t (*table_column_find)(const tocm_table *t, const char *name); /* TOCM_NONE */
    /* The cell as text; "" when empty. */
    const char *(*table_text)(const tocm_table *t, size_t row, size_t col);
    /* 1 and *out set for a non-empty numeric cell; 0 when empty or text. */
    int (*table_number)(const tocm_table *t, size_t row, size_t col, double *out);

    /* Calculator parameters (the indicator's "params" object). */
    const char *(*param_string)(const tocm_calc_request *req, const char *name);
    /* 1 and *out set when the parameter is a number; 0 otherwise. */
    int (*param_number)(const tocm_calc_request *req, const char *name, double *out);
    /* 1 when row matches the filter held in parameter `name` (a filter object
     * such as {"sex": "female"}); 1 as well when there is no such parameter. */
    int (*param_filter_matches)(const tocm_calc_request *req, const char *name, size_t row);

    /* Export options ("view", "color-by", ...): the value or NULL. */
    const char *(*export_option)(const tocm_export_request *req, const char *name);
    /* Appends bytes to the export's output. 0 on success, -1 on I/O error
     * (then stop: the host reports it). */
    int (*export_write)(const tocm_export_request *req, const void *data, size_t len);

    /* ---- ABI 1.3 ---- */
    /* The computed report, when the export was asked for with one (`tocm
     * report --format F`, `tocm render --color-by rag`): the JSON document
     * `tocm report --format json` prints, the same bytes, documented in
     * models/FORMAT.md. Borrowed, NUL-terminated, valid until the exporter's
     * write returns; *len (when len is not NULL) gets its length. NULL when
     * the export has no report (`tocm export`). An exporter reads it with
     * its own JSON parser, so the report's shape has one definition. */
    const char *(*export_report_json)(const tocm_export_request *req, size_t *len);
};

/* ---- Calculators -------------------------------------------------------
 * A calculator turns the rows of one cell (one period x one combination of
 * disaggregation values, already filtered by the host) into a figure. The
 * host computes totals by calling it again on the union of the parts' rows,
 * so a share or a distinct count across countries is always recomputed,
 * never averaged. */

#define TOCM_CALC_MAX_PARTS 8
#define TOCM_CALC_ADDITIVE 1u

struct tocm_calc_input {
    size_t size; /* sizeof(struct tocm_calc_input) of the host */
    const tocm_model *model;
    const tocm_table *table;
    const size_t *rows; /* borrowed: the cell's row indices */
    size_t row_count;
    const tocm_calc_request *request; /* for the param_* host functions */
};

struct tocm_calc_result {
    size_t size;   /* set by the host */
    int has_value; /* 0: no figure (no rows, zero denominator, ...) */
    double value;
    int has_ratio; /* 1 for shares and ratios: numerator/denominator kept */
    double numerator, denominator;
    /* Named sub-figures, e.g. gesi's female / male / other. */
    size_t part_count;
    struct {
        char name[TOCM_CALC_PART_NAME_SIZE];
        double value;
    } parts[TOCM_CALC_MAX_PARTS];
    char note[TOCM_CALC_NOTE_SIZE]; /* why there is no value, when has_value is 0 */
};

struct tocm_calculator {
    uint32_t abi;        /* TOCM_ABI_VERSION the plugin was built with */
    size_t size;         /* sizeof(struct tocm_calculator) */
    const char *name;    /* required: what indicators put in "calculator" */
    const char *summary; /* one line for `tocm plugins` */
    /* What the parameters are, one line each (may be NULL). */
    const char *params_help;
    /* Required. 0 on success (result filled; has_value may be 0), -1 on
     * failure with err set (a missing parameter, a column of the wrong
     * type). */
    int (*compute)(const struct tocm_host *host, const struct tocm_calc_input *in,
                   struct tocm_calc_result *out, tocm_error *err);

    /* ---- ABI 1.1 ---- */
    /* TOCM_CALC_ADDITIVE: the values of disjoint row sets add up to the
     * value of their union (count, sum). For results with a ratio, the host
     * checks numerators and denominators instead. Used for reconciliation
     * checks only; totals are always recomputed from rows. A 1.0 plugin's
     * calculators read as 0 here. */
    unsigned flags;

    /* ---- ABI 1.4 ---- */
    /* The calculator as a mergeable aggregate (below), or NULL: then, and
     * for every calculator built for ABI 1.0-1.3, the host computes each
     * cell through compute, re-reading the cell's rows. */
    const struct tocm_aggregate *aggregate;
};

/* ---- Mergeable aggregates (ABI 1.4) -------------------------------------
 * A calculator that can say what it reads, fold rows into a fixed-size
 * state and merge two states lets the host compute every cell of an
 * indicator in one pass over the data: each row is folded once into the
 * state of its finest cell (every disaggregation column x period), and every
 * margin and total is the combine of those states. So a share across
 * countries is still its numerators over its denominators, a mean still its
 * sum over its count and a distinct count the size of the union of the
 * sets: combine merges what compute would have recomputed from rows, never
 * the figures. The figures must be exactly those compute gives for the
 * same rows, whatever the order rows and states come in (integer sums are
 * exact; a calculator that cannot promise that for a table declines in
 * prepare and is computed through compute).
 *
 * Calls, per indicator: prepare once; then for each state init, update over
 * batches of rows, combine into other states, finalize into a result, and
 * release. States are the host's memory (state_size bytes, aligned for any
 * scalar); whatever a state allocates (with host->alloc) it frees in
 * release. */

#define TOCM_AGG_MAX_COLUMNS 8
#define TOCM_AGG_MAX_FILTERS 4
#define TOCM_AGG_CONFIG_SIZE 256

/* What prepare works out for one indicator; passed back to every call. */
struct tocm_agg_plan {
    size_t size; /* set by the host */
    /* The table columns update reads, by index (host->table_column_find);
     * the batch holds them in this order. */
    size_t column_count;
    size_t columns[TOCM_AGG_MAX_COLUMNS];
    /* Filter parameters ("where", "numerator", ...) the host evaluates on
     * each row, as param_filter_matches would; the batch holds a mask per
     * name in this order. The names must outlive the plan (literals). */
    size_t filter_count;
    const char *filters[TOCM_AGG_MAX_FILTERS];
    size_t state_size; /* bytes of one state: at least 1 */
    /* The calculator's own: what prepare decided (parameters read, column
     * types), so update need not ask again. The host never reads it. */
    union {
        unsigned char bytes[TOCM_AGG_CONFIG_SIZE];
        double align_double;
        void *align_pointer;
        uint64_t align_u64;
    } config;
};

/* One column of a batch: three parallel arrays of the batch's rows. */
struct tocm_agg_column {
    const double *number;            /* the number, where has_number is 1 */
    const unsigned char *has_number; /* 0: empty, or not a numeric column */
    const char *const *text;         /* the text; "" when empty */
};

/* Rows given to update: row i goes into states[i] (NULL: the row is not
 * the indicator's, skip it). The arrays are borrowed for the call; the
 * texts they point to stay valid until the indicator's last release, so a
 * state may keep them (a set of identifiers). */
struct tocm_agg_batch {
    size_t size; /* set by the host */
    size_t row_count;
    void *const *states;
    struct tocm_agg_column columns[TOCM_AGG_MAX_COLUMNS];
    /* Per plan filter: 1 where row i matches; NULL when the indicator has
     * no such parameter (every row matches, as param_filter_matches says). */
    const unsigned char *filters[TOCM_AGG_MAX_FILTERS];
};

/* ---- Pushed down (ABI 1.5) ---------------------------------------------
 * A table in a database (struct tocm_source below) need not send its rows:
 * the database can group them by the indicator's finest cells and compute
 * each cell's state, when the calculator says how its state is made of SQL
 * aggregates. sql_terms lists them, in terms of the plan prepare made (its
 * columns and filters, never SQL text: the host writes the SQL, with every
 * value from the model a bound parameter); the host runs one GROUP BY and
 * hands each result row to sql_load, which folds it into the (init'ed)
 * state of its cell exactly as update would have folded the rows it stands
 * for. Several result rows may go into one state (see TOCM_AGG_SQL_GROUP).
 * The figures must be the very ones update gives: terms are exact
 * (integer counts and sums; the database's integer arithmetic). */

#define TOCM_AGG_SQL_MAX_TERMS 8

enum tocm_agg_sql_op {
    /* The rows that meet the term's conditions. */
    TOCM_AGG_SQL_COUNT = 1,
    /* The sum of plan column `column` (an integer column) over those rows,
     * empty cells left out; "0" when there are none. */
    TOCM_AGG_SQL_SUM = 2,
    /* The sum of column x column2 (both integer) over those rows. */
    TOCM_AGG_SQL_SUM_PRODUCT = 3,
    /* The text of plan column `column` ("" when empty): the query groups by
     * it as well, so a cell comes as one result row per value it takes
     * (each with its own counts and sums). Conditions do not apply. */
    TOCM_AGG_SQL_GROUP = 4,
};

struct tocm_agg_sql_term {
    enum tocm_agg_sql_op op;
    size_t column, column2; /* indices into plan->columns (the batch order) */
    /* Conditions, ANDed: bit k of filters, the row passes plan filter k
     * (always, when the indicator has no such parameter); bit k of present,
     * plan column k is not empty. */
    unsigned filters, present;
};

/* Filled by sql_terms (zeroed by the host, size set). */
struct tocm_agg_sql {
    size_t size;
    size_t term_count;
    struct tocm_agg_sql_term terms[TOCM_AGG_SQL_MAX_TERMS];
};

/* sql_load's values: one per term, in order, as text ("0" for a count or
 * sum over no rows; integers in decimal, possibly beyond 64 bits). Borrowed;
 * a TOCM_AGG_SQL_GROUP text stays valid until the indicator's last release,
 * as a batch's texts do. sql_load returns 0, or -1 with err set (a value
 * that is not an integer). */

struct tocm_aggregate {
    size_t size; /* sizeof(struct tocm_aggregate) */
    /* Required. Reads the parameters and the table's columns (in->rows is
     * NULL: no rows yet) and fills plan. Returns 1 to be folded with this
     * plan, 0 to be computed through compute instead (say, a column whose
     * sum would depend on the order of rows), -1 with err set when the
     * parameters are wrong (as compute would fail). */
    int (*prepare)(const struct tocm_host *host, const struct tocm_calc_input *in,
                   struct tocm_agg_plan *plan, tocm_error *err);
    /* Required. An empty state: what compute gets for no rows. */
    void (*init)(const struct tocm_host *host, const struct tocm_agg_plan *plan, void *state);
    /* Required. Folds each row of the batch into its state. 0, or -1 with
     * err set (out of memory). */
    int (*update)(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                  const struct tocm_agg_batch *batch, tocm_error *err);
    /* Required. Adds from into into (from is left as it was). 0 or -1. */
    int (*combine)(const struct tocm_host *host, const struct tocm_agg_plan *plan, void *into,
                   const void *from, tocm_error *err);
    /* Required. The figure of a state, as compute fills it. 0 or -1. */
    int (*finalize)(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                    const void *state, struct tocm_calc_result *out, tocm_error *err);
    /* Frees what the state holds (not the state itself); NULL if nothing. */
    void (*release)(const struct tocm_host *host, const struct tocm_agg_plan *plan, void *state);

    /* ---- ABI 1.5 ---- */
    /* The state as SQL aggregates, so that a database computes it (below,
     * "Pushed down"). Optional: NULL, or 0 returned, and the rows are read
     * instead. Both or neither. */
    int (*sql_terms)(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                     struct tocm_agg_sql *sql, tocm_error *err);
    int (*sql_load)(const struct tocm_host *host, const struct tocm_agg_plan *plan,
                    const char *const *values, void *state, tocm_error *err);
};

/* ---- Exporters --------------------------------------------------------- */

/* One option an exporter reads through host->export_option (ABI 1.2). */
struct tocm_option_info {
    const char *name; /* required: what users write, --option NAME=VALUE */
    const char *arg;  /* what the value is, for help: "N", "TB|BT|LR|RL"; or NULL */
    const char *help; /* one line: what the option does, and its default */
};

struct tocm_export_input {
    size_t size;
    const tocm_model *model;
    const char *format;                 /* one of the exporter's formats */
    const tocm_export_request *request; /* for export_option / export_write */
};

struct tocm_exporter {
    uint32_t abi;
    size_t size;
    const char *name; /* required: `tocm export -T FORMAT` finds it by format */
    const char *summary;
    /* Required: NULL-terminated list of the formats it writes ("svg", ...). */
    const char *const *formats;
    /* Required. 0 on success, -1 on failure with err set. */
    int (*write)(const struct tocm_host *host, const struct tocm_export_input *in, tocm_error *err);

    /* ---- ABI 1.2 ---- */
    /* Every option the exporter reads, ended by an entry whose name is NULL;
     * NULL when it reads none. The host refuses an export given any other
     * option with an error that names the declared ones, so a misspelt
     * option stops the export instead of being silently ignored, and
     * `tocm plugins` lists them with their help. (An exporter built for ABI
     * 1.0 or 1.1 declares nothing: the host passes it every option
     * unchecked, as those versions did.) */
    const struct tocm_option_info *options;
};

/* ---- Table sources (ABI 1.5) -------------------------------------------
 * Where a table's rows come from when it is not a CSV file: a table in the
 * model with "database": NAME is read through the source of that name. The
 * host writes every SQL statement (plain SQL the source's database
 * understands, with the placeholder style and text collation the source
 * declares) and binds every value from the model as a parameter; the source
 * connects, prepares, binds, runs and hands back rows as text. Calls, per
 * table: open, describe, then query any number of times (a GROUP BY per
 * pushed-down indicator, or a scan of every row), then close. A source
 * reports failures in err, one line, naming what failed and never a
 * password; the host adds the table's name. */

/* The placeholders of bound parameters: "$1", "$2"... (else "?"). */
#define TOCM_SOURCE_NUMBERED_PARAMS 1u

struct tocm_source_input {
    size_t size;
    const tocm_model *model;
    const char *table;     /* the table's name in the model */
    const char *model_dir; /* the model file's folder, for relative paths */
    /* The table's string members ("path", "dsn_env", "table", "query"),
     * borrowed from the model, or NULL. */
    const char *(*option)(const struct tocm_source_input *in, const char *name);
    const void *host_data; /* the host's, for option */
};

/* One column of a query's result. */
struct tocm_source_column {
    char name[TOCM_ERROR_TEXT_SIZE];
    enum tocm_cell_type type;
    int typed; /* 1: the database declares the type; 0: it does not know (then TEXT) */
};

/* One result row: values[i] is column i as text, NULL when SQL NULL.
 * Borrowed for the call. Return 0 to go on, -1 to stop the query (the host
 * has its reason). */
typedef int (*tocm_source_row_fn)(void *ctx, size_t column_count, const char *const *values);

struct tocm_source {
    uint32_t abi;
    size_t size;
    const char *name; /* required: what tables put in "database" */
    const char *summary;
    unsigned flags;             /* TOCM_SOURCE_NUMBERED_PARAMS */
    const char *text_collation; /* written after a text operand compared by order
                                   (COLLATE "C"), so it orders as bytes; or NULL */
    /* Required. Connects (or opens the file) for the table described by in;
     * *handle (the source's own) goes to every later call. 0 or -1. */
    int (*open)(const struct tocm_host *host, const struct tocm_source_input *in, void **handle,
                tocm_error *err);
    /* Required. The columns sql would return (it is not run): *columns new
     * (host->alloc; the host frees it with host->free), *count of them. */
    int (*describe)(const struct tocm_host *host, void *handle, const char *sql,
                    struct tocm_source_column **columns, size_t *count, tocm_error *err);
    /* Required. Runs sql with params[0..param_count) bound as text and
     * calls row for each result row, in batches so that memory stays
     * bounded whatever the row count. 0, or -1 with err set (also when row
     * returned -1: then err may be left empty). */
    int (*query)(const struct tocm_host *host, void *handle, const char *sql,
                 const char *const *params, size_t param_count, tocm_source_row_fn row, void *ctx,
                 tocm_error *err);
    /* Required. Disconnects; handle is not used again. */
    void (*close)(const struct tocm_host *host, void *handle);
};

/* ---- The plugin descriptor --------------------------------------------- */

struct tocm_plugin {
    uint32_t abi;        /* TOCM_ABI_VERSION */
    size_t size;         /* sizeof(struct tocm_plugin) */
    const char *name;    /* required, unique among loaded plugins */
    const char *version; /* the plugin's own version */
    const char *summary;
    const struct tocm_calculator *const *calculators; /* NULL-terminated, or NULL */
    const struct tocm_exporter *const *exporters;     /* NULL-terminated, or NULL */

    /* ---- ABI 1.5 ---- */
    const struct tocm_source *const *sources; /* NULL-terminated, or NULL */
};

/* The entry point. Return 0 and set *out (borrowed: it must stay valid while
 * the plugin is loaded, so make it static) on success; -1 with err set to
 * refuse to load (say why: a missing font, an unsupported host). */
typedef int (*tocm_plugin_entry_fn)(const struct tocm_host *host, const struct tocm_plugin **out,
                                    tocm_error *err);

#if defined(__GNUC__)
#define TOCM_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define TOCM_PLUGIN_EXPORT
#endif

/* Declares the entry point with the exact name and visibility tocm looks
 * for. Use it once per plugin:
 *     TOCM_PLUGIN_DEFINE(host, out, err) { *out = &my_plugin; return 0; }
 */
#define TOCM_PLUGIN_DEFINE(host, out, err)                                                         \
    TOCM_PLUGIN_EXPORT int tocm_plugin_entry(const struct tocm_host *,                             \
                                             const struct tocm_plugin **, tocm_error *);           \
    TOCM_PLUGIN_EXPORT int tocm_plugin_entry(const struct tocm_host *host,                         \
                                             const struct tocm_plugin **out, tocm_error *err)

#ifdef __cplusplus
}
#endif
#endif
