/* model.c - resolve and check a loaded spec set, and name it for C.
 *
 * spec_load.c checked each value's shape; this stage checks what needs more
 * than one value: type references and cycles, agreement of types defined in
 * several files, path parameters against the path, siblings named by
 * required_if, rules that fit the field's type, and C names that are safe
 * and unique after sanitising.
 */
#include "oapigen.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- C names ------------------------------------------------------------ */

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[0] == list[i][0] && !strcmp(s, list[i]))
            return true;
    return false;
}

/* Words a member name must not be: C keywords (C11 and C23), lowercase
 * macros of the headers generated code includes or that GNU modes predefine,
 * and C++ keywords, since the headers are also meant for C++ (extern "C").
 * Reserved names (_X, __x) and all-caps names, which may be macros of an
 * included header (EOF, EINVAL), are handled by c_identifier_as. */
static bool is_c_keyword(const char *s)
{
    static const char *const words[] = {
        "auto", "break", "case", "char", "const", "continue", "default", "do",
        "double", "else", "enum", "extern", "float", "for", "goto", "if",
        "inline", "int", "long", "register", "restrict", "return", "short",
        "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
        "unsigned", "void", "volatile", "while", "bool", "true", "false",
        "alignas", "alignof", "constexpr", "nullptr", "static_assert",
        "thread_local", "typeof", "typeof_unqual",
        "errno", "assert", "offsetof", "main", "free", "malloc",
        "complex", "imaginary", "noreturn", "stdin", "stdout", "stderr",
        "unix", "linux", "i386",
        "and", "and_eq", "bitand", "bitor", "compl", "not", "not_eq", "or",
        "or_eq", "xor", "xor_eq",
        "asm", "catch", "char8_t", "char16_t", "char32_t", "class", "concept",
        "const_cast", "consteval", "constinit", "co_await", "co_return",
        "co_yield", "decltype", "delete", "dynamic_cast", "explicit", "export",
        "friend", "mutable", "namespace", "new", "noexcept", "operator",
        "private", "protected", "public", "reinterpret_cast", "requires",
        "static_cast", "template", "this", "throw", "try", "typeid",
        "typename", "using", "virtual", "wchar_t",
    };
    return in_list(s, words, COUNT(words));
}

/* Names (after the bundle prefix) that the generated runtime declares
 * (runtime/og_runtime.h, runtime/og_http.h), besides everything starting with rt_:
 * a type or enum of such a name gets a trailing '_', an endpoint is refused. */
static bool is_runtime_name(const char *s)
{
    static const char *const names[] = {
        "client", "client_free", "client_new", "client_options",
        "client_options_init", "client_set_app_credentials",
        "client_set_tenant_token", "errc", "error", "error_clear",
        "call_options", "call_options_init", "call_raw", "header",
        "raw_response", "raw_response_free", "raw_request",
        "client_set_store_app", "client_set_app_ticket",
        "client_request_app_ticket",
        "error_set", "global_cleanup", "global_init", "log_fn", "now_fn",
        "query_param", "sleep_fn", "strerror", "violation", "violations",
        "violations_free", "download", "file", "file_is_set", "form_part",
        "write_fn",
    };
    return !strncmp(s, "rt_", 3) || in_list(s, names, COUNT(names));
}

/* The same for upper-case names (after PREFIX_): macros and constants. */
static bool is_runtime_constant(const char *s)
{
    static const char *const names[] = {
        "OK", "E_NOMEM", "E_ARG", "E_JSON", "E_TYPE", "E_RANGE", "E_DEPTH",
        "E_INVALID", "E_TRANSPORT", "E_TIMEOUT", "E_HTTP", "E_API", "E_AUTH",
        "E_RATE_LIMITED", "E_TOO_LARGE", "E_ENVELOPE", "E_UTF8", "E_IO", "ERRORS",
        "ERRC_ENUM_", "STRERROR_CASE_", "RUNTIME_VERSION", "RUNTIME_H",
        "HTTP_H", "API_H", "H", "LOG_DEBUG", "LOG_INFO", "LOG_WARN",
        "LOG_ERROR", "BASE_URL_FEISHU", "BASE_URL_LARK",
        "CLIENT_OPTIONS_VERSION", "CALL_OPTIONS_VERSION", "E_APP_TICKET",
    };
    return !strncmp(s, "RT_", 3) || in_list(s, names, COUNT(names));
}

/* No lower-case letter: possibly a macro (EOF, EINVAL, CURLE_OK). */
static bool is_all_caps(const char *s)
{
    for (; *s; s++)
        if (islower((unsigned char)*s))
            return false;
    return true;
}

/* Maps a wire name to a C identifier: other characters become '_', a
 * leading digit gets a '_' before it, keywords and all-caps names get a '_'
 * after (default_, EOF_), reserved names lose leading '_'s and get one after
 * (_Bool -> Bool_, __x -> _x_). Returns NULL when the name has no ASCII
 * letter: nothing readable would remain. */
static const char *c_identifier_as(og_arena *a, const char *name,
                                   bool prefixed);

static const char *c_identifier(og_arena *a, const char *name)
{
    return c_identifier_as(a, name, false);
}

/* A prefixed name (corehr_enum) cannot clash with a keyword, so it keeps
 * the page's spelling. */
static const char *c_identifier_as(og_arena *a, const char *name,
                                   bool prefixed)
{
    size_t n = strlen(name);
    bool has_letter = false;
    char *id = og_alloc(a, n + 3);
    char *p = id;
    if (isdigit((unsigned char)name[0]))
        *p++ = '_';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        has_letter |= isalpha(c) != 0;
        *p++ = (isalnum(c) && c < 128) ? (char)c : '_';
    }
    *p = '\0';
    if (!has_letter)
        return NULL;
    if (prefixed)
        return id;
    /* _X and __x are reserved: drop leading '_'s until it is not. */
    const char *rest = id;
    while (rest[0] == '_' && (rest[1] == '_' || isupper((unsigned char)rest[1])))
        rest++;
    if (rest != id || is_c_keyword(rest) || is_all_caps(rest))
        return og_printf(a, "%s_", rest);
    return id;
}

static char *upper(og_arena *a, const char *s)
{
    char *u = og_strdup(a, s);
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return u;
}

/* ---- names seen so far (util.c's hashed table) --------------------------- */

typedef og_table_entry seen_name;
typedef og_table name_table;

static const seen_name *table_find(const name_table *t, const char *name)
{
    return og_table_find(t, name);
}

static void table_add(name_table *t, const char *name, og_pos pos,
                      const void *what)
{
    og_table_add(t, name, pos, what);
}

