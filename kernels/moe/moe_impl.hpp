#pragma once
// The MoE stages in Kokkos, written once for every backend (axes in moe_axes.hpp, the problem in
// moe_shape.hpp). Included only by moe_f32.cpp / moe_f64.cpp.
//
// gating   one thread routes one token: scores into team scratch, group scores and the chosen
//          groups (sigmoid + group-limited top-k, DeepSeek-V3), then one pass over the experts in
//          ascending id order inserting into a sorted top-k list with a strict '>' — so an equal
//          score never displaces an earlier (lower) id: ties go to the lower expert id.
// align    a stable counting sort without atomics: per-chunk histograms, per-expert exclusive
//          sums over chunks, a scan over experts of the block-padded counts, then each chunk places
//          its slots in order. Deterministic: equal to the host reference position for position.
// scatter  each token's row is read once and written to its k positions (the row stays in cache
//          between the k writes), so x crosses DRAM once, not k times as a gather would read it.
// experts  one grouped GEMM launch for gate and up of every expert into one [rows, 2I] buffer,
//          SiLU(g)*u in place, one grouped launch for down (moe_grouped_gemm_impl.hpp); the row
//          counts stay on the device.
// combine  out[t] = sum_j w[t,j] * y[pos(t,j)], one token row per thread, lanes over the row.
#include <fmt/format.h>
#include <math.h>    // HUGE_VAL
#include <string.h>  // memcpy: the global one is also device code under CUDA

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/gemm/gemm_tiled_impl.hpp"
#include "kernels/moe/moe_axes.hpp"
#include "kernels/moe/moe_grouped_gemm_impl.hpp"
#include "kernels/moe/moe_shape.hpp"
#include "kernels/team_limits.hpp"
#include "kernels/unroll.hpp"

namespace ridgeline::kernels::moe_detail {

// exp(x) that vectorizes: Cody-Waite reduction x = n ln2 + r (|r| <= ln2/2), a Taylor polynomial
// of r (degree 7 for f32, 13 for f64: truncation < 1e-8 resp. 5e-18 relative), 2^n built in the
// exponent bits. Within a few ulp of the libm result; exactly 0 below the smallest normal result
// and inf above the largest. libm's scalar expf was the gating stage's bottleneck (measured: ~1 us
// per DeepSeek-V3 token on the Zen 4 VM), and GCC vectorizes libm calls only under -ffast-math.
template <class T>
struct exp_traits;
template <>
struct exp_traits<float> {
  using bits = std::int32_t;
  static constexpr int mantissa = 23, bias = 127, degree = 7;
  static constexpr float lo = -87.3f, hi = 88.7f, inf = HUGE_VALF, magic = 12582912.0f;
};
template <>
struct exp_traits<double> {
  using bits = std::int64_t;
  static constexpr int mantissa = 52, bias = 1023, degree = 13;
  static constexpr double lo = -708.3, hi = 709.7, inf = HUGE_VAL, magic = 6755399441055744.0;
};

template <class T>
KOKKOS_INLINE_FUNCTION T exp_of(T x) {
  using tr = exp_traits<T>;
  // Written without branches (selects, min/max, the 1.5*2^m rounding trick) so the score loops
  // vectorize: GCC gives up on a loop with control flow.
  T xc = x < T(tr::lo) ? T(tr::lo) : x;
  xc = xc > T(tr::hi) ? T(tr::hi) : xc;
  const T t = xc * T(1.4426950408889634);          // log2(e)
  const T nf = (t + T(tr::magic)) - T(tr::magic);  // round to nearest integer
  const T r = (xc - nf * T(0.693145751953125)) - nf * T(1.4286068203094172e-06);
  T p = T(1);
  RIDGELINE_UNROLL
  for (int i = tr::degree; i >= 1; --i) p = T(1) + p * r * (T(1) / T(i));  // Horner, r^i / i!
  const typename tr::bits e = (static_cast<typename tr::bits>(nf) + tr::bias) << tr::mantissa;
  T scale;
  memcpy(&scale, &e, sizeof(T));
  T v = p * scale;
  v = x < T(tr::lo) ? T(0) : v;
  v = x > T(tr::hi) ? T(tr::inf) : v;
  return v;
}

// The shape as device code sees it (plain ints; moe_shape holds host-only types).
struct dev_shape {
  int tokens = 1, experts = 1, top_k = 1, hidden = 1, intermediate = 1, groups = 1, topk_groups = 1,
      block = 1;
  bool sigmoid = false, renormalize = true;
  double routed_scale = 1;
};

inline dev_shape to_dev(const moe_shape& s) {
  dev_shape d;
  d.tokens = static_cast<int>(s.tokens);
  d.experts = static_cast<int>(s.experts);
  d.top_k = static_cast<int>(s.top_k);
  d.hidden = static_cast<int>(s.hidden);
  d.intermediate = static_cast<int>(s.intermediate);
  d.groups = static_cast<int>(s.groups);
  d.topk_groups = static_cast<int>(s.topk_groups);
  d.block = static_cast<int>(s.block);
  d.sigmoid = s.scoring == moe_scoring::sigmoid;
  d.renormalize = s.renormalize;
  d.routed_scale = s.routed_scale;
  return d;
}

// Empty when a team kernel with this shape can launch on Space, else why not.
template <class Functor, class Space>
std::string team_limits(const Functor& f, int team_size, int vector_length, std::size_t scratch) {
  using policy = Kokkos::TeamPolicy<Space>;
  if (std::string why = team_shape_limit<policy>(f, team_size, vector_length); !why.empty()) {
    return why;
  }
  return scratch_limit<policy>(0, scratch, "");
}

// The base of the token-parallel stages' functors (gating, scatter, combine): each team takes a
// block of `tokens_per_team` consecutive tokens, each thread one token of it at a time.
template <class Space>
struct token_teams {
  using policy_type = Kokkos::TeamPolicy<Space>;
  using member_type = typename policy_type::member_type;
  dev_shape s;
  int tokens_per_team = 1;

