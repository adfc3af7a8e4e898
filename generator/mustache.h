/* mustache.h - a small mustache renderer over cJSON (or any) data.
 *
 * The renderer knows nothing of oapigen: templates are text, data is a cJSON
 * tree (or any tree, reached through mustache_data), partials come through
 * a caller-supplied hook. It follows the official mustache spec
 * (interpolation, sections, inverted, comments, partials, set delimiters)
 * plus the optional inheritance and dynamic-names modules; lambdas need code
 * in the data, which JSON cannot carry.
 *
 * Where the spec leaves a choice open:
 *  - false, null, a missing name, [] and "" are false; 0 and {} are true;
 *  - {{x}} escapes & < > "; numbers print integral values without a
 *    fraction and others in their shortest exact form (1.210 -> "1.21"),
 *    true/false as "true"/"false", objects and arrays as nothing;
 *  - the indentation of a standalone partial is not added to blank lines,
 *    so generated code carries no trailing blanks;
 *  - a partial named by a dynamic name ({{>*x}}) that does not resolve
 *    renders nothing, even when strict;
 *  - partials and parents may nest 100 deep and sections, blocks and
 *    partials together 1000 deep; beyond that rendering fails. The output can
 *    still grow exponentially with nested sections over lists: templates are
 *    trusted input.
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

/* The calls through which the renderer reaches its data, so that any tree
 * can be rendered (mustach style); mustache_render() supplies them for cJSON.
 * A value is an opaque pointer, NULL being a missing value. */
typedef enum mustache_type {
    MUSTACHE_OTHER,     /* true, and interpolates as nothing */
    MUSTACHE_NULL,
    MUSTACHE_FALSE,
    MUSTACHE_TRUE,
    MUSTACHE_NUMBER,
    MUSTACHE_STRING,
    MUSTACHE_ARRAY,
    MUSTACHE_OBJECT,
} mustache_type;

typedef struct mustache_data {
    mustache_type (*type)(const void *v);
    /* Object obj's member named by the len bytes at key (not NUL-terminated;
     * the first of that name), or NULL. */
    const void *(*member)(const void *obj, const char *key, size_t len);
    /* The first item of an array, and the item after an item; NULL at the end. */
    const void *(*first)(const void *array);
    const void *(*next)(const void *item);
    /* A string's NUL-terminated text (NULL counts as ""), a number's value. */
    const char *(*string)(const void *v);
    double (*number)(const void *v);
} mustache_data;

/* Renders template `tmpl` (tmpl_len bytes, named `name` in error messages)
 * against `data` (may be NULL: empty context). On success returns 0 and stores
 * a malloc'd NUL-terminated result in *out and its length in *out_len; the
 * caller frees *out. On error returns -1, stores nothing in *out, and writes
 * "name:line:col: error: message" (1-based) into err (err_size bytes); in a
 * partial, name is the partial's name and the position is inside it.
 * Errors: unclosed tag, unclosed section, closing tag that matches no open
 * one, bad set-delimiter tag, tag without a name, unknown partial (strict),
 * nesting beyond the limits above, out of memory.
 * `partials` may be NULL: then every partial is unknown and renders empty. */
int mustache_render(const char *name, const char *tmpl, size_t tmpl_len,
                    const cJSON *data, const mustache_partials *partials,
                    char **out, size_t *out_len, char *err, size_t err_size);

/* The same for data of another kind, reached through `ops`. */
int mustache_render_data(const char *name, const char *tmpl, size_t tmpl_len,
                         const mustache_data *ops, const void *data,
                         const mustache_partials *partials, char **out,
                         size_t *out_len, char *err, size_t err_size);

/* Where output goes as it is produced, instead of into one buffer (big
 * outputs need not be held in memory): write() receives it in pieces of
 * about 64 KiB and returns 0, or -1 to stop rendering, which then fails
 * with "output write failed". */
typedef struct mustache_sink {
    int (*write)(void *user, const char *data, size_t len);
    void *user;
} mustache_sink;

/* mustache_render_data, writing to `sink`; what was written before an error
 * stays written. */
int mustache_render_sink(const char *name, const char *tmpl, size_t tmpl_len,
                         const mustache_data *ops, const void *data,
                         const mustache_partials *partials,
                         const mustache_sink *sink, char *err, size_t err_size);

#endif
