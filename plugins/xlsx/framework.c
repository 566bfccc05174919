/*
 * framework.c -- the sheets that describe the results framework itself:
 * Framework (one row per node) and Indicators (one row per indicator).
 * They need only the model, so they are in every workbook.
 */
#include <stdlib.h>
#include <string.h>

#include "xlsx_internal.h"

/* A growing text buffer for lists joined with "; ". */
struct joined {
    char *data;
    size_t len, cap;
};

static int join_add(struct joined *j, const char *item) {
    size_t add = strlen(item) + (j->len ? 2 : 0);
    if (j->len + add + 1 > j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 128;
        while (cap < j->len + add + 1)
            cap *= 2;
        char *p = realloc(j->data, cap);
        if (!p)
            return -1;
        j->data = p;
        j->cap = cap;
    }
    if (j->len) {
        memcpy(j->data + j->len, "; ", 2);
        j->len += 2;
    }
    memcpy(j->data + j->len, item, strlen(item) + 1);
    j->len += strlen(item);
    return 0;
}

static int write_text(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                      const char *s) {
    if (!s || !*s)
        return 0;
    return xlsx_check(x, worksheet_write_string(ws, row, col, s, x->st.text), "a cell");
}

static int write_header(struct xlsx_ctx *x, lxw_worksheet *ws, const char *const *names,
                        const double *widths, size_t n) {
    for (size_t c = 0; c < n; c++) {
        if (xlsx_check(x, worksheet_write_string(ws, 0, (lxw_col_t)c, names[c], x->st.header),
                       "the header"))
            return -1;
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    worksheet_freeze_panes(ws, 1, 1);
    return 0;
}

int xlsx_framework_sheet(struct xlsx_ctx *x) {
    const struct tocm_host *h = x->host;
    const tocm_model *m = x->model;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Framework");
    if (!ws)
        return xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Framework sheet");
    static const char *const names[] = {"ID",      "Level",    "Title",  "Contributes to",
                                        "Country", "Partners", "Status", "Assumptions",
                                        "Inferred"};
    static const double widths[] = {10, 24, 60, 18, 9, 30, 16, 50, 9};
    size_t ncols = sizeof names / sizeof *names;
    if (write_header(x, ws, names, widths, ncols))
        return -1;
    size_t n = h->node_count(m);
    for (size_t i = 0; i < n; i++) {
        lxw_row_t row = (lxw_row_t)(i + 1);
        long level = h->node_level(m, i);
        struct joined links = {0}, partners = {0}, assumptions = {0};
        int rc = 0;
        for (size_t k = 0; k < h->node_out_count(m, i) && rc == 0; k++)
            rc = join_add(&links, h->node_id(m, h->node_out(m, i, k)));
        for (size_t k = 0; k < h->node_list_count(m, i, "partners") && rc == 0; k++)
            rc = join_add(&partners, h->node_list_item(m, i, "partners", k));
        for (size_t k = 0; k < h->node_list_count(m, i, "assumptions") && rc == 0; k++)
            rc = join_add(&assumptions, h->node_list_item(m, i, "assumptions", k));
        if (rc)
            h->error_set(x->err, "xlsx", "out of memory");
        const char *cells[] = {
            h->node_id(m, i),
            level >= 0 ? h->level_title(m, (size_t)level) : "",
            h->node_title(m, i),
            links.data,
            h->node_string(m, i, "country"),
            partners.data,
            h->node_string(m, i, "status"),
            assumptions.data,
            h->node_is_inferred(m, i) ? "yes" : "",
        };
        for (size_t c = 0; c < ncols && rc == 0; c++)
            rc = write_text(x, ws, row, (lxw_col_t)c, cells[c]);
        free(links.data);
        free(partners.data);
        free(assumptions.data);
        if (rc)
            return -1;
    }
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, (lxw_col_t)(ncols - 1));
    return 0;
}

int xlsx_indicators_sheet(struct xlsx_ctx *x) {
    const struct tocm_host *h = x->host;
    const tocm_model *m = x->model;
    size_t n = h->indicator_count(m);
    if (n == 0)
        return 0;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Indicators");
    if (!ws)
        return xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Indicators sheet");
    static const char *const names[] = {
        "ID", "Title", "Measure", "Unit", "Results measured", "Means of verification"};
    static const double widths[] = {10, 60, 12, 12, 20, 50};
    size_t ncols = sizeof names / sizeof *names;
    if (write_header(x, ws, names, widths, ncols))
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct joined nodes = {0};
        int rc = 0;
        for (size_t k = 0; k < h->indicator_node_count(m, i) && rc == 0; k++) {
            size_t node = h->indicator_node(m, i, k);
            if (node != TOCM_NONE)
                rc = join_add(&nodes, h->node_id(m, node));
        }
        if (rc)
            h->error_set(x->err, "xlsx", "out of memory");
        const char *measure = h->indicator_string(m, i, "measure");
        const char *cells[] = {
            h->indicator_id(m, i),
            h->indicator_string(m, i, "title"),
            measure ? measure : "unit",
            h->indicator_string(m, i, "unit"),
            nodes.data,
            h->indicator_string(m, i, "verification"),
        };
        for (size_t c = 0; c < ncols && rc == 0; c++)
            rc = write_text(x, ws, (lxw_row_t)(i + 1), (lxw_col_t)c, cells[c]);
        free(nodes.data);
        if (rc)
            return -1;
    }
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, (lxw_col_t)(ncols - 1));
    return 0;
}
