/* spec_load.c - YAML spec files -> model, with source marks.
 *
 * libyaml's document API gives a node tree with marks; this file walks it
 * with one table of known keys per kind of mapping, so an unknown or
 * duplicated key, a missing required key and a value of the wrong shape are
 * each reported at their place. Only syntax and value shapes are checked
 * here; what needs the whole set (type names, siblings, C names) is model.c.
 */
#include "oapigen.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

typedef struct loader {
    og_set *set;
    const char *file;
    yaml_document_t doc;
    unsigned char *visited;     /* per node: refuses aliases (shared nodes) */
    size_t node_count;
} loader;

/* A field's kind-dependent values wait until its type is known. */
typedef struct field_nodes {
    yaml_node_t *example, *def, *enums;
} field_nodes;

typedef void (*key_fn)(loader *L, yaml_node_t *value, void *obj);

typedef struct key_rule {
    const char *key;
    key_fn read;
    bool required;
} key_rule;

/* ---- nodes and scalars -------------------------------------------------- */

static og_pos mark_pos(const loader *L, yaml_mark_t m)
{
    return (og_pos){L->file, (int)m.line + 1, (int)m.column + 1};
}

static og_pos node_pos(const loader *L, const yaml_node_t *n)
{
    return mark_pos(L, n->start_mark);
}

/* Every node is fetched here: aliases (shared nodes) and scalars holding a
 * NUL ("\0" in a quoted scalar), which C strings would silently cut short,
 * are refused. */
static yaml_node_t *node_at(loader *L, int index)
{
    yaml_node_t *n = yaml_document_get_node(&L->doc, index);
    size_t slot = (size_t)(index - 1);
    if (n && slot < L->node_count) {
        if (L->visited[slot]) {
            og_error(&L->set->diag, node_pos(L, n),
                     "aliases are not supported in specs");
            return NULL;
        }
        L->visited[slot] = 1;
    }
    if (n && n->type == YAML_SCALAR_NODE &&
        strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
        og_error(&L->set->diag, node_pos(L, n),
                 "a scalar must not contain a NUL character");
        return NULL;
    }
    return n;
}

static const char *node_kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

static bool expect_kind(loader *L, yaml_node_t *n, yaml_node_type_t type,
                        const char *what)
{
    if (n->type == type)
        return true;
    const char *want = type == YAML_SCALAR_NODE ? "a scalar"
                     : type == YAML_SEQUENCE_NODE ? "a list" : "a mapping";
    og_error(&L->set->diag, node_pos(L, n), "%s must be %s, not %s", what,
             want, node_kind_name(n));
    return false;
}

static const char *scalar_text(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static bool is_plain(const yaml_node_t *n)
{
    return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* A plain `~`, `null` or empty scalar: YAML's null. */
static bool is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || !is_plain(n))
        return false;
    const char *s = scalar_text(n);
    return !*s || !strcmp(s, "~") || !strcmp(s, "null");
}

static const char *read_string(loader *L, yaml_node_t *n, const char *what)
{
    if (!expect_kind(L, n, YAML_SCALAR_NODE, what))
        return NULL;
    return og_strndup(L->set->arena, scalar_text(n), n->data.scalar.length);
}

static bool parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return false;
    *out = v;
    return true;
}

static bool read_long(loader *L, yaml_node_t *n, const char *what, long *out)
{
    if (!expect_kind(L, n, YAML_SCALAR_NODE, what))
        return false;
    if (is_plain(n) && parse_long(scalar_text(n), out))
        return true;
    og_error(&L->set->diag, node_pos(L, n), "%s must be an integer, not '%s'",
             what, scalar_text(n));
    return false;
}

/* A JSON number literal, which is also what YAML calls a number here. */
static bool is_json_number(const char *s)
{
    cJSON *j = cJSON_ParseWithOpts(s, NULL, true);
    bool ok = j && cJSON_IsNumber(j) && s[0] != ' ';
    cJSON_Delete(j);
    return ok;
}

/* A number that a double holds: 1e999 is infinite, which generated C (and
 * JSON) cannot spell. */
static bool is_finite_number(const char *s)
{
    return is_json_number(s) && isfinite(strtod(s, NULL));
}

static bool read_double(loader *L, yaml_node_t *n, const char *what, double *out)
{
    if (!expect_kind(L, n, YAML_SCALAR_NODE, what))
        return false;
    if (is_plain(n) && is_finite_number(scalar_text(n))) {
        *out = strtod(scalar_text(n), NULL);
        return true;
    }
    og_error(&L->set->diag, node_pos(L, n), "%s must be a %snumber, not '%s'", what,
             is_plain(n) && is_json_number(scalar_text(n)) ? "finite " : "",
             scalar_text(n));
    return false;
}

static bool read_bool(loader *L, yaml_node_t *n, const char *what, bool *out)
{
    if (!expect_kind(L, n, YAML_SCALAR_NODE, what))
        return false;
    const char *s = scalar_text(n);
    if (is_plain(n) && (!strcmp(s, "true") || !strcmp(s, "false"))) {
        *out = s[0] == 't';
        return true;
    }
    og_error(&L->set->diag, node_pos(L, n),
             "%s must be true or false, not '%s'", what, s);
    return false;
}

/* ---- mappings and lists ------------------------------------------------- */

/* Walks a mapping, dispatching each key to its rule; reports unknown,
 * duplicated and missing required keys. */
