/* main.c - the oapigen command line. Only argument handling lives here; the
 * work is done by the library stages declared in oapigen.h. */
#include "oapigen.h"
#include "mustache.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: oapigen COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  lint SPEC...                     check spec files or directories\n"
    "  generate SPEC... -o OUT_DIR [-t TEMPLATE_DIR] [--check]\n"
    "                                   render the client into OUT_DIR\n"
    "  generate SPEC... --dump-context  print the template view as JSON\n"
    "  render TEMPLATE [DATA.json] [-p PARTIALS_DIR]\n"
    "                                   render one mustache template to stdout\n"
    "  import-doc PAGE.md [-o SPEC.yaml] [--overlay FILE] [--strict]\n"
    "                                   turn a documentation page into a spec\n"
    "                                   (--strict: warnings are errors)\n"
    "  import-doc DIR -o SPECDIR [--strict]\n"
    "                                   every page of DIR, as one set, to\n"
    "                                   SPECDIR/BUNDLE/ENDPOINT.yaml\n"
    "  diff OLD NEW                     classify changes between two spec sets\n"
    "\n"
    "  --help, --version                (--version also prints the template\n"
    "                                   directory in use)\n";

/* Prints the diagnostics collected so far; returns the process status. */
static int report(const og_diag *d)
{
    if (d->text.data)
        fputs(d->text.data, stderr);
    return d->errors ? 1 : 0;
}

/* Loads and checks a spec set; NULL (with diagnostics printed) on error. */
static og_set *load_checked(char *const *paths, int count)
{
    og_set *set = og_set_new();
    og_load_paths(set, paths, count);
    if (!set->diag.errors)
        og_model_check(set);
    if (set->diag.errors) {
        report(&set->diag);
        og_set_free(set);
        return NULL;
    }
    return set;
}

static int cmd_lint(int argc, char **argv)
{
    if (argc < 1) {
        fputs("oapigen lint: no spec given\n", stderr);
        return 2;
    }
    og_set *set = load_checked(argv, argc);
    if (!set)
        return 1;
    og_set_free(set);
    return 0;
}

/* Partials for `render -p DIR`: {{> name}} is DIR/name.mustache. */
static char *load_partial_file(void *dir, const char *name, size_t *len)
{
    size_t size = strlen(dir) + strlen(name) + sizeof "/.mustache";
    char *path = malloc(size);
    if (!path)
        return NULL;
    snprintf(path, size, "%s/%s.mustache", (const char *)dir, name);
    char *text = og_read_file(path, len);
    free(path);
    return text;
}

/* Parses a JSON data file; NULL with a positioned message when it is bad. */
static cJSON *load_json(const char *path, const char *text, size_t len)
{
    /* len + 1 takes in the NUL og_read_file adds: cJSON insists on seeing it
     * when asked to reject trailing garbage. */
    const char *end = text;
    cJSON *data = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (!data) {
        int line = 1, col = 1;
        for (const char *s = text; s < end && *s; s++, col++)
            if (*s == '\n')
                line++, col = 0;
        fprintf(stderr, "%s:%d:%d: error: invalid JSON\n", path, line, col);
    }
    return data;
}

/* render TEMPLATE [DATA.json] [-p PARTIALS_DIR]. Without DATA the context
 * is empty. Without -p every partial renders empty, as the spec says; with
 * -p a partial with no file is an error, since it is most likely a typo. */
static int cmd_render(int argc, char **argv)
{
    char *paths[2] = {NULL, NULL}, *dir = NULL;
    int npaths = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-p") && i + 1 < argc)
            dir = argv[++i];
        else if (argv[i][0] != '-' && npaths < 2)
            paths[npaths++] = argv[i];
        else {
            fprintf(stderr, "oapigen render: unexpected argument '%s'\n%s", argv[i], usage);
            return 2;
        }
    }
    if (!npaths) {
        fprintf(stderr, "oapigen render: no template given\n%s", usage);
        return 2;
    }
    size_t len = 0, data_len = 0, out_len;
    char *tmpl = og_read_file(paths[0], &len);
    char *json = paths[1] ? og_read_file(paths[1], &data_len) : NULL;
    cJSON *data = json ? load_json(paths[1], json, data_len) : NULL;
    mustache_partials partials = {load_partial_file, dir, 1};
    char *out = NULL, err[1024];
    int rc = 1;
    if (!tmpl || (paths[1] && !json))
        fprintf(stderr, "oapigen render: cannot read '%s'\n", !tmpl ? paths[0] : paths[1]);
    else if (json && !data)
        ; /* load_json said why */
    else if (mustache_render(paths[0], tmpl, len, data, dir ? &partials : NULL, &out, &out_len,
                             err, sizeof err) < 0)
        fprintf(stderr, "%s\n", err);
    else
        rc = fwrite(out, 1, out_len, stdout) == out_len ? 0 : 1;
    free(out);
    cJSON_Delete(data);
    free(json);
    free(tmpl);
    return rc;
}

