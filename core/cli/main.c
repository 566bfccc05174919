/*
 * main.c -- `tocm COMMAND ...`: global options and dispatch.
 */
#include <getopt.h>
#include <stdio.h>
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
};

static void usage(FILE *out) {
    fputs("Usage: tocm [--help] [--version] COMMAND [ARGS]\n"
          "\n"
          "tocm keeps a program's theory of change (goal, outcomes, projects and\n"
          "the links between them) in a JSON file, checks its logic and shows it.\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nRun 'tocm COMMAND --help' for a command's options.\n"
          "Exit status: 0 ok, 1 the model has errors, 2 usage or I/O failure.\n",
          out);
}

int main(int argc, char **argv) {
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {0, 0, 0, 0},
    };
    int c;
    /* '+' stops at the command name: what follows is the command's own. */
    while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return EXIT_OK;
        case 'V': printf("tocm %s (model format %d)\n", TOCM_VERSION, TOCM_FORMAT_VERSION); return EXIT_OK;
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
            return commands[i].run(sub_argc, sub_argv);
        }
    }
    fprintf(stderr, "tocm: unknown command '%s'\n", name);
    usage(stderr);
    return EXIT_USAGE;
}
