/**
 * @file og_http.h
 * @brief HTTP transport of the generated og client: the client
 * object, authentication (static tenant token or app credentials), retries,
 * client-side rate limiting and the generic call that every generated
 * endpoint function is a thin layer over.
 *
 * Ownership: the client owns copies of every string passed to it; nothing
 * the caller passes has to outlive the call it was passed to. Every fallible
 * function returns 0 or a negative og_errc and fills the caller-owned
 * og_error_t (which may be NULL). Error messages and log lines never
 * contain the access token or the app secret.
 *
 * Threads: a client is used by one thread at a time (it holds one reused curl
 * handle, the token cache and the rate-limit table). Use one client per
 * thread, or serialise access yourself. Note that the rate limits are then
 * counted per client, not per process. Before creating the first client, call
 * og_global_init() once from the main thread (or call
 * curl_global_init() yourself) and og_global_cleanup() at exit.
 *
 * Output: the library never writes to stdout or stderr; diagnostics go to
 * the optional log callback.
 */
#ifndef OG_HTTP_H
#define OG_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cjson/cJSON.h>

#include "og_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- process setup ----------------------------------------------------- */

/** Initialises libcurl (curl_global_init). Call once, before any thread is
 * started; not thread-safe. Returns 0 or OG_E_TRANSPORT. Skip it if
 * the application initialises libcurl itself. */
int og_global_init(void);
/** Counterpart of og_global_init(), once, after every client is freed. */
void og_global_cleanup(void);

/* ---- client options ---------------------------------------------------- */

/** Feishu (China) open platform; the default base URL. */
#define OG_BASE_URL_FEISHU "https://open.feishu.cn"
/** Lark (international) open platform. */
#define OG_BASE_URL_LARK "https://open.larksuite.com"

/** Severity passed to the log callback. */
enum {
    OG_LOG_DEBUG = 0,   /**< every request and its outcome */
    OG_LOG_INFO = 1,    /**< token fetched, rate-limit waits */
    OG_LOG_WARN = 2,    /**< retries, insecure settings */
    OG_LOG_ERROR = 3    /**< a call failed */
};

/** Receives one log line (no trailing newline); msg is valid only during the
 * call. Never contains the token or the app secret. */
typedef void (*og_log_fn)(void *user, int level, const char *msg);
/** Sleeps `ms` milliseconds (ms > 0). Injectable so tests need not wait. */
typedef void (*og_sleep_fn)(void *user, long ms);
/** Returns a monotonic clock in milliseconds. Injectable for tests. */
typedef int64_t (*og_now_fn)(void *user);

/** Version of og_client_options_t, set by og_client_options_init. */
#define OG_CLIENT_OPTIONS_VERSION 1

/**
 * How a client behaves. Fill it with og_client_options_init() and
 * change what you need: og_client_new() refuses a struct that was not
 * initialised that way (so `= {0}` cannot silently turn retries and rate
 * limiting off). Strings are copied by og_client_new().
 */
typedef struct og_client_options {
    unsigned int version;       /**< OG_CLIENT_OPTIONS_VERSION */
    /** "https://open.feishu.cn" (OG_BASE_URL_FEISHU); http:// or
     * https:// only, no path is needed. Trailing slashes and a trailing
     * "/open-apis" (which every endpoint path starts with) are removed, so
     * "https://open.feishu.cn/open-apis/" works too. */
    const char *base_url;
    long connect_timeout_ms;    /**< per attempt; default 10000 */
    long timeout_ms;            /**< whole attempt; default 30000 */
    /** Extra attempts after the first; default 3. Retries happen on
     * connection errors, timeouts, HTTP 5xx and rate limiting, and only when
     * the call is retry-safe (see og_rt_call_t). */
    int max_retries;
    /** First backoff delay; doubles per retry, with jitter; default 500. */
    long retry_base_delay_ms;
    /** Longest single wait between attempts; default 30000. A Retry-After
     * or x-ogw-ratelimit-reset longer than this ends the call instead, and
     * so does one longer than a day (86400 s), whatever this is set to. */
    long retry_max_delay_ms;
    /** Keep each endpoint under its documented rate limit by waiting before
     * sending; default true. */
    bool rate_limit;
    /** Larger responses fail with OG_E_TOO_LARGE; default 16 MiB. */
    size_t max_response_bytes;
    /** Turns TLS certificate and host name checks off. Default false; only
     * for tests against a local server. */
    bool insecure_skip_tls_verify;
    /** CA bundle file for TLS, or NULL for the system default. */
    const char *ca_file;
    /** User-Agent header; NULL means "oapigen-og/<version>". */
    const char *user_agent;
    og_log_fn log;      /**< NULL: no logging */
    void *log_user;             /**< passed to log */
    int log_level;              /**< lowest level passed to log; default INFO */
    og_sleep_fn sleep;  /**< NULL: nanosleep */
    og_now_fn now;      /**< NULL: CLOCK_MONOTONIC */
    void *clock_user;           /**< passed to sleep and now */
} og_client_options_t;

