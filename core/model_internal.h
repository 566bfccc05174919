/*
 * model_internal.h -- the in-memory model shared by the core's modules.
 * Nothing outside core/ includes this: plugins and the CLI use tocm.h.
 */
#ifndef TOCMP_MODEL_INTERNAL_H
#define TOCMP_MODEL_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "tocm/tocm.h"
#include "idmap.h"

struct tocmp_level {
    const char *id;    /* borrowed from the JSON, or a static default */
    const char *title; /* never NULL: defaults to the id */
    int outcome;
    size_t json_index; /* position in "levels"; SIZE_MAX for defaults */
};

struct tocmp_node {
    const char *id;    /* borrowed from json; NULL if the node has no usable id */
    const char *title; /* borrowed; "" when missing */
    const char *level_name; /* borrowed; NULL when missing */
    long level;        /* index into levels, -1 when unknown */
    json_t *json;      /* borrowed: the node's object in the document */
    size_t json_index; /* position in "nodes" */
    /* Ranges into model->out_edges / model->in_edges (CSR adjacency). */
    size_t out_begin, out_count;
    size_t in_begin, in_count;
};

/* One contributes_to entry. Unresolved ones (dangling) keep to == TOCM_NO_NODE
 * so the validator can report them with their exact JSON path. */
struct tocmp_link {
    size_t from, to;
    size_t slot;        /* index inside the node's contributes_to array */
    const char *target; /* borrowed: the id as written */
};

struct tocm_model {
    char *file;
    json_t *root; /* owned: the whole document, unknown fields included */
    const char *program_id, *program_title;

    struct tocmp_level *levels;
    size_t level_count;
    int levels_defaulted; /* 1 when the file has no "levels" */

    struct tocmp_node *nodes;
    size_t node_count;
    tocmp_idmap ids; /* id -> first node index with that id */

    /* Every contributes_to entry that is a string, in file order. */
    struct tocmp_link *links;
    size_t link_count;
    /* Resolved links only, as node indices: out_edges grouped by source,
     * in_edges grouped by target; both keep file order within a group. */
    size_t *out_edges, *in_edges;
    /* For each out_edges entry, the index of its link in links[], so a
     * finding about an edge can name its exact JSON path. */
    size_t *out_links;
    size_t edge_count;
};

/* The E4xx rules for "tables" and "indicators" (validate_indicators.c).
 * Returns the number of errors added. */
size_t tocmp_validate_indicators(const tocm_model *model, tocm_diags *diags);

/* The canonical text of any JSON document (emit.c). new: free() it. */
char *tocmp_format_json(json_t *root, size_t *len);

#endif
