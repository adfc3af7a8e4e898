/* test_http.c - the generated client's transport (templates/http.{h,c}.mustache)
 * against a real local HTTP server (tests/support/mock_server.c); no curl mocks.
 *
 * The clock and sleep of the client are injected: sleeps are recorded and
 * move a fake clock, so backoff, Retry-After and the rate limiter are checked
 * without waiting. Only the timeout tests wait (~300 ms each).
 *
 * Build and run by hand (the templates rendered with bundle prefix corehr):
 *
 *   mkdir -p /tmp/http && for f in runtime.h runtime.c http.h http.c; do
 *     sed -e 's/{{> banner}}//; s/{{prefix}}/corehr/g;
 *             s/{{PREFIX}}/COREHR/g; s/{{version_number}}/1/g' \
 *       templates/$f.mustache > /tmp/http/corehr_${f%.*}.${f##*.}; done
 *   for cc in gcc clang; do
 *     $cc -std=c11 -Wall -Wextra -Wpedantic -Werror -D_POSIX_C_SOURCE=200809L \
 *       -I/tmp/http -Itests/support tests/unit/test_http.c \
 *       tests/support/mock_server.c /tmp/http/corehr_http.c \
 *       /tmp/http/corehr_runtime.c -o /tmp/http/test_http_$cc \
 *       -lcurl -lcjson -lmicrohttpd -lcmocka -lpthread && /tmp/http/test_http_$cc
 *   done
 *   valgrind --leak-check=full --errors-for-leak-kinds=definite \
 *     --error-exitcode=1 /tmp/http/test_http_gcc
 *   gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -D_POSIX_C_SOURCE=200809L \
 *     -g -fsanitize=address,undefined -fno-omit-frame-pointer \
 *     -I/tmp/http -Itests/support tests/unit/test_http.c \
 *     tests/support/mock_server.c /tmp/http/corehr_http.c \
 *     /tmp/http/corehr_runtime.c -o /tmp/http/test_http_asan \
 *     -lcurl -lcjson -lmicrohttpd -lcmocka -lpthread && /tmp/http/test_http_asan
 *
 * Meson: executable('test_http', [this file, 'tests/support/mock_server.c',
 * the rendered corehr_http.c and corehr_runtime.c], dependencies: cmocka,
 * libcurl, libcjson, libmicrohttpd, threads). Runs in under 1 s.
 */
#include "corehr_http.h"
#include "client_fixture.h"
#include "mock_server.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TOKEN "t-static-0123456789abcdef"
#define APP_SECRET "s3cr3t-app-secret-value"
#define OK_BODY "{\"code\":0,\"msg\":\"ok\",\"data\":{\"id\":\"42\"}}"
#define TOKEN_PATH "/open-apis/auth/v3/tenant_access_token/internal"
#define SUBMIT_PATH "/open-apis/corehr/v2/probation/submit"

/* ---- fixture: a server, a client, a fake clock, captured logs -------------- */

/* Defaults pointing at the mock server, with the fake clock and logging. */
static corehr_client_options_t test_options(fixture *f)
{
    return fixture_options(f, 2000, 1000);
}

static void new_client(fixture *f, const corehr_client_options_t *o)
{
    corehr_error_t err;

    corehr_client_free(f->c);
    f->c = NULL;
    assert_int_equal(corehr_client_new(&f->c, o, &err), 0);
}

/* A client with the default test options and a static token. */
static void static_client(fixture *f)
{
    corehr_client_options_t o = test_options(f);
    corehr_error_t err;

    new_client(f, &o);
    assert_int_equal(corehr_client_set_tenant_token(f->c, TOKEN, &err), 0);
}

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

static corehr_rt_call_t submit_call(void)
{
    corehr_rt_call_t call;

    memset(&call, 0, sizeof call);
    call.endpoint = "submit_probation";
    call.method = "POST";
    call.path = SUBMIT_PATH;
    call.body = "{\"employment_id\":\"7140964208476371111\"}";
    return call;
}

/* Runs one call and returns its code; *data (if wanted) is freed by caller. */
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

static void push_token(fixture *f, const char *token, int expire)
{
    char body[256];
    mock_response_t r;

    snprintf(body, sizeof body,
             "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"%s\",\"expire\":%d}",
             token, expire);
    memset(&r, 0, sizeof r);
    r.path = TOKEN_PATH;
    r.body = body;
    push(f, &r);
}

static const char *auth_of(fixture *f, size_t i)
{
    const mock_request_t *r = mock_server_request(f->srv, i);

    assert_non_null(r);
    return mock_request_header(r, "Authorization");
}

/* A port nothing listens on: bound, read back, closed. */
static unsigned short closed_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void assert_no_secret(const char *s)
{
    assert_null(strstr(s, TOKEN));
    assert_null(strstr(s, "t-fetched"));
    assert_null(strstr(s, APP_SECRET));
}

/* ---- success and what is sent ------------------------------------------------ */

