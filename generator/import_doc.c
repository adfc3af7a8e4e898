/* import_doc.c - a Feishu documentation page (Markdown) -> spec YAML.
 *
 * A visible pipeline: read the page into lines; cut it into sections at the
 * headings; read each section's table or JSON example; nest the flattened
 * table rows by the JSON examples; merge the hand-written overlay; print the
 * YAML in the canonical style of docs/spec-format.md.
 *
 * The first problem stops the import with a positioned error: a page we do
 * not fully understand must not turn into a plausible but wrong spec.
 */
#include "oapigen.h"

#include <yaml.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FW_COLON "\xEF\xBC\x9A" /* ： */
#define FW_TILDE "\xEF\xBD\x9E" /* ～ */
#define MAX_COLS 4
#define MAX_DEPTH 32

/* ---- what the page describes ------------------------------------------ */

typedef enum kind {
    K_STRING, K_INT, K_INT64, K_FLOAT, K_BOOL, K_OBJECT,
    K_JSON,                  /* map<...>, union, interface{}, object without fields */
    K_FILE                   /* a file part of a multipart request body */
} kind;

typedef struct scope_list {
    og_scope *items;
    size_t count, cap;
} scope_list;

typedef struct imp_enum {
    const char *raw;         /* the value as the page writes it */
    const char *value;       /* as YAML: completed, 1, "2024" */
    const char *description;
    scope_list scopes;
    struct imp_enum *next;
} imp_enum;

typedef struct imp_field {
    og_pos pos;
    const char *name;
    const char *type;        /* as in the spec: "i18n[]" */
    const char *object;      /* the object type's name, or NULL */
    kind kind;
    int dims;                /* 2 for "x[][]" */
    bool untyped_list;       /* "list": the example tells what the items are */
    bool is_array, required, non_empty, idempotency_key;
    const char *type_cell;   /* the page's type, for messages */
    og_pos overlay_pos;      /* the overlay entry that last changed it, or {0} */
    const char *description; /* raw text */
    const char *example;     /* the rest are YAML text, ready to print */
    const char *def;
    const char *range, *length, *format, *required_if;
    const char *decimals;    /* "2" from 限制两位小数 */
    imp_enum *enums;
    scope_list scopes;
    struct imp_field *next;
} imp_field;

typedef struct field_list {
    imp_field *first, *last;
    size_t count;
} field_list;

typedef struct imp_type {
    og_pos pos;
    const char *name;
    const char *base;        /* the name the page gave, before set-wide renames */
    field_list fields;
    struct imp_type *next;
} imp_type;

typedef struct imp_rate {
    const char *count, *per, *description;
} imp_rate;

typedef struct imp_error {
    const char *http_status, *code, *message, *advice;
    struct imp_error *next;
} imp_error;

/* ---- the page, cut into lines, sections and table rows ---------------- */

typedef struct section {
    const char *name;
    int head;                /* line index of the heading */
    int begin, end;          /* content lines [begin, end) */
    bool note;               /* not a section the importer reads: a note */
} section;

/* Text of the page kept for the docs: an extra section (前提条件 ...) or
 * prose around a known section's table or example. */
typedef struct imp_note {
    int line;                /* where it starts: notes keep the page's order */
    const char *title, *text;
    struct imp_note *next;
} imp_note;

typedef struct text_line {
    char *s;                 /* points into the page line, so columns work */
    int line;
} text_line;

typedef struct row {
    int line;
    char *cells[MAX_COLS];
    text_line *text;         /* the last cell: its first line, then more */
    int ntext;
} row;

typedef struct table {
    row head;
    row *rows;
    int count, ncols;
} table;

typedef struct importer {
    og_arena *a;
    og_diag *diag;
    const char *file;
    char **lines;
    size_t *line_len;        /* before cells are cut apart in place */
    int nlines;
    section *sections;
    int nsections;
    /* the endpoint */
    const char *name, *bundle, *summary, *description, *url, *updated;
    const char *method, *path;
    imp_rate *rates;         /* every part of the rate limit */
    int nrates;
    const char *rate_special;  /* 特殊频控: the text, no number */
    og_pos path_pos;
    const char *app_types[2];
    int napp_types;
    const char *tokens[3];
    int ntokens;
    scope_list scopes, field_scopes;
    field_list path_params, query, request_body, response_data;
    bool has_body;
    bool in_request_body;    /* reading the request body's table */
    bool multipart;          /* Content-Type: multipart/form-data */
    bool binary;             /* the response is a file, not JSON */
    const char *pg_token, *pg_size, *pg_next, *pg_more, *pg_items; /* pagination */
    imp_error *errors, *errors_last;
    const char *request_example, *response_example;
    imp_type *types, *types_last;
    imp_note *notes;
} importer;

__attribute__((format(printf, 3, 4)))
static int fail(importer *im, og_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    og_verror(im->diag, pos, fmt, ap);
    va_end(ap);
    return -1;
}

/* Text kept (in a description, or left out of the spec) that no rule of
 * the page format reads: the import goes on, but says where. */
__attribute__((format(printf, 3, 4)))
static void warn(importer *im, og_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    og_vwarning(im->diag, pos, fmt, ap);
    va_end(ap);
}

/* Column of p in line idx, counted in characters (as libyaml does). */
static og_pos at(const importer *im, int idx, const char *p)
{
    og_pos pos = {im->file, idx + 1, 1};
    const char *line = im->lines[idx];
    for (size_t i = 0; p && i < im->line_len[idx] && line + i < p; i++)
        pos.col += ((unsigned char)line[i] & 0xC0) != 0x80;
    return pos;
}

static og_pos line_pos(const importer *im, int idx)
{
    return at(im, idx, NULL);
}

/* ---- small string helpers --------------------------------------------- */

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_blank(const char *s)
{
    return s[strspn(s, " \t")] == '\0';
}

static char *skip_space(char *s)
{
    return s + strspn(s, " \t");
}

/* Cuts trailing blanks off in place. */
static void rstrip(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

static char *trim(char *s)
{
    s = skip_space(s);
    rstrip(s);
    return s;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool contains_nocase(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++) {
        size_t i = 0;
        while (i < n && s[i] && lower(s[i]) == lower(needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* Whether s starts with needle, ignoring ASCII case. */
static bool contains_nocase_at(const char *s, const char *needle)
{
    size_t i = 0;
    while (needle[i] && s[i] && lower(s[i]) == lower(needle[i]))
        i++;
    return !needle[i];
}

static bool is_int_text(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s)
        return false;
    return s[strspn(s, "0123456789")] == '\0';
}

static bool is_number_text(const char *s)
{
    if (*s == '-')
        s++;
    size_t n = strspn(s, "0123456789");
    if (!n)
        return false;
    s += n;
    if (*s == '.') {
        n = strspn(++s, "0123456789");
        if (!n)
            return false;
        s += n;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        n = strspn(s, "0123456789");
        if (!n)
            return false;
        s += n;
    }
    return *s == '\0';
}

static bool is_ident(const char *s, bool dots)
{
    if (!(*s == '_' || is_alpha(*s)))
        return false;
    for (; *s; s++)
        if (!(*s == '_' || is_alpha(*s) || is_digit(*s) || (dots && *s == '.')))
            return false;
    return true;
}

/* Historic pages draw the nesting into the name cell: "&emsp;&emsp;∟&nbsp;id".
 * The nesting comes from the JSON example; the drawing is dropped. */
static const char *tree_name(const char *s)
{
    const char *p = s;
    while (starts(p, "&emsp;") || starts(p, "&nbsp;") || *p == ' ')
        p += *p == ' ' ? 1 : strlen("&emsp;");
    if (!starts(p, "∟"))
        return s;
    p += strlen("∟");
    while (starts(p, "&nbsp;") || *p == ' ')
        p += *p == ' ' ? 1 : strlen("&nbsp;");
    return p;
}

/* Markdown escapes in name and type cells: assessment_for_create\[\]. */
static char *md_unescape(importer *im, const char *s)
{
    char *out = og_alloc(im->a, strlen(s) + 1), *o = out;
    for (; *s; s++) {
        if (*s == '\\' && s[1] && strchr("[]-_*|`\\", s[1]))
            s++;
        *o++ = *s;
    }
    return out;
}

/* A '|' that is not written as "\|" and not inside a `code span` (a
 * pattern like `^(a|b)$` in a description). */
static char *find_bar(char *s)
{
    for (char *p = s; *p; p++) {
        char *close = *p == '`' ? strchr(p + 1, '`') : NULL;
        if (close)
            p = close;
        else if (*p == '|' && (p == s || p[-1] != '\\'))
            return p;
    }
    return NULL;
}

static void scope_push(importer *im, scope_list *l, const char *name,
                       const char *title)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        og_scope *items = og_alloc(im->a, cap * sizeof *items);
        if (l->count)
            memcpy(items, l->items, l->count * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->count++] = (og_scope){name, title};
}

static void field_push(field_list *l, imp_field *f)
{
    if (l->last)
        l->last->next = f;
    else
        l->first = f;
    l->last = f;
    l->count++;
}

static imp_field *field_find(const field_list *l, const char *name)
{
    for (imp_field *f = l->first; f; f = f->next)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}

static imp_type *type_find(const importer *im, const char *name)
{
    for (imp_type *t = im->types; t; t = t->next)
        if (!strcmp(t->name, name))
            return t;
    return NULL;
}

/* ---- YAML scalars ------------------------------------------------------- */

/* U+0085, U+2028, U+2029 and U+FEFF: YAML line breaks and the BOM. */
static int special_char(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == 0xC2 && u[1] == 0x85)
        return 2;
    if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
        return 3;
    if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return 3;
    return 0;
}

static bool has_control(const char *s, bool allow_newline)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && !(allow_newline && (c == '\n' || c == '\t'))) ||
            c == 0x7F || special_char(s))
            return true;
    }
    return false;
}

static bool reserved_word(const char *s)
{
    static const char *const words[] = {"true", "false", "yes", "no", "on",
                                        "off", "y", "n", "null", "~"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if (strlen(s) != n)
            continue;
        size_t j = 0;
        while (j < n && lower(s[j]) == words[i][j])
            j++;
        if (j == n)
            return true;
    }
    return false;
}

/* Whether s can be written as a plain scalar and read back as the same
 * string. Conservative: anything starting with a digit is quoted, so
 * numbers, dates and IDs stay strings. */
static bool plain_ok(const char *s, bool flow)
{
    size_t n = strlen(s);
    if (!n || s[0] == ' ' || s[n - 1] == ' ' || has_control(s, false))
        return false;
    if (strchr("-?:,[]{}#&*!|>'\"%@`+.", s[0]) || is_digit(s[0]))
        return false;
    if (strstr(s, ": ") || strstr(s, " #") || s[n - 1] == ':' || reserved_word(s))
        return false;
    return !(flow && strpbrk(s, ",[]{}"));
}

static void put_quoted(og_buf *b, const char *s)
{
    og_buf_puts(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int sp = special_char(s);
        if (c == '\\' || c == '"')
            og_buf_printf(b, "\\%c", c);
        else if (c == '\n')
            og_buf_puts(b, "\\n");
        else if (c == '\t')
            og_buf_puts(b, "\\t");
        else if (c < 0x20 || c == 0x7F)
            og_buf_printf(b, "\\x%02X", c);
        else if (sp) {
            unsigned cp = sp == 2 ? 0x85 : c == 0xEF ? 0xFEFF
                        : (unsigned char)s[2] == 0xA8 ? 0x2028 : 0x2029;
            og_buf_printf(b, "\\u%04X", cp);
            s += sp - 1;
        } else
            og_buf_append(b, s, 1);
    }
    og_buf_puts(b, "\"");
}

static void put_str(og_buf *b, const char *s, bool flow)
{
    if (plain_ok(s, flow))
        og_buf_puts(b, s);
    else
        put_quoted(b, s);
}

/* A string as YAML text, for values kept ready to print. */
static const char *yaml_str(importer *im, const char *s, bool flow)
{
    og_buf b = {0};
    put_str(&b, s, flow);
    char *out = og_strdup(im->a, b.data);
    og_buf_free(&b);
    return out;
}

static bool block_ok(const char *s)
{
    return strchr(s, '\n') && s[0] != ' ' && s[0] != '\t' && s[0] != '\n' &&
           !has_control(s, true);
}

/* key: text, as a literal block when it has several lines. */
static void put_text(og_buf *b, int ind, const char *key, const char *s)
{
    og_buf_printf(b, "%*s%s: ", ind, "", key);
    if (!block_ok(s)) {
        put_str(b, s, false);
        og_buf_puts(b, "\n");
        return;
    }
    size_t n = strlen(s), body = n;
    while (body && s[body - 1] == '\n')
        body--;
    og_buf_puts(b, n == body ? "|-\n" : n == body + 1 ? "|\n" : "|+\n");
    for (size_t i = 0; i < body;) {
        size_t len = strcspn(s + i, "\n");
        if (len > body - i)
            len = body - i;
        if (len)
            og_buf_printf(b, "%*s%.*s", ind + 2, "", (int)len, s + i);
        og_buf_puts(b, "\n");
        i += len + 1;
    }
    for (size_t i = body + 1; i < n; i++)
        og_buf_puts(b, "\n");
}

/* ---- reading the page into lines --------------------------------------- */

/* Checks UTF-8 and NUL bytes; returns the offset of the first bad byte. */
static size_t bad_utf8(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!c || !n || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4) || i + n > len)
            return i;
        for (size_t k = 1; k < n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        unsigned cp = n == 1 ? c : c & (0x7F >> n);
        for (size_t k = 1; k < n; k++)
            cp = cp << 6 | (s[i + k] & 0x3F);
        if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return i;
        i += n;
    }
    return len;
}

static int split_lines(importer *im, char *text, size_t len)
{
    size_t bad = bad_utf8((const unsigned char *)text, len);
    int count = 1;
    for (size_t i = 0; i < len; i++)
        count += text[i] == '\n';
    im->lines = og_alloc(im->a, (size_t)count * sizeof *im->lines);
    im->line_len = og_alloc(im->a, (size_t)count * sizeof *im->line_len);
    for (char *p = text, *end = text + len; p <= end; p++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (bad < len && bad >= (size_t)(p - text) && bad <= (size_t)(p - text) + n) {
            og_pos pos = {im->file, im->nlines + 1, 1};
            for (char *q = p; q < text + bad; q++)
                pos.col += ((unsigned char)*q & 0xC0) != 0x80;
            return fail(im, pos, "the page is not valid UTF-8 text");
        }
        if (n && p[n - 1] == '\r')
            n--;
        im->line_len[im->nlines] = n;
        im->lines[im->nlines++] = og_strndup(im->a, p, n);
        if (!nl)
            break;
        p = nl;
    }
    return 0;
}

/* ---- front matter and the text before the first section ---------------- */

static int front_matter(importer *im, int *next)
{
    *next = 0;
    if (!im->nlines || strcmp(im->lines[0], "---"))
        return 0;
    for (int i = 1; i < im->nlines; i++) {
        char *l = im->lines[i];
        if (!strcmp(l, "---")) {
            *next = i + 1;
            return 0;
        }
        char *colon = strstr(l, ": ");
        if (!colon)
            return fail(im, line_pos(im, i), "expected 'key: value' in the front matter");
        *colon = '\0';
        char *v = trim(colon + 2);
        size_t n = strlen(v);
        if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
            v = og_strndup(im->a, v + 1, n - 2);
        if (!strcmp(l, "title"))
            im->summary = v;
        else if (!strcmp(l, "source_url"))
            im->url = v;
    }
    return fail(im, line_pos(im, 0), "the front matter is not closed by '---'");
}

/* "dddd-dd-dd" at s (then anything). */
static bool date_shape(const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
            return false;
    return true;
}

static bool is_date(const char *s)
{
    return date_shape(s) && s[10] == '\0';
}

