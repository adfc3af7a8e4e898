/* emit.c - render every template against the view and write the results.
 *
 * Output templates are the `*.mustache` files of the template directory;
 * the word "bundle" in a template's name becomes the bundle prefix
 * (bundle_api.c.mustache -> corehr_api.c). Partials live in its
 * `partials/` folder. The runtime (`runtime/og_*.c|h`) is plain C that
 * compiles and is tested as it is; it is copied with its prefix renamed
 * (og_runtime.c -> corehr_runtime.c, og_error_t -> corehr_error_t), so two
 * bundles link into one program. A user's template directory overrides the
 * built-in one file by file. Files are written only when every template rendered, and a
 * file whose bytes would not change is not touched, so builds that depend on
 * it do not rerun. Outputs can be large (75 MB for a 2,000-endpoint .c), so
 * each is rendered straight into a temporary file beside its target, and
 * the temporary files are renamed into place (or removed) at the end; only
 * --check renders to memory.
 */
#include "oapigen.h"
#include "mustache.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef OAPIGEN_TEMPLATE_DIR
#define OAPIGEN_TEMPLATE_DIR "templates"
#endif
#ifndef OAPIGEN_SOURCE_TEMPLATE_DIR
#define OAPIGEN_SOURCE_TEMPLATE_DIR OAPIGEN_TEMPLATE_DIR
#endif
#ifndef OAPIGEN_INSTALLED_EXE
#define OAPIGEN_INSTALLED_EXE ""
#endif

typedef struct rendered {
    char *name;     /* output file name */
    char *text;     /* in memory; or NULL, and the text is in tmp */
    size_t len;
    char *tmp;      /* path of the temporary file, or NULL */
    int error;      /* errno of a failed write to tmp, or 0 */
} rendered;

typedef struct template_dirs {
    const char *user;      /* may be NULL */
    const char *builtin;
} template_dirs;

/* True when this process is the installed binary (PREFIX/bin/oapigen, the
 * same file, however reached): its templates are the installed ones even if
 * the source tree it was built from still exists and has moved on since.
 * Linux's /proc/self/exe; elsewhere this is false. */
static bool running_installed(void)
{
    struct stat self, installed;
    return stat("/proc/self/exe", &self) == 0 &&
           stat(OAPIGEN_INSTALLED_EXE, &installed) == 0 &&
           self.st_dev == installed.st_dev && self.st_ino == installed.st_ino;
}

const char *og_builtin_template_dir(void)
{
    const char *env = getenv("OAPIGEN_TEMPLATES");
    if (env && *env)
        return env;
    if (running_installed())
        return OAPIGEN_TEMPLATE_DIR;
    struct stat st;
    if (stat(OAPIGEN_SOURCE_TEMPLATE_DIR, &st) == 0 && S_ISDIR(st.st_mode))
        return OAPIGEN_SOURCE_TEMPLATE_DIR;
    return OAPIGEN_TEMPLATE_DIR;
}

/* ---- finding templates -------------------------------------------------- */

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && !strcmp(s + n - m, suffix);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool list_has(char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

static bool is_runtime_source(const char *name)
{
    return !strncmp(name, "og_", 3) && (has_suffix(name, ".c") || has_suffix(name, ".h"));
}

/* Adds the names of dir/sub (if it exists) to the list: the *.mustache
 * templates, or with sub "runtime/" the og_*.c and og_*.h sources. */
static void list_dir(const char *dir, const char *sub, char ***names, size_t *n)
{
    og_buf path = {0};
    og_buf_printf(&path, "%s/%s", dir ? dir : "", sub);
    DIR *d = dir ? opendir(path.data) : NULL;
    og_buf_free(&path);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        og_buf name = {0};
        og_buf_printf(&name, "%s%s", sub, e->d_name);
        bool wanted = e->d_name[0] != '.' &&
                      (*sub ? is_runtime_source(e->d_name) : has_suffix(e->d_name, ".mustache"));
        if (!wanted || list_has(*names, *n, name.data)) {
            og_buf_free(&name);
            continue;
        }
        char **grown = realloc(*names, (*n + 1) * sizeof **names);
        if (!grown)
            abort();
        *names = grown;
        (*names)[(*n)++] = name.data;
    }
    closedir(d);
}

