#ifndef LRBENCH_CKERNELS_H
#define LRBENCH_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Fixed-order matrix products (README, "Batched runs"): for every i < m and j < n,
///
///     C[i*ldc + j] = s_k,  s_0 = (accumulate ? C[i*ldc + j] : 0),
///     s_{p+1} = fma(A[i*a_row + p*a_col], B[p*ldb + j], s_p)   for p = 0, 1, ..., k − 1,
///
/// one fused multiply-add per term (one rounding), in increasing p. Every element is that
/// chain and nothing else, so its bits depend only on its own row of A, its own column of B and
/// k: not on m, n, the position of the column among the others, the tiling or the instruction
/// set (AVX-512, AVX2 + FMA, or the C library's correctly rounded fma(), chosen at run time).
/// This is what lets runs share one product (X · [W₁ … W_K]) and get a lone run's numbers.
///
/// A is read by scalar loads with any strides (a_row, a_col), so op(A) may be A or Aᵀ; B's
/// and C's rows are contiguous in j. Allocates nothing; safe to call from many threads.
void lrb_fixed_gemm_f32(long m, long n, long k,
                        const float *a, long a_row, long a_col,
                        const float *b, long ldb,
                        float *c, long ldc, int accumulate);

/// The same in double precision.
void lrb_fixed_gemm_f64(long m, long n, long k,
                        const double *a, long a_row, long a_col,
                        const double *b, long ldb,
                        double *c, long ldc, int accumulate);

/// Which instruction set the products above use on this machine: "avx512", "avx2" or "scalar".
const char *lrb_fixed_gemm_isa(void);

/// For the tests that prove the implementations agree: 0 scalar, 1 AVX2 + FMA, 2 AVX-512.
/// `lrb_fixed_gemm_supports(isa)` says whether this machine has it; the `_isa` products fall
/// back to the best the machine has when it does not.
int lrb_fixed_gemm_supports(int isa);
void lrb_fixed_gemm_f32_isa(int isa, long m, long n, long k, const float *a, long a_row, long a_col,
                            const float *b, long ldb, float *c, long ldc, int accumulate);
void lrb_fixed_gemm_f64_isa(int isa, long m, long n, long k, const double *a, long a_row, long a_col,
                            const double *b, long ldb, double *c, long ldc, int accumulate);

/// Elementwise exp in double precision: y[i] = e^x[i] for i < n (x and y may be the same array).
/// fdlibm's algorithm (e_exp.c: error below 1 ulp) as one fixed sequence of IEEE operations, no
/// fused multiply-add, so each element's bits depend on its own x only: not on n, its position
/// or the instruction set (AVX-512, AVX2 or scalar, chosen at run time; `_isa` forces one as
/// the products' do). exp(−∞) = 0, exp(+∞) = +∞, NaN stays NaN; results below 2⁻¹⁰²² are rounded
/// once to the subnormal. Allocates nothing; safe to call from many threads.
void lrb_exp_f64(const double *x, double *y, long n);
void lrb_exp_f64_isa(int isa, const double *x, double *y, long n);

/// Elementwise natural log in double precision, the same way: fdlibm's e_log.c (error below
/// 1 ulp) as fixed IEEE and integer operations. log(+∞) = +∞, log(±0) = −∞, log(x < 0) = NaN,
/// NaN stays NaN; subnormal inputs are exact.
void lrb_log_f64(const double *x, double *y, long n);
void lrb_log_f64_isa(int isa, const double *x, double *y, long n);

/// Least squares' minibatch products, read from the rows of X where they lie (no gathered copy).
/// For the rows i_b = index[b], b < rows, of X (row-major, d values per row):
///
///     r[b] = s_d,  s_0 = −y[i_b],  s_{p+1} = fma(X[i_b·d + p], w[p], s_p)   (p = 0 … d − 1),
///
/// and, when g is not NULL, for every j < d
///
///     g[j] = t_rows,  t_0 = 0,  t_{b+1} = fma(r[b], X[i_b·d + j], t_b)     (b = 0 … rows − 1):
///
/// the residuals X_B w − y_B and the unscaled gradient r·X_B as exactly the chains that
/// `lrb_fixed_gemm_f64` computes on the gathered rows, so the bits are the gathered products'
/// whatever the instruction set (AVX-512, AVX2 + FMA or scalar fma(); `_isa` forces one).
/// Allocates nothing; safe to call from many threads.
void lrb_row_products_f64(long rows, long d, const double *x, const int32_t *index,
                          const double *y, const double *w, double *r, double *g);
void lrb_row_products_f64_isa(int isa, long rows, long d, const double *x, const int32_t *index,
                              const double *y, const double *w, double *r, double *g);

#endif
