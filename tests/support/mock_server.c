/* mock_server.c - scriptable local HTTP server on libmicrohttpd.
 *
 * Life of a request: the URI log callback sees the raw URI first (MHD later
 * percent-decodes the path, and tests need "a%2Fb" as sent) and creates the
 * per-request state; the access handler then records headers and body, and
 * on its last call logs the request, takes a response from the queue,
 * waits if asked, and queues it. Delays wait on a condition variable so
 * mock_server_stop() can cut them short.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "mock_server.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <microhttpd.h>

#if MHD_VERSION < 0x00097002
typedef int MHD_Result_t;   /* before 0.9.71 handlers returned int */
#else
typedef enum MHD_Result MHD_Result_t;
#endif

#define MOCK_MAX_BODY ((size_t)64 << 20)

/* A queued response: mock_response_t with owned copies of its strings. */
typedef struct mock_item {
    mock_response_t r;
    char *path, *body, *content_type, *headers;
} mock_item;

struct mock_server {
    struct MHD_Daemon *daemon;
    unsigned short port;
    char url[64];
    pthread_mutex_t lock;
    pthread_cond_t wake;       /* broadcast on stop: ends every delay */
    bool stopping;
    mock_item *queue;
    size_t queue_len, queue_cap;
    mock_request_t **log;
    size_t log_len, log_cap;
    unsigned long connections;
};

/* State of one request between MHD callbacks. */
typedef struct mock_pending {
    mock_server_t *server;
    mock_request_t *req;       /* moved to the log when complete */
    bool started;
    mock_item resp;
} mock_pending;

/* Body source for delayed, chunked or truncated bodies. */
typedef struct mock_reader {
    mock_server_t *server;
    char *body;
    size_t len, limit;
    unsigned int delay_ms;
    bool truncate;
} mock_reader;

/* ---- helpers ---------------------------------------------------------------- */

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);

    if (d) {
        if (n)
            memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static char *dup_opt(const char *s, bool *ok)
{
    char *d;

    if (!s)
        return NULL;
    if ((d = dup_n(s, strlen(s))) == NULL)
        *ok = false;
    return d;
}

/* Waits ms milliseconds unless the server is stopping. */
static void mock_wait(mock_server_t *s, unsigned int ms)
{
    struct timespec until;

    if (ms == 0)
        return;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->lock);
    while (!s->stopping &&
           pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
        ;
    pthread_mutex_unlock(&s->lock);
}

static void item_free(mock_item *it)
{
    free(it->path);
    free(it->body);
    free(it->content_type);
    free(it->headers);
    memset(it, 0, sizeof *it);
}

static int item_copy(mock_item *dst, const mock_response_t *src)
{
    bool ok = true;
    size_t len = src->body ? (src->body_len ? src->body_len : strlen(src->body)) : 0;

    memset(dst, 0, sizeof *dst);
    dst->r = *src;
    dst->path = dup_opt(src->path, &ok);
    dst->content_type = dup_opt(src->content_type, &ok);
    dst->headers = dup_opt(src->headers, &ok);
    if ((dst->body = dup_n(src->body ? src->body : "", len)) == NULL)
        ok = false;
    dst->r.body_len = len;
    dst->r.path = dst->path;
    dst->r.body = dst->body;
    dst->r.content_type = dst->content_type;
    dst->r.headers = dst->headers;
    if (!ok)
        item_free(dst);
    return ok ? 0 : -1;
}

static void request_free(mock_request_t *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->header_count; i++) {
        free(r->header_names[i]);
        free(r->header_values[i]);
    }
    free(r->header_names);
    free(r->header_values);
    free(r->method);
    free(r->path);
    free(r->query);
    free(r->body);
    free(r);
}

/* ---- queue and log ------------------------------------------------------------ */

int mock_server_push(mock_server_t *s, const mock_response_t *r)
{
    mock_item it, *grown;
    int rc = -1;

    if (item_copy(&it, r) < 0)
        return -1;
    pthread_mutex_lock(&s->lock);
    if (s->queue_len == s->queue_cap) {
        size_t cap = s->queue_cap ? s->queue_cap * 2 : 8;
        if ((grown = realloc(s->queue, cap * sizeof *grown)) == NULL)
            goto done;
        s->queue = grown;
        s->queue_cap = cap;
    }
    s->queue[s->queue_len++] = it;
    rc = 0;
done:
    pthread_mutex_unlock(&s->lock);
    if (rc < 0)
        item_free(&it);
    return rc;
}

