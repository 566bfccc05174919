/*
 * cmd_init.c -- `tocm init DIR [--template NAME]`: a new model folder from
 * one of the built-in templates (core/init.c), and `tocm init --list`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "commands.h"
#include "tocm/interchange.h"

enum { OPT_LIST = CLI_OPT_FIRST };

static const struct cli_option options[] = {
    {'t', 't', "template", "NAME",
     "the tier set to start from (default toc);\n"
     "--list names them"},
    {OPT_LIST, 0, "list", NULL, "list the templates and their levels"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "init",
    .synopsis = "Usage: tocm init DIR [--template NAME]\n"
                "       tocm init --list\n",
    .about = "Creates the folder DIR with a new model, DIR/model.json, and its data\n"
             "folder, DIR/data/, from a built-in template: the template's levels and a\n"
             "small worked example (a results chain and one indicator) to replace\n"
             "with your own. The program id is DIR's name. DIR must not exist or be\n"
             "empty; it appears whole or not at all.\n",
    .tables = {options},
    .footer = "Templates: toc (ASEAN-ACT-style theory of change), logframe (DFID),\n"
              "usaid (results framework).\n",
};

static void list_templates(FILE *out) {
    for (size_t i = 0; i < tocm_template_count(); i++) {
        const struct tocm_template_info *t = tocm_template_get(i);
        fprintf(out, "%-9s %s\n", t->name, t->summary);
    }
}

int cmd_init(int argc, char **argv) {
    const char *template_name = "toc";
    int list = 0, id;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while ((id = cli_parse_next(&p)) > 0) {
        switch (id) {
        case 't': template_name = p.arg; break;
        case OPT_LIST: list = 1; break;
        }
    }
    if (p.status >= 0)
        return p.status;
    if (list) {
        if (argc - optind != 0)
            return cli_usage_error("init", "--list takes no folder");
        list_templates(stdout);
        return EXIT_OK;
    }
    if (argc - optind != 1)
        return cli_usage_error("init", "expected one folder, DIR");
    int known = 0;
    for (size_t i = 0; i < tocm_template_count(); i++)
        known |= strcmp(tocm_template_get(i)->name, template_name) == 0;
    if (!known) {
        fprintf(stderr, "tocm init: no template '%s'; the templates are:\n", template_name);
        list_templates(stderr);
        return EXIT_USAGE;
    }
    const char *dir = argv[optind];
    char err[TOCM_MESSAGE_SIZE];
    if (tocm_init_dir(dir, template_name, err, sizeof err) != TOCM_OK) {
        fprintf(stderr, "tocm init: %s\n", err);
        return EXIT_USAGE;
    }
    printf("Created %s/model.json (template %s) and %s/data/.\n"
           "Next: replace the worked example with your framework (tocm rename, tocm set,\n"
           "tocm add, tocm rm), enter results in %s/data/results.csv, and check with\n"
           "  tocm validate %s/model.json\n",
           dir, template_name, dir, dir, dir);
    return EXIT_OK;
}