/** Fills *opts with the defaults documented above. */
void og_client_options_init(og_client_options_t *opts);

/* ---- client ------------------------------------------------------------ */

/** A connection to the open platform: one reused curl handle (keep-alive),
 * the token cache and the rate-limit table. Opaque. */
typedef struct og_client og_client_t;

/**
 * Creates a client. opts may be NULL for all defaults.
 * @param out   receives the client; free it with og_client_free()
 * @return 0, OG_E_ARG (bad option; err says which),
 *         OG_E_NOMEM or OG_E_TRANSPORT (curl failed)
 */
int og_client_new(og_client_t **out,
                          const og_client_options_t *opts,
                          og_error_t *err);
/** Frees the client and wipes the secrets it held. NULL-safe. */
void og_client_free(og_client_t *c);

/**
 * Uses a fixed tenant_access_token for every call (replaces app
 * credentials). The client cannot refresh it: when the server says it is
 * invalid or expired, calls fail with OG_E_AUTH.
 * @return 0, OG_E_ARG (empty, too long, or contains CR, LF or other
 *         control characters, which could inject headers) or OG_E_NOMEM
 */
int og_client_set_tenant_token(og_client_t *c,
                                       const char *token,
                                       og_error_t *err);
/**
 * Uses app credentials (replaces a fixed token): the client fetches a
 * tenant_access_token from /open-apis/auth/v3/tenant_access_token/internal
 * on the first call, caches it until shortly before it expires, and fetches
 * a new one (retrying the call once) when the server reports it invalid.
 * Nothing is sent until the first call.
 * @return 0, OG_E_ARG or OG_E_NOMEM
 */
int og_client_set_app_credentials(og_client_t *c,
                                          const char *app_id,
                                          const char *app_secret,
                                          og_error_t *err);

/**
 * Uses the credentials of a store app (商店应用, replaces any others). A
 * store app acts for many tenants: every call names one in its options
 * (`tenant_key`, else OG_E_ARG). The client then
 *   1. fetches an app_access_token (POST /open-apis/auth/v3/app_access_token
 *      with app_id, app_secret and the app_ticket of
 *      og_client_set_app_ticket()),
 *   2. fetches the tenant's tenant_access_token (POST
 *      /open-apis/auth/v3/tenant_access_token with app_access_token and
 *      tenant_key),
 * caches both (the tenant tokens per tenant_key) until shortly before they
 * expire, and fetches a tenant's token anew (retrying the call once) when
 * the server rejects it. Nothing is sent until the first call.
 * @return 0, OG_E_ARG or OG_E_NOMEM
 */
int og_client_set_store_app(og_client_t *c, const char *app_id,
                                   const char *app_secret, og_error_t *err);
/**
 * Gives a store app the app_ticket that Feishu pushes to the app's event
 * callback (event type `app_ticket`, about once an hour): call it from the
 * event handler with each new ticket. Until the first ticket, calls that
 * need a token fail with OG_E_APP_TICKET (so do calls whose ticket
 * the server refuses, code 10012).
 * @return 0, OG_E_ARG (not a store app; empty ticket or one with
 *         control characters) or OG_E_NOMEM
 */
