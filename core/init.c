/*
 * init.c -- `tocm init DIR --template NAME`: a new model folder from a
 * built-in template (interchange.h).
 *
 * The folder appears whole or not at all: it is built beside DIR under a
 * hidden temporary name, every file synced, and renamed into place. rename()
 * replaces an empty folder and refuses a non-empty one, so a folder that
 * fills up while tocm works is still never mixed with a template.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "templates.h"
#include "tocm/interchange.h"
#include "util.h"

static const struct tocm_template_info templates[] = {
    {"toc", "theory of change, ASEAN-ACT style: goal, end-of-program outcome, intermediate "
            "outcome, immediate outcome, project cluster, project"},
    {"logframe", "logical framework, DFID style: impact, outcome, output, activity"},
    {"usaid", "USAID results framework: goal, development objective, intermediate result, "
              "sub-intermediate result"},
};
#define TEMPLATE_COUNT (sizeof templates / sizeof templates[0])

size_t tocm_template_count(void) { return TEMPLATE_COUNT; }

const struct tocm_template_info *tocm_template_get(size_t index) {
    return index < TEMPLATE_COUNT ? &templates[index] : NULL;
}

static int failf(char *err, size_t size, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int failf(char *err, size_t size, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return status;
}

/* A folder name that can serve as the program's id as it is. */
static int usable_id(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == '.' || s[0] == '-')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

/* The template's model with the program id set, in canonical layout,
 * checked: a template that does not validate is tocm's bug, never written.
 * new, or NULL with err set. */
static char *model_text(const struct tocmp_template_file *f, const char *id, size_t *len, char *err,
                        size_t err_size) {
    json_error_t jerr;
    json_t *doc = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &jerr);
    json_t *program = doc ? json_object_get(doc, "program") : NULL;
    if (!program) {
        json_decref(doc);
        failf(err, err_size, TOCM_EIO, "internal error: template file %s is not a model", f->path);
        return NULL;
    }
    if (id)
        json_object_set_new(program, "id", json_string(id));
    char *text = json_dumps(doc, JSON_PRESERVE_ORDER);
    json_decref(doc);
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = NULL;
    char *out = NULL;
    if (tocm_model_load_string(text, f->path, diags, &m) == TOCM_OK && tocm_validate(m, diags) == 0)
        out = tocm_model_format(m, len);
    else
        failf(err, err_size, TOCM_EIO, "internal error: template %s does not validate", f->path);
    tocm_model_free(m);
    tocm_diags_free(diags);
    free(text);
    return out;
}

static int write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_new_file(const char *path, const char *data, size_t len) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

static void sync_dir(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Removes what was built under tmp: files of the template, then folders. */
static void remove_tree(const char *tmp, const char *prefix) {
    size_t plen = strlen(prefix);
    for (int pass = 0; pass < 2; pass++)
        for (const struct tocmp_template_file *f = tocmp_template_files; f->path; f++) {
            if (strncmp(f->path, prefix, plen) != 0)
                continue;
            char *path = tocmp_asprintf("%s/%s", tmp, f->path + plen);
            if (pass == 0)
                unlink(path);
            else {
                char *slash = strrchr(path, '/');
                *slash = '\0';
                if (strcmp(path, tmp) != 0)
                    rmdir(path);
            }
            free(path);
        }
    rmdir(tmp);
}

/* 1 when path is a folder with nothing in it. */
static int is_empty_dir(const char *path) {
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            empty = 0;
            break;
        }
    closedir(d);
    return empty;
}

