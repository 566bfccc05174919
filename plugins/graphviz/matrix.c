/*
 * matrix.c -- the projects x outcomes matrix, the table program teams keep
 * in a spreadsheet: projects as rows grouped by country (regional first,
 * then by code), outcomes as columns grouped by end-of-program outcome (each
 * EOPO, then the outcomes that lead to it, in natural id order). A cell is
 *   cited     the project cites the outcome (●)
 *   inferred  the modeller inferred that link (○)
 *   cluster   the project reaches the outcome through its cluster (◇)
 * Drawn by Graphviz as one table (svg, png, pdf, ...), or written as CSV or
 * Markdown.
 */
#include <stdlib.h>
#include <string.h>

#include <cgraph.h>

#include "gv_internal.h"

#define SYM_CITED "\xE2\x97\x8F"    /* ● */
#define SYM_INFERRED "\xE2\x97\x8B" /* ○ */
#define SYM_CLUSTER "\xE2\x97\x87"  /* ◇ */

/* ---- CSV and Markdown ------------------------------------------------------ */

static void csv_field(struct buf *b, const char *s) {
    if (!strpbrk(s, ",\"\r\n")) {
        buf_puts(b, s);
        return;
    }
    buf_puts(b, "\"");
    for (; *s; s++)
        buf_puts(b, *s == '"' ? "\"\"" : (char[2]){*s, 0});
    buf_puts(b, "\"");
}

/* Markdown table text: | and newlines would break the row; < > & are kept
 * as entities so no renderer takes them for HTML. */
static void md_field(struct buf *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '|': buf_puts(b, "\\|"); break;
        case '\n':
        case '\r': buf_puts(b, " "); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '&': buf_puts(b, "&amp;"); break;
        default: buf_add(b, s, 1);
        }
    }
}

void matrix_text(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                 const struct matrix *mx, int markdown, struct buf *out) {
    if (markdown) {
        const char *title = host->program_string(m, "title");
        buf_puts(out, "# ");
        md_field(out, title ? title : "");
        buf_puts(out, ": projects \xC3\x97 outcomes\n\n");
        buf_puts(out, SYM_CITED " cited \xC2\xB7 " SYM_INFERRED
                                " cited, inferred by the modeller \xC2\xB7 " SYM_CLUSTER
                                " through the project's cluster\n\n| country | project | title |");
        for (size_t c = 0; c < mx->col_count; c++) {
            buf_puts(out, " ");
            md_field(out, host->node_id(m, mx->cols[c]));
            buf_puts(out, " |");
        }
        buf_puts(out, "\n| --- | --- | --- |");
        for (size_t c = 0; c < mx->col_count; c++)
            buf_puts(out, " :-: |");
        buf_puts(out, "\n");
    } else {
        buf_puts(out, "country,project,title");
        for (size_t c = 0; c < mx->col_count; c++) {
            buf_puts(out, ",");
            csv_field(out, host->node_id(m, mx->cols[c]));
        }
        buf_puts(out, "\r\n");
    }
    for (size_t r = 0; r < mx->row_count; r++) {
        size_t p = mx->rows[r];
        const char *code = host->node_string(m, p, "country");
        const char *title = host->node_title(m, p);
        if (markdown) {
            buf_puts(out, "| ");
            md_field(out, code ? code : "regional");
            buf_puts(out, " | ");
            md_field(out, host->node_id(m, p));
            buf_puts(out, " | ");
            md_field(out, title ? title : "");
            buf_puts(out, " |");
        } else {
            csv_field(out, code ? code : "");
            buf_puts(out, ",");
            csv_field(out, host->node_id(m, p));
            buf_puts(out, ",");
            csv_field(out, title ? title : "");
        }
        for (size_t c = 0; c < mx->col_count; c++) {
            size_t via;
            enum cell cell = matrix_cell(host, m, v, p, mx->cols[c], &via);
            if (markdown) {
                static const char *const sym[] = {"", SYM_CITED, SYM_INFERRED, SYM_CLUSTER};
                buf_printf(out, " %s |", sym[cell]);
            } else {
                buf_puts(out, ",");
                if (cell == CELL_CITED)
                    buf_puts(out, "cited");
                else if (cell == CELL_INFERRED)
                    buf_puts(out, "inferred");
                else if (cell == CELL_CLUSTER) {
                    buf_puts(out, "cluster ");
                    csv_field(out, host->node_id(m, via));
                }
            }
        }
        buf_puts(out, markdown ? "\n" : "\r\n");
    }
}

/* ---- the drawing ----------------------------------------------------------- */

static char *S(const char *s) { return (char *)s; }

#define GRID "#9a9a9a"

