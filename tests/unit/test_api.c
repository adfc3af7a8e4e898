/* test_api.c - the four generated endpoint functions end to end, over real
 * HTTP to a local server (tests/support/mock_server.c); no curl mocks.
 *
 * Requests are built from the documentation examples of the specs (loaded
 * with the generator's own loader, as in test_codec.c): the path and query
 * from the parameters' examples, the body with the generated _body_parse
 * from the request example. The server answers the response example, and
 * the typed data must equal its `data`. Then the things an endpoint function
 * adds over the transport: path encoding, validation before sending,
 * idempotency keys, retry safety, typed errors under /data, app credentials,
 * the spec's rate limit, a missing `data`.
 *
 * As in test_http.c, the client's clock and sleep are injected: sleeps are
 * recorded and move a fake clock, so nothing here waits.
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
#include "corehr_specs.h"
#include "oapigen.h"

#define TOKEN "t-static-api-0123456789abcdef"
#define APP_SECRET "s3cr3t-api-app-secret"
#define TOKEN_PATH "/open-apis/auth/v3/tenant_access_token/internal"
#define JSON_UTF8 "application/json; charset=utf-8"

#define PATCH_ASSESSMENT_PATH "/open-apis/corehr/v2/probation/assessments/7140964208476371331"
#define CREATE_PATH "/open-apis/corehr/v2/probation/assessments"
#define SUBMIT_PATH "/open-apis/corehr/v2/probation/submit"
#define ASSIGNMENT_PATH \
    "/open-apis/corehr/v2/employees/international_assignments/7127921432117937708"
#define ASSESSMENTS_PREFIX "/open-apis/corehr/v2/probation/assessments/"
#define ASSIGNMENTS_PREFIX "/open-apis/corehr/v2/employees/international_assignments/"

#define ERROR_500 "{\"code\":1160002,\"msg\":\"未知错误\"}"

static og_set *specs;

/* ---- the specs: loaded once for the whole group ------------------------- */

static int load_specs(void **state)
{
    (void)state;
    specs = corehr_specs_load();
    if (!specs)
        return -1;
    if (corehr_global_init() < 0)
        return -1;
    return 0;
}

static int free_specs(void **state)
{
    (void)state;
    og_set_free(specs);
    corehr_global_cleanup();
    return 0;
}

static const og_endpoint *endpoint(const char *name)
{
    const og_endpoint *ep = corehr_specs_endpoint(specs, name);
    if (!ep)
        fail_msg("no endpoint %s", name);
    return ep;
}

/* {"name": example, ...} of a parameter list (path or query). */
static cJSON *example_params(const og_field_list *fields)
{
    cJSON *obj = cJSON_CreateObject();

    assert_non_null(obj);
    for (size_t i = 0; i < fields->count; i++) {
        const og_field *f = &fields->items[i];
        assert_non_null(f->example_json);
        cJSON *v = cJSON_Parse(f->example_json);
        assert_non_null(v);
        cJSON_AddItemToObject(obj, f->name, v);
    }
    return obj;
}

/* The `data` of the endpoint's response example, detached; caller frees. */
static cJSON *example_data(const og_endpoint *e)
{
    cJSON *envelope = cJSON_Parse(e->response_example);
    cJSON *data = cJSON_DetachItemFromObjectCaseSensitive(envelope, "data");

    assert_non_null(data);
    cJSON_Delete(envelope);
    return data;
}

/* ---- requests made of the documentation examples ------------------------ */

/* Fills req->path / req->query from the examples of the spec parameters and
 * req->body from the request example, through the generated readers. */
