/* test_hostile.c - the generated corehr client against hostile input and a
 * hostile network: header values with CR/LF, query and path values that try
 * to smuggle structure, secrets that must never be echoed, and TLS servers
 * whose certificates must not be trusted (a local libmicrohttpd HTTPS server
 * with certificates made by `openssl req` at test time).
 *
 * test_http.c covers the transport's everyday contract; this file adds what
 * an attacker controls. Needs openssl on PATH for the TLS tests (skipped
 * otherwise) and a libmicrohttpd built with TLS.
 */
#include "corehr_api.h"
#include "mock_server.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOKEN "t-hostile-secret-77aa11"
#define SECRET "app-secret-hostile-99bb22"
#define OK_BODY "{\"code\":0,\"msg\":\"ok\",\"data\":{}}"
#define SUBMIT_PATH "/open-apis/corehr/v2/probation/submit"

static corehr_rt_call_t submit_call(void)
{
    corehr_rt_call_t call;
    memset(&call, 0, sizeof call);
    call.endpoint = "submit_probation";
    call.method = "POST";
    call.path = SUBMIT_PATH;
    call.body = "{}";
    return call;
}

static int run(corehr_client_t *c, const corehr_rt_call_t *call, corehr_error_t *err)
{
    cJSON *data = NULL;
    int rc = corehr_rt_http_call(c, call, &data, err);
    cJSON_Delete(data);
    return rc;
}

static char logs[65536];

static void capture_log(void *user, int level, const char *msg)
{
    size_t n = strlen(logs);
    (void)user;
    snprintf(logs + n, sizeof logs - n, "%d %s\n", level, msg);
}

static void no_sleep(void *user, long ms)
{
    (void)user;
    (void)ms;
}

static corehr_client_t *new_client(const char *base_url, bool insecure, const char *ca_file)
{
    corehr_client_options_t o;
    corehr_client_t *c = NULL;
    corehr_error_t err;
    corehr_client_options_init(&o);
    o.base_url = base_url;
    o.insecure_skip_tls_verify = insecure;
    o.ca_file = ca_file;
    o.max_retries = 0;
    /* generous: under valgrind on a loaded machine, loading the system CA
     * bundle for a TLS handshake (counted as connecting) can take more
     * than 10 s */
    o.timeout_ms = 60000;
    o.connect_timeout_ms = 60000;
    o.sleep = no_sleep;
    o.log = capture_log;
    o.log_level = COREHR_LOG_DEBUG;
    assert_int_equal(corehr_client_new(&c, &o, &err), 0);
    assert_int_equal(corehr_client_set_tenant_token(c, TOKEN, &err), 0);
    return c;
}

static void assert_no_secret(const char *s)
{
    assert_null(strstr(s, TOKEN));
    assert_null(strstr(s, "hostile-secret"));
    assert_null(strstr(s, SECRET));
}

/* ---- header values --------------------------------------------------------- */

/* Every value that ends up in a header line: CR, LF and other control bytes
 * are refused, and the refusal does not quote the secret. */
