/*
 * fuzz_diff.c -- the semantic diff of two models, in words and as JSON.
 *
 * The input is two models separated by a line "===" (without one, the input
 * is diffed against a fixed small model). Properties: a model diffed with
 * itself has no changes; the JSON form parses and says "equal" exactly when
 * there are no changes.
 *
 * seeds: tests/fuzz/seeds/diff:*.txt tests/cases:model.json
 * dict: json.dict
 */
#include <jansson.h>

#include "fuzz_common.h"
#include "tocm/tocm.h"

static const char fixed[] =
    "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"Program\"},\n"
    " \"nodes\": [{\"id\": \"G\", \"level\": \"goal\", \"title\": \"Goal\"},\n"
    "  {\"id\": \"E1\", \"level\": \"eopo\", \"title\": \"Outcome\", \"contributes_to\": "
    "[\"G\"]},\n"
    "  {\"id\": \"P1\", \"level\": \"project\", \"title\": \"Project\", \"contributes_to\": "
    "[\"E1\"]}]}\n";

static void check_diff(const tocm_model *a, const tocm_model *b, int same) {
    tocm_diff *d = tocm_diff_models(a, b);
    size_t count = tocm_diff_count(d);
    if (same)
        FUZZ_CHECK(count == 0, "a model differs from itself in %zu ways", count);
    char *text = tocm_diff_text(d, "old.json", "new.json");
    fputs(text, fuzz_null());
    char *json = tocm_diff_json(d, "old.json", "new.json");
    json_error_t err;
    json_t *doc = json_loads(json, 0, &err);
    FUZZ_CHECK(doc, "diff --json is not JSON (%s):\n%s", err.text, json);
    json_t *equal = json_object_get(doc, "equal");
    FUZZ_CHECK(json_is_boolean(equal) && json_is_true(equal) == (count == 0),
               "\"equal\" disagrees with %zu changes", count);
    json_decref(doc);
    free(json);
    free(text);
    tocm_diff_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_string(data, size);
    const char *first = text, *second = fixed;
    char *sep = strstr(text, "\n===\n");
    if (sep) {
        *sep = '\0';
        second = sep + 5;
    }
    tocm_diags *diags = tocm_diags_new();
    tocm_model *a = NULL, *b = NULL;
    if (tocm_model_load_string(first, "old.json", diags, &a) == TOCM_OK &&
        tocm_model_load_string(second, "new.json", diags, &b) == TOCM_OK) {
        check_diff(a, a, 1);
        check_diff(a, b, 0);
        check_diff(b, a, 0);
    }
    tocm_model_free(a);
    tocm_model_free(b);
    tocm_diags_free(diags);
    free(text);
    return 0;
}
