/*
 * fuzz_filter.c -- the row filter language of indicators ("filter", and the
 * "where", "numerator", "denominator" parameters of the calculators).
 *
 * The input is a filter as JSON; a value that is not an object is tried as
 * the wanted value of each column ({"COLUMN": value}). It is matched against
 * every row of a fixed table with text, integer, decimal and date columns,
 * empty cells and numeric text. Property: a filter and {"not": filter} on
 * one column never both match a row.
 *
 * seeds: tests/fuzz/seeds/filter:*.json
 * dict: json.dict
 */
#include <jansson.h>

#include "engine_internal.h"
#include "fuzz_common.h"

static const char table_csv[] = "sex,country,year,value,held,label\n"
                                "female,KH,2019,1.5,2019-03-01,10\n"
                                "male,LA,2020,-2,2020,x\n"
                                "other,VN,2021,,2021-12,\n"
                                ",KH,2021,0,,\"a,b\"\n"
                                "female,\"\",,1e3,2022-01-31,2021\n";

static struct tocm_table *table(void) {
    static struct tocm_table *t;
    if (!t) {
        const char *path = fuzz_path("filter.csv");
        fuzz_write(path, table_csv, sizeof table_csv - 1);
        const struct tocmp_column_spec specs[] = {
            {"year", TOCM_CELL_INTEGER}, {"value", TOCM_CELL_DECIMAL}, {"held", TOCM_CELL_DATE}};
        tocm_diags *diags = tocm_diags_new();
        t = tocmp_table_load(path, "filter.csv", specs, 3, diags);
        tocm_diags_free(diags);
        if (!t)
            abort();
    }
    return t;
}

static void match_all(json_t *filter, const struct tocm_table *t) {
    for (size_t row = 0; row < t->row_count; row++)
        (void)tocmp_filter_matches(filter, t, row);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const struct tocm_table *t = table();
    json_error_t err;
    json_t *value = json_loadb((const char *)data, size, JSON_DECODE_ANY, &err);
    if (!value)
        return 0;
    if (json_is_object(value)) {
        match_all(value, t);
    } else {
        for (size_t c = 0; c < t->column_count; c++) {
            json_t *filter = json_pack("{sO}", t->names[c], value);
            json_t *negated = json_pack("{s{sO}}", t->names[c], "not", value);
            for (size_t row = 0; row < t->row_count; row++) {
                int yes = tocmp_filter_matches(filter, t, row);
                int no = tocmp_filter_matches(negated, t, row);
                FUZZ_CHECK(!(yes && no), "row %zu matches a filter and its negation", row);
            }
            json_decref(filter);
            json_decref(negated);
        }
        json_t *missing = json_pack("{sO}", "no such column", value);
        match_all(missing, t);
        json_decref(missing);
    }
    json_decref(value);
    return 0;
}
