/* mock_cli_server.c - mock_server (mock_server.h) as a process, for shell
 * tests of corehr-cli (tests/cli_test.sh).
 *
 *   mock_cli_server -o LOG [-t SECONDS] [-r STATUS BODY [-H 'Name: v']... [-T TYPE]]...
 *
 * Queues one response per -r, in order, for any path (BODY "@FILE" reads the
 * file, which may be binary; -H adds a header line to the last -r, -T sets
 * its Content-Type). Prints the server's URL and a
 * newline on stdout, then serves until SIGTERM or SIGINT (sent once the
 * client has its answer), or for at most SECONDS (-t, default 30). Then
 * writes what it received to LOG and exits 0:
 *
 *   count 1
 *   request 0
 *   method POST
 *   path /open-apis/corehr/v2/probation/submit       (raw, still encoded)
 *   query user_id_type=open_id&client_token=...      (raw)
 *   header Authorization: Bearer ...                 (one line per header)
 *   body {"employment_id":"..."}                     (verbatim)
 *   part file_type - - 3 mp4                         (multipart bodies: name,
 *                                                     filename, type, size, bytes)
 *
 * Exit status 2 on bad usage, 1 when the server cannot start. A request
 * with nothing queued gets mock_server's 418.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "mock_server.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_RESPONSES 32
#define MAX_HEADERS 1024

typedef struct options {
    const char *log_path;
    long seconds;
    mock_response_t responses[MAX_RESPONSES];
    char *bodies[MAX_RESPONSES];   /* read from @FILE, owned */
    char headers[MAX_RESPONSES][MAX_HEADERS];
    int count;
} options;

static int usage(void)
{
    fputs("usage: mock_cli_server -o LOG [-t SECONDS] "
          "[-r STATUS BODY [-H 'Name: value']...]...\n", stderr);
    return 2;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
            *len = (size_t)n;
        }
    }
    fclose(f);
    return buf;
}

/* Adds one -r STATUS BODY. */
static int add_response(options *o, const char *status, const char *body)
{
    mock_response_t *r;

    if (o->count == MAX_RESPONSES)
        return -1;
    r = &o->responses[o->count];
    memset(r, 0, sizeof *r);
    r->status = (unsigned)strtoul(status, NULL, 10);
    if (body[0] == '@') {
        if ((o->bodies[o->count] = read_file(body + 1, &r->body_len)) == NULL) {
            fprintf(stderr, "mock_cli_server: cannot read %s\n", body + 1);
            return -1;
        }
        body = o->bodies[o->count];
    }
    r->body = body;
    o->count++;
    return 0;
}

/* Adds a header line to the last response. */
static int add_header(options *o, const char *line)
{
    char *h;
    size_t used;

    if (o->count == 0)
        return -1;
    h = o->headers[o->count - 1];
    used = strlen(h);
    if (used + strlen(line) + 2 > MAX_HEADERS)
        return -1;
    snprintf(h + used, MAX_HEADERS - used, "%s\n", line);
    o->responses[o->count - 1].headers = h;
    return 0;
}

static int parse_args(int argc, char **argv, options *o)
{
    o->seconds = 30;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int left = argc - i - 1;
        if (!strcmp(a, "-o") && left >= 1)
            o->log_path = argv[++i];
        else if (!strcmp(a, "-t") && left >= 1)
            o->seconds = strtol(argv[++i], NULL, 10);
        else if (!strcmp(a, "-r") && left >= 2) {
            if (add_response(o, argv[i + 1], argv[i + 2]) < 0)
                return -1;
            i += 2;
        } else if (!strcmp(a, "-H") && left >= 1) {
            if (add_header(o, argv[++i]) < 0)
                return -1;
        } else if (!strcmp(a, "-T") && left >= 1 && o->count > 0) {
            o->responses[o->count - 1].content_type = argv[++i];
        } else
            return -1;
    }
    return o->log_path && o->seconds > 0 ? 0 : -1;
}

/* One line per part of a multipart body. */
static void write_parts(FILE *f, const mock_request_t *r)
{
    mock_part_t *parts = NULL;
    int n = mock_request_parts(r, &parts);

    for (int i = 0; i < n; i++) {
        fprintf(f, "part %s %s %s %zu ", parts[i].name ? parts[i].name : "-",
                parts[i].filename ? parts[i].filename : "-",
                parts[i].content_type ? parts[i].content_type : "-", parts[i].len);
        fwrite(parts[i].data, 1, parts[i].len, f);
        fputc('\n', f);
    }
    mock_parts_free(parts, n);
}

static void write_request(FILE *f, size_t i, const mock_request_t *r)
{
    fprintf(f, "request %zu\nmethod %s\npath %s\nquery %s\n", i, r->method, r->path,
            r->query);
    for (size_t h = 0; h < r->header_count; h++)
        fprintf(f, "header %s: %s\n", r->header_names[h], r->header_values[h]);
    fputs("body ", f);
    fwrite(r->body, 1, r->body_len, f);
    fputc('\n', f);
    write_parts(f, r);
}

static int write_log(mock_server_t *s, const char *path)
{
    FILE *f = fopen(path, "w");
    size_t n = mock_server_request_count(s);

    if (!f)
        return -1;
    fprintf(f, "count %zu\n", n);
    for (size_t i = 0; i < n; i++)
        write_request(f, i, mock_server_request(s, i));
    return fclose(f) == 0 ? 0 : -1;
}

/* Waits for SIGTERM/SIGINT or the deadline. */
static void serve(const options *o, const sigset_t *stop)
{
    struct timespec limit = {o->seconds, 0};

    while (sigtimedwait(stop, NULL, &limit) < 0 && errno == EINTR)
        ;
}

int main(int argc, char **argv)
{
    static options o;
    mock_server_t *s = NULL;
    sigset_t stop;
    int rc = 1;

    if (parse_args(argc, argv, &o) < 0)
        return usage();
    /* Blocked before the server's threads start, so they inherit the mask
     * and the signals wait for sigtimedwait() here. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    if (mock_server_start(&s) < 0) {
        fputs("mock_cli_server: cannot start the server\n", stderr);
        goto done;
    }
    for (int i = 0; i < o.count; i++)
        if (mock_server_push(s, &o.responses[i]) < 0)
            goto done;
    printf("%s\n", mock_server_url(s));
    fflush(stdout);
    serve(&o, &stop);
    rc = write_log(s, o.log_path) < 0 ? 1 : 0;
done:
    mock_server_stop(s);
    for (int i = 0; i < o.count; i++)
        free(o.bodies[i]);
    return rc;
}
