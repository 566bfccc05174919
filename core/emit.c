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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "schema.h"
#include "util.h"

/* The text being written, and whether reading it back gives the same
 * document (see tocmp_format_json_checked). */
struct emitter {
    tocmp_buf b;
    int unfaithful;
    /* Comparing instead of keeping (tocmp_json_is_canonical): the text
     * is checked against expect in blocks and b holds only the latest. */
    const char *expect;
    size_t expect_len, matched;
    int differs;
};

/* Past this, a comparing emitter checks what it holds and empties b. */
#define COMPARE_BLOCK 65536

/* Deeper than this, the text is not trusted to read back: jansson refuses
 * 2,048 levels, and a model needs 5. */
#define FAITHFUL_DEPTH 256

static void compare_block(struct emitter *e) {
    if (!e->differs && e->b.len &&
        (e->b.len > e->expect_len - e->matched ||
         memcmp(e->b.data, e->expect + e->matched, e->b.len) != 0))
        e->differs = 1;
    e->matched += e->b.len;
    e->b.len = 0;
}

static void put(struct emitter *e, const char *s, size_t n) {
    if (e->differs)
        return; /* a comparison already lost: nothing left to learn */
    tocmp_buf_append(&e->b, s, n);
    if (e->expect && e->b.len >= COMPARE_BLOCK)
        compare_block(e);
}
#define PUT_LITERAL(e, s) put(e, s, sizeof s - 1)

static void indent(struct emitter *e, int depth) {
    static const char spaces[] = "                                "; /* 32 */
    size_t n = 2 * (size_t)depth;
    for (; n > sizeof spaces - 1; n -= sizeof spaces - 1)
        put(e, spaces, sizeof spaces - 1);
    put(e, spaces, n);
}

/* 1 when one of the 8 bytes of w is a control character, '"' or '\\': the
 * usual word-at-a-time tests (a byte below n: (w - n*ONES) & ~w & HIGHS). */
static int word_needs_escape(uint64_t w) {
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    uint64_t hit =
        ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
    return (hit & highs) != 0;
}

static void emit_string(struct emitter *e, const char *s, size_t len) {
    PUT_LITERAL(e, "\"");
    size_t run = 0; /* bytes copied verbatim are appended in runs */
    for (size_t i = 0; i < len; i++) {
        /* Titles and descriptions are most of a model's bytes, and seldom
         * hold a byte to escape: skip them 8 at a time. */
        uint64_t w;
        while (len - i >= 8 && (memcpy(&w, s + i, 8), !word_needs_escape(w)))
            i += 8;
        if (i == len)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
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
            /* jansson reads \u0000 back as an error, not a NUL. */
            e->unfaithful |= c == 0;
            snprintf(hex, sizeof hex, "\\u%04x", c);
            esc = hex;
        }
        put(e, s + run, i - run);
        put(e, esc, strlen(esc));
        run = i + 1;
    }
    put(e, s + run, len - run);
    PUT_LITERAL(e, "\"");
}

static void emit_real(struct emitter *e, double d) {
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
    put(e, text, strlen(text));
    /* Keep it a real on the next read: "2" would come back an integer. */
    if (!strpbrk(text, ".eE"))
        PUT_LITERAL(e, ".0");
}

/* field describes v (its kinds, and the place of its members or entries);
 * NULL when the format does not know it. */
static void emit_value(struct emitter *e, json_t *v, int depth, const struct tocmp_field *field);

