/*
 * mermaid.c -- the `mermaid` exporter: the results chain as a Mermaid
 * flowchart, for pasting into Markdown on GitHub or GitLab pages.
 *
 * Each level is a subgraph (top level first), each node a box holding its
 * id and title, each contributes_to link an arrow; the modeller's inferred
 * links are dashed and inferred nodes have a dashed border, as in tocm's
 * diagrams. With `flowchart BT` (the default) the goal is at the top and
 * arrows point up the chain.
 *
 * Nothing the model holds reaches the Mermaid text unescaped:
 *   - node and level ids become Mermaid ids by an injective encoding
 *     ("n_" + letters and digits as they are, '_' as "__", any other byte as
 *     "_XX"), so no id can be a keyword (`end`), start an edge (`o`, `x`),
 *     or collide with another;
 *   - titles go inside double quotes, where Mermaid takes brackets, pipes
 *     and arrows as text; what could still end or change the string is
 *     written as a Mermaid entity (#quot; #35; ...), which Mermaid turns back
 *     into the character after parsing, so `"`, `#`, `%%`, `<script>`,
 *     backticks (Markdown strings), ':' and `;` are shown, never obeyed. A line
 *     break becomes <br>, other control characters a space.
 */
#include <stdlib.h>
#include <string.h>

#include <tocm/plugin.h>

struct buf {
    char *data;
    size_t len, cap;
    int failed; /* out of memory: the export fails, nothing half-written */
};

static void put(struct buf *b, const char *s, size_t n) {
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s) { put(b, s, strlen(s)); }

/* A Mermaid id for a tocm id: prefix + the injective encoding above. */
static void put_id(struct buf *b, const char *prefix, const char *id) {
    static const char hex[] = "0123456789ABCDEF";
    puts_(b, prefix);
    for (const unsigned char *c = (const unsigned char *)id; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))
            put(b, (const char *)c, 1);
        else if (*c == '_')
            puts_(b, "__");
        else {
            char e[3] = {'_', hex[*c >> 4], hex[*c & 15]};
            put(b, e, 3);
        }
    }
}

/* Text for inside a double-quoted Mermaid label (see the top of the file). */
static void put_text(struct buf *b, const char *text) {
    const unsigned char *c = (const unsigned char *)text;
    while (*c) {
        const char *entity = NULL;
        switch (*c) {
        case '"': entity = "#quot;"; break;
        case '#': entity = "#35;"; break;
        case '&': entity = "#amp;"; break;
        case '<': entity = "#lt;"; break;
        case '>': entity = "#gt;"; break;
        case '`': entity = "#96;"; break;
        case '%': entity = "#37;"; break;
        case ';': entity = "#59;"; break;
        case '\\': entity = "#92;"; break;
        /* Mermaid strips the last ';' of a line holding "style...:...#...;"
         * before parsing (for colours); with ':' as an entity no title can
         * make a line look like that. */
        case ':': entity = "#58;"; break;
        case '\n': entity = "<br>"; break;
        case '\r': entity = ""; break;
        default: break;
        }
        if (entity) {
            puts_(b, entity);
            c++;
            continue;
        }
        if (*c < 0x20 || *c == 0x7f) {
            put(b, " ", 1);
            c++;
            continue;
        }
        /* Bidirectional controls (U+200E-F, U+202A-E, U+2066-9) would make
         * the Markdown source read other than it renders: as entities. */
        if (c[0] == 0xE2 && c[1] && c[2] &&
            ((c[1] == 0x80 && (c[2] == 0x8E || c[2] == 0x8F || (c[2] >= 0xAA && c[2] <= 0xAE))) ||
             (c[1] == 0x81 && c[2] >= 0xA6 && c[2] <= 0xA9))) {
            unsigned cp = 0x2000u | ((c[1] & 0x3Fu) << 6) | (c[2] & 0x3Fu);
            char e[16];
            int n = 0;
            e[n++] = '#';
            for (unsigned d = 1000; d; d /= 10)
                e[n++] = (char)('0' + cp / d % 10);
            e[n++] = ';';
            put(b, e, (size_t)n);
            c += 3;
            continue;
        }
        put(b, (const char *)c, 1);
        c++;
    }
}

static void put_node(struct buf *b, const struct tocm_host *host, const tocm_model *m, size_t node,
                     const char *indent) {
    long level = host->node_level(m, node);
    int outcome = level >= 0 && host->level_is_outcome(m, (size_t)level);
    puts_(b, indent);
    put_id(b, "n_", host->node_id(m, node));
    /* Outcomes in rounded boxes, work (clusters, projects) in square ones. */
    puts_(b, outcome ? "(\"<b>" : "[\"<b>");
    put_text(b, host->node_id(m, node));
    puts_(b, "</b><br>");
    put_text(b, host->node_title(m, node));
    puts_(b, outcome ? "\")\n" : "\"]\n");
}

