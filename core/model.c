/*
 * model.c -- lifetime of a tocm_model and read access to it.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* tocm_model_find_node passes the index's "no such key" through. */
_Static_assert(TOCM_NO_NODE == TOCMP_IDMAP_NONE, "TOCM_NO_NODE is TOCMP_IDMAP_NONE");

void tocm_model_free(tocm_model *m) {
    if (!m)
        return;
    free(m->file);
    json_decref(m->root);
    free(m->levels);
    free(m->nodes);
    tocmp_idmap_free(&m->ids);
    free(m->links);
    free(m->out_edges);
    free(m->in_edges);
    free(m->out_links);
    free(m->tables);
    tocmp_idmap_free(&m->table_ids);
    free(m->indicators);
    tocmp_idmap_free(&m->indicator_ids);
    free(m->indicator_nodes);
    free(m->indicator_node_slots);
    free(m->node_indicators);
    free(m);
}

const char *tocm_model_file(const tocm_model *m) { return m->file; }
const char *tocm_model_program_id(const tocm_model *m) { return m->program_id; }
const char *tocm_model_program_title(const tocm_model *m) { return m->program_title; }

size_t tocm_model_level_count(const tocm_model *m) { return m->level_count; }
const char *tocm_level_id(const tocm_model *m, size_t l) { return m->levels[l].id; }
const char *tocm_level_title(const tocm_model *m, size_t l) { return m->levels[l].title; }
int tocm_level_is_outcome(const tocm_model *m, size_t l) { return m->levels[l].outcome; }

long tocm_model_find_level(const tocm_model *m, const char *id) {
    /* Tier lists are short (a handful of entries): a scan beats a map. */
    for (size_t i = 0; i < m->level_count; i++)
        if (strcmp(m->levels[i].id, id) == 0)
            return (long)i;
    return -1;
}

size_t tocm_model_node_count(const tocm_model *m) { return m->node_count; }

size_t tocm_model_find_node(const tocm_model *m, const char *id) {
    return tocmp_idmap_get(&m->ids, id);
}

const char *tocm_node_id(const tocm_model *m, size_t n) {
    return m->nodes[n].id ? m->nodes[n].id : "";
}
const char *tocm_node_title(const tocm_model *m, size_t n) { return m->nodes[n].title; }
long tocm_node_level(const tocm_model *m, size_t n) { return m->nodes[n].level; }

const char *tocm_node_string(const tocm_model *m, size_t n, const char *field) {
    json_t *object = m->nodes[n].json;
    json_t *v = json_is_object(object) ? json_object_get(object, field) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *tocm_node_country(const tocm_model *m, size_t n) {
    return tocm_node_string(m, n, "country");
}
const char *tocm_node_status(const tocm_model *m, size_t n) {
    return tocm_node_string(m, n, "status");
}

size_t tocm_node_out_count(const tocm_model *m, size_t n) { return m->nodes[n].out_count; }
size_t tocm_node_out(const tocm_model *m, size_t n, size_t i) {
    return m->out_edges[m->nodes[n].out_begin + i];
}
size_t tocm_node_in_count(const tocm_model *m, size_t n) { return m->nodes[n].in_count; }
size_t tocm_node_in(const tocm_model *m, size_t n, size_t i) {
    return m->in_edges[m->nodes[n].in_begin + i];
}
size_t tocm_model_edge_count(const tocm_model *m) { return m->edge_count; }

size_t tocmp_model_find_indicator(const tocm_model *m, const char *id) {
    return tocmp_idmap_get(&m->indicator_ids, id);
}

size_t tocmp_model_find_table(const tocm_model *m, const char *name) {
    return tocmp_idmap_get(&m->table_ids, name);
}
