/*
 * source.c -- data tables read from databases through source plugins (ABI
 * 1.5). The plugin connects, runs what the host asks and hands back rows as
 * text; everything tocm-specific stays here: which relation a table is
 * (quoted name or the model's query), how the database's column types meet
 * the model's "columns", how rows become a column-major struct tocm_table
 * (typed exactly as a CSV file's cells are), and how a failure is worded:
 * one line naming the table and its source, never a connection string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "model_internal.h"
#include "source.h"
#include "util.h"

struct tocmp_source {
    const tocm_model *m;
    size_t index;                  /* the table in m->tables */
    const struct tocm_source *drv; /* the registry's copy */
    const char *plugin;            /* the plugin's name, for the guard */
    void *handle;                  /* the plugin's connection */
    char *relation;                /* what SQL reads FROM */
};

/* ---- messages ------------------------------------------------------------ */

/* One error about the table: "table 'visits' (postgres): WHAT: WHY". */
static void table_error(const struct tocmp_source *s, const char *code, const char *database,
                        const char *indicator, const tocm_error *err, const char *what,
                        tocm_diags *diags) {
    const struct tocmp_table *t = &s->m->tables[s->index];
    char *path = tocmp_asprintf("/tables/%s", t->name);
    tocm_diags_add(diags, TOCM_SEV_ERROR, code, s->m->file, 0, 0, path, indicator,
                   "table '%s' (%s): %s%s%s%s%s", t->name, database, what,
                   err && err->text[0] ? ": " : "", err ? err->text : "",
                   err && err->source[0] ? " — " : "", err ? err->source : "");
    free(path);
}

