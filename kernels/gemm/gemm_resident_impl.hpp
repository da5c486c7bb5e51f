#pragma once
// The `kokkos_tiled` GEMM with accumulate = registers: the GPU structure (issue 16). Each thread of
// a team owns one reg_m x reg_n micro-tile of the team's tile_m x tile_n tile of C for the WHOLE K
// loop, so its accumulators stay in registers and C is written once (alpha/beta applied then). The
// accumulate = c structure (gemm_tiled_impl.hpp) instead adds each K step's partial product into C,
// which on an H200 cost 3 extra FP32 instructions per element per step and a C read+write per step.
//
// Per K step the team stages the A panel (transposed, [kk][ii]) and the B panel ([kk][jj]) in team
// scratch, double-buffered with register prefetch: each thread loads its share of the NEXT step's
// panels from global memory into registers before it computes on the current buffer, and stores
// them to the other buffer after — the loads are in flight during the FMAs, and one barrier per
// step separates the buffers. Operands are read from scratch as packets of reg_m / reg_n contiguous
// elements (16-byte shared-memory loads on GPUs when the micro-tile allows it).
//
// Thread t owns micro-tile row t / (tile_n / reg_n) and column slot t % (tile_n / reg_n). Its reg_n
// columns are reg_n / G groups of G = 16 bytes of elements, group q at column q * (tile_n / reg_n)
// * G + slot * G: one B load instruction of a warp then reads consecutive 16-byte packets (an H200
// run with contiguous reg_n columns per thread, 32 bytes apart, measured 6-way shared-load bank
// conflicts). The A packets are shared by whole half-warps (broadcast). The A panel's rows
// ([kk][ii]) are padded by G elements so the transposing stores of consecutive kk fall in different
// banks (unpadded: 4.5-way store conflicts on the same run).
//
// The team shape is derived, not tuned: tile_m / reg_m x tile_n / reg_n threads of one lane
// (gemm_tiled.cpp makes the team_size and vector_length axes 1 for this structure).
#include <fmt/format.h>

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <string>

#include "kernels/gemm/gemm_args.hpp"
#include "kernels/gemm/gemm_tiled.hpp"
#include "kernels/team_limits.hpp"
#include "kernels/unroll.hpp"

namespace ridgeline::kernels::detail {

// The largest power of two (at most 16) dividing `bytes`: the alignment a packet of that size has
// in scratch when every packet starts at a multiple of its own size from a 16-byte aligned base.
constexpr std::size_t packet_alignment(std::size_t bytes) {
  std::size_t a = 1;
  while (a < 16 && bytes % (2 * a) == 0) a *= 2;
  return a;
}

// N contiguous elements read as one value: the compiler may use the widest load the alignment
// allows (LDS.128 for 4 floats or 2 doubles).
template <class T, int N>
struct alignas(packet_alignment(sizeof(T) * N)) packet {
  T v[N];
};

template <class T, class Space, int RM, int RN>
struct gemm_resident_functor {
  using policy_type = Kokkos::TeamPolicy<Space>;
  using member_type = typename policy_type::member_type;
  using scratch_view = Kokkos::View<T*, typename Space::scratch_memory_space,
                                    Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

  // Registers per thread for the next K step's panels: 64 bytes (16 f32, 8 f64); the array must
  // have a compile-time size to live in registers. Panels larger than that per thread are copied
  // in part without the prefetch (put()), which only teams far smaller than a GPU block need.
  static constexpr int max_staged = 64 / static_cast<int>(sizeof(T));

  gemm_args<T> args;  // the product operator() computes
  int tile_m = 0, tile_n = 0, tile_k = 0, tiles_n = 1;
  int level = 0;  // team scratch level

  KOKKOS_INLINE_FUNCTION static int threads(int tile_m, int tile_n) {
    return (tile_m / RM) * (tile_n / RN);
  }
  // Elements in 16 bytes: the width of a column group and of the A rows' padding.
  static constexpr int G =
      16 / static_cast<int>(sizeof(T)) < RN ? 16 / static_cast<int>(sizeof(T)) : RN;
  static_assert(RN % G == 0, "reg_n must be a whole number of 16-byte column groups");
  KOKKOS_INLINE_FUNCTION static int a_stride(int tile_m) { return tile_m + G; }
  // Elements fetched per K step (A and B panels) and the size of one scratch buffer (with padding).
  KOKKOS_INLINE_FUNCTION static int panel_elements(int tile_m, int tile_n, int tile_k) {
    return (tile_m + tile_n) * tile_k;
  }
  KOKKOS_INLINE_FUNCTION static int buffer_elements(int tile_m, int tile_n, int tile_k) {
    return (a_stride(tile_m) + tile_n) * tile_k;
  }
  // Two panel buffers, plus slack to align the first to 16 bytes.
  static std::size_t scratch_bytes(int tile_m, int tile_n, int tile_k) {
    return scratch_view::shmem_size(
        2 * static_cast<std::size_t>(buffer_elements(tile_m, tile_n, tile_k)) + 16 / sizeof(T));
  }

