/*
 * edit_set.c -- set and unset: one member of a node, an indicator, a table,
 * a level, the program or status, named by a path (core/path.h), so that
 * every plan field is reachable from the command line: `targets.2014:=15000`,
 * `baseline.value:=12`, `thresholds.on_track:=0.9`.
 *
 * The schema (core/schema.c) says what each member on the way holds: a
 * missing object is made only where the schema says the member is an object
 * (or a list, before [N]); anywhere else the path is refused, naming it,
 * since tocm cannot tell what the member should be. The value itself is not
 * checked here: the commit validates the whole model as a fresh load would,
 * and its findings name the JSON path.
 *
 * An operation changes the document as it walks (making objects on the
 * way); a copy of the object taken first is put back when it refuses, so a
 * refused operation leaves the document as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "edit_internal.h"
#include "model_internal.h"
#include "path.h"
#include "util.h"

/* What set and unset change: the object an id names. */
struct target {
    json_t *object; /* borrowed, or owned when attach is set */
    enum tocmp_place place;
    enum found kind;
    char *label; /* "'C202'", "table 'cases'", "the program": for notes (owned) */
    /* A level written as a plain string, or a status section not there yet:
     * object is new, and is put in place only when the operation succeeds. */
    json_t *attach_array; /* levels: the string entry at attach_index is replaced */
    size_t attach_index;
    const char *attach_key; /* the root's member "status" */
    int attach;
};

/* What the schema knows about a value: the kinds it may be, the place of
 * its members when it is an object, the row that describes it, and the row
 * that describes its entries when it is a list or a map. */
struct slot {
    unsigned kinds; /* 0: nothing known */
    enum tocmp_place place;
    const struct tocmp_field *field;
    const struct tocmp_field *entries;
};

static struct slot member_slot(const struct slot *parent, const char *key) {
    struct slot s = {0, TOCMP_PLACE_NONE, NULL, NULL};
    if (parent->entries && (parent->entries->flags & TOCMP_F_MAP)) {
        /* A member of a map (a period of targets, a table): its entry row. */
        s.kinds = parent->entries->items;
        s.place = parent->entries->place;
        return s;
    }
    const struct tocmp_field *f = tocmp_schema_field(parent->place, key);
    if (!f)
        return s;
    s.kinds = f->kinds;
    s.field = f;
    if ((f->flags & TOCMP_F_MAP) || (f->kinds & TOCMP_K_ARRAY))
        s.entries = f;
    else if (f->kinds & TOCMP_K_OBJECT)
        s.place = f->place;
    return s;
}

static struct slot entry_slot(const struct slot *parent) {
    struct slot s = {0, TOCMP_PLACE_NONE, NULL, NULL};
    if (parent->entries && !(parent->entries->flags & TOCMP_F_MAP)) {
        s.kinds = parent->entries->items;
        s.place = parent->entries->place;
    }
    return s;
}

/* The schema says the value may be an object (and says more than "any"). */
static int may_be(const struct slot *s, unsigned kind) {
    return (s->kinds & kind) && (s->kinds & TOCMP_K_ANY) != TOCMP_K_ANY;
}

/* ---- finding what an id names -------------------------------------------- */

static json_t *find_level(tocm_edit *e, const char *id, size_t *index) {
    json_t *levels = tocmp_edit_top_array(e, "levels");
    size_t i;
    json_t *l;
    json_array_foreach(levels, i, l) {
        const char *lid = json_is_string(l) ? json_string_value(l) : tocmp_edit_str_member(l, "id");
        if (lid && strcmp(lid, id) == 0) {
            *index = i;
            return l;
        }
    }
    return NULL;
}

static const char *kind_word(enum found k) {
    static const char *const words[] = {"",        "a node",      "an indicator",      "a table",
                                        "a level", "the program", "the status section"};
    return words[k];
}

static void target_free(struct target *t) {
    if (t->attach)
        json_decref(t->object);
    free(t->label);
}

/* Fills t with what id names under the edit's kind; on failure sets the
 * error and returns TOCM_EINVALID. */
