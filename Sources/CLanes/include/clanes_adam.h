// Adam's coordinate update, the definition (clanes.h, `lrb_adam_f64`), one coordinate at a time:
// inline, for short vectors, where a call of the vectorised kernel costs more than the update
// (`lrb_adam_update_f64`, below, which Sources/Optimizers/Adam.swift calls), and the vector
// kernels' tail (adam.c). No operation is fused
// into an FMA (FP_CONTRACT OFF), wherever this is compiled.
#ifndef LRBENCH_CLANES_ADAM_H
#define LRBENCH_CLANES_ADAM_H

#pragma STDC FP_CONTRACT OFF

#include "clanes.h"

// The scalars rounded to T (clanes.h), once per call.
#define ADAM_ROUNDED(T)                                                                          \
    typedef struct {                                                                             \
        T w, one_minus_w, beta2, one_minus_beta2, bc2_sqrt, eps, neg_step, decay_value;          \
        int small_weight, decay;                                                                 \
    } lrb_adam_##T;                                                                              \
    static inline lrb_adam_##T lrb_adam_round_##T(const lrb_adam_args *a) {                      \
        lrb_adam_##T r;                                                                          \
        r.w = (T)a->one_minus_beta1;                                                             \
        r.one_minus_w = (T)1 - r.w;                                                              \
        r.small_weight = (r.w < 0 ? -r.w : r.w) < (T)0.5;                                        \
        r.beta2 = (T)a->beta2;                                                                   \
        r.one_minus_beta2 = (T)a->one_minus_beta2;                                               \
        r.bc2_sqrt = (T)a->bc2_sqrt;                                                             \
        r.eps = (T)a->eps;                                                                       \
        r.neg_step = (T)a->neg_step;                                                             \
        r.decay_value = (T)a->decay_value;                                                       \
        r.decay = a->decay;                                                                      \
        return r;                                                                                \
    }

ADAM_ROUNDED(double)
ADAM_ROUNDED(float)

// One coordinate, the definition (T: double or float; A: its rounded scalars).
#define ADAM_SCALAR(NAME, T, A, SQRT)                                                            \
    static inline void NAME(long first, long n, T *x, T *m, T *v, T *vmax, const T *g, const A *p) { \
        for (long i = first; i < n; i++) {                                                       \
            T d = g[i];                                                                          \
            T xi = x[i];                                                                         \
            if (p->decay == 2) {                                                                 \
                xi = xi * p->decay_value;                                                        \
                x[i] = xi;                                                                       \
            } else if (p->decay == 1) {                                                          \
                d = d + p->decay_value * xi;                                                     \
            }                                                                                    \
            T mi = p->small_weight ? m[i] + p->w * (d - m[i]) : d - (d - m[i]) * p->one_minus_w; \
            T vi = v[i] * p->beta2 + p->one_minus_beta2 * d * d;                                 \
            m[i] = mi;                                                                           \
            v[i] = vi;                                                                           \
            T second = vi;                                                                       \
            if (vmax) {                                                                          \
                second = vi >= vmax[i] ? vi : vmax[i];                                           \
                vmax[i] = second;                                                                \
            }                                                                                    \
            T denom = SQRT(second) / p->bc2_sqrt + p->eps;                                       \
            x[i] = xi + p->neg_step * mi / denom;                                                \
        }                                                                                        \
    }

ADAM_SCALAR(lrb_adam_scalar_f64, double, lrb_adam_double, __builtin_sqrt)
ADAM_SCALAR(lrb_adam_scalar_f32, float, lrb_adam_float, __builtin_sqrtf)

// The update callers use: below LRB_ADAM_INLINE_BELOW coordinates the definition above, inline
// (a call of the vectorised kernel costs more than W2's two coordinates), else `lrb_adam_f64` /
// `_f32`. The same operations, so the same bits, either way.
#define LRB_ADAM_INLINE_BELOW 8
#define ADAM_UPDATE(T, SUFFIX)                                                                   \
    static inline void lrb_adam_update_##SUFFIX(long n, T *x, T *m, T *v, T *vmax, const T *g,  \
                                                const lrb_adam_args *a) {                        \
        if (n >= LRB_ADAM_INLINE_BELOW) {                                                        \
            lrb_adam_##SUFFIX(n, x, m, v, vmax, g, a);                                           \
            return;                                                                              \
        }                                                                                        \
        const lrb_adam_##T r = lrb_adam_round_##T(a);                                            \
        lrb_adam_scalar_##SUFFIX(0, n, x, m, v, vmax, g, &r);                                    \
    }

ADAM_UPDATE(double, f64)
ADAM_UPDATE(float, f32)

#endif
