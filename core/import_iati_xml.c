/*
 * import_iati_xml.c -- reading an IATI file without trusting it, and the
 * small readers the importer uses on the parsed tree.
 *
 * An IATI file comes from anywhere: a donor's portal, a partner's email.
 * libxml2 is asked for as little as possible: no network (XML_PARSE_NONET),
 * no entity substitution (XML_PARSE_NOENT is not given), no DTD loading or
 * attribute defaults, no XInclude, no "huge" mode (libxml2's own limits on
 * text, names and depth stay). A DOCTYPE is refused at the moment the
 * parser meets it, before any entity is declared: IATI files have none, and
 * that closes entity expansion ("billion laughs") and external entities in
 * one place. Past libxml2, the file is bounded (IMPORT_IATI_MAX_FILE), and
 * so is every text and attribute (IMPORT_IATI_MAX_TEXT) and the element
 * count. The first problem is one finding with its line; the rest of the
 * file is not read.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "import_iati.h"
#include "util.h"

static void add(struct ix *x, enum tocm_severity sev, const char *code, long line, const char *fmt,
                va_list ap) {
    char *msg = tocmp_vasprintf(fmt, ap);
    tocm_diags_add(x->d, sev, code, x->file, line > 0 && line < 0x7fffffff ? (int)line : 0, 0, "",
                   NULL, "%s", msg);
    free(msg);
}

long ix_line(xmlNodePtr n) { return n ? xmlGetLineNo(n) : 0; }

void ix_error(struct ix *x, const char *code, xmlNodePtr at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    add(x, TOCM_SEV_ERROR, code, ix_line(at), fmt, ap);
    va_end(ap);
}

void ix_warn(struct ix *x, const char *code, xmlNodePtr at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    add(x, TOCM_SEV_WARNING, code, ix_line(at), fmt, ap);
    va_end(ap);
}

/* ---- reading the file ------------------------------------------------------------------- */

/* What the parse saw: the first error, and whether a DOCTYPE stopped it. */
struct parse_state {
    char message[300];
    long line;
    int doctype;
};

/* libxml2's structured error channel for this parser only (the SAX
 * handler's serror): keeps the first error and prints nothing. */
static void on_error(void *ctx, xmlErrorPtr e) {
    xmlParserCtxtPtr ctxt = ctx;
    struct parse_state *st = ctxt ? ctxt->_private : NULL;
    if (!st || st->message[0] || !e || e->level < XML_ERR_ERROR)
        return;
    const char *m = e->message ? e->message : "malformed XML";
    /* libxml2's words for its limits name options tocm does not give. */
    static const char *const limits[][2] = {
        {"Excessive depth", "elements nested deeper than 256 levels"},
        {"AttValue length too long", "an attribute value longer than 10,000,000 bytes"},
        {"xmlSAX2Characters: huge text node", "a text longer than 10,000,000 bytes"},
        {"Resource limit exceeded", "a text or name longer than libxml2's limits"},
    };
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        if (strstr(m, limits[i][0]))
            m = limits[i][1];
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    snprintf(st->message, sizeof st->message, "%.*s", (int)(n > 250 ? 250 : n), m);
    st->line = e->line;
}

/* <!DOCTYPE ...>: refused before its internal subset (where entities are
 * declared) is read. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *public_id,
                       const xmlChar *system_id) {
    (void)name, (void)public_id, (void)system_id;
    xmlParserCtxtPtr ctxt = ctx;
    struct parse_state *st = ctxt->_private;
    if (!st->message[0]) {
        snprintf(st->message, sizeof st->message,
                 "the file declares a DOCTYPE: IATI files have none, and tocm reads no DTD (it "
                 "could declare entities that expand without bound or read other files)");
        st->line = xmlSAX2GetLineNumber(ctx);
        st->doctype = 1;
    }
    xmlStopParser(ctxt);
}

/* An external entity or DTD is never loaded, whatever asks for it. */
static xmlParserInputPtr no_loading(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
    (void)id;
    if (ctxt && ctxt->_private) {
        struct parse_state *st = ctxt->_private;
        if (!st->message[0]) {
            snprintf(st->message, sizeof st->message,
                     "the file asks to load '%.120s': tocm reads no other file nor network "
                     "resource",
                     url ? url : "an external resource");
            st->line = ctxt->input ? ctxt->input->line : 0;
        }
        xmlStopParser(ctxt);
    }
    return NULL;
}

