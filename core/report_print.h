/*
 * report_print.h -- the printed forms of a computed report (the results
 * document of engine.h): aligned text, Markdown and CSV.
 */
#ifndef TOCMP_REPORT_PRINT_H
#define TOCMP_REPORT_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "tocm/report.h"

/* The report as aligned text, or as Markdown when markdown is 1: its
 * scope, the indicators grouped along the results chain, the indicators
 * not computed, the checks and the roll-up (report_outline.c). */
void tocmp_report_print_text(FILE *out, json_t *report, int markdown);

/* One indicator's block: heading (Markdown level heading, 1 to 6), plan,
 * IPTT table and figures by breakdown (report_text.c). */
void tocmp_report_print_indicator(FILE *out, json_t *ind, int markdown, int heading);

/* A status as a symbol and a word ("✓ achieved"), never colour alone.
 * borrowed (static, or status itself). */
const char *tocmp_status_words(const char *status);

/* s for one table cell: in Markdown a | escaped; line breaks as spaces.
 * new. */
char *tocmp_md_cell(const char *s, int markdown);

/* One part of the report as CSV (report_csv.c). */
void tocmp_report_print_csv(FILE *out, json_t *report, enum tocm_report_part part);

#endif
