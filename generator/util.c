/* util.c - arena, string buffer, diagnostics and file reading. */
#include "oapigen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The arena is a chain of blocks; big requests get a block of their own. */
typedef struct og_block {
    struct og_block *next;
    size_t used, size;
    max_align_t data[];
} og_block;

struct og_arena {
    og_block *head;
};

#define OG_BLOCK_SIZE (64 * 1024)

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

static og_block *arena_grow(og_arena *a, size_t need)
{
    size_t size = need > OG_BLOCK_SIZE ? need : OG_BLOCK_SIZE;
    og_block *b = xmalloc(sizeof *b + size);
    b->used = 0;
    b->size = size;
    if (need > OG_BLOCK_SIZE && a->head) {
        /* Keep the current block in front: it still has room. */
        b->next = a->head->next;
        a->head->next = b;
    } else {
        b->next = a->head;
        a->head = b;
    }
    return b;
}

void *og_alloc(og_arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    og_block *b = a->head;
    if (!b || b->size - b->used < size)
        b = arena_grow(a, size);
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *og_strndup(og_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = og_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *og_strdup(og_arena *a, const char *s)
{
    return s ? og_strndup(a, s, strlen(s)) : NULL;
}

char *og_printf(og_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = og_alloc(a, (size_t)n + 1);
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

static void diag_vprint(og_diag *d, og_pos pos, const char *kind,
                        const char *fmt, va_list ap)
{
    if (pos.file)
        og_buf_printf(&d->text, "%s:%d:%d: %s: ", pos.file, pos.line,
                      pos.col, kind);
    else
        og_buf_printf(&d->text, "oapigen: %s: ", kind);
    buf_vprintf(&d->text, fmt, ap);
    og_buf_puts(&d->text, "\n");
}

void og_error(og_diag *d, og_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vprint(d, pos, "error", fmt, ap);
    va_end(ap);
    d->errors++;
}

void og_note(og_diag *d, og_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vprint(d, pos, "note", fmt, ap);
    va_end(ap);
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
