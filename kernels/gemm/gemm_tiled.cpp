#include "kernels/gemm/gemm_tiled.hpp"

#include "kernels/team_axes.hpp"

namespace ridgeline::kernels {

// Defaults {host, gpu}. Host: the configuration that won every size and dtype of the hand-picked
// grid in bench/gemm_vs_blas.cpp on the 2-core Zen 4 development VM (2026-11-26; 0.82-1.0x
// OpenBLAS, bench/results/gemm_vs_blas.json). GPU: a 64x64 tile per block, 4x4 per thread over 16
// threads x 16 lanes, panels in shared memory (64*32*2 elements = 16 KiB f32): a conventional SIMT
// starting point, not yet measured on a GPU. The tuner replaces both with per-device wisdom.
const tuner::bound_space<gemm_tiled_config>& gemm_tiled_axes() {
  using tuner::axis;
  using cfg = gemm_tiled_config;
  static const tuner::bound_space<cfg> space(
      {
          {&cfg::tile_m,
           axis::list("tile_m", {1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256},
                      "rows of C per team"),
           {256, 64}},
          {&cfg::tile_n,
           axis::list("tile_n", {4, 8, 16, 32, 64, 96, 128, 192, 256, 384, 512},
                      "columns of C per team"),
           {256, 64}},
          {&cfg::tile_k,
           axis::list("tile_k", {8, 16, 32, 64, 128, 192, 256, 384, 512, 1024},
                      "depth of one K step (the panels staged per step)"),
           {256, 32}},
          {&cfg::reg_m,
           axis::list("reg_m", gemm_reg_m::axis_values(),
                      "rows of the register micro-tile per thread/lane"),
           {8, 4}},
          {&cfg::reg_n,
           axis::list("reg_n", gemm_reg_n::axis_values(),
                      "columns of the register micro-tile per thread/lane"),
           {32, 4}},
          team_size_axis(&cfg::team_size, {1, 16}),
          vector_length_axis(&cfg::vector_length, {1, 16}),
          {&cfg::stage,
           axis::categorical("stage", {"none", "l0", "l1"},
                             "where the A/B panels of a K step live: read in place, or copied to "
                             "team scratch level 0 or 1"),
           {2, 1}},
          {&cfg::panel_layout,
           axis::categorical("panel_layout", {"rows", "micro"},
                             "layout of the staged panels: as rows of the tile (GPU-friendly) or "
                             "one contiguous block per micro-tile (CPU-friendly, as BLIS packs)"),
           {1, 0}},
      },
      {
          {"tile_m is a multiple of reg_m", [](const cfg& g) { return g.tile_m % g.reg_m == 0; }},
          {"tile_n is a multiple of reg_n", [](const cfg& g) { return g.tile_n % g.reg_n == 0; }},
      });
  return space;
}

}  // namespace ridgeline::kernels
