/*
 * report_print.h -- the printed forms of a computed report (the results
 * document of engine.h): aligned text, Markdown and CSV.
 */
#ifndef TOCMP_REPORT_PRINT_H
#define TOCMP_REPORT_PRINT_H

#include <jansson.h>
#include <stdio.h>

/* The report as aligned text, or as Markdown when markdown is 1. */
void tocmp_report_print_text(FILE *out, json_t *report, int markdown);

/* The report as CSV: one line per cell, a column per dimension. */
void tocmp_report_print_csv(FILE *out, json_t *report);

#endif
