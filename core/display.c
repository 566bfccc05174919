/*
 * display.c -- figures as a report prints them: rounding half away from
 * zero and thousands separators (engine.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "util.h"

double tocmp_round(double value, int decimals) {
    double scale = pow(10, decimals);
    /* The nudge keeps 0.365 (stored as 0.36499999...) rounding to 0.37 as a
     * person would, without moving any value that is not on a boundary. */
    double scaled = value * scale;
    return round(scaled + (scaled >= 0 ? 1e-9 : -1e-9)) / scale;
}

char *tocmp_display(double value, int has_value, int percentage, int decimals) {
    if (!has_value)
        return tocmp_xstrdup("\xe2\x80\x93"); /* an en dash, as reports print */
    double v = tocmp_round(percentage ? value * 100 : value, decimals);
    char digits[64];
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v));
    if (v == 0)
        snprintf(digits, sizeof digits, "%.*f", decimals, 0.0); /* no "-0" */
    /* Thousands separators in the whole part: 8562 -> 8,562. */
    char *dot = strchr(digits, '.');
    size_t whole = dot ? (size_t)(dot - digits) : strlen(digits);
    tocmp_buf b = {0};
    if (v < 0)
        tocmp_buf_puts(&b, "-");
    for (size_t i = 0; i < whole; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            tocmp_buf_puts(&b, ",");
        tocmp_buf_append(&b, digits + i, 1);
    }
    if (dot)
        tocmp_buf_puts(&b, dot);
    if (percentage)
        tocmp_buf_puts(&b, "%");
    return b.data;
}
