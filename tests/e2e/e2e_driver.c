/* e2e_driver.c - every endpoint of the bundle, end to end, from its spec's
 * examples.
 *
 * The per-endpoint code is generated (e2e_calls.c from e2e_calls.c.mustache,
 * the examples in e2e_cases.json from e2e_cases.json.mustache); this driver
 * is the same for every endpoint. For each one it answers with the page's
 * response example from the mock server, has the client send the page's
 * request example, and checks
 *   - the request: method, raw path (parameters percent-encoded), query
 *     pairs, Authorization and Content-Type, and the body, which must be
 *     semantically equal to the request example (numbers as numbers);
 *   - the response: decoded without error, valid by the generated
 *     validator, and re-encoded semantically equal to the example's data.
 * A paginated endpoint is also walked over two pages: page 1 says has_more
 * with a token, page 2 ends; the second request must carry that token.
 * A multipart (upload) endpoint sends its form fields' examples and, for
 * each `file` field, a generated file: once from memory (with a filename
 * and a content type) and once from a temporary file (both defaulted). The
 * server checks the multipart Content-Type and boundary and every part:
 * name, filename, content type and bytes.
 * Endpoints without a usable example are skipped with the reason, counted.
 *
 * usage: e2e_driver CASES.json
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "mock_server.h"

#define TENANT_TOKEN "t-e2e-tenant-token"
#define NEXT_TOKEN "e2e-page-2"

static int64_t fake_clock;

/* What every `file` field uploads: text with CR LF and a line that looks
 * like a boundary, then every byte value (NUL included), so that bytes cut
 * short, re-encoded or read as text show up. Written once to upload_path
 * too. */
#define UPLOAD_TEXT "oapigen e2e upload\r\n--e2e-not-a-boundary\r\n"
#define UPLOAD_SIZE (sizeof UPLOAD_TEXT - 1 + 256)
static unsigned char upload_bytes[UPLOAD_SIZE];
static char upload_path[] = "/tmp/oapigen-e2e-upload-XXXXXX";

static bool make_upload_file(void)
{
    size_t i, n = sizeof UPLOAD_TEXT - 1;
    int fd;
    bool ok;

    memcpy(upload_bytes, UPLOAD_TEXT, n);
    for (i = 0; i < 256; i++)
        upload_bytes[n + i] = (unsigned char)i;
    if ((fd = mkstemp(upload_path)) < 0)
        return false;
    ok = write(fd, upload_bytes, sizeof upload_bytes) == (ssize_t)sizeof upload_bytes;
    return close(fd) == 0 && ok;
}

/* Rate limits and retries wait on this clock only: no real sleeping. */
static void fake_sleep(void *user, long ms)
{
    (void)user;
    fake_clock += ms;
}

static int64_t fake_now(void *user)
{
    (void)user;
    return fake_clock;
}

static char *read_file(const char *name)
{
    FILE *f = fopen(name, "rb");
    char *text;
    long size;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
        !(text = malloc((size_t)size + 1))) {
        fclose(f);
        return NULL;
    }
    if (fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        fclose(f);
        return NULL;
    }
    text[size] = '\0';
    fclose(f);
    return text;
}

/* Where two JSON values first differ: a JSON path and what differs. */
typedef struct diff {
    char where[1024];
} diff_t;

static void diff_note(diff_t *d, const char *path, const char *what)
{
    /* A path too long for where is cut short: still a useful hint. */
    if (d && !d->where[0] &&
        snprintf(d->where, sizeof d->where, "%s: %s", path[0] ? path : "/", what) < 0)
        d->where[0] = '\0';
}

/* Semantic JSON equality: objects by key set, arrays in order, numbers as
 * numbers (1 and 1.0 are equal). d (may be NULL) gets the first
 * difference; path is where a and b are. */
