/*
 * iati_projects.c -- `--option projects=LEVEL`: one IATI activity per node
 * of LEVEL (a project), beside the program's, as donors that fund a
 * program through projects ask for it. Each project activity holds the
 * results of the project node and of every node below it (what contributes
 * to it, down the chain); the program's activity keeps the rest. The two
 * are linked both ways by `related-activity`: the program names each
 * project as its child (type 2), each project the program as its parent
 * (type 1); `hierarchy` is 1 for the program, 2 for a project.
 *
 * A project's identifier is its node's `iati_identifier` (a member tocm
 * keeps, which `tocm import iati` sets), else the program's identifier, a
 * hyphen and the node's id (characters IATI identifiers do not use as '-').
 * Its dates are the program's; its country, partners and description its
 * node's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iati_internal.h"

int iati_plan_projects(struct iati *x, const char *level) {
    const struct tocm_host *h = x->host;
    const tocm_model *m = x->in->model;
    size_t levels = h->level_count(m), lv = levels;
    for (size_t l = 0; l < levels; l++)
        if (strcmp(h->level_id(m, l), level) == 0)
            lv = l;
    if (lv == levels) {
        h->error_set(x->err, "projects", "--option projects=%s: the model has no level '%s'", level,
                     level);
        return -1;
    }
    size_t n = h->node_count(m);
    x->owner = malloc((n + 1) * sizeof *x->owner);
    x->projects = malloc((n + 1) * sizeof *x->projects);
    size_t *queue = malloc((n + 1) * sizeof *queue);
    if (!x->owner || !x->projects || !queue) {
        free(queue);
        h->error_set(x->err, "iati", "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        x->owner[i] = -1;
    x->project_count = 0;
    for (size_t p = 0; p < n; p++) {
        if (h->node_level(m, p) != (long)lv)
            continue;
        x->projects[x->project_count++] = p;
        /* The project and everything below it not yet another project's,
         * breadth first along the links into it. */
        size_t head = 0, tail = 0;
        x->owner[p] = (long)p;
        queue[tail++] = p;
        while (head < tail) {
            size_t at = queue[head++];
            for (size_t k = 0; k < h->node_in_count(m, at); k++) {
                size_t below = h->node_in(m, at, k);
                if (x->owner[below] != -1 || h->node_level(m, below) == (long)lv)
                    continue;
                x->owner[below] = (long)p;
                queue[tail++] = below;
            }
        }
    }
    free(queue);
    if (x->project_count == 0) {
        h->error_set(x->err, "projects",
                     "--option projects=%s: no node is on level '%s', so there is no project "
                     "activity to write",
                     level, level);
        return -1;
    }
    return 0;
}

/* The project's IATI identifier. new. */
static char *project_identifier(struct iati *x, size_t node) {
    const struct tocm_host *h = x->host;
    const char *own = h->node_string(x->in->model, node, "iati_identifier");
    if (own && *own) {
        char *s = malloc(strlen(own) + 1);
        if (s)
            strcpy(s, own);
        return s;
    }
    const char *id = h->node_id(x->in->model, node);
    size_t n = strlen(x->id) + strlen(id) + 2;
    char *s = malloc(n);
    if (!s)
        return NULL;
    snprintf(s, n, "%s-", x->id);
    char *o = s + strlen(s);
    for (const char *c = id; *c; c++)
        *o++ = ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                *c == '.' || *c == '_' || *c == '-')
                   ? *c
                   : '-';
    *o = '\0';
    return s;
}

static void related(struct iati *x, const char *ref, const char *type) {
    iati_start(x, "related-activity");
    iati_attr(x, "ref", ref);
    iati_attr(x, "type", type);
    iati_end(x);
}

void iati_project_links(struct iati *x) {
    for (size_t i = 0; i < x->project_count; i++) {
        char *ref = project_identifier(x, x->projects[i]);
        if (!ref) {
            x->failed = 1;
            return;
        }
        related(x, ref, "2"); /* child */
        free(ref);
    }
}

static int write_project(struct iati *x, size_t node) {
    const struct tocm_host *h = x->host;
    const tocm_model *m = x->in->model;
    char *ident = project_identifier(x, node);
    if (!ident)
        return -1;
    iati_start(x, "iati-activity");
    iati_attr(x, "hierarchy", "2");
    iati_attr(x, "tocm:node", h->node_id(m, node));
    long level = h->node_level(m, node);
    if (level >= 0)
        iati_attr(x, "tocm:level", h->level_id(m, (size_t)level));
    iati_start(x, "iati-identifier");
    iati_text(x, ident);
    iati_end(x);
    iati_write_reporting_org(x);
    const char *title = h->node_title(m, node);
    const char *description = h->node_string(m, node, "description");
    iati_narrative(x, "title", title);
    iati_start(x, "description");
    iati_attr(x, "type", "1");
    iati_start(x, "narrative");
    iati_text(x, description ? description : title);
    iati_end(x);
    iati_end(x);
    /* Who runs it: its partners (role 4), else the reporting organisation
     * as the one accountable (role 2). */
    size_t partners = h->node_list_count(m, node, "partners");
    for (size_t i = 0; i < partners; i++) {
        iati_start(x, "participating-org");
        iati_attr(x, "role", "4");
        iati_start(x, "narrative");
        iati_text(x, h->node_list_item(m, node, "partners", i));
        iati_end(x);
        iati_end(x);
    }
    if (!partners) {
        iati_start(x, "participating-org");
        iati_attr(x, "role", "2");
        iati_attr(x, "ref", x->org_ref);
        iati_start(x, "narrative");
        iati_text(x, x->org_name);
        iati_end(x);
        iati_end(x);
    }
    const char *status = json_string_value(
        json_object_get(json_object_get(x->model, "program"), "iati_activity_status"));
    iati_start(x, "activity-status");
    iati_attr(x, "code", status ? status : "2");
    iati_end(x);
    iati_start(x, "activity-date");
    iati_attr(x, "type", "1");
    iati_attr(x, "iso-date", x->start);
    iati_end(x);
    iati_start(x, "activity-date");
    iati_attr(x, "type", "3");
    iati_attr(x, "iso-date", x->end);
    iati_end(x);
    const char *country = h->node_string(m, node, "country");
    if (country) {
        iati_start(x, "recipient-country");
        iati_attr(x, "code", country);
        iati_end(x);
    }
    related(x, x->id, "1"); /* parent */
    x->writing = (long)node;
    int rc = iati_write_results(x);
    x->writing = -1;
    iati_end(x);
    free(ident);
    return rc;
}

int iati_write_projects(struct iati *x) {
    for (size_t i = 0; i < x->project_count; i++)
        if (write_project(x, x->projects[i]) != 0)
            return -1;
    return 0;
}
