/*
 * cli_opts.h -- table-driven options. Each command declares its options
 * once, as a table of struct cli_option; the getopt_long table and the
 * option lines of its --help come from that table, so the two cannot drift
 * apart. -h/--help is added to every command.
 *
 *     static const struct cli_option report_options[] = {
 *         {'o', 'o', "output", "FILE", "write to FILE (atomically)"},
 *         {OPT_STRICT, 0, "strict", NULL, "exit 1 when a check fails"},
 *         CLI_OPTIONS_END,
 *     };
 *     static const struct cli_command report = {
 *         .name = "report",
 *         .synopsis = "Usage: tocm report MODEL ...\n",
 *         .about = "Computes ...\n",
 *         .tables = {report_options},
 *     };
 *     struct cli_parser p;
 *     cli_parse_begin(&p, &report, argc, argv);
 *     for (int id; (id = cli_parse_next(&p)) > 0;)
 *         switch (id) { case 'o': output = p.arg; break; ... }
 *     if (p.status >= 0) return p.status;  // help printed or usage error
 *     // operands: argv[optind .. argc)
 */
#ifndef TOCM_CLI_OPTS_H
#define TOCM_CLI_OPTS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "tocm/host.h"

/* One option. ids are unique within a command and positive; an option
 * with a short name has that letter as its id (getopt returns the letter),
 * a long-only one a value from CLI_OPT_FIRST up. A table is a list of rows,
 * as getopt's own, ended by CLI_OPTIONS_END. */
struct cli_option {
    int id;           /* what cli_parse_next returns for it */
    char short_name;  /* 'o' for -o, or 0 */
    const char *name; /* the long name, without "--" */
    const char *arg;  /* the argument's name in --help ("FILE"); NULL: a flag */
    const char *help; /* its help; '\n' starts a continuation line */
};
#define CLI_OPTIONS_END                                                                            \
    { 0, 0, NULL, NULL, NULL }
enum { CLI_OPT_FIRST = 256, CLI_MAX_OPTIONS = 48 };

/* A command: its synopsis and description, its option tables (the first is
 * its own; later ones are groups several commands share), and text for the
 * end of --help. The top level (`tocm [OPTIONS] COMMAND ...`) is one too,
 * with a NULL name. */
struct cli_command {
    const char *name;                   /* "report"; NULL for the top level */
    const char *synopsis;               /* "Usage: tocm report MODEL ...\n" (one or more lines) */
    const char *about;                  /* what it does, before the options (may be NULL) */
    const struct cli_option *tables[4]; /* NULL-ended */
    const char *footer;                 /* after the options (may be NULL) */
    /* The top level's: stop at the first operand (the command name), and
     * print the list of commands between about and the options. */
    int stop_at_operand;
    void (*print_more)(FILE *out);
};

/* Prints the command's --help: synopsis, about, the options (from the
 * tables, aligned), footer. */
void cli_print_help(const struct cli_command *cmd, FILE *out);

struct cli_parser {
    const struct cli_command *cmd;
    int argc;
    char **argv;
    const char *arg; /* the argument of the option just returned, or NULL */
    int status;      /* -1 while parsing; else the exit status to stop with */
    struct option longopts[CLI_MAX_OPTIONS + 2];
    char shortopts[3 * CLI_MAX_OPTIONS + 4];
};

void cli_parse_begin(struct cli_parser *p, const struct cli_command *cmd, int argc, char **argv);
/* The id of the next option, with its argument in p->arg; 0 when every
 * option has been read (the operands are argv[optind..argc)); -1 when the
 * command should stop with p->status: --help was printed (EXIT_OK) or an
 * unknown option or missing argument was reported (EXIT_USAGE). */
int cli_parse_next(struct cli_parser *p);

/* ---- --option NAME=VALUE, for the exporter options of export and render -- */

/* A list of exporter options in which a name appears once: setting a name
 * again replaces its value (the last value given wins, as in most CLIs). */
struct cli_export_options {
    tocm_export_option *items;
    size_t count, cap;
};
void cli_export_options_set(struct cli_export_options *o, const char *name, const char *value);
/* Parses "NAME=VALUE" (from --option) into o. 0, or EXIT_USAGE after
 * reporting text that is not NAME=VALUE. */
int cli_export_options_parse(struct cli_export_options *o, const char *cmd, const char *text);
void cli_export_options_free(struct cli_export_options *o);

#endif
