/*
 * bench_load.c -- one timed load of a model file, for tests/bench/run_bench.sh.
 *
 * Usage: bench_load MODE FILE
 *   jansson  json_load_file alone: the floor any JSON-based loader pays;
 *   tocm     tocm_model_load_file + tocm_validate: what `tocm validate` does
 *            before it prints anything.
 *
 * Prints one line, "mode=M seconds=S cpu_seconds=C maxrss_kb=K nodes=N",
 * where S is the wall time of the load (and validation) alone, C the CPU
 * time this process spent on it (the steadier figure when other work shares
 * the machine), and K the peak resident set of the whole process
 * (getrusage). Run each mode in a process of its own so
 * one mode's peak does not hide the other's; the driver does.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tocm/tocm.h"

static double clock_seconds(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void) { return clock_seconds(CLOCK_MONOTONIC); }
static double cpu_now(void) { return clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[1], "jansson") != 0 && strcmp(argv[1], "tocm") != 0)) {
        fprintf(stderr, "usage: %s jansson|tocm FILE\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1], *path = argv[2];
    size_t nodes = 0;
    double start, cpu_start, seconds, cpu_seconds;

    if (strcmp(mode, "jansson") == 0) {
        json_error_t err;
        cpu_start = cpu_now();
        start = now();
        json_t *root = json_load_file(path, 0, &err);
        seconds = now() - start;
        cpu_seconds = cpu_now() - cpu_start;
        if (!root) {
            fprintf(stderr, "%s:%d:%d: %s\n", path, err.line, err.column, err.text);
            return 1;
        }
        nodes = json_array_size(json_object_get(root, "nodes"));
        json_decref(root);
    } else {
        tocm_diags *diags = tocm_diags_new();
        tocm_model *model = NULL;
        cpu_start = cpu_now();
        start = now();
        int rc = tocm_model_load_file(path, diags, &model);
        if (rc == TOCM_OK)
            tocm_validate(model, diags);
        seconds = now() - start;
        cpu_seconds = cpu_now() - cpu_start;
        if (rc != TOCM_OK || tocm_diags_errors(diags) > 0) {
            tocm_diags_print(diags, stderr);
            tocm_model_free(model);
            tocm_diags_free(diags);
            return 1;
        }
        nodes = tocm_model_node_count(model);
        tocm_model_free(model);
        tocm_diags_free(diags);
    }

    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("mode=%s seconds=%.6f cpu_seconds=%.6f maxrss_kb=%ld nodes=%zu\n", mode, seconds,
           cpu_seconds, usage.ru_maxrss, nodes);
    return 0;
}
