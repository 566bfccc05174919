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

#include "model_internal.h"
#include "schema.h"
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

struct load_ctx {
    tocm_model *model;
    tocm_diags *diags;
};

/* Where a value sits, for messages. Paths and names are formatted only when
 * there is something to report, so a clean load formats nothing. */
struct where {
    const struct where *parent; /* NULL: the top level */
    const char *key;            /* member name; NULL: entry `index` of an array */
    size_t index;
    const char *kind; /* what the object is ("node", "table"), or NULL */
    const char *id;   /* its id or map key, when it has one */
};

static void path_into(tocmp_buf *b, const struct where *w) {
    if (!w->parent)
        return;
    path_into(b, w->parent);
    if (w->key)
        tocmp_buf_pointer_key(b, w->key);
    else
        tocmp_buf_printf(b, "/%zu", w->index);
}

/* "node 'P1'", "the level", "'baseline' of indicator 'T3'". new. */
static char *what_of(const struct where *w) {
    if (w->kind)
        return w->id ? tocmp_asprintf("%s '%s'", w->kind, w->id)
                     : tocmp_asprintf("the %s", w->kind);
    if (!w->parent)
        return tocmp_xstrdup("the model");
    char *parent = what_of(w->parent);
    char *what = w->key ? tocmp_asprintf("'%s' of %s", w->key, parent)
                        : tocmp_asprintf("entry %zu of %s", w->index, parent);
    free(parent);
    return what;
}

