/* import_doc.c - not written yet. */
#include "oapigen.h"
