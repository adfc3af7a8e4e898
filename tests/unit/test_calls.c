/* test_calls.c - per-call options, raw responses, raw calls, store-app
 * authentication and retry_safe POSTs of the generated client, over real
 * HTTP to a local server (tests/support/mock_server.c); no curl mocks.
 *
 * As in test_http.c, the client's clock and sleep are injected: sleeps are
 * recorded and move a fake clock. Only the per-call timeout test waits
 * (~300 ms).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corehr_api.h"
#include "client_fixture.h"
#include "mock_server.h"

#define TOKEN "t-tenant-calls-0123456789"
#define USER_TOKEN "u-user-calls-0123456789abc"
#define OK_BODY "{\"code\":0,\"msg\":\"ok\",\"data\":{\"id\":\"42\"}}"
#define SUBMIT_PATH "/open-apis/corehr/v2/probation/submit"
#define SUBMIT_BODY \
    "{\"employment_id\":\"7140964208476371111\",\"conversion_mode\":1," \
    "\"submission_type\":\"system\",\"notes\":\"ok\"}"

/* ---- fixture ---------------------------------------------------------------- */

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    if (!f || mock_server_start(&f->srv) < 0) {
        free(f);
        return -1;
    }
    f->now = 1000000;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    corehr_client_free(f->c);   /* first: closes its keep-alive connection */
    mock_server_stop(f->srv);
    free(f);
    return 0;
}

static void new_client(fixture *f, long timeout_ms)
{
    corehr_client_options_t o = fixture_options(f, timeout_ms, 1000);
    corehr_error_t err;

    corehr_client_free(f->c);
    f->c = NULL;
    assert_int_equal(corehr_client_new(&f->c, &o, &err), 0);
}

static void static_client(fixture *f)
{
    corehr_error_t err;

    new_client(f, 2000);
    assert_int_equal(corehr_client_set_tenant_token(f->c, TOKEN, &err), 0);
}

static corehr_rt_call_t submit_call(const corehr_call_options_t *opts)
{
    corehr_rt_call_t call;

    memset(&call, 0, sizeof call);
    call.endpoint = "submit_probation";
    call.method = "POST";
    call.path = SUBMIT_PATH;
    call.body = "{\"employment_id\":\"7140964208476371111\"}";
    call.options = opts;
    return call;
}

static int run(fixture *f, const corehr_rt_call_t *call, corehr_error_t *err)
{
    cJSON *data = NULL;
    int rc = corehr_rt_http_call(f->c, call, &data, err);

    if (rc < 0)
        assert_null(data);
    cJSON_Delete(data);
    return rc;
}

static void push(fixture *f, const mock_response_t *r)
{
    assert_int_equal(mock_server_push(f->srv, r), 0);
}

static void push_json(fixture *f, unsigned status, const char *body)
{
    assert_int_equal(mock_server_push_json(f->srv, status, body), 0);
}

static const char *header_of(fixture *f, size_t i, const char *name)
{
    const mock_request_t *r = mock_server_request(f->srv, i);

    assert_non_null(r);
    return mock_request_header(r, name);
}

static corehr_submit_probation_request_t *submit_request(void)
{
    corehr_submit_probation_request_t *req = calloc(1, sizeof *req);
    corehr_submit_probation_body_t *b = NULL;

    assert_non_null(req);
    assert_int_equal(corehr_submit_probation_body_parse(&b, SUBMIT_BODY,
                                                        strlen(SUBMIT_BODY), NULL), 0);
    req->body = *b;
    free(b);
    return req;
}

static void free_submit_request(corehr_submit_probation_request_t *req)
{
    corehr_submit_probation_body_clear(&req->body);
    free(req);
}

/* ---- user_access_token ------------------------------------------------------- */

static void calls_user_token_replaces_tenant_token(void **state)
{
    fixture *f = *state;
    corehr_call_options_t o;
    corehr_rt_call_t call = submit_call(&o);
    corehr_error_t err;

    static_client(f);
    corehr_call_options_init(&o);
    o.user_access_token = USER_TOKEN;
    push_json(f, 200, OK_BODY);
    push_json(f, 200, OK_BODY);
    assert_int_equal(run(f, &call, &err), 0);
    call.options = NULL;
    assert_int_equal(run(f, &call, &err), 0);
    assert_string_equal(header_of(f, 0, "Authorization"), "Bearer " USER_TOKEN);
    assert_string_equal(header_of(f, 1, "Authorization"), "Bearer " TOKEN);
}

