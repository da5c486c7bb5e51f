#pragma once
// The `kokkos_tiled` GEMM, written once for every Kokkos backend (see gemm_tiled.hpp for the
// algorithm and its axes). Included only by gemm_tiled_f32.cpp / gemm_tiled_f64.cpp, which
// instantiate it for each enabled execution space.
#include <fmt/format.h>

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

#include "kernels/gemm/gemm_args.hpp"
#include "kernels/gemm/gemm_resident_impl.hpp"
#include "kernels/gemm/gemm_tiled.hpp"
#include "kernels/host_simd.hpp"
#include "kernels/team_limits.hpp"
#include "kernels/unroll.hpp"

namespace ridgeline::kernels::detail {

// The rows of C a host micro-kernel asks for while it computes — the next micro-tile's, one cache
// line per K step — so that micro-tile's read-modify-write finds them in L1. Asked for all at once
// just before their own micro-tile, the 16 lines of an f64 8 x 16 tile waited for line-fill
// buffers behind each other: 6% of a 2048^3 f64 run on the Xeon VM (perf, 2026-12-05). `rows` = 0:
// nothing to ask for.
template <class T>
struct c_rows_ahead {
  const T* c = nullptr;
  std::int64_t ldc = 0;
  int rows = 0;
};

#if defined(RIDGELINE_HOST_SIMD)
// Columns (in vectors) of the accumulator block the host micro-kernel keeps in registers at once:
// the widest divisor of the micro-tile's NV vectors whose RM x CB accumulators, CB loaded B vectors
// and one broadcast A value fit the ISA's register file. A micro-tile wider than that (f64 8x32 on
// AVX-512 would need 32 accumulators) is swept in column blocks — A is re-read from L1 — instead of
// letting the compiler spill accumulators to the stack.
template <int RM, int NV>
constexpr int register_column_block() {
  for (int cb = NV; cb > 1; --cb) {
    if (NV % cb == 0 && RM * cb + cb + 1 <= simd::vector_registers) return cb;
  }
  return 1;
}

// K steps ahead at which the host micro-kernel prefetches its A operand (past the end of a panel
// the address is only a hint, never dereferenced).
inline constexpr int a_prefetch_distance = 16;

// The host micro-kernel on explicit vectors (kernels/host_simd.hpp), so its width is the ISA's
// and not the compiler's preferred one: per kk, CB vectors of B's row, one broadcast of a(r, kk)
// per row, RM x CB vector FMAs into register accumulators.
template <class T, int RM, int RN>
inline void micro_tile_vectors(int depth, const T* a, std::int64_t a_row, std::int64_t a_k,
                               const T* b, std::int64_t b_k, T (&acc)[RM][RN],
                               const c_rows_ahead<T>& ahead) {
  using V = simd::vec<T>;
  constexpr int L = simd::lanes<T>;
  constexpr int NV = RN / L;
  constexpr int CB = register_column_block<RM, NV>();
  constexpr int line_elements = 64 / static_cast<int>(sizeof(T));
  constexpr int row_lines = (RN + line_elements - 1) / line_elements;
  for (int v0 = 0; v0 < NV; v0 += CB) {
    V c[RM][CB] = {};
    const int ahead_lines = v0 == 0 ? ahead.rows * row_lines : 0;
    for (int kk = 0; kk < depth; ++kk) {
      // A streams from L2 (one micro-panel after another): ask for it a few lines ahead.
      __builtin_prefetch(a + (kk + a_prefetch_distance) * a_k, 0);
      if (kk < ahead_lines) {
        __builtin_prefetch(
            ahead.c + (kk / row_lines) * ahead.ldc + (kk % row_lines) * line_elements, 1);
      }
      const T* b_row = b + kk * b_k + v0 * L;
      V bv[CB];
      RIDGELINE_UNROLL
      for (int v = 0; v < CB; ++v) bv[v] = simd::load(b_row + v * L);
      RIDGELINE_UNROLL
      for (int r = 0; r < RM; ++r) {
        const V av = simd::broadcast<T>(a[r * a_row + kk * a_k]);
        RIDGELINE_UNROLL
        for (int v = 0; v < CB; ++v) c[r][v] += av * bv[v];
      }
    }
    RIDGELINE_UNROLL
    for (int r = 0; r < RM; ++r) {
      RIDGELINE_UNROLL
      for (int v = 0; v < CB; ++v) {
        T* out = &acc[r][(v0 + v) * L];
        simd::store(out, simd::load(out) + c[r][v]);
      }
    }
  }
}
#endif

// acc[r][c] += sum over kk < depth of a(r, kk) * b(kk, c), with
// a(r, kk) = a[r * a_row + kk * a_k] and b(kk, c) = b[kk * b_k + c] (B rows contiguous).
// On hosts with explicit vectors and RN a whole number of vectors: micro_tile_vectors. Elsewhere
// (GPUs, narrow tiles) one broadcast of a(r, kk) times a contiguous row of B per r, the c loop
// vectorized by the compiler or spread over a GPU thread's registers (docs/design.md,
// "micro-kernel"); a fully unrolled c loop instead let GCC's SLP vectorizer interleave rows with
// permutes and lost 35% on AVX-512.
template <class T, int RM, int RN>
KOKKOS_FORCEINLINE_FUNCTION void micro_tile(int depth, const T* a, std::int64_t a_row,
                                            std::int64_t a_k, const T* b, std::int64_t b_k,
                                            T (&acc)[RM][RN],
                                            const c_rows_ahead<T>& ahead = {}) {
#if defined(RIDGELINE_HOST_SIMD)
  if constexpr (RN % simd::lanes<T> == 0) {
    micro_tile_vectors<T, RM, RN>(depth, a, a_row, a_k, b, b_k, acc, ahead);
    return;
  }
#endif
  (void)ahead;
  for (int kk = 0; kk < depth; ++kk) {
    const T* b_row = b + kk * b_k;
    RIDGELINE_UNROLL
    for (int r = 0; r < RM; ++r) {
      const T av = a[r * a_row + kk * a_k];
      RIDGELINE_SIMD
      for (int c = 0; c < RN; ++c) acc[r][c] += av * b_row[c];
    }
  }
}

template <class T, class Space, int RM, int RN>
struct gemm_tiled_functor {
  using policy_type = Kokkos::TeamPolicy<Space>;
  using member_type = typename policy_type::member_type;
  using scratch_view = Kokkos::View<T*, typename Space::scratch_memory_space,
                                    Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

