/*
 * plugin_host.c -- the const function table tocm hands to plugins.
 *
 * Each slot is a thin adapter over the library API: plugins see the same
 * model the CLI sees, through functions only, so the model's layout can
 * change without breaking a single compiled plugin.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "model_internal.h"
#include "table.h"
#include "tocm/host.h"
#include "util.h"

/* ---- Guarding the host against its plugins ------------------------------
 * A plugin is trusted to run, not to be right. While the host calls into
 * one (tocmp_calc_call, tocm_exporter_run), every host function checks its
 * indices and pointers; the first misuse is remembered and turns the call
 * into a failure that names the plugin, instead of a read out of bounds or
 * a figure computed from nonsense.
 *
 * One guard per thread: `tocm report --jobs N` folds a table's chunks on N
 * threads at once (engine_stream.c), each calling into the same plugins,
 * and each call's misuse belongs to the thread that made it. */
static _Thread_local struct {
    const char *plugin;                       /* the plugin being called, or NULL */
    char misuse[200];                         /* the first misuse during the call, or "" */
    const struct tocm_export_request *export; /* the live export, or NULL */
    int export_write_failed;
} guard;

static void misuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void misuse(const char *fmt, ...) {
    if (guard.misuse[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(guard.misuse, sizeof guard.misuse, fmt, ap);
    va_end(ap);
}

static void guard_begin(const char *plugin) {
    guard.plugin = plugin ? plugin : "?";
    guard.misuse[0] = '\0';
}

/* Copies a plugin's fixed-size string into itself terminated, with every
 * byte that does not start valid UTF-8 (or is a control character) replaced
 * by '?', so it is safe to print and to put in JSON. */
static void clean_fixed_string(char *s, size_t size) {
    s[size - 1] = '\0';
    for (char *p = s; *p;) {
        size_t len;
        long cp;
        if (tocmp_char_is_control(p, &len, &cp)) {
            for (size_t k = 0; k < len; k++)
                p[k] = '?';
        }
        p += len;
    }
}

static void clean_error(tocm_error *err) {
    clean_fixed_string(err->source, sizeof err->source);
    clean_fixed_string(err->text, sizeof err->text);
}

static void host_error_set(tocm_error *err, const char *source, const char *fmt, ...) {
    if (!err || err->text[0])
        return; /* the first error wins: it is usually the cause */
    snprintf(err->source, sizeof err->source, "%s", source ? source : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
    if (!err->code)
        err->code = 1;
}

static void host_log(enum tocm_log_level level, const char *plugin, const char *fmt, ...) {
    static const char *const names[] = {"error", "warning", "note"};
    fprintf(stderr, "tocm: %s: %s: ", plugin ? plugin : "plugin",
            names[level <= TOCM_LOG_INFO ? level : TOCM_LOG_INFO]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

#define CHECK_NODE(m, node, fn, fail)                                                              \
    do {                                                                                           \
        if (!(m) || (node) >= (m)->node_count) {                                                   \
            misuse("called %s with node %zu, but the model has %zu nodes", fn, (size_t)(node),     \
                   (m) ? (m)->node_count : 0);                                                     \
            return fail;                                                                           \
        }                                                                                          \
    } while (0)
#define CHECK_LEVEL(m, level, fn, fail)                                                            \
    do {                                                                                           \
        if (!(m) || (level) >= (m)->level_count) {                                                 \
            misuse("called %s with level %zu, but the model has %zu levels", fn, (size_t)(level),  \
                   (m) ? (m)->level_count : 0);                                                    \
            return fail;                                                                           \
        }                                                                                          \
    } while (0)
#define CHECK_PTR(p, fn, what, fail)                                                               \
    do {                                                                                           \
        if (!(p)) {                                                                                \
            misuse("called %s with no %s (NULL)", fn, what);                                       \
            return fail;                                                                           \
        }                                                                                          \
    } while (0)

static size_t host_level_count(const tocm_model *m) {
    CHECK_PTR(m, "level_count", "model", 0);
    return m->level_count;
}
static const char *host_level_id(const tocm_model *m, size_t l) {
    CHECK_LEVEL(m, l, "level_id", NULL);
    return tocm_level_id(m, l);
}
static const char *host_level_title(const tocm_model *m, size_t l) {
    CHECK_LEVEL(m, l, "level_title", NULL);
    return tocm_level_title(m, l);
}
static int host_level_is_outcome(const tocm_model *m, size_t l) {
    CHECK_LEVEL(m, l, "level_is_outcome", 0);
    return tocm_level_is_outcome(m, l);
}
static size_t host_node_count(const tocm_model *m) {
    CHECK_PTR(m, "node_count", "model", 0);
    return m->node_count;
}
static const char *host_node_id(const tocm_model *m, size_t n) {
    CHECK_NODE(m, n, "node_id", NULL);
    return tocm_node_id(m, n);
}
static const char *host_node_title(const tocm_model *m, size_t n) {
    CHECK_NODE(m, n, "node_title", NULL);
    return tocm_node_title(m, n);
}
static long host_node_level(const tocm_model *m, size_t n) {
    CHECK_NODE(m, n, "node_level", -1);
    return tocm_node_level(m, n);
}
static const char *host_node_string(const tocm_model *m, size_t n, const char *field) {
    CHECK_NODE(m, n, "node_string", NULL);
    CHECK_PTR(field, "node_string", "field name", NULL);
    return tocm_node_string(m, n, field);
}
static size_t host_edge_count(const tocm_model *m) {
    CHECK_PTR(m, "edge_count", "model", 0);
    return m->edge_count;
}
static size_t host_node_out_count(const tocm_model *m, size_t n) {
    CHECK_NODE(m, n, "node_out_count", 0);
    return tocm_node_out_count(m, n);
}
static size_t host_node_out(const tocm_model *m, size_t n, size_t i) {
    CHECK_NODE(m, n, "node_out", TOCM_NONE);
    if (i >= m->nodes[n].out_count) {
        misuse("called node_out with link %zu of node %zu, which has %zu", i, n,
               m->nodes[n].out_count);
        return TOCM_NONE;
    }
    return tocm_node_out(m, n, i);
}
static size_t host_node_in_count(const tocm_model *m, size_t n) {
    CHECK_NODE(m, n, "node_in_count", 0);
    return tocm_node_in_count(m, n);
}
static size_t host_node_in(const tocm_model *m, size_t n, size_t i) {
    CHECK_NODE(m, n, "node_in", TOCM_NONE);
    if (i >= m->nodes[n].in_count) {
        misuse("called node_in with link %zu of node %zu, which has %zu", i, n,
               m->nodes[n].in_count);
        return TOCM_NONE;
    }
    return tocm_node_in(m, n, i);
}

/* "period.start" walks into nested objects. */
static const char *host_program_string(const tocm_model *m, const char *field) {
    CHECK_PTR(m, "program_string", "model", NULL);
    CHECK_PTR(field, "program_string", "field name", NULL);
    json_t *v = json_object_get(m->root, "program");
    char key[128];
    while (v && *field) {
        const char *dot = strchr(field, '.');
        size_t n = dot ? (size_t)(dot - field) : strlen(field);
        if (n >= sizeof key)
            return NULL;
        memcpy(key, field, n);
        key[n] = '\0';
        v = json_object_get(v, key);
        field += n + (dot ? 1 : 0);
    }
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static size_t host_node_find(const tocm_model *m, const char *id) {
    CHECK_PTR(m, "node_find", "model", TOCM_NONE);
    CHECK_PTR(id, "node_find", "id", TOCM_NONE);
    return tocm_model_find_node(m, id);
}

static json_t *node_field(const tocm_model *m, size_t node, const char *field) {
    json_t *o = m->nodes[node].json;
    return json_is_object(o) && field ? json_object_get(o, field) : NULL;
}

static size_t host_node_list_count(const tocm_model *m, size_t node, const char *field) {
    CHECK_NODE(m, node, "node_list_count", 0);
    return json_array_size(node_field(m, node, field));
}

static const char *host_node_list_item(const tocm_model *m, size_t node, const char *field,
                                       size_t i) {
    CHECK_NODE(m, node, "node_list_item", NULL);
    json_t *list = node_field(m, node, field);
    if (i >= json_array_size(list)) {
        misuse("called node_list_item with item %zu of '%s' of node %zu, which has %zu", i,
               field ? field : "(NULL)", node, json_array_size(list));
        return NULL;
    }
    return json_string_value(json_array_get(list, i));
}

static int host_node_is_inferred(const tocm_model *m, size_t node) {
    CHECK_NODE(m, node, "node_is_inferred", 0);
    return json_is_true(node_field(m, node, "inferred"));
}

static int host_link_is_inferred(const tocm_model *m, size_t node, size_t i) {
    CHECK_NODE(m, node, "link_is_inferred", 0);
    if (i >= m->nodes[node].out_count) {
        misuse("called link_is_inferred with link %zu of node %zu, which has %zu", i, node,
               m->nodes[node].out_count);
        return 0;
    }
    json_t *inferred = node_field(m, node, "inferred");
    if (!json_is_array(inferred))
        return 0;
    const char *target = m->nodes[tocm_node_out(m, node, i)].id;
    size_t k;
    json_t *item;
    json_array_foreach(inferred, k, item) {
        if (json_is_string(item) && strcmp(json_string_value(item), target) == 0)
            return 1;
    }
    return 0;
}

static char *host_model_format(const tocm_model *m, size_t *len) {
    CHECK_PTR(m, "model_format", "model", NULL);
    return tocm_model_format(m, len);
}

/* The model's indicator ind, or NULL (and a misuse report) when there is
 * none. */
static const struct tocmp_indicator *indicator_at(const tocm_model *m, size_t ind) {
    if (!m)
        return NULL;
    if (ind >= m->indicator_count) {
        misuse("asked for indicator %zu, but the model has %zu indicators", ind,
               m->indicator_count);
        return NULL;
    }
    return &m->indicators[ind];
}

static size_t host_indicator_count(const tocm_model *m) {
    CHECK_PTR(m, "indicator_count", "model", 0);
    return m->indicator_count;
}

static const char *host_indicator_string(const tocm_model *m, size_t ind, const char *field) {
    CHECK_PTR(field, "indicator_string", "field name", NULL);
    const struct tocmp_indicator *i = indicator_at(m, ind);
    return i ? json_string_value(json_object_get(i->json, field)) : NULL;
}

static const char *host_indicator_id(const tocm_model *m, size_t ind) {
    const struct tocmp_indicator *i = indicator_at(m, ind);
    return i ? i->id : NULL;
}

static size_t host_indicator_node_count(const tocm_model *m, size_t ind) {
    const struct tocmp_indicator *i = indicator_at(m, ind);
    return i ? i->node_count : 0;
}

static size_t host_indicator_node(const tocm_model *m, size_t ind, size_t k) {
    const struct tocmp_indicator *i = indicator_at(m, ind);
    if (!i)
        return TOCM_NONE;
    if (k >= i->node_count) {
        misuse("called indicator_node with node %zu of indicator %zu, which has %zu", k, ind,
               i->node_count);
        return TOCM_NONE;
    }
    return m->indicator_nodes[i->node_begin + k];
}

#define CHECK_CELL(t, row, col, fn, fail)                                                          \
    do {                                                                                           \
        CHECK_PTR(t, fn, "table", fail);                                                           \
        if ((row) >= (t)->row_count || (col) >= (t)->column_count) {                               \
            misuse("called %s with row %zu, column %zu of a table of %zu rows and %zu columns",    \
                   fn, (size_t)(row), (size_t)(col), (t)->row_count, (t)->column_count);           \
            return fail;                                                                           \
        }                                                                                          \
    } while (0)

#define CHECK_COLUMN(t, col, fn, fail)                                                             \
    do {                                                                                           \
        CHECK_PTR(t, fn, "table", fail);                                                           \
        if ((col) >= (t)->column_count) {                                                          \
            misuse("called %s with column %zu of a table of %zu columns", fn, (size_t)(col),       \
                   (t)->column_count);                                                             \
            return fail;                                                                           \
        }                                                                                          \
    } while (0)

static size_t host_table_row_count(const tocm_table *t) {
    CHECK_PTR(t, "table_row_count", "table", 0);
    return t->row_count;
}
static size_t host_table_column_count(const tocm_table *t) {
    CHECK_PTR(t, "table_column_count", "table", 0);
    return t->column_count;
}
static const char *host_table_column_name(const tocm_table *t, size_t col) {
    CHECK_COLUMN(t, col, "table_column_name", NULL);
    return t->names[col];
}
static enum tocm_cell_type host_table_column_type(const tocm_table *t, size_t col) {
    CHECK_COLUMN(t, col, "table_column_type", TOCM_CELL_TEXT);
    return t->types[col];
}
static size_t host_table_column_find(const tocm_table *t, const char *name) {
    CHECK_PTR(t, "table_column_find", "table", TOCM_NONE);
    CHECK_PTR(name, "table_column_find", "column name", TOCM_NONE);
    return tocmp_table_column(t, name);
}
static const char *host_table_text(const tocm_table *t, size_t row, size_t col) {
    CHECK_CELL(t, row, col, "table_text", "");
    return t->text[tocmp_table_cell(t, row, col)];
}
static int host_table_number(const tocm_table *t, size_t row, size_t col, double *out) {
    CHECK_CELL(t, row, col, "table_number", 0);
    CHECK_PTR(out, "table_number", "place for the number", 0);
    size_t i = tocmp_table_cell(t, row, col);
    if (!t->has_number[i])
        return 0;
    *out = t->number[i];
    return 1;
}

static const char *host_param_string(const tocm_calc_request *req, const char *name) {
    CHECK_PTR(req, "param_string", "request", NULL);
    CHECK_PTR(name, "param_string", "parameter name", NULL);
    return json_string_value(json_object_get(req->params, name));
}

static int host_param_number(const tocm_calc_request *req, const char *name, double *out) {
    CHECK_PTR(req, "param_number", "request", 0);
    CHECK_PTR(name, "param_number", "parameter name", 0);
    CHECK_PTR(out, "param_number", "place for the number", 0);
    json_t *v = json_object_get(req->params, name);
    if (!json_is_number(v))
        return 0;
    *out = json_number_value(v);
    return 1;
}

static int host_param_filter_matches(const tocm_calc_request *req, const char *name, size_t row) {
    CHECK_PTR(req, "param_filter_matches", "request", 0);
    CHECK_PTR(name, "param_filter_matches", "parameter name", 0);
    CHECK_PTR(req->table, "param_filter_matches", "table", 0);
    if (row >= req->table->row_count) {
        misuse("called param_filter_matches with row %zu of a table of %zu rows", row,
               req->table->row_count);
        return 0;
    }
    json_t *filter = json_object_get(req->params, name);
    return !filter || tocmp_filter_matches(filter, req->table, row);
}

static const char *host_export_option(const tocm_export_request *req, const char *name) {
    if (!req || req != guard.export) {
        misuse("called export_option outside its export");
        return NULL;
    }
    CHECK_PTR(name, "export_option", "option name", NULL);
    /* From the end: when a name is given twice, the last value wins. */
    for (size_t i = req->option_count; i-- > 0;)
        if (strcmp(req->options[i].name, name) == 0)
            return req->options[i].value;
    return NULL;
}

/* Only the export being run may write, and only until a write fails: the
 * pointer is compared, never followed, so a plugin that kept a request from
 * an export that has ended cannot make the host write through it. */
static int host_export_write(const tocm_export_request *req, const void *data, size_t len) {
    if (!req || req != guard.export) {
        misuse("wrote through export_write outside its export");
        if (guard.plugin == NULL)
            fprintf(stderr, "tocm: a plugin wrote through export_write after its export "
                            "ended; ignored\n");
        return -1;
    }
    if (guard.export_write_failed) {
        misuse("went on writing after export_write failed");
        return -1;
    }
    if (!data && len) {
        misuse("called export_write with no data (NULL) and a length of %zu", len);
        guard.export_write_failed = 1;
        return -1;
    }
    if (len && req->write(req->sink, data, len) != 0) {
        guard.export_write_failed = 1;
        return -1;
    }
    return 0;
}

static const char *host_export_report_json(const tocm_export_request *req, size_t *len) {
    if (!req || req != guard.export) {
        misuse("called export_report_json outside its export");
        return NULL;
    }
    if (len)
        *len = req->report_json ? req->report_json_len : 0;
    return req->report_json;
}

static const struct tocm_host host = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_host),
    .version = TOCM_VERSION,
    .alloc = malloc,
    .free = free,
    .error_set = host_error_set,
    .log = host_log,
    .program_string = host_program_string,
    .level_count = host_level_count,
    .level_id = host_level_id,
    .level_title = host_level_title,
    .level_is_outcome = host_level_is_outcome,
    .node_count = host_node_count,
    .node_find = host_node_find,
    .node_id = host_node_id,
    .node_title = host_node_title,
    .node_level = host_node_level,
    .node_string = host_node_string,
    .node_list_count = host_node_list_count,
    .node_list_item = host_node_list_item,
    .node_is_inferred = host_node_is_inferred,
    .edge_count = host_edge_count,
    .node_out_count = host_node_out_count,
    .node_out = host_node_out,
    .node_in_count = host_node_in_count,
    .node_in = host_node_in,
    .link_is_inferred = host_link_is_inferred,
    .model_format = host_model_format,
    .indicator_count = host_indicator_count,
    .indicator_id = host_indicator_id,
    .indicator_string = host_indicator_string,
    .indicator_node_count = host_indicator_node_count,
    .indicator_node = host_indicator_node,
    .table_row_count = host_table_row_count,
    .table_column_count = host_table_column_count,
    .table_column_name = host_table_column_name,
    .table_column_type = host_table_column_type,
    .table_column_find = host_table_column_find,
    .table_text = host_table_text,
    .table_number = host_table_number,
    .param_string = host_param_string,
    .param_number = host_param_number,
    .param_filter_matches = host_param_filter_matches,
    .export_option = host_export_option,
    .export_write = host_export_write,
    .export_report_json = host_export_report_json,
};

const struct tocm_host *tocm_host_table(void) { return &host; }

/* ---- Calling plugins ---------------------------------------------------- */

static int check_result(struct tocm_calc_result *out, tocm_error *err);

int tocmp_calc_call(const struct tocm_calculator *calc, const char *plugin,
                    const struct tocm_calc_input *in, struct tocm_calc_result *out,
                    tocm_error *err) {
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    memset(err, 0, sizeof *err);
    guard_begin(plugin);
    int rc = calc->compute(&host, in, out, err);
    guard.plugin = NULL;
    /* Whatever it returned, its strings end inside their arrays from here. */
    clean_error(err);
    for (size_t p = 0; p < TOCM_CALC_MAX_PARTS; p++)
        clean_fixed_string(out->parts[p].name, sizeof out->parts[p].name);
    clean_fixed_string(out->note, sizeof out->note);
    if (rc == 0 && guard.misuse[0]) {
        memset(err, 0, sizeof *err);
        snprintf(err->text, sizeof err->text, "the plugin %s", guard.misuse);
        return -1;
    }
    if (rc != 0)
        return -1;
    return check_result(out, err);
}

/* The checks every result gets, however it was computed: at most
 * TOCM_CALC_MAX_PARTS named, finite parts; a ratio of finite terms. */
static int check_result(struct tocm_calc_result *out, tocm_error *err) {
    if (out->part_count > TOCM_CALC_MAX_PARTS) {
        snprintf(err->text, sizeof err->text,
                 "the plugin returned %zu parts; a result holds at most %d", out->part_count,
                 TOCM_CALC_MAX_PARTS);
        return -1;
    }
    for (size_t p = 0; p < out->part_count; p++) {
        if (!out->parts[p].name[0] || !isfinite(out->parts[p].value)) {
            snprintf(err->text, sizeof err->text, "the plugin returned part %zu %s", p + 1,
                     out->parts[p].name[0] ? "with a value that is not a finite number"
                                           : "without a name");
            return -1;
        }
    }
    if (out->has_ratio && !(isfinite(out->numerator) && isfinite(out->denominator))) {
        /* A ratio whose terms are not numbers is no figure. */
        out->has_ratio = 0;
        out->has_value = 0;
    }
    return 0;
}

/* ---- Mergeable aggregates (ABI 1.4) ------------------------------------ */

void tocmp_guard_enter(const char *plugin, tocm_error *err) {
    memset(err, 0, sizeof *err);
    guard_begin(plugin);
}

int tocmp_guard_leave(int rc, tocm_error *err) {
    guard.plugin = NULL;
    clean_error(err);
    if (rc >= 0 && guard.misuse[0]) {
        memset(err, 0, sizeof *err);
        snprintf(err->text, sizeof err->text, "the plugin %s", guard.misuse);
        return -1;
    }
    if (rc < 0 && !err->text[0])
        snprintf(err->text, sizeof err->text, "no reason given");
    return rc;
}

int tocmp_agg_prepare(const struct tocm_calculator *calc, const char *plugin,
                      const struct tocm_calc_input *in, struct tocm_agg_plan *plan,
                      tocm_error *err) {
    memset(plan, 0, sizeof *plan);
    plan->size = sizeof *plan;
    tocmp_guard_enter(plugin, err);
    int rc = tocmp_guard_leave(calc->aggregate->prepare(&host, in, plan, err), err);
    if (rc != 1)
        return rc < 0 ? -1 : 0;
    /* The plan decides what the host reads and allocates: check it all. */
    const char *bad = NULL;
    if (plan->column_count > TOCM_AGG_MAX_COLUMNS)
        bad = "more columns than a plan holds";
    else if (plan->filter_count > TOCM_AGG_MAX_FILTERS)
        bad = "more filters than a plan holds";
    else if (plan->state_size == 0 || plan->state_size > TOCMP_AGG_MAX_STATE)
        bad = "a state size of 0 or over 64 KiB";
    for (size_t k = 0; !bad && k < plan->column_count; k++)
        if (plan->columns[k] >= in->table->column_count)
            bad = "a column the table does not have";
    for (size_t k = 0; !bad && k < plan->filter_count; k++)
        if (!plan->filters[k])
            bad = "a filter with no name (NULL)";
    if (bad) {
        snprintf(err->text, sizeof err->text, "the plugin's aggregate plan has %s", bad);
        return -1;
    }
    return 1;
}

int tocmp_agg_finalize(const struct tocm_calculator *calc, const char *plugin,
                       const struct tocm_agg_plan *plan, const void *state,
                       struct tocm_calc_result *out, tocm_error *err) {
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    tocmp_guard_enter(plugin, err);
    int rc = calc->aggregate->finalize(&host, plan, state, out, err);
    for (size_t p = 0; p < TOCM_CALC_MAX_PARTS; p++)
        clean_fixed_string(out->parts[p].name, sizeof out->parts[p].name);
    clean_fixed_string(out->note, sizeof out->note);
    if (tocmp_guard_leave(rc, err) != 0)
        return -1;
    return check_result(out, err);
}

int tocm_exporter_run(const struct tocm_exporter *exporter, const char *plugin,
                      const struct tocm_export_input *in, tocm_error *err) {
    memset(err, 0, sizeof *err);
    guard_begin(plugin);
    guard.export = in->request;
    guard.export_write_failed = 0;
    int rc = exporter->write(&host, in, err);
    int write_failed = guard.export_write_failed;
    guard.export = NULL;
    guard.plugin = NULL;
    clean_error(err);
    if (rc == 0 && (guard.misuse[0] || write_failed)) {
        memset(err, 0, sizeof *err);
        snprintf(err->text, sizeof err->text, "the plugin %s",
                 guard.misuse[0] ? guard.misuse : "ignored a failed export_write");
        return -1;
    }
    return rc == 0 ? 0 : -1;
}
