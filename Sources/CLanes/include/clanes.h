#ifndef LRBENCH_CLANES_H
#define LRBENCH_CLANES_H

/// Vector square roots for the optimizers' lane loops (Sources/Optimizers/Lanes.swift). Swift's
/// SIMD4<Double>.squareRoot() (and SIMD8<Float>'s) goes lane by lane through the C library's sqrt (a sqrtsd and an
/// errno branch per lane); this is one IEEE square root per lane (llvm.sqrt: sqrtpd), correctly
/// rounded like sqrtsd (sqrtss for float), so the bits are the same. Inlined into the Swift caller.
typedef double lrb_double4 __attribute__((ext_vector_type(4)));
typedef float lrb_float8 __attribute__((ext_vector_type(8)));

static inline __attribute__((always_inline)) lrb_double4 lrb_sqrt4(lrb_double4 x) {
    return __builtin_elementwise_sqrt(x);
}

static inline __attribute__((always_inline)) lrb_float8 lrb_sqrt8f(lrb_float8 x) {
    return __builtin_elementwise_sqrt(x);
}

/// torch's Adam/AdamW update of n coordinates (`_single_tensor_adam`, PyTorch 2.15; Sources/
/// Optimizers/Adam.swift). The scalars come as doubles (torch's Python floats) and are rounded
/// to the element type, as ATen's kernels read them: w = T(1 − β1) and its 1 − w taken in T
/// (ATen's lerp), β2, 1 − β2, √(1 − β2ᵗ), eps, −step and the decay value each T(·). Per
/// coordinate, in T:
///
///     decay 2: x ← x·decay_value (AdamW);  decay 1: d ← g + decay_value·x (L2);  else d ← g
///     m ← |w| < 0.5 ? m + w·(d − m) : d − (d − m)·(1 − w)                   (torch's lerp)
///     v ← v·β2 + ((1 − β2)·d)·d;  s ← vmax ? (vmax ← (v ≥ vmax ? v : vmax)) : v
///     x ← x + (−step·m) / (√s / √(1 − β2ᵗ) + eps)
///
/// each operation IEEE-rounded, none fused: the same bits on AVX-512, AVX2 and scalar code
/// (chosen at run time; `_isa` forces one, 0 scalar, 1 AVX2, 2 AVX-512, falling back to what
/// the machine has) and in any position. vmax may be NULL. Allocates nothing.
typedef struct {
    double one_minus_beta1, beta2, one_minus_beta2, bc2_sqrt, eps, neg_step, decay_value;
    int decay;  // 0 none, 1 L2, 2 decoupled
} lrb_adam_args;

void lrb_adam_f64(long n, double *x, double *m, double *v, double *vmax, const double *g, const lrb_adam_args *p);
void lrb_adam_f32(long n, float *x, float *m, float *v, float *vmax, const float *g, const lrb_adam_args *p);
void lrb_adam_f64_isa(int isa, long n, double *x, double *m, double *v, double *vmax, const double *g,
                      const lrb_adam_args *p);
void lrb_adam_f32_isa(int isa, long n, float *x, float *m, float *v, float *vmax, const float *g,
                      const lrb_adam_args *p);
/// Whether this machine has `isa` (0 scalar, 1 AVX2, 2 AVX-512).
int lrb_adam_supports(int isa);

// The update's scalar definition, inline (for short vectors and the kernels' tails).
#include "clanes_adam.h"

#endif
