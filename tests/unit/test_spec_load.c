/* test_spec_load.c - the spec loader (spec_load.c) and the model checker
 * (model.c): the four CoreHR specs load cleanly and say what their pages
 * say; broken specs are rejected with the exact positioned diagnostic.
 *
 * Paths are relative to OAPIGEN_SOURCE_ROOT (main() changes into it), so the
 * expected diagnostics name files the way a user typing them would see them.
 */
#include "oapigen.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BAD "tests/fixtures/specs/bad/"
#define GOOD "tests/fixtures/specs/good/"
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ------------------------------------------------------------ */

/* The set a test works on; the teardown frees it even when an assertion
 * failed, so valgrind reports only the library's own leaks. */
static og_set *current;

static int free_current(void **state)
{
    (void)state;
    og_set_free(current);
    current = NULL;
    return 0;
}

/* Loads like `oapigen lint`: the model is checked only when every file
 * loaded cleanly. The set is freed by the test's teardown. */
static og_set *load_set(char *const *paths, int count)
{
    og_set_free(current);
    current = og_set_new();
    og_load_paths(current, paths, count);
    if (!current->diag.errors)
        og_model_check(current);
    return current;
}

static og_set *load_one(const char *path)
{
    char *paths[] = {(char *)path};
    return load_set(paths, 1);
}

static const char *diag_text(const og_set *set)
{
    return set->diag.text.data ? set->diag.text.data : "";
}

static void assert_diag(const og_set *set, int errors, const char *text)
{
    assert_string_equal(diag_text(set), text);
    assert_int_equal(set->diag.errors, errors);
}

static void assert_starts_with(const char *s, const char *prefix)
{
    if (strncmp(s, prefix, strlen(prefix)))
        fail_msg("\"%s\" does not start with \"%s\"", s, prefix);
}

/* The file is rejected with exactly this text and error count. */
static void assert_rejected(const char *path, int errors, const char *text)
{
    assert_diag(load_one(path), errors, text);
}

static og_set *load_clean(const char *path)
{
    og_set *set = load_one(path);
    assert_diag(set, 0, "");
    return set;
}

static og_endpoint *find_endpoint(const og_set *set, const char *name)
{
    for (size_t i = 0; i < set->endpoint_count; i++)
        if (set->endpoints[i]->name && !strcmp(set->endpoints[i]->name, name))
            return set->endpoints[i];
    fail_msg("no endpoint '%s'", name);
    return NULL;
}

static og_field *find_field(const og_field_list *fl, const char *name)
{
    for (size_t i = 0; i < fl->count; i++)
        if (fl->items[i].name && !strcmp(fl->items[i].name, name))
            return &fl->items[i];
    fail_msg("no field '%s'", name);
    return NULL;
}

/* Index of the type in set->types, or -1. */
static int type_index(const og_set *set, const char *name)
{
    for (size_t i = 0; i < set->type_count; i++)
        if (!strcmp(set->types[i]->name, name))
            return (int)i;
    return -1;
}

