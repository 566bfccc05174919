/*
 * cli_util.h -- memory, byte buffers and file reading for the command-line
 * tool. The CLI uses only the public headers of include/tocm/; these are its
 * own small helpers. Out of memory, they print one line and exit with
 * status 2: a command has nothing sensible to do without memory.
 */
#ifndef TOCM_CLI_UTIL_H
#define TOCM_CLI_UTIL_H

#include <stddef.h>
#include <stdio.h>

void *cli_xmalloc(size_t size);
void *cli_xcalloc(size_t count, size_t size);
void *cli_xrealloc(void *ptr, size_t size);
char *cli_xstrdup(const char *s);

/* A growable byte buffer; data is NUL-terminated once anything was added. */
struct cli_buf {
    char *data;
    size_t len, cap;
};
void cli_buf_append(struct cli_buf *b, const void *data, size_t len);

/* Everything left in stream, NUL-terminated (new: free() it), or NULL on a
 * read error (errno set). *len gets the byte count. */
char *cli_read_stream(FILE *stream, size_t *len);

/* The whole file at path, as cli_read_stream; NULL with errno set when it
 * cannot be opened or read. */
char *cli_read_file(const char *path, size_t *len);

/* text with every character a terminal would act on escaped, as
 * tocm_print_text writes it (one line: newlines escaped too), for callers
 * that pad or align it. new: free() it. */
char *cli_text_escaped(const char *text);

#endif
