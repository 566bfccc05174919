/*
 * registry.c -- finding, vetting and loading plugins, and looking up what
 * they provide.
 *
 * Every refusal is one line naming the file and the reason, and loading goes
 * on with the next plugin: a broken third-party exporter must not stop
 * someone from validating their model. Commands that need a particular
 * calculator or format fail later, when they look it up and it is missing.
 *
 * Where plugins come from, in order: --plugin files; the directories in
 * TOCM_PLUGIN_PATH; the build tree's plugins/ when this binary runs from the
 * build tree, otherwise the installed plugin directory. Never the current
 * directory: running tocm in a downloaded folder must not run its code.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tocm/host.h"
#include "util.h"

/* The installed plugin directory, relative to the installation prefix; the
 * prefix is found from the executable's own path (PREFIX/bin/tocm), so an
 * installation can be moved or made with `cmake --install --prefix`. */
#ifndef TOCM_PLUGIN_RELDIR
#define TOCM_PLUGIN_RELDIR "lib/tocm/plugins"
#endif

struct loaded {
    char *file; /* as found */
    char *real; /* realpath, to skip the same file found twice */
    void *handle;
    struct tocm_plugin desc; /* normalised copy */
};

struct tocm_registry {
    struct loaded *plugins;
    size_t count, cap;
    /* Normalised copies of every calculator and exporter, with the index of
     * the plugin that provided each. */
    struct tocm_calculator *calcs;
    size_t *calc_owner;
    size_t calc_count;
    struct tocm_exporter *exporters;
    size_t *exporter_owner;
    size_t exporter_count;
    struct tocm_source *sources; /* ABI 1.5 */
    size_t *source_owner;
    size_t source_count;
    size_t refused;
    FILE *messages;
    int allow_unsafe;
};

static void refuse(tocm_registry *r, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void refuse(tocm_registry *r, const char *file, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *why = tocmp_vasprintf(fmt, ap);
    va_end(ap);
    fprintf(r->messages, "tocm: plugin %s: %s\n", file, why);
    free(why);
    r->refused++;
}

/* Why the file or directory st describes is unsafe, or NULL: someone other
 * than us or root owns it, or others (or its group) may write it. */
static const char *unsafe_mode(const struct stat *st, int sticky_ok) {
    if (st->st_uid != 0 && st->st_uid != geteuid())
        return "is owned by another user";
    /* A root-owned sticky directory such as /tmp lets others add names but
     * not rename or remove ours, so the path through it cannot be swapped.
     * Only an ancestor gets this: the plugin's own directory must be ours. */
    if (sticky_ok && S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX) && st->st_uid == 0)
        return NULL;
    if (st->st_mode & S_IWOTH)
        return "is writable by others";
    if (st->st_mode & S_IWGRP)
        return "is writable by its group";
    return NULL;
}

/* A plugin runs with the user's rights, so a file that someone else could
 * have replaced is refused: writable by group or others, or owned by a user
 * other than us or root. The same for every directory from the plugin's up
 * to the root, since whoever can write to any of them can swap the file (or
 * a directory on its path), as OpenSSH's StrictModes checks. real is the
 * file's realpath, so no component is a symbolic link. */
static int unsafe_reason(const char *real, char *why, size_t size) {
    char *path = tocmp_xstrdup(real);
    int unsafe = 0;
    for (int level = 0; !unsafe; level++) {
        struct stat st;
        const char *what = level == 0 ? "the file" : level == 1 ? "its directory" : "the directory";
        if (stat(path, &st) != 0) {
            snprintf(why, size, "cannot check %s %s: %s", what, path, strerror(errno));
            unsafe = 1;
            break;
        }
        const char *reason = unsafe_mode(&st, level >= 2);
        if (reason) {
            if (st.st_uid != 0 && st.st_uid != geteuid())
                snprintf(why, size, "%s %s %s (uid %u)", what, path, reason, (unsigned)st.st_uid);
            else
                snprintf(why, size, "%s %s %s", what, path, reason);
            unsafe = 1;
        }
        if (strcmp(path, "/") == 0)
            break;
        char *slash = strrchr(path, '/');
        if (!slash)
            break;
        if (slash == path)
            slash[1] = '\0'; /* up to "/" itself */
        else
            *slash = '\0';
    }
    free(path);
    return unsafe;
}

