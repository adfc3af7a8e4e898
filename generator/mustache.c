/* mustache.c - a mustache renderer over cJSON (or any) data.
 *
 * Two stages, as in a compiler: parse() turns a template into a flat token
 * array once, settling delimiters, standalone lines and block indentation;
 * render() then walks the tokens against a stack of data contexts, reached
 * through the calls of a mustache_data (cJSON's are at the end). A
 * section, parent or block token is followed by its children and `end`
 * points just past them, so a false section is skipped in O(1) and no tree
 * is built. Output goes to a buffer that doubles as it grows (or, given a
 * sink, is handed to it in pieces), and partials are parsed once per
 * render call, so the work stays linear in template and output size.
 *
 * Whitespace follows the spec files and their companion specs/whitespace.md:
 * a section, comment, partial, parent, block or delimiter tag alone on its
 * line takes the whole line with it; so does a parent element whose start
 * tag begins a line and whose end tag ends one. Indentation is applied while
 * rendering: the leading blanks of a standalone partial (or parent, or
 * overridden block) are written before every line of template text it
 * expands, never inside interpolated values, and never on blank lines.
 */
#include "mustache.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_EXPANSIONS = 100, /* partials and parents being expanded at once */
    MAX_NESTING = 1000,   /* render recursion of any kind: bounds the C stack */
    SINK_CHUNK = 65536,   /* output handed to a sink in pieces of about this */
};

/* ---- buffers ---------------------------------------------------------- */

/* A growable byte buffer. On allocation failure it sets `failed` and drops
 * further writes, so callers check once at the end instead of everywhere. */
typedef struct buf {
    char *data;
    size_t len, cap;
    int failed;
} buf;