/* generate SPEC... (-o OUT_DIR [-t TEMPLATE_DIR] [--check] | --dump-context) */
static int cmd_generate(int argc, char **argv)
{
    og_emit_opts opts = {0};
    bool dump = false;
    char **specs = calloc((size_t)argc + 1, sizeof *specs);
    int nspecs = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            opts.out_dir = argv[++i];
        } else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
            opts.template_dir = argv[++i];
        } else if (!strcmp(argv[i], "--always-write")) {
            opts.always_write = true;
        } else if (!strcmp(argv[i], "--check")) {
            opts.check = true;
        } else if (!strcmp(argv[i], "--dump-context")) {
            dump = true;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "oapigen generate: unknown option '%s'\n", argv[i]);
            free(specs);
            return 2;
        } else {
            specs[nspecs++] = argv[i];
        }
    }
    if (!nspecs || (!dump && !opts.out_dir)) {
        fputs("usage: oapigen generate SPEC... -o OUT_DIR [-t TEMPLATE_DIR] "
              "[--check] | --dump-context\n", stderr);
        free(specs);
        return 2;
    }
    og_set *set = load_checked(specs, nspecs);
    free(specs);
    if (!set)
        return 1;
    int status = 0;
    if (dump) {
        cJSON *view = og_view_build(set);
        char *text = cJSON_Print(view);
        puts(text);
        cJSON_free(text);
        cJSON_Delete(view);
    } else {
        int problems = og_emit(set, &opts);
        status = report(&set->diag) || problems ? 1 : 0;
        if (opts.check && problems && !set->diag.errors)
            fprintf(stderr, "oapigen generate --check: %d file(s) differ from "
                    "a fresh generation\n", problems);
    }
    og_set_free(set);
    return status;
}

/* Writes text to path only when the bytes change; 0 or 1 (reported). */
static int write_if_changed(const char *path, const char *text)
{
    char *old = og_read_file(path, NULL);
    bool same = old && !strcmp(old, text);
    free(old);
    if (same)
        return 0;
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "oapigen import-doc: cannot open '%s'\n", path);
        return 1;
    }
    if ((fputs(text, f) < 0) + (fclose(f) != 0)) {
        fprintf(stderr, "oapigen import-doc: cannot write '%s'\n", path);
        return 1;
    }
    return 0;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p */
static int make_dirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        abort();
    int rc = 0;
    for (char *s = p + 1; rc == 0; s++) {
        bool end = *s == '\0';
        if (*s != '/' && !end)
            continue;
        *s = '\0';
        if (!is_dir(p) && mkdir(p, 0777) != 0) {
            fprintf(stderr, "oapigen import-doc: cannot create '%s': %s\n", p, strerror(errno));
            rc = 1;
        }
        if (end)
            break;
        *s = '/';
    }
    free(p);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The pages of a folder: *.md and *.txt but README*, sorted by name. */
static char **list_pages(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    *count = 0;
    if (!d)
        return NULL;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        bool page = (n > 3 && !strcmp(e->d_name + n - 3, ".md")) ||
                    (n > 4 && !strcmp(e->d_name + n - 4, ".txt"));
        if (!page || e->d_name[0] == '.' || !strncmp(e->d_name, "README", 6))
            continue;
        char **grown = realloc(names, (*count + 1) * sizeof *names);
        char *path = malloc(strlen(dir) + n + 2);
        if (!grown || !path)
            abort();
        names = grown;
        sprintf(path, "%s/%s", dir, e->d_name);
        names[(*count)++] = path;
    }
    closedir(d);
    if (*count)
        qsort(names, *count, sizeof *names, cmp_names);
    return names;
}

/* import-doc DIR -o SPECDIR: every page of DIR as one set, each spec
 * written to SPECDIR/BUNDLE/ENDPOINT.yaml, overlays found there by name. */
