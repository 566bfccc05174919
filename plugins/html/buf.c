/*
 * buf.c -- the page buffer and the escapers, one per context a string can
 * land in (html_internal.h says which is which).
 *
 * Strings from the report come from jansson, which only hands out valid
 * UTF-8, so decoding here never meets a broken sequence; a byte that does
 * not decode is still escaped, never copied.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_internal.h"

void hb_free(struct hbuf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static int reserve(struct hbuf *b, size_t more) {
    if (b->failed)
        return -1;
    if (b->len + more + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->len + more + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->failed = 1;
            return -1;
        }
        cap *= 2;
    }
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = 1;
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

void hb_put(struct hbuf *b, const char *s, size_t n) {
    if (reserve(b, n) != 0)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void hb_puts(struct hbuf *b, const char *s) {
    if (s)
        hb_put(b, s, strlen(s));
}

void hb_printf(struct hbuf *b, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        hb_put(b, small, (size_t)n);
        return;
    }
    if (reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* One code point from s; its length in *n (1 for a byte that does not
 * decode, reported as -1). */
static long decode(const unsigned char *s, size_t *n) {
    long c;
    size_t len;
    if (s[0] < 0x80)
        len = 1, c = s[0];
    else if ((s[0] & 0xE0) == 0xC0)
        len = 2, c = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        len = 3, c = s[0] & 0x0F;
    else if ((s[0] & 0xF8) == 0xF0)
        len = 4, c = s[0] & 0x07;
    else {
        *n = 1;
        return -1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) { /* also stops at the NUL */
            *n = 1;
            return -1;
        }
        c = c << 6 | (s[i] & 0x3F);
    }
    *n = len;
    return c;
}

static int is_bidi(long c) {
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

/* Characters no context shows as they are: C0 and C1 controls, DEL, the
 * line and paragraph separators, and the noncharacters XML forbids. */
static int is_control(long c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
           (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

/* The escaper of every context: `quotes` adds " and ' (attributes),
 * `bidi_visible` shows bidirectional controls as \uXXXX instead of keeping
 * them (the caller isolates the string). */
static void escape(struct hbuf *b, const char *s, int quotes, int bidi_visible) {
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        /* Copy the run of plain bytes in one go. */
        const unsigned char *run = p;
        while (*p && *p != '&' && *p != '<' && *p != '>' && *p != '"' && *p != '\'' && *p >= 0x20 &&
               *p < 0x7F)
            p++;
        /* What is left is a special character or a non-ASCII one, which may
         * be a C1 or bidirectional control: decoded and looked at. */
        hb_put(b, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        size_t n;
        long c = decode(p, &n);
        if (c == '&')
            hb_puts(b, "&amp;");
        else if (c == '<')
            hb_puts(b, "&lt;");
        else if (c == '>')
            hb_puts(b, "&gt;");
        else if (c == '"')
            hb_puts(b, quotes ? "&quot;" : "\"");
        else if (c == '\'')
            hb_puts(b, quotes ? "&#39;" : "'");
        else if (c == '\n' || c == '\t' || c == '\r')
            hb_puts(b, " ");
        else if (c < 0)
            hb_printf(b, "\\x%02X", *p);
        else if (is_control(c) || (bidi_visible && is_bidi(c)))
            hb_printf(b, "\\u%04lX", c);
        else
            hb_put(b, (const char *)p, n);
        p += n;
    }
}

static int has_bidi(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n;
        long c = decode(p, &n);
        if (is_bidi(c))
            return 1;
        p += n;
    }
    return 0;
}

void hb_text(struct hbuf *b, const char *s) {
    if (!s)
        return;
    /* <bdi> ends every embedding and override opened inside it. */
    int isolate = has_bidi(s);
    if (isolate)
        hb_puts(b, "<bdi>");
    escape(b, s, 0, 0);
    if (isolate)
        hb_puts(b, "</bdi>");
}

void hb_attr(struct hbuf *b, const char *s) { escape(b, s, 1, 1); }

void hb_svg(struct hbuf *b, const char *s) { escape(b, s, 1, 1); }

void hb_id(struct hbuf *b, const char *prefix, const char *s) {
    hb_puts(b, prefix);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-' || *p == '_')
            hb_put(b, (const char *)p, 1);
        else
            hb_printf(b, "~%02X", *p);
    }
}

void hb_num(struct hbuf *b, double v) {
    if (!isfinite(v))
        v = 0;
    double r = round(v * 100) / 100;
    if (r == 0)
        r = 0; /* never -0 */
    if (r == floor(r) && fabs(r) < 1e15)
        hb_printf(b, "%.0f", r);
    else
        hb_printf(b, "%.2f", r);
}
