/* model.c - resolve and check a loaded spec set. (in progress) */
#include "oapigen.h"

int og_model_check(og_set *set)
{
    return set->diag.errors;
}
