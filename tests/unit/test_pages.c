/* test_pages.c - the generated paging API (pagination: in a spec) end to
 * end, over real HTTP to a local server (tests/support/mock_server.c).
 *
 * The bundle is tests/fixtures/specs/pages, generated at build time:
 * list_things, a GET with page_token/page_size in the query and `items`
 * (objects) in the response; search_things, a POST with `cursor`/`limit` in
 * the body and `ids` (strings) in the response. The server checks nothing
 * itself: every test asserts the token each request carried, from the log
 * of what the server saw.
 *
 * The client's clock and sleep are injected (nothing waits) and retries are
 * off, so one queued answer is one request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagetest_api.h"
#include "mock_server.h"

#define TOKEN "t-static-pages-0123456789"
#define LIST_PATH "/open-apis/pagetest/v1/things"
#define SEARCH_PATH "/open-apis/pagetest/v1/things/search"

typedef struct fixture {
    mock_server_t *srv;
    pagetest_client_t *c;
    int64_t now;
} fixture;

static void fake_sleep(void *user, long ms)
{
    ((fixture *)user)->now += ms;
}

static int64_t fake_now(void *user)
{
    return ((fixture *)user)->now;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    pagetest_client_options_t o;
    pagetest_error_t err;

    if (!f || mock_server_start(&f->srv) < 0) {
        free(f);
        return -1;
    }
    pagetest_client_options_init(&o);
    o.base_url = mock_server_url(f->srv);
    o.max_retries = 0;
    o.sleep = fake_sleep;
    o.now = fake_now;
    o.clock_user = f;
    if (pagetest_client_new(&f->c, &o, &err) < 0 ||
        pagetest_client_set_tenant_token(f->c, TOKEN, &err) < 0) {
        pagetest_client_free(f->c);
        mock_server_stop(f->srv);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    pagetest_client_free(f->c);
    mock_server_stop(f->srv);
    free(f);
    return 0;
}

/* ---- canned pages -------------------------------------------------------- */

static void push(fixture *f, const char *path, unsigned status, const char *body)
{
    mock_response_t r;

    memset(&r, 0, sizeof r);
    r.path = path;
    r.status = status;
    r.body = body;
    assert_int_equal(mock_server_push(f->srv, &r), 0);
}

/* A list_things page: ids "a,b" become items; has_more -1 leaves it out;
 * token NULL leaves page_token out. */
static void push_list(fixture *f, const char *ids, int has_more, const char *token)
{
    char body[1024], items[512] = "";
    size_t n = 0;
    int rank = 0;

    for (const char *p = ids; *p;) {
        size_t len = strcspn(p, ",");
        n += (size_t)snprintf(items + n, sizeof items - n, "%s{\"id\":\"%.*s\",\"rank\":%d}",
                              n ? "," : "", (int)len, p, ++rank);
        p += len + (p[len] == ',');
    }
    n = (size_t)snprintf(body, sizeof body, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"items\":[%s]",
                         items);
    if (has_more >= 0)
        n += (size_t)snprintf(body + n, sizeof body - n, ",\"has_more\":%s",
                              has_more ? "true" : "false");
    if (token)
        n += (size_t)snprintf(body + n, sizeof body - n, ",\"page_token\":\"%s\"", token);
    snprintf(body + n, sizeof body - n, "}}");
    push(f, LIST_PATH, 200, body);
}

/* A search_things page: ids_json is the JSON array of ids. */
static void push_search(fixture *f, const char *ids_json, bool more, const char *cursor)
{
    char body[1024];

    snprintf(body, sizeof body,
             "{\"code\":0,\"msg\":\"ok\",\"data\":{\"ids\":%s,\"more\":%s%s%s%s}}",
             ids_json, more ? "true" : "false", cursor ? ",\"next_cursor\":\"" : "",
             cursor ? cursor : "", cursor ? "\"" : "");
    push(f, SEARCH_PATH, 200, body);
}

