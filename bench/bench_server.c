/* bench_server.c - see bench_server.h.
 *
 * One libmicrohttpd polling thread (epoll) answers everything with two
 * responses made once and reused, so the server's share of the two cores
 * stays small. The rate limiter keeps the arrival times of the last
 * limit_count requests in a ring: a new arrival less than window_ms after the
 * oldest of them would be arrival limit_count + 1 inside one window.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "bench_server.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <microhttpd.h>

#if MHD_VERSION < 0x00097002
typedef int MHD_Result_t;
#else
typedef enum MHD_Result MHD_Result_t;
#endif

static const char limited_body[] =
    "{\"code\":99991400,\"msg\":\"request trigger frequency limit\"}";

struct bench_server {
    struct MHD_Daemon *daemon;
    struct MHD_Response *ok, *limited;
    char *body;
    char url[64];
    pthread_mutex_t lock;
    int limit_count;
    int64_t window_ns;
    int64_t *ring;              /* last limit_count arrivals, oldest at head */
    int ring_used, ring_head;
    bench_server_stats_t stats;
};

/* Two markers for the per-request state: decided on arrival. */
static int arrived_ok, arrived_limited;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Records one arrival; true when it exceeds the limit. */
static int arrival_is_limited(bench_server_t *s)
{
    int64_t t = now_ns();
    int limited = 0;

    pthread_mutex_lock(&s->lock);
    if (s->limit_count > 0) {
        if (s->ring_used == s->limit_count) {
            double span = (double)(t - s->ring[s->ring_head]) / 1e6;
            if (s->stats.min_span_ms < 0 || span < s->stats.min_span_ms)
                s->stats.min_span_ms = span;
            limited = t - s->ring[s->ring_head] < s->window_ns;
            s->ring[s->ring_head] = t;
            s->ring_head = (s->ring_head + 1) % s->limit_count;
        } else {
            s->ring[s->ring_used++] = t;
        }
    }
    s->stats.requests++;
    s->stats.limited += (unsigned long)limited;
    pthread_mutex_unlock(&s->lock);
    return limited;
}

static MHD_Result_t on_request(void *cls, struct MHD_Connection *conn,
                               const char *url, const char *method,
                               const char *version, const char *upload_data,
                               size_t *upload_data_size, void **con_cls)
{
    bench_server_t *s = cls;

    (void)url, (void)method, (void)version, (void)upload_data;
    if (*con_cls == NULL) {
        *con_cls = arrival_is_limited(s) ? &arrived_limited : &arrived_ok;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {      /* the body: read and dropped */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*con_cls == &arrived_limited)
        return MHD_queue_response(conn, 429, s->limited);
    return MHD_queue_response(conn, MHD_HTTP_OK, s->ok);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
    bench_server_t *s = cls;

    (void)conn, (void)socket_ctx;
    if (code != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    pthread_mutex_lock(&s->lock);
    s->stats.connections++;
    pthread_mutex_unlock(&s->lock);
}

static struct MHD_Response *json_response(const char *body)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
    if (r)
        MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    return r;
}

int bench_server_start(bench_server_t **out, const char *body, int limit_count,
                       long window_ms)
{
    bench_server_t *s = calloc(1, sizeof *s);
    struct sockaddr_in addr;
    const union MHD_DaemonInfo *info;

    *out = NULL;
    if (!s)
        return -1;
    pthread_mutex_init(&s->lock, NULL);
    s->stats.min_span_ms = -1;
    s->limit_count = limit_count;
    s->window_ns = (int64_t)window_ms * 1000000;
    s->body = strdup(body);
    s->ring = limit_count > 0 ? calloc((size_t)limit_count, sizeof *s->ring) : NULL;
    s->ok = s->body ? json_response(s->body) : NULL;
    s->limited = json_response(limited_body);
    if (!s->body || !s->ok || !s->limited || (limit_count > 0 && !s->ring)) {
        bench_server_stop(s);
        return -1;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
        0, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30, MHD_OPTION_END);
    if (!s->daemon ||
        !(info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT)) ||
        info->port == 0) {
        bench_server_stop(s);
        return -1;
    }
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u", (unsigned)info->port);
    *out = s;
    return 0;
}

const char *bench_server_url(const bench_server_t *s)
{
    return s->url;
}

void bench_server_get_stats(bench_server_t *s, bench_server_stats_t *out)
{
    pthread_mutex_lock(&s->lock);
    *out = s->stats;
    pthread_mutex_unlock(&s->lock);
}

void bench_server_stop(bench_server_t *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    if (s->ok)
        MHD_destroy_response(s->ok);
    if (s->limited)
        MHD_destroy_response(s->limited);
    pthread_mutex_destroy(&s->lock);
    free(s->ring);
    free(s->body);
    free(s);
}
