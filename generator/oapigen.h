/* oapigen.h - the generator's one shared header, a section per stage.
 *
 * Pipeline: spec_load.c (YAML -> model with source marks) -> model.c
 * (resolve types, check semantics, name things for C) -> view.c (model ->
 * cJSON view for templates) -> mustache.c (render) -> emit.c (write files).
 * import_doc.c turns a documentation page into a spec; diff.c compares two
 * spec sets. main.c is the command line only.
 */
#ifndef OAPIGEN_H
#define OAPIGEN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#define OAPIGEN_VERSION "0.2.0"

/* ---- util.c: arena, string buffer, diagnostics, name table ------------ */

/* Everything the model owns comes from one arena, freed once. */
typedef struct og_arena og_arena;
og_arena *og_arena_new(void);
void og_arena_free(og_arena *a);
void *og_alloc(og_arena *a, size_t size);          /* zeroed; aborts on OOM */
char *og_strdup(og_arena *a, const char *s);       /* NULL stays NULL */
char *og_strndup(og_arena *a, const char *s, size_t n);
char *og_printf(og_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), nonnull(2)));

/* Growable byte buffer; always NUL-terminated. */
typedef struct og_buf {
    char *data;
    size_t len, cap;
} og_buf;
void og_buf_append(og_buf *b, const char *s, size_t n);
void og_buf_puts(og_buf *b, const char *s);
void og_buf_printf(og_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), nonnull(2)));
void og_buf_free(og_buf *b);

/* A place in a source file; line and col are 1-based. */
typedef struct og_pos {
    const char *file;
    int line, col;
} og_pos;