int og_client_set_app_ticket(og_client_t *c, const char *app_ticket,
                                    og_error_t *err);
/**
 * Asks Feishu to push the app_ticket again now (POST
 * /open-apis/auth/v3/app_ticket/resend), for a store app that starts
 * without one. The ticket arrives at the event callback, not here.
 * @return 0, OG_E_ARG (not a store app), OG_E_AUTH (refused)
 *         or a transport error
 */
int og_client_request_app_ticket(og_client_t *c, og_error_t *err);

/* ---- per-call options ---------------------------------------------------- */

/** One extra request header of a call. */
typedef struct og_header {
    const char *name;   /**< an HTTP token ("X-Request-Id"): letters, digits, !#$%&'*+-.^_`|~ */
    const char *value;  /**< one line: no CR, LF or other control characters */
} og_header_t;

/**
 * What the server answered, kept for the caller (see
 * og_call_options_t::raw). Zero-initialise it once; every call that
 * is given it frees what it held and fills it again, so one struct can be
 * reused. Free it with og_raw_response_free().
 */
typedef struct og_raw_response {
    char *body;             /**< body of the last response, NUL-terminated; NULL
                                 when no response arrived. Owned. */
    size_t body_len;        /**< bytes in body, not counting the NUL */
    long http_status;       /**< status of the last response, 0 if none */
    char log_id[128];       /**< its X-Tt-Logid header, or "" */
    char content_type[96];  /**< its Content-Type header, or "" */
} og_raw_response_t;

/** Frees raw->body and zeroes *raw (NULL-safe). */
void og_raw_response_free(og_raw_response_t *raw);

/** Version of og_call_options_t, set by og_call_options_init. */
#define OG_CALL_OPTIONS_VERSION 1

/**
 * Options of one call, for the `_with` variant of every endpoint function
 * and for og_call_raw(). Fill it with og_call_options_init()
 * and set what you need; a struct with another version is refused
 * (OG_E_ARG), so fields can be added later without breaking callers.
 * Passing NULL instead of options means "all defaults". Nothing is kept
 * after the call: the strings need only live until it returns.
 */
typedef struct og_call_options {
    unsigned int version;           /**< OG_CALL_OPTIONS_VERSION */
    /** Sends this user_access_token instead of the client's tenant token
     * (for endpoints that act as a user). The client cannot refresh it: a
     * rejected token fails the call with OG_E_AUTH. */
    const char *user_access_token;
    /** Store apps (商店应用, og_client_set_store_app()): the tenant
     * whose tenant_access_token the call uses. Required with store-app
     * credentials, refused (OG_E_ARG) with any other. */
    const char *tenant_key;
    /** Extra request headers, sent after the client's own. Refused with
     * OG_E_ARG: a name that is not an HTTP token, a value with CR,
     * LF or another control character (header injection), and the names
     * Authorization, Host, Content-Length and Transfer-Encoding, which only
     * the client sets (use user_access_token to change the credentials). */
    const og_header_t *headers;
    size_t header_count;            /**< entries in headers (at most 64) */
    /** Time limit of each attempt of this call in ms, replacing the
     * client's timeout_ms; 0 keeps the client's. */
    long timeout_ms;
    /** When not NULL, receives the last response as it arrived (body,
     * status, log id), whether the call succeeded or not: the way to see
     * what the server said when its answer cannot be decoded. */
    og_raw_response_t *raw;
    /** Treats this call as safe to repeat (a POST that only reads), so it
     * is retried on timeouts and 5xx like a GET. It never makes a call less
     * safe: calls that are retry-safe already stay so. */
    bool retry_safe;
} og_call_options_t;

/** Fills *opts with the defaults: nothing set, version current. */
void og_call_options_init(og_call_options_t *opts);

/* ---- downloads ----------------------------------------------------------- */

