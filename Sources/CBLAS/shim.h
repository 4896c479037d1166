// The C boundary to OpenBLAS: the CBLAS interface plus the thread-count control that
// callers parallelising over rows need (one BLAS thread per task).
#ifndef REVSCORING_CBLAS_SHIM_H
#define REVSCORING_CBLAS_SHIM_H
#include <cblas.h>
#endif
