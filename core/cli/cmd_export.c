/*
 * cmd_export.c -- `tocm export MODEL -T FORMAT [-o FILE] [--option K=V]...`:
 * hands the model to the exporter plugin that writes FORMAT.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine_internal.h"
#include "commands.h"
#include "tocm/host.h"

static const char help[] =
    "Usage: tocm export MODEL -T FORMAT [-o FILE] [--option NAME=VALUE]...\n"
    "\n"
    "Writes MODEL in FORMAT through the exporter plugin that provides it\n"
    "('tocm plugins' lists them). The model must be valid.\n"
    "\n"
    "  -T, --format FORMAT   e.g. json\n"
    "  -o, --output FILE     where to write ('-' or none: standard output);\n"
    "                        the file is replaced atomically\n"
    "  --option NAME=VALUE   pass an option to the exporter (repeatable)\n"
    "  -h, --help            show this help\n";

static void list_formats(const struct tocm_registry *reg) {
    fputs("tocm: formats available:", stderr);
    int any = 0;
    for (size_t i = 0; i < tocm_registry_count(reg); i++) {
        const struct tocm_plugin *p = tocm_registry_plugin(reg, i);
        for (size_t k = 0; p->exporters && p->exporters[k]; k++)
            for (const char *const *f = p->exporters[k]->formats; *f; f++) {
                fprintf(stderr, " %s", *f);
                any = 1;
            }
    }
    fputs(any ? "\n" : " none (no exporter plugin was loaded)\n", stderr);
}

int cli_run_export(const char *model_path, const char *format, const char *output,
                   const char *const *names, const char *const *values, size_t option_count) {
    tocm_model *m;
    int rc = cli_load_valid_model(model_path, &m);
    if (rc != EXIT_OK)
        return rc;
    struct tocm_registry *reg = cli_load_registry();
    const struct tocm_exporter *exporter = tocm_registry_exporter_for(reg, format);
    if (!exporter) {
        fprintf(stderr, "tocm: no exporter writes the format '%s'\n", format);
        list_formats(reg);
        tocm_registry_free(reg);
        tocm_model_free(m);
        return EXIT_USAGE;
    }
    struct cli_output *out = cli_output_open(output);
    struct tocm_export_request request = {
        .option_names = names,
        .option_values = values,
        .option_count = option_count,
        .write = cli_output_write,
        .sink = out,
    };
    struct tocm_export_input input = {
        .size = sizeof input, .model = m, .format = format, .request = &request};
    tocm_error err;
    const char *plugin = tocm_registry_plugin_of(reg, exporter);
    int ok = tocm_exporter_run(exporter, plugin, &input, &err) == 0;
    if (!ok)
        fprintf(stderr, "tocm: exporter '%s' (plugin '%s') failed%s%s%s %s\n", exporter->name,
                plugin ? plugin : "?", err.source[0] ? " (" : "", err.source,
                err.source[0] ? ")" : "", err.text[0] ? err.text : "without saying why");
    if (cli_output_close(out, ok) != 0)
        ok = 0;
    tocm_registry_free(reg);
    tocm_model_free(m);
    /* An exporter that refuses the model (too large, an unknown view) is a
     * problem with what was asked, not with the model file. */
    return ok ? EXIT_OK : EXIT_USAGE;
}

int cmd_export(int argc, char **argv) {
    static const struct option options[] = {
        {"format", required_argument, NULL, 'T'},
        {"output", required_argument, NULL, 'o'},
        {"option", required_argument, NULL, 'O'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *format = NULL, *output = NULL;
    const char **names = NULL, **values = NULL;
    size_t count = 0;
    int c, rc;
    while ((c = getopt_long(argc, argv, "T:o:h", options, NULL)) != -1) {
        switch (c) {
        case 'T': format = optarg; break;
        case 'o': output = optarg; break;
        case 'O': {
            char *eq = strchr(optarg, '=');
            if (!eq) {
                rc = cli_usage_error("export", "--option needs NAME=VALUE, not '%s'", optarg);
                goto out;
            }
            *eq = '\0';
            names = realloc(names, (count + 1) * sizeof *names);
            values = realloc(values, (count + 1) * sizeof *values);
            names[count] = optarg;
            values[count++] = eq + 1;
            break;
        }
        case 'h': fputs(help, stdout); rc = EXIT_OK; goto out;
        default: rc = cli_usage_error("export", "unknown option"); goto out;
        }
    }
    if (argc - optind != 1) {
        rc = cli_usage_error("export", "expected one MODEL file");
    } else if (!format) {
        rc = cli_usage_error("export", "say which format with -T (e.g. -T json)");
    } else {
        rc = cli_run_export(argv[optind], format, output, names, values, count);
    }
out:
    free(names);
    free(values);
    return rc;
}
