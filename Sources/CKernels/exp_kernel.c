// Elementwise exp in double precision: see include/ckernels.h for the contract. fdlibm's
// algorithm (e_exp.c, Sun Microsystems 1993; the same in musl and FreeBSD), written once as a
// sequence of IEEE additions, multiplications and one division per element, with no fused
// multiply-add, so that every implementation below (AVX-512, AVX2, scalar) computes the same bits.
//
//   x ← clamp(x, −1100, 1100)                 (exp is 0 or ∞ beyond; NaN stays NaN)
//   k ← round-to-nearest-even(x / ln 2)       (the magic-number rounding: (x·invln2 + 1.5·2⁵²) − 1.5·2⁵²)
//   hi ← x − k·ln2hi  (exact),  lo ← k·ln2lo,  r ← hi − lo        (|r| ≤ ln2/2 + 2⁻³⁰)
//   t ← r·r,  c ← r − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5))))
//   y ← 1 − ((lo − r·c/(2 − c)) − hi)         (e^r, error < 1 ulp: fdlibm's bound)
//   e^x ← y · 2^k₁ · 2^k₂,  k₁ = round(k/2), k₂ = k − k₁   (both factors normal: exact unless the
//                                              result is subnormal, then rounded once, as fdlibm)
//
// The two scale factors are built from the bits of k₁ + 1023 + 1.5·2⁵² shifted left by 52.

#pragma STDC FP_CONTRACT OFF

#include "ckernels.h"
#include "isa.h"
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define EXP_MAX 1100.0
#define EXP_MAGIC 6755399441055744.0  // 1.5 · 2^52
#define EXP_BIAS_MAGIC (6755399441055744.0 + 1023.0)
#define EXP_INVLN2 1.44269504088896338700e+00
#define EXP_LN2HI 6.93147180369123816490e-01
#define EXP_LN2LO 1.90821492927058770002e-10
#define EXP_P1 1.66666666666666019037e-01
#define EXP_P2 -2.77777777770155933842e-03
#define EXP_P3 6.61375632143793436117e-05
#define EXP_P4 -1.65339022054652515390e-06
#define EXP_P5 4.13813679705723846039e-08

// ---------------------------------------------------------------------------------------------
// Scalar: the definition itself (one statement per rounded operation).

static double bits_to_double(uint64_t u) { double d; memcpy(&d, &u, sizeof d); return d; }
static uint64_t double_to_bits(double d) { uint64_t u; memcpy(&u, &d, sizeof u); return u; }

/// 2^j for an integer-valued double j with |j| ≤ 1022.
static double scalar_pow2(double j) {
    double biased = j + EXP_BIAS_MAGIC;
    return bits_to_double(double_to_bits(biased) << 52);
}

static double scalar_exp(double x) {
    // max/min that keep a NaN (the comparisons are false for it).
    if (x < -EXP_MAX) x = -EXP_MAX;
    if (x > EXP_MAX) x = EXP_MAX;
    double scaled = x * EXP_INVLN2;
    double shifted = scaled + EXP_MAGIC;
    double k = shifted - EXP_MAGIC;
    double khi = k * EXP_LN2HI;
    double hi = x - khi;
    double lo = k * EXP_LN2LO;
    double r = hi - lo;
    double t = r * r;
    double p = t * EXP_P5;
    p = p + EXP_P4;
    p = t * p;
    p = p + EXP_P3;
    p = t * p;
    p = p + EXP_P2;
    p = t * p;
    p = p + EXP_P1;
    p = t * p;
    double c = r - p;
    double rc = r * c;
    double twoMinusC = 2.0 - c;
    double q = rc / twoMinusC;
    double u = lo - q;
    u = u - hi;
    double y = 1.0 - u;
    double halfShifted = k * 0.5;
    halfShifted = halfShifted + EXP_MAGIC;
    double k1 = halfShifted - EXP_MAGIC;
    double k2 = k - k1;
    y = y * scalar_pow2(k1);
    return y * scalar_pow2(k2);
}

static void exp_scalar(const double *x, double *y, long n) {
    for (long i = 0; i < n; i++) y[i] = scalar_exp(x[i]);
}

