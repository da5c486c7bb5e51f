// The attention kernel: O = softmax(Q Kᵀ/sqrt(d) [+ causal mask]) V, forward, f32/f64, GQA/MQA/MHA
// (attention_args.hpp has the layout and the causal convention).
// Work model (KERNELS.md): 4·d FLOPs per visible query-key pair (2·d for the score, 2·d for its
// share of P V) — 4·B·Hq·Sq·Skv·D without a mask. With the causal mask the pairs are counted
// exactly: query i sees min(skv, max(0, i + skv - sq + 1)) keys, so prefill (sq = skv = S) does
// 4·B·Hq·D·S(S+1)/2 — "half", plus the diagonal — and a decode step (sq = 1) sees every key.
// Exponentials and the softmax's adds are not counted (FlashAttention's convention).
// Minimal DRAM bytes: Q, K, V read once and O written once. A decode step's intensity is then
// about 4·Hq·Skv·D / (2·Hkv·Skv·D·size) = 2·(Hq/Hkv)/size FLOP/byte: Hq/Hkv FLOPs per K/V element.
#include <fmt/format.h>

#include <memory>

#include "core/error.hpp"
#include "kernels/attention/attention_variants.hpp"

namespace ridgeline::kernels {

namespace {

attention_shape to_shape(const problem& p) {
  attention_shape s;
  s.batch = static_cast<int>(problem_get(p, "batch"));
  s.hq = static_cast<int>(problem_get(p, "hq"));
  s.hkv = static_cast<int>(problem_get(p, "hkv"));
  s.sq = static_cast<int>(problem_get(p, "sq"));
  s.skv = static_cast<int>(problem_get(p, "skv"));
  s.d = static_cast<int>(problem_get(p, "d"));
  s.causal = problem_get(p, "causal") != 0;
  return s;
}

const tuner::param_space& no_axes() {
  static const tuner::param_space space;
  return space;
}

class flash_variant final : public variant {
 public:
  std::string name() const override { return "kokkos_flash"; }
  std::string description() const override {
    return "portable Kokkos flash attention: query x key tiles in team scratch, online softmax, "
           "register micro-tiles, split-KV with a combine";
  }
  const tuner::param_space& space() const override { return attention_flash_axes().space(); }
  tuner::config default_config(const std::string& backend, dtype) const override {
    return attention_flash_axes().default_for(backend);
  }
  std::string unavailable_reason(const std::string&) const override { return {}; }
  prepare_outcome prepare(const problem& p, dtype t, const tuner::config& c,
                          const launch_context& ctx) const override {
    const attention_flash_config cfg = resolve_reg_n(to_shape(p), attention_flash_axes().typed(c));
    return t == dtype::f32 ? prepare_attention_flash_f32(to_shape(p), cfg, ctx)
                           : prepare_attention_flash_f64(to_shape(p), cfg, ctx);
  }
  std::string launch_limit(const problem& p, dtype t, const tuner::config& c,
                           const std::string& backend) const override {
    const attention_flash_config cfg = resolve_reg_n(to_shape(p), attention_flash_axes().typed(c));
    return t == dtype::f32 ? attention_flash_launch_limit_f32(to_shape(p), cfg, backend)
                           : attention_flash_launch_limit_f64(to_shape(p), cfg, backend);
  }
};

class unfused_variant final : public variant {
 public:
  std::string name() const override { return "unfused"; }
  std::string description() const override {
    return "three steps with the score matrix in memory: Q K^T (OpenBLAS on host backends), "
           "softmax, P V — the baseline to beat";
  }
  const tuner::param_space& space() const override { return no_axes(); }
  std::string unavailable_reason(const std::string&) const override { return {}; }
  prepare_outcome prepare(const problem& p, dtype t, const tuner::config&,
                          const launch_context& ctx) const override {
    return prepare_attention_unfused(to_shape(p), t, ctx);
  }
};

class reference_variant final : public variant {
 public:
  std::string name() const override { return "reference"; }
  std::string description() const override {
    return "naive attention accumulated in higher precision on the host (the check's oracle)";
  }
  const tuner::param_space& space() const override { return no_axes(); }
  std::string unavailable_reason(const std::string& backend) const override {
    return backend == "serial" || backend == "openmp" ? "" : "the reference runs on host backends";
  }
  prepare_outcome prepare(const problem& p, dtype t, const tuner::config&,
                          const launch_context& ctx) const override {
    return prepare_attention_reference(to_shape(p), t, ctx);
  }
};

class attention final : public kernel {
 public:
  attention() {
    variants_.push_back(std::make_unique<flash_variant>());
    variants_.push_back(std::make_unique<unfused_variant>());
    variants_.push_back(std::make_unique<reference_variant>());
  }
  std::string name() const override { return "attention"; }
  std::string description() const override {
    return "O = softmax(Q K^T / sqrt(d) [causal]) V, forward; q,o [batch,hq,sq,d], k,v "
           "[batch,hkv,skv,d]";
  }
  std::vector<problem_field> problem_fields() const override {
    return {{"batch", true, 1, 1.0, "batch size"},
            {"hq", true, 1, std::nullopt, "query heads"},
            {"hkv", true, 1, std::nullopt, "key/value heads (hq a multiple of it: GQA, MQA, MHA)"},
            {"sq", true, 1, std::nullopt, "query length (1: a decode step)"},
            {"skv", true, 1, std::nullopt, "key length (the KV cache in decode)"},
            {"d", true, 1, std::nullopt, "head dimension"},
            {"causal", true, 0, 0.0,
             "1: query i sees keys j <= i + skv - sq (the last query aligned with the last key)"}};
  }
  const std::vector<std::unique_ptr<variant>>& variants() const override { return variants_; }