static void header_values_with_control_bytes_are_refused(void **state)
{
    static const char *const bad[] = {
        TOKEN "\r\nX-Evil: 1", TOKEN "\r", TOKEN "\n", TOKEN "\nX: 1", "\r\n" TOKEN,
        TOKEN "\t", TOKEN "\x7f", TOKEN "\x01",
    };
    corehr_client_options_t o;
    corehr_client_t *c = NULL;
    corehr_error_t err;
    (void)state;
    corehr_client_options_init(&o);
    assert_int_equal(corehr_client_new(&c, &o, &err), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(corehr_client_set_tenant_token(c, bad[i], &err), COREHR_E_ARG);
        assert_no_secret(err.message);
        assert_int_equal(corehr_client_set_app_credentials(c, "cli_a", bad[i], &err),
                         COREHR_E_ARG);
        assert_no_secret(err.message);
        assert_int_equal(corehr_client_set_app_credentials(c, bad[i], SECRET, &err),
                         COREHR_E_ARG);
        assert_no_secret(err.message);
    }
    corehr_client_free(c);

    static const char *const bad_urls[] = {
        "https://open.feishu.cn\r\nX-Evil: 1", "https://open.feishu.cn\n",
        "https://open.feishu.cn/\r", "https://open.feishu .cn",
    };
    for (size_t i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++) {
        corehr_client_options_init(&o);
        o.base_url = bad_urls[i];
        c = NULL;
        if (corehr_client_new(&c, &o, &err) != COREHR_E_ARG)
            fail_msg("base_url '%s' was accepted", bad_urls[i]);
        assert_null(c);
    }
    static const char *const bad_agents[] = {"ua\r\nX-Evil: 1", "ua\n", "ua\r", "ua\x01"};
    for (size_t i = 0; i < sizeof bad_agents / sizeof bad_agents[0]; i++) {
        corehr_client_options_init(&o);
        o.user_agent = bad_agents[i];
        c = NULL;
        assert_int_equal(corehr_client_new(&c, &o, &err), COREHR_E_ARG);
        assert_null(c);
    }
}

/* ---- query and path values ---------------------------------------------------- */

/* Values are data: CR/LF, '&', '=', '#' and '%' are encoded, so they can
 * neither end the request line nor add parameters. */
static void query_and_path_values_cannot_add_structure(void **state)
{
    mock_server_t *srv;
    corehr_error_t err;
    corehr_rt_call_t call = submit_call();
    corehr_rt_path_t p = {0};
    const corehr_query_param_t q[] = {
        {"user_id_type", "open_id\r\nX-Evil: 1"},
        {"client_token", "a&user_id_type=union_id#frag%41"},
    };
    (void)state;
    assert_int_equal(mock_server_start(&srv), 0);
    corehr_client_t *c = new_client(mock_server_url(srv), false, NULL);
    assert_int_equal(mock_server_push_json(srv, 200, OK_BODY), 0);
    corehr_rt_path_append(&p, "/open-apis/corehr/v2/probation/assessments/");
    corehr_rt_path_segment(&p, "x\r\nHost: evil.example\r\n\r\n?a=b#c");
    assert_int_equal(p.rc, 0);
    call.path = p.buf;
    call.method = "PATCH";
    call.query = q;
    call.query_count = 2;
    assert_int_equal(run(c, &call, &err), 0);
    const mock_request_t *r = mock_server_request(srv, 0);
    assert_non_null(r);
    assert_string_equal(r->path, "/open-apis/corehr/v2/probation/assessments/"
                                 "x%0D%0AHost%3A%20evil.example%0D%0A%0D%0A%3Fa%3Db%23c");
    assert_string_equal(r->query, "user_id_type=open_id%0D%0AX-Evil%3A%201"
                                  "&client_token=a%26user_id_type%3Dunion_id%23frag%2541");
    assert_null(mock_request_header(r, "X-Evil"));
    corehr_client_free(c);
    mock_server_stop(srv);
}

/* The generated endpoint function: a path parameter is one segment, and
 * "." or ".." is refused before anything is sent. */
static void endpoint_path_parameter_stays_in_its_segment(void **state)
{
    mock_server_t *srv;
    corehr_error_t err;
    corehr_patch_probation_assessment_request_t req;
    corehr_patch_probation_assessment_data_t *out = NULL;
    (void)state;
    assert_int_equal(mock_server_start(&srv), 0);
    corehr_client_t *c = new_client(mock_server_url(srv), false, NULL);
    memset(&req, 0, sizeof req);
    req.body.assessment_status = (char *)"completed";
    req.body.has_is_final_asssessment = true;
    req.path.assessment_id = (char *)"..";
    assert_true(corehr_patch_probation_assessment(c, &req, &out, &err) < 0);
    assert_null(out);
    assert_int_equal(mock_server_request_count(srv), 0);
    assert_int_equal(mock_server_push_json(srv, 200, OK_BODY), 0);
    req.path.assessment_id = (char *)"../../../auth/v3/tenant_access_token/internal?x=1";
    if (corehr_patch_probation_assessment(c, &req, &out, &err) != 0)
        fail_msg("%s", err.message);
    const mock_request_t *r = mock_server_request(srv, 0);
    assert_non_null(r);
    assert_string_equal(r->path, "/open-apis/corehr/v2/probation/assessments/"
                                 "..%2F..%2F..%2Fauth%2Fv3%2Ftenant_access_token%2Finternal%3Fx%3D1");
    /* only the generated idempotency key: nothing from the path parameter */
    assert_int_equal(strncmp(r->query, "client_token=", 13), 0);
    assert_int_equal(strlen(r->query), 13 + 36);
    corehr_patch_probation_assessment_data_free(out);
    corehr_client_free(c);
    mock_server_stop(srv);
}

