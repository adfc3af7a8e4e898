/* client_fixture.h - what the client tests share: a mock server, a client,
 * a fake clock that records every sleep, and captured log lines. */
#ifndef CLIENT_FIXTURE_H
#define CLIENT_FIXTURE_H

#include <stdint.h>
#include <stdio.h>

#include "corehr_http.h"
#include "mock_server.h"

typedef struct fixture {
    mock_server_t *srv;
    corehr_client_t *c;
    int64_t now;              /* fake monotonic clock, ms */
    long sleeps[64];          /* every injected sleep, in order */
    size_t sleep_count;
    char logs[65536];         /* every log line, '\n'-separated */
    size_t logs_len;
} fixture;

/* Sleeping only moves the fake clock, so retries and rate limits cost no
 * real time. */
static inline void fake_sleep(void *user, long ms)
{
    fixture *f = user;

    if (f->sleep_count < sizeof f->sleeps / sizeof f->sleeps[0])
        f->sleeps[f->sleep_count++] = ms;
    f->now += ms;
}

static inline int64_t fake_now(void *user)
{
    return ((fixture *)user)->now;
}

static inline void capture_log(void *user, int level, const char *msg)
{
    fixture *f = user;
    int n = snprintf(f->logs + f->logs_len, sizeof f->logs - f->logs_len, "%d %s\n",
                     level, msg);

    if (n > 0 && (size_t)n < sizeof f->logs - f->logs_len)
        f->logs_len += (size_t)n;
}

/* Defaults pointing at the mock server, with the fake clock and logging. */
static inline corehr_client_options_t fixture_options(fixture *f, long timeout_ms,
                                                      long connect_timeout_ms)
{
    corehr_client_options_t o;

    corehr_client_options_init(&o);
    o.base_url = mock_server_url(f->srv);
    o.timeout_ms = timeout_ms;
    o.connect_timeout_ms = connect_timeout_ms;
    o.sleep = fake_sleep;
    o.now = fake_now;
    o.clock_user = f;
    o.log = capture_log;
    o.log_user = f;
    o.log_level = COREHR_LOG_DEBUG;
    return o;
}

#endif
