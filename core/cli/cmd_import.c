/*
 * cmd_import.c -- `tocm import logframe FILE.csv [-o MODEL]` and `tocm
 * import iati FILE.xml [-o MODEL]`: a model from a sheet or an IATI file
 * made elsewhere (core/import_logframe.c, core/import_iati*.c). Every
 * problem is listed with its line, and nothing is written unless the whole
 * file is good; an IATI file's actuals go to results tables beside the
 * model, written before it (core/import_write.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_opts.h"
#include "commands.h"
#include "tocm/interchange.h"

enum { OPT_COLUMN = CLI_OPT_FIRST, OPT_ID, OPT_TITLE, OPT_FORCE, OPT_ACTIVITY };

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
    {OPT_TITLE, 0, "title", "TITLE", "logframe: the program's title (default: the file's name)"},
    {OPT_ACTIVITY, 0, "activity", "ID",
     "iati: the activity to import from a file of several\n"
     "(default: the one program, with its projects)"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "import",
    .synopsis =
        "Usage: tocm import logframe SHEET.csv [-o MODEL [--force]] [--column NAME=HEADER]...\n"
        "                   [--id ID] [--title TITLE]\n"
        "       tocm import iati FILE.xml [-o MODEL [--force]] [--activity ID] [--id ID]\n",
    .about = "logframe: makes a model from a logframe sheet saved as CSV: one row per\n"
             "result (level, id, title, parent) or indicator (indicator, unit, baseline,\n"
             "one 'Target PERIOD' column per period, source, assumptions). Every bad\n"
             "row is listed with its line. examples/logframe/ has a template.\n"
             "\n"
             "iati: makes a model from an IATI 2.03 activity file: results, indicators,\n"
             "baselines, targets and breakdowns; the actuals go to one results table\n"
             "per indicator in MODEL's data/ folder (so -o is needed when there are\n"
             "indicators). What tocm has no field for is kept in `iati_extra`; placeholders\n"
             "and anything not kept are named in warnings.\n"
             "\n"
             "Nothing is written unless the whole file is good.\n",
    .tables = {options},
};

static int import_iati(const char *file, const char *output, int force, const char *activity,
                       const char *program_id) {
#ifdef TOCM_HAVE_IATI_IMPORT
    struct tocm_iati_options io = {.activity = activity, .program_id = program_id};
    struct tocm_import_output out;
    tocm_diags *diags = tocm_diags_new();
    int status = tocm_import_iati(file, &io, diags, &out);
    tocm_diags_print(diags, stderr);
    int rc;
    int to_stdout = !output || strcmp(output, "-") == 0;
    if (status != TOCM_OK) {
        if (status == TOCM_EINVALID)
            fprintf(stderr, "%s: %zu problem(s); nothing written\n", file,
                    tocm_diags_errors(diags));
        rc = status == TOCM_EIO ? EXIT_USAGE : EXIT_MODEL_ERRORS;
    } else if (to_stdout && out.table_count) {
        /* Each indicator reads a results table beside the model. */
        rc = cli_usage_error("import",
                             "%s has indicators, whose results tables go beside the model in "
                             "data/: give -o MODEL (nothing written)",
                             file);
    } else if (to_stdout) {
        rc = fwrite(out.model, 1, out.model_len, stdout) == out.model_len ? EXIT_OK : EXIT_USAGE;
    } else {
        char err[TOCM_MESSAGE_SIZE];
        int w = tocm_import_write(output, &out, force, err, sizeof err);
        if (w != TOCM_OK)
            fprintf(stderr, "tocm import: %s\n", err);
        rc = w == TOCM_OK ? EXIT_OK : EXIT_USAGE;
    }
    tocm_import_output_free(&out);
    tocm_diags_free(diags);
    return rc;
#else
    (void)file, (void)output, (void)force, (void)activity, (void)program_id;
    return cli_usage_error("import", "this tocm was built without libxml2: no IATI importer");
#endif
}

int cmd_import(int argc, char **argv) {
    const char *output = NULL;
    struct tocm_logframe_options lo = {0};
    const char **mappings = NULL;
    int force = 0, id;
    const char *activity = NULL;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while ((id = cli_parse_next(&p)) > 0) {
        switch (id) {
        case 'o': output = p.arg; break;
        case OPT_FORCE: force = 1; break;
        case OPT_ID: lo.program_id = p.arg; break;
        case OPT_TITLE: lo.program_title = p.arg; break;
        case OPT_ACTIVITY: activity = p.arg; break;
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
        rc = cli_usage_error("import", "expected a kind (logframe or iati) and a FILE");
    else if (strcmp(argv[optind], "iati") == 0)
        rc = import_iati(argv[optind + 1], output, force, activity, lo.program_id);
    else if (strcmp(argv[optind], "logframe") != 0)
        rc = cli_usage_error("import", "no importer '%s'; the importers are: logframe, iati",
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
