/*
 * og_http.c - transport of the generated og client.
 *
 * One call runs: check the call -> make sure a token is cached -> exchange
 * (per attempt: wait for the rate limiter, send, classify the outcome; back
 * off and repeat while the outcome is retryable) -> unwrap the envelope.
 * Classification is kept apart from the transfer so that every failure kind
 * is decided in one place (classify_transport / classify_response).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L   /* clock_gettime, nanosleep, open, mkstemp */
#endif

#include "og_http.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__) && defined(__GLIBC__)
#include <sys/random.h>
#endif

#define RT_TOKEN_PATH "/open-apis/auth/v3/tenant_access_token/internal"
/* Store apps (商店应用): app_ticket -> app_access_token -> per-tenant token. */
#define RT_APP_TOKEN_PATH "/open-apis/auth/v3/app_access_token"
#define RT_STORE_TOKEN_PATH "/open-apis/auth/v3/tenant_access_token"
#define RT_TICKET_RESEND_PATH "/open-apis/auth/v3/app_ticket/resend"
/* Feishu's "app_ticket is invalid" answer to an app_access_token request. */
#define RT_CODE_BAD_TICKET 10012L
#define RT_TOKEN_MAX 4096          /* longer "tokens" are refused, not sent */
#define RT_LIMIT_MAX_SLOTS 1024    /* send times remembered per endpoint */
#define RT_RETRY_HINT_MAX_S 86400  /* a longer Retry-After always ends the call */
#define RT_HINT_TOO_LONG LONG_MAX  /* hint_ms of a wait beyond RT_RETRY_HINT_MAX_S */

/* Feishu codes saying the access token is invalid or expired: a fresh token
 * may succeed where this one failed. */
static const long rt_token_codes[] = { 99991663, 99991661, 99991664, 99991671 };
/* Feishu's "request too frequent" code (the gateway refused the request). */
#define RT_CODE_RATE_LIMITED 99991400L

/* ---- small helpers -------------------------------------------------------- */

/* Growable byte buffer, always NUL-terminated once anything was added. */
typedef struct rt_buf {
    char *data;
    size_t len, cap;
} rt_buf;

static int buf_reserve(rt_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX - b->len - 1)
        return OG_E_NOMEM;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if ((p = realloc(b->data, cap)) == NULL)
        return OG_E_NOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

static int buf_append(rt_buf *b, const char *s, size_t n)
{
    int rc;

    if ((rc = buf_reserve(b, n)) < 0)
        return rc;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static int buf_puts(rt_buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

static void buf_free(rt_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* RFC 3986 unreserved: the only bytes that never need encoding. */
static bool is_unreserved(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
           ch == '~';
}

/* Writes ch as itself or as "%XX" into out; returns the length (1 or 3). */
static size_t encode_byte(char out[3], unsigned char ch)
{
    static const char hex[] = "0123456789ABCDEF";

    if (is_unreserved(ch)) {
        out[0] = (char)ch;
        return 1;
    }
    out[0] = '%';
    out[1] = hex[ch >> 4];
    out[2] = hex[ch & 15];
    return 3;
}

static int buf_put_encoded(rt_buf *b, const char *s)
{
    char enc[3];
    int rc = 0;

    for (; *s && rc == 0; s++)
        rc = buf_append(b, enc, encode_byte(enc, (unsigned char)*s));
    return rc;
}

/* Control characters (CR and LF above all) would let a value end a header
 * line and inject another one. */
static bool has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    if (d)
        memcpy(d, s, n);
    return d;
}

/* Frees a secret after overwriting it, so it does not linger in freed heap. */
static void wipe_free(char *s)
{
    volatile char *v = s;

    if (!s)
        return;
    while (*v)
        *v++ = '\0';
    free(s);
}

/* Overwrites every occurrence of secret in s with '*'. Messages are built
 * without secrets; this is the second line of defence against a server that
 * echoes one back. Very short "secrets" are skipped (they would match
 * ordinary text). */
static void scrub(char *s, const char *secret)
{
    size_t n;
    char *hit;

    if (!secret || (n = strlen(secret)) < 4)
        return;
    while ((hit = strstr(s, secret)) != NULL)
        memset(hit, '*', n);
}

/* Up to 80 bytes of a body for an error message: control characters become
 * spaces and a UTF-8 sequence is never cut. */
static void snippet(char *out, size_t outsz, const char *s, size_t n)
{
    size_t max = outsz - 1 < 80 ? outsz - 1 : 80, i;

    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    for (i = 0; i < n; i++)
        out[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? ' ' : s[i];
    out[n] = '\0';
}

static int nomem(og_error_t *err)
{
    return og_error_set(err, OG_E_NOMEM, NULL, "out of memory");
}

/* Fills buf from the kernel's random pool: getrandom(2) where the C library
 * has it (no file descriptor per UUID), else /dev/urandom. */
static int read_random(void *buf, size_t n)
{
    unsigned char *p = buf;
#if defined(__linux__) && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 25))
    while (n > 0) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
#else
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            close(fd);
            return -1;
        }
        p += r;
        n -= (size_t)r;
    }
    close(fd);
    return 0;
#endif
}

/* ---- process setup -------------------------------------------------------- */

int og_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK
               ? 0 : OG_E_TRANSPORT;
}

void og_global_cleanup(void)
{
    curl_global_cleanup();
}

/* ---- the client ----------------------------------------------------------- */

/* Sliding-window log of one endpoint's recent send times: at most `count`
 * sends in any `period_ms`. A window (rather than a token bucket, which
 * allows bursts of twice the limit across a window boundary) can never
 * exceed what the server counts. */
typedef struct rt_limit {
    char *endpoint;
    size_t part;           /* 0: rate_count per rate_period_ms, k: rate_more[k - 1] */
    long count, period_ms;
    int64_t *sent;         /* ring; sent[head] is the oldest once full */
    long head, used;
} rt_limit;

/* A store app's tenant_access_token for one tenant. */
typedef struct rt_tenant {
    char *tenant_key;
    char *token;                   /* NULL until fetched, or after a rejection */
    int64_t refresh_at;            /* now_fn time to fetch a new one */
} rt_tenant;

struct og_client {
    CURL *curl;                    /* reused: keeps connections alive */
    char errbuf[CURL_ERROR_SIZE];
    og_client_options_t opts;   /* strings point at the copies below */
    char *base_url, *user_agent, *ca_file;
    char *token;                   /* tenant_access_token, or NULL */
    bool token_static;             /* set by the caller: cannot be refreshed */
    int64_t token_refresh_at;      /* now_fn time to fetch a new one */
    char *app_id, *app_secret;
    const char *call_secret;       /* the running call's user token, or NULL */
    bool store_app;                /* app_id/app_secret are a store app's */
    char *app_ticket;              /* pushed by Feishu, set by the caller */
    char *app_token;               /* store app: app_access_token, or NULL */
    int64_t app_token_refresh_at;
    rt_tenant *tenants;            /* store app: one token per tenant_key */
    size_t tenant_count;
    rt_limit *limits;
    size_t limit_count;
    uint64_t rng;                  /* xorshift state for backoff jitter */
};

static int64_t default_now(void *user)
{
    struct timespec ts;

    (void)user;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void default_sleep(void *user, long ms)
{
    struct timespec ts;

    (void)user;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int64_t now_ms(const og_client_t *c)
{
    return c->opts.now(c->opts.clock_user);
}

static void sleep_ms(og_client_t *c, long ms)
{
    if (ms > 0)
        c->opts.sleep(c->opts.clock_user, ms);
}

static void rt_log(const og_client_t *c, int level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Overwrites every secret the client holds or the running call carries. */
static void scrub_secrets(const og_client_t *c, char *s)
{
    size_t i;

    scrub(s, c->token);
    scrub(s, c->app_secret);
    scrub(s, c->call_secret);
    scrub(s, c->app_ticket);
    scrub(s, c->app_token);
    for (i = 0; i < c->tenant_count; i++)
        scrub(s, c->tenants[i].token);
}

static void rt_log(const og_client_t *c, int level, const char *fmt, ...)
{
    char msg[640];
    va_list ap;

    if (!c->opts.log || level < c->opts.log_level)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    scrub_secrets(c, msg);
    c->opts.log(c->opts.log_user, level, msg);
}

static uint64_t next_random(og_client_t *c)
{
    c->rng ^= c->rng << 13;
    c->rng ^= c->rng >> 7;
    c->rng ^= c->rng << 17;
    return c->rng;
}

void og_call_options_init(og_call_options_t *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = OG_CALL_OPTIONS_VERSION;
}

void og_raw_response_free(og_raw_response_t *raw)
{
    if (!raw)
        return;
    free(raw->body);
    memset(raw, 0, sizeof *raw);
}

void og_client_options_init(og_client_options_t *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = OG_CLIENT_OPTIONS_VERSION;
    opts->base_url = OG_BASE_URL_FEISHU;
    opts->connect_timeout_ms = 10000;
    opts->timeout_ms = 30000;
    opts->max_retries = 3;
    opts->retry_base_delay_ms = 500;
    opts->retry_max_delay_ms = 30000;
    opts->rate_limit = true;
    opts->max_response_bytes = (size_t)16 << 20;
    opts->log_level = OG_LOG_INFO;
}

static int check_base_url(const char *url, og_error_t *err)
{
    if (!url || (strncmp(url, "https://", 8) != 0 &&
                 strncmp(url, "http://", 7) != 0))
        return og_error_set(err, OG_E_ARG, NULL,
                                    "base_url must start with https:// or http://");
    if (has_ctl(url) || strpbrk(url, " ?#") != NULL)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "base_url must not contain spaces, control "
                                    "characters, '?' or '#'");
    return 0;
}

static int check_options(const og_client_options_t *o,
                         og_error_t *err)
{
    int rc;

    if (o->version != OG_CLIENT_OPTIONS_VERSION)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "options were not set up with "
                                    "og_client_options_init()");
    if ((rc = check_base_url(o->base_url, err)) < 0)
        return rc;
    if (o->connect_timeout_ms < 0 || o->timeout_ms < 0 ||
        o->retry_base_delay_ms < 0 || o->retry_max_delay_ms < 0)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "timeouts and delays must not be negative");
    if (o->max_retries < 0 || o->max_retries > 100)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "max_retries must be 0..100");
    if (o->max_response_bytes == 0)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "max_response_bytes must be positive");
    if (o->user_agent && has_ctl(o->user_agent))
        return og_error_set(err, OG_E_ARG, NULL,
                                    "user_agent must not contain control characters");
    return 0;
}

static void strip_slashes(char *url)
{
    size_t n = strlen(url);

    while (n > 0 && url[n - 1] == '/')
        url[--n] = '\0';
}

/* Endpoint paths start with "/open-apis/", so a base URL copied from the
 * docs with that prefix ("https://open.feishu.cn/open-apis/") would double
 * it, as would a trailing '/'. The prefix is only stripped from the path,
 * never from the host ("http://open-apis" stays). */
static void normalise_base_url(char *url)
{
    static const char suffix[] = "/open-apis";
    const char *host = strstr(url, "://");
    char *path;
    size_t n;

    strip_slashes(url);
    n = strlen(url);
    if (!host || !(path = strchr(host + 3, '/')) || n < sizeof suffix - 1)
        return;
    if (url + n - (sizeof suffix - 1) >= path &&
        strcmp(url + n - (sizeof suffix - 1), suffix) == 0) {
        url[n - (sizeof suffix - 1)] = '\0';
        strip_slashes(url);
    }
}

/* Copies the option strings into the client (the caller's may not outlive
 * the call) and fills in the default hooks. */
static int copy_options(og_client_t *c, const og_client_options_t *o)
{
    c->opts = *o;
    c->base_url = dup_str(o->base_url);
    c->user_agent = dup_str(o->user_agent ? o->user_agent
                                          : "oapigen-og/" OG_RUNTIME_VERSION_TEXT);
    c->ca_file = o->ca_file ? dup_str(o->ca_file) : NULL;
    if (!c->base_url || !c->user_agent || (o->ca_file && !c->ca_file))
        return OG_E_NOMEM;
    normalise_base_url(c->base_url);
    c->opts.base_url = c->base_url;
    c->opts.user_agent = c->user_agent;
    c->opts.ca_file = c->ca_file;
    if (!c->opts.now)
        c->opts.now = default_now;
    if (!c->opts.sleep)
        c->opts.sleep = default_sleep;
    return 0;
}

static void seed_random(og_client_t *c)
{
    if (read_random(&c->rng, sizeof c->rng) < 0 || c->rng == 0)
        c->rng = (uint64_t)default_now(NULL) * 2654435761u + 1;
}

/* Says so in the log when the configuration weakens security. */
static void warn_insecure(const og_client_t *c)
{
    if (c->opts.insecure_skip_tls_verify)
        rt_log(c, OG_LOG_WARN,
               "TLS certificate verification is OFF (insecure_skip_tls_verify)");
    if (strncmp(c->base_url, "http://", 7) == 0)
        rt_log(c, OG_LOG_WARN,
               "base_url %s is not https: tokens travel in clear text",
               c->base_url);
}

int og_client_new(og_client_t **out,
                          const og_client_options_t *opts,
                          og_error_t *err)
{
    og_client_options_t defaults;
    og_client_t *c = NULL;
    int rc;

    og_error_clear(err);
    if (!out)
        return og_error_set(err, OG_E_ARG, NULL, "out is NULL");
    *out = NULL;
    if (!opts) {
        og_client_options_init(&defaults);
        opts = &defaults;
    }
    if ((rc = check_options(opts, err)) < 0)
        return rc;
    if ((c = calloc(1, sizeof *c)) == NULL)
        return nomem(err);
    if ((rc = copy_options(c, opts)) < 0) {
        nomem(err);
        goto done;
    }
    if ((c->curl = curl_easy_init()) == NULL) {
        rc = og_error_set(err, OG_E_TRANSPORT, NULL,
                                  "curl_easy_init failed");
        goto done;
    }
    seed_random(c);
    warn_insecure(c);
    *out = c;
    c = NULL;
done:
    og_client_free(c);
    return rc;
}

static void forget_credentials(og_client_t *c)
{
    size_t i;

    wipe_free(c->token);
    wipe_free(c->app_id);
    wipe_free(c->app_secret);
    wipe_free(c->app_ticket);
    wipe_free(c->app_token);
    c->token = c->app_id = c->app_secret = c->app_ticket = c->app_token = NULL;
    for (i = 0; i < c->tenant_count; i++) {
        free(c->tenants[i].tenant_key);
        wipe_free(c->tenants[i].token);
    }
    free(c->tenants);
    c->tenants = NULL;
    c->tenant_count = 0;
    c->store_app = false;
    c->token_static = false;
    c->token_refresh_at = c->app_token_refresh_at = 0;
}

