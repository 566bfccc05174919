/*
 * path.c -- member paths as people type and read them (path.h).
 */
#include <stdlib.h>
#include <string.h>

#include "path.h"

/* Characters a bare member name cannot hold: they delimit segments, quote,
 * or end the path in an assignment. */
static int is_special(char c) { return strchr(".[]\"=\\", c) != NULL; }

void tocmp_path_free(struct tocmp_path *p) {
    for (size_t i = 0; i < p->count; i++)
        free(p->segs[i].key);
    free(p->segs);
    p->segs = NULL;
    p->count = 0;
}

static void push(struct tocmp_path *p, struct tocmp_seg seg) {
    p->segs = tocmp_xrealloc(p->segs, (p->count + 1) * sizeof *p->segs);
    p->segs[p->count++] = seg;
}

static int fail(struct tocmp_path *p, char **err, const char *text, size_t len, size_t at,
                const char *why) {
    *err = tocmp_asprintf("'%.*s' is not a path: %s at character %zu (a member name with a dot, "
                          "a bracket, a quote or '=' in it is written in double quotes, e.g. "
                          "targets.\"2024.1\")",
                          (int)len, text, why, at + 1);
    tocmp_path_free(p);
    return -1;
}

int tocmp_path_parse(const char *text, size_t len, struct tocmp_path *out, char **err) {
    out->segs = NULL;
    out->count = 0;
    *err = NULL;
    size_t i = 0;
    int want_key = 1; /* at the start and after a dot a name must follow */
    while (i < len || want_key) {
        if (want_key) {
            if (i < len && text[i] == '"') {
                tocmp_buf b = {0};
                size_t start = i++;
                for (;;) {
                    if (i >= len) {
                        free(b.data);
                        return fail(out, err, text, len, start, "an unclosed quote");
                    }
                    if (text[i] == '"')
                        break;
                    if (text[i] == '\\' && i + 1 < len &&
                        (text[i + 1] == '"' || text[i + 1] == '\\'))
                        i++;
                    tocmp_buf_append(&b, text + i, 1);
                    i++;
                }
                i++;
                push(out,
                     (struct tocmp_seg){TOCMP_SEG_KEY, b.data ? b.data : tocmp_xstrdup(""), 0});
            } else {
                size_t start = i;
                while (i < len && !is_special(text[i]))
                    i++;
                if (i == start)
                    return fail(out, err, text, len, i, "a member name is missing");
                char *key = tocmp_xmalloc(i - start + 1);
                memcpy(key, text + start, i - start);
                key[i - start] = '\0';
                push(out, (struct tocmp_seg){TOCMP_SEG_KEY, key, 0});
            }
            want_key = 0;
            continue;
        }
        if (text[i] == '.') {
            i++;
            want_key = 1;
        } else if (text[i] == '[') {
            size_t start = i++;
            if (i < len && text[i] == ']') {
                push(out, (struct tocmp_seg){TOCMP_SEG_APPEND, NULL, 0});
                i++;
                continue;
            }
            size_t n = 0, digits = 0;
            while (i < len && text[i] >= '0' && text[i] <= '9' && digits < 9) {
                n = n * 10 + (size_t)(text[i] - '0');
                i++;
                digits++;
            }
            if (!digits || i >= len || text[i] != ']')
                return fail(out, err, text, len, start,
                            "a list entry is written [0], [1], ... (or [] for a new one)");
            i++;
            push(out, (struct tocmp_seg){TOCMP_SEG_INDEX, NULL, n});
        } else {
            return fail(out, err, text, len, i, "a '.' or '[' should come next");
        }
    }
    return 0;
}

size_t tocmp_path_key_end(const char *s) {
    int quoted = 0;
    size_t i;
    for (i = 0; s[i]; i++) {
        if (quoted && s[i] == '\\' && (s[i + 1] == '"' || s[i + 1] == '\\'))
            i++;
        else if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == '=')
            break;
    }
    return i;
}

void tocmp_path_put_key(tocmp_buf *b, const char *key) {
    if (b->len)
        tocmp_buf_puts(b, ".");
    size_t n = strlen(key);
    /* A name ending in ':', '+' or '-' would read as the operator of an
     * assignment (KEY:=, KEY+=, KEY-=): quoted too. */
    int quote = n == 0 || strchr(":+-", key[n - 1]) != NULL;
    for (size_t i = 0; i < n && !quote; i++)
        quote = is_special(key[i]);
    if (!quote) {
        tocmp_buf_puts(b, key);
        return;
    }
    tocmp_buf_puts(b, "\"");
    for (size_t i = 0; i < n; i++) {
        if (key[i] == '"' || key[i] == '\\')
            tocmp_buf_puts(b, "\\");
        tocmp_buf_append(b, key + i, 1);
    }
    tocmp_buf_puts(b, "\"");
}

void tocmp_path_put_index(tocmp_buf *b, size_t index) { tocmp_buf_printf(b, "[%zu]", index); }

char *tocmp_path_text(const struct tocmp_path *p, size_t count) {
    tocmp_buf b = {0};
    for (size_t i = 0; i < count && i < p->count; i++) {
        if (p->segs[i].kind == TOCMP_SEG_KEY)
            tocmp_path_put_key(&b, p->segs[i].key);
        else if (p->segs[i].kind == TOCMP_SEG_INDEX)
            tocmp_path_put_index(&b, p->segs[i].index);
        else
            tocmp_buf_puts(&b, "[]");
    }
    return b.data ? b.data : tocmp_xstrdup("");
}
