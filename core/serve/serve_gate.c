/*
 * serve_gate.c -- the checks every request to `tocm serve` passes before a
 * handler sees it.
 *
 * The server listens on loopback only, but a loopback server is still
 * reachable from every web page the user has open. The checks, and the
 * attack each one stops:
 *
 *   Host         must name this server (127.0.0.1, [::1] or localhost, at
 *                its port). DNS rebinding points an attacker's name at
 *                127.0.0.1: the browser then sends that name as Host.
 *   Origin       when sent, must be this server's; a POST must send it
 *                (browsers always do). Stops other pages' cross-site
 *                requests, which the browser marks with their own origin.
 *   Sec-Fetch-Site  when sent, same-origin or none (typed in the address
 *                bar): a second opinion from the browser on the same thing.
 *   token        128 random bits made per run, in the page's URL
 *                (?token=) and in an X-Tocm-Token header on API calls:
 *                another local user or program that finds the port cannot
 *                use the API without having been shown the URL. A custom
 *                header also cannot be sent cross-site without a preflight,
 *                which this server never grants.
 *   Content-Type a POST must be application/json, which an HTML form
 *                cannot send.
 *   parameters   only the ones the route takes, once each, and no value
 *                holding '/' or '\': the API names no file; it reads and
 *                writes the model given on the command line only.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "serve.h"

/* "127.0.0.1:8080" and the like, for this server's port. */
static int names_this_server(const struct serve *s, const char *hostport) {
    static const char *const names[] = {"127.0.0.1", "[::1]", "localhost"};
    char want[64];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(want, sizeof want, "%s:%u", names[i], s->port);
        /* Host names are case-insensitive; the port is digits. */
        if (strcasecmp(hostport, want) == 0)
            return 1;
    }
    return 0;
}

int serve_gate_host_ok(const struct serve *s, const char *host) {
    return host && names_this_server(s, host);
}

int serve_gate_origin_ok(const struct serve *s, const char *origin) {
    return origin && strncmp(origin, "http://", 7) == 0 && names_this_server(s, origin + 7);
}

/* Compares in time that does not depend on where they first differ. */
static int same_secret(const char *given, const char *secret) {
    size_t n = strlen(secret);
    if (!given || strlen(given) != n)
        return 0;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(given[i] ^ secret[i]);
    return diff == 0;
}

struct param_check {
    const char *const *allowed;
    const char *bad; /* the first parameter refused */
    const char *why;
    char seen[8][32];
    size_t seen_count;
};

static enum MHD_Result check_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value) {
    (void)kind;
    struct param_check *pc = cls;
    int known = 0;
    for (const char *const *a = pc->allowed; a && *a; a++)
        known |= strcmp(*a, key) == 0;
    if (!known) {
        pc->bad = key;
        pc->why = "is not a parameter this request takes (tocm serve reads and writes only "
                  "the model it was started with)";
        return MHD_NO;
    }
    for (size_t i = 0; i < pc->seen_count; i++) {
        if (strcmp(pc->seen[i], key) == 0) {
            pc->bad = key;
            pc->why = "is given twice";
            return MHD_NO;
        }
    }
    if (pc->seen_count < sizeof pc->seen / sizeof pc->seen[0] && strlen(key) < sizeof pc->seen[0])
        strcpy(pc->seen[pc->seen_count++], key);
    if (value && (strchr(value, '/') || strchr(value, '\\'))) {
        pc->bad = key;
        pc->why = "holds a path: no parameter names a file";
        return MHD_NO;
    }
    if (value && strlen(value) > 1024) {
        pc->bad = key;
        pc->why = "is longer than 1024 bytes";
        return MHD_NO;
    }
    return MHD_YES;
}

/* The headers the checks read: each must come once, or a forged second
 * one could hide behind a good first (lookups return the first). */
static const char *const checked_headers[] = {"Host", "Origin", "Sec-Fetch-Site", "Content-Type",
                                              "X-Tocm-Token"};
#define CHECKED_COUNT (sizeof checked_headers / sizeof checked_headers[0])

struct header_count {
    unsigned count[CHECKED_COUNT];
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value) {
    (void)kind, (void)value;
    struct header_count *hc = cls;
    for (size_t i = 0; i < CHECKED_COUNT; i++)
        if (strcasecmp(key, checked_headers[i]) == 0)
            hc->count[i]++;
    return MHD_YES;
}

unsigned serve_gate(const struct serve *s, const struct serve_request *r, enum serve_access access,
                    const char *const *params, const char **why) {
    static char message[256];
    struct header_count hc = {{0}};
    MHD_get_connection_values(r->connection, MHD_HEADER_KIND, count_header, &hc);
    for (size_t i = 0; i < CHECKED_COUNT; i++) {
        if (hc.count[i] > 1) {
            snprintf(message, sizeof message, "the header %s is given more than once",
                     checked_headers[i]);
            *why = message;
            return 400;
        }
    }
    const char *host = serve_header(r, "Host");
    if (!serve_gate_host_ok(s, host)) {
        *why = "the Host header does not name this server (127.0.0.1, [::1] or localhost at "
               "its port)";
        return 403;
    }
    const char *origin = serve_header(r, "Origin");
    int post = strcmp(r->method, "POST") == 0;
    if (origin && !serve_gate_origin_ok(s, origin)) {
        *why = "the request comes from another site (its Origin is not this server)";
        return 403;
    }
    if (post && !origin) {
        *why = "a POST must come from the page (it has no Origin header)";
        return 403;
    }
    const char *site = serve_header(r, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0) {
        *why = "the browser says the request comes from another site";
        return 403;
    }
    if (post) {
        const char *type = serve_header(r, "Content-Type");
        if (!type || strncasecmp(type, "application/json", 16) != 0) {
            *why = "a POST must carry JSON (Content-Type: application/json)";
            return 415;
        }
    }
    struct param_check pc = {.allowed = params};
    MHD_get_connection_values(r->connection, MHD_GET_ARGUMENT_KIND, check_param, &pc);
    if (pc.bad) {
        snprintf(message, sizeof message, "the parameter '%.64s' %s", pc.bad, pc.why);
        *why = message;
        return 400;
    }
    if (access == SERVE_PAGE && !same_secret(serve_param(r, "token"), s->token)) {
        *why = "the address lacks this run's token: open the address tocm serve printed";
        return 403;
    }
    if (access == SERVE_API && !same_secret(serve_header(r, "X-Tocm-Token"), s->token)) {
        *why = "the request lacks this run's token (X-Tocm-Token)";
        return 403;
    }
    return 0;
}
