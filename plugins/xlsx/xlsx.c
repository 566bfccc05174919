/*
 * xlsx.c -- the `xlsx` exporter: an Excel workbook written with
 * libxlsxwriter.
 *
 *   tocm export MODEL -T xlsx            Framework, Indicators, Matrix
 *   tocm report MODEL --format xlsx      IPTT, By <breakdown>..., Checks,
 *                                        Framework, Indicators, Matrix
 *
 * Under `tocm report` the host lends the computed report as its JSON
 * document (ABI 1.3), the same bytes `tocm report --format json` prints, so
 * the workbook can never disagree with the other printed forms: it is
 * parsed here with jansson and laid out, never recomputed.
 *
 * libxlsxwriter writes to a named file, and tocm owns the output (atomic
 * replace, standard output): the workbook goes to a private temporary file,
 * whose bytes are then handed to the host and the file removed.
 */
#include <errno.h>
#include <stdarg.h>
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

/* ---- joined text ------------------------------------------------------------ */

static void join_raw(struct joined *j, const char *s, size_t n) {
    if (j->failed)
        return;
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 128;
        while (cap < j->len + n + 1)
            cap *= 2;
        char *p = realloc(j->data, cap);
        if (!p) {
            j->failed = 1;
            return;
        }
        j->data = p;
        j->cap = cap;
    }
    memcpy(j->data + j->len, s, n);
    j->len += n;
    j->data[j->len] = '\0';
}

void join_add(struct joined *j, const char *sep, const char *item) {
    if (!item)
        return;
    if (j->len && sep)
        join_raw(j, sep, strlen(sep));
    join_raw(j, item, strlen(item));
}

void join_printf(struct joined *j, const char *sep, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        j->failed = 1;
        return;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) {
        j->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    join_add(j, sep, s);
    free(s);
}

void join_free(struct joined *j) {
    free(j->data);
    memset(j, 0, sizeof *j);
}

/* ---- styles ------------------------------------------------------------------ */

/* The status words of the report (FORMAT.md, "Status"), with the symbols
 * the text report prints, so a printed or greyscale sheet reads the same;
 * the fill only repeats what the text says. */
static const struct xlsx_status status_table[] = {
    {"achieved", "\u2713 achieved", 0xA9D08E, NULL},
    {"on track", "\u2192 on track", 0xE2EFDA, NULL},
    {"off track", "\u2717 off track", 0xF8CBAD, NULL},
    {"not reported", "\u2013 not reported", 0xE7E6E6, NULL},
    {"not yet due", "\u2026 not yet due", 0xF2F2F2, NULL},
    {"target pending", "\u2026 target pending", 0xFFF2CC, NULL},
    {"baseline pending", "\u2026 baseline pending", 0xFFF2CC, NULL},
    {"no baseline", "? no baseline", 0xFFF2CC, NULL},
    {"not assessed", "? not assessed", 0xFFF2CC, NULL},
};

const struct xlsx_status *xlsx_status_find(const struct xlsx_ctx *x, const char *word) {
    for (size_t i = 0; word && i < x->status_count; i++)
        if (strcmp(x->statuses[i].word, word) == 0)
            return &x->statuses[i];
    return NULL;
}

lxw_format *xlsx_value_format(struct xlsx_ctx *x, int percentage, json_int_t decimals) {
    if (decimals < 0)
        decimals = 0;
    if (decimals > XLSX_MAX_DECIMALS)
        decimals = XLSX_MAX_DECIMALS;
    lxw_format **slot = &x->st.value[percentage ? 1 : 0][decimals];
    if (!*slot) {
        char code[32];
        snprintf(code, sizeof code, "%s%s%.*s%s", percentage ? "0" : "#,##0", decimals ? "." : "",
                 (int)decimals, "000000", percentage ? "%" : "");
        *slot = workbook_add_format(x->wb);
        format_set_num_format(*slot, code);
        format_set_align(*slot, LXW_ALIGN_VERTICAL_TOP);
    }
    return *slot;
}

