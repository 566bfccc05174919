/*
 * xlsx_internal.h -- shared by the files of the xlsx exporter.
 *
 * Layout of the code:
 *   xlsx.c          the plugin descriptor, the workbook and its temporary
 *                   file, styles, sheet names, text cells, print setup
 *   framework.c     the Framework and Indicators sheets (the model alone)
 *   iptt.c          the IPTT sheet and one sheet per breakdown, from the
 *                   computed report (its JSON, ABI 1.3)
 *   checks.c        the Checks sheet: printed figures and the status roll-up
 *   matrix_sheet.c  the projects x outcomes Matrix sheet, whose content
 *                   comes from ../graphviz/matrix_model.c (compiled in here)
 */
#ifndef TOCM_XLSX_INTERNAL_H
#define TOCM_XLSX_INTERNAL_H

#include <jansson.h>
#include <tocm/plugin.h>
#include <xlsxwriter.h>

#define XLSX_MAX_DECIMALS 6

/* Status words of the report, each with its symbol and fill. */
struct xlsx_status {
    const char *word;   /* as the report JSON has it: "on track" */
    const char *shown;  /* a symbol and the word: "→ on track" */
    unsigned fill;      /* RGB */
    lxw_format *format; /* made per workbook */
};

/* The formats every sheet uses, made once per workbook. */
struct xlsx_styles {
    lxw_format *header;   /* bold, grey fill, bottom border, wrapped */
    lxw_format *centre;   /* the same, centred: merged group headers */
    lxw_format *text;     /* wrapped, top-aligned */
    lxw_format *muted;    /* grey text: a repeated id, "not applicable" */
    lxw_format *missing;  /* "not reported": italic, grey */
    lxw_format *number;   /* #,##0 */
    lxw_format *title;    /* the sheet's title line */
    lxw_format *subtitle; /* the line under it: legend, source */
    lxw_format *band;     /* a group row: bold on a light fill */
    lxw_format *symbol;   /* a matrix cell: centred, larger */
    /* [percentage][decimals]: #,##0.00 or 0.0% */
    lxw_format *value[2][XLSX_MAX_DECIMALS + 1];
    lxw_format *percent;  /* % of target: 0% */
    lxw_format *bands[3]; /* chain nodes by depth (made when first used) */
};

struct xlsx_ctx {
    const struct tocm_host *host;
    const tocm_model *model;
    lxw_workbook *wb;
    struct xlsx_styles st;
    tocm_error *err;
    json_t *report;     /* the computed report (NULL under tocm export) */
    char **sheet_names; /* names given so far, to keep them unique */
    size_t sheet_count;
    struct xlsx_status *statuses; /* the known status words, with formats */
    size_t status_count;
};

/* Checks a libxlsxwriter result: 0 when fine, else -1 with err set. */
int xlsx_check(struct xlsx_ctx *x, lxw_error e, const char *what);

/* Adds a sheet named name, made valid for Excel: at most 31 characters,
 * none of []:*?/\, not starting or ending with an apostrophe, and unique
 * (case-insensitively) in the workbook: " (2)" and so on when taken. NULL
 * with err set on failure. */
lxw_worksheet *xlsx_add_sheet(struct xlsx_ctx *x, const char *name);

/* Writes s as a text cell (never a formula, whatever it starts with: a
 * title "=SUM(A1)" stays text). Nothing for NULL or "". Text longer than
 * Excel's 32,767-character cell limit is cut at a character boundary. */
int xlsx_text(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
              lxw_format *f);
/* A number cell. */
int xlsx_number(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v,
                lxw_format *f);
/* An Excel note (the hover comment) on a cell; nothing for NULL or "". */
int xlsx_note(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s);

/* Print setup: A4 landscape, fit to one page wide, rows [0, repeat_to]
 * repeated on every page (repeat_to < 0: none), centred footer "page N of M". */
void xlsx_print_setup(lxw_worksheet *ws, int repeat_to, const char *header);

/* The status entry of a report status word, or NULL for an unknown one. */
const struct xlsx_status *xlsx_status_find(const struct xlsx_ctx *x, const char *word);
/* The number format for a figure of the measure with decimals. */
lxw_format *xlsx_value_format(struct xlsx_ctx *x, int percentage, json_int_t decimals);

/* A growing text buffer for lists joined with a separator. */
struct joined {
    char *data;
    size_t len, cap;
    int failed;
};
void join_add(struct joined *j, const char *sep, const char *item);
void join_printf(struct joined *j, const char *sep, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void join_free(struct joined *j);

/* The Framework sheet: one row per node (ids, levels, titles, links,
 * countries, partners, status, assumptions, indicators). */
int xlsx_framework_sheet(struct xlsx_ctx *x);
/* The Indicators sheet: each indicator's definition and the results it
 * measures. */
int xlsx_indicators_sheet(struct xlsx_ctx *x);
/* The IPTT sheet, then one sheet per breakdown ("By country"). */
int xlsx_iptt_sheets(struct xlsx_ctx *x);
/* The Checks sheet: printed figures against the data, the status roll-up. */
int xlsx_checks_sheet(struct xlsx_ctx *x);
/* The Matrix sheet (none when the model has no projects or outcomes). */
int xlsx_matrix_sheet(struct xlsx_ctx *x);

/* ---- helpers on the report JSON (iptt.c) ---- */

/* A breakdown's label: "country KH, sex female"; "Total" for {}. new
 * (free()); NULL when out of memory. */
char *xlsx_dims_label(json_t *dims);
/* The measure is "percentage": its figures are fractions in cells, while
 * the plan (baseline, lop_target) is written as people write it (50). */
int xlsx_is_percentage(json_t *indicator);

#endif