/* Adds name, or reports it as a duplicate; returns the earlier entry. */
static const seen_name *table_claim(og_diag *d, name_table *t, const char *name,
                                    og_pos pos, const void *what,
                                    const char *kind)
{
    const seen_name *prev = table_find(t, name);
    if (!prev) {
        table_add(t, name, pos, what);
        return NULL;
    }
    og_error(d, pos, "duplicate %s '%s'", kind, name);
    og_note(d, prev->pos, "previously defined here");
    return prev;
}

/* ---- bundle and endpoints ---------------------------------------------- */

/* A name used as written, in front of or after a prefix (bundle, endpoint
 * names): any identifier not starting with '_' (corehr__x is reserved in
 * C++). Keywords are fine: they never stand alone. */
static bool is_plain_identifier(og_arena *a, const char *name)
{
    const char *id = c_identifier_as(a, name, true);
    return id && !strcmp(id, name) && name[0] != '_';
}

static void check_bundle(og_set *set)
{
    for (size_t i = 0; i < set->endpoint_count; i++) {
        og_endpoint *ep = set->endpoints[i];
        if (!ep->bundle)
            continue;
        if (!is_plain_identifier(set->arena, ep->bundle))
            og_error(&set->diag, ep->bundle_pos,
                     "bundle '%s' must be a C identifier", ep->bundle);
        else if (!strcmp(ep->bundle, "curl"))
            og_error(&set->diag, ep->bundle_pos,
                     "bundle 'curl' would define curl_global_init, which "
                     "libcurl defines");
        if (!set->bundle)
            set->bundle = ep->bundle;
        else if (strcmp(set->bundle, ep->bundle))
            og_error(&set->diag, ep->bundle_pos,
                     "bundle '%s' differs from '%s' named by %s", ep->bundle,
                     set->bundle, set->endpoints[0]->file);
    }
}

/* What the client's transport accepts (bundle_http.c, is_safe_path): a
 * path below /open-apis/ made of URL path characters, no '%' (literal
 * parts are sent as written) and no dot segments. Anything else would
 * generate a client whose every call fails. */
static bool is_path_char(unsigned char c)
{
    return c < 128 && (isalnum(c) || (c && strchr("-._~!$&'()*+,;=:@/", c)));
}

static void check_path(og_set *set, og_endpoint *ep)
{
    const char *p = ep->path;
    if (strncmp(p, "/open-apis/", 11)) {
        og_error(&set->diag, ep->path_pos,
                 "path must start with /open-apis/ (the client sends nothing else)");
        return;
    }
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ':')   /* a parameter's name is not sent */
            p += strcspn(p, "/") - 1;
        if (c == ':' || is_path_char(c))
            continue;
        if (c >= ' ' && c < 127)
            og_error(&set->diag, ep->path_pos, "path must not contain '%c' (it is "
                     "sent as written: only parameters are encoded)", c);
        else
            og_error(&set->diag, ep->path_pos, "path must not contain byte 0x%02x "
                     "(it is sent as written: only parameters are encoded)", c);
        return;
    }
    for (p = ep->path; (p = strstr(p, "/.")); p++)
        if (p[2] == '/' || !p[2] || (p[2] == '.' && (p[3] == '/' || !p[3]))) {
            og_error(&set->diag, ep->path_pos,
                     "path must not contain '.' or '..' segments");
            return;
        }
}

/* Every `:name` in the path must be a path parameter and vice versa. */
/* retry_safe and response_format: what the call layer is told. */
static void check_call_keys(og_set *set, og_endpoint *ep)
{
    if (ep->retry_safe && ep->method && strcmp(ep->method, "POST") != 0)
        og_error(&set->diag, ep->retry_safe_pos, "retry_safe is only for POST "
                 "(a %s is retried as idempotent already)", ep->method);
    if (!ep->response_format)
        ep->response_format = "json";
    if (!strcmp(ep->response_format, "opaque") && ep->response_data.count > 0)
        og_error(&set->diag, ep->response_format_pos, "response_format: opaque "
                 "keeps data as JSON, so response_data must be empty (it has %zu "
                 "field%s)", ep->response_data.count,
                 ep->response_data.count == 1 ? "" : "s");
}

static void check_path_params(og_set *set, og_endpoint *ep)
{
    const char *p = ep->path;
    while ((p = strchr(p, ':'))) {
        size_t n = strcspn(p + 1, "/");
        bool found = false;
        for (size_t i = 0; i < ep->path_params.count; i++) {
            const char *name = ep->path_params.items[i].name;
            if (name && strlen(name) == n && !strncmp(name, p + 1, n))
                found = true;
        }
        if (!found)
            og_error(&set->diag, ep->path_pos,
                     "path parameter ':%.*s' is not listed in path_params",
                     (int)n, p + 1);
        p += 1 + n;
    }
    for (size_t i = 0; i < ep->path_params.count; i++) {
        og_field *f = &ep->path_params.items[i];
        char *needle = og_printf(set->arena, ":%s", f->name);
        const char *at = strstr(ep->path, needle);
        size_t n = strlen(needle);
        if (!at || (at[n] && at[n] != '/'))
            og_error(&set->diag, f->pos,
                     "path parameter '%s' does not appear in the path", f->name);
    }
}

/* ---- types -------------------------------------------------------------- */

static og_type *find_own_type(const og_endpoint *ep, const char *name,
                              size_t len)
{
    for (size_t i = 0; i < ep->type_count; i++)
        if (ep->types[i]->name && strlen(ep->types[i]->name) == len &&
            !strncmp(ep->types[i]->name, name, len))
            return ep->types[i];
    return NULL;
}

static void resolve_fields(og_set *set, og_endpoint *ep, og_field_list *fl)
{
    for (size_t i = 0; i < fl->count; i++) {
        og_field *f = &fl->items[i];
        if (!f->type_text || f->kind != OG_OBJECT)
            continue;
        size_t len = strlen(f->type_text) - 2 * (size_t)f->array_depth;
        f->type = find_own_type(ep, f->type_text, len);
        if (!f->type)
            og_error(&set->diag, f->type_pos,
                     "unknown type '%.*s' (not a scalar type, and not in this "
                     "file's types)", (int)len, f->type_text);
    }
}

static const og_field *field_named(const og_field_list *fl, const char *name)
{
    for (size_t i = 0; i < fl->count; i++)
        if (fl->items[i].name && !strcmp(fl->items[i].name, name))
            return &fl->items[i];
    return NULL;
}

/* The first way the field lists of two definitions of a type differ (wire
 * name, type, required flag, order), as an error at the field `here` (or
 * at the type when it has no such field) with a note at the field there.
 * Returns true if they differ. */
