/*
 * cmd_edit.c -- the editing commands: add, set, link, unlink, rename, rm.
 *
 * Each one is a transaction of libtocm's edit API (edit_cli.c runs it):
 * lock and load MODEL, apply the change, validate, and write (atomically,
 * canonical layout) only if the change adds no error. What the change did
 * goes to stdout, one line each; refusals and findings to stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"
#include "edit_cli.h"

enum {
    OPT_ID = EDIT_OPT_OWN,
    OPT_LEVEL,
    OPT_TITLE,
    OPT_CONTRIBUTES_TO,
    OPT_SET,
    OPT_UNSET,
    OPT_AFTER,
    OPT_ATTACH,
    OPT_INFERRED,
    OPT_CASCADE,
    OPT_REATTACH,
};

/* ---- tocm add ------------------------------------------------------------ */

static const struct cli_option add_options[] = {
    {OPT_ID, 0, "id", "ID", "the new node's id (must not be in use)"},
    {OPT_LEVEL, 0, "level", "LEVEL", "one of the model's level ids"},
    {OPT_TITLE, 0, "title", "TITLE", "the result or work, as the program words it"},
    {OPT_CONTRIBUTES_TO, 0, "contributes-to", "ID",
     "a node at a higher level it contributes to\n"
     "(repeat for several)"},
    {OPT_SET, 0, "set", "KEY=VALUE",
     "any other field; see 'tocm set --help' for\n"
     "KEY=TEXT, KEY:=JSON, KEY+=TEXT"},
    {OPT_AFTER, 0, "after", "ID", "place the node right after node ID"},
    {OPT_INDICATOR, 0, "indicator", NULL, "add an indicator instead of a node"},
    {OPT_ATTACH, 0, "attach-to", "ID", "(indicators) a node the indicator measures"},
    CLI_OPTIONS_END,
};

static const struct cli_command add_command = {
    .name = "add",
    .synopsis = "Usage: tocm add MODEL --id ID --level LEVEL --title TITLE\n"
                "                [--contributes-to ID]... [--set KEY=VALUE]... [--after ID]\n"
                "       tocm add MODEL --indicator --id ID --title TITLE [--attach-to ID]...\n"
                "                [--set KEY=VALUE]...\n",
    .about = "Adds a node to the results chain (or, with --indicator, an indicator).\n"
             "A new node goes after the last node of its level (or of a higher level),\n"
             "so the file stays grouped by level; --after puts it after a given node.\n",
    .tables = {add_options, edit_common_options},
    .footer = EDIT_COMMON_FOOTER,
};

struct add_ctx {
    const char *id, *level, *title, *after;
    int indicator;
    const char **links, **attach, **sets;
    size_t link_count, attach_count, set_count;
};

static int apply_add(tocm_edit *e, void *p) {
    struct add_ctx *a = p;
    int rc = a->indicator ? tocm_edit_add_indicator(e, a->id, a->title)
                          : tocm_edit_add_node(e, a->id, a->level, a->title, a->after);
    for (size_t i = 0; rc == TOCM_OK && i < a->link_count; i++)
        rc = tocm_edit_link(e, a->id, a->links[i], 0);
    for (size_t i = 0; rc == TOCM_OK && i < a->attach_count; i++)
        rc = tocm_edit_link(e, a->id, a->attach[i], 0);
    for (size_t i = 0; rc == TOCM_OK && i < a->set_count; i++)
        rc = tocm_edit_assign(e, a->id, a->sets[i]);
    return rc;
}

static int add_option(void *ctx, int id, const char *arg) {
    struct add_ctx *a = ctx;
    switch (id) {
    case OPT_ID: a->id = arg; break;
    case OPT_LEVEL: a->level = arg; break;
    case OPT_TITLE: a->title = arg; break;
    case OPT_AFTER: a->after = arg; break;
    case OPT_CONTRIBUTES_TO: a->links[a->link_count++] = arg; break;
    case OPT_ATTACH: a->attach[a->attach_count++] = arg; break;
    case OPT_SET: a->sets[a->set_count++] = arg; break;
    }
    return 0;
}