static void buf_put(buf *b, const char *s, size_t n)
{
    if (b->failed || n == 0)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data) {
            b->failed = 1;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

/* Doubles the capacity of an array of `size`-byte items; NULL when out of
 * memory (the old array is then still valid). */
static void *grow_array(void *items, size_t *cap, size_t size)
{
    size_t n = *cap ? *cap * 2 : 8;
    void *p = realloc(items, n * size);
    if (p)
        *cap = n;
    return p;
}

/* ---- templates and errors --------------------------------------------- */

enum kind {
    T_TEXT,     /* template text, at most one line (with its newline) */
    T_VAR,      /* {{name}}: HTML-escaped interpolation */
    T_RAW,      /* {{{name}}} and {{&name}} */
    T_SECTION,  /* {{#name}}...{{/name}} */
    T_INVERTED, /* {{^name}}...{{/name}} */
    T_PARTIAL,  /* {{>name}} */
    T_PARENT,   /* {{<name}}...{{/name}}: a partial taking block arguments */
    T_BLOCK,    /* {{$name}}...{{/name}}: a parameter, or an argument */
};

typedef struct tok {
    unsigned char kind;
    unsigned char dynamic; /* partial or parent named by the value of s */
    unsigned char at_bol;  /* its expansion starts a fresh line */
    const char *at;        /* opening delimiter: error positions */
    const char *s;         /* text, or tag name */
    size_t len;
    const char *ind;       /* written before each line it expands */
    size_t ind_len;
    size_t end;            /* containers: index just past the last child */
} tok;

typedef struct tmpl {
    const char *name; /* in error messages */
    const char *src, *lim;
    char *owned;      /* partial text from the loader */
    tok *toks;
    size_t n, cap;
} tmpl;

static int is_container(int kind)
{
    return kind == T_SECTION || kind == T_INVERTED || kind == T_PARENT || kind == T_BLOCK;
}

/* The token after token i and its children. */
static size_t next_sibling(const tmpl *t, size_t i)
{
    return is_container(t->toks[i].kind) ? t->toks[i].end : i + 1;
}

static void tmpl_free(tmpl *t)
{
    if (!t)
        return;
    free(t->toks);
    free(t->owned);
}

/* 1-based line and column of `at`; only computed when reporting an error. */
static void where(const tmpl *t, const char *at, int *line, int *col)
{
    const char *bol = t->src;
    *line = 1;
    for (const char *s = t->src; s < at; s++)
        if (*s == '\n') {
            ++*line;
            bol = s + 1;
        }
    *col = (int)(at - bol) + 1;
}

/* Writes "name:line:col: error: message" into err; returns -1. */
__attribute__((format(printf, 5, 6)))
static int fail(char *err, size_t size, const tmpl *t, const char *at,
                const char *fmt, ...)
{
    if (!err || !size)
        return -1;
    int line, col;
    where(t, at, &line, &col);
    int n = snprintf(err, size, "%s:%d:%d: error: ", t->name, line, col);
    if (n >= 0 && (size_t)n < size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + n, size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int fail_oom(char *err, size_t size, const char *name)
{
    if (err && size)
        snprintf(err, size, "%s: error: out of memory", name);
    return -1;
}

/* ---- parser ------------------------------------------------------------ */

/* A tag as scanned, with its place on its line. */
typedef struct tag {
    int type;              /* sigil: one of #^/!><$&{= or 0 */
    int dynamic;           /* '>' or '<' followed by '*' */
    const char *at, *end;  /* opening delimiter; just past the closing one */
    const char *s;         /* content, trimmed, without sigil */
    size_t len;
    const char *bol;       /* start of its line if only blanks precede it, else NULL */
    const char *eol;       /* past its line end if only blanks follow it, else NULL */
    int standalone;
    const char *lead;      /* the blanks before it (bol..at) less any strip */
    size_t lead_len;
    long lead_tok;         /* token holding those blanks when written, or -1 */
} tag;

/* A section, parent or block whose end tag is still to come. */
typedef struct open_tag {
    size_t tok;
    int starts_line, standalone, argument;
    long lead_tok;
    const char *strip; /* the parser's strip outside it, restored at its end */
    size_t strip_len;
} open_tag;

typedef struct parser {
    tmpl *t;
    const char *pos;
    const char *otag, *ctag;
    size_t olen, clen;
    /* Inside an argument block, its intrinsic indentation: dropped from the
     * start of each line so the block can be re-indented where it lands. */
    const char *strip;
    size_t strip_len;
    open_tag *open;
    size_t nopen, capopen;
    char *err;
    size_t err_size;
} parser;

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_space(char c)
{
    return is_blank(c) || c == '\r' || c == '\n';
}

/* First occurrence of `pat` (n > 0 bytes) in [s, lim), or NULL. */
static const char *find(const char *s, const char *lim, const char *pat, size_t n)
{
    while ((size_t)(lim - s) >= n) {
        const char *c = memchr(s, pat[0], (size_t)(lim - s) - n + 1);
        if (!c)
            return NULL;
        if (!memcmp(c, pat, n))
            return c;
        s = c + 1;
    }
    return NULL;
}

/* Where the tag content starting at s ends: at the closing delimiter, or,
 * for {{{x}}} and {{=a b=}}, at the `pre` character just before it. */
static const char *find_close(const char *s, const char *lim, char pre,
                              const char *ctag, size_t clen)
{
    for (const char *q = s; (q = find(q, lim, ctag, clen)); q++) {
        if (!pre)
            return q;
        if (q > s && q[-1] == pre)
            return q - 1;
    }
    return NULL;
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && is_space(**s))
        ++*s;
    while (*e > *s && is_space((*e)[-1]))
        --*e;
}

static int parse_fail(parser *p, const char *at, const char *what, const tag *tg)
{
    return fail(p->err, p->err_size, p->t, at, "%s '%.*s'", what, (int)tg->len, tg->s);
}

static int scan_tag(parser *p, const char *at, tag *tg)
{
    const char *lim = p->t->lim;
    const char *s = at + p->olen;
    memset(tg, 0, sizeof *tg);
    tg->at = at;
    tg->lead_tok = -1;
    if (s < lim && *s && strchr("#^/!><$&{=", *s))
        tg->type = *s++;
    char pre = tg->type == '{' ? '}' : tg->type == '=' ? '=' : 0;
    const char *e = find_close(s, lim, pre, p->ctag, p->clen);
    if (!e)
        return fail(p->err, p->err_size, p->t, at, "unclosed tag (no closing '%s%.*s')",
                    pre == '}' ? "}" : pre == '=' ? "=" : "", (int)p->clen, p->ctag);
    tg->end = e + (pre != 0) + p->clen;
    trim(&s, &e);
    if ((tg->type == '>' || tg->type == '<') && s < e && *s == '*') {
        tg->dynamic = 1;
        s++;
        trim(&s, &e);
    }
    tg->s = s;
    tg->len = (size_t)(e - s);
    if (!tg->len && tg->type != '!' && tg->type != '=')
        return fail(p->err, p->err_size, p->t, at, "tag has no name");
    return 0;
}

/* Start of the line holding `at` when only blanks precede it there. */
static const char *blank_prefix(const parser *p, const char *at)
{
    const char *s = at;
    while (s > p->t->src && is_blank(s[-1]))
        s--;
    return s == p->t->src || s[-1] == '\n' ? s : NULL;
}

/* Just past the line end when only blanks follow `s` on its line. */
static const char *blank_suffix(const parser *p, const char *s)
{
    const char *lim = p->t->lim;
    while (s < lim && is_blank(*s))
        s++;
    if (s == lim)
        return s;
    if (*s == '\n')
        return s + 1;
    if (*s == '\r' && s + 1 < lim && s[1] == '\n')
        return s + 2;
    return NULL;
}

/* How much of the strip prefix the line starting at s repeats. */
static size_t strip_at(const parser *p, const char *s, const char *lim)
{
    size_t n = 0;
    while (n < p->strip_len && s + n < lim && s[n] == p->strip[n])
        n++;
    return n;
}

static tok *push_tok(parser *p, int kind, const char *at, const char *s, size_t len)
{
    tmpl *t = p->t;
    if (t->n == t->cap) {
        tok *toks = grow_array(t->toks, &t->cap, sizeof *toks);
        if (!toks)
            return NULL;
        t->toks = toks;
    }
    tok *k = &t->toks[t->n++];
    *k = (tok){.kind = (unsigned char)kind, .at = at, .s = s, .len = len};
    return k;
}

static int parse_oom(parser *p)
{
    return fail_oom(p->err, p->err_size, p->t->name);
}

/* Adds template text as one token per line, less the strip at line starts. */
static int emit_text(parser *p, const char *s, const char *e)
{
    while (s < e) {
        const char *nl = memchr(s, '\n', (size_t)(e - s));
        const char *stop = nl ? nl + 1 : e;
        if (s == p->t->src || s[-1] == '\n')
            s += strip_at(p, s, stop);
        if (s < stop && !push_tok(p, T_TEXT, s, s, (size_t)(stop - s)))
            return parse_oom(p);
        s = stop;
    }
    return 0;
}

static int can_stand_alone(int type)
{
    return type && strchr("#^/!=><$", type);
}

/* Writes the text before a tag and decides whether the tag stands alone:
 * then its leading blanks are kept aside as its indentation and the rest
 * of its line, line end included, disappears. */
static int place_tag(parser *p, tag *tg)
{
    tg->bol = blank_prefix(p, tg->at);
    tg->eol = blank_suffix(p, tg->end);
    tg->standalone = tg->bol && tg->eol && can_stand_alone(tg->type);
    if (emit_text(p, p->pos, tg->bol ? tg->bol : tg->at) < 0)
        return -1;
    p->pos = tg->standalone ? tg->eol : tg->end;
    if (!tg->bol)
        return 0;
    tg->lead = tg->bol + strip_at(p, tg->bol, tg->at);
    tg->lead_len = (size_t)(tg->at - tg->lead);
    if (tg->standalone || !tg->lead_len)
        return 0;
    if (!push_tok(p, T_TEXT, tg->lead, tg->lead, tg->lead_len))
        return parse_oom(p);
    tg->lead_tok = (long)p->t->n - 1;
    return 0;
}

static int set_delimiters(parser *p, const tag *tg)
{
    const char *s = tg->s, *e = s + tg->len;
    const char *o = s;
    while (s < e && !is_space(*s))
        s++;
    size_t olen = (size_t)(s - o);
    while (s < e && is_space(*s))
        s++;
    const char *c = s;
    while (s < e && !is_space(*s))
        s++;
    size_t clen = (size_t)(s - c);
    if (!olen || !clen || s != e || memchr(o, '=', olen) || memchr(c, '=', clen))
        return parse_fail(p, tg->at, "invalid set-delimiter tag", tg);
    p->otag = o;
    p->olen = olen;
    p->ctag = c;
    p->clen = clen;
    return 0;
}

static int add_leaf(parser *p, const tag *tg, int kind)
{
    return push_tok(p, kind, tg->at, tg->s, tg->len) ? 0 : parse_oom(p);
}

static int add_partial(parser *p, const tag *tg)
{
    tok *k = push_tok(p, T_PARTIAL, tg->at, tg->s, tg->len);
    if (!k)
        return parse_oom(p);
    k->dynamic = (unsigned char)tg->dynamic;
    if (tg->standalone) {
        k->at_bol = 1;
        k->ind = tg->lead;
        k->ind_len = tg->lead_len;
    }
    return 0;
}

/* Leading blanks of the line starting at s. */
static size_t line_indent(const parser *p, const char *s)
{
    size_t n = 0;
    while (s + n < p->t->lim && is_blank(s[n]))
        n++;
    return n;
}

/* A block tag ending its line: the newline belongs to the tag, and the
 * next line's indentation is the block's intrinsic indentation. An argument
 * drops it from its lines; a standalone parameter hands it to the argument
 * that overrides it (whitespace.md, "Block reindentation"). */
static void open_block(parser *p, const tag *tg, tok *k, int argument)
{
    if (!tg->eol)
        return;
    const char *next = tg->eol;
    size_t n = line_indent(p, next);
    if (argument) {
        p->pos = next;
        p->strip = next;
        p->strip_len = n;
    } else if (tg->standalone) {
        size_t skip = strip_at(p, next, next + n);
        k->ind = next + skip;
        k->ind_len = n - skip;
    }
}

static int open_container(parser *p, const tag *tg, int kind)
{
    if (p->nopen == p->capopen) {
        open_tag *o = grow_array(p->open, &p->capopen, sizeof *o);
        if (!o)
            return parse_oom(p);
        p->open = o;
    }
    int argument = p->nopen && p->t->toks[p->open[p->nopen - 1].tok].kind == T_PARENT;
    p->open[p->nopen++] = (open_tag){p->t->n, tg->bol != NULL, tg->standalone, argument,
                                     tg->lead_tok, p->strip, p->strip_len};
    tok *k = push_tok(p, kind, tg->at, tg->s, tg->len);
    if (!k)
        return parse_oom(p);
    k->dynamic = (unsigned char)tg->dynamic;
    if (kind == T_PARENT && tg->standalone) {
        k->at_bol = 1;
        k->ind = tg->lead;
        k->ind_len = tg->lead_len;
    }
    if (kind == T_BLOCK)
        open_block(p, tg, k, argument);
    return 0;
}

/* "  {{<parent}}...{{/parent}}\n" stands alone even when its tags share
 * lines with other tags: the leading blanks become its indentation and the
 * line end after the end tag goes. */
static void close_parent(parser *p, const tag *tg, const open_tag *o, tok *k)
{
    if (o->standalone || !o->starts_line || !tg->eol)
        return;
    if (o->lead_tok >= 0) {
        tok *lead = &p->t->toks[o->lead_tok];
        k->ind = lead->s;
        k->ind_len = lead->len;
        lead->len = 0;
    }
    k->at_bol = 1;
    p->pos = tg->eol;
}

/* A parameter block on lines of its own re-indents an argument that
 * overrides it to its intrinsic indentation; one starting a line shares
 * that line, so only the argument's later lines take its leading blanks. */
static void close_parameter(parser *p, const tag *tg, const open_tag *o, tok *k)
{
    if (!o->starts_line || !tg->eol) {
        k->ind = NULL;
        k->ind_len = 0;
    } else if (o->standalone) {
        k->at_bol = 1;
    } else if (o->lead_tok >= 0) {
        k->ind = p->t->toks[o->lead_tok].s;
        k->ind_len = p->t->toks[o->lead_tok].len;
    }
}

static int closes(const tok *k, const tag *tg)
{
    const char *s = tg->s, *e = s + tg->len;
    if (k->dynamic) {
        if (s == e || *s != '*')
            return 0;
        s++;
        trim(&s, &e);
    }
    return (size_t)(e - s) == k->len && !memcmp(s, k->s, k->len);
}

static int close_container(parser *p, const tag *tg)
{
    if (!p->nopen)
        return fail(p->err, p->err_size, p->t, tg->at,
                    "closing tag '%.*s' without an open section", (int)tg->len, tg->s);
    open_tag o = p->open[--p->nopen];
    tok *k = &p->t->toks[o.tok];
    if (!closes(k, tg)) {
        int line, col;
        where(p->t, k->at, &line, &col);
        return fail(p->err, p->err_size, p->t, tg->at,
                    "closing tag '%.*s' does not match '%s%.*s' opened at %d:%d",
                    (int)tg->len, tg->s, k->dynamic ? "*" : "", (int)k->len, k->s,
                    line, col);
    }
    k->end = p->t->n;
    p->strip = o.strip;
    p->strip_len = o.strip_len;
    if (k->kind == T_PARENT)
        close_parent(p, tg, &o, k);
    else if (k->kind == T_BLOCK && !o.argument)
        close_parameter(p, tg, &o, k);
    return 0;
}

static int handle_tag(parser *p, const tag *tg)
{
    switch (tg->type) {
    case '!': return 0;
    case '=': return set_delimiters(p, tg);
    case '#': return open_container(p, tg, T_SECTION);
    case '^': return open_container(p, tg, T_INVERTED);
    case '<': return open_container(p, tg, T_PARENT);
    case '$': return open_container(p, tg, T_BLOCK);
    case '/': return close_container(p, tg);
    case '>': return add_partial(p, tg);
    case '&':
    case '{': return add_leaf(p, tg, T_RAW);
    default: return add_leaf(p, tg, T_VAR);
    }
}

static int parse_tags(parser *p)
{
    const char *lim = p->t->lim;
    while (p->pos < lim) {
        const char *at = find(p->pos, lim, p->otag, p->olen);
        if (!at)
            return emit_text(p, p->pos, lim);
        tag tg;
        if (scan_tag(p, at, &tg) < 0 || place_tag(p, &tg) < 0 || handle_tag(p, &tg) < 0)
            return -1;
    }
    return 0;
}

/* Parses t->src into t->toks; on error fills err and returns -1. */
static int parse(tmpl *t, char *err, size_t err_size)
{
    parser p = {.t = t, .pos = t->src, .otag = "{{", .olen = 2, .ctag = "}}", .clen = 2,
                .err = err, .err_size = err_size};
    int rc = parse_tags(&p);
    if (rc == 0 && p.nopen) {
        const tok *k = &t->toks[p.open[p.nopen - 1].tok];
        rc = fail(err, err_size, t, k->at, "unclosed section '%s%.*s'",
                  k->dynamic ? "*" : "", (int)k->len, k->s);
    }
    free(p.open);
    return rc;
}

/* ---- partial cache ----------------------------------------------------- */

/* A partial by name: t is NULL when the loader has no such partial. */
typedef struct partial {
    char *name;
    size_t len;
    tmpl *t;
} partial;

typedef struct cache {
    partial *slots; /* open addressing; size a power of two, half full at most */
    size_t size, used;
} cache;

static size_t hash(const char *s, size_t n)
{
    size_t h = 2166136261u;
    while (n--)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* The slot holding `name`, or the empty slot where it belongs. */
static partial *cache_slot(const cache *c, const char *name, size_t len)
{
    size_t mask = c->size - 1;
    for (size_t i = hash(name, len) & mask;; i = (i + 1) & mask) {
        partial *s = &c->slots[i];
        if (!s->name || (s->len == len && !memcmp(s->name, name, len)))
            return s;
    }
}

static int cache_reserve(cache *c)
{
    if ((c->used + 1) * 2 <= c->size)
        return 0;
    cache bigger = {calloc(c->size ? c->size * 2 : 16, sizeof(partial)),
                    c->size ? c->size * 2 : 16, c->used};
    if (!bigger.slots)
        return -1;
    for (size_t i = 0; i < c->size; i++)
        if (c->slots[i].name)
            *cache_slot(&bigger, c->slots[i].name, c->slots[i].len) = c->slots[i];
    free(c->slots);
    *c = bigger;
    return 0;
}

static void cache_free(cache *c)
{
    for (size_t i = 0; i < c->size; i++) {
        tmpl_free(c->slots[i].t);
        free(c->slots[i].t);
        free(c->slots[i].name);
    }
    free(c->slots);
}

/* ---- renderer ---------------------------------------------------------- */

/* A block argument in force while its parent renders. Overrides form
 * linked lists through `next`; a scope is the index of a list head (-1 for
 * none). An argument renders in the scope where it was written, so a block
 * cannot override itself. */
typedef struct override {
    const tmpl *t;
    size_t tok; /* its T_BLOCK token */
    long scope;
    long next;
} override;

typedef struct renderer {
    buf out;
    buf indent; /* written before each line of expanded template text */
    int bol;    /* the next template text starts a line */
    const mustache_data *data;
    const void **ctx;
    size_t nctx, capctx;
    override *ov;
    size_t nov, capov;
    cache partials;
    const mustache_partials *hook;
    int nesting, expansions;
    const char *name;
    const mustache_sink *sink;  /* NULL: all output stays in out */
    char *err;
    size_t err_size;
} renderer;

static int render_range(renderer *r, const tmpl *t, size_t i, size_t end, long scope);

static int render_oom(renderer *r)
{
    return fail_oom(r->err, r->err_size, r->name);
}

static int push_ctx(renderer *r, const void *v)
{
    if (r->nctx == r->capctx) {
        const void **ctx = grow_array(r->ctx, &r->capctx, sizeof *ctx);
        if (!ctx)
            return render_oom(r);
        r->ctx = ctx;
    }
    r->ctx[r->nctx++] = v;
    return 0;
}

static mustache_type type_of(const renderer *r, const void *v)
{
    return v ? r->data->type(v) : MUSTACHE_NULL;
}

static const void *member(const renderer *r, const void *obj, const char *key,
                          size_t len)
{
    return type_of(r, obj) == MUSTACHE_OBJECT ? r->data->member(obj, key, len) : NULL;
}

/* Resolves a dotted name: its first part in the innermost context that has
 * it, the other parts inside that value only ("Context Precedence"). */
static const void *lookup(const renderer *r, const char *name, size_t len)
{
    if (len == 1 && *name == '.')
        return r->nctx ? r->ctx[r->nctx - 1] : NULL;
    const char *end = name + len;
    const char *dot = memchr(name, '.', len);
    size_t part = dot ? (size_t)(dot - name) : len;
    const void *v = NULL;
    for (size_t i = r->nctx; i-- > 0 && !v;)
        v = member(r, r->ctx[i], name, part);
    while (v && dot) {
        name = dot + 1;
        dot = memchr(name, '.', (size_t)(end - name));
        v = member(r, v, name, dot ? (size_t)(dot - name) : (size_t)(end - name));
    }
    return v;
}

/* False, null, a missing name, an empty list and an empty string are false;
 * everything else, 0 included, is true. */
static int truthy(const renderer *r, const void *v)
{
    const char *s;
    switch (type_of(r, v)) {
    case MUSTACHE_NULL:
    case MUSTACHE_FALSE: return 0;
    case MUSTACHE_ARRAY: return r->data->first(v) != NULL;
    case MUSTACHE_STRING: return (s = r->data->string(v)) && s[0];
    default: return 1;
    }
}

/* Integers without a fraction, other numbers in the fewest digits that read
 * back exactly: 1.210 -> "1.21", 85 -> "85". */
static size_t format_number(char *out, size_t size, double v)
{
    if (v > -1e17 && v < 1e17 && v == (double)(long long)v)
        return (size_t)snprintf(out, size, "%lld", (long long)v);
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, size, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            break;
    }
    return strlen(out);
}

/* The text a value interpolates to; num (32 bytes) holds formatted numbers.
 * Missing values, null, objects and arrays give "". */
static const char *scalar_text(const renderer *r, const void *v, char *num,
                               size_t *len)
{
    const char *s = "";
    switch (type_of(r, v)) {
    case MUSTACHE_NUMBER:
        *len = format_number(num, 32, r->data->number(v));
        return num;
    case MUSTACHE_STRING:
        s = r->data->string(v);
        s = s ? s : "";
        break;
    case MUSTACHE_TRUE: s = "true"; break;
    case MUSTACHE_FALSE: s = "false"; break;
    default: break;
    }
    *len = strlen(s);
    return s;
}

static const char *entity(char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    default: return NULL;
    }
}

static void put_escaped(buf *b, const char *s, size_t n)
{
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] > '>')   /* the common case: no entity */
            continue;
        const char *e = entity(s[i]);
        if (!e)
            continue;
        buf_put(b, s + done, i - done);
        buf_put(b, e, strlen(e));
        done = i + 1;
    }
    buf_put(b, s + done, n - done);
}

