/* test_files.c - uploads (multipart/form-data) and downloads (binary
 * responses) of the generated client, end to end over real HTTP to the
 * local mock server. The client is the test-only bundle `files`, generated
 * at build time from tests/fixtures/specs/files: upload_file (a multipart
 * POST with text fields and two file fields) and download_file (a GET
 * whose response is raw bytes).
 *
 * The server records the multipart body and mock_request_parts() splits it,
 * so the tests assert each part's name, filename, content type and bytes.
 * Downloads are served with and without Content-Length, with
 * Content-Disposition filenames, as JSON error envelopes, over the size
 * cap, and cut short; a download to a path must never leave a partial file.
 * The client's sleep is faked, so retries cost no time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files_api.h"
#include "mock_server.h"

#define TOKEN "t-files-test-0123456789abcdef"
#define UPLOAD_PATH "/open-apis/im/v1/files"
#define DOWNLOAD_PATH "/open-apis/im/v1/files/file_456a92d6"
#define UPLOAD_OK "{\"code\":0,\"msg\":\"success\",\"data\":{\"file_key\":\"file_456a92d6\"}}"
#define DELETED "{\"code\":234005,\"msg\":\"Image has been deleted\"}"

typedef struct fixture {
    mock_server_t *srv;
    files_client_t *c;
    char dir[64];             /* a private temporary directory */
    char logs[16384];
    size_t logs_len;
} fixture;

static void fake_sleep(void *user, long ms)
{
    (void)user;
    (void)ms;
}

static void capture_log(void *user, int level, const char *msg)
{
    fixture *f = user;
    int n = snprintf(f->logs + f->logs_len, sizeof f->logs - f->logs_len, "%d %s\n",
                     level, msg);

    if (n > 0 && (size_t)n < sizeof f->logs - f->logs_len)
        f->logs_len += (size_t)n;
}

