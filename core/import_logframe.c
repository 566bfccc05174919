/*
 * import_logframe.c -- a logframe sheet (CSV) into a tocm model
 * (interchange.h, models/FORMAT.md "Importing a logframe sheet").
 *
 * One row per result or indicator: a row with a level, id and title is a
 * result (with its first indicator, when the row names one); a row with
 * those three empty and an indicator adds an indicator to the result above,
 * as sheets with merged cells save. Every bad row is reported with its line
 * (E501 the sheet, E502 a row, E503 a value) and nothing is returned unless
 * the whole sheet is good and the model it makes validates.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "import_csv.h"
#include "tocm/interchange.h"
#include "util.h"

enum col {
    C_LEVEL,
    C_ID,
    C_TITLE,
    C_PARENT,
    C_INDICATOR,
    C_INDICATOR_ID,
    C_UNIT,
    C_BASELINE,
    C_BASELINE_YEAR,
    C_SOURCE,
    C_ASSUMPTIONS,
    C_DESCRIPTION,
    C_LOP_TARGET,
    C_COUNT
};

/* The names --column takes, and the headers recognised without it
 * (compared without case, spaces and punctuation at the ends). */
static const struct {
    const char *name;
    const char *headers[6];
} columns[C_COUNT] = {
    [C_LEVEL] = {"level", {"level", "tier", "results level"}},
    [C_ID] = {"id", {"id", "code", "ref", "result id"}},
    [C_TITLE] = {"title", {"title", "result", "narrative summary", "result statement"}},
    [C_PARENT] = {"parent", {"parent", "parent id", "contributes to", "contributes_to"}},
    [C_INDICATOR] = {"indicator", {"indicator", "indicators", "indicator title"}},
    [C_INDICATOR_ID] = {"indicator_id", {"indicator id", "indicator code"}},
    [C_UNIT] = {"unit", {"unit", "unit of measure"}},
    [C_BASELINE] = {"baseline", {"baseline", "baseline value"}},
    [C_BASELINE_YEAR] = {"baseline_year", {"baseline year", "baseline period"}},
    [C_SOURCE] = {"source",
                  {"source", "sources", "means of verification", "sources of verification", "mov"}},
    [C_ASSUMPTIONS] = {"assumptions", {"assumptions", "assumption", "assumptions and risks"}},
    [C_DESCRIPTION] = {"description", {"description", "notes"}},
    [C_LOP_TARGET] = {"lop_target", {"lop target", "life of program target", "end target"}},
};

struct target_col {
    size_t col;
    char *period;
};

struct ctx {
    const char *file;
    tocm_diags *d;
    struct tocmp_csv csv;
    long col[C_COUNT]; /* -1: no such column */
    struct target_col *targets;
    size_t target_count;
    json_t *levels;      /* array of {id, title[, outcome]} */
    json_t *nodes;       /* array */
    json_t *indicators;  /* array */
    json_t *node_line;   /* id -> line */
    json_t *ind_line;    /* indicator id -> line */
    json_t *parent_line; /* array of [node index, parent id, line] to check at the end */
};

static void err(struct ctx *c, const char *code, size_t line, const char *node, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));
static void err(struct ctx *c, const char *code, size_t line, const char *node, const char *fmt,
                ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = tocmp_vasprintf(fmt, ap);
    va_end(ap);
    tocm_diags_add(c->d, TOCM_SEV_ERROR, code, c->file, (int)line, 0, "", node, "%s", msg);
    free(msg);
}

/* A header or cell without surrounding spaces. new. */
static char *trimmed(const char *s) {
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return tocmp_asprintf("%.*s", (int)n, s);
}