  static constexpr bool on_host =
      Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename Space::memory_space>::accessible;

  gemm_args<T> g;
  int tile_m, tile_n, tile_k, tiles_n;
  int stage;          // 0 none, 1 scratch level 0, 2 scratch level 1
  bool micro_panels;  // scratch layout: see a_index/b_index

  // Where element (ii, kk) of the A panel and (kk, jj) of the B panel live in scratch.
  // rows:  A as [kk][ii] (transposed), B as [kk][jj] — adjacent lanes of a GPU warp read adjacent
  //        micro-tiles' columns, so shared-memory reads spread over the banks;
  // micro: one contiguous [kk][RM] (A) or [kk][RN] (B) block per micro-tile, as BLIS packs — a CPU
  //        core streams each micro-tile's operands sequentially instead of at a panel-wide stride.
  // The layout is a template parameter so each loop nest is compiled for one layout.
  template <bool Micro>
  KOKKOS_FORCEINLINE_FUNCTION int a_index(int ii, int kk) const {
    return Micro ? ((ii / RM) * tile_k + kk) * RM + ii % RM : kk * tile_m + ii;
  }
  template <bool Micro>
  KOKKOS_FORCEINLINE_FUNCTION int b_index(int kk, int jj) const {
    return Micro ? ((jj / RN) * tile_k + kk) * RN + jj % RN : kk * tile_n + jj;
  }

  static std::size_t scratch_bytes(int tile_m, int tile_n, int tile_k) {
    return scratch_view::shmem_size(static_cast<std::size_t>(tile_m) * tile_k) +
           scratch_view::shmem_size(static_cast<std::size_t>(tile_k) * tile_n);
  }

  // Asks for the C micro-tile's cache lines before its K-step is computed, so the read-modify-write
  // in store() does not wait on memory: C (m x n) is far larger than L2 and each micro-tile's RM
  // rows are ldc apart, so without it every K step stalled on RM x RN x sizeof(T) / 64 misses.
  KOKKOS_INLINE_FUNCTION void prefetch_c(int i, int j) const {
#if defined(__GNUC__) && !defined(__CUDA_ARCH__) && !defined(__HIP_DEVICE_COMPILE__)
    const int rows = g.m - i < RM ? g.m - i : RM;
    for (int r = 0; r < rows; ++r) {
      const T* c = g.c + (i + r) * g.ldc + j;
      for (int b = 0; b < RN * static_cast<int>(sizeof(T)); b += 64) {
        __builtin_prefetch(reinterpret_cast<const char*>(c) + b, 1);
      }
    }
#else
    (void)i;
    (void)j;
#endif
  }

