/*
 * edit_cli.c -- the transaction every editing command runs (edit_cli.h):
 * lock and load MODEL, apply the change, validate, and write (atomically,
 * canonical layout) only if the change adds no error; then say what the
 * change did (stdout) or why it was refused (stderr).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "edit_cli.h"

/* Options every editing command has. */
const struct cli_option edit_common_options[] = {
    {'n', 'n', "dry-run", NULL,
     "check the change and show it as 'tocm diff' would;\n"
     "write nothing"},
    {OPT_FORCE, 0, "force", NULL,
     "write even if the change adds errors to the model, and\n"
     "list them"},
    {OPT_LOCK_TIMEOUT, 0, "lock-timeout", "S",
     "wait at most S seconds for another edit of MODEL to\n"
     "finish (default 10; 0: do not wait)"},
    {'q', 'q', "quiet", NULL, "do not say what was changed"},
    CLI_OPTIONS_END,
};

/* Options of the commands whose ID may name a node or an indicator. */
const struct cli_option edit_kind_options[] = {
    {OPT_NODE, 0, "node", NULL, "ID names a node (when an indicator has the same id)"},
    {OPT_INDICATOR, 0, "indicator", NULL, "ID names an indicator"},
    CLI_OPTIONS_END,
};

/* Handles an option every editing command has. Returns 1 when c was one,
 * 0 when not, -1 (after printing) for a bad value. */
static int common_option(struct edit_cli *o, int c, const char *arg) {
    switch (c) {
    case 'n': o->dry_run = 1; return 1;
    case 'q': o->quiet = 1; return 1;
    case OPT_FORCE: o->force = 1; return 1;
    case OPT_NODE: o->kind = TOCM_EDIT_NODE; return 1;
    case OPT_INDICATOR: o->kind = TOCM_EDIT_INDICATOR; return 1;
    case OPT_TABLE: o->kind = TOCM_EDIT_TABLE; return 1;
    case OPT_LEVEL_KIND: o->kind = TOCM_EDIT_LEVEL; return 1;
    case OPT_SECTION: o->kind = TOCM_EDIT_SECTION; return 1;
    case OPT_LOCK_TIMEOUT: {
        char *end;
        double v = strtod(arg, &end);
        if (!*arg || *end || !isfinite(v) || v < 0) { /* inf once made the wait spin */
            cli_usage_error(o->cmd,
                            "--lock-timeout needs a number of seconds (0 or more), not '%s'", arg);
            return -1;
        }
        o->lock_timeout = v;
        return 1;
    }
    default: return 0;
    }
}

void edit_print_findings(const tocm_diags *diags, enum tocm_severity severity) {
    for (size_t i = 0; i < tocm_diags_count(diags); i++) {
        const tocm_diag *d = tocm_diags_get(diags, i);
        if (d->severity == severity)
            tocm_diag_print(d, stderr);
    }
}

/* Prints the diff between the file as read and as it would be written. */
static void print_dry_run(tocm_edit *e, const char *path) {
    size_t before_len, after_len;
    const char *before_text = tocm_edit_text(e, 0, &before_len);
    const char *after_text = tocm_edit_text(e, 1, &after_len);
    /* Only a data file changes (tocm record into an existing table): its
     * rows are in the notes. */
    if (before_len == after_len && memcmp(before_text, after_text, after_len) == 0)
        return;
    tocm_diags *scratch = tocm_diags_new();
    tocm_model *before = NULL, *after = NULL;
    tocm_model_load_string(tocm_edit_text(e, 0, NULL), path, scratch, &before);
    tocm_model_load_string(tocm_edit_text(e, 1, NULL), path, scratch, &after);
    if (before && after) {
        tocm_diff *d = tocm_diff_models(before, after);
        size_t size = strlen(path) + sizeof " after the change";
        char *after_name = cli_xmalloc(size);
        snprintf(after_name, size, "%s after the change", path);
        char *text = tocm_diff_text(d, path, after_name);
        free(after_name);
        tocm_print_text(text, TOCM_TEXT_MULTILINE, stdout);
        free(text);
        tocm_diff_free(d);
    }
    tocm_model_free(before);
    tocm_model_free(after);
    tocm_diags_free(scratch);
}

