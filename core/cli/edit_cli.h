/*
 * edit_cli.h -- what the editing commands share (cmd_edit.c, cmd_record.c):
 * the options every one has, and the transaction around a change.
 */
#ifndef TOCM_CLI_EDIT_CLI_H
#define TOCM_CLI_EDIT_CLI_H

#include "cli_opts.h"
#include "tocm/tocm.h"

enum {
    OPT_FORCE = CLI_OPT_FIRST,
    OPT_LOCK_TIMEOUT,
    OPT_NODE,
    OPT_INDICATOR,
    OPT_TABLE,
    OPT_LEVEL_KIND,
    OPT_SECTION,
    EDIT_OPT_OWN /* a command's own options are numbered from here */
};

/* -n, --force, --lock-timeout, -q. */
extern const struct cli_option edit_common_options[];
/* --node, --indicator: what ID names. */
extern const struct cli_option edit_kind_options[];

#define EDIT_COMMON_FOOTER                                                                         \
    "MODEL is written only if the change adds no error (see 'tocm validate'); it\n"                \
    "is written atomically, in the canonical layout of 'tocm fmt', so a one-field\n"               \
    "change is a one-line git diff. Exit status: 0 done (or nothing to change),\n"                 \
    "1 refused, 2 usage or I/O failure (including a lock timeout).\n"

struct edit_cli {
    const char *cmd;
    int force, dry_run, quiet;
    double lock_timeout;
    enum tocm_edit_kind kind;
};

void edit_cli_init(struct edit_cli *o, const char *cmd);

/* Reads the options of an editing command: the ones every editing command
 * has go into o, the others to own(ctx, id, arg), which returns 0, or an
 * exit status after reporting a problem. Returns -1 to go on with the
 * operands (argv[optind..]), or the exit status to stop with. */
int edit_parse_options(struct edit_cli *o, const struct cli_command *cmd, int argc, char **argv,
                       int (*own)(void *ctx, int id, const char *arg), void *ctx);

/* The change itself: TOCM_OK, or a refusal with tocm_edit_error set. */
typedef int (*edit_apply_fn)(tocm_edit *e, void *ctx);
/* The transaction around one command's change: open (lock, load), apply,
 * commit, and say what happened. Returns the exit status. */
int edit_run(const struct edit_cli *o, const char *path, edit_apply_fn apply, void *ctx);

/* Prints the findings of one severity to stderr. */
void edit_print_findings(const tocm_diags *diags, enum tocm_severity severity);

#endif
