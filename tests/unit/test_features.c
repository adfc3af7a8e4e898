/* test_features.c - the client generated from the test-only specs in
 * tests/fixtures/specs/features (bundle feat), over real HTTP to the local
 * mock server: array query parameters (repeated keys), json values and
 * nested arrays, for success and for every way a server answer can be
 * wrong (typed errors with JSON paths; ASan and valgrind see no leak).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feat_api.h"
#include "mock_server.h"

#define TOKEN "t-static-feat-0123456789abcdef"
#define EMPLOYEES_PATH "/open-apis/feat/v1/employees"

typedef struct fixture {
    mock_server_t *srv;
    feat_client_t *c;
} fixture;

static void no_sleep(void *user, long ms)
{
    (void)user;
    (void)ms;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    feat_client_options_t o;
    feat_error_t err;

    if (!f || mock_server_start(&f->srv) < 0) {
        free(f);
        return -1;
    }
    feat_client_options_init(&o);
    o.base_url = mock_server_url(f->srv);
    o.timeout_ms = 5000;
    o.sleep = no_sleep;
    if (feat_client_new(&f->c, &o, &err) < 0 ||
        feat_client_set_tenant_token(f->c, TOKEN, &err) < 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    feat_client_free(f->c);
    mock_server_stop(f->srv);
    free(f);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    return feat_global_init() < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
    (void)state;
    feat_global_cleanup();
    return 0;
}

static void push(fixture *f, unsigned status, const char *body)
{
    assert_int_equal(mock_server_push_json(f->srv, status, body), 0);
}

static void assert_ok(int rc, const feat_error_t *err)
{
    if (rc != 0)
        fail_msg("call failed: %d %s: %s [at %s]", rc, feat_strerror(rc),
                 err->message, err->path);
}

/* A malloc'd copy of a NULL-terminated list of strings, for char ** fields. */
static char **strings(size_t *count, ...)
{
    va_list ap;
    char **items = calloc(16, sizeof *items);
    const char *s;

    assert_non_null(items);
    *count = 0;
    va_start(ap, count);
    while ((s = va_arg(ap, const char *)) != NULL) {
        items[*count] = strdup(s);
        assert_non_null(items[*count]);
        (*count)++;
    }
    va_end(ap);
    return items;
}

/* ---- array query parameters ----------------------------------------------- */

static void fill_employees_query(feat_list_employees_request_t *req)
{
    feat_list_employees_query_t *q = &req->query;

    memset(req, 0, sizeof *req);
    q->employment_ids = strings(&q->employment_ids_count, "a b&c", "7/8", "中", NULL);
    q->ids = calloc(2, sizeof *q->ids);
    assert_non_null(q->ids);
    q->ids[0] = INT64_C(9007199254740993);
    q->ids[1] = -1;
    q->ids_count = 2;
    q->flags = calloc(2, sizeof *q->flags);
    assert_non_null(q->flags);
    q->flags[0] = true;
    q->flags_count = 2;
    q->has_page_size = true;
    q->page_size = 20;
    q->user_id_type = strdup("open_id");
}

static void query_arrays_are_repeated_keys(void **state)
{
    fixture *f = *state;
    feat_list_employees_request_t req;
    feat_list_employees_data_t *data = NULL;
    feat_error_t err;

    fill_employees_query(&req);
    /* levels: an empty array sends nothing */
    req.query.levels = calloc(1, sizeof *req.query.levels);
    push(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"names\":[\"x\",\"y\"]}}");
    int rc = feat_list_employees(f->c, &req, &data, &err);
    assert_ok(rc, &err);
    const mock_request_t *r = mock_server_request(f->srv, 0);
    assert_non_null(r);
    assert_string_equal(r->method, "GET");
    assert_string_equal(r->path, EMPLOYEES_PATH);
    assert_string_equal(r->query,
                        "employment_ids=a%20b%26c&employment_ids=7%2F8&employment_ids=%E4%B8%AD"
                        "&ids=9007199254740993&ids=-1&flags=true&flags=false"
                        "&page_size=20&user_id_type=open_id");
    assert_int_equal(data->names_count, 2);
    assert_string_equal(data->names[1], "y");
    feat_list_employees_data_free(data);
    feat_list_employees_query_clear(&req.query);
}

