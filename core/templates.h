/*
 * templates.h -- the files of `tocm init`'s templates, compiled in from
 * examples/templates/ (cmake/embed_templates.cmake writes templates_data.c),
 * so an installed tocm needs no data files of its own.
 */
#ifndef TOCMP_TEMPLATES_H
#define TOCMP_TEMPLATES_H

#include <stddef.h>

struct tocmp_template_file {
    const char *path; /* "logframe/model.json": the template's name, then the file */
    const unsigned char *data;
    size_t len;
};

/* Every file of every template, ended by an entry whose path is NULL. */
extern const struct tocmp_template_file tocmp_template_files[];

#endif
