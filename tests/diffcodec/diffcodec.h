/* diffcodec.h - two generated codecs of the same specs, compared on the
 * same input: OLD (bundle oldhr, the baseline generator's) and NEW (bundle
 * corehr, the current generator's). tests/diffcodec/prepare.sh makes both.
 *
 * Used by the deterministic driver (diffcodec_main.c, the meson test
 * `diffcodec`) and by the libFuzzer target (tests/fuzz/fuzz_diffcodec.c).
 */
#ifndef DIFFCODEC_H
#define DIFFCODEC_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* What one codec made of one input, through one entry point. */
typedef struct dc_result {
    int rc;                 /* what _parse or _from_json returned */
    int code;               /* err.code */
    bool left_result;       /* failed, but *out was not NULL */
    char path[256];         /* err.path */
    char message[512];      /* err.message, the bundle prefix made "BUNDLE" */
    char *printed;          /* on success: _print, NULL if it failed */
    int to_json_rc;         /* on success: _to_json's return */
    char *to_json;          /* its tree printed unformatted, or NULL */
    int violations_rc;      /* on success: _validate's return */
    char *violations;       /* one "path: message" line per violation */
} dc_result_t;

/* Runs one codec: json NULL reads text with _parse, else json with
 * _from_json. */
typedef void dc_run_fn(const char *text, size_t len, const cJSON *json, dc_result_t *r);

typedef struct dc_type {
    const char *name;       /* the struct, without bundle prefix and _t */
    const char *endpoint;   /* whose example it reads (tests/e2e/e2e_cases.json) */
    const char *part;       /* "response", "request", "query" or "path" */
    dc_run_fn *run_old, *run_new;
} dc_type_t;

extern const dc_type_t dc_types[];
extern const size_t dc_type_count;

/* Makes the NEW side wrong on purpose, to show that a disagreement of that
 * kind is found: a self-check of the harness, not of the codecs. */
typedef enum dc_perturb {
    DC_PERTURB_NONE,
    DC_PERTURB_PARSE,       /* every tenth input's result code changes */
    DC_PERTURB_PRINT,       /* _print drops its last byte */
    DC_PERTURB_TO_JSON,     /* _to_json's tree drops its last byte */
    DC_PERTURB_VALIDATE,    /* _validate finds one violation more */
} dc_perturb_t;

extern dc_perturb_t dc_perturb;

/* Parses a perturbation name ("none", "parse", "print", "to_json",
 * "validate"); false if unknown. */
bool dc_perturb_from_name(const char *name, dc_perturb_t *out);

/* What dc_compare found. */
typedef struct dc_outcome {
    bool disagree;          /* result code, print, to_json or violations differ */
    bool error_text_differs; /* both failed alike, but path or message differ */
    bool parsed;            /* both sides read the input */
    int rc;                 /* what OLD's _parse returned */
    char why[1024];         /* the first disagreement, described */
} dc_outcome_t;

/* Runs both codecs on one input of type t, through _parse and (when the
 * text is JSON cJSON reads) through _from_json, and compares everything. */
void dc_compare(const dc_type_t *t, const char *text, size_t len, dc_outcome_t *out);

#endif
