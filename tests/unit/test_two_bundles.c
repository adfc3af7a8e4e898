/* test_two_bundles.c - three bundles made by the current generator in one
 * program: corehr (specs/corehr), feat (tests/fixtures/specs/features) and
 * pagetest (tests/fixtures/specs/pages).
 *
 * tests/meson.build links all three libraries whole (every object, used or
 * not), so a global symbol defined by two bundles stops the link; this file
 * includes all their headers in one translation unit, so a clashing macro,
 * type or header guard stops the compile. The tests then call into each
 * bundle and check each answers for itself: its own parse, print, error
 * text and error type. tests/two_bundles_nm.sh checks the same libraries'
 * symbol tables with nm.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "corehr_api.h"
#include "feat_api.h"
#include "pagetest_api.h"

static void corehr_reads_and_prints_its_body(void **state)
{
    static const char text[] = "{\"employment_id\":\"7140964208476371111\",\"conversion_mode\":1}";
    corehr_submit_probation_body_t *b = NULL;
    corehr_error_t err;
    (void)state;

    assert_int_equal(corehr_submit_probation_body_parse(&b, text, strlen(text), &err), 0);
    assert_string_equal(b->employment_id, "7140964208476371111");
    assert_true(b->has_conversion_mode);
    assert_int_equal(b->conversion_mode, 1);
    char *printed = corehr_submit_probation_body_print(b);
    assert_non_null(printed);
    assert_string_equal(printed, text);
    cJSON_free(printed);
    corehr_submit_probation_body_free(b);
}

static void feat_reads_and_prints_its_body(void **state)
{
    static const char text[] = "{\"name\":\"n\",\"attributes\":{\"a\":[1,true]}}";
    feat_save_record_body_t *b = NULL;
    feat_error_t err;
    (void)state;

    assert_int_equal(feat_save_record_body_parse(&b, text, strlen(text), &err), 0);
    assert_string_equal(b->name, "n");
    assert_true(cJSON_IsObject(b->attributes));
    char *printed = feat_save_record_body_print(b);
    assert_non_null(printed);
    assert_string_equal(printed, text);
    cJSON_free(printed);
    feat_save_record_body_free(b);
}

static void pagetest_reads_its_query(void **state)
{
    static const char text[] = "{\"page_size\":20,\"page_token\":\"t\"}";
    pagetest_list_things_query_t *q = NULL;
    pagetest_error_t err;
    (void)state;

    assert_int_equal(pagetest_list_things_query_parse(&q, text, strlen(text), &err), 0);
    assert_true(q->has_page_size);
    assert_int_equal(q->page_size, 20);
    assert_string_equal(q->page_token, "t");
    pagetest_list_things_query_free(q);
}

/* Each bundle's errors are its own: the failing call fills its own error
 * type with its own code, and the error tables agree on the text. */
static void each_bundle_reports_its_own_errors(void **state)
{
    static const char bad[] = "{\"employment_id\": 5}";
    corehr_submit_probation_body_t *c = NULL;
    feat_save_record_body_t *f = NULL;
    corehr_error_t cerr;
    feat_error_t ferr;
    (void)state;

    assert_int_equal(corehr_submit_probation_body_parse(&c, bad, strlen(bad), &cerr),
                     COREHR_E_TYPE);
    assert_null(c);
    assert_string_equal(cerr.path, "/employment_id");
    assert_int_equal(feat_save_record_body_parse(&f, "[", 1, &ferr), FEAT_E_JSON);
    assert_null(f);
    assert_int_equal(COREHR_E_TYPE, FEAT_E_TYPE);
    assert_int_equal(COREHR_E_TYPE, PAGETEST_E_TYPE);
    assert_string_equal(corehr_strerror(COREHR_E_JSON), feat_strerror(FEAT_E_JSON));
    assert_string_equal(feat_strerror(FEAT_E_JSON), pagetest_strerror(PAGETEST_E_JSON));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corehr_reads_and_prints_its_body),
        cmocka_unit_test(feat_reads_and_prints_its_body),
        cmocka_unit_test(pagetest_reads_its_query),
        cmocka_unit_test(each_bundle_reports_its_own_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
