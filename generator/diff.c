/* diff.c - compare two checked spec sets and classify every change.
 *
 * A change is BREAKING when a caller written against the old set may stop
 * compiling (a struct member or constant of the generated client goes away
 * or changes type) or may see the server reject a request that used to be
 * accepted. Which side a field is on matters: a restriction on what the
 * caller sends (a new required field, a narrower range) breaks, the same
 * restriction on what the server returns is only a stronger promise.
 * Compatible changes that can still change who may call an endpoint, how
 * often, or what the server does are marked "notable".
 *
 * Endpoints are matched by name and fields by wire name, so a rename shows
 * as a removal and an addition. Named types are compared where they are
 * used: a change to a type shared by the request and the response is
 * listed once per use path, classified for that side.
 *
 * Order: endpoints in the new set's order, then the removed ones in the old
 * set's order; within a field list likewise. Positions are in the new files,
 * and in the old files only for what the new set no longer has.
 */
#include "oapigen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum severity { COMPATIBLE, NOTABLE, BREAKING } severity;

static const char *const severity_text[] = {
    [COMPATIBLE] = "compatible",
    [NOTABLE] = "compatible, notable",
    [BREAKING] = "BREAKING",
};

typedef struct differ {
    og_buf *out;
    og_arena *arena;        /* short-lived text: ranges, "what" labels */
    og_buf path;            /* "request_body.custom_fields[].value" */
    const char *endpoint;
    bool request;           /* the fields compared now are sent by the caller */
    int counts[3];          /* by severity */
} differ;

/* ---- output --------------------------------------------------------------- */

static void buf_vappend(og_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = malloc((size_t)n + 1);
    if (!s)
        abort();
    vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    og_buf_append(b, s, (size_t)n);
    free(s);
}

