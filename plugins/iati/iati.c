/*
 * iati.c -- the `iati` exporter: the program as an IATI 2.03 activity
 * (`iati-activities`), with its results, indicators, baselines, targets
 * and, when run as `tocm report MODEL --format iati`, the computed actuals.
 *
 * The activity's identifier and reporting organisation come from the
 * model's program (`iati_identifier`, `reporting_org`; models/FORMAT.md), or
 * from --option identifier=... and reporting-org-ref/-type/-name for a model
 * that does not hold them. The plan (baselines, targets) is read from the
 * model itself; the actuals from the report JSON the host lends
 * (host->export_report_json), so `tocm export -T iati` writes the plan only.
 *
 * The XML is written with libxml2's xmlTextWriter, which escapes every text
 * and attribute. XML 1.0 cannot hold most control characters at all, escaped
 * or not: they are replaced by U+FFFD and the exporter says so.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iati_internal.h"

void iati_start(struct iati *x, const char *name) {
    if (xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
        x->failed = 1;
}

void iati_end(struct iati *x) {
    if (xmlTextWriterEndElement(x->w) < 0)
        x->failed = 1;
}

/* text with what XML 1.0 cannot hold (C0 controls but tab, LF and CR; the
 * non-characters U+FFFE and U+FFFF) replaced by U+FFFD. new. */
static char *xml_safe(struct iati *x, const char *text) {
    size_t n = strlen(text);
    char *out = malloc(n * 3 + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *c = (const unsigned char *)text; *c;) {
        int bad = (*c < 0x20 && *c != '\t' && *c != '\n' && *c != '\r');
        int width = 1;
        if (c[0] == 0xEF && c[1] == 0xBF && (c[2] == 0xBE || c[2] == 0xBF))
            bad = 1, width = 3;
        if (bad) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            c += width;
            x->replaced = 1;
        } else {
            *o++ = (char)*c++;
        }
    }
    *o = '\0';
    return out;
}

void iati_attr(struct iati *x, const char *name, const char *value) {
    if (!value)
        return;
    char *safe = xml_safe(x, value);
    if (!safe || xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST safe) < 0)
        x->failed = 1;
    free(safe);
}

void iati_text(struct iati *x, const char *text) {
    char *safe = xml_safe(x, text);
    if (!safe || xmlTextWriterWriteString(x->w, BAD_CAST safe) < 0)
        x->failed = 1;
    free(safe);
}

void iati_narratives(struct iati *x, const char *name, const char *const *texts, size_t n) {
    iati_start(x, name);
    for (size_t i = 0; i < n; i++) {
        iati_start(x, "narrative");
        iati_text(x, texts[i]);
        iati_end(x);
    }
    iati_end(x);
}

void iati_narrative(struct iati *x, const char *name, const char *text) {
    iati_narratives(x, name, &text, 1);
}

const char *iati_number(double v, char *buf) {
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, 32, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    /* Never an exponent: IATI readers expect plain decimals. */
    if (strchr(buf, 'e') && fabs(v) < 1e15)
        snprintf(buf, 32, "%.0f", v);
    return buf;
}

static int digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int iati_period_dates(const char *p, char start[11], char end[11]) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t n = strlen(p);
    if (n < 4 || !digits(p, 4))
        return 0;
    /* START/END, two days (as tocm import iati names a span that is no
     * year, half, quarter or month). */
    if (n == 21 && p[10] == '/') {
        char a[11], b[11], ignore[11];
        memcpy(a, p, 10), memcpy(b, p + 11, 10);
        a[10] = b[10] = '\0';
        if (!iati_period_dates(a, start, ignore) || strlen(a) != 10 ||
            !iati_period_dates(b, ignore, end) || strlen(b) != 10 || strcmp(a, b) > 0)
            return 0;
        return 1;
    }
    int year = atoi(p);
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int first = 1, last = 12;
    if (n == 4) {
        /* a year */
    } else if (n == 7 && p[4] == '-' && digits(p + 5, 2)) {
        first = last = atoi(p + 5);
    } else if (n == 7 && p[4] == '-' && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4') {
        first = (p[6] - '1') * 3 + 1, last = first + 2;
    } else if (n == 7 && p[4] == '-' && p[5] == 'H' && (p[6] == '1' || p[6] == '2')) {
        first = p[6] == '1' ? 1 : 7, last = first + 5;
    } else if (n == 10 && p[4] == '-' && p[7] == '-' && digits(p + 5, 2) && digits(p + 8, 2)) {
        int m = atoi(p + 5), d = atoi(p + 8);
        if (m < 1 || m > 12 || d < 1 || d > days[m - 1] + (m == 2 && leap))
            return 0;
        memcpy(start, p, 11);
        memcpy(end, p, 11);
        return 1;
    } else {
        return 0;
    }
    if (first < 1 || last > 12 || year < 1)
        return 0;
    /* Unsigned and reduced so the compiler can see each field fits its width. */
    unsigned y = (unsigned)year % 10000u,
             last_day = (unsigned)(days[last - 1] + (last == 2 && leap));
    snprintf(start, 11, "%04u-%02u-01", y, (unsigned)first % 100u);
    snprintf(end, 11, "%04u-%02u-%02u", y, (unsigned)last % 100u, last_day % 100u);
    return 1;
}

