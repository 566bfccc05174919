/*
 * cmd_render.c -- `tocm render MODEL [-T FORMAT] [-o FILE] [--view VIEW]
 * [--color-by BY] [--direction DIR] [--force]`: a diagram of the results
 * chain. The drawing is done by the exporter plugin that writes FORMAT (the
 * graphviz plugin for svg, png, pdf, dot, ...); this command only turns its
 * flags into exporter options and runs the export.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static const char help[] =
    "Usage: tocm render MODEL [-T FORMAT] [-o FILE] [--view VIEW | --book]\n"
    "                   [--projects nodes|list|count|hide]\n"
    "                   [--page A4|A3|letter|slide|WxH] [--landscape] [--min-font PT]\n"
    "                   [--dpi N] [--color-by level|status|country|rag] [--period P]\n"
    "                   [--assumptions] [--direction TB|BT|LR|RL]\n"
    "                   [--force] [--option NAME=VALUE]...\n"
    "\n"
    "Draws MODEL's results chain with the diagram exporter plugin (graphviz).\n"
    "\n"
    "  -T, --format FORMAT   svg (default), png, pdf, dot (the laid-out graph),\n"
    "                        canon (the graph before layout) or any other format\n"
    "                        'tocm plugins' lists for the graphviz exporter; csv and\n"
    "                        md write the matrix view as a table\n"
    "  -o, --output FILE     where to write ('-' or none: standard output)\n"
    "  --view VIEW           full        the whole chain, one band per level (default)\n"
    "                        node:ID     the node, everything that contributes to it\n"
    "                                    and everything it contributes to\n"
    "                        country:CODE  the country's projects and every result\n"
    "                                    they lead to, up to the goal\n"
    "                        eopo:ID     an end-of-program outcome and everything\n"
    "                                    beneath it\n"
    "                        outcomes    the goal and the outcomes, without projects\n"
    "                                    and clusters (a summary page)\n"
    "                        mapping     projects grouped by country, each linked to\n"
    "                                    the outcomes it is cited for, directly or\n"
    "                                    through its cluster\n"
    "                        matrix      projects (rows, by country) x outcomes (columns,\n"
    "                                    by end-of-program outcome)\n"
    "  --book                one PDF: the outcomes, one page per end-of-program\n"
    "                        outcome, one per country and the matrix, each fitted\n"
    "                        to the page (default A4 landscape)\n"
    "  --projects HOW        nodes: one node per project (default); list: listed\n"
    "                        inside their cluster's box; count: counted in it;\n"
    "                        hide: left out\n"
    "  --page SIZE           fit the drawing to a page: A4, A3, letter, slide (16:9)\n"
    "                        or WxH in mm or in (e.g. 297x210mm, 10x7.5in);\n"
    "                        portrait unless --landscape\n"
    "  --landscape           turn the page sideways\n"
    "  --min-font PT         the smallest text allowed on the page (default 8): a\n"
    "                        drawing that would need smaller text is refused, with\n"
    "                        the narrower views that fit\n"
    "  --dpi N               resolution of png and other bitmaps (default 150)\n"
    "  --period P            the period --color-by rag reads (e.g. 2021)\n"
    "  --assumptions         show each node's assumptions as a note beside it\n"
    "  --color-by BY         fill nodes by level (default), status, country or rag\n"
    "                        (the status rolled up from the indicators and\n"
    "                        projects beneath, with a symbol: needs --period)\n"
    "  --direction DIR       TB: goal at the top (default); BT: goal at the bottom;\n"
    "                        LR: projects on the left, goal on the right (default\n"
    "                        for mapping); RL: goal on the left\n"
    "  --force               lay out a view above the size limit (2500 nodes) anyway;\n"
    "                        without it such a view lists the narrower ones\n"
    "  --option NAME=VALUE   another exporter option (e.g. wrap=40, max-nodes=N)\n"
    "  -h, --help            show this help\n";

/* Sets an exporter option; a later flag replaces an earlier one. */
static void set_option(const char **names, const char **values, size_t *count, const char *name,
                       const char *value) {
    size_t i = 0;
    while (i < *count && strcmp(names[i], name) != 0)
        i++;
    names[i] = name;
    values[i] = value;
    if (i == *count)
        (*count)++;
}

int cmd_render(int argc, char **argv) {
    static const struct option options[] = {
        {"format", required_argument, NULL, 'T'},
        {"output", required_argument, NULL, 'o'},
        {"view", required_argument, NULL, 'v'},
        {"color-by", required_argument, NULL, 'c'},
        {"direction", required_argument, NULL, 'd'},
        {"force", no_argument, NULL, 'f'},
        {"book", no_argument, NULL, 'b'},
        {"projects", required_argument, NULL, 'p'},
        {"page", required_argument, NULL, 'P'},
        {"landscape", no_argument, NULL, 'L'},
        {"min-font", required_argument, NULL, 'm'},
        {"dpi", required_argument, NULL, 'D'},
        {"period", required_argument, NULL, 'r'},
        {"assumptions", no_argument, NULL, 'a'},
        {"option", required_argument, NULL, 'O'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *format = "svg", *output = NULL;
    /* One option per flag at most: argc bounds them. */
    size_t cap = (size_t)argc + 4, count = 0;
    const char **names = calloc(cap, sizeof *names);
    const char **values = calloc(cap, sizeof *values);
    int c, rc;
    if (!names || !values) {
        rc = EXIT_USAGE;
        goto out;
    }
    while ((c = getopt_long(argc, argv, "T:o:h", options, NULL)) != -1) {
        switch (c) {
        case 'T': format = optarg; break;
        case 'o': output = optarg; break;
        case 'v': set_option(names, values, &count, "view", optarg); break;
        case 'c': set_option(names, values, &count, "color-by", optarg); break;
        case 'd': set_option(names, values, &count, "direction", optarg); break;
        case 'f': set_option(names, values, &count, "force", "1"); break;
        case 'b': set_option(names, values, &count, "book", "1"); break;
        case 'p': set_option(names, values, &count, "projects", optarg); break;
        case 'P': set_option(names, values, &count, "page", optarg); break;
        case 'L': set_option(names, values, &count, "landscape", "1"); break;
        case 'm': set_option(names, values, &count, "min-font", optarg); break;
        case 'D': set_option(names, values, &count, "dpi", optarg); break;
        case 'r': set_option(names, values, &count, "period", optarg); break;
        case 'a': set_option(names, values, &count, "assumptions", "1"); break;
        case 'O': {
            char *eq = strchr(optarg, '=');
            if (!eq) {
                rc = cli_usage_error("render", "--option needs NAME=VALUE, not '%s'", optarg);
                goto out;
            }
            *eq = '\0';
            set_option(names, values, &count, optarg, eq + 1);
            break;
        }
        case 'h':
            fputs(help, stdout);
            rc = EXIT_OK;
            goto out;
        default: rc = cli_usage_error("render", "unknown option"); goto out;
        }
    }
    if (argc - optind != 1)
        rc = cli_usage_error("render", "expected one MODEL file");
    else
        rc = cli_run_export(argv[optind], format, output, names, values, count);
out:
    free(names);
    free(values);
    return rc;
}
