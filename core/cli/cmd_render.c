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
    "Usage: tocm render MODEL [-T FORMAT] [-o FILE] [--view VIEW]\n"
    "                   [--color-by level|status|country] [--direction TB|BT|LR|RL]\n"
    "                   [--force] [--option NAME=VALUE]...\n"
    "\n"
    "Draws MODEL's results chain with the diagram exporter plugin (graphviz).\n"
    "\n"
    "  -T, --format FORMAT   svg (default), png, pdf, dot (the laid-out graph),\n"
    "                        canon (the graph before layout) or any other format\n"
    "                        'tocm plugins' lists for the graphviz exporter\n"
    "  -o, --output FILE     where to write ('-' or none: standard output)\n"
    "  --view VIEW           full        the whole chain, one band per level (default)\n"
    "                        node:ID     the node, everything that contributes to it\n"
    "                                    and everything it contributes to\n"
    "                        country:CODE  the country's projects and every result\n"
    "                                    they lead to, up to the goal\n"
    "                        mapping     projects grouped by country, each linked to\n"
    "                                    the outcomes it is cited for\n"
    "  --color-by BY         fill nodes by level (default), status or country\n"
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