static void read_mapping(loader *L, yaml_node_t *map, const key_rule *rules,
                         size_t nrules, void *obj, const char *what)
{
    if (!expect_kind(L, map, YAML_MAPPING_NODE, what))
        return;
    yaml_node_t *seen[32] = {0};
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
        if (!k || !expect_kind(L, k, YAML_SCALAR_NODE, "a key"))
            continue;
        size_t i = 0;
        while (i < nrules && strcmp(rules[i].key, scalar_text(k)))
            i++;
        if (i == nrules) {
            og_error(&L->set->diag, node_pos(L, k), "unknown key '%s' in %s",
                     scalar_text(k), what);
        } else if (seen[i]) {
            og_error(&L->set->diag, node_pos(L, k), "duplicate key '%s' in %s",
                     rules[i].key, what);
            og_note(&L->set->diag, node_pos(L, seen[i]),
                    "previously defined here");
        } else {
            seen[i] = k;    /* even when the value was refused: no follow-on error */
            if (v)
                rules[i].read(L, v, obj);
        }
    }
    for (size_t i = 0; i < nrules; i++)
        if (rules[i].required && !seen[i])
            og_error(&L->set->diag, node_pos(L, map),
                     "%s is missing the required key '%s'", what, rules[i].key);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static size_t seq_len(yaml_node_t *n)
{
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *seq_item(loader *L, yaml_node_t *n, size_t i)
{
    return node_at(L, n->data.sequence.items.start[i]);
}

static const char **read_string_list(loader *L, yaml_node_t *n,
                                     const char *what, size_t *count)
{
    *count = 0;
    if (!expect_kind(L, n, YAML_SEQUENCE_NODE, what))
        return NULL;
    const char **items = og_alloc(L->set->arena, (seq_len(n) + 1) * sizeof *items);
    for (size_t i = 0; i < seq_len(n); i++) {
        yaml_node_t *item = seq_item(L, n, i);
        const char *s = item ? read_string(L, item, what) : NULL;
        if (s)
            items[(*count)++] = s;
    }
    return items;
}

/* ---- scopes ------------------------------------------------------------- */

static void scope_name(loader *L, yaml_node_t *v, void *o)
{
    ((og_scope *)o)->name = read_string(L, v, "scope name");
}

static void scope_title(loader *L, yaml_node_t *v, void *o)
{
    ((og_scope *)o)->title = read_string(L, v, "scope title");
}

static const key_rule scope_rules[] = {
    {"name", scope_name, true},
    {"title", scope_title, false},
};

static og_scope *read_scopes(loader *L, yaml_node_t *n, size_t *count)
{
    *count = 0;
    if (!expect_kind(L, n, YAML_SEQUENCE_NODE, "scopes"))
        return NULL;
    og_scope *scopes = og_alloc(L->set->arena, (seq_len(n) + 1) * sizeof *scopes);
    for (size_t i = 0; i < seq_len(n); i++) {
        yaml_node_t *item = seq_item(L, n, i);
        if (item)
            read_mapping(L, item, scope_rules, COUNT(scope_rules),
                         &scopes[(*count)++], "a scope");
    }
    return scopes;
}

/* ---- fields ------------------------------------------------------------- */

typedef struct field_reading {
    og_field *f;
    field_nodes nodes;
} field_reading;

#define FIELD(o) (((field_reading *)(o))->f)
#define NODES(o) (&((field_reading *)(o))->nodes)

static void field_name(loader *L, yaml_node_t *v, void *o)
{
    FIELD(o)->name = read_string(L, v, "field name");
}

static void field_type(loader *L, yaml_node_t *v, void *o)
{
    FIELD(o)->type_text = read_string(L, v, "field type");
    FIELD(o)->type_pos = node_pos(L, v);
}

static void field_required(loader *L, yaml_node_t *v, void *o)
{
    read_bool(L, v, "required", &FIELD(o)->required);
}

static void field_description(loader *L, yaml_node_t *v, void *o)
{
    FIELD(o)->description = read_string(L, v, "description");
}

static void field_example(loader *L, yaml_node_t *v, void *o)
{
    (void)L;
    NODES(o)->example = v;
}

static void field_default(loader *L, yaml_node_t *v, void *o)
{
    (void)L;
    NODES(o)->def = v;
}

static void field_enum(loader *L, yaml_node_t *v, void *o)
{
    (void)L;
    NODES(o)->enums = v;
}

static void range_min(loader *L, yaml_node_t *v, void *o)
{
    og_field *f = o;
    f->has_min = read_double(L, v, "range min", &f->min);
}

static void range_max(loader *L, yaml_node_t *v, void *o)
{
    og_field *f = o;
    f->has_max = read_double(L, v, "range max", &f->max);
}

static void field_range(loader *L, yaml_node_t *v, void *o)
{
    static const key_rule rules[] = {{"min", range_min, false},
                                     {"max", range_max, false}};
    read_mapping(L, v, rules, COUNT(rules), FIELD(o), "range");
}

static void length_min(loader *L, yaml_node_t *v, void *o)
{
    og_field *f = o;
    f->has_min_length = read_long(L, v, "length min", &f->min_length);
}

static void length_max(loader *L, yaml_node_t *v, void *o)
{
    og_field *f = o;
    f->has_max_length = read_long(L, v, "length max", &f->max_length);
}

static void field_length(loader *L, yaml_node_t *v, void *o)
{
    static const key_rule rules[] = {{"min", length_min, false},
                                     {"max", length_max, false}};
    read_mapping(L, v, rules, COUNT(rules), FIELD(o), "length");
}

static void field_decimals(loader *L, yaml_node_t *v, void *o)
{
    og_field *f = FIELD(o);
    f->has_decimals = read_long(L, v, "decimals", &f->decimals);
    /* a double holds 17 significant digits: more places mean nothing */
    if (f->has_decimals && (f->decimals < 0 || f->decimals > 17))
        og_error(&L->set->diag, node_pos(L, v),
                 "decimals must be between 0 and 17, not %ld", f->decimals);
}

static void field_format(loader *L, yaml_node_t *v, void *o)
{
    const char *s = read_string(L, v, "format");
    if (s && strcmp(s, "date"))
        og_error(&L->set->diag, node_pos(L, v),
                 "unknown format '%s' (known: date)", s);
    FIELD(o)->format = s;
}

static void field_non_empty(loader *L, yaml_node_t *v, void *o)
{
    read_bool(L, v, "non_empty", &FIELD(o)->non_empty);
}

static void field_idempotency_key(loader *L, yaml_node_t *v, void *o)
{
    read_bool(L, v, "idempotency_key", &FIELD(o)->idempotency_key);
}

static void field_scopes(loader *L, yaml_node_t *v, void *o)
{
    FIELD(o)->scopes = read_scopes(L, v, &FIELD(o)->scope_count);
}

static void required_if_field(loader *L, yaml_node_t *v, void *o)
{
    ((og_field *)o)->required_if_field = read_string(L, v, "required_if field");
}

/* The sibling's type is not known yet: keep the text, model.c types it. */
static void required_if_equals(loader *L, yaml_node_t *v, void *o)
{
    og_field *f = o;
    const char *s = read_string(L, v, "required_if equals");
    if (!s)
        return;
    if (is_plain(v) && (is_json_number(s) || !strcmp(s, "true") ||
                        !strcmp(s, "false"))) {
        f->required_if_json = s;
    } else {
        cJSON *str = cJSON_CreateString(s);
        char *json = cJSON_PrintUnformatted(str);
        f->required_if_json = og_strdup(L->set->arena, json);
        cJSON_free(json);
        cJSON_Delete(str);
    }
}

static void field_required_if(loader *L, yaml_node_t *v, void *o)
{
    static const key_rule rules[] = {{"field", required_if_field, true},
                                     {"equals", required_if_equals, true}};
    FIELD(o)->required_if_pos = node_pos(L, v);
    read_mapping(L, v, rules, COUNT(rules), FIELD(o), "required_if");
}

static const key_rule field_rules[] = {
    {"name", field_name, true},
    {"type", field_type, true},
    {"required", field_required, false},
    {"description", field_description, false},
    {"example", field_example, false},
    {"default", field_default, false},
    {"enum", field_enum, false},
    {"range", field_range, false},
    {"length", field_length, false},
    {"decimals", field_decimals, false},
    {"format", field_format, false},
    {"non_empty", field_non_empty, false},
    {"required_if", field_required_if, false},
    {"idempotency_key", field_idempotency_key, false},
    {"scopes", field_scopes, false},
};

/* Splits "i18n[][]" into kind and array depth; a name that is no scalar
 * type is an object type, resolved later by model.c. */
static void parse_type(og_field *f)
{
    static const struct { const char *name; og_kind kind; } scalars[] = {
        {"string", OG_STRING}, {"int", OG_INT}, {"int64", OG_INT64},
        {"float", OG_FLOAT}, {"bool", OG_BOOL}, {"json", OG_JSON},
        {"file", OG_FILE},
    };
    size_t base = strlen(f->type_text);
    f->array_depth = 0;
    while (base > 2 && !strncmp(f->type_text + base - 2, "[]", 2)) {
        base -= 2;
        f->array_depth++;
    }
    f->is_array = f->array_depth > 0;
    f->kind = OG_OBJECT;
    for (size_t i = 0; i < COUNT(scalars); i++)
        if (strlen(scalars[i].name) == base &&
            !strncmp(f->type_text, scalars[i].name, base))
            f->kind = scalars[i].kind;
}

static const char *kind_name(og_kind k)
{
    static const char *names[] = {"string", "int", "int64", "float", "bool",
                                  "object", "json", "file"};
    return names[k];
}

/* Converts a scalar to JSON text of the field's kind, or reports why not. */
static const char *scalar_as_json(loader *L, const og_field *f,
                                  yaml_node_t *n, const char *what)
{
    if (!expect_kind(L, n, YAML_SCALAR_NODE, what))
        return NULL;
    const char *s = scalar_text(n);
    long l;
    switch (f->kind) {
    case OG_FILE:       /* an example of a file is a description: 二进制文件 */
    case OG_STRING: {
        cJSON *str = cJSON_CreateString(s);
        char *json = cJSON_PrintUnformatted(str);
        const char *copy = og_strdup(L->set->arena, json);
        cJSON_free(json);
        cJSON_Delete(str);
        return copy;
    }
    case OG_INT:
    case OG_INT64:
        if (is_plain(n) && parse_long(s, &l) &&
            (f->kind == OG_INT64 || (l >= INT32_MIN && l <= INT32_MAX)))
            return og_printf(L->set->arena, "%ld", l);
        break;
    case OG_FLOAT:
        if (is_plain(n) && is_finite_number(s))
            return og_strdup(L->set->arena, s);
        break;
    case OG_BOOL:
        if (is_plain(n) && (!strcmp(s, "true") || !strcmp(s, "false")))
            return og_strdup(L->set->arena, s);
        break;
    case OG_OBJECT:
    case OG_JSON:
        break;
    }
    og_error(&L->set->diag, node_pos(L, n), "%s '%s' is not a%s %s", what, s,
             f->kind == OG_INT || f->kind == OG_INT64 ? "n" : "",
             kind_name(f->kind));
    return NULL;
}

static void enum_value(loader *L, yaml_node_t *v, void *o)
{
    field_reading *fr = o;
    og_enum_value *e = &fr->f->enums[fr->f->enum_count];
    const char *json = scalar_as_json(L, fr->f, v, "enum value");
    if (!json)
        return;
    e->pos = node_pos(L, v);
    e->value = fr->f->kind == OG_STRING ? read_string(L, v, "enum value") : json;
}

static void enum_description(loader *L, yaml_node_t *v, void *o)
{
    field_reading *fr = o;
    fr->f->enums[fr->f->enum_count].description =
        read_string(L, v, "enum description");
}

static void enum_scopes(loader *L, yaml_node_t *v, void *o)
{
    field_reading *fr = o;
    og_enum_value *e = &fr->f->enums[fr->f->enum_count];
    e->scopes = read_scopes(L, v, &e->scope_count);
}

static const key_rule enum_rules[] = {
    {"value", enum_value, true},
    {"description", enum_description, false},
    {"scopes", enum_scopes, false},
};

static void read_enum_values(loader *L, field_reading *fr, yaml_node_t *n)
{
    og_field *f = fr->f;
    if (!expect_kind(L, n, YAML_SEQUENCE_NODE, "enum"))
        return;
    if (f->kind != OG_STRING && f->kind != OG_INT && f->kind != OG_INT64) {
        og_error(&L->set->diag, node_pos(L, n),
                 "enum is only allowed on string and integer fields, not %s",
                 f->type_text);
        return;
    }
    f->enums = og_alloc(L->set->arena, (seq_len(n) + 1) * sizeof *f->enums);
    for (size_t i = 0; i < seq_len(n); i++) {
        yaml_node_t *item = seq_item(L, n, i);
        if (!item)
            continue;
        read_mapping(L, item, enum_rules, COUNT(enum_rules), fr,
                     "an enum value");
        if (f->enums[f->enum_count].value)
            f->enum_count++;
    }
}

/* Things whose meaning depends on the type, checked once it is known. */
static void finish_field(loader *L, field_reading *fr)
{
    og_field *f = fr->f;
    parse_type(f);
    bool scalar = f->kind != OG_OBJECT && f->kind != OG_JSON && !f->is_array;
    /* A free-form value has no type to check an example against. */
    if (f->kind == OG_JSON && fr->nodes.example && !is_null(fr->nodes.example))
        og_error(&L->set->diag, node_pos(L, fr->nodes.example),
                 "an example is not allowed on json fields (free-form values)");
    else if (f->kind == OG_JSON && fr->nodes.def)
        og_error(&L->set->diag, node_pos(L, fr->nodes.def),
                 "a default is not allowed on json fields (free-form values)");
    if (f->kind == OG_JSON) {
        /* reported above */
    } else if (fr->nodes.example && !is_null(fr->nodes.example)) {
        f->example_pos = node_pos(L, fr->nodes.example);
        if (scalar)
            f->example_json = scalar_as_json(L, f, fr->nodes.example, "example");
        else if (fr->nodes.example->type == YAML_SCALAR_NODE)
            og_error(&L->set->diag, node_pos(L, fr->nodes.example),
                     "an example is only allowed on scalar fields");
    }
    if (fr->nodes.def && f->kind != OG_JSON) {
        f->default_pos = node_pos(L, fr->nodes.def);
        if (scalar && f->kind != OG_FILE)
            f->default_json = scalar_as_json(L, f, fr->nodes.def, "default");
        else
            og_error(&L->set->diag, node_pos(L, fr->nodes.def),
                     "a default is only allowed on scalar fields");
    }
    if (fr->nodes.enums)
        read_enum_values(L, fr, fr->nodes.enums);
}

static void read_field(loader *L, yaml_node_t *n, og_field *f)
{
    field_reading fr = {f, {0}};
    f->pos = node_pos(L, n);
    read_mapping(L, n, field_rules, COUNT(field_rules), &fr, "a field");
    if (f->name && f->type_text)
        finish_field(L, &fr);
}

static void read_fields(loader *L, yaml_node_t *n, og_field_list *list,
                        const char *what)
{
    list->present = true;
    if (!expect_kind(L, n, YAML_SEQUENCE_NODE, what))
        return;
    list->items = og_alloc(L->set->arena, (seq_len(n) + 1) * sizeof *list->items);
    for (size_t i = 0; i < seq_len(n); i++) {
        yaml_node_t *item = seq_item(L, n, i);
        if (item)
            read_field(L, item, &list->items[list->count++]);
    }
}

/* ---- endpoint ----------------------------------------------------------- */

#define EP(o) ((og_endpoint *)(o))

static void ep_name(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->name = read_string(L, v, "endpoint name");
    EP(o)->name_pos = node_pos(L, v);
}

static void ep_summary(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->summary = read_string(L, v, "summary");
}

static void ep_description(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->description = read_string(L, v, "description");
}

static void doc_url(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->doc_url = read_string(L, v, "doc url");
}

static void doc_updated(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->doc_updated = read_string(L, v, "doc updated");
}

static void ep_doc(loader *L, yaml_node_t *v, void *o)
{
    static const key_rule rules[] = {{"url", doc_url, false},
                                     {"updated", doc_updated, false}};
    read_mapping(L, v, rules, COUNT(rules), o, "doc");
}

static void ep_method(loader *L, yaml_node_t *v, void *o)
{
    static const char *methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    const char *m = read_string(L, v, "method");
    if (!m)
        return;
    for (size_t i = 0; i < COUNT(methods); i++)
        if (!strcmp(m, methods[i])) {
            EP(o)->method = m;
            return;
        }
    og_error(&L->set->diag, node_pos(L, v),
             "unknown method '%s' (known: GET, POST, PUT, PATCH, DELETE)", m);
}

static void ep_path(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->path = read_string(L, v, "path");
    EP(o)->path_pos = node_pos(L, v);
    if (EP(o)->path && EP(o)->path[0] != '/')
        og_error(&L->set->diag, node_pos(L, v), "path must start with '/'");
}

#define RATE(o) ((og_rate_limit *)(o))

static void rate_count(loader *L, yaml_node_t *v, void *o)
{
    if (read_long(L, v, "rate_limit count", &RATE(o)->count) && RATE(o)->count <= 0)
        og_error(&L->set->diag, node_pos(L, v), "rate_limit count must be positive");
}

static void rate_per(loader *L, yaml_node_t *v, void *o)
{
    const char *p = read_string(L, v, "rate_limit per");
    if (p && strcmp(p, "second") && strcmp(p, "minute") && strcmp(p, "hour") &&
        strcmp(p, "day"))
        og_error(&L->set->diag, node_pos(L, v),
                 "rate_limit per must be second, minute, hour or day, not '%s'", p);
    RATE(o)->per = p;
}

static void rate_description(loader *L, yaml_node_t *v, void *o)
{
    RATE(o)->description = read_string(L, v, "rate_limit description");
}

static const key_rule rate_rules[] = {{"count", rate_count, true},
                                      {"per", rate_per, true},
                                      {"description", rate_description, false}};

static void rate_special(loader *L, yaml_node_t *v, void *o)
{
    bool special = false;
    if (read_bool(L, v, "rate_limit special", &special) && !special)
        og_error(&L->set->diag, node_pos(L, v),
                 "rate_limit special must be true (leave out a limit that is not special)");
    EP(o)->rate_special = special;
}

static void rate_special_description(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->rate_description = read_string(L, v, "rate_limit description");
}

static bool has_key(yaml_node_t *map, loader *L, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&L->doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && !strcmp(scalar_text(k), key))
            return true;
    }
    return false;
}

