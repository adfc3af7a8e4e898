/* diffcodec.c - runs the OLD (oldhr) and the NEW (corehr) codec on the same
 * input and compares what they did (diffcodec.h).
 *
 * The two agree when, through each entry point (_parse on the text, and
 * _from_json on cJSON's tree of it when cJSON reads it), they return the
 * same code, and on success print the same bytes (_print), build the same
 * tree (_to_json, printed) and find the same violations (_validate: count,
 * paths, messages, in order). Error paths and messages are compared too but
 * only counted (dc_outcome_t.error_text_differs): the result code is the
 * contract, the wording may improve.
 */
#include "diffcodec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corehr.h"
#include "oldhr.h"

dc_perturb_t dc_perturb = DC_PERTURB_NONE;

bool dc_perturb_from_name(const char *name, dc_perturb_t *out)
{
    static const char *const names[] = {"none", "parse", "print", "to_json", "validate"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i])) {
            *out = (dc_perturb_t)i;
            return true;
        }
    return false;
}

static void *must(void *p)
{
    if (!p) {
        fputs("diffcodec: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* Copies an error text with either bundle's name made "BUNDLE", so that
 * "corehr_..." and "oldhr_..." in a message compare equal. */
static void copy_text(char *dst, size_t cap, const char *src)
{
    static const char *const names[] = {"corehr", "oldhr", "COREHR", "OLDHR"};
    size_t n = 0;
    while (*src && n + 1 < cap) {
        size_t skip = 0;
        for (size_t i = 0; i < 4 && !skip; i++)
            if (!strncmp(src, names[i], strlen(names[i])))
                skip = strlen(names[i]);
        if (skip && n + 7 < cap) {
            memcpy(dst + n, "BUNDLE", 6);
            n += 6;
            src += skip;
        } else {
            dst[n++] = *src++;
        }
    }
    dst[n] = '\0';
}

static void set_error(dc_result_t *r, int code, const char *path, const char *message)
{
    r->code = code;
    copy_text(r->path, sizeof r->path, path);
    copy_text(r->message, sizeof r->message, message);
}

/* Appends "path: message\n" to *text (malloc'd, grows). */
static void add_violation(char **text, const char *path, const char *message)
{
    size_t old = *text ? strlen(*text) : 0;
    size_t n = old + strlen(path) + strlen(message) + 4;
    *text = must(realloc(*text, n));
    snprintf(*text + old, n - old, "%s: %s\n", path, message);
}

static char *print_tree(int rc, cJSON *tree)
{
    char *s = rc == 0 && tree ? cJSON_PrintUnformatted(tree) : NULL;
    cJSON_Delete(tree);
    return s;
}

/* One codec's run for struct T of bundle P, as a dc_run_fn named
 * dc_run_SIDE_T. */
#define DC_SIDE(P, SIDE, T)                                                  \
    static void dc_run_##SIDE##_##T(const char *text, size_t len, const cJSON *json, \
                                    dc_result_t *r)                          \
    {                                                                        \
        P##_##T##_t *x = NULL;                                               \
        P##_error_t err;                                                     \
        memset(&err, 0, sizeof err);                                         \
        r->rc = json ? P##_##T##_from_json(&x, json, &err)                   \
                     : P##_##T##_parse(&x, text, len, &err);                 \
        if (r->rc != 0) {                                                    \
            set_error(r, err.code, err.path, err.message);                   \
            r->left_result = x != NULL;                                      \
            return;                                                          \
        }                                                                    \
        r->printed = P##_##T##_print(x);                                     \
        cJSON *tree = NULL;                                                  \
        r->to_json_rc = P##_##T##_to_json(x, &tree);                         \
        r->to_json = print_tree(r->to_json_rc, tree);                        \
        P##_violations_t v;                                                  \
        memset(&v, 0, sizeof v);                                             \
        r->violations_rc = P##_##T##_validate(x, &v);                        \
        for (size_t i = 0; i < v.count; i++)                                 \
            add_violation(&r->violations, v.items[i].path, v.items[i].message); \
        P##_violations_free(&v);                                             \
        P##_##T##_free(x);                                                   \
    }

#define DC_TYPE(T, endpoint, part) DC_SIDE(oldhr, old, T) DC_SIDE(corehr, new, T)
#include "diffcodec_types.h"
#undef DC_TYPE

const dc_type_t dc_types[] = {
#define DC_TYPE(T, endpoint, part) {#T, endpoint, part, dc_run_old_##T, dc_run_new_##T},
#include "diffcodec_types.h"
#undef DC_TYPE
};
const size_t dc_type_count = sizeof dc_types / sizeof *dc_types;

static void result_free(dc_result_t *r)
{
    cJSON_free(r->printed);
    cJSON_free(r->to_json);
    free(r->violations);
    memset(r, 0, sizeof *r);
}

static void drop_last_byte(char *s)
{
    if (s && *s)
        s[strlen(s) - 1] = '\0';
}

/* FNV-1a: which inputs DC_PERTURB_PARSE changes, the same on every run. */
static unsigned hash(const char *text, size_t len)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 16777619u;
    return h;
}

static void perturb(dc_result_t *r, const char *text, size_t len)
{
    switch (dc_perturb) {
    case DC_PERTURB_NONE:
        break;
    case DC_PERTURB_PARSE:
        if (hash(text, len) % 10 == 0)
            r->rc = r->code = r->rc ? r->rc - 1 : COREHR_E_TYPE;
        break;
    case DC_PERTURB_PRINT:
        drop_last_byte(r->printed);
        break;
    case DC_PERTURB_TO_JSON:
        drop_last_byte(r->to_json);
        break;
    case DC_PERTURB_VALIDATE:
        if (r->rc == 0) {
            r->violations_rc++;
            add_violation(&r->violations, "/", "perturbed");
        }
        break;
    }
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static void describe(dc_outcome_t *o, const char *entry, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(o->why, sizeof o->why, "%s: ", entry);
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof o->why)
        vsnprintf(o->why + n, sizeof o->why - (size_t)n, fmt, ap);
    va_end(ap);
    o->disagree = true;
}

#define SHOW(s) ((s) ? (s) : "(NULL)")

/* Compares one entry point's two results; true when they agree. */
static bool agree(const dc_result_t *o, const dc_result_t *n, const char *entry,
                  dc_outcome_t *out)
{
    if (o->rc != n->rc || o->code != n->code) {
        describe(out, entry, "old returned %d (%s: %s), new %d (%s: %s)", o->rc,
                 o->path, o->message, n->rc, n->path, n->message);
        return false;
    }
    if (o->left_result != n->left_result) {
        describe(out, entry, "failed, and %s left a result", o->left_result ? "old" : "new");
        return false;
    }
    if (o->rc != 0) {
        if (strcmp(o->path, n->path) || strcmp(o->message, n->message))
            out->error_text_differs = true;
        return true;
    }
    if (!same_text(o->printed, n->printed)) {
        describe(out, entry, "_print differs:\n  old %.400s\n  new %.400s", SHOW(o->printed),
                 SHOW(n->printed));
        return false;
    }
    if (o->to_json_rc != n->to_json_rc || !same_text(o->to_json, n->to_json)) {
        describe(out, entry, "_to_json differs:\n  old %d %.400s\n  new %d %.400s",
                 o->to_json_rc, SHOW(o->to_json), n->to_json_rc, SHOW(n->to_json));
        return false;
    }
    if (o->violations_rc != n->violations_rc || !same_text(o->violations, n->violations)) {
        describe(out, entry, "_validate differs:\n  old %d:\n%.400s  new %d:\n%.400s",
                 o->violations_rc, o->violations ? o->violations : "", n->violations_rc,
                 n->violations ? n->violations : "");
        return false;
    }
    return true;
}

/* Both codecs through one entry point (json NULL: _parse). */
static bool compare_entry(const dc_type_t *t, const char *text, size_t len, const cJSON *json,
                          dc_outcome_t *out)
{
    dc_result_t o, n;
    memset(&o, 0, sizeof o);
    memset(&n, 0, sizeof n);
    t->run_old(text, len, json, &o);
    t->run_new(text, len, json, &n);
    perturb(&n, text, len);
    bool ok = agree(&o, &n, json ? "_from_json" : "_parse", out);
    if (!json) {
        out->rc = o.rc;
        out->parsed = ok && o.rc == 0;
    }
    result_free(&o);
    result_free(&n);
    return ok;
}

void dc_compare(const dc_type_t *t, const char *text, size_t len, dc_outcome_t *out)
{
    memset(out, 0, sizeof *out);
    if (!compare_entry(t, text, len, NULL, out))
        return;
    cJSON *json = cJSON_ParseWithLength(text, len);
    if (json)
        compare_entry(t, text, len, json, out);
    cJSON_Delete(json);
}
