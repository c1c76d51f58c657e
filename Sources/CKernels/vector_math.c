// Elementwise exp and log in double precision: see include/ckernels.h for the contract.
// fdlibm's algorithms (e_exp.c and e_log.c, Sun Microsystems 1993; the same in musl and
// FreeBSD), each written once as a sequence of IEEE additions, multiplications, one division and
// integer operations on the bits per element, with no fused multiply-add, so that every
// implementation below (AVX-512, AVX2, scalar) computes the same bits.
//
// exp:
//   x ← clamp(x, −1100, 1100)                 (exp is 0 or ∞ beyond; NaN stays NaN)
//   k ← round-to-nearest-even(x / ln 2)       (the magic-number rounding: (x·invln2 + 1.5·2⁵²) − 1.5·2⁵²)
//   hi ← x − k·ln2hi  (exact),  lo ← k·ln2lo,  r ← hi − lo        (|r| ≤ ln2/2 + 2⁻³⁰)
//   t ← r·r,  c ← r − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5))))
//   y ← 1 − ((lo − r·c/(2 − c)) − hi)         (e^r, error < 1 ulp: fdlibm's bound)
//   e^x ← y · 2^k₁ · 2^k₂,  k₁ = round(k/2), k₂ = k − k₁   (both factors normal: exact unless the
//                                              result is subnormal, then rounded once, as fdlibm)
//
// The two scale factors are built from the bits of k₁ + 1023 + 1.5·2⁵² shifted left by 52.
//
// log (fdlibm's general path; its branch for |f| < 2⁻²⁰ is a shortcut the general formula
// covers to the same accuracy, and its k = 0 formulas are the general ones with k = 0):
//
//   x < 2⁻¹⁰²² (subnormal): x ← x·2⁵⁴, k ← −54
//   hx ← high 32 bits of x;  k ← k + (hx >> 20) − 1023;  hx ← hx & 0xfffff
//   i ← (hx + 0x95f64) & 0x100000;  x' ← x with high word hx | (i ^ 0x3ff00000) (in [√2/2, √2));
//   k ← k + (i >> 20);  f ← x' − 1;  s ← f/(2 + f);  z ← s²;  w ← z²
//   R ← z·(Lg1 + w·(Lg3 + w·(Lg5 + w·Lg7))) + w·(Lg2 + w·(Lg4 + w·Lg6))
//   if ((hx − 0x6147a) | (0x6b851 − hx)) > 0:  h ← (0.5·f)·f;  log x ← k·ln2hi − ((h − (s·(h + R) + k·ln2lo)) − f)
//   else:                                      log x ← k·ln2hi − ((s·(f − R) − k·ln2lo) − f)
//   log(+∞) = +∞, log(±0) = −∞, log(x < 0) = log(NaN) = NaN.

#pragma STDC FP_CONTRACT OFF

#include "ckernels.h"
#include "isa.h"
#include <immintrin.h>
#include <math.h>
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

#define LOG_TWO54 18014398509481984.0  // 2^54
#define LOG_LG1 6.666666666666735130e-01
#define LOG_LG2 3.999999999940941908e-01
#define LOG_LG3 2.857142874366239149e-01
#define LOG_LG4 2.222219843214978396e-01
#define LOG_LG5 1.818357216161805012e-01
#define LOG_LG6 1.531383769920937332e-01
#define LOG_LG7 1.479819860511658591e-01
#define LOG_MIN_NORMAL 2.2250738585072014e-308  // 2^-1022

// ---------------------------------------------------------------------------------------------
// Scalar: the definitions themselves (no expression is fused into an FMA: FP_CONTRACT OFF).

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
    double p = t * (EXP_P1 + t * (EXP_P2 + t * (EXP_P3 + t * (EXP_P4 + t * EXP_P5))));  // not fused: FP_CONTRACT OFF
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

static double scalar_log(double x0) {
    double x = x0;
    int64_t k = 0;
    if (x < LOG_MIN_NORMAL) {
        x = x * LOG_TWO54;
        k = -54;
    }
    uint64_t bits = double_to_bits(x);
    int64_t hx = (int64_t)(bits >> 32);
    k = k + ((hx >> 20) - 1023);
    hx = hx & 0xfffff;
    int64_t i = (hx + 0x95f64) & 0x100000;
    uint64_t high = (uint64_t)(hx | (i ^ 0x3ff00000));
    double xr = bits_to_double((bits & 0xffffffffu) | (high << 32));
    k = k + (i >> 20);
    double f = xr - 1.0;
    double twoPlusF = 2.0 + f;
    double s = f / twoPlusF;
    double dk = (double)k;
    double z = s * s;
    double w = z * z;
    double t1 = w * (LOG_LG2 + w * (LOG_LG4 + w * LOG_LG6));
    double t2 = z * (LOG_LG1 + w * (LOG_LG3 + w * (LOG_LG5 + w * LOG_LG7)));
    double R = t2 + t1;
    double khi = dk * EXP_LN2HI;
    double klo = dk * EXP_LN2LO;
    double u;
    if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
        double h = 0.5 * f;
        h = h * f;
        double v = h + R;
        v = s * v;
        v = v + klo;
        u = h - v;
    } else {
        double v = f - R;
        v = s * v;
        u = v - klo;
    }
    u = u - f;
    double y = khi - u;
    if (x0 == INFINITY) y = INFINITY;
    if (x0 == 0) y = -INFINITY;
    if (x0 < 0 || x0 != x0) y = NAN;
    return y;
}

