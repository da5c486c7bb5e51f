#include "kernels/gemm/gemm_tiled.hpp"

#include <iterator>
#include <vector>

namespace ridgeline::kernels {

namespace {

std::vector<std::int64_t> to_vector(const int* first, const int* last) {
  return std::vector<std::int64_t>(first, last);
}

tuner::param_space build_space() {
  using tuner::axis;
  std::vector<axis> axes = {
      axis::list("tile_m", {1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256},
                 "rows of C per team"),
      axis::list("tile_n", {4, 8, 16, 32, 64, 96, 128, 192, 256, 384, 512},
                 "columns of C per team"),
      axis::list("tile_k", {8, 16, 32, 64, 128, 192, 256, 384, 512, 1024},
                 "depth of one K step (the panels staged per step)"),
      axis::list("reg_m", to_vector(std::begin(gemm_reg_m_values), std::end(gemm_reg_m_values)),
                 "rows of the register micro-tile per thread/lane"),
      axis::list("reg_n", to_vector(std::begin(gemm_reg_n_values), std::end(gemm_reg_n_values)),
                 "columns of the register micro-tile per thread/lane"),
      axis::power_of_two("team_size", 1, 1024, "threads per team"),
      axis::power_of_two("vector_length", 1, 32, "vector lanes per thread"),
      axis::categorical("stage", {"none", "l0", "l1"},
                        "where the A/B panels of a K step live: read in place, or copied to team "
                        "scratch level 0 or 1"),
      axis::categorical("panel_layout", {"rows", "micro"},
                        "layout of the staged panels: as rows of the tile (GPU-friendly) or one "
                        "contiguous block per micro-tile (CPU-friendly, as BLIS packs)"),
  };
  std::vector<tuner::constraint> constraints = {
      {"tile_m is a multiple of reg_m",
       [](const tuner::config& c) { return c.at("tile_m") % c.at("reg_m") == 0; }},
      {"tile_n is a multiple of reg_n",
       [](const tuner::config& c) { return c.at("tile_n") % c.at("reg_n") == 0; }},
  };
  // CPU default: the configuration that won every size and dtype of the hand-picked grid in
  // bench/gemm_vs_blas.cpp on the 2-core Zen 4 development VM (2026-11-26; 0.82-1.0x OpenBLAS,
  // bench/results/gemm_vs_blas.json). The tuner issue replaces it with per-device wisdom.
  tuner::config defaults = {{"tile_m", 256},      {"tile_n", 256}, {"tile_k", 256},
                            {"reg_m", 8},         {"reg_n", 32},   {"team_size", 1},
                            {"vector_length", 1}, {"stage", 2},    {"panel_layout", 1}};
  return tuner::param_space(std::move(axes), std::move(constraints), std::move(defaults));
}

}  // namespace

const tuner::param_space& gemm_tiled_space() {
  static const tuner::param_space space = build_space();
  return space;
}

gemm_tiled_config to_gemm_tiled_config(const tuner::config& c) {
  gemm_tiled_config g;
  g.tile_m = static_cast<int>(c.at("tile_m"));
  g.tile_n = static_cast<int>(c.at("tile_n"));
  g.tile_k = static_cast<int>(c.at("tile_k"));
  g.reg_m = static_cast<int>(c.at("reg_m"));
  g.reg_n = static_cast<int>(c.at("reg_n"));
  g.team_size = static_cast<int>(c.at("team_size"));
  g.vector_length = static_cast<int>(c.at("vector_length"));
  g.stage = static_cast<int>(c.at("stage"));
  g.panel_layout = static_cast<int>(c.at("panel_layout"));
  return g;
}

tuner::config gemm_tiled_default(const std::string& backend) {
  tuner::config c = gemm_tiled_space().defaults();
  if (backend == "cuda" || backend == "hip") {
    // A 64x64 tile per block, 4x4 per thread over 16 threads x 16 lanes, panels in shared memory
    // (64*32*2 elements = 16 KiB f32): a conventional SIMT starting point, not yet measured on a
    // GPU — the tuner issue replaces it with the device's best.
    c = {{"tile_m", 64},    {"tile_n", 64},        {"tile_k", 32}, {"reg_m", 4},       {"reg_n", 4},
         {"team_size", 16}, {"vector_length", 16}, {"stage", 1},   {"panel_layout", 0}};
  }
  return c;
}

}  // namespace ridgeline::kernels