int mock_server_push_json(mock_server_t *s, unsigned int status, const char *body)
{
    mock_response_t r;

    memset(&r, 0, sizeof r);
    r.status = status;
    r.body = body;
    return mock_server_push(s, &r);
}

size_t mock_server_pending(mock_server_t *s)
{
    size_t i, n = 0;

    pthread_mutex_lock(&s->lock);
    for (i = 0; i < s->queue_len; i++)
        n += !s->queue[i].r.repeat;
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* Copies the first response matching path into *out; 418 if none. */
static void take_response(mock_server_t *s, const char *path, mock_item *out)
{
    mock_response_t none;
    char msg[512];
    size_t i;

    pthread_mutex_lock(&s->lock);
    for (i = 0; i < s->queue_len; i++)
        if (!s->queue[i].path || strcmp(s->queue[i].path, path) == 0)
            break;
    if (i < s->queue_len && s->queue[i].r.repeat) {
        pthread_mutex_unlock(&s->lock);
        if (item_copy(out, &s->queue[i].r) == 0)
            return;
        pthread_mutex_lock(&s->lock);
        i = s->queue_len;   /* out of memory: answer "nothing queued" */
    }
    if (i < s->queue_len) {
        *out = s->queue[i];
        memmove(&s->queue[i], &s->queue[i + 1], (s->queue_len - i - 1) * sizeof *s->queue);
        s->queue_len--;
        pthread_mutex_unlock(&s->lock);
        return;
    }
    pthread_mutex_unlock(&s->lock);
    snprintf(msg, sizeof msg, "{\"code\":-1,\"msg\":\"mock_server: no response queued for %.400s\"}",
             path);
    memset(&none, 0, sizeof none);
    none.status = 418;
    none.body = msg;
    if (item_copy(out, &none) < 0)
        memset(out, 0, sizeof *out);
}

static int log_request(mock_server_t *s, mock_request_t *r)
{
    mock_request_t **grown;
    int rc = 0;

    pthread_mutex_lock(&s->lock);
    if (s->log_len == s->log_cap) {
        size_t cap = s->log_cap ? s->log_cap * 2 : 16;
        if ((grown = realloc(s->log, cap * sizeof *grown)) == NULL)
            rc = -1;
        else {
            s->log = grown;
            s->log_cap = cap;
        }
    }
    if (rc == 0)
        s->log[s->log_len++] = r;
    pthread_mutex_unlock(&s->lock);
    return rc;
}

size_t mock_server_request_count(mock_server_t *s)
{
    size_t n;

    pthread_mutex_lock(&s->lock);
    n = s->log_len;
    pthread_mutex_unlock(&s->lock);
    return n;
}

const mock_request_t *mock_server_request(mock_server_t *s, size_t i)
{
    const mock_request_t *r = NULL;

    pthread_mutex_lock(&s->lock);
    if (i < s->log_len)
        r = s->log[i];
    pthread_mutex_unlock(&s->lock);
    return r;
}

const char *mock_request_header(const mock_request_t *r, const char *name)
{
    size_t i;

    for (i = 0; r && i < r->header_count; i++)
        if (strcasecmp(r->header_names[i], name) == 0)
            return r->header_values[i];
    return NULL;
}

void mock_server_reset(mock_server_t *s)
{
    size_t i;

    pthread_mutex_lock(&s->lock);
    for (i = 0; i < s->queue_len; i++)
        item_free(&s->queue[i]);
    s->queue_len = 0;
    for (i = 0; i < s->log_len; i++)
        request_free(s->log[i]);
    s->log_len = 0;
    pthread_mutex_unlock(&s->lock);
}

/* ---- MHD callbacks ---------------------------------------------------------------- */

/* Numbers connections so tests can tell whether one was reused. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode what)
{
    mock_server_t *s = cls;
    unsigned long *id;

    (void)conn;
    if (what == MHD_CONNECTION_NOTIFY_STARTED) {
        if ((id = malloc(sizeof *id)) != NULL) {
            pthread_mutex_lock(&s->lock);
            *id = ++s->connections;
            pthread_mutex_unlock(&s->lock);
        }
        *socket_ctx = id;
    } else {
        free(*socket_ctx);
        *socket_ctx = NULL;
    }
}

/* Sees the raw URI before MHD decodes it: this is where path and query are
 * recorded exactly as sent. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    mock_pending *p = calloc(1, sizeof *p);
    const char *q = strchr(uri, '?');
    size_t plen = q ? (size_t)(q - uri) : strlen(uri);

    (void)conn;
    if (!p)
        return NULL;
    p->server = cls;
    p->req = calloc(1, sizeof *p->req);
    if (!p->req || !(p->req->path = dup_n(uri, plen)) ||
        !(p->req->query = dup_n(q ? q + 1 : "", q ? strlen(q + 1) : 0))) {
        request_free(p->req);
        free(p);
        return NULL;
    }
    return p;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode why)
{
    mock_pending *p = *req_cls;

    (void)cls;
    (void)conn;
    (void)why;
    if (!p)
        return;
    request_free(p->req);
    item_free(&p->resp);
    free(p);
    *req_cls = NULL;
}

static MHD_Result_t on_header(void *cls, enum MHD_ValueKind kind, const char *key,
                              const char *value)
{
    mock_request_t *r = cls;
    char **names, **values;
    size_t n = r->header_count + 1;

    (void)kind;
    names = realloc(r->header_names, n * sizeof *names);
    if (names)
        r->header_names = names;
    values = realloc(r->header_values, n * sizeof *values);
    if (values)
        r->header_values = values;
    if (!names || !values)
        return MHD_NO;
    names[n - 1] = dup_n(key, strlen(key));
    values[n - 1] = dup_n(value ? value : "", value ? strlen(value) : 0);
    if (!names[n - 1] || !values[n - 1]) {
        free(names[n - 1]);
        free(values[n - 1]);
        return MHD_NO;
    }
    r->header_count = n;
    return MHD_YES;
}

static int append_body(mock_request_t *r, const char *data, size_t n)
{
    char *grown;

    if (r->body_len + n > MOCK_MAX_BODY)
        return 0;   /* keep the start; the test sees the truncation */
    if ((grown = realloc(r->body, r->body_len + n + 1)) == NULL)
        return -1;
    memcpy(grown + r->body_len, data, n);
    r->body = grown;
    r->body_len += n;
    r->body[r->body_len] = '\0';
    return 0;
}