static bool json_equal_at(const cJSON *a, const cJSON *b, const char *path, diff_t *d)
{
    char sub[1024];
    const cJSON *x;

    if (!a || !b) {
        diff_note(d, path, a ? "missing in the example" : "missing in the re-encoded JSON");
        return a == b;
    }
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b)) {
        if (a->valuedouble != b->valuedouble)
            diff_note(d, path, "numbers differ");
        return a->valuedouble == b->valuedouble;
    }
    if (cJSON_IsBool(a) && cJSON_IsBool(b)) {
        if (cJSON_IsTrue(a) != cJSON_IsTrue(b))
            diff_note(d, path, "booleans differ");
        return cJSON_IsTrue(a) == cJSON_IsTrue(b);
    }
    if ((a->type & 0xFF) != (b->type & 0xFF)) {
        diff_note(d, path, "JSON types differ");
        return false;
    }
    if (cJSON_IsString(a)) {
        if (strcmp(a->valuestring, b->valuestring) != 0)
            diff_note(d, path, "strings differ");
        return strcmp(a->valuestring, b->valuestring) == 0;
    }
    if (cJSON_IsArray(a)) {
        const cJSON *y = b->child;
        int i = 0;
        for (x = a->child; x && y; x = x->next, y = y->next, i++) {
            snprintf(sub, sizeof sub, "%s/%d", path, i);
            if (!json_equal_at(x, y, sub, d))
                return false;
        }
        if (x || y)
            diff_note(d, path, "array lengths differ");
        return !x && !y;
    }
    if (cJSON_IsObject(a)) {
        for (x = a->child; x; x = x->next) {
            snprintf(sub, sizeof sub, "%s/%s", path, x->string);
            if (!json_equal_at(x, cJSON_GetObjectItemCaseSensitive(b, x->string), sub, d))
                return false;
        }
        for (x = b->child; x; x = x->next) {
            if (!cJSON_GetObjectItemCaseSensitive(a, x->string)) {
                snprintf(sub, sizeof sub, "%s/%s", path, x->string);
                diff_note(d, sub, "missing in the re-encoded JSON");
                return false;
            }
        }
        return true;
    }
    return true; /* null */
}

static bool json_equal(const cJSON *a, const cJSON *b, diff_t *d)
{
    return json_equal_at(a, b, "", d);
}

/* ---- one endpoint's check ---- */

typedef struct check {
    const char *name;
    int failures;
} check_t;

static void fail(check_t *ck, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "e2e: FAIL %s: ", ck->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    ck->failures++;
}

/* A scalar example as the text a path segment or query value carries. */
static bool scalar_text(const cJSON *v, char *out, size_t size)
{
    if (cJSON_IsString(v))
        return (size_t)snprintf(out, size, "%s", v->valuestring) < size;
    if (cJSON_IsBool(v))
        return (size_t)snprintf(out, size, "%s", cJSON_IsTrue(v) ? "true" : "false") < size;
    if (cJSON_IsNumber(v)) {
        char *t = cJSON_PrintUnformatted(v);
        bool ok = t && (size_t)snprintf(out, size, "%s", t) < size;
        cJSON_free(t);
        return ok;
    }
    return false;
}

static void percent_encode(const char *s, char *out, size_t size)
{
    size_t n = 0;

    for (; *s && n + 4 < size; s++) {
        unsigned char ch = (unsigned char)*s;
        if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~')
            out[n++] = (char)ch;
        else
            n += (size_t)snprintf(out + n, size - n, "%%%02X", ch);
    }
    out[n] = '\0';
}

static void percent_decode(const char *s, size_t len, char *out, size_t size)
{
    size_t n = 0, i;

    for (i = 0; i < len && n + 1 < size; i++) {
        unsigned int byte;
        if (s[i] == '%' && i + 2 < len && sscanf(s + i + 1, "%2x", &byte) == 1) {
            out[n++] = (char)byte;
            i += 2;
        } else {
            out[n++] = s[i];
        }
    }
    out[n] = '\0';
}

/* The raw path the client must request: each `:param` of the template
 * replaced by its example, percent-encoded. */
