/* fuzz_runtime.c - libFuzzer target: the runtime's descriptor codec,
 * compiled as it is (templates/runtime/og_runtime.c, prefix og_), over a
 * hand-written descriptor that has every kind: strings with rules, int32,
 * int64, float with decimals, bool, a nested object, json, arrays of each,
 * an array of arrays of objects, a required_if.
 *
 * Any bytes are read by og_rt_parse_as (the quick path, else the tree) and
 * by og_rt_parse + og_rt_from_json (the tree alone): both must agree on the
 * result code and, on success, print the same text. What was read is then
 * validated, printed, written as a tree and read back: the reread must
 * succeed, print the same bytes and validate the same way. tests/fuzz/run.sh
 * builds and runs it (target `runtime`); by hand:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 \
 *     -D_POSIX_C_SOURCE=200809L -I/usr/include/cjson -Itemplates/runtime \
 *     tests/fuzz/fuzz_runtime.c templates/runtime/og_runtime.c -lcjson -lm \
 *     -o fuzz_runtime && ./fuzz_runtime CORPUS tests/fuzz/seeds/runtime
 */
#include "og_runtime.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_runtime: " __VA_ARGS__);                   \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

typedef struct leaf {
    char *name;
    bool has_n;
    int32_t n;
} leaf_t;

typedef struct leaf_list {      /* an item of an array of arrays */
    leaf_t *items;
    size_t count;
} leaf_list_t;

typedef struct root {
    char *kind;
    char *date;
    bool has_count;
    int32_t count;
    bool has_id;
    int64_t id;
    bool has_hours;
    double hours;
    bool has_final;
    bool final;
    leaf_t *leaf;
    cJSON *extra;
    char **tags;
    size_t tags_count;
    int64_t *ids;
    size_t ids_count;
    double *scores;
    size_t scores_count;
    bool *flags;
    size_t flags_count;
    leaf_t *leaves;
    size_t leaves_count;
    cJSON **blobs;
    size_t blobs_count;
    leaf_list_t *grid;
    size_t grid_count;
    char *reason;
} root_t;

static const char *const kinds[] = {"a", "b", "c"};
static const og_rt_string_rule kind_rule = {true, false, -1, -1, false, kinds, 3, };
static const og_rt_string_rule date_rule = {false, true, -1, 10, true, NULL, 0};
static const og_rt_number_rule count_rule = {false, true, true, 0, 100, NULL, 0, false, 0};
static const og_rt_number_rule hours_rule = {false, false, false, 0, 0, NULL, 0, true, 2};
static const og_rt_array_rule tags_rule = {false, 1, 3, &kind_rule};
static const og_rt_condition reason_if[] = {{0, "c", 0, 0, "is required when kind is c"}};
static const og_rt_extra reason_extra = {"reason", reason_if, 1};
static const og_rt_extra final_extra = {"final", NULL, 0};

#define F(T, key, member, rule, type, extra, flag, kind, flags) \
    {key, rule, type, extra, offsetof(T, member), flag, sizeof key - 1, kind, flags}

static const og_rt_field leaf_fields[] = {
    F(leaf_t, "name", name, NULL, NULL, NULL, 0, OG_RT_STRING, 0),
    F(leaf_t, "n", n, NULL, NULL, NULL, offsetof(leaf_t, has_n), OG_RT_INT32, 0),
};
static const og_rt_type leaf_type = {sizeof(leaf_t), leaf_fields, 2};

static const og_rt_field leaf_list_fields[] = {
    {NULL, NULL, &leaf_type, NULL, offsetof(leaf_list_t, items),
     offsetof(leaf_list_t, count), 0, OG_RT_OBJECT, OG_RT_ARRAY},
};
static const og_rt_type leaf_list_type = {sizeof(leaf_list_t), leaf_list_fields, 1};