/* {count, per}, a list of them (every part enforced), or {special: true,
 * description} for a limit the page states without a number. */
static void ep_rate_limit(loader *L, yaml_node_t *v, void *o)
{
    static const key_rule special_rules[] = {{"special", rate_special, true},
                                             {"description", rate_special_description,
                                              true}};
    og_endpoint *ep = EP(o);
    if (v->type == YAML_MAPPING_NODE && has_key(v, L, "special")) {
        read_mapping(L, v, special_rules, COUNT(special_rules), o, "rate_limit");
        return;
    }
    bool list = v->type == YAML_SEQUENCE_NODE;
    size_t n = list ? seq_len(v) : 1;
    if (list && !n) {
        og_error(&L->set->diag, node_pos(L, v), "rate_limit must not be an empty list");
        return;
    }
    ep->rate_limits = og_alloc(L->set->arena, n * sizeof *ep->rate_limits);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = list ? seq_item(L, v, i) : v;
        if (!item)
            continue;
        og_rate_limit *r = &ep->rate_limits[ep->rate_limit_count++];
        r->pos = node_pos(L, item);
        read_mapping(L, item, rate_rules, COUNT(rate_rules), r,
                     list ? "a rate_limit part" : "rate_limit");
    }
}

/* Reads a scalar that must be one of `names`; returns its index or -1. */
static int read_choice(loader *L, yaml_node_t *v, const char *what,
                       const char *const *names, size_t n, const char *known)
{
    const char *s = read_string(L, v, what);
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, names[i]))
            return (int)i;
    og_error(&L->set->diag, node_pos(L, v), "unknown %s '%s' (known: %s)", what,
             s, known);
    return -1;
}

