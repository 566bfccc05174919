/*
 * util.c -- see util.h.
 */
#include "util.h"

#include "tocm/tocm.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static tocm_oom_handler oom_handler;

tocm_oom_handler tocm_set_oom_handler(tocm_oom_handler handler) {
    tocm_oom_handler previous = oom_handler;
    oom_handler = handler;
    return previous;
}

void tocmp_out_of_memory(size_t size) {
    if (oom_handler)
        oom_handler(size);
    /* No allocation from here on: stdio's stderr is unbuffered. */
    fprintf(stderr, "tocm: out of memory (%zu bytes wanted)\n", size);
    abort();
}

static void *json_xmalloc(size_t size) { return tocmp_xmalloc(size); }

static pthread_once_t json_alloc_once = PTHREAD_ONCE_INIT;

static void json_alloc_install(void) {
    json_malloc_t current_malloc;
    json_free_t current_free;
    json_get_alloc_funcs(&current_malloc, &current_free);
    if (current_malloc == malloc && current_free == free)
        json_set_alloc_funcs(json_xmalloc, free);
}

void tocmp_json_alloc_init(void) { pthread_once(&json_alloc_once, json_alloc_install); }

void tocmp_json_add_unique(json_t *list, const char *s) {
    size_t i;
    json_t *have;
    json_array_foreach(list, i, have) {
        if (strcmp(json_string_value(have), s) == 0)
            return;
    }
    json_array_append_new(list, json_string(s));
}

void *tocmp_xmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p)
        tocmp_out_of_memory(size);
    return p;
}

void *tocmp_xmalloc_large(size_t size) {
#ifdef MADV_HUGEPAGE
    const size_t huge = (size_t)2 << 20;
    if (size >= 4 * huge && size <= SIZE_MAX - huge) {
        size_t rounded = (size + huge - 1) & ~(huge - 1);
        void *p = aligned_alloc(huge, rounded);
        if (p) {
            /* Only advice: where huge pages are off, nothing changes. */
            (void)madvise(p, rounded, MADV_HUGEPAGE);
            return p;
        }
    }
#endif
    return tocmp_xmalloc(size);
}

void *tocmp_xcalloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        tocmp_out_of_memory(size && count > SIZE_MAX / size ? SIZE_MAX : count * size);
    return p;
}

void *tocmp_xrealloc(void *ptr, size_t size) {
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        tocmp_out_of_memory(size);
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

static char *read_whole(const char *path, size_t max, int text, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    tocmp_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n > max - b.len) {
            fclose(f);
            free(b.data);
            errno = EFBIG;
            return NULL;
        }
        tocmp_buf_append(&b, chunk, n);
        if (text && memchr(chunk, '\0', n))
            break;
    }
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

/* The length and code point of the UTF-8 sequence at s; 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, long *cp) {
    size_t n;
    long c;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if ((s[0] & 0xE0) == 0xC0) {
        n = 2, c = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3, c = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4, c = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the terminating NUL */
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    static const long min_for[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min_for[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

int tocmp_char_is_control(const char *s, size_t *len, long *cp) {
    size_t n = utf8_decode((const unsigned char *)s, cp);
    if (n == 0) {
        *len = 1;
        *cp = -1;
        return 1;
    }
    *len = n;
    long c = *cp;
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 ||
           c == 0x2029;
}

char *tocmp_read_file(const char *path, size_t *len) {
    return read_whole(path, (size_t)-1, 0, len);
}

char *tocmp_read_text(const char *path, size_t max, size_t *len) {
    return read_whole(path, max, 1, len);
}
