/*
 * util.h -- allocation that cannot fail silently, string helpers and JSON
 * pointer building, shared by the core's modules.
 */
#ifndef TOCMP_UTIL_H
#define TOCMP_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Allocation under the library's rule (include/tocm/tocm.h, "Errors and
 * memory"): these never return NULL. When the system has no memory left
 * they call tocmp_out_of_memory, which runs the program's handler
 * (tocm_set_oom_handler) and then aborts. */
void tocmp_out_of_memory(size_t size) __attribute__((noreturn));
/* Puts jansson's allocations under the same rule, unless the program gave
 * jansson allocators of its own first (json_set_alloc_funcs). Acts once.
 * tocm_diags_new and tocm_registry_load call it: every use of the library
 * starts with one of them (loading a model needs a diagnostics list). */
void tocmp_json_alloc_init(void);
/* Appends the string s to the JSON array list unless it holds it already:
 * the lists of names, sources and reasons the report prints once each. */
struct json_t;
void tocmp_json_add_unique(struct json_t *list, const char *s);
void *tocmp_xmalloc(size_t size);
/* For a buffer of a whole large model's text: on huge pages where the
 * system gives them on request (madvise), so filling 50 MB costs a few
 * dozen page faults rather than 13,000. free() it. */
void *tocmp_xmalloc_large(size_t size);
void *tocmp_xcalloc(size_t count, size_t size);
void *tocmp_xrealloc(void *ptr, size_t size);
char *tocmp_xstrdup(const char *s);
char *tocmp_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *tocmp_vasprintf(const char *fmt, va_list ap);

/* A growable byte buffer. */
typedef struct tocmp_buf {
    char *data;
    size_t len, cap;
} tocmp_buf;
void tocmp_buf_append(tocmp_buf *b, const char *s, size_t n);
void tocmp_buf_puts(tocmp_buf *b, const char *s);
void tocmp_buf_printf(tocmp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a JSON pointer token for an object key: '~' and '/' escaped. */
void tocmp_buf_pointer_key(tocmp_buf *b, const char *key);

/* Whether the character at s is one a terminal acts on rather than shows:
 * a C0 or C1 control, DEL, a bidirectional-text control (U+061C, U+200E,
 * U+200F, U+202A-U+202E, U+2066-U+2069), a line or paragraph separator
 * (U+2028, U+2029), or a byte that does not start valid UTF-8. Sets *len to
 * the character's byte count (1 for an invalid byte) and *cp to its code
 * point (-1 for an invalid byte). s must not point at the terminating NUL. */
int tocmp_char_is_control(const char *s, size_t *len, long *cp);

/* Replaces path atomically (tocm_write_file_atomic, whose rules are in
 * atomic_write.c); when expect is not NULL, the file path names (after
 * following links) must still be that one (st_dev, st_ino), e.g. the file
 * an edit locked and read, or nothing is written. Returns TOCM_OK or
 * TOCM_EIO with a sentence in err. */
struct stat;
int tocmp_replace_file(const char *path, const char *data, size_t len, const struct stat *expect,
                       char *err, size_t err_size);

/* The largest model file tocm reads (room for some 2,000,000 nodes with
 * sentence-length titles, 100,000 being 52 MB; the load benchmark's
 * 1,000,000 nodes must fit): past it, or from an endless device, a read
 * stops with an error rather than filling memory. models/FORMAT.md
 * documents it. */
#define TOCMP_MAX_MODEL_BYTES ((size_t)1 << 30)

/* The largest data (CSV) file tocm reads: 2,000,000 rows of monitoring
 * data are about 70 MB. models/FORMAT.md documents it. */
/* The longest id of a node or level (E110), in bytes. */
#define TOCMP_MAX_ID_BYTES 200
#define TOCMP_MAX_DATA_BYTES ((size_t)1 << 30)

/* Reads a text file whole: new, NUL-terminated, free() it. Returns NULL
 * with errno EFBIG past max bytes (so an endless device ends), or another
 * errno when it cannot be read. Reading stops after the chunk holding the
 * first NUL byte, which no text holds: the caller finds it and reports
 * where it is, and `/dev/zero` ends at once. */
char *tocmp_read_text(const char *path, size_t max, size_t *len);

/* Reads a whole file. new: free() it. Returns NULL and sets errno on failure. */
char *tocmp_read_file(const char *path, size_t *len);

#endif
