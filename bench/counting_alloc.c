/* counting_alloc.c - counts every malloc, calloc and realloc of the process.
 *
 * The executable defines malloc, calloc and realloc itself; the dynamic
 * linker then binds every caller to them, libcjson.so included, so the count
 * covers cJSON's nodes and print buffers as well as the generated code's
 * structs and string copies. Each forwards to glibc's __libc_* entry point.
 * Not counted: allocations glibc makes internally (strdup, fopen, ...), which
 * do not go through the exported symbols; neither the generated code nor
 * cJSON uses those on the measured paths. Single-threaded use only.
 */
#include <stddef.h>

#include "counting_alloc.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

unsigned long bench_allocs;
unsigned long long bench_alloc_bytes;

void *malloc(size_t size)
{
    bench_allocs++;
    bench_alloc_bytes += size;
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    bench_allocs++;
    bench_alloc_bytes += n * size;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    bench_allocs++;
    bench_alloc_bytes += size;
    return __libc_realloc(p, size);
}
