// The `vendor` GEMM variant on the hip backend: hipBLAS (rocBLAS underneath), the line to beat on
// AMD GPUs. Compiled only when Kokkos has HIP and find_package(hipblas) succeeds
// (kernels/CMakeLists.txt); gemm_vendor.cpp routes the hip backend here. How each dtype is
// computed (entry point, compute type, unit): gemm_vendor_hipblas_math.hpp.
//
// Layout: Ridgeline's matrices are row-major (gemm_args.hpp); hipBLAS is column-major. A row-major
// M x N matrix with row stride ld is the column-major N x M matrix (its transpose) with the same
// ld, so C = A*B is computed as C^T = B^T * A^T: hipBLAS gets (n, m, k), B first, then A.
//
// Compile-checked against hipBLAS 0.54 (Debian trixie's package 5.5.1, docs/kokkos-build.md); the
// hipDataType/hipblasComputeType_t signature of hipblasGemmEx (hipBLAS 3, or 2 with HIPBLAS_V2)
// is selected below but has not been compiled here.
#include <fmt/format.h>
#include <hip/hip_bfloat16.h>
#include <hip/hip_fp16.h>
#include <hipblas/hipblas.h>

#include <memory>
#include <stdexcept>

#include "kernels/gemm/gemm_instance.hpp"
#include "kernels/gemm/gemm_mixed_instance.hpp"
#include "kernels/gemm/gemm_variants.hpp"
#include "kernels/gemm/gemm_vendor_hipblas_math.hpp"

namespace ridgeline::kernels {

namespace {

using hip_space = Kokkos::Experimental::HIP;

#if defined(HIPBLAS_V2) || hipblasVersionMajor >= 3
using data_type = hipDataType;
constexpr data_type r_16f = HIP_R_16F, r_16bf = HIP_R_16BF, r_32f = HIP_R_32F;
constexpr hipblasComputeType_t compute_32f = HIPBLAS_COMPUTE_32F;
#else
using data_type = hipblasDatatype_t;
constexpr data_type r_16f = HIPBLAS_R_16F, r_16bf = HIPBLAS_R_16B, r_32f = HIPBLAS_R_32F;
constexpr hipblasDatatype_t compute_32f = HIPBLAS_R_32F;
#endif

// A hipBLAS failure is a failed launch: run_kernel records the exception's text as launch_failed.
void require(hipblasStatus_t status, const char* call) {
  if (status != HIPBLAS_STATUS_SUCCESS) {
    throw std::runtime_error(
        fmt::format("hipBLAS {} failed: {}", call, hipblasStatusToString(status)));
  }
}

template <class T>
struct hip_type;
template <>
struct hip_type<hip_bfloat16> {
  static constexpr data_type value = r_16bf;
};
template <>
struct hip_type<__half> {
  static constexpr data_type value = r_16f;
};

// Round-to-nearest-even conversions from HIP's own headers (host-callable).
struct bf16_convert {
  static hip_bfloat16 round(float x) { return hip_bfloat16::round_to_bfloat16(x); }
  static float widen(hip_bfloat16 x) { return static_cast<float>(x); }
};
struct f16_convert {
  static __half round(float x) { return __float2half_rn(x); }
  static float widen(__half x) { return __half2float(x); }
};

// One hipBLAS handle per instance, created at the first launch (so a failure to create it is
// recorded as a failed launch, like any other hipBLAS error) on Kokkos's HIP stream, so the
// harness's Kokkos::fence covers hipBLAS's kernels.
class handle {
 public:
  handle() = default;
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;
  ~handle() {
    if (h_ != nullptr) hipblasDestroy(h_);
  }
  hipblasHandle_t get() {
    if (h_ == nullptr) {
      require(hipblasCreate(&h_), "hipblasCreate");
      require(hipblasSetStream(h_, hip_space().hip_stream()), "hipblasSetStream");
    }
    return h_;
  }

 private:
  hipblasHandle_t h_ = nullptr;
};

// C (row-major m x n) = alpha * A * B + beta * C, as C^T = B^T * A^T in column-major.
void gemm(handle& h, const gemm_args<float>& g) {
  require(hipblasSgemm(h.get(), HIPBLAS_OP_N, HIPBLAS_OP_N, g.n, g.m, g.k, &g.alpha, g.b,
                       static_cast<int>(g.ldb), g.a, static_cast<int>(g.lda), &g.beta, g.c,
                       static_cast<int>(g.ldc)),
          "hipblasSgemm");
}

void gemm(handle& h, const gemm_args<double>& g) {
  require(hipblasDgemm(h.get(), HIPBLAS_OP_N, HIPBLAS_OP_N, g.n, g.m, g.k, &g.alpha, g.b,
                       static_cast<int>(g.ldb), g.a, static_cast<int>(g.lda), &g.beta, g.c,
                       static_cast<int>(g.ldc)),
          "hipblasDgemm");
}

template <class In>
void gemm(handle& h, const gemm_mixed_args<In>& g) {
  require(hipblasGemmEx(h.get(), HIPBLAS_OP_N, HIPBLAS_OP_N, g.n, g.m, g.k, &g.alpha, g.b,
                        hip_type<In>::value, static_cast<int>(g.ldb), g.a, hip_type<In>::value,
                        static_cast<int>(g.lda), &g.beta, g.c, r_32f, static_cast<int>(g.ldc),
                        compute_32f, HIPBLAS_GEMM_DEFAULT),
          "hipblasGemmEx");
}

std::vector<std::pair<std::string, std::string>> provenance(dtype t) {
  const hipblas_math math = hipblas_math_for(t);
  return {{"blas", fmt::format("hipBLAS {}.{}.{} (headers it was compiled with)",
                               hipblasVersionMajor, hipblasVersionMinor, hipblasVersionPatch)},
          {"blas_call", math.call},
          {"blas_compute_type", math.compute_type},
          {"blas_unit", math.unit}};
}

template <class T>
prepare_outcome prepare_same(const gemm_shape& s, dtype t, const launch_context& ctx) {
  auto h = std::make_shared<handle>();
  auto launch = [h](const gemm_args<T>& g) { gemm(*h, g); };
  return {std::make_unique<gemm_instance<T, hip_space>>(s, ctx.copies, launch, provenance(t)), {}};
}

template <class In, class Convert>
prepare_outcome prepare_mixed(const gemm_shape& s, dtype t, const launch_context& ctx) {
  auto h = std::make_shared<handle>();
  auto launch = [h](const gemm_mixed_args<In>& g) { gemm(*h, g); };
  return {std::make_unique<gemm_mixed_instance<In, Convert, hip_space>>(s, ctx.copies, to_string(t),
                                                                        launch, provenance(t)),
          {}};
}

}  // namespace

prepare_outcome prepare_gemm_vendor_hipblas(const gemm_shape& s, dtype t,
                                            const launch_context& ctx) {
  // hipBLAS takes int dimensions and leading dimensions: parse_problem bounds every size below
  // 2^31, and the leading dimensions here are sizes.
  switch (t) {
    case dtype::f32:
      return prepare_same<float>(s, t, ctx);
    case dtype::f64:
      return prepare_same<double>(s, t, ctx);
    case dtype::bf16:
      return prepare_mixed<hip_bfloat16, bf16_convert>(s, t, ctx);
    case dtype::f16:
      return prepare_mixed<__half, f16_convert>(s, t, ctx);
  }
  return {nullptr, "hipBLAS vendor GEMM: unknown dtype"};
}

}  // namespace ridgeline::kernels