static int is_line_end(const char *s, size_t n)
{
    return (n == 1 && s[0] == '\n') || (n == 2 && s[0] == '\r' && s[1] == '\n');
}

/* Template text: a line it starts gets the current indentation, unless the
 * line is blank (no trailing blanks in generated code). */
static void put_text(renderer *r, const char *s, size_t n)
{
    if (!n)
        return;
    if (r->bol && !is_line_end(s, n))
        buf_put(&r->out, r->indent.data, r->indent.len);
    buf_put(&r->out, s, n);
    r->bol = s[n - 1] == '\n';
}

static void interpolate(renderer *r, const tok *k)
{
    char num[32];
    size_t len;
    const char *s = scalar_text(r, lookup(r, k->s, k->len), num, &len);
    if (r->bol)
        buf_put(&r->out, r->indent.data, r->indent.len);
    r->bol = 0;
    if (k->kind == T_RAW)
        buf_put(&r->out, s, len);
    else
        put_escaped(&r->out, s, len);
}

static int render_children(renderer *r, const tmpl *t, size_t i, long scope)
{
    const tok *k = &t->toks[i];
    if (r->nesting >= MAX_NESTING)
        return fail(r->err, r->err_size, t, k->at, "templates nested more than %d deep",
                    MAX_NESTING);
    r->nesting++;
    int rc = render_range(r, t, i + 1, k->end, scope);
    r->nesting--;
    return rc;
}

