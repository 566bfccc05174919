/*
 * schema_json.c -- the model format as a JSON Schema (draft-07), built from
 * the field tables of schema.c, so that editors complete and check fields
 * as people type (models/tocm.schema.json is this, written out; a test
 * fails when the file and the tables differ).
 *
 * What a JSON Schema can say is what the loader checks (E002-E004) and the
 * value lists of schema.c (E405, E406). Rules about the graph (unknown
 * levels, links, cycles) need the whole model and stay tocm's own.
 *
 * Draft-07 rather than 2020-12 because that is the draft editors support
 * best; in it a "$ref" ignores its siblings, so a field that is both typed
 * and described by a place says so through "allOf".
 */
#include <string.h>

#include "schema.h"
#include "tocm/tocm.h"
#include "util.h"

/* The definition name of a place: its name with spaces as underscores. */
static char *def_name(const struct tocmp_place_info *p) {
    char *s = tocmp_xstrdup(p->name);
    for (char *c = s; *c; c++)
        if (*c == ' ')
            *c = '_';
    return s;
}

/* "type": one name or a list; nothing for any value. */
static void set_types(json_t *schema, unsigned kinds) {
    static const struct {
        unsigned kind;
        const char *name;
    } names[] = {
        {TOCMP_K_STRING, "string"}, {TOCMP_K_NUMBER, "number"}, {TOCMP_K_INTEGER, "integer"},
        {TOCMP_K_BOOL, "boolean"},  {TOCMP_K_NULL, "null"},     {TOCMP_K_OBJECT, "object"},
        {TOCMP_K_ARRAY, "array"},
    };
    if ((kinds & TOCMP_K_ANY) == TOCMP_K_ANY)
        return;
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if ((kinds & names[i].kind) != names[i].kind)
            continue;
        kinds &= ~names[i].kind;
        json_array_append_new(list, json_string(names[i].name));
    }
    if (json_array_size(list) == 1)
        json_object_set(schema, "type", json_array_get(list, 0));
    else
        json_object_set(schema, "type", list);
    json_decref(list);
}

/* The members of an object value are described by place. */
static void set_place(json_t *schema, enum tocmp_place place) {
    if (place == TOCMP_PLACE_NONE)
        return;
    char *name = def_name(tocmp_schema_place(place));
    char *ref = tocmp_asprintf("#/definitions/%s", name);
    json_object_set_new(schema, "allOf", json_pack("[{s:s}]", "$ref", ref));
    free(ref);
    free(name);
}

static json_t *enum_of(const char *const *values) {
    json_t *list = json_array();
    for (; *values; values++)
        json_array_append_new(list, json_string(*values));
    return list;
}

/* The meaning without Markdown's marks, for editors that show plain text. */
static char *plain(const char *markdown) {
    tocmp_buf b = {0};
    for (const char *c = markdown; *c; c++) {
        if (c[0] == '*' && c[1] == '*')
            c++; /* **bold** */
        else if (*c != '`')
            tocmp_buf_append(&b, c, 1);
    }
    return b.data ? b.data : tocmp_xstrdup("");
}

/* One entry of an array, or one value of a map. */
static json_t *entry_schema(const struct tocmp_field *f, const char *const *values) {
    json_t *s = json_object();
    set_types(s, f->items ? f->items : TOCMP_K_ANY);
    if (values)
        json_object_set_new(s, "enum", enum_of(values));
    if ((f->flags & TOCMP_F_NONEMPTY) && (f->items & TOCMP_K_STRING))
        json_object_set_new(s, "minLength", json_integer(1));
    if (!f->items || (f->items & TOCMP_K_OBJECT))
        set_place(s, f->place);
    return s;
}

static json_t *field_schema(enum tocmp_place at, const struct tocmp_field *f) {
    json_t *s = json_object();
    char *text = plain(f->meaning);
    json_object_set_new(s, "description", json_string(text));
    free(text);
    json_object_set_new(s, "markdownDescription", json_string(f->meaning));
    set_types(s, f->kinds);
    const char *const *values = tocmp_schema_values(at, f->name);
    if (at == TOCMP_PLACE_ROOT && strcmp(f->name, "tocm") == 0)
        json_object_set_new(s, "enum", json_pack("[i]", TOCM_FORMAT_VERSION));
    if ((f->flags & TOCMP_F_NONEMPTY) && (f->kinds & TOCMP_K_STRING) && !f->items)
        json_object_set_new(s, "minLength", json_integer(1));
    if (f->flags & TOCMP_F_MAP) {
        json_object_set_new(s, "additionalProperties", entry_schema(f, values));
    } else if ((f->kinds & TOCMP_K_ARRAY) && (f->items || f->place != TOCMP_PLACE_NONE)) {
        json_object_set_new(s, "items", entry_schema(f, values));
        if (values) /* never both a list and an array; kept exact if one comes */
            json_object_set_new(s, "enum", enum_of(values));
    } else {
        if (values)
            json_object_set_new(s, "enum", enum_of(values));
        set_place(s, f->place);
    }
    return s;
}

/* "properties" and "required" of place, into object. */
static void describe_place(json_t *object, enum tocmp_place place) {
    const struct tocmp_place_info *p = tocmp_schema_place(place);
    json_t *props = json_object();
    json_t *required = json_array();
    for (size_t i = 0; i < p->field_count; i++) {
        json_object_set_new(props, p->fields[i].name, field_schema(place, &p->fields[i]));
        /* A table in a database needs no file: "path" or "database"
         * (shape.c says the same). */
        if (place == TOCMP_PLACE_TABLE && strcmp(p->fields[i].name, "path") == 0)
            json_object_set_new(
                object, "anyOf",
                json_pack("[{s:[s]}, {s:[s]}]", "required", "path", "required", "database"));
        else if (p->fields[i].flags & TOCMP_F_REQUIRED)
            json_array_append_new(required, json_string(p->fields[i].name));
    }
    if (json_array_size(required))
        json_object_set_new(object, "required", required);
    else
        json_decref(required);
    json_object_set_new(object, "properties", props);
    /* Members tocm does not know are kept (FORMAT.md), so they are allowed:
     * a schema that refused them would flag valid models. */
}

json_t *tocmp_schema_json(void) {
    json_t *root = json_object();
    json_object_set_new(root, "$schema", json_string("http://json-schema.org/draft-07/schema#"));
    json_object_set_new(root, "title",
                        json_sprintf("tocm model, format version %d", TOCM_FORMAT_VERSION));
    json_object_set_new(root, "description",
                        json_string("Generated from tocm's schema (core/schema.c); do not edit. "
                                    "Members tocm does not know are kept, so they are allowed. "
                                    "The rules about the graph (levels, links, cycles, countries) "
                                    "are checked by `tocm validate`."));
    json_object_set_new(root, "type", json_string("object"));
    describe_place(root, TOCMP_PLACE_ROOT);
    json_t *defs = json_object();
    for (int i = TOCMP_PLACE_ROOT + 1; i < TOCMP_PLACE_COUNT; i++) {
        const struct tocmp_place_info *p = tocmp_schema_place((enum tocmp_place)i);
        json_t *def = json_object();
        char *desc = tocmp_asprintf("%s (%s)", p->a, p->path);
        json_object_set_new(def, "description", json_string(desc));
        free(desc);
        describe_place(def, (enum tocmp_place)i);
        char *name = def_name(p);
        json_object_set_new(defs, name, def);
        free(name);
    }
    json_object_set_new(root, "definitions", defs);
    return root;
}
