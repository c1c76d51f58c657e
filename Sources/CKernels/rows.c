// Least squares' minibatch products read from the rows of X where they lie: see
// include/ckernels.h for the contract. Three implementations of one arithmetic (AVX-512,
// AVX2 + FMA, scalar fma()), chosen at run time; every residual and every gradient element is one
// chain of fused multiply-adds in a fixed order whichever runs, so they agree bit for bit, and
// with lrb_fixed_gemm_f64 on the gathered rows (Tests/LinearAlgebraTests/RowProductTests.swift).
//
// Residuals: rows in groups of one vector's width (8 or 4), p in steps of that width. The group's
// rows are loaded a vector at a time and transposed in registers, so one vector holds element p
// of every row of the group and the group's chains advance together, lane by lane, one fma per
// p in increasing p; four groups at once hide the fma latency. The rows a group cannot fill, and
// the last d mod width values of p, finish their chains one fma() at a time (the same rounding).
// Gradient: j in panels of up to NV vectors, the block's rows in increasing b, the partial sums
// stored to g between blocks of rows (a double stored and reloaded is the same value).

#include "ckernels.h"
#include "isa.h"
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

// Rows per block: the residuals of a block, then its rows' terms of the gradient while the rows
// are still in cache (32 rows of d = 1000: 256 KiB).
#define BLOCK 32

// ---------------------------------------------------------------------------------------------
// Scalar: the definition itself.

static void residuals_scalar(long lo, long hi, long d, const double *x, const int32_t *index,
                             const double *y, const double *w, double *r) {
    for (long b = lo; b < hi; b++) {
        const double *row = x + (long)index[b] * d;
        double s = -y[index[b]];
        for (long p = 0; p < d; p++) s = fma(row[p], w[p], s);
        r[b] = s;
    }
}

static void gradient_scalar(long lo, long hi, long d, const double *x, const int32_t *index,
                            const double *r, double *g) {
    for (long b = lo; b < hi; b++) {
        const double *row = x + (long)index[b] * d;
        for (long j = 0; j < d; j++) g[j] = fma(r[b], row[j], b == 0 ? 0.0 : g[j]);
    }
}

// Finishes the chains of `count` rows from p = from (their partial sums in s), for the vector
// paths: fma() as the instruction (the same correctly rounded operation as the C library's).
__attribute__((target("fma"))) static void finish_chains(long count, const double *const *rows,
                                                         long from, long d, const double *w,
                                                         const double *s, double *r) {
    for (long l = 0; l < count; l++) {
        double t = s[l];
        for (long p = from; p < d; p++) t = fma(rows[l][p], w[p], t);
        r[l] = t;
    }
}

// ---------------------------------------------------------------------------------------------
// AVX-512: groups of 8 rows, 8×8 transposes.

__attribute__((target("avx512f"))) static inline void transpose8(__m512d v[8]) {
    __m512d t[8], u[8];
    for (int k = 0; k < 4; k++) {
        t[2 * k] = _mm512_unpacklo_pd(v[2 * k], v[2 * k + 1]);
        t[2 * k + 1] = _mm512_unpackhi_pd(v[2 * k], v[2 * k + 1]);
    }
    // u[0..3]: columns (0,4), (2,6), (1,5), (3,7) of rows 0-3; u[4..7] the same of rows 4-7.
    for (int h = 0; h < 2; h++) {
        u[4 * h + 0] = _mm512_shuffle_f64x2(t[4 * h + 0], t[4 * h + 2], 0x88);
        u[4 * h + 1] = _mm512_shuffle_f64x2(t[4 * h + 0], t[4 * h + 2], 0xDD);
        u[4 * h + 2] = _mm512_shuffle_f64x2(t[4 * h + 1], t[4 * h + 3], 0x88);
        u[4 * h + 3] = _mm512_shuffle_f64x2(t[4 * h + 1], t[4 * h + 3], 0xDD);
    }
    v[0] = _mm512_shuffle_f64x2(u[0], u[4], 0x88);
    v[4] = _mm512_shuffle_f64x2(u[0], u[4], 0xDD);
    v[2] = _mm512_shuffle_f64x2(u[1], u[5], 0x88);
    v[6] = _mm512_shuffle_f64x2(u[1], u[5], 0xDD);
    v[1] = _mm512_shuffle_f64x2(u[2], u[6], 0x88);
    v[5] = _mm512_shuffle_f64x2(u[2], u[6], 0xDD);
    v[3] = _mm512_shuffle_f64x2(u[3], u[7], 0x88);
    v[7] = _mm512_shuffle_f64x2(u[3], u[7], 0xDD);
}

