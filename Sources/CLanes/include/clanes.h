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

#endif
