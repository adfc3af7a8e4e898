/* timeit.c - wall time of a whole process, N times: a stand-in for
 * hyperfine, which the machine need not have.
 *
 *     timeit [-n RUNS] [-w WARMUP] -- COMMAND [ARG...]
 *
 * Runs COMMAND WARMUP times untimed, then RUNS times, each from fork() to
 * waitpid() on CLOCK_MONOTONIC, with stdout and stderr sent to /dev/null.
 * Prints one line: "median_ms=… min_ms=… max_ms=… cpu_ms=… maxrss_mb=…
 * runs=…", where cpu_ms is the median user + system CPU time of the child
 * (RUSAGE_CHILDREN), which other load on the machine disturbs less than wall
 * time, and maxrss_mb the largest peak resident set size of any run, warm-up
 * runs included (ru_maxrss). Exits 1 when a run fails (nonzero status), 2 on
 * bad usage.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* User + system time of every child waited for so far. */
static double children_cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* The largest peak RSS of any child waited for so far, in MiB. */
static double children_maxrss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_maxrss / 1024.0;   /* Linux: kilobytes */
}

/* Runs argv once; returns its wall time in ms (its CPU time in *cpu_ms),
 * or -1 when it failed. */
static double run_once(char **argv, double *cpu_ms)
{
    double cpu_before = children_cpu_ms(), start = now_ms();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
        return -1;
    double wall = now_ms() - start;
    *cpu_ms = children_cpu_ms() - cpu_before;
    return wall;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v and returns its median. */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    int runs = 10, warmup = 1, i = 1;
    for (; i < argc && strcmp(argv[i], "--"); i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-w") && i + 1 < argc)
            warmup = atoi(argv[++i]);
        else
            break;
    }
    if (i >= argc - 1 || strcmp(argv[i], "--") || runs < 1 || warmup < 0) {
        fputs("usage: timeit [-n RUNS] [-w WARMUP] -- COMMAND [ARG...]\n", stderr);
        return 2;
    }
    char **cmd = argv + i + 1;
    double *t = calloc((size_t)runs, sizeof *t);
    double *cpu = calloc((size_t)runs, sizeof *cpu);
    if (!t || !cpu)
        return 1;
    for (int k = 0; k < warmup + runs; k++) {
        double c = 0, ms = run_once(cmd, &c);
        if (ms < 0) {
            fprintf(stderr, "timeit: '%s' failed\n", cmd[0]);
            return 1;
        }
        if (k >= warmup) {
            t[k - warmup] = ms;
            cpu[k - warmup] = c;
        }
    }
    double wall = median(t, runs), cpu_median = median(cpu, runs);
    printf("median_ms=%.2f min_ms=%.2f max_ms=%.2f cpu_ms=%.2f maxrss_mb=%.1f runs=%d\n",
           wall, t[0], t[runs - 1], cpu_median, children_maxrss_mb(), runs);
    free(t);
    free(cpu);
    return 0;
}
