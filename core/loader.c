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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loader_internal.h"
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

static void load_program(struct load_ctx *c, json_t *root) {
    json_t *program = json_object_get(root, "program");
    if (!program) {
        tocmp_shape_fail(&c->shape, "E003", &tocmp_shape_top, NULL,
                         "the model has no 'program' header");
        return;
    }
    struct tocmp_where w = {.parent = &tocmp_shape_top, .key = "program", .kind = "program"};
    if (!tocmp_shape_kind(&c->shape, tocmp_schema_field(TOCMP_PLACE_ROOT, "program"), program, &w,
                          NULL))
        return;
    tocmp_shape_members(&c->shape, program, TOCMP_PLACE_PROGRAM, &w, NULL);
    c->model->program_id = tocmp_shape_string(program, "id");
    c->model->program_title = tocmp_shape_string(program, "title");
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
    struct tocmp_where w = {.parent = &tocmp_shape_top, .key = "levels"};
    if (!tocmp_shape_kind(&c->shape, tocmp_schema_field(TOCMP_PLACE_ROOT, "levels"), levels, &w,
                          NULL) ||
        json_array_size(levels) == 0) {
        if (json_is_array(levels))
            tocmp_shape_fail(&c->shape, "E004", &w, NULL, "'levels' must list at least one level");
        use_default_levels(m);
        return;
    }
    m->levels = tocmp_xcalloc(json_array_size(levels), sizeof *m->levels);
    size_t i;
    json_t *entry;
    json_array_foreach(levels, i, entry) {
        struct tocmp_where ew = {.parent = &w, .index = i, .kind = "level"};
        const char *id = NULL, *title = NULL;
        if (json_is_string(entry) && json_string_length(entry) > 0) {
            id = json_string_value(entry);
        } else if (json_is_object(entry)) {
            tocmp_shape_members(&c->shape, entry, TOCMP_PLACE_LEVEL, &ew, NULL);
            id = tocmp_shape_string(entry, "id");
            json_t *t = json_object_get(entry, "title");
            title = json_is_string(t) ? json_string_value(t) : NULL;
        } else if (json_is_string(entry)) {
            tocmp_shape_fail(&c->shape, "E004", &ew, NULL, "a level id must not be empty");
        } else {
            tocmp_shape_fail(&c->shape, "E004", &ew, NULL,
                             "a level must be a non-empty string or an object, not %s",
                             tocmp_json_kind_name(entry));
        }
        if (!id)
            continue;
        struct tocmp_level *l = &m->levels[m->level_count++];
        l->id = id;
        l->title = title ? title : id;
        l->outcome = json_is_true(json_object_get(entry, "outcome"));
        l->json_index = i;
    }
}

/* Resolves the levels by id into levels_by_id (a level defined twice keeps
 * its first index; validate says E103). */
static void index_levels(const tocm_model *m, tocmp_idmap *levels_by_id) {
    tocmp_idmap_init(levels_by_id, m->level_count);
    for (size_t i = 0; i < m->level_count; i++) {
        if (tocmp_idmap_put(levels_by_id, m->levels[i].id, i) != i) {
            /* A level defined twice keeps its first index (validate: E103). */
        }
    }
}

