/*
 * table_stream.c -- reading a CSV table in chunks of whole records, for the
 * engine to fold as they come (engine_stream.c): memory depends on the
 * chunk size, not on the file's, and chunks can be parsed on several
 * threads at once.
 *
 * Where a chunk may end: after a line end that is outside quotes. Quotes
 * toggle the quoted state ("" toggles it twice), so a line end is outside
 * quotes exactly when an even number of '"' precede it in the chunk (which
 * starts outside quotes). A file that misuses a quote is stopped by the
 * parser at that quote, which lies inside the chunk, before the cut could
 * matter. A record longer than the chunk (a huge quoted field) makes the
 * chunk grow until it holds one.
 *
 * Each chunk is parsed on its own, its lines counted from 1; the errors are
 * reported at the end in file order with their lines made absolute, so a
 * file read in chunks gets the very messages tocmp_table_load gives.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "table.h"
#include "table_parse.h"
#include "util.h"

struct tocmp_table_chunk {
    char *data;        /* the bytes (owned), NUL after the last */
    char *start, *end; /* the records: past the header in the first chunk */
    size_t lines;      /* lines the chunk's records take (set by parse) */
    size_t rows;
    struct tocmp_table_errors errs;
    /* Where parsing is: a chunk is parsed a few thousand rows at a time,
     * each piece folded while its bytes are still in the cache. */
    struct tocmp_csv_parser ps;
    int started;
};

struct tocmp_table_stream {
    int fd;
    char *display_name;
    struct tocm_table header;
    size_t chunk_bytes;
    /* Bytes read past the last chunk's end: the start of the next one. */
    char *carry;
    size_t carry_len;
    int eof, read_errno;
    /* Bytes read so far, and the most a pipe or device may give (a
     * regular file is read whatever its size: memory does not grow). */
    size_t total, limit;
    size_t header_lines; /* lines the header takes, BOM and all */
    struct tocmp_table_chunk **chunks;
    size_t chunk_count, chunk_cap;
    size_t handed; /* chunks handed out by tocmp_table_stream_next */
};

/* Where the chunk buf[0..len) may end: just past the last line end outside
 * quotes, or 0 when there is none. A '\r' at the very end may be the first
 * half of "\r\n": not an end yet. */
static size_t last_record_end(const char *buf, size_t len) {
    size_t quotes = 0;
    for (const char *q = buf; (q = memchr(q, '"', (size_t)(buf + len - q))) != NULL; q++)
        quotes++;
    for (size_t i = len; i-- > 0;) {
        char ch = buf[i];
        if (ch == '"') {
            quotes--; /* now the quotes before i */
            continue;
        }
        if (quotes % 2 == 0 && (ch == '\n' || (ch == '\r' && i + 1 < len && buf[i + 1] != '\n')))
            return i + 1;
    }
    return 0;
}

/* Reads into buf until it holds want bytes or the file ends. Returns the
 * bytes read; sets s->eof or s->read_errno. */
