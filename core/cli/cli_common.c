/*
 * cli_common.c -- helpers shared by the subcommands.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "commands.h"

int cli_load_valid_model(const char *path, tocm_model **out) {
    tocm_diags *diags = tocm_diags_new();
    tocm_model *model = NULL;
    int rc = tocm_model_load_file(path, diags, &model);
    if (rc == TOCM_OK)
        tocm_validate(model, diags);
    if (rc != TOCM_OK || tocm_diags_errors(diags) > 0) {
        /* Print only errors: they are what stops this command. */
        for (size_t i = 0; i < tocm_diags_count(diags); i++) {
            const tocm_diag *d = tocm_diags_get(diags, i);
            if (d->severity == TOCM_SEV_ERROR)
                tocm_diag_print(d, stderr);
        }
        if (rc == TOCM_OK)
            fprintf(stderr, "%s: the model has %zu error(s); nothing done\n", path,
                    tocm_diags_errors(diags));
        tocm_diags_free(diags);
        tocm_model_free(model);
        *out = NULL;
        return rc == TOCM_EIO ? EXIT_USAGE : EXIT_MODEL_ERRORS;
    }
    tocm_diags_free(diags);
    *out = model;
    return EXIT_OK;
}

int cli_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tocm %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'tocm %s --help'.\n", cmd);
    va_end(ap);
    return EXIT_USAGE;
}

long cli_parse_count(const char *text) {
    char *end;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < 0)
        return -1;
    return v;
}