/* Every text and attribute within IMPORT_IATI_MAX_TEXT, and not too many
 * elements: 1, or 0 with the finding. */
static int within_bounds(struct ix *x, xmlNodePtr root) {
    size_t elements = 0;
    xmlNodePtr n = root;
    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            if (++elements > IMPORT_IATI_MAX_ELEMENTS) {
                ix_error(x, "E511", n,
                         "the file has more than %zu elements, far more than any activity's "
                         "results: not read",
                         IMPORT_IATI_MAX_ELEMENTS);
                return 0;
            }
            for (xmlAttrPtr a = n->properties; a; a = a->next) {
                for (xmlNodePtr t = a->children; t; t = t->next) {
                    if (t->content && strlen((const char *)t->content) > IMPORT_IATI_MAX_TEXT) {
                        ix_error(x, "E511", n,
                                 "attribute '%s' of <%s> is longer than %zu bytes: no IATI "
                                 "value is; not read",
                                 (const char *)a->name, (const char *)n->name,
                                 IMPORT_IATI_MAX_TEXT);
                        return 0;
                    }
                }
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content &&
                   strlen((const char *)n->content) > IMPORT_IATI_MAX_TEXT) {
            ix_error(x, "E511", n->parent,
                     "a text in <%s> is longer than %zu bytes: no IATI text is; not read",
                     n->parent ? (const char *)n->parent->name : "?", IMPORT_IATI_MAX_TEXT);
            return 0;
        } else if (n->type == XML_ENTITY_REF_NODE) {
            ix_error(x, "E511", n->parent, "an entity reference '&%s;': not read",
                     (const char *)n->name);
            return 0;
        }
        /* Depth first without recursion (libxml2 bounds the depth anyway). */
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next && n != root)
            n = n->parent;
        if (!n || n == root)
            break;
        n = n->next;
    }
    return 1;
}

xmlDocPtr ix_read(struct ix *x) {
    size_t len = 0;
    errno = 0;
    char *text = tocmp_read_text(x->file, IMPORT_IATI_MAX_FILE, &len);
    if (!text) {
        if (errno == EFBIG)
            ix_error(x, "E511", NULL,
                     "the file is larger than %zu MiB, far larger than any IATI "
                     "activity file: not read",
                     IMPORT_IATI_MAX_FILE >> 20);
        else
            ix_error(x, "E511", NULL, "cannot read the file: %s", strerror(errno));
        return NULL;
    }
    if (len == 0) {
        free(text);
        ix_error(x, "E511", NULL, "the file is empty: an IATI file is XML (iati-activities)");
        return NULL;
    }
    if (len > (size_t)0x7fffffff) {
        free(text);
        ix_error(x, "E511", NULL, "the file is too large");
        return NULL;
    }
    struct parse_state st = {0};
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        tocmp_out_of_memory(sizeof *ctxt);
    ctxt->_private = &st;
    ctxt->sax->serror = on_error;
    ctxt->sax->internalSubset = on_doctype;
    ctxt->sax->externalSubset = NULL;
    ctxt->sax->resolveEntity = NULL;
    xmlExternalEntityLoader saved = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(no_loading);
    /* NONET: no network; no NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE;
     * NOERROR/NOWARNING: the generic channel prints nothing (serror gets
     * them); BIG_LINES: lines past 65535 are counted right. */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
                  XML_PARSE_NOCDATA;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)len, x->file, NULL, options);
    xmlSetExternalEntityLoader(saved);
    int well_formed = ctxt->wellFormed;
    xmlFreeParserCtxt(ctxt);
    free(text);
    if (!doc || !well_formed || st.message[0]) {
        if (!st.message[0])
            snprintf(st.message, sizeof st.message, "the file is not well-formed XML");
        tocm_diags_add(x->d, TOCM_SEV_ERROR, "E511", x->file,
                       st.line > 0 && st.line < 0x7fffffff ? (int)st.line : 0, 0, "", NULL, "%s%s",
                       st.doctype ? "" : "not well-formed XML: ", st.message);
        xmlFreeDoc(doc);
        return NULL;
    }
    if (doc->intSubset || doc->extSubset) {
        /* Not reached (the DOCTYPE stops the parse), kept as a second lock. */
        ix_error(x, "E511", NULL, "the file declares a DOCTYPE: not read");
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !within_bounds(x, root)) {
        if (!root)
            ix_error(x, "E511", NULL, "the file has no element");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* ---- reading elements ------------------------------------------------------------------- */

int ix_is(xmlNodePtr n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && !n->ns && strcmp((const char *)n->name, name) == 0;
}

int ix_in_tocm(xmlNodePtr n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, IMPORT_TOCM_NS) == 0 &&
           (!name || strcmp((const char *)n->name, name) == 0);
}