static void new_client(fixture *f, int max_retries, size_t max_response_bytes)
{
    files_client_options_t o;
    files_error_t err;

    files_client_free(f->c);
    files_client_options_init(&o);
    o.base_url = mock_server_url(f->srv);
    o.timeout_ms = 5000;
    o.max_retries = max_retries;
    o.sleep = fake_sleep;
    o.log = capture_log;
    o.log_user = f;
    o.log_level = FILES_LOG_DEBUG;
    o.rate_limit = false;
    if (max_response_bytes)
        o.max_response_bytes = max_response_bytes;
    assert_int_equal(files_client_new(&f->c, &o, &err), 0);
    assert_int_equal(files_client_set_tenant_token(f->c, TOKEN, &err), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    if (!f || mock_server_start(&f->srv) < 0)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/oapigen-files-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    new_client(f, 2, 0);
    *state = f;
    return 0;
}

/* Removes the temporary directory, which must hold only what a test made. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];

    while (d && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static int teardown(void **state)
{
    fixture *f = *state;

    files_client_free(f->c);
    mock_server_stop(f->srv);
    remove_dir(f->dir);
    free(f);
    return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

/* Bytes that are not text: NULs, CR/LF, a fake boundary, high bytes. */
static size_t binary_bytes(char *out, size_t n)
{
    static const char tricky[] = "\r\n--boundary\r\n\0\xff\xfe";
    size_t i;

    for (i = 0; i < n; i++)
        out[i] = i < sizeof tricky - 1 ? tricky[i] : (char)(i * 7 + 3);
    return n;
}

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

/* Reads a whole file; the caller frees. */
static char *read_file(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    char *buf = malloc(1 << 16);

    assert_non_null(fp);
    assert_non_null(buf);
    *n = fread(buf, 1, 1 << 16, fp);
    fclose(fp);
    return buf;
}

/* Number of entries in the directory besides "." and "..". */
static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void push_bytes(fixture *f, const char *body, size_t len, const char *headers,
                       bool chunked)
{
    mock_response_t r;

    memset(&r, 0, sizeof r);
    r.path = DOWNLOAD_PATH;
    r.body = body;
    r.body_len = len;
    r.content_type = "application/octet-stream";
    r.headers = headers;
    r.chunked = chunked;
    assert_int_equal(mock_server_push(f->srv, &r), 0);
}

/* Announces len bytes (Content-Length) but closes after `at`. */
static void push_truncated(fixture *f, const char *body, size_t len, size_t at)
{
    mock_response_t r;

    memset(&r, 0, sizeof r);
    r.path = DOWNLOAD_PATH;
    r.body = body;
    r.body_len = len;
    r.content_type = "application/octet-stream";
    r.truncate = true;
    r.truncate_at = at;
    assert_int_equal(mock_server_push(f->srv, &r), 0);
}

static void push_json(fixture *f, const char *path, unsigned status, const char *body,
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

static void download_request(files_download_file_request_t *req)
{
    memset(req, 0, sizeof *req);
    req->path.file_key = (char *)"file_456a92d6";
}

static void upload_request(files_upload_file_request_t *req)
{
    memset(req, 0, sizeof *req);
    req->body.file_type = (char *)"mp4";
    req->body.file_name = (char *)"测试视频.mp4";
    req->body.has_duration = true;
    req->body.duration = 3000;
}

static void assert_part(const mock_part_t *p, const char *filename, const char *type,
                        const char *data, size_t len)
{
    assert_non_null(p);
    if (filename) {
        assert_non_null(p->filename);
        assert_string_equal(p->filename, filename);
    } else {
        assert_null(p->filename);
    }
    if (type) {
        assert_non_null(p->content_type);
        assert_string_equal(p->content_type, type);
    }
    assert_int_equal(p->len, len);
    assert_memory_equal(p->data, data, len);
}

/* Collects a download through the callback sink. */
typedef struct collected {
    char data[4096];
    size_t len;
    int calls;
    int stop_after;           /* > 0: return an error on that call */
} collected;

static int collect(void *user, const void *data, size_t size)
{
    collected *c = user;

    c->calls++;
    if (c->stop_after && c->calls >= c->stop_after)
        return -1;
    if (size > sizeof c->data - c->len)
        return -1;
    memcpy(c->data + c->len, data, size);
    c->len += size;
    return 0;
}

/* ---- uploads ------------------------------------------------------------------ */

/* Text fields under their wire names, a file from a path (its base name and
 * the default content type) and one from memory (given name and type). */
static void upload_sends_fields_and_files_from_path_and_memory(void **state)
{
    fixture *f = *state;
    files_upload_file_request_t req;
    files_upload_file_data_t *data = NULL;
    files_error_t err;
    char bytes[3000], thumb[100], path[128];
    mock_part_t *parts = NULL;
    int n;

    binary_bytes(bytes, sizeof bytes);
    binary_bytes(thumb, sizeof thumb);
    thumb[50] = 'T';
    snprintf(path, sizeof path, "%s/video.mp4", f->dir);
    write_file(path, bytes, sizeof bytes);
    upload_request(&req);
    req.body.file.path = path;
    req.body.thumbnail.data = thumb;
    req.body.thumbnail.size = sizeof thumb;
    req.body.thumbnail.filename = "thumb.png";
    req.body.thumbnail.content_type = "image/png";
    push_json(f, UPLOAD_PATH, 200, UPLOAD_OK, NULL);

    assert_int_equal(files_upload_file(f->c, &req, &data, &err), 0);
    assert_string_equal(data->file_key, "file_456a92d6");
    files_upload_file_data_free(data);

    const mock_request_t *r = mock_server_request(f->srv, 0);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, UPLOAD_PATH);
    assert_true(strncmp(mock_request_header(r, "Content-Type"), "multipart/form-data; boundary=", 30) == 0);
    assert_string_equal(mock_request_header(r, "Authorization"), "Bearer " TOKEN);
    n = mock_request_parts(r, &parts);
    assert_int_equal(n, 5);
    assert_string_equal(parts[0].name, "file_type");
    assert_part(&parts[0], NULL, NULL, "mp4", 3);
    assert_string_equal(parts[1].name, "file_name");
    assert_part(&parts[1], NULL, NULL, "测试视频.mp4", strlen("测试视频.mp4"));
    assert_string_equal(parts[2].name, "duration");
    assert_part(&parts[2], NULL, NULL, "3000", 4);
    assert_part(mock_part_find(parts, n, "file"), "video.mp4", "application/octet-stream",
                bytes, sizeof bytes);
    assert_part(mock_part_find(parts, n, "thumbnail"), "thumb.png", "image/png", thumb,
                sizeof thumb);
    mock_parts_free(parts, n);
}

/* Unset optional fields and files are not sent; data of size 0 is an empty
 * file, named after the field when no filename is given. */
static void upload_leaves_out_unset_parts_and_sends_empty_data(void **state)
{
    fixture *f = *state;
    files_upload_file_request_t req;
    files_upload_file_data_t *data = NULL;
    mock_part_t *parts = NULL;
    int n;

    upload_request(&req);
    req.body.has_duration = false;
    req.body.file.data = "";
    req.body.file.size = 0;
    push_json(f, UPLOAD_PATH, 200, UPLOAD_OK, NULL);
    assert_int_equal(files_upload_file(f->c, &req, &data, NULL), 0);
    files_upload_file_data_free(data);
    n = mock_request_parts(mock_server_request(f->srv, 0), &parts);
    assert_int_equal(n, 3);
    assert_null(mock_part_find(parts, n, "duration"));
    assert_null(mock_part_find(parts, n, "thumbnail"));
    assert_part(mock_part_find(parts, n, "file"), "file", "application/octet-stream", "", 0);
    mock_parts_free(parts, n);
}

static void upload_without_required_file_is_invalid_before_sending(void **state)
{
    fixture *f = *state;
    files_upload_file_request_t req;
    files_upload_file_data_t *data = NULL;
    files_error_t err;

    upload_request(&req);
    assert_int_equal(files_upload_file(f->c, &req, &data, &err), FILES_E_INVALID);
    assert_string_equal(err.path, "/body/file");
    assert_non_null(strstr(err.message, "is required"));
    assert_null(data);
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

static void upload_with_path_and_data_or_bad_filename_is_invalid(void **state)
{
    fixture *f = *state;
    files_upload_file_request_t req;
    files_upload_file_data_t *data = NULL;
    files_error_t err;

    upload_request(&req);
    req.body.file.path = "/dev/null";
    req.body.file.data = "x";
    assert_int_equal(files_upload_file(f->c, &req, &data, &err), FILES_E_INVALID);
    assert_string_equal(err.path, "/body/file");
    assert_non_null(strstr(err.message, "not both"));
    req.body.file.data = NULL;
    req.body.file.filename = "a\r\nX-Injected: 1";
    assert_int_equal(files_upload_file(f->c, &req, &data, &err), FILES_E_INVALID);
    assert_non_null(strstr(err.message, "control characters"));
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

static void upload_of_missing_path_fails_before_sending(void **state)
{
    fixture *f = *state;
    files_upload_file_request_t req;
    files_upload_file_data_t *data = NULL;
    files_error_t err;
    char path[128];

    snprintf(path, sizeof path, "%s/no-such-file", f->dir);
    upload_request(&req);
    req.body.file.path = path;
    assert_int_equal(files_upload_file(f->c, &req, &data, &err), FILES_E_IO);
    assert_non_null(strstr(err.message, "no-such-file"));
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

/* A POST upload is not idempotent: a 500 is not retried... */
static void upload_is_not_retried_after_a_server_error(void **state)
{
    fixture *f = *state;
    files_upload_file_request_t req;
    files_upload_file_data_t *data = NULL;
    files_error_t err;

    upload_request(&req);
    req.body.file.data = "abc";
    req.body.file.size = 3;
    push_json(f, UPLOAD_PATH, 500, "{\"code\":1,\"msg\":\"internal\"}", NULL);
    push_json(f, UPLOAD_PATH, 200, UPLOAD_OK, NULL);
    assert_int_equal(files_upload_file(f->c, &req, &data, &err), FILES_E_API);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(mock_server_request_count(f->srv), 1);
}

/* ...but a rate-limit refusal is (nothing was processed), and the repeat
 * sends the whole file again (read again from the path). */
static void upload_rate_limited_is_resent_whole(void **state)
{
    fixture *f = *state;
    files_upload_file_request_t req;
    files_upload_file_data_t *data = NULL;
    files_error_t err;
    char bytes[5000], path[128];
    mock_part_t *parts = NULL;
    int n;

    binary_bytes(bytes, sizeof bytes);
    snprintf(path, sizeof path, "%s/big.bin", f->dir);
    write_file(path, bytes, sizeof bytes);
    upload_request(&req);
    req.body.file.path = path;
    push_json(f, UPLOAD_PATH, 429, "{\"code\":99991400,\"msg\":\"too frequent\"}", NULL);
    push_json(f, UPLOAD_PATH, 200, UPLOAD_OK, NULL);
    int rc = files_upload_file(f->c, &req, &data, &err);
    if (rc != 0)
        fail_msg("%s\n%s", err.message, f->logs);
    files_upload_file_data_free(data);
    assert_int_equal(err.attempts, 2);
    for (size_t i = 0; i < 2; i++) {
        n = mock_request_parts(mock_server_request(f->srv, i), &parts);
        assert_int_equal(n, 4);
        assert_part(mock_part_find(parts, n, "file"), "big.bin", NULL, bytes, sizeof bytes);
        mock_parts_free(parts, n);
    }
}

/* ---- downloads ------------------------------------------------------------------ */

static void download_to_path_writes_the_file_and_reports_the_filename(void **state)
{
    fixture *f = *state;
    files_download_file_request_t req;
    files_download_t dl;
    files_error_t err;
    char bytes[10000], path[128];
    size_t n;

    binary_bytes(bytes, sizeof bytes);
    snprintf(path, sizeof path, "%s/out.bin", f->dir);
    write_file(path, "old contents", 12);     /* replaced on success */
    push_bytes(f, bytes, sizeof bytes,
               "Content-Disposition: attachment; filename=\"fallback.bin\"; "
               "filename*=UTF-8''%E6%B5%8B%E8%AF%95%20%E6%96%87%E4%BB%B6.bin\n"
               "X-Tt-Logid: 2024-download-log\n", false);
    download_request(&req);
    memset(&dl, 0, sizeof dl);
    dl.path = path;
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), 0);
    assert_int_equal(dl.size, sizeof bytes);
    assert_string_equal(dl.filename, "测试 文件.bin");
    assert_string_equal(dl.content_type, "application/octet-stream");
    char *got = read_file(path, &n);
    assert_int_equal(n, sizeof bytes);
    assert_memory_equal(got, bytes, n);
    free(got);
    assert_int_equal(dir_entries(f->dir), 1);      /* no temporary file left */
    const mock_request_t *r = mock_server_request(f->srv, 0);
    assert_string_equal(r->method, "GET");
    assert_string_equal(mock_request_header(r, "Accept"), "*/*");
    assert_int_equal(r->body_len, 0);
}

/* No Content-Length (chunked): the stream gets every byte. */
static void download_to_stream_without_content_length(void **state)
{
    fixture *f = *state;
    files_download_file_request_t req;
    files_download_t dl;
    files_error_t err;
    char bytes[20000];
    char *got = NULL;
    size_t got_len = 0;
    FILE *mem = open_memstream(&got, &got_len);

    binary_bytes(bytes, sizeof bytes);
    push_bytes(f, bytes, sizeof bytes, "Content-Disposition: attachment; filename=\"a \\\"b\\\".txt\"\n", true);
    download_request(&req);
    memset(&dl, 0, sizeof dl);
    dl.file = mem;
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), 0);
    fclose(mem);
    assert_int_equal(got_len, sizeof bytes);
    assert_memory_equal(got, bytes, sizeof bytes);
    assert_int_equal(dl.size, sizeof bytes);
    assert_string_equal(dl.filename, "a \"b\".txt");
    free(got);
}

