/*
 * commands.h -- the tocm subcommands and what they share.
 *
 * Every command is `int cmd_NAME(int argc, char **argv)` with argv[0] the
 * command's name, and returns the process exit status: 0 ok, 1 the model or
 * data has errors, 2 usage or I/O failure.
 */
#ifndef TOCM_CLI_COMMANDS_H
#define TOCM_CLI_COMMANDS_H

#include <stdio.h>

#include "tocm/tocm.h"

enum { EXIT_OK = 0, EXIT_MODEL_ERRORS = 1, EXIT_USAGE = 2 };

int cmd_validate(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_stats(int argc, char **argv);

/* Loads MODEL and runs the validator. On success (*out set, new) returns
 * EXIT_OK. Otherwise prints the errors to stderr, frees everything and
 * returns EXIT_MODEL_ERRORS or EXIT_USAGE (unreadable file). Warnings are not
 * printed: `tocm validate` is the place for them. */
int cli_load_valid_model(const char *path, tocm_model **out);

/* Prints "tocm CMD: message" and a hint to run --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parses a non-negative integer option value; -1 when it is not one. */
long cli_parse_count(const char *text);

#endif