static int import_folder(const char *dir, const char *out_dir, bool strict)
{
    size_t count;
    char **paths = list_pages(dir, &count);
    if (!count) {
        fprintf(stderr, "oapigen import-doc: no pages (*.md, *.txt) in '%s'\n", dir);
        return 1;
    }
    og_import_page *pages = calloc(count, sizeof *pages);
    if (!pages)
        abort();
    for (size_t i = 0; i < count; i++)
        pages[i].page = paths[i];
    og_diag diag = {.strict = strict};
    int refused = og_import_docs(pages, count, out_dir, &diag);
    int rc = report(&diag) || refused ? 1 : 0;
    for (size_t i = 0; i < count; i++) {
        if (pages[i].yaml) {
            char *sub = malloc(strlen(out_dir) + strlen(pages[i].bundle) + 2);
            char *path = malloc(strlen(out_dir) + strlen(pages[i].bundle) +
                                strlen(pages[i].endpoint) + 8);
            if (!sub || !path)
                abort();
            sprintf(sub, "%s/%s", out_dir, pages[i].bundle);
            sprintf(path, "%s/%s.yaml", sub, pages[i].endpoint);
            rc |= make_dirs(sub) || write_if_changed(path, pages[i].yaml);
            free(sub);
            free(path);
        }
        free(pages[i].yaml);
        free(pages[i].bundle);
        free(pages[i].endpoint);
        free(paths[i]);
    }
    fprintf(stderr, "oapigen import-doc: %zu pages: %zu imported (%d warning%s), "
            "%d refused\n", count, count - (size_t)refused, diag.warnings,
            diag.warnings == 1 ? "" : "s", refused);
    free(pages);
    free(paths);
    og_buf_free(&diag.text);
    return rc;
}

static int cmd_import_doc(int argc, char **argv)
{
    const char *page = NULL, *out_path = NULL, *overlay = NULL;
    bool strict = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--strict"))
            strict = true;
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out_path = argv[++i];
        else if (!strcmp(argv[i], "--overlay") && i + 1 < argc)
            overlay = argv[++i];
        else if (argv[i][0] != '-' && !page)
            page = argv[i];
        else {
            fprintf(stderr, "oapigen import-doc: unexpected argument '%s'\n%s", argv[i], usage);
            return 2;
        }
    }
    if (!page) {
        fprintf(stderr, "oapigen import-doc: no page given\n%s", usage);
        return 2;
    }
    if (is_dir(page)) {
        if (!out_path || overlay) {
            fprintf(stderr, "oapigen import-doc: a folder needs -o SPECDIR (overlays are "
                    "found there by name)\n%s", usage);
            return 2;
        }
        return import_folder(page, out_path, strict);
    }
    /* -o dir/x.yaml names the endpoint x and finds the overlay dir/x.overlay.yaml. */
    char *stem = NULL, *guess = NULL;
    const char *name = NULL;
    if (out_path) {
        size_t n = strlen(out_path);
        if (n > 5 && !strcmp(out_path + n - 5, ".yaml"))
            n -= 5;
        stem = strndup(out_path, n);
        guess = malloc(n + sizeof ".overlay.yaml");
        if (!stem || !guess)
            abort();
        sprintf(guess, "%s.overlay.yaml", stem);
        name = strrchr(stem, '/') ? strrchr(stem, '/') + 1 : stem;
        FILE *f = overlay ? NULL : fopen(guess, "r");
        if (f) {
            fclose(f);
            overlay = guess;
        }
    }
    og_diag diag = {.strict = strict};
    char *yaml = og_import_doc(page, overlay, name, &diag);
    int rc = report(&diag);
    if (yaml && !out_path)
        fputs(yaml, stdout);
    else if (yaml)
        rc |= write_if_changed(out_path, yaml);
    free(yaml);
    free(stem);
    free(guess);
    og_buf_free(&diag.text);
    return rc;
}

static int cmd_diff(int argc, char **argv)
{
    /* diff OLD NEW (one file or directory each), or diff OLD... -- NEW...
     * Status: 1 when something breaks, 0 otherwise, 2 when the command
     * line is wrong or a set does not load (its diagnostics are printed). */
    int sep = argc;
    for (int i = 0; i < argc && sep == argc; i++)
        if (!strcmp(argv[i], "--"))
            sep = i;
    for (int i = 0; i < argc; i++)
        if (i != sep && argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "oapigen diff: unknown option '%s'\n", argv[i]);
            return 2;
        }
    int nold = sep == argc ? 1 : sep, nnew = sep == argc ? 1 : argc - sep - 1;
    if ((sep == argc && argc != 2) || !nold || !nnew) {
        fputs("usage: oapigen diff OLD NEW\n"
              "       oapigen diff OLD_SPEC... -- NEW_SPEC...\n", stderr);
        return 2;
    }
    og_set *old_set = load_checked(argv, nold);
    og_set *new_set = load_checked(argv + argc - nnew, nnew);
    int status = 2;
    if (old_set && new_set) {
        og_buf out = {0};
        status = og_diff(old_set, new_set, &out) ? 1 : 0;
        fputs(out.data ? out.data : "", stdout);
        og_buf_free(&out);
    }
    og_set_free(old_set);
    og_set_free(new_set);
    return status;
}

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"lint", cmd_lint},
    {"generate", cmd_generate},
    {"render", cmd_render},
    {"import-doc", cmd_import_doc},
    {"diff", cmd_diff},
};

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("oapigen %s\ntemplates: %s\n", OAPIGEN_VERSION,
               og_builtin_template_dir());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, "oapigen: unknown command '%s'\n%s", argv[1], usage);
    return 2;
}
