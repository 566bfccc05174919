/*
 * schema.c -- the fields of the model format, one table per place
 * (schema.h). models/FORMAT.md's field tables are generated from these rows
 * (tools/schema_doc.c); a test fails when the two differ.
 *
 * Rows are listed in the order the loader checks them (and FORMAT.md lists
 * them); `pos` is the canonical position fmt writes them in. Positions go in
 * tens so that a new field can slot in between without renumbering.
 */
#include <string.h>

#include "schema.h"
#include "util.h"

#define S TOCMP_K_STRING
#define I TOCMP_K_INTEGER
#define N TOCMP_K_NUMBER
#define B TOCMP_K_BOOL
#define O TOCMP_K_OBJECT
#define A TOCMP_K_ARRAY
#define ANY TOCMP_K_ANY
#define REQ TOCMP_F_REQUIRED
#define NONEMPTY TOCMP_F_NONEMPTY
#define IDS TOCMP_F_NODE_IDS
#define LIST TOCMP_F_LIST
#define LINKS TOCMP_F_LINKS
#define MAP TOCMP_F_MAP
#define NO_PLACE TOCMP_PLACE_NONE

/* name, kinds, items, place, flags, pos, meaning */

static const struct tocmp_field root_fields[] = {
    {"tocm", I, 0, NO_PLACE, REQ, 10, "format version; must be `1`"},
    {"program", O, 0, TOCMP_PLACE_PROGRAM, REQ, 20, "the program header"},
    {"levels", A, S | O, TOCMP_PLACE_LEVEL, NONEMPTY, 30,
     "the tiers, top to bottom; default below"},
    {"nodes", A, O, TOCMP_PLACE_NODE, REQ, 40, "the results chain"},
    {"tables", O, O, TOCMP_PLACE_TABLE, MAP, 50,
     "table name → where its monitoring data is and how to read it"},
    {"indicators", A, O, TOCMP_PLACE_INDICATOR, 0, 60, "indicator definitions"},
    {"status", O, 0, TOCMP_PLACE_STATUS, 0, 70, "status vocabulary and thresholds for reports"},
};

static const struct tocmp_field program_fields[] = {
    {"id", S, 0, NO_PLACE, REQ | NONEMPTY, 10, "short identifier"},
    {"title", S, 0, NO_PLACE, REQ | NONEMPTY, 20, "full name"},
    {"description", ANY, 0, NO_PLACE, 0, 30, "what the program does; kept and shown"},
    {"period", O, 0, NO_PLACE, 0, 40,
     "`{ \"start\": \"2018\", \"end\": \"2028\" }`, ISO 8601 dates or years"},
    {"reporting_date", S, 0, NO_PLACE, 0, 45,
     "`YYYY-MM-DD`: the date the figures are as of; in reports a period ending after it is "
     "`not yet due` (default: today; `tocm report --as-of` overrides it)"},
    {"countries", A, S, NO_PLACE, LIST, 50, "ISO 3166-1 alpha-2 codes of the target countries"},
    {"donor", ANY, 0, NO_PLACE, 0, 60, "who funds it; kept and shown, not checked"},
    {"implementer", ANY, 0, NO_PLACE, 0, 70, "who runs it; kept and shown, not checked"},
    {"budget", ANY, 0, NO_PLACE, 0, 80, "its budget; kept and shown, not checked"},
    {"source", ANY, 0, NO_PLACE, 0, 90, "the document the model comes from"},
    {"notes", ANY, 0, NO_PLACE, 0, 100, "the modeller's remarks"},
    {"iati_identifier", S, 0, NO_PLACE, NONEMPTY, 110,
     "the program's IATI activity identifier: the reporting organisation's `ref`, a hyphen and "
     "its own code (`XM-DAC-41114-PROJECT-00012345`); `tocm export -T iati` needs it"},
    {"reporting_org", O, 0, NO_PLACE, 0, 120,
     "who publishes the IATI data: `{ \"ref\": \"XM-DAC-41114\", \"type\": \"40\", "
     "\"name\": \"...\" }` (IATI's organisation identifier and OrganisationType code)"},
    {"iati_result_types", O, S, NO_PLACE, MAP, 130,
     "level id → IATI result type, `output`, `outcome`, `impact` or `other`; levels not named: "
     "the top level `impact`, outcome levels `outcome`, the rest `output`"},
    {"iati_activity_status", S, 0, NO_PLACE, 0, 140,
     "IATI ActivityStatus code of the program (default `2`, implementation)"},
};