/* Whether node i is drawn: every node, or with down-to those of the first
 * `last` levels. A link is drawn when its source is, as it points up. */
static int shown(const struct tocm_host *host, const tocm_model *m, size_t i, size_t last,
                 const char *down_to) {
    long level = host->node_level(m, i);
    return !down_to || (level >= 0 && (size_t)level < last);
}

static int write_mermaid(const struct tocm_host *host, const struct tocm_export_input *in,
                         tocm_error *err) {
    const tocm_model *m = in->model;
    const char *direction = host->export_option(in->request, "direction");
    if (!direction)
        direction = "BT";
    if (strcmp(direction, "BT") != 0 && strcmp(direction, "TB") != 0 &&
        strcmp(direction, "LR") != 0 && strcmp(direction, "RL") != 0) {
        host->error_set(err, "direction", "the direction must be TB, BT, LR or RL, not '%s'",
                        direction);
        return -1;
    }
    /* down-to=LEVEL: only the levels from the top down to LEVEL (a large
     * chain is unreadable in a Markdown page; its outcomes often are not). */
    size_t levels = host->level_count(m), last = levels;
    const char *down_to = host->export_option(in->request, "down-to");
    if (down_to) {
        for (size_t l = 0; l < levels && last == levels; l++)
            if (strcmp(host->level_id(m, l), down_to) == 0)
                last = l;
        if (last == levels) {
            host->error_set(err, "down-to", "the model has no level '%s'", down_to);
            return -1;
        }
        last++;
    }
    struct buf b = {0};
    puts_(&b, "flowchart ");
    puts_(&b, direction);
    puts_(&b, "\n");
    size_t nodes = host->node_count(m);
    /* One subgraph per level that has nodes, top level first. */
    for (size_t l = 0; l < last; l++) {
        int opened = 0;
        for (size_t i = 0; i < nodes; i++) {
            if (host->node_level(m, i) != (long)l)
                continue;
            if (!opened) {
                puts_(&b, "  subgraph ");
                put_id(&b, "L_", host->level_id(m, l));
                puts_(&b, " [\"");
                put_text(&b, host->level_title(m, l));
                puts_(&b, "\"]\n");
                opened = 1;
            }
            put_node(&b, host, m, i, "    ");
        }
        if (opened)
            puts_(&b, "  end\n");
    }
    /* A node of no known level (a model exported without validation). */
    for (size_t i = 0; i < nodes; i++)
        if (host->node_level(m, i) < 0 && !down_to)
            put_node(&b, host, m, i, "  ");
    for (size_t i = 0; i < nodes; i++) {
        if (!shown(host, m, i, last, down_to))
            continue;
        size_t outs = host->node_out_count(m, i);
        for (size_t k = 0; k < outs; k++) {
            puts_(&b, "  ");
            put_id(&b, "n_", host->node_id(m, i));
            puts_(&b, host->link_is_inferred(m, i, k) ? " -.-> " : " --> ");
            put_id(&b, "n_", host->node_id(m, host->node_out(m, i, k)));
            puts_(&b, "\n");
        }
    }
    int any_inferred = 0;
    for (size_t i = 0; i < nodes; i++) {
        if (!host->node_is_inferred(m, i) || !shown(host, m, i, last, down_to))
            continue;
        if (!any_inferred)
            puts_(&b, "  classDef inferred stroke-dasharray: 5 4\n");
        any_inferred = 1;
        puts_(&b, "  class ");
        put_id(&b, "n_", host->node_id(m, i));
        puts_(&b, " inferred\n");
    }
    if (b.failed) {
        free(b.data);
        host->error_set(err, "mermaid", "out of memory");
        return -1;
    }
    int rc = host->export_write(in->request, b.data, b.len);
    free(b.data);
    return rc;
}

static const char *const formats[] = {"mermaid", NULL};
static const struct tocm_option_info options[] = {
    {.name = "direction",
     .arg = "TB|BT|LR|RL",
     .help = "where the chain flows (default BT: the goal at the top)"},
    {.name = "down-to",
     .arg = "LEVEL",
     .help = "draw only the levels from the top down to LEVEL (default: all)"},
    {.name = NULL},
};

static const struct tocm_exporter mermaid_exporter = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_exporter),
    .name = "mermaid",
    .summary = "the results chain as a Mermaid flowchart, for Markdown pages",
    .formats = formats,
    .write = write_mermaid,
    .options = options,
};

static const struct tocm_exporter *const exporters[] = {&mermaid_exporter, NULL};

static const struct tocm_plugin plugin = {
    .abi = TOCM_ABI_VERSION,
    .size = sizeof(struct tocm_plugin),
    .name = "mermaid",
    .version = "1.0.0",
    .summary = "Exports the results chain as a Mermaid flowchart",
    .exporters = exporters,
};

TOCM_PLUGIN_DEFINE(host, out, err) {
    (void)host;
    (void)err;
    *out = &plugin;
    return 0;
}