static int resolve_target(tocm_edit *e, const char *id, struct target *t) {
    memset(t, 0, sizeof *t);
    enum tocm_edit_kind k = e->kind;
    int any = k == TOCM_EDIT_ANY;
    enum found hits[6];
    json_t *objects[6];
    size_t n = 0, level_index = 0;
    json_t *v;
    if ((any || k == TOCM_EDIT_NODE) && (v = tocmp_edit_find_node(e, id))) {
        hits[n] = FOUND_NODE;
        objects[n++] = v;
    }
    if ((any || k == TOCM_EDIT_INDICATOR) && (v = tocmp_edit_find_indicator(e, id))) {
        hits[n] = FOUND_INDICATOR;
        objects[n++] = v;
    }
    json_t *tables = json_object_get(e->doc, "tables");
    if ((any || k == TOCM_EDIT_TABLE) && json_is_object(v = json_object_get(tables, id))) {
        hits[n] = FOUND_TABLE;
        objects[n++] = v;
    }
    if ((any || k == TOCM_EDIT_LEVEL) && (v = find_level(e, id, &level_index))) {
        hits[n] = FOUND_LEVEL;
        objects[n++] = v;
    }
    if ((any || k == TOCM_EDIT_SECTION) && strcmp(id, "program") == 0) {
        hits[n] = FOUND_PROGRAM;
        objects[n++] = json_object_get(e->doc, "program");
    }
    if ((any || k == TOCM_EDIT_SECTION) && strcmp(id, "status") == 0) {
        hits[n] = FOUND_STATUS;
        objects[n++] = json_object_get(e->doc, "status");
    }
    if (n > 1) {
        if (n == 2 && hits[0] == FOUND_NODE && hits[1] == FOUND_INDICATOR)
            return tocmp_edit_refuse(
                e, "'%s' is both a node and an indicator; say which with --node or --indicator",
                id);
        return tocmp_edit_refuse(e,
                                 "'%s' names both %s and %s; say which with --node, --indicator, "
                                 "--table, --level or --section",
                                 id, kind_word(hits[0]), kind_word(hits[1]));
    }
    if (n == 0) {
        const char *what = k == TOCM_EDIT_NODE        ? "node"
                           : k == TOCM_EDIT_INDICATOR ? "indicator"
                           : k == TOCM_EDIT_TABLE     ? "table"
                           : k == TOCM_EDIT_LEVEL     ? "level"
                           : k == TOCM_EDIT_SECTION   ? "section"
                                                      : "node, indicator, table or level";
        return tocmp_edit_refuse(
            e, "%s has no %s '%s'%s", e->path, what, id,
            any || k == TOCM_EDIT_SECTION ? " ('program' and 'status' name those sections)" : "");
    }
    t->kind = hits[0];
    t->object = objects[0];
    t->place = tocmp_edit_place(t->kind);
    switch (t->kind) {
    case FOUND_TABLE: t->label = tocmp_asprintf("table '%s'", id); break;
    case FOUND_LEVEL: t->label = tocmp_asprintf("level '%s'", id); break;
    case FOUND_PROGRAM: t->label = tocmp_xstrdup("the program"); break;
    case FOUND_STATUS: t->label = tocmp_xstrdup("status"); break;
    default: t->label = tocmp_asprintf("'%s'", id); break;
    }
    if (t->kind == FOUND_LEVEL && json_is_string(t->object)) {
        /* "outcome" as a plain string becomes {"id": "outcome"} to take a
         * member; put in place only if the operation succeeds. */
        t->object = json_pack("{s:s}", "id", id);
        t->attach = 1;
        t->attach_array = tocmp_edit_top_array(e, "levels");
        t->attach_index = level_index;
    } else if ((t->kind == FOUND_STATUS || t->kind == FOUND_PROGRAM) &&
               !json_is_object(t->object)) {
        if (t->object) {
            tocmp_edit_refuse(e, "'%s' in %s is not an object; fix the file first", id, e->path);
            free(t->label);
            return TOCM_EINVALID;
        }
        t->object = json_object();
        t->attach = 1;
        t->attach_key = t->kind == FOUND_STATUS ? "status" : "program";
    }
    return TOCM_OK;
}

/* Puts a new object (a level that was a string, a new status section) in
 * place after a successful operation. */
static void target_attach(tocm_edit *e, struct target *t) {
    /* A level's {"id"} alone says what its string said. */
    if (!t->attach || json_object_size(t->object) <= (t->attach_array ? 1u : 0u))
        return;
    if (t->attach_array)
        json_array_set(t->attach_array, t->attach_index, t->object);
    else
        json_object_set(e->doc, t->attach_key, t->object);
}

/* ---- walking a path ------------------------------------------------------- */

static json_t *child_of(json_t *container, const struct tocmp_seg *seg) {
    if (seg->kind == TOCMP_SEG_KEY)
        return json_is_object(container) ? json_object_get(container, seg->key) : NULL;
    if (seg->kind == TOCMP_SEG_INDEX)
        return json_is_array(container) ? json_array_get(container, seg->index) : NULL;
    return NULL;
}

