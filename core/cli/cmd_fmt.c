/*
 * cmd_fmt.c -- `tocm fmt MODEL [--check | -w]`: the canonical layout.
 *
 * -w is an edit like any other (tocm_edit_open, tocm_edit_commit): the same
 * lock, read through the locked descriptor, atomic replace and check that no
 * other program changed the file meanwhile, with an edit that changes
 * nothing but the layout.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"

enum { OPT_CHECK = CLI_OPT_FIRST, OPT_LOCK_TIMEOUT };

static const struct cli_option options[] = {
    {OPT_CHECK, 0, "check", NULL, "print nothing; exit 1 if MODEL is not already canonical"},
    {'w', 'w', "write", NULL, "rewrite MODEL in place (atomically) instead of printing"},
    /* The lock's message advises it, so fmt -w takes it as the edits do. */
    {OPT_LOCK_TIMEOUT, 0, "lock-timeout", "S",
     "with -w: wait at most S seconds for another edit of\n"
     "MODEL to finish (default 10; 0: do not wait)"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "fmt",
    .synopsis = "Usage: tocm fmt MODEL [--check | -w [--lock-timeout S]]\n",
    .about = "Prints MODEL in the canonical layout (models/FORMAT.md): two-space\n"
             "indentation, known fields first in a fixed order, unknown fields kept.\n"
             "Formatting twice gives the same bytes, so git diffs stay small.\n",
    .tables = {options},
};

/* fmt -w: an edit transaction whose only change is the layout. Formatting
 * needs a readable tocm document, not a valid chain: a model with a
 * dangling link can still be tidied before it is fixed, so the commit is
 * forced (it still never writes a file that would not load). */
static int write_canonical(const char *path, double lock_timeout) {
    tocm_diags *diags = tocm_diags_new();
    tocm_edit *e = NULL;
    tocm_edit_options eo = {.lock_timeout = lock_timeout, .wait_notice = stderr};
    int rc = tocm_edit_open(path, &eo, diags, &e);
    if (rc != TOCM_OK) {
        if (rc == TOCM_EIO)
            for (size_t i = 0; i < tocm_diags_count(diags); i++)
                fprintf(stderr, "tocm fmt: %s\n", tocm_diags_get(diags, i)->message);
        else
            tocm_diags_print(diags, stderr);
        tocm_diags_free(diags);
        return rc == TOCM_EIO ? EXIT_USAGE : EXIT_MODEL_ERRORS;
    }
    int status = EXIT_OK;
    if (tocm_edit_commit(e, TOCM_COMMIT_FORCE, NULL) != TOCM_OK) {
        fprintf(stderr, "tocm fmt: %s\n", tocm_edit_error(e));
        status = EXIT_USAGE;
    }
    tocm_edit_close(e);
    tocm_diags_free(diags);
    return status;
}

int cmd_fmt(int argc, char **argv) {
    int check = 0, write = 0, id;
    double lock_timeout = TOCM_EDIT_LOCK_TIMEOUT;
    char *end;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while ((id = cli_parse_next(&p)) > 0) {
        switch (id) {
        case OPT_CHECK: check = 1; break;
        case 'w': write = 1; break;
        case OPT_LOCK_TIMEOUT:
            lock_timeout = strtod(p.arg, &end);
            if (!*p.arg || *end || !isfinite(lock_timeout) || lock_timeout < 0)
                return cli_usage_error(
                    "fmt", "--lock-timeout needs a number of seconds (0 or more), not '%s'", p.arg);
            break;
        }
    }
    if (p.status >= 0)
        return p.status;
    if (argc - optind != 1)
        return cli_usage_error("fmt", "expected one MODEL file");
    if (check && write)
        return cli_usage_error("fmt", "--check and -w cannot be used together");
    const char *path = argv[optind];
    if (write)
        return write_canonical(path, lock_timeout);

    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = NULL;
    int rc = tocm_model_load_file(path, diags, &m);
    if (rc != TOCM_OK) {
        tocm_diags_print(diags, stderr);
        tocm_diags_free(diags);
        return rc == TOCM_EIO ? EXIT_USAGE : EXIT_MODEL_ERRORS;
    }
    tocm_diags_free(diags);

    size_t len;
    char *text = tocm_model_format(m, &len);
    int status = EXIT_OK;
    if (check) {
        size_t old_len = 0;
        char *old = cli_read_file(path, &old_len);
        if (!old) {
            fprintf(stderr, "tocm fmt: cannot read %s: %s\n", path, strerror(errno));
            status = EXIT_USAGE;
        } else if (old_len != len || memcmp(old, text, len) != 0) {
            fprintf(stderr, "%s: not in canonical format (run 'tocm fmt -w %s')\n", path, path);
            status = EXIT_MODEL_ERRORS;
        }
        free(old);
    } else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        fprintf(stderr, "tocm: cannot write to standard output: %s\n", strerror(errno));
        clearerr(stdout); /* reported: main's final check need not say it again */
        status = EXIT_USAGE;
    }
    free(text);
    tocm_model_free(m);
    return status;
}