  int league_size() const { return (s.tokens + tokens_per_team - 1) / tokens_per_team; }

  // f(token) for each token of the team's block.
  template <class F>
  KOKKOS_INLINE_FUNCTION void for_each_token(const member_type& team, const F& f) const {
    const int t0 = team.league_rank() * tokens_per_team;
    const int count = s.tokens - t0 < tokens_per_team ? s.tokens - t0 : tokens_per_team;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, count), [&](const int lt) { f(t0 + lt); });
  }
};

// --- gating -------------------------------------------------------------------------------------

template <class T, class Space>
struct gating_functor : token_teams<Space> {
  using typename token_teams<Space>::member_type;
  using token_teams<Space>::s;
  template <class V>
  using scratch = Kokkos::View<V*, typename Space::scratch_memory_space,
                               Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

  const T* logits = nullptr;
  std::int32_t* ids = nullptr;
  T* weights = nullptr;

  static std::size_t scratch_bytes(const dev_shape& s, int team_size) {
    const auto n = static_cast<std::size_t>(team_size);
    return scratch<T>::shmem_size(n * s.experts) + scratch<T>::shmem_size(n * s.groups) +
           scratch<T>::shmem_size(n * s.top_k) + scratch<int>::shmem_size(n * s.groups) +
           scratch<int>::shmem_size(n * s.top_k);
  }

  KOKKOS_INLINE_FUNCTION void operator()(const member_type& team) const {
    const int n = team.team_size();
    scratch<T> sc_all(team.team_scratch(0), static_cast<std::size_t>(n) * s.experts);
    scratch<T> gs_all(team.team_scratch(0), static_cast<std::size_t>(n) * s.groups);
    scratch<T> top_all(team.team_scratch(0), static_cast<std::size_t>(n) * s.top_k);
    scratch<int> gflag_all(team.team_scratch(0), static_cast<std::size_t>(n) * s.groups);
    scratch<int> id_all(team.team_scratch(0), static_cast<std::size_t>(n) * s.top_k);
    const int r = team.team_rank();
    T* sc = sc_all.data() + r * s.experts;
    T* gs = gs_all.data() + r * s.groups;
    T* top = top_all.data() + r * s.top_k;
    int* gflag = gflag_all.data() + r * s.groups;
    int* top_id = id_all.data() + r * s.top_k;
    this->for_each_token(team, [&](const int t) { route(t, sc, gs, top, gflag, top_id); });
  }