/** Receives the next `size` bytes of a download (size > 0). Return 0 to go
 * on; anything else stops the download, which then fails with
 * OG_E_IO. */
typedef int (*og_write_fn)(void *user, const void *data, size_t size);

/**
 * Where an endpoint with a binary response (a download) puts the bytes, and
 * what it learnt about them. Zero-initialise it, set exactly one of `path`,
 * `file` or `write`, and pass it to the endpoint function. Everything set
 * by the caller is borrowed for the duration of the call.
 *
 * - `path`: the bytes go to a new temporary file next to it
 *   (`path` + ".XXXXXX", mode 0600), which is renamed to `path` (replacing
 *   it) only when the whole body has arrived; on any failure the temporary
 *   file is removed and `path` is untouched. A retry starts the file over.
 * - `file`: the bytes are written to this open stream (not closed). Once any
 *   byte has been written, a failure is not retried; the stream may then
 *   hold a partial body.
 * - `write`: called with each piece in order; same retry rule as `file`.
 *
 * When the server answers with a JSON envelope instead of bytes (an error,
 * `code` != 0), nothing reaches the sink and the call fails with the typed
 * error (OG_E_API with api_code, api_msg and log_id, or E_AUTH,
 * E_RATE_LIMITED ...), exactly as JSON endpoints do.
 */
typedef struct og_download {
    const char *path;          /**< file to create (see above), or NULL */
    FILE *file;                /**< open stream to append to, or NULL */
    og_write_fn write; /**< callback, or NULL */
    void *write_user;          /**< passed to write */
    /** Larger bodies fail with OG_E_TOO_LARGE; 0 means the client's
     * max_response_bytes. May be larger than that option. */
    size_t max_bytes;
    /* ---- filled by the call ---- */
    size_t size;               /**< bytes delivered */
    /** The filename of the response's Content-Disposition header (RFC 6266:
     * `filename*=UTF-8''...` preferred over `filename=`), as UTF-8 with
     * control characters replaced by '_'; "" when there is none or it is
     * not valid UTF-8. It comes from the server: NEVER use it as a path as
     * it is. It may contain "/", "..", or name a file you do not want to
     * overwrite; take at most a checked base name of it. */
    char filename[256];
    char content_type[128];    /**< Content-Type of the response, or "" */
} og_download_t;

/* ---- for generated code: the generic call ------------------------------- */

/** One field of a multipart/form-data body: text (`value`) or a file. */
typedef struct og_form_part {
    const char *name;                 /**< form field name (wire name) */
    const char *value;                /**< text value, or NULL */
    const og_file_t *file;    /**< file part, or NULL */
} og_form_part_t;


/** One query parameter; a NULL value means "not set", so it is not sent. */
typedef struct og_query_param {
    const char *name;
    const char *value;
} og_query_param_t;

/** One more window of an endpoint's rate limit: count calls per period_ms. */
typedef struct og_rt_rate {
    long count;
    long period_ms;
} og_rt_rate_t;

/** One API call, described by the generated endpoint function. */
typedef struct og_rt_call {
    const char *endpoint;      /**< "submit_probation": for logs and the rate limiter */
    const char *method;        /**< "GET", "POST", "PUT", "PATCH" or "DELETE" */
    const char *path;          /**< expanded and percent-encoded, starts with "/open-apis/" */
    const og_query_param_t *query; /**< raw values; percent-encoded here */
    size_t query_count;
    const char *body;          /**< JSON text, or NULL for no body */
    /** A multipart/form-data body instead of `body`: parts whose value is
     * NULL and whose file is unset are left out. */
    const og_form_part_t *form;
    size_t form_count;
    /** A binary response: the bytes go to this sink, filled on success;
     * data_out must then be NULL. */
    og_download_t *download;
    long rate_count;           /**< the spec's rate limit: rate_count calls ... */
    long rate_period_ms;       /**< ... per rate_period_ms; 0 = no limit */
    bool retry_safe;           /**< idempotent method, idempotency key present,
                                    or a POST marked `retry_safe` in the spec */
    const og_call_options_t *options; /**< the caller's, or NULL */
    /** Further windows of the rate limit ("1000 per minute and 50 per
     * second"): every one is enforced, as well as rate_count. */
    const og_rt_rate_t *rate_more;
    size_t rate_more_count;
    /** Typed data wanted: when a successful envelope reads in one pass
     * straight into a struct of this type (og_rt_quick_parse), the struct
     * goes to *typed_data and data_out gets NULL; otherwise *typed_data
     * stays NULL and data_out gets the tree as usual. */
    const og_rt_type *data_type;
    void **typed_data;
} og_rt_call_t;

