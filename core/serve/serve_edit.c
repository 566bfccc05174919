/*
 * serve_edit.c -- the writing side of `tocm serve`: POST /api/edit and
 * POST /api/undo.
 *
 * Each request is one tocm edit transaction, the one the command line uses
 * (tocm.h, "Editing and diff"): lock the file, load it, apply the
 * operations, validate, write atomically in the canonical layout only if
 * the change adds no error. Nothing here writes the file by itself.
 *
 * The page sends the hash of the version it shows ("base"); a file that has
 * changed since (a terminal user's edit) is not edited blind: the answer is
 * 409 and the page reloads and shows what changed.
 *
 * An operation, as JSON (ids are node ids unless "kind": "indicator"):
 *   {"op": "set", "id", "field", "value": JSON}    null value: unset
 *   {"op": "unset", "id", "field"}
 *   {"op": "add", "id", "level", "title", "after"?}
 *   {"op": "link", "from", "to", "inferred"?: bool}
 *   {"op": "unlink", "from", "to"}
 *   {"op": "infer", "from", "to", "inferred": bool}  mark an existing link
 *   {"op": "rename", "from", "to"}
 *   {"op": "remove", "id", "mode": "only"|"cascade"|"reattach", "to"?}
 * "check": true validates the would-be model and writes nothing (the
 * findings shown beside a field as the user types).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"

/* The most operations one request may carry (an undo of a cascade
 * removal is the largest the page sends). */
#define MAX_OPS 5000

static const char *str(const json_t *op, const char *key) {
    return json_string_value(json_object_get(op, key));
}

/* A field name the assignment syntax of tocm_edit_assign reads back as
 * this name and nothing else. */
static int plain_field(const char *field) {
    size_t n = field ? strlen(field) : 0;
    return n > 0 && !strchr(field, '=') && !strchr(":+-", field[n - 1]);
}

/* Applies one operation. TOCM_OK, or TOCM_EINVALID with the reason in why
 * (the edit's own words when the edit API refused). */
static int apply_op(tocm_edit *e, const json_t *op, const char **why) {
    const char *name = str(op, "op");
    const char *kind = str(op, "kind");
    tocm_edit_set_kind(e, kind && strcmp(kind, "indicator") == 0 ? TOCM_EDIT_INDICATOR
                                                                 : TOCM_EDIT_NODE);
    int indicator = kind && strcmp(kind, "indicator") == 0;
    const char *id = str(op, "id"), *from = str(op, "from"), *to = str(op, "to");
    const char *field = str(op, "field");
    int rc = -1;
    *why = NULL;
    if (!name) {
        *why = "an operation without \"op\"";
    } else if (strcmp(name, "set") == 0 || strcmp(name, "unset") == 0) {
        json_t *value = json_object_get(op, "value");
        if (!id || !plain_field(field)) {
            *why = "set needs \"id\" and a \"field\" name";
        } else if (strcmp(name, "unset") == 0 || !value || json_is_null(value)) {
            rc = tocm_edit_unset(e, id, field);
        } else {
            char *json = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
            size_t size = strlen(field) + strlen(json) + 3;
            char *assignment = malloc(size);
            if (!assignment) {
                fputs("tocm: out of memory\n", stderr);
                abort();
            }
            snprintf(assignment, size, "%s:=%s", field, json);
            rc = tocm_edit_assign(e, id, assignment);
            free(assignment);
            free(json);
        }
    } else if (strcmp(name, "add") == 0) {
        const char *title = str(op, "title");
        if (!id || !title || (!indicator && !str(op, "level")))
            *why = "add needs \"id\", \"title\" and (for a node) \"level\"";
        else
            rc = indicator ? tocm_edit_add_indicator(e, id, title)
                           : tocm_edit_add_node(e, id, str(op, "level"), title, str(op, "after"));
    } else if (strcmp(name, "link") == 0 || strcmp(name, "unlink") == 0) {
        if (!from || !to)
            *why = "link and unlink need \"from\" and \"to\"";
        else if (name[0] == 'l')
            rc = tocm_edit_link(e, from, to, json_is_true(json_object_get(op, "inferred")));
        else
            rc = tocm_edit_unlink(e, from, to);
    } else if (strcmp(name, "infer") == 0) {
        if (!from || !to) {
            *why = "infer needs \"from\" and \"to\"";
        } else if (json_is_true(json_object_get(op, "inferred"))) {
            rc = tocm_edit_link(e, from, to, 1);
        } else {
            size_t size = strlen(to) + sizeof "inferred-=";
            char *assignment = malloc(size);
            if (!assignment)
                abort();
            snprintf(assignment, size, "inferred-=%s", to);
            rc = tocm_edit_assign(e, from, assignment);
            free(assignment);
        }
    } else if (strcmp(name, "rename") == 0) {
        if (!from || !to)
            *why = "rename needs \"from\" and \"to\"";
        else
            rc = tocm_edit_rename(e, from, to);
    } else if (strcmp(name, "remove") == 0) {
        const char *mode = str(op, "mode");
        enum tocm_remove_mode m = TOCM_REMOVE_ONLY;
        if (mode && strcmp(mode, "cascade") == 0)
            m = TOCM_REMOVE_CASCADE;
        else if (mode && strcmp(mode, "reattach") == 0)
            m = TOCM_REMOVE_REATTACH;
        else if (mode && strcmp(mode, "only") != 0)
            *why = "remove's \"mode\" is only, cascade or reattach";
        if (!id)
            *why = "remove needs \"id\"";
        else if (m == TOCM_REMOVE_REATTACH && !to)
            *why = "remove with reattach needs \"to\"";
        if (!*why)
            rc = tocm_edit_remove(e, id, m, to);
    } else {
        *why = "unknown operation (set, unset, add, link, unlink, infer, rename, remove)";
    }
    if (*why)
        return TOCM_EINVALID;
    if (rc != TOCM_OK)
        *why = tocm_edit_error(e);
    return rc;
}