  KOKKOS_INLINE_FUNCTION void route(int t, T* sc, T* gs, T* top, int* gflag, int* top_id) const {
    const T* l = logits + static_cast<std::int64_t>(t) * s.experts;
    const int E = s.experts;
    if (s.sigmoid) {
      RIDGELINE_SIMD
      for (int e = 0; e < E; ++e) sc[e] = T(1) / (T(1) + exp_of(-l[e]));
    } else {
      T mx = l[0];
      for (int e = 1; e < E; ++e) mx = l[e] > mx ? l[e] : mx;
      RIDGELINE_SIMD
      for (int e = 0; e < E; ++e) sc[e] = exp_of(l[e] - mx);
      T sum = 0;
      for (int e = 0; e < E; ++e) sum += sc[e];
      const T inv = T(1) / sum;
      RIDGELINE_SIMD
      for (int e = 0; e < E; ++e) sc[e] = sc[e] * inv;
    }
    const int per = E / s.groups;
    if (s.groups > 1) {
      // Group score: the sum of the group's two best scores (scores are >= 0; -1 = none yet).
      for (int q = 0; q < s.groups; ++q) {
        T b1 = -1, b2 = -1;
        for (int e = q * per; e < (q + 1) * per; ++e) {
          const T v = sc[e];
          if (v > b1) {
            b2 = b1;
            b1 = v;
          } else if (v > b2) {
            b2 = v;
          }
        }
        gs[q] = per >= 2 ? b1 + b2 : b1;
        gflag[q] = 0;
      }
      for (int i = 0; i < s.topk_groups; ++i) {
        int best = -1;
        for (int q = 0; q < s.groups; ++q) {
          if (!gflag[q] && (best < 0 || gs[q] > gs[best])) best = q;
        }
        gflag[best] = 1;
      }
    }
    // Top-k by insertion, ascending ids, strict '>': ties keep the lower id ahead.
    // Groups are contiguous id ranges, so walking the chosen groups in order keeps ids ascending.
    int filled = 0;
    for (int q = 0; q < s.groups; ++q) {
      if (s.groups > 1 && !gflag[q]) continue;
      for (int e = q * per; e < (q + 1) * per; ++e) {
        const T v = sc[e];
        int p;
        if (filled < s.top_k) {
          p = filled++;
        } else if (v > top[s.top_k - 1]) {
          p = s.top_k - 1;
        } else {
          continue;
        }
        while (p > 0 && v > top[p - 1]) {
          top[p] = top[p - 1];
          top_id[p] = top_id[p - 1];
          --p;
        }
        top[p] = v;
        top_id[p] = e;
      }
    }
    T sum = 0;
    for (int j = 0; j < s.top_k; ++j) sum += top[j];
    const T scale = static_cast<T>(s.routed_scale);
    const std::int64_t base = static_cast<std::int64_t>(t) * s.top_k;
    for (int j = 0; j < s.top_k; ++j) {
      ids[base + j] = top_id[j];
      weights[base + j] = (s.renormalize ? top[j] / sum : top[j]) * scale;
    }
  }
};

template <class T, class Space>
std::string gating_limits(const dev_shape& s, const moe_gating_config& c) {
  return team_limits<gating_functor<T, Space>, Space>(
      gating_functor<T, Space>{}, c.team_size, 1,
      gating_functor<T, Space>::scratch_bytes(s, c.team_size));
}

template <class T, class Space>
void gating(const dev_shape& s, const moe_gating_config& c, const T* logits, std::int32_t* ids,
            T* weights) {
  using functor = gating_functor<T, Space>;
  const functor f{{s, c.tokens_per_team}, logits, ids, weights};
  typename functor::policy_type policy(f.league_size(), c.team_size, 1);
  policy.set_scratch_size(0, Kokkos::PerTeam(functor::scratch_bytes(s, c.team_size)));
  Kokkos::parallel_for("ridgeline::moe::gating", policy, f);
}

// --- align (counting sort) ------------------------------------------------------------------