  // Panel rows a CPU core prefetches ahead while packing. The panels' rows are lda/ldb apart, so
  // each row starts a new hardware-prefetch stream; without this the packing copies waited on
  // memory for a third of a 2048^3 run on a Xeon VM (perf, 2026-12-03). 8 rows of 1 KiB cover
  // ~100 ns of memory latency at the copy's pace.
  static constexpr int pack_ahead = 8;
  KOKKOS_INLINE_FUNCTION static void prefetch_span(const T* p, int n) {
#if defined(__GNUC__) && !defined(__CUDA_ARCH__) && !defined(__HIP_DEVICE_COMPILE__)
    const char* bytes = reinterpret_cast<const char*>(p);
    for (std::size_t b = 0; b < n * sizeof(T); b += 64) __builtin_prefetch(bytes + b, 0);
#else
    (void)p;
    (void)n;
#endif
  }

  // Writes one micro-tile: the first K step applies beta (and never reads C when beta == 0, so
  // NaN poison in C cannot leak into the result); later steps accumulate.
  KOKKOS_INLINE_FUNCTION void store(int i, int j, const T (&acc)[RM][RN], bool first) const {
    const bool overwrite = first && g.beta == T(0);
    if (i + RM <= g.m && j + RN <= g.n) {
      // Whole micro-tile: compile-time trip counts, so the row updates vectorize.
      RIDGELINE_UNROLL
      for (int r = 0; r < RM; ++r) {
        T* c = g.c + (i + r) * g.ldc + j;
        if (overwrite) {
          RIDGELINE_SIMD
          for (int cc = 0; cc < RN; ++cc) c[cc] = g.alpha * acc[r][cc];
        } else {
          const T scale = first ? g.beta : T(1);
          RIDGELINE_SIMD
          for (int cc = 0; cc < RN; ++cc) c[cc] = g.alpha * acc[r][cc] + scale * c[cc];
        }
      }
      return;
    }
    const int rows = g.m - i < RM ? g.m - i : RM;
    const int cols = g.n - j < RN ? g.n - j : RN;
    for (int r = 0; r < rows; ++r) {
      T* c = g.c + (i + r) * g.ldc + j;
      for (int cc = 0; cc < cols; ++cc) {
        c[cc] = overwrite ? g.alpha * acc[r][cc]
                          : g.alpha * acc[r][cc] + (first ? g.beta : T(1)) * c[cc];
      }
    }
  }

  KOKKOS_INLINE_FUNCTION void operator()(const member_type& team) const {
    const int tile = team.league_rank();
    tile_at(team, (tile / tiles_n) * tile_m, (tile % tiles_n) * tile_n);
  }

  // The tile at (i0, j0) of another product with this functor's tiling: for a functor that maps
  // its league onto several products (the MoE experts' grouped GEMM). The copy is a few dozen
  // bytes of registers; every member function reads the product from `g`.
  KOKKOS_INLINE_FUNCTION void run_tile(const member_type& team, const gemm_args<T>& other, int i0,
                                       int j0) const {
    gemm_tiled_functor f = *this;
    f.g = other;
    f.tile_at(team, i0, j0);
  }

  KOKKOS_INLINE_FUNCTION void tile_at(const member_type& team, int i0, int j0) const {
    const int rows = g.m - i0 < tile_m ? g.m - i0 : tile_m;
    const int cols = g.n - j0 < tile_n ? g.n - j0 : tile_n;
    const int mt_rows = (rows + RM - 1) / RM;
    const int mt_cols = (cols + RN - 1) / RN;
    if (stage == 0) {
      direct(team, i0, j0, mt_rows, mt_cols);
    } else if (micro_panels) {
      staged<true>(team, i0, j0, mt_rows, mt_cols);
    } else {
      staged<false>(team, i0, j0, mt_rows, mt_cols);
    }
  }