static void list_templates(const char *dir, char ***names, size_t *n)
{
    list_dir(dir, "", names, n);
    list_dir(dir, "runtime/", names, n);
}

/* Reads sub/name from the user's directory, else the built-in one. */
static char *read_template(const template_dirs *dirs, const char *sub,
                           const char *name, size_t *len, char **path_out)
{
    const char *order[] = {dirs->user, dirs->builtin};
    for (size_t i = 0; i < 2; i++) {
        if (!order[i])
            continue;
        og_buf path = {0};
        og_buf_printf(&path, "%s/%s%s", order[i], sub, name);
        char *text = og_read_file(path.data, len);
        if (text) {
            if (path_out)
                *path_out = path.data;
            else
                og_buf_free(&path);
            return text;
        }
        og_buf_free(&path);
    }
    return NULL;
}

static char *load_partial(void *user, const char *name, size_t *len)
{
    og_buf file = {0};
    og_buf_printf(&file, "%s.mustache", name);
    char *text = read_template(user, "partials/", file.data, len, NULL);
    og_buf_free(&file);
    return text;
}

static bool is_ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* The runtime's text with the prefix renamed: every word that is `og` or
 * starts with `og_` becomes prefix..., and `OG`/`OG_...` PREFIX... (words
 * as C identifiers; "log_" or "cog" are left alone). */
static void rename_prefix(og_buf *out, const char *text, size_t len, const char *prefix)
{
    for (size_t i = 0; i < len; i++) {
        bool starts = (i == 0 || !is_ident_char(text[i - 1])) && i + 1 < len &&
                      ((text[i] == 'o' && text[i + 1] == 'g') ||
                       (text[i] == 'O' && text[i + 1] == 'G')) &&
                      (i + 2 == len || !is_ident_char(text[i + 2]) || text[i + 2] == '_');
        if (!starts) {
            og_buf_append(out, text + i, 1);
            continue;
        }
        for (const char *p = prefix; *p; p++) {
            char c = text[i] == 'O' && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
            og_buf_append(out, &c, 1);
        }
        i++;
    }
}

/* "bundle_runtime.c.mustache" -> "corehr_runtime.c";
 * "runtime/og_http.c" -> "corehr_http.c" */
static char *output_name(const char *template_name, const char *prefix)
{
    og_buf b = {0};
    if (!strncmp(template_name, "runtime/", 8)) {
        const char *base = template_name + 8;
        rename_prefix(&b, base, strlen(base), prefix);
        return b.data;
    }
    size_t n = strlen(template_name) - strlen(".mustache");
    const char *word = strstr(template_name, "bundle");
    if (word && (size_t)(word - template_name) < n) {
        og_buf_append(&b, template_name, (size_t)(word - template_name));
        og_buf_puts(&b, prefix);
        og_buf_append(&b, word + 6, n - (size_t)(word + 6 - template_name));
    } else {
        og_buf_append(&b, template_name, n);
    }
    return b.data;
}

/* ---- rendering and writing ---------------------------------------------- */

/* Output going to a temporary file. A failed write is remembered and
 * reported with the file (install_all), as when writing from memory; the
 * rendering goes on, so that template errors are still all reported. */
typedef struct file_sink {
    FILE *f;
    int error;
} file_sink;

static int sink_write(void *user, const char *data, size_t len)
{
    file_sink *s = user;
    if (!s->error && fwrite(data, 1, len, s->f) != len)
        s->error = errno ? errno : EIO;
    return 0;
}

/* Renders into tmp (out->tmp), or into memory when tmp is NULL or cannot be
 * created (the error then comes when the file is written). */
static int render_text(const char *path, const char *text, size_t len,
                       const og_vnode *view, const mustache_partials *partials,
                       rendered *out, const char *tmp, char *err, size_t err_size)
{
    FILE *f = tmp ? fopen(tmp, "wb") : NULL;
    if (!f)
        return mustache_render_data(path, text, len, &og_view_data, view, partials,
                                    &out->text, &out->len, err, err_size);
    out->tmp = strdup(tmp);
    if (!out->tmp)
        abort();
    file_sink sink = {f, 0};
    mustache_sink to_file = {sink_write, &sink};
    int rc = mustache_render_sink(path, text, len, &og_view_data, view, partials,
                                  &to_file, err, err_size);
    if (fclose(f) != 0 && !sink.error)
        sink.error = errno ? errno : EIO;
    out->error = sink.error;
    return rc;
}