static bool expected_path(const char *tmpl, const cJSON *path_values, char *out, size_t size)
{
    size_t n = 0;

    while (*tmpl && n + 1 < size) {
        if (*tmpl == ':') {
            char name[128], text[1024], enc[3072];
            size_t len = strcspn(tmpl + 1, "/");
            if (len >= sizeof name)
                return false;
            memcpy(name, tmpl + 1, len);
            name[len] = '\0';
            if (!scalar_text(cJSON_GetObjectItemCaseSensitive(path_values, name), text, sizeof text))
                return false;
            percent_encode(text, enc, sizeof enc);
            n += (size_t)snprintf(out + n, size - n, "%s", enc);
            tmpl += 1 + len;
        } else {
            out[n++] = *tmpl++;
        }
    }
    out[n < size ? n : size - 1] = '\0';
    return *tmpl == '\0' && n < size;
}

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    if (!d) {
        fprintf(stderr, "e2e: out of memory\n");
        exit(1);
    }
    return memcpy(d, s, n);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The query as sorted "name=value" lines, values percent-decoded. */
static size_t query_pairs(const char *raw, char **pairs, size_t max)
{
    size_t count = 0;

    while (*raw && count < max) {
        size_t len = strcspn(raw, "&"), eq = strcspn(raw, "=");
        char buf[4096];
        if (eq > len)
            eq = len;
        percent_decode(raw, eq, buf, sizeof buf - 1);
        strcat(buf, "=");
        if (eq < len)
            percent_decode(raw + eq + 1, len - eq - 1, buf + strlen(buf), sizeof buf - strlen(buf));
        pairs[count++] = dup_text(buf);
        raw += len;
        if (*raw == '&')
            raw++;
    }
    qsort(pairs, count, sizeof *pairs, compare_strings);
    return count;
}

static size_t expected_query_pairs(const cJSON *query, char **pairs, size_t max)
{
    size_t count = 0;
    const cJSON *p, *v;

    cJSON_ArrayForEach(p, query) {
        const cJSON *values = p;
        char text[4096], line[4400];
        if (!cJSON_IsArray(p)) {
            values = NULL;
            if (count < max && scalar_text(p, text, sizeof text)) {
                snprintf(line, sizeof line, "%s=%s", p->string, text);
                pairs[count++] = dup_text(line);
            }
            continue;
        }
        cJSON_ArrayForEach(v, values) {
            if (count < max && scalar_text(v, text, sizeof text)) {
                snprintf(line, sizeof line, "%s=%s", p->string, text);
                pairs[count++] = dup_text(line);
            }
        }
    }
    qsort(pairs, count, sizeof *pairs, compare_strings);
    return count;
}

static void check_query(check_t *ck, const mock_request_t *r, const cJSON *query)
{
    char *got[64], *want[64];
    size_t ng = query_pairs(r->query, got, 64), nw = expected_query_pairs(query, want, 64), i;

    if (ng != nw)
        fail(ck, "query has %zu parameters, the example %zu (query \"%s\")", ng, nw, r->query);
    for (i = 0; i < ng && i < nw; i++)
        if (strcmp(got[i], want[i]) != 0)
            fail(ck, "query pair \"%s\", the example gives \"%s\"", got[i], want[i]);
    for (i = 0; i < ng; i++)
        free(got[i]);
    for (i = 0; i < nw; i++)
        free(want[i]);
}

/* The part a file field must arrive as: in->file's bytes, its filename
 * (else the base name of its path) and content type (else
 * application/octet-stream). */
