/* fuzz_import_doc.c - libFuzzer target: any bytes as a documentation page.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Igenerator -I/usr/include/cjson \
 *     tests/fuzz/fuzz_import_doc.c generator/import_doc.c generator/util.c \
 *     -lyaml -lcjson -o fuzz_import_doc
 *   ./fuzz_import_doc CORPUS_DIR ../shared/feishu-docs tests/fixtures/import
 *
 * The importer reads files, so each input goes through a private temp file.
 * An input whose first line is "#overlay" is an overlay instead, merged into
 * a small fixed page. */
#include "oapigen.h"

#include <yaml.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char page[64], overlay[64];

static const char fixed_page[] =
    "# 示例\n\n## 请求\n名称 | 值\n---|---\n"
    "HTTP URL | https://open.feishu.cn/open-apis/demo/v1/items/:item_id\n"
    "HTTP Method | POST\n\n### 路径参数\n\n名称 | 类型 | 描述\n--- | --- | ---\n"
    "item_id | string | ID\n\n### 查询参数\n\n名称 | 类型 | 必填 | 描述\n"
    "--- | --- | --- | ---\nclient_token | string | 否 | 幂等\n\n### 请求体\n\n"
    "名称 | 类型 | 必填 | 描述\n--- | --- | --- | ---\nmode | int | 是 | 模式\n"
    "tags | tag\\[\\] | 否 | 标签\nname | string | 是 | 名\n\n### 请求体示例\n"
    "```json\n{\"mode\": 1, \"tags\": [{\"name\": \"a\"}]}\n```\n";

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f))
        abort();
}

/* The spec must at least be well-formed YAML: this checks the quoting. */
static void check_yaml(const char *text)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
    if (!yaml_parser_load(&parser, &doc))
        abort();
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!page[0]) {
        snprintf(page, sizeof page, "/tmp/fuzz_import_doc.%ld.md", (long)getpid());
        snprintf(overlay, sizeof overlay, "/tmp/fuzz_import_doc.%ld.yaml", (long)getpid());
    }
    bool is_overlay = size >= 9 && !memcmp(data, "#overlay\n", 9);
    if (is_overlay) {
        write_file(page, fixed_page, sizeof fixed_page - 1);
        write_file(overlay, data, size);
    } else
        write_file(page, data, size);
    og_diag diag = {0};
    char *yaml = og_import_doc(page, is_overlay ? overlay : NULL, NULL, &diag);
    /* Either a spec or an error, never both nor neither. */
    if (!yaml == !diag.errors)
        abort();
    if (yaml)
        check_yaml(yaml);
    free(yaml);
    og_buf_free(&diag.text);
    return 0;
}
