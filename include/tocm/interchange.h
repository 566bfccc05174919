/*
 * interchange.h -- models that come from elsewhere: new frameworks from
 * built-in templates (`tocm init`), logframe sheets and IATI files
 * (`tocm import`).
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

/* A logframe sheet saved as CSV (models/FORMAT.md, "Importing a logframe
 * sheet") into a model. mappings are "NAME=HEADER" strings naming the column
 * that holds a field (level, id, title, parent, indicator, indicator_id,
 * unit, baseline, baseline_year, source, assumptions, description,
 * lop_target, target:PERIOD) where the header is not one tocm recognises.
 * program_id and program_title may be NULL (the file's name is used). */
struct tocm_logframe_options {
    const char *program_id, *program_title;
    const char *const *mappings;
    size_t mapping_count;
};
/* TOCM_OK with *out the model in canonical layout (new: free()); else every
 * problem in diags with the sheet's line (E501 the sheet, E502 a row, E503 a
 * value, or the model's own rule the sheet breaks), TOCM_EINVALID, and
 * *out NULL; TOCM_EIO when the file cannot be read. */
int tocm_import_logframe(const char *path, const struct tocm_logframe_options *options,
                         tocm_diags *diags, char **out, size_t *len);

/* What an import makes: the model and the results tables beside it (paths
 * relative to the model's folder, "data/results_1.2.csv"), all in memory
 * until tocm_import_write. */
struct tocm_import_table {
    char *path;
    char *text;
    size_t len;
};
struct tocm_import_output {
    char *model; /* canonical layout */
    size_t model_len;
    struct tocm_import_table *tables;
    size_t table_count;
};
void tocm_import_output_free(struct tocm_import_output *out);

/* Writes the tables, then the model at model_path (each atomically; data/
 * made when missing). An existing file is refused before anything is
 * written unless force; when a write fails, the files this call made are
 * removed. TOCM_OK, or TOCM_EIO/TOCM_EINVALID with err set. */
int tocm_import_write(const char *model_path, const struct tocm_import_output *out, int force,
                      char *err, size_t err_size);

/* An IATI 2.03 activity file (models/FORMAT.md, "Importing IATI") into a
 * model and a results table per indicator holding its actuals. Read with
 * libxml2 without network, DTD or entity expansion, within bounds. It is
 * built into the tocm program when libxml2 is found, not into libtocm.a
 * (which needs jansson only). */
struct tocm_iati_options {
    const char *activity;   /* the iati-identifier to import from a file of several; or NULL */
    const char *program_id; /* or NULL: tocm's own, else from the identifier or file name */
};
/* TOCM_OK with out filled and warnings (what is not kept, placeholders) in
 * diags; TOCM_EINVALID with every error in diags (E511 the file, E512 the
 * document, E513 a value, or the model's own rules) and out empty; TOCM_EIO
 * when the file cannot be read. */
int tocm_import_iati(const char *path, const struct tocm_iati_options *options, tocm_diags *diags,
                     struct tocm_import_output *out);

#ifdef __cplusplus
}
#endif

#endif
