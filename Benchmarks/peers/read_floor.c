/* The C peer of W4's memory floor (`make perf-peers`): the best plain read of an 80 MB matrix
 * (10 000 x 1 000 doubles, W4's X) this machine does, to check lrbench's floor probe
 * (streamingSum in Benchmarks/LRBenchPerf) against. Built with gcc -O3 -march=native.
 *
 * Two reads, each one pass summing every double once: eight independent scalar accumulators
 * (left to the auto-vectoriser) and eight explicit 256-bit accumulators (AVX, when the compiler
 * targets it; else SSE2 pairs). Prints JSON: per variant the median and best seconds per pass over
 * the repeats, and GB/s, and `best_median_seconds`, the fastest variant's median; `cpu_per_wall`, the
process's CPU time over the wall time of all timed passes (the cores used: at most 1 on one core),
and `affinity`, the CPUs it may run on (one, when `make perf-peers` pins it with taskset).
 * Usage: read_floor [repeats] (default 40; PERF_QUICK=1 in the Makefile passes 5).
 */
#define _GNU_SOURCE   /* sched_getaffinity */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__AVX__)
#include <immintrin.h>
#else
#include <emmintrin.h>
#endif

enum { ROWS = 10000, COLUMNS = 1000 };

static double seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double now(void) { return seconds(CLOCK_MONOTONIC); }

/* The process's CPU time, all threads (the one thread here). */
static double cpu_now(void) { return seconds(CLOCK_PROCESS_CPUTIME_ID); }

/* Eight independent accumulators; gcc -O3 vectorises the loop (no reassociation needed). */
__attribute__((noinline)) static double sum_scalar8(const double *p, long n) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        s0 += p[i]; s1 += p[i + 1]; s2 += p[i + 2]; s3 += p[i + 3];
        s4 += p[i + 4]; s5 += p[i + 5]; s6 += p[i + 6]; s7 += p[i + 7];
    }
    for (; i < n; i++) s0 += p[i];
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
}

/* Eight explicit vector accumulators, 32 doubles (AVX) or 16 (SSE2) per iteration. */
__attribute__((noinline)) static double sum_vector8(const double *p, long n) {
#if defined(__AVX__)
    enum { W = 4 };
    __m256d a[8];
    for (int k = 0; k < 8; k++) a[k] = _mm256_setzero_pd();
    long i = 0;
    for (; i + 8 * W <= n; i += 8 * W)
        for (int k = 0; k < 8; k++) a[k] = _mm256_add_pd(a[k], _mm256_loadu_pd(p + i + k * W));
    __m256d t = _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(a[0], a[1]), _mm256_add_pd(a[2], a[3])),
                              _mm256_add_pd(_mm256_add_pd(a[4], a[5]), _mm256_add_pd(a[6], a[7])));
    double lanes[W];
    _mm256_storeu_pd(lanes, t);
#else
    enum { W = 2 };
    __m128d a[8];
    for (int k = 0; k < 8; k++) a[k] = _mm_setzero_pd();
    long i = 0;
    for (; i + 8 * W <= n; i += 8 * W)
        for (int k = 0; k < 8; k++) a[k] = _mm_add_pd(a[k], _mm_loadu_pd(p + i + k * W));
    __m128d t = _mm_add_pd(_mm_add_pd(_mm_add_pd(a[0], a[1]), _mm_add_pd(a[2], a[3])),
                           _mm_add_pd(_mm_add_pd(a[4], a[5]), _mm_add_pd(a[6], a[7])));
    double lanes[W];
    _mm_storeu_pd(lanes, t);
#endif
    double s = 0;
    for (int k = 0; k < W; k++) s += lanes[k];
    for (; i < n; i++) s += p[i];
    return s;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int repeats = argc > 1 ? atoi(argv[1]) : 40;
    if (repeats < 1) {
        fprintf(stderr, "read_floor: repeats must be a positive integer\n");
        return 2;
    }
    const long n = (long)ROWS * COLUMNS;
    double *x = aligned_alloc(64, (size_t)n * sizeof(double));
    double *times = malloc(sizeof(double) * (size_t)repeats * 2);
    if (!x || !times) {
        fprintf(stderr, "read_floor: out of memory\n");
        return 1;
    }
    for (long i = 0; i < n; i++) x[i] = 0.01 * (double)(i % 7);   /* touch every page */
    static const char *names[2] = {"scalar8", "vector8"};
    double (*reads[2])(const double *, long) = {sum_scalar8, sum_vector8};
    volatile double sink = 0;
    double wall_total = 0, cpu_total = 0;
    for (int r = 0; r < repeats; r++)          /* interleaved, so load hits both alike */
        for (int k = 0; k < 2; k++) {
            double cpu_start = cpu_now(), start = now();
            sink += reads[k](x, n);
            times[k * repeats + r] = now() - start;
            cpu_total += cpu_now() - cpu_start;
            wall_total += times[k * repeats + r];
        }
    double best_median = 1e300;
    printf("{\n  \"bytes\": %ld,\n  \"repeats\": %d,\n  \"compiler\": \"gcc %s\",\n  \"reads\": {\n",
           n * (long)sizeof(double), repeats, __VERSION__);
    for (int k = 0; k < 2; k++) {
        double *t = times + k * repeats;
        qsort(t, (size_t)repeats, sizeof(double), compare);
        double median = repeats % 2 ? t[repeats / 2] : 0.5 * (t[repeats / 2 - 1] + t[repeats / 2]);
        if (median < best_median) best_median = median;
        printf("    \"%s\": {\"median_seconds\": %.6e, \"best_seconds\": %.6e, \"median_gb_per_s\": %.3f, "
               "\"best_gb_per_s\": %.3f}%s\n", names[k], median, t[0], (double)n * 8 / median / 1e9,
               (double)n * 8 / t[0] / 1e9, k == 0 ? "," : "");
    }
    printf("  },\n  \"best_median_seconds\": %.6e,\n  \"best_median_gb_per_s\": %.3f,\n  \"cpu_per_wall\": %.4f,\n",
           best_median, (double)n * 8 / best_median / 1e9, cpu_total / wall_total);
    cpu_set_t allowed;
    printf("  \"affinity\": ");
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
        const char *separator = "[";
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
            if (CPU_ISSET(cpu, &allowed)) {
                printf("%s%d", separator, cpu);
                separator = ", ";
            }
        printf("],\n");
    } else {
        printf("null,\n");
    }
    printf("  \"checksum\": %.17g\n}\n", (double)sink);
    free(times);
    free(x);
    return 0;
}
