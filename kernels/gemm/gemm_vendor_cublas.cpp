// The `vendor` GEMM variant on the cuda backend: cuBLAS's cublasGemmEx, the line to beat on
// NVIDIA GPUs. Compiled only when Kokkos has CUDA (kernels/CMakeLists.txt); gemm_vendor.cpp routes
// the cuda backend here. How each dtype is computed (compute type, simt/tensor unit):
// gemm_vendor_cublas_math.hpp.
//
// Layout: Ridgeline's matrices are row-major (gemm_args.hpp); cuBLAS is column-major. A row-major
// M x N matrix with row stride ld is the column-major N x M matrix (its transpose) with the same
// ld, so C = A*B is computed as C^T = B^T * A^T: cuBLAS gets (n, m, k), B first, then A.
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <fmt/format.h>

#include <memory>
#include <stdexcept>

#include "kernels/gemm/gemm_instance.hpp"
#include "kernels/gemm/gemm_mixed_instance.hpp"
#include "kernels/gemm/gemm_variants.hpp"
#include "kernels/gemm/gemm_vendor_cublas_math.hpp"

namespace ridgeline::kernels {

namespace {

// A cuBLAS failure is a failed launch: run_kernel records the exception's text as launch_failed.
void require(cublasStatus_t status, const char* call) {
  if (status != CUBLAS_STATUS_SUCCESS) {
    throw std::runtime_error(fmt::format("cuBLAS {} failed: {} ({})", call,
                                         cublasGetStatusName(status),
                                         cublasGetStatusString(status)));
  }
}

cublasComputeType_t compute_type(dtype t) {
  // Keep in step with cublas_math_for (gemm_vendor_cublas_math.hpp), which names these.
  switch (t) {
    case dtype::f32:
      return CUBLAS_COMPUTE_32F_PEDANTIC;
    case dtype::f64:
      return CUBLAS_COMPUTE_64F;
    case dtype::bf16:
    case dtype::f16:
      return CUBLAS_COMPUTE_32F;
  }
  throw std::logic_error("cuBLAS vendor GEMM: unknown dtype");
}

template <class T>
struct cuda_type;
template <>
struct cuda_type<float> {
  static constexpr cudaDataType_t value = CUDA_R_32F;
};
template <>
struct cuda_type<double> {
  static constexpr cudaDataType_t value = CUDA_R_64F;
};
template <>
struct cuda_type<__nv_bfloat16> {
  static constexpr cudaDataType_t value = CUDA_R_16BF;
};
template <>
struct cuda_type<__half> {
  static constexpr cudaDataType_t value = CUDA_R_16F;
};

// Round-to-nearest-even conversions from CUDA's own headers (host-callable).
struct bf16_convert {
  static __nv_bfloat16 round(float x) { return __float2bfloat16_rn(x); }
  static float widen(__nv_bfloat16 x) { return __bfloat162float(x); }
};
struct f16_convert {
  static __half round(float x) { return __float2half_rn(x); }
  static float widen(__half x) { return __half2float(x); }
};

// One cuBLAS handle per instance, created at the first launch (so a failure to create it is
// recorded as a failed launch, like any other cuBLAS error) on Kokkos's CUDA stream, so the
// harness's Kokkos::fence covers cuBLAS's kernels.
class handle {
 public:
  handle() = default;
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;
  ~handle() {
    if (h_ != nullptr) cublasDestroy(h_);
  }
  cublasHandle_t get() {
    if (h_ == nullptr) {
      require(cublasCreate(&h_), "cublasCreate");
      require(cublasSetStream(h_, Kokkos::Cuda().cuda_stream()), "cublasSetStream");
      // The compute type decides the arithmetic; the math mode stays at the default so no
      // TF32/emulation opt-in of the handle can widen it.
      require(cublasSetMathMode(h_, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    }
    return h_;
  }

 private:
  cublasHandle_t h_ = nullptr;
};

// C (row-major m x n) = alpha * A * B + beta * C, as C^T = B^T * A^T in column-major.
template <class In, class Out, class Scalar>
void gemm_ex(handle& h, cublasComputeType_t compute, int m, int n, int k, Scalar alpha, const In* a,
             std::int64_t lda, const In* b, std::int64_t ldb, Scalar beta, Out* c,
             std::int64_t ldc) {
  require(
      cublasGemmEx(h.get(), CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &alpha, b, cuda_type<In>::value,
                   static_cast<int>(ldb), a, cuda_type<In>::value, static_cast<int>(lda), &beta, c,
                   cuda_type<Out>::value, static_cast<int>(ldc), compute, CUBLAS_GEMM_DEFAULT),
      "cublasGemmEx");
}

std::vector<std::pair<std::string, std::string>> provenance(dtype t) {
  int major = 0, minor = 0, patch = 0;
  cublasGetProperty(MAJOR_VERSION, &major);
  cublasGetProperty(MINOR_VERSION, &minor);
  cublasGetProperty(PATCH_LEVEL, &patch);
  return {{"blas", fmt::format("cuBLAS {}.{}.{}", major, minor, patch)},
          {"blas_compute_type", cublas_math_for(t).compute_type},
          {"blas_unit", cublas_math_for(t).unit}};
}

template <class T>
prepare_outcome prepare_same(const gemm_shape& s, dtype t, const launch_context& ctx) {
  auto h = std::make_shared<handle>();
  const cublasComputeType_t compute = compute_type(t);
  auto launch = [h, compute](const gemm_args<T>& g) {
    gemm_ex<T, T, T>(*h, compute, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, g.c,
                     g.ldc);
  };
  return {std::make_unique<gemm_instance<T, Kokkos::Cuda>>(s, ctx.copies, launch, provenance(t)),
          {}};
}

template <class In, class Convert>
prepare_outcome prepare_mixed(const gemm_shape& s, dtype t, const launch_context& ctx) {
  auto h = std::make_shared<handle>();
  const cublasComputeType_t compute = compute_type(t);
  auto launch = [h, compute](const gemm_mixed_args<In>& g) {
    gemm_ex<In, float, float>(*h, compute, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta,
                              g.c, g.ldc);
  };
  return {std::make_unique<gemm_mixed_instance<In, Convert, Kokkos::Cuda>>(
              s, ctx.copies, to_string(t), launch, provenance(t)),
          {}};
}

}  // namespace

prepare_outcome prepare_gemm_vendor_cublas(const gemm_shape& s, dtype t,
                                           const launch_context& ctx) {
  // cuBLAS takes int dimensions and leading dimensions: parse_problem bounds every size below
  // 2^31, and the leading dimensions here are sizes.
  switch (t) {
    case dtype::f32:
      return prepare_same<float>(s, t, ctx);
    case dtype::f64:
      return prepare_same<double>(s, t, ctx);
    case dtype::bf16:
      return prepare_mixed<__nv_bfloat16, bf16_convert>(s, t, ctx);
    case dtype::f16:
      return prepare_mixed<__half, f16_convert>(s, t, ctx);
  }
  return {nullptr, "cuBLAS vendor GEMM: unknown dtype"};
}

}  // namespace ridgeline::kernels
