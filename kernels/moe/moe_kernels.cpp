// The MoE expert-routing kernels (KERNELS.md, "MoE expert routing"): one kernel per stage, so each
// stage gets its own work model and roofline point, and the composite layer.
//
// Work models (s = bytes per element, indices are 4-byte ints; "minimal" = compulsory traffic):
// - moe_gating:       FLOPs 4*T*E (score: exp, add, divide, compare — nominal) + 2*T*k;
//                     bytes T*E*s logits + T*k*(4+s) ids and weights.
// - moe_permute:      no FLOPs (pure data movement: it is judged by bandwidth, not placed under a
//                     compute roof); bytes T*k*4 ids + 2*T*k*4 sorted ids and positions
//                     + T*h*s rows read once + T*k*h*s rows written.
// - moe_grouped_gemm: FLOPs 6*T*k*h*I (gate, up, down); bytes: the weights of the experts that can
//                     be active, min(E, T*k) * 3*h*I*s, + T*k*h*s rows in + T*k*h*s rows out.
// - moe_combine:      FLOPs 2*T*k*h; bytes T*k*h*s rows + T*k*(4+s) + T*h*s output.
// - moe_layer:        the sum of the stages' FLOPs plus the router GEMM's 2*T*h*E; bytes what the
//                     layer must move: x, router weight, active expert weights, output.
#include <memory>

#include "kernels/moe/moe_variants.hpp"

namespace ridgeline::kernels {

namespace {

const tuner::param_space& no_axes() {
  static const tuner::param_space space;
  return space;
}

moe_configs configs_for(moe_stage st, const tuner::config& c, const std::string& backend, dtype t) {
  moe_configs m = moe_default_configs(backend, t);
  switch (st) {
    case moe_stage::gating:
      m.gating = moe_gating_axes().typed(c);
      break;
    case moe_stage::permute:
      m.permute = moe_permute_axes().typed(c);
      break;
    case moe_stage::combine:
      m.combine = moe_combine_axes().typed(c);
      break;
    case moe_stage::experts:
    case moe_stage::layer:
      m.gemm = gemm_tiled_axes().typed(c);
      break;
  }
  return m;
}

prepare_outcome prepare(const problem& p, dtype t, moe_launch_request r,
                        const launch_context& ctx) {
  const moe_shape s = to_moe_shape(p);
  return t == dtype::f32 ? prepare_moe_f32(s, r, ctx) : prepare_moe_f64(s, r, ctx);
}

class kokkos_variant final : public variant {
 public:
  explicit kokkos_variant(moe_stage st) : stage_(st) {}
  std::string name() const override { return "kokkos"; }
  std::string description() const override {
    switch (stage_) {
      case moe_stage::gating:
        return "one token per thread: scores in team scratch, group-limited top-k by insertion";
      case moe_stage::permute:
        return "stable counting sort per chunk (no atomics), block-padded segments, rows "
               "scattered from each token once";
      case moe_stage::experts:
        return "per non-empty expert: tiled GEMMs (gate, up), SiLU*mul, tiled GEMM (down)";
      case moe_stage::combine:
        return "weighted sum of each token's k expert rows";
      case moe_stage::layer:
        return "router GEMM, gating, permute, grouped expert GEMMs, combine";
    }
    return {};
  }
  const tuner::param_space& space() const override {
    switch (stage_) {
      case moe_stage::gating:
        return moe_gating_axes().space();
      case moe_stage::permute:
        return moe_permute_axes().space();
      case moe_stage::combine:
        return moe_combine_axes().space();
      default:
        return gemm_tiled_axes().space();
    }
  }
  tuner::config default_config(const std::string& backend, dtype t) const override {
    switch (stage_) {
      case moe_stage::gating:
        return moe_gating_axes().default_for(backend);
      case moe_stage::permute:
        return moe_permute_axes().default_for(backend);
      case moe_stage::combine:
        return moe_combine_axes().default_for(backend);
      default:
        return moe_gemm_default(backend, t);
    }
  }
  std::string unavailable_reason(const std::string&) const override { return {}; }
  prepare_outcome prepare(const problem& p, dtype t, const tuner::config& c,
                          const launch_context& ctx) const override {
    return kernels::prepare(p, t, {stage_, false, configs_for(stage_, c, ctx.backend, t)}, ctx);
  }
  std::string launch_limit(const problem& p, dtype t, const tuner::config& c,
                           const std::string& backend) const override {
    const moe_shape s = to_moe_shape(p);
    const moe_launch_request r{stage_, false, configs_for(stage_, c, backend, t)};
    return t == dtype::f32 ? moe_launch_limit_f32(s, r, backend)
                           : moe_launch_limit_f64(s, r, backend);
  }

