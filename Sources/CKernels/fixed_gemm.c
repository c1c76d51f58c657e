// Fixed-order matrix products: see include/ckernels.h for the contract. Three implementations of
// one arithmetic (AVX-512, AVX2 + FMA, scalar fma()), chosen at run time; each element of C is
// the same chain of fused multiply-adds in increasing p whichever runs, so they agree bit for bit
// (Tests/LinearAlgebraTests/FixedOrderGemmTests.swift checks this on every shape it tries).
//
// Layout: columns of C in panels of up to NV vectors, p in blocks of KC (the B block stays in L1
// while the rows of A stream past), rows in tiles of H(NV) rows, then 4, 2, 1. A partial last
// vector is masked. Between p blocks the partial sums are stored to C and loaded back: a float or
// double stored and reloaded is the same value, so blocking does not change a bit.

#include "ckernels.h"
#include "isa.h"
#include <immintrin.h>
#include <math.h>

#define KC 128

// ---------------------------------------------------------------------------------------------
// Scalar: the definition itself.

#define SCALAR_GEMM(NAME, T, FMA)                                                              \
    static void NAME(long m, long n, long k, const T *a, long a_row, long a_col, const T *b,   \
                     long ldb, T *c, long ldc, int accumulate) {                               \
        for (long i = 0; i < m; i++) {                                                         \
            T *ci = c + i * ldc;                                                               \
            if (!accumulate)                                                                   \
                for (long j = 0; j < n; j++) ci[j] = 0;                                        \
            for (long p = 0; p < k; p++) {                                                     \
                const T av = a[i * a_row + p * a_col];                                         \
                const T *bp = b + p * ldb;                                                     \
                for (long j = 0; j < n; j++) ci[j] = FMA(av, bp[j], ci[j]);                    \
            }                                                                                  \
        }                                                                                      \
    }

SCALAR_GEMM(gemm_scalar_f32, float, fmaf)
SCALAR_GEMM(gemm_scalar_f64, double, fma)

// ---------------------------------------------------------------------------------------------
// Vector kernels. One micro-kernel computes an MR × NV-vector tile of C over kc values of p.
// VT: vector type; W: lanes; MASK_T: mask type; LOADM/STOREM: masked load/store; SET1, FMADD,
// ZERO: intrinsics; TGT: the target attribute.

#define MICRO(NAME, TGT, T, VT, MASK_T, LOADM, STOREM, SET1, FMADD, ZERO, W, MR, NV)           \
    __attribute__((target(TGT))) static void NAME(long kc, const T *a, long a_row, long a_col, \
                                                  const T *b, long ldb, T *c, long ldc,        \
                                                  int load_c, MASK_T full, MASK_T last) {      \
        VT acc[MR][NV];                                                                        \
        for (int r = 0; r < MR; r++)                                                           \
            for (int v = 0; v < NV; v++)                                                       \
                acc[r][v] = load_c ? LOADM(c + r * ldc + v * W, v == NV - 1 ? last : full)     \
                                   : ZERO();                                                   \
        for (long p = 0; p < kc; p++) {                                                        \
            VT bv[NV];                                                                         \
            for (int v = 0; v < NV; v++) bv[v] = LOADM(b + p * ldb + v * W, v == NV - 1 ? last : full); \
            for (int r = 0; r < MR; r++) {                                                     \
                const VT av = SET1(a[r * a_row + p * a_col]);                                  \
                for (int v = 0; v < NV; v++) acc[r][v] = FMADD(av, bv[v], acc[r][v]);          \
            }                                                                                  \
        }                                                                                      \
        for (int r = 0; r < MR; r++)                                                           \
            for (int v = 0; v < NV; v++)                                                       \
                STOREM(c + r * ldc + v * W, v == NV - 1 ? last : full, acc[r][v]);             \
    }