/* A header compared loosely: lower case, '_' and '-' as spaces, no ':'. */
static char *loose(const char *s) {
    char *t = trimmed(s);
    size_t o = 0;
    for (size_t i = 0; t[i]; i++) {
        char ch = (char)tolower((unsigned char)t[i]);
        if (ch == '_' || ch == '-')
            ch = ' ';
        if (ch == ':' || ch == '*')
            continue;
        if (ch == ' ' && (o == 0 || t[o - 1] == ' '))
            continue;
        t[o++] = ch;
    }
    while (o && t[o - 1] == ' ')
        o--;
    t[o] = '\0';
    return t;
}

static const char *cell(struct ctx *c, const struct tocmp_csv_record *r, enum col k) {
    long i = c->col[k];
    return i >= 0 && (size_t)i < r->count ? r->fields[i] : "";
}

static int blank(const char *s) {
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

/* "Target 2025", "2025 target", "Target: 2025-Q1" -> "2025...". new, or NULL. */
static char *target_period(const char *header) {
    char *h = loose(header), *p = NULL;
    size_t n = strlen(h);
    if (strncmp(h, "target ", 7) == 0)
        p = tocmp_xstrdup(h + 7);
    else if (n > 7 && strcmp(h + n - 7, " target") == 0)
        p = tocmp_asprintf("%.*s", (int)(n - 7), h);
    free(h);
    if (p && (!*p || strcmp(p, "lop") == 0)) {
        free(p);
        return NULL;
    }
    if (p) /* the period as written, upper case for quarters (2025-q1) */
        for (char *q = p; *q; q++)
            *q = *q == ' ' ? '-' : (char)toupper((unsigned char)*q);
    return p;
}

static int map_headers(struct ctx *c, const struct tocm_logframe_options *o) {
    const struct tocmp_csv_record *h = &c->csv.records[0];
    for (int k = 0; k < C_COUNT; k++)
        c->col[k] = -1;
    int ok = 1;
    /* --column NAME=HEADER first: they win. */
    for (size_t m = 0; o && m < o->mapping_count; m++) {
        const char *eq = strchr(o->mappings[m], '=');
        if (!eq) {
            err(c, "E501", 1, NULL, "--column '%s' is not NAME=HEADER", o->mappings[m]);
            ok = 0;
            continue;
        }
        char *name = tocmp_asprintf("%.*s", (int)(eq - o->mappings[m]), o->mappings[m]);
        char *want = loose(eq + 1);
        int k = -1;
        for (int i = 0; i < C_COUNT; i++)
            if (strcmp(columns[i].name, name) == 0)
                k = i;
        int is_target = strncmp(name, "target:", 7) == 0 && name[7];
        long found = -1;
        for (size_t i = 0; i < h->count && found < 0; i++) {
            char *have = loose(h->fields[i]);
            if (strcmp(have, want) == 0)
                found = (long)i;
            free(have);
        }
        if (k < 0 && !is_target) {
            tocmp_buf names = {0};
            for (int i = 0; i < C_COUNT; i++)
                tocmp_buf_printf(&names, "%s, ", columns[i].name);
            err(c, "E501", 1, NULL, "--column: no field '%s'; the fields are %starget:PERIOD", name,
                names.data);
            free(names.data);
            ok = 0;
        } else if (found < 0) {
            err(c, "E501", 1, NULL, "--column %s: the header has no column '%s'", name, eq + 1);
            ok = 0;
        } else if (is_target) {
            c->targets = tocmp_xrealloc(c->targets, (c->target_count + 1) * sizeof *c->targets);
            c->targets[c->target_count++] =
                (struct target_col){(size_t)found, tocmp_xstrdup(name + 7)};
        } else {
            c->col[k] = found;
        }
        free(want);
        free(name);
    }
    for (size_t i = 0; i < h->count; i++) {
        int taken = 0;
        for (int k = 0; k < C_COUNT; k++)
            taken |= c->col[k] == (long)i;
        for (size_t t = 0; t < c->target_count; t++)
            taken |= c->targets[t].col == i;
        if (taken)
            continue;
        char *have = loose(h->fields[i]);
        for (int k = 0; k < C_COUNT && !taken; k++)
            for (int a = 0; columns[k].headers[a] && !taken; a++)
                if (c->col[k] < 0 && strcmp(have, columns[k].headers[a]) == 0)
                    c->col[k] = (long)i, taken = 1;
        if (!taken && strcmp(have, "target") == 0 && c->col[C_LOP_TARGET] < 0)
            c->col[C_LOP_TARGET] = (long)i, taken = 1;
        char *period = taken ? NULL : target_period(h->fields[i]);
        if (period) {
            c->targets = tocmp_xrealloc(c->targets, (c->target_count + 1) * sizeof *c->targets);
            c->targets[c->target_count++] = (struct target_col){i, period};
        }
        free(have);
    }
    static const enum col required[] = {C_LEVEL, C_ID, C_TITLE};
    for (size_t r = 0; r < sizeof required / sizeof required[0]; r++) {
        if (c->col[required[r]] >= 0)
            continue;
        err(c, "E501", 1, NULL,
            "the header has no '%s' column (name the column that holds it with --column "
            "%s=HEADER)",
            columns[required[r]].name, columns[required[r]].name);
        ok = 0;
    }
    return ok;
}

/* ---- values ----------------------------------------------------------- */

enum value_kind { V_EMPTY, V_NUMBER, V_PENDING, V_TEXT };
struct value {
    enum value_kind kind;
    double number;
    int percent;
    char *text; /* V_TEXT and V_PENDING: as written. new */
};

/* "10,000" "54%" "12.5" "TBC" "n/a" "Draft SOP agreed". */
static struct value read_value(const char *raw) {
    struct value v = {V_EMPTY, 0, 0, NULL};
    char *s = trimmed(raw);
    char *l = loose(s);
    if (!*s || strcmp(l, "n/a") == 0 || strcmp(l, "na") == 0 || strcmp(s, "-") == 0 ||
        strcmp(s, "\xE2\x80\x93") == 0) {
        free(s);
        free(l);
        return v;
    }
    static const char *const pending[] = {"tbc", "tbd", "to be confirmed", "to be determined",
                                          "pending"};
    for (size_t i = 0; i < sizeof pending / sizeof pending[0]; i++)
        if (strcmp(l, pending[i]) == 0) {
            free(l);
            v.kind = V_PENDING;
            v.text = s;
            return v;
        }
    free(l);
    /* A number: digits with thousands separators in threes, a point, a %. */
    char digits[64];
    size_t n = 0, len = strlen(s);
    int percent = len > 0 && s[len - 1] == '%';
    if (percent)
        len--;
    while (len && s[len - 1] == ' ')
        len--;
    int ok = len > 0 && len < sizeof digits;
    size_t group = 0;
    int seen_comma = 0, seen_point = 0;
    for (size_t i = 0; ok && i < len; i++) {
        char ch = s[i];
        if (ch == ',' && !seen_point && group > 0 && group <= 3 && (!seen_comma || group == 3)) {
            seen_comma = 1, group = 0;
        } else if (ch == '.' && !seen_point && (!seen_comma || group == 3)) {
            seen_point = 1, digits[n++] = ch;
        } else if ((ch == '-' || ch == '+') && i == 0) {
            digits[n++] = ch;
        } else if (ch >= '0' && ch <= '9') {
            digits[n++] = ch, group++;
        } else {
            ok = 0;
        }
    }
    if (ok && seen_comma && !seen_point && group != 3)
        ok = 0;
    digits[n] = '\0';
    char *end;
    double d = ok ? strtod(digits, &end) : 0;
    if (ok && *end == '\0' && n && isfinite(d)) {
        v.kind = V_NUMBER;
        v.number = d;
        v.percent = percent;
        free(s);
        return v;
    }
    v.kind = V_TEXT;
    v.text = s;
    return v;
}

/* ---- rows -------------------------------------------------------------- */

static char *slug(const char *text) {
    char *l = loose(text);
    for (char *p = l; *p; p++)
        if (*p == ' ')
            *p = '-';
    return l;
}

static const char *level_of(struct ctx *c, const char *title) {
    char *id = slug(title);
    size_t i;
    json_t *l;
    json_array_foreach(c->levels, i, l) {
        if (strcmp(json_string_value(json_object_get(l, "id")), id) == 0) {
            free(id);
            return json_string_value(json_object_get(l, "id"));
        }
    }
    char *lo = loose(title);
    /* Tiers of outcomes (rule W202 expects contributions to them). */
    int outcome = strstr(lo, "outcome") || strstr(lo, "objective") || strstr(lo, "purpose") ||
                  strstr(lo, "result");
    free(lo);
    json_t *level = json_pack("{s:s, s:s}", "id", id, "title", title);
    if (outcome)
        json_object_set_new(level, "outcome", json_true());
    json_array_append_new(c->levels, level);
    free(id);
    return json_string_value(json_object_get(level, "id"));
}

/* Items of a list cell: "a; b" or lines. */
static json_t *list_of(const char *raw, const char *separators) {
    json_t *list = json_array();
    char *s = tocmp_xstrdup(raw);
    for (char *save = NULL, *tok = strtok_r(s, separators, &save); tok;
         tok = strtok_r(NULL, separators, &save)) {
        char *t = trimmed(tok);
        if (*t)
            json_array_append_new(list, json_string(t));
        free(t);
    }
    free(s);
    return list;
}

struct pending_ind {
    json_t *ind;
    size_t line;
    struct value baseline;
    struct value lop;
    struct value *targets; /* target_count */
};

static void add_indicator(struct ctx *c, const struct tocmp_csv_record *r, const char *node_id,
                          size_t ordinal, struct pending_ind *out) {
    char *title = trimmed(cell(c, r, C_INDICATOR));
    char *id = trimmed(cell(c, r, C_INDICATOR_ID));
    if (!*id) {
        free(id);
        id = tocmp_asprintf("%s-%zu", node_id, ordinal);
    }
    json_t *seen = json_object_get(c->ind_line, id);
    if (seen)
        err(c, "E502", r->line, node_id, "indicator id '%s' is already used on line %lld", id,
            (long long)json_integer_value(seen));
    else
        json_object_set_new(c->ind_line, id, json_integer((json_int_t)r->line));
    json_t *ind = json_pack("{s:s, s:s, s:[s]}", "id", id, "title", title, "nodes", node_id);
    char *unit = trimmed(cell(c, r, C_UNIT));
    if (*unit && strcmp(unit, "%") != 0)
        json_object_set_new(ind, "unit", json_string(unit));
    char *source = trimmed(cell(c, r, C_SOURCE));
    if (*source)
        json_object_set_new(ind, "verification", json_string(source));
    out->ind = ind;
    out->line = r->line;
    out->baseline = read_value(cell(c, r, C_BASELINE));
    out->lop = read_value(cell(c, r, C_LOP_TARGET));
    out->targets = tocmp_xcalloc(c->target_count + 1, sizeof *out->targets);
    for (size_t t = 0; t < c->target_count; t++)
        out->targets[t] =
            read_value(c->targets[t].col < r->count ? r->fields[c->targets[t].col] : "");
    if (strcmp(unit, "%") == 0 || strcasecmp(unit, "percent") == 0 ||
        strcasecmp(unit, "percentage") == 0)
        out->baseline.percent = 1; /* read below as "the indicator is a percentage" */
    char *year = trimmed(cell(c, r, C_BASELINE_YEAR));
    if (*year)
        json_object_set_new(ind, "baseline_year_", json_string(year));
    free(year);
    free(source);
    free(unit);
    free(title);
    free(id);
}

static json_t *number_json(double d) {
    if (d == floor(d) && fabs(d) < 1e15)
        return json_integer((json_int_t)d);
    return json_real(d);
}

/* The measure from the values, then the plan in it: E503 for a text among
 * numbers. */
static void finish_indicator(struct ctx *c, struct pending_ind *p) {
    struct value *all[66];
    size_t n = 0;
    all[n++] = &p->baseline;
    all[n++] = &p->lop;
    for (size_t t = 0; t < c->target_count && n < 66; t++)
        all[n++] = &p->targets[t];
    int numbers = 0, texts = 0, percent = p->baseline.percent;
    for (size_t i = 0; i < n; i++) {
        numbers += all[i]->kind == V_NUMBER;
        texts += all[i]->kind == V_TEXT;
        percent |= all[i]->kind == V_NUMBER && all[i]->percent;
    }
    const char *id = json_string_value(json_object_get(p->ind, "id"));
    int qualitative = texts && !numbers;
    const char *measure = qualitative ? "qualitative" : percent ? "percentage" : "unit";
    if (numbers && texts) {
        for (size_t i = 0; i < n; i++)
            if (all[i]->kind == V_TEXT) {
                const char *where = i == 0   ? "the baseline"
                                    : i == 1 ? "the life-of-program target"
                                             : "a target";
                err(c, "E503", p->line, id,
                    "indicator '%s': %s '%s' is not a number, and its other figures are (write "
                    "10000 or 10,000; TBC for one to be confirmed)",
                    id, where, all[i]->text);
            }
    }
    json_object_set_new(p->ind, "measure", json_string(measure));
    json_object_set_new(p->ind, "calculator", json_string("recorded"));
    json_object_set_new(p->ind, "table", json_string("results"));
    json_object_set_new(p->ind, "filter", json_pack("{s:s}", "indicator", id));
    if (qualitative) /* its figures are texts, in the table's text column */
        json_object_set_new(p->ind, "params", json_pack("{s:s}", "column", "text"));
    json_object_set_new(p->ind, "period", json_string("period"));
    json_t *year = json_incref(json_object_get(p->ind, "baseline_year_"));
    json_object_del(p->ind, "baseline_year_");
    if (p->baseline.kind != V_EMPTY) {
        json_t *b = json_object();
        if (year)
            json_object_set(b, "period", year);
        if (p->baseline.kind == V_NUMBER)
            json_object_set_new(b, "value", number_json(p->baseline.number));
        else if (p->baseline.kind == V_TEXT && qualitative)
            json_object_set_new(b, "text", json_string(p->baseline.text));
        else if (p->baseline.kind == V_PENDING)
            json_object_set_new(b, "pending", json_true()),
                json_object_set_new(b, "note", json_string(p->baseline.text));
        json_object_set_new(p->ind, "baseline", b);
    }
    json_decref(year);
    json_t *targets = json_object();
    for (size_t t = 0; t < c->target_count; t++) {
        struct value *v = &p->targets[t];
        json_t *j = v->kind == V_NUMBER                ? number_json(v->number)
                    : v->kind == V_TEXT && qualitative ? json_string(v->text)
                    : v->kind == V_PENDING ? json_pack("{s:b, s:s}", "pending", 1, "note", v->text)
                                           : NULL;
        if (j)
            json_object_set_new(targets, c->targets[t].period, j);
    }
    if (json_object_size(targets))
        json_object_set_new(p->ind, "targets", targets);
    else
        json_decref(targets);
    if (p->lop.kind == V_NUMBER)
        json_object_set_new(p->ind, "lop_target", number_json(p->lop.number));
    else if (p->lop.kind == V_TEXT && qualitative)
        json_object_set_new(p->ind, "lop_target", json_string(p->lop.text));
    json_array_append(c->indicators, p->ind);
    for (size_t i = 0; i < n; i++)
        free(all[i]->text);
    free(p->targets);
    json_decref(p->ind);
}

static void read_rows(struct ctx *c) {
    json_t *current = NULL; /* the node rows without one of their own attach to */
    size_t ordinal = 0;
    int bad_above = 0; /* the result above was refused: its indicators are not named again */
    for (size_t ri = 1; ri < c->csv.count; ri++) {
        const struct tocmp_csv_record *r = &c->csv.records[ri];
        size_t width = c->csv.records[0].count;
        if (r->count != width) {
            err(c, "E501", r->line, NULL, "this row has %zu fields, the header %zu", r->count,
                width);
            continue;
        }
        int any = 0;
        for (size_t f = 0; f < r->count; f++)
            any |= !blank(r->fields[f]);
        if (!any)
            continue;
        char *level = trimmed(cell(c, r, C_LEVEL)), *id = trimmed(cell(c, r, C_ID)),
             *title = trimmed(cell(c, r, C_TITLE));
        int has_node = *level || *id || *title;
        int has_indicator = !blank(cell(c, r, C_INDICATOR));
        if (has_node) {
            current = NULL;
            bad_above = 1;
            if (!*level || !*id || !*title) {
                err(c, "E502", r->line, *id ? id : NULL,
                    "a result needs a level, an id and a title; this row has no %s (leave all "
                    "three empty to add an indicator to the result above)",
                    !*level ? "level"
                    : !*id  ? "id"
                            : "title");
            } else if (json_object_get(c->node_line, id)) {
                err(c, "E502", r->line, id, "id '%s' is already used on line %lld", id,
                    (long long)json_integer_value(json_object_get(c->node_line, id)));
            } else {
                json_object_set_new(c->node_line, id, json_integer((json_int_t)r->line));
                json_t *node = json_pack("{s:s, s:s, s:s}", "id", id, "level", level_of(c, level),
                                         "title", title);
                char *desc = trimmed(cell(c, r, C_DESCRIPTION));
                if (*desc)
                    json_object_set_new(node, "description", json_string(desc));
                free(desc);
                json_t *parents = list_of(cell(c, r, C_PARENT), ";,\n");
                size_t k;
                json_t *pid;
                json_array_foreach(parents, k, pid) {
                    json_array_append_new(c->parent_line,
                                          json_pack("[s, O, I]", id, pid, (json_int_t)r->line));
                }
                if (json_array_size(parents))
                    json_object_set_new(node, "contributes_to", parents);
                else
                    json_decref(parents);
                json_t *assumptions = list_of(cell(c, r, C_ASSUMPTIONS), ";\n");
                if (json_array_size(assumptions))
                    json_object_set_new(node, "assumptions", assumptions);
                else
                    json_decref(assumptions);
                if (!has_indicator && !blank(cell(c, r, C_SOURCE)))
                    json_object_set_new(node, "source", json_string(cell(c, r, C_SOURCE)));
                json_array_append_new(c->nodes, node);
                current = node;
                bad_above = 0;
                ordinal = 0;
            }
        }
        if (has_indicator) {
            if (!current) {
                if (!has_node && !bad_above)
                    err(c, "E502", r->line, NULL,
                        "an indicator with no result above it: give this row a level, an id "
                        "and a title");
            } else {
                struct pending_ind p;
                add_indicator(c, r, json_string_value(json_object_get(current, "id")), ++ordinal,
                              &p);
                finish_indicator(c, &p);
            }
        } else if (!has_node) {
            err(c, "E502", r->line, NULL,
                "this row has values but no result (level, id, title) and no indicator");
        }
        free(level);
        free(id);
        free(title);
    }
    size_t i;
    json_t *p;
    json_array_foreach(c->parent_line, i, p) {
        const char *parent = json_string_value(json_array_get(p, 1));
        if (!json_object_get(c->node_line, parent))
            err(c, "E502", (size_t)json_integer_value(json_array_get(p, 2)),
                json_string_value(json_array_get(p, 0)),
                "parent '%s' is not the id of a result in the sheet", parent);
    }
}

/* The model's own rules (links upwards, no cycles, ...), each named at the
 * line of the result it is about. */
static char *validated(struct ctx *c, json_t *model, size_t *len) {
    char *text = json_dumps(model, JSON_PRESERVE_ORDER);
    tocm_diags *vd = tocm_diags_new();
    tocm_model *m = NULL;
    char *out = NULL;
    if (tocm_model_load_string(text, c->file, vd, &m) == TOCM_OK)
        tocm_validate(m, vd);
    for (size_t i = 0; i < tocm_diags_count(vd); i++) {
        const tocm_diag *g = tocm_diags_get(vd, i);
        if (g->severity != TOCM_SEV_ERROR)
            continue;
        json_t *line = g->node ? json_object_get(c->node_line, g->node) : NULL;
        if (!line && g->node)
            line = json_object_get(c->ind_line, g->node);
        err(c, g->code, line ? (size_t)json_integer_value(line) : 0, g->node, "%s", g->message);
    }
    if (m && tocm_diags_errors(c->d) == 0)
        out = tocm_model_format(m, len);
    tocm_model_free(m);
    tocm_diags_free(vd);
    free(text);
    return out;
}

int tocm_import_logframe(const char *path, const struct tocm_logframe_options *o, tocm_diags *diags,
                         char **out, size_t *out_len) {
    struct ctx c = {.file = path, .d = diags};
    *out = NULL;
    size_t len;
    char *text = tocmp_read_text(path, (size_t)64 << 20, &len);
    if (!text) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E000", path, 0, 0, "", NULL,
                       "cannot read the sheet: %s", strerror(errno));
        return TOCM_EIO;
    }
    size_t line = 0;
    char message[256];
    if (tocmp_csv_parse(text, len, &c.csv, &line, message, sizeof message) != 0) {
        err(&c, "E501", line, NULL, "%s", message);
        tocmp_csv_free(&c.csv);
        free(text);
        return TOCM_EINVALID;
    }
    free(text);
    if (c.csv.count == 0) {
        err(&c, "E501", 1, NULL, "the sheet is empty: it needs a header row and a row per result");
        return TOCM_EINVALID;
    }
    c.levels = json_array();
    c.nodes = json_array();
    c.indicators = json_array();
    c.node_line = json_object();
    c.ind_line = json_object();
    c.parent_line = json_array();
    if (map_headers(&c, o))
        read_rows(&c);
    if (tocm_diags_errors(diags) == 0 && json_array_size(c.nodes) == 0)
        err(&c, "E501", 1, NULL, "the sheet has no results (rows with a level, an id and a title)");
    if (tocm_diags_errors(diags) == 0) {
        /* The program: named by the options, or after the file. */
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        char *stem = tocmp_xstrdup(base);
        char *dot = strrchr(stem, '.');
        if (dot && dot != stem)
            *dot = '\0';
        char *id = slug(stem);
        json_t *model = json_pack("{s:i, s:{s:s, s:s}, s:O, s:O}", "tocm", TOCM_FORMAT_VERSION,
                                  "program", "id", o && o->program_id ? o->program_id : id, "title",
                                  o && o->program_title ? o->program_title : stem, "levels",
                                  c.levels, "nodes", c.nodes);
        if (json_array_size(c.indicators)) {
            json_object_set_new(model, "tables",
                                json_pack("{s:{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}}}",
                                          "results", "path", "data/results.csv", "title",
                                          "Results entered by the M&E team", "columns", "indicator",
                                          "text", "period", "text", "value", "decimal", "text",
                                          "text", "comment", "text", "source", "text"));
            json_object_set(model, "indicators", c.indicators);
        }
        *out = validated(&c, model, out_len);
        json_decref(model);
        free(id);
        free(stem);
    }
    for (size_t t = 0; t < c.target_count; t++)
        free(c.targets[t].period);
    free(c.targets);
    json_decref(c.levels);
    json_decref(c.nodes);
    json_decref(c.indicators);
    json_decref(c.node_line);
    json_decref(c.ind_line);
    json_decref(c.parent_line);
    tocmp_csv_free(&c.csv);
    return *out ? TOCM_OK : TOCM_EINVALID;
}
