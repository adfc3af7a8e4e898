/*
 * Unit tests of the endpoint layer of the runtime, compiled as it is:
 * templates/runtime/og_http.c and og_runtime.c with their own prefix og_,
 * over a hand-written endpoint table (what bundle_api.c.mustache generates
 * per endpoint): path templates and query strings built from hostile
 * values, the validation of the request's parts with their "/path",
 * "/query", "/body" prefixes, the one error that reports them, multipart
 * forms, and whole calls against the mock server, paging included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "og_http.h"
#include "mock_server.h"

/* ---- the endpoint under test ---------------------------------------------- */

typedef struct t_path {
    char *id;
    char *sub;
} t_path;

typedef struct t_query {
    char *user_id_type;
    bool has_size;
    int32_t size;
    bool has_big;
    int64_t big;
    bool has_ratio;
    double ratio;
    bool has_on;
    bool on;
    char **ids;
    size_t ids_count;
    int32_t *nums;
    size_t nums_count;
    int64_t *bigs;
    size_t bigs_count;
    bool *flags;
    size_t flags_count;
    cJSON *blob;            /* a kind a query cannot carry: never sent */
    char *client_token;
    char *page_token;
} t_query;

typedef struct t_body {
    char *name;             /* required */
    bool has_n;
    int32_t n;
    og_file_t file;
    bool has_x;
    double x;
    bool has_b;
    bool b;
    bool has_l;
    int64_t l;
} t_body;

typedef struct t_request {
    t_path path;
    t_query query;
    t_body body;
    char unused_;
} t_request;

typedef struct t_data {
    char **items;
    size_t items_count;
    bool has_has_more;
    bool has_more;
    char *page_token;
} t_data;

/* size, an array's item size, is not in the table (it follows from the
 * kind); the macros keep it to say what each array holds */
#define FIELD(T, key, member, flag, size, kind, flags) \
    { key, NULL, NULL, NULL, offsetof(T, member), flag, sizeof key - 1, kind, flags }
