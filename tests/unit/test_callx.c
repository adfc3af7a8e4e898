/* test_callx.c - spec keys that change the generated call, end to end: the
 * client generated at build time from tests/fixtures/calls (bundle callx)
 * against the local mock server (tests/support/mock_server.c).
 *
 *   - response_format: opaque (get_thing): `data` handed over as cJSON *
 *   - retry_safe: true (search_things): a POST retried on 5xx like a GET,
 *     while a plain POST (create_thing) is not
 *
 * Sleeps are injected and only move a fake clock, so nothing here waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callx_api.h"
#include "mock_server.h"

#define TOKEN "t-callx-0123456789abcdef"

typedef struct fixture {
    mock_server_t *srv;
    callx_client_t *c;
    int64_t now;
    int sleeps;
} fixture;

static void fake_sleep(void *user, long ms)
{
    fixture *f = user;

    f->sleeps++;
    f->now += ms;
}

static int64_t fake_now(void *user)
{
    return ((fixture *)user)->now;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    callx_client_options_t o;
    callx_error_t err;

    if (!f || mock_server_start(&f->srv) < 0) {
        free(f);
        return -1;
    }
    f->now = 1000000;
    callx_client_options_init(&o);
    o.base_url = mock_server_url(f->srv);
    o.sleep = fake_sleep;
    o.now = fake_now;
    o.clock_user = f;
    if (callx_client_new(&f->c, &o, &err) < 0 ||
        callx_client_set_tenant_token(f->c, TOKEN, &err) < 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    callx_client_free(f->c);
    mock_server_stop(f->srv);
    free(f);
    return 0;
}

static void push_json(fixture *f, unsigned status, const char *body)
{
    assert_int_equal(mock_server_push_json(f->srv, status, body), 0);
}

/* ---- response_format: opaque ------------------------------------------------ */

static void callx_opaque_data_is_handed_over_as_json(void **state)
{
    fixture *f = *state;
    callx_get_thing_request_t req = { 0 };
    cJSON *out = NULL, *want;
    callx_error_t err;
    char *text;

    req.path.thing_id = "a/b";
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"any\":[1,{\"x\":true}],"
                      "\"n\":null,\"7\":\"shape the spec never described\"}}");
    assert_int_equal(callx_get_thing(f->c, &req, &out, &err), 0);
    want = cJSON_Parse("{\"any\":[1,{\"x\":true}],\"n\":null,"
                       "\"7\":\"shape the spec never described\"}");
    assert_true(cJSON_Compare(out, want, true));
    cJSON_Delete(want);
    cJSON_Delete(out);
    assert_string_equal(mock_server_request(f->srv, 0)->path,
                        "/open-apis/callx/v1/things/a%2Fb");
    assert_string_equal(mock_server_request(f->srv, 0)->method, "GET");

    /* no data at all: an empty object, so the caller need not check NULL */
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\"}");
    assert_int_equal(callx_get_thing(f->c, &req, &out, &err), 0);
    text = cJSON_PrintUnformatted(out);
    assert_string_equal(text, "{}");
    cJSON_free(text);
    cJSON_Delete(out);

    /* an API error: nothing handed over, the status in err */
    push_json(f, 400, "{\"code\":1254001,\"msg\":\"no such thing\"}");
    out = (cJSON *)&err;
    assert_int_equal(callx_get_thing(f->c, &req, &out, &err), CALLX_E_API);
    assert_null(out);
    assert_int_equal(err.api_code, 1254001);
    assert_int_equal(err.http_status, 400);
}

static void callx_opaque_with_raw_response(void **state)
{
    fixture *f = *state;
    static const char body[] = "{\"code\":0,\"msg\":\"ok\",\"data\":[1,2,3]}";
    callx_get_thing_request_t req = { 0 };
    callx_raw_response_t raw = { 0 };
    callx_call_options_t o;
    cJSON *out = NULL;
    callx_error_t err;

    req.path.thing_id = "t1";
    callx_call_options_init(&o);
    o.raw = &raw;
    push_json(f, 200, body);
    assert_int_equal(callx_get_thing_with(f->c, &req, &o, &out, &err), 0);
    assert_true(cJSON_IsArray(out));
    assert_int_equal(cJSON_GetArraySize(out), 3);
    assert_string_equal(raw.body, body);
    cJSON_Delete(out);
    callx_raw_response_free(&raw);
}

/* ---- retry_safe ------------------------------------------------------------------ */

static void callx_retry_safe_post_is_retried_on_5xx(void **state)
{
    fixture *f = *state;
    callx_search_things_request_t req = { 0 };
    callx_search_things_data_t *out = NULL;
    callx_error_t err;

    req.body.query = "probation";
    push_json(f, 503, "{\"code\":1,\"msg\":\"busy\"}");
    push_json(f, 500, "");
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"total\":3}}");
    assert_int_equal(callx_search_things(f->c, &req, &out, &err), 0);
    assert_int_equal(err.attempts, 3);
    assert_int_equal(f->sleeps, 2);
    assert_true(out->has_total);
    assert_int_equal(out->total, 3);
    assert_int_equal(mock_server_request_count(f->srv), 3);
    assert_string_equal(mock_server_request(f->srv, 2)->method, "POST");
    assert_string_equal(mock_server_request(f->srv, 2)->body, "{\"query\":\"probation\"}");
    callx_search_things_data_free(out);
}

static void callx_plain_post_is_not_retried_on_5xx(void **state)
{
    fixture *f = *state;
    callx_create_thing_request_t req = { 0 };
    callx_create_thing_data_t *out = NULL;
    callx_error_t err;

    req.body.name = "n";
    push_json(f, 503, "{\"code\":1,\"msg\":\"busy\"}");
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"id\":\"1\"}}");
    assert_int_equal(callx_create_thing(f->c, &req, &out, &err), CALLX_E_API);
    assert_null(out);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(err.http_status, 503);
    assert_int_equal(f->sleeps, 0);
    assert_int_equal(mock_server_request_count(f->srv), 1);
    assert_int_equal(mock_server_pending(f->srv), 1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(callx_opaque_data_is_handed_over_as_json),
        T(callx_opaque_with_raw_response),
        T(callx_retry_safe_post_is_retried_on_5xx),
        T(callx_plain_post_is_not_retried_on_5xx),
    };
    int rc;

    if (callx_global_init() < 0)
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    callx_global_cleanup();
    return rc;
}