/**
 * Sends one call (with authentication, rate limiting and retries) and
 * unwraps the {code, msg, data} envelope.
 *
 * @param data_out on success, the detached `data` member, or NULL when the
 *        envelope has none (or null); the caller cJSON_Delete()s it. NULL on
 *        failure.
 * @return 0 or, with err filled (http_status, log_id, attempts whenever
 *         known; attempts counts the HTTP requests of this call, including
 *         the repeat after a token refresh but not token fetches, except
 *         that a failed token fetch reports its own):
 *   - OG_E_ARG: bad call description, call options or client state
 *   - OG_E_TRANSPORT (err->curl_code), OG_E_TIMEOUT
 *   - OG_E_HTTP: a redirect (never followed) or an unexpected status
 *     with an empty body
 *   - OG_E_JSON / OG_E_UTF8: a body that looks like JSON but
 *     does not parse; OG_E_ENVELOPE: any other body that is not a
 *     {code, msg, data} object (such as an HTML error page)
 *   - OG_E_API: code != 0 (err->api_code, err->api_msg)
 *   - OG_E_AUTH: no credentials, the token could not be fetched, or
 *     the server rejected the token (after one refresh, with credentials)
 *   - OG_E_APP_TICKET: a store app has no app_ticket yet, or the
 *     server refused it
 *   - OG_E_RATE_LIMITED: HTTP 429 or code 99991400 after retries
 *   - OG_E_TOO_LARGE: the body exceeded max_response_bytes (or the
 *     download's max_bytes)
 *   - OG_E_IO: an upload file cannot be read, or a download cannot
 *     be written (or its callback stopped it)
 *   - OG_E_NOMEM
 *
 * Retries: connection errors, timeouts, 5xx, 429 and code 99991400 are
 * retried up to max_retries times with exponential backoff and jitter, or
 * after Retry-After / x-ogw-ratelimit-reset seconds when the server sends
 * them. A call that is not retry_safe is retried only when the request
 * certainly was not processed: the connection failed before anything was
 * sent, or the server refused it as rate limited. A download into a `file`
 * or `write` sink is not retried once a byte has been delivered (a
 * truncated body fails with E_TRANSPORT); a `path` sink restarts its
 * temporary file instead.
 */
int og_rt_http_call(og_client_t *c,
                            const og_rt_call_t *call,
                            cJSON **data_out, og_error_t *err);

/**
 * Internal: what og_rt_http_call() does with the body of a 200
 * response once the transfer is over (parse, check the {code, msg, data}
 * envelope and its code, hand over `data`), on bytes the caller holds.
 * bench/codec times the response path through it (see
 * PREFIX_rt_read_response() in the bundle's PREFIX_api.h); it must stay the
 * same code as the call's.
 *
 * @param endpoint  the endpoint's name, for error messages
 * @param data_type with typed: the quick path (see og_rt_call_t), or NULL
 * @param data_out  on success the envelope's `data` (NULL when it has none
 *                  or it is null, or when *typed got it), freed by the
 *                  caller with cJSON_Delete()
 * @return 0 or a negative og_errc, with err filled as by a call
 */
int og_rt_read_body(const char *endpoint, const char *body, size_t len,
                    const og_rt_type *data_type, void **typed,
                    cJSON **data_out, og_error_t *err);

/* ---- raw calls ------------------------------------------------------------ */