// The driver for one ISA and type: H1..H4 are the tile heights for NV = 1..4 (0: NV not used).
#define DRIVER(NAME, TGT, T, MASK_T, W, MAXNV, MAKEMASK, FULLMASK, K1, K2, K3, K4, H1, H2, H3, H4) \
    typedef void (*NAME##_micro)(long, const T *, long, long, const T *, long, T *, long, int, \
                                 MASK_T, MASK_T);                                              \
    __attribute__((target(TGT))) static void NAME(long m, long n, long k, const T *a,          \
                                                  long a_row, long a_col, const T *b, long ldb, \
                                                  T *c, long ldc, int accumulate) {            \
        static const NAME##_micro *const tables[4] = {K1, K2, K3, K4};                         \
        static const long height[4] = {H1, H2, H3, H4};                                        \
        const MASK_T full = FULLMASK;                                                          \
        if (k == 0) {                                                                          \
            if (!accumulate)                                                                   \
                for (long i = 0; i < m; i++)                                                   \
                    for (long j = 0; j < n; j++) c[i * ldc + j] = 0;                           \
            return;                                                                            \
        }                                                                                      \
        for (long j0 = 0; j0 < n; j0 += MAXNV * W) {                                           \
            const long cols = n - j0 < MAXNV * W ? n - j0 : MAXNV * W;                         \
            const int nv = (int)((cols + W - 1) / W);                                          \
            const MASK_T last = MAKEMASK(cols - (long)(nv - 1) * W);                           \
            for (long p0 = 0; p0 < k; p0 += KC) {                                              \
                const long kc = k - p0 < KC ? k - p0 : KC;                                     \
                const int load_c = accumulate || p0 > 0;                                       \
                const T *ap = a + p0 * a_col;                                                  \
                const T *bp = b + p0 * ldb + j0;                                               \
                long i = 0;                                                                    \
                const long h = height[nv - 1];                                                 \
                const NAME##_micro *kernels = tables[nv - 1];                                  \
                for (; i + h <= m; i += h)                                                     \
                    kernels[0](kc, ap + i * a_row, a_row, a_col, bp, ldb, c + i * ldc + j0, ldc, load_c, full, last); \
                for (; i + 4 <= m; i += 4)                                                     \
                    kernels[1](kc, ap + i * a_row, a_row, a_col, bp, ldb, c + i * ldc + j0, ldc, load_c, full, last); \
                for (; i + 2 <= m; i += 2)                                                     \
                    kernels[2](kc, ap + i * a_row, a_row, a_col, bp, ldb, c + i * ldc + j0, ldc, load_c, full, last); \
                for (; i < m; i++)                                                             \
                    kernels[3](kc, ap + i * a_row, a_row, a_col, bp, ldb, c + i * ldc + j0, ldc, load_c, full, last); \
            }                                                                                  \
        }                                                                                      \
    }

// ---- AVX-512 (16 floats or 8 doubles per vector, 32 registers: tiles of 24 accumulators) ----

#define A512_LOADM_PS(ptr, mask) _mm512_maskz_loadu_ps((mask), (ptr))
#define A512_STOREM_PS(ptr, mask, v) _mm512_mask_storeu_ps((ptr), (mask), (v))
#define A512_LOADM_PD(ptr, mask) _mm512_maskz_loadu_pd((mask), (ptr))
#define A512_STOREM_PD(ptr, mask, v) _mm512_mask_storeu_pd((ptr), (mask), (v))
#define A512_MASK16(count) ((__mmask16)((1u << (count)) - 1u))
#define A512_MASK8(count) ((__mmask8)((1u << (count)) - 1u))

#define A512_PS(MR, NV) MICRO(k512s_##MR##_##NV, "avx512f", float, __m512, __mmask16, A512_LOADM_PS, A512_STOREM_PS, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_setzero_ps, 16, MR, NV)
#define A512_PD(MR, NV) MICRO(k512d_##MR##_##NV, "avx512f", double, __m512d, __mmask8, A512_LOADM_PD, A512_STOREM_PD, _mm512_set1_pd, _mm512_fmadd_pd, _mm512_setzero_pd, 8, MR, NV)

#define A512_SET(F, NV, H) F(H, NV) F(4, NV) F(2, NV) F(1, NV)
A512_SET(A512_PS, 1, 24) A512_SET(A512_PS, 2, 12) A512_SET(A512_PS, 3, 8) A512_SET(A512_PS, 4, 6)
A512_SET(A512_PD, 1, 24) A512_SET(A512_PD, 2, 12) A512_SET(A512_PD, 3, 8) A512_SET(A512_PD, 4, 6)