static void calls_user_token_needs_no_client_credentials(void **state)
{
    fixture *f = *state;
    corehr_call_options_t o;
    corehr_rt_call_t call = submit_call(&o);
    corehr_error_t err;

    new_client(f, 2000);   /* no tenant token, no app credentials */
    corehr_call_options_init(&o);
    o.user_access_token = USER_TOKEN;
    push_json(f, 200, OK_BODY);
    assert_int_equal(run(f, &call, &err), 0);
    assert_string_equal(header_of(f, 0, "Authorization"), "Bearer " USER_TOKEN);
    call.options = NULL;
    assert_int_equal(run(f, &call, &err), COREHR_E_AUTH);
    assert_int_equal(mock_server_request_count(f->srv), 1);
}

static void calls_rejected_user_token_is_not_refreshed(void **state)
{
    fixture *f = *state;
    corehr_call_options_t o;
    corehr_rt_call_t call = submit_call(&o);
    corehr_error_t err;

    static_client(f);
    corehr_call_options_init(&o);
    o.user_access_token = USER_TOKEN;
    push_json(f, 400, "{\"code\":99991668,\"msg\":\"bad " USER_TOKEN "\"}");
    push_json(f, 401, "{\"code\":99991663,\"msg\":\"token " USER_TOKEN " expired\"}");
    assert_int_equal(run(f, &call, &err), COREHR_E_API);
    assert_int_equal(run(f, &call, &err), COREHR_E_AUTH);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(mock_server_request_count(f->srv), 2);
    /* the server echoed the token: it is scrubbed from what the caller sees */
    assert_null(strstr(err.message, USER_TOKEN));
    assert_null(strstr(err.api_msg, USER_TOKEN));
    assert_null(strstr(f->logs, USER_TOKEN));
}

