/*
 * Unit tests of the client runtime, compiled as it is: templates/runtime/
 * og_runtime.c with its own prefix og_ (the generator copies it into each
 * bundle with the prefix renamed, og_runtime.c). meson builds this as
 * the `runtime` test; by hand, from the project root:
 *
 *   WRAP=-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc
 *   for cc in gcc clang; do
 *     $cc -std=c11 -Wall -Wextra -Wpedantic -Werror -g -Itemplates/runtime \
 *         -DRT_TEST_WRAP_ALLOC tests/unit/test_runtime.c \
 *         templates/runtime/og_runtime.c $WRAP -lcjson -lcmocka -lm \
 *         -o /tmp/test_runtime_$cc && /tmp/test_runtime_$cc
 *   done
 *
 * RT_TEST_WRAP_ALLOC (with the --wrap link flags) lets the out-of-memory
 * tests fail the runtime's own allocations; without it they only fail
 * cJSON's, through cJSON_InitHooks.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "og_runtime.h"

/* ---- allocation failure injection --------------------------------------- */

/* -1: off; otherwise the number of allocations that still succeed before
 * exactly one fails. */
static long alloc_countdown = -1;
static bool alloc_failed;

static bool alloc_should_fail(void)
{
    if (alloc_countdown < 0)
        return false;
    if (alloc_countdown-- == 0) {
        alloc_failed = true;
        return true;
    }
    return false;
}

#ifdef RT_TEST_WRAP_ALLOC
void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

void *__wrap_malloc(size_t size)
{
    return alloc_should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return alloc_should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return alloc_should_fail() ? NULL : __real_realloc(p, size);
}
#endif

#ifdef RT_TEST_WRAP_ALLOC
#define REAL_MALLOC __real_malloc
#else
#define REAL_MALLOC malloc
#endif

/* cJSON's allocations, which --wrap does not reach (they are made inside
 * libcjson). */
static void *hook_malloc(size_t size)
{
    return alloc_should_fail() ? NULL : REAL_MALLOC(size);
}

static void hook_free(void *p)
{
    free(p);
}

static void fail_allocation(long n)
{
    static cJSON_Hooks hooks = { hook_malloc, hook_free };

    cJSON_InitHooks(&hooks);
    alloc_failed = false;
    alloc_countdown = n;
}

static void stop_failing(void)
{
    alloc_countdown = -1;
    cJSON_InitHooks(NULL);
}

/* NaN and infinity without constant divisions by zero. */
static double not_a_number(void)
{
    volatile double zero = 0.0;

    return zero / zero;
}

static double infinity(void)
{
    volatile double zero = 0.0;

    return 1.0 / zero;
}

/* ---- hand-made "generated" types ---------------------------------------- */

typedef struct custom_field {
    char *field_name;
    char *value;
} custom_field_t;

static int custom_field_read(void *out, const cJSON *json, og_rt_reader *r)
{
    custom_field_t *o = out;
    int rc;

    if ((rc = og_rt_expect_object(json, r)) < 0)
        return rc;
    if ((rc = og_rt_read_string(json, "field_name", &o->field_name, r)) < 0)
        return rc;
    return og_rt_read_string(json, "value", &o->value, r);
}

static void custom_field_clear(void *obj)
{
    custom_field_t *o = obj;

    free(o->field_name);
    free(o->value);
    memset(o, 0, sizeof(*o));
}

static int custom_field_write(const void *in, cJSON *obj)
{
    const custom_field_t *o = in;
    int rc;

    if ((rc = og_rt_write_string(obj, "field_name", o->field_name)) < 0)
        return rc;
    return og_rt_write_string(obj, "value", o->value);
}

static const og_rt_string_rule field_name_rule = { true, false, -1, -1,
                                                       false, NULL, 0 };
static const og_rt_string_rule value_rule = { false, false, -1, 100,
                                                  false, NULL, 0 };

static void custom_field_check(const void *obj, og_rt_checker *c)
{
    const custom_field_t *o = obj;

    og_rt_check_string(c, "field_name", o->field_name, &field_name_rule);
    og_rt_check_string(c, "value", o->value, &value_rule);
}

typedef struct probation_info {
    char *status;
    char *end_date;
    bool has_hours;
    int32_t hours;
    bool has_score;
    double score;
    bool has_id;
    int64_t id;
    bool has_final;
    bool final;
    custom_field_t *custom_fields;
    size_t custom_fields_count;
    char **tags;
    size_t tags_count;
    int64_t *ids;
    size_t ids_count;
} probation_info_t;

static int probation_info_read(void *out, const cJSON *json,
                               og_rt_reader *r)
{
    probation_info_t *o = out;
    int rc;

    if ((rc = og_rt_expect_object(json, r)) < 0 ||
        (rc = og_rt_read_string(json, "status", &o->status, r)) < 0 ||
        (rc = og_rt_read_string(json, "end_date", &o->end_date, r)) < 0 ||
        (rc = og_rt_read_int32(json, "hours", &o->has_hours, &o->hours,
                                   r)) < 0 ||
        (rc = og_rt_read_float(json, "score", &o->has_score, &o->score,
                                   r)) < 0 ||
        (rc = og_rt_read_int64(json, "id", &o->has_id, &o->id, r)) < 0 ||
        (rc = og_rt_read_bool(json, "final", &o->has_final, &o->final,
                                  r)) < 0)
        return rc;
    if ((rc = og_rt_read_array(json, "custom_fields",
                                   (void **)&o->custom_fields,
                                   &o->custom_fields_count,
                                   sizeof(custom_field_t), custom_field_read,
                                   custom_field_clear, r)) < 0)
        return rc;
    if ((rc = og_rt_read_array(json, "tags", (void **)&o->tags,
                                   &o->tags_count, sizeof(char *),
                                   og_rt_elem_string,
                                   og_rt_clear_string, r)) < 0)
        return rc;
    return og_rt_read_array(json, "ids", (void **)&o->ids, &o->ids_count,
                                sizeof(int64_t), og_rt_elem_int64, NULL, r);
}

static void probation_info_clear(void *obj)
{
    probation_info_t *o = obj;

    free(o->status);
    free(o->end_date);
    og_rt_free_array(o->custom_fields, o->custom_fields_count,
                         sizeof(custom_field_t), custom_field_clear);
    og_rt_free_array(o->tags, o->tags_count, sizeof(char *),
                         og_rt_clear_string);
    og_rt_free_array(o->ids, o->ids_count, sizeof(int64_t), NULL);
    memset(o, 0, sizeof(*o));
}

static int probation_info_write(const void *in, cJSON *obj)
{
    const probation_info_t *o = in;
    int rc;

    if ((rc = og_rt_write_string(obj, "status", o->status)) < 0 ||
        (rc = og_rt_write_string(obj, "end_date", o->end_date)) < 0 ||
        (rc = og_rt_write_int32(obj, "hours", o->has_hours,
                                    o->hours)) < 0 ||
        (rc = og_rt_write_float(obj, "score", o->has_score,
                                    o->score)) < 0 ||
        (rc = og_rt_write_int64(obj, "id", o->has_id, o->id)) < 0 ||
        (rc = og_rt_write_bool(obj, "final", o->has_final, o->final)) < 0)
        return rc;
    if ((rc = og_rt_write_array(obj, "custom_fields", o->custom_fields,
                                    o->custom_fields_count,
                                    sizeof(custom_field_t), NULL,
                                    custom_field_write)) < 0)
        return rc;
    if ((rc = og_rt_write_array(obj, "tags", o->tags, o->tags_count,
                                    sizeof(char *),
                                    og_rt_elem_write_string, NULL)) < 0)
        return rc;
    return og_rt_write_array(obj, "ids", o->ids, o->ids_count,
                                 sizeof(int64_t), og_rt_elem_write_int64,
                                 NULL);
}

static const char *const status_values[] = { "not_started", "in_process",
                                             "completed", "no_need" };
static const og_rt_string_rule status_rule = { true, false, -1, -1, false,
                                                   status_values, 4 };
static const og_rt_string_rule end_date_rule = { false, false, -1, -1,
                                                     true, NULL, 0 };
static const og_rt_number_rule hours_rule = { false, true, true, 0, 168,
                                                  NULL, 0, false, 0 };
static const og_rt_array_rule custom_fields_rule = { false, -1, 180, NULL };
static const og_rt_string_rule tag_rule = { false, true, -1, -1, false,
                                                NULL, 0 };

static void probation_info_check(const void *obj, og_rt_checker *c)
{
    const probation_info_t *o = obj;

    og_rt_check_string(c, "status", o->status, &status_rule);
    og_rt_check_string(c, "end_date", o->end_date, &end_date_rule);
    og_rt_check_number(c, "hours", o->has_hours, o->hours, &hours_rule);
    og_rt_check_present(c, "final", o->has_final, NULL);
    og_rt_check_array(c, "custom_fields", o->custom_fields,
                          o->custom_fields_count, sizeof(custom_field_t),
                          &custom_fields_rule, NULL, custom_field_check);
    og_rt_check_array(c, "tags", o->tags, o->tags_count, sizeof(char *),
                          NULL, &tag_rule, NULL);
}

/* The `data` of a response: read with the reader rooted at "/data". */
typedef struct data {
    probation_info_t *probation_info;
} data_t;

static int data_read(void *out, const cJSON *json, og_rt_reader *r)
{
    data_t *o = out;
    int rc;

    if ((rc = og_rt_expect_object(json, r)) < 0)
        return rc;
    return og_rt_read_object(json, "probation_info",
                                 (void **)&o->probation_info,
                                 sizeof(probation_info_t), probation_info_read,
                                 probation_info_clear, r);
}

static void data_clear(void *obj)
{
    data_t *o = obj;

    if (o->probation_info != NULL) {
        probation_info_clear(o->probation_info);
        free(o->probation_info);
    }
    memset(o, 0, sizeof(*o));
}

static int data_write(const void *in, cJSON *obj)
{
    const data_t *o = in;

    return og_rt_write_object(obj, "probation_info", o->probation_info,
                                  probation_info_write);
}

static void data_check(const void *obj, og_rt_checker *c)
{
    const data_t *o = obj;

    og_rt_check_object(c, "probation_info", o->probation_info, true,
                           probation_info_check);
}

/* What a generated `_from_json` does with a response body. */
static int data_from_text(data_t *out, const char *text,
                          og_error_t *err)
{
    og_rt_reader r;
    cJSON *root = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = og_rt_parse(text, strlen(text), &root, err)) < 0)
        goto done;
    og_rt_reader_init(&r, "/data", err);
    if ((rc = data_read(out, cJSON_GetObjectItemCaseSensitive(root, "data"),
                        &r)) < 0)
        data_clear(out);
done:
    cJSON_Delete(root);
    return rc;
}

/* A recursive type, for the depth limit: {"c": {...}, "k": [{...}]}. */
typedef struct node {
    struct node *c;
    struct node *k;
    size_t k_count;
} node_t;

static void node_clear(void *obj);

static int node_read(void *out, const cJSON *json, og_rt_reader *r)
{
    node_t *o = out;
    int rc;

    if ((rc = og_rt_expect_object(json, r)) < 0 ||
        (rc = og_rt_read_object(json, "c", (void **)&o->c, sizeof(node_t),
                                    node_read, node_clear, r)) < 0)
        return rc;
    return og_rt_read_array(json, "k", (void **)&o->k, &o->k_count,
                                sizeof(node_t), node_read, node_clear, r);
}

static void node_clear(void *obj)
{
    node_t *o = obj;

    if (o->c != NULL) {
        node_clear(o->c);
        free(o->c);
    }
    og_rt_free_array(o->k, o->k_count, sizeof(node_t), node_clear);
    memset(o, 0, sizeof(*o));
}

/* ---- fixture ------------------------------------------------------------ */

typedef struct fixture {
    og_error_t err;
    og_rt_reader r;
    cJSON *json;
    og_violations_t v;
    og_rt_checker c;
    data_t data;
    node_t node;
} fixture;

static int fx_setup(void **state)
{
    fixture *t = calloc(1, sizeof(*t));

    if (t == NULL)
        return -1;
    og_error_clear(&t->err);
    og_rt_reader_init(&t->r, "", &t->err);
    og_rt_checker_init(&t->c, &t->v);
    *state = t;
    return 0;
}

static int fx_teardown(void **state)
{
    fixture *t = *state;

    stop_failing();
    cJSON_Delete(t->json);
    og_violations_free(&t->v);
    data_clear(&t->data);
    node_clear(&t->node);
    free(t);
    return 0;
}

/* Parses text into t->json, which the teardown deletes. */
static cJSON *load(fixture *t, const char *text)
{
    cJSON_Delete(t->json);
    t->json = NULL;
    assert_int_equal(og_rt_parse(text, strlen(text), &t->json, &t->err), 0);
    assert_non_null(t->json);
    return t->json;
}

#define assert_error(t, code_, path_, message_)                                \
    do {                                                                       \
        assert_int_equal((t)->err.code, (code_));                              \
        assert_string_equal((t)->err.path, (path_));                           \
        assert_string_equal((t)->err.message, (message_));                     \
    } while (0)

static void assert_violations(const fixture *t, size_t n)
{
    assert_false(t->v.oom);
    assert_int_equal(t->v.count, n);
}

static void assert_violation(const fixture *t, size_t i, const char *path,
                             const char *message)
{
    assert_true(i < t->v.count);
    assert_string_equal(t->v.items[i].path, path);
    assert_string_equal(t->v.items[i].message, message);
}

/* ---- errors ------------------------------------------------------------- */

