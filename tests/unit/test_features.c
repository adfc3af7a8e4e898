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

/* ---- failing allocations ---------------------------------------------------- */

/* With FEAT_TEST_WRAP_ALLOC (and the --wrap link flags of tests/meson.build)
 * allocation number `alloc_countdown` fails, in the generated code through
 * --wrap and in libcjson through its hooks. Only the out-of-memory test sets
 * it, while no server thread runs. */
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

#ifdef FEAT_TEST_WRAP_ALLOC
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
#define REAL_MALLOC __real_malloc
#else
#define REAL_MALLOC malloc
#endif

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
    static cJSON_Hooks hooks = {hook_malloc, hook_free};

    cJSON_InitHooks(&hooks);
    alloc_failed = false;
    alloc_countdown = n;
}

static void stop_failing(void)
{
    alloc_countdown = -1;
    cJSON_InitHooks(NULL);
}

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

/* ---- nested arrays ------------------------------------------------------------ */

#define MATRIX_PATH "/open-apis/feat/v1/matrix"
#define MATRIX_BODY                                                            \
    "{\"matrix\":[[1,2],[],[-3]],\"tags\":[[[\"a\",\"中\"],[]],[]],"            \
    "\"cells\":[[{\"x\":1,\"label\":\"l\"}],[]],\"blobs\":[[{\"k\":[1]},\"s\"],[]]}"

static void matrix_example(feat_put_matrix_request_t *req)
{
    feat_put_matrix_body_t *b = NULL;
    feat_error_t err;

    memset(req, 0, sizeof *req);
    assert_int_equal(feat_put_matrix_body_parse(&b, MATRIX_BODY, strlen(MATRIX_BODY), &err), 0);
    req->body = *b;
    free(b);
}