xmlNodePtr ix_elem(xmlNodePtr n) {
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

static const char *attr_value(xmlAttrPtr a) {
    if (!a->children)
        return "";
    /* No entity substitution: an attribute is one text node. */
    if (a->children->type == XML_TEXT_NODE && !a->children->next && a->children->content)
        return (const char *)a->children->content;
    return NULL;
}

const char *ix_attr(xmlNodePtr n, const char *name) {
    for (xmlAttrPtr a = n ? n->properties : NULL; a; a = a->next)
        if (!a->ns && strcmp((const char *)a->name, name) == 0)
            return attr_value(a);
    return NULL;
}

const char *ix_tocm(xmlNodePtr n, const char *name) {
    for (xmlAttrPtr a = n ? n->properties : NULL; a; a = a->next)
        if (a->ns && a->ns->href && strcmp((const char *)a->ns->href, IMPORT_TOCM_NS) == 0 &&
            strcmp((const char *)a->name, name) == 0)
            return attr_value(a);
    return NULL;
}

static char *trim(const char *s) {
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *t = tocmp_xmalloc(n + 1);
    memcpy(t, s, n);
    t[n] = '\0';
    return t;
}

char *ix_text(xmlNodePtr n) {
    xmlChar *c = xmlNodeGetContent(n);
    char *t = trim(c ? (const char *)c : "");
    xmlFree(c);
    return t;
}

char *ix_narrative(struct ix *x, xmlNodePtr el, json_t *extra) {
    (void)x;
    char *first = NULL;
    for (xmlNodePtr n = ix_elem(el ? el->children : NULL); n; n = ix_elem(n->next)) {
        if (!ix_is(n, "narrative"))
            continue;
        char *t = ix_text(n);
        if (!first) {
            first = t;
            continue;
        }
        /* Another language, or a second text: kept. The same text again
         * (as templates repeat it) loses nothing. */
        if (strcmp(t, first) != 0 && extra)
            ix_keep(extra, n);
        free(t);
    }
    return first;
}

int ix_placeholder(const char *s) {
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0)
        return 1;
    static const char *const phrases[] = {"not available", "n/a", "organisation name",
                                          "organization name"};
    for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
        if (strlen(phrases[i]) == n && strncasecmp(s, phrases[i], n) == 0)
            return 1;
    /* A run of one filler letter: "xx", "Xxxxxxx", "yyyy". */
    char c = (char)tolower((unsigned char)s[0]);
    if (n < 2 || (c != 'x' && c != 'y' && c != 'z'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (tolower((unsigned char)s[i]) != c)
            return 0;
    return 1;
}

static char *qualified(xmlNodePtr n) {
    if (n->ns && n->ns->prefix)
        return tocmp_asprintf("%s:%s", (const char *)n->ns->prefix, (const char *)n->name);
    return tocmp_xstrdup((const char *)n->name);
}

/* Depth is bounded by libxml2's parser (256 levels without XML_PARSE_HUGE). */
json_t *ix_element_json(xmlNodePtr n) {
    json_t *o = json_object();
    char *name = qualified(n);
    json_object_set_new(o, "element", json_string(name));
    free(name);
    json_object_set_new(o, "line", json_integer(ix_line(n)));
    json_t *attrs = json_object();
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const char *v = attr_value(a);
        char *an = a->ns && a->ns->prefix
                       ? tocmp_asprintf("%s:%s", (const char *)a->ns->prefix, (const char *)a->name)
                       : tocmp_xstrdup((const char *)a->name);
        json_object_set_new(attrs, an, json_string(v ? v : ""));
        free(an);
    }
    if (json_object_size(attrs))
        json_object_set_new(o, "attributes", attrs);
    else
        json_decref(attrs);
    json_t *children = json_array();
    tocmp_buf text = {0};
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            json_array_append_new(children, ix_element_json(c));
        else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            tocmp_buf_puts(&text, (const char *)c->content);
    }
    if (text.len) {
        char *t = trim(text.data);
        if (*t)
            json_object_set_new(o, "text", json_string(t));
        free(t);
    }
    free(text.data);
    if (json_array_size(children))
        json_object_set_new(o, "children", children);
    else
        json_decref(children);
    return o;
}