static void check_file_part(check_t *ck, const mock_part_t *part, const char *wire,
                            const corehr_file_t *file)
{
    const char *slash = file->path ? strrchr(file->path, '/') : NULL;
    const char *name = file->filename ? file->filename
                       : slash ? slash + 1 : file->path ? file->path : wire;
    const char *type = file->content_type ? file->content_type : "application/octet-stream";

    if (!part->filename || strcmp(part->filename, name) != 0)
        fail(ck, "file part %s: filename \"%s\", expected \"%s\"", wire,
             part->filename ? part->filename : "(none)", name);
    if (!part->content_type || strcmp(part->content_type, type) != 0)
        fail(ck, "file part %s: Content-Type \"%s\", expected \"%s\"", wire,
             part->content_type ? part->content_type : "(none)", type);
    if (part->len != sizeof upload_bytes || memcmp(part->data, upload_bytes, part->len) != 0)
        fail(ck, "file part %s: %zu bytes that are not the %zu bytes of the file", wire,
             part->len, sizeof upload_bytes);
}

/* A multipart/form-data body: a boundary in the Content-Type, one text part
 * (no filename) per form field the example sets, holding its value as text,
 * and one file part per file field; nothing else. */
static void check_form(check_t *ck, const mock_request_t *r, const cJSON *form,
                       const e2e_input_t *in)
{
    const char *type = mock_request_header(r, "Content-Type");
    static const char prefix[] = "multipart/form-data; boundary=";
    mock_part_t *parts = NULL;
    const cJSON *p;
    int n, want = 0;

    if (!type || strncmp(type, prefix, sizeof prefix - 1) != 0 || !type[sizeof prefix - 1]) {
        fail(ck, "Content-Type \"%s\", expected multipart/form-data with a boundary",
             type ? type : "(none)");
        return;
    }
    if ((n = mock_request_parts(r, &parts)) < 0) {
        fail(ck, "the body is not well-formed multipart/form-data");
        return;
    }
    cJSON_ArrayForEach(p, form) {
        const char *wire = cJSON_GetObjectItemCaseSensitive(p, "wire")->valuestring;
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(in->body, wire);
        const mock_part_t *part = mock_part_find(parts, n, wire);
        bool is_file = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "is_file"));
        char text[4096];
        if (!is_file && !value)
            continue;
        want++;
        if (!part)
            fail(ck, "no part named %s", wire);
        else if (is_file)
            check_file_part(ck, part, wire, in->file);
        else if (part->filename)
            fail(ck, "form field %s has a filename (\"%s\")", wire, part->filename);
        else if (!scalar_text(value, text, sizeof text))
            fail(ck, "form field %s: the example is not a scalar", wire);
        else if (part->len != strlen(text) || strcmp(part->data, text) != 0)
            fail(ck, "form field %s is \"%s\", the example gives \"%s\"", wire, part->data,
                 text);
    }
    if (n != want)
        fail(ck, "%d parts, expected %d", n, want);
    mock_parts_free(parts, n);
}

/* Method, path, query, headers and body of one request the client sent. */
static void check_request(check_t *ck, const mock_request_t *r, const cJSON *cs,
                          const e2e_input_t *in, const char *want_path, bool query_checked)
{
    const char *auth = mock_request_header(r, "Authorization");
    const char *type = mock_request_header(r, "Content-Type");
    const char *method = cJSON_GetObjectItemCaseSensitive(cs, "method")->valuestring;

    if (strcmp(r->method, method) != 0)
        fail(ck, "method %s, the spec says %s", r->method, method);
    if (strcmp(r->path, want_path) != 0)
        fail(ck, "path %s, expected %s", r->path, want_path);
    if (query_checked)
        check_query(ck, r, in->query);
    if (!auth || strcmp(auth, "Bearer " TENANT_TOKEN) != 0)
        fail(ck, "Authorization \"%s\"", auth ? auth : "(none)");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cs, "is_multipart"))) {
        check_form(ck, r, cJSON_GetObjectItemCaseSensitive(cs, "form"), in);
    } else if (in->body) {
        cJSON *sent = cJSON_ParseWithLength(r->body, r->body_len);
        if (!type || strcmp(type, "application/json; charset=utf-8") != 0)
            fail(ck, "Content-Type \"%s\"", type ? type : "(none)");
        diff_t d = {""};
        if (!json_equal(sent, in->body, &d))
            fail(ck, "body differs from the request example at %s (sent %s)", d.where, r->body);
        cJSON_Delete(sent);
    } else if (r->body_len != 0) {
        fail(ck, "a body (%s) where the spec has none", r->body);
    }
}

