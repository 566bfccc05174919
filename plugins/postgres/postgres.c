/*
 * postgres.c -- the postgres table source (plugin ABI 1.5): a table of the
 * model with "database": "postgres", "dsn_env" (the name of the environment
 * variable holding the libpq connection string, so that no password is in
 * the model) and "table" or "query".
 *
 * One connection per table, and one read-only REPEATABLE READ transaction
 * on it for the whole report: every indicator sees the same rows, and
 * nothing tocm sends can write. Statements come from the host with every
 * model value a bound parameter; this plugin runs each through a cursor
 * (DECLARE ... ; FETCH n), so a scan of a hundred million rows holds one
 * batch at a time. Messages are PostgreSQL's own, made one line; the
 * connection string is never part of one (libpq's messages name the host,
 * socket and user, never the password, and a string libpq cannot parse is
 * reported without quoting it).
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tocm/plugin.h>

/* Rows per FETCH: a few megabytes of text at most for a wide table. */
#define FETCH_ROWS 10000

/* Type OIDs of the pg_type catalog (fixed since PostgreSQL 7; the server
 * header that names them is not part of libpq's). */
enum {
    OID_BOOL = 16,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_DATE = 1082,
    OID_NUMERIC = 1700,
};

struct conn {
    PGconn *pg;
    char *password; /* from the connection string, to keep out of messages */
};

/* what, then the first line of PostgreSQL's text (the rest is advice such
 * as "Is the server running locally...?"), without its severity word or
 * trailing period, spaces collapsed and the password (if any) blanked,
 * into err. */
static void set_error(const struct tocm_host *host, tocm_error *err, const struct conn *c,
                      const char *what, const char *text) {
    char line[TOCM_ERROR_TEXT_SIZE];
    size_t n = 0;
    const char *p = text ? text : "";
    static const char *const severities[] = {"FATAL:", "ERROR:", "PANIC:"};
    for (size_t k = 0; k < 3; k++)
        if (strncmp(p, severities[k], strlen(severities[k])) == 0)
            p += strlen(severities[k]);
    for (; *p && *p != '\n' && n + 1 < sizeof line; p++) {
        char ch = *p == '\t' || *p == '\r' ? ' ' : *p;
        if (ch == ' ' && (n == 0 || line[n - 1] == ' '))
            continue;
        line[n++] = ch;
    }
    while (n && (line[n - 1] == ' ' || line[n - 1] == '.'))
        n--;
    line[n] = '\0';
    if (c && c->password && *c->password) {
        size_t len = strlen(c->password);
        for (char *at = strstr(line, c->password); at; at = strstr(at, c->password))
            memset(at, '*', len);
    }
    if (!*line)
        snprintf(line, sizeof line, "no reason given");
    host->error_set(err, "", "%s%s%s", what, *what ? ": " : "", line);
}

/* The primary message of a failed result (else the connection's). */
static void result_error(const struct tocm_host *host, tocm_error *err, const struct conn *c,
                         const char *what, const PGresult *res) {
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    set_error(host, err, c, what, primary ? primary : PQerrorMessage(c->pg));
}

/* Runs a command that returns no rows. 0, or -1 with err set. */
static int command(const struct tocm_host *host, struct conn *c, const char *sql, const char *what,
                   tocm_error *err) {
    PGresult *res = PQexec(c->pg, sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        result_error(host, err, c, what, res);
    PQclear(res);
    return ok ? 0 : -1;
}

static void conn_free(const struct tocm_host *host, struct conn *c) {
    PQfinish(c->pg);
    if (c->password) {
        memset(c->password, 0, strlen(c->password));
        host->free(c->password);
    }
    host->free(c);
}

static int pg_open(const struct tocm_host *host, const struct tocm_source_input *in, void **handle,
                   tocm_error *err) {
    const char *var = in->option(in, "dsn_env");
    if (!var || !*var) {
        host->error_set(err, "",
                        "name the environment variable holding the connection string with "
                        "\"dsn_env\" (never the connection string itself)");
        return -1;
    }
    const char *dsn = getenv(var);
    if (!dsn) {
        host->error_set(err, "", "the environment variable %s (its \"dsn_env\") is not set", var);
        return -1;
    }
    /* Parsed first: libpq's own complaint may quote the string, password
     * and all. */
    char *why = NULL;
    PQconninfoOption *opts = PQconninfoParse(dsn, &why);
    if (!opts) {
        PQfreemem(why);
        host->error_set(err, "", "the connection string in %s is not one libpq reads", var);
        return -1;
    }
    struct conn *c = host->alloc(sizeof *c);
    if (!c) {
        PQconninfoFree(opts);
        host->error_set(err, "", "out of memory");
        return -1;
    }
    memset(c, 0, sizeof *c);
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val) {
            c->password = host->alloc(strlen(o->val) + 1);
            if (c->password)
                strcpy(c->password, o->val);
        }
    }
    PQconninfoFree(opts);
    /* application_name: a database administrator sees who is reading. */
    const char *keys[] = {"dbname", "application_name", "client_encoding", NULL};
    const char *values[] = {dsn, "tocm", "UTF8", NULL};
    c->pg = PQconnectdbParams(keys, values, 1);
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
        /* The host says "cannot connect". */
        set_error(host, err, c, "", c->pg ? PQerrorMessage(c->pg) : "out of memory");
        conn_free(host, c);
        return -1;
    }
    /* One snapshot for the report; dates as YYYY-MM-DD whatever the
     * server's DateStyle. */
    if (command(host, c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "cannot start reading",
                err) != 0 ||
        command(host, c, "SET LOCAL DateStyle = ISO, YMD", "cannot start reading", err) != 0) {
        conn_free(host, c);
        return -1;
    }
    *handle = c;
    return 0;
}