static const struct tocmp_field level_fields[] = {
    {"id", S, 0, NO_PLACE, REQ | NONEMPTY, 10, "the name nodes use in `level`"},
    {"title", S, 0, NO_PLACE, 0, 20, "how reports and diagrams name the tier (defaults to the id)"},
    {"outcome", B, 0, NO_PLACE, 0, 30,
     "`true` for tiers of *outcomes*: something is expected to contribute to each of their "
     "nodes (rule W202)"},
};

static const struct tocmp_field node_fields[] = {
    {"id", S, 0, NO_PLACE, REQ | NONEMPTY, 10,
     "unique across the model; used by links and on the command line"},
    {"level", S, 0, NO_PLACE, REQ | NONEMPTY, 20, "one of the level ids"},
    {"title", S, 0, NO_PLACE, REQ | NONEMPTY, 30, "the result or work, as the program words it"},
    {"description", S, 0, NO_PLACE, 0, 40, "longer text; becomes the tooltip in diagrams"},
    {"country", S, 0, NO_PLACE, 0, 50,
     "ISO 3166-1 alpha-2 code (`KH`, `ID`, `LA`, `PH`, `TH`, `VN`); absent for regional work"},
    {"status", S, 0, NO_PLACE, 0, 70,
     "implementation status, e.g. `completed`, `some delays`, `on hold` (see `status`)"},
    {"source", S, 0, NO_PLACE, 0, 110, "where in the source document the node comes from"},
    {"notes", S, 0, NO_PLACE, 0, 120,
     "the modeller's remarks, e.g. how a contradiction in the source was settled"},
    {"partners", A, S, NO_PLACE, LIST, 60, "partner agencies"},
    {"assumptions", A, S, NO_PLACE, LIST, 100,
     "what must hold for the arrows out of this node to work"},
    {"contributes_to", A, S, NO_PLACE, IDS | LIST | LINKS, 80,
     "ids of nodes at a **higher** level. Skipping levels is allowed"},
    {"inferred", B | A, S, NO_PLACE, IDS | LIST, 90,
     "`true`: the node itself is the modeller's inference. An array: the ids in "
     "`contributes_to` whose link is inferred"},
};

static const struct tocmp_field table_fields[] = {
    {"path", S, 0, NO_PLACE, REQ | NONEMPTY, 10,
     "the CSV file (or, with `\"database\": \"sqlite\"`, the SQLite file), relative to the "
     "model file; not needed for `postgres`"},
    {"database", S, 0, NO_PLACE, NONEMPTY, 12,
     "read the table from a database through a source plugin: `postgres` or `sqlite` (below); "
     "absent: a CSV file"},
    {"dsn_env", S, 0, NO_PLACE, NONEMPTY, 14,
     "`postgres`: the name of the environment variable holding the connection string, so no "
     "password is ever in the model"},
    {"table", S, 0, NO_PLACE, NONEMPTY, 16, "the database table or view, `name` or `schema.name`"},
    {"query", S, 0, NO_PLACE, NONEMPTY, 18, "instead of `table`: one SELECT giving the rows"},
    {"title", S, 0, NO_PLACE, 0, 20, "shown in reports"},
    {"source", S, 0, NO_PLACE, 0, 30, "where the data comes from; shown in reports"},
    {"columns", O, S, NO_PLACE, MAP, 40,
     "column name → `text`, `integer`, `decimal` or `date`; columns not named are text"},
    {"notes", S, 0, NO_PLACE, 0, 50, "the modeller's remarks"},
};

