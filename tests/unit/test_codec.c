/* test_codec.c - the generated structs: every doc example round-trips, every
 * validation rule has a passing and a failing case, malformed JSON gets the
 * right typed error with its path.
 *
 * Examples come from the specs (loaded with the generator's own loader), so
 * the test follows the documentation pages the specs were made from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "corehr_api.h"
#include "corehr_specs.h"
#include "oapigen.h"

static og_set *specs;

static int load_specs(void **state)
{
    (void)state;
    specs = corehr_specs_load();
    if (!specs)
        return -1;
    return 0;
}

static int free_specs(void **state)
{
    (void)state;
    og_set_free(specs);
    return 0;
}

static const og_endpoint *endpoint(const char *name)
{
    const og_endpoint *ep = corehr_specs_endpoint(specs, name);
    if (!ep)
        fail_msg("no endpoint %s", name);
    return ep;
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
    expect_only(&v, "/conversion_mode", "must be one of: 1, 2 (is 3)");
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
    expect_only(&v, "/weekly_working_hours_v2", "must be between 0 and 168 (is 168.5)");
    VALIDATE_BODY(patch_international_assignment, "{\"weekly_working_hours_v2\":-1}", &v);
    expect_only(&v, "/weekly_working_hours_v2", "must be between 0 and 168 (is -1)");
}

/* 限制两位小数 (decimals: 2): binary noise does not fail two places. */
static void decimal_places_are_checked(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    VALIDATE_BODY(patch_international_assignment, "{\"weekly_working_hours_v2\":37.55}", &v);
    expect_none(&v);
    VALIDATE_BODY(patch_international_assignment, "{\"weekly_working_hours_v2\":40.1}", &v);
    expect_none(&v);
    VALIDATE_BODY(patch_international_assignment, "{\"weekly_working_hours_v2\":37.555}", &v);
    expect_only(&v, "/weekly_working_hours_v2", "must have at most 2 decimal places (37.555 has 3)");
    VALIDATE_BODY(patch_international_assignment, "{\"weekly_working_hours_v2\":40.123}", &v);
    expect_only(&v, "/weekly_working_hours_v2", "must have at most 2 decimal places (40.123 has 3)");
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

/* Rules the overlays of specs/corehr add from the pages' prose (each
 * overlay entry quotes its sentence). */
static void app_url_required_when_enabling(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    /* 试用期考核系统入口链接，当启用功能时该字段必填。 */
    VALIDATE_BODY(post_probation_enable_disable_assessment, "{\"active\":true}", &v);
    expect_only(&v, "/app_url", "is required when active is true");
    VALIDATE_BODY(post_probation_enable_disable_assessment, "{\"active\":false}", &v);
    expect_none(&v);
    VALIDATE_BODY(post_probation_enable_disable_assessment,
                  "{\"active\":true,\"app_url\":\"https://example.com/a\"}", &v);
    expect_none(&v);
}

static void operator_required_unless_system_user(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    /* 是否以系统身份操作，如果为fasle，则operator必填 */
    VALIDATE_BODY(put_processes_transfer,
                  "{\"to_user_id\":\"1\",\"approver_ids\":[\"2\"],\"system_user\":false}", &v);
    expect_only(&v, "/operator", "is required when system_user is false");
    VALIDATE_BODY(put_processes_transfer,
                  "{\"to_user_id\":\"1\",\"approver_ids\":[\"2\"],\"system_user\":true}", &v);
    expect_none(&v);
}

static void prose_lists_become_enums(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    /* 维度key，可从下面列表中进行选择： (an item of an array in an array) */
    VALIDATE_BODY(post_workforce_plan_detail_row_batchDelete,
                  "{\"workforce_plan_id\":\"1\",\"items\":[{\"dimensions\":["
                  "{\"dimension_key\":\"custom_org_05\",\"dimension_value\":\"1\"},"
                  "{\"dimension_key\":\"team\",\"dimension_value\":\"2\"}]}]}", &v);
    expect_only(&v, "/items/0/dimensions/1/dimension_key",
                "must be one of: department, employee_type, location, position, cost_center, "
                "job_family, job_level, job, custom_org_01, custom_org_02, custom_org_03, "
                "custom_org_04, custom_org_05");
    /* 查找方式 可选值有： - 1 ... - 2 ... */
    VALIDATE_BODY(post_assigned_users_search,
                  "{\"role_id\":\"1\",\"management_scope_list\":[{\"management_dimension\":"
                  "\"company\",\"obj_id\":\"2\"}],\"search_method\":\"3\",\"page_size\":\"10\"}", &v);
    expect_only(&v, "/search_method", "must be one of: 1, 2");
    /* 返回数据的字段列表，如果传空只返回部门id，可选值： (each item) */
    VALIDATE_BODY(post_departments_search, "{\"fields\":[\"department_name\",\"code\",\"name\"]}", &v);
    assert_int_equal(v.count, 1);
    assert_string_equal(v.items[0].path, "/fields/2");
    corehr_violations_free(&v);
}

static void prose_bounds_and_required(void **state)
{
    (void)state;
    corehr_violations_t v = {0};
    /* 离职原因唯一标识列表，…，最多支持20个 */
    VALIDATE_BODY(post_offboardings_query,
                  "{\"offboarding_reason_unique_identifier\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\","
                  "\"8\",\"9\",\"10\",\"11\",\"12\",\"13\",\"14\",\"15\",\"16\",\"17\",\"18\",\"19\","
                  "\"20\",\"21\"]}", &v);
    expect_only(&v, "/offboarding_reason_unique_identifier", "must have at most 20 items (has 21)");
    /* 必填字段，无默认值 (the table says 否) */
    VALIDATE_BODY(post_job_families_query_multi_timeline,
                  "{\"job_family_ids\":[\"1\"],\"start_date\":\"2024-01-01\"}", &v);
    expect_only(&v, "/end_date", "is required");
    /* 不可为空字符，不传时默认值为当天 */
    VALIDATE_BODY(patch_job_datas, "{}", &v);
    expect_none(&v);
    VALIDATE_BODY(patch_job_datas, "{\"effective_time\":\"\"}", &v);
    expect_only(&v, "/effective_time", "must not be empty");
    /* 格式："2006-01-02" */
    VALIDATE_BODY(post_leaves_work_calendar_date,
                  "{\"wk_calendar_ids\":[\"1\"],\"begin_date\":\"2024-02-30\",\"end_date\":\"2024-03-01\"}", &v);
    expect_only(&v, "/begin_date", "must be a date YYYY-MM-DD that exists");
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

/* ---- T_print and the quick path of T_parse ------------------------------ */

/* The generated functions of one struct, behind one signature. */
typedef struct codec {
    const char *endpoint;
    bool request;
    int (*parse)(void **out, const char *text, size_t len, corehr_error_t *err);
    int (*from_json)(void **out, const cJSON *json, corehr_error_t *err);
    int (*to_json)(const void *x, cJSON **out);
    char *(*print)(const void *x);
    void (*free)(void *x);
} codec;

#define CODEC_FNS(T)                                                          \
    static int T##_parse_(void **out, const char *text, size_t len,           \
                          corehr_error_t *err)                                \
    {                                                                         \
        return corehr_##T##_parse((corehr_##T##_t **)out, text, len, err);    \
    }                                                                         \
    static int T##_from_json_(void **out, const cJSON *json,                  \
                              corehr_error_t *err)                            \
    {                                                                         \
        return corehr_##T##_from_json((corehr_##T##_t **)out, json, err);     \
    }                                                                         \
    static int T##_to_json_(const void *x, cJSON **out)                       \
    {                                                                         \
        return corehr_##T##_to_json(x, out);                                  \
    }                                                                         \
    static char *T##_print_(const void *x)                                    \
    {                                                                         \
        return corehr_##T##_print(x);                                         \
    }                                                                         \
    static void T##_free_(void *x)                                            \
    {                                                                         \
        corehr_##T##_free(x);                                                 \
    }
