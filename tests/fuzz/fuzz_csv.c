/*
 * fuzz_csv.c -- the CSV parser and the typed-column checks.
 *
 * The first byte picks the types of the first four columns (two bits each:
 * text, integer, decimal, date); the rest is the CSV file. The file is read
 * once untyped, then with those types. Properties: a table that loads has
 * its cell arrays filled (no NULL text), every typed numeric cell is finite,
 * and every column name is found by name.
 *
 * seeds: tests/indicators/csv_cases:*.csv models:*.csv
 * dict: csv.dict
 * seed-prefix: 00 01 09 e4
 */
#include <math.h>

#include "fuzz_common.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    unsigned selector = data[0];
    const char *path = fuzz_path("data.csv");
    fuzz_write(path, data + 1, size - 1);

    tocm_diags *diags = tocm_diags_new();
    struct tocm_table *t = tocmp_table_load(path, "data.csv", NULL, 0, diags);
    if (t) {
        size_t n = t->column_count < 4 ? t->column_count : 4;
        struct tocmp_column_spec specs[4];
        for (size_t c = 0; c < n; c++) {
            specs[c].name = t->names[c];
            specs[c].type = (enum tocm_cell_type)(selector >> (2 * c) & 3);
        }
        struct tocm_table *typed = tocmp_table_load(path, "data.csv", specs, n, diags);
        if (typed) {
            FUZZ_CHECK(typed->row_count == t->row_count, "typed read has other rows");
            for (size_t c = 0; c < typed->column_count; c++) {
                size_t found = tocmp_table_column(typed, typed->names[c]);
                FUZZ_CHECK(found != TOCM_NONE && strcmp(typed->names[found], typed->names[c]) == 0,
                           "column '%s' not found by its name", typed->names[c]);
                for (size_t r = 0; r < typed->row_count; r++) {
                    size_t i = tocmp_table_cell(typed, r, c);
                    FUZZ_CHECK(typed->text[i] != NULL, "cell %zu,%zu has no text", r, c);
                    FUZZ_CHECK(!typed->has_number[i] || isfinite(typed->number[i]),
                               "cell %zu,%zu is not finite", r, c);
                }
            }
            tocmp_table_free(typed);
        }
        tocmp_table_free(t);
    }
    tocm_diags_print(diags, fuzz_null());
    tocm_diags_free(diags);
    return 0;
}