static void query_array_rules_are_checked_before_sending(void **state)
{
    fixture *f = *state;
    feat_list_employees_request_t req;
    feat_list_employees_data_t *data = NULL;
    feat_error_t err;
    feat_violations_t v = {0};

    /* required: absent */
    memset(&req, 0, sizeof req);
    assert_int_equal(feat_list_employees(f->c, &req, &data, &err), FEAT_E_INVALID);
    assert_string_equal(err.path, "/query/employment_ids");
    assert_null(data);

    /* at most 3 items */
    fill_employees_query(&req);
    free(req.query.employment_ids[2]);
    req.query.employment_ids[2] = strdup("x");
    req.query.employment_ids[3] = strdup("y");
    req.query.employment_ids_count = 4;
    assert_int_equal(feat_list_employees(f->c, &req, &data, &err), FEAT_E_INVALID);
    assert_string_equal(err.path, "/query/employment_ids");
    assert_non_null(strstr(err.message, "at most 3 items"));

    /* an item that is NULL, and enum rules on the items */
    free(req.query.employment_ids[3]);
    req.query.employment_ids_count = 3;
    free(req.query.employment_ids[1]);
    req.query.employment_ids[1] = NULL;
    req.query.statuses = strings(&req.query.statuses_count, "active", "gone", NULL);
    assert_int_equal(feat_list_employees_request_validate(&req, &v), 2);
    assert_string_equal(v.items[0].path, "/query/employment_ids/1");
    assert_string_equal(v.items[0].message, "must not be null");
    assert_string_equal(v.items[1].path, "/query/statuses/1");
    assert_string_equal(v.items[1].message, "must be one of: active, left");
    feat_violations_free(&v);
    assert_int_equal(mock_server_request_count(f->srv), 0);
    feat_list_employees_query_clear(&req.query);
}

static void query_array_response_errors_are_typed(void **state)
{
    fixture *f = *state;
    feat_list_employees_request_t req;
    feat_list_employees_data_t *data = NULL;
    feat_error_t err;

    fill_employees_query(&req);
    push(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"names\":[\"x\",7]}}");
    assert_int_equal(feat_list_employees(f->c, &req, &data, &err), FEAT_E_TYPE);
    assert_string_equal(err.path, "/data/names/1");
    assert_null(data);
    push(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"names\":\"x\"}}");
    assert_int_equal(feat_list_employees(f->c, &req, &data, &err), FEAT_E_TYPE);
    assert_string_equal(err.path, "/data/names");
    feat_list_employees_query_clear(&req.query);
}


/* ---- json values ------------------------------------------------------------ */

#define RECORDS_PATH "/open-apis/feat/v1/records"

static cJSON *parse(const char *text)
{
    cJSON *j = cJSON_Parse(text);

    assert_non_null(j);
    return j;
}

static void fill_record(feat_save_record_body_t *b)
{
    memset(b, 0, sizeof *b);
    b->name = strdup("r1");
    b->attributes = parse("{\"a\":1,\"b\":[true,\"x\",null],\"c\":{\"d\":\"中\"}}");
    b->extras = calloc(2, sizeof *b->extras);
    assert_non_null(b->extras);
    b->extras[0] = parse("\"s\"");
    b->extras[1] = parse("[1.5,{}]");
    b->extras_count = 2;
    b->detail = calloc(1, sizeof *b->detail);
    assert_non_null(b->detail);
    b->detail->payload = parse("-7");
}

