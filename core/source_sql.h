/*
 * source_sql.h -- the SQL tocm writes for table sources: filters as WHERE
 * conditions and aggregate terms as select expressions. Every value from the
 * model is a bound parameter; only identifiers (quoted) and tocm's own
 * keywords are ever SQL text.
 */
#ifndef TOCMP_SOURCE_SQL_H
#define TOCMP_SOURCE_SQL_H

#include <jansson.h>
#include <stddef.h>

#include "table.h"
#include "tocm/plugin.h"
#include "util.h"

/* A statement being written, with its parameters in placeholder order. */
struct tocmp_sql {
    tocmp_buf text;
    char **params; /* new strings */
    size_t param_count, param_cap;
    const struct tocm_source *dialect; /* placeholders, collation */
    const struct tocm_table *table;    /* the described table: column types */
};

void tocmp_sql_free(struct tocmp_sql *q);

/* Appends name as a quoted identifier. */
void tocmp_sql_identifier(tocmp_buf *b, const char *name);

/* Appends the text of column col as tocm reads a cell: "" when NULL. */
void tocmp_sql_column_text(struct tocmp_sql *q, size_t col);

/* Appends filter (the model's filter language, core/filter.c) as one SQL
 * condition that is true exactly where tocmp_filter_matches is 1, never
 * NULL. 0, or -1 when it cannot be said in SQL with the same meaning (a
 * number compared with a text column): then the rows must be read. */
int tocmp_sql_filter(struct tocmp_sql *q, json_t *filter);

/* Appends the select expression of one aggregate term of plan, whose
 * filters (the indicator's parameters) are in params. 0, or -1 when a
 * filter cannot be said in SQL. */
int tocmp_sql_term(struct tocmp_sql *q, const struct tocm_agg_plan *plan,
                   const struct tocm_agg_sql_term *term, json_t *params);

#endif