static void load_nodes(struct load_ctx *c, json_t *root) {
    tocm_model *m = c->model;
    json_t *nodes = json_object_get(root, "nodes");
    const struct tocmp_field *f = tocmp_schema_field(TOCMP_PLACE_ROOT, "nodes");
    struct tocmp_where w = {.parent = &tocmp_shape_top, .key = "nodes"};
    if (!nodes) {
        tocmp_shape_fail(&c->shape, "E003", &tocmp_shape_top, NULL,
                         "the model has no 'nodes' array");
        return;
    }
    if (!tocmp_shape_kind(&c->shape, f, nodes, &w, NULL))
        return;
    m->node_count = json_array_size(nodes);
    m->nodes = tocmp_xcalloc(m->node_count, sizeof *m->nodes);
    tocmp_idmap levels_by_id;
    index_levels(m, &levels_by_id);
    tocmp_idmap_init(&m->ids, m->node_count);
    for (size_t i = 0; i < m->node_count; i++) {
        json_t *entry = json_array_get(nodes, i);
        struct tocmp_node *n = &m->nodes[i];
        n->json = entry;
        n->json_index = i;
        n->level = -1;
        n->title = "";
        struct tocmp_where ew = {.parent = &w, .index = i};
        if (!tocmp_shape_entry(&c->shape, f, entry, &ew, NULL, NULL))
            continue;
        n->contributes_to = json_object_get(entry, "contributes_to");
        n->id = tocmp_shape_string(entry, "id");
        n->level_name = tocmp_shape_string(entry, "level");
        const char *title = tocmp_shape_string(entry, "title");
        if (title)
            n->title = title;
        /* Indexed here, while the node's strings are still in the cache: a
         * second walk over a large model's nodes cost a cache miss or two
         * a node. */
        if (n->id && tocmp_idmap_put(&m->ids, n->id, i) != i) {
            /* A duplicate id names its first node (validate: E101). */
        }
        if (n->level_name) {
            size_t l = tocmp_idmap_get(&levels_by_id, n->level_name);
            n->level = l == TOCMP_IDMAP_NONE ? -1 : (long)l;
        }
        if (json_is_array(n->contributes_to))
            c->link_capacity += json_array_size(n->contributes_to);
    }
    tocmp_idmap_free(&levels_by_id);
}

/* Resolves the links and lays out the two adjacency arrays (the id index
 * is load_nodes' work). */
static void build_graph(struct load_ctx *c) {
    tocm_model *m = c->model;
    if (!m->ids.keys) /* no usable "nodes": an empty index */
        tocmp_idmap_init(&m->ids, 0);
    size_t link_capacity = c->link_capacity;

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
        json_t *targets = n->id ? n->contributes_to : NULL;
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
    struct load_ctx c = {.model = m, .shape = {.file = m->file, .diags = diags}};

    /* Without the version marker we cannot know what the rest means: stop. */
    json_t *version = json_is_object(root) ? json_object_get(root, "tocm") : NULL;
    const char *fatal = NULL;
    char buf[160];
    if (!json_is_object(root)) {
        snprintf(buf, sizeof buf, "not a tocm model: the top level is %s, not an object",
                 tocmp_json_kind_name(root));
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
        struct tocmp_where w = {.parent = &tocmp_shape_top, .key = "tocm"};
        tocmp_shape_fail(&c.shape, "E002", version ? &w : &tocmp_shape_top, NULL, "%s", fatal);
        tocm_model_free(m);
        *out = NULL;
        return TOCM_EINVALID;
    }

    load_program(&c, root);
    load_levels(&c, root);
    load_nodes(&c, root);
    tocmp_load_objects(&c, root);
    build_graph(&c);
    tocmp_link_indicators(m);
    *out = m;
    return TOCM_OK;
}

int tocmp_model_load_json(json_t *root, const char *name, tocm_diags *diags, tocm_model **out) {
    return load_document(json_incref(root), name, diags, out);
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
        /* jansson stops at 2,048 levels of nesting (its parser recurses):
         * say what that limit is, since no model comes near it. */
        int too_deep = json_error_code(err) == json_error_stack_overflow;
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E001", name, err->line > 0 ? err->line : 1,
                       err->column > 0 ? err->column : 1, "", NULL, "%s%s", err->text,
                       too_deep ? " (arrays and objects nested more than 2,048 deep; a model "
                                  "needs 5)"
                                : "");
        *out = NULL;
        return TOCM_EINVALID;
    }
    return load_document(root, name, diags, out);
}

int tocm_model_load_string(const char *text, const char *name, tocm_diags *diags,
                           tocm_model **out) {
    return tocmp_model_load_text(text, strlen(text), name, diags, out);
}

int tocmp_model_load_text(const char *text, size_t len, const char *name, tocm_diags *diags,
                          tocm_model **out) {
    /* Editors on Windows like to start UTF-8 files with a byte-order mark;
     * it carries no meaning, so accept it. */
    size_t start = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (text[start + strspn(text + start, " \t\r\n")] == '\0')
        return empty_file(name, diags, out);
    json_error_t err;
    return parsed(json_loadb(text + start, len - start, PARSE_FLAGS, &err), &err, name, diags, out);
}

static int unreadable(const char *path, int error, tocm_diags *diags, tocm_model **out) {
    tocm_diags_add(diags, TOCM_SEV_ERROR, "E000", path, 0, 0, "", NULL, "cannot read the file: %s",
                   strerror(error));
    *out = NULL;
    return TOCM_EIO;
}