static void json_values_are_sent_unchanged(void **state)
{
    fixture *f = *state;
    feat_save_record_request_t req;
    feat_save_record_data_t *data = NULL;
    feat_error_t err;
    const char *want = "{\"name\":\"r1\",\"attributes\":{\"a\":1,\"b\":[true,\"x\",null],"
                       "\"c\":{\"d\":\"中\"}},\"extras\":[\"s\",[1.5,{}]],"
                       "\"detail\":{\"payload\":-7}}";

    memset(&req, 0, sizeof req);
    fill_record(&req.body);
    char *printed = feat_save_record_body_print(&req.body);
    assert_string_equal(printed, want);
    cJSON_free(printed);
    push(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
    assert_ok(feat_save_record(f->c, &req, &data, &err), &err);
    const mock_request_t *r = mock_server_request(f->srv, 0);
    assert_non_null(r);
    assert_string_equal(r->path, RECORDS_PATH);
    assert_string_equal(r->body, want);
    assert_null(data->record);
    assert_null(data->history);
    feat_save_record_data_free(data);
    feat_save_record_body_clear(&req.body);
}

static void json_values_are_read_unchanged(void **state)
{
    fixture *f = *state;
    feat_save_record_request_t req;
    feat_save_record_data_t *data = NULL;
    feat_error_t err;
    const char *answer = "{\"record\":{\"k\":{\"x\":[1,2]},\"u\":\"\\u00e9\"},"
                         "\"history\":[null,{\"a\":1},\"s\",false],"
                         "\"detail\":{\"payload\":{\"m\":[]},\"note\":\"n\"}}";
    char envelope[512];

    memset(&req, 0, sizeof req);
    fill_record(&req.body);
    snprintf(envelope, sizeof envelope, "{\"code\":0,\"msg\":\"ok\",\"data\":%s}", answer);
    push(f, 200, envelope);
    assert_ok(feat_save_record(f->c, &req, &data, &err), &err);
    cJSON *want = parse(answer), *got = NULL;
    assert_int_equal(feat_save_record_data_to_json(data, &got), 0);
    assert_true(cJSON_Compare(want, got, true));
    assert_true(cJSON_IsNull(data->history[0]));
    assert_int_equal(data->history_count, 4);
    assert_string_equal(cJSON_GetObjectItem(data->record, "u")->valuestring, "\xc3\xa9");
    /* the printer writes what cJSON makes of the tree, byte for byte */
    char *a = feat_save_record_data_print(data), *b = cJSON_PrintUnformatted(got);
    assert_string_equal(a, b);
    cJSON_free(a);
    cJSON_free(b);
    cJSON_Delete(want);
    cJSON_Delete(got);
    feat_save_record_data_free(data);
    feat_save_record_body_clear(&req.body);
}

static void json_rules_are_checked_before_sending(void **state)
{
    fixture *f = *state;
    feat_save_record_request_t req;
    feat_save_record_data_t *data = NULL;
    feat_error_t err;
    feat_violations_t v = {0};

    memset(&req, 0, sizeof req);
    fill_record(&req.body);
    cJSON_Delete(req.body.attributes);
    req.body.attributes = NULL;
    cJSON_Delete(req.body.extras[0]);
    req.body.extras[0] = NULL;
    cJSON_Delete(req.body.detail->payload);
    req.body.detail->payload = NULL;
    assert_int_equal(feat_save_record_request_validate(&req, &v), 3);
    assert_string_equal(v.items[0].path, "/body/attributes");
    assert_string_equal(v.items[0].message, "is required");
    assert_string_equal(v.items[1].path, "/body/extras/0");
    assert_string_equal(v.items[1].message, "must not be null");
    assert_string_equal(v.items[2].path, "/body/detail/payload");
    feat_violations_free(&v);
    assert_int_equal(feat_save_record(f->c, &req, &data, &err), FEAT_E_INVALID);
    assert_int_equal(err.violations, 3);
    assert_int_equal(mock_server_request_count(f->srv), 0);
    feat_save_record_body_clear(&req.body);
}

/* Deep json: nested arrays, `levels` of them, in text. */
static char *nested_text(const char *before, int levels, const char *after)
{
    size_t n = strlen(before) + strlen(after) + 2 * (size_t)levels + 1;
    char *s = malloc(n), *p = s;

    assert_non_null(s);
    p += sprintf(p, "%s", before);
    for (int i = 0; i < levels; i++)
        *p++ = '[';
    for (int i = 0; i < levels; i++)
        *p++ = ']';
    sprintf(p, "%s", after);
    return s;
}

static void json_server_errors_are_typed(void **state)
{
    fixture *f = *state;
    feat_save_record_request_t req;
    feat_save_record_data_t *data = NULL;
    feat_error_t err;
    static const struct {
        const char *data;
        int code;
        const char *path;
    } cases[] = {
        {"{\"history\":{}}", FEAT_E_TYPE, "/data/history"},
        {"{\"history\":7}", FEAT_E_TYPE, "/data/history"},
        {"{\"detail\":[]}", FEAT_E_TYPE, "/data/detail"},
        {"{\"detail\":{\"payload\":1,\"note\":2}}", FEAT_E_TYPE, "/data/detail/note"},
    };

    memset(&req, 0, sizeof req);
    fill_record(&req.body);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char envelope[256];
        snprintf(envelope, sizeof envelope, "{\"code\":0,\"msg\":\"ok\",\"data\":%s}",
                 cases[i].data);
        push(f, 200, envelope);
        assert_int_equal(feat_save_record(f->c, &req, &data, &err), cases[i].code);
        assert_string_equal(err.path, cases[i].path);
        assert_null(data);
    }
    feat_save_record_body_clear(&req.body);
}