static ssize_t read_body(void *cls, uint64_t pos, char *buf, size_t max)
{
    mock_reader *rd = cls;
    size_t n;

    if (pos == 0 && rd->delay_ms) {
        mock_wait(rd->server, rd->delay_ms);
        rd->delay_ms = 0;
    }
    if (pos >= rd->limit)
        return rd->truncate ? MHD_CONTENT_READER_END_WITH_ERROR
                            : MHD_CONTENT_READER_END_OF_STREAM;
    n = rd->limit - (size_t)pos;
    if (n > max)
        n = max;
    memcpy(buf, rd->body + pos, n);
    return (ssize_t)n;
}

static void free_reader(void *cls)
{
    mock_reader *rd = cls;

    free(rd->body);
    free(rd);
}

/* A body that is delayed, chunked or truncated needs a reader callback. */
static struct MHD_Response *make_streamed(mock_server_t *s, mock_item *it)
{
    mock_reader *rd = calloc(1, sizeof *rd);
    struct MHD_Response *resp;
    const mock_response_t *r = &it->r;

    if (!rd)
        return NULL;
    rd->server = s;
    rd->body = it->body;        /* the reader owns the body from here */
    it->body = NULL;
    rd->len = r->body_len;
    rd->truncate = r->truncate;
    rd->limit = r->truncate && r->truncate_at < r->body_len ? r->truncate_at : r->body_len;
    rd->delay_ms = r->body_delay_ms;
    resp = MHD_create_response_from_callback(r->chunked ? MHD_SIZE_UNKNOWN : rd->len,
                                             4096, read_body, rd, free_reader);
    if (!resp)
        free_reader(rd);
    return resp;
}