static int is_elf(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char magic[4] = {0};
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    return n == 4 && memcmp(magic,
                            "\x7f"
                            "ELF",
                            4) == 0;
}

static const char *owner_file(const tocm_registry *r, size_t plugin) {
    return r->plugins[plugin].file;
}

/* Copies min(size, sizeof) of a plugin's struct into a zeroed one of ours. */
#define NORMALISE(dst, src)                                                                        \
    do {                                                                                           \
        memset(&(dst), 0, sizeof(dst));                                                            \
        memcpy(&(dst), (src), (src)->size < sizeof(dst) ? (src)->size : sizeof(dst));              \
    } while (0)

/* The smallest size that holds every slot ABI 1.0 requires. */
#define REQUIRED_SIZE(type, last) (offsetof(type, last) + sizeof(((type *)0)->last))

static int check_abi(tocm_registry *r, const char *file, const char *what, uint32_t abi) {
    if (TOCM_ABI_MAJOR_OF(abi) != TOCM_ABI_MAJOR) {
        refuse(r, file,
               "%s was built for plugin ABI %u.%u; this tocm speaks ABI %u.%u "
               "(the major versions differ: rebuild the plugin)",
               what, TOCM_ABI_MAJOR_OF(abi), TOCM_ABI_MINOR_OF(abi), TOCM_ABI_MAJOR,
               TOCM_ABI_MINOR);
        return -1;
    }
    if (TOCM_ABI_MINOR_OF(abi) > TOCM_ABI_MINOR) {
        refuse(r, file,
               "%s needs plugin ABI %u.%u; this tocm provides ABI %u.%u "
               "(upgrade tocm)",
               what, TOCM_ABI_MAJOR_OF(abi), TOCM_ABI_MINOR_OF(abi), TOCM_ABI_MAJOR,
               TOCM_ABI_MINOR);
        return -1;
    }
    return 0;
}

/* A required slot of an entry a plugin lists, and whether it is set. */
struct slot {
    const char *name;
    int set;
};

/* The entry (a calculator, an exporter, a source or an aggregate) holds at
 * least the slots ABI TOCM_ABI_MAJOR.since requires: a shorter struct was
 * built against headers that lack some, and reading past it would read
 * the plugin's other data. */
static int check_size(tocm_registry *r, const char *file, const char *what, size_t size,
                      size_t need, unsigned since) {
    if (size >= need)
        return 0;
    refuse(r, file, "%s is %zu bytes; ABI %u.%u needs at least %zu", what, size, TOCM_ABI_MAJOR,
           since, need);
    return -1;
}

/* Every required slot is set, so the host calls them without checking each
 * time; the first one missing is named. whose: "" or "aggregate ". */
static int check_slots(tocm_registry *r, const char *file, const char *what, const char *whose,
                       const struct slot *slots, size_t count) {
    for (size_t i = 0; i < count; i++) {
        if (!slots[i].set) {
            refuse(r, file, "%s: the required %sslot '%s' is NULL", what, whose, slots[i].name);
            return -1;
        }
    }
    return 0;
}

/* What every entry a plugin lists must be before any slot past its size
 * is read: of its size, of an ABI this tocm speaks. what names it
 * ("calculator #2"). */
static int check_head(tocm_registry *r, const char *file, const char *what, size_t size,
                      size_t need, unsigned since, uint32_t abi) {
    if (check_size(r, file, what, size, need, since) != 0)
        return -1;
    return check_abi(r, file, what, abi);
}

/* The declared options of an exporter of ABI 1.2 or later: each needs a
 * name (no '=' in it, which --option NAME=VALUE could not give), at most
 * once. */
static const struct tocm_option_info no_options[] = {{.name = NULL}};
enum { MAX_EXPORTER_OPTIONS = 256 };