/* One line: "file:line:col: endpoint: path: message (severity)". */
static void change(differ *d, og_pos pos, severity s, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void change(differ *d, og_pos pos, severity s, const char *fmt, ...)
{
    va_list ap;
    if (pos.file)
        og_buf_printf(d->out, "%s:%d:%d: ", pos.file, pos.line, pos.col);
    og_buf_printf(d->out, "%s: ", d->endpoint);
    if (d->path.len)
        og_buf_printf(d->out, "%s: ", d->path.data);
    va_start(ap, fmt);
    buf_vappend(d->out, fmt, ap);
    va_end(ap);
    og_buf_printf(d->out, " (%s)\n", severity_text[s]);
    d->counts[s]++;
}

static void summary(differ *d)
{
    int breaking = d->counts[BREAKING];
    int compatible = d->counts[COMPATIBLE] + d->counts[NOTABLE];
    int total = breaking + compatible;
    if (!total) {
        og_buf_puts(d->out, "no changes\n");
        return;
    }
    og_buf_printf(d->out, "%d change%s: %d breaking, %d compatible", total,
                  total == 1 ? "" : "s", breaking, compatible);
    if (d->counts[NOTABLE])
        og_buf_printf(d->out, " (%d notable)", d->counts[NOTABLE]);
    og_buf_puts(d->out, "\n");
}

/* The field path grows while walking down and is cut back on the way up. */
static size_t path_push(differ *d, const char *a, const char *b)
{
    size_t mark = d->path.len;
    og_buf_puts(&d->path, a);
    og_buf_puts(&d->path, b);
    return mark;
}

static void path_pop(differ *d, size_t mark)
{
    d->path.len = mark;
    if (d->path.data)
        d->path.data[mark] = '\0';
}

/* ---- small comparisons ---------------------------------------------------- */

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static const char *or_none(const char *s)
{
    return s ? s : "none";
}

/* Request side breaks, response side does not. */
static severity on_request(const differ *d)
{
    return d->request ? BREAKING : COMPATIBLE;
}

/* Prose: only that it changed is worth a line. */
static void diff_text(differ *d, og_pos pos, const char *what, const char *a,
                      const char *b)
{
    if (!same(a, b))
        change(d, pos, COMPATIBLE, "%s %s", what,
               !a ? "added" : !b ? "removed" : "changed");
}

/* Short values (dates, examples): show both. */
static void diff_value(differ *d, og_pos pos, severity s, const char *what,
                       const char *a, const char *b)
{
    if (!same(a, b))
        change(d, pos, s, "%s changed from %s to %s", what, or_none(a), or_none(b));
}

static void diff_flag(differ *d, og_pos pos, severity when_added,
                      const char *what, bool a, bool b)
{
    if (a != b)
        change(d, pos, b ? when_added : COMPATIBLE, "%s %s", what,
               b ? "added" : "removed");
}

/* Lists of permissions (app types, tokens): any one suffices, so an added
 * one lets more callers in and a removed one may shut some out. */
static bool has_string(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (same(list[i], s))
            return true;
    return false;
}

static void diff_strings(differ *d, og_pos pos, const char *what,
                         const char *const *a, size_t na,
                         const char *const *b, size_t nb)
{
    for (size_t i = 0; i < nb; i++)
        if (!has_string(a, na, b[i]))
            change(d, pos, COMPATIBLE, "%s '%s' added", what, b[i]);
    for (size_t i = 0; i < na; i++)
        if (!has_string(b, nb, a[i]))
            change(d, pos, NOTABLE, "%s '%s' removed", what, a[i]);
}

static const og_scope *find_scope(const og_scope *list, size_t n,
                                  const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (same(list[i].name, name))
            return &list[i];
    return NULL;
}

static void diff_scopes(differ *d, og_pos pos, const char *what,
                        const og_scope *a, size_t na,
                        const og_scope *b, size_t nb)
{
    for (size_t i = 0; i < nb; i++) {
        const og_scope *old = find_scope(a, na, b[i].name);
        if (!old)
            change(d, pos, COMPATIBLE, "%s '%s' added", what, b[i].name);
        else if (!same(old->title, b[i].title))
            change(d, pos, COMPATIBLE, "%s '%s' title changed", what, b[i].name);
    }
    for (size_t i = 0; i < na; i++)
        if (!find_scope(b, nb, a[i].name))
            change(d, pos, NOTABLE, "%s '%s' removed", what, a[i].name);
}

/* ---- value rules ---------------------------------------------------------- */

typedef struct bounds {
    bool has_min, has_max;
    double min, max;
} bounds;

static bounds range_of(const og_field *f)
{
    return (bounds){f->has_min, f->has_max, f->min, f->max};
}

static bounds length_of(const og_field *f)
{
    return (bounds){f->has_min_length, f->has_max_length,
                    (double)f->min_length, (double)f->max_length};
}

/* Does a accept every value b accepts? */
static bool covers(bounds a, bounds b)
{
    return (!a.has_min || (b.has_min && b.min >= a.min)) &&
           (!a.has_max || (b.has_max && b.max <= a.max));
}

/* "0..100", "1..", "..500" or "none". */
static const char *bounds_text(differ *d, bounds b)
{
    if (!b.has_min && !b.has_max)
        return "none";
    return og_printf(d->arena, "%s..%s",
                     b.has_min ? og_printf(d->arena, "%.15g", b.min) : "",
                     b.has_max ? og_printf(d->arena, "%.15g", b.max) : "");
}

static void diff_bounds(differ *d, og_pos pos, const char *what, bounds a,
                        bounds b)
{
    if (covers(a, b) && covers(b, a))
        return;
    const char *how = covers(b, a) ? "widened" : covers(a, b) ? "narrowed" : "changed";
    change(d, pos, covers(b, a) ? COMPATIBLE : on_request(d), "%s %s from %s to %s",
           what, how, bounds_text(d, a), bounds_text(d, b));
}

static const og_enum_value *find_enum_value(const og_field *f, const char *value)
{
    for (size_t i = 0; i < f->enum_count; i++)
        if (same(f->enums[i].value, value))
            return &f->enums[i];
    return NULL;
}

static void diff_enum_value(differ *d, const og_enum_value *a,
                            const og_enum_value *b)
{
    const char *what = og_printf(d->arena, "enum value '%s'", b->value);
    diff_text(d, b->pos, og_printf(d->arena, "%s description", what),
              a->description, b->description);
    diff_scopes(d, b->pos, og_printf(d->arena, "%s scope", what), a->scopes,
                a->scope_count, b->scopes, b->scope_count);
}

/* An enum on a response field may lose values without breaking the wire,
 * but its generated constant goes away: notable. */
static void diff_enums(differ *d, const og_field *f, const og_field *g)
{
    if (!f->enum_count != !g->enum_count) {
        change(d, g->pos, g->enum_count ? on_request(d) : COMPATIBLE, "enum %s",
               g->enum_count ? "added" : "removed");
        return;
    }
    for (size_t i = 0; i < g->enum_count; i++) {
        const og_enum_value *old = find_enum_value(f, g->enums[i].value);
        if (!old)
            change(d, g->enums[i].pos, COMPATIBLE, "enum value '%s' added",
                   g->enums[i].value);
        else
            diff_enum_value(d, old, &g->enums[i]);
    }
    for (size_t i = 0; i < f->enum_count; i++)
        if (!find_enum_value(g, f->enums[i].value))
            change(d, g->pos, d->request ? BREAKING : NOTABLE,
                   "enum value '%s' removed", f->enums[i].value);
}

static const char *condition_text(differ *d, const og_field *f)
{
    return f->required_if_field
        ? og_printf(d->arena, "%s = %s", f->required_if_field, f->required_if_json)
        : NULL;
}

static void diff_required_if(differ *d, const og_field *f, const og_field *g)
{
    const char *a = condition_text(d, f), *b = condition_text(d, g);
    if (same(a, b))
        return;
    if (!a)
        change(d, g->required_if_pos, on_request(d), "required_if added (%s)", b);
    else if (!b)
        change(d, g->pos, COMPATIBLE, "required_if removed (%s)", a);
    else
        change(d, g->required_if_pos, on_request(d),
               "required_if changed from (%s) to (%s)", a, b);
}

/* ---- fields --------------------------------------------------------------- */

static void diff_fields(differ *d, const og_field_list *a, const og_field_list *b);

static void diff_required(differ *d, const og_field *f, const og_field *g)
{
    if (f->required != g->required)
        change(d, g->pos, g->required ? on_request(d) : COMPATIBLE,
               "changed from %s", g->required ? "optional to required"
                                              : "required to optional");
}

static void diff_format(differ *d, const og_field *f, const og_field *g)
{
    if (same(f->format, g->format))
        return;
    if (!g->format)
        change(d, g->pos, COMPATIBLE, "format %s removed", f->format);
    else if (!f->format)
        change(d, g->pos, on_request(d), "format %s added", g->format);
    else
        change(d, g->pos, on_request(d), "format changed from %s to %s", f->format,
               g->format);
}

/* What restricts or describes the value; meaningless across a type change. */
static void diff_value_rules(differ *d, const og_field *f, const og_field *g)
{
    diff_enums(d, f, g);
    diff_bounds(d, g->pos, "range", range_of(f), range_of(g));
    diff_bounds(d, g->pos, "length", length_of(f), length_of(g));
    diff_format(d, f, g);
    diff_flag(d, g->pos, on_request(d), "non_empty", f->non_empty, g->non_empty);
    /* The server fills in a default: a new one changes what it does. */
    diff_value(d, g->pos, NOTABLE, "default", f->default_json, g->default_json);
    diff_value(d, g->pos, COMPATIBLE, "example", f->example_json, g->example_json);
}

/* A field of object type: walk into its type, same name on both sides. */
static void diff_type(differ *d, const og_field *f, const og_field *g)
{
    if (!f->type || !g->type)
        return;
    diff_text(d, g->type->pos, og_printf(d->arena, "type %s description", g->type->name),
              f->type->description, g->type->description);
    size_t mark = path_push(d, g->is_array ? "[]" : "", "");
    diff_fields(d, &f->type->fields, &g->type->fields);
    path_pop(d, mark);
}

/* Whether f and g hold object types under other names but with the same
 * array depth: a renamed type (the importer names a type per shape,
 * enum -> enum_resp), compared where it is used rather than by name. */
static bool type_renamed(const og_field *f, const og_field *g)
{
    if (!f->type || !g->type || same(f->type_text, g->type_text))
        return false;
    size_t a = strlen(f->type_text), b = strlen(g->type_text);
    size_t da = a - strlen(f->type->name), db = b - strlen(g->type->name);
    return da == db;
}

static void diff_field(differ *d, const og_field *f, const og_field *g)
{
    bool renamed = type_renamed(f, g);
    bool retyped = !renamed && !same(f->type_text, g->type_text);
    if (renamed)
        change(d, g->type_pos, BREAKING, "type renamed from %s to %s (the fields are "
               "compared where used)", f->type->name, g->type->name);
    if (retyped)
        change(d, g->type_pos, BREAKING, "type changed from %s to %s",
               f->type_text, g->type_text);
    diff_required(d, f, g);
    diff_required_if(d, f, g);
    if (!retyped)
        diff_value_rules(d, f, g);
    diff_text(d, g->pos, "description", f->description, g->description);
    diff_flag(d, g->pos, COMPATIBLE, "idempotency_key", f->idempotency_key,
              g->idempotency_key);
    diff_scopes(d, g->pos, "scope", f->scopes, f->scope_count, g->scopes,
                g->scope_count);
    if (!retyped)
        diff_type(d, f, g);
}

/* A new field breaks a request only when callers must now set it. */
static void field_added(differ *d, const og_field *g)
{
    if (d->request && g->required)
        change(d, g->pos, BREAKING, "added, required");
    else if (d->request && g->required_if_field)
        change(d, g->pos, BREAKING, "added, required if %s", condition_text(d, g));
    else
        change(d, g->pos, COMPATIBLE, "added");
}

static const og_field *find_field(const og_field_list *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (same(l->items[i].name, name))
            return &l->items[i];
    return NULL;
}

static void diff_fields(differ *d, const og_field_list *a, const og_field_list *b)
{
    for (size_t i = 0; i < b->count; i++) {
        const og_field *g = &b->items[i];
        const og_field *f = find_field(a, g->name);
        size_t mark = path_push(d, ".", g->name);
        if (f)
            diff_field(d, f, g);
        else
            field_added(d, g);
        path_pop(d, mark);
    }
    for (size_t i = 0; i < a->count; i++) {
        const og_field *f = &a->items[i];
        if (find_field(b, f->name))
            continue;
        size_t mark = path_push(d, ".", f->name);
        change(d, f->pos, BREAKING, "removed");
        path_pop(d, mark);
    }
}

static void diff_list(differ *d, const char *name, bool request,
                      const og_field_list *a, const og_field_list *b)
{
    size_t mark = path_push(d, name, "");
    d->request = request;
    diff_fields(d, a, b);
    path_pop(d, mark);
}

/* ---- endpoints ------------------------------------------------------------ */

/* "100/minute", "1000/minute + 50/second", "special", "none". */
static const char *rate_text(differ *d, const og_endpoint *ep)
{
    if (ep->rate_special)
        return "special";
    if (!ep->rate_limit_count)
        return "none";
    const char *text = "";
    for (size_t i = 0; i < ep->rate_limit_count; i++)
        text = og_printf(d->arena, "%s%s%ld/%s", text, i ? " + " : "",
                         ep->rate_limits[i].count, or_none(ep->rate_limits[i].per));
    return text;
}

static const og_error_code *find_error(const og_endpoint *ep, long code)
{
    for (size_t i = 0; i < ep->error_count; i++)
        if (ep->errors[i].code == code)
            return &ep->errors[i];
    return NULL;
}

static void diff_errors(differ *d, const og_endpoint *e, const og_endpoint *n)
{
    for (size_t i = 0; i < n->error_count; i++) {
        const og_error_code *b = &n->errors[i], *a = find_error(e, b->code);
        if (!a)
            change(d, b->pos, COMPATIBLE, "error %ld added", b->code);
        else if (a->http_status != b->http_status || !same(a->message, b->message) ||
                 !same(a->advice, b->advice))
            change(d, b->pos, COMPATIBLE, "error %ld changed", b->code);
    }
    for (size_t i = 0; i < e->error_count; i++)
        if (!find_error(n, e->errors[i].code))
            change(d, n->pos, COMPATIBLE, "error %ld removed", e->errors[i].code);
}

/* What the generated function is called with and where it sends it. */
static void diff_address(differ *d, const og_endpoint *e, const og_endpoint *n)
{
    diff_value(d, n->bundle_pos, BREAKING, "bundle", e->bundle, n->bundle);
    diff_value(d, n->pos, BREAKING, "method", e->method, n->method);
    diff_value(d, n->path_pos, BREAKING, "path", e->path, n->path);
}

static void diff_docs(differ *d, const og_endpoint *e, const og_endpoint *n)
{
    diff_text(d, n->pos, "summary", e->summary, n->summary);
    diff_text(d, n->pos, "description", e->description, n->description);
    diff_text(d, n->pos, "doc.url", e->doc_url, n->doc_url);
    diff_value(d, n->pos, COMPATIBLE, "doc.updated", e->doc_updated, n->doc_updated);
}

static void diff_access(differ *d, const og_endpoint *e, const og_endpoint *n)
{
    diff_value(d, n->pos, NOTABLE, "rate limit", rate_text(d, e), rate_text(d, n));
    diff_strings(d, n->pos, "app type", e->app_types, e->app_type_count,
                 n->app_types, n->app_type_count);
    diff_strings(d, n->pos, "access token", e->access_tokens, e->access_token_count,
                 n->access_tokens, n->access_token_count);
    diff_scopes(d, n->pos, "scope", e->scopes, e->scope_count, n->scopes,
                n->scope_count);
    diff_scopes(d, n->pos, "field scope", e->field_scopes, e->field_scope_count,
                n->field_scopes, n->field_scope_count);
}

/* The generated request has a body member only when request_body is there. */
static void diff_body_presence(differ *d, const og_endpoint *e, const og_endpoint *n)
{
    bool a = e->request_body.present, b = n->request_body.present;
    if (a != b)
        change(d, n->pos, b ? COMPATIBLE : BREAKING, "request_body %s",
               b ? "added" : "removed");
}

/* pagination: the paging functions come and go with it; which fields it
 * names changes how pages are walked, and a changed `items` may change the
 * element type that _all returns. */
static void diff_page_ref(differ *d, og_pos pos, const char *key, severity s,
                          const og_page_ref *a, const og_page_ref *b)
{
    const char *what = og_printf(d->arena, "pagination %s", key);
    diff_value(d, b->name ? b->pos : pos, s, what, a->name, b->name);
}

static void diff_pagination(differ *d, const og_endpoint *e, const og_endpoint *n)
{
    const og_pagination *a = e->pagination, *b = n->pagination;
    if (!a || !b) {
        if (a != b)
            change(d, b ? b->pos : n->pos, b ? COMPATIBLE : BREAKING,
                   "pagination %s", b ? "added" : "removed");
        return;
    }
    diff_page_ref(d, b->pos, "page_token", NOTABLE, &a->page_token, &b->page_token);
    diff_page_ref(d, b->pos, "page_size", NOTABLE, &a->page_size, &b->page_size);
    diff_page_ref(d, b->pos, "next_token", NOTABLE, &a->next_token, &b->next_token);
    diff_page_ref(d, b->pos, "has_more", NOTABLE, &a->has_more, &b->has_more);
    diff_page_ref(d, b->pos, "items", BREAKING, &a->items, &b->items);
}

static const char *format_of(const og_endpoint *ep)
{
    return ep->response_format ? ep->response_format : "json";
}

/* How the generated function hands over data (its out type) and whether a
 * failed POST is sent again. */
static void diff_call(differ *d, const og_endpoint *e, const og_endpoint *n)
{
    og_pos fp = n->response_format_pos.line ? n->response_format_pos : n->pos;
    og_pos rp = n->retry_safe_pos.line ? n->retry_safe_pos : n->pos;
    diff_value(d, fp, BREAKING, "response_format", format_of(e), format_of(n));
    diff_flag(d, rp, NOTABLE, "retry_safe", e->retry_safe, n->retry_safe);
}

static void diff_endpoint(differ *d, const og_endpoint *e, const og_endpoint *n)
{
    diff_address(d, e, n);
    diff_call(d, e, n);
    diff_docs(d, e, n);
    diff_access(d, e, n);
    diff_body_presence(d, e, n);
    diff_list(d, "path_params", true, &e->path_params, &n->path_params);
    diff_list(d, "query", true, &e->query, &n->query);
    diff_list(d, "request_body", true, &e->request_body, &n->request_body);
    diff_list(d, "response_data", false, &e->response_data, &n->response_data);
    diff_pagination(d, e, n);
    diff_errors(d, e, n);
    diff_text(d, n->pos, "request example", e->request_example, n->request_example);
    diff_text(d, n->pos, "response example", e->response_example, n->response_example);
}

static const og_endpoint *find_endpoint(const og_set *set, const char *name)
{
    for (size_t i = 0; i < set->endpoint_count; i++)
        if (same(set->endpoints[i]->name, name))
            return set->endpoints[i];
    return NULL;
}

int og_diff(const og_set *old_set, const og_set *new_set, og_buf *out)
{
    differ d = {.out = out, .arena = og_arena_new()};
    for (size_t i = 0; i < new_set->endpoint_count; i++) {
        const og_endpoint *n = new_set->endpoints[i];
        const og_endpoint *e = find_endpoint(old_set, n->name);
        d.endpoint = n->name;
        if (e)
            diff_endpoint(&d, e, n);
        else
            change(&d, n->name_pos, COMPATIBLE, "endpoint added");
    }
    for (size_t i = 0; i < old_set->endpoint_count; i++) {
        const og_endpoint *e = old_set->endpoints[i];
        d.endpoint = e->name;
        if (!find_endpoint(new_set, e->name))
            change(&d, e->name_pos, BREAKING, "endpoint removed");
    }
    summary(&d);
    og_buf_free(&d.path);
    og_arena_free(d.arena);
    return d.counts[BREAKING];
}