static int with_context(renderer *r, const void *v, const tmpl *t, size_t i, long scope)
{
    if (push_ctx(r, v) < 0)
        return -1;
    int rc = render_children(r, t, i, scope);
    r->nctx--;
    return rc;
}

/* A list renders its section once per item; any other true value once,
 * pushed on the context stack so that {{.}} and its members resolve. */
static int render_section(renderer *r, const tmpl *t, size_t i, long scope)
{
    const void *v = lookup(r, t->toks[i].s, t->toks[i].len);
    if (!truthy(r, v))
        return 0;
    if (type_of(r, v) != MUSTACHE_ARRAY)
        return with_context(r, v, t, i, scope);
    for (const void *item = r->data->first(v); item; item = r->data->next(item))
        if (with_context(r, item, t, i, scope) < 0)
            return -1;
    return 0;
}

/* Asks the hook for a partial and parses it; *out stays NULL if unknown. */
static int load_partial(renderer *r, partial *slot, tmpl **out)
{
    size_t len = 0;
    char *text = NULL;
    if (r->hook && r->hook->load)
        text = r->hook->load(r->hook->user, slot->name, &len);
    if (!text)
        return 0;
    tmpl *t = calloc(1, sizeof *t);
    if (!t) {
        free(text);
        return render_oom(r);
    }
    *t = (tmpl){.name = slot->name, .src = text, .lim = text + len, .owned = text};
    *out = t;
    return parse(t, r->err, r->err_size);
}