static lxw_format *text_format(lxw_workbook *wb) {
    lxw_format *f = workbook_add_format(wb);
    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

static void make_styles(struct xlsx_ctx *x) {
    x->st.header = workbook_add_format(x->wb);
    format_set_bold(x->st.header);
    format_set_bg_color(x->st.header, 0xD9D9D9);
    format_set_pattern(x->st.header, LXW_PATTERN_SOLID);
    format_set_bottom(x->st.header, LXW_BORDER_THIN);
    format_set_text_wrap(x->st.header);
    format_set_align(x->st.header, LXW_ALIGN_VERTICAL_TOP);
    x->st.centre = workbook_add_format(x->wb);
    format_set_bold(x->st.centre);
    format_set_bg_color(x->st.centre, 0xD9D9D9);
    format_set_pattern(x->st.centre, LXW_PATTERN_SOLID);
    format_set_border(x->st.centre, LXW_BORDER_THIN);
    format_set_text_wrap(x->st.centre);
    format_set_align(x->st.centre, LXW_ALIGN_CENTER);
    format_set_align(x->st.centre, LXW_ALIGN_VERTICAL_CENTER);
    x->st.text = text_format(x->wb);
    x->st.muted = text_format(x->wb);
    format_set_font_color(x->st.muted, 0x808080);
    x->st.missing = text_format(x->wb);
    format_set_italic(x->st.missing);
    format_set_font_color(x->st.missing, 0x595959);
    format_set_align(x->st.missing, LXW_ALIGN_RIGHT);
    x->st.number = workbook_add_format(x->wb);
    format_set_num_format(x->st.number, "#,##0");
    format_set_align(x->st.number, LXW_ALIGN_VERTICAL_TOP);
    x->st.title = workbook_add_format(x->wb);
    format_set_bold(x->st.title);
    format_set_font_size(x->st.title, 14);
    x->st.subtitle = workbook_add_format(x->wb);
    format_set_font_color(x->st.subtitle, 0x404040);
    x->st.band = workbook_add_format(x->wb);
    format_set_bold(x->st.band);
    format_set_bg_color(x->st.band, 0xDDEBF7);
    format_set_pattern(x->st.band, LXW_PATTERN_SOLID);
    format_set_top(x->st.band, LXW_BORDER_THIN);
    x->st.symbol = workbook_add_format(x->wb);
    format_set_align(x->st.symbol, LXW_ALIGN_CENTER);
    format_set_align(x->st.symbol, LXW_ALIGN_VERTICAL_CENTER);
    format_set_font_size(x->st.symbol, 12);
    format_set_border(x->st.symbol, LXW_BORDER_HAIR);
    format_set_border_color(x->st.symbol, 0xBFBFBF);
    x->st.percent = workbook_add_format(x->wb);
    format_set_num_format(x->st.percent, "0%");
    format_set_align(x->st.percent, LXW_ALIGN_VERTICAL_TOP);
    for (size_t i = 0; i < x->status_count; i++) {
        lxw_format *f = text_format(x->wb);
        format_set_bg_color(f, x->statuses[i].fill);
        format_set_pattern(f, LXW_PATTERN_SOLID);
        x->statuses[i].format = f;
    }
}

/* ---- sheets and cells -------------------------------------------------------- */

/* Bytes of the first `limit` characters of s (UTF-8), and whether s is
 * longer. Characters outside the BMP count twice, as Excel counts them. */
static size_t utf8_prefix(const char *s, size_t limit, int *longer) {
    size_t i = 0, chars = 0;
    *longer = 0;
    while (s[i]) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        size_t w = len == 4 ? 2 : 1;
        if (chars + w > limit) {
            *longer = 1;
            return i;
        }
        for (size_t k = 1; k < len; k++)
            if (!s[i + k]) /* a truncated sequence: stop before it */
                return i;
        i += len;
        chars += w;
    }
    return i;
}

static int name_taken(const struct xlsx_ctx *x, const char *name) {
    for (size_t i = 0; i < x->sheet_count; i++) {
        const char *a = x->sheet_names[i], *b = name;
        while (*a && *b) {
            char ca = (char)(*a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a);
            char cb = (char)(*b >= 'A' && *b <= 'Z' ? *b - 'A' + 'a' : *b);
            if (ca != cb)
                break;
            a++, b++;
        }
        if (!*a && !*b)
            return 1;
    }
    /* Excel keeps this name for its change history. */
    return strlen(name) == 7 && strncmp(name, "History", 7) == 0;
}

