/*
 * record_csv.c -- tocm record's bulk form: the figures of a CSV file with
 * the results table's own columns (the period column, the breakdown
 * columns, value, comment, source, status), each checked as one typed on
 * the command line, each problem named by the file's line. One bad line
 * refuses the whole file (tocm_edit_record checks every record before it
 * changes anything).
 */
#include <stdlib.h>
#include <string.h>

#include "edit_internal.h"
#include "table.h"
#include "util.h"

/* The line each record of a CSV text starts on, header first, by the
 * reader's rules (table.c): a line with nothing on it is no record; a line
 * break inside quotes does not end one. Fills lines (room for n) and
 * returns how many it found. */
static size_t record_lines(const char *p, const char *end, size_t *lines, size_t n) {
    size_t line = 1, found = 0;
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end && found < n) {
        if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
            p += *p == '\r' ? 2 : 1; /* an empty line */
            line++;
            continue;
        }
        lines[found++] = line;
        int quoted = 0;
        while (p < end) {
            if (*p == '"') {
                quoted = !quoted;
            } else if (*p == '\n') {
                line++;
                if (!quoted) {
                    p++;
                    break;
                }
            }
            p++;
        }
    }
    return found;
}

int tocm_edit_record_csv(tocm_edit *e, const char *id, const char *path, int flags,
                         tocm_diags *problems) {
    json_t *ind = tocmp_edit_find_indicator(e, id);
    if (!ind)
        return tocmp_edit_refuse(e, "%s has no indicator '%s'", e->path, id);
    size_t len;
    char *text = tocmp_read_file(path, &len);
    if (!text)
        return tocmp_edit_refuse(e, "cannot read %s", path);
    tocm_diags *d = tocm_diags_new();
    struct tocm_table *t = tocmp_table_load(path, path, NULL, 0, d);
    if (!t) {
        const tocm_diag *first = tocm_diags_get(d, 0);
        tocm_diags_add(problems, TOCM_SEV_ERROR, "E420", path, first ? first->line : 0,
                       first ? first->column : 0, "", id, "%s",
                       first ? first->message : "cannot be read");
        tocm_diags_free(d);
        free(text);
        return tocmp_edit_refuse(e, "%s is not a CSV file tocm can read", path);
    }
    tocm_diags_free(d);
    size_t *lines = tocmp_xcalloc(t->row_count + 2, sizeof *lines);
    size_t found = record_lines(text, text + len, lines, t->row_count + 1);
    free(text);

    /* The columns: the indicator's period column (or "period"), its
     * breakdowns, and the figure's own. */
    const char *period_col = tocmp_edit_str_member(ind, "period");
    json_t *dims = json_object_get(ind, "disaggregate");
    static const char *const own[] = {"value", "comment", "source", "status"};
    long period = -1, cols[4] = {-1, -1, -1, -1};
    size_t dim_n = 0, bad = 0;
    const char **dim_keys = tocmp_xcalloc(t->column_count + 1, sizeof *dim_keys);
    long *dim_cols = tocmp_xcalloc(t->column_count + 1, sizeof *dim_cols);
    for (size_t c = 0; c < t->column_count; c++) {
        const char *name = t->names[c];
        size_t k;
        if ((period_col && strcmp(name, period_col) == 0) ||
            (period < 0 && strcmp(name, "period") == 0)) {
            period = (long)c;
            continue;
        }
        for (k = 0; k < 4 && strcmp(own[k], name) != 0; k++)
            ;
        if (k < 4) {
            cols[k] = (long)c;
            continue;
        }
        if (tocmp_edit_find_string(dims, name) >= 0) {
            dim_keys[dim_n] = name;
            dim_cols[dim_n++] = (long)c;
            continue;
        }
        /* Any other column would be dropped without a word: refused. */
        tocmp_buf known = {0};
        tocmp_buf_printf(&known, "%s", period_col ? period_col : "period");
        size_t i;
        json_t *v;
        json_array_foreach(dims, i, v) tocmp_buf_printf(&known, ", %s", json_string_value(v));
        tocmp_buf_puts(&known, ", value, comment, source, status");
        tocm_diags_add(problems, TOCM_SEV_ERROR, "E420", path, 1, 0, name, id,
                       "column '%s' is not one tocm record reads for indicator '%s': %s", name, id,
                       known.data);
        free(known.data);
        bad++;
    }
    if (period < 0) {
        tocm_diags_add(problems, TOCM_SEV_ERROR, "E420", path, 1, 0, "", id,
                       "the header has no period column ('%s')",
                       period_col ? period_col : "period");
        bad++;
    }
    if (cols[0] < 0) {
        tocm_diags_add(problems, TOCM_SEV_ERROR, "E420", path, 1, 0, "", id,
                       "the header has no 'value' column");
        bad++;
    }
    int rc;
    if (bad) {
        rc = tocmp_edit_refuse(e, "%zu problem%s in %s", bad, bad == 1 ? "" : "s", path);
    } else {
        tocm_record *records = tocmp_xcalloc(t->row_count + 1, sizeof *records);
        const char **values = tocmp_xcalloc(t->row_count * (dim_n + 1) + 1, sizeof *values);
        for (size_t r = 0; r < t->row_count; r++) {
            tocm_record *rec = &records[r];
            const char **vals = values + r * (dim_n + 1);
            for (size_t k = 0; k < dim_n; k++)
                vals[k] = t->text[tocmp_table_cell(t, r, (size_t)dim_cols[k])];
            rec->period = t->text[tocmp_table_cell(t, r, (size_t)period)];
            rec->dim_keys = dim_keys;
            rec->dim_values = vals;
            rec->dim_count = dim_n;
            const char **fields[] = {&rec->value, &rec->comment, &rec->source, &rec->status};
            for (size_t k = 0; k < 4; k++)
                *fields[k] = cols[k] < 0 ? "" : t->text[tocmp_table_cell(t, r, (size_t)cols[k])];
            rec->line = r + 1 < found ? lines[r + 1] : r + 2;
        }
        rc = tocm_edit_record(e, id, records, t->row_count, flags, path, problems);
        if (rc == TOCM_OK && t->row_count == 0)
            tocmp_edit_note(e, "%s holds no figures; nothing to record", path);
        free(values);
        free(records);
    }
    free(dim_keys);
    free(dim_cols);
    free(lines);
    tocmp_table_free(t);
    return rc;
}