/* The parsed partial `name`, loaded on first use; *out NULL if unknown. */
static int find_partial(renderer *r, const char *name, size_t len, const tmpl **out)
{
    if (cache_reserve(&r->partials) < 0)
        return render_oom(r);
    partial *slot = cache_slot(&r->partials, name, len);
    if (!slot->name) {
        if (!(slot->name = malloc(len + 1)))
            return render_oom(r);
        memcpy(slot->name, name, len);
        slot->name[len] = '\0';
        slot->len = len;
        r->partials.used++;
        if (load_partial(r, slot, &slot->t) < 0)
            return -1;
    }
    *out = slot->t;
    return 0;
}

/* The template a {{>name}} or {{<name}} tag includes; *out NULL when there
 * is nothing to render. A dynamic name ({{>*name}}) is looked up first. */
static int resolve_partial(renderer *r, const tmpl *t, const tok *k, const tmpl **out)
{
    const char *name = k->s;
    size_t len = k->len;
    char num[32];
    *out = NULL;
    if (k->dynamic) {
        name = scalar_text(r, lookup(r, k->s, k->len), num, &len);
        if (!len)
            return 0;
    }
    if (find_partial(r, name, len, out) < 0)
        return -1;
    if (!*out && r->hook && r->hook->strict)
        return fail(r->err, r->err_size, t, k->at, "unknown partial '%.*s'", (int)len,
                    name);
    return 0;
}

