/* mock_server.h - a scriptable local HTTP server for tests and benchmarks.
 *
 * libmicrohttpd on 127.0.0.1, on an ephemeral port, one thread per
 * connection (so a delayed response does not hold up other connections).
 * Each request takes the first queued response whose path matches (FIFO);
 * every request is recorded for assertions. The queue and the log are
 * locked, so a test may push responses and read the log while clients talk
 * to the server. Nothing is written to stdout or stderr.
 *
 * Typical use:
 *
 *     mock_server_t *s;
 *     mock_server_start(&s);
 *     mock_server_push_json(s, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":{}}");
 *     ... call mock_server_url(s) ...
 *     assert(strcmp(mock_server_request(s, 0)->method, "POST") == 0);
 *     mock_server_stop(s);
 */
#ifndef MOCK_SERVER_H
#define MOCK_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mock_server mock_server_t;

/** One canned response; zero-initialise and set what matters. Every string
 * is copied by mock_server_push(). */
typedef struct mock_response {
    const char *path;          /**< answer only this raw path ("/open-apis/x"); NULL: any */
    unsigned int status;       /**< 0 means 200 */
    const char *body;          /**< NULL means empty */
    size_t body_len;           /**< 0 means strlen(body) */
    const char *content_type;  /**< NULL means "application/json; charset=utf-8" */
    const char *headers;       /**< extra header lines "Name: value\n...", or NULL */
    unsigned int delay_ms;     /**< wait before sending the status line */
    unsigned int body_delay_ms;/**< wait between the headers and the body */
    bool chunked;              /**< no Content-Length: chunked transfer encoding */
    bool truncate;             /**< send truncate_at body bytes, then close the
                                    connection (Content-Length announces all) */
    size_t truncate_at;
    bool close;                /**< "Connection: close": no keep-alive after it */
    bool drop;                 /**< close the connection without any response */
    bool repeat;               /**< stays queued and answers every match */
} mock_response_t;

/** One received request as the server saw it; owned by the server. */
typedef struct mock_request {
    char *method;              /**< "POST" */
    char *path;                /**< raw, still percent-encoded: "/open-apis/a%2Fb" */
    char *query;               /**< raw query string without '?', "" if none */
    char **header_names;
    char **header_values;
    size_t header_count;
    char *body;                /**< NUL-terminated; body_len excludes the NUL */
    size_t body_len;
    unsigned long connection;  /**< 1-based connection number: equal = reused */
} mock_request_t;

/** Starts a server on 127.0.0.1 with a free port. Returns 0 or -1. */
int mock_server_start(mock_server_t **out);
/** Stops the server (cutting delays short) and frees it. NULL-safe. */
void mock_server_stop(mock_server_t *s);
/** The port the server listens on. */
unsigned short mock_server_port(const mock_server_t *s);
/** "http://127.0.0.1:<port>", valid until mock_server_stop(). */
const char *mock_server_url(const mock_server_t *s);

/** Queues a copy of *r. Returns 0 or -1 (out of memory). */
int mock_server_push(mock_server_t *s, const mock_response_t *r);
/** Queues a JSON response with the given status for any path. */
int mock_server_push_json(mock_server_t *s, unsigned int status, const char *body);
/** Responses still queued, not counting `repeat` ones. A request that finds
 * nothing queued gets 418 with {"code":-1,"msg":"mock_server: ..."}. */
size_t mock_server_pending(mock_server_t *s);

/** Number of requests received so far. */
size_t mock_server_request_count(mock_server_t *s);
/** Request i (0-based) or NULL; valid until mock_server_reset() or _stop(). */
const mock_request_t *mock_server_request(mock_server_t *s, size_t i);
/** Value of header `name` (case-insensitive) or NULL. */
const char *mock_request_header(const mock_request_t *r, const char *name);
/** One part of a multipart/form-data body; owned by the parts array. */
typedef struct mock_part {
    char *name;                /**< Content-Disposition name, or NULL */
    char *filename;            /**< Content-Disposition filename, or NULL */
    char *content_type;        /**< the part's Content-Type, or NULL */
    char *data;                /**< the part's bytes, NUL-terminated */
    size_t len;                /**< excludes the NUL */
} mock_part_t;

/** Parses r's multipart/form-data body (boundary from its Content-Type):
 * returns the number of parts, stored in *out (free with mock_parts_free),
 * or -1 when the body is not well-formed multipart. */
int mock_request_parts(const mock_request_t *r, mock_part_t **out);
/** Frees what mock_request_parts returned. NULL-safe. */
void mock_parts_free(mock_part_t *parts, int n);
/** The first part called name, or NULL. */
const mock_part_t *mock_part_find(const mock_part_t *parts, int n, const char *name);

/** Forgets the queue and the log. Call it only while no request is in flight. */
void mock_server_reset(mock_server_t *s);

#ifdef __cplusplus
}
#endif
#endif
