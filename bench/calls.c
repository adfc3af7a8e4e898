/* calls.c - throughput of the call layer against a local server.
 *
 *     calls [--quick] [--seconds S] [--threads N] [--server mock|bench]
 *
 * Calls corehr_patch_probation_assessment (a validated PATCH with a path
 * parameter, a JSON body and a generated idempotency key) over keep-alive
 * HTTP on 127.0.0.1, client-side rate limiting off, with a fixed tenant
 * token (no token fetches):
 *
 *   1. sequentially from one client for S seconds (default 3; --quick 1);
 *   2. from N threads (default 4), one client each, for S seconds.
 *
 * The server runs in a child process, so the parent's peak RSS
 * (getrusage ru_maxrss) and CPU time are the client's alone: `mock` is
 * tests/support/mock_server (one thread per connection, records every
 * request) with a `repeat` response; `bench` is bench_server.c (one epoll
 * thread, records nothing). Both answer {"code":0,"msg":"success","data":{}}.
 *
 * Output: "ROW<TAB>figure<TAB>value<TAB>target<TAB>verdict" lines for
 * bench/run's table, then detail lines.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_server.h"
#include "corehr_api.h"
#include "mock_server.h"

#define TARGET_SEQ 3000.0
static const char reply[] = "{\"code\":0,\"msg\":\"success\",\"data\":{}}";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* ---- the server, in a child process -------------------------------------- */

typedef struct server_proc {
    pid_t pid;
    int stop_fd;            /* closing it stops the child */
    int result_fd;          /* the child writes its request count here */
    char url[64];
} server_proc;

/* Child: start the server, send its URL, serve until the parent closes
 * the pipe, then report how many requests it answered. */
static void serve(const char *kind, int url_fd, int stop_fd)
{
    mock_server_t *m = NULL;
    bench_server_t *b = NULL;
    char url[64] = "";
    if (!strcmp(kind, "mock")) {
        mock_response_t r = {0};
        r.body = reply;
        r.repeat = true;
        if (mock_server_start(&m) == 0 && mock_server_push(m, &r) == 0)
            snprintf(url, sizeof url, "%s", mock_server_url(m));
    } else if (bench_server_start(&b, reply, 0, 0) == 0) {
        snprintf(url, sizeof url, "%s", bench_server_url(b));
    }
    if (write(url_fd, url, sizeof url) != (ssize_t)sizeof url)
        _exit(1);
    char c;
    while (read(stop_fd, &c, 1) > 0)
        ;
    unsigned long n = 0;
    if (m)
        n = (unsigned long)mock_server_request_count(m);
    if (b) {
        bench_server_stats_t st;
        bench_server_get_stats(b, &st);
        n = st.requests;
    }
    mock_server_stop(m);
    bench_server_stop(b);
    if (write(url_fd, &n, sizeof n) != (ssize_t)sizeof n)
        _exit(1);
    _exit(0);
}

static int server_spawn(server_proc *p, const char *kind)
{
    int up[2], down[2];
    if (pipe(up) < 0 || pipe(down) < 0)
        return -1;
    fflush(NULL);
    if ((p->pid = fork()) < 0)
        return -1;
    if (p->pid == 0) {
        close(up[0]);
        close(down[1]);
        serve(kind, up[1], down[0]);
    }
    close(up[1]);
    close(down[0]);
    p->stop_fd = down[1];
    p->result_fd = up[0];
    if (read(p->result_fd, p->url, sizeof p->url) != (ssize_t)sizeof p->url ||
        !p->url[0])
        return -1;
    return 0;
}

static unsigned long server_finish(server_proc *p)
{
    unsigned long n = 0;
    close(p->stop_fd);
    if (read(p->result_fd, &n, sizeof n) != (ssize_t)sizeof n)
        n = 0;
    close(p->result_fd);
    waitpid(p->pid, NULL, 0);
    return n;
}

/* ---- one client calling in a loop ---------------------------------------- */

typedef struct worker {
    const char *url;
    double seconds;
    bool fixed_token;       /* pass client_token: no UUID from /dev/urandom */
    unsigned long calls, errors;
    double elapsed;
    char first_error[600];
} worker;

static corehr_client_t *new_client(const char *url)
{
    corehr_client_options_t opts;
    corehr_client_options_init(&opts);
    opts.base_url = url;
    opts.rate_limit = false;
    corehr_client_t *c = NULL;
    corehr_error_t err;
    if (corehr_client_new(&c, &opts, &err) < 0 ||
        corehr_client_set_tenant_token(c, "t-bench-token", &err) < 0) {
        fprintf(stderr, "calls: client: %s\n", err.message);
        exit(1);
    }
    return c;
}

