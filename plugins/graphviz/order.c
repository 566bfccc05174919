/*
 * order.c -- the order things are drawn in, the same on every page: ids in
 * natural order (O2.4 < O2.5 < O2.10, EOPO1 < EOPO2 < EOPO3), countries
 * with the regional ones (no country) first, then by ISO code.
 */
#include <stdlib.h>
#include <string.h>

#include "gv_internal.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int natural_cmp(const char *a, const char *b) {
    while (*a && *b) {
        if (is_digit(*a) && is_digit(*b)) {
            /* Compare the numbers: skip leading zeros, then the longer run
             * is larger, then the first differing digit decides. */
            while (*a == '0' && is_digit(a[1]))
                a++;
            while (*b == '0' && is_digit(b[1]))
                b++;
            size_t la = 0, lb = 0;
            while (is_digit(a[la]))
                la++;
            while (is_digit(b[lb]))
                lb++;
            if (la != lb)
                return la < lb ? -1 : 1;
            int c = strncmp(a, b, la);
            if (c)
                return c < 0 ? -1 : 1;
            a += la;
            b += lb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    if (*a || *b)
        return *a ? 1 : -1;
    return 0;
}

int country_cmp(const char *a, const char *b) {
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    return strcmp(a, b);
}

struct sort_ctx {
    const struct tocm_host *host;
    const tocm_model *m;
    int by_id_only;
};

static int node_cmp(const struct sort_ctx *c, size_t x, size_t y) {
    const struct tocm_host *h = c->host;
    if (!c->by_id_only) {
        long lx = h->node_level(c->m, x), ly = h->node_level(c->m, y);
        if (lx != ly)
            return lx < ly ? -1 : 1;
        int k = country_cmp(h->node_string(c->m, x, "country"), h->node_string(c->m, y, "country"));
        if (k)
            return k;
    }
    int k = natural_cmp(h->node_id(c->m, x), h->node_id(c->m, y));
    if (k)
        return k;
    return x < y ? -1 : x > y;
}

/* A stable merge sort (qsort has no context argument). */
static void merge_sort(const struct sort_ctx *c, size_t *a, size_t *tmp, size_t n) {
    if (n < 2)
        return;
    size_t half = n / 2;
    merge_sort(c, a, tmp, half);
    merge_sort(c, a + half, tmp, n - half);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n)
        tmp[k++] = node_cmp(c, a[j], a[i]) < 0 ? a[j++] : a[i++];
    while (i < half)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

static void sort_with(const struct tocm_host *host, const tocm_model *m, size_t *nodes,
                      size_t count, int by_id_only) {
    size_t *tmp = malloc((count ? count : 1) * sizeof *tmp);
    struct sort_ctx c = {host, m, by_id_only};
    if (!tmp) {
        /* No memory for the merge: an insertion sort, slow but in place. */
        for (size_t i = 1; i < count; i++)
            for (size_t j = i; j > 0 && node_cmp(&c, nodes[j], nodes[j - 1]) < 0; j--) {
                size_t t = nodes[j];
                nodes[j] = nodes[j - 1];
                nodes[j - 1] = t;
            }
        return;
    }
    merge_sort(&c, nodes, tmp, count);
    free(tmp);
}

void sort_nodes(const struct tocm_host *host, const tocm_model *m, size_t *nodes, size_t count) {
    sort_with(host, m, nodes, count, 0);
}

void sort_by_id(const struct tocm_host *host, const tocm_model *m, size_t *nodes, size_t count) {
    sort_with(host, m, nodes, count, 1);
}

int model_countries(const struct tocm_host *host, const tocm_model *m, const char ***codes,
                    size_t *count) {
    size_t n = host->node_count(m);
    const char **c = malloc((n ? n : 1) * sizeof *c);
    *codes = c;
    *count = 0;
    if (!c)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *code = host->node_string(m, i, "country");
        if (!code)
            continue;
        size_t k = 0;
        while (k < *count && strcmp(c[k], code) < 0)
            k++;
        if (k < *count && strcmp(c[k], code) == 0)
            continue;
        memmove(c + k + 1, c + k, (*count - k) * sizeof *c);
        c[k] = code;
        (*count)++;
    }
    return 0;
}