/* Adds "Name: value\n" lines to the response. */
static void add_headers(struct MHD_Response *resp, const char *lines)
{
    char name[256], value[1024];
    const char *eol, *colon;

    while (lines && *lines) {
        eol = lines + strcspn(lines, "\r\n");
        colon = memchr(lines, ':', (size_t)(eol - lines));
        if (colon && colon - lines < (long)sizeof name) {
            const char *v = colon + 1;
            while (v < eol && *v == ' ')
                v++;
            snprintf(name, sizeof name, "%.*s", (int)(colon - lines), lines);
            snprintf(value, sizeof value, "%.*s", (int)(eol - v), v);
            MHD_add_response_header(resp, name, value);
        }
        lines = eol + strspn(eol, "\r\n");
    }
}

static MHD_Result_t respond(mock_server_t *s, struct MHD_Connection *conn, mock_pending *p,
                            const char *path)
{
    mock_item *it = &p->resp;
    const mock_response_t *r = &it->r;
    struct MHD_Response *resp;
    MHD_Result_t ok;

    take_response(s, path, it);
    if (r->drop)
        return MHD_NO;
    mock_wait(s, r->delay_ms);
    if (r->chunked || r->truncate || r->body_delay_ms)
        resp = make_streamed(s, it);
    else
        resp = MHD_create_response_from_buffer(r->body_len, it->body ? it->body : (char *)"",
                                               MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type",
                            r->content_type ? r->content_type
                                            : "application/json; charset=utf-8");
    add_headers(resp, r->headers);
    if (r->close)
        MHD_add_response_header(resp, "Connection", "close");
    ok = MHD_queue_response(conn, r->status ? r->status : 200, resp);
    MHD_destroy_response(resp);
    return ok;
}