static bool report_type_difference(og_set *set, const og_type *here,
                                   const og_type *there)
{
    const og_field_list *h = &here->fields, *t = &there->fields;
    const og_field *x = NULL, *y = NULL;
    const char *why = NULL;
    for (size_t i = 0; !why && i < t->count; i++) {
        y = &t->items[i];
        if (!y->name || !y->type_text)
            continue;
        x = field_named(h, y->name);
        if (!x)
            why = og_printf(set->arena, "field '%s' is missing here", y->name);
        else if (x->type_text && strcmp(x->type_text, y->type_text))
            why = og_printf(set->arena, "field '%s' has type %s here, %s there",
                            y->name, x->type_text, y->type_text);
        else if (x->required != y->required)
            why = og_printf(set->arena, "field '%s' is %s here, %s there", y->name,
                            x->required ? "required" : "optional",
                            y->required ? "required" : "optional");
    }
    for (size_t i = 0; !why && i < h->count; i++) {
        x = &h->items[i];
        y = x->name ? field_named(t, x->name) : NULL;
        if (x->name && !y)
            why = og_printf(set->arena, "field '%s' is only here", x->name);
        else if (y && i < t->count && y != &t->items[i])
            why = og_printf(set->arena, "field '%s' is at place %zu here, %zu there",
                            x->name, i + 1, (size_t)(y - t->items) + 1);
    }
    if (!why)
        return false;
    og_error(&set->diag, x ? x->pos : here->pos,
             "type '%s' is defined differently in another file: %s", here->name, why);
    og_note(&set->diag, y ? y->pos : there->pos, "previously defined here");
    return true;
}

/* A type defined in several files is generated once, so the definitions must
 * agree on the wire (descriptions may differ: the first one wins). */
static void collect_types(og_set *set, name_table *types)
{
    for (size_t e = 0; e < set->endpoint_count; e++) {
        og_endpoint *ep = set->endpoints[e];
        name_table own = {0};
        for (size_t i = 0; i < ep->type_count; i++) {
            og_type *t = ep->types[i];
            if (!t->name ||
                table_claim(&set->diag, &own, t->name, t->pos, t, "type"))
                continue;
            const seen_name *prev = table_find(types, t->name);
            if (!prev) {
                table_add(types, t->name, t->pos, t);
                t->canonical = t;
                continue;
            }
            t->canonical = (og_type *)prev->what;
            report_type_difference(set, t, t->canonical);
        }
        og_table_free(&own);
    }
}

/* Depth-first walk: dependencies are appended before their users, and a
 * type met again while still being visited closes a cycle. */
static void order_type(og_set *set, og_type *t, og_type **out, size_t *n)
{
    t = t->canonical ? t->canonical : t;
    if (t->done)
        return;
    if (t->visiting) {
        og_error(&set->diag, t->pos, "type '%s' contains itself", t->name);
        return;
    }
    t->visiting = true;
    for (size_t i = 0; i < t->fields.count; i++)
        if (t->fields.items[i].type)
            order_type(set, t->fields.items[i].type, out, n);
    t->visiting = false;
    t->done = true;
    out[(*n)++] = t;
}

static void order_types(og_set *set, const name_table *types)
{
    set->types = og_alloc(set->arena, (types->count + 1) * sizeof *set->types);
    for (size_t i = 0; i < types->count; i++)
        order_type(set, (og_type *)types->items[i].what, set->types,
                   &set->type_count);
}

/* ---- fields ------------------------------------------------------------- */

static bool is_number(const og_field *f)
{
    return f->kind == OG_INT || f->kind == OG_INT64 || f->kind == OG_FLOAT;
}

/* Each rule must fit the field it is on. */
static void check_rules(og_set *set, const og_field *f)
{
    og_diag *d = &set->diag;
    if ((f->has_min || f->has_max) && (!is_number(f) || f->is_array))
        og_error(d, f->pos, "range is only allowed on number fields ('%s' is %s)",
                 f->name, f->type_text);
    if ((f->has_min_length || f->has_max_length) && f->kind != OG_STRING &&
        !f->is_array)
        og_error(d, f->pos, "length is only allowed on strings and arrays ('%s' is %s)",
                 f->name, f->type_text);
    if (f->has_min && f->has_max && f->min > f->max)
        og_error(d, f->pos, "range min %g is above max %g", f->min, f->max);
    if ((f->has_min_length && f->min_length < 0) ||
        (f->has_max_length && f->max_length < 0) ||
        (f->has_min_length && f->has_max_length && f->min_length > f->max_length))
        og_error(d, f->pos, "length of '%s' must satisfy 0 <= min <= max", f->name);
    if (f->format && (f->kind != OG_STRING || f->is_array))
        og_error(d, f->pos, "format date is only allowed on string fields");
    if (f->non_empty && f->kind != OG_STRING && !f->is_array)
        og_error(d, f->pos, "non_empty is only allowed on strings and arrays");
    if (f->enum_count && f->array_depth > 1)
        og_error(d, f->pos, "enum is not allowed on arrays of arrays ('%s' is %s): "
                 "rules of a nested array apply to the outer array", f->name,
                 f->type_text);
    if (f->has_decimals && (f->kind != OG_FLOAT || f->is_array))
        og_error(d, f->pos, "decimals is only allowed on float fields ('%s' is %s)",
                 f->name, f->type_text);
}

/* ---- examples and defaults against the field's own rules ---------------- */

static bool is_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY-MM-DD naming a day that exists (the generated rt_is_date). */
static bool is_real_date(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    if (s[10])
        return false;
    long y = strtol(s, NULL, 10), m = strtol(s + 5, NULL, 10),
         day = strtol(s + 8, NULL, 10);
    if (m < 1 || m > 12 || day < 1)
        return false;
    return day <= days[m - 1] + (m == 2 && is_leap(y));
}

/* Characters (code points) of valid UTF-8, as length rules count them. */
static long utf8_length(const char *s)
{
    long n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Decimal places of v's shortest text that reads back exactly (of
 * "%.15g".."%.17g", like the generated runtime): 37.55 has 2, although
 * the double nearest to it is 37.5499999999999971578... */
static long decimal_places(double v)
{
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    char *e = strchr(buf, 'e');
    long exp = e ? strtol(e + 1, NULL, 10) : 0;
    const char *dot = strchr(buf, '.');
    long places = dot ? (long)((e ? (size_t)(e - dot) : strlen(dot)) - 1) : 0;
    return places - exp > 0 ? places - exp : 0;
}

/* Why the value (JSON text) breaks a rule of the field, or NULL. Only rules
 * that fit the field are looked at; check_rules reports the others. */