static void log_scalar(const double *x, double *y, long n) {
    for (long i = 0; i < n; i++) y[i] = scalar_log(x[i]);
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


// log's vectors: the scalar definition's operations lane by lane, with its two branches and
// special values as blends. One body for both instruction sets: P_/I_ are the double and
// 64-bit integer operations, LT/EQ/NGE/GT_I the comparisons (AVX-512 masks, AVX2 vector masks),
// PICK(m, a, b) = m ? b : a and PICK_I(m, v) = m ? v : 0.

#define LOG_LANES(NAME, TGT, VT, VI)                                                             \
    __attribute__((target(TGT))) static inline VT NAME(VT x0) {                                  \
        const MASK sub = LT(x0, P_SET1(LOG_MIN_NORMAL));                                          \
        VT x = PICK(sub, x0, P_MUL(x0, P_SET1(LOG_TWO54)));                                       \
        VI k = PICK_I(sub, I_SET1(-54));                                                          \
        VI bits = P_AS_I(x);                                                                      \
        VI hx = I_SRLI(bits, 32);                                                                 \
        k = I_ADD(k, I_SUB(I_SRLI(hx, 20), I_SET1(1023)));                                        \
        hx = I_AND(hx, I_SET1(0xfffff));                                                          \
        VI i = I_AND(I_ADD(hx, I_SET1(0x95f64)), I_SET1(0x100000));                               \
        VI high = I_OR(hx, I_XOR(i, I_SET1(0x3ff00000)));                                         \
        VT xr = I_AS_P(I_OR(I_AND(bits, I_SET1(0xffffffff)), I_SLLI(high, 32)));                  \
        k = I_ADD(k, I_SRLI(i, 20));                                                              \
        VT f = P_SUB(xr, P_SET1(1.0));                                                            \
        VT s = P_DIV(f, P_ADD(P_SET1(2.0), f));                                                   \
        const VT magic = P_SET1(EXP_MAGIC);                                                       \
        VT dk = P_SUB(I_AS_P(I_ADD(k, P_AS_I(magic))), magic);                                    \
        VT z = P_MUL(s, s);                                                                       \
        VT w = P_MUL(z, z);                                                                       \
        VT t1 = P_ADD(P_MUL(w, P_SET1(LOG_LG6)), P_SET1(LOG_LG4));                                \
        t1 = P_ADD(P_MUL(w, t1), P_SET1(LOG_LG2));                                                \
        t1 = P_MUL(w, t1);                                                                        \
        VT t2 = P_ADD(P_MUL(w, P_SET1(LOG_LG7)), P_SET1(LOG_LG5));                                \
        t2 = P_ADD(P_MUL(w, t2), P_SET1(LOG_LG3));                                                \
        t2 = P_ADD(P_MUL(w, t2), P_SET1(LOG_LG1));                                                \
        t2 = P_MUL(z, t2);                                                                        \
        VT R = P_ADD(t2, t1);                                                                     \
        VT khi = P_MUL(dk, P_SET1(EXP_LN2HI));                                                    \
        VT klo = P_MUL(dk, P_SET1(EXP_LN2LO));                                                    \
        VT h = P_MUL(P_MUL(P_SET1(0.5), f), f);                                                   \
        VT uA = P_SUB(h, P_ADD(P_MUL(s, P_ADD(h, R)), klo));                                      \
        VT uB = P_SUB(P_MUL(s, P_SUB(f, R)), klo);                                                \
        VI sel = I_OR(I_SUB(hx, I_SET1(0x6147a)), I_SUB(I_SET1(0x6b851), hx));                    \
        VT u = PICK(GT_I(sel, I_ZERO()), uB, uA);                                                 \
        VT y = P_SUB(khi, P_SUB(u, f));                                                           \
        y = PICK(EQ(x0, P_SET1(INFINITY)), y, P_SET1(INFINITY));                                  \
        y = PICK(EQ(x0, P_ZERO()), y, P_SET1(-INFINITY));                                         \
        y = PICK(NGE(x0, P_ZERO()), y, P_SET1(NAN)); /* x < 0 or NaN: unordered compares true */  \
        return y;                                                                                 \
    }

#define MASK __mmask8
#define P_SET1 _mm512_set1_pd
#define P_ZERO _mm512_setzero_pd
#define P_ADD _mm512_add_pd
#define P_SUB _mm512_sub_pd
#define P_MUL _mm512_mul_pd
#define P_DIV _mm512_div_pd
#define P_AS_I _mm512_castpd_si512
#define I_AS_P _mm512_castsi512_pd
#define I_SET1 _mm512_set1_epi64
#define I_ZERO _mm512_setzero_si512
#define I_ADD _mm512_add_epi64
#define I_SUB _mm512_sub_epi64
#define I_AND _mm512_and_si512
#define I_OR _mm512_or_si512
#define I_XOR _mm512_xor_si512
#define I_SRLI _mm512_srli_epi64
#define I_SLLI _mm512_slli_epi64
#define LT(a, b) _mm512_cmp_pd_mask((a), (b), _CMP_LT_OQ)
#define EQ(a, b) _mm512_cmp_pd_mask((a), (b), _CMP_EQ_OQ)
#define NGE(a, b) _mm512_cmp_pd_mask((a), (b), _CMP_NGE_UQ)
#define GT_I(a, b) _mm512_cmpgt_epi64_mask((a), (b))
#define PICK(m, a, b) _mm512_mask_blend_pd((m), (a), (b))
#define PICK_I(m, v) _mm512_maskz_mov_epi64((m), (v))
LOG_LANES(log_avx512_lanes, "avx512f", __m512d, __m512i)
#undef MASK
#undef P_SET1
#undef P_ZERO
#undef P_ADD
#undef P_SUB
#undef P_MUL
#undef P_DIV
#undef P_AS_I
#undef I_AS_P
#undef I_SET1
#undef I_ZERO
#undef I_ADD
#undef I_SUB
#undef I_AND
#undef I_OR
#undef I_XOR
#undef I_SRLI
#undef I_SLLI
#undef LT
#undef EQ
#undef NGE
#undef GT_I
#undef PICK
#undef PICK_I

#define MASK __m256d
#define P_SET1 _mm256_set1_pd
#define P_ZERO _mm256_setzero_pd
#define P_ADD _mm256_add_pd
#define P_SUB _mm256_sub_pd
#define P_MUL _mm256_mul_pd
#define P_DIV _mm256_div_pd
#define P_AS_I _mm256_castpd_si256
#define I_AS_P _mm256_castsi256_pd
#define I_SET1 _mm256_set1_epi64x
#define I_ZERO _mm256_setzero_si256
#define I_ADD _mm256_add_epi64
#define I_SUB _mm256_sub_epi64
#define I_AND _mm256_and_si256
#define I_OR _mm256_or_si256
#define I_XOR _mm256_xor_si256
#define I_SRLI _mm256_srli_epi64
#define I_SLLI _mm256_slli_epi64
#define LT(a, b) _mm256_cmp_pd((a), (b), _CMP_LT_OQ)
#define EQ(a, b) _mm256_cmp_pd((a), (b), _CMP_EQ_OQ)
#define NGE(a, b) _mm256_cmp_pd((a), (b), _CMP_NGE_UQ)
#define GT_I(a, b) _mm256_castsi256_pd(_mm256_cmpgt_epi64((a), (b)))
#define PICK(m, a, b) _mm256_blendv_pd((a), (b), (m))
#define PICK_I(m, v) _mm256_and_si256(_mm256_castpd_si256(m), (v))
LOG_LANES(log_avx2_lanes, "avx2", __m256d, __m256i)

#define VECTOR_LOOP(NAME, TGT, W, LANES, LOAD, STORE)                                            \
    __attribute__((target(TGT))) static void NAME(const double *x, double *y, long n) {          \
        long i = 0;                                                                              \
        for (; i + W <= n; i += W) STORE(y + i, LANES(LOAD(x + i)));                             \
        log_scalar(x + i, y + i, n - i);                                                         \
    }

VECTOR_LOOP(log_avx512, "avx512f", 8, log_avx512_lanes, _mm512_loadu_pd, _mm512_storeu_pd)
VECTOR_LOOP(log_avx2, "avx2", 4, log_avx2_lanes, _mm256_loadu_pd, _mm256_storeu_pd)

// ---------------------------------------------------------------------------------------------
// Dispatch.

// lrb_NAME_f64_isa and lrb_NAME_f64 for NAME = exp, log.
#define DISPATCH(NAME)                                                                           \
    void lrb_##NAME##_f64_isa(int isa, const double *x, double *y, long n) {                     \
        if (n <= 0) return;                                                                      \
        if (isa > lrb_chosen_isa()) isa = lrb_chosen_isa();                                      \
        switch (isa) {                                                                           \
        case LRB_ISA_AVX512: NAME##_avx512(x, y, n); break;                                      \
        case LRB_ISA_AVX2: NAME##_avx2(x, y, n); break;                                          \
        default: NAME##_scalar(x, y, n); break;                                                  \
        }                                                                                        \
    }                                                                                            \
    void lrb_##NAME##_f64(const double *x, double *y, long n) {                                  \
        lrb_##NAME##_f64_isa(lrb_chosen_isa(), x, y, n);                                         \
    }

DISPATCH(exp)
DISPATCH(log)
