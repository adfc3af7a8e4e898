/* diffcodec_main.c - the deterministic differential test of two codecs
 * (diffcodec.h): every struct with an example in the specs, its example
 * and N mutants of it, read by the OLD and the NEW codec, which must agree.
 *
 *   diffcodec CASES.json [--mutants N] [--perturb MODE] [--seeds DIR]
 *
 * CASES.json is tests/e2e/e2e_cases.json rendered for the bundle: a
 * response struct reads its endpoint's response example's `data`, a body
 * its request example, a query or path struct the parameters' examples.
 * Each example is tried as cJSON prints it, compact and indented, and as N
 * mutants (default 200), made by a fixed pseudo-random sequence from the
 * struct's name and the mutant's number, so every run tries the same
 * inputs: byte flips, truncations, syntax damage, values swapped for
 * another type, keys dropped and duplicated, huge and odd numbers, bad
 * UTF-8 and escapes, odd strings, array and object edits, deep nesting,
 * another struct's example, and several of these at once.
 *
 * Prints "diffcodec: N types, M inputs, D disagreements" and the first
 * disagreements in full; exits 1 when there is any. --perturb MODE makes
 * the NEW side wrong on purpose (diffcodec.h) to show the check catches
 * it; --seeds DIR writes the examples as libFuzzer seeds for
 * tests/fuzz/fuzz_diffcodec.c (first two bytes: the struct's index).
 */
#include "diffcodec.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN_DISAGREEMENTS 10