static void column_type(Oid oid, struct tocm_source_column *col) {
    col->typed = 1;
    switch (oid) {
    case OID_INT2:
    case OID_INT4:
    case OID_INT8: col->type = TOCM_CELL_INTEGER; break;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC: col->type = TOCM_CELL_DECIMAL; break;
    case OID_DATE: col->type = TOCM_CELL_DATE; break;
    default: col->type = TOCM_CELL_TEXT; break;
    }
}

static int pg_describe(const struct tocm_host *host, void *handle, const char *sql,
                       struct tocm_source_column **columns, size_t *count, tocm_error *err) {
    struct conn *c = handle;
    PGresult *res = PQprepare(c->pg, "", sql, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        result_error(host, err, c, "the query fails", res);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    res = PQdescribePrepared(c->pg, "");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        result_error(host, err, c, "the query fails", res);
        PQclear(res);
        return -1;
    }
    int n = PQnfields(res);
    struct tocm_source_column *cols = host->alloc((n ? (size_t)n : 1) * sizeof *cols);
    if (!cols) {
        PQclear(res);
        host->error_set(err, "", "out of memory");
        return -1;
    }
    memset(cols, 0, (n ? (size_t)n : 1) * sizeof *cols);
    for (int i = 0; i < n; i++) {
        snprintf(cols[i].name, sizeof cols[i].name, "%s", PQfname(res, i));
        column_type(PQftype(res, i), &cols[i]);
    }
    PQclear(res);
    *columns = cols;
    *count = (size_t)n;
    return 0;
}

/* One FETCH's rows to row(). 1 when there may be more, 0 at the end, -1
 * on failure (err set unless row stopped it). */
static int fetch(const struct tocm_host *host, struct conn *c, tocm_source_row_fn row, void *ctx,
                 const char **values, int capacity, tocm_error *err) {
    PGresult *res = PQexec(c->pg, "FETCH " /* */ "10000 FROM tocm_rows");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        result_error(host, err, c, "", res); /* the host says "reading failed" */
        PQclear(res);
        return -1;
    }
    int rows = PQntuples(res), n = PQnfields(res);
    if (n > capacity) {
        PQclear(res);
        host->error_set(err, "", "the cursor returned more columns than described");
        return -1;
    }
    for (int r = 0; r < rows; r++) {
        for (int i = 0; i < n; i++) {
            if (PQgetisnull(res, r, i)) {
                values[i] = NULL;
                continue;
            }
            values[i] = PQgetvalue(res, r, i);
            /* A boolean as tocm's filters write one. */
            if (PQftype(res, i) == OID_BOOL)
                values[i] = values[i][0] == 't' ? "true" : "false";
        }
        if (row(ctx, (size_t)n, values) != 0) {
            PQclear(res);
            return -1;
        }
    }
    PQclear(res);
    return rows == FETCH_ROWS;
}

static int pg_query(const struct tocm_host *host, void *handle, const char *sql,
                    const char *const *params, size_t param_count, tocm_source_row_fn row,
                    void *ctx, tocm_error *err) {
    struct conn *c = handle;
    size_t len = strlen(sql) + 64;
    char *declare = host->alloc(len);
    if (!declare) {
        host->error_set(err, "", "out of memory");
        return -1;
    }
    snprintf(declare, len, "DECLARE tocm_rows NO SCROLL CURSOR FOR %s", sql);
    /* Every value bound as text; the host's CASTs type them. */
    PGresult *res = PQexecParams(c->pg, declare, (int)param_count, NULL, params, NULL, NULL, 0);
    host->free(declare);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        result_error(host, err, c, "the query fails", res);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    /* The cursor's width, for the row buffer. */
    res = PQdescribePortal(c->pg, "tocm_rows");
    int width = PQresultStatus(res) == PGRES_COMMAND_OK ? PQnfields(res) : -1;
    if (width < 0)
        result_error(host, err, c, "", res);
    PQclear(res);
    if (width < 0)
        return -1;
    const char **values = host->alloc((width ? (size_t)width : 1) * sizeof *values);
    if (!values) {
        host->error_set(err, "", "out of memory");
        return -1;
    }
    int more;
    while ((more = fetch(host, c, row, ctx, values, width, err)) == 1)
        ;
    host->free(values);
    if (more < 0) {
        /* The host stopped reading (it has enough, or too much): the
         * cursor goes, so that the next query on the connection can
         * declare its own. After an error the transaction is lost
         * anyway, and so is the table. */
        if (PQtransactionStatus(c->pg) == PQTRANS_INTRANS) {
            res = PQexec(c->pg, "CLOSE tocm_rows");
            PQclear(res);
        }
        return -1;
    }
    return command(host, c, "CLOSE tocm_rows", "", err);
}

static void pg_close(const struct tocm_host *host, void *handle) {
    struct conn *c = handle;
    /* Read only: ending it either way changes nothing. */
    PGresult *res = PQexec(c->pg, "ROLLBACK");
    PQclear(res);
    conn_free(host, c);
}

static const struct tocm_source source = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_source),
    .name = "postgres",
    .summary = "tables in PostgreSQL: \"dsn_env\" and \"table\" or \"query\"",
    .flags = TOCM_SOURCE_NUMBERED_PARAMS,
    /* "C": text ordered as bytes, as tocm's filters compare it, whatever
     * the database's locale. */
    .text_collation = "COLLATE \"C\"",
    .open = pg_open,
    .describe = pg_describe,
    .query = pg_query,
    .close = pg_close,
};

static const struct tocm_source *const sources[] = {&source, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "postgres",
    .version = "1.0.0",
    .summary = "Table source: PostgreSQL through libpq, with the aggregation pushed down",
    .sources = sources,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host;
    (void)err;
    *out = &plugin;
    return 0;
}
