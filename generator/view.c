/* view.c - the checked model as the JSON view that templates render.
 *
 * Templates are logic-less, so the view carries every decision a template
 * would otherwise make: which kind a field is (is_string, is_array, ...),
 * C names, C-escaped literals, comment-safe doc lines, first/last flags.
 * It adds no C code of its own; only data, escaped for where it goes.
 * docs/templates.md documents every key.
 */
#include "oapigen.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- escaping ----------------------------------------------------------- */

/* The contents of a C string literal for s: quotes, backslashes and control
 * bytes escaped (octal, which unlike \x cannot swallow following digits),
 * and every '?' escaped so no trigraph can form. The second character of a
 * comment delimiter is escaped too, so the literal can also be quoted in a
 * comment. UTF-8 passes through. */
static char *c_literal(const char *s)
{
    og_buf b = {0};
    og_buf_append(&b, "", 0);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
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
    return b.data;
}

static void add_c_literal(cJSON *obj, const char *key, const char *s)
{
    char *lit = c_literal(s ? s : "");
    cJSON_AddStringToObject(obj, key, lit);
    free(lit);
}

/* Text that is safe inside a C block comment: no comment end, no control
 * bytes, and no trailing backslash that could splice lines. Caller frees. */
static char *comment_text(const char *s, size_t n)
{
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
    return b.data;
}

static void add_comment_line(cJSON *lines, const char *s, size_t n)
{
    char *text = comment_text(s, n);
    cJSON *line = cJSON_CreateObject();
    cJSON_AddStringToObject(line, "line", text);
    cJSON_AddItemToArray(lines, line);
    free(text);
}

/* Any text as one comment-safe line (newlines become spaces). */
static void add_comment(cJSON *obj, const char *key, const char *s)
{
    char *text = comment_text(s ? s : "", s ? strlen(s) : 0);
    cJSON_AddStringToObject(obj, key, text);
    free(text);
}

/* "doc": [{"line": ...}], one per line of the description. */
static void add_doc(cJSON *obj, const char *text)
{
    cJSON *lines = cJSON_AddArrayToObject(obj, "doc");
    for (const char *p = text; p && *p;) {
        size_t n = strcspn(p, "\n");
        add_comment_line(lines, p, n);
        p += n + (p[n] == '\n');
    }
    cJSON_AddBoolToObject(obj, "has_doc", cJSON_GetArraySize(lines) > 0);
}

/* Marks the first and last element of an array of objects, for separators. */
static void mark_ends(cJSON *array)
{
    int n = cJSON_GetArraySize(array), i = 0;
    for (cJSON *it = array->child; it; it = it->next, i++) {
        cJSON_AddBoolToObject(it, "first", i == 0);
        cJSON_AddBoolToObject(it, "last", i == n - 1);
    }
}

static char *upper(const char *s)
{
    char *u = strdup(s);
    if (!u)
        abort();
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return u;
}

static void add_upper(cJSON *obj, const char *key, const char *s)
{
    char *u = upper(s);
    cJSON_AddStringToObject(obj, key, u);
    free(u);
}

/* A number as C source: integers without a fraction, others round-trip. */
static void add_c_number(cJSON *obj, const char *key, double v)
{
    char text[64];
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(text, sizeof text, "%.0f", v);
    else
        snprintf(text, sizeof text, "%.17g", v);
    cJSON_AddStringToObject(obj, key, text);
}

/* A long as text, exactly: as a JSON number (a double) LONG_MAX would be
 * rounded up and print as 9.2e+18, which C cannot assign to a long. */
static void add_c_long(cJSON *obj, const char *key, long v)
{
    char text[32];
    snprintf(text, sizeof text, "%ld", v);
    cJSON_AddStringToObject(obj, key, text);
}

static const char *c_bool(bool b)
{
    return b ? "true" : "false";
}

/* ---- fields ------------------------------------------------------------- */

