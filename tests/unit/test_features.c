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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(query_arrays_are_repeated_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(query_array_rules_are_checked_before_sending, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(query_array_response_errors_are_typed, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
