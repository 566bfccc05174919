/*
 * diff_text.c -- the diff as text for people: a summary line, then one
 * heading per node with its changes beneath it (tocm_diff_text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_internal.h"
#include "model_internal.h"
#include "util.h"

static long summary(const tocm_diff *d, const char *key) {
    return (long)json_integer_value(json_object_get(d->summary, key));
}

/* A value in words: "text", "A", "B" for a list of texts, (empty list). */
static void put_value(tocmp_buf *b, json_t *v) {
    if (json_is_string(v)) {
        tocmp_buf_printf(b, "\"%s\"", json_string_value(v));
        return;
    }
    if (json_is_array(v)) {
        int all_strings = 1;
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) all_strings &= json_is_string(item);
        if (json_array_size(v) == 0) {
            tocmp_buf_puts(b, "an empty list");
            return;
        }
        if (all_strings) {
            json_array_foreach(v, i, item) {
                tocmp_buf_printf(b, "%s\"%s\"", i ? ", " : "", json_string_value(item));
            }
            return;
        }
    }
    if (json_is_real(v)) {
        /* As fmt writes it (0.8, not 0.80000000000000004). */
        size_t len;
        char *s = tocmp_format_json(v, &len);
        tocmp_buf_append(b, s, len - 1); /* without its final newline */
        free(s);
        return;
    }
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);
    tocmp_buf_puts(b, s ? s : "?");
    free(s);
}

static void put_ids(tocmp_buf *b, json_t *ids) {
    size_t n = json_array_size(ids), i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        tocmp_buf_printf(b, "%s'%s'",
                         i == 0       ? ""
                         : i + 1 == n ? " and "
                                      : ", ",
                         json_string_value(id));
    }
}

static const char *field_of(json_t *r, const char *key) { return tocmp_diff_str_member(r, key); }

static const char *label(const tocm_diff *d, const char *id) {
    const char *l = tocmp_diff_str_member(d->labels, id);
    return l ? l : "";
}

static const char *level_title(const tocm_diff *d, const char *id) {
    const char *t = id ? tocmp_diff_str_member(d->levels, id) : NULL;
    return t ? t : id ? id : "(none)";
}

/* "field changed from X to Y" / "field set to Y" / "field removed (was X)". */
static void put_field_change(tocmp_buf *b, json_t *r) {
    json_t *from = json_object_get(r, "from"), *to = json_object_get(r, "to");
    const char *field = field_of(r, "field");
    if (from && to) {
        tocmp_buf_printf(b, "%s changed from ", field);
        put_value(b, from);
        tocmp_buf_puts(b, " to ");
        put_value(b, to);
    } else if (to) {
        tocmp_buf_printf(b, "%s set to ", field);
        put_value(b, to);
    } else {
        tocmp_buf_printf(b, "%s removed (was ", field);
        put_value(b, from);
        tocmp_buf_puts(b, ")");
    }
}

static void heading(tocmp_buf *b, const char **current, const char *name) {
    if (*current && strcmp(*current, name) == 0)
        return;
    tocmp_buf_printf(b, "\n%s\n", name);
    *current = name;
}