static int check_options(tocm_registry *r, const char *file, const struct tocm_exporter *e) {
    if (TOCM_ABI_MINOR_OF(e->abi) < 2 || e->size < REQUIRED_SIZE(struct tocm_exporter, options) ||
        !e->options)
        return 0;
    for (size_t i = 0; e->options[i].name; i++) {
        const char *name = e->options[i].name;
        if (i == MAX_EXPORTER_OPTIONS) {
            refuse(r, file,
                   "exporter '%s' declares more than %d options (is its list ended "
                   "by an entry with a NULL name?)",
                   e->name, MAX_EXPORTER_OPTIONS);
            return -1;
        }
        if (!name[0] || strchr(name, '=')) {
            refuse(r, file,
                   "exporter '%s': option #%zu has the name '%s', which --option "
                   "NAME=VALUE cannot give",
                   e->name, i + 1, name);
            return -1;
        }
        for (size_t k = 0; k < i; k++) {
            if (strcmp(e->options[k].name, name) == 0) {
                refuse(r, file, "exporter '%s' declares option '%s' twice", e->name, name);
                return -1;
            }
        }
    }
    return 0;
}

/* Validates one descriptor and everything it lists; registers it only when
 * all of it is sound, so a plugin is either wholly in or wholly out. */
static int admit(tocm_registry *r, const char *file, const struct tocm_plugin *raw,
                 struct tocm_plugin *desc) {
    if (check_size(r, file, "its descriptor", raw->size,
                   REQUIRED_SIZE(struct tocm_plugin, exporters), 0) != 0 ||
        check_abi(r, file, "it", raw->abi) != 0)
        return -1;
    NORMALISE(*desc, raw);
    if (!desc->name || !desc->name[0]) {
        refuse(r, file, "the required slot 'name' of its descriptor is empty");
        return -1;
    }
    for (size_t i = 0; i < r->count; i++) {
        if (strcmp(r->plugins[i].desc.name, desc->name) == 0) {
            refuse(r, file, "a plugin named '%s' is already loaded from %s", desc->name,
                   r->plugins[i].file);
            return -1;
        }
    }
    size_t nc = 0, ne = 0;
    for (; desc->calculators && desc->calculators[nc]; nc++) {
        const struct tocm_calculator *c = desc->calculators[nc];
        char what[160];
        snprintf(what, sizeof what, "calculator #%zu", nc + 1);
        if (check_head(r, file, what, c->size, REQUIRED_SIZE(struct tocm_calculator, compute), 0,
                       c->abi) != 0)
            return -1;
        const struct slot slots[] = {{"name", c->name != NULL}, {"compute", c->compute != NULL}};
        if (check_slots(r, file, what, "", slots, 2) != 0)
            return -1;
        /* ABI 1.4: an aggregate, when there is one, has every required
         * slot, so the engine calls them without checking each time. */
        const struct tocm_aggregate *agg =
            TOCM_ABI_MINOR_OF(c->abi) >= 4 &&
                    c->size >= REQUIRED_SIZE(struct tocm_calculator, aggregate)
                ? c->aggregate
                : NULL;
        if (agg) {
            char its[192];
            snprintf(its, sizeof its, "%s: its aggregate", what);
            if (check_size(r, file, its, agg->size, REQUIRED_SIZE(struct tocm_aggregate, release),
                           4) != 0)
                return -1;
            const struct slot agg_slots[] = {{"prepare", agg->prepare != NULL},
                                             {"init", agg->init != NULL},
                                             {"update", agg->update != NULL},
                                             {"combine", agg->combine != NULL},
                                             {"finalize", agg->finalize != NULL}};
            if (check_slots(r, file, what, "aggregate ", agg_slots, 5) != 0)
                return -1;
        }
        for (size_t k = 0; k < nc; k++) {
            if (strcmp(desc->calculators[k]->name, c->name) == 0) {
                refuse(r, file, "it lists calculator '%s' twice", c->name);
                return -1;
            }
        }
        const struct tocm_calculator *other = tocm_registry_calculator(r, c->name);
        if (other) {
            size_t owner = r->calc_owner[other - r->calcs];
            refuse(r, file, "calculator '%s' is already provided by %s", c->name,
                   owner_file(r, owner));
            return -1;
        }
    }
    for (; desc->exporters && desc->exporters[ne]; ne++) {
        const struct tocm_exporter *e = desc->exporters[ne];
        char what[160];
        snprintf(what, sizeof what, "exporter #%zu", ne + 1);
        if (check_head(r, file, what, e->size, REQUIRED_SIZE(struct tocm_exporter, write), 0,
                       e->abi) != 0)
            return -1;
        const struct slot slots[] = {{"name", e->name != NULL},
                                     {"formats", e->formats != NULL},
                                     {"write", e->write != NULL}};
        if (check_slots(r, file, what, "", slots, 3) != 0)
            return -1;
        if (check_options(r, file, e) != 0)
            return -1;
        for (const char *const *f = e->formats; *f; f++) {
            const struct tocm_exporter *other = tocm_registry_exporter_for(r, *f);
            if (other) {
                size_t owner = r->exporter_owner[other - r->exporters];
                refuse(r, file, "exporter '%s': format '%s' is already provided by %s", e->name, *f,
                       owner_file(r, owner));
                return -1;
            }
        }
    }
    size_t ns = 0;
    /* ABI 1.5: table sources, each with every required slot. */
    const struct tocm_source *const *sources =
        TOCM_ABI_MINOR_OF(desc->abi) >= 5 && raw->size >= REQUIRED_SIZE(struct tocm_plugin, sources)
            ? desc->sources
            : NULL;
    for (; sources && sources[ns]; ns++) {
        const struct tocm_source *s = sources[ns];
        char what[160];
        snprintf(what, sizeof what, "source #%zu", ns + 1);
        if (check_head(r, file, what, s->size, REQUIRED_SIZE(struct tocm_source, close), 5,
                       s->abi) != 0)
            return -1;
        const struct slot slots[] = {{"name", s->name && s->name[0]},
                                     {"open", s->open != NULL},
                                     {"describe", s->describe != NULL},
                                     {"query", s->query != NULL},
                                     {"close", s->close != NULL}};
        if (check_slots(r, file, what, "", slots, 5) != 0)
            return -1;
        const struct tocm_source *other = tocm_registry_source(r, s->name);
        for (size_t k = 0; k < ns && !other; k++)
            if (strcmp(sources[k]->name, s->name) == 0)
                other = sources[k];
        if (other) {
            refuse(r, file, "source '%s' is provided twice", s->name);
            return -1;
        }
    }
    /* Sound: copy the calculators and exporters in. */
    size_t owner = r->count;
    r->calcs = tocmp_xrealloc(r->calcs, (r->calc_count + nc) * sizeof *r->calcs);
    r->calc_owner = tocmp_xrealloc(r->calc_owner, (r->calc_count + nc) * sizeof *r->calc_owner);
    for (size_t i = 0; i < nc; i++) {
        NORMALISE(r->calcs[r->calc_count], desc->calculators[i]);
        /* Built for 1.0-1.3: no aggregate, whatever bytes follow. */
        if (TOCM_ABI_MINOR_OF(r->calcs[r->calc_count].abi) < 4)
            r->calcs[r->calc_count].aggregate = NULL;
        r->calc_owner[r->calc_count++] = owner;
    }
    r->exporters = tocmp_xrealloc(r->exporters, (r->exporter_count + ne) * sizeof *r->exporters);
    r->exporter_owner =
        tocmp_xrealloc(r->exporter_owner, (r->exporter_count + ne) * sizeof *r->exporter_owner);
    for (size_t i = 0; i < ne; i++) {
        struct tocm_exporter *e = &r->exporters[r->exporter_count];
        NORMALISE(*e, desc->exporters[i]);
        /* NULL: declares nothing (checked by nobody); an empty list: takes
         * no options (see tocm_registry_exporter in host.h). */
        if (TOCM_ABI_MINOR_OF(e->abi) < 2)
            e->options = NULL;
        else if (!e->options)
            e->options = no_options;
        r->exporter_owner[r->exporter_count++] = owner;
    }
    r->sources = tocmp_xrealloc(r->sources, (r->source_count + ns + 1) * sizeof *r->sources);
    r->source_owner =
        tocmp_xrealloc(r->source_owner, (r->source_count + ns + 1) * sizeof *r->source_owner);
    for (size_t i = 0; i < ns; i++) {
        NORMALISE(r->sources[r->source_count], sources[i]);
        r->source_owner[r->source_count++] = owner;
    }
    if (TOCM_ABI_MINOR_OF(desc->abi) < 5 || raw->size < REQUIRED_SIZE(struct tocm_plugin, sources))
        desc->sources = NULL;
    return 0;
}

