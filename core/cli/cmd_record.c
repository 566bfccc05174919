/*
 * cmd_record.c -- tocm record: figures entered directly, for indicators
 * whose figures nobody computes (calculator "recorded"), written to the
 * indicator's results table through the edit transaction (locked, checked,
 * atomic; the model changes only when the table is new). The checks and the
 * table are libtocm's (core/record*.c; record_internal.h says which file does what).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"
#include "edit_cli.h"

enum {
    OPT_PERIOD = EDIT_OPT_OWN,
    OPT_DIM,
    OPT_COMMENT,
    OPT_SOURCE,
    OPT_STATUS,
    OPT_REPLACE,
    OPT_FROM,
};

static const struct cli_option record_options[] = {
    {OPT_PERIOD, 0, "period", "P", "the period of the figure, one of the indicator's"},
    {OPT_DIM, 0, "dim", "KEY=VALUE",
     "the breakdown it is for, e.g. --dim country=KH\n"
     "(one for each column the indicator is broken down by)"},
    {OPT_COMMENT, 0, "comment", "TEXT", "a comment shown beside the figure"},
    {OPT_SOURCE, 0, "source", "TEXT", "where the figure comes from (means of verification)"},
    {OPT_STATUS, 0, "status", "TEXT",
     "a qualitative indicator's own assessment\n"
     "(e.g. 'on track')"},
    {OPT_REPLACE, 0, "replace", NULL,
     "replace a figure already recorded for the same period\n"
     "and breakdown (otherwise that is refused)"},
    {OPT_FROM, 0, "from", "FILE",
     "record every line of a CSV file with the same columns\n"
     "(period, breakdowns, value, comment, source, status)"},
    CLI_OPTIONS_END,
};

static const struct cli_command record_command = {
    .name = "record",
    .synopsis = "Usage: tocm record MODEL INDICATOR --period P [--dim KEY=VALUE]... VALUE\n"
                "                   [--comment TEXT] [--source TEXT] [--status TEXT] [--replace]\n"
                "       tocm record MODEL INDICATOR --from FILE.csv [--replace]\n",
    .about = "Records a figure of an indicator whose figures are entered directly (calculator\n"
             "'recorded'), in its results table next to the model (period, breakdown, value,\n"
             "comment, source). An indicator with no results table gets one,\n"
             "data/results_ID.csv, wired into it in MODEL. VALUE is a number of the\n"
             "indicator's measure (percentages as people write them: 54 for 54 %), or a\n"
             "text for a qualitative indicator; an empty VALUE ('') with a --comment saying\n"
             "why records a figure not reported. A negative VALUE goes after '--'.\n"
             "  tocm record model.json 1.2 --period 2025 --dim country=KH 26 \\\n"
             "      --source 'Case register, December 2025'\n"
             "  tocm record model.json 1.2 --period 2025 --dim country=LA '' \\\n"
             "      --comment 'Not yet received from the prosecutor'\n"
             "  tocm record model.json 1.2 --from figures-2025.csv\n"
             "The period must be one of the indicator's (its targets', the program's years,\n"
             "the table's), every breakdown of the indicator given (a country one of the\n"
             "program's), and no figure there yet for that period and breakdown unless\n"
             "--replace. --from refuses the whole file if any line is bad, listing each.\n"
             "Text that a spreadsheet would run as a formula (=, +, -, @ first) is written\n"
             "with a leading apostrophe.\n",
    .tables = {record_options, edit_common_options},
    .footer = "MODEL and the table are written only if every figure is right and the model\n"
              "stays valid; atomically, the table first. Exit status: 0 recorded, 1 refused\n"
              "(every problem listed), 2 usage or I/O failure (including a lock timeout).\n",
};

struct record_ctx {
    const char *id, *from;
    tocm_record rec;
    const char **keys, **values; /* --dim, split */
    int replace;
    tocm_diags *problems;
    const char *cmd;
};

