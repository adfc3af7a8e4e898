/* view.c - the checked model as the JSON view that templates render.
 *
 * Templates are logic-less, so the view carries every decision a template
 * would otherwise make: which kind a field is (is_string, is_array, ...),
 * C names, C-escaped literals, comment-safe doc lines, first/last flags.
 * It adds no C code of its own; only data, escaped for where it goes.
 * docs/templates.md documents every key.
 *
 * The view is big (about 45 members per field, 1,500 values per endpoint),
 * and in a process that generates thousands of endpoints its memory is
 * most of the cost, so it is not a cJSON tree but a compact one in the
 * set's arena (see "the tree"): no allocation per value, no key copies,
 * and string values point at text that lives as long as the set: the
 * model's own, literals, or text made here in the arena. Templates reach it
 * through og_view_data (mustache.h's data calls); og_view_build converts it
 * to cJSON for --dump-context.
 */
#include "oapigen.h"
#include "mustache.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tree ---------------------------------------------------------- */

/* A value takes 16 bytes. An object is its values in one array and a shape:
 * the sequence of its keys (string literals), shared by every object given
 * the same keys in the same order (the views of similar fields), which also
 * indexes them, so that a template finds a member with one hash probe
 * instead of a scan. An array is its items in one array, followed by an END
 * value. An object may be an item of two arrays (the view of a field is in
 * its struct and in its endpoint's lists): items are values of their own,
 * so each carries the first/last marks of its array. */
struct og_vnode {
    union {
        double number;
        const char *string;
        struct vobject *object;
        struct varray *array;
    } as;
    unsigned char type;     /* mustache_type, or END */
    unsigned char flags;    /* items: MARKED, FIRST, LAST */
};

enum { END = 255 };
enum { MARKED = 1, FIRST = 2, LAST = 4 };   /* see mark_ends */

typedef struct shape {
    const char **keys;          /* count keys, in order */
    unsigned count;
    unsigned short *index;      /* open addressing: 1 + position, or 0 */
    unsigned mask;              /* index size - 1 */
    struct shape *children;     /* shapes of one more key */
    struct shape *sibling;      /* the next child of the same parent */
} shape;

typedef struct builder {
    const og_set *set;
    shape empty;                /* the shape of a new object */
} builder;

typedef struct vobject {
    shape *shape;
    og_vnode *vals;             /* shape->count of them */
    unsigned cap;
    builder *b;
} vobject;

typedef struct varray {
    og_vnode *items;            /* count of them, then an END value */
    unsigned count, cap;
    builder *b;
} varray;

/* Every tag of a template is looked up, so the hash is cheap: the length
 * and three bytes (enough to tell this file's keys mostly apart; a
 * collision costs one more probe). */
static unsigned key_hash(const char *key, size_t len)
{
    if (!len)
        return 0;
    unsigned h = (unsigned)len;
    h = h * 31 + (unsigned char)key[0];
    h = h * 31 + (unsigned char)key[len / 2];
    h = h * 31 + (unsigned char)key[len - 1];
    return (h ^ h >> 9) * 2654435761u >> 8;
}

/* True when the C string s is exactly the len bytes at key. */
static bool is_key(const char *s, const char *key, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] == key[i] && s[i])
        i++;
    return i == len && !s[i];
}

/* The position of key in shape s, or -1 (the first one, were a key there
 * twice). */
static long shape_find(const shape *s, const char *key, size_t len)
{
    if (!s->count)
        return -1;
    for (unsigned i = key_hash(key, len) & s->mask;; i = (i + 1) & s->mask) {
        unsigned p = s->index[i];
        if (!p)
            return -1;
        if (is_key(s->keys[p - 1], key, len))
            return (long)p - 1;
    }
}

/* Indexes the keys of s by hash (a key there twice: its first position),
 * in a table at most half full. */
static void index_shape(og_arena *a, shape *s)
{
    s->mask = 1;
    while (s->mask + 1 < 2 * s->count)
        s->mask = s->mask * 2 + 1;
    s->index = og_alloc(a, (s->mask + 1) * sizeof *s->index);
    for (unsigned p = 0; p < s->count; p++) {
        size_t len = strlen(s->keys[p]);
        if (shape_find(s, s->keys[p], len) >= 0)
            continue;
        unsigned i = key_hash(s->keys[p], len) & s->mask;
        while (s->index[i])
            i = (i + 1) & s->mask;
        s->index[i] = (unsigned short)(p + 1);
    }
}

/* Shape s with key appended. Keys are literals, one pointer per place in
 * this file, so transitions compare pointers. */
static shape *next_shape(og_arena *a, shape *s, const char *key)
{
    for (shape *c = s->children; c; c = c->sibling)
        if (c->keys[s->count] == key)
            return c;
    shape *c = og_alloc(a, sizeof *c);
    c->count = s->count + 1;
    c->keys = og_alloc(a, c->count * sizeof *c->keys);
    if (s->count)
        memcpy(c->keys, s->keys, s->count * sizeof *c->keys);
    c->keys[s->count] = key;
    index_shape(a, c);
    c->sibling = s->children;
    s->children = c;
    return c;
}

/* A new object with room for `hint` members (it grows past that). */
static vobject *new_object(builder *b, unsigned hint)
{
    vobject *o = og_alloc(b->set->arena, sizeof *o);
    o->shape = &b->empty;
    o->cap = hint ? hint : 1;
    o->vals = og_alloc(b->set->arena, o->cap * sizeof *o->vals);
    o->b = b;
    return o;
}

static varray *new_array(builder *b, unsigned hint)
{
    varray *a = og_alloc(b->set->arena, sizeof *a);
    a->cap = hint + 1;
    a->items = og_alloc(b->set->arena, a->cap * sizeof *a->items);
    a->items[0].type = END;
    a->b = b;
    return a;
}

static bool has_items(const varray *a)
{
    return a->count > 0;
}

/* Arrays and objects double when full; the arena keeps the old copy. */
static og_vnode *grow(og_arena *a, og_vnode *vals, unsigned used, unsigned *cap)
{
    og_vnode *bigger = og_alloc(a, 2 * *cap * sizeof *bigger);
    memcpy(bigger, vals, used * sizeof *bigger);
    *cap *= 2;
    return bigger;
}

/* Appends an object to an array. */
static void push_item(varray *a, vobject *o)
{
    if (a->count + 1 == a->cap)
        a->items = grow(a->b->set->arena, a->items, a->count, &a->cap);
    a->items[a->count++] = (og_vnode){.as.object = o, .type = MUSTACHE_OBJECT};
    a->items[a->count] = (og_vnode){.type = END};
}

/* A new object, appended to array a. */
static vobject *new_item(varray *a, unsigned hint)
{
    vobject *o = new_object(a->b, hint);
    push_item(a, o);
    return o;
}

/* ---- adding to the view ------------------------------------------------- */

/* Every key is a string literal, every string lives as long as the set (a
 * NULL one adds nothing, as cJSON_AddStringToObject does). */
