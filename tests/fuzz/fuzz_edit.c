/*
 * fuzz_edit.c -- the edit operations: set (KEY=TEXT, KEY:=JSON, KEY+=TEXT,
 * KEY-=TEXT with any key and value), unset, link, unlink, rename, remove
 * (plain, cascade, reattach), add node, add indicator; then a dry-run
 * commit.
 *
 * The input is one operation per line, fields separated by one space; a set
 * takes the rest of its line as the assignment:
 *     set ID ASSIGNMENT      unset ID KEY          kind node|indicator|any
 *     link FROM TO [inferred]  unlink FROM TO      rename OLD NEW
 *     rm ID [cascade | reattach TO]                add ID LEVEL TITLE
 *     addind ID TITLE
 * When the input starts with '{', everything up to a line "---" is the model
 * to edit; otherwise a fixed model with every level and an indicator is.
 * Properties: a refused operation leaves a reason; a commit that says it
 * would write leaves a text that loads as a model.
 *
 * seeds: tests/fuzz/seeds/edit:*.txt
 * dict: edit.dict
 */
#include "fuzz_common.h"
#include "tocm/tocm.h"

static const char base_model[] =
    "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"Program\"},\n"
    " \"nodes\": [\n"
    "  {\"id\": \"G\", \"level\": \"goal\", \"title\": \"Goal\"},\n"
    "  {\"id\": \"E1\", \"level\": \"eopo\", \"title\": \"Outcome\", \"contributes_to\": "
    "[\"G\"]},\n"
    "  {\"id\": \"I1\", \"level\": \"intermediate\", \"title\": \"Shared\", \"contributes_to\": "
    "[\"E1\"], \"partners\": [\"UN\"]},\n"
    "  {\"id\": \"M1\", \"level\": \"immediate\", \"title\": \"Result\", \"contributes_to\": "
    "[\"I1\"], \"inferred\": [\"I1\"]},\n"
    "  {\"id\": \"P1\", \"level\": \"project\", \"title\": \"Project\", \"country\": \"KH\", "
    "\"contributes_to\": [\"M1\"]},\n"
    "  {\"id\": \"A1\", \"level\": \"activity\", \"title\": \"Activity\", \"contributes_to\": "
    "[\"P1\"]}\n"
    " ],\n"
    " \"indicators\": [{\"id\": \"K1\", \"title\": \"People\", \"nodes\": [\"M1\", \"P1\"]}]}\n";

/* Splits line at single spaces into at most max fields; the last one keeps
 * the rest of the line. Returns the count. */
static size_t split(char *line, char **field, size_t max) {
    size_t n = 0;
    while (n + 1 < max) {
        field[n++] = line;
        char *space = strchr(line, ' ');
        if (!space)
            return n;
        *space = '\0';
        line = space + 1;
    }
    field[n++] = line;
    return n;
}

static int apply(tocm_edit *e, char *line) {
    char *f[4] = {0};
    size_t n = split(line, f, 3);
    if (n < 2)
        return TOCM_OK;
    const char *op = f[0];
    if (strcmp(op, "set") == 0 && n == 3)
        return tocm_edit_assign(e, f[1], f[2]);
    if (strcmp(op, "unset") == 0 && n == 3)
        return tocm_edit_unset(e, f[1], f[2]);
    if (strcmp(op, "kind") == 0) {
        tocm_edit_set_kind(e, strcmp(f[1], "node") == 0        ? TOCM_EDIT_NODE
                              : strcmp(f[1], "indicator") == 0 ? TOCM_EDIT_INDICATOR
                                                               : TOCM_EDIT_ANY);
        return TOCM_OK;
    }
    /* The others take plain fields: split the last one again. */
    if (n == 3)
        n = 2 + split(f[2], f + 2, 2);
    if (strcmp(op, "link") == 0 && n >= 3)
        return tocm_edit_link(e, f[1], f[2], n == 4 && strcmp(f[3], "inferred") == 0);
    if (strcmp(op, "unlink") == 0 && n >= 3)
        return tocm_edit_unlink(e, f[1], f[2]);
    if (strcmp(op, "rename") == 0 && n >= 3)
        return tocm_edit_rename(e, f[1], f[2]);
    if (strcmp(op, "rm") == 0) {
        if (n >= 3 && strcmp(f[2], "cascade") == 0)
            return tocm_edit_remove(e, f[1], TOCM_REMOVE_CASCADE, NULL);
        if (n >= 3 && strncmp(f[2], "reattach", 8) == 0)
            return tocm_edit_remove(e, f[1], TOCM_REMOVE_REATTACH, n == 4 ? f[3] : "");
        return tocm_edit_remove(e, f[1], TOCM_REMOVE_ONLY, NULL);
    }
    if (strcmp(op, "add") == 0 && n == 4)
        return tocm_edit_add_node(e, f[1], f[2], f[3], NULL);
    if (strcmp(op, "addind") == 0 && n >= 3)
        return tocm_edit_add_indicator(e, f[1], f[2]);
    return TOCM_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_string(data, size);
    char *ops = text;
    const char *path = fuzz_path("model.json");
    if (text[0] == '{') {
        char *sep = strstr(text, "\n---\n");
        if (!sep) {
            free(text);
            return 0;
        }
        fuzz_write(path, text, (size_t)(sep - text) + 1);
        ops = sep + 5;
    } else {
        fuzz_write(path, base_model, sizeof base_model - 1);
    }
    tocm_diags *diags = tocm_diags_new();
    tocm_edit *e = NULL;
    const tocm_edit_options options = {.lock_timeout = 0};
    if (tocm_edit_open(path, &options, diags, &e) == TOCM_OK) {
        char *save = NULL;
        for (char *line = strtok_r(ops, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            if (apply(e, line) != TOCM_OK)
                FUZZ_CHECK(tocm_edit_error(e)[0] != '\0', "a refused operation gives no reason");
        }
        tocm_diags *added = tocm_diags_new();
        int rc = tocm_edit_commit(e, TOCM_COMMIT_DRY_RUN | TOCM_COMMIT_FORCE, added);
        if (rc == TOCM_OK && tocm_edit_changed(e)) {
            size_t len;
            const char *after = tocm_edit_text(e, 1, &len);
            tocm_diags *check = tocm_diags_new();
            tocm_model *m = NULL;
            FUZZ_CHECK(tocm_model_load_string(after, "after.json", check, &m) == TOCM_OK,
                       "a commit accepted a text that does not load:\n%s", after);
            tocm_model_free(m);
            tocm_diags_free(check);
        }
        for (size_t i = 0; i < tocm_edit_note_count(e); i++)
            fputs(tocm_edit_note(e, i), fuzz_null());
        tocm_diags_free(added);
        tocm_edit_close(e);
    }
    tocm_diags_free(diags);
    free(text);
    return 0;
}
