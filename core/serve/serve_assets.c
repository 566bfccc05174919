/*
 * serve_assets.c -- finds a compiled-in file of the page by its path.
 */
#include <string.h>

#include "serve_assets.h"

const struct serve_asset *serve_asset_find(const char *path) {
    for (const struct serve_asset *a = serve_assets; a->path; a++)
        if (strcmp(a->path, path) == 0)
            return a;
    return NULL;
}
