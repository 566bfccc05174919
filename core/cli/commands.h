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

#include "tocm/host.h"
#include "tocm/tocm.h"

enum { EXIT_OK = 0, EXIT_MODEL_ERRORS = 1, EXIT_USAGE = 2 };

int cmd_validate(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_plugins(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_render(int argc, char **argv);
/* Editing and diff (cmd_edit.c, cmd_diff.c). */
int cmd_add(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_unlink(int argc, char **argv);
int cmd_rename(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_diff(int argc, char **argv);
/* Built with libmicrohttpd only (TOCM_HAVE_SERVE). */
int cmd_serve(int argc, char **argv);
/* Interchange (cmd_init.c, cmd_import.c). */
int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_record(int argc, char **argv); /* cmd_record.c */

/* Options given before the command name, for every command. */
struct cli_globals {
    const char **plugin_files; /* --plugin FILE, repeatable */
    size_t plugin_count;
    int allow_unsafe_plugins;
};
extern struct cli_globals cli_globals;

/* Loads the plugins (--plugin files, then the search path). Refusals are
 * printed to stderr. new: free with tocm_registry_free. */
tocm_registry *cli_load_registry(void);

/* Opens the output named by -o: NULL or "-" is standard output. The file is
 * written through a temporary and renamed into place by cli_output_close, so
 * a failed export never leaves half a file. */
struct cli_output;
struct cli_output *cli_output_open(const char *path);
/* Appends; 0 or -1. Matches the host's export_write sink signature. */
int cli_output_write(void *out, const void *data, size_t len);
/* Commits (ok = 1) or discards (ok = 0) the output; 0 on success, else prints
 * the reason and returns -1. */
int cli_output_close(struct cli_output *out, int ok);

/* Loads MODEL (which must be valid) and the plugins, and writes it in
 * FORMAT to output (NULL or "-": stdout) with the given exporter options
 * (cli_opts.h). Returns the exit status. Shared by `export` and `render`. */
struct cli_export_options;
int cli_run_export(const char *model_path, const char *format, const char *output,
                   const struct cli_export_options *options);

/* The export step of cli_run_export for a model already loaded: report
 * (may be NULL) is lent to the exporter as its JSON (tocm_report_export).
 * Says what went wrong on stderr; returns the exit status. Shared by
 * `report --format xlsx|html|...` too. */
struct tocm_report;
int cli_export_loaded(const tocm_registry *reg, const tocm_model *m,
                      const struct tocm_report *report, const char *format, const char *output,
                      const struct cli_export_options *options);

/* Standard output that keeps the errno of its first failed write
 * (stdout_guard.c), so the exit check can say why output was lost. */
void cli_stdout_guard_install(void);
int cli_stdout_guard_error(void); /* 0 when no write failed */

/* Loads MODEL and runs the validator. On success (*out set, new) returns
 * EXIT_OK. Otherwise prints the errors to stderr, frees everything and
 * returns EXIT_MODEL_ERRORS or EXIT_USAGE (unreadable file). Warnings are not
 * printed: `tocm validate` is the place for them. */
int cli_load_valid_model(const char *path, tocm_model **out);

/* Prints "tocm CMD: message" and a hint to run --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a non-negative integer option value; -1 when it is not one. */
long cli_parse_count(const char *text);

#endif