static void calls_bad_user_token_is_refused(void **state)
{
    fixture *f = *state;
    corehr_call_options_t o;
    corehr_rt_call_t call = submit_call(&o);
    corehr_error_t err;

    static_client(f);
    corehr_call_options_init(&o);
    o.user_access_token = "u-abc\r\nX-Evil: 1";
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    o.user_access_token = "";
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

/* ---- extra headers ----------------------------------------------------------- */

static void calls_extra_headers_are_sent(void **state)
{
    fixture *f = *state;
    const corehr_header_t h[] = {
        { "X-Request-Id", "req-1 2/3" },
        { "X-Empty", "" },
        { "Accept-Language", "zh-CN" },
    };
    corehr_call_options_t o;
    corehr_rt_call_t call = submit_call(&o);
    corehr_error_t err;

    static_client(f);
    corehr_call_options_init(&o);
    o.headers = h;
    o.header_count = 3;
    push_json(f, 200, OK_BODY);
    assert_int_equal(run(f, &call, &err), 0);
    assert_string_equal(header_of(f, 0, "X-Request-Id"), "req-1 2/3");
    assert_string_equal(header_of(f, 0, "X-Empty"), "");
    assert_string_equal(header_of(f, 0, "Accept-Language"), "zh-CN");
    assert_string_equal(header_of(f, 0, "Authorization"), "Bearer " TOKEN);
}

static void calls_bad_headers_are_refused_before_sending(void **state)
{
    fixture *f = *state;
    static const corehr_header_t bad[][1] = {
        { { "X-A", "v\r\nX-Injected: 1" } },
        { { "X-A", "v\nX-Injected: 1" } },
        { { "X-A", "v\rw" } },
        { { "X A", "v" } },
        { { "X-A:", "v" } },
        { { "", "v" } },
        { { NULL, "v" } },
        { { "X-A", NULL } },
        { { "Authorization", "Bearer other" } },
        { { "authorization", "Bearer other" } },
        { { "Host", "evil.example" } },
        { { "Content-Length", "0" } },
        { { "Transfer-Encoding", "chunked" } },
    };
    corehr_call_options_t o;
    corehr_rt_call_t call = submit_call(&o);
    corehr_error_t err;
    size_t i;

    static_client(f);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        corehr_call_options_init(&o);
        o.headers = bad[i];
        o.header_count = 1;
        assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
        assert_true(strlen(err.message) > 0);
    }
    corehr_call_options_init(&o);
    o.header_count = 1;            /* headers NULL */
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    corehr_call_options_init(&o);
    o.timeout_ms = -1;
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    memset(&o, 0, sizeof o);       /* not initialised: version 0 */
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    assert_non_null(strstr(err.message, "corehr_call_options_init"));
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

/* ---- per-call timeout --------------------------------------------------------- */

static void calls_per_call_timeout_fires(void **state)
{
    fixture *f = *state;
    corehr_call_options_t o;
    corehr_rt_call_t call = submit_call(&o);
    corehr_error_t err;
    mock_response_t r;

    new_client(f, 20000);
    assert_int_equal(corehr_client_set_tenant_token(f->c, TOKEN, &err), 0);
    corehr_call_options_init(&o);
    o.timeout_ms = 300;
    memset(&r, 0, sizeof r);
    r.delay_ms = 5000;
    r.body = OK_BODY;
    push(f, &r);
    assert_int_equal(run(f, &call, &err), COREHR_E_TIMEOUT);
    assert_int_equal(err.curl_code, 28);   /* CURLE_OPERATION_TIMEDOUT */
    assert_int_equal(err.attempts, 1);     /* a plain POST: not retried */
}

/* ---- raw responses -------------------------------------------------------------- */

static void calls_raw_response_on_success(void **state)
{
    fixture *f = *state;
    corehr_raw_response_t raw = { 0 };
    corehr_call_options_t o;
    corehr_rt_call_t call = submit_call(&o);
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    corehr_call_options_init(&o);
    o.raw = &raw;
    memset(&r, 0, sizeof r);
    r.body = OK_BODY;
    r.headers = "X-Tt-Logid: log-raw-1\n";
    push(f, &r);
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
    assert_int_equal(run(f, &call, &err), 0);
    assert_string_equal(raw.body, OK_BODY);
    assert_int_equal(raw.body_len, strlen(OK_BODY));
    assert_int_equal(raw.http_status, 200);
    assert_string_equal(raw.log_id, "log-raw-1");
    assert_string_equal(raw.content_type, "application/json; charset=utf-8");
    /* the struct is reused: the next call replaces what it held */
    assert_int_equal(run(f, &call, &err), 0);
    assert_string_equal(raw.body, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
    assert_string_equal(raw.log_id, "");
    corehr_raw_response_free(&raw);
    assert_null(raw.body);
    corehr_raw_response_free(NULL);
}

static void calls_raw_response_keeps_the_last_attempt(void **state)
{
    fixture *f = *state;
    corehr_raw_response_t raw = { 0 };
    corehr_call_options_t o;
    corehr_rt_call_t call = submit_call(&o);
    corehr_error_t err;

    static_client(f);
    corehr_call_options_init(&o);
    o.raw = &raw;
    call.retry_safe = true;
    push_json(f, 503, "{\"code\":1,\"msg\":\"busy\"}");
    push_json(f, 400, "{\"code\":1160002,\"msg\":\"bad thing\"}");
    assert_int_equal(run(f, &call, &err), COREHR_E_API);
    assert_int_equal(err.attempts, 2);
    assert_string_equal(raw.body, "{\"code\":1160002,\"msg\":\"bad thing\"}");
    assert_int_equal(raw.http_status, 400);
    corehr_raw_response_free(&raw);
}

static void calls_raw_response_of_a_failed_connection_is_empty(void **state)
{
    fixture *f = *state;
    corehr_raw_response_t raw = { 0 };
    corehr_call_options_t o;
    corehr_rt_call_t call = submit_call(&o);
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    corehr_call_options_init(&o);
    o.raw = &raw;
    memset(&r, 0, sizeof r);
    r.drop = true;
    push(f, &r);
    assert_int_equal(run(f, &call, &err), COREHR_E_TRANSPORT);
    assert_null(raw.body);
    assert_int_equal(raw.http_status, 0);
}

/* A response whose data does not decode: the JSON path, the status, code,
 * msg and log id in err, and the body in raw, since the server has acted. */
static void calls_decode_failure_keeps_raw_body_and_status(void **state)
{
    fixture *f = *state;
    static const char body[] =
        "{\"code\":0,\"msg\":\"success\",\"data\":{\"probation_info\":"
        "{\"employment_id\":7140964208476371111}}}";
    corehr_submit_probation_request_t *req = submit_request();
    corehr_submit_probation_data_t *out = NULL;
    corehr_raw_response_t raw = { 0 };
    corehr_call_options_t o;
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    corehr_call_options_init(&o);
    o.raw = &raw;
    memset(&r, 0, sizeof r);
    r.body = body;
    r.headers = "X-Tt-Logid: log-decode-7\n";
    push(f, &r);
    assert_int_equal(corehr_submit_probation_with(f->c, req, &o, &out, &err), COREHR_E_TYPE);
    assert_null(out);
    assert_string_equal(err.path, "/data/probation_info/employment_id");
    assert_int_equal(err.http_status, 200);
    assert_string_equal(err.log_id, "log-decode-7");
    assert_string_equal(err.api_msg, "success");
    assert_string_equal(raw.body, body);
    assert_int_equal(raw.http_status, 200);
    corehr_raw_response_free(&raw);
    free_submit_request(req);
}

static void calls_endpoint_with_options_and_without(void **state)
{
    fixture *f = *state;
    corehr_submit_probation_request_t *req = submit_request();
    corehr_submit_probation_data_t *out = NULL;
    const corehr_header_t h[] = { { "X-Trace", "t1" } };
    corehr_call_options_t o;
    corehr_error_t err;

    static_client(f);
    corehr_call_options_init(&o);
    o.user_access_token = USER_TOKEN;
    o.headers = h;
    o.header_count = 1;
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
    assert_int_equal(corehr_submit_probation_with(f->c, req, &o, &out, &err), 0);
    corehr_submit_probation_data_free(out);
    assert_int_equal(corehr_submit_probation_with(f->c, req, NULL, &out, &err), 0);
    corehr_submit_probation_data_free(out);
    assert_int_equal(corehr_submit_probation(f->c, req, &out, &err), 0);
    corehr_submit_probation_data_free(out);
    assert_string_equal(header_of(f, 0, "Authorization"), "Bearer " USER_TOKEN);
    assert_string_equal(header_of(f, 0, "X-Trace"), "t1");
    assert_string_equal(mock_server_request(f->srv, 0)->path, SUBMIT_PATH);
    assert_string_equal(header_of(f, 1, "Authorization"), "Bearer " TOKEN);
    assert_null(header_of(f, 1, "X-Trace"));
    assert_string_equal(header_of(f, 2, "Authorization"), "Bearer " TOKEN);
    free_submit_request(req);
}

/* ---- raw calls ------------------------------------------------------------------- */

static void calls_raw_call_success(void **state)
{
    fixture *f = *state;
    const corehr_query_param_t q[] = { { "page_size", "10" }, { "skip", NULL },
                                       { "page_token", "a b" } };
    cJSON *data = NULL;
    corehr_error_t err;
    const mock_request_t *r;

    static_client(f);
    push_json(f, 503, "{\"code\":1,\"msg\":\"busy\"}");
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"items\":[1]}}");
    assert_int_equal(corehr_call_raw(f->c, "GET", "/open-apis/corehr/v2/jobs", q, 3, NULL,
                                     NULL, &data, &err), 0);
    assert_int_equal(err.attempts, 2);   /* a GET: retried */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(data, "items")), 1);
    cJSON_Delete(data);
    r = mock_server_request(f->srv, 1);
    assert_string_equal(r->method, "GET");
    assert_string_equal(r->path, "/open-apis/corehr/v2/jobs");
    assert_string_equal(r->query, "page_size=10&page_token=a%20b");
    assert_string_equal(mock_request_header(r, "Authorization"), "Bearer " TOKEN);

    /* no data member: 0 and NULL; data_out may be NULL */
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\"}");
    push_json(f, 200, OK_BODY);
    data = (cJSON *)&err;
    assert_int_equal(corehr_call_raw(f->c, "DELETE", "/open-apis/x/1", NULL, 0, NULL, NULL,
                                     &data, &err), 0);
    assert_null(data);
    assert_int_equal(corehr_call_raw(f->c, "PUT", "/open-apis/x/1", NULL, 0, "{\"a\":1}",
                                     NULL, NULL, &err), 0);
    assert_string_equal(mock_server_request(f->srv, 3)->body, "{\"a\":1}");
}

