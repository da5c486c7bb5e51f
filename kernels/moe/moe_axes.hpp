#pragma once
// Tunable axes of the `kokkos` variants of the MoE stages (host-only), declared beside the stage
// code in moe_impl.hpp. The grouped expert GEMM reuses the tiled GEMM's axes and constraints
// (gemm_tiled.hpp) because it launches the same tiles and micro-kernel per expert.
//
// gating:  tokens_per_team (tokens one team routes; each thread routes one token at a time,
//          its scores and top-k list in team scratch level 0), team_size.
// permute: chunk (token slots per counting chunk: the histogram is per chunk, so ranks are stable
//          and need no atomics), tokens_per_team, team_size, vector_length (the row copy).
// combine: tokens_per_team, team_size, vector_length (the weighted row sum).
// layer:   the grouped GEMM's tile axes; the other stages run with their backend defaults.
#include <string>

#include "kernels/dtype.hpp"
#include "kernels/gemm/gemm_tiled.hpp"
#include "tuner/bound_space.hpp"

namespace ridgeline::kernels {

struct moe_gating_config {
  int tokens_per_team = 1, team_size = 1;
};
struct moe_permute_config {
  int chunk = 1024, tokens_per_team = 1, team_size = 1, vector_length = 1;
};
struct moe_combine_config {
  int tokens_per_team = 1, team_size = 1, vector_length = 1;
};

// Each stage's axes bound to its configuration, with its defaults (moe_axes.cpp says where they
// come from).
const tuner::bound_space<moe_gating_config>& moe_gating_axes();
const tuner::bound_space<moe_permute_config>& moe_permute_axes();
const tuner::bound_space<moe_combine_config>& moe_combine_axes();

// Every stage's configuration for one launch of the layer (or of one stage).
struct moe_configs {
  moe_gating_config gating;
  moe_permute_config permute;
  gemm_tiled_config gemm;
  moe_combine_config combine;
};
moe_configs moe_default_configs(const std::string& backend, dtype t);

// The experts' grouped GEMM default (the GEMM's, with the GPU shapes the grouped functor's
// registers allow): what `ridgeline run moe_grouped_gemm` / `moe_layer` and the layer's launches
// use.
tuner::config moe_gemm_default(const std::string& backend, dtype t);

}  // namespace ridgeline::kernels
