/*
 * fuzz_iati.c -- `tocm import iati`: the guarded libxml2 read (no DTD, no
 * entities, bounds), the activity, results, indicators, baselines, targets,
 * periods from dates, actuals folded into results tables, placeholders and
 * the model made.
 *
 * The input is the XML file. Properties: an import succeeds with no error
 * and a model, or fails with errors and neither model nor tables, never
 * both or neither; every finding names a line inside the file (or none, 0);
 * the model loads and validates without an error; each results table is
 * RFC 4180 CSV whose every record has the header's number of fields; a
 * table path is data/NAME.csv, never outside the model's folder.
 *
 * seeds: tests/fuzz/seeds/iati:*.xml
 * dict: iati.dict
 */
#include "fuzz_common.h"
#include "import_csv.h"
#include "tocm/interchange.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = fuzz_path("activity.xml");
    fuzz_write(path, data, size);
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';

    tocm_diags *diags = tocm_diags_new();
    struct tocm_import_output out;
    int rc = tocm_import_iati(path, NULL, diags, &out);
    size_t errors = tocm_diags_errors(diags);
    FUZZ_CHECK((rc == TOCM_OK) == (out.model != NULL), "status %d but model %p", rc,
               (void *)out.model);
    FUZZ_CHECK((rc == TOCM_OK) == (errors == 0), "status %d with %zu errors", rc, errors);
    FUZZ_CHECK(rc == TOCM_OK || out.table_count == 0, "a failed import with %zu tables",
               out.table_count);
    for (size_t i = 0; i < tocm_diags_count(diags); i++) {
        const tocm_diag *g = tocm_diags_get(diags, i);
        FUZZ_CHECK(g->line >= 0 && (size_t)g->line <= lines, "finding at line %d of %zu", g->line,
                   lines);
    }
    if (out.model) {
        tocm_diags *again = tocm_diags_new();
        tocm_model *m = NULL;
        FUZZ_CHECK(tocm_model_load_string(out.model, "imported.json", again, &m) == TOCM_OK,
                   "the imported model does not load");
        if (m)
            FUZZ_CHECK(tocm_validate(m, again) == 0, "the imported model has errors");
        tocm_model_free(m);
        tocm_diags_free(again);
    }
    for (size_t t = 0; t < out.table_count; t++) {
        const struct tocm_import_table *tb = &out.tables[t];
        FUZZ_CHECK(strncmp(tb->path, "data/", 5) == 0 && !strstr(tb->path, "..") &&
                       !strchr(tb->path + 5, '/'),
                   "table path '%s' is not data/NAME.csv", tb->path);
        struct tocmp_csv csv;
        size_t line = 0;
        char err[256];
        int ok = tocmp_csv_parse(tb->text, tb->len, &csv, &line, err, sizeof err) == 0;
        FUZZ_CHECK(ok, "table %s is not CSV: line %zu: %s", tb->path, line, err);
        for (size_t r = 1; ok && r < csv.count; r++)
            FUZZ_CHECK(csv.records[r].count == csv.records[0].count,
                       "table %s: record %zu has %zu fields, the header %zu", tb->path, r,
                       csv.records[r].count, csv.records[0].count);
        tocmp_csv_free(&csv);
    }
    tocm_diags_print(diags, fuzz_null());
    tocm_diags_free(diags);
    tocm_import_output_free(&out);
    return 0;
}