/* A tree deeper than the readers allow is refused, not copied. */
static void json_depth_is_limited(void **state)
{
    feat_save_record_data_t *data = NULL;
    feat_error_t err;
    (void)state;

    /* 64 levels in all (the object, then 63 arrays) are fine, 65 are not */
    char *ok = nested_text("{\"record\":", FEAT_RT_MAX_DEPTH - 1, "}");
    char *deep = nested_text("{\"history\":[", FEAT_RT_MAX_DEPTH - 1, "]}");
    cJSON *ok_tree = parse(ok), *deep_tree = cJSON_Parse(deep);
    assert_non_null(deep_tree);
    assert_int_equal(feat_save_record_data_from_json(&data, ok_tree, &err), 0);
    feat_save_record_data_free(data);
    assert_int_equal(feat_save_record_data_parse(&data, ok, strlen(ok), &err), 0);
    feat_save_record_data_free(data);
    assert_int_equal(feat_save_record_data_from_json(&data, deep_tree, &err), FEAT_E_DEPTH);
    assert_null(data);
    assert_int_equal(strncmp(err.path, "/history/0", 10), 0);
    assert_int_equal(feat_save_record_data_parse(&data, deep, strlen(deep), &err), FEAT_E_DEPTH);
    cJSON_Delete(ok_tree);
    cJSON_Delete(deep_tree);
    free(ok);
    free(deep);
}

/* The quick path (no tree) and the tree path read json the same way, and
 * what is printed reads back to the same text. */
static void json_round_trips_through_both_parse_paths(void **state)
{
    static const char *const inputs[] = {
        "{\"record\":{\"a\":[1,2.5,-0,1e300],\"b\":\"\\n\\u4e2d\"},\"history\":[\"x\",{}]}",
        /* \u0000 and a null item make the quick path give up: the tree path reads them */
        "{\"record\":\"a\\u0000b\",\"history\":[null,true]}",
        "{\"record\":null,\"history\":[],\"detail\":{\"payload\":[[[]]]}}",
        "{\"record\":{\"dup\":1,\"dup\":2}}",
    };
    (void)state;

    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        feat_save_record_data_t *x = NULL, *y = NULL;
        feat_error_t err;
        cJSON *tree = parse(inputs[i]), *back = NULL;
        assert_int_equal(feat_save_record_data_parse(&x, inputs[i], strlen(inputs[i]), &err), 0);
        assert_int_equal(feat_save_record_data_from_json(&y, tree, &err), 0);
        char *px = feat_save_record_data_print(x), *py = feat_save_record_data_print(y);
        assert_non_null(px);
        assert_string_equal(px, py);
        assert_int_equal(feat_save_record_data_to_json(x, &back), 0);
        char *pt = cJSON_PrintUnformatted(back);
        assert_string_equal(px, pt);
        feat_save_record_data_t *z = NULL;
        assert_int_equal(feat_save_record_data_parse(&z, px, strlen(px), &err), 0);
        char *pz = feat_save_record_data_print(z);
        assert_string_equal(px, pz);
        cJSON_free(px);
        cJSON_free(py);
        cJSON_free(pt);
        cJSON_free(pz);
        cJSON_Delete(tree);
        cJSON_Delete(back);
        feat_save_record_data_free(x);
        feat_save_record_data_free(y);
        feat_save_record_data_free(z);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(query_arrays_are_repeated_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(query_array_rules_are_checked_before_sending, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(query_array_response_errors_are_typed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(json_values_are_sent_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(json_values_are_read_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(json_rules_are_checked_before_sending, setup, teardown),
        cmocka_unit_test_setup_teardown(json_server_errors_are_typed, setup, teardown),
        cmocka_unit_test(json_depth_is_limited),
        cmocka_unit_test(json_round_trips_through_both_parse_paths),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
