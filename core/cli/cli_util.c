/*
 * cli_util.c -- memory, byte buffers and file reading for the CLI.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "tocm/tocm.h"

static void out_of_memory(void) {
    fputs("tocm: out of memory\n", stderr);
    exit(2);
}

void *cli_xmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *cli_xcalloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *cli_xrealloc(void *ptr, size_t size) {
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *cli_xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(cli_xmalloc(n), s, n);
}

void cli_buf_append(struct cli_buf *b, const void *data, size_t len) {
    if (len >= b->cap - b->len || !b->data) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len <= len) {
            if (cap > (size_t)-1 / 2)
                out_of_memory();
            cap *= 2;
        }
        b->data = cli_xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

char *cli_read_stream(FILE *stream, size_t *len) {
    struct cli_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stream)) > 0)
        cli_buf_append(&b, chunk, n);
    if (ferror(stream)) {
        int saved = errno;
        free(b.data);
        errno = saved ? saved : EIO;
        return NULL;
    }
    if (!b.data)
        cli_buf_append(&b, "", 0);
    *len = b.len;
    return b.data;
}

char *cli_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = cli_read_stream(f, len);
    int saved = errno;
    fclose(f);
    errno = saved;
    return data;
}

char *cli_text_escaped(const char *text) {
    char *out = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&out, &size);
    if (!mem) {
        fputs("tocm: out of memory\n", stderr);
        exit(2);
    }
    tocm_print_text(text, 0, mem);
    if (fclose(mem) != 0) {
        fputs("tocm: out of memory\n", stderr);
        exit(2);
    }
    return out;
}
