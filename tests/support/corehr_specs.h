/* corehr_specs.h - the shipped CoreHR specs, loaded with the generator's own
 * loader, so client tests use the documentation pages' examples. */
#ifndef COREHR_SPECS_H
#define COREHR_SPECS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oapigen.h"

/* Loads specs/corehr under $OAPIGEN_SOURCE_ROOT; NULL if it has errors. */
static inline og_set *corehr_specs_load(void)
{
    const char *root = getenv("OAPIGEN_SOURCE_ROOT");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/specs/corehr", root ? root : ".");
    char *paths[] = {dir};
    og_set *set = og_set_new();
    og_load_paths(set, paths, 1);
    og_model_check(set);
    if (set->diag.errors) {
        fputs(set->diag.text.data, stderr);
        og_set_free(set);
        return NULL;
    }
    return set;
}

/* The endpoint called name, or NULL. */
static inline const og_endpoint *corehr_specs_endpoint(const og_set *set,
                                                       const char *name)
{
    for (size_t i = 0; i < set->endpoint_count; i++)
        if (!strcmp(set->endpoints[i]->name, name))
            return set->endpoints[i];
    return NULL;
}

#endif