static const char *join_lines(importer *im, char **lines, int count)
{
    while (count && is_blank(lines[0]))
        lines++, count--;
    while (count && is_blank(lines[count - 1]))
        count--;
    og_buf b = {0};
    for (int i = 0; i < count; i++) {
        rstrip(lines[i]);
        og_buf_printf(&b, "%s%s", i ? "\n" : "", lines[i]);
    }
    char *out = og_strdup(im->a, b.data ? b.data : "");
    og_buf_free(&b);
    return out;
}

static int heading_level(const char *l)
{
    int n = (int)strspn(l, "#");
    return n >= 1 && n <= 6 && l[n] == ' ' ? n : 0;
}

/* "最后更新于 2024-02-06", "# title" and the description under it. */
static int preamble(importer *im, int begin, int end)
{
    int title = -1;
    for (int i = begin; i < end && title < 0; i++) {
        char *l = im->lines[i];
        if (starts(l, "最后更新于 ")) {
            char *d = trim(l + strlen("最后更新于 "));
            if (!is_date(d))
                return fail(im, at(im, i, d), "expected a date 'YYYY-MM-DD'");
            im->updated = d;
        } else if (heading_level(l) == 1) {
            title = i;
            im->summary = trim(l + 2);
        } else if (!is_blank(l))
            return fail(im, line_pos(im, i), "unexpected text before the title");
    }
    if (title < 0)
        return fail(im, line_pos(im, begin < im->nlines ? begin : 0),
                    "the page has no '# title'");
    im->description = join_lines(im, im->lines + title + 1, end - title - 1);
    return 0;
}

/* ---- sections ---------------------------------------------------------- */

static const char *const section_names[] = {
    "请求", "请求头", "路径参数", "查询参数", "请求体", "请求体示例",
    "响应", "响应体", "响应体示例", "错误码",
};

static const section *find_section(const importer *im, const char *name)
{
    for (int i = 0; i < im->nsections; i++)
        if (!strcmp(im->sections[i].name, name))
            return &im->sections[i];
    return NULL;
}

/* Any heading the importer does not read (前提条件, 注意事项, 使用限制,
 * 名词解释, 扩展请求头 ...) starts a note: its text is kept verbatim. */
static int add_section(importer *im, int head)
{
    char *name = trim(im->lines[head] + heading_level(im->lines[head]));
    bool known = false;
    for (size_t i = 0; i < sizeof section_names / sizeof section_names[0]; i++)
        known |= !strcmp(name, section_names[i]);
    const section *prev = known ? find_section(im, name) : NULL;
    if (prev) {
        fail(im, at(im, head, name), "section '%s' appears twice", name);
        og_note(im->diag, line_pos(im, prev->head), "first appears here");
        return -1;
    }
    im->sections[im->nsections++] = (section){name, head, head + 1, im->nlines, !known};
    if (im->nsections > 1)
        im->sections[im->nsections - 2].end = head;
    return 0;
}

/* Cuts the page at "##"/"###" headings (not inside code blocks). */
static int split_sections(importer *im, int begin)
{
    im->sections = og_alloc(im->a, (size_t)im->nlines * sizeof *im->sections);
    bool fence = false;
    int first = im->nlines;
    for (int i = begin; i < im->nlines; i++) {
        char *l = im->lines[i];
        if (starts(skip_space(l), "```"))
            fence = !fence;
        else if (!fence && heading_level(l) >= 2) {
            if (first == im->nlines)
                first = i;
            if (add_section(im, i) < 0)
                return -1;
        }
    }
    return preamble(im, begin, first);
}

/* ---- notes ------------------------------------------------------------- */

static void note_push(importer *im, int line, const char *title, const char *text)
{
    imp_note *n = og_alloc(im->a, sizeof *n), **at_ = &im->notes;
    *n = (imp_note){line, title, text, NULL};
    while (*at_ && (*at_)->line < line)
        at_ = &(*at_)->next;
    n->next = *at_;
    *at_ = n;
}

/* "```go" -> "go"; NULL when the line opens no code block. */
static const char *fence_language(importer *im, const char *l)
{
    if (!starts(l, "```"))
        return NULL;
    return trim(og_strdup(im->a, l + 3));
}

/* A code block in another language than JSON after an example is a sample
 * of an SDK (Go, Java ...): the spec has no place for it. */
static bool sdk_sample(const char *lang)
{
    return lang && *lang && strcmp(lang, "json") && strcmp(lang, "JSON");
}

static bool bold_line(const char *l)
{
    size_t n = strlen(l);
    return n > 4 && starts(l, "**") && !strcmp(l + n - 2, "**");
}

/* "**Go 请求示例**" before an SDK sample goes with it. */
static void drop_sample_label(char **keep, int *n)
{
    int k = *n;
    while (k && is_blank(keep[k - 1]))
        k--;
    if (k && bold_line(trim(keep[k - 1])))
        *n = k - 1;
}

/* Lines [from, to) as a note titled `title`, less SDK samples; nothing when
 * they are blank. */
static void prose_note(importer *im, const char *title, int from, int to)
{
    char **keep = og_alloc(im->a, (size_t)(to - from + 1) * sizeof *keep);
    int n = 0, first = -1;
    for (int i = from; i < to; i++) {
        if (sdk_sample(fence_language(im, im->lines[i]))) {
            for (i++; i < to && !starts(im->lines[i], "```"); i++)
                ;
            drop_sample_label(keep, &n);
            continue;
        }
        if (first < 0 && !is_blank(im->lines[i]))
            first = i;
        keep[n++] = im->lines[i];
    }
    const char *text = join_lines(im, keep, n);
    if (*text)
        note_push(im, first, title, text);
}

/* Every extra section becomes a note. */
static void section_notes(importer *im)
{
    for (int i = 0; i < im->nsections; i++)
        if (im->sections[i].note)
            prose_note(im, im->sections[i].name, im->sections[i].begin, im->sections[i].end);
}

/* The section's first fenced code block, verbatim, with a final newline,
 * and its language ("json", "" or "HTTP"). Text around it becomes a note
 * (SDK samples after it are dropped). */
static int code_block(importer *im, const section *s, const char **text, int *first,
                      const char **lang)
{
    int i = s->begin;
    while (i < s->end && !starts(im->lines[i], "```"))
        i++;
    if (i == s->end)
        return fail(im, line_pos(im, s->begin < s->end ? s->begin : s->head),
                    "expected a ``` code block in section '%s'", s->name);
    int open = i++;
    *lang = fence_language(im, im->lines[open]);
    og_buf b = {0};
    for (; i < s->end && !starts(im->lines[i], "```"); i++)
        og_buf_printf(&b, "%s\n", im->lines[i]);
    *text = og_strdup(im->a, b.data ? b.data : "");
    og_buf_free(&b);
    *first = open + 1;
    if (i == s->end)
        return fail(im, line_pos(im, open), "the code block is not closed");
    prose_note(im, s->name, s->begin, open);
    prose_note(im, s->name, i + 1, s->end);
    return 0;
}

/* ---- examples that are not strict JSON ----------------------------------- */

/* Pages write examples the way people write JSON by hand. The repairs, each
 * outside strings unless said: a `// ...` or `/\* ... *\/` comment is dropped
 * (the line break stays); an ellipsis `...` or `…` standing for more elements
 * is dropped; a key written without quotes (`name: 1`) is quoted; inside a
 * string, a backslash before a character JSON cannot escape ("^\d{9}$") is
 * kept as a backslash; then a comma before `}`, `]` or another comma is
 * dropped. Line breaks are kept, so positions still point into the page. */
static bool ident_char(char c)
{
    return c == '_' || c == '$' || is_alpha(c) || is_digit(c);
}

/* An unquoted key at p: an identifier, blanks, then ':'. */
static size_t bare_key(const char *p)
{
    if (!(*p == '_' || *p == '$' || is_alpha(*p)))
        return 0;
    size_t n = 0;
    while (ident_char(p[n]))
        n++;
    size_t k = n;
    while (p[k] == ' ' || p[k] == '\t')
        k++;
    return p[k] == ':' ? n : 0;
}

/* After '{' or ',' (blanks aside): where an object key may start. */
static bool key_position(const og_buf *b)
{
    size_t n = b->len;
    while (n && strchr(" \t\r\n", b->data[n - 1]))
        n--;
    return n && (b->data[n - 1] == '{' || b->data[n - 1] == ',');
}

static void repair_pass1(const char *p, og_buf *b)
{
    bool in_string = false;
    for (; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1] && !strchr("\"\\/bfnrtu", p[1]))
                og_buf_puts(b, "\\\\");
            else if (*p == '\\' && p[1])
                og_buf_append(b, p++, 2);
            else {
                in_string = *p != '"';
                og_buf_append(b, p, 1);
            }
            continue;
        }
        size_t key;
        if (*p == '"') {
            in_string = true;
            og_buf_append(b, p, 1);
        } else if (starts(p, "//")) {
            p += strcspn(p, "\n") - 1;
        } else if (starts(p, "/*") && strstr(p + 2, "*/")) {
            const char *end = strstr(p + 2, "*/");
            for (; p < end; p++)
                if (*p == '\n')
                    og_buf_puts(b, "\n");
            p++;
        } else if (starts(p, "...") || starts(p, "\xE2\x80\xA6")) {
            p += (*p == '.' ? strspn(p, ".") : 3) - 1;
        } else if (key_position(b) && (key = bare_key(p))) {
            og_buf_printf(b, "\"%.*s\"", (int)key, p);
            p += key - 1;
        } else
            og_buf_append(b, p, 1);
    }
}

static void repair_commas(const char *p, og_buf *b)
{
    bool in_string = false;
    for (; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1])
                og_buf_append(b, p++, 2);
            else {
                in_string = *p != '"';
                og_buf_append(b, p, 1);
            }
            continue;
        }
        in_string = *p == '"';
        const char *next = p + 1;
        next += strspn(next, " \t\r\n");
        if (*p == ',' && (*next == '}' || *next == ']' || *next == ','))
            continue;
        og_buf_append(b, p, 1);
    }
}

static char *repair_json(importer *im, const char *text)
{
    og_buf one = {0}, two = {0};
    repair_pass1(text, &one);
    repair_commas(one.data ? one.data : "", &two);
    char *out = og_strdup(im->a, two.data ? two.data : "");
    og_buf_free(&one);
    og_buf_free(&two);
    return out;
}

/* Where cJSON stopped reading text, as a place in the page. */
static og_pos json_error_pos(const importer *im, const char *text, const char *end, int first)
{
    og_pos pos = {im->file, first + 1, 1};
    for (const char *p = text; end && p < end && *p; p++) {
        if (*p == '\n')
            pos.line++, pos.col = 1;
        else
            pos.col += ((unsigned char)*p & 0xC0) != 0x80;
    }
    return pos;
}

/* Parses a JSON example, repaired when it is not strict JSON (the spec then
 * keeps the repaired text). One that no repair makes a JSON object is left
 * out of the spec, with a warning that points into the page. */
static int parse_json(importer *im, const char **text, int first, const char *what,
                      cJSON **out)
{
    const char *end = NULL;
    *out = cJSON_ParseWithOpts(*text, &end, 1);
    if (cJSON_IsObject(*out))
        return 0;
    bool parsed = *out != NULL;
    cJSON_Delete(*out);
    og_pos pos = json_error_pos(im, *text, end, first);
    char *repaired = parsed ? NULL : repair_json(im, *text);
    *out = repaired ? cJSON_ParseWithOpts(repaired, NULL, 1) : NULL;
    if (cJSON_IsObject(*out)) {
        *text = repaired;
        return 0;
    }
    cJSON_Delete(*out);
    *out = NULL;
    warn(im, pos, "the %s example is not %s; left out of the spec", what,
         parsed ? "a JSON object" : "valid JSON");
    *text = NULL;
    return 0;
}

/* ---- tables ------------------------------------------------------------ */

/* Splits a row's first line in place into at most max cells. */
static int split_cells(char *l, char **cells, int max)
{
    int n = 0;
    cells[n++] = l;
    for (char *bar; n < max && (bar = find_bar(cells[n - 1])); ) {
        *bar = '\0';
        cells[n++] = bar + 1;
    }
    for (int i = 0; i < n; i++)
        cells[i] = trim(cells[i]);
    return n;
}

static bool separator_line(const char *l)
{
    return strchr(l, '-') && l[strspn(l, "-|: \t")] == '\0';
}

static bool indented(const char *l)
{
    return l[0] == ' ' || l[0] == '\t';
}

/* A key cell written over several lines ("权限要求  \n    **note**  \n
 *     开启任一权限即可 | value"): an unindented line without '|', then
 * indented lines, the last of which has the '|'. Returns the index of the
 * line with the '|', or -1 when line i does not start such a key. The
 * lines between are notes on the key, not part of the value. */
static int split_key(importer *im, int i, int end)
{
    if (find_bar(im->lines[i]) || indented(im->lines[i]) || is_blank(im->lines[i]))
        return -1;
    for (int j = i + 1; j < end && indented(im->lines[j]); j++)
        if (find_bar(im->lines[j]))
            return j;
    return -1;
}

static int count_rows(importer *im, int i, int end, bool kv)
{
    int n = 0;
    for (; i < end; i++) {   /* end: table_end, blank lines inside cells */
        int bar = kv ? split_key(im, i, end) : -1;
        if (bar >= 0)
            n++, i = bar;
        else
            n += find_bar(im->lines[i]) != NULL;
    }
    return n;
}

/* Starts a row at line i; returns the next line index or -1. */
static int start_row(importer *im, table *t, int i, int end, bool kv)
{
    row *r = &t->rows[t->count++];
    r->line = i;
    char *cells[MAX_COLS + 1];
    int n, bar = kv ? split_key(im, i, end) : -1;
    if (bar >= 0) {
        cells[0] = trim(im->lines[i]);
        n = 1 + split_cells(find_bar(im->lines[bar]) + 1, cells + 1, t->ncols - 1);
        i = bar;
    } else
        n = split_cells(im->lines[i], cells, t->ncols);
    if (n < t->ncols)
        return fail(im, line_pos(im, r->line), "table row has %d column%s, expected %d",
                    n, n == 1 ? "" : "s", t->ncols);
    memcpy(r->cells, cells, (size_t)n * sizeof *cells);
    int more = 0;
    while (i + 1 + more < end && !find_bar(im->lines[i + 1 + more]) &&
           !(kv && split_key(im, i + 1 + more, end) >= 0))
        more++;
    r->text = og_alloc(im->a, (size_t)(more + 1) * sizeof *r->text);
    r->text[r->ntext++] = (text_line){r->cells[t->ncols - 1], i};
    return i + 1;
}

/* Whether line l has at least ncols cells (ncols - 1 bars). */
static bool looks_like_row(char *l, int ncols)
{
    int bars = 0;
    for (char *p = find_bar(l); p; p = find_bar(p + 1))
        bars++;
    return bars >= ncols - 1;
}

/* The table ends at a blank line, unless a cell goes on after it: a
 * "**字段权限要求：**" followed by a blank line and the scope, then more rows
 * (070_server-docs_corehr-v1_employee_person_get). So a blank line ends the
 * table only when the lines up to the next blank one hold no row. */
static int table_end(importer *im, int i, int end, int ncols, bool kv)
{
    for (;;) {
        while (i < end && !is_blank(im->lines[i]))
            i++;
        int j = i;
        while (j < end && is_blank(im->lines[j]))
            j++;
        bool row = false;
        for (int k = j; !kv && k < end && !is_blank(im->lines[k]) && !row; k++)
            row = k > j && looks_like_row(im->lines[k], ncols);
        if (!row)
            return i;
        i = j;
    }
}

/* Reads the section's one table. Cells hold everything on a row's first
 * line; the lines that follow it, up to the next row, continue its last cell. */
