#pragma once
// How gemm's `vendor` variant computes each dtype with hipBLAS (rocBLAS underneath) on the hip
// backend, and therefore which roof judges it. Plain C++ (no HIP headers) so every build, and the
// host tests, state the same units; gemm_vendor_hipblas.cpp maps the names to hipBLAS's enums.
#include "kernels/dtype.hpp"

namespace ridgeline::kernels {

struct hipblas_math {
  const char* call;          // the hipBLAS entry point, by name (recorded in the provenance)
  const char* compute_type;  // the type products are accumulated in, by hipBLAS's name
  const char* unit;          // "simt" or "tensor"
};

inline hipblas_math hipblas_math_for(dtype t) {
  switch (t) {
    // rocBLAS's GEMM kernels for CDNA (gfx908/gfx90a/gfx942) are built on the matrix-core MFMA
    // instructions for f32 and f64 too, in full precision (f32 inputs, not xf32: rocBLAS uses
    // xf32 only when a handle opts in with rocblas_xf32_xdl_math_op, which the hipBLAS of
    // ROCm 5 cannot ask for). So the matrix roof, the one they can reach, is the one that judges.
    case dtype::f32:
      return {"hipblasSgemm", "HIPBLAS_R_32F", "tensor"};
    case dtype::f64:
      return {"hipblasDgemm", "HIPBLAS_R_64F", "tensor"};
    // bf16/f16 inputs, products accumulated and C stored in f32 (accumulator_of).
    case dtype::bf16:
      return {"hipblasGemmEx", "HIPBLAS_R_32F", "tensor"};
    case dtype::f16:
      return {"hipblasGemmEx", "HIPBLAS_R_32F", "tensor"};
  }
  return {"?", "?", "simt"};
}

}  // namespace ridgeline::kernels
