#pragma once
// C = alpha * A * B + beta * C on row-major matrices, addressed by pointers and leading dimensions
// so the same tiles serve plain GEMM and, later, the grouped expert GEMMs of the MoE layer.
#include <cstdint>

namespace ridgeline::kernels {

template <class T>
struct gemm_args {
  int m = 0, n = 0, k = 0;
  T alpha = 1, beta = 0;
  const T* a = nullptr;  // m x k, row stride lda
  std::int64_t lda = 0;
  const T* b = nullptr;  // k x n, row stride ldb
  std::int64_t ldb = 0;
  T* c = nullptr;  // m x n, row stride ldc; not read when beta == 0 (BLAS convention)
  std::int64_t ldc = 0;
};

struct gemm_shape {
  int m = 0, n = 0, k = 0;
  double alpha = 1, beta = 0;
};

}  // namespace ridgeline::kernels