static int read_table(importer *im, const section *s, bool kv, table *t)
{
    int i = s->begin;
    while (i < s->end && is_blank(im->lines[i]))
        i++;
    if (i == s->end || !find_bar(im->lines[i]))
        return fail(im, line_pos(im, i < s->end ? i : s->head),
                    "expected a table in section '%s'", s->name);
    t->ncols = split_cells(im->lines[i], t->head.cells, MAX_COLS);
    t->head.line = i++;
    if (i == s->end || !separator_line(im->lines[i]))
        return fail(im, line_pos(im, i < s->end ? i : i - 1),
                    "expected the table's '---|---' line");
    i++;
    int end = table_end(im, i, s->end, t->ncols, kv);
    t->rows = og_alloc(im->a, (size_t)(count_rows(im, i, end, kv) + 1) * sizeof *t->rows);
    while (i < end) {
        if (find_bar(im->lines[i]) || (kv && split_key(im, i, end) >= 0)) {
            if ((i = start_row(im, t, i, end, kv)) < 0)
                return -1;
            continue;
        }
        if (is_blank(im->lines[i])) {   /* inside a cell (table_end) */
            i++;
            continue;
        }
        if (!t->count)
            return fail(im, line_pos(im, i), "table row has 1 column, expected %d", t->ncols);
        rstrip(im->lines[i]);
        row *r = &t->rows[t->count - 1];
        r->text[r->ntext++] = (text_line){im->lines[i], i};
        i++;
    }
    prose_note(im, s->name, i, s->end);   /* "更多错误码信息，参见…" */
    return 0;
}

/* Older pages name the columns differently ("参数 | 类型 | 必须 | 说明"). */
static bool same_column(const char *cell, const char *want)
{
    static const char *const synonyms[][2] = {
        {"参数", "名称"}, {"参数名", "名称"}, {"字段", "名称"}, {"必须", "必填"},
        {"是否必填", "必填"}, {"是否必须", "必填"}, {"说明", "描述"},
    };
    if (!strcmp(cell, want))
        return true;
    for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0]; i++)
        if (!strcmp(cell, synonyms[i][0]) && !strcmp(want, synonyms[i][1]))
            return true;
    return false;
}

static int check_header(importer *im, const table *t, const char *const *want, int n)
{
    bool ok = t->ncols == n;
    for (int i = 0; ok && i < n; i++)
        ok = same_column(t->head.cells[i], want[i]);
    if (ok)
        return 0;
    og_buf b = {0};
    for (int i = 0; i < n; i++)
        og_buf_printf(&b, "%s%s", i ? " | " : "", want[i]);
    fail(im, line_pos(im, t->head.line), "expected the table header '%s'", b.data);
    og_buf_free(&b);
    return -1;
}

/* ---- one field from one table row -------------------------------------- */

/* "map&lt;string, union&gt;" -> "map<string, union>" */
static char *html_unescape(char *s)
{
    static const char *const ents[][2] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}};
    char *o = s;
    for (const char *p = s; *p;) {
        size_t i = 0;
        while (i < sizeof ents / sizeof ents[0] && !starts(p, ents[i][0]))
            i++;
        if (i < sizeof ents / sizeof ents[0]) {
            *o++ = ents[i][1][0];
            p += strlen(ents[i][0]);
        } else
            *o++ = *p++;
    }
    *o = '\0';
    return s;
}

/* Types whose values have no fixed shape: kept as JSON (type json). */
static bool free_form_type(const char *t)
{
    return starts(t, "map<") || !strcmp(t, "map") || !strcmp(t, "union") ||
           !strcmp(t, "interface{}") || !strcmp(t, "object") || !strcmp(t, "any") ||
           !strcmp(t, "json");
}

/* The page's type cell -> the spec's type. "x[][]" is an array of arrays;
 * "file" is a file part in a request body, elsewhere an object type that
 * may not take the name of the spec's own file type. */
static int parse_type(importer *im, imp_field *f, const row *r)
{
    static const struct { const char *doc, *spec; kind k; } scalars[] = {
        {"string", "string", K_STRING}, {"int", "int", K_INT},
        {"integer", "int", K_INT}, {"int32", "int", K_INT},
        {"int64", "int64", K_INT64}, {"number(float)", "float", K_FLOAT},
        {"float", "float", K_FLOAT}, {"number", "float", K_FLOAT},
        {"double", "float", K_FLOAT},
        {"boolean", "bool", K_BOOL}, {"bool", "bool", K_BOOL},
    };
    char *t = html_unescape(md_unescape(im, r->cells[1]));
    f->type_cell = t;
    size_t n = strlen(t);
    while (n > 2 && !strcmp(t + n - 2, "[]"))
        t[n -= 2] = '\0', f->dims++;
    f->is_array = f->dims > 0;
    const char *spec = NULL;
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0] && !spec; i++)
        if (!strcmp(t, scalars[i].doc))
            spec = scalars[i].spec, f->kind = scalars[i].k;
    if (!spec && !strcmp(t, "list")) {
        /* An array whose items the example shows (older pages). */
        spec = "json", f->kind = K_JSON, f->untyped_list = true;
        f->dims++;
        f->is_array = true;
    }
    if (!spec && free_form_type(t))
        spec = "json", f->kind = K_JSON;
    if (!spec && !strcmp(t, "file") && im->in_request_body)
        spec = "file", f->kind = K_FILE;
    else if (!spec && !strcmp(t, "file"))
        spec = f->object = "file_object", f->kind = K_OBJECT;
    if (!spec && is_ident(t, true))
        spec = f->object = t, f->kind = K_OBJECT;
    if (!spec)
        return fail(im, at(im, r->line, r->cells[1]), "unknown type '%s' of field '%s'",
                    r->cells[1], f->name);
    og_buf b = {0};
    og_buf_puts(&b, spec);
    for (int i = 0; i < f->dims; i++)
        og_buf_puts(&b, "[]");
    f->type = og_strdup(im->a, b.data);
    og_buf_free(&b);
    return 0;
}

/* Whether the spec allows an example, a default and enum values. */
static bool scalar_field(const imp_field *f)
{
    return !f->is_array && f->kind != K_OBJECT && f->kind != K_JSON && f->kind != K_FILE;
}

/* Whether raw is a value of the scalar field's type (typed_value takes it). */
static bool value_of_kind(const imp_field *f, const char *raw)
{
    switch (f->kind) {
    case K_INT:
    case K_INT64:
        return is_int_text(raw);
    case K_FLOAT:
        return is_number_text(raw);
    case K_BOOL:
        return !strcmp(raw, "true") || !strcmp(raw, "false");
    default:
        return true;
    }
}

/* A value of the field's type as YAML text: quotes around a string
 * example are the page's, not part of the value. */
static const char *typed_value(importer *im, const imp_field *f, const char *raw,
                               bool unquote, og_pos pos, const char *what)
{
    size_t n = strlen(raw);
    switch (f->kind) {
    case K_STRING:
        if (unquote && n >= 2 && raw[0] == '"' && raw[n - 1] == '"')
            raw = og_strndup(im->a, raw + 1, n - 2);
        return yaml_str(im, raw, false);
    case K_INT:
    case K_INT64:
        if (is_int_text(raw))
            return raw;
        break;
    case K_FLOAT:
        if (is_number_text(raw))
            return raw;
        break;
    case K_BOOL:
        if (!strcmp(raw, "true") || !strcmp(raw, "false"))
            return raw;
        break;
    case K_OBJECT:
    case K_JSON:
    case K_FILE:
        fail(im, pos, "field '%s' of type %s cannot have %s", f->name, f->type, what);
        return NULL;
    }
    fail(im, pos, "%s '%s' of field '%s' is not of type %s", what, raw, f->name, f->type);
    return NULL;
}

/* "**示例值**：x" -> label "示例值", rest "x"; NULL when not a marker. The
 * colon may also sit inside the bold ("**字段权限要求：**", as on
 * 070_server-docs_corehr-v1_employee_person_get). */
static char *marker(importer *im, char *s, char **rest)
{
    if (!starts(s, "**"))
        return NULL;
    char *end = strstr(s + 2, "**");
    if (!end)
        return NULL;
    char *after = end + 2;
    size_t fw = strlen(FW_COLON), len = (size_t)(end - s - 2);
    if (starts(after, FW_COLON))
        after += fw;
    else if (*after == ':')
        after++;
    else if (len > fw && !strncmp(end - fw, FW_COLON, fw))
        len -= fw;
    else if (len > 1 && end[-1] == ':')
        len--;
    else
        return NULL;
    *rest = trim(after);
    return og_strndup(im->a, s + 2, len);
}

static int parse_scope(importer *im, const text_line *tl, char *s, og_scope *out)
{
    s = trim(s);
    size_t n = strlen(s);
    char *open = strrchr(s, '(');
    bool ok = n && s[n - 1] == ')' && open && open > s && open + 2 < s + n;
    for (char *p = ok ? open + 1 : s; ok && p < s + n - 1; p++)
        ok = !strchr(" \t()", *p);
    if (!ok)
        return fail(im, at(im, tl->line, s), "expected 'title(scope)', not '%s'", s);
    out->name = og_strndup(im->a, open + 1, (size_t)(s + n - 1 - (open + 1)));
    *open = '\0';
    out->title = og_strdup(im->a, trim(s));
    return 0;
}

typedef struct imp_bounds {
    const char *min, *max;
} imp_bounds;

typedef enum cell_state {
    IN_DESC, IN_NONE, IN_ENUM, IN_RULES, IN_SCOPES, IN_VALUE_SCOPES
} cell_state;

typedef struct cell_reader {
    imp_field *f;
    cell_state state;
    const char *state_label;
    imp_enum *value;         /* IN_VALUE_SCOPES: the value the scopes are for */
    imp_enum *enums_last;
    char **desc;
    int ndesc;
    const char **extra;      /* examples of non-scalar fields, for the description */
    int nextra;
    imp_bounds length, range;
} cell_reader;

/* "- value：description" or "1. value：description": the list marker's
 * length, 0 when the line starts no item. */
static size_t item_marker(const char *s)
{
    if (starts(s, "- "))
        return 2;
    size_t d = strspn(s, "0123456789");
    return d && d < 4 && s[d] == '.' && s[d + 1] == ' ' ? d + 2 : 0;
}

/* "<li>0：全部</li>" -> "- 0：全部"; "<ul>", "</ul>": nothing. Pages
 * written in HTML lists. */
static char *html_item(importer *im, char *s)
{
    if (!strcmp(s, "<ul>") || !strcmp(s, "</ul>") || !strcmp(s, "<ol>") || !strcmp(s, "</ol>"))
        return "";
    size_t n = strlen(s);
    if (!starts(s, "<li>"))
        return s;
    if (n >= 9 && !strcmp(s + n - 5, "</li>"))
        n -= 5;
    return og_printf(im->a, "- %.*s", (int)(n - 4), s + 4);
}

static int enum_item(importer *im, cell_reader *c, const text_line *tl)
{
    char *s = html_item(im, tl->s), *colon = strstr(s, FW_COLON);
    if (!*s)
        return 0;
    if (c->f->kind == K_BOOL) {
        /* true and false explained: text, as a bool has no enum. */
        c->extra[c->nextra++] = og_strdup(im->a, s);
        return 0;
    }
    size_t mark = item_marker(s);
    if (!mark && c->enums_last && !is_blank(s)) {
        /* The previous value's description goes on. */
        c->enums_last->description = og_printf(im->a, "%s\n%s", c->enums_last->description,
                                               trim(s));
        return 0;
    }
    if (!mark || !colon)
        return fail(im, at(im, tl->line, s), "expected '- value%sdescription'", FW_COLON);
    *colon = '\0';
    imp_enum *e = og_alloc(im->a, sizeof *e);
    e->raw = trim(s + mark);
    size_t n = strlen(e->raw);
    if (n > 2 && e->raw[0] == '`' && e->raw[n - 1] == '`')
        e->raw = og_strndup(im->a, e->raw + 1, n - 2);
    e->description = trim(colon + strlen(FW_COLON));
    if (c->f->kind != K_STRING && c->f->kind != K_INT && c->f->kind != K_INT64)
        return fail(im, at(im, tl->line, s), "field '%s' of type %s cannot have allowed values",
                    c->f->name, c->f->type);
    e->value = typed_value(im, c->f, e->raw, false, at(im, tl->line, e->raw), "allowed value");
    if (!e->value)
        return -1;
    if (c->enums_last)
        c->enums_last->next = e;
    else
        c->f->enums = e;
    c->enums_last = e;
    return 0;
}

/* "`1`" -> "1"; advances *s past it. */
static char *backticked(char **s)
{
    if (**s != '`')
        return NULL;
    char *end = strchr(*s + 1, '`');
    if (!end)
        return NULL;
    char *v = *s + 1;
    *end = '\0';
    *s = end + 1;
    return v;
}

/* The rules a page writes under 数据校验规则, as length or range bounds.
 * 正则校验 (a pattern) has no spec key: it stays in the description. */
static const struct rule_kind {
    const char *label;
    bool length, min, max;
} rule_kinds[] = {
    {"- 长度范围" FW_COLON, true, true, true},  {"- 取值范围" FW_COLON, false, true, true},
    {"- 最大长度" FW_COLON, true, false, true}, {"- 最小长度" FW_COLON, true, true, false},
    {"- 最大值" FW_COLON, false, false, true},  {"- 最小值" FW_COLON, false, true, false},
};

static bool bound_ok(const char *v, bool length)
{
    return v && (length ? is_int_text(v) : is_number_text(v));
}

/* "- 长度范围：`1` ～ `100` 字符", "- 取值范围：`0` ～ `168`", "- 最大长度：`10`". */
static int rule_item(importer *im, cell_reader *c, const text_line *tl)
{
    char *s = tl->s;
    if (starts(s, "- 正则校验" FW_COLON)) {
        c->extra[c->nextra++] = og_strdup(im->a, s + 2);
        return 0;
    }
    const struct rule_kind *k = NULL;
    for (size_t i = 0; i < sizeof rule_kinds / sizeof rule_kinds[0] && !k; i++)
        if (starts(s, rule_kinds[i].label))
            k = &rule_kinds[i];
    if (!k)
        return fail(im, at(im, tl->line, s), "unknown validation rule '%s'", s);
    char *p = skip_space(s + strlen(k->label));
    char *min = NULL, *max = NULL;
    if (k->min)
        min = backticked(&p);
    bool sep = !(k->min && k->max) || (min && starts(p, " " FW_TILDE " "));
    if (k->min && k->max && sep)
        p += strlen(" " FW_TILDE " ");
    if (k->max)
        max = sep ? backticked(&p) : NULL;
    bool ok = (!k->min || bound_ok(min, k->length)) && (!k->max || bound_ok(max, k->length));
    if (!ok || (*p && strcmp(p, " 字符")))
        return fail(im, at(im, tl->line, s), k->min && k->max
                    ? "expected '`min` " FW_TILDE " `max`' in the rule"
                    : "expected '`value`' in the rule");
    imp_bounds *b = k->length ? &c->length : &c->range;
    if (min)
        b->min = min;
    if (max)
        b->max = max;
    return 0;
}

/* {min, max} as the spec writes it: "{min: 1, max: 10}", "{max: 10}". */
static const char *bounds_text(importer *im, const imp_bounds *b)
{
    if (!b->min && !b->max)
        return NULL;
    return og_printf(im->a, "{%s%s%s%s%s}", b->min ? "min: " : "", b->min ? b->min : "",
                     b->min && b->max ? ", " : "", b->max ? "max: " : "",
                     b->max ? b->max : "");
}

static int scope_item(importer *im, cell_reader *c, const text_line *tl)
{
    og_scope sc;
    if (parse_scope(im, tl, tl->s, &sc) < 0)
        return -1;
    scope_list *l = c->state == IN_SCOPES ? &c->f->scopes : &c->value->scopes;
    scope_push(im, l, sc.name, sc.title);
    return 0;
}

