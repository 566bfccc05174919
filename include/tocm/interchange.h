/*
 * interchange.h -- models that come from elsewhere: new frameworks from
 * built-in templates (`tocm init`).
 *
 * Same rules as tocm.h: out of memory stops the program; every other failure
 * is a status and one sentence in the caller's buffer (TOCM_MESSAGE_SIZE
 * bytes always suffice).
 */
#ifndef TOCM_INTERCHANGE_H
#define TOCM_INTERCHANGE_H

#include <stddef.h>

#include "tocm/tocm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The built-in templates, in the order `tocm init --list` shows them. */
struct tocm_template_info {
    const char *name;    /* "logframe": what --template takes */
    const char *summary; /* one line: whose tier set it is and its levels */
};
size_t tocm_template_count(void);
const struct tocm_template_info *tocm_template_get(size_t index); /* borrowed (static) */

/* Creates dir (which must not exist, or be an empty folder) holding the
 * template's model.json and its data/ folder. The model's program id is the
 * folder's name when that makes a valid id. Atomic: the folder is built
 * beside dir under a temporary name and renamed into place, so dir is never
 * seen half-written, and nothing is left behind on failure. TOCM_OK;
 * TOCM_EINVALID for an unknown template or a dir that is not empty;
 * TOCM_EIO when it cannot be written. err gets the reason. */
int tocm_init_dir(const char *dir, const char *template_name, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
