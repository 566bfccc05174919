/*
 * cmd_show.c -- `tocm show MODEL [--node ID] [--depth N]`: the results chain
 * as an indented tree, top level first, each node followed by the nodes that
 * contribute to it.
 *
 * A node with several parents is printed in full under the first and marked
 * "(repeat)" under the others, so the tree stays finite and short while still
 * showing every link.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "commands.h"

enum { OPT_NODE = CLI_OPT_FIRST, OPT_DEPTH };

static const struct cli_option options[] = {
    {OPT_NODE, 0, "node", "ID", "show only ID and what contributes to it"},
    {OPT_DEPTH, 0, "depth", "N", "stop N levels below the first node shown (0: that node only)"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "show",
    .synopsis = "Usage: tocm show MODEL [--node ID] [--depth N]\n",
    .about = "Prints the results chain as a tree: the top level (the goal) first, under\n"
             "each node the nodes that contribute to it. A node that contributes to\n"
             "several others is shown in full once and marked (repeat) afterwards.\n"
             "Nodes that reach no top-level node are listed as trees of their own.\n",
    .tables = {options},
};

/* Deeper nodes than this are drawn with this many guides and their depth
 * written out: a model may have thousands of levels, and full guides would
 * make the output quadratic in the depth. */
#define MAX_GUIDES 64

struct show {
    const tocm_model *m;
    long max_depth; /* -1: unlimited */
    char *shown;    /* 1 once a node has been printed in full */
    /* The walk, without recursion (a chain can be as deep as the model):
     * one frame per node on the path from the root, and for each depth
     * whether the node there was the last child of its parent. */
    struct frame {
        size_t node, next;
    } * stack;
    char *last;
};

static void print_node_line(struct show *s, size_t n, int repeat) {
    const tocm_model *m = s->m;
    long level = tocm_node_level(m, n);
    tocm_print_text(tocm_node_id(m, n), 0, stdout);
    fputs(" [", stdout);
    tocm_print_text(level >= 0 ? tocm_level_id(m, (size_t)level) : "?", 0, stdout);
    const char *country = tocm_node_country(m, n);
    const char *status = tocm_node_status(m, n);
    if (country) {
        fputs(", ", stdout);
        tocm_print_text(country, 0, stdout);
    }
    if (status) {
        fputs(", ", stdout);
        tocm_print_text(status, 0, stdout);
    }
    fputs("] ", stdout);
    tocm_print_text(tocm_node_title(m, n), 0, stdout);
    if (repeat)
        fputs(" (repeat)", stdout);
}

/* The guides in front of a child of a node at depth: one per ancestor
 * below the root, blank under a last child, then the child's branch. */
static void print_guides(const struct show *s, size_t depth, int last) {
    size_t drawn = depth < MAX_GUIDES ? depth : MAX_GUIDES;
    for (size_t d = 1; d <= drawn; d++)
        fputs(s->last[d] ? "    " : "│   ", stdout);
    if (depth > drawn)
        printf("[depth %zu] ", depth + 1);
    fputs(last ? "└── " : "├── ", stdout);
}

/* Prints the contributors of root below it, depth first. */
static void print_children(struct show *s, size_t root) {
    const tocm_model *m = s->m;
    size_t depth = 0; /* of the node on top of the stack */
    s->stack[0] = (struct frame){root, 0};
    for (;;) {
        struct frame *f = &s->stack[depth];
        size_t count = tocm_node_in_count(m, f->node);
        if (f->next == count) {
            if (depth == 0)
                return;
            depth--;
            continue;
        }
        size_t child = tocm_node_in(m, f->node, f->next++);
        int last = f->next == count;
        print_guides(s, depth, last);
        int repeat = s->shown[child];
        print_node_line(s, child, repeat);
        s->shown[child] = 1;
        size_t below = tocm_node_in_count(m, child);
        if (!repeat && below > 0 && s->max_depth >= 0 && (long)depth + 1 >= s->max_depth) {
            printf(" (+%zu contributing, not shown)\n", below);
            continue;
        }
        putchar('\n');
        if (repeat)
            continue;
        /* A node is pushed once (then it is shown), so depth < node count. */
        depth++;
        s->last[depth] = (char)last;
        s->stack[depth] = (struct frame){child, 0};
    }
}

static void print_tree(struct show *s, size_t root) {
    print_node_line(s, root, 0);
    size_t below = tocm_node_in_count(s->m, root);
    s->shown[root] = 1;
    if (s->max_depth == 0 && below > 0) {
        printf(" (+%zu contributing, not shown)\n", below);
        return;
    }
    putchar('\n');
    print_children(s, root);
}

int cmd_show(int argc, char **argv) {
    const char *node_id = NULL;
    long max_depth = -1;
    int id;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while ((id = cli_parse_next(&p)) > 0) {
        switch (id) {
        case OPT_NODE: node_id = p.arg; break;
        case OPT_DEPTH:
            max_depth = cli_parse_count(p.arg);
            if (max_depth < 0)
                return cli_usage_error("show", "--depth needs a whole number >= 0, not '%s'",
                                       p.arg);
            break;
        }
    }
    if (p.status >= 0)
        return p.status;
    if (argc - optind != 1)
        return cli_usage_error("show", "expected one MODEL file");
    tocm_model *m;
    int rc = cli_load_valid_model(argv[optind], &m);
    if (rc != EXIT_OK)
        return rc;

    struct show s = {.m = m, .max_depth = max_depth};
    size_t count = tocm_model_node_count(m);
    s.shown = calloc(count + 1, 1);
    s.stack = calloc(count + 1, sizeof *s.stack);
    s.last = calloc(count + 1, 1);
    if (!s.shown || !s.stack || !s.last) {
        fprintf(stderr, "tocm show: out of memory\n");
        free(s.shown);
        free(s.stack);
        free(s.last);
        tocm_model_free(m);
        return EXIT_USAGE;
    }
    if (node_id) {
        size_t n = tocm_model_find_node(m, node_id);
        if (n == TOCM_NO_NODE) {
            fprintf(stderr, "tocm show: %s has no node '%s'\n", argv[optind], node_id);
            rc = EXIT_USAGE;
        } else {
            print_tree(&s, n);
        }
    } else {
        /* Roots: nodes that contribute to nothing, in file order. The top
         * level comes first; orphans further down follow as their own trees. */
        for (int pass = 0; pass < 2; pass++)
            for (size_t n = 0; n < count; n++)
                if (tocm_node_out_count(m, n) == 0 && (tocm_node_level(m, n) == 0) == (pass == 0))
                    print_tree(&s, n);
    }
    free(s.shown);
    free(s.stack);
    free(s.last);
    tocm_model_free(m);
    return rc;
}
