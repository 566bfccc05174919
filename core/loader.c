/*
 * loader.c -- JSON text -> tocm_model.
 *
 * The loader checks the *shape* of the document (syntax, required fields,
 * types) and builds the graph: an id index and adjacency in both directions.
 * Everything about the *meaning* of the graph (unknown levels, dangling or
 * downward links, cycles, orphans) is the validator's job, so a model with
 * such mistakes still loads and can be shown, formatted and diagnosed.
 *
 * Cost is linear in nodes + links: one pass over the nodes, one over the
 * links, and a counting sort for the reverse adjacency.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model_internal.h"
#include "util.h"

/* The tiers used when a model defines none (models/FORMAT.md). */
static const struct tocmp_level default_levels[] = {
    {.id = "goal", .title = "Goal"},
    {.id = "eopo", .title = "End-of-program outcome", .outcome = 1},
    {.id = "intermediate", .title = "Intermediate outcome", .outcome = 1},
    {.id = "immediate", .title = "Immediate outcome", .outcome = 1},
    {.id = "cluster", .title = "Project cluster"},
    {.id = "project", .title = "Project"},
    {.id = "activity", .title = "Activity"},
};

enum field_type { FT_STRING, FT_STRING_ARRAY, FT_BOOL_OR_STRING_ARRAY };

/* Optional node fields whose type the loader checks. */
static const struct {
    const char *name;
    enum field_type type;
} node_fields[] = {
    {"description", FT_STRING},     {"country", FT_STRING},
    {"status", FT_STRING},          {"source", FT_STRING},
    {"notes", FT_STRING},           {"partners", FT_STRING_ARRAY},
    {"assumptions", FT_STRING_ARRAY}, {"contributes_to", FT_STRING_ARRAY},
    {"inferred", FT_BOOL_OR_STRING_ARRAY},
};

struct load_ctx {
    tocm_model *model;
    tocm_diags *diags;
};

/* A finding about a node names it in the message too ("node 'O1': ..."),
 * as every finding of the validator does: the path's index alone does not
 * tell a person which node to look for. */
static void error_at(struct load_ctx *c, const char *code, const char *path,
                     const char *node, const char *message) {
    if (node)
        tocm_diags_add(c->diags, TOCM_SEV_ERROR, code, c->model->file, 0, 0, path, node,
                       "node '%s': %s", node, message);
    else
        tocm_diags_add(c->diags, TOCM_SEV_ERROR, code, c->model->file, 0, 0, path, NULL,
                       "%s", message);
}