void og_client_free(og_client_t *c)
{
    size_t i;

    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    forget_credentials(c);
    for (i = 0; i < c->limit_count; i++) {
        free(c->limits[i].endpoint);
        free(c->limits[i].sent);
    }
    free(c->limits);
    free(c->base_url);
    free(c->user_agent);
    free(c->ca_file);
    free(c);
}

/* ---- credentials ---------------------------------------------------------- */

/* A token goes into a header line, so it must be one line of sane length. */
static int check_token(const char *token, const char *what, og_error_t *err)
{
    if (!token || !*token)
        return og_error_set(err, OG_E_ARG, NULL, "%s is empty", what);
    if (strlen(token) > RT_TOKEN_MAX)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s is longer than %d bytes", what, RT_TOKEN_MAX);
    if (has_ctl(token) || strchr(token, ' '))
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s contains spaces or control characters", what);
    return 0;
}

int og_client_set_tenant_token(og_client_t *c,
                                       const char *token,
                                       og_error_t *err)
{
    char *copy;
    int rc;

    og_error_clear(err);
    if (!c)
        return og_error_set(err, OG_E_ARG, NULL, "client is NULL");
    if ((rc = check_token(token, "token", err)) < 0)
        return rc;
    if ((copy = dup_str(token)) == NULL)
        return nomem(err);
    forget_credentials(c);
    c->token = copy;
    c->token_static = true;
    return 0;
}

int og_client_set_app_credentials(og_client_t *c,
                                          const char *app_id,
                                          const char *app_secret,
                                          og_error_t *err)
{
    char *id, *secret;
    int rc;

    og_error_clear(err);
    if (!c)
        return og_error_set(err, OG_E_ARG, NULL, "client is NULL");
    if ((rc = check_token(app_id, "app_id", err)) < 0 ||
        (rc = check_token(app_secret, "app_secret", err)) < 0)
        return rc;
    id = dup_str(app_id);
    secret = dup_str(app_secret);
    if (!id || !secret) {
        free(id);
        wipe_free(secret);
        return nomem(err);
    }
    forget_credentials(c);
    c->app_id = id;
    c->app_secret = secret;
    return 0;
}

/* ---- client-side rate limiting ------------------------------------------- */

/* Part k of the call's rate limit: 0 is rate_count per rate_period_ms,
 * k > 0 is rate_more[k - 1]. */
static og_rt_rate_t limit_part(const og_rt_call_t *call, size_t k)
{
    og_rt_rate_t r;

    if (k == 0) {
        r.count = call->rate_count;
        r.period_ms = call->rate_period_ms;
    } else {
        r = call->rate_more[k - 1];
    }
    return r;
}

/* Finds or adds the window of part k of call->endpoint's limit. Limits above
 * RT_LIMIT_MAX_SLOTS calls are scaled down (count / k per period / k, both
 * rounded towards fewer calls) so memory stays bounded; the average rate is
 * kept. */
