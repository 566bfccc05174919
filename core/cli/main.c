/*
 * main.c -- `tocm COMMAND ...`: global options and dispatch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_opts.h"
#include "cli_util.h"
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
    {"set", cmd_set,
     "change a field of a node, indicator, table or the plan, checked before writing"},
    {"link", cmd_link, "make a node contribute to another (or attach an indicator)"},
    {"unlink", cmd_unlink, "remove a contribution link (or detach an indicator)"},
    {"rename", cmd_rename, "change a node's id and every reference to it"},
    {"rm", cmd_rm, "remove a node (--cascade, --reattach-to) or an indicator"},
    {"record", cmd_record,
     "enter an indicator's figure (or a CSV of them), checked before writing"},
    {"diff", cmd_diff, "say what changed between two versions of a model"},
#ifdef TOCM_HAVE_SERVE
    {"serve", cmd_serve, "edit a model in a web browser on this computer"},
#endif
    {"import", cmd_import, "make a model from a logframe sheet (CSV)"},
    {"init", cmd_init, "start a new model folder from a template (toc, logframe, usaid)"},
};

struct cli_globals cli_globals;

enum { OPT_PLUGIN = CLI_OPT_FIRST, OPT_ALLOW_UNSAFE };

static const struct cli_option global_options[] = {
    {'V', 'V', "version", NULL, "print tocm's version and the model format it reads"},
    {OPT_PLUGIN, 0, "plugin", "FILE", "load this plugin too (repeatable)"},
    {OPT_ALLOW_UNSAFE, 0, "allow-unsafe-plugins", NULL,
     "load plugins others could have written to"},
    CLI_OPTIONS_END,
};

static void print_commands(FILE *out) {
    fputs("\nCommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nGlobal options:\n", out);
}

static const struct cli_command top = {
    .name = NULL,
    .synopsis = "Usage: tocm [--help] [--version] [--plugin FILE]... [--allow-unsafe-plugins]\n"
                "            COMMAND [ARGS]\n",
    .about = "tocm keeps a program's theory of change (goal, outcomes, projects and\n"
             "the links between them) in a JSON file, checks its logic and shows it.\n",
    .tables = {global_options},
    .footer = "Plugins are also found in $TOCM_PLUGIN_PATH (directories, ':'-separated)\n"
              "and in the installed plugin directory; never in the current directory.\n"
              "\n"
              "Run 'tocm COMMAND --help' for a command's options.\n"
              "Exit status: 0 ok, 1 the model has errors, 2 usage or I/O failure.\n",
    .stop_at_operand = 1,
    .print_more = print_commands,
};

/* Every command's output ends here: standard output is flushed and closed
 * at exit, and a write that failed on the way or now (a full disk,
 * `tocm fmt m > /dev/full`, a closed descriptor) is reported and makes the
 * exit status 2 whatever the command returned. Registered with atexit, so
 * no return path of any command can skip it. */
static void close_stdout(void) {
    int failed = ferror(stdout);
    errno = 0;
    if (fclose(stdout) != 0)
        failed = 1;
    if (!failed)
        return;
    int error = cli_stdout_guard_error() ? cli_stdout_guard_error() : errno;
    fprintf(stderr, "tocm: cannot write to standard output%s%s\n", error ? ": " : "",
            error ? strerror(error) : "");
    _exit(EXIT_USAGE);
}

int main(int argc, char **argv) {
    cli_stdout_guard_install();
    atexit(close_stdout);
    struct cli_parser p;
    cli_parse_begin(&p, &top, argc, argv);
    int id;
    while ((id = cli_parse_next(&p)) > 0) {
        switch (id) {
        case 'V':
            printf("tocm %s (model format %d)\n", TOCM_VERSION, TOCM_FORMAT_VERSION);
            free(cli_globals.plugin_files);
            return EXIT_OK;
        case OPT_PLUGIN:
            cli_globals.plugin_files =
                cli_xrealloc(cli_globals.plugin_files,
                             (cli_globals.plugin_count + 1) * sizeof *cli_globals.plugin_files);
            cli_globals.plugin_files[cli_globals.plugin_count++] = p.arg;
            break;
        case OPT_ALLOW_UNSAFE: cli_globals.allow_unsafe_plugins = 1; break;
        }
    }
    if (p.status >= 0 || optind >= argc) {
        if (p.status < 0)
            cli_print_help(&top, stderr);
        free(cli_globals.plugin_files);
        return p.status >= 0 ? p.status : EXIT_USAGE;
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
    cli_print_help(&top, stderr);
    free(cli_globals.plugin_files);
    return EXIT_USAGE;
}