static const char *value_problem(og_set *set, const og_field *f, const char *json)
{
    og_arena *a = set->arena;
    cJSON *v = cJSON_Parse(json);
    const char *why = NULL;
    if (!v)
        return NULL;
    if (f->kind == OG_STRING && cJSON_IsString(v)) {
        long n = utf8_length(v->valuestring);
        if (f->non_empty && !*v->valuestring)
            why = "is empty, which non_empty forbids";
        else if (f->format && !is_real_date(v->valuestring))
            why = "is not a date YYYY-MM-DD that exists (format: date)";
        else if (f->has_min_length && n < f->min_length)
            why = og_printf(a, "has %ld character%s, fewer than length min %ld", n,
                            n == 1 ? "" : "s", f->min_length);
        else if (f->has_max_length && n > f->max_length)
            why = og_printf(a, "has %ld character%s, more than length max %ld", n,
                            n == 1 ? "" : "s", f->max_length);
    } else if (is_number(f) && cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (f->has_min && d < f->min)
            why = og_printf(a, "is below range min %g", f->min);
        else if (f->has_max && d > f->max)
            why = og_printf(a, "is above range max %g", f->max);
        else if (f->kind == OG_FLOAT && f->has_decimals &&
                 decimal_places(d) > f->decimals)
            why = og_printf(a, "has more than %ld decimal place%s (decimals: %ld)",
                            f->decimals, f->decimals == 1 ? "" : "s", f->decimals);
    }
    if (!why && f->enum_count) {
        const char *text = cJSON_IsString(v) ? v->valuestring : json;
        bool listed = false;
        for (size_t i = 0; i < f->enum_count; i++)
            listed |= !strcmp(f->enums[i].value, text);
        if (!listed) {
            og_buf list = {0};
            for (size_t i = 0; i < f->enum_count; i++)
                og_buf_printf(&list, "%s%s", i ? ", " : "", f->enums[i].value);
            why = og_printf(a, "is not one of the enum values (%s)", list.data);
            og_buf_free(&list);
        }
    }
    cJSON_Delete(v);
    return why;
}

/* An example or default is what a reader copies: it must obey the rules. */
static void check_values(og_set *set, const og_field *f)
{
    const char *why;
    if (f->example_json && (why = value_problem(set, f, f->example_json)))
        og_error(&set->diag, f->example_pos, "example %s %s", f->example_json, why);
    if (f->default_json && (why = value_problem(set, f, f->default_json)))
        og_error(&set->diag, f->default_pos, "default %s %s", f->default_json, why);
}

/* Integer values become C enum constants, which are ints. */
static void check_enum_values(og_set *set, og_field *f)
{
    name_table values = {0};
    for (size_t i = 0; i < f->enum_count; i++) {
        long v = f->kind == OG_STRING ? 0 : strtol(f->enums[i].value, NULL, 10);
        if (v < INT_MIN || v > INT_MAX)
            og_error(&set->diag, f->enums[i].pos, "enum value %s is out of range "
                     "of a C enum constant (int)", f->enums[i].value);
        table_claim(&set->diag, &values, f->enums[i].value, f->enums[i].pos,
                    &f->enums[i], "enum value");
    }
    og_table_free(&values);
}

static bool is_integer(const og_field *f)
{
    return f->kind == OG_INT || f->kind == OG_INT64;
}

