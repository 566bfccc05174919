/*
 * serve_assets.h -- the page of `tocm serve` (core/serve/page/), compiled
 * into the binary by cmake/embed_files.cmake so the server reads no file
 * but the model, and the page needs nothing from the network.
 */
#ifndef TOCM_SERVE_ASSETS_H
#define TOCM_SERVE_ASSETS_H

#include <stddef.h>

struct serve_asset {
    const char *path; /* "/app.js" */
    const char *type; /* Content-Type */
    const unsigned char *data;
    size_t len;
};

/* Ends with an entry whose path is NULL (the generated serve_assets_data.c). */
extern const struct serve_asset serve_assets[];

/* The asset at path, or NULL. */
const struct serve_asset *serve_asset_find(const char *path);

#endif
