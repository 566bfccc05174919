/*
 * fuzz_report.c -- `tocm report` on a fuzzed data table: the CSV read with
 * typed columns, filters, grouping by period and disaggregation, every
 * calculator shipped with tocm (through the plugin host, as the CLI runs
 * them), totals, reconciliation and reported-figure checks, the roll-up.
 *
 * The input is the CSV file; the model is fixed and names the columns year
 * (integer), country, sex, n (integer) and v (decimal). Property: the
 * computation either gives a report or errors, never both or neither.
 *
 * seeds: tests/fuzz/seeds/report:*.csv
 * dict: csv.dict
 */
#include <jansson.h>

#include "engine.h"
#include "fuzz_common.h"
#include "tocm/host.h"
#include "tocm/tocm.h"

static const char model_text[] =
    "{\"tocm\": 1, \"program\": {\"id\": \"p\", \"title\": \"Program\"},\n"
    " \"levels\": [\"goal\", \"output\"],\n"
    " \"nodes\": [{\"id\": \"G\", \"level\": \"goal\", \"title\": \"Goal\"},\n"
    "  {\"id\": \"O\", \"level\": \"output\", \"title\": \"Output\", \"contributes_to\": "
    "[\"G\"]}],\n"
    " \"tables\": {\"t\": {\"path\": \"data.csv\", \"columns\": {\"year\": \"integer\",\n"
    "   \"n\": \"integer\", \"v\": \"decimal\"}}},\n"
    " \"indicators\": [\n"
    "  {\"id\": \"sum\", \"title\": \"Sum\", \"nodes\": [\"O\"], \"calculator\": \"sum\",\n"
    "   \"table\": \"t\", \"params\": {\"column\": \"n\"}, \"period\": \"year\",\n"
    "   \"disaggregate\": [\"country\", \"sex\"], \"targets\": {\"2021\": 10},\n"
    "   \"reported\": [{\"period\": \"2021\", \"dims\": {}, \"value\": 3}]},\n"
    "  {\"id\": \"count\", \"title\": \"Count\", \"nodes\": [\"G\"], \"calculator\": \"count\",\n"
    "   \"table\": \"t\", \"filter\": {\"year\": {\"min\": 2019}}, \"period\": \"year\",\n"
    "   \"aggregation\": \"cumulative\", \"disaggregate\": [\"country\"]},\n"
    "  {\"id\": \"share\", \"title\": \"Share\", \"measure\": \"percentage\", \"calculator\": "
    "\"share\",\n"
    "   \"table\": \"t\", \"params\": {\"numerator\": {\"sex\": \"female\"}, \"denominator\": {},\n"
    "   \"column\": \"n\"}, \"period\": \"year\", \"aggregation\": \"latest\", \"rounding\": 1,\n"
    "   \"disaggregate\": [\"country\"], \"direction\": \"lower\",\n"
    "   \"reported\": [{\"period\": \"2020\", \"dims\": {\"country\": \"KH\"}, \"value\": 50}]},\n"
    "  {\"id\": \"mean\", \"title\": \"Mean\", \"calculator\": \"mean\", \"table\": \"t\",\n"
    "   \"params\": {\"column\": \"v\", \"weight\": \"n\"}, \"disaggregate\": [\"sex\"], "
    "\"rounding\": 2},\n"
    "  {\"id\": \"ratio\", \"title\": \"Ratio\", \"calculator\": \"ratio\", \"table\": \"t\",\n"
    "   \"params\": {\"numerator_column\": \"v\", \"denominator_column\": \"n\"}, \"period\": "
    "\"year\"},\n"
    "  {\"id\": \"distinct\", \"title\": \"Distinct\", \"calculator\": \"distinct\", \"table\": "
    "\"t\",\n"
    "   \"params\": {\"column\": \"country\"}, \"period\": \"year\"},\n"
    "  {\"id\": \"gesi\", \"title\": \"Women\", \"measure\": \"percentage\", \"calculator\": "
    "\"gesi\",\n"
    "   \"table\": \"t\", \"params\": {\"column\": \"n\", \"sex_column\": \"sex\"}, \"period\": "
    "\"year\",\n"
    "   \"disaggregate\": [\"country\"]}]}\n";

static tocm_registry *registry(void) {
    static tocm_registry *reg;
    if (!reg) {
        static const char *const files[] = {TOCM_FUZZ_PLUGIN_DIR "/calc-basic.so"};
        const struct tocm_registry_options options = {
            .files = files, .file_count = 1, .no_search = 1, .messages = stderr};
        reg = tocm_registry_load(&options);
        if (!tocm_registry_calculator(reg, "gesi")) {
            fprintf(stderr, "fuzz_report: the calc-basic plugin did not load\n");
            abort();
        }
    }
    return reg;
}

static tocm_model *model(void) {
    static tocm_model *m;
    if (!m) {
        tocm_diags *diags = tocm_diags_new();
        if (tocm_model_load_string(model_text, fuzz_path("model.json"), diags, &m) != TOCM_OK ||
            tocm_validate(m, diags) != 0) {
            tocm_diags_print(diags, stderr);
            abort();
        }
        tocm_diags_free(diags);
    }
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const tocm_registry *reg = registry();
    const tocm_model *m = model();
    fuzz_write(fuzz_path("data.csv"), data, size);
    tocm_diags *diags = tocm_diags_new();
    const tocm_report_options options = {0};
    json_t *report = tocmp_compute_report(m, reg, &options, NULL, diags);
    /* A bad table fails only the indicators that read it: a report may come
     * with errors (they are then listed under "failed"), but no report, or
     * a failed indicator, never comes without one. */
    size_t errors = tocm_diags_errors(diags);
    FUZZ_CHECK(report || errors > 0, "no report and no error");
    FUZZ_CHECK(!report || (json_object_get(report, "failed") != NULL) == (errors > 0),
               "a report with %zu errors and %s 'failed' list", errors,
               report && json_object_get(report, "failed") ? "a" : "no");
    if (report) {
        char *text = json_dumps(report, JSON_COMPACT);
        FUZZ_CHECK(text, "the report does not print as JSON");
        free(text);
    }
    tocm_diags_print(diags, fuzz_null());
    json_decref(report);
    tocm_diags_free(diags);
    return 0;
}
