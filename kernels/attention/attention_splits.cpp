#include "kernels/attention/attention_splits.hpp"

#include <algorithm>

namespace ridgeline::kernels {

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

std::int64_t teams_per_unit(std::int64_t threads_per_team, std::int64_t scratch_per_team,
                            std::int64_t max_threads_per_unit, std::int64_t scratch_per_unit,
                            std::int64_t max_teams_per_unit) {
  std::int64_t n = max_teams_per_unit > 0 ? max_teams_per_unit : INT64_MAX;
  if (max_threads_per_unit > 0)
    n = std::min(n, max_threads_per_unit / std::max<std::int64_t>(threads_per_team, 1));
  if (scratch_per_unit > 0 && scratch_per_team > 0)
    n = std::min(n, scratch_per_unit / scratch_per_team);
  return n == INT64_MAX ? 1 : n;
}

std::int64_t auto_kv_chunk(const kv_split_problem& p, const team_residency& r) {
  const std::int64_t skv = std::max<std::int64_t>(p.skv, 1);
  const std::int64_t tile = std::max<std::int64_t>(p.tile_k, 1);
  const std::int64_t slots = std::max<std::int64_t>(r.units, 1) *
                             std::max<std::int64_t>(r.teams_per_unit, 1) *
                             std::max<std::int64_t>(r.waves, 1);
  const std::int64_t teams =
      std::max<std::int64_t>(p.kv_heads, 1) * std::max<std::int64_t>(p.q_tiles, 1);
  // Chunks per (batch, KV head) that fill the slots, at most one per key tile.
  const std::int64_t wanted = std::min(ceil_div(slots, teams), ceil_div(skv, tile));
  if (wanted <= 1) return skv;
  // Whole tiles per chunk: the chunk count can come out below `wanted` (the last chunk is the
  // short one), never a chunk below one tile.
  const std::int64_t chunk = ceil_div(ceil_div(skv, wanted), tile) * tile;
  return chunk >= skv ? skv : chunk;
}

}  // namespace ridgeline::kernels
