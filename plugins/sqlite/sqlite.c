/*
 * sqlite.c -- the sqlite table source (plugin ABI 1.5): a table of the
 * model with "database": "sqlite", "path" (the file, relative to the model)
 * and "table" or "query".
 *
 * The file is opened read-only (tocm never writes to a user's database)
 * and every statement runs inside one read transaction, so all of a
 * report's indicators see the same rows even while another program writes.
 * Statements come from the host with every model value bound: this plugin
 * only prepares, binds and steps. Rows go back one at a time as text,
 * exactly as SQLite prints each value, so memory stays bounded whatever
 * the table's size.
 */
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <tocm/plugin.h>

struct conn {
    sqlite3 *db;
    int in_transaction;
};

/* SQLite's message for db, as one line. */
static void fail(const struct tocm_host *host, tocm_error *err, sqlite3 *db, const char *what) {
    host->error_set(err, "", "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

static int sqlite_open(const struct tocm_host *host, const struct tocm_source_input *in,
                       void **handle, tocm_error *err) {
    const char *rel = in->option(in, "path");
    if (!rel || !*rel) {
        host->error_set(err, "", "name the SQLite file with \"path\" (relative to the model)");
        return -1;
    }
    char path[PATH_MAX];
    int n = rel[0] == '/' ? snprintf(path, sizeof path, "%s", rel)
                          : snprintf(path, sizeof path, "%s/%s", in->model_dir, rel);
    if (n < 0 || (size_t)n >= sizeof path) {
        host->error_set(err, "", "the path of the SQLite file is too long");
        return -1;
    }
    /* SQLite's own "unable to open database file" names neither the file
     * nor the reason. */
    struct stat st;
    if (stat(path, &st) != 0) {
        host->error_set(err, "", "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        host->error_set(err, "", "%s: not a file", path);
        return -1;
    }
    struct conn *c = host->alloc(sizeof *c);
    if (!c) {
        host->error_set(err, "", "out of memory");
        return -1;
    }
    memset(c, 0, sizeof *c);
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        fail(host, err, c->db, path);
        sqlite3_close(c->db);
        host->free(c);
        return -1;
    }
    /* Wait a while for a writer rather than fail at once. */
    sqlite3_busy_timeout(c->db, 10000);
    /* SQLite reads the file only when asked something: ask now, so a file
     * that is not a database fails here, as a connection would. */
    if (sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
        fail(host, err, c->db, path);
        sqlite3_close(c->db);
        host->free(c);
        return -1;
    }
    *handle = c;
    return 0;
}

/* SQLite keeps any value in any column (unless the table is STRICT): a
 * column declared INTEGER may hold 'many'. The host reads a numeric column
 * as numbers, and a database's sum would silently count such a text as 0,
 * so every numeric column is checked once, in one pass over the rows, and
 * the first value of another kind is named. 0, or -1 with err set. */
static int check_values(const struct tocm_host *host, struct conn *c, const char *sql,
                        const struct tocm_source_column *cols, size_t count, tocm_error *err) {
    size_t len = strlen(sql) + 64, numeric = 0;
    for (size_t i = 0; i < count; i++)
        if (cols[i].typed &&
            (cols[i].type == TOCM_CELL_INTEGER || cols[i].type == TOCM_CELL_DECIMAL)) {
            len += 2 * strlen(cols[i].name) + 160;
            numeric++;
        }
    if (!numeric)
        return 0;
    char *check = host->alloc(len);
    if (!check) {
        host->error_set(err, "", "out of memory");
        return -1;
    }
    /* min(CASE WHEN typeof("c") NOT IN (...) THEN quote("c") END) per
     * column, FROM the statement itself (names quoted: "" doubled). */
    size_t at = (size_t)snprintf(check, len, "SELECT ");
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        if (!cols[i].typed ||
            (cols[i].type != TOCM_CELL_INTEGER && cols[i].type != TOCM_CELL_DECIMAL))
            continue;
        char quoted[2 * TOCM_ERROR_TEXT_SIZE + 3];
        size_t q = 0;
        quoted[q++] = '"';
        for (const char *p = cols[i].name; *p; p++) {
            if (*p == '"')
                quoted[q++] = '"';
            quoted[q++] = *p;
        }
        quoted[q++] = '"';
        quoted[q] = '\0';
        at += (size_t)snprintf(check + at, len - at,
                               "%smin(CASE WHEN typeof(%s) NOT IN ('null', 'integer'%s) THEN "
                               "CAST(%s AS TEXT) END)",
                               k++ ? ", " : "", quoted,
                               cols[i].type == TOCM_CELL_DECIMAL ? ", 'real'" : "", quoted);
    }
    snprintf(check + at, len - at, " FROM (%s)", sql);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, check, -1, &st, NULL);
    host->free(check);
    if (rc != SQLITE_OK) {
        fail(host, err, c->db, "the query fails");
        return -1;
    }
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        fail(host, err, c->db, "reading failed");
        sqlite3_finalize(st);
        return -1;
    }
    k = 0;
    for (size_t i = 0; i < count; i++) {
        if (!cols[i].typed ||
            (cols[i].type != TOCM_CELL_INTEGER && cols[i].type != TOCM_CELL_DECIMAL))
            continue;
        const unsigned char *bad = sqlite3_column_text(st, (int)k++);
        if (bad) {
            host->error_set(err, "", "column '%s' holds '%.60s', which is not %s", cols[i].name,
                            (const char *)bad,
                            cols[i].type == TOCM_CELL_INTEGER ? "a whole number" : "a number");
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return 0;
}

/* Prepares sql, which must be one statement. NULL with err set. */
static sqlite3_stmt *prepare(const struct tocm_host *host, struct conn *c, const char *sql,
                             tocm_error *err) {
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, &tail) != SQLITE_OK) {
        fail(host, err, c->db, "the query fails");
        return NULL;
    }
    while (tail &&
           (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
        tail++;
    if (!st || (tail && *tail)) {
        host->error_set(err, "", "the query must be one SELECT statement");
        sqlite3_finalize(st);
        return NULL;
    }
    if (!sqlite3_stmt_readonly(st)) {
        host->error_set(err, "", "the query must only read (a SELECT)");
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* The declared type as tocm's: SQLite's affinity rules, and DATE. */
static void column_type(const char *decl, struct tocm_source_column *col) {
    col->typed = 1;
    if (!decl || !*decl) {
        col->typed = 0; /* an expression, or a column declared without type */
        col->type = TOCM_CELL_TEXT;
    } else if (strcasecmp(decl, "DATE") == 0) {
        col->type = TOCM_CELL_DATE;
    } else if (strcasestr(decl, "INT")) {
        col->type = TOCM_CELL_INTEGER;
    } else if (strcasestr(decl, "CHAR") || strcasestr(decl, "CLOB") || strcasestr(decl, "TEXT") ||
               strcasestr(decl, "TIME") || strcasestr(decl, "BLOB")) {
        col->type = TOCM_CELL_TEXT;
    } else if (strcasestr(decl, "REAL") || strcasestr(decl, "FLOA") || strcasestr(decl, "DOUB") ||
               strcasestr(decl, "NUM") || strcasestr(decl, "DEC")) {
        col->type = TOCM_CELL_DECIMAL;
    } else if (strcasestr(decl, "BOOL")) {
        col->type = TOCM_CELL_INTEGER;
    } else {
        col->typed = 0;
        col->type = TOCM_CELL_TEXT;
    }
}

static int sqlite_describe(const struct tocm_host *host, void *handle, const char *sql,
                           struct tocm_source_column **columns, size_t *count, tocm_error *err) {
    struct conn *c = handle;
    sqlite3_stmt *st = prepare(host, c, sql, err);
    if (!st)
        return -1;
    int n = sqlite3_column_count(st);
    struct tocm_source_column *cols = host->alloc((n ? (size_t)n : 1) * sizeof *cols);
    if (!cols) {
        sqlite3_finalize(st);
        host->error_set(err, "", "out of memory");
        return -1;
    }
    memset(cols, 0, (n ? (size_t)n : 1) * sizeof *cols);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        snprintf(cols[i].name, sizeof cols[i].name, "%s", name ? name : "");
        column_type(sqlite3_column_decltype(st, i), &cols[i]);
    }
    sqlite3_finalize(st);
    if (check_values(host, c, sql, cols, (size_t)n, err) != 0) {
        host->free(cols);
        return -1;
    }
    *columns = cols;
    *count = (size_t)n;
    return 0;
}

static int sqlite_query(const struct tocm_host *host, void *handle, const char *sql,
                        const char *const *params, size_t param_count, tocm_source_row_fn row,
                        void *ctx, tocm_error *err) {
    struct conn *c = handle;
    /* One read transaction for every statement of the report. */
    if (!c->in_transaction) {
        if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
            fail(host, err, c->db, "cannot start reading");
            return -1;
        }
        c->in_transaction = 1;
    }
    sqlite3_stmt *st = prepare(host, c, sql, err);
    if (!st)
        return -1;
    for (size_t i = 0; i < param_count; i++) {
        if (sqlite3_bind_text(st, (int)i + 1, params[i], -1, SQLITE_TRANSIENT) != SQLITE_OK) {
            fail(host, err, c->db, "cannot bind a value");
            sqlite3_finalize(st);
            return -1;
        }
    }
    int n = sqlite3_column_count(st), rc;
    const char **values = host->alloc((n ? (size_t)n : 1) * sizeof *values);
    if (!values) {
        sqlite3_finalize(st);
        host->error_set(err, "", "out of memory");
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++)
            values[i] = sqlite3_column_type(st, i) == SQLITE_NULL
                            ? NULL
                            : (const char *)sqlite3_column_text(st, i);
        if (row(ctx, (size_t)n, values) != 0) {
            rc = SQLITE_ABORT;
            break;
        }
    }
    host->free(values);
    if (rc != SQLITE_DONE && rc != SQLITE_ABORT)
        fail(host, err, c->db, "reading failed");
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void sqlite_close(const struct tocm_host *host, void *handle) {
    struct conn *c = handle;
    if (c->in_transaction)
        sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(c->db);
    host->free(c);
}

static const struct tocm_source source = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_source),
    .name = "sqlite",
    .summary = "tables in SQLite files: \"path\" and \"table\" or \"query\"",
    /* BINARY: text ordered as bytes, as tocm's filters compare it, whatever
     * collation a column declares. */
    .text_collation = "COLLATE BINARY",
    .open = sqlite_open,
    .describe = sqlite_describe,
    .query = sqlite_query,
    .close = sqlite_close,
};

static const struct tocm_source *const sources[] = {&source, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "sqlite",
    .version = "1.0.0",
    .summary = "Table source: SQLite files, with the aggregation pushed down",
    .sources = sources,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host;
    (void)err;
    *out = &plugin;
    return 0;
}
