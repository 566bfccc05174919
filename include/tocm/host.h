/*
 * host.h -- the host side of the plugin ABI: finding, loading and vetting
 * plugins, and looking up what they provide. Plugin authors do not need
 * this header; they include tocm/plugin.h only.
 */
#ifndef TOCM_HOST_H
#define TOCM_HOST_H

#include <stdio.h>

#include "tocm/plugin.h"
#include "tocm/tocm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tocm_registry tocm_registry;

struct tocm_registry_options {
    /* Files given with --plugin, in order (borrowed). */
    const char *const *files;
    size_t file_count;
    /* Skip the directory search (TOCM_PLUGIN_PATH, build tree, install dir);
     * tests use it to load exactly the files they name. */
    int no_search;
    /* Load files writable by group/others or owned by another user. */
    int allow_unsafe;
    /* Where one line per refused plugin goes ("tocm: plugin FILE: reason");
     * NULL for stderr. */
    FILE *messages;
};

/* Loads every plugin found. A bad plugin is reported and skipped; the
 * registry holds the good ones. new: free with tocm_registry_free (which
 * dlcloses them). */
tocm_registry *tocm_registry_load(const struct tocm_registry_options *opts);
void tocm_registry_free(tocm_registry *reg);
/* How many plugins were refused while loading. */
size_t tocm_registry_refused(const tocm_registry *reg);

/* The host function table handed to plugins (borrowed, static). */
const struct tocm_host *tocm_host_table(void);

/* Loaded plugins, in load order. Everything returned is borrowed. */
size_t tocm_registry_count(const tocm_registry *reg);
const struct tocm_plugin *tocm_registry_plugin(const tocm_registry *reg, size_t i);
const char *tocm_registry_file(const tocm_registry *reg, size_t i);

const struct tocm_calculator *tocm_registry_calculator(const tocm_registry *reg, const char *name);
/* The exporter that writes format, or NULL. */
const struct tocm_exporter *tocm_registry_exporter_for(const tocm_registry *reg,
                                                       const char *format);

/* The table source (ABI 1.5) of that name ("postgres", "sqlite"), or NULL;
 * and every source loaded, in load order. Borrowed. */
const struct tocm_source *tocm_registry_source(const tocm_registry *reg, const char *name);
size_t tocm_registry_source_count(const tocm_registry *reg);
const struct tocm_source *tocm_registry_source_at(const tocm_registry *reg, size_t i);

/* The name of the plugin that provides a calculator or an exporter the
 * registry returned (borrowed), or NULL. */
const char *tocm_registry_plugin_of(const tocm_registry *reg, const void *calculator_or_exporter);

/* Runs exporter->write with the host's guards: the request can be written
 * to only during the call (a plugin that keeps it and writes later is
 * refused), a write after a failed one or any misuse of the host (an index
 * out of range, a NULL) fails the export, and err comes back terminated and
 * printable. plugin names the exporter's plugin in messages. 0 or -1. */
int tocm_exporter_run(const struct tocm_exporter *exporter, const char *plugin,
                      const struct tocm_export_input *in, tocm_error *err);

/* Every exporter loaded, in load order, as the host normalised it: its
 * options slot is NULL for an exporter that declares none (ABI 1.0 and 1.1
 * plugins), and an empty list (a NULL name first) for one that declares it
 * takes no options. Borrowed. */
size_t tocm_registry_exporter_count(const tocm_registry *reg);
const struct tocm_exporter *tocm_registry_exporter(const tocm_registry *reg, size_t i);
/* The index (for tocm_registry_plugin) of the plugin providing exporter i. */
size_t tocm_registry_exporter_plugin(const tocm_registry *reg, size_t i);

/* ---- Exporting ---------------------------------------------------------- */

/* One option given to an export: --option NAME=VALUE. */
typedef struct tocm_export_option {
    const char *name;
    const char *value;
} tocm_export_option;

/* Where an export's bytes go: called with each chunk, in order. Returns 0,
 * or -1 on an I/O error (the exporter then stops and fails). */
typedef int (*tocm_export_sink)(void *sink, const void *data, size_t len);

enum tocm_export_status {
    TOCM_EXPORT_OK = 0,
    TOCM_EXPORT_NO_EXPORTER = 1, /* no loaded exporter writes the format */
    TOCM_EXPORT_BAD_OPTION = 2,  /* an option the exporter does not declare:
                                    err names it and the ones it takes */
    TOCM_EXPORT_FAILED = 3,      /* the exporter failed: err is what it said
                                    (empty when it said nothing) */
};

/* Writes model (which should be valid) in format through the exporter that
 * provides it, with the given options (a name given twice: the last value
 * wins), to write(sink, ...). An exporter that declares its options (ABI
 * 1.2) gets only those; any other is refused before it runs. Returns an
 * enum tocm_export_status; err (caller-owned) says why when it is not OK. */
int tocm_registry_export(const tocm_registry *reg, const tocm_model *model, const char *format,
                         const tocm_export_option *options, size_t option_count,
                         tocm_export_sink write, void *sink, tocm_error *err);

/* The directories searched, in order, colon-separated (new: free()). */
char *tocm_registry_search_path(void);

#ifdef __cplusplus
}
#endif
#endif
