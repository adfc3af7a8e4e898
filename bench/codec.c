/* codec.c - cost of the generated JSON code against raw cJSON.
 *
 *     codec [--quick] [SPEC_DIR]        (default: specs/corehr)
 *
 * For every documentation example of the four pages (each request body, and
 * the `data` of each response), taken from the specs through the
 * generator's own loader and compacted (cJSON_PrintUnformatted: the bytes a
 * server or a client actually sends), it measures in one run:
 *
 *   generated: T_parse + T_validate + T_print + frees, and each stage alone
 *   raw:       cJSON_ParseWithLength + cJSON_PrintUnformatted + frees of the
 *              same bytes (the floor: the generated code is built on cJSON)
 *
 * and, for each response, the call layer's whole response path: the bytes of
 * the full {"code":0,"msg":"success","data":{...}} envelope of the example
 * (compacted) to typed data and its free, through corehr_rt_read_response(),
 * the code every endpoint function runs once the transfer is over (parse,
 * envelope check, data read straight into the struct by the quick parser,
 * else the tree and T_data_from_json), against raw cJSON
 * parse + print + frees of the same envelope bytes (target <= 1.0x).
 *
 * Times are the best of 7 rounds, each a batch of at least 10 ms (4 ms with
 * --quick), the generated and raw batches interleaved. The best, not the
 * median: on a shared machine other processes only ever add time, so the
 * fastest round is the one least disturbed. Allocations are
 * counted by counting_alloc.c (every malloc/calloc/realloc in the process,
 * libcjson's included) over one call after warm-up.
 *
 * Output: lines "ROW<TAB>figure<TAB>value<TAB>target<TAB>verdict" for
 * bench/run's table, then a breakdown table.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corehr_api.h"
#include "counting_alloc.h"
#include "oapigen.h"

#define ROUNDS 7
#define TARGET_RATIO 1.5
#define TARGET_PATH_RATIO 1.0

/* ---- the generated functions of one struct, behind one signature -------- */

typedef struct codec {
    const char *endpoint;
    const char *what;               /* "request" or "response" */
    int (*parse)(void **out, const char *text, size_t len);
    int (*validate)(const void *x, corehr_violations_t *v);
    char *(*print)(const void *x);
    void (*free)(void *x);
    /* responses: the data's descriptor, as the endpoint function reads `data` */
    const corehr_rt_type *data_type;
} codec;

#define CODEC_FNS(T)                                                          \
    static int T##_parse_(void **out, const char *text, size_t len)           \
    {                                                                         \
        corehr_error_t err;                                                   \
        return corehr_##T##_parse((corehr_##T##_t **)out, text, len, &err);   \
    }                                                                         \
    static int T##_validate_(const void *x, corehr_violations_t *v)           \
    {                                                                         \
        return corehr_##T##_validate(x, v);                                   \
    }                                                                         \
    static char *T##_print_(const void *x)                                    \
    {                                                                         \
        return corehr_##T##_print(x);                                         \
    }                                                                         \
    static void T##_free_(void *x)                                            \
    {                                                                         \
        corehr_##T##_free(x);                                                 \
    }
