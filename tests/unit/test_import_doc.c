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

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
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

/* ---- small inline pages and the real pages --------------------------------- */

/* A page of the documentation's layout: the request table's first rows,
 * then `rows` (more rows of the request table) and `rest` (sections). */
static char *write_page(const char *rows, const char *rest)
{
    static const char head[] =
        "---\ntitle: \"示例\"\n---\n# 示例\n\n查询示例\n\n## 请求\n名称 | 值\n---|---\n"
        "HTTP URL | https://open.feishu.cn/open-apis/demo/v1/items\n"
        "HTTP Method | GET\n";
    char *path = strdup("/tmp/test_import_page_XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fprintf(f, "%s%s\n%s", head, rows, rest ? rest : "");
    fclose(f);
    return path;
}

typedef struct imported {
    char *page;          /* the page's path (malloc'd) */
    char *yaml;          /* NULL when the import failed */
    og_diag diag;
} imported;

static imported import_inline(const char *rows, const char *rest, bool strict)
{
    imported r = {.page = write_page(rows, rest), .diag = {.strict = strict}};
    r.yaml = og_import_doc(r.page, NULL, "item", &r.diag);
    return r;
}

/* One of the real pages in $OAPIGEN_SHARED/feishu-pages. */
static imported import_real(const char *file)
{
    char rel[256];
    snprintf(rel, sizeof rel, "feishu-pages/%s", file);
    imported r = {.page = env_path("OAPIGEN_SHARED", rel)};
    r.yaml = og_import_doc(r.page, NULL, "item", &r.diag);
    if (!r.yaml)
        fail_msg("%s does not import:\n%s", file, r.diag.text.data);
    return r;
}

static void imported_free(imported *r, bool remove_page)
{
    if (remove_page)
        remove(r->page);
    free(r->page);
    free(r->yaml);
    og_buf_free(&r->diag.text);
}

/* The YAML must contain want verbatim. */
static void expect_in(const imported *r, const char *want)
{
    if (!r->yaml)
        fail_msg("the import failed:\n%s", r->diag.text.data);
    if (!strstr(r->yaml, want))
        fail_msg("expected\n%s\nin\n%s", want, r->yaml);
}

/* The diagnostics must be exactly fmt, "%s" standing for the page. */
static void expect_diag(const imported *r, const char *fmt)
{
    char want[2048];
    snprintf(want, sizeof want, fmt, r->page, r->page, r->page);
    assert_string_equal(r->diag.text.data ? r->diag.text.data : "", want);
}

/* The overlay is named after the name import-doc makes from method and path
 * (how a folder import finds it); its `name:` gives the shipped name. */
static void expect_shipped(const char *page_file, const char *overlay_name, const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "feishu-docs/%s", page_file);
    char *page = env_path("OAPIGEN_SHARED", rel);
    snprintf(rel, sizeof rel, "specs/corehr/%s.overlay.yaml", overlay_name);
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
    expect_shipped("000_de86f27bd3cbb3ea.txt", "patch_probation_assessments",
                   "patch_probation_assessment");
}

static void import_reproduces_create_probation_assessments(void **state)
{
    (void)state;
    expect_shipped("001_9e646fa1807a24d2.txt", "post_probation_assessments",
                   "create_probation_assessments");
}

static void import_reproduces_submit_probation(void **state)
{
    (void)state;
    expect_shipped("002_e2105467bc38556f.txt", "post_probation_submit",
                   "submit_probation");
}

static void import_reproduces_patch_international_assignment(void **state)
{
    (void)state;
    expect_shipped("003_c4ddfa4ee659db39.txt", "patch_employees_international_assignments",
                   "patch_international_assignment");
}

static void import_minimal_page(void **state)
{
    (void)state;
    char *page = fixture("minimal.md"), *want = fixture("minimal.expected.yaml");
    expect_output(page, NULL, NULL, want);
    free(page);
    free(want);
}

/* Whether the loader accepts this endpoint line and field type (features
 * of the agreed syntax that land in the loader one by one): until it does,
 * the importer's self-check refuses pages that need them, and the tests of
 * those pages are skipped, saying why. */
static bool loader_accepts(const char *endpoint_line, const char *type)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    assert_non_null(f);
    fprintf(f, "oapigen: 1\nbundle: demo\nendpoint:\n  name: probe\n  summary: x\n"
            "  method: POST\n  path: /open-apis/demo/v1/x\n%s"
            "  app_types: [self_built]\n  access_tokens: [tenant]\n  scopes: []\n"
            "  field_scopes: []\n  path_params: []\n  query: []\n"
            "  request_body:\n    - name: a\n      type: %s\n"
            "  response_data: []\n  errors: []\ntypes:\n  - name: t\n    fields:\n"
            "      - name: b\n        type: int\n", endpoint_line, type);
    fclose(f);
    og_set *set = og_set_new();
    og_load_text(set, "probe.yaml", text, n);
    if (!set->diag.errors)
        og_model_check(set);
    bool ok = set->diag.errors == 0;
    og_set_free(set);
    free(text);
    return ok;
}