static void emit_member(struct emitter *e, const char *key, json_t *value, int depth,
                        const struct tocmp_field *field, int *first) {
    if (*first)
        PUT_LITERAL(e, "\n");
    else
        PUT_LITERAL(e, ",\n");
    *first = 0;
    indent(e, depth + 1);
    emit_string(e, key, strlen(key));
    PUT_LITERAL(e, ": ");
    emit_value(e, value, depth + 1, field);
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

static void emit_object(struct emitter *e, json_t *v, int depth, const struct tocmp_field *field) {
    size_t size = json_object_size(v);
    if (size == 0) {
        PUT_LITERAL(e, "{}");
        return;
    }
    PUT_LITERAL(e, "{");
    int first = 1;
    const char *key;
    json_t *member;
    if (field && (field->flags & TOCMP_F_MAP)) {
        /* Names the modeller chose: in the file's order. */
        struct tocmp_field entry = entry_of(field);
        json_object_foreach(v, key, member) emit_member(e, key, member, depth, &entry, &first);
    } else {
        /* Known members by canonical position, then the others as they
         * came. */
        enum tocmp_place place = field ? field->place : TOCMP_PLACE_NONE;
        struct tocmp_member small[32];
        struct tocmp_member *members = size <= 32 ? small : tocmp_xmalloc(size * sizeof *members);
        size_t n = tocmp_schema_member_order(place, v, members);
        for (size_t i = 0; i < n; i++)
            emit_member(e, members[i].key, members[i].value, depth, members[i].field, &first);
        if (members != small)
            free(members);
    }
    PUT_LITERAL(e, "\n");
    indent(e, depth);
    PUT_LITERAL(e, "}");
}

static void emit_array(struct emitter *e, json_t *v, int depth, const struct tocmp_field *field) {
    if (json_array_size(v) == 0) {
        PUT_LITERAL(e, "[]");
        return;
    }
    PUT_LITERAL(e, "[");
    struct tocmp_field entry = entry_of(field);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        if (i)
            PUT_LITERAL(e, ",\n");
        else
            PUT_LITERAL(e, "\n");
        indent(e, depth + 1);
        emit_value(e, item, depth + 1, &entry);
    }
    PUT_LITERAL(e, "\n");
    indent(e, depth);
    PUT_LITERAL(e, "]");
}

static void emit_value(struct emitter *e, json_t *v, int depth, const struct tocmp_field *field) {
    char text[32];
    switch (json_typeof(v)) {
    case JSON_OBJECT:
    case JSON_ARRAY:
        e->unfaithful |= depth >= FAITHFUL_DEPTH;
        if (json_is_object(v))
            emit_object(e, v, depth, field);
        else
            emit_array(e, v, depth, field);
        break;
    case JSON_STRING: emit_string(e, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER:
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        put(e, text, strlen(text));
        break;
    case JSON_REAL: emit_real(e, json_real_value(v)); break;
    case JSON_TRUE: PUT_LITERAL(e, "true"); break;
    case JSON_FALSE: PUT_LITERAL(e, "false"); break;
    case JSON_NULL: PUT_LITERAL(e, "null"); break;
    }
}

static const struct tocmp_field top = {
    .name = "", .kinds = TOCMP_K_OBJECT, .place = TOCMP_PLACE_ROOT};

char *tocmp_format_json_checked(json_t *root, size_t size_hint, size_t *len, int *faithful) {
    struct emitter e = {.unfaithful = 0};
    /* A text about as long as a known one (an edit's): room for it at once
     * rather than by doubling and copying. */
    if (size_hint) {
        e.b.cap = size_hint + size_hint / 16 + 4096;
        e.b.data = tocmp_xmalloc_large(e.b.cap);
    }
    emit_value(&e, root, 0, &top);
    PUT_LITERAL(&e, "\n");
    if (len)
        *len = e.b.len;
    if (faithful)
        *faithful = !e.unfaithful;
    return e.b.data;
}

int tocmp_json_is_canonical(json_t *root, const char *text, size_t len) {
    struct emitter e = {.expect = text, .expect_len = len};
    emit_value(&e, root, 0, &top);
    PUT_LITERAL(&e, "\n");
    compare_block(&e);
    free(e.b.data);
    return !e.differs && e.matched == len;
}

char *tocmp_format_json(json_t *root, size_t *len) {
    return tocmp_format_json_checked(root, 0, len, NULL);
}

char *tocm_model_format(const tocm_model *model, size_t *len) {
    return tocmp_format_json(model->root, len);
}