static struct slot slot_of(const struct slot *parent, const struct tocmp_seg *seg) {
    return seg->kind == TOCMP_SEG_KEY ? member_slot(parent, seg->key) : entry_slot(parent);
}

/* Walks p but its last segment from t's object. create: make what is
 * missing on the way (where the schema allows); otherwise a missing member
 * stops the walk with *missing set. Fills chain[0..count-1] with the
 * containers passed (chain[0] is the object), *slot with the last
 * container's slot. Returns TOCM_OK, or TOCM_EINVALID with the error set. */
static int walk(tocm_edit *e, const struct target *t, const struct tocmp_path *p, int create,
                json_t **chain, struct slot *slot, int *missing) {
    struct slot s = {TOCMP_K_OBJECT, t->place, NULL, NULL};
    json_t *cur = t->object;
    chain[0] = cur;
    *missing = 0;
    *slot = s; /* defined on every return, a missing member's too */
    for (size_t i = 0; i + 1 < p->count; i++) {
        const struct tocmp_seg *seg = &p->segs[i], *next = &p->segs[i + 1];
        char *where = tocmp_path_text(p, i + 1);
        int rc = TOCM_OK;
        if (seg->kind == TOCMP_SEG_APPEND) {
            rc = tocmp_edit_refuse(e,
                                   "[] adds a new entry and must end the path: give the entry "
                                   "whole, e.g. %s:='{...}'",
                                   where);
            free(where);
            return rc;
        }
        struct slot cs = slot_of(&s, seg);
        json_t *child = child_of(cur, seg);
        int want_object = next->kind == TOCMP_SEG_KEY;
        if (!child && seg->kind == TOCMP_SEG_INDEX) {
            rc = tocmp_edit_refuse(e, "'%.*s' of %s has %zu entr%s; there is no [%zu]",
                                   (int)(strrchr(where, '[') - where), where, t->label,
                                   json_array_size(cur), json_array_size(cur) == 1 ? "y" : "ies",
                                   seg->index);
        } else if (!child && !create) {
            *missing = 1;
        } else if (!child) {
            if (want_object ? may_be(&cs, TOCMP_K_OBJECT) : may_be(&cs, TOCMP_K_ARRAY)) {
                child = want_object ? json_object() : json_array();
                json_object_set_new(cur, seg->key, child);
            } else {
                rc = tocmp_edit_refuse(e,
                                       "%s has no '%s', and tocm cannot tell what it should hold; "
                                       "give it whole, e.g. %s:='%s'",
                                       t->label, where, where, want_object ? "{...}" : "[...]");
            }
        } else if (want_object && !json_is_object(child)) {
            /* A target written as a number or a text takes members in its
             * object form: 15000 becomes {"value": 15000}. */
            if (may_be(&cs, TOCMP_K_OBJECT) && json_is_number(child) &&
                (cs.kinds & TOCMP_K_NUMBER)) {
                json_t *obj = json_pack("{s:O}", "value", child);
                json_object_set_new(cur, seg->key, obj);
                child = obj;
            } else if (may_be(&cs, TOCMP_K_OBJECT) && json_is_string(child) &&
                       (cs.kinds & TOCMP_K_STRING)) {
                json_t *obj = json_pack("{s:O}", "text", child);
                json_object_set_new(cur, seg->key, obj);
                child = obj;
            } else {
                rc = tocmp_edit_refuse(e, "'%s' of %s is %s, not an object with members", where,
                                       t->label, tocmp_json_kind_name(child));
            }
        } else if (!want_object && !json_is_array(child)) {
            rc = tocmp_edit_refuse(e, "'%s' of %s is %s, not a list", where, t->label,
                                   tocmp_json_kind_name(child));
        }
        free(where);
        if (rc != TOCM_OK || *missing)
            return rc;
        cur = child;
        s = cs;
        chain[i + 1] = cur;
    }
    *slot = s;
    return TOCM_OK;
}

/* ---- assign --------------------------------------------------------------- */

static char *value_text(json_t *v) {
    if (json_is_string(v))
        return tocmp_asprintf("\"%s\"", json_string_value(v));
    if (json_is_real(v)) {
        /* As fmt writes it: 0.9, not 0.90000000000000002. */
        size_t len;
        char *s = tocmp_format_json(v, &len);
        s[len - 1] = '\0'; /* its final newline */
        return s;
    }
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    char *copy = tocmp_xstrdup(s ? s : "?");
    free(s);
    return copy;
}

