/*
 * load_objects.c -- the parts of a model besides its results chain: the
 * tables, the indicators and the status section, checked against the schema
 * (shape.h) and built into model objects with an index by id, and the links
 * between indicators and the nodes they measure.
 */
#include <string.h>

#include "loader_internal.h"
#include "util.h"

static void load_tables(struct load_ctx *c, json_t *tables) {
    tocm_model *m = c->model;
    const struct tocmp_field *f = tocmp_schema_field(TOCMP_PLACE_ROOT, "tables");
    struct tocmp_where w = {.parent = &tocmp_shape_top, .key = "tables"};
    if (!tocmp_shape_kind(&c->shape, f, tables, &w, NULL))
        return;
    m->tables = tocmp_xcalloc(json_object_size(tables), sizeof *m->tables);
    const char *name;
    json_t *entry;
    json_object_foreach(tables, name, entry) {
        struct tocmp_where ew = {.parent = &w, .key = name};
        tocmp_shape_entry(&c->shape, f, entry, &ew, name, NULL);
        struct tocmp_table *t = &m->tables[m->table_count];
        t->name = name;
        t->json = json_is_object(entry) ? entry : NULL;
        json_t *path = json_object_get(t->json, "path");
        t->path = json_is_string(path) ? json_string_value(path) : NULL;
        t->columns = json_is_object(json_object_get(t->json, "columns"))
                         ? json_object_get(t->json, "columns")
                         : NULL;
        /* The keys of a JSON object are distinct (duplicates are E001). */
        tocmp_idmap_add_new(&m->table_ids, name, m->table_count++);
    }
}

static const char *string_of(json_t *object, const char *name) {
    return json_string_value(json_object_get(object, name));
}

static void load_indicators(struct load_ctx *c, json_t *indicators) {
    tocm_model *m = c->model;
    const struct tocmp_field *f = tocmp_schema_field(TOCMP_PLACE_ROOT, "indicators");
    struct tocmp_where w = {.parent = &tocmp_shape_top, .key = "indicators"};
    if (!tocmp_shape_kind(&c->shape, f, indicators, &w, NULL))
        return;
    size_t count = json_array_size(indicators), refs = 0;
    m->indicators = tocmp_xcalloc(count, sizeof *m->indicators);
    tocmp_idmap_free(&m->indicator_ids);
    tocmp_idmap_init(&m->indicator_ids, count);
    for (size_t i = 0; i < count; i++) {
        json_t *entry = json_array_get(indicators, i);
        struct tocmp_indicator *ind = &m->indicators[m->indicator_count++];
        ind->json_index = i;
        ind->title = "";
        ind->table = TOCMP_NONE;
        struct tocmp_where ew = {.parent = &w, .index = i};
        if (!tocmp_shape_entry(&c->shape, f, entry, &ew, NULL, NULL))
            continue;
        ind->json = entry;
        ind->id = tocmp_shape_string(entry, "id");
        if (string_of(entry, "title"))
            ind->title = string_of(entry, "title");
        ind->calculator = string_of(entry, "calculator");
        ind->table_name = string_of(entry, "table");
        ind->measure = string_of(entry, "measure");
        ind->unit = string_of(entry, "unit");
        ind->period = string_of(entry, "period");
        ind->direction = string_of(entry, "direction");
        ind->aggregation = string_of(entry, "aggregation");
        if (ind->id && tocmp_idmap_put(&m->indicator_ids, ind->id, i) != i) {
            /* A duplicate id names its first indicator (validate: E402). */
        }
        if (ind->table_name)
            ind->table = tocmp_idmap_get(&m->table_ids, ind->table_name);
        json_t *nodes = json_object_get(entry, "nodes");
        if (json_is_array(nodes))
            refs += json_array_size(nodes);
    }
    /* The nodes each indicator is attached to, resolved in build_graph. */
    m->indicator_nodes = tocmp_xcalloc(refs ? refs : 1, sizeof *m->indicator_nodes);
    m->indicator_node_slots = tocmp_xcalloc(refs ? refs : 1, sizeof *m->indicator_node_slots);
}