static size_t read_some(struct tocmp_table_stream *s, char *buf, size_t want) {
    size_t got = 0;
    while (got < want && !s->eof && !s->read_errno) {
        ssize_t n = read(s->fd, buf + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            s->read_errno = errno;
        else if (n == 0)
            s->eof = 1;
        else {
            /* Text never holds a NUL: the parser stops at the first one,
             * so nothing after it is read (not even all of /dev/zero). */
            if (memchr(buf + got, '\0', (size_t)n))
                s->eof = 1;
            got += (size_t)n;
            s->total += (size_t)n;
            if (s->total > s->limit)
                s->read_errno = EFBIG;
        }
    }
    return got;
}

/* The next chunk of whole records, or NULL when the file is done. */
static struct tocmp_table_chunk *next_chunk(struct tocmp_table_stream *s) {
    if (s->read_errno || (s->eof && s->carry_len == 0))
        return NULL;
    size_t cap = s->chunk_bytes > s->carry_len ? s->chunk_bytes : 2 * s->carry_len;
    /* + 1 for the NUL after the last record, and TOCMP_TABLE_PAD zero
     * bytes after it, so a text may be read a word at a time. */
    char *buf = tocmp_xmalloc(cap + 1 + TOCMP_TABLE_PAD);
    size_t len = s->carry_len, cut;
    if (len)
        memcpy(buf, s->carry, len);
    s->carry_len = 0;
    for (;;) {
        len += read_some(s, buf + len, cap - len);
        if (s->read_errno) {
            free(buf);
            return NULL;
        }
        if (s->eof) {
            cut = len;
            break;
        }
        cut = last_record_end(buf, len);
        if (cut)
            break;
        cap *= 2; /* one record longer than the chunk: room for it */
        buf = tocmp_xrealloc(buf, cap + 1 + TOCMP_TABLE_PAD);
    }
    /* What follows the cut starts the next chunk. */
    if (cut < len) {
        s->carry = tocmp_xrealloc(s->carry, len - cut);
        memcpy(s->carry, buf + cut, len - cut);
        s->carry_len = len - cut;
    }
    memset(buf + cut, 0, 1 + TOCMP_TABLE_PAD); /* the parser stops at the first */
    struct tocmp_table_chunk *ch = tocmp_xcalloc(1, sizeof *ch);
    ch->data = buf;
    ch->start = buf;
    ch->end = buf + cut;
    if (s->chunk_count == s->chunk_cap) {
        s->chunk_cap = s->chunk_cap ? 2 * s->chunk_cap : 64;
        s->chunks = tocmp_xrealloc(s->chunks, s->chunk_cap * sizeof *s->chunks);
    }
    s->chunks[s->chunk_count++] = ch;
    return ch;
}

/* Why the file could not be read, as tocmp_table_load says it. */
static void read_failed(const struct tocmp_table_stream *s, tocm_diags *diags) {
    if (s->read_errno == EFBIG)
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E301", s->display_name, 0, 0, "", NULL,
                       "the data file is larger than %zu MiB, the most tocm reads",
                       TOCMP_MAX_DATA_BYTES >> 20);
    else
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E301", s->display_name, 0, 0, "", NULL,
                       "cannot read the data file: %s", strerror(s->read_errno));
}

