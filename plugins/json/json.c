/*
 * json.c -- the `json` exporter: the model in tocm's canonical JSON layout
 * (the same bytes `tocm fmt` prints), for tools that want the framework as
 * data.
 */
#include <tocm/plugin.h>

static int write_json(const struct tocm_host *host, const struct tocm_export_input *in,
                      tocm_error *err) {
    size_t len;
    char *text = host->model_format(in->model, &len);
    if (!text) {
        host->error_set(err, "json", "could not format the model");
        return -1;
    }
    int rc = host->export_write(in->request, text, len);
    host->free(text);
    return rc;
}

static const char *const formats[] = {"json", NULL};

static const struct tocm_exporter json_exporter = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_exporter),
    .name = "json",
    .summary = "the model as canonical JSON (what `tocm fmt` writes)",
    .formats = formats,
    .write = write_json,
    /* ABI 1.2: it reads no option, so the host refuses any. */
    .options = NULL,
};

static const struct tocm_exporter *const exporters[] = {&json_exporter, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "json",
    .version = "1.0.0",
    .summary = "Exports the model as canonical JSON",
    .exporters = exporters,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host;
    (void)err;
    *out = &plugin;
    return 0;
}