  // Element e of K step k0's panels (A row-major with kk fastest, then B with jj fastest); zero
  // outside the matrices, so the inner loop needs no bounds tests.
  KOKKOS_INLINE_FUNCTION T panel_element(const gemm_args<T>& g, int i0, int j0, int k0,
                                         int e) const {
    const int a_elems = tile_m * tile_k;
    if (e < a_elems) {
      const int ii = e / tile_k;
      const int kk = e - ii * tile_k;
      return i0 + ii < g.m && k0 + kk < g.k ? g.a[std::int64_t(i0 + ii) * g.lda + k0 + kk] : T(0);
    }
    const int f = e - a_elems;
    const int kk = f / tile_n;
    const int jj = f - kk * tile_n;
    return k0 + kk < g.k && j0 + jj < g.n ? g.b[std::int64_t(k0 + kk) * g.ldb + j0 + jj] : T(0);
  }

  // Where element e goes in a buffer: A transposed to [kk][ii] (rows a_stride apart), B as [kk][jj]
  // after it.
  KOKKOS_INLINE_FUNCTION int buffer_index(int e) const {
    const int a_elems = tile_m * tile_k;
    if (e >= a_elems) return e + G * tile_k;
    const int ii = e / tile_k;
    return (e - ii * tile_k) * a_stride(tile_m) + ii;
  }

  // This thread's register share of K step k0's panels: elements t + s * nthreads.
  KOKKOS_INLINE_FUNCTION void fetch(const gemm_args<T>& g, int i0, int j0, int k0, int t,
                                    int nthreads, T (&staged)[max_staged]) const {
    const int panel = panel_elements(tile_m, tile_n, tile_k);
    RIDGELINE_UNROLL
    for (int s = 0; s < max_staged; ++s) {
      const int e = t + s * nthreads;
      staged[s] = e < panel ? panel_element(g, i0, j0, k0, e) : T(0);
    }
  }

  // The registers of fetch() into a buffer, then — only when the panels hold more than
  // max_staged elements per thread (small teams: CPU backends) — the rest copied directly.
  KOKKOS_INLINE_FUNCTION void put(const gemm_args<T>& g, T* buffer, int i0, int j0, int k0, int t,
                                  int nthreads, const T (&staged)[max_staged]) const {
    const int panel = panel_elements(tile_m, tile_n, tile_k);
    RIDGELINE_UNROLL
    for (int s = 0; s < max_staged; ++s) {
      const int e = t + s * nthreads;
      if (e < panel) buffer[buffer_index(e)] = staged[s];
    }
    for (int e = t + max_staged * nthreads; e < panel; e += nthreads) {
      buffer[buffer_index(e)] = panel_element(g, i0, j0, k0, e);
    }
  }

  KOKKOS_INLINE_FUNCTION void operator()(const member_type& team) const {
    const int tile = team.league_rank();
    run_tile(team, args, (tile / tiles_n) * tile_m, (tile % tiles_n) * tile_n);
  }

  // The tile of `g`'s C at (i0, j0): callable by a functor that maps its league onto several
  // products (the MoE experts' grouped GEMM).
  KOKKOS_INLINE_FUNCTION void run_tile(const member_type& team, const gemm_args<T>& g, int i0,
                                       int j0) const {
    const int t = team.team_rank();
    const int nthreads = team.team_size();
    const int mr = t / (tile_n / RN);
    const int mc = t - mr * (tile_n / RN);
    const int buffer = buffer_elements(tile_m, tile_n, tile_k);
    const int slots_n = tile_n / RN;  // column slots across the tile
    const int group_stride = slots_n * G;

    scratch_view raw(team.team_scratch(level),
                     2 * static_cast<std::size_t>(buffer) + 16 / sizeof(T));
    const auto address = reinterpret_cast<std::uintptr_t>(raw.data());
    T* const buffers = reinterpret_cast<T*>((address + 15) & ~std::uintptr_t(15));

    T acc[RM][RN];
    RIDGELINE_UNROLL
    for (int r = 0; r < RM; ++r) {
      RIDGELINE_UNROLL
      for (int c = 0; c < RN; ++c) acc[r][c] = T(0);
    }
    T staged[max_staged];
    fetch(g, i0, j0, 0, t, nthreads, staged);
    put(g, buffers, i0, j0, 0, t, nthreads, staged);
    team.team_barrier();

    int current = 0;
    for (int k0 = 0; k0 < g.k; k0 += tile_k) {
      const bool more = k0 + tile_k < g.k;
      if (more) fetch(g, i0, j0, k0 + tile_k, t, nthreads, staged);
      const T* a_s = buffers + current * buffer + mr * RM;
      const T* b_s = buffers + current * buffer + a_stride(tile_m) * tile_k + mc * G;
      const int depth = g.k - k0 < tile_k ? g.k - k0 : tile_k;
      RIDGELINE_UNROLL_8
      for (int kk = 0; kk < depth; ++kk) {
        const packet<T, RM> a =
            *reinterpret_cast<const packet<T, RM>*>(a_s + kk * a_stride(tile_m));
        RIDGELINE_UNROLL
        for (int q = 0; q < RN / G; ++q) {
          const packet<T, G> b =
              *reinterpret_cast<const packet<T, G>*>(b_s + kk * tile_n + q * group_stride);
          RIDGELINE_UNROLL
          for (int r = 0; r < RM; ++r) {
            RIDGELINE_UNROLL
            for (int c = 0; c < G; ++c) acc[r][q * G + c] += a.v[r] * b.v[c];
          }
        }
      }
      if (more) put(g, buffers + (1 - current) * buffer, i0, j0, k0 + tile_k, t, nthreads, staged);
      // Everyone has read `current` and written the other buffer before the next step swaps them.
      team.team_barrier();
      current = 1 - current;
    }
    store(g, i0 + mr * RM, j0 + mc * G, group_stride, acc);
  }

