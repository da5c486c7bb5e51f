#pragma once
// C = alpha * A * B + beta * C on row-major matrices, addressed by pointers and leading dimensions
// so the same tiles serve plain GEMM and the grouped expert GEMMs of the MoE layer. A and B are
// `In`; C, alpha and beta are `Out`, the accumulator (dtype.hpp's accumulator_of): the same type
// for f32/f64, f32 for 16-bit inputs.
#include <cstdint>

namespace ridgeline::kernels {

template <class In, class Out = In>
struct gemm_args {
  int m = 0, n = 0, k = 0;
  Out alpha = 1, beta = 0;
  const In* a = nullptr;  // m x k, row stride lda
  std::int64_t lda = 0;
  const In* b = nullptr;  // k x n, row stride ldb
  std::int64_t ldb = 0;
  Out* c = nullptr;  // m x n, row stride ldc; not read when beta == 0 (BLAS convention)
  std::int64_t ldc = 0;
};

// 16-bit inputs (bf16, f16) accumulated in f32: the vendor libraries' mixed-precision GEMM.
template <class In>
using gemm_mixed_args = gemm_args<In, float>;

struct gemm_shape {
  int m = 0, n = 0, k = 0;
  double alpha = 1, beta = 0;
};

}  // namespace ridgeline::kernels
