/* fuzz_mustache.c - libFuzzer target for the mustache renderer.
 *
 * The input is a template, rendered against a small fixed context that has
 * every kind of value, with partials named by the context's strings (one of
 * them includes itself) so that sections, partials, parents, blocks and
 * dynamic names all get exercised. Every list has one item: nested sections
 * over a longer list multiply the output exponentially (a property of
 * mustache, not a bug), and the fuzzer would only report that as a timeout.
 * Not built by meson; build and run with:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Igenerator \
 *       tests/fuzz/fuzz_mustache.c generator/mustache.c -lcjson -o fuzz_mustache
 *   ./fuzz_mustache -max_total_time=60 -max_len=4096
 */
#include "mustache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char context_json[] =
    "{\"s\": \"<a & \\\"b\\\">\", \"e\": \"\", \"n\": 1.25, \"i\": 42, \"t\": true, \"f\": false,"
    " \"z\": null, \"list\": [{\"s\": \"inner\", \"list\": [[3]], \"e\": [], \"t\": 0}],"
    " \"obj\": {\"s\": \"deep\", \"obj\": {\"n\": -0.5}}, \"p\": \"part\", \"self\": \"self\"}";

static const struct {
    const char *name, *text;
} partials[] = {
    {"part", "[{{s}}|{{$b}}default{{/b}}]\n  {{#list}}{{.}}{{/list}}\n"},
    {"self", "{{#obj}}<{{>self}}>{{/obj}}"},
    {"parent", "{{$b}}\n  block\n{{/b}}\n"},
};

static char *load(void *user, const char *name, size_t *len)
{
    (void)user;
    for (size_t i = 0; i < sizeof partials / sizeof partials[0]; i++)
        if (!strcmp(name, partials[i].name)) {
            *len = strlen(partials[i].text);
            char *copy = malloc(*len + 1);
            if (copy)
                memcpy(copy, partials[i].text, *len + 1);
            return copy;
        }
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cJSON *context;
    if (!context)
        context = cJSON_Parse(context_json);
    mustache_partials hook = {load, NULL, size % 2};
    char *out = NULL, err[256];
    size_t len;
    if (mustache_render("fuzz", (const char *)data, size, context, &hook, &out, &len, err,
                        sizeof err) == 0) {
        if (out[len] != '\0')
            abort();
        free(out);
    } else if (strncmp(err, "fuzz", 4) && strncmp(err, "part", 4) && strncmp(err, "self", 4) &&
               strncmp(err, "parent", 6)) {
        abort(); /* every error names the template it is in */
    }
    return 0;
}