/* Renders partial p for tag k of template t, indented if k stands alone. */
static int expand(renderer *r, const tmpl *t, const tok *k, const tmpl *p, long scope)
{
    if (r->expansions >= MAX_EXPANSIONS)
        return fail(r->err, r->err_size, t, k->at, "partials nested more than %d deep",
                    MAX_EXPANSIONS);
    size_t indent = r->indent.len;
    if (k->at_bol) {
        buf_put(&r->indent, k->ind, k->ind_len);
        r->bol = 1;
    }
    r->expansions++;
    int rc = render_range(r, p, 0, p->n, scope);
    r->expansions--;
    r->indent.len = indent;
    return rc;
}

static int render_partial(renderer *r, const tmpl *t, const tok *k, long scope)
{
    const tmpl *p;
    if (resolve_partial(r, t, k, &p) < 0)
        return -1;
    return p ? expand(r, t, k, p, scope) : 0;
}

static long find_override(const renderer *r, long scope, const char *name, size_t len)
{
    for (long i = scope; i >= 0; i = r->ov[i].next) {
        const tok *b = &r->ov[i].t->toks[r->ov[i].tok];
        if (b->len == len && !memcmp(b->s, name, len))
            return i;
    }
    return -1;
}

static int add_override(renderer *r, const tmpl *t, size_t tok, long scope, long *inner)
{
    if (r->nov == r->capov) {
        override *ov = grow_array(r->ov, &r->capov, sizeof *ov);
        if (!ov)
            return render_oom(r);
        r->ov = ov;
    }
    r->ov[r->nov] = (override){t, tok, scope, *inner};
    *inner = (long)r->nov++;
    return 0;
}

