/* spec_load.c - YAML spec files -> model, with source marks. (in progress) */
#include "oapigen.h"

#include <stdlib.h>

og_set *og_set_new(void)
{
    og_set *set = calloc(1, sizeof *set);
    if (!set)
        abort();
    set->arena = og_arena_new();
    return set;
}

void og_set_free(og_set *set)
{
    if (!set)
        return;
    og_buf_free(&set->diag.text);
    og_arena_free(set->arena);
    free(set);
}

int og_load_paths(og_set *set, char *const *paths, int count)
{
    (void)paths;
    (void)count;
    og_error(&set->diag, (og_pos){0}, "loader not written yet");
    return 1;
}