static rt_limit *limit_find(og_client_t *c, const og_rt_call_t *call,
                            size_t part)
{
    og_rt_rate_t r = limit_part(call, part);
    rt_limit *l, *grown;
    long k;
    size_t i;

    for (i = 0; i < c->limit_count; i++)
        if (c->limits[i].part == part && strcmp(c->limits[i].endpoint, call->endpoint) == 0)
            return &c->limits[i];
    grown = realloc(c->limits, (c->limit_count + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    c->limits = grown;
    l = &c->limits[c->limit_count];
    memset(l, 0, sizeof *l);
    k = r.count / RT_LIMIT_MAX_SLOTS + (r.count % RT_LIMIT_MAX_SLOTS != 0);
    l->part = part;
    l->count = r.count / k;
    l->period_ms = r.period_ms / k + (r.period_ms % k != 0);
    l->endpoint = dup_str(call->endpoint);
    l->sent = calloc((size_t)l->count, sizeof *l->sent);
    if (!l->endpoint || !l->sent) {
        free(l->endpoint);
        free(l->sent);
        return NULL;
    }
    c->limit_count++;
    return l;
}

/* 1% of the window, at least 5 ms: what a send may gain on the server's
 * clock; it costs at most 1% of the allowed rate. */
static int64_t limit_guard_ms(const rt_limit *l)
{
    int64_t guard = l->period_ms / 100;
    return guard < 5 ? 5 : guard;
}

/* When one more send fits the window: a slot frees a little after the
 * window, since the clock is read in whole milliseconds and requests do
 * not arrive exactly when they leave, and the server counts arrivals. */
static int64_t limit_free_at(const rt_limit *l)
{
    return l->used < l->count ? INT64_MIN : l->sent[l->head] + l->period_ms + limit_guard_ms(l);
}

static void limit_record(rt_limit *l, int64_t now)
{
    l->sent[l->head] = now;
    l->head = (l->head + 1) % l->count;
    if (l->used < l->count)
        l->used++;
}

/* Waits until one more send fits every window of the endpoint's limit (a
 * limit such as "1000 per minute and 50 per second" has two), then records
 * it in each. Sleeps at most once, until the latest window frees: an
 * injected sleep need not move the clock, and the send is then recorded at
 * the time it was allowed. */
static int limit_wait(og_client_t *c, const og_rt_call_t *call,
                      og_error_t *err)
{
    og_rt_rate_t binding = {0, 0};
    rt_limit *l;
    int64_t now, free_at = INT64_MIN;
    size_t k;

    if (!c->opts.rate_limit)
        return 0;
    for (k = 0; k <= call->rate_more_count; k++) {
        og_rt_rate_t r = limit_part(call, k);

        if (r.count <= 0 || r.period_ms <= 0)
            continue;
        if ((l = limit_find(c, call, k)) == NULL)
            return nomem(err);
        if (limit_free_at(l) > free_at) {
            free_at = limit_free_at(l);
            binding = r;
        }
    }
    now = now_ms(c);
    if (free_at > now) {
        rt_log(c, OG_LOG_INFO, "%s: waiting %lld ms for the rate limit "
               "(%ld per %ld ms)", call->endpoint, (long long)(free_at - now),
               binding.count, binding.period_ms);
        sleep_ms(c, (long)(free_at - now));
        now = now_ms(c);
        if (now < free_at)
            now = free_at;
    }
    /* Found again: adding a window may have moved the others. */
    for (k = 0; k <= call->rate_more_count; k++) {
        og_rt_rate_t r = limit_part(call, k);

        if (r.count > 0 && r.period_ms > 0 && (l = limit_find(c, call, k)) != NULL)
            limit_record(l, now);
    }
    return 0;
}

/* ---- one HTTP attempt ------------------------------------------------------ */

/* Where a download goes, across all attempts of one call. */
typedef struct rt_sink {
    og_download_t *dl;
    FILE *tmp;                 /* path sink: the temporary file next to dl->path */
    char *tmp_path;
    size_t cap;                /* most bytes accepted */
    size_t written;            /* bytes of the current attempt */
    size_t delivered;          /* bytes the caller's FILE * or callback has seen */
    int write_errno;           /* a write failed: errno, or -1 for the callback */
} rt_sink;

/* How a download attempt treats the body, decided by the response head:
 * bytes of a 2xx non-JSON answer stream to the sink; anything else (an
 * error envelope) is collected like a JSON response. */
enum { RT_BODY_UNDECIDED, RT_BODY_STREAM, RT_BODY_COLLECT };

/* What one attempt brought back. */
typedef struct rt_response {
    CURLcode cc;
    long status;
    bool sent;                 /* request bytes left us: the server may have acted */
    rt_buf body;
    size_t max_bytes;
    bool too_large, oom;
    long hint_ms;              /* Retry-After / x-ogw-ratelimit-reset, -1 if none */
    char log_id[128];
    char content_type[96];
    char location[160];
    rt_sink *sink;             /* a download, or NULL */
    int body_mode;             /* RT_BODY_*, for downloads */
    long head_status;          /* status of the latest response head */
    char disposition[1024];    /* Content-Disposition */
} rt_response;

/* If `line` is the header `name`, points *value at its trimmed value. */
static bool header_span(const char *line, size_t len, const char *name,
                        const char **value, size_t *vlen)
{
    size_t n = strlen(name);

    if (len <= n || line[n] != ':' || strncasecmp(line, name, n) != 0)
        return false;
    line += n + 1;
    len -= n + 1;
    while (len > 0 && (*line == ' ' || *line == '\t'))
        line++, len--;
    while (len > 0 && (unsigned char)line[len - 1] <= ' ')
        len--;
    *value = line;
    *vlen = len;
    return true;
}

/* If `line` is the header `name`, copies its trimmed value into out. */
static bool header_value(const char *line, size_t len, const char *name,
                         char *out, size_t outsz)
{
    const char *v;
    size_t vlen, i;

    if (!header_span(line, len, name, &v, &vlen))
        return false;
    for (i = 0; i < vlen && i + 1 < outsz; i++)
        out[i] = ((unsigned char)v[i] < 0x20) ? ' ' : v[i];
    out[i] = '\0';
    return true;
}

/* Delay-seconds form only, in ms; an HTTP date or garbage is ignored (-1),
 * and so backoff applies. A wait beyond RT_RETRY_HINT_MAX_S, however many
 * digits it has, is RT_HINT_TOO_LONG: the server means "not soon", so the
 * call must end rather than fall back to (shorter) backoff. */
static long parse_seconds(const char *s, size_t n)
{
    long v = 0;
    size_t i;

    if (n == 0)
        return -1;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    for (i = 0; i < n; i++)
        if ((v = v * 10 + (s[i] - '0')) > RT_RETRY_HINT_MAX_S)
            return RT_HINT_TOO_LONG;
    return v * 1000;
}

/* "HTTP/1.1 200 OK" -> 200; 0 when there is no status code. */
static long parse_status_line(const char *s, size_t len)
{
    size_t i = 0;
    long v = 0;

    while (i < len && s[i] != ' ')
        i++;
    while (i < len && s[i] == ' ')
        i++;
    for (; i < len && s[i] >= '0' && s[i] <= '9' && v < 1000; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
    rt_response *r = user;
    size_t len = size * nmemb;
    const char *v;
    size_t vlen;
    long ms;

    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        /* a new response head (after a 1xx): forget the previous one */
        r->log_id[0] = r->content_type[0] = r->location[0] = '\0';
        r->disposition[0] = '\0';
        r->hint_ms = -1;
        r->head_status = parse_status_line(data, len);
        return len;
    }
    header_value(data, len, "Content-Disposition", r->disposition, sizeof r->disposition);
    header_value(data, len, "X-Tt-Logid", r->log_id, sizeof r->log_id);
    header_value(data, len, "Content-Type", r->content_type, sizeof r->content_type);
    header_value(data, len, "Location", r->location, sizeof r->location);
    if (header_span(data, len, "Retry-After", &v, &vlen) ||
        header_span(data, len, "x-ogw-ratelimit-reset", &v, &vlen))
        if ((ms = parse_seconds(v, vlen)) > r->hint_ms)
            r->hint_ms = ms;
    return len;
}

/* Collects the body; returning short aborts the transfer, so an oversized
 * body stops arriving as soon as it crosses the cap. */
static bool is_json_type(const char *content_type)
{
    return strncasecmp(content_type, "application/json", 16) == 0;
}

/* Streams a 2xx answer that is not JSON; everything else is collected. */
static int body_mode(const rt_response *r)
{
    return r->head_status / 100 == 2 && !is_json_type(r->content_type)
               ? RT_BODY_STREAM : RT_BODY_COLLECT;
}

/* Hands len bytes to the download's sink; false when it is full or a
 * write failed (the reason is kept in the sink). */
static bool sink_write(rt_sink *s, const char *data, size_t len, bool *too_large)
{
    og_download_t *dl = s->dl;
    FILE *to = s->tmp ? s->tmp : dl->file;

    if (len > s->cap - s->written) {
        *too_large = true;
        return false;
    }
    errno = 0;
    if (to && fwrite(data, 1, len, to) != len) {
        s->write_errno = errno ? errno : EIO;
        return false;
    }
    if (!to && dl->write(dl->write_user, data, len) != 0) {
        s->write_errno = -1;
        return false;
    }
    s->written += len;
    if (!s->tmp)
        s->delivered += len;
    return true;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    rt_response *r = user;
    size_t len = size * nmemb;

    if (r->sink && r->body_mode == RT_BODY_UNDECIDED)
        r->body_mode = body_mode(r);
    if (r->body_mode == RT_BODY_STREAM)
        return sink_write(r->sink, data, len, &r->too_large) ? len : 0;
    if (len > r->max_bytes - r->body.len) {
        r->too_large = true;
        return 0;
    }
    if (buf_append(&r->body, data, len) < 0) {
        r->oom = true;
        return 0;
    }
    return len;
}

/* What to send: built once per exchange, reused by its attempts; only a
 * multipart body is built anew for each attempt, so that every attempt
 * reads its files from the start. */
typedef struct rt_request {
    const char *method;
    rt_buf url;
    const char *body;
    curl_mime *mime;           /* multipart body, or NULL */
    bool mime_used;            /* sent once: build a fresh one for a retry */
    struct curl_slist *headers;
    long timeout_ms;           /* per attempt: the call's, else the client's */
    curl_off_t max_bytes;      /* CURLOPT_MAXFILESIZE */
} rt_request;

#define RT_SETOPT(e, cc, opt, val)                                          \
    do {                                                                      \
        if ((cc) == CURLE_OK)                                                 \
            (cc) = curl_easy_setopt((e), (opt), (val));                       \
    } while (0)

/* Security-relevant settings, on every attempt. */
static CURLcode setup_safety(og_client_t *c)
{
    CURL *e = c->curl;
    CURLcode cc = CURLE_OK;
    bool verify = !c->opts.insecure_skip_tls_verify;

#if LIBCURL_VERSION_NUM >= 0x075500
    RT_SETOPT(e, cc, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    RT_SETOPT(e, cc, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    RT_SETOPT(e, cc, CURLOPT_FOLLOWLOCATION, 0L);
    RT_SETOPT(e, cc, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
    RT_SETOPT(e, cc, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
    if (c->ca_file)
        RT_SETOPT(e, cc, CURLOPT_CAINFO, c->ca_file);
    /* signals are not thread-safe; timeouts still work (threaded resolver) */
    RT_SETOPT(e, cc, CURLOPT_NOSIGNAL, 1L);
    return cc;
}

static CURLcode setup_transfer(og_client_t *c, const rt_request *req,
                               rt_response *resp)
{
    CURL *e = c->curl;
    CURLcode cc = CURLE_OK;

    RT_SETOPT(e, cc, CURLOPT_URL, req->url.data);
    RT_SETOPT(e, cc, CURLOPT_ERRORBUFFER, c->errbuf);
    RT_SETOPT(e, cc, CURLOPT_CONNECTTIMEOUT_MS, c->opts.connect_timeout_ms);
    RT_SETOPT(e, cc, CURLOPT_TIMEOUT_MS, req->timeout_ms);
    RT_SETOPT(e, cc, CURLOPT_TCP_KEEPALIVE, 1L);
    RT_SETOPT(e, cc, CURLOPT_USERAGENT, c->user_agent);
    RT_SETOPT(e, cc, CURLOPT_HTTPHEADER, req->headers);
    RT_SETOPT(e, cc, CURLOPT_WRITEFUNCTION, on_body);
    RT_SETOPT(e, cc, CURLOPT_WRITEDATA, resp);
    RT_SETOPT(e, cc, CURLOPT_HEADERFUNCTION, on_header);
    RT_SETOPT(e, cc, CURLOPT_HEADERDATA, resp);
    RT_SETOPT(e, cc, CURLOPT_MAXFILESIZE_LARGE, req->max_bytes);
    if (cc == CURLE_OK) /* gzip is welcome but optional: ignore "not built in" */
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    return cc;
}

/* GET and DELETE without a body stay bodiless; everything else sends the
 * body (or an empty one, so Content-Length: 0 is explicit). */
static CURLcode setup_method(og_client_t *c, const rt_request *req)
{
    CURL *e = c->curl;
    CURLcode cc = CURLE_OK;
    bool bodiless = !req->body && !req->mime &&
                    (strcmp(req->method, "GET") == 0 || strcmp(req->method, "DELETE") == 0);

    if (req->mime) {
        RT_SETOPT(e, cc, CURLOPT_MIMEPOST, req->mime);
    } else if (bodiless) {
        RT_SETOPT(e, cc, CURLOPT_HTTPGET, 1L);
    } else {
        RT_SETOPT(e, cc, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        RT_SETOPT(e, cc, CURLOPT_POSTFIELDSIZE_LARGE,
                  (curl_off_t)(req->body ? strlen(req->body) : 0));
    }
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "POST") != 0)
        RT_SETOPT(e, cc, CURLOPT_CUSTOMREQUEST, req->method);
    return cc;
}

/* Runs one transfer. The handle is reset first so no option of the previous
 * call leaks into this one; curl_easy_reset keeps live connections. */
static void perform(og_client_t *c, const rt_request *req, rt_response *resp)
{
    long request_size = 0;

    curl_easy_reset(c->curl);
    c->errbuf[0] = '\0';
    if ((resp->cc = setup_safety(c)) == CURLE_OK &&
        (resp->cc = setup_transfer(c, req, resp)) == CURLE_OK &&
        (resp->cc = setup_method(c, req)) == CURLE_OK)
        resp->cc = curl_easy_perform(c->curl);
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->status);
    curl_easy_getinfo(c->curl, CURLINFO_REQUEST_SIZE, &request_size);
    resp->sent = request_size > 0;
}

/* ---- classifying an attempt ------------------------------------------------ */

/* The verdict on one attempt; err holds the details of a failure. */
typedef struct rt_outcome {
    bool retryable;        /* a later attempt may succeed */
    bool unprocessed;      /* surely not acted on: safe to repeat any call */
    bool token_rejected;   /* a fresh token may succeed */
    long hint_ms;          /* server's wait before retrying, -1 if none */
    cJSON *root;           /* on success, the parsed envelope */
    void *typed;           /* or, from the quick path, the typed data */
} rt_outcome;

static bool is_retryable_curl(CURLcode cc)
{
    switch (cc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
        return true;
    default:
        return false;
    }
}

static int classify_transport(og_client_t *c, const og_rt_call_t *call,
                              const rt_response *resp, rt_outcome *o,
                              og_error_t *err)
{
    const char *why = c->errbuf[0] ? c->errbuf : curl_easy_strerror(resp->cc);

    /* the head may have arrived before the body failed: keep what it said */
    err->http_status = resp->status;
    snprintf(err->log_id, sizeof err->log_id, "%s", resp->log_id);
    if (resp->oom)
        return nomem(err);
    if (resp->too_large || resp->cc == CURLE_FILESIZE_EXCEEDED)
        return og_error_set(err, OG_E_TOO_LARGE, NULL,
                                    "%s: response larger than %zu bytes",
                                    call->endpoint, c->opts.max_response_bytes);
    err->curl_code = (int)resp->cc;
    o->retryable = is_retryable_curl(resp->cc);
    o->unprocessed = !resp->sent;
    if (resp->cc == CURLE_OPERATION_TIMEDOUT)
        return og_error_set(err, OG_E_TIMEOUT, NULL, "%s: %s",
                                    call->endpoint, why);
    return og_error_set(err, OG_E_TRANSPORT, NULL, "%s: %s (curl %d)",
                                call->endpoint, why, (int)resp->cc);
}

/* Parses the body as JSON. Returns 0 with *root, or fills err:
 * E_HTTP/E_ENVELOPE for an empty body, E_ENVELOPE for a body that is not
 * JSON at all (an HTML error page), E_JSON/E_UTF8 for broken JSON. */
static int parse_body(const og_rt_call_t *call, const rt_response *resp,
                      cJSON **root, og_error_t *err)
{
    const char *b = resp->body.data ? resp->body.data : "";
    size_t n = resp->body.len, skip = 0;
    char text[96], why[sizeof err->message];
    int rc;

    while (skip < n && (b[skip] == ' ' || b[skip] == '\t' || b[skip] == '\r' ||
                        b[skip] == '\n'))
        skip++;
    if (skip == n)
        return og_error_set(err, resp->status / 100 == 2
                                        ? OG_E_ENVELOPE : OG_E_HTTP,
                                    NULL, "%s: HTTP %ld with an empty body",
                                    call->endpoint, resp->status);
    if (b[skip] != '{' && b[skip] != '[') {
        snippet(text, sizeof text, b + skip, n - skip);
        return og_error_set(err, OG_E_ENVELOPE, NULL,
                                    "%s: HTTP %ld, body is not JSON (%s): %s",
                                    call->endpoint, resp->status,
                                    resp->content_type[0] ? resp->content_type
                                                          : "no Content-Type",
                                    text);
    }
    if ((rc = og_rt_parse(b, n, root, err)) < 0) {
        memcpy(why, err->message, sizeof why);
        return og_error_set(err, rc, NULL, "%s: HTTP %ld, %s",
                                    call->endpoint, resp->status, why);
    }
    return 0;
}

/* Checks the {code, msg, data} shape and copies code, msg and the log id of
 * the body into err (the header's log id wins). */
static int read_envelope(const og_rt_call_t *call, const rt_response *resp,
                         const cJSON *root, long *code, og_error_t *err)
{
    const cJSON *jcode = cJSON_GetObjectItemCaseSensitive(root, "code");
    const cJSON *jmsg = cJSON_GetObjectItemCaseSensitive(root, "msg");
    const cJSON *jlog = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "error"), "log_id");

    /* codes are 32-bit integers; the range check keeps the cast defined */
    if (!cJSON_IsObject(root) || !cJSON_IsNumber(jcode) ||
        jcode->valuedouble < -2147483648.0 || jcode->valuedouble > 2147483647.0 ||
        jcode->valuedouble != (double)(long)jcode->valuedouble)
        return og_error_set(err, OG_E_ENVELOPE, NULL,
                                    "%s: HTTP %ld, JSON body is not a "
                                    "{code, msg, data} envelope",
                                    call->endpoint, resp->status);
    *code = (long)jcode->valuedouble;
    if (*code != 0)
        err->api_code = *code;
    if (cJSON_IsString(jmsg))
        snprintf(err->api_msg, sizeof err->api_msg, "%s", jmsg->valuestring);
    if (!err->log_id[0] && cJSON_IsString(jlog))
        snprintf(err->log_id, sizeof err->log_id, "%s", jlog->valuestring);
    return 0;
}

static bool is_token_code(long code)
{
    size_t i;

    for (i = 0; i < sizeof rt_token_codes / sizeof rt_token_codes[0]; i++)
        if (code == rt_token_codes[i])
            return true;
    return false;
}

/* The envelope said code != 0 (or code 0 with a failure status). */
static int classify_code(const og_rt_call_t *call, const rt_response *resp,
                         long code, rt_outcome *o, og_error_t *err)
{
    if (is_token_code(code)) {
        o->token_rejected = true;
        return og_error_set(err, OG_E_AUTH, NULL,
                                    "%s: the access token was rejected (code %ld: %s)",
                                    call->endpoint, code, err->api_msg);
    }
    if (code == RT_CODE_RATE_LIMITED) {
        o->retryable = o->unprocessed = true;
        return og_error_set(err, OG_E_RATE_LIMITED, NULL,
                                    "%s: rate limited (code %ld: %s)",
                                    call->endpoint, code, err->api_msg);
    }
    if (code == 0)
        return og_error_set(err, OG_E_HTTP, NULL,
                                    "%s: HTTP %ld with code 0", call->endpoint,
                                    resp->status);
    return og_error_set(err, OG_E_API, NULL, "%s: code %ld: %s",
                                call->endpoint, code, err->api_msg);
}

/* A body that is no envelope: a status that says more than "bad body" wins. */
static int classify_no_envelope(const rt_response *resp, int rc,
                                og_error_t *err)
{
    char why[sizeof err->message];

    if (rc == OG_E_NOMEM || (resp->status != 429 && resp->status != 401))
        return rc;
    memcpy(why, err->message, sizeof why);
    return og_error_set(err, resp->status == 429 ? OG_E_RATE_LIMITED
                                                         : OG_E_AUTH,
                                NULL, "%s (HTTP %ld)", why, resp->status);
}

/* The envelope as the quick path reads it: its error member carries a
 * log id when the header does not. */
typedef struct rt_envelope_error {
    char *log_id;
} rt_envelope_error;

typedef struct rt_envelope {
    bool has_code;
    int64_t code;
    char *msg;
    void *data;
    rt_envelope_error *error;
} rt_envelope;

static const og_rt_field rt_envelope_error_fields[] = {
    {"log_id", NULL, NULL, NULL, offsetof(rt_envelope_error, log_id), 0, 6,
     OG_RT_STRING, 0},
};
static const og_rt_type rt_envelope_error_type = {
    sizeof(rt_envelope_error), rt_envelope_error_fields, 1};

/* A successful envelope read in one pass, with no tree, straight into a
 * struct of the call's data type; true when it did. Anything else (an
 * error code, a body the quick parser gives up on) is left to the tree
 * path, which reads and classifies it exactly. err gets what
 * read_envelope would copy: msg, and the body's log id if the header had
 * none. An absent or null data is an empty struct, as read_data_ makes. */
static bool quick_envelope(const og_rt_call_t *call, const rt_response *resp,
                           void **typed, og_error_t *err)
{
    const og_rt_field fields[] = {
        {"code", NULL, NULL, NULL, offsetof(rt_envelope, code),
         offsetof(rt_envelope, has_code), 4, OG_RT_INT64, 0},
        {"msg", NULL, NULL, NULL, offsetof(rt_envelope, msg), 0, 3, OG_RT_STRING, 0},
        {"data", NULL, call->data_type, NULL, offsetof(rt_envelope, data), 0, 4,
         OG_RT_OBJECT, 0},
        {"error", NULL, &rt_envelope_error_type, NULL, offsetof(rt_envelope, error),
         0, 5, OG_RT_OBJECT, 0},
    };
    const og_rt_type type = {sizeof(rt_envelope), fields, 4};
    rt_envelope *env = NULL;

    if (call->data_type == NULL || call->typed_data == NULL ||
        resp->status / 100 != 2 ||
        !og_rt_quick_parse(resp->body.data, resp->body.len, &type, (void **)&env))
        return false;
    if (!env->has_code || env->code != 0 ||
        (env->data == NULL && (env->data = calloc(1, call->data_type->size)) == NULL)) {
        og_rt_free(&type, env);
        return false;
    }
    if (env->msg != NULL)
        snprintf(err->api_msg, sizeof err->api_msg, "%s", env->msg);
    if (!err->log_id[0] && env->error != NULL && env->error->log_id != NULL)
        snprintf(err->log_id, sizeof err->log_id, "%s", env->error->log_id);
    *typed = env->data;
    env->data = NULL;
    og_rt_free(&type, env);
    return true;
}

static int classify_response(const og_rt_call_t *call, const rt_response *resp,
                             rt_outcome *o, og_error_t *err)
{
    cJSON *root = NULL;
    long code = 0;
    int rc;

    err->http_status = resp->status;
    snprintf(err->log_id, sizeof err->log_id, "%s", resp->log_id);
    o->hint_ms = resp->hint_ms;
    o->retryable = resp->status >= 500 || resp->status == 429;
    /* A rate-limit refusal comes from the gateway before the handler runs,
     * so repeating it cannot duplicate an effect. */
    o->unprocessed = resp->status == 429;
    if (resp->status >= 300 && resp->status < 400)
        return og_error_set(err, OG_E_HTTP, NULL,
                                    "%s: HTTP %ld redirect to \"%.*s\" not followed",
                                    call->endpoint, resp->status,
                                    (int)strcspn(resp->location, "?#"),
                                    resp->location);
    if (resp->body.data != NULL && quick_envelope(call, resp, &o->typed, err))
        return 0;
    if ((rc = parse_body(call, resp, &root, err)) < 0 ||
        (rc = read_envelope(call, resp, root, &code, err)) < 0) {
        cJSON_Delete(root);
        return classify_no_envelope(resp, rc, err);
    }
    if (code == 0 && resp->status / 100 == 2) {
        o->root = root;
        return 0;
    }
    cJSON_Delete(root);
    return classify_code(call, resp, code, o, err);
}

/* ---- downloads -------------------------------------------------------------- */

/* A path sink writes into a temporary file next to the target, so that a
 * failed download never leaves a partial file under the caller's name. */
static int sink_open(rt_sink *s, og_download_t *dl, size_t client_cap,
                     og_error_t *err)
{
    int fd;

    memset(s, 0, sizeof *s);
    s->dl = dl;
    s->cap = dl->max_bytes ? dl->max_bytes : client_cap;
    dl->size = 0;
    dl->filename[0] = dl->content_type[0] = '\0';
    if (!dl->path)
        return 0;
    if ((s->tmp_path = malloc(strlen(dl->path) + 8)) == NULL)
        return nomem(err);
    strcpy(s->tmp_path, dl->path);
    strcat(s->tmp_path, ".XXXXXX");
    if ((fd = mkstemp(s->tmp_path)) < 0 || (s->tmp = fdopen(fd, "wb")) == NULL) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(s->tmp_path);
        }
        free(s->tmp_path);
        s->tmp_path = NULL;
        return og_error_set(err, OG_E_IO, NULL,
                                    "cannot create a file next to %s: %s",
                                    dl->path, strerror(e));
    }
    return 0;
}