/**
 * Calls an endpoint that no spec covers yet, with everything a generated
 * endpoint function has: authentication (tenant token, app credentials,
 * store app, or opts->user_access_token), retries, the {code, msg, data}
 * envelope and the error struct. There is no client-side rate limit (no
 * spec states one); 429 and code 99991400 are retried as for every call.
 * GET, PUT and DELETE are retried as idempotent; POST and PATCH only when
 * the request surely was not processed, or with opts->retry_safe.
 *
 *     cJSON *data;
 *     const og_query_param_t q[] = { { "user_id_type", "open_id" } };
 *     rc = og_call_raw(c, "POST", "/open-apis/corehr/v2/employees/search",
 *                             q, 1, "{"employment_status":"hired"}", NULL,
 *                             &data, &err);
 *
 * @param method     "GET", "POST", "PUT", "PATCH" or "DELETE"
 * @param path       below the host, starting with "/open-apis/", already
 *                   percent-encoded, without query or dot segments
 * @param query      query parameters (values percent-encoded here; a NULL
 *                   value is left out), or NULL when query_count is 0
 * @param body_json  the JSON body, or NULL for none; checked to be JSON
 *                   before anything is sent (OG_E_JSON otherwise)
 * @param opts       per-call options, or NULL
 * @param data_out   on success the envelope's `data` (NULL when it has none),
 *                   freed by the caller with cJSON_Delete(); may be NULL
 * @return 0 or a negative og_errc, as og_rt_http_call()
 */
int og_call_raw(og_client_t *c, const char *method, const char *path,
                        const og_query_param_t *query, size_t query_count,
                        const char *body_json, const og_call_options_t *opts,
                        cJSON **data_out, og_error_t *err);

/* ---- for generated code: paths ------------------------------------------ */

/** Longest path a og_rt_path_t holds, NUL included. */
#define OG_RT_PATH_MAX 2048

/**
 * A request path under construction, on the stack: zero-initialise it, then
 * append literals and segments. Errors are sticky: after the first failure
 * every append returns the same code, so a chain of appends can be checked
 * once at the end.
 */
typedef struct og_rt_path {
    char buf[OG_RT_PATH_MAX];  /**< the path so far, NUL-terminated */
    size_t len;
    int rc;                    /**< first failure, or 0 */
    const char *why;           /**< static text of the first failure, or NULL */
} og_rt_path_t;

/** Appends template text ("/open-apis/corehr/v2/probation/") verbatim. It
 * must already be a valid path: no '?', '#', '%', spaces or control
 * characters. Returns 0 or OG_E_ARG. */
int og_rt_path_append(og_rt_path_t *p, const char *literal);
/** Appends a path parameter as exactly one segment: every byte but the RFC
 * 3986 unreserved characters is percent-encoded ("a/b" -> "a%2Fb"), so a
 * value cannot change which resource is addressed. NULL, "", "." and ".."
 * are refused. Returns 0 or OG_E_ARG. */
int og_rt_path_segment(og_rt_path_t *p, const char *value);

/* ---- for generated code: idempotency keys -------------------------------- */

/** Writes a random RFC 4122 version 4 UUID ("xxxxxxxx-xxxx-4xxx-yxxx-
 * xxxxxxxxxxxx", lower case, NUL-terminated) from /dev/urandom.
 * Returns 0 or OG_E_TRANSPORT when no randomness is available. */
int og_rt_uuid4(char out[37]);

/* ---- for generated code: query strings ----------------------------------- */

/** The query parameters of one call, in order, built by the endpoint
 * function: an array parameter adds one entry per item (`?ids=a&ids=b`).
 * Numbers and booleans are formatted into memory the builder owns; string
 * values are borrowed. After a failure every add does nothing and `rc` is
 * OG_E_NOMEM (or OG_E_RANGE for a float that is not finite). Zero-initialise; free with
 * og_rt_query_free. */
typedef struct og_rt_query {
    og_query_param_t *items;
    size_t count, cap;
    char **texts;           /**< formatted values, owned */
    size_t text_count, text_cap;
    int rc;                 /**< 0, or the first failure */
} og_rt_query_t;