static void strerror_names_every_code(void **state)
{
    (void)state;
    assert_string_equal(og_strerror(OG_OK), "success");
    assert_string_equal(og_strerror(OG_E_NOMEM), "out of memory");
    assert_string_equal(og_strerror(OG_E_TYPE), "unexpected JSON type");
    assert_string_equal(og_strerror(OG_E_ENVELOPE),
                        "response is not a {code, msg, data} envelope");
    assert_string_equal(og_strerror(OG_E_UTF8), "invalid UTF-8");
    assert_string_equal(og_strerror(OG_E_PAGINATION),
                        "the server's page tokens would loop");
    assert_string_equal(og_strerror(OG_E_IO), "file input/output error");
    assert_string_equal(og_strerror(-1000), "unknown error");
    assert_string_equal(og_strerror(1), "unknown error");
#define CHECK_TEXT_(name, value, text)                                         \
    assert_string_equal(og_strerror(value), text);                         \
    assert_int_equal(OG_##name, value);
    OG_ERRORS(CHECK_TEXT_)
#undef CHECK_TEXT_
}

static void error_set_formats_message_and_path(void **state)
{
    fixture *t = *state;

    t->err.http_status = 404;
    assert_int_equal(og_error_set(&t->err, OG_E_RANGE, "/a/0",
                                      "value %d of %s", 7, "x"),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/a/0", "value 7 of x");
    assert_int_equal(t->err.http_status, 404); /* other fields untouched */
}

static void error_set_null_path_gives_empty_path(void **state)
{
    fixture *t = *state;

    og_error_set(&t->err, OG_E_ARG, "/old", "x");
    og_error_set(&t->err, OG_E_ARG, NULL, "y");
    assert_error(t, OG_E_ARG, "", "y");
}

static void error_set_null_err_only_returns_code(void **state)
{
    (void)state;
    assert_int_equal(og_error_set(NULL, OG_E_JSON, "/x", "m"),
                     OG_E_JSON);
}

static void error_set_truncates_on_character_boundary(void **state)
{
    fixture *t = *state;
    char big[700 * 3 + 1], path[400];

    /* 700 three-byte characters: 511 usable bytes hold 170 of them. */
    for (size_t i = 0; i < 700; i++)
        memcpy(big + 3 * i, "\xe8\xb6\x85", 3);
    big[700 * 3] = '\0';
    memset(path, 'p', sizeof(path) - 1);
    path[sizeof(path) - 1] = '\0';
    og_error_set(&t->err, OG_E_API, path, "%s", big);
    assert_int_equal(strlen(t->err.message), 510);
    assert_int_equal(og_rt_utf8_length(t->err.message), 170);
    assert_int_equal(strlen(t->err.path), sizeof(t->err.path) - 1);
}

static void error_clear_zeroes_everything(void **state)
{
    fixture *t = *state;

    og_error_set(&t->err, OG_E_HTTP, "/p", "m");
    t->err.http_status = 500;
    t->err.attempts = 3;
    og_error_clear(&t->err);
    assert_error(t, OG_OK, "", "");
    assert_int_equal(t->err.http_status, 0);
    assert_int_equal(t->err.attempts, 0);
    og_error_clear(NULL);
}

/* ---- reading: strings --------------------------------------------------- */

static void read_string_success(void **state)
{
    fixture *t = *state;
    char *s = NULL;

    load(t, "{\"name\": \"超出预期\", \"other\": 1}");
    assert_int_equal(og_rt_read_string(t->json, "name", &s, &t->r), 0);
    assert_string_equal(s, "超出预期");
    assert_string_equal(t->r.path, "");
    free(s);
}

static void read_string_missing_leaves_unset(void **state)
{
    fixture *t = *state;
    char *s = NULL;

    load(t, "{\"other\": \"x\"}");
    assert_int_equal(og_rt_read_string(t->json, "name", &s, &t->r), 0);
    assert_null(s);
    assert_int_equal(t->err.code, 0);
}

static void read_string_null_leaves_unset(void **state)
{
    fixture *t = *state;
    char *s = NULL;

    load(t, "{\"name\": null}");
    assert_int_equal(og_rt_read_string(t->json, "name", &s, &t->r), 0);
    assert_null(s);
}

static void read_string_rejects_number(void **state)
{
    fixture *t = *state;
    char *s = NULL;

    load(t, "{\"name\": 5}");
    assert_int_equal(og_rt_read_string(t->json, "name", &s, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/name", "expected string, got number");
    assert_null(s);
    assert_string_equal(t->r.path, "");
    assert_int_equal(t->r.path_len, 0);
}

static void read_string_rejects_each_other_type(void **state)
{
    static const struct {
        const char *json, *got;
    } cases[] = {
        { "{\"s\": true}", "boolean" }, { "{\"s\": false}", "boolean" },
        { "{\"s\": []}", "array" },     { "{\"s\": {}}", "object" },
    };
    fixture *t = *state;
    char *s = NULL;
    char want[64];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        load(t, cases[i].json);
        assert_int_equal(og_rt_read_string(t->json, "s", &s, &t->r),
                         OG_E_TYPE);
        snprintf(want, sizeof(want), "expected string, got %s", cases[i].got);
        assert_error(t, OG_E_TYPE, "/s", want);
        assert_null(s);
    }
}

static void read_string_is_case_sensitive(void **state)
{
    fixture *t = *state;
    char *s = NULL;

    load(t, "{\"Name\": \"x\"}");
    assert_int_equal(og_rt_read_string(t->json, "name", &s, &t->r), 0);
    assert_null(s);
}

static void read_path_escapes_tilde_and_slash(void **state)
{
    fixture *t = *state;
    char *s = NULL;

    load(t, "{\"a/b~c\": 1}");
    og_rt_reader_init(&t->r, "/data", &t->err);
    assert_int_equal(og_rt_read_string(t->json, "a/b~c", &s, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/data/a~1b~0c", "expected string, got number");
    assert_string_equal(t->r.path, "/data");
}

static void read_path_truncates_long_keys(void **state)
{
    fixture *t = *state;
    char key[400], json[450];
    char *s = NULL;

    memset(key, 'k', sizeof(key) - 1);
    key[sizeof(key) - 1] = '\0';
    snprintf(json, sizeof(json), "{\"%s\": 1}", key);
    load(t, json);
    og_rt_reader_init(&t->r, "/data", &t->err);
    assert_int_equal(og_rt_read_string(t->json, key, &s, &t->r),
                     OG_E_TYPE);
    assert_int_equal(strlen(t->err.path), 255);
    assert_memory_equal(t->err.path, "/data/kkk", 9);
    assert_string_equal(t->r.path, "/data");
}

static void read_path_truncates_on_character_boundary(void **state)
{
    fixture *t = *state;
    char key[200 * 3 + 1], json[200 * 3 + 16];
    char *s = NULL;

    for (int i = 0; i < 200; i++)
        memcpy(key + 3 * i, "超", 3);
    key[200 * 3] = '\0';
    snprintf(json, sizeof(json), "{\"%s\": 1}", key);
    load(t, json);
    og_rt_reader_init(&t->r, "/a", &t->err);
    assert_int_equal(og_rt_read_string(t->json, key, &s, &t->r),
                     OG_E_TYPE);
    /* "/a/" and 84 whole characters fit in 255 bytes. */
    assert_int_equal(strlen(t->err.path), 3 + 84 * 3);
    assert_int_equal(og_rt_utf8_length(t->err.path), 3 + 84);
    assert_string_equal(t->r.path, "/a");
}

static void read_field_of_non_object_is_type_error(void **state)
{
    fixture *t = *state;
    char *s = NULL;

    load(t, "[1]");
    assert_int_equal(og_rt_read_string(t->json, "s", &s, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "", "expected object, got array");
    assert_int_equal(og_rt_read_string(NULL, "s", &s, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "", "expected object, got nothing");
}

static void read_rejects_null_arguments(void **state)
{
    fixture *t = *state;
    bool has = false;
    int32_t i = 0;

    load(t, "{\"a\": 1}");
    assert_int_equal(og_rt_read_string(t->json, NULL, NULL, &t->r),
                     OG_E_ARG);
    assert_int_equal(og_rt_read_int32(t->json, "a", NULL, &i, &t->r),
                     OG_E_ARG);
    assert_int_equal(og_rt_read_int32(t->json, "a", &has, NULL, &t->r),
                     OG_E_ARG);
    assert_int_equal(og_rt_read_int32(t->json, "a", &has, &i, NULL),
                     OG_E_ARG);
    assert_false(has);
}

static void expect_object_accepts_object_only(void **state)
{
    fixture *t = *state;

    load(t, "{\"a\": \"x\"}");
    assert_int_equal(og_rt_expect_object(t->json, &t->r), 0);
    og_rt_reader_init(&t->r, "/data", &t->err);
    assert_int_equal(og_rt_expect_object(t->json->child, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/data", "expected object, got string");
    assert_int_equal(og_rt_expect_object(t->json, NULL), OG_E_ARG);
}

/* ---- reading: numbers and booleans -------------------------------------- */

static void read_int32_success(void **state)
{
    fixture *t = *state;
    bool has = false;
    int32_t v = 0;

    load(t, "{\"a\": 40, \"min\": -2147483648, \"max\": 2147483647, "
            "\"e\": 1e2, \"z\": -0.0}");
    assert_int_equal(og_rt_read_int32(t->json, "a", &has, &v, &t->r), 0);
    assert_true(has);
    assert_int_equal(v, 40);
    assert_int_equal(og_rt_read_int32(t->json, "min", &has, &v, &t->r), 0);
    assert_int_equal(v, INT32_MIN);
    assert_int_equal(og_rt_read_int32(t->json, "max", &has, &v, &t->r), 0);
    assert_int_equal(v, INT32_MAX);
    assert_int_equal(og_rt_read_int32(t->json, "e", &has, &v, &t->r), 0);
    assert_int_equal(v, 100);
    assert_int_equal(og_rt_read_int32(t->json, "z", &has, &v, &t->r), 0);
    assert_int_equal(v, 0);
}

static void read_int32_missing_or_null_leaves_unset(void **state)
{
    fixture *t = *state;
    bool has = false;
    int32_t v = 0;

    load(t, "{\"n\": null}");
    assert_int_equal(og_rt_read_int32(t->json, "n", &has, &v, &t->r), 0);
    assert_int_equal(og_rt_read_int32(t->json, "m", &has, &v, &t->r), 0);
    assert_false(has);
}

static void read_int32_rejects_string(void **state)
{
    fixture *t = *state;
    bool has = false;
    int32_t v = 0;

    load(t, "{\"a\": \"40\"}");
    assert_int_equal(og_rt_read_int32(t->json, "a", &has, &v, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/a", "expected integer, got string");
    assert_false(has);
}

static void read_int32_rejects_out_of_range(void **state)
{
    fixture *t = *state;
    bool has = false;
    int32_t v = 0;

    load(t, "{\"hi\": 2147483648, \"lo\": -2147483649, \"huge\": 1e300}");
    assert_int_equal(og_rt_read_int32(t->json, "hi", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/hi",
                 "expected int32 (-2147483648 to 2147483647), got 2147483648");
    assert_int_equal(og_rt_read_int32(t->json, "lo", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/lo",
                 "expected int32 (-2147483648 to 2147483647), got -2147483649");
    assert_int_equal(og_rt_read_int32(t->json, "huge", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/huge",
                 "expected int32 (-2147483648 to 2147483647), got 1e+300");
    assert_false(has);
}

static void read_int32_rejects_fraction(void **state)
{
    fixture *t = *state;
    bool has = false;
    int32_t v = 0;

    load(t, "{\"a\": 1.5, \"b\": 0.1}");
    assert_int_equal(og_rt_read_int32(t->json, "a", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/a", "expected integer, got 1.5");
    assert_int_equal(og_rt_read_int32(t->json, "b", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/b", "expected integer, got 0.1");
    assert_false(has);
}

static void read_int32_rejects_overflowed_number(void **state)
{
    fixture *t = *state;
    bool has = false;
    int32_t v = 0;

    load(t, "{\"a\": 1e999}");
    assert_int_equal(og_rt_read_int32(t->json, "a", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/a", "number is too large for a double");
}

static void read_int64_success_up_to_2_pow_53_minus_1(void **state)
{
    fixture *t = *state;
    bool has = false;
    int64_t v = 0;

    load(t, "{\"max\": 9007199254740991, \"min\": -9007199254740991, "
            "\"id\": 7140964208476371}");
    assert_int_equal(og_rt_read_int64(t->json, "max", &has, &v, &t->r), 0);
    assert_true(has);
    assert_true(v == INT64_C(9007199254740991));
    assert_int_equal(og_rt_read_int64(t->json, "min", &has, &v, &t->r), 0);
    assert_true(v == -INT64_C(9007199254740991));
    assert_int_equal(og_rt_read_int64(t->json, "id", &has, &v, &t->r), 0);
    assert_true(v == INT64_C(7140964208476371));
}

static void read_int64_rejects_2_pow_53_and_beyond(void **state)
{
    fixture *t = *state;
    bool has = false;
    int64_t v = 0;

    /* 9007199254740993 arrives as the double 2^53: already rounded. */
    load(t, "{\"a\": 9007199254740992, \"b\": 9007199254740993, "
            "\"c\": -9007199254740992, \"d\": 7140964208476371331}");
    assert_int_equal(og_rt_read_int64(t->json, "a", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/a",
                 "9007199254740992 is not within +-(2^53-1): cJSON holds "
                 "numbers as double and cannot read such integers exactly");
    assert_int_equal(og_rt_read_int64(t->json, "b", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_int_equal(og_rt_read_int64(t->json, "c", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_string_equal(t->err.path, "/c");
    assert_int_equal(og_rt_read_int64(t->json, "d", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/d",
                 "7.140964208476371e+18 is not within +-(2^53-1): cJSON holds "
                 "numbers as double and cannot read such integers exactly");
    assert_false(has);
}

static void read_int64_rejects_fraction_and_bool(void **state)
{
    fixture *t = *state;
    bool has = false;
    int64_t v = 0;

    load(t, "{\"a\": 2.25, \"b\": true}");
    assert_int_equal(og_rt_read_int64(t->json, "a", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/a", "expected integer, got 2.25");
    assert_int_equal(og_rt_read_int64(t->json, "b", &has, &v, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/b", "expected integer, got boolean");
    assert_false(has);
}

static void read_int64_missing_or_null_leaves_unset(void **state)
{
    fixture *t = *state;
    bool has = false;
    int64_t v = 0;

    load(t, "{\"n\": null}");
    assert_int_equal(og_rt_read_int64(t->json, "n", &has, &v, &t->r), 0);
    assert_int_equal(og_rt_read_int64(t->json, "m", &has, &v, &t->r), 0);
    assert_false(has);
}

static void read_float_accepts_integer_and_fraction(void **state)
{
    fixture *t = *state;
    bool has = false;
    double v = 0;

    load(t, "{\"i\": 4, \"f\": 4.5, \"e\": -1.25e-3, \"big\": 1e300}");
    assert_int_equal(og_rt_read_float(t->json, "i", &has, &v, &t->r), 0);
    assert_true(has);
    assert_true(v == 4.0);
    assert_int_equal(og_rt_read_float(t->json, "f", &has, &v, &t->r), 0);
    assert_true(v == 4.5);
    assert_int_equal(og_rt_read_float(t->json, "e", &has, &v, &t->r), 0);
    assert_true(v == -1.25e-3);
    assert_int_equal(og_rt_read_float(t->json, "big", &has, &v, &t->r), 0);
    assert_true(v == 1e300);
}

static void read_float_missing_or_null_leaves_unset(void **state)
{
    fixture *t = *state;
    bool has = false;
    double v = 0;

    load(t, "{\"n\": null}");
    assert_int_equal(og_rt_read_float(t->json, "n", &has, &v, &t->r), 0);
    assert_int_equal(og_rt_read_float(t->json, "m", &has, &v, &t->r), 0);
    assert_false(has);
}

static void read_float_rejects_string_and_overflow(void **state)
{
    fixture *t = *state;
    bool has = false;
    double v = 0;

    load(t, "{\"s\": \"4.5\", \"inf\": -1e400}");
    assert_int_equal(og_rt_read_float(t->json, "s", &has, &v, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/s", "expected number, got string");
    assert_int_equal(og_rt_read_float(t->json, "inf", &has, &v, &t->r),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/inf", "number is too large for a double");
    assert_false(has);
}

static void read_bool_success(void **state)
{
    fixture *t = *state;
    bool has = false, v = false;

    load(t, "{\"t\": true, \"f\": false}");
    assert_int_equal(og_rt_read_bool(t->json, "t", &has, &v, &t->r), 0);
    assert_true(has);
    assert_true(v);
    assert_int_equal(og_rt_read_bool(t->json, "f", &has, &v, &t->r), 0);
    assert_false(v);
}

static void read_bool_missing_or_null_leaves_unset(void **state)
{
    fixture *t = *state;
    bool has = false, v = false;

    load(t, "{\"n\": null}");
    assert_int_equal(og_rt_read_bool(t->json, "n", &has, &v, &t->r), 0);
    assert_int_equal(og_rt_read_bool(t->json, "m", &has, &v, &t->r), 0);
    assert_false(has);
}

static void read_bool_rejects_number_and_string(void **state)
{
    fixture *t = *state;
    bool has = false, v = false;

    load(t, "{\"n\": 1, \"s\": \"true\"}");
    assert_int_equal(og_rt_read_bool(t->json, "n", &has, &v, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/n", "expected boolean, got number");
    assert_int_equal(og_rt_read_bool(t->json, "s", &has, &v, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/s", "expected boolean, got string");
    assert_false(has);
}

/* ---- reading: objects and arrays ---------------------------------------- */

static const char *const sample =
    "{\"code\": 0, \"msg\": \"success\", \"data\": {\"probation_info\": {"
    "\"status\": \"completed\", \"end_date\": \"2024-02-29\", \"hours\": 40, "
    "\"score\": 4.5, \"id\": 7140964208476371, \"final\": true, "
    "\"custom_fields\": [{\"field_name\": \"a\", \"value\": \"x\"}, "
    "{\"field_name\": \"b\", \"value\": \"超出预期\", \"extra\": [1, {}]}], "
    "\"tags\": [\"t1\", \"t2\"], \"ids\": [1, -2], "
    "\"unknown\": {\"deep\": [[[]]]}}}}";

static void read_object_nested_success(void **state)
{
    fixture *t = *state;
    const probation_info_t *p;

    assert_int_equal(data_from_text(&t->data, sample, &t->err), 0);
    assert_non_null(p = t->data.probation_info);
    assert_string_equal(p->status, "completed");
    assert_string_equal(p->end_date, "2024-02-29");
    assert_true(p->has_hours && p->hours == 40);
    assert_true(p->has_score && p->score == 4.5);
    assert_true(p->has_id && p->id == INT64_C(7140964208476371));
    assert_true(p->has_final && p->final);
    assert_int_equal(p->custom_fields_count, 2);
    assert_string_equal(p->custom_fields[1].field_name, "b");
    assert_string_equal(p->custom_fields[1].value, "超出预期");
    assert_int_equal(p->tags_count, 2);
    assert_string_equal(p->tags[0], "t1");
    assert_string_equal(p->tags[1], "t2");
    assert_int_equal(p->ids_count, 2);
    assert_true(p->ids[1] == -2);
}

static void read_object_missing_or_null_leaves_null(void **state)
{
    fixture *t = *state;

    assert_int_equal(data_from_text(&t->data, "{\"data\": {}}", &t->err), 0);
    assert_null(t->data.probation_info);
    assert_int_equal(data_from_text(&t->data,
                                    "{\"data\": {\"probation_info\": null}}",
                                    &t->err), 0);
    assert_null(t->data.probation_info);
}

static void read_object_rejects_array(void **state)
{
    fixture *t = *state;

    assert_int_equal(data_from_text(&t->data,
                                    "{\"data\": {\"probation_info\": []}}",
                                    &t->err), OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/data/probation_info",
                 "expected object, got array");
    assert_null(t->data.probation_info);
}

static void read_object_root_must_be_object(void **state)
{
    fixture *t = *state;

    assert_int_equal(data_from_text(&t->data, "{\"data\": 3}", &t->err),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/data", "expected object, got number");
    assert_int_equal(data_from_text(&t->data, "{}", &t->err), OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/data", "expected object, got nothing");
}

static void read_object_failure_frees_partial_object(void **state)
{
    fixture *t = *state;
    static const char *const text =
        "{\"data\": {\"probation_info\": {\"status\": \"completed\", "
        "\"custom_fields\": [{\"field_name\": \"a\"}], \"tags\": [\"x\"], "
        "\"ids\": [1, 2.5]}}}";

    /* status, custom_fields and tags were read when ids fails: the
     * object must be cleared and freed (valgrind / ASan check). */
    assert_int_equal(data_from_text(&t->data, text, &t->err), OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/data/probation_info/ids/1",
                 "expected integer, got 2.5");
    assert_null(t->data.probation_info);
}

static void read_object_rejects_bad_arguments(void **state)
{
    fixture *t = *state;
    void *out = NULL;

    load(t, "{\"a\": {}}");
    assert_int_equal(og_rt_read_object(t->json, "a", &out, 0, node_read,
                                           node_clear, &t->r), OG_E_ARG);
    assert_int_equal(og_rt_read_object(t->json, "a", &out, 8, NULL,
                                           node_clear, &t->r), OG_E_ARG);
    assert_int_equal(og_rt_read_object(t->json, "a", NULL, 8, node_read,
                                           node_clear, &t->r), OG_E_ARG);
    assert_null(out);
}

static void read_array_path_goes_through_index(void **state)
{
    fixture *t = *state;
    static const char *const text =
        "{\"data\": {\"probation_info\": {\"custom_fields\": ["
        "{\"field_name\": \"a\", \"value\": \"x\"}, "
        "{\"field_name\": \"b\", \"value\": 7}]}}}";

    assert_int_equal(data_from_text(&t->data, text, &t->err), OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/data/probation_info/custom_fields/1/value",
                 "expected string, got number");
    assert_null(t->data.probation_info);
}

static void read_array_element_of_wrong_type(void **state)
{
    fixture *t = *state;
    static const char *const text =
        "{\"data\": {\"probation_info\": {\"custom_fields\": [{}, \"x\"]}}}";

    assert_int_equal(data_from_text(&t->data, text, &t->err), OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/data/probation_info/custom_fields/1",
                 "expected object, got string");
}

static void read_array_failure_frees_items_read_so_far(void **state)
{
    fixture *t = *state;
    char **items = NULL;
    size_t count = 99;

    load(t, "{\"tags\": [\"a\", \"b\", 3, \"d\"]}");
    assert_int_equal(og_rt_read_array(t->json, "tags", (void **)&items,
                                          &count, sizeof(char *),
                                          og_rt_elem_string,
                                          og_rt_clear_string, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/tags/2", "expected string, got number");
    assert_null(items);
    assert_int_equal(count, 99); /* untouched: the caller's zero stays zero */
    assert_string_equal(t->r.path, "");
}

static void read_array_empty_gives_non_null_items(void **state)
{
    fixture *t = *state;
    char **items = NULL;
    size_t count = 0;

    load(t, "{\"tags\": []}");
    assert_int_equal(og_rt_read_array(t->json, "tags", (void **)&items,
                                          &count, sizeof(char *),
                                          og_rt_elem_string,
                                          og_rt_clear_string, &t->r), 0);
    assert_non_null(items);
    assert_int_equal(count, 0);
    og_rt_free_array(items, count, sizeof(char *), og_rt_clear_string);
}

static void read_array_missing_or_null_leaves_unset(void **state)
{
    fixture *t = *state;
    char **items = NULL;
    size_t count = 0;

    load(t, "{\"n\": null}");
    assert_int_equal(og_rt_read_array(t->json, "n", (void **)&items, &count,
                                          sizeof(char *), og_rt_elem_string,
                                          og_rt_clear_string, &t->r), 0);
    assert_int_equal(og_rt_read_array(t->json, "m", (void **)&items, &count,
                                          sizeof(char *), og_rt_elem_string,
                                          og_rt_clear_string, &t->r), 0);
    assert_null(items);
    assert_int_equal(count, 0);
}

static void read_array_rejects_object_and_null_element(void **state)
{
    fixture *t = *state;
    int32_t *items = NULL;
    size_t count = 0;

    load(t, "{\"a\": {\"0\": 1}, \"b\": [1, null]}");
    assert_int_equal(og_rt_read_array(t->json, "a", (void **)&items, &count,
                                          sizeof(int32_t), og_rt_elem_int32,
                                          NULL, &t->r), OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/a", "expected array, got object");
    assert_int_equal(og_rt_read_array(t->json, "b", (void **)&items, &count,
                                          sizeof(int32_t), og_rt_elem_int32,
                                          NULL, &t->r), OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/b/1", "expected integer, got null");
    assert_null(items);
}

static void read_array_of_each_scalar_type(void **state)
{
    fixture *t = *state;
    int32_t *i32 = NULL;
    int64_t *i64 = NULL;
    double *f = NULL;
    bool *b = NULL;
    size_t n32 = 0, n64 = 0, nf = 0, nb = 0;

    load(t, "{\"i32\": [1, -2], \"i64\": [9007199254740991], "
            "\"f\": [1, 0.5], \"b\": [true, false, true]}");
    assert_int_equal(og_rt_read_array(t->json, "i32", (void **)&i32, &n32,
                                          sizeof(*i32), og_rt_elem_int32,
                                          NULL, &t->r), 0);
    assert_int_equal(og_rt_read_array(t->json, "i64", (void **)&i64, &n64,
                                          sizeof(*i64), og_rt_elem_int64,
                                          NULL, &t->r), 0);
    assert_int_equal(og_rt_read_array(t->json, "f", (void **)&f, &nf,
                                          sizeof(*f), og_rt_elem_float,
                                          NULL, &t->r), 0);
    assert_int_equal(og_rt_read_array(t->json, "b", (void **)&b, &nb,
                                          sizeof(*b), og_rt_elem_bool,
                                          NULL, &t->r), 0);
    assert_int_equal(n32, 2);
    assert_int_equal(i32[1], -2);
    assert_int_equal(n64, 1);
    assert_true(i64[0] == INT64_C(9007199254740991));
    assert_int_equal(nf, 2);
    assert_true(f[0] == 1.0 && f[1] == 0.5);
    assert_int_equal(nb, 3);
    assert_true(b[0] && !b[1] && b[2]);
    og_rt_free_array(i32, n32, sizeof(*i32), NULL);
    og_rt_free_array(i64, n64, sizeof(*i64), NULL);
    og_rt_free_array(f, nf, sizeof(*f), NULL);
    og_rt_free_array(b, nb, sizeof(*b), NULL);
}

static void read_array_element_range_error_has_index(void **state)
{
    fixture *t = *state;
    int32_t *items = NULL;
    size_t count = 0;

    load(t, "{\"xs\": [1, 2, 3000000000]}");
    assert_int_equal(og_rt_read_array(t->json, "xs", (void **)&items,
                                          &count, sizeof(int32_t),
                                          og_rt_elem_int32, NULL, &t->r),
                     OG_E_RANGE);
    assert_error(t, OG_E_RANGE, "/xs/2",
                 "expected int32 (-2147483648 to 2147483647), got 3000000000");
}

static void elem_readers_report_current_path(void **state)
{
    fixture *t = *state;
    char *s = NULL;
    bool b = false;

    load(t, "[\"x\", 1]");
    og_rt_reader_init(&t->r, "/list/0", &t->err);
    assert_int_equal(og_rt_elem_string(&s, t->json->child, &t->r), 0);
    assert_string_equal(s, "x");
    og_rt_clear_string(&s);
    assert_null(s);
    assert_int_equal(og_rt_elem_bool(&b, t->json->child->next, &t->r),
                     OG_E_TYPE);
    assert_error(t, OG_E_TYPE, "/list/0", "expected boolean, got number");
    assert_int_equal(og_rt_elem_string(NULL, t->json->child, &t->r),
                     OG_E_ARG);
    og_rt_clear_string(NULL);
}

static void free_array_is_null_safe(void **state)
{
    (void)state;
    og_rt_free_array(NULL, 3, sizeof(char *), og_rt_clear_string);
}

/* ---- reading: depth ----------------------------------------------------- */

/* {"c": {"c": ...}} with `objects` objects in all. */
static cJSON *make_c_chain(int objects)
{
    cJSON *root = cJSON_CreateObject(), *cur = root;

    assert_non_null(root);
    for (int i = 1; i < objects; i++) {
        cJSON *next = cJSON_CreateObject();

        assert_non_null(next);
        assert_true(cJSON_AddItemToObject(cur, "c", next));
        cur = next;
    }
    return root;
}

/* {"k": [{"k": [...]}]}: `objects` objects, each but the last holding an
 * array of one; the last holds an empty "k" array when `tail`. */
static cJSON *make_k_chain(int objects, bool tail)
{
    cJSON *root = cJSON_CreateObject(), *cur = root;

    assert_non_null(root);
    for (int i = 1; i <= objects; i++) {
        cJSON *array = cJSON_CreateArray(), *next;

        assert_non_null(array);
        assert_true(cJSON_AddItemToObject(cur, "k", array));
        if (i == objects) {
            if (!tail)
                cJSON_DeleteItemFromObject(cur, "k");
            break;
        }
        assert_non_null(next = cJSON_CreateObject());
        assert_true(cJSON_AddItemToArray(array, next));
        cur = next;
    }
    return root;
}

static void repeat(char *out, const char *s, int n)
{
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        strcat(out, s);
}

static void read_depth_allows_64_levels(void **state)
{
    fixture *t = *state;

    t->json = make_c_chain(OG_RT_MAX_DEPTH);
    assert_int_equal(node_read(&t->node, t->json, &t->r), 0);
    assert_int_equal(t->r.depth, 1);
    node_clear(&t->node);
    cJSON_Delete(t->json);
    /* 32 objects and 31 arrays between them, plus an empty array: 64. */
    t->json = make_k_chain(32, true);
    assert_int_equal(node_read(&t->node, t->json, &t->r), 0);
}

static void read_depth_rejects_65_levels(void **state)
{
    fixture *t = *state;
    char path[256];

    t->json = make_c_chain(OG_RT_MAX_DEPTH + 1);
    assert_int_equal(node_read(&t->node, t->json, &t->r), OG_E_DEPTH);
    repeat(path, "/c", OG_RT_MAX_DEPTH);
    assert_error(t, OG_E_DEPTH, path, "nested deeper than 64 levels");
    assert_null(t->node.c);
    assert_int_equal(t->r.depth, 1);
    assert_string_equal(t->r.path, "");
}

static void read_depth_counts_arrays_and_elements(void **state)
{
    fixture *t = *state;
    char path[256];

    /* Objects and arrays alternate: the 32nd array is level 64, the 33rd
     * object inside it level 65. */
    t->json = make_k_chain(33, false);
    assert_int_equal(node_read(&t->node, t->json, &t->r), OG_E_DEPTH);
    repeat(path, "/k/0", 32);
    assert_error(t, OG_E_DEPTH, path, "nested deeper than 64 levels");
    assert_null(t->node.k);
    assert_int_equal(t->r.depth, 1);
}

static void read_depth_of_parsed_text_agrees_with_parse_limit(void **state)
{
    fixture *t = *state;
    char text[64 * 6 + 64 + 8];

    /* {"c":{"c":...{}}}: 64 objects parse and read. */
    repeat(text, "{\"c\":", OG_RT_MAX_DEPTH - 1);
    strcat(text, "{}");
    for (int i = 0; i < OG_RT_MAX_DEPTH - 1; i++)
        strcat(text, "}");
    load(t, text);
    assert_int_equal(node_read(&t->node, t->json, &t->r), 0);
}

/* ---- parsing ------------------------------------------------------------ */

static void parse_success(void **state)
{
    fixture *t = *state;

    load(t, " \r\n\t{\"a\": [1, \"二\", {\"b\": null}]}\n ");
    assert_true(cJSON_IsObject(t->json));
    assert_int_equal(t->err.code, 0);
}

static void parse_reports_syntax_error_offset(void **state)
{
    fixture *t = *state;
    const char *text = "[1, 2,, 3]";

    assert_int_equal(og_rt_parse(text, strlen(text), &t->json, &t->err),
                     OG_E_JSON);
    assert_error(t, OG_E_JSON, "", "syntax error at byte 6");
    assert_null(t->json);
}

static void parse_reports_truncated_input(void **state)
{
    fixture *t = *state;
    const char *text = "{\"a\": ";

    assert_int_equal(og_rt_parse(text, strlen(text), &t->json, &t->err),
                     OG_E_JSON);
    assert_error(t, OG_E_JSON, "", "syntax error at byte 5");
}

static void parse_rejects_trailing_data(void **state)
{
    fixture *t = *state;
    const char *text = "{} x";

    assert_int_equal(og_rt_parse(text, strlen(text), &t->json, &t->err),
                     OG_E_JSON);
    assert_error(t, OG_E_JSON, "",
                 "unexpected data after the JSON value at byte 3");
    assert_null(t->json);
    text = "{}{}";
    assert_int_equal(og_rt_parse(text, strlen(text), &t->json, &t->err),
                     OG_E_JSON);
    assert_error(t, OG_E_JSON, "",
                 "unexpected data after the JSON value at byte 2");
}

static void parse_rejects_empty_input(void **state)
{
    fixture *t = *state;

    assert_int_equal(og_rt_parse("", 0, &t->json, &t->err), OG_E_JSON);
    assert_error(t, OG_E_JSON, "", "empty input: no JSON value at byte 0");
    assert_int_equal(og_rt_parse(NULL, 0, &t->json, &t->err),
                     OG_E_JSON);
    assert_int_equal(og_rt_parse("  ", 2, &t->json, &t->err),
                     OG_E_JSON);
    assert_null(t->json);
}

static void parse_rejects_null_arguments(void **state)
{
    fixture *t = *state;

    assert_int_equal(og_rt_parse(NULL, 3, &t->json, &t->err), OG_E_ARG);
    assert_int_equal(og_rt_parse("{}", 2, NULL, &t->err), OG_E_ARG);
    assert_int_equal(og_rt_parse("{}", 2, &t->json, NULL), 0);
}

static void parse_only_reads_len_bytes(void **state)
{
    fixture *t = *state;
    static const char text[] = "{\"a\": 1}";
    char *exact = malloc(sizeof(text) - 1);

    /* No NUL terminator: ASan would catch a read past the end. */
    assert_non_null(exact);
    memcpy(exact, text, sizeof(text) - 1);
    assert_int_equal(og_rt_parse(exact, sizeof(text) - 1, &t->json,
                                     &t->err), 0);
    assert_true(cJSON_IsObject(t->json));
    cJSON_Delete(t->json);
    t->json = NULL;
    assert_int_equal(og_rt_parse(exact, 4, &t->json, &t->err),
                     OG_E_JSON);
    free(exact);
}

static void parse_rejects_invalid_utf8(void **state)
{
    static const struct {
        const char *text;
        const char *message;
    } cases[] = {
        { "{\"a\": \"\xff\"}", "invalid UTF-8 at byte 7" },
        { "{\"a\": \"x\xc0\xaf\"}", "invalid UTF-8 at byte 8" },   /* overlong */
        { "{\"a\": \"\xed\xa0\x80\"}", "invalid UTF-8 at byte 7" }, /* surrogate */
        { "{\"a\": \"\xf4\x90\x80\x80\"}", "invalid UTF-8 at byte 7" },
        { "{\"\x80\": 1}", "invalid UTF-8 at byte 2" },
        { "[\"\xe8\xb6\"]", "invalid UTF-8 at byte 2" },
        { "\"\xe8\xb6", "invalid UTF-8 at byte 1" }, /* cut at the end */
    };
    fixture *t = *state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(og_rt_parse(cases[i].text, strlen(cases[i].text),
                                         &t->json, &t->err),
                         OG_E_UTF8);
        assert_error(t, OG_E_UTF8, "", cases[i].message);
        assert_null(t->json);
    }
}

static void parse_accepts_valid_utf8(void **state)
{
    fixture *t = *state;

    load(t, "[\"超出预期\", \"\xf0\x9f\x98\x80\", \"\xef\xbf\xbf\", "
            "\"\xf4\x8f\xbf\xbf\", \"\\ud83d\\ude00\"]");
    assert_string_equal(t->json->child->next->valuestring, "\xf0\x9f\x98\x80");
    assert_string_equal(t->json->child->next->next->next->next->valuestring,
                        "\xf0\x9f\x98\x80");
}

static void parse_rejects_control_character_in_string(void **state)
{
    fixture *t = *state;
    const char text[] = "{\"a\": \"x\ny\"}";

    assert_int_equal(og_rt_parse(text, sizeof(text) - 1, &t->json,
                                     &t->err), OG_E_JSON);
    assert_error(t, OG_E_JSON, "",
                 "unescaped control character in a string at byte 8");
    /* An embedded NUL would silently cut the string short in cJSON. */
    assert_int_equal(og_rt_parse("\"a\0b\"", 5, &t->json, &t->err),
                     OG_E_JSON);
}

static void parse_depth_limit(void **state)
{
    fixture *t = *state;
    char text[2 * 70 + 1];

    repeat(text, "[", OG_RT_MAX_DEPTH);
    for (int i = 0; i < OG_RT_MAX_DEPTH; i++)
        strcat(text, "]");
    load(t, text);
    cJSON_Delete(t->json);
    t->json = NULL;
    repeat(text, "[", OG_RT_MAX_DEPTH + 1);
    for (int i = 0; i < OG_RT_MAX_DEPTH + 1; i++)
        strcat(text, "]");
    assert_int_equal(og_rt_parse(text, strlen(text), &t->json, &t->err),
                     OG_E_DEPTH);
    assert_error(t, OG_E_DEPTH, "",
                 "JSON nested deeper than 64 levels at byte 64");
    assert_null(t->json);
}

static void parse_survives_absurd_nesting(void **state)
{
    fixture *t = *state;
    size_t n = 1000000;
    char *text = malloc(n);

    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = i % 2 ? '{' : '[';
    assert_int_equal(og_rt_parse(text, n, &t->json, &t->err),
                     OG_E_DEPTH);
    free(text);
}

static void parse_ignores_brackets_in_strings(void **state)
{
    fixture *t = *state;
    char text[300];

    /* 100 brackets and an escaped quote inside a string are not nesting. */
    strcpy(text, "{\"a\": \"\\\"");
    for (int i = 0; i < 100; i++)
        strcat(text, "[{");
    strcat(text, "\"}");
    load(t, text);
}

/* ---- writing ------------------------------------------------------------ */

/* Prints obj compactly into a static buffer for comparisons. */
static const char *print(const cJSON *obj)
{
    static char buf[1024];
    char *s = cJSON_PrintUnformatted(obj);

    assert_non_null(s);
    snprintf(buf, sizeof(buf), "%s", s);
    cJSON_free(s);
    return buf;
}

static void write_string_only_when_set(void **state)
{
    fixture *t = *state;

    t->json = cJSON_CreateObject();
    assert_int_equal(og_rt_write_string(t->json, "a", NULL), 0);
    assert_int_equal(og_rt_write_string(t->json, "b", "超\"x"), 0);
    assert_string_equal(print(t->json), "{\"b\":\"超\\\"x\"}");
}

static void write_scalars_only_when_set(void **state)
{
    fixture *t = *state;

    t->json = cJSON_CreateObject();
    assert_int_equal(og_rt_write_int32(t->json, "i", false, 5), 0);
    assert_int_equal(og_rt_write_int64(t->json, "l", false, 5), 0);
    assert_int_equal(og_rt_write_float(t->json, "f", false,
                                           not_a_number()), 0);
    assert_int_equal(og_rt_write_bool(t->json, "b", false, true), 0);
    assert_string_equal(print(t->json), "{}");
    assert_int_equal(og_rt_write_int32(t->json, "i", true, INT32_MIN), 0);
    assert_int_equal(og_rt_write_int64(t->json, "l", true, -7), 0);
    assert_int_equal(og_rt_write_float(t->json, "f", true, 4.5), 0);
    assert_int_equal(og_rt_write_bool(t->json, "b", true, false), 0);
    assert_string_equal(print(t->json),
                        "{\"i\":-2147483648,\"l\":-7,\"f\":4.5,\"b\":false}");
}

static void write_int64_beyond_2_pow_53_is_exact(void **state)
{
    fixture *t = *state;

    t->json = cJSON_CreateObject();
    assert_int_equal(og_rt_write_int64(t->json, "a", true,
                                           INT64_C(9007199254740993)), 0);
    assert_int_equal(og_rt_write_int64(t->json, "b", true, INT64_MAX), 0);
    assert_int_equal(og_rt_write_int64(t->json, "c", true, INT64_MIN), 0);
    /* Below 2^53 but 16 digits: cJSON's own printer would round it. */
    assert_int_equal(og_rt_write_int64(t->json, "d", true,
                                           INT64_C(9007199254740991)), 0);
    assert_int_equal(og_rt_write_int64(t->json, "e", true,
                                           INT64_C(999999999999999)), 0);
    assert_string_equal(print(t->json),
                        "{\"a\":9007199254740993,\"b\":9223372036854775807,"
                        "\"c\":-9223372036854775808,\"d\":9007199254740991,"
                        "\"e\":999999999999999}");
    assert_true(cJSON_IsRaw(cJSON_GetObjectItem(t->json, "a")));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(t->json, "e")));
}

static void write_float_refuses_nan_and_infinity(void **state)
{
    fixture *t = *state;

    t->json = cJSON_CreateObject();
    assert_int_equal(og_rt_write_float(t->json, "n", true, not_a_number()),
                     OG_E_RANGE);
    assert_int_equal(og_rt_write_float(t->json, "i", true, infinity()),
                     OG_E_RANGE);
    assert_int_equal(og_rt_write_float(t->json, "m", true, -infinity()),
                     OG_E_RANGE);
    assert_int_equal(og_rt_write_float(t->json, "i", true, 3), 0);
    assert_string_equal(print(t->json), "{\"i\":3}");
}

static void writers_reject_null_object_or_key(void **state)
{
    int32_t one = 1;

    (void)state;
    assert_int_equal(og_rt_write_string(NULL, "a", "x"), OG_E_ARG);
    assert_int_equal(og_rt_write_int32(NULL, "a", true, 1), OG_E_ARG);
    assert_int_equal(og_rt_write_int64(NULL, "a", true, 1), OG_E_ARG);
    assert_int_equal(og_rt_write_float(NULL, "a", true, 1), OG_E_ARG);
    assert_int_equal(og_rt_write_bool(NULL, "a", true, 1), OG_E_ARG);
    assert_int_equal(og_rt_write_object(NULL, "a", &one, data_write),
                     OG_E_ARG);
    assert_int_equal(og_rt_write_array(NULL, "a", &one, 1, sizeof(one),
                                           og_rt_elem_write_int32, NULL),
                     OG_E_ARG);
    assert_int_equal(og_rt_elem_write_int32(&one, NULL), OG_E_ARG);
}

static void write_object_only_when_set(void **state)
{
    fixture *t = *state;
    probation_info_t p = { 0 };

    t->json = cJSON_CreateObject();
    assert_int_equal(data_write(&t->data, t->json), 0);
    assert_string_equal(print(t->json), "{}");
    p.status = "completed";
    t->data.probation_info = &p;
    assert_int_equal(data_write(&t->data, t->json), 0);
    t->data.probation_info = NULL;
    assert_string_equal(print(t->json),
                        "{\"probation_info\":{\"status\":\"completed\"}}");
}

static void write_object_failure_adds_nothing(void **state)
{
    fixture *t = *state;
    probation_info_t p = { 0 };

    p.has_score = true;
    p.score = infinity();
    t->data.probation_info = &p;
    t->json = cJSON_CreateObject();
    assert_int_equal(data_write(&t->data, t->json), OG_E_RANGE);
    t->data.probation_info = NULL;
    assert_string_equal(print(t->json), "{}");
}

static void write_array_empty_is_written_as_brackets(void **state)
{
    fixture *t = *state;
    char *none[1] = { NULL };

    t->json = cJSON_CreateObject();
    assert_int_equal(og_rt_write_array(t->json, "absent", NULL, 0,
                                           sizeof(char *),
                                           og_rt_elem_write_string, NULL),
                     0);
    assert_int_equal(og_rt_write_array(t->json, "empty", none, 0,
                                           sizeof(char *),
                                           og_rt_elem_write_string, NULL),
                     0);
    assert_string_equal(print(t->json), "{\"empty\":[]}");
}

static void write_array_of_each_scalar_type(void **state)
{
    fixture *t = *state;
    const char *s[] = { "a", "超" };
    int32_t i32[] = { 1, -2 };
    int64_t i64[] = { INT64_C(12345678901234567), 3 };
    double f[] = { 0.5, 2 };
    bool b[] = { true, false };

    t->json = cJSON_CreateObject();
    assert_int_equal(og_rt_write_array(t->json, "s", s, 2, sizeof(*s),
                                           og_rt_elem_write_string, NULL), 0);
    assert_int_equal(og_rt_write_array(t->json, "i", i32, 2, sizeof(*i32),
                                           og_rt_elem_write_int32, NULL), 0);
    assert_int_equal(og_rt_write_array(t->json, "l", i64, 2, sizeof(*i64),
                                           og_rt_elem_write_int64, NULL), 0);
    assert_int_equal(og_rt_write_array(t->json, "f", f, 2, sizeof(*f),
                                           og_rt_elem_write_float, NULL), 0);
    assert_int_equal(og_rt_write_array(t->json, "b", b, 2, sizeof(*b),
                                           og_rt_elem_write_bool, NULL), 0);
    assert_string_equal(print(t->json),
                        "{\"s\":[\"a\",\"超\"],\"i\":[1,-2],"
                        "\"l\":[12345678901234567,3],\"f\":[0.5,2],"
                        "\"b\":[true,false]}");
}

static void write_array_of_objects(void **state)
{
    fixture *t = *state;
    custom_field_t items[2] = { { "a", NULL }, { "b", "x" } };

    t->json = cJSON_CreateObject();
    assert_int_equal(og_rt_write_array(t->json, "custom_fields", items, 2,
                                           sizeof(*items), NULL,
                                           custom_field_write), 0);
    assert_string_equal(print(t->json),
                        "{\"custom_fields\":[{\"field_name\":\"a\"},"
                        "{\"field_name\":\"b\",\"value\":\"x\"}]}");
}

static void write_array_element_failure_adds_nothing(void **state)
{
    fixture *t = *state;
    double f[] = { 1, 0 };
    const char *s[] = { "a", NULL };

    f[1] = not_a_number();
    t->json = cJSON_CreateObject();
    assert_int_equal(og_rt_write_array(t->json, "f", f, 2, sizeof(*f),
                                           og_rt_elem_write_float, NULL),
                     OG_E_RANGE);
    assert_int_equal(og_rt_write_array(t->json, "s", s, 2, sizeof(*s),
                                           og_rt_elem_write_string, NULL),
                     OG_E_ARG);
    assert_string_equal(print(t->json), "{}");
}

static void write_array_rejects_bad_arguments(void **state)
{
    fixture *t = *state;
    int32_t one = 1;

    t->json = cJSON_CreateObject();
    assert_int_equal(og_rt_write_array(t->json, "a", NULL, 2, sizeof(one),
                                           og_rt_elem_write_int32, NULL),
                     OG_E_ARG);
    assert_int_equal(og_rt_write_array(t->json, "a", &one, 1, sizeof(one),
                                           NULL, NULL), OG_E_ARG);
    assert_int_equal(og_rt_write_array(t->json, "a", &one, 1, sizeof(one),
                                           og_rt_elem_write_int32,
                                           data_write), OG_E_ARG);
    assert_string_equal(print(t->json), "{}");
}

static void read_write_round_trip(void **state)
{
    fixture *t = *state;

    assert_int_equal(data_from_text(&t->data, sample, &t->err), 0);
    t->json = cJSON_CreateObject();
    assert_int_equal(data_write(&t->data, t->json), 0);
    assert_string_equal(print(t->json),
                        "{\"probation_info\":{\"status\":\"completed\","
                        "\"end_date\":\"2024-02-29\",\"hours\":40,\"score\":4.5,"
                        "\"id\":7140964208476371,\"final\":true,"
                        "\"custom_fields\":[{\"field_name\":\"a\",\"value\":\"x\"},"
                        "{\"field_name\":\"b\",\"value\":\"超出预期\"}],"
                        "\"tags\":[\"t1\",\"t2\"],\"ids\":[1,-2]}}");
}

/* ---- printing: the same bytes as cJSON_PrintUnformatted of the tree ----- */

static int custom_field_print(const void *in, og_rt_printer *p)
{
    const custom_field_t *o = in;
    int rc;

    if ((rc = og_rt_print_string(p, "field_name", o->field_name)) < 0)
        return rc;
    return og_rt_print_string(p, "value", o->value);
}

static int probation_info_print(const void *in, og_rt_printer *p)
{
    const probation_info_t *o = in;
    int rc;

    if ((rc = og_rt_print_string(p, "status", o->status)) < 0 ||
        (rc = og_rt_print_string(p, "end_date", o->end_date)) < 0 ||
        (rc = og_rt_print_int32(p, "hours", o->has_hours, o->hours)) < 0 ||
        (rc = og_rt_print_float(p, "score", o->has_score, o->score)) < 0 ||
        (rc = og_rt_print_int64(p, "id", o->has_id, o->id)) < 0 ||
        (rc = og_rt_print_bool(p, "final", o->has_final, o->final)) < 0)
        return rc;
    if ((rc = og_rt_print_array(p, "custom_fields", o->custom_fields,
                                    o->custom_fields_count,
                                    sizeof(custom_field_t), NULL,
                                    custom_field_print)) < 0)
        return rc;
    if ((rc = og_rt_print_array(p, "tags", o->tags, o->tags_count,
                                    sizeof(char *),
                                    og_rt_elem_print_string, NULL)) < 0)
        return rc;
    return og_rt_print_array(p, "ids", o->ids, o->ids_count,
                                 sizeof(int64_t), og_rt_elem_print_int64,
                                 NULL);
}

static int data_print(const void *in, og_rt_printer *p)
{
    const data_t *o = in;

    return og_rt_print_object(p, "probation_info", o->probation_info,
                                  probation_info_print);
}

/* Arrays of every scalar type, for printing and quick parsing. */
typedef struct scalars {
    int32_t *i32;
    size_t i32_count;
    int64_t *i64;
    size_t i64_count;
    double *f;
    size_t f_count;
    bool *b;
    size_t b_count;
    char **s;
    size_t s_count;
} scalars_t;

static int scalars_write(const void *in, cJSON *obj)
{
    const scalars_t *o = in;
    int rc;

    if ((rc = og_rt_write_array(obj, "i32", o->i32, o->i32_count,
                                    sizeof(int32_t),
                                    og_rt_elem_write_int32, NULL)) < 0 ||
        (rc = og_rt_write_array(obj, "i64", o->i64, o->i64_count,
                                    sizeof(int64_t),
                                    og_rt_elem_write_int64, NULL)) < 0 ||
        (rc = og_rt_write_array(obj, "f", o->f, o->f_count,
                                    sizeof(double),
                                    og_rt_elem_write_float, NULL)) < 0 ||
        (rc = og_rt_write_array(obj, "b", o->b, o->b_count, sizeof(bool),
                                    og_rt_elem_write_bool, NULL)) < 0)
        return rc;
    return og_rt_write_array(obj, "s", o->s, o->s_count, sizeof(char *),
                                 og_rt_elem_write_string, NULL);
}

static int scalars_print(const void *in, og_rt_printer *p)
{
    const scalars_t *o = in;
    int rc;

    if ((rc = og_rt_print_array(p, "i32", o->i32, o->i32_count,
                                    sizeof(int32_t),
                                    og_rt_elem_print_int32, NULL)) < 0 ||
        (rc = og_rt_print_array(p, "i64", o->i64, o->i64_count,
                                    sizeof(int64_t),
                                    og_rt_elem_print_int64, NULL)) < 0 ||
        (rc = og_rt_print_array(p, "f", o->f, o->f_count, sizeof(double),
                                    og_rt_elem_print_float, NULL)) < 0 ||
        (rc = og_rt_print_array(p, "b", o->b, o->b_count, sizeof(bool),
                                    og_rt_elem_print_bool, NULL)) < 0)
        return rc;
    return og_rt_print_array(p, "s", o->s, o->s_count, sizeof(char *),
                                 og_rt_elem_print_string, NULL);
}

static int scalars_read(void *out, const cJSON *json, og_rt_reader *r)
{
    scalars_t *o = out;
    int rc;

    if ((rc = og_rt_expect_object(json, r)) < 0 ||
        (rc = og_rt_read_array(json, "i32", (void **)&o->i32, &o->i32_count,
                                   sizeof(int32_t), og_rt_elem_int32, NULL,
                                   r)) < 0 ||
        (rc = og_rt_read_array(json, "i64", (void **)&o->i64, &o->i64_count,
                                   sizeof(int64_t), og_rt_elem_int64, NULL,
                                   r)) < 0 ||
        (rc = og_rt_read_array(json, "f", (void **)&o->f, &o->f_count,
                                   sizeof(double), og_rt_elem_float, NULL,
                                   r)) < 0 ||
        (rc = og_rt_read_array(json, "b", (void **)&o->b, &o->b_count,
                                   sizeof(bool), og_rt_elem_bool, NULL,
                                   r)) < 0)
        return rc;
    return og_rt_read_array(json, "s", (void **)&o->s, &o->s_count,
                                sizeof(char *), og_rt_elem_string,
                                og_rt_clear_string, r);
}


/* The text og_rt_print makes of `in` must be what cJSON prints of the
 * tree `write` builds. */
static void assert_print_matches(const void *in, og_rt_write_fn write,
                                 og_rt_print_fn print)
{
    cJSON *obj = cJSON_CreateObject();
    char *want, *got;

    assert_non_null(obj);
    assert_int_equal(write(in, obj), 0);
    want = cJSON_PrintUnformatted(obj);
    got = og_rt_print(in, print);
    assert_non_null(want);
    assert_non_null(got);
    if (strcmp(want, got) != 0)
        fail_msg("printed\n%s\ncJSON prints\n%s", got, want);
    cJSON_free(want);
    cJSON_free(got);
    cJSON_Delete(obj);
}

static uint64_t lcg_state = 88172645463325252u;

/* Deterministic pseudo-random numbers (xorshift64). */
static uint64_t next_random(void)
{
    lcg_state ^= lcg_state << 13;
    lcg_state ^= lcg_state >> 7;
    lcg_state ^= lcg_state << 17;
    return lcg_state;
}

static void print_matches_tree_for_sample(void **state)
{
    fixture *t = *state;

    assert_int_equal(data_from_text(&t->data, sample, &t->err), 0);
    assert_print_matches(&t->data, data_write, data_print);
    assert_print_matches(t->data.probation_info, probation_info_write,
                         probation_info_print);
}

static void print_escapes_strings_like_cjson(void **state)
{
    fixture *t = *state;
    char every[256], *tags[12], key[] = "k\"\\\n\x01/\x7f";
    probation_info_t p = { 0 };
    custom_field_t cf = { key, every };

    (void)t;
    for (int i = 1; i < 256; i++) /* every byte but NUL, UTF-8 or not */
        every[i - 1] = (char)i;
    every[255] = '\0';
    tags[0] = every;
    tags[1] = "";
    tags[2] = "/";
    tags[3] = "\"\\";
    tags[4] = "\b\f\n\r\t";
    tags[5] = "\x1f\x7f";
    tags[6] = "超出预期";
    tags[7] = "\xf0\x9f\x98\x80";
    tags[8] = "a\x01" "b\x10" "c";
    tags[9] = "\\u0000";
    tags[10] = "\xc3";
    tags[11] = "plain";
    p.status = every;
    p.tags = tags;
    p.tags_count = 12;
    p.custom_fields = &cf;
    p.custom_fields_count = 1;
    assert_print_matches(&p, probation_info_write, probation_info_print);
    for (int i = 1; i < 256; i++) { /* each byte on its own */
        char one[2] = { (char)i, '\0' };

        p.status = one;
        assert_print_matches(&p, probation_info_write, probation_info_print);
    }
}

static void print_numbers_like_cjson(void **state)
{
    static const double doubles[] = {
        0.0, 1.0, -1.0, 0.5, 0.1, 0.30000000000000004, 1.0 / 3, 2.0 / 3,
        100.0 / 3, 99.9, 4.5, -1.25e-3, 1e15, 1e15 - 1, 1e15 + 1, -1e15,
        -(1e15 - 1), 999999999999999.0, 123456789012345.6, 1e16, 1e17, 1e21,
        1e22, 1e300, 1.7976931348623157e308, -1.7976931348623157e308,
        2.2250738585072014e-308, 4.9406564584124654e-324, 1e-320, 1e-7,
        1e-5, 0.000001, 123.456, 2147483647.0, 2147483648.0, -2147483648.0,
        -2147483649.0, 4294967296.0, 9007199254740992.0, 9007199254740993.0,
        3.14159265358979, 2.718281828459045, 1.5e-10, -123456789.125,
        0.7999999999999999, 5e-324, 1e308, 12345678901234567890.0,
    };
    static const int64_t int64s[] = {
        0, 1, -1, 7, INT64_MAX, INT64_MIN, INT64_MIN + 1,
        INT64_C(999999999999999), -INT64_C(999999999999999),
        INT64_C(1000000000000000), -INT64_C(1000000000000000),
        INT64_C(9007199254740991), INT64_C(9007199254740992),
        INT64_C(9007199254740993), -INT64_C(9007199254740993),
        INT64_C(1000000000000000000), INT64_C(7140964208476371331),
        2147483647, 2147483648, -2147483648, -2147483649,
    };
    static const int32_t int32s[] = { 0, 1, -1, INT32_MAX, INT32_MIN,
                                      INT32_MIN + 1, 1000000, -999 };
    double f[sizeof(doubles) / sizeof(doubles[0]) + 500];
    int64_t i64[sizeof(int64s) / sizeof(int64s[0]) + 500];
    int32_t i32[sizeof(int32s) / sizeof(int32s[0]) + 500];
    bool b[3] = { true, false, true };
    scalars_t s = { 0 };
    size_t nf = 0, n64 = 0, n32 = 0;

    (void)state;
    for (size_t i = 0; i < sizeof(doubles) / sizeof(doubles[0]); i++) {
        f[nf++] = doubles[i];
        f[nf++] = -doubles[i];
    }
    for (size_t i = 0; i < sizeof(int64s) / sizeof(int64s[0]); i++)
        i64[n64++] = int64s[i];
    for (size_t i = 0; i < sizeof(int32s) / sizeof(int32s[0]); i++)
        i32[n32++] = int32s[i];
    /* random bit patterns: every finite double is fair game */
    while (nf < sizeof(f) / sizeof(f[0])) {
        uint64_t bits = next_random();
        double d;

        memcpy(&d, &bits, sizeof(d));
        if (isfinite(d)) {
            f[nf] = nf % 3 ? d : (double)(int64_t)(bits >> 12) / 1024;
            nf++;
        }
    }
    while (n64 < sizeof(i64) / sizeof(i64[0]))
        i64[n64++] = (int64_t)(next_random() >> (next_random() % 64));
    while (n32 < sizeof(i32) / sizeof(i32[0]))
        i32[n32++] = (int32_t)(uint32_t)(next_random() >> (next_random() % 64));
    s.f = f;
    s.f_count = nf;
    s.i64 = i64;
    s.i64_count = n64;
    s.i32 = i32;
    s.i32_count = n32;
    s.b = b;
    s.b_count = 3;
    assert_print_matches(&s, scalars_write, scalars_print);
    /* and each float as a field of its own, not only in an array */
    for (size_t i = 0; i < nf; i++) {
        probation_info_t p = { 0 };

        p.has_score = true;
        p.score = f[i];
        p.has_id = true;
        p.id = i64[i % n64];
        p.has_hours = true;
        p.hours = i32[i % n32];
        assert_print_matches(&p, probation_info_write, probation_info_print);
    }
}

/* A float goes out as the shortest text that reads back as the same
 * double, through the printer and through the cJSON tree alike: cJSON's
 * own "%1.15g" would send 99.99999999999999 as 100. */
static void floats_are_sent_exactly(void **state)
{
    static const struct { double v; const char *text; } cases[] = {
        { 99.99999999999999, "99.99999999999999" },
        { 0.1, "0.1" },
        { 4.5, "4.5" },
        { 1.0 / 3, "0.3333333333333333" },
        { 0.30000000000000004, "0.30000000000000004" },
        { 0.7999999999999999, "0.7999999999999999" },
        { -2.5e-7, "-2.5e-07" },
        { 1e21, "1e+21" },
        { 42.0, "42" },
        { 123456789012345.0, "123456789012345" },
    };
    char want[64], num[32];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        probation_info_t p = { 0 };
        cJSON *obj = cJSON_CreateObject();
        char *tree, *direct;

        p.has_score = true;
        p.score = cases[i].v;
        snprintf(want, sizeof(want), "{\"score\":%s}", cases[i].text);
        assert_int_equal(probation_info_write(&p, obj), 0);
        tree = cJSON_PrintUnformatted(obj);
        direct = og_rt_print(&p, probation_info_print);
        assert_string_equal(direct, want);
        assert_string_equal(tree, want);
        assert_int_equal(og_rt_format_double(num, sizeof(num), cases[i].v), 0);
        assert_string_equal(num, cases[i].text);
        cJSON_free(tree);
        cJSON_free(direct);
        cJSON_Delete(obj);
    }
    /* any finite double reads back exactly */
    for (int i = 0; i < 20000; i++) {
        uint64_t bits = next_random();
        double d;

        memcpy(&d, &bits, sizeof(d));
        if (!isfinite(d))
            continue;
        assert_int_equal(og_rt_format_double(num, sizeof(num), d), 0);
        if (strtod(num, NULL) != d)
            fail_msg("%s does not read back as %.17g", num, d);
    }
    assert_int_equal(og_rt_format_double(num, sizeof(num), not_a_number()),
                     OG_E_RANGE);
    assert_int_equal(og_rt_format_double(num, 4, 0.125), OG_E_RANGE);
    assert_int_equal(og_rt_format_double(NULL, 4, 1), OG_E_ARG);
}

static void print_empty_and_absent_arrays_like_cjson(void **state)
{
    char *none[1] = { NULL };
    int64_t ids[1] = { 0 };
    custom_field_t cf[1] = { { NULL, NULL } };
    probation_info_t p = { 0 };
    data_t d = { 0 };

    (void)state;
    assert_print_matches(&p, probation_info_write, probation_info_print);
    assert_print_matches(&d, data_write, data_print);
    p.tags = none;
    p.ids = ids;
    p.custom_fields = cf;
    assert_print_matches(&p, probation_info_write, probation_info_print);
    p.custom_fields_count = 1; /* [{}] */
    d.probation_info = &p;
    assert_print_matches(&d, data_write, data_print);
}

static void print_grows_beyond_its_first_buffer(void **state)
{
    char *tags[400], long_value[9000];
    probation_info_t p = { 0 };

    (void)state;
    for (size_t i = 0; i < sizeof(long_value) - 1; i++)
        long_value[i] = i % 97 == 0 ? '\n' : (char)('a' + i % 26);
    long_value[sizeof(long_value) - 1] = '\0';
    for (size_t i = 0; i < 400; i++)
        tags[i] = i % 50 ? "tag\t超" : long_value;
    p.tags = tags;
    p.tags_count = 400;
    p.status = long_value;
    assert_print_matches(&p, probation_info_write, probation_info_print);
}

static void print_fails_where_writing_fails(void **state)
{
    probation_info_t p = { 0 };
    custom_field_t cf = { "a", "b" };
    char *tags[2] = { "a", NULL };
    double f[2] = { 1, 0 };
    scalars_t s = { 0 };
    data_t d = { 0 };

    (void)state;
    p.has_score = true;
    p.score = not_a_number();
    assert_null(og_rt_print(&p, probation_info_print));
    p.score = -infinity();
    d.probation_info = &p;
    assert_null(og_rt_print(&d, data_print)); /* nested */
    p.has_score = false;
    p.tags = tags;
    p.tags_count = 2;
    assert_null(og_rt_print(&p, probation_info_print));
    p.tags = NULL;
    assert_null(og_rt_print(&p, probation_info_print)); /* 2 items, no storage */
    p.tags_count = 0;
    p.custom_fields = &cf;
    p.custom_fields_count = 1;
    assert_non_null(d.probation_info);
    f[1] = infinity();
    s.f = f;
    s.f_count = 2;
    assert_null(og_rt_print(&s, scalars_print));
    assert_null(og_rt_print(NULL, scalars_print));
    assert_null(og_rt_print(&s, NULL));
}

static void printers_reject_bad_arguments(void **state)
{
    int32_t one = 1;

    (void)state;
    assert_int_equal(og_rt_print_string(NULL, "a", "x"), OG_E_ARG);
    assert_int_equal(og_rt_print_int32(NULL, "a", true, 1), OG_E_ARG);
    assert_int_equal(og_rt_print_int64(NULL, "a", true, 1), OG_E_ARG);
    assert_int_equal(og_rt_print_float(NULL, "a", true, 1), OG_E_ARG);
    assert_int_equal(og_rt_print_bool(NULL, "a", true, 1), OG_E_ARG);
    assert_int_equal(og_rt_print_object(NULL, "a", &one, data_print),
                     OG_E_ARG);
    assert_int_equal(og_rt_print_array(NULL, "a", &one, 1, sizeof(one),
                                           og_rt_elem_print_int32, NULL),
                     OG_E_ARG);
    assert_int_equal(og_rt_elem_print_int32(&one, NULL), OG_E_ARG);
    assert_int_equal(og_rt_elem_print_string(NULL, NULL), OG_E_ARG);
}

/* A printer that misuses the array printer returns what the writer would. */
static int bad_array_print(const void *in, og_rt_printer *p)
{
    int32_t one = 1;
    int rc;

    (void)in;
    if ((rc = og_rt_print_array(p, "a", &one, 1, sizeof(one), NULL,
                                    NULL)) != OG_E_ARG ||
        (rc = og_rt_print_array(p, "a", &one, 1, sizeof(one),
                                    og_rt_elem_print_int32,
                                    data_print)) != OG_E_ARG ||
        (rc = og_rt_print_array(p, "a", &one, 1, 0,
                                    og_rt_elem_print_int32,
                                    NULL)) != OG_E_ARG ||
        (rc = og_rt_print_array(p, NULL, &one, 1, sizeof(one),
                                    og_rt_elem_print_int32,
                                    NULL)) != OG_E_ARG ||
        (rc = og_rt_print_object(p, "o", &one, NULL)) != OG_E_ARG)
        return -100;
    return og_rt_print_array(p, "absent", NULL, 0, sizeof(one),
                                 og_rt_elem_print_int32, NULL);
}

static void print_array_rejects_bad_arguments(void **state)
{
    int32_t one = 1;
    char *text = og_rt_print(&one, bad_array_print);

    (void)state;
    assert_non_null(text);
    assert_string_equal(text, "{}");
    cJSON_free(text);
}

static void oom_during_print_fails_cleanly(void **state)
{
    char *tags[300];
    probation_info_t p = { 0 };
    char *text = NULL;
    long n;

    (void)state;
    for (size_t i = 0; i < 300; i++)
        tags[i] = "a tag that takes some room";
    p.tags = tags;
    p.tags_count = 300;
    for (n = 0;; n++) {
        fail_allocation(n);
        text = og_rt_print(&p, probation_info_print);
        stop_failing();
        if (!alloc_failed)
            break;
        assert_null(text);
    }
    assert_non_null(text);
    assert_true(n >= 2); /* the heap buffer grew, then the result */
    cJSON_free(text);
}

/* ---- quick parsing: the tree path's result or nothing ------------------- */

static const og_rt_field custom_field_fields[] = {
    { .key = "field_name", .rule = &field_name_rule, .type = NULL, .offset = offsetof(custom_field_t, field_name),
      .flag_offset = 0, .key_len = 10, .kind = OG_RT_STRING,
      .flags = 0 },
    { .key = "value", .rule = &value_rule, .type = NULL, .offset = offsetof(custom_field_t, value),
      .flag_offset = 0, .key_len = 5, .kind = OG_RT_STRING,
      .flags = 0 },
};
static const og_rt_type custom_field_type = {
    sizeof(custom_field_t), custom_field_fields, 2 };

/* The rules of probation_info_check, for the walker's checks. */
static const og_rt_array_rule tags_rule = { false, -1, -1, &tag_rule };

static const og_rt_field probation_info_fields[] = {
    /* (a plain key is copied as it is: printed the same as the others) */
    { .key = "status", .rule = &status_rule, .type = NULL, .offset = offsetof(probation_info_t, status),
      .flag_offset = 0, .key_len = 6, .kind = OG_RT_STRING,
      .flags = OG_RT_PLAIN_KEY },
    { .key = "end_date", .rule = &end_date_rule, .type = NULL, .offset = offsetof(probation_info_t, end_date),
      .flag_offset = 0, .key_len = 8, .kind = OG_RT_STRING,
      .flags = 0 },
    { .key = "hours", .rule = &hours_rule, .type = NULL, .offset = offsetof(probation_info_t, hours),
      .flag_offset = offsetof(probation_info_t, has_hours), .key_len = 5, .kind = OG_RT_INT32,
      .flags = 0 },
    { .key = "score", .type = NULL, .offset = offsetof(probation_info_t, score),
      .flag_offset = offsetof(probation_info_t, has_score), .key_len = 5, .kind = OG_RT_FLOAT,
      .flags = 0 },
    { .key = "id", .type = NULL, .offset = offsetof(probation_info_t, id),
      .flag_offset = offsetof(probation_info_t, has_id), .key_len = 2, .kind = OG_RT_INT64,
      .flags = 0 },
    { .key = "final", .type = NULL, .offset = offsetof(probation_info_t, final),
      .flag_offset = offsetof(probation_info_t, has_final), .key_len = 5, .kind = OG_RT_BOOL,
      .flags = OG_RT_REQUIRED },
    { .key = "custom_fields", .rule = &custom_fields_rule, .type = &custom_field_type, .offset = offsetof(probation_info_t, custom_fields),
      .flag_offset = offsetof(probation_info_t, custom_fields_count), .key_len = 13, .kind = OG_RT_OBJECT,
      .flags = OG_RT_ARRAY | OG_RT_PLAIN_KEY },
    { .key = "tags", .rule = &tags_rule, .type = NULL, .offset = offsetof(probation_info_t, tags),
      .flag_offset = offsetof(probation_info_t, tags_count), .key_len = 4, .kind = OG_RT_STRING,
      .flags = OG_RT_ARRAY },
    { .key = "ids", .type = NULL, .offset = offsetof(probation_info_t, ids),
      .flag_offset = offsetof(probation_info_t, ids_count), .key_len = 3, .kind = OG_RT_INT64,
      .flags = OG_RT_ARRAY },
};
static const og_rt_type probation_info_type = {
    sizeof(probation_info_t), probation_info_fields, 9 };

static const og_rt_field data_fields[] = {
    { .key = "probation_info", .type = &probation_info_type, .offset = offsetof(data_t, probation_info),
      .flag_offset = 0, .key_len = 14, .kind = OG_RT_OBJECT,
      .flags = 0 },
};
static const og_rt_type data_type = { sizeof(data_t), data_fields, 1 };

static const og_rt_field scalars_fields[] = {
    { .key = "i32", .type = NULL, .offset = offsetof(scalars_t, i32),
      .flag_offset = offsetof(scalars_t, i32_count), .key_len = 3, .kind = OG_RT_INT32,
      .flags = OG_RT_ARRAY },
    { .key = "i64", .type = NULL, .offset = offsetof(scalars_t, i64),
      .flag_offset = offsetof(scalars_t, i64_count), .key_len = 3, .kind = OG_RT_INT64,
      .flags = OG_RT_ARRAY },
    { .key = "f", .type = NULL, .offset = offsetof(scalars_t, f),
      .flag_offset = offsetof(scalars_t, f_count), .key_len = 1, .kind = OG_RT_FLOAT,
      .flags = OG_RT_ARRAY },
    { .key = "b", .type = NULL, .offset = offsetof(scalars_t, b),
      .flag_offset = offsetof(scalars_t, b_count), .key_len = 1, .kind = OG_RT_BOOL,
      .flags = OG_RT_ARRAY },
    { .key = "s", .type = NULL, .offset = offsetof(scalars_t, s),
      .flag_offset = offsetof(scalars_t, s_count), .key_len = 1, .kind = OG_RT_STRING,
      .flags = OG_RT_ARRAY },
};
static const og_rt_type scalars_type = { sizeof(scalars_t), scalars_fields,
                                             5 };

typedef struct quick_case {
    const og_rt_type *type;
    og_rt_read_fn read;
    og_rt_print_fn print;
} quick_case;

static const quick_case probation_case = { &probation_info_type,
                                           probation_info_read,
                                           probation_info_print };
static const quick_case scalars_case = { &scalars_type, scalars_read,
                                         scalars_print };
static const quick_case data_case = { &data_type, data_read, data_print };

/* What the tree path makes of text: 0 and a struct, or an error. */
static int tree_path(const quick_case *qc, const char *text, size_t len,
                     void **out)
{
    og_error_t err;
    og_rt_reader r;
    cJSON *root = NULL;
    void *obj;
    int rc;

    *out = NULL;
    if ((rc = og_rt_parse(text, len, &root, &err)) < 0)
        return rc;
    assert_non_null(obj = calloc(1, qc->type->size));
    og_rt_reader_init(&r, "", &err);
    if ((rc = qc->read(obj, root, &r)) < 0) {
        og_rt_free(qc->type, obj);
    } else {
        *out = obj;
    }
    cJSON_Delete(root);
    return rc;
}

/* The quick path gives up, or reads exactly what the tree path reads
 * (compared through the printer, which shows every field that is set).
 * Returns whether it read the text. */
static bool quick_agrees(const quick_case *qc, const char *text, size_t len)
{
    void *quick = (void *)&quick, *tree = NULL;
    bool took = og_rt_quick_parse(text, len, qc->type, &quick);
    int rc = tree_path(qc, text, len, &tree);

    if (!took) {
        assert_ptr_equal(quick, (void *)&quick); /* untouched */
    } else {
        char *a = og_rt_print(quick, qc->print);
        char *b = rc == 0 ? og_rt_print(tree, qc->print) : NULL;

        if (rc != 0 || a == NULL || b == NULL || strcmp(a, b) != 0)
            fail_msg("quick path and tree path differ on %.*s:\n"
                     "quick: %s\ntree (rc %d): %s", (int)len, text,
                     a ? a : "NULL", rc, b ? b : "NULL");
        cJSON_free(a);
        cJSON_free(b);
        og_rt_free(qc->type, quick);
    }
    if (tree != NULL) {
        og_rt_free(qc->type, tree);
    }
    return took;
}

static void assert_quick_takes(const quick_case *qc, const char *text)
{
    if (!quick_agrees(qc, text, strlen(text)))
        fail_msg("the quick path gave up on %s", text);
}

static void assert_quick_gives_up(const quick_case *qc, const char *text,
                                  size_t len)
{
    if (quick_agrees(qc, text, len))
        fail_msg("the quick path took %.*s", (int)len, text);
}

static void quick_parse_reads_what_the_tree_path_reads(void **state)
{
    static const char *const takes[] = {
        "{}",
        " \t\r\n{ \"status\" : \"x\" , \"hours\" : 4 }\n ",
        "{\"status\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
        "{\"status\":\"\\u00e9\\u4e2d\\u0041\\u007f\\u0080\\u07ff\\u0800\\uffff\\uE000\"}",
        "{\"status\":\"超出预期 \xf0\x9f\x98\x80\"}",
        "{\"status\":null,\"end_date\":null,\"hours\":null,\"score\":null,"
        "\"id\":null,\"final\":null,\"custom_fields\":null,\"tags\":null}",
        "{\"hours\":-0,\"score\":-0,\"id\":-0}",
        "{\"hours\":4.0,\"score\":1e2,\"id\":1E+2}",
        "{\"hours\":2147483647,\"id\":9007199254740991}",
        "{\"hours\":-2147483648,\"id\":-9007199254740991}",
        "{\"score\":1.7976931348623157e308,\"id\":123456789012345}",
        "{\"score\":0.1,\"final\":false}",
        "{\"score\":1e-400}",
        "{\"score\":123456789012345678901234567890}",
        "{\"custom_fields\":[],\"tags\":[],\"ids\":[]}",
        "{\"custom_fields\":[{},{\"value\":\"v\",\"field_name\":\"n\"}]}",
        "{\"tags\":[\"a\",\"\",\"\\u00e9\"],\"ids\":[1,-2,3e0]}",
        "{\"unknown\":{\"a\":[1,{\"b\":[true,false,null,\"\\u00e9\"]}]},"
        "\"status\":\"s\"}",
        "{\"status\":\"a\",\"unknown\":1,\"unknown\":2}",
        "{\"ids\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}",
        "{\"\xe5\x90\x8d\":1,\"status\":\"x\"}",
    };
    static const char *const gives_up[] = {
        "", " ", "[]", "null", "1", "\"s\"", "{", "{}}", "{} x", "{},",
        "\xef\xbb\xbf{}",                         /* BOM */
        "{\x01}",                                 /* cJSON's "space" */
        "{\"status\":\"x\",\"status\":\"y\"}",    /* twice: the first wins */
        "{\"status\":null,\"status\":\"y\"}",
        "{\"stat\\u0075s\":\"x\"}",               /* escaped key */
        "{\"status\":\"a\\u0000b\"}",
        "{\"status\":\"\\ud83d\\ude00\"}",
        "{\"status\":\"\\ud83d\"}",
        "{\"status\":\"\\x\"}",
        "{\"status\":\"\\u12\"}",
        "{\"status\":\"a\nb\"}",
        "{\"status\":\"\xc3\"}",
        "{\"status\":\"\xed\xa0\x80\"}",
        "{\"status\":5}",
        "{\"hours\":\"4\"}",
        "{\"hours\":4.5}",
        "{\"hours\":2147483648}",
        "{\"hours\":01}",
        "{\"hours\":+1}",
        "{\"hours\":.5}",
        "{\"hours\":1.}",
        "{\"hours\":1e}",
        "{\"hours\":-}",
        "{\"hours\":1.5.3}",
        "{\"hours\":0x10}",
        "{\"score\":1e999}",
        "{\"score\":Infinity}",
        "{\"score\":NaN}",
        "{\"id\":9007199254740992}",
        "{\"final\":1}",
        "{\"final\":truex}",
        "{\"final\":tru}",
        "{\"custom_fields\":{}}",
        "{\"custom_fields\":[null]}",
        "{\"custom_fields\":[1]}",
        "{\"custom_fields\":[{\"value\":1}]}",
        "{\"tags\":[\"a\",]}",
        "{\"tags\":[\"a\" \"b\"]}",
        "{\"ids\":[1,null]}",
        "{\"ids\":[1.5]}",
        "{\"status\":\"x\",}",
        "{\"status\" \"x\"}",
        "{status:\"x\"}",
        "{'status':'x'}",
        "{\"unknown\":[1,]}",
        "{\"unknown\":{\"a\":01}}",
        "{\"unknown\":\"\\ud800\"}",
        "{\"unknown\":\"\\u0000\"}",
        "{\"unknown\":\"\xff\"}",
        "{\"unknown\":\x80}",
        "{\"unknown\":nul}",
        "{\"unknown\":[1 2]}",
        "{\"unknown\":{\"a\" 1}}",
        "{\"unknown\":{1:2}}",
        "{\"hours\":1234567890123456789012345678901234567890123456789012345678901234}",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(takes) / sizeof(takes[0]); i++)
        assert_quick_takes(&probation_case, takes[i]);
    for (size_t i = 0; i < sizeof(gives_up) / sizeof(gives_up[0]); i++)
        assert_quick_gives_up(&probation_case, gives_up[i],
                              strlen(gives_up[i]));
    assert_quick_gives_up(&probation_case, "{\"x\":\"\0\"}", 9);
    assert_quick_gives_up(&probation_case, "{\"status\":\"x\"}\0", 15);
    assert_quick_takes(&scalars_case,
                       "{\"i32\":[-0,1e3,2147483647],\"i64\":[0,-9007199254740991],"
                       "\"f\":[0.5,1e-7,-1e300,3],\"b\":[true,false],"
                       "\"s\":[\"x\",\"\\n\"]}");
    assert_quick_gives_up(&scalars_case, "{\"b\":[true,1]}", 14);
    assert_quick_gives_up(&scalars_case, "{\"f\":[1,1e400]}", 15);
    assert_quick_gives_up(&scalars_case, "{\"s\":[\"x\",null]}", 16);
    assert_quick_takes(&data_case, "{\"probation_info\":{\"status\":\"s\"}}");
    assert_quick_takes(&data_case, "{\"probation_info\":null}");
    assert_quick_gives_up(&data_case, "{\"probation_info\":[]}", 21);
}

/* {"unknown": [[[...]]]} or {"custom_fields": [{"value": ...}]} near the
 * depth limit: the quick path gives up exactly where prescan would. */
static void quick_parse_depth_agrees_with_parse_limit(void **state)
{
    char text[2 * 80 + 64];

    (void)state;
    for (int depth = 60; depth <= 70; depth++) {
        size_t n = 0;

        n += (size_t)sprintf(text, "{\"unknown\":");
        for (int i = 1; i < depth; i++)
            text[n++] = '[';
        for (int i = 1; i < depth; i++)
            text[n++] = ']';
        text[n++] = '}';
        text[n] = '\0';
        if (depth <= OG_RT_MAX_DEPTH)
            assert_quick_takes(&probation_case, text);
        else
            assert_quick_gives_up(&probation_case, text, n);
    }
}

/* Mutations of the sample: every byte replaced by, and every position given,
 * a byte or token that often matters; the quick path must agree or give
 * up each time. */
static void quick_parse_agrees_on_mutations(void **state)
{
    static const char *const tokens[] = {
        "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "0", "-", ".", "e",
        "n", "t", "u", "/", "1", "\x01", "\x7f", "\x80", "\xc3", "\xff",
        "\\u0000", "\\ud83d\\ude00", "\\u00e9", "1e999", "-0", "01", "null",
        "[]", "{}", "\"status\":\"x\",", "\"ids\":[1],", "\"hours\":1,",
    };
    const char *text = strstr(sample, "{\"status\"");
    size_t len = strlen(text) - 2, taken = 0, cases = 0;
    char buf[1024];

    (void)state;
    assert_true(quick_agrees(&probation_case, text, len));
    for (size_t at = 0; at <= len; at++)
        for (size_t k = 0; k < sizeof(tokens) / sizeof(tokens[0]); k++) {
            size_t tl = strlen(tokens[k]);

            /* insert at `at` */
            memcpy(buf, text, at);
            memcpy(buf + at, tokens[k], tl);
            memcpy(buf + at + tl, text + at, len - at);
            taken += quick_agrees(&probation_case, buf, len + tl);
            cases++;
            if (at == len)
                continue;
            /* replace the byte at `at` */
            memcpy(buf, text, at);
            memcpy(buf + at, tokens[k], tl);
            memcpy(buf + at + tl, text + at + 1, len - at - 1);
            taken += quick_agrees(&probation_case, buf, len - 1 + tl);
            cases++;
        }
    /* most mutants are broken JSON, but many are read quickly */
    assert_true(taken > cases / 20);
}

/* ---- lazy paths ---------------------------------------------------------- */

/* Every step adds at least "/" to the path, so steps beyond the 255th can
 * never show: the reader keeps only that many, and counts the rest. */
static void read_path_of_many_steps_is_cut_at_255_bytes(void **state)
{
    fixture *t = *state;
    char want[256];

    load(t, "[1]");
    og_rt_reader_init(&t->r, "/r", &t->err);
    for (size_t i = 0; i < OG_RT_MAX_FRAMES; i++) {
        t->r.frames[i].key = i % 2 ? "" : NULL;
        t->r.frames[i].index = 7;
    }
    t->r.frame_count = 300;
    assert_int_equal(og_rt_expect_object(t->json, &t->r), OG_E_TYPE);
    /* "/r", then "/7" and "/" by turns until 255 bytes are full */
    strcpy(want, "/r");
    for (size_t n = 2, i = 0; n < 255; i++) {
        want[n++] = '/';
        if (i % 2 == 0 && n < 255)
            want[n++] = '7';
    }
    want[255] = '\0';
    assert_string_equal(t->err.path, want);
    assert_string_equal(t->err.message, "expected object, got array");
    assert_int_equal(t->r.frame_count, 300);
}

/* ---- validation: strings ------------------------------------------------ */

static void check_string_required(void **state)
{
    fixture *t = *state;

    og_rt_check_string(&t->c, "status", "completed", &status_rule);
    assert_violations(t, 0);
    og_rt_check_string(&t->c, "status", NULL, &status_rule);
    assert_violations(t, 1);
    assert_violation(t, 0, "/status", "is required");
}

static void check_string_optional_may_be_absent(void **state)
{
    fixture *t = *state;

    og_rt_check_string(&t->c, "end_date", NULL, &end_date_rule);
    og_rt_check_string(&t->c, "x", NULL, NULL);
    assert_violations(t, 0);
}

static void check_string_non_empty(void **state)
{
    fixture *t = *state;
    static const og_rt_string_rule rule = { false, true, -1, -1, false,
                                                NULL, 0 };

    og_rt_check_string(&t->c, "a", "x", &rule);
    assert_violations(t, 0);
    og_rt_check_string(&t->c, "a", "", &rule);
    assert_violations(t, 1);
    assert_violation(t, 0, "/a", "must not be empty");
}

static void check_string_max_length_counts_characters(void **state)
{
    fixture *t = *state;
    char s[101 * 3 + 1];

    for (int i = 0; i < 101; i++)
        memcpy(s + 3 * i, "超", 3);
    s[100 * 3] = '\0'; /* 100 characters, 300 bytes */
    og_rt_check_string(&t->c, "value", s, &value_rule);
    assert_violations(t, 0);
    memcpy(s + 100 * 3, "超", 3);
    s[101 * 3] = '\0';
    og_rt_check_string(&t->c, "value", s, &value_rule);
    assert_violations(t, 1);
    assert_violation(t, 0, "/value", "must be at most 100 characters (has 101)");
}

static void check_string_min_length(void **state)
{
    fixture *t = *state;
    static const og_rt_string_rule two = { false, false, 2, -1, false,
                                               NULL, 0 };
    static const og_rt_string_rule one = { false, false, 1, 1, false,
                                               NULL, 0 };

    og_rt_check_string(&t->c, "a", "超出", &two);
    og_rt_check_string(&t->c, "b", "\xf0\x9f\x98\x80", &one);
    assert_violations(t, 0);
    og_rt_check_string(&t->c, "a", "超", &two);
    og_rt_check_string(&t->c, "b", "", &one);
    og_rt_check_string(&t->c, "b", "ab", &one);
    assert_violations(t, 3);
    assert_violation(t, 0, "/a", "must be at least 2 characters (has 1)");
    assert_violation(t, 1, "/b", "must be at least 1 character (has 0)");
    assert_violation(t, 2, "/b", "must be at most 1 character (has 2)");
}

static void check_string_enum(void **state)
{
    fixture *t = *state;

    og_rt_check_string(&t->c, "status", "no_need", &status_rule);
    assert_violations(t, 0);
    og_rt_check_string(&t->c, "status", "Completed", &status_rule);
    assert_violations(t, 1);
    assert_violation(t, 0, "/status",
                     "must be one of: not_started, in_process, completed, "
                     "no_need");
}

static void check_string_date(void **state)
{
    fixture *t = *state;

    og_rt_check_string(&t->c, "end_date", "2024-02-29", &end_date_rule);
    assert_violations(t, 0);
    og_rt_check_string(&t->c, "end_date", "2023-02-29", &end_date_rule);
    assert_violations(t, 1);
    assert_violation(t, 0, "/end_date", "must be a date YYYY-MM-DD that exists");
}

static void check_string_invalid_utf8(void **state)
{
    fixture *t = *state;

    og_rt_check_string(&t->c, "a", "ok 超", NULL);
    assert_violations(t, 0);
    og_rt_check_string(&t->c, "a", "bad \xc3", NULL);
    og_rt_check_string(&t->c, "status", "\xff", &status_rule);
    assert_violations(t, 2);
    assert_violation(t, 0, "/a", "is not valid UTF-8");
    assert_violation(t, 1, "/status", "is not valid UTF-8");
}

static void check_string_reports_first_broken_rule_only(void **state)
{
    fixture *t = *state;
    static const og_rt_string_rule rule = { true, true, 3, -1, false,
                                                status_values, 4 };

    og_rt_check_string(&t->c, "a", "", &rule);
    assert_violations(t, 1);
    assert_violation(t, 0, "/a", "must not be empty");
}

/* ---- validation: numbers ------------------------------------------------ */

static void check_number_range(void **state)
{
    fixture *t = *state;
    static const og_rt_number_rule at_least = { false, true, false, 0.5, 0,
                                                    NULL, 0, false, 0 };
    static const og_rt_number_rule at_most = { false, false, true, 0, 10,
                                                   NULL, 0, false, 0 };

    og_rt_check_number(&t->c, "hours", true, 0, &hours_rule);
    og_rt_check_number(&t->c, "hours", true, 168, &hours_rule);
    og_rt_check_number(&t->c, "x", true, 0.5, &at_least);
    og_rt_check_number(&t->c, "y", true, 10, &at_most);
    assert_violations(t, 0);
    og_rt_check_number(&t->c, "hours", true, 169, &hours_rule);
    og_rt_check_number(&t->c, "hours", true, -1, &hours_rule);
    og_rt_check_number(&t->c, "x", true, 0.25, &at_least);
    og_rt_check_number(&t->c, "y", true, 10.5, &at_most);
    assert_violations(t, 4);
    assert_violation(t, 0, "/hours", "must be between 0 and 168 (is 169)");
    assert_violation(t, 1, "/hours", "must be between 0 and 168 (is -1)");
    assert_violation(t, 2, "/x", "must be at least 0.5 (is 0.25)");
    assert_violation(t, 3, "/y", "must be at most 10 (is 10.5)");
}

/* decimals: places of the shortest text that reads back exactly, so no
 * two-place value fails through binary noise (37.55 is stored as
 * 37.549999999999997), and every three-place one fails. */
static void check_number_decimals(void **state)
{
    fixture *t = *state;
    static const og_rt_number_rule two = { false, false, false, 0, 0,
                                               NULL, 0, true, 2 };
    static const og_rt_number_rule none = { false, false, false, 0, 0,
                                                NULL, 0, true, 0 };
    int i;

    og_rt_check_number(&t->c, "h", true, 37.55, &two);
    og_rt_check_number(&t->c, "h", true, 40.1, &two);
    og_rt_check_number(&t->c, "h", true, strtod("0.07", NULL), &two);
    og_rt_check_number(&t->c, "h", true, 1e-2, &two);
    og_rt_check_number(&t->c, "h", true, -12.34, &two);
    og_rt_check_number(&t->c, "h", true, 1e20, &two);
    og_rt_check_number(&t->c, "n", true, 8, &none);
    for (i = 0; i <= 100000; i++)
        og_rt_check_number(&t->c, "h", true, i / 100.0, &two);
    assert_violations(t, 0);
    for (i = 1; i <= 2000; i++) {
        if (i % 10 == 0)
            continue;
        og_rt_check_number(&t->c, "h", true, i / 1000.0, &two);
        if (t->v.count != 1)
            fail_msg("%g passes two decimal places", i / 1000.0);
        og_violations_free(&t->v);
        og_rt_checker_init(&t->c, &t->v);
    }
    og_rt_check_number(&t->c, "weekly_working_hours_v2", true, 37.555, &two);
    og_rt_check_number(&t->c, "h", true, 40.123, &two);
    og_rt_check_number(&t->c, "h", true, 1e-3, &two);
    og_rt_check_number(&t->c, "n", true, 8.5, &none);
    assert_violations(t, 4);
    assert_violation(t, 0, "/weekly_working_hours_v2",
                     "must have at most 2 decimal places (37.555 has 3)");
    assert_violation(t, 1, "/h", "must have at most 2 decimal places (40.123 has 3)");
    assert_violation(t, 2, "/h", "must have at most 2 decimal places (0.001 has 3)");
    assert_violation(t, 3, "/n", "must have at most 0 decimal places (8.5 has 1)");
}

static void check_number_required(void **state)
{
    fixture *t = *state;
    static const og_rt_number_rule rule = { true, false, false, 0, 0,
                                                NULL, 0, false, 0 };

    og_rt_check_number(&t->c, "n", true, 0, &rule);
    og_rt_check_number(&t->c, "o", false, 0, &hours_rule);
    og_rt_check_number(&t->c, "p", false, 0, NULL);
    assert_violations(t, 0);
    og_rt_check_number(&t->c, "n", false, 0, &rule);
    assert_violations(t, 1);
    assert_violation(t, 0, "/n", "is required");
}

static void check_number_enum(void **state)
{
    fixture *t = *state;
    static const int64_t values[] = { 1, 2, -3 };
    static const og_rt_number_rule rule = { false, false, false, 0, 0,
                                                values, 3, false, 0 };

    og_rt_check_number(&t->c, "n", true, -3, &rule);
    assert_violations(t, 0);
    og_rt_check_number(&t->c, "n", true, 1.5, &rule);
    assert_violations(t, 1);
    assert_violation(t, 0, "/n", "must be one of: 1, 2, -3 (is 1.5)");
}

static void check_number_refuses_nan_and_infinity(void **state)
{
    fixture *t = *state;

    og_rt_check_number(&t->c, "n", true, not_a_number(), NULL);
    og_rt_check_number(&t->c, "i", true, -infinity(), &hours_rule);
    og_rt_check_number(&t->c, "u", false, not_a_number(), NULL);
    assert_violations(t, 2);
    assert_violation(t, 0, "/n", "must be a finite number");
    assert_violation(t, 1, "/i", "must be a finite number");
}

static void check_int64_range_is_exact(void **state)
{
    fixture *t = *state;
    /* Through double, 2^53 + 1 would equal the bound 2^53 and pass. */
    static const og_rt_number_rule rule = { false, true, true,
                                                -9007199254740992.0,
                                                9007199254740992.0, NULL, 0, false, 0 };
    static const og_rt_number_rule frac = { false, true, true, -1.5, 2.5,
                                                NULL, 0, false, 0 };

    og_rt_check_int64(&t->c, "a", true, INT64_C(9007199254740992), &rule);
    og_rt_check_int64(&t->c, "a", true, -INT64_C(9007199254740992), &rule);
    og_rt_check_int64(&t->c, "b", true, -1, &frac);
    og_rt_check_int64(&t->c, "b", true, 2, &frac);
    assert_violations(t, 0);
    og_rt_check_int64(&t->c, "a", true, INT64_C(9007199254740993), &rule);
    og_rt_check_int64(&t->c, "a", true, -INT64_C(9007199254740993), &rule);
    og_rt_check_int64(&t->c, "b", true, -2, &frac);
    og_rt_check_int64(&t->c, "b", true, 3, &frac);
    assert_violations(t, 4);
    assert_violation(t, 0, "/a",
                     "must be between -9007199254740992 and 9007199254740992 "
                     "(is 9007199254740993)");
    assert_violation(t, 1, "/a",
                     "must be between -9007199254740992 and 9007199254740992 "
                     "(is -9007199254740993)");
    assert_violation(t, 3, "/b", "must be between -1.5 and 2.5 (is 3)");
}

static void check_int64_extreme_bounds(void **state)
{
    fixture *t = *state;
    static const og_rt_number_rule huge = { false, true, true, -1e30, 1e30,
                                                NULL, 0, false, 0 };
    static const og_rt_number_rule above = { false, true, false, 1e19, 0,
                                                 NULL, 0, false, 0 };
    static const og_rt_number_rule below = { false, false, true, 0, -1e19,
                                                 NULL, 0, false, 0 };

    og_rt_check_int64(&t->c, "a", true, INT64_MAX, &huge);
    og_rt_check_int64(&t->c, "a", true, INT64_MIN, &huge);
    assert_violations(t, 0);
    og_rt_check_int64(&t->c, "b", true, INT64_MAX, &above);
    og_rt_check_int64(&t->c, "c", true, INT64_MIN, &below);
    assert_violations(t, 2);
    assert_violation(t, 0, "/b", "must be at least 1e+19 (is 9223372036854775807)");
    assert_violation(t, 1, "/c", "must be at most -1e+19 (is -9223372036854775808)");
}

static void check_int64_enum_and_required(void **state)
{
    fixture *t = *state;
    static const int64_t values[] = { INT64_C(9007199254740993), 7 };
    static const og_rt_number_rule rule = { true, false, false, 0, 0,
                                                values, 2, false, 0 };

    og_rt_check_int64(&t->c, "a", true, INT64_C(9007199254740993), &rule);
    assert_violations(t, 0);
    og_rt_check_int64(&t->c, "a", true, INT64_C(9007199254740992), &rule);
    og_rt_check_int64(&t->c, "a", false, 0, &rule);
    assert_violations(t, 2);
    assert_violation(t, 0, "/a", "must be one of: 9007199254740993, 7 (is 9007199254740992)");
    assert_violation(t, 1, "/a", "is required");
}

/* ---- validation: presence, objects, arrays ------------------------------ */

static void check_present_uses_given_reason(void **state)
{
    fixture *t = *state;

    og_rt_check_present(&t->c, "final", true, NULL);
    assert_violations(t, 0);
    og_rt_check_present(&t->c, "final", false, NULL);
    og_rt_check_present(&t->c, "x", false, "is required with y");
    assert_violations(t, 2);
    assert_violation(t, 0, "/final", "is required");
    assert_violation(t, 1, "/x", "is required with y");
}

static void check_object_nests_path(void **state)
{
    fixture *t = *state;
    probation_info_t p = { 0 };

    p.status = "done";
    p.has_final = true;
    t->data.probation_info = &p;
    data_check(&t->data, &t->c);
    t->data.probation_info = NULL;
    assert_violations(t, 1);
    assert_violation(t, 0, "/probation_info/status",
                     "must be one of: not_started, in_process, completed, "
                     "no_need");
    assert_string_equal(t->c.path, "");
}

static void check_object_required_and_optional(void **state)
{
    fixture *t = *state;

    data_check(&t->data, &t->c);
    og_rt_check_object(&t->c, "opt", NULL, false, probation_info_check);
    assert_violations(t, 1);
    assert_violation(t, 0, "/probation_info", "is required");
}

static void check_array_item_paths(void **state)
{
    fixture *t = *state;
    custom_field_t items[2] = { { "a", "x" }, { NULL, "y" } };
    probation_info_t p = { 0 };

    p.status = "completed";
    p.has_final = true;
    p.custom_fields = items;
    p.custom_fields_count = 2;
    og_rt_checker_init(&t->c, &t->v);
    og_rt_check_object(&t->c, "data", &p, true, probation_info_check);
    assert_violations(t, 1);
    assert_violation(t, 0, "/data/custom_fields/1/field_name", "is required");
    assert_string_equal(t->c.path, "");
}

static void check_array_max_items(void **state)
{
    fixture *t = *state;
    custom_field_t items[181];

    for (size_t i = 0; i < 181; i++)
        items[i] = (custom_field_t){ "n", "v" };
    og_rt_check_array(&t->c, "custom_fields", items, 180, sizeof(*items),
                          &custom_fields_rule, NULL, custom_field_check);
    assert_violations(t, 0);
    og_rt_check_array(&t->c, "custom_fields", items, 181, sizeof(*items),
                          &custom_fields_rule, NULL, custom_field_check);
    assert_violations(t, 1);
    assert_violation(t, 0, "/custom_fields",
                     "must have at most 180 items (has 181)");
}

static void check_array_min_items_and_required(void **state)
{
    fixture *t = *state;
    static const og_rt_array_rule rule = { true, 1, -1, NULL };
    static const og_rt_array_rule two = { false, 2, 3, NULL };
    const char *one[1] = { "a" };

    og_rt_check_array(&t->c, "a", one, 1, sizeof(char *), &rule, NULL,
                          NULL);
    og_rt_check_array(&t->c, "b", NULL, 0, sizeof(char *), &two, NULL,
                          NULL);
    assert_violations(t, 0);
    og_rt_check_array(&t->c, "a", NULL, 0, sizeof(char *), &rule, NULL,
                          NULL);
    og_rt_check_array(&t->c, "a", one, 0, sizeof(char *), &rule, NULL,
                          NULL);
    og_rt_check_array(&t->c, "b", one, 1, sizeof(char *), &two, NULL,
                          NULL);
    og_rt_check_array(&t->c, "c", NULL, 2, sizeof(char *), NULL, NULL,
                          NULL);
    assert_violations(t, 4);
    assert_violation(t, 0, "/a", "is required");
    assert_violation(t, 1, "/a", "must have at least 1 item (has 0)");
    assert_violation(t, 2, "/b", "must have at least 2 items (has 1)");
    assert_violation(t, 3, "/c", "has 2 items but no storage");
}

static void check_array_of_strings(void **state)
{
    fixture *t = *state;
    const char *tags[4] = { "a", "", NULL, "\xe8" };

    og_rt_check_array(&t->c, "tags", tags, 1, sizeof(char *), NULL,
                          &tag_rule, NULL);
    assert_violations(t, 0);
    og_rt_check_array(&t->c, "tags", tags, 4, sizeof(char *), NULL,
                          &tag_rule, NULL);
    assert_violations(t, 3);
    assert_violation(t, 0, "/tags/1", "must not be empty");
    assert_violation(t, 1, "/tags/2", "must not be null");
    assert_violation(t, 2, "/tags/3", "is not valid UTF-8");
}

static void violation_escapes_field_and_allows_null_field(void **state)
{
    fixture *t = *state;

    og_rt_violation(&t->c, "a/b~", "bad %d", 1);
    og_rt_violation(&t->c, NULL, "whole");
    assert_violations(t, 2);
    assert_violation(t, 0, "/a~1b~0", "bad 1");
    assert_violation(t, 1, "", "whole");
}

/* Violation paths are cut where read paths are: 255 bytes, whole steps. */
static void violation_path_is_cut_at_255_bytes(void **state)
{
    fixture *t = *state;
    char key[400], want[256];
    probation_info_t p = { 0 };

    memset(key, 'k', sizeof(key) - 1);
    key[sizeof(key) - 1] = '\0';
    p.has_final = true;
    og_rt_check_object(&t->c, key, &p, true, probation_info_check);
    want[0] = '/';
    memset(want + 1, 'k', 254);
    want[255] = '\0';
    assert_violations(t, 1);
    assert_violation(t, 0, want, "is required");
    assert_int_equal(t->c.frame_count, 0);
}

static void violations_grow_by_doubling(void **state)
{
    fixture *t = *state;

    for (int i = 0; i < 100; i++)
        og_rt_violation(&t->c, "f", "n%d", i);
    assert_violations(t, 100);
    assert_int_equal(t->v.cap, 128);
    assert_violation(t, 99, "/f", "n99");
}

static void violations_stop_after_oom(void **state)
{
    fixture *t = *state;

    og_rt_violation(&t->c, "a", "x");
    t->v.oom = true;
    og_rt_violation(&t->c, "b", "y");
    assert_int_equal(t->v.count, 1);
}

static void violations_free_zeroes_and_is_null_safe(void **state)
{
    fixture *t = *state;

    og_rt_violation(&t->c, "a", "x");
    og_violations_free(&t->v);
    assert_null(t->v.items);
    assert_int_equal(t->v.count, 0);
    assert_int_equal(t->v.cap, 0);
    og_violations_free(NULL);
    og_rt_violation(NULL, "a", "x");
    og_rt_checker_init(&t->c, NULL);
    og_rt_violation(&t->c, "a", "x"); /* no list: dropped */
}

/* ---- UTF-8 -------------------------------------------------------------- */

static void utf8_length_counts_code_points(void **state)
{
    (void)state;
    assert_int_equal(og_rt_utf8_length(""), 0);
    assert_int_equal(og_rt_utf8_length("hello"), 5);
    assert_int_equal(og_rt_utf8_length("超出预期"), 4);
    assert_int_equal(og_rt_utf8_length("\xc3\xa9"), 1);             /* é */
    assert_int_equal(og_rt_utf8_length("\xf0\x9f\x98\x80!"), 2);    /* 😀! */
    assert_int_equal(og_rt_utf8_length("\xed\x9f\xbf"), 1);         /* U+D7FF */
    assert_int_equal(og_rt_utf8_length("\xee\x80\x80"), 1);         /* U+E000 */
    assert_int_equal(og_rt_utf8_length("\xef\xbf\xbf"), 1);         /* U+FFFF */
    assert_int_equal(og_rt_utf8_length("\xf4\x8f\xbf\xbf"), 1);     /* U+10FFFF */
}

static void utf8_length_rejects_invalid_sequences(void **state)
{
    static const char *const bad[] = {
        "\x80",                 /* stray continuation */
        "a\xbf",
        "\xc3",                 /* truncated */
        "\xe8\xb6",
        "\xf0\x9f\x98",
        "\xc3(",                /* bad continuation */
        "\xe8(\x85",
        "\xf0\x9f(\x80",
        "\xc0\xaf",             /* overlong '/' */
        "\xc1\xbf",
        "\xe0\x80\xaf",         /* overlong, 3 bytes */
        "\xe0\x9f\xbf",
        "\xf0\x80\x80\xaf",     /* overlong, 4 bytes */
        "\xf0\x8f\xbf\xbf",
        "\xed\xa0\x80",         /* surrogates U+D800, U+DFFF */
        "\xed\xbf\xbf",
        "\xf4\x90\x80\x80",     /* beyond U+10FFFF */
        "\xf5\x80\x80\x80",
        "\xfe",
        "\xff",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(og_rt_utf8_length(bad[i]), -1);
    assert_int_equal(og_rt_utf8_length(NULL), -1);
}

/* ---- dates -------------------------------------------------------------- */

static void is_date_accepts_real_days(void **state)
{
    (void)state;
    assert_true(og_rt_is_date("2024-02-29"));
    assert_true(og_rt_is_date("2000-02-29"));
    assert_true(og_rt_is_date("2023-12-31"));
    assert_true(og_rt_is_date("2024-04-30"));
    assert_true(og_rt_is_date("0001-01-01"));
}

static void is_date_rejects_impossible_days(void **state)
{
    (void)state;
    assert_false(og_rt_is_date("2023-02-29"));
    assert_false(og_rt_is_date("1900-02-29"));
    assert_false(og_rt_is_date("2024-02-30"));
    assert_false(og_rt_is_date("2024-04-31"));
    assert_false(og_rt_is_date("2024-13-01"));
    assert_false(og_rt_is_date("2024-00-10"));
    assert_false(og_rt_is_date("2024-01-00"));
    assert_false(og_rt_is_date("2024-01-32"));
}

static void is_date_rejects_other_formats(void **state)
{
    (void)state;
    assert_false(og_rt_is_date("2024-1-01"));
    assert_false(og_rt_is_date("2024-01-1"));
    assert_false(og_rt_is_date("2024-01-01x"));
    assert_false(og_rt_is_date("2024-01-01 "));
    assert_false(og_rt_is_date("2024-01-01T00:00:00Z"));
    assert_false(og_rt_is_date(" 2024-01-01"));
    assert_false(og_rt_is_date("2024/01/01"));
    assert_false(og_rt_is_date("+024-01-01"));
    assert_false(og_rt_is_date("2024-0a-01"));
    assert_false(og_rt_is_date("２０２４-01-01"));
    assert_false(og_rt_is_date(""));
    assert_false(og_rt_is_date(NULL));
}

/* ---- pagination --------------------------------------------------------- */

/* The pager ends a walk at the last page, and fails one whose server would
 * loop: has_more without a token, or a token already sent (the first
 * request's own included). The token member is replaced, never modified. */
static void pager_walks_and_refuses_loops(void **state)
{
    fixture *t = *state;
    og_rt_pager_t p = {0};
    char *token = NULL;
    char name[16];

    assert_int_equal(og_rt_pager_start(&p, "t0"), 0);
    assert_int_equal(og_rt_pager_ready(&p, &t->err), 1);
    /* Enough tokens to grow the table a few times. */
    for (int i = 1; i <= 100; i++) {
        snprintf(name, sizeof name, "t%d", i);
        assert_int_equal(og_rt_pager_advance(&p, "list", true, name, &token), 0);
        assert_string_equal(token, name);
        assert_int_equal(og_rt_pager_ready(&p, &t->err), 1);
    }
    assert_int_equal(og_rt_pager_advance(&p, "list", true, "t0", &token),
                     OG_E_PAGINATION);
    assert_string_equal(token, "t100");
    assert_int_equal(og_rt_pager_ready(&p, &t->err), OG_E_PAGINATION);
    assert_string_equal(t->err.message,
                        "list: page 101 gives a page token that was already sent");
    og_rt_pager_free(&p);

    assert_int_equal(og_rt_pager_start(&p, NULL), 0);
    assert_int_equal(og_rt_pager_advance(&p, "list", true, "", &token),
                     OG_E_PAGINATION);
    assert_int_equal(og_rt_pager_ready(&p, &t->err), OG_E_PAGINATION);
    assert_string_equal(t->err.message, "list: page 1 says has_more but gives no page token");
    og_rt_pager_free(&p);

    assert_int_equal(og_rt_pager_advance(&p, "list", false, "t1", &token), 0);
    assert_int_equal(og_rt_pager_ready(&p, &t->err), 0);
    assert_string_equal(token, "t100");     /* the last page: kept as it was */
    og_rt_pager_free(&p);
    og_rt_pager_free(NULL);
    free(token);
}

/* ---- out of memory ------------------------------------------------------ */

/* Fails each allocation of the whole read path in turn (parse, strings,
 * objects, arrays): every run must fail cleanly and leak nothing. */
static void oom_during_read_fails_cleanly(void **state)
{
    fixture *t = *state;
    long n;
    int rc;

    for (n = 0;; n++) {
        fail_allocation(n);
        rc = data_from_text(&t->data, sample, &t->err);
        stop_failing();
        if (!alloc_failed)
            break;
        assert_true(rc < 0);
        assert_null(t->data.probation_info);
    }
    assert_int_equal(rc, 0);
    assert_true(n > 10);
}

/* Each allocation of a walk failing in turn ends it with E_NOMEM (reported
 * by the next _ready), the token left as it was, nothing leaked. */
static void oom_during_paging_fails_cleanly(void **state)
{
    fixture *t = *state;
    long n;
    int rc;

    for (n = 0;; n++) {
        og_rt_pager_t p = {0};
        char *token = NULL;
        fail_allocation(n);
        rc = og_rt_pager_start(&p, "a");
        if (rc == 0)
            rc = og_rt_pager_advance(&p, "list", true, "b", &token);
        stop_failing();
        if (!alloc_failed) {
            og_rt_pager_free(&p);
            free(token);
            break;
        }
        assert_int_equal(rc, OG_E_NOMEM);
        assert_int_equal(og_rt_pager_ready(&p, &t->err), OG_E_NOMEM);
        assert_null(token);
        og_rt_pager_free(&p);
    }
    assert_int_equal(rc, 0);
#ifdef RT_TEST_WRAP_ALLOC
    assert_true(n >= 3);    /* the pager's own allocations were failed */
#endif
}

static void oom_during_write_fails_cleanly(void **state)
{
    fixture *t = *state;
    long n;
    int rc;

    assert_int_equal(data_from_text(&t->data, sample, &t->err), 0);
    for (n = 0;; n++) {
        cJSON *obj = cJSON_CreateObject();

        assert_non_null(obj);
        fail_allocation(n);
        rc = data_write(&t->data, obj);
        stop_failing();
        cJSON_Delete(obj);
        if (!alloc_failed)
            break;
        assert_int_equal(rc, OG_E_NOMEM);
    }
    assert_int_equal(rc, 0);
}

static void oom_during_validation_sets_flag(void **state)
{
    fixture *t = *state;
    const char *tags[3] = { "", "", "" };
    long n;

    for (n = 0;; n++) {
        fail_allocation(n);
        for (int i = 0; i < 12; i++)
            og_rt_check_array(&t->c, "tags", tags, 3, sizeof(char *), NULL,
                                  &tag_rule, NULL);
        og_rt_check_string(&t->c, "status", "x", &status_rule);
        stop_failing();
        if (!alloc_failed)
            break;
        assert_true(t->v.oom);
        for (size_t i = 0; i < t->v.count; i++)
            assert_string_equal(t->v.items[i].message, "must not be empty");
        og_violations_free(&t->v);
    }
    assert_violations(t, 37);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)


/* ---- versions ------------------------------------------------------------ */

/* The runtime's version is a literal in og_runtime.h (it is plain C); it
 * must be the project's, which generated files compare with it. */
static void runtime_version_is_the_projects(void **state)
{
    int major = 0, minor = 0, patch = 0;

    (void)state;
    assert_string_equal(OG_RUNTIME_VERSION_TEXT, PROJECT_VERSION);
    assert_int_equal(sscanf(PROJECT_VERSION, "%d.%d.%d", &major, &minor, &patch), 3);
    assert_int_equal(OG_RUNTIME_VERSION, major * 10000 + minor * 100 + patch);
}

/* ---- the descriptor walker against the hand-written functions ----------- */

/* The violations of a check as one string "path message; ...". */
static char *violations_text(const og_violations_t *v)
{
    size_t n = 1, i;
    char *text;

    for (i = 0; i < v->count; i++)
        n += strlen(v->items[i].path) + strlen(v->items[i].message) + 3;
    assert_non_null(text = calloc(1, n));
    for (i = 0; i < v->count; i++)
        sprintf(text + strlen(text), "%s %s; ", v->items[i].path, v->items[i].message);
    return text;
}

static char *written_text(const void *obj, og_rt_write_fn write,
                          const og_rt_type *type)
{
    cJSON *tree = NULL;
    char *text;

    if (type != NULL) {
        if (og_rt_to_json(type, obj, &tree) < 0)
            return NULL;
    } else {
        assert_non_null(tree = cJSON_CreateObject());
        if (write(obj, tree) < 0) {
            cJSON_Delete(tree);
            return NULL;
        }
    }
    text = cJSON_PrintUnformatted(tree);
    cJSON_Delete(tree);
    return text;
}

/* The walker reads, writes, prints and checks probation_info exactly as the
 * hand-written functions do (what the generator emitted before tables):
 * same result code, error path and message, same text, same violations. */
static void walker_agrees(const char *text)
{
    cJSON *root = NULL;
    og_error_t e1, e2;
    og_rt_reader r;
    void *hand, *walked = NULL;
    int rc1, rc2;

    if (og_rt_parse(text, strlen(text), &root, &e1) < 0)
        fail_msg("not JSON: %s", text);
    assert_non_null(hand = calloc(1, sizeof(probation_info_t)));
    og_rt_reader_init(&r, "", &e1);
    og_error_clear(&e1);
    rc1 = probation_info_read(hand, root, &r);
    rc2 = og_rt_from_json(&probation_info_type, &walked, root, &e2);
    cJSON_Delete(root);
    if (rc1 != rc2 || (rc1 < 0 && (e1.code != e2.code || strcmp(e1.path, e2.path) ||
                                   strcmp(e1.message, e2.message))))
        fail_msg("read differs on %s:\nhand %d %s %s\nwalker %d %s %s", text, rc1,
                 e1.path, e1.message, rc2, e2.path, e2.message);
    if (rc1 == 0) {
        og_violations_t v1 = {0}, v2 = {0};
        og_rt_checker c;
        char *a = og_rt_print(hand, probation_info_print);
        char *b = og_rt_print_as(&probation_info_type, walked);
        char *w1 = written_text(hand, probation_info_write, NULL);
        char *w2 = written_text(walked, NULL, &probation_info_type);

        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(b, a);
        assert_non_null(w1);
        assert_non_null(w2);
        assert_string_equal(w2, w1);
        assert_string_equal(b, w2);   /* printing is writing, without the tree */
        og_rt_checker_init(&c, &v1);
        probation_info_check(hand, &c);
        assert_int_equal(og_rt_validate(&probation_info_type, walked, &v2), (int)v1.count);
        char *t1 = violations_text(&v1), *t2 = violations_text(&v2);
        assert_string_equal(t2, t1);
        free(t1);
        free(t2);
        cJSON_free(a);
        cJSON_free(b);
        cJSON_free(w1);
        cJSON_free(w2);
        og_violations_free(&v1);
        og_violations_free(&v2);
    }
    probation_info_clear(hand);
    free(hand);
    og_rt_free(&probation_info_type, walked);
}

static void walker_agrees_with_hand_written_functions(void **state)
{
    static const char *const texts[] = {
        "{}",
        "{\"status\":\"completed\",\"end_date\":\"2024-02-29\",\"hours\":40,"
        "\"score\":99.5,\"id\":9007199254740993,\"final\":true,"
        "\"custom_fields\":[{\"field_name\":\"a\",\"value\":\"b\"},{}],"
        "\"tags\":[\"x\",\"\"],\"ids\":[1,-2,3]}",
        "{\"status\":\"done\",\"end_date\":\"2023-02-29\",\"hours\":169,\"final\":false}",
        "{\"status\":null,\"hours\":null,\"custom_fields\":null,\"extra\":[1,{}]}",
        "{\"custom_fields\":[],\"tags\":[],\"ids\":[]}",
        "{\"hours\":\"40\"}",
        "{\"hours\":2147483648}",
        "{\"hours\":1.5}",
        "{\"id\":1e300}",
        "{\"final\":1}",
        "{\"status\":5}",
        "{\"custom_fields\":{}}",
        "{\"custom_fields\":[1]}",
        "{\"custom_fields\":[{\"value\":7}]}",
        "{\"tags\":[\"a\",null]}",
        "{\"tags\":[[\"a\"]]}",
        "{\"ids\":[1,\"2\"]}",
        "{\"custom_fields\":[{\"field_name\":\"a\"}]}",
        "[]",
        "\"text\"",
    };
    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        walker_agrees(texts[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(runtime_version_is_the_projects),
        cmocka_unit_test(walker_agrees_with_hand_written_functions),
        T(strerror_names_every_code),
        T(error_set_formats_message_and_path),
        T(error_set_null_path_gives_empty_path),
        T(error_set_null_err_only_returns_code),
        T(error_set_truncates_on_character_boundary),
        T(error_clear_zeroes_everything),
        T(read_string_success),
        T(read_string_missing_leaves_unset),
        T(read_string_null_leaves_unset),
        T(read_string_rejects_number),
        T(read_string_rejects_each_other_type),
        T(read_string_is_case_sensitive),
        T(read_path_escapes_tilde_and_slash),
        T(read_path_truncates_long_keys),
        T(read_path_truncates_on_character_boundary),
        T(read_field_of_non_object_is_type_error),
        T(read_rejects_null_arguments),
        T(expect_object_accepts_object_only),
        T(read_int32_success),
        T(read_int32_missing_or_null_leaves_unset),
        T(read_int32_rejects_string),
        T(read_int32_rejects_out_of_range),
        T(read_int32_rejects_fraction),
        T(read_int32_rejects_overflowed_number),
        T(read_int64_success_up_to_2_pow_53_minus_1),
        T(read_int64_rejects_2_pow_53_and_beyond),
        T(read_int64_rejects_fraction_and_bool),
        T(read_int64_missing_or_null_leaves_unset),
        T(read_float_accepts_integer_and_fraction),
        T(read_float_missing_or_null_leaves_unset),
        T(read_float_rejects_string_and_overflow),
        T(read_bool_success),
        T(read_bool_missing_or_null_leaves_unset),
        T(read_bool_rejects_number_and_string),
        T(read_object_nested_success),
        T(read_object_missing_or_null_leaves_null),
        T(read_object_rejects_array),
        T(read_object_root_must_be_object),
        T(read_object_failure_frees_partial_object),
        T(read_object_rejects_bad_arguments),
        T(read_array_path_goes_through_index),
        T(read_array_element_of_wrong_type),
        T(read_array_failure_frees_items_read_so_far),
        T(read_array_empty_gives_non_null_items),
        T(read_array_missing_or_null_leaves_unset),
        T(read_array_rejects_object_and_null_element),
        T(read_array_of_each_scalar_type),
        T(read_array_element_range_error_has_index),
        T(elem_readers_report_current_path),
        T(free_array_is_null_safe),
        T(read_depth_allows_64_levels),
        T(read_depth_rejects_65_levels),
        T(read_depth_counts_arrays_and_elements),
        T(read_depth_of_parsed_text_agrees_with_parse_limit),
        T(pager_walks_and_refuses_loops),
        T(parse_success),
        T(parse_reports_syntax_error_offset),
        T(parse_reports_truncated_input),
        T(parse_rejects_trailing_data),
        T(parse_rejects_empty_input),
        T(parse_rejects_null_arguments),
        T(parse_only_reads_len_bytes),
        T(parse_rejects_invalid_utf8),
        T(parse_accepts_valid_utf8),
        T(parse_rejects_control_character_in_string),
        T(parse_depth_limit),
        T(parse_survives_absurd_nesting),
        T(parse_ignores_brackets_in_strings),
        T(write_string_only_when_set),
        T(write_scalars_only_when_set),
        T(write_int64_beyond_2_pow_53_is_exact),
        T(write_float_refuses_nan_and_infinity),
        T(floats_are_sent_exactly),
        T(writers_reject_null_object_or_key),
        T(write_object_only_when_set),
        T(write_object_failure_adds_nothing),
        T(write_array_empty_is_written_as_brackets),
        T(write_array_of_each_scalar_type),
        T(write_array_of_objects),
        T(write_array_element_failure_adds_nothing),
        T(write_array_rejects_bad_arguments),
        T(read_write_round_trip),
        T(print_matches_tree_for_sample),
        T(print_escapes_strings_like_cjson),
        T(print_numbers_like_cjson),
        T(print_empty_and_absent_arrays_like_cjson),
        T(print_grows_beyond_its_first_buffer),
        T(print_fails_where_writing_fails),
        T(printers_reject_bad_arguments),
        T(print_array_rejects_bad_arguments),
        T(oom_during_print_fails_cleanly),
        T(quick_parse_reads_what_the_tree_path_reads),
        T(quick_parse_depth_agrees_with_parse_limit),
        T(quick_parse_agrees_on_mutations),
        T(read_path_of_many_steps_is_cut_at_255_bytes),
        T(check_string_required),
        T(check_string_optional_may_be_absent),
        T(check_string_non_empty),
        T(check_string_max_length_counts_characters),
        T(check_string_min_length),
        T(check_string_enum),
        T(check_string_date),
        T(check_string_invalid_utf8),
        T(check_string_reports_first_broken_rule_only),
        T(check_number_range),
        T(check_number_decimals),
        T(check_number_required),
        T(check_number_enum),
        T(check_number_refuses_nan_and_infinity),
        T(check_int64_range_is_exact),
        T(check_int64_extreme_bounds),
        T(check_int64_enum_and_required),
        T(check_present_uses_given_reason),
        T(check_object_nests_path),
        T(check_object_required_and_optional),
        T(check_array_item_paths),
        T(check_array_max_items),
        T(check_array_min_items_and_required),
        T(check_array_of_strings),
        T(violation_escapes_field_and_allows_null_field),
        T(violation_path_is_cut_at_255_bytes),
        T(violations_grow_by_doubling),
        T(violations_stop_after_oom),
        T(violations_free_zeroes_and_is_null_safe),
        T(utf8_length_counts_code_points),
        T(utf8_length_rejects_invalid_sequences),
        T(is_date_accepts_real_days),
        T(is_date_rejects_impossible_days),
        T(is_date_rejects_other_formats),
        T(oom_during_read_fails_cleanly),
        T(oom_during_write_fails_cleanly),
        T(oom_during_paging_fails_cleanly),
        T(oom_during_validation_sets_flag),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
