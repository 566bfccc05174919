/*
 * schema_json.c -- models/tocm.schema.json, the JSON Schema editors read,
 * generated from the schema (core/schema.c, core/schema_json.c), so it
 * cannot drift from what tocm checks.
 *
 *   schema_json --check tocm.schema.json    exit 1 when the file differs
 *   schema_json --update tocm.schema.json   rewrite it (atomically)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "tocm/tocm.h"
#include "util.h"

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[1], "--check") != 0 && strcmp(argv[1], "--update") != 0)) {
        fprintf(stderr, "usage: schema_json --check|--update tocm.schema.json\n");
        return 2;
    }
    int update = strcmp(argv[1], "--update") == 0;
    const char *file = argv[2];
    json_t *schema = tocmp_schema_json();
    char *want = json_dumps(schema, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(schema);
    if (!want) {
        fprintf(stderr, "schema_json: out of memory\n");
        return 2;
    }
    tocmp_buf text = {0};
    tocmp_buf_puts(&text, want);
    tocmp_buf_puts(&text, "\n");
    free(want);

    size_t len = 0;
    char *have = tocmp_read_file(file, &len);
    int readable = have != NULL;
    int same = readable && len == text.len && memcmp(have, text.data, len) == 0;
    free(have);
    int rc = 0;
    if (same) {
        rc = 0;
    } else if (update) {
        char err[512];
        if (tocm_write_file_atomic(file, text.data, text.len, err, sizeof err) != TOCM_OK) {
            fprintf(stderr, "%s\n", err);
            rc = 2;
        } else {
            fprintf(stderr, "%s: rewritten from the schema\n", file);
        }
    } else {
        fprintf(stderr, "%s: %s core/schema.c; run: build/schema_json --update %s\n", file,
                readable ? "differs from" : "cannot be read, or is not generated from", file);
        rc = 1;
    }
    free(text.data);
    return rc;
}
