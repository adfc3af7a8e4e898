/* fuzz_spec_load.c - libFuzzer target: any bytes as a spec file.
 *
 * Each input goes through a private temp file (the loader reads files), then
 * the whole front end runs as `oapigen generate` would: load, model check
 * and, when the spec is accepted, the view and every template rendered in
 * memory. Besides the sanitizers, it checks what a hostile spec could break:
 *
 * - every diagnostic is "file:line:col: error|note: ..." with 1-based
 *   positions, and a spec is accepted exactly when there is none;
 * - in the view, comment lines cannot end a comment or form a trigraph,
 *   C-literal strings cannot end their literal, C names are identifiers;
 * - in the rendered C files, every comment and string literal is closed
 *   where it should be: no comment opener inside a comment, no stray
 *   comment end, no raw newline in a literal, no trigraph, no non-ASCII
 *   byte outside comments and literals.
 *
 * Built and run by tests/fuzz/run.sh; by hand, from the source root:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Igenerator \
 *     -I/usr/include/cjson tests/fuzz/fuzz_spec_load.c generator/util.c \
 *     generator/spec_load.c generator/model.c generator/view.c \
 *     generator/mustache.c -lyaml -lcjson -lm -o fuzz_spec_load
 *   ./fuzz_spec_load -dict=tests/fuzz/spec_load.dict CORPUS \
 *     tests/fuzz/seeds/spec_load specs/corehr tests/hostile
 *
 * Templates are read from $OAPIGEN_SOURCE_ROOT/templates (default: ./templates).
 */
#include "oapigen.h"
#include "mustache.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_spec_load: " __VA_ARGS__);                 \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

/* ---- templates, read once ----------------------------------------------- */

static const char *const template_names[] = {
    "bundle.h", "bundle.c", "bundle_api.h", "bundle_api.c", "bundle_cli.c",
    "bundle.md", "README.md",
};
#define NTEMPLATES (sizeof template_names / sizeof template_names[0])

static char *template_text[NTEMPLATES];
static size_t template_len[NTEMPLATES];
static char template_dir[4096];

static void load_templates(void)
{
    const char *root = getenv("OAPIGEN_SOURCE_ROOT");
    snprintf(template_dir, sizeof template_dir, "%s/templates", root ? root : ".");
    for (size_t i = 0; i < NTEMPLATES; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.mustache", template_dir, template_names[i]);
        template_text[i] = og_read_file(path, &template_len[i]);
        CHECK(template_text[i], "cannot read %s (run from the source root)", path);
    }
}

static char *load_partial(void *user, const char *name, size_t *len)
{
    char path[4200];
    (void)user;
    snprintf(path, sizeof path, "%s/partials/%s.mustache", template_dir, name);
    return og_read_file(path, len);
}

/* ---- oracles -------------------------------------------------------------- */

/* "file:L:C: error: ..." or "...: note: ..." with L, C >= 1. A message
 * may quote spec text with newlines in it (util.c does not escape them yet),
 * so lines that do not start with the file name are taken as continuations;
 * the first line must start one. */
static void check_diagnostics(const og_diag *d, const char *file)
{
    size_t flen = strlen(file);
    const char *p = d->text.data;
    int lines = 0;
    CHECK(!d->errors == !p, "errors counted %d, text %s", d->errors, p ? p : "(none)");
    CHECK(!p || !strncmp(p, file, flen), "first diagnostic not positioned: %s", p);
    while (p && *p) {
        const char *eol = strchr(p, '\n');
        CHECK(eol, "diagnostic without a newline: %s", p);
        if (strncmp(p, file, flen) || p[flen] != ':') {
            p = eol + 1;
            continue;
        }
        char *end;
        long line = strtol(p + flen + 1, &end, 10);
        CHECK(line >= 1 && *end == ':', "bad line in: %.*s", (int)(eol - p), p);
        long col = strtol(end + 1, &end, 10);
        CHECK(col >= 1 && (!strncmp(end, ": error: ", 9) || !strncmp(end, ": note: ", 8)),
              "bad column or kind in: %.*s", (int)(eol - p), p);
        lines += !strncmp(end, ": error: ", 9);
        p = eol + 1;
    }
    CHECK(lines >= d->errors, "%d error lines, %d errors counted", lines, d->errors);
}

static bool is_identifier(const char *s)
{
    if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_') || (unsigned char)*s >= 128)
            return false;
    return true;
}

/* The body of a C string literal: escapes only, no raw quote or newline,
 * and no "??" (a trigraph could form with the next character). */
static bool is_literal_body(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\n' || c < 0x20 || c == 0x7f || (c == '?' && s[1] == '?'))
            return false;
        if (c == '\\') {
            s++;
            if (!*s || !strchr("\"\\?n01234567", *s))
                return false;
        }
    }
    return true;
}