static json_t *extra_of(json_t *object) {
    json_t *list = json_object_get(object, "iati_extra");
    if (!json_is_array(list)) {
        list = json_array();
        json_object_set_new(object, "iati_extra", list);
    }
    return list;
}

void ix_keep(json_t *object, xmlNodePtr n) {
    json_array_append_new(extra_of(object), ix_element_json(n));
}

void ix_keep_attr(json_t *object, xmlNodePtr el, const char *name, const char *value) {
    json_array_append_new(extra_of(object),
                          json_pack("{s:s, s:s, s:s, s:I}", "attribute", name, "value",
                                    value ? value : "", "on", (const char *)el->name, "line",
                                    (json_int_t)ix_line(el)));
}

void ix_keep_other_attrs(json_t *object, xmlNodePtr el, const char *const *handled) {
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        if (a->ns && a->ns->href && strcmp((const char *)a->ns->href, IMPORT_TOCM_NS) == 0)
            continue;
        int known = 0;
        for (size_t i = 0; !a->ns && handled && handled[i]; i++)
            known |= strcmp(handled[i], (const char *)a->name) == 0;
        if (known)
            continue;
        char *an = a->ns && a->ns->prefix
                       ? tocmp_asprintf("%s:%s", (const char *)a->ns->prefix, (const char *)a->name)
                       : tocmp_xstrdup((const char *)a->name);
        const char *v = attr_value(a);
        ix_keep_attr(object, el, an, v);
        free(an);
    }
}

/* ---- numbers ------------------------------------------------------------------------------ */

int ix_number(const char *s, double *v) {
    /* xsd:decimal: an optional sign, digits, an optional point and digits;
     * no exponent, no spaces inside, no thousands separators. */
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t digits = 0;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits++;
    }
    const char *end = p;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (!digits || *p)
        return 0;
    char *num = tocmp_asprintf("%.*s", (int)(end - s), s);
    errno = 0;
    double d = strtod(num, NULL);
    free(num);
    if (!isfinite(d))
        return 0;
    *v = d;
    return 1;
}

int ix_decimals(const char *s) {
    const char *dot = strchr(s, '.');
    if (!dot)
        return 0;
    int n = 0;
    for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++)
        n++;
    /* Trailing zeros show nothing more ("54.50" is 54.5). */
    for (const char *p = dot + n; n > 0 && *p == '0'; p--)
        n--;
    return n;
}

json_t *ix_json_number(double v) {
    /* 42, not 42.0: a whole number is an integer in the model, as people
     * write it (and as tocm fmt keeps it). */
    if (v == (double)(json_int_t)v && fabs(v) < 9007199254740992.0)
        return json_integer((json_int_t)v);
    return json_real(v);
}

const char *ix_format_number(double v, char *buf) {
    if (v == 0)
        v = 0; /* no "-0" */
    if (v == (double)(long long)v && fabs(v) < 1e15) {
        snprintf(buf, 40, "%lld", (long long)v);
        return buf;
    }
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, 40, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (strchr(buf, 'e')) {
        /* Plain decimals, as people and CSV readers expect. */
        for (int decimals = 1; decimals <= 30; decimals++) {
            snprintf(buf, 40, "%.*f", decimals, v);
            if (strtod(buf, NULL) == v)
                break;
        }
    }
    return buf;
}
