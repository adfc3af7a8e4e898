/*
 * Runtime of the generated og client: errors, JSON reading with
 * JSON-pointer paths, JSON writing, validation. The generated og.c
 * is a thin layer of tables and calls over these functions.
 *
 * Conventions: functions return 0 or a negative OG_E_* code and
 * describe failures in a caller-owned og_error_t; nothing here keeps
 * global state, so every function is thread-safe as far as cJSON is.
 */
#include "og_runtime.h"

#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define RT_PRINTF_(f, a) __attribute__((format(printf, f, a)))
#else
#define RT_PRINTF_(f, a)
#endif

/* Integers of this magnitude or more may already have been rounded by
 * cJSON, which stores every number as a double (2^53). */
#define RT_EXACT_LIMIT_ 9007199254740992.0
/* cJSON prints doubles with "%1.15g" and accepts the result when it is
 * approximately equal, so integers of 16+ digits can lose their last
 * digits; we write those as raw digits instead. */
#define RT_PRINT_EXACT_LIMIT_ INT64_C(1000000000000000)

/* ---- errors ------------------------------------------------------------- */

const char *og_strerror(int code)
{
    switch (code) {
#define OG_STRERROR_CASE_(name, value, text) case value: return text;
    OG_ERRORS(OG_STRERROR_CASE_)
#undef OG_STRERROR_CASE_
    default: return "unknown error";
    }
}

void og_error_clear(og_error_t *err)
{
    if (err != NULL)
        memset(err, 0, sizeof(*err));
}

/* Cuts a string that snprintf truncated back to the last whole UTF-8
 * sequence, so a long message never ends in half a character. */
static void utf8_trim_tail(char *s, size_t len)
{
    size_t start = len, need;
    unsigned char lead;

    while (start > 0 && len - start < 4 &&
           ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start == 0)
        return;
    lead = (unsigned char)s[start - 1];
    need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (need > len - start + 1)
        s[start - 1] = '\0';
}

/* Copies src into dst[cap] (always NUL-terminated, cut on a character). */
static void copy_truncated(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);

    if (n < cap) {
        memcpy(dst, src, n + 1);
        return;
    }
    memcpy(dst, src, cap - 1);
    dst[cap - 1] = '\0';
    utf8_trim_tail(dst, cap - 1);
}

static int error_vset(og_error_t *err, int code, const char *path,
                      const char *fmt, va_list ap) RT_PRINTF_(4, 0);

static int error_vset(og_error_t *err, int code, const char *path,
                      const char *fmt, va_list ap)
{
    int n;

    if (err == NULL)
        return code;
    err->code = code;
    copy_truncated(err->path, sizeof(err->path), path != NULL ? path : "");
    if (fmt == NULL) {
        copy_truncated(err->message, sizeof(err->message),
                       og_strerror(code));
        return code;
    }
    n = vsnprintf(err->message, sizeof(err->message), fmt, ap);
    if (n < 0)
        copy_truncated(err->message, sizeof(err->message),
                       og_strerror(code));
    else if ((size_t)n >= sizeof(err->message))
        utf8_trim_tail(err->message, sizeof(err->message) - 1);
    return code;
}

int og_error_set(og_error_t *err, int code, const char *path,
                         const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vset(err, code, path, fmt, ap);
    va_end(ap);
    return code;
}

void og_violations_free(og_violations_t *v)
{
    size_t i;

    if (v == NULL)
        return;
    for (i = 0; i < v->count; i++) {
        free(v->items[i].path);
        free(v->items[i].message);
    }
    free(v->items);
    memset(v, 0, sizeof(*v));
}

/* ---- JSON pointer paths ------------------------------------------------- */

/* Bytes of the character starting at p: what its lead byte announces,
 * shortened at a NUL (only used to truncate whole characters, never to
 * validate). */
static size_t char_len(const char *p)
{
    unsigned char c = (unsigned char)p[0];
    size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1, k = 1;

    while (k < want && p[k] != '\0')
        k++;
    return k;
}

/* Appends "/" + seg to path[cap] of length *len (seg escaped per RFC
 * 6901: '~' is "~0", '/' is "~1"). What does not fit is dropped, whole
 * characters and escapes at a time, so the path stays a readable prefix. */
static void path_push(char *path, size_t cap, size_t *len, const char *seg)
{
    size_t n = *len, k;
    const char *p;

    if (n + 1 >= cap)
        return;
    path[n++] = '/';
    for (p = seg; *p != '\0'; p += k) {
        if (*p == '~' || *p == '/') {
            if (n + 2 >= cap)
                break;
            path[n++] = '~';
            path[n++] = *p == '~' ? '0' : '1';
            k = 1;
            continue;
        }
        k = char_len(p);
        if (n + k >= cap)
            break;
        memcpy(path + n, p, k);
        n += k;
    }
    path[n] = '\0';
    *len = n;
}

static void path_push_index(char *path, size_t cap, size_t *len, size_t i)
{
    char digits[24];

    snprintf(digits, sizeof(digits), "%zu", i);
    path_push(path, cap, len, digits);
}

/* Steps below a root path, kept by reader and checker: a path is only
 * formatted when an error or violation needs it. */
static size_t frame_push(og_rt_frame *frames, size_t *count,
                         const char *key, size_t index)
{
    size_t n = (*count)++;

    if (n < OG_RT_MAX_FRAMES) {
        frames[n].key = key;
        frames[n].index = index;
    }
    return n;
}

/* root, then each frame pushed exactly as an eagerly built path would have
 * been, into out[cap] (cap is the size of the root's buffer), so that
 * truncation falls on the same bytes; returns the length. */
static size_t format_path(const char *root, size_t root_len,
                          const og_rt_frame *frames, size_t count,
                          char *out, size_t cap)
{
    size_t len = root_len, i;

    memcpy(out, root, len + 1);
    if (count > OG_RT_MAX_FRAMES)
        count = OG_RT_MAX_FRAMES;
    for (i = 0; i < count; i++) {
        if (frames[i].key != NULL)
            path_push(out, cap, &len, frames[i].key);
        else
            path_push_index(out, cap, &len, frames[i].index);
    }
    return len;
}

/* ---- UTF-8 -------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (n bytes available), or 0.
 * Follows the Unicode table of well-formed sequences: no overlong forms
 * (C0, C1, E0 80..9F, F0 80..8F), no surrogates (ED A0..BF), nothing past
 * U+10FFFF (F4 90.., F5..FF). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t len, i;

    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

long og_rt_utf8_length(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n, k;
    long count = 0;

    if (s == NULL)
        return -1;
    n = strlen(s);
    while (n > 0) {
        if ((k = utf8_seq(p, n)) == 0)
            return -1;
        p += k;
        n -= k;
        count++;
    }
    return count;
}

/* ---- numbers ------------------------------------------------------------ */

/* The shortest of "%.15g", "%.16g", "%.17g" that reads back as exactly v
 * (17 digits always do), with '.' as the decimal point whatever the locale.
 * Returns its length, or -1 if it does not fit. */
static int shortest_double(char *buf, size_t cap, double v)
{
    char point = localeconv()->decimal_point[0];
    int prec, n = -1, i;

    for (prec = 15; prec <= 17; prec++) {
        n = snprintf(buf, cap, "%.*g", prec, v);
        if (n <= 0 || (size_t)n >= cap)
            return -1;
        if (prec == 17 || strtod(buf, NULL) == v)
            break;
    }
    for (i = 0; i < n; i++)
        if (buf[i] == point)
            buf[i] = '.';
    return n;
}

int og_rt_format_double(char *buf, size_t cap, double v)
{
    if (buf == NULL || cap == 0)
        return OG_E_ARG;
    if (!isfinite(v))
        return OG_E_RANGE;
    return shortest_double(buf, cap, v) < 0 ? OG_E_RANGE : 0;
}

/* The same form, for messages (any value; "nan" and "inf" as printf has them). */
static void format_double(char *buf, size_t cap, double v)
{
    if (!isfinite(v) || shortest_double(buf, cap, v) < 0)
        snprintf(buf, cap, "%g", v);
}

/* ---- JSON reading ------------------------------------------------------- */

static int rt_fail(og_rt_reader *r, int code, const char *fmt, ...)
    RT_PRINTF_(3, 4);

static int rt_fail(og_rt_reader *r, int code, const char *fmt, ...)
{
    char path[sizeof(r->path)];
    va_list ap;

    if (r == NULL || r->err == NULL)
        return code;
    format_path(r->path, r->path_len, r->frames, r->frame_count, path,
                sizeof(path));
    va_start(ap, fmt);
    error_vset(r->err, code, path, fmt, ap);
    va_end(ap);
    return code;
}

static const char *type_name(const cJSON *json)
{
    if (json == NULL)
        return "nothing";
    switch (json->type & 0xFF) {
    case cJSON_False:
    case cJSON_True: return "boolean";
    case cJSON_NULL: return "null";
    case cJSON_Number: return "number";
    case cJSON_String: return "string";
    case cJSON_Array: return "array";
    case cJSON_Object: return "object";
    case cJSON_Raw: return "raw JSON";
    default: return "an invalid cJSON item";
    }
}

static int type_error(og_rt_reader *r, const char *want,
                      const cJSON *got)
{
    return rt_fail(r, OG_E_TYPE, "expected %s, got %s", want,
                   type_name(got));
}

/* Enters member `key` (kept by pointer: it must outlive the step) and
 * returns what reader_pop restores. */
static size_t reader_push(og_rt_reader *r, const char *key)
{
    return frame_push(r->frames, &r->frame_count, key, 0);
}

static size_t reader_push_index(og_rt_reader *r, size_t i)
{
    return frame_push(r->frames, &r->frame_count, NULL, i);
}

static void reader_pop(og_rt_reader *r, size_t old)
{
    r->frame_count = old;
}

void og_rt_reader_init(og_rt_reader *r, const char *root,
                               og_error_t *err)
{
    if (r == NULL)
        return;
    copy_truncated(r->path, sizeof(r->path), root != NULL ? root : "");
    r->path_len = strlen(r->path);
    r->frame_count = 0;
    /* The root value is level 1, as in the pre-scan of rt_parse, so both
     * count the same containers against the limit. */
    r->depth = 1;
    r->err = err;
}

int og_rt_expect_object(const cJSON *json, og_rt_reader *r)
{
    if (r == NULL)
        return OG_E_ARG;
    if (!cJSON_IsObject(json))
        return type_error(r, "object", json);
    return 0;
}

/* Counts one more open container; the caller leaves with depth_leave. */
static int depth_enter(og_rt_reader *r)
{
    if (r->depth >= OG_RT_MAX_DEPTH)
        return rt_fail(r, OG_E_DEPTH, "nested deeper than %d levels",
                       OG_RT_MAX_DEPTH);
    r->depth++;
    return 0;
}

static void depth_leave(og_rt_reader *r)
{
    r->depth--;
}