  void validate(const problem& p) const override {
    const auto hq = static_cast<std::int64_t>(problem_get(p, "hq"));
    const auto hkv = static_cast<std::int64_t>(problem_get(p, "hkv"));
    if (hq % hkv != 0) {
      throw usage_error(fmt::format(
          "--problem: hq={} is not a multiple of hkv={} (each KV head serves hq/hkv query heads)",
          hq, hkv));
    }
    const double causal = problem_get(p, "causal");
    if (causal != 0 && causal != 1) {
      throw usage_error(fmt::format("--problem: causal must be 0 or 1 (got {:g})", causal));
    }
    // Index arithmetic inside a tile uses 32-bit offsets within one group's rows.
    const double group_rows = double(hq / hkv) * problem_get(p, "sq");
    if (group_rows > 2147483647.0) {
      throw usage_error(
          fmt::format("--problem: sq={:g} times hq/hkv={} exceeds 2^31 query rows per KV head",
                      problem_get(p, "sq"), hq / hkv));
    }
  }

  profiler::work_model work(const problem& p, dtype t) const override {
    const attention_shape s = to_shape(p);
    profiler::work_model w;
    w.flops.push_back({to_string(t), "simt", 4 * std::uint64_t(s.d) * s.visible_pairs()});
    w.bytes.push_back({"dram", working_set_bytes(p, t)});
    return w;
  }
  std::uint64_t working_set_bytes(const problem& p, dtype t) const override {
    const attention_shape s = to_shape(p);
    return size_of(t) * (2 * std::uint64_t(s.q_elements()) + 2 * std::uint64_t(s.kv_elements()));
  }
  std::uint64_t check_bytes(const problem& p, dtype t) const override {
    // Host copies of Q, K, V and O; the reference's per-row buffers are small.
    return working_set_bytes(p, t);
  }

 private:
  std::vector<std::unique_ptr<variant>> variants_;
};

}  // namespace

const kernel& attention_kernel() {
  static const attention instance;
  return instance;
}

}  // namespace ridgeline::kernels
