/*
 * emit.c -- the canonical text of a model (models/FORMAT.md, "Canonical
 * layout").
 *
 * jansson's own encoder would do for most of it, but it prints reals with 17
 * significant digits (0.1 comes back as 0.10000000000000001) and knows
 * nothing of the member order we want, so a model would not survive a round
 * trip unchanged. This writer prints each number in the shortest form that
 * reads back to the same double, and puts known members first in a fixed
 * order (their canonical positions in schema.c), then the unknown ones in
 * the order the file had them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "schema.h"
#include "util.h"

static void indent(tocmp_buf *b, int depth) {
    for (int i = 0; i < depth; i++)
        tocmp_buf_append(b, "  ", 2);
}

static void emit_string(tocmp_buf *b, const char *s, size_t len) {
    tocmp_buf_append(b, "\"", 1);
    size_t run = 0; /* bytes copied verbatim are appended in runs */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char hex[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\t': esc = "\\t"; break;
        case '\r': esc = "\\r"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (c < 0x20) {
                snprintf(hex, sizeof hex, "\\u%04x", c);
                esc = hex;
            }
        }
        if (!esc)
            continue;
        tocmp_buf_append(b, s + run, i - run);
        tocmp_buf_puts(b, esc);
        run = i + 1;
    }
    tocmp_buf_append(b, s + run, len - run);
    tocmp_buf_append(b, "\"", 1);
}

static void emit_real(tocmp_buf *b, double d) {
    char text[400];
    double magnitude = d < 0 ? -d : d;
    if (magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e15)) {
        /* People write 1500000.0 and 0.25, not 1.5e+06: use plain decimals,
         * as few as read back to the same double. */
        for (int decimals = 1; decimals <= 20; decimals++) {
            snprintf(text, sizeof text, "%.*f", decimals, d);
            if (strtod(text, NULL) == d)
                break;
        }
        /* Trailing zeros beyond the first decimal carry nothing. */
        char *end = text + strlen(text) - 1;
        while (end[0] == '0' && end[-1] != '.')
            *end-- = '\0';
    } else {
        /* Very large or very small: the shortest exponent form. */
        for (int precision = 1; precision <= 17; precision++) {
            snprintf(text, sizeof text, "%.*g", precision, d);
            if (strtod(text, NULL) == d)
                break;
        }
    }
    tocmp_buf_puts(b, text);
    /* Keep it a real on the next read: "2" would come back an integer. */
    if (!strpbrk(text, ".eE"))
        tocmp_buf_puts(b, ".0");
}

/* field describes v (its kinds, and the place of its members or entries);
 * NULL when the format does not know it. */
static void emit_value(tocmp_buf *b, json_t *v, int depth, const struct tocmp_field *field);

static void emit_member(tocmp_buf *b, const char *key, json_t *value, int depth,
                        const struct tocmp_field *field, int *first) {
    tocmp_buf_puts(b, *first ? "\n" : ",\n");
    *first = 0;
    indent(b, depth + 1);
    emit_string(b, key, strlen(key));
    tocmp_buf_puts(b, ": ");
    emit_value(b, value, depth + 1, field);
}

/* What each entry of an array or map described by field is. */
static struct tocmp_field entry_of(const struct tocmp_field *field) {
    struct tocmp_field entry = {.name = "", .kinds = TOCMP_K_ANY};
    if (field) {
        entry.kinds = field->items ? field->items : TOCMP_K_ANY;
        entry.place = field->place;
    }
    return entry;
}

static void emit_object(tocmp_buf *b, json_t *v, int depth, const struct tocmp_field *field) {
    size_t size = json_object_size(v);
    if (size == 0) {
        tocmp_buf_puts(b, "{}");
        return;
    }
    tocmp_buf_puts(b, "{");
    int first = 1;
    const char *key;
    json_t *member;
    if (field && (field->flags & TOCMP_F_MAP)) {
        /* Names the modeller chose: in the file's order. */
        struct tocmp_field entry = entry_of(field);
        json_object_foreach(v, key, member) emit_member(b, key, member, depth, &entry, &first);
    } else {
        /* Known members by canonical position, then the others as they
         * came. */
        enum tocmp_place place = field ? field->place : TOCMP_PLACE_NONE;
        const char *small[32];
        const char **keys = size <= 32 ? small : tocmp_xmalloc(size * sizeof *keys);
        size_t n = tocmp_schema_member_order(place, v, keys);
        for (size_t i = 0; i < n; i++)
            emit_member(b, keys[i], json_object_get(v, keys[i]), depth,
                        tocmp_schema_field(place, keys[i]), &first);
        if (keys != small)
            free(keys);
    }
    tocmp_buf_puts(b, "\n");
    indent(b, depth);
    tocmp_buf_puts(b, "}");
}

static void emit_array(tocmp_buf *b, json_t *v, int depth, const struct tocmp_field *field) {
    if (json_array_size(v) == 0) {
        tocmp_buf_puts(b, "[]");
        return;
    }
    tocmp_buf_puts(b, "[");
    struct tocmp_field entry = entry_of(field);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        tocmp_buf_puts(b, i ? ",\n" : "\n");
        indent(b, depth + 1);
        emit_value(b, item, depth + 1, &entry);
    }
    tocmp_buf_puts(b, "\n");
    indent(b, depth);
    tocmp_buf_puts(b, "]");
}

static void emit_value(tocmp_buf *b, json_t *v, int depth, const struct tocmp_field *field) {
    char text[32];
    switch (json_typeof(v)) {
    case JSON_OBJECT: emit_object(b, v, depth, field); break;
    case JSON_ARRAY: emit_array(b, v, depth, field); break;
    case JSON_STRING: emit_string(b, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER:
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        tocmp_buf_puts(b, text);
        break;
    case JSON_REAL: emit_real(b, json_real_value(v)); break;
    case JSON_TRUE: tocmp_buf_puts(b, "true"); break;
    case JSON_FALSE: tocmp_buf_puts(b, "false"); break;
    case JSON_NULL: tocmp_buf_puts(b, "null"); break;
    }
}

char *tocmp_format_json(json_t *root, size_t *len) {
    static const struct tocmp_field top = {
        .name = "", .kinds = TOCMP_K_OBJECT, .place = TOCMP_PLACE_ROOT};
    tocmp_buf b = {0};
    emit_value(&b, root, 0, &top);
    tocmp_buf_puts(&b, "\n");
    if (len)
        *len = b.len;
    return b.data;
}

char *tocm_model_format(const tocm_model *model, size_t *len) {
    return tocmp_format_json(model->root, len);
}