  template <bool Micro>
  KOKKOS_INLINE_FUNCTION void staged(const member_type& team, int i0, int j0, int mt_rows,
                                     int mt_cols) const {
    const int level = stage - 1;
    scratch_view a_s(team.team_scratch(level), static_cast<std::size_t>(tile_m) * tile_k);
    scratch_view b_s(team.team_scratch(level), static_cast<std::size_t>(tile_k) * tile_n);
    const int padded_rows = mt_rows * RM;
    const int padded_cols = mt_cols * RN;
    for (int k0 = 0; k0 < g.k; k0 += tile_k) {
      const int depth = g.k - k0 < tile_k ? g.k - k0 : tile_k;
      // The B panel as in memory and (below) A, both zero-padded to whole micro-tiles.
      if (Micro) {
        // One RN-wide row segment per (kk, micro-tile column): each kk reads its row of the B
        // panel front to back (a K-major walk read 128 bytes a row, rows ldb apart, and the
        // copy waited on memory for a fifth of the run on a Xeon VM).
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, depth * mt_cols), [&](const int idx) {
          const int kk = idx / mt_cols;
          const int mc = idx - kk * mt_cols;
          const int j = j0 + mc * RN;
          const T* b = g.b + (k0 + kk) * g.ldb + j;
          if constexpr (on_host) {
            if (mc == 0 && kk + pack_ahead < depth) {
              prefetch_span(b + pack_ahead * g.ldb, g.n - j0 < tile_n ? g.n - j0 : tile_n);
            }
          }
          T* dst = b_s.data() + b_index<Micro>(kk, mc * RN);
          if (j + RN <= g.n) {
            if constexpr (on_host) {
              // A fixed-size memcpy is a few vector moves; the lane loop below compiled to one
              // scalar move per element on the host.
              std::memcpy(dst, b, RN * sizeof(T));
            } else {
              Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, RN),
                                   [&](const int c) { dst[c] = b[c]; });
            }
          } else {
            Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, RN),
                                 [&](const int c) { dst[c] = j + c < g.n ? b[c] : T(0); });
          }
        });
      } else {
        // The copy and the zero padding are separate loops: a bounds test inside the copy made
        // GCC emit masked, stack-spilling vector code that took a quarter of the run time.
        const int inside = g.n - j0 < padded_cols ? g.n - j0 : padded_cols;
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, depth), [&](const int kk) {
          const T* b = g.b + (k0 + kk) * g.ldb + j0;
          T* dst = b_s.data() + b_index<Micro>(kk, 0);
          Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, inside),
                               [&](const int jj) { dst[jj] = b[jj]; });
          Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, padded_cols - inside),
                               [&](const int jj) { dst[inside + jj] = T(0); });
        });
      }
      // The A panel transposed, after B: the last panel written is the one left in L2, and A is
      // the one every B micro-panel is swept against (B goes through L1 one micro-panel at a time).
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, padded_rows), [&](const int ii) {
        const bool inside = i0 + ii < g.m;
        const T* a = g.a + (inside ? (i0 + ii) * g.lda + k0 : 0);
        if constexpr (on_host) {
          if (i0 + ii + pack_ahead < g.m) prefetch_span(a + pack_ahead * g.lda, depth);
        }
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, depth), [&](const int kk) {
          a_s(a_index<Micro>(ii, kk)) = inside ? a[kk] : T(0);
        });
      });
      team.team_barrier();
      // Strides of a(r, kk) and b(kk, c) inside one micro-tile's panels.
      const std::int64_t a_k = Micro ? RM : tile_m;
      const std::int64_t b_k = Micro ? RN : tile_n;
      const auto micro = [&](const int mr, const int mc) {
        // The host walks mr inside mc (below): each micro-tile asks for the next one's C rows.
        c_rows_ahead<T> ahead;
        if constexpr (on_host) {
          if (mr == 0 && mc == 0) prefetch_c(i0, j0);
          const bool next_row = mr + 1 < mt_rows;
          if (next_row || mc + 1 < mt_cols) {
            const int i = i0 + (next_row ? mr + 1 : 0) * RM;
            ahead = {g.c + std::int64_t(i) * g.ldc + j0 + (next_row ? mc : mc + 1) * RN, g.ldc,
                     g.m - i < RM ? g.m - i : RM};
          }
        }
        T acc[RM][RN] = {};
        micro_tile<T, RM, RN>(depth, a_s.data() + a_index<Micro>(mr * RM, 0), 1, a_k,
                              b_s.data() + b_index<Micro>(0, mc * RN), b_k, acc, ahead);
        store(i0 + mr * RM, j0 + mc * RN, acc, k0 == 0);
      };
      if constexpr (on_host) {
        // A CPU core walks one B micro-panel (tile_k x RN, L1-sized) against every A micro-panel
        // (tile_k x RM, streamed from L2), as BLIS orders its loops: per kk it then reads RM
        // values from L2 instead of RN.
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, mt_cols), [&](const int mc) {
          Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, mt_rows),
                               [&](const int mr) { micro(mr, mc); });
        });
      } else {
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, mt_rows), [&](const int mr) {
          Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, mt_cols),
                               [&](const int mc) { micro(mr, mc); });
        });
      }
      team.team_barrier();
    }
  }

  KOKKOS_INLINE_FUNCTION void direct(const member_type& team, int i0, int j0, int mt_rows,
                                     int mt_cols) const {
    for (int k0 = 0; k0 < g.k; k0 += tile_k) {
      const int depth = g.k - k0 < tile_k ? g.k - k0 : tile_k;
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, mt_rows), [&](const int mr) {
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, mt_cols), [&](const int mc) {
          const int i = i0 + mr * RM;
          const int j = j0 + mc * RN;
          T acc[RM][RN] = {};
          if (i + RM <= g.m && j + RN <= g.n) {
            micro_tile<T, RM, RN>(depth, g.a + i * g.lda + k0, g.lda, 1, g.b + k0 * g.ldb + j,
                                  g.ldb, acc);
          } else {
            edge_tile(depth, i, j, k0, acc);
          }
          store(i, j, acc, k0 == 0);
        });
      });
      // Every thread must finish reading this K step's C before the next step adds to it; the
      // same thread owns the same micro-tile in every step, so no barrier is needed.
    }
  }

  // A micro-tile that sticks out of C: only the rows/columns inside are computed.
  KOKKOS_INLINE_FUNCTION void edge_tile(int depth, int i, int j, int k0, T (&acc)[RM][RN]) const {
    const int rows = g.m - i < RM ? g.m - i : RM;
    const int cols = g.n - j < RN ? g.n - j : RN;
    for (int kk = 0; kk < depth; ++kk) {
      const T* b = g.b + (k0 + kk) * g.ldb + j;
      for (int r = 0; r < rows; ++r) {
        const T av = g.a[(i + r) * g.lda + k0 + kk];
        for (int c = 0; c < cols; ++c) acc[r][c] += av * b[c];
      }
    }
  }
};