static void calls_raw_call_feishu_error(void **state)
{
    fixture *f = *state;
    corehr_raw_response_t raw = { 0 };
    corehr_call_options_t o;
    cJSON *data = NULL;
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    corehr_call_options_init(&o);
    o.raw = &raw;
    o.user_access_token = USER_TOKEN;
    memset(&r, 0, sizeof r);
    r.status = 400;
    r.body = "{\"code\":1254001,\"msg\":\"no such thing\"}";
    r.headers = "X-Tt-Logid: log-raw-err\n";
    push(f, &r);
    assert_int_equal(corehr_call_raw(f->c, "POST", "/open-apis/corehr/v2/things/search",
                                     NULL, 0, "{}", &o, &data, &err), COREHR_E_API);
    assert_null(data);
    assert_int_equal(err.api_code, 1254001);
    assert_string_equal(err.api_msg, "no such thing");
    assert_int_equal(err.http_status, 400);
    assert_string_equal(err.log_id, "log-raw-err");
    assert_string_equal(raw.body, r.body);
    assert_string_equal(header_of(f, 0, "Authorization"), "Bearer " USER_TOKEN);
    corehr_raw_response_free(&raw);
}

static void calls_raw_post_is_retried_only_when_marked_safe(void **state)
{
    fixture *f = *state;
    corehr_call_options_t o;
    corehr_error_t err;

    static_client(f);
    push_json(f, 500, "{\"code\":1,\"msg\":\"oops\"}");
    assert_int_equal(corehr_call_raw(f->c, "POST", "/open-apis/x/search", NULL, 0, "{}",
                                     NULL, NULL, &err), COREHR_E_API);
    assert_int_equal(err.attempts, 1);
    corehr_call_options_init(&o);
    o.retry_safe = true;
    push_json(f, 500, "{\"code\":1,\"msg\":\"oops\"}");
    push_json(f, 200, OK_BODY);
    assert_int_equal(corehr_call_raw(f->c, "POST", "/open-apis/x/search", NULL, 0, "{}",
                                     &o, NULL, &err), 0);
    assert_int_equal(err.attempts, 2);
    assert_int_equal(f->sleep_count, 1);
    assert_int_equal(mock_server_request_count(f->srv), 3);
}