lxw_worksheet *xlsx_add_sheet(struct xlsx_ctx *x, const char *name) {
    char base[128];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof base; p++) {
        unsigned char c = (unsigned char)*p;
        base[n++] = strchr("[]:*?/\\", c) || c < 0x20 ? '-' : (char)c;
    }
    base[n] = '\0';
    /* No apostrophe at either end (Excel refuses them there). */
    char *start = base;
    while (*start == '\'')
        start++;
    while (n > (size_t)(start - base) && base[n - 1] == '\'')
        base[--n] = '\0';
    if (!*start)
        start = "Sheet";
    char candidate[160];
    for (int k = 1; k < 1000; k++) {
        char suffix[16] = "";
        if (k > 1)
            snprintf(suffix, sizeof suffix, " (%d)", k);
        int longer;
        size_t keep = utf8_prefix(start, 31 - strlen(suffix), &longer);
        snprintf(candidate, sizeof candidate, "%.*s%s", (int)keep, start, suffix);
        if (!name_taken(x, candidate))
            break;
    }
    char **names = realloc(x->sheet_names, (x->sheet_count + 1) * sizeof *names);
    if (!names) {
        xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a sheet");
        return NULL;
    }
    x->sheet_names = names;
    names[x->sheet_count] = strdup(candidate);
    if (!names[x->sheet_count]) {
        xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a sheet");
        return NULL;
    }
    x->sheet_count++;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, candidate);
    if (!ws)
        x->host->error_set(x->err, "xlsx", "could not add the sheet '%s'", candidate);
    return ws;
}

/* s cut to Excel's cell limit: s itself, or a copy in *owned. */
static const char *cell_limit(const char *s, char **owned) {
    int longer;
    size_t keep = utf8_prefix(s, 32766, &longer);
    *owned = NULL;
    if (!longer)
        return s;
    *owned = malloc(keep + 4);
    if (!*owned)
        return NULL;
    memcpy(*owned, s, keep);
    memcpy(*owned + keep, "\u2026", 4); /* … and the NUL */
    return *owned;
}

int xlsx_text(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
              lxw_format *f) {
    if (!s || !*s)
        return 0;
    char *owned;
    const char *t = cell_limit(s, &owned);
    if (!t)
        return xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell");
    /* worksheet_write_string always writes a string cell: text that looks
     * like a formula is never evaluated. */
    int rc = xlsx_check(x, worksheet_write_string(ws, row, col, t, f ? f : x->st.text), "a cell");
    free(owned);
    return rc;
}

int xlsx_number(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v,
                lxw_format *f) {
    return xlsx_check(x, worksheet_write_number(ws, row, col, v, f), "a cell");
}

int xlsx_note(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s) {
    if (!s || !*s)
        return 0;
    char *owned;
    const char *t = cell_limit(s, &owned);
    if (!t)
        return xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a note");
    lxw_comment_options o = {.author = (char *)"tocm", .width = 300, .height = 90};
    int rc = xlsx_check(x, worksheet_write_comment_opt(ws, row, col, (char *)t, &o), "a note");
    free(owned);
    return rc;
}

void xlsx_print_setup(lxw_worksheet *ws, int repeat_to, const char *header) {
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    worksheet_fit_to_pages(ws, 1, 0); /* one page wide, as many long as needed */
    if (repeat_to >= 0)
        worksheet_repeat_rows(ws, 0, (lxw_row_t)repeat_to);
    /* A header line with the sheet's subject; & is Excel's escape there. */
    if (header && *header) {
        char h[200];
        size_t n = 0;
        memcpy(h, "&L", 2);
        n = 2;
        for (const char *p = header; *p && n + 3 < 180; p++) {
            if (*p == '&')
                h[n++] = '&';
            h[n++] = *p;
        }
        while (n > 2 && ((unsigned char)h[n - 1] & 0xC0) == 0x80)
            n--; /* never end inside a character */
        if (n > 2 && (unsigned char)h[n - 1] >= 0xC0)
            n--;
        h[n] = '\0';
        worksheet_set_header(ws, h);
    }
    worksheet_set_footer(ws, "&CPage &P of &N");
}

