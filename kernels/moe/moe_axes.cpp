#include "kernels/moe/moe_axes.hpp"

#include <vector>

namespace ridgeline::kernels {

namespace {

bool is_gpu(const std::string& backend) {
  return backend == "cuda" || backend == "hip";
}

tuner::param_space build_gating() {
  using tuner::axis;
  std::vector<axis> axes = {
      axis::power_of_two("tokens_per_team", 1, 256, "tokens routed by one team"),
      axis::power_of_two("team_size", 1, 1024, "threads per team (one token per thread)"),
  };
  // CPU default: one thread per team, 16 tokens per team — enough tokens per team that the
  // per-team overhead of the OpenMP backend is amortised, scratch (16 x E scores) stays in L1.
  // Chosen on the 2-core Zen 4 VM at the DeepSeek-V3 shape (bench/moe_stages.cpp), not tuned.
  tuner::config defaults = {{"tokens_per_team", 16}, {"team_size", 1}};
  return tuner::param_space(std::move(axes), {}, std::move(defaults));
}

tuner::param_space build_permute() {
  using tuner::axis;
  std::vector<axis> axes = {
      axis::power_of_two("chunk", 16, 65536, "token slots per counting chunk"),
      axis::power_of_two("tokens_per_team", 1, 256, "tokens whose rows one team scatters"),
      axis::power_of_two("team_size", 1, 1024, "threads per team"),
      axis::power_of_two("vector_length", 1, 32, "vector lanes per thread (row copy)"),
  };
  tuner::config defaults = {
      {"chunk", 1024}, {"tokens_per_team", 4}, {"team_size", 1}, {"vector_length", 1}};
  return tuner::param_space(std::move(axes), {}, std::move(defaults));
}

tuner::param_space build_combine() {
  using tuner::axis;
  std::vector<axis> axes = {
      axis::power_of_two("tokens_per_team", 1, 256, "tokens one team combines"),
      axis::power_of_two("team_size", 1, 1024, "threads per team"),
      axis::power_of_two("vector_length", 1, 32, "vector lanes per thread (row sum)"),
  };
  tuner::config defaults = {{"tokens_per_team", 4}, {"team_size", 1}, {"vector_length", 1}};
  return tuner::param_space(std::move(axes), {}, std::move(defaults));
}

}  // namespace

const tuner::param_space& moe_gating_space() {
  static const tuner::param_space s = build_gating();
  return s;
}
const tuner::param_space& moe_permute_space() {
  static const tuner::param_space s = build_permute();
  return s;
}
const tuner::param_space& moe_combine_space() {
  static const tuner::param_space s = build_combine();
  return s;
}

// GPU defaults: conventional starting points (a warp's worth of lanes over a row, a few tokens
// per block), timed on a GPU only once (H200, 2026-11-26, docs/device-runs.md run B).
tuner::config moe_gating_default(const std::string& backend) {
  tuner::config c = moe_gating_space().defaults();
  // 16 tokens per team, not 64: at DeepSeek-V3's 256 experts, 64 tokens' scores need 73,748
  // bytes of level-0 scratch, over the 40,960 the H200's Kokkos CUDA backend allows (run B
  // recorded it as invalid_config); 16 tokens need about a quarter of that.
  if (is_gpu(backend)) c = {{"tokens_per_team", 16}, {"team_size", 64}};
  return c;
}
tuner::config moe_permute_default(const std::string& backend) {
  tuner::config c = moe_permute_space().defaults();
  if (is_gpu(backend)) {
    c = {{"chunk", 256}, {"tokens_per_team", 4}, {"team_size", 4}, {"vector_length", 32}};
  }
  return c;
}
tuner::config moe_combine_default(const std::string& backend) {
  tuner::config c = moe_combine_space().defaults();
  if (is_gpu(backend)) c = {{"tokens_per_team", 4}, {"team_size", 4}, {"vector_length", 32}};
  return c;
}

moe_gating_config to_moe_gating_config(const tuner::config& c) {
  return {static_cast<int>(c.at("tokens_per_team")), static_cast<int>(c.at("team_size"))};
}
moe_permute_config to_moe_permute_config(const tuner::config& c) {
  return {static_cast<int>(c.at("chunk")), static_cast<int>(c.at("tokens_per_team")),
          static_cast<int>(c.at("team_size")), static_cast<int>(c.at("vector_length"))};
}
moe_combine_config to_moe_combine_config(const tuner::config& c) {
  return {static_cast<int>(c.at("tokens_per_team")), static_cast<int>(c.at("team_size")),
          static_cast<int>(c.at("vector_length"))};
}

moe_configs moe_default_configs(const std::string& backend) {
  moe_configs m;
  m.gating = to_moe_gating_config(moe_gating_default(backend));
  m.permute = to_moe_permute_config(moe_permute_default(backend));
  m.gemm = to_gemm_tiled_config(gemm_tiled_default(backend));
  m.combine = to_moe_combine_config(moe_combine_default(backend));
  return m;
}

}  // namespace ridgeline::kernels