static int value_scopes(importer *im, cell_reader *c, const text_line *tl,
                        const char *label)
{
    const char *prefix = "当值为 `", *suffix = "`，字段权限要求";
    size_t n = strlen(label), pn = strlen(prefix), sn = strlen(suffix);
    if (n <= pn + sn || !starts(label, prefix) || strcmp(label + n - sn, suffix))
        return fail(im, at(im, tl->line, tl->s), "unknown '**%s**' in the description of '%s'",
                    label, c->f->name);
    char *v = og_strndup(im->a, label + pn, n - pn - sn);
    for (imp_enum *e = c->f->enums; e; e = e->next)
        if (!strcmp(e->raw, v)) {
            c->value = e;
            c->state = IN_VALUE_SCOPES;
            return 0;
        }
    return fail(im, at(im, tl->line, tl->s), "'%s' is not an allowed value of '%s'", v,
                c->f->name);
}

static int once(importer *im, bool given, const text_line *tl, const char *label,
                const imp_field *f)
{
    if (given)
        return fail(im, at(im, tl->line, tl->s), "'%s' given twice for '%s'", label, f->name);
    return 0;
}

/* A "**label**：rest" line of a description cell. */
static int marker_line(importer *im, cell_reader *c, const text_line *tl,
                       const char *label, char *rest)
{
    imp_field *f = c->f;
    bool list = !strcmp(label, "可选值有") || !strcmp(label, "数据校验规则") ||
                starts(label, "字段权限要求") || starts(label, "当值为 ");
    if (list && *rest)
        return fail(im, at(im, tl->line, rest), "expected the list of '%s' on the next lines",
                    label);
    c->state_label = label;
    if ((!strcmp(label, "示例值") || !strcmp(label, "默认值")) && !scalar_field(f)) {
        /* The spec keeps examples and defaults of scalars only: the page's
         * text stays with the field as the last line of its description. */
        c->extra[c->nextra++] = og_printf(im->a, "%s%s%s", label, FW_COLON, rest);
        c->state = IN_NONE;
        return 0;
    }
    if (!strcmp(label, "示例值") || !strcmp(label, "默认值")) {
        bool ex = !strcmp(label, "示例值");
        const char **slot = ex ? &f->example : &f->def;
        if (once(im, *slot != NULL, tl, label, f) < 0)
            return -1;
        size_t n = strlen(rest);
        if (!ex && n >= 2 && rest[0] == '`' && rest[n - 1] == '`')
            rest = og_strndup(im->a, rest + 1, n - 2);
        if (!value_of_kind(f, rest)) {
            /* Prose where a value goes ("空，表示不更新该字段"): kept as text. */
            c->extra[c->nextra++] = og_printf(im->a, "%s%s%s", label, FW_COLON, rest);
            warn(im, at(im, tl->line, tl->s), "%s '%s' of field '%s' is not of type %s; "
                 "kept in the description", label, rest, f->name, f->type);
            c->state = IN_NONE;
            return 0;
        }
        *slot = typed_value(im, f, rest, true, at(im, tl->line, tl->s),
                            ex ? "example" : "default");
        c->state = IN_NONE;
        return *slot ? 0 : -1;
    }
    if (!strcmp(label, "可选值有") && f->kind == K_BOOL)
        c->extra[c->nextra++] = og_printf(im->a, "%s%s", label, FW_COLON);
    if (!strcmp(label, "可选值有")) {
        c->state = IN_ENUM;
        return once(im, f->enums != NULL, tl, label, f);
    }
    if (!strcmp(label, "数据校验规则"))
        return c->state = IN_RULES, 0;
    if (!strcmp(label, "字段权限要求") || !strcmp(label, "字段权限要求（满足任一）")) {
        c->state = IN_SCOPES;
        return once(im, f->scopes.count > 0, tl, label, f);
    }
    return value_scopes(im, c, tl, label);
}

static int cell_line(importer *im, cell_reader *c, const text_line *tl)
{
    char *rest, *label = marker(im, tl->s, &rest);
    static const char *const known[] = {"示例值", "默认值", "可选值有", "数据校验规则",
                                        "字段权限要求", "当值为 "};
    bool is_known = false;
    for (size_t i = 0; label && i < sizeof known / sizeof known[0]; i++)
        is_known |= starts(label, known[i]);
    if (is_known)
        return marker_line(im, c, tl, label, rest);
    switch (c->state) {
    case IN_DESC:
        c->desc[c->ndesc++] = tl->s;
        return 0;
    case IN_ENUM:
        return enum_item(im, c, tl);
    case IN_RULES:
        return rule_item(im, c, tl);
    case IN_SCOPES:
    case IN_VALUE_SCOPES:
        return scope_item(im, c, tl);
    case IN_NONE:
        break;
    }
    return fail(im, at(im, tl->line, tl->s), "unexpected text after '**%s**' in the "
                "description of '%s'", c->state_label, c->f->name);
}

/* Whether the prose asks for a date: it names the layout yyyy-mm-dd, and
 * never with a time after it ("yyyy-mm-dd hh:mm:ss", "YYYY-MM-DD 00:00:00"),
 * since `format: date` refuses anything but a date alone. */
static bool dates_only(const char *s)
{
    bool seen = false;
    if (!contains_nocase(s, "yyyy-mm-dd"))
        return false;
    for (const char *p = s; *p; p++) {
        if (!contains_nocase_at(p, "yyyy-mm-dd"))
            continue;
        seen = true;
        const char *q = p + strlen("yyyy-mm-dd");
        q += strspn(q, " T");
        if (lower(q[0]) == 'h' || (is_digit(q[0]) && is_digit(q[1]) && q[2] == ':'))
            return false;
    }
    return seen;
}

static bool is_quoted_date(const char *s)
{
    return s[0] == '"' && date_shape(s + 1) && s[11] == '"' && s[12] == '\0';
}

/* A count written in digits or as one Chinese numeral (一..九, 两) at p;
 * its length in bytes in *len. -1 if there is none. */
static long numeral_at(const char *p, size_t *len)
{
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七",
                                     "八", "九", "两"};
    if (is_digit(*p)) {
        long v = 0;
        for (*len = 0; is_digit(p[*len]) && *len < 3; (*len)++)
            v = v * 10 + (p[*len] - '0');
        return is_digit(p[*len]) ? -1 : v;
    }
    for (size_t i = 0; i < sizeof cn / sizeof cn[0]; i++)
        if (starts(p, cn[i])) {
            *len = strlen(cn[i]);
            return i < 9 ? (long)i + 1 : 2;
        }
    return -1;
}

/* The numeral that ends just before p (text <= p), or -1. */
static long numeral_before(const char *text, const char *p)
{
    size_t len;
    const char *q = p;
    while (q > text && is_digit(q[-1]))
        q--;
    if (q == p)     /* a Chinese numeral: three bytes of UTF-8 */
        q = p - text >= 3 ? p - 3 : p;
    long v = q < p ? numeral_at(q, &len) : -1;
    return v >= 0 && q + len == p ? v : -1;
}

/* The decimal places a description allows: "限制两位小数", "保留2位小数",
 * "最多6位小数", "精确到小数点后两位", "支持小数点后两位"; -1 if it says
 * none. */
static long stated_decimals(const char *text)
{
    size_t len;
    for (const char *p = text; (p = strstr(p, "位小数")); p++) {
        long v = numeral_before(text, p);
        if (v >= 0)
            return v;
    }
    for (const char *p = text; (p = strstr(p, "小数点后")); p++) {
        const char *n = p + strlen("小数点后");
        long v = numeral_at(n, &len);
        if (v >= 0 && starts(n + len, "位"))
            return v;
    }
    return -1;
}

