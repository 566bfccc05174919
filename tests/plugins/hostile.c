/*
 * hostile.c -- a plugin that breaks every rule of the plugin ABI a plugin
 * can break without crashing on its own: unterminated fixed-size strings,
 * NaN and infinities, more parts than a result holds, invalid UTF-8, host
 * functions called with indices out of range, writing after a failed write
 * and after its export has ended. One calculator or export format per
 * misbehaviour; tests/plugins/test_hostile.sh checks that tocm survives each
 * with a clear message naming the plugin (and, under ASan, reads nothing out
 * of bounds).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <tocm/plugin.h>

#define CALC(fn, calc_name)                                                                        \
    static const struct tocm_calculator fn##_calc = {                                              \
        .abi = TOCM_ABI_VERSION,                                                                   \
        .size = sizeof(struct tocm_calculator),                                                    \
        .name = calc_name,                                                                         \
        .summary = "misbehaves",                                                                   \
        .compute = fn,                                                                             \
    }

/* parts[].name and note filled to the last byte, no NUL anywhere. */
static int unterminated(const struct tocm_host *host, const struct tocm_calc_input *in,
                        struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)err;
    out->has_value = 1;
    out->value = (double)in->row_count;
    out->part_count = 2;
    for (int p = 0; p < 2; p++) {
        memset(out->parts[p].name, p ? 'B' : 'A', sizeof out->parts[p].name);
        out->parts[p].value = p;
    }
    memset(out->note, 'N', sizeof out->note);
    return 0;
}
CALC(unterminated, "hostile_unterminated");

/* Fails with an error whose text and source have no NUL. */
static int error_unterminated(const struct tocm_host *host, const struct tocm_calc_input *in,
                              struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)in, (void)out;
    memset(err->text, 'x', sizeof err->text);
    memset(err->source, 'y', sizeof err->source);
    return -1;
}
CALC(error_unterminated, "hostile_error_unterminated");

/* A NaN figure and infinite ratio terms. */
static int not_a_number(const struct tocm_host *host, const struct tocm_calc_input *in,
                        struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)in, (void)err;
    out->has_value = 1;
    out->value = NAN;
    out->has_ratio = 1;
    out->numerator = INFINITY;
    out->denominator = -INFINITY;
    return 0;
}
CALC(not_a_number, "hostile_nan");

/* A finite figure with an infinite part. */
static int infinite_part(const struct tocm_host *host, const struct tocm_calc_input *in,
                         struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)in, (void)err;
    out->has_value = 1;
    out->value = 1;
    out->part_count = 1;
    strcpy(out->parts[0].name, "female");
    out->parts[0].value = INFINITY;
    return 0;
}
CALC(infinite_part, "hostile_infinite_part");

/* Claims more parts than the array holds. */
static int huge_parts(const struct tocm_host *host, const struct tocm_calc_input *in,
                      struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)in, (void)err;
    out->has_value = 1;
    out->value = 1;
    out->part_count = SIZE_MAX;
    return 0;
}
CALC(huge_parts, "hostile_huge_parts");

/* Names a part and writes a note in bytes that are not UTF-8, with an
 * escape sequence. */
static int bad_text(const struct tocm_host *host, const struct tocm_calc_input *in,
                    struct tocm_calc_result *out, tocm_error *err) {
    (void)host, (void)in, (void)err;
    out->has_value = 0;
    out->part_count = 1;
    strcpy(out->parts[0].name, "\xff\xfe"
                               "x");
    out->parts[0].value = 2;
    strcpy(out->note, "\x1b[2Jcleared \xc0\xaf");
    return 0;
}
CALC(bad_text, "hostile_bad_text");

/* Asks the host for things that do not exist. */
static int bad_index(const struct tocm_host *host, const struct tocm_calc_input *in,
                     struct tocm_calc_result *out, tocm_error *err) {
    (void)err;
    const char *id = host->node_id(in->model, 1000000);
    const char *cell = host->table_text(in->table, SIZE_MAX, 0);
    size_t up = host->node_out(in->model, 0, 99);
    out->has_value = 1;
    out->value = (double)((id ? strlen(id) : 0) + strlen(cell) + (up == TOCM_NONE));
    return 0;
}
CALC(bad_index, "hostile_bad_index");

static const struct tocm_calculator *const calculators[] = {
    &unterminated_calc, &error_unterminated_calc, &not_a_number_calc, &infinite_part_calc,
    &huge_parts_calc,   &bad_text_calc,           &bad_index_calc,    NULL};

/* ---- exporters, one format each ---- */

static const struct tocm_host *saved_host;
static const tocm_export_request *saved_request;

static int export(const struct tocm_host *host, const struct tocm_export_input *in,
                  tocm_error *err) {
    const char *f = in->format;
    if (strcmp(f, "hostile-fail") == 0) {
        /* Writes, then fails: nothing may come out. */
        host->export_write(in->request, "partial output\n", 15);
        host->error_set(err, "hostile-fail", "gave up half-way");
        return -1;
    }
    if (strcmp(f, "hostile-ignore") == 0) {
        /* A write fails (no data), it goes on writing and says all is well. */
        host->export_write(in->request, NULL, 10);
        host->export_write(in->request, "more\n", 5);
        return 0;
    }
    if (strcmp(f, "hostile-late") == 0) {
        /* Keeps the request to write through it when it is unloaded. */
        saved_host = host;
        saved_request = in->request;
        host->export_write(in->request, "on time\n", 8);
        return 0;
    }
    if (strcmp(f, "hostile-index") == 0) {
        const char *title = host->node_title(in->model, 99999);
        const char *level = host->level_id(in->model, 99);
        host->export_write(in->request, "x\n", 2);
        return title || level ? -1 : 0;
    }
    /* hostile-error: fails with an unterminated error. */
    memset(err->text, 'e', sizeof err->text);
    memset(err->source, 's', sizeof err->source);
    return -1;
}

__attribute__((destructor)) static void write_when_unloaded(void) {
    if (saved_host && saved_request)
        saved_host->export_write(saved_request, "too late\n", 9);
}

static const char *const formats[] = {"hostile-fail",  "hostile-ignore", "hostile-late",
                                      "hostile-index", "hostile-error",  NULL};
static const struct tocm_exporter exporter = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_exporter),
    .name = "hostile",
    .summary = "misbehaves",
    .formats = formats,
    .write = export,
};
static const struct tocm_exporter *const exporters[] = {&exporter, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "hostile",
    .version = "0.0.1",
    .summary = "breaks every rule it can",
    .calculators = calculators,
    .exporters = exporters,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host, (void)err;
    *out = &plugin;
    return 0;
}
