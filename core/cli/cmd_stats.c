/*
 * cmd_stats.c -- `tocm stats MODEL [--json]`: how big the chain is, per level
 * and per country.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"

enum { OPT_JSON = CLI_OPT_FIRST };

static const struct cli_option options[] = {
    {OPT_JSON, 0, "json", NULL,
     "print {\"nodes\", \"edges\", \"by_level\", \"by_country\",\n"
     "\"without_country\"} as JSON"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "stats",
    .synopsis = "Usage: tocm stats MODEL [--json]\n",
    .about = "Counts the nodes and links of MODEL, the nodes on each level, and the\n"
             "nodes in each country (nodes without a country, such as regional work,\n"
             "are counted apart).\n",
    .tables = {options},
};

/* text escaped for the terminal (titles and codes come from the model),
 * left-aligned in width bytes. */
static void print_padded(const char *text, int width) {
    char *safe = cli_text_escaped(text);
    printf("%-*s", width, safe);
    free(safe);
}

static int compare_keys(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cmd_stats(int argc, char **argv) {
    int as_json = 0, id;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while ((id = cli_parse_next(&p)) > 0)
        as_json |= id == OPT_JSON;
    if (p.status >= 0)
        return p.status;
    if (argc - optind != 1)
        return cli_usage_error("stats", "expected one MODEL file");
    tocm_model *m;
    int rc = cli_load_valid_model(argv[optind], &m);
    if (rc != EXIT_OK)
        return rc;

    size_t levels = tocm_model_level_count(m), nodes = tocm_model_node_count(m);
    size_t *per_level = calloc(levels ? levels : 1, sizeof *per_level);
    json_t *by_country = json_object();
    size_t without_country = 0;
    for (size_t n = 0; n < nodes; n++) {
        per_level[tocm_node_level(m, n)]++; /* valid model: every level known */
        const char *country = tocm_node_country(m, n);
        if (!country) {
            without_country++;
            continue;
        }
        json_t *count = json_object_get(by_country, country);
        json_object_set_new(by_country, country,
                            json_integer(count ? json_integer_value(count) + 1 : 1));
    }
    /* Countries sorted by code, so the output is stable. */
    size_t countries = json_object_size(by_country);
    const char **codes = calloc(countries ? countries : 1, sizeof *codes);
    const char *key;
    json_t *value;
    size_t k = 0;
    json_object_foreach(by_country, key, value) codes[k++] = key;
    qsort(codes, countries, sizeof *codes, compare_keys);

    if (as_json) {
        json_t *out = json_object();
        json_object_set_new(out, "nodes", json_integer((json_int_t)nodes));
        json_object_set_new(out, "edges", json_integer((json_int_t)tocm_model_edge_count(m)));
        json_t *bl = json_object();
        for (size_t l = 0; l < levels; l++)
            json_object_set_new(bl, tocm_level_id(m, l), json_integer((json_int_t)per_level[l]));
        json_object_set_new(out, "by_level", bl);
        json_t *bc = json_object();
        for (size_t i = 0; i < countries; i++)
            json_object_set(bc, codes[i], json_object_get(by_country, codes[i]));
        json_object_set_new(out, "by_country", bc);
        json_object_set_new(out, "without_country", json_integer((json_int_t)without_country));
        json_dumpf(out, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(out);
    } else {
        const char *title = tocm_model_program_title(m);
        print_padded(tocm_model_program_id(m), 0);
        if (title) {
            fputs(": ", stdout);
            print_padded(title, 0);
        }
        printf("\n%zu nodes, %zu links\n\nBy level\n", nodes, tocm_model_edge_count(m));
        for (size_t l = 0; l < levels; l++) {
            fputs("  ", stdout);
            print_padded(tocm_level_id(m, l), 14);
            putchar(' ');
            print_padded(tocm_level_title(m, l), 36);
            printf(" %6zu\n", per_level[l]);
        }
        printf("\nBy country\n");
        for (size_t i = 0; i < countries; i++) {
            fputs("  ", stdout);
            print_padded(codes[i], 51);
            printf(" %6lld\n",
                   (long long)json_integer_value(json_object_get(by_country, codes[i])));
        }
        printf("  %-51s %6zu\n", "(no country)", without_country);
    }
    free(codes);
    free(per_level);
    json_decref(by_country);
    tocm_model_free(m);
    return EXIT_OK;
}