int og_rt_elem_string(void *out, const cJSON *json,
                              og_rt_reader *r)
{
    char *copy;
    size_t n;

    if (out == NULL || r == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    if (!cJSON_IsString(json) || json->valuestring == NULL)
        return type_error(r, "string", json);
    n = strlen(json->valuestring);
    if ((copy = malloc(n + 1)) == NULL)
        return rt_fail(r, OG_E_NOMEM, "out of memory");
    memcpy(copy, json->valuestring, n + 1);
    *(char **)out = copy;
    return 0;
}

/* Gets the double of a number item, refusing what cJSON turned into an
 * infinity (1e999): JSON allows it but no C number holds it. */
static int number_value(const cJSON *json, const char *want, double *v,
                        og_rt_reader *r)
{
    if (!cJSON_IsNumber(json))
        return type_error(r, want, json);
    if (!isfinite(json->valuedouble))
        return rt_fail(r, OG_E_RANGE,
                       "number is too large for a double");
    *v = json->valuedouble;
    return 0;
}

int og_rt_elem_int32(void *out, const cJSON *json,
                             og_rt_reader *r)
{
    char num[32];
    double v = 0;
    int rc;

    if (out == NULL || r == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    if ((rc = number_value(json, "integer", &v, r)) < 0)
        return rc;
    if (v >= -2147483648.0 && v <= 2147483647.0 && (double)(int32_t)v == v) {
        *(int32_t *)out = (int32_t)v;
        return 0;
    }
    /* Only a failure formats the number. */
    format_double(num, sizeof(num), v);
    if (v < -2147483648.0 || v > 2147483647.0)
        return rt_fail(r, OG_E_RANGE,
                       "expected int32 (-2147483648 to 2147483647), got %s",
                       num);
    return rt_fail(r, OG_E_RANGE, "expected integer, got %s", num);
}

int og_rt_elem_int64(void *out, const cJSON *json,
                             og_rt_reader *r)
{
    char num[32];
    double v = 0;
    int rc;

    if (out == NULL || r == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    if ((rc = number_value(json, "integer", &v, r)) < 0)
        return rc;
    if (v > -RT_EXACT_LIMIT_ && v < RT_EXACT_LIMIT_ && (double)(int64_t)v == v) {
        *(int64_t *)out = (int64_t)v;
        return 0;
    }
    format_double(num, sizeof(num), v);
    if (v <= -RT_EXACT_LIMIT_ || v >= RT_EXACT_LIMIT_)
        return rt_fail(r, OG_E_RANGE,
                       "%s is not within +-(2^53-1): cJSON holds numbers as "
                       "double and cannot read such integers exactly", num);
    return rt_fail(r, OG_E_RANGE, "expected integer, got %s", num);
}

int og_rt_elem_float(void *out, const cJSON *json,
                             og_rt_reader *r)
{
    if (out == NULL || r == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    return number_value(json, "number", (double *)out, r);
}

int og_rt_elem_bool(void *out, const cJSON *json,
                            og_rt_reader *r)
{
    if (out == NULL || r == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    if (!cJSON_IsBool(json))
        return type_error(r, "boolean", json);
    *(bool *)out = cJSON_IsTrue(json) != 0;
    return 0;
}

/* Finds obj[key]: 1 with *item set when present, 0 when missing or null
 * (the field stays unset), negative on error. */
static int field_lookup(const cJSON *obj, const char *key, const cJSON **item,
                        og_rt_reader *r)
{
    if (r == NULL || key == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    if (!cJSON_IsObject(obj))
        return type_error(r, "object", obj);
    *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (*item == NULL || cJSON_IsNull(*item))
        return 0;
    return 1;
}

/* The scalar field readers: look up, read at ".../key", mark as set. */
static int read_field(const cJSON *obj, const char *key, void *out, bool *has,
                      og_rt_read_fn elem, og_rt_reader *r)
{
    const cJSON *item = NULL;
    size_t saved;
    int rc;

    if (out == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    if ((rc = field_lookup(obj, key, &item, r)) <= 0)
        return rc;
    saved = reader_push(r, key);
    if ((rc = elem(out, item, r)) == 0 && has != NULL)
        *has = true;
    reader_pop(r, saved);
    return rc;
}

int og_rt_read_string(const cJSON *obj, const char *key, char **out,
                              og_rt_reader *r)
{
    return read_field(obj, key, out, NULL, og_rt_elem_string, r);
}

int og_rt_read_int32(const cJSON *obj, const char *key, bool *has,
                             int32_t *out, og_rt_reader *r)
{
    if (has == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    return read_field(obj, key, out, has, og_rt_elem_int32, r);
}

int og_rt_read_int64(const cJSON *obj, const char *key, bool *has,
                             int64_t *out, og_rt_reader *r)
{
    if (has == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    return read_field(obj, key, out, has, og_rt_elem_int64, r);
}

int og_rt_read_float(const cJSON *obj, const char *key, bool *has,
                             double *out, og_rt_reader *r)
{
    if (has == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    return read_field(obj, key, out, has, og_rt_elem_float, r);
}

int og_rt_read_bool(const cJSON *obj, const char *key, bool *has,
                            bool *out, og_rt_reader *r)
{
    if (has == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    return read_field(obj, key, out, has, og_rt_elem_bool, r);
}

/* Allocates one zeroed object, reads it, hands it over only when whole. */
static int read_new_object(void **out, const cJSON *json, size_t size,
                           og_rt_read_fn read,
                           og_rt_clear_fn clear,
                           og_rt_reader *r)
{
    void *obj;
    int rc;

    if ((rc = depth_enter(r)) < 0)
        return rc;
    if ((obj = calloc(1, size)) == NULL) {
        rc = rt_fail(r, OG_E_NOMEM, "out of memory");
        goto done;
    }
    if ((rc = read(obj, json, r)) < 0) {
        if (clear != NULL)
            clear(obj);
        free(obj);
        goto done;
    }
    *out = obj;
done:
    depth_leave(r);
    return rc;
}

int og_rt_read_object(const cJSON *obj, const char *key, void **out,
                              size_t size, og_rt_read_fn read,
                              og_rt_clear_fn clear,
                              og_rt_reader *r)
{
    const cJSON *item = NULL;
    size_t saved;
    int rc;

    if (out == NULL || size == 0 || read == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    if ((rc = field_lookup(obj, key, &item, r)) <= 0)
        return rc;
    saved = reader_push(r, key);
    if (!cJSON_IsObject(item))
        rc = type_error(r, "object", item);
    else
        rc = read_new_object(out, item, size, read, clear, r);
    reader_pop(r, saved);
    return rc;
}

/* Reads one array element at ".../i"; an element that is itself a
 * container counts one more level. */
static int read_element(void *out, const cJSON *json, size_t i,
                        og_rt_read_fn read, og_rt_reader *r)
{
    bool nested = cJSON_IsObject(json) || cJSON_IsArray(json);
    size_t saved = reader_push_index(r, i);
    int rc;

    if (nested && (rc = depth_enter(r)) < 0)
        goto done;
    rc = read(out, json, r);
    if (nested)
        depth_leave(r);
done:
    reader_pop(r, saved);
    return rc;
}

static int read_elements(void **items, size_t *count, const cJSON *array,
                         size_t elem_size, og_rt_read_fn read,
                         og_rt_clear_fn clear, og_rt_reader *r)
{
    const cJSON *it;
    unsigned char *buf;
    size_t n = 0, i = 0;
    int rc = 0;

    for (it = array->child; it != NULL; it = it->next)
        n++;
    if (n > SIZE_MAX / elem_size)
        return rt_fail(r, OG_E_NOMEM, "out of memory");
    /* At least one element, so that [] reads as a non-NULL empty array and
     * is written back as [] rather than omitted. */
    if ((buf = calloc(n > 0 ? n : 1, elem_size)) == NULL)
        return rt_fail(r, OG_E_NOMEM, "out of memory");
    for (it = array->child; it != NULL; it = it->next, i++) {
        if ((rc = read_element(buf + i * elem_size, it, i, read, r)) < 0) {
            /* Element i may be partly read; readers leave it clearable. */
            og_rt_free_array(buf, i + 1, elem_size, clear);
            return rc;
        }
    }
    *items = buf;
    *count = n;
    return 0;
}

int og_rt_read_array(const cJSON *obj, const char *key, void **items,
                             size_t *count, size_t elem_size,
                             og_rt_read_fn read,
                             og_rt_clear_fn clear,
                             og_rt_reader *r)
{
    const cJSON *item = NULL;
    size_t saved;
    int rc;

    if (items == NULL || count == NULL || elem_size == 0 || read == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    if ((rc = field_lookup(obj, key, &item, r)) <= 0)
        return rc;
    saved = reader_push(r, key);
    if (!cJSON_IsArray(item)) {
        rc = type_error(r, "array", item);
        goto done;
    }
    if ((rc = depth_enter(r)) < 0)
        goto done;
    rc = read_elements(items, count, item, elem_size, read, clear, r);
    depth_leave(r);
done:
    reader_pop(r, saved);
    return rc;
}

/* Container levels of json, the value itself included (0 for a scalar);
 * stops counting past `limit`, so recursion stays bounded. */
static int json_levels(const cJSON *json, int limit)
{
    const cJSON *it;
    int most = 0, n;

    if (!cJSON_IsArray(json) && !cJSON_IsObject(json))
        return 0;
    if (limit <= 0)
        return 1;
    for (it = json->child; it != NULL && most < limit; it = it->next)
        if ((n = json_levels(it, limit - 1)) > most)
            most = n;
    return most + 1;
}

/* A copy of json without its member name. */
static cJSON *json_copy(const cJSON *json)
{
    cJSON *copy = cJSON_Duplicate(json, 1);

    if (copy != NULL && copy->string != NULL) {
        if (!(copy->type & cJSON_StringIsConst))
            cJSON_free(copy->string);
        copy->string = NULL;
    }
    return copy;
}

int og_rt_elem_json(void *out, const cJSON *json, og_rt_reader *r)
{
    cJSON *copy;
    int room;

    if (out == NULL || r == NULL || json == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    /* The caller entered the value when it is a container (read_element,
     * read_json_field), so its own level is already counted. */
    room = OG_RT_MAX_DEPTH - r->depth + 1;
    if (json_levels(json, room) > room)
        return rt_fail(r, OG_E_DEPTH, "nested deeper than %d levels",
                       OG_RT_MAX_DEPTH);
    if ((copy = json_copy(json)) == NULL)
        return rt_fail(r, OG_E_NOMEM, "out of memory");
    *(cJSON **)out = copy;
    return 0;
}

/* A json field's value: entered like an array element when it is a
 * container, so that both count its levels the same way. */
static int read_json_field(void *out, const cJSON *json, og_rt_reader *r)
{
    bool nested = cJSON_IsObject(json) || cJSON_IsArray(json);
    int rc;

    if (nested && (rc = depth_enter(r)) < 0)
        return rc;
    rc = og_rt_elem_json(out, json, r);
    if (nested)
        depth_leave(r);
    return rc;
}

int og_rt_read_json(const cJSON *obj, const char *key, cJSON **out,
                            og_rt_reader *r)
{
    return read_field(obj, key, out, NULL, read_json_field, r);
}

void og_rt_clear_json(void *elem)
{
    cJSON **j = elem;

    if (j == NULL)
        return;
    cJSON_Delete(*j);
    *j = NULL;
}

int og_rt_read_list(const cJSON *json, void **items, size_t *count,
                            size_t elem_size, og_rt_read_fn read,
                            og_rt_clear_fn clear, og_rt_reader *r)
{
    if (items == NULL || count == NULL || elem_size == 0 || read == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    if (!cJSON_IsArray(json))
        return type_error(r, "array", json);
    /* read_element entered this array already: only its items count */
    return read_elements(items, count, json, elem_size, read, clear, r);
}

void og_rt_clear_string(void *elem)
{
    char **s = elem;

    if (s == NULL)
        return;
    free(*s);
    *s = NULL;
}

void og_rt_free_array(void *items, size_t count, size_t elem_size,
                              og_rt_clear_fn clear)
{
    unsigned char *p = items;
    size_t i;

    if (p == NULL)
        return;
    if (clear != NULL)
        for (i = 0; i < count; i++)
            clear(p + i * elem_size);
    free(p);
}

/* ---- parsing ------------------------------------------------------------ */

/* Bytes 0x01 in every position, and 0x80 in every position. */
#define RT_ONES_ UINT64_C(0x0101010101010101)
#define RT_HIGHS_ UINT64_C(0x8080808080808080)

/* How many of the 8 bytes at s may be skipped inside a string: those
 * before the first '"', '\\', control character or byte beyond ASCII (8
 * when there is none). With x = v ^ c*ONES, (x - ONES) & ~x & HIGHS marks
 * the bytes of v equal to c, and (v - n*ONES) & ~v & HIGHS those below
 * n: exactly at the first such byte (a borrow only runs upwards, so bytes
 * above it may be marked wrongly). Where the lowest mark cannot be found
 * cheaply (not a little-endian GCC or Clang) 0 is returned and the caller
 * looks at the bytes one by one. */
static size_t plain_run8(const unsigned char *s)
{
    uint64_t v, quote, backslash, mask;

    memcpy(&v, s, sizeof(v));
    quote = v ^ (RT_ONES_ * '"');
    backslash = v ^ (RT_ONES_ * '\\');
    mask = (((quote - RT_ONES_) & ~quote) | ((backslash - RT_ONES_) & ~backslash) |
            ((v - RT_ONES_ * 0x20) & ~v) | v) & RT_HIGHS_;
    if (mask == 0)
        return 8;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(mask) / 8;
#else
    return 0;
#endif
}

/* One pass over the text before cJSON sees it: cJSON neither checks UTF-8
 * nor rejects raw control characters in strings, and it recurses once per
 * nesting level, so deep input is refused here, before any recursion.
 * Brackets inside strings do not count. Inside a string, runs of plain
 * ASCII are skipped 8 bytes at a time. */
static int prescan(const unsigned char *s, size_t len, og_error_t *err)
{
    bool in_string = false, escaped = false;
    int depth = 0;
    size_t i = 0, k;

    while (i < len) {
        unsigned char c;

        if (in_string && !escaped) {
            while (len - i >= 8 && (k = plain_run8(s + i)) == 8)
                i += 8;
            if (len - i >= 8)
                i += k;
            if (i == len)
                break;
        }
        c = s[i];
        if (c >= 0x80) {
            if ((k = utf8_seq(s + i, len - i)) == 0)
                return og_error_set(err, OG_E_UTF8, "",
                                            "invalid UTF-8 at byte %zu", i);
            escaped = false;
            i += k;
            continue;
        }
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            else if (c < 0x20)
                return og_error_set(err, OG_E_JSON, "",
                    "unescaped control character in a string at byte %zu", i);
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > OG_RT_MAX_DEPTH)
                return og_error_set(err, OG_E_DEPTH, "",
                    "JSON nested deeper than %d levels at byte %zu",
                    OG_RT_MAX_DEPTH, i);
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
        i++;
    }
    return 0;
}

static bool is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int og_rt_parse(const char *text, size_t len, cJSON **out,
                        og_error_t *err)
{
    const char *end = NULL;
    cJSON *json;
    int rc;

    if (out == NULL || (text == NULL && len > 0))
        return og_error_set(err, OG_E_ARG, "",
                                    "invalid argument");
    *out = NULL;
    if ((rc = prescan((const unsigned char *)text, len, err)) < 0)
        return rc;
    if (len == 0)
        return og_error_set(err, OG_E_JSON, "",
                                    "empty input: no JSON value at byte 0");
    /* Trailing data is checked below, because with a length cJSON's own
     * check demands a NUL inside the buffer. */
    json = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (json == NULL) {
        /* cJSON clamps the offset to the last byte when input ends early. */
        size_t at = end != NULL && end >= text ? (size_t)(end - text) : 0;
        return og_error_set(err, OG_E_JSON, "",
                                    "syntax error at byte %zu", at);
    }
    if (end == NULL)
        end = text + len;
    while ((size_t)(end - text) < len && is_json_space(*end))
        end++;
    if ((size_t)(end - text) < len) {
        cJSON_Delete(json);
        return og_error_set(err, OG_E_JSON, "",
            "unexpected data after the JSON value at byte %zu",
            (size_t)(end - text));
    }
    *out = json;
    return 0;
}

/* ---- quick parsing ------------------------------------------------------ */

/* Reads text straight into structs (see og_rt_quick_parse in the
 * header). Every function returns false to give up; whatever was read so
 * far is then owned by the struct being filled and freed with it. */
typedef struct quick {
    const unsigned char *p, *end;
    int depth;              /* containers open, as counted by prescan */
} quick;

static void q_space(quick *q)
{
    while (q->p < q->end &&
           (*q->p == ' ' || *q->p == '\n' || *q->p == '\r' || *q->p == '\t'))
        q->p++;
}

/* The next byte after white space, or -1 at the end. */
static int q_peek(quick *q)
{
    q_space(q);
    return q->p < q->end ? *q->p : -1;
}

/* Consumes c if it comes next (after white space). */
static bool q_take(quick *q, char c)
{
    if (q_peek(q) != (unsigned char)c)
        return false;
    q->p++;
    return true;
}

static bool q_literal(quick *q, const char *word, size_t n)
{
    if ((size_t)(q->end - q->p) < n || memcmp(q->p, word, n) != 0)
        return false;
    q->p += n;
    return true;
}

static int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The code unit of \uXXXX at s (6 bytes available), or -1. */
static long q_hex4(const unsigned char *s)
{
    long v = 0;
    int i, d;

    for (i = 2; i < 6; i++) {
        if ((d = hex_digit(s[i])) < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Length of the escape at s (a backslash), or 0 for one the quick path
 * leaves to cJSON: unknown letters, \u0000 (cJSON cuts the string there)
 * and surrogates (cJSON pairs them or refuses them). */
static size_t q_escape(const unsigned char *s, const unsigned char *end)
{
    long u;

    if (end - s < 2)
        return 0;
    switch (s[1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r':
    case 't':
        return 2;
    case 'u':
        if (end - s < 6 || (u = q_hex4(s)) <= 0 || (u >= 0xD800 && u <= 0xDFFF))
            return 0;
        return 6;
    default:
        return 0;
    }
}

/* The string whose opening quote is at q->p: on success *body and *n are
 * the bytes between the quotes, *escaped tells whether they hold a
 * backslash, q->p is past the closing quote. Gives up on what prescan
 * refuses (control characters, invalid UTF-8) and on escapes q_escape
 * does not take. */
static bool q_scan_string(quick *q, const unsigned char **body, size_t *n,
                          bool *escaped)
{
    const unsigned char *s = q->p + 1, *end = q->end;
    size_t k;

    *escaped = false;
    for (;;) {
        while (end - s >= 8 && (k = plain_run8(s)) == 8)
            s += 8;
        if (end - s >= 8)
            s += k;
        if (s >= end)
            return false;
        if (*s == '"')
            break;
        if (*s >= 0x80) {
            k = utf8_seq(s, (size_t)(end - s));
        } else if (*s == '\\') {
            k = q_escape(s, end);
            *escaped = true;
        } else {
            k = *s < 0x20 ? 0 : 1;
        }
        if (k == 0)
            return false;
        s += k;
    }
    *body = q->p + 1;
    *n = (size_t)(s - *body);
    q->p = s + 1;
    return true;
}

/* Decodes n bytes of string body (escapes checked by q_scan_string) into
 * out[n + 1], as cJSON's parse_string does. */
static void q_unescape(const unsigned char *b, size_t n, char *out)
{
    static const char letters[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
    const char *l;
    size_t i = 0;
    long u;

    while (i < n) {
        if (b[i] != '\\') {
            *out++ = (char)b[i++];
            continue;
        }
        if (b[i + 1] != 'u') {
            for (l = letters; *l != (char)b[i + 1]; l += 2)
                ;
            *out++ = l[1];
            i += 2;
            continue;
        }
        u = q_hex4(b + i);
        if (u < 0x80) {
            *out++ = (char)u;
        } else if (u < 0x800) {
            *out++ = (char)(0xC0 | (u >> 6));
            *out++ = (char)(0x80 | (u & 0x3F));
        } else {
            *out++ = (char)(0xE0 | (u >> 12));
            *out++ = (char)(0x80 | ((u >> 6) & 0x3F));
            *out++ = (char)(0x80 | (u & 0x3F));
        }
        i += 6;
    }
    *out = '\0';
}

/* A string value into *out (malloc'd, as the field readers copy it). */
static bool q_string(quick *q, char **out)
{
    const unsigned char *body;
    size_t n;
    bool escaped;
    char *copy;

    if (q_peek(q) != '"' || !q_scan_string(q, &body, &n, &escaped) ||
        (copy = malloc(n + 1)) == NULL)
        return false;
    if (escaped) {
        q_unescape(body, n, copy);
    } else {
        memcpy(copy, body, n);
        copy[n] = '\0';
    }
    *out = copy;
    return true;
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* End of the digits from p. */
static const unsigned char *q_digits(const unsigned char *p,
                                     const unsigned char *end)
{
    while (p < end && is_digit(*p))
        p++;
    return p;
}

/* A number in the strict JSON grammar, as the double cJSON gets: it copies
 * the bytes [0-9+-eE.] (at most 63, '.' turned into the locale's decimal
 * point) and calls strtod. Integers of up to 15 digits are exact doubles
 * and are computed directly. */
static bool q_number(quick *q, double *v)
{
    const unsigned char *s, *p, *end = q->end;
    char buf[64], *stop;
    bool integer = true;
    size_t n, i;
    int64_t m = 0;

    q_space(q);
    s = p = q->p;
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (p < end && *p >= '1' && *p <= '9')
        p = q_digits(p, end);
    else
        return false;
    if (p < end && *p == '.') {
        integer = false;
        if (p + 1 >= end || !is_digit(p[1]))
            return false;
        p = q_digits(p + 1, end);
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        integer = false;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !is_digit(*p))
            return false;
        p = q_digits(p, end);
    }
    n = (size_t)(p - s);
    /* cJSON would take a following [0-9+-eE.] into the same number. */
    if (n > 62 || (p < end && (is_digit(*p) || *p == '+' || *p == '-' ||
                               *p == 'e' || *p == 'E' || *p == '.')))
        return false;
    if (integer && n - (*s == '-') <= 15) {
        for (i = *s == '-'; i < n; i++)
            m = m * 10 + (s[i] - '0');
        *v = *s == '-' ? -(double)m : (double)m;
    } else {
        memcpy(buf, s, n);
        buf[n] = '\0';
        for (i = 0; i < n; i++)
            if (buf[i] == '.')
                buf[i] = localeconv()->decimal_point[0];
        *v = strtod(buf, &stop);
        if (stop != buf + n)
            return false;
    }
    q->p = p;
    return true;
}

/* One scalar or object into the storage at dst, checked as the element
 * readers check it (the same ranges; null is not taken). */
static inline size_t item_size(const og_rt_field *f)
{
    switch (f->kind) {
    case OG_RT_INT32:
        return sizeof(int32_t);
    case OG_RT_INT64:
        return sizeof(int64_t);
    case OG_RT_FLOAT:
        return sizeof(double);
    case OG_RT_BOOL:
        return sizeof(bool);
    case OG_RT_OBJECT:
    case OG_RT_LIST:
        return f->type->size;
    case OG_RT_FILE:
        return sizeof(og_file_t);
    default:
        return sizeof(void *);   /* char *, cJSON * */
    }
}

size_t og_rt_item_size(const og_rt_field *f)
{
    return item_size(f);
}

static bool q_object(quick *q, const og_rt_type *type, void *obj);

static bool q_skip(quick *q);

/* A json value: checked by q_skip as the tree path would check it, then
 * its text parsed by cJSON alone, which gives the very tree the whole
 * text's parse would hold there. */
static bool q_json(quick *q, cJSON **dst)
{
    const unsigned char *start;

    q_space(q);
    start = q->p;
    if (!q_skip(q))
        return false;
    *dst = cJSON_ParseWithLength((const char *)start, (size_t)(q->p - start));
    return *dst != NULL;
}

static bool q_array(quick *q, const og_rt_field *f, void **items,
                    size_t *count);

static bool q_value(quick *q, const og_rt_field *f, void *dst)
{
    const og_rt_field *items;
    double v;

    switch (f->kind) {
    case OG_RT_STRING:
        return q_string(q, dst);
    case OG_RT_BOOL:
        if (q_peek(q) == 't' && q_literal(q, "true", 4))
            *(bool *)dst = true;
        else if (q_literal(q, "false", 5))
            *(bool *)dst = false;
        else
            return false;
        return true;
    case OG_RT_OBJECT:
        return q_object(q, f->type, dst);
    case OG_RT_JSON:
        return q_json(q, dst);
    case OG_RT_LIST:    /* an item of an array of arrays: its own items */
        items = &f->type->fields[0];
        return q_array(q, items, (void **)((unsigned char *)dst + items->offset),
                       (size_t *)((unsigned char *)dst + items->flag_offset));
    default:
        break;
    }
    if (!q_number(q, &v) || !isfinite(v))
        return false;
    if (f->kind == OG_RT_FLOAT) {
        *(double *)dst = v;
    } else if (f->kind == OG_RT_INT32) {
        if (!(v >= -2147483648.0 && v <= 2147483647.0 && (double)(int32_t)v == v))
            return false;
        *(int32_t *)dst = (int32_t)v;
    } else {
        if (!(v > -RT_EXACT_LIMIT_ && v < RT_EXACT_LIMIT_ && (double)(int64_t)v == v))
            return false;
        *(int64_t *)dst = (int64_t)v;
    }
    return true;
}

static bool q_open(quick *q, char c)
{
    return q_take(q, c) && ++q->depth <= OG_RT_MAX_DEPTH;
}

/* Makes room for element n of an array of capacity *cap (new room zeroed,
 * so that element readers start from a zeroed object). */
static bool q_grow(void **items, size_t n, size_t *cap, size_t size)
{
    unsigned char *buf;

    if (n < *cap)
        return true;
    if (*cap > SIZE_MAX / 2 / size)
        return false;
    if ((buf = realloc(*items, *cap * 2 * size)) == NULL)
        return false;
    memset(buf + *cap * size, 0, *cap * size);
    *items = buf;
    *cap *= 2;
    return true;
}

/* An array field: like the array reader, [] gives non-NULL empty storage. */
static bool q_array(quick *q, const og_rt_field *f, void **items,
                    size_t *count)
{
    size_t cap = 4, size = item_size(f);

    if (!q_open(q, '[') || (*items = calloc(cap, size)) == NULL)
        return false;
    if (q_take(q, ']'))
        return q->depth--, true;
    do {
        if (q_peek(q) == 'n' || !q_grow(items, *count, &cap, size))
            return false;
        /* counted first: a half-read element is cleared with the rest */
        if (!q_value(q, f, (unsigned char *)*items + (*count)++ * size))
            return false;
    } while (q_take(q, ','));
    if (!q_take(q, ']'))
        return false;
    q->depth--;
    return true;
}

/* A field's value; null leaves it unset, as field_lookup does. */
static bool q_field(quick *q, const og_rt_field *f, unsigned char *obj)
{
    void *dst = obj + f->offset, **ptr = dst;

    if (q_peek(q) == 'n')
        return q_literal(q, "null", 4);
    if (f->flags & OG_RT_ARRAY)
        return q_array(q, f, ptr, (size_t *)(obj + f->flag_offset));
    if (f->kind == OG_RT_OBJECT) {
        if ((*ptr = calloc(1, f->type->size)) == NULL)
            return false;
        return q_object(q, f->type, *ptr);
    }
    if (!q_value(q, f, dst))
        return false;
    if (f->kind != OG_RT_STRING && f->kind != OG_RT_JSON)
        *(bool *)(obj + f->flag_offset) = true;
    return true;
}

/* Any value, only checked: for members the struct does not know. */
static bool q_skip(quick *q)
{
    const unsigned char *body;
    size_t n;
    bool escaped;
    double v;

    switch (q_peek(q)) {
    case '"':
        return q_scan_string(q, &body, &n, &escaped);
    case 't':
        return q_literal(q, "true", 4);
    case 'f':
        return q_literal(q, "false", 5);
    case 'n':
        return q_literal(q, "null", 4);
    case '[':
        if (!q_open(q, '['))
            return false;
        if (!q_take(q, ']')) {
            do {
                if (!q_skip(q))
                    return false;
            } while (q_take(q, ','));
            if (!q_take(q, ']'))
                return false;
        }
        q->depth--;
        return true;
    case '{':
        return q_object(q, NULL, NULL);
    default:
        return q_number(q, &v);
    }
}

/* The field of `type` named by the n bytes at key, or NULL. Members mostly
 * come in field order, so the search starts after the last one found. */
static const og_rt_field *q_find(const og_rt_type *type,
                                         const unsigned char *key, size_t n,
                                         size_t *hint)
{
    const og_rt_field *f;
    size_t i, k;

    for (k = 0; k < type->field_count; k++) {
        i = (*hint + k) % type->field_count;
        f = &type->fields[i];
        if (f->key_len == n && memcmp(f->key, key, n) == 0 && f->kind != OG_RT_FILE) {
            *hint = i + 1;
            return f;
        }
    }
    return NULL;
}

/* An object into obj (zeroed), or only checked when type is NULL. A
 * member named twice gives up: the tree path reads the first one. */
static bool q_object(quick *q, const og_rt_type *type, void *obj)
{
    unsigned char seen[32] = {0};
    const og_rt_field *f;
    const unsigned char *key;
    size_t n, i, hint = 0;
    bool escaped;

    if (!q_open(q, '{'))
        return false;
    if (q_take(q, '}'))
        return q->depth--, true;
    do {
        if (q_peek(q) != '"' || !q_scan_string(q, &key, &n, &escaped) ||
            escaped || !q_take(q, ':'))
            return false;
        f = type != NULL ? q_find(type, key, n, &hint) : NULL;
        if (f == NULL) {
            if (!q_skip(q))
                return false;
            continue;
        }
        i = (size_t)(f - type->fields);
        if (i >= sizeof(seen) * 8 || (seen[i / 8] & (1u << (i % 8))) != 0)
            return false;
        seen[i / 8] |= (unsigned char)(1u << (i % 8));
        if (!q_field(q, f, obj))
            return false;
    } while (q_take(q, ','));
    if (!q_take(q, '}'))
        return false;
    q->depth--;
    return true;
}

bool og_rt_quick_parse(const char *text, size_t len,
                               const og_rt_type *type, void **out)
{
    quick q;
    void *obj;

    if (text == NULL || type == NULL || out == NULL ||
        (obj = calloc(1, type->size)) == NULL)
        return false;
    q.p = (const unsigned char *)text;
    q.end = q.p + len;
    q.depth = 0;
    if (!q_object(&q, type, obj) || q_peek(&q) != -1) {
        og_rt_free(type, obj);
        return false;
    }
    *out = obj;
    return true;
}

/* ---- JSON writing ------------------------------------------------------- */

/* Adds item (NULL when its creation failed) under key, or deletes it. */
static int add_member(cJSON *obj, const char *key, cJSON *item)
{
    if (item == NULL)
        return OG_E_NOMEM;
    if (!cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        return OG_E_NOMEM;
    }
    return 0;
}

static int add_element(cJSON *array, cJSON *item)
{
    if (item == NULL)
        return OG_E_NOMEM;
    if (!cJSON_AddItemToArray(array, item)) {
        cJSON_Delete(item);
        return OG_E_NOMEM;
    }
    return 0;
}

static cJSON *create_int64(int64_t v)
{
    char digits[24];

    if (v > -RT_PRINT_EXACT_LIMIT_ && v < RT_PRINT_EXACT_LIMIT_)
        return cJSON_CreateNumber((double)v);
    snprintf(digits, sizeof(digits), "%" PRId64, v);
    return cJSON_CreateRaw(digits);
}

/* cJSON prints a number with "%1.15g" when that reads back as (nearly) the
 * same double, so 99.99999999999999 would be sent as 100. A double that
 * 15 digits do not give back exactly goes into the tree as raw text, the
 * shortest that does; the rest stay numbers, which cJSON prints the same. */
static cJSON *create_double(double v)
{
    char num[32];

    snprintf(num, sizeof(num), "%1.15g", v);
    if (strtod(num, NULL) == v)
        return cJSON_CreateNumber(v);
    if (shortest_double(num, sizeof(num), v) < 0)
        return NULL;
    return cJSON_CreateRaw(num);
}

int og_rt_write_string(cJSON *obj, const char *key, const char *v)
{
    if (obj == NULL || key == NULL)
        return OG_E_ARG;
    if (v == NULL)
        return 0;
    return add_member(obj, key, cJSON_CreateString(v));
}

int og_rt_write_int32(cJSON *obj, const char *key, bool has, int32_t v)
{
    if (obj == NULL || key == NULL)
        return OG_E_ARG;
    if (!has)
        return 0;
    return add_member(obj, key, cJSON_CreateNumber((double)v));
}

int og_rt_write_int64(cJSON *obj, const char *key, bool has, int64_t v)
{
    if (obj == NULL || key == NULL)
        return OG_E_ARG;
    if (!has)
        return 0;
    return add_member(obj, key, create_int64(v));
}

int og_rt_write_float(cJSON *obj, const char *key, bool has, double v)
{
    if (obj == NULL || key == NULL)
        return OG_E_ARG;
    if (!has)
        return 0;
    /* cJSON would print NaN and infinities as null, silently. */
    if (!isfinite(v))
        return OG_E_RANGE;
    return add_member(obj, key, create_double(v));
}

int og_rt_write_bool(cJSON *obj, const char *key, bool has, bool v)
{
    if (obj == NULL || key == NULL)
        return OG_E_ARG;
    if (!has)
        return 0;
    return add_member(obj, key, cJSON_CreateBool(v));
}

int og_rt_write_json(cJSON *obj, const char *key, const cJSON *v)
{
    if (obj == NULL || key == NULL)
        return OG_E_ARG;
    if (v == NULL)
        return 0;
    return add_member(obj, key, json_copy(v));
}

int og_rt_elem_write_json(const void *elem, cJSON *array)
{
    const cJSON *v;

    if (elem == NULL || array == NULL)
        return OG_E_ARG;
    if ((v = *(const cJSON *const *)elem) == NULL)
        return OG_E_ARG;
    return add_element(array, json_copy(v));
}

/* A new JSON object filled by write, or NULL with *rc set. */
static cJSON *create_object(const void *in, og_rt_write_fn write,
                            int *rc)
{
    cJSON *o = cJSON_CreateObject();

    if (o == NULL) {
        *rc = OG_E_NOMEM;
        return NULL;
    }
    if ((*rc = write(in, o)) < 0) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int og_rt_write_object(cJSON *obj, const char *key, const void *in,
                               og_rt_write_fn write)
{
    cJSON *o;
    int rc = 0;

    if (obj == NULL || key == NULL || write == NULL)
        return OG_E_ARG;
    if (in == NULL)
        return 0;
    if ((o = create_object(in, write, &rc)) == NULL)
        return rc;
    return add_member(obj, key, o);
}

int og_rt_elem_write_string(const void *elem, cJSON *array)
{
    const char *s;

    if (elem == NULL || array == NULL)
        return OG_E_ARG;
    if ((s = *(const char *const *)elem) == NULL)
        return OG_E_ARG;
    return add_element(array, cJSON_CreateString(s));
}

int og_rt_elem_write_int32(const void *elem, cJSON *array)
{
    if (elem == NULL || array == NULL)
        return OG_E_ARG;
    return add_element(array, cJSON_CreateNumber(*(const int32_t *)elem));
}

int og_rt_elem_write_int64(const void *elem, cJSON *array)
{
    if (elem == NULL || array == NULL)
        return OG_E_ARG;
    return add_element(array, create_int64(*(const int64_t *)elem));
}

int og_rt_elem_write_float(const void *elem, cJSON *array)
{
    double v;

    if (elem == NULL || array == NULL)
        return OG_E_ARG;
    if (!isfinite(v = *(const double *)elem))
        return OG_E_RANGE;
    return add_element(array, create_double(v));
}

int og_rt_elem_write_bool(const void *elem, cJSON *array)
{
    if (elem == NULL || array == NULL)
        return OG_E_ARG;
    return add_element(array, cJSON_CreateBool(*(const bool *)elem));
}

static int write_elements(cJSON *array, const unsigned char *items,
                          size_t count, size_t elem_size,
                          og_rt_elem_write_fn write,
                          og_rt_write_fn object_write)
{
    const void *elem;
    cJSON *o;
    size_t i;
    int rc = 0;

    for (i = 0; i < count; i++) {
        elem = items + i * elem_size;
        if (write != NULL) {
            if ((rc = write(elem, array)) < 0)
                return rc;
            continue;
        }
        if ((o = create_object(elem, object_write, &rc)) == NULL)
            return rc;
        if ((rc = add_element(array, o)) < 0)
            return rc;
    }
    return 0;
}

int og_rt_write_array(cJSON *obj, const char *key, const void *items,
                              size_t count, size_t elem_size,
                              og_rt_elem_write_fn write,
                              og_rt_write_fn object_write)
{
    cJSON *array;
    int rc;

    if (obj == NULL || key == NULL || (write == NULL) == (object_write == NULL))
        return OG_E_ARG;
    if (items == NULL && count == 0)
        return 0;
    if (items == NULL || elem_size == 0)
        return OG_E_ARG;
    if ((array = cJSON_CreateArray()) == NULL)
        return OG_E_NOMEM;
    if ((rc = write_elements(array, items, count, elem_size, write,
                             object_write)) < 0) {
        cJSON_Delete(array);
        return rc;
    }
    return add_member(obj, key, array);
}

int og_rt_elem_write_list(cJSON *array, const void *items, size_t count,
                                  size_t elem_size, og_rt_elem_write_fn write,
                                  og_rt_write_fn object_write)
{
    cJSON *list;
    int rc;

    if (array == NULL || (write == NULL) == (object_write == NULL) ||
        (items == NULL && count > 0) || elem_size == 0)
        return OG_E_ARG;
    if ((list = cJSON_CreateArray()) == NULL)
        return OG_E_NOMEM;
    if ((rc = write_elements(list, items, count, elem_size, write, object_write)) < 0) {
        cJSON_Delete(list);
        return rc;
    }
    return add_element(array, list);
}

/* ---- JSON text printing ------------------------------------------------- */

/* Text grows in `local` first and moves to the heap only when it outgrows
 * it; the result is copied once into memory from cJSON_malloc, so that
 * cJSON_free releases it whatever hooks the application gave cJSON. */
struct og_rt_printer {
    char *buf;
    size_t len, cap;
    char local[2048];
};

static int printer_grow(og_rt_printer *p, size_t n)
{
    size_t cap = p->cap;
    char *buf;

    if (n > SIZE_MAX - p->len)
        return OG_E_NOMEM;
    while (cap - p->len < n)
        cap = cap <= SIZE_MAX / 2 ? cap * 2 : p->len + n;
    if (p->buf != p->local)
        buf = realloc(p->buf, cap);
    else if ((buf = malloc(cap)) != NULL)
        memcpy(buf, p->buf, p->len);
    if (buf == NULL)
        return OG_E_NOMEM;
    p->buf = buf;
    p->cap = cap;
    return 0;
}

/* Makes room for n more bytes. */
static int reserve(og_rt_printer *p, size_t n)
{
    return p->cap - p->len >= n ? 0 : printer_grow(p, n);
}

static int put_bytes(og_rt_printer *p, const char *s, size_t n)
{
    int rc;

    if ((rc = reserve(p, n)) < 0)
        return rc;
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    return 0;
}

static int put_char(og_rt_printer *p, char c)
{
    int rc;

    if ((rc = reserve(p, 1)) < 0)
        return rc;
    p->buf[p->len++] = c;
    return 0;
}

/* What cJSON's print_string_ptr does with each byte: 0 copy it, 1 escape
 * it (control characters, '"', '\\'), 2 the end of the string. Bytes from
 * 0x7F up, UTF-8 included, are copied as they are. */
static const unsigned char escape_class[256] = {
    2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

/* Writes the escape of byte c (escape_class 1): \" \\ \b \f \n \r \t, or
 * \u00xx in lower-case hex as cJSON's sprintf("u%04x") does. p has room. */
static void put_escape(og_rt_printer *p, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char *o = p->buf + p->len;
    char e = c == '"' ? '"' : c == '\\' ? '\\' : c == '\b' ? 'b' :
             c == '\f' ? 'f' : c == '\n' ? 'n' : c == '\r' ? 'r' :
             c == '\t' ? 't' : 0;

    *o++ = '\\';
    if (e != 0) {
        *o++ = e;
    } else {
        memcpy(o, "u00", 3);
        o[3] = hex[c >> 4];
        o[4] = hex[c & 0xF];
        o += 5;
    }
    p->len = (size_t)(o - p->buf);
}

/* A JSON string: runs of bytes that need no escape are copied whole. */
static int print_string(og_rt_printer *p, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t run;
    int rc;

    if ((rc = put_char(p, '"')) < 0)
        return rc;
    for (;;) {
        for (run = 0; escape_class[u[run]] == 0; run++)
            ;
        /* the run, then an escape (at most 6 bytes) or the closing quote */
        if ((rc = reserve(p, run + 6)) < 0)
            return rc;
        memcpy(p->buf + p->len, u, run);
        p->len += run;
        u += run;
        if (*u == '\0')
            break;
        put_escape(p, *u++);
    }
    p->buf[p->len++] = '"';
    return 0;
}

/* A comma unless this member is the first of its object, then "key":. */
static int print_key(og_rt_printer *p, const char *key)
{
    int rc;

    if (p->buf[p->len - 1] != '{' && (rc = put_char(p, ',')) < 0)
        return rc;
    if ((rc = print_string(p, key)) < 0)
        return rc;
    return put_char(p, ':');
}

static int print_integer(og_rt_printer *p, int64_t v)
{
    char digits[24], *end = digits + sizeof(digits), *d = end;
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        *--d = (char)('0' + m % 10);
        m /= 10;
    } while (m != 0);
    if (v < 0)
        *--d = '-';
    return put_bytes(p, d, (size_t)(end - d));
}

/* -0 as the cJSON we are linked with prints it ("-0" up to 1.7.15, "0"
 * in later versions, which print integral values with %d). */
static int print_negative_zero(og_rt_printer *p, double v)
{
    cJSON *item = cJSON_CreateNumber(v);
    char *text = item != NULL ? cJSON_PrintUnformatted(item) : NULL;
    int rc = text != NULL ? put_bytes(p, text, strlen(text))
                          : OG_E_NOMEM;

    cJSON_free(text);
    cJSON_Delete(item);
    return rc;
}

/* A finite double as the field writers put it in the tree and cJSON then
 * prints it: integral values below 10^15 as their digits, the rest as the
 * shortest of "%.15g".."%.17g" that reads back exactly (see create_double). */
static int print_double(og_rt_printer *p, double v)
{
    char num[32];
    int n;

    if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v) {
        if (v == 0 && signbit(v))
            return print_negative_zero(p, v);
        return print_integer(p, (int64_t)v);
    }
    if ((n = shortest_double(num, sizeof(num), v)) < 0)
        return OG_E_RANGE;
    return put_bytes(p, num, (size_t)n);
}

static int print_bool(og_rt_printer *p, bool v)
{
    return v ? put_bytes(p, "true", 4) : put_bytes(p, "false", 5);
}

/* {members}: print writes the members. */
static int print_members(og_rt_printer *p, const void *in,
                         og_rt_print_fn print)
{
    int rc;

    if ((rc = put_char(p, '{')) < 0 || (rc = print(in, p)) < 0)
        return rc;
    return put_char(p, '}');
}

char *og_rt_print(const void *in, og_rt_print_fn print)
{
    og_rt_printer p;
    char *text = NULL;

    if (in == NULL || print == NULL)
        return NULL;
    p.buf = p.local;
    p.len = 0;
    p.cap = sizeof(p.local);
    if (print_members(&p, in, print) == 0 &&
        (text = cJSON_malloc(p.len + 1)) != NULL) {
        memcpy(text, p.buf, p.len);
        text[p.len] = '\0';
    }
    if (p.buf != p.local)
        free(p.buf);
    return text;
}

int og_rt_print_string(og_rt_printer *p, const char *key,
                               const char *v)
{
    int rc;

    if (p == NULL || key == NULL)
        return OG_E_ARG;
    if (v == NULL)
        return 0;
    if ((rc = print_key(p, key)) < 0)
        return rc;
    return print_string(p, v);
}

int og_rt_print_int32(og_rt_printer *p, const char *key,
                              bool has, int32_t v)
{
    return og_rt_print_int64(p, key, has, v);
}

int og_rt_print_int64(og_rt_printer *p, const char *key,
                              bool has, int64_t v)
{
    int rc;

    if (p == NULL || key == NULL)
        return OG_E_ARG;
    if (!has)
        return 0;
    if ((rc = print_key(p, key)) < 0)
        return rc;
    return print_integer(p, v);
}

int og_rt_print_float(og_rt_printer *p, const char *key,
                              bool has, double v)
{
    int rc;

    if (p == NULL || key == NULL)
        return OG_E_ARG;
    if (!has)
        return 0;
    if (!isfinite(v))
        return OG_E_RANGE;
    if ((rc = print_key(p, key)) < 0)
        return rc;
    return print_double(p, v);
}

int og_rt_print_bool(og_rt_printer *p, const char *key,
                             bool has, bool v)
{
    int rc;

    if (p == NULL || key == NULL)
        return OG_E_ARG;
    if (!has)
        return 0;
    if ((rc = print_key(p, key)) < 0)
        return rc;
    return print_bool(p, v);
}

int og_rt_print_object(og_rt_printer *p, const char *key,
                               const void *in, og_rt_print_fn print)
{
    int rc;

    if (p == NULL || key == NULL || print == NULL)
        return OG_E_ARG;
    if (in == NULL)
        return 0;
    if ((rc = print_key(p, key)) < 0)
        return rc;
    return print_members(p, in, print);
}

/* The json value as cJSON prints it, so that the text equals the tree's. */
static int print_json(og_rt_printer *p, const cJSON *v)
{
    char *text = cJSON_PrintUnformatted(v);
    int rc = text != NULL ? put_bytes(p, text, strlen(text)) : OG_E_NOMEM;

    cJSON_free(text);
    return rc;
}

int og_rt_print_json(og_rt_printer *p, const char *key, const cJSON *v)
{
    int rc;

    if (p == NULL || key == NULL)
        return OG_E_ARG;
    if (v == NULL)
        return 0;
    if ((rc = print_key(p, key)) < 0)
        return rc;
    return print_json(p, v);
}

int og_rt_elem_print_json(const void *elem, og_rt_printer *p)
{
    const cJSON *v;

    if (elem == NULL || p == NULL)
        return OG_E_ARG;
    if ((v = *(const cJSON *const *)elem) == NULL)
        return OG_E_ARG;
    return print_json(p, v);
}

int og_rt_elem_print_string(const void *elem, og_rt_printer *p)
{
    const char *s;

    if (elem == NULL || p == NULL)
        return OG_E_ARG;
    if ((s = *(const char *const *)elem) == NULL)
        return OG_E_ARG;
    return print_string(p, s);
}

int og_rt_elem_print_int32(const void *elem, og_rt_printer *p)
{
    if (elem == NULL || p == NULL)
        return OG_E_ARG;
    return print_integer(p, *(const int32_t *)elem);
}

int og_rt_elem_print_int64(const void *elem, og_rt_printer *p)
{
    if (elem == NULL || p == NULL)
        return OG_E_ARG;
    return print_integer(p, *(const int64_t *)elem);
}

int og_rt_elem_print_float(const void *elem, og_rt_printer *p)
{
    double v;

    if (elem == NULL || p == NULL)
        return OG_E_ARG;
    if (!isfinite(v = *(const double *)elem))
        return OG_E_RANGE;
    return print_double(p, v);
}

int og_rt_elem_print_bool(const void *elem, og_rt_printer *p)
{
    if (elem == NULL || p == NULL)
        return OG_E_ARG;
    return print_bool(p, *(const bool *)elem);
}

static int print_elements(og_rt_printer *p, const unsigned char *items,
                          size_t count, size_t elem_size,
                          og_rt_elem_print_fn print,
                          og_rt_print_fn object_print)
{
    const void *elem;
    size_t i;
    int rc;

    for (i = 0; i < count; i++) {
        elem = items + i * elem_size;
        if (i > 0 && (rc = put_char(p, ',')) < 0)
            return rc;
        rc = print != NULL ? print(elem, p) : print_members(p, elem, object_print);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int og_rt_print_array(og_rt_printer *p, const char *key,
                              const void *items, size_t count, size_t elem_size,
                              og_rt_elem_print_fn print,
                              og_rt_print_fn object_print)
{
    int rc;

    if (p == NULL || key == NULL || (print == NULL) == (object_print == NULL))
        return OG_E_ARG;
    if (items == NULL && count == 0)
        return 0;
    if (items == NULL || elem_size == 0)
        return OG_E_ARG;
    if ((rc = print_key(p, key)) < 0 || (rc = put_char(p, '[')) < 0 ||
        (rc = print_elements(p, items, count, elem_size, print,
                             object_print)) < 0)
        return rc;
    return put_char(p, ']');
}

int og_rt_elem_print_list(og_rt_printer *p, const void *items, size_t count,
                                  size_t elem_size, og_rt_elem_print_fn print,
                                  og_rt_print_fn object_print)
{
    int rc;

    if (p == NULL || (print == NULL) == (object_print == NULL) ||
        (items == NULL && count > 0) || elem_size == 0)
        return OG_E_ARG;
    if ((rc = put_char(p, '[')) < 0 ||
        (rc = print_elements(p, items, count, elem_size, print, object_print)) < 0)
        return rc;
    return put_char(p, ']');
}

/* ---- validation --------------------------------------------------------- */

void og_rt_checker_init(og_rt_checker *c,
                                og_violations_t *out)
{
    if (c == NULL)
        return;
    c->path[0] = '\0';
    c->path_len = 0;
    c->frame_count = 0;
    c->out = out;
}

static char *dup_string(const char *s)
{
    size_t n = strlen(s);
    char *copy = malloc(n + 1);

    if (copy != NULL)
        memcpy(copy, s, n + 1);
    return copy;
}

static char *vformat(const char *fmt, va_list ap) RT_PRINTF_(1, 0);

static char *vformat(const char *fmt, va_list ap)
{
    va_list again;
    char *s;
    int n;

    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
        return NULL;
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* Makes room for one more item, doubling; false when out of memory. */
static bool violations_grow(og_violations_t *v)
{
    og_violation_t *items;
    size_t cap;

    if (v->count < v->cap)
        return true;
    cap = v->cap > 0 ? v->cap * 2 : 8;
    if (cap < v->cap || cap > SIZE_MAX / sizeof(*items))
        return false;
    if ((items = realloc(v->items, cap * sizeof(*items))) == NULL)
        return false;
    v->items = items;
    v->cap = cap;
    return true;
}

static void violation_vadd(og_rt_checker *c, const char *field,
                           const char *fmt, va_list ap) RT_PRINTF_(3, 0);

static void violation_vadd(og_rt_checker *c, const char *field,
                           const char *fmt, va_list ap)
{
    og_violations_t *v = c->out;
    char *path = NULL, *message = NULL, where[sizeof(c->path)];
    size_t len;

    /* Once an allocation failed the list is incomplete anyway; stop. */
    if (v == NULL || v->oom)
        return;
    len = format_path(c->path, c->path_len, c->frames, c->frame_count, where,
                      sizeof(where));
    if (field != NULL)
        path_push(where, sizeof(where), &len, field);
    path = dup_string(where);
    message = vformat(fmt, ap);
    if (path == NULL || message == NULL || !violations_grow(v)) {
        free(path);
        free(message);
        v->oom = true;
        return;
    }
    v->items[v->count].path = path;
    v->items[v->count].message = message;
    v->count++;
}

void og_rt_violation(og_rt_checker *c, const char *field,
                             const char *fmt, ...)
{
    va_list ap;

    if (c == NULL || fmt == NULL)
        return;
    va_start(ap, fmt);
    violation_vadd(c, field, fmt, ap);
    va_end(ap);
}

static const char *plural(long n)
{
    return n == 1 ? "" : "s";
}

static bool is_digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int parse_digits(const char *s, size_t n)
{
    int v = 0;
    size_t i;

    for (i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

bool og_rt_is_date(const char *s)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31 };
    int year, month, day, last;

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        !is_digits(s, 4) || !is_digits(s + 5, 2) || !is_digits(s + 8, 2))
        return false;
    year = parse_digits(s, 4);
    month = parse_digits(s + 5, 2);
    day = parse_digits(s + 8, 2);
    if (month < 1 || month > 12)
        return false;
    last = days[month - 1];
    if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
        last = 29;
    return day >= 1 && day <= last;
}

/* "a, b, c" for enum messages; NULL when out of memory. */
static char *join_strings(const char *const *list, size_t n)
{
    size_t i, len = 1;
    char *s, *p;

    for (i = 0; i < n; i++)
        len += strlen(list[i]) + 2;
    if ((s = p = malloc(len)) == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        size_t k = strlen(list[i]);

        if (i > 0) {
            memcpy(p, ", ", 2);
            p += 2;
        }
        memcpy(p, list[i], k);
        p += k;
    }
    *p = '\0';
    return s;
}

static char *join_int64(const int64_t *list, size_t n)
{
    size_t i, len = 1;
    char *s, *p;

    /* 20 digits and a sign, plus ", ", bound every item. */
    if (n > (SIZE_MAX - 1) / 23)
        return NULL;
    len += n * 23;
    if ((s = p = malloc(len)) == NULL)
        return NULL;
    *p = '\0';
    for (i = 0; i < n; i++)
        p += snprintf(p, len - (size_t)(p - s), "%s%" PRId64,
                      i > 0 ? ", " : "", list[i]);
    return s;
}

static void oom(const og_rt_checker *c)
{
    if (c->out != NULL)
        c->out->oom = true;
}

static void string_enum_violation(og_rt_checker *c, const char *field,
                                  const og_rt_string_rule *rule)
{
    char *list = join_strings(rule->allowed, rule->allowed_count);

    if (list == NULL) {
        oom(c);
        return;
    }
    og_rt_violation(c, field, "must be one of: %s", list);
    free(list);
}

static bool string_allowed(const char *v, const og_rt_string_rule *rule)
{
    size_t i;

    for (i = 0; i < rule->allowed_count; i++)
        if (strcmp(v, rule->allowed[i]) == 0)
            return true;
    return false;
}

int og_rt_check_segment(og_violations_t *v, size_t from,
                               const char *field, const char *value)
{
    og_rt_checker c;
    char path[256];
    size_t i;

    if (v == NULL || field == NULL)
        return OG_E_ARG;
    if (value == NULL || (*value && strcmp(value, ".") && strcmp(value, "..")))
        return 0;
    snprintf(path, sizeof(path), "/%s", field);
    for (i = from; i < v->count; i++)
        if (strcmp(v->items[i].path, path) == 0)
            return 0;
    og_rt_checker_init(&c, v);
    if (*value)
        og_rt_violation(&c, field, "must not be \"%s\" (a path segment)", value);
    else
        og_rt_violation(&c, field, "must not be empty (a path segment)");
    return v->oom ? OG_E_NOMEM : 1;
}

void og_rt_check_string(og_rt_checker *c, const char *field,
                                const char *v,
                                const og_rt_string_rule *rule)
{
    long len;

    if (c == NULL)
        return;
    if (v == NULL) {
        if (rule != NULL && rule->required)
            og_rt_violation(c, field, "is required");
        return;
    }
    if ((len = og_rt_utf8_length(v)) < 0) {
        og_rt_violation(c, field, "is not valid UTF-8");
        return;
    }
    if (rule == NULL)
        return;
    if (rule->non_empty && len == 0)
        og_rt_violation(c, field, "must not be empty");
    else if (rule->min_length >= 0 && len < rule->min_length)
        og_rt_violation(c, field,
                                "must be at least %ld character%s (has %ld)",
                                rule->min_length, plural(rule->min_length),
                                len);
    else if (rule->max_length >= 0 && len > rule->max_length)
        og_rt_violation(c, field,
                                "must be at most %ld character%s (has %ld)",
                                rule->max_length, plural(rule->max_length),
                                len);
    else if (rule->is_date && !og_rt_is_date(v))
        og_rt_violation(c, field,
                                "must be a date YYYY-MM-DD that exists");
    else if (rule->allowed != NULL && rule->allowed_count > 0 &&
             !string_allowed(v, rule))
        string_enum_violation(c, field, rule);
}

/* The messages below end with the value as given, "(is 99)", as the
 * length messages end with "(has 101)". */
static void number_enum_violation(og_rt_checker *c, const char *field,
                                  const og_rt_number_rule *rule,
                                  const char *value)
{
    char *list = join_int64(rule->allowed, rule->allowed_count);

    if (list == NULL) {
        oom(c);
        return;
    }
    og_rt_violation(c, field, "must be one of: %s (is %s)", list, value);
    free(list);
}

/* The range message of a rule: between, at least or at most. */
static void range_violation(og_rt_checker *c, const char *field,
                            const og_rt_number_rule *rule,
                            const char *value)
{
    char lo[32], hi[32];

    format_double(lo, sizeof(lo), rule->min);
    format_double(hi, sizeof(hi), rule->max);
    if (rule->has_min && rule->has_max)
        og_rt_violation(c, field, "must be between %s and %s (is %s)", lo, hi, value);
    else if (rule->has_min)
        og_rt_violation(c, field, "must be at least %s (is %s)", lo, value);
    else
        og_rt_violation(c, field, "must be at most %s (is %s)", hi, value);
}

/* Handles the absent case shared by the number checks; true if v is to
 * be checked further. */
static bool number_present(og_rt_checker *c, const char *field,
                           bool has, const og_rt_number_rule *rule)
{
    if (!has && rule != NULL && rule->required)
        og_rt_violation(c, field, "is required");
    return has && rule != NULL;
}

/* Decimal places of v's shortest exact text: 37.55 has 2, although the
 * double nearest to it is 37.549999999999997; 1e-05 has 5. */
static int decimal_places(double v)
{
    char buf[40];
    const char *dot, *e;
    int places = 0, exp = 0;

    if (shortest_double(buf, sizeof(buf), v) < 0)
        return 0;
    e = strchr(buf, 'e');
    if (e != NULL)
        exp = atoi(e + 1);
    dot = strchr(buf, '.');
    if (dot != NULL)
        places = (int)((e != NULL ? (size_t)(e - dot) : strlen(dot)) - 1);
    return places - exp > 0 ? places - exp : 0;
}

void og_rt_check_number(og_rt_checker *c, const char *field,
                                bool has, double v,
                                const og_rt_number_rule *rule)
{
    int places;
    bool found = false;
    char text[32];
    size_t i;

    if (c == NULL)
        return;
    if (has && !isfinite(v)) {
        og_rt_violation(c, field, "must be a finite number");
        return;
    }
    if (!number_present(c, field, has, rule))
        return;
    if (rule->allowed != NULL && rule->allowed_count > 0) {
        for (i = 0; i < rule->allowed_count && !found; i++)
            found = v == (double)rule->allowed[i];
        if (!found) {
            format_double(text, sizeof(text), v);
            number_enum_violation(c, field, rule, text);
            return;
        }
    }
    if ((rule->has_min && v < rule->min) || (rule->has_max && v > rule->max)) {
        format_double(text, sizeof(text), v);
        range_violation(c, field, rule, text);
    } else if (rule->has_decimals && (places = decimal_places(v)) > rule->decimals) {
        format_double(text, sizeof(text), v);
        og_rt_violation(c, field,
                                "must have at most %d decimal place%s (%s has %d)",
                                rule->decimals, plural(rule->decimals), text, places);
    }
}

/* v < min, exactly: min is moved to the nearest int64 at or above it
 * rather than v to a double, which would round beyond 2^53. */
static bool int64_below(int64_t v, double min)
{
    int64_t t;

    if (min != min || min <= -9223372036854775808.0)
        return false;
    if (min >= 9223372036854775808.0)
        return true;
    t = (int64_t)min;
    if ((double)t < min)
        t++;
    return v < t;
}

/* v > max, exactly (see int64_below). */
static bool int64_above(int64_t v, double max)
{
    int64_t t;

    if (max != max || max >= 9223372036854775808.0)
        return false;
    if (max < -9223372036854775808.0)
        return true;
    t = (int64_t)max;
    if ((double)t > max)
        t--;
    return v > t;
}

void og_rt_check_int64(og_rt_checker *c, const char *field,
                               bool has, int64_t v,
                               const og_rt_number_rule *rule)
{
    bool found = false;
    char text[24];
    size_t i;

    if (c == NULL || !number_present(c, field, has, rule))
        return;
    if (rule->allowed != NULL && rule->allowed_count > 0) {
        for (i = 0; i < rule->allowed_count && !found; i++)
            found = v == rule->allowed[i];
        if (!found) {
            snprintf(text, sizeof(text), "%" PRId64, v);
            number_enum_violation(c, field, rule, text);
            return;
        }
    }
    if ((rule->has_min && int64_below(v, rule->min)) ||
        (rule->has_max && int64_above(v, rule->max))) {
        snprintf(text, sizeof(text), "%" PRId64, v);
        range_violation(c, field, rule, text);
    }
}

void og_rt_check_present(og_rt_checker *c, const char *field,
                                 bool present, const char *why)
{
    if (c == NULL || present)
        return;
    og_rt_violation(c, field, "%s", why != NULL ? why : "is required");
}

bool og_file_is_set(const og_file_t *f)
{
    return f != NULL && (f->path != NULL || f->data != NULL);
}

/* A filename or content type goes into a part header line. */
static bool is_header_safe(const char *s)
{
    for (; s != NULL && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '"')
            return false;
    return true;
}

void og_rt_check_file(og_rt_checker *c, const char *field,
                              const og_file_t *f, bool required)
{
    if (c == NULL)
        return;
    if (!og_file_is_set(f)) {
        if (required)
            og_rt_violation(c, field, "is required (set path or data)");
        return;
    }
    if (f->path != NULL && f->data != NULL)
        og_rt_violation(c, field, "must set path or data, not both");
    else if (f->path != NULL && f->path[0] == '\0')
        og_rt_violation(c, field, "path is empty");
    if (!is_header_safe(f->filename) || !is_header_safe(f->content_type))
        og_rt_violation(c, field, "filename and content_type must not "
                                "contain control characters or '\"'");
}

void og_rt_check_object(og_rt_checker *c, const char *field,
                                const void *v, bool required,
                                og_rt_check_fn check)
{
    size_t saved;

    if (c == NULL)
        return;
    if (v == NULL) {
        if (required)
            og_rt_violation(c, field, "is required");
        return;
    }
    if (check == NULL)
        return;
    saved = c->frame_count;
    if (field != NULL)
        frame_push(c->frames, &c->frame_count, field, 0);
    check(v, c);
    c->frame_count = saved;
}

/* The item count rules; false if the array is absent. */
static bool check_count(og_rt_checker *c, const char *field,
                        const void *items, size_t count,
                        const og_rt_array_rule *rule)
{
    long n = count > (size_t)LONG_MAX ? LONG_MAX : (long)count;

    if (items == NULL && count == 0) {
        if (rule != NULL && rule->required)
            og_rt_violation(c, field, "is required");
        return false;
    }
    if (items == NULL) {
        og_rt_violation(c, field, "has %zu items but no storage",
                                count);
        return false;
    }
    if (rule == NULL)
        return true;
    if (rule->min_items >= 0 && n < rule->min_items)
        og_rt_violation(c, field,
                                "must have at least %ld item%s (has %zu)",
                                rule->min_items, plural(rule->min_items),
                                count);
    else if (rule->max_items >= 0 && n > rule->max_items)
        og_rt_violation(c, field,
                                "must have at most %ld item%s (has %zu)",
                                rule->max_items, plural(rule->max_items),
                                count);
    return true;
}

static void check_item(og_rt_checker *c, const void *item,
                       const og_rt_string_rule *string_rule,
                       og_rt_check_fn check)
{
    const char *s;

    if (string_rule != NULL) {
        /* A NULL in an array of strings cannot be written (no "unset"
         * inside an array), so it is refused whatever the rule. */
        if ((s = *(const char *const *)item) == NULL)
            og_rt_violation(c, NULL, "must not be null");
        else
            og_rt_check_string(c, NULL, s, string_rule);
    }
    if (check != NULL)
        check(item, c);
}

void og_rt_check_array(og_rt_checker *c, const char *field,
                               const void *items, size_t count,
                               size_t elem_size,
                               const og_rt_array_rule *rule,
                               const og_rt_string_rule *string_rule,
                               og_rt_check_fn check)
{
    const unsigned char *p = items;
    size_t saved, inner, i;

    if (c == NULL || !check_count(c, field, items, count, rule))
        return;
    if (string_rule == NULL && check == NULL)
        return;
    if (elem_size == 0)
        return;
    saved = c->frame_count;
    if (field != NULL)
        frame_push(c->frames, &c->frame_count, field, 0);
    for (i = 0; i < count; i++) {
        inner = frame_push(c->frames, &c->frame_count, NULL, i);
        check_item(c, p + i * elem_size, string_rule, check);
        c->frame_count = inner;
    }
    c->frame_count = saved;
}

/* ---- the descriptor codec ------------------------------------------------ */

/* Every generated struct is described by an og_rt_type (size and fields);
 * the functions below read, write, print, check and clear any struct by
 * walking its fields, so generated code is tables, not code. A field's
 * value sits at `offset`; `flag_offset` is its has_ flag (scalars) or its
 * count (arrays). A list type (an item of an array of arrays) has one
 * field, the items of the {items, count} struct. */

static bool field_is_array(const og_rt_field *f)
{
    return (f->flags & OG_RT_ARRAY) != 0;
}

static bool field_is_required(const og_rt_field *f)
{
    return (f->flags & OG_RT_REQUIRED) != 0;
}

/* Frees what one value of f's kind owns (a string, a json value, an
 * object's members and the object, a list's items), not the slot itself. */
static void clear_value(const og_rt_field *f, void *slot, bool inline_object)
{
    switch (f->kind) {
    case OG_RT_STRING:
        free(*(char **)slot);
        *(char **)slot = NULL;
        break;
    case OG_RT_JSON:
        cJSON_Delete(*(cJSON **)slot);
        *(cJSON **)slot = NULL;
        break;
    case OG_RT_OBJECT:
        if (inline_object) {
            og_rt_clear(f->type, slot);
        } else {
            og_rt_free(f->type, *(void **)slot);
            *(void **)slot = NULL;
        }
        break;
    case OG_RT_LIST:
        og_rt_clear(f->type, slot);
        break;
    default:
        break;
    }
}

static bool kind_owns_memory(og_rt_kind kind)
{
    return kind == OG_RT_STRING || kind == OG_RT_JSON || kind == OG_RT_OBJECT ||
           kind == OG_RT_LIST;
}

static void clear_array(const og_rt_field *f, void *items, size_t count)
{
    size_t i, size;

    if (items != NULL && kind_owns_memory((og_rt_kind)f->kind))
        for (i = 0, size = item_size(f); i < count; i++)
            clear_value(f, OG_RT_AT(items, i * size), true);
    free(items);
}

/* Frees what the members own (the struct itself is left as it is). */
static void free_members(const og_rt_type *type, void *obj)
{
    const og_rt_field *f;
    size_t i;

    for (i = 0; i < type->field_count; i++) {
        f = &type->fields[i];
        if (field_is_array(f))
            clear_array(f, *(void **)OG_RT_AT(obj, f->offset),
                        *(size_t *)OG_RT_AT(obj, f->flag_offset));
        else if (f->kind == OG_RT_STRING)   /* most fields */
            free(*(char **)OG_RT_AT(obj, f->offset));
        else if (kind_owns_memory((og_rt_kind)f->kind))
            clear_value(f, OG_RT_AT(obj, f->offset), false);
    }
}

void og_rt_clear(const og_rt_type *type, void *obj)
{
    if (type == NULL || obj == NULL)
        return;
    free_members(type, obj);
    memset(obj, 0, type->size);
}

void og_rt_free(const og_rt_type *type, void *obj)
{
    if (type == NULL || obj == NULL)
        return;
    free_members(type, obj);   /* no need to zero what is freed next */
    free(obj);
}

/* ---- reading a cJSON tree ---- */

static int tree_members(const og_rt_type *type, void *obj, const cJSON *json,
                        og_rt_reader *r);
static int tree_items(const og_rt_field *f, void **items, size_t *count,
                      const cJSON *array, og_rt_reader *r);

/* One value of f's kind (a field's or an array item's) from json, at the
 * reader's current path. Objects here are inline (array items); a single
 * object field is read by tree_field. */
static int tree_value(const og_rt_field *f, void *dst, const cJSON *json,
                      og_rt_reader *r)
{
    const og_rt_field *items;

    switch (f->kind) {
    case OG_RT_STRING:
        return og_rt_elem_string(dst, json, r);
    case OG_RT_INT32:
        return og_rt_elem_int32(dst, json, r);
    case OG_RT_INT64:
        return og_rt_elem_int64(dst, json, r);
    case OG_RT_FLOAT:
        return og_rt_elem_float(dst, json, r);
    case OG_RT_BOOL:
        return og_rt_elem_bool(dst, json, r);
    case OG_RT_JSON:
        return og_rt_elem_json(dst, json, r);
    case OG_RT_OBJECT:
        return tree_members(f->type, dst, json, r);
    case OG_RT_LIST:
        /* the caller entered this array already: only its items count */
        if (!cJSON_IsArray(json))
            return type_error(r, "array", json);
        items = &f->type->fields[0];
        return tree_items(items, (void **)OG_RT_AT(dst, items->offset),
                          (size_t *)OG_RT_AT(dst, items->flag_offset), json, r);
    default:
        return rt_fail(r, OG_E_ARG, "invalid argument");
    }
}

/* The items of a JSON array into new storage (at least one slot, so that
 * [] reads as a non-NULL empty array and is written back as []). Each item
 * is read at ".../i"; an item that is a container counts one more level. */
static int tree_items(const og_rt_field *f, void **items, size_t *count,
                      const cJSON *array, og_rt_reader *r)
{
    const cJSON *it;
    unsigned char *buf;
    size_t n = 0, i = 0, saved;
    bool nested;
    int rc = 0;

    for (it = array->child; it != NULL; it = it->next)
        n++;
    if (n > SIZE_MAX / item_size(f))
        return rt_fail(r, OG_E_NOMEM, "out of memory");
    if ((buf = calloc(n > 0 ? n : 1, item_size(f))) == NULL)
        return rt_fail(r, OG_E_NOMEM, "out of memory");
    for (it = array->child; it != NULL && rc == 0; it = it->next, i++) {
        nested = cJSON_IsObject(it) || cJSON_IsArray(it);
        saved = reader_push_index(r, i);
        if (!nested || (rc = depth_enter(r)) == 0) {
            rc = tree_value(f, buf + i * item_size(f), it, r);
            if (nested)
                depth_leave(r);
        }
        reader_pop(r, saved);
    }
    if (rc < 0) {
        clear_array(f, buf, i);   /* the failed item (i - 1) too: items stay clearable */
        return rc;
    }
    *items = buf;
    *count = n;
    return 0;
}

/* obj[f->key] into the struct; missing or null leaves the field unset. */
static int tree_field(const og_rt_field *f, void *obj, const cJSON *json,
                      og_rt_reader *r)
{
    void *dst = OG_RT_AT(obj, f->offset);
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(json, f->key);
    bool nested = cJSON_IsObject(item) || cJSON_IsArray(item);
    size_t saved;
    void *child;
    int rc = 0;

    if (item == NULL || cJSON_IsNull(item) || f->kind == OG_RT_FILE)
        return 0;
    saved = reader_push(r, f->key);
    if (field_is_array(f) && !cJSON_IsArray(item))
        rc = type_error(r, "array", item);
    else if (!field_is_array(f) && f->kind == OG_RT_OBJECT && !cJSON_IsObject(item))
        rc = type_error(r, "object", item);
    else if (nested && (rc = depth_enter(r)) == 0) {
        if (field_is_array(f)) {
            rc = tree_items(f, (void **)dst, (size_t *)OG_RT_AT(obj, f->flag_offset), item, r);
        } else if (f->kind == OG_RT_OBJECT) {
            if ((child = calloc(1, f->type->size)) == NULL)
                rc = rt_fail(r, OG_E_NOMEM, "out of memory");
            else if ((rc = tree_members(f->type, child, item, r)) < 0)
                og_rt_free(f->type, child);
            else
                *(void **)dst = child;
        } else {
            rc = tree_value(f, dst, item, r);
        }
        depth_leave(r);
    } else if (!nested) {
        rc = tree_value(f, dst, item, r);
    }
    if (rc == 0 && !field_is_array(f) && f->kind != OG_RT_STRING &&
        f->kind != OG_RT_JSON && f->kind != OG_RT_OBJECT)
        *(bool *)OG_RT_AT(obj, f->flag_offset) = true;
    reader_pop(r, saved);
    return rc;
}

static int tree_members(const og_rt_type *type, void *obj, const cJSON *json,
                        og_rt_reader *r)
{
    size_t i;
    int rc = og_rt_expect_object(json, r);

    for (i = 0; i < type->field_count && rc == 0; i++)
        rc = tree_field(&type->fields[i], obj, json, r);
    return rc;
}

int og_rt_read(const og_rt_type *type, void *obj, const cJSON *json,
               og_rt_reader *r)
{
    if (type == NULL || obj == NULL || r == NULL)
        return rt_fail(r, OG_E_ARG, "invalid argument");
    return tree_members(type, obj, json, r);
}

/* ---- writing a cJSON tree ---- */

static cJSON *tree_object(const og_rt_type *type, const void *obj, int *rc);

/* One value of f's kind as a new cJSON item, or NULL with *rc set. */
static cJSON *tree_new_value(const og_rt_field *f, const void *src, int *rc)
{
    const og_rt_field *items;
    cJSON *v = NULL, *list;
    size_t i, n;
    double d;

    *rc = OG_E_NOMEM;
    switch (f->kind) {
    case OG_RT_STRING:
        if (*(const char *const *)src == NULL)
            return *rc = OG_E_ARG, NULL;
        return cJSON_CreateString(*(const char *const *)src);
    case OG_RT_INT32:
        return cJSON_CreateNumber(*(const int32_t *)src);
    case OG_RT_INT64:
        return create_int64(*(const int64_t *)src);
    case OG_RT_FLOAT:
        if (!isfinite(d = *(const double *)src))
            return *rc = OG_E_RANGE, NULL;
        return create_double(d);
    case OG_RT_BOOL:
        return cJSON_CreateBool(*(const bool *)src);
    case OG_RT_JSON:
        if (*(const cJSON *const *)src == NULL)
            return *rc = OG_E_ARG, NULL;
        return json_copy(*(const cJSON *const *)src);
    case OG_RT_OBJECT:
        return tree_object(f->type, src, rc);
    case OG_RT_LIST:
        items = &f->type->fields[0];
        n = *(const size_t *)OG_RT_CAT(src, items->flag_offset);
        src = *(const void *const *)OG_RT_CAT(src, items->offset);
        if (src == NULL && n > 0)
            return *rc = OG_E_ARG, NULL;
        if ((list = cJSON_CreateArray()) == NULL)
            return NULL;
        for (i = 0; i < n; i++) {
            if ((v = tree_new_value(items, OG_RT_CAT(src, i * item_size(items)), rc)) == NULL ||
                (*rc = add_element(list, v)) < 0) {
                cJSON_Delete(list);
                return NULL;
            }
        }
        return list;
    default:
        return *rc = OG_E_ARG, NULL;
    }
}

/* The field as a member of json, when it is set. */
static int tree_put_field(const og_rt_field *f, const void *obj, cJSON *json)
{
    const void *src = OG_RT_CAT(obj, f->offset);
    const void *items;
    size_t i, count;
    cJSON *v, *array;
    int rc = 0;

    if (f->kind == OG_RT_FILE)
        return 0;
    if (field_is_array(f)) {
        items = *(const void *const *)src;
        count = *(const size_t *)OG_RT_CAT(obj, f->flag_offset);
        if (items == NULL && count == 0)
            return 0;
        if (items == NULL)
            return OG_E_ARG;
        if ((array = cJSON_CreateArray()) == NULL)
            return OG_E_NOMEM;
        for (i = 0; i < count; i++) {
            if ((v = tree_new_value(f, OG_RT_CAT(items, i * item_size(f)), &rc)) == NULL ||
                (rc = add_element(array, v)) < 0) {
                cJSON_Delete(array);
                return rc;
            }
        }
        return add_member(json, f->key, array);
    }
    switch (f->kind) {
    case OG_RT_STRING:
    case OG_RT_JSON:
        if (*(const void *const *)src == NULL)
            return 0;
        break;
    case OG_RT_OBJECT:
        if ((src = *(const void *const *)src) == NULL)
            return 0;
        break;
    default:
        if (!*(const bool *)OG_RT_CAT(obj, f->flag_offset))
            return 0;
        break;
    }
    if ((v = tree_new_value(f, src, &rc)) == NULL)
        return rc;
    return add_member(json, f->key, v);
}

static cJSON *tree_object(const og_rt_type *type, const void *obj, int *rc)
{
    cJSON *o = cJSON_CreateObject();
    size_t i;

    if (o == NULL) {
        *rc = OG_E_NOMEM;
        return NULL;
    }
    for (i = 0; i < type->field_count; i++) {
        if ((*rc = tree_put_field(&type->fields[i], obj, o)) < 0) {
            cJSON_Delete(o);
            return NULL;
        }
    }
    *rc = 0;
    return o;
}

int og_rt_write(const og_rt_type *type, const void *obj, cJSON *json)
{
    size_t i;
    int rc;

    if (type == NULL || obj == NULL || json == NULL)
        return OG_E_ARG;
    for (i = 0; i < type->field_count; i++)
        if ((rc = tree_put_field(&type->fields[i], obj, json)) < 0)
            return rc;
    return 0;
}

/* ---- printing JSON text ---- */

static int print_type_members(og_rt_printer *p, const og_rt_type *type,
                              const void *obj);

static int print_items(og_rt_printer *p, const og_rt_field *f,
                       const void *items, size_t count);

/* One value of f's kind (objects inline, as array items are). */
static int print_value(og_rt_printer *p, const og_rt_field *f, const void *src)
{
    const og_rt_field *items;
    double d;
    int rc;

    switch (f->kind) {
    case OG_RT_STRING:
        if (*(const char *const *)src == NULL)
            return OG_E_ARG;
        return print_string(p, *(const char *const *)src);
    case OG_RT_INT32:
        return print_integer(p, *(const int32_t *)src);
    case OG_RT_INT64:
        return print_integer(p, *(const int64_t *)src);
    case OG_RT_FLOAT:
        if (!isfinite(d = *(const double *)src))
            return OG_E_RANGE;
        return print_double(p, d);
    case OG_RT_BOOL:
        return print_bool(p, *(const bool *)src);
    case OG_RT_JSON:
        if (*(const cJSON *const *)src == NULL)
            return OG_E_ARG;
        return print_json(p, *(const cJSON *const *)src);
    case OG_RT_OBJECT:
        return print_type_members(p, f->type, src);
    case OG_RT_LIST:
        items = &f->type->fields[0];
        if ((rc = put_char(p, '[')) < 0 ||
            (rc = print_items(p, items, *(const void *const *)OG_RT_CAT(src, items->offset),
                              *(const size_t *)OG_RT_CAT(src, items->flag_offset))) < 0)
            return rc;
        return put_char(p, ']');
    default:
        return OG_E_ARG;
    }
}

static int print_items(og_rt_printer *p, const og_rt_field *f,
                       const void *items, size_t count)
{
    size_t i;
    int rc;

    if (items == NULL && count > 0)
        return OG_E_ARG;
    for (i = 0; i < count; i++)
        if ((i > 0 && (rc = put_char(p, ',')) < 0) ||
            (rc = print_value(p, f, OG_RT_CAT(items, i * item_size(f)))) < 0)
            return rc;
    return 0;
}

/* A field's "key": (after a comma unless first), copied as it is when the
 * generator found it needs no escapes. */
static int print_field_key(og_rt_printer *p, const og_rt_field *f)
{
    const char *k;
    char *o;
    int rc;

    if (!(f->flags & OG_RT_PLAIN_KEY))
        return print_key(p, f->key);
    if ((rc = reserve(p, (size_t)f->key_len + 4)) < 0)
        return rc;
    o = p->buf + p->len;
    if (p->buf[p->len - 1] != '{')
        *o++ = ',';
    *o++ = '"';
    /* a byte loop: keys are short, and a memcpy call costs more than it
     * copies (measured: print 1.5x slower with memcpy) */
    for (k = f->key; *k; k++)
        *o++ = *k;
    *o++ = '"';
    *o++ = ':';
    p->len = (size_t)(o - p->buf);
    return 0;
}

/* "key":value when the field is set, as tree_put_field adds it. */
static int print_field(og_rt_printer *p, const og_rt_field *f, const void *obj)
{
    const void *src = OG_RT_CAT(obj, f->offset);
    size_t count;
    int rc;

    if (f->kind == OG_RT_FILE)
        return 0;
    if (field_is_array(f)) {
        count = *(const size_t *)OG_RT_CAT(obj, f->flag_offset);
        if ((src = *(const void *const *)src) == NULL)
            return count == 0 ? 0 : OG_E_ARG;
        if ((rc = print_field_key(p, f)) < 0 || (rc = put_char(p, '[')) < 0 ||
            (rc = print_items(p, f, src, count)) < 0)
            return rc;
        return put_char(p, ']');
    }
    switch (f->kind) {
    case OG_RT_STRING:
    case OG_RT_JSON:
        if (*(const void *const *)src == NULL)
            return 0;
        break;
    case OG_RT_OBJECT:
        if ((src = *(const void *const *)src) == NULL)
            return 0;
        break;
    default:
        if (!*(const bool *)OG_RT_CAT(obj, f->flag_offset))
            return 0;
        if (f->kind == OG_RT_FLOAT && !isfinite(*(const double *)src))
            return OG_E_RANGE;
        break;
    }
    if ((rc = print_field_key(p, f)) < 0)
        return rc;
    return print_value(p, f, src);
}

static int print_type_members(og_rt_printer *p, const og_rt_type *type,
                              const void *obj)
{
    size_t i;
    int rc;

    const og_rt_field *f;
    const char *v;

    if ((rc = put_char(p, '{')) < 0)
        return rc;
    for (i = 0; i < type->field_count; i++) {
        f = &type->fields[i];
        if (f->kind == OG_RT_STRING && !field_is_array(f)) {   /* most fields */
            if ((v = *(const char *const *)OG_RT_CAT(obj, f->offset)) != NULL &&
                ((rc = print_field_key(p, f)) < 0 || (rc = print_string(p, v)) < 0))
                return rc;
        } else if ((rc = print_field(p, f, obj)) < 0) {
            return rc;
        }
    }
    return put_char(p, '}');
}

/* ---- validation ---- */

static void check_type_members(og_rt_checker *c, const og_rt_type *type,
                               const void *obj);
static void check_items(og_rt_checker *c, const char *field, const og_rt_field *f,
                        const void *items, size_t count, const og_rt_array_rule *rule);

/* Whether a field holds a value (what "is required" asks). */
static bool field_present(const og_rt_field *f, const void *obj)
{
    const void *src = OG_RT_CAT(obj, f->offset);

    if (field_is_array(f))
        return *(const void *const *)src != NULL ||
               *(const size_t *)OG_RT_CAT(obj, f->flag_offset) > 0;
    switch (f->kind) {
    case OG_RT_STRING:
    case OG_RT_JSON:
    case OG_RT_OBJECT:
        return *(const void *const *)src != NULL;
    case OG_RT_FILE:
        return og_file_is_set(src);
    default:
        return *(const bool *)OG_RT_CAT(obj, f->flag_offset);
    }
}

/* One array item, at the index frame the caller pushed. */
static void check_item_value(og_rt_checker *c, const og_rt_field *f,
                             const void *item, const og_rt_string_rule *string_rule)
{
    const og_rt_field *items;
    const void *p = *(const void *const *)item;

    switch (f->kind) {
    case OG_RT_STRING:
        /* A NULL in an array of strings cannot be written (no "unset"
         * inside an array), so it is refused whatever the rule. */
        if (p == NULL)
            og_rt_violation(c, NULL, "must not be null");
        else
            og_rt_check_string(c, NULL, p, string_rule);
        break;
    case OG_RT_JSON:
        if (p == NULL)
            og_rt_violation(c, NULL, "must not be null");
        break;
    case OG_RT_OBJECT:
        check_type_members(c, f->type, item);
        break;
    case OG_RT_LIST:
        items = &f->type->fields[0];
        check_items(c, NULL, items, *(const void *const *)OG_RT_CAT(item, items->offset),
                    *(const size_t *)OG_RT_CAT(item, items->flag_offset), NULL);
        break;
    default:
        break;
    }
}

/* An array's count rules, then each item at ".../field/i" (scalars other
 * than strings have no item rules). */
static void check_items(og_rt_checker *c, const char *field, const og_rt_field *f,
                        const void *items, size_t count, const og_rt_array_rule *rule)
{
    size_t saved, inner, i;

    if (!check_count(c, field, items, count, rule))
        return;
    if (f->kind != OG_RT_STRING && f->kind != OG_RT_JSON &&
        f->kind != OG_RT_OBJECT && f->kind != OG_RT_LIST)
        return;
    saved = c->frame_count;
    if (field != NULL)
        frame_push(c->frames, &c->frame_count, field, 0);
    for (i = 0; i < count; i++) {
        inner = frame_push(c->frames, &c->frame_count, NULL, i);
        check_item_value(c, f, OG_RT_CAT(items, i * item_size(f)),
                         rule != NULL ? rule->items : NULL);
        c->frame_count = inner;
    }
    c->frame_count = saved;
}

static const char *member_name(const og_rt_field *f)
{
    return f->extra != NULL && f->extra->c_name != NULL ? f->extra->c_name : f->key;
}

static bool nonzero(const og_rt_field *f, const void *src)
{
    return f->kind == OG_RT_INT32 ? *(const int32_t *)src != 0
         : f->kind == OG_RT_INT64 ? *(const int64_t *)src != 0
         : *(const double *)src != 0;
}

/* A number, with the "set, but has_ forgotten" case of a required one. */
static void check_number_field(og_rt_checker *c, const og_rt_field *f, const void *obj)
{
    const void *src = OG_RT_CAT(obj, f->offset);
    bool has = *(const bool *)OG_RT_CAT(obj, f->flag_offset);

    if (!has && f->rule == NULL && !field_is_required(f))
        return;   /* unset, and nothing says it must be set */
    if (field_is_required(f) && !has && nonzero(f, src))
        og_rt_violation(c, f->key, "is required (has_%s is false)", member_name(f));
    else if (f->kind == OG_RT_INT64)
        og_rt_check_int64(c, f->key, has, *(const int64_t *)src, f->rule);
    else
        og_rt_check_number(c, f->key, has,
                           f->kind == OG_RT_INT32 ? (double)*(const int32_t *)src
                                                  : *(const double *)src, f->rule);
}

static void check_single(og_rt_checker *c, const og_rt_field *f, const void *obj)
{
    const void *src = OG_RT_CAT(obj, f->offset);
    size_t saved;
    bool has;

    switch (f->kind) {
    case OG_RT_STRING:
        og_rt_check_string(c, f->key, *(const char *const *)src, f->rule);
        break;
    case OG_RT_INT32:
    case OG_RT_INT64:
    case OG_RT_FLOAT:
        check_number_field(c, f, obj);
        break;
    case OG_RT_BOOL:
        has = *(const bool *)OG_RT_CAT(obj, f->flag_offset);
        if (field_is_required(f) && !has) {
            if (*(const bool *)src)
                og_rt_violation(c, f->key, "is required (has_%s is false)", member_name(f));
            else
                og_rt_violation(c, f->key, "is required");
        }
        break;
    case OG_RT_FILE:
        og_rt_check_file(c, f->key, src, field_is_required(f));
        break;
    case OG_RT_OBJECT:
        if ((src = *(const void *const *)src) == NULL) {
            if (field_is_required(f))
                og_rt_violation(c, f->key, "is required");
            break;
        }
        saved = c->frame_count;
        frame_push(c->frames, &c->frame_count, f->key, 0);
        check_type_members(c, f->type, src);
        c->frame_count = saved;
        break;
    case OG_RT_JSON:
        if (field_is_required(f) && *(const void *const *)src == NULL)
            og_rt_violation(c, f->key, "is required");
        break;
    default:
        break;
    }
}

/* required_if: the field must be present when another field of the same
 * struct has the value given. */
static bool condition_holds(const og_rt_condition *cond, const og_rt_type *type,
                            const void *obj)
{
    const og_rt_field *t = &type->fields[cond->target];
    const void *src = OG_RT_CAT(obj, t->offset);

    if (t->kind == OG_RT_STRING)
        return *(const char *const *)src != NULL &&
               strcmp(*(const char *const *)src, cond->string) == 0;
    if (!*(const bool *)OG_RT_CAT(obj, t->flag_offset))
        return false;
    switch (t->kind) {
    case OG_RT_INT32:
        return *(const int32_t *)src == cond->integer;
    case OG_RT_INT64:
        return *(const int64_t *)src == cond->integer;
    case OG_RT_BOOL:
        return *(const bool *)src == (cond->integer != 0);
    case OG_RT_FLOAT:
        return *(const double *)src == cond->number;
    default:
        return false;
    }
}

static void check_field(og_rt_checker *c, const og_rt_type *type,
                        const og_rt_field *f, const void *obj)
{
    const og_rt_condition *cond;
    size_t i;

    if (field_is_array(f))
        check_items(c, f->key, f, *(const void *const *)OG_RT_CAT(obj, f->offset),
                    *(const size_t *)OG_RT_CAT(obj, f->flag_offset), f->rule);
    else
        check_single(c, f, obj);
    for (i = 0; f->extra != NULL && i < f->extra->condition_count; i++) {
        cond = &f->extra->conditions[i];
        if (condition_holds(cond, type, obj) && !field_present(f, obj))
            og_rt_violation(c, f->key, "%s", cond->why);
    }
}

static void check_type_members(og_rt_checker *c, const og_rt_type *type,
                               const void *obj)
{
    const og_rt_field *f;
    size_t i;

    for (i = 0; i < type->field_count; i++) {
        f = &type->fields[i];
        /* most fields are plain strings: checked here, without the
         * general path's dispatch */
        if (f->kind == OG_RT_STRING && !field_is_array(f) && f->extra == NULL)
            og_rt_check_string(c, f->key, *(const char *const *)OG_RT_CAT(obj, f->offset),
                               f->rule);
        else
            check_field(c, type, f, obj);
    }
}

/* ---- the typed functions' bodies ---- */

int og_rt_from_json(const og_rt_type *type, void **out, const cJSON *json,
                    og_error_t *err)
{
    og_rt_reader r;
    void *obj;
    int rc;

    og_error_clear(err);
    if (type == NULL || out == NULL || json == NULL)
        return og_error_set(err, OG_E_ARG, NULL, "NULL argument");
    *out = NULL;
    if ((obj = calloc(1, type->size)) == NULL)
        return og_error_set(err, OG_E_NOMEM, NULL, "out of memory");
    og_rt_reader_init(&r, "", err);
    if ((rc = tree_members(type, obj, json, &r)) < 0) {
        og_rt_free(type, obj);
        return rc;
    }
    *out = obj;
    return 0;
}

/* The quick path first; the tree path when it gives up, which also finds
 * and reports every error (see og_rt_quick_parse). */
int og_rt_parse_as(const og_rt_type *type, void **out, const char *text,
                   size_t len, og_error_t *err)
{
    cJSON *json = NULL;
    int rc;

    if (out != NULL && og_rt_quick_parse(text, len, type, out)) {
        og_error_clear(err);
        return 0;
    }
    if (out != NULL)
        *out = NULL;
    if ((rc = og_rt_parse(text, len, &json, err)) == 0)
        rc = og_rt_from_json(type, out, json, err);
    cJSON_Delete(json);
    return rc;
}

int og_rt_to_json(const og_rt_type *type, const void *in, cJSON **out)
{
    int rc;

    if (out == NULL)
        return OG_E_ARG;
    *out = NULL;
    if (type == NULL || in == NULL)
        return OG_E_ARG;
    *out = tree_object(type, in, &rc);
    return rc;
}

char *og_rt_print_as(const og_rt_type *type, const void *in)
{
    og_rt_printer p;
    char *text = NULL;

    if (type == NULL || in == NULL)
        return NULL;
    p.buf = p.local;
    p.len = 0;
    p.cap = sizeof(p.local);
    if (print_type_members(&p, type, in) == 0 &&
        (text = cJSON_malloc(p.len + 1)) != NULL) {
        memcpy(text, p.buf, p.len);
        text[p.len] = '\0';
    }
    if (p.buf != p.local)
        free(p.buf);
    return text;
}

int og_rt_validate(const og_rt_type *type, const void *in, og_violations_t *out)
{
    og_rt_checker c;
    size_t before;

    if (type == NULL || in == NULL || out == NULL)
        return OG_E_ARG;
    before = out->count;
    og_rt_checker_init(&c, out);
    check_type_members(&c, type, in);
    if (out->oom)
        return OG_E_NOMEM;
    return (int)(out->count - before);
}

/* ---- pagination --------------------------------------------------------- */

/* FNV-1a: tokens are short opaque strings, any spread will do. */
static size_t token_hash_(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);

    while (*s)
        h = (h ^ (unsigned char)*s++) * UINT64_C(1099511628211);
    return (size_t)h;
}

/* The slot of s in a table of `size` slots (a power of two): where it is,
 * or the empty slot where it would go. */
static size_t token_slot_(char **slots, size_t size, const char *s)
{
    size_t i = token_hash_(s) & (size - 1);

    while (slots[i] != NULL && strcmp(slots[i], s) != 0)
        i = (i + 1) & (size - 1);
    return i;
}

/* Doubles the table (kept at most half full). */
static int tokens_grow_(og_rt_pager_t *p)
{
    size_t size = p->seen_size ? p->seen_size * 2 : 16, i;
    char **slots = calloc(size, sizeof *slots);

    if (slots == NULL)
        return OG_E_NOMEM;
    for (i = 0; i < p->seen_size; i++)
        if (p->seen[i] != NULL)
            slots[token_slot_(slots, size, p->seen[i])] = p->seen[i];
    free(p->seen);
    p->seen = slots;
    p->seen_size = size;
    return 0;
}

/* Adds a copy of token: 1 when it is new, 0 when it was sent before, or
 * OG_E_NOMEM. */
static int tokens_add_(og_rt_pager_t *p, const char *token)
{
    size_t i, n = strlen(token);
    char *copy;

    if ((p->seen_count + 1) * 2 > p->seen_size && tokens_grow_(p) < 0)
        return OG_E_NOMEM;
    i = token_slot_(p->seen, p->seen_size, token);
    if (p->seen[i] != NULL)
        return 0;
    if ((copy = malloc(n + 1)) == NULL)
        return OG_E_NOMEM;
    memcpy(copy, token, n + 1);
    p->seen[i] = copy;
    p->seen_count++;
    return 1;
}

static int pager_fail_(og_rt_pager_t *p, int code, const char *fmt, ...) RT_PRINTF_(3, 4);

static int pager_fail_(og_rt_pager_t *p, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
    p->state = code;
    return code;
}

int og_rt_pager_start(og_rt_pager_t *p, const char *first_token)
{
    if (first_token == NULL || *first_token == '\0')
        return 0;
    if (tokens_add_(p, first_token) < 0)
        return pager_fail_(p, OG_E_NOMEM, "out of memory");
    return 0;
}

int og_rt_pager_ready(const og_rt_pager_t *p, og_error_t *err)
{
    if (p->state < 0)
        return og_error_set(err, p->state, NULL, "%s", p->message);
    return p->state == 0;
}

int og_rt_pager_advance(og_rt_pager_t *p, const char *endpoint,
                                bool has_more, const char *next, char **token)
{
    size_t n;
    char *copy;
    int rc;

    p->pages++;
    if (!has_more) {
        p->state = 1;
        return 0;
    }
    if (next == NULL || *next == '\0')
        return pager_fail_(p, OG_E_PAGINATION, "%s: page %zu says has_more "
                           "but gives no page token", endpoint, p->pages);
    if ((rc = tokens_add_(p, next)) == 0)
        return pager_fail_(p, OG_E_PAGINATION, "%s: page %zu gives a page "
                           "token that was already sent", endpoint, p->pages);
    n = strlen(next);
    if (rc < 0 || (copy = malloc(n + 1)) == NULL)
        return pager_fail_(p, OG_E_NOMEM, "%s: out of memory after page %zu",
                           endpoint, p->pages);
    memcpy(copy, next, n + 1);
    free(*token);
    *token = copy;
    return 0;
}

void og_rt_pager_free(og_rt_pager_t *p)
{
    size_t i;

    if (p == NULL)
        return;
    for (i = 0; i < p->seen_size; i++)
        free(p->seen[i]);
    free(p->seen);
    memset(p, 0, sizeof *p);
}

void og_rt_check_json_item(const void *item, og_rt_checker *c)
{
    if (c != NULL && item != NULL && *(const cJSON *const *)item == NULL)
        og_rt_violation(c, NULL, "must not be null");
}

void og_rt_check_string_item(const void *item, og_rt_checker *c)
{
    const char *s;

    if (c == NULL || item == NULL)
        return;
    if ((s = *(const char *const *)item) == NULL)
        og_rt_violation(c, NULL, "must not be null");
    else
        og_rt_check_string(c, NULL, s, NULL);
}
