/* ratelimit.c - the client's rate limiter against a server that enforces it.
 *
 *     ratelimit [--quick] [--calls N] [--guard-ms G]   (N: 200; --quick: 50)
 *
 * Makes N sequential calls of corehr_patch_international_assignment, whose
 * spec allows 10 per second, with client-side rate limiting on (the default
 * options, but max_retries = 0 so that a refusal is an error, not hidden by
 * a retry) against bench_server.c in its gateway mode: a request that would
 * be the 11th arrival within any 1000 ms (CLOCK_MONOTONIC, ns resolution) is
 * answered HTTP 429 with code 99991400.
 *
 * Achieved rate: with at most 10 per second, call i + 10 cannot start
 * earlier than 1 s after call i, so N calls span at least (N - 10) / 10 s
 * from the first start to the last; the rate reported is
 * (N - 10) / (last start - first start), which is 10/s for a limiter that
 * loses no time. Plain N / total time is reported too, and the shortest
 * span of 11 consecutive arrivals the server saw.
 *
 * --guard-ms G is a diagnostic: it injects a sleep function (the client's
 * documented `sleep` option) that sleeps G ms longer than asked, which is
 * what a safety margin in the limiter itself would do.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_server.h"
#include "corehr_api.h"

#define LIMIT 10
#define WINDOW_MS 1000
static const char reply[] = "{\"code\":0,\"msg\":\"success\",\"data\":{}}";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --guard-ms: the default sleep, G ms longer. */
static void guarded_sleep(void *user, long ms)
{
    long total = ms + *(const long *)user;
    struct timespec ts = {total / 1000, (total % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static int call_once(corehr_client_t *c, corehr_error_t *err)
{
    corehr_patch_international_assignment_request_t req;
    memset(&req, 0, sizeof req);
    req.path.international_assignment_id = "7127921432117937708";
    req.body.work_shift = "work_shift";
    req.body.has_weekly_working_hours_v2 = true;
    req.body.weekly_working_hours_v2 = 40;
    corehr_patch_international_assignment_data_t *data = NULL;
    int rc = corehr_patch_international_assignment(c, &req, &data, err);
    corehr_patch_international_assignment_data_free(data);
    return rc;
}

int main(int argc, char **argv)
{
    int calls = 200;
    long guard_ms = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            calls = 50;
        else if (!strcmp(argv[i], "--calls") && i + 1 < argc)
            calls = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--guard-ms") && i + 1 < argc)
            guard_ms = atol(argv[++i]);
        else {
            fputs("usage: ratelimit [--quick] [--calls N] [--guard-ms G]\n", stderr);
            return 2;
        }
    }
    if (calls <= LIMIT) {
        fprintf(stderr, "ratelimit: need more than %d calls\n", LIMIT);
        return 2;
    }
    bench_server_t *srv;
    if (bench_server_start(&srv, reply, LIMIT, WINDOW_MS) < 0) {
        fputs("ratelimit: cannot start the server\n", stderr);
        return 1;
    }
    corehr_global_init();
    corehr_client_options_t opts;
    corehr_client_options_init(&opts);
    opts.base_url = bench_server_url(srv);
    opts.max_retries = 0;
    if (guard_ms > 0) {
        opts.sleep = guarded_sleep;
        opts.clock_user = &guard_ms;
    }
    corehr_client_t *c = NULL;
    corehr_error_t err;
    if (corehr_client_new(&c, &opts, &err) < 0 ||
        corehr_client_set_tenant_token(c, "t-bench-token", &err) < 0) {
        fprintf(stderr, "ratelimit: client: %s\n", err.message);
        return 1;
    }
    int limited = 0, other = 0;
    double first = 0, last = 0, start = now_s();
    for (int i = 0; i < calls; i++) {
        double t = now_s();
        if (i == 0)
            first = t;
        last = t;
        if (call_once(c, &err) < 0) {
            if (err.code == COREHR_E_RATE_LIMITED)
                limited++;
            else if (!other++)
                fprintf(stderr, "ratelimit: call %d: %s\n", i, err.message);
        }
    }
    double total = now_s() - start;
    bench_server_stats_t st;
    bench_server_get_stats(srv, &st);
    corehr_client_free(c);
    corehr_global_cleanup();
    bench_server_stop(srv);

    double rate = (double)(calls - LIMIT) / (last - first);
    double share = rate / LIMIT * 100;
    char guard[64] = "";
    if (guard_ms > 0)
        snprintf(guard, sizeof guard, ", limiter waits +%ld ms (--guard-ms)", guard_ms);
    printf("ROW\trate limit: %d calls at 10/s%s (server enforces 10 per 1 s window)\t"
           "%.2f calls/s = %.1f%% of allowed; %d rate-limit errors (server sent "
           "%lu x 429); %d other errors\t>= 95%%, 0 errors\t%s\n",
           calls, guard, rate, share, limited, st.limited, other,
           share >= 95 && !limited && !st.limited && !other ? "met" : "MISSED");
    printf("detail: rate limit: %d calls in %.2f s (%.2f calls/s overall, first "
           "%d without waiting); server answered %lu requests on %lu connection(s); "
           "shortest span of %d consecutive arrivals %.3f ms\n",
           calls, total, calls / total, LIMIT, st.requests, st.connections,
           LIMIT + 1, st.min_span_ms);
    return 0;
}
