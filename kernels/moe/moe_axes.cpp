#include "kernels/moe/moe_axes.hpp"

#include <vector>

#include "kernels/team_axes.hpp"

namespace ridgeline::kernels {

namespace {

using tuner::axis;

// The team shape of a stage that walks whole rows of h elements, a token at a time (permute's
// row copy, combine's weighted row sum): the same axes and defaults for both.
template <class Config>
std::vector<tuner::bound_axis<Config>> row_team_axes(const char* tokens_per_team,
                                                     const char* vector_length) {
  return {
      {&Config::tokens_per_team,
       axis::power_of_two("tokens_per_team", 1, 256, tokens_per_team),
       {4, 4}},
      team_size_axis(&Config::team_size, {1, 4}),
      vector_length_axis(&Config::vector_length, {1, 32}, vector_length),
  };
}

}  // namespace

// Defaults {host, gpu}. Host: one thread per team and a few tokens per team, chosen on the 2-core
// Zen 4 VM at the DeepSeek-V3 shape (bench/moe_stages.cpp), not tuned. GPU: conventional starting
// points (a warp's worth of lanes over a row, a few tokens per block), timed on a GPU only once
// (H200, 2026-11-26, docs/device-runs.md run B).

const tuner::bound_space<moe_gating_config>& moe_gating_axes() {
  using cfg = moe_gating_config;
  // 16 tokens per team on the host: enough that the per-team overhead of the OpenMP backend is
  // amortised, and scratch (16 x E scores) stays in L1. Scratch grows with the threads per team
  // (each thread routes one token in its own E scores): on a GPU 16 threads, not 64, because at
  // DeepSeek-V3's 256 experts 64 threads need 73,748 bytes of level-0 scratch, over the 40,960
  // the H200's Kokkos CUDA backend allows (run B recorded it as invalid_config); 16 need 18 KB
  // in f32, 36 KB in f64 (tests/kernels/test_moe.cpp checks every preset).
  static const tuner::bound_space<cfg> space(
      {
          {&cfg::tokens_per_team,
           axis::power_of_two("tokens_per_team", 1, 256, "tokens routed by one team"),
           {16, 16}},
          team_size_axis(&cfg::team_size, {1, 16}, "threads per team (one token per thread)"),
      },
      {});
  return space;
}

const tuner::bound_space<moe_permute_config>& moe_permute_axes() {
  static const tuner::bound_space<moe_permute_config> space = [] {
    std::vector<tuner::bound_axis<moe_permute_config>> axes = {
        {&moe_permute_config::chunk,
         axis::power_of_two("chunk", 16, 65536, "token slots per counting chunk"),
         {1024, 256}}};
    for (auto& a : row_team_axes<moe_permute_config>("tokens whose rows one team scatters",
                                                     "vector lanes per thread (row copy)")) {
      axes.push_back(std::move(a));
    }
    return tuner::bound_space<moe_permute_config>(std::move(axes), {});
  }();
  return space;
}

const tuner::bound_space<moe_combine_config>& moe_combine_axes() {
  static const tuner::bound_space<moe_combine_config> space(
      row_team_axes<moe_combine_config>("tokens one team combines",
                                        "vector lanes per thread (row sum)"),
      {});
  return space;
}

tuner::config moe_gemm_default(const std::string& backend, dtype t) {
  tuner::config gemm = gemm_tiled_default(backend, t);
  if (backend == "cuda" || backend == "hip") {
    // The grouped functor keeps its expert's product (pointers, strides, row count) in registers,
    // where the plain GEMM reads them from kernel parameters. f64: at the GEMM's 8 x 8 tile (254
    // registers alone) ptxas spilled 484 bytes (docs/sass-report.md, 2026-12-04); 8 x 4 over a
    // 128 x 64 tile keeps 256 threads and halves the accumulators. f32: the GEMM's 512-thread
    // 4 x 8 tile is refused on an H200 (the grouped functor's registers allow 384 threads per
    // block, run C in docs/device-runs.md), so it keeps 8 x 8 over 256 threads, K steps of 8.
    if (t == dtype::f64) {
      gemm["reg_n"] = 4;
      gemm["tile_n"] = 64;
    } else {
      gemm["reg_m"] = 8;
      gemm["tile_k"] = 8;
    }
  }
  return gemm;
}

moe_configs moe_default_configs(const std::string& backend, dtype t) {
  moe_configs m;
  m.gating = moe_gating_axes().typed_default(backend);
  m.permute = moe_permute_axes().typed_default(backend);
  m.gemm = gemm_tiled_axes().typed(moe_gemm_default(backend, t));
  m.combine = moe_combine_axes().typed_default(backend);
  return m;
}

}  // namespace ridgeline::kernels
