/*
 * path.h -- the member paths people type and read: `targets.2014`,
 * `baseline.value`, `baseline.breakdown[0].value`, `targets."2024.1"`.
 *
 * One syntax for `tocm set` (which reads them) and `tocm diff` (which
 * prints them), so a change diff names can be typed back to set. A path is
 * segments: a member name, separated by dots; `[N]`, the entry N of a list
 * (from 0, as validation findings count: /baseline/breakdown/0); `[]`, a new
 * entry at the end. A name that holds a dot, a bracket, a quote, `=` or a
 * backslash, or is empty, is written in double quotes, with `\"` and `\\`
 * inside.
 */
#ifndef TOCMP_PATH_H
#define TOCMP_PATH_H

#include <stddef.h>

#include "util.h"

enum tocmp_seg_kind { TOCMP_SEG_KEY, TOCMP_SEG_INDEX, TOCMP_SEG_APPEND };

struct tocmp_seg {
    enum tocmp_seg_kind kind;
    char *key;    /* TOCMP_SEG_KEY: the member name, unquoted (owned) */
    size_t index; /* TOCMP_SEG_INDEX */
};

struct tocmp_path {
    struct tocmp_seg *segs;
    size_t count;
};

/* Parses text[0..len). On failure returns -1 with a sentence in *err (new)
 * and out empty. */
int tocmp_path_parse(const char *text, size_t len, struct tocmp_path *out, char **err);
void tocmp_path_free(struct tocmp_path *p);

/* The length of the path at the start of an assignment: up to the first
 * '=' that is not inside quotes (strlen when there is none). */
size_t tocmp_path_key_end(const char *assignment);

/* Appends one member name to b as a path writes it: ".name" (no dot when
 * b is empty), quoted when it must be. */
void tocmp_path_put_key(tocmp_buf *b, const char *key);
/* Appends "[i]". */
void tocmp_path_put_index(tocmp_buf *b, size_t index);
/* The first count segments of p as text. new. */
char *tocmp_path_text(const struct tocmp_path *p, size_t count);

#endif