#define SCALAR(T, key, member, kind) \
    FIELD(T, key, member, offsetof(T, has_##member), 0, kind, 0)
#define ARRAY(T, key, member, kind) \
    FIELD(T, key, member, offsetof(T, member##_count), sizeof *((T *)0)->member, kind, OG_RT_ARRAY)

/* A string's "required" is in its rule, as the generator writes it. */
static const og_rt_string_rule required = { true, false, -1, -1, false, NULL, 0 };
#define REQUIRED_STRING(T, key, member) \
    { key, &required, NULL, NULL, offsetof(T, member), 0, sizeof key - 1, OG_RT_STRING, \
      OG_RT_REQUIRED }

static const og_rt_field path_fields[] = {
    REQUIRED_STRING(t_path, "id", id),
    REQUIRED_STRING(t_path, "sub", sub),
};
static const og_rt_type path_type = { sizeof(t_path), path_fields, 2 };

static const og_rt_field query_fields[] = {
    FIELD(t_query, "user_id_type", user_id_type, 0, 0, OG_RT_STRING, 0),
    SCALAR(t_query, "size", size, OG_RT_INT32),
    SCALAR(t_query, "big", big, OG_RT_INT64),
    SCALAR(t_query, "ratio", ratio, OG_RT_FLOAT),
    SCALAR(t_query, "on", on, OG_RT_BOOL),
    ARRAY(t_query, "ids", ids, OG_RT_STRING),
    ARRAY(t_query, "nums", nums, OG_RT_INT32),
    ARRAY(t_query, "bigs", bigs, OG_RT_INT64),
    ARRAY(t_query, "flags", flags, OG_RT_BOOL),
    FIELD(t_query, "blob", blob, 0, 0, OG_RT_JSON, 0),
    FIELD(t_query, "client_token", client_token, 0, 0, OG_RT_STRING, 0),
    FIELD(t_query, "page_token", page_token, 0, 0, OG_RT_STRING, 0),
};
static const og_rt_type query_type = { sizeof(t_query), query_fields, 12 };

static const og_rt_field body_fields[] = {
    REQUIRED_STRING(t_body, "name", name),
    SCALAR(t_body, "n", n, OG_RT_INT32),
    FIELD(t_body, "file", file, 0, 0, OG_RT_FILE, 0),
    SCALAR(t_body, "x", x, OG_RT_FLOAT),
    SCALAR(t_body, "b", b, OG_RT_BOOL),
    SCALAR(t_body, "l", l, OG_RT_INT64),
};
static const og_rt_type body_type = { sizeof(t_body), body_fields, 6 };

static const og_rt_field data_fields[] = {
    ARRAY(t_data, "items", items, OG_RT_STRING),
    SCALAR(t_data, "has_more", has_more, OG_RT_BOOL),
    FIELD(t_data, "page_token", page_token, 0, 0, OG_RT_STRING, 0),
};
static const og_rt_type data_type = { sizeof(t_data), data_fields, 3 };

static const og_rt_pagination paging = {
    offsetof(t_request, query.page_token), offsetof(t_data, page_token),
    offsetof(t_data, has_more), offsetof(t_data, has_has_more), offsetof(t_data, items),
};

static const og_rt_endpoint json_ep = {
    .name = "t_json",
    .method = "POST",
    .path = "/open-apis/t/v1/:id/items/:sub",
    .request_size = sizeof(t_request),
    .path_type = &path_type,
    .path_offset = offsetof(t_request, path),
    .query_type = &query_type,
    .query_offset = offsetof(t_request, query),
    .body_type = &body_type,
    .body_offset = offsetof(t_request, body),
    .data_type = &data_type,
    .idempotency_key = "client_token",
    .pages = &paging,
    .body = OG_RT_BODY_JSON,
    .response = OG_RT_RESPONSE_TYPED,
    .retry_safe = true,
};

static t_request valid_request(void)
{
    t_request r;

    memset(&r, 0, sizeof r);
    r.path.id = "7";
    r.path.sub = "x";
    r.body.name = "n";
    return r;
}

/* ---- paths ---------------------------------------------------------------- */

static void test_path_encodes_each_parameter_as_one_segment(void **state)
{
    t_request r = valid_request();
    og_rt_path_t p;

    (void)state;
    memset(&p, 0, sizeof p);
    r.path.id = "a/b?c#d%e f&g=h";
    r.path.sub = "\xC3\xBC..";
    og_rt_endpoint_path(&json_ep, &r, &p);
    assert_int_equal(p.rc, 0);
    assert_string_equal(p.buf, "/open-apis/t/v1/a%2Fb%3Fc%23d%25e%20f%26g%3Dh/items/%C3%BC..");
}

static void test_path_refuses_dot_segments_and_empty(void **state)
{
    static const char *const bad[] = { "..", ".", "", NULL };
    static const char *const why[] = {
        "path parameter is \".\" or \"..\"", "path parameter is \".\" or \"..\"",
        "path parameter is empty", "path parameter is empty",
    };
    og_rt_path_t p;
    size_t i;

    (void)state;
    for (i = 0; i < 4; i++) {
        t_request r = valid_request();
        memset(&p, 0, sizeof p);
        r.path.sub = (char *)bad[i];
        og_rt_endpoint_path(&json_ep, &r, &p);
        assert_int_equal(p.rc, OG_E_ARG);
        assert_string_equal(p.why, why[i]);
    }
}

static void test_path_too_long_and_unknown_parameter(void **state)
{
    og_rt_endpoint ep = json_ep;
    t_request r = valid_request();
    char *huge = malloc(OG_RT_PATH_MAX);
    og_rt_path_t p;

    (void)state;
    assert_non_null(huge);
    memset(huge, 'z', OG_RT_PATH_MAX - 1);
    huge[OG_RT_PATH_MAX - 1] = '\0';
    r.path.id = huge;
    memset(&p, 0, sizeof p);
    og_rt_endpoint_path(&ep, &r, &p);
    assert_int_equal(p.rc, OG_E_ARG);
    assert_string_equal(p.why, "path too long");
    free(huge);

    r.path.id = "7";
    ep.path = "/open-apis/t/:nope";
    memset(&p, 0, sizeof p);
    og_rt_endpoint_path(&ep, &r, &p);
    assert_int_equal(p.rc, OG_E_ARG);
    assert_string_equal(p.why, "path template names an unknown parameter");
}

/* ---- queries -------------------------------------------------------------- */

static void assert_param(const og_rt_query_t *q, size_t i, const char *name, const char *value)
{
    assert_true(i < q->count);
    assert_string_equal(q->items[i].name, name);
    assert_string_equal(q->items[i].value, value);
}

static void test_query_in_field_order_with_repeated_keys(void **state)
{
    char *ids[] = { "x&y=z", "\xE4\xB8\xAD" };
    int32_t nums[] = { -2147483647 - 1, 7 };
    int64_t bigs[] = { INT64_C(9007199254740993) };
    bool flags[] = { false, true };
    t_request r = valid_request();
    og_rt_query_t q;

    (void)state;
    memset(&q, 0, sizeof q);
    r.query.user_id_type = "open_id&evil=1";
    r.query.has_size = true;
    r.query.size = -5;
    r.query.big = 42;               /* has_big false: not sent */
    r.query.has_ratio = true;
    r.query.ratio = 0.1;
    r.query.has_on = true;
    r.query.on = false;
    r.query.ids = ids;
    r.query.ids_count = 2;
    r.query.nums = nums;
    r.query.nums_count = 2;
    r.query.bigs = bigs;
    r.query.bigs_count = 1;
    r.query.flags = flags;
    r.query.flags_count = 2;
    r.query.blob = cJSON_CreateObject();
    r.query.client_token = "";
    og_rt_endpoint_query(&json_ep, &r, "KEY", &q);
    cJSON_Delete(r.query.blob);
    assert_int_equal(q.rc, 0);
    assert_int_equal(q.count, 12);
    assert_param(&q, 0, "user_id_type", "open_id&evil=1");   /* raw: encoded on the wire */
    assert_param(&q, 1, "size", "-5");
    assert_param(&q, 2, "ratio", "0.1");
    assert_param(&q, 3, "on", "false");
    assert_param(&q, 4, "ids", "x&y=z");
    assert_param(&q, 5, "ids", "\xE4\xB8\xAD");
    assert_param(&q, 6, "nums", "-2147483648");
    assert_param(&q, 7, "nums", "7");
    assert_param(&q, 8, "bigs", "9007199254740993");
    assert_param(&q, 9, "flags", "false");
    assert_param(&q, 10, "flags", "true");
    assert_param(&q, 11, "client_token", "KEY");
    og_rt_query_free(&q);
}

static void test_query_not_finite_float_fails(void **state)
{
    t_request r = valid_request();
    og_rt_query_t q;

    (void)state;
    memset(&q, 0, sizeof q);
    r.query.has_ratio = true;
    r.query.ratio = 1e308 * 10;
    og_rt_endpoint_query(&json_ep, &r, NULL, &q);
    assert_int_equal(q.rc, OG_E_RANGE);
    og_rt_query_free(&q);
}

/* ---- forms ---------------------------------------------------------------- */

static void test_form_formats_set_fields_and_skips_unset(void **state)
{
    og_rt_endpoint ep = json_ep;
    t_request r = valid_request();
    og_form_part_t *form;
    size_t n;

    (void)state;
    ep.body = OG_RT_BODY_FORM;
    r.body.name = "a\"b\r\n";
    r.body.has_n = true;
    r.body.n = -7;
    r.body.file.data = "bytes";
    r.body.file.size = 5;
    r.body.has_x = true;
    r.body.x = 37.55;
    r.body.has_b = true;
    r.body.b = false;
    r.body.l = 3;                  /* has_l false */
    form = og_rt_endpoint_form(&ep, &r, &n);
    assert_non_null(form);
    assert_int_equal(n, 6);
    assert_string_equal(form[0].name, "name");
    assert_string_equal(form[0].value, "a\"b\r\n");
    assert_string_equal(form[1].value, "-7");
    assert_null(form[2].value);
    assert_ptr_equal(form[2].file, &r.body.file);
    assert_string_equal(form[3].value, "37.55");
    assert_string_equal(form[4].value, "false");
    assert_string_equal(form[5].name, "l");
    assert_null(form[5].value);
    assert_null(form[5].file);
    free(form);
}

/* ---- validation ----------------------------------------------------------- */

static void test_validate_prefixes_each_part(void **state)
{
    og_violations_t v = { NULL, 0, 0, false };
    og_error_t err;
    t_request r = valid_request();
    int n;

    (void)state;
    r.path.id = "";
    r.path.sub = "..";
    r.body.name = NULL;
    n = og_rt_request_validate(&json_ep, &r, &v);
    assert_int_equal(n, 3);
    assert_string_equal(v.items[0].path, "/path/id");
    assert_string_equal(v.items[0].message, "must not be empty (a path segment)");
    assert_string_equal(v.items[1].path, "/path/sub");
    assert_string_equal(v.items[1].message, "must not be \"..\" (a path segment)");
    assert_string_equal(v.items[2].path, "/body/name");
    assert_string_equal(v.items[2].message, "is required");
    assert_int_equal(og_rt_report_violations(n, &v, &err), OG_E_INVALID);
    assert_null(v.items);
    assert_string_equal(err.path, "/path/id");
    assert_int_equal(err.violations, 3);
    assert_string_equal(err.message, "/path/id must not be empty (a path segment); "
                                     "/path/sub must not be \"..\" (a path segment); "
                                     "/body/name is required");
}

static void test_validate_null_parameter_is_only_required(void **state)
{
    og_violations_t v = { NULL, 0, 0, false };
    t_request r = valid_request();

    (void)state;
    r.path.id = NULL;
    assert_int_equal(og_rt_request_validate(&json_ep, &r, &v), 1);
    assert_string_equal(v.items[0].path, "/path/id");
    assert_string_equal(v.items[0].message, "is required");
    og_violations_free(&v);
    assert_int_equal(og_rt_request_validate(NULL, &r, &v), OG_E_ARG);
    assert_int_equal(og_rt_request_validate(&json_ep, NULL, &v), OG_E_ARG);
}

static void test_report_lists_what_fits_then_counts_the_rest(void **state)
{
    og_violations_t v = { NULL, 0, 0, false };
    og_error_t err;
    char name[64];
    og_rt_checker c;
    int i;

    (void)state;
    og_rt_checker_init(&c, &v);
    for (i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "field_with_a_long_name_%02d", i);
        og_rt_violation(&c, name, "is required");
    }
    assert_int_equal(og_rt_report_violations(40, &v, &err), OG_E_INVALID);
    assert_int_equal(err.violations, 40);
    assert_non_null(strstr(err.message, "/field_with_a_long_name_00 is required; "));
    assert_non_null(strstr(err.message, " more)"));
    assert_true(strlen(err.message) < sizeof err.message);
    assert_int_equal(og_rt_report_violations(0, &v, &err), 0);
    assert_int_equal(og_rt_report_violations(OG_E_NOMEM, &v, &err), OG_E_NOMEM);
    assert_string_equal(err.message, "cannot validate the request");
}

/* ---- calls against the mock server ---------------------------------------- */

typedef struct server {
    mock_server_t *srv;
    og_client_t *c;
} server;

static int server_setup(void **state)
{
    server *s = calloc(1, sizeof *s);
    og_client_options_t o;

    if (!s || mock_server_start(&s->srv) != 0)
        return -1;
    og_client_options_init(&o);
    o.base_url = mock_server_url(s->srv);
    o.max_retries = 0;
    if (og_client_new(&s->c, &o, NULL) < 0 || og_client_set_tenant_token(s->c, "t-x", NULL) < 0)
        return -1;
    *state = s;
    return 0;
}

static int server_teardown(void **state)
{
    server *s = *state;

    og_client_free(s->c);
    mock_server_stop(s->srv);
    free(s);
    return 0;
}

static void test_call_sends_path_query_body_and_reads_data(void **state)
{
    server *s = *state;
    char *ids[] = { "a b", "c/d" };
    t_request r = valid_request();
    t_data *data = NULL;
    og_error_t err;
    const mock_request_t *got;

    mock_server_reset(s->srv);
    mock_server_push_json(s->srv, 200,
        "{\"code\":0,\"msg\":\"ok\",\"data\":{\"items\":[\"i\"],\"has_more\":false}}");
    r.path.id = "x/y";
    r.query.ids = ids;
    r.query.ids_count = 2;
    r.query.client_token = "mine";
    r.body.name = "\xE5\x90\x8D";
    assert_int_equal(og_rt_endpoint_call(&json_ep, s->c, &r, NULL, &data, &err), 0);
    assert_non_null(data);
    assert_int_equal(data->items_count, 1);
    assert_string_equal(data->items[0], "i");
    og_rt_free(&data_type, data);
    got = mock_server_request(s->srv, 0);
    assert_string_equal(got->method, "POST");
    assert_string_equal(got->path, "/open-apis/t/v1/x%2Fy/items/x");
    assert_string_equal(got->query, "ids=a%20b&ids=c%2Fd&client_token=mine");
    assert_string_equal(got->body, "{\"name\":\"\xE5\x90\x8D\"}");
}

static void test_call_makes_an_idempotency_key(void **state)
{
    server *s = *state;
    t_request r = valid_request();
    t_data *data = NULL;
    const mock_request_t *got;

    mock_server_reset(s->srv);
    mock_server_push_json(s->srv, 200, "{\"code\":0,\"msg\":\"ok\"}");
    assert_int_equal(og_rt_endpoint_call(&json_ep, s->c, &r, NULL, &data, NULL), 0);
    assert_non_null(data);      /* no data: an empty struct */
    og_rt_free(&data_type, data);
    got = mock_server_request(s->srv, 0);
    assert_int_equal(strlen(got->query), strlen("client_token=") + 36);
    assert_memory_equal(got->query, "client_token=", 13);
    assert_int_equal(got->query[13 + 14], '4');
}

static void test_call_refuses_invalid_request_without_sending(void **state)
{
    server *s = *state;
    t_request r = valid_request();
    t_data *data = (t_data *)&r;
    og_error_t err;

    mock_server_reset(s->srv);
    r.path.sub = ".";
    assert_int_equal(og_rt_endpoint_call(&json_ep, s->c, &r, NULL, &data, &err), OG_E_INVALID);
    assert_null(data);
    assert_string_equal(err.path, "/path/sub");
    assert_string_equal(err.message, "/path/sub must not be \".\" (a path segment)");
    assert_int_equal(mock_server_request_count(s->srv), 0);
    assert_int_equal(og_rt_endpoint_call(&json_ep, NULL, &r, NULL, &data, &err), OG_E_ARG);
    assert_string_equal(err.message, "NULL argument");
}

static void test_call_names_bad_data_paths(void **state)
{
    server *s = *state;
    t_request r = valid_request();
    t_data *data = NULL;
    og_error_t err;

    mock_server_reset(s->srv);
    mock_server_push_json(s->srv, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"items\":[1]}}");
    assert_int_equal(og_rt_endpoint_call(&json_ep, s->c, &r, NULL, &data, &err), OG_E_TYPE);
    assert_null(data);
    assert_string_equal(err.path, "/data/items/0");
    assert_int_equal(err.http_status, 200);
    assert_non_null(strstr(err.message, "t_json: response /data/items/0: "));
}

static void test_all_walks_pages_and_caps(void **state)
{
    server *s = *state;
    t_request r = valid_request();
    char **items = NULL;
    size_t count = 0;
    og_error_t err;

    mock_server_reset(s->srv);
    mock_server_push_json(s->srv, 200, "{\"code\":0,\"data\":{\"items\":[\"a\",\"b\"],"
                                       "\"has_more\":true,\"page_token\":\"p2\"}}");
    mock_server_push_json(s->srv, 200, "{\"code\":0,\"data\":{\"items\":[\"c\"],"
                                       "\"has_more\":false}}");
    assert_int_equal(og_rt_pages_all(&json_ep, s->c, &r, NULL, 0, &items, &count, &err), 0);
    assert_int_equal(count, 3);
    assert_string_equal(items[2], "c");
    og_rt_pages_items_free(&json_ep, items, count);
    assert_null(strstr(mock_server_request(s->srv, 0)->query, "page_token="));
    assert_non_null(strstr(mock_server_request(s->srv, 1)->query, "page_token=p2"));
    assert_null(r.query.page_token);        /* the caller's request is only read */

    mock_server_reset(s->srv);
    mock_server_push_json(s->srv, 200, "{\"code\":0,\"data\":{\"items\":[\"a\",\"b\"],"
                                       "\"has_more\":true,\"page_token\":\"p2\"}}");
    assert_int_equal(og_rt_pages_all(&json_ep, s->c, &r, NULL, 1, &items, &count, &err), 1);
    assert_int_equal(count, 1);
    assert_string_equal(items[0], "a");
    og_rt_pages_items_free(&json_ep, items, count);
    assert_int_equal(mock_server_request_count(s->srv), 1);
}

static void test_pages_stop_a_looping_token(void **state)
{
    server *s = *state;
    t_request r = valid_request();
    void *it = NULL;
    t_data *page = NULL;
    og_error_t err;

    mock_server_reset(s->srv);
    mock_server_push_json(s->srv, 200, "{\"code\":0,\"data\":{\"items\":[],"
                                       "\"has_more\":true,\"page_token\":\"same\"}}");
    r.query.page_token = "same";
    assert_int_equal(og_rt_pages_new(&json_ep, &it, s->c, &r, &err), 0);
    assert_int_equal(og_rt_pages_next(it, NULL, &page, &err), 1);
    og_rt_free(&data_type, page);
    assert_int_equal(og_rt_pages_next(it, NULL, &page, &err), OG_E_PAGINATION);
    assert_null(page);
    og_rt_pages_free(it);
    assert_int_equal(og_rt_pages_new(&json_ep, NULL, s->c, &r, &err), OG_E_ARG);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_path_encodes_each_parameter_as_one_segment),
        cmocka_unit_test(test_path_refuses_dot_segments_and_empty),
        cmocka_unit_test(test_path_too_long_and_unknown_parameter),
        cmocka_unit_test(test_query_in_field_order_with_repeated_keys),
        cmocka_unit_test(test_query_not_finite_float_fails),
        cmocka_unit_test(test_form_formats_set_fields_and_skips_unset),
        cmocka_unit_test(test_validate_prefixes_each_part),
        cmocka_unit_test(test_validate_null_parameter_is_only_required),
        cmocka_unit_test(test_report_lists_what_fits_then_counts_the_rest),
    };
    const struct CMUnitTest calls[] = {
        cmocka_unit_test(test_call_sends_path_query_body_and_reads_data),
        cmocka_unit_test(test_call_makes_an_idempotency_key),
        cmocka_unit_test(test_call_refuses_invalid_request_without_sending),
        cmocka_unit_test(test_call_names_bad_data_paths),
        cmocka_unit_test(test_all_walks_pages_and_caps),
        cmocka_unit_test(test_pages_stop_a_looping_token),
    };
    int failed;

    og_global_init();
    failed = cmocka_run_group_tests_name("endpoint tables", pure, NULL, NULL) +
             cmocka_run_group_tests_name("endpoint calls", calls, server_setup, server_teardown);
    og_global_cleanup();
    return failed;
}