static void ep_body_format(loader *L, yaml_node_t *v, void *o)
{
    static const char *const names[] = {"json", "multipart"};
    EP(o)->body_format_pos = node_pos(L, v);
    EP(o)->multipart = read_choice(L, v, "body_format", names, COUNT(names),
                                   "json, multipart") == 1;
}

static void ep_app_types(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->app_types = read_string_list(L, v, "app_types", &EP(o)->app_type_count);
}

static void ep_access_tokens(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->access_tokens =
        read_string_list(L, v, "access_tokens", &EP(o)->access_token_count);
}

static void ep_scopes(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->scopes = read_scopes(L, v, &EP(o)->scope_count);
}

static void ep_field_scopes(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->field_scopes = read_scopes(L, v, &EP(o)->field_scope_count);
}

static void ep_path_params(loader *L, yaml_node_t *v, void *o)
{
    read_fields(L, v, &EP(o)->path_params, "path_params");
}

static void ep_query(loader *L, yaml_node_t *v, void *o)
{
    read_fields(L, v, &EP(o)->query, "query");
}

static void ep_request_body(loader *L, yaml_node_t *v, void *o)
{
    read_fields(L, v, &EP(o)->request_body, "request_body");
}

static void ep_response_data(loader *L, yaml_node_t *v, void *o)
{
    read_fields(L, v, &EP(o)->response_data, "response_data");
}

