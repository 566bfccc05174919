/*
 * import_iati.c -- `tocm import iati`: an IATI 2.03 activity file into a
 * tocm model (models/FORMAT.md, "Importing IATI").
 *
 * The activity is the program; each result a node; each indicator an
 * indicator with its baseline(s), its targets per period and by breakdown
 * (`dimension`); the actuals go to a results table per indicator, in the
 * layout `tocm record` writes (import_iati_actuals.c), so figures stay data
 * and never become model text. A file of several activities is read when
 * one is the program and the others its projects (`related-activity`), as
 * `tocm export -T iati --option projects=activities` writes it.
 *
 * What IATI holds and tocm has no field for is kept, as the element or
 * attribute it was, in the `iati_extra` list of the nearest object
 * (program, node, indicator, baseline, target): the model format keeps
 * members it does not know. What cannot be kept is named in a warning
 * (W512). Values a template left as placeholders ("xx", "Xxxxxxx", an empty
 * identifier, "Not available") are not imported as data: each is named in
 * a warning (W511) and the model says nothing rather than something false.
 * A value that is not a number where IATI expects one ("N=35;P=55") is kept
 * as `iati_value` and the figure is marked pending, never guessed.
 *
 * Files written by tocm carry tocm's own attributes (namespace
 * urn:x-tocm:iati:1: node and indicator ids, levels, period names, and the
 * parts of a target IATI only has a comment for), which give the model back
 * as it was; IATI's own attributes stay the authority for every figure.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_iati.h"
#include "util.h"

/* ---- small helpers ------------------------------------------------------------------------ */

json_t *ix_str(const char *s) {
    /* libxml2 hands UTF-8 only; a NUL inside cannot come from XML. */
    json_t *v = json_string(s);
    return v ? v : json_string("\xEF\xBF\xBD");
}

void ix_set_str(json_t *o, const char *key, const char *value) {
    if (value)
        json_object_set_new(o, key, ix_str(value));
}

/* An id made of a text: letters, digits, '.', '-' and '_', the rest '-'. new. */
static char *slug(const char *text) {
    size_t n = strlen(text);
    char *s = tocmp_xmalloc(n + 1), *o = s;
    for (const char *p = text; *p && (size_t)(o - s) < 120; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || c == '.' || c == '_' || c == '-')
            *o++ = (char)c;
        else if (o > s && o[-1] != '-')
            *o++ = '-';
    }
    while (o > s && o[-1] == '-')
        o--;
    *o = '\0';
    return s;
}

/* ---- periods ------------------------------------------------------------------------------ */

static int iso_date(const char *s, int *y, int *m, int *d) {
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) < 10)
        return 0;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return 0;
    /* xsd:date may carry a zone ("2024-01-01Z", "+07:00"): the day is what counts. */
    if (s[10] && s[10] != 'Z' && s[10] != '+' && s[10] != '-' && s[10] != 'T')
        return 0;
    *y = atoi(s), *m = atoi(s + 5), *d = atoi(s + 8);
    if (*y < 1 || *m < 1 || *m > 12 || *d < 1 || *d > days[*m - 1])
        return 0;
    int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
    return !(*m == 2 && *d == 29 && !leap);
}

