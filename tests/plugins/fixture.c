/*
 * fixture.c -- deliberately broken (and a few good) plugins, one per
 * FIXTURE_* define, for the loader's failure-mode tests. Each is built with
 * tocm_add_plugin like any plugin, so it fails only in the way it means to.
 */
#include <stddef.h>
#include <stdio.h>

#include <tocm/plugin.h>

__attribute__((unused)) static int compute(const struct tocm_host *host,
                                           const struct tocm_calc_input *in,
                                           struct tocm_calc_result *out, tocm_error *err) {
    (void)host;
    (void)err;
    out->has_value = 1;
    out->value = (double)in->row_count;
    return 0;
}

#ifndef FIXTURE_NAME
#define FIXTURE_NAME "fixture"
#endif

#if defined(FIXTURE_OLDER_MINOR)
/* Built for ABI 1.0: its calculator ends before 1.1's `flags`, its exporter
 * before 1.2's `options`. */
#define PLUGIN_ABI TOCM_ABI_MAKE(1, 0)
#define CALC_SIZE offsetof(struct tocm_calculator, flags)
#define EXPORTER_SIZE offsetof(struct tocm_exporter, options)
#elif defined(FIXTURE_V1_1)
/* Built for ABI 1.1: its exporter ends before 1.2's `options`. */
#define PLUGIN_ABI TOCM_ABI_MAKE(1, 1)
#define EXPORTER_SIZE offsetof(struct tocm_exporter, options)
#elif defined(FIXTURE_MAJOR)
#define PLUGIN_ABI TOCM_ABI_MAKE(TOCM_ABI_MAJOR + 1, 0)
#elif defined(FIXTURE_NEWER_MINOR)
#define PLUGIN_ABI TOCM_ABI_MAKE(TOCM_ABI_MAJOR, TOCM_ABI_MINOR + 1)
#endif
#ifndef PLUGIN_ABI
#define PLUGIN_ABI TOCM_ABI_VERSION
#endif
#ifndef CALC_SIZE
#define CALC_SIZE sizeof(struct tocm_calculator)
#endif

static const struct tocm_calculator calc = {
    .abi = PLUGIN_ABI,
    .size = CALC_SIZE,
    .name = FIXTURE_NAME "_rows",
    .summary = "rows in the cell",
#if defined(FIXTURE_NULL_SLOT)
    .compute = NULL,
#else
    .compute = compute,
#endif
};

static const struct tocm_calculator *const calculators[] = {&calc, NULL};

/* An exporter writing FORMAT NAME-out: one line, the value of the option
 * "greeting" it was given, so tests see which options reach it; then, when
 * the export carries a report (ABI 1.3: `tocm report --format NAME-out`),
 * the report's JSON exactly as the host lent it. */
static int write_out(const struct tocm_host *host, const struct tocm_export_input *in,
                     tocm_error *err) {
    (void)err;
    const char *greeting = host->export_option(in->request, "greeting");
    char line[160];
    int n = snprintf(line, sizeof line, "greeting=%s\n", greeting ? greeting : "(none)");
    if (host->export_write(in->request, line, (size_t)n) != 0)
        return -1;
    if (TOCM_ABI_MINOR_OF(PLUGIN_ABI) < 3 || TOCM_ABI_MINOR_OF(host->abi) < 3)
        return 0;
    size_t len = 0;
    const char *report = host->export_report_json(in->request, &len);
    return report ? host->export_write(in->request, report, len) : 0;
}

static const char *const formats[] = {FIXTURE_NAME "-out", NULL};

#if !defined(EXPORTER_SIZE)
#define EXPORTER_SIZE sizeof(struct tocm_exporter)
#define DECLARES_OPTIONS 1
static const struct tocm_option_info options[] = {
#if defined(FIXTURE_BAD_OPTION)
    {.name = "greeting=hello", .arg = NULL, .help = "a name --option NAME=VALUE cannot give"},
#else
    {.name = "greeting", .arg = "WORD", .help = "what the fixture writes"},
#endif
    {.name = NULL},
};
#endif

static const struct tocm_exporter exporter = {
    .abi = PLUGIN_ABI,
    .size = EXPORTER_SIZE,
    .name = FIXTURE_NAME "-out",
    .summary = "writes the greeting option",
    .formats = formats,
    .write = write_out,
#if defined(DECLARES_OPTIONS)
    .options = options,
#endif
};

static const struct tocm_exporter *const exporters[] = {&exporter, NULL};

static const struct tocm_plugin plugin = {
    .abi = PLUGIN_ABI,
#if defined(FIXTURE_TOO_SMALL)
    .size = sizeof(uint32_t),
#else
    .size = sizeof(struct tocm_plugin),
#endif
    .name = FIXTURE_NAME,
    .version = "0.0.1",
    .summary = "test fixture",
    .calculators = calculators,
    .exporters = exporters,
};

#if !defined(FIXTURE_NO_ENTRY)
TOCM_PLUGIN_DEFINE(host, out, err) {
#if defined(FIXTURE_ENTRY_FAILS)
    host->error_set(err, FIXTURE_NAME, "the licence file /etc/fixture.key is missing");
    (void)out;
    (void)plugin;
    return -1;
#else
    (void)host;
    (void)err;
    *out = &plugin;
    return 0;
#endif
}
#else
/* Exported, but not under the entry point's name. */
__attribute__((visibility("default"))) const struct tocm_plugin *fixture_descriptor(void);
const struct tocm_plugin *fixture_descriptor(void) { return &plugin; }
#endif