static void nested_arrays_are_sent(void **state)
{
    fixture *f = *state;
    feat_put_matrix_request_t req;
    feat_put_matrix_data_t *data = NULL;
    feat_error_t err;

    matrix_example(&req);
    /* the struct as a caller sees it */
    assert_int_equal(req.body.matrix_count, 3);
    assert_int_equal(req.body.matrix[0].count, 2);
    assert_int_equal(req.body.matrix[0].items[1], 2);
    assert_int_equal(req.body.matrix[1].count, 0);
    assert_non_null(req.body.matrix[1].items);   /* [] stays [] */
    assert_string_equal(req.body.tags[0].items[0].items[1], "中");
    assert_int_equal(req.body.cells[0].items[0].x, 1);
    assert_true(cJSON_IsString(req.body.blobs[0].items[1]));
    push(f, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
    assert_ok(feat_put_matrix(f->c, &req, &data, &err), &err);
    const mock_request_t *r = mock_server_request(f->srv, 0);
    assert_non_null(r);
    assert_string_equal(r->path, MATRIX_PATH);
    assert_string_equal(r->body, MATRIX_BODY);
    feat_put_matrix_data_free(data);

    /* built by hand: an int[][] of [[7], []] */
    feat_put_matrix_body_t b;
    feat_int32_list_t rows[2] = {{NULL, 0}, {NULL, 0}};
    int32_t seven = 7, none[1];
    memset(&b, 0, sizeof b);
    rows[0].items = &seven;
    rows[0].count = 1;
    rows[1].items = none;
    b.matrix = rows;
    b.matrix_count = 2;
    char *text = feat_put_matrix_body_print(&b);
    assert_string_equal(text, "{\"matrix\":[[7],[]]}");
    cJSON_free(text);
    feat_put_matrix_body_clear(&req.body);
}

static void nested_arrays_are_read(void **state)
{
    fixture *f = *state;
    feat_put_matrix_request_t req;
    feat_put_matrix_data_t *data = NULL;
    feat_error_t err;
    const char *answer = "{\"matrix\":[[1],[2,3]],\"tags\":[[[\"x\"]],[[],[\"y\",\"z\"]]],"
                         "\"cells\":[[],[{\"x\":2}]],\"blobs\":[[null,{}]],"
                         "\"scores\":[[1.5,-0.25]],\"flags\":[[true],[false]],"
                         "\"ids\":[[9007199254740991]]}";
    char envelope[512];

    matrix_example(&req);
    snprintf(envelope, sizeof envelope, "{\"code\":0,\"msg\":\"ok\",\"data\":%s}", answer);
    push(f, 200, envelope);
    assert_ok(feat_put_matrix(f->c, &req, &data, &err), &err);
    assert_int_equal(data->matrix[1].items[1], 3);
    assert_string_equal(data->tags[1].items[1].items[1], "z");
    assert_int_equal(data->tags[1].items[0].count, 0);
    assert_int_equal(data->cells[1].items[0].x, 2);
    assert_true(cJSON_IsNull(data->blobs[0].items[0]));
    assert_true(data->scores[0].items[1] == -0.25);
    assert_false(data->flags[1].items[0]);
    assert_true(data->ids[0].items[0] == INT64_C(9007199254740991));
    char *printed = feat_put_matrix_data_print(data);
    assert_string_equal(printed, answer);
    cJSON *tree = NULL;
    assert_int_equal(feat_put_matrix_data_to_json(data, &tree), 0);
    char *from_tree = cJSON_PrintUnformatted(tree);
    assert_string_equal(from_tree, answer);
    cJSON_free(printed);
    cJSON_free(from_tree);
    cJSON_Delete(tree);
    feat_put_matrix_data_free(data);
    feat_put_matrix_body_clear(&req.body);
}

static void nested_array_rules_are_checked(void **state)
{
    fixture *f = *state;
    feat_put_matrix_request_t req;
    feat_put_matrix_data_t *data = NULL;
    feat_error_t err;
    feat_violations_t v = {0};

    memset(&req, 0, sizeof req);
    assert_int_equal(feat_put_matrix(f->c, &req, &data, &err), FEAT_E_INVALID);
    assert_string_equal(err.path, "/body/matrix");
    assert_string_equal(err.message, "/body/matrix is required");

    const char *bad = "{\"matrix\":[[1],[2],[3],[4]],\"tags\":[[[\"a\",\"b\"]]],"
                      "\"cells\":[[],[{\"label\":\"no x\"}]],\"blobs\":[[1]]}";
    feat_put_matrix_body_t *b = NULL;
    assert_int_equal(feat_put_matrix_body_parse(&b, bad, strlen(bad), &err), 0);
    req.body = *b;
    free(b);
    free(req.body.tags[0].items[0].items[1]);
    req.body.tags[0].items[0].items[1] = NULL;           /* a NULL leaf */
    cJSON_Delete(req.body.blobs[0].items[0]);
    req.body.blobs[0].items[0] = NULL;                   /* a NULL json leaf */
    assert_int_equal(feat_put_matrix_request_validate(&req, &v), 4);
    assert_string_equal(v.items[0].path, "/body/matrix");
    assert_string_equal(v.items[0].message, "must have at most 3 items (has 4)");
    assert_string_equal(v.items[1].path, "/body/tags/0/0/1");
    assert_string_equal(v.items[1].message, "must not be null");
    assert_string_equal(v.items[2].path, "/body/cells/1/0/x");
    assert_string_equal(v.items[2].message, "is required");
    assert_string_equal(v.items[3].path, "/body/blobs/0/0");
    feat_violations_free(&v);

    /* an inner list that claims items it does not have */
    req.body.matrix_count = 2;
    int32_t *kept = req.body.matrix[1].items;
    req.body.matrix[1].items = NULL;
    req.body.matrix[1].count = 2;
    feat_put_matrix_body_t only = {0};
    only.matrix = req.body.matrix;
    only.matrix_count = 2;
    assert_int_equal(feat_put_matrix_body_validate(&only, &v), 1);
    assert_string_equal(v.items[0].path, "/matrix/1");
    assert_string_equal(v.items[0].message, "has 2 items but no storage");
    feat_violations_free(&v);
    assert_null(feat_put_matrix_body_print(&only));
    req.body.matrix[1].items = kept;
    req.body.matrix[1].count = 1;
    req.body.matrix_count = 4;
    assert_int_equal(mock_server_request_count(f->srv), 0);
    feat_put_matrix_body_clear(&req.body);
}

static void nested_array_server_errors_are_typed(void **state)
{
    fixture *f = *state;
    feat_put_matrix_request_t req;
    feat_put_matrix_data_t *data = NULL;
    feat_error_t err;
    static const struct {
        const char *data;
        int code;
        const char *path;
    } cases[] = {
        {"{\"matrix\":[[1,\"x\"]]}", FEAT_E_TYPE, "/data/matrix/0/1"},
        {"{\"matrix\":[1]}", FEAT_E_TYPE, "/data/matrix/0"},
        {"{\"matrix\":[[1],null]}", FEAT_E_TYPE, "/data/matrix/1"},
        {"{\"matrix\":[[1.5]]}", FEAT_E_RANGE, "/data/matrix/0/0"},
        {"{\"tags\":[[[\"a\"],[1]]]}", FEAT_E_TYPE, "/data/tags/0/1/0"},
        {"{\"tags\":[[\"a\"]]}", FEAT_E_TYPE, "/data/tags/0/0"},
        {"{\"cells\":[[{\"x\":\"a\"}]]}", FEAT_E_TYPE, "/data/cells/0/0/x"},
        {"{\"cells\":[[[]]]}", FEAT_E_TYPE, "/data/cells/0/0"},
        {"{\"scores\":[[1e999]]}", FEAT_E_RANGE, "/data/scores/0/0"},
        {"{\"ids\":[[9007199254740993]]}", FEAT_E_RANGE, "/data/ids/0/0"},
    };

    matrix_example(&req);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char envelope[256];
        snprintf(envelope, sizeof envelope, "{\"code\":0,\"msg\":\"ok\",\"data\":%s}",
                 cases[i].data);
        push(f, 200, envelope);
        int rc = feat_put_matrix(f->c, &req, &data, &err);
        if (rc != cases[i].code || strcmp(err.path, cases[i].path))
            fail_msg("%s: got %d at %s (%s)", cases[i].data, rc, err.path, err.message);
        assert_null(data);
    }
    feat_put_matrix_body_clear(&req.body);
}

