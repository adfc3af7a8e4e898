/* view.c - not written yet. */
#include "oapigen.h"
