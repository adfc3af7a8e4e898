/* util.c - arena, string buffer, diagnostics, file reading, name table. */
#define _DEFAULT_SOURCE     /* MADV_HUGEPAGE */
#include "oapigen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The arena is a chain of blocks; big requests get a block of their own.
 * Blocks grow from 64 KiB to 4 MiB with the arena, so a small run stays
 * small and a big one makes few blocks. A set of thousands of endpoints
 * puts a few hundred MB here (the model and the view), and touching that
 * much fresh memory 4 KiB at a time costs a page fault per page, most of
 * the run in a virtual machine: blocks of 2 MiB and more are aligned to
 * 2 MiB and offered to Linux for transparent huge pages. */
typedef struct og_block {
    struct og_block *next;
    size_t used, size;
    max_align_t data[];
} og_block;

struct og_arena {
    og_block *head;
    size_t block_size;      /* of the next block */
};

#define OG_BLOCK_SIZE (64 * 1024)
#define OG_BLOCK_MAX (4 * 1024 * 1024)
#define OG_HUGE_PAGE (2 * 1024 * 1024)

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("oapigen: out of memory\n", stderr);
        abort();
    }
    return p;
}

og_arena *og_arena_new(void)
{
    og_arena *a = xmalloc(sizeof *a);
    a->head = NULL;
    a->block_size = OG_BLOCK_SIZE;
    return a;
}