static og_vnode *add_value(vobject *o, const char *key, mustache_type type)
{
    unsigned n = o->shape->count;
    if (n == o->cap)
        o->vals = grow(o->b->set->arena, o->vals, n, &o->cap);
    o->shape = next_shape(o->b->set->arena, o->shape, key);
    o->vals[n] = (og_vnode){.type = (unsigned char)type};
    return &o->vals[n];
}

static void add_string(vobject *obj, const char *key, const char *s)
{
    if (s)
        add_value(obj, key, MUSTACHE_STRING)->as.string = s;
}

static void add_bool(vobject *obj, const char *key, bool b)
{
    add_value(obj, key, b ? MUSTACHE_TRUE : MUSTACHE_FALSE);
}

static void add_number(vobject *obj, const char *key, double v)
{
    add_value(obj, key, MUSTACHE_NUMBER)->as.number = v;
}

static varray *add_array(vobject *obj, const char *key, unsigned hint)
{
    varray *a = new_array(obj->b, hint);
    add_value(obj, key, MUSTACHE_ARRAY)->as.array = a;
    return a;
}

static vobject *add_object(vobject *obj, const char *key, unsigned hint)
{
    vobject *o = new_object(obj->b, hint);
    add_value(obj, key, MUSTACHE_OBJECT)->as.object = o;
    return o;
}

/* A malloc'd buffer's text moved into the arena, for the view to keep. */
static const char *keep(const og_set *set, og_buf *b)
{
    const char *s = og_strndup(set->arena, b->data ? b->data : "", b->len);
    og_buf_free(b);
    return s;
}

/* ---- escaping ----------------------------------------------------------- */

/* Whether c_literal escapes the character at p. */
static bool needs_c_escape(const unsigned char *p)
{
    return *p == '"' || *p == '\\' || *p == '?' || *p == '\n' || *p < 0x20 ||
           *p == 0x7f || (p[0] == '*' && p[1] == '/') || (p[0] == '/' && p[1] == '*');
}

/* The contents of a C string literal for s: quotes, backslashes and control
 * bytes escaped (octal, which unlike \x cannot swallow following digits),
 * and every '?' escaped so no trigraph can form. The second character of a
 * comment delimiter is escaped too, so the literal can also be quoted in a
 * comment. UTF-8 passes through. Returns s itself when nothing needs
 * escaping, else text in the arena. */
static const char *c_literal(const og_set *set, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p && !needs_c_escape(p))
        p++;
    if (!*p)
        return s;
    og_buf b = {0};
    og_buf_append(&b, s, (size_t)((const char *)p - s));
    for (; *p; p++) {
        if (*p == '"' || *p == '\\' || *p == '?')
            og_buf_printf(&b, "\\%c", *p);
        else if ((p[0] == '*' && p[1] == '/') || (p[0] == '/' && p[1] == '*'))
            og_buf_printf(&b, "%c\\%03o", p[0], p[1]), p++;
        else if (*p == '\n')
            og_buf_puts(&b, "\\n");
        else if (*p < 0x20 || *p == 0x7f)
            og_buf_printf(&b, "\\%03o", *p);
        else
            og_buf_append(&b, (const char *)p, 1);
    }
    return keep(set, &b);
}

static void add_c_literal(const og_set *set, vobject *obj, const char *key,
                          const char *s)
{
    add_string(obj, key, c_literal(set, s ? s : ""));
}

/* Whether comment_text would change the n bytes at s. */
static bool needs_comment_fix(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i], d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
        if (c < 0x20 || c == 0x7f || (c == '*' && d == '/') || (c == '/' && d == '*') ||
            (c == '?' && d == '?'))
            return true;
    }
    return n && (s[n - 1] == ' ' || s[n - 1] == '\\');
}

/* Text that is safe inside a C block comment: no comment end, no control
 * bytes, and no trailing backslash that could splice lines. Returns s itself
 * when it is safe and ends at n, else text in the arena. */
static const char *comment_text(const og_set *set, const char *s, size_t n)
{
    if (!needs_comment_fix(s, n))
        return s[n] ? og_strndup(set->arena, s, n) : s;
    og_buf b = {0};
    og_buf_append(&b, "", 0);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* a backslash between the two characters of a comment delimiter */
        if ((c == '*' && i + 1 < n && s[i + 1] == '/') ||
            (c == '/' && i + 1 < n && s[i + 1] == '*'))
            og_buf_printf(&b, "%c\\", c);
        else if (c < 0x20 || c == 0x7f)
            og_buf_puts(&b, " ");
        else if (c == '?' && i + 1 < n && s[i + 1] == '?')
            og_buf_puts(&b, "? ");
        else
            og_buf_append(&b, (const char *)&s[i], 1);
    }
    while (b.len && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '\\'))
        b.data[--b.len] = '\0';
    return keep(set, &b);
}

static void add_comment_line(const og_set *set, varray *lines, const char *s,
                             size_t n)
{
    add_string(new_item(lines, 1), "line", comment_text(set, s, n));
}

/* Any text as one comment-safe line (newlines become spaces). */
static void add_comment(const og_set *set, vobject *obj, const char *key,
                        const char *s)
{
    add_string(obj, key, comment_text(set, s ? s : "", s ? strlen(s) : 0));
}

/* "doc": [{"line": ...}], one per line of the description. */
static void add_doc(const og_set *set, vobject *obj, const char *text)
{
    varray *lines = add_array(obj, "doc", 1);
    for (const char *p = text; p && *p;) {
        size_t n = strcspn(p, "\n");
        add_comment_line(set, lines, p, n);
        p += n + (p[n] == '\n');
    }
    add_bool(obj, "has_doc", has_items(lines));
}

/* Marks the first and last element of an array of objects, for separators:
 * each item reads as if its object ended with members "first" and "last"
 * (view_member), without a copy of an object shared with another array. */
static void mark_ends(varray *a)
{
    for (unsigned i = 0; i < a->count; i++)
        a->items[i].flags = MARKED | (i == 0 ? FIRST : 0) |
                            (i + 1 == a->count ? LAST : 0);
}

static void add_upper(const og_set *set, vobject *obj, const char *key,
                      const char *s)
{
    char *u = og_strdup(set->arena, s);
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    add_string(obj, key, u);
}

/* -1 to 9 as text without a copy: every field has four such values. */
static const char *small_number(long v)
{
    static const char *const text[] = {"-1", "0", "1", "2", "3", "4", "5", "6",
                                       "7", "8", "9"};
    return v >= -1 && v <= 9 ? text[v + 1] : NULL;
}

/* A number as C source: integers without a fraction, others round-trip. */
static void add_c_number(const og_set *set, vobject *obj, const char *key, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        const char *small = signbit(v) && v == 0 ? NULL : small_number((long)v);  /* -0 */
        add_string(obj, key, small ? small : og_printf(set->arena, "%.0f", v));
    } else {
        add_string(obj, key, og_printf(set->arena, "%.17g", v));
    }
}