/* The filename is the server's word: reported (control characters made
 * '_'), never used; ISO-8859-1 is converted; bad UTF-8 gives "". */
static void download_reports_untrusted_filenames_as_text(void **state)
{
    static const struct {
        const char *header, *want;
    } cases[] = {
        {"Content-Disposition: attachment; filename=\"../../etc/passwd\"\n", "../../etc/passwd"},
        {"Content-Disposition: attachment; filename*=iso-8859-1'en'caf%E9.txt\n", "café.txt"},
        {"Content-Disposition: attachment; filename*=UTF-8''a%0Ab%00c.txt\n", ""},
        {"Content-Disposition: attachment; filename*=UTF-8''a%0Ab.txt\n", "a_b.txt"},
        {"Content-Disposition: attachment; filename*=UTF-8''%FF.txt; filename=x.txt\n", "x.txt"},
        {"Content-Disposition: attachment; filename=plain.txt\n", "plain.txt"},
        {"Content-Disposition: inline\n", ""},
        {NULL, ""},
    };
    fixture *f = *state;
    files_download_file_request_t req;
    files_download_t dl;
    collected col;

    download_request(&req);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        push_bytes(f, "x", 1, cases[i].header, false);
        memset(&dl, 0, sizeof dl);
        memset(&col, 0, sizeof col);
        dl.write = collect;
        dl.write_user = &col;
        assert_int_equal(files_download_file(f->c, &req, &dl, NULL), 0);
        assert_string_equal(dl.filename, cases[i].want);
        assert_int_equal(col.len, 1);
    }
}