static void *must(void *p)
{
    if (!p) {
        fputs("diffcodec: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

static char *dup_text(const char *s)
{
    return strcpy(must(malloc(strlen(s) + 1)), s);
}

/* ---- a growing byte buffer ------------------------------------------------- */

typedef struct buf {
    char *data;
    size_t len, cap;
} buf_t;

static void buf_add(buf_t *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = must(realloc(b->data, b->cap));
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_str(buf_t *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_repeat(buf_t *b, const char *s, size_t times)
{
    while (times--)
        buf_str(b, s);
}

/* ---- deterministic randomness ---------------------------------------------- */

typedef struct rng {
    uint64_t state;
} rng_t;

/* splitmix64: small, and the same sequence everywhere. */
static uint64_t rng_next(rng_t *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static size_t below(rng_t *r, size_t n)
{
    return n ? (size_t)(rng_next(r) % n) : 0;
}

#define PICK(r, array) ((array)[below((r), sizeof(array) / sizeof *(array))])

static uint64_t hash_text(const char *s)
{
    uint64_t h = 14695981039346656037u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211u;
    return h;
}

/* ---- the examples ---------------------------------------------------------- */

static char *read_file(const char *name, size_t *size)
{
    FILE *f = fopen(name, "rb");
    buf_t b = {0};
    char chunk[65536];
    size_t n;

    if (!f)
        return NULL;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    *size = b.len;
    return b.data ? b.data : dup_text("");
}

/* The parameters' examples as one object (wire name: example); NULL when
 * none has one. */
static cJSON *parameter_examples(const cJSON *params)
{
    cJSON *out = must(cJSON_CreateObject());
    const cJSON *p;

    cJSON_ArrayForEach(p, params) {
        const cJSON *wire = cJSON_GetObjectItemCaseSensitive(p, "wire");
        const cJSON *ex = cJSON_GetObjectItemCaseSensitive(p, "example");
        if (cJSON_IsString(wire) && ex)
            cJSON_AddItemToObject(out, wire->valuestring, must(cJSON_Duplicate(ex, true)));
    }
    if (!out->child) {
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}

/* The example struct t reads, as a tree of its own; NULL if none. */
static cJSON *example_of(const cJSON *cases, const dc_type_t *t)
{
    const cJSON *cs;

    cJSON_ArrayForEach(cs, cases) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(cs, "name");
        if (!cJSON_IsString(name) || strcmp(name->valuestring, t->endpoint))
            continue;
        const cJSON *ex = NULL;
        if (!strcmp(t->part, "response"))
            ex = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cs, "response"),
                                                  "data");
        else if (!strcmp(t->part, "request"))
            ex = cJSON_GetObjectItemCaseSensitive(cs, "request");
        else if (!strcmp(t->part, "query"))
            return parameter_examples(cJSON_GetObjectItemCaseSensitive(cs, "query"));
        else if (!strcmp(t->part, "path"))
            return parameter_examples(cJSON_GetObjectItemCaseSensitive(cs, "path_params"));
        return ex ? must(cJSON_Duplicate(ex, true)) : NULL;
    }
    return NULL;
}

/* ---- mutation: the tree's nodes ---------------------------------------- */

typedef struct nodes {
    cJSON **node, **parent;
    size_t count, cap;
} nodes_t;

static void collect(cJSON *node, cJSON *parent, nodes_t *n)
{
    if (n->count == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 64;
        n->node = must(realloc(n->node, n->cap * sizeof *n->node));
        n->parent = must(realloc(n->parent, n->cap * sizeof *n->parent));
    }
    n->node[n->count] = node;
    n->parent[n->count++] = parent;
    for (cJSON *c = node->child; c; c = c->next)
        collect(c, node, n);
}

/* A random node whose type is in `types` (cJSON_Invalid: any) and, if
 * member, whose parent is an object; its index or -1. */
static long pick_node(rng_t *r, const nodes_t *n, int types, bool member)
{
    size_t start = below(r, n->count);
    for (size_t k = 0; k < n->count; k++) {
        size_t i = (start + k) % n->count;
        if (types != cJSON_Invalid && !(n->node[i]->type & types))
            continue;
        if (member && !cJSON_IsObject(n->parent[i]))
            continue;
        return (long)i;
    }
    return -1;
}

/* Puts `with` where node i is (keeping its key) and frees the node. */
static void replace(cJSON **root, nodes_t *n, long i, cJSON *with)
{
    cJSON *node = n->node[i], *parent = n->parent[i];
    if (!parent) {
        cJSON_Delete(*root);
        *root = with;
    } else {
        if (node->string && cJSON_IsObject(parent)) {
            free(with->string);
            with->string = dup_text(node->string);
        }
        cJSON_ReplaceItemViaPointer(parent, node, with);
    }
    n->count = 0;       /* the list is stale now */
}

static cJSON *raw(const char *text)
{
    return must(cJSON_CreateRaw(text));
}

static char *print_node(const cJSON *node)
{
    return must(cJSON_PrintUnformatted(node));
}

/* Links item into parent's list before `at` (NULL: at the end). By hand:
 * cJSON_InsertItemInArray refuses items in some cJSON builds. */
static void insert_before(cJSON *parent, cJSON *at, cJSON *item)
{
    if (!at) {
        cJSON_AddItemToArray(parent, item);     /* keeps item->string */
        return;
    }
    item->next = at;
    item->prev = at->prev;
    if (at == parent->child)
        parent->child = item;
    else
        at->prev->next = item;
    at->prev = item;
}

/* ---- mutation: the kinds ------------------------------------------------- */

/* A value of another type in place of a node. */
static void mutate_type(rng_t *r, cJSON **root, nodes_t *n)
{
    static const char *const values[] = {
        "\"x\"", "\"\"", "\"123\"", "\"true\"", "0", "1", "-1", "1.5", "true", "false",
        "null", "[]", "{}", "[\"x\"]", "[1]", "{\"a\":1}", "[[]]", "[null]",
    };
    long i = pick_node(r, n, cJSON_Invalid, false);     /* draws in this order */
    replace(root, n, i, raw(PICK(r, values)));
}

static void mutate_drop_key(rng_t *r, cJSON **root, nodes_t *n)
{
    long i = pick_node(r, n, cJSON_Invalid, true);
    if (i < 0) {
        mutate_type(r, root, n);
        return;
    }
    cJSON_Delete(cJSON_DetachItemViaPointer(n->parent[i], n->node[i]));
    n->count = 0;
}

/* The key again, with the same value or another; at the end or right
 * after the first. */
static void mutate_dup_key(rng_t *r, cJSON **root, nodes_t *n)
{
    static const char *const others[] = {"null", "\"dup\"", "7", "{}", "[]", "false"};
    long i = pick_node(r, n, cJSON_Invalid, true);
    if (i < 0) {
        mutate_type(r, root, n);
        return;
    }
    cJSON *node = n->node[i], *parent = n->parent[i];
    cJSON *copy = below(r, 2) ? must(cJSON_Duplicate(node, true)) : raw(PICK(r, others));
    free(copy->string);
    copy->string = dup_text(node->string);
    insert_before(parent, below(r, 2) ? node->next : NULL, copy);
    n->count = 0;
}

static const char *const odd_numbers[] = {
    "1e400", "-1e400", "1e-400", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "18446744073709551616",
    "4294967296", "2147483647", "2147483648", "-2147483648", "-2147483649",
    "9007199254740992", "9007199254740993", "-9007199254740993",
    "123456789012345678901234567890", "1.7976931348623157e308", "5e-324", "0.1", "-0",
    "0.0", "1E2", "100.0", "1e2", "1.0e+2", "-1", "0", "3.14159", "1e15", "1e16",
    "99999999999999999999999999999999999999999999999999999999999999999999999",
};

static void mutate_number(rng_t *r, cJSON **root, nodes_t *n)
{
    long i = pick_node(r, n, cJSON_Number, false);
    if (i < 0)
        i = pick_node(r, n, cJSON_Number | cJSON_String | cJSON_True | cJSON_False | cJSON_NULL,
                      false);
    if (i < 0)
        i = 0;
    replace(root, n, i, raw(PICK(r, odd_numbers)));
}

/* A string with bad UTF-8 or an unusual escape inside. */
static void mutate_utf8(rng_t *r, cJSON **root, nodes_t *n)
{
    static const char *const bad[] = {
        "\xff", "\xfe\xff", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80",
        "\xed\xbf\xbf", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xe4\xb8", "\x80",
        "\\ud800", "\\udc00", "\\ud800x", "\\ud83d\\ude00", "\\u0000", "\\u001f", "\x01",
        "\\uD834\\uDD1E", "\\u00e9", "\\/", "\\x41", "\\", "\\u12", "\t", "\x7f",
        "\xe4\xb8\xad", "\xf0\x9f\x98\x80",
    };
    long i = pick_node(r, n, cJSON_String, false);
    if (i < 0)
        i = pick_node(r, n, cJSON_Invalid, false);
    char *quoted = cJSON_IsString(n->node[i]) ? print_node(n->node[i]) : dup_text("\"\"");
    size_t len = strlen(quoted), at = 1 + below(r, len - 1);
    while (at > 1 && quoted[at - 1] == '\\')     /* not inside an escape */
        at--;
    buf_t b = {0};
    buf_add(&b, quoted, at);
    buf_str(&b, PICK(r, bad));
    buf_str(&b, quoted + at);
    free(quoted);
    replace(root, n, i, raw(b.data));
    free(b.data);
}

/* Odd strings: empty, long, dates that are not, digits, another value. */
static void mutate_string(rng_t *r, cJSON **root, nodes_t *n)
{
    static const char *const odd[] = {
        "", " ", "0", "-1", "1.5", "true", "null", "2022-13-45", "2022-01-01",
        "2022-02-30", "2022-01-01T00:00:00Z", "2022-1-1", "00:00", "x",
        "9999999999999999999", "\xe4\xb8\xad\xe6\x96\x87", "a\nb", "open_id",
    };
    long i = pick_node(r, n, cJSON_String, false);
    if (i < 0) {
        mutate_type(r, root, n);
        return;
    }
    cJSON *with;
    switch (below(r, 4)) {
    case 0: {
        size_t len = (size_t)1 << (4 + below(r, 10));  /* 16 .. 8192 */
        char *s = must(malloc(len + 1));
        memset(s, 'a', len);
        s[len] = '\0';
        with = must(cJSON_CreateString(s));
        free(s);
        break;
    }
    case 1: {   /* another string of the same example: a wrong enum value */
        long j = pick_node(r, n, cJSON_String, false);
        with = must(cJSON_CreateString(n->node[j]->valuestring));
        break;
    }
    default:
        with = must(cJSON_CreateString(PICK(r, odd)));
    }
    replace(root, n, i, with);
}

static void mutate_array(rng_t *r, cJSON **root, nodes_t *n)
{
    long i = pick_node(r, n, cJSON_Array, false);
    if (i < 0) {
        mutate_type(r, root, n);
        return;
    }
    cJSON *a = n->node[i];
    switch (below(r, 6)) {
    case 0:     /* empty */
        while (a->child)
            cJSON_DeleteItemFromArray(a, 0);
        break;
    case 1: {   /* many copies of the first item (or of null) */
        size_t times = (size_t)1 << below(r, 11);
        cJSON *first = a->child;
        for (size_t k = 0; k < times; k++)
            cJSON_AddItemToArray(a, first ? must(cJSON_Duplicate(first, true)) : raw("null"));
        break;
    }
    case 2:
        cJSON_AddItemToArray(a, raw(PICK(r, ((const char *const[]){"null", "{}", "[]", "\"x\"",
                                                                    "1", "true"}))));
        break;
    case 3:     /* the first item alone, unwrapped */
        if (a->child) {
            replace(root, n, i, must(cJSON_Duplicate(a->child, true)));
            return;
        }
        cJSON_AddItemToArray(a, raw("null"));
        break;
    default:    /* an item of another type first */
        insert_before(a, a->child, raw(PICK(r, ((const char *const[]){"0", "\"\"", "[]",
                                                                       "false"}))));
    }
    n->count = 0;
}

static void mutate_object(rng_t *r, cJSON **root, nodes_t *n)
{
    long i = pick_node(r, n, cJSON_Object, false);
    if (i < 0) {
        mutate_type(r, root, n);
        return;
    }
    cJSON *o = n->node[i];
    switch (below(r, 4)) {
    case 0: {   /* a key nobody knows (two draws, in this order) */
        static const char *const keys[] = {"zz_unknown", "", "\xe4\xb8\xad", "__proto__"};
        static const char *const values[] = {"1", "{}", "[]", "null"};
        const char *key = PICK(r, keys);
        cJSON_AddItemToObject(o, key, raw(PICK(r, values)));
        break;
    }
    case 1:     /* no keys */
        while (o->child)
            cJSON_Delete(cJSON_DetachItemViaPointer(o, o->child));
        break;
    case 2: {   /* in an array */
        cJSON *a = must(cJSON_CreateArray());
        cJSON_AddItemToArray(a, must(cJSON_Duplicate(o, true)));
        replace(root, n, i, a);
        return;
    }
    default: {  /* keys in reverse order */
        cJSON *reversed = NULL;
        while (o->child) {
            cJSON *c = cJSON_DetachItemViaPointer(o, o->child);
            c->next = reversed;
            reversed = c;
        }
        while (reversed) {
            cJSON *c = reversed;
            reversed = c->next;
            c->next = c->prev = NULL;
            cJSON_AddItemToArray(o, c);     /* keeps c->string */
        }
    }
    }
    n->count = 0;
}

/* A node in d arrays or objects: around the readers' 64-level limit and
 * far beyond it. */
static void mutate_nest(rng_t *r, cJSON **root, nodes_t *n)
{
    static const size_t depths[] = {1, 2, 10, 61, 62, 63, 64, 65, 66, 100, 200, 1000, 1001, 3000};
    long i = pick_node(r, n, cJSON_Invalid, false);
    size_t d = PICK(r, depths);
    bool objects = below(r, 2);
    char *inner = print_node(n->node[i]);
    buf_t b = {0};
    buf_repeat(&b, objects ? "{\"a\":" : "[", d);
    buf_str(&b, inner);
    buf_repeat(&b, objects ? "}" : "]", d);
    free(inner);
    replace(root, n, i, raw(b.data));
    free(b.data);
}

typedef void mutator_fn(rng_t *r, cJSON **root, nodes_t *n);

static mutator_fn *const tree_mutators[] = {
    mutate_type, mutate_drop_key, mutate_dup_key, mutate_number, mutate_utf8,
    mutate_string, mutate_array, mutate_object, mutate_nest,
};
#define TREE_MUTATORS (sizeof tree_mutators / sizeof *tree_mutators)

/* Applies `count` tree mutations (kind: which, or random when -1) to a copy
 * of the example; returns the text, compact or indented. */
static char *tree_mutant(rng_t *r, const cJSON *example, long kind, int count)
{
    cJSON *root = must(cJSON_Duplicate(example, true));
    nodes_t n = {0};
    for (int k = 0; k < count; k++) {
        n.count = 0;
        collect(root, NULL, &n);
        tree_mutators[kind >= 0 ? (size_t)kind : below(r, TREE_MUTATORS)](r, &root, &n);
    }
    char *text = below(r, 4) ? cJSON_PrintUnformatted(root) : cJSON_Print(root);
    cJSON_Delete(root);
    free(n.node);
    free(n.parent);
    return must(text);
}

/* Text mutations of the compact example. */
static void text_mutant(rng_t *r, const char *base, size_t kind, buf_t *out)
{
    size_t len = strlen(base);
    out->len = 0;
    switch (kind) {
    case 0: {   /* flip bits of 1..3 bytes */
        buf_add(out, base, len);
        for (size_t k = 1 + below(r, 3); k > 0 && len; k--)
            out->data[below(r, len)] ^= (char)(1 + below(r, 255));
        break;
    }
    case 1:     /* truncated */
        buf_add(out, base, below(r, len));
        break;
    default: {  /* syntax around valid JSON */
        static const char *const wholes[] = {"", "null", "[]", "{}", "\"s\"", "0", "{", "}",
                                             "{\"\":}", "{,}", " ", "true"};
        size_t at = below(r, len + 1);
        switch (below(r, 9)) {
        case 0: buf_str(out, "\xef\xbb\xbf"); buf_add(out, base, len); break;
        case 1: buf_add(out, base, len); buf_str(out, PICK(r, ((const char *const[]){
                    " x", "}", ",", "\n", " ", "{}", "\0"}))); break;
        case 2: buf_str(out, " \n\t\r"); buf_add(out, base, len); buf_str(out, "\r\n"); break;
        case 3: buf_add(out, base, at); buf_add(out, "\0", 1); buf_add(out, base + at, len - at);
                break;
        case 4: buf_add(out, base, at); buf_str(out, "/*c*/"); buf_add(out, base + at, len - at);
                break;
        case 5: buf_add(out, base, at); buf_str(out, ","); buf_add(out, base + at, len - at);
                break;
        case 6: buf_str(out, PICK(r, wholes)); break;
        case 7: buf_add(out, base, len); if (len > 1) out->data[len - 1] = ','; buf_str(out, "}");
                break;
        default: buf_add(out, base, at); buf_add(out, base + at / 2, len - at / 2); break;
        }
    }
    }
    if (!out->data)
        buf_add(out, "", 0);
}

/* ---- running ---------------------------------------------------------- */

#define MAX_CODE 64

typedef struct tally {
    size_t types, inputs, disagreements, parsed, error_texts;
    size_t by_code[MAX_CODE];   /* inputs per OLD _parse result, negated */
} tally_t;

static void show_input(const char *text, size_t len)
{
    fputs("  input: ", stdout);
    for (size_t i = 0; i < len && i < 300; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    printf("%s (%zu bytes)\n", len > 300 ? "..." : "", len);
}

static void check(const dc_type_t *t, const char *text, size_t len, const char *what,
                  tally_t *tl)
{
    dc_outcome_t o;
    dc_compare(t, text, len, &o);
    tl->inputs++;
    tl->parsed += o.parsed;
    tl->error_texts += o.error_text_differs;
    if (o.rc <= 0 && o.rc > -MAX_CODE)
        tl->by_code[-o.rc]++;
    if (!o.disagree)
        return;
    if (tl->disagreements++ < SHOWN_DISAGREEMENTS) {
        printf("diffcodec: DISAGREE %s (%s) %s\n", t->name, t->part, what);
        show_input(text, len);
        printf("  %s\n", o.why);
    }
}

static void write_seed(const char *dir, size_t index, const char *variant, const char *text)
{
    char name[4096];
    snprintf(name, sizeof name, "%s/%s_%s.seed", dir, dc_types[index].name, variant);
    FILE *f = fopen(name, "wb");
    if (!f) {
        fprintf(stderr, "diffcodec: %s: %s\n", name, strerror(errno));
        exit(2);
    }
    fputc((int)(index >> 8 & 0xff), f);
    fputc((int)(index & 0xff), f);
    fputs(text, f);
    fclose(f);
}

/* The example of struct i and its mutants. */
static void run_type(size_t i, const cJSON *example, const char **others, size_t n_others,
                     long mutants, tally_t *tl)
{
    const dc_type_t *t = &dc_types[i];
    char *compact = print_node(example), *indented = must(cJSON_Print(example));
    char what[64];
    buf_t b = {0};

    check(t, compact, strlen(compact), "(the example)", tl);
    check(t, indented, strlen(indented), "(the example, indented)", tl);
    for (long m = 0; m < mutants; m++) {
        rng_t r = {hash_text(t->name) ^ (uint64_t)m * 0x2545f4914f6cdd1du};
        size_t kind = (size_t)m % (TREE_MUTATORS + 5);
        snprintf(what, sizeof what, "(mutant %ld)", m);
        if (kind < TREE_MUTATORS) {
            char *text = tree_mutant(&r, example, (long)kind, 1);
            check(t, text, strlen(text), what, tl);
            cJSON_free(text);
        } else if (kind < TREE_MUTATORS + 3) {
            text_mutant(&r, compact, kind - TREE_MUTATORS, &b);
            check(t, b.data, b.len, what, tl);
        } else if (kind == TREE_MUTATORS + 3) {     /* another struct's example */
            const char *other = others[below(&r, n_others)];
            check(t, other, strlen(other), what, tl);
        } else {                                    /* several mutations at once */
            char *text = tree_mutant(&r, example, -1, 2 + (int)below(&r, 3));
            check(t, text, strlen(text), what, tl);
            cJSON_free(text);
        }
    }
    free(b.data);
    cJSON_free(compact);
    cJSON_free(indented);
}

static int usage(void)
{
    fputs("usage: diffcodec CASES.json [--mutants N] [--perturb none|parse|print|to_json|validate]"
          " [--seeds DIR]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *cases_file = NULL, *seeds = NULL;
    long mutants = 200;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mutants") && i + 1 < argc)
            mutants = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--perturb") && i + 1 < argc) {
            if (!dc_perturb_from_name(argv[++i], &dc_perturb))
                return usage();
        } else if (!strcmp(argv[i], "--seeds") && i + 1 < argc)
            seeds = argv[++i];
        else if (argv[i][0] != '-' && !cases_file)
            cases_file = argv[i];
        else
            return usage();
    }
    if (!cases_file || mutants < 0)
        return usage();
    size_t size;
    char *text = read_file(cases_file, &size);
    cJSON *cases = text ? cJSON_ParseWithLength(text, size) : NULL;
    free(text);
    if (!cJSON_IsArray(cases)) {
        fprintf(stderr, "diffcodec: %s: cannot read the cases (a JSON array)\n", cases_file);
        return 2;
    }

    cJSON **examples = must(calloc(dc_type_count, sizeof *examples));
    const char **texts = must(calloc(dc_type_count + 1, sizeof *texts));
    size_t n_texts = 0, without = 0;
    for (size_t i = 0; i < dc_type_count; i++) {
        examples[i] = example_of(cases, &dc_types[i]);
        if (examples[i])
            texts[n_texts++] = print_node(examples[i]);
        else
            without++;
    }
    if (!n_texts) {
        fprintf(stderr, "diffcodec: no struct has an example in %s\n", cases_file);
        return 2;
    }

    tally_t tl = {0};
    for (size_t i = 0; i < dc_type_count; i++) {
        if (!examples[i])
            continue;
        tl.types++;
        if (seeds) {
            write_seed(seeds, i, "compact", texts[tl.types - 1]);
            char *indented = must(cJSON_Print(examples[i]));
            write_seed(seeds, i, "indented", indented);
            cJSON_free(indented);
        }
        run_type(i, examples[i], texts, n_texts, mutants, &tl);
        cJSON_Delete(examples[i]);
    }
    printf("diffcodec: %zu types, %zu inputs, %zu disagreements\n", tl.types, tl.inputs,
           tl.disagreements);
    printf("diffcodec: %zu inputs read by both codecs, %zu failed alike with other error"
           " text; %zu of %zu structs have no example\n", tl.parsed, tl.error_texts, without,
           dc_type_count);
    printf("diffcodec: results (code x inputs):");
    for (int c = 0; c < MAX_CODE; c++)
        if (tl.by_code[c])
            printf(" %d x%zu", -c, tl.by_code[c]);
    putchar('\n');
    for (size_t i = 0; i < n_texts; i++)
        cJSON_free((void *)texts[i]);
    free(texts);
    free(examples);
    cJSON_Delete(cases);
    return tl.disagreements ? 1 : 0;
}
