/*
 * cmd_fmt.c -- `tocm fmt MODEL [--check | -w]`: the canonical layout.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lock.h"
#include "../util.h"
#include "commands.h"

static const char help[] =
    "Usage: tocm fmt MODEL [--check | -w]\n"
    "\n"
    "Prints MODEL in the canonical layout (models/FORMAT.md): two-space\n"
    "indentation, known fields first in a fixed order, unknown fields kept.\n"
    "Formatting twice gives the same bytes, so git diffs stay small.\n"
    "\n"
    "  --check      print nothing; exit 1 if MODEL is not already canonical\n"
    "  -w, --write  rewrite MODEL in place (atomically) instead of printing\n"
    "  -h, --help   show this help\n";

int cmd_fmt(int argc, char **argv) {
    static const struct option options[] = {
        {"check", no_argument, NULL, 'c'},
        {"write", no_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    int check = 0, write = 0, c;
    while ((c = getopt_long(argc, argv, "wh", options, NULL)) != -1) {
        switch (c) {
        case 'c': check = 1; break;
        case 'w': write = 1; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return cli_usage_error("fmt", "unknown option");
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("fmt", "expected one MODEL file");
    if (check && write)
        return cli_usage_error("fmt", "--check and -w cannot be used together");
    const char *path = argv[optind];

    /* -w replaces the file: hold the same lock as the editing commands from
     * reading to renaming, so a concurrent `tocm set` is never undone. */
    int lock = -1;
    if (write) {
        char err[TOCM_MESSAGE_SIZE];
        lock = tocmp_lock_file(path, path, 10.0, stderr, err, sizeof err);
        if (lock < 0) {
            fprintf(stderr, "tocm fmt: %s\n", err);
            return EXIT_USAGE;
        }
    }
    /* Formatting needs a readable tocm document, not a valid chain: a model
     * with a dangling link can still be tidied before it is fixed. */
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = NULL;
    int rc = tocm_model_load_file(path, diags, &m);
    if (rc != TOCM_OK) {
        tocm_diags_print(diags, stderr);
        tocm_diags_free(diags);
        tocmp_unlock_file(lock);
        return rc == TOCM_EIO ? EXIT_USAGE : EXIT_MODEL_ERRORS;
    }
    tocm_diags_free(diags);

    size_t len;
    char *text = tocm_model_format(m, &len);
    int status = EXIT_OK;
    if (check || write) {
        size_t old_len = 0;
        char *old = tocmp_read_file(path, &old_len);
        int same = old && old_len == len && memcmp(old, text, len) == 0;
        free(old);
        if (check && !same) {
            fprintf(stderr, "%s: not in canonical format (run 'tocm fmt -w %s')\n", path, path);
            status = EXIT_MODEL_ERRORS;
        } else if (write && !same) {
            char err[TOCM_MESSAGE_SIZE];
            if (tocm_write_file_atomic(path, text, len, err, sizeof err) != TOCM_OK) {
                fprintf(stderr, "tocm fmt: %s\n", err);
                status = EXIT_USAGE;
            }
        }
    } else {
        fwrite(text, 1, len, stdout);
    }
    free(text);
    tocm_model_free(m);
    tocmp_unlock_file(lock);
    return status;
}