static void http_static_token_sends_headers_and_body(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    const mock_request_t *r;
    cJSON *data = NULL;

    static_client(f);
    push_json(f, 200, OK_BODY);
    assert_int_equal(corehr_rt_http_call(f->c, &call, &data, &err), 0);
    assert_string_equal(cJSON_GetObjectItem(data, "id")->valuestring, "42");
    cJSON_Delete(data);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(mock_server_request_count(f->srv), 1);
    r = mock_server_request(f->srv, 0);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, SUBMIT_PATH);
    assert_string_equal(r->query, "");
    assert_string_equal(r->body, call.body);
    assert_string_equal(mock_request_header(r, "Content-Type"),
                        "application/json; charset=utf-8");
    assert_string_equal(mock_request_header(r, "Authorization"), "Bearer " TOKEN);
    assert_memory_equal(mock_request_header(r, "User-Agent"), "oapigen-corehr/", 15);
    assert_null(mock_request_header(r, "Expect"));
}

static void http_get_sends_no_body_and_delete_its_method(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    static_client(f);
    push_json(f, 200, OK_BODY);
    push_json(f, 200, OK_BODY);
    call.method = "GET";
    call.body = NULL;
    assert_int_equal(run(f, &call, &err), 0);
    call.method = "DELETE";
    assert_int_equal(run(f, &call, &err), 0);
    call.method = "PATCH";
    call.body = "{}";
    push_json(f, 200, OK_BODY);
    assert_int_equal(run(f, &call, &err), 0);
    assert_string_equal(mock_server_request(f->srv, 0)->method, "GET");
    assert_int_equal(mock_server_request(f->srv, 0)->body_len, 0);
    assert_string_equal(mock_server_request(f->srv, 1)->method, "DELETE");
    assert_int_equal(mock_server_request(f->srv, 1)->body_len, 0);
    assert_string_equal(mock_server_request(f->srv, 2)->method, "PATCH");
    assert_string_equal(mock_server_request(f->srv, 2)->body, "{}");
}

static void http_data_absent_or_null_gives_null(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    cJSON *data = (cJSON *)&err;   /* must be overwritten */

    static_client(f);
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\"}");
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":null}");
    assert_int_equal(corehr_rt_http_call(f->c, &call, &data, &err), 0);
    assert_null(data);
    data = (cJSON *)&err;
    assert_int_equal(corehr_rt_http_call(f->c, &call, &data, &err), 0);
    assert_null(data);
}

static void http_keep_alive_reuses_the_connection(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    static_client(f);
    push_json(f, 200, OK_BODY);
    push_json(f, 200, OK_BODY);
    assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(mock_server_request(f->srv, 0)->connection,
                     mock_server_request(f->srv, 1)->connection);
}

static void http_query_values_are_percent_encoded(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    const corehr_query_param_t q[] = {
        { "page_size", "100" },
        { "skipped", NULL },
        { "page_token", "a b&c=d/é+~" },
        { "client_token", "6822122262122064111" },
    };
    corehr_error_t err;

    static_client(f);
    push_json(f, 200, OK_BODY);
    call.query = q;
    call.query_count = 4;
    assert_int_equal(run(f, &call, &err), 0);
    assert_string_equal(mock_server_request(f->srv, 0)->query,
                        "page_size=100&page_token=a%20b%26c%3Dd%2F%C3%A9%2B~"
                        "&client_token=6822122262122064111");
}

/* ---- paths ------------------------------------------------------------------- */

static void http_path_segment_encodes_one_segment(void **state)
{
    corehr_rt_path_t p = { 0 };
    char big[3000];

    (void)state;
    assert_int_equal(corehr_rt_path_append(&p, "/open-apis/corehr/v2/x/"), 0);
    assert_int_equal(corehr_rt_path_segment(&p, "a/b"), 0);
    assert_int_equal(corehr_rt_path_append(&p, "/y/"), 0);
    assert_int_equal(corehr_rt_path_segment(&p, "é ?#%.-_~"), 0);
    assert_string_equal(p.buf, "/open-apis/corehr/v2/x/a%2Fb/y/%C3%A9%20%3F%23%25.-_~");
    assert_int_equal(p.rc, 0);

    memset(&p, 0, sizeof p);
    assert_int_equal(corehr_rt_path_segment(&p, ".."), COREHR_E_ARG);
    assert_non_null(p.why);
    /* sticky: later appends fail the same way */
    assert_int_equal(corehr_rt_path_append(&p, "/ok"), COREHR_E_ARG);
    memset(&p, 0, sizeof p);
    assert_int_equal(corehr_rt_path_segment(&p, "."), COREHR_E_ARG);
    memset(&p, 0, sizeof p);
    assert_int_equal(corehr_rt_path_segment(&p, ""), COREHR_E_ARG);
    memset(&p, 0, sizeof p);
    assert_int_equal(corehr_rt_path_segment(&p, NULL), COREHR_E_ARG);
    memset(&p, 0, sizeof p);
    assert_int_equal(corehr_rt_path_append(&p, "/a?b"), COREHR_E_ARG);
    memset(&p, 0, sizeof p);
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(corehr_rt_path_segment(&p, big), COREHR_E_ARG);
    assert_string_equal(p.why, "path too long");
    assert_true(p.len < sizeof p.buf);
}