static void download_to_callback_and_stopping_it(void **state)
{
    fixture *f = *state;
    files_download_file_request_t req;
    files_download_t dl;
    files_error_t err;
    char bytes[100000];
    collected *col = calloc(1, sizeof *col);

    assert_non_null(col);
    binary_bytes(bytes, 3000);
    push_bytes(f, bytes, 3000, NULL, false);
    download_request(&req);
    memset(&dl, 0, sizeof dl);
    dl.write = collect;
    dl.write_user = col;
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), 0);
    assert_int_equal(col->len, 3000);
    assert_memory_equal(col->data, bytes, 3000);
    assert_string_equal(dl.filename, "");

    /* a callback that says stop: E_IO, not retried */
    binary_bytes(bytes, sizeof bytes);
    memset(col, 0, sizeof *col);
    col->stop_after = 2;
    push_bytes(f, bytes, sizeof bytes, NULL, false);
    push_bytes(f, bytes, sizeof bytes, NULL, false);
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), FILES_E_IO);
    assert_non_null(strstr(err.message, "callback"));
    assert_int_equal(err.attempts, 1);
    free(col);
}

/* The per-call cap, and the client's max_response_bytes (announced by
 * Content-Length or found while streaming): E_TOO_LARGE, no file left. */
static void download_over_the_size_cap_fails_and_leaves_no_file(void **state)
{
    fixture *f = *state;
    files_download_file_request_t req;
    files_download_t dl;
    files_error_t err;
    char bytes[50000], path[128];

    binary_bytes(bytes, sizeof bytes);
    snprintf(path, sizeof path, "%s/big.bin", f->dir);
    download_request(&req);
    memset(&dl, 0, sizeof dl);
    dl.path = path;
    dl.max_bytes = 1000;
    push_bytes(f, bytes, sizeof bytes, NULL, true);
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), FILES_E_TOO_LARGE);
    assert_non_null(strstr(err.message, "1000 bytes"));
    assert_int_equal(dir_entries(f->dir), 0);

    new_client(f, 0, 4096);
    dl.max_bytes = 0;
    push_bytes(f, bytes, sizeof bytes, NULL, false);     /* Content-Length */
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), FILES_E_TOO_LARGE);
    push_bytes(f, bytes, sizeof bytes, NULL, true);      /* streamed */
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), FILES_E_TOO_LARGE);
    assert_int_equal(dir_entries(f->dir), 0);

    /* a per-call cap may be larger than the client's */
    dl.max_bytes = sizeof bytes;
    push_bytes(f, bytes, sizeof bytes, NULL, false);
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), 0);
    assert_int_equal(dl.size, sizeof bytes);
}

