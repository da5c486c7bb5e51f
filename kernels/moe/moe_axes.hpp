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

#include "kernels/gemm/gemm_tiled.hpp"
#include "tuner/param_space.hpp"

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

const tuner::param_space& moe_gating_space();
const tuner::param_space& moe_permute_space();
const tuner::param_space& moe_combine_space();

tuner::config moe_gating_default(const std::string& backend);
tuner::config moe_permute_default(const std::string& backend);
tuner::config moe_combine_default(const std::string& backend);

moe_gating_config to_moe_gating_config(const tuner::config& c);
moe_permute_config to_moe_permute_config(const tuner::config& c);
moe_combine_config to_moe_combine_config(const tuner::config& c);

// Every stage's configuration for one launch of the layer (or of one stage).
struct moe_configs {
  moe_gating_config gating;
  moe_permute_config permute;
  gemm_tiled_config gemm;
  moe_combine_config combine;
};
moe_configs moe_default_configs(const std::string& backend);

}  // namespace ridgeline::kernels