static void load_one(tocm_registry *r, const char *file) {
    char real[PATH_MAX];
    if (!realpath(file, real)) {
        refuse(r, file, "cannot open it: %s", strerror(errno));
        return;
    }
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->plugins[i].real, real) == 0)
            return; /* the same file reached twice, e.g. via two search paths */
    char why[PATH_MAX + 96];
    if (!r->allow_unsafe && unsafe_reason(real, why, sizeof why)) {
        refuse(r, file, "refused: %s (use --allow-unsafe-plugins to load it anyway)", why);
        return;
    }
    if (!is_elf(real)) {
        refuse(r, file, "not a shared object");
        return;
    }
    /* RTLD_LOCAL: two plugins may have static helpers of the same name. */
    void *handle = dlopen(real, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        refuse(r, file, "cannot be loaded: %s", dlerror());
        return;
    }
    tocm_plugin_entry_fn entry;
    *(void **)&entry = dlsym(handle, TOCM_PLUGIN_ENTRY_NAME);
    if (!entry) {
        refuse(r, file, "no entry point: it does not export '%s'", TOCM_PLUGIN_ENTRY_NAME);
        dlclose(handle);
        return;
    }
    const struct tocm_plugin *raw = NULL;
    tocm_error err = {0};
    if (entry(tocm_host_table(), &raw, &err) != 0 || !raw) {
        refuse(r, file, "it declined to load: %s",
               err.text[0] ? err.text
               : raw       ? "no reason given"
                           : "it returned no descriptor");
        dlclose(handle);
        return;
    }
    struct tocm_plugin desc;
    if (admit(r, file, raw, &desc) != 0) {
        dlclose(handle);
        return;
    }
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->plugins = tocmp_xrealloc(r->plugins, r->cap * sizeof *r->plugins);
    }
    r->plugins[r->count++] = (struct loaded){
        .file = tocmp_xstrdup(file), .real = tocmp_xstrdup(real), .handle = handle, .desc = desc};
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.so in dir, in name order so that load order (and so which of two
 * clashing plugins wins) does not depend on the file system. */
