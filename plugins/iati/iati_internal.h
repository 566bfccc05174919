/*
 * iati_internal.h -- what the IATI exporter's files share: the state of one
 * export and the helpers that write through libxml2's xmlTextWriter (which
 * escapes every text and attribute; nothing is pasted into the XML).
 */
#ifndef TOCM_IATI_INTERNAL_H
#define TOCM_IATI_INTERNAL_H

#include <jansson.h>
#include <libxml/xmlwriter.h>

#include <tocm/plugin.h>

/* tocm's namespace in IATI files: node and indicator ids ride along as
 * tocm:node, tocm:level and tocm:id attributes. */
#define IATI_TOCM_NS "urn:x-tocm:iati:1"

struct iati {
    const struct tocm_host *host;
    const struct tocm_export_input *in;
    xmlTextWriterPtr w;
    json_t *model;  /* the model, parsed from host->model_format */
    json_t *report; /* the computed report, or NULL (tocm export: the plan only) */
    tocm_error *err;
    /* Resolved by the program's header: the activity's identifier, the
     * reporting organisation and the program's dates. */
    const char *id, *org_ref, *org_type, *org_name;
    char start[11], end[11];
    /* One activity per project (--option projects=LEVEL): per node, the
     * project node whose activity holds its result, or -1 (the program's);
     * NULL for one activity. writing: the activity being written. */
    long *owner;
    long writing;
    size_t *projects, project_count;
    int failed;   /* a libxml2 call failed (out of memory) */
    int refused;  /* the model cannot be written as IATI: err says why */
    int replaced; /* characters XML 1.0 cannot hold were replaced */
};

/* Elements and attributes; failures are remembered in x->failed. */
void iati_start(struct iati *x, const char *name);
void iati_end(struct iati *x);
void iati_attr(struct iati *x, const char *name, const char *value);
void iati_text(struct iati *x, const char *text);
/* <name><narrative>text</narrative>...</name>, one narrative per text. */
void iati_narratives(struct iati *x, const char *name, const char *const *texts, size_t n);
void iati_narrative(struct iati *x, const char *name, const char *text);

/* A number as IATI values are written: the shortest text that reads back
 * as the same double ("10000", "54.5"). buf holds 32 bytes. */
const char *iati_number(double v, char *buf);

/* First and last day of a tocm period ("2024", "2024-03", "2024-Q2",
 * "2024-H1", "2024-06-30", "2024-07-01/2025-06-30"): 1, or 0 when the
 * period is none of these. */
int iati_period_dates(const char *period, char start[11], char end[11]);

/* The program's dates, from its period, for activity-date and the period
 * `all`: 1, or 0 when it has none. */
int iati_program_dates(struct iati *x, char start[11], char end[11]);

/* The results: one per node with indicators (iati_results.c), of the
 * activity being written (x->writing). 0, or -1 with x->err set. */
int iati_write_results(struct iati *x);

/* One activity per project (iati_projects.c). iati_plan_projects finds the
 * nodes of the level and what each holds: 0, or -1 with x->err set.
 * iati_project_links writes the program's related-activity (child) links;
 * iati_write_projects the project activities. */
int iati_plan_projects(struct iati *x, const char *level);
void iati_project_links(struct iati *x);
int iati_write_projects(struct iati *x);
/* <reporting-org> of every activity (iati.c). */
void iati_write_reporting_org(struct iati *x);

#endif