/* A long as text, exactly: as a JSON number (a double) LONG_MAX would be
 * rounded up and print as 9.2e+18, which C cannot assign to a long. */
static void add_c_long(const og_set *set, vobject *obj, const char *key, long v)
{
    const char *small = small_number(v);
    add_string(obj, key, small ? small : og_printf(set->arena, "%ld", v));
}

static const char *c_bool(bool b)
{
    return b ? "true" : "false";
}

/* ---- fields ------------------------------------------------------------- */

static const char *kind_key(og_kind k)
{
    static const char *const keys[] = {"string", "int32", "int64", "float",
                                       "bool", "object", "json", "file"};
    return keys[k];
}

static const char *scalar_c_type(og_kind k)
{
    static const char *const types[] = {"char *", "int32_t", "int64_t",
                                        "double", "bool", "", "cJSON *", ""};
    return types[k];
}

static void add_type_flags(vobject *v, const og_set *set, const og_field *f)
{
    add_string(v, "kind", kind_key(f->kind));
    add_bool(v, "is_string", f->kind == OG_STRING);
    add_bool(v, "is_int32", f->kind == OG_INT);
    add_bool(v, "is_int64", f->kind == OG_INT64);
    add_bool(v, "is_float", f->kind == OG_FLOAT);
    add_bool(v, "is_bool", f->kind == OG_BOOL);
    add_bool(v, "is_number", f->kind == OG_INT ||
                          f->kind == OG_INT64 || f->kind == OG_FLOAT);
    add_bool(v, "is_object", f->kind == OG_OBJECT);
    add_bool(v, "is_json", f->kind == OG_JSON);
    add_bool(v, "is_file", f->kind == OG_FILE);
    add_bool(v, "is_array", f->is_array);
    add_bool(v, "is_single", !f->is_array);
    add_number(v, "array_depth", f->array_depth);
    add_bool(v, "is_nested", f->array_depth > 1);
    if (f->array_depth > 1) {
        const char *list = og_list_name(set->arena, f, f->array_depth - 1);
        const char *full = og_printf(set->arena, "%s_%s", set->bundle, list ? list : "");
        add_string(v, "list_type", full);
        add_string(v, "list_c_type", og_printf(set->arena, "%s_t", full));
    }
    add_bool(v, "is_scalar", !f->is_array && f->kind != OG_OBJECT &&
                             f->kind != OG_JSON && f->kind != OG_FILE);
    add_bool(v, "has_flag", !f->is_array && f->kind != OG_OBJECT &&
                          f->kind != OG_STRING && f->kind != OG_JSON &&
                          f->kind != OG_FILE);
    if (f->kind == OG_FILE) {
        add_string(v, "c_type", og_printf(set->arena, "%s_file_t", set->bundle));
    } else if (f->kind == OG_OBJECT && f->type) {
        char *full = og_printf(set->arena, "%s_%s", set->bundle, f->type->c_name);
        add_string(v, "object_type", full);
        add_string(v, "c_type", og_printf(set->arena, "%s_t", full));
        add_string(v, "type_name", f->type->name);
    } else {
        add_string(v, "c_type", scalar_c_type(f->kind));
    }
}

static void add_enum_ref(const og_set *set, vobject *v, const og_field *f)
{
    add_bool(v, "has_enum", f->enum_count > 0);
    if (!f->enum_count)
        return;
    add_string(v, "enum_type", f->enum_c_type);
    add_number(v, "enum_count", (double)f->enum_count);
    og_buf list = {0};
    for (size_t i = 0; i < f->enum_count; i++)
        og_buf_printf(&list, "%s%s", i ? ", " : "", f->enums[i].value);
    add_c_literal(set, v, "enum_list_c", keep(set, &list));
}

/* The validation rule values, as C literals for a static rule struct. */
static void add_rules(const og_set *set, vobject *v, const og_field *f)
{
    bool rules = f->required || f->non_empty || f->has_min_length ||
                 f->has_max_length || f->format || f->enum_count ||
                 f->has_min || f->has_max || f->has_decimals || f->required_if_target ||
                 (f->kind == OG_OBJECT) || f->kind == OG_STRING;
    add_bool(v, "has_rules", rules);
    /* the codec table gets a rule only where one says more than the type */
    bool counts = f->has_min_length || f->has_max_length;
    add_bool(v, "codec_rule", f->is_array ? f->required || counts || (f->kind == OG_STRING && f->enum_count)
                              : f->required || f->non_empty || counts || f->format ||
                                f->enum_count || f->has_min || f->has_max || f->has_decimals);
    bool flagged = !f->is_array && f->kind != OG_OBJECT && f->kind != OG_STRING &&
                   f->kind != OG_JSON && f->kind != OG_FILE;
    add_bool(v, "codec_extra", (f->required && flagged) || f->required_if_target);
    add_bool(v, "required", f->required);
    add_string(v, "c_required", c_bool(f->required));
    add_string(v, "c_non_empty", c_bool(f->non_empty));
    add_string(v, "c_is_date", c_bool(f->format != NULL));
    add_c_long(set, v, "c_min_length", f->has_min_length ? f->min_length : -1);
    add_c_long(set, v, "c_max_length", f->has_max_length ? f->max_length : -1);
    add_string(v, "c_has_min", c_bool(f->has_min));
    add_string(v, "c_has_max", c_bool(f->has_max));
    add_c_number(set, v, "c_min", f->has_min ? f->min : 0);
    add_c_number(set, v, "c_max", f->has_max ? f->max : 0);
    add_bool(v, "has_decimals", f->has_decimals);
    if (f->has_decimals)
        add_c_long(set, v, "decimals", f->decimals);
}

/* One line for reference tables: "required; one of a, b; at most 5 items"
 * (the constraints as written, not comment-escaped: tables are Markdown). */
static void add_constraint_summary(const og_set *set, vobject *v, const og_field *f,
                                   const og_buf *rest)
{
    og_buf b = {0};
    og_buf_append(&b, "", 0);
    if (f->required)
        og_buf_puts(&b, "required");
    if (f->enum_count) {
        og_buf_printf(&b, "%sone of ", b.len ? "; " : "");
        for (size_t i = 0; i < f->enum_count; i++)
            og_buf_printf(&b, "%s%s", i ? ", " : "", f->enums[i].value);
    }
    if (rest->len)
        og_buf_printf(&b, "%s%s", b.len ? "; " : "", rest->data);
    const char *all = keep(set, &b);
    add_string(v, "constraint_summary", all);
    /* the same without "required", which the reference has a column for */
    const char *rules = all;
    if (f->required)
        rules = all[8] == ';' ? all + 10 : all + 8;
    add_string(v, "rules_summary", rules);
}

/* Constraint lines for doc comments: "required", "1–100 characters", ...
 * They quote spec text (sibling names, values, scopes): comment-safe. */
