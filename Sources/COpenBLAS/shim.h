// OpenBLAS's CBLAS, found through `pkg-config openblas` (Debian puts it under a multiarch,
// threading-flavoured include directory such as /usr/include/x86_64-linux-gnu/openblas-pthread).
#include <cblas.h>

// OpenBLAS exports the reference LAPACK routines with the Fortran calling convention; Debian's
// libopenblas-dev ships no LAPACKE header, so the few routines used are declared here.
// Arguments are passed by pointer; matrices are column-major.

/// Cholesky factorisation and solve of A X = B, A symmetric positive definite.
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda,
            double *b, const int *ldb, int *info);

/// Least squares min ||A X - B|| by QR, A of full rank.
void dgels_(const char *trans, const int *m, const int *n, const int *nrhs, double *a,
            const int *lda, double *b, const int *ldb, double *work, const int *lwork, int *info);

/// Eigenvalues (and optionally vectors) of a symmetric matrix.
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info);

/// QR factorisation (Householder); with dorgqr, a random orthogonal matrix from a Gaussian one.
void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau, double *work,
             const int *lwork, int *info);
void dorgqr_(const int *m, const int *n, const int *k, double *a, const int *lda,
             const double *tau, double *work, const int *lwork, int *info);