/* Every attempt starts the temporary file over. */
static int sink_restart(rt_sink *s, og_error_t *err)
{
    s->written = 0;
    s->write_errno = 0;
    if (!s->tmp)
        return 0;
    if (fflush(s->tmp) != 0 || ftruncate(fileno(s->tmp), 0) != 0 ||
        fseek(s->tmp, 0, SEEK_SET) != 0)
        return og_error_set(err, OG_E_IO, NULL, "%s: %s",
                                    s->tmp_path, strerror(errno));
    return 0;
}

/* Success: the temporary file becomes the target. Failure (rc < 0): it is
 * removed. Returns rc, or E_IO when finishing fails. */
static int sink_close(rt_sink *s, int rc, og_error_t *err)
{
    if (rc == 0 && !s->tmp && s->dl->file && fflush(s->dl->file) != 0)
        rc = og_error_set(err, OG_E_IO, NULL, "cannot write the "
                                  "download: %s", strerror(errno));
    if (s->tmp) {
        if (fclose(s->tmp) != 0 && rc == 0)
            rc = og_error_set(err, OG_E_IO, NULL, "%s: %s",
                                      s->tmp_path, strerror(errno));
        if (rc == 0 && rename(s->tmp_path, s->dl->path) != 0)
            rc = og_error_set(err, OG_E_IO, NULL, "cannot rename "
                                      "the download to %s: %s", s->dl->path,
                                      strerror(errno));
        if (rc < 0)
            unlink(s->tmp_path);
        s->tmp = NULL;
    }
    free(s->tmp_path);
    s->tmp_path = NULL;
    return rc;
}

static int hex_value(int ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0'
         : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
         : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* Decodes RFC 5987 ext-value text (after "charset'lang'") into out: %XX
 * escapes; ISO-8859-1 bytes become UTF-8. Returns false if malformed. */
static bool decode_ext(const char *s, size_t n, bool latin1, rt_buf *out)
{
    size_t i;
    char u[2];

    for (i = 0; i < n; i++) {
        int ch = (unsigned char)s[i];
        if (ch == '%') {
            if (i + 2 >= n || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0)
                return false;
            ch = hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]);
            i += 2;
        }
        u[0] = (char)ch;
        if (latin1 && ch >= 0x80) {
            u[0] = (char)(0xC0 | (ch >> 6));
            u[1] = (char)(0x80 | (ch & 0x3F));
        }
        if (buf_append(out, u, latin1 && ch >= 0x80 ? 2 : 1) < 0)
            return false;
    }
    return true;
}

/* filename*=UTF-8''%E6%B5%8B.pdf: only UTF-8 and ISO-8859-1 are known. */
static bool ext_filename(const char *v, size_t n, rt_buf *out)
{
    const char *q1 = memchr(v, '\'', n), *q2;
    bool latin1;

    if (!q1 || !(q2 = memchr(q1 + 1, '\'', n - (size_t)(q1 + 1 - v))))
        return false;
    if ((size_t)(q1 - v) == 5 && strncasecmp(v, "UTF-8", 5) == 0)
        latin1 = false;
    else if ((size_t)(q1 - v) == 10 && strncasecmp(v, "ISO-8859-1", 10) == 0)
        latin1 = true;
    else
        return false;
    return decode_ext(q2 + 1, n - (size_t)(q2 + 1 - v), latin1, out);
}

/* A parameter value: a token, or a quoted-string with backslash escapes.
 * Advances *p past it. */
static void param_value(const char **p, rt_buf *out)
{
    const char *s = *p;

    if (*s == '"') {
        for (s++; *s && *s != '"'; s++) {
            if (*s == '\\' && s[1])
                s++;
            buf_append(out, s, 1);
        }
        if (*s == '"')
            s++;
    } else {
        size_t n = strcspn(s, ";");
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        buf_append(out, s, n);
        s += n;
    }
    *p = s;
}

/* Text a filename can be: UTF-8 without NUL. */
static bool is_text(const rt_buf *b)
{
    return b->data && strlen(b->data) == b->len && og_rt_utf8_length(b->data) >= 0;
}

/* Copies a filename for the caller: control characters become '_', a
 * UTF-8 sequence is never cut; anything but text gives "". */
static void store_filename(const rt_buf *name, char *out, size_t outsz)
{
    size_t n = name->len, i;

    out[0] = '\0';
    if (!is_text(name))
        return;
    if (n > outsz - 1) {
        n = outsz - 1;
        while (n > 0 && ((unsigned char)name->data[n] & 0xC0) == 0x80)
            n--;
    }
    for (i = 0; i < n; i++)
        out[i] = ((unsigned char)name->data[i] < 0x20 || name->data[i] == 0x7f)
                     ? '_' : name->data[i];
    out[n] = '\0';
}

/* RFC 6266: `attachment; filename="a.pdf"; filename*=UTF-8''%E6%B5%8B.pdf`;
 * filename* wins over filename. */
static void disposition_filename(const char *h, char *out, size_t outsz)
{
    rt_buf plain = { 0 }, ext = { 0 }, value = { 0 };
    bool have_ext = false;
    const char *p = strchr(h, ';');

    while (p && *p == ';') {
        size_t n;
        p++;
        p += strspn(p, " \t");
        n = strcspn(p, "=;");
        if (p[n] != '=') {
            p += n;
            continue;
        }
        value.len = 0;
        {
            const char *name = p;
            p += n + 1;
            p += strspn(p, " \t");
            param_value(&p, &value);
            while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
                n--;
            if (n == 9 && strncasecmp(name, "filename*", 9) == 0 && !have_ext && value.data)
                have_ext = ext_filename(value.data, value.len, &ext);
            else if (n == 8 && strncasecmp(name, "filename", 8) == 0 && value.data) {
                plain.len = 0;
                buf_append(&plain, value.data, value.len);
            }
        }
        p = strchr(p, ';');
    }
    /* a filename* that does not decode to text falls back to filename */
    store_filename(have_ext && is_text(&ext) ? &ext : &plain, out, outsz);
    buf_free(&plain);
    buf_free(&ext);
    buf_free(&value);
}

/* What the caller learns about a finished download. */
static void report_download(const rt_response *resp, rt_sink *s)
{
    s->dl->size = s->written;
    snprintf(s->dl->content_type, sizeof s->dl->content_type, "%s", resp->content_type);
    disposition_filename(resp->disposition, s->dl->filename, sizeof s->dl->filename);
}

/* A 2xx body that streamed to the sink: done, or why not. Once bytes
 * reached the caller's stream or callback, the attempt cannot be undone,
 * so it is not retried. */
static int classify_download(og_client_t *c, const og_rt_call_t *call,
                             rt_response *resp, rt_outcome *o, og_error_t *err)
{
    rt_sink *s = resp->sink;
    int rc;

    err->http_status = resp->status;
    snprintf(err->log_id, sizeof err->log_id, "%s", resp->log_id);
    if (s->write_errno) {
        return og_error_set(err, OG_E_IO, NULL, "%s: %s", call->endpoint,
                                    s->write_errno < 0 ? "the write callback stopped the download"
                                                       : strerror(s->write_errno));
    }
    if (resp->too_large || resp->cc == CURLE_FILESIZE_EXCEEDED)
        return og_error_set(err, OG_E_TOO_LARGE, NULL,
                                    "%s: download larger than %zu bytes",
                                    call->endpoint, s->cap);
    if (resp->cc == CURLE_OK) {
        report_download(resp, s);
        return 0;
    }
    rc = classify_transport(c, call, resp, o, err);
    if (s->delivered > 0 && o->retryable) {
        o->retryable = false;
        rt_log(c, OG_LOG_WARN, "%s: download failed after %zu bytes were "
               "delivered; not retried", call->endpoint, s->delivered);
    }
    return rc;
}

/* A download that answered with a collected body: a JSON envelope with
 * code != 0 (or an error status) is the typed error; a 2xx JSON body
 * without an error code is the file itself. */
static int classify_collected(const og_rt_call_t *call, rt_response *resp,
                              rt_outcome *o, og_error_t *err)
{
    cJSON *root, *code;
    bool is_error;

    if (resp->status / 100 != 2)
        return classify_response(call, resp, o, err);
    root = cJSON_ParseWithLength(resp->body.data ? resp->body.data : "", resp->body.len);
    code = cJSON_GetObjectItemCaseSensitive(root, "code");
    is_error = cJSON_IsNumber(code) && code->valuedouble != 0;
    cJSON_Delete(root);
    if (is_error)
        return classify_response(call, resp, o, err);
    if (resp->body.len && !sink_write(resp->sink, resp->body.data, resp->body.len,
                                      &resp->too_large))
        return resp->too_large
                   ? og_error_set(err, OG_E_TOO_LARGE, NULL,
                                          "%s: download larger than %zu bytes",
                                          call->endpoint, resp->sink->cap)
                   : og_error_set(err, OG_E_IO, NULL, "%s: cannot "
                                          "write the download", call->endpoint);
    report_download(resp, resp->sink);
    return 0;
}

/* ---- attempts, retries, backoff ------------------------------------------- */

/* Bookkeeping of one rt_http_call across token refreshes. */
typedef struct rt_state {
    int attempts;          /* HTTP attempts so far */
    int retries;           /* backoff retries so far (max_retries budget) */
    rt_sink *sink;         /* a download's sink, or NULL */
} rt_state;

/* Exponential backoff with "equal jitter": half the delay is fixed, half is
 * random, so clients that failed together do not retry together. Returns -1
 * when the server asks for a longer wait than retry_max_delay_ms. */
static long retry_delay(og_client_t *c, const rt_outcome *o, int retry)
{
    long d = c->opts.retry_base_delay_ms, max = c->opts.retry_max_delay_ms;
    int i;

    if (o->hint_ms >= 0)
        return o->hint_ms <= max && o->hint_ms != RT_HINT_TOO_LONG ? o->hint_ms : -1;
    for (i = 1; i < retry && d < max; i++)
        d *= 2;
    if (d > max)
        d = max;
    return d / 2 + (long)(next_random(c) % (uint64_t)(d / 2 + 1));
}

/* base_url + path + "?name=value&..." with names and values percent-encoded;
 * parameters whose value is NULL are left out. */
static int build_url(const og_client_t *c, const og_rt_call_t *call,
                     rt_buf *url)
{
    const char *sep = "?";
    size_t i;
    int rc;

    if ((rc = buf_puts(url, c->base_url)) < 0 || (rc = buf_puts(url, call->path)) < 0)
        return rc;
    for (i = 0; i < call->query_count; i++) {
        if (!call->query[i].value)
            continue;
        if ((rc = buf_puts(url, sep)) < 0 ||
            (rc = buf_put_encoded(url, call->query[i].name)) < 0 ||
            (rc = buf_puts(url, "=")) < 0 ||
            (rc = buf_put_encoded(url, call->query[i].value)) < 0)
            return rc;
        sep = "&";
    }
    return 0;
}

/* Appends the caller's extra headers (checked by check_options). curl reads
 * "Name:" as "remove the header", so an empty value is written "Name;". */
static int append_extra_headers(const og_call_options_t *o,
                                struct curl_slist *list)
{
    size_t i;
    int rc = 0;

    for (i = 0; o && i < o->header_count && rc == 0; i++) {
        const og_header_t *h = &o->headers[i];
        rt_buf line = { 0 };

        if (buf_puts(&line, h->name) < 0 ||
            buf_puts(&line, *h->value ? ": " : ";") < 0 ||
            buf_puts(&line, h->value) < 0 || !curl_slist_append(list, line.data))
            rc = OG_E_NOMEM;
        buf_free(&line);
    }
    return rc;
}

/* Appends h; on failure the list stays as it was (and is freed later). */
static bool add_header(struct curl_slist **list, const char *h)
{
    struct curl_slist *grown = curl_slist_append(*list, h);

    if (grown)
        *list = grown;
    return grown != NULL;
}

/* "Expect:" stops curl from waiting for 100-continue on larger bodies. The
 * token (checked free of CR/LF when it was set or fetched) is added last.
 * A multipart body gets its Content-Type (with the boundary) from curl; a
 * download accepts any type. */
static int build_headers(const og_rt_call_t *call, const char *token,
                         struct curl_slist **out)
{
    rt_buf auth = { 0 };
    int rc = OG_E_NOMEM;

    if (token && (buf_puts(&auth, "Authorization: Bearer ") < 0 ||
                  buf_puts(&auth, token) < 0))
        goto done;
    if ((!call->form && !add_header(out, "Content-Type: application/json; charset=utf-8")) ||
        !add_header(out, call->download ? "Accept: */*" : "Accept: application/json") ||
        !add_header(out, "Expect:") ||
        append_extra_headers(call->options, *out) < 0 ||
        (token && !add_header(out, auth.data)))
        goto done;
    rc = 0;
done:
    wipe_free(auth.data);
    return rc;
}

/* The base name of a path ("a/b.txt" -> "b.txt"). */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* One file part. A path is opened now so that a missing or unreadable file
 * fails before anything is sent; curl reads it while sending. */
static int add_file_part(curl_mimepart *part, const og_form_part_t *fp,
                         og_error_t *err)
{
    const og_file_t *f = fp->file;
    const char *filename = f->filename ? f->filename
                         : f->path ? base_name(f->path) : fp->name;
    FILE *probe;
    CURLcode cc;

    if (f->path) {
        if ((probe = fopen(f->path, "rb")) == NULL)
            return og_error_set(err, OG_E_IO, NULL,
                                        "form field %s: cannot open %s: %s", fp->name,
                                        f->path, strerror(errno));
        fclose(probe);
        cc = curl_mime_filedata(part, f->path);
    } else {
        cc = curl_mime_data(part, f->size ? (const char *)f->data : "", f->size);
    }
    if (cc == CURLE_OK)
        cc = curl_mime_filename(part, filename);
    if (cc == CURLE_OK)
        cc = curl_mime_type(part, f->content_type ? f->content_type
                                                  : "application/octet-stream");
    return cc == CURLE_OK ? 0 : nomem(err);
}

/* The multipart body: text fields and file parts in the call's order;
 * unset ones are left out. */
static int build_mime(og_client_t *c, const og_rt_call_t *call,
                      curl_mime **out, og_error_t *err)
{
    curl_mimepart *part;
    size_t i;
    int rc = 0;

    if ((*out = curl_mime_init(c->curl)) == NULL)
        return nomem(err);
    for (i = 0; i < call->form_count && rc == 0; i++) {
        const og_form_part_t *fp = &call->form[i];
        if (!fp->value && !og_file_is_set(fp->file))
            continue;
        if ((part = curl_mime_addpart(*out)) == NULL ||
            curl_mime_name(part, fp->name) != CURLE_OK)
            rc = nomem(err);
        else if (fp->value)
            rc = curl_mime_data(part, fp->value, CURL_ZERO_TERMINATED) == CURLE_OK
                     ? 0 : nomem(err);
        else
            rc = add_file_part(part, fp, err);
    }
    return rc;
}

