/*
 * fuzz_model.c -- the model loader, the validator and the canonical writer.
 *
 * Properties beyond "no crash, no leak, no undefined behaviour": a model that
 * loads is written in the canonical layout, that text loads again, and
 * writing it again gives the same bytes (fmt is idempotent); every finding
 * prints in both forms.
 *
 * seeds: tests/cases:model.json models:model.json tests/cli:*.json
 * dict: json.dict
 */
#include "fuzz_common.h"
#include "tocm/tocm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_string(data, size);
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = NULL;
    if (tocm_model_load_string(text, "model.json", diags, &m) == TOCM_OK) {
        tocm_validate(m, diags);
        size_t len = 0;
        char *canonical = tocm_model_format(m, &len);
        FUZZ_CHECK(canonical && strlen(canonical) == len, "the canonical text has a NUL");
        tocm_diags *again = tocm_diags_new();
        tocm_model *m2 = NULL;
        int rc = tocm_model_load_string(canonical, "model.json", again, &m2);
        FUZZ_CHECK(rc == TOCM_OK, "the canonical text does not load:\n%s", canonical);
        FUZZ_CHECK(tocm_model_node_count(m2) == tocm_model_node_count(m),
                   "node count changed by fmt");
        FUZZ_CHECK(tocm_model_edge_count(m2) == tocm_model_edge_count(m),
                   "link count changed by fmt");
        size_t len2 = 0;
        char *canonical2 = tocm_model_format(m2, &len2);
        FUZZ_CHECK(len == len2 && memcmp(canonical, canonical2, len) == 0, "fmt is not idempotent");
        free(canonical2);
        free(canonical);
        tocm_model_free(m2);
        tocm_diags_free(again);
    }
    tocm_diags_print(diags, fuzz_null());
    tocm_diags_print_json(diags, fuzz_null());
    tocm_model_free(m);
    tocm_diags_free(diags);
    free(text);
    return 0;
}
