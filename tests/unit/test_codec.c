/* test_codec.c - the generated structs: every doc example round-trips, every
 * validation rule has a passing and a failing case, malformed JSON gets the
 * right typed error with its path.
 *
 * Examples come from the specs (loaded with the generator's own loader), so
 * the test follows the documentation pages the specs were made from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "corehr_api.h"
#include "oapigen.h"

static og_set *specs;

static int load_specs(void **state)
{
    (void)state;
    const char *root = getenv("OAPIGEN_SOURCE_ROOT");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/specs/corehr", root ? root : ".");
    char *paths[] = {dir};
    specs = og_set_new();
    og_load_paths(specs, paths, 1);
    og_model_check(specs);
    return specs->diag.errors ? -1 : 0;
}

static int free_specs(void **state)
{
    (void)state;
    og_set_free(specs);
    return 0;
}

static const og_endpoint *endpoint(const char *name)
{
    for (size_t i = 0; i < specs->endpoint_count; i++)
        if (!strcmp(specs->endpoints[i]->name, name))
            return specs->endpoints[i];
    fail_msg("no endpoint %s", name);
    return NULL;
}

static void assert_json_equal(const cJSON *want, const cJSON *got)
{
    if (!cJSON_Compare(want, got, true)) {
        char *a = cJSON_PrintUnformatted(want), *b = cJSON_PrintUnformatted(got);
        print_error("want %s\n got %s\n", a, b);
        cJSON_free(a);
        cJSON_free(b);
        fail();
    }
}

/* ---- every example of the four pages round-trips ------------------------ */

