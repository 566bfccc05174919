/*
 * cmd_validate.c -- `tocm validate MODEL [--json]`.
 */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"

static const char help[] =
    "Usage: tocm validate MODEL [--json]\n"
    "\n"
    "Checks MODEL against every rule of the tocm format (see models/FORMAT.md)\n"
    "and prints each finding on one line:\n"
    "  FILE: error: CODE /json/path: message\n"
    "\n"
    "  --json      print the findings as a JSON array instead\n"
    "  -h, --help  show this help\n"
    "\n"
    "Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage or I/O failure.\n";

int cmd_validate(int argc, char **argv) {
    static const struct option options[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default: return cli_usage_error("validate", "unknown option");
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("validate", "expected one MODEL file");
    const char *path = argv[optind];

    tocm_diags *diags = tocm_diags_new();
    tocm_model *model = NULL;
    int rc = tocm_model_load_file(path, diags, &model);
    if (rc == TOCM_OK)
        tocm_validate(model, diags);
    if (json)
        tocm_diags_print_json(diags, stdout);
    else
        tocm_diags_print(diags, rc == TOCM_EIO ? stderr : stdout);
    if (!json && rc == TOCM_OK) {
        tocm_print_text(path, 0, stdout);
        printf(": %zu node(s), %zu link(s): %zu error(s), %zu warning(s)\n",
               tocm_model_node_count(model), tocm_model_edge_count(model),
               tocm_diags_errors(diags), tocm_diags_warnings(diags));
    }
    int status = rc == TOCM_EIO                  ? EXIT_USAGE
                 : tocm_diags_errors(diags) > 0 ? EXIT_MODEL_ERRORS
                                                : EXIT_OK;
    tocm_model_free(model);
    tocm_diags_free(diags);
    return status;
}