/* Reading a model from a stream: jansson pulls the bytes through this, so
 * nothing is read twice and nothing seeks (a pipe cannot: `tocm validate
 * /dev/stdin`, `tocm diff <(git show v1:model.json) model.json`). On the way
 * it drops a leading byte-order mark, notes whether any byte was more than
 * whitespace (an empty file gets a clearer message than jansson's), stops at
 * a NUL byte (no JSON text holds one; jansson would take it for the end of
 * the file) and at the size limit (`/dev/zero` or `yes` must not run on). */
struct stream {
    FILE *f;
    int started, content, nul, too_big, failed, error;
    int stopped;                /* pull refused to go on: jansson's error is ours */
    size_t total, line, column; /* 1-based position of the next byte */
};

static size_t pull(void *buffer, size_t size, void *data) {
    struct stream *s = data;
    if (s->nul || s->too_big) {
        s->stopped = 1;
        return (size_t)-1;
    }
    unsigned char *b = buffer;
    size_t n = fread(b, 1, size, s->f);
    if (n == 0 && ferror(s->f)) {
        s->failed = s->stopped = 1;
        s->error = errno ? errno : EIO;
        return (size_t)-1;
    }
    if (!s->started) {
        s->started = 1;
        /* Editors on Windows like to start UTF-8 files with a byte-order
         * mark; it carries no meaning. jansson's buffer is far larger than
         * 3 bytes, and fread fills it unless the file ends first. */
        if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
            memmove(b, b + 3, n - 3);
            n -= 3;
        }
    }
    if (s->total + n > TOCMP_MAX_MODEL_BYTES) {
        s->too_big = s->stopped = 1;
        return (size_t)-1;
    }
    s->total += n;
    /* Library scans rather than a loop over every byte: this runs over the
     * whole file, and a per-byte loop here cost a tenth of a large load. */
    const unsigned char *nul = memchr(b, '\0', n);
    size_t keep = nul ? (size_t)(nul - b) : n; /* the bytes before any NUL */
    const unsigned char *last_newline = NULL;
    for (const unsigned char *p = b, *end = b + keep; (p = memchr(p, '\n', (size_t)(end - p)));
         p++) {
        s->line++;
        last_newline = p;
    }
    s->column = last_newline ? keep - (size_t)(last_newline - b) : s->column + keep;
    for (size_t i = 0; !s->content && i < keep; i++)
        s->content = b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n';
    if (nul) {
        s->nul = 1;
        if (keep == 0)
            s->stopped = 1;
        return keep ? keep : (size_t)-1; /* the text before it, then stop */
    }
    return n;
}

int tocm_model_load_stream(void *stdio_file, const char *name, tocm_diags *diags,
                           tocm_model **out) {
    struct stream s = {.f = stdio_file, .line = 1, .column = 1};
    json_error_t err;
    errno = 0;
    json_t *root = json_load_callback(pull, &s, PARSE_FLAGS, &err);
    if (root && !s.stopped)
        return load_document(root, name, diags, out);
    json_decref(root);
    *out = NULL;
    if (!s.stopped) /* a syntax error (or the end) before anything stopped the read */
        return s.content ? parsed(NULL, &err, name, diags, out) : empty_file(name, diags, out);
    if (s.failed)
        return unreadable(name, s.error, diags, out);
    if (s.too_big) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E000", name, 0, 0, "", NULL,
                       "the file is larger than %d MiB, the most a model may be",
                       (int)(TOCMP_MAX_MODEL_BYTES >> 20));
        return TOCM_EIO;
    }
    tocm_diags_add(diags, TOCM_SEV_ERROR, "E001", name, (int)s.line, (int)s.column, "", NULL,
                   "a NUL byte: a model is JSON text, which never holds one (is this the "
                   "right file?)");
    return TOCM_EINVALID;
}

int tocm_model_load_file(const char *path, tocm_diags *diags, tocm_model **out) {
    /* Parse from the stream rather than reading the whole file first: a
     * large model then costs no more memory than its JSON tree. */
    FILE *f = fopen(path, "rb");
    if (!f)
        return unreadable(path, errno, diags, out);
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return unreadable(path, EISDIR, diags, out);
    }
    int rc = tocm_model_load_stream(f, path, diags, out);
    fclose(f);
    return rc;
}