static const char *kind_key(og_kind k)
{
    static const char *const keys[] = {"string", "int32", "int64", "float",
                                       "bool", "object"};
    return keys[k];
}

static const char *scalar_c_type(og_kind k)
{
    static const char *const types[] = {"char *", "int32_t", "int64_t",
                                        "double", "bool", ""};
    return types[k];
}

static void add_type_flags(cJSON *v, const og_set *set, const og_field *f)
{
    cJSON_AddStringToObject(v, "kind", kind_key(f->kind));
    cJSON_AddBoolToObject(v, "is_string", f->kind == OG_STRING);
    cJSON_AddBoolToObject(v, "is_int32", f->kind == OG_INT);
    cJSON_AddBoolToObject(v, "is_int64", f->kind == OG_INT64);
    cJSON_AddBoolToObject(v, "is_float", f->kind == OG_FLOAT);
    cJSON_AddBoolToObject(v, "is_bool", f->kind == OG_BOOL);
    cJSON_AddBoolToObject(v, "is_number", f->kind == OG_INT ||
                          f->kind == OG_INT64 || f->kind == OG_FLOAT);
    cJSON_AddBoolToObject(v, "is_object", f->kind == OG_OBJECT);
    cJSON_AddBoolToObject(v, "is_array", f->is_array);
    cJSON_AddBoolToObject(v, "is_single", !f->is_array);
    cJSON_AddBoolToObject(v, "is_scalar", !f->is_array && f->kind != OG_OBJECT);
    cJSON_AddBoolToObject(v, "has_flag", !f->is_array && f->kind != OG_OBJECT &&
                          f->kind != OG_STRING);
    if (f->kind == OG_OBJECT && f->type) {
        char *full = og_printf(set->arena, "%s_%s", set->bundle, f->type->c_name);
        cJSON_AddStringToObject(v, "object_type", full);
        cJSON_AddStringToObject(v, "c_type", og_printf(set->arena, "%s_t", full));
        cJSON_AddStringToObject(v, "type_name", f->type->name);
    } else {
        cJSON_AddStringToObject(v, "c_type", scalar_c_type(f->kind));
    }
}

static void add_enum_ref(cJSON *v, const og_field *f)
{
    cJSON_AddBoolToObject(v, "has_enum", f->enum_count > 0);
    if (!f->enum_count)
        return;
    cJSON_AddStringToObject(v, "enum_type", f->enum_c_type);
    cJSON_AddNumberToObject(v, "enum_count", (double)f->enum_count);
    og_buf list = {0};
    for (size_t i = 0; i < f->enum_count; i++)
        og_buf_printf(&list, "%s%s", i ? ", " : "", f->enums[i].value);
    add_c_literal(v, "enum_list_c", list.data);
    og_buf_free(&list);
}

/* The validation rule values, as C literals for a static rule struct. */
static void add_rules(cJSON *v, const og_field *f)
{
    bool rules = f->required || f->non_empty || f->has_min_length ||
                 f->has_max_length || f->format || f->enum_count ||
                 f->has_min || f->has_max || f->required_if_target ||
                 (f->kind == OG_OBJECT) || f->kind == OG_STRING;
    cJSON_AddBoolToObject(v, "has_rules", rules);
    cJSON_AddBoolToObject(v, "required", f->required);
    cJSON_AddStringToObject(v, "c_required", c_bool(f->required));
    cJSON_AddStringToObject(v, "c_non_empty", c_bool(f->non_empty));
    cJSON_AddStringToObject(v, "c_is_date", c_bool(f->format != NULL));
    add_c_long(v, "c_min_length", f->has_min_length ? f->min_length : -1);
    add_c_long(v, "c_max_length", f->has_max_length ? f->max_length : -1);
    cJSON_AddStringToObject(v, "c_has_min", c_bool(f->has_min));
    cJSON_AddStringToObject(v, "c_has_max", c_bool(f->has_max));
    add_c_number(v, "c_min", f->has_min ? f->min : 0);
    add_c_number(v, "c_max", f->has_max ? f->max : 0);
}

