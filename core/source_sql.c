/*
 * source_sql.c -- the model's filter language (core/filter.c) and the terms
 * of an aggregate's state (ABI 1.5) as SQL.
 *
 * Each condition must mean exactly what filter.c does on the rows the same
 * database would hand over when scanned: a cell is its text ("" for NULL),
 * compared as bytes (the source's collation, COLLATE "C" in PostgreSQL); a
 * number is compared as a double with a numeric column. Conditions are
 * two-valued (never NULL), so NOT means "anything but" as it does in
 * filter.c, empty cells included. What SQL cannot say with the same meaning
 * (a number against a text column, which filter.c reads with strtod) makes
 * the whole statement decline: the rows are read instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source_sql.h"

void tocmp_sql_free(struct tocmp_sql *q) {
    for (size_t i = 0; i < q->param_count; i++)
        free(q->params[i]);
    free(q->params);
    free(q->text.data);
    memset(q, 0, sizeof *q);
}

void tocmp_sql_identifier(tocmp_buf *b, const char *name) {
    tocmp_buf_puts(b, "\"");
    for (const char *p = name; *p; p++)
        tocmp_buf_append(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    tocmp_buf_puts(b, "\"");
}

/* Appends a placeholder bound to value (new). */
static void param(struct tocmp_sql *q, char *value) {
    if (q->param_count == q->param_cap) {
        q->param_cap = q->param_cap ? 2 * q->param_cap : 8;
        q->params = tocmp_xrealloc(q->params, q->param_cap * sizeof *q->params);
    }
    q->params[q->param_count++] = value;
    if (q->dialect->flags & TOCM_SOURCE_NUMBERED_PARAMS)
        tocmp_buf_printf(&q->text, "$%zu", q->param_count);
    else
        tocmp_buf_puts(&q->text, "?");
}

static int numeric(const struct tocm_table *t, size_t col) {
    return t->types[col] == TOCM_CELL_INTEGER || t->types[col] == TOCM_CELL_DECIMAL;
}

void tocmp_sql_column_text(struct tocmp_sql *q, size_t col) {
    tocmp_buf_puts(&q->text, "COALESCE(");
    if (q->table->types[col] == TOCM_CELL_TEXT) {
        tocmp_sql_identifier(&q->text, q->table->names[col]);
    } else {
        tocmp_buf_puts(&q->text, "CAST(");
        tocmp_sql_identifier(&q->text, q->table->names[col]);
        tocmp_buf_puts(&q->text, " AS TEXT)");
    }
    tocmp_buf_puts(&q->text, ", '')");
}

/* A cell against one scalar: op is "=", ">=" or "<=". As compare() in
 * filter.c: text by bytes, a number with a numeric column, a boolean as the
 * text "true"/"false"; anything else never matches. */
static int scalar(struct tocmp_sql *q, size_t col, json_t *want, const char *op) {
    if (json_is_string(want) || json_is_boolean(want)) {
        const char *text = json_is_string(want) ? json_string_value(want)
                           : json_is_true(want) ? "true"
                                                : "false";
        tocmp_buf_puts(&q->text, "(");
        tocmp_sql_column_text(q, col);
        if (q->dialect->text_collation)
            tocmp_buf_printf(&q->text, " %s", q->dialect->text_collation);
        tocmp_buf_printf(&q->text, " %s CAST(", op);
        param(q, tocmp_xstrdup(text));
        tocmp_buf_puts(&q->text, " AS TEXT))");
        return 0;
    }
    if (json_is_number(want)) {
        if (!numeric(q->table, col))
            return -1; /* filter.c reads the text with strtod: not SQL */
        tocmp_buf_puts(&q->text, "(");
        tocmp_sql_identifier(&q->text, q->table->names[col]);
        tocmp_buf_puts(&q->text, " IS NOT NULL AND CAST(");
        tocmp_sql_identifier(&q->text, q->table->names[col]);
        tocmp_buf_printf(&q->text, " AS DOUBLE PRECISION) %s CAST(", op);
        param(q, json_is_integer(want)
                     ? tocmp_asprintf("%" JSON_INTEGER_FORMAT, json_integer_value(want))
                     : tocmp_asprintf("%.17g", json_real_value(want)));
        tocmp_buf_puts(&q->text, " AS DOUBLE PRECISION))");
        return 0;
    }
    tocmp_buf_puts(&q->text, "(1=0)");
    return 0;
}

