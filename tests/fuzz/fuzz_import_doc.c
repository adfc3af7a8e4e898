/* fuzz_import_doc.c - libFuzzer target: any bytes as a documentation page.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Igenerator -I/usr/include/cjson \
 *     tests/fuzz/fuzz_import_doc.c generator/import_doc.c generator/util.c \
 *     -lyaml -lcjson -o fuzz_import_doc
 *   ./fuzz_import_doc CORPUS_DIR ../shared/feishu-docs tests/fixtures/import
 *
 * The importer reads a file, so each input goes through a private temp file. */
#include "oapigen.h"

#include <yaml.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char page[64];

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
    if (!page[0])
        snprintf(page, sizeof page, "/tmp/fuzz_import_doc.%ld.md", (long)getpid());
    FILE *f = fopen(page, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    og_diag diag = {0};
    char *yaml = og_import_doc(page, NULL, NULL, &diag);
    /* Either a spec or an error, never both nor neither. */
    if (!yaml == !diag.errors)
        abort();
    if (yaml)
        check_yaml(yaml);
    free(yaml);
    og_buf_free(&diag.text);
    return 0;
}