/* Appends the table's rows [from, to) (all when to is 0). */
static void table_html(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                       const struct matrix *mx, size_t from, size_t to, struct buf *out) {
    if (to == 0 || to > mx->row_count)
        to = mx->row_count;
    buf_puts(out, "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"2\" "
                  "color=\"" GRID "\">");
    /* Row 1: the EOPO groups. */
    buf_puts(out, "<tr><td rowspan=\"2\" align=\"left\" valign=\"bottom\" bgcolor=\"#e6e6e6\">"
                  "<b>Project</b></td>");
    for (size_t c = 0; c < mx->col_count;) {
        size_t e = c + 1;
        while (e < mx->col_count && mx->group[e] == mx->group[c])
            e++;
        buf_printf(out, "<td colspan=\"%zu\" bgcolor=\"#d4e4f4\"><b>", e - c);
        html_text(out, mx->group[c] != TOCM_NONE ? host->node_id(m, mx->group[c])
                                                 : "leading to no EOPO");
        buf_puts(out, "</b></td>");
        c = e;
    }
    buf_puts(out, "</tr><tr>");
    for (size_t c = 0; c < mx->col_count; c++) {
        int eopo = mx->cols[c] == mx->group[c];
        buf_printf(out, "<td bgcolor=\"%s\">%s", eopo ? "#d4e4f4" : "#eef4fa", eopo ? "<b>" : "");
        html_text(out, host->node_id(m, mx->cols[c]));
        buf_printf(out, "%s</td>", eopo ? "</b>" : "");
    }
    buf_puts(out, "</tr>");
    const char *group = "\x01";
    size_t stripe = 0;
    for (size_t r = from; r < to; r++) {
        size_t p = mx->rows[r];
        const char *code = host->node_string(m, p, "country");
        const char *key = code ? code : "";
        if (strcmp(key, group) != 0) {
            group = key;
            stripe = 0;
            const char *name = code ? country_name(code) : NULL;
            buf_printf(out, "<tr><td colspan=\"%zu\" align=\"left\" bgcolor=\"#e6e6e6\"><b>",
                       mx->col_count + 1);
            if (!code)
                buf_puts(out, "Regional (no country)");
            else if (name)
                buf_printf(out, "%s (%s)", name, code);
            else
                html_text(out, code);
            buf_puts(out, "</b></td></tr>");
        }
        const char *bg = stripe++ % 2 ? "#f4f4f4" : "#ffffff";
        buf_printf(out, "<tr><td align=\"left\" bgcolor=\"%s\"><b>", bg);
        html_text(out, host->node_id(m, p));
        buf_puts(out, "</b> ");
        struct buf t = {0};
        const char *title = host->node_title(m, p);
        /* A short title: the first 24 bytes or so, cut at a space. */
        if (title) {
            size_t len = strlen(title), cut = len;
            if (len > 26) {
                cut = 24;
                while (cut > 10 && title[cut] != ' ')
                    cut--;
                while (cut > 0 && ((unsigned char)title[cut] & 0xC0) == 0x80)
                    cut--;
            }
            buf_add(&t, title, cut);
            html_text(out, buf_str(&t));
            if (cut < len)
                buf_puts(out, "\xE2\x80\xA6");
        }
        buf_free(&t);
        buf_puts(out, "</td>");
        for (size_t c = 0; c < mx->col_count; c++) {
            size_t via;
            enum cell cell = matrix_cell(host, m, v, p, mx->cols[c], &via);
            static const char *const sym[] = {"", SYM_CITED, SYM_INFERRED, SYM_CLUSTER};
            buf_printf(out, "<td bgcolor=\"%s\">%s</td>", bg, sym[cell]);
        }
        buf_puts(out, "</tr>");
    }
    buf_puts(out, "</table>");
}

Agraph_t *build_matrix(const struct tocm_host *host, const tocm_model *m, const struct view *v,
                       const struct matrix *mx, size_t from, size_t to, const char *part) {
    const char *pid = host->program_string(m, "id");
    int plain_pid = pid && *pid && !strpbrk(pid, "\\\n\r\t");
    Agraph_t *g = agopen(S(plain_pid ? pid : "tocm"), Agdirected, NULL);
    if (!g)
        return NULL;
    agattr(g, AGRAPH, S("fontname"), S("DejaVu Sans"));
    agattr(g, AGRAPH, S("bgcolor"), S("white"));
    agattr(g, AGRAPH, S("pad"), S("0.3"));
    agattr(g, AGRAPH, S("labeljust"), S("l"));
    agattr(g, AGRAPH, S("labelloc"), S("t"));
    agattr(g, AGRAPH, S("fontsize"), S("12"));
    agattr(g, AGRAPH, S("id"), S("tocm-matrix"));
    agattr(g, AGRAPH, S("tocm_kind"), S("matrix"));
    agattr(g, AGNODE, S("shape"), S("plaintext"));
    agattr(g, AGNODE, S("fontname"), S("DejaVu Sans"));
    agattr(g, AGNODE, S("fontsize"), S("10"));
    agattr(g, AGNODE, S("margin"), S("0"));
    Agsym_t *label = agattr(g, AGNODE, S("label"), S(""));
    Agsym_t *glabel = agattr(g, AGRAPH, S("label"), S(""));

    struct buf text = {0};
    table_html(host, m, v, mx, from, to, &text);
    Agnode_t *node = agnode(g, S("matrix"), 1);
    char *h = agstrdup_html(g, S(buf_str(&text)));
    agxset(node, label, h);
    agstrfree(g, h);

    buf_reset(&text);
    const char *title = host->program_string(m, "title");
    struct buf sub = {0};
    view_describe(host, m, v, &sub);
    buf_puts(&text, "<table border=\"0\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"2\">"
                    "<tr><td align=\"left\"><font point-size=\"18\"><b>");
    html_text(&text, title ? title : "");
    buf_puts(&text, "</b></font></td></tr><tr><td align=\"left\"><font point-size=\"13\">");
    html_text(&text, buf_str(&sub));
    if (part)
        buf_printf(&text, " (%s)", part);
    buf_puts(&text, "</font></td></tr><tr><td align=\"left\"><b>Cells</b>  " SYM_CITED
                    " cited \xC2\xA0\xC2\xB7\xC2\xA0 " SYM_INFERRED
                    " cited, inferred by the modeller \xC2\xA0\xC2\xB7\xC2\xA0 " SYM_CLUSTER
                    " through the project's cluster</td></tr></table>");
    buf_free(&sub);
    h = agstrdup_html(g, S(buf_str(&text)));
    agxset(g, glabel, h);
    agstrfree(g, h);
    int failed = text.failed;
    buf_free(&text);
    if (failed) {
        agclose(g);
        return NULL;
    }
    return g;
}