static void http_path_segment_reaches_the_server_encoded(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_rt_path_t p = { 0 };
    corehr_error_t err;

    static_client(f);
    push_json(f, 200, OK_BODY);
    corehr_rt_path_append(&p, "/open-apis/corehr/v2/probation/assessments/");
    corehr_rt_path_segment(&p, "a/../b");
    assert_int_equal(p.rc, 0);
    call.path = p.buf;
    call.method = "PATCH";
    assert_int_equal(run(f, &call, &err), 0);
    assert_string_equal(mock_server_request(f->srv, 0)->path,
                        "/open-apis/corehr/v2/probation/assessments/a%2F..%2Fb");
}

static void http_bad_call_is_rejected_before_sending(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    static_client(f);
    call.path = "/elsewhere/x";
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    call.path = "/open-apis/corehr/../auth";
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    call.path = "/open-apis/x y";
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    call.path = SUBMIT_PATH;
    call.method = "TRACE";
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    call.method = "POST";
    call.endpoint = NULL;
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

/* ---- authentication -------------------------------------------------------------- */

static void app_client(fixture *f)
{
    corehr_client_options_t o = test_options(f);
    corehr_error_t err;

    new_client(f, &o);
    assert_int_equal(corehr_client_set_app_credentials(f->c, "cli_a1b2", APP_SECRET, &err), 0);
}

static void http_app_credentials_fetch_token_once(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    const mock_request_t *t;
    cJSON *body;

    app_client(f);
    push_token(f, "t-fetched-1", 7200);
    push_json(f, 200, OK_BODY);
    push_json(f, 200, OK_BODY);
    assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(mock_server_request_count(f->srv), 3);
    t = mock_server_request(f->srv, 0);
    assert_string_equal(t->path, TOKEN_PATH);
    assert_string_equal(t->method, "POST");
    assert_null(mock_request_header(t, "Authorization"));
    body = cJSON_Parse(t->body);
    assert_string_equal(cJSON_GetObjectItem(body, "app_id")->valuestring, "cli_a1b2");
    assert_string_equal(cJSON_GetObjectItem(body, "app_secret")->valuestring, APP_SECRET);
    cJSON_Delete(body);
    assert_string_equal(auth_of(f, 1), "Bearer t-fetched-1");
    assert_string_equal(auth_of(f, 2), "Bearer t-fetched-1");
    assert_no_secret(f->logs);
}

static void http_token_is_refreshed_shortly_before_expiry(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    app_client(f);
    push_token(f, "t-fetched-1", 7200);
    push_token(f, "t-fetched-2", 7200);
    push_json(f, 200, OK_BODY);
    push_json(f, 200, OK_BODY);
    push_json(f, 200, OK_BODY);
    assert_int_equal(run(f, &call, &err), 0);
    f->now += (7200 - 300) * 1000 - 1;   /* just before expire - 5 min */
    assert_int_equal(run(f, &call, &err), 0);
    f->now += 2;
    assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(mock_server_request_count(f->srv), 5);
    assert_string_equal(auth_of(f, 2), "Bearer t-fetched-1");
    assert_string_equal(mock_server_request(f->srv, 3)->path, TOKEN_PATH);
    assert_string_equal(auth_of(f, 4), "Bearer t-fetched-2");
}

static void http_rejected_token_is_refreshed_and_call_retried_once(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    app_client(f);
    push_token(f, "t-fetched-1", 7200);
    push_json(f, 400, "{\"code\":99991663,\"msg\":\"Invalid access token for authorization.\"}");
    push_token(f, "t-fetched-2", 7200);
    push_json(f, 200, OK_BODY);
    call.retry_safe = false;   /* a rejected token means nothing was done */
    assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(err.attempts, 2);   /* the call twice; token fetches apart */
    assert_int_equal(mock_server_request_count(f->srv), 4);
    assert_string_equal(auth_of(f, 1), "Bearer t-fetched-1");
    assert_string_equal(auth_of(f, 3), "Bearer t-fetched-2");
    assert_no_secret(f->logs);
}

static void http_token_rejected_twice_is_auth_error(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    app_client(f);
    push_token(f, "t-fetched-1", 7200);
    push_json(f, 400, "{\"code\":99991663,\"msg\":\"Invalid access token\"}");
    push_token(f, "t-fetched-2", 7200);
    push_json(f, 400, "{\"code\":99991671,\"msg\":\"token format error: t-fetched-2\"}");
    assert_int_equal(run(f, &call, &err), COREHR_E_AUTH);
    assert_int_equal(err.api_code, 99991671);
    assert_int_equal(err.http_status, 400);
    assert_int_equal(mock_server_request_count(f->srv), 4);
    /* the server echoed the token: it is scrubbed from what we report */
    assert_no_secret(err.message);
    assert_no_secret(err.api_msg);
    assert_no_secret(f->logs);
}

static void http_static_token_rejected_is_not_retried(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    static_client(f);
    push_json(f, 400, "{\"code\":99991663,\"msg\":\"Invalid access token " TOKEN "\"}");
    assert_int_equal(run(f, &call, &err), COREHR_E_AUTH);
    assert_int_equal(err.api_code, 99991663);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(mock_server_request_count(f->srv), 1);
    assert_no_secret(err.message);
    assert_no_secret(err.api_msg);
    assert_no_secret(f->logs);
}

static void http_token_fetch_refused_is_auth_error(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;

    app_client(f);
    memset(&r, 0, sizeof r);
    r.path = TOKEN_PATH;
    r.status = 400;
    r.body = "{\"code\":10014,\"msg\":\"app secret invalid\"}";
    r.headers = "X-Tt-Logid: 20240101-token";
    push(f, &r);
    assert_int_equal(run(f, &call, &err), COREHR_E_AUTH);
    assert_int_equal(err.api_code, 10014);
    assert_string_equal(err.log_id, "20240101-token");
    assert_int_equal(mock_server_request_count(f->srv), 1);
    assert_no_secret(err.message);
    assert_no_secret(f->logs);
}

static void http_no_credentials_is_auth_error(void **state)
{
    fixture *f = *state;
    corehr_client_options_t o = test_options(f);
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    new_client(f, &o);
    assert_int_equal(run(f, &call, &err), COREHR_E_AUTH);
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

static void http_header_injection_is_refused(void **state)
{
    fixture *f = *state;
    corehr_client_options_t o = test_options(f);
    corehr_client_t *c = NULL;
    corehr_error_t err;

    new_client(f, &o);
    assert_int_equal(corehr_client_set_tenant_token(f->c, "t-1\r\nX-Evil: 1", &err),
                     COREHR_E_ARG);
    assert_int_equal(corehr_client_set_tenant_token(f->c, "t-1\n", &err), COREHR_E_ARG);
    assert_int_equal(corehr_client_set_tenant_token(f->c, "", &err), COREHR_E_ARG);
    assert_int_equal(corehr_client_set_app_credentials(f->c, "cli\r\n", "x", &err),
                     COREHR_E_ARG);
    o.user_agent = "ua\r\nX-Evil: 1";
    assert_int_equal(corehr_client_new(&c, &o, &err), COREHR_E_ARG);
    assert_null(c);
}

static void http_options_are_checked(void **state)
{
    fixture *f = *state;
    corehr_client_options_t o;
    corehr_client_t *c = NULL;
    corehr_error_t err;

    corehr_client_options_init(&o);
    assert_string_equal(o.base_url, COREHR_BASE_URL_FEISHU);
    assert_string_equal(COREHR_BASE_URL_LARK, "https://open.larksuite.com");
    assert_int_equal(o.connect_timeout_ms, 10000);
    assert_int_equal(o.timeout_ms, 30000);
    assert_int_equal(o.max_retries, 3);
    assert_true(o.rate_limit);
    assert_false(o.insecure_skip_tls_verify);
    assert_int_equal(o.max_response_bytes, 16 << 20);
    o.base_url = "ftp://example.com";
    assert_int_equal(corehr_client_new(&c, &o, &err), COREHR_E_ARG);
    o.base_url = "https://open.feishu.cn/?x";
    assert_int_equal(corehr_client_new(&c, &o, &err), COREHR_E_ARG);
    memset(&o, 0, sizeof o);   /* not initialised */
    assert_int_equal(corehr_client_new(&c, &o, &err), COREHR_E_ARG);
    assert_null(c);
    assert_int_equal(corehr_client_new(&c, NULL, &err), 0);   /* all defaults */
    corehr_client_free(c);
    corehr_client_free(NULL);
    (void)f;
}

/* ---- failure kinds ------------------------------------------------------------------ */

static void http_api_error_fills_code_msg_and_log_id(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    memset(&r, 0, sizeof r);
    r.status = 400;
    r.body = "{\"code\":1161001,\"msg\":\"employment not found\",\"data\":{}}";
    r.headers = "X-Tt-Logid: 202401011234567890ABCDEF";
    push(f, &r);
    assert_int_equal(run(f, &call, &err), COREHR_E_API);
    assert_int_equal(err.api_code, 1161001);
    assert_string_equal(err.api_msg, "employment not found");
    assert_string_equal(err.log_id, "202401011234567890ABCDEF");
    assert_int_equal(err.http_status, 400);
    assert_int_equal(err.attempts, 1);
    assert_non_null(strstr(err.message, "submit_probation"));
}

static void http_non_envelope_json_is_envelope_error(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    static_client(f);
    push_json(f, 200, "[1,2]");
    push_json(f, 200, "{\"msg\":\"no code\"}");
    push_json(f, 200, "");
    assert_int_equal(run(f, &call, &err), COREHR_E_ENVELOPE);
    assert_int_equal(run(f, &call, &err), COREHR_E_ENVELOPE);
    assert_int_equal(run(f, &call, &err), COREHR_E_ENVELOPE);
    assert_int_equal(err.http_status, 200);
}

/* A base URL copied with the "/open-apis" prefix (or trailing slashes)
 * must not double it: every endpoint path starts with /open-apis/. */
static void http_base_url_open_apis_suffix_is_removed(void **state)
{
    static const char *const suffixes[] = {
        "", "/", "//", "/open-apis", "/open-apis/", "/open-apis//",
    };
    fixture *f = *state;
    corehr_client_options_t o = test_options(f);
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    char url[128];
    size_t i;

    for (i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        snprintf(url, sizeof url, "%s%s", mock_server_url(f->srv), suffixes[i]);
        o.base_url = url;
        new_client(f, &o);
        assert_int_equal(corehr_client_set_tenant_token(f->c, TOKEN, &err), 0);
        push_json(f, 200, OK_BODY);
        assert_int_equal(run(f, &call, &err), 0);
        assert_string_equal(mock_server_request(f->srv, 0)->path, SUBMIT_PATH);
        mock_server_reset(f->srv);
    }
    /* a base path of its own is kept, and only "/open-apis" at its end goes */
    snprintf(url, sizeof url, "%s/proxy/open-apis/", mock_server_url(f->srv));
    o.base_url = url;
    new_client(f, &o);
    assert_int_equal(corehr_client_set_tenant_token(f->c, TOKEN, &err), 0);
    push_json(f, 200, OK_BODY);
    assert_int_equal(run(f, &call, &err), 0);
    assert_string_equal(mock_server_request(f->srv, 0)->path, "/proxy" SUBMIT_PATH);
}

static void http_connection_refused_is_retried_even_if_unsafe(void **state)
{
    fixture *f = *state;
    corehr_client_options_t o = test_options(f);
    corehr_rt_call_t call = submit_call();
    char url[64];
    corehr_error_t err;

    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)closed_port());
    o.base_url = url;
    new_client(f, &o);
    corehr_client_set_tenant_token(f->c, TOKEN, &err);
    call.retry_safe = false;   /* nothing was sent, so repeating is safe */
    assert_int_equal(run(f, &call, &err), COREHR_E_TRANSPORT);
    assert_int_equal(err.curl_code, 7);   /* CURLE_COULDNT_CONNECT */
    assert_int_equal(err.http_status, 0);
    assert_int_equal(err.attempts, 4);
    assert_int_equal(f->sleep_count, 3);
    /* backoff: base 500 doubling, equal jitter: [d/2, d] */
    assert_in_range(f->sleeps[0], 250, 500);
    assert_in_range(f->sleeps[1], 500, 1000);
    assert_in_range(f->sleeps[2], 1000, 2000);
    assert_true(strlen(err.message) > 0);
}