char *tocm_diff_text(const tocm_diff *d, const char *old_name, const char *new_name) {
    tocmp_buf b = {0};
    if (json_array_size(d->changes) == 0) {
        tocmp_buf_printf(&b, "No changes: %s and %s describe the same model.\n", old_name,
                         new_name);
        return b.data;
    }
    tocmp_buf_printf(&b, "Changes from %s to %s: ", old_name, new_name);
    static const struct {
        const char *key, *words;
    } parts[] = {
        {"nodes_added", "node%s added"},
        {"nodes_removed", "node%s removed"},
        {"nodes_renamed", "node%s renamed"},
        {"nodes_changed", "node%s changed"},
        {"links_added", "link%s added"},
        {"links_removed", "link%s removed"},
        {"indicators_added", "indicator%s added"},
        {"indicators_removed", "indicator%s removed"},
        {"indicators_renamed", "indicator%s renamed"},
        {"indicators_changed", "indicator%s changed"},
        {"program_changes", "program header change%s"},
        {"level_changes", "level change%s"},
        {"table_changes", "table change%s"},
        {"status_changes", "status change%s"},
        {"other_changes", "other change%s"},
    };
    int first = 1;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        long n = summary(d, parts[i].key);
        if (!n)
            continue;
        tocmp_buf_printf(&b, "%s%ld ", first ? "" : ", ", n);
        tocmp_buf_printf(&b, parts[i].words, n == 1 ? "" : "s");
        first = 0;
    }
    tocmp_buf_puts(&b, ".\n");

    const char *section = NULL;
    const char *open_node = NULL; /* the node whose changes are being listed */
    const char *open_what = NULL;
    size_t i;
    json_t *r;
    json_array_foreach(d->changes, i, r) {
        const char *what = field_of(r, "what"), *change = field_of(r, "change");
        const char *id = field_of(r, "id");
        if (strcmp(what, "node") == 0) {
            if (strcmp(change, "renamed") == 0) {
                heading(&b, &section, "Renamed");
                tocmp_buf_printf(&b, "  '%s' is now '%s': %s\n", field_of(r, "from"), id,
                                 label(d, id));
            } else if (strcmp(change, "added") == 0) {
                heading(&b, &section, "Added");
                tocmp_buf_printf(&b, "  '%s': %s\n", id, label(d, id));
                json_t *links = json_object_get(r, "contributes_to");
                if (json_array_size(links)) {
                    tocmp_buf_puts(&b, "      contributes to ");
                    put_ids(&b, links);
                    tocmp_buf_puts(&b, "\n");
                } else {
                    tocmp_buf_puts(&b, "      contributes to nothing\n");
                }
            } else if (strcmp(change, "removed") == 0) {
                heading(&b, &section, "Removed");
                tocmp_buf_printf(&b, "  '%s': %s\n", id, label(d, id));
            } else {
                heading(&b, &section, "Changed");
                if (!open_node || strcmp(open_node, id) != 0 || strcmp(open_what, what) != 0) {
                    tocmp_buf_printf(&b, "  '%s': %s\n", id, label(d, id));
                    open_node = id;
                    open_what = what;
                }
                tocmp_buf_puts(&b, "      ");
                if (strcmp(change, "level") == 0) {
                    tocmp_buf_printf(&b, "moved from level %s to %s",
                                     level_title(d, field_of(r, "from")),
                                     level_title(d, field_of(r, "to")));
                } else if (strcmp(change, "link_added") == 0) {
                    tocmp_buf_printf(&b, "now contributes to '%s'", field_of(r, "to"));
                } else if (strcmp(change, "link_removed") == 0) {
                    tocmp_buf_printf(&b, "no longer contributes to '%s'", field_of(r, "to"));
                } else {
                    put_field_change(&b, r);
                }
                tocmp_buf_puts(&b, "\n");
            }
            continue;
        }
        if (strcmp(what, "indicator") == 0) {
            heading(&b, &section, "Indicators");
            if (strcmp(change, "added") == 0) {
                tocmp_buf_printf(&b, "  added '%s': \"%s\"", id,
                                 field_of(r, "title") ? field_of(r, "title") : "");
                json_t *nodes = json_object_get(r, "nodes");
                if (json_array_size(nodes)) {
                    tocmp_buf_puts(&b, ", attached to ");
                    put_ids(&b, nodes);
                }
                tocmp_buf_puts(&b, "\n");
                open_node = NULL;
            } else if (strcmp(change, "removed") == 0) {
                tocmp_buf_printf(&b, "  removed '%s': \"%s\"\n", id,
                                 field_of(r, "title") ? field_of(r, "title") : "");
                open_node = NULL;
            } else if (strcmp(change, "renamed") == 0) {
                tocmp_buf_printf(&b, "  '%s' is now '%s'\n", field_of(r, "from"), id);
                open_node = NULL;
            } else {
                if (!open_node || strcmp(open_node, id) != 0 || strcmp(open_what, what) != 0) {
                    tocmp_buf_printf(&b, "  '%s':\n", id);
                    open_node = id;
                    open_what = what;
                }
                tocmp_buf_puts(&b, "      ");
                if (strcmp(change, "attached") == 0)
                    tocmp_buf_printf(&b, "now attached to '%s'", field_of(r, "node"));
                else if (strcmp(change, "detached") == 0)
                    tocmp_buf_printf(&b, "no longer attached to '%s'", field_of(r, "node"));
                else
                    put_field_change(&b, r);
                tocmp_buf_puts(&b, "\n");
            }
            continue;
        }
        if (strcmp(what, "program") == 0 || strcmp(what, "status") == 0) {
            heading(&b, &section, strcmp(what, "program") == 0 ? "Program" : "Status");
            tocmp_buf_puts(&b, "  ");
            put_field_change(&b, r);
            tocmp_buf_puts(&b, "\n");
        } else if (strcmp(what, "table") == 0) {
            heading(&b, &section, "Tables");
            if (strcmp(change, "added") == 0 || strcmp(change, "removed") == 0) {
                tocmp_buf_printf(&b, "  %s table '%s'", change, id);
                if (field_of(r, "path"))
                    tocmp_buf_printf(&b, " (%s)", field_of(r, "path"));
            } else {
                tocmp_buf_printf(&b, "  '%s': ", id);
                put_field_change(&b, r);
            }
            tocmp_buf_puts(&b, "\n");
        } else if (strcmp(what, "level") == 0) {
            heading(&b, &section, "Levels");
            if (strcmp(change, "added") == 0 || strcmp(change, "removed") == 0) {
                tocmp_buf_printf(&b, "  %s level '%s'", change, id);
                if (field_of(r, "title"))
                    tocmp_buf_printf(&b, ": \"%s\"", field_of(r, "title"));
            } else if (strcmp(change, "order") == 0) {
                tocmp_buf_puts(&b, "  order changed from ");
                put_ids(&b, json_object_get(r, "from"));
                tocmp_buf_puts(&b, " to ");
                put_ids(&b, json_object_get(r, "to"));
            } else {
                tocmp_buf_printf(&b, "  '%s': ", id);
                put_field_change(&b, r);
            }
            tocmp_buf_puts(&b, "\n");
        } else {
            heading(&b, &section, "Other parts of the model");
            tocmp_buf_puts(&b, "  ");
            put_field_change(&b, r);
            tocmp_buf_puts(&b, "\n");
        }
    }
    return b.data;
}