static const struct tocmp_field indicator_fields[] = {
    {"id", S, 0, NO_PLACE, REQ | NONEMPTY, 10, "unique among indicators"},
    {"title", S, 0, NO_PLACE, REQ, 20, "as the report words it"},
    {"nodes", A, S, NO_PLACE, IDS | LIST | LINKS, 30, "the results the indicator measures"},
    {"measure", S, 0, NO_PLACE, 0, 40,
     "IATI 2.03 measure: `unit` (default), `percentage`, `nominal`, `ordinal`, `qualitative`"},
    {"unit", S, 0, NO_PLACE, 0, 50, "what is counted: `events`, `people`"},
    {"calculator", S, 0, NO_PLACE, REQ, 60, "a calculator plugin (`tocm plugins` lists them)"},
    {"table", S, 0, NO_PLACE, REQ, 70, "a name from `tables`"},
    {"params", O, 0, NO_PLACE, 0, 80, "the calculator's parameters (below)"},
    {"filter", O, 0, NO_PLACE, 0, 90, "only rows matching it are used (filter language below)"},
    {"period", S, 0, NO_PLACE, 0, 100,
     "the column holding each row's period (e.g. `year`); without it all rows form one "
     "period, `all`"},
    {"disaggregate", A, S, NO_PLACE, LIST, 110,
     "break the figure down by these columns; each combination is a cell, and the totals are "
     "recomputed from the rows, never added up from rounded parts"},
    {"baseline", O, 0, TOCMP_PLACE_BASELINE, 0, 120, "where the program started (below)"},
    {"targets", O, N | S | O, NO_PLACE, MAP, 130,
     "period → target: a number of the indicator's measure, a text (qualitative), or "
     "`{ \"value\" or \"text\", \"label\", \"date\", \"note\" }` or "
     "`{ \"pending\": true, \"note\" }`"},
    {"lop_target", N | S | O, 0, NO_PLACE, 0, 132,
     "the life-of-program target, in any form a period's target takes"},
    {"breakdown_targets", A, O, NO_PLACE, 0, 134,
     "targets of one breakdown: `{ \"period\", \"dims\": { \"country\": \"KH\" }, "
     "\"value\" }` (no `period`: for the whole program)"},
    {"thresholds", O, 0, TOCMP_PLACE_THRESHOLDS, 0, 136,
     "this indicator's own thresholds, overriding the program's (`status.thresholds`)"},
    {"zero_fill", B, 0, NO_PLACE, 0, 145,
     "`true`: a period with no rows is 0 (a count where no row means none); otherwise it is "
     "not reported"},
    {"verification", S, 0, NO_PLACE, 0, 165, "the means of verification, shown in the IPTT"},
    {"references", A, O, NO_PLACE, 0, 166,
     "the indicator's codes in standard lists: `{ \"vocabulary\", \"code\", \"uri\" }`, "
     "`vocabulary` an IATI IndicatorVocabulary code (`99`: the reporting organisation's own); "
     "exported as IATI `reference`"},
    {"comments", A, O, NO_PLACE, 0, 168,
     "comments on figures: `{ \"period\", \"dims\", \"text\" }`, shown beside the cell"},
    {"direction", S, 0, NO_PLACE, 0, 140, "`higher` (default) or `lower` is better"},
    {"aggregation", S, 0, NO_PLACE, 0, 150,
     "how periods combine in the total column: `periodic` (each period alone; the total is "
     "over all rows), `cumulative` (each period is the running total since the first), "
     "`latest` (the total is the last period's value)"},
    {"rounding", I, 0, NO_PLACE, 0, 160,
     "decimals shown, 0 to 6 (default 0); percentages are shown ×100 with this many decimals"},
    {"reported", A, O, TOCMP_PLACE_REPORTED, 0, 170,
     "figures as printed in a report (below); tocm checks each against the computed figure "
     "rounded the same way and lists every mismatch; where the data gives no figure, the "
     "printed one is shown in its place, marked as printed (below)"},
};

static const struct tocmp_field baseline_fields[] = {
    {"period", S | I, 0, NO_PLACE, 0, 10, "the period the baseline was measured in"},
    {"value", N, 0, NO_PLACE, 0, 20,
     "the figure then, of the indicator's measure (percentages as people write them: 50 is 50 %)"},
    {"text", S, 0, NO_PLACE, 0, 25, "the situation then, for a qualitative indicator"},
    {"pending", B, 0, NO_PLACE, 0, 30,
     "`true`: not known yet (to be confirmed); reports say so instead of assuming 0"},
    {"date", S, 0, NO_PLACE, 0, 40, "when it was measured (ISO 8601)"},
    {"note", S, 0, NO_PLACE, 0, 50, "how it was measured, or why it is pending"},
    {"breakdown", A, O, NO_PLACE, 0, 60,
     "baselines of breakdowns: `{ \"dims\": { \"sex\": \"female\" }, \"value\" }`"},
};

