/*
 * xlsx_internal.h -- shared by the files of the xlsx exporter.
 */
#ifndef TOCM_XLSX_INTERNAL_H
#define TOCM_XLSX_INTERNAL_H

#include <tocm/plugin.h>
#include <xlsxwriter.h>

/* The formats every sheet uses, made once per workbook. */
struct xlsx_styles {
    lxw_format *header; /* bold, grey fill, bottom border, wrapped */
    lxw_format *text;   /* wrapped, top-aligned */
    lxw_format *number; /* #,##0 */
    lxw_format *title;  /* the sheet's title line */
};

struct xlsx_ctx {
    const struct tocm_host *host;
    const tocm_model *model;
    lxw_workbook *wb;
    struct xlsx_styles st;
    tocm_error *err;
};

/* Checks a libxlsxwriter result: 0 when fine, else -1 with err set. */
int xlsx_check(struct xlsx_ctx *x, lxw_error e, const char *what);

/* The Framework sheet: one row per node (ids, levels, titles, links,
 * countries, partners, status, assumptions). */
int xlsx_framework_sheet(struct xlsx_ctx *x);
/* The Indicators sheet: each indicator's definition and the results it
 * measures. */
int xlsx_indicators_sheet(struct xlsx_ctx *x);

#endif