/* A whole number the field's C type holds (checked before any cast). */
static bool fits_integer(double v, og_kind kind)
{
    if (kind == OG_INT)
        return v == floor(v) && v >= -2147483648.0 && v < 2147483648.0;
    return v == floor(v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0;
}

/* required_if names a sibling; its `equals` takes the sibling's type. */
static void check_required_if(og_set *set, og_field_list *fl, og_field *f)
{
    if (!f->required_if_field)
        return;
    for (size_t i = 0; i < fl->count; i++)
        if (fl->items[i].name && !strcmp(fl->items[i].name, f->required_if_field))
            f->required_if_target = &fl->items[i];
    og_field *t = f->required_if_target;
    if (!t) {
        og_error(&set->diag, f->required_if_pos,
                 "required_if names '%s', which is not a sibling of '%s'",
                 f->required_if_field, f->name);
        return;
    }
    if (t == f || t->is_array || t->kind == OG_OBJECT || t->kind == OG_FLOAT ||
        t->kind == OG_JSON || t->kind == OG_FILE) {
        og_error(&set->diag, f->required_if_pos,
                 "required_if must name another string, integer or bool field");
        return;
    }
    cJSON *v = cJSON_Parse(f->required_if_json);
    bool ok = v && (t->kind == OG_STRING ? cJSON_IsString(v)
                    : t->kind == OG_BOOL ? cJSON_IsBool(v)
                    : cJSON_IsNumber(v) && fits_integer(v->valuedouble, t->kind));
    if (ok && is_integer(t)) {
        /* As C source: 1e2 and 100.0 are the integer 100. */
        f->required_if_json = og_printf(set->arena, "%ld", (long)v->valuedouble);
    }
    if (ok && t->enum_count) {
        const char *want = t->kind == OG_STRING ? v->valuestring : f->required_if_json;
        ok = false;
        for (size_t i = 0; i < t->enum_count; i++)
            ok |= !strcmp(t->enums[i].value, want);
    }
    if (!ok)
        og_error(&set->diag, f->required_if_pos,
                 "required_if equals %s, which '%s' (%s) can never hold",
                 f->required_if_json, t->name, t->type_text);
    cJSON_Delete(v);
}

/* Generated members `x`, `has_x` and `x_count` must not collide either. */
static void claim_member(og_set *set, name_table *members, og_field *f,
                         const char *member)
{
    const seen_name *prev = table_find(members, member);
    if (!prev) {
        table_add(members, member, f->pos, f);
        return;
    }
    og_error(&set->diag, f->pos,
             "field '%s' needs the C name '%s', which '%s' already uses",
             f->name, member, ((const og_field *)prev->what)->name);
    og_note(&set->diag, prev->pos, "previously defined here");
}

static void name_field(og_set *set, name_table *members, og_field *f)
{
    f->c_name = c_identifier(set->arena, f->name);
    if (!f->c_name) {
        og_error(&set->diag, f->pos,
                 "field name '%s' cannot be made a C identifier (it has no "
                 "ASCII letter)", f->name);
        return;
    }
    claim_member(set, members, f, f->c_name);
    if (f->is_array)
        claim_member(set, members, f, og_printf(set->arena, "%s_count", f->c_name));
    else if (f->kind != OG_STRING && f->kind != OG_OBJECT && f->kind != OG_JSON &&
             f->kind != OG_FILE)
        claim_member(set, members, f, og_printf(set->arena, "has_%s", f->c_name));
}

/* What a list of fields may hold: path parameters only scalars, query
 * parameters also arrays of scalars (?ids=a&ids=b), JSON anything. */
enum field_place { JSON_FIELDS, PATH_PARAMS, QUERY_PARAMS };

static bool fits_query(const og_field *f)
{
    if (!f->is_array)
        return f->kind != OG_OBJECT && f->kind != OG_JSON;
    if (f->array_depth > 1)
        return false;
    return f->kind == OG_STRING || f->kind == OG_INT || f->kind == OG_INT64 ||
           f->kind == OG_BOOL;
}

static void check_fields(og_set *set, og_field_list *fl, enum field_place params,
                         const char *where)
{
    name_table wire = {0}, members = {0};
    for (size_t i = 0; i < fl->count; i++) {
        og_field *f = &fl->items[i];
        if (!f->name || !f->type_text)
            continue;
        if (table_claim(&set->diag, &wire, f->name, f->pos, f, "field"))
            continue;
        name_field(set, &members, f);
        if (params == PATH_PARAMS && (f->kind == OG_OBJECT || f->kind == OG_JSON ||
                                      f->is_array))
            og_error(&set->diag, f->type_pos,
                     "%s '%s' must have a scalar type, not %s", where, f->name,
                     f->type_text);
        else if (params == QUERY_PARAMS && !fits_query(f))
            og_error(&set->diag, f->type_pos,
                     "%s '%s' must have a scalar type or be an array of string, "
                     "int, int64 or bool (sent as repeated keys), not %s", where,
                     f->name, f->type_text);
        if (f->idempotency_key && (f->kind != OG_STRING || f->is_array))
            og_error(&set->diag, f->pos, "idempotency_key must be a string field");
        check_rules(set, f);
        check_enum_values(set, f);
        check_values(set, f);
    }
    for (size_t i = 0; i < fl->count; i++)
        check_required_if(set, fl, &fl->items[i]);
    og_table_free(&wire);
    og_table_free(&members);
}

/* ---- pagination --------------------------------------------------------- */

static og_field *find_field(const og_field_list *fl, const char *name)
{
    for (size_t i = 0; i < fl->count; i++)
        if (fl->items[i].name && !strcmp(fl->items[i].name, name))
            return &fl->items[i];
    return NULL;
}

/* What a pagination key needs its field to be. */
typedef enum page_need { NEED_STRING, NEED_INTEGER, NEED_BOOL, NEED_ARRAY } page_need;

static bool has_need(const og_field *f, page_need need)
{
    switch (need) {
    case NEED_STRING:
        return f->kind == OG_STRING && !f->is_array;
    case NEED_INTEGER:
        return (f->kind == OG_INT || f->kind == OG_INT64) && !f->is_array;
    case NEED_BOOL:
        return f->kind == OG_BOOL && !f->is_array;
    case NEED_ARRAY:
        return f->is_array;
    }
    return false;
}

/* Resolves one pagination key to its field: a request field (a query
 * parameter, else a body field) or a response_data field. */
static void resolve_page_ref(og_set *set, og_endpoint *ep, og_page_ref *ref,
                             const char *key, bool request, page_need need)
{
    static const char *const wanted[] = {"a string", "an int or int64",
                                         "a bool", "an array"};
    if (!ref->name)
        return;
    og_field *f = NULL;
    if (request) {
        f = find_field(&ep->query, ref->name);
        ref->in_query = f != NULL;
        if (!f)
            f = find_field(&ep->request_body, ref->name);
    } else {
        f = find_field(&ep->response_data, ref->name);
    }
    if (!f) {
        og_error(&set->diag, ref->pos, "pagination %s '%s' is not %s of endpoint '%s'",
                 key, ref->name, request ? "a query parameter or request_body field"
                                         : "a response_data field", ep->name);
        return;
    }
    if (!f->type_text)
        return;
    if (!has_need(f, need)) {
        og_error(&set->diag, ref->pos, "pagination %s '%s' must be %s, not %s",
                 key, ref->name, wanted[need], f->type_text);
        og_note(&set->diag, f->type_pos, "'%s' is declared here", ref->name);
        return;
    }
    ref->field = f;
}

static void check_pagination(og_set *set, og_endpoint *ep)
{
    og_pagination *pg = ep->pagination;
    if (!pg)
        return;
    if (ep->response_format && strcmp(ep->response_format, "json")) {
        og_error(&set->diag, pg->pos, "pagination needs response_format json (it "
                 "reads has_more, the token and the items from response_data), "
                 "not %s", ep->response_format);
        return;
    }
    resolve_page_ref(set, ep, &pg->page_token, "page_token", true, NEED_STRING);
    resolve_page_ref(set, ep, &pg->page_size, "page_size", true, NEED_INTEGER);
    resolve_page_ref(set, ep, &pg->next_token, "next_token", false, NEED_STRING);
    resolve_page_ref(set, ep, &pg->has_more, "has_more", false, NEED_BOOL);
    resolve_page_ref(set, ep, &pg->items, "items", false, NEED_ARRAY);
}

/* ---- uploads and downloads ---------------------------------------------- */

/* `file` fields are parts of a multipart body and nothing else. */
static void refuse_files(og_set *set, const og_field_list *fl, const char *where)
{
    for (size_t i = 0; i < fl->count; i++)
        if (fl->items[i].type_text && fl->items[i].kind == OG_FILE)
            og_error(&set->diag, fl->items[i].type_pos,
                     "'%s' is a file, which is only allowed in a request_body "
                     "with body_format: multipart (not in %s)",
                     fl->items[i].name, where);
}

/* A multipart body is a flat list of form fields: scalars and files. */
static void check_multipart_body(og_set *set, const og_endpoint *ep)
{
    const og_field_list *fl = &ep->request_body;
    for (size_t i = 0; i < fl->count; i++) {
        const og_field *f = &fl->items[i];
        if (!f->type_text)
            continue;
        if (f->kind == OG_FILE && f->is_array)
            og_error(&set->diag, f->type_pos, "file field '%s' cannot be an "
                     "array (one part per field)", f->name);
        else if (f->kind == OG_OBJECT || f->kind == OG_JSON || f->is_array)
            og_error(&set->diag, f->type_pos, "multipart field '%s' must be a "
                     "scalar or a file, not %s", f->name, f->type_text);
    }
}

static void check_formats(og_set *set, const og_endpoint *ep)
{
    bool bodiless = !strcmp(ep->method, "GET") || !strcmp(ep->method, "DELETE");
    if (ep->multipart && bodiless)
        og_error(&set->diag, ep->body_format_pos,
                 "body_format multipart is not allowed on %s (it has no body)",
                 ep->method);
    if (ep->multipart && ep->request_body.count == 0)
        og_error(&set->diag, ep->body_format_pos, "body_format multipart needs "
                 "a request_body with at least one field");
    if (ep->multipart)
        check_multipart_body(set, ep);
    else
        refuse_files(set, &ep->request_body, "a JSON request_body");
    refuse_files(set, &ep->path_params, "path_params");
    refuse_files(set, &ep->query, "query");
    refuse_files(set, &ep->response_data, "response_data");
    for (size_t t = 0; t < ep->type_count; t++)
        refuse_files(set, &ep->types[t]->fields, "a type");
    if (ep->binary && ep->response_data.count > 0)
        og_error(&set->diag, ep->response_data.items[0].pos,
                 "response_format binary has no JSON data: response_data "
                 "must be empty");
    /* pages are read as typed data and requests copied as JSON */
    if (ep->pagination && (ep->binary || ep->multipart))
        og_error(&set->diag, ep->pos, "pagination is not supported with %s",
                 ep->binary ? "response_format binary" : "body_format multipart");
}

/* ---- enum names --------------------------------------------------------- */

typedef struct enum_owner {
    og_field *field;
    const char *owner;      /* C name of the struct that holds it */
} enum_owner;

static bool same_enum(const og_field *a, const og_field *b)
{
    if (a->enum_count != b->enum_count || a->kind != b->kind)
        return false;
    for (size_t i = 0; i < a->enum_count; i++)
        if (strcmp(a->enums[i].value, b->enums[i].value))
            return false;
    return true;
}

static void collect_enum_fields(og_field_list *fl, const char *owner,
                                enum_owner **list, size_t *n, size_t *cap)
{
    for (size_t i = 0; i < fl->count; i++) {
        if (!fl->items[i].enum_count || !fl->items[i].c_name)
            continue;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            *list = realloc(*list, *cap * sizeof **list);
            if (!*list)
                abort();
        }
        (*list)[(*n)++] = (enum_owner){&fl->items[i], owner};
    }
}