struct tocmp_table_stream *tocmp_table_stream_open(const char *path, const char *display_name,
                                                   const struct tocmp_column_spec *specs,
                                                   size_t spec_count, size_t chunk_bytes,
                                                   tocm_diags *diags) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        tocm_diags_add(diags, TOCM_SEV_ERROR, "E301", display_name, 0, 0, "", NULL,
                       "cannot read the data file: %s", strerror(errno));
        return NULL;
    }
    struct tocmp_table_stream *s = tocmp_xcalloc(1, sizeof *s);
    s->fd = fd;
    struct stat st;
    s->limit = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? SIZE_MAX : TOCMP_MAX_DATA_BYTES;
    s->display_name = tocmp_xstrdup(display_name);
    s->chunk_bytes = chunk_bytes < 16 ? 16 : chunk_bytes;
    s->header.path = tocmp_xstrdup(display_name);
    /* The first chunk holds the header record (a chunk ends after a whole
     * record); the rows after it are the chunk's. */
    struct tocmp_table_chunk *first = next_chunk(s);
    if (!first) {
        if (s->read_errno) {
            read_failed(s, diags);
            tocmp_table_stream_close(s);
            return NULL;
        }
        first = tocmp_xcalloc(1, sizeof *first); /* an empty file */
        first->data = tocmp_xcalloc(1, 1 + TOCMP_TABLE_PAD);
        first->start = first->end = first->data;
        s->chunks = tocmp_xmalloc(sizeof *s->chunks);
        s->chunks[0] = first;
        s->chunk_count = s->chunk_cap = 1;
    }
    struct tocmp_csv_parser ps = {
        .p = first->start, .end = first->end, .line = 1, .errs = &first->errs};
    if (first->end - first->start >= 3 && memcmp(first->start, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3; /* a UTF-8 byte-order mark, as spreadsheets write */
    ps.line_start = ps.p;
    if (tocmp_csv_parse_header(&ps, &s->header, specs, spec_count) != 0) {
        size_t one = 1;
        tocmp_table_errors_flush(&first->errs, 1, &one, display_name, diags);
        tocmp_table_stream_close(s);
        return NULL;
    }
    first->start = ps.p;
    s->header_lines = ps.line - 1;
    return s;
}

const struct tocm_table *tocmp_table_stream_header(const struct tocmp_table_stream *s) {
    return &s->header;
}

struct tocmp_table_chunk *tocmp_table_stream_next(struct tocmp_table_stream *s) {
    /* The first chunk was read with the header. */
    if (s->handed < s->chunk_count)
        return s->chunks[s->handed++];
    struct tocmp_table_chunk *ch = next_chunk(s);
    if (ch)
        s->handed++;
    return ch;
}

int tocmp_table_chunk_failed(const struct tocmp_table_chunk *chunk) {
    return chunk->errs.count != 0;
}

void tocmp_table_chunk_done(struct tocmp_table_chunk *chunk) {
    free(chunk->data);
    chunk->data = chunk->start = chunk->end = NULL;
}

size_t tocmp_table_stream_finish(struct tocmp_table_stream *s, tocm_diags *diags) {
    if (s->read_errno) {
        read_failed(s, diags);
        return (size_t)-1;
    }
    size_t n = s->chunk_count, rows = 0;
    size_t *first_line = tocmp_xmalloc((n ? n : 1) * sizeof *first_line);
    struct tocmp_table_errors *errs = tocmp_xmalloc((n ? n : 1) * sizeof *errs);
    for (size_t k = 0; k < n; k++) {
        first_line[k] = k ? first_line[k - 1] + s->chunks[k - 1]->lines : s->header_lines + 1;
        errs[k] = s->chunks[k]->errs;
        memset(&s->chunks[k]->errs, 0, sizeof s->chunks[k]->errs); /* now errs[k]'s */
        rows += s->chunks[k]->rows;
    }
    size_t bad = tocmp_table_errors_flush(errs, n, first_line, s->display_name, diags);
    free(first_line);
    free(errs);
    return bad ? (size_t)-1 : rows;
}

void tocmp_table_stream_close(struct tocmp_table_stream *s) {
    if (!s)
        return;
    for (size_t k = 0; k < s->chunk_count; k++) {
        tocmp_table_errors_clear(&s->chunks[k]->errs);
        free(s->chunks[k]->data);
        free(s->chunks[k]);
    }
    free(s->chunks);
    free(s->carry);
    if (s->fd >= 0)
        close(s->fd);
    tocmp_idmap_free(&s->header.columns);
    for (size_t c = 0; c < s->header.column_count && s->header.names; c++)
        free(s->header.names[c]);
    free(s->header.names);
    free(s->header.types);
    free(s->header.path);
    free(s->display_name);
    free(s);
}

void tocmp_table_block_init(struct tocm_table *block, const struct tocm_table *header) {
    memset(block, 0, sizeof *block);
    block->path = header->path;
    block->column_count = header->column_count;
    block->names = header->names;
    block->columns = header->columns;
    block->types = header->types;
}

void tocmp_table_block_free(struct tocm_table *block) {
    free((void *)block->text);
    free(block->number);
    free(block->has_number);
    memset(block, 0, sizeof *block);
}

int tocmp_table_chunk_parse(struct tocmp_table_chunk *ch, struct tocm_table *block,
                            size_t max_rows) {
    struct tocmp_csv_parser *ps = &ch->ps;
    if (!ch->started) {
        *ps = (struct tocmp_csv_parser){
            .p = ch->start, .end = ch->end, .line = 1, .line_start = ch->start, .errs = &ch->errs};
        ch->started = 1;
    }
    if (ps->p >= ps->end || ch->errs.fatal)
        return 0;
    /* A row takes at least a byte per column but one (its commas): a wide
     * table's piece is sized by its bytes, not by max_rows times columns. */
    size_t cc = block->column_count;
    size_t fit = (size_t)(ps->end - ps->p) / (cc > 1 ? cc - 1 : 1) + 1;
    if (max_rows > fit)
        max_rows = fit;
    size_t room = max_rows && cc ? max_rows * cc : 1;
    if (room > block->room) {
        free((void *)block->text);
        free(block->number);
        free(block->has_number);
        block->text = tocmp_xmalloc(room * sizeof *block->text);
        block->number = tocmp_xmalloc(room * sizeof *block->number);
        block->has_number = tocmp_xmalloc(room);
        block->room = room;
    }
    memset(block->has_number, 0, room);
    block->stride = max_rows;
    block->text_padded = 1;
    block->row_count = tocmp_csv_parse_rows(ps, block, max_rows);
    ch->rows += block->row_count;
    ch->lines = ps->line - 1;
    return 1;
}
