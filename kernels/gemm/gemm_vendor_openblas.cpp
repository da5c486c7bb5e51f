// The `vendor` GEMM variant on host backends: OpenBLAS's cblas_?gemm, the line to beat on CPUs.
// gemm_vendor.cpp routes host backends here (f32/f64 only; bf16/f16 are refused there).
#include <memory>

#include "kernels/gemm/gemm_instance.hpp"
#include "kernels/gemm/gemm_variants.hpp"
#include "kernels/host_backend.hpp"

#ifdef RIDGELINE_HAVE_OPENBLAS
#include <cblas.h>

#include "kernels/openblas_threads.hpp"
#endif

namespace ridgeline::kernels {

#ifdef RIDGELINE_HAVE_OPENBLAS
namespace {

void blas_gemm(const gemm_args<float>& g) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g.m, g.n, g.k, g.alpha, g.a,
              static_cast<int>(g.lda), g.b, static_cast<int>(g.ldb), g.beta, g.c,
              static_cast<int>(g.ldc));
}

void blas_gemm(const gemm_args<double>& g) {
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g.m, g.n, g.k, g.alpha, g.a,
              static_cast<int>(g.lda), g.b, static_cast<int>(g.ldb), g.beta, g.c,
              static_cast<int>(g.ldc));
}

template <class T>
prepare_outcome prepare_for(const gemm_shape& s, const launch_context& ctx) {
  return prepare_on_host_backend(ctx.backend, "OpenBLAS", [&](auto space) -> prepare_outcome {
    using Space = decltype(space);
    // OpenBLAS keeps its own thread pool: as many threads as the Kokkos backend has.
    auto prov = use_openblas_threads(space.concurrency());
    auto launch = [](const gemm_args<T>& g) { blas_gemm(g); };
    return {std::make_unique<gemm_instance<T, Space>>(s, ctx.copies, launch, std::move(prov)), {}};
  });
}

}  // namespace
#endif

std::string gemm_vendor_openblas_unavailable(const std::string& backend) {
#ifdef RIDGELINE_HAVE_OPENBLAS
  if (backend == "serial" || backend == "openmp") return {};
  return "OpenBLAS runs on host backends only";
#else
  (void)backend;
  return "this build has no OpenBLAS (configure with RIDGELINE_WITH_OPENBLAS=ON)";
#endif
}

prepare_outcome prepare_gemm_vendor_openblas(const gemm_shape& s, dtype t,
                                             const launch_context& ctx) {
#ifdef RIDGELINE_HAVE_OPENBLAS
  return t == dtype::f32 ? prepare_for<float>(s, ctx) : prepare_for<double>(s, ctx);
#else
  (void)s;
  (void)t;
  return {nullptr, gemm_vendor_openblas_unavailable(ctx.backend)};
#endif
}

}  // namespace ridgeline::kernels