/* += and -= on list (which exists). */
static int list_change(tocm_edit *e, const struct target *t, json_t *list, const char *key, char op,
                       const char *text) {
    if (op == '+') {
        if (tocmp_edit_find_string(list, text) >= 0) {
            tocmp_edit_note(e, "\"%s\" is already in '%s' of %s", text, key, t->label);
            return TOCM_OK;
        }
        json_t *s = json_string(text);
        if (!s)
            return tocmp_edit_refuse(e, "the value of '%s' is not valid UTF-8 text", key);
        json_array_append_new(list, s);
        tocmp_edit_note(e, "added \"%s\" to '%s' of %s", text, key, t->label);
        return TOCM_OK;
    }
    if (tocmp_edit_find_string(list, text) < 0)
        return tocmp_edit_refuse(e, "\"%s\" is not in '%s' of %s", text, key, t->label);
    tocmp_edit_remove_string(list, text);
    tocmp_edit_note(e, "took \"%s\" out of '%s' of %s", text, key, t->label);
    return TOCM_OK;
}

/* The value of KEY=TEXT or KEY:=JSON; NULL with the error set. */
static json_t *parse_value(tocm_edit *e, const struct slot *ls, const char *key, char op,
                           const char *text) {
    const struct tocmp_field *f = ls->field;
    if (op == '=') {
        /* Lists get a hint before the validator's plainer "must be an
         * array" would refuse the change. */
        if (f && (f->flags & TOCMP_F_LIST) && (f->kinds & TOCMP_K_BOOL)) {
            tocmp_edit_refuse(e,
                              "'%s' is true, false or a list of ids: use %s:=true, %s:=false or "
                              "%s+=ID",
                              key, key, key, key);
            return NULL;
        }
        if (f && (f->flags & TOCMP_F_LIST)) {
            tocmp_edit_refuse(e,
                              "'%s' is a list: use %s+=TEXT to add an entry, %s-=TEXT to take "
                              "one out, or %s:='[\"A\", \"B\"]' to replace the whole list",
                              key, key, key, key);
            return NULL;
        }
        json_t *v = json_string(text);
        if (!v)
            tocmp_edit_refuse(e, "the value of '%s' is not valid UTF-8 text", key);
        return v;
    }
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!v)
        tocmp_edit_refuse(e,
                          "the value of '%s' is not valid JSON (%s); a text needs quotes, e.g. "
                          "%s:='\"text\"', or use %s=text",
                          key, jerr.text, key, key);
    return v;
}

/* The assignment's last step: container is the object or list that holds
 * the member the last segment names; s is container's slot. */
static int assign_last(tocm_edit *e, const struct target *t, const struct tocmp_path *p,
                       json_t *container, const struct slot *s, char op, const char *text) {
    const struct tocmp_seg *seg = &p->segs[p->count - 1];
    struct slot ls = seg->kind == TOCMP_SEG_KEY ? member_slot(s, seg->key) : entry_slot(s);
    char *key = tocmp_path_text(p, p->count);
    json_t *old = child_of(container, seg);
    json_t *value = NULL;
    char *shown = NULL;
    int rc = TOCM_OK;
    if (seg->kind == TOCMP_SEG_INDEX && !old) {
        rc = tocmp_edit_refuse(
            e, "'%s' of %s has %zu entr%s; there is no [%zu] (use [] to add one)", key, t->label,
            json_array_size(container), json_array_size(container) == 1 ? "y" : "ies", seg->index);
        goto out;
    }
    if (op == '+' || op == '-') {
        if (seg->kind == TOCMP_SEG_APPEND) {
            rc = tocmp_edit_refuse(e, "[] adds an entry: write %s=TEXT or %s:=JSON", key, key);
            goto out;
        }
        if (old && !json_is_array(old)) {
            rc = tocmp_edit_refuse(e, "'%s' of %s is not a list, so %s%c= cannot %s it", key,
                                   t->label, key, op, op == '+' ? "add to" : "take from");
            goto out;
        }
        if (!old && ls.kinds && !(ls.kinds & TOCMP_K_ARRAY)) {
            char *what = ls.field ? tocmp_schema_expected(ls.field) : tocmp_xstrdup("not a list");
            rc =
                tocmp_edit_refuse(e,
                                  "'%s' is %s, not a list, so %s%c= cannot %s it; use %s=TEXT "
                                  "or %s:=JSON",
                                  key, what, key, op, op == '+' ? "add to" : "take from", key, key);
            free(what);
            goto out;
        }
        if (!old && op == '-') {
            rc = tocmp_edit_refuse(e, "\"%s\" is not in '%s' of %s", text, key, t->label);
            goto out;
        }
        if (!old) {
            old = json_array();
            json_object_set_new(container, seg->key, old);
        }
        rc = list_change(e, t, old, key, op, text);
        if (rc == TOCM_OK && seg->kind == TOCMP_SEG_KEY)
            tocmp_edit_drop_if_empty(container, seg->key);
        goto out;
    }
    value = parse_value(e, &ls, key, op, text);
    if (!value) {
        rc = TOCM_EINVALID;
        goto out;
    }
    shown = value_text(value);
    if (old && json_equal(old, value)) {
        tocmp_edit_note(e, "'%s' of %s is already %s", key, t->label, shown);
        goto out;
    }
    int failed = seg->kind == TOCMP_SEG_KEY     ? json_object_set(container, seg->key, value)
                 : seg->kind == TOCMP_SEG_INDEX ? json_array_set(container, seg->index, value)
                                                : json_array_append(container, value);
    if (failed) {
        rc = tocmp_edit_refuse(e, "cannot set '%s' of %s", key, t->label);
        goto out;
    }
    if (seg->kind == TOCMP_SEG_APPEND)
        tocmp_edit_note(e, "added %s to '%.*s' of %s", shown, (int)(strlen(key) - 2), key,
                        t->label);
    else
        tocmp_edit_note(e, "set '%s' of %s to %s", key, t->label, shown);
out:
    json_decref(value);
    free(shown);
    free(key);
    return rc;
}