static const struct tocmp_field reported_fields[] = {
    {"period", S | I, 0, NO_PLACE, 0, 10, "the period of the printed figure"},
    {"dims", O, 0, NO_PLACE, MAP, 20,
     "the disaggregation values it is for, e.g. `{ \"country\": \"KH\" }`; `{}` for the total"},
    {"value", ANY, 0, NO_PLACE, 0, 30,
     "the figure as printed; percentages as printed (54 for 54%)"},
    {"source", S, 0, NO_PLACE, 0, 40, "where it is printed, e.g. `Table 3`"},
};

static const struct tocmp_field status_fields[] = {
    {"node_statuses", A, S, NO_PLACE, LIST, 10,
     "the vocabulary for the nodes' `status` field, best first"},
    {"thresholds", O, 0, TOCMP_PLACE_THRESHOLDS, 0, 20,
     "when an indicator counts as achieved or on track (below)"},
};

static const struct tocmp_field threshold_fields[] = {
    {"achieved", N, 0, NO_PLACE, 0, 10,
     "share of the way from baseline to target that counts as achieved (default 1.0)"},
    {"on_track", N, 0, NO_PLACE, 0, 20, "share of the way that counts as on track (default 0.8)"},
};

/* Fields whose text is one of a few words. Kept apart from the rows above
 * because only a handful of fields have such a list. */
static const char *const measures[] = {"unit",    "percentage",  "nominal",
                                       "ordinal", "qualitative", NULL};
static const char *const directions[] = {"higher", "lower", NULL};
static const char *const aggregations[] = {"periodic", "cumulative", "latest", NULL};
static const char *const column_types[] = {"text", "integer", "decimal", "date", NULL};
static const char *const result_types[] = {"output", "outcome", "impact", "other", NULL};

static const struct {
    enum tocmp_place place;
    const char *name;
    const char *const *values;
} value_lists[] = {
    {TOCMP_PLACE_INDICATOR, "measure", measures},
    {TOCMP_PLACE_INDICATOR, "direction", directions},
    {TOCMP_PLACE_INDICATOR, "aggregation", aggregations},
    {TOCMP_PLACE_TABLE, "columns", column_types},
    {TOCMP_PLACE_PROGRAM, "iati_result_types", result_types},
};

const char *const *tocmp_schema_values(enum tocmp_place place, const char *name) {
    for (size_t i = 0; i < sizeof value_lists / sizeof value_lists[0]; i++)
        if (value_lists[i].place == place && strcmp(value_lists[i].name, name) == 0)
            return value_lists[i].values;
    return NULL;
}

#define PLACE(name, a, path, fields)                                                               \
    { name, a, path, fields, sizeof fields / sizeof fields[0] }

static const struct tocmp_place_info places[TOCMP_PLACE_COUNT] = {
    [TOCMP_PLACE_NONE] = {"value", "a value", "", NULL, 0},
    [TOCMP_PLACE_ROOT] = PLACE("model", "a model", "", root_fields),
    [TOCMP_PLACE_PROGRAM] = PLACE("program", "a program header", "program", program_fields),
    [TOCMP_PLACE_LEVEL] = PLACE("level", "a level", "levels[]", level_fields),
    [TOCMP_PLACE_NODE] = PLACE("node", "a node", "nodes[]", node_fields),
    [TOCMP_PLACE_TABLE] = PLACE("table", "a table", "tables.NAME", table_fields),
    [TOCMP_PLACE_INDICATOR] = PLACE("indicator", "an indicator", "indicators[]", indicator_fields),
    [TOCMP_PLACE_BASELINE] =
        PLACE("baseline", "a baseline", "indicators[].baseline", baseline_fields),
    [TOCMP_PLACE_REPORTED] =
        PLACE("reported figure", "a reported figure", "indicators[].reported[]", reported_fields),
    [TOCMP_PLACE_STATUS] = PLACE("status", "a status section", "status", status_fields),
    [TOCMP_PLACE_THRESHOLDS] =
        PLACE("thresholds", "a set of thresholds", "status.thresholds", threshold_fields),
};

const struct tocmp_place_info *tocmp_schema_place(enum tocmp_place place) {
    return &places[place < TOCMP_PLACE_COUNT ? place : TOCMP_PLACE_NONE];
}