static void fail(struct load_ctx *c, const char *code, const struct where *w, const char *node,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void fail(struct load_ctx *c, const char *code, const struct where *w, const char *node,
                 const char *fmt, ...) {
    tocmp_buf path = {0};
    path_into(&path, w);
    va_list ap;
    va_start(ap, fmt);
    char *message = tocmp_vasprintf(fmt, ap);
    va_end(ap);
    /* A finding about a member of something with an id names it in the
     * message too ("node 'O1': ..."): the path's index alone does not tell
     * a person which node or indicator to look for. */
    const struct where *owner = w;
    while (owner && !(owner->kind && owner->id))
        owner = owner->parent;
    if (owner && strcmp(code, "E003") != 0)
        tocm_diags_add(c->diags, TOCM_SEV_ERROR, code, c->model->file, 0, 0,
                       path.data ? path.data : "", node, "%s '%s': %s", owner->kind, owner->id,
                       message);
    else
        tocm_diags_add(c->diags, TOCM_SEV_ERROR, code, c->model->file, 0, 0,
                       path.data ? path.data : "", node, "%s", message);
    free(message);
    free(path.data);
}

static void check_members(struct load_ctx *c, json_t *object, enum tocmp_place place,
                          const struct where *w, const char *node);

/* The kind of a field's value (and that an id is not empty): E004 when it is
 * wrong. Returns 1 when the value is usable. */
static int check_kind(struct load_ctx *c, const struct tocmp_field *f, json_t *v,
                      const struct where *w, const char *node) {
    if (!tocmp_schema_kind_ok(f->kinds, v)) {
        char *expected = tocmp_schema_expected(f);
        fail(c, "E004", w, node, "'%s' must be %s, not %s", f->name, expected,
             tocmp_json_kind_name(v));
        free(expected);
        return 0;
    }
    if ((f->flags & TOCMP_F_NONEMPTY) && json_is_string(v) && json_string_length(v) == 0) {
        fail(c, "E004", w, node, "'%s' must not be empty", f->name);
        return 0;
    }
    return 1;
}

/* The id an object of place goes by in messages: its "id" member, when that
 * is a non-empty string. */
static const char *id_of(json_t *object, enum tocmp_place place) {
    if (!tocmp_schema_field(place, "id"))
        return NULL;
    json_t *id = json_object_get(object, "id");
    return json_is_string(id) && json_string_length(id) > 0 ? json_string_value(id) : NULL;
}

/* One entry of the array or map field f (key: its name in a map, NULL in an
 * array); w is where the entry sits. Objects of a known place get their
 * members checked, and name themselves in messages by their id (or key).
 * Returns 1 when the entry is of the right kind. */
static int check_entry(struct load_ctx *c, const struct tocmp_field *f, json_t *entry,
                       struct where *w, const char *key, const char *node) {
    const struct tocmp_place_info *p = tocmp_schema_place(f->place);
    if (f->items && !tocmp_schema_kind_ok(f->items, entry)) {
        struct tocmp_field each = {.name = f->name, .kinds = f->items};
        char *one = tocmp_schema_expected(&each);
        char *many = tocmp_schema_expected_items(f);
        const char *is = tocmp_json_kind_name(entry);
        if (f->place != TOCMP_PLACE_NONE && key)
            fail(c, "E004", w, node, "%s '%s' must be %s, not %s", p->name, key, one, is);
        else if (f->place != TOCMP_PLACE_NONE)
            fail(c, "E004", w, node, "%s must be %s, not %s", p->a, one, is);
        else if (key)
            fail(c, "E004", w, node, "'%s' in '%s' must be %s, not %s", key, f->name, one, is);
        else
            fail(c, "E004", w, node, "'%s' entries must be %s, not %s", f->name, many, is);
        free(one);
        free(many);
        return 0;
    }
    if (f->place != TOCMP_PLACE_NONE && json_is_object(entry)) {
        w->kind = p->name;
        w->id = key ? key : id_of(entry, f->place);
        /* What an entry with an id is about is that id (a node, an
         * indicator); a map's keys are not node ids. */
        if (!key && w->id)
            node = w->id;
        check_members(c, entry, f->place, w, node);
    }
    return 1;
}

/* A field's value: its kind, then its entries or members. Returns 1 when
 * the value itself is of the right kind. */
static int check_value(struct load_ctx *c, const struct tocmp_field *f, json_t *v,
                       const struct where *w, const char *node) {
    if (!check_kind(c, f, v, w, node))
        return 0;
    const char *key;
    json_t *entry;
    size_t i;
    if (json_is_array(v)) {
        json_array_foreach(v, i, entry) {
            struct where ew = {.parent = w, .index = i};
            check_entry(c, f, entry, &ew, NULL, node);
        }
    } else if (json_is_object(v) && (f->flags & TOCMP_F_MAP)) {
        json_object_foreach(v, key, entry) {
            struct where ew = {.parent = w, .key = key};
            check_entry(c, f, entry, &ew, key, node);
        }
    } else if (json_is_object(v) && f->place != TOCMP_PLACE_NONE) {
        check_members(c, v, f->place, w, node);
    }
    return 1;
}

/* Every field of place that object has (or lacks, when required), in the
 * schema's order. */
static void check_members(struct load_ctx *c, json_t *object, enum tocmp_place place,
                          const struct where *w, const char *node) {
    const struct tocmp_place_info *p = tocmp_schema_place(place);
    for (size_t i = 0; i < p->field_count; i++) {
        const struct tocmp_field *f = &p->fields[i];
        json_t *v = json_object_get(object, f->name);
        if (v) {
            struct where mw = {.parent = w, .key = f->name};
            check_value(c, f, v, &mw, node);
        } else if (f->flags & TOCMP_F_REQUIRED) {
            char *what = what_of(w);
            fail(c, "E003", w, node, "%s has no '%s'", what, f->name);
            free(what);
        }
    }
}

/* A string member that check_members found usable, or NULL. */
static const char *string_member(json_t *object, const char *name) {
    json_t *v = json_object_get(object, name);
    return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

static const struct where top = {0};

static void load_program(struct load_ctx *c, json_t *root) {
    json_t *program = json_object_get(root, "program");
    if (!program) {
        fail(c, "E003", &top, NULL, "the model has no 'program' header");
        return;
    }
    struct where w = {.parent = &top, .key = "program", .kind = "program"};
    if (!check_kind(c, tocmp_schema_field(TOCMP_PLACE_ROOT, "program"), program, &w, NULL))
        return;
    check_members(c, program, TOCMP_PLACE_PROGRAM, &w, NULL);
    c->model->program_id = string_member(program, "id");
    c->model->program_title = string_member(program, "title");
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
    struct where w = {.parent = &top, .key = "levels"};
    if (!check_kind(c, tocmp_schema_field(TOCMP_PLACE_ROOT, "levels"), levels, &w, NULL) ||
        json_array_size(levels) == 0) {
        if (json_is_array(levels))
            fail(c, "E004", &w, NULL, "'levels' must list at least one level");
        use_default_levels(m);
        return;
    }
    m->levels = tocmp_xcalloc(json_array_size(levels), sizeof *m->levels);
    size_t i;
    json_t *entry;
    json_array_foreach(levels, i, entry) {
        struct where ew = {.parent = &w, .index = i, .kind = "level"};
        const char *id = NULL, *title = NULL;
        if (json_is_string(entry) && json_string_length(entry) > 0) {
            id = json_string_value(entry);
        } else if (json_is_object(entry)) {
            check_members(c, entry, TOCMP_PLACE_LEVEL, &ew, NULL);
            id = string_member(entry, "id");
            json_t *t = json_object_get(entry, "title");
            title = json_is_string(t) ? json_string_value(t) : NULL;
        } else if (json_is_string(entry)) {
            fail(c, "E004", &ew, NULL, "a level id must not be empty");
        } else {
            fail(c, "E004", &ew, NULL, "a level must be a non-empty string or an object, not %s",
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

static void load_nodes(struct load_ctx *c, json_t *root) {
    tocm_model *m = c->model;
    json_t *nodes = json_object_get(root, "nodes");
    const struct tocmp_field *f = tocmp_schema_field(TOCMP_PLACE_ROOT, "nodes");
    struct where w = {.parent = &top, .key = "nodes"};
    if (!nodes) {
        fail(c, "E003", &top, NULL, "the model has no 'nodes' array");
        return;
    }
    if (!check_kind(c, f, nodes, &w, NULL))
        return;
    m->node_count = json_array_size(nodes);
    m->nodes = tocmp_xcalloc(m->node_count, sizeof *m->nodes);
    for (size_t i = 0; i < m->node_count; i++) {
        json_t *entry = json_array_get(nodes, i);
        struct tocmp_node *n = &m->nodes[i];
        n->json = entry;
        n->json_index = i;
        n->level = -1;
        n->title = "";
        struct where ew = {.parent = &w, .index = i};
        if (!check_entry(c, f, entry, &ew, NULL, NULL))
            continue;
        n->id = string_member(entry, "id");
        n->level_name = string_member(entry, "level");
        const char *title = string_member(entry, "title");
        if (title)
            n->title = title;
    }
}

static void load_tables(struct load_ctx *c, json_t *tables) {
    tocm_model *m = c->model;
    const struct tocmp_field *f = tocmp_schema_field(TOCMP_PLACE_ROOT, "tables");
    struct where w = {.parent = &top, .key = "tables"};
    if (!check_kind(c, f, tables, &w, NULL))
        return;
    m->tables = tocmp_xcalloc(json_object_size(tables), sizeof *m->tables);
    const char *name;
    json_t *entry;
    json_object_foreach(tables, name, entry) {
        struct where ew = {.parent = &w, .key = name};
        check_entry(c, f, entry, &ew, name, NULL);
        struct tocmp_table *t = &m->tables[m->table_count];
        t->name = name;
        t->json = json_is_object(entry) ? entry : NULL;
        json_t *path = json_object_get(t->json, "path");
        t->path = json_is_string(path) ? json_string_value(path) : NULL;
        t->columns = json_is_object(json_object_get(t->json, "columns"))
                         ? json_object_get(t->json, "columns")
                         : NULL;
        /* The keys of a JSON object are distinct (duplicates are E001). */
        tocmp_idmap_add_new(&m->table_ids, name, m->table_count++);
    }
}

static const char *string_of(json_t *object, const char *name) {
    return json_string_value(json_object_get(object, name));
}

static void load_indicators(struct load_ctx *c, json_t *indicators) {
    tocm_model *m = c->model;
    const struct tocmp_field *f = tocmp_schema_field(TOCMP_PLACE_ROOT, "indicators");
    struct where w = {.parent = &top, .key = "indicators"};
    if (!check_kind(c, f, indicators, &w, NULL))
        return;
    size_t count = json_array_size(indicators), refs = 0;
    m->indicators = tocmp_xcalloc(count, sizeof *m->indicators);
    tocmp_idmap_free(&m->indicator_ids);
    tocmp_idmap_init(&m->indicator_ids, count);
    for (size_t i = 0; i < count; i++) {
        json_t *entry = json_array_get(indicators, i);
        struct tocmp_indicator *ind = &m->indicators[m->indicator_count++];
        ind->json_index = i;
        ind->title = "";
        ind->table = TOCMP_NONE;
        struct where ew = {.parent = &w, .index = i};
        if (!check_entry(c, f, entry, &ew, NULL, NULL))
            continue;
        ind->json = entry;
        ind->id = string_member(entry, "id");
        if (string_of(entry, "title"))
            ind->title = string_of(entry, "title");
        ind->calculator = string_of(entry, "calculator");
        ind->table_name = string_of(entry, "table");
        ind->measure = string_of(entry, "measure");
        ind->unit = string_of(entry, "unit");
        ind->period = string_of(entry, "period");
        ind->direction = string_of(entry, "direction");
        ind->aggregation = string_of(entry, "aggregation");
        if (ind->id && tocmp_idmap_put(&m->indicator_ids, ind->id, i) != i) {
            /* A duplicate id names its first indicator (validate: E402). */
        }
        if (ind->table_name)
            ind->table = tocmp_idmap_get(&m->table_ids, ind->table_name);
        json_t *nodes = json_object_get(entry, "nodes");
        if (json_is_array(nodes))
            refs += json_array_size(nodes);
    }
    /* The nodes each indicator is attached to, resolved in build_graph. */
    m->indicator_nodes = tocmp_xcalloc(refs ? refs : 1, sizeof *m->indicator_nodes);
    m->indicator_node_slots = tocmp_xcalloc(refs ? refs : 1, sizeof *m->indicator_node_slots);
}

static void load_status(struct load_ctx *c, json_t *status) {
    struct tocmp_status *s = &c->model->status;
    struct where w = {.parent = &top, .key = "status"};
    if (!check_value(c, tocmp_schema_field(TOCMP_PLACE_ROOT, "status"), status, &w, NULL))
        return;
    s->json = status;
    json_t *statuses = json_object_get(status, "node_statuses");
    s->node_statuses = json_is_array(statuses) ? statuses : NULL;
    json_t *thresholds = json_object_get(status, "thresholds");
    json_t *v = json_object_get(thresholds, "achieved");
    if (json_is_number(v))
        s->achieved = json_number_value(v);
    v = json_object_get(thresholds, "on_track");
    if (json_is_number(v))
        s->on_track = json_number_value(v);
}

/* The top level's members after program, levels and nodes: the ones with
 * model objects of their own, then any other the schema knows. */
static void load_rest(struct load_ctx *c, json_t *root) {
    tocm_model *m = c->model;
    m->status.achieved = 1.0;
    m->status.on_track = 0.8;
    tocmp_idmap_init(&m->table_ids, 8);
    tocmp_idmap_init(&m->indicator_ids, 8);
    const struct tocmp_place_info *p = tocmp_schema_place(TOCMP_PLACE_ROOT);
    for (size_t i = 0; i < p->field_count; i++) {
        const struct tocmp_field *f = &p->fields[i];
        json_t *v = json_object_get(root, f->name);
        if (!v || !strcmp(f->name, "tocm") || !strcmp(f->name, "program") ||
            !strcmp(f->name, "levels") || !strcmp(f->name, "nodes"))
            continue;
        if (strcmp(f->name, "tables") == 0) {
            load_tables(c, v);
        } else if (strcmp(f->name, "indicators") == 0) {
            load_indicators(c, v);
        } else if (strcmp(f->name, "status") == 0) {
            load_status(c, v);
        } else {
            struct where w = {.parent = &top, .key = f->name};
            check_value(c, f, v, &w, NULL);
        }
    }
}

/* Builds the id index, resolves levels and links, and lays out the two
 * adjacency arrays. */
static void build_graph(tocm_model *m) {
    tocmp_idmap levels_by_id;
    tocmp_idmap_init(&levels_by_id, m->level_count);
    for (size_t i = 0; i < m->level_count; i++) {
        if (tocmp_idmap_put(&levels_by_id, m->levels[i].id, i) != i) {
            /* A level defined twice keeps its first index (validate: E103). */
        }
    }
    tocmp_idmap_init(&m->ids, m->node_count);

    size_t link_capacity = 0;
    for (size_t i = 0; i < m->node_count; i++) {
        struct tocmp_node *n = &m->nodes[i];
        if (n->id && tocmp_idmap_put(&m->ids, n->id, i) != i) {
            /* A duplicate id names its first node (validate: E101). */
        }
        if (n->level_name) {
            size_t l = tocmp_idmap_get(&levels_by_id, n->level_name);
            n->level = l == TOCMP_IDMAP_NONE ? -1 : (long)l;
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

/* Resolves each indicator's "nodes" and groups the indicators by node. */
static void link_indicators(tocm_model *m) {
    size_t *per_node = tocmp_xcalloc(m->node_count + 1, sizeof *per_node);
    size_t refs = 0;
    for (size_t i = 0; i < m->indicator_count; i++) {
        struct tocmp_indicator *ind = &m->indicators[i];
        ind->node_begin = refs;
        json_t *nodes = json_object_get(ind->json, "nodes");
        size_t slot;
        json_t *id;
        json_array_foreach(nodes, slot, id) {
            if (!json_is_string(id))
                continue;
            size_t node = tocmp_idmap_get(&m->ids, json_string_value(id));
            m->indicator_node_slots[refs] = slot;
            m->indicator_nodes[refs++] = node;
            /* Counted once per node, however often the list names it. */
            int again = 0;
            for (size_t k = ind->node_begin; k + 1 < refs && !again; k++)
                again = m->indicator_nodes[k] == node;
            if (node != TOCM_NO_NODE && !again)
                per_node[node]++;
        }
        ind->node_count = refs - ind->node_begin;
    }
    size_t total = 0;
    for (size_t n = 0; n < m->node_count; n++) {
        m->nodes[n].ind_begin = total;
        total += per_node[n];
        per_node[n] = m->nodes[n].ind_begin;
    }
    m->node_indicators = tocmp_xcalloc(total ? total : 1, sizeof *m->node_indicators);
    for (size_t i = 0; i < m->indicator_count; i++) {
        const struct tocmp_indicator *ind = &m->indicators[i];
        for (size_t k = ind->node_begin; k < ind->node_begin + ind->node_count; k++) {
            size_t node = m->indicator_nodes[k];
            int again = 0;
            for (size_t j = ind->node_begin; j < k && !again; j++)
                again = m->indicator_nodes[j] == node;
            if (node == TOCM_NO_NODE || again)
                continue;
            m->node_indicators[per_node[node]++] = i;
            m->nodes[node].ind_count++;
        }
    }
    free(per_node);
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
        struct where w = {.parent = &top, .key = "tocm"};
        fail(&c, "E002", version ? &w : &top, NULL, "%s", fatal);
        tocm_model_free(m);
        *out = NULL;
        return TOCM_EINVALID;
    }

    load_program(&c, root);
    load_levels(&c, root);
    load_nodes(&c, root);
    load_rest(&c, root);
    build_graph(m);
    link_indicators(m);
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
    int stopped; /* pull refused to go on: jansson's error is ours */
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
    for (size_t i = 0; i < n; i++) {
        unsigned char c = b[i];
        if (c == '\0') {
            s->nul = 1;
            if (i == 0)
                s->stopped = 1;
            return i ? i : (size_t)-1; /* the text before it, then stop */
        }
        if (c == '\n') {
            s->line++;
            s->column = 1;
        } else {
            s->column++;
        }
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            s->content = 1;
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