static void http_server_gone_after_success_counts_as_unsent(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    static_client(f);
    push_json(f, 200, OK_BODY);
    assert_int_equal(run(f, &call, &err), 0);
    mock_server_stop(f->srv);   /* the kept-alive connection dies too */
    f->srv = NULL;
    assert_int_equal(run(f, &call, &err), COREHR_E_TRANSPORT);
    assert_int_equal(err.curl_code, 7);
    assert_int_equal(err.attempts, 4);   /* nothing was sent: retried */
}

static void http_timeout_is_not_retried_when_unsafe(void **state)
{
    fixture *f = *state;
    corehr_client_options_t o = test_options(f);
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;

    o.timeout_ms = 300;
    new_client(f, &o);
    corehr_client_set_tenant_token(f->c, TOKEN, &err);
    memset(&r, 0, sizeof r);
    r.delay_ms = 3000;
    r.body = OK_BODY;
    push(f, &r);
    assert_int_equal(run(f, &call, &err), COREHR_E_TIMEOUT);
    assert_int_equal(err.curl_code, 28);   /* CURLE_OPERATION_TIMEDOUT */
    assert_int_equal(err.attempts, 1);
    assert_int_equal(f->sleep_count, 0);
}

static void http_slow_body_times_out_and_safe_call_retries(void **state)
{
    fixture *f = *state;
    corehr_client_options_t o = test_options(f);
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;

    o.timeout_ms = 300;
    new_client(f, &o);
    corehr_client_set_tenant_token(f->c, TOKEN, &err);
    memset(&r, 0, sizeof r);
    r.body_delay_ms = 3000;
    r.body = OK_BODY;
    push(f, &r);
    push_json(f, 200, OK_BODY);
    call.retry_safe = true;
    assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(err.attempts, 2);
    assert_int_equal(f->sleep_count, 1);
}

