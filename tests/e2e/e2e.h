/* e2e.h - what the generated call table (e2e_calls.c, rendered from
 * e2e_calls.c.mustache) and the generic driver (e2e_driver.c) share. */
#ifndef E2E_H
#define E2E_H

#include <stddef.h>

#include "corehr_api.h"

#define E2E_MAX_PAGES 8
/* A wrapper's own failure: the example did not read into the request. */
#define E2E_READ_FAILED (-1000)

/* The example request of one endpoint as JSON (path and query objects
 * keyed by wire name, the body as the page gives it, or for a multipart
 * body its form fields keyed by wire name); NULL: none. `file` is what
 * every `type: file` field of a multipart body sends (from a path or from
 * memory). */
typedef struct e2e_input {
    const cJSON *path;
    const cJSON *query;
    const cJSON *body;
    const corehr_file_t *file;
} e2e_input_t;

/* What one call (or walk) got back: each page's data re-encoded by the
 * generated writer (freed with cJSON_free), and the violations the
 * generated validator found in them. */
typedef struct e2e_output {
    char *pages[E2E_MAX_PAGES];
    size_t page_count;
    size_t violations;
    corehr_error_t err;
} e2e_output_t;

typedef int (*e2e_call_fn)(corehr_client_t *c, const e2e_input_t *in, e2e_output_t *res);

/* One endpoint: its call, its page walk (paginated endpoints only), or the
 * reason it is skipped. */
typedef struct e2e_endpoint {
    const char *name;
    e2e_call_fn call;
    e2e_call_fn walk;
    const char *skip;
} e2e_endpoint_t;

/* Every endpoint of the bundle in spec order, ended by a NULL name. */
extern const e2e_endpoint_t e2e_endpoints[];

#endif
