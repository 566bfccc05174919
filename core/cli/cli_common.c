/*
 * cli_common.c -- helpers shared by the subcommands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "tocm/host.h"

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

tocm_registry *cli_load_registry(void) {
    struct tocm_registry_options opts = {
        .files = cli_globals.plugin_files,
        .file_count = cli_globals.plugin_count,
        .allow_unsafe = cli_globals.allow_unsafe_plugins,
    };
    return tocm_registry_load(&opts);
}

struct cli_output {
    char *path; /* NULL: standard output */
    struct cli_buf data;
};

struct cli_output *cli_output_open(const char *path) {
    struct cli_output *out = cli_xcalloc(1, sizeof *out);
    if (path && strcmp(path, "-") != 0)
        out->path = cli_xstrdup(path);
    return out;
}

int cli_output_write(void *sink, const void *data, size_t len) {
    struct cli_output *out = sink;
    /* Collected, and written at the end only if the export succeeds: to a
     * file in one atomic replace, to standard output in one go, so a plugin
     * that fails half-way leaves nothing half-written. */
    cli_buf_append(&out->data, data, len);
    return 0;
}

int cli_output_close(struct cli_output *out, int ok) {
    int rc = 0;
    if (out->path && ok) {
        char err[TOCM_MESSAGE_SIZE];
        if (tocm_write_file_atomic(out->path, out->data.data ? out->data.data : "", out->data.len,
                                   err, sizeof err) != TOCM_OK) {
            fprintf(stderr, "tocm: %s\n", err);
            rc = -1;
        }
    } else if (!out->path && ok) {
        if ((out->data.len && fwrite(out->data.data, 1, out->data.len, stdout) != out->data.len) ||
            fflush(stdout) != 0) {
            fprintf(stderr, "tocm: cannot write to standard output: %s\n", strerror(errno));
            clearerr(stdout); /* reported: main's final check need not say it again */
            rc = -1;
        }
    }
    free(out->data.data);
    free(out->path);
    free(out);
    return rc;
}