static bool is_comment_text(const char *s)
{
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f || (c == '*' && p[1] == '/') || (c == '/' && p[1] == '*') ||
            (c == '?' && p[1] == '?'))
            return false;
    }
    size_t n = strlen(s);
    return !n || s[n - 1] != '\\';
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Walks the view: keys say where a string goes (docs/templates.md). */
static void check_view(const cJSON *node, const char *key)
{
    if (cJSON_IsString(node) && key) {
        const char *s = node->valuestring;
        if (!strcmp(key, "line") || !strcmp(key, "text"))
            CHECK(is_comment_text(s), "view key '%s' unsafe in a comment: %s", key, s);
        else if (ends_with(key, "_c") && strcmp(key, "param_c") && strcmp(key, "target_c") &&
                 strcmp(key, "idempotency_key_c"))
            CHECK(is_literal_body(s), "view key '%s' unsafe in a literal: %s", key, s);
        else if (!strcmp(key, "c_name") || !strcmp(key, "param_c") ||
                 !strcmp(key, "target_c") || !strcmp(key, "enum_type") ||
                 !strcmp(key, "object_type") || !strcmp(key, "idempotency_key_c") ||
                 !strcmp(key, "prefix"))
            CHECK(is_identifier(s), "view key '%s' is no C identifier: %s", key, s);
    }
    for (const cJSON *c = node->child; c; c = c->next)
        check_view(c, cJSON_IsArray(node) ? key : c->string);
}

/* A small C lexer over one rendered file: comments and literals must open
 * and close where the template meant them to. */
static void check_c_text(const char *name, const char *s, size_t n)
{
    enum { CODE, BLOCK, LINE, STR, CHR } st = CODE;
    int line = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i], d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
        CHECK(c != '?' || d != '?' || st == LINE || i + 2 >= n || !strchr("=/'()!<>-", s[i + 2]),
              "%s:%d: trigraph", name, line);
        if (c == '\n')
            line++;
        switch (st) {
        case CODE:
            CHECK(c < 128, "%s:%d: non-ASCII byte in code", name, line);
            CHECK(!(c == '*' && d == '/'), "%s:%d: '*/' outside a comment", name, line);
            if (c == '/' && d == '*')
                st = BLOCK, i++;
            else if (c == '/' && d == '/')
                st = LINE, i++;
            else if (c == '"')
                st = STR;
            else if (c == '\'')
                st = CHR;
            break;
        case BLOCK:
            CHECK(!(c == '/' && d == '*'), "%s:%d: '/*' inside a comment", name, line);
            if (c == '*' && d == '/')
                st = CODE, i++;
            break;
        case LINE:
            CHECK(!(c == '\\' && d == '\n'), "%s:%d: line comment spliced", name, line);
            if (c == '\n')
                st = CODE;
            break;
        case STR:
        case CHR:
            CHECK(c != '\n', "%s:%d: newline in a literal", name, line);
            if (c == '\\')
                i++;
            else if ((c == '"' && st == STR) || (c == '\'' && st == CHR))
                st = CODE;
            break;
        }
    }
    CHECK(st == CODE || st == LINE, "%s: ends inside a comment or literal", name);
}

static void render_all(const cJSON *view)
{
    mustache_partials partials = {load_partial, NULL, 1};
    for (size_t i = 0; i < NTEMPLATES; i++) {
        char *out = NULL, err[1024];
        size_t len;
        int rc = mustache_render(template_names[i], template_text[i], template_len[i], view,
                                 &partials, &out, &len, err, sizeof err);
        CHECK(rc == 0, "template %s failed on an accepted spec: %s", template_names[i], err);
        if (ends_with(template_names[i], ".c") || ends_with(template_names[i], ".h"))
            check_c_text(template_names[i], out, len);
        free(out);
    }
}

/* ---- the target ------------------------------------------------------------ */

static char path[64];

static void remove_path(void)
{
    remove(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/fuzz_spec_load.%ld.yaml", (long)getpid());
        load_templates();
        atexit(remove_path);
    }
    FILE *f = fopen(path, "wb");
    CHECK(f, "cannot write %s", path);
    CHECK(!size || fwrite(data, 1, size, f) == size, "short write");
    fclose(f);

    og_set *set = og_set_new();
    int errors = og_load_file(set, path);
    CHECK(errors == set->diag.errors, "og_load_file returned %d, counted %d", errors,
          set->diag.errors);
    if (!errors)
        og_model_check(set);
    check_diagnostics(&set->diag, path);
    if (!set->diag.errors) {
        cJSON *view = og_view_build(set);
        check_view(view, NULL);
        render_all(view);
        cJSON_Delete(view);
    }
    og_set_free(set);
    return 0;
}