static void load_directory(tocm_registry *r, const char *dir) {
    DIR *d = opendir(dir);
    if (!d)
        return; /* a search directory that does not exist is not an error */
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".so") != 0)
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            names = tocmp_xrealloc(names, cap * sizeof *names);
        }
        names[count++] = tocmp_asprintf("%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count; i++) {
        load_one(r, names[i]);
        free(names[i]);
    }
    free(names);
}

/* The build tree's plugins/ when this executable is the one in the build
 * tree; PREFIX/lib.../tocm/plugins beside an installed PREFIX/bin/tocm
 * otherwise. new: free(). */
static char *default_directory(void) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return tocmp_xstrdup("/usr/local/" TOCM_PLUGIN_RELDIR);
    exe[n] = '\0';
    char *bindir = dirname(exe);
#ifdef TOCM_BUILD_DIR
    char build_real[PATH_MAX];
    if (realpath(TOCM_BUILD_DIR, build_real) && strcmp(bindir, build_real) == 0)
        return tocmp_xstrdup(TOCM_BUILD_DIR "/plugins");
#endif
    return tocmp_asprintf("%s/../%s", bindir, TOCM_PLUGIN_RELDIR);
}

char *tocm_registry_search_path(void) {
    const char *env = getenv("TOCM_PLUGIN_PATH");
    char *dir = default_directory();
    if (!env || !*env)
        return dir;
    char *path = tocmp_asprintf("%s:%s", env, dir);
    free(dir);
    return path;
}