static const char *json_type_name(const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* Checks one member of an object against an expected type. Reports E004
 * and returns 0 when it does not match; returns 1 otherwise. */
static int check_type(struct load_ctx *c, const json_t *value, enum field_type type,
                      const char *path, const char *node, const char *name) {
    char *msg = NULL;
    if (type == FT_STRING && !json_is_string(value)) {
        msg = tocmp_asprintf("'%s' must be a string, not %s", name, json_type_name(value));
    } else if (type == FT_BOOL_OR_STRING_ARRAY && json_is_boolean(value)) {
        return 1;
    } else if (type != FT_STRING) {
        if (!json_is_array(value)) {
            msg = tocmp_asprintf("'%s' must be %s, not %s", name,
                                 type == FT_STRING_ARRAY ? "an array of strings"
                                                         : "true, false or an array of ids",
                                 json_type_name(value));
        } else {
            size_t i;
            json_t *item;
            int ok = 1;
            json_array_foreach(value, i, item) {
                if (json_is_string(item))
                    continue;
                char *item_path = tocmp_asprintf("%s/%zu", path, i);
                char *m = tocmp_asprintf("'%s' entries must be strings, not %s", name,
                                         json_type_name(item));
                error_at(c, "E004", item_path, node, m);
                free(item_path);
                free(m);
                ok = 0;
            }
            return ok;
        }
    }
    if (!msg)
        return 1;
    error_at(c, "E004", path, node, msg);
    free(msg);
    return 0;
}

/* A required string member: E003 when absent, E004 when not a non-empty
 * string. Returns the string (borrowed) or NULL. */
static const char *required_string(struct load_ctx *c, json_t *object, const char *name,
                                   const char *parent_path, const char *node,
                                   const char *what) {
    json_t *v = json_object_get(object, name);
    if (json_is_string(v) && json_string_length(v) > 0)
        return json_string_value(v); /* the common case, with nothing to format */
    char *path = tocmp_asprintf("%s/%s", parent_path, name);
    const char *result = NULL;
    if (!v) {
        if (node)
            tocm_diags_add(c->diags, TOCM_SEV_ERROR, "E003", c->model->file, 0, 0, parent_path,
                           node, "node '%s' has no '%s'", node, name);
        else
            tocm_diags_add(c->diags, TOCM_SEV_ERROR, "E003", c->model->file, 0, 0, parent_path,
                           NULL, "%s has no '%s'", what, name);
    } else if (!json_is_string(v) || json_string_length(v) == 0) {
        char *m = json_is_string(v)
                      ? tocmp_asprintf("'%s' must not be empty", name)
                      : tocmp_asprintf("'%s' must be a string, not %s", name, json_type_name(v));
        error_at(c, "E004", path, node, m);
        free(m);
    } else {
        result = json_string_value(v);
    }
    free(path);
    return result;
}

static void load_program(struct load_ctx *c, json_t *root) {
    json_t *program = json_object_get(root, "program");
    if (!program) {
        error_at(c, "E003", "", NULL, "the model has no 'program' header");
        return;
    }
    if (!json_is_object(program)) {
        char *m = tocmp_asprintf("'program' must be an object, not %s", json_type_name(program));
        error_at(c, "E004", "/program", NULL, m);
        free(m);
        return;
    }
    c->model->program_id = required_string(c, program, "id", "/program", NULL, "the program");
    c->model->program_title =
        required_string(c, program, "title", "/program", NULL, "the program");
}

static void use_default_levels(tocm_model *m) {
    m->level_count = sizeof default_levels / sizeof default_levels[0];
    m->levels = tocmp_xmalloc(sizeof default_levels);
    memcpy(m->levels, default_levels, sizeof default_levels);
    for (size_t i = 0; i < m->level_count; i++)
        m->levels[i].json_index = (size_t)-1;
    m->levels_defaulted = 1;
}

static void load_levels(struct load_ctx *c, json_t *root) {
    tocm_model *m = c->model;
    json_t *levels = json_object_get(root, "levels");
    if (!levels) {
        use_default_levels(m);
        return;
    }
    if (!json_is_array(levels) || json_array_size(levels) == 0) {
        char *msg = json_is_array(levels)
                        ? tocmp_xstrdup("'levels' must list at least one level")
                        : tocmp_asprintf("'levels' must be an array, not %s",
                                         json_type_name(levels));
        error_at(c, "E004", "/levels", NULL, msg);
        free(msg);
        use_default_levels(m);
        return;
    }
    m->levels = tocmp_xcalloc(json_array_size(levels), sizeof *m->levels);
    size_t i;
    json_t *entry;
    json_array_foreach(levels, i, entry) {
        char path[64];
        snprintf(path, sizeof path, "/levels/%zu", i);
        const char *id = NULL, *title = NULL;
        int outcome = 0;
        if (json_is_string(entry) && json_string_length(entry) > 0) {
            id = json_string_value(entry);
        } else if (json_is_object(entry)) {
            id = required_string(c, entry, "id", path, NULL, "the level");
            /* A wrong type is reported at the member itself, as for nodes. */
            char member_path[80];
            json_t *t = json_object_get(entry, "title");
            snprintf(member_path, sizeof member_path, "%s/title", path);
            if (t && check_type(c, t, FT_STRING, member_path, NULL, "title"))
                title = json_string_value(t);
            json_t *o = json_object_get(entry, "outcome");
            if (o && !json_is_boolean(o)) {
                char *msg = tocmp_asprintf("'outcome' must be true or false, not %s",
                                           json_type_name(o));
                snprintf(member_path, sizeof member_path, "%s/outcome", path);
                error_at(c, "E004", member_path, NULL, msg);
                free(msg);
            }
            outcome = json_is_true(o);
        } else {
            char *msg = json_is_string(entry)
                            ? tocmp_xstrdup("a level id must not be empty")
                            : tocmp_asprintf("a level must be a non-empty string or an "
                                             "object, not %s",
                                             json_type_name(entry));
            error_at(c, "E004", path, NULL, msg);
            free(msg);
        }
        if (!id)
            continue;
        struct tocmp_level *l = &m->levels[m->level_count++];
        l->id = id;
        l->title = title ? title : id;
        l->outcome = outcome;
        l->json_index = i;
    }
}

static void load_node(struct load_ctx *c, json_t *entry, size_t index) {
    tocm_model *m = c->model;
    struct tocmp_node *n = &m->nodes[index];
    n->json = entry;
    n->json_index = index;
    n->level = -1;
    n->title = "";
    char path[64];
    snprintf(path, sizeof path, "/nodes/%zu", index);
    if (!json_is_object(entry)) {
        char *msg = tocmp_asprintf("a node must be an object, not %s", json_type_name(entry));
        error_at(c, "E004", path, NULL, msg);
        free(msg);
        return;
    }
    n->id = required_string(c, entry, "id", path, NULL, "the node");
    /* error_at names the node in later messages when it has an id. */
    n->level_name = required_string(c, entry, "level", path, n->id, "the node");
    const char *title = required_string(c, entry, "title", path, n->id, "the node");
    if (title)
        n->title = title;
    for (size_t f = 0; f < sizeof node_fields / sizeof node_fields[0]; f++) {
        json_t *v = json_object_get(entry, node_fields[f].name);
        if (!v)
            continue;
        char field_path[96];
        snprintf(field_path, sizeof field_path, "%s/%s", path, node_fields[f].name);
        check_type(c, v, node_fields[f].type, field_path, n->id, node_fields[f].name);
    }
}

/* Builds the id index, resolves levels and links, and lays out the two
 * adjacency arrays. */
static void build_graph(tocm_model *m) {
    tocmp_idmap levels_by_id;
    tocmp_idmap_init(&levels_by_id, m->level_count);
    for (size_t i = 0; i < m->level_count; i++)
        tocmp_idmap_put(&levels_by_id, m->levels[i].id, i);
    tocmp_idmap_init(&m->ids, m->node_count);

    size_t link_capacity = 0;
    for (size_t i = 0; i < m->node_count; i++) {
        struct tocmp_node *n = &m->nodes[i];
        if (n->id)
            tocmp_idmap_put(&m->ids, n->id, i);
        if (n->level_name) {
            size_t l = tocmp_idmap_get(&levels_by_id, n->level_name);
            n->level = l == (size_t)-1 ? -1 : (long)l;
        }
        json_t *targets = json_is_object(n->json) ? json_object_get(n->json, "contributes_to") : NULL;
        if (json_is_array(targets))
            link_capacity += json_array_size(targets);
    }
    tocmp_idmap_free(&levels_by_id);

    m->links = tocmp_xcalloc(link_capacity, sizeof *m->links);
    m->out_edges = tocmp_xcalloc(link_capacity, sizeof *m->out_edges);
    m->in_edges = tocmp_xcalloc(link_capacity, sizeof *m->in_edges);
    m->out_links = tocmp_xcalloc(link_capacity, sizeof *m->out_links);
    size_t *in_degree = tocmp_xcalloc(m->node_count + 1, sizeof *in_degree);

    for (size_t i = 0; i < m->node_count; i++) {
        struct tocmp_node *n = &m->nodes[i];
        n->out_begin = m->edge_count;
        /* A node without an id cannot be named, so its links cannot be
         * trusted to mean anything: leave it unconnected. */
        json_t *targets = n->id ? json_object_get(n->json, "contributes_to") : NULL;
        if (!json_is_array(targets))
            continue;
        size_t slot;
        json_t *t;
        json_array_foreach(targets, slot, t) {
            if (!json_is_string(t))
                continue;
            struct tocmp_link *link = &m->links[m->link_count++];
            link->from = i;
            link->slot = slot;
            link->target = json_string_value(t);
            link->to = tocmp_idmap_get(&m->ids, link->target);
            if (link->to == TOCM_NO_NODE)
                continue;
            m->out_links[m->edge_count] = m->link_count - 1;
            m->out_edges[m->edge_count++] = link->to;
            in_degree[link->to]++;
        }
        n->out_count = m->edge_count - n->out_begin;
    }

    /* Counting sort by target keeps sources in file order within a target. */
    size_t offset = 0;
    for (size_t i = 0; i < m->node_count; i++) {
        m->nodes[i].in_begin = offset;
        offset += in_degree[i];
        in_degree[i] = m->nodes[i].in_begin; /* reuse as a write cursor */
    }
    for (size_t i = 0; i < m->node_count; i++) {
        const struct tocmp_node *n = &m->nodes[i];
        for (size_t e = n->out_begin; e < n->out_begin + n->out_count; e++) {
            size_t to = m->out_edges[e];
            m->in_edges[in_degree[to]++] = i;
            m->nodes[to].in_count++;
        }
    }
    free(in_degree);
}

static int load_document(json_t *root, const char *name, tocm_diags *diags, tocm_model **out) {
    tocm_model *m = tocmp_xcalloc(1, sizeof *m);
    m->file = tocmp_xstrdup(name);
    m->root = root;
    struct load_ctx c = {.model = m, .diags = diags};

    /* Without the version marker we cannot know what the rest means: stop. */
    json_t *version = json_is_object(root) ? json_object_get(root, "tocm") : NULL;
    const char *fatal = NULL;
    char buf[160];
    if (!json_is_object(root)) {
        snprintf(buf, sizeof buf, "not a tocm model: the top level is %s, not an object",
                 json_type_name(root));
        fatal = buf;
    } else if (!version) {
        fatal = "not a tocm model: there is no \"tocm\" format version member";
    } else if (!json_is_integer(version) || json_integer_value(version) != TOCM_FORMAT_VERSION) {
        char *text = json_dumps(version, JSON_ENCODE_ANY);
        snprintf(buf, sizeof buf, "unsupported format version %s (this tocm reads version %d)",
                 text ? text : "?", TOCM_FORMAT_VERSION);
        free(text);
        fatal = buf;
    }
    if (fatal) {
        error_at(&c, "E002", version ? "/tocm" : "", NULL, fatal);
        tocm_model_free(m);
        *out = NULL;
        return TOCM_EINVALID;
    }

    load_program(&c, root);
    load_levels(&c, root);
    json_t *nodes = json_object_get(root, "nodes");
    if (!nodes) {
        error_at(&c, "E003", "", NULL, "the model has no 'nodes' array");
    } else if (!json_is_array(nodes)) {
        char *msg = tocmp_asprintf("'nodes' must be an array, not %s", json_type_name(nodes));
        error_at(&c, "E004", "/nodes", NULL, msg);
        free(msg);
    } else {
        m->node_count = json_array_size(nodes);
        m->nodes = tocmp_xcalloc(m->node_count, sizeof *m->nodes);
        for (size_t i = 0; i < m->node_count; i++)
            load_node(&c, json_array_get(nodes, i), i);
    }
    build_graph(m);
    *out = m;
    return TOCM_OK;
}

static int empty_file(const char *name, tocm_diags *diags, tocm_model **out) {
    /* jansson's message for an empty file ("unexpected token near end of
     * file") does not tell a person what is wrong. */
    tocm_diags_add(diags, TOCM_SEV_ERROR, "E001", name, 1, 1, "", NULL,
                   "the file is empty (a tocm model is a JSON object)");
    *out = NULL;
    return TOCM_EINVALID;
}

/* Duplicate keys would silently lose one of the values: reject them. Any
 * top-level value parses, so a non-object gets E002's clearer message. */
#define PARSE_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

static int parsed(json_t *root, const json_error_t *err, const char *name, tocm_diags *diags,
                  tocm_model **out) {
    if (!root) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E001", name, err->line > 0 ? err->line : 1,
                       err->column > 0 ? err->column : 1, "", NULL, "%s", err->text);
        *out = NULL;
        return TOCM_EINVALID;
    }
    return load_document(root, name, diags, out);
}