/* How `data` of the response is handed over; "json" is the typed default. */
static void ep_response_format(loader *L, yaml_node_t *v, void *o)
{
    static const char *formats[] = {"json", "opaque", "binary"};
    const char *f = read_string(L, v, "response_format");
    if (!f)
        return;
    EP(o)->response_format_pos = node_pos(L, v);
    for (size_t i = 0; i < COUNT(formats); i++)
        if (!strcmp(f, formats[i])) {
            EP(o)->response_format = formats[i];
            EP(o)->binary = i == 2;
            return;
        }
    og_error(&L->set->diag, node_pos(L, v),
             "unknown response_format '%s' (known: json, opaque, binary)", f);
}

static void ep_retry_safe(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->retry_safe_pos = node_pos(L, v);
    read_bool(L, v, "retry_safe", &EP(o)->retry_safe);
}

#define ERR(o) ((og_error_code *)(o))

static void error_http_status(loader *L, yaml_node_t *v, void *o)
{
    read_long(L, v, "http_status", &ERR(o)->http_status);
}

static void error_code(loader *L, yaml_node_t *v, void *o)
{
    read_long(L, v, "code", &ERR(o)->code);
}

static void error_message(loader *L, yaml_node_t *v, void *o)
{
    ERR(o)->message = read_string(L, v, "message");
}