/* ---- the workbook ---------------------------------------------------------- */

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

/* The report lent by the host (ABI 1.3), parsed; NULL under tocm export or
 * on a host older than 1.3. -1 when it is there but does not parse. */
static int load_report(const struct tocm_host *h, const struct tocm_export_input *in, json_t **out,
                       tocm_error *err) {
    *out = NULL;
    if (h->size < offsetof(struct tocm_host, export_report_json) + sizeof h->export_report_json ||
        !h->export_report_json)
        return 0;
    size_t len = 0;
    const char *text = h->export_report_json(in->request, &len);
    if (!text)
        return 0;
    json_error_t je;
    *out = json_loadb(text, len, 0, &je);
    if (!*out || !json_is_object(*out)) {
        h->error_set(err, "xlsx", "the report's JSON does not parse at line %d: %s", je.line,
                     je.text);
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

static int write_sheets(struct xlsx_ctx *x) {
    if (x->report) {
        if (xlsx_iptt_sheets(x) || xlsx_checks_sheet(x))
            return -1;
    }
    if (xlsx_framework_sheet(x) || xlsx_indicators_sheet(x) || xlsx_matrix_sheet(x))
        return -1;
    return 0;
}

static int write_xlsx(const struct tocm_host *h, const struct tocm_export_input *in,
                      tocm_error *err) {
    struct xlsx_ctx x = {.host = h, .model = in->model, .err = err};
    if (load_report(h, in, &x.report, err))
        return -1;
    const char *dir = getenv("TMPDIR");
    char path[4096];
    int len = snprintf(path, sizeof path, "%s/tocm-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    if (len < 0 || (size_t)len >= sizeof path) {
        h->error_set(err, "xlsx", "TMPDIR is too long");
        json_decref(x.report);
        return -1;
    }
    int fd = mkstemp(path);
    if (fd < 0) {
        h->error_set(err, "xlsx", "cannot create a temporary file in %s: %s",
                     dir && *dir ? dir : "/tmp", strerror(errno));
        json_decref(x.report);
        return -1;
    }
    close(fd);
    struct xlsx_status statuses[sizeof status_table / sizeof *status_table];
    memcpy(statuses, status_table, sizeof statuses);
    x.statuses = statuses;
    x.status_count = sizeof statuses / sizeof *statuses;
    /* constant_memory off: cells are written in any order (merged headers). */
    lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    x.wb = workbook_new_opt(path, &opts);
    int rc = 0;
    if (!x.wb) {
        h->error_set(err, "xlsx", "cannot start the workbook");
        rc = -1;
    } else {
        make_styles(&x);
        const char *title = h->program_string(in->model, "title");
        lxw_doc_properties props = {.title = (char *)(title ? title : ""),
                                    .comments = (char *)"Written by tocm"};
        workbook_set_properties(x.wb, &props);
        rc = write_sheets(&x);
        lxw_error closed = workbook_close(x.wb); /* frees the workbook either way */
        if (rc == 0)
            rc = xlsx_check(&x, closed, "the workbook");
        if (rc == 0)
            rc = copy_out(h, in, path, err);
    }
    unlink(path);
    for (size_t i = 0; i < x.sheet_count; i++)
        free(x.sheet_names[i]);
    free(x.sheet_names);
    json_decref(x.report);
    return rc;
}

static const char *const formats[] = {"xlsx", NULL};

static const struct tocm_exporter xlsx_exporter = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_exporter),
    .name = "xlsx",
    .summary = "an Excel workbook: with `tocm report`, the IPTT, a sheet per breakdown and the "
               "checks; always the framework, the indicators and the projects x outcomes matrix",
    .formats = formats,
    .write = write_xlsx,
};

static const struct tocm_exporter *const exporters[] = {&xlsx_exporter, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "xlsx",
    .version = "0.2.0",
    .summary = "Excel workbooks through libxlsxwriter",
    .exporters = exporters,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host;
    (void)err;
    *out = &plugin;
    return 0;
}
