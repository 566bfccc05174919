/*
 * cmd_report.c -- `tocm report MODEL`: computes the indicators and prints
 * them as aligned text, Markdown, CSV or JSON.
 *
 * The computing and printing are the library's (tocm/report.h); all four
 * formats are drawn from one results document, so they cannot disagree.
 * Any other format (xlsx, html, ...) is written by the exporter plugin that
 * provides it, which reads that same document as JSON (plugin ABI 1.3).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli_opts.h"
#include "commands.h"
#include "tocm/host.h"
#include "tocm/report.h"

enum {
    OPT_PERIOD = CLI_OPT_FIRST,
    OPT_INDICATOR,
    OPT_FORMAT,
    OPT_STRICT,
    OPT_OPTION,
    OPT_NODE,
    OPT_LEVEL,
    OPT_COUNTRY,
    OPT_AS_OF,
    OPT_PART,
    OPT_BOM,
};

static const struct cli_option options[] = {
    {OPT_PERIOD, 0, "period", "P",
     "only period P (2021, or 'total'), or a range of\n"
     "periods: 2021..2023, 2022.. or ..2023"},
    {OPT_INDICATOR, 0, "indicator", "ID", "only this indicator (repeatable)"},
    {OPT_NODE, 0, "node", "ID", "only this node, the nodes beneath it and their\nindicators"},
    {OPT_LEVEL, 0, "level", "L", "only the nodes of level L and their indicators"},
    {OPT_COUNTRY, 0, "country", "C",
     "only country C's figures (its breakdown, or\n"
     "indicators of work in C only)"},
    {OPT_AS_OF, 0, "as-of", "DATE",
     "the report's date (YYYY-MM-DD): periods ending after\n"
     "it are 'not yet due' (default: the model's\n"
     "program.reporting_date, else today)"},
    {OPT_FORMAT, 0, "format", "F",
     "text (default), md, csv or json; or a format an\n"
     "exporter plugin writes from the report (xlsx, ...)"},
    {OPT_PART, 0, "part", "P",
     "with --format csv, which table: iptt (default), checks,\n"
     "rollup or failed (the indicators not computed)"},
    {OPT_BOM, 0, "bom", NULL,
     "with --format csv, start with a UTF-8 byte-order mark\n"
     "(so that Excel reads the accents right)"},
    {'o', 'o', "output", "FILE", "write to FILE (atomically) instead of standard output"},
    {OPT_STRICT, 0, "strict", NULL, "exit 1 when a check fails (a printed figure differs)"},
    {'j', 'j', "jobs", "N",
     "read and compute the data on N threads (default: one\n"
     "per core; 1: one thread); the report is the same"},
    {OPT_OPTION, 0, "option", "NAME=VALUE",
     "pass an option to the exporter of a plugin format\n"
     "(repeatable; 'tocm plugins' lists them)"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "report",
    .synopsis = "Usage: tocm report MODEL [--period P|A..B] [--node ID] [--level L] [--country C]\n"
                "                         [--indicator ID ...] [--as-of DATE]\n"
                "                         [--format text|md|csv|json] [--part P] [--bom]\n"
                "                         [-o FILE] [--strict] [-j N]\n"
                "                         [--option NAME=VALUE ...]\n",
    .about = "Computes every indicator of MODEL from its data tables (CSV files next to\n"
             "the model) with the calculator plugins, and prints them as an indicator\n"
             "performance tracking table (IPTT) grouped along the results chain: for\n"
             "each indicator its baseline, targets, actuals, % of target, status and\n"
             "comments, its breakdowns, the checks of every figure the model records\n"
             "as printed in a report, and the status of each outcome rolled up from\n"
             "the indicators and projects beneath it. A period, node, level or country\n"
             "the report does not have is an error (exit 2) that lists the ones it has.\n"
             "An indicator whose data cannot be read is listed with the error (exit 1);\n"
             "the others are still computed and printed.\n",
    .tables = {options},
};

/* Prints report in one of the built-in formats (for CSV, part, after a
 * byte-order mark when bom) to output. Exit status. */
static int print_report(const tocm_report *report, enum tocm_report_format format,
                        enum tocm_report_part part, int bom, const char *output) {
    /* Print into memory, then hand the bytes to the atomic writer. */
    size_t len = 0;
    char *text = format == TOCM_REPORT_CSV ? tocm_report_print_csv_part(report, part, &len)
                                           : tocm_report_print(report, format, &len);
    struct cli_output *out = cli_output_open(output);
    int ok = text && (!bom || cli_output_write(out, "\xEF\xBB\xBF", 3) == 0) &&
             cli_output_write(out, text, len) == 0;
    if (!text)
        fputs("tocm report: out of memory\n", stderr);
    int rc = cli_output_close(out, ok) != 0 || !ok ? EXIT_USAGE : EXIT_OK;
    free(text);
    return rc;
}

