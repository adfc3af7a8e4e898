/* list_companies.c - page through every company with the generated CoreHR
 * client's page iterator (corehr_get_companies_pages_*).
 *
 *   list_companies [BASE_URL [TENANT_TOKEN [PAGE_SIZE]]]
 *
 * BASE_URL defaults to $FEISHU_BASE_URL, else https://open.feishu.cn;
 * TENANT_TOKEN to $FEISHU_TENANT_ACCESS_TOKEN (required); PAGE_SIZE to 100.
 * Prints one line per company (id, then its first name) and the total, or
 * the typed error (exit status 1).
 */
#include "corehr_api.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "usage: list_companies [BASE_URL [TENANT_TOKEN [PAGE_SIZE]]]\n"
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

/* The company's first name (names come in several languages), else "?". */
static const char *company_name(const corehr_company_get_companies_t *c)
{
    const corehr_hiberarchy_common_get_companies_t *h = c->hiberarchy_common;
    if (h && h->name_count > 0 && h->name[0].value)
        return h->name[0].value;
    return "?";
}

/* Prints the page's companies; returns how many. */
static size_t print_page(const corehr_get_companies_data_t *page)
{
    for (size_t i = 0; i < page->items_count; i++)
        printf("%s\t%s\n", page->items[i].id ? page->items[i].id : "?",
               company_name(&page->items[i]));
    return page->items_count;
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
    const char *page_size = arg_or_env(argc, argv, 3, "FEISHU_PAGE_SIZE", "100");
    if (!token) {
        fprintf(stderr, "list_companies: no tenant access token\n%s", usage);
        return 2;
    }

    corehr_client_options_t opts;
    corehr_client_options_init(&opts);
    opts.base_url = base_url;
    corehr_client_t *client = NULL;
    corehr_get_companies_pages_t *it = NULL;
    corehr_error_t err;
    size_t total = 0, pages = 0;
    int rc = -1;
    if (corehr_global_init() < 0)
        return 1;
    if (corehr_client_new(&client, &opts, &err) < 0 ||
        corehr_client_set_tenant_token(client, token, &err) < 0)
        goto done;

    /* The iterator copies the request and carries each page's page_token
     * into the next request itself; every page it hands over is ours. */
    corehr_get_companies_request_t req = {0};
    req.query.page_size = (char *)page_size;
    corehr_get_companies_data_t *page = NULL;
    rc = corehr_get_companies_pages_new(&it, client, &req, &err);
    /* _pages_next: 1 a page, 0 the end, negative an error; so the loop
     * must not test `rc == 0` again after a page (it would stop there). */
    if (rc == 0)
        while ((rc = corehr_get_companies_pages_next(it, &page, &err)) > 0) {
            total += print_page(page);
            pages++;
            corehr_get_companies_data_free(page);
        }
    if (rc == 0)
        printf("total: %zu companies in %zu pages\n", total, pages);

done:
    if (rc < 0)
        print_error(&err);
    corehr_get_companies_pages_free(it);
    corehr_client_free(client);
    corehr_global_cleanup();
    return rc < 0 ? 1 : 0;
}