static void http_truncated_json_is_json_error(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    static_client(f);
    push_json(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"id\":\"4");
    assert_int_equal(run(f, &call, &err), COREHR_E_JSON);
    assert_int_equal(err.http_status, 200);
    assert_non_null(strstr(err.message, "submit_probation"));
}

static void http_connection_closed_mid_body_is_transport_error(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    memset(&r, 0, sizeof r);
    r.body = OK_BODY;
    r.truncate = true;
    r.truncate_at = 10;
    r.headers = "X-Tt-Logid: log-truncated";
    push(f, &r);
    assert_int_equal(run(f, &call, &err), COREHR_E_TRANSPORT);
    assert_int_equal(err.curl_code, 18);   /* CURLE_PARTIAL_FILE */
    assert_int_equal(err.http_status, 200);   /* the head did arrive */
    assert_string_equal(err.log_id, "log-truncated");
    assert_int_equal(err.attempts, 1);     /* not retry_safe, and it was sent */
}

static void http_html_502_is_envelope_error_with_status(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    memset(&r, 0, sizeof r);
    r.status = 502;
    r.content_type = "text/html";
    r.body = "<html><head><title>502 Bad Gateway</title></head></html>";
    push(f, &r);
    assert_int_equal(run(f, &call, &err), COREHR_E_ENVELOPE);
    assert_int_equal(err.http_status, 502);
    assert_int_equal(err.attempts, 1);
    assert_non_null(strstr(err.message, "text/html"));
    assert_non_null(strstr(err.message, "502 Bad Gateway"));
}

