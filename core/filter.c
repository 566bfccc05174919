/*
 * filter.c -- row filters written in the model:
 *
 *   {"sex": "female"}                    the cell equals the text
 *   {"year": 2021}                       the cell equals the number
 *   {"country": ["KH", "LA"]}            any of these
 *   {"year": {"min": 2019, "max": 2021}} a closed range (numbers or text)
 *   {"type": {"not": "webinar"}}         anything but (a value or a list)
 *
 * Every member must match (AND). A column the table lacks never matches:
 * the loader checks filter columns against the header, so this only guards
 * against a filter used on the wrong table.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

/* Compares a cell with a scalar JSON value: <0, 0, >0, or 2 when the two
 * cannot be compared (text against a number that is not numeric). */
static int compare(const struct tocm_table *t, size_t cell, json_t *want) {
    const char *text = t->text[cell];
    if (json_is_string(want)) {
        /* -1, 0 or 1: strcmp may return any difference, 2 included, which
         * would read as "cannot be compared". */
        int c = strcmp(text, json_string_value(want));
        return (c > 0) - (c < 0);
    }
    if (json_is_number(want)) {
        double have;
        char *end;
        if (t->has_number[cell]) {
            have = t->number[cell];
        } else {
            have = strtod(text, &end);
            if (!*text || *end)
                return 2;
        }
        double w = json_number_value(want);
        return have < w ? -1 : have > w ? 1 : 0;
    }
    if (json_is_boolean(want)) {
        int c = strcmp(text, json_is_true(want) ? "true" : "false");
        return (c > 0) - (c < 0);
    }
    return 2;
}

static int value_matches(const struct tocm_table *t, size_t cell, json_t *want) {
    if (json_is_array(want)) {
        size_t i;
        json_t *alt;
        json_array_foreach(want, i, alt) {
            if (value_matches(t, cell, alt))
                return 1;
        }
        return 0;
    }
    if (json_is_object(want)) {
        json_t *not = json_object_get(want, "not");
        json_t *min = json_object_get(want, "min");
        json_t *max = json_object_get(want, "max");
        if (not &&value_matches(t, cell, not ))
            return 0;
        if (min) {
            int c = compare(t, cell, min);
            if (c == 2 || c < 0)
                return 0;
        }
        if (max) {
            int c = compare(t, cell, max);
            if (c == 2 || c > 0)
                return 0;
        }
        return 1;
    }
    return compare(t, cell, want) == 0;
}

int tocmp_filter_matches(json_t *filter, const struct tocm_table *t, size_t row) {
    if (!json_is_object(filter))
        return 1;
    const char *column;
    json_t *want;
    json_object_foreach(filter, column, want) {
        size_t c = tocmp_table_column(t, column);
        if (c == TOCM_NONE)
            return 0;
        if (!value_matches(t, tocmp_table_cell(t, row, c), want))
            return 0;
    }
    return 1;
}
