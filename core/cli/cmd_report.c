/*
 * cmd_report.c -- `tocm report MODEL`: computes the indicators and prints
 * them as aligned text, Markdown, CSV or JSON.
 *
 * All four formats are drawn from the one results document the engine
 * builds (the JSON format), so they cannot disagree with each other.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine.h"
#include "../report_print.h"
#include "../util.h"
#include "commands.h"

static const char help[] =
    "Usage: tocm report MODEL [--period P] [--indicator ID] [--format text|md|csv|json]\n"
    "                         [-o FILE] [--strict]\n"
    "\n"
    "Computes every indicator of MODEL from its data tables (CSV files next to\n"
    "the model) with the calculator plugins, and prints the indicator tables\n"
    "with their disaggregations, targets and status, the checks of every\n"
    "figure the model records as printed in a report, and the status of each\n"
    "outcome rolled up from the indicators and projects beneath it.\n"
    "\n"
    "  --period P        only the cells of period P (e.g. 2021, or 'total')\n"
    "  --indicator ID    only this indicator\n"
    "  --format F        text (default), md, csv or json\n"
    "  -o, --output FILE write to FILE (atomically) instead of standard output\n"
    "  --strict          exit 1 when a check fails (a printed figure differs)\n"
    "  -h, --help        show this help\n";

int cmd_report(int argc, char **argv) {
    static const struct option options[] = {
        {"period", required_argument, NULL, 'p'},
        {"indicator", required_argument, NULL, 'i'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"strict", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    struct tocmp_report_options ro = {0};
    const char *format = "text", *output = NULL;
    int strict = 0, c;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        switch (c) {
        case 'p': ro.period = optarg; break;
        case 'i': ro.indicator = optarg; break;
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 's': strict = 1; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return cli_usage_error("report", "unknown option");
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("report", "expected one MODEL file");
    if (strcmp(format, "text") && strcmp(format, "md") && strcmp(format, "csv") &&
        strcmp(format, "json"))
        return cli_usage_error("report", "--format must be text, md, csv or json, not '%s'",
                               format);
    tocm_model *m;
    int rc = cli_load_valid_model(argv[optind], &m);
    if (rc != EXIT_OK)
        return rc;
    struct tocm_registry *reg = cli_load_registry();
    tocm_diags *diags = tocm_diags_new();
    json_t *report = tocmp_compute_report(m, reg, &ro, diags);
    if (!report) {
        tocm_diags_print(diags, stderr);
        rc = EXIT_MODEL_ERRORS;
    } else {
        /* Render into memory, then hand the bytes to the atomic writer. */
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        if (strcmp(format, "json") == 0) {
            json_dumpf(report, mem, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
            fputc('\n', mem);
        } else if (strcmp(format, "csv") == 0) {
            tocmp_report_print_csv(mem, report);
        } else {
            tocmp_report_print_text(mem, report, strcmp(format, "md") == 0);
        }
        fclose(mem);
        struct cli_output *out = cli_output_open(output);
        int ok = cli_output_write(out, text, len) == 0;
        if (cli_output_close(out, ok) != 0 || !ok)
            rc = EXIT_USAGE;
        free(text);
        if (rc == EXIT_OK && strict && json_array_size(json_object_get(report, "checks")))
            rc = EXIT_MODEL_ERRORS;
        json_decref(report);
    }
    tocm_diags_free(diags);
    tocm_registry_free(reg);
    tocm_model_free(m);
    return rc;
}
