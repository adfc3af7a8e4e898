/* test_diff.c - og_diff (diff.c) and `oapigen diff`: every kind of change
 * between two spec sets is listed with its place and its class, and the
 * command's exit status says whether something breaks.
 *
 * Each fixture tests/fixtures/diff/<case>/{old,new}/ is a CoreHR spec copied
 * and changed in one way; a case read backwards (new -> old) tests the
 * opposite change. Paths are relative to OAPIGEN_SOURCE_ROOT (main() changes
 * into it), so the expected lines name files as a user would type them.
 */
#include "oapigen.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIX "tests/fixtures/diff/"
#define PPA "patch_probation_assessment"
#define SP "submit_probation"
/* The place a line points at: AT("method_changed", "new", PPA, "4:3"). */
#define AT(c, side, file, pos) FIX c "/" side "/" file ".yaml:" pos ": "

/* ---- helpers ------------------------------------------------------------ */

/* What a test allocates; the teardown frees it even after a failed
 * assertion, so valgrind sees only the library's own leaks. */
static og_set *old_set, *new_set;
static og_buf output;
static char *cli_out, *cli_err;

static int free_state(void **state)
{
    (void)state;
    og_set_free(old_set);
    og_set_free(new_set);
    old_set = new_set = NULL;
    og_buf_free(&output);
    free(cli_out);
    free(cli_err);
    cli_out = cli_err = NULL;
    return 0;
}

/* Loads and checks like the CLI; a fixture that does not load is a bug in
 * the test, reported with its diagnostics. */
static og_set *load(char *const *paths, int count)
{
    og_set *set = og_set_new();
    og_load_paths(set, paths, count);
    if (!set->diag.errors)
        og_model_check(set);
    return set;
}

static void assert_loaded(const og_set *set)
{
    if (set->diag.errors)
        fail_msg("fixture does not load:\n%s", set->diag.text.data);
}

static int diff_sets(char *const *old_paths, int nold, char *const *new_paths, int nnew)
{
    old_set = load(old_paths, nold);
    new_set = load(new_paths, nnew);
    assert_loaded(old_set);
    assert_loaded(new_set);
    return og_diff(old_set, new_set, &output);
}

/* The whole output (every line and the summary) and the breaking count. */
static void assert_diff(const char *old_path, const char *new_path, int breaking,
                        const char *want)
{
    char *old_paths[] = {(char *)old_path}, *new_paths[] = {(char *)new_path};
    int got = diff_sets(old_paths, 1, new_paths, 1);
    assert_string_equal(output.data, want);
    assert_int_equal(got, breaking);
}

/* Case c read forwards (old -> new) and backwards (new -> old). */
static void assert_forward(const char *c, int breaking, const char *want)
{
    char old_path[256], new_path[256];
    snprintf(old_path, sizeof old_path, FIX "%s/old", c);
    snprintf(new_path, sizeof new_path, FIX "%s/new", c);
    assert_diff(old_path, new_path, breaking, want);
}

static void assert_backward(const char *c, int breaking, const char *want)
{
    char old_path[256], new_path[256];
    snprintf(old_path, sizeof old_path, FIX "%s/new", c);
    snprintf(new_path, sizeof new_path, FIX "%s/old", c);
    assert_diff(old_path, new_path, breaking, want);
}

/* ---- identical sets ----------------------------------------------------- */

static void diff_identical_sets_have_no_changes(void **state)
{
    (void)state;
    assert_diff("specs/corehr", "specs/corehr", 0, "no changes\n");
}

/* Endpoints are matched by name, not by where they come in the set. */
static void diff_ignores_endpoint_order(void **state)
{
    (void)state;
    char *old_paths[] = {
        "specs/corehr/create_probation_assessments.yaml",
        "specs/corehr/patch_international_assignment.yaml",
        "specs/corehr/patch_probation_assessment.yaml",
        "specs/corehr/submit_probation.yaml",
    };
    char *new_paths[] = {
        "specs/corehr/submit_probation.yaml",
        "specs/corehr/patch_probation_assessment.yaml",
        "specs/corehr/patch_international_assignment.yaml",
        "specs/corehr/create_probation_assessments.yaml",
    };
    assert_int_equal(diff_sets(old_paths, 4, new_paths, 4), 0);
    assert_string_equal(output.data, "no changes\n");
}

