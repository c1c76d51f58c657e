// The instruction set the kernels of CKernels run with: see isa.h.
#include "isa.h"

int lrb_best_isa(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return LRB_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return LRB_ISA_AVX2;
    return LRB_ISA_SCALAR;
}

int lrb_chosen_isa(void) {
    static int isa = -1;  // a benign race: every thread computes the same value
    if (isa < 0) isa = lrb_best_isa();
    return isa;
}
