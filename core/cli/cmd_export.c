/*
 * cmd_export.c -- `tocm export MODEL -T FORMAT [-o FILE] [--option K=V]...`:
 * hands the model to the exporter plugin that writes FORMAT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "commands.h"
#include "tocm/host.h"
#include "tocm/report.h"

enum { OPT_OPTION = CLI_OPT_FIRST };

static const struct cli_option options[] = {
    {'T', 'T', "format", "FORMAT", "e.g. json"},
    {'o', 'o', "output", "FILE",
     "where to write ('-' or none: standard output);\n"
     "the file is replaced atomically"},
    {OPT_OPTION, 0, "option", "NAME=VALUE",
     "pass an option to the exporter (repeatable; the\n"
     "last value of a NAME wins); 'tocm plugins' lists\n"
     "the options each exporter takes"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "export",
    .synopsis = "Usage: tocm export MODEL -T FORMAT [-o FILE] [--option NAME=VALUE]...\n",
    .about = "Writes MODEL in FORMAT through the exporter plugin that provides it\n"
             "('tocm plugins' lists them). The model must be valid.\n",
    .tables = {options},
};

static void list_formats(const tocm_registry *reg) {
    fputs("tocm: formats available:", stderr);
    size_t n = tocm_registry_exporter_count(reg);
    for (size_t i = 0; i < n; i++)
        for (const char *const *f = tocm_registry_exporter(reg, i)->formats; *f; f++)
            fprintf(stderr, " %s", *f);
    fputs(n ? "\n" : " none (no exporter plugin was loaded)\n", stderr);
}

int cli_export_loaded(const tocm_registry *reg, const tocm_model *m, const tocm_report *report,
                      const char *format, const char *output,
                      const struct cli_export_options *exporter_options) {
    const struct tocm_exporter *exporter = tocm_registry_exporter_for(reg, format);
    if (!exporter) {
        fprintf(stderr, "tocm: no exporter writes the format '%s'\n", format);
        list_formats(reg);
        return EXIT_USAGE;
    }
    struct cli_output *out = cli_output_open(output);
    tocm_error err = {0};
    int status = report
                     ? tocm_report_export(report, reg, m, format, exporter_options->items,
                                          exporter_options->count, cli_output_write, out, &err)
                     : tocm_registry_export(reg, m, format, exporter_options->items,
                                            exporter_options->count, cli_output_write, out, &err);
    if (status == TOCM_EXPORT_FAILED) {
        const char *plugin = tocm_registry_plugin_of(reg, exporter);
        fprintf(stderr, "tocm: exporter '%s' (plugin '%s') failed%s%s%s %s\n", exporter->name,
                plugin ? plugin : "?", err.source[0] ? " (" : "", err.source,
                err.source[0] ? ")" : "", err.text[0] ? err.text : "without saying why");
    } else if (status != TOCM_EXPORT_OK)
        fprintf(stderr, "tocm: %s\n", err.text);
    int ok = status == TOCM_EXPORT_OK;
    if (cli_output_close(out, ok) != 0)
        ok = 0;
    /* An exporter that refuses the model (too large, an unknown view) is a
     * problem with what was asked, not with the model file. */
    return ok ? EXIT_OK : EXIT_USAGE;
}

int cli_run_export(const char *model_path, const char *format, const char *output,
                   const struct cli_export_options *exporter_options) {
    tocm_model *m;
    int rc = cli_load_valid_model(model_path, &m);
    if (rc != EXIT_OK)
        return rc;
    tocm_registry *reg = cli_load_registry();
    rc = cli_export_loaded(reg, m, NULL, format, output, exporter_options);
    tocm_registry_free(reg);
    tocm_model_free(m);
    return rc;
}

int cmd_export(int argc, char **argv) {
    const char *format = NULL, *output = NULL;
    struct cli_export_options eo = {0};
    int id, rc = -1;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while (rc < 0 && (id = cli_parse_next(&p)) > 0) {
        switch (id) {
        case 'T': format = p.arg; break;
        case 'o': output = p.arg; break;
        case OPT_OPTION:
            if (cli_export_options_parse(&eo, "export", p.arg) != 0)
                rc = EXIT_USAGE;
            break;
        }
    }
    if (rc >= 0 || (rc = p.status) >= 0)
        ; /* stop: help, or a usage error already reported */
    else if (argc - optind != 1)
        rc = cli_usage_error("export", "expected one MODEL file");
    else if (!format)
        rc = cli_usage_error("export", "say which format with -T (e.g. -T json)");
    else
        rc = cli_run_export(argv[optind], format, output, &eo);
    cli_export_options_free(&eo);
    return rc;
}
