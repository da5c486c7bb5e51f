#pragma once
// The MoE experts' grouped GEMM: ONE launch computes one projection of every expert (gate and up
// together in one, down in another), instead of a launch per expert and projection. On an H200 the
// per-expert launches ran at 0.13x the dense GEMM at equal FLOPs (issue 16): at DeepSeek-V3 sizes
// an expert's product is a few row tiles, so each launch filled a fraction of the SMs and the
// launches serialised.
//
// The league is a list of (expert, row tile, projection part, column tile). Expert e's row tiles
// are counted on the device (expert_tile_starts: an exclusive scan of ceil(counts[e] / tile_m)), so
// the host needs no copy of the row counts and nothing waits between routing and the GEMMs. The
// host sizes the league for the worst case the shape allows (grouped_row_tiles_bound) and teams
// past the real end return at once. Each team finds its expert by a binary search of the E + 1
// starts (log2 E reads, in L1/L2) and runs the same tile code as the plain GEMM: the registers
// structure (gemm_resident_impl.hpp) or the C-accumulating one (gemm_tiled_impl.hpp), whichever
// the configuration's `accumulate` axis selects.
#include <fmt/format.h>

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <string>

#include "kernels/gemm/gemm_tiled_impl.hpp"
#include "kernels/team_limits.hpp"

namespace ridgeline::kernels::moe_detail {

// One projection of every expert: expert e multiplies rows offsets[e] .. offsets[e] + counts[e]
// of A (row stride lda) by its own B (b[part] + e * b_stride, row stride ldb, k x n) into the same
// rows of C (row stride ldc), part p's columns at c + p * n. Two parts: gate and up side by side
// in the [rows, 2I] workspace.
template <class T>
struct grouped_product {
  int n = 0, k = 0, parts = 1;
  const T* a = nullptr;
  std::int64_t lda = 0;
  const T* b[2] = {nullptr, nullptr};
  std::int64_t b_stride = 0, ldb = 0;
  T* c = nullptr;
  std::int64_t ldc = 0;
};

// An upper bound on sum_e ceil(counts[e] / tile_m) from the shape alone: each expert that gets a
// row wastes at most tile_m - 1 rows of its last tile.
inline int grouped_row_tiles_bound(std::int64_t slots, std::int64_t active_experts, int tile_m) {
  return static_cast<int>((slots + active_experts * (tile_m - 1) + tile_m - 1) / tile_m);
}

// starts[e] = the first row tile of expert e (E + 1 entries, starts[E] = all row tiles).
template <class Space>
void expert_tile_starts(int experts, int tile_m, const std::int32_t* counts, std::int32_t* starts) {
  Kokkos::parallel_scan(
      "ridgeline::moe::expert_tiles", Kokkos::RangePolicy<Space>(0, experts),
      KOKKOS_LAMBDA(const int e, std::int32_t& update, const bool final) {
        if (final) starts[e] = update;
        update += (counts[e] + tile_m - 1) / tile_m;
        if (final && e == experts - 1) starts[experts] = update;
      });
}

// Tile: gemm_resident_functor or gemm_tiled_functor, configured (tile sizes, scratch level) but
// with no product of its own: run_tile gets each team's expert product.
template <class T, class Space, class Tile>
struct grouped_functor {
  using policy_type = Kokkos::TeamPolicy<Space>;
  using member_type = typename policy_type::member_type;

  Tile tile;
  grouped_product<T> p;
  const std::int32_t* offsets = nullptr;
  const std::int32_t* counts = nullptr;
  const std::int32_t* starts = nullptr;
  int experts = 1, tile_m = 1, tile_n = 1, tiles_n = 1;