int cmd_add(int argc, char **argv) {
    struct edit_cli o;
    edit_cli_init(&o, "add");
    struct add_ctx a = {0};
    /* Each repeatable option is given at most argc times. */
    a.links = cli_xcalloc((size_t)argc, sizeof *a.links);
    a.attach = cli_xcalloc((size_t)argc, sizeof *a.attach);
    a.sets = cli_xcalloc((size_t)argc, sizeof *a.sets);
    int status = edit_parse_options(&o, &add_command, argc, argv, add_option, &a);
    if (status >= 0)
        goto out;
    /* --indicator is the shared option (common_option took it): here it says
     * what to add; the new id is looked up as before, under any kind. */
    a.indicator = o.kind == TOCM_EDIT_INDICATOR;
    o.kind = TOCM_EDIT_ANY;
    if (argc - optind != 1)
        status = cli_usage_error("add", "expected one MODEL file");
    else if (!a.id || !a.title)
        status = cli_usage_error("add", "--id and --title are required");
    else if (!a.indicator && !a.level)
        status = cli_usage_error("add", "--level is required for a node");
    else if (a.indicator && (a.level || a.link_count || a.after))
        status = cli_usage_error("add", "an indicator has no --level, --contributes-to or "
                                        "--after; use --attach-to NODE");
    else if (!a.indicator && a.attach_count)
        status = cli_usage_error("add", "--attach-to is for indicators; a node uses "
                                        "--contributes-to");
    else
        status = edit_run(&o, argv[optind], apply_add, &a);
out:
    free(a.links);
    free(a.attach);
    free(a.sets);
    return status;
}

/* ---- tocm set ------------------------------------------------------------ */

static const struct cli_option set_options[] = {
    {OPT_UNSET, 0, "unset", "KEY",
     "remove the field (or member, or list entry) KEY;\n"
     "objects and lists left empty go too"},
    {OPT_TABLE, 0, "table", NULL, "ID names a table (its name in 'tables')"},
    {OPT_LEVEL_KIND, 0, "level", NULL, "ID names a level"},
    {OPT_SECTION, 0, "section", NULL, "ID is 'program' or 'status'"},
    CLI_OPTIONS_END,
};

static const struct cli_command set_command = {
    .name = "set",
    .synopsis = "Usage: tocm set MODEL ID [KEY=VALUE]... [--unset KEY]...\n",
    .about = "Changes fields of node ID, of indicator ID, of table ID, of level ID, or of\n"
             "the sections 'program' and 'status' (ID is then that word). Each KEY=VALUE\n"
             "is one of:\n"
             "  KEY=TEXT     the field becomes the text TEXT, as typed:\n"
             "                 status='some delays'   title='Wells built and used'\n"
             "  KEY:=JSON    the field becomes a JSON value (number, true/false, list,\n"
             "               object or \"quoted text\"):\n"
             "                 inferred:=true   partners:='[\"UNODC\", \"IOM\"]'   budget:=120000\n"
             "  KEY+=TEXT    adds TEXT to the list KEY (made if absent):\n"
             "                 partners+='Ministry of Justice'   assumptions+='Staff stay'\n"
             "  KEY-=TEXT    takes TEXT out of the list KEY (an emptied list is removed):\n"
             "                 partners-=UNODC\n"
             "KEY is a path to a member inside a field: names joined by dots, [N] for\n"
             "entry N of a list (from 0, as 'tocm validate' counts), [] for a new entry:\n"
             "                 targets.2014:=15000      baseline.value:=12\n"
             "                 targets.2014.label='Milestone 1'   thresholds.on_track:=0.9\n"
             "                 baseline.breakdown[0].value:=18\n"
             "                 breakdown_targets[]:='{\"period\": \"2025\", \"dims\": {\"sex\":\n"
             "                   \"female\"}, \"value\": 260}'\n"
             "                 tocm set model.json status thresholds.on_track:=0.9\n"
             "                 tocm set model.json 1.1 --unset targets.2014\n"
             "A name with a dot, a bracket, a quote or '=' in it is written in double\n"
             "quotes: targets.\"2024.1\":=5 (in a shell: 'targets.\"2024.1\":=5'). A missing\n"
             "object on the way is made when the format says the member is an object\n"
             "(baseline, thresholds, a period of targets); a target written as a number\n"
             "becomes {\"value\": N} when a member is set inside it. The value is checked\n"
             "as 'tocm validate' checks the file, and a refusal names its JSON path.\n"
             "Lists (partners, assumptions, contributes_to; an indicator's nodes) cannot\n"
             "be given a plain TEXT; contributes_to+=ID and contributes_to-=ID (nodes+=ID,\n"
             "nodes-=ID) are 'tocm link' and 'tocm unlink'. The id is changed with 'tocm\n"
             "rename', which updates every link. 'tocm diff' names changes by the same\n"
             "paths. Fields tocm does not know are set and kept like any other.\n",
    .tables = {set_options, edit_kind_options, edit_common_options},
    .footer = EDIT_COMMON_FOOTER,
};