// ---------------------------------------------------------------------------------------------
// Vectors: the same operations lane by lane. VT: vector; SI: its integer type; the ops by name.

#define VECTOR_EXP(NAME, TGT, VT, SI, W, SET1, ADD, SUB, MUL, DIV, MAX, MIN, CASTI, CASTD, SLLI, LOAD, STORE) \
    __attribute__((target(TGT))) static inline VT NAME##_lanes(VT x) {                           \
        x = MAX(SET1(-EXP_MAX), x); /* maxpd/minpd return the second operand, x, when it is NaN */ \
        x = MIN(SET1(EXP_MAX), x);                                                               \
        const VT magic = SET1(EXP_MAGIC);                                                        \
        VT k = SUB(ADD(MUL(x, SET1(EXP_INVLN2)), magic), magic);                                 \
        VT hi = SUB(x, MUL(k, SET1(EXP_LN2HI)));                                                 \
        VT lo = MUL(k, SET1(EXP_LN2LO));                                                         \
        VT r = SUB(hi, lo);                                                                      \
        VT t = MUL(r, r);                                                                        \
        VT p = ADD(MUL(t, SET1(EXP_P5)), SET1(EXP_P4));                                          \
        p = ADD(MUL(t, p), SET1(EXP_P3));                                                        \
        p = ADD(MUL(t, p), SET1(EXP_P2));                                                        \
        p = ADD(MUL(t, p), SET1(EXP_P1));                                                        \
        p = MUL(t, p);                                                                           \
        VT c = SUB(r, p);                                                                        \
        VT q = DIV(MUL(r, c), SUB(SET1(2.0), c));                                                \
        VT y = SUB(SET1(1.0), SUB(SUB(lo, q), hi));                                              \
        VT k1 = SUB(ADD(MUL(k, SET1(0.5)), magic), magic);                                       \
        VT k2 = SUB(k, k1);                                                                      \
        const VT bias = SET1(EXP_BIAS_MAGIC);                                                    \
        VT s1 = CASTD(SLLI(CASTI(ADD(k1, bias)), 52));                                           \
        VT s2 = CASTD(SLLI(CASTI(ADD(k2, bias)), 52));                                           \
        return MUL(MUL(y, s1), s2);                                                              \
    }                                                                                            \
    __attribute__((target(TGT))) static void NAME(const double *x, double *y, long n) {          \
        long i = 0;                                                                              \
        for (; i + W <= n; i += W) STORE(y + i, NAME##_lanes(LOAD(x + i)));                     \
        exp_scalar(x + i, y + i, n - i);                                                         \
    }

VECTOR_EXP(exp_avx512, "avx512f", __m512d, __m512i, 8, _mm512_set1_pd, _mm512_add_pd, _mm512_sub_pd,
           _mm512_mul_pd, _mm512_div_pd, _mm512_max_pd, _mm512_min_pd, _mm512_castpd_si512,
           _mm512_castsi512_pd, _mm512_slli_epi64, _mm512_loadu_pd, _mm512_storeu_pd)
VECTOR_EXP(exp_avx2, "avx2", __m256d, __m256i, 4, _mm256_set1_pd, _mm256_add_pd, _mm256_sub_pd,
           _mm256_mul_pd, _mm256_div_pd, _mm256_max_pd, _mm256_min_pd, _mm256_castpd_si256,
           _mm256_castsi256_pd, _mm256_slli_epi64, _mm256_loadu_pd, _mm256_storeu_pd)

// ---------------------------------------------------------------------------------------------
// Dispatch.

void lrb_exp_f64_isa(int isa, const double *x, double *y, long n) {
    if (n <= 0) return;
    if (isa > lrb_chosen_isa()) isa = lrb_chosen_isa();
    switch (isa) {
    case LRB_ISA_AVX512: exp_avx512(x, y, n); break;
    case LRB_ISA_AVX2: exp_avx2(x, y, n); break;
    default: exp_scalar(x, y, n); break;
    }
}

void lrb_exp_f64(const double *x, double *y, long n) { lrb_exp_f64_isa(lrb_chosen_isa(), x, y, n); }
