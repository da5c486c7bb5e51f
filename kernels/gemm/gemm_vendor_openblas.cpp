// The `vendor` GEMM variant on host backends: OpenBLAS's cblas_?gemm, the line to beat on CPUs.
// gemm_vendor.cpp routes host backends here (f32/f64 only; bf16/f16 are refused there).
#include <fmt/format.h>

#include <memory>

#include "kernels/backend_dispatch.hpp"
#include "kernels/gemm/gemm_instance.hpp"
#include "kernels/gemm/gemm_variants.hpp"

#ifdef RIDGELINE_HAVE_OPENBLAS
#include <cblas.h>
#include <sched.h>
#include <unistd.h>
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

// OpenBLAS (built NO_AFFINITY) starts its worker threads from the calling thread, and a new thread
// inherits the caller's CPU mask. Under OMP_PROC_BIND the calling thread is pinned to one core by
// the OpenMP runtime, which would put every BLAS worker on that one core (measured: 2 threads ran
// at 1-thread speed). Widen the mask to every online CPU while OpenBLAS (re)creates its pool, then
// restore the binding.
void set_blas_threads(int threads) {
  cpu_set_t bound;
  const bool have_mask = sched_getaffinity(0, sizeof bound, &bound) == 0;
  if (have_mask) {
    cpu_set_t all;
    CPU_ZERO(&all);
    const long online = sysconf(_SC_NPROCESSORS_ONLN);
    for (long c = 0; c < online && c < CPU_SETSIZE; ++c) CPU_SET(c, &all);
    sched_setaffinity(0, sizeof all, &all);
  }
  openblas_set_num_threads(threads);
  if (have_mask) sched_setaffinity(0, sizeof bound, &bound);
}

template <class T>
prepare_outcome prepare_for(const gemm_shape& s, const launch_context& ctx) {
  return with_exec_space(ctx.backend, [&](auto space) -> prepare_outcome {
    using Space = decltype(space);
    if constexpr (!Kokkos::SpaceAccessibility<Kokkos::HostSpace,
                                              typename Space::memory_space>::accessible) {
      return {nullptr, "OpenBLAS runs on host backends only"};
    } else {
      // OpenBLAS keeps its own thread pool: give it as many threads as the Kokkos backend has,
      // so "serial" vs "openmp" compares like with like.
      set_blas_threads(space.concurrency());
      std::vector<std::pair<std::string, std::string>> prov = {
          {"blas", fmt::format("OpenBLAS {}", openblas_get_config())},
          {"blas_threads", std::to_string(openblas_get_num_threads())}};
      auto launch = [](const gemm_args<T>& g) { blas_gemm(g); };
      return {std::make_unique<gemm_instance<T, Space>>(s, ctx.copies, launch, std::move(prov)),
              {}};
    }
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