int tocm_model_load_string(const char *text, const char *name, tocm_diags *diags,
                           tocm_model **out) {
    size_t len = strlen(text);
    /* Editors on Windows like to start UTF-8 files with a byte-order mark;
     * it carries no meaning, so accept it. */
    size_t start = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (text[start + strspn(text + start, " \t\r\n")] == '\0')
        return empty_file(name, diags, out);
    json_error_t err;
    return parsed(json_loadb(text + start, len - start, PARSE_FLAGS, &err), &err, name, diags,
                  out);
}

static int unreadable(const char *path, int error, tocm_diags *diags, tocm_model **out) {
    tocm_diags_add(diags, TOCM_SEV_ERROR, "E000", path, 0, 0, "", NULL,
                   "cannot read the file: %s", strerror(error));
    *out = NULL;
    return TOCM_EIO;
}

int tocm_model_load_file(const char *path, tocm_diags *diags, tocm_model **out) {
    /* Parse from the stream, as json_load_file does, rather than reading the
     * whole file first: a large model then costs no more memory than its
     * JSON tree. */
    FILE *f = fopen(path, "rb");
    if (!f)
        return unreadable(path, errno, diags, out);
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return unreadable(path, EISDIR, diags, out);
    }
    unsigned char bom[3];
    long start = fread(bom, 1, 3, f) == 3 && memcmp(bom, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    fseek(f, start, SEEK_SET);
    int c;
    while ((c = getc(f)) != EOF && strchr(" \t\r\n", c))
        ;
    if (c == EOF) {
        int failed = ferror(f);
        fclose(f);
        return failed ? unreadable(path, EIO, diags, out) : empty_file(path, diags, out);
    }
    /* Back to the start, so jansson counts lines from the first. */
    fseek(f, start, SEEK_SET);
    json_error_t err;
    json_t *root = json_loadf(f, PARSE_FLAGS, &err);
    fclose(f);
    return parsed(root, &err, path, diags, out);
}