tocm_registry *tocm_registry_load(const struct tocm_registry_options *opts) {
    tocmp_json_alloc_init();
    tocm_registry *r = tocmp_xcalloc(1, sizeof *r);
    r->messages = opts && opts->messages ? opts->messages : stderr;
    r->allow_unsafe = opts && opts->allow_unsafe;
    for (size_t i = 0; opts && i < opts->file_count; i++)
        load_one(r, opts->files[i]);
    if (opts && opts->no_search)
        return r;
    char *path = tocm_registry_search_path();
    for (char *save = NULL, *dir = strtok_r(path, ":", &save); dir;
         dir = strtok_r(NULL, ":", &save)) {
        /* A relative entry (".", "plugs") names a different directory in
         * every folder tocm runs in: it would load a downloaded folder's
         * code. Refuse it rather than guess what was meant. */
        if (dir[0] != '/') {
            fprintf(r->messages,
                    "tocm: TOCM_PLUGIN_PATH entry '%s' is not an absolute directory; ignored "
                    "(plugins are never loaded from relative paths)\n",
                    dir);
            r->refused++;
            continue;
        }
        load_directory(r, dir);
    }
    free(path);
    return r;
}

void tocm_registry_free(tocm_registry *r) {
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++) {
        free(r->plugins[i].file);
        free(r->plugins[i].real);
        dlclose(r->plugins[i].handle);
    }
    free(r->plugins);
    free(r->calcs);
    free(r->calc_owner);
    free(r->exporters);
    free(r->exporter_owner);
    free(r->sources);
    free(r->source_owner);
    free(r);
}

size_t tocm_registry_refused(const tocm_registry *r) { return r->refused; }
size_t tocm_registry_count(const tocm_registry *r) { return r->count; }
const struct tocm_plugin *tocm_registry_plugin(const tocm_registry *r, size_t i) {
    return i < r->count ? &r->plugins[i].desc : NULL;
}
const char *tocm_registry_file(const tocm_registry *r, size_t i) {
    return i < r->count ? r->plugins[i].file : NULL;
}

const struct tocm_calculator *tocm_registry_calculator(const tocm_registry *r, const char *name) {
    for (size_t i = 0; i < r->calc_count; i++)
        if (strcmp(r->calcs[i].name, name) == 0)
            return &r->calcs[i];
    return NULL;
}

const char *tocm_registry_plugin_of(const tocm_registry *r, const void *slot) {
    for (size_t i = 0; i < r->calc_count; i++)
        if (slot == &r->calcs[i])
            return r->plugins[r->calc_owner[i]].desc.name;
    for (size_t i = 0; i < r->exporter_count; i++)
        if (slot == &r->exporters[i])
            return r->plugins[r->exporter_owner[i]].desc.name;
    for (size_t i = 0; i < r->source_count; i++)
        if (slot == &r->sources[i])
            return r->plugins[r->source_owner[i]].desc.name;
    return NULL;
}

const struct tocm_source *tocm_registry_source(const tocm_registry *r, const char *name) {
    for (size_t i = 0; i < r->source_count; i++)
        if (strcmp(r->sources[i].name, name) == 0)
            return &r->sources[i];
    return NULL;
}

size_t tocm_registry_source_count(const tocm_registry *r) { return r->source_count; }

const struct tocm_source *tocm_registry_source_at(const tocm_registry *r, size_t i) {
    return i < r->source_count ? &r->sources[i] : NULL;
}

const struct tocm_exporter *tocm_registry_exporter_for(const tocm_registry *r, const char *format) {
    for (size_t i = 0; i < r->exporter_count; i++)
        for (const char *const *f = r->exporters[i].formats; *f; f++)
            if (strcmp(*f, format) == 0)
                return &r->exporters[i];
    return NULL;
}

size_t tocm_registry_exporter_count(const tocm_registry *r) { return r->exporter_count; }

const struct tocm_exporter *tocm_registry_exporter(const tocm_registry *r, size_t i) {
    return i < r->exporter_count ? &r->exporters[i] : NULL;
}

size_t tocm_registry_exporter_plugin(const tocm_registry *r, size_t i) {
    return i < r->exporter_count ? r->exporter_owner[i] : TOCM_NONE;
}