#define CODEC(ep, part, request)                                              \
    {#ep, request, ep##_##part##_parse_, ep##_##part##_from_json_,            \
     ep##_##part##_to_json_, ep##_##part##_print_, ep##_##part##_free_}

CODEC_FNS(patch_probation_assessment_body)
CODEC_FNS(create_probation_assessments_body)
CODEC_FNS(submit_probation_body)
CODEC_FNS(patch_international_assignment_body)
CODEC_FNS(patch_probation_assessment_data)
CODEC_FNS(create_probation_assessments_data)
CODEC_FNS(submit_probation_data)
CODEC_FNS(patch_international_assignment_data)

static const codec codecs[] = {
    CODEC(patch_probation_assessment, body, true),
    CODEC(create_probation_assessments, body, true),
    CODEC(submit_probation, body, true),
    CODEC(patch_international_assignment, body, true),
    CODEC(patch_probation_assessment, data, false),
    CODEC(create_probation_assessments, data, false),
    CODEC(submit_probation, data, false),
    CODEC(patch_international_assignment, data, false),
};
#define NCODECS (sizeof codecs / sizeof codecs[0])

/* The compact text of an example: the request body, or `data`. */
static char *example_text(const codec *c)
{
    const og_endpoint *ep = endpoint(c->endpoint);
    cJSON *json = cJSON_Parse(c->request ? ep->request_example : ep->response_example);
    cJSON *part = c->request ? json : cJSON_GetObjectItemCaseSensitive(json, "data");
    char *text = part ? cJSON_PrintUnformatted(part) : NULL;
    cJSON_Delete(json);
    assert_non_null(text);
    return text;
}

/* T_print(x) is byte for byte cJSON_PrintUnformatted(T_to_json(x)). */
static void assert_print_matches(const codec *c, const void *x)
{
    cJSON *tree = NULL;
    assert_int_equal(c->to_json(x, &tree), 0);
    char *want = cJSON_PrintUnformatted(tree), *got = c->print(x);
    assert_non_null(want);
    assert_non_null(got);
    if (strcmp(want, got))
        fail_msg("%s: T_print gave\n%s\ncJSON prints\n%s", c->endpoint, got, want);
    cJSON_free(want);
    cJSON_free(got);
    cJSON_Delete(tree);
}

static void print_matches_cjson_for_every_example(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCODECS; i++) {
        char *text = example_text(&codecs[i]);
        void *x = NULL;
        assert_int_equal(codecs[i].parse(&x, text, strlen(text), NULL), 0);
        assert_print_matches(&codecs[i], x);
        /* the example is compact cJSON output: printing gives it back */
        char *again = codecs[i].print(x);
        assert_string_equal(again, text);
        cJSON_free(again);
        codecs[i].free(x);
        cJSON_free(text);
    }
}

