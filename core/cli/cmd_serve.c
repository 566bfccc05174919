/*
 * cmd_serve.c -- `tocm serve MODEL [--port N]`: edit MODEL in a browser.
 *
 * Starts the local server of core/serve/ on the loopback interface, prints
 * the address to open (with this run's token), and runs until Ctrl-C. Every
 * change made in the page is a tocm edit transaction on MODEL; the server
 * never opens another file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "cli_opts.h"
#include "commands.h"
#include "serve.h"

enum { OPT_PORT = CLI_OPT_FIRST, OPT_QUIET, OPT_LOCK_TIMEOUT };

static const struct cli_option options[] = {
    {OPT_PORT, 0, "port", "N",
     "listen on port N (default 0: a free port the system\n"
     "picks; the address printed says which)"},
    {OPT_LOCK_TIMEOUT, 0, "lock-timeout", "S",
     "wait at most S seconds for another edit of MODEL to\n"
     "finish before refusing a change from the page\n"
     "(default 5)"},
    {OPT_QUIET, 0, "quiet", NULL, "print only the address"},
    CLI_OPTIONS_END,
};

static const struct cli_command command = {
    .name = "serve",
    .synopsis = "Usage: tocm serve MODEL [--port N] [--lock-timeout S] [--quiet]\n",
    .about = "Opens MODEL for editing in a web browser on this computer: the results\n"
             "chain as a diagram; click a box to change it, link it, rename or remove\n"
             "it; findings are shown as you type. Every change is checked and written\n"
             "as 'tocm set', 'tocm link' ... would write it (locked, validated,\n"
             "atomic, canonical), so a terminal user can edit MODEL at the same time.\n"
             "\n"
             "Prints the address to open, then runs until Ctrl-C. The server listens\n"
             "on 127.0.0.1 and ::1 only, and answers only requests that carry this\n"
             "run's token (in the address printed), name it as Host and come from its\n"
             "own page.\n",
    .tables = {options},
    .footer = "Exit status: 0 stopped with Ctrl-C, 1 MODEL is not a model, 2 usage or\n"
              "a port that cannot be used.\n",
};

/* 128 bits from the kernel's random source, as hex. */
static int make_token(char out[SERVE_TOKEN_HEX + 1]) {
    unsigned char bytes[SERVE_TOKEN_HEX / 2];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof bytes; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
    return 0;
}

static int run(const char *model, unsigned port, double lock_timeout, int quiet) {
    struct stat st;
    if (stat(model, &st) != 0) {
        fprintf(stderr, "tocm serve: cannot open %s: %s\n", model, strerror(errno));
        return EXIT_USAGE;
    }
    if (!S_ISREG(st.st_mode)) {
        fprintf(stderr, "tocm serve: %s is not a file\n", model);
        return EXIT_USAGE;
    }
    /* The page can show findings of a model with errors, but it needs a
     * file tocm can read at all. */
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = NULL;
    int rc = tocm_model_load_file(model, diags, &m);
    if (rc != TOCM_OK) {
        tocm_diags_print(diags, stderr);
        fprintf(stderr, "tocm serve: %s is not a model tocm can read; fix it first\n", model);
        tocm_diags_free(diags);
        return rc == TOCM_EIO ? EXIT_USAGE : EXIT_MODEL_ERRORS;
    }
    tocm_model_free(m);
    tocm_diags_free(diags);

    struct serve s;
    memset(&s, 0, sizeof s);
    s.model = model;
    const char *slash = strrchr(model, '/');
    s.name = slash ? slash + 1 : model;
    s.port = port;
    s.lock_timeout = lock_timeout;
    s.quiet = quiet;
    if (make_token(s.token) != 0) {
        fprintf(stderr, "tocm serve: no random bytes for the token: %s\n", strerror(errno));
        return EXIT_USAGE;
    }
    s.registry = cli_load_registry();
    int status = serve_run(&s, stdout);
    serve_undo_clear(&s);
    for (size_t i = 0; i < SERVE_SNAPSHOTS; i++)
        free(s.snapshots[i].text);
    json_decref(s.indicators);
    tocm_registry_free(s.registry);
    return status;
}

int cmd_serve(int argc, char **argv) {
    long port = 0;
    double lock_timeout = 5;
    int quiet = 0, id, rc = -1;
    struct cli_parser p;
    cli_parse_begin(&p, &command, argc, argv);
    while (rc < 0 && (id = cli_parse_next(&p)) > 0) {
        switch (id) {
        case OPT_PORT:
            port = cli_parse_count(p.arg);
            if (port < 0 || port > 65535)
                rc = cli_usage_error("serve", "--port needs a number from 0 to 65535, not '%s'",
                                     p.arg);
            break;
        case OPT_LOCK_TIMEOUT: {
            char *end;
            lock_timeout = strtod(p.arg, &end);
            if (!*p.arg || *end || !(lock_timeout >= 0 && lock_timeout <= 3600))
                rc = cli_usage_error("serve", "--lock-timeout needs seconds from 0 to 3600");
            break;
        }
        case OPT_QUIET: quiet = 1; break;
        }
    }
    if (rc >= 0 || (rc = p.status) >= 0)
        return rc;
    if (argc - optind != 1)
        return cli_usage_error("serve", "expected one MODEL file");
    return run(argv[optind], (unsigned)port, lock_timeout, quiet);
}