struct set_ctx {
    const char *id;
    char **assignments;
    const char **unsets;
    size_t assignment_count, unset_count;
};

static int apply_set(tocm_edit *e, void *p) {
    struct set_ctx *s = p;
    int rc = TOCM_OK;
    for (size_t i = 0; rc == TOCM_OK && i < s->assignment_count; i++)
        rc = tocm_edit_assign(e, s->id, s->assignments[i]);
    for (size_t i = 0; rc == TOCM_OK && i < s->unset_count; i++)
        rc = tocm_edit_unset(e, s->id, s->unsets[i]);
    return rc;
}

static int set_option(void *ctx, int id, const char *arg) {
    struct set_ctx *s = ctx;
    if (id == OPT_UNSET)
        s->unsets[s->unset_count++] = arg;
    return 0;
}

int cmd_set(int argc, char **argv) {
    struct edit_cli o;
    edit_cli_init(&o, "set");
    struct set_ctx s = {0};
    s.unsets = cli_xcalloc((size_t)argc, sizeof *s.unsets);
    int status = edit_parse_options(&o, &set_command, argc, argv, set_option, &s);
    if (status >= 0)
        goto out;
    if (argc - optind < 2) {
        status = cli_usage_error("set", "expected MODEL, ID and at least one KEY=VALUE or "
                                        "--unset KEY");
        goto out;
    }
    s.id = argv[optind + 1];
    s.assignments = argv + optind + 2;
    s.assignment_count = (size_t)(argc - optind - 2);
    if (s.assignment_count + s.unset_count == 0) {
        status = cli_usage_error("set", "nothing to set: give KEY=VALUE or --unset KEY");
        goto out;
    }
    for (size_t i = 0; i < s.assignment_count; i++) {
        if (!strchr(s.assignments[i], '=') || s.assignments[i][0] == '=') {
            status = cli_usage_error("set", "'%s' is not KEY=VALUE", s.assignments[i]);
            goto out;
        }
    }
    status = edit_run(&o, argv[optind], apply_set, &s);
out:
    free(s.unsets);
    return status;
}

/* ---- tocm link / unlink --------------------------------------------------- */

static const struct cli_option link_options[] = {
    {OPT_INFERRED, 0, "inferred", NULL,
     "mark the link as the modeller's inference (adds TO to\n"
     "FROM's 'inferred' list)"},
    CLI_OPTIONS_END,
};

static const struct cli_command link_command_spec = {
    .name = "link",
    .synopsis = "Usage: tocm link MODEL FROM TO... [--inferred]\n",
    .about = "Node FROM now contributes to node TO (each TO, when several). TO must be\n"
             "at a higher level. When FROM is an indicator, it is attached to node TO.\n",
    .tables = {link_options, edit_kind_options, edit_common_options},
    .footer = EDIT_COMMON_FOOTER,
};

static const struct cli_command unlink_command_spec = {
    .name = "unlink",
    .synopsis = "Usage: tocm unlink MODEL FROM TO...\n",
    .about = "Node FROM no longer contributes to node TO (an inferred mark on the link\n"
             "goes with it). When FROM is an indicator, it is detached from node TO.\n"
             "A node left contributing to nothing is reported (warning W201).\n",
    .tables = {edit_kind_options, edit_common_options},
    .footer = EDIT_COMMON_FOOTER,
};

struct link_ctx {
    const char *from;
    char **to;
    size_t to_count;
    int inferred, unlink;
};

static int apply_link(tocm_edit *e, void *p) {
    struct link_ctx *l = p;
    int rc = TOCM_OK;
    for (size_t i = 0; rc == TOCM_OK && i < l->to_count; i++)
        rc = l->unlink ? tocm_edit_unlink(e, l->from, l->to[i])
                       : tocm_edit_link(e, l->from, l->to[i], l->inferred);
    return rc;
}

static int link_option(void *ctx, int id, const char *arg) {
    struct link_ctx *l = ctx;
    (void)arg;
    if (id == OPT_INFERRED)
        l->inferred = 1;
    return 0;
}

static int link_command(int argc, char **argv, int unlink) {
    const char *name = unlink ? "unlink" : "link";
    struct edit_cli o;
    edit_cli_init(&o, name);
    struct link_ctx l = {.unlink = unlink};
    int status = edit_parse_options(&o, unlink ? &unlink_command_spec : &link_command_spec, argc,
                                    argv, link_option, &l);
    if (status >= 0)
        return status;
    if (argc - optind < 3)
        return cli_usage_error(name, "expected MODEL, FROM and at least one TO");
    l.from = argv[optind + 1];
    l.to = argv + optind + 2;
    l.to_count = (size_t)(argc - optind - 2);
    return edit_run(&o, argv[optind], apply_link, &l);
}