/* {{<name}}: the block children are arguments; text and other tags between
 * them are ignored. An outer argument wins over an inner one of the same
 * name ("Multi-level inheritance"). */
static int render_parent(renderer *r, const tmpl *t, size_t i, long scope)
{
    const tok *k = &t->toks[i];
    const tmpl *p;
    if (resolve_partial(r, t, k, &p) < 0)
        return -1;
    if (!p)
        return 0;
    size_t mark = r->nov;
    long inner = scope;
    for (size_t j = i + 1; j < k->end; j = next_sibling(t, j)) {
        const tok *b = &t->toks[j];
        if (b->kind == T_BLOCK && find_override(r, inner, b->s, b->len) < 0 &&
            add_override(r, t, j, scope, &inner) < 0)
            return -1;
    }
    int rc = expand(r, t, k, p, inner);
    r->nov = mark;
    return rc;
}

/* {{$name}}: the overriding argument if any, re-indented to this spot, else
 * the default content. */
static int render_block(renderer *r, const tmpl *t, size_t i, long scope)
{
    const tok *k = &t->toks[i];
    long o = find_override(r, scope, k->s, k->len);
    if (o < 0)
        return render_children(r, t, i, scope);
    override arg = r->ov[o];
    size_t indent = r->indent.len;
    buf_put(&r->indent, k->ind, k->ind_len);
    if (k->at_bol)
        r->bol = 1;
    int rc = render_children(r, arg.t, arg.tok, arg.scope);
    r->indent.len = indent;
    return rc;
}

static int render_token(renderer *r, const tmpl *t, size_t i, long scope)
{
    const tok *k = &t->toks[i];
    switch (k->kind) {
    case T_TEXT: put_text(r, k->s, k->len); return 0;
    case T_VAR:
    case T_RAW: interpolate(r, k); return 0;
    case T_SECTION: return render_section(r, t, i, scope);
    case T_INVERTED:
        return truthy(r, lookup(r, k->s, k->len)) ? 0 : render_children(r, t, i, scope);
    case T_PARTIAL: return render_partial(r, t, k, scope);
    case T_PARENT: return render_parent(r, t, i, scope);
    case T_BLOCK: return render_block(r, t, i, scope);
    default: return 0;
    }
}

/* Hands the output so far to the sink. */
static int flush(renderer *r)
{
    if (r->out.len && r->sink->write(r->sink->user, r->out.data, r->out.len) < 0) {
        if (r->err && r->err_size)
            snprintf(r->err, r->err_size, "%s: error: output write failed", r->name);
        return -1;
    }
    r->out.len = 0;
    return 0;
}