static void check_page(check_t *ck, const char *printed, const cJSON *want, size_t page)
{
    cJSON *got = printed ? cJSON_Parse(printed) : NULL;
    diff_t d = {""};

    if (!got)
        fail(ck, "page %zu: data did not print", page);
    else if (!json_equal(got, want, &d))
        fail(ck, "page %zu: re-encoded data differs from the example's at /data%s", page,
             d.where);
    cJSON_Delete(got);
}

static void output_free(e2e_output_t *res)
{
    size_t i;

    for (i = 0; i < res->page_count; i++)
        cJSON_free(res->pages[i]);
    memset(res, 0, sizeof *res);
}

static void push(mock_server_t *srv, const cJSON *response)
{
    char *text = cJSON_PrintUnformatted(response);
    mock_response_t r;

    memset(&r, 0, sizeof r);
    r.body = text;
    if (!text || mock_server_push(srv, &r) != 0) {
        fprintf(stderr, "e2e: out of memory\n");
        exit(1);
    }
    cJSON_free(text);
}

static void run_call(check_t *ck, mock_server_t *srv, corehr_client_t *c, const e2e_endpoint_t *ep,
                     const cJSON *cs, const e2e_input_t *in, const char *want_path)
{
    const cJSON *response = cJSON_GetObjectItemCaseSensitive(cs, "response");
    e2e_output_t res;
    int rc;

    memset(&res, 0, sizeof res);
    mock_server_reset(srv);
    push(srv, response);
    rc = ep->call(c, in, &res);
    if (rc != 0)
        fail(ck, "call failed: %s (%s%s%s)", corehr_strerror(rc), res.err.message,
             res.err.path[0] ? " at " : "", res.err.path);
    if (mock_server_request_count(srv) != 1)
        fail(ck, "%zu requests, expected 1", mock_server_request_count(srv));
    else
        check_request(ck, mock_server_request(srv, 0), cs, in, want_path, true);
    if (rc == 0) {
        if (res.violations)
            fail(ck, "the response example breaks %zu rules of the spec", res.violations);
        check_page(ck, res.pages[0], cJSON_GetObjectItemCaseSensitive(response, "data"), 1);
    }
    output_free(&res);
}

/* Page 1 says has_more with NEXT_TOKEN, page 2 ends; both carry the
 * example's data otherwise. */
static void run_walk(check_t *ck, mock_server_t *srv, corehr_client_t *c, const e2e_endpoint_t *ep,
                     const cJSON *cs, const e2e_input_t *in, const char *want_path)
{
    const cJSON *pg = cJSON_GetObjectItemCaseSensitive(cs, "pagination");
    const char *token = cJSON_GetObjectItemCaseSensitive(pg, "token")->valuestring;
    const char *next = cJSON_GetObjectItemCaseSensitive(pg, "next_token")->valuestring;
    const char *more = cJSON_GetObjectItemCaseSensitive(pg, "has_more")->valuestring;
    bool in_query = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pg, "token_in_query"));
    cJSON *pages[2];
    e2e_output_t res;
    size_t i;
    int rc;

    memset(&res, 0, sizeof res);
    mock_server_reset(srv);
    for (i = 0; i < 2; i++) {
        cJSON *data;
        pages[i] = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(cs, "response"), true);
        data = cJSON_GetObjectItemCaseSensitive(pages[i], "data");
        cJSON_DeleteItemFromObjectCaseSensitive(data, more);
        cJSON_DeleteItemFromObjectCaseSensitive(data, next);
        cJSON_AddBoolToObject(data, more, i == 0);
        if (i == 0)
            cJSON_AddStringToObject(data, next, NEXT_TOKEN);
        push(srv, pages[i]);
    }
    rc = ep->walk(c, in, &res);
    if (rc != 0)
        fail(ck, "page walk failed: %s (%s)", corehr_strerror(rc), res.err.message);
    if (res.page_count != 2 || mock_server_request_count(srv) != 2) {
        fail(ck, "page walk: %zu pages from %zu requests, expected 2 and 2", res.page_count,
             mock_server_request_count(srv));
    } else {
        const mock_request_t *r = mock_server_request(srv, 1);
        check_request(ck, mock_server_request(srv, 0), cs, in, want_path, true);
        if (in_query) {
            char want[512];
            snprintf(want, sizeof want, "%s=%s", token, NEXT_TOKEN);
            if (!strstr(r->query, want))
                fail(ck, "page 2 query \"%s\" lacks %s", r->query, want);
        } else {
            cJSON *body = cJSON_ParseWithLength(r->body, r->body_len);
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(body, token);
            if (!cJSON_IsString(t) || strcmp(t->valuestring, NEXT_TOKEN) != 0)
                fail(ck, "page 2 body %s lacks \"%s\": \"%s\"", r->body, token, NEXT_TOKEN);
            cJSON_Delete(body);
        }
        if (res.violations)
            fail(ck, "the pages break %zu rules of the spec", res.violations);
        for (i = 0; i < 2; i++)
            check_page(ck, res.pages[i], cJSON_GetObjectItemCaseSensitive(pages[i], "data"), i + 1);
    }
    for (i = 0; i < 2; i++)
        cJSON_Delete(pages[i]);
    output_free(&res);
}