/* One line for reference tables: "required; one of a, b; at most 5 items"
 * (the constraints as written, not comment-escaped: tables are Markdown). */
static void add_constraint_summary(cJSON *v, const og_field *f, const og_buf *rest)
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
    cJSON_AddStringToObject(v, "constraint_summary", b.data);
    og_buf_free(&b);
}

/* Constraint lines for doc comments: "required", "1–100 characters", ...
 * They quote spec text (sibling names, values, scopes): comment-safe. */
static void add_constraints(cJSON *v, const og_field *f)
{
    cJSON *list = cJSON_AddArrayToObject(v, "constraints");
    og_buf raw = {0};
    og_buf_append(&raw, "", 0);
#define ADD(...)                                                             \
    do {                                                                     \
        og_buf text = {0};                                                   \
        og_buf_printf(&text, __VA_ARGS__);                                   \
        cJSON *c = cJSON_CreateObject();                                     \
        add_comment(c, "text", text.data);                                   \
        cJSON_AddItemToArray(list, c);                                       \
        og_buf_printf(&raw, "%s%s", raw.len ? "; " : "", text.data);         \
        og_buf_free(&text);                                                  \
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
    cJSON_AddBoolToObject(v, "has_constraints", cJSON_GetArraySize(list) > 0);
    add_constraint_summary(v, f, &raw);
    og_buf_free(&raw);
}

/* required_if: the condition on the sibling, as pieces a template joins. */
static void add_required_if(cJSON *v, const og_field *f)
{
    const og_field *t = f->required_if_target;
    if (!t)
        return;
    cJSON *r = cJSON_AddObjectToObject(v, "required_if");
    cJSON_AddStringToObject(r, "target_c", t->c_name);
    add_c_literal(r, "target_wire_c", t->name);
    cJSON_AddBoolToObject(r, "target_is_string", t->kind == OG_STRING);
    cJSON_AddBoolToObject(r, "target_has_flag", t->kind != OG_STRING);
    cJSON *eq = cJSON_Parse(f->required_if_json);
    if (cJSON_IsString(eq)) {
        add_c_literal(r, "value_c", eq->valuestring);
        add_c_literal(r, "value_text_c", eq->valuestring);
    } else if (!strcmp(f->required_if_json, "-9223372036854775808")) {
        /* C has no literal for it: 9223372036854775808 is too big */
        cJSON_AddStringToObject(r, "value_c", "INT64_MIN");
        add_c_literal(r, "value_text_c", f->required_if_json);
    } else {
        cJSON_AddStringToObject(r, "value_c", f->required_if_json);
        add_c_literal(r, "value_text_c", f->required_if_json);
    }
    cJSON_Delete(eq);
}

static cJSON *field_view(const og_set *set, const og_field *f)
{
    cJSON *v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "wire", f->name);
    add_c_literal(v, "wire_c", f->name);
    add_comment(v, "wire_comment", f->name);
    cJSON_AddStringToObject(v, "c_name", f->c_name);
    cJSON_AddStringToObject(v, "type_text", f->type_text);
    add_type_flags(v, set, f);
    add_doc(v, f->description);
    if (f->description)
        cJSON_AddStringToObject(v, "description", f->description);
    if (f->example_json)
        cJSON_AddStringToObject(v, "example_json", f->example_json);
    if (f->default_json)
        cJSON_AddStringToObject(v, "default_json", f->default_json);
    add_enum_ref(v, f);
    add_rules(v, f);
    add_constraints(v, f);
    add_required_if(v, f);
    cJSON_AddBoolToObject(v, "idempotency_key", f->idempotency_key);
    return v;
}

/* ---- structs ------------------------------------------------------------ */

