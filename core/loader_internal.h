/*
 * loader_internal.h -- what the loader's files share: the load in progress
 * (loader.c builds the chain, load_objects.c the tables, indicators and
 * status).
 */
#ifndef TOCMP_LOADER_INTERNAL_H
#define TOCMP_LOADER_INTERNAL_H

#include "model_internal.h"
#include "shape.h"

struct load_ctx {
    tocm_model *model;
    struct tocmp_shape shape;
    size_t link_capacity; /* contributes_to entries counted by load_nodes */
};

/* The top level's members after program, levels and nodes: tables,
 * indicators and status as model objects, then any other the schema
 * knows. */
void tocmp_load_objects(struct load_ctx *c, json_t *root);
/* Resolves each indicator's "nodes" (after the node index is built) and
 * groups the indicators by node. */
void tocmp_link_indicators(tocm_model *m);

#endif