static void load_status(struct load_ctx *c, json_t *status) {
    struct tocmp_status *s = &c->model->status;
    struct tocmp_where w = {.parent = &tocmp_shape_top, .key = "status"};
    if (!tocmp_shape_value(&c->shape, tocmp_schema_field(TOCMP_PLACE_ROOT, "status"), status, &w,
                           NULL))
        return;
    s->json = status;
    json_t *statuses = json_object_get(status, "node_statuses");
    s->node_statuses = json_is_array(statuses) ? statuses : NULL;
    json_t *thresholds = json_object_get(status, "thresholds");
    json_t *v = json_object_get(thresholds, "achieved");
    if (json_is_number(v))
        s->achieved = json_number_value(v);
    v = json_object_get(thresholds, "on_track");
    if (json_is_number(v))
        s->on_track = json_number_value(v);
}

/* The top level's members after program, levels and nodes: the ones with
 * model objects of their own, then any other the schema knows. */
void tocmp_load_objects(struct load_ctx *c, json_t *root) {
    tocm_model *m = c->model;
    m->status.achieved = 1.0;
    m->status.on_track = 0.8;
    tocmp_idmap_init(&m->table_ids, 8);
    tocmp_idmap_init(&m->indicator_ids, 8);
    const struct tocmp_place_info *p = tocmp_schema_place(TOCMP_PLACE_ROOT);
    for (size_t i = 0; i < p->field_count; i++) {
        const struct tocmp_field *f = &p->fields[i];
        json_t *v = json_object_get(root, f->name);
        if (!v || !strcmp(f->name, "tocm") || !strcmp(f->name, "program") ||
            !strcmp(f->name, "levels") || !strcmp(f->name, "nodes"))
            continue;
        if (strcmp(f->name, "tables") == 0) {
            load_tables(c, v);
        } else if (strcmp(f->name, "indicators") == 0) {
            load_indicators(c, v);
        } else if (strcmp(f->name, "status") == 0) {
            load_status(c, v);
        } else {
            struct tocmp_where w = {.parent = &tocmp_shape_top, .key = f->name};
            tocmp_shape_value(&c->shape, f, v, &w, NULL);
        }
    }
}

/* Resolves each indicator's "nodes" and groups the indicators by node. */
void tocmp_link_indicators(tocm_model *m) {
    size_t *per_node = tocmp_xcalloc(m->node_count + 1, sizeof *per_node);
    size_t refs = 0;
    for (size_t i = 0; i < m->indicator_count; i++) {
        struct tocmp_indicator *ind = &m->indicators[i];
        ind->node_begin = refs;
        json_t *nodes = json_object_get(ind->json, "nodes");
        size_t slot;
        json_t *id;
        json_array_foreach(nodes, slot, id) {
            if (!json_is_string(id))
                continue;
            size_t node = tocmp_idmap_get(&m->ids, json_string_value(id));
            m->indicator_node_slots[refs] = slot;
            m->indicator_nodes[refs++] = node;
            /* Counted once per node, however often the list names it. */
            int again = 0;
            for (size_t k = ind->node_begin; k + 1 < refs && !again; k++)
                again = m->indicator_nodes[k] == node;
            if (node != TOCM_NO_NODE && !again)
                per_node[node]++;
        }
        ind->node_count = refs - ind->node_begin;
    }
    size_t total = 0;
    for (size_t n = 0; n < m->node_count; n++) {
        m->nodes[n].ind_begin = total;
        total += per_node[n];
        per_node[n] = m->nodes[n].ind_begin;
    }
    m->node_indicators = tocmp_xcalloc(total ? total : 1, sizeof *m->node_indicators);
    for (size_t i = 0; i < m->indicator_count; i++) {
        const struct tocmp_indicator *ind = &m->indicators[i];
        for (size_t k = ind->node_begin; k < ind->node_begin + ind->node_count; k++) {
            size_t node = m->indicator_nodes[k];
            int again = 0;
            for (size_t j = ind->node_begin; j < k && !again; j++)
                again = m->indicator_nodes[j] == node;
            if (node == TOCM_NO_NODE || again)
                continue;
            m->node_indicators[per_node[node]++] = i;
            m->nodes[node].ind_count++;
        }
    }
    free(per_node);
}