static cJSON *struct_view(const og_set *set, const char *c_name,
                          const char *wire_name, const char *description,
                          const og_field_list *fields)
{
    cJSON *s = cJSON_CreateObject();
    const char *full = og_printf(set->arena, "%s_%s", set->bundle, c_name);
    cJSON_AddStringToObject(s, "c_name", full);
    cJSON_AddStringToObject(s, "c_type", og_printf(set->arena, "%s_t", full));
    cJSON_AddStringToObject(s, "name", wire_name);
    add_doc(s, description);
    cJSON *list = cJSON_AddArrayToObject(s, "fields");
    for (size_t i = 0; i < fields->count; i++)
        cJSON_AddItemToArray(list, field_view(set, &fields->items[i]));
    mark_ends(list);
    cJSON_AddBoolToObject(s, "has_fields", fields->count > 0);
    return s;
}

static void add_endpoint_structs(const og_set *set, cJSON *structs,
                                 const og_endpoint *ep)
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
        cJSON_AddItemToArray(structs, struct_view(set, name, name, doc, fl));
    }
}

/* ---- enums -------------------------------------------------------------- */

static bool has_enum(const cJSON *enums, const char *c_type)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, enums)
        if (!strcmp(cJSON_GetObjectItem(e, "c_type")->valuestring, c_type))
            return true;
    return false;
}

static void add_enum(const og_set *set, cJSON *enums, const og_field *f)
{
    if (!f->enum_count || has_enum(enums, f->enum_c_type))
        return;
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "c_type", f->enum_c_type);
    add_upper(e, "C_TYPE", f->enum_c_type);
    cJSON_AddStringToObject(e, "field", f->name);
    cJSON_AddBoolToObject(e, "is_string", f->kind == OG_STRING);
    cJSON_AddBoolToObject(e, "is_integer", f->kind != OG_STRING);
    add_doc(e, f->description);
    cJSON *values = cJSON_AddArrayToObject(e, "values");
    for (size_t i = 0; i < f->enum_count; i++) {
        cJSON *v = cJSON_CreateObject();
        cJSON_AddStringToObject(v, "c_name", f->enums[i].c_name);
        cJSON_AddStringToObject(v, "value", f->enums[i].value);
        add_c_literal(v, "value_c", f->enums[i].value);
        add_doc(v, f->enums[i].description);
        cJSON_AddItemToArray(values, v);
    }
    mark_ends(values);
    cJSON_AddNumberToObject(e, "count", (double)f->enum_count);
    (void)set;
    cJSON_AddItemToArray(enums, e);
}

static void add_list_enums(const og_set *set, cJSON *enums,
                           const og_field_list *fl)
{
    for (size_t i = 0; i < fl->count; i++)
        add_enum(set, enums, &fl->items[i]);
}

/* ---- endpoints ---------------------------------------------------------- */

/* "/a/:id/b" -> [{literal "/a/"}, {param id}, {literal "/b"}] */
static void add_path_segments(const og_set *set, cJSON *v, const og_endpoint *ep)
{
    cJSON *segs = cJSON_AddArrayToObject(v, "path_segments");
    const char *p = ep->path;
    while (*p) {
        cJSON *s = cJSON_CreateObject();
        size_t n = p[0] == ':' ? strcspn(p + 1, "/") : strcspn(p, ":");
        if (p[0] == ':') {
            char *name = og_strndup(set->arena, p + 1, n);
            for (size_t i = 0; i < ep->path_params.count; i++)
                if (!strcmp(ep->path_params.items[i].name, name))
                    cJSON_AddStringToObject(s, "param_c",
                                            ep->path_params.items[i].c_name);
            cJSON_AddBoolToObject(s, "is_param", true);
            p += n + 1;
        } else {
            char *lit = og_strndup(set->arena, p, n);
            add_c_literal(s, "literal_c", lit);
            cJSON_AddBoolToObject(s, "is_param", false);
            p += n;
        }
        cJSON_AddItemToArray(segs, s);
    }
}

static long period_ms(const char *per)
{
    if (!per)
        return 0;
    return !strcmp(per, "second") ? 1000L : !strcmp(per, "minute") ? 60000L
         : !strcmp(per, "hour") ? 3600000L : 86400000L;
}

