/*
 * schema_doc.c -- models/FORMAT.md's field tables, generated from the schema
 * (core/schema.c), so the documentation cannot drift from what tocm checks.
 *
 *   schema_doc --check FORMAT.md    exit 1 (and say where) when a table
 *                                   differs from the schema, or a place has
 *                                   no table
 *   schema_doc --update FORMAT.md   rewrite the tables in place
 *
 * A table sits between "<!-- fields: PLACE -->" and "<!-- end fields -->";
 * everything outside the markers is prose and left alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "tocm/tocm.h"
#include "util.h"

#define BEGIN "<!-- fields: "
#define END "<!-- end fields -->"

static void table_for(tocmp_buf *b, const struct tocmp_place_info *p) {
    tocmp_buf_puts(b, "| field | type | required | meaning |\n| --- | --- | --- | --- |\n");
    for (size_t i = 0; i < p->field_count; i++) {
        const struct tocmp_field *f = &p->fields[i];
        char *type = tocmp_schema_doc_type(f);
        tocmp_buf_printf(b, "| `%s` | %s | %s | %s |\n", f->name, type,
                         f->flags & TOCMP_F_REQUIRED ? "yes" : "no", f->meaning);
        free(type);
    }
}

static const struct tocmp_place_info *place_named(const char *name, size_t len) {
    for (int p = TOCMP_PLACE_ROOT; p < TOCMP_PLACE_COUNT; p++) {
        const struct tocmp_place_info *info = tocmp_schema_place((enum tocmp_place)p);
        if (strlen(info->name) == len && memcmp(info->name, name, len) == 0)
            return info;
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[1], "--check") != 0 && strcmp(argv[1], "--update") != 0)) {
        fprintf(stderr, "usage: schema_doc --check|--update FORMAT.md\n");
        return 2;
    }
    int update = strcmp(argv[1], "--update") == 0;
    const char *file = argv[2];
    size_t len;
    char *text = tocmp_read_file(file, &len);
    if (!text) {
        perror(file);
        return 2;
    }
    int seen[TOCMP_PLACE_COUNT] = {0};
    tocmp_buf out = {0};
    const char *p = text;
    int problems = 0;
    for (;;) {
        const char *begin = strstr(p, BEGIN);
        if (!begin)
            break;
        const char *name = begin + strlen(BEGIN);
        const char *name_end = strstr(name, " -->");
        const char *body = name_end ? strchr(name_end, '\n') : NULL;
        const char *end = body ? strstr(body, END) : NULL;
        if (!end) {
            fprintf(stderr, "%s: a table marker has no \"%s\" after it\n", file, END);
            return 2;
        }
        const struct tocmp_place_info *info = place_named(name, (size_t)(name_end - name));
        if (!info) {
            fprintf(stderr, "%s: no place '%.*s' in the schema\n", file, (int)(name_end - name),
                    name);
            return 2;
        }
        seen[info - tocmp_schema_place(TOCMP_PLACE_NONE)] = 1;
        tocmp_buf_append(&out, p, (size_t)(body + 1 - p));
        tocmp_buf want = {0};
        table_for(&want, info);
        if (strlen(want.data) != (size_t)(end - body - 1) ||
            memcmp(want.data, body + 1, want.len) != 0) {
            fprintf(stderr, "%s: the fields of %s (%s) differ from core/schema.c\n", file,
                    info->name, *info->path ? info->path : "top level");
            problems++;
        }
        tocmp_buf_append(&out, want.data, want.len);
        free(want.data);
        p = end;
    }
    tocmp_buf_puts(&out, p);
    for (int i = TOCMP_PLACE_ROOT; i < TOCMP_PLACE_COUNT; i++) {
        if (!seen[i]) {
            const struct tocmp_place_info *info = tocmp_schema_place((enum tocmp_place)i);
            fprintf(stderr, "%s: no table for %s (add \"%s%s -->\" ... \"%s\")\n", file, info->name,
                    BEGIN, info->name, END);
            problems++;
        }
    }
    int rc = 0;
    if (update && problems) {
        char err[512];
        if (tocm_write_file_atomic(file, out.data, out.len, err, sizeof err) != TOCM_OK) {
            fprintf(stderr, "%s\n", err);
            rc = 2;
        } else {
            fprintf(stderr, "%s: tables rewritten from the schema\n", file);
        }
    } else if (problems) {
        fprintf(stderr, "run: schema_doc --update %s\n", file);
        rc = 1;
    }
    free(out.data);
    free(text);
    return rc;
}
