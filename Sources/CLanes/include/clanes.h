#ifndef LRBENCH_CLANES_H
#define LRBENCH_CLANES_H

/// Vector square roots for the optimizers' lane loops (Sources/Optimizers/Lanes.swift). Swift's
/// SIMD4<Double>.squareRoot() goes lane by lane through the C library's sqrt (a sqrtsd and an
/// errno branch per lane); this is one IEEE square root per lane (llvm.sqrt: sqrtpd), correctly
/// rounded like sqrtsd, so the bits are the same. Inlined into the Swift caller.
typedef double lrb_double4 __attribute__((ext_vector_type(4)));

static inline __attribute__((always_inline)) lrb_double4 lrb_sqrt4(lrb_double4 x) {
    return __builtin_elementwise_sqrt(x);
}

#endif