static void add_scopes(cJSON *obj, const char *key, const char *has_key,
                       const og_scope *s, size_t n)
{
    cJSON *list = cJSON_AddArrayToObject(obj, key);
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", s[i].name);
        add_comment(o, "name_comment", s[i].name);
        if (s[i].title)
            cJSON_AddStringToObject(o, "title", s[i].title);
        cJSON_AddItemToArray(list, o);
    }
    mark_ends(list);
    cJSON_AddBoolToObject(obj, has_key, n > 0);
}

static void add_errors(cJSON *v, const og_endpoint *ep)
{
    cJSON *list = cJSON_AddArrayToObject(v, "errors");
    for (size_t i = 0; i < ep->error_count; i++) {
        cJSON *o = cJSON_CreateObject();
        add_c_long(o, "http_status", ep->errors[i].http_status);
        add_c_long(o, "code", ep->errors[i].code);
        if (ep->errors[i].message)
            cJSON_AddStringToObject(o, "message", ep->errors[i].message);
        if (ep->errors[i].advice)
            cJSON_AddStringToObject(o, "advice", ep->errors[i].advice);
        cJSON_AddItemToArray(list, o);
    }
    cJSON_AddBoolToObject(v, "has_errors", ep->error_count > 0);
}

static const og_field *idempotency_field(const og_endpoint *ep)
{
    for (size_t i = 0; i < ep->query.count; i++)
        if (ep->query.items[i].idempotency_key)
            return &ep->query.items[i];
    return NULL;
}

static void add_part_flags(const og_set *set, cJSON *v, const og_endpoint *ep)
{
    cJSON_AddBoolToObject(v, "has_path", ep->path_params.count > 0);
    cJSON_AddBoolToObject(v, "has_query", ep->query.count > 0);
    cJSON_AddBoolToObject(v, "has_body", ep->request_body.present);
    cJSON *q = cJSON_AddArrayToObject(v, "query");
    for (size_t i = 0; i < ep->query.count; i++)
        cJSON_AddItemToArray(q, field_view(set, &ep->query.items[i]));
    mark_ends(q);
    cJSON *p = cJSON_AddArrayToObject(v, "path_params");
    for (size_t i = 0; i < ep->path_params.count; i++)
        cJSON_AddItemToArray(p, field_view(set, &ep->path_params.items[i]));
    mark_ends(p);
    cJSON *b = cJSON_AddArrayToObject(v, "body_fields");
    for (size_t i = 0; i < ep->request_body.count; i++)
        cJSON_AddItemToArray(b, field_view(set, &ep->request_body.items[i]));
    cJSON *d = cJSON_AddArrayToObject(v, "data_fields");
    for (size_t i = 0; i < ep->response_data.count; i++)
        cJSON_AddItemToArray(d, field_view(set, &ep->response_data.items[i]));
}