/* Builds {wire: example} from the case's parameter (or form field) list;
 * NULL with *why when a required one has no example. File fields are left
 * out: the driver gives them their bytes. */
static cJSON *example_values(const cJSON *params, const char **why)
{
    cJSON *out = cJSON_CreateObject();
    const cJSON *p;

    cJSON_ArrayForEach(p, params) {
        const cJSON *wire = cJSON_GetObjectItemCaseSensitive(p, "wire");
        const cJSON *ex = cJSON_GetObjectItemCaseSensitive(p, "example");
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "is_file")))
            continue;
        if (ex)
            cJSON_AddItemToObject(out, wire->valuestring, cJSON_Duplicate(ex, true));
        else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "required"))) {
            *why = "a required parameter has no example";
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}

/* Returns the reason to skip the case, or NULL when it can run. */
static const char *usable(const e2e_endpoint_t *ep, const cJSON *cs)
{
    const cJSON *response = cJSON_GetObjectItemCaseSensitive(cs, "response");

    if (ep->skip)
        return ep->skip;
    if (!cJSON_IsObject(response) || !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(response, "data")))
        return "no response example with an object `data`";
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cs, "has_body")) &&
        !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cs, "is_multipart")) &&
        !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(cs, "request")))
        return "no request example";
    return NULL;
}

/* Runs one endpoint: 1 passed, 0 skipped, -1 failed. */
static int run_endpoint(mock_server_t *srv, corehr_client_t *c, const e2e_endpoint_t *ep,
                        const cJSON *cs)
{
    check_t ck = {ep->name, 0};
    const char *why = usable(ep, cs);
    bool multipart = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cs, "is_multipart"));
    cJSON *path = NULL, *query = NULL, *form = NULL;
    /* the same bytes from memory (named and typed) and from a path (both defaulted) */
    corehr_file_t from_memory = {NULL, upload_bytes, sizeof upload_bytes, "e2e 上传 file.bin",
                                 "application/vnd.ms-excel"};
    corehr_file_t from_path = {upload_path, NULL, 0, NULL, NULL};
    char want_path[4096];
    e2e_input_t in;

    if (!why) {
        path = example_values(cJSON_GetObjectItemCaseSensitive(cs, "path_params"), &why);
        query = example_values(cJSON_GetObjectItemCaseSensitive(cs, "query"), &why);
    }
    if (!why && multipart)
        form = example_values(cJSON_GetObjectItemCaseSensitive(cs, "form"), &why);
    if (!why && !expected_path(cJSON_GetObjectItemCaseSensitive(cs, "path")->valuestring, path,
                               want_path, sizeof want_path))
        why = "a path parameter's example is not a scalar";
    if (why) {
        printf("e2e: SKIP %s: %s\n", ep->name, why);
        cJSON_Delete(path);
        cJSON_Delete(query);
        cJSON_Delete(form);
        return 0;
    }
    in.path = path;
    in.query = query;
    in.body = multipart ? form
              : cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cs, "has_body"))
                  ? cJSON_GetObjectItemCaseSensitive(cs, "request") : NULL;
    in.file = &from_memory;
    run_call(&ck, srv, c, ep, cs, &in, want_path);
    if (multipart) {
        in.file = &from_path;
        run_call(&ck, srv, c, ep, cs, &in, want_path);
    }
    if (ep->walk)
        run_walk(&ck, srv, c, ep, cs, &in, want_path);
    cJSON_Delete(path);
    cJSON_Delete(query);
    cJSON_Delete(form);
    printf("e2e: %s %s%s\n", ck.failures ? "FAIL" : "ok", ep->name,
           ep->walk ? " (+ 2 pages)" : multipart ? " (file from memory and from a path)" : "");
    return ck.failures ? -1 : 1;
}