/* Nested arrays make the quick path give up; the tree path reads them,
 * and what is printed reads back the same; depth counts every level. */
static void nested_arrays_round_trip(void **state)
{
    static const char *const inputs[] = {
        "{\"matrix\":[],\"tags\":[[],[[]]],\"cells\":[[{\"x\":-1,\"label\":\"\\u00e9\"}]]}",
        "{\"blobs\":[[[[1]]],[\"t\",false,null]],\"flags\":null}",
        MATRIX_BODY,
    };
    (void)state;

    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        feat_put_matrix_data_t *x = NULL, *y = NULL;
        feat_error_t err;
        cJSON *tree = parse(inputs[i]);
        assert_int_equal(feat_put_matrix_data_parse(&x, inputs[i], strlen(inputs[i]), &err), 0);
        assert_int_equal(feat_put_matrix_data_from_json(&y, tree, &err), 0);
        char *px = feat_put_matrix_data_print(x), *py = feat_put_matrix_data_print(y);
        assert_non_null(px);
        assert_string_equal(px, py);
        /* the same text, but for a null member: unset, so left out */
        cJSON_DeleteItemFromObjectCaseSensitive(tree, "flags");
        char *pt = cJSON_PrintUnformatted(tree);
        assert_string_equal(px, pt);
        cJSON_free(px);
        cJSON_free(py);
        cJSON_free(pt);
        cJSON_Delete(tree);
        feat_put_matrix_data_free(x);
        feat_put_matrix_data_free(y);
    }
    /* blobs: the object, the outer array, the list, then 61 more levels of
     * json: 64 in all are fine, 65 are not, through both paths */
    char *ok = nested_text("{\"blobs\":[[", FEAT_RT_MAX_DEPTH - 3, "]]}");
    char *deep = nested_text("{\"blobs\":[[", FEAT_RT_MAX_DEPTH - 2, "]]}");
    feat_put_matrix_data_t *d = NULL;
    feat_error_t err;
    assert_int_equal(feat_put_matrix_data_parse(&d, ok, strlen(ok), &err), 0);
    feat_put_matrix_data_free(d);
    assert_int_equal(feat_put_matrix_data_parse(&d, deep, strlen(deep), &err), FEAT_E_DEPTH);
    cJSON *deep_tree = cJSON_Parse(deep);
    assert_non_null(deep_tree);
    assert_int_equal(feat_put_matrix_data_from_json(&d, deep_tree, &err), FEAT_E_DEPTH);
    assert_null(d);
    cJSON_Delete(deep_tree);
    free(ok);
    free(deep);
}

