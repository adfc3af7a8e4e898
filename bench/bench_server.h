/* bench_server.h - a minimal HTTP server on 127.0.0.1 for the benchmarks.
 *
 * Unlike tests/support/mock_server it records nothing per request, so it
 * costs the machine as little as possible, and it can play the Feishu
 * gateway's rate limiter: with a limit of N per W ms, a request that would
 * make more than N arrivals in any window of W ms (measured with
 * CLOCK_MONOTONIC in nanoseconds, refused arrivals included) is answered
 * 429 with {"code":99991400,...}, as open.feishu.cn does.
 */
#ifndef BENCH_SERVER_H
#define BENCH_SERVER_H

#include <stddef.h>

typedef struct bench_server bench_server_t;

/** Counters of a running or stopped server. */
typedef struct bench_server_stats {
    unsigned long requests;     /**< every request answered */
    unsigned long limited;      /**< of which refused with 429 */
    unsigned long connections;  /**< TCP connections accepted */
    /** With a limit: the shortest time spanned by limit_count + 1
     * consecutive arrivals, in ms (below window_ms means a 429); -1 until
     * that many arrived. */
    double min_span_ms;
} bench_server_stats_t;

/** Starts a server on 127.0.0.1 with a free port that answers every request
 * 200 with `body` (copied). limit_count > 0 turns the rate limiter on:
 * at most limit_count arrivals per window_ms. Returns 0 or -1. */
int bench_server_start(bench_server_t **out, const char *body, int limit_count,
                       long window_ms);
/** "http://127.0.0.1:<port>" */
const char *bench_server_url(const bench_server_t *s);
void bench_server_get_stats(bench_server_t *s, bench_server_stats_t *out);
/** Stops and frees; NULL-safe. */
void bench_server_stop(bench_server_t *s);

#endif
