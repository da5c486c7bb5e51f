#pragma once
// How gemm's `vendor` variant computes each dtype with cuBLAS on the cuda backend, and therefore
// which roof judges it. Plain C++ (no CUDA headers) so every build, and the host tests, state the
// same units; gemm_vendor_cublas.cpp maps `compute_type` to cuBLAS's enum.
#include "kernels/dtype.hpp"

namespace ridgeline::kernels {

struct cublas_math {
  const char* compute_type;  // cublasComputeType_t, by name (recorded in the provenance)
  const char* unit;          // "simt" or "tensor"
};

inline cublas_math cublas_math_for(dtype t) {
  switch (t) {
    // _PEDANTIC: "standard arithmetic and exact specified internal storage format" (cublas_api.h,
    // CUDA 13): FP32 FMA only, so neither TF32 (CUBLAS_TF32_TENSOR_OP_MATH, NVIDIA_TF32_OVERRIDE)
    // nor the BF16x9 emulation of CUDA 12.9+ can enter, whatever the math mode or environment.
    case dtype::f32:
      return {"CUBLAS_COMPUTE_32F_PEDANTIC", "simt"};
    // DGEMM on sm_80+ runs on the FP64 tensor cores (DMMA), which are IEEE f64: the matrix roof
    // (H100: 67 TFLOP/s vs 34 SIMT) is the one it can reach, so it is the one that judges it.
    case dtype::f64:
      return {"CUBLAS_COMPUTE_64F", "tensor"};
    // bf16/f16 inputs, products accumulated and C stored in f32 (accumulator_of), HMMA.
    case dtype::bf16:
      return {"CUBLAS_COMPUTE_32F", "tensor"};
    case dtype::f16:
      return {"CUBLAS_COMPUTE_32F", "tensor"};
  }
  return {"?", "simt"};
}

}  // namespace ridgeline::kernels