static bool ascii_only(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

static bool enum_has(const imp_field *f, const char *value)
{
    for (const imp_enum *e = f->enums; e; e = e->next)
        if (!strcmp(e->value, value))
            return true;
    return false;
}

/* The page's own example or default is not among its allowed values: the
 * list is incomplete, and a client that enforced it would refuse what the
 * server takes. */
static bool enum_contradicted(const imp_field *f)
{
    return f->enums && ((f->example && !enum_has(f, f->example)) ||
                        (f->def && !enum_has(f, f->def)));
}

/* Keeps the values as text ("可选值有：" and the list), not as a rule. */
static void enum_to_description(importer *im, imp_field *f, const row *r)
{
    og_buf b = {0};
    og_buf_printf(&b, "%s%s可选值有%s", f->description, *f->description ? "\n" : "",
                  FW_COLON);
    for (const imp_enum *e = f->enums; e; e = e->next)
        og_buf_printf(&b, "\n- %s%s%s", e->raw, FW_COLON, e->description);
    f->description = og_strdup(im->a, b.data);
    og_buf_free(&b);
    warn(im, line_pos(im, r->line), "the %s of '%s' is not one of its allowed values; "
         "the values are kept in the description, not enforced",
         f->example && !enum_has(f, f->example) ? "example" : "default", f->name);
    f->enums = NULL;
}

/* The description cell: prose, then the structured parts. */
static int parse_cell(importer *im, imp_field *f, const row *r)
{
    cell_reader c = {.f = f, .state = IN_DESC};
    c.desc = og_alloc(im->a, (size_t)r->ntext * sizeof *c.desc);
    c.extra = og_alloc(im->a, (size_t)r->ntext * sizeof *c.extra);
    for (int i = 0; i < r->ntext; i++)
        if (cell_line(im, &c, &r->text[i]) < 0)
            return -1;
    f->description = join_lines(im, c.desc, c.ndesc);
    if (f->enums && f->def && !enum_has(f, f->def) && !ascii_only(f->def)) {
        /* 默认值 as prose ("空，表示不更新该字段"), not one of the values. */
        f->description = og_printf(im->a, "%s%s默认值%s%s", f->description,
                                   *f->description ? "\n" : "", FW_COLON, f->def);
        f->def = NULL;
    }
    if (enum_contradicted(f))
        enum_to_description(im, f, r);
    if (bounds_text(im, &c.length))
        f->length = bounds_text(im, &c.length);
    if (bounds_text(im, &c.range))
        f->range = bounds_text(im, &c.range);
    for (int i = 0; i < c.nextra; i++)
        f->description = og_printf(im->a, "%s%s%s", f->description,
                                   *f->description ? "\n" : "", c.extra[i]);
    if (f->kind == K_STRING && !f->is_array && dates_only(f->description) &&
        (!f->example || is_date(f->example) || is_quoted_date(f->example)))
        f->format = "date";
    if (strstr(f->description, "该字段可不传，但不可传空值"))
        f->non_empty = true;
    long places = f->kind == K_FLOAT && !f->is_array ? stated_decimals(f->description) : -1;
    if (places >= 0)
        f->decimals = og_printf(im->a, "%ld", places);
    return 0;
}

static imp_field *field_from_row(importer *im, const row *r, const char *name,
                                 bool has_required)
{
    imp_field *f = og_alloc(im->a, sizeof *f);
    f->pos = line_pos(im, r->line);
    f->name = name;
    if (!*name) {
        fail(im, f->pos, "table row has no field name");
        return NULL;
    }
    if (parse_type(im, f, r) < 0)
        return NULL;
    if (has_required) {
        const char *req = r->cells[2];
        if (strcmp(req, "是") && strcmp(req, "否")) {
            fail(im, at(im, r->line, req), "必填 of '%s' must be 是 or 否, not '%s'", name, req);
            return NULL;
        }
        f->required = !strcmp(req, "是");
    }
    return parse_cell(im, f, r) < 0 ? NULL : f;
}

/* ---- nesting rows by the JSON example ----------------------------------- */

typedef struct level {
    const cJSON *json;       /* the example object, NULL: no example */
    field_list *list;
    imp_field *field;        /* the object field whose children these are */
    imp_type *again;         /* a later use of this type: compared on close */
    imp_type *created;       /* the type this use defines */
    field_list seen;
    og_pos pos;
    bool envelope;           /* the response's {code, msg, data} */
} level;

typedef struct nester {
    level stack[MAX_DEPTH];
    int depth;
    bool has_required;
    bool response;
    cJSON *empty;
} nester;

/* The envelope's members; some families say message for msg. */
static bool envelope_member(const char *name)
{
    return !strcmp(name, "code") || !strcmp(name, "msg") || !strcmp(name, "message") ||
           !strcmp(name, "data");
}

static bool fits(const level *lv, const char *name)
{
    if (field_find(lv->list, name))
        return false;
    if (lv->envelope)
        return envelope_member(name);
    return !lv->json || cJSON_GetObjectItemCaseSensitive(lv->json, name);
}

/* How a later use of a type (b) differs from its first use (a), or NULL. */
static const char *fields_difference(importer *im, const field_list *a,
                                     const field_list *b)
{
    for (imp_field *x = a->first; x; x = x->next) {
        imp_field *y = field_find(b, x->name);
        if (!y)
            return og_printf(im->a, "field '%s' is missing here", x->name);
        if (strcmp(x->type, y->type))
            return og_printf(im->a, "field '%s' has type %s here, %s there", x->name,
                             y->type, x->type);
    }
    for (imp_field *y = b->first; y; y = y->next)
        if (!field_find(a, y->name))
            return og_printf(im->a, "field '%s' is only here", y->name);
    for (imp_field *x = a->first, *y = b->first; x && y; x = x->next, y = y->next)
        if (strcmp(x->name, y->name))
            return og_printf(im->a, "the fields are in another order ('%s' where "
                             "the first use has '%s')", y->name, x->name);
    return NULL;
}

static void type_push(importer *im, imp_type *t)
{
    if (im->types_last)
        im->types_last->next = t;
    else
        im->types = t;
    im->types_last = t;
}

static void type_remove(importer *im, const imp_type *t)
{
    imp_type *prev = NULL;
    for (imp_type *x = im->types; x; prev = x, x = x->next)
        if (x == t) {
            *(prev ? &prev->next : &im->types) = x->next;
            if (im->types_last == x)
                im->types_last = prev;
            return;
        }
}

/* Points field f at object type name (keeping its array depth). */
static void retype(importer *im, imp_field *f, const char *name)
{
    og_buf b = {0};
    og_buf_puts(&b, name);
    for (int i = 0; i < f->dims; i++)
        og_buf_puts(&b, "[]");
    f->object = name;
    f->type = og_strdup(im->a, b.data);
    og_buf_free(&b);
}

/* The name rule for one page: a type name the page uses with different
 * fields gets a variant per shape. The first shape keeps the name; another
 * one is NAME_resp in the response (NAME_req in the request), then NAME_2,
 * NAME_3 ... A later use with the fields of an existing variant reuses it. */
static const char *variant_name(importer *im, const char *base, const field_list *fields,
                                bool response, bool *exists)
{
    const char *name = og_printf(im->a, "%s%s", base, response ? "_resp" : "_req");
    for (int k = 2;; k++) {
        imp_type *t = type_find(im, name);
        if (!t || !fields_difference(im, &t->fields, fields)) {
            *exists = t != NULL;
            return name;
        }
        name = og_printf(im->a, "%s_%d", base, k);
    }
}

/* An object field whose use lists no fields and whose type is new: a
 * free-form object (json). A later use of a known type may omit them. */
static int close_level(importer *im, nester *n)
{
    level *lv = &n->stack[--n->depth];
    if (lv->created && !lv->created->fields.count) {
        type_remove(im, lv->created);
        lv->field->kind = K_JSON;
        lv->field->object = NULL;
        retype(im, lv->field, "json");
        return 0;
    }
    if (!lv->again || !lv->seen.count || !fields_difference(im, &lv->again->fields, &lv->seen))
        return 0;
    bool exists;
    const char *name = variant_name(im, lv->again->name, &lv->seen, n->response, &exists);
    retype(im, lv->field, name);
    if (exists)
        return 0;
    imp_type *t = og_alloc(im->a, sizeof *t);
    *t = (imp_type){.pos = lv->pos, .name = name, .base = name, .fields = lv->seen};
    type_push(im, t);
    return 0;
}

static level *push_level(importer *im, nester *n, og_pos pos)
{
    if (n->depth == MAX_DEPTH) {
        fail(im, pos, "fields are nested more than %d deep", MAX_DEPTH);
        return NULL;
    }
    level *lv = &n->stack[n->depth++];
    *lv = (level){.pos = pos};
    return lv;
}

/* The example's object for f: through one array per "[]" of its type. */
static int example_object(importer *im, nester *n, const imp_field *f,
                          const cJSON *parent, const cJSON **out)
{
    const cJSON *v = parent ? cJSON_GetObjectItemCaseSensitive(parent, f->name) : NULL;
    for (int i = 0; v && !cJSON_IsNull(v) && i < f->dims; i++) {
        if (!cJSON_IsArray(v))
            return fail(im, f->pos, "field '%s' is %s, but the JSON example shows no array",
                        f->name, f->dims > 1 ? "an array of arrays" : "an array");
        v = v->child;
    }
    if (v && cJSON_IsArray(v) && !cJSON_IsNull(v))
        return fail(im, f->pos, "field '%s' is an object, but the JSON example shows an "
                    "array", f->name);
    /* No example of the object (absent, null, an empty array): no row fits
     * it by the example, so it gets the rows the example does not show. */
    *out = cJSON_IsObject(v) ? v : n->empty;
    return 0;
}

/* An object-typed field: its children follow it in the table. */
static int open_object(importer *im, nester *n, imp_field *f, const cJSON *parent)
{
    if (!parent)
        return fail(im, f->pos, "no JSON example shows the fields of '%s'", f->name);
    const cJSON *v = NULL;
    if (example_object(im, n, f, parent, &v) < 0)
        return -1;
    level *lv = push_level(im, n, f->pos);
    if (!lv)
        return -1;
    lv->json = v;
    lv->field = f;
    imp_type *t = type_find(im, f->object);
    if (t) {
        lv->again = t;
        lv->list = &lv->seen;
        return 0;
    }
    t = og_alloc(im->a, sizeof *t);
    *t = (imp_type){.pos = f->pos, .name = f->object, .base = f->object};
    type_push(im, t);
    lv->created = t;
    lv->list = &t->fields;
    return 0;
}

/* code, msg and data: only data's children are the endpoint's. */
static int envelope_row(importer *im, nester *n, const row *r, const char *name)
{
    imp_field *mark = og_alloc(im->a, sizeof *mark);
    mark->name = name;
    mark->type = "";
    field_push(n->stack[0].list, mark);
    if (strcmp(name, "data"))
        return 0;
    level *lv = push_level(im, n, line_pos(im, r->line));
    if (!lv)
        return -1;
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(n->stack[0].json, "data");
    lv->json = cJSON_IsObject(data) ? data : n->empty;
    lv->list = &im->response_data;
    return 0;
}

/* Within int64 and without a fraction (range checked before the cast). */
static bool whole_number(double v)
{
    return v > -9.2e18 && v < 9.2e18 && v == (double)(long long)v;
}

/* A "list" row: items of the example's first item's kind: objects make
 * an object type named FIELD_item, strings string[], and so on; without
 * an example item, json[]. */
static void list_items_from_example(importer *im, imp_field *f, const cJSON *parent)
{
    const cJSON *v = parent ? cJSON_GetObjectItemCaseSensitive(parent, f->name) : NULL;
    const cJSON *item = cJSON_IsArray(v) ? v->child : NULL;
    const char *spec = NULL;
    if (cJSON_IsObject(item)) {
        f->kind = K_OBJECT;
        retype(im, f, og_printf(im->a, "%s_item", f->name));
        return;
    }
    if (cJSON_IsString(item))
        spec = "string", f->kind = K_STRING;
    else if (cJSON_IsBool(item))
        spec = "bool", f->kind = K_BOOL;
    else if (cJSON_IsNumber(item) && whole_number(item->valuedouble))
        spec = "int64", f->kind = K_INT64;
    else if (cJSON_IsNumber(item))
        spec = "float", f->kind = K_FLOAT;
    if (spec)
        f->type = og_printf(im->a, "%s[]", spec);
}

/* Whether some open object takes the row by the example. */
static bool fits_somewhere(const nester *n, const char *name)
{
    for (int d = n->depth - 1; d >= 0; d--)
        if (fits(&n->stack[d], name))
            return true;
    return false;
}

static int nest_row(importer *im, nester *n, const row *r)
{
    const char *name = md_unescape(im, tree_name(r->cells[0]));
    /* A row the example does not show (the table was updated, the example
     * not): it stays in the innermost open object, as flattened tables list
     * children right after their parent. */
    bool unshown = n->depth && !n->stack[n->depth - 1].envelope &&
                   !fits_somewhere(n, name) && !field_find(n->stack[n->depth - 1].list, name);
    while (!unshown && n->depth && !fits(&n->stack[n->depth - 1], name))
        if (close_level(im, n) < 0)
            return -1;
    if (!n->depth)
        return fail(im, line_pos(im, r->line),
                    "field '%s' fits no parent: no open object of the JSON example has it",
                    name);
    level *lv = &n->stack[n->depth - 1];
    if (lv->envelope)
        return envelope_row(im, n, r, name);
    imp_field *f = field_from_row(im, r, name, n->has_required);
    if (!f)
        return -1;
    if (f->untyped_list)
        list_items_from_example(im, f, lv->json);
    if (unshown)
        warn(im, f->pos, "the JSON example does not show field '%s'; "
                   "taken as a field of %s%s%s", name, lv->field ? "'" : "the ",
                   lv->field ? lv->field->name : n->response ? "response data" : "request body",
                   lv->field ? "'" : "");
    field_push(lv->list, f);
    return f->object ? open_object(im, n, f, lv->json) : 0;
}

/* Nests a table's rows into out; json is the example (may be NULL). */
static int nest_table(importer *im, const table *t, const cJSON *json, bool envelope,
                      field_list *out)
{
    nester *n = og_alloc(im->a, sizeof *n);
    field_list envelope_fields = {0};
    n->has_required = t->ncols == 4;
    n->response = envelope;
    n->empty = cJSON_CreateObject();
    n->stack[0] = (level){.json = json, .list = envelope ? &envelope_fields : out,
                          .envelope = envelope};
    n->depth = 1;
    int rc = 0;
    for (int i = 0; i < t->count && rc == 0; i++)
        rc = nest_row(im, n, &t->rows[i]);
    while (rc == 0 && n->depth)
        rc = close_level(im, n);
    cJSON_Delete(n->empty);
    return rc;
}

/* ---- the sections, one by one ------------------------------------------- */

static const char *const field_head4[] = {"名称", "类型", "必填", "描述"};
static const char *const field_head3[] = {"名称", "类型", "描述"};

/* Path parameters are scalars; a query parameter may also be an array of
 * string, int, int64 or bool (sent as repeated keys). */
static bool param_type_ok(const imp_field *f, bool query)
{
    if (f->kind == K_OBJECT || f->kind == K_JSON || f->kind == K_FILE || f->dims > 1)
        return false;
    return !f->is_array || (query && f->kind != K_FLOAT);
}

/* Path and query parameters: one flat list of scalars. */
static int flat_fields(importer *im, const char *name, bool has_required, field_list *out)
{
    const section *s = find_section(im, name);
    table t = {0};
    if (!s)
        return 0;
    if (read_table(im, s, false, &t) < 0 ||
        check_header(im, &t, has_required ? field_head4 : field_head3, has_required ? 4 : 3) < 0)
        return -1;
    for (int i = 0; i < t.count; i++) {
        const row *r = &t.rows[i];
        const char *fname = md_unescape(im, tree_name(r->cells[0]));
        if (field_find(out, fname))
            return fail(im, line_pos(im, r->line), "parameter '%s' is listed twice", fname);
        imp_field *f = field_from_row(im, r, fname, has_required);
        if (!f)
            return -1;
        if (!param_type_ok(f, has_required))
            return fail(im, at(im, r->line, r->cells[1]), "%s parameter '%s' must have "
                        "a scalar type%s, not %s", has_required ? "query" : "path", fname,
                        has_required ? " or an array of string, int, int64 or bool" : "",
                        f->type);
        field_push(out, f);
    }
    return 0;
}

/* A table nested by the JSON example of section example_name. */
static int nested_fields(importer *im, const char *name, const char *example_name,
                         bool has_required, const char **example, field_list *out)
{
    const section *s = find_section(im, name), *ex = find_section(im, example_name);
    table t = {0};
    cJSON *json = NULL;
    int first = 0;
    im->in_request_body = has_required;
    /* A multipart body's example shows the form, not JSON: its fields are
     * flat, and the example is not kept. */
    const char *lang = NULL;
    if (ex && code_block(im, ex, example, &first, &lang) < 0)
        return -1;
    /* An example that is not JSON (a multipart body in ```HTTP) is kept
     * as a note, verbatim: the spec's examples are JSON. */
    if (ex && ((has_required && im->multipart) || sdk_sample(lang))) {
        note_push(im, first - 1, ex->name, og_printf(im->a, "%s\n%s```",
                                                     im->lines[first - 1], *example));
        *example = NULL;
        ex = NULL;
    }
    if (ex && parse_json(im, example, first, has_required ? "request body" : "response",
                         &json) < 0)
        return -1;
    int rc = 0;
    if (s)
        rc = read_table(im, s, false, &t) < 0 ||
             check_header(im, &t, has_required ? field_head4 : field_head3,
                          has_required ? 4 : 3) < 0 ||
             nest_table(im, &t, json, !has_required, out) < 0 ? -1 : 0;
    im->in_request_body = false;
    cJSON_Delete(json);
    return rc;
}

/* A table row no rule reads: its last cell's text, kept as a note. */
static void row_note(importer *im, const row *r, const char *title)
{
    char **text = og_alloc(im->a, (size_t)r->ntext * sizeof *text);
    for (int k = 0; k < r->ntext; k++)
        text[k] = skip_space(r->text[k].s);   /* indented continuation lines */
    note_push(im, r->line, title, join_lines(im, text, r->ntext));
}

/* "tenant_access_token" etc., in the order the cell names them. */
static void access_tokens(importer *im, const row *r)
{
    static const char *const tokens[] = {"tenant", "user", "app"};
    for (int k = 0; k < r->ntext; k++)
        for (const char *p = r->text[k].s; *p; p++)
            for (int j = 0; j < 3; j++) {
                size_t n = strlen(tokens[j]);
                bool dup = false;
                for (int m = 0; m < im->ntokens; m++)
                    dup |= im->tokens[m] == tokens[j];
                if (!dup && !strncmp(p, tokens[j], n) && starts(p + n, "_access_token"))
                    im->tokens[im->ntokens++] = tokens[j];
            }
}

static int request_headers(importer *im)
{
    const section *s = find_section(im, "请求头");
    table t = {0};
    if (!s)
        return 0;
    if (read_table(im, s, false, &t) < 0 || check_header(im, &t, field_head4, 4) < 0)
        return -1;
    for (int i = 0; i < t.count; i++) {
        const row *r = &t.rows[i];
        if (!strcmp(r->cells[0], "Authorization"))
            access_tokens(im, r);
        else if (!strcmp(r->cells[0], "Content-Type"))
            im->multipart |= strstr(r->cells[3], "multipart/form-data") != NULL;
        else {
            warn(im, line_pos(im, r->line), "the client does not send request header '%s'; "
                 "kept as a note", r->cells[0]);
            row_note(im, r, og_printf(im->a, "请求头 %s", r->cells[0]));
        }
    }
    return 0;
}

static int basic_url(importer *im, const row *r, const char *v)
{
    const char *p = strstr(v, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    if (!p || strpbrk(p, " \t"))
        return fail(im, at(im, r->text[0].line, v), "expected an http(s) URL, not '%s'", v);
    im->path = p;
    im->path_pos = at(im, r->text[0].line, v);
    return 0;
}

static int basic_method(importer *im, const row *r, const char *v)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (!strcmp(v, methods[i]))
            return im->method = methods[i], 0;
    return fail(im, at(im, r->text[0].line, v), "unknown HTTP method '%s'", v);
}

/* ---- the rate limit ------------------------------------------------------ */

/* "[text](link)" -> text; anything else as it is. */
static char *link_text(importer *im, const char *v)
{
    const char *close = *v == '[' ? strstr(v, "](") : NULL;
    size_t n = strlen(v);
    if (close && v[n - 1] == ')')
        return trim(og_strndup(im->a, v + 1, (size_t)(close - v - 1)));
    return trim(og_strdup(im->a, v));
}

/* Skips one of words at *p; returns its index or -1. */
static int skip_word(const char **p, const char *const *words, int n)
{
    for (int i = 0; i < n; i++)
        if (starts(*p, words[i])) {
            *p += strlen(words[i]);
            return i;
        }
    return -1;
}

static const char *const rate_units[] = {"秒钟", "秒", "分钟", "分", "小时", "时", "天", "日"};
static const char *const rate_pers[] = {"second", "second", "minute", "minute", "hour",
                                        "hour", "day", "day"};

/* "N 次/unit" at p (the slash also "／" or "每"); its unit index, or -1.
 * *num gets the digits, *end the text after. */
static int count_first(const char *p, const char **num, size_t *digits, const char **end)
{
    static const char *const slashes[] = {"/", "\xEF\xBC\x8F", "每"};
    *num = p;
    *digits = strspn(p, "0123456789");
    const char *q = skip_space((char *)p + *digits);
    if (!*digits || !starts(q, "次"))
        return -1;
    q = skip_space((char *)q + strlen("次"));
    int unit = skip_word(&q, slashes, 3) >= 0 ? skip_word(&q, rate_units, 8) : -1;
    *end = q;
    return unit;
}

/* "每unit N 次" at p: the unit first. */
static int unit_first(const char *p, const char **num, size_t *digits, const char **end)
{
    if (!starts(p, "每"))
        return -1;
    const char *q = p + strlen("每");
    int unit = skip_word(&q, rate_units, 8);
    *num = skip_space((char *)q);
    *digits = strspn(*num, "0123456789");
    q = skip_space((char *)*num + *digits);
    if (unit < 0 || !*digits || !starts(q, "次"))
        return -1;
    *end = q + strlen("次");
    return unit;
}

/* One part: "[qualifier] N 次/unit [more]" or "[qualifier] 每unit N 次 [more]",
 * the blanks optional. Words around the limit become the part's
 * description. Returns false when the part has no such limit. */
static bool rate_part(importer *im, const char *s, imp_rate *out)
{
    for (const char *p = s; *p; p++) {
        const char *num, *end;
        size_t digits;
        if (p > s && is_digit(p[-1]))
            continue;
        int unit = count_first(p, &num, &digits, &end);
        if (unit < 0)
            unit = unit_first(p, &num, &digits, &end);
        if (unit < 0 || *num == '0' || digits > 9)
            continue;
        out->count = og_strndup(im->a, num, digits);
        out->per = rate_pers[unit];
        char *before = trim(og_strndup(im->a, s, (size_t)(p - s)));
        char *after = trim(og_strdup(im->a, end));
        out->description = *before && *after ? og_printf(im->a, "%s %s", before, after)
                         : *before ? before : *after ? after : NULL;
        return true;
    }
    return false;
}

/* "[1000 次/分钟、50 次/秒](link)": every part is kept (the client enforces
 * them all). A limit without any number ("特殊频控") is special: documented,
 * not enforced. A part without a number next to parts with one is left out
 * with a warning. */
static int basic_rate(importer *im, const row *r, const char *v)
{
    static const char *const seps[] = {"、", "，", ",", "；", ";"};
    char *text = link_text(im, v);
    og_pos pos = at(im, r->text[0].line, v);
    im->rates = og_alloc(im->a, (strlen(text) + 1) * sizeof *im->rates);
    const char *bad = NULL;
    for (const char *p = text; *p;) {
        size_t n = strlen(p), step = 0;
        for (const char *q = p; *q && !step; q++)
            for (size_t i = 0; i < sizeof seps / sizeof seps[0] && !step; i++)
                if (starts(q, seps[i]))
                    n = (size_t)(q - p), step = strlen(seps[i]);
        char *part = trim(og_strndup(im->a, p, n));
        if (*part && !rate_part(im, part, &im->rates[im->nrates]))
            bad = bad ? bad : part;
        else if (*part)
            im->nrates++;
        p += n + step;
    }
    if (!im->nrates && *text) {
        im->rate_special = text;
        return 0;
    }
    if (bad && strstr(v, bad))
        pos = at(im, r->text[0].line, strstr(v, bad));
    if (bad)
        warn(im, pos, "rate limit part '%s' is not 'N 次/unit'; left out", bad);
    return 0;
}

static int basic_app_types(importer *im, const row *r, char *v)
{
    for (char *p = v, *next; p; p = next) {
        next = strstr(p, "、");
        if (next)
            *next = '\0', next += strlen("、");
        const char *t = !strcmp(p, "自建应用") ? "self_built"
                      : !strcmp(p, "商店应用") ? "store" : NULL;
        bool dup = false;
        for (int i = 0; t && i < im->napp_types; i++)
            dup |= !strcmp(im->app_types[i], t);
        if (!t || dup)
            warn(im, at(im, r->text[0].line, p), "%s app type '%s'; left out",
                 t ? "duplicate" : "unknown", p);
        else
            im->app_types[im->napp_types++] = t;
    }
    return 0;
}

/* Whether s looks like "title(name)": it ends in a parenthesised word. */
static bool scope_like(const char *s)
{
    size_t n = strlen(s);
    const char *open = strrchr(s, '(');
    return n && s[n - 1] == ')' && open && open > s && open + 2 < s + n &&
           !strpbrk(open + 1, " \t(") ;
}

/* Scopes, one "title(name)" a line; field scopes start with a note. A line
 * without "(name)" names no scope the client could check: it is left out
 * with a warning. */
static int basic_scopes(importer *im, const row *r, scope_list *out, bool note)
{
    for (int i = 0; i < r->ntext; i++) {
        char *s = trim(r->text[i].s);
        og_scope sc;
        if (!*s || (note && i == 0 && starts(s, "**注意事项**")))
            continue;
        if (!scope_like(s)) {
            warn(im, at(im, r->text[i].line, s), "scope '%s' has no '(name)'; left out", s);
            continue;
        }
        if (parse_scope(im, &r->text[i], s, &sc) < 0)
            return -1;
        scope_push(im, out, sc.name, sc.title);
    }
    return 0;
}

static int basic_row(importer *im, const row *r)
{
    const char *k = r->cells[0];
    char *v = r->cells[1];
    if (strcmp(k, "权限要求") && strcmp(k, "字段权限要求") && r->ntext > 1) {
        /* the row's value is its first line; more lines are kept as a note */
        warn(im, line_pos(im, r->text[1].line), "row '%s' goes on over more lines; "
             "they are kept as a note", k);
        row rest = *r;
        rest.text++;
        rest.ntext--;
        row_note(im, &rest, k);
    }
    if (!strcmp(k, "HTTP URL"))
        return basic_url(im, r, v);
    if (!strcmp(k, "HTTP Method"))
        return basic_method(im, r, v);
    if (!strcmp(k, "接口频率限制"))
        return basic_rate(im, r, v);
    if (!strcmp(k, "支持的应用类型"))
        return basic_app_types(im, r, v);
    if (!strcmp(k, "权限要求"))
        return basic_scopes(im, r, &im->scopes, false);
    if (!strcmp(k, "字段权限要求"))
        return basic_scopes(im, r, &im->field_scopes, true);
    warn(im, at(im, r->line, k), "unknown row '%s' in the request table; kept as a note", k);
    row_note(im, r, k);
    return 0;
}

static int basic_table(importer *im)
{
    const section *s = find_section(im, "请求");
    table t = {0};
    if (!s)
        return fail(im, line_pos(im, 0), "the page has no '## 请求' section");
    if (read_table(im, s, true, &t) < 0)
        return -1;
    if (t.ncols != 2)
        return fail(im, line_pos(im, t.head.line), "expected a table of two columns");
    for (int i = 0; i < t.count; i++)
        if (basic_row(im, &t.rows[i]) < 0)
            return -1;
    if (!im->path || !im->method)
        return fail(im, line_pos(im, s->head), "the request table gives no %s",
                    im->path ? "HTTP Method" : "HTTP URL");
    return 0;
}

static int error_codes(importer *im)
{
    static const char *const head[] = {"HTTP状态码", "错误码", "描述", "排查建议"};
    const section *s = find_section(im, "错误码");
    table t = {0};
    if (!s)
        return 0;
    if (read_table(im, s, false, &t) < 0 || check_header(im, &t, head, 4) < 0)
        return -1;
    for (int i = 0; i < t.count; i++) {
        const row *r = &t.rows[i];
        for (int c = 0; c < 2; c++)
            if (!is_int_text(r->cells[c]))
                return fail(im, at(im, r->line, r->cells[c]), "expected a number, not '%s'",
                            r->cells[c]);
        imp_error *e = og_alloc(im->a, sizeof *e);
        char **text = og_alloc(im->a, (size_t)r->ntext * sizeof *text);
        for (int k = 0; k < r->ntext; k++)
            text[k] = r->text[k].s;
        *e = (imp_error){r->cells[0], r->cells[1], r->cells[2],
                         join_lines(im, text, r->ntext), NULL};
        if (im->errors_last)
            im->errors_last->next = e;
        else
            im->errors = e;
        im->errors_last = e;
    }
    return 0;
}

/* Every ":name" in the path is a path parameter, and the other way round. */
static int check_path_params(importer *im)
{
    size_t count = 0;
    for (const char *p = strstr(im->path, "/:"); p; p = strstr(p + 1, "/:")) {
        p++;
        size_t n = strcspn(p + 1, "/");
        const char *name = og_strndup(im->a, p + 1, n);
        if (!field_find(&im->path_params, name))
            return fail(im, im->path_pos, "path parameter ':%s' is not in the path "
                        "parameter table", name);
        count++;
    }
    for (imp_field *f = im->path_params.first; f && count != im->path_params.count;
         f = f->next) {
        char *param = og_printf(im->a, "/:%s", f->name);
        const char *hit = strstr(im->path, param);
        char after = hit ? hit[strlen(param)] : '\0';
        if (!hit || (after && after != '/'))
            return fail(im, f->pos, "path parameter '%s' is not in the path", f->name);
    }
    return 0;
}

/* "## 响应" only groups its subsections, except on a download page: no
 * 响应体 table, and the text says the body is the file's binary stream
 * ("返回文件二进制流"). */
static int empty_group(importer *im, const char *name)
{
    const section *s = find_section(im, name);
    bool download = s && !find_section(im, "响应体");
    for (int i = s ? s->begin : 0; s && i < s->end; i++)
        if (download && strstr(im->lines[i], "二进制"))
            im->binary = true;
    if (s)
        prose_note(im, name, s->begin, s->end);
    return 0;
}

static int read_page(importer *im, const char *path)
{
    size_t len;
    char *text = og_read_file(path, &len);
    if (!text)
        return fail(im, (og_pos){0}, "cannot read '%s'", path);
    int begin, rc = split_lines(im, text, len);
    free(text);
    if (rc == 0)
        rc = front_matter(im, &begin);
    if (rc == 0)
        rc = split_sections(im, begin);
    if (rc == 0 && find_section(im, "请求体"))
        im->has_body = true;
    if (rc == 0)
        rc = basic_table(im) < 0 || request_headers(im) < 0 ||
             flat_fields(im, "路径参数", false, &im->path_params) < 0 ||
             check_path_params(im) < 0 ||
             flat_fields(im, "查询参数", true, &im->query) < 0 ||
             nested_fields(im, "请求体", "请求体示例", true, &im->request_example,
                           &im->request_body) < 0 ||
             empty_group(im, "响应") < 0 ||
             nested_fields(im, "响应体", "响应体示例", false, &im->response_example,
                           &im->response_data) < 0 ||
             error_codes(im) < 0 ? -1 : 0;
    if (rc == 0)
        section_notes(im);
    return rc;
}

/* ---- what the fields imply ------------------------------------------------ */

static const imp_field *top_field(const field_list *l, const char *name, kind k, bool array)
{
    const imp_field *f = field_find(l, name);
    return f && f->kind == k && f->is_array == array && f->dims <= 1 ? f : NULL;
}

/* The page's items: the response's one top-level array, or the one named
 * items when there are several. */
static const imp_field *page_items(const importer *im)
{
    const imp_field *found = NULL;
    int count = 0;
    for (const imp_field *f = im->response_data.first; f; f = f->next)
        if (f->is_array) {
            if (!strcmp(f->name, "items"))
                return f;
            found = f, count++;
        }
    return count == 1 ? found : NULL;
}

/* Token pagination, by the names every paged page uses: page_token (and
 * page_size) in the request, has_more, page_token (or next_page_token) and
 * one array in the response. Names are checked on the fields, not guessed. */
static void detect_pagination(importer *im)
{
    const field_list *req = field_find(&im->query, "page_token") ? &im->query
                                                                 : &im->request_body;
    const imp_field *token = top_field(req, "page_token", K_STRING, false);
    const imp_field *size = field_find(&im->query, "page_size")
                                ? field_find(&im->query, "page_size")
                                : field_find(&im->request_body, "page_size");
    const imp_field *more = top_field(&im->response_data, "has_more", K_BOOL, false);
    const imp_field *next = top_field(&im->response_data, "page_token", K_STRING, false);
    if (!next)
        next = top_field(&im->response_data, "next_page_token", K_STRING, false);
    const imp_field *items = page_items(im);
    if (!token || !more || !next || !items)
        return;
    im->pg_token = token->name;
    /* A page size the page types as a string is sent as it is, not named. */
    im->pg_size = size && !size->is_array && (size->kind == K_INT || size->kind == K_INT64)
                      ? size->name : NULL;
    im->pg_more = more->name;
    im->pg_next = next->name;
    im->pg_items = items->name;
}

/* A file field makes the body multipart even when no header says so. */
static void detect_multipart(importer *im)
{
    for (const imp_field *f = im->request_body.first; f; f = f->next)
        im->multipart |= f->kind == K_FILE;
}

/* ---- the overlay --------------------------------------------------------- */

typedef struct overlay {
    const char *file;
    yaml_document_t doc;
    bool loaded;
} overlay;

static og_pos node_pos(const overlay *ov, const yaml_node_t *n)
{
    return (og_pos){ov->file, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1};
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool is_plain(const yaml_node_t *n)
{
    return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static bool is_null(const yaml_node_t *n)
{
    const char *s = scalar(n);
    return s && is_plain(n) && (!*s || !strcmp(s, "~") || !strcmp(s, "null") ||
                                !strcmp(s, "Null") || !strcmp(s, "NULL"));
}

static yaml_node_t *node(overlay *ov, int id)
{
    return yaml_document_get_node(&ov->doc, id);
}

static int want(importer *im, overlay *ov, const yaml_node_t *n, yaml_node_type_t type,
                const char *what)
{
    if (n->type == type)
        return 0;
    return fail(im, node_pos(ov, n), "expected %s", what);
}

/* The value of key in a mapping, or NULL. */
static yaml_node_t *member(overlay *ov, yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        const char *k = scalar(node(ov, p->key));
        if (k && !strcmp(k, key))
            return node(ov, p->value);
    }
    return NULL;
}

/* Every key of map must be one of keys (a NULL-terminated list). */
static int only_keys(importer *im, overlay *ov, yaml_node_t *map, const char *const *keys)
{
    if (want(im, ov, map, YAML_MAPPING_NODE, "a mapping") < 0)
        return -1;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node(ov, p->key);
        const char *k = scalar(kn);
        bool ok = false;
        for (int i = 0; k && keys[i]; i++)
            ok |= !strcmp(k, keys[i]);
        if (!ok)
            return fail(im, node_pos(ov, kn), "unknown key '%s'", k ? k : "?");
    }
    return 0;
}

static const char *want_string(importer *im, overlay *ov, yaml_node_t *n)
{
    const char *s = scalar(n);
    if (!s)
        fail(im, node_pos(ov, n), "expected a string");
    return s ? og_strdup(im->a, s) : NULL;
}

static int set_bool(importer *im, overlay *ov, yaml_node_t *n, bool *out)
{
    const char *s = scalar(n);
    if (is_null(n))
        return *out = false, 0;
    if (!s || !is_plain(n) || (strcmp(s, "true") && strcmp(s, "false")))
        return fail(im, node_pos(ov, n), "expected true or false");
    *out = !strcmp(s, "true");
    return 0;
}

/* {min, max} -> "{min: 0, max: 168}" */
static int set_bounds(importer *im, overlay *ov, yaml_node_t *n, bool integers,
                      const char **out)
{
    static const char *const keys[] = {"min", "max", NULL};
    if (is_null(n))
        return *out = NULL, 0;
    if (only_keys(im, ov, n, keys) < 0)
        return -1;
    og_buf b = {0};
    for (int i = 0; i < 2; i++) {
        yaml_node_t *v = member(ov, n, keys[i]);
        const char *s = v ? scalar(v) : NULL;
        if (v && (!s || !(integers ? is_int_text(s) : is_number_text(s)))) {
            og_buf_free(&b);
            return fail(im, node_pos(ov, v), "expected %s", integers ? "an integer" : "a number");
        }
        if (s)
            og_buf_printf(&b, "%s%s: %s", b.len ? ", " : "{", keys[i], s);
    }
    if (!b.len)
        og_buf_puts(&b, "{");
    og_buf_puts(&b, "}");
    *out = og_strdup(im->a, b.data);
    og_buf_free(&b);
    return 0;
}

/* A non-negative integer (decimals), or null to remove it. */
static int set_count(importer *im, overlay *ov, yaml_node_t *n, const char **out)
{
    const char *s = scalar(n);
    if (is_null(n))
        return *out = NULL, 0;
    if (!s || !is_plain(n) || !is_int_text(s) || s[0] == '-')
        return fail(im, node_pos(ov, n), "expected a non-negative integer");
    *out = s;
    return 0;
}

/* A scalar written as itself when YAML reads it as a number or boolean,
 * else as a string. */
static const char *loose_scalar(importer *im, const yaml_node_t *n, bool flow)
{
    const char *s = scalar(n);
    if (is_plain(n) && (is_number_text(s) || !strcmp(s, "true") || !strcmp(s, "false")))
        return og_strdup(im->a, s);
    return yaml_str(im, s, flow);
}

static int set_required_if(importer *im, overlay *ov, yaml_node_t *n,
                           const field_list *siblings, imp_field *f)
{
    static const char *const keys[] = {"field", "equals", NULL};
    if (is_null(n))
        return f->required_if = NULL, 0;
    if (only_keys(im, ov, n, keys) < 0)
        return -1;
    yaml_node_t *field = member(ov, n, "field"), *equals = member(ov, n, "equals");
    if (!field || !equals || !scalar(field) || !scalar(equals))
        return fail(im, node_pos(ov, n), "required_if needs 'field' and a scalar 'equals'");
    if (!field_find(siblings, scalar(field)))
        return fail(im, node_pos(ov, field), "'%s' has no sibling '%s'", f->name,
                    scalar(field));
    f->required_if = og_printf(im->a, "{field: %s, equals: %s}",
                               yaml_str(im, scalar(field), true),
                               loose_scalar(im, equals, true));
    return 0;
}

static int set_scopes(importer *im, overlay *ov, yaml_node_t *n, scope_list *out)
{
    static const char *const keys[] = {"name", "title", NULL};
    *out = (scope_list){0};
    if (is_null(n))
        return 0;
    if (want(im, ov, n, YAML_SEQUENCE_NODE, "a list of {name, title}") < 0)
        return -1;
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top; it++) {
        yaml_node_t *s = node(ov, *it);
        if (only_keys(im, ov, s, keys) < 0)
            return -1;
        yaml_node_t *name = member(ov, s, "name"), *title = member(ov, s, "title");
        if (!name || !title)
            return fail(im, node_pos(ov, s), "a scope needs 'name' and 'title'");
        const char *nm = want_string(im, ov, name), *tt = nm ? want_string(im, ov, title) : NULL;
        if (!tt)
            return -1;
        scope_push(im, out, nm, tt);
    }
    return 0;
}