typedef void (*k512s_fn)(long, const float *, long, long, const float *, long, float *, long, int, __mmask16, __mmask16);
typedef void (*k512d_fn)(long, const double *, long, long, const double *, long, double *, long, int, __mmask8, __mmask8);
static const k512s_fn k512s_nv1[4] = {k512s_24_1, k512s_4_1, k512s_2_1, k512s_1_1};
static const k512s_fn k512s_nv2[4] = {k512s_12_2, k512s_4_2, k512s_2_2, k512s_1_2};
static const k512s_fn k512s_nv3[4] = {k512s_8_3, k512s_4_3, k512s_2_3, k512s_1_3};
static const k512s_fn k512s_nv4[4] = {k512s_6_4, k512s_4_4, k512s_2_4, k512s_1_4};
static const k512d_fn k512d_nv1[4] = {k512d_24_1, k512d_4_1, k512d_2_1, k512d_1_1};
static const k512d_fn k512d_nv2[4] = {k512d_12_2, k512d_4_2, k512d_2_2, k512d_1_2};
static const k512d_fn k512d_nv3[4] = {k512d_8_3, k512d_4_3, k512d_2_3, k512d_1_3};
static const k512d_fn k512d_nv4[4] = {k512d_6_4, k512d_4_4, k512d_2_4, k512d_1_4};

DRIVER(gemm_avx512_f32, "avx512f", float, __mmask16, 16, 4, A512_MASK16, (__mmask16)0xFFFF,
       k512s_nv1, k512s_nv2, k512s_nv3, k512s_nv4, 24, 12, 8, 6)
DRIVER(gemm_avx512_f64, "avx512f", double, __mmask8, 8, 4, A512_MASK8, (__mmask8)0xFF,
       k512d_nv1, k512d_nv2, k512d_nv3, k512d_nv4, 24, 12, 8, 6)

// ---- AVX2 + FMA (8 floats or 4 doubles per vector, 16 registers: tiles of 12 accumulators) ----
// Masks are integer vectors (lane on = all ones); the "mask type" is the lane count as an int.

__attribute__((target("avx2"))) static inline __m256i a2_mask32(int count) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), lanes);
}
__attribute__((target("avx2"))) static inline __m256i a2_mask64(int count) {
    const __m256i lanes = _mm256_setr_epi64x(0, 1, 2, 3);
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), lanes);
}
#define A2_LOADM_PS(ptr, count) _mm256_maskload_ps((ptr), a2_mask32(count))
#define A2_STOREM_PS(ptr, count, v) _mm256_maskstore_ps((ptr), a2_mask32(count), (v))
#define A2_LOADM_PD(ptr, count) _mm256_maskload_pd((ptr), a2_mask64(count))
#define A2_STOREM_PD(ptr, count, v) _mm256_maskstore_pd((ptr), a2_mask64(count), (v))
#define A2_COUNT(count) ((int)(count))

#define A2_PS(MR, NV) MICRO(k2s_##MR##_##NV, "avx2,fma", float, __m256, int, A2_LOADM_PS, A2_STOREM_PS, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_setzero_ps, 8, MR, NV)
#define A2_PD(MR, NV) MICRO(k2d_##MR##_##NV, "avx2,fma", double, __m256d, int, A2_LOADM_PD, A2_STOREM_PD, _mm256_set1_pd, _mm256_fmadd_pd, _mm256_setzero_pd, 4, MR, NV)
#define A2_SET(F, NV, H) F(H, NV) F(4, NV) F(2, NV) F(1, NV)
A2_SET(A2_PS, 1, 12) A2_SET(A2_PS, 2, 6)
A2_SET(A2_PD, 1, 12) A2_SET(A2_PD, 2, 6)

typedef void (*k2s_fn)(long, const float *, long, long, const float *, long, float *, long, int, int, int);
typedef void (*k2d_fn)(long, const double *, long, long, const double *, long, double *, long, int, int, int);
static const k2s_fn k2s_nv1[4] = {k2s_12_1, k2s_4_1, k2s_2_1, k2s_1_1};
static const k2s_fn k2s_nv2[4] = {k2s_6_2, k2s_4_2, k2s_2_2, k2s_1_2};
static const k2d_fn k2d_nv1[4] = {k2d_12_1, k2d_4_1, k2d_2_1, k2d_1_1};
static const k2d_fn k2d_nv2[4] = {k2d_6_2, k2d_4_2, k2d_2_2, k2d_1_2};

