/*
 * matrix_model.c -- what the projects x outcomes matrix holds, from the model
 * alone: its rows (projects by country, then id), its columns (outcomes
 * grouped by end-of-program outcome) and each cell (cited, inferred,
 * through a cluster). No Graphviz here: the drawing and the CSV / Markdown
 * forms are in matrix.c, and the xlsx plugin compiles this file (with
 * view.c and order.c) for its Matrix sheet, so every form of the matrix has
 * this one definition.
 */
#include <stdlib.h>
#include <string.h>

#include "gv_internal.h"

void matrix_free(struct matrix *mx) {
    free(mx->rows);
    free(mx->cols);
    free(mx->group);
    memset(mx, 0, sizeof *mx);
}

/* The first EOPO (natural order) that outcome leads to, or TOCM_NONE. */
static size_t home_eopo(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                        size_t outcome, unsigned char *mark, size_t *stack) {
    size_t n = host->node_count(m), top = 0, best = TOCM_NONE;
    memset(mark, 0, n);
    mark[outcome] = 1;
    stack[top++] = outcome;
    while (top) {
        size_t x = stack[--top];
        if (host->node_level(m, x) == (long)v->eopo_level &&
            (best == TOCM_NONE || natural_cmp(host->node_id(m, x), host->node_id(m, best)) < 0))
            best = x;
        for (size_t k = 0; k < host->node_out_count(m, x); k++) {
            size_t y = host->node_out(m, x, k);
            if (y < n && !mark[y]) {
                mark[y] = 1;
                stack[top++] = y;
            }
        }
    }
    return best;
}

int matrix_collect(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                   struct matrix *mx) {
    size_t n = host->node_count(m);
    memset(mx, 0, sizeof *mx);
    mx->rows = malloc((n ? n : 1) * sizeof *mx->rows);
    mx->cols = malloc((n ? n : 1) * sizeof *mx->cols);
    mx->group = malloc((n ? n : 1) * sizeof *mx->group);
    unsigned char *mark = malloc(n ? n : 1);
    size_t *stack = malloc((n ? n : 1) * sizeof *stack);
    size_t *eopos = malloc((n ? n : 1) * sizeof *eopos);
    size_t *homes = malloc((n ? n : 1) * sizeof *homes);
    int rc = -1;
    if (!mx->rows || !mx->cols || !mx->group || !mark || !stack || !eopos || !homes)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (view_is_project(host, m, v, i))
            mx->rows[mx->row_count++] = i;
    sort_nodes(host, m, mx->rows, mx->row_count);

    /* Columns: each EOPO and the outcomes that lead to it, then the
     * outcomes that lead to none. */
    size_t eopo_count = 0, outcome_count = 0;
    for (size_t i = 0; i < n; i++) {
        if (!view_is_outcome(host, m, i))
            continue;
        if (host->node_level(m, i) == (long)v->eopo_level)
            eopos[eopo_count++] = i;
        else
            stack[outcome_count++] = i;
    }
    sort_by_id(host, m, eopos, eopo_count);
    sort_by_id(host, m, stack, outcome_count);
    /* stack now holds the outcomes; homes[k] is stack[k]'s EOPO. */
    size_t *outcomes = malloc((outcome_count ? outcome_count : 1) * sizeof *outcomes);
    if (!outcomes)
        goto out;
    memcpy(outcomes, stack, outcome_count * sizeof *outcomes);
    for (size_t k = 0; k < outcome_count; k++)
        homes[k] = home_eopo(host, m, v, outcomes[k], mark, stack);
    for (size_t e = 0; e <= eopo_count; e++) {
        size_t eopo = e < eopo_count ? eopos[e] : TOCM_NONE;
        if (eopo != TOCM_NONE) {
            mx->group[mx->col_count] = eopo;
            mx->cols[mx->col_count++] = eopo;
        }
        for (size_t k = 0; k < outcome_count; k++)
            if (homes[k] == eopo) {
                mx->group[mx->col_count] = eopo;
                mx->cols[mx->col_count++] = outcomes[k];
            }
    }
    free(outcomes);
    rc = 0;
out:
    free(mark);
    free(stack);
    free(eopos);
    free(homes);
    if (rc != 0)
        matrix_free(mx);
    return rc;
}

enum cell matrix_cell(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                      size_t project, size_t outcome, size_t *via) {
    int inferred = 0;
    *via = TOCM_NONE;
    if (view_links(host, m, project, outcome, &inferred))
        return inferred ? CELL_INFERRED : CELL_CITED;
    *via = view_through_cluster(host, m, v, project, outcome);
    return *via != TOCM_NONE ? CELL_CLUSTER : CELL_NONE;
}
