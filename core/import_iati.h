/*
 * import_iati.h -- what the files of `tocm import iati` share: the state of
 * one import and the helpers that read the parsed document.
 *
 *   import_iati_xml.c     reading the file safely (no DTD, no entity, no
 *                         network, bounded sizes) and reading elements;
 *   import_iati.c         the activity and its results, indicators and plan;
 *   import_iati_actuals.c the actuals as results tables (tocm record's
 *                         format).
 */
#ifndef TOCM_IMPORT_IATI_H
#define TOCM_IMPORT_IATI_H

#include <stddef.h>

#include <jansson.h>
#include <libxml/tree.h>

#include "tocm/interchange.h"

/* tocm's own attributes in IATI files (plugins/iati writes them). */
#define IMPORT_TOCM_NS "urn:x-tocm:iati:1"

/* Bounds past libxml2's own: no IATI text needs a megabyte, and a results
 * framework is far smaller than this many elements. */
#define IMPORT_IATI_MAX_FILE ((size_t)64 << 20)
#define IMPORT_IATI_MAX_TEXT ((size_t)1 << 20)
#define IMPORT_IATI_MAX_ELEMENTS ((size_t)2000000)

struct ix {
    const char *file;
    tocm_diags *d;
    const struct tocm_iati_options *o;
    xmlDocPtr doc;
    json_t *program;    /* the program header being built */
    json_t *levels;     /* array of level objects */
    json_t *level_rank; /* level id -> result type rank (impact 0 ... other 3) */
    json_t *nodes, *indicators;
    json_t *node_ids, *ind_ids; /* id -> its JSON (node, indicator) */
    json_t *ind_line;           /* indicator id -> line of its element */
    json_t *actuals;            /* indicator id -> array of figures (import_iati_actuals.c) */
    char prog_start[11], prog_end[11];
    size_t result_count;
    int has_projects; /* the file's program has project activities */
};

/* ---- import_iati_xml.c ---------------------------------------------------------------- */

/* The file parsed, or NULL with one E511 finding that says why and where. */
xmlDocPtr ix_read(struct ix *x);

void ix_error(struct ix *x, const char *code, xmlNodePtr at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ix_warn(struct ix *x, const char *code, xmlNodePtr at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
long ix_line(xmlNodePtr n);

/* Is the element an IATI one (no namespace) called name? */
int ix_is(xmlNodePtr n, const char *name);
/* Is the element one of tocm's own (its namespace), called name (any
 * name when NULL)? */
int ix_in_tocm(xmlNodePtr n, const char *name);
/* The next element child from n (n itself when it is one), or NULL. */
xmlNodePtr ix_elem(xmlNodePtr n);
/* An attribute's value (no namespace, or tocm's when tocm is set), or
 * NULL. Borrowed from the document. */
const char *ix_attr(xmlNodePtr n, const char *name);
const char *ix_tocm(xmlNodePtr n, const char *name);
/* The element's text, trimmed. new. */
char *ix_text(xmlNodePtr n);
/* The text of the first <narrative> of el, trimmed, or NULL. Other
 * narratives that say something else (another language) are kept in extra
 * as elements. new. */
char *ix_narrative(struct ix *x, xmlNodePtr el, json_t *extra);
/* A template's placeholder rather than a value: empty, "xx", "Xxxxxxx",
 * "yyyy", "Not available", "N/A", "Organisation name". */
int ix_placeholder(const char *s);
/* The element whole, as JSON, to keep what tocm has no field for:
 * {"element", "line", "attributes", "text", "children"}. new. */
json_t *ix_element_json(xmlNodePtr n);
/* Keeps an element (ix_element_json) or an attribute ({"attribute",
 * "value", "on"}) in the object's `iati_extra` list. */
void ix_keep(json_t *object, xmlNodePtr n);
void ix_keep_attr(json_t *object, xmlNodePtr el, const char *name, const char *value);
/* The attributes of el that are not in handled (a NULL-terminated list of
 * names; tocm's own are always handled) kept with ix_keep_attr. */
void ix_keep_other_attrs(json_t *object, xmlNodePtr el, const char *const *handled);

/* A number as IATI writes values: the whole text is a decimal number.
 * 1 with *v; 0 otherwise. */
int ix_number(const char *s, double *v);
/* The decimals a number's text shows ("54.25": 2). */
int ix_decimals(const char *s);
/* A number for the model: an integer when it is whole. new. */
json_t *ix_json_number(double v);
/* A number as tocm writes it: the shortest text that reads back the same,
 * never an exponent. buf: 40 bytes. */
const char *ix_format_number(double v, char *buf);

/* ---- import_iati.c -------------------------------------------------------------------- */

/* A JSON string of an XML text (UTF-8). new. */
json_t *ix_str(const char *s);
/* object[key] = value, when value is not NULL. */
void ix_set_str(json_t *o, const char *key, const char *value);

/* A tocm period from an IATI period's first and last day: "2024",
 * "2024-H1", "2024-Q2", "2024-03", "2024-03-15", "all" (the program's
 * dates), else "START/END". NULL when a date is not YYYY-MM-DD. new. */
char *ix_period_name(struct ix *x, const char *start, const char *end);

/* ---- import_iati_plan.c --------------------------------------------------------------- */

/* One <indicator> of the result node_id (its number-th): added to
 * x->indicators, or one more node of the same indicator met before. */
void ix_indicator(struct ix *x, xmlNodePtr el, const char *node_id, size_t number);

/* ---- import_iati_actuals.c ------------------------------------------------------------ */

/* One <actual>: its figure kept for the indicator's results table. */
void ix_actual(struct ix *x, json_t *rows, const char *ind_id, int qualitative, const char *period,
               xmlNodePtr actual, int tocm_made);
/* Every indicator wired to its results table (recorded), and the tables'
 * texts in out. */
void ix_tables(struct ix *x, json_t *model, struct tocm_import_output *out);

#endif