/** Adds name=value; a NULL value adds nothing (not set). */
void og_rt_query_add(og_rt_query_t *q, const char *name, const char *value);
/** Scalars: added when `has`; floats as og_rt_format_double writes
 * them (the shortest text that reads back exactly), booleans as true/false. */
void og_rt_query_add_int64(og_rt_query_t *q, const char *name, bool has, int64_t v);
void og_rt_query_add_float(og_rt_query_t *q, const char *name, bool has, double v);
void og_rt_query_add_bool(og_rt_query_t *q, const char *name, bool has, bool v);
/** Arrays: one name=item per item (a NULL string item is skipped: the
 * validator refuses it before anything is sent). */
void og_rt_query_add_strings(og_rt_query_t *q, const char *name,
                                     char *const *items, size_t count);
void og_rt_query_add_int32s(og_rt_query_t *q, const char *name,
                                    const int32_t *items, size_t count);
void og_rt_query_add_int64s(og_rt_query_t *q, const char *name,
                                    const int64_t *items, size_t count);
void og_rt_query_add_bools(og_rt_query_t *q, const char *name,
                                   const bool *items, size_t count);
/** Frees what the builder owns and zeroes it (NULL-safe). */
void og_rt_query_free(og_rt_query_t *q);

/* ---- for generated code: endpoints --------------------------------------- */

/* Each generated endpoint is a constant og_rt_endpoint: where the parts of
 * its request struct are and their descriptors, its path template, how the
 * body goes and the response comes back, its rate limits and paging. Its
 * public functions (X, X_with, X_request_validate, X_pages_*, X_all*) are
 * one call each into the functions below, which do what every endpoint
 * function did: validate, build the path and the query, write the body, call,
 * read `data`. */

/** How the request body is sent. */
typedef enum og_rt_body_kind {
    OG_RT_BODY_NONE,
    OG_RT_BODY_JSON,    /**< the body part printed as JSON */
    OG_RT_BODY_FORM     /**< multipart/form-data: files and scalar fields */
} og_rt_body_kind;

/** How the response is handed over. */
typedef enum og_rt_response_kind {
    OG_RT_RESPONSE_TYPED,   /**< `data` read into a struct of data_type */
    OG_RT_RESPONSE_OPAQUE,  /**< `data` as the cJSON the server sent */
    OG_RT_RESPONSE_BINARY   /**< the bytes, into an og_download_t */
} og_rt_response_kind;

/** Where a paginated endpoint keeps its paging fields (offsets). */
typedef struct og_rt_pagination {
    uint32_t token;          /**< in the request: the page token (char *),
                                  a member of its query or body part */
    uint32_t next_token;     /**< in the data: the next page's token (char *) */
    uint32_t has_more;       /**< in the data: has_more (bool) ... */
    uint32_t has_more_flag;  /**< ... and its has_ flag */
    uint32_t items;          /**< in the data: the items, an array field of data_type */
} og_rt_pagination;

/** One endpoint, as the generated code describes it. */
typedef struct og_rt_endpoint {
    const char *name;        /**< "submit_probation": logs, errors, rate limiter */
    const char *method;      /**< "GET", "POST", ... */
    /** The path template: "/open-apis/x/:id/y", each ":name" up to the next
     * '/' being the path parameter (string field of path_type) of that wire
     * name, sent as one percent-encoded segment. */
    const char *path;
    /* the request struct: size and its parts (type NULL: no such part) */
    size_t request_size;
    const og_rt_type *path_type, *query_type, *body_type;
    uint32_t path_offset, query_offset, body_offset;
    const og_rt_type *data_type;     /**< with OG_RT_RESPONSE_TYPED */
    /** Wire name of the query field sent as the idempotency key (a fresh
     * UUID when the caller left it empty), or NULL. */
    const char *idempotency_key;
    long rate_count, rate_period_ms; /**< as in og_rt_call_t */
    const og_rt_rate_t *rate_more;
    size_t rate_more_count;
    const og_rt_pagination *pages;   /**< NULL: not paginated */
    uint8_t body;                    /**< og_rt_body_kind */
    uint8_t response;                /**< og_rt_response_kind */
    bool retry_safe;                 /**< as in og_rt_call_t */
} og_rt_endpoint;