  KOKKOS_INLINE_FUNCTION void operator()(const member_type& team) const {
    const int per_row_tile = tiles_n * p.parts;
    const int rt = team.league_rank() / per_row_tile;
    if (rt >= starts[experts]) return;  // past the real tiles: the league is a bound
    const int rest = team.league_rank() - rt * per_row_tile;
    const int part = rest / tiles_n;
    const int ct = rest - part * tiles_n;
    // The last expert whose first row tile is <= rt: experts without rows share their start with
    // the next expert, so the last such one is the expert that holds rt.
    int lo = 0, hi = experts - 1;
    while (lo < hi) {
      const int mid = (lo + hi + 1) / 2;
      if (starts[mid] <= rt) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    const int e = lo;
    gemm_args<T> g;
    g.m = counts[e];
    g.n = p.n;
    g.k = p.k;
    g.a = p.a + std::int64_t(offsets[e]) * p.lda;
    g.lda = p.lda;
    g.b = p.b[part] + std::int64_t(e) * p.b_stride;
    g.ldb = p.ldb;
    g.c = p.c + std::int64_t(offsets[e]) * p.ldc + std::int64_t(part) * p.n;
    g.ldc = p.ldc;
    tile.run_tile(team, g, (rt - starts[e]) * tile_m, ct * tile_n);
  }
};

// Calls f(tile functor, threads per team, vector length, scratch level or -1, scratch bytes) for
// the structure `cfg` selects.
template <class T, class Space, int RM, int RN, class F>
auto with_tile_structure(const gemm_tiled_config& cfg, const F& f) {
  if (cfg.accumulate == 1) {
    using tile_type = detail::gemm_resident_functor<T, Space, RM, RN>;
    tile_type t;
    t.tile_m = cfg.tile_m;
    t.tile_n = cfg.tile_n;
    t.tile_k = cfg.tile_k;
    t.level = cfg.stage - 1;
    return f(t, tile_type::threads(cfg.tile_m, cfg.tile_n), 1, cfg.stage - 1,
             tile_type::scratch_bytes(cfg.tile_m, cfg.tile_n, cfg.tile_k));
  }
  using tile_type = detail::gemm_tiled_functor<T, Space, RM, RN>;
  const tile_type t{gemm_args<T>{}, cfg.tile_m,           cfg.tile_n, cfg.tile_k, 1,
                    cfg.stage,      cfg.panel_layout == 1};
  return f(t, cfg.team_size, cfg.vector_length, cfg.stage - 1,
           cfg.stage > 0 ? tile_type::scratch_bytes(cfg.tile_m, cfg.tile_n, cfg.tile_k) : 0);
}

// Empty when the grouped launch of `cfg` fits the backend, else why not: the plain GEMM's limits
// (scratch, team shape of the tile code) and the team shape of the grouped functor itself, whose
// register use can differ.
template <class T, class Space>
std::string grouped_gemm_limits(const gemm_tiled_config& cfg) {
  if (std::string why = detail::gemm_tiled_limits<T, Space>(cfg); !why.empty()) return why;
  return dispatch_value_pair<gemm_reg_m, gemm_reg_n>(cfg.reg_m, cfg.reg_n, [&](auto rm, auto rn) {
    constexpr int RM = decltype(rm)::value, RN = decltype(rn)::value;
    return with_tile_structure<T, Space, RM, RN>(
        cfg, [&](const auto& tile, int threads, int lanes, int, std::size_t) {
          using functor = grouped_functor<T, Space, std::decay_t<decltype(tile)>>;
          return team_shape_limit<typename functor::policy_type>(functor{}, threads, lanes);
        });
  });
}

// One launch for one projection of every expert. row_tiles_bound: grouped_row_tiles_bound.
template <class T, class Space>
void grouped_gemm(const char* name, const gemm_tiled_config& cfg, const grouped_product<T>& p,
                  int experts, int row_tiles_bound, const std::int32_t* offsets,
                  const std::int32_t* counts, const std::int32_t* starts) {
  dispatch_value_pair<gemm_reg_m, gemm_reg_n>(cfg.reg_m, cfg.reg_n, [&](auto rm, auto rn) {
    constexpr int RM = decltype(rm)::value, RN = decltype(rn)::value;
    with_tile_structure<T, Space, RM, RN>(cfg, [&](const auto& tile, int threads, int lanes,
                                                   int level, std::size_t scratch) {
      using functor = grouped_functor<T, Space, std::decay_t<decltype(tile)>>;
      functor f;
      f.tile = tile;
      f.p = p;
      f.offsets = offsets;
      f.counts = counts;
      f.starts = starts;
      f.experts = experts;
      f.tile_m = cfg.tile_m;
      f.tile_n = cfg.tile_n;
      f.tiles_n = (p.n + cfg.tile_n - 1) / cfg.tile_n;
      typename functor::policy_type policy(row_tiles_bound * f.tiles_n * p.parts, threads, lanes);
      if (level >= 0) policy.set_scratch_size(level, Kokkos::PerTeam(scratch));
      Kokkos::parallel_for(name, policy, f);
      return 0;
    });
  });
}

}  // namespace ridgeline::kernels::moe_detail