/* An error envelope instead of bytes: the typed Feishu error, with status
 * and log id; nothing reaches the sink, the target is not created. */
static void download_answered_with_json_error_is_typed(void **state)
{
    fixture *f = *state;
    files_download_file_request_t req;
    files_download_t dl;
    files_error_t err;
    collected col;
    char path[128];

    download_request(&req);
    snprintf(path, sizeof path, "%s/deleted.bin", f->dir);
    memset(&dl, 0, sizeof dl);
    dl.path = path;
    push_json(f, DOWNLOAD_PATH, 400, DELETED, "X-Tt-Logid: 20240821-log-id\n");
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), FILES_E_API);
    assert_int_equal(err.api_code, 234005);
    assert_string_equal(err.api_msg, "Image has been deleted");
    assert_string_equal(err.log_id, "20240821-log-id");
    assert_int_equal(err.http_status, 400);
    assert_int_equal(dir_entries(f->dir), 0);

    /* code != 0 with HTTP 200 too */
    memset(&dl, 0, sizeof dl);
    memset(&col, 0, sizeof col);
    dl.write = collect;
    dl.write_user = &col;
    push_json(f, DOWNLOAD_PATH, 200, DELETED, NULL);
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), FILES_E_API);
    assert_int_equal(err.api_code, 234005);
    assert_int_equal(col.calls, 0);

    /* a JSON file that is no error envelope is the download itself */
    push_json(f, DOWNLOAD_PATH, 200, "[1,2,3]", NULL);
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), 0);
    assert_int_equal(col.len, 7);
    assert_memory_equal(col.data, "[1,2,3]", 7);
    assert_int_equal(dl.size, 7);
}