// Empty string when `cfg` can launch on Space for this shape, else the reason (backend limits).
template <class T, class Space, int RM, int RN>
std::string tiled_limits(const gemm_tiled_config& cfg) {
  using functor = gemm_tiled_functor<T, Space, RM, RN>;
  using policy = typename functor::policy_type;
  if (std::string why = team_shape_limit<policy>(functor{}, cfg.team_size, cfg.vector_length);
      !why.empty()) {
    return why;
  }
  if (cfg.stage == 0) return {};
  return scratch_limit<policy>(
      cfg.stage - 1, functor::scratch_bytes(cfg.tile_m, cfg.tile_n, cfg.tile_k),
      fmt::format("tile_m, tile_n, tile_k = {}, {}, {}", cfg.tile_m, cfg.tile_n, cfg.tile_k));
}

template <class T, class Space, int RM, int RN>
void tiled_launch(const gemm_args<T>& g, const gemm_tiled_config& cfg) {
  using functor = gemm_tiled_functor<T, Space, RM, RN>;
  const int tiles_m = (g.m + cfg.tile_m - 1) / cfg.tile_m;
  const int tiles_n = (g.n + cfg.tile_n - 1) / cfg.tile_n;
  typename functor::policy_type policy(tiles_m * tiles_n, cfg.team_size, cfg.vector_length);
  if (cfg.stage > 0) {
    policy.set_scratch_size(
        cfg.stage - 1, Kokkos::PerTeam(functor::scratch_bytes(cfg.tile_m, cfg.tile_n, cfg.tile_k)));
  }
  Kokkos::parallel_for(
      "ridgeline::gemm::kokkos_tiled", policy,
      functor{g, cfg.tile_m, cfg.tile_n, cfg.tile_k, tiles_n, cfg.stage, cfg.panel_layout == 1});
}

template <class T, class Space>
std::string gemm_tiled_limits(const gemm_tiled_config& cfg) {
  return dispatch_value_pair<gemm_reg_m, gemm_reg_n>(cfg.reg_m, cfg.reg_n, [&](auto rm, auto rn) {
    constexpr int RM = decltype(rm)::value, RN = decltype(rn)::value;
    return cfg.accumulate == 1 ? resident_limits<T, Space, RM, RN>(cfg)
                               : tiled_limits<T, Space, RM, RN>(cfg);
  });
}

template <class T, class Space>
void gemm_tiled(const gemm_args<T>& g, const gemm_tiled_config& cfg) {
  dispatch_value_pair<gemm_reg_m, gemm_reg_n>(cfg.reg_m, cfg.reg_n, [&](auto rm, auto rn) {
    constexpr int RM = decltype(rm)::value, RN = decltype(rn)::value;
    if (cfg.accumulate == 1) {
      resident_launch<T, Space, RM, RN>(g, cfg);
    } else {
      tiled_launch<T, Space, RM, RN>(g, cfg);
    }
  });
}

}  // namespace ridgeline::kernels::detail