static int call_once(corehr_client_t *c, bool fixed_token, corehr_error_t *err)
{
    corehr_patch_probation_assessment_request_t req;
    memset(&req, 0, sizeof req);
    req.path.assessment_id = "7140964208476371331";
    req.query.client_token = fixed_token ? "6822122262122064111" : NULL;
    req.body.assessment_status = "completed";
    req.body.assessment_result = "approved";
    req.body.has_assessment_score = true;
    req.body.assessment_score = 99.9;
    req.body.has_is_final_asssessment = true;
    req.body.is_final_asssessment = false;
    corehr_patch_probation_assessment_data_t *data = NULL;
    int rc = corehr_patch_probation_assessment(c, &req, &data, err);
    corehr_patch_probation_assessment_data_free(data);
    return rc;
}

static void *work(void *arg)
{
    worker *w = arg;
    corehr_client_t *c = new_client(w->url);
    corehr_error_t err;
    for (int i = 0; i < 20; i++)       /* warm-up: connect, first allocations */
        call_once(c, w->fixed_token, &err);
    double start = now_s(), end = start + w->seconds, t;
    do {
        for (int i = 0; i < 16; i++) {
            if (call_once(c, w->fixed_token, &err) < 0 && !w->errors++)
                snprintf(w->first_error, sizeof w->first_error, "%s", err.message);
            w->calls++;
        }
    } while ((t = now_s()) < end);
    w->elapsed = t - start;
    corehr_client_free(c);
    return NULL;
}

typedef struct phase {
    double rate, cpu_us_per_call;
    unsigned long calls, errors;
} phase;

static phase run_phase(const char *url, int threads, double seconds, bool fixed_token)
{
    worker *w = calloc((size_t)threads, sizeof *w);
    pthread_t *tid = calloc((size_t)threads, sizeof *tid);
    phase p = {0};
    if (!w || !tid)
        exit(1);
    double cpu = cpu_s();
    for (int i = 0; i < threads; i++) {
        w[i].url = url;
        w[i].seconds = seconds;
        w[i].fixed_token = fixed_token;
        pthread_create(&tid[i], NULL, work, &w[i]);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(tid[i], NULL);
        p.calls += w[i].calls;
        p.errors += w[i].errors;
        p.rate += (double)w[i].calls / w[i].elapsed;
        if (w[i].errors)
            fprintf(stderr, "calls: thread %d: %lu error(s), first: %s\n", i,
                    w[i].errors, w[i].first_error);
    }
    p.cpu_us_per_call = (cpu_s() - cpu) * 1e6 / (double)p.calls;
    free(w);
    free(tid);
    return p;
}

int main(int argc, char **argv)
{
    double seconds = 3;
    int threads = 4;
    const char *kind = "mock";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            seconds = 1;
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--server") && i + 1 < argc)
            kind = argv[++i];
        else {
            fputs("usage: calls [--quick] [--seconds S] [--threads N] "
                  "[--server mock|bench]\n", stderr);
            return 2;
        }
    }
    server_proc srv;
    if (server_spawn(&srv, kind) < 0) {
        fprintf(stderr, "calls: cannot start the %s server\n", kind);
        return 1;
    }
    corehr_global_init();
    phase seq = run_phase(srv.url, 1, seconds, false);
    phase seq_token = run_phase(srv.url, 1, seconds / 3, true);
    phase par = run_phase(srv.url, threads, seconds, false);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    corehr_global_cleanup();
    unsigned long served = server_finish(&srv);

    printf("ROW\tcalls (%s server): sequential keep-alive, 1 client\t"
           "%.0f req/s (%.1f us/call, client CPU %.1f us/call), %lu errors\t"
           ">= %.0f req/s\t%s\n", kind, seq.rate, 1e6 / seq.rate,
           seq.cpu_us_per_call, seq.errors, TARGET_SEQ,
           seq.rate >= TARGET_SEQ && !seq.errors ? "met" : "MISSED");
    printf("ROW\tcalls (%s server): %d threads, 1 client each\t"
           "%.0f req/s total, %lu errors\t-\t-\n", kind, threads, par.rate, par.errors);
    printf("ROW\tcalls (%s server): peak RSS of the client process\t"
           "%ld KiB (%d threads + 1)\t-\t-\n", kind, ru.ru_maxrss, threads);
    printf("detail: %s server: sequential %lu calls; with client_token given "
           "(no UUID generated) %.0f req/s; %d threads %lu calls; the server "
           "answered %lu requests\n", kind, seq.calls, seq_token.rate, threads,
           par.calls, served);
    return 0;     /* failed calls are in the figures (and on stderr) */
}