static MHD_Result_t on_request(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version,
                               const char *upload, size_t *upload_size, void **req_cls)
{
    mock_server_t *s = cls;
    mock_pending *p = *req_cls;
    const union MHD_ConnectionInfo *ci;
    mock_request_t *req;

    (void)url;
    (void)version;
    if (!p)
        return MHD_NO;
    if (!p->started) {
        p->started = true;
        if (!(p->req->method = dup_n(method, strlen(method))))
            return MHD_NO;
        MHD_get_connection_values(conn, MHD_HEADER_KIND, on_header, p->req);
        ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        if (ci && ci->socket_context)
            p->req->connection = *(unsigned long *)ci->socket_context;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (append_body(p->req, upload, *upload_size) < 0)
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    if (!p->req->body && !(p->req->body = dup_n("", 0)))
        return MHD_NO;
    req = p->req;
    if (log_request(s, req) < 0)
        return MHD_NO;
    p->req = NULL;   /* the log owns it now; entries are never changed later */
    return respond(s, conn, p, req->path);
}

/* ---- multipart bodies ------------------------------------------------------------------ */

/* Finds needle (n bytes) in hay (len bytes). */
static const char *find_bytes(const char *hay, size_t len, const char *needle, size_t n)
{
    size_t i;

    for (i = 0; n <= len && i <= len - n; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* The value of parameter `key` ("name", "filename") in a header value like
 * `form-data; name="a"; filename="b"`; NULL when absent. */
static char *header_param(const char *value, const char *key)
{
    size_t k = strlen(key);
    const char *p = value;

    while ((p = strchr(p, ';')) != NULL) {
        p++;
        p += strspn(p, " ");
        if (strncasecmp(p, key, k) == 0 && p[k] == '=') {
            p += k + 1;
            if (*p == '"')
                return dup_n(p + 1, strcspn(p + 1, "\""));
            return dup_n(p, strcspn(p, ";"));
        }
    }
    return NULL;
}

/* The boundary of a "multipart/form-data; boundary=..." Content-Type. */
static char *request_boundary(const mock_request_t *r)
{
    const char *ct = mock_request_header(r, "Content-Type");

    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0)
        return NULL;
    return header_param(ct, "boundary");
}

/* Reads the header lines of one part (up to the empty line) into *part. */
static const char *part_headers(const char *p, const char *end, mock_part_t *part)
{
    while (p < end) {
        const char *eol = find_bytes(p, (size_t)(end - p), "\r\n", 2);
        char *line;
        if (!eol)
            return NULL;
        if (eol == p)
            return eol + 2;
        if ((line = dup_n(p, (size_t)(eol - p))) == NULL)
            return NULL;
        if (strncasecmp(line, "Content-Disposition:", 20) == 0) {
            part->name = header_param(line, "name");
            part->filename = header_param(line, "filename");
        } else if (strncasecmp(line, "Content-Type:", 13) == 0) {
            part->content_type = dup_n(line + 13 + strspn(line + 13, " "),
                                       strlen(line + 13 + strspn(line + 13, " ")));
        }
        free(line);
        p = eol + 2;
    }
    return NULL;
}

int mock_request_parts(const mock_request_t *r, mock_part_t **out)
{
    char *boundary = request_boundary(r), *delim = NULL;
    const char *p, *end, *next;
    mock_part_t *parts = NULL, *grown;
    int n = 0;
    size_t dlen;

    *out = NULL;
    if (!boundary || !(delim = malloc(strlen(boundary) + 5)))
        goto fail;
    sprintf(delim, "\r\n--%s", boundary);
    dlen = strlen(delim);
    end = r->body + r->body_len;
    /* the first delimiter has no CRLF before it */
    if (r->body_len < dlen - 2 || memcmp(r->body, delim + 2, dlen - 2) != 0)
        goto fail;
    p = r->body + dlen - 2;
    for (;;) {
        if (end - p >= 2 && memcmp(p, "--", 2) == 0)
            break;                                  /* closing delimiter */
        if (end - p < 2 || memcmp(p, "\r\n", 2) != 0)
            goto fail;
        if ((grown = realloc(parts, (size_t)(n + 1) * sizeof *parts)) == NULL)
            goto fail;
        parts = grown;
        memset(&parts[n], 0, sizeof parts[n]);
        n++;
        if ((p = part_headers(p + 2, end, &parts[n - 1])) == NULL ||
            (next = find_bytes(p, (size_t)(end - p), delim, dlen)) == NULL)
            goto fail;
        if ((parts[n - 1].data = dup_n(p, (size_t)(next - p))) == NULL)
            goto fail;
        parts[n - 1].len = (size_t)(next - p);
        p = next + dlen;
    }
    free(boundary);
    free(delim);
    *out = parts;
    return n;
fail:
    mock_parts_free(parts, n);
    free(boundary);
    free(delim);
    return -1;
}

void mock_parts_free(mock_part_t *parts, int n)
{
    int i;

    for (i = 0; parts && i < n; i++) {
        free(parts[i].name);
        free(parts[i].filename);
        free(parts[i].content_type);
        free(parts[i].data);
    }
    free(parts);
}

const mock_part_t *mock_part_find(const mock_part_t *parts, int n, const char *name)
{
    int i;

    for (i = 0; i < n; i++)
        if (parts[i].name && strcmp(parts[i].name, name) == 0)
            return &parts[i];
    return NULL;
}

/* ---- start and stop ------------------------------------------------------------------ */

int mock_server_start(mock_server_t **out)
{
    mock_server_t *s = calloc(1, sizeof *s);
    struct sockaddr_in addr;
    const union MHD_DaemonInfo *info;

    *out = NULL;
    if (!s)
        return -1;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = 0;   /* the kernel picks a free port */
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL,
        on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned int)30, MHD_OPTION_END);
    if (!s->daemon || !(info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT)) ||
        info->port == 0) {
        mock_server_stop(s);
        return -1;
    }
    s->port = info->port;
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u", (unsigned)s->port);
    *out = s;
    return 0;
}

void mock_server_stop(mock_server_t *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->lock);
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    mock_server_reset(s);
    free(s->queue);
    free(s->log);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

unsigned short mock_server_port(const mock_server_t *s)
{
    return s->port;
}

const char *mock_server_url(const mock_server_t *s)
{
    return s->url;
}
