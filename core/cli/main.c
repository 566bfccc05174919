/*
 * main.c -- `tocm COMMAND ...`: global options and dispatch.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"validate", cmd_validate, "check a model and list every problem found"},
    {"show", cmd_show, "print the results chain as an indented tree"},
    {"stats", cmd_stats, "count nodes and links, per level and per country"},
    {"fmt", cmd_fmt, "rewrite a model in the canonical layout"},
    {"export", cmd_export, "write the model in another format through an exporter plugin"},
    {"report", cmd_report, "compute the indicators and print their tables and checks"},
    {"render", cmd_render, "draw the results chain as a diagram (svg, png, pdf, dot, ...)"},
    {"plugins", cmd_plugins, "list the plugins found and what they provide"},
    {"add", cmd_add, "add a node (or an indicator) to a model, checked before writing"},
    {"set", cmd_set, "change fields of a node or indicator, checked before writing"},
    {"link", cmd_link, "make a node contribute to another (or attach an indicator)"},
    {"unlink", cmd_unlink, "remove a contribution link (or detach an indicator)"},
    {"rename", cmd_rename, "change a node's id and every reference to it"},
    {"rm", cmd_rm, "remove a node (--cascade, --reattach-to) or an indicator"},
    {"diff", cmd_diff, "say what changed between two versions of a model"},
};

struct cli_globals cli_globals;

static void usage(FILE *out) {
    fputs("Usage: tocm [--help] [--version] [--plugin FILE]... [--allow-unsafe-plugins]\n"
          "            COMMAND [ARGS]\n"
          "\n"
          "tocm keeps a program's theory of change (goal, outcomes, projects and\n"
          "the links between them) in a JSON file, checks its logic and shows it.\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nGlobal options:\n"
          "  --plugin FILE           load this plugin too (repeatable)\n"
          "  --allow-unsafe-plugins  load plugins others could have written to\n"
          "Plugins are also found in $TOCM_PLUGIN_PATH (directories, ':'-separated)\n"
          "and in the installed plugin directory; never in the current directory.\n"
          "\nRun 'tocm COMMAND --help' for a command's options.\n"
          "Exit status: 0 ok, 1 the model has errors, 2 usage or I/O failure.\n",
          out);
}

int main(int argc, char **argv) {
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"plugin", required_argument, NULL, 'p'},
        {"allow-unsafe-plugins", no_argument, NULL, 'U'},
        {0, 0, 0, 0},
    };
    int c;
    /* '+' stops at the command name: what follows is the command's own. */
    while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return EXIT_OK;
        case 'V': printf("tocm %s (model format %d)\n", TOCM_VERSION, TOCM_FORMAT_VERSION); return EXIT_OK;
        case 'p':
            cli_globals.plugin_files =
                realloc(cli_globals.plugin_files,
                        (cli_globals.plugin_count + 1) * sizeof *cli_globals.plugin_files);
            if (!cli_globals.plugin_files)
                return EXIT_USAGE;
            cli_globals.plugin_files[cli_globals.plugin_count++] = optarg;
            break;
        case 'U': cli_globals.allow_unsafe_plugins = 1; break;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[optind];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            int sub_argc = argc - optind;
            char **sub_argv = argv + optind;
            optind = 0; /* glibc: 0 re-initialises getopt for the next parse */
            int status = commands[i].run(sub_argc, sub_argv);
            free(cli_globals.plugin_files);
            return status;
        }
    }
    fprintf(stderr, "tocm: unknown command '%s'\n", name);
    usage(stderr);
    return EXIT_USAGE;
}
