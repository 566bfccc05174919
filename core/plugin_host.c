/*
 * plugin_host.c -- the const function table tocm hands to plugins.
 *
 * Each slot is a thin adapter over the library API: plugins see the same
 * model the CLI sees, through functions only, so the model's layout can
 * change without breaking a single compiled plugin.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "model_internal.h"
#include "table.h"
#include "tocm/host.h"
#include "util.h"

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

/* "period.start" walks into nested objects. */
static const char *host_program_string(const tocm_model *m, const char *field) {
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
    return tocm_model_find_node(m, id);
}

static json_t *node_field(const tocm_model *m, size_t node, const char *field) {
    json_t *o = m->nodes[node].json;
    return json_is_object(o) ? json_object_get(o, field) : NULL;
}

static size_t host_node_list_count(const tocm_model *m, size_t node, const char *field) {
    return json_array_size(node_field(m, node, field));
}

static const char *host_node_list_item(const tocm_model *m, size_t node, const char *field,
                                       size_t i) {
    return json_string_value(json_array_get(node_field(m, node, field), i));
}

static int host_node_is_inferred(const tocm_model *m, size_t node) {
    return json_is_true(node_field(m, node, "inferred"));
}

static int host_link_is_inferred(const tocm_model *m, size_t node, size_t i) {
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
    return tocm_model_format(m, len);
}

static json_t *indicator_json(const tocm_model *m, size_t ind) {
    return json_array_get(json_object_get(m->root, "indicators"), ind);
}

static size_t host_indicator_count(const tocm_model *m) {
    return json_array_size(json_object_get(m->root, "indicators"));
}

static const char *host_indicator_string(const tocm_model *m, size_t ind, const char *field) {
    return json_string_value(json_object_get(indicator_json(m, ind), field));
}

static const char *host_indicator_id(const tocm_model *m, size_t ind) {
    return host_indicator_string(m, ind, "id");
}

static size_t host_indicator_node_count(const tocm_model *m, size_t ind) {
    return json_array_size(json_object_get(indicator_json(m, ind), "nodes"));
}

static size_t host_indicator_node(const tocm_model *m, size_t ind, size_t i) {
    json_t *id = json_array_get(json_object_get(indicator_json(m, ind), "nodes"), i);
    return json_is_string(id) ? tocm_model_find_node(m, json_string_value(id)) : TOCM_NONE;
}

static size_t host_table_row_count(const tocm_table *t) { return t->row_count; }
static size_t host_table_column_count(const tocm_table *t) { return t->column_count; }
static const char *host_table_column_name(const tocm_table *t, size_t col) {
    return col < t->column_count ? t->names[col] : NULL;
}
static enum tocm_cell_type host_table_column_type(const tocm_table *t, size_t col) {
    return col < t->column_count ? t->types[col] : TOCM_CELL_TEXT;
}
static size_t host_table_column_find(const tocm_table *t, const char *name) {
    return tocmp_table_column(t, name);
}
static const char *host_table_text(const tocm_table *t, size_t row, size_t col) {
    if (row >= t->row_count || col >= t->column_count)
        return "";
    return t->text[tocmp_table_cell(t, row, col)];
}
static int host_table_number(const tocm_table *t, size_t row, size_t col, double *out) {
    if (row >= t->row_count || col >= t->column_count)
        return 0;
    size_t i = tocmp_table_cell(t, row, col);
    if (!t->has_number[i])
        return 0;
    *out = t->number[i];
    return 1;
}

static const char *host_param_string(const tocm_calc_request *req, const char *name) {
    return json_string_value(json_object_get(req->params, name));
}

static int host_param_number(const tocm_calc_request *req, const char *name, double *out) {
    json_t *v = json_object_get(req->params, name);
    if (!json_is_number(v))
        return 0;
    *out = json_number_value(v);
    return 1;
}

static int host_param_filter_matches(const tocm_calc_request *req, const char *name, size_t row) {
    json_t *filter = json_object_get(req->params, name);
    return !filter || tocmp_filter_matches(filter, req->table, row);
}

static const char *host_export_option(const tocm_export_request *req, const char *name) {
    for (size_t i = 0; i < req->option_count; i++)
        if (strcmp(req->option_names[i], name) == 0)
            return req->option_values[i];
    return NULL;
}

static int host_export_write(const tocm_export_request *req, const void *data, size_t len) {
    return req->write(req->sink, data, len);
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
    .level_count = tocm_model_level_count,
    .level_id = tocm_level_id,
    .level_title = tocm_level_title,
    .level_is_outcome = tocm_level_is_outcome,
    .node_count = tocm_model_node_count,
    .node_find = host_node_find,
    .node_id = tocm_node_id,
    .node_title = tocm_node_title,
    .node_level = tocm_node_level,
    .node_string = tocm_node_string,
    .node_list_count = host_node_list_count,
    .node_list_item = host_node_list_item,
    .node_is_inferred = host_node_is_inferred,
    .edge_count = tocm_model_edge_count,
    .node_out_count = tocm_node_out_count,
    .node_out = tocm_node_out,
    .node_in_count = tocm_node_in_count,
    .node_in = tocm_node_in,
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
};

const struct tocm_host *tocm_host_table(void) { return &host; }