// chunk_counts: chunks x E ints of workspace. Writes counts (E), offsets (E+1), sorted_ids
// (offsets[E] used entries: slots and -1 pads), slot_pos (T*k).
template <class Space>
void align(const dev_shape& s, int chunk, const std::int32_t* ids, std::int32_t* chunk_counts,
           std::int32_t* counts, std::int32_t* offsets, std::int32_t* sorted_ids,
           std::int32_t* slot_pos) {
  using range = Kokkos::RangePolicy<Space>;
  const int slots = s.tokens * s.top_k;
  const int chunks = (slots + chunk - 1) / chunk;
  const int E = s.experts;
  const int block = s.block;
  Kokkos::parallel_for(
      "ridgeline::moe::align_count", range(0, chunks), KOKKOS_LAMBDA(const int c) {
        std::int32_t* row = chunk_counts + static_cast<std::int64_t>(c) * E;
        for (int e = 0; e < E; ++e) row[e] = 0;
        const int end = (c + 1) * chunk < slots ? (c + 1) * chunk : slots;
        for (int i = c * chunk; i < end; ++i) ++row[ids[i]];
      });
  Kokkos::parallel_for(
      "ridgeline::moe::align_experts", range(0, E), KOKKOS_LAMBDA(const int e) {
        std::int32_t run = 0;
        for (int c = 0; c < chunks; ++c) {
          std::int32_t& v = chunk_counts[static_cast<std::int64_t>(c) * E + e];
          const std::int32_t n = v;
          v = run;  // exclusive sum over earlier chunks: this chunk's first rank in expert e
          run += n;
        }
        counts[e] = run;
      });
  Kokkos::parallel_scan(
      "ridgeline::moe::align_scan", range(0, E),
      KOKKOS_LAMBDA(const int e, std::int32_t& update, const bool final) {
        const std::int32_t padded = (counts[e] + block - 1) / block * block;
        if (final) offsets[e] = update;
        update += padded;
        if (final && e == E - 1) offsets[E] = update;
      });
  Kokkos::parallel_for(
      "ridgeline::moe::align_place", range(0, chunks), KOKKOS_LAMBDA(const int c) {
        std::int32_t* row = chunk_counts + static_cast<std::int64_t>(c) * E;
        const int end = (c + 1) * chunk < slots ? (c + 1) * chunk : slots;
        for (int i = c * chunk; i < end; ++i) {
          const int e = ids[i];
          const std::int32_t p = offsets[e] + row[e]++;
          sorted_ids[p] = i;
          slot_pos[i] = p;
        }
      });
  Kokkos::parallel_for(
      "ridgeline::moe::align_pad", range(0, E), KOKKOS_LAMBDA(const int e) {
        for (std::int32_t p = offsets[e] + counts[e]; p < offsets[e + 1]; ++p) sorted_ids[p] = -1;
      });
}

// --- row scatter (permute) and combine --------------------------------------------------------

template <class T, class Space>
struct scatter_functor : token_teams<Space> {
  const T* x = nullptr;
  const std::int32_t* slot_pos = nullptr;
  T* gathered = nullptr;

  KOKKOS_INLINE_FUNCTION void operator()(
      const typename token_teams<Space>::member_type& team) const {
    const int h = this->s.hidden, k = this->s.top_k;
    this->for_each_token(team, [&](const std::int64_t t) {
      const T* src = x + t * h;
      for (int j = 0; j < k; ++j) {
        T* dst = gathered + static_cast<std::int64_t>(slot_pos[t * k + j]) * h;
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, h),
                             [&](const int c) { dst[c] = src[c]; });
      }
    });
  }
};

template <class T, class Space>
struct combine_functor : token_teams<Space> {
  const T* y = nullptr;
  const std::int32_t* slot_pos = nullptr;
  const T* weights = nullptr;
  T* out = nullptr;

  KOKKOS_INLINE_FUNCTION void operator()(
      const typename token_teams<Space>::member_type& team) const {
    const int h = this->s.hidden, k = this->s.top_k;
    this->for_each_token(team, [&](const std::int64_t t) {
      T* dst = out + t * h;
      const std::int64_t base = t * k;
      // First expert writes (out is never read: poison in it cannot leak), the others add.
      const T w0 = weights[base];
      const T* y0 = y + static_cast<std::int64_t>(slot_pos[base]) * h;
      Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, h),
                           [&](const int c) { dst[c] = w0 * y0[c]; });
      for (int j = 1; j < k; ++j) {
        const T w = weights[base + j];
        const T* yj = y + static_cast<std::int64_t>(slot_pos[base + j]) * h;
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, h),
                             [&](const int c) { dst[c] += w * yj[c]; });
      }
    });
  }
};

template <class T, class Space>
std::string permute_limits(const moe_permute_config& c) {
  return team_limits<scatter_functor<T, Space>, Space>(scatter_functor<T, Space>{}, c.team_size,
                                                       c.vector_length, 0);
}
template <class T, class Space>
std::string combine_limits(const moe_combine_config& c) {
  return team_limits<combine_functor<T, Space>, Space>(combine_functor<T, Space>{}, c.team_size,
                                                       c.vector_length, 0);
}

template <class T, class Space>
void scatter_rows(const dev_shape& s, const moe_permute_config& c, const T* x,
                  const std::int32_t* slot_pos, T* gathered) {
  using functor = scatter_functor<T, Space>;
  const functor f{{s, c.tokens_per_team}, x, slot_pos, gathered};
  typename functor::policy_type policy(f.league_size(), c.team_size, c.vector_length);
  Kokkos::parallel_for("ridgeline::moe::permute_rows", policy, f);
}

template <class T, class Space>
void combine(const dev_shape& s, const moe_combine_config& c, const T* y,
             const std::int32_t* slot_pos, const T* weights, T* out) {
  using functor = combine_functor<T, Space>;
  const functor f{{s, c.tokens_per_team}, y, slot_pos, weights, out};
  typename functor::policy_type policy(f.league_size(), c.team_size, c.vector_length);
  Kokkos::parallel_for("ridgeline::moe::combine", policy, f);
}