/* A runtime source, copied into memory under a banner, prefix renamed. */
static void copy_runtime(const og_set *set, const char *name, const char *text,
                         size_t len, rendered *out)
{
    og_buf b = {0};
    og_buf_printf(&b, "/* Generated by oapigen %s: templates/%s with its prefix og renamed\n"
                      " * %s. Do not edit: change the runtime source and regenerate. */\n",
                  OAPIGEN_VERSION, name, set->bundle);
    rename_prefix(&b, text, len, set->bundle);
    out->len = b.len;
    out->text = b.data;
}

/* Renders template `name` into out: into a temporary file in out_dir, or
 * into memory when out_dir is NULL. */
static int render_one(og_set *set, const template_dirs *dirs, const og_vnode *view,
                      const char *name, rendered *out, const char *out_dir)
{
    size_t len;
    char *path = NULL;
    char *text = read_template(dirs, "", name, &len, &path);
    if (!text) {
        og_error(&set->diag, (og_pos){0}, "cannot read template %s", name);
        return -1;
    }
    out->name = output_name(name, set->bundle);
    if (!strncmp(name, "runtime/", 8)) {
        copy_runtime(set, name, text, len, out);
        free(text);
        free(path);
        return 0;
    }
    og_buf tmp = {0};
    /* The process id keeps two runs into one directory (parallel build
     * steps that each write README.md) off each other's temporary files. */
    if (out_dir)
        og_buf_printf(&tmp, "%s/%s.%ld.tmp", out_dir, out->name, (long)getpid());
    mustache_partials partials = {load_partial, (void *)dirs, 1};
    char err[1024];
    int rc = render_text(path, text, len, view, &partials, out, tmp.data, err,
                         sizeof err);
    if (rc < 0)
        og_error(&set->diag, (og_pos){0}, "%s", err);
    og_buf_free(&tmp);
    free(text);
    free(path);
    return rc;
}

/* True when files a and b hold the same bytes (b may not exist). */
static bool same_files(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0 || sa.st_size != sb.st_size)
        return false;
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    char x[16384], y[16384];
    while (same) {
        size_t n = fread(x, 1, sizeof x, fa);
        same = fread(y, 1, sizeof y, fb) == n && !memcmp(x, y, n) &&
               !ferror(fa) && !ferror(fb);
        if (n < sizeof x)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* True when path already holds exactly these bytes. */
static bool same_content(const char *path, const char *text, size_t len)
{
    size_t old_len;
    char *old = og_read_file(path, &old_len);
    bool same = old && old_len == len && !memcmp(old, text, len);
    free(old);
    return same;
}

/* Writes through a temporary file and rename, so a reader (or a crash)
 * never sees half a file. */
static int write_file(og_set *set, const char *path, const char *text, size_t len)
{
    og_buf tmp = {0};
    og_buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp.data, "wb");
    bool ok = f && fwrite(text, 1, len, f) == len;
    ok = (f && fclose(f) == 0) && ok;
    if (ok && rename(tmp.data, path) != 0)
        ok = false;
    if (!ok) {
        og_error(&set->diag, (og_pos){0}, "cannot write %s: %s", path,
                 strerror(errno));
        remove(tmp.data);
    }
    og_buf_free(&tmp);
    return ok ? 0 : -1;
}

/* Removes dir and the parents above it, `levels` directories in all,
 * skipping the first `skip` of them (each was made empty by have_dir). */
static void remove_dirs(const char *dir, int levels, int skip)
{
    char *path = strdup(dir);
    if (!path)
        abort();
    for (int i = 0; i < levels; i++) {
        size_t n = strlen(path);
        while (n > 1 && path[n - 1] == '/')
            path[--n] = '\0';
        if (i >= skip)
            rmdir(path);
        char *slash = strrchr(path, '/');
        if (!slash)
            break;
        *slash = '\0';
    }
    free(path);
}

/* True when dir is (now) a directory, making missing parents too (mkdir -p);
 * *created counts the levels this made: dir, its parent, ... */
