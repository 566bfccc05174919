/*
 * util.c -- see util.h.
 */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void) {
    fputs("tocm: out of memory\n", stderr);
    abort();
}

void *tocmp_xmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *tocmp_xcalloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *tocmp_xrealloc(void *ptr, size_t size) {
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *tocmp_xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(tocmp_xmalloc(n), s, n);
}

char *tocmp_vasprintf(const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return tocmp_xstrdup("");
    char *s = tocmp_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *tocmp_asprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = tocmp_vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void tocmp_buf_append(tocmp_buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = tocmp_xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void tocmp_buf_puts(tocmp_buf *b, const char *s) { tocmp_buf_append(b, s, strlen(s)); }

void tocmp_buf_printf(tocmp_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = tocmp_vasprintf(fmt, ap);
    va_end(ap);
    tocmp_buf_puts(b, s);
    free(s);
}

void tocmp_buf_pointer_key(tocmp_buf *b, const char *key) {
    tocmp_buf_puts(b, "/");
    for (const char *p = key; *p; p++) {
        if (*p == '~')
            tocmp_buf_puts(b, "~0");
        else if (*p == '/')
            tocmp_buf_puts(b, "~1");
        else
            tocmp_buf_append(b, p, 1);
    }
}

char *tocmp_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    tocmp_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        tocmp_buf_append(&b, chunk, n);
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed) {
        free(b.data);
        errno = saved ? saved : EIO;
        return NULL;
    }
    if (!b.data)
        b.data = tocmp_xcalloc(1, 1);
    if (len)
        *len = b.len;
    return b.data;
}