static const char *string_at(json_t *object, const char *key) {
    return json_string_value(json_object_get(object, key));
}

int iati_program_dates(struct iati *x, char start[11], char end[11]) {
    json_t *period = json_object_get(json_object_get(x->model, "program"), "period");
    const char *s = string_at(period, "start"), *e = string_at(period, "end");
    char ignore[11];
    return s && e && iati_period_dates(s, start, ignore) && iati_period_dates(e, ignore, end);
}

static void write_org(struct iati *x, const char *role, const char *ref, const char *name) {
    iati_start(x, "participating-org");
    iati_attr(x, "role", role);
    if (ref)
        iati_attr(x, "ref", ref);
    iati_start(x, "narrative");
    iati_text(x, name);
    iati_end(x);
    iati_end(x);
}

void iati_write_reporting_org(struct iati *x) {
    iati_start(x, "reporting-org");
    iati_attr(x, "ref", x->org_ref);
    iati_attr(x, "type", x->org_type);
    iati_start(x, "narrative");
    iati_text(x, x->org_name);
    iati_end(x);
    iati_end(x);
}

/* The activity's header, in the order the 2.03 schema requires. */
static int write_activity_header(struct iati *x, tocm_error *err) {
    const struct tocm_host *h = x->host;
    const tocm_export_request *req = x->in->request;
    json_t *program = json_object_get(x->model, "program");
    json_t *org = json_object_get(program, "reporting_org");
    const char *id = h->export_option(req, "identifier");
    const char *ref = h->export_option(req, "reporting-org-ref");
    const char *type = h->export_option(req, "reporting-org-type");
    const char *name = h->export_option(req, "reporting-org-name");
    if (!id)
        id = string_at(program, "iati_identifier");
    if (!ref)
        ref = string_at(org, "ref");
    if (!type)
        type = string_at(org, "type");
    if (!name)
        name = string_at(org, "name");
    if (!id || !*id) {
        h->error_set(err, "program.iati_identifier",
                     "IATI needs the activity's identifier: add \"iati_identifier\" to the "
                     "program (or --option identifier=ID)");
        return -1;
    }
    if (!ref || !*ref || !type || !*type || !name || !*name) {
        h->error_set(err, "program.reporting_org",
                     "IATI needs the reporting organisation: add \"reporting_org\": {\"ref\", "
                     "\"type\", \"name\"} to the program (or --option reporting-org-ref=, "
                     "-type=, -name=)");
        return -1;
    }
    char *start = x->start, *end = x->end;
    if (!iati_program_dates(x, start, end)) {
        h->error_set(err, "program.period",
                     "IATI needs the activity's dates: give the program a \"period\" with "
                     "\"start\" and \"end\" (years or ISO dates)");
        return -1;
    }
    x->id = id, x->org_ref = ref, x->org_type = type, x->org_name = name;
    iati_start(x, "iati-identifier");
    iati_text(x, id);
    iati_end(x);
    iati_write_reporting_org(x);
    iati_narrative(x, "title", string_at(program, "title"));
    const char *description = string_at(program, "description");
    iati_start(x, "description");
    iati_attr(x, "type", "1"); /* general */
    iati_start(x, "narrative");
    iati_text(x, description ? description : string_at(program, "title"));
    iati_end(x);
    iati_end(x);
    /* Who funds it (role 1) and who runs it (role 4), when the model names
     * them; otherwise the reporting organisation is the one accountable. */
    const char *donor = string_at(program, "donor");
    const char *implementer = string_at(program, "implementer");
    if (donor)
        write_org(x, "1", NULL, donor);
    if (implementer)
        write_org(x, "4", NULL, implementer);
    if (!donor && !implementer)
        write_org(x, "2", ref, name);
    const char *status = string_at(program, "iati_activity_status");
    iati_start(x, "activity-status");
    iati_attr(x, "code", status ? status : "2");
    iati_end(x);
    /* tocm:period: the program's period as the model words it ("2024"),
     * for tocm import iati. */
    json_t *period = json_object_get(program, "period");
    iati_start(x, "activity-date");
    iati_attr(x, "type", "1"); /* planned start */
    iati_attr(x, "iso-date", start);
    iati_attr(x, "tocm:period", string_at(period, "start"));
    iati_end(x);
    iati_start(x, "activity-date");
    iati_attr(x, "type", "3"); /* planned end */
    iati_attr(x, "iso-date", end);
    iati_attr(x, "tocm:period", string_at(period, "end"));
    iati_end(x);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(program, "countries"), i, c) {
        if (!json_is_string(c))
            continue;
        iati_start(x, "recipient-country");
        iati_attr(x, "code", json_string_value(c));
        iati_end(x);
    }
    if (x->owner)
        iati_project_links(x);
    return 0;
}

