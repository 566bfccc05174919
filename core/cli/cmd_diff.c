/*
 * cmd_diff.c -- `tocm diff OLD NEW [--format text|json]`: what changed
 * between two versions of a model, in the terms of the results chain.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util.h"
#include "commands.h"

static const char help[] =
    "Usage: tocm diff OLD NEW [--format text|json]\n"
    "\n"
    "Says what changed from model OLD to model NEW: nodes added, removed and\n"
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
    "  git show HEAD:model.json | tocm diff - model.json\n"
    "\n"
    "  --format text  for people (the default)\n"
    "  --format json  {\"old\", \"new\", \"equal\", \"summary\": {counts},\n"
    "                 \"changes\": [{\"what\": \"node\"|\"indicator\"|\"program\"|\n"
    "                 \"level\"|\"table\"|\"status\"|\"model\",\n"
    "                 \"change\": \"added\"|\"removed\"|\"renamed\"|\"level\"|\"link_added\"|\n"
    "                 \"link_removed\"|\"field\"|\"attached\"|\n"
    "                 \"detached\"|\"order\", \"id\", \"from\", \"to\", \"field\", ...}]}\n"
    "  --json         the same as --format json\n"
    "  -h, --help     show this help\n"
    "\n"
    "Exit status: 0 the models are the same, 1 they differ, 2 usage or a file\n"
    "that cannot be read as a model.\n";

static tocm_model *load(const char *path) {
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = NULL;
    int rc;
    if (strcmp(path, "-") == 0) {
        tocmp_buf b = {0};
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
            tocmp_buf_append(&b, chunk, n);
        rc = tocm_model_load_string(b.data ? b.data : "", "(standard input)", diags, &m);
        free(b.data);
    } else {
        rc = tocm_model_load_file(path, diags, &m);
    }
    if (rc != TOCM_OK)
        tocm_diags_print(diags, stderr);
    tocm_diags_free(diags);
    return m;
}

int cmd_diff(int argc, char **argv) {
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = 1;
            else if (strcmp(optarg, "text") == 0)
                json = 0;
            else
                return cli_usage_error("diff", "--format is text or json, not '%s'", optarg);
            break;
        case 'j': json = 1; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return cli_usage_error("diff", "unknown option");
        }
    }
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
    char *text = json ? tocm_diff_json(d, old_path, new_path)
                      : tocm_diff_text(d, old_path, new_path);
    fputs(text, stdout);
    free(text);
    int status = tocm_diff_count(d) ? EXIT_MODEL_ERRORS : EXIT_OK;
    tocm_diff_free(d);
    tocm_model_free(a);
    tocm_model_free(b);
    return status;
}