static int build_request(og_client_t *c, const og_rt_call_t *call,
                         const char *token, rt_request *req, og_error_t *err)
{
    int rc;

    req->method = call->method;
    req->body = call->body;
    req->timeout_ms = call->options && call->options->timeout_ms > 0
                          ? call->options->timeout_ms : c->opts.timeout_ms;
    req->max_bytes = (curl_off_t)(call->download && call->download->max_bytes
                                      ? call->download->max_bytes
                                      : c->opts.max_response_bytes);
    if (call->form && (rc = build_mime(c, call, &req->mime, err)) < 0)
        return rc;
    req->mime_used = false;
    if (build_url(c, call, &req->url) < 0 ||
        build_headers(call, token, &req->headers) < 0)
        return nomem(err);
    return 0;
}

static void free_request(rt_request *req)
{
    buf_free(&req->url);
    curl_slist_free_all(req->headers);  /* holds the token: freed right away */
    req->headers = NULL;
    curl_mime_free(req->mime);
    req->mime = NULL;
}

/* Hands the response of this attempt to the caller when the call options
 * ask for it; a later attempt replaces it, so the caller sees the last. */
static int keep_raw(const og_rt_call_t *call, rt_response *resp)
{
    og_raw_response_t *raw = call->options ? call->options->raw : NULL;

    if (!raw)
        return 0;
    og_raw_response_free(raw);
    if (resp->status == 0 && !resp->body.data)
        return 0;   /* nothing arrived */
    if (!resp->body.data && buf_reserve(&resp->body, 0) < 0)
        return OG_E_NOMEM;
    resp->body.data[resp->body.len] = '\0';
    raw->body = resp->body.data;
    raw->body_len = resp->body.len;
    raw->http_status = resp->status;
    snprintf(raw->log_id, sizeof raw->log_id, "%s", resp->log_id);
    snprintf(raw->content_type, sizeof raw->content_type, "%s", resp->content_type);
    resp->body.data = NULL;
    resp->body.len = resp->body.cap = 0;
    return 0;
}

/* One attempt: wait for the rate limiter, send, classify. */
static int attempt(og_client_t *c, const og_rt_call_t *call,
                   rt_request *req, rt_state *st, rt_outcome *o,
                   og_error_t *err)
{
    rt_response resp;
    int64_t started;
    int rc;

    memset(o, 0, sizeof *o);
    o->hint_ms = -1;
    memset(&resp, 0, sizeof resp);
    resp.max_bytes = c->opts.max_response_bytes;
    resp.hint_ms = -1;
    resp.sink = st->sink;
    og_error_clear(err);
    if ((rc = limit_wait(c, call, err)) < 0)
        return rc;
    if (st->sink && (rc = sink_restart(st->sink, err)) < 0)
        return rc;
    if (req->mime && req->mime_used) {
        curl_mime_free(req->mime);
        req->mime = NULL;
        if ((rc = build_mime(c, call, &req->mime, err)) < 0)
            return rc;
    }
    req->mime_used = req->mime != NULL;
    st->attempts++;
    started = now_ms(c);
    perform(c, req, &resp);
    if (resp.sink && resp.body_mode == RT_BODY_UNDECIDED && resp.cc == CURLE_OK)
        resp.body_mode = body_mode(&resp);     /* no body: an empty download? */
    if (resp.body_mode == RT_BODY_STREAM)
        rc = classify_download(c, call, &resp, o, err);
    else if (resp.cc == CURLE_OK && !resp.too_large)
        rc = resp.sink ? classify_collected(call, &resp, o, err)
                       : classify_response(call, &resp, o, err);
    else
        rc = classify_transport(c, call, &resp, o, err);
    if (rc == 0)
        rt_log(c, OG_LOG_DEBUG, "%s: %s %s -> HTTP %ld (attempt %d, %lld ms)",
               call->endpoint, call->method, call->path, resp.status, st->attempts,
               (long long)(now_ms(c) - started));
    else
        rt_log(c, OG_LOG_DEBUG, "%s %s -> %s (attempt %d, %lld ms)",
               call->method, call->path, err->message, st->attempts,
               (long long)(now_ms(c) - started));
    if (keep_raw(call, &resp) < 0 && rc == 0) {
        cJSON_Delete(o->root);
        o->root = NULL;
        rc = nomem(err);
    }
    buf_free(&resp.body);
    return rc;
}

static bool should_retry(const og_client_t *c, const og_rt_call_t *call,
                         const rt_state *st, const rt_outcome *o)
{
    return o->retryable && st->retries < c->opts.max_retries &&
           (call->retry_safe || (call->options && call->options->retry_safe) ||
            o->unprocessed);
}

/* Sends the call until it succeeds or retrying is pointless or unsafe. On
 * success o->root holds the envelope; err describes the last failure. */
static int exchange(og_client_t *c, const og_rt_call_t *call,
                    const char *token, rt_state *st, rt_outcome *o,
                    og_error_t *err)
{
    rt_request req;
    long delay;
    int rc;

    memset(&req, 0, sizeof req);
    memset(o, 0, sizeof *o);
    if ((rc = build_request(c, call, token, &req, err)) < 0)
        goto done;
    while ((rc = attempt(c, call, &req, st, o, err)) < 0 && should_retry(c, call, st, o)) {
        if ((delay = retry_delay(c, o, ++st->retries)) < 0) {
            if (o->hint_ms == RT_HINT_TOO_LONG)
                rt_log(c, OG_LOG_WARN, "%s: server asks to wait more than "
                       "%d s; giving up", call->endpoint, RT_RETRY_HINT_MAX_S);
            else
                rt_log(c, OG_LOG_WARN, "%s: server asks to wait %ld ms, more "
                       "than retry_max_delay_ms; giving up", call->endpoint, o->hint_ms);
            break;
        }
        rt_log(c, OG_LOG_WARN, "%s: attempt %d failed (%s); retrying in %ld ms",
               call->endpoint, st->attempts, og_strerror(rc), delay);
        sleep_ms(c, delay);
    }
done:
    err->attempts = st->attempts;
    free_request(&req);
    return rc;
}

/* ---- the token -------------------------------------------------------------- */

/* Prints a flat {"name": "value", ...} request body; NULL names end it. */
static int auth_body(char **out, const char *n1, const char *v1, const char *n2,
                     const char *v2, const char *n3, const char *v3)
{
    cJSON *o = cJSON_CreateObject();

    *out = NULL;
    if (o && cJSON_AddStringToObject(o, n1, v1) && cJSON_AddStringToObject(o, n2, v2) &&
        (!n3 || cJSON_AddStringToObject(o, n3, v3)))
        *out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return *out ? 0 : OG_E_NOMEM;
}

/* Takes `field` and expire from a token response. The token is refreshed 5
 * minutes before it expires, or at half its lifetime when that is shorter,
 * so a call never starts with a token about to lapse. */
static int take_token(og_client_t *c, const cJSON *root, const char *field,
                      char **token, int64_t *refresh_at, og_error_t *err)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, field);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "expire");
    int64_t life = 0, margin;
    char *copy;

    if (!cJSON_IsString(t) || check_token(t->valuestring, "token", NULL) < 0)
        return og_error_set(err, OG_E_AUTH, NULL,
                                    "%s: the response holds no usable token", field);
    if (cJSON_IsNumber(e) && e->valuedouble > 0 && e->valuedouble < 1e9)
        life = (int64_t)e->valuedouble * 1000;
    margin = life / 2 < 300000 ? life / 2 : 300000;
    if ((copy = dup_str(t->valuestring)) == NULL)
        return nomem(err);
    wipe_free(*token);
    *token = copy;
    *refresh_at = now_ms(c) + life - margin;
    rt_log(c, OG_LOG_INFO, "%s: fetched, valid for %lld s", field,
           (long long)(life / 1000));
    return 0;
}

/* Posts `body` (which holds secrets: wiped here) to an auth endpoint, without
 * an Authorization header. Fetching a token has no side effect, so it is
 * always retry-safe. A refusal by the server becomes E_AUTH (E_APP_TICKET
 * when it refuses the app_ticket); transport failures keep their own code.
 * On success *root is the answer, for the caller to delete. */
static int post_auth(og_client_t *c, const char *what, const char *path,
                     char *body, cJSON **root, og_error_t *err)
{
    og_rt_call_t call;
    rt_state st = { 0, 0, NULL };   /* its own attempts and retry budget */
    rt_outcome o;
    char why[sizeof err->message];
    int rc;

    *root = NULL;
    if (!body) {
        nomem(err);
        return OG_E_NOMEM;
    }
    memset(&call, 0, sizeof call);
    call.endpoint = what;
    call.method = "POST";
    call.path = path;
    call.retry_safe = true;
    call.body = body;
    rc = exchange(c, &call, NULL, &st, &o, err);
    wipe_free(body);
    if (rc == OG_E_API && err->api_code == RT_CODE_BAD_TICKET) {
        memcpy(why, err->message, sizeof why);
        rc = og_error_set(err, OG_E_APP_TICKET, NULL,
                                  "fetching the %s failed: %s (the app_ticket is "
                                  "invalid: set the one Feishu pushes next, or ask for "
                                  "one with og_client_request_app_ticket())",
                                  what, why);
    } else if (rc == OG_E_API || rc == OG_E_HTTP ||
               rc == OG_E_ENVELOPE) {
        memcpy(why, err->message, sizeof why);
        rc = og_error_set(err, OG_E_AUTH, NULL,
                                  "fetching the %s failed: %s", what, why);
    }
    if (rc == 0)
        *root = o.root;
    else
        cJSON_Delete(o.root);
    return rc;
}

static int fetch_token(og_client_t *c, og_error_t *err)
{
    cJSON *root;
    char *body;
    int rc;

    auth_body(&body, "app_id", c->app_id, "app_secret", c->app_secret, NULL, NULL);
    if ((rc = post_auth(c, "tenant_access_token", RT_TOKEN_PATH, body, &root, err)) == 0)
        rc = take_token(c, root, "tenant_access_token", &c->token, &c->token_refresh_at, err);
    cJSON_Delete(root);
    return rc;
}

static int ensure_token(og_client_t *c, const og_rt_call_t *call,
                        og_error_t *err)
{
    if (c->token && (c->token_static || now_ms(c) < c->token_refresh_at))
        return 0;
    if (!c->app_id)
        return og_error_set(err, OG_E_AUTH, NULL,
                                    "%s: no credentials: call og_client_set_"
                                    "tenant_token() or og_client_set_app_"
                                    "credentials() first", call->endpoint);
    return fetch_token(c, err);
}

static void drop_token(og_client_t *c)
{
    wipe_free(c->token);
    c->token = NULL;
}

/* ---- store apps: app_ticket -> app_access_token -> tenant tokens ------------- */

/* The app_access_token, fetched with the pushed app_ticket when needed. */
static int ensure_app_token(og_client_t *c, og_error_t *err)
{
    cJSON *root;
    char *body;
    int rc;

    if (c->app_token && now_ms(c) < c->app_token_refresh_at)
        return 0;
    if (!c->app_ticket)
        return og_error_set(err, OG_E_APP_TICKET, NULL,
                                    "store app: no app_ticket yet: Feishu pushes it to "
                                    "the app's event callback (event app_ticket); pass it "
                                    "to og_client_set_app_ticket(), or ask for a "
                                    "push with og_client_request_app_ticket()");
    auth_body(&body, "app_id", c->app_id, "app_secret", c->app_secret,
              "app_ticket", c->app_ticket);
    if ((rc = post_auth(c, "app_access_token", RT_APP_TOKEN_PATH, body, &root, err)) == 0)
        rc = take_token(c, root, "app_access_token", &c->app_token,
                        &c->app_token_refresh_at, err);
    cJSON_Delete(root);
    return rc;
}

/* The cache entry of tenant_key, added when missing (NULL: out of memory). */
static rt_tenant *tenant_entry(og_client_t *c, const char *tenant_key)
{
    rt_tenant *grown;
    char *key;
    size_t i;

    for (i = 0; i < c->tenant_count; i++)
        if (strcmp(c->tenants[i].tenant_key, tenant_key) == 0)
            return &c->tenants[i];
    if ((key = dup_str(tenant_key)) == NULL)
        return NULL;
    if ((grown = realloc(c->tenants, (c->tenant_count + 1) * sizeof *grown)) == NULL) {
        free(key);
        return NULL;
    }
    c->tenants = grown;
    memset(&grown[c->tenant_count], 0, sizeof *grown);
    grown[c->tenant_count].tenant_key = key;
    return &grown[c->tenant_count++];
}

static int fetch_tenant_token(og_client_t *c, rt_tenant *t, og_error_t *err)
{
    cJSON *root;
    char *body;
    int rc;

    if ((rc = ensure_app_token(c, err)) < 0)
        return rc;
    auth_body(&body, "app_access_token", c->app_token, "tenant_key", t->tenant_key,
              NULL, NULL);
    if ((rc = post_auth(c, "tenant_access_token", RT_STORE_TOKEN_PATH, body, &root, err)) == 0)
        rc = take_token(c, root, "tenant_access_token", &t->token, &t->refresh_at, err);
    cJSON_Delete(root);
    return rc;
}

/* The tenant's token from the cache, or fetched. When the server rejects
 * the app_access_token itself, it is fetched anew once. */
static int ensure_tenant_token(og_client_t *c, const char *tenant_key,
                               const char **token, og_error_t *err)
{
    rt_tenant *t = tenant_entry(c, tenant_key);
    int rc;

    if (!t)
        return nomem(err);
    if (!t->token || now_ms(c) >= t->refresh_at) {
        rc = fetch_tenant_token(c, t, err);
        if (rc == OG_E_AUTH && is_token_code(err->api_code)) {
            rt_log(c, OG_LOG_INFO, "app_access_token rejected (code %ld); "
                   "fetching a new one", err->api_code);
            wipe_free(c->app_token);
            c->app_token = NULL;
            rc = fetch_tenant_token(c, t, err);
        }
        if (rc < 0)
            return rc;
    }
    *token = t->token;
    return 0;
}

static void drop_tenant_token(og_client_t *c, const char *tenant_key)
{
    size_t i;

    for (i = 0; i < c->tenant_count; i++)
        if (strcmp(c->tenants[i].tenant_key, tenant_key) == 0) {
            wipe_free(c->tenants[i].token);
            c->tenants[i].token = NULL;
        }
}

int og_client_set_store_app(og_client_t *c, const char *app_id,
                                   const char *app_secret, og_error_t *err)
{
    int rc;

    if ((rc = og_client_set_app_credentials(c, app_id, app_secret, err)) < 0)
        return rc;
    c->store_app = true;
    return 0;
}