#define A(member) offsetof(root_t, member##_count)
static const og_rt_field root_fields[] = {
    F(root_t, "kind", kind, &kind_rule, NULL, NULL, 0, OG_RT_STRING, OG_RT_REQUIRED),
    F(root_t, "date", date, &date_rule, NULL, NULL, 0, OG_RT_STRING, 0),
    F(root_t, "count", count, &count_rule, NULL, NULL, offsetof(root_t, has_count),
      OG_RT_INT32, 0),
    F(root_t, "id", id, NULL, NULL, NULL, offsetof(root_t, has_id), OG_RT_INT64, 0),
    F(root_t, "hours", hours, &hours_rule, NULL, NULL, offsetof(root_t, has_hours),
      OG_RT_FLOAT, 0),
    F(root_t, "final", final, NULL, NULL, &final_extra, offsetof(root_t, has_final),
      OG_RT_BOOL, OG_RT_REQUIRED),
    F(root_t, "leaf", leaf, NULL, &leaf_type, NULL, 0, OG_RT_OBJECT, 0),
    F(root_t, "extra", extra, NULL, NULL, NULL, 0, OG_RT_JSON, 0),
    F(root_t, "tags", tags, &tags_rule, NULL, NULL, A(tags), OG_RT_STRING, OG_RT_ARRAY),
    F(root_t, "ids", ids, NULL, NULL, NULL, A(ids), OG_RT_INT64, OG_RT_ARRAY),
    F(root_t, "scores", scores, NULL, NULL, NULL, A(scores), OG_RT_FLOAT, OG_RT_ARRAY),
    F(root_t, "flags", flags, NULL, NULL, NULL, A(flags), OG_RT_BOOL, OG_RT_ARRAY),
    F(root_t, "leaves", leaves, NULL, &leaf_type, NULL, A(leaves), OG_RT_OBJECT, OG_RT_ARRAY),
    F(root_t, "blobs", blobs, NULL, NULL, NULL, A(blobs), OG_RT_JSON, OG_RT_ARRAY),
    F(root_t, "grid", grid, NULL, &leaf_list_type, NULL, A(grid), OG_RT_LIST, OG_RT_ARRAY),
    F(root_t, "reason", reason, NULL, NULL, &reason_extra, 0, OG_RT_STRING, 0),
};
static const og_rt_type root_type = {sizeof(root_t), root_fields,
                                     sizeof root_fields / sizeof root_fields[0]};

static char *violations_text(const og_violations_t *v)
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

static char *validated(const void *x)
{
    og_violations_t v = {0};
    CHECK(og_rt_validate(&root_type, x, &v) >= 0, "validate failed");
    char *text = violations_text(&v);
    og_violations_free(&v);
    return text;
}

/* The tree path alone: what og_rt_parse_as falls back to. */
static int tree_read(const char *text, size_t len, void **out, og_error_t *err)
{
    cJSON *json = NULL;
    int rc = og_rt_parse(text, len, &json, err);
    *out = NULL;
    if (rc == 0)
        rc = og_rt_from_json(&root_type, out, json, err);
    cJSON_Delete(json);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    void *x = NULL, *tree = NULL, *again = NULL;
    og_error_t err, terr;
    int rc = og_rt_parse_as(&root_type, &x, text, size, &err);
    int trc = tree_read(text, size, &tree, &terr);

    CHECK(rc == trc, "parse_as %d, tree %d", rc, trc);
    if (rc < 0) {
        CHECK(x == NULL && tree == NULL, "a failed read left a result");
        CHECK(err.code == rc && terr.code == rc, "error codes differ from the result");
        CHECK(strcmp(err.path, terr.path) == 0 && strcmp(err.message, terr.message) == 0,
              "the two paths report differently: %s %s / %s %s", err.path, err.message,
              terr.path, terr.message);
        return 0;
    }
    char *printed = og_rt_print_as(&root_type, x);
    char *tree_printed = og_rt_print_as(&root_type, tree);
    CHECK(printed && tree_printed, "print failed");
    CHECK(strcmp(printed, tree_printed) == 0, "quick and tree reads differ:\n%s\n%s",
          printed, tree_printed);

    cJSON *json = NULL;
    CHECK(og_rt_to_json(&root_type, x, &json) == 0, "to_json failed");
    char *written = cJSON_PrintUnformatted(json);
    CHECK(written && strcmp(written, printed) == 0, "print and to_json differ:\n%s\n%s",
          printed, written ? written : "(null)");

    CHECK(og_rt_parse_as(&root_type, &again, printed, strlen(printed), &err) == 0,
          "rereading the printed text failed: %s %s", err.path, err.message);
    char *reprinted = og_rt_print_as(&root_type, again);
    CHECK(reprinted && strcmp(reprinted, printed) == 0, "reread prints differently");
    char *v1 = validated(x), *v2 = validated(again);
    CHECK(strcmp(v1, v2) == 0, "reread validates differently:\n%s---\n%s", v1, v2);

    free(v1);
    free(v2);
    cJSON_free(printed);
    cJSON_free(tree_printed);
    cJSON_free(written);
    cJSON_free(reprinted);
    cJSON_Delete(json);
    og_rt_free(&root_type, x);
    og_rt_free(&root_type, tree);
    og_rt_free(&root_type, again);
    return 0;
}
