/*
 * diag.c -- the list of findings that loading and validation produce, and
 * its two printed forms: GNU-style lines for people, a JSON array for tools.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tocm/tocm.h"
#include "util.h"

struct tocm_diags {
    tocm_diag *items;
    size_t count, capacity;
    size_t errors, warnings;
};

tocm_diags *tocm_diags_new(void) {
    /* Every use of the library starts here or at tocm_registry_load. */
    tocmp_json_alloc_init();
    return tocmp_xcalloc(1, sizeof(tocm_diags));
}

void tocm_diags_free(tocm_diags *diags) {
    if (!diags)
        return;
    for (size_t i = 0; i < diags->count; i++) {
        tocm_diag *d = &diags->items[i];
        free((char *)d->code);
        free((char *)d->file);
        free((char *)d->path);
        free((char *)d->node);
        free((char *)d->message);
    }
    free(diags->items);
    free(diags);
}

size_t tocm_diags_count(const tocm_diags *diags) { return diags->count; }
size_t tocm_diags_errors(const tocm_diags *diags) { return diags->errors; }
size_t tocm_diags_warnings(const tocm_diags *diags) { return diags->warnings; }

const tocm_diag *tocm_diags_get(const tocm_diags *diags, size_t index) {
    return index < diags->count ? &diags->items[index] : NULL;
}

void tocm_diags_add(tocm_diags *diags, enum tocm_severity severity, const char *code,
                    const char *file, int line, int column, const char *path, const char *node,
                    const char *fmt, ...) {
    if (diags->count == diags->capacity) {
        diags->capacity = diags->capacity ? diags->capacity * 2 : 16;
        diags->items = tocmp_xrealloc(diags->items, diags->capacity * sizeof *diags->items);
    }
    va_list ap;
    va_start(ap, fmt);
    char *message = tocmp_vasprintf(fmt, ap);
    va_end(ap);

    tocm_diag *d = &diags->items[diags->count++];
    d->severity = severity;
    d->code = tocmp_xstrdup(code);
    d->file = tocmp_xstrdup(file ? file : "");
    d->line = line;
    d->column = column;
    d->path = tocmp_xstrdup(path ? path : "");
    d->node = node ? tocmp_xstrdup(node) : NULL;
    d->message = message;
    if (severity == TOCM_SEV_ERROR)
        diags->errors++;
    else
        diags->warnings++;
}

static const char *severity_name(enum tocm_severity s) {
    return s == TOCM_SEV_ERROR ? "error" : "warning";
}

void tocm_print_text(const char *text, int flags, void *stdio_file) {
    FILE *out = stdio_file;
    const char *p = text, *plain = text;
    while (*p) {
        size_t len;
        long cp;
        if (!tocmp_char_is_control(p, &len, &cp) || (cp == '\n' && (flags & TOCM_TEXT_MULTILINE))) {
            p += len;
            continue;
        }
        fwrite(plain, 1, (size_t)(p - plain), out);
        if (cp == '\t' || cp == '\n' || cp == '\r')
            fprintf(out, "\\%c", cp == '\t' ? 't' : cp == '\n' ? 'n' : 'r');
        else if (cp < 0)
            fprintf(out, "\\x%02X", (unsigned char)*p);
        else if (cp < 0x80)
            fprintf(out, "\\x%02lX", cp);
        else
            fprintf(out, "\\u{%04lX}", cp);
        p += len;
        plain = p;
    }
    fwrite(plain, 1, (size_t)(p - plain), out);
}

void tocm_diag_print(const tocm_diag *d, void *stdio_file) {
    FILE *out = stdio_file;
    tocm_print_text(d->file, 0, out);
    if (d->line > 0)
        fprintf(out, ":%d", d->line);
    if (d->line > 0 && d->column > 0) /* a whole row has a line only */
        fprintf(out, ":%d", d->column);
    fprintf(out, ": %s: ", severity_name(d->severity));
    tocm_print_text(d->code, 0, out);
    /* Syntax errors have a line and column but no JSON path. */
    if (d->path[0] || d->line == 0) {
        fputc(' ', out);
        tocm_print_text(d->path[0] ? d->path : "/", 0, out);
    }
    fputs(": ", out);
    tocm_print_text(d->message, 0, out);
    fputc('\n', out);
}

void tocm_diags_print(const tocm_diags *diags, void *stdio_file) {
    for (size_t i = 0; i < diags->count; i++)
        tocm_diag_print(&diags->items[i], stdio_file);
}

void tocm_diags_print_json(const tocm_diags *diags, void *stdio_file) {
    json_t *array = json_array();
    for (size_t i = 0; i < diags->count; i++) {
        const tocm_diag *d = &diags->items[i];
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(d->file));
        json_object_set_new(o, "line", d->line ? json_integer(d->line) : json_null());
        json_object_set_new(o, "column", d->line ? json_integer(d->column) : json_null());
        json_object_set_new(o, "severity", json_string(severity_name(d->severity)));
        json_object_set_new(o, "code", json_string(d->code));
        json_object_set_new(o, "path", json_string(d->path));
        json_object_set_new(o, "node", d->node ? json_string(d->node) : json_null());
        json_object_set_new(o, "message", json_string(d->message));
        json_array_append_new(array, o);
    }
    json_dumpf(array, stdio_file, JSON_INDENT(2));
    fputc('\n', stdio_file);
    json_decref(array);
}
