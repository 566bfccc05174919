/*
 * cmd_render.c -- `tocm render MODEL [-T FORMAT] [-o FILE] [--view VIEW]
 * [--color-by BY] [--direction DIR] [--force]`: a diagram of the results
 * chain. The drawing is done by the exporter plugin that writes FORMAT (the
 * graphviz plugin for svg, png, pdf, dot, ...); this command turns its
 * flags into exporter options and runs the export. For `--color-by rag` it
 * first computes the report for --period, and runs the export with it: the
 * exporter reads each outcome's rolled-up status from the report's JSON
 * (plugin ABI 1.3), so the diagram and `tocm report` cannot disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "commands.h"
#include "tocm/host.h"
#include "tocm/report.h"

enum {
    OPT_VIEW = CLI_OPT_FIRST,
    OPT_COLOR_BY,
    OPT_DIRECTION,
    OPT_FORCE,
    OPT_BOOK,
    OPT_PROJECTS,
    OPT_PAGE,
    OPT_LANDSCAPE,
    OPT_MIN_FONT,
    OPT_DPI,
    OPT_PERIOD,
    OPT_ASSUMPTIONS,
    OPT_OPTION,
};

static const struct cli_option options[] = {
    {'T', 'T', "format", "FORMAT",
     "svg, png, pdf, dot (the laid-out graph), canon (the\n"
     "graph before layout) or any other format 'tocm\n"
     "plugins' lists for the graphviz exporter; csv and md\n"
     "write the matrix view as a table. Default: pdf for\n"
     "--book, else what -o's name ends in (.svg, .png,\n"
     ".pdf, .dot), else svg"},
    {'o', 'o', "output", "FILE", "where to write ('-' or none: standard output)"},
    {OPT_VIEW, 0, "view", "VIEW",
     "full        the whole chain, one band per level (default)\n"
     "node:ID     the node, everything that contributes to it\n"
     "            and everything it contributes to\n"
     "country:CODE  the country's projects and every result\n"
     "            they lead to, up to the goal\n"
     "eopo:ID     an end-of-program outcome and everything\n"
     "            beneath it\n"
     "outcomes    the goal and the outcomes, without projects\n"
     "            and clusters (a summary page)\n"
     "mapping     projects grouped by country, each linked to\n"
     "            the outcomes it is cited for, directly or\n"
     "            through its cluster\n"
     "matrix      projects (rows, by country) x outcomes (columns,\n"
     "            by end-of-program outcome)"},
    {OPT_BOOK, 0, "book", NULL,
     "one PDF: the outcomes, one page per end-of-program\n"
     "outcome, one per country and the matrix, each fitted\n"
     "to the page (default A4 landscape)"},
    {OPT_PROJECTS, 0, "projects", "HOW",
     "nodes: one node per project (default); list: listed\n"
     "inside their cluster's box; count: counted in it;\n"
     "hide: left out"},
    {OPT_PAGE, 0, "page", "SIZE",
     "fit the drawing to a page: A4, A3, letter, slide (16:9)\n"
     "or WxH in mm or in (e.g. 297x210mm, 10x7.5in);\n"
     "portrait unless --landscape"},
    {OPT_LANDSCAPE, 0, "landscape", NULL, "turn the page sideways"},
    {OPT_MIN_FONT, 0, "min-font", "PT",
     "the smallest text allowed on the page (default 8): a\n"
     "drawing that would need smaller text is refused, with\n"
     "the narrower views that fit"},
    {OPT_DPI, 0, "dpi", "N", "resolution of png and other bitmaps (default 150)"},
    {OPT_PERIOD, 0, "period", "P", "the period --color-by rag reads (e.g. 2021)"},
    {OPT_ASSUMPTIONS, 0, "assumptions", NULL, "show each node's assumptions as a note beside it"},
    {OPT_COLOR_BY, 0, "color-by", "BY",
     "fill nodes by level (default), status, country or rag\n"
     "(the status rolled up from the indicators and\n"
     "projects beneath, with a symbol: needs --period)"},
    {OPT_DIRECTION, 0, "direction", "DIR",
     "TB: goal at the top (default); BT: goal at the bottom;\n"
     "LR: projects on the left, goal on the right (default\n"
     "for mapping); RL: goal on the left"},
    {OPT_FORCE, 0, "force", NULL,
     "lay out a view above the size limit (2500 nodes) anyway;\n"
     "without it such a view lists the narrower ones"},
    {OPT_OPTION, 0, "option", "NAME=VALUE",
     "another exporter option (e.g. wrap=40, max-nodes=N;\n"
     "'tocm plugins' lists them)"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "render",
    .synopsis = "Usage: tocm render MODEL [-T FORMAT] [-o FILE] [--view VIEW | --book]\n"
                "                   [--projects nodes|list|count|hide]\n"
                "                   [--page A4|A3|letter|slide|WxH] [--landscape] [--min-font PT]\n"
                "                   [--dpi N] [--color-by level|status|country|rag] [--period P]\n"
                "                   [--assumptions] [--direction TB|BT|LR|RL]\n"
                "                   [--force] [--option NAME=VALUE]...\n",
    .about = "Draws MODEL's results chain with the diagram exporter plugin (graphviz).\n",
    .tables = {options},
};

/* The exporter option each flag sets, and the value of a flag that takes
 * none. */