static void add_constraints(const og_set *set, vobject *v, const og_field *f)
{
    varray *list = add_array(v, "constraints", 2);
    og_buf raw = {0};
    og_buf_append(&raw, "", 0);
#define ADD(...)                                                             \
    do {                                                                     \
        const char *text = og_printf(set->arena, __VA_ARGS__);               \
        add_comment(set, new_item(list, 1), "text", text);                   \
        og_buf_printf(&raw, "%s%s", raw.len ? "; " : "", text);              \
    } while (0)
    const char *unit = f->is_array ? "items" : "characters";
    if (f->has_min_length && f->has_max_length)
        ADD("%ld to %ld %s", f->min_length, f->max_length, unit);
    else if (f->has_max_length)
        ADD("at most %ld %s", f->max_length, unit);
    else if (f->has_min_length)
        ADD("at least %ld %s", f->min_length, unit);
    if (f->has_min && f->has_max)
        ADD("between %g and %g", f->min, f->max);
    else if (f->has_min)
        ADD("at least %g", f->min);
    else if (f->has_max)
        ADD("at most %g", f->max);
    if (f->has_decimals)
        ADD("at most %ld decimal place%s", f->decimals, f->decimals == 1 ? "" : "s");
    if (f->format)
        ADD("a date YYYY-MM-DD");
    if (f->non_empty)
        ADD("may be omitted, but not empty");
    if (f->required_if_target)
        ADD("required when %s is %s", f->required_if_target->name,
            f->required_if_json);
    if (f->idempotency_key)
        ADD("idempotency key: filled with a fresh UUID when left empty");
    for (size_t i = 0; i < f->scope_count; i++)
        ADD("returned only with scope %s", f->scopes[i].name);
#undef ADD
    add_bool(v, "has_constraints", has_items(list));
    add_constraint_summary(set, v, f, &raw);
    og_buf_free(&raw);
}

/* required_if: the condition on the sibling, as pieces a template joins. */
static void add_required_if(const og_set *set, vobject *v, const og_field *f,
                            const og_field_list *siblings)
{
    const og_field *t = f->required_if_target;
    if (!t)
        return;
    vobject *r = add_object(v, "required_if", 7);
    add_string(r, "target_c", t->c_name);
    /* the sibling's place among the struct's fields (the codec's table) */
    add_number(r, "target_index", (double)(t - siblings->items));
    add_c_literal(set, r, "target_wire_c", t->name);
    add_bool(r, "target_is_string", t->kind == OG_STRING);
    add_bool(r, "target_has_flag", t->kind != OG_STRING);
    cJSON *eq = cJSON_Parse(f->required_if_json);
    if (cJSON_IsString(eq)) {
        const char *value = og_strdup(set->arena, eq->valuestring);
        add_c_literal(set, r, "value_c", value);
        add_c_literal(set, r, "value_text_c", value);
    } else if (!strcmp(f->required_if_json, "-9223372036854775808")) {
        /* C has no literal for it: 9223372036854775808 is too big */
        add_string(r, "value_c", "INT64_MIN");
        add_c_literal(set, r, "value_text_c", f->required_if_json);
    } else {
        add_string(r, "value_c", f->required_if_json);
        add_c_literal(set, r, "value_text_c", f->required_if_json);
    }
    cJSON_Delete(eq);
}

/* The member's C declaration type, as bundle.h's member partial writes it
 * (an array: the pointer to its items). */
static const char *member_c_type(const og_set *set, const og_field *f)
{
    const char *one = f->kind == OG_FILE ? og_printf(set->arena, "%s_file_t", set->bundle)
                    : f->kind == OG_OBJECT && f->type
                          ? og_printf(set->arena, "%s_%s_t *", set->bundle, f->type->c_name)
                          : scalar_c_type(f->kind);
    if (f->array_depth > 1)
        return og_printf(set->arena, "%s_%s_t *", set->bundle,
                         og_list_name(set->arena, f, f->array_depth - 1));
    if (!f->is_array)
        return one;
    if (f->kind == OG_OBJECT)
        return one;     /* an array of structs: T_t *, items in place */
    if (f->kind == OG_FILE)
        return og_printf(set->arena, "%s *", one);
    return og_printf(set->arena, "%s%s*", one, one[strlen(one) - 1] == '*' ? "" : " ");
}

/* For the reference: `doc_c_type`, the member's C type as Markdown with
 * its companion member (`has_x`, `x_count`) and a link to the struct it
 * points at (`type_anchor`, the anchor of that type's section). */
static void add_doc_type(const og_set *set, vobject *v, const og_field *f)
{
    const char *c = member_c_type(set, f);
    add_string(v, "member_c_type", c);
    const char *anchor = NULL;
    if (f->array_depth > 1)
        anchor = og_printf(set->arena, "%s_%s", set->bundle,
                           og_list_name(set->arena, f, f->array_depth - 1));
    else if (f->kind == OG_OBJECT && f->type)
        anchor = og_printf(set->arena, "%s_%s", set->bundle, f->type->c_name);
    if (anchor)
        add_string(v, "type_anchor", anchor);
    og_buf b = {0};
    if (anchor)
        og_buf_printf(&b, "[`%s`](#%s)", c, anchor);
    else
        og_buf_printf(&b, "`%s`", c);
    bool flag = !f->is_array && f->kind != OG_OBJECT && f->kind != OG_STRING &&
                f->kind != OG_JSON && f->kind != OG_FILE;
    if (flag)
        og_buf_printf(&b, " + `has_%s`", f->c_name);
    if (f->is_array)
        og_buf_printf(&b, " + `%s_count`", f->c_name);
    add_string(v, "doc_c_type", keep(set, &b));
}

/* Text as one line of a Markdown table cell: newlines become spaces and
 * '|' is escaped, so the description cannot break the table. */
static const char *table_cell(const og_set *set, const char *s)
{
    og_buf b = {0};
    og_buf_append(&b, "", 0);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '|')
            og_buf_puts(&b, "\\|");
        else if (*p == '\n' || *p == '\r')
            og_buf_puts(&b, " ");
        else
            og_buf_append(&b, p, 1);
    }
    while (b.len && b.data[b.len - 1] == ' ')
        b.data[--b.len] = '\0';
    return keep(set, &b);
}

/* The flags of the field's descriptor entry as a C expression
 * ("COREHR_RT_ARRAY | COREHR_RT_PLAIN_KEY", or "0"). */
static const char *codec_flags(const og_set *set, const og_field *f, bool plain_key)
{
    const char *names[3];
    size_t n = 0;
    if (f->is_array)
        names[n++] = "ARRAY";
    if (f->required)
        names[n++] = "REQUIRED";
    if (plain_key)
        names[n++] = "PLAIN_KEY";
    if (n == 0)
        return "0";
    og_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        og_buf_printf(&b, "%s", i ? " | " : "");
        for (const char *p = set->bundle; *p; p++)
            og_buf_printf(&b, "%c", (char)toupper((unsigned char)*p));
        og_buf_printf(&b, "_RT_%s", names[i]);
    }
    return keep(set, &b);
}