static int set_enum(importer *im, overlay *ov, yaml_node_t *n, imp_field *f)
{
    static const char *const keys[] = {"value", "description", "scopes", NULL};
    imp_enum *last = NULL;
    f->enums = NULL;
    if (is_null(n))
        return 0;
    if (want(im, ov, n, YAML_SEQUENCE_NODE, "a list of {value, description}") < 0)
        return -1;
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top; it++) {
        yaml_node_t *en = node(ov, *it), *v, *d, *sc;
        if (only_keys(im, ov, en, keys) < 0)
            return -1;
        imp_enum *e = og_alloc(im->a, sizeof *e);
        if (!(v = member(ov, en, "value")) || !scalar(v))
            return fail(im, node_pos(ov, en), "an allowed value needs a scalar 'value'");
        e->raw = og_strdup(im->a, scalar(v));
        e->value = typed_value(im, f, e->raw, false, node_pos(ov, v), "allowed value");
        if (!e->value)
            return -1;
        if ((d = member(ov, en, "description")) && !(e->description = want_string(im, ov, d)))
            return -1;
        if ((sc = member(ov, en, "scopes")) && set_scopes(im, ov, sc, &e->scopes) < 0)
            return -1;
        *(last ? &last->next : &f->enums) = e;
        last = e;
    }
    return 0;
}