static const mock_request_t *request(fixture *f, size_t i)
{
    const mock_request_t *r = mock_server_request(f->srv, i);

    if (!r)
        fail_msg("request %zu was not sent (%zu sent)", i, mock_server_request_count(f->srv));
    return r;
}

/* The query of request i is exactly `query`. */
static void assert_query(fixture *f, size_t i, const char *query)
{
    const mock_request_t *r = request(f, i);

    if (strcmp(r->query, query) != 0)
        fail_msg("request %zu: query '%s', want '%s'", i, r->query, query);
}

/* The body of request i has cursor `cursor` (NULL: none) and keyword "x". */
static void assert_cursor(fixture *f, size_t i, const char *cursor)
{
    const mock_request_t *r = request(f, i);
    cJSON *body = cJSON_Parse(r->body);
    const cJSON *c;

    assert_string_equal(r->method, "POST");
    assert_non_null(body);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "keyword")),
                        "x");
    c = cJSON_GetObjectItemCaseSensitive(body, "cursor");
    if (cursor)
        assert_string_equal(cJSON_GetStringValue(c), cursor);
    else
        assert_null(c);
    cJSON_Delete(body);
}

static void assert_ok(int rc, const pagetest_error_t *err)
{
    if (rc < 0)
        fail_msg("call failed: %d %s: %s", rc, pagetest_strerror(rc), err->message);
}

/* A list_things request with page_size 2 (and the given start token). */
static void list_request(pagetest_list_things_request_t *req, const char *token)
{
    memset(req, 0, sizeof *req);
    req->query.has_page_size = true;
    req->query.page_size = 2;
    req->query.user_id_type = strdup("open_id");
    req->query.page_token = token ? strdup(token) : NULL;
}

static void search_request(pagetest_search_things_request_t *req)
{
    memset(req, 0, sizeof *req);
    req->body.keyword = strdup("x");
    req->body.has_limit = true;
    req->body.limit = 2;
}

static void assert_ids(const pagetest_list_things_data_t *page, const char *ids)
{
    char got[256] = "";
    size_t n = 0;

    assert_non_null(page);
    for (size_t i = 0; i < page->items_count; i++)
        n += (size_t)snprintf(got + n, sizeof got - n, "%s%s", i ? "," : "", page->items[i].id);
    assert_string_equal(got, ids);
}

/* ---- walking pages -------------------------------------------------------- */

/* Three pages; each request carries the previous page's token, and every
 * page outlives the iterator and the other pages (freed in reverse). */
