#include "kernels/attention/attention_flash.hpp"

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
      axis::list("tile_q", {1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256},
                 "query rows per team (rows of one GQA group: its heads x positions)"),
      axis::list("tile_k", {8, 16, 32, 48, 64, 96, 128, 192, 256, 384, 512},
                 "keys per step (the K/V tile staged in scratch, the score tile's width)"),
      axis::list("reg_m",
                 to_vector(std::begin(attention_reg_m_values), std::end(attention_reg_m_values)),
                 "rows of the register micro-tile per thread/lane (both products)"),
      axis::list("reg_n",
                 to_vector(std::begin(attention_reg_n_values), std::end(attention_reg_n_values)),
                 "columns of the register micro-tile per thread/lane (keys in QK^T, head-dim "
                 "columns in PV)"),
      axis::power_of_two("team_size", 1, 1024, "threads per team"),
      axis::power_of_two("vector_length", 1, 32, "vector lanes per thread"),
      axis::power_of_two("kv_chunk", 64, std::int64_t(1) << 30,
                         "keys per team (split-KV): chunks are combined by a second kernel; a "
                         "chunk >= skv means no split"),
      axis::categorical("scratch", {"l0", "l1"},
                        "team scratch level holding the Q, K^T, V, score and O tiles"),
      axis::categorical("stage_k", {"scratch", "none"},
                        "K tile copied transposed into team scratch (S = Q K^T; shared by a GPU "
                        "block), or read in place as the broadcast operand of S^T = K Q^T (no "
                        "strided transpose: on a CPU that copy missed L1 on every store)"),
  };
  std::vector<tuner::constraint> constraints = {
      {"tile_q is a multiple of reg_m",
       [](const tuner::config& c) { return c.at("tile_q") % c.at("reg_m") == 0; }},
      {"tile_k is a multiple of reg_n (stage_k=scratch: keys are micro-tile columns)",
       [](const tuner::config& c) {
         return c.at("stage_k") != 0 || c.at("tile_k") % c.at("reg_n") == 0;
       }},
      {"tile_k is a multiple of reg_m (stage_k=none: keys are micro-tile rows)",
       [](const tuner::config& c) {
         return c.at("stage_k") != 1 || c.at("tile_k") % c.at("reg_m") == 0;
       }},
  };
  // CPU default: the configuration that won both prefill cases (causal and not) of the final
  // candidate search in bench/attention_vs_unfused.cpp on the 2-core Zen 4 development VM
  // (2026-11-26, f32, B=1 H=16 S=2048 D=128; bench/results/attention.json; the VM was shared
  // with other builds, so the margins between candidates were within the noise). One thread
  // per team (no barriers between the phases of a tile), 8x32 micro-tiles (16 AVX-512
  // accumulators for f32), K read in place (stage_k=none: the transposing copy missed L1 on
  // every store), 64 query rows x 128 keys (Q, V, S, P and O tiles of a team ~190 KiB at D = 128
  // f32: in L2), chunks of 8192 keys (a 32k decode cache keeps 4 chunks per KV head). A decode
  // step preferred reg_n=8 (its 8-row query tile padded to 32 columns wastes S^T work). The
  // tuner replaces this with per-device wisdom.
  tuner::config defaults = {{"tile_q", 64},     {"tile_k", 128},  {"reg_m", 8},
                            {"reg_n", 32},      {"team_size", 1}, {"vector_length", 1},
                            {"kv_chunk", 8192}, {"scratch", 1},   {"stage_k", 1}};
  return tuner::param_space(std::move(axes), std::move(constraints), std::move(defaults));
}

}  // namespace

const tuner::param_space& attention_flash_space() {
  static const tuner::param_space space = build_space();
  return space;
}

attention_flash_config to_attention_flash_config(const tuner::config& c) {
  attention_flash_config f;
  f.tile_q = static_cast<int>(c.at("tile_q"));
  f.tile_k = static_cast<int>(c.at("tile_k"));
  f.reg_m = static_cast<int>(c.at("reg_m"));
  f.reg_n = static_cast<int>(c.at("reg_n"));
  f.team_size = static_cast<int>(c.at("team_size"));
  f.vector_length = static_cast<int>(c.at("vector_length"));
  f.kv_chunk = static_cast<int>(c.at("kv_chunk"));
  f.scratch = static_cast<int>(c.at("scratch"));
  f.stage_k = static_cast<int>(c.at("stage_k"));
  return f;
}

tuner::config attention_flash_default(const std::string& backend) {
  tuner::config c = attention_flash_space().defaults();
  if (backend == "cuda" || backend == "hip") {
    // 32 query rows x 32 keys per block, 4x8 micro-tiles over 8 threads x 4 lanes, tiles in
    // scratch level 1 (level 0 cannot hold Q, K^T, V and O tiles at D = 128 f32 within 48 KiB),
    // 512-key chunks so a decode step launches ~64 blocks per KV head. A conventional SIMT
    // starting point, NOT yet measured on a GPU: the tuner issue replaces it.
    c = {{"tile_q", 32},       {"tile_k", 32},    {"reg_m", 4},   {"reg_n", 8},  {"team_size", 8},
         {"vector_length", 4}, {"kv_chunk", 512}, {"scratch", 1}, {"stage_k", 0}};
  }
  return c;
}

}  // namespace ridgeline::kernels
