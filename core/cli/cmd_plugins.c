/*
 * cmd_plugins.c -- `tocm plugins [--json]`: what was found and what each
 * plugin provides.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_opts.h"
#include "commands.h"
#include "tocm/host.h"

enum { OPT_JSON = CLI_OPT_FIRST };

static const struct cli_option options[] = {
    {OPT_JSON, 0, "json", NULL, "print the list as JSON"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "plugins",
    .synopsis = "Usage: tocm [--plugin FILE]... plugins [--json]\n",
    .about = "Loads every plugin tocm can find and lists each one's file, name, version\n"
             "and plugin ABI, with the calculators (for indicators) and exporters (for\n"
             "`tocm export` and `tocm render`) it provides, and the options each\n"
             "exporter takes (--option NAME=VALUE). Plugins that cannot be loaded are\n"
             "named on standard error with the reason.\n",
    .tables = {options},
};

static json_t *plugin_json(const struct tocm_registry *reg, size_t i) {
    const struct tocm_plugin *p = tocm_registry_plugin(reg, i);
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(tocm_registry_file(reg, i)));
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "version", p->version ? json_string(p->version) : json_null());
    char abi[32];
    snprintf(abi, sizeof abi, "%u.%u", TOCM_ABI_MAJOR_OF(p->abi), TOCM_ABI_MINOR_OF(p->abi));
    json_object_set_new(o, "abi", json_string(abi));
    json_object_set_new(o, "summary", p->summary ? json_string(p->summary) : json_null());
    json_t *calcs = json_array();
    for (size_t k = 0; p->calculators && p->calculators[k]; k++) {
        const struct tocm_calculator *c = tocm_registry_calculator(reg, p->calculators[k]->name);
        json_t *co = json_object();
        json_object_set_new(co, "name", json_string(c->name));
        json_object_set_new(co, "summary", c->summary ? json_string(c->summary) : json_null());
        json_object_set_new(co, "params",
                            c->params_help ? json_string(c->params_help) : json_null());
        json_array_append_new(calcs, co);
    }
    json_object_set_new(o, "calculators", calcs);
    json_t *exps = json_array();
    /* The exporters as the registry normalised them: an exporter of an
     * older ABI has no options slot to read in the plugin's own struct. */
    for (size_t k = 0; k < tocm_registry_exporter_count(reg); k++) {
        if (tocm_registry_exporter_plugin(reg, k) != i)
            continue;
        const struct tocm_exporter *e = tocm_registry_exporter(reg, k);
        json_t *eo = json_object();
        json_object_set_new(eo, "name", json_string(e->name));
        json_object_set_new(eo, "summary", e->summary ? json_string(e->summary) : json_null());
        json_t *formats = json_array();
        for (const char *const *f = e->formats; *f; f++)
            json_array_append_new(formats, json_string(*f));
        json_object_set_new(eo, "formats", formats);
        /* null: the exporter declares nothing (ABI 1.0, 1.1) and gets every
         * option unchecked; otherwise the options it takes. */
        json_t *opts = e->options ? json_array() : json_null();
        for (const struct tocm_option_info *d = e->options; d && d->name; d++)
            json_array_append_new(opts,
                                  json_pack("{s:s, s:o, s:o}", "name", d->name, "arg",
                                            d->arg ? json_string(d->arg) : json_null(), "help",
                                            d->help ? json_string(d->help) : json_null()));
        json_object_set_new(eo, "options", opts);
        json_array_append_new(exps, eo);
    }
    json_object_set_new(o, "exporters", exps);
    /* Table sources (ABI 1.5): what tables put in "database". */
    json_t *srcs = json_array();
    for (const struct tocm_source *const *s = p->sources; s && *s; s++)
        json_array_append_new(srcs,
                              json_pack("{s:s, s:o}", "name", (*s)->name, "summary",
                                        (*s)->summary ? json_string((*s)->summary) : json_null()));
    json_object_set_new(o, "sources", srcs);
    return o;
}

int cmd_plugins(int argc, char **argv) {
    int as_json = 0, id;
    struct cli_parser parser;
    cli_parse_begin(&parser, &command, argc, argv);
    while ((id = cli_parse_next(&parser)) > 0)
        as_json |= id == OPT_JSON;
    if (parser.status >= 0)
        return parser.status;
    if (argc != optind)
        return cli_usage_error("plugins", "this command takes no arguments");
    struct tocm_registry *reg = cli_load_registry();
    json_t *list = json_array();
    for (size_t i = 0; i < tocm_registry_count(reg); i++)
        json_array_append_new(list, plugin_json(reg, i));

    if (as_json) {
        char *path = tocm_registry_search_path();
        json_t *out = json_pack("{s:o, s:s, s:I}", "plugins", list, "search_path", path, "refused",
                                (json_int_t)tocm_registry_refused(reg));
        free(path);
        json_dumpf(out, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(out);
    } else {
        size_t i;
        json_t *p;
        json_array_foreach(list, i, p) {
            printf("%s %s (ABI %s)  %s\n", json_string_value(json_object_get(p, "name")),
                   json_string_value(json_object_get(p, "version")),
                   json_string_value(json_object_get(p, "abi")),
                   json_string_value(json_object_get(p, "file")));
            const char *summary = json_string_value(json_object_get(p, "summary"));
            if (summary)
                printf("    %s\n", summary);
            size_t k;
            json_t *item;
            json_array_foreach(json_object_get(p, "calculators"), k, item) {
                printf("    calculator %-10s %s\n",
                       json_string_value(json_object_get(item, "name")),
                       json_string_value(json_object_get(item, "summary")));
            }
            json_array_foreach(json_object_get(p, "sources"), k, item) {
                const char *what = json_string_value(json_object_get(item, "summary"));
                printf("    source     %-10s %s\n",
                       json_string_value(json_object_get(item, "name")), what ? what : "");
            }
            json_array_foreach(json_object_get(p, "exporters"), k, item) {
                printf("    exporter   %-10s formats:",
                       json_string_value(json_object_get(item, "name")));
                size_t f;
                json_t *format;
                json_array_foreach(json_object_get(item, "formats"), f, format) {
                    printf(" %s", json_string_value(format));
                }
                printf("  %s\n", json_string_value(json_object_get(item, "summary")));
                json_t *opts = json_object_get(item, "options");
                if (json_is_null(opts))
                    printf("        (declares no options: any --option is passed on)\n");
                size_t o;
                json_t *opt;
                json_array_foreach(opts, o, opt) {
                    const char *arg = json_string_value(json_object_get(opt, "arg"));
                    const char *help = json_string_value(json_object_get(opt, "help"));
                    char label[96];
                    snprintf(label, sizeof label, "%s=%s",
                             json_string_value(json_object_get(opt, "name")), arg ? arg : "VALUE");
                    printf("        --option %-22s %s\n", label, help ? help : "");
                }
            }
        }
        if (json_array_size(list) == 0)
            printf("no plugins found (searched: see 'tocm plugins --json')\n");
        json_decref(list);
    }
    tocm_registry_free(reg);
    return EXIT_OK;
}