void og_arena_free(og_arena *a)
{
    if (!a)
        return;
    for (og_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

/* A block of `bytes` (header included): huge-page aligned and advised when
 * it spans huge pages. */
static og_block *new_block(size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (bytes % OG_HUGE_PAGE == 0) {
        og_block *b = aligned_alloc(OG_HUGE_PAGE, bytes);
        if (!b) {
            fputs("oapigen: out of memory\n", stderr);
            abort();
        }
        madvise(b, bytes, MADV_HUGEPAGE);   /* a hint: failure is harmless */
        return b;
    }
#endif
    return xmalloc(bytes);
}

static og_block *arena_grow(og_arena *a, size_t need)
{
    size_t standard = a->block_size - sizeof(og_block);
    size_t size = need > standard ? need : standard;
    og_block *b = new_block(sizeof *b + size);
    b->used = 0;
    b->size = size;
    if (need <= standard && a->block_size < OG_BLOCK_MAX)
        a->block_size *= 2;
    if (need > standard && a->head) {
        /* Keep the current block in front: it still has room. */
        b->next = a->head->next;
        a->head->next = b;
    } else {
        b->next = a->head;
        a->head = b;
    }
    return b;
}

/* `size` bytes aligned to `align` (a power of two), not zeroed. */
static void *arena_take(og_arena *a, size_t size, size_t align)
{
    og_block *b = a->head;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at > b->size || b->size - at < size) {
        b = arena_grow(a, size);
        at = 0;
    }
    b->used = at + size;
    return (char *)b->data + at;
}

void *og_alloc(og_arena *a, size_t size)
{
    void *p = arena_take(a, size, sizeof(max_align_t));
    memset(p, 0, size);
    return p;
}

/* Strings need no alignment: packed, they take a tenth less room. */
char *og_strndup(og_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = arena_take(a, n + 1, 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *og_strdup(og_arena *a, const char *s)
{
    return s ? og_strndup(a, s, strlen(s)) : NULL;
}

/* Most results are short: formatted once into a stack buffer, and a second
 * time only when they do not fit. */
char *og_printf(og_arena *a, const char *fmt, ...)
{
    char small[256];
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    char *p = arena_take(a, (size_t)n + 1, 1);
    if ((size_t)n < sizeof small)
        memcpy(p, small, (size_t)n + 1);
    else
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

static void buf_reserve(og_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        fputs("oapigen: out of memory\n", stderr);
        abort();
    }
    b->data = p;
    b->cap = cap;
}

void og_buf_append(og_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void og_buf_puts(og_buf *b, const char *s)
{
    og_buf_append(b, s, strlen(s));
}

static void buf_vprintf(og_buf *b, const char *fmt, va_list ap)
    __attribute__((nonnull(2)));

static void buf_vprintf(og_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
}

void og_buf_printf(og_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void og_buf_free(og_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Up to this many names a table is scanned; then it gets its index. */
enum { TABLE_SCANNED = 8 };

/* FNV-1a. */
static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot of name's first entry, or the empty slot where it belongs. The
 * slot's hash spares most string comparisons. */
static og_table_slot *table_slot(const og_table *t, const char *name, uint32_t h)
{
    size_t mask = t->size - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        og_table_slot *s = &t->slots[i];
        if (!s->index || (s->hash == h && !strcmp(t->items[s->index - 1].name, name)))
            return s;
    }
}

/* A new index of `size` slots: the old one's slots moved, or, the first
 * time, every entry's. */
static void table_index(og_table *t, size_t size)
{
    og_table_slot *old = t->slots;
    size_t old_size = t->size;
    t->slots = calloc(size, sizeof *t->slots);
    if (!t->slots) {
        fputs("oapigen: out of memory\n", stderr);
        abort();
    }
    t->size = size;
    for (size_t j = 0; j < old_size; j++) {
        if (!old[j].index)
            continue;
        size_t i = old[j].hash & (size - 1);
        while (t->slots[i].index)
            i = (i + 1) & (size - 1);
        t->slots[i] = old[j];
    }
    for (size_t j = 0; !old && j < t->count; j++) {
        uint32_t h = hash_name(t->items[j].name);
        og_table_slot *s = table_slot(t, t->items[j].name, h);
        if (!s->index)
            *s = (og_table_slot){h, (uint32_t)j + 1};
    }
    free(old);
}

const og_table_entry *og_table_find(const og_table *t, const char *name)
{
    if (!t->slots) {
        for (size_t i = 0; i < t->count; i++)
            if (!strcmp(t->items[i].name, name))
                return &t->items[i];
        return NULL;
    }
    og_table_slot *s = table_slot(t, name, hash_name(name));
    return s->index ? &t->items[s->index - 1] : NULL;
}

void og_table_add(og_table *t, const char *name, og_pos pos, const void *what)
{
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->items = realloc(t->items, t->cap * sizeof *t->items);
        if (!t->items) {
            fputs("oapigen: out of memory\n", stderr);
            abort();
        }
    }
    t->items[t->count++] = (og_table_entry){name, pos, what};
    if (!t->slots) {
        if (t->count > TABLE_SCANNED)
            table_index(t, 64);     /* indexes the new entry too */
        return;
    }
    if (t->count * 2 > t->size)
        table_index(t, t->size * 2);
    uint32_t h = hash_name(name);
    og_table_slot *s = table_slot(t, name, h);
    if (!s->index)
        *s = (og_table_slot){h, (uint32_t)t->count};
}

void og_table_free(og_table *t)
{
    free(t->items);
    free(t->slots);
    *t = (og_table){0};
}

/* A diagnostic is one line: control bytes from the input (a key holding a
 * newline or a terminal escape) are shown as \n, \t or \xHH. */
static void append_printable(og_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            og_buf_puts(b, "\\n");
        else if (c == '\t')
            og_buf_puts(b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            og_buf_printf(b, "\\x%02x", c);
        else
            og_buf_append(b, &s[i], 1);
    }
}

static void diag_vprint(og_diag *d, og_pos pos, const char *kind,
                        const char *fmt, va_list ap)
{
    if (pos.file)
        og_buf_printf(&d->text, "%s:%d:%d: %s: ", pos.file, pos.line,
                      pos.col, kind);
    else
        og_buf_printf(&d->text, "oapigen: %s: ", kind);
    og_buf msg = {0};
    buf_vprintf(&msg, fmt, ap);
    append_printable(&d->text, msg.data, msg.len);
    og_buf_free(&msg);
    og_buf_puts(&d->text, "\n");
}

void og_verror(og_diag *d, og_pos pos, const char *fmt, va_list ap)
{
    diag_vprint(d, pos, "error", fmt, ap);
    d->errors++;
}

void og_error(og_diag *d, og_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    og_verror(d, pos, fmt, ap);
    va_end(ap);
}

void og_vwarning(og_diag *d, og_pos pos, const char *fmt, va_list ap)
{
    diag_vprint(d, pos, d->strict ? "error" : "warning", fmt, ap);
    if (d->strict)
        d->errors++;
    else
        d->warnings++;
}

void og_warning(og_diag *d, og_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    og_vwarning(d, pos, fmt, ap);
    va_end(ap);
}

void og_note(og_diag *d, og_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vprint(d, pos, "note", fmt, ap);
    va_end(ap);
}

og_pos og_offset_pos(const char *file, const char *text, size_t len, size_t offset)
{
    og_pos pos = {file, 1, 1};
    for (size_t i = 0; i < offset && i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            pos.line++;
            pos.col = 1;
        } else if ((c & 0xC0) != 0x80) {
            pos.col++;
        }
    }
    return pos;
}

char *og_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    og_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        og_buf_append(&b, chunk, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        og_buf_free(&b);
        return NULL;
    }
    if (!b.data)
        og_buf_append(&b, "", 0);
    if (len)
        *len = b.len;
    return b.data;
}