DRIVER(gemm_avx2_f32, "avx2,fma", float, int, 8, 2, A2_COUNT, 8,
       k2s_nv1, k2s_nv2, k2s_nv2, k2s_nv2, 12, 6, 0, 0)
DRIVER(gemm_avx2_f64, "avx2,fma", double, int, 4, 2, A2_COUNT, 4,
       k2d_nv1, k2d_nv2, k2d_nv2, k2d_nv2, 12, 6, 0, 0)

// ---------------------------------------------------------------------------------------------
// One row (m = 1: a lone run's x^T A, r^T X): the tiles above give a single row only NV = 4
// chains in flight, half of what two FMA units with 4-cycle latency need, so a lone row runs
// panels of up to 16 vectors on AVX-512 (the whole row in one pass when n <= 16 vectors, else
// panels of 8) and 8 on AVX2 (16 registers). Each panel is compiled for its exact vector count,
// only its last vector masked: masks for vectors past the last column still cost their loads and
// FMAs (a 100-column row in panels of 8 masks did 16 vector FMAs per p for 13 vectors of work,
// 0.96 us against 0.71 us in one exact pass of 13; 20 columns 66 ns against 25 ns). Each
// element is still the same chain in increasing p: the same bits as the tiles.

#define ROW_PANEL(NAME, TGT, T, VT, MASK_T, LOADM, STOREM, SET1, FMADD, ZERO, W, MAKEMASK, NV)    \
    __attribute__((target(TGT))) static void NAME##_##NV(long k, const T *a, long a_col,          \
                                                         const T *b, long ldb, T *c,              \
                                                         int accumulate, long last_count) {       \
        const MASK_T full = MAKEMASK(W), last = MAKEMASK(last_count);                             \
        VT acc[NV];                                                                                \
        for (int v = 0; v < NV; v++)                                                               \
            acc[v] = accumulate ? LOADM(c + v * W, v < NV - 1 ? full : last) : ZERO();            \
        for (long p = 0; p < k; p++) {                                                             \
            const VT av = SET1(a[p * a_col]);                                                      \
            const T *bp = b + p * ldb;                                                             \
            for (int v = 0; v < NV - 1; v++) acc[v] = FMADD(av, LOADM(bp + v * W, full), acc[v]);  \
            acc[NV - 1] = FMADD(av, LOADM(bp + (NV - 1) * W, last), acc[NV - 1]);                 \
        }                                                                                          \
        for (int v = 0; v < NV; v++) STOREM(c + v * W, v < NV - 1 ? full : last, acc[v]);         \
    }

#define PANELS8(F, ...) F(__VA_ARGS__, 1) F(__VA_ARGS__, 2) F(__VA_ARGS__, 3) F(__VA_ARGS__, 4)     \
    F(__VA_ARGS__, 5) F(__VA_ARGS__, 6) F(__VA_ARGS__, 7) F(__VA_ARGS__, 8)
#define PANELS16(F, ...) PANELS8(F, __VA_ARGS__) F(__VA_ARGS__, 9) F(__VA_ARGS__, 10)              \
    F(__VA_ARGS__, 11) F(__VA_ARGS__, 12) F(__VA_ARGS__, 13) F(__VA_ARGS__, 14) F(__VA_ARGS__, 15) \
    F(__VA_ARGS__, 16)
#define NAMES8(P) P##_1, P##_2, P##_3, P##_4, P##_5, P##_6, P##_7, P##_8
#define NAMES16(P) NAMES8(P), P##_9, P##_10, P##_11, P##_12, P##_13, P##_14, P##_15, P##_16

PANELS16(ROW_PANEL, row512s, "avx512f", float, __m512, __mmask16, A512_LOADM_PS, A512_STOREM_PS, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_setzero_ps, 16, A512_MASK16)
PANELS16(ROW_PANEL, row512d, "avx512f", double, __m512d, __mmask8, A512_LOADM_PD, A512_STOREM_PD, _mm512_set1_pd, _mm512_fmadd_pd, _mm512_setzero_pd, 8, A512_MASK8)
PANELS8(ROW_PANEL, row2s, "avx2,fma", float, __m256, int, A2_LOADM_PS, A2_STOREM_PS, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_setzero_ps, 8, A2_COUNT)
PANELS8(ROW_PANEL, row2d, "avx2,fma", double, __m256d, int, A2_LOADM_PD, A2_STOREM_PD, _mm256_set1_pd, _mm256_fmadd_pd, _mm256_setzero_pd, 4, A2_COUNT)

