/*
 * record_sheet.c -- the results table `tocm record` writes, held in memory
 * as text cells: read from its file (or from what an earlier record of the
 * same edit left), grown by columns and rows, and its new text read back
 * with the reader the report uses and the table's column types, so that
 * what is written is what the report will read.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* mkstemp */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record_internal.h"
#include "table.h"
#include "util.h"

void tocmp_sheet_free(struct sheet *s) {
    for (size_t r = 0; r < s->count; r++) {
        for (size_t c = 0; c < s->cols; c++)
            free(s->rows[r][c]);
        free(s->rows[r]);
    }
    free(s->rows);
    for (size_t c = 0; c < s->cols; c++)
        free(s->names[c]);
    free(s->names);
}

long tocmp_sheet_col(const struct sheet *s, const char *name) {
    for (size_t c = 0; c < s->cols; c++)
        if (strcmp(s->names[c], name) == 0)
            return (long)c;
    return -1;
}

size_t tocmp_sheet_add_col(struct sheet *s, const char *name) {
    s->names = tocmp_xrealloc(s->names, (s->cols + 1) * sizeof *s->names);
    s->names[s->cols] = tocmp_xstrdup(name);
    for (size_t r = 0; r < s->count; r++) {
        s->rows[r] = tocmp_xrealloc(s->rows[r], (s->cols + 1) * sizeof *s->rows[r]);
        s->rows[r][s->cols] = tocmp_xstrdup("");
    }
    return s->cols++;
}

char **tocmp_sheet_new_row(struct sheet *s) {
    if (s->count == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->rows = tocmp_xrealloc(s->rows, s->cap * sizeof *s->rows);
    }
    char **row = tocmp_xcalloc(s->cols ? s->cols : 1, sizeof *row);
    for (size_t c = 0; c < s->cols; c++)
        row[c] = tocmp_xstrdup("");
    s->rows[s->count++] = row;
    return row;
}

void tocmp_sheet_put(char **row, long col, const char *text) {
    free(row[col]);
    row[col] = tocmp_xstrdup(text ? text : "");
}

static enum tocm_cell_type cell_type(const char *name) {
    if (strcmp(name, "integer") == 0)
        return TOCM_CELL_INTEGER;
    if (strcmp(name, "decimal") == 0)
        return TOCM_CELL_DECIMAL;
    if (strcmp(name, "date") == 0)
        return TOCM_CELL_DATE;
    return TOCM_CELL_TEXT;
}

/* The file at path read as the report reads it: with the types def gives
 * its columns. NULL with the reader's findings in d. */
static struct tocm_table *load_typed(json_t *def, const char *path, const char *shown,
                                     tocm_diags *d) {
    json_t *cols = json_object_get(def, "columns");
    struct tocmp_column_spec *specs = tocmp_xcalloc(json_object_size(cols) + 1, sizeof *specs);
    size_t n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(cols, key, v) {
        if (json_is_string(v))
            specs[n++] = (struct tocmp_column_spec){key, cell_type(json_string_value(v))};
    }
    struct tocm_table *t = tocmp_table_load(path, shown, specs, n, d);
    free(specs);
    return t;
}

/* Writes text to a new temporary file, since the reader reads files;
 * returns its path (new), or NULL with the edit's error set. */
static char *temp_copy(tocm_edit *e, const char *text, size_t len) {
    const char *dir = getenv("TMPDIR");
    char *tmp = tocmp_asprintf("%s/tocm-record-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(tmp);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
        tocmp_edit_refuse(e, "cannot check the table in %s: %s", tmp, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return NULL;
    }
    close(fd);
    return tmp;
}

static void drop_temp(char *tmp) {
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
}

/* A byte-order mark at the start: kept when the table is written again. */
static int starts_with_bom(const char *text, size_t len) {
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
}

int tocmp_sheet_read(struct sheet *s, tocm_edit *e, json_t *table_def, const char *path,
                     const char *shown) {
    char *pending = NULL;
    const char *file = path;
    if (e->side_data && strcmp(e->side_path, path) == 0) {
        s->bom = starts_with_bom(e->side_data, e->side_len);
        pending = temp_copy(e, e->side_data, e->side_len);
        if (!pending)
            return TOCM_EINVALID;
        path = pending;
    }
    tocm_diags *d = tocm_diags_new();
    struct tocm_table *t = load_typed(table_def, path, shown, d);
    if (!t) {
        const tocm_diag *first = tocm_diags_get(d, 0);
        tocmp_edit_refuse(e, "%s:%d: %s; fix the table first", shown, first ? first->line : 0,
                          first ? first->message : "cannot be read");
        tocm_diags_free(d);
        drop_temp(pending);
        return TOCM_EINVALID;
    }
    tocm_diags_free(d);
    FILE *f = pending ? NULL : fopen(file, "rb");
    drop_temp(pending);
    if (f) {
        char head[3];
        s->bom = starts_with_bom(head, fread(head, 1, 3, f));
        fclose(f);
    }
    for (size_t col = 0; col < t->column_count; col++)
        tocmp_sheet_add_col(s, t->names[col]);
    for (size_t r = 0; r < t->row_count; r++) {
        char **row = tocmp_sheet_new_row(s);
        for (size_t col = 0; col < t->column_count; col++)
            tocmp_sheet_put(row, (long)col, t->text[tocmp_table_cell(t, r, col)]);
    }
    tocmp_table_free(t);
    return TOCM_OK;
}

int tocmp_sheet_read_back(tocm_edit *e, json_t *table_def, const char *text, size_t len,
                          const char *shown) {
    char *tmp = temp_copy(e, text, len);
    if (!tmp)
        return TOCM_EINVALID;
    tocm_diags *d = tocm_diags_new();
    struct tocm_table *t = load_typed(table_def, tmp, shown, d);
    int rc = TOCM_OK;
    if (!t) {
        const tocm_diag *first = tocm_diags_get(d, 0);
        rc = tocmp_edit_refuse(e, "the new %s would not read back (%s)", shown,
                               first ? first->message : "?");
    }
    tocmp_table_free(t);
    tocm_diags_free(d);
    drop_temp(tmp);
    return rc;
}
