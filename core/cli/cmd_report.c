/*
 * cmd_report.c -- `tocm report MODEL`: computes the indicators and prints
 * them as aligned text, Markdown, CSV or JSON.
 *
 * The computing and printing are the library's (tocm/report.h); all four
 * formats are drawn from one results document, so they cannot disagree.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli_opts.h"
#include "commands.h"
#include "tocm/report.h"

enum { OPT_PERIOD = CLI_OPT_FIRST, OPT_INDICATOR, OPT_FORMAT, OPT_STRICT };

static const struct cli_option options[] = {
    {OPT_PERIOD, 0, "period", "P", "only the cells of period P (e.g. 2021, or 'total')"},
    {OPT_INDICATOR, 0, "indicator", "ID", "only this indicator"},
    {OPT_FORMAT, 0, "format", "F", "text (default), md, csv or json"},
    {'o', 'o', "output", "FILE", "write to FILE (atomically) instead of standard output"},
    {OPT_STRICT, 0, "strict", NULL, "exit 1 when a check fails (a printed figure differs)"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "report",
    .synopsis =
        "Usage: tocm report MODEL [--period P] [--indicator ID] [--format text|md|csv|json]\n"
        "                         [-o FILE] [--strict]\n",
    .about = "Computes every indicator of MODEL from its data tables (CSV files next to\n"
             "the model) with the calculator plugins, and prints the indicator tables\n"
             "with their disaggregations, targets and status, the checks of every\n"
             "figure the model records as printed in a report, and the status of each\n"
             "outcome rolled up from the indicators and projects beneath it.\n",
    .tables = {options},
};

int cmd_report(int argc, char **argv) {
    tocm_report_options ro = {0};
    const char *format_name = "text", *output = NULL;
    int strict = 0, id;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while ((id = cli_parse_next(&p)) > 0) {
        switch (id) {
        case OPT_PERIOD: ro.period = p.arg; break;
        case OPT_INDICATOR: ro.indicator = p.arg; break;
        case OPT_FORMAT: format_name = p.arg; break;
        case 'o': output = p.arg; break;
        case OPT_STRICT: strict = 1; break;
        }
    }
    if (p.status >= 0)
        return p.status;
    if (argc - optind != 1)
        return cli_usage_error("report", "expected one MODEL file");
    enum tocm_report_format format;
    if (tocm_report_format_from_name(format_name, &format) != 0)
        return cli_usage_error("report", "--format must be text, md, csv or json, not '%s'",
                               format_name);
    tocm_model *m;
    int rc = cli_load_valid_model(argv[optind], &m);
    if (rc != EXIT_OK)
        return rc;
    tocm_registry *reg = cli_load_registry();
    tocm_diags *diags = tocm_diags_new();
    tocm_report *report = NULL;
    if (tocm_report_compute(m, reg, &ro, diags, &report) != TOCM_OK) {
        tocm_diags_print(diags, stderr);
        rc = EXIT_MODEL_ERRORS;
    } else {
        /* Print into memory, then hand the bytes to the atomic writer. */
        size_t len = 0;
        char *text = tocm_report_print(report, format, &len);
        struct cli_output *out = cli_output_open(output);
        int ok = text && cli_output_write(out, text, len) == 0;
        if (!text)
            fputs("tocm report: out of memory\n", stderr);
        if (cli_output_close(out, ok) != 0 || !ok)
            rc = EXIT_USAGE;
        free(text);
        if (rc == EXIT_OK && strict && tocm_report_check_count(report) > 0)
            rc = EXIT_MODEL_ERRORS;
        tocm_report_free(report);
    }
    tocm_diags_free(diags);
    tocm_registry_free(reg);
    tocm_model_free(m);
    return rc;
}
