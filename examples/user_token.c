/* user_token.c - call an endpoint as a user, with a user_access_token passed
 * per call (corehr_call_options_t), here corehr_get_compensation_standards_match.
 *
 *   user_token [BASE_URL [USER_TOKEN [REFERENCE_OBJECT_ID [EMPLOYMENT_ID]]]]
 *
 * BASE_URL defaults to $FEISHU_BASE_URL, else https://open.feishu.cn;
 * USER_TOKEN to $FEISHU_USER_ACCESS_TOKEN (required); the ids to the
 * documentation's examples. Prints the matching compensation standard, or
 * the typed error (exit status 1).
 */
#include "corehr_api.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "usage: user_token [BASE_URL [USER_TOKEN [REFERENCE_OBJECT_ID [EMPLOYMENT_ID]]]]\n"
    "  (or set FEISHU_BASE_URL and FEISHU_USER_ACCESS_TOKEN)\n";

/* The argument at i, else the environment variable, else fallback. */
static const char *arg_or_env(int argc, char **argv, int i, const char *env,
                              const char *fallback)
{
    const char *v = i < argc ? argv[i] : getenv(env);
    return v && *v ? v : fallback;
}

/* Every field of corehr_error_t that says something, for support tickets. */
static void print_error(const corehr_error_t *err)
{
    fprintf(stderr, "error: %s: %s\n", corehr_strerror(err->code), err->message);
    if (err->path[0])
        fprintf(stderr, "  at: %s\n", err->path);
    if (err->http_status)
        fprintf(stderr, "  http status: %ld\n", err->http_status);
    if (err->api_code)
        fprintf(stderr, "  feishu code: %ld (%s)\n", err->api_code, err->api_msg);
    if (err->log_id[0])
        fprintf(stderr, "  log id: %s\n", err->log_id);
    if (err->curl_code)
        fprintf(stderr, "  curl code: %d\n", err->curl_code);
}

static void print_result(const corehr_get_compensation_standards_match_data_t *data)
{
    printf("standard: %s, effective %s\n",
           data->standard_id ? data->standard_id : "?",
           data->effective_time ? data->effective_time : "?");
    char *json = corehr_get_compensation_standards_match_data_print(data);
    if (json)
        printf("%s\n", json);
    cJSON_free(json);
}

int main(int argc, char **argv)
{
    if (argc > 5 || (argc > 1 && argv[1][0] == '-')) {
        fputs(usage, stderr);
        return 2;
    }
    const char *base_url = arg_or_env(argc, argv, 1, "FEISHU_BASE_URL",
                                      COREHR_BASE_URL_FEISHU);
    const char *user_token = arg_or_env(argc, argv, 2, "FEISHU_USER_ACCESS_TOKEN", NULL);
    const char *reference = arg_or_env(argc, argv, 3, "FEISHU_REFERENCE_OBJECT_ID",
                                       "7156853394442044972");
    const char *employment = arg_or_env(argc, argv, 4, "FEISHU_EMPLOYMENT_ID",
                                        "7124293751317038636");
    if (!user_token) {
        fprintf(stderr, "user_token: no user access token\n%s", usage);
        return 2;
    }

    /* No tenant credentials at all: this client only makes calls as a user. */
    corehr_client_options_t opts;
    corehr_client_options_init(&opts);
    opts.base_url = base_url;
    corehr_client_t *client = NULL;
    corehr_error_t err;
    corehr_get_compensation_standards_match_data_t *data = NULL;
    int rc = -1;
    if (corehr_global_init() < 0)
        return 1;
    if (corehr_client_new(&client, &opts, &err) < 0)
        goto done;

    corehr_get_compensation_standards_match_request_t req = {0};
    req.query.reference_object_api = "cpst_item";
    req.query.reference_object_id = (char *)reference;
    req.query.employment_id = (char *)employment;
    /* The user's token goes with this call only; it is not kept. */
    corehr_call_options_t call;
    corehr_call_options_init(&call);
    call.user_access_token = user_token;
    rc = corehr_get_compensation_standards_match_with(client, &req, &call, &data, &err);
    if (rc == 0)
        print_result(data);

done:
    if (rc < 0)
        print_error(&err);
    corehr_get_compensation_standards_match_data_free(data);
    corehr_client_free(client);
    corehr_global_cleanup();
    return rc < 0 ? 1 : 0;
}
