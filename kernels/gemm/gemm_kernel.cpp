// The GEMM kernel: C = alpha*A*B + beta*C, row-major, any M, N, K >= 1; f32/f64, and bf16/f16
// inputs with C in f32 (accumulator_of) for the variants on matrix units.
// Work model (KERNELS.md): 2*M*N*K FLOPs in the input dtype; minimal DRAM bytes = A + B + C
// written, + C read when beta != 0. The unit (simt/tensor) is each variant's: run_kernel stamps
// variant::unit on these FLOPs (the Kokkos variants run on SIMT/vector units).
#include <memory>

#include "kernels/gemm/gemm_variants.hpp"

namespace ridgeline::kernels {

namespace {

gemm_shape to_shape(const problem& p) {
  gemm_shape s;
  s.m = static_cast<int>(problem_get(p, "m"));
  s.n = static_cast<int>(problem_get(p, "n"));
  s.k = static_cast<int>(problem_get(p, "k"));
  s.alpha = problem_get(p, "alpha");
  s.beta = problem_get(p, "beta");
  return s;
}

const tuner::param_space& no_axes() {
  static const tuner::param_space space;
  return space;
}

class tiled_variant final : public variant {
 public:
  std::string name() const override { return "kokkos_tiled"; }
  std::string description() const override {
    return "portable Kokkos GEMM: team tiles, K steps staged in scratch, register micro-tiles";
  }
  const tuner::param_space& space() const override { return gemm_tiled_axes().space(); }
  tuner::config default_config(const std::string& backend, dtype t) const override {
    return gemm_tiled_default(backend, t);
  }
  std::string unavailable_reason(const std::string&) const override { return {}; }
  prepare_outcome prepare(const problem& p, dtype t, const tuner::config& c,
                          const launch_context& ctx) const override {
    const gemm_tiled_config cfg = gemm_tiled_axes().typed(c);
    return t == dtype::f32 ? prepare_gemm_tiled_f32(to_shape(p), cfg, ctx)
                           : prepare_gemm_tiled_f64(to_shape(p), cfg, ctx);
  }
  std::string launch_limit(const problem&, dtype t, const tuner::config& c,
                           const std::string& backend) const override {
    const gemm_tiled_config cfg = gemm_tiled_axes().typed(c);
    return t == dtype::f32 ? gemm_tiled_launch_limit_f32(cfg, backend)
                           : gemm_tiled_launch_limit_f64(cfg, backend);
  }
};

class reference_variant final : public variant {
 public:
  std::string name() const override { return "reference"; }
  std::string description() const override {
    return "naive GEMM accumulated in higher precision on the host (the check's oracle)";
  }
  const tuner::param_space& space() const override { return no_axes(); }
  std::string unavailable_reason(const std::string& backend) const override {
    return backend == "serial" || backend == "openmp" ? "" : "the reference runs on host backends";
  }
  prepare_outcome prepare(const problem& p, dtype t, const tuner::config&,
                          const launch_context& ctx) const override {
    return prepare_gemm_reference(to_shape(p), t, ctx);
  }
};

class vendor_variant final : public variant {
 public:
  std::string name() const override { return "vendor"; }
  std::string description() const override {
    return "the vendor BLAS (OpenBLAS on CPUs, cuBLAS on cuda: f32 without TF32, f64, bf16/f16 "
           "on tensor cores)";
  }
  const tuner::param_space& space() const override { return no_axes(); }
  std::string unavailable_reason(const std::string& backend) const override {
    return gemm_vendor_unavailable(backend);
  }
  std::string unit(dtype t, const std::string& backend) const override {
    return gemm_vendor_unit(t, backend);
  }
  std::string dtype_unsupported(dtype t, const std::string& backend) const override {
    return gemm_vendor_dtype_unsupported(t, backend);
  }
  prepare_outcome prepare(const problem& p, dtype t, const tuner::config&,
                          const launch_context& ctx) const override {
    return prepare_gemm_vendor(to_shape(p), t, ctx);
  }
};

class gemm final : public kernel {
 public:
  gemm() {
    variants_.push_back(std::make_unique<tiled_variant>());
    variants_.push_back(std::make_unique<vendor_variant>());
    variants_.push_back(std::make_unique<reference_variant>());
  }
  std::string name() const override { return "gemm"; }
  std::string description() const override { return "C = alpha*A*B + beta*C (row-major)"; }
  std::vector<problem_field> problem_fields() const override {
    return {{"m", true, 1, std::nullopt, "rows of A and C"},
            {"n", true, 1, std::nullopt, "columns of B and C"},
            {"k", true, 1, std::nullopt, "columns of A, rows of B"},
            {"alpha", false, -1e300, 1.0, "scale of A*B"},
            {"beta", false, -1e300, 0.0, "scale of C's input (0: C is not read)"}};
  }
  const std::vector<std::unique_ptr<variant>>& variants() const override { return variants_; }

  profiler::work_model work(const problem& p, dtype t) const override {
    const std::uint64_t m = static_cast<std::uint64_t>(problem_get(p, "m"));
    const std::uint64_t n = static_cast<std::uint64_t>(problem_get(p, "n"));
    const std::uint64_t k = static_cast<std::uint64_t>(problem_get(p, "k"));
    const bool reads_c = problem_get(p, "beta") != 0;
    profiler::work_model w;
    w.flops.push_back({to_string(t), "simt", 2 * m * n * k});
    w.bytes.push_back({"dram", size_of(t) * (m * k + k * n) +
                                   size_of(accumulator_of(t)) * m * n * (reads_c ? 2 : 1)});
    return w;
  }
  std::uint64_t working_set_bytes(const problem& p, dtype t) const override {
    const std::uint64_t m = static_cast<std::uint64_t>(problem_get(p, "m"));
    const std::uint64_t n = static_cast<std::uint64_t>(problem_get(p, "n"));
    const std::uint64_t k = static_cast<std::uint64_t>(problem_get(p, "k"));
    return size_of(t) * (m * k + k * n) + size_of(accumulator_of(t)) * m * n;
  }
  std::uint64_t check_bytes(const problem& p, dtype t) const override {
    // Host copies of A, B, C0 and C in the accumulator dtype (bf16/f16 inputs are widened to f32
    // for the reference), plus the wide per-row accumulators (negligible).
    const std::uint64_t m = static_cast<std::uint64_t>(problem_get(p, "m"));
    const std::uint64_t n = static_cast<std::uint64_t>(problem_get(p, "n"));
    const std::uint64_t k = static_cast<std::uint64_t>(problem_get(p, "k"));
    return size_of(accumulator_of(t)) * (m * k + k * n + 2 * m * n);
  }

 private:
  std::vector<std::unique_ptr<variant>> variants_;
};

}  // namespace

const kernel& gemm_kernel() {
  static const gemm instance;
  return instance;
}

}  // namespace ridgeline::kernels