static void http_500_is_retried_then_succeeds(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    static_client(f);
    push_json(f, 500, "{\"code\":55001,\"msg\":\"internal error\"}");
    push_json(f, 503, "");
    push_json(f, 200, OK_BODY);
    call.retry_safe = true;
    assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(err.attempts, 3);
    assert_int_equal(f->sleep_count, 2);
    assert_in_range(f->sleeps[0], 250, 500);
    assert_in_range(f->sleeps[1], 500, 1000);
    assert_int_equal(mock_server_request_count(f->srv), 3);
    assert_non_null(strstr(f->logs, "retrying"));
}

static void http_500_is_not_retried_when_unsafe(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    static_client(f);
    push_json(f, 500, "{\"code\":55001,\"msg\":\"internal error\"}");
    call.retry_safe = false;
    assert_int_equal(run(f, &call, &err), COREHR_E_API);
    assert_int_equal(err.http_status, 500);
    assert_int_equal(err.api_code, 55001);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(f->sleep_count, 0);
}

static void http_empty_500_exhausts_retries_as_http_error(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    memset(&r, 0, sizeof r);
    r.status = 500;
    r.repeat = true;
    push(f, &r);
    call.retry_safe = true;
    assert_int_equal(run(f, &call, &err), COREHR_E_HTTP);
    assert_int_equal(err.http_status, 500);
    assert_int_equal(err.attempts, 4);
}

static void http_429_honours_retry_after_and_ratelimit_reset(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    memset(&r, 0, sizeof r);
    r.status = 429;
    r.body = "{\"code\":99991400,\"msg\":\"request trigger frequency limit\"}";
    r.headers = "Retry-After: 2";
    push(f, &r);
    r.headers = "x-ogw-ratelimit-reset: 3\r\nx-ogw-ratelimit-limit: 50";
    push(f, &r);
    push_json(f, 200, OK_BODY);
    /* not retry_safe: a rate-limit refusal was not processed */
    assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(err.attempts, 3);
    assert_int_equal(f->sleep_count, 2);
    assert_int_equal(f->sleeps[0], 2000);
    assert_int_equal(f->sleeps[1], 3000);
}

static void http_retry_after_beyond_cap_gives_up(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    memset(&r, 0, sizeof r);
    r.status = 429;
    r.headers = "Retry-After: 120";
    r.content_type = "text/plain";
    r.body = "Too Many Requests";
    push(f, &r);
    assert_int_equal(run(f, &call, &err), COREHR_E_RATE_LIMITED);
    assert_int_equal(err.http_status, 429);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(f->sleep_count, 0);
}

/* A wait beyond a day (or beyond what a long can hold) is "not soon": the
 * call ends at once, even when retry_max_delay_ms would allow more than a
 * day; it must never fall back to (shorter) backoff. */
static void http_retry_after_beyond_a_day_gives_up(void **state)
{
    static const char *const hints[] = {
        "Retry-After: 99999",
        "x-ogw-ratelimit-reset: 99999",
        "Retry-After: 86401",
        "Retry-After: 1234567890123456789012345678901234567890123456789",
        "Retry-After: 00000000000000000000000000000000000000000000000099999",
    };
    fixture *f = *state;
    corehr_client_options_t o = test_options(f);
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;
    size_t i;

    o.retry_max_delay_ms = 3L * 86400 * 1000;
    new_client(f, &o);
    assert_int_equal(corehr_client_set_tenant_token(f->c, TOKEN, &err), 0);
    call.retry_safe = true;
    for (i = 0; i < sizeof hints / sizeof *hints; i++) {
        memset(&r, 0, sizeof r);
        r.status = i % 2 ? 503 : 429;
        r.headers = hints[i];
        r.content_type = "text/plain";
        r.body = "busy";
        push(f, &r);
        push_json(f, 200, OK_BODY);   /* must not be asked for */
        assert_int_not_equal(run(f, &call, &err), 0);
        assert_int_equal(err.attempts, 1);
        assert_int_equal(f->sleep_count, 0);
        mock_server_reset(f->srv);
    }
    /* a day exactly is still a wait the options allow */
    r.status = 429;
    r.headers = "Retry-After: 86400";
    push(f, &r);
    push_json(f, 200, OK_BODY);
    assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(err.attempts, 2);
    assert_int_equal(f->sleep_count, 1);
    assert_int_equal(f->sleeps[0], 86400L * 1000);
}