int tocm_init_dir(const char *dir_arg, const char *name, char *err, size_t err_size) {
    const struct tocm_template_info *t = NULL;
    for (size_t i = 0; i < TEMPLATE_COUNT; i++)
        if (strcmp(templates[i].name, name) == 0)
            t = &templates[i];
    if (!t) {
        tocmp_buf names = {0};
        for (size_t i = 0; i < TEMPLATE_COUNT; i++)
            tocmp_buf_printf(&names, "%s%s", i ? ", " : "", templates[i].name);
        failf(err, err_size, TOCM_EINVALID, "no template '%s'; the templates are: %s", name,
              names.data);
        free(names.data);
        return TOCM_EINVALID;
    }
    char *dir = tocmp_xstrdup(dir_arg);
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
        dir[n - 1] = '\0';
    char *slash = strrchr(dir, '/');
    char *parent = slash ? (slash == dir ? tocmp_xstrdup("/")
                                         : tocmp_asprintf("%.*s", (int)(slash - dir), dir))
                         : tocmp_xstrdup(".");
    const char *base = slash ? slash + 1 : dir;
    int status = TOCM_OK;
    mode_t mode = 0;
    struct stat st;
    if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        status = failf(err, err_size, TOCM_EINVALID,
                       "'%s': name the new folder (tocm init my-program)", dir_arg);
        goto out;
    }
    if (lstat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            status = failf(err, err_size, TOCM_EINVALID, "'%s' exists and is not a folder", dir);
            goto out;
        }
        if (!is_empty_dir(dir)) {
            status = failf(err, err_size, TOCM_EINVALID,
                           "'%s' is not empty: tocm init writes only into a new or empty folder, "
                           "so that it never mixes a template with your files",
                           dir);
            goto out;
        }
        mode = st.st_mode & 07777;
    } else if (errno != ENOENT) {
        status = failf(err, err_size, TOCM_EIO, "cannot use '%s': %s", dir, strerror(errno));
        goto out;
    }

    /* The temporary folder, beside dir so that the rename stays on one file
     * system. mkdir (not mkdtemp) so that it gets the umask's mode. */
    char *tmp = NULL;
    for (int attempt = 0; attempt < 100 && !tmp; attempt++) {
        char *candidate = tocmp_asprintf("%s/.%s.init-%ld-%d", parent, base, (long)getpid(),
                                         (int)((time(NULL) + attempt) % 100000));
        if (mkdir(candidate, 0777) == 0) {
            tmp = candidate;
        } else {
            int e = errno;
            free(candidate);
            if (e != EEXIST) {
                status = failf(err, err_size, TOCM_EIO, "cannot create a folder in '%s': %s",
                               parent, strerror(e));
                goto out;
            }
        }
    }
    if (!tmp) {
        status = failf(err, err_size, TOCM_EIO, "cannot create a temporary folder in '%s'", parent);
        goto out;
    }
    if (mode && chmod(tmp, mode) != 0) {
        status =
            failf(err, err_size, TOCM_EIO, "cannot set the mode of '%s': %s", tmp, strerror(errno));
        remove_tree(tmp, "");
        free(tmp);
        goto out;
    }
    char *prefix = tocmp_asprintf("%s/", t->name);
    size_t plen = strlen(prefix);
    for (const struct tocmp_template_file *f = tocmp_template_files; f->path && status == TOCM_OK;
         f++) {
        if (strncmp(f->path, prefix, plen) != 0)
            continue;
        const char *rel = f->path + plen;
        char *path = tocmp_asprintf("%s/%s", tmp, rel);
        /* Folders on the way (data/). */
        for (char *p = path + strlen(tmp) + 1; (p = strchr(p, '/')) != NULL; p++) {
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                status =
                    failf(err, err_size, TOCM_EIO, "cannot create '%s': %s", path, strerror(errno));
            *p = '/';
        }
        size_t len = f->len;
        char *text = NULL;
        if (status == TOCM_OK && strcmp(rel, "model.json") == 0) {
            text = model_text(f, usable_id(base) ? base : NULL, &len, err, err_size);
            if (!text)
                status = TOCM_EIO;
        }
        if (status == TOCM_OK &&
            write_new_file(path, text ? text : (const char *)f->data, len) != 0)
            status = failf(err, err_size, TOCM_EIO, "cannot write '%s': %s", path, strerror(errno));
        free(text);
        free(path);
    }
    if (status == TOCM_OK) {
        char *data = tocmp_asprintf("%s/data", tmp);
        sync_dir(data);
        free(data);
        sync_dir(tmp);
        if (rename(tmp, dir) != 0) {
            if (errno == ENOTEMPTY || errno == EEXIST)
                status = failf(err, err_size, TOCM_EINVALID,
                               "'%s' was filled while tocm init ran: nothing written", dir);
            else
                status =
                    failf(err, err_size, TOCM_EIO, "cannot create '%s': %s", dir, strerror(errno));
        } else {
            sync_dir(parent);
        }
    }
    if (status != TOCM_OK)
        remove_tree(tmp, prefix);
    free(prefix);
    free(tmp);
out:
    free(parent);
    free(dir);
    return status;
}