static void print_matches_cjson_for_tricky_values(void **state)
{
    (void)state;
    static const double scores[] = {
        0, 99.9, 100, -0.0, 0.1, 1.0 / 3, 1e15, 1e15 - 1, 123456789012345.6, 1e16,
        1e21, 1e300, -1e-300, 5e-324, 2.2250738585072014e-308,
        1.7976931348623157e308, 2147483647, 2147483648.0, -2147483649.0,
        9007199254740993.0, 0.30000000000000004, 1e-7, 12345678901234567890.0,
    };
    static const int32_t types[] = {0, 1, -1, INT32_MAX, INT32_MIN, 1000000};
    char every[256];
    for (int i = 1; i < 256; i++)
        every[i - 1] = (char)i;
    every[255] = '\0';
    const char *strings[] = {every, "", "/", "\"\\", "\b\f\n\r\t\x01\x1f\x7f",
                             "超出预期", "\xf0\x9f\x98\x80", "\xc3", "\\u0000"};
    const codec *c = &codecs[6]; /* submit_probation data */
    corehr_custom_name_t name = {0};
    corehr_custom_field_data_t fields[2] = {{0}};
    corehr_probation_info_for_submit_t p = {0};
    corehr_submit_probation_data_t d = {0};
    fields[0].name = &name;
    fields[0].has_type = true;
    p.custom_fields = fields;
    p.custom_fields_count = 2;
    p.has_converted_via_bpm = true;
    p.has_final_assessment_score = true;
    d.probation_info = &p;
    for (size_t i = 0; i < sizeof scores / sizeof scores[0]; i++) {
        const char *s = strings[i % (sizeof strings / sizeof strings[0])];
        p.final_assessment_score = scores[i];
        p.converted_via_bpm = i % 2;
        fields[0].type = types[i % (sizeof types / sizeof types[0])];
        fields[0].value = (char *)s;
        fields[1].custom_api_name = (char *)s;
        name.zh_cn = (char *)s;
        p.notes = (char *)strings[(i + 1) % (sizeof strings / sizeof strings[0])];
        assert_print_matches(c, &d);
    }
    /* and what cannot be written is not printed either */
    p.final_assessment_score = 0.0 / 0.0;
    assert_null(c->print(&d));
    p.final_assessment_score = 1;
    p.custom_fields = NULL;
    assert_null(c->print(&d));
    assert_null(c->print(NULL));
}