/* Request example: parse the body, print it, compare as JSON. */
#define REQUEST_ROUND_TRIP(ep)                                                \
    static void ep##_request_example_round_trips(void **state)               \
    {                                                                         \
        (void)state;                                                          \
        const char *text = endpoint(#ep)->request_example;                    \
        assert_non_null(text);                                                \
        corehr_##ep##_body_t *body = NULL;                                    \
        corehr_error_t err;                                                   \
        assert_int_equal(corehr_##ep##_body_parse(&body, text, strlen(text),  \
                                                  &err), 0);                  \
        corehr_violations_t v = {0};                                          \
        assert_int_equal(corehr_##ep##_body_validate(body, &v), 0);           \
        cJSON *got = NULL, *want = cJSON_Parse(text);                         \
        assert_int_equal(corehr_##ep##_body_to_json(body, &got), 0);          \
        assert_json_equal(want, got);                                         \
        cJSON_Delete(want);                                                   \
        cJSON_Delete(got);                                                    \
        corehr_violations_free(&v);                                           \
        corehr_##ep##_body_free(body);                                        \
    }

/* Response example: read `data` of the envelope, write it back, compare. */
#define RESPONSE_ROUND_TRIP(ep)                                               \
    static void ep##_response_example_round_trips(void **state)              \
    {                                                                         \
        (void)state;                                                          \
        cJSON *envelope = cJSON_Parse(endpoint(#ep)->response_example);       \
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(envelope, "data"); \
        assert_non_null(want);                                                \
        corehr_##ep##_data_t *data = NULL;                                    \
        corehr_error_t err;                                                   \
        assert_int_equal(corehr_##ep##_data_from_json(&data, want, &err), 0); \
        cJSON *got = NULL;                                                    \
        assert_int_equal(corehr_##ep##_data_to_json(data, &got), 0);          \
        assert_json_equal(want, got);                                         \
        cJSON_Delete(got);                                                    \
        cJSON_Delete(envelope);                                               \
        corehr_##ep##_data_free(data);                                        \
    }

REQUEST_ROUND_TRIP(patch_probation_assessment)
REQUEST_ROUND_TRIP(create_probation_assessments)
REQUEST_ROUND_TRIP(submit_probation)
REQUEST_ROUND_TRIP(patch_international_assignment)
RESPONSE_ROUND_TRIP(patch_probation_assessment)
RESPONSE_ROUND_TRIP(create_probation_assessments)
RESPONSE_ROUND_TRIP(submit_probation)
RESPONSE_ROUND_TRIP(patch_international_assignment)

static void response_example_values_are_typed(void **state)
{
    (void)state;
    cJSON *envelope = cJSON_Parse(endpoint("submit_probation")->response_example);
    corehr_submit_probation_data_t *data = NULL;
    assert_int_equal(corehr_submit_probation_data_from_json(
                         &data, cJSON_GetObjectItem(envelope, "data"), NULL), 0);
    const corehr_probation_info_for_submit_t *p = data->probation_info;
    assert_string_equal(p->employment_id, "6893014062142064135");
    assert_true(p->has_converted_via_bpm);
    assert_false(p->converted_via_bpm);
    assert_true(p->has_final_assessment_score);
    assert_true(p->final_assessment_score > 99.89 && p->final_assessment_score < 99.91);
    assert_int_equal(p->custom_fields_count, 1);
    assert_string_equal(p->custom_fields[0].name->zh_cn, "自定义姓名");
    assert_int_equal(p->custom_fields[0].type, 1);
    assert_int_equal(p->submission_type->display_count, 1);
    assert_string_equal(p->submission_type->display[0].lang, "zh-CN");
    corehr_submit_probation_data_free(data);
    cJSON_Delete(envelope);
}

/* ---- validation: each rule passes and fails ---------------------------- */

/* Validates `json` as a body of `ep` and returns the violations. */
#define VALIDATE_BODY(ep, json, v)                                            \
    do {                                                                      \
        corehr_##ep##_body_t *b_ = NULL;                                      \
        corehr_error_t e_;                                                    \
        const char *t_ = (json);                                              \
        assert_int_equal(corehr_##ep##_body_parse(&b_, t_, strlen(t_), &e_), 0); \
        assert_true(corehr_##ep##_body_validate(b_, (v)) >= 0);               \
        corehr_##ep##_body_free(b_);                                          \
    } while (0)

static void expect_only(corehr_violations_t *v, const char *path,
                        const char *message)
{
    if (v->count != 1 || strcmp(v->items[0].path, path) ||
        strcmp(v->items[0].message, message)) {
        for (size_t i = 0; i < v->count; i++)
            print_error("violation %s: %s\n", v->items[i].path, v->items[i].message);
        fail_msg("expected exactly '%s: %s'", path, message);
    }
    corehr_violations_free(v);
}

static void expect_none(corehr_violations_t *v)
{
    for (size_t i = 0; i < v->count; i++)
        print_error("violation %s: %s\n", v->items[i].path, v->items[i].message);
    assert_int_equal(v->count, 0);
    corehr_violations_free(v);
}

#define SUBMIT(extra)                                                         \
    "{\"employment_id\":\"1\",\"conversion_mode\":2,"                        \
    "\"submission_type\":\"system\"" extra "}"

static void required_field_missing_is_reported(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(submit_probation, "{\"conversion_mode\":2,\"submission_type\":\"system\"}", &v);
    expect_only(&v, "/employment_id", "is required");
    VALIDATE_BODY(submit_probation, SUBMIT(""), &v);
    expect_none(&v);
}

static void required_bool_missing_is_reported(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(patch_probation_assessment, "{\"assessment_status\":\"completed\"}", &v);
    expect_only(&v, "/is_final_asssessment", "is required");
    VALIDATE_BODY(patch_probation_assessment,
                  "{\"assessment_status\":\"completed\",\"is_final_asssessment\":true}", &v);
    expect_none(&v);
}

static void string_enum_membership_is_checked(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(patch_probation_assessment,
                  "{\"assessment_status\":\"done\",\"is_final_asssessment\":true}", &v);
    expect_only(&v, "/assessment_status",
                "must be one of: not_started, in_process, completed, no_need");
}

static void integer_enum_membership_is_checked(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(submit_probation,
                  "{\"employment_id\":\"1\",\"conversion_mode\":3,\"submission_type\":\"system\"}", &v);
    expect_only(&v, "/conversion_mode", "must be one of: 1, 2");
}

static void value_range_is_checked(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(patch_international_assignment, "{\"weekly_working_hours_v2\":168}", &v);
    expect_none(&v);
    VALIDATE_BODY(patch_international_assignment, "{\"weekly_working_hours_v2\":0}", &v);
    expect_none(&v);
    VALIDATE_BODY(patch_international_assignment, "{\"weekly_working_hours_v2\":168.5}", &v);
    expect_only(&v, "/weekly_working_hours_v2", "must be between 0 and 168");
    VALIDATE_BODY(patch_international_assignment, "{\"weekly_working_hours_v2\":-1}", &v);
    expect_only(&v, "/weekly_working_hours_v2", "must be between 0 and 168");
}

/* Builds {"KEY":"<n copies of unit>"}. */
static char *string_body(const char *key, const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = malloc(strlen(key) + u * n + 16);
    if (!s)
        abort();
    char *p = s + sprintf(s, "{\"%s\":\"", key);
    for (size_t i = 0; i < n; i++, p += u)
        memcpy(p, unit, u);
    strcpy(p, "\"}");
    return s;
}

static void string_length_counts_characters(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    /* 5000 CJK characters are 15000 bytes and still within 0-5000. */
    char *ok = string_body("international_assignment_reason", "派", 5000);
    VALIDATE_BODY(patch_international_assignment, ok, &v);
    expect_none(&v);
    char *bad = string_body("international_assignment_reason", "派", 5001);
    VALIDATE_BODY(patch_international_assignment, bad, &v);
    expect_only(&v, "/international_assignment_reason",
                "must be at most 5000 characters (has 5001)");
    free(ok);
    free(bad);
    char *desc = string_body("description", "a", 10001);
    VALIDATE_BODY(patch_international_assignment, desc, &v);
    expect_only(&v, "/description", "must be at most 10000 characters (has 10001)");
    free(desc);
}

static void array_length_is_checked(void **state)
{
    (void)state;
    for (size_t n = 180; n <= 181; n++) {
        char *json = malloc(40 * n + 64);
        if (!json)
            abort();
        char *p = json + sprintf(json, "{\"custom_fields\":[");
        for (size_t i = 0; i < n; i++)
            p += sprintf(p, "%s{\"field_name\":\"f\",\"value\":\"1\"}", i ? "," : "");
        strcpy(p, "]}");
        corehr_violations_t v = {0};
        VALIDATE_BODY(patch_international_assignment, json, &v);
        if (n == 180)
            expect_none(&v);
        else
            expect_only(&v, "/custom_fields", "must have at most 180 items (has 181)");
        free(json);
    }
}

static void dates_must_exist(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(patch_international_assignment, "{\"effective_time\":\"2024-02-29\"}", &v);
    expect_none(&v);
    VALIDATE_BODY(patch_international_assignment, "{\"effective_time\":\"2023-02-29\"}", &v);
    expect_only(&v, "/effective_time", "must be a date YYYY-MM-DD that exists");
    VALIDATE_BODY(patch_international_assignment, "{\"expiration_time\":\"2024-1-02\"}", &v);
    expect_only(&v, "/expiration_time", "must be a date YYYY-MM-DD that exists");
    VALIDATE_BODY(submit_probation, SUBMIT(",\"actual_probation_end_date\":\"2022-13-01\""), &v);
    expect_only(&v, "/actual_probation_end_date", "must be a date YYYY-MM-DD that exists");
}

static void omitted_but_not_empty(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(patch_international_assignment, "{}", &v);
    expect_none(&v);
    VALIDATE_BODY(patch_international_assignment, "{\"work_location_id\":\"\"}", &v);
    expect_only(&v, "/work_location_id", "must not be empty");
}

static void notes_required_for_direct_conversion(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(submit_probation,
                  "{\"employment_id\":\"1\",\"conversion_mode\":1,\"submission_type\":\"system\"}", &v);
    expect_only(&v, "/notes", "is required when conversion_mode is 1");
    VALIDATE_BODY(submit_probation,
                  "{\"employment_id\":\"1\",\"conversion_mode\":1,\"submission_type\":\"system\","
                  "\"notes\":\"ok\"}", &v);
    expect_none(&v);
}

static void initiator_required_for_hr_submission(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(submit_probation,
                  "{\"employment_id\":\"1\",\"conversion_mode\":2,\"submission_type\":\"hr_submission\"}", &v);
    expect_only(&v, "/initiator_id", "is required when submission_type is hr_submission");
    VALIDATE_BODY(submit_probation,
                  "{\"employment_id\":\"1\",\"conversion_mode\":2,\"submission_type\":\"hr_submission\","
                  "\"initiator_id\":\"7\"}", &v);
    expect_none(&v);
}

static void nested_rules_report_their_path(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(create_probation_assessments,
                  "{\"employment_id\":\"1\",\"assessments\":[{\"assessment_status\":\"completed\","
                  "\"is_final_asssessment\":true},{\"is_final_asssessment\":false}]}", &v);
    expect_only(&v, "/assessments/1/assessment_status", "is required");
    VALIDATE_BODY(submit_probation, SUBMIT(",\"custom_fields\":[{\"custom_api_name\":\"n\"}]"), &v);
    expect_only(&v, "/custom_fields/0/value", "is required");
}

static void every_violation_is_reported(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(submit_probation, "{\"conversion_mode\":9,\"submission_type\":\"x\","
                  "\"actual_probation_end_date\":\"never\"}", &v);
    assert_int_equal(v.count, 4);
    assert_string_equal(v.items[0].path, "/employment_id");
    assert_string_equal(v.items[1].path, "/conversion_mode");
    assert_string_equal(v.items[2].path, "/actual_probation_end_date");
    assert_string_equal(v.items[3].path, "/submission_type");
    corehr_violations_free(&v);
}

static void request_validation_prefixes_parts(void **state)
{
    (void)state;
    corehr_patch_probation_assessment_request_t req = {0};
    req.body.assessment_status = "completed";
    req.body.has_is_final_asssessment = true;
    req.query.client_token = "";
    corehr_violations_t v = {0};
    assert_int_equal(corehr_patch_probation_assessment_request_validate(&req, &v), 1);
    assert_string_equal(v.items[0].path, "/path/assessment_id");
    assert_string_equal(v.items[0].message, "is required");
    corehr_violations_free(&v);
    req.path.assessment_id = "7140964208476371331";
    assert_int_equal(corehr_patch_probation_assessment_request_validate(&req, &v), 0);
    corehr_violations_free(&v);
}

static void client_token_length_is_checked(void **state)
{
    (void)state;
    corehr_patch_international_assignment_query_t q = {0};
    char token[102];
    memset(token, 'k', 101);
    token[101] = '\0';
    q.client_token = token;
    corehr_violations_t v = {0};
    assert_int_equal(corehr_patch_international_assignment_query_validate(&q, &v), 1);
    expect_only(&v, "/client_token", "must be at most 100 characters (has 101)");
    token[100] = '\0';
    assert_int_equal(corehr_patch_international_assignment_query_validate(&q, &v), 0);
    q.client_token = "";
    assert_int_equal(corehr_patch_international_assignment_query_validate(&q, &v), 1);
    expect_only(&v, "/client_token", "must be at least 1 character (has 0)");
}

/* ---- enums keep what the server sends ----------------------------------- */

static void enum_helpers_map_known_and_keep_unknown(void **state)
{
    (void)state;
    assert_int_equal(corehr_user_id_type_from_string("union_id"), COREHR_USER_ID_TYPE_UNION_ID);
    assert_string_equal(corehr_user_id_type_to_string(COREHR_USER_ID_TYPE_PEOPLE_COREHR_ID),
                        "people_corehr_id");
    assert_int_equal(corehr_user_id_type_from_string("brand_new_id"), COREHR_USER_ID_TYPE__UNKNOWN);
    assert_null(corehr_user_id_type_to_string(COREHR_USER_ID_TYPE__UNKNOWN));
    assert_true(corehr_conversion_mode_is_known(COREHR_CONVERSION_MODE_2));
    assert_false(corehr_conversion_mode_is_known(7));
    /* The raw value survives a round trip. */
    const char *json = "{\"assessment_status\":\"paused\",\"is_final_asssessment\":true}";
    corehr_patch_probation_assessment_body_t *b = NULL;
    assert_int_equal(corehr_patch_probation_assessment_body_parse(&b, json, strlen(json), NULL), 0);
    assert_string_equal(b->assessment_status, "paused");
    char *out = corehr_patch_probation_assessment_body_print(b);
    assert_string_equal(out, json);
    cJSON_free(out);
    corehr_patch_probation_assessment_body_free(b);
}

/* ---- malformed input gets a typed error, never a crash ------------------ */

static void parse_expect(const char *json, int code, const char *path)
{
    corehr_submit_probation_data_t *d = (void *)1;
    corehr_error_t err;
    int rc = corehr_submit_probation_data_parse(&d, json, strlen(json), &err);
    if (rc != code || strcmp(err.path, path))
        fail_msg("%s: got %d (%s) at '%s', want %d at '%s'", json, rc,
                 err.message, err.path, code, path);
    assert_null(d);
}

static void wrong_types_report_the_json_path(void **state)
{
    (void)state;
    parse_expect("{\"probation_info\":{\"custom_fields\":[{\"value\":5}]}}",
                 COREHR_E_TYPE, "/probation_info/custom_fields/0/value");
    parse_expect("{\"probation_info\":[]}", COREHR_E_TYPE, "/probation_info");
    parse_expect("{\"probation_info\":{\"converted_via_bpm\":\"yes\"}}",
                 COREHR_E_TYPE, "/probation_info/converted_via_bpm");
    parse_expect("{\"probation_info\":{\"custom_fields\":{}}}",
                 COREHR_E_TYPE, "/probation_info/custom_fields");
    parse_expect("[]", COREHR_E_TYPE, "");
}

static void numbers_out_of_range_are_refused(void **state)
{
    (void)state;
    parse_expect("{\"probation_info\":{\"custom_fields\":[{\"type\":1e300}]}}",
                 COREHR_E_RANGE, "/probation_info/custom_fields/0/type");
    parse_expect("{\"probation_info\":{\"custom_fields\":[{\"type\":1.5}]}}",
                 COREHR_E_RANGE, "/probation_info/custom_fields/0/type");
}

static void malformed_json_is_refused(void **state)
{
    (void)state;
    parse_expect("{\"probation_info\":", COREHR_E_JSON, "");
    parse_expect("", COREHR_E_JSON, "");
    parse_expect("{\"probation_info\":{\"notes\":\"\xff\"}}", COREHR_E_UTF8, "");
}

static void nulls_and_unknown_fields_are_tolerated(void **state)
{
    (void)state;
    const char *json = "{\"probation_info\":{\"notes\":null,\"brand_new\":{\"x\":[1,2]},"
                       "\"final_assessment_score\":99}}";
    corehr_submit_probation_data_t *d = NULL;
    assert_int_equal(corehr_submit_probation_data_parse(&d, json, strlen(json), NULL), 0);
    assert_null(d->probation_info->notes);
    assert_true(d->probation_info->has_final_assessment_score);
    assert_true(d->probation_info->final_assessment_score == 99.0);
    corehr_submit_probation_data_free(d);
}

static void deep_nesting_is_refused(void **state)
{
    (void)state;
    size_t depth = 5000;
    char *json = malloc(2 * depth + 64);
    if (!json)
        abort();
    char *p = json + sprintf(json, "{\"probation_info\":{\"custom_fields\":");
    for (size_t i = 0; i < depth; i++)
        *p++ = '[';
    for (size_t i = 0; i < depth; i++)
        *p++ = ']';
    strcpy(p, "}}");
    corehr_submit_probation_data_t *d = NULL;
    corehr_error_t err;
    int rc = corehr_submit_probation_data_parse(&d, json, strlen(json), &err);
    assert_true(rc == COREHR_E_DEPTH || rc == COREHR_E_JSON);
    assert_null(d);
    free(json);
}

static void free_functions_are_null_safe(void **state)
{
    (void)state;
    corehr_submit_probation_data_free(NULL);
    corehr_i18n_clear(NULL);
    corehr_violations_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(patch_probation_assessment_request_example_round_trips),
        cmocka_unit_test(create_probation_assessments_request_example_round_trips),
        cmocka_unit_test(submit_probation_request_example_round_trips),
        cmocka_unit_test(patch_international_assignment_request_example_round_trips),
        cmocka_unit_test(patch_probation_assessment_response_example_round_trips),
        cmocka_unit_test(create_probation_assessments_response_example_round_trips),
        cmocka_unit_test(submit_probation_response_example_round_trips),
        cmocka_unit_test(patch_international_assignment_response_example_round_trips),
        cmocka_unit_test(response_example_values_are_typed),
        cmocka_unit_test(required_field_missing_is_reported),
        cmocka_unit_test(required_bool_missing_is_reported),
        cmocka_unit_test(string_enum_membership_is_checked),
        cmocka_unit_test(integer_enum_membership_is_checked),
        cmocka_unit_test(value_range_is_checked),
        cmocka_unit_test(string_length_counts_characters),
        cmocka_unit_test(array_length_is_checked),
        cmocka_unit_test(dates_must_exist),
        cmocka_unit_test(omitted_but_not_empty),
        cmocka_unit_test(notes_required_for_direct_conversion),
        cmocka_unit_test(initiator_required_for_hr_submission),
        cmocka_unit_test(nested_rules_report_their_path),
        cmocka_unit_test(every_violation_is_reported),
        cmocka_unit_test(request_validation_prefixes_parts),
        cmocka_unit_test(client_token_length_is_checked),
        cmocka_unit_test(enum_helpers_map_known_and_keep_unknown),
        cmocka_unit_test(wrong_types_report_the_json_path),
        cmocka_unit_test(numbers_out_of_range_are_refused),
        cmocka_unit_test(malformed_json_is_refused),
        cmocka_unit_test(nulls_and_unknown_fields_are_tolerated),
        cmocka_unit_test(deep_nesting_is_refused),
        cmocka_unit_test(free_functions_are_null_safe),
    };
    return cmocka_run_group_tests(tests, load_specs, free_specs);
}
