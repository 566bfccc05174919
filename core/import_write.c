/*
 * import_write.c -- writing what an import made: the results tables, then
 * the model, each atomically (tocm_write_file_atomic). Every file is
 * checked before the first is written (an existing one needs force), so a
 * refusal leaves the folder as it was; a write that fails part-way removes
 * the files this import made, so a model is never left without its tables
 * nor tables without their model.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tocm/interchange.h"
#include "util.h"

void tocm_import_output_free(struct tocm_import_output *out) {
    if (!out)
        return;
    for (size_t i = 0; i < out->table_count; i++) {
        free(out->tables[i].path);
        free(out->tables[i].text);
    }
    free(out->tables);
    free(out->model);
    memset(out, 0, sizeof *out);
}

/* The folder of path, with a trailing '/', or "" for the current one. new. */
static char *folder_of(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? tocmp_asprintf("%.*s/", (int)(slash - path), path) : tocmp_xstrdup("");
}

int tocm_import_write(const char *model_path, const struct tocm_import_output *out, int force,
                      char *err, size_t err_size) {
    char *dir = folder_of(model_path);
    size_t n = out->table_count;
    char **paths = tocmp_xcalloc(n + 1, sizeof *paths);
    int *existed = tocmp_xcalloc(n + 1, sizeof *existed);
    int rc = TOCM_OK;
    struct stat st;
    for (size_t i = 0; i < n; i++) {
        paths[i] = tocmp_asprintf("%s%s", dir, out->tables[i].path);
        existed[i] = stat(paths[i], &st) == 0;
        if (existed[i] && !force && rc == TOCM_OK) {
            snprintf(err, err_size, "'%s' exists; give --force to replace it (nothing written)",
                     paths[i]);
            rc = TOCM_EINVALID;
        }
    }
    if (rc == TOCM_OK && !force && stat(model_path, &st) == 0) {
        snprintf(err, err_size, "'%s' exists; give --force to replace it (nothing written)",
                 model_path);
        rc = TOCM_EINVALID;
    }
    /* The data folder (every table is data/NAME.csv). */
    int made_dir = 0;
    char *data = tocmp_asprintf("%sdata", dir);
    if (rc == TOCM_OK && n > 0 && stat(data, &st) != 0) {
        if (mkdir(data, 0777) != 0) {
            snprintf(err, err_size, "cannot make the folder '%s': %s (nothing written)", data,
                     strerror(errno));
            rc = TOCM_EIO;
        } else {
            made_dir = 1;
        }
    }
    size_t written = 0;
    for (; rc == TOCM_OK && written < n; written++)
        rc = tocm_write_file_atomic(paths[written], out->tables[written].text,
                                    out->tables[written].len, err, err_size);
    if (rc == TOCM_OK)
        rc = tocm_write_file_atomic(model_path, out->model, out->model_len, err, err_size);
    if (rc != TOCM_OK) {
        /* Undo what this import made; files it replaced stay replaced. */
        for (size_t i = 0; i < written && i < n; i++)
            if (!existed[i])
                remove(paths[i]);
        if (made_dir)
            remove(data);
    }
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(existed);
    free(data);
    free(dir);
    return rc;
}