/* T_parse (quick path first) and the tree path it replaces (rt_parse, then
 * T_from_json) give the same result: the same error, or structs that
 * print the same. Returns whether T_parse succeeded. */
static bool parse_agrees(const codec *c, const char *text, size_t len)
{
    corehr_error_t ea, eb;
    void *a = (void *)1, *b = NULL;
    cJSON *tree = NULL;
    int ra = c->parse(&a, text, len, &ea);
    int rb = corehr_rt_parse(text, len, &tree, &eb);
    if (rb == 0)
        rb = c->from_json(&b, tree, &eb);
    cJSON_Delete(tree);
    if (ra != rb || ea.code != eb.code || strcmp(ea.path, eb.path) ||
        strcmp(ea.message, eb.message))
        fail_msg("%s on %.*s: T_parse %d at '%s': %s; tree path %d at '%s': %s",
                 c->endpoint, (int)len, text, ra, ea.path, ea.message, rb,
                 eb.path, eb.message);
    if (ra < 0) {
        assert_null(a);
        return false;
    }
    char *pa = c->print(a), *pb = c->print(b);
    if (!pa || !pb || strcmp(pa, pb))
        fail_msg("%s on %.*s: T_parse read %s, the tree path %s", c->endpoint,
                 (int)len, text, pa ? pa : "NULL", pb ? pb : "NULL");
    cJSON_free(pa);
    cJSON_free(pb);
    c->free(a);
    c->free(b);
    return true;
}

static unsigned long cjson_allocs;

static void *counting_malloc(size_t n)
{
    cjson_allocs++;
    return malloc(n);
}

/* The examples are read by the quick path: cJSON allocates nothing. */
static void parse_reads_examples_without_a_tree(void **state)
{
    (void)state;
    cJSON_Hooks hooks = {counting_malloc, free};
    for (size_t i = 0; i < NCODECS; i++) {
        char *text = example_text(&codecs[i]);
        void *x = NULL;
        cJSON_InitHooks(&hooks);
        cjson_allocs = 0;
        int rc = codecs[i].parse(&x, text, strlen(text), NULL);
        cJSON_InitHooks(NULL);
        assert_int_equal(rc, 0);
        assert_int_equal(cjson_allocs, 0);
        codecs[i].free(x);
        assert_true(parse_agrees(&codecs[i], text, strlen(text)));
        cJSON_free(text);
    }
}

/* Every value of every example replaced in turn by each of these, and each
 * member repeated with them: T_parse must agree with the tree path. */
static const char *const candidates[] = {
    "null", "true", "false", "0", "-0", "1", "-1", "2", "1.5", "4.0", "1e2",
    "-1e-2", "2147483648", "-2147483649", "9007199254740993", "1e999", "01",
    "\"\"", "\"s\"", "\"2024-02-29\"", "\"\\u00e9\\n\\\"\"", "\"\\ud83d\\ude00\"",
    "\"a\\u0000b\"", "\"\\/\"", "\"\xe8\xb6\x85\"", "[]", "[null]", "[1,2]",
    "[\"a\"]", "[{}]", "[{\"zh_cn\":\"x\"}]", "{}", "{\"zh_cn\":1}",
    "{\"value\":\"v\",\"type\":2}", "[[]]",
};

/* The values below node in pre-order, with their parents; returns how
 * many there are (only the first cap are stored). */
static size_t collect(cJSON *node, cJSON **items, cJSON **parents, size_t n,
                      size_t cap)
{
    for (cJSON *it = node->child; it; it = it->next) {
        if (n < cap) {
            items[n] = it;
            parents[n] = node;
        }
        n = collect(it, items, parents, n + 1, cap);
    }
    return n;
}

/* Turns item into the raw JSON text `raw`. */
static void make_raw(cJSON *item, const char *raw)
{
    cJSON_Delete(item->child);
    item->child = NULL;
    cJSON_free(item->valuestring);
    item->valuestring = cJSON_malloc(strlen(raw) + 1);
    assert_non_null(item->valuestring);
    strcpy(item->valuestring, raw);
    item->type = cJSON_Raw;
}

enum { MAX_ITEMS = 512 };