const struct tocmp_field *tocmp_schema_field(enum tocmp_place place, const char *name) {
    const struct tocmp_place_info *p = tocmp_schema_place(place);
    /* The first byte first: most names differ there, and the loader and
     * fmt ask this for every member of a model. */
    for (size_t i = 0; i < p->field_count; i++)
        if (p->fields[i].name[0] == name[0] && strcmp(p->fields[i].name, name) == 0)
            return &p->fields[i];
    return NULL;
}

enum tocmp_place tocmp_schema_child(enum tocmp_place place, const char *name) {
    const struct tocmp_field *f = tocmp_schema_field(place, name);
    return f ? f->place : TOCMP_PLACE_NONE;
}

int tocmp_schema_kind_ok(unsigned kinds, const json_t *v) {
    unsigned k;
    switch (json_typeof(v)) {
    case JSON_OBJECT: k = TOCMP_K_OBJECT; break;
    case JSON_ARRAY: k = TOCMP_K_ARRAY; break;
    case JSON_STRING: k = TOCMP_K_STRING; break;
    case JSON_INTEGER: k = TOCMP_K_INTEGER; break;
    case JSON_REAL: k = TOCMP_K_REAL; break;
    case JSON_TRUE:
    case JSON_FALSE: k = TOCMP_K_BOOL; break;
    default: k = TOCMP_K_NULL; break;
    }
    return (kinds & k) != 0;
}

const char *tocmp_json_kind_name(const json_t *v) {
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

/* Words for a set of kinds. plural: "strings" rather than "a string". */
static void kind_words(tocmp_buf *b, unsigned kinds, int plural, int ids) {
    static const struct {
        unsigned kind;
        const char *one, *many, *id_one, *id_many;
    } words[] = {
        {TOCMP_K_STRING, "a string", "strings", "an id", "ids"},
        {TOCMP_K_NUMBER, "a number", "numbers", NULL, NULL},
        {TOCMP_K_INTEGER, "an integer", "integers", NULL, NULL},
        {TOCMP_K_BOOL, "true or false", "true or false", NULL, NULL},
        {TOCMP_K_OBJECT, "an object", "objects", NULL, NULL},
        {TOCMP_K_ARRAY, "an array", "arrays", NULL, NULL},
        {TOCMP_K_NULL, "null", "null", NULL, NULL},
    };
    if ((kinds & TOCMP_K_ANY) == TOCMP_K_ANY) {
        tocmp_buf_puts(b, plural ? "any values" : "any value");
        return;
    }
    const char *parts[8];
    size_t n = 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if ((kinds & words[i].kind) != words[i].kind)
            continue;
        kinds &= ~words[i].kind;
        const char *w = plural ? words[i].many : words[i].one;
        if (ids && words[i].id_one)
            w = plural ? words[i].id_many : words[i].id_one;
        parts[n++] = w;
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            tocmp_buf_puts(b, i + 1 == n ? " or " : ", ");
        tocmp_buf_puts(b, parts[i]);
    }
}

char *tocmp_schema_expected(const struct tocmp_field *f) {
    tocmp_buf b = {0};
    unsigned kinds = f->kinds;
    int in_union = (kinds & TOCMP_K_ARRAY) && (kinds & ~TOCMP_K_ARRAY);
    if (kinds & TOCMP_K_BOOL && in_union) {
        /* "true, false or an array of ids" */
        tocmp_buf_puts(&b, "true, false or ");
        kinds &= ~TOCMP_K_BOOL;
    }
    if ((kinds & TOCMP_K_ARRAY) && f->items && !(f->items & TOCMP_K_OBJECT)) {
        /* Lists of plain values say what of; lists of objects are described
         * entry by entry. */
        unsigned rest = kinds & ~TOCMP_K_ARRAY;
        if (rest) {
            kind_words(&b, rest, 0, 0);
            tocmp_buf_puts(&b, " or ");
        }
        tocmp_buf_puts(&b, "an array of ");
        /* In a choice, an array of node ids says so: the other choices
         * (true, false) make plain "strings" ambiguous. */
        kind_words(&b, f->items, 1, in_union && (f->flags & TOCMP_F_NODE_IDS));
    } else {
        kind_words(&b, kinds, 0, 0);
    }
    return b.data;
}

