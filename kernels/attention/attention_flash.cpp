#include "kernels/attention/attention_flash.hpp"

#include "kernels/team_axes.hpp"

namespace ridgeline::kernels {

// Defaults {host, gpu}. Host: the configuration that won both prefill cases (causal and not) of
// the final candidate search in bench/attention_vs_unfused.cpp on the 2-core Zen 4 development VM
// (2026-11-26, f32, B=1 H=16 S=2048 D=128; bench/results/attention.json; the VM was shared with
// other builds, so the margins between candidates were within the noise). One thread per team (no
// barriers between the phases of a tile), 8x32 micro-tiles (16 AVX-512 accumulators for f32), K
// read in place (stage_k=none: the transposing copy missed L1 on every store), 64 query rows x 128
// keys (Q, V, S, P and O tiles of a team ~190 KiB at D = 128 f32: in L2), chunks of 8192 keys (a
// 32k decode cache keeps 4 chunks per KV head). A decode step preferred reg_n=8 (its 8-row query
// tile padded to 32 columns wastes S^T work).
// GPU: 16 query rows x 16 keys per block, 4x8 micro-tiles over 16 threads x 4 lanes, tiles in
// scratch=auto: level 0 (shared memory) where the tiles fit — level 1 is global memory on CUDA,
// where the first H200 run (docs/device-runs.md, run B: 32x32 tiles at level 1) streamed a decode
// step at 1.6% of HBM. Q, K^T, V, S, P and O of a 16x16 tile at D = 128 f32 need ~35 KiB, inside
// Kokkos 3.4's level-0 maximum on CUDA (40 KiB of the 48 KiB a block gets without opting in;
// 24x16 needs 44 KiB, 32x16 52 KiB); tests/kernels/test_attention.cpp checks it at D = 128. f64 (70
// KiB) and D = 256 fall back to level 1 rather than make the default invalid. Flat thread mapping
// for coalesced K/V reads; chunks chosen from the SM count (kv_chunk=auto). Registers: no spills in
// the sm_90 build (scripts/sass-report --check: 128 registers). 64 threads, not 32: at 35 KiB
// an SM holds 6 blocks, and 6 one-warp blocks (9% occupancy) leave few loads in flight for a
// memory-bound decode; two warps per block double that, and a 16x128 P V tile still gives each
// thread one 4x8 micro-tile. NOT yet timed on a GPU; the tuner replaces it with
// per-device wisdom. Both: kv_chunk=auto (the host's 8192 came out of the same search for B=1,
// Hkv=4 on 2 cores; auto gives 16384 there and no split once B x Hkv fills the threads).
const tuner::bound_space<attention_flash_config>& attention_flash_axes() {
  using tuner::axis;
  using cfg = attention_flash_config;
  static const tuner::bound_space<cfg> space(
      {
          {&cfg::tile_q,
           axis::list("tile_q", {1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256},
                      "query rows per team (rows of one GQA group: its heads x positions)"),
           {64, 16}},
          {&cfg::tile_k,
           axis::list("tile_k", {8, 16, 32, 48, 64, 96, 128, 192, 256, 384, 512},
                      "keys per step (the K/V tile staged in scratch, the score tile's width)"),
           {128, 16}},
          {&cfg::reg_m,
           axis::list("reg_m", attention_reg_m::axis_values(),
                      "rows of the register micro-tile per thread/lane (both products)"),
           {8, 4}},
          {&cfg::reg_n,
           axis::list("reg_n", attention_reg_n::axis_values(),
                      "columns of the register micro-tile per thread/lane (keys in QK^T, "
                      "head-dim columns in PV; queries in S^T = K Q^T with stage_k=none); auto: "
                      "the widest that the query rows of a tile (stage_k=none) or the key tile "
                      "(stage_k=scratch) fill")
               .with_named_value(0, "auto"),
           {0, 8}},
          team_size_axis(&cfg::team_size, {1, 16}),
          vector_length_axis(&cfg::vector_length, {1, 4}),
          {&cfg::kv_chunk,
           axis::power_of_two("kv_chunk", 64, std::int64_t(1) << 30,
                              "keys per team (split-KV): chunks are combined by a second kernel; "
                              "a chunk >= skv means no split; auto: enough chunks to fill the "
                              "device's resident teams (SMs x blocks per SM, or threads)")
               .with_named_value(0, "auto"),
           {0, 0}},
          {&cfg::scratch,
           axis::categorical("scratch", {"l0", "l1", "auto"},
                             "team scratch level holding the Q, K^T, V, score and O tiles; auto: "
                             "level 0 when they fit the backend's level-0 maximum, else 1"),
           {1, 2}},
          {&cfg::stage_k,
           axis::categorical("stage_k", {"scratch", "none"},
                             "K tile copied transposed into team scratch (S = Q K^T; shared by a "
                             "GPU block), or read in place as the broadcast operand of S^T = K "
                             "Q^T (no strided transpose: on a CPU that copy missed L1 on every "
                             "store)"),
           {1, 0}},
          {&cfg::team_map,
           axis::categorical("team_map", {"nested", "flat"},
                             "threads of a copy between memory and scratch: nested (a thread per "
                             "row, lanes along it; CPU vector loads) or flat (consecutive threads "
                             "on consecutive elements of a row; coalesced GPU reads)"),
           {0, 1}},
      },
      {
          {"tile_q is a multiple of reg_m", [](const cfg& f) { return f.tile_q % f.reg_m == 0; }},
          {"tile_k is a multiple of reg_n (stage_k=scratch: keys are micro-tile columns)",
           [](const cfg& f) { return f.stage_k != 0 || f.reg_n == 0 || f.tile_k % f.reg_n == 0; }},
          {"tile_k is a multiple of reg_m (stage_k=none: keys are micro-tile rows)",
           [](const cfg& f) { return f.stage_k != 1 || f.tile_k % f.reg_m == 0; }},
      });
  return space;
}

// reg_n=auto. With K in place (stage_k=none) the micro-tile's RN columns are query rows: a decode
// step's GQA group (8 rows at Hq/Hkv = 8) padded to 32 columns did 4x the Q K^T work, and on the
// Intel VM (2026-12-04, bench/attention_vs_unfused.cpp, B=15 decode) reg_n=8 ran 1.4x faster
// than the prefill's 32. So: the widest compiled RN the tile's query rows fill (at least the
// narrowest). With K staged the columns are keys: the widest RN dividing tile_k.
attention_flash_config resolve_reg_n(const attention_shape& s, attention_flash_config cfg) {
  if (cfg.reg_n != 0) return cfg;
  const std::int64_t group_rows = std::int64_t(s.group()) * s.sq;
  const std::int64_t rows = group_rows < cfg.tile_q ? group_rows : cfg.tile_q;
  int best = attention_reg_n::values[0];
  for (int rn : attention_reg_n::values) {
    const bool fits = cfg.stage_k == 1 ? rn <= rows : cfg.tile_k % rn == 0;
    if (fits && rn > best) best = rn;
  }
  cfg.reg_n = best;
  return cfg;
}

}  // namespace ridgeline::kernels
