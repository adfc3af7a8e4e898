/* submit_probation.c - submit an employee's probation for conversion with the
 * generated CoreHR client (corehr_submit_probation).
 *
 *   submit_probation [BASE_URL [TENANT_TOKEN [EMPLOYMENT_ID]]]
 *
 * BASE_URL defaults to $FEISHU_BASE_URL, else https://open.feishu.cn;
 * TENANT_TOKEN to $FEISHU_TENANT_ACCESS_TOKEN (required); EMPLOYMENT_ID to
 * the documentation's example. Prints the probation record the server
 * returns, or the typed error (exit status 1).
 */
#include "corehr_api.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "usage: submit_probation [BASE_URL [TENANT_TOKEN [EMPLOYMENT_ID]]]\n"
    "  (or set FEISHU_BASE_URL and FEISHU_TENANT_ACCESS_TOKEN)\n";

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

static void print_result(const corehr_submit_probation_data_t *data)
{
    const corehr_probation_info_for_submit_t *p = data->probation_info;
    if (p)
        printf("submitted: probation %s of employment %s, process %s\n",
               p->probation_id ? p->probation_id : "?",
               p->employment_id ? p->employment_id : "?",
               p->process_id ? p->process_id : "?");
    char *json = corehr_submit_probation_data_print(data);
    if (json)
        printf("%s\n", json);
    cJSON_free(json);
}

int main(int argc, char **argv)
{
    if (argc > 4 || (argc > 1 && argv[1][0] == '-')) {
        fputs(usage, stderr);
        return 2;
    }
    const char *base_url = arg_or_env(argc, argv, 1, "FEISHU_BASE_URL",
                                      COREHR_BASE_URL_FEISHU);
    const char *token = arg_or_env(argc, argv, 2, "FEISHU_TENANT_ACCESS_TOKEN", NULL);
    const char *employment = arg_or_env(argc, argv, 3, "FEISHU_EMPLOYMENT_ID",
                                        "7140964208476371111");
    if (!token) {
        fprintf(stderr, "submit_probation: no tenant access token\n%s", usage);
        return 2;
    }

    corehr_client_options_t opts;
    corehr_client_options_init(&opts);
    opts.base_url = base_url;
    corehr_client_t *client = NULL;
    corehr_error_t err;
    corehr_submit_probation_data_t *data = NULL;
    int rc = -1;
    if (corehr_global_init() < 0)
        return 1;
    if (corehr_client_new(&client, &opts, &err) < 0 ||
        corehr_client_set_tenant_token(client, token, &err) < 0)
        goto done;

    corehr_submit_probation_request_t req = {0};
    req.body.employment_id = (char *)employment;
    req.body.has_conversion_mode = true;
    req.body.conversion_mode = COREHR_CONVERSION_MODE_2;   /* start the conversion process */
    req.body.submission_type = "system";
    rc = corehr_submit_probation(client, &req, &data, &err);
    if (rc == 0)
        print_result(data);

done:
    if (rc < 0)
        print_error(&err);
    corehr_submit_probation_data_free(data);
    corehr_client_free(client);
    corehr_global_cleanup();
    return rc < 0 ? 1 : 0;
}