/* Every allocation of reading, writing and printing json values and nested
 * arrays, and of building an array query, fails in turn: each run fails
 * cleanly (sanitizers and valgrind see no leak), and the last succeeds. */
static void out_of_memory_fails_cleanly(void **state)
{
    static const char *const texts[] = {
        "{\"record\":{\"a\":[1,{\"b\":\"c\"}]},\"history\":[null,{\"x\":1}],"
        "\"detail\":{\"payload\":[1,2]}}",
        "{\"matrix\":[[1,2],[]],\"tags\":[[[\"a\",\"b\"]]],\"cells\":[[{\"x\":1,\"label\":\"l\"}]],"
        "\"blobs\":[[{\"k\":1},null]]}",
    };
    (void)state;
#ifndef FEAT_TEST_WRAP_ALLOC
    skip();
#endif
    for (size_t t = 0; t < 2; t++) {
        long n;
        int rc = -1;
        for (n = 0;; n++) {
            feat_error_t err;
            void *x = NULL;
            char *printed = NULL;
            cJSON *tree = NULL;
            fail_allocation(n);
            if (t == 0) {
                rc = feat_save_record_data_parse((feat_save_record_data_t **)&x, texts[t],
                                                 strlen(texts[t]), &err);
                if (rc == 0 && (printed = feat_save_record_data_print(x)) == NULL)
                    rc = FEAT_E_NOMEM;
                if (rc == 0)
                    rc = feat_save_record_data_to_json(x, &tree);
            } else {
                rc = feat_put_matrix_data_parse((feat_put_matrix_data_t **)&x, texts[t],
                                                strlen(texts[t]), &err);
                if (rc == 0 && (printed = feat_put_matrix_data_print(x)) == NULL)
                    rc = FEAT_E_NOMEM;
                if (rc == 0)
                    rc = feat_put_matrix_data_to_json(x, &tree);
            }
            stop_failing();
            if (rc == 0)
                assert_string_equal(printed, texts[t][2] == 'r' ? texts[t] :
                                    "{\"matrix\":[[1,2],[]],\"tags\":[[[\"a\",\"b\"]]],"
                                    "\"cells\":[[{\"x\":1,\"label\":\"l\"}]],"
                                    "\"blobs\":[[{\"k\":1},null]]}");
            cJSON_free(printed);
            cJSON_Delete(tree);
            if (t == 0)
                feat_save_record_data_free(x);
            else
                feat_put_matrix_data_free(x);
            if (!alloc_failed)
                break;
            /* the quick path gives up when memory runs out; the tree path
             * may then still succeed (its output was checked above) */
            assert_true(rc <= 0);
        }
        assert_int_equal(rc, 0);
        assert_true(n > 5);
    }
    for (long n = 0;; n++) {
        feat_rt_query_t q = {0};
        int64_t ids[20];
        for (int i = 0; i < 20; i++)
            ids[i] = i;
        fail_allocation(n);
        feat_rt_query_add_int64s(&q, "ids", ids, 20);
        feat_rt_query_add(&q, "name", "x");
        stop_failing();
        if (!alloc_failed) {
            assert_int_equal(q.rc, 0);
            assert_int_equal(q.count, 21);
            assert_string_equal(q.items[19].value, "19");
            feat_rt_query_free(&q);
            break;
        }
        assert_int_equal(q.rc, FEAT_E_NOMEM);
        feat_rt_query_free(&q);
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
        cmocka_unit_test_setup_teardown(nested_arrays_are_sent, setup, teardown),
        cmocka_unit_test_setup_teardown(nested_arrays_are_read, setup, teardown),
        cmocka_unit_test_setup_teardown(nested_array_rules_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(nested_array_server_errors_are_typed, setup, teardown),
        cmocka_unit_test(nested_arrays_round_trip),
        cmocka_unit_test(out_of_memory_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