static void test_get_three_pages(void **state)
{
    fixture *f = *state;
    pagetest_list_things_request_t req;
    pagetest_list_things_pages_t *it = NULL;
    pagetest_list_things_data_t *pages[4] = {0};
    pagetest_error_t err;
    size_t n = 0;
    int rc;

    push_list(f, "a,b", 1, "p2");
    push_list(f, "c,d", 1, "p3");
    push_list(f, "e", 0, NULL);
    list_request(&req, NULL);
    assert_ok(rc = pagetest_list_things_pages_new(&it, f->c, &req, &err), &err);
    /* The iterator copied the request: the caller's may go now. */
    pagetest_list_things_query_clear(&req.query);
    while ((rc = pagetest_list_things_pages_next(it, &pages[n], &err)) > 0) {
        assert_true(n < 3);
        n++;
    }
    assert_ok(rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(n, 3);
    assert_null(pages[3]);
    /* Done stays done, without asking the server. */
    assert_int_equal(pagetest_list_things_pages_next(it, &pages[3], &err), 0);
    assert_null(pages[3]);
    pagetest_list_things_pages_free(it);

    assert_int_equal(mock_server_request_count(f->srv), 3);
    assert_query(f, 0, "page_size=2&user_id_type=open_id");
    assert_query(f, 1, "page_size=2&page_token=p2&user_id_type=open_id");
    assert_query(f, 2, "page_size=2&page_token=p3&user_id_type=open_id");
    assert_string_equal(request(f, 0)->method, "GET");
    assert_ids(pages[0], "a,b");
    assert_ids(pages[1], "c,d");
    assert_ids(pages[2], "e");
    assert_int_equal(pages[1]->items[1].rank, 2);
    for (size_t i = n; i-- > 0;)
        pagetest_list_things_data_free(pages[i]);
}

/* Freeing each page as soon as it is read (the token it held is the
 * iterator's by then), and a start token: the caller's request keeps it. */
static void test_free_page_before_next(void **state)
{
    fixture *f = *state;
    pagetest_list_things_request_t req;
    pagetest_list_things_pages_t *it = NULL;
    pagetest_list_things_data_t *page = NULL;
    pagetest_error_t err;
    int rc, n = 0;

    push_list(f, "a", 1, "t2");
    push_list(f, "b", 1, "t3");
    push_list(f, "c", 1, "t4");
    push_list(f, "d", 0, "ignored");
    list_request(&req, "t1");
    assert_ok(pagetest_list_things_pages_new(&it, f->c, &req, &err), &err);
    while ((rc = pagetest_list_things_pages_next(it, &page, &err)) > 0) {
        n++;
        pagetest_list_things_data_free(page);
    }
    assert_ok(rc, &err);
    assert_int_equal(n, 4);
    pagetest_list_things_pages_free(it);
    assert_query(f, 0, "page_size=2&page_token=t1&user_id_type=open_id");
    assert_query(f, 3, "page_size=2&page_token=t4&user_id_type=open_id");
    /* The caller's request was only read. */
    assert_string_equal(req.query.page_token, "t1");
    assert_int_equal(req.query.page_size, 2);
    pagetest_list_things_query_clear(&req.query);
}

/* POST: the token travels in the body, under the spec's names (cursor,
 * next_cursor, more, ids). */
static void test_post_token_in_body(void **state)
{
    fixture *f = *state;
    pagetest_search_things_request_t req;
    pagetest_search_things_pages_t *it = NULL;
    pagetest_search_things_data_t *page = NULL;
    pagetest_error_t err;
    char seen[128] = "";
    size_t len = 0;
    int rc;

    push_search(f, "[\"1\",\"2\"]", true, "c2");
    push_search(f, "[\"3\"]", true, "c3");
    push_search(f, "[\"4\",\"5\"]", false, NULL);
    search_request(&req);
    assert_ok(pagetest_search_things_pages_new(&it, f->c, &req, &err), &err);
    while ((rc = pagetest_search_things_pages_next(it, &page, &err)) > 0) {
        for (size_t i = 0; i < page->ids_count; i++)
            len += (size_t)snprintf(seen + len, sizeof seen - len, "%s ", page->ids[i]);
        pagetest_search_things_data_free(page);
    }
    assert_ok(rc, &err);
    pagetest_search_things_pages_free(it);
    assert_string_equal(seen, "1 2 3 4 5 ");
    assert_int_equal(mock_server_request_count(f->srv), 3);
    assert_cursor(f, 0, NULL);
    assert_cursor(f, 1, "c2");
    assert_cursor(f, 2, "c3");
    assert_null(req.body.cursor);
    pagetest_search_things_body_clear(&req.body);
}

/* Empty pages are pages: one in the middle, and an empty last one. */
static void test_empty_pages(void **state)
{
    fixture *f = *state;
    pagetest_list_things_request_t req;
    pagetest_list_things_pages_t *it = NULL;
    pagetest_list_things_data_t *page = NULL;
    pagetest_error_t err;
    size_t counts[4], n = 0;
    int rc;

    push_list(f, "a", 1, "p2");
    push_list(f, "", 1, "p3");
    push_list(f, "", 0, NULL);
    list_request(&req, NULL);
    assert_ok(pagetest_list_things_pages_new(&it, f->c, &req, &err), &err);
    while ((rc = pagetest_list_things_pages_next(it, &page, &err)) > 0 && n < 4) {
        counts[n++] = page->items_count;
        pagetest_list_things_data_free(page);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 3);
    assert_int_equal(counts[0], 1);
    assert_int_equal(counts[1], 0);
    assert_int_equal(counts[2], 0);
    pagetest_list_things_pages_free(it);
    pagetest_list_things_query_clear(&req.query);
}

/* A page without has_more is the last one, whatever token it carries. */
static void test_missing_has_more_ends(void **state)
{
    fixture *f = *state;
    pagetest_list_things_request_t req;
    pagetest_list_things_pages_t *it = NULL;
    pagetest_list_things_data_t *page = NULL;
    pagetest_error_t err;

    push_list(f, "a", -1, "p2");
    list_request(&req, NULL);
    assert_ok(pagetest_list_things_pages_new(&it, f->c, &req, &err), &err);
    assert_int_equal(pagetest_list_things_pages_next(it, &page, &err), 1);
    pagetest_list_things_data_free(page);
    assert_int_equal(pagetest_list_things_pages_next(it, &page, &err), 0);
    assert_int_equal(mock_server_request_count(f->srv), 1);
    pagetest_list_things_pages_free(it);
    pagetest_list_things_query_clear(&req.query);
}

/* has_more with no token (missing, then empty): the page still comes, then
 * E_PAGINATION, for good, and nothing more is sent. */
static void more_without_token(fixture *f, const char *token)
{
    pagetest_list_things_request_t req;
    pagetest_list_things_pages_t *it = NULL;
    pagetest_list_things_data_t *page = NULL;
    pagetest_error_t err;

    mock_server_reset(f->srv);
    push_list(f, "a,b", 1, token);
    push_list(f, "c", 0, NULL);     /* must never be asked for */
    list_request(&req, NULL);
    assert_ok(pagetest_list_things_pages_new(&it, f->c, &req, &err), &err);
    assert_int_equal(pagetest_list_things_pages_next(it, &page, &err), 1);
    assert_ids(page, "a,b");
    for (int i = 0; i < 3; i++) {
        pagetest_list_things_data_t *more = (void *)&err;
        assert_int_equal(pagetest_list_things_pages_next(it, &more, &err), PAGETEST_E_PAGINATION);
        assert_null(more);
        assert_int_equal(err.code, PAGETEST_E_PAGINATION);
        assert_non_null(strstr(err.message, "list_things: page 1 says has_more but gives no page token"));
    }
    assert_int_equal(mock_server_request_count(f->srv), 1);
    assert_ids(page, "a,b");    /* still the caller's */
    pagetest_list_things_data_free(page);
    pagetest_list_things_pages_free(it);
    pagetest_list_things_query_clear(&req.query);
}

static void test_more_without_token(void **state)
{
    more_without_token(*state, NULL);
    more_without_token(*state, "");
}

/* A token that was already sent would loop: after the page that gives it,
 * E_PAGINATION. Cases: the same token twice in a row, a cycle a -> b -> a,
 * and the caller's own start token coming back. */
static void repeated_token(fixture *f, const char *start, const char *const *tokens,
                           size_t pages)
{
    pagetest_list_things_request_t req;
    pagetest_list_things_pages_t *it = NULL;
    pagetest_list_things_data_t *page = NULL;
    pagetest_error_t err;
    size_t n = 0;
    int rc;

    mock_server_reset(f->srv);
    for (size_t i = 0; i < pages; i++)
        push_list(f, "x", 1, tokens[i]);
    push_list(f, "never", 0, NULL);
    list_request(&req, start);
    assert_ok(pagetest_list_things_pages_new(&it, f->c, &req, &err), &err);
    while ((rc = pagetest_list_things_pages_next(it, &page, &err)) > 0) {
        n++;
        assert_ids(page, "x");
        pagetest_list_things_data_free(page);
    }
    assert_int_equal(rc, PAGETEST_E_PAGINATION);
    assert_non_null(strstr(err.message, "gives a page token that was already sent"));
    assert_int_equal(n, pages);
    assert_int_equal(mock_server_request_count(f->srv), pages);
    pagetest_list_things_pages_free(it);
    pagetest_list_things_query_clear(&req.query);
}

static void test_repeated_token(void **state)
{
    static const char *const twice[] = {"a", "a"};
    static const char *const cycle[] = {"a", "b", "a"};
    static const char *const back[] = {"s"};

    repeated_token(*state, NULL, twice, 2);
    repeated_token(*state, NULL, cycle, 3);
    repeated_token(*state, "s", back, 1);
}

/* The server fails on page 3: the error comes back typed, the two pages
 * read stay the caller's and intact, and calling again retries page 3 with
 * the same token. */
static void test_error_on_page_three(void **state)
{
    fixture *f = *state;
    pagetest_list_things_request_t req;
    pagetest_list_things_pages_t *it = NULL;
    pagetest_list_things_data_t *pages[3] = {0}, *page = NULL;
    pagetest_error_t err;
    size_t n = 0;
    int rc;

    push_list(f, "a,b", 1, "p2");
    push_list(f, "c,d", 1, "p3");
    push(f, LIST_PATH, 400, "{\"code\":1254000,\"msg\":\"bad page\"}");
    list_request(&req, NULL);
    assert_ok(pagetest_list_things_pages_new(&it, f->c, &req, &err), &err);
    while ((rc = pagetest_list_things_pages_next(it, &page, &err)) > 0 && n < 3)
        pages[n++] = page;
    assert_int_equal(n, 2);
    assert_true(rc < 0);
    assert_int_equal(err.code, rc);
    assert_int_equal(err.http_status, 400);
    assert_int_equal(err.api_code, 1254000);
    assert_null(page);
    assert_ids(pages[0], "a,b");
    assert_ids(pages[1], "c,d");

    /* Retrying sends page 3's token again. */
    push_list(f, "e", 0, NULL);
    assert_int_equal(pagetest_list_things_pages_next(it, &page, &err), 1);
    assert_ids(page, "e");
    assert_int_equal(pagetest_list_things_pages_next(it, &pages[2], &err), 0);
    pagetest_list_things_pages_free(it);
    assert_query(f, 2, "page_size=2&page_token=p3&user_id_type=open_id");
    assert_query(f, 3, "page_size=2&page_token=p3&user_id_type=open_id");
    assert_ids(pages[1], "c,d");
    pagetest_list_things_data_free(page);
    pagetest_list_things_data_free(pages[0]);
    pagetest_list_things_data_free(pages[1]);
    pagetest_list_things_query_clear(&req.query);
}

/* An invalid request is refused before anything is sent. */
static void test_invalid_request(void **state)
{
    fixture *f = *state;
    pagetest_list_things_request_t req;
    pagetest_list_things_pages_t *it = (void *)f;
    pagetest_error_t err;

    list_request(&req, NULL);
    req.query.page_size = 0;    /* range 1..100 */
    assert_int_equal(pagetest_list_things_pages_new(&it, f->c, &req, &err), PAGETEST_E_INVALID);
    assert_null(it);
    assert_string_equal(err.path, "/query/page_size");
    assert_int_equal(pagetest_list_things_pages_new(&it, f->c, NULL, &err), PAGETEST_E_ARG);
    assert_int_equal(pagetest_list_things_pages_next(NULL, NULL, &err), PAGETEST_E_ARG);
    pagetest_list_things_pages_free(NULL);
    assert_int_equal(mock_server_request_count(f->srv), 0);
    pagetest_list_things_query_clear(&req.query);
}

/* ---- collecting items ----------------------------------------------------- */

static void test_all_items(void **state)
{
    fixture *f = *state;
    pagetest_list_things_request_t req;
    pagetest_thing_t *items = (void *)f;
    size_t count = 99;
    pagetest_error_t err;

    push_list(f, "a,b", 1, "p2");
    push_list(f, "", 1, "p3");
    push_list(f, "c,d,e", 0, NULL);
    list_request(&req, NULL);
    assert_int_equal(pagetest_list_things_all(f->c, &req, 0, &items, &count, &err), 0);
    assert_int_equal(count, 5);
    assert_string_equal(items[0].id, "a");
    assert_string_equal(items[2].id, "c");
    assert_string_equal(items[4].id, "e");
    assert_int_equal(items[4].rank, 3);
    assert_int_equal(mock_server_request_count(f->srv), 3);
    pagetest_list_things_items_free(items, count);

    /* Nothing at all: NULL and 0. */
    push_list(f, "", 0, NULL);
    assert_int_equal(pagetest_list_things_all(f->c, &req, 0, &items, &count, &err), 0);
    assert_null(items);
    assert_int_equal(count, 0);
    pagetest_list_things_query_clear(&req.query);
}

/* The cap: reached inside a page (the rest of it dropped, no more
 * requests), reached exactly at the last page (complete), at a page
 * boundary with more pages left (truncated, the next page not fetched). */
static void test_all_cap(void **state)
{
    fixture *f = *state;
    pagetest_list_things_request_t req;
    pagetest_thing_t *items = NULL;
    size_t count = 0;
    pagetest_error_t err;

    list_request(&req, NULL);
    push_list(f, "a,b", 1, "p2");
    push_list(f, "c,d", 1, "p3");
    push_list(f, "e", 0, NULL);
    assert_int_equal(pagetest_list_things_all(f->c, &req, 3, &items, &count, &err), 1);
    assert_int_equal(count, 3);
    assert_string_equal(items[2].id, "c");
    assert_int_equal(mock_server_request_count(f->srv), 2);
    pagetest_list_things_items_free(items, count);

    mock_server_reset(f->srv);
    push_list(f, "a,b", 1, "p2");
    push_list(f, "c", 0, NULL);
    assert_int_equal(pagetest_list_things_all(f->c, &req, 3, &items, &count, &err), 0);
    assert_int_equal(count, 3);
    pagetest_list_things_items_free(items, count);

    mock_server_reset(f->srv);
    push_list(f, "a,b", 1, "p2");
    push_list(f, "c", 0, NULL);
    assert_int_equal(pagetest_list_things_all(f->c, &req, 2, &items, &count, &err), 1);
    assert_int_equal(count, 2);
    assert_int_equal(mock_server_request_count(f->srv), 1);
    pagetest_list_things_items_free(items, count);
    pagetest_list_things_query_clear(&req.query);
}

/* A failure returns nothing (and frees what was collected); so does a walk
 * that would loop. */
static void test_all_failure(void **state)
{
    fixture *f = *state;
    pagetest_list_things_request_t req;
    pagetest_thing_t *items = (void *)f;
    size_t count = 7;
    pagetest_error_t err;

    list_request(&req, NULL);
    push_list(f, "a,b", 1, "p2");
    push(f, LIST_PATH, 400, "{\"code\":1254000,\"msg\":\"bad page\"}");
    assert_true(pagetest_list_things_all(f->c, &req, 0, &items, &count, &err) < 0);
    assert_null(items);
    assert_int_equal(count, 0);
    assert_int_equal(err.http_status, 400);

    push_list(f, "a", 1, "p2");
    push_list(f, "b", 1, "p2");
    assert_int_equal(pagetest_list_things_all(f->c, &req, 0, &items, &count, &err),
                     PAGETEST_E_PAGINATION);
    assert_null(items);
    assert_int_equal(count, 0);
    assert_int_equal(pagetest_list_things_all(f->c, &req, 0, NULL, &count, &err), PAGETEST_E_ARG);
    pagetest_list_things_query_clear(&req.query);
}

/* Strings (POST, token in the body) with a cap. */
static void test_all_strings(void **state)
{
    fixture *f = *state;
    pagetest_search_things_request_t req;
    char **ids = NULL;
    size_t count = 0;
    pagetest_error_t err;

    search_request(&req);
    push_search(f, "[\"1\",\"2\"]", true, "c2");
    push_search(f, "[\"3\",\"4\"]", true, "c3");
    push_search(f, "[\"5\"]", false, NULL);
    assert_int_equal(pagetest_search_things_all(f->c, &req, 0, &ids, &count, &err), 0);
    assert_int_equal(count, 5);
    assert_string_equal(ids[0], "1");
    assert_string_equal(ids[4], "5");
    assert_cursor(f, 2, "c3");
    pagetest_search_things_items_free(ids, count);

    push_search(f, "[\"1\",\"2\"]", true, "c2");
    push_search(f, "[\"3\",\"4\"]", true, "c3");
    assert_int_equal(pagetest_search_things_all(f->c, &req, 3, &ids, &count, &err), 1);
    assert_int_equal(count, 3);
    assert_string_equal(ids[2], "3");
    pagetest_search_things_items_free(ids, count);
    pagetest_search_things_items_free(NULL, 0);
    pagetest_search_things_body_clear(&req.body);
}

/* Per-call options: given to one page's request only (_pages_next_with),
 * or to every page (_all_with). */
static void test_call_options(void **state)
{
    fixture *f = *state;
    pagetest_list_things_request_t req;
    pagetest_list_things_pages_t *it = NULL;
    pagetest_list_things_data_t *page = NULL;
    pagetest_call_options_t opts;
    pagetest_header_t header = {"X-Page-Test", "yes"};
    pagetest_thing_t *items = NULL;
    size_t count = 0;
    pagetest_error_t err;

    pagetest_call_options_init(&opts);
    opts.user_access_token = "u-pages-user-token";
    push_list(f, "a", 1, "p2");
    push_list(f, "b", 0, NULL);
    list_request(&req, NULL);
    assert_ok(pagetest_list_things_pages_new(&it, f->c, &req, &err), &err);
    assert_int_equal(pagetest_list_things_pages_next(it, &page, &err), 1);
    pagetest_list_things_data_free(page);
    assert_int_equal(pagetest_list_things_pages_next_with(it, &opts, &page, &err), 1);
    pagetest_list_things_data_free(page);
    pagetest_list_things_pages_free(it);
    assert_string_equal(mock_request_header(request(f, 0), "Authorization"), "Bearer " TOKEN);
    assert_string_equal(mock_request_header(request(f, 1), "Authorization"),
                        "Bearer u-pages-user-token");

    pagetest_call_options_init(&opts);
    opts.headers = &header;
    opts.header_count = 1;
    push_list(f, "a", 1, "p2");
    push_list(f, "b", 0, NULL);
    assert_int_equal(pagetest_list_things_all_with(f->c, &req, &opts, 0, &items, &count, &err), 0);
    assert_int_equal(count, 2);
    assert_string_equal(mock_request_header(request(f, 2), "X-Page-Test"), "yes");
    assert_string_equal(mock_request_header(request(f, 3), "X-Page-Test"), "yes");
    pagetest_list_things_items_free(items, count);
    pagetest_list_things_query_clear(&req.query);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

static int global_setup(void **state)
{
    (void)state;
    return pagetest_global_init() < 0 ? -1 : 0;
}

static int global_teardown(void **state)
{
    (void)state;
    pagetest_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_get_three_pages),
        T(test_free_page_before_next),
        T(test_post_token_in_body),
        T(test_empty_pages),
        T(test_missing_has_more_ends),
        T(test_more_without_token),
        T(test_repeated_token),
        T(test_error_on_page_three),
        T(test_invalid_request),
        T(test_all_items),
        T(test_all_cap),
        T(test_all_failure),
        T(test_all_strings),
        T(test_call_options),
    };
    return cmocka_run_group_tests(tests, global_setup, global_teardown);
}