// G groups of 8 rows (rows[8G]) from s = −y: r[0 .. 8G).
#define RESIDUAL_GROUPS_512(G)                                                                    \
    __attribute__((target("avx512f"))) static void residual_groups_512_##G(                       \
        const double *const *rows, long d, const double *w, const double *neg_y, double *r) {     \
        __m512d acc[G];                                                                           \
        for (int k = 0; k < G; k++) acc[k] = _mm512_loadu_pd(neg_y + 8 * k);                     \
        const long d8 = d & ~7L;                                                                  \
        for (long p = 0; p < d8; p += 8) {                                                        \
            for (int k = 0; k < G; k++) {                                                         \
                __m512d v[8];                                                                     \
                for (int l = 0; l < 8; l++) v[l] = _mm512_loadu_pd(rows[8 * k + l] + p);          \
                transpose8(v);                                                                    \
                for (int q = 0; q < 8; q++) acc[k] = _mm512_fmadd_pd(v[q], _mm512_set1_pd(w[p + q]), acc[k]); \
            }                                                                                     \
        }                                                                                         \
        double s[8 * G];                                                                          \
        for (int k = 0; k < G; k++) _mm512_storeu_pd(s + 8 * k, acc[k]);                          \
        finish_chains(8 * G, rows, d8, d, w, s, r);                                               \
    }

RESIDUAL_GROUPS_512(4)
RESIDUAL_GROUPS_512(1)

#define NV512 8

// g[j] (j < d) += the terms of rows lo..hi (first: the chains start at 0).
__attribute__((target("avx512f"))) static void gradient_512(long count, const double *const *rows,
                                                            const double *r, long d, double *g,
                                                            int first) {
    for (long j0 = 0; j0 < d; j0 += 8 * NV512) {
        __m512d acc[NV512];
        __mmask8 mask[NV512];
        int nv = 0;
        for (int v = 0; v < NV512; v++) {
            const long left = d - (j0 + 8 * v);
            if (left <= 0) break;
            mask[v] = left >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << left) - 1);
            acc[v] = first ? _mm512_setzero_pd() : _mm512_maskz_loadu_pd(mask[v], g + j0 + 8 * v);
            nv++;
        }
        for (long b = 0; b < count; b++) {
            const __m512d rb = _mm512_set1_pd(r[b]);
            const double *row = rows[b] + j0;
            for (int v = 0; v < nv; v++)
                acc[v] = _mm512_fmadd_pd(rb, _mm512_maskz_loadu_pd(mask[v], row + 8 * v), acc[v]);
        }
        for (int v = 0; v < nv; v++) _mm512_mask_storeu_pd(g + j0 + 8 * v, mask[v], acc[v]);
    }
}

// ---------------------------------------------------------------------------------------------
// AVX2 + FMA: groups of 4 rows, 4×4 transposes.