int cmd_link(int argc, char **argv) { return link_command(argc, argv, 0); }
int cmd_unlink(int argc, char **argv) { return link_command(argc, argv, 1); }

/* ---- tocm rename ----------------------------------------------------------- */

static const struct cli_command rename_command = {
    .name = "rename",
    .synopsis = "Usage: tocm rename MODEL OLD NEW\n",
    .about = "Gives node OLD the id NEW and updates every reference to it: the\n"
             "contributes_to and inferred lists of all nodes, and the nodes every\n"
             "indicator is attached to. Renames an indicator when OLD is one. NEW must\n"
             "not be in use.\n",
    .tables = {edit_kind_options, edit_common_options},
    .footer = EDIT_COMMON_FOOTER,
};

struct rename_ctx {
    const char *old_id, *new_id;
};

static int apply_rename(tocm_edit *e, void *p) {
    struct rename_ctx *r = p;
    return tocm_edit_rename(e, r->old_id, r->new_id);
}

int cmd_rename(int argc, char **argv) {
    struct edit_cli o;
    edit_cli_init(&o, "rename");
    int status = edit_parse_options(&o, &rename_command, argc, argv, NULL, NULL);
    if (status >= 0)
        return status;
    if (argc - optind != 3)
        return cli_usage_error("rename", "expected MODEL, OLD and NEW");
    struct rename_ctx r = {argv[optind + 1], argv[optind + 2]};
    return edit_run(&o, argv[optind], apply_rename, &r);
}

/* ---- tocm rm ------------------------------------------------------------------ */

static const struct cli_option rm_options[] = {
    {OPT_CASCADE, 0, "cascade", NULL,
     "also remove every node that contributed only to\n"
     "removed nodes (recursively); other nodes and\n"
     "indicators just lose their links to them, and an\n"
     "indicator left attached to nothing is removed"},
    {OPT_REATTACH, 0, "reattach-to", "ID",
     "what contributed to the node (and the indicators\n"
     "attached to it) now points at node ID instead"},
    CLI_OPTIONS_END,
};

static const struct cli_command rm_command = {
    .name = "rm",
    .synopsis = "Usage: tocm rm MODEL ID... [--cascade | --reattach-to ID]\n",
    .about = "Removes node ID (or an indicator). tocm refuses to remove a node that\n"
             "other nodes still contribute to, or that an indicator is attached to,\n"
             "unless told what to do with those links (--cascade, --reattach-to).\n"
             "Try -n (--dry-run) first to see what a cascade would take with it.\n",
    .tables = {rm_options, edit_kind_options, edit_common_options},
    .footer = EDIT_COMMON_FOOTER,
};

struct rm_ctx {
    char **ids;
    size_t id_count;
    enum tocm_remove_mode mode;
    const char *reattach_to;
    int cascade;
};

static int apply_rm(tocm_edit *e, void *p) {
    struct rm_ctx *r = p;
    int rc = TOCM_OK;
    for (size_t i = 0; rc == TOCM_OK && i < r->id_count; i++)
        rc = tocm_edit_remove(e, r->ids[i], r->mode, r->reattach_to);
    return rc;
}

static int rm_option(void *ctx, int id, const char *arg) {
    struct rm_ctx *r = ctx;
    if (id == OPT_CASCADE)
        r->cascade = 1;
    else if (id == OPT_REATTACH)
        r->reattach_to = arg;
    return 0;
}

int cmd_rm(int argc, char **argv) {
    struct edit_cli o;
    edit_cli_init(&o, "rm");
    struct rm_ctx r = {.mode = TOCM_REMOVE_ONLY};
    int status = edit_parse_options(&o, &rm_command, argc, argv, rm_option, &r);
    if (status >= 0)
        return status;
    if (r.cascade && r.reattach_to)
        return cli_usage_error("rm", "--cascade and --reattach-to cannot be used together");
    if (argc - optind < 2)
        return cli_usage_error("rm", "expected MODEL and at least one ID");
    r.mode = r.cascade       ? TOCM_REMOVE_CASCADE
             : r.reattach_to ? TOCM_REMOVE_REATTACH
                             : TOCM_REMOVE_ONLY;
    r.ids = argv + optind + 1;
    r.id_count = (size_t)(argc - optind - 1);
    return edit_run(&o, argv[optind], apply_rm, &r);
}