int og_client_set_app_ticket(og_client_t *c, const char *app_ticket,
                                    og_error_t *err)
{
    char *copy;
    int rc;

    og_error_clear(err);
    if (!c)
        return og_error_set(err, OG_E_ARG, NULL, "client is NULL");
    if (!c->store_app)
        return og_error_set(err, OG_E_ARG, NULL, "an app_ticket is only "
                                    "for store apps: call og_client_set_store_app() "
                                    "first");
    if ((rc = check_token(app_ticket, "app_ticket", err)) < 0)
        return rc;
    if ((copy = dup_str(app_ticket)) == NULL)
        return nomem(err);
    wipe_free(c->app_ticket);
    c->app_ticket = copy;
    return 0;
}

int og_client_request_app_ticket(og_client_t *c, og_error_t *err)
{
    og_error_t local;
    cJSON *root;
    char *body;
    int rc;

    if (!err)
        err = &local;
    og_error_clear(err);
    if (!c || !c->store_app)
        return og_error_set(err, OG_E_ARG, NULL, "store-app credentials "
                                    "are needed: call og_client_set_store_app() first");
    auth_body(&body, "app_id", c->app_id, "app_secret", c->app_secret, NULL, NULL);
    rc = post_auth(c, "app_ticket", RT_TICKET_RESEND_PATH, body, &root, err);
    cJSON_Delete(root);
    scrub_secrets(c, err->message);
    scrub_secrets(c, err->api_msg);
    return rc;
}

/* ---- which token a call sends --------------------------------------------------- */

/* The caller's user token, a store app's token for the call's tenant, or
 * the client's tenant token (fetched when needed). */
static int call_token(og_client_t *c, const og_rt_call_t *call,
                      const char **token, og_error_t *err)
{
    int rc;

    *token = NULL;
    if (call->options && call->options->user_access_token) {
        *token = call->options->user_access_token;
        return 0;
    }
    if (c->store_app)
        return ensure_tenant_token(c, call->options->tenant_key, token, err);
    if ((rc = ensure_token(c, call, err)) < 0)
        return rc;
    *token = c->token;
    return 0;
}

/* Whether a rejected token can be replaced by a fresh one. */
static bool token_refreshable(const og_client_t *c, const og_rt_call_t *call)
{
    if (call->options && call->options->user_access_token)
        return false;
    return !c->token_static;
}

static void drop_call_token(og_client_t *c, const og_rt_call_t *call)
{
    if (c->store_app)
        drop_tenant_token(c, call->options->tenant_key);
    else
        drop_token(c);
}

/* ---- the generic call -------------------------------------------------------- */

static bool is_path_char(unsigned char ch)
{
    return is_unreserved(ch) || (ch && strchr("!$&'()*+,;=:@/%", ch) != NULL);
}

/* The path comes from generated code; still, it decides where the token is
 * sent, so it must be a plain path below /open-apis/ without dot segments. */
static bool is_safe_path(const char *p)
{
    const char *s;

    if (strncmp(p, "/open-apis/", 11) != 0)
        return false;
    for (s = p; *s; s++)
        if (!is_path_char((unsigned char)*s))
            return false;
    for (s = p; (s = strstr(s, "/.")) != NULL; s++)
        if (s[2] == '/' || s[2] == '\0' ||
            (s[2] == '.' && (s[3] == '/' || s[3] == '\0')))
            return false;
    return true;
}

static bool is_known_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "POST") == 0 ||
           strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0 ||
           strcmp(m, "DELETE") == 0;
}

/* RFC 9110 tchar: what a header name may consist of. */
static bool is_token_char(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
           (ch >= '0' && ch <= '9') || (ch && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

/* Headers that decide where the request goes, how it is framed or whose
 * credentials it carries: only the client sets them. */
static bool is_reserved_header(const char *name)
{
    static const char *const reserved[] = { "Authorization", "Host",
                                            "Content-Length", "Transfer-Encoding" };
    size_t i;

    for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcasecmp(name, reserved[i]) == 0)
            return true;
    return false;
}

static int check_header(const char *endpoint, size_t i, const og_header_t *h,
                        og_error_t *err)
{
    const char *s;

    if (!h->name || !*h->name || !h->value || strlen(h->name) > 256 ||
        strlen(h->value) > 8192)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: header %zu: name (1..256 bytes) and value "
                                    "(at most 8192) are required", endpoint, i);
    for (s = h->name; *s; s++)
        if (!is_token_char((unsigned char)*s))
            return og_error_set(err, OG_E_ARG, NULL,
                                        "%s: header %zu: the name may only hold "
                                        "letters, digits and !#$%%&'*+-.^_`|~",
                                        endpoint, i);
    if (has_ctl(h->value))
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: header %s: the value contains CR, LF or "
                                    "another control character", endpoint, h->name);
    if (is_reserved_header(h->name))
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: header %s is set by the client and cannot "
                                    "be overridden", endpoint, h->name);
    return 0;
}

/* A store app calls on behalf of one tenant, named by the call options; a
 * tenant key means nothing to other credentials. o may be NULL. */
static int check_tenant_key(const og_client_t *c, const char *endpoint,
                            const og_call_options_t *o, og_error_t *err)
{
    const char *key = o ? o->tenant_key : NULL;

    if (o && o->user_access_token)
        return 0;   /* the user token says who calls */
    if (c->store_app && !key)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: a store app calls for a tenant: set tenant_key "
                                    "in the call options", endpoint);
    if (!c->store_app && key)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: tenant_key is only for store-app credentials "
                                    "(og_client_set_store_app())", endpoint);
    return key ? check_token(key, "tenant_key", err) : 0;
}

static int check_call_options(const og_client_t *c, const char *endpoint,
                              const og_call_options_t *o,
                              og_error_t *err)
{
    size_t i;
    int rc;

    if (!o)
        return check_tenant_key(c, endpoint, o, err);
    if (o->version != OG_CALL_OPTIONS_VERSION)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: call options were not set up with "
                                    "og_call_options_init()", endpoint);
    if (o->timeout_ms < 0)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: timeout_ms must not be negative", endpoint);
    if (o->header_count > 64 || (o->header_count > 0 && !o->headers))
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: headers: at most 64, and not NULL when "
                                    "header_count > 0", endpoint);
    for (i = 0; i < o->header_count; i++)
        if ((rc = check_header(endpoint, i, &o->headers[i], err)) < 0)
            return rc;
    if (o->user_access_token &&
        (rc = check_token(o->user_access_token, "user_access_token", err)) < 0)
        return rc;
    return check_tenant_key(c, endpoint, o, err);
}

/* Form field names and file names go into part headers. */
static int check_form(const og_rt_call_t *call, og_error_t *err)
{
    size_t i;

    if (call->form && call->body)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: a call has a JSON body or a form, not both",
                                    call->endpoint);
    if (call->form_count > 0 && !call->form)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: form_count without form", call->endpoint);
    for (i = 0; i < call->form_count; i++) {
        const og_form_part_t *fp = &call->form[i];
        const og_file_t *f = fp->file;
        if (!fp->name || !*fp->name || has_ctl(fp->name) || strchr(fp->name, '"'))
            return og_error_set(err, OG_E_ARG, NULL,
                                        "%s: form field %zu has no usable name",
                                        call->endpoint, i);
        if (og_file_is_set(f) &&
            ((f->path && f->data) || (f->filename && (has_ctl(f->filename) ||
                                                      strchr(f->filename, '"'))) ||
             (f->content_type && has_ctl(f->content_type))))
            return og_error_set(err, OG_E_ARG, NULL,
                                        "%s: form field %s: set path or data, and a "
                                        "filename and content type without control "
                                        "characters or '\"'", call->endpoint, fp->name);
    }
    return 0;
}

static int check_call(const og_client_t *c, const og_rt_call_t *call,
                      og_error_t *err)
{
    size_t i;
    int rc;

    if (!c || !call || !call->endpoint || !*call->endpoint || !call->method ||
        !call->path || (call->query_count > 0 && !call->query))
        return og_error_set(err, OG_E_ARG, NULL,
                                    "client, endpoint, method and path are required");
    if (!is_known_method(call->method))
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: unsupported method", call->endpoint);
    if (!is_safe_path(call->path))
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: path must start with /open-apis/ and be "
                                    "percent-encoded, without dot segments",
                                    call->endpoint);
    for (i = 0; i < call->query_count; i++)
        if (!call->query[i].name || !*call->query[i].name)
            return og_error_set(err, OG_E_ARG, NULL,
                                        "%s: query parameter %zu has no name",
                                        call->endpoint, i);
    if (call->rate_count < 0 || call->rate_period_ms < 0)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: negative rate limit", call->endpoint);
    if (call->rate_more_count > 0 && !call->rate_more)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: rate_more_count without rate_more", call->endpoint);
    for (i = 0; i < call->rate_more_count; i++)
        if (call->rate_more[i].count < 0 || call->rate_more[i].period_ms < 0)
            return og_error_set(err, OG_E_ARG, NULL,
                                        "%s: negative rate limit", call->endpoint);
    if ((rc = check_call_options(c, call->endpoint, call->options, err)) < 0)
        return rc;
    return check_form(call, err);
}

/* A download needs exactly one sink. */
static int check_download(const og_rt_call_t *call, bool wants_data,
                          og_error_t *err)
{
    const og_download_t *dl = call->download;

    if (!dl)
        return 0;
    if (wants_data)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: a download has no JSON data", call->endpoint);
    if ((dl->path != NULL) + (dl->file != NULL) + (dl->write != NULL) != 1)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: set exactly one of the download's path, "
                                    "file and write", call->endpoint);
    if (dl->path && !*dl->path)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "%s: the download's path is empty", call->endpoint);
    return 0;
}

/* Hands the envelope's data to the caller; a JSON null counts as absent. */
static void take_data(cJSON *root, cJSON **data_out)
{
    cJSON *data = cJSON_DetachItemFromObjectCaseSensitive(root, "data");

    if (cJSON_IsNull(data) || !data_out) {
        cJSON_Delete(data);
        data = NULL;
    }
    if (data_out)
        *data_out = data;
}

/* Every secret the client holds or the call carries, kept out of what the
 * caller sees (the server may echo one back). */
static void scrub_all(const og_client_t *c, char *s)
{
    scrub_secrets(c, s);
}

static void scrub_error(const og_client_t *c, og_error_t *err)
{
    scrub_all(c, err->message);
    scrub_all(c, err->api_msg);
    scrub_all(c, err->log_id);      /* a header the server chose */
}

int og_rt_http_call(og_client_t *c, const og_rt_call_t *call,
                            cJSON **data_out, og_error_t *err)
{
    og_error_t local;
    rt_state st = { 0, 0, NULL };
    rt_sink sink;
    rt_outcome o;
    const char *token = NULL;
    bool refreshed = false;
    int rc;

    if (!err)
        err = &local;
    og_error_clear(err);
    if (data_out)
        *data_out = NULL;
    if (call && call->typed_data)
        *call->typed_data = NULL;
    if (call && call->options && call->options->raw)
        og_raw_response_free(call->options->raw);
    if ((rc = check_call(c, call, err)) < 0 ||
        (rc = check_download(call, data_out != NULL, err)) < 0)
        return rc;
    if (call->download) {
        if ((rc = sink_open(&sink, call->download, c->opts.max_response_bytes, err)) < 0)
            return rc;
        st.sink = &sink;
    }
    memset(&o, 0, sizeof o);
    /* a user token is the caller's secret: kept out of logs for this call */
    c->call_secret = call->options ? call->options->user_access_token : NULL;
    for (;;) {
        if ((rc = call_token(c, call, &token, err)) < 0)
            break;
        rc = exchange(c, call, token, &st, &o, err);
        if (rc == 0 || !o.token_rejected || !token_refreshable(c, call) || refreshed)
            break;
        rt_log(c, OG_LOG_INFO, "%s: access token rejected (code %ld); "
               "fetching a new one", call->endpoint, err->api_code);
        drop_call_token(c, call);
        refreshed = true;
    }
    if (rc == 0 && o.typed != NULL)
        *call->typed_data = o.typed;
    else if (rc == 0)
        take_data(o.root, data_out);
    cJSON_Delete(o.root);
    if (st.sink)
        rc = sink_close(st.sink, rc, err);
    scrub_error(c, err);
    if (rc < 0)
        rt_log(c, OG_LOG_ERROR, "call failed after %d attempt(s): %s",
               err->attempts, err->message);
    c->call_secret = NULL;
    return rc;
}

/* The steps of og_rt_http_call() after a successful transfer of a 200
 * JSON response, on bytes the caller holds: classify_response() (parse,
 * envelope, code) and take_data(). Only what depends on the connection is
 * left out: the log line and scrubbing secrets from err. */
int og_rt_read_body(const char *endpoint, const char *body, size_t len,
                    const og_rt_type *data_type, void **typed,
                    cJSON **data_out, og_error_t *err)
{
    og_error_t local;
    og_rt_call_t call;
    rt_response resp;
    rt_outcome o;
    int rc;

    if (!err)
        err = &local;
    memset(&call, 0, sizeof call);
    memset(&resp, 0, sizeof resp);
    memset(&o, 0, sizeof o);
    call.endpoint = endpoint;
    call.data_type = data_type;
    call.typed_data = typed;
    resp.status = 200;
    resp.hint_ms = -1;
    resp.body.data = (char *)body;     /* only read */
    resp.body.len = len;
    snprintf(resp.content_type, sizeof resp.content_type, "application/json; charset=utf-8");
    og_error_clear(err);
    if (data_out)
        *data_out = NULL;
    if (typed)
        *typed = NULL;
    if ((rc = classify_response(&call, &resp, &o, err)) == 0 && o.typed != NULL)
        *typed = o.typed;
    else if (rc == 0)
        take_data(o.root, data_out);
    cJSON_Delete(o.root);
    return rc;
}

/* ---- raw calls ------------------------------------------------------------------ */

int og_call_raw(og_client_t *c, const char *method, const char *path,
                        const og_query_param_t *query, size_t query_count,
                        const char *body_json, const og_call_options_t *opts,
                        cJSON **data_out, og_error_t *err)
{
    og_rt_call_t call;
    cJSON *parsed;
    char why[sizeof err->message];
    int rc;

    og_error_clear(err);
    if (data_out)
        *data_out = NULL;
    if (!method || !path)
        return og_error_set(err, OG_E_ARG, NULL,
                                    "raw call: method and path are required");
    /* a body that is not JSON is the caller's mistake: say so before sending */
    if (body_json) {
        if ((rc = og_rt_parse(body_json, strlen(body_json), &parsed, err)) < 0) {
            snprintf(why, sizeof why, "%s", err ? err->message : "");
            return og_error_set(err, rc, "/body", "raw call: the body is not "
                                        "valid JSON: %s", why);
        }
        cJSON_Delete(parsed);
    }
    memset(&call, 0, sizeof call);
    call.endpoint = "raw";
    call.method = method;
    call.path = path;
    call.query = query;
    call.query_count = query_count;
    call.body = body_json;
    call.retry_safe = strcmp(method, "GET") == 0 || strcmp(method, "PUT") == 0 ||
                      strcmp(method, "DELETE") == 0;
    call.options = opts;
    return og_rt_http_call(c, &call, data_out, err);
}

