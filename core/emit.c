/*
 * emit.c -- the canonical text of a model (models/FORMAT.md, "Canonical
 * layout").
 *
 * jansson's own encoder would do for most of it, but it prints reals with 17
 * significant digits (0.1 comes back as 0.10000000000000001) and knows
 * nothing of the member order we want, so a model would not survive a round
 * trip unchanged. This writer prints each number in the shortest form that
 * reads back to the same double, and puts known members first in a fixed
 * order, then the unknown ones in the order the file had them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "util.h"

/* Where in the document a value sits decides its member order. LEVELS and
 * NODES are the arrays whose items are a LEVEL or a NODE. */
enum place {
    PLACE_OTHER,
    PLACE_ROOT,
    PLACE_PROGRAM,
    PLACE_LEVELS,
    PLACE_LEVEL,
    PLACE_NODES,
    PLACE_NODE,
    PLACE_INDICATORS,
    PLACE_INDICATOR
};

static const char *const root_order[] = {"tocm",   "program",    "levels", "nodes",
                                         "tables", "indicators", "status", NULL};
static const char *const program_order[] = {"id", "title", "description", "period",
                                            "countries", NULL};
static const char *const level_order[] = {"id", "title", "outcome", NULL};
static const char *const node_order[] = {
    "id",       "level",          "title",    "description", "country", "partners",
    "status",   "contributes_to", "inferred", "assumptions", "source",  "notes", NULL};

static const char *const indicator_order[] = {
    "id",          "title",   "nodes",        "measure",  "unit",        "calculator",
    "table",       "params",  "filter",       "period",   "disaggregate", "baseline",
    "targets",     "direction", "aggregation", "rounding", "reported",    NULL};

static const char *const *order_for(enum place p) {
    switch (p) {
    case PLACE_ROOT: return root_order;
    case PLACE_PROGRAM: return program_order;
    case PLACE_LEVEL: return level_order;
    case PLACE_NODE: return node_order;
    case PLACE_INDICATOR: return indicator_order;
    default: return NULL;
    }
}

static int in_list(const char *const *list, const char *key) {
    for (; list && *list; list++)
        if (strcmp(*list, key) == 0)
            return 1;
    return 0;
}

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

static void emit_value(tocmp_buf *b, json_t *v, int depth, enum place place);

static void emit_member(tocmp_buf *b, const char *key, json_t *value, int depth,
                        enum place child, int *first) {
    tocmp_buf_puts(b, *first ? "\n" : ",\n");
    *first = 0;
    indent(b, depth + 1);
    emit_string(b, key, strlen(key));
    tocmp_buf_puts(b, ": ");
    emit_value(b, value, depth + 1, child);
}

static enum place child_place(enum place parent, const char *key) {
    if (parent != PLACE_ROOT)
        return PLACE_OTHER;
    if (strcmp(key, "program") == 0)
        return PLACE_PROGRAM;
    if (strcmp(key, "levels") == 0)
        return PLACE_LEVELS;
    if (strcmp(key, "nodes") == 0)
        return PLACE_NODES;
    if (strcmp(key, "indicators") == 0)
        return PLACE_INDICATORS;
    return PLACE_OTHER;
}

static void emit_object(tocmp_buf *b, json_t *v, int depth, enum place place) {
    if (json_object_size(v) == 0) {
        tocmp_buf_puts(b, "{}");
        return;
    }
    tocmp_buf_puts(b, "{");
    int first = 1;
    const char *const *order = order_for(place);
    for (const char *const *k = order; k && *k; k++) {
        json_t *member = json_object_get(v, *k);
        if (member)
            emit_member(b, *k, member, depth, child_place(place, *k), &first);
    }
    const char *key;
    json_t *member;
    json_object_foreach(v, key, member) {
        if (!in_list(order, key))
            emit_member(b, key, member, depth, child_place(place, key), &first);
    }
    tocmp_buf_puts(b, "\n");
    indent(b, depth);
    tocmp_buf_puts(b, "}");
}

static void emit_array(tocmp_buf *b, json_t *v, int depth, enum place item_place) {
    if (json_array_size(v) == 0) {
        tocmp_buf_puts(b, "[]");
        return;
    }
    tocmp_buf_puts(b, "[");
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        tocmp_buf_puts(b, i ? ",\n" : "\n");
        indent(b, depth + 1);
        emit_value(b, item, depth + 1, item_place);
    }
    tocmp_buf_puts(b, "\n");
    indent(b, depth);
    tocmp_buf_puts(b, "]");
}

static void emit_value(tocmp_buf *b, json_t *v, int depth, enum place place) {
    char text[32];
    switch (json_typeof(v)) {
    case JSON_OBJECT: emit_object(b, v, depth, place); break;
    case JSON_ARRAY:
        emit_array(b, v, depth,
                   place == PLACE_LEVELS       ? PLACE_LEVEL
                   : place == PLACE_NODES      ? PLACE_NODE
                   : place == PLACE_INDICATORS ? PLACE_INDICATOR
                                               : PLACE_OTHER);
        break;
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
    tocmp_buf b = {0};
    emit_value(&b, root, 0, PLACE_ROOT);
    tocmp_buf_puts(&b, "\n");
    if (len)
        *len = b.len;
    return b.data;
}

char *tocm_model_format(const tocm_model *model, size_t *len) {
    return tocmp_format_json(model->root, len);
}