static int last_day(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

char *ix_period_name(struct ix *x, const char *start, const char *end) {
    int y1, m1, d1, y2, m2, d2;
    if (!iso_date(start, &y1, &m1, &d1) || !iso_date(end, &y2, &m2, &d2))
        return NULL;
    if (strncmp(start, x->prog_start, 10) == 0 && strncmp(end, x->prog_end, 10) == 0 &&
        !(y1 == y2 && m1 == 1 && d1 == 1 && m2 == 12 && d2 == 31))
        return tocmp_xstrdup("all");
    if (y1 == y2 && d1 == 1 && d2 == last_day(y2, m2)) {
        if (m1 == 1 && m2 == 12)
            return tocmp_asprintf("%04d", y1);
        if (m2 == m1 + 5 && (m1 == 1 || m1 == 7))
            return tocmp_asprintf("%04d-H%d", y1, m1 == 1 ? 1 : 2);
        if (m2 == m1 + 2 && (m1 - 1) % 3 == 0)
            return tocmp_asprintf("%04d-Q%d", y1, (m1 - 1) / 3 + 1);
        if (m1 == m2)
            return tocmp_asprintf("%04d-%02d", y1, m1);
    }
    if (strncmp(start, end, 10) == 0)
        return tocmp_asprintf("%.10s", start);
    return tocmp_asprintf("%.10s/%.10s", start, end);
}

/* ---- results ----------------------------------------------------------------------------------
 */

static int type_rank(const char *type) {
    static const char *const words[] = {"impact", "outcome", "output", "other"};
    for (int i = 0; i < 4; i++)
        if (strcmp(type, words[i]) == 0)
            return i;
    return 3;
}

/* A result's type as a word: codes 1 output, 2 outcome, 3 impact, 9 other
 * (and the 1.x words). NULL when it is neither. */
static const char *type_word(const char *t) {
    static const char *const map[][2] = {
        {"1", "output"}, {"2", "outcome"}, {"3", "impact"}, {"9", "other"}};
    for (size_t i = 0; t && i < 4; i++)
        if (strcmp(t, map[i][0]) == 0 || strcasecmp(t, map[i][1]) == 0)
            return map[i][1];
    return NULL;
}

/* The level a result is on, with the result type of its first result
 * (NULL: a project's level, no result type known yet). */
static void note_level(struct ix *x, const char *level, const char *type) {
    size_t i;
    json_t *l;
    json_array_foreach(x->levels, i, l) {
        if (strcmp(json_string_value(json_object_get(l, "id")), level) == 0) {
            if (type && !json_object_get(l, "\x01type"))
                json_object_set_new(l, "\x01type", json_string(type));
            return;
        }
    }
    /* A level met first as a project's (type NULL) sorts last. */
    json_object_set_new(x->level_rank, level, json_integer(type ? type_rank(type) : 3));
    l = json_pack("{s:s}", "id", level);
    if (type && strcmp(type, "outcome") == 0)
        json_object_set_new(l, "outcome", json_true());
    if (type)
        json_object_set_new(l, "\x01type", json_string(type));
    json_array_append_new(x->levels, l);
}

static void result(struct ix *x, xmlNodePtr el) {
    const char *type_attr = ix_attr(el, "type");
    const char *type = type_word(type_attr);
    if (!type) {
        ix_warn(x, "W511", el,
                "result type '%s' is not 1 (output), 2 (outcome), 3 (impact) or "
                "9 (other): read as other",
                type_attr ? type_attr : "");
        type = "other";
    }
    const char *tnode = ix_tocm(el, "node"), *tlevel = ix_tocm(el, "level");
    x->result_count++;
    char *id = tnode && *tnode ? tocmp_xstrdup(tnode) : tocmp_asprintf("R%zu", x->result_count);
    const char *level = tlevel && *tlevel ? tlevel : type;
    json_t *node = json_object_get(x->node_ids, id);
    xmlNodePtr title_el = NULL;
    for (xmlNodePtr n = ix_elem(el->children); n; n = ix_elem(n->next))
        if (ix_is(n, "title")) {
            title_el = n;
            break;
        }
    json_t *fresh = json_object();
    char *title = title_el ? ix_narrative(x, title_el, fresh) : NULL;
    if (!title || ix_placeholder(title)) {
        ix_error(x, "E512", title_el ? title_el : el,
                 "result '%s' has no title (IATI requires "
                 "one; tocm too)",
                 id);
        free(title);
        free(id);
        json_decref(fresh);
        return;
    }
    if (node && strcmp(json_string_value(json_object_get(node, "title")), title) == 0) {
        /* The project's own node, made from its activity: its results join it. */
        json_decref(fresh);
        fresh = NULL;
    } else if (node) {
        char *other = NULL;
        for (int i = 2; !other || json_object_get(x->node_ids, other); i++) {
            free(other);
            other = tocmp_asprintf("%s-%d", id, i);
        }
        ix_warn(x, "W512", el, "a second result '%s' with another title: imported as '%s'", id,
                other);
        free(id);
        id = other;
        node = NULL;
    }
    if (!node) {
        node = fresh;
        ix_set_str(node, "id", id);
        ix_set_str(node, "level", level);
        json_object_set_new(node, "title", ix_str(title));
        note_level(x, level, type);
        json_object_set(x->node_ids, id, node);
        json_array_append_new(x->nodes, node);
    }
    free(title);
    static const char *const handled_attrs[] = {"type", NULL};
    ix_keep_other_attrs(node, el, handled_attrs);
    size_t count = 0;
    for (xmlNodePtr n = ix_elem(el->children); n; n = ix_elem(n->next)) {
        if (ix_is(n, "title"))
            continue;
        if (ix_is(n, "description")) {
            char *d = ix_narrative(x, n, node);
            if (d && ix_placeholder(d))
                ix_warn(x, "W511", n,
                        "result '%s': the description '%s' is a placeholder: not "
                        "imported",
                        id, d);
            else if (d && !json_object_get(node, "description"))
                json_object_set_new(node, "description", ix_str(d));
            else if (d)
                ix_keep(node, n);
            free(d);
        } else if (ix_is(n, "indicator")) {
            ix_indicator(x, n, id, ++count);
        } else {
            ix_keep(node, n);
        }
    }
    free(id);
}

/* ---- the activity --------------------------------------------------------------------------- */

static char *activity_id_text(xmlNodePtr act) {
    for (xmlNodePtr n = ix_elem(act->children); n; n = ix_elem(n->next))
        if (ix_is(n, "iati-identifier"))
            return ix_text(n);
    return tocmp_xstrdup("");
}

/* Is act the activity whose identifier is ref (spaces around ignored)? */
static int is_activity(xmlNodePtr act, const char *ref) {
    char *id = activity_id_text(act), *r = tocmp_xstrdup(ref);
    char *a = r;
    while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
        a++;
    size_t n = strlen(a);
    while (n && (a[n - 1] == ' ' || a[n - 1] == '\t' || a[n - 1] == '\n' || a[n - 1] == '\r'))
        a[--n] = '\0';
    int same = *id && strcmp(id, a) == 0;
    free(id);
    free(r);
    return same;
}

static void reporting_org(struct ix *x, xmlNodePtr el) {
    json_t *org = json_object();
    const char *ref = ix_attr(el, "ref"), *type = ix_attr(el, "type");
    char *name = ix_narrative(x, el, x->program);
    const char *parts[][2] = {{"ref", ref}, {"type", type}, {"name", name}};
    for (size_t i = 0; i < 3; i++) {
        if (parts[i][1] && !ix_placeholder(parts[i][1]))
            ix_set_str(org, parts[i][0], parts[i][1]);
        else
            ix_warn(x, "W511", el,
                    "the reporting organisation's %s '%s' is a placeholder: not "
                    "imported (tocm export -T iati needs program.reporting_org.%s)",
                    parts[i][0], parts[i][1] ? parts[i][1] : "", parts[i][0]);
    }
    free(name);
    if (json_object_size(org))
        json_object_set_new(x->program, "reporting_org", org);
    else
        json_decref(org);
    static const char *const handled[] = {"ref", "type", NULL};
    ix_keep_other_attrs(x->program, el, handled);
}

static void activity_date(struct ix *x, xmlNodePtr el, json_t *period) {
    const char *type = ix_attr(el, "type"), *date = ix_attr(el, "iso-date");
    const char *tperiod = ix_tocm(el, "period");
    int y, m, d;
    char day[16];
    if (!type ||
        (strcmp(type, "1") && strcmp(type, "2") && strcmp(type, "3") && strcmp(type, "4"))) {
        ix_warn(x, "W511", el,
                "activity-date type '%s' is not 1-4 (planned or actual start or "
                "end): kept in the program's iati_extra",
                type ? type : "");
        ix_keep(x->program, el);
        return;
    }
    if (!date || !iso_date(date, &y, &m, &d)) {
        ix_error(x, "E513", el, "activity-date iso-date '%s' is not a date YYYY-MM-DD",
                 date ? date : "");
        return;
    }
    snprintf(day, sizeof day, "%.10s", date);
    int start = type[0] == '1' || type[0] == '2';
    int planned = type[0] == '1' || type[0] == '3';
    const char *key = start ? "start" : "end";
    /* Planned dates are the program's period; actual ones only fill in. */
    if (planned || !json_object_get(period, key)) {
        ix_set_str(period, key, tperiod && *tperiod ? tperiod : day);
        memcpy(start ? x->prog_start : x->prog_end, day, 11);
    }
    if (!planned)
        ix_keep(x->program, el);
}

/* The program's header from the activity's own elements; results are read
 * afterwards, once the program's dates are known. */
static void program(struct ix *x, xmlNodePtr act) {
    json_t *p = x->program;
    json_t *period = json_object();
    char *identifier = activity_id_text(act);
    char *title = NULL, *description = NULL;
    for (xmlNodePtr n = ix_elem(act->children); n; n = ix_elem(n->next)) {
        if (ix_is(n, "iati-identifier")) {
            if (ix_placeholder(identifier))
                ix_warn(x, "W511", n,
                        "<iati-identifier> is a placeholder ('%s'): not imported "
                        "(tocm export -T iati needs program.iati_identifier)",
                        identifier);
            else
                ix_set_str(p, "iati_identifier", identifier);
        } else if (ix_is(n, "reporting-org")) {
            reporting_org(x, n);
        } else if (ix_is(n, "title") && !title) {
            title = ix_narrative(x, n, p);
        } else if (ix_is(n, "description") && !description &&
                   (!ix_attr(n, "type") || strcmp(ix_attr(n, "type"), "1") == 0)) {
            description = ix_narrative(x, n, p);
            if (description && ix_placeholder(description)) {
                ix_warn(x, "W511", n,
                        "the activity's description '%s' is a placeholder: not "
                        "imported",
                        description);
                free(description);
                description = tocmp_xstrdup("");
            }
        } else if (ix_is(n, "participating-org")) {
            const char *role = ix_attr(n, "role");
            char *name = ix_narrative(x, n, NULL);
            const char *key = role && strcmp(role, "1") == 0   ? "donor"
                              : role && strcmp(role, "4") == 0 ? "implementer"
                                                               : NULL;
            json_t *org = json_object_get(p, "reporting_org");
            int is_reporter = role && strcmp(role, "2") == 0 && name &&
                              json_string_value(json_object_get(org, "name")) &&
                              strcmp(name, json_string_value(json_object_get(org, "name"))) == 0;
            if (!name || ix_placeholder(name) || (role && ix_placeholder(role))) {
                ix_warn(x, "W511", n,
                        "participating-org role '%s' named '%s' is a placeholder: "
                        "not imported",
                        role ? role : "", name ? name : "");
            } else if (key && !json_object_get(p, key)) {
                /* The name is tocm's donor or implementer; the rest (its
                 * ref, type) kept. */
                ix_set_str(p, key, name);
                static const char *const handled_org[] = {"role", NULL};
                ix_keep_other_attrs(p, n, handled_org);
            } else if (!is_reporter) {
                ix_keep(p, n);
            }
            free(name);
        } else if (ix_is(n, "activity-status")) {
            const char *code = ix_attr(n, "code");
            if (!code || ix_placeholder(code) || !isdigit((unsigned char)code[0]))
                ix_warn(x, "W511", n, "activity-status code '%s' is a placeholder: not imported",
                        code ? code : "");
            else if (strcmp(code, "2") != 0)
                ix_set_str(p, "iati_activity_status", code);
        } else if (ix_is(n, "activity-date")) {
            activity_date(x, n, period);
        } else if (ix_is(n, "recipient-country")) {
            const char *code = ix_attr(n, "code");
            if (code && strlen(code) == 2 && isupper((unsigned char)code[0]) &&
                isupper((unsigned char)code[1])) {
                json_t *list = json_object_get(p, "countries");
                if (!list) {
                    list = json_array();
                    json_object_set_new(p, "countries", list);
                }
                json_array_append_new(list, json_string(code));
                static const char *const handled[] = {"code", NULL};
                ix_keep_other_attrs(p, n, handled);
            } else {
                ix_keep(p, n);
            }
        } else if (ix_is(n, "result") || ix_is(n, "related-activity")) {
            /* results: below; related activities: the caller. */
        } else if (n->ns && n->ns->href && strcmp((const char *)n->ns->href, IMPORT_TOCM_NS) == 0) {
            /* tocm's own elements (levels): read by the caller. */
        } else {
            ix_keep(p, n);
        }
    }
    if (!title || ix_placeholder(title)) {
        const char *base = strrchr(x->file, '/') ? strrchr(x->file, '/') + 1 : x->file;
        ix_warn(x, "W511", act,
                "the activity's title '%s' is a placeholder: the program is "
                "titled '%s' after the file",
                title ? title : "", base);
        free(title);
        title = tocmp_xstrdup(base);
    }
    json_object_set_new(p, "title", ix_str(title));
    /* tocm's export writes the title as the description when there is none. */
    if (description && *description && strcmp(description, title) != 0)
        json_object_set_new(p, "description", ix_str(description));
    if (json_object_size(period))
        json_object_set(p, "period", period);
    json_decref(period);
    /* hierarchy: the file's shape (1 for a program with projects). */
    static const char *const handled[] = {"hierarchy", NULL};
    ix_keep_other_attrs(p, act, x->has_projects ? handled : handled + 1);
    const char *tp = ix_tocm(act, "program");
    char *id = x->o && x->o->program_id      ? tocmp_xstrdup(x->o->program_id)
               : tp && *tp                   ? tocmp_xstrdup(tp)
               : !ix_placeholder(identifier) ? slug(identifier)
                                             : NULL;
    if (!id || !*id) {
        free(id);
        const char *base = strrchr(x->file, '/') ? strrchr(x->file, '/') + 1 : x->file;
        char *stem = tocmp_xstrdup(base);
        char *dot = strrchr(stem, '.');
        if (dot && dot != stem)
            *dot = '\0';
        id = slug(stem);
        free(stem);
        if (!*id) {
            free(id);
            id = tocmp_xstrdup("program");
        }
    }
    ix_set_str(p, "id", id);
    free(id);
    free(title);
    free(description);
    free(identifier);
}

/* tocm's levels, as its export lists them (<tocm:level id title outcome>). */
static void tocm_levels(struct ix *x, xmlNodePtr act) {
    for (xmlNodePtr n = ix_elem(act->children); n; n = ix_elem(n->next)) {
        if (!n->ns || !n->ns->href || strcmp((const char *)n->ns->href, IMPORT_TOCM_NS) != 0 ||
            strcmp((const char *)n->name, "level") != 0)
            continue;
        const char *id = ix_attr(n, "id");
        if (!id || !*id || json_object_get(x->level_rank, id))
            continue;
        json_t *l = json_pack("{s:s}", "id", id);
        ix_set_str(l, "title", ix_attr(n, "title"));
        const char *outcome = ix_attr(n, "outcome");
        if (outcome && strcmp(outcome, "true") == 0)
            json_object_set_new(l, "outcome", json_true());
        /* Listed levels keep their order: rank -1 sorts them first. */
        json_object_set_new(x->level_rank, id, json_integer(-1));
        json_array_append_new(x->levels, l);
    }
}

/* A project's activity: a node for the project, under the program. */
static void project_node(struct ix *x, xmlNodePtr act) {
    const char *tnode = ix_tocm(act, "node"), *tlevel = ix_tocm(act, "level");
    int tocm_made = tnode && *tnode;
    char *ident = activity_id_text(act);
    char *id = tocm_made ? tocmp_xstrdup(tnode) : slug(ident);
    if (!*id || json_object_get(x->node_ids, id)) {
        free(id);
        id = tocmp_asprintf("P%zu", json_array_size(x->nodes) + 1);
    }
    json_t *node = json_object();
    ix_set_str(node, "id", id);
    const char *level = tlevel && *tlevel ? tlevel : "project";
    ix_set_str(node, "level", level);
    note_level(x, level, NULL);
    char *title = NULL;
    const char *reporter =
        json_string_value(json_object_get(json_object_get(x->program, "reporting_org"), "ref"));
    for (xmlNodePtr n = ix_elem(act->children); n; n = ix_elem(n->next)) {
        if (ix_is(n, "title") && !title) {
            title = ix_narrative(x, n, node);
        } else if (ix_is(n, "description") && !json_object_get(node, "description")) {
            char *d = ix_narrative(x, n, node);
            if (d && !ix_placeholder(d) && (!title || strcmp(d, title) != 0))
                json_object_set_new(node, "description", ix_str(d));
            free(d);
        } else if (ix_is(n, "recipient-country") && !json_object_get(node, "country") &&
                   ix_attr(n, "code") && strlen(ix_attr(n, "code")) == 2) {
            ix_set_str(node, "country", ix_attr(n, "code"));
        } else if (ix_is(n, "participating-org") && ix_attr(n, "role") &&
                   strcmp(ix_attr(n, "role"), "4") == 0 && !n->properties->next) {
            /* Who runs the project: its partners. */
            char *name = ix_narrative(x, n, node);
            if (name && !ix_placeholder(name)) {
                json_t *list = json_object_get(node, "partners");
                if (!list) {
                    list = json_array();
                    json_object_set_new(node, "partners", list);
                }
                json_array_append_new(list, ix_str(name));
            }
            free(name);
        } else if (ix_is(n, "result") || ix_is(n, "related-activity") ||
                   ix_is(n, "iati-identifier")) {
            /* Its results are read by the caller; the links are the file's shape. */
        } else if (tocm_made && (ix_is(n, "activity-status") || ix_is(n, "activity-date") ||
                                 ix_is(n, "participating-org"))) {
            /* tocm writes the program's status, dates and reporting
             * organisation into each project's activity. */
        } else if (ix_is(n, "reporting-org") && reporter && ix_attr(n, "ref") &&
                   strcmp(ix_attr(n, "ref"), reporter) == 0) {
            /* the program's */
        } else {
            ix_keep(node, n);
        }
    }
    if (!title || ix_placeholder(title)) {
        free(title);
        title = tocmp_xstrdup(*ident ? ident : id);
    }
    json_object_set_new(node, "title", ix_str(title));
    /* Its identifier, unless it is the one tocm's export makes of the
     * program's and the node's id. */
    const char *program_ident = json_string_value(json_object_get(x->program, "iati_identifier"));
    char *derived = tocmp_asprintf("%s-%s", program_ident ? program_ident : "", id);
    if (!ix_placeholder(ident) && strcmp(derived, ident) != 0)
        ix_set_str(node, "iati_identifier", ident);
    free(derived);
    json_object_set(x->node_ids, id, node);
    json_array_append_new(x->nodes, node);
    free(title);
    free(ident);
    free(id);
}

/* The ref of the activity's parent (related-activity type 1), or NULL. */
static const char *parent_of(xmlNodePtr act) {
    for (xmlNodePtr n = ix_elem(act->children); n; n = ix_elem(n->next))
        if (ix_is(n, "related-activity") && ix_attr(n, "type") &&
            strcmp(ix_attr(n, "type"), "1") == 0)
            return ix_attr(n, "ref");
    return NULL;
}

/* Picks the program's activity, and its projects when the file has several:
 * NULL with E512 when it cannot tell. */
static xmlNodePtr pick(struct ix *x, xmlNodePtr root, xmlNodePtr **projects, size_t *count) {
    size_t n = 0;
    for (xmlNodePtr a = ix_elem(root->children); a; a = ix_elem(a->next))
        n += ix_is(a, "iati-activity");
    *projects = tocmp_xcalloc(n + 1, sizeof **projects);
    *count = 0;
    if (n == 0) {
        ix_error(x, "E512", root, "the file holds no <iati-activity>");
        return NULL;
    }
    xmlNodePtr program = NULL;
    if (x->o && x->o->activity) {
        for (xmlNodePtr a = ix_elem(root->children); a && !program; a = ix_elem(a->next)) {
            char *id = ix_is(a, "iati-activity") ? activity_id_text(a) : NULL;
            if (id && strcmp(id, x->o->activity) == 0)
                program = a;
            free(id);
        }
        if (!program) {
            ix_error(x, "E512", root, "the file has no activity '%s'", x->o->activity);
            return NULL;
        }
    } else if (n == 1) {
        program = ix_elem(root->children);
        while (!ix_is(program, "iati-activity"))
            program = ix_elem(program->next);
        return program;
    } else {
        /* The one no other activity of the file is the child of. */
        size_t tops = 0;
        for (xmlNodePtr a = ix_elem(root->children); a; a = ix_elem(a->next)) {
            if (!ix_is(a, "iati-activity"))
                continue;
            const char *parent = parent_of(a);
            int inside = 0;
            for (xmlNodePtr b = ix_elem(root->children); parent && b; b = ix_elem(b->next))
                inside |= ix_is(b, "iati-activity") && b != a && is_activity(b, parent);
            if (!inside) {
                tops++;
                program = a;
            }
        }
        if (tops != 1) {
            tocmp_buf ids = {0};
            size_t listed = 0;
            for (xmlNodePtr a = ix_elem(root->children); a && listed < 5; a = ix_elem(a->next)) {
                if (!ix_is(a, "iati-activity"))
                    continue;
                char *id = activity_id_text(a);
                tocmp_buf_printf(&ids, "%s'%s'", listed++ ? ", " : "", id);
                free(id);
            }
            ix_error(x, "E512", root,
                     "the file holds %zu activities, not one program with its projects: give "
                     "--activity ID to import one (%s%s)",
                     n, ids.data, n > 5 ? ", ..." : "");
            free(ids.data);
            return NULL;
        }
    }
    /* Its projects: activities naming it as their parent. */
    char *pid = activity_id_text(program);
    for (xmlNodePtr a = ix_elem(root->children); a; a = ix_elem(a->next)) {
        if (!ix_is(a, "iati-activity") || a == program)
            continue;
        const char *parent = parent_of(a);
        if (parent && is_activity(program, parent)) {
            (*projects)[(*count)++] = a;
        } else if (!x->o || !x->o->activity) {
            char *aid = activity_id_text(a);
            ix_warn(x, "W512", a, "activity '%s' is not a project of '%s': not imported", aid, pid);
            free(aid);
        }
    }
    free(pid);
    return program;
}

/* Levels top first: tocm's listed ones, then by result type (impact,
 * outcome, output, other) in the order met. The result type of each level
 * that tocm's default would not give is kept in program.iati_result_types. */
/* tocm's default levels (models/FORMAT.md), used when a model names none. */
static const char *const default_levels[] = {"goal",    "eopo",    "intermediate", "immediate",
                                             "cluster", "project", "activity"};

/* The default levels, when tocm's export says the model used them and
 * every level met is one of them: 1 (x->levels replaced), else 0. */
static int use_default_levels(struct ix *x) {
    size_t i;
    json_t *l;
    json_array_foreach(x->levels, i, l) {
        int known = 0;
        for (size_t d = 0; d < 7; d++)
            known |= strcmp(json_string_value(json_object_get(l, "id")), default_levels[d]) == 0;
        if (!known)
            return 0;
    }
    json_t *list = json_array();
    for (size_t d = 0; d < 7; d++) {
        json_t *level = json_pack("{s:s}", "id", default_levels[d]);
        if (d >= 1 && d <= 3)
            json_object_set_new(level, "outcome", json_true());
        json_array_foreach(x->levels, i, l) {
            if (strcmp(json_string_value(json_object_get(l, "id")), default_levels[d]) == 0 &&
                json_object_get(l, "\x01type"))
                json_object_set(level, "\x01type", json_object_get(l, "\x01type"));
        }
        json_array_append_new(list, level);
    }
    json_decref(x->levels);
    x->levels = list;
    return 1;
}

static void order_levels(struct ix *x, int defaults) {
    size_t n = json_array_size(x->levels);
    json_t *sorted = json_array();
    for (int rank = defaults ? -2 : -1; rank <= 3; rank++) {
        for (size_t i = 0; i < n; i++) {
            json_t *l = json_array_get(x->levels, i);
            const char *id = json_string_value(json_object_get(l, "id"));
            if (defaults ? rank == -2
                         : json_integer_value(json_object_get(x->level_rank, id)) == rank)
                json_array_append(sorted, l);
        }
    }
    json_t *types = json_object();
    size_t i;
    json_t *l;
    json_array_foreach(sorted, i, l) {
        const char *type = json_string_value(json_object_get(l, "\x01type"));
        if (type) {
            const char *dflt = i == 0                                        ? "impact"
                               : json_is_true(json_object_get(l, "outcome")) ? "outcome"
                                                                             : "output";
            if (strcmp(type, dflt) != 0)
                json_object_set_new(types, json_string_value(json_object_get(l, "id")),
                                    json_string(type));
            json_object_del(l, "\x01type");
        }
    }
    if (json_object_size(types))
        json_object_set(x->program, "iati_result_types", types);
    json_decref(types);
    json_decref(x->levels);
    x->levels = sorted;
}

/* The model validated; its errors as findings. new text, or NULL. */
static char *validated(struct ix *x, json_t *model, size_t *len) {
    char *text = json_dumps(model, JSON_PRESERVE_ORDER);
    tocm_diags *vd = tocm_diags_new();
    tocm_model *m = NULL;
    char *out = NULL;
    if (text && tocm_model_load_string(text, x->file, vd, &m) == TOCM_OK)
        tocm_validate(m, vd);
    for (size_t i = 0; i < tocm_diags_count(vd); i++) {
        const tocm_diag *g = tocm_diags_get(vd, i);
        if (g->severity != TOCM_SEV_ERROR)
            continue;
        json_t *line = g->node ? json_object_get(x->ind_line, g->node) : NULL;
        tocm_diags_add(x->d, TOCM_SEV_ERROR, g->code, x->file,
                       line ? (int)json_integer_value(line) : 0, 0, g->path, g->node,
                       "the model made of it: %s", g->message);
    }
    if (m && tocm_diags_errors(vd) == 0)
        out = tocm_model_format(m, len);
    tocm_model_free(m);
    tocm_diags_free(vd);
    free(text);
    return out;
}

int tocm_import_iati(const char *path, const struct tocm_iati_options *o, tocm_diags *diags,
                     struct tocm_import_output *out) {
    memset(out, 0, sizeof *out);
    struct ix x = {.file = path, .d = diags, .o = o};
    size_t errors_before = tocm_diags_errors(diags);
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E511", path, 0, 0, "", NULL,
                       "cannot read the file: %s", strerror(errno));
        return TOCM_EIO;
    }
    fclose(probe);
    x.doc = ix_read(&x);
    if (!x.doc)
        return TOCM_EINVALID;
    xmlNodePtr root = xmlDocGetRootElement(x.doc);
    if (!ix_is(root, "iati-activities")) {
        ix_error(&x, "E512", root,
                 "not an IATI activity file: its root is <%s>, not "
                 "<iati-activities>",
                 (const char *)root->name);
        xmlFreeDoc(x.doc);
        return TOCM_EINVALID;
    }
    const char *version = ix_attr(root, "version");
    if (!version || ix_placeholder(version))
        ix_warn(&x, "W511", root, "the IATI version '%s' is a placeholder: read as 2.03",
                version ? version : "");
    else if (strncmp(version, "2.0", 3) != 0)
        ix_warn(&x, "W512", root, "the file is IATI version %s: read as 2.03", version);
    xmlNodePtr *projects = NULL;
    size_t project_count = 0;
    xmlNodePtr act = pick(&x, root, &projects, &project_count);
    if (!act) {
        free(projects);
        xmlFreeDoc(x.doc);
        return TOCM_EINVALID;
    }
    x.program = json_object();
    x.levels = json_array();
    x.level_rank = json_object();
    x.nodes = json_array();
    x.indicators = json_array();
    x.node_ids = json_object();
    x.ind_ids = json_object();
    x.ind_line = json_object();
    x.actuals = json_object();
    x.has_projects = project_count > 0;
    program(&x, act);
    tocm_levels(&x, act);
    for (xmlNodePtr n = ix_elem(act->children); n; n = ix_elem(n->next))
        if (ix_is(n, "result"))
            result(&x, n);
    for (size_t i = 0; i < project_count; i++) {
        /* The project's node; its results are nodes of their own (IATI
         * holds no links between them). */
        project_node(&x, projects[i]);
        for (xmlNodePtr n = ix_elem(projects[i]->children); n; n = ix_elem(n->next))
            if (ix_is(n, "result"))
                result(&x, n);
    }
    free(projects);
    if (json_array_size(x.nodes) == 0)
        ix_error(&x, "E512", act,
                 "the activity has no <result>: there is nothing for a results "
                 "framework");
    const char *dl = ix_tocm(act, "default-levels");
    int defaults = dl && strcmp(dl, "true") == 0 && use_default_levels(&x);
    order_levels(&x, defaults);
    if (tocm_diags_errors(diags) == errors_before) {
        json_t *model = json_pack("{s:i, s:O, s:O}", "tocm", TOCM_FORMAT_VERSION, "program",
                                  x.program, "nodes", x.nodes);
        if (!defaults)
            json_object_set(model, "levels", x.levels);
        if (json_array_size(x.indicators)) {
            json_object_set(model, "indicators", x.indicators);
            ix_tables(&x, model, out);
        }
        if (tocm_diags_errors(diags) == errors_before)
            out->model = validated(&x, model, &out->model_len);
        json_decref(model);
    }
    json_decref(x.program);
    json_decref(x.levels);
    json_decref(x.level_rank);
    json_decref(x.nodes);
    json_decref(x.indicators);
    json_decref(x.node_ids);
    json_decref(x.ind_ids);
    json_decref(x.ind_line);
    json_decref(x.actuals);
    xmlFreeDoc(x.doc);
    if (!out->model) {
        tocm_import_output_free(out);
        return TOCM_EINVALID;
    }
    return TOCM_OK;
}