// The row in panels: one of up to MAXNV vectors when it fits, else panels of 8 and a last one of
// the vectors left.
#define ROW(NAME, T, W, MAXNV, NAMES)                                                              \
    static void NAME(long n, long k, const T *a, long a_col, const T *b, long ldb, T *c,          \
                     int accumulate) {                                                             \
        typedef void (*panel_fn)(long, const T *, long, const T *, long, T *, int, long);          \
        static const panel_fn panels[MAXNV] = {NAMES(NAME)};                                      \
        const long most = n <= MAXNV * W ? MAXNV : 8;                                              \
        for (long j0 = 0; j0 < n;) {                                                               \
            const long left = n - j0;                                                              \
            long nv = (left + W - 1) / W;                                                          \
            if (nv > most) nv = most;                                                              \
            const long cols = nv * W < left ? nv * W : left;                                       \
            panels[nv - 1](k, a, a_col, b + j0, ldb, c + j0, accumulate, cols - (nv - 1) * W);     \
            j0 += cols;                                                                            \
        }                                                                                          \
    }

ROW(row512s, float, 16, 16, NAMES16)
ROW(row512d, double, 8, 16, NAMES16)
ROW(row2s, float, 8, 8, NAMES8)
ROW(row2d, double, 4, 8, NAMES8)

// ---------------------------------------------------------------------------------------------
// Dispatch.

const char *lrb_fixed_gemm_isa(void) {
    switch (lrb_chosen_isa()) {
    case LRB_ISA_AVX512: return "avx512";
    case LRB_ISA_AVX2: return "avx2";
    default: return "scalar";
    }
}

int lrb_fixed_gemm_supports(int isa) { return isa <= lrb_chosen_isa(); }

void lrb_fixed_gemm_f32_isa(int isa, long m, long n, long k, const float *a, long a_row,
                            long a_col, const float *b, long ldb, float *c, long ldc,
                            int accumulate) {
    if (m <= 0 || n <= 0) return;
    if (isa > lrb_chosen_isa()) isa = lrb_chosen_isa();
    switch (isa) {
    case LRB_ISA_AVX512:
        if (m == 1) row512s(n, k, a, a_col, b, ldb, c, accumulate);
        else gemm_avx512_f32(m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate);
        break;
    case LRB_ISA_AVX2:
        if (m == 1) row2s(n, k, a, a_col, b, ldb, c, accumulate);
        else gemm_avx2_f32(m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate);
        break;
    default: gemm_scalar_f32(m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate); break;
    }
}

void lrb_fixed_gemm_f64_isa(int isa, long m, long n, long k, const double *a, long a_row,
                            long a_col, const double *b, long ldb, double *c, long ldc,
                            int accumulate) {
    if (m <= 0 || n <= 0) return;
    if (isa > lrb_chosen_isa()) isa = lrb_chosen_isa();
    switch (isa) {
    case LRB_ISA_AVX512:
        if (m == 1) row512d(n, k, a, a_col, b, ldb, c, accumulate);
        else gemm_avx512_f64(m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate);
        break;
    case LRB_ISA_AVX2:
        if (m == 1) row2d(n, k, a, a_col, b, ldb, c, accumulate);
        else gemm_avx2_f64(m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate);
        break;
    default: gemm_scalar_f64(m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate); break;
    }
}

void lrb_fixed_gemm_f32(long m, long n, long k, const float *a, long a_row, long a_col,
                        const float *b, long ldb, float *c, long ldc, int accumulate) {
    lrb_fixed_gemm_f32_isa(lrb_chosen_isa(), m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate);
}

void lrb_fixed_gemm_f64(long m, long n, long k, const double *a, long a_row, long a_col,
                        const double *b, long ldb, double *c, long ldc, int accumulate) {
    lrb_fixed_gemm_f64_isa(lrb_chosen_isa(), m, n, k, a, a_row, a_col, b, ldb, c, ldc, accumulate);
}