/* Content-Length says more than arrives: an error, and (retries spent) no
 * partial file under the target name or next to it. */
static void truncated_download_to_path_fails_and_leaves_nothing(void **state)
{
    fixture *f = *state;
    files_download_file_request_t req;
    files_download_t dl;
    files_error_t err;
    char bytes[30000], path[128];

    binary_bytes(bytes, sizeof bytes);
    snprintf(path, sizeof path, "%s/cut.bin", f->dir);
    download_request(&req);
    memset(&dl, 0, sizeof dl);
    dl.path = path;
    for (int i = 0; i < 3; i++)
        push_truncated(f, bytes, sizeof bytes, 10000);
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), FILES_E_TRANSPORT);
    assert_int_equal(err.attempts, 3);           /* a GET: retried twice */
    assert_int_equal(dir_entries(f->dir), 0);
    assert_int_equal(dl.size, 0);
}

/* A path sink starts over on a retry: cut once, then complete. */
static void truncated_download_to_path_is_retried_from_the_start(void **state)
{
    fixture *f = *state;
    files_download_file_request_t req;
    files_download_t dl;
    files_error_t err;
    char bytes[30000], path[128];
    size_t n;

    binary_bytes(bytes, sizeof bytes);
    snprintf(path, sizeof path, "%s/retried.bin", f->dir);
    download_request(&req);
    memset(&dl, 0, sizeof dl);
    dl.path = path;
    push_truncated(f, bytes, sizeof bytes, 10000);
    push_bytes(f, bytes, sizeof bytes, NULL, false);
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), 0);
    assert_int_equal(err.attempts, 2);
    char *got = read_file(path, &n);
    assert_int_equal(n, sizeof bytes);
    assert_memory_equal(got, bytes, n);
    free(got);
    assert_int_equal(dir_entries(f->dir), 1);
}

