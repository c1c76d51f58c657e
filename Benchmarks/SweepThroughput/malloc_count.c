// A malloc counter for SweepThroughput's allocation check (README, "Batched runs"):
//
//     gcc -O2 -shared -fPIC -o /tmp/malloc_count.so Benchmarks/SweepThroughput/malloc_count.c
//     LD_PRELOAD=/tmp/malloc_count.so .build/release/SweepThroughput
//
// Every allocation entry point of glibc is counted and forwarded to glibc's own (__libc_*);
// `lrbench_malloc_count()` reads the process's count, `lrbench_thread_malloc_count()` the calling
// thread's (so a test is not charged for what another thread, such as the test runner's output,
// allocates meanwhile). Not part of the build (excluded in Package.swift).
#include <stddef.h>
#include <errno.h>
#include <stdatomic.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_ullong count;
// Initial-exec: a preloaded library's thread-locals sit in the static TLS block, so reading one
// never calls malloc (as __tls_get_addr may for the general-dynamic model).
static _Thread_local unsigned long long thread_count __attribute__((tls_model("initial-exec")));

unsigned long long lrbench_malloc_count(void) { return atomic_load(&count); }
unsigned long long lrbench_thread_malloc_count(void) { return thread_count; }

#define COUNT() (atomic_fetch_add(&count, 1), thread_count++)

void *malloc(size_t n) { COUNT(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { COUNT(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { COUNT(); return __libc_realloc(p, n); }
void *memalign(size_t a, size_t n) { COUNT(); return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { COUNT(); return __libc_memalign(a, n); }
int posix_memalign(void **p, size_t a, size_t n) {
    COUNT();
    void *q = __libc_memalign(a, n);
    if (!q) return ENOMEM;
    *p = q;
    return 0;
}