 private:
  moe_stage stage_;
};

class reference_variant final : public variant {
 public:
  explicit reference_variant(moe_stage st) : stage_(st) {}
  std::string name() const override { return "reference"; }
  std::string description() const override {
    return "naive host oracle in the wider type (f64 / long double): the check's reference";
  }
  const tuner::param_space& space() const override { return no_axes(); }
  std::string unavailable_reason(const std::string& backend) const override {
    return backend == "serial" || backend == "openmp" ? "" : "the reference runs on host backends";
  }
  prepare_outcome prepare(const problem& p, dtype t, const tuner::config&,
                          const launch_context& ctx) const override {
    return kernels::prepare(p, t, {stage_, true, moe_default_configs(ctx.backend, t)}, ctx);
  }

 private:
  moe_stage stage_;
};

class moe_kernel final : public kernel {
 public:
  moe_kernel(moe_stage st, std::string name, std::string description,
             std::vector<std::string> fields)
      : stage_(st),
        name_(std::move(name)),
        description_(std::move(description)),
        fields_(std::move(fields)) {
    variants_.push_back(std::make_unique<kokkos_variant>(st));
    variants_.push_back(std::make_unique<reference_variant>(st));
  }
  std::string name() const override { return name_; }
  std::string description() const override { return description_; }
  std::vector<problem_field> problem_fields() const override {
    std::vector<problem_field> out;
    for (const auto& f : moe_problem_fields()) {
      for (const auto& n : fields_)
        if (n == f.name) out.push_back(f);
    }
    return out;
  }
  const std::vector<std::unique_ptr<variant>>& variants() const override { return variants_; }
  void validate(const problem& p) const override { validate_moe(p); }

  profiler::work_model work(const problem& p, dtype t) const override {
    const moe_shape s = to_moe_shape(p);
    const auto T_ = static_cast<std::uint64_t>(s.tokens), E = static_cast<std::uint64_t>(s.experts),
               k = static_cast<std::uint64_t>(s.top_k), h = static_cast<std::uint64_t>(s.hidden),
               I = static_cast<std::uint64_t>(s.intermediate);
    const std::uint64_t sz = size_of(t),
                        active = static_cast<std::uint64_t>(s.max_active_experts());
    const std::uint64_t gating_flops = 4 * T_ * E + 2 * T_ * k;
    const std::uint64_t expert_flops = 6 * T_ * k * h * I;
    const std::uint64_t combine_flops = 2 * T_ * k * h;
    const std::uint64_t weights = active * 3 * h * I * sz;
    profiler::work_model w;
    auto flops = [&](std::uint64_t n) { w.flops.push_back({to_string(t), "simt", n}); };
    switch (stage_) {
      case moe_stage::gating:
        flops(gating_flops);
        w.bytes.push_back({"dram", T_ * E * sz + T_ * k * (4 + sz)});
        break;
      case moe_stage::permute:
        w.bytes.push_back({"dram", 3 * T_ * k * 4 + T_ * h * sz + T_ * k * h * sz});
        break;
      case moe_stage::experts:
        flops(expert_flops);
        w.bytes.push_back({"dram", weights + 2 * T_ * k * h * sz});
        break;
      case moe_stage::combine:
        flops(combine_flops);
        w.bytes.push_back({"dram", T_ * k * h * sz + T_ * k * (4 + sz) + T_ * h * sz});
        break;
      case moe_stage::layer:
        flops(2 * T_ * h * E + gating_flops + expert_flops + combine_flops);
        w.bytes.push_back({"dram", T_ * h * sz + h * E * sz + weights + T_ * h * sz});
        break;
    }
    return w;
  }

