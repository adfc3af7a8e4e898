/* fuzz_from_json.c - libFuzzer target: any bytes as JSON for every struct of
 * the committed generated client (generated/corehr), `_data` ones included.
 *
 * Each struct's `_parse` reads the input. On failure *out must stay NULL and
 * the error must carry the same code and a message. On success the struct
 * is validated, printed, and the printed text read back: reading what the
 * writer wrote must succeed, print the same bytes and validate the same
 * way (the writer and the reader agree, whatever the input was). Then
 * everything is freed; the sanitizers watch all of it.
 *
 * The list of structs is made from generated/corehr/corehr.h, so a new spec
 * needs no change here. tests/fuzz/run.sh does all of this; by hand:
 *
 *   grep -o 'int corehr_[a-z0-9_]*_parse(' generated/corehr/corehr.h |
 *     sed 's/int \(.*\)_parse(/X(\1)/' > /tmp/fuzz_from_json_structs.h
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_POSIX_C_SOURCE=200809L \
 *     -I/tmp -Igenerated/corehr -I/usr/include/cjson tests/fuzz/fuzz_from_json.c \
 *     generated/corehr/corehr.c generated/corehr/corehr_runtime.c -lcjson -lm \
 *     -o fuzz_from_json
 *   ./fuzz_from_json -dict=tests/fuzz/from_json.dict CORPUS tests/fuzz/seeds/from_json
 */
#include "corehr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_from_json: " __VA_ARGS__);                 \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

/* Violations as one string, to compare two validations. */
static char *violations_text(const corehr_violations_t *v)
{
    size_t n = 1;
    for (size_t i = 0; i < v->count; i++)
        n += strlen(v->items[i].path) + strlen(v->items[i].message) + 2;
    char *s = malloc(n), *p = s;
    CHECK(s, "out of memory");
    for (size_t i = 0; i < v->count; i++)
        p += sprintf(p, "%s %s\n", v->items[i].path, v->items[i].message);
    *p = '\0';
    return s;
}

static void check_error(const char *name, int rc, const void *out, const corehr_error_t *err)
{
    CHECK(out == NULL, "%s_parse failed (%d) but left a result", name, rc);
    CHECK(err->code == rc, "%s_parse returned %d, err.code %d", name, rc, err->code);
    CHECK(err->message[0], "%s_parse failed (%d) without a message", name, rc);
    CHECK(memchr(err->message, '\0', sizeof err->message) &&
              memchr(err->path, '\0', sizeof err->path),
          "%s: unterminated error text", name);
}

/* One function per struct T: parse, and on success the round trip. */
#define X(T)                                                                 \
    static void fuzz_##T(const char *text, size_t len)                       \
    {                                                                        \
        T##_t *x = (T##_t *)&len, *y = NULL;                                 \
        corehr_error_t err;                                                  \
        corehr_violations_t vx = {0}, vy = {0};                              \
        int rc = T##_parse(&x, text, len, &err);                             \
        if (rc < 0) {                                                        \
            check_error(#T, rc, x, &err);                                    \
            return;                                                          \
        }                                                                    \
        CHECK(rc == 0 && x, #T "_parse returned %d", rc);                    \
        int nx = T##_validate(x, &vx);                                       \
        char *printed = T##_print(x);                                        \
        CHECK(printed, #T "_print failed");                                  \
        rc = T##_parse(&y, printed, strlen(printed), &err);                  \
        CHECK(rc == 0, #T ": cannot read back what it wrote (%s at %s): %s", \
              err.message, err.path, printed);                               \
        char *again = T##_print(y);                                          \
        CHECK(again && !strcmp(printed, again),                              \
              #T ": printed %s, then %s", printed, again ? again : "NULL");  \
        int ny = T##_validate(y, &vy);                                       \
        char *tx = violations_text(&vx), *ty = violations_text(&vy);         \
        CHECK(nx == ny && !strcmp(tx, ty),                                   \
              #T ": validation changed over a round trip:\n%s---\n%s", tx, ty); \
        free(tx);                                                            \
        free(ty);                                                            \
        corehr_violations_free(&vx);                                         \
        corehr_violations_free(&vy);                                         \
        cJSON_free(printed);                                                 \
        cJSON_free(again);                                                   \
        T##_free(x);                                                         \
        T##_free(y);                                                         \
    }
#include "fuzz_from_json_structs.h"
#undef X

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
#define X(T) fuzz_##T(text, size);
#include "fuzz_from_json_structs.h"
#undef X
    return 0;
}
