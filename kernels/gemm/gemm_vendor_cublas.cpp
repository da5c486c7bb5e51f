// The `vendor` GEMM variant on the cuda backend: cuBLAS's cublasGemmEx, the line to beat on
// NVIDIA GPUs. Compiled only when Kokkos has CUDA (kernels/CMakeLists.txt); gemm_vendor.cpp routes
// the cuda backend here. What every BLAS library shares (handle, instances, layout):
// gemm_vendor_blas.hpp. How each dtype is computed (compute type, simt/tensor unit):
// gemm_vendor_cublas_math.hpp.
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <fmt/format.h>

#include <stdexcept>
#include <type_traits>

#include "kernels/gemm/gemm_vendor_blas.hpp"
#include "kernels/gemm/gemm_vendor_cublas_math.hpp"

namespace ridgeline::kernels {

namespace {

struct cublas_library {
  static constexpr const char* name = "cuBLAS";
  using space = Kokkos::Cuda;
  using handle_type = cublasHandle_t;
  using bf16 = __nv_bfloat16;
  using f16 = __half;

  // Round-to-nearest-even conversions from CUDA's own headers (host-callable).
  struct bf16_convert {
    static __nv_bfloat16 round(float x) { return __float2bfloat16_rn(x); }
    static float widen(__nv_bfloat16 x) { return __bfloat162float(x); }
  };
  struct f16_convert {
    static __half round(float x) { return __float2half_rn(x); }
    static float widen(__half x) { return __half2float(x); }
  };

  static void require(cublasStatus_t status, const char* call) {
    if (status != CUBLAS_STATUS_SUCCESS) {
      throw std::runtime_error(fmt::format("cuBLAS {} failed: {} ({})", call,
                                           cublasGetStatusName(status),
                                           cublasGetStatusString(status)));
    }
  }

  // On Kokkos's CUDA stream, so the harness's Kokkos::fence covers cuBLAS's kernels.
  static handle_type create() {
    handle_type h = nullptr;
    require(cublasCreate(&h), "cublasCreate");
    require(cublasSetStream(h, Kokkos::Cuda().cuda_stream()), "cublasSetStream");
    // The compute type decides the arithmetic; the math mode stays at the default so no
    // TF32/emulation opt-in of the handle can widen it.
    require(cublasSetMathMode(h, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    return h;
  }
  static void destroy(handle_type h) { cublasDestroy(h); }

  static cublasComputeType_t compute_type(dtype t) {
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
  static constexpr cudaDataType_t data_type() {
    if constexpr (std::is_same_v<T, float>) {
      return CUDA_R_32F;
    } else if constexpr (std::is_same_v<T, double>) {
      return CUDA_R_64F;
    } else if constexpr (std::is_same_v<T, __nv_bfloat16>) {
      return CUDA_R_16BF;
    } else {
      static_assert(std::is_same_v<T, __half>, "a dtype gemm's vendor variant does not take");
      return CUDA_R_16F;
    }
  }

  // Column-major C^T = B^T * A^T (gemm_vendor_blas.hpp).
  template <class In, class Out>
  static void gemm(handle_type h, dtype t, const gemm_args<In, Out>& g) {
    require(cublasGemmEx(h, CUBLAS_OP_N, CUBLAS_OP_N, g.n, g.m, g.k, &g.alpha, g.b, data_type<In>(),
                         static_cast<int>(g.ldb), g.a, data_type<In>(), static_cast<int>(g.lda),
                         &g.beta, g.c, data_type<Out>(), static_cast<int>(g.ldc), compute_type(t),
                         CUBLAS_GEMM_DEFAULT),
            "cublasGemmEx");
  }

  static std::vector<std::pair<std::string, std::string>> provenance(dtype t) {
    int major = 0, minor = 0, patch = 0;
    cublasGetProperty(MAJOR_VERSION, &major);
    cublasGetProperty(MINOR_VERSION, &minor);
    cublasGetProperty(PATCH_LEVEL, &patch);
    return {{"blas", fmt::format("cuBLAS {}.{}.{}", major, minor, patch)},
            {"blas_compute_type", cublas_math_for(t).compute_type},
            {"blas_unit", cublas_math_for(t).unit}};
  }
};

}  // namespace

prepare_outcome prepare_gemm_vendor_cublas(const gemm_shape& s, dtype t,
                                           const launch_context& ctx) {
  return detail::prepare_gemm_vendor_blas<cublas_library>(s, t, ctx);
}

}  // namespace ridgeline::kernels