static void calls_raw_call_bad_input_is_refused(void **state)
{
    fixture *f = *state;
    const corehr_query_param_t noname[] = { { "", "v" } };
    corehr_error_t err;

    static_client(f);
    assert_int_equal(corehr_call_raw(f->c, "GET", "/other/x", NULL, 0, NULL, NULL, NULL, &err),
                     COREHR_E_ARG);
    assert_int_equal(corehr_call_raw(f->c, "GET", "/open-apis/../x", NULL, 0, NULL, NULL,
                                     NULL, &err), COREHR_E_ARG);
    assert_int_equal(corehr_call_raw(f->c, "GET", "/open-apis/x?y=1", NULL, 0, NULL, NULL,
                                     NULL, &err), COREHR_E_ARG);
    assert_int_equal(corehr_call_raw(f->c, "HEAD", "/open-apis/x", NULL, 0, NULL, NULL, NULL,
                                     &err), COREHR_E_ARG);
    assert_int_equal(corehr_call_raw(f->c, NULL, "/open-apis/x", NULL, 0, NULL, NULL, NULL,
                                     &err), COREHR_E_ARG);
    assert_int_equal(corehr_call_raw(f->c, "GET", "/open-apis/x", noname, 1, NULL, NULL, NULL,
                                     &err), COREHR_E_ARG);
    assert_int_equal(corehr_call_raw(f->c, "POST", "/open-apis/x", NULL, 0, "{\"a\":", NULL,
                                     NULL, &err), COREHR_E_JSON);
    assert_string_equal(err.path, "/body");
    assert_int_equal(corehr_call_raw(NULL, "GET", "/open-apis/x", NULL, 0, NULL, NULL, NULL,
                                     NULL), COREHR_E_ARG);
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

/* ---- store apps ---------------------------------------------------------------------- */

#define APP_TOKEN_PATH "/open-apis/auth/v3/app_access_token"
#define STORE_TOKEN_PATH "/open-apis/auth/v3/tenant_access_token"
#define STORE_SECRET "store-app-secret-5e6f7a"
#define TICKET "ticket-pushed-0a1b2c3d"

static void push_token_at(fixture *f, const char *path, const char *field,
                          const char *token, int expire)
{
    char body[256];
    mock_response_t r;

    snprintf(body, sizeof body, "{\"code\":0,\"msg\":\"ok\",\"%s\":\"%s\",\"expire\":%d}",
             field, token, expire);
    memset(&r, 0, sizeof r);
    r.path = path;
    r.body = body;
    push(f, &r);
}

static void store_client(fixture *f, bool with_ticket)
{
    corehr_error_t err;

    new_client(f, 2000);
    assert_int_equal(corehr_client_set_store_app(f->c, "cli_store", STORE_SECRET, &err), 0);
    if (with_ticket)
        assert_int_equal(corehr_client_set_app_ticket(f->c, TICKET, &err), 0);
}

/* Calls SUBMIT_PATH for tenant_key; returns the call's code. */
static int call_for(fixture *f, const char *tenant_key, corehr_error_t *err)
{
    corehr_call_options_t o;
    corehr_rt_call_t call = submit_call(&o);

    corehr_call_options_init(&o);
    o.tenant_key = tenant_key;
    return run(f, &call, err);
}

/* The JSON body of request i equals want (compared as JSON). */
static void assert_body_json(fixture *f, size_t i, const char *want)
{
    const mock_request_t *r = mock_server_request(f->srv, i);
    cJSON *a, *b;

    assert_non_null(r);
    a = cJSON_Parse(r->body);
    b = cJSON_Parse(want);
    if (!cJSON_Compare(a, b, true))
        fail_msg("request %zu: body %s, want %s", i, r->body, want);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

static void calls_store_app_ticket_to_app_token_to_tenant_tokens(void **state)
{
    fixture *f = *state;
    corehr_error_t err;

    store_client(f, true);
    push_token_at(f, APP_TOKEN_PATH, "app_access_token", "a-app-1", 7200);
    push_token_at(f, STORE_TOKEN_PATH, "tenant_access_token", "t-tenant-A", 7200);
    push_token_at(f, STORE_TOKEN_PATH, "tenant_access_token", "t-tenant-B", 7200);
    assert_int_equal(mock_server_push(f->srv, &(mock_response_t){ .path = SUBMIT_PATH,
                     .body = OK_BODY, .repeat = true }), 0);
    assert_int_equal(call_for(f, "tenant-A", &err), 0);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(call_for(f, "tenant-A", &err), 0);   /* cached */
    assert_int_equal(call_for(f, "tenant-B", &err), 0);   /* app token cached */
    assert_int_equal(mock_server_request_count(f->srv), 6);
    assert_string_equal(mock_server_request(f->srv, 0)->path, APP_TOKEN_PATH);
    assert_body_json(f, 0, "{\"app_id\":\"cli_store\",\"app_secret\":\"" STORE_SECRET
                           "\",\"app_ticket\":\"" TICKET "\"}");
    assert_null(header_of(f, 0, "Authorization"));
    assert_string_equal(mock_server_request(f->srv, 1)->path, STORE_TOKEN_PATH);
    assert_body_json(f, 1, "{\"app_access_token\":\"a-app-1\",\"tenant_key\":\"tenant-A\"}");
    assert_string_equal(header_of(f, 2, "Authorization"), "Bearer t-tenant-A");
    assert_string_equal(header_of(f, 3, "Authorization"), "Bearer t-tenant-A");
    assert_string_equal(mock_server_request(f->srv, 4)->path, STORE_TOKEN_PATH);
    assert_body_json(f, 4, "{\"app_access_token\":\"a-app-1\",\"tenant_key\":\"tenant-B\"}");
    assert_string_equal(header_of(f, 5, "Authorization"), "Bearer t-tenant-B");
    assert_null(strstr(f->logs, TICKET));
    assert_null(strstr(f->logs, STORE_SECRET));
    assert_null(strstr(f->logs, "t-tenant-A"));
    assert_null(strstr(f->logs, "a-app-1"));
}

static void calls_store_app_tokens_are_refreshed_before_expiry(void **state)
{
    fixture *f = *state;
    corehr_error_t err;

    store_client(f, true);
    push_token_at(f, APP_TOKEN_PATH, "app_access_token", "a-app-1", 7200);
    push_token_at(f, STORE_TOKEN_PATH, "tenant_access_token", "t-tenant-A1", 600);
    push_token_at(f, STORE_TOKEN_PATH, "tenant_access_token", "t-tenant-A2", 600);
    push_token_at(f, APP_TOKEN_PATH, "app_access_token", "a-app-2", 7200);
    push_token_at(f, STORE_TOKEN_PATH, "tenant_access_token", "t-tenant-A3", 600);
    assert_int_equal(mock_server_push(f->srv, &(mock_response_t){ .path = SUBMIT_PATH,
                     .body = OK_BODY, .repeat = true }), 0);
    assert_int_equal(call_for(f, "tenant-A", &err), 0);
    f->now += 299 * 1000;      /* 600 s token: refreshed 300 s before expiry */
    assert_int_equal(call_for(f, "tenant-A", &err), 0);
    assert_string_equal(header_of(f, 3, "Authorization"), "Bearer t-tenant-A1");
    f->now += 2 * 1000;
    assert_int_equal(call_for(f, "tenant-A", &err), 0);
    assert_string_equal(mock_server_request(f->srv, 4)->path, STORE_TOKEN_PATH);
    assert_string_equal(header_of(f, 5, "Authorization"), "Bearer t-tenant-A2");
    f->now += 7200 * 1000;     /* the app token lapses too */
    assert_int_equal(call_for(f, "tenant-A", &err), 0);
    assert_string_equal(mock_server_request(f->srv, 6)->path, APP_TOKEN_PATH);
    assert_body_json(f, 7, "{\"app_access_token\":\"a-app-2\",\"tenant_key\":\"tenant-A\"}");
    assert_string_equal(header_of(f, 8, "Authorization"), "Bearer t-tenant-A3");
    assert_int_equal(mock_server_request_count(f->srv), 9);
}

static void calls_store_app_rejected_tenant_token_is_fetched_again(void **state)
{
    fixture *f = *state;
    corehr_error_t err;

    store_client(f, true);
    push_token_at(f, APP_TOKEN_PATH, "app_access_token", "a-app-1", 7200);
    push_token_at(f, STORE_TOKEN_PATH, "tenant_access_token", "t-tenant-old", 7200);
    assert_int_equal(mock_server_push(f->srv, &(mock_response_t){ .path = SUBMIT_PATH,
                     .status = 401, .body = "{\"code\":99991663,\"msg\":\"expired\"}" }), 0);
    push_token_at(f, STORE_TOKEN_PATH, "tenant_access_token", "t-tenant-new", 7200);
    assert_int_equal(mock_server_push(f->srv, &(mock_response_t){ .path = SUBMIT_PATH,
                     .body = OK_BODY }), 0);
    assert_int_equal(call_for(f, "tenant-A", &err), 0);
    assert_int_equal(mock_server_request_count(f->srv), 5);
    assert_string_equal(header_of(f, 2, "Authorization"), "Bearer t-tenant-old");
    assert_string_equal(mock_server_request(f->srv, 3)->path, STORE_TOKEN_PATH);
    assert_string_equal(header_of(f, 4, "Authorization"), "Bearer t-tenant-new");
}

static void calls_store_app_without_ticket_is_typed_error(void **state)
{
    fixture *f = *state;
    corehr_error_t err;

    store_client(f, false);
    assert_int_equal(call_for(f, "tenant-A", &err), COREHR_E_APP_TICKET);
    assert_non_null(strstr(err.message, "corehr_client_set_app_ticket"));
    assert_int_equal(mock_server_request_count(f->srv), 0);
    assert_string_equal(corehr_strerror(COREHR_E_APP_TICKET), "no usable app_ticket (store app)");

    /* the server refuses the ticket: code 10012 */
    assert_int_equal(corehr_client_set_app_ticket(f->c, "ticket-stale", &err), 0);
    assert_int_equal(mock_server_push(f->srv, &(mock_response_t){ .path = APP_TOKEN_PATH,
                     .body = "{\"code\":10012,\"msg\":\"app_ticket is invalid\"}" }), 0);
    assert_int_equal(call_for(f, "tenant-A", &err), COREHR_E_APP_TICKET);
    assert_int_equal(err.api_code, 10012);
    assert_int_equal(mock_server_request_count(f->srv), 1);
}

static void calls_store_app_arguments_are_checked(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call(NULL);
    corehr_error_t err;

    store_client(f, true);
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);          /* no options */
    assert_non_null(strstr(err.message, "tenant_key"));
    assert_int_equal(call_for(f, NULL, &err), COREHR_E_ARG);      /* no tenant_key */
    assert_int_equal(call_for(f, "a\nb", &err), COREHR_E_ARG);
    assert_int_equal(corehr_client_set_app_ticket(f->c, "", &err), COREHR_E_ARG);
    assert_int_equal(corehr_client_set_app_ticket(f->c, "t\r\nx", &err), COREHR_E_ARG);
    assert_int_equal(corehr_client_set_app_ticket(NULL, "t", &err), COREHR_E_ARG);
    static_client(f);
    assert_int_equal(corehr_client_set_app_ticket(f->c, TICKET, &err), COREHR_E_ARG);
    assert_int_equal(call_for(f, "tenant-A", &err), COREHR_E_ARG);  /* not a store app */
    assert_int_equal(corehr_client_request_app_ticket(f->c, NULL), COREHR_E_ARG);
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

static void calls_store_app_requests_a_ticket_push(void **state)
{
    fixture *f = *state;
    corehr_error_t err;

    store_client(f, false);
    assert_int_equal(mock_server_push(f->srv, &(mock_response_t){
                     .path = "/open-apis/auth/v3/app_ticket/resend",
                     .body = "{\"code\":0,\"msg\":\"ok\"}" }), 0);
    assert_int_equal(corehr_client_request_app_ticket(f->c, &err), 0);
    assert_body_json(f, 0, "{\"app_id\":\"cli_store\",\"app_secret\":\"" STORE_SECRET "\"}");
    assert_int_equal(mock_server_push(f->srv, &(mock_response_t){
                     .path = "/open-apis/auth/v3/app_ticket/resend",
                     .body = "{\"code\":10003,\"msg\":\"invalid " STORE_SECRET "\"}" }), 0);
    assert_int_equal(corehr_client_request_app_ticket(f->c, &err), COREHR_E_AUTH);
    assert_null(strstr(err.message, STORE_SECRET));
    assert_null(strstr(err.api_msg, STORE_SECRET));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(calls_user_token_replaces_tenant_token),
        T(calls_user_token_needs_no_client_credentials),
        T(calls_rejected_user_token_is_not_refreshed),
        T(calls_bad_user_token_is_refused),
        T(calls_extra_headers_are_sent),
        T(calls_bad_headers_are_refused_before_sending),
        T(calls_per_call_timeout_fires),
        T(calls_raw_response_on_success),
        T(calls_raw_response_keeps_the_last_attempt),
        T(calls_raw_response_of_a_failed_connection_is_empty),
        T(calls_decode_failure_keeps_raw_body_and_status),
        T(calls_endpoint_with_options_and_without),
        T(calls_raw_call_success),
        T(calls_raw_call_feishu_error),
        T(calls_raw_post_is_retried_only_when_marked_safe),
        T(calls_raw_call_bad_input_is_refused),
        T(calls_store_app_ticket_to_app_token_to_tenant_tokens),
        T(calls_store_app_tokens_are_refreshed_before_expiry),
        T(calls_store_app_rejected_tenant_token_is_fetched_again),
        T(calls_store_app_without_ticket_is_typed_error),
        T(calls_store_app_arguments_are_checked),
        T(calls_store_app_requests_a_ticket_push),
    };
    int rc;

    if (corehr_global_init() < 0)
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    corehr_global_cleanup();
    return rc;
}