/* value_matches() of filter.c. */
static int value(struct tocmp_sql *q, size_t col, json_t *want) {
    if (json_is_array(want)) {
        if (json_array_size(want) == 0) {
            tocmp_buf_puts(&q->text, "(1=0)");
            return 0;
        }
        size_t i;
        json_t *alt;
        tocmp_buf_puts(&q->text, "(");
        json_array_foreach(want, i, alt) {
            if (i)
                tocmp_buf_puts(&q->text, " OR ");
            if (value(q, col, alt) != 0)
                return -1;
        }
        tocmp_buf_puts(&q->text, ")");
        return 0;
    }
    if (json_is_object(want)) {
        json_t *not = json_object_get(want, "not");
        json_t *min = json_object_get(want, "min");
        json_t *max = json_object_get(want, "max");
        tocmp_buf_puts(&q->text, "((1=1)");
        if (not ) {
            tocmp_buf_puts(&q->text, " AND NOT ");
            if (value(q, col, not ) != 0)
                return -1;
        }
        if (min) {
            tocmp_buf_puts(&q->text, " AND ");
            if (scalar(q, col, min, ">=") != 0)
                return -1;
        }
        if (max) {
            tocmp_buf_puts(&q->text, " AND ");
            if (scalar(q, col, max, "<=") != 0)
                return -1;
        }
        tocmp_buf_puts(&q->text, ")");
        return 0;
    }
    return scalar(q, col, want, "=");
}

int tocmp_sql_filter(struct tocmp_sql *q, json_t *filter) {
    tocmp_buf_puts(&q->text, "((1=1)");
    if (json_is_object(filter)) {
        const char *column;
        json_t *want;
        json_object_foreach(filter, column, want) {
            tocmp_buf_puts(&q->text, " AND ");
            size_t col = tocmp_table_column(q->table, column);
            if (col == TOCM_NONE)
                tocmp_buf_puts(&q->text, "(1=0)"); /* as filter.c: never matches */
            else if (value(q, col, want) != 0)
                return -1;
        }
    }
    tocmp_buf_puts(&q->text, ")");
    return 0;
}

/* The term's conditions, ANDed, or nothing when it has none. */
static int conditions(struct tocmp_sql *q, const struct tocm_agg_plan *plan,
                      const struct tocm_agg_sql_term *term, json_t *params) {
    int any = 0;
    for (size_t k = 0; k < plan->filter_count; k++) {
        json_t *filter = json_object_get(params, plan->filters[k]);
        if (!(term->filters & (1u << k)) || !filter)
            continue; /* no such parameter: every row passes */
        tocmp_buf_puts(&q->text, any++ ? " AND " : " FILTER (WHERE ");
        if (tocmp_sql_filter(q, filter) != 0)
            return -1;
    }
    for (size_t k = 0; k < plan->column_count; k++) {
        if (!(term->present & (1u << k)))
            continue;
        tocmp_buf_puts(&q->text, any++ ? " AND " : " FILTER (WHERE ");
        /* As has_number: a number in a numeric column; never for text. */
        if (numeric(q->table, plan->columns[k])) {
            tocmp_sql_identifier(&q->text, q->table->names[plan->columns[k]]);
            tocmp_buf_puts(&q->text, " IS NOT NULL");
        } else {
            tocmp_buf_puts(&q->text, "(1=0)");
        }
    }
    if (any)
        tocmp_buf_puts(&q->text, ")");
    return 0;
}

int tocmp_sql_term(struct tocmp_sql *q, const struct tocm_agg_plan *plan,
                   const struct tocm_agg_sql_term *term, json_t *params) {
    const char *a = q->table->names[plan->columns[term->column]];
    switch (term->op) {
    case TOCM_AGG_SQL_COUNT:
        tocmp_buf_puts(&q->text, "count(*)");
        return conditions(q, plan, term, params);
    case TOCM_AGG_SQL_SUM:
    case TOCM_AGG_SQL_SUM_PRODUCT:
        /* NUMERIC: the database's exact arithmetic, whatever the integer
         * type's width. */
        tocmp_buf_puts(&q->text, "COALESCE(sum(CAST(");
        tocmp_sql_identifier(&q->text, a);
        tocmp_buf_puts(&q->text, " AS NUMERIC)");
        if (term->op == TOCM_AGG_SQL_SUM_PRODUCT) {
            tocmp_buf_puts(&q->text, " * ");
            tocmp_sql_identifier(&q->text, q->table->names[plan->columns[term->column2]]);
        }
        tocmp_buf_puts(&q->text, ")");
        if (conditions(q, plan, term, params) != 0)
            return -1;
        tocmp_buf_puts(&q->text, ", 0)");
        return 0;
    case TOCM_AGG_SQL_GROUP: tocmp_sql_column_text(q, plan->columns[term->column]); return 0;
    }
    return -1;
}