/* ---- secrets ------------------------------------------------------------------- */

/* A server that echoes the token back in msg, a header and the body of an
 * error: neither the error struct nor the logs repeat it. */
static void echoed_token_is_scrubbed_from_errors_and_logs(void **state)
{
    mock_server_t *srv;
    mock_response_t resp;
    corehr_error_t err;
    corehr_rt_call_t call = submit_call();
    (void)state;
    logs[0] = '\0';
    assert_int_equal(mock_server_start(&srv), 0);
    corehr_client_t *c = new_client(mock_server_url(srv), false, NULL);
    memset(&resp, 0, sizeof resp);
    resp.status = 400;
    resp.body = "{\"code\":1,\"msg\":\"bad Bearer " TOKEN " for " TOKEN "\"}";
    resp.headers = "X-Tt-Logid: " TOKEN "\n";
    assert_int_equal(mock_server_push(srv, &resp), 0);
    assert_int_equal(run(c, &call, &err), COREHR_E_API);
    assert_no_secret(err.message);
    assert_no_secret(err.api_msg);
    assert_no_secret(err.log_id);
    assert_no_secret(err.path);
    assert_no_secret(logs);
    /* ... and it was sent: this test would pass vacuously otherwise */
    const mock_request_t *r = mock_server_request(srv, 0);
    assert_non_null(r);
    assert_string_equal(mock_request_header(r, "Authorization"), "Bearer " TOKEN);
    corehr_client_free(c);
    mock_server_stop(srv);
}

/* ---- TLS --------------------------------------------------------------------------- */

typedef struct tls_server {
    struct MHD_Daemon *d;
    char url[64];
    int requests;
    char dir[64];
} tls_server;

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *size, void **con_cls)
{
    tls_server *s = cls;
    (void)url, (void)method, (void)version, (void)data;
    if (!*con_cls) {    /* first call: headers only */
        *con_cls = s;
        return MHD_YES;
    }
    if (*size) {        /* swallow the body */
        *size = 0;
        return MHD_YES;
    }
    __atomic_add_fetch(&s->requests, 1, __ATOMIC_SEQ_CST);
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(OK_BODY), (void *)OK_BODY, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(conn, 200, r);
    MHD_destroy_response(r);
    return ret;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = calloc(1, 65536);
    assert_non_null(f);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 65535, f);
    assert_true(n > 0);
    fclose(f);
    return buf;
}

/* A self-signed certificate for `san` (e.g. "IP:127.0.0.1") in s->dir. */
static bool make_cert(tls_server *s, const char *san)
{
    char cmd[1024];
    snprintf(s->dir, sizeof s->dir, "/tmp/test_hostile.XXXXXX");
    if (!mkdtemp(s->dir))
        return false;
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
             "-keyout %s/key.pem -out %s/cert.pem -days 2 -subj /CN=oapigen-test "
             "-addext subjectAltName=%s >/dev/null 2>&1",
             s->dir, s->dir, san);
    return system(cmd) == 0;
}

