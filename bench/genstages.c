/* genstages.c - where the generator's time goes, stage by stage.
 *
 *     genstages OUT_DIR SPEC...
 *
 * Runs the pipeline of `oapigen generate SPEC... -o OUT_DIR` through the
 * library, timing each stage in CPU time (CLOCK_PROCESS_CPUTIME_ID, which
 * other load on the machine disturbs less than wall time): load
 * (spec_load.c, libyaml), check (model.c), view (view.c, alone), emit
 * (emit.c: builds the view again, renders every template with mustache.c,
 * compares with and writes the files), free. Prints one line:
 * "endpoints=N load_ms=… check_ms=… view_ms=… emit_ms=… free_ms=… cpu_ms=…
 * wall_ms=…" (cpu_ms: all stages; wall_ms: the same span on the wall clock).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <time.h>

#include "oapigen.h"

static double clock_ms(clockid_t id);

static double now_ms(void)
{
    return clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: genstages OUT_DIR SPEC...\n", stderr);
        return 2;
    }
    double wall = clock_ms(CLOCK_MONOTONIC), t0 = now_ms();
    og_set *set = og_set_new();
    og_load_paths(set, argv + 2, argc - 2);
    double t1 = now_ms();
    if (!set->diag.errors)
        og_model_check(set);
    double t2 = now_ms();
    if (set->diag.errors) {
        fputs(set->diag.text.data, stderr);
        return 1;
    }
    og_view_tree(set);   /* in the set's arena: freed with the set */
    double t3 = now_ms();
    og_emit_opts opts = {.out_dir = argv[1]};
    int problems = og_emit(set, &opts);
    double t4 = now_ms();
    size_t endpoints = set->endpoint_count;
    og_set_free(set);
    double t5 = now_ms();
    wall = clock_ms(CLOCK_MONOTONIC) - wall;
    if (problems)
        return 1;
    printf("endpoints=%zu load_ms=%.1f check_ms=%.1f view_ms=%.1f emit_ms=%.1f "
           "free_ms=%.1f cpu_ms=%.1f wall_ms=%.1f\n", endpoints, t1 - t0, t2 - t1,
           t3 - t2, t4 - t3, t5 - t4, t5 - t0, wall);
    return 0;
}
