/* test_import_doc.c - import-doc: documentation page (+ overlay) -> spec YAML.
 *
 * The four shipped specs must come out of their pages byte for byte; small
 * fixture pages pin down the exact output and the exact error messages. */
#include "oapigen.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* $env/rel as a malloc'd string. */
static char *env_path(const char *env, const char *rel)
{
    const char *root = getenv(env);
    assert_non_null(root);
    size_t n = strlen(root) + strlen(rel) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", root, rel);
    return p;
}

static char *fixture(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/fixtures/import/%s", name);
    return env_path("OAPIGEN_SOURCE_ROOT", rel);
}

static char *read_all(const char *path)
{
    char *text = og_read_file(path, NULL);
    if (!text)
        fail_msg("cannot read %s", path);
    return text;
}

/* Imports page with overlay (either may be NULL) and compares the YAML with
 * the file expected. */
static void expect_output(const char *page, const char *overlay, const char *name,
                          const char *expected)
{
    og_diag diag = {0};
    char *yaml = og_import_doc(page, overlay, name, &diag);
    if (diag.errors)
        fail_msg("unexpected errors:\n%s", diag.text.data);
    assert_non_null(yaml);
    char *want = read_all(expected);
    assert_string_equal(yaml, want);
    free(want);
    free(yaml);
    og_buf_free(&diag.text);
}

/* Imports a page that must fail with exactly the message given; "%s" in it
 * stands for the page's path. */
static void expect_error(const char *page, const char *overlay, const char *fmt,
                         const char *file)
{
    og_diag diag = {0};
    char *yaml = og_import_doc(page, overlay, NULL, &diag);
    assert_null(yaml);
    assert_int_equal(diag.errors, 1);
    char want[1024];
    snprintf(want, sizeof want, fmt, file);
    assert_string_equal(diag.text.data, want);
    og_buf_free(&diag.text);
}

static void expect_shipped(const char *page_file, const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "feishu-docs/%s", page_file);
    char *page = env_path("OAPIGEN_SHARED", rel);
    snprintf(rel, sizeof rel, "specs/corehr/%s.overlay.yaml", name);
    char *overlay = env_path("OAPIGEN_SOURCE_ROOT", rel);
    snprintf(rel, sizeof rel, "specs/corehr/%s.yaml", name);
    char *spec = env_path("OAPIGEN_SOURCE_ROOT", rel);
    expect_output(page, overlay, NULL, spec);
    free(page);
    free(overlay);
    free(spec);
}

static void import_reproduces_patch_probation_assessment(void **state)
{
    (void)state;
    expect_shipped("000_de86f27bd3cbb3ea.txt", "patch_probation_assessment");
}

static void import_reproduces_create_probation_assessments(void **state)
{
    (void)state;
    expect_shipped("001_9e646fa1807a24d2.txt", "create_probation_assessments");
}

static void import_reproduces_submit_probation(void **state)
{
    (void)state;
    expect_shipped("002_e2105467bc38556f.txt", "submit_probation");
}

static void import_reproduces_patch_international_assignment(void **state)
{
    (void)state;
    expect_shipped("003_c4ddfa4ee659db39.txt", "patch_international_assignment");
}

static void import_minimal_page(void **state)
{
    (void)state;
    char *page = fixture("minimal.md"), *want = fixture("minimal.expected.yaml");
    expect_output(page, NULL, NULL, want);
    free(page);
    free(want);
}

static void import_overlay_adds_required_if(void **state)
{
    (void)state;
    char *page = fixture("minimal.md"), *overlay = fixture("overlay.overlay.yaml");
    char *want = fixture("overlay.expected.yaml");
    expect_output(page, overlay, "ignored_for_overlay_name", want);
    free(page);
    free(overlay);
    free(want);
}

static void import_names_endpoint_from_argument(void **state)
{
    (void)state;
    char *page = fixture("minimal.md");
    og_diag diag = {0};
    char *yaml = og_import_doc(page, NULL, "create_item", &diag);
    assert_int_equal(diag.errors, 0);
    assert_non_null(strstr(yaml, "\nendpoint:\n  name: create_item\n"));
    free(yaml);
    free(page);
}

/* What the importer writes, the loader and the model check accept. */
static void import_output_passes_the_loader(void **state)
{
    (void)state;
    char *page = fixture("minimal.md"), *overlay = fixture("overlay.overlay.yaml");
    og_diag diag = {0};
    char *yaml = og_import_doc(page, overlay, NULL, &diag);
    assert_non_null(yaml);
    char path[] = "/tmp/test_import_doc_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(yaml, f);
    fclose(f);
    og_set *set = og_set_new();
    og_load_file(set, path);
    if (!set->diag.errors)
        og_model_check(set);
    if (set->diag.errors)
        fail_msg("loader errors:\n%s", set->diag.text.data);
    og_set_free(set);
    remove(path);
    free(yaml);
    free(page);
    free(overlay);
}

static void import_rejects_child_without_parent(void **state)
{
    (void)state;
    char *page = fixture("orphan_child.md");
    expect_error(page, NULL, "%s:59:1: error: field 'color' fits no parent: "
                 "no open object of the JSON example has it\n", page);
    free(page);
}

static void import_rejects_row_with_missing_columns(void **state)
{
    (void)state;
    char *page = fixture("missing_column.md");
    expect_error(page, NULL, "%s:53:1: error: table row has 3 columns, expected 4\n", page);
    free(page);
}

static void import_rejects_example_that_is_not_json(void **state)
{
    (void)state;
    char *page = fixture("bad_json.md");
    expect_error(page, NULL, "%s:87:58: error: the response example is not valid JSON\n",
                 page);
    free(page);
}

static void import_rejects_overlay_naming_no_field(void **state)
{
    (void)state;
    char *page = fixture("minimal.md"), *overlay = fixture("bad_at.overlay.yaml");
    expect_error(page, overlay, "%s:2:9: error: 'request_body.tags.colour' names no field "
                 "(expected path_params|query|request_body|response_data.NAME[.NAME...])\n",
                 overlay);
    free(page);
    free(overlay);
}

static void import_rejects_missing_page(void **state)
{
    (void)state;
    expect_error("/nonexistent/page.md", NULL, "oapigen: error: cannot read '%s'\n",
                 "/nonexistent/page.md");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import_reproduces_patch_probation_assessment),
        cmocka_unit_test(import_reproduces_create_probation_assessments),
        cmocka_unit_test(import_reproduces_submit_probation),
        cmocka_unit_test(import_reproduces_patch_international_assignment),
        cmocka_unit_test(import_minimal_page),
        cmocka_unit_test(import_overlay_adds_required_if),
        cmocka_unit_test(import_names_endpoint_from_argument),
        cmocka_unit_test(import_output_passes_the_loader),
        cmocka_unit_test(import_rejects_child_without_parent),
        cmocka_unit_test(import_rejects_row_with_missing_columns),
        cmocka_unit_test(import_rejects_example_that_is_not_json),
        cmocka_unit_test(import_rejects_overlay_naming_no_field),
        cmocka_unit_test(import_rejects_missing_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