/* COREHR_USER_ID_TYPE_OPEN_ID; integer values keep their digits:
 * COREHR_CONVERSION_MODE_1, COREHR_X_MINUS_1. */
static const char *enum_constant(og_set *set, const char *base,
                                 const og_enum_value *v)
{
    bool minus = v->value[0] == '-';
    char *id = og_printf(set->arena, "%s%s", minus ? "MINUS_" : "",
                         v->value + minus);
    for (char *p = id; *p; p++)
        if (!isalnum((unsigned char)*p) || (unsigned char)*p >= 128)
            *p = '_';
    char *c = upper(set->arena,
                    og_printf(set->arena, "%s_%s_%s", set->bundle, base, id));
    /* COREHR_LOG_INFO (field `log`, value `info`) is the runtime's */
    if (is_runtime_constant(c + strlen(set->bundle) + 1))
        c = og_printf(set->arena, "%s_", c);
    return c;
}

/* Values that differ only in letter case (`A`, `a`) would make the same
 * upper-case constant: the first in spec order keeps it, each later one
 * gets _2, _3, ... by its rank among them (COREHR_X_A, COREHR_X_A_2).
 * Returns that rank (1 for the first). */
static size_t case_rank(const og_field *f, size_t k)
{
    size_t rank = 1;
    for (size_t j = 0; j < k; j++)
        if (!strcasecmp(f->enums[j].value, f->enums[k].value))
            rank++;
    return rank;
}

/* For each field of the list: does it carry the same values as the first
 * field of its name (in set order)? Those share the plain name, so adding an
 * endpoint whose user_id_type differs does not rename the existing enum.
 * Caller frees. */
static bool *shared_enum_names(const enum_owner *list, size_t n)
{
    name_table first = {0};
    size_t *group = malloc((n + 1) * sizeof *group);
    bool *shared = malloc((n + 1) * sizeof *shared);
    if (!group || !shared)
        abort();
    for (size_t i = 0; i < n; i++) {
        const og_field *f = list[i].field;
        const seen_name *prev = table_find(&first, f->name);
        group[i] = prev ? (size_t)((const enum_owner *)prev->what - list) : i;
        if (!prev)
            table_add(&first, f->name, f->pos, &list[i]);
        shared[i] = !prev || same_enum(list[group[i]].field, f);
    }
    og_table_free(&first);
    free(group);
    return shared;
}

/* An enum is named after its field when it carries the same values as the
 * first field of that name (user_id_type), else after its owner and field. */
static void name_enums(og_set *set, enum_owner *list, size_t n,
                       name_table *symbols)
{
    name_table enums = {0};
    bool *shared = shared_enum_names(list, n);
    for (size_t i = 0; i < n; i++) {
        og_field *f = list[i].field;
        const char *base = shared[i] ? f->c_name
                         : og_printf(set->arena, "%s_%s", list[i].owner, f->c_name);
        if (is_runtime_name(base))
            base = og_printf(set->arena, "%s_", base);
        f->enum_c_type = og_printf(set->arena, "%s_%s", set->bundle, base);
        if (table_find(&enums, f->enum_c_type))
            continue;   /* an identical enum already has this name */
        table_add(&enums, f->enum_c_type, f->pos, f);
        if (table_claim(&set->diag, symbols, base, f->pos, f, "C name"))
            continue;
        /* String enums have a constant for values the spec does not list. */
        const char *unknown = f->kind == OG_STRING
            ? upper(set->arena, og_printf(set->arena, "%s__UNKNOWN", f->enum_c_type)) : "";
        for (size_t k = 0; k < f->enum_count; k++) {
            f->enums[k].c_name = enum_constant(set, base, &f->enums[k]);
            size_t rank = case_rank(f, k);
            if (rank > 1)
                f->enums[k].c_name = og_printf(set->arena, "%s_%zu",
                                               f->enums[k].c_name, rank);
            if (!strcmp(f->enums[k].c_name, unknown))
                og_error(&set->diag, f->enums[k].pos, "enum value '%s' would be "
                         "%s, the constant for values the spec does not list",
                         f->enums[k].value, unknown);
            else
                table_claim(&set->diag, symbols, f->enums[k].c_name,
                            f->enums[k].pos, &f->enums[k], "enum constant");
        }
    }
    /* Fields that share an enum type share its constant names too. */
    for (size_t i = 0; i < n; i++) {
        og_field *f = list[i].field;
        const seen_name *first = table_find(&enums, f->enum_c_type);
        const og_field *owner = first ? first->what : NULL;
        for (size_t k = 0; owner && owner != f && k < f->enum_count; k++)
            f->enums[k].c_name = owner->enums[k].c_name;
    }
    og_table_free(&enums);
    free(shared);
}

/* ---- the set ------------------------------------------------------------ */

