// torch's Adam update over a whole vector (see include/clanes.h for the contract), vectorised
// for AVX-512 and AVX2 and chosen at run time: the Swift lane loops compile for baseline x86-64
// (two doubles or four floats per instruction), this for the widest vectors the machine has.
// Every operation is an IEEE +, −, ×, ÷ or √ (no fused multiply-add: FP_CONTRACT OFF, and the
// vector code names each operation), so each element's bits are the same on every instruction
// set, in the vector body and in the scalar tail.

#pragma STDC FP_CONTRACT OFF

#include "clanes.h"
#include "clanes_adam.h"
#include <immintrin.h>
#include <math.h>

enum { ISA_SCALAR = 0, ISA_AVX2 = 1, ISA_AVX512 = 2 };

static int best_isa(void) {
    static int isa = -1;  // a benign race: every thread computes the same value
    if (isa < 0) {
        __builtin_cpu_init();
        isa = __builtin_cpu_supports("avx512f") ? ISA_AVX512 : __builtin_cpu_supports("avx2") ? ISA_AVX2 : ISA_SCALAR;
    }
    return isa;
}

int lrb_adam_supports(int isa) { return isa <= best_isa(); }

// The same operations W coordinates at a time. GE_PICK(a, b): b where b ≥ a, else a.
#define ADAM_VECTOR(NAME, TGT, T, A, VT, W, SET1, LOAD, STORE, ADD, SUB, MUL, DIV, SQRT, GE_PICK, TAIL) \
    __attribute__((target(TGT))) static void NAME(long n, T *x, T *m, T *v, T *vmax, const T *g, const A *p) { \
        const VT w = SET1(p->w), omw = SET1(p->one_minus_w), b2 = SET1(p->beta2);              \
        const VT omb2 = SET1(p->one_minus_beta2), bc2 = SET1(p->bc2_sqrt), eps = SET1(p->eps);  \
        const VT step = SET1(p->neg_step), dv = SET1(p->decay_value);                           \
        long i = 0;                                                                              \
        for (; i + W <= n; i += W) {                                                             \
            VT d = LOAD(g + i);                                                                  \
            VT xi = LOAD(x + i);                                                                 \
            if (p->decay == 2) {                                                                 \
                xi = MUL(xi, dv);                                                                \
            } else if (p->decay == 1) {                                                          \
                d = ADD(d, MUL(dv, xi));                                                         \
            }                                                                                    \
            VT mo = LOAD(m + i);                                                                 \
            VT mi = p->small_weight ? ADD(mo, MUL(w, SUB(d, mo))) : SUB(d, MUL(SUB(d, mo), omw)); \
            VT vi = ADD(MUL(LOAD(v + i), b2), MUL(MUL(omb2, d), d));                             \
            STORE(m + i, mi);                                                                    \
            STORE(v + i, vi);                                                                    \
            VT second = vi;                                                                      \
            if (vmax) {                                                                          \
                second = GE_PICK(LOAD(vmax + i), vi);                                            \
                STORE(vmax + i, second);                                                         \
            }                                                                                    \
            VT denom = ADD(DIV(SQRT(second), bc2), eps);                                         \
            STORE(x + i, ADD(xi, DIV(MUL(step, mi), denom)));                                    \
        }                                                                                        \
        TAIL(i, n, x, m, v, vmax, g, p);                                                         \
    }

#define GE_avx512_pd(a, b) _mm512_mask_blend_pd(_mm512_cmp_pd_mask((b), (a), _CMP_GE_OQ), (a), (b))
#define GE_avx512_ps(a, b) _mm512_mask_blend_ps(_mm512_cmp_ps_mask((b), (a), _CMP_GE_OQ), (a), (b))
#define GE_avx2_pd(a, b) _mm256_blendv_pd((a), (b), _mm256_cmp_pd((b), (a), _CMP_GE_OQ))
#define GE_avx2_ps(a, b) _mm256_blendv_ps((a), (b), _mm256_cmp_ps((b), (a), _CMP_GE_OQ))

// adam_<ISA>_<SUFFIX> from the intrinsics PRE_<op>_<P> (P: pd or ps).
#define ADAM_ISA(ISA, TGT, PRE, T, SUFFIX, VT, W, P)                                             \
    ADAM_VECTOR(adam_##ISA##_##SUFFIX, TGT, T, lrb_adam_##T, VT, W, PRE##_set1_##P,  \
                PRE##_loadu_##P, PRE##_storeu_##P, PRE##_add_##P, PRE##_sub_##P, PRE##_mul_##P,  \
                PRE##_div_##P, PRE##_sqrt_##P, GE_##ISA##_##P, lrb_adam_scalar_##SUFFIX)

ADAM_ISA(avx512, "avx512f", _mm512, double, f64, __m512d, 8, pd)
ADAM_ISA(avx512, "avx512f", _mm512, float, f32, __m512, 16, ps)
ADAM_ISA(avx2, "avx2", _mm256, double, f64, __m256d, 4, pd)
ADAM_ISA(avx2, "avx2", _mm256, float, f32, __m256, 8, ps)

#define ADAM_DISPATCH(T, SUFFIX)                                                                 \
    void lrb_adam_##SUFFIX##_isa(int isa, long n, T *x, T *m, T *v, T *vmax, const T *g,        \
                                 const lrb_adam_args *a) {                                       \
        const lrb_adam_##T r = lrb_adam_round_##T(a), *p = &r;                                          \
        if (isa > best_isa()) isa = best_isa();                                                  \
        switch (isa) {                                                                           \
        case ISA_AVX512: adam_avx512_##SUFFIX(n, x, m, v, vmax, g, p); break;                    \
        case ISA_AVX2: adam_avx2_##SUFFIX(n, x, m, v, vmax, g, p); break;                        \
        default: lrb_adam_scalar_##SUFFIX(0, n, x, m, v, vmax, g, p); break;                         \
        }                                                                                        \
    }                                                                                            \
    void lrb_adam_##SUFFIX(long n, T *x, T *m, T *v, T *vmax, const T *g, const lrb_adam_args *a) { \
        lrb_adam_##SUFFIX##_isa(best_isa(), n, x, m, v, vmax, g, a);                            \
    }

ADAM_DISPATCH(double, f64)
ADAM_DISPATCH(float, f32)