static int render_range(renderer *r, const tmpl *t, size_t i, size_t end, long scope)
{
    while (i < end) {
        if (r->out.failed)
            return render_oom(r);
        if (r->sink && r->out.len >= SINK_CHUNK && flush(r) < 0)
            return -1;
        if (render_token(r, t, i, scope) < 0)
            return -1;
        i = next_sibling(t, i);
    }
    return 0;
}

static void renderer_free(renderer *r)
{
    free(r->out.data);
    free(r->indent.data);
    free(r->ctx);
    free(r->ov);
    cache_free(&r->partials);
}

/* Renders into r->out, flushing to r->sink if there is one. */
static int render_main(renderer *r, const char *tmpl_text, size_t tmpl_len,
                       const void *data)
{
    if (r->err && r->err_size)
        r->err[0] = '\0';
    tmpl_text = tmpl_text ? tmpl_text : "";
    tmpl main = {.name = r->name, .src = tmpl_text, .lim = tmpl_text + tmpl_len};
    int rc = parse(&main, r->err, r->err_size);
    if (rc == 0 && data)
        rc = push_ctx(r, data);
    if (rc == 0)
        rc = render_range(r, &main, 0, main.n, -1);
    if (rc == 0 && (r->out.failed || r->indent.failed))
        rc = render_oom(r);
    tmpl_free(&main);
    return rc;
}

int mustache_render_data(const char *name, const char *tmpl_text, size_t tmpl_len,
                         const mustache_data *ops, const void *data,
                         const mustache_partials *partials, char **out,
                         size_t *out_len, char *err, size_t err_size)
{
    name = name ? name : "template";
    renderer r = {.bol = 1, .data = ops, .hook = partials, .name = name, .err = err,
                  .err_size = err_size};
    int rc = render_main(&r, tmpl_text, tmpl_len, data);
    if (rc == 0) {
        buf_put(&r.out, "", 1); /* the NUL, and a buffer even for empty output */
        if (r.out.failed)
            rc = render_oom(&r);
    }
    if (rc == 0) {
        *out = r.out.data;
        *out_len = r.out.len - 1;
        r.out.data = NULL;
    }
    renderer_free(&r);
    return rc;
}

int mustache_render_sink(const char *name, const char *tmpl_text, size_t tmpl_len,
                         const mustache_data *ops, const void *data,
                         const mustache_partials *partials,
                         const mustache_sink *sink, char *err, size_t err_size)
{
    name = name ? name : "template";
    renderer r = {.bol = 1, .data = ops, .hook = partials, .name = name, .sink = sink,
                  .err = err, .err_size = err_size};
    int rc = render_main(&r, tmpl_text, tmpl_len, data);
    if (rc == 0)
        rc = flush(&r);
    renderer_free(&r);
    return rc;
}

/* ---- cJSON data -------------------------------------------------------- */

static mustache_type cjson_type(const void *v)
{
    const cJSON *j = v;
    return cJSON_IsNull(j) ? MUSTACHE_NULL
         : cJSON_IsFalse(j) ? MUSTACHE_FALSE
         : cJSON_IsTrue(j) ? MUSTACHE_TRUE
         : cJSON_IsNumber(j) ? MUSTACHE_NUMBER
         : cJSON_IsString(j) ? MUSTACHE_STRING
         : cJSON_IsArray(j) ? MUSTACHE_ARRAY
         : cJSON_IsObject(j) ? MUSTACHE_OBJECT : MUSTACHE_OTHER;
}

/* True when the C string s is exactly the len bytes at key. */
static int is_key(const char *s, const char *key, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] == key[i] && s[i])
        i++;
    return i == len && !s[i];
}

static const void *cjson_member(const void *obj, const char *key, size_t len)
{
    for (const cJSON *c = ((const cJSON *)obj)->child; c; c = c->next)
        if (c->string && is_key(c->string, key, len))
            return c;
    return NULL;
}

static const void *cjson_first(const void *array)
{
    return ((const cJSON *)array)->child;
}

static const void *cjson_next(const void *item)
{
    return ((const cJSON *)item)->next;
}

static const char *cjson_string(const void *v)
{
    return ((const cJSON *)v)->valuestring;
}

static double cjson_number(const void *v)
{
    return ((const cJSON *)v)->valuedouble;
}

static const mustache_data cjson_data = {cjson_type, cjson_member, cjson_first,
                                         cjson_next, cjson_string, cjson_number};

int mustache_render(const char *name, const char *tmpl_text, size_t tmpl_len,
                    const cJSON *data, const mustache_partials *partials,
                    char **out, size_t *out_len, char *err, size_t err_size)
{
    return mustache_render_data(name, tmpl_text, tmpl_len, &cjson_data, data, partials,
                                out, out_len, err, err_size);
}
