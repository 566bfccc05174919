/*
 * record.c -- figures entered directly (tocm record): rows of an
 * indicator's results table, written through the edit transaction.
 *
 * Everything is checked before anything changes, and every problem is
 * listed (a bulk file is refused whole, with each bad line): each record
 * as record_check.c says, and no figure for the same period and breakdown
 * is there already unless it is to be replaced, nor given twice.
 *
 * The table is then rewritten whole: the rows as they were (their texts as
 * read, their order kept), a replaced figure in its place, new ones at the
 * end (record_write.c says how cells are written). The text is read back
 * with the reader the report uses, with the table's column types, before
 * the edit keeps it: what is written is what the report will read. The
 * commit writes it atomically before the model.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "record_internal.h"
#include "record_write.h"
#include "util.h"

/* The results table's file. */
struct place {
    json_t *made; /* the definition of a table made for the indicator */
    char *rel;    /* as the model names it */
    char *path;   /* as the file system takes it */
    char *shown;  /* for messages */
    struct stat st;
    int exists;
};

static void place_free(struct place *p) {
    json_decref(p->made);
    free(p->rel);
    free(p->path);
    free(p->shown);
}

static void recording_free(struct recording *c) {
    free(c->dims);
    json_decref(c->periods);
    tocmp_sheet_free(&c->sheet);
    free(c->made_name);
}

/* The cell a record is for, as a key: the period and the breakdown's
 * values in the indicator's order. new. */
static char *cell_key(const struct recording *c, const char *period, const char *const *values) {
    tocmp_buf b = {0};
    tocmp_buf_puts(&b, period);
    for (size_t i = 0; i < c->dim_count; i++) {
        tocmp_buf_puts(&b, "\x1f");
        tocmp_buf_puts(&b, values[i] ? values[i] : "");
    }
    return b.data;
}

/* "2024, country KH" for messages. new. */
static char *cell_words(const struct recording *c, const char *period, const char *const *values) {
    tocmp_buf b = {0};
    tocmp_buf_puts(&b, period);
    for (size_t i = 0; i < c->dim_count; i++)
        tocmp_buf_printf(&b, ", %s %s", c->dims[i], values[i] ? values[i] : "");
    return b.data;
}

/* A figure in a note: 26, "SOP signed" (a text), not reported. new. */
static char *figure_words(const struct recording *c, const char *value) {
    if (!*value)
        return tocmp_xstrdup("not reported");
    return c->qualitative ? tocmp_asprintf("\"%s\"", value) : tocmp_xstrdup(value);
}

/* The record's breakdown values in the indicator's order (into values). */
static void dim_values(const struct recording *c, const tocm_record *r, const char **values) {
    for (size_t k = 0; k < c->dim_count; k++)
        values[k] = tocmp_record_dim_value(r, c->dims[k]);
}

/* The sheet's column of each of the indicator's breakdowns. new. */
static long *dim_cols(const struct recording *c) {
    long *dc = tocmp_xcalloc(c->dim_count + 1, sizeof *dc);
    for (size_t k = 0; k < c->dim_count; k++)
        dc[k] = tocmp_sheet_col(&c->sheet, c->dims[k]);
    return dc;
}

/* The file's path as the file system takes it: relative to the model. */
static char *data_path(tocm_edit *e, const char *rel) {
    if (rel[0] == '/')
        return tocmp_xstrdup(rel);
    const char *slash = strrchr(e->path, '/');
    if (!slash)
        return tocmp_xstrdup(rel);
    return tocmp_asprintf("%.*s/%s", (int)(slash - e->path), e->path, rel);
}

/* Finds the indicator's table (or makes its definition) and reads it into
 * c->sheet, with every column tocm record writes. On failure sets the
 * edit's error. */
