/* mustache.h - a small mustache renderer over cJSON data.
 *
 * The renderer knows nothing of oapigen: templates are text, data is a cJSON
 * tree, partials come through a caller-supplied hook. It follows the official
 * mustache spec (interpolation, sections, inverted, comments, partials,
 * set delimiters) plus the optional inheritance and dynamic-names modules.
 */
#ifndef OAPIGEN_MUSTACHE_H
#define OAPIGEN_MUSTACHE_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* Returns the text of partial `name` as a malloc'd buffer (the renderer frees
 * it) with its length in *len, or NULL when there is no such partial. */
typedef char *(*mustache_partial_fn)(void *user, const char *name, size_t *len);

typedef struct mustache_partials {
    mustache_partial_fn load;
    void *user;
    /* Non-zero: an unknown partial is an error (the generator wants this: a
     * typo in a template name must not silently drop code). Zero: it renders
     * as empty text, as the mustache spec requires. */
    int strict;
} mustache_partials;

/* Renders template `tmpl` (tmpl_len bytes, named `name` in error messages)
 * against `data` (may be NULL: empty context). On success returns 0 and stores
 * a malloc'd NUL-terminated result in *out and its length in *out_len; the
 * caller frees *out. On error returns -1, stores nothing in *out, and writes
 * "name:line:col: error: message" (1-based) into err (err_size bytes).
 * `partials` may be NULL: then every partial is unknown and renders empty. */
int mustache_render(const char *name, const char *tmpl, size_t tmpl_len,
                    const cJSON *data, const mustache_partials *partials,
                    char **out, size_t *out_len, char *err, size_t err_size);

#endif