__attribute__((target("avx2,fma"))) static inline void transpose4(__m256d v[4]) {
    const __m256d t0 = _mm256_unpacklo_pd(v[0], v[1]), t1 = _mm256_unpackhi_pd(v[0], v[1]);
    const __m256d t2 = _mm256_unpacklo_pd(v[2], v[3]), t3 = _mm256_unpackhi_pd(v[2], v[3]);
    v[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
    v[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    v[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    v[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

#define RESIDUAL_GROUPS_256(G)                                                                    \
    __attribute__((target("avx2,fma"))) static void residual_groups_256_##G(                      \
        const double *const *rows, long d, const double *w, const double *neg_y, double *r) {     \
        __m256d acc[G];                                                                           \
        for (int k = 0; k < G; k++) acc[k] = _mm256_loadu_pd(neg_y + 4 * k);                     \
        const long d4 = d & ~3L;                                                                  \
        for (long p = 0; p < d4; p += 4) {                                                        \
            for (int k = 0; k < G; k++) {                                                         \
                __m256d v[4];                                                                     \
                for (int l = 0; l < 4; l++) v[l] = _mm256_loadu_pd(rows[4 * k + l] + p);          \
                transpose4(v);                                                                    \
                for (int q = 0; q < 4; q++) acc[k] = _mm256_fmadd_pd(v[q], _mm256_set1_pd(w[p + q]), acc[k]); \
            }                                                                                     \
        }                                                                                         \
        double s[4 * G];                                                                          \
        for (int k = 0; k < G; k++) _mm256_storeu_pd(s + 4 * k, acc[k]);                          \
        finish_chains(4 * G, rows, d4, d, w, s, r);                                               \
    }

RESIDUAL_GROUPS_256(8)
RESIDUAL_GROUPS_256(1)

#define NV256 8

__attribute__((target("avx2,fma"))) static void gradient_256(long count, const double *const *rows,
                                                             const double *r, long d, double *g,
                                                             int first) {
    const long d4 = d & ~3L;
    for (long j0 = 0; j0 < d4; j0 += 4 * NV256) {
        __m256d acc[NV256];
        int nv = 0;
        for (int v = 0; v < NV256 && j0 + 4 * v < d4; v++, nv++)
            acc[v] = first ? _mm256_setzero_pd() : _mm256_loadu_pd(g + j0 + 4 * v);
        for (long b = 0; b < count; b++) {
            const __m256d rb = _mm256_set1_pd(r[b]);
            const double *row = rows[b] + j0;
            for (int v = 0; v < nv; v++) acc[v] = _mm256_fmadd_pd(rb, _mm256_loadu_pd(row + 4 * v), acc[v]);
        }
        for (int v = 0; v < nv; v++) _mm256_storeu_pd(g + j0 + 4 * v, acc[v]);
    }
    for (long j = d4; j < d; j++) {
        double t = first ? 0.0 : g[j];
        for (long b = 0; b < count; b++) t = fma(r[b], rows[b][j], t);
        g[j] = t;
    }
}

// ---------------------------------------------------------------------------------------------
// Driver: blocks of BLOCK rows, their residuals (groups of 4W rows, then W, then one at a time),
// then their gradient terms.

void lrb_row_products_f64_isa(int isa, long rows, long d, const double *x, const int32_t *index,
                              const double *y, const double *w, double *r, double *g) {
    if (rows <= 0) {
        if (g)
            for (long j = 0; j < d; j++) g[j] = 0;
        return;
    }
    if (isa > lrb_chosen_isa()) isa = lrb_chosen_isa();
    if (isa == LRB_ISA_SCALAR) {
        residuals_scalar(0, rows, d, x, index, y, w, r);
        if (g) gradient_scalar(0, rows, d, x, index, r, g);
        return;
    }
    for (long b0 = 0; b0 < rows; b0 += BLOCK) {
        const long count = rows - b0 < BLOCK ? rows - b0 : BLOCK;
        const double *block[BLOCK];
        double neg_y[BLOCK];
        for (long b = 0; b < count; b++) {
            block[b] = x + (long)index[b0 + b] * d;
            neg_y[b] = -y[index[b0 + b]];
        }
        long b = 0;
        if (isa == LRB_ISA_AVX512) {
            for (; b + 32 <= count; b += 32) residual_groups_512_4(block + b, d, w, neg_y + b, r + b0 + b);
            for (; b + 8 <= count; b += 8) residual_groups_512_1(block + b, d, w, neg_y + b, r + b0 + b);
        } else {
            for (; b + 32 <= count; b += 32) residual_groups_256_8(block + b, d, w, neg_y + b, r + b0 + b);
            for (; b + 4 <= count; b += 4) residual_groups_256_1(block + b, d, w, neg_y + b, r + b0 + b);
        }
        if (b < count) {
            double sums[BLOCK];
            for (long l = b; l < count; l++) sums[l - b] = neg_y[l];
            finish_chains(count - b, block + b, 0, d, w, sums, r + b0 + b);
        }
        if (!g) continue;
        if (isa == LRB_ISA_AVX512)
            gradient_512(count, block, r + b0, d, g, b0 == 0);
        else
            gradient_256(count, block, r + b0, d, g, b0 == 0);
    }
}

void lrb_row_products_f64(long rows, long d, const double *x, const int32_t *index, const double *y,
                          const double *w, double *r, double *g) {
    lrb_row_products_f64_isa(lrb_chosen_isa(), rows, d, x, index, y, w, r, g);
}
