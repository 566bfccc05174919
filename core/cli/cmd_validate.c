/*
 * cmd_validate.c -- `tocm validate MODEL [--json]`.
 */
#include <stdio.h>

#include "cli_opts.h"
#include "commands.h"

enum { OPT_JSON = CLI_OPT_FIRST };

static const struct cli_option options[] = {
    {OPT_JSON, 0, "json", NULL, "print the findings as a JSON array instead"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "validate",
    .synopsis = "Usage: tocm validate MODEL [--json]\n",
    .about = "Checks MODEL against every rule of the tocm format (see models/FORMAT.md)\n"
             "and prints each finding on one line:\n"
             "  FILE: error: CODE /json/path: message\n",
    .tables = {options},
    .footer = "Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage or I/O failure.\n",
};

int cmd_validate(int argc, char **argv) {
    int json = 0, id;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while ((id = cli_parse_next(&p)) > 0)
        json |= id == OPT_JSON;
    if (p.status >= 0)
        return p.status;
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
               tocm_model_node_count(model), tocm_model_edge_count(model), tocm_diags_errors(diags),
               tocm_diags_warnings(diags));
    }
    int status = rc == TOCM_EIO                 ? EXIT_USAGE
                 : tocm_diags_errors(diags) > 0 ? EXIT_MODEL_ERRORS
                                                : EXIT_OK;
    tocm_model_free(model);
    tocm_diags_free(diags);
    return status;
}
