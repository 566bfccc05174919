/*
 * schema.h -- the model format, field by field (models/FORMAT.md).
 *
 * One table per place in the file (the top level, "program", a level, a
 * node, a table, an indicator, "status" and the objects nested in them). Each
 * row is one field: its name, the JSON kinds it may hold, whether it is
 * required, its canonical position, whether it holds node ids, and its
 * meaning. Everything that needs to know the fields reads these tables: the
 * loader's type checks, fmt's member order, diff's field comparison and
 * known members, set's list handling (+=, -=), rename's and rm's reference
 * following, and the field tables of FORMAT.md (tools/schema_doc.c).
 *
 * Adding a field is one row in schema.c (and, when its value is an object
 * with fields of its own, one place with its table).
 */
#ifndef TOCMP_SCHEMA_H
#define TOCMP_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

/* JSON kinds, as a set. */
#define TOCMP_K_STRING 0x01u
#define TOCMP_K_INTEGER 0x02u
#define TOCMP_K_REAL 0x04u
#define TOCMP_K_BOOL 0x08u
#define TOCMP_K_NULL 0x10u
#define TOCMP_K_OBJECT 0x20u
#define TOCMP_K_ARRAY 0x40u
#define TOCMP_K_NUMBER (TOCMP_K_INTEGER | TOCMP_K_REAL)
#define TOCMP_K_ANY 0x7fu

/* Field flags. */
#define TOCMP_F_REQUIRED 0x01u /* E003 when absent */
#define TOCMP_F_NONEMPTY 0x02u /* a string (or each string entry) that must not be empty (ids) */
#define TOCMP_F_NODE_IDS 0x04u /* holds node ids: rename and rm follow them */
#define TOCMP_F_LIST 0x08u     /* a list of texts: set KEY+=TEXT and KEY-=TEXT edit it */
#define TOCMP_F_LINKS 0x10u    /* the object's links: += and -= are link and unlink */
#define TOCMP_F_MAP                                                                                \
    0x20u /* an object of names the modeller chooses; each value                                   \
             is of the field's `items` kinds (and `place`) */

/* The places in a model file that have fields of their own. */
enum tocmp_place {
    TOCMP_PLACE_NONE, /* free-form, or not an object: nothing known inside */
    TOCMP_PLACE_ROOT,
    TOCMP_PLACE_PROGRAM,
    TOCMP_PLACE_LEVEL,
    TOCMP_PLACE_NODE,
    TOCMP_PLACE_TABLE,
    TOCMP_PLACE_INDICATOR,
    TOCMP_PLACE_BASELINE,
    TOCMP_PLACE_REPORTED, /* one entry of an indicator's "reported" */
    TOCMP_PLACE_STATUS,
    TOCMP_PLACE_THRESHOLDS,
    TOCMP_PLACE_COUNT
};

struct tocmp_field {
    const char *name;
    unsigned kinds; /* what the value may be (TOCMP_K_*) */
    unsigned items; /* arrays and maps: what each entry may be; 0: anything */
    /* Where the members of an object value are described: of the value
     * itself, of each array entry, or of each map value. */
    enum tocmp_place place;
    unsigned flags;      /* TOCMP_F_* */
    int pos;             /* canonical position: fmt writes known members by it */
    const char *meaning; /* one line, as FORMAT.md prints it (Markdown) */
};

struct tocmp_place_info {
    const char *name;                 /* "node": names the place in messages, docs and tests */
    const char *a;                    /* "a node": the name with its article, for messages */
    const char *path;                 /* where it sits, as FORMAT.md writes it: "nodes[]" */
    const struct tocmp_field *fields; /* in the order the loader checks them */
    size_t field_count;
};

/* borrowed (static). place must be below TOCMP_PLACE_COUNT. */
const struct tocmp_place_info *tocmp_schema_place(enum tocmp_place place);
/* The field called name at place, or NULL when the format does not know it. */
const struct tocmp_field *tocmp_schema_field(enum tocmp_place place, const char *name);
/* The place of the members of the value of field name at place (an object
 * value, or each entry of an array or a map); TOCMP_PLACE_NONE if none. */
enum tocmp_place tocmp_schema_child(enum tocmp_place place, const char *name);

/* The values a string field may take (for a map, each of its values), as a
 * NULL-terminated list; NULL when any text goes. The validator checks them
 * (E405, E406) and the JSON Schema lists them as an enum. borrowed (static). */
const char *const *tocmp_schema_values(enum tocmp_place place, const char *name);

/* 1 when v is one of kinds. */
int tocmp_schema_kind_ok(unsigned kinds, const json_t *v);
/* What a field must be, for messages: "a string", "an array of strings",
 * "true, false or an array of ids". new. */
char *tocmp_schema_expected(const struct tocmp_field *field);
/* The same for each entry of an array or map: "strings". new. */
char *tocmp_schema_expected_items(const struct tocmp_field *field);
/* The type as FORMAT.md's tables print it: "array of node ids". new. */
char *tocmp_schema_doc_type(const struct tocmp_field *field);
/* "a string", "an integer", ...: what v is, for messages. static. */
const char *tocmp_json_kind_name(const json_t *v);

/* The fields of place by canonical position: fills out (at most 64) and
 * returns the count. */
size_t tocmp_schema_canonical(enum tocmp_place place, const struct tocmp_field **out);

/* The members of object at place: the known ones by canonical position,
 * then the unknown ones in the object's order. Fills members (key and value
 * borrowed from object, field NULL when unknown) and returns the count;
 * members must hold json_object_size(object) entries. */
struct tocmp_member {
    const char *key;
    json_t *value;
    const struct tocmp_field *field;
};
size_t tocmp_schema_member_order(enum tocmp_place place, json_t *object,
                                 struct tocmp_member *members);

/* The format as a JSON Schema (draft-07), as models/tocm.schema.json holds
 * it (schema_json.c). new. */
json_t *tocmp_schema_json(void);

#endif