/* Bytes already in the caller's stream cannot be taken back: no retry. */
static void truncated_download_to_stream_is_not_retried(void **state)
{
    fixture *f = *state;
    files_download_file_request_t req;
    files_download_t dl;
    files_error_t err;
    char bytes[30000];
    char *got = NULL;
    size_t got_len = 0;
    FILE *mem = open_memstream(&got, &got_len);

    binary_bytes(bytes, sizeof bytes);
    download_request(&req);
    memset(&dl, 0, sizeof dl);
    dl.file = mem;
    push_truncated(f, bytes, sizeof bytes, 10000);
    push_bytes(f, bytes, sizeof bytes, NULL, false);
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), FILES_E_TRANSPORT);
    assert_int_equal(err.attempts, 1);
    assert_non_null(strstr(f->logs, "not retried"));
    assert_int_equal(mock_server_pending(f->srv), 1);
    fclose(mem);
    assert_true(got_len > 0 && got_len < sizeof bytes);
    free(got);
}

/* A cut before any byte arrived (a 5xx, a dropped connection) is retried
 * for a stream sink too. */
static void download_to_stream_is_retried_before_any_byte(void **state)
{
    fixture *f = *state;
    files_download_file_request_t req;
    files_download_t dl;
    files_error_t err;
    collected col;
    mock_response_t drop;

    download_request(&req);
    memset(&dl, 0, sizeof dl);
    memset(&col, 0, sizeof col);
    dl.write = collect;
    dl.write_user = &col;
    memset(&drop, 0, sizeof drop);
    drop.drop = true;
    assert_int_equal(mock_server_push(f->srv, &drop), 0);
    push_json(f, DOWNLOAD_PATH, 503, "{\"code\":1,\"msg\":\"busy\"}", NULL);
    push_bytes(f, "payload", 7, NULL, false);
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), 0);
    assert_int_equal(err.attempts, 3);
    assert_int_equal(col.len, 7);
    assert_memory_equal(col.data, "payload", 7);
}

static void download_needs_exactly_one_sink(void **state)
{
    fixture *f = *state;
    files_download_file_request_t req;
    files_download_t dl;
    files_error_t err;
    collected col;

    download_request(&req);
    memset(&dl, 0, sizeof dl);
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), FILES_E_ARG);
    dl.file = stderr;
    dl.write = collect;
    dl.write_user = &col;
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), FILES_E_ARG);
    assert_non_null(strstr(err.message, "exactly one"));
    memset(&dl, 0, sizeof dl);
    dl.path = "/nonexistent-dir-oapigen/x.bin";
    assert_int_equal(files_download_file(f->c, &req, &dl, &err), FILES_E_IO);
    assert_int_equal(mock_server_request_count(f->srv), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(upload_sends_fields_and_files_from_path_and_memory),
        T(upload_leaves_out_unset_parts_and_sends_empty_data),
        T(upload_without_required_file_is_invalid_before_sending),
        T(upload_with_path_and_data_or_bad_filename_is_invalid),
        T(upload_of_missing_path_fails_before_sending),
        T(upload_is_not_retried_after_a_server_error),
        T(upload_rate_limited_is_resent_whole),
        T(download_to_path_writes_the_file_and_reports_the_filename),
        T(download_to_stream_without_content_length),
        T(download_reports_untrusted_filenames_as_text),
        T(download_to_callback_and_stopping_it),
        T(download_over_the_size_cap_fails_and_leaves_no_file),
        T(download_answered_with_json_error_is_typed),
        T(truncated_download_to_path_fails_and_leaves_nothing),
        T(truncated_download_to_path_is_retried_from_the_start),
        T(truncated_download_to_stream_is_not_retried),
        T(download_to_stream_is_retried_before_any_byte),
        T(download_needs_exactly_one_sink),
    };
    int rc;

    if (files_global_init() < 0)
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    files_global_cleanup();
    return rc;
}
