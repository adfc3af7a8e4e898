/* counting_alloc.h - process-wide allocation counters (counting_alloc.c). */
#ifndef BENCH_COUNTING_ALLOC_H
#define BENCH_COUNTING_ALLOC_H

/** malloc + calloc + realloc calls so far (realloc counts as one). */
extern unsigned long bench_allocs;
/** Bytes requested by those calls. */
extern unsigned long long bench_alloc_bytes;

#endif