static int set_text(importer *im, overlay *ov, yaml_node_t *n, const char **out)
{
    if (is_null(n))
        return *out = NULL, 0;
    return (*out = want_string(im, ov, n)) ? 0 : -1;
}

static int set_value(importer *im, overlay *ov, yaml_node_t *n, const imp_field *f,
                     const char *what, const char **out)
{
    if (is_null(n))
        return *out = NULL, 0;
    if (!scalar(n))
        return fail(im, node_pos(ov, n), "expected a scalar");
    *out = typed_value(im, f, scalar(n), false, node_pos(ov, n), what);
    return *out ? 0 : -1;
}

static int set_key(importer *im, overlay *ov, const char *k, yaml_node_t *v,
                   const field_list *siblings, imp_field *f)
{
    if (!strcmp(k, "required"))
        return set_bool(im, ov, v, &f->required);
    if (!strcmp(k, "non_empty"))
        return set_bool(im, ov, v, &f->non_empty);
    if (!strcmp(k, "idempotency_key"))
        return set_bool(im, ov, v, &f->idempotency_key);
    if (!strcmp(k, "description"))
        return set_text(im, ov, v, &f->description);
    if (!strcmp(k, "format"))
        return set_text(im, ov, v, &f->format);
    if (!strcmp(k, "example"))
        return set_value(im, ov, v, f, "example", &f->example);
    if (!strcmp(k, "default"))
        return set_value(im, ov, v, f, "default", &f->def);
    if (!strcmp(k, "range"))
        return set_bounds(im, ov, v, false, &f->range);
    if (!strcmp(k, "length"))
        return set_bounds(im, ov, v, true, &f->length);
    if (!strcmp(k, "decimals"))
        return set_count(im, ov, v, &f->decimals);
    if (!strcmp(k, "required_if"))
        return set_required_if(im, ov, v, siblings, f);
    if (!strcmp(k, "scopes"))
        return set_scopes(im, ov, v, &f->scopes);
    return set_enum(im, ov, v, f);
}

/* "request_body.custom_fields.value" -> the field and its siblings. */
static imp_field *walk_at(importer *im, overlay *ov, yaml_node_t *n, field_list **siblings)
{
    static const char *const lists[] = {"path_params", "query", "request_body",
                                        "response_data"};
    field_list *roots[] = {&im->path_params, &im->query, &im->request_body,
                           &im->response_data};
    const char *at_text = want_string(im, ov, n);
    if (!at_text)
        return NULL;
    char *path = og_strdup(im->a, at_text), *part = strchr(path, '.');
    field_list *l = NULL;
    for (size_t i = 0; part && i < sizeof lists / sizeof lists[0]; i++)
        if (!strncmp(path, lists[i], (size_t)(part - path)) && !lists[i][part - path])
            l = roots[i];
    imp_field *f = NULL;
    for (char *next; l && part; part = next) {
        next = strchr(part + 1, '.');
        char *name = og_strndup(im->a, part + 1, next ? (size_t)(next - part - 1)
                                                      : strlen(part + 1));
        *siblings = l;
        f = field_find(l, name);
        imp_type *t = f && f->object ? type_find(im, f->object) : NULL;
        l = t ? &t->fields : NULL;
        if (!f || (next && !l))
            break;
    }
    if (!f || part)
        fail(im, node_pos(ov, n), "'%s' names no field (expected "
             "path_params|query|request_body|response_data.NAME[.NAME...])", at_text);
    return f && !part ? f : NULL;
}

static int overlay_entry(importer *im, overlay *ov, yaml_node_t *e)
{
    static const char *const keys[] = {"at", "set", NULL};
    static const char *const set_keys[] = {
        "required", "description", "example", "default", "enum", "range", "length",
        "decimals", "format", "non_empty", "required_if", "idempotency_key", "scopes", NULL};
    if (only_keys(im, ov, e, keys) < 0)
        return -1;
    yaml_node_t *atn = member(ov, e, "at"), *set = member(ov, e, "set");
    if (!atn || !set)
        return fail(im, node_pos(ov, e), "an overlay entry needs 'at' and 'set'");
    field_list *siblings = NULL;
    imp_field *f = walk_at(im, ov, atn, &siblings);
    if (!f || only_keys(im, ov, set, set_keys) < 0)
        return -1;
    f->overlay_pos = node_pos(ov, e);
    for (yaml_node_pair_t *p = set->data.mapping.pairs.start;
         p < set->data.mapping.pairs.top; p++)
        if (set_key(im, ov, scalar(node(ov, p->key)), node(ov, p->value), siblings, f) < 0)
            return -1;
    return 0;
}

static int load_overlay(importer *im, overlay *ov, const char *path)
{
    size_t len;
    char *text = og_read_file(path, &len);
    if (!text)
        return fail(im, (og_pos){0}, "cannot read overlay '%s'", path);
    ov->file = og_strdup(im->a, path);
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int ok = yaml_parser_load(&parser, &ov->doc);
    if (!ok) {
        /* a reader error (NUL byte, bad UTF-8) has only a byte offset */
        og_pos pos = parser.error == YAML_READER_ERROR
            ? og_offset_pos(ov->file, text, len, parser.problem_offset)
            : (og_pos){ov->file, (int)parser.problem_mark.line + 1,
                       (int)parser.problem_mark.column + 1};
        fail(im, pos, "%s", parser.problem ? parser.problem : "cannot parse the overlay");
    }
    yaml_parser_delete(&parser);
    free(text);
    ov->loaded = ok;
    return ok ? 0 : -1;
}

/* Merges the overlay into the imported endpoint. */
static int apply_overlay(importer *im, overlay *ov)
{
    static const char *const keys[] = {"name", "bundle", "fields", NULL};
    yaml_node_t *root = yaml_document_get_root_node(&ov->doc), *n;
    if (!root || is_null(root))
        return 0;
    if (only_keys(im, ov, root, keys) < 0)
        return -1;
    if ((n = member(ov, root, "name")) && !(im->name = want_string(im, ov, n)))
        return -1;
    if ((n = member(ov, root, "bundle")) && !(im->bundle = want_string(im, ov, n)))
        return -1;
    if (!(n = member(ov, root, "fields")) || is_null(n))
        return 0;
    if (want(im, ov, n, YAML_SEQUENCE_NODE, "a list of {at, set}") < 0)
        return -1;
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top; it++)
        if (overlay_entry(im, ov, node(ov, *it)) < 0)
            return -1;
    return 0;
}

/* ---- naming ------------------------------------------------------------- */

/* The path segment after /open-apis/: /open-apis/corehr/v2/... -> corehr */
static const char *bundle_from_path(importer *im)
{
    const char *p = im->path;
    if (!starts(p, "/open-apis/"))
        return NULL;
    p += strlen("/open-apis/");
    return og_strndup(im->a, p, strcspn(p, "/"));
}

/* patch + /open-apis/corehr/v2/probation/assessments/:id
 * -> patch_probation_assessments */
static const char *name_from_path(importer *im)
{
    og_buf b = {0};
    for (const char *c = im->method; *c; c++)
        og_buf_printf(&b, "%c", lower(*c));
    const char *p = im->path + (starts(im->path, "/open-apis/") ? strlen("/open-apis/") : 1);
    p += strcspn(p, "/");
    for (int seg = 0; *p; seg++) {
        p += *p == '/';
        size_t n = strcspn(p, "/");
        bool version = seg == 0 && p[0] == 'v' && n > 1 &&
                       strspn(p + 1, "0123456789") == n - 1;
        if (n && p[0] != ':' && !version) {
            og_buf_puts(&b, "_");
            for (size_t i = 0; i < n; i++)
                og_buf_printf(&b, "%c", is_alpha(p[i]) || is_digit(p[i]) ? p[i] : '_');
        }
        p += n;
    }
    const char *out = og_strdup(im->a, b.data);
    og_buf_free(&b);
    return out;
}

static int name_things(importer *im, const char *name)
{
    if (!im->name)
        im->name = name ? og_strdup(im->a, name) : name_from_path(im);
    /* Types of the page keep their names unless the set renames them. */
    if (!im->bundle)
        im->bundle = bundle_from_path(im);
    if (!im->bundle || !is_ident(im->bundle, false))
        return fail(im, (og_pos){0}, "cannot derive a bundle from the path '%s'; "
                    "give 'bundle:' in the overlay", im->path);
    if (!is_ident(im->name, false))
        return fail(im, (og_pos){0}, "endpoint name '%s' is not a C identifier", im->name);
    return 0;
}

/* ---- printing the spec --------------------------------------------------- */

static void put_line(og_buf *b, int ind, const char *key, const char *yaml)
{
    og_buf_printf(b, "%*s%s: %s\n", ind, "", key, yaml);
}

static void put_scopes(og_buf *b, int ind, const char *key, const scope_list *l)
{
    if (!l->count) {
        put_line(b, ind, key, "[]");
        return;
    }
    og_buf_printf(b, "%*s%s:\n", ind, "", key);
    for (size_t i = 0; i < l->count; i++) {
        og_buf_printf(b, "%*s- name: ", ind + 2, "");
        put_str(b, l->items[i].name, false);
        og_buf_printf(b, "\n%*stitle: ", ind + 4, "");
        put_str(b, l->items[i].title, false);
        og_buf_puts(b, "\n");
    }
}

static void put_enums(og_buf *b, int ind, const imp_enum *e)
{
    og_buf_printf(b, "%*senum:\n", ind, "");
    for (; e; e = e->next) {
        og_buf_printf(b, "%*s- value: %s\n", ind + 2, "", e->value);
        if (e->description && *e->description)
            put_text(b, ind + 4, "description", e->description);
        if (e->scopes.count)
            put_scopes(b, ind + 4, "scopes", &e->scopes);
    }
}

static void put_field(og_buf *b, int ind, const imp_field *f)
{
    int in = ind + 2;
    og_buf_printf(b, "%*s- name: ", ind, "");
    put_str(b, f->name, false);
    og_buf_printf(b, "\n%*stype: ", in, "");
    put_str(b, f->type, false);
    og_buf_puts(b, "\n");
    if (f->required)
        put_line(b, in, "required", "true");
    if (f->description && *f->description)
        put_text(b, in, "description", f->description);
    if (f->example)
        put_line(b, in, "example", f->example);
    if (f->def)
        put_line(b, in, "default", f->def);
    if (f->enums)
        put_enums(b, in, f->enums);
    if (f->range)
        put_line(b, in, "range", f->range);
    if (f->length)
        put_line(b, in, "length", f->length);
    if (f->decimals)
        put_line(b, in, "decimals", f->decimals);
    if (f->format)
        put_text(b, in, "format", f->format);
    if (f->non_empty)
        put_line(b, in, "non_empty", "true");
    if (f->required_if)
        put_line(b, in, "required_if", f->required_if);
    if (f->idempotency_key)
        put_line(b, in, "idempotency_key", "true");
    if (f->scopes.count)
        put_scopes(b, in, "scopes", &f->scopes);
}

/* Where each field starts in the printed spec, so that a problem the
 * loader finds there is reported at the field's row in the page. */
typedef struct spec_mark {
    size_t offset;
    const imp_field *field;  /* NULL: text that belongs to no field */
} spec_mark;

typedef struct spec_marks {
    og_arena *a;
    spec_mark *items;
    size_t count, cap;
} spec_marks;

static void mark_push(spec_marks *m, size_t offset, const imp_field *f)
{
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        spec_mark *items = og_alloc(m->a, cap * sizeof *items);
        if (m->count)
            memcpy(items, m->items, m->count * sizeof *items);
        m->items = items;
        m->cap = cap;
    }
    m->items[m->count++] = (spec_mark){offset, f};
}

static void put_fields(og_buf *b, int ind, const char *key, const field_list *l,
                       spec_marks *m)
{
    if (!l->first) {
        put_line(b, ind, key, "[]");
        return;
    }
    og_buf_printf(b, "%*s%s:\n", ind, "", key);
    for (const imp_field *f = l->first; f; f = f->next) {
        mark_push(m, b->len, f);
        put_field(b, ind + 2, f);
    }
    mark_push(m, b->len, NULL);
}

static void put_words(og_buf *b, const char *key, const char *const *w, int n)
{
    og_buf_printf(b, "  %s: [", key);
    for (int i = 0; i < n; i++)
        og_buf_printf(b, "%s%s", i ? ", " : "", w[i]);
    og_buf_puts(b, "]\n");
}

static void put_errors(og_buf *b, const imp_error *e)
{
    if (!e) {
        og_buf_puts(b, "  errors: []\n");
        return;
    }
    og_buf_puts(b, "  errors:\n");
    for (; e; e = e->next) {
        og_buf_printf(b, "    - http_status: %s\n      code: %s\n", e->http_status, e->code);
        put_text(b, 6, "message", e->message);
        put_text(b, 6, "advice", e->advice);
    }
}

/* One part as a mapping, several as a list, or the special form. */
static void put_rate_limit(og_buf *b, const importer *im)
{
    if (im->rate_special) {
        og_buf_puts(b, "  rate_limit:\n    special: true\n");
        put_text(b, 4, "description", im->rate_special);
        return;
    }
    if (!im->nrates)
        return;
    og_buf_puts(b, "  rate_limit:\n");
    bool list = im->nrates > 1;
    for (int i = 0; i < im->nrates; i++) {
        const imp_rate *r = &im->rates[i];
        og_buf_printf(b, "    %scount: %s\n%*sper: %s\n", list ? "- " : "", r->count,
                      list ? 6 : 4, "", r->per);
        if (r->description)
            put_text(b, list ? 6 : 4, "description", r->description);
    }
}

static void put_head(og_buf *b, const importer *im)
{
    og_buf_puts(b, "oapigen: 1\nbundle: ");
    put_str(b, im->bundle, false);
    og_buf_puts(b, "\nendpoint:\n  name: ");
    put_str(b, im->name, false);
    og_buf_puts(b, "\n");
    put_text(b, 2, "summary", im->summary);
    if (im->description && *im->description)
        put_text(b, 2, "description", im->description);
    if (im->url || im->updated)
        og_buf_puts(b, "  doc:\n");
    if (im->url)
        put_text(b, 4, "url", im->url);
    if (im->updated)
        put_text(b, 4, "updated", im->updated);
    og_buf_printf(b, "  method: %s\n", im->method);
    put_text(b, 2, "path", im->path);
    put_rate_limit(b, im);
    put_words(b, "app_types", im->app_types, im->napp_types);
    put_words(b, "access_tokens", im->tokens, im->ntokens);
}