/* Puts the object's members back as they were (snapshot: a deep copy). */
static void restore(json_t *object, json_t *snapshot) {
    json_object_clear(object);
    json_object_update(object, snapshot);
}

/* op: the assignment's operator, named in the message; 0 for unset. */
static int parse_key(tocm_edit *e, const char *text, size_t len, char op, struct tocmp_path *p) {
    char *err;
    if (tocmp_path_parse(text, len, p, &err) != 0) {
        tocmp_edit_refuse(e, "%s", err);
        free(err);
        return TOCM_EINVALID;
    }
    for (size_t i = 0; i < p->count; i++) {
        if (p->segs[i].kind == TOCMP_SEG_KEY && !tocmp_edit_is_utf8(p->segs[i].key)) {
            tocmp_path_free(p);
            if (op)
                return tocmp_edit_refuse(e, "the field name before '%c' is not valid UTF-8 text",
                                         op);
            return tocmp_edit_refuse(e, "the field name is not valid UTF-8 text");
        }
    }
    return TOCM_OK;
}

int tocm_edit_assign(tocm_edit *e, const char *id, const char *assignment) {
    size_t end = tocmp_path_key_end(assignment);
    if (!assignment[end] || end == 0)
        return tocmp_edit_refuse(e,
                                 "'%s' is not an assignment: write KEY=TEXT, KEY:=JSON, KEY+=TEXT "
                                 "or KEY-=TEXT",
                                 assignment);
    char op = '=';
    size_t key_len = end;
    if (key_len > 1 && strchr(":+-", assignment[end - 1])) {
        op = assignment[end - 1];
        key_len--;
    }
    const char *text = assignment + end + 1;
    struct tocmp_path p;
    if (parse_key(e, assignment, key_len, op, &p) != TOCM_OK)
        return TOCM_EINVALID;
    struct target t;
    if (resolve_target(e, id, &t) != TOCM_OK) {
        tocmp_path_free(&p);
        return TOCM_EINVALID;
    }
    int rc = TOCM_OK;
    const struct tocmp_seg *first = &p.segs[0];
    const char *links = tocmp_edit_links_field(t.kind);
    if (p.count == 1 && strcmp(first->key, "id") == 0 &&
        (t.kind == FOUND_NODE || t.kind == FOUND_INDICATOR || t.kind == FOUND_LEVEL)) {
        rc = t.kind == FOUND_LEVEL
                 ? tocmp_edit_refuse(e, "a level's id is what its nodes name in 'level'; it "
                                        "cannot be changed with set")
                 : tocmp_edit_refuse(e,
                                     "an id is changed with 'tocm rename MODEL %s NEW', which "
                                     "also updates every link to it",
                                     id);
    } else if (p.count == 1 && links && (t.kind == FOUND_NODE || t.kind == FOUND_INDICATOR) &&
               strcmp(first->key, links) == 0 && (op == '+' || op == '-')) {
        rc = op == '+' ? tocm_edit_link(e, id, text, 0) : tocm_edit_unlink(e, id, text);
    } else {
        json_t *snapshot = json_deep_copy(t.object);
        json_t **chain = tocmp_xcalloc(p.count, sizeof *chain);
        struct slot s;
        int missing;
        rc = walk(e, &t, &p, 1, chain, &s, &missing);
        if (rc == TOCM_OK)
            rc = assign_last(e, &t, &p, chain[p.count - 1], &s, op, text);
        if (rc != TOCM_OK)
            restore(t.object, snapshot);
        else
            target_attach(e, &t);
        free(chain);
        json_decref(snapshot);
    }
    target_free(&t);
    tocmp_path_free(&p);
    return rc;
}