/** X_request_validate: every rule of the request's parts, with paths
 * prefixed "/path", "/query" or "/body", and each string path parameter
 * checked to make one segment. Returns how many violations were added to
 * *out, or a negative og_errc. */
int og_rt_request_validate(const og_rt_endpoint *ep, const void *req,
                           og_violations_t *out);

/** Turns the result of a validation (n violations in *v, or a negative
 * code) into one error: code and path of the first violation, and a
 * message listing them ("/a is required; /b must be ...") as many as fit,
 * then "(and N more)". Frees *v. Returns 0 when n is 0, OG_E_INVALID, or n
 * (negative). */
int og_rt_report_violations(int n, og_violations_t *v, og_error_t *err);

/** Expands the path template with the request's path parameters into *p
 * (zero-initialised by the caller); errors are sticky in p->rc / p->why. */
void og_rt_endpoint_path(const og_rt_endpoint *ep, const void *req,
                         og_rt_path_t *p);

/** Adds the request's set query fields to *q (zero-initialised by the
 * caller) in field order; array fields add one name=item per item. The
 * idempotency key field, when empty, is sent as `key` (a UUID the caller
 * made). Errors are sticky in q->rc. */
void og_rt_endpoint_query(const og_rt_endpoint *ep, const void *req,
                          const char *key, og_rt_query_t *q);

/** The form of a multipart body: one part per field of body_type, in field
 * order (files as file parts, strings as is, set numbers and booleans
 * formatted as they are in a query). Returns the parts, `*count` of them,
 * freed by the caller with free(), or NULL when memory ran out. */
og_form_part_t *og_rt_endpoint_form(const og_rt_endpoint *ep, const void *req,
                                    size_t *count);

/** X_with (X is this with opts NULL): validate, build, send, read. `out` is
 * a `T_data_t **` (typed), a `cJSON **` (opaque) or an og_download_t *
 * (binary). */
int og_rt_endpoint_call(const og_rt_endpoint *ep, og_client_t *c,
                        const void *req, const og_call_options_t *opts,
                        void *out, og_error_t *err);

/** Reads a response's `data` (NULL: an empty object) into a new struct of
 * `type`, naming error paths from /data ("endpoint: response /data/x: ...").
 * err keeps what the transport learnt (HTTP status, log id, attempts). */
int og_rt_read_data(const char *endpoint, const og_rt_type *type,
                    const cJSON *data, void **out, og_error_t *err);

/** A page iterator (the generated X_pages_t is one). */
typedef struct og_rt_pages og_rt_pages_t;

/** X_pages_new: validates, copies the request, starts at its token;
 * `*out` is an og_rt_pages_t *. */
int og_rt_pages_new(const og_rt_endpoint *ep, void **out, og_client_t *c,
                    const void *req, og_error_t *err);
/** X_pages_next_with: 1 and a page in *page (a T_data_t **), 0 at the end,
 * or a negative og_errc. */
int og_rt_pages_next(og_rt_pages_t *it, const og_call_options_t *opts,
                     void *page, og_error_t *err);
/** X_pages_free (NULL-safe). */
void og_rt_pages_free(og_rt_pages_t *it);
/** X_all_with: every page's items into one array; *items (a T **) and
 * *count; 0: all read, 1: capped at max_items, negative: failed. */
int og_rt_pages_all(const og_rt_endpoint *ep, og_client_t *c, const void *req,
                    const og_call_options_t *opts, size_t max_items,
                    void *items, size_t *count, og_error_t *err);
/** X_items_free: frees `count` items of the endpoint's items array. */
void og_rt_pages_items_free(const og_rt_endpoint *ep, void *items, size_t count);

#ifdef __cplusplus
}
#endif
#endif
