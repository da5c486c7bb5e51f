#pragma once
// Declaration of the `kokkos_flash` attention variant: its tunable axes, constraints and default
// configurations (this file and attention_flash.cpp, host-only); its launch is in
// attention_flash_impl.hpp (Kokkos). The work model is the kernel's (attention_kernel.cpp).
//
// Algorithm (FlashAttention-2's forward, written for Kokkos teams): the query rows that share one
// KV head — the hq/hkv heads of a GQA group times sq positions, contiguous in q's layout — form one
// matrix, cut into tiles of `tile_q` rows. Each team owns one query tile and one chunk of the key
// axis (`kv_chunk` keys; a chunk as long as skv means no split). It walks its chunk in tiles of
// `tile_k` keys: stage V (and, with `stage_k` = scratch, Kᵀ) of the tile in team scratch,
// S = Q Kᵀ·scale (or, with K read in place, Sᵀ = K Qᵀ: K rows as the broadcast operand) with
// register micro-tiles, an online-softmax update per row (running max m, running sum l, rescale
// factor), O = O·rescale + P V with register micro-tiles; the score tile lives only in scratch.
// Query tiles of a causal problem skip the key tiles no row of theirs can see. With several chunks
// (split-KV, "flash-decoding") each team writes an unnormalised partial O with its m and l, and a
// second kernel combines the chunks; that is what gives a decode step (a handful of query rows over
// a long KV cache) enough parallelism to reach memory bandwidth. kv_chunk=auto sizes the chunks
// from the device's SMs (or threads) and how many teams each holds at once (attention_splits.hpp).
// Copies between memory and scratch map threads either nested (a thread per row, its lanes along
// the row: a CPU thread walks whole rows with vector loads) or flat (consecutive threads of the
// team on consecutive elements of a row: a GPU warp reads K and V rows as coalesced segments).
#include "kernels/attention/attention_args.hpp"
#include "kernels/value_list.hpp"
#include "tuner/bound_space.hpp"

namespace ridgeline::kernels {

struct attention_flash_config {
  int tile_q = 0, tile_k = 0;
  int reg_m = 0, reg_n = 0;
  int team_size = 0, vector_length = 0;
  int kv_chunk = 0;  // 0 (auto): chosen at launch from the device (attention_splits.hpp)
  int scratch = 0;   // team scratch level of the staged tiles: 0, 1 or 2 (auto: see the .cpp)
  int stage_k = 0;   // 0: K tile transposed into scratch; 1: K read in place (see the .cpp)
  int team_map = 0;  // 0 nested: rows to threads, columns to lanes; 1 flat (see the .cpp)
};

// Register-tile sizes the kernel is compiled for (each pair is a template instantiation): the
// values of the reg_m and reg_n axes.
using attention_reg_m = value_list<1, 4, 8>;
using attention_reg_n = value_list<8, 16, 32>;

// The axes bound to attention_flash_config, constraints and defaults (attention_flash.cpp says
// where each default comes from).
const tuner::bound_space<attention_flash_config>& attention_flash_axes();

// `cfg` with reg_n=auto (0) replaced by the register tile width that fits `s` (see the .cpp);
// other values pass through. Called before anything dispatches on reg_n.
attention_flash_config resolve_reg_n(const attention_shape& s, attention_flash_config cfg);

}  // namespace ridgeline::kernels