static const struct {
    int id;
    const char *name, *flag_value;
} flag_options[] = {
    {OPT_VIEW, "view", NULL},
    {OPT_COLOR_BY, "color-by", NULL},
    {OPT_DIRECTION, "direction", NULL},
    {OPT_FORCE, "force", "1"},
    {OPT_BOOK, "book", "1"},
    {OPT_PROJECTS, "projects", NULL},
    {OPT_PAGE, "page", NULL},
    {OPT_LANDSCAPE, "landscape", "1"},
    {OPT_MIN_FONT, "min-font", NULL},
    {OPT_DPI, "dpi", NULL},
    {OPT_PERIOD, "period", NULL},
    {OPT_ASSUMPTIONS, "assumptions", "1"},
};

/* The value the export gets for an option (the last given), or NULL. */
static const char *option_value(const struct cli_export_options *eo, const char *name) {
    for (size_t i = 0; i < eo->count; i++)
        if (strcmp(eo->items[i].name, name) == 0)
            return eo->items[i].value;
    return NULL;
}

/* Loads the model and the plugins, computes the report of period (the one
 * --color-by rag colours by) and runs the export with it. */
static int render_with_report(const char *model_path, const char *format, const char *output,
                              const struct cli_export_options *eo) {
    const char *period = option_value(eo, "period");
    if (!period || !*period)
        return cli_usage_error("render", "--color-by rag needs --period (e.g. --period 2021)");
    tocm_model *m;
    int rc = cli_load_valid_model(model_path, &m);
    if (rc != EXIT_OK)
        return rc;
    tocm_registry *reg = cli_load_registry();
    tocm_diags *diags = tocm_diags_new();
    tocm_report *report = NULL;
    tocm_report_options ro = {.period = period};
    if (!tocm_registry_exporter_for(reg, format)) {
        /* Say which formats there are before computing anything. */
        rc = cli_export_loaded(reg, m, NULL, format, output, eo);
    } else if ((rc = tocm_report_compute(m, reg, &ro, diags, &report)) != TOCM_OK) {
        tocm_diags_print(diags, stderr);
        tocm_report_free(report); /* a partial one, when some indicators failed */
        /* An unknown period is a usage error: the message lists the valid ones. */
        rc = rc == TOCM_EUSAGE ? EXIT_USAGE : EXIT_MODEL_ERRORS;
    } else {
        rc = cli_export_loaded(reg, m, report, format, output, eo);
        tocm_report_free(report);
    }
    tocm_diags_free(diags);
    tocm_registry_free(reg);
    tocm_model_free(m);
    return rc;
}

/* The format when -T is not given: the book is a PDF; otherwise what the
 * name given to -o ends in, when it is one of the main diagram formats;
 * otherwise SVG. */
static const char *default_format(const char *output, int book) {
    static const char *const by_name[] = {"svg", "png", "pdf", "dot"};
    if (book)
        return "pdf";
    const char *dot = output ? strrchr(output, '.') : NULL;
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof by_name / sizeof by_name[0]; i++)
            if (strcmp(dot + 1, by_name[i]) == 0)
                return by_name[i];
    return "svg";
}

int cmd_render(int argc, char **argv) {
    const char *format = NULL, *output = NULL;
    int book = 0;
    /* The flags are exporter options; a later one replaces an earlier one. */
    struct cli_export_options eo = {0};
    int id, rc = -1;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while (rc < 0 && (id = cli_parse_next(&p)) > 0) {
        if (id == 'T') {
            format = p.arg;
        } else if (id == 'o') {
            output = p.arg;
        } else if (id == OPT_OPTION) {
            if (strncmp(p.arg, "book=", 5) == 0)
                book = 1;
            if (cli_export_options_parse(&eo, "render", p.arg) != 0)
                rc = EXIT_USAGE;
        } else {
            book |= id == OPT_BOOK;
            for (size_t i = 0; i < sizeof flag_options / sizeof flag_options[0]; i++)
                if (flag_options[i].id == id)
                    cli_export_options_set(&eo, flag_options[i].name,
                                           flag_options[i].flag_value ? flag_options[i].flag_value
                                                                      : p.arg);
        }
    }
    if (!format)
        format = default_format(output, book);
    if (rc >= 0 || (rc = p.status) >= 0)
        ; /* stop: help, or a usage error already reported */
    else if (argc - optind != 1)
        rc = cli_usage_error("render", "expected one MODEL file");
    else if (option_value(&eo, "color-by") && strcmp(option_value(&eo, "color-by"), "rag") == 0)
        rc = render_with_report(argv[optind], format, output, &eo);
    else
        rc = cli_run_export(argv[optind], format, output, &eo);
    cli_export_options_free(&eo);
    return rc;
}