/* body_format, response_format and pagination, when not the defaults. */
static void put_formats(og_buf *b, const importer *im)
{
    if (im->multipart)
        og_buf_puts(b, "  body_format: multipart\n");
    if (im->binary)
        og_buf_puts(b, "  response_format: binary\n");
    if (!im->pg_token)
        return;
    og_buf_puts(b, "  pagination:\n");
    put_line(b, 4, "page_token", im->pg_token);
    if (im->pg_size)
        put_line(b, 4, "page_size", im->pg_size);
    put_line(b, 4, "next_token", im->pg_next);
    put_line(b, 4, "has_more", im->pg_more);
    put_line(b, 4, "items", im->pg_items);
}

static char *print_spec(const importer *im, spec_marks *m)
{
    og_buf b = {0};
    put_head(&b, im);
    put_formats(&b, im);
    put_scopes(&b, 2, "scopes", &im->scopes);
    put_scopes(&b, 2, "field_scopes", &im->field_scopes);
    put_fields(&b, 2, "path_params", &im->path_params, m);
    put_fields(&b, 2, "query", &im->query, m);
    if (im->has_body)
        put_fields(&b, 2, "request_body", &im->request_body, m);
    put_fields(&b, 2, "response_data", &im->response_data, m);
    put_errors(&b, im->errors);
    if (im->request_example || im->response_example)
        og_buf_puts(&b, "  examples:\n");
    if (im->request_example)
        put_text(&b, 4, "request", im->request_example);
    if (im->response_example)
        put_text(&b, 4, "response", im->response_example);
    if (im->notes)
        og_buf_puts(&b, "  notes:\n");
    for (const imp_note *n = im->notes; n; n = n->next) {
        og_buf_puts(&b, "    - title: ");
        put_str(&b, n->title, false);
        og_buf_puts(&b, "\n");
        put_text(&b, 6, "text", n->text);
    }
    og_buf_puts(&b, im->types ? "types:\n" : "types: []\n");
    for (const imp_type *t = im->types; t; t = t->next) {
        og_buf_puts(&b, "  - name: ");
        put_str(&b, t->name, false);
        og_buf_puts(&b, "\n");
        put_fields(&b, 4, "fields", &t->fields, m);
    }
    return b.data;
}

/* ---- checking the output ---------------------------------------------- */

/* The field printed at offset, or NULL. */
static const imp_field *field_at(const spec_marks *m, size_t offset)
{
    const imp_field *f = NULL;
    for (size_t i = 0; i < m->count && m->items[i].offset <= offset; i++)
        f = m->items[i].field;
    return f;
}

/* Offset of the start of 1-based line in text. */
static size_t line_offset(const char *text, long line)
{
    const char *p = text;
    for (long l = 1; l < line && p; l++) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return p ? (size_t)(p - text) : strlen(text);
}

/* One "spec:L:C: error: msg" line of the loader, said again at the page
 * row (and the overlay entry) the spec line came from. */
static void report_line(importer *im, const char *spec, const char *yaml,
                        const spec_marks *m, const char *line)
{
    size_t n = strlen(spec);
    long l = 0, c = 0;
    const char *msg = line;
    if (!strncmp(line, spec, n) && line[n] == ':') {
        char *end;
        l = strtol(line + n + 1, &end, 10);
        if (*end == ':')
            c = strtol(end + 1, &end, 10);
        msg = *end == ':' ? end + 1 : line;
    }
    msg += strspn(msg, " ");
    bool note = starts(msg, "note: ");
    if (starts(msg, "error: ") || note)
        msg += note ? strlen("note: ") : strlen("error: ");
    const imp_field *f = l ? field_at(m, line_offset(yaml, l)) : NULL;
    og_pos pos = f ? f->pos : (og_pos){im->file, 1, 1};
    if (note) {
        og_note(im->diag, pos, "%s", msg);
        return;
    }
    fail(im, pos, "the spec made from this page does not load: %s (%s:%ld:%ld)", msg, spec,
         l, c);
    if (f && f->overlay_pos.file)
        og_note(im->diag, f->overlay_pos, "the overlay changes '%s' here", f->name);
}

static int report_back(importer *im, const char *spec, const char *yaml, const spec_marks *m,
                       const char *diag_text)
{
    char *text = og_strdup(im->a, diag_text ? diag_text : "");
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        report_line(im, spec, yaml, m, line);
    }
    return -1;
}

/* The spec must load: the loader and the model check run on the text. */
static int self_check(importer *im, const char *yaml, const spec_marks *m)
{
    const char *spec = og_printf(im->a, "%s.yaml", im->name);
    og_set *set = og_set_new();
    og_load_text(set, spec, yaml, strlen(yaml));
    if (!set->diag.errors)
        og_model_check(set);
    int rc = set->diag.errors ? report_back(im, spec, yaml, m, set->diag.text.data) : 0;
    og_set_free(set);
    return rc;
}

/* ---- a set of pages ------------------------------------------------------ */

typedef struct page_import {
    importer im;
    overlay ov;
    spec_marks marks;
    const char *overlay_path;
    const char *name;        /* the caller's, or one told apart from the others' */
    const char *path_bundle; /* the bundle the path names ("" if none) */
    char *yaml;
    bool ok;
    bool named;              /* the caller named the endpoint */
} page_import;

static const char *path_version(const importer *im)
{
    const char *p = im->path + (starts(im->path, "/open-apis/") ? strlen("/open-apis/") : 1);
    p += strcspn(p, "/");
    p += *p == '/';
    size_t n = strcspn(p, "/");
    return p[0] == 'v' && n > 1 && strspn(p + 1, "0123456789") == n - 1
               ? og_strndup(im->a, p, n) : NULL;
}

/* "_by_job_id" for /jobs/:job_id, "" without path parameters. */
static const char *by_params(const importer *im)
{
    og_buf b = {0};
    for (const imp_field *f = im->path_params.first; f; f = f->next)
        og_buf_printf(&b, "%s%s", f == im->path_params.first ? "_by_" : "_", f->name);
    const char *out = og_strdup(im->a, b.data ? b.data : "");
    og_buf_free(&b);
    return out;
}

static bool same_place(const page_import *x, const page_import *y)
{
    return !strcmp(x->name, y->name) && !strcmp(x->path_bundle, y->path_bundle);
}

static bool clashes(page_import *p, size_t count, size_t i)
{
    for (size_t j = 0; j < count; j++)
        if (j != i && p[j].ok && same_place(&p[i], &p[j]))
            return true;
    return false;
}

/* Endpoint names made from method and path clash when paths differ only
 * in parameters or version (GET /v2/jobs/:job_id, GET /v2/jobs, GET
 * /v1/jobs): the clashing ones get their path parameters (_by_job_id),
 * then their version (_v1), then a number. */
static void tell_names_apart(page_import *p, size_t count)
{
    for (int step = 0; step < 3; step++) {
        bool *clash = calloc(count ? count : 1, sizeof *clash);
        if (!clash)
            abort();
        for (size_t i = 0; i < count; i++)
            clash[i] = p[i].ok && !p[i].named && clashes(p, count, i);
        for (size_t i = 0, k = 2; i < count; i++) {
            if (!clash[i])
                continue;
            const char *v = path_version(&p[i].im);
            const char *suffix = step == 0 ? by_params(&p[i].im)
                               : step == 1 ? (v ? og_printf(p[i].im.a, "_%s", v) : "")
                               : og_printf(p[i].im.a, "_%zu", k++);
            p[i].name = og_printf(p[i].im.a, "%s%s", p[i].name, suffix);
        }
        free(clash);
    }
}

static void for_each_field_list(importer *im, void (*fn)(importer *, field_list *, void *),
                                void *arg)
{
    fn(im, &im->path_params, arg);
    fn(im, &im->query, arg);
    fn(im, &im->request_body, arg);
    fn(im, &im->response_data, arg);
    for (imp_type *t = im->types; t; t = t->next)
        fn(im, &t->fields, arg);
}

typedef struct type_rename {
    const char *from, *to;
} type_rename;

static void rename_uses(importer *im, field_list *l, void *arg)
{
    const type_rename *r = arg;
    for (imp_field *f = l->first; f; f = f->next)
        if (f->object && !strcmp(f->object, r->from))
            retype(im, f, r->to);
}

static void rename_type(importer *im, imp_type *t, const char *to)
{
    type_rename r = {t->name, og_strdup(im->a, to)};
    for_each_field_list(im, rename_uses, &r);
    t->name = r.to;
}

/* What the loader compares when files of a set define the same type. */
static bool same_shape(const imp_type *a, const imp_type *b)
{
    const imp_field *x = a->fields.first, *y = b->fields.first;
    for (; x && y; x = x->next, y = y->next)
        if (strcmp(x->name, y->name) || strcmp(x->type, y->type) || x->required != y->required)
            return false;
    return !x && !y;
}

/* One pass of the set-wide type name rule over the pages of a bundle, in
 * order: a type name that an earlier page uses with another shape becomes
 * NAME_<endpoint> (the first page with that shape names it; later pages with
 * the same shape share the name). Returns whether something was renamed. */
static bool type_pass(page_import *p, size_t count, const char *bundle)
{
    bool changed = false;
    for (size_t i = 0; i < count; i++) {
        if (!p[i].ok || strcmp(p[i].im.bundle, bundle))
            continue;
        for (imp_type *t = p[i].im.types; t; t = t->next) {
            const imp_type *same = NULL;
            bool other = false;
            for (size_t j = 0; j < i && !same; j++) {
                if (!p[j].ok || strcmp(p[j].im.bundle, bundle))
                    continue;
                for (const imp_type *u = p[j].im.types; u && !same; u = u->next)
                    if (!strcmp(u->base, t->base)) {
                        if (same_shape(u, t))
                            same = u;
                        else
                            other = true;
                    }
            }
            const char *want = same ? same->name
                             : other ? og_printf(p[i].im.a, "%s_%s", t->base, p[i].im.name)
                             : t->name;
            if (strcmp(want, t->name)) {
                rename_type(&p[i].im, t, want);
                changed = true;
            }
        }
    }
    return changed;
}

static void name_types_across(page_import *p, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (!p[i].ok)
            continue;
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = !p[j].ok || strcmp(p[j].im.bundle, p[i].im.bundle);
        for (int pass = 0; first && pass < 16 && type_pass(p, count, p[i].im.bundle); pass++)
            ;
    }
}

static const char *overlay_for(page_import *pi, const char *overlay_dir)
{
    if (pi->overlay_path || !overlay_dir)
        return pi->overlay_path;
    const char *path = og_printf(pi->im.a, "%s/%s/%s.overlay.yaml", overlay_dir,
                                 pi->path_bundle, pi->name);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    fclose(f);
    return path;
}

static void refuse(page_import *pi)
{
    pi->ok = false;
}

/* Reads the page and merges the overlay. */
static void read_one(page_import *pi, const char *overlay_dir)
{
    importer *im = &pi->im;
    int rc = 0, before = im->diag->errors;
    const char *overlay_path = overlay_for(pi, overlay_dir);
    if (overlay_path)
        rc = load_overlay(im, &pi->ov, overlay_path);
    if (rc == 0 && pi->ov.loaded)
        rc = apply_overlay(im, &pi->ov);
    if (rc == 0) {
        detect_multipart(im);
        detect_pagination(im);
        rc = name_things(im, pi->name);
    }
    if (rc < 0 || im->diag->errors > before)
        refuse(pi);   /* with --strict, a warning is an error */
}

static void print_one(page_import *pi)
{
    pi->marks.a = pi->im.a;
    char *yaml = print_spec(&pi->im, &pi->marks);
    if (self_check(&pi->im, yaml, &pi->marks) < 0) {
        free(yaml);
        refuse(pi);
        return;
    }
    pi->yaml = yaml;
}

/* The specs of one bundle must load together (types defined in several
 * files must agree); what fails is said at the page. */
static void check_bundle_set(page_import *p, size_t count, size_t first)
{
    const char *bundle = p[first].im.bundle;
    og_set *set = og_set_new();
    for (size_t i = first; i < count; i++)
        if (p[i].ok && !strcmp(p[i].im.bundle, bundle))
            og_load_text(set, og_printf(p[i].im.a, "%s.yaml", p[i].im.name), p[i].yaml,
                         strlen(p[i].yaml));
    if (!set->diag.errors)
        og_model_check(set);
    for (size_t i = first; set->diag.errors && i < count; i++) {
        if (!p[i].ok || strcmp(p[i].im.bundle, bundle))
            continue;
        const char *spec = og_printf(p[i].im.a, "%s.yaml:", p[i].im.name);
        if (!strstr(set->diag.text.data, spec))
            continue;
        /* Only this page's lines. */
        og_buf mine = {0};
        for (const char *l = set->diag.text.data; *l;) {
            size_t n = strcspn(l, "\n");
            if (!strncmp(l, spec, strlen(spec)))
                og_buf_printf(&mine, "%.*s\n", (int)n, l);
            l += n + (l[n] == '\n');
        }
        report_back(&p[i].im, og_printf(p[i].im.a, "%s.yaml", p[i].im.name), p[i].yaml,
                    &p[i].marks, mine.data);
        og_buf_free(&mine);
        free(p[i].yaml);
        p[i].yaml = NULL;
        refuse(&p[i]);
    }
    og_set_free(set);
}

int og_import_docs(og_import_page *pages, size_t count, const char *overlay_dir,
                   og_diag *diag)
{
    page_import *p = calloc(count ? count : 1, sizeof *p);
    if (!p)
        abort();
    for (size_t i = 0; i < count; i++) {
        page_import *pi = &p[i];
        pi->im = (importer){.a = og_arena_new(), .diag = diag};
        pi->im.file = og_strdup(pi->im.a, pages[i].page);
        pi->overlay_path = pages[i].overlay;
        pi->named = pages[i].name != NULL;
        int before = diag->errors;
        pi->ok = read_page(&pi->im, pages[i].page) == 0 && diag->errors == before;
        pi->name = pages[i].name ? og_strdup(pi->im.a, pages[i].name)
                 : pi->ok ? name_from_path(&pi->im) : NULL;
        const char *b = pi->ok ? bundle_from_path(&pi->im) : NULL;
        pi->path_bundle = b ? b : "";
    }
    tell_names_apart(p, count);
    for (size_t i = 0; i < count; i++)
        if (p[i].ok)
            read_one(&p[i], overlay_dir);
    name_types_across(p, count);
    for (size_t i = 0; i < count; i++)
        if (p[i].ok)
            print_one(&p[i]);
    for (size_t i = 0; count > 1 && i < count; i++) {
        bool first = p[i].ok;
        for (size_t j = 0; j < i && first; j++)
            first = !p[j].ok || strcmp(p[j].im.bundle, p[i].im.bundle);
        if (first)
            check_bundle_set(p, count, i);
    }
    int refused = 0;
    for (size_t i = 0; i < count; i++) {
        og_import_page *out = &pages[i];
        out->yaml = p[i].ok ? p[i].yaml : NULL;
        out->bundle = p[i].ok ? strdup(p[i].im.bundle) : NULL;
        out->endpoint = p[i].ok ? strdup(p[i].im.name) : NULL;
        if (p[i].ok && (!out->bundle || !out->endpoint))
            abort();
        refused += !p[i].ok;
        if (p[i].ov.loaded)
            yaml_document_delete(&p[i].ov.doc);
        og_arena_free(p[i].im.a);
    }
    free(p);
    return refused;
}

char *og_import_doc(const char *page_path, const char *overlay_path, const char *name,
                    og_diag *diag)
{
    og_import_page page = {.page = page_path, .overlay = overlay_path, .name = name};
    og_import_docs(&page, 1, NULL, diag);
    free(page.bundle);
    free(page.endpoint);
    return page.yaml;
}