/* ---- breaking ----------------------------------------------------------- */

static void diff_endpoint_removed_breaks(void **state)
{
    (void)state;
    assert_forward("endpoint_removed", 1,
        AT("endpoint_removed", "old", "create_probation_assessments", "4:9")
        "create_probation_assessments: endpoint removed (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

static void diff_method_changed_breaks(void **state)
{
    (void)state;
    assert_forward("method_changed", 1,
        AT("method_changed", "new", PPA, "4:3")
        PPA ": method changed from PATCH to PUT (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

static void diff_call_keys_changed(void **state)
{
    (void)state;
    assert_forward("call_keys_changed", 1,
        AT("call_keys_changed", "new", "search_things", "9:20")
        "search_things: response_format changed from json to opaque (BREAKING)\n"
        AT("call_keys_changed", "new", "search_things", "8:15")
        "search_things: retry_safe added (compatible, notable)\n"
        "2 changes: 1 breaking, 1 compatible (1 notable)\n");
    free_state(NULL);
    assert_backward("call_keys_changed", 1,
        AT("call_keys_changed", "old", "search_things", "4:3")
        "search_things: response_format changed from opaque to json (BREAKING)\n"
        AT("call_keys_changed", "old", "search_things", "4:3")
        "search_things: retry_safe removed (compatible)\n"
        "2 changes: 1 breaking, 1 compatible\n");
}

static void diff_path_changed_breaks(void **state)
{
    (void)state;
    assert_forward("path_changed", 1,
        AT("path_changed", "new", PPA, "11:9")
        PPA ": path changed from /open-apis/corehr/v2/probation/assessments/:assessment_id"
        " to /open-apis/corehr/v3/probation/assessments/:assessment_id (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

/* A renamed path parameter changes the path and the request struct. */
static void diff_path_param_renamed_breaks(void **state)
{
    (void)state;
    assert_forward("path_param_renamed", 3,
        AT("path_param_renamed", "new", PPA, "11:9")
        PPA ": path changed from /open-apis/corehr/v2/probation/assessments/:assessment_id"
        " to /open-apis/corehr/v2/probation/assessments/:id (BREAKING)\n"
        AT("path_param_renamed", "new", PPA, "22:7")
        PPA ": path_params.id: added, required (BREAKING)\n"
        AT("path_param_renamed", "old", PPA, "22:7")
        PPA ": path_params.assessment_id: removed (BREAKING)\n"
        "3 changes: 3 breaking, 0 compatible\n");
}

static void diff_request_field_removed_breaks(void **state)
{
    (void)state;
    assert_forward("request_field_removed", 1,
        AT("request_field_removed", "old", PPA, "71:7")
        PPA ": request_body.assessment_detail: removed (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

/* Callers that read a response field stop compiling when it goes. */
static void diff_response_field_removed_breaks(void **state)
{
    (void)state;
    assert_forward("response_field_removed", 1,
        AT("response_field_removed", "old", SP, "296:9")
        SP ": response_data.probation_info.notes: removed (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

/* A type shared by request and response is reported at each use. */
static void diff_type_kind_changed_breaks(void **state)
{
    (void)state;
    assert_forward("type_kind_changed", 2,
        AT("type_kind_changed", "new", SP, "235:15")
        SP ": request_body.custom_fields[].value: type changed from string to int (BREAKING)\n"
        AT("type_kind_changed", "new", SP, "235:15")
        SP ": response_data.probation_info.custom_fields[].value: type changed from string"
        " to int (BREAKING)\n"
        "2 changes: 2 breaking, 0 compatible\n");
}

static void diff_type_array_changed_breaks(void **state)
{
    (void)state;
    assert_forward("type_array_changed", 1,
        AT("type_array_changed", "new", PPA, "61:13")
        PPA ": request_body.assessment_grade: type changed from string to string[] (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

static void diff_object_type_renamed_breaks(void **state)
{
    (void)state;
    assert_forward("type_name_changed", 2,
        AT("type_name_changed", "new", SP, "228:15")
        SP ": request_body.custom_fields[].name: type renamed from custom_name to"
        " custom_field_name (the fields are compared where used) (BREAKING)\n"
        AT("type_name_changed", "new", SP, "228:15")
        SP ": response_data.probation_info.custom_fields[].name: type renamed from"
        " custom_name to custom_field_name (the fields are compared where used) (BREAKING)\n"
        "2 changes: 2 breaking, 0 compatible\n");
}

/* The importer names a type per shape (tag in the request, tag_resp in
 * the response): the rename is listed, and the fields are compared at the
 * use site, classified for its side. */
static void diff_type_split_by_shape_compares_where_used(void **state)
{
    (void)state;
    assert_forward("type_split", 1,
        AT("type_split", "new", "post_items", "20:13")
        "post_items: response_data.tags: type renamed from tag to tag_resp (the fields are"
        " compared where used) (BREAKING)\n"
        AT("type_split", "new", "post_items", "36:9")
        "post_items: response_data.tags[].colour: added (compatible)\n"
        "2 changes: 1 breaking, 1 compatible\n");
    free_state(NULL);
    assert_backward("type_split", 2,
        AT("type_split", "old", "post_items", "20:13")
        "post_items: response_data.tags: type renamed from tag_resp to tag (the fields are"
        " compared where used) (BREAKING)\n"
        AT("type_split", "new", "post_items", "36:9")
        "post_items: response_data.tags[].colour: removed (BREAKING)\n"
        "2 changes: 2 breaking, 0 compatible\n");
}

static void diff_optional_became_required_breaks(void **state)
{
    (void)state;
    assert_forward("became_required", 1,
        AT("became_required", "new", PPA, "47:7")
        PPA ": request_body.assessment_result: changed from optional to required (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

static void diff_request_enum_value_removed_breaks(void **state)
{
    (void)state;
    assert_forward("enum_value_removed", 1,
        AT("enum_value_removed", "new", PPA, "33:7")
        PPA ": request_body.assessment_status: enum value 'no_need' removed (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

static void diff_required_request_field_added_breaks(void **state)
{
    (void)state;
    assert_forward("required_field_added", 1,
        AT("required_field_added", "new", PPA, "80:7")
        PPA ": request_body.reviewer_id: added, required (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

static void diff_range_narrowed_breaks(void **state)
{
    (void)state;
    assert_forward("range_narrowed", 1,
        AT("range_narrowed", "new", PPA, "56:7")
        PPA ": request_body.assessment_score: range narrowed from 0..100 to 0..10 (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

static void diff_length_narrowed_breaks(void **state)
{
    (void)state;
    assert_forward("length_narrowed", 1,
        AT("length_narrowed", "new", PPA, "67:7")
        PPA ": request_body.assessment_comment: length narrowed from ..1000 to ..500"
        " (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

static void diff_format_date_added_breaks(void **state)
{
    (void)state;
    assert_forward("format_added", 1,
        AT("format_added", "new", SP, "79:7")
        SP ": request_body.actual_probation_end_date: format date added (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

static void diff_required_if_added_breaks(void **state)
{
    (void)state;
    assert_forward("required_if_added", 1,
        AT("required_if_added", "new", PPA, "51:20")
        PPA ": request_body.assessment_result: required_if added"
        " (assessment_status = \"completed\") (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
}

/* A new required field in a shared type breaks the request that sends it,
 * not the response that returns it. */
static void diff_type_field_added_breaks_request_side_only(void **state)
{
    (void)state;
    assert_forward("type_field_added", 1,
        AT("type_field_added", "new", SP, "222:9")
        SP ": request_body.custom_fields[].field_id: added, required (BREAKING)\n"
        AT("type_field_added", "new", SP, "222:9")
        SP ": response_data.probation_info.custom_fields[].field_id: added (compatible)\n"
        "2 changes: 1 breaking, 1 compatible\n");
}

static void diff_type_field_removed_breaks_both_sides(void **state)
{
    (void)state;
    assert_backward("type_field_added", 2,
        AT("type_field_added", "new", SP, "222:9")
        SP ": request_body.custom_fields[].field_id: removed (BREAKING)\n"
        AT("type_field_added", "new", SP, "222:9")
        SP ": response_data.probation_info.custom_fields[].field_id: removed (BREAKING)\n"
        "2 changes: 2 breaking, 0 compatible\n");
}

/* ---- compatible --------------------------------------------------------- */

/* Removing pagination removes the paging functions; adding adds them; a
 * changed field name changes how pages are walked. */
static void diff_pagination_changes(void **state)
{
    (void)state;
    assert_forward("pagination_removed", 1,
        AT("pagination_removed", "new", "list_things", "4:3")
        "list_things: pagination removed (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
    free_state(NULL);
    assert_backward("pagination_removed", 0,
        AT("pagination_removed", "old", "list_things", "36:5")
        "list_things: pagination added (compatible)\n"
        "1 change: 0 breaking, 1 compatible\n");
    free_state(NULL);
    assert_forward("pagination_changed", 0,
        AT("pagination_changed", "new", "list_things", "36:5")
        "list_things: pagination page_size changed from page_size to none "
        "(compatible, notable)\n"
        "1 change: 0 breaking, 1 compatible (1 notable)\n");
}

static void diff_endpoint_added_is_compatible(void **state)
{
    (void)state;
    assert_backward("endpoint_removed", 0,
        AT("endpoint_removed", "old", "create_probation_assessments", "4:9")
        "create_probation_assessments: endpoint added (compatible)\n"
        "1 change: 0 breaking, 1 compatible\n");
}

static void diff_optional_request_field_added_is_compatible(void **state)
{
    (void)state;
    assert_backward("request_field_removed", 0,
        AT("request_field_removed", "old", PPA, "71:7")
        PPA ": request_body.assessment_detail: added (compatible)\n"
        "1 change: 0 breaking, 1 compatible\n");
}

static void diff_response_field_added_is_compatible(void **state)
{
    (void)state;
    assert_backward("response_field_removed", 0,
        AT("response_field_removed", "old", SP, "296:9")
        SP ": response_data.probation_info.notes: added (compatible)\n"
        "1 change: 0 breaking, 1 compatible\n");
}

static void diff_enum_value_added_is_compatible(void **state)
{
    (void)state;
    assert_backward("enum_value_removed", 0,
        AT("enum_value_removed", "old", PPA, "45:18")
        PPA ": request_body.assessment_status: enum value 'no_need' added (compatible)\n"
        "1 change: 0 breaking, 1 compatible\n");
}

static void diff_required_became_optional_is_compatible(void **state)
{
    (void)state;
    assert_backward("became_required", 0,
        AT("became_required", "old", PPA, "47:7")
        PPA ": request_body.assessment_result: changed from required to optional"
        " (compatible)\n"
        "1 change: 0 breaking, 1 compatible\n");
}

static void diff_range_widened_is_compatible(void **state)
{
    (void)state;
    assert_backward("range_narrowed", 0,
        AT("range_narrowed", "old", PPA, "56:7")
        PPA ": request_body.assessment_score: range widened from 0..10 to 0..100"
        " (compatible)\n"
        "1 change: 0 breaking, 1 compatible\n");
}

static void diff_length_widened_is_compatible(void **state)
{
    (void)state;
    assert_backward("length_narrowed", 0,
        AT("length_narrowed", "old", PPA, "67:7")
        PPA ": request_body.assessment_comment: length widened from ..500 to ..1000"
        " (compatible)\n"
        "1 change: 0 breaking, 1 compatible\n");
}

static void diff_format_removed_is_compatible(void **state)
{
    (void)state;
    assert_backward("format_added", 0,
        AT("format_added", "old", SP, "79:7")
        SP ": request_body.actual_probation_end_date: format date removed (compatible)\n"
        "1 change: 0 breaking, 1 compatible\n");
}

static void diff_required_if_removed_is_compatible(void **state)
{
    (void)state;
    assert_backward("required_if_added", 0,
        AT("required_if_added", "old", PPA, "47:7")
        PPA ": request_body.assessment_result: required_if removed"
        " (assessment_status = \"completed\") (compatible)\n"
        "1 change: 0 breaking, 1 compatible\n");
}

/* What breaks a request is only a stronger promise in a response. */
static void diff_response_restrictions_are_compatible(void **state)
{
    (void)state;
    assert_forward("response_rules", 0,
        AT("response_rules", "new", SP, "267:9")
        SP ": response_data.probation_info.probation_start_date: format date added"
        " (compatible)\n"
        AT("response_rules", "new", SP, "308:9")
        SP ": response_data.probation_info.converted_via_bpm: changed from optional to"
        " required (compatible)\n"
        AT("response_rules", "new", SP, "326:9")
        SP ": response_data.probation_info.final_assessment_score: range narrowed from"
        " none to 0..100 (compatible)\n"
        "3 changes: 0 breaking, 3 compatible\n");
}

static void diff_documentation_changes_are_compatible(void **state)
{
    (void)state;
    assert_forward("docs_changed", 0,
        AT("docs_changed", "new", PPA, "4:3") PPA ": summary changed (compatible)\n"
        AT("docs_changed", "new", PPA, "4:3")
        PPA ": doc.updated changed from 2024-02-06 to 2025-03-01 (compatible)\n"
        AT("docs_changed", "new", PPA, "45:18")
        PPA ": request_body.assessment_status: enum value 'no_need' description changed"
        " (compatible)\n"
        AT("docs_changed", "new", PPA, "56:7")
        PPA ": request_body.assessment_score: example changed from 99.9 to 88.5"
        " (compatible)\n"
        AT("docs_changed", "new", PPA, "56:7")
        PPA ": request_body.assessment_score: description changed (compatible)\n"
        "5 changes: 0 breaking, 5 compatible\n");
}

/* Rate limits and lost permissions do not change the API, but may change
 * who gets through: compatible, and marked notable. */
static void diff_access_changes_are_compatible_but_notable(void **state)
{
    (void)state;
    assert_forward("access_changed", 0,
        AT("access_changed", "new", PPA, "4:3")
        PPA ": rate limit changed from 100/minute to 50/second (compatible, notable)\n"
        AT("access_changed", "new", PPA, "4:3")
        PPA ": app type 'store' removed (compatible, notable)\n"
        AT("access_changed", "new", PPA, "4:3")
        PPA ": scope 'corehr:probation:write' added (compatible)\n"
        "3 changes: 0 breaking, 3 compatible (2 notable)\n");
}

/* Every part of a rate limit counts; a special limit is one too. */
static void diff_rate_limit_parts(void **state)
{
    (void)state;
    assert_forward("rate_parts", 0,
        AT("rate_parts", "new", "get_other", "4:3")
        "get_other: rate limit changed from special to 1000/minute + 20/second "
        "(compatible, notable)\n"
        AT("rate_parts", "new", "search_things", "4:3")
        "search_things: rate limit changed from 1000/minute + 50/second to special "
        "(compatible, notable)\n"
        "2 changes: 0 breaking, 2 compatible (2 notable)\n");
}

/* ---- several changes at once --------------------------------------------- */

/* New set's endpoint order, then field order; removals after what is left. */
static void diff_combined_changes_in_order(void **state)
{
    (void)state;
    assert_forward("combined", 4,
        AT("combined", "new", "create_probation_assessments", "4:9")
        "create_probation_assessments: endpoint added (compatible)\n"
        AT("combined", "new", PPA, "47:18")
        PPA ": request_body.assessment_status: enum value 'cancelled' added (compatible)\n"
        AT("combined", "new", PPA, "49:7")
        PPA ": request_body.assessment_result: changed from optional to required (BREAKING)\n"
        AT("combined", "new", SP, "4:3")
        SP ": rate limit changed from 100/minute to 20/minute (compatible, notable)\n"
        AT("combined", "new", SP, "235:15")
        SP ": request_body.custom_fields[].value: type changed from string to int (BREAKING)\n"
        AT("combined", "new", SP, "235:15")
        SP ": response_data.probation_info.custom_fields[].value: type changed from string"
        " to int (BREAKING)\n"
        AT("combined", "old", SP, "296:9")
        SP ": response_data.probation_info.notes: removed (BREAKING)\n"
        "7 changes: 4 breaking, 3 compatible (1 notable)\n");
}

/* ---- the command line --------------------------------------------------- */

static char *read_all(FILE *f)
{
    long n;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        return NULL;
    char *s = calloc((size_t)n + 1, 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        return NULL;
    }
    return s;
}

/* Runs `oapigen diff ARGS...` (NULL-terminated); returns its exit status and
 * leaves its stdout and stderr in cli_out and cli_err (replacing those of an
 * earlier run). */
static int run_diff_cli(const char *arg, ...)
{
    const char *exe = getenv("OAPIGEN_EXE");
    if (!exe)
        fail_msg("OAPIGEN_EXE is not set");
    char *argv[16] = {(char *)exe, "diff"};
    int argc = 2;
    va_list ap;
    va_start(ap, arg);
    for (const char *a = arg; a && argc < 15; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    free(cli_out);
    free(cli_err);
    cli_out = cli_err = NULL;
    FILE *out = tmpfile(), *err = tmpfile();
    assert_non_null(out);
    assert_non_null(err);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fileno(out), STDOUT_FILENO);
        dup2(fileno(err), STDERR_FILENO);
        execv(exe, argv);
        _exit(127);
    }
    int status = -1;
    assert_true(pid > 0 && waitpid(pid, &status, 0) == pid);
    cli_out = read_all(out);
    cli_err = read_all(err);
    fclose(out);
    fclose(err);
    assert_non_null(cli_out);
    assert_non_null(cli_err);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void cli_exits_0_without_changes(void **state)
{
    (void)state;
    assert_int_equal(run_diff_cli("specs/corehr", "specs/corehr", NULL), 0);
    assert_string_equal(cli_out, "no changes\n");
    assert_string_equal(cli_err, "");
}

static void cli_exits_0_when_everything_is_compatible(void **state)
{
    (void)state;
    assert_int_equal(run_diff_cli(FIX "access_changed/old", FIX "access_changed/new", NULL), 0);
    assert_non_null(strstr(cli_out, "3 changes: 0 breaking, 3 compatible (2 notable)\n"));
}

static void cli_exits_1_when_something_breaks(void **state)
{
    (void)state;
    assert_int_equal(run_diff_cli(FIX "method_changed/old", FIX "method_changed/new", NULL), 1);
    assert_string_equal(cli_out,
        AT("method_changed", "new", PPA, "4:3")
        PPA ": method changed from PATCH to PUT (BREAKING)\n"
        "1 change: 1 breaking, 0 compatible\n");
    assert_string_equal(cli_err, "");
}

/* Several paths a side: `--` separates the sets. */
static void cli_separator_splits_the_sets(void **state)
{
    (void)state;
    assert_int_equal(run_diff_cli(FIX "combined/old/" PPA ".yaml", FIX "combined/old/" SP ".yaml",
                                  "--", FIX "combined/new", NULL), 1);
    assert_non_null(strstr(cli_out, "7 changes: 4 breaking, 3 compatible (1 notable)\n"));
}

static void cli_exits_2_on_usage_errors(void **state)
{
    (void)state;
    assert_int_equal(run_diff_cli(NULL), 2);
    assert_string_equal(cli_out, "");
    assert_non_null(strstr(cli_err, "usage: oapigen diff OLD NEW"));
    assert_int_equal(run_diff_cli("specs/corehr", NULL), 2);
    assert_int_equal(run_diff_cli("specs/corehr", "specs/corehr", "specs/corehr", NULL), 2);
    assert_int_equal(run_diff_cli("specs/corehr", "--", NULL), 2);
    assert_int_equal(run_diff_cli("--bogus", "specs/corehr", "specs/corehr", NULL), 2);
    assert_string_equal(cli_err, "oapigen diff: unknown option '--bogus'\n");
}

/* A set that does not load: its diagnostics, nothing on stdout, status 2. */
static void cli_exits_2_when_a_set_fails_to_load(void **state)
{
    (void)state;
    const char *bad = "tests/fixtures/specs/bad/unknown_method.yaml";
    assert_int_equal(run_diff_cli("specs/corehr", bad, NULL), 2);
    assert_string_equal(cli_out, "");
    assert_string_equal(cli_err, "tests/fixtures/specs/bad/unknown_method.yaml:6:11: error: "
                                 "unknown method 'FETCH' (known: GET, POST, PUT, PATCH, DELETE)\n");
    assert_int_equal(run_diff_cli("tests/fixtures/diff/no_such_dir", "specs/corehr", NULL), 2);
    assert_string_equal(cli_out, "");
    assert_non_null(strstr(cli_err, "no_such_dir"));
}

/* ---- main --------------------------------------------------------------- */

int main(void)
{
    const char *root = getenv("OAPIGEN_SOURCE_ROOT");
    if (!root || chdir(root) != 0) {
        fprintf(stderr, "test_diff: set OAPIGEN_SOURCE_ROOT to the source tree\n");
        return 1;
    }
#define TEST(f) cmocka_unit_test_teardown(f, free_state)
    const struct CMUnitTest tests[] = {
        TEST(diff_identical_sets_have_no_changes),
        TEST(diff_ignores_endpoint_order),
        TEST(diff_endpoint_removed_breaks),
        TEST(diff_method_changed_breaks),
        TEST(diff_path_changed_breaks),
        TEST(diff_call_keys_changed),
        TEST(diff_path_param_renamed_breaks),
        TEST(diff_request_field_removed_breaks),
        TEST(diff_response_field_removed_breaks),
        TEST(diff_type_kind_changed_breaks),
        TEST(diff_type_array_changed_breaks),
        TEST(diff_object_type_renamed_breaks),
        TEST(diff_type_split_by_shape_compares_where_used),
    TEST(diff_optional_became_required_breaks),
        TEST(diff_request_enum_value_removed_breaks),
        TEST(diff_required_request_field_added_breaks),
        TEST(diff_range_narrowed_breaks),
        TEST(diff_length_narrowed_breaks),
        TEST(diff_format_date_added_breaks),
        TEST(diff_required_if_added_breaks),
        TEST(diff_type_field_added_breaks_request_side_only),
        TEST(diff_type_field_removed_breaks_both_sides),
        TEST(diff_endpoint_added_is_compatible),
        TEST(diff_pagination_changes),
        TEST(diff_optional_request_field_added_is_compatible),
        TEST(diff_response_field_added_is_compatible),
        TEST(diff_enum_value_added_is_compatible),
        TEST(diff_required_became_optional_is_compatible),
        TEST(diff_range_widened_is_compatible),
        TEST(diff_length_widened_is_compatible),
        TEST(diff_format_removed_is_compatible),
        TEST(diff_required_if_removed_is_compatible),
        TEST(diff_response_restrictions_are_compatible),
        TEST(diff_documentation_changes_are_compatible),
        TEST(diff_access_changes_are_compatible_but_notable),
        TEST(diff_rate_limit_parts),
        TEST(diff_combined_changes_in_order),
        TEST(cli_exits_0_without_changes),
        TEST(cli_exits_0_when_everything_is_compatible),
        TEST(cli_exits_1_when_something_breaks),
        TEST(cli_separator_splits_the_sets),
        TEST(cli_exits_2_on_usage_errors),
        TEST(cli_exits_2_when_a_set_fails_to_load),
    };
#undef TEST
    return cmocka_run_group_tests(tests, NULL, NULL);
}
