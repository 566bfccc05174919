/*
 * matrix_sheet.c -- the Matrix sheet: projects as rows grouped by country,
 * outcomes as columns grouped by end-of-program outcome, a symbol per cell.
 *
 * What the matrix holds (its rows, columns and cells) is defined once, in
 * ../graphviz/matrix_model.c with view.c and order.c, which this plugin
 * compiles in (it does not link the graphviz plugin, and none of those
 * files needs Graphviz): so the sheet equals `tocm render MODEL --view
 * matrix -T csv` cell for cell, and tests/xlsx checks that it does.
 */
#include <stdio.h>
#include <string.h>

#include "../graphviz/gv_internal.h"
#include "xlsx_internal.h"

#define SYM_CITED "\u25CF"    /* ● */
#define SYM_INFERRED "\u25CB" /* ○ */
#define SYM_CLUSTER "\u25C7"  /* ◇ */

#define FIRST_CELL_COL 3 /* country, project, title */
#define HEADER_ROWS 4

static lxw_format *cell_format(lxw_workbook *wb, unsigned fill) {
    lxw_format *f = workbook_add_format(wb);
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    format_set_font_size(f, 12);
    format_set_border(f, LXW_BORDER_HAIR);
    format_set_border_color(f, 0xBFBFBF);
    if (fill) {
        format_set_bg_color(f, fill);
        format_set_pattern(f, LXW_PATTERN_SOLID);
    }
    return f;
}

static int headers(struct xlsx_ctx *x, lxw_worksheet *ws, const struct matrix *mx) {
    const struct tocm_host *h = x->host;
    const tocm_model *m = x->model;
    static const char *const fixed[] = {"Country", "Project", "Title"};
    double widths[] = {10, 10, 36};
    /* The project column as wide as its longest id, within reason. */
    for (size_t r = 0; r < mx->row_count; r++) {
        double w = (double)strlen(h->node_id(m, mx->rows[r])) + 2;
        if (w > widths[1])
            widths[1] = w < 18 ? w : 18;
    }
    int rc = 0;
    for (lxw_col_t c = 0; c < FIRST_CELL_COL && rc == 0; c++) {
        rc = xlsx_check(x, worksheet_merge_range(ws, 2, c, 3, c, fixed[c], x->st.header),
                        "the Matrix header");
        worksheet_set_column(ws, c, c, widths[c], NULL);
    }
    /* Row 3: the EOPO groups, merged over their columns. */
    for (size_t c = 0; c < mx->col_count && rc == 0;) {
        size_t e = c + 1;
        while (e < mx->col_count && mx->group[e] == mx->group[c])
            e++;
        const char *name =
            mx->group[c] != TOCM_NONE ? h->node_id(m, mx->group[c]) : "leading to no EOPO";
        lxw_col_t first = (lxw_col_t)(FIRST_CELL_COL + c),
                  last = (lxw_col_t)(FIRST_CELL_COL + e - 1);
        rc = first == last
                 ? xlsx_text(x, ws, 2, first, name, x->st.centre)
                 : xlsx_check(x, worksheet_merge_range(ws, 2, first, 2, last, name, x->st.centre),
                              "the Matrix header");
        c = e;
    }
    /* Row 4: the outcomes, each with its title as a note. */
    for (size_t c = 0; c < mx->col_count && rc == 0; c++) {
        lxw_col_t col = (lxw_col_t)(FIRST_CELL_COL + c);
        rc = xlsx_text(x, ws, 3, col, h->node_id(m, mx->cols[c]), x->st.centre);
        if (rc == 0)
            rc = xlsx_note(x, ws, 3, col, h->node_title(m, mx->cols[c]));
        /* Bold ids need a little more than their length. */
        double w = (double)strlen(h->node_id(m, mx->cols[c])) + 3;
        worksheet_set_column(ws, col, col, w < 6 ? 6 : w > 14 ? 14 : w, NULL);
    }
    return rc;
}

static int band(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t row, const char *code,
                size_t width) {
    char label[160];
    const char *name = code ? country_name(code) : NULL;
    if (!code)
        snprintf(label, sizeof label, "Regional (no country)");
    else if (name)
        snprintf(label, sizeof label, "%s (%s)", name, code);
    else
        snprintf(label, sizeof label, "%.150s", code);
    return xlsx_check(
        x, worksheet_merge_range(ws, row, 0, row, (lxw_col_t)(width - 1), label, x->st.band),
        "a country row");
}