// --- grouped expert GEMMs ---------------------------------------------------------------------

// C = A B (alpha 1, beta 0: C is not read) on row-major operands with these row strides.
template <class T>
gemm_args<T> product(int m, int n, int k, const T* a, std::int64_t lda, const T* b,
                     std::int64_t ldb, T* c, std::int64_t ldc) {
  gemm_args<T> g;
  g.m = m;
  g.n = n;
  g.k = k;
  g.a = a;
  g.lda = lda;
  g.b = b;
  g.ldb = ldb;
  g.c = c;
  g.ldc = ldc;
  return g;
}

// gu: rows x 2I workspace; starts: E + 1 ints of workspace (the experts' first row tiles). Every
// argument is device memory: nothing is copied to the host, and the launches are the same four
// whatever the routing (tile starts, gate|up, SiLU, down). Rows of pads are neither computed nor
// written in y.
template <class T, class Space>
void experts(const dev_shape& s, const gemm_tiled_config& cfg, const std::int32_t* offsets,
             const std::int32_t* counts, const std::int32_t* sorted_ids, const T* gathered,
             const T* wg, const T* wu, const T* wd, T* gu, T* y, std::int32_t* starts) {
  const std::int64_t h = s.hidden, I = s.intermediate;
  const std::int64_t slots = std::int64_t(s.tokens) * s.top_k;
  const int row_tiles =
      grouped_row_tiles_bound(slots, slots < s.experts ? slots : s.experts, cfg.tile_m);
  expert_tile_starts<Space>(s.experts, cfg.tile_m, counts, starts);
  grouped_product<T> gate_up;
  gate_up.n = s.intermediate;
  gate_up.k = s.hidden;
  gate_up.parts = 2;
  gate_up.a = gathered;
  gate_up.lda = h;
  gate_up.b[0] = wg;
  gate_up.b[1] = wu;
  gate_up.b_stride = h * I;
  gate_up.ldb = I;
  gate_up.c = gu;
  gate_up.ldc = 2 * I;
  grouped_gemm<T, Space>("ridgeline::moe::gate_up", cfg, gate_up, s.experts, row_tiles, offsets,
                         counts, starts);
  // The rows of every expert's padded block: pads (sorted_ids -1) skipped, their tiles' rows
  // past counts[e] were never written.
  const std::int64_t rows =
      slots + std::int64_t(slots < s.experts ? slots : s.experts) * (s.block - 1);
  const int in = s.intermediate;
  Kokkos::parallel_for(
      "ridgeline::moe::silu_mul", Kokkos::RangePolicy<Space>(0, rows), KOKKOS_LAMBDA(const int r) {
        if (r >= offsets[s.experts] || sorted_ids[r] < 0) return;
        T* row = gu + static_cast<std::int64_t>(r) * 2 * in;
        for (int i = 0; i < in; ++i) {
          const T gv = row[i];
          row[i] = gv / (T(1) + exp_of(-gv)) * row[in + i];
        }
      });
  grouped_product<T> down;
  down.n = s.hidden;
  down.k = s.intermediate;
  down.a = gu;
  down.lda = 2 * I;
  down.b[0] = wd;
  down.b_stride = h * I;
  down.ldb = h;
  down.c = y;
  down.ldc = h;
  grouped_gemm<T, Space>("ridgeline::moe::down", cfg, down, s.experts, row_tiles, offsets, counts,
                         starts);
}

// --- inputs -------------------------------------------------------------------------------------

// Uniform in [-scale, scale), never zero, from (seed, index) alone: counter-based, so big buffers
// fill in parallel on the device and the values do not depend on the backend.
KOKKOS_INLINE_FUNCTION std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

template <class T, class Space>
void fill_uniform(T* p, std::int64_t n, std::uint64_t seed, double scale, bool positive = false) {
  Kokkos::parallel_for(
      "ridgeline::moe::fill", Kokkos::RangePolicy<Space, Kokkos::IndexType<std::int64_t>>(0, n),
      KOKKOS_LAMBDA(const std::int64_t i) {
        const std::uint64_t r = mix64(seed ^ mix64(static_cast<std::uint64_t>(i)));
        // 53 random bits -> (0, 1): never exactly 0 or 1.
        const double unit = (static_cast<double>(r >> 11) + 0.5) * (1.0 / 9007199254740992.0);
        const double v = positive ? unit : 2 * unit - 1;
        p[i] = static_cast<T>(v * scale);
      });
}

}  // namespace ridgeline::kernels::moe_detail