#define FILL_PATH(ep, req)                                                    \
    do {                                                                      \
        cJSON *j_ = example_params(&endpoint(#ep)->path_params);              \
        corehr_##ep##_path_t *p_ = NULL;                                      \
        assert_int_equal(corehr_##ep##_path_from_json(&p_, j_, NULL), 0);     \
        (req)->path = *p_;                                                    \
        free(p_);                                                             \
        cJSON_Delete(j_);                                                     \
    } while (0)

#define FILL_QUERY(ep, req)                                                   \
    do {                                                                      \
        cJSON *j_ = example_params(&endpoint(#ep)->query);                    \
        corehr_##ep##_query_t *q_ = NULL;                                     \
        assert_int_equal(corehr_##ep##_query_from_json(&q_, j_, NULL), 0);    \
        (req)->query = *q_;                                                   \
        free(q_);                                                             \
        cJSON_Delete(j_);                                                     \
    } while (0)

#define FILL_BODY(ep, req)                                                    \
    do {                                                                      \
        const char *t_ = endpoint(#ep)->request_example;                      \
        corehr_##ep##_body_t *b_ = NULL;                                      \
        assert_non_null(t_);                                                  \
        assert_int_equal(corehr_##ep##_body_parse(&b_, t_, strlen(t_), NULL), 0); \
        (req)->body = *b_;                                                    \
        free(b_);                                                             \
    } while (0)

static void patch_probation_assessment_example(corehr_patch_probation_assessment_request_t *r)
{
    memset(r, 0, sizeof *r);
    FILL_PATH(patch_probation_assessment, r);
    FILL_QUERY(patch_probation_assessment, r);
    FILL_BODY(patch_probation_assessment, r);
}

static void patch_probation_assessment_clear(corehr_patch_probation_assessment_request_t *r)
{
    corehr_patch_probation_assessment_path_clear(&r->path);
    corehr_patch_probation_assessment_query_clear(&r->query);
    corehr_patch_probation_assessment_body_clear(&r->body);
}

static void create_probation_assessments_example(corehr_create_probation_assessments_request_t *r)
{
    memset(r, 0, sizeof *r);
    FILL_QUERY(create_probation_assessments, r);
    FILL_BODY(create_probation_assessments, r);
}

static void create_probation_assessments_clear(corehr_create_probation_assessments_request_t *r)
{
    corehr_create_probation_assessments_query_clear(&r->query);
    corehr_create_probation_assessments_body_clear(&r->body);
}

static void submit_probation_example(corehr_submit_probation_request_t *r)
{
    memset(r, 0, sizeof *r);
    FILL_QUERY(submit_probation, r);
    FILL_BODY(submit_probation, r);
}

static void submit_probation_clear(corehr_submit_probation_request_t *r)
{
    corehr_submit_probation_query_clear(&r->query);
    corehr_submit_probation_body_clear(&r->body);
}

static void patch_international_assignment_example(
    corehr_patch_international_assignment_request_t *r)
{
    memset(r, 0, sizeof *r);
    FILL_PATH(patch_international_assignment, r);
    FILL_QUERY(patch_international_assignment, r);
    FILL_BODY(patch_international_assignment, r);
}

static void patch_international_assignment_clear(
    corehr_patch_international_assignment_request_t *r)
{
    corehr_patch_international_assignment_path_clear(&r->path);
    corehr_patch_international_assignment_query_clear(&r->query);
    corehr_patch_international_assignment_body_clear(&r->body);
}

/* Replaces an owned string member of a request (NULL unsets it). */
static void set_str(char **member, const char *value)
{
    free(*member);
    *member = value ? strdup(value) : NULL;
    if (value)
        assert_non_null(*member);
}

/* ---- fixture: a server, a client, a fake clock, captured logs ----------- */

static void new_client(fixture *f)
{
    corehr_client_options_t o;
    corehr_error_t err;

    o = fixture_options(f, 5000, 2000);
    corehr_client_free(f->c);
    f->c = NULL;
    assert_int_equal(corehr_client_new(&f->c, &o, &err), 0);
}

static void static_client(fixture *f)
{
    corehr_error_t err;

    new_client(f);
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

/* Queues a response for `path` (NULL: any path). */
static void push_at(fixture *f, const char *path, unsigned status, const char *body,
                    const char *headers)
{
    mock_response_t r;

    memset(&r, 0, sizeof r);
    r.path = path;
    r.status = status;
    r.body = body;
    r.headers = headers;
    assert_int_equal(mock_server_push(f->srv, &r), 0);
}

/* Answers every request to any path with `body`. */
static void push_repeat(fixture *f, const char *body)
{
    mock_response_t r;

    memset(&r, 0, sizeof r);
    r.body = body;
    r.repeat = true;
    assert_int_equal(mock_server_push(f->srv, &r), 0);
}

static void push_token(fixture *f, const char *token)
{
    char body[256];

    snprintf(body, sizeof body,
             "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"%s\",\"expire\":7200}",
             token);
    push_at(f, TOKEN_PATH, 200, body, NULL);
}

static const mock_request_t *request(fixture *f, size_t i)
{
    const mock_request_t *r = mock_server_request(f->srv, i);

    assert_non_null(r);
    return r;
}

/* ---- assertions ---------------------------------------------------------- */

static void assert_ok(int rc, const corehr_error_t *err)
{
    if (rc != 0)
        fail_msg("call failed: %d %s: %s [at %s] (HTTP %ld, code %ld %s)", rc,
                 corehr_strerror(rc), err->message, err->path, err->http_status,
                 err->api_code, err->api_msg);
}

static void assert_json_equal(const cJSON *want, const cJSON *got)
{
    if (!cJSON_Compare(want, got, true)) {
        char *a = cJSON_PrintUnformatted(want), *b = cJSON_PrintUnformatted(got);
        print_error("want %s\n got %s\n", a, b);
        cJSON_free(a);
        cJSON_free(b);
        fail();
    }
}

/* Body text sent and the JSON text expected are the same JSON value. */
static void assert_body_is(const mock_request_t *r, const char *want_text)
{
    cJSON *want = cJSON_Parse(want_text), *got = cJSON_Parse(r->body);

    assert_non_null(want);
    if (!got)
        fail_msg("body is not JSON: %s", r->body);
    assert_json_equal(want, got);
    cJSON_Delete(want);
    cJSON_Delete(got);
}

/* Everything the server saw of one API call. */
static void assert_request(const mock_request_t *r, const char *method, const char *path,
                           const char *query, const char *auth, const char *body)
{
    assert_string_equal(r->method, method);
    assert_string_equal(r->path, path);
    assert_string_equal(r->query, query);
    assert_non_null(mock_request_header(r, "Content-Type"));
    assert_string_equal(mock_request_header(r, "Content-Type"), JSON_UTF8);
    assert_non_null(mock_request_header(r, "Authorization"));
    assert_string_equal(mock_request_header(r, "Authorization"), auth);
    assert_body_is(r, body);
}

/* The client_token of a raw query string, copied into out[128]. */
static const char *query_client_token(const mock_request_t *r, char out[128])
{
    const char *p = strstr(r->query, "client_token=");
    size_t n;

    assert_non_null(p);
    assert_true(p == r->query || p[-1] == '&');
    p += strlen("client_token=");
    n = strcspn(p, "&");
    assert_true(n < 128);
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

/* An RFC 4122 version 4 UUID in lower case. */
static void assert_uuid4(const char *s)
{
    assert_int_equal(strlen(s), 36);
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(s[i], '-');
        else
            assert_non_null(strchr("0123456789abcdef", s[i]));
    }
    assert_int_equal(s[14], '4');
    assert_non_null(strchr("89ab", s[19]));
}

static void assert_no_secret(const char *s)
{
    assert_null(strstr(s, TOKEN));
    assert_null(strstr(s, "t-fetched"));
    assert_null(strstr(s, APP_SECRET));
}

/* ---- each endpoint sends its example and reads the example answer -------- */

/* Typed checks of the example data, beyond the JSON comparison. */
static void check_patch_probation_assessment(const corehr_patch_probation_assessment_data_t *d)
{
    assert_non_null(d);   /* "data": {} is an empty struct */
}

static void check_create_probation_assessments(
    const corehr_create_probation_assessments_data_t *d)
{
    assert_int_equal(d->assessment_ids_count, 1);
    assert_string_equal(d->assessment_ids[0], "7140964208476371991");
}

static void check_submit_probation(const corehr_submit_probation_data_t *d)
{
    const corehr_probation_info_for_submit_t *p = d->probation_info;

    assert_non_null(p);
    assert_string_equal(p->employment_id, "6893014062142064135");
    assert_string_equal(p->probation_id, "6893014062142064132");
    assert_true(p->has_converted_via_bpm);
    assert_false(p->converted_via_bpm);
    assert_true(p->has_final_assessment_score);
    assert_true(p->final_assessment_score > 99.89 && p->final_assessment_score < 99.91);
    assert_int_equal(p->custom_fields_count, 1);
    assert_string_equal(p->custom_fields[0].name->zh_cn, "自定义姓名");
    assert_true(p->custom_fields[0].has_type);
    assert_int_equal(p->custom_fields[0].type, 1);
    assert_string_equal(p->probation_status->display[0].lang, "zh-CN");
}

static void check_patch_international_assignment(
    const corehr_patch_international_assignment_data_t *d)
{
    const corehr_employees_international_assignment_resp_t *a = d->international_assignment;

    assert_non_null(a);
    assert_string_equal(a->id, "7127921432117937708");
    assert_true(a->has_weekly_working_hours_v2);
    assert_true(a->weekly_working_hours_v2 == 8.0);
    assert_int_equal(a->custom_fields_count, 1);
    assert_string_equal(a->custom_fields[0].value, "Sandy");
    assert_string_equal(a->work_shift->display[0].value, "中文示例");
    assert_string_equal(a->effective_time, "2024-01-02");
}

#define EXAMPLE_TEST(ep, method, path, query)                                 \
    static void ep##_sends_the_example_and_reads_the_answer(void **state)    \
    {                                                                         \
        fixture *f = *state;                                                  \
        const og_endpoint *e = endpoint(#ep);                                 \
        corehr_##ep##_request_t req;                                          \
        corehr_##ep##_data_t *data = NULL;                                    \
        corehr_error_t err;                                                   \
        cJSON *want, *got = NULL;                                             \
                                                                              \
        static_client(f);                                                     \
        ep##_example(&req);                                                   \
        push_at(f, path, 200, e->response_example, "X-Tt-Logid: log-" #ep);   \
        assert_ok(corehr_##ep(f->c, &req, &data, &err), &err);                \
        assert_int_equal(err.attempts, 1);                                    \
        assert_int_equal(err.http_status, 200);                               \
        assert_int_equal(mock_server_request_count(f->srv), 1);               \
        assert_request(request(f, 0), method, path, query, "Bearer " TOKEN,   \
                       e->request_example);                                   \
        want = example_data(e);                                               \
        assert_int_equal(corehr_##ep##_data_to_json(data, &got), 0);          \
        assert_json_equal(want, got);                                         \
        check_##ep(data);                                                     \
        assert_no_secret(f->logs);                                            \
        cJSON_Delete(want);                                                   \
        cJSON_Delete(got);                                                    \
        corehr_##ep##_data_free(data);                                        \
        ep##_clear(&req);                                                     \
    }

EXAMPLE_TEST(patch_probation_assessment, "PATCH", PATCH_ASSESSMENT_PATH,
             "client_token=6822122262122064111")
EXAMPLE_TEST(create_probation_assessments, "POST", CREATE_PATH,
             "client_token=6822122262122064111&user_id_type=open_id")
EXAMPLE_TEST(submit_probation, "POST", SUBMIT_PATH,
             "client_token=6822122262122064111&user_id_type=open_id")
EXAMPLE_TEST(patch_international_assignment, "PATCH", ASSIGNMENT_PATH,
             "client_token=12454646&user_id_type=open_id"
             "&department_id_type=open_department_id")

/* ---- path parameters ------------------------------------------------------ */

static void path_parameter_is_one_encoded_segment(void **state)
{
    static const struct {
        const char *value, *raw;
    } cases[] = {
        {"a/b", ASSESSMENTS_PREFIX "a%2Fb"},
        {"../x", ASSESSMENTS_PREFIX "..%2Fx"},
        {"../../../auth/v3/x", ASSESSMENTS_PREFIX "..%2F..%2F..%2Fauth%2Fv3%2Fx"},
        {"x?y=1#z", ASSESSMENTS_PREFIX "x%3Fy%3D1%23z"},
        {"a b%2F", ASSESSMENTS_PREFIX "a%20b%252F"},
    };
    fixture *f = *state;
    corehr_patch_probation_assessment_request_t req;
    corehr_patch_probation_assessment_data_t *data;
    corehr_error_t err;
    size_t i, n = sizeof cases / sizeof cases[0];

    static_client(f);
    push_repeat(f, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
    patch_probation_assessment_example(&req);
    for (i = 0; i < n; i++) {
        set_str(&req.path.assessment_id, cases[i].value);
        assert_ok(corehr_patch_probation_assessment(f->c, &req, &data, &err), &err);
        corehr_patch_probation_assessment_data_free(data);
        assert_string_equal(request(f, i)->path, cases[i].raw);
        assert_string_equal(request(f, i)->query, "client_token=6822122262122064111");
    }
    patch_probation_assessment_clear(&req);
}

static void path_parameter_of_assignment_is_encoded_too(void **state)
{
    fixture *f = *state;
    corehr_patch_international_assignment_request_t req;
    corehr_patch_international_assignment_data_t *data;
    corehr_error_t err;

    static_client(f);
    push_repeat(f, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
    patch_international_assignment_example(&req);
    set_str(&req.path.international_assignment_id, "7127921432117937708/../1");
    assert_ok(corehr_patch_international_assignment(f->c, &req, &data, &err), &err);
    corehr_patch_international_assignment_data_free(data);
    assert_string_equal(request(f, 0)->path, ASSIGNMENTS_PREFIX "7127921432117937708%2F..%2F1");
    patch_international_assignment_clear(&req);
}

/* "", "." and ".." cannot be one path segment: the request is invalid (as
 * request_validate says too), not a call that failed. */
static void dot_segments_are_refused_before_sending(void **state)
{
    static const char *const refused[] = {"..", ".", ""};
    static const char *const said[] = {
        "/path/assessment_id must not be \"..\"", "/path/assessment_id must not be \".\"",
        "/path/assessment_id must not be empty",
    };
    fixture *f = *state;
    corehr_patch_probation_assessment_request_t req;
    corehr_patch_probation_assessment_data_t *data = (void *)&req;
    corehr_violations_t v = {0};
    corehr_error_t err;

    static_client(f);
    patch_probation_assessment_example(&req);
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        set_str(&req.path.assessment_id, refused[i]);
        assert_int_equal(corehr_patch_probation_assessment(f->c, &req, &data, &err),
                         COREHR_E_INVALID);
        assert_null(data);
        assert_string_equal(err.path, "/path/assessment_id");
        assert_int_equal(err.violations, 1);
        if (!strstr(err.message, said[i]))
            fail_msg("message '%s' lacks '%s'", err.message, said[i]);
        assert_int_equal(corehr_patch_probation_assessment_request_validate(&req, &v), 1);
        assert_string_equal(v.items[0].path, "/path/assessment_id");
        corehr_violations_free(&v);
    }
    assert_int_equal(mock_server_request_count(f->srv), 0);
    patch_probation_assessment_clear(&req);
}

/* ---- validation: nothing invalid is sent ------------------------------------ */

/* Calls submit_probation with req and expects COREHR_E_INVALID at path. */
static void expect_invalid_submit(fixture *f, const corehr_submit_probation_request_t *req,
                                  const char *path, const char *message, size_t count)
{
    corehr_submit_probation_data_t *data = (void *)f;
    corehr_error_t err;

    assert_int_equal(corehr_submit_probation(f->c, req, &data, &err), COREHR_E_INVALID);
    assert_null(data);
    assert_int_equal(err.code, COREHR_E_INVALID);
    assert_string_equal(err.path, path);
    assert_int_equal(err.violations, count);
    if (!strstr(err.message, message))
        fail_msg("message '%s' lacks '%s'", err.message, message);
    assert_int_equal(err.attempts, 0);
    assert_int_equal(err.http_status, 0);
}

static void invalid_submit_is_refused_before_sending(void **state)
{
    fixture *f = *state;
    corehr_submit_probation_request_t req;

    static_client(f);
    submit_probation_example(&req);
    set_str(&req.body.employment_id, NULL);
    expect_invalid_submit(f, &req, "/body/employment_id", "/body/employment_id is required", 1);
    set_str(&req.body.employment_id, "7140964208476371111");

    req.body.conversion_mode = 3;
    expect_invalid_submit(f, &req, "/body/conversion_mode", "must be one of: 1, 2 (is 3)", 1);
    req.body.has_conversion_mode = false;
    /* the value is set, but without its has_ flag it is not sent: say so */
    expect_invalid_submit(f, &req, "/body/conversion_mode",
                          "/body/conversion_mode is required (has_conversion_mode is false)", 1);
    req.body.conversion_mode = 0;   /* not set at all: no hint */
    {
        corehr_submit_probation_data_t *data = NULL;
        corehr_error_t err;

        assert_int_equal(corehr_submit_probation(f->c, &req, &data, &err), COREHR_E_INVALID);
        assert_string_equal(err.message, "/body/conversion_mode is required");
    }
    req.body.has_conversion_mode = true;
    req.body.conversion_mode = 1;

    set_str(&req.body.submission_type, "robot");
    expect_invalid_submit(f, &req, "/body/submission_type", "must be one of", 1);
    set_str(&req.body.submission_type, "system");

    set_str(&req.query.user_id_type, "email");
    expect_invalid_submit(f, &req, "/query/user_id_type", "must be one of", 1);
    set_str(&req.body.notes, NULL);   /* required when conversion_mode is 1 */
    /* every violation is in the message; code and path are the first one's */
    expect_invalid_submit(f, &req, "/query/user_id_type",
                          "; /body/notes is required when conversion_mode is 1", 2);

    /* err may be NULL */
    corehr_submit_probation_data_t *data = NULL;
    assert_int_equal(corehr_submit_probation(f->c, &req, &data, NULL), COREHR_E_INVALID);
    assert_int_equal(mock_server_request_count(f->srv), 0);
    submit_probation_clear(&req);
}

/* More violations than the message holds: whole ones, then how many more;
 * err->violations still counts them all. */
static void many_violations_fit_the_message(void **state)
{
    fixture *f = *state;
    corehr_create_probation_assessments_request_t req;
    corehr_create_probation_assessments_data_t *data = NULL;
    corehr_assessment_for_create_t items[40];
    corehr_violations_t v = {0};
    corehr_error_t err;
    char more[32];
    int n;

    static_client(f);
    memset(items, 0, sizeof items);
    memset(&req, 0, sizeof req);
    req.body.employment_id = "7140964208476371111";
    req.body.assessments = items;
    req.body.assessments_count = 40;
    n = corehr_create_probation_assessments_request_validate(&req, &v);
    assert_true(n >= 40);
    assert_int_equal(corehr_create_probation_assessments(f->c, &req, &data, &err),
                     COREHR_E_INVALID);
    assert_int_equal(err.violations, (size_t)n);
    assert_string_equal(err.path, v.items[0].path);
    assert_int_equal(strncmp(err.message, v.items[0].path, strlen(v.items[0].path)), 0);
    assert_non_null(strstr(err.message, v.items[1].path));
    assert_true(strlen(err.message) < sizeof err.message);
    /* the listed ones plus "(and N more)" add up to all of them */
    size_t listed = 1;
    for (const char *p = err.message; (p = strstr(p, "; ")) != NULL; p += 2)
        listed++;
    snprintf(more, sizeof more, " (and %zu more)", (size_t)n - listed);
    assert_true(listed < (size_t)n);
    assert_string_equal(err.message + strlen(err.message) - strlen(more), more);
    corehr_violations_free(&v);
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

static void invalid_path_and_token_are_refused_before_sending(void **state)
{
    fixture *f = *state;
    corehr_patch_probation_assessment_request_t pa;
    corehr_patch_international_assignment_request_t ia;
    corehr_patch_probation_assessment_data_t *pa_data = NULL;
    corehr_patch_international_assignment_data_t *ia_data = NULL;
    corehr_error_t err;
    char token[102];

    static_client(f);
    patch_probation_assessment_example(&pa);
    set_str(&pa.path.assessment_id, NULL);
    assert_int_equal(corehr_patch_probation_assessment(f->c, &pa, &pa_data, &err),
                     COREHR_E_INVALID);
    assert_string_equal(err.path, "/path/assessment_id");
    assert_int_equal(err.violations, 1);
    set_str(&pa.path.assessment_id, "1");
    set_str(&pa.body.assessment_status, "done");
    assert_int_equal(corehr_patch_probation_assessment(f->c, &pa, &pa_data, &err),
                     COREHR_E_INVALID);
    assert_string_equal(err.path, "/body/assessment_status");
    assert_null(pa_data);

    patch_international_assignment_example(&ia);
    memset(token, 'k', sizeof token - 1);
    token[sizeof token - 1] = '\0';   /* 101 characters: one too many */
    set_str(&ia.query.client_token, token);
    assert_int_equal(corehr_patch_international_assignment(f->c, &ia, &ia_data, &err),
                     COREHR_E_INVALID);
    assert_string_equal(err.path, "/query/client_token");
    assert_int_equal(err.violations, 1);
    assert_non_null(strstr(err.message, "at most 100 characters"));
    ia.body.has_weekly_working_hours_v2 = true;
    ia.body.weekly_working_hours_v2 = 169;
    assert_int_equal(corehr_patch_international_assignment(f->c, &ia, &ia_data, &err),
                     COREHR_E_INVALID);
    assert_int_equal(err.violations, 2);
    assert_null(ia_data);
    assert_int_equal(mock_server_request_count(f->srv), 0);

    /* 100 characters are fine and sent as given */
    ia.body.weekly_working_hours_v2 = 40;
    token[100] = '\0';
    set_str(&ia.query.client_token, token);
    push_at(f, ASSIGNMENT_PATH, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}", NULL);
    assert_ok(corehr_patch_international_assignment(f->c, &ia, &ia_data, &err), &err);
    assert_non_null(strstr(request(f, 0)->query, token));
    corehr_patch_international_assignment_data_free(ia_data);
    patch_probation_assessment_clear(&pa);
    patch_international_assignment_clear(&ia);
}

static void null_arguments_are_refused(void **state)
{
    fixture *f = *state;
    corehr_submit_probation_request_t req;
    corehr_submit_probation_data_t *data = NULL;
    corehr_error_t err;

    static_client(f);
    submit_probation_example(&req);
    assert_int_equal(corehr_submit_probation(NULL, &req, &data, &err), COREHR_E_ARG);
    assert_int_equal(corehr_submit_probation(f->c, NULL, &data, &err), COREHR_E_ARG);
    assert_null(data);
    assert_int_equal(corehr_submit_probation(f->c, &req, NULL, &err), COREHR_E_ARG);
    assert_int_equal(mock_server_request_count(f->srv), 0);
    submit_probation_clear(&req);
}

/* ---- idempotency keys and retries ------------------------------------------ */

static void empty_client_token_is_a_uuid_kept_across_retries(void **state)
{
    fixture *f = *state;
    const og_endpoint *e = endpoint("create_probation_assessments");
    corehr_create_probation_assessments_request_t req;
    corehr_create_probation_assessments_data_t *data = NULL;
    corehr_error_t err;
    char first[128], second[128], third[128];

    static_client(f);
    create_probation_assessments_example(&req);
    set_str(&req.query.client_token, NULL);
    push_at(f, CREATE_PATH, 500, ERROR_500, NULL);
    push_at(f, CREATE_PATH, 200, e->response_example, NULL);
    assert_ok(corehr_create_probation_assessments(f->c, &req, &data, &err), &err);
    check_create_probation_assessments(data);
    corehr_create_probation_assessments_data_free(data);
    assert_int_equal(err.attempts, 2);
    assert_int_equal(f->sleep_count, 1);
    assert_int_equal(mock_server_request_count(f->srv), 2);
    /* the retry is the same request: same key, same body */
    query_client_token(request(f, 0), first);
    assert_uuid4(first);
    assert_string_equal(query_client_token(request(f, 1), second), first);
    assert_string_equal(request(f, 0)->query, request(f, 1)->query);
    assert_string_equal(request(f, 0)->body, request(f, 1)->body);
    assert_request(request(f, 1), "POST", CREATE_PATH, request(f, 0)->query,
                   "Bearer " TOKEN, e->request_example);
    /* the request is only read: the key was not written back */
    assert_null(req.query.client_token);

    /* "" counts as empty; every call gets a fresh key */
    set_str(&req.query.client_token, "");
    push_at(f, CREATE_PATH, 200, e->response_example, NULL);
    assert_ok(corehr_create_probation_assessments(f->c, &req, &data, &err), &err);
    corehr_create_probation_assessments_data_free(data);
    query_client_token(request(f, 2), third);
    assert_uuid4(third);
    assert_string_not_equal(third, first);
    assert_string_equal(req.query.client_token, "");
    create_probation_assessments_clear(&req);
}

static void every_endpoint_fills_an_empty_client_token(void **state)
{
    fixture *f = *state;
    corehr_patch_probation_assessment_request_t pa;
    corehr_submit_probation_request_t sp;
    corehr_patch_international_assignment_request_t ia;
    corehr_patch_probation_assessment_data_t *pa_data = NULL;
    corehr_submit_probation_data_t *sp_data = NULL;
    corehr_patch_international_assignment_data_t *ia_data = NULL;
    corehr_error_t err;
    char key[128];

    static_client(f);
    push_repeat(f, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
    patch_probation_assessment_example(&pa);
    submit_probation_example(&sp);
    patch_international_assignment_example(&ia);
    set_str(&pa.query.client_token, NULL);
    set_str(&sp.query.client_token, NULL);
    set_str(&ia.query.client_token, NULL);
    assert_ok(corehr_patch_probation_assessment(f->c, &pa, &pa_data, &err), &err);
    assert_ok(corehr_submit_probation(f->c, &sp, &sp_data, &err), &err);
    assert_ok(corehr_patch_international_assignment(f->c, &ia, &ia_data, &err), &err);
    for (size_t i = 0; i < 3; i++)
        assert_uuid4(query_client_token(request(f, i), key));
    assert_string_equal(request(f, 1)->query + strlen("client_token=") + 36,
                        "&user_id_type=open_id");
    corehr_patch_probation_assessment_data_free(pa_data);
    corehr_submit_probation_data_free(sp_data);
    corehr_patch_international_assignment_data_free(ia_data);
    patch_probation_assessment_clear(&pa);
    submit_probation_clear(&sp);
    patch_international_assignment_clear(&ia);
}

static void caller_client_token_is_kept_across_retries(void **state)
{
    fixture *f = *state;
    corehr_patch_international_assignment_request_t req;
    corehr_patch_international_assignment_data_t *data = NULL;
    corehr_error_t err;

    static_client(f);
    patch_international_assignment_example(&req);
    set_str(&req.query.client_token, "caller-key-42");
    push_at(f, ASSIGNMENT_PATH, 503, "", NULL);
    push_at(f, ASSIGNMENT_PATH, 200,
            endpoint("patch_international_assignment")->response_example, NULL);
    assert_ok(corehr_patch_international_assignment(f->c, &req, &data, &err), &err);
    assert_int_equal(err.attempts, 2);
    for (size_t i = 0; i < 2; i++)
        assert_string_equal(request(f, i)->query,
                            "client_token=caller-key-42&user_id_type=open_id"
                            "&department_id_type=open_department_id");
    corehr_patch_international_assignment_data_free(data);
    patch_international_assignment_clear(&req);
}

static void submit_post_is_retried_on_500_with_its_key(void **state)
{
    fixture *f = *state;
    const og_endpoint *e = endpoint("submit_probation");
    corehr_submit_probation_request_t req;
    corehr_submit_probation_data_t *data = NULL;
    corehr_error_t err;
    char key[128];

    static_client(f);
    submit_probation_example(&req);
    push_at(f, SUBMIT_PATH, 500, ERROR_500, NULL);
    push_at(f, SUBMIT_PATH, 500, ERROR_500, NULL);
    push_at(f, SUBMIT_PATH, 200, e->response_example, NULL);
    assert_ok(corehr_submit_probation(f->c, &req, &data, &err), &err);
    check_submit_probation(data);
    assert_int_equal(err.attempts, 3);
    assert_int_equal(mock_server_request_count(f->srv), 3);
    assert_int_equal(f->sleep_count, 2);
    assert_in_range(f->sleeps[0], 250, 500);   /* backoff with jitter */
    assert_in_range(f->sleeps[1], 500, 1000);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(request(f, i)->method, "POST");
        assert_string_equal(query_client_token(request(f, i), key), "6822122262122064111");
        assert_body_is(request(f, i), e->request_example);
    }
    corehr_submit_probation_data_free(data);
    submit_probation_clear(&req);
}

static void submit_gives_up_after_max_retries(void **state)
{
    fixture *f = *state;
    corehr_submit_probation_request_t req;
    corehr_submit_probation_data_t *data = (void *)f;
    corehr_error_t err;
    mock_response_t r;

    static_client(f);
    submit_probation_example(&req);
    memset(&r, 0, sizeof r);
    r.status = 500;
    r.body = ERROR_500;
    r.headers = "X-Tt-Logid: log-500";
    r.repeat = true;
    assert_int_equal(mock_server_push(f->srv, &r), 0);
    assert_int_equal(corehr_submit_probation(f->c, &req, &data, &err), COREHR_E_API);
    assert_null(data);
    assert_int_equal(err.api_code, 1160002);
    assert_int_equal(err.http_status, 500);
    assert_string_equal(err.log_id, "log-500");
    assert_int_equal(err.attempts, 4);   /* 1 + max_retries */
    assert_int_equal(mock_server_request_count(f->srv), 4);
    submit_probation_clear(&req);
}

/* ---- errors ------------------------------------------------------------------ */

static void wrong_typed_response_field_is_type_error_under_data(void **state)
{
    static const struct {
        const char *data, *path;
    } cases[] = {
        {"{\"probation_info\":{\"converted_via_bpm\":\"yes\"}}",
         "/data/probation_info/converted_via_bpm"},
        {"{\"probation_info\":{\"custom_fields\":[{\"type\":\"1\"}]}}",
         "/data/probation_info/custom_fields/0/type"},
        {"{\"probation_info\":{\"submission_type\":{\"display\":[{\"lang\":7}]}}}",
         "/data/probation_info/submission_type/display/0/lang"},
        {"{\"probation_info\":[]}", "/data/probation_info"},
        {"[]", "/data"},
    };
    fixture *f = *state;
    corehr_submit_probation_request_t req;
    corehr_error_t err;
    char body[512];

    static_client(f);
    submit_probation_example(&req);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        corehr_submit_probation_data_t *data = (void *)f;
        snprintf(body, sizeof body, "{\"code\":0,\"msg\":\"success\",\"data\":%s}",
                 cases[i].data);
        push_at(f, SUBMIT_PATH, 200, body, "X-Tt-Logid: log-type");
        assert_int_equal(corehr_submit_probation(f->c, &req, &data, &err), COREHR_E_TYPE);
        assert_null(data);
        assert_int_equal(err.code, COREHR_E_TYPE);
        assert_string_equal(err.path, cases[i].path);
        assert_non_null(strstr(err.message, "submit_probation: response /data"));
        /* what the transport learnt survives: support needs the log id */
        assert_int_equal(err.http_status, 200);
        assert_string_equal(err.log_id, "log-type");
        assert_int_equal(err.attempts, 1);
    }
    assert_int_equal(mock_server_request_count(f->srv), 5);   /* no retry */
    submit_probation_clear(&req);
}

static void api_error_gives_code_msg_status_and_log_id(void **state)
{
    fixture *f = *state;
    corehr_patch_international_assignment_request_t req;
    corehr_patch_international_assignment_data_t *data = (void *)f;
    corehr_error_t err;

    static_client(f);
    patch_international_assignment_example(&req);
    push_at(f, ASSIGNMENT_PATH, 400,
            "{\"code\":1160001,\"msg\":\"参数错误\",\"data\":{}}",
            "X-Tt-Logid: 20250609123456789ABCDEF");
    assert_int_equal(corehr_patch_international_assignment(f->c, &req, &data, &err),
                     COREHR_E_API);
    assert_null(data);
    assert_int_equal(err.code, COREHR_E_API);
    assert_int_equal(err.api_code, 1160001);
    assert_string_equal(err.api_msg, "参数错误");
    assert_int_equal(err.http_status, 400);
    assert_string_equal(err.log_id, "20250609123456789ABCDEF");
    assert_int_equal(err.attempts, 1);   /* a 400 is not retried */
    assert_non_null(strstr(err.message, "patch_international_assignment"));
    assert_int_equal(mock_server_request_count(f->srv), 1);
    assert_no_secret(err.message);
    patch_international_assignment_clear(&req);
}

/* ---- the response path on given bytes (bench/codec) ------------------------- */


/* corehr_rt_read_response() is what bench/codec times as the call's response
 * path: on every kind of 200 body it must give what the endpoint function
 * gives for the same bytes off the wire: result, error code, path, API code
 * and message, and the same typed data. */
static void read_response_gives_what_the_call_gives(void **state)
{
    const char *bodies[] = {
        endpoint("submit_probation")->response_example,
        "{\"code\":0,\"msg\":\"success\",\"data\":{\"probation_info\":"
        "{\"converted_via_bpm\":\"yes\"}}}",
        "{\"code\":0,\"msg\":\"success\"}",
        "{\"code\":0,\"msg\":\"success\",\"data\":null}",
        "{\"code\":1160001,\"msg\":\"参数错误\",\"data\":{}}",
        "{\"code\":0,\"msg\":\"success\",\"data\":{\"probation_info\":{",
        "<html>bad gateway</html>",
        "{\"msg\":\"no code\"}",
        /* not for the quick path (a key twice, an escaped key): the tree */
        "{\"code\":0,\"msg\":\"success\",\"data\":{\"probation_info\":"
        "{\"converted_via_bpm\":\"a\"}},\"data\":{}}",
        "{\"code\":0,\"msg\":\"success\",\"d\\u0061ta\":{}}",
        "{\"code\":0,\"msg\":\"success\",\"error\":{\"log_id\":\"L1\"},\"data\":{}}",
        "{\"code\":0.0,\"msg\":\"x\",\"data\":{\"probation_info\":{\"converted_via_bpm\":7}}}",
    };
    fixture *f = *state;
    corehr_submit_probation_request_t req;

    static_client(f);
    submit_probation_example(&req);
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        corehr_submit_probation_data_t *called = NULL;
        void *read = (void *)f;
        corehr_error_t e1, e2;

        push_at(f, SUBMIT_PATH, 200, bodies[i], NULL);
        int rc1 = corehr_submit_probation(f->c, &req, &called, &e1);
        int rc2 = corehr_rt_read_response("submit_probation", bodies[i], strlen(bodies[i]),
                                          &corehr_submit_probation_data_desc, &read, &e2);
        assert_int_equal(rc2, rc1);
        assert_int_equal(e2.code, e1.code);
        assert_string_equal(e2.path, e1.path);
        assert_string_equal(e2.message, e1.message);
        assert_int_equal(e2.api_code, e1.api_code);
        assert_string_equal(e2.api_msg, e1.api_msg);
        assert_int_equal(e2.http_status, 200);
        if (rc1 < 0) {
            assert_null(called);
            assert_null(read);
            continue;
        }
        assert_ok(rc2, &e2);
        char *a = corehr_submit_probation_data_print(called);
        char *b = corehr_submit_probation_data_print(read);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(b, a);
        cJSON_free(a);
        cJSON_free(b);
        corehr_submit_probation_data_free(called);
        corehr_submit_probation_data_free(read);
    }
    /* the example is read, not refused */
    assert_int_equal(mock_server_request_count(f->srv), sizeof bodies / sizeof bodies[0]);
    submit_probation_clear(&req);
}

/* ---- authentication ------------------------------------------------------------ */

static void app_credentials_fetch_a_token_then_call(void **state)
{
    fixture *f = *state;
    const og_endpoint *e = endpoint("submit_probation");
    corehr_submit_probation_request_t req;
    corehr_submit_probation_data_t *data = NULL;
    corehr_error_t err;
    const mock_request_t *t;
    cJSON *body;

    new_client(f);
    assert_int_equal(corehr_client_set_app_credentials(f->c, "cli_a1b2c3", APP_SECRET, &err), 0);
    assert_int_equal(mock_server_request_count(f->srv), 0);   /* nothing until the call */
    push_token(f, "t-fetched-api-1");
    push_at(f, SUBMIT_PATH, 200, e->response_example, NULL);
    push_at(f, SUBMIT_PATH, 200, e->response_example, NULL);
    submit_probation_example(&req);
    assert_ok(corehr_submit_probation(f->c, &req, &data, &err), &err);
    check_submit_probation(data);
    corehr_submit_probation_data_free(data);
    assert_int_equal(mock_server_request_count(f->srv), 2);
    t = request(f, 0);
    assert_string_equal(t->method, "POST");
    assert_string_equal(t->path, TOKEN_PATH);
    assert_null(mock_request_header(t, "Authorization"));
    body = cJSON_Parse(t->body);
    assert_non_null(body);
    assert_string_equal(cJSON_GetObjectItem(body, "app_id")->valuestring, "cli_a1b2c3");
    assert_string_equal(cJSON_GetObjectItem(body, "app_secret")->valuestring, APP_SECRET);
    cJSON_Delete(body);
    assert_request(request(f, 1), "POST", SUBMIT_PATH,
                   "client_token=6822122262122064111&user_id_type=open_id",
                   "Bearer t-fetched-api-1", e->request_example);
    /* the token is cached: the next call goes straight to the endpoint */
    assert_ok(corehr_submit_probation(f->c, &req, &data, &err), &err);
    corehr_submit_probation_data_free(data);
    assert_int_equal(mock_server_request_count(f->srv), 3);
    assert_string_equal(mock_request_header(request(f, 2), "Authorization"),
                        "Bearer t-fetched-api-1");
    assert_no_secret(f->logs);
    submit_probation_clear(&req);
}

/* ---- client-side rate limiting from the spec ------------------------------------ */

static void assignment_rate_limit_makes_the_11th_call_wait(void **state)
{
    fixture *f = *state;
    corehr_patch_international_assignment_request_t ia;
    corehr_patch_probation_assessment_request_t pa;
    corehr_patch_international_assignment_data_t *ia_data;
    corehr_patch_probation_assessment_data_t *pa_data;
    corehr_error_t err;
    int i;

    static_client(f);
    push_repeat(f, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
    patch_international_assignment_example(&ia);
    for (i = 0; i < 10; i++) {   /* 10 per second, the spec says */
        assert_ok(corehr_patch_international_assignment(f->c, &ia, &ia_data, &err), &err);
        corehr_patch_international_assignment_data_free(ia_data);
        f->now += 10;
    }
    assert_int_equal(f->sleep_count, 0);
    assert_ok(corehr_patch_international_assignment(f->c, &ia, &ia_data, &err), &err);
    corehr_patch_international_assignment_data_free(ia_data);
    assert_int_equal(f->sleep_count, 1);
    assert_int_equal(f->sleeps[0], 1000 + 10 - 100);   /* until the 1st leaves the window, + 1% guard */
    assert_int_equal(mock_server_request_count(f->srv), 11);
    assert_non_null(strstr(f->logs, "rate limit"));

    /* patch_probation_assessment has its own window: 100 per minute */
    patch_probation_assessment_example(&pa);
    for (i = 0; i < 11; i++) {
        assert_ok(corehr_patch_probation_assessment(f->c, &pa, &pa_data, &err), &err);
        corehr_patch_probation_assessment_data_free(pa_data);
    }
    assert_int_equal(f->sleep_count, 1);
    patch_international_assignment_clear(&ia);
    patch_probation_assessment_clear(&pa);
}

/* ---- a missing `data` -------------------------------------------------------------- */

static void missing_or_null_data_gives_an_empty_struct(void **state)
{
    static const char *const bodies[] = {
        "{\"code\":0,\"msg\":\"success\"}",
        "{\"code\":0,\"msg\":\"success\",\"data\":null}",
        "{\"code\":0,\"msg\":\"success\",\"data\":{}}",
    };
    fixture *f = *state;
    corehr_submit_probation_request_t sp;
    corehr_create_probation_assessments_request_t cp;
    corehr_patch_international_assignment_request_t ia;
    corehr_error_t err;
    cJSON *json;

    static_client(f);
    submit_probation_example(&sp);
    create_probation_assessments_example(&cp);
    patch_international_assignment_example(&ia);
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        corehr_submit_probation_data_t *sd = NULL;
        corehr_create_probation_assessments_data_t *cd = NULL;
        corehr_patch_international_assignment_data_t *id = NULL;

        push_at(f, NULL, 200, bodies[i], NULL);
        push_at(f, NULL, 200, bodies[i], NULL);
        push_at(f, NULL, 200, bodies[i], NULL);
        assert_ok(corehr_submit_probation(f->c, &sp, &sd, &err), &err);
        assert_ok(corehr_create_probation_assessments(f->c, &cp, &cd, &err), &err);
        assert_ok(corehr_patch_international_assignment(f->c, &ia, &id, &err), &err);
        assert_non_null(sd);
        assert_null(sd->probation_info);
        assert_non_null(cd);
        assert_null(cd->assessment_ids);
        assert_int_equal(cd->assessment_ids_count, 0);
        assert_non_null(id);
        assert_null(id->international_assignment);
        assert_int_equal(corehr_submit_probation_data_to_json(sd, &json), 0);
        assert_int_equal(cJSON_GetArraySize(json), 0);
        cJSON_Delete(json);
        corehr_submit_probation_data_free(sd);
        corehr_create_probation_assessments_data_free(cd);
        corehr_patch_international_assignment_data_free(id);
    }
    assert_int_equal(mock_server_request_count(f->srv), 9);
    submit_probation_clear(&sp);
    create_probation_assessments_clear(&cp);
    patch_international_assignment_clear(&ia);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(patch_probation_assessment_sends_the_example_and_reads_the_answer),
        T(create_probation_assessments_sends_the_example_and_reads_the_answer),
        T(submit_probation_sends_the_example_and_reads_the_answer),
        T(patch_international_assignment_sends_the_example_and_reads_the_answer),
        T(path_parameter_is_one_encoded_segment),
        T(path_parameter_of_assignment_is_encoded_too),
        T(dot_segments_are_refused_before_sending),
        T(invalid_submit_is_refused_before_sending),
        T(many_violations_fit_the_message),
        T(invalid_path_and_token_are_refused_before_sending),
        T(null_arguments_are_refused),
        T(empty_client_token_is_a_uuid_kept_across_retries),
        T(every_endpoint_fills_an_empty_client_token),
        T(caller_client_token_is_kept_across_retries),
        T(submit_post_is_retried_on_500_with_its_key),
        T(submit_gives_up_after_max_retries),
        T(wrong_typed_response_field_is_type_error_under_data),
        T(api_error_gives_code_msg_status_and_log_id),
        T(read_response_gives_what_the_call_gives),
        T(app_credentials_fetch_a_token_then_call),
        T(assignment_rate_limit_makes_the_11th_call_wait),
        T(missing_or_null_data_gives_an_empty_struct),
    };

    return cmocka_run_group_tests(tests, load_specs, free_specs);
}