/* ---- unset ---------------------------------------------------------------- */

/* Removes containers the removal left empty, from the innermost out (never
 * the object itself). */
static void prune(tocm_edit *e, const struct target *t, const struct tocmp_path *p,
                  json_t **chain) {
    for (size_t i = p->count - 1; i-- > 0;) {
        json_t *c = chain[i + 1];
        if (json_is_object(c) ? json_object_size(c) : json_array_size(c))
            return;
        const struct tocmp_seg *seg = &p->segs[i];
        if (seg->kind == TOCMP_SEG_KEY)
            json_object_del(chain[i], seg->key);
        else
            json_array_remove(chain[i], seg->index);
        char *where = tocmp_path_text(p, i + 1);
        tocmp_edit_note(e, "removed '%s' of %s, left empty", where, t->label);
        free(where);
    }
}

int tocm_edit_unset(tocm_edit *e, const char *id, const char *key_text) {
    struct tocmp_path p;
    if (parse_key(e, key_text, strlen(key_text), 0, &p) != TOCM_OK)
        return TOCM_EINVALID;
    struct target t;
    if (resolve_target(e, id, &t) != TOCM_OK) {
        tocmp_path_free(&p);
        return TOCM_EINVALID;
    }
    char *key = tocmp_path_text(&p, p.count);
    json_t **chain = tocmp_xcalloc(p.count, sizeof *chain);
    struct slot s;
    int missing, rc = walk(e, &t, &p, 0, chain, &s, &missing);
    const struct tocmp_seg *seg = &p.segs[p.count - 1];
    if (rc != TOCM_OK)
        goto out;
    if (seg->kind == TOCMP_SEG_APPEND) {
        rc = tocmp_edit_refuse(e, "[] names a new entry; there is nothing to remove");
        goto out;
    }
    if (missing) {
        /* The walk stopped at a missing member: nothing below it exists. */
        tocmp_edit_note(e, "%s has no '%s'; nothing to remove", t.label, key);
        goto out;
    }
    struct slot ls = seg->kind == TOCMP_SEG_KEY ? member_slot(&s, seg->key) : entry_slot(&s);
    if (ls.field && (ls.field->flags & TOCMP_F_REQUIRED)) {
        rc = tocmp_edit_refuse(e, "every %s needs its '%s'; set it to something else instead",
                               tocmp_schema_place(s.place)->name, key);
        goto out;
    }
    json_t *container = chain[p.count - 1];
    if (missing || !child_of(container, seg)) {
        tocmp_edit_note(e, "%s has no '%s'; nothing to remove", t.label, key);
        goto out;
    }
    if (seg->kind == TOCMP_SEG_KEY)
        json_object_del(container, seg->key);
    else
        json_array_remove(container, seg->index);
    tocmp_edit_note(e, "removed '%s' of %s", key, t.label);
    if (p.count == 1 && ls.field && (ls.field->flags & TOCMP_F_LINKS)) {
        /* Other lists of ids (a node's inferred marks) were about links
         * that are gone. */
        const struct tocmp_field *ids[16];
        size_t n = tocmp_edit_id_fields(t.kind, ids);
        for (size_t i = 0; i < n; i++) {
            if (ids[i] == ls.field || !json_is_array(json_object_get(t.object, ids[i]->name)))
                continue;
            json_object_del(t.object, ids[i]->name);
            tocmp_edit_note(e, "removed the %s marks of %s with its links", ids[i]->name, t.label);
        }
    }
    prune(e, &t, &p, chain);
    target_attach(e, &t);
out:
    free(chain);
    free(key);
    target_free(&t);
    tocmp_path_free(&p);
    return rc;
}
