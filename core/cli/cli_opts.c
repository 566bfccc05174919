/*
 * cli_opts.c -- table-driven options (cli_opts.h): the getopt_long table
 * and the --help text built from one declaration per command, and the one
 * parser of --option NAME=VALUE.
 */
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"

static const struct cli_option help_option = {'h', 'h', "help", NULL, "show this help"};

/* Every option of cmd, its own tables' then help, into all (room for
 * CLI_MAX_OPTIONS + 1). Returns the count. */
static size_t all_options(const struct cli_command *cmd, const struct cli_option **all) {
    size_t n = 0;
    for (size_t t = 0; t < 4 && cmd->tables[t]; t++) {
        for (const struct cli_option *o = cmd->tables[t]; o->name; o++) {
            if (n == CLI_MAX_OPTIONS) {
                fprintf(stderr, "tocm %s: more than %d options declared\n",
                        cmd->name ? cmd->name : "", CLI_MAX_OPTIONS);
                abort(); /* a programming error, caught by any test of the command */
            }
            all[n++] = o;
        }
    }
    all[n++] = &help_option;
    /* getopt returns a short option's letter: it must be the id; and two
     * options with one id could not be told apart. */
    for (size_t i = 0; i < n; i++) {
        int bad = all[i]->short_name && all[i]->id != all[i]->short_name;
        for (size_t k = 0; k < i && !bad; k++)
            bad = all[k]->id == all[i]->id;
        if (bad) {
            fprintf(stderr, "tocm %s: option --%s is declared with a clashing id\n",
                    cmd->name ? cmd->name : "", all[i]->name);
            abort();
        }
    }
    return n;
}

/* "  -o, --output FILE" or "      --strict" (aligned under the long names
 * of options that have a short one) or "  --strict" (none has). new. */
static char *option_label(const struct cli_option *o, int indent_long) {
    struct cli_buf b = {0};
    char head[8] = "  -x, ";
    if (o->short_name)
        head[3] = o->short_name;
    else
        strcpy(head, indent_long ? "      " : "  ");
    cli_buf_append(&b, head, strlen(head));
    cli_buf_append(&b, "--", 2);
    cli_buf_append(&b, o->name, strlen(o->name));
    if (o->arg) {
        cli_buf_append(&b, " ", 1);
        cli_buf_append(&b, o->arg, strlen(o->arg));
    }
    return b.data;
}

void cli_print_help(const struct cli_command *cmd, FILE *out) {
    fputs(cmd->synopsis, out);
    if (cmd->about) {
        fputc('\n', out);
        fputs(cmd->about, out);
    }
    if (cmd->print_more)
        cmd->print_more(out); /* ends with the options' heading */
    else
        fputc('\n', out);
    const struct cli_option *all[CLI_MAX_OPTIONS + 1];
    size_t n = all_options(cmd, all);
    /* Long names line up when some option has a short name besides -h. */
    int indent_long = 0;
    for (size_t i = 0; i + 1 < n; i++)
        indent_long |= all[i]->short_name != 0;
    size_t width = 0;
    for (size_t i = 0; i < n; i++) {
        char *label = option_label(all[i], indent_long);
        if (strlen(label) > width)
            width = strlen(label);
        free(label);
    }
    /* A very long label would push every help far right: past 28 columns
     * its help starts on the next line instead. */
    size_t column = (width > 28 ? 28 : width) + 2;
    for (size_t i = 0; i < n; i++) {
        const struct cli_option *o = all[i];
        char *label = option_label(o, indent_long);
        fputs(label, out);
        size_t used = strlen(label);
        free(label);
        if (used + 1 >= column) {
            fputc('\n', out);
            used = 0;
        }
        for (const char *line = o->help; line;) {
            const char *nl = strchr(line, '\n');
            fprintf(out, "%*s%.*s\n", (int)(column - used), "",
                    nl ? (int)(nl - line) : (int)strlen(line), line);
            used = 0;
            line = nl ? nl + 1 : NULL;
        }
    }
    if (cmd->footer) {
        fputc('\n', out);
        fputs(cmd->footer, out);
    }
}

void cli_parse_begin(struct cli_parser *p, const struct cli_command *cmd, int argc, char **argv) {
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    p->status = -1;
    const struct cli_option *all[CLI_MAX_OPTIONS + 1];
    size_t n = all_options(cmd, all), s = 0;
    if (cmd->stop_at_operand)
        p->shortopts[s++] = '+';
    for (size_t i = 0; i < n; i++) {
        const struct cli_option *o = all[i];
        p->longopts[i] =
            (struct option){o->name, o->arg ? required_argument : no_argument, NULL, o->id};
        if (o->short_name) {
            p->shortopts[s++] = o->short_name;
            if (o->arg)
                p->shortopts[s++] = ':';
        }
    }
    p->longopts[n] = (struct option){0, 0, 0, 0};
    p->shortopts[s] = '\0';
}

int cli_parse_next(struct cli_parser *p) {
    if (p->status >= 0)
        return -1;
    int c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, NULL);
    p->arg = optarg;
    if (c == -1)
        return 0;
    if (c == 'h') {
        cli_print_help(p->cmd, stdout);
        p->status = EXIT_OK;
        return -1;
    }
    if (c == '?' || c == ':') {
        /* getopt has said which option; point at the help (or, at the top
         * level, show it). */
        if (p->cmd->name)
            p->status = cli_usage_error(p->cmd->name, "unknown option");
        else
            cli_print_help(p->cmd, stderr), p->status = EXIT_USAGE;
        return -1;
    }
    return c;
}

void cli_export_options_set(struct cli_export_options *o, const char *name, const char *value) {
    size_t i = 0;
    while (i < o->count && strcmp(o->items[i].name, name) != 0)
        i++;
    if (i == o->count) {
        if (o->count == o->cap) {
            o->cap = o->cap ? o->cap * 2 : 8;
            o->items = cli_xrealloc(o->items, o->cap * sizeof *o->items);
        }
        o->items[o->count++].name = cli_xstrdup(name);
    } else {
        free((char *)o->items[i].value);
    }
    o->items[i].value = cli_xstrdup(value);
}

int cli_export_options_parse(struct cli_export_options *o, const char *cmd, const char *text) {
    const char *eq = strchr(text, '=');
    if (!eq || eq == text)
        return cli_usage_error(cmd, "--option needs NAME=VALUE, not '%s'", text);
    char *name = cli_xstrdup(text);
    name[eq - text] = '\0';
    cli_export_options_set(o, name, eq + 1);
    free(name);
    return 0;
}

void cli_export_options_free(struct cli_export_options *o) {
    for (size_t i = 0; i < o->count; i++) {
        free((char *)o->items[i].name);
        free((char *)o->items[i].value);
    }
    free(o->items);
    memset(o, 0, sizeof *o);
}
