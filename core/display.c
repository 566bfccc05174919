/*
 * display.c -- figures as a report prints them: rounding half away from
 * zero and thousands separators (engine.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "util.h"

double tocmp_round(double value, int decimals) {
    double scale = pow(10, decimals);
    /* The nudge keeps 0.365 (stored as 0.36499999...) rounding to 0.37 as a
     * person would, without moving any value that is not on a boundary. */
    double scaled = value * scale;
    if (!isfinite(scaled) || fabs(scaled) >= 0x1p52)
        return value; /* no fraction left to round (and no infinity made) */
    return round(scaled + (scaled >= 0 ? 1e-9 : -1e-9)) / scale;
}

/* The digits of a figure too large for its double to hold a fraction:
 * the shortest digits that read back as the same double, then zeros, so
 * 1e70 is a 1 and seventy zeros rather than the binary value's noise
 * (10,000,000,000,000,000,725,314,...). new: free(). */
static char *huge_digits(double v, int decimals) {
    char sci[40];
    for (int precision = 0; precision <= 16; precision++) {
        snprintf(sci, sizeof sci, "%.*e", precision, v);
        if (strtod(sci, NULL) == v)
            break;
    }
    /* sci is "D.DDDe+XX" or "De+XX". */
    char *e = strchr(sci, 'e');
    int exponent = atoi(e + 1);
    tocmp_buf b = {0};
    int written = 0;
    for (const char *p = sci; p < e; p++) {
        if (*p == '.')
            continue;
        tocmp_buf_append(&b, p, 1);
        written++;
    }
    for (; written <= exponent; written++)
        tocmp_buf_puts(&b, "0");
    if (decimals > 0) {
        tocmp_buf_puts(&b, ".");
        for (int i = 0; i < decimals; i++)
            tocmp_buf_puts(&b, "0");
    }
    return b.data;
}

char *tocmp_display(double value, int has_value, int percentage, int decimals) {
    if (!has_value)
        return tocmp_xstrdup("\xe2\x80\x93"); /* an en dash, as reports print */
    double v = tocmp_round(percentage ? value * 100 : value, decimals);
    /* As long as the figure needs: 1e70 has 71 digits, and a fixed buffer
     * once cut them off. */
    char *digits = fabs(v) >= 1e17 ? huge_digits(fabs(v), decimals)
                                   : tocmp_asprintf("%.*f", decimals, v == 0 ? 0.0 : fabs(v));
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
    free(digits);
    return b.data;
}