static cJSON *endpoint_view(const og_set *set, const og_endpoint *ep)
{
    cJSON *v = cJSON_CreateObject();
    const char *full = og_printf(set->arena, "%s_%s", set->bundle, ep->name);
    cJSON_AddStringToObject(v, "name", ep->name);
    cJSON_AddStringToObject(v, "c_name", full);
    add_upper(v, "C_NAME", full);
    cJSON_AddStringToObject(v, "summary", ep->summary);
    add_c_literal(v, "summary_c", ep->summary);
    add_comment(v, "summary_comment", ep->summary);
    add_doc(v, ep->description ? ep->description : ep->summary);
    cJSON_AddStringToObject(v, "description", ep->description ? ep->description : "");
    cJSON_AddStringToObject(v, "method", ep->method);
    cJSON_AddStringToObject(v, "path", ep->path);
    add_c_literal(v, "path_c", ep->path);
    add_comment(v, "path_comment", ep->path);
    if (ep->doc_url) {
        cJSON_AddStringToObject(v, "doc_url", ep->doc_url);
        add_comment(v, "doc_url_comment", ep->doc_url);
    }
    if (ep->doc_updated)
        cJSON_AddStringToObject(v, "doc_updated", ep->doc_updated);
    add_path_segments(set, v, ep);
    add_c_long(v, "rate_count", ep->rate_count);
    cJSON_AddNumberToObject(v, "rate_period_ms", (double)period_ms(ep->rate_per));
    cJSON_AddStringToObject(v, "rate_per", ep->rate_per ? ep->rate_per : "");
    cJSON_AddBoolToObject(v, "has_rate_limit", ep->rate_count > 0);
    const og_field *key = idempotency_field(ep);
    bool idempotent_method = strcmp(ep->method, "POST") != 0;
    cJSON_AddStringToObject(v, "c_retry_safe_method", c_bool(idempotent_method));
    cJSON_AddBoolToObject(v, "has_idempotency_key", key != NULL);
    if (key)
        cJSON_AddStringToObject(v, "idempotency_key_c", key->c_name);
    add_part_flags(set, v, ep);
    add_scopes(v, "scopes", "has_scopes", ep->scopes, ep->scope_count);
    add_scopes(v, "field_scopes", "has_field_scopes", ep->field_scopes,
               ep->field_scope_count);
    add_errors(v, ep);
    if (ep->request_example)
        cJSON_AddStringToObject(v, "request_example", ep->request_example);
    if (ep->response_example)
        cJSON_AddStringToObject(v, "response_example", ep->response_example);
    return v;
}

/* ---- the whole view ----------------------------------------------------- */

/* 0.1.0 -> 100: what generated files and their runtime compare. */
static long version_number(void)
{
    int major = 0, minor = 0, patch = 0;
    sscanf(OAPIGEN_VERSION, "%d.%d.%d", &major, &minor, &patch);
    return major * 10000L + minor * 100L + patch;
}

static void add_sources(cJSON *view, const og_set *set)
{
    cJSON *list = cJSON_AddArrayToObject(view, "sources");
    for (size_t i = 0; i < set->endpoint_count; i++) {
        /* Base names only: the output must not depend on where it ran. */
        const char *file = set->endpoints[i]->file;
        const char *base = strrchr(file, '/');
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", base ? base + 1 : file);
        cJSON_AddItemToArray(list, o);
    }
    mark_ends(list);
}

cJSON *og_view_build(const og_set *set)
{
    cJSON *view = cJSON_CreateObject();
    cJSON_AddStringToObject(view, "oapigen_version", OAPIGEN_VERSION);
    cJSON_AddNumberToObject(view, "version_number", (double)version_number());
    cJSON_AddStringToObject(view, "prefix", set->bundle);
    add_upper(view, "PREFIX", set->bundle);
    add_sources(view, set);
    cJSON *enums = cJSON_AddArrayToObject(view, "enums");
    cJSON *structs = cJSON_AddArrayToObject(view, "structs");
    cJSON *endpoints = cJSON_AddArrayToObject(view, "endpoints");
    for (size_t i = 0; i < set->type_count; i++) {
        const og_type *t = set->types[i];
        add_list_enums(set, enums, &t->fields);
        cJSON_AddItemToArray(structs, struct_view(set, t->c_name, t->name,
                                                  t->description, &t->fields));
    }
    for (size_t i = 0; i < set->endpoint_count; i++) {
        const og_endpoint *ep = set->endpoints[i];
        add_list_enums(set, enums, &ep->path_params);
        add_list_enums(set, enums, &ep->query);
        add_list_enums(set, enums, &ep->request_body);
        add_list_enums(set, enums, &ep->response_data);
        add_endpoint_structs(set, structs, ep);
        cJSON_AddItemToArray(endpoints, endpoint_view(set, ep));
    }
    mark_ends(enums);
    mark_ends(structs);
    mark_ends(endpoints);
    return view;
}