static bool have_dir(const char *dir, int *created)
{
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return true;
    char *parent = strdup(dir);
    if (!parent)
        abort();
    char *slash = strrchr(parent, '/');
    while (slash && slash > parent && slash[1] == '\0') {   /* "a/b/" */
        *slash = '\0';
        slash = strrchr(parent, '/');
    }
    int made = 0;
    bool ok = true;
    if (slash && slash > parent) {
        *slash = '\0';
        ok = have_dir(parent, &made);
    }
    free(parent);
    if (ok && mkdir(dir, 0777) == 0) {
        *created = made + 1;
        return true;
    }
    int error = errno;
    remove_dirs(dir, made + 1, 1);   /* the parents this made, not dir */
    errno = error;
    return false;
}

static int make_dir(og_set *set, const char *dir)
{
    int created = 0;
    if (have_dir(dir, &created))
        return 0;
    og_error(&set->diag, (og_pos){0}, "cannot create %s: %s", dir,
             strerror(errno));
    return -1;
}

/* Writes (or, with check, compares) each rendered file. Returns the number
 * of files that differ in check mode, of failures otherwise. */
static int store_all(og_set *set, const og_emit_opts *opts, rendered *files,
                     size_t n)
{
    int problems = 0;
    if (!opts->check && make_dir(set, opts->out_dir) < 0)
        return 1;
    for (size_t i = 0; i < n; i++) {
        og_buf path = {0};
        og_buf_printf(&path, "%s/%s", opts->out_dir, files[i].name);
        if (!opts->always_write &&
            same_content(path.data, files[i].text, files[i].len)) {
            og_buf_free(&path);
            continue;
        }
        if (opts->check) {
            printf("%s\n", path.data);
            problems++;
        } else if (write_file(set, path.data, files[i].text, files[i].len) < 0) {
            problems++;
        }
        og_buf_free(&path);
    }
    return problems;
}

/* Puts each rendered file in place: renames its temporary file over the
 * target, unless the target already holds the same bytes, or writes it from
 * memory (store_all). Returns the number of failures. */
static int install_all(og_set *set, const og_emit_opts *opts, rendered *files,
                       size_t n)
{
    int problems = 0;
    for (size_t i = 0; i < n; i++) {
        rendered *f = &files[i];
        if (!f->tmp) {
            problems += store_all(set, opts, f, 1);
            continue;
        }
        og_buf path = {0};
        og_buf_printf(&path, "%s/%s", opts->out_dir, f->name);
        int error = f->error;
        if (!error && !opts->always_write && same_files(f->tmp, path.data))
            remove(f->tmp);
        else if (!error && rename(f->tmp, path.data) != 0)
            error = errno;
        if (error) {
            og_error(&set->diag, (og_pos){0}, "cannot write %s: %s", path.data,
                     strerror(error));
            remove(f->tmp);
            problems++;
        }
        og_buf_free(&path);
    }
    return problems;
}

int og_emit(og_set *set, const og_emit_opts *opts)
{
    template_dirs dirs = {opts->template_dir, og_builtin_template_dir()};
    char **names = NULL;
    size_t n = 0;
    list_templates(dirs.user, &names, &n);
    list_templates(dirs.builtin, &names, &n);
    if (!n) {
        og_error(&set->diag, (og_pos){0}, "no templates in %s", dirs.builtin);
        return 1;
    }
    qsort(names, n, sizeof *names, cmp_str);
    const og_vnode *view = og_view_tree(set);
    rendered *files = calloc(n, sizeof *files);
    if (!files)
        abort();
    /* Without a directory to put them in, files are rendered to memory and
     * store_all reports the directory (after any template error, as ever). */
    int created = 0;
    bool to_files = !opts->check && have_dir(opts->out_dir, &created);
    int failed = 0;
    for (size_t i = 0; i < n; i++)
        failed |= render_one(set, &dirs, view, names[i], &files[i],
                             to_files ? opts->out_dir : NULL) < 0;
    int problems = failed ? 1
                 : to_files ? install_all(set, opts, files, n)
                 : store_all(set, opts, files, n);
    for (size_t i = 0; i < n; i++) {
        if (failed && files[i].tmp)
            remove(files[i].tmp);
        free(files[i].name);
        free(files[i].text);
        free(files[i].tmp);
        free(names[i]);
    }
    if (failed && created)
        remove_dirs(opts->out_dir, created, 0);   /* a failed run leaves nothing behind */
    free(files);
    free(names);
    return problems;
}
