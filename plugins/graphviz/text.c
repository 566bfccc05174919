/*
 * text.c -- a byte buffer, UTF-8 decoding, word wrap and the escaping that
 * makes any title render verbatim through Graphviz.
 *
 * What Graphviz 2.43 does to strings, and so what is escaped here:
 *   - HTML-like labels are XML: & < > " must be entities. After the entities
 *     are decoded Graphviz still expands \N, \G, \E, \T, \H, \L and turns \\
 *     into \, so every backslash is doubled.
 *   - Ids get the same expansion once: a backslash is doubled. Tooltips get
 *     it twice (and \n, \l, \r turn into newlines, other escapes lose their
 *     backslash), so a backslash is written as four. The SVG writer leaves
 *     anything that looks like an entity alone in both, so & is written as
 *     &amp;. A newline reaches the SVG as &#10;.
 * { } | are only special in record shapes, which are never used here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gv_internal.h"

/* ---- buffer ------------------------------------------------------------ */

static int buf_reserve(struct buf *b, size_t extra) {
    if (b->failed)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void buf_add(struct buf *b, const char *s, size_t n) {
    if (buf_reserve(b, n) != 0)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_printf(struct buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if (buf_reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *buf_str(const struct buf *b) { return b->data && !b->failed ? b->data : ""; }

void buf_reset(struct buf *b) {
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void buf_free(struct buf *b) {
    free(b->data);
    *b = (struct buf){0};
}

/* ---- UTF-8 --------------------------------------------------------------- */

size_t utf8_decode(const char *s, uint32_t *cp) {
    const unsigned char *u = (const unsigned char *)s;
    size_t len;
    uint32_t c, min;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    } else if ((u[0] & 0xE0) == 0xC0) {
        len = 2, c = u[0] & 0x1Fu, min = 0x80;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3, c = u[0] & 0x0Fu, min = 0x800;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4, c = u[0] & 0x07u, min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) { /* also stops at the terminating NUL */
            *cp = 0xFFFD;
            return 1;
        }
        c = c << 6 | (u[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return len;
}

struct range {
    uint32_t lo, hi;
};

static int in_ranges(uint32_t cp, const struct range *r, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (cp >= r[i].lo && cp <= r[i].hi)
            return 1;
    return 0;
}

int cp_width(uint32_t cp) {
    /* Marks that attach to the letter before them, in the scripts tocm's
     * programs write in (Latin incl. Vietnamese, Thai, Lao, Khmer, Myanmar),
     * and the zero-width characters. */
    static const struct range zero[] = {
        {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},
        {0x0EB1, 0x0EB1}, {0x0EB4, 0x0EBC}, {0x0EC8, 0x0ECD}, {0x102B, 0x103E}, {0x1056, 0x1059},
        {0x105E, 0x1060}, {0x1062, 0x1064}, {0x1067, 0x106D}, {0x1071, 0x1074}, {0x1082, 0x108D},
        {0x108F, 0x108F}, {0x109A, 0x109D}, {0x17B4, 0x17B5}, {0x17B7, 0x17BD}, {0x17C6, 0x17C6},
        {0x17C9, 0x17D3}, {0x17DD, 0x17DD}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
        {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    };
    static const struct range wide[] = {
        {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF}, {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
        {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
        {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
    };
    if (cp < 0x300)
        return 1;
    if (in_ranges(cp, zero, sizeof zero / sizeof zero[0]))
        return 0;
    if (in_ranges(cp, wide, sizeof wide / sizeof wide[0]))
        return 2;
    return 1;
}

/* Characters XML cannot carry (and so no SVG can): C0 controls other than
 * tab and newline, DEL, C1 controls and the non-characters U+FFFE/FFFF. */
static int is_unprintable(uint32_t cp) {
    return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE ||
           cp == 0xFFFF;
}

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* One code point (its bytes are s[0..len)) of HTML-like label text. */
static void html_cp(struct buf *b, uint32_t cp, const char *s, size_t len) {
    switch (cp) {
    case '&': buf_puts(b, "&amp;"); return;
    case '<': buf_puts(b, "&lt;"); return;
    case '>': buf_puts(b, "&gt;"); return;
    case '"': buf_puts(b, "&quot;"); return;
    case '\\': buf_puts(b, "\\\\"); return;
    case '\t': buf_puts(b, " "); return;
    case '\n': buf_puts(b, "<br/>"); return;
    default: break;
    }
    if (is_unprintable(cp) || cp == 0xFFFD)
        buf_puts(b, replacement);
    else
        buf_add(b, s, len);
}

/* "\r\n" and a lone "\r" are line breaks like "\n". */
static size_t next_cp(const char *s, uint32_t *cp) {
    size_t n = utf8_decode(s, cp);
    if (*cp == '\r') {
        *cp = '\n';
        if (s[1] == '\n')
            n = 2;
    }
    return n;
}

void html_text(struct buf *b, const char *s) {
    uint32_t cp;
    for (size_t n; *s; s += n) {
        n = next_cp(s, &cp);
        html_cp(b, cp, s, n);
    }
}

static int is_space(uint32_t cp) { return cp == ' ' || cp == '\t'; }

/* Columns of the word s[0..n). */
static int word_width(const char *s, size_t n) {
    int w = 0;
    uint32_t cp;
    for (size_t i = 0, k; i < n; i += k) {
        k = utf8_decode(s + i, &cp);
        w += cp_width(cp);
    }
    return w;
}

void html_wrapped(struct buf *b, const char *s, int width) {
    if (width < 1)
        width = 1;
    int col = 0; /* columns on the current line; 0: nothing on it yet */
    uint32_t cp;
    while (*s) {
        size_t n = next_cp(s, &cp);
        if (cp == '\n') {
            buf_puts(b, "<br/>");
            col = 0;
            s += n;
            continue;
        }
        if (is_space(cp)) {
            s += n;
            continue;
        }
        /* A word: up to the next space or line break. */
        size_t len = 0;
        while (s[len]) {
            uint32_t c;
            size_t k = next_cp(s + len, &c);
            if (c == '\n' || is_space(c))
                break;
            len += k;
        }
        int w = word_width(s, len);
        if (col > 0 && col + 1 + w <= width) {
            buf_puts(b, " ");
            col += 1;
        } else if (col > 0) {
            buf_puts(b, "<br/>");
            col = 0;
        }
        /* The word, cut where it overflows a line of its own. */
        for (size_t i = 0, k; i < len; i += k) {
            k = utf8_decode(s + i, &cp);
            int cw = cp_width(cp);
            if (cw > 0 && col > 0 && col + cw > width) {
                buf_puts(b, "<br/>");
                col = 0;
            }
            html_cp(b, cp, s + i, k);
            col += cw;
        }
        s += len;
    }
}

static void attr_text(struct buf *b, const char *s, const char *backslash) {
    uint32_t cp;
    for (size_t n; *s; s += n) {
        n = next_cp(s, &cp);
        if (cp == '&')
            buf_puts(b, "&amp;");
        else if (cp == '\\')
            buf_puts(b, backslash);
        else if (cp == '\n')
            buf_puts(b, "\n");
        else if (is_unprintable(cp) || cp == 0xFFFD)
            buf_puts(b, replacement);
        else
            buf_add(b, s, n);
    }
}

void tooltip_text(struct buf *b, const char *s) { attr_text(b, s, "\\\\\\\\"); }

void id_text(struct buf *b, const char *s) { attr_text(b, s, "\\\\"); }

void class_text(struct buf *b, const char *s) {
    for (; *s; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        buf_add(b, ok ? s : "_", 1);
    }
}