/* The C names of an endpoint's own structs, claimed against type names. */
static void claim_endpoint_structs(og_set *set, name_table *symbols,
                                   og_endpoint *ep)
{
    static const char *const suffixes[] = {"path", "query", "body", "data",
                                           "request"};
    /* The paging API: <name>_pages_t, and <name>_items_free, which a type
     * <name>_items would also define. */
    static const char *const paged[] = {"pages", "items"};
    for (size_t i = 0; i < COUNT(suffixes); i++)
        table_claim(&set->diag, symbols,
                    og_printf(set->arena, "%s_%s", ep->name, suffixes[i]),
                    ep->pos, ep, "C name");
    for (size_t i = 0; ep->pagination && i < COUNT(paged); i++)
        table_claim(&set->diag, symbols,
                    og_printf(set->arena, "%s_%s", ep->name, paged[i]),
                    ep->pos, ep, "C name");
}

static void check_endpoints(og_set *set, name_table *symbols)
{
    name_table names = {0};
    for (size_t i = 0; i < set->endpoint_count; i++) {
        og_endpoint *ep = set->endpoints[i];
        if (!ep->name || !ep->path)
            continue;
        if (!is_plain_identifier(set->arena, ep->name))
            og_error(&set->diag, ep->name_pos,
                     "endpoint name '%s' must be a C identifier", ep->name);
        else if (is_runtime_name(ep->name))
            og_error(&set->diag, ep->name_pos, "endpoint name '%s' would make "
                     "%s_%s, a name of the generated runtime", ep->name,
                     set->bundle, ep->name);
        if (table_claim(&set->diag, &names, ep->name, ep->pos, ep, "endpoint"))
            continue;
        claim_endpoint_structs(set, symbols, ep);
        check_path(set, ep);
        check_path_params(set, ep);
        check_call_keys(set, ep);
        /* A path parameter is part of the address: never optional. */
        for (size_t p = 0; p < ep->path_params.count; p++)
            ep->path_params.items[p].required = true;
        check_fields(set, &ep->path_params, PATH_PARAMS, "path parameter");
        check_fields(set, &ep->query, QUERY_PARAMS, "query parameter");
        check_fields(set, &ep->request_body, JSON_FIELDS, "field");
        check_fields(set, &ep->response_data, JSON_FIELDS, "field");
        for (size_t t = 0; t < ep->type_count; t++)
            check_fields(set, &ep->types[t]->fields, JSON_FIELDS, "field");
        check_pagination(set, ep);
        if (ep->method)
            check_formats(set, ep);
    }
    /* Endpoint X has a function X_with (per-call options): an endpoint
     * named X_with would collide with it. */
    for (size_t i = 0; i < set->endpoint_count; i++) {
        const og_endpoint *ep = set->endpoints[i];
        const seen_name *base;
        size_t n = ep->name ? strlen(ep->name) : 0;
        if (n > 5 && !strcmp(ep->name + n - 5, "_with") &&
            (base = table_find(&names, og_printf(set->arena, "%.*s", (int)(n - 5), ep->name))))
            og_error(&set->diag, ep->name_pos, "endpoint name '%s' collides with "
                     "%s_%s, the per-call-options variant of endpoint '%.*s'",
                     ep->name, set->bundle, ep->name, (int)(n - 5), ep->name);
    }
    og_table_free(&names);
}

static void name_types(og_set *set, name_table *symbols)
{
    for (size_t i = 0; i < set->type_count; i++) {
        og_type *t = set->types[i];
        t->c_name = c_identifier_as(set->arena, t->name, true);
        if (t->c_name && is_runtime_name(t->c_name))
            t->c_name = og_printf(set->arena, "%s_", t->c_name);
        if (!t->c_name)
            og_error(&set->diag, t->pos,
                     "type name '%s' cannot be made a C identifier", t->name);
        else
            table_claim(&set->diag, symbols, t->c_name, t->pos, t, "C name");
    }
    for (size_t e = 0; e < set->endpoint_count; e++)
        for (size_t i = 0; i < set->endpoints[e]->type_count; i++) {
            og_type *t = set->endpoints[e]->types[i];
            if (t->canonical && t->canonical != t)
                t->c_name = t->canonical->c_name;
        }
}

/* ---- nested arrays ---------------------------------------------------------- */

/* The C name (after the bundle prefix) of the list type of `depth` levels
 * over f's element type: string_list, i18n_list_list (view.c names them
 * the same way). */
const char *og_list_name(og_arena *a, const og_field *f, int depth)
{
    static const char *const bases[] = {"string", "int32", "int64", "float",
                                        "bool", "", "json"};
    const char *name = f->kind == OG_OBJECT ? (f->type ? f->type->c_name : NULL)
                                            : bases[f->kind];
    if (!name)
        return NULL;
    for (int i = 0; i < depth; i++)
        name = og_printf(a, "%s_list", name);
    return name;
}

/* An array of arrays holds list structs (a pointer and a count per level
 * below the outer one): their names must be free. */
static void claim_list_names(og_set *set, name_table *symbols, name_table *lists,
                             og_field_list *fl)
{
    for (size_t i = 0; i < fl->count; i++) {
        og_field *f = &fl->items[i];
        for (int d = 1; d < f->array_depth; d++) {
            const char *name = og_list_name(set->arena, f, d);
            if (!name || table_find(lists, name))
                continue;
            table_add(lists, name, f->pos, f);
            if (table_claim(&set->diag, symbols, name, f->pos, f, "C name"))
                og_note(&set->diag, f->pos, "the list type of '%s' (%s) is named %s",
                        f->name, f->type_text, name);
        }
    }
}

static void claim_lists(og_set *set, name_table *symbols)
{
    name_table lists = {0};
    for (size_t e = 0; e < set->endpoint_count; e++) {
        og_endpoint *ep = set->endpoints[e];
        claim_list_names(set, symbols, &lists, &ep->request_body);
        claim_list_names(set, symbols, &lists, &ep->response_data);
    }
    for (size_t i = 0; i < set->type_count; i++)
        claim_list_names(set, symbols, &lists, &set->types[i]->fields);
    og_table_free(&lists);
}

static void gather_enums(og_set *set, name_table *symbols)
{
    enum_owner *list = NULL;
    size_t n = 0, cap = 0;
    for (size_t e = 0; e < set->endpoint_count; e++) {
        og_endpoint *ep = set->endpoints[e];
        collect_enum_fields(&ep->path_params, og_printf(set->arena, "%s_path", ep->name), &list, &n, &cap);
        collect_enum_fields(&ep->query, og_printf(set->arena, "%s_query", ep->name), &list, &n, &cap);
        collect_enum_fields(&ep->request_body, og_printf(set->arena, "%s_body", ep->name), &list, &n, &cap);
        collect_enum_fields(&ep->response_data, og_printf(set->arena, "%s_data", ep->name), &list, &n, &cap);
    }
    for (size_t i = 0; i < set->type_count; i++)
        collect_enum_fields(&set->types[i]->fields, set->types[i]->c_name, &list, &n, &cap);
    name_enums(set, list, n, symbols);
    free(list);
}

