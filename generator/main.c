/* main.c - the oapigen command line. Only argument handling lives here; the
 * work is done by the library stages declared in oapigen.h. */
#include "oapigen.h"
#include "mustache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    else if (yaml) {
        /* Write only when the bytes change. */
        char *old = og_read_file(out_path, NULL);
        FILE *f = old && !strcmp(old, yaml) ? NULL : fopen(out_path, "wb");
        if (f && (fputs(yaml, f) < 0) + (fclose(f) != 0)) {
            fprintf(stderr, "oapigen import-doc: cannot write '%s'\n", out_path);
            rc = 1;
        } else if (!f && !(old && !strcmp(old, yaml))) {
            fprintf(stderr, "oapigen import-doc: cannot open '%s'\n", out_path);
            rc = 1;
        }
        free(old);
    }
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
