/*
 * framework.c -- the sheets that describe the results framework itself:
 * Framework (one row per node) and Indicators (one row per indicator).
 * They need only the model, so they are in every workbook.
 */
#include <stdlib.h>
#include <string.h>

#include "xlsx_internal.h"

static int write_text(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                      const char *s) {
    if (!s || !*s)
        return 0;
    return xlsx_text(x, ws, row, col, s, x->st.text);
}

static int write_header(struct xlsx_ctx *x, lxw_worksheet *ws, const char *const *names,
                        const double *widths, size_t n) {
    for (size_t c = 0; c < n; c++) {
        if (xlsx_text(x, ws, 0, (lxw_col_t)c, names[c], x->st.header))
            return -1;
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    worksheet_freeze_panes(ws, 1, 1);
    return 0;
}

/* The ids of the indicators that measure node, joined. */
static void node_indicators(const struct tocm_host *h, const tocm_model *m, size_t node,
                            struct joined *out) {
    for (size_t i = 0; i < h->indicator_count(m); i++)
        for (size_t k = 0; k < h->indicator_node_count(m, i); k++)
            if (h->indicator_node(m, i, k) == node) {
                join_add(out, "; ", h->indicator_id(m, i));
                break;
            }
}

int xlsx_framework_sheet(struct xlsx_ctx *x) {
    const struct tocm_host *h = x->host;
    const tocm_model *m = x->model;
    lxw_worksheet *ws = xlsx_add_sheet(x, "Framework");
    if (!ws)
        return -1;
    static const char *const names[] = {"ID",       "Level",     "Title",  "Contributes to",
                                        "Country",  "Partners",  "Status", "Assumptions",
                                        "Inferred", "Indicators"};
    static const double widths[] = {10, 22, 56, 20, 9, 30, 16, 50, 9, 16};
    size_t ncols = sizeof names / sizeof *names;
    if (write_header(x, ws, names, widths, ncols))
        return -1;
    size_t n = h->node_count(m);
    for (size_t i = 0; i < n; i++) {
        lxw_row_t row = (lxw_row_t)(i + 1);
        long level = h->node_level(m, i);
        struct joined links = {0}, partners = {0}, assumptions = {0}, indicators = {0};
        /* A link the modeller inferred says so: the sheet is read without
         * the diagram's dashed lines. */
        for (size_t k = 0; k < h->node_out_count(m, i); k++)
            join_printf(&links, "; ", "%s%s", h->node_id(m, h->node_out(m, i, k)),
                        h->link_is_inferred(m, i, k) ? " (inferred)" : "");
        for (size_t k = 0; k < h->node_list_count(m, i, "partners"); k++)
            join_add(&partners, "; ", h->node_list_item(m, i, "partners", k));
        for (size_t k = 0; k < h->node_list_count(m, i, "assumptions"); k++)
            join_add(&assumptions, "; ", h->node_list_item(m, i, "assumptions", k));
        node_indicators(h, m, i, &indicators);
        int rc = 0;
        if (links.failed || partners.failed || assumptions.failed || indicators.failed)
            rc = xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Framework sheet");
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
            indicators.data,
        };
        for (size_t c = 0; c < ncols && rc == 0; c++)
            rc = write_text(x, ws, row, (lxw_col_t)c, cells[c]);
        join_free(&links);
        join_free(&partners);
        join_free(&assumptions);
        join_free(&indicators);
        if (rc)
            return -1;
    }
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, (lxw_col_t)(ncols - 1));
    const char *title = h->program_string(m, "title");
    xlsx_print_setup(ws, 0, title);
    return 0;
}

int xlsx_indicators_sheet(struct xlsx_ctx *x) {
    const struct tocm_host *h = x->host;
    const tocm_model *m = x->model;
    size_t n = h->indicator_count(m);
    if (n == 0)
        return 0;
    lxw_worksheet *ws = xlsx_add_sheet(x, "Indicators");
    if (!ws)
        return -1;
    static const char *const names[] = {"ID",
                                        "Title",
                                        "Measure",
                                        "Unit",
                                        "Results measured",
                                        "Direction",
                                        "Aggregation",
                                        "Calculator",
                                        "Means of verification",
                                        "Notes"};
    static const double widths[] = {10, 50, 12, 12, 16, 10, 12, 11, 44, 60};
    size_t ncols = sizeof names / sizeof *names;
    if (write_header(x, ws, names, widths, ncols))
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct joined nodes = {0};
        for (size_t k = 0; k < h->indicator_node_count(m, i); k++) {
            size_t node = h->indicator_node(m, i, k);
            if (node != TOCM_NONE)
                join_add(&nodes, "; ", h->node_id(m, node));
        }
        int rc = nodes.failed ? xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell") : 0;
        const char *measure = h->indicator_string(m, i, "measure");
        const char *direction = h->indicator_string(m, i, "direction");
        const char *aggregation = h->indicator_string(m, i, "aggregation");
        const char *cells[] = {
            h->indicator_id(m, i),
            h->indicator_string(m, i, "title"),
            measure ? measure : "unit",
            h->indicator_string(m, i, "unit"),
            nodes.data,
            direction ? direction : "higher",
            aggregation ? aggregation : "periodic",
            h->indicator_string(m, i, "calculator"),
            h->indicator_string(m, i, "verification"),
            h->indicator_string(m, i, "notes"),
        };
        for (size_t c = 0; c < ncols && rc == 0; c++)
            rc = write_text(x, ws, (lxw_row_t)(i + 1), (lxw_col_t)c, cells[c]);
        join_free(&nodes);
        if (rc)
            return -1;
    }
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, (lxw_col_t)(ncols - 1));
    xlsx_print_setup(ws, 0, "Indicators");
    return 0;
}