  // Device bytes of one copy: what the stage's instance allocates (moe_<stage>_instance.hpp).
  std::uint64_t working_set_bytes(const problem& p, dtype t) const override {
    const moe_shape s = to_moe_shape(p);
    const auto T_ = static_cast<std::uint64_t>(s.tokens), E = static_cast<std::uint64_t>(s.experts),
               h = static_cast<std::uint64_t>(s.hidden),
               I = static_cast<std::uint64_t>(s.intermediate),
               slots = static_cast<std::uint64_t>(s.slots()),
               rows = static_cast<std::uint64_t>(s.max_padded_rows());
    const std::uint64_t sz = size_of(t);
    const std::uint64_t routing = slots * (4 + sz);
    const std::uint64_t align = rows * 4 + slots * 4 + (2 * E + 1) * 4;
    const std::uint64_t chunk_ws = (slots / 16 + 1) * E * 4;  // bound: the smallest chunk is 16
    switch (stage_) {
      case moe_stage::gating:
        return T_ * E * sz + routing;
      case moe_stage::permute:
        return T_ * h * sz + routing + align + chunk_ws + rows * h * sz;
      case moe_stage::experts:
        return align + rows * h * sz * 2 + rows * 2 * I * sz + 3 * E * h * I * sz;
      case moe_stage::combine:
        return routing + align + rows * h * sz + T_ * h * sz;
      case moe_stage::layer:
        return 2 * T_ * h * sz + h * E * sz + T_ * E * sz + routing + align + chunk_ws +
               rows * h * sz * 2 + rows * 2 * I * sz + 3 * E * h * I * sz;
    }
    return 0;
  }
  std::uint64_t check_bytes(const problem& p, dtype t) const override {
    // Host copies of every buffer the check reads (at most one copy's worth, twice for the
    // oracle's own vectors).
    return 2 * working_set_bytes(p, t);
  }

 private:
  moe_stage stage_;
  std::string name_, description_;
  std::vector<std::string> fields_;
  std::vector<std::unique_ptr<variant>> variants_;
};

const std::vector<std::string> routing_fields = {"tokens",      "experts",      "top_k",
                                                 "groups",      "topk_groups",  "scoring",
                                                 "renormalize", "routed_scale", "routing"};

std::vector<std::string> plus(std::vector<std::string> base, std::vector<std::string> more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

}  // namespace

const kernel& moe_gating_kernel() {
  static const moe_kernel k(moe_stage::gating, "moe_gating",
                            "router logits -> top-k experts and weights per token", routing_fields);
  return k;
}
const kernel& moe_permute_kernel() {
  static const moe_kernel k(moe_stage::permute, "moe_permute",
                            "per-expert counts, block-padded offsets, token rows into expert order",
                            plus(routing_fields, {"hidden", "block"}));
  return k;
}
const kernel& moe_grouped_gemm_kernel() {
  static const moe_kernel k(moe_stage::experts, "moe_grouped_gemm",
                            "per-expert SiLU(x Wg) * (x Wu) then Wd over the permuted rows",
                            plus(routing_fields, {"hidden", "intermediate", "block"}));
  return k;
}
const kernel& moe_combine_kernel() {
  static const moe_kernel k(moe_stage::combine, "moe_combine",
                            "weighted sum of each token's k expert outputs",
                            plus(routing_fields, {"hidden", "block"}));
  return k;
}
const kernel& moe_layer_kernel() {
  static const moe_kernel k(moe_stage::layer, "moe_layer",
                            "the MoE layer: router GEMM, gating, permute, experts, combine",
                            plus(routing_fields, {"hidden", "intermediate", "block"}));
  return k;
}

}  // namespace ridgeline::kernels
