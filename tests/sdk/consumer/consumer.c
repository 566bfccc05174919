/*
 * consumer.c -- a program embedding libtocm (tests/sdk/test_sdk.sh builds it
 * against an installed tocm): loads and validates a model and prints one
 * line, "tocm VERSION: N nodes, E errors", exiting 1 when the model does not
 * load or the version in tocm/version.h is not the package's.
 */
#include <stdio.h>
#include <string.h>

#include <tocm/tocm.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: consumer MODEL\n");
        return 2;
    }
#ifdef PACKAGE_VERSION
    if (strcmp(TOCM_VERSION, PACKAGE_VERSION) != 0) {
        fprintf(stderr, "consumer: tocm/version.h says %s, the package %s\n", TOCM_VERSION,
                PACKAGE_VERSION);
        return 1;
    }
#endif
    tocm_diags *diags = tocm_diags_new();
    tocm_model *model = NULL;
    if (tocm_model_load_file(argv[1], diags, &model) != TOCM_OK) {
        tocm_diags_print(diags, stderr);
        tocm_diags_free(diags);
        return 1;
    }
    size_t errors = tocm_validate(model, diags);
    printf("tocm %s: %zu nodes, %zu errors\n", TOCM_VERSION, tocm_model_node_count(model), errors);
    tocm_model_free(model);
    tocm_diags_free(diags);
    return 0;
}
