#include "kernels/gemm/gemm_tiled.hpp"

#include <stdexcept>

#include "kernels/gemm/gemm_host_blocking.hpp"
#include "kernels/host_simd.hpp"
#include "kernels/team_axes.hpp"

namespace ridgeline::kernels {

// Defaults {host, gpu}. Host: the declared 256 x 512 x 128 is only the starting point;
// gemm_tiled_default sizes the register tile in vectors of the build's ISA for the dtype and tile_m
// / tile_k from this machine's caches (gemm_host_blocking.hpp). History, measured on the 2-core
// Xeon VM (2026-12-03, 2048^3): 256 x 512 x 128 gave f32 0.80x, f64 0.77x OpenBLAS, where the
// default before it (256^3 tiles, 8 x 32 elements in both dtypes: 32 f64 accumulators do not fit 32
// zmm registers, so the f64 micro-kernel swept two column blocks) gave 0.80x and 0.70x.
//
// GPU: accumulate = registers (gemm_resident_impl.hpp) with a 128 x 128 tile per block, K steps of
// 8, 8 x 8 accumulators per thread (256 threads; f32 4 x 8 and K 16 in gemm_tiled_default,
// measured), panels double-buffered in shared memory — the shape of hand-written SIMT SGEMMs that
// reach 90%+ of cuBLAS on A100 (issue 16). Why these numbers on Hopper: 64 FFMAs per 16 operand
// elements per K step (the FMA:load ratio that keeps the FMA pipes, not shared memory, the limit);
// 2 x (128 + 128) x 8 x 4 B = 16 KiB of scratch (f32); ~128 registers per thread were expected to
// leave room for two blocks per SM, but the H200 build held 168-192, one block of 8 warps per SM,
// which is why f32 moved to 4 x 8 over 512 threads (docs/device-runs.md, run C). f64 keeps 8 x 8
// (254 registers, one block per SM). The tuner replaces both with per-device wisdom.
const tuner::bound_space<gemm_tiled_config>& gemm_tiled_axes() {
  using tuner::axis;
  using cfg = gemm_tiled_config;
  static const tuner::bound_space<cfg> space(
      {
          {&cfg::tile_m,
           // Up to 1024 rows: on a CPU a team's A panel (tile_m x tile_k) is BLIS's mc block, which
           // fills L2 at several hundred rows (2048^3 f64 on the Xeon VM: 0.85x OpenBLAS at
           // tile_m = 1024, 0.77x at 256).
           axis::list(
               "tile_m",
               {1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024},
               "rows of C per team"),
           {256, 128}},
          {&cfg::tile_n,
           axis::list("tile_n", {4, 8, 16, 32, 64, 96, 128, 192, 256, 384, 512, 1024, 2048},
                      "columns of C per team"),
           {512, 128}},
          {&cfg::tile_k,
           axis::list("tile_k", {8, 16, 32, 64, 128, 192, 256, 384, 512, 1024},
                      "depth of one K step (the panels staged per step)"),
           {128, 8}},
          {&cfg::reg_m,
           axis::list("reg_m", gemm_reg_m::axis_values(),
                      "rows of the register micro-tile per thread/lane"),
           {8, 8}},
          {&cfg::reg_n,
           axis::list("reg_n", gemm_reg_n::axis_values(),
                      "columns of the register micro-tile per thread/lane"),
           {32, 8}},
          team_size_axis(&cfg::team_size, {1, 1}),
          vector_length_axis(&cfg::vector_length, {1, 1}),
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
          {&cfg::accumulate,
           axis::categorical(
               "accumulate", {"c", "registers"},
               "where a micro-tile's sums live across K steps: added into C after "
               "each step (a thread may own several micro-tiles: CPU cores), or in "
               "registers for the whole K loop, one micro-tile per thread, written to "
               "C once (GPUs)"),
           {0, 1}},
      },
      {
          {"tile_m is a multiple of reg_m", [](const cfg& g) { return g.tile_m % g.reg_m == 0; }},
          {"tile_n is a multiple of reg_n", [](const cfg& g) { return g.tile_n % g.reg_n == 0; }},
          // The registers structure derives its team (one thread per micro-tile, one lane) and
          // stages row-layout panels; leaving those axes free would only repeat configurations.
          {"accumulate=registers derives its team: team_size and vector_length are 1",
           [](const cfg& g) {
             return g.accumulate == 0 || (g.team_size == 1 && g.vector_length == 1);
           }},
          {"accumulate=registers stages its panels in scratch (stage l0 or l1)",
           [](const cfg& g) { return g.accumulate == 0 || g.stage != 0; }},
          {"accumulate=registers uses panel_layout=rows",
           [](const cfg& g) { return g.accumulate == 0 || g.panel_layout == 0; }},
      });
  return space;
}

tuner::config gemm_tiled_default(const std::string& backend, dtype t) {
  tuner::config c = gemm_tiled_axes().default_for(backend);
  if (backend == "cuda" || backend == "hip") {
    // f32 on GPUs: 4 x 8 micro-tiles (512 threads over the 128 x 128 tile) and K steps of 16.
    // Measured on an H200 at 4096^3 (2026-12-04, docs/device-runs.md run C): 12.7 TFLOP/s against
    // 8.3 for the declared 8 x 8 / K 8 (168-192 registers held one block of 8 warps per SM: 2
    // warps per scheduler could not hide the FMA and shared-memory latencies; ncu issued 0.35
    // instructions per cycle and scheduler). f64 keeps 8 x 8 / K 8, the fastest f64 shape there.
    if (t == dtype::f32) {
      c["reg_m"] = 4;
      c["tile_k"] = 16;
    }
    return c;
  }
#if defined(RIDGELINE_HOST_SIMD)
  if (t != dtype::f32 && t != dtype::f64) return c;
  // Two vectors of the dtype per row, and as many rows as leave room for those two B vectors and
  // one broadcast A value in the register file: 8 x 2 zmm (AVX-512, NEON: 32 registers), 6 x 2
  // ymm (AVX2: 16 registers), as BLIS's kernels are shaped. Wider tiles than the register file
  // holds make the micro-kernel sweep column blocks and re-read A.
  const int lanes = simd::vector_bytes / (t == dtype::f32 ? 4 : 8);
  int reg_n = 4;
  for (const int v : gemm_reg_n::axis_values()) {
    if (v <= 2 * lanes) reg_n = v;
  }
  int reg_m = 1;
  for (const int v : gemm_reg_m::axis_values()) {
    if (v * 2 + 2 + 1 <= simd::vector_registers) reg_m = v;
  }
  c["reg_n"] = reg_n;
  c["reg_m"] = reg_m;
  // Cache blocking from this machine's L1, L2 and core count (gemm_host_blocking.hpp). On the
  // 2-core Xeon VM (48 KiB L1d, 2 MiB L2; 2048^3, 2026-12-04, same runs as OpenBLAS): f32
  // 1024 x 512 x 256 ran 292 GFLOP/s (OpenBLAS 347) where the previous fixed 256 x 512 x 128 ran
  // 278; f64 1024 x 512 x 192 139 (OpenBLAS 154) where 256 x 512 x 128 ran 118. Widening tile_n
  // to 1024 (2026-12-05, medians of 5 back-to-back pairs) packs each A panel from memory twice
  // instead of four times: f32 0.88 and 0.92 of OpenBLAS against 0.86 and 0.85 at 512; f64 0.89
  // and 0.85 against 0.84 and 0.86 (the VM's noise is +-4%); 2048 was no faster than 1024. On a
  // Zen 4 core (32 KiB, 1 MiB) the rule gives 1024 x 1024 x 128 (f32) and 768 x 512 x 128 (f64);
  // on many cores it shortens tile_m and tile_n so a 4096 x 4096 product still has two tiles per
  // core.
  const tuner::param_space& space = gemm_tiled_axes().space();
  const host_gemm_blocking b =
      choose_host_gemm_blocking(this_host_cache_sizes(), t == dtype::f32 ? 4 : 8, reg_m, reg_n,
                                space.find("tile_m")->values(), space.find("tile_n")->values(),
                                space.find("tile_k")->values());
  c["tile_m"] = b.tile_m;
  c["tile_n"] = b.tile_n;
  c["tile_k"] = b.tile_k;
  if (const auto why = gemm_tiled_axes().space().violation(c)) {
    throw std::logic_error("gemm_tiled_default: invalid host default: " + *why);
  }
#else
  (void)t;
#endif
  return c;
}

}  // namespace ridgeline::kernels
