// A malloc counter for SweepThroughput's allocation check (README, "Batched runs"):
//
//     gcc -O2 -shared -fPIC -o /tmp/malloc_count.so Benchmarks/SweepThroughput/malloc_count.c
//     LD_PRELOAD=/tmp/malloc_count.so .build/release/SweepThroughput
//
// Every allocation entry point of glibc is counted and forwarded to glibc's own (__libc_*);
// `lrbench_malloc_count()` reads the count. Not part of the build (excluded in Package.swift).
#include <stddef.h>
#include <errno.h>
#include <stdatomic.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_ullong count;

unsigned long long lrbench_malloc_count(void) { return atomic_load(&count); }

void *malloc(size_t n) { atomic_fetch_add(&count, 1); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { atomic_fetch_add(&count, 1); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { atomic_fetch_add(&count, 1); return __libc_realloc(p, n); }
void *memalign(size_t a, size_t n) { atomic_fetch_add(&count, 1); return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { atomic_fetch_add(&count, 1); return __libc_memalign(a, n); }
int posix_memalign(void **p, size_t a, size_t n) {
    atomic_fetch_add(&count, 1);
    void *q = __libc_memalign(a, n);
    if (!q) return ENOMEM;
    *p = q;
    return 0;
}