/* Diagnostics are counted, not fatal (flatcc style); the CLI prints them. */
typedef struct og_diag {
    og_buf text;        /* "file:line:col: error: msg\n" lines */
    int errors;
    int warnings;
    bool strict;        /* --strict: a warning is reported and counted as an error */
} og_diag;
void og_error(og_diag *d, og_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void og_note(og_diag *d, og_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Something kept but not fully understood; an error when d->strict. */
void og_warning(og_diag *d, og_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same two with a va_list, for callers that wrap them. */
void og_verror(og_diag *d, og_pos pos, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
void og_vwarning(og_diag *d, og_pos pos, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Reads a whole file into a malloc'd NUL-terminated buffer; NULL on error. */
char *og_read_file(const char *path, size_t *len);

/* The place of byte `offset` of text: its line, and its column counted in
 * characters (UTF-8 sequences), as libyaml counts them. For errors that
 * come with a byte offset only (libyaml's reader errors: a NUL byte,
 * invalid UTF-8). */
og_pos og_offset_pos(const char *file, const char *text, size_t len, size_t offset);

/* A string-keyed table of names seen so far: the entries in the order they
 * were added (diagnostics walk them in that order), behind a hash index so
 * that a lookup costs O(1) however many names a set has. A name added twice
 * keeps both entries; og_table_find returns the first. Names are borrowed,
 * not copied. Zero-initialise; og_table_free frees the table's memory. */
typedef struct og_table_entry {
    const char *name;
    og_pos pos;
    const void *what;
} og_table_entry;
typedef struct og_table_slot {
    uint32_t hash;
    uint32_t index;     /* 1 + index into items; 0: empty */
} og_table_slot;
typedef struct og_table {
    og_table_entry *items;
    size_t count, cap;
    og_table_slot *slots;   /* open addressing, once there are a few names */
    size_t size;            /* slots: a power of two, at most half full */
} og_table;
const og_table_entry *og_table_find(const og_table *t, const char *name);
void og_table_add(og_table *t, const char *name, og_pos pos, const void *what);
void og_table_free(og_table *t);

/* ---- the model (filled by spec_load.c, completed by model.c) ---------- */

typedef enum og_kind {
    OG_STRING, OG_INT, OG_INT64, OG_FLOAT, OG_BOOL, OG_OBJECT,
    OG_JSON,                     /* free-form JSON value, held as cJSON * */
    OG_FILE                      /* a file part of a multipart body */
} og_kind;

typedef struct og_scope {
    const char *name;      /* corehr:probation:write */
    const char *title;     /* 读写试用期信息 */
} og_scope;

typedef struct og_enum_value {
    og_pos pos;
    const char *value;     /* wire value as text: "completed" or "1" */
    const char *description;
    og_scope *scopes;
    size_t scope_count;
    const char *c_name;    /* model.c: COREHR_CONVERSION_MODE_1 */
} og_enum_value;

struct og_type;

typedef struct og_field {
    og_pos pos;
    const char *name;            /* wire name, verbatim */
    const char *type_text;       /* as written: "i18n[]" */
    og_pos type_pos;
    og_kind kind;
    bool is_array;
    int array_depth;             /* number of "[]": 0 single, 1 array, 2+ nested */
    struct og_type *type;        /* model.c: resolved when kind == OG_OBJECT */
    bool required;
    const char *description;
    const char *example_json;    /* JSON text of the example, or NULL */
    const char *default_json;    /* JSON text of the default, or NULL */
    og_pos example_pos, default_pos;
    og_enum_value *enums;
    size_t enum_count;
    bool has_min, has_max;       /* range */
    double min, max;
    bool has_min_length, has_max_length;
    long min_length, max_length;
    bool has_decimals;           /* float: at most `decimals` decimal places */
    long decimals;
    const char *format;          /* "date" or NULL */
    bool non_empty;
    bool idempotency_key;
    og_scope *scopes;
    size_t scope_count;
    const char *required_if_field;
    const char *required_if_json;   /* JSON text of `equals` */
    og_pos required_if_pos;
    struct og_field *required_if_target;  /* model.c */
    const char *c_name;          /* model.c: safe C member name */
    const char *enum_c_type;     /* model.c: corehr_assessment_status */
} og_field;

typedef struct og_field_list {
    og_field *items;
    size_t count;
    bool present;                /* the key was in the file */
} og_field_list;

typedef struct og_type {
    og_pos pos;
    const char *name;            /* verbatim: employees.international_assignment_resp */
    const char *description;
    og_field_list fields;
    const char *c_name;          /* model.c: employees_international_assignment_resp */
    struct og_type *canonical;   /* model.c: first definition of this name in the set */
    bool visiting, done;         /* model.c: cycle check and ordering */
} og_type;

typedef struct og_error_code {
    og_pos pos;
    long http_status;
    long code;
    const char *message;
    const char *advice;
} og_error_code;

/* `pagination:` of an endpoint: wire names of existing fields (spec_load.c),
 * resolved to the fields by model.c. */
typedef struct og_page_ref {
    const char *name;            /* wire name as written, NULL when absent */
    og_pos pos;
    struct og_field *field;      /* model.c */
    bool in_query;               /* model.c: request fields only */
} og_page_ref;

typedef struct og_pagination {
    og_pos pos;
    og_page_ref page_token;      /* request: query, else request_body */
    og_page_ref page_size;       /* request, optional */
    og_page_ref next_token;      /* response_data string */
    og_page_ref has_more;        /* response_data bool */
    og_page_ref items;           /* response_data array */
} og_pagination;

/* An extra section of the documentation page (前提条件, 注意事项 ...). */
typedef struct og_doc_note {
    og_pos pos;
    const char *title;
    const char *text;            /* Markdown, verbatim */
} og_doc_note;

/* One part of a rate limit: count calls per period. */
typedef struct og_rate_limit {
    og_pos pos;
    long count;
    const char *per;             /* second, minute, hour, day */
    const char *description;     /* what the page adds ("单租户"), or NULL */
} og_rate_limit;

typedef struct og_endpoint {
    og_pos pos;
    const char *file;
    const char *bundle;
    og_pos bundle_pos;
    const char *name;
    og_pos name_pos;
    const char *summary;
    const char *description;
    const char *doc_url;
    const char *doc_updated;
    const char *method;
    const char *path;
    og_pos path_pos;
    og_rate_limit *rate_limits;  /* every part is enforced; none: no limit stated */
    size_t rate_limit_count;
    bool rate_special;           /* 特殊频控: a limit the client cannot enforce */
    const char *rate_description;  /* the special limit's text, or NULL */
    const char **app_types;
    size_t app_type_count;
    const char **access_tokens;
    size_t access_token_count;
    og_scope *scopes;
    size_t scope_count;
    og_scope *field_scopes;
    size_t field_scope_count;
    og_field_list path_params;
    og_field_list query;
    og_field_list request_body;
    og_field_list response_data;
    const char *response_format;   /* "json" (default) or "opaque" */
    og_pos response_format_pos;
    bool retry_safe;               /* a POST that only reads: retried like GET */
    og_pos retry_safe_pos;
    bool multipart;                /* body_format: multipart */
    og_pos body_format_pos;
    bool binary;                   /* response_format: binary (a download) */
    og_error_code *errors;
    size_t error_count;
    og_doc_note *notes;            /* in page order */
    size_t note_count;
    const char *request_example;   /* JSON text */
    const char *response_example;  /* JSON text */
    og_type **types;               /* this file's own types */
    size_t type_count;
    og_pagination *pagination;     /* NULL: not paginated */
} og_endpoint;

/* The whole set: what one run of lint or generate works on. */
typedef struct og_set {
    og_arena *arena;
    og_diag diag;
    const char *bundle;
    og_endpoint **endpoints;
    size_t endpoint_count;
    og_type **types;        /* model.c: canonical types, dependencies first */
    size_t type_count;
} og_set;

og_set *og_set_new(void);
void og_set_free(og_set *set);

/* ---- spec_load.c ------------------------------------------------------ */

/* Loads one spec file into the set. Returns the number of errors found. */
int og_load_file(og_set *set, const char *path);
/* The same for spec text in memory; path names it in diagnostics. */
int og_load_text(og_set *set, const char *path, const char *text, size_t len);
/* Loads files and directories (every *.yaml, sorted). Errors are counted. */
int og_load_paths(og_set *set, char *const *paths, int count);

/* ---- model.c ---------------------------------------------------------- */

/* Resolves type names, checks the set's semantics and names everything for
 * C. Returns the number of errors (also counted in set->diag). */
int og_model_check(og_set *set);
/* The C name, without the bundle prefix, of the list struct of `depth`
 * levels over the element type of f (an array of arrays): string_list for
 * the items of a string[][], i18n_list_list for those of an i18n[][][]. */
const char *og_list_name(og_arena *a, const og_field *f, int depth);

/* ---- view.c ----------------------------------------------------------- */

/* The data templates see (documented in docs/templates.md): a compact tree
 * allocated in the set's arena (valid until og_set_free; each call builds
 * a new one), which templates read through og_view_data (mustache.h). */
typedef struct og_vnode og_vnode;
const og_vnode *og_view_tree(const og_set *set);
extern const struct mustache_data og_view_data;
/* The same view as a cJSON tree (--dump-context, tests). Its strings are
 * borrowed from the set: the caller frees it with cJSON_Delete, before
 * og_set_free. */
cJSON *og_view_build(const og_set *set);

/* ---- emit.c ----------------------------------------------------------- */

typedef struct og_emit_opts {
    const char *out_dir;
    const char *template_dir;    /* overrides the built-in templates file by file */
    bool check;                  /* --check: write nothing, list what would change */
    bool always_write;           /* rewrite unchanged files too (for build
                                    systems that compare timestamps) */
} og_emit_opts;
/* Renders every template and writes changed files. Returns 0, or the number
 * of problems (errors in set->diag; with check, the files that differ). */
int og_emit(og_set *set, const og_emit_opts *opts);
/* $OAPIGEN_TEMPLATES, else the installed templates when this process is the
 * installed oapigen, else the source tree's templates/ when it exists (a
 * development build), else the installed ones. */
const char *og_builtin_template_dir(void);

/* ---- import_doc.c ----------------------------------------------------- */

/* Converts a Feishu documentation page (Markdown) into spec YAML text,
 * merging the overlay (docs/spec-format.md, "Overlays"). overlay_path may be
 * NULL. The endpoint is named by the overlay's `name:`, else by name (the CLI
 * passes the -o file's base name), else after method and path; name may be
 * NULL. Returns malloc'd YAML (the caller frees) or NULL with errors in diag. */
char *og_import_doc(const char *page_path, const char *overlay_path, const char *name,
                    og_diag *diag);

/* One page of a set import. */
typedef struct og_import_page {
    const char *page;        /* in: the page's path */
    const char *overlay;     /* in: its overlay, or NULL */
    const char *name;        /* in: the endpoint's name, or NULL */
    char *yaml;              /* out: the spec (malloc'd), NULL when refused */
    char *bundle, *endpoint; /* out (malloc'd): where the spec belongs */
} og_import_page;

/* Imports pages as one set: endpoint names made from paths that clash get
 * told apart, a type name used with several shapes across the pages of a
 * bundle gets a name per shape, and each spec must load alone and with the
 * others of its bundle (docs/spec-format.md, "How the importer reads
 * fields"). Without an overlay of its own, a page takes
 * overlay_dir/BUNDLE/NAME.overlay.yaml when it exists (overlay_dir may be
 * NULL). Returns the number of pages refused (their errors are in diag). */
int og_import_docs(og_import_page *pages, size_t count, const char *overlay_dir,
                   og_diag *diag);

/* ---- diff.c ----------------------------------------------------------- */

/* Compares two checked sets (docs/diff.md): appends one line per change,
 * classified BREAKING or compatible, then a summary line, to out (the caller
 * frees it with og_buf_free). Returns the number of breaking changes. */
int og_diff(const og_set *old_set, const og_set *new_set, og_buf *out);

#endif
