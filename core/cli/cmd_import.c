/*
 * cmd_import.c -- `tocm import logframe FILE.csv [-o MODEL]`: a model from a
 * sheet made elsewhere (core/import_logframe.c). Every problem is listed
 * with its line, and nothing is written unless the whole sheet is good.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_opts.h"
#include "commands.h"
#include "tocm/interchange.h"

enum { OPT_COLUMN = CLI_OPT_FIRST, OPT_ID, OPT_TITLE, OPT_FORCE };

static const struct cli_option options[] = {
    {'o', 'o', "output", "MODEL",
     "write the model there (atomically) instead of to\n"
     "standard output; an existing file only with --force"},
    {OPT_FORCE, 0, "force", NULL, "replace an existing MODEL"},
    {OPT_COLUMN, 0, "column", "NAME=HEADER",
     "the column holding NAME (level, id, title, parent,\n"
     "indicator, indicator_id, unit, baseline, baseline_year,\n"
     "source, assumptions, description, lop_target,\n"
     "target:PERIOD) when its header is another (repeatable)"},
    {OPT_ID, 0, "id", "ID", "the program's id (default: from the file's name)"},
    {OPT_TITLE, 0, "title", "TITLE", "the program's title (default: the file's name)"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "import",
    .synopsis =
        "Usage: tocm import logframe SHEET.csv [-o MODEL [--force]] [--column NAME=HEADER]...\n"
        "                   [--id ID] [--title TITLE]\n",
    .about = "Makes a model from a logframe sheet saved as CSV: one row per result\n"
             "(level, id, title, parent) or indicator (indicator, unit, baseline, one\n"
             "'Target PERIOD' column per period, source, assumptions). Every bad row\n"
             "is listed with its line; nothing is written unless the whole sheet is\n"
             "good. examples/logframe/ has a template.\n",
    .tables = {options},
};

int cmd_import(int argc, char **argv) {
    const char *output = NULL;
    struct tocm_logframe_options lo = {0};
    const char **mappings = NULL;
    int force = 0, id;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while ((id = cli_parse_next(&p)) > 0) {
        switch (id) {
        case 'o': output = p.arg; break;
        case OPT_FORCE: force = 1; break;
        case OPT_ID: lo.program_id = p.arg; break;
        case OPT_TITLE: lo.program_title = p.arg; break;
        case OPT_COLUMN:
            mappings = realloc(mappings, (lo.mapping_count + 1) * sizeof *mappings);
            if (!mappings) {
                fputs("tocm: out of memory\n", stderr);
                abort();
            }
            mappings[lo.mapping_count++] = p.arg;
            break;
        }
    }
    lo.mappings = mappings;
    int rc;
    struct stat st;
    if (p.status >= 0)
        rc = p.status;
    else if (argc - optind != 2)
        rc = cli_usage_error("import", "expected a kind (logframe) and a FILE");
    else if (strcmp(argv[optind], "logframe") != 0)
        rc = cli_usage_error("import", "no importer '%s'; the importers are: logframe",
                             argv[optind]);
    else if (output && strcmp(output, "-") != 0 && !force && stat(output, &st) == 0)
        rc = cli_usage_error("import", "'%s' exists; give --force to replace it", output);
    else {
        tocm_diags *diags = tocm_diags_new();
        char *text = NULL;
        size_t len = 0;
        int status = tocm_import_logframe(argv[optind + 1], &lo, diags, &text, &len);
        tocm_diags_print(diags, stderr);
        if (status != TOCM_OK) {
            if (status == TOCM_EINVALID)
                fprintf(stderr, "%s: %zu problem(s); nothing written\n", argv[optind + 1],
                        tocm_diags_errors(diags));
            rc = status == TOCM_EIO ? EXIT_USAGE : EXIT_MODEL_ERRORS;
        } else if (output && strcmp(output, "-") != 0) {
            char err[TOCM_MESSAGE_SIZE];
            rc = tocm_write_file_atomic(output, text, len, err, sizeof err) == TOCM_OK
                     ? EXIT_OK
                     : (fprintf(stderr, "tocm import: %s\n", err), EXIT_USAGE);
        } else {
            rc = fwrite(text, 1, len, stdout) == len ? EXIT_OK : EXIT_USAGE;
        }
        free(text);
        tocm_diags_free(diags);
    }
    free(mappings);
    return rc;
}
