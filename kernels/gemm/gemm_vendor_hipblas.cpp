// The `vendor` GEMM variant on the hip backend: hipBLAS (rocBLAS underneath), the line to beat on
// AMD GPUs. Compiled only when Kokkos has HIP and find_package(hipblas) succeeds
// (kernels/CMakeLists.txt); gemm_vendor.cpp routes the hip backend here. What every BLAS library
// shares (handle, instances, layout): gemm_vendor_blas.hpp. How each dtype is computed (entry
// point, compute type, unit): gemm_vendor_hipblas_math.hpp.
//
// Compile-checked against hipBLAS 0.54 (Debian trixie's package 5.5.1, docs/kokkos-build.md); the
// hipDataType/hipblasComputeType_t signature of hipblasGemmEx (hipBLAS 3, or 2 with HIPBLAS_V2)
// is selected below but has not been compiled here.
#include <fmt/format.h>
#include <hip/hip_bfloat16.h>
#include <hip/hip_fp16.h>
#include <hipblas/hipblas.h>

#include <stdexcept>
#include <type_traits>

#include "kernels/gemm/gemm_vendor_blas.hpp"
#include "kernels/gemm/gemm_vendor_hipblas_math.hpp"

namespace ridgeline::kernels {

namespace {

#if defined(HIPBLAS_V2) || hipblasVersionMajor >= 3
using data_type = hipDataType;
constexpr data_type r_16f = HIP_R_16F, r_16bf = HIP_R_16BF, r_32f = HIP_R_32F;
constexpr hipblasComputeType_t compute_32f = HIPBLAS_COMPUTE_32F;
#else
using data_type = hipblasDatatype_t;
constexpr data_type r_16f = HIPBLAS_R_16F, r_16bf = HIPBLAS_R_16B, r_32f = HIPBLAS_R_32F;
constexpr hipblasDatatype_t compute_32f = HIPBLAS_R_32F;
#endif

struct hipblas_library {
  static constexpr const char* name = "hipBLAS";
  using space = Kokkos::Experimental::HIP;
  using handle_type = hipblasHandle_t;
  using bf16 = hip_bfloat16;
  using f16 = __half;

  // Round-to-nearest-even conversions from HIP's own headers (host-callable).
  struct bf16_convert {
    static hip_bfloat16 round(float x) { return hip_bfloat16::round_to_bfloat16(x); }
    static float widen(hip_bfloat16 x) { return static_cast<float>(x); }
  };
  struct f16_convert {
    static __half round(float x) { return __float2half_rn(x); }
    static float widen(__half x) { return __half2float(x); }
  };

  static void require(hipblasStatus_t status, const char* call) {
    if (status != HIPBLAS_STATUS_SUCCESS) {
      throw std::runtime_error(
          fmt::format("hipBLAS {} failed: {}", call, hipblasStatusToString(status)));
    }
  }

  // On Kokkos's HIP stream, so the harness's Kokkos::fence covers hipBLAS's kernels.
  static handle_type create() {
    handle_type h = nullptr;
    require(hipblasCreate(&h), "hipblasCreate");
    require(hipblasSetStream(h, space().hip_stream()), "hipblasSetStream");
    return h;
  }
  static void destroy(handle_type h) { hipblasDestroy(h); }

  // Column-major C^T = B^T * A^T (gemm_vendor_blas.hpp), with the entry point
  // hipblas_math_for names: Sgemm, Dgemm, GemmEx for 16-bit inputs accumulated in f32.
  template <class In, class Out>
  static void gemm(handle_type h, dtype, const gemm_args<In, Out>& g) {
    const int m = g.m, n = g.n, k = g.k;
    const int lda = static_cast<int>(g.lda), ldb = static_cast<int>(g.ldb);
    const int ldc = static_cast<int>(g.ldc);
    if constexpr (std::is_same_v<In, float>) {
      require(hipblasSgemm(h, HIPBLAS_OP_N, HIPBLAS_OP_N, n, m, k, &g.alpha, g.b, ldb, g.a, lda,
                           &g.beta, g.c, ldc),
              "hipblasSgemm");
    } else if constexpr (std::is_same_v<In, double>) {
      require(hipblasDgemm(h, HIPBLAS_OP_N, HIPBLAS_OP_N, n, m, k, &g.alpha, g.b, ldb, g.a, lda,
                           &g.beta, g.c, ldc),
              "hipblasDgemm");
    } else {
      const data_type in = std::is_same_v<In, hip_bfloat16> ? r_16bf : r_16f;
      require(hipblasGemmEx(h, HIPBLAS_OP_N, HIPBLAS_OP_N, n, m, k, &g.alpha, g.b, in, ldb, g.a, in,
                            lda, &g.beta, g.c, r_32f, ldc, compute_32f, HIPBLAS_GEMM_DEFAULT),
              "hipblasGemmEx");
    }
  }

  static std::vector<std::pair<std::string, std::string>> provenance(dtype t) {
    const hipblas_math math = hipblas_math_for(t);
    return {{"blas", fmt::format("hipBLAS {}.{}.{} (headers it was compiled with)",
                                 hipblasVersionMajor, hipblasVersionMinor, hipblasVersionPatch)},
            {"blas_call", math.call},
            {"blas_compute_type", math.compute_type},
            {"blas_unit", math.unit}};
  }
};

}  // namespace

prepare_outcome prepare_gemm_vendor_hipblas(const gemm_shape& s, dtype t,
                                            const launch_context& ctx) {
  return detail::prepare_gemm_vendor_blas<hipblas_library>(s, t, ctx);
}

}  // namespace ridgeline::kernels