static void start_tls(tls_server *s, const char *san)
{
    memset(s, 0, sizeof *s);
    if (system("command -v openssl >/dev/null 2>&1") != 0 ||
        MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        skip();
    assert_true(make_cert(s, san));
    char path[128];
    snprintf(path, sizeof path, "%s/key.pem", s->dir);
    char *key = read_all(path);
    snprintf(path, sizeof path, "%s/cert.pem", s->dir);
    char *cert = read_all(path);
    s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_TLS, 0, NULL, NULL,
                            answer, s, MHD_OPTION_HTTPS_MEM_KEY, key,
                            MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_END);
    free(key);
    free(cert);
    assert_non_null(s->d);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    assert_non_null(info);
    snprintf(s->url, sizeof s->url, "https://127.0.0.1:%u", (unsigned)info->port);
}

static void stop_tls(tls_server *s)
{
    char cmd[128];
    MHD_stop_daemon(s->d);
    snprintf(cmd, sizeof cmd, "rm -rf %s", s->dir);
    assert_int_equal(system(cmd), 0);
}

static int requests(tls_server *s)
{
    return __atomic_load_n(&s->requests, __ATOMIC_SEQ_CST);
}

static const char *cert_file(const tls_server *s)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/cert.pem", s->dir);
    return path;
}

/* Verification is on by default: a certificate no CA vouches for ends the
 * call before any request (and so the token) is sent. */
static void tls_self_signed_certificate_is_refused_by_default(void **state)
{
    tls_server s;
    corehr_client_options_t o;
    corehr_error_t err;
    corehr_rt_call_t call = submit_call();
    (void)state;
    corehr_client_options_init(&o);
    assert_false(o.insecure_skip_tls_verify);
    assert_null(o.ca_file);
    start_tls(&s, "IP:127.0.0.1");
    logs[0] = '\0';
    corehr_client_t *c = new_client(s.url, false, NULL);
    assert_int_equal(run(c, &call, &err), COREHR_E_TRANSPORT);
    assert_int_equal(err.curl_code, CURLE_PEER_FAILED_VERIFICATION);
    assert_int_equal(requests(&s), 0);
    assert_no_secret(err.message);
    assert_no_secret(logs);
    corehr_client_free(c);

    /* The same server, trusted through ca_file: it was only the trust. */
    c = new_client(s.url, false, cert_file(&s));
    assert_int_equal(run(c, &call, &err), 0);
    assert_int_equal(requests(&s), 1);
    corehr_client_free(c);
    stop_tls(&s);
}

/* Host names are checked too: a trusted certificate for another name is
 * refused; turning verification off (tests only) is logged as a warning. */
static void tls_certificate_for_another_host_is_refused(void **state)
{
    tls_server s;
    corehr_error_t err;
    corehr_rt_call_t call = submit_call();
    (void)state;
    start_tls(&s, "DNS:open.feishu.cn");
    corehr_client_t *c = new_client(s.url, false, cert_file(&s));
    assert_int_equal(run(c, &call, &err), COREHR_E_TRANSPORT);
    assert_int_equal(err.curl_code, CURLE_PEER_FAILED_VERIFICATION);
    assert_int_equal(requests(&s), 0);
    corehr_client_free(c);

    logs[0] = '\0';
    c = new_client(s.url, true, NULL);
    assert_int_equal(run(c, &call, &err), 0);
    assert_int_equal(requests(&s), 1);
    assert_non_null(strstr(logs, "TLS certificate verification is OFF"));
    corehr_client_free(c);
    stop_tls(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_values_with_control_bytes_are_refused),
        cmocka_unit_test(query_and_path_values_cannot_add_structure),
        cmocka_unit_test(endpoint_path_parameter_stays_in_its_segment),
        cmocka_unit_test(echoed_token_is_scrubbed_from_errors_and_logs),
        cmocka_unit_test(tls_self_signed_certificate_is_refused_by_default),
        cmocka_unit_test(tls_certificate_for_another_host_is_refused),
    };
    if (corehr_global_init() < 0)
        return 1;
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    corehr_global_cleanup();
    return rc;
}