  // C written once: alpha * acc (+ beta * C, never reading C when beta == 0 so NaN poison in C
  // cannot leak into the result); rows/columns outside C are skipped. acc[r][q * G + c] is
  // C(i + r, j + q * group_stride + c).
  KOKKOS_INLINE_FUNCTION void store(const gemm_args<T>& g, int i, int j, int group_stride,
                                    const T (&acc)[RM][RN]) const {
    const bool read_c = g.beta != T(0);
    RIDGELINE_UNROLL
    for (int r = 0; r < RM; ++r) {
      if (i + r >= g.m) break;
      RIDGELINE_UNROLL
      for (int q = 0; q < RN / G; ++q) {
        const int j_q = j + q * group_stride;
        T* c = g.c + std::int64_t(i + r) * g.ldc + j_q;
        RIDGELINE_UNROLL
        for (int cc = 0; cc < G; ++cc) {
          const T v = acc[r][q * G + cc];
          if (j_q + cc < g.n) c[cc] = read_c ? g.alpha * v + g.beta * c[cc] : g.alpha * v;
        }
      }
    }
  }
};

// Empty when the registers structure can launch `cfg` on Space, else why not.
template <class T, class Space, int RM, int RN>
std::string resident_limits(const gemm_tiled_config& cfg) {
  using functor = gemm_resident_functor<T, Space, RM, RN>;
  using policy = typename functor::policy_type;
  const int threads = functor::threads(cfg.tile_m, cfg.tile_n);
  if (std::string why = team_shape_limit<policy>(functor{}, threads, 1); !why.empty()) {
    return fmt::format(
        "accumulate=registers runs one thread per micro-tile ({} x {} / {} x {}): {}", cfg.tile_m,
        cfg.tile_n, cfg.reg_m, cfg.reg_n, why);
  }
  return scratch_limit<policy>(
      cfg.stage - 1, functor::scratch_bytes(cfg.tile_m, cfg.tile_n, cfg.tile_k),
      fmt::format("two K-step buffers of tile_m, tile_n, tile_k = {}, {}, {}", cfg.tile_m,
                  cfg.tile_n, cfg.tile_k));
}

template <class T, class Space, int RM, int RN>
void resident_launch(const gemm_args<T>& g, const gemm_tiled_config& cfg) {
  using functor = gemm_resident_functor<T, Space, RM, RN>;
  const int tiles_m = (g.m + cfg.tile_m - 1) / cfg.tile_m;
  const int tiles_n = (g.n + cfg.tile_n - 1) / cfg.tile_n;
  typename functor::policy_type policy(tiles_m * tiles_n, functor::threads(cfg.tile_m, cfg.tile_n),
                                       1);
  const int level = cfg.stage - 1;
  policy.set_scratch_size(
      level, Kokkos::PerTeam(functor::scratch_bytes(cfg.tile_m, cfg.tile_n, cfg.tile_k)));
  functor f;
  f.args = g;
  f.tile_m = cfg.tile_m;
  f.tile_n = cfg.tile_n;
  f.tile_k = cfg.tile_k;
  f.tiles_n = tiles_n;
  f.level = level;
  Kokkos::parallel_for("ridgeline::gemm::kokkos_tiled_registers", policy, f);
}

}  // namespace ridgeline::kernels::detail