/* The document as the edit has it now. new. */
static json_t *current_doc(tocm_edit *e) {
    char *text = tocm_edit_current(e, NULL);
    json_t *doc = json_loads(text, 0, NULL);
    free(text);
    return doc;
}

/* Findings of the model in text (all of them, not only new ones). new. */
static json_t *findings_of(const struct serve *s, const char *text, json_t **errors) {
    tocm_diags *diags = tocm_diags_new();
    tocm_model *m = NULL;
    if (tocm_model_load_string(text, s->model, diags, &m) == TOCM_OK)
        tocm_validate(m, diags);
    json_t *list = serve_findings_json(diags);
    *errors = json_integer((json_int_t)tocm_diags_errors(diags));
    tocm_model_free(m);
    tocm_diags_free(diags);
    return list;
}

static void push_undo(struct serve *s, json_t *ops) {
    if (s->undo_count == SERVE_UNDO_MAX) {
        json_decref(s->undo[0]);
        memmove(s->undo, s->undo + 1, (SERVE_UNDO_MAX - 1) * sizeof *s->undo);
        s->undo_count--;
    }
    s->undo[s->undo_count++] = ops;
}

void serve_undo_clear(struct serve *s) {
    while (s->undo_count)
        json_decref(s->undo[--s->undo_count]);
}

/* One transaction: ops (borrowed) applied to the model whose version is
 * base (NULL: whatever the file holds). check: write nothing. record: keep
 * the inverse for undo. */
