/*
 * xlsx.c -- the `xlsx` exporter (`tocm export -T xlsx`): the results
 * framework and the indicator definitions as an Excel workbook, written with
 * libxlsxwriter. The IPTT sheets (issue 11) need the computed report through
 * the plugin ABI, which does not carry it yet.
 *
 * libxlsxwriter writes to a named file, and tocm owns the output (atomic
 * replace, standard output): the workbook goes to a private temporary file,
 * whose bytes are then handed to the host and the file removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlsx_internal.h"

int xlsx_check(struct xlsx_ctx *x, lxw_error e, const char *what) {
    if (e == LXW_NO_ERROR)
        return 0;
    x->host->error_set(x->err, "xlsx", "could not write %s: %s", what, lxw_strerror(e));
    return -1;
}

static void make_styles(struct xlsx_ctx *x) {
    x->st.header = workbook_add_format(x->wb);
    format_set_bold(x->st.header);
    format_set_bg_color(x->st.header, 0xD9D9D9);
    format_set_pattern(x->st.header, LXW_PATTERN_SOLID);
    format_set_bottom(x->st.header, LXW_BORDER_THIN);
    format_set_text_wrap(x->st.header);
    format_set_align(x->st.header, LXW_ALIGN_VERTICAL_TOP);
    x->st.text = workbook_add_format(x->wb);
    format_set_text_wrap(x->st.text);
    format_set_align(x->st.text, LXW_ALIGN_VERTICAL_TOP);
    x->st.number = workbook_add_format(x->wb);
    format_set_num_format(x->st.number, "#,##0");
    format_set_align(x->st.number, LXW_ALIGN_VERTICAL_TOP);
    x->st.title = workbook_add_format(x->wb);
    format_set_bold(x->st.title);
    format_set_font_size(x->st.title, 14);
}

/* Hands the file's bytes to the host. */
static int copy_out(const struct tocm_host *h, const struct tocm_export_input *in, const char *path,
                    tocm_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        h->error_set(err, "xlsx", "cannot read back the workbook: %s", strerror(errno));
        return -1;
    }
    char buf[65536];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, f)) > 0)
        rc = h->export_write(in->request, buf, n);
    if (rc == 0 && ferror(f)) {
        h->error_set(err, "xlsx", "cannot read back the workbook: %s", strerror(errno));
        rc = -1;
    }
    fclose(f);
    return rc;
}

static int write_xlsx(const struct tocm_host *h, const struct tocm_export_input *in,
                      tocm_error *err) {
    const char *dir = getenv("TMPDIR");
    char path[4096];
    int len = snprintf(path, sizeof path, "%s/tocm-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    if (len < 0 || (size_t)len >= sizeof path) {
        h->error_set(err, "xlsx", "TMPDIR is too long");
        return -1;
    }
    int fd = mkstemp(path);
    if (fd < 0) {
        h->error_set(err, "xlsx", "cannot create a temporary file in %s: %s",
                     dir && *dir ? dir : "/tmp", strerror(errno));
        return -1;
    }
    close(fd);
    struct xlsx_ctx x = {.host = h, .model = in->model, .err = err};
    /* constant_memory off: cells are written in any order (merged headers). */
    lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    x.wb = workbook_new_opt(path, &opts);
    if (!x.wb) {
        h->error_set(err, "xlsx", "cannot start the workbook");
        unlink(path);
        return -1;
    }
    make_styles(&x);
    const char *title = h->program_string(in->model, "title");
    lxw_doc_properties props = {.title = (char *)(title ? title : ""),
                                .comments = (char *)"Written by tocm"};
    workbook_set_properties(x.wb, &props);
    int rc = xlsx_framework_sheet(&x);
    if (rc == 0)
        rc = xlsx_indicators_sheet(&x);
    lxw_error closed = workbook_close(x.wb); /* frees the workbook either way */
    if (rc == 0)
        rc = xlsx_check(&x, closed, "the workbook");
    if (rc == 0)
        rc = copy_out(h, in, path, err);
    unlink(path);
    return rc;
}

static const char *const formats[] = {"xlsx", NULL};

static const struct tocm_exporter xlsx_exporter = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_exporter),
    .name = "xlsx",
    .summary = "an Excel workbook: a Framework sheet (nodes, levels, links) and an "
               "Indicators sheet (definitions and means of verification)",
    .formats = formats,
    .write = write_xlsx,
};

static const struct tocm_exporter *const exporters[] = {&xlsx_exporter, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "xlsx",
    .version = "0.1.0",
    .summary = "Excel workbooks through libxlsxwriter",
    .exporters = exporters,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host;
    (void)err;
    *out = &plugin;
    return 0;
}