static int open_table(struct recording *c, struct place *p) {
    tocm_edit *e = c->e;
    if (!c->table_def) {
        tocmp_record_collect_periods(c);
        c->made_name = c->table_name
                           ? tocmp_xstrdup(c->table_name)
                           : tocmp_record_table_name(json_object_get(e->doc, "tables"), c->id);
        p->made = tocmp_record_new_table_def(c, c->made_name);
        c->table_def = p->made;
    }
    if (json_object_get(c->table_def, "database") || !tocmp_edit_str_member(c->table_def, "path"))
        /* tocm record writes CSV files; a database keeps its own rows. */
        return tocmp_edit_refuse(e,
                                 "indicator '%s' reads a table in a database; record its "
                                 "figures there, not with tocm record",
                                 c->id);
    p->rel = tocmp_xstrdup(tocmp_edit_str_member(c->table_def, "path"));
    p->path = data_path(e, p->rel);
    p->shown = tocmp_xstrdup(p->path);
    p->exists = stat(p->path, &p->st) == 0;
    if (p->made && p->exists)
        return tocmp_edit_refuse(e,
                                 "%s is there already, but no table of the model names it; name "
                                 "it in 'tables' and in indicator '%s' ('table'), or move it away",
                                 p->shown, c->id);
    if (p->exists && tocmp_sheet_read(&c->sheet, e, c->table_def, p->path, p->shown) != TOCM_OK)
        return TOCM_EINVALID;
    /* The columns tocm record writes; a file without its period, breakdown
     * or value column is not a results table. */
    const char *needed[3 + 64];
    size_t nn = 0;
    needed[nn++] = c->period_col;
    for (size_t i = 0; i < c->dim_count && nn < 64; i++)
        needed[nn++] = c->dims[i];
    needed[nn++] = "value";
    for (size_t i = 0; i < nn; i++) {
        if (tocmp_sheet_col(&c->sheet, needed[i]) >= 0)
            continue;
        if (p->exists)
            return tocmp_edit_refuse(e,
                                     "%s has no column '%s', so it is not a results table of "
                                     "indicator '%s' (tocm record writes %s, the breakdown, "
                                     "value, comment and source)",
                                     p->shown, needed[i], c->id, c->period_col);
        tocmp_sheet_add_col(&c->sheet, needed[i]);
    }
    if (!p->made)
        tocmp_record_collect_periods(c);
    if (c->qualitative && tocmp_sheet_col(&c->sheet, "status") < 0)
        tocmp_sheet_add_col(&c->sheet, "status");
    if (tocmp_sheet_col(&c->sheet, "comment") < 0)
        tocmp_sheet_add_col(&c->sheet, "comment");
    if (tocmp_sheet_col(&c->sheet, "source") < 0)
        tocmp_sheet_add_col(&c->sheet, "source");
    return TOCM_OK;
}

/* Checks every record, and finds the row each replaces: target_row[i] is
 * that row, or (size_t)-1 for a new one. A figure already in the table
 * (without --replace) or given twice is a problem. */
static void check_cells(struct recording *c, const tocm_record *records, size_t count, int flags,
                        const char *rel, size_t *target_row) {
    long pc = tocmp_sheet_col(&c->sheet, c->period_col);
    long vc = tocmp_sheet_col(&c->sheet, "value");
    long *dc = dim_cols(c);
    const char **values = tocmp_xcalloc(c->dim_count + 1, sizeof *values);
    json_t *had = json_object(); /* cell key -> row index */
    for (size_t r = 0; r < c->sheet.count; r++) {
        for (size_t k = 0; k < c->dim_count; k++)
            values[k] = c->sheet.rows[r][dc[k]];
        char *key = cell_key(c, c->sheet.rows[r][pc], values);
        if (!json_object_get(had, key))
            json_object_set_new(had, key, json_integer((json_int_t)r));
        free(key);
    }
    json_t *seen = json_object(); /* cell key -> index of the record */
    for (size_t i = 0; i < count; i++) {
        const tocm_record *r = &records[i];
        /* Each record's problems together, in the file's order. */
        tocmp_record_check(c, r);
        dim_values(c, r, values);
        const char *period = r->period ? r->period : "";
        char *key = cell_key(c, period, values);
        char *words = cell_words(c, period, values);
        json_t *earlier = json_object_get(seen, key);
        json_t *row = json_object_get(had, key);
        target_row[i] = (size_t)-1;
        if (earlier) {
            size_t j = (size_t)json_integer_value(earlier);
            if (records[j].line)
                tocmp_record_problem(c, r, "value", "a second figure for %s (line %zu has one)",
                                     words, records[j].line);
            else
                tocmp_record_problem(c, r, "value", "a second figure for %s", words);
        } else if (row && !(flags & TOCM_RECORD_REPLACE)) {
            size_t at = (size_t)json_integer_value(row);
            const char *was = c->sheet.rows[at][vc];
            tocmp_record_problem(
                c, r, "value",
                "%s already has a figure for %s (%s, on line %zu); --replace replaces it", rel,
                words, *was ? was : "not reported", at + 2);
        } else if (row) {
            target_row[i] = (size_t)json_integer_value(row);
        }
        json_object_set_new(seen, key, json_integer((json_int_t)i));
        free(key);
        free(words);
    }
    json_decref(seen);
    json_decref(had);
    free(values);
    free(dc);
}

/* Puts the figures in: a replaced one in its row, new ones at the end,
 * each said in a note. Returns which rows are new or changed (their text
 * cells get the formula guard). new. */