static int record_option(void *p, int id, const char *arg) {
    struct record_ctx *r = p;
    switch (id) {
    case OPT_PERIOD: r->rec.period = arg; break;
    case OPT_COMMENT: r->rec.comment = arg; break;
    case OPT_SOURCE: r->rec.source = arg; break;
    case OPT_STATUS: r->rec.status = arg; break;
    case OPT_REPLACE: r->replace = 1; break;
    case OPT_FROM: r->from = arg; break;
    case OPT_DIM: {
        const char *eq = strchr(arg, '=');
        if (!eq || eq == arg)
            return cli_usage_error("record", "--dim needs KEY=VALUE (e.g. country=KH), not '%s'",
                                   arg);
        size_t n = r->rec.dim_count++;
        char *key = cli_xstrdup(arg);
        key[eq - arg] = '\0';
        r->keys[n] = key;
        r->values[n] = eq + 1;
        break;
    }
    }
    return 0;
}

/* Prints each problem: "FILE:LINE: column 'value': why" for a file's lines,
 * "tocm record: why" for the command line's one figure. */
static void print_problems(const struct record_ctx *r) {
    for (size_t i = 0; i < tocm_diags_count(r->problems); i++) {
        const tocm_diag *d = tocm_diags_get(r->problems, i);
        if (d->file && *d->file) {
            tocm_print_text(d->file, 0, stderr);
            if (d->line)
                fprintf(stderr, ":%d", d->line);
            fputs(": error: ", stderr);
            if (d->path && *d->path) {
                fputs("column '", stderr);
                tocm_print_text(d->path, 0, stderr);
                fputs("': ", stderr);
            }
        } else {
            fprintf(stderr, "tocm %s: error: ", r->cmd);
        }
        tocm_print_text(d->message, 0, stderr);
        fputc('\n', stderr);
    }
}

static int apply_record(tocm_edit *e, void *p) {
    struct record_ctx *r = p;
    int flags = r->replace ? TOCM_RECORD_REPLACE : 0;
    int rc = r->from ? tocm_edit_record_csv(e, r->id, r->from, flags, r->problems)
                     : tocm_edit_record(e, r->id, &r->rec, 1, flags, NULL, r->problems);
    /* One figure's one problem is the refusal itself; a file's are listed. */
    if (rc != TOCM_OK && (r->from || tocm_diags_count(r->problems) > 1))
        print_problems(r);
    return rc;
}

int cmd_record(int argc, char **argv) {
    struct edit_cli o;
    edit_cli_init(&o, "record");
    struct record_ctx r = {.cmd = "record"};
    r.keys = cli_xcalloc((size_t)argc + 1, sizeof *r.keys);
    r.values = cli_xcalloc((size_t)argc + 1, sizeof *r.values);
    r.problems = tocm_diags_new();
    int status = edit_parse_options(&o, &record_command, argc, argv, record_option, &r);
    if (status >= 0)
        goto out;
    int operands = argc - optind;
    if (r.from) {
        if (operands != 2) {
            status = cli_usage_error("record", "with --from, give MODEL and INDICATOR only");
        } else if (r.rec.period || r.rec.dim_count || r.rec.comment || r.rec.source ||
                   r.rec.status) {
            status = cli_usage_error("record", "--from takes every figure from the file: no "
                                               "--period, --dim, --comment, --source or --status");
        }
    } else if (operands != 3) {
        status =
            cli_usage_error("record", operands < 3 ? "expected MODEL, INDICATOR and VALUE"
                                                   : "expected MODEL, INDICATOR and one VALUE (a "
                                                     "text with spaces goes in quotes)");
    } else if (!r.rec.period) {
        status = cli_usage_error("record", "--period is required (the period of the figure)");
    }
    if (status >= 0)
        goto out;
    r.id = argv[optind + 1];
    r.rec.value = r.from ? NULL : argv[optind + 2];
    r.rec.dim_keys = r.keys;
    r.rec.dim_values = r.values;
    status = edit_run(&o, argv[optind], apply_record, &r);
out:
    for (size_t i = 0; i < r.rec.dim_count; i++)
        free((void *)r.keys[i]);
    free(r.keys);
    free(r.values);
    tocm_diags_free(r.problems);
    return status;
}
