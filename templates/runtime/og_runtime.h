/**
 * @file og_runtime.h
 * @brief Runtime of the generated og client: error codes, the error
 * struct, JSON read/write helpers and validation helpers that the generated
 * code in og.c is a thin layer over.
 *
 * Everything here is prefixed `og_` so that two generated bundles link
 * into one program. Functions named `og_rt_*` are for generated code;
 * applications use the error struct, og_strerror() and the
 * violations list.
 */
#ifndef OG_RUNTIME_H
#define OG_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version of oapigen this runtime belongs to (major * 10000 + minor * 100 +
 * patch); the generated files check it, and a unit test checks that it is
 * the version of the oapigen that copies it. */
#define OG_RUNTIME_VERSION 200
#define OG_RUNTIME_VERSION_TEXT "0.2.0"

/* ---- errors ------------------------------------------------------------ */

/** Every error code with its meaning (one X-macro feeds the enum and
 * og_strerror, so they cannot drift apart). */
#define OG_ERRORS(X)                                                   \
    X(OK, 0, "success")                                                     \
    X(E_NOMEM, -1, "out of memory")                                         \
    X(E_ARG, -2, "invalid argument")                                        \
    X(E_JSON, -3, "malformed JSON")                                         \
    X(E_TYPE, -4, "unexpected JSON type")                                   \
    X(E_RANGE, -5, "number out of range")                                   \
    X(E_DEPTH, -6, "JSON nested too deeply")                                \
    X(E_INVALID, -7, "request failed validation")                           \
    X(E_TRANSPORT, -8, "transport error")                                   \
    X(E_TIMEOUT, -9, "timed out")                                           \
    X(E_HTTP, -10, "unexpected HTTP status")                                \
    X(E_API, -11, "the API returned an error code")                         \
    X(E_AUTH, -12, "authentication failed")                                 \
    X(E_RATE_LIMITED, -13, "rate limited")                                  \
    X(E_TOO_LARGE, -14, "response too large")                               \
    X(E_ENVELOPE, -15, "response is not a {code, msg, data} envelope")      \
    X(E_UTF8, -16, "invalid UTF-8")                                         \
    X(E_PAGINATION, -17, "the server's page tokens would loop")             \
    X(E_APP_TICKET, -18, "no usable app_ticket (store app)")                \
    X(E_IO, -19, "file input/output error")

/** Error codes: 0 is success, every failure is negative. */
typedef enum og_errc {
#define OG_ERRC_ENUM_(name, value, text) OG_##name = value,
    OG_ERRORS(OG_ERRC_ENUM_)
#undef OG_ERRC_ENUM_
} og_errc;

/** What went wrong, filled by every fallible function; owned by the caller
 * (usually on the stack). Never contains the access token. */
typedef struct og_error {
    int code;               /**< a og_errc value */
    char message[512];      /**< human-readable description */
    char path[256];         /**< JSON path ("/data/x/0/y") or field path, or "" */
    long http_status;       /**< HTTP status, 0 when no response arrived */
    long api_code;          /**< Feishu `code` of the envelope, 0 if none */
    char api_msg[512];      /**< Feishu `msg` of the envelope */
    char log_id[128];       /**< X-Tt-Logid response header, for support */
    int curl_code;          /**< CURLcode of a transport failure, 0 if none */
    size_t violations;      /**< with OG_E_INVALID: how many */
    int attempts;           /**< HTTP attempts made (retries + 1) */
} og_error_t;

/** Static text for an error code; never NULL. */
const char *og_strerror(int code);
/** Resets *err to "no error" (NULL-safe). */
void og_error_clear(og_error_t *err);
/** Sets code, path (may be NULL) and a printf-style message; returns code.
 * NULL-safe: with err == NULL it only returns code. */