static void http_rate_limit_code_is_rate_limited(void **state)
{
    fixture *f = *state;
    corehr_client_options_t o = test_options(f);
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    o.max_retries = 1;
    new_client(f, &o);
    corehr_client_set_tenant_token(f->c, TOKEN, &err);
    push_json(f, 400, "{\"code\":99991400,\"msg\":\"request trigger frequency limit\"}");
    push_json(f, 400, "{\"code\":99991400,\"msg\":\"request trigger frequency limit\"}");
    assert_int_equal(run(f, &call, &err), COREHR_E_RATE_LIMITED);
    assert_int_equal(err.api_code, 99991400);
    assert_int_equal(err.attempts, 2);
}

static void cap_client(fixture *f)
{
    corehr_client_options_t o = test_options(f);
    corehr_error_t err;

    o.max_response_bytes = 1024;
    new_client(f, &o);
    corehr_client_set_tenant_token(f->c, TOKEN, &err);
}

static void http_body_over_cap_is_too_large(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    static char big[64 * 1024];
    corehr_error_t err;
    mock_response_t r;

    cap_client(f);
    memset(big, ' ', sizeof big - 1);
    memcpy(big, "{\"code\":0,\"data\":{}}", 20);
    memset(&r, 0, sizeof r);
    r.body = big;
    push(f, &r);          /* with Content-Length: refused up front */
    r.chunked = true;
    push(f, &r);          /* chunked: the write callback stops it */
    call.retry_safe = true;
    assert_int_equal(run(f, &call, &err), COREHR_E_TOO_LARGE);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(run(f, &call, &err), COREHR_E_TOO_LARGE);
    assert_int_equal(err.attempts, 1);
}

static void http_redirect_is_not_followed(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    char headers[160];
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    snprintf(headers, sizeof headers, "Location: %s/open-apis/elsewhere?x=1",
             mock_server_url(f->srv));
    memset(&r, 0, sizeof r);
    r.status = 302;
    r.headers = headers;
    push(f, &r);
    push_json(f, 200, OK_BODY);
    assert_int_equal(run(f, &call, &err), COREHR_E_HTTP);
    assert_int_equal(err.http_status, 302);
    assert_int_equal(mock_server_request_count(f->srv), 1);
    assert_non_null(strstr(err.message, "/open-apis/elsewhere"));
}

/* ---- client-side rate limiting ---------------------------------------------------------- */

static void http_rate_limiter_makes_the_11th_call_wait(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;
    int i;

    static_client(f);
    memset(&r, 0, sizeof r);
    r.body = OK_BODY;
    r.repeat = true;
    push(f, &r);
    call.rate_count = 10;
    call.rate_period_ms = 1000;
    for (i = 0; i < 10; i++) {
        assert_int_equal(run(f, &call, &err), 0);
        f->now += 10;
    }
    assert_int_equal(f->sleep_count, 0);
    assert_int_equal(run(f, &call, &err), 0);       /* the 11th */
    assert_int_equal(f->sleep_count, 1);
    assert_int_equal(f->sleeps[0], 1000 + 10 - 100);   /* until the 1st leaves the window, + 1% guard */
    assert_int_equal(mock_server_request_count(f->srv), 11);
    /* another endpoint has its own window */
    call.endpoint = "get_probation";
    assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(f->sleep_count, 1);
}

/* A limit of two parts (here 5 per second and 2 per 100 ms): a call waits
 * until it fits both windows, whichever frees later. */
static void http_rate_limiter_enforces_every_part(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    static const corehr_rt_rate_t more[] = {{2, 100}};
    corehr_error_t err;
    mock_response_t r;
    int i;

    static_client(f);
    memset(&r, 0, sizeof r);
    r.body = OK_BODY;
    r.repeat = true;
    push(f, &r);
    call.rate_count = 5;
    call.rate_period_ms = 1000;
    call.rate_more = more;
    call.rate_more_count = 1;
    for (i = 0; i < 6; i++)
        assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(mock_server_request_count(f->srv), 6);
    assert_int_equal(f->sleep_count, 3);
    /* 3rd and 5th: the 100 ms window (+ 5 ms guard) of the two before */
    assert_int_equal(f->sleeps[0], 105);
    assert_int_equal(f->sleeps[1], 105);
    /* 6th: the 100 ms window has room, the second one does not: the 1st
     * call (at 0) leaves it at 1000 + 10 ms guard; now is 210 */
    assert_int_equal(f->sleeps[2], 800);
    assert_non_null(strstr(f->logs, "waiting 105 ms for the rate limit (2 per 100 ms)"));
    assert_non_null(strstr(f->logs, "waiting 800 ms for the rate limit (5 per 1000 ms)"));
}

