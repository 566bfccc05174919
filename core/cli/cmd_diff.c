/*
 * cmd_diff.c -- `tocm diff OLD NEW [--format text|json]`: what changed
 * between two versions of a model, in the terms of the results chain.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"

enum { OPT_FORMAT = CLI_OPT_FIRST, OPT_JSON };

static const struct cli_option options[] = {
    {OPT_FORMAT, 0, "format", "F",
     "text: for people (the default)\n"
     "json: {\"old\", \"new\", \"equal\", \"summary\": {counts},\n"
     "      \"changes\": [{\"what\": \"node\"|\"indicator\"|\"program\"|\n"
     "      \"level\"|\"table\"|\"status\"|\"model\",\n"
     "      \"change\": \"added\"|\"removed\"|\"renamed\"|\"level\"|\"link_added\"|\n"
     "      \"link_removed\"|\"field\"|\"attached\"|\n"
     "      \"detached\"|\"order\", \"id\", \"from\", \"to\", \"field\", ...}]}"},
    {OPT_JSON, 0, "json", NULL, "the same as --format json"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "diff",
    .synopsis = "Usage: tocm diff OLD NEW [--format text|json]\n",
    .about = "Says what changed from model OLD to model NEW: nodes added, removed and\n"
             "renamed; for each node, its title, level, other fields and links\n"
             "(\"now contributes to\", \"no longer contributes to\"); indicators added,\n"
             "removed, renamed, attached or changed; the program header, the levels,\n"
             "the tables, the status section and other top-level fields. Layout, node\n"
             "order, the order of links and the order of fields do\n"
             "not count. A removed and an added node on the same level are reported as\n"
             "a rename when their titles are the same, or when enough else matches\n"
             "(description, links in and out, other fields).\n"
             "\n"
             "Either file may be '-' for standard input, e.g. against the last commit:\n"
             "  git show HEAD:model.json | tocm diff - model.json\n",
    .tables = {options},
    .footer = "Exit status: 0 the models are the same, 1 they differ, 2 usage or a file\n"
              "that cannot be read as a model.\n",
};

static tocm_model *load(const char *path) {
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = NULL;
    int rc;
    if (strcmp(path, "-") == 0) {
        /* From the stream, not as a C string: a NUL byte is an error, not
         * the end of the model (bytes after it were once ignored). */
        rc = tocm_model_load_stream(stdin, "(standard input)", diags, &m);
    } else {
        rc = tocm_model_load_file(path, diags, &m);
    }
    if (rc != TOCM_OK)
        tocm_diags_print(diags, stderr);
    tocm_diags_free(diags);
    return m;
}

int cmd_diff(int argc, char **argv) {
    int json = 0, id;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while ((id = cli_parse_next(&p)) > 0) {
        switch (id) {
        case OPT_FORMAT:
            if (strcmp(p.arg, "json") == 0)
                json = 1;
            else if (strcmp(p.arg, "text") == 0)
                json = 0;
            else
                return cli_usage_error("diff", "--format is text or json, not '%s'", p.arg);
            break;
        case OPT_JSON: json = 1; break;
        }
    }
    if (p.status >= 0)
        return p.status;
    if (argc - optind != 2)
        return cli_usage_error("diff", "expected two MODEL files, OLD and NEW");
    const char *old_path = argv[optind], *new_path = argv[optind + 1];
    if (strcmp(old_path, "-") == 0 && strcmp(new_path, "-") == 0)
        return cli_usage_error("diff", "only one of OLD and NEW can be standard input");
    tocm_model *a = load(old_path);
    tocm_model *b = a ? load(new_path) : NULL;
    if (!a || !b) {
        fprintf(stderr, "tocm diff: cannot compare: %s is not a model tocm can read\n",
                a ? new_path : old_path);
        tocm_model_free(a);
        return EXIT_USAGE;
    }
    tocm_diff *d = tocm_diff_models(a, b);
    char *text =
        json ? tocm_diff_json(d, old_path, new_path) : tocm_diff_text(d, old_path, new_path);
    tocm_print_text(text, TOCM_TEXT_MULTILINE, stdout);
    free(text);
    int status = tocm_diff_count(d) ? EXIT_MODEL_ERRORS : EXIT_OK;
    tocm_diff_free(d);
    tocm_model_free(a);
    tocm_model_free(b);
    return status;
}