#define NEEDS(line, type)                                                          \
    do {                                                                           \
        if (!loader_accepts(line, type)) {                                         \
            print_message("the loader does not accept %s%s yet\n", line, type);    \
            skip();                                                                \
        }                                                                          \
    } while (0)

/* Field types the spec syntax has: query arrays, json for free-form
 * objects, arrays of arrays, array examples kept in the description, the
 * bounds rules, date-only formats, enum list variants, pagination and a
 * type name the page uses for two shapes (enum -> enum_resp). */
static void import_field_types_and_pagination(void **state)
{
    (void)state;
    NEEDS("", "json");
    NEEDS("", "t[][]");
    char *page = fixture("fields.md"), *want = fixture("fields.expected.yaml");
    expect_output(page, NULL, NULL, want);
    free(page);
    free(want);
}

/* A file row makes the body multipart; its HTTP example is not kept. */
static void import_multipart_upload(void **state)
{
    (void)state;
    NEEDS("  body_format: multipart\n", "file");
    char *page = fixture("upload.md"), *want = fixture("upload.expected.yaml");
    expect_output(page, NULL, NULL, want);
    free(page);
    free(want);
}

/* No 响应体, "返回文件二进制流": a download. */
static void import_binary_download(void **state)
{
    (void)state;
    NEEDS("  response_format: binary\n", "int");
    char *page = fixture("download.md"), *want = fixture("download.expected.yaml");
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

/* A row the example does not show: kept in the innermost open object,
 * with a warning at the row. */
static void import_keeps_row_the_example_lacks(void **state)
{
    (void)state;
    char *page = fixture("orphan_child.md");
    og_diag diag = {0};
    char *yaml = og_import_doc(page, NULL, NULL, &diag);
    assert_non_null(yaml);
    assert_int_equal(diag.errors, 0);
    assert_int_equal(diag.warnings, 1);
    char want[512];
    snprintf(want, sizeof want, "%s:59:1: warning: the JSON example does not show field "
             "'color'; taken as a field of 'tags'\n", page);
    assert_string_equal(diag.text.data, want);
    assert_non_null(strstr(yaml, "  - name: tag\n    fields:\n      - name: name\n"));
    assert_non_null(strstr(yaml, "      - name: color\n        type: string\n"
                                 "        description: 颜色\n"));
    free(yaml);
    og_buf_free(&diag.text);
    free(page);
}

static void import_rejects_row_with_missing_columns(void **state)
{
    (void)state;
    char *page = fixture("missing_column.md");
    expect_error(page, NULL, "%s:53:1: error: table row has 3 columns, expected 4\n", page);
    free(page);
}

/* An example no repair makes JSON ("2024-01-02" unquoted) is left out of
 * the spec with a warning where cJSON stopped; --strict refuses it. */
static void import_leaves_out_example_that_is_not_json(void **state)
{
    (void)state;
    char *page = fixture("bad_json.md");
    og_diag diag = {0};
    char *yaml = og_import_doc(page, NULL, NULL, &diag);
    assert_non_null(yaml);
    char want[1024];
    snprintf(want, sizeof want, "%s:87:58: warning: the response example is not valid "
             "JSON; left out of the spec\n", page);
    assert_non_null(diag.text.data);
    assert_true(starts_with(diag.text.data, want));
    assert_null(strstr(yaml, "    response: "));
    assert_non_null(strstr(yaml, "  examples:\n    request: |\n"));
    free(yaml);
    og_buf_free(&diag.text);
    diag = (og_diag){.strict = true};
    assert_null(og_import_doc(page, NULL, NULL, &diag));
    snprintf(want, sizeof want, "%s:87:58: error: the response example is not valid "
             "JSON; left out of the spec\n", page);
    assert_true(starts_with(diag.text.data, want));
    og_buf_free(&diag.text);
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

/* An overlay's invalid UTF-8 is reported where it is, not at 1:1. */
static void import_reports_overlay_bad_utf8_at_its_place(void **state)
{
    (void)state;
    char *page = fixture("minimal.md"), *overlay = fixture("invalid_utf8.overlay.yaml");
    expect_error(page, overlay, "%s:7:25: error: invalid leading UTF-8 octet\n", overlay);
    free(page);
    free(overlay);
}

/* A type the page uses with other fields in the response: a variant,
 * NAME_resp, and the response's field points at it. */
static void import_names_variant_of_type_used_differently(void **state)
{
    (void)state;
    char *page = fixture("type_reused.md");
    og_diag diag = {0};
    char *yaml = og_import_doc(page, NULL, NULL, &diag);
    assert_non_null(yaml);
    assert_int_equal(diag.errors, 0);
    assert_non_null(strstr(yaml, "    - name: tags\n      type: tag_resp[]\n"));
    assert_non_null(strstr(yaml, "  - name: tag\n    fields:\n      - name: name\n"));
    assert_non_null(strstr(yaml, "  - name: tag_resp\n    fields:\n      - name: colour\n"
                                 "        type: string\n        description: 颜色\n"));
    free(yaml);
    og_buf_free(&diag.text);
    free(page);
}

/* The importer loads what it wrote: an overlay condition the field's
 * type can never meet is reported at the page row and the overlay entry. */
static void import_refuses_spec_that_does_not_load(void **state)
{
    (void)state;
    char *page = fixture("minimal.md"), *overlay = fixture("bad_required_if.overlay.yaml");
    og_diag diag = {0};
    char *yaml = og_import_doc(page, overlay, NULL, &diag);
    assert_null(yaml);
    assert_int_equal(diag.errors, 1);
    char want[1024];
    snprintf(want, sizeof want, "%s:53:1: error: the spec made from this page does not "
             "load: required_if equals \"fast\", which 'mode' (int) can never hold "
             "(post_items.yaml:45:20)\n%s:2:5: note: the overlay changes 'note' here\n",
             page, overlay);
    assert_string_equal(diag.text.data, want);
    og_buf_free(&diag.text);
    free(page);
    free(overlay);
}

/* A folder as one set: clashing endpoint names get their path parameters,
 * a type name with another shape in a later page gets the page's endpoint
 * name, and the specs load together. */
static void import_set_tells_names_apart(void **state)
{
    (void)state;
    char *a = fixture("set/a.md"), *b = fixture("set/b.md");
    og_import_page pages[] = {{.page = a}, {.page = b}};
    og_diag diag = {0};
    assert_int_equal(og_import_docs(pages, 2, NULL, &diag), 0);
    assert_int_equal(diag.errors, 0);
    assert_string_equal(pages[0].endpoint, "get_items_by_item_id");
    assert_string_equal(pages[1].endpoint, "get_items");
    assert_string_equal(pages[0].bundle, "demo");
    assert_non_null(strstr(pages[0].yaml, "    - name: status\n      type: enum\n"));
    assert_non_null(strstr(pages[1].yaml, "    - name: status\n      type: enum_get_items\n"));
    assert_non_null(strstr(pages[1].yaml, "types:\n  - name: enum_get_items\n"));
    og_set *set = og_set_new();
    og_load_text(set, "a.yaml", pages[0].yaml, strlen(pages[0].yaml));
    og_load_text(set, "b.yaml", pages[1].yaml, strlen(pages[1].yaml));
    og_model_check(set);
    assert_int_equal(set->diag.errors, 0);
    og_set_free(set);
    for (int i = 0; i < 2; i++) {
        free(pages[i].yaml);
        free(pages[i].bundle);
        free(pages[i].endpoint);
    }
    og_buf_free(&diag.text);
    free(a);
    free(b);
}

/* 070 lists one allowed value (people_employee_id) but gives open_id as
 * example and default: the list is kept as text, with a warning at the
 * row, so that the client does not refuse what the server takes. */
static void import_keeps_contradicted_enum_as_text(void **state)
{
    (void)state;
    imported r = import_real("070_server-docs_corehr-v1_employee_person_get.txt");
    expect_in(&r, "    - name: user_id_type\n      type: string\n      description: |-\n"
                  "        用户 ID 类型\n        可选值有：\n"
                  "        - people_employee_id：以people_employee_id来识别用户\n"
                  "      example: open_id\n      default: open_id\n");
    assert_non_null(strstr(r.diag.text.data, "070_server-docs_corehr-v1_employee_person_get.txt"
                           ":47:1: warning: the example of 'user_id_type' is not one of its "
                           "allowed values; the values are kept in the description, not "
                           "enforced\n"));
    imported_free(&r, false);
}

static void import_rejects_missing_page(void **state)
{
    (void)state;
    expect_error("/nonexistent/page.md", NULL, "oapigen: error: cannot read '%s'\n",
                 "/nonexistent/page.md");
}

/* ---- field rules stated in prose ------------------------------------------ */

static const char decimal_rows[] =
    "### 查询参数\n\n名称 | 类型 | 必填 | 描述\n--- | --- | --- | ---\n"
    "a | number(float) | 否 | 时长  \n- 限制两位小数\n"
    "b | number(float) | 否 | 金额，保留2位小数\n"
    "c | number(float) | 否 | 得分（精确到小数点后一位）\n"
    "d | number(float) | 否 | 数量，最多6位小数\n"
    "e | number(float) | 否 | 小数位数与设置一致\n"
    "f | string | 否 | 奖金，支持小数点后两位\n"
    "g | number(float) | 否 | 时刻，yyyy-mm-dd\n"
    "h | string | 否 | 时刻，YYYY-MM-DD 00:00:00\n"
    "i | string | 否 | 日期，YYYY-MM-DD（最小单位到日）\n";

/* 限制两位小数 and its variants become `decimals` on float fields only
 * (a string amount keeps its prose); a date-time is not format: date. */
static void import_reads_decimals_and_dates(void **state)
{
    (void)state;
    imported r = import_inline("", decimal_rows, false);
    expect_in(&r, "    - name: a\n      type: float\n      description: |-\n"
                  "        时长\n        - 限制两位小数\n      decimals: 2\n");
    expect_in(&r, "      description: 金额，保留2位小数\n      decimals: 2\n");
    expect_in(&r, "      description: 得分（精确到小数点后一位）\n      decimals: 1\n");
    expect_in(&r, "      description: 数量，最多6位小数\n      decimals: 6\n");
    expect_in(&r, "      description: 小数位数与设置一致\n    - name: f\n");
    expect_in(&r, "      description: 奖金，支持小数点后两位\n    - name: g\n");
    expect_in(&r, "      description: 时刻，YYYY-MM-DD 00:00:00\n    - name: i\n");
    expect_in(&r, "      description: 日期，YYYY-MM-DD（最小单位到日）\n"
                  "      format: date\n");
    imported_free(&r, true);
}

/* ---- request table rules ---------------------------------------------------- */

/* Rule: a key cell may run over several lines (notes on the key), the value
 * starting after the '|' of the last; every value line is one scope. */
static void import_reads_several_scopes(void **state)
{
    (void)state;
    imported r = import_inline(
        "权限要求  \n"
        "            **调用该 API 所需的权限。开启其中任意一项权限即可调用**  \n"
        "            开启任一权限即可 | 读示例(demo:item:read)  \n"
        "            写示例(demo:item:write)\n"
        "字段权限要求 | **注意事项**：该接口返回体中存在下列敏感字段  \n"
        "        获取用户 user ID(contact:user.employee_id:readonly)  \n"
        "        读备注(demo:item.note:read)\n", NULL, false);
    expect_in(&r, "  scopes:\n    - name: demo:item:read\n      title: 读示例\n"
                  "    - name: demo:item:write\n      title: 写示例\n"
                  "  field_scopes:\n"
                  "    - name: contact:user.employee_id:readonly\n      title: 获取用户 user ID\n"
                  "    - name: demo:item.note:read\n      title: 读备注\n");
    assert_int_equal(r.diag.warnings, 0);
    imported_free(&r, true);
}

/* Rule: a field's "**字段权限要求**：" label may carry its colon inside the
 * bold ("**字段权限要求：**", ASCII ':' too) and be followed by a blank line
 * before the scope (070_server-docs_corehr-v1_employee_person_get:
 * marital_status); the rows after it still belong to the table. */
static void import_reads_field_scopes_after_a_blank_line(void **state)
{
    (void)state;
    imported r = import_inline("",
        "## 响应\n\n### 响应体\n\n名称 | 类型 | 描述\n--- | --- | ---\n"
        "code | int | 错误码，非 0 表示失败\nmsg | string | 错误描述\ndata | \\- | \\-\n"
        "marital_status | string | 婚姻状况  \n**字段权限要求：**  \n\n"
        "读婚姻状况(demo:item.marital:read)\n"
        "note | string | 备注  \n**字段权限要求:**\n读备注(demo:item.note:read)\n", false);
    expect_in(&r, "    - name: marital_status\n      type: string\n      description: 婚姻状况\n"
                  "      scopes:\n        - name: demo:item.marital:read\n"
                  "          title: 读婚姻状况\n"
                  "    - name: note\n      type: string\n      description: 备注\n"
                  "      scopes:\n        - name: demo:item.note:read\n          title: 读备注\n");
    imported_free(&r, true);
}

/* A scope line without "(name)" is left out with a warning; --strict
 * makes the warning an error. */
static void import_warns_about_scope_without_name(void **state)
{
    (void)state;
    const char *rows = "权限要求  \n **调用该 API 所需的权限** | 获取示例信息\n";
    imported r = import_inline(rows, NULL, false);
    expect_in(&r, "  scopes: []\n");
    expect_diag(&r, "%s:14:22: warning: scope '获取示例信息' has no '(name)'; left out\n");
    imported_free(&r, true);
    r = import_inline(rows, NULL, true);
    assert_null(r.yaml);
    expect_diag(&r, "%s:14:22: error: scope '获取示例信息' has no '(name)'; left out\n");
    imported_free(&r, true);
}

/* What the importer wrote, the loader and the model check accept. */
static void expect_loads(const imported *r)
{
    char path[] = "/tmp/test_import_spec_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(r->yaml, f);
    fclose(f);
    og_set *set = og_set_new();
    og_load_file(set, path);
    if (!set->diag.errors)
        og_model_check(set);
    if (set->diag.errors)
        fail_msg("loader errors:\n%s", set->diag.text.data);
    og_set_free(set);
    remove(path);
}

/* Rule: the rate limit "[1000 次/分钟、50 次/秒](link)" keeps every part. */
static void import_reads_rate_limit_of_two_parts(void **state)
{
    (void)state;
    imported r = import_inline("接口频率限制 | [1000 次/分钟、50 次/秒](https://open.feishu.cn/x)\n",
                               NULL, false);
    expect_in(&r, "  path: /open-apis/demo/v1/items\n  rate_limit:\n"
                  "    - count: 1000\n      per: minute\n"
                  "    - count: 50\n      per: second\n  app_types");
    assert_int_equal(r.diag.warnings, 0);
    expect_loads(&r);
    imported_free(&r, true);
}

/* Rule: a limit without a number (特殊频控) is special: no client limit. */
static void import_reads_special_rate_limit(void **state)
{
    (void)state;
    imported r = import_inline("接口频率限制 | [特殊频控](https://open.feishu.cn/x)\n",
                               NULL, false);
    expect_in(&r, "  rate_limit:\n    special: true\n    description: 特殊频控\n");
    expect_loads(&r);
    imported_free(&r, true);
}

/* Rule: words around the number (单租户) are the part's description; the
 * blanks and the link are optional; 分/时/日 are minute/hour/day. */
static void import_keeps_rate_limit_qualifiers(void **state)
{
    (void)state;
    imported r = import_inline("接口频率限制 | 单租户 100次/分钟，单应用 5 次/秒（共享）\n",
                               NULL, false);
    expect_in(&r, "  rate_limit:\n"
                  "    - count: 100\n      per: minute\n      description: 单租户\n"
                  "    - count: 5\n      per: second\n      description: 单应用 （共享）\n");
    expect_loads(&r);
    imported_free(&r, true);
    r = import_inline("接口频率限制 | 20 次/分\n", NULL, false);
    expect_in(&r, "  rate_limit:\n    count: 20\n    per: minute\n  app_types");
    imported_free(&r, true);
    r = import_inline("接口频率限制 | 单应用每秒 10 次、每小时1000次\n", NULL, false);
    expect_in(&r, "  rate_limit:\n"
                  "    - count: 10\n      per: second\n      description: 单应用\n"
                  "    - count: 1000\n      per: hour\n  app_types");
    imported_free(&r, true);
}

/* A row whose value goes on over more lines: the first line is read, the
 * rest kept as a note, with a warning. */
static void import_keeps_extra_row_lines_as_note(void **state)
{
    (void)state;
    imported r = import_inline("接口频率限制 | 100 次/分钟\n        高峰期可能更低\n", NULL, false);
    expect_in(&r, "  rate_limit:\n    count: 100\n    per: minute\n");
    expect_in(&r, "  notes:\n    - title: 接口频率限制\n      text: 高峰期可能更低\n");
    expect_diag(&r, "%s:14:1: warning: row '接口频率限制' goes on over more lines; "
                    "they are kept as a note\n");
    imported_free(&r, true);
}

/* A part without a number next to parts with one is left out, with a
 * warning; no row at all means no rate_limit. */
static void import_warns_about_unreadable_rate_part(void **state)
{
    (void)state;
    imported r = import_inline("接口频率限制 | [100 次/分钟、视负载而定](https://x)\n",
                               NULL, false);
    expect_in(&r, "  rate_limit:\n    count: 100\n    per: minute\n  app_types");
    expect_diag(&r, "%s:13:20: warning: rate limit part '视负载而定' is not "
                    "'N 次/unit'; left out\n");
    imported_free(&r, true);
    r = import_inline("", NULL, false);
    assert_non_null(r.yaml);
    assert_null(strstr(r.yaml, "rate_limit"));
    imported_free(&r, true);
}

/* 022 (job get): 1000 次/分钟、50 次/秒; 118 (department search): 特殊频控. */
static void import_real_pages_rate_limits(void **state)
{
    (void)state;
    imported r = import_real("022_corehr-v1_job-management_job_get.txt");
    expect_in(&r, "  method: GET\n  path: /open-apis/corehr/v2/jobs/:job_id\n"
                  "  rate_limit:\n    - count: 1000\n      per: minute\n"
                  "    - count: 50\n      per: second\n");
    expect_loads(&r);
    imported_free(&r, false);
}

/* Rule: older pages name the field table's columns "参数 | 类型 | 必须 |
 * 说明" (and the request table "基本 |"); they mean the same. */
static void import_reads_older_column_names(void **state)
{
    (void)state;
    imported r = import_inline("",
        "### 查询参数\n\n参数 | 类型 | 必须 | 说明\n--- | --- | --- | ---\n"
        "page_size | int | 是 | 分页大小\n", false);
    expect_in(&r, "  query:\n    - name: page_size\n      type: int\n      required: true\n"
                  "      description: 分页大小\n");
    imported_free(&r, true);
}

/* Rule: historic pages draw the nesting into the name cell
 * ("&emsp;&emsp;∟&nbsp;id"); the drawing is dropped, the JSON example
 * nests. 138 (historic offer schema page) reads so. */
static void import_reads_historic_tree_names(void **state)
{
    (void)state;
    imported r = import_real("138_server-docs_historic-version_hire_internal_offer_get.txt");
    expect_in(&r, "  response_data:\n    - name: id\n      type: string\n"
                  "      description: offer申请表ID\n");
    expect_in(&r, "    - name: object_list\n      type: offer_schema_detail[]\n");
    expect_in(&r, "  - name: offer_schema_name\n    fields:\n      - name: zh_cn\n"
                  "        type: string\n        description: 中文名\n      - name: en_us\n");
    assert_null(strstr(r.yaml, "&emsp;"));
    /* its scope has no "(name)": left out with a warning */
    expect_in(&r, "  scopes: []\n");
    assert_int_equal(r.diag.warnings, 1);
    expect_loads(&r);
    imported_free(&r, false);
}

/* ---- examples that are not strict JSON -------------------------------------- */

/* Rule: comments, ellipses, unquoted keys, unknown escapes and trailing
 * commas are repaired; the spec keeps the repaired example (valid JSON,
 * line for line), and the fields nest by it. */
static void import_repairs_loose_json_examples(void **state)
{
    (void)state;
    imported r = import_inline("",
        "## 响应\n\n### 响应体\n\n名称 | 类型 | 描述\n--- | --- | ---\n"
        "code | int | 错误码\nmsg | string | 错误描述\ndata | \\- | \\-\n"
        "items | item\\[\\] | 列表\nrule | string | 规则\nname | string | 名称\n\n"
        "### 响应体示例\n```json\n{\n  \"code\": 0, // 成功\n  msg: \"ok\",\n"
        "  \"data\": {\n    \"items\": [\n      {\"rule\": \"^\\d{9}$\", "
        "\"name\": \"a\",},\n      ...\n    ],\n  }\n}\n```\n", false);
    expect_in(&r, "    response: |\n      {\n        \"code\": 0, \n        \"msg\": \"ok\",\n"
                  "        \"data\": {\n          \"items\": [\n"
                  "            {\"rule\": \"^\\\\d{9}$\", \"name\": \"a\"}\n"
                  "            \n          ]\n        }\n      }\n");
    expect_in(&r, "  - name: item\n    fields:\n      - name: rule\n        type: string\n");
    assert_int_equal(r.diag.warnings, 0);
    expect_loads(&r);
    imported_free(&r, true);
}

/* 061 (national ID type): "^\d{9}$" in the response example; 150 (payroll
 * items): a trailing comma. Both import with their example repaired. */
static void import_real_pages_loose_json(void **state)
{
    (void)state;
    imported r = import_real("061_server-docs_corehr-v1_basic-infomation_national_id_type_get.txt");
    expect_in(&r, "      \"validation_rule\":\"^\\\\d{9}$\",\n");
    expect_loads(&r);
    imported_free(&r, false);
    r = import_real("150_payroll-v1_acct_item_list.txt");
    expect_in(&r, "                              \"value\": \"名称\"\n"
                  "                          }\n");
    expect_loads(&r);
    imported_free(&r, false);
}

/* ---- notes: what no section of the spec holds ----------------------------- */

/* Rule: a heading the importer does not read (here 前提条件, 使用限制 and a
 * made-up one) becomes a note, title and text verbatim, in page order;
 * prose after a table becomes a note titled after its section. */
static void import_keeps_extra_sections_as_notes(void **state)
{
    (void)state;
    imported r = import_inline("",
        "## 前提条件\n\n- 应用需要开启[机器人能力](https://x)。\n- 第二条\n\n"
        "## 使用限制\n\n每次最多 **50** 条。\n\n"
        "### 查询参数\n\n名称 | 类型 | 必填 | 描述\n--- | --- | --- | ---\n"
        "page_size | int | 否 | 分页大小\n\n更多说明见下文。\n\n"
        "## 从未见过的标题\n\n任何文字\n", false);
    expect_in(&r, "  notes:\n"
                  "    - title: 前提条件\n      text: |-\n"
                  "        - 应用需要开启[机器人能力](https://x)。\n        - 第二条\n"
                  "    - title: 使用限制\n      text: 每次最多 **50** 条。\n"
                  "    - title: 查询参数\n      text: 更多说明见下文。\n"
                  "    - title: 从未见过的标题\n      text: 任何文字\n"
                  "types: []\n");
    assert_int_equal(r.diag.warnings, 0);
    expect_loads(&r);
    imported_free(&r, true);
}

/* Rule: after the JSON example, code blocks in other languages (SDK
 * samples) and their bold labels are dropped; other prose is a note. A
 * request example in another language than JSON (```HTTP, a multipart
 * body) is kept as a note, verbatim, and not parsed. */
static void import_skips_sdk_samples_and_keeps_http_example(void **state)
{
    (void)state;
    imported r = import_inline("",
        "### 请求体\n\n名称 | 类型 | 必填 | 描述\n--- | --- | --- | ---\n"
        "query | string | 是 | 关键词\n\n"
        "### 请求体示例\n```json\n{\"query\": \"a\"}\n```\n\n"
        "**Go 请求示例**\n```go\nfunc main() {}\n```\n\n"
        "**Java 请求示例**\n```java\nclass A {}\n```\n\n以上为示例。\n", false);
    expect_in(&r, "  examples:\n    request: |\n      {\"query\": \"a\"}\n"
                  "  notes:\n    - title: 请求体示例\n      text: 以上为示例。\n");
    assert_null(strstr(r.yaml, "func main"));
    assert_null(strstr(r.yaml, "Go 请求示例"));
    expect_loads(&r);
    imported_free(&r, true);
    r = import_inline("",
        "### 请求体\n\n名称 | 类型 | 必填 | 描述\n--- | --- | --- | ---\n"
        "name | string | 是 | 名称\n\n"
        "### 请求体示例\n```HTTP\n---7MA4\nContent-Disposition: form-data; name=\"name\";\n\n"
        "a.txt\n---7MA4\n```\n", false);
    expect_in(&r, "  notes:\n    - title: 请求体示例\n      text: |-\n        ```HTTP\n"
                  "        ---7MA4\n        Content-Disposition: form-data; name=\"name\";\n\n"
                  "        a.txt\n        ---7MA4\n        ```\n");
    assert_null(strstr(r.yaml, "  examples:"));
    imported_free(&r, true);
}

/* 118 (department search): 注意事项 before the request, Go and Java
 * samples after the request example, a sentence after the error codes. */
static void import_real_page_notes(void **state)
{
    (void)state;
    imported r = import_real("118_server-docs_contact-v3_department_search.txt");
    expect_in(&r, "  notes:\n    - title: 注意事项\n      text: 该接口只能以用户身份"
                  "（user_access_token）调用，搜索结果受用户身份的组织架构可见范围影响。");
    expect_in(&r, "    - title: 错误码\n      text: 更多错误码信息，参见[通用错误码]"
                  "(https://open.feishu.cn/document/ukTMukTMukTM/ugjM14COyUjL4ITN)。\n");
    expect_in(&r, "  examples:\n    request: |\n      {\n          \"query\": \"DemoName\"\n"
                  "      }\n");
    assert_null(strstr(r.yaml, "import ("));
    assert_null(strstr(r.yaml, "请求示例"));
    imported_free(&r, false);
}

/* Rows no rule reads are kept as notes, with a warning: an unknown row of
 * the request table, a request header the client does not send; an unknown
 * app type is left out with a warning. */
static void import_keeps_unknown_rows_as_notes(void **state)
{
    (void)state;
    imported r = import_inline(
        "支持的应用类型 | 自建应用、企业应用\n数据权限 | 仅限本部门\n",
        "### 请求头\n\n名称 | 类型 | 必填 | 描述\n--- | --- | --- | ---\n"
        "Authorization | string | 是 | `tenant_access_token`\n"
        "X-Trace | string | 否 | 追踪 ID\n", false);
    expect_in(&r, "  app_types: [self_built]\n  access_tokens: [tenant]\n");
    expect_in(&r, "  notes:\n    - title: 数据权限\n      text: 仅限本部门\n"
                  "    - title: 请求头 X-Trace\n      text: 追踪 ID\n");
    expect_diag(&r, "%s:13:16: warning: unknown app type '企业应用'; left out\n"
                    "%s:14:1: warning: unknown row '数据权限' in the request table; "
                    "kept as a note\n"
                    "%s:21:1: warning: the client does not send request header 'X-Trace'; "
                    "kept as a note\n");
    expect_loads(&r);
    imported_free(&r, true);
}

/* 005 (HRBP list): the older request table header "基本 |". */
static void import_real_page_with_basic_header(void **state)
{
    (void)state;
    imported r = import_real("005_corehr-v1_authorization_list-2.txt");
    expect_in(&r, "  method: GET\n  path: /open-apis/corehr/v2/bps\n"
                  "  rate_limit:\n    count: 100\n    per: minute\n"
                  "  app_types: [self_built, store]\n");
    expect_in(&r, "  scopes:\n    - name: corehr:bp.list:read\n      title: 查看 BP 列表\n"
                  "  field_scopes:\n    - name: contact:user.employee_id:readonly\n");
    imported_free(&r, false);
}

/* 088 (location list): four scopes after a two-line note on the key. */
static void import_real_page_with_four_scopes(void **state)
{
    (void)state;
    imported r = import_real("088_server-docs_corehr-v1_organization-management_location_list.txt");
    expect_in(&r, "  scopes:\n"
                  "    - name: corehr:corehr:readonly\n      title: 获取核心人事信息\n"
                  "    - name: corehr:locations:read\n      title: 获取地点信息\n"
                  "    - name: corehr:corehr\n      title: 更新核心人事信息\n"
                  "    - name: corehr:locations:write\n      title: 更新地点信息\n"
                  "  field_scopes: []\n");
    imported_free(&r, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import_reproduces_patch_probation_assessment),
        cmocka_unit_test(import_reproduces_create_probation_assessments),
        cmocka_unit_test(import_reproduces_submit_probation),
        cmocka_unit_test(import_reproduces_patch_international_assignment),
        cmocka_unit_test(import_minimal_page),
        cmocka_unit_test(import_field_types_and_pagination),
        cmocka_unit_test(import_multipart_upload),
        cmocka_unit_test(import_binary_download),
        cmocka_unit_test(import_overlay_adds_required_if),
        cmocka_unit_test(import_names_endpoint_from_argument),
        cmocka_unit_test(import_output_passes_the_loader),
        cmocka_unit_test(import_keeps_row_the_example_lacks),
        cmocka_unit_test(import_rejects_row_with_missing_columns),
        cmocka_unit_test(import_leaves_out_example_that_is_not_json),
        cmocka_unit_test(import_rejects_overlay_naming_no_field),
        cmocka_unit_test(import_reports_overlay_bad_utf8_at_its_place),
        cmocka_unit_test(import_names_variant_of_type_used_differently),
        cmocka_unit_test(import_refuses_spec_that_does_not_load),
        cmocka_unit_test(import_set_tells_names_apart),
        cmocka_unit_test(import_keeps_contradicted_enum_as_text),
        cmocka_unit_test(import_rejects_missing_page),
        cmocka_unit_test(import_reads_decimals_and_dates),
        cmocka_unit_test(import_reads_several_scopes),
        cmocka_unit_test(import_reads_field_scopes_after_a_blank_line),
        cmocka_unit_test(import_warns_about_scope_without_name),
        cmocka_unit_test(import_real_page_with_four_scopes),
        cmocka_unit_test(import_keeps_unknown_rows_as_notes),
        cmocka_unit_test(import_real_page_with_basic_header),
        cmocka_unit_test(import_reads_rate_limit_of_two_parts),
        cmocka_unit_test(import_reads_special_rate_limit),
        cmocka_unit_test(import_keeps_rate_limit_qualifiers),
        cmocka_unit_test(import_warns_about_unreadable_rate_part),
        cmocka_unit_test(import_keeps_extra_row_lines_as_note),
        cmocka_unit_test(import_real_pages_rate_limits),
        cmocka_unit_test(import_reads_older_column_names),
        cmocka_unit_test(import_reads_historic_tree_names),
        cmocka_unit_test(import_repairs_loose_json_examples),
        cmocka_unit_test(import_real_pages_loose_json),
        cmocka_unit_test(import_keeps_extra_sections_as_notes),
        cmocka_unit_test(import_skips_sdk_samples_and_keeps_http_example),
        cmocka_unit_test(import_real_page_notes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