static corehr_client_t *new_client(mock_server_t *srv)
{
    corehr_client_options_t o;
    corehr_client_t *c = NULL;
    corehr_error_t err;

    corehr_client_options_init(&o);
    o.base_url = mock_server_url(srv);
    o.sleep = fake_sleep;
    o.now = fake_now;
    memset(&err, 0, sizeof err);
    if (corehr_client_new(&c, &o, &err) != 0 || corehr_client_set_tenant_token(c, TENANT_TOKEN, &err) != 0) {
        fprintf(stderr, "e2e: client: %s\n", err.message);
        corehr_client_free(c);
        return NULL;
    }
    return c;
}

int main(int argc, char **argv)
{
    char *text = argc == 2 ? read_file(argv[1]) : NULL;
    cJSON *cases = text ? cJSON_Parse(text) : NULL;
    mock_server_t *srv = NULL;
    corehr_client_t *c = NULL;
    int passed = 0, skipped = 0, failed = 0, count = 0;
    const e2e_endpoint_t *ep;

    free(text);
    if (!cases) {
        fprintf(stderr, "usage: e2e_driver CASES.json (a readable JSON file)\n");
        return 1;
    }
    if (!make_upload_file()) {
        fprintf(stderr, "e2e: cannot write %s\n", upload_path);
        cJSON_Delete(cases);
        return 1;
    }
    if (mock_server_start(&srv) != 0 || !(c = new_client(srv))) {
        fprintf(stderr, "e2e: cannot start the mock server or the client\n");
        cJSON_Delete(cases);
        mock_server_stop(srv);
        unlink(upload_path);
        return 1;
    }
    for (ep = e2e_endpoints; ep->name; ep++, count++) {
        const cJSON *cs = cJSON_GetArrayItem(cases, count);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(cs, "name");
        int r;
        if (!cJSON_IsString(name) || strcmp(name->valuestring, ep->name) != 0) {
            fprintf(stderr, "e2e: FAIL %s: no matching case in %s\n", ep->name, argv[1]);
            failed++;
            continue;
        }
        r = run_endpoint(srv, c, ep, cs);
        passed += r == 1;
        skipped += r == 0;
        failed += r == -1;
    }
    if (count != cJSON_GetArraySize(cases)) {
        fprintf(stderr, "e2e: FAIL %d endpoints, %d cases\n", count, cJSON_GetArraySize(cases));
        failed++;
    }
    printf("e2e: %d endpoints passed, %d skipped%s\n", passed, skipped,
           failed ? "" : "");
    if (failed)
        printf("e2e: %d endpoints FAILED\n", failed);
    corehr_client_free(c);
    mock_server_stop(srv);
    cJSON_Delete(cases);
    unlink(upload_path);
    return failed || passed == 0 ? 1 : 0;
}
