// The registration point of gemm's `vendor` variant: each backend family is routed to its vendor
// library. Host backends: OpenBLAS (gemm_vendor_openblas.cpp). cuda: cuBLAS
// (gemm_vendor_cublas.cpp, compiled only when Kokkos has CUDA: RIDGELINE_HAVE_CUBLAS).
// hip: hipBLAS/rocBLAS joins here with a gemm_vendor_hipblas.cpp beside the other two.
#include <fmt/format.h>

#include "kernels/gemm/gemm_variants.hpp"
#include "kernels/gemm/gemm_vendor_cublas_math.hpp"
#include "kernels/gemm/gemm_vendor_hipblas_math.hpp"

namespace ridgeline::kernels {

namespace {

bool is_host_backend(const std::string& backend) {
  return backend == "serial" || backend == "openmp";
}

}  // namespace

std::string gemm_vendor_unavailable(const std::string& backend) {
  if (is_host_backend(backend)) return gemm_vendor_openblas_unavailable(backend);
  if (backend == "cuda") {
#ifdef RIDGELINE_HAVE_CUBLAS
    return {};
#else
    return "this build has no cuBLAS (it comes with a CUDA build of Kokkos)";
#endif
  }
  if (backend == "hip") {
#ifdef RIDGELINE_HAVE_HIPBLAS
    return {};
#else
    return "this build has no hipBLAS (a HIP build of Kokkos finds it with find_package(hipblas))";
#endif
  }
  return fmt::format("no vendor BLAS is wired for the {} backend yet", backend);
}

std::string gemm_vendor_dtype_unsupported(dtype t, const std::string& backend) {
  if (!is_low_precision(t) || backend == "cuda" || backend == "hip") return {};
  return fmt::format(
      "vendor on {} is OpenBLAS, which computes in f32 and f64 only; {} runs on matrix units "
      "(vendor on cuda)",
      backend, to_string(t));
}

std::string gemm_vendor_unit(dtype t, const std::string& backend) {
  if (backend == "cuda") return cublas_math_for(t).unit;
  if (backend == "hip") return hipblas_math_for(t).unit;
  return "simt";  // OpenBLAS: vector units
}

prepare_outcome prepare_gemm_vendor(const gemm_shape& s, dtype t, const launch_context& ctx) {
  if (std::string why = gemm_vendor_unavailable(ctx.backend); !why.empty()) {
    return {nullptr, std::move(why)};
  }
  if (std::string why = gemm_vendor_dtype_unsupported(t, ctx.backend); !why.empty()) {
    return {nullptr, std::move(why)};
  }
#ifdef RIDGELINE_HAVE_CUBLAS
  if (ctx.backend == "cuda") return prepare_gemm_vendor_cublas(s, t, ctx);
#endif
#ifdef RIDGELINE_HAVE_HIPBLAS
  if (ctx.backend == "hip") return prepare_gemm_vendor_hipblas(s, t, ctx);
#endif
  return prepare_gemm_vendor_openblas(s, t, ctx);
}

}  // namespace ridgeline::kernels