/* The program's tocm id, and whether the model names its levels or uses
 * tocm's default ones: attributes in tocm's namespace, for tocm import. */
static void write_tocm_ids(struct iati *x) {
    iati_attr(x, "tocm:program", string_at(json_object_get(x->model, "program"), "id"));
    if (!json_is_array(json_object_get(x->model, "levels")))
        iati_attr(x, "tocm:default-levels", "true");
}

/* The model's levels, top first, as <tocm:level> elements at the end of the
 * activity (where IATI allows elements of other namespaces): their order,
 * titles and outcome flags, which IATI has no place for. */
static void write_tocm_levels(struct iati *x) {
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(x->model, "levels"), i, l) {
        const char *id = json_is_string(l) ? json_string_value(l) : string_at(l, "id");
        if (!id)
            continue;
        iati_start(x, "tocm:level");
        iati_attr(x, "id", id);
        if (json_is_object(l)) {
            if (string_at(l, "title"))
                iati_attr(x, "title", string_at(l, "title"));
            if (json_is_true(json_object_get(l, "outcome")))
                iati_attr(x, "outcome", "true");
        }
        iati_end(x);
    }
}

static int write_iati(const struct tocm_host *host, const struct tocm_export_input *in,
                      tocm_error *err) {
    struct iati x = {.host = host, .in = in, .err = err};
    size_t len;
    char *text = host->model_format(in->model, &len);
    if (!text) {
        host->error_set(err, "iati", "could not read the model");
        return -1;
    }
    json_error_t jerr;
    x.model = json_loadb(text, len, 0, &jerr);
    host->free(text);
    const char *report =
        host->export_report_json ? host->export_report_json(in->request, &len) : NULL;
    if (report)
        x.report = json_loadb(report, len, 0, &jerr);
    xmlBufferPtr buf = xmlBufferCreate();
    x.w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    int rc = -1;
    if (!x.model || (report && !x.report) || !x.w) {
        host->error_set(err, "iati", "out of memory");
        goto out;
    }
    xmlTextWriterSetIndent(x.w, 1);
    xmlTextWriterSetIndentString(x.w, BAD_CAST "  ");
    if (xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL) < 0)
        x.failed = 1;
    iati_start(&x, "iati-activities");
    iati_attr(&x, "version", "2.03");
    iati_attr(&x, "xmlns:tocm", IATI_TOCM_NS);
    x.writing = -1;
    const char *projects = host->export_option(in->request, "projects");
    if (projects && iati_plan_projects(&x, projects) != 0)
        goto out;
    iati_start(&x, "iati-activity");
    if (x.owner)
        iati_attr(&x, "hierarchy", "1");
    write_tocm_ids(&x);
    if (write_activity_header(&x, err) != 0)
        goto out;
    if (iati_write_results(&x) != 0)
        goto out;
    write_tocm_levels(&x);
    iati_end(&x); /* iati-activity */
    if (x.owner && iati_write_projects(&x) != 0)
        goto out;
    iati_end(&x); /* iati-activities */
    if (xmlTextWriterEndDocument(x.w) < 0)
        x.failed = 1;
    xmlTextWriterFlush(x.w);
    if (x.failed) {
        host->error_set(err, "iati", "the XML writer failed (out of memory?)");
        goto out;
    }
    if (x.replaced)
        host->log(TOCM_LOG_WARNING, "iati",
                  "control characters in the model's texts, which XML cannot hold, were "
                  "written as U+FFFD");
    rc = host->export_write(in->request, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
out:
    if (x.w)
        xmlFreeTextWriter(x.w);
    if (buf)
        xmlBufferFree(buf);
    json_decref(x.model);
    json_decref(x.report);
    free(x.owner);
    free(x.projects);
    return rc;
}

static const char *const formats[] = {"iati", NULL};
static const struct tocm_option_info options[] = {
    {.name = "identifier",
     .arg = "ID",
     .help = "the IATI activity identifier (default: program.iati_identifier)"},
    {.name = "reporting-org-ref",
     .arg = "REF",
     .help = "the reporting organisation's IATI identifier (default: program.reporting_org)"},
    {.name = "reporting-org-type", .arg = "CODE", .help = "its IATI OrganisationType code"},
    {.name = "reporting-org-name", .arg = "NAME", .help = "its name"},
    {.name = "projects",
     .arg = "LEVEL",
     .help = "one activity per node of LEVEL (e.g. project), linked to the program's by "
             "related-activity, holding the results of the nodes under it"},
    {.name = NULL},
};

static const struct tocm_exporter iati_exporter = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_exporter),
    .name = "iati",
    .summary = "IATI 2.03 activity XML: results, indicators, baselines, targets (and actuals "
               "from tocm report --format iati)",
    .formats = formats,
    .write = write_iati,
    .options = options,
};

static const struct tocm_exporter *const exporters[] = {&iati_exporter, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "iati",
    .version = "1.0.0",
    .summary = "Exports the results framework as IATI 2.03 XML",
    .exporters = exporters,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host;
    (void)err;
    xmlInitParser();
    *out = &plugin;
    return 0;
}