static void error_advice(loader *L, yaml_node_t *v, void *o)
{
    ERR(o)->advice = read_string(L, v, "advice");
}

static void ep_errors(loader *L, yaml_node_t *v, void *o)
{
    static const key_rule rules[] = {
        {"http_status", error_http_status, true}, {"code", error_code, true},
        {"message", error_message, false}, {"advice", error_advice, false}};
    og_endpoint *ep = o;
    if (!expect_kind(L, v, YAML_SEQUENCE_NODE, "errors"))
        return;
    ep->errors = og_alloc(L->set->arena, (seq_len(v) + 1) * sizeof *ep->errors);
    for (size_t i = 0; i < seq_len(v); i++) {
        yaml_node_t *item = seq_item(L, v, i);
        if (!item)
            continue;
        og_error_code *e = &ep->errors[ep->error_count++];
        e->pos = node_pos(L, item);
        read_mapping(L, item, rules, COUNT(rules), e, "an error code");
    }
}

#define NOTE(o) ((og_doc_note *)(o))

static void note_title(loader *L, yaml_node_t *v, void *o)
{
    NOTE(o)->title = read_string(L, v, "note title");
    if (NOTE(o)->title && !*NOTE(o)->title)
        og_error(&L->set->diag, node_pos(L, v), "note title must not be empty");
}

static void note_text(loader *L, yaml_node_t *v, void *o)
{
    NOTE(o)->text = read_string(L, v, "note text");
}

/* notes: [{title, text}], the page's extra sections, for the docs. */
static void ep_notes(loader *L, yaml_node_t *v, void *o)
{
    static const key_rule rules[] = {{"title", note_title, true}, {"text", note_text, true}};
    og_endpoint *ep = o;
    if (!expect_kind(L, v, YAML_SEQUENCE_NODE, "notes"))
        return;
    ep->notes = og_alloc(L->set->arena, (seq_len(v) + 1) * sizeof *ep->notes);
    for (size_t i = 0; i < seq_len(v); i++) {
        yaml_node_t *item = seq_item(L, v, i);
        if (!item)
            continue;
        og_doc_note *n = &ep->notes[ep->note_count++];
        n->pos = node_pos(L, item);
        read_mapping(L, item, rules, COUNT(rules), n, "a note");
    }
}

/* Examples are kept verbatim, but must be JSON: a broken one is a typo. */
static const char *read_json_text(loader *L, yaml_node_t *v, const char *what)
{
    const char *s = read_string(L, v, what);
    if (!s)
        return NULL;
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithOpts(s, &end, true);
    if (!j) {
        og_error(&L->set->diag, node_pos(L, v),
                 "%s is not valid JSON (near byte %ld)", what,
                 end ? (long)(end - s) : 0L);
        return NULL;
    }
    cJSON_Delete(j);
    return s;
}

static void example_request(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->request_example = read_json_text(L, v, "request example");
}

static void example_response(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->response_example = read_json_text(L, v, "response example");
}

static void ep_examples(loader *L, yaml_node_t *v, void *o)
{
    static const key_rule rules[] = {{"request", example_request, false},
                                     {"response", example_response, false}};
    read_mapping(L, v, rules, COUNT(rules), o, "examples");
}

/* ---- pagination ---------------------------------------------------------- */

#define PAGES(o) ((og_pagination *)(o))

static void page_ref(loader *L, yaml_node_t *v, og_page_ref *ref, const char *what)
{
    ref->name = read_string(L, v, what);
    ref->pos = node_pos(L, v);
}

static void page_token(loader *L, yaml_node_t *v, void *o)
{
    page_ref(L, v, &PAGES(o)->page_token, "pagination page_token");
}

static void page_size(loader *L, yaml_node_t *v, void *o)
{
    page_ref(L, v, &PAGES(o)->page_size, "pagination page_size");
}

static void page_next_token(loader *L, yaml_node_t *v, void *o)
{
    page_ref(L, v, &PAGES(o)->next_token, "pagination next_token");
}

static void page_has_more(loader *L, yaml_node_t *v, void *o)
{
    page_ref(L, v, &PAGES(o)->has_more, "pagination has_more");
}