static vobject *field_view(builder *b, const og_field *f, const og_field_list *siblings)
{
    const og_set *set = b->set;
    vobject *v = new_object(b, 43);
    add_string(v, "wire", f->name);
    add_c_literal(set, v, "wire_c", f->name);
    /* JSON text needs no escape in it (no control character, '"' or '\\') */
    bool plain = true;
    for (const unsigned char *k = (const unsigned char *)f->name; *k; k++)
        plain &= *k >= 0x20 && *k != '"' && *k != '\\';
    add_bool(v, "wire_plain", plain);
    add_string(v, "codec_flags", codec_flags(set, f, plain));
    add_comment(set, v, "wire_comment", f->name);
    add_string(v, "c_name", f->c_name);
    add_string(v, "type_text", f->type_text);
    add_type_flags(v, set, f);
    add_doc_type(set, v, f);
    add_string(v, "description_cell", table_cell(set, f->description));
    add_doc(set, v, f->description);
    if (f->description)
        add_string(v, "description", f->description);
    if (f->example_json)
        add_string(v, "example_json", f->example_json);
    if (f->default_json)
        add_string(v, "default_json", f->default_json);
    add_enum_ref(set, v, f);
    add_rules(set, v, f);
    add_constraints(set, v, f);
    add_required_if(set, v, f, siblings);
    add_bool(v, "idempotency_key", f->idempotency_key);
    return v;
}

/* ---- structs ------------------------------------------------------------ */

/* The views of a list's fields, built once: an endpoint's structs and its
 * own lists (query, body_fields, ...) show the same objects. */
static vobject **field_views(builder *b, const og_field_list *fl)
{
    vobject **views = og_alloc(b->set->arena, (fl->count + 1) * sizeof *views);
    for (size_t i = 0; i < fl->count; i++)
        views[i] = field_view(b, &fl->items[i], fl);
    return views;
}

static void add_struct(const og_set *set, varray *structs, const char *c_name,
                       const char *wire_name, const char *description,
                       const og_field_list *fields, vobject *const *views,
                       bool is_type)
{
    vobject *s = new_item(structs, 9);
    const char *full = og_printf(set->arena, "%s_%s", set->bundle, c_name);
    add_string(s, "c_name", full);
    add_bool(s, "is_type", is_type);
    add_string(s, "c_type", og_printf(set->arena, "%s_t", full));
    add_string(s, "name", wire_name);
    add_doc(set, s, description);
    varray *list = add_array(s, "fields", (unsigned)fields->count);
    for (size_t i = 0; i < fields->count; i++)
        push_item(list, views[i]);
    mark_ends(list);
    add_bool(s, "has_fields", fields->count > 0);
    bool json_fields = false;   /* file fields are not JSON */
    for (size_t i = 0; i < fields->count; i++)
        json_fields |= fields->items[i].kind != OG_FILE;
    add_bool(s, "has_json_fields", json_fields);
}

/* An endpoint's four field lists, in the order of add_endpoint_structs' parts. */
enum { PATH, QUERY, BODY, DATA, LISTS };

static const og_field_list *endpoint_list(const og_endpoint *ep, int which)
{
    const og_field_list *lists[LISTS] = {&ep->path_params, &ep->query,
                                         &ep->request_body, &ep->response_data};
    return lists[which];
}

static void add_endpoint_structs(const og_set *set, varray *structs,
                                 const og_endpoint *ep, vobject **const *views)
{
    static const struct {
        const char *suffix, *what;
        size_t offset;
    } parts[] = {
        {"path", "path parameters", offsetof(og_endpoint, path_params)},
        {"query", "query parameters", offsetof(og_endpoint, query)},
        {"body", "request body", offsetof(og_endpoint, request_body)},
        {"data", "response data", offsetof(og_endpoint, response_data)},
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const og_field_list *fl =
            (const og_field_list *)((const char *)ep + parts[i].offset);
        /* Data always has a struct, so every call has a typed result. */
        if (i != 3 && (i == 2 ? !fl->present : !fl->count))
            continue;
        char *name = og_printf(set->arena, "%s_%s", ep->name, parts[i].suffix);
        char *doc = og_printf(set->arena, "%s: %s (%s %s).",
                              ep->summary, parts[i].what, ep->method, ep->path);
        add_struct(set, structs, name, name, doc, fl, views[i], false);
    }
}

/* ---- enums -------------------------------------------------------------- */

/* Adds the enum of field f unless `seen` (the C types already in enums)
 * has it: fields that share an enum share one entry, the first field's. */
static void add_enum(const og_set *set, varray *enums, og_table *seen,
                     const og_field *f)
{
    if (!f->enum_count || og_table_find(seen, f->enum_c_type))
        return;
    og_table_add(seen, f->enum_c_type, f->pos, f);
    vobject *e = new_item(enums, 10);
    add_string(e, "c_type", f->enum_c_type);
    add_upper(set, e, "C_TYPE", f->enum_c_type);
    add_string(e, "field", f->name);
    add_bool(e, "is_string", f->kind == OG_STRING);
    add_bool(e, "is_integer", f->kind != OG_STRING);
    add_doc(set, e, f->description);
    varray *values = add_array(e, "values", (unsigned)f->enum_count);
    for (size_t i = 0; i < f->enum_count; i++) {
        vobject *v = new_item(values, 5);
        add_string(v, "c_name", f->enums[i].c_name);
        add_string(v, "value", f->enums[i].value);
        add_c_literal(set, v, "value_c", f->enums[i].value);
        add_doc(set, v, f->enums[i].description);
        add_string(v, "description_cell", table_cell(set, f->enums[i].description));
    }
    mark_ends(values);
    add_number(e, "count", (double)f->enum_count);
}

static void add_list_enums(const og_set *set, varray *enums, og_table *seen,
                           const og_field_list *fl)
{
    for (size_t i = 0; i < fl->count; i++)
        add_enum(set, enums, seen, &fl->items[i]);
}

/* ---- endpoints ---------------------------------------------------------- */

/* "/a/:id/b" -> [{literal "/a/"}, {param id}, {literal "/b"}] */
static void add_path_segments(const og_set *set, vobject *v, const og_endpoint *ep)
{
    varray *segs = add_array(v, "path_segments", 3);
    const char *p = ep->path;
    while (*p) {
        vobject *s = new_item(segs, 2);
        size_t n = p[0] == ':' ? strcspn(p + 1, "/") : strcspn(p, ":");
        if (p[0] == ':') {
            char *name = og_strndup(set->arena, p + 1, n);
            for (size_t i = 0; i < ep->path_params.count; i++)
                if (!strcmp(ep->path_params.items[i].name, name))
                    add_string(s, "param_c", ep->path_params.items[i].c_name);
            add_bool(s, "is_param", true);
            p += n + 1;
        } else {
            char *lit = og_strndup(set->arena, p, n);
            add_c_literal(set, s, "literal_c", lit);
            add_bool(s, "is_param", false);
            p += n;
        }
    }
}