int cmd_report(int argc, char **argv) {
    tocm_report_options ro = {0};
    /* --indicator, as often as given: at most one per argument. */
    const char **named = calloc((size_t)argc + 1, sizeof *named);
    if (!named) {
        fputs("tocm report: out of memory\n", stderr);
        return EXIT_USAGE;
    }
    const char *format_name = "text", *output = NULL;
    struct cli_export_options eo = {0};
    int strict = 0, bom = 0, id, rc = -1;
    const char *part_name = NULL;
    enum tocm_report_part part = TOCM_REPORT_PART_IPTT;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while (rc < 0 && (id = cli_parse_next(&p)) > 0) {
        switch (id) {
        case OPT_PERIOD: ro.period = p.arg; break;
        case OPT_INDICATOR: named[ro.indicator_count++] = p.arg; break;
        case OPT_NODE: ro.node = p.arg; break;
        case OPT_LEVEL: ro.level = p.arg; break;
        case OPT_COUNTRY: ro.country = p.arg; break;
        case OPT_AS_OF: ro.as_of = p.arg; break;
        case OPT_PART:
            part_name = p.arg;
            if (tocm_report_part_from_name(p.arg, &part) != 0)
                rc = cli_usage_error("report", "--part is iptt, checks, rollup or failed, not '%s'",
                                     p.arg);
            break;
        case OPT_BOM: bom = 1; break;
        case OPT_FORMAT: format_name = p.arg; break;
        case 'o': output = p.arg; break;
        case OPT_STRICT: strict = 1; break;
        case 'j': {
            char *end;
            long n = strtol(p.arg, &end, 10);
            if (end == p.arg || *end || n < 1 || n > 64)
                rc = cli_usage_error("report",
                                     "--jobs is a number of threads from 1 to 64, not '%s'", p.arg);
            else
                ro.jobs = (unsigned)n;
            break;
        }
        case OPT_OPTION:
            if (cli_export_options_parse(&eo, "report", p.arg) != 0)
                rc = EXIT_USAGE;
            break;
        }
    }
    if (rc < 0 && p.status >= 0)
        rc = p.status;
    if (rc < 0 && argc - optind != 1)
        rc = cli_usage_error("report", "expected one MODEL file");
    enum tocm_report_format format = TOCM_REPORT_TEXT;
    /* A format that is not built in goes to the exporter plugin for it. */
    int builtin = tocm_report_format_from_name(format_name, &format) == 0;
    if (rc < 0 && builtin && eo.count)
        rc = cli_usage_error("report", "--option is for plugin formats (xlsx, ...), not '%s'",
                             format_name);
    if (rc < 0 && (part_name || bom) && !(builtin && format == TOCM_REPORT_CSV))
        rc = cli_usage_error("report", "%s is for --format csv", part_name ? "--part" : "--bom");
    ro.indicators = named;
    if (rc >= 0) {
        cli_export_options_free(&eo);
        free(named);
        return rc;
    }
    tocm_model *m;
    rc = cli_load_valid_model(argv[optind], &m);
    if (rc != EXIT_OK) {
        cli_export_options_free(&eo);
        free(named);
        return rc;
    }
    tocm_registry *reg = cli_load_registry();
    tocm_diags *diags = tocm_diags_new();
    tocm_report *report = NULL;
    if (!builtin && !tocm_registry_exporter_for(reg, format_name)) {
        /* Say which formats there are before computing anything. */
        rc = cli_export_loaded(reg, m, NULL, format_name, output, &eo);
    } else {
        int status = tocm_report_compute(m, reg, &ro, diags, &report);
        tocm_diags_print(diags, stderr);
        if (!report) {
            rc = status == TOCM_EUSAGE ? EXIT_USAGE : EXIT_MODEL_ERRORS;
        } else {
            /* Indicators that failed are listed in the report and above;
             * the rest is printed, and the exit status says it is partial. */
            rc = builtin ? print_report(report, format, part, bom, output)
                         : cli_export_loaded(reg, m, report, format_name, output, &eo);
            if (rc == EXIT_OK &&
                (status != TOCM_OK || (strict && tocm_report_check_count(report) > 0)))
                rc = EXIT_MODEL_ERRORS;
            tocm_report_free(report);
        }
    }
    tocm_diags_free(diags);
    tocm_registry_free(reg);
    tocm_model_free(m);
    cli_export_options_free(&eo);
    free(named);
    return rc;
}