static void http_rate_limiter_rejects_bad_parts(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    static const corehr_rt_rate_t negative[] = {{-1, 100}};
    corehr_error_t err;

    static_client(f);
    call.rate_more_count = 1;
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    call.rate_more = negative;
    assert_int_equal(run(f, &call, &err), COREHR_E_ARG);
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

static void http_rate_limiter_can_be_turned_off(void **state)
{
    fixture *f = *state;
    corehr_client_options_t o = test_options(f);
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;
    mock_response_t r;
    int i;

    o.rate_limit = false;
    new_client(f, &o);
    corehr_client_set_tenant_token(f->c, TOKEN, &err);
    memset(&r, 0, sizeof r);
    r.body = OK_BODY;
    r.repeat = true;
    push(f, &r);
    call.rate_count = 2;
    call.rate_period_ms = 60000;
    for (i = 0; i < 5; i++)
        assert_int_equal(run(f, &call, &err), 0);
    assert_int_equal(f->sleep_count, 0);
}

/* ---- logging and misc ------------------------------------------------------------------- */

static void http_logs_never_contain_the_token(void **state)
{
    fixture *f = *state;
    corehr_rt_call_t call = submit_call();
    corehr_error_t err;

    app_client(f);
    push_token(f, "t-fetched-1", 7200);
    push_json(f, 500, "{\"code\":1,\"msg\":\"echo Bearer t-fetched-1\"}");
    push_json(f, 400, "{\"code\":99991663,\"msg\":\"bad token t-fetched-1\"}");
    push_token(f, "t-fetched-2", 7200);
    push_json(f, 400, "{\"code\":1161001,\"msg\":\"nope t-fetched-2 " APP_SECRET "\"}");
    call.retry_safe = true;
    assert_int_equal(run(f, &call, &err), COREHR_E_API);
    assert_true(f->logs_len > 0);
    assert_non_null(strstr(f->logs, "submit_probation"));
    assert_no_secret(f->logs);
    assert_no_secret(err.message);
    assert_no_secret(err.api_msg);
}

static void http_uuid4_is_random_version_4(void **state)
{
    char a[37], b[37];
    int i;

    (void)state;
    assert_int_equal(corehr_rt_uuid4(a), 0);
    assert_int_equal(corehr_rt_uuid4(b), 0);
    assert_int_equal(strlen(a), 36);
    assert_string_not_equal(a, b);
    for (i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(a[i], '-');
        else
            assert_non_null(strchr("0123456789abcdef", a[i]));
    }
    assert_int_equal(a[14], '4');
    assert_non_null(strchr("89ab", a[19]));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(http_static_token_sends_headers_and_body),
        T(http_get_sends_no_body_and_delete_its_method),
        T(http_data_absent_or_null_gives_null),
        T(http_keep_alive_reuses_the_connection),
        T(http_query_values_are_percent_encoded),
        T(http_path_segment_encodes_one_segment),
        T(http_path_segment_reaches_the_server_encoded),
        T(http_bad_call_is_rejected_before_sending),
        T(http_app_credentials_fetch_token_once),
        T(http_token_is_refreshed_shortly_before_expiry),
        T(http_rejected_token_is_refreshed_and_call_retried_once),
        T(http_token_rejected_twice_is_auth_error),
        T(http_static_token_rejected_is_not_retried),
        T(http_token_fetch_refused_is_auth_error),
        T(http_no_credentials_is_auth_error),
        T(http_header_injection_is_refused),
        T(http_options_are_checked),
        T(http_api_error_fills_code_msg_and_log_id),
        T(http_non_envelope_json_is_envelope_error),
        T(http_connection_refused_is_retried_even_if_unsafe),
        T(http_server_gone_after_success_counts_as_unsent),
        T(http_timeout_is_not_retried_when_unsafe),
        T(http_slow_body_times_out_and_safe_call_retries),
        T(http_truncated_json_is_json_error),
        T(http_connection_closed_mid_body_is_transport_error),
        T(http_html_502_is_envelope_error_with_status),
        T(http_500_is_retried_then_succeeds),
        T(http_500_is_not_retried_when_unsafe),
        T(http_empty_500_exhausts_retries_as_http_error),
        T(http_429_honours_retry_after_and_ratelimit_reset),
        T(http_retry_after_beyond_cap_gives_up),
        T(http_retry_after_beyond_a_day_gives_up),
        T(http_base_url_open_apis_suffix_is_removed),
        T(http_rate_limit_code_is_rate_limited),
        T(http_body_over_cap_is_too_large),
        T(http_redirect_is_not_followed),
        T(http_rate_limiter_makes_the_11th_call_wait),
        T(http_rate_limiter_enforces_every_part),
        T(http_rate_limiter_rejects_bad_parts),
        T(http_rate_limiter_can_be_turned_off),
        T(http_logs_never_contain_the_token),
        T(http_uuid4_is_random_version_4),
    };
    int rc;

    if (corehr_global_init() < 0)
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    corehr_global_cleanup();
    return rc;
}