static bool is_c_identifier(const char *s)
{
    if (!s || !*s || isdigit((unsigned char)*s))
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

/* ---- the CoreHR specs --------------------------------------------------- */

static og_set *corehr;

static int load_corehr(void **state)
{
    (void)state;
    /* The four seed pages' specs: each defines its own types, so they load
     * as a set of their own (whole_corehr_loads_without_errors loads all). */
    char *paths[] = {"specs/corehr/create_probation_assessments.yaml",
                     "specs/corehr/patch_international_assignment.yaml",
                     "specs/corehr/patch_probation_assessment.yaml",
                     "specs/corehr/submit_probation.yaml"};
    corehr = load_set(paths, 4);
    current = NULL;     /* owned by the group from here */
    return 0;
}

static int free_corehr(void **state)
{
    (void)state;
    og_set_free(corehr);
    corehr = NULL;
    return 0;
}

static void corehr_loads_without_errors(void **state)
{
    (void)state;
    assert_diag(corehr, 0, "");
    assert_string_equal(corehr->bundle, "corehr");
    assert_int_equal(corehr->endpoint_count, 4);
    find_endpoint(corehr, "create_probation_assessments");
    find_endpoint(corehr, "patch_international_assignment");
    find_endpoint(corehr, "patch_probation_assessment");
    find_endpoint(corehr, "submit_probation");
}

/* The whole CoreHR set: every spec, the overlays beside them skipped. */
static void whole_corehr_loads_without_errors(void **state)
{
    (void)state;
    char *paths[] = {"specs/corehr"};
    og_set *set = load_set(paths, 1);
    assert_diag(set, 0, "");
    assert_int_equal(set->endpoint_count, 62);
    find_endpoint(set, "submit_probation");
    find_endpoint(set, "get_persons");
    og_set_free(set);
    current = NULL;
}

static void corehr_conversion_mode_is_int_enum(void **state)
{
    (void)state;
    og_endpoint *ep = find_endpoint(corehr, "submit_probation");
    assert_string_equal(ep->method, "POST");
    assert_string_equal(ep->path, "/open-apis/corehr/v2/probation/submit");
    og_field *f = find_field(&ep->request_body, "conversion_mode");
    assert_int_equal(f->kind, OG_INT);
    assert_false(f->is_array);
    assert_true(f->required);
    assert_string_equal(f->example_json, "1");
    assert_int_equal(f->enum_count, 2);
    assert_string_equal(f->enums[0].value, "1");
    assert_string_equal(f->enums[1].value, "2");
    assert_string_equal(f->enums[0].description, "直接转正");
    assert_string_equal(f->enum_c_type, "corehr_conversion_mode");
    assert_string_equal(f->enums[0].c_name, "COREHR_CONVERSION_MODE_1");
    assert_string_equal(f->enums[1].c_name, "COREHR_CONVERSION_MODE_2");
}

static void corehr_required_if_finds_its_sibling(void **state)
{
    (void)state;
    og_endpoint *ep = find_endpoint(corehr, "submit_probation");
    og_field *notes = find_field(&ep->request_body, "notes");
    assert_false(notes->required);
    assert_string_equal(notes->required_if_field, "conversion_mode");
    assert_string_equal(notes->required_if_json, "1");
    assert_ptr_equal(notes->required_if_target,
                     find_field(&ep->request_body, "conversion_mode"));
    og_field *initiator = find_field(&ep->request_body, "initiator_id");
    assert_ptr_equal(initiator->required_if_target,
                     find_field(&ep->request_body, "submission_type"));
    assert_string_equal(initiator->required_if_json, "\"hr_submission\"");
}

static void corehr_keeps_wire_typos(void **state)
{
    (void)state;
    og_endpoint *ep = find_endpoint(corehr, "patch_probation_assessment");
    assert_string_equal(ep->method, "PATCH");
    assert_int_equal(ep->path_params.count, 1);
    assert_string_equal(ep->path_params.items[0].name, "assessment_id");
    og_field *f = find_field(&ep->request_body, "is_final_asssessment");
    assert_int_equal(f->kind, OG_BOOL);
    assert_true(f->required);
    assert_string_equal(f->example_json, "false");
    assert_string_equal(f->c_name, "is_final_asssessment");
    og_field *score = find_field(&ep->request_body, "assessment_score");
    assert_int_equal(score->kind, OG_FLOAT);
    assert_string_equal(score->example_json, "99.9");
    assert_non_null(ep->request_example);
    assert_non_null(ep->response_example);
}

static void corehr_international_assignment_rules(void **state)
{
    (void)state;
    og_endpoint *ep = find_endpoint(corehr, "patch_international_assignment");
    assert_int_equal(ep->rate_limit_count, 1);
    assert_int_equal(ep->rate_limits[0].count, 10);
    assert_string_equal(ep->rate_limits[0].per, "second");
    assert_false(ep->rate_special);
    assert_int_equal(ep->error_count, 2);
    assert_int_equal(ep->errors[0].http_status, 400);
    assert_int_equal(ep->errors[0].code, 1160001);

    og_field *hours = find_field(&ep->request_body, "weekly_working_hours_v2");
    assert_int_equal(hours->kind, OG_FLOAT);
    assert_true(hours->has_min && hours->has_max);
    assert_true(hours->min == 0.0 && hours->max == 168.0);

    og_field *token = find_field(&ep->query, "client_token");
    assert_int_equal(token->kind, OG_STRING);
    assert_true(token->idempotency_key);
    assert_true(token->has_min_length && token->has_max_length);
    assert_int_equal(token->min_length, 1);
    assert_int_equal(token->max_length, 100);

    og_field *custom = find_field(&ep->request_body, "custom_fields");
    assert_int_equal(custom->kind, OG_OBJECT);
    assert_true(custom->is_array);
    assert_non_null(custom->type);
    assert_string_equal(custom->type->name, "object_field_data");
    assert_true(custom->has_max_length);
    assert_int_equal(custom->max_length, 180);

    og_field *work = find_field(&ep->request_body, "work_location_id");
    assert_true(work->non_empty);
    og_field *start = find_field(&ep->request_body, "effective_time");
    assert_string_equal(start->format, "date");

    og_field *resp = find_field(&ep->response_data, "international_assignment");
    assert_string_equal(resp->type->c_name, "employees_international_assignment_resp");
}

/* Types shared by several files are in set->types once, after the types
 * they use. */
static void corehr_types_once_dependencies_first(void **state)
{
    (void)state;
    static const char *const names[] = {
        "i18n", "enum", "custom_name", "custom_field_data", "object_field_data",
        "assessment_for_create", "probation_info_for_submit",
        "employees.international_assignment_resp",
    };
    assert_int_equal(corehr->type_count, COUNT(names));
    for (size_t i = 0; i < COUNT(names); i++)
        assert_int_not_equal(type_index(corehr, names[i]), -1);
    for (size_t i = 0; i < corehr->type_count; i++) {
        og_type *t = corehr->types[i];
        assert_ptr_equal(t->canonical, t);
        assert_int_equal(type_index(corehr, t->name), (int)i);   /* once */
        for (size_t k = 0; k < t->fields.count; k++) {
            og_type *used = t->fields.items[k].type;
            if (used)
                assert_true(type_index(corehr, used->name) < (int)i);
        }
    }
    /* the second definition of i18n points at the first */
    og_endpoint *ep = find_endpoint(corehr, "submit_probation");
    int own = -1;
    for (size_t i = 0; i < ep->type_count; i++)
        if (!strcmp(ep->types[i]->name, "i18n"))
            own = (int)i;
    assert_int_not_equal(own, -1);
    assert_ptr_equal(ep->types[own]->canonical,
                     corehr->types[type_index(corehr, "i18n")]);
    assert_string_equal(ep->types[own]->c_name, "i18n");
}

/* user_id_type carries the same values everywhere: one enum, named after
 * the field. */
static void corehr_shared_enum_named_after_field(void **state)
{
    (void)state;
    static const char *const eps[] = {"create_probation_assessments",
                                      "patch_international_assignment",
                                      "submit_probation"};
    for (size_t i = 0; i < COUNT(eps); i++) {
        og_endpoint *ep = find_endpoint(corehr, eps[i]);
        og_field *f = find_field(&ep->query, "user_id_type");
        assert_string_equal(f->default_json, "\"open_id\"");
        assert_string_equal(f->enum_c_type, "corehr_user_id_type");
        assert_int_equal(f->enum_count, 4);
        assert_string_equal(f->enums[0].c_name, "COREHR_USER_ID_TYPE_OPEN_ID");
        assert_string_equal(f->enums[3].c_name,
                            "COREHR_USER_ID_TYPE_PEOPLE_COREHR_ID");
        assert_int_equal(f->enums[2].scope_count, 1);
        assert_string_equal(f->enums[2].scopes[0].name,
                            "contact:user.employee_id:readonly");
    }
}

/* ---- accepted edge cases ------------------------------------------------ */

static void model_renames_c_keywords(void **state)
{
    (void)state;
    og_set *set = load_clean(GOOD "c_keyword_field.yaml");
    og_endpoint *ep = find_endpoint(set, "get_thing");
    og_field *def = find_field(&ep->response_data, "default");
    assert_int_equal(def->kind, OG_BOOL);
    assert_string_equal(def->c_name, "default_");
    assert_string_equal(find_field(&ep->response_data, "2fa")->c_name, "_2fa");
}

/* Enum constants are C identifiers even when the values are not. */
static void model_makes_enum_constants_identifiers(void **state)
{
    (void)state;
    og_set *set = load_clean(GOOD "enum_values_with_dots.yaml");
    og_field *f = find_field(&find_endpoint(set, "get_thing")->query, "version");
    assert_int_equal(f->enum_count, 2);
    for (size_t i = 0; i < f->enum_count; i++) {
        const char *c = f->enums[i].c_name;
        if (!is_c_identifier(c))
            fail_msg("value \"%s\" got the constant '%s'", f->enums[i].value,
                     c ? c : "(null)");
    }
}

/* The first of the values equal but for letter case keeps the constant;
 * later ones get _2, _3 by rank (docs/spec-format.md). */
static void model_names_case_variants_by_rank(void **state)
{
    (void)state;
    static const char *const want[] = {
        "COREHR_GRADE_A", "COREHR_GRADE_A_2", "COREHR_GRADE_B",
        "COREHR_GRADE_ABC", "COREHR_GRADE_ABC_2", "COREHR_GRADE_ABC_3"};
    og_set *set = load_clean(GOOD "enum_values_by_case.yaml");
    og_field *f = find_field(&find_endpoint(set, "get_thing")->query, "grade");
    assert_int_equal(f->enum_count, COUNT(want));
    for (size_t i = 0; i < COUNT(want); i++)
        assert_string_equal(f->enums[i].c_name, want[i]);
}

/* Type `corehr_status` is generated as struct corehr_corehr_status, so the
 * enum of field `status` (corehr_status) does not clash with it in C; the
 * checker must neither crash on the equal strings nor leave the constants
 * unnamed. */
static void model_survives_enum_named_like_a_type(void **state)
{
    (void)state;
    og_set *set = load_one(GOOD "enum_named_like_type.yaml");
    if (set->diag.errors) {
        assert_non_null(strstr(diag_text(set), "corehr_status"));
    } else {
        og_field *f = find_field(&find_endpoint(set, "get_thing")->query, "status");
        assert_string_equal(f->enum_c_type, "corehr_status");
        assert_int_equal(f->enum_count, 3);
        assert_string_equal(f->enums[0].c_name, "COREHR_STATUS_OPEN");
        assert_string_equal(f->enums[2].c_name, "COREHR_STATUS_PENDING");
    }
}

/* ---- rejected specs: the loader ---------------------------------------- */

static void loader_rejects_yaml_syntax_error(void **state)
{
    (void)state;
    assert_rejected(BAD "yaml_syntax.yaml", 1,
        BAD "yaml_syntax.yaml:7:1: error: YAML: found unexpected end of stream "
        "while scanning a quoted scalar\n");
}

/* libyaml's reader errors carry a byte offset, not a mark: the place is
 * computed from it (it used to be reported at 1:1). */
static void loader_reports_nul_byte_at_its_place(void **state)
{
    (void)state;
    assert_rejected(BAD "raw_nul.yaml", 1,
        BAD "raw_nul.yaml:7:13: error: YAML: control characters are not "
        "allowed (byte 0x00)\n");
}

/* The column counts characters: two of two bytes each precede it. */
static void loader_reports_invalid_utf8_at_its_place(void **state)
{
    (void)state;
    assert_rejected(BAD "invalid_utf8.yaml", 1,
        BAD "invalid_utf8.yaml:7:14: error: YAML: invalid leading UTF-8 octet "
        "(byte 0x80)\n");
}

static void loader_rejects_empty_file(void **state)
{
    (void)state;
    assert_rejected(BAD "empty.yaml", 1,
        BAD "empty.yaml:1:1: error: the spec is empty\n");
}

static void loader_rejects_missing_file(void **state)
{
    (void)state;
    assert_rejected(BAD "no_such_spec.yaml", 1,
        "oapigen: error: cannot read " BAD "no_such_spec.yaml: "
        "No such file or directory\n");
}

static void loader_rejects_unknown_top_level_key(void **state)
{
    (void)state;
    assert_rejected(BAD "unknown_top_key.yaml", 1,
        BAD "unknown_top_key.yaml:3:1: error: unknown key 'version' in the spec\n");
}

static void loader_rejects_unknown_field_key(void **state)
{
    (void)state;
    assert_rejected(BAD "unknown_field_key.yaml", 1,
        BAD "unknown_field_key.yaml:11:7: error: unknown key 'requird' in a field\n");
}

static void loader_rejects_duplicate_key(void **state)
{
    (void)state;
    assert_rejected(BAD "duplicate_key.yaml", 1,
        BAD "duplicate_key.yaml:12:7: error: duplicate key 'type' in a field\n"
        BAD "duplicate_key.yaml:10:7: note: previously defined here\n");
}

static void loader_rejects_missing_required_key(void **state)
{
    (void)state;
    assert_rejected(BAD "missing_method.yaml", 1,
        BAD "missing_method.yaml:4:3: error: endpoint is missing the required "
        "key 'method'\n");
}

static void loader_rejects_other_format_version(void **state)
{
    (void)state;
    assert_rejected(BAD "wrong_version.yaml", 1,
        BAD "wrong_version.yaml:1:10: error: unsupported spec format version 2 "
        "(this oapigen reads 1)\n");
}

static void loader_rejects_unknown_method(void **state)
{
    (void)state;
    assert_rejected(BAD "unknown_method.yaml", 1,
        BAD "unknown_method.yaml:6:11: error: unknown method 'FETCH' (known: "
        "GET, POST, PUT, PATCH, DELETE)\n");
}

/* `file` fields belong to multipart bodies only (query, JSON body, data). */
static void model_rejects_file_outside_multipart_body(void **state)
{
    (void)state;
    assert_rejected(BAD "file_outside_multipart.yaml", 3,
        BAD "file_outside_multipart.yaml:13:13: error: 'file' is a file, which is only "
        "allowed in a request_body with body_format: multipart (not in a JSON request_body)\n"
        BAD "file_outside_multipart.yaml:10:13: error: 'attachment' is a file, which is only "
        "allowed in a request_body with body_format: multipart (not in query)\n"
        BAD "file_outside_multipart.yaml:17:13: error: 'thumbnail' is a file, which is only "
        "allowed in a request_body with body_format: multipart (not in response_data)\n");
}

static void model_rejects_multipart_on_get_and_nested_form_fields(void **state)
{
    (void)state;
    assert_rejected(BAD "multipart_on_get.yaml", 3,
        BAD "multipart_on_get.yaml:8:16: error: body_format multipart is not allowed on GET "
        "(it has no body)\n"
        BAD "multipart_on_get.yaml:11:13: error: file field 'file' cannot be an array "
        "(one part per field)\n"
        BAD "multipart_on_get.yaml:13:13: error: multipart field 'meta' must be a scalar or "
        "a file, not string[]\n");
}

static void model_rejects_binary_response_with_data(void **state)
{
    (void)state;
    assert_rejected(BAD "binary_with_data.yaml", 1,
        BAD "binary_with_data.yaml:10:7: error: response_format binary has no JSON data: "
        "response_data must be empty\n");
}

static void loader_rejects_unknown_body_and_response_formats(void **state)
{
    (void)state;
    assert_rejected(BAD "unknown_format.yaml", 2,
        BAD "unknown_format.yaml:8:16: error: unknown body_format 'form' (known: json, "
        "multipart)\n"
        BAD "unknown_format.yaml:9:20: error: unknown response_format 'stream' (known: json, "
        "opaque, binary)\n");
}

static void loader_rejects_path_without_slash(void **state)
{
    (void)state;
    assert_rejected(BAD "path_without_slash.yaml", 1,
        BAD "path_without_slash.yaml:7:9: error: path must start with '/'\n");
}

static void loader_rejects_non_bool_required(void **state)
{
    (void)state;
    assert_rejected(BAD "required_yes.yaml", 1,
        BAD "required_yes.yaml:11:17: error: required must be true or false, "
        "not 'yes'\n");
}

static void loader_rejects_example_not_of_type(void **state)
{
    (void)state;
    assert_rejected(BAD "example_not_int.yaml", 1,
        BAD "example_not_int.yaml:11:16: error: example 'abc' is not an int\n");
}

static void loader_rejects_enum_on_bool(void **state)
{
    (void)state;
    assert_rejected(BAD "enum_on_bool.yaml", 1,
        BAD "enum_on_bool.yaml:12:9: error: enum is only allowed on string and "
        "integer fields, not bool\n");
}

static void loader_rejects_invalid_json_example(void **state)
{
    (void)state;
    assert_rejected(BAD "invalid_json_example.yaml", 1,
        BAD "invalid_json_example.yaml:9:14: error: request example is not "
        "valid JSON (near byte 14)\n");
}

/* rate_limit: a list of parts, every one kept; or a special limit. */
static void loader_reads_rate_limit_forms(void **state)
{
    (void)state;
    og_endpoint *ep = load_clean(GOOD "rate_limit_parts.yaml")->endpoints[0];
    assert_int_equal(ep->rate_limit_count, 2);
    assert_int_equal(ep->rate_limits[0].count, 1000);
    assert_string_equal(ep->rate_limits[0].per, "minute");
    assert_null(ep->rate_limits[0].description);
    assert_int_equal(ep->rate_limits[1].count, 50);
    assert_string_equal(ep->rate_limits[1].per, "second");
    assert_string_equal(ep->rate_limits[1].description, "单租户");
    assert_false(ep->rate_special);
    ep = load_clean(GOOD "rate_limit_special.yaml")->endpoints[0];
    assert_int_equal(ep->rate_limit_count, 0);
    assert_true(ep->rate_special);
    assert_string_equal(ep->rate_description, "特殊频控");
}

static void loader_rejects_bad_rate_limits(void **state)
{
    (void)state;
    assert_rejected(BAD "rate_limit_parts.yaml", 2,
        BAD "rate_limit_parts.yaml:12:12: error: rate_limit per must be second, "
        "minute, hour or day, not 'week'\n"
        BAD "rate_limit_parts.yaml:13:7: error: a rate_limit part is missing the "
        "required key 'count'\n");
    assert_rejected(BAD "rate_limit_empty.yaml", 1,
        BAD "rate_limit_empty.yaml:8:15: error: rate_limit must not be an empty list\n");
    assert_rejected(BAD "rate_limit_special.yaml", 2,
        BAD "rate_limit_special.yaml:9:14: error: rate_limit special must be true "
        "(leave out a limit that is not special)\n"
        BAD "rate_limit_special.yaml:9:5: error: rate_limit is missing the required "
        "key 'description'\n");
}

/* notes: the page's extra sections, in order. */
static void loader_reads_notes(void **state)
{
    (void)state;
    og_endpoint *ep = load_clean(GOOD "notes.yaml")->endpoints[0];
    assert_int_equal(ep->note_count, 2);
    assert_string_equal(ep->notes[0].title, "前提条件");
    assert_string_equal(ep->notes[0].text, "- 应用需要开启机器人能力。\n- 第二条");
    assert_string_equal(ep->notes[1].title, "使用限制");
    assert_string_equal(ep->notes[1].text, "每次最多 50 条。");
    assert_rejected(BAD "notes.yaml", 2,
        BAD "notes.yaml:9:14: error: note title must not be empty\n"
        BAD "notes.yaml:11:7: error: a note is missing the required key 'text'\n");
}

/* Errors are counted, not fatal: one run reports all of them. */
static void loader_reports_several_errors_in_one_run(void **state)
{
    (void)state;
    assert_rejected(BAD "several_errors.yaml", 6,
        BAD "several_errors.yaml:6:11: error: unknown method 'FETCH' (known: "
        "GET, POST, PUT, PATCH, DELETE)\n"
        BAD "several_errors.yaml:9:12: error: rate_limit count must be positive\n"
        BAD "several_errors.yaml:10:10: error: rate_limit per must be second, "
        "minute, hour or day, not 'week'\n"
        BAD "several_errors.yaml:14:16: error: example 'ten' is not an int\n"
        BAD "several_errors.yaml:16:7: error: unknown key 'typ' in a field\n"
        BAD "several_errors.yaml:15:7: error: a field is missing the required "
        "key 'type'\n");
}

/* The alias is reported where it is used (6:16), not at its anchor (5:12). */
static void loader_rejects_alias(void **state)
{
    (void)state;
    assert_rejected(BAD "alias.yaml", 1,
        BAD "alias.yaml:6:16: error: aliases are not supported in specs\n");
}

/* An alias to a node the loader never walks (inside a list example) is
 * still an alias. */
static void loader_rejects_alias_to_unread_node(void **state)
{
    (void)state;
    assert_rejected(BAD "alias_unread_node.yaml", 1,
        BAD "alias_unread_node.yaml:14:20: error: aliases are not supported "
        "in specs\n");
}

/* "1.5abc" and "0x10" are not numbers (cJSON_Parse alone accepts a number
 * followed by anything). */
static void loader_rejects_number_with_trailing_garbage(void **state)
{
    (void)state;
    assert_rejected(BAD "number_trailing_garbage.yaml", 2,
        BAD "number_trailing_garbage.yaml:12:20: error: range min must be a "
        "number, not '0x10'\n"
        BAD "number_trailing_garbage.yaml:11:16: error: example '1.5abc' is not "
        "a float\n");
}

/* int is 32-bit (docs/spec-format.md). */
static void loader_rejects_int_out_of_range(void **state)
{
    (void)state;
    assert_rejected(BAD "int_out_of_range.yaml", 1,
        BAD "int_out_of_range.yaml:11:16: error: example '4294967296' is not "
        "an int\n");
}

/* A second YAML document (after `---`) would be ignored silently; it is
 * reported where it starts. The wording is the fixer's choice. */
static void loader_rejects_second_document(void **state)
{
    (void)state;
    og_set *set = load_one(BAD "two_documents.yaml");
    assert_int_equal(set->diag.errors, 1);
    assert_starts_with(diag_text(set), BAD "two_documents.yaml:8:1: error: ");
}

/* ---- rejected specs: the model ----------------------------------------- */

static void model_rejects_path_param_missing_from_list(void **state)
{
    (void)state;
    assert_rejected(BAD "path_param_unlisted.yaml", 1,
        BAD "path_param_unlisted.yaml:7:9: error: path parameter ':part_id' is "
        "not listed in path_params\n");
}

static void model_rejects_path_param_missing_from_path(void **state)
{
    (void)state;
    assert_rejected(BAD "path_param_not_in_path.yaml", 1,
        BAD "path_param_not_in_path.yaml:11:7: error: path parameter 'thing' "
        "does not appear in the path\n");
}

static void model_rejects_unknown_type(void **state)
{
    (void)state;
    assert_rejected(BAD "unknown_type.yaml", 1,
        BAD "unknown_type.yaml:10:13: error: unknown type 'i18n' (not a scalar "
        "type, and not in this file's types)\n");
}

/* Query arrays of string, int, int64 and bool are repeated keys; other
 * arrays, objects, and any array in the path are refused. */
static void model_rejects_query_arrays_of_other_types(void **state)
{
    (void)state;
    assert_rejected(BAD "query_array_of_objects.yaml", 3,
        BAD "query_array_of_objects.yaml:10:13: error: path parameter 'id' must "
        "have a scalar type, not string[]\n"
        BAD "query_array_of_objects.yaml:15:13: error: query parameter 'scores' must "
        "have a scalar type or be an array of string, int, int64 or bool (sent as "
        "repeated keys), not float[]\n"
        BAD "query_array_of_objects.yaml:17:13: error: query parameter 'filter' must "
        "have a scalar type or be an array of string, int, int64 or bool (sent as "
        "repeated keys), not thing[]\n");
}

/* json is free-form: no example, default or enum to check against... */
static void loader_rejects_rules_on_json(void **state)
{
    (void)state;
    assert_rejected(BAD "json_misuse.yaml", 3,
        BAD "json_misuse.yaml:11:16: error: an example is not allowed on json fields "
        "(free-form values)\n"
        BAD "json_misuse.yaml:14:16: error: a default is not allowed on json fields "
        "(free-form values)\n"
        BAD "json_misuse.yaml:18:9: error: enum is only allowed on string and integer "
        "fields, not json\n");
}

/* ... and no place outside a JSON body or response. */
static void model_rejects_json_out_of_place(void **state)
{
    (void)state;
    assert_rejected(BAD "json_misplaced.yaml", 3,
        BAD "json_misplaced.yaml:10:13: error: query parameter 'filter' must have a "
        "scalar type or be an array of string, int, int64 or bool (sent as repeated "
        "keys), not json\n"
        BAD "json_misplaced.yaml:12:7: error: length is only allowed on strings and "
        "arrays ('attrs' is json)\n"
        BAD "json_misplaced.yaml:17:20: error: required_if must name another string, "
        "integer or bool field\n");
}

/* Arrays of arrays: no enum (rules are the outer array's), not in the
 * query, and their list structs need free names. */
static void model_rejects_nested_array_misuse(void **state)
{
    (void)state;
    assert_rejected(BAD "nested_misuse.yaml", 2,
        BAD "nested_misuse.yaml:10:13: error: query parameter 'ids' must have a "
        "scalar type or be an array of string, int, int64 or bool (sent as repeated "
        "keys), not string[][]\n"
        BAD "nested_misuse.yaml:12:7: error: enum is not allowed on arrays of arrays "
        "('modes' is string[][]): rules of a nested array apply to the outer array\n");
    assert_rejected(BAD "nested_name_clash.yaml", 1,
        BAD "nested_name_clash.yaml:9:7: error: duplicate C name 'cell_list'\n"
        BAD "nested_name_clash.yaml:17:5: note: previously defined here\n"
        BAD "nested_name_clash.yaml:9:7: note: the list type of 'rows' (cell[][]) is "
        "named cell_list\n");
}

static void model_rejects_type_cycle(void **state)
{
    (void)state;
    assert_rejected(BAD "type_cycle.yaml", 1,
        BAD "type_cycle.yaml:12:5: error: type 'a' contains itself\n");
}

/* The message names the first field that differs and how; the note points
 * at that field in the first definition. */
static void model_rejects_type_defined_differently(void **state)
{
    (void)state;
    char *paths[] = {BAD "type_conflict_a.yaml", BAD "type_conflict_b.yaml"};
    og_set *set = load_set(paths, 2);
    assert_diag(set, 1,
        BAD "type_conflict_b.yaml:16:9: error: type 'i18n' is defined "
        "differently in another file: field 'value' is required here, optional there\n"
        BAD "type_conflict_a.yaml:16:9: note: previously defined here\n");
}

static void model_names_field_missing_from_type(void **state)
{
    (void)state;
    char *paths[] = {BAD "type_conflict_a.yaml", BAD "type_conflict_missing.yaml"};
    og_set *set = load_set(paths, 2);
    assert_diag(set, 1,
        BAD "type_conflict_missing.yaml:12:5: error: type 'i18n' is defined "
        "differently in another file: field 'value' is missing here\n"
        BAD "type_conflict_a.yaml:16:9: note: previously defined here\n");
}

static void model_names_field_of_other_type(void **state)
{
    (void)state;
    char *paths[] = {BAD "type_conflict_a.yaml", BAD "type_conflict_retyped.yaml"};
    og_set *set = load_set(paths, 2);
    assert_diag(set, 1,
        BAD "type_conflict_retyped.yaml:16:9: error: type 'i18n' is defined "
        "differently in another file: field 'value' has type int here, string there\n"
        BAD "type_conflict_a.yaml:16:9: note: previously defined here\n");
}

static void model_names_field_only_in_one_type(void **state)
{
    (void)state;
    char *paths[] = {BAD "type_conflict_a.yaml", BAD "type_conflict_extra.yaml"};
    og_set *set = load_set(paths, 2);
    assert_diag(set, 1,
        BAD "type_conflict_extra.yaml:18:9: error: type 'i18n' is defined "
        "differently in another file: field 'extra' is only here\n"
        BAD "type_conflict_a.yaml:12:5: note: previously defined here\n");
}

static void model_rejects_duplicate_endpoint(void **state)
{
    (void)state;
    char *paths[] = {BAD "bundle_corehr.yaml", BAD "type_conflict_a.yaml"};
    og_set *set = load_set(paths, 2);
    assert_diag(set, 1,
        BAD "type_conflict_a.yaml:4:3: error: duplicate endpoint 'get_thing'\n"
        BAD "bundle_corehr.yaml:4:3: note: previously defined here\n");
}

static void model_checks_retry_safe_and_response_format(void **state)
{
    (void)state;
    assert_rejected(BAD "retry_safe_on_get.yaml", 1,
        BAD "retry_safe_on_get.yaml:8:15: error: retry_safe is only for POST "
        "(a GET is retried as idempotent already)\n");
    assert_rejected(BAD "opaque_with_fields.yaml", 1,
        BAD "opaque_with_fields.yaml:8:20: error: response_format: opaque keeps "
        "data as JSON, so response_data must be empty (it has 1 field)\n");
    assert_rejected(BAD "unknown_response_format.yaml", 2,
        BAD "unknown_response_format.yaml:8:20: error: unknown response_format "
        "'xml' (known: json, opaque, binary)\n"
        BAD "unknown_response_format.yaml:9:15: error: retry_safe must be true "
        "or false, not 'yes'\n");
    char *paths[] = {BAD "endpoint_with_clash.yaml", BAD "bundle_corehr.yaml"};
    assert_diag(load_set(paths, 2), 1,
        BAD "endpoint_with_clash.yaml:4:9: error: endpoint name 'get_thing_with' "
        "collides with corehr_get_thing_with, the per-call-options variant of "
        "endpoint 'get_thing'\n");
}

static void model_rejects_duplicate_field(void **state)
{
    (void)state;
    assert_rejected(BAD "duplicate_field.yaml", 1,
        BAD "duplicate_field.yaml:13:7: error: duplicate field 'page_size'\n"
        BAD "duplicate_field.yaml:9:7: note: previously defined here\n");
}

static void model_rejects_range_on_string(void **state)
{
    (void)state;
    assert_rejected(BAD "range_on_string.yaml", 1,
        BAD "range_on_string.yaml:9:7: error: range is only allowed on number "
        "fields ('hours' is string)\n");
}

static void model_rejects_length_on_int(void **state)
{
    (void)state;
    assert_rejected(BAD "length_on_int.yaml", 1,
        BAD "length_on_int.yaml:9:7: error: length is only allowed on strings "
        "and arrays ('hours' is int)\n");
}

/* Examples and defaults obey the field's own rules, each reported at the
 * value: format, enum (string and integer), range, length, decimals. */
static void model_rejects_values_breaking_rules(void **state)
{
    (void)state;
    assert_rejected(BAD "values_break_rules.yaml", 7,
        BAD "values_break_rules.yaml:13:16: error: default \"2023-02-29\" is not a "
        "date YYYY-MM-DD that exists (format: date)\n"
        BAD "values_break_rules.yaml:18:16: error: default \"blue\" is not one of "
        "the enum values (red)\n"
        BAD "values_break_rules.yaml:22:16: error: example 99 is above range max 5\n"
        BAD "values_break_rules.yaml:26:16: error: example \"超出预期了\" has 5 "
        "characters, more than length max 4\n"
        BAD "values_break_rules.yaml:30:16: error: example 37.555 has more than 2 "
        "decimal places (decimals: 2)\n"
        BAD "values_break_rules.yaml:37:16: error: example 3 is not one of the enum "
        "values (1, 2)\n"
        BAD "values_break_rules.yaml:41:16: error: default \"\" is empty, which "
        "non_empty forbids\n");
}

static void model_rejects_decimals_on_other_than_float(void **state)
{
    (void)state;
    assert_rejected(BAD "decimals_not_float.yaml", 2,
        BAD "decimals_not_float.yaml:10:7: error: decimals is only allowed on float "
        "fields ('count' is int)\n"
        BAD "decimals_not_float.yaml:13:7: error: decimals is only allowed on float "
        "fields ('hours' is float[])\n");
}

static void loader_rejects_negative_decimals(void **state)
{
    (void)state;
    assert_rejected(BAD "decimals_negative.yaml", 1,
        BAD "decimals_negative.yaml:11:17: error: decimals must be between 0 and 17, "
        "not -1\n");
}

static void model_rejects_required_if_without_sibling(void **state)
{
    (void)state;
    assert_rejected(BAD "required_if_no_sibling.yaml", 1,
        BAD "required_if_no_sibling.yaml:13:20: error: required_if names "
        "'conversion_type', which is not a sibling of 'notes'\n");
}

static void model_rejects_required_if_value_outside_enum(void **state)
{
    (void)state;
    assert_rejected(BAD "required_if_not_in_enum.yaml", 1,
        BAD "required_if_not_in_enum.yaml:16:20: error: required_if equals "
        "\"hr\", which 'submission_type' (string) can never hold\n");
}

/* conversion_mode is 1 or 2: `equals: 3` can never be true either. */
static void model_rejects_required_if_value_outside_int_enum(void **state)
{
    (void)state;
    assert_rejected(BAD "required_if_not_in_int_enum.yaml", 1,
        BAD "required_if_not_in_int_enum.yaml:16:20: error: required_if equals "
        "3, which 'conversion_mode' (int) can never hold\n");
}

/* `equals: 1abc` is the string "1abc", which an int never holds. */
static void model_rejects_required_if_equals_garbage(void **state)
{
    (void)state;
    assert_rejected(BAD "required_if_equals_garbage.yaml", 1,
        BAD "required_if_equals_garbage.yaml:13:20: error: required_if equals "
        "\"1abc\", which 'conversion_mode' (int) can never hold\n");
}

static void model_rejects_names_equal_after_sanitising(void **state)
{
    (void)state;
    assert_rejected(BAD "c_name_collision.yaml", 1,
        BAD "c_name_collision.yaml:11:7: error: field 'a_b' needs the C name "
        "'a_b', which 'a-b' already uses\n"
        BAD "c_name_collision.yaml:9:7: note: previously defined here\n");
}

static void model_rejects_name_without_ascii_letter(void **state)
{
    (void)state;
    assert_rejected(BAD "field_not_c_identifier.yaml", 1,
        BAD "field_not_c_identifier.yaml:9:7: error: field name '名字' cannot be "
        "made a C identifier (it has no ASCII letter)\n");
}

static void model_rejects_bundle_not_identifier(void **state)
{
    (void)state;
    assert_rejected(BAD "bundle_not_identifier.yaml", 1,
        BAD "bundle_not_identifier.yaml:2:9: error: bundle 'core-hr' must be a "
        "C identifier\n");
}

static void model_rejects_two_bundles(void **state)
{
    (void)state;
    char *paths[] = {BAD "bundle_corehr.yaml", BAD "bundle_hire.yaml"};
    og_set *set = load_set(paths, 2);
    assert_diag(set, 1,
        BAD "bundle_hire.yaml:2:9: error: bundle 'hire' differs from 'corehr' "
        "named by " BAD "bundle_corehr.yaml\n");
}

/* The name is reported at its value, not at the endpoint's first key. */
static void model_rejects_endpoint_name_not_identifier(void **state)
{
    (void)state;
    assert_rejected(BAD "endpoint_name_not_identifier.yaml", 1,
        BAD "endpoint_name_not_identifier.yaml:7:9: error: endpoint name "
        "'get-thing' must be a C identifier\n");
}

/* Type `status` becomes `struct corehr_status` and the enum of field
 * `status` becomes `enum corehr_status`: one tag, two meanings, so the
 * generated header would not compile. The wording is the fixer's choice,
 * but it names the clashing name. */
static void model_rejects_enum_clashing_with_type(void **state)
{
    (void)state;
    og_set *set = load_one(BAD "enum_clashes_with_type.yaml");
    assert_int_not_equal(set->diag.errors, 0);
    assert_non_null(strstr(diag_text(set), "status"));
}

/* ---- pagination ---------------------------------------------------------- */

static void pagination_resolves_fields(void **state)
{
    (void)state;
    og_set *set = load_clean("tests/fixtures/specs/pages/list_things.yaml");
    og_pagination *pg = find_endpoint(set, "list_things")->pagination;
    assert_non_null(pg);
    assert_true(pg->page_token.in_query);
    assert_string_equal(pg->page_token.field->name, "page_token");
    assert_true(pg->page_size.in_query);
    assert_int_equal(pg->items.field->kind, OG_OBJECT);
    assert_true(pg->items.field->is_array);
    assert_int_equal(pg->has_more.field->kind, OG_BOOL);

    set = load_clean("tests/fixtures/specs/pages/search_things.yaml");
    pg = find_endpoint(set, "search_things")->pagination;
    assert_false(pg->page_token.in_query);   /* not in the query: the body */
    assert_string_equal(pg->page_token.field->name, "cursor");
    assert_false(pg->page_size.in_query);
    assert_string_equal(pg->page_size.field->name, "limit");
    assert_string_equal(pg->next_token.field->name, "next_cursor");
    assert_string_equal(pg->items.field->name, "ids");
}

static void pagination_rejects_wrong_kinds(void **state)
{
    (void)state;
#define F BAD "pagination_wrong_kinds.yaml:"
    assert_rejected(BAD "pagination_wrong_kinds.yaml", 5,
        F "21:17: error: pagination page_token 'page_token' must be a string, not int\n"
        F "10:13: note: 'page_token' is declared here\n"
        F "22:16: error: pagination page_size 'page_size' must be an int or int64, not string\n"
        F "12:13: note: 'page_size' is declared here\n"
        F "23:17: error: pagination next_token 'page_token' must be a string, not string[]\n"
        F "17:13: note: 'page_token' is declared here\n"
        F "24:15: error: pagination has_more 'has_more' must be a bool, not string\n"
        F "19:13: note: 'has_more' is declared here\n"
        F "25:12: error: pagination items 'items' must be an array, not string\n"
        F "15:13: note: 'items' is declared here\n");
#undef F
}

static void pagination_rejects_unknown_fields(void **state)
{
    (void)state;
#define F BAD "pagination_unknown_fields.yaml:"
    assert_rejected(BAD "pagination_unknown_fields.yaml", 3,
        F "17:17: error: pagination page_token 'page_token' is not a query parameter "
        "or request_body field of endpoint 'search_things'\n"
        F "18:17: error: pagination next_token 'next_page_token' is not a response_data "
        "field of endpoint 'search_things'\n"
        F "20:12: error: pagination items 'item' is not a response_data field of "
        "endpoint 'search_things'\n");
#undef F
}

static void pagination_rejects_bad_mapping(void **state)
{
    (void)state;
#define F BAD "pagination_missing_key.yaml:"
    assert_rejected(BAD "pagination_missing_key.yaml", 3,
        F "19:12: error: pagination items must be a scalar, not a list\n"
        F "20:5: error: unknown key 'page_limit' in pagination\n"
        F "17:5: error: pagination is missing the required key 'has_more'\n");
#undef F
}

static void pagination_rejects_opaque_response(void **state)
{
    (void)state;
    assert_rejected(BAD "pagination_opaque.yaml", 1,
        BAD "pagination_opaque.yaml:13:5: error: pagination needs response_format json "
        "(it reads has_more, the token and the items from response_data), not opaque\n");
}

/* ---- main --------------------------------------------------------------- */

/* oapigen.h's version is the project's (meson.build), which generated
 * files and their runtime compare. */
static void generator_version_is_the_projects(void **state)
{
    (void)state;
    assert_string_equal(OAPIGEN_VERSION, PROJECT_VERSION);
}

int main(void)
{
    const char *root = getenv("OAPIGEN_SOURCE_ROOT");
    if (!root || chdir(root) != 0) {
        fprintf(stderr, "test_spec_load: set OAPIGEN_SOURCE_ROOT to the source tree\n");
        return 1;
    }
    const struct CMUnitTest corehr_tests[] = {
        cmocka_unit_test(generator_version_is_the_projects),
        cmocka_unit_test(corehr_loads_without_errors),
        cmocka_unit_test(whole_corehr_loads_without_errors),
        cmocka_unit_test(corehr_conversion_mode_is_int_enum),
        cmocka_unit_test(corehr_required_if_finds_its_sibling),
        cmocka_unit_test(corehr_keeps_wire_typos),
        cmocka_unit_test(corehr_international_assignment_rules),
        cmocka_unit_test(corehr_types_once_dependencies_first),
        cmocka_unit_test(corehr_shared_enum_named_after_field),
    };
#define TEST(f) cmocka_unit_test_teardown(f, free_current)
    const struct CMUnitTest tests[] = {
        TEST(model_renames_c_keywords),
        TEST(model_makes_enum_constants_identifiers),
        TEST(model_names_case_variants_by_rank),
        TEST(model_survives_enum_named_like_a_type),
        TEST(loader_rejects_yaml_syntax_error),
        TEST(loader_reports_nul_byte_at_its_place),
        TEST(loader_reports_invalid_utf8_at_its_place),
        TEST(loader_rejects_empty_file),
        TEST(loader_rejects_missing_file),
        TEST(loader_rejects_unknown_top_level_key),
        TEST(loader_rejects_unknown_field_key),
        TEST(loader_rejects_duplicate_key),
        TEST(loader_rejects_missing_required_key),
        TEST(loader_rejects_other_format_version),
        TEST(loader_rejects_unknown_method),
        TEST(loader_rejects_path_without_slash),
        TEST(model_rejects_file_outside_multipart_body),
        TEST(model_rejects_multipart_on_get_and_nested_form_fields),
        TEST(model_rejects_binary_response_with_data),
        TEST(loader_rejects_unknown_body_and_response_formats),
        TEST(loader_rejects_non_bool_required),
        TEST(loader_rejects_example_not_of_type),
        TEST(loader_rejects_enum_on_bool),
        TEST(loader_rejects_invalid_json_example),
        TEST(loader_reads_rate_limit_forms),
        TEST(loader_rejects_bad_rate_limits),
        TEST(loader_reads_notes),
        TEST(loader_reports_several_errors_in_one_run),
        TEST(loader_rejects_alias),
        TEST(loader_rejects_alias_to_unread_node),
        TEST(loader_rejects_number_with_trailing_garbage),
        TEST(loader_rejects_int_out_of_range),
        TEST(loader_rejects_second_document),
        TEST(model_rejects_path_param_missing_from_list),
        TEST(model_rejects_path_param_missing_from_path),
        TEST(model_rejects_unknown_type),
        TEST(model_rejects_query_arrays_of_other_types),
        TEST(loader_rejects_rules_on_json),
        TEST(model_rejects_json_out_of_place),
        TEST(model_rejects_nested_array_misuse),
        TEST(model_rejects_type_cycle),
        TEST(model_rejects_type_defined_differently),
        TEST(model_names_field_missing_from_type),
        TEST(model_names_field_of_other_type),
        TEST(model_names_field_only_in_one_type),
        TEST(model_rejects_duplicate_endpoint),
        TEST(model_checks_retry_safe_and_response_format),
        TEST(model_rejects_duplicate_field),
        TEST(model_rejects_range_on_string),
        TEST(model_rejects_length_on_int),
        TEST(model_rejects_values_breaking_rules),
        TEST(model_rejects_decimals_on_other_than_float),
        TEST(loader_rejects_negative_decimals),
        TEST(model_rejects_required_if_without_sibling),
        TEST(model_rejects_required_if_value_outside_enum),
        TEST(model_rejects_required_if_value_outside_int_enum),
        TEST(model_rejects_required_if_equals_garbage),
        TEST(model_rejects_names_equal_after_sanitising),
        TEST(model_rejects_name_without_ascii_letter),
        TEST(model_rejects_bundle_not_identifier),
        TEST(model_rejects_two_bundles),
        TEST(model_rejects_endpoint_name_not_identifier),
        TEST(pagination_resolves_fields),
        TEST(pagination_rejects_wrong_kinds),
        TEST(pagination_rejects_unknown_fields),
        TEST(pagination_rejects_bad_mapping),
        TEST(pagination_rejects_opaque_response),
        TEST(model_rejects_enum_clashing_with_type),
    };
    int failed = cmocka_run_group_tests_name("corehr specs", corehr_tests,
                                             load_corehr, free_corehr);
    failed += cmocka_run_group_tests_name("spec checks", tests, NULL, NULL);
    return failed ? 1 : 0;
}