static int rows(struct xlsx_ctx *x, lxw_worksheet *ws, const struct view *v,
                const struct matrix *mx) {
    const struct tocm_host *h = x->host;
    const tocm_model *m = x->model;
    lxw_format *fmt[4] = {NULL, cell_format(x->wb, 0xDDEBF7), cell_format(x->wb, 0xF2F2F2),
                          cell_format(x->wb, 0xFFF2CC)};
    lxw_format *empty = cell_format(x->wb, 0);
    static const char *const sym[4] = {"", SYM_CITED, SYM_INFERRED, SYM_CLUSTER};
    lxw_row_t row = HEADER_ROWS;
    const char *group = NULL;
    int rc = 0;
    for (size_t r = 0; r < mx->row_count && rc == 0; r++) {
        size_t p = mx->rows[r];
        const char *code = h->node_string(m, p, "country");
        if (r == 0 || (code ? !group || strcmp(code, group) != 0 : group != NULL)) {
            rc = band(x, ws, row++, code, FIRST_CELL_COL + mx->col_count);
            group = code;
        }
        if (rc == 0)
            rc = xlsx_text(x, ws, row, 0, code, NULL);
        if (rc == 0)
            rc = xlsx_text(x, ws, row, 1, h->node_id(m, p), NULL);
        if (rc == 0)
            rc = xlsx_text(x, ws, row, 2, h->node_title(m, p), NULL);
        for (size_t c = 0; c < mx->col_count && rc == 0; c++) {
            size_t via;
            enum cell cell = matrix_cell(h, m, v, p, mx->cols[c], &via);
            lxw_col_t col = (lxw_col_t)(FIRST_CELL_COL + c);
            if (cell == CELL_NONE) {
                rc = xlsx_check(x, worksheet_write_blank(ws, row, col, empty), "a cell");
                continue;
            }
            rc = xlsx_text(x, ws, row, col, sym[cell], fmt[cell]);
            if (rc == 0 && cell == CELL_CLUSTER) {
                char note[200];
                snprintf(note, sizeof note, "Through its cluster %.150s", h->node_id(m, via));
                rc = xlsx_note(x, ws, row, col, note);
            }
        }
        row++;
    }
    return rc;
}

int xlsx_matrix_sheet(struct xlsx_ctx *x) {
    const struct tocm_host *h = x->host;
    struct view v;
    tocm_error verr = {0};
    if (view_open(h, x->model, "matrix", PROJECTS_NODES, &v, &verr) != 0) {
        h->log(TOCM_LOG_WARNING, "xlsx", "no Matrix sheet: %s", verr.text);
        return 0;
    }
    struct matrix mx;
    if (matrix_collect(h, x->model, &v, &mx) != 0) {
        view_close(&v);
        return xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Matrix sheet");
    }
    int rc = 0;
    if (mx.row_count && mx.col_count) {
        lxw_worksheet *ws = xlsx_add_sheet(x, "Matrix");
        rc = ws ? 0 : -1;
        const char *program = h->program_string(x->model, "title");
        char title[300];
        snprintf(title, sizeof title, "%.250s: projects \u00d7 outcomes", program ? program : "");
        if (rc == 0)
            rc = xlsx_text(x, ws, 0, 0, title, x->st.title);
        if (rc == 0)
            rc = xlsx_text(x, ws, 1, 0,
                           SYM_CITED " cited \u00b7 " SYM_INFERRED
                                     " cited, inferred by the modeller \u00b7 " SYM_CLUSTER
                                     " through the project's cluster (the cell's note names it)",
                           x->st.subtitle);
        if (rc == 0)
            rc = headers(x, ws, &mx);
        if (rc == 0)
            rc = rows(x, ws, &v, &mx);
        if (rc == 0) {
            worksheet_freeze_panes(ws, HEADER_ROWS, FIRST_CELL_COL);
            xlsx_print_setup(ws, HEADER_ROWS - 1, title);
        }
    }
    matrix_free(&mx);
    view_close(&v);
    return rc;
}