static void parse_agrees_on_replaced_values(const codec *c, const char *text,
                                            size_t *taken, size_t *cases)
{
    cJSON *items[MAX_ITEMS], *parents[MAX_ITEMS];
    cJSON *probe = cJSON_Parse(text);
    size_t n = collect(probe, items, parents, 0, MAX_ITEMS);
    cJSON_Delete(probe);
    assert_true(n <= MAX_ITEMS); /* 0 for the response data {} */
    for (size_t k = 0; k < n; k++)
        for (size_t j = 0; j < sizeof candidates / sizeof candidates[0]; j++)
            for (int twice = 0; twice < 2; twice++) {
                cJSON *json = cJSON_Parse(text);
                collect(json, items, parents, 0, MAX_ITEMS);
                if (!twice)
                    make_raw(items[k], candidates[j]);
                else if (cJSON_IsObject(parents[k]))
                    cJSON_AddItemToObject(parents[k], items[k]->string,
                                          cJSON_CreateRaw(candidates[j]));
                else
                    cJSON_AddItemToArray(parents[k], cJSON_CreateRaw(candidates[j]));
                char *mutant = cJSON_PrintUnformatted(json);
                assert_non_null(mutant);
                *taken += parse_agrees(c, mutant, strlen(mutant));
                (*cases)++;
                cJSON_free(mutant);
                cJSON_Delete(json);
            }
}

static uint64_t random_state = 0x9E3779B97F4A7C15u;

static size_t random_below(size_t n)
{
    random_state ^= random_state << 13;
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return (size_t)(random_state % n);
}

/* Bytes and tokens that often matter to a JSON reader. */
static const char *const tokens[] = {
    "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "\n", "0", "-", ".", "e",
    "E", "+", "n", "t", "f", "u", "/", "1", "9", "\x01", "\x7f", "\x80",
    "\xc3", "\xe8\xb6", "\xff", "\\u0000", "\\ud83d\\ude00", "\\u00e9",
    "\\\"", "1e999", "-0", "01", "null", "[]", "{}", "\xef\xbb\xbf",
};

static void parse_agrees_on_random_edits(const codec *c, const char *text,
                                         size_t *taken, size_t *cases)
{
    size_t len = strlen(text);
    char *buf = malloc(2 * len + 64);
    assert_non_null(buf);
    for (int round = 0; round < 300; round++) {
        const char *tok = tokens[random_below(sizeof tokens / sizeof tokens[0])];
        size_t tl = strlen(tok), at = random_below(len + 1), cut = 0, n;
        switch (random_below(4)) {
        case 0: /* insert */
            break;
        case 1: /* replace one byte */
            cut = at < len;
            break;
        case 2: /* delete a few bytes */
            tl = 0;
            cut = random_below(len - at + 1) % 8;
            break;
        default: /* repeat a slice */
            tok = text + at;
            tl = random_below(len - at + 1) % 40;
            break;
        }
        memcpy(buf, text, at);
        memcpy(buf + at, tok, tl);
        memcpy(buf + at + tl, text + at + cut, len - at - cut);
        n = len - cut + tl;
        *taken += parse_agrees(c, buf, n);
        (*cases)++;
    }
    free(buf);
}

static void parse_agrees_with_tree_path_on_mutations(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCODECS; i++) {
        char *text = example_text(&codecs[i]);
        size_t taken = 0, cases = 0;
        parse_agrees_on_replaced_values(&codecs[i], text, &taken, &cases);
        parse_agrees_on_random_edits(&codecs[i], text, &taken, &cases);
        /* the point is agreement; but many mutants must still be read */
        assert_true(taken > cases / 10);
        cJSON_free(text);
    }
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
        cmocka_unit_test(decimal_places_are_checked),
        cmocka_unit_test(string_length_counts_characters),
        cmocka_unit_test(array_length_is_checked),
        cmocka_unit_test(dates_must_exist),
        cmocka_unit_test(omitted_but_not_empty),
        cmocka_unit_test(notes_required_for_direct_conversion),
        cmocka_unit_test(initiator_required_for_hr_submission),
        cmocka_unit_test(app_url_required_when_enabling),
        cmocka_unit_test(operator_required_unless_system_user),
        cmocka_unit_test(prose_lists_become_enums),
        cmocka_unit_test(prose_bounds_and_required),
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
        cmocka_unit_test(print_matches_cjson_for_every_example),
        cmocka_unit_test(print_matches_cjson_for_tricky_values),
        cmocka_unit_test(parse_reads_examples_without_a_tree),
        cmocka_unit_test(parse_agrees_with_tree_path_on_mutations),
    };
    return cmocka_run_group_tests(tests, load_specs, free_specs);
}