/* The transaction around one command's change. */
int edit_run(const struct edit_cli *o, const char *path, edit_apply_fn apply, void *ctx) {
    tocm_diags *diags = tocm_diags_new();
    tocm_edit *e = NULL;
    tocm_edit_options options = {.lock_timeout = o->lock_timeout, .wait_notice = stderr};
    int rc = tocm_edit_open(path, &options, diags, &e);
    if (rc == TOCM_EIO) {
        /* Cannot read or lock the file: one sentence that names it. */
        for (size_t i = 0; i < tocm_diags_count(diags); i++)
            fprintf(stderr, "tocm %s: %s\n", o->cmd, tocm_diags_get(diags, i)->message);
        tocm_diags_free(diags);
        return EXIT_USAGE;
    }
    if (rc != TOCM_OK) {
        edit_print_findings(diags, TOCM_SEV_ERROR);
        if (rc == TOCM_EINVALID)
            fprintf(stderr,
                    "tocm %s: %s is not a model tocm can read; fix it first "
                    "(see 'tocm validate'); nothing changed\n",
                    o->cmd, path);
        tocm_diags_free(diags);
        return rc == TOCM_EIO ? EXIT_USAGE : EXIT_MODEL_ERRORS;
    }
    tocm_edit_set_kind(e, o->kind);
    int status = EXIT_OK;
    if (apply(e, ctx) != TOCM_OK) {
        fprintf(stderr, "tocm %s: %s; nothing changed\n", o->cmd, tocm_edit_error(e));
        status = EXIT_MODEL_ERRORS;
        goto out;
    }
    int flags = (o->force ? TOCM_COMMIT_FORCE : 0) | (o->dry_run ? TOCM_COMMIT_DRY_RUN : 0);
    rc = tocm_edit_commit(e, flags, diags);
    if (rc == TOCM_EINVALID) {
        fprintf(stderr, "tocm %s: %s:\n", o->cmd, tocm_edit_error(e));
        edit_print_findings(diags, TOCM_SEV_ERROR);
        status = EXIT_MODEL_ERRORS;
        goto out;
    }
    if (rc != TOCM_OK) {
        fprintf(stderr, "tocm %s: %s\n", o->cmd, tocm_edit_error(e));
        status = EXIT_USAGE;
        goto out;
    }
    if (!o->quiet) {
        for (size_t i = 0; i < tocm_edit_note_count(e); i++) {
            tocm_print_text(path, 0, stdout);
            fputs(": ", stdout);
            tocm_print_text(tocm_edit_note(e, i), 0, stdout);
            putchar('\n');
        }
    }
    if (!tocm_edit_changed(e)) {
        if (!o->quiet)
            printf("%s: nothing to change\n", path);
        goto out;
    }
    if (o->dry_run) {
        print_dry_run(e, path);
        printf("(dry run: nothing written)\n");
    }
    if (tocm_diags_errors(diags) > 0) {
        fprintf(stderr,
                "tocm %s: warning: %s %s with --force, with %zu new error%s; the model "
                "now fails 'tocm validate':\n",
                o->cmd, path, o->dry_run ? "would be written" : "written", tocm_diags_errors(diags),
                tocm_diags_errors(diags) == 1 ? "" : "s");
        edit_print_findings(diags, TOCM_SEV_ERROR);
    }
    if (tocm_diags_warnings(diags) > 0) {
        fprintf(stderr, "tocm %s: note: the change adds %zu warning%s:\n", o->cmd,
                tocm_diags_warnings(diags), tocm_diags_warnings(diags) == 1 ? "" : "s");
        edit_print_findings(diags, TOCM_SEV_WARNING);
    }
    size_t before_len, after_len;
    const char *before_text = tocm_edit_text(e, 0, &before_len);
    const char *after_text = tocm_edit_text(e, 1, &after_len);
    int model_written = before_len != after_len || memcmp(before_text, after_text, after_len) != 0;
    if (!tocm_edit_was_canonical(e) && !o->dry_run && model_written)
        fprintf(stderr,
                "tocm %s: note: %s was not in the canonical layout, so all of it was "
                "rewritten ('tocm fmt -w' on its own keeps such a change apart)\n",
                o->cmd, path);
out:
    tocm_edit_close(e);
    tocm_diags_free(diags);
    return status;
}

void edit_cli_init(struct edit_cli *o, const char *cmd) {
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->lock_timeout = TOCM_EDIT_LOCK_TIMEOUT;
    o->kind = TOCM_EDIT_ANY;
}

/* Reads the options of an editing command: the ones every editing command
 * has go into o, the others to own(ctx, id, arg), which returns 0, or an
 * exit status after reporting a problem. Returns -1 to go on with the
 * operands (argv[optind..]), or the exit status to stop with. */
int edit_parse_options(struct edit_cli *o, const struct cli_command *cmd, int argc, char **argv,
                       int (*own)(void *ctx, int id, const char *arg), void *ctx) {
    struct cli_parser p;
    cli_parse_begin(&p, cmd, argc, argv);
    int id;
    while ((id = cli_parse_next(&p)) > 0) {
        int r = common_option(o, id, p.arg);
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0 && own) {
            int status = own(ctx, id, p.arg);
            if (status != 0)
                return status;
        }
    }
    return p.status;
}