static long period_ms(const char *per)
{
    if (!per)
        return 0;
    return !strcmp(per, "second") ? 1000L : !strcmp(per, "minute") ? 60000L
         : !strcmp(per, "hour") ? 3600000L : 86400000L;
}

static void add_scopes(const og_set *set, vobject *obj, const char *key,
                       const char *has_key, const og_scope *s, size_t n)
{
    varray *list = add_array(obj, key, (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        vobject *o = new_item(list, 3);
        add_string(o, "name", s[i].name);
        add_comment(set, o, "name_comment", s[i].name);
        if (s[i].title)
            add_string(o, "title", s[i].title);
    }
    mark_ends(list);
    add_bool(obj, has_key, n > 0);
}

/* rate_limits[] (every part), rate_more[] (the parts after the first, which
 * the call passes besides rate_count/rate_period_ms) and the special limit. */
static void add_rate_limits(const og_set *set, vobject *v, const og_endpoint *ep)
{
    const og_rate_limit *first = ep->rate_limit_count ? &ep->rate_limits[0] : NULL;
    add_c_long(set, v, "rate_count", first ? first->count : 0);
    add_number(v, "rate_period_ms", (double)period_ms(first ? first->per : NULL));
    add_string(v, "rate_per", first ? first->per : "");
    add_bool(v, "has_rate_limit", first != NULL);
    varray *all = add_array(v, "rate_limits", (unsigned)ep->rate_limit_count);
    varray *more = add_array(v, "rate_more", (unsigned)ep->rate_limit_count);
    for (size_t i = 0; i < ep->rate_limit_count; i++) {
        const og_rate_limit *r = &ep->rate_limits[i];
        for (int k = 0; k < 1 + (i > 0); k++) {
            vobject *o = new_item(k ? more : all, 6);
            add_c_long(set, o, "count", r->count);
            add_string(o, "per", r->per);
            add_number(o, "period_ms", (double)period_ms(r->per));
            add_bool(o, "has_description", r->description != NULL);
            if (r->description) {
                add_string(o, "description", r->description);
                add_comment(set, o, "description_comment", r->description);
            }
        }
    }
    mark_ends(all);
    mark_ends(more);
    add_bool(v, "has_rate_more", ep->rate_limit_count > 1);
    add_bool(v, "rate_special", ep->rate_special);
    if (ep->rate_special) {
        add_string(v, "rate_special_description",
                   ep->rate_description ? ep->rate_description : "");
        add_comment(set, v, "rate_special_comment", ep->rate_description);
    }
}

/* notes[]: {title, title_comment, text, doc[]}, the page's extra sections. */
static void add_notes(const og_set *set, vobject *v, const og_endpoint *ep)
{
    varray *list = add_array(v, "notes", (unsigned)ep->note_count);
    for (size_t i = 0; i < ep->note_count; i++) {
        vobject *o = new_item(list, 5);
        add_string(o, "title", ep->notes[i].title);
        add_comment(set, o, "title_comment", ep->notes[i].title);
        add_string(o, "text", ep->notes[i].text ? ep->notes[i].text : "");
        add_doc(set, o, ep->notes[i].text);
    }
    mark_ends(list);
    add_bool(v, "has_notes", ep->note_count > 0);
}

static void add_errors(const og_set *set, vobject *v, const og_endpoint *ep)
{
    varray *list = add_array(v, "errors", (unsigned)ep->error_count);
    for (size_t i = 0; i < ep->error_count; i++) {
        vobject *o = new_item(list, 4);
        add_c_long(set, o, "http_status", ep->errors[i].http_status);
        add_c_long(set, o, "code", ep->errors[i].code);
        if (ep->errors[i].message)
            add_string(o, "message", ep->errors[i].message);
        if (ep->errors[i].advice)
            add_string(o, "advice", ep->errors[i].advice);
        add_string(o, "message_cell", table_cell(set, ep->errors[i].message));
        add_string(o, "advice_cell", table_cell(set, ep->errors[i].advice));
    }
    add_bool(v, "has_errors", ep->error_count > 0);
}

static const og_field *idempotency_field(const og_endpoint *ep)
{
    for (size_t i = 0; i < ep->query.count; i++)
        if (ep->query.items[i].idempotency_key)
            return &ep->query.items[i];
    return NULL;
}

static void add_fields(vobject *v, const char *key, const og_field_list *fl,
                       vobject *const *views)
{
    varray *list = add_array(v, key, (unsigned)fl->count);
    for (size_t i = 0; i < fl->count; i++)
        push_item(list, views[i]);
    mark_ends(list);
}

static void add_part_flags(vobject *v, const og_endpoint *ep,
                           vobject **const *views)
{
    add_bool(v, "has_path", ep->path_params.count > 0);
    add_bool(v, "has_query", ep->query.count > 0);
    add_bool(v, "has_body", ep->request_body.present);
    add_bool(v, "is_multipart", ep->multipart);
    add_bool(v, "is_json_body", ep->request_body.present && !ep->multipart);
    add_bool(v, "is_binary", ep->binary);
    add_bool(v, "is_json_response", !ep->binary);
    add_fields(v, "query", &ep->query, views[QUERY]);
    add_fields(v, "path_params", &ep->path_params, views[PATH]);
    add_fields(v, "body_fields", &ep->request_body, views[BODY]);
    add_fields(v, "data_fields", &ep->response_data, views[DATA]);
}

/* The C type of one element of an array field: what `x` points at. */
static const char *elem_c_type(const og_set *set, const og_field *f)
{
    if (f->array_depth > 1)     /* an array of arrays: its list struct */
        return og_printf(set->arena, "%s_%s_t", set->bundle,
                         og_list_name(set->arena, f, f->array_depth - 1));
    if (f->kind == OG_OBJECT && f->type)
        return og_printf(set->arena, "%s_%s_t", set->bundle, f->type->c_name);
    return scalar_c_type(f->kind);
}

/* `pagination`: the C names a paging loop needs (docs/templates.md). */
static void add_pagination(const og_set *set, vobject *v, const og_endpoint *ep)
{
    const og_pagination *pg = ep->pagination;
    add_bool(v, "is_paginated", pg != NULL);
    if (!pg)
        return;
    vobject *p = add_object(v, "pagination", 16);
    add_string(p, "token_c", pg->page_token.field->c_name);
    add_c_literal(set, p, "token_wire_c", pg->page_token.field->name);
    add_string(p, "token_part", pg->page_token.in_query ? "query" : "body");
    add_bool(p, "token_in_query", pg->page_token.in_query);
    add_bool(p, "has_page_size", pg->page_size.field != NULL);
    if (pg->page_size.field) {
        add_string(p, "page_size_c", pg->page_size.field->c_name);
        add_c_literal(set, p, "page_size_wire_c", pg->page_size.field->name);
        add_string(p, "page_size_part", pg->page_size.in_query ? "query" : "body");
    }
    add_string(p, "next_token_c", pg->next_token.field->c_name);
    add_c_literal(set, p, "next_token_wire_c", pg->next_token.field->name);
    add_string(p, "has_more_c", pg->has_more.field->c_name);
    add_c_literal(set, p, "has_more_wire_c", pg->has_more.field->name);
    const og_field *items = pg->items.field;
    const char *elem = elem_c_type(set, items);
    add_string(p, "items_c", items->c_name);
    add_c_literal(set, p, "items_wire_c", items->name);
    add_comment(set, p, "items_wire_comment", items->name);
    add_string(p, "items_elem_c", elem);
    /* "char *" + "*" reads "char **"; "T_t" + " *" reads "T_t *" */
    add_string(p, "items_array_c", og_printf(set->arena, "%s%s*", elem,
               elem[strlen(elem) - 1] == '*' ? "" : " "));
}

static void add_endpoint(const og_set *set, varray *endpoints,
                         const og_endpoint *ep, vobject **const *views)
{
    vobject *v = new_item(endpoints, 56);
    const char *full = og_printf(set->arena, "%s_%s", set->bundle, ep->name);
    add_string(v, "name", ep->name);
    add_string(v, "c_name", full);
    add_upper(set, v, "C_NAME", full);
    add_string(v, "summary", ep->summary);
    add_c_literal(set, v, "summary_c", ep->summary);
    add_comment(set, v, "summary_comment", ep->summary);
    add_doc(set, v, ep->description ? ep->description : ep->summary);
    add_string(v, "description", ep->description ? ep->description : "");
    add_string(v, "method", ep->method);
    add_string(v, "path", ep->path);
    add_c_literal(set, v, "path_c", ep->path);
    add_comment(set, v, "path_comment", ep->path);
    if (ep->doc_url) {
        add_string(v, "doc_url", ep->doc_url);
        add_comment(set, v, "doc_url_comment", ep->doc_url);
    }
    if (ep->doc_updated)
        add_string(v, "doc_updated", ep->doc_updated);
    add_path_segments(set, v, ep);
    add_rate_limits(set, v, ep);
    const og_field *key = idempotency_field(ep);
    bool idempotent_method = strcmp(ep->method, "POST") != 0;
    add_string(v, "c_retry_safe_method", c_bool(idempotent_method || ep->retry_safe));
    add_bool(v, "retry_safe", ep->retry_safe);
    bool opaque = ep->response_format && !strcmp(ep->response_format, "opaque");
    add_bool(v, "is_opaque", opaque);
    add_string(v, "data_c_type", opaque ? "cJSON" : og_printf(set->arena, "%s_data_t", full));
    add_bool(v, "has_idempotency_key", key != NULL);
    if (key)
        add_string(v, "idempotency_key_c", key->c_name);
    add_part_flags(v, ep, views);
    add_string(v, "path_c_type", og_printf(set->arena, "%s_path_t", full));
    add_string(v, "query_c_type", og_printf(set->arena, "%s_query_t", full));
    add_string(v, "body_c_type", og_printf(set->arena, "%s_body_t", full));
    add_scopes(set, v, "scopes", "has_scopes", ep->scopes, ep->scope_count);
    add_scopes(set, v, "field_scopes", "has_field_scopes", ep->field_scopes,
               ep->field_scope_count);
    add_errors(set, v, ep);
    add_notes(set, v, ep);
    add_pagination(set, v, ep);
    if (ep->request_example)
        add_string(v, "request_example", ep->request_example);
    if (ep->response_example)
        add_string(v, "response_example", ep->response_example);
}

/* ---- the whole view ----------------------------------------------------- */

/* 0.2.0 -> 200: what generated files and their runtime compare. */
static long version_number(void)
{
    int major = 0, minor = 0, patch = 0;
    sscanf(OAPIGEN_VERSION, "%d.%d.%d", &major, &minor, &patch);
    return major * 10000L + minor * 100L + patch;
}

static void add_sources(vobject *view, const og_set *set)
{
    varray *list = add_array(view, "sources", (unsigned)set->endpoint_count);
    for (size_t i = 0; i < set->endpoint_count; i++) {
        /* Base names only: the output must not depend on where it ran. */
        const char *file = set->endpoints[i]->file;
        const char *base = strrchr(file, '/');
        add_string(new_item(list, 1), "file", base ? base + 1 : file);
    }
    mark_ends(list);
}

/* ---- list structs of nested arrays ------------------------------------- */

/* The element functions of a list of depth `depth` over f's element type,
 * as the names the generated code calls: the runtime's for scalars and
 * json, the struct's static ones for objects, the inner list's for lists. */
static void add_list_elems(const og_set *set, vobject *l, const og_field *f, int depth)
{
    const char *p = set->bundle;
    if (depth > 1) {
        const char *inner = og_printf(set->arena, "%s_%s", p,
                                      og_list_name(set->arena, f, depth - 1));
        add_string(l, "items_member", og_printf(set->arena, "struct %s *items", inner));
        add_string(l, "elem_kind", "LIST");
        add_string(l, "elem_type", og_printf(set->arena, "&%s_type_", inner));
        return;
    }
    if (f->kind == OG_OBJECT) {
        const char *t = og_printf(set->arena, "%s_%s", p, f->type->c_name);
        add_string(l, "items_member", og_printf(set->arena, "struct %s *items", t));
        add_string(l, "elem_kind", "OBJECT");
        add_string(l, "elem_type", og_printf(set->arena, "&%s_desc", t));
        return;
    }
    const char *kind = kind_key(f->kind);
    const char *c_type = scalar_c_type(f->kind);
    add_string(l, "items_member", og_printf(set->arena, "%s%s*items", c_type,
                                            c_type[strlen(c_type) - 1] == '*' ? "" : " "));
    og_buf upper = {0};
    for (const char *k = kind; *k; k++)
        og_buf_printf(&upper, "%c", *k >= 'a' && *k <= 'z' ? *k - 'a' + 'A' : *k);
    add_string(l, "elem_kind", keep(set, &upper));
    add_string(l, "elem_type", "NULL");
}

static void add_field_lists(const og_set *set, varray *lists, og_table *seen,
                            const og_field_list *fl)
{
    for (size_t i = 0; i < fl->count; i++) {
        const og_field *f = &fl->items[i];
        for (int d = 1; d < f->array_depth; d++) {
            const char *name = og_list_name(set->arena, f, d);
            if (!name || og_table_find(seen, name))
                continue;
            og_table_add(seen, name, f->pos, f);
            vobject *l = new_item(lists, 10);
            const char *full = og_printf(set->arena, "%s_%s", set->bundle, name);
            add_string(l, "c_name", full);
            add_string(l, "c_type", og_printf(set->arena, "%s_t", full));
            add_string(l, "type_text", f->type_text);
            add_number(l, "depth", d);
            add_list_elems(set, l, f, d);
        }
    }
}

/* Every list struct once, inner lists first (a list of depth d holds
 * lists of depth d - 1). */
static void add_lists(const og_set *set, vobject *view)
{
    varray *lists = add_array(view, "lists", 4);
    og_table seen = {0};
    for (size_t i = 0; i < set->type_count; i++)
        add_field_lists(set, lists, &seen, &set->types[i]->fields);
    for (size_t i = 0; i < set->endpoint_count; i++) {
        add_field_lists(set, lists, &seen, &set->endpoints[i]->request_body);
        add_field_lists(set, lists, &seen, &set->endpoints[i]->response_data);
    }
    og_table_free(&seen);
    mark_ends(lists);
    add_bool(view, "has_lists", has_items(lists));
}

/* What the set's endpoints have at all, so that a bundle without bodies or
 * parameters defines no helper it never calls (-Wunused-function). */
static void add_set_flags(vobject *view, const og_set *set)
{
    bool body = false, params = false, paginated = false, uploads = false,
         downloads = false, typed = false;
    for (size_t i = 0; i < set->endpoint_count; i++) {
        const og_endpoint *ep = set->endpoints[i];
        body |= ep->request_body.present;
        paginated |= ep->pagination != NULL;
        uploads |= ep->multipart;
        downloads |= ep->binary;
        typed |= !ep->binary && !(ep->response_format &&
                                  !strcmp(ep->response_format, "opaque"));
        params |= ep->request_body.present || ep->query.count > 0 ||
                  ep->path_params.count > 0;
    }
    add_bool(view, "any_body", body);
    add_bool(view, "any_params", params);
    add_bool(view, "has_paginated", paginated);
    add_bool(view, "has_uploads", uploads);
    add_bool(view, "has_downloads", downloads);
    add_bool(view, "any_typed_data", typed);
}

const og_vnode *og_view_tree(const og_set *set)
{
    builder *b = og_alloc(set->arena, sizeof *b);   /* objects point to it */
    b->set = set;
    og_vnode *root = og_alloc(set->arena, sizeof *root);
    *root = (og_vnode){.as.object = new_object(b, 10), .type = MUSTACHE_OBJECT};
    vobject *view = root->as.object;
    add_string(view, "oapigen_version", OAPIGEN_VERSION);
    add_number(view, "version_number", (double)version_number());
    add_string(view, "prefix", set->bundle);
    add_upper(set, view, "PREFIX", set->bundle);
    add_sources(view, set);
    varray *enums = add_array(view, "enums", 64);
    varray *structs = add_array(view, "structs", 64);
    varray *endpoints = add_array(view, "endpoints", (unsigned)set->endpoint_count);
    og_table seen = {0};
    for (size_t i = 0; i < set->type_count; i++) {
        const og_type *t = set->types[i];
        add_list_enums(set, enums, &seen, &t->fields);
        add_struct(set, structs, t->c_name, t->name, t->description, &t->fields,
                   field_views(b, &t->fields), true);
    }
    for (size_t i = 0; i < set->endpoint_count; i++) {
        const og_endpoint *ep = set->endpoints[i];
        add_list_enums(set, enums, &seen, &ep->path_params);
        add_list_enums(set, enums, &seen, &ep->query);
        add_list_enums(set, enums, &seen, &ep->request_body);
        add_list_enums(set, enums, &seen, &ep->response_data);
        vobject **views[LISTS];
        for (int k = 0; k < LISTS; k++)
            views[k] = field_views(b, endpoint_list(ep, k));
        add_endpoint_structs(set, structs, ep, views);
        add_endpoint(set, endpoints, ep, views);
    }
    og_table_free(&seen);
    add_set_flags(view, set);
    add_bool(view, "has_types", set->type_count > 0);
    add_bool(view, "has_enums", has_items(enums));
    add_lists(set, view);
    mark_ends(enums);
    mark_ends(structs);
    mark_ends(endpoints);
    return root;
}

/* ---- reading the view --------------------------------------------------- */

static mustache_type view_type(const void *v)
{
    return (mustache_type)((const og_vnode *)v)->type;
}

static const og_vnode true_value = {.type = MUSTACHE_TRUE};
static const og_vnode false_value = {.type = MUSTACHE_FALSE};

static const void *view_member(const void *v, const char *key, size_t len)
{
    const og_vnode *item = v;
    const vobject *o = item->as.object;
    long p = shape_find(o->shape, key, len);
    if (p >= 0)
        return &o->vals[p];
    if (!(item->flags & MARKED))
        return NULL;
    if (is_key("first", key, len))
        return item->flags & FIRST ? &true_value : &false_value;
    if (is_key("last", key, len))
        return item->flags & LAST ? &true_value : &false_value;
    return NULL;
}

static const void *view_first(const void *v)
{
    const varray *a = ((const og_vnode *)v)->as.array;
    return a->count ? a->items : NULL;
}

static const void *view_next(const void *item)
{
    const og_vnode *next = (const og_vnode *)item + 1;
    return next->type == END ? NULL : next;
}

static const char *view_string(const void *v)
{
    return ((const og_vnode *)v)->as.string;
}

static double view_number(const void *v)
{
    return ((const og_vnode *)v)->as.number;
}

const mustache_data og_view_data = {view_type, view_member, view_first,
                                    view_next, view_string, view_number};

/* The tree as cJSON; strings are references to the same text. */
static cJSON *to_cjson(const og_vnode *v)
{
    cJSON *j = NULL;
    switch (v->type) {
    case MUSTACHE_FALSE:
    case MUSTACHE_TRUE: return cJSON_CreateBool(v->type == MUSTACHE_TRUE);
    case MUSTACHE_NUMBER: return cJSON_CreateNumber(v->as.number);
    case MUSTACHE_STRING: return cJSON_CreateStringReference(v->as.string);
    case MUSTACHE_ARRAY:
        j = cJSON_CreateArray();
        for (unsigned i = 0; i < v->as.array->count; i++)
            cJSON_AddItemToArray(j, to_cjson(&v->as.array->items[i]));
        return j;
    case MUSTACHE_OBJECT:
        j = cJSON_CreateObject();
        for (unsigned i = 0; i < v->as.object->shape->count; i++)
            cJSON_AddItemToObjectCS(j, v->as.object->shape->keys[i],
                                    to_cjson(&v->as.object->vals[i]));
        if (v->flags & MARKED) {
            cJSON_AddItemToObjectCS(j, "first", cJSON_CreateBool(v->flags & FIRST));
            cJSON_AddItemToObjectCS(j, "last", cJSON_CreateBool(v->flags & LAST));
        }
        return j;
    default: return cJSON_CreateNull();
    }
}

cJSON *og_view_build(const og_set *set)
{
    return to_cjson(og_view_tree(set));
}