/* ---- function names ----------------------------------------------------- */

/* prefix_base + suffix in the arena: og_printf without parsing a format,
 * for the hundred names an endpoint makes here. */
static char *full_name(og_arena *a, const char *prefix, const char *base,
                       const char *suffix)
{
    size_t n1 = strlen(prefix), n2 = strlen(base), n3 = strlen(suffix);
    char *s = og_alloc(a, n1 + n2 + n3 + 2);
    memcpy(s, prefix, n1);
    s[n1] = '_';
    memcpy(s + n1 + 1, base, n2);
    memcpy(s + n1 + 1 + n2, suffix, n3 + 1);
    return s;
}

/* Adds base + each suffix (full C names), remembering what they belong to. */
static void add_names(og_set *set, name_table *t, const char *base,
                      const char *const *suffixes, size_t n, og_pos pos,
                      const char *what)
{
    for (size_t i = 0; i < n; i++)
        table_add(t, full_name(set->arena, set->bundle, base, suffixes[i]), pos, what);
}

static void add_enum_names(og_set *set, name_table *t, const og_field_list *fl)
{
    static const char *const fns[] = {"_t", "_to_string", "_from_string",
                                      "_is_known", "_values"};
    for (size_t i = 0; i < fl->count; i++) {
        const og_field *f = &fl->items[i];
        if (!f->enum_c_type)
            continue;
        const char *what = og_printf(set->arena, "the enum of field '%s'", f->name);
        add_names(set, t, f->enum_c_type + strlen(set->bundle) + 1, fns, COUNT(fns),
                  f->pos, what);
        for (size_t k = 0; k < f->enum_count; k++)
            table_add(t, f->enums[k].c_name, f->enums[k].pos, what);
    }
}

/* An endpoint's function is <bundle>_<name>, without a suffix, so it could
 * be a name the generated code gives to something else (endpoint
 * `item_free`, type `item`). And the <struct>_init_zero macros must not
 * name a struct or enum (types `item` and `item_init_zero`). */
static void check_function_names(og_set *set, const name_table *symbols)
{
    static const char *const struct_fns[] = {
        "_t", "_from_json", "_parse", "_to_json", "_print", "_validate",
        "_clear", "_free", "_init_zero", "_clear_", "_read_", "_write_", "_check_"};
    static const char *const parts[] = {"_path", "_query", "_body", "_data"};
    static const char *const endpoint_fns[] = {"_request_t", "_request_validate",
                                               "_from_json_"};
    static const char *const page_fns[] = {"_pages_t", "_pages_new", "_pages_next",
                                           "_pages_next_with", "_pages_free", "_all",
                                           "_all_with", "_items_free"};
    name_table names = {0};
    for (size_t i = 0; i < set->type_count; i++) {
        og_type *t = set->types[i];
        if (!t->c_name)
            continue;
        add_names(set, &names, t->c_name, struct_fns, COUNT(struct_fns), t->pos,
                  og_printf(set->arena, "type '%s'", t->name));
        add_enum_names(set, &names, &t->fields);
    }
    for (size_t e = 0; e < set->endpoint_count; e++) {
        og_endpoint *ep = set->endpoints[e];
        if (!ep->name)
            continue;
        const char *what = og_printf(set->arena, "endpoint '%s'", ep->name);
        add_names(set, &names, ep->name, endpoint_fns, COUNT(endpoint_fns),
                  ep->name_pos, what);
        if (ep->pagination)
            add_names(set, &names, ep->name, page_fns, COUNT(page_fns),
                      ep->name_pos, what);
        for (size_t i = 0; i < COUNT(parts); i++)
            add_names(set, &names, og_printf(set->arena, "%s%s", ep->name, parts[i]),
                      struct_fns, COUNT(struct_fns), ep->name_pos, what);
        add_enum_names(set, &names, &ep->path_params);
        add_enum_names(set, &names, &ep->query);
        add_enum_names(set, &names, &ep->request_body);
        add_enum_names(set, &names, &ep->response_data);
    }
    for (size_t e = 0; e < set->endpoint_count; e++) {
        og_endpoint *ep = set->endpoints[e];
        if (!ep->name)
            continue;
        const char *fn = og_printf(set->arena, "%s_%s", set->bundle, ep->name);
        const seen_name *prev = table_find(&names, fn);
        if (!prev)
            continue;
        og_error(&set->diag, ep->name_pos, "endpoint name '%s' would make the "
                 "function %s, a name the generated code also gives to %s",
                 ep->name, fn, (const char *)prev->what);
        og_note(&set->diag, prev->pos, "previously defined here");
    }
    for (size_t i = 0; i < names.count; i++) {
        const char *macro = names.items[i].name;
        size_t n = strlen(macro), m = strlen(set->bundle) + 1;
        if (n < m + 10 || strcmp(macro + n - 10, "_init_zero"))
            continue;
        const seen_name *clash = table_find(symbols, macro + m);
        if (clash) {
            og_error(&set->diag, clash->pos, "C name '%s' is the initialiser "
                     "macro %s of %s", macro + m, macro,
                     (const char *)names.items[i].what);
            og_note(&set->diag, names.items[i].pos, "previously defined here");
        }
    }
    og_table_free(&names);
}

int og_model_check(og_set *set)
{
    int before = set->diag.errors;
    name_table types = {0}, symbols = {0};
    check_bundle(set);
    if (!set->bundle)
        set->bundle = "api";
    for (size_t e = 0; e < set->endpoint_count; e++) {
        og_endpoint *ep = set->endpoints[e];
        resolve_fields(set, ep, &ep->path_params);
        resolve_fields(set, ep, &ep->query);
        resolve_fields(set, ep, &ep->request_body);
        resolve_fields(set, ep, &ep->response_data);
        for (size_t t = 0; t < ep->type_count; t++)
            resolve_fields(set, ep, &ep->types[t]->fields);
    }
    collect_types(set, &types);
    order_types(set, &types);
    check_endpoints(set, &symbols);
    name_types(set, &symbols);
    if (set->diag.errors == before)
        claim_lists(set, &symbols);
    if (set->diag.errors == before)
        gather_enums(set, &symbols);
    if (set->diag.errors == before)
        check_function_names(set, &symbols);
    og_table_free(&types);
    og_table_free(&symbols);
    return set->diag.errors - before;
}