static void page_items(loader *L, yaml_node_t *v, void *o)
{
    page_ref(L, v, &PAGES(o)->items, "pagination items");
}

static void ep_pagination(loader *L, yaml_node_t *v, void *o)
{
    static const key_rule rules[] = {
        {"page_token", page_token, true}, {"page_size", page_size, false},
        {"next_token", page_next_token, true}, {"has_more", page_has_more, true},
        {"items", page_items, true}};
    og_pagination *pg = og_alloc(L->set->arena, sizeof *pg);
    pg->pos = node_pos(L, v);
    EP(o)->pagination = pg;
    read_mapping(L, v, rules, COUNT(rules), pg, "pagination");
}

static const key_rule endpoint_rules[] = {
    {"name", ep_name, true},
    {"summary", ep_summary, true},
    {"description", ep_description, false},
    {"doc", ep_doc, false},
    {"method", ep_method, true},
    {"path", ep_path, true},
    {"rate_limit", ep_rate_limit, false},
    {"app_types", ep_app_types, false},
    {"access_tokens", ep_access_tokens, false},
    {"scopes", ep_scopes, false},
    {"field_scopes", ep_field_scopes, false},
    {"path_params", ep_path_params, false},
    {"query", ep_query, false},
    {"request_body", ep_request_body, false},
    {"body_format", ep_body_format, false},
    {"response_data", ep_response_data, false},
    {"response_format", ep_response_format, false},
    {"retry_safe", ep_retry_safe, false},
    {"errors", ep_errors, false},
    {"examples", ep_examples, false},
    {"notes", ep_notes, false},
    {"pagination", ep_pagination, false},
};

/* ---- types and the top level -------------------------------------------- */

#define TYPE(o) ((og_type *)(o))

static void type_name(loader *L, yaml_node_t *v, void *o)
{
    TYPE(o)->name = read_string(L, v, "type name");
}

static void type_description(loader *L, yaml_node_t *v, void *o)
{
    TYPE(o)->description = read_string(L, v, "type description");
}

static void type_fields(loader *L, yaml_node_t *v, void *o)
{
    read_fields(L, v, &TYPE(o)->fields, "fields");
}

static const key_rule type_rules[] = {
    {"name", type_name, true},
    {"description", type_description, false},
    {"fields", type_fields, true},
};

static void top_version(loader *L, yaml_node_t *v, void *o)
{
    (void)o;
    long version;
    if (read_long(L, v, "oapigen", &version) && version != 1)
        og_error(&L->set->diag, node_pos(L, v),
                 "unsupported spec format version %ld (this oapigen reads 1)",
                 version);
}

static void top_bundle(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->bundle = read_string(L, v, "bundle");
    EP(o)->bundle_pos = node_pos(L, v);
}

static void top_endpoint(loader *L, yaml_node_t *v, void *o)
{
    EP(o)->pos = node_pos(L, v);
    read_mapping(L, v, endpoint_rules, COUNT(endpoint_rules), o, "endpoint");
}

static void top_types(loader *L, yaml_node_t *v, void *o)
{
    og_endpoint *ep = o;
    if (!expect_kind(L, v, YAML_SEQUENCE_NODE, "types"))
        return;
    ep->types = og_alloc(L->set->arena, (seq_len(v) + 1) * sizeof *ep->types);
    for (size_t i = 0; i < seq_len(v); i++) {
        yaml_node_t *item = seq_item(L, v, i);
        if (!item)
            continue;
        og_type *t = og_alloc(L->set->arena, sizeof *t);
        t->pos = node_pos(L, item);
        read_mapping(L, item, type_rules, COUNT(type_rules), t, "a type");
        ep->types[ep->type_count++] = t;
    }
}

static const key_rule top_rules[] = {
    {"oapigen", top_version, true},
    {"bundle", top_bundle, true},
    {"endpoint", top_endpoint, true},
    {"types", top_types, false},
};

/* The array doubles when its count reaches a power of two (the arena cannot
 * grow a block in place), so adding n endpoints copies O(n) pointers. */
static void add_endpoint(og_set *set, og_endpoint *ep)
{
    size_t n = set->endpoint_count;
    if ((n & (n - 1)) == 0) {
        og_endpoint **grown = og_alloc(set->arena, (n ? 2 * n : 1) * sizeof *grown);
        if (n)
            memcpy(grown, set->endpoints, n * sizeof *grown);
        set->endpoints = grown;
    }
    set->endpoints[n] = ep;
    set->endpoint_count = n + 1;
}

/* A reader error (a NUL byte, invalid UTF-8) has no mark, only the byte
 * offset: its place is computed from the text. */
static void report_parse_error(loader *L, const yaml_parser_t *p,
                               const char *text, size_t len)
{
    og_pos pos = mark_pos(L, p->problem_mark);
    if (p->error == YAML_READER_ERROR) {
        pos = og_offset_pos(L->file, text, len, p->problem_offset);
        if (p->problem_value >= 0)
            og_error(&L->set->diag, pos, "YAML: %s (byte 0x%02x)", p->problem,
                     (unsigned)p->problem_value);
        else
            og_error(&L->set->diag, pos, "YAML: %s", p->problem);
    } else if (p->context)
        og_error(&L->set->diag, pos, "YAML: %s %s", p->problem, p->context);
    else
        og_error(&L->set->diag, pos, "YAML: %s", p->problem);
}