static void run_edit(struct serve *s, const char *base, const json_t *ops, int check, int record,
                     struct serve_response *out) {
    tocm_diags *diags = tocm_diags_new();
    tocm_edit *e = NULL;
    tocm_edit_options options = {.lock_timeout = s->lock_timeout, .wait_notice = NULL};
    int rc = tocm_edit_open(s->model, &options, diags, &e);
    if (rc != TOCM_OK) {
        const char *message =
            tocm_diags_count(diags) ? tocm_diags_get(diags, 0)->message : "cannot open the model";
        json_t *body =
            json_pack("{ss so}", "error", message, "findings", serve_findings_json(diags));
        serve_json(out, rc == TOCM_EIO ? 503 : 409, body);
        tocm_diags_free(diags);
        return;
    }
    size_t before_len;
    const char *before = tocm_edit_text(e, 0, &before_len);
    char hash[17];
    serve_hash(before, before_len, hash);
    if (base && strcmp(base, hash) != 0) {
        serve_json(out, 409,
                   json_pack("{ss sb ss}", "error",
                             "the file was changed elsewhere since the page loaded it", "changed",
                             1, "hash", hash));
        goto out;
    }
    serve_snapshot_keep(s, hash, before);

    json_t *inverse = record && !check ? json_array() : NULL;
    size_t i;
    json_t *op;
    json_array_foreach(ops, i, op) {
        json_t *doc_before = inverse ? current_doc(e) : NULL;
        const char *why = NULL;
        if (!json_is_object(op) || apply_op(e, op, &why) != TOCM_OK) {
            json_decref(doc_before);
            json_decref(inverse);
            /* A check that finds the change refused has done its job:
             * 200, with ok false. */
            serve_json(out, check ? 200 : 422,
                       json_pack("{sb ss sI}", "ok", 0, "error",
                                 why ? why : "an operation is not a JSON object", "op",
                                 (json_int_t)i));
            goto out;
        }
        if (inverse) {
            json_t *doc_after = current_doc(e);
            json_t *back = serve_inverse(op, doc_before, doc_after);
            json_decref(doc_after);
            if (back) {
                /* Taken back newest first. */
                for (size_t k = json_array_size(back); k-- > 0;)
                    json_array_insert(inverse, 0, json_array_get(back, k));
                json_decref(back);
            } else {
                json_decref(inverse);
                inverse = NULL;
            }
        }
        json_decref(doc_before);
    }

    tocm_diags *added = tocm_diags_new();
    rc = tocm_edit_commit(e, check ? TOCM_COMMIT_DRY_RUN : 0, added);
    size_t after_len;
    const char *after = tocm_edit_text(e, 1, &after_len);
    json_t *errors = NULL;
    json_t *findings = after ? findings_of(s, after, &errors) : json_array();
    json_t *notes = json_array();
    for (size_t k = 0; k < tocm_edit_note_count(e); k++)
        json_array_append_new(notes, json_string(tocm_edit_note(e, k)));
    if (rc != TOCM_OK) {
        /* Refused: the findings the change would add, by node, so the page
         * can show them beside the field. */
        serve_json(out,
                   rc != TOCM_EINVALID ? 409
                   : check             ? 200
                                       : 422,
                   json_pack("{sb ss so so so* so}", "ok", 0, "error", tocm_edit_error(e), "added",
                             serve_findings_json(added), "findings", findings, "errors", errors,
                             "notes", notes));
        json_decref(inverse);
        tocm_diags_free(added);
        goto out;
    }
    int changed = tocm_edit_changed(e);
    char new_hash[17];
    memcpy(new_hash, hash, sizeof hash);
    char *diff = NULL;
    if (changed) {
        diff = serve_diff_text(before, after, s->name, "the file before",
                               check ? "the file after this change" : "the file now");
        if (!check) {
            serve_hash(after, after_len, new_hash);
            serve_snapshot_keep(s, new_hash, after);
            if (record) {
                if (inverse)
                    push_undo(s, inverse);
                else
                    serve_undo_clear(s); /* the history would skip this edit */
                inverse = NULL;
            }
        }
    }
    json_decref(inverse);
    json_t *body =
        json_pack("{sb sb sb so so so* ss ss* sI}", "ok", 1, "check", check, "changed", changed,
                  "notes", notes, "added", serve_findings_json(added), "findings", findings, "hash",
                  new_hash, "diff", diff, "undo", (json_int_t)s->undo_count);
    json_object_set_new(body, "errors", errors ? errors : json_integer(0));
    serve_json(out, 200, body);
    free(diff);
    tocm_diags_free(added);
out:
    tocm_edit_close(e);
    tocm_diags_free(diags);
}

static json_t *read_body(const struct serve_request *r, struct serve_response *out) {
    json_error_t jerr;
    json_t *body = json_loads(r->body, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(body)) {
        json_decref(body);
        serve_error(out, 400, "the request body is not a JSON object");
        return NULL;
    }
    const json_t *base = json_object_get(body, "base");
    if (base && !json_is_string(base)) {
        json_decref(body);
        serve_error(out, 400, "\"base\" is the hash of the version the page shows");
        return NULL;
    }
    return body;
}

void serve_edit(struct serve *s, const struct serve_request *r, struct serve_response *out) {
    json_t *body = read_body(r, out);
    if (!body)
        return;
    json_t *ops = json_object_get(body, "ops");
    if (!json_is_array(ops) || json_array_size(ops) == 0 || json_array_size(ops) > MAX_OPS) {
        serve_error(out, 400, "\"ops\" is a list of 1 to 5000 operations");
    } else {
        run_edit(s, str(body, "base"), ops, json_is_true(json_object_get(body, "check")), 1, out);
    }
    json_decref(body);
}

void serve_undo(struct serve *s, const struct serve_request *r, struct serve_response *out) {
    json_t *body = read_body(r, out);
    if (!body)
        return;
    if (s->undo_count == 0) {
        serve_error(out, 409, "nothing to undo in this session");
        json_decref(body);
        return;
    }
    json_t *ops = s->undo[s->undo_count - 1];
    run_edit(s, str(body, "base"), ops, 0, 0, out);
    /* Taken back, or impossible now (the file moved on): either way it
     * leaves the history. A 409 for a changed file keeps it: the page
     * reloads and the user may try again. */
    if (!(out->status == 409 && strstr(out->body ? out->body : "", "\"changed\"")) &&
        s->undo_count && s->undo[s->undo_count - 1] == ops) {
        s->undo_count--;
        json_decref(ops);
    }
    if (out->status == 200) {
        /* The count in the answer was taken before the pop. */
        json_t *answer = json_loads(out->body, 0, NULL);
        if (answer) {
            json_object_set_new(answer, "undo", json_integer((json_int_t)s->undo_count));
            free(out->body);
            out->body = NULL;
            serve_json(out, 200, answer);
        }
    }
    json_decref(body);
}