char *tocmp_schema_expected_items(const struct tocmp_field *f) {
    tocmp_buf b = {0};
    kind_words(&b, f->items ? f->items : TOCMP_K_ANY, 1, 0);
    return b.data;
}

/* Words for FORMAT.md's type column. */
static void doc_words(tocmp_buf *b, unsigned kinds) {
    static const struct {
        unsigned kind;
        const char *word;
    } words[] = {
        {TOCMP_K_STRING, "string"}, {TOCMP_K_NUMBER, "number"}, {TOCMP_K_INTEGER, "integer"},
        {TOCMP_K_BOOL, "boolean"},  {TOCMP_K_OBJECT, "object"}, {TOCMP_K_ARRAY, "array"},
        {TOCMP_K_NULL, "null"},
    };
    if ((kinds & TOCMP_K_ANY) == TOCMP_K_ANY) {
        tocmp_buf_puts(b, "any");
        return;
    }
    int first = 1;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if ((kinds & words[i].kind) != words[i].kind)
            continue;
        kinds &= ~words[i].kind;
        tocmp_buf_printf(b, "%s%s", first ? "" : " or ", words[i].word);
        first = 0;
    }
}

char *tocmp_schema_doc_type(const struct tocmp_field *f) {
    tocmp_buf b = {0};
    unsigned rest = f->kinds;
    if (f->flags & TOCMP_F_MAP)
        rest &= ~TOCMP_K_OBJECT;
    if (f->items)
        rest &= ~TOCMP_K_ARRAY;
    if (rest)
        doc_words(&b, rest);
    if ((f->kinds & TOCMP_K_ARRAY) && f->items) {
        tocmp_buf_puts(&b, rest ? " or array of " : "array of ");
        if (f->items == TOCMP_K_STRING && (f->flags & TOCMP_F_NODE_IDS))
            tocmp_buf_puts(&b, "node ids");
        else if (f->items == TOCMP_K_STRING)
            tocmp_buf_puts(&b, "strings");
        else if (f->items == TOCMP_K_OBJECT)
            tocmp_buf_puts(&b, "objects");
        else if (f->items == (TOCMP_K_STRING | TOCMP_K_OBJECT))
            tocmp_buf_puts(&b, "strings or objects");
        else
            doc_words(&b, f->items);
    }
    if (f->flags & TOCMP_F_MAP) {
        /* "object (name → string)" */
        tocmp_buf_puts(&b, b.len ? " or object (name → " : "object (name → ");
        doc_words(&b, f->items ? f->items : TOCMP_K_ANY);
        tocmp_buf_puts(&b, ")");
    }
    return b.data ? b.data : tocmp_xstrdup("any");
}

size_t tocmp_schema_canonical(enum tocmp_place place, const struct tocmp_field **out) {
    const struct tocmp_place_info *p = tocmp_schema_place(place);
    size_t n = 0;
    for (size_t k = 0; k < p->field_count && n < 64; k++) {
        size_t i = n++;
        while (i > 0 && out[i - 1]->pos > p->fields[k].pos) {
            out[i] = out[i - 1];
            i--;
        }
        out[i] = &p->fields[k];
    }
    return n;
}

size_t tocmp_schema_member_order(enum tocmp_place place, json_t *object,
                                 struct tocmp_member *members) {
    size_t size = json_object_size(object), known = 0, unknown = 0;
    const char *key;
    json_t *v;
    /* One pass (fmt runs this on every object of a model): known members
     * go in at the front, kept sorted by position by insertion (a handful
     * each: nothing faster is worth its code), unknown ones fill the array
     * from the back and are turned round at the end. */
    json_object_foreach(object, key, v) {
        const struct tocmp_field *f = tocmp_schema_field(place, key);
        struct tocmp_member m = {.key = key, .value = v, .field = f};
        if (!f) {
            members[size - ++unknown] = m;
            continue;
        }
        size_t i = known++;
        while (i > 0 && members[i - 1].field->pos > f->pos) {
            members[i] = members[i - 1];
            i--;
        }
        members[i] = m;
    }
    for (size_t i = known, j = size; i + 1 < j; i++, j--) {
        struct tocmp_member t = members[i];
        members[i] = members[j - 1];
        members[j - 1] = t;
    }
    return known + unknown;
}