static void load_document(loader *L)
{
    yaml_node_t *root = yaml_document_get_root_node(&L->doc);
    if (!root) {
        og_error(&L->set->diag, (og_pos){L->file, 1, 1}, "the spec is empty");
        return;
    }
    L->node_count = (size_t)(L->doc.nodes.top - L->doc.nodes.start);
    L->visited = calloc(L->node_count + 1, 1);
    if (!L->visited)
        abort();
    og_endpoint *ep = og_alloc(L->set->arena, sizeof *ep);
    ep->file = L->file;
    node_at(L, 1);
    read_mapping(L, root, top_rules, COUNT(top_rules), ep, "the spec");
    free(L->visited);
    add_endpoint(L->set, ep);
}

/* libyaml's document keeps no mark for an alias: find them in the events. */
static int find_aliases(loader *L, const char *text, size_t len)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int found = 0, docs = 0;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    while (yaml_parser_parse(&p, &ev)) {
        yaml_event_type_t t = ev.type;
        if (t == YAML_ALIAS_EVENT)
            og_error(&L->set->diag, mark_pos(L, ev.start_mark),
                     "aliases are not supported in specs"), found++;
        if (t == YAML_DOCUMENT_START_EVENT && ++docs == 2)
            og_error(&L->set->diag, mark_pos(L, ev.start_mark),
                     "a spec file holds one YAML document"), found++;
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&p);
    return found;
}

/* True when a node of the document is reached twice: the target of an
 * alias (libyaml's document keeps the shared node, not the alias). */
static bool shares_nodes(yaml_document_t *doc)
{
    size_t n = (size_t)(doc->nodes.top - doc->nodes.start);
    unsigned char *refs = calloc(n + 1, 1);
    bool shared = false;
    if (!refs)
        abort();
    refs[0] = 1;   /* the root, index 1 */
    for (yaml_node_t *node = doc->nodes.start; !shared && node < doc->nodes.top; node++) {
        if (node->type == YAML_SEQUENCE_NODE)
            for (yaml_node_item_t *it = node->data.sequence.items.start;
                 it < node->data.sequence.items.top && !shared; it++)
                shared = refs[*it - 1]++;
        else if (node->type == YAML_MAPPING_NODE)
            for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
                 p < node->data.mapping.pairs.top && !shared; p++)
                shared = refs[p->key - 1]++ || refs[p->value - 1]++;
    }
    free(refs);
    return shared;
}

/* True when nothing but the end of the stream follows the loaded document. */
static bool at_stream_end(yaml_parser_t *parser)
{
    yaml_document_t next;
    if (!yaml_parser_load(parser, &next))
        return false;
    bool end = !yaml_document_get_root_node(&next);
    yaml_document_delete(&next);
    return end;
}

int og_load_file(og_set *set, const char *path)
{
    size_t len;
    char *text = og_read_file(path, &len);
    if (!text) {
        og_error(&set->diag, (og_pos){0}, "cannot read %s: %s", path,
                 strerror(errno));
        return 1;
    }
    int errors = og_load_text(set, path, text, len);
    free(text);
    return errors;
}

int og_load_text(og_set *set, const char *path, const char *text, size_t len)
{
    int before = set->diag.errors;
    loader L = {.set = set, .file = og_strdup(set->arena, path)};
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    bool loaded = yaml_parser_load(&parser, &L.doc);
    /* The text is parsed once. Only when it may hold an alias or a second
     * document, both refused, is it parsed again (find_aliases), for their
     * places; what the first parse found is then reported only if there
     * are none, as if find_aliases had always run first. */
    bool suspect = !loaded || shares_nodes(&L.doc) || !at_stream_end(&parser);
    if (!(suspect && find_aliases(&L, text, len))) {
        if (loaded)
            load_document(&L);
        else
            report_parse_error(&L, &parser, text, len);
    }
    if (loaded)
        yaml_document_delete(&L.doc);
    yaml_parser_delete(&parser);
    return set->diag.errors - before;
}

/* ---- files and directories --------------------------------------------- */

static bool is_spec_name(const char *name)
{
    size_t n = strlen(name);
    static const char ext[] = ".yaml", overlay[] = ".overlay.yaml";
    if (name[0] == '.' || n < sizeof ext || strcmp(name + n - (sizeof ext - 1), ext))
        return false;
    return n < sizeof overlay || strcmp(name + n - (sizeof overlay - 1), overlay);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(og_set *set, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        og_error(&set->diag, (og_pos){0}, "cannot open %s: %s", dir,
                 strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_spec_name(e->d_name))
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *names);
        if (!grown)
            abort();
        names = grown;
        names[n++] = og_printf(set->arena, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    int errors = 0;
    if (!n)
        og_error(&set->diag, (og_pos){0}, "no *.yaml specs in %s", dir), errors++;
    for (size_t i = 0; i < n; i++)
        errors += og_load_file(set, names[i]);
    free(names);
    return errors;
}

int og_load_paths(og_set *set, char *const *paths, int count)
{
    int errors = 0;
    for (int i = 0; i < count; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
            errors += load_dir(set, paths[i]);
        else
            errors += og_load_file(set, paths[i]);
    }
    return errors;
}

og_set *og_set_new(void)
{
    og_set *set = calloc(1, sizeof *set);
    if (!set)
        abort();
    set->arena = og_arena_new();
    return set;
}

void og_set_free(og_set *set)
{
    if (!set)
        return;
    og_buf_free(&set->diag.text);
    og_arena_free(set->arena);
    free(set);
}