int og_error_set(og_error_t *err, int code, const char *path,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* ---- files ------------------------------------------------------------- */

/**
 * A file to upload: a `file` field of a multipart request body. Set either
 * `path` (the file is read while the request is sent, and again for a
 * retry) or `data` + `size` (bytes in memory; size 0 is an empty file).
 * Everything is borrowed: the caller owns the strings and the bytes, which
 * must stay valid until the endpoint function returns; the body's `_clear`
 * and `_free` functions do not free them. A file is "set" when path or data
 * is not NULL.
 */
typedef struct og_file {
    const char *path;          /**< file to read, or NULL */
    const void *data;          /**< bytes in memory, or NULL */
    size_t size;               /**< number of bytes at data */
    /** Sent as the part's filename; NULL: the base name of path, or the
     * field's wire name for data. Must not contain CR, LF or '"'. */
    const char *filename;
    /** The part's Content-Type; NULL: "application/octet-stream". */
    const char *content_type;
} og_file_t;

/** True when the file is set: path or data is not NULL (NULL-safe). */
bool og_file_is_set(const og_file_t *f);

/* ---- validation results ------------------------------------------------ */

/** One broken rule: where ("/assessments/0/assessment_status") and why. */
typedef struct og_violation {
    char *path;
    char *message;
} og_violation_t;

/** Every violation a validator found, in field order. Zero-initialise it,
 * pass it to a `_validate` function, free it with og_violations_free. */
typedef struct og_violations {
    og_violation_t *items;
    size_t count;
    size_t cap;
    bool oom;               /**< an allocation failed; the list is incomplete */
} og_violations_t;

/** Frees the items (NULL-safe) and zeroes the list. */
void og_violations_free(og_violations_t *v);

/* ---- for generated code: JSON reading ----------------------------------- */

/** Deepest nesting a reader accepts; deeper input is OG_E_DEPTH. */
#define OG_RT_MAX_DEPTH 64

/** Steps below the root that a reader remembers: each adds at least one
 * byte to a path of at most 255, so deeper steps could never show in it. */
#define OG_RT_MAX_FRAMES 255

/** One step below the reader's root: an object member or an array index. */
typedef struct og_rt_frame {
    const char *key;        /**< member name (not owned), NULL for an index */
    size_t index;
} og_rt_frame;

/** State of one `_from_json` call: where we are and where errors go.
 * The JSON pointer of the current value is `path` (the root) followed by
 * the frames; it is only formatted when an error is reported, so reading
 * valid input never builds a path. */
typedef struct og_rt_reader {
    char path[256];         /**< RFC 6901 pointer of the reader's root */
    size_t path_len;
    og_rt_frame frames[OG_RT_MAX_FRAMES];
    size_t frame_count;     /**< steps open; only the first MAX_FRAMES are kept */
    int depth;              /**< containers open, the reader's root being 1 */
    og_error_t *err;
} og_rt_reader;

/** Reads one value `json` into the zeroed object at `out`. */
typedef int (*og_rt_read_fn)(void *out, const cJSON *json,
                                     og_rt_reader *r);
/** Frees what an object owns (not the object itself) and zeroes it. */
typedef void (*og_rt_clear_fn)(void *obj);

/** Starts a reader at the root path "" (or `root`, e.g. "/data"). */
void og_rt_reader_init(og_rt_reader *r, const char *root,
                               og_error_t *err);
/** Checks that `json` is an object (else OG_E_TYPE at the current path). */
int og_rt_expect_object(const cJSON *json, og_rt_reader *r);

/* Field readers: `obj` is a JSON object, `key` the wire name (matched case-
 * sensitively); the output starts unset (zeroed object). A missing key or a
 * JSON null leaves the output unset and returns 0; unknown keys are ignored.
 * A value of the wrong type returns OG_E_TYPE with the path
 * ".../key" and a message such as "expected string, got number". Numbers
 * must be integral for int32/int64 and fit the C type, else
 * OG_E_RANGE; int64 values of magnitude 2^53 or more are refused
 * because cJSON holds numbers as double and may already have rounded them.
 * A float field accepts JSON integers, but not a number that overflowed
 * to infinity (1e999). On failure the output is left unset. */
int og_rt_read_string(const cJSON *obj, const char *key, char **out,
                              og_rt_reader *r);
int og_rt_read_int32(const cJSON *obj, const char *key, bool *has,
                             int32_t *out, og_rt_reader *r);
int og_rt_read_int64(const cJSON *obj, const char *key, bool *has,
                             int64_t *out, og_rt_reader *r);
int og_rt_read_float(const cJSON *obj, const char *key, bool *has,
                             double *out, og_rt_reader *r);
int og_rt_read_bool(const cJSON *obj, const char *key, bool *has,
                            bool *out, og_rt_reader *r);
/** Reads a nested object: allocates `size` zeroed bytes into *out and calls
 * `read`; on failure frees with `clear` (may be NULL) and leaves *out NULL.
 * Entering the object counts one level against OG_RT_MAX_DEPTH. */
int og_rt_read_object(const cJSON *obj, const char *key, void **out,
                              size_t size, og_rt_read_fn read,
                              og_rt_clear_fn clear,
                              og_rt_reader *r);
/** Reads an array: allocates count * elem_size zeroed bytes into *items and
 * reads each element with `read` (path ".../key/i"). An empty JSON array
 * gives a non-NULL *items with *count 0, so it is written back as []. A null
 * element is OG_E_TYPE. On failure everything read so far is cleared
 * and freed, *items is NULL and *count 0. */
int og_rt_read_array(const cJSON *obj, const char *key, void **items,
                             size_t *count, size_t elem_size,
                             og_rt_read_fn read,
                             og_rt_clear_fn clear,
                             og_rt_reader *r);

/* Element readers for arrays of scalars (out points at one element; errors
 * are reported at the reader's current path). */
int og_rt_elem_string(void *out, const cJSON *json, og_rt_reader *r);
int og_rt_elem_int32(void *out, const cJSON *json, og_rt_reader *r);
int og_rt_elem_int64(void *out, const cJSON *json, og_rt_reader *r);
int og_rt_elem_float(void *out, const cJSON *json, og_rt_reader *r);
int og_rt_elem_bool(void *out, const cJSON *json, og_rt_reader *r);
/** Clears one `char *` element. */
void og_rt_clear_string(void *elem);

/* json fields: any JSON value, kept as an owned copy (cJSON_Duplicate).
 * A missing key or null leaves the field NULL (unset); inside a json[]
 * array a null is kept as a cJSON null item. Its nesting counts against
 * OG_RT_MAX_DEPTH like any other. */
int og_rt_read_json(const cJSON *obj, const char *key, cJSON **out,
                            og_rt_reader *r);
/** Element reader of json[] (out points at one `cJSON *`). */
int og_rt_elem_json(void *out, const cJSON *json, og_rt_reader *r);
/** Clears one `cJSON *` element (cJSON_Delete). */
void og_rt_clear_json(void *elem);
/** Reads the JSON array `json` (one item of an array of arrays) into
 * *items and *count like og_rt_read_array reads a member: a
 * non-array is OG_E_TYPE at the current path. */
int og_rt_read_list(const cJSON *json, void **items, size_t *count,
                            size_t elem_size, og_rt_read_fn read,
                            og_rt_clear_fn clear, og_rt_reader *r);
/** Clears and frees an array of `count` elements (NULL-safe; clear may be NULL). */
void og_rt_free_array(void *items, size_t count, size_t elem_size,
                              og_rt_clear_fn clear);

/** Parses JSON text (`len` bytes, need not be NUL-terminated) into a tree.
 * Fails with OG_E_UTF8 (invalid UTF-8), OG_E_DEPTH (nesting
 * beyond OG_RT_MAX_DEPTH, found before cJSON recurses) or
 * OG_E_JSON (syntax error, trailing data, raw control character in
 * a string), each with the byte offset in the message; *out is then NULL.
 * The caller cJSON_Delete()s *out. */
int og_rt_parse(const char *text, size_t len, cJSON **out,
                        og_error_t *err);

/* ---- for generated code: quick parsing ---------------------------------- */

/* `T_parse` first tries to read the text straight into the struct, with no
 * cJSON tree, from a table of the struct's fields. That quick path only
 * takes what it can prove the tree path (og_rt_parse, then the
 * field readers) would read to the very same struct: strict JSON, valid
 * UTF-8, at most OG_RT_MAX_DEPTH levels, every known field once
 * and of the right type and range. Anything else (an error, an unusual
 * escape, a duplicate field, running out of memory) makes it give up, and
 * the tree path reads the text again and reports what is wrong exactly as
 * before. */

/** How a field is stored (of an array: each element). */
typedef enum og_rt_kind {
    OG_RT_STRING,   /**< char * */
    OG_RT_INT32,    /**< int32_t (+ bool has_) */
    OG_RT_INT64,    /**< int64_t (+ bool has_) */
    OG_RT_FLOAT,    /**< double (+ bool has_) */
    OG_RT_BOOL,     /**< bool (+ bool has_) */
    OG_RT_OBJECT,   /**< pointer to a struct (in an array: the struct) */
    OG_RT_JSON,     /**< cJSON *: the value's text parsed by cJSON */
    OG_RT_LIST,     /**< an {items, count} struct: an array of arrays' item */
    OG_RT_FILE      /**< og_file_t: a multipart part, never JSON */
} og_rt_kind;

/** Field flags. */
#define OG_RT_ARRAY 1u      /**< items + count, not one value */
#define OG_RT_REQUIRED 2u   /**< validation: must be present */
#define OG_RT_PLAIN_KEY 4u  /**< the wire name prints without JSON escapes */

typedef struct og_rt_type og_rt_type;

/** required_if: the field is required when field `target` (an index into
 * the same type's fields) has this value. */
typedef struct og_rt_condition {
    unsigned target;
    const char *string;     /**< the value of a string target */
    int64_t integer;        /**< of an integer or bool target (0/1) */
    double number;          /**< of a float target */
    const char *why;        /**< the message: "is required when x is y" */
} og_rt_condition;

/** What few fields need: the member name of a required number or bool
 * (for "is required (has_x is false)") and required_if conditions. */
typedef struct og_rt_extra {
    const char *c_name;
    const og_rt_condition *conditions;
    unsigned condition_count;
} og_rt_extra;

/** One member of a struct, as the codec walks it (40 bytes on LP64; a
 * struct bigger than 64 KiB or a wire name longer than 255 bytes does not
 * fit, which the compiler reports: -Woverflow on the table). An array's
 * item size follows from its kind (the nested type's size for objects and
 * lists). */
typedef struct og_rt_field {
    const char *key;        /**< wire name (NULL for a list's items) */
    /** Validation: og_rt_string_rule (strings), og_rt_number_rule
     * (numbers) or og_rt_array_rule (arrays); NULL: none beyond types. */
    const void *rule;
    const og_rt_type *type;     /**< of objects and lists, else NULL */
    const og_rt_extra *extra;   /**< or NULL */
    uint16_t offset;        /**< of the value, or of the array's items */
    uint16_t flag_offset;   /**< of `has_x` (scalars) or `x_count` (arrays) */
    uint8_t key_len;
    uint8_t kind;           /**< og_rt_kind */
    uint8_t flags;          /**< OG_RT_ARRAY, OG_RT_REQUIRED, OG_RT_PLAIN_KEY */
} og_rt_field;

/** The member at `offset` of the struct at `base`: how the runtime reaches
 * a field from its descriptor. */
#define OG_RT_AT(base, offset) ((unsigned char *)(base) + (offset))
#define OG_RT_CAT(base, offset) ((const unsigned char *)(base) + (offset))

/** A struct: its size and fields in wire order. A list struct (an item of
 * an array of arrays) has one field, its items. */
struct og_rt_type {
    size_t size;
    const og_rt_field *fields;
    size_t field_count;
};

bool og_rt_quick_parse(const char *text, size_t len,
                               const og_rt_type *type, void **out);

/* ---- for generated code: JSON writing ----------------------------------- */

/** Writes `in` as members of the (already created) JSON object `obj`. */
typedef int (*og_rt_write_fn)(const void *in, cJSON *obj);

/* Field writers add `key` to `obj` only when the value is set (string not
 * NULL, has flag true). They return 0, OG_E_NOMEM, OG_E_ARG
 * (obj or key NULL) or, for a NaN or infinite float, which JSON cannot
 * carry, OG_E_RANGE. int64 values of 16 or more digits are written
 * digit for digit (a cJSON raw item), never through a double: cJSON prints
 * doubles with 15 significant digits. */
int og_rt_write_string(cJSON *obj, const char *key, const char *v);
int og_rt_write_int32(cJSON *obj, const char *key, bool has, int32_t v);
int og_rt_write_int64(cJSON *obj, const char *key, bool has, int64_t v);
int og_rt_write_float(cJSON *obj, const char *key, bool has, double v);
int og_rt_write_bool(cJSON *obj, const char *key, bool has, bool v);
/** Writes a copy of the json value `v` when it is not NULL. */
int og_rt_write_json(cJSON *obj, const char *key, const cJSON *v);
/** Writes a nested object when `in` is not NULL. */
int og_rt_write_object(cJSON *obj, const char *key, const void *in,
                               og_rt_write_fn write);
/** Element writers: add one array item to `array` (a cJSON array); same
 * return codes as the field writers, and a NULL string is OG_E_ARG. */
typedef int (*og_rt_elem_write_fn)(const void *elem, cJSON *array);
int og_rt_elem_write_string(const void *elem, cJSON *array);
int og_rt_elem_write_int32(const void *elem, cJSON *array);
int og_rt_elem_write_int64(const void *elem, cJSON *array);
int og_rt_elem_write_float(const void *elem, cJSON *array);
int og_rt_elem_write_bool(const void *elem, cJSON *array);
int og_rt_elem_write_json(const void *elem, cJSON *array);
/** Adds the list (items, count) as a JSON array to `array`: `write` for
 * scalars, `object_write` for objects, as in og_rt_write_array; an
 * empty list is [] and items == NULL with count > 0 is OG_E_ARG. */
int og_rt_elem_write_list(cJSON *array, const void *items, size_t count,
                                  size_t elem_size, og_rt_elem_write_fn write,
                                  og_rt_write_fn object_write);
/** Writes an array when items != NULL or count > 0 (so an explicitly empty
 * array is sent as []). `write` writes one element; for arrays of objects
 * pass NULL and `object_write` instead. */
int og_rt_write_array(cJSON *obj, const char *key, const void *items,
                              size_t count, size_t elem_size,
                              og_rt_elem_write_fn write,
                              og_rt_write_fn object_write);

/* ---- for generated code: JSON text printing ----------------------------- */

/* `T_print` writes compact JSON text straight from a struct, without a
 * cJSON tree, and yields exactly the bytes cJSON_PrintUnformatted gives for
 * the tree `T_to_json` builds: the same members in the same order, strings
 * escaped as cJSON escapes them (\" \\ \b \f \n \r \t, other bytes below
 * 0x20 as \u00xx, everything else as is), numbers formatted as cJSON's
 * print_number does, int64 values as exact digits. A float is sent exactly:
 * as the shortest of "%.15g", "%.16g", "%.17g" that reads back as the same
 * double (the writers put such a number in the tree as a raw item when
 * cJSON's own "%1.15g" would round it). The printers mirror the field
 * writers above, return codes included. */

/** Writes v as the shortest of "%.15g", "%.16g", "%.17g" that strtod
 * reads back as exactly v, with '.' as the decimal point: how floats are
 * sent in bodies and queries. 0, OG_E_RANGE (not finite, or cap too
 * small; 32 bytes always suffice) or OG_E_ARG. */
int og_rt_format_double(char *buf, size_t cap, double v);

/** Where printed text goes (opaque; only og_rt_print makes one). */
typedef struct og_rt_printer og_rt_printer;

/** Prints `in` as the members of an object that the caller opened. */
typedef int (*og_rt_print_fn)(const void *in, og_rt_printer *p);

/** Prints `in` as a JSON object with `print`. Returns the text, which the
 * caller frees with cJSON_free(), or NULL when `print` failed (NaN or
 * infinite float, NULL string in an array, ...) or memory ran out. */
char *og_rt_print(const void *in, og_rt_print_fn print);

/* Field printers: add "key":value when the value is set, like the field
 * writers; 0, OG_E_NOMEM, OG_E_ARG or OG_E_RANGE. */
int og_rt_print_string(og_rt_printer *p, const char *key, const char *v);
int og_rt_print_int32(og_rt_printer *p, const char *key, bool has, int32_t v);
int og_rt_print_int64(og_rt_printer *p, const char *key, bool has, int64_t v);
int og_rt_print_float(og_rt_printer *p, const char *key, bool has, double v);
int og_rt_print_bool(og_rt_printer *p, const char *key, bool has, bool v);
/** Prints the json value `v` (as cJSON_PrintUnformatted does) when it is
 * not NULL. */
int og_rt_print_json(og_rt_printer *p, const char *key, const cJSON *v);
/** Prints a nested object when `in` is not NULL. */
int og_rt_print_object(og_rt_printer *p, const char *key,
                               const void *in, og_rt_print_fn print);
/** Element printers: print one array item; a NULL string is OG_E_ARG. */
typedef int (*og_rt_elem_print_fn)(const void *elem, og_rt_printer *p);
int og_rt_elem_print_string(const void *elem, og_rt_printer *p);
int og_rt_elem_print_int32(const void *elem, og_rt_printer *p);
int og_rt_elem_print_int64(const void *elem, og_rt_printer *p);
int og_rt_elem_print_float(const void *elem, og_rt_printer *p);
int og_rt_elem_print_bool(const void *elem, og_rt_printer *p);
int og_rt_elem_print_json(const void *elem, og_rt_printer *p);
/** Prints a list as a JSON array, like og_rt_elem_write_list. */
int og_rt_elem_print_list(og_rt_printer *p, const void *items, size_t count,
                                  size_t elem_size, og_rt_elem_print_fn print,
                                  og_rt_print_fn object_print);
/** Prints an array when items != NULL or count > 0, like
 * og_rt_write_array: `print` for scalars or `object_print`. */
int og_rt_print_array(og_rt_printer *p, const char *key,
                              const void *items, size_t count, size_t elem_size,
                              og_rt_elem_print_fn print,
                              og_rt_print_fn object_print);

/* ---- for generated code: validation ------------------------------------- */

/** Where a validator is and where violations go. As in the reader, the
 * path of the current object is `path` (the root) followed by the frames,
 * formatted only when a violation is added. */
typedef struct og_rt_checker {
    char path[256];
    size_t path_len;
    og_rt_frame frames[OG_RT_MAX_FRAMES];
    size_t frame_count;     /**< steps open; only the first MAX_FRAMES are kept */
    og_violations_t *out;
} og_rt_checker;

/** Checks one object; adds its violations to c->out. Each field gets at most
 * one violation: the first rule it breaks. */
typedef void (*og_rt_check_fn)(const void *obj, og_rt_checker *c);

/** Rules of a string field. Lengths count characters (Unicode code points,
 * so "超出预期" is 4), -1 means unbounded (note: 0 is a real bound, so
 * generated rules must spell out -1). Every string must be valid UTF-8. */
typedef struct og_rt_string_rule {
    bool required;
    bool non_empty;          /**< may be omitted, but not "" */
    long min_length, max_length;
    bool is_date;            /**< a real date written YYYY-MM-DD */
    const char *const *allowed;   /**< enum values, NULL if any */
    size_t allowed_count;
} og_rt_string_rule;

/** Rules of a number field (int32, int64 or float, as double). */
typedef struct og_rt_number_rule {
    bool required;
    bool has_min, has_max;
    double min, max;
    const int64_t *allowed;  /**< integer enum values, NULL if any */
    size_t allowed_count;
    /** Floats: at most `decimals` decimal places, counted in the shortest
     * text that reads back as the same double (37.55 has 2). */
    bool has_decimals;
    int decimals;
} og_rt_number_rule;

/** Rules of an array field; item counts, -1 unbounded. An array is present
 * when items != NULL or count > 0. */
typedef struct og_rt_array_rule {
    bool required;
    long min_items, max_items;
    /** Each item of an array of strings (enum values, UTF-8); NULL:
     * only "not null and valid UTF-8". */
    const struct og_rt_string_rule *items;
} og_rt_array_rule;

void og_rt_checker_init(og_rt_checker *c,
                                og_violations_t *out);
/** Adds a violation at the current path + "/" + field (field may be NULL). */
void og_rt_violation(og_rt_checker *c, const char *field,
                             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void og_rt_check_string(og_rt_checker *c, const char *field,
                                const char *v,
                                const og_rt_string_rule *rule);
/** For int32 and float fields; a NaN or infinity "must be a finite number"
 * (the writer would refuse it). */
void og_rt_check_number(og_rt_checker *c, const char *field,
                                bool has, double v,
                                const og_rt_number_rule *rule);
/** For int64 fields: membership and range without going through double. */
void og_rt_check_int64(og_rt_checker *c, const char *field,
                               bool has, int64_t v,
                               const og_rt_number_rule *rule);
/** A bool or other field that only has "required": when !present, adds the
 * violation `why`, or "is required" when why is NULL. */
void og_rt_check_present(og_rt_checker *c, const char *field,
                                 bool present, const char *why);
/** Checks a file field: required and unset is "is required"; path and data
 * both set, a filename or content type with CR, LF or '"' are refused (they
 * would break the part's headers). */
void og_rt_check_file(og_rt_checker *c, const char *field,
                              const og_file_t *f, bool required);
/** Checks a nested object (NULL allowed unless required) with `check`. */
void og_rt_check_object(og_rt_checker *c, const char *field,
                                const void *v, bool required,
                                og_rt_check_fn check);
/** Checks an array's count, then each item of strings (string_rule, may be
 * NULL; a NULL item "must not be null") or objects (check, may be NULL) at
 * ".../field/i". */
void og_rt_check_array(og_rt_checker *c, const char *field,
                               const void *items, size_t count,
                               size_t elem_size,
                               const og_rt_array_rule *rule,
                               const og_rt_string_rule *string_rule,
                               og_rt_check_fn check);

/** A path parameter becomes exactly one URL segment, which "", "." and ".."
 * cannot be: adds the violation "/field must not be ..." for them, unless
 * violations [from, count) already have one at "/field" (NULL is left to
 * the "required" rule). Returns 1 if it added one, 0, or OG_E_NOMEM. */
int og_rt_check_segment(og_violations_t *v, size_t from,
                               const char *field, const char *value);

/** Item checker of the string leaves of arrays of arrays: not NULL ("must
 * not be null") and valid UTF-8. */
void og_rt_check_string_item(const void *item, og_rt_checker *c);
/** Item checker of json[] arrays: a NULL item "must not be null" (it could
 * not be written). */
void og_rt_check_json_item(const void *item, og_rt_checker *c);

/* ---- for generated code: the descriptor codec ---------------------------- */

/* What every generated struct's public functions are: T_from_json,
 * T_parse, T_to_json, T_print, T_validate, T_clear and T_free each call one
 * of these with T's og_rt_type, which the runtime walks field by field. */

/** T_from_json: a new struct read from a cJSON object; paths in *err. */
int og_rt_from_json(const og_rt_type *type, void **out, const cJSON *json,
                    og_error_t *err);
/** T_parse: a new struct read from JSON text (the quick path, else the
 * tree path, which reports exactly what is wrong). */
int og_rt_parse_as(const og_rt_type *type, void **out, const char *text,
                   size_t len, og_error_t *err);
/** T_to_json: a new cJSON object (caller cJSON_Delete()s it). */
int og_rt_to_json(const og_rt_type *type, const void *in, cJSON **out);
/** T_print: compact JSON text equal to cJSON_PrintUnformatted of
 * T_to_json's tree, in memory from cJSON_malloc (cJSON_free it); NULL on
 * failure. */
char *og_rt_print_as(const og_rt_type *type, const void *in);
/** T_validate: appends the violations to *out; returns how many, or a
 * negative code. */
int og_rt_validate(const og_rt_type *type, const void *in, og_violations_t *out);
/** Reads the members of a struct that the caller allocated (zeroed). */
int og_rt_read(const og_rt_type *type, void *obj, const cJSON *json,
               og_rt_reader *r);
/** Adds the struct's set fields to an existing JSON object. */
int og_rt_write(const og_rt_type *type, const void *obj, cJSON *json);
/** The size of one item of an array field (of a value of the field's kind). */
size_t og_rt_item_size(const og_rt_field *f);
/** T_clear: frees what the struct owns and zeroes it (NULL-safe). */
void og_rt_clear(const og_rt_type *type, void *obj);
/** T_free: og_rt_clear, then free(obj). */
void og_rt_free(const og_rt_type *type, void *obj);

/* ---- for generated code: pagination ------------------------------------- */

/** The state of one walk over the pages of an endpoint (an iterator's
 * `_pages_t` holds one). It remembers every token sent, because a server
 * that hands back a token already sent (or says has_more without a token)
 * would make the walk endless: that is OG_E_PAGINATION instead.
 * Zero-initialise; free with og_rt_pager_free. */
typedef struct og_rt_pager {
    char **seen;            /**< tokens sent: open addressing, owned copies */
    size_t seen_count, seen_size;
    int state;              /**< 0: more pages, 1: done, < 0: failed with that code */
    char message[256];      /**< with state < 0: why */
    size_t pages;           /**< pages read so far */
} og_rt_pager_t;

/** Remembers the first request's token (NULL or "" for none): a server that
 * answers with it again loops. Returns 0 or OG_E_NOMEM. */
int og_rt_pager_start(og_rt_pager_t *p, const char *first_token);
/** Before each request: 1 when a page is to be fetched, 0 when the walk is
 * over, or the walk's failure (negative, described in err). */
int og_rt_pager_ready(const og_rt_pager_t *p, og_error_t *err);
/** After a page was read with `has_more` and `next` (the page's token, may
 * be NULL). When more pages follow, *token (the token member of the
 * iterator's own request, malloc'd) is replaced by a copy of next. A page
 * that says has_more without a token, or with one already sent, ends the
 * walk with OG_E_PAGINATION, reported by the next _ready; so does
 * running out of memory (OG_E_NOMEM). Returns 0 or that code. */
int og_rt_pager_advance(og_rt_pager_t *p, const char *endpoint,
                                bool has_more, const char *next, char **token);
/** Frees the remembered tokens and zeroes *p (NULL-safe). */
void og_rt_pager_free(og_rt_pager_t *p);

/** Number of Unicode code points in a UTF-8 string, or -1 if not valid UTF-8. */
long og_rt_utf8_length(const char *s);
/** True if s is YYYY-MM-DD and names a day that exists (leap years too). */
bool og_rt_is_date(const char *s);

#ifdef __cplusplus
}
#endif
#endif