#define CODEC(ep, part, what) \
    {#ep, what, ep##_##part##_parse_, ep##_##part##_validate_, ep##_##part##_print_, \
     ep##_##part##_free_, NULL}
#define RESPONSE_CODEC(ep) \
    {#ep, "response", ep##_data_parse_, ep##_data_validate_, ep##_data_print_, \
     ep##_data_free_, &corehr_##ep##_data_desc}

CODEC_FNS(patch_probation_assessment_body)
CODEC_FNS(create_probation_assessments_body)
CODEC_FNS(submit_probation_body)
CODEC_FNS(patch_international_assignment_body)
CODEC_FNS(patch_probation_assessment_data)
CODEC_FNS(create_probation_assessments_data)
CODEC_FNS(submit_probation_data)
CODEC_FNS(patch_international_assignment_data)

static const codec codecs[] = {
    CODEC(patch_probation_assessment, body, "request"),
    CODEC(create_probation_assessments, body, "request"),
    CODEC(submit_probation, body, "request"),
    CODEC(patch_international_assignment, body, "request"),
    RESPONSE_CODEC(patch_probation_assessment),
    RESPONSE_CODEC(create_probation_assessments),
    RESPONSE_CODEC(submit_probation),
    RESPONSE_CODEC(patch_international_assignment),
};
#define NCODECS (sizeof codecs / sizeof codecs[0])

/* ---- the operations timed ------------------------------------------------ */

typedef struct sample {
    const codec *c;
    const char *text;       /* compact JSON */
    size_t len;
    const char *envelope;   /* responses: the whole body, compact; else NULL */
    size_t envelope_len;
    void *parsed;           /* for the validate and print stages */
    cJSON *tree;            /* for the raw print stage */
    int violations;
} sample;

static volatile size_t sink;    /* keeps results observable */

static void die(const char *what)
{
    fprintf(stderr, "codec: %s\n", what);
    exit(1);
}

static void gen_full(sample *s)
{
    void *x;
    corehr_violations_t v = {0};
    if (s->c->parse(&x, s->text, s->len) < 0)
        die("generated parse failed");
    s->violations = s->c->validate(x, &v);
    char *out = s->c->print(x);
    if (!out)
        die("generated print failed");
    sink += strlen(out);
    cJSON_free(out);
    corehr_violations_free(&v);
    s->c->free(x);
}

static void gen_parse(sample *s)
{
    void *x;
    if (s->c->parse(&x, s->text, s->len) < 0)
        die("generated parse failed");
    s->c->free(x);
}

static void gen_validate(sample *s)
{
    corehr_violations_t v = {0};
    sink += (size_t)s->c->validate(s->parsed, &v);
    corehr_violations_free(&v);
}

static void gen_print(sample *s)
{
    char *out = s->c->print(s->parsed);
    sink += strlen(out);
    cJSON_free(out);
}

static void raw_full(sample *s)
{
    cJSON *json = cJSON_ParseWithLength(s->text, s->len);
    char *out = json ? cJSON_PrintUnformatted(json) : NULL;
    if (!out)
        die("raw cJSON failed");
    sink += strlen(out);
    cJSON_free(out);
    cJSON_Delete(json);
}

static void raw_parse(sample *s)
{
    cJSON *json = cJSON_ParseWithLength(s->text, s->len);
    if (!json)
        die("raw parse failed");
    cJSON_Delete(json);
}

static void raw_print(sample *s)
{
    char *out = cJSON_PrintUnformatted(s->tree);
    sink += strlen(out);
    cJSON_free(out);
}

/* The call layer's response path: envelope bytes -> typed data, freed. */
static void gen_path(sample *s)
{
    void *x;
    corehr_error_t err;
    if (corehr_rt_read_response(s->c->endpoint, s->envelope, s->envelope_len,
                                s->c->data_type, &x, &err) < 0)
        die("response path failed");
    s->c->free(x);
}

static void raw_envelope(sample *s)
{
    cJSON *json = cJSON_ParseWithLength(s->envelope, s->envelope_len);
    char *out = json ? cJSON_PrintUnformatted(json) : NULL;
    if (!out)
        die("raw cJSON failed on the envelope");
    sink += strlen(out);
    cJSON_free(out);
    cJSON_Delete(json);
}

typedef void (*op_fn)(sample *);
enum { GEN_FULL, GEN_PARSE, GEN_VALIDATE, GEN_PRINT, RAW_FULL, RAW_PARSE, RAW_PRINT,
       GEN_PATH, RAW_ENVELOPE, NOPS };
static const op_fn ops[NOPS] = {gen_full, gen_parse, gen_validate, gen_print,
                                raw_full, raw_parse, raw_print, gen_path, raw_envelope};

/* ---- timing -------------------------------------------------------------- */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Iterations that take at least batch_ns. */
static long calibrate(op_fn op, sample *s, double batch_ns)
{
    for (long n = 16;; n *= 2) {
        double t = now_ns();
        for (long i = 0; i < n; i++)
            op(s);
        if (now_ns() - t >= batch_ns)
            return n;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Best ns per operation of every op over ROUNDS rounds, interleaved. The
 * response path ops run only for responses (0 ns otherwise). */
static void measure(sample *s, double batch_ns, double out[NOPS])
{
    long n[NOPS];
    double t[NOPS][ROUNDS] = {{0}};
    int nops = s->envelope ? NOPS : GEN_PATH;
    for (int k = 0; k < nops; k++)
        n[k] = calibrate(ops[k], s, batch_ns);
    for (int r = 0; r < ROUNDS; r++)
        for (int k = 0; k < nops; k++) {
            double start = now_ns();
            for (long i = 0; i < n[k]; i++)
                ops[k](s);
            t[k][r] = (now_ns() - start) / (double)n[k];
        }
    for (int k = 0; k < NOPS; k++) {
        qsort(t[k], ROUNDS, sizeof t[k][0], cmp_double);
        out[k] = t[k][0];
    }
}

static unsigned long allocs_of(op_fn op, sample *s, unsigned long long *bytes)
{
    op(s);                               /* warm-up: nothing lazy is counted */
    unsigned long before = bench_allocs;
    unsigned long long before_bytes = bench_alloc_bytes;
    op(s);
    *bytes = bench_alloc_bytes - before_bytes;
    return bench_allocs - before;
}

/* ---- examples ------------------------------------------------------------ */

static const og_endpoint *find_endpoint(const og_set *set, const char *name)
{
    for (size_t i = 0; i < set->endpoint_count; i++)
        if (!strcmp(set->endpoints[i]->name, name))
            return set->endpoints[i];
    return NULL;
}

/* The compact text of the whole response envelope. */
static char *envelope_text(const og_endpoint *ep)
{
    cJSON *json = ep->response_example ? cJSON_Parse(ep->response_example) : NULL;
    char *out = json ? cJSON_PrintUnformatted(json) : NULL;
    cJSON_Delete(json);
    return out;
}

/* The compact text of the request body or of the response's `data`. */
static char *example_text(const og_endpoint *ep, const char *what)
{
    bool request = !strcmp(what, "request");
    const char *text = request ? ep->request_example : ep->response_example;
    cJSON *json = text ? cJSON_Parse(text) : NULL;
    cJSON *part = request ? json : cJSON_GetObjectItemCaseSensitive(json, "data");
    char *out = part ? cJSON_PrintUnformatted(part) : NULL;
    cJSON_Delete(json);
    return out;
}

static og_set *load_specs(const char *dir)
{
    char *paths[] = {(char *)dir};
    og_set *set = og_set_new();
    og_load_paths(set, paths, 1);
    if (!set->diag.errors)
        og_model_check(set);
    if (set->diag.errors) {
        fputs(set->diag.text.data, stderr);
        exit(1);
    }
    return set;
}

/* ---- report -------------------------------------------------------------- */

typedef struct result {
    double ns[NOPS];
    unsigned long gen_allocs, raw_allocs, path_allocs, env_allocs;
    unsigned long long gen_bytes, raw_bytes, path_bytes, env_bytes;
} result;

static void print_row(const sample *s, const result *r)
{
    double ratio = r->ns[GEN_FULL] / r->ns[RAW_FULL];
    printf("ROW\tcodec: %s %s (%zu B): parse+validate+print\t"
           "%.0f ns vs raw cJSON %.0f ns = %.2fx; allocs %lu vs %lu\t"
           "<= %.1fx raw cJSON\t%s\n",
           s->c->endpoint, s->c->what, s->len, r->ns[GEN_FULL], r->ns[RAW_FULL],
           ratio, r->gen_allocs, r->raw_allocs, TARGET_RATIO,
           ratio <= TARGET_RATIO ? "met" : "MISSED");
    if (!s->envelope)
        return;
    ratio = r->ns[GEN_PATH] / r->ns[RAW_ENVELOPE];
    printf("ROW\tcodec: %s response path (%zu B envelope -> typed data, "
           "corehr_rt_read_response)\t"
           "%.0f ns vs raw cJSON parse+print of the same bytes %.0f ns = %.2fx; "
           "allocs %lu vs %lu\t<= %.1fx raw cJSON\t%s\n",
           s->c->endpoint, s->envelope_len, r->ns[GEN_PATH], r->ns[RAW_ENVELOPE], ratio,
           r->path_allocs, r->env_allocs, TARGET_PATH_RATIO,
           ratio <= TARGET_PATH_RATIO ? "met" : "MISSED");
}

static void print_breakdown(const sample *samples, const result *results, size_t n)
{
    printf("\nCodec breakdown (ns per call, best of %d rounds; allocs = "
           "malloc+calloc+realloc calls per call, bytes requested):\n\n", ROUNDS);
    printf("| example | bytes | generated | = parse | + validate | + print | "
           "raw cJSON | = parse | + print | ratio | allocs gen/raw | bytes gen/raw |\n");
    printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (size_t i = 0; i < n; i++) {
        const result *r = &results[i];
        printf("| %s %s | %zu | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | "
               "%.2fx | %lu / %lu | %llu / %llu |\n",
               samples[i].c->endpoint, samples[i].c->what, samples[i].len,
               r->ns[GEN_FULL], r->ns[GEN_PARSE], r->ns[GEN_VALIDATE],
               r->ns[GEN_PRINT], r->ns[RAW_FULL], r->ns[RAW_PARSE],
               r->ns[RAW_PRINT], r->ns[GEN_FULL] / r->ns[RAW_FULL],
               r->gen_allocs, r->raw_allocs, r->gen_bytes, r->raw_bytes);
    }
    printf("\nResponse path (ns per call, best of %d rounds): the whole envelope's "
           "bytes to typed data and its free, as an endpoint function does after "
           "the transfer (corehr_rt_read_response), against raw cJSON parse + print "
           "+ frees of the same bytes; T_parse of `data` alone for reference:\n\n",
           ROUNDS);
    printf("| response | envelope bytes | response path | raw cJSON | ratio | "
           "T_parse of data | allocs path/raw | bytes path/raw |\n");
    printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (size_t i = 0; i < n; i++) {
        const result *r = &results[i];
        if (!samples[i].envelope)
            continue;
        printf("| %s | %zu | %.0f | %.0f | %.2fx | %.0f | %lu / %lu | %llu / %llu |\n",
               samples[i].c->endpoint, samples[i].envelope_len, r->ns[GEN_PATH],
               r->ns[RAW_ENVELOPE], r->ns[GEN_PATH] / r->ns[RAW_ENVELOPE],
               r->ns[GEN_PARSE], r->path_allocs, r->env_allocs, r->path_bytes,
               r->env_bytes);
    }
    for (size_t i = 0; i < n; i++)
        if (samples[i].violations)
            printf("note: %s %s example has %d violation(s)\n", samples[i].c->endpoint,
                   samples[i].c->what, samples[i].violations);
}

int main(int argc, char **argv)
{
    bool quick = false;
    const char *dir = "specs/corehr";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            quick = true;
        else
            dir = argv[i];
    }
    og_set *set = load_specs(dir);
    sample samples[NCODECS];
    result results[NCODECS];
    for (size_t i = 0; i < NCODECS; i++) {
        sample *s = &samples[i];
        const og_endpoint *ep = find_endpoint(set, codecs[i].endpoint);
        memset(s, 0, sizeof *s);
        s->c = &codecs[i];
        s->text = ep ? example_text(ep, codecs[i].what) : NULL;
        if (!s->text)
            die("an example is missing from the specs");
        s->len = strlen(s->text);
        if (s->c->data_type) {
            s->envelope = envelope_text(ep);
            if (!s->envelope)
                die("a response example is missing from the specs");
            s->envelope_len = strlen(s->envelope);
        }
        if (s->c->parse(&s->parsed, s->text, s->len) < 0 ||
            !(s->tree = cJSON_ParseWithLength(s->text, s->len)))
            die("an example does not parse");
    }
    for (size_t i = 0; i < NCODECS; i++) {
        sample *s = &samples[i];
        result *r = &results[i];
        measure(s, quick ? 4e6 : 10e6, r->ns);
        r->gen_allocs = allocs_of(gen_full, s, &r->gen_bytes);
        r->raw_allocs = allocs_of(raw_full, s, &r->raw_bytes);
        if (s->envelope) {
            r->path_allocs = allocs_of(gen_path, s, &r->path_bytes);
            r->env_allocs = allocs_of(raw_envelope, s, &r->env_bytes);
        }
        print_row(s, r);
        fflush(stdout);
    }
    print_breakdown(samples, results, NCODECS);
    for (size_t i = 0; i < NCODECS; i++) {
        samples[i].c->free(samples[i].parsed);
        cJSON_Delete(samples[i].tree);
        cJSON_free((void *)samples[i].text);
        cJSON_free((void *)samples[i].envelope);
    }
    og_set_free(set);
    return 0;
}
