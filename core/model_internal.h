/*
 * model_internal.h -- the in-memory model shared by the core's modules.
 * Nothing outside core/ includes this: plugins and the CLI use tocm.h.
 */
#ifndef TOCMP_MODEL_INTERNAL_H
#define TOCMP_MODEL_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "idmap.h"
#include "tocm/tocm.h"

struct tocmp_level {
    const char *id;    /* borrowed from the JSON, or a static default */
    const char *title; /* never NULL: defaults to the id */
    int outcome;
    size_t json_index; /* position in "levels"; SIZE_MAX for defaults */
};

struct tocmp_node {
    const char *id;         /* borrowed from json; NULL if the node has no usable id */
    const char *title;      /* borrowed; "" when missing */
    const char *level_name; /* borrowed; NULL when missing */
    long level;             /* index into levels, -1 when unknown */
    json_t *json;           /* borrowed: the node's object in the document */
    json_t *contributes_to; /* borrowed: that member's value (any type), NULL when absent;
                               read once here, not looked up by every later pass */
    size_t json_index;      /* position in "nodes" */
    /* Ranges into model->out_edges / model->in_edges (CSR adjacency). */
    size_t out_begin, out_count;
    size_t in_begin, in_count;
    /* Range into model->node_indicators: the indicators attached to it. */
    size_t ind_begin, ind_count;
};

/* One member of "tables". */
struct tocmp_table {
    const char *name; /* borrowed: the key in "tables" */
    json_t *json;     /* borrowed: its object; NULL when it is not one */
    const char *path; /* borrowed; NULL when missing or not a string */
    json_t *columns;  /* borrowed: column -> type, or NULL */
};

#define TOCMP_NONE ((size_t)-1)

/* One entry of "indicators". Every member is read from the JSON the loader
 * checked: a string field is NULL when it is absent or not a string. */
struct tocmp_indicator {
    const char *id;    /* borrowed; NULL when it has no usable id */
    const char *title; /* borrowed; "" when missing */
    json_t *json;      /* borrowed: its object; NULL when it is not one */
    size_t json_index; /* position in "indicators" */
    const char *calculator, *table_name, *measure, *unit, *period, *direction, *aggregation;
    size_t table; /* index into model->tables; TOCMP_NONE when not defined */
    /* Range into model->indicator_nodes: one entry per string of "nodes",
     * in order, the node's index or TOCM_NO_NODE when no node has the id;
     * node_slots gives each entry's index in the "nodes" array. */
    size_t node_begin, node_count;
};

/* "status": the vocabulary and thresholds of reports. */
struct tocmp_status {
    json_t *json;              /* borrowed; NULL when absent or not an object */
    json_t *node_statuses;     /* borrowed array of strings, or NULL */
    double achieved, on_track; /* thresholds; 1.0 and 0.8 when not given */
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

    struct tocmp_table *tables;
    size_t table_count;
    tocmp_idmap table_ids; /* name -> index in tables */

    struct tocmp_indicator *indicators;
    size_t indicator_count;
    tocmp_idmap indicator_ids; /* id -> first indicator with that id */
    size_t *indicator_nodes;   /* see struct tocmp_indicator */
    size_t *indicator_node_slots;
    /* Indicator indices grouped by node (see struct tocmp_node), each
     * indicator once per node, in file order. */
    size_t *node_indicators;

    struct tocmp_status status;
};

/* The indicator with that id (the first, with duplicates), or TOCMP_NONE. */
size_t tocmp_model_find_indicator(const tocm_model *model, const char *id);
/* The table with that name, or TOCMP_NONE. */
size_t tocmp_model_find_table(const tocm_model *model, const char *name);

/* The E4xx rules for "tables" and "indicators" (validate_indicators.c).
 * Returns the number of errors added. */
size_t tocmp_validate_indicators(const tocm_model *model, tocm_diags *diags);

/* Whether a node's status is one the model's status.node_statuses lists
 * (any status is, when there is no such list). validate.c. */
int tocmp_node_status_known(const tocm_model *model, const char *status);

/* The canonical text of any JSON document (emit.c). new: free() it. */
char *tocmp_format_json(json_t *root, size_t *len);
/* The same, with room made for size_hint bytes first (0: none), and
 * *faithful = 1 when reading the text back gives the same
 * document (every value as it is, only non-map members reordered), so a
 * model loaded from root is the one a load of the text would give. It is
 * 0 for what jansson would refuse or change: a NUL in a string, nesting
 * far past what any model needs. */
char *tocmp_format_json_checked(json_t *root, size_t size_hint, size_t *len, int *faithful);
/* 1 when text (len bytes) is the canonical text of root: compared as it is
 * written, without holding the whole text. */
int tocmp_json_is_canonical(json_t *root, const char *text, size_t len);
/* A model of a document already parsed (loader.c): as tocm_model_load_string
 * of its text would load it, but takes a reference of its own to root and
 * reads no text. */
int tocmp_model_load_json(json_t *root, const char *name, tocm_diags *diags, tocm_model **out);
/* tocm_model_load_string of a text whose length (len, before its NUL) the
 * caller knows: a large model is not measured twice. */
int tocmp_model_load_text(const char *text, size_t len, const char *name, tocm_diags *diags,
                          tocm_model **out);

#endif
