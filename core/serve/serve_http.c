/*
 * serve_http.c -- the transport of `tocm serve`: two listening sockets on
 * the loopback interface (127.0.0.1 and ::1, never a wildcard address),
 * libmicrohttpd driven from one select loop, and the headers every answer
 * carries.
 *
 * Why sockets of our own rather than libmicrohttpd's port option: binding
 * them here makes "loopback only" a fact of this file (bind() to the
 * loopback address, nothing else), and lets both daemons share the port the
 * system picked for the first.
 *
 * Why one thread: the handlers read and write one file; run one at a time
 * they need no locks, and a slow diagram only delays the next request of
 * the one person using the page.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include "serve.h"

/* What the page may load and do. Nothing inline, nothing from elsewhere:
 * even a title that got past the escaping could run nothing. The diagram
 * is SVG the page inserts itself, so it needs no img-src beyond 'self'. */
static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
                          "form-action 'none'; frame-ancestors 'none'";

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

void sbuf_add(struct sbuf *b, const void *data, size_t len) {
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            fputs("tocm: out of memory\n", stderr);
            abort();
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void sbuf_puts(struct sbuf *b, const char *s) { sbuf_add(b, s, strlen(s)); }

int sbuf_sink(void *b, const void *data, size_t len) {
    sbuf_add(b, data, len);
    return 0;
}

/* ---- one request --------------------------------------------------------- */

struct pending {
    struct sbuf body;
    int too_large;
};

const char *serve_param(const struct serve_request *r, const char *name) {
    return MHD_lookup_connection_value(r->connection, MHD_GET_ARGUMENT_KIND, name);
}

const char *serve_header(const struct serve_request *r, const char *name) {
    return MHD_lookup_connection_value(r->connection, MHD_HEADER_KIND, name);
}

static enum MHD_Result send_response(struct serve *s, struct MHD_Connection *c, const char *method,
                                     const char *url, struct serve_response *resp) {
    struct MHD_Response *m;
    if (resp->static_body)
        m = MHD_create_response_from_buffer(resp->len, (void *)resp->static_body,
                                            MHD_RESPMEM_PERSISTENT);
    else
        m = MHD_create_response_from_buffer(resp->len, resp->body ? resp->body : "",
                                            resp->body ? MHD_RESPMEM_MUST_FREE
                                                       : MHD_RESPMEM_PERSISTENT);
    if (!m) {
        free(resp->body);
        return MHD_NO;
    }
    MHD_add_response_header(m, "Content-Type",
                            resp->type ? resp->type : "application/json; charset=utf-8");
    MHD_add_response_header(m, "Content-Security-Policy", csp);
    MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(m, "X-Frame-Options", "DENY");
    /* The token is in the page's URL: never send it on in a Referer. */
    MHD_add_response_header(m, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(m, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(m, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(m, "Cache-Control", "no-store");
    if (resp->status >= 400 && !s->quiet)
        fprintf(stderr, "tocm serve: refused %s %s: %u %s\n", method, url, resp->status,
                resp->body ? resp->body : "");
    enum MHD_Result rc = MHD_queue_response(c, resp->status, m);
    MHD_destroy_response(m);
    return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls) {
    (void)version;
    struct serve *s = cls;
    struct pending *p = *con_cls;
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p)
            return MHD_NO;
        *con_cls = p;
        /* A body announced too large is refused before it is read. */
        const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (length && strtoull(length, NULL, 10) > SERVE_MAX_BODY) {
            struct serve_response resp = {0};
            serve_error(&resp, 413, "the request is larger than tocm serve takes");
            return send_response(s, c, method, url, &resp);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        /* Chunked bodies have no length up front: count as they come, keep
         * nothing past the limit. */
        if (!p->too_large && p->body.len + *upload_size <= SERVE_MAX_BODY)
            sbuf_add(&p->body, upload_data, *upload_size);
        else
            p->too_large = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    struct serve_response resp = {0};
    if (p->too_large) {
        serve_error(&resp, 413, "the request is larger than tocm serve takes");
    } else if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0) {
        serve_error(&resp, 405, "tocm serve answers GET and POST only");
    } else if (p->body.data && strlen(p->body.data) != p->body.len) {
        serve_error(&resp, 400, "the request body holds a NUL byte");
    } else {
        struct serve_request req = {
            .method = method,
            .path = url,
            .connection = c,
            .body = p->body.data ? p->body.data : "",
            .body_len = p->body.len,
        };
        serve_handle(s, &req, &resp);
    }
    return send_response(s, c, method, url, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why) {
    (void)cls, (void)c, (void)why;
    struct pending *p = *con_cls;
    if (p) {
        free(p->body.data);
        free(p);
        *con_cls = NULL;
    }
}

/* ---- listening ----------------------------------------------------------- */

/* A listening socket on the loopback address of family, at *port (0: any
 * free port, written back). -1 with errno set on failure. */
static int listen_loopback(int family, unsigned *port) {
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    /* A restart right after a stop must not wait out TIME_WAIT; on Linux
     * this never lets two servers listen on one port. */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET6) {
        /* ::1 only, not IPv4 through a mapped address: that one has its
         * own socket. */
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        a->sin6_port = htons((unsigned short)*port);
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a->sin_port = htons((unsigned short)*port);
        len = sizeof *a;
    }
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 32) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
        *port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                         : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

static struct MHD_Daemon *start_daemon(struct serve *s, int fd, int ipv6) {
    return MHD_start_daemon(
        ipv6 ? MHD_USE_IPv6 : 0, 0, NULL, NULL, on_request, s, MHD_OPTION_LISTEN_SOCKET,
        (MHD_socket)fd,
        /* Limits for a server one person uses: a few
         * connections, small headers, no idle ones. */
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)32, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)16,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
}

int serve_run(struct serve *s, void *stdio_out) {
    FILE *out = stdio_out;
    unsigned port = s->port;
    int fd4 = listen_loopback(AF_INET, &port);
    if (fd4 < 0) {
        fprintf(stderr, "tocm serve: cannot listen on 127.0.0.1 port %u: %s\n", s->port,
                strerror(errno));
        return 2;
    }
    s->port = port;
    int fd6 = listen_loopback(AF_INET6, &port);
    if (fd6 < 0 && !s->quiet)
        fprintf(stderr, "tocm serve: note: not listening on [::1]:%u (%s); 127.0.0.1 only\n",
                s->port, strerror(errno));
    s->have_ipv6 = fd6 >= 0;

    struct MHD_Daemon *d4 = start_daemon(s, fd4, 0);
    struct MHD_Daemon *d6 = fd6 >= 0 ? start_daemon(s, fd6, 1) : NULL;
    if (!d4 || (fd6 >= 0 && !d6)) {
        fprintf(stderr, "tocm serve: libmicrohttpd could not start\n");
        if (d4)
            MHD_stop_daemon(d4);
        if (d6)
            MHD_stop_daemon(d6);
        return 2;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: select must return */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a browser that hangs up is not a reason to die */

    fprintf(out, "http://127.0.0.1:%u/?token=%s\n", s->port, s->token);
    fflush(out);
    if (!s->quiet)
        fprintf(stderr,
                "tocm serve: editing %s; open the address above in a browser on this "
                "computer. Ctrl-C stops.\n",
                s->model);

    struct MHD_Daemon *daemons[2] = {d4, d6};
    int status = 0;
    while (!stop_requested) {
        fd_set rs, ws, es;
        FD_ZERO(&rs);
        FD_ZERO(&ws);
        FD_ZERO(&es);
        MHD_socket max = 0;
        struct timeval tv = {.tv_sec = 1, .tv_usec = 0};
        for (int i = 0; i < 2; i++) {
            if (!daemons[i])
                continue;
            MHD_get_fdset(daemons[i], &rs, &ws, &es, &max);
            MHD_UNSIGNED_LONG_LONG ms;
            if (MHD_get_timeout(daemons[i], &ms) == MHD_YES &&
                ms < (MHD_UNSIGNED_LONG_LONG)tv.tv_sec * 1000 + (unsigned)tv.tv_usec / 1000) {
                tv.tv_sec = (time_t)(ms / 1000);
                tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
            }
        }
        int n = select(max + 1, &rs, &ws, &es, &tv);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "tocm serve: select: %s\n", strerror(errno));
            status = 2;
            break;
        }
        for (int i = 0; i < 2; i++)
            if (daemons[i])
                MHD_run_from_select(daemons[i], &rs, &ws, &es);
    }
    for (int i = 0; i < 2; i++)
        if (daemons[i])
            MHD_stop_daemon(daemons[i]);
    /* MHD_stop_daemon closed the listening sockets it was handed. */
    if (!s->quiet)
        fprintf(stderr, "tocm serve: stopped\n");
    return status;
}