/* ---- paths -------------------------------------------------------------------- */

static int path_fail(og_rt_path_t *p, const char *why)
{
    if (p->rc == 0) {
        p->rc = OG_E_ARG;
        p->why = why;
    }
    return p->rc;
}

static int path_put(og_rt_path_t *p, const char *s, size_t n)
{
    if (n >= sizeof p->buf - p->len)
        return path_fail(p, "path too long");
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    p->buf[p->len] = '\0';
    return 0;
}

int og_rt_path_append(og_rt_path_t *p, const char *literal)
{
    const char *s;

    if (!p)
        return OG_E_ARG;
    if (p->rc)
        return p->rc;
    if (!literal)
        return path_fail(p, "path literal is NULL");
    for (s = literal; *s; s++)
        if (*s == '%' || !is_path_char((unsigned char)*s))
            return path_fail(p, "path literal contains a character that needs encoding");
    return path_put(p, literal, strlen(literal));
}

int og_rt_path_segment(og_rt_path_t *p, const char *value)
{
    char enc[3];
    int rc = 0;

    if (!p)
        return OG_E_ARG;
    if (p->rc)
        return p->rc;
    if (!value || !*value)
        return path_fail(p, "path parameter is empty");
    /* "." and ".." would address the parent resource, even encoded (%2E is
     * equivalent to "." per RFC 3986 and normalisers decode it) */
    if (strcmp(value, ".") == 0 || strcmp(value, "..") == 0)
        return path_fail(p, "path parameter is \".\" or \"..\"");
    for (; *value && rc == 0; value++)
        rc = path_put(p, enc, encode_byte(enc, (unsigned char)*value));
    return rc;
}

/* ---- idempotency keys ----------------------------------------------------------- */

int og_rt_uuid4(char out[37])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    size_t i, o = 0;

    if (!out)
        return OG_E_ARG;
    if (read_random(b, sizeof b) < 0)
        return OG_E_TRANSPORT;
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);   /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);   /* variant 10xx */
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
    return 0;
}

/* ---- query strings ------------------------------------------------------------- */

/* Makes room for one more item of size `size` in *items (capacity *cap). */
static bool query_grow(void **items, size_t count, size_t *cap, size_t size)
{
    size_t n = *cap ? *cap * 2 : 8;
    void *grown;

    if (count < *cap)
        return true;
    if (n > SIZE_MAX / size || (grown = realloc(*items, n * size)) == NULL)
        return false;
    *items = grown;
    *cap = n;
    return true;
}

void og_rt_query_add(og_rt_query_t *q, const char *name, const char *value)
{
    if (!q || q->rc < 0 || !value)
        return;
    if (!query_grow((void **)&q->items, q->count, &q->cap, sizeof *q->items)) {
        q->rc = OG_E_NOMEM;
        return;
    }
    q->items[q->count].name = name;
    q->items[q->count].value = value;
    q->count++;
}

/* Adds name=text, keeping a copy of text. */
static void query_add_text(og_rt_query_t *q, const char *name, const char *text)
{
    char *copy;

    if (!q || q->rc < 0)
        return;
    if (!query_grow((void **)&q->texts, q->text_count, &q->text_cap, sizeof *q->texts) ||
        (copy = strdup(text)) == NULL) {
        q->rc = OG_E_NOMEM;
        return;
    }
    q->texts[q->text_count++] = copy;
    og_rt_query_add(q, name, copy);
}

void og_rt_query_add_int64(og_rt_query_t *q, const char *name, bool has, int64_t v)
{
    char text[24];

    if (!has)
        return;
    snprintf(text, sizeof text, "%" PRId64, v);
    query_add_text(q, name, text);
}

void og_rt_query_add_float(og_rt_query_t *q, const char *name, bool has, double v)
{
    char text[40];

    if (!has)
        return;
    if (q && q->rc == 0 && og_rt_format_double(text, sizeof text, v) < 0) {
        q->rc = OG_E_RANGE;   /* not finite: the validator refuses it first */
        return;
    }
    query_add_text(q, name, text);
}

void og_rt_query_add_bool(og_rt_query_t *q, const char *name, bool has, bool v)
{
    if (has)
        og_rt_query_add(q, name, v ? "true" : "false");
}

void og_rt_query_add_strings(og_rt_query_t *q, const char *name,
                                     char *const *items, size_t count)
{
    size_t i;

    for (i = 0; items && i < count; i++)
        og_rt_query_add(q, name, items[i]);
}

void og_rt_query_add_int32s(og_rt_query_t *q, const char *name,
                                    const int32_t *items, size_t count)
{
    size_t i;

    for (i = 0; items && i < count; i++)
        og_rt_query_add_int64(q, name, true, items[i]);
}

void og_rt_query_add_int64s(og_rt_query_t *q, const char *name,
                                    const int64_t *items, size_t count)
{
    size_t i;

    for (i = 0; items && i < count; i++)
        og_rt_query_add_int64(q, name, true, items[i]);
}

void og_rt_query_add_bools(og_rt_query_t *q, const char *name,
                                   const bool *items, size_t count)
{
    size_t i;

    for (i = 0; items && i < count; i++)
        og_rt_query_add_bool(q, name, true, items[i]);
}

void og_rt_query_free(og_rt_query_t *q)
{
    size_t i;

    if (!q)
        return;
    for (i = 0; i < q->text_count; i++)
        free(q->texts[i]);
    free(q->texts);
    free(q->items);
    memset(q, 0, sizeof *q);
}

/* ---- endpoints ------------------------------------------------------------------ */

static bool field_single(const og_rt_field *f, og_rt_kind kind)
{
    return f->kind == kind && !(f->flags & OG_RT_ARRAY);
}

static const char *field_string(const void *part, const og_rt_field *f)
{
    return *(char *const *)OG_RT_CAT(part, f->offset);
}

static bool field_has(const void *part, const og_rt_field *f)
{
    return *(const bool *)OG_RT_CAT(part, f->flag_offset);
}

static size_t field_count(const void *part, const og_rt_field *f)
{
    return *(const size_t *)OG_RT_CAT(part, f->flag_offset);
}

/* Puts `part` ("/body") in front of the paths of violations [from, count). */
static int prefix_violations(og_violations_t *v, size_t from, const char *part)
{
    size_t i, n = strlen(part), m;
    char *p;

    for (i = from; i < v->count; i++) {
        m = strlen(v->items[i].path);
        if ((p = malloc(n + m + 1)) == NULL)
            return OG_E_NOMEM;
        memcpy(p, part, n);
        memcpy(p + n, v->items[i].path, m + 1);
        free(v->items[i].path);
        v->items[i].path = p;
    }
    return 0;
}

/* Adds the violations of one part of a request under its prefix. */
static int validate_part(int rc, og_violations_t *v, size_t from, const char *part)
{
    int prc;

    if (rc < 0)
        return rc;
    prc = prefix_violations(v, from, part);
    return prc < 0 ? prc : rc;
}

/* The path part: its rules, then each string parameter as one segment. */
static int validate_path(const og_rt_endpoint *ep, const void *path,
                         og_violations_t *out)
{
    const og_rt_field *f;
    size_t from = out->count, i;
    int rc, segments;

    if ((rc = og_rt_validate(ep->path_type, path, out)) >= 0) {
        for (i = 0; i < ep->path_type->field_count; i++) {
            f = &ep->path_type->fields[i];
            if (!field_single(f, OG_RT_STRING))
                continue;
            if ((segments = og_rt_check_segment(out, from, f->key, field_string(path, f))) < 0)
                return segments;
            rc += segments;
        }
    }
    return validate_part(rc, out, from, "/path");
}

int og_rt_request_validate(const og_rt_endpoint *ep, const void *req,
                           og_violations_t *out)
{
    size_t from;
    int n = 0, rc;

    if (!ep || !req || !out)
        return OG_E_ARG;
    if (ep->path_type) {
        if ((rc = validate_path(ep, OG_RT_CAT(req, ep->path_offset), out)) < 0)
            return rc;
        n += rc;
    }
    if (ep->query_type) {
        from = out->count;
        rc = og_rt_validate(ep->query_type, OG_RT_CAT(req, ep->query_offset), out);
        if ((rc = validate_part(rc, out, from, "/query")) < 0)
            return rc;
        n += rc;
    }
    if (ep->body_type) {
        from = out->count;
        rc = og_rt_validate(ep->body_type, OG_RT_CAT(req, ep->body_offset), out);
        if ((rc = validate_part(rc, out, from, "/body")) < 0)
            return rc;
        n += rc;
    }
    return n;
}

int og_rt_report_violations(int n, og_violations_t *v, og_error_t *err)
{
    char text[sizeof err->message];
    size_t len = 0, i, need;
    int rc = n;

    if (n > 0) {
        for (i = 0; i < v->count; i++) {
            /* room for this one and, if others follow, the "(and N more)" */
            need = strlen(v->items[i].path) + strlen(v->items[i].message) + 4 +
                   (i + 1 < v->count ? 24 : 0);
            if (i > 0 && len + need >= sizeof text)
                break;
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s %s",
                                    i ? "; " : "", v->items[i].path, v->items[i].message);
            if (len >= sizeof text) {
                len = sizeof text - 1;
                i++;
                break;
            }
        }
        if (i < v->count)
            snprintf(text + len, sizeof text - len, " (and %zu more)", v->count - i);
        rc = og_error_set(err, OG_E_INVALID, v->items[0].path, "%s", text);
        if (err)
            err->violations = (size_t)n;
    } else if (n < 0) {
        rc = og_error_set(err, n, NULL, "cannot validate the request");
    }
    og_violations_free(v);
    return rc;
}

/* The string path parameter of wire name [name, name + len), or NULL. */
static const og_rt_field *path_param(const og_rt_type *type, const char *name, size_t len)
{
    size_t i;

    for (i = 0; type && i < type->field_count; i++)
        if (type->fields[i].key && type->fields[i].key_len == len &&
            memcmp(type->fields[i].key, name, len) == 0 &&
            field_single(&type->fields[i], OG_RT_STRING))
            return &type->fields[i];
    return NULL;
}

void og_rt_endpoint_path(const og_rt_endpoint *ep, const void *req, og_rt_path_t *p)
{
    const char *t = ep->path;
    const void *part = ep->path_type ? OG_RT_CAT(req, ep->path_offset) : NULL;
    const og_rt_field *f;
    char literal[OG_RT_PATH_MAX];
    size_t n;

    while (*t && p->rc == 0) {
        if (*t == ':') {
            n = strcspn(t + 1, "/");
            if ((f = path_param(ep->path_type, t + 1, n)) == NULL) {
                path_fail(p, "path template names an unknown parameter");
                return;
            }
            og_rt_path_segment(p, field_string(part, f));
            t += n + 1;
        } else {
            n = strcspn(t, ":");
            if (n >= sizeof literal) {
                path_fail(p, "path too long");
                return;
            }
            memcpy(literal, t, n);
            literal[n] = '\0';
            og_rt_path_append(p, literal);
            t += n;
        }
    }
}

/* One query field: scalars when set, arrays item by item; kinds a query
 * cannot carry (objects, json, float arrays) are not sent. */
static void query_field(og_rt_query_t *q, const void *part, const og_rt_field *f)
{
    const void *v = OG_RT_CAT(part, f->offset);

    if (f->flags & OG_RT_ARRAY) {
        switch (f->kind) {
        case OG_RT_STRING:
            og_rt_query_add_strings(q, f->key, *(char *const *const *)v, field_count(part, f));
            break;
        case OG_RT_INT32:
            og_rt_query_add_int32s(q, f->key, *(const int32_t *const *)v, field_count(part, f));
            break;
        case OG_RT_INT64:
            og_rt_query_add_int64s(q, f->key, *(const int64_t *const *)v, field_count(part, f));
            break;
        case OG_RT_BOOL:
            og_rt_query_add_bools(q, f->key, *(const bool *const *)v, field_count(part, f));
            break;
        default:
            break;
        }
        return;
    }
    switch (f->kind) {
    case OG_RT_STRING:
        og_rt_query_add(q, f->key, *(char *const *)v);
        break;
    case OG_RT_INT32:
        og_rt_query_add_int64(q, f->key, field_has(part, f), *(const int32_t *)v);
        break;
    case OG_RT_INT64:
        og_rt_query_add_int64(q, f->key, field_has(part, f), *(const int64_t *)v);
        break;
    case OG_RT_FLOAT:
        og_rt_query_add_float(q, f->key, field_has(part, f), *(const double *)v);
        break;
    case OG_RT_BOOL:
        og_rt_query_add_bool(q, f->key, field_has(part, f), *(const bool *)v);
        break;
    default:
        break;
    }
}

static bool is_idempotency_key(const og_rt_endpoint *ep, const og_rt_field *f)
{
    return ep->idempotency_key && f->key && strcmp(f->key, ep->idempotency_key) == 0 &&
           field_single(f, OG_RT_STRING);
}

/* The caller's idempotency key (NULL or "" when it left it to us). */
static const char *idempotency_key_of(const og_rt_endpoint *ep, const void *req)
{
    size_t i;

    for (i = 0; i < ep->query_type->field_count; i++)
        if (is_idempotency_key(ep, &ep->query_type->fields[i]))
            return field_string(OG_RT_CAT(req, ep->query_offset), &ep->query_type->fields[i]);
    return NULL;
}

void og_rt_endpoint_query(const og_rt_endpoint *ep, const void *req,
                          const char *key, og_rt_query_t *q)
{
    const void *part;
    const og_rt_field *f;
    size_t i;

    if (!ep->query_type)
        return;
    part = OG_RT_CAT(req, ep->query_offset);
    for (i = 0; i < ep->query_type->field_count; i++) {
        f = &ep->query_type->fields[i];
        if (is_idempotency_key(ep, f))
            og_rt_query_add(q, f->key, key);
        else
            query_field(q, part, f);
    }
}

/* Text of a form field: 40 bytes each, after the parts. */
#define EP_FORM_TEXT_ 40

