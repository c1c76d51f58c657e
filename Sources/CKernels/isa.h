// The instruction set the kernels of CKernels run with (internal to the target).
#ifndef LRBENCH_CKERNELS_ISA_H
#define LRBENCH_CKERNELS_ISA_H

enum { LRB_ISA_SCALAR = 0, LRB_ISA_AVX2 = 1, LRB_ISA_AVX512 = 2 };

/// The best this machine has: AVX-512 (avx512f), AVX2 with FMA, or scalar.
int lrb_best_isa(void);
/// `lrb_best_isa()`, computed once.
int lrb_chosen_isa(void);

#endif