static unsigned char *put_figures(struct recording *c, const tocm_record *records, size_t count,
                                  const size_t *target_row, const char *rel) {
    struct sheet *s = &c->sheet;
    unsigned char *guard = tocmp_xcalloc(s->count + count + 1, 1);
    long pc = tocmp_sheet_col(s, c->period_col), vc = tocmp_sheet_col(s, "value"),
         cc = tocmp_sheet_col(s, "comment"), sc = tocmp_sheet_col(s, "source"),
         stc = tocmp_sheet_col(s, "status");
    long *dc = dim_cols(c);
    const char **values = tocmp_xcalloc(c->dim_count + 1, sizeof *values);
    for (size_t i = 0; i < count; i++) {
        const tocm_record *r = &records[i];
        size_t at = target_row[i];
        char **row;
        dim_values(c, r, values);
        char *words = cell_words(c, r->period, values);
        const char *value = r->value ? r->value : "";
        if (at != (size_t)-1) {
            row = s->rows[at];
            char *now = figure_words(c, value), *was = figure_words(c, row[vc]);
            tocmp_edit_note(c->e, "replaced the figure for %s of indicator '%s' in %s: %s (was %s)",
                            words, c->id, rel, now, was);
            free(now);
            free(was);
            /* The comment and source are the new figure's too (put below,
             * empty when not given): an old comment about the old figure
             * would mislead. */
        } else {
            at = s->count;
            row = tocmp_sheet_new_row(s);
            char *now = figure_words(c, value);
            tocmp_edit_note(c->e, "recorded %s for %s of indicator '%s' in %s", now, words, c->id,
                            rel);
            free(now);
        }
        guard[at] = 1;
        free(words);
        tocmp_sheet_put(row, pc, r->period);
        for (size_t k = 0; k < c->dim_count; k++)
            tocmp_sheet_put(row, dc[k], values[k]);
        tocmp_sheet_put(row, vc, value);
        tocmp_sheet_put(row, cc, r->comment);
        tocmp_sheet_put(row, sc, r->source);
        if (stc >= 0)
            tocmp_sheet_put(row, stc, r->status);
    }
    free(values);
    free(dc);
    return guard;
}

/* The table's new text, read back as the report would. new, or NULL with
 * the edit's error set. */
static char *table_text(struct recording *c, const unsigned char *guard, const char *shown,
                        size_t *len) {
    const struct sheet *s = &c->sheet;
    long pc = tocmp_sheet_col(s, c->period_col), vc = tocmp_sheet_col(s, "value");
    /* Text columns only: a number is never a formula, and -3 must stay -3;
     * nor the period, which must match the plan's. */
    unsigned char *text_cols = tocmp_xcalloc(s->cols + 1, 1);
    for (size_t col = 0; col < s->cols; col++)
        text_cols[col] = strcmp(tocmp_record_col_type(c, s->names[col]), "text") == 0 &&
                         (c->qualitative || (long)col != vc) && (long)col != pc;
    char *text = tocmp_sheet_compose(s, guard, text_cols, len);
    free(text_cols);
    if (tocmp_sheet_read_back(c->e, c->table_def, text, *len, shown) != TOCM_OK) {
        free(text);
        return NULL;
    }
    return text;
}

/* The model: a new table and the indicator wired to it; columns the file
 * gains are typed text. */
static void wire_model(struct recording *c, const struct place *p) {
    tocm_edit *e = c->e;
    if (p->made) {
        json_t *tables = json_object_get(e->doc, "tables");
        if (!json_is_object(tables)) {
            tables = json_object();
            json_object_set_new(e->doc, "tables", tables);
        }
        json_object_set(tables, c->made_name, p->made);
        json_object_set_new(c->ind, "table", json_string(c->made_name));
        json_object_set_new(c->ind, "calculator", json_string("recorded"));
        if (!tocmp_edit_str_member(c->ind, "period"))
            json_object_set_new(c->ind, "period", json_string(c->period_col));
        tocmp_edit_note(e,
                        "made the results table '%s' (%s) and wired it into indicator '%s' "
                        "(calculator 'recorded')",
                        c->made_name, p->rel, c->id);
        return;
    }
    json_t *cols = json_object_get(c->table_def, "columns");
    for (size_t col = 0; json_is_object(cols) && col < c->sheet.cols; col++)
        if (!json_object_get(cols, c->sheet.names[col]))
            json_object_set_new(cols, c->sheet.names[col], json_string("text"));
}

int tocm_edit_record(tocm_edit *e, const char *id, const tocm_record *records, size_t count,
                     int flags, const char *from, tocm_diags *problems) {
    struct recording c = {.e = e, .id = id, .from = from, .problems = problems};
    struct place p = {0};
    int rc = tocmp_record_prepare(&c);
    if (rc == TOCM_OK)
        rc = open_table(&c, &p);
    if (rc != TOCM_OK)
        goto out;

    size_t *target_row = tocmp_xcalloc(count + 1, sizeof *target_row);
    check_cells(&c, records, count, flags, p.rel, target_row);
    if (c.bad) {
        if (c.bad == 1 && !from)
            rc = tocmp_edit_refuse(
                e, "%s", tocm_diags_get(problems, tocm_diags_count(problems) - 1)->message);
        else
            rc = tocmp_edit_refuse(e, "%zu problem%s %s %s", c.bad, c.bad == 1 ? "" : "s",
                                   from ? "in" : "with", from ? from : "the figure");
        free(target_row);
        goto out;
    }
    unsigned char *guard = put_figures(&c, records, count, target_row, p.rel);
    free(target_row);
    size_t len;
    char *text = table_text(&c, guard, p.shown, &len);
    free(guard);
    if (!text) {
        rc = TOCM_EINVALID;
        goto out;
    }
    wire_model(&c, &p);
    tocmp_edit_set_side_file(e, p.path, p.shown, text, len, p.exists ? &p.st : NULL);
    p.path = p.shown = NULL;
out:
    place_free(&p);
    recording_free(&c);
    return rc;
}