og_form_part_t *og_rt_endpoint_form(const og_rt_endpoint *ep, const void *req,
                                    size_t *count)
{
    const og_rt_type *type = ep->body_type;
    const void *body = OG_RT_CAT(req, ep->body_offset);
    size_t n = type ? type->field_count : 0, i;
    og_form_part_t *form = calloc(n ? n : 1, sizeof *form + EP_FORM_TEXT_);
    char *texts = (char *)(form + n), *t;
    const og_rt_field *f;
    const void *v;

    *count = 0;
    if (!form)
        return NULL;
    for (i = 0; i < n; i++) {
        f = &type->fields[i];
        v = OG_RT_CAT(body, f->offset);
        t = texts + i * EP_FORM_TEXT_;
        form[i].name = f->key;
        if (f->flags & OG_RT_ARRAY)
            continue;
        if (f->kind == OG_RT_FILE) {
            form[i].file = (const og_file_t *)v;
            continue;
        }
        if (f->kind == OG_RT_STRING) {
            form[i].value = *(char *const *)v;
            continue;
        }
        if (f->kind > OG_RT_BOOL || !field_has(body, f))
            continue;
        if (f->kind == OG_RT_BOOL)
            snprintf(t, EP_FORM_TEXT_, "%s", *(const bool *)v ? "true" : "false");
        else if (f->kind == OG_RT_FLOAT)
            og_rt_format_double(t, EP_FORM_TEXT_, *(const double *)v);
        else if (f->kind == OG_RT_INT32)
            snprintf(t, EP_FORM_TEXT_, "%" PRId32, *(const int32_t *)v);
        else
            snprintf(t, EP_FORM_TEXT_, "%" PRId64, *(const int64_t *)v);
        form[i].value = t;
    }
    *count = n;
    return form;
}

int og_rt_read_data(const char *endpoint, const og_rt_type *type,
                    const cJSON *data, void **out, og_error_t *err)
{
    og_error_t e;
    char path[sizeof e.path + 8];
    cJSON *empty = data ? NULL : cJSON_CreateObject();
    int rc;

    if (!data && !empty)
        return og_error_set(err, OG_E_NOMEM, NULL, "out of memory");
    rc = og_rt_from_json(type, out, data ? data : empty, &e);
    cJSON_Delete(empty);
    if (rc < 0) {
        snprintf(path, sizeof path, "/data%s", e.path);
        og_error_set(err, rc, path, "%s: response %s: %s", endpoint, path, e.message);
    }
    return rc;
}

/* The response's `data` handed over as the endpoint says: the one step
 * between the transport and the caller's struct. Typed data may already be
 * in *out (the transport's quick path read the envelope straight into it);
 * otherwise it is read from the tree. */
static int endpoint_take_data(const og_rt_endpoint *ep, cJSON *data, void *out,
                              og_error_t *err)
{
    int rc = 0;

    if (ep->response == OG_RT_RESPONSE_OPAQUE) {
        if (!data && !(data = cJSON_CreateObject()))
            return og_error_set(err, OG_E_NOMEM, NULL, "out of memory");
        *(cJSON **)out = data;   /* the caller owns data as it came */
        return 0;
    }
    if (!*(void **)out)
        rc = og_rt_read_data(ep->name, ep->data_type, data, (void **)out, err);
    cJSON_Delete(data);
    return rc;
}

/* Builds the call's path, query and body and sends it. */
static int endpoint_send(const og_rt_endpoint *ep, og_client_t *c, const void *req,
                         const og_call_options_t *opts, void *out, og_error_t *err)
{
    og_rt_path_t path;
    og_rt_query_t query;
    og_rt_call_t call;
    og_form_part_t *form = NULL;
    char idempotency_key[37];
    const char *key = NULL;
    cJSON *data = NULL;
    char *body = NULL;
    int rc;

    memset(&path, 0, sizeof path);
    memset(&query, 0, sizeof query);
    memset(&call, 0, sizeof call);
    og_rt_endpoint_path(ep, req, &path);
    if (path.rc < 0)
        return og_error_set(err, path.rc, NULL, "cannot build the path: %s", path.why);
    if (ep->idempotency_key && ep->query_type) {
        key = idempotency_key_of(ep, req);
        if (!key || !*key) {
            if ((rc = og_rt_uuid4(idempotency_key)) < 0)
                return og_error_set(err, rc, NULL, "cannot make an idempotency key");
            key = idempotency_key;
        }
    }
    og_rt_endpoint_query(ep, req, key, &query);
    if (query.rc < 0) {
        og_rt_query_free(&query);
        return og_error_set(err, query.rc, "/query", "cannot build the query");
    }
    if (ep->body == OG_RT_BODY_JSON &&
        !(body = og_rt_print_as(ep->body_type, OG_RT_CAT(req, ep->body_offset)))) {
        og_rt_query_free(&query);
        return og_error_set(err, OG_E_NOMEM, "/body", "cannot write the body");
    }
    if (ep->body == OG_RT_BODY_FORM &&
        !(form = og_rt_endpoint_form(ep, req, &call.form_count))) {
        og_rt_query_free(&query);
        return og_error_set(err, OG_E_NOMEM, NULL, "out of memory");
    }
    call.endpoint = ep->name;
    call.method = ep->method;
    call.path = path.buf;
    call.query = query.items;
    call.query_count = query.count;
    call.body = body;
    call.form = form;
    call.download = ep->response == OG_RT_RESPONSE_BINARY ? (og_download_t *)out : NULL;
    call.rate_count = ep->rate_count;
    call.rate_period_ms = ep->rate_period_ms;
    call.retry_safe = ep->retry_safe;
    call.options = opts;
    call.rate_more = ep->rate_more;
    call.rate_more_count = ep->rate_more_count;
    if (ep->response == OG_RT_RESPONSE_TYPED) {
        call.data_type = ep->data_type;
        call.typed_data = (void **)out;
    }
    if (ep->response == OG_RT_RESPONSE_BINARY) {
        rc = og_rt_http_call(c, &call, NULL, err);
    } else {
        rc = og_rt_http_call(c, &call, &data, err);
        if (rc == 0)
            rc = endpoint_take_data(ep, data, out, err);
        else
            cJSON_Delete(data);
    }
    cJSON_free(body);
    free(form);
    og_rt_query_free(&query);
    return rc;
}

int og_rt_endpoint_call(const og_rt_endpoint *ep, og_client_t *c,
                        const void *req, const og_call_options_t *opts,
                        void *out, og_error_t *err)
{
    og_violations_t violations = { NULL, 0, 0, false };
    int rc;

    og_error_clear(err);
    if (out && ep->response != OG_RT_RESPONSE_BINARY)
        *(void **)out = NULL;
    if (!c || !req || !out)
        return og_error_set(err, OG_E_ARG, NULL, "NULL argument");
    rc = og_rt_report_violations(og_rt_request_validate(ep, req, &violations),
                                 &violations, err);
    if (rc != 0)
        return rc;
    return endpoint_send(ep, c, req, opts, out, err);
}

/* ---- page iterators ------------------------------------------------------------- */

struct og_rt_pages {
    const og_rt_endpoint *ep;
    og_client_t *client;
    void *req;              /* a deep copy; its token is the iterator's */
    og_rt_pager_t pager;
};

/* Copies one part of a request through its JSON text, so the copy owns
 * everything it points at (whatever its fields are). */
static int copy_part(const og_rt_type *type, void *dst, const void *src,
                     const char *part, og_error_t *err)
{
    void *copy = NULL;
    char *text;
    int rc;

    if (!(text = og_rt_print_as(type, src)))
        return og_error_set(err, OG_E_NOMEM, part, "cannot copy the request");
    rc = og_rt_parse_as(type, &copy, text, strlen(text), err);
    cJSON_free(text);
    if (rc < 0)
        return rc;
    memcpy(dst, copy, type->size);
    free(copy);
    return rc;
}

static int copy_request(const og_rt_endpoint *ep, void *dst, const void *src,
                        og_error_t *err)
{
    int rc = 0;

    if (ep->path_type && (rc = copy_part(ep->path_type, OG_RT_AT(dst, ep->path_offset),
                                         OG_RT_CAT(src, ep->path_offset), "/path", err)) < 0)
        return rc;
    if (ep->query_type && (rc = copy_part(ep->query_type, OG_RT_AT(dst, ep->query_offset),
                                          OG_RT_CAT(src, ep->query_offset), "/query", err)) < 0)
        return rc;
    if (ep->body_type && (rc = copy_part(ep->body_type, OG_RT_AT(dst, ep->body_offset),
                                         OG_RT_CAT(src, ep->body_offset), "/body", err)) < 0)
        return rc;
    return rc;
}

void og_rt_pages_free(og_rt_pages_t *it)
{
    const og_rt_endpoint *ep;

    if (!it)
        return;
    ep = it->ep;
    if (it->req) {
        if (ep->path_type)
            og_rt_clear(ep->path_type, OG_RT_AT(it->req, ep->path_offset));
        if (ep->query_type)
            og_rt_clear(ep->query_type, OG_RT_AT(it->req, ep->query_offset));
        if (ep->body_type)
            og_rt_clear(ep->body_type, OG_RT_AT(it->req, ep->body_offset));
        free(it->req);
    }
    og_rt_pager_free(&it->pager);
    free(it);
}

int og_rt_pages_new(const og_rt_endpoint *ep, void **out, og_client_t *c,
                    const void *req, og_error_t *err)
{
    og_violations_t violations = { NULL, 0, 0, false };
    og_rt_pages_t *it;
    int rc;

    og_error_clear(err);
    if (out)
        *out = NULL;
    if (!out || !c || !req)
        return og_error_set(err, OG_E_ARG, NULL, "NULL argument");
    rc = og_rt_report_violations(og_rt_request_validate(ep, req, &violations),
                                 &violations, err);
    if (rc != 0)
        return rc;
    if (!(it = calloc(1, sizeof *it)) || !(it->req = calloc(1, ep->request_size))) {
        free(it);
        return og_error_set(err, OG_E_NOMEM, NULL, "out of memory");
    }
    it->ep = ep;
    it->client = c;
    if ((rc = copy_request(ep, it->req, req, err)) < 0 ||
        (rc = og_rt_pager_start(&it->pager,
                                *(char **)OG_RT_AT(it->req, ep->pages->token))) < 0) {
        if (rc == OG_E_NOMEM)
            og_error_set(err, rc, NULL, "out of memory");
        og_rt_pages_free(it);
        return rc;
    }
    *out = it;
    return 0;
}

int og_rt_pages_next(og_rt_pages_t *it, const og_call_options_t *opts,
                     void *page, og_error_t *err)
{
    const og_rt_pagination *pg;
    const void *data;
    int rc;

    og_error_clear(err);
    if (page)
        *(void **)page = NULL;
    if (!it || !page)
        return og_error_set(err, OG_E_ARG, NULL, "NULL argument");
    if ((rc = og_rt_pager_ready(&it->pager, err)) <= 0)
        return rc;
    if ((rc = og_rt_endpoint_call(it->ep, it->client, it->req, opts, page, err)) < 0)
        return rc;
    /* Whatever the page says about the next one, this page is good: hand
     * it over; a broken walk is reported by the next call. */
    pg = it->ep->pages;
    data = *(void **)page;
    og_rt_pager_advance(&it->pager, it->ep->name,
                        *(const bool *)OG_RT_CAT(data, pg->has_more_flag) &&
                        *(const bool *)OG_RT_CAT(data, pg->has_more),
                        *(char *const *)OG_RT_CAT(data, pg->next_token),
                        (char **)OG_RT_AT(it->req, pg->token));
    return 1;
}

/* The data type's field of the items. */
static const og_rt_field *items_field(const og_rt_endpoint *ep)
{
    size_t i;

    for (i = 0; i < ep->data_type->field_count; i++)
        if (ep->data_type->fields[i].offset == ep->pages->items &&
            (ep->data_type->fields[i].flags & OG_RT_ARRAY))
            return &ep->data_type->fields[i];
    return NULL;
}

/* A one-field struct {items, count} whose descriptor is the data type's
 * items field moved to offset 0: the codec knows how to clear its items. */
struct items_holder {
    void *items;
    size_t count;
};

void og_rt_pages_items_free(const og_rt_endpoint *ep, void *items, size_t count)
{
    struct items_holder holder;
    const og_rt_field *f = items_field(ep);
    og_rt_field field;
    og_rt_type type;

    if (!f) {
        free(items);
        return;
    }
    field = *f;
    field.offset = (uint16_t)offsetof(struct items_holder, items);
    field.flag_offset = (uint16_t)offsetof(struct items_holder, count);
    type.size = sizeof holder;
    type.fields = &field;
    type.field_count = 1;
    holder.items = items;
    holder.count = count;
    og_rt_clear(&type, &holder);
}

/* Moves up to `room` items (all when room is 0) from the front of the
 * page's array to the end of *all, which grows; what is left stays in the
 * page, which frees it. Returns how many moved, or -1 (out of memory). */
static long take_items(const og_rt_field *f, void *page, size_t room,
                       unsigned char **all, size_t *count, size_t *cap)
{
    unsigned char *items = *(unsigned char **)OG_RT_AT(page, f->offset);
    size_t *page_count = (size_t *)OG_RT_AT(page, f->flag_offset);
    size_t take = *page_count, size = og_rt_item_size(f), want;
    unsigned char *grown;

    if (room && take > room)
        take = room;
    if (take == 0)
        return 0;
    if (*count + take > *cap) {
        want = *cap ? *cap : 16;
        while (want < *count + take)
            want *= 2;
        if (!(grown = realloc(*all, want * size)))
            return -1;
        *all = grown;
        *cap = want;
    }
    memcpy(*all + *count * size, items, take * size);
    memmove(items, items + take * size, (*page_count - take) * size);
    *page_count -= take;
    *count += take;
    return (long)take;
}

int og_rt_pages_all(const og_rt_endpoint *ep, og_client_t *c, const void *req,
                    const og_call_options_t *opts, size_t max_items,
                    void *items, size_t *count, og_error_t *err)
{
    const og_rt_field *f = items_field(ep);
    og_rt_pages_t *it;
    void *handle = NULL, *page = NULL;
    unsigned char *all = NULL;
    size_t n = 0, cap = 0;
    bool left;
    int rc;

    if (items)
        *(void **)items = NULL;
    if (count)
        *count = 0;
    if (!items || !count || !f) {
        og_error_clear(err);
        return og_error_set(err, OG_E_ARG, NULL, "NULL argument");
    }
    if ((rc = og_rt_pages_new(ep, &handle, c, req, err)) < 0)
        return rc;
    it = handle;
    while ((rc = og_rt_pages_next(it, opts, &page, err)) > 0) {
        if (take_items(f, page, max_items ? max_items - n : 0, &all, &n, &cap) < 0) {
            rc = og_error_set(err, OG_E_NOMEM, NULL, "out of memory");
            break;
        }
        left = *(const size_t *)OG_RT_CAT(page, f->flag_offset) > 0;
        og_rt_free(ep->data_type, page);
        page = NULL;
        if (max_items && n == max_items && (left || it->pager.state != 1)) {
            rc = 1;     /* the cap, with more to come */
            break;
        }
    }
    og_rt_free(ep->data_type, page);
    og_rt_pages_free(it);
    if (rc < 0) {
        og_rt_pages_items_free(ep, all, n);
        return rc;
    }
    *(void **)items = all;
    *count = n;
    return rc;
}
