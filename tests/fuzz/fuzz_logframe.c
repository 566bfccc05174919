/*
 * fuzz_logframe.c -- `tocm import logframe`: the sheet's CSV reader, the
 * header mapping, the rows, values and the model they make.
 *
 * The input is the CSV sheet. Properties: an import succeeds with no error
 * and a model, or fails with errors and no model, never both or neither;
 * every error names a line inside the file (or none, 0); the model it makes
 * loads and validates without an error.
 *
 * seeds: examples/logframe:*.csv
 * dict: csv.dict
 */
#include "fuzz_common.h"
#include "tocm/interchange.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = fuzz_path("sheet.csv");
    fuzz_write(path, data, size);
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';

    tocm_diags *diags = tocm_diags_new();
    char *out = NULL;
    size_t len = 0;
    int rc = tocm_import_logframe(path, NULL, diags, &out, &len);
    size_t errors = tocm_diags_errors(diags);
    FUZZ_CHECK((rc == TOCM_OK) == (out != NULL), "status %d but model %p", rc, (void *)out);
    FUZZ_CHECK((rc == TOCM_OK) == (errors == 0), "status %d with %zu errors", rc, errors);
    for (size_t i = 0; i < tocm_diags_count(diags); i++) {
        const tocm_diag *g = tocm_diags_get(diags, i);
        FUZZ_CHECK(g->line >= 0 && (size_t)g->line <= lines, "error at line %d of %zu", g->line,
                   lines);
    }
    if (out) {
        tocm_diags *again = tocm_diags_new();
        tocm_model *m = NULL;
        FUZZ_CHECK(tocm_model_load_string(out, "imported.json", again, &m) == TOCM_OK,
                   "the imported model does not load");
        if (m)
            FUZZ_CHECK(tocm_validate(m, again) == 0, "the imported model has errors");
        tocm_model_free(m);
        tocm_diags_free(again);
    }
    tocm_diags_print(diags, fuzz_null());
    tocm_diags_free(diags);
    free(out);
    return 0;
}