/* The model table's string member name, for the plugin. */
static const char *table_option(const struct tocm_source_input *in, const char *name) {
    const struct tocmp_table *t = in->host_data;
    json_t *v = json_object_get(t->json, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An SQL identifier in double quotes, doubling any inside. */
static void quote_identifier(tocmp_buf *b, const char *name, size_t len) {
    tocmp_buf_puts(b, "\"");
    for (size_t i = 0; i < len; i++)
        tocmp_buf_append(b, name[i] == '"' ? "\"\"" : name + i, name[i] == '"' ? 2 : 1);
    tocmp_buf_puts(b, "\"");
}

/* "table": "visits" or "monitoring.visits" (schema and name, each quoted);
 * "query": any SELECT of the model's author, as a subquery. NULL (with why)
 * when the table names neither or both. */
static char *relation_of(const struct tocmp_table *t, const char **why) {
    json_t *table = json_object_get(t->json, "table"), *query = json_object_get(t->json, "query");
    if (!!json_is_string(table) == !!json_is_string(query)) {
        *why = json_is_string(table) ? "give either \"table\" or \"query\", not both"
                                     : "name the data with \"table\" (a table or view) or "
                                       "\"query\" (a SELECT)";
        return NULL;
    }
    tocmp_buf b = {0};
    if (json_is_string(query)) {
        tocmp_buf_printf(&b, "(%s) AS tocm_query", json_string_value(query));
        return b.data;
    }
    const char *name = json_string_value(table), *dot = strchr(name, '.');
    if (!*name || (dot && (dot == name || !dot[1]))) {
        *why = "\"table\" is empty, or a schema or name around its dot is";
        return NULL;
    }
    if (dot) {
        quote_identifier(&b, name, (size_t)(dot - name));
        tocmp_buf_printf(&b, ".");
        name = dot + 1;
    }
    quote_identifier(&b, name, strlen(name));
    return b.data;
}

static enum tocm_cell_type model_type(const char *t) {
    return strcmp(t, "integer") == 0   ? TOCM_CELL_INTEGER
           : strcmp(t, "decimal") == 0 ? TOCM_CELL_DECIMAL
           : strcmp(t, "date") == 0    ? TOCM_CELL_DATE
                                       : TOCM_CELL_TEXT;
}

static const char *type_word(enum tocm_cell_type t) {
    switch (t) {
    case TOCM_CELL_INTEGER: return "integer";
    case TOCM_CELL_DECIMAL: return "decimal";
    case TOCM_CELL_DATE: return "date";
    case TOCM_CELL_TEXT: break;
    }
    return "text";
}

/* ---- opening ------------------------------------------------------------- */

struct tocm_table *tocmp_source_open(const tocm_model *m, const tocm_registry *reg, size_t index,
                                     const char *model_dir, struct tocmp_source **out,
                                     tocm_diags *diags) {
    const struct tocmp_table *def = &m->tables[index];
    const char *database = json_string_value(json_object_get(def->json, "database"));
    struct tocmp_source *s = tocmp_xcalloc(1, sizeof *s);
    s->m = m;
    s->index = index;
    *out = NULL;
    s->drv = tocm_registry_source(reg, database);
    if (!s->drv) {
        tocm_error e = {0};
        snprintf(e.text, sizeof e.text,
                 "no loaded plugin reads this database (see 'tocm plugins')");
        table_error(s, "E310", database, NULL, &e, "cannot open it", diags);
        free(s);
        return NULL;
    }
    s->plugin = tocm_registry_plugin_of(reg, s->drv);
    const char *why = NULL;
    s->relation = relation_of(def, &why);
    if (!s->relation) {
        tocm_error e = {0};
        snprintf(e.text, sizeof e.text, "%s", why);
        table_error(s, "E310", database, NULL, &e, "cannot read it", diags);
        free(s);
        return NULL;
    }
    struct tocm_source_input in = {.size = sizeof in,
                                   .model = m,
                                   .table = def->name,
                                   .model_dir = model_dir,
                                   .option = table_option,
                                   .host_data = def};
    tocm_error err;
    tocmp_guard_enter(s->plugin, &err);
    int rc = tocmp_guard_leave(s->drv->open(tocm_host_table(), &in, &s->handle, &err), &err);
    if (rc != 0) {
        table_error(s, "E310", database, NULL, &err, "cannot connect", diags);
        free(s->relation);
        free(s);
        return NULL;
    }

    /* The columns, as the database types them. */
    char *sql = tocmp_asprintf("SELECT * FROM %s", s->relation);
    struct tocm_source_column *cols = NULL;
    size_t count = 0;
    tocmp_guard_enter(s->plugin, &err);
    rc = tocmp_guard_leave(s->drv->describe(tocm_host_table(), s->handle, sql, &cols, &count, &err),
                           &err);
    free(sql);
    struct tocm_table *t = NULL;
    if (rc != 0) {
        table_error(s, "E311", database, NULL, &err, "cannot read it", diags);
        goto fail;
    }
    t = tocmp_xcalloc(1, sizeof *t);
    t->path = tocmp_asprintf("'%s' (%s)", def->name, database);
    t->column_count = count;
    t->names = tocmp_xcalloc(count ? count : 1, sizeof *t->names);
    t->types = tocmp_xcalloc(count ? count : 1, sizeof *t->types);
    tocmp_idmap_init(&t->columns, count);
    for (size_t c = 0; c < count; c++) {
        cols[c].name[sizeof cols[c].name - 1] = '\0';
        t->names[c] = tocmp_xstrdup(cols[c].name);
        if (tocmp_idmap_get(&t->columns, t->names[c]) != TOCMP_IDMAP_NONE) {
            tocm_error e = {0};
            snprintf(e.text, sizeof e.text, "it has two columns named '%s'", t->names[c]);
            table_error(s, "E311", database, NULL, &e, "cannot read it", diags);
            goto fail;
        }
        tocmp_idmap_add_new(&t->columns, t->names[c], c);
        /* The database's type, unless it does not know one (an SQLite
         * expression): then the model's, else text. */
        json_t *declared = json_object_get(def->columns, t->names[c]);
        enum tocm_cell_type want =
            json_is_string(declared) ? model_type(json_string_value(declared)) : TOCM_CELL_TEXT;
        /* tocm's dates are ISO 8601 text (2021, 2021-06, 2021-06-30): a
         * text column may hold them. */
        if (cols[c].typed && cols[c].type == TOCM_CELL_TEXT && want == TOCM_CELL_DATE)
            cols[c].typed = 0;
        if (cols[c].typed && json_is_string(declared) && cols[c].type != want) {
            tocm_error e = {0};
            snprintf(e.text, sizeof e.text,
                     "column '%s' is %s in the database, but the model's \"columns\" says %s",
                     t->names[c], type_word(cols[c].type), type_word(want));
            table_error(s, "E312", database, NULL, &e, "wrong column type", diags);
            goto fail;
        }
        t->types[c] = cols[c].typed ? cols[c].type : want;
    }
    /* A column the model types must be there, as in a CSV file (E304). */
    const char *name;
    json_t *type;
    json_object_foreach(def->columns, name, type) {
        if (tocmp_idmap_get(&t->columns, name) == TOCMP_IDMAP_NONE) {
            tocm_error e = {0};
            snprintf(e.text, sizeof e.text, "it has no column '%s' (named in \"columns\")", name);
            table_error(s, "E311", database, NULL, &e, "cannot read it", diags);
            goto fail;
        }
    }
    t->text = tocmp_xcalloc(1, sizeof *t->text);
    t->number = tocmp_xcalloc(1, sizeof *t->number);
    t->has_number = tocmp_xcalloc(1, 1);
    free(cols);
    *out = s;
    return t;
fail:
    free(cols);
    tocmp_table_free(t);
    tocmp_source_close(s);
    return NULL;
}

/* ---- reading every row --------------------------------------------------- */

/* One column as it grows: text offsets into the arena, numbers. */
struct growing {
    size_t *at;
    double *number;
    unsigned char *has;
};

struct scan {
    struct tocmp_source *s;
    struct tocm_table *t;
    struct growing *cols;
    size_t rows, cap;
    tocmp_buf arena;
    tocm_diags *diags;
    int failed;
};

/* A row of the wrong width (E313). -1. */
static int width_error(const struct tocmp_source *s, size_t count, size_t want, tocm_diags *diags) {
    tocm_error e = {0};
    snprintf(e.text, sizeof e.text, "a row came with %zu columns, not %zu", count, want);
    table_error(s, "E313", s->drv->name, NULL, &e, "reading failed", diags);
    return -1;
}

/* Reads cell v (non-empty) of column col of the row-th row (from 1) as a
 * CSV cell of the column's type is read: *number and *has. 0, or -1 with
 * one diagnostic (E303). */
static int parse_cell(const struct tocmp_source *s, const struct tocm_table *t, size_t col,
                      size_t row, const char *v, double *number, unsigned char *has,
                      tocm_diags *diags) {
    *number = 0;
    *has = 0;
    if (t->types[col] == TOCM_CELL_TEXT)
        return 0;
    if (!tocmp_cell_parse(t->types[col], v, number)) {
        tocm_error e = {0};
        snprintf(e.text, sizeof e.text, "row %zu, column '%s': '%.60s' is not %s", row,
                 t->names[col], v, tocmp_cell_type_name(t->types[col]));
        table_error(s, "E303", s->drv->name, NULL, &e, "bad value", diags);
        return -1;
    }
    *has = t->types[col] != TOCM_CELL_DATE;
    return 0;
}

static int scan_row(void *ctx, size_t count, const char *const *values) {
    struct scan *sc = ctx;
    struct tocm_table *t = sc->t;
    if (count != t->column_count) {
        sc->failed = 1;
        return width_error(sc->s, count, t->column_count, sc->diags);
    }
    if (sc->rows == sc->cap) {
        sc->cap = sc->cap ? 2 * sc->cap : 1024;
        for (size_t c = 0; c < count; c++) {
            sc->cols[c].at = tocmp_xrealloc(sc->cols[c].at, sc->cap * sizeof *sc->cols[c].at);
            sc->cols[c].number =
                tocmp_xrealloc(sc->cols[c].number, sc->cap * sizeof *sc->cols[c].number);
            sc->cols[c].has = tocmp_xrealloc(sc->cols[c].has, sc->cap);
        }
    }
    size_t r = sc->rows;
    for (size_t c = 0; c < count; c++) {
        const char *v = values[c] ? values[c] : ""; /* NULL is an empty cell */
        struct growing *g = &sc->cols[c];
        g->number[r] = 0;
        g->has[r] = 0;
        if (*v && parse_cell(sc->s, t, c, r + 1, v, &g->number[r], &g->has[r], sc->diags) != 0) {
            sc->failed = 1;
            return -1;
        }
        /* Every empty cell shares the arena's first byte. */
        if (*v) {
            g->at[r] = sc->arena.len;
            tocmp_buf_append(&sc->arena, v, strlen(v) + 1);
        } else {
            g->at[r] = 0;
        }
    }
    sc->rows++;
    return 0;
}

int tocmp_source_scan(struct tocmp_source *s, struct tocm_table *t, tocm_diags *diags) {
    struct scan sc = {.s = s, .t = t, .diags = diags};
    sc.cols = tocmp_xcalloc(t->column_count ? t->column_count : 1, sizeof *sc.cols);
    tocmp_buf_append(&sc.arena, "", 1);
    char *sql = tocmp_asprintf("SELECT * FROM %s", s->relation);
    int rc = tocmp_source_query(s, sql, NULL, 0, scan_row, &sc, NULL, diags);
    free(sql);
    if (rc == 0) {
        /* Column by column into the table's column-major arrays, each
         * growing column freed as soon as it is placed. */
        size_t rows = sc.rows, cells = rows * t->column_count;
        free((void *)t->text);
        free(t->number);
        free(t->has_number);
        t->arena = sc.arena.data;
        sc.arena.data = NULL;
        t->text = tocmp_xmalloc((cells ? cells : 1) * sizeof *t->text);
        t->number = tocmp_xmalloc((cells ? cells : 1) * sizeof *t->number);
        t->has_number = tocmp_xmalloc(cells ? cells : 1);
        for (size_t c = 0; c < t->column_count; c++) {
            for (size_t r = 0; r < rows; r++)
                t->text[c * rows + r] = t->arena + sc.cols[c].at[r];
            if (rows) {
                memcpy(t->number + c * rows, sc.cols[c].number, rows * sizeof *t->number);
                memcpy(t->has_number + c * rows, sc.cols[c].has, rows);
            }
            free(sc.cols[c].at);
            free(sc.cols[c].number);
            free(sc.cols[c].has);
            sc.cols[c] = (struct growing){0};
        }
        t->row_count = rows;
        t->stride = t->room = rows;
    }
    for (size_t c = 0; c < t->column_count; c++) {
        free(sc.cols[c].at);
        free(sc.cols[c].number);
        free(sc.cols[c].has);
    }
    free(sc.cols);
    free(sc.arena.data);
    return rc;
}

/* ---- reading rows in blocks ------------------------------------------------ */

/* Rows per block: a few MB for a dozen columns, and several batches of
 * the fold (TOCMP_FOLD_BATCH) each. TOCM_SOURCE_BLOCK_ROWS: another
 * number, for the tests, which cut small tables into many blocks. */
#define BLOCK_ROWS 16384

struct blocks {
    struct tocmp_source *s;
    const struct tocm_table *t;
    struct tocm_table b; /* the block: t's columns, BLOCK_ROWS rows of room */
    size_t block_rows;   /* rows a block holds */
    size_t *read;        /* the table column of each result column */
    size_t read_count;
    size_t *at;      /* per read cell: its text's offset in arena */
    tocmp_buf arena; /* the block's texts; offset 0 is "" */
    size_t rows;     /* rows read before this block */
    tocm_source_block_fn block;
    void *ctx;
    int stopped; /* block asked to stop */
    tocm_diags *diags;
};

/* Hands the block's rows over, then empties it. 0, or -1 to stop. */
static int flush_block(struct blocks *bl) {
    struct tocm_table *b = &bl->b;
    if (b->row_count == 0)
        return 0;
    /* The arena has stopped moving: texts point into it now. */
    for (size_t k = 0; k < bl->read_count; k++) {
        size_t col = bl->read[k];
        for (size_t r = 0; r < b->row_count; r++)
            b->text[tocmp_table_cell(b, r, col)] = bl->arena.data + bl->at[k * bl->block_rows + r];
    }
    bl->rows += b->row_count;
    int stop = bl->block(bl->ctx, b);
    b->row_count = 0;
    bl->arena.len = 1;
    if (stop) {
        bl->stopped = 1;
        return -1;
    }
    return 0;
}

static int block_row(void *ctx, size_t count, const char *const *values) {
    struct blocks *bl = ctx;
    struct tocm_table *b = &bl->b;
    if (count != (bl->read_count ? bl->read_count : 1))
        return width_error(bl->s, count, bl->read_count, bl->diags);
    size_t r = b->row_count;
    for (size_t k = 0; k < bl->read_count; k++) {
        size_t col = bl->read[k], cell = tocmp_table_cell(b, r, col);
        const char *v = values[k] ? values[k] : ""; /* NULL is an empty cell */
        bl->at[k * bl->block_rows + r] = 0;
        if (!*v) {
            b->number[cell] = 0;
            b->has_number[cell] = 0;
            continue;
        }
        if (parse_cell(bl->s, b, col, bl->rows + r + 1, v, &b->number[cell], &b->has_number[cell],
                       bl->diags) != 0)
            return -1;
        bl->at[k * bl->block_rows + r] = bl->arena.len;
        tocmp_buf_append(&bl->arena, v, strlen(v) + 1);
    }
    b->row_count++;
    return b->row_count == bl->block_rows ? flush_block(bl) : 0;
}

int tocmp_source_blocks(struct tocmp_source *s, const struct tocm_table *t,
                        const unsigned char *need, tocm_source_block_fn block, void *ctx,
                        tocm_diags *diags) {
    struct blocks bl = {
        .s = s, .t = t, .block_rows = BLOCK_ROWS, .block = block, .ctx = ctx, .diags = diags};
    const char *env = getenv("TOCM_SOURCE_BLOCK_ROWS");
    if (env && atol(env) > 0)
        bl.block_rows = (size_t)atol(env);
    size_t cc = t->column_count, room = bl.block_rows * (cc ? cc : 1);
    bl.read = tocmp_xmalloc((cc ? cc : 1) * sizeof *bl.read);
    tocmp_buf sql = {0};
    tocmp_buf_puts(&sql, "SELECT ");
    for (size_t c = 0; c < cc; c++) {
        if (!need[c])
            continue;
        if (bl.read_count)
            tocmp_buf_puts(&sql, ", ");
        quote_identifier(&sql, t->names[c], strlen(t->names[c]));
        bl.read[bl.read_count++] = c;
    }
    /* No column read (a count of every row): one constant per row. */
    tocmp_buf_printf(&sql, "%s FROM %s", bl.read_count ? "" : "1", s->relation);

    /* The block: t's columns; a column not read is empty in every row. */
    bl.b = (struct tocm_table){.path = t->path,
                               .column_count = cc,
                               .names = t->names,
                               .columns = t->columns,
                               .types = t->types,
                               .stride = bl.block_rows,
                               .room = room};
    bl.b.text = tocmp_xmalloc(room * sizeof *bl.b.text);
    bl.b.number = tocmp_xcalloc(room, sizeof *bl.b.number);
    bl.b.has_number = tocmp_xcalloc(room, 1);
    for (size_t i = 0; i < room; i++)
        bl.b.text[i] = "";
    bl.at = tocmp_xmalloc((bl.read_count ? bl.read_count : 1) * bl.block_rows * sizeof *bl.at);
    tocmp_buf_append(&bl.arena, "", 1);

    int rc = tocmp_source_query(s, sql.data, NULL, 0, block_row, &bl, NULL, diags);
    if (rc == 0)
        rc = flush_block(&bl);
    if (bl.stopped)
        rc = 0; /* asked for: not a failure */
    free(sql.data);
    free(bl.read);
    free(bl.at);
    free(bl.arena.data);
    free((void *)bl.b.text);
    free(bl.b.number);
    free(bl.b.has_number);
    return rc;
}

/* ---- queries -------------------------------------------------------------- */

/* The caller's row function, and whether it stopped the query. */
struct stopping {
    tocm_source_row_fn row;
    void *ctx;
    int stopped;
};

static int stopping_row(void *ctx, size_t count, const char *const *values) {
    struct stopping *st = ctx;
    if (st->row(st->ctx, count, values) == 0)
        return 0;
    st->stopped = 1;
    return -1;
}

int tocmp_source_query(struct tocmp_source *s, const char *sql, const char *const *params,
                       size_t param_count, tocm_source_row_fn row, void *ctx, const char *indicator,
                       tocm_diags *diags) {
    tocm_error err;
    size_t before = tocm_diags_count(diags);
    /* TOCM_SQL_TRACE=1: each statement on standard error, for seeing what
     * is pushed down (the values bound are the model's filters, never a
     * connection string). */
    const char *trace = getenv("TOCM_SQL_TRACE");
    if (trace && strcmp(trace, "1") == 0) {
        fprintf(stderr, "tocm: sql: table '%s' (%s): %s", s->m->tables[s->index].name, s->drv->name,
                sql);
        for (size_t i = 0; i < param_count; i++)
            fprintf(stderr, "%s'%s'", i ? ", " : " -- bound: ", params[i]);
        fputc('\n', stderr);
    }
    struct stopping st = {.row = row, .ctx = ctx};
    tocmp_guard_enter(s->plugin, &err);
    int rc = tocmp_guard_leave(s->drv->query(tocm_host_table(), s->handle, sql, params, param_count,
                                             stopping_row, &st, &err),
                               &err);
    if (rc == 0)
        return 0;
    /* A row callback that stopped the query has said why already, or
     * stopped it on purpose. */
    if (!st.stopped && tocm_diags_count(diags) == before)
        table_error(s, "E313", s->drv->name, indicator, &err, "reading failed", diags);
    return -1;
}

const char *tocmp_source_relation(const struct tocmp_source *s) { return s->relation; }
const struct tocm_source *tocmp_source_driver(const struct tocmp_source *s) { return s->drv; }

void tocmp_source_close(struct tocmp_source *s) {
    if (!s)
        return;
    if (s->handle) {
        tocm_error err;
        tocmp_guard_enter(s->plugin, &err);
        s->drv->close(tocm_host_table(), s->handle);
        tocmp_guard_leave(0, &err);
    }
    free(s->relation);
    free(s);
}
