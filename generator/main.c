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
    "  import-doc PAGE.md [-o SPEC.yaml] [--overlay FILE]\n"
    "                                   turn a documentation page into a spec\n"
    "  diff OLD NEW                     classify changes between two spec sets\n"
    "\n"
    "  --help, --version\n";

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

static int cmd_render(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("oapigen render: not implemented yet\n", stderr);
    return 2;
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
    (void)argc;
    (void)argv;
    fputs("oapigen import-doc: not implemented yet\n", stderr);
    return 2;
}

static int cmd_diff(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("oapigen diff: not implemented yet\n", stderr);
    return 2;
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
        printf("oapigen %s\n", OAPIGEN_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, "oapigen: unknown command '%s'\n%s", argv[1], usage);
    return 2;
}
