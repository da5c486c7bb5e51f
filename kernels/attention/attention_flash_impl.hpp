#pragma once
// The `kokkos_flash` attention, written once for every Kokkos backend (attention_flash.hpp has the
// algorithm and its axes). Included only by attention_flash_f32.cpp / attention_flash_f64.cpp,
// which instantiate it for each enabled execution space.
#include <fmt/format.h>

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "kernels/attention/attention_args.hpp"
#include "kernels/attention/attention_flash.hpp"
#include "kernels/attention/attention_instance.hpp"
#include "kernels/attention/attention_math.hpp"
#include "kernels/attention/attention_splits.hpp"
#include "kernels/backend_dispatch.hpp"
#include "kernels/device_units.hpp"
#include "kernels/gemm/gemm_tiled_impl.hpp"  // micro_tile: the GEMM's register micro-kernel
#include "kernels/team_limits.hpp"
#include "profiler/cpu_info.hpp"

namespace ridgeline::kernels::detail {

// acc[r][c] += sum over kk < depth of a[r][kk] * b[kk * b_k + c]: the GEMM micro-kernel's shape
// with one pointer per row of A, so K can be the broadcast operand read in place — rows past the
// end of a key tile point at its last row (finite values whose scores are never used). On hosts
// it also asks for `ahead_lines` cache lines from each of `ahead_a` and `ahead_b` into L2, one of
// each per K step (further lines than steps are left to the caller): the next tile's K and V rows
// stream in under the FMAs instead of in a burst that stalls them.
template <class T, int RM, int RN>
KOKKOS_FORCEINLINE_FUNCTION void micro_tile_rows(int depth, const T* const (&a)[RM], const T* b,
                                                 std::int64_t b_k, T (&acc)[RM][RN],
                                                 const char* ahead_a = nullptr,
                                                 const char* ahead_b = nullptr,
                                                 std::int64_t ahead_lines = 0) {
  for (int kk = 0; kk < depth; ++kk) {
#if !defined(__CUDA_ARCH__) && !defined(__HIP_DEVICE_COMPILE__)
    if (kk < ahead_lines) {
      __builtin_prefetch(ahead_a + std::int64_t(kk) * 64, 0, 1);
      __builtin_prefetch(ahead_b + std::int64_t(kk) * 64, 0, 1);
    }
#endif
    const T* b_row = b + kk * b_k;
    RIDGELINE_UNROLL
    for (int r = 0; r < RM; ++r) {
      const T av = a[r][kk];
      RIDGELINE_SIMD
      for (int c = 0; c < RN; ++c) acc[r][c] += av * b_row[c];
    }
  }
}

// Split-KV partial results: per chunk and query row, the unnormalised O row, the running max m
// and the running sum l. Allocated only when a problem has more than one chunk.
template <class T, class Space>
struct flash_partials {
  Kokkos::View<T*, typename Space::memory_space> o, m, l;
};

template <class T, class Space, int RM, int RN>
struct attention_flash_functor {
  using policy_type = Kokkos::TeamPolicy<Space, Kokkos::Schedule<Kokkos::Dynamic>>;
  using member_type = typename policy_type::member_type;
  using scratch_view = Kokkos::View<T*, typename Space::scratch_memory_space,
                                    Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

  attention_args<T> a;
  int tile_q = 1, tile_k = 1, level = 1;
  int stage_k = 0;   // 0: K tile transposed into scratch, S = Q Kt; 1: K in place, S^T = K Q^T
  int team_map = 0;  // 0 nested: a thread per row, lanes along it; 1 flat: the team along rows
  std::int64_t kv_chunk = 1;
  int q_tiles = 1, splits = 1;  // per (batch, KV head)
  int dp = 1;                   // d rounded up to whole micro-tiles (columns of V and O tiles)
  T* part_o = nullptr;          // splits > 1 only
  T* part_m = nullptr;
  T* part_l = nullptr;

  // Query rows of the score tile: with K in place the query tile is the micro-tiles' column
  // operand, padded to whole RN columns.
  KOKKOS_INLINE_FUNCTION static int score_rows(int tq, int stage_k) {
    return stage_k == 0 ? tq : (tq + RN - 1) / RN * RN;
  }

  static std::size_t scratch_bytes(int tq, int tk, int d, int stage_k) {
    const int dpad = (d + RN - 1) / RN * RN;
    const int sr = score_rows(tq, stage_k);
    return scratch_view::shmem_size(std::size_t(sr) * d) +  // Q tile (transposed: K in place)
           scratch_view::shmem_size(stage_k == 0 ? std::size_t(d) * tk : 0) +  // K tile, transposed
           scratch_view::shmem_size(std::size_t(tk) * dpad) +                  // V tile
           scratch_view::shmem_size(std::size_t(sr) * tk) +    // scores, then probabilities
           scratch_view::shmem_size(std::size_t(tq) * tk) +    // P packed per micro-tile row
           scratch_view::shmem_size(std::size_t(tq) * dpad) +  // O accumulators
           3 * scratch_view::shmem_size(std::size_t(tq));      // m, l, rescale per row
  }

  // Largest score of row `s[0..n)`; the reduction identity (lowest finite) when n == 0.
  KOKKOS_INLINE_FUNCTION static T row_max(const member_type& team, const T* s, int n) {
    T mx = Kokkos::reduction_identity<T>::max();
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
    Kokkos::parallel_reduce(
        Kokkos::ThreadVectorRange(team, n), [&](const int j, T& m) { m = s[j] > m ? s[j] : m; },
        Kokkos::Max<T>(mx));
#else
    // Host vector ranges run in one thread: a plain loop the compiler can vectorize.
    (void)team;
    RIDGELINE_SIMD_REDUCE(max, mx)
    for (int j = 0; j < n; ++j) mx = s[j] > mx ? s[j] : mx;
#endif
    return mx;
  }

  // s[j] = e^(s[j] - m) for j < nv, 0 for nv <= j < n; returns the sum.
  KOKKOS_INLINE_FUNCTION static T row_exp(const member_type& team, T* s, int nv, int n, T m) {
    T sum = 0;
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
    Kokkos::parallel_reduce(
        Kokkos::ThreadVectorRange(team, n),
        [&](const int j, T& acc) {
          const T p = j < nv ? softmax_exp(s[j] - m) : T(0);
          s[j] = p;
          acc += p;
        },
        sum);
#else
    (void)team;
    RIDGELINE_SIMD_REDUCE(+, sum)
    for (int j = 0; j < nv; ++j) {
      const T p = softmax_exp(s[j] - m);
      s[j] = p;
      sum += p;
    }
    for (int j = nv; j < n; ++j) s[j] = T(0);
#endif
    return sum;
  }

  // Host: the cache lines of part `part` of `parts` of [p, p + bytes) asked for into L2 (the
  // product loops call it once per micro-tile, so the next tile streams in under them). Nothing
  // on devices, whose warps keep their own loads in flight.
  KOKKOS_FORCEINLINE_FUNCTION static void prefetch_part(const T* p, std::int64_t bytes, int part,
                                                        int parts) {
#if !defined(__CUDA_ARCH__) && !defined(__HIP_DEVICE_COMPILE__)
    const std::int64_t lines = (bytes + 63) / 64;
    const char* c = reinterpret_cast<const char*>(p);
    for (std::int64_t l = lines * part / parts; l < lines * (part + 1) / parts; ++l) {
      __builtin_prefetch(c + l * 64, 0, 1);
    }
#else
    (void)p, (void)bytes, (void)part, (void)parts;
#endif
  }

  // attention_shape's helpers are host functions; these are their device-callable twins.
  KOKKOS_INLINE_FUNCTION std::int64_t last_key(std::int64_t i) const {
    return a.s.causal ? i + a.s.skv - a.s.sq : std::int64_t(a.s.skv) - 1;
  }
  KOKKOS_INLINE_FUNCTION std::int64_t all_rows() const {
    return std::int64_t(a.s.batch) * a.s.hq * a.s.sq;
  }

  KOKKOS_INLINE_FUNCTION void operator()(const member_type& team) const {
    const attention_shape& sh = a.s;
    const int d = sh.d;
    const int rank = team.league_rank();
    const int qt = rank % q_tiles;
    const int split = (rank / q_tiles) % splits;
    const std::int64_t bg = rank / (q_tiles * splits);  // batch * hkv + KV head
    const std::int64_t group_rows = std::int64_t(sh.hq / sh.hkv) * sh.sq;
    const std::int64_t r0 = std::int64_t(qt) * tile_q;
    const int rows = group_rows - r0 < tile_q ? static_cast<int>(group_rows - r0) : tile_q;
    const int mt_rows = (rows + RM - 1) / RM;
    const int padded_rows = mt_rows * RM;
    const std::int64_t row0 = bg * group_rows + r0;  // global query row of the tile's first row
    const T* q = a.q + row0 * d;
    const T* k = a.k + bg * sh.skv * d;
    const T* v = a.v + bg * sh.skv * d;
    const std::int64_t c0 = std::int64_t(split) * kv_chunk;
    std::int64_t c1 = c0 + kv_chunk < sh.skv ? c0 + kv_chunk : sh.skv;
    if (sh.causal) {
      // The last key any row of the tile sees: its largest position (rows cycle through
      // positions 0..sq-1 once per query head of the group).
      const std::int64_t first_i = r0 % sh.sq;
      const std::int64_t max_i = first_i + rows - 1 < sh.sq ? first_i + rows - 1 : sh.sq - 1;
      const std::int64_t last = last_key(max_i);
      if (last + 1 < c1) c1 = last + 1;
    }

    const int sr = score_rows(tile_q, stage_k);
    scratch_view qs(team.team_scratch(level), std::size_t(sr) * d);
    scratch_view kt(team.team_scratch(level), stage_k == 0 ? std::size_t(d) * tile_k : 0);
    scratch_view vs(team.team_scratch(level), std::size_t(tile_k) * dp);
    scratch_view ss(team.team_scratch(level), std::size_t(sr) * tile_k);
    scratch_view pp(team.team_scratch(level), std::size_t(tile_q) * tile_k);
    scratch_view os(team.team_scratch(level), std::size_t(tile_q) * dp);
    scratch_view ms(team.team_scratch(level), std::size_t(tile_q));
    scratch_view ls(team.team_scratch(level), std::size_t(tile_q));
    scratch_view as(team.team_scratch(level), std::size_t(tile_q));

    if (team_map == 1) {
      // Flat: element e of the tile is row e / d, column e % d, so a warp reads a row's
      // consecutive elements (one coalesced segment) whichever layout scratch takes.
      Kokkos::parallel_for(Kokkos::TeamVectorRange(team, (stage_k == 0 ? padded_rows : sr) * d),
                           [&](const int e) {
                             const int r = e / d;
                             const int c = e - r * d;
                             const T x = r < rows ? q[std::int64_t(r) * d + c] : T(0);
                             if (stage_k == 0) {
                               qs(std::size_t(r) * d + c) = x;
                             } else {
                               qs(std::size_t(c) * sr + r) = x;
                             }
                           });
    } else if (stage_k == 0) {
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, padded_rows), [&](const int r) {
        const bool inside = r < rows;
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, d), [&](const int c) {
          qs(std::size_t(r) * d + c) = inside ? q[std::int64_t(r) * d + c] : T(0);
        });
      });
    } else {
      // Q transposed, [d][sr], zero columns past the tile's rows.
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, sr), [&](const int r) {
        const bool inside = r < rows;
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, d), [&](const int c) {
          qs(std::size_t(c) * sr + r) = inside ? q[std::int64_t(r) * d + c] : T(0);
        });
      });
    }
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, padded_rows), [&](const int r) {
      Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, dp),
                           [&](const int c) { os(std::size_t(r) * dp + c) = T(0); });
      Kokkos::single(Kokkos::PerThread(team), [&]() {
        ms(r) = Kokkos::reduction_identity<T>::max();
        ls(r) = T(0);
        as(r) = T(1);
      });
    });
    team.team_barrier();

    for (std::int64_t kb = c0; kb < c1; kb += tile_k) {
      const int kn = c1 - kb < tile_k ? static_cast<int>(c1 - kb) : tile_k;
      const int kn_pad = (kn + RN - 1) / RN * RN;
      // K tile transposed (keys contiguous, zero keys up to whole micro-tiles); V tile as rows,
      // zero columns up to dp. Copy and padding are separate loops (see the GEMM's B panel).
      // Host: the next key tile's K and V rows are asked for (into L2) piece by piece while this
      // tile's products run, so DRAM streams under them: with K in place, each S^T micro-tile asks
      // for its keys' rows of the next tile one line per K step; with K staged, each S micro-tile
      // asks for a share of the next K rows and each P V micro-tile a share of the next V rows.
      // Without prefetching a decode step streamed K at a quarter of the load ceiling (Zen 4 VM).
      // With the whole next tile asked for in one burst at the top of a step, half of a decode
      // step's samples sat on that loop waiting for fill buffers while no product ran (perf, Xeon
      // VM, 2026-12-04); spread under the S^T FMAs the same decode went from 55% to 62-64% of the
      // DRAM load ceiling. The first tile of a chunk has nothing before it to hide under.
      const std::int64_t next = kb + tile_k;
      const std::int64_t row_bytes = std::int64_t(d) * std::int64_t(sizeof(T));
      const std::int64_t next_keys = next < c1 ? (c1 - next < tile_k ? c1 - next : tile_k) : 0;
      const std::int64_t next_bytes = next_keys * row_bytes;
      if (kb == c0) {
        prefetch_part(k + kb * d, kn * row_bytes, 0, 1);
        prefetch_part(v + kb * d, kn * row_bytes, 0, 1);
      }
      // With K in place, V is read in place too when its rows are whole micro-tiles (d == dp).
      const bool v_in_place = stage_k == 1 && d == dp;
      if (team_map == 1) {
        // Flat: consecutive threads on consecutive elements of a K (V) row: coalesced reads. The
        // transposed K store strides through scratch (bank conflicts cost less than a warp's
        // eight separate row segments).
        if (stage_k == 0) {
          Kokkos::parallel_for(Kokkos::TeamVectorRange(team, kn_pad * d), [&](const int e) {
            const int j = e / d;
            const int c = e - j * d;
            kt(std::size_t(c) * tile_k + j) = j < kn ? k[(kb + j) * d + c] : T(0);
          });
        }
        if (!v_in_place) {
          Kokkos::parallel_for(Kokkos::TeamVectorRange(team, kn * dp), [&](const int e) {
            const int j = e / dp;
            const int c = e - j * dp;
            vs(e) = c < d ? v[(kb + j) * d + c] : T(0);
          });
        }
      }
      Kokkos::parallel_for(
          Kokkos::TeamThreadRange(team, team_map == 1  ? 0
                                        : stage_k == 0 ? kn_pad
                                                       : (v_in_place ? 0 : kn)),
          [&](const int j) {
            if (j < kn) {
              if (stage_k == 0) {
                const T* krow = k + (kb + j) * d;
                Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, d), [&](const int c) {
                  kt(std::size_t(c) * tile_k + j) = krow[c];
                });
              }
              const T* vrow = v + (kb + j) * d;
              T* vdst = vs.data() + std::size_t(j) * dp;
              Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, d),
                                   [&](const int c) { vdst[c] = vrow[c]; });
              Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, dp - d),
                                   [&](const int c) { vdst[d + c] = T(0); });
            } else {
              Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, d),
                                   [&](const int c) { kt(std::size_t(c) * tile_k + j) = T(0); });
            }
          });
      team.team_barrier();

      // S = Q K^T * scale over whole micro-tiles (padding rows and keys are zeros), or with K in
      // place S^T = K Q^T: RM keys (broadcast from K's rows) x RN queries (a row of Q^T).
      if (stage_k == 1) {
        const int mk_n = (kn + RM - 1) / RM;
        const int mq_n = (rows + RN - 1) / RN;
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, mk_n), [&](const int mk) {
          Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, mq_n), [&](const int mq) {
            // This micro-tile's keys in the next tile (the first query micro-tile asks for them).
            const std::int64_t nk = mq != 0                   ? 0
                                    : next_keys - mk * RM < RM ? next_keys - mk * RM
                                                               : RM;
            const std::int64_t lines = nk > 0 ? (nk * row_bytes + 63) / 64 : 0;
            const T* next_k = k + (next + mk * RM) * d;
            const T* next_v = v + (next + mk * RM) * d;
            // One pointer per K row (GCC keeps them in registers; the same rows addressed as
            // base + r * d from a runtime d were spilled to the stack, measured with perf).
            const T* krows[RM];
            RIDGELINE_UNROLL
            for (int r = 0; r < RM; ++r) {
              const int j = mk * RM + r;
              krows[r] = k + (kb + (j < kn ? j : kn - 1)) * d;
            }
            T acc[RM][RN] = {};
            micro_tile_rows<T, RM, RN>(d, krows, qs.data() + mq * RN, sr, acc,
                                       reinterpret_cast<const char*>(next_k),
                                       reinterpret_cast<const char*>(next_v), lines);
            if (lines > d) {  // more lines than K steps (f64 rows with RM > 8): the rest
              const std::int64_t past = std::int64_t(d) * 64 / std::int64_t(sizeof(T));
              prefetch_part(next_k + past, (lines - d) * 64, 0, 1);
              prefetch_part(next_v + past, (lines - d) * 64, 0, 1);
            }
            RIDGELINE_UNROLL
            for (int r = 0; r < RM; ++r) {
              T* scol = ss.data() + std::size_t(mq) * RN * tile_k + mk * RM + r;
              for (int c = 0; c < RN; ++c) scol[std::size_t(c) * tile_k] = acc[r][c] * a.scale;
            }
          });
        });
      } else {
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, mt_rows), [&](const int mr) {
          Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, kn_pad / RN), [&](const int mc) {
            prefetch_part(k + next * d, next_bytes, mr * (kn_pad / RN) + mc,
                          mt_rows * (kn_pad / RN));
            T acc[RM][RN] = {};
            micro_tile<T, RM, RN>(d, qs.data() + std::size_t(mr) * RM * d, d, 1,
                                  kt.data() + mc * RN, tile_k, acc);
            RIDGELINE_UNROLL
            for (int r = 0; r < RM; ++r) {
              T* srow = ss.data() + std::size_t(mr * RM + r) * tile_k + mc * RN;
              RIDGELINE_SIMD
              for (int c = 0; c < RN; ++c) srow[c] = acc[r][c] * a.scale;
            }
          });
        });
      }
      team.team_barrier();

      // Online softmax: new running max, rescale factor of what was accumulated, P = e^(S - m)
      // with masked keys exactly 0. A row that has seen no key keeps m = lowest and l = 0.
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, padded_rows), [&](const int r) {
        T* srow = ss.data() + std::size_t(r) * tile_k;
        int nv = 0;  // visible keys of this tile for row r (padding rows: none)
        if (r < rows) {
          const std::int64_t last = last_key((r0 + r) % sh.sq);
          const std::int64_t n = last - kb + 1;
          nv = n < 0 ? 0 : (n < kn ? static_cast<int>(n) : kn);
        }
        const T mx = row_max(team, srow, nv);
        const T m_old = ms(r);
        const T m_new = mx > m_old ? mx : m_old;
        const T alpha = softmax_exp(m_old - m_new);
        const T sum = row_exp(team, srow, nv, kn, m_new);
        Kokkos::single(Kokkos::PerThread(team), [&]() {
          ls(r) = ls(r) * alpha + sum;
          ms(r) = m_new;
          as(r) = alpha;
        });
      });
      team.team_barrier();

      // P packed as one [key][RM] block per micro-tile row (as BLIS packs A): the P V
      // micro-kernel then walks one pointer instead of RM rows at a runtime stride, which the
      // compiler spilled to the stack on every key (measured: half of a decode step).
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, mt_rows), [&](const int mr) {
        T* dst = pp.data() + std::size_t(mr) * RM * tile_k;
        const T* src = ss.data() + std::size_t(mr) * RM * tile_k;
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, kn), [&](const int j) {
          RIDGELINE_UNROLL
          for (int r = 0; r < RM; ++r) dst[j * RM + r] = src[std::size_t(r) * tile_k + j];
        });
      });
      team.team_barrier();

      // O = O * rescale + P V.
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, mt_rows), [&](const int mr) {
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, dp / RN), [&](const int mc) {
          if (stage_k == 0) {
            prefetch_part(v + next * d, next_bytes, mr * (dp / RN) + mc, mt_rows * (dp / RN));
          }
          T acc[RM][RN];
          RIDGELINE_UNROLL
          for (int r = 0; r < RM; ++r) {
            const T alpha = as(mr * RM + r);
            const T* orow = os.data() + std::size_t(mr * RM + r) * dp + mc * RN;
            RIDGELINE_SIMD
            for (int c = 0; c < RN; ++c) acc[r][c] = alpha * orow[c];
          }
          if (v_in_place) {
            micro_tile<T, RM, RN>(kn, pp.data() + std::size_t(mr) * RM * tile_k, 1, RM,
                                  v + kb * d + mc * RN, d, acc);
          } else {
            micro_tile<T, RM, RN>(kn, pp.data() + std::size_t(mr) * RM * tile_k, 1, RM,
                                  vs.data() + mc * RN, dp, acc);
          }
          RIDGELINE_UNROLL
          for (int r = 0; r < RM; ++r) {
            T* orow = os.data() + std::size_t(mr * RM + r) * dp + mc * RN;
            RIDGELINE_SIMD
            for (int c = 0; c < RN; ++c) orow[c] = acc[r][c];
          }
        });
      });
      team.team_barrier();
    }

    // Normalised rows (one chunk), or the chunk's partial row with its m and l.
    if (team_map == 1) {
      Kokkos::parallel_for(Kokkos::TeamVectorRange(team, rows * d), [&](const int e) {
        const int r = e / d;
        const int c = e - r * d;
        const T x = os(std::size_t(r) * dp + c);
        if (splits == 1) {
          const T l = ls(r);
          a.o[(row0 + r) * d + c] = l > T(0) ? x / l : T(0);  // a row that saw no key is 0
        } else {
          const std::int64_t at = std::int64_t(split) * all_rows() + row0 + r;
          part_o[at * d + c] = x;
          if (c == 0) {
            part_m[at] = ms(r);
            part_l[at] = ls(r);
          }
        }
      });
      return;
    }
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, rows), [&](const int r) {
      const T* orow = os.data() + std::size_t(r) * dp;
      if (splits == 1) {
        const T l = ls(r);
        const T inv = l > T(0) ? T(1) / l : T(0);  // a row that saw no key is 0
        T* out = a.o + (row0 + r) * d;
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, d),
                             [&](const int c) { out[c] = orow[c] * inv; });
      } else {
        const std::int64_t at = std::int64_t(split) * all_rows() + row0 + r;
        T* out = part_o + at * d;
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, d),
                             [&](const int c) { out[c] = orow[c]; });
        Kokkos::single(Kokkos::PerThread(team), [&]() {
          part_m[at] = ms(r);
          part_l[at] = ls(r);
        });
      }
    });
  }
};

// Combines the chunks of every query row: O = sum_s e^(m_s - M) o_s / sum_s e^(m_s - M) l_s with
// M = max_s m_s; one element of O per work item (a decode step has few rows but d columns each).
template <class T>
struct attention_combine_functor {
  T* o;
  const T *part_o, *part_m, *part_l;
  std::int64_t rows;
  int d, splits;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t e) const {
    const std::int64_t row = e / d;
    const int c = static_cast<int>(e - row * d);
    T m = Kokkos::reduction_identity<T>::max();
    for (int s = 0; s < splits; ++s) {
      const T ms = part_m[s * rows + row];
      m = ms > m ? ms : m;
    }
    T l = 0, acc = 0;
    for (int s = 0; s < splits; ++s) {
      const std::int64_t at = s * rows + row;
      const T w = softmax_exp(part_m[at] - m);
      l += w * part_l[at];
      acc += w * part_o[at * d + c];
    }
    o[e] = l > T(0) ? acc / l : T(0);
  }
};

// cfg with scratch=auto replaced by level 0 when the tiles fit its maximum on Space, else 1.
template <class T, class Space, int RM, int RN>
attention_flash_config resolve_scratch(const attention_shape& s, attention_flash_config cfg) {
  using functor = attention_flash_functor<T, Space, RM, RN>;
  if (cfg.scratch != 2) return cfg;
  const std::size_t need = functor::scratch_bytes(cfg.tile_q, cfg.tile_k, s.d, cfg.stage_k);
  cfg.scratch = need <= static_cast<std::size_t>(functor::policy_type::scratch_size_max(0)) ? 0 : 1;
  return cfg;
}

template <class T, class Space, int RM, int RN>
std::string flash_limits(const attention_shape& s, const attention_flash_config& asked) {
  using functor = attention_flash_functor<T, Space, RM, RN>;
  using policy = typename functor::policy_type;
  const attention_flash_config cfg = resolve_scratch<T, Space, RM, RN>(s, asked);
  if (std::string why = team_shape_limit<policy>(functor{}, cfg.team_size, cfg.vector_length);
      !why.empty()) {
    return why;
  }
  return scratch_limit<policy>(
      cfg.scratch, functor::scratch_bytes(cfg.tile_q, cfg.tile_k, s.d, cfg.stage_k),
      fmt::format("tile_q, tile_k, d = {}, {}, {}", cfg.tile_q, cfg.tile_k, s.d));
}

inline int flash_splits(const attention_shape& s, const attention_flash_config& cfg) {
  return static_cast<int>((std::int64_t(s.skv) + cfg.kv_chunk - 1) / cfg.kv_chunk);
}

// Waves of resident teams kv_chunk=auto asks for. GPU 2: a second block per slot is ready to
// stream while the first writes its partial rows. CPU 4: one team per thread is left unbalanced
// by any thread the OS takes away (dynamic scheduling evens out 4). Neither is a measured
// optimum; kv_chunk stays an axis for the tuner.
constexpr std::int64_t auto_waves_gpu = 2, auto_waves_host = 4;

// cfg with kv_chunk=auto replaced by the chunk attention_splits.hpp chooses for this shape on this
// device; an explicit kv_chunk passes through.
template <class T, class Space, int RM, int RN>
attention_flash_config resolve_kv_chunk(const attention_shape& s, attention_flash_config cfg,
                                        const std::string& backend) {
  if (cfg.kv_chunk != 0) return cfg;
  using functor = attention_flash_functor<T, Space, RM, RN>;
  const device_units u = query_device_units(backend);
  team_residency r;
  if (u.gpu) {
    // Only level 0 lives in the SM's shared memory; level 1 is global memory.
    const std::int64_t scratch = cfg.scratch == 0
                                     ? static_cast<std::int64_t>(functor::scratch_bytes(
                                           cfg.tile_q, cfg.tile_k, s.d, cfg.stage_k))
                                     : 0;
    r.units = u.units;
    r.teams_per_unit =
        teams_per_unit(std::int64_t(cfg.team_size) * cfg.vector_length, scratch,
                       u.max_threads_per_unit, u.scratch_bytes_per_unit, u.max_teams_per_unit);
    r.waves = auto_waves_gpu;
  } else {
    r.units = u.units / cfg.team_size > 0 ? u.units / cfg.team_size : 1;
    r.waves = auto_waves_host;
  }
  const std::int64_t group_rows = std::int64_t(s.group()) * s.sq;
  const kv_split_problem p{std::int64_t(s.batch) * s.hkv,
                           (group_rows + cfg.tile_q - 1) / cfg.tile_q, s.skv, cfg.tile_k};
  cfg.kv_chunk = static_cast<int>(auto_kv_chunk(p, r));
  return cfg;
}

template <class T, class Space, int RM, int RN>
void flash_launch(const attention_args<T>& a, const attention_flash_config& cfg,
                  const flash_partials<T, Space>& part) {
  using functor = attention_flash_functor<T, Space, RM, RN>;
  const attention_shape& s = a.s;
  functor f;
  f.a = a;
  f.tile_q = cfg.tile_q;
  f.tile_k = cfg.tile_k;
  f.level = cfg.scratch;
  f.stage_k = cfg.stage_k;
  f.team_map = cfg.team_map;
  f.kv_chunk = cfg.kv_chunk;
  const std::int64_t group_rows = std::int64_t(s.group()) * s.sq;
  f.q_tiles = static_cast<int>((group_rows + cfg.tile_q - 1) / cfg.tile_q);
  f.splits = flash_splits(s, cfg);
  f.dp = (s.d + RN - 1) / RN * RN;
  f.part_o = part.o.data();
  f.part_m = part.m.data();
  f.part_l = part.l.data();
  const std::int64_t league = std::int64_t(s.batch) * s.hkv * f.q_tiles * f.splits;
  typename functor::policy_type policy(static_cast<int>(league), cfg.team_size, cfg.vector_length);
  policy.set_scratch_size(cfg.scratch, Kokkos::PerTeam(functor::scratch_bytes(
                                           cfg.tile_q, cfg.tile_k, s.d, cfg.stage_k)));
  Kokkos::parallel_for("ridgeline::attention::kokkos_flash", policy, f);
  if (f.splits > 1) {
    attention_combine_functor<T> c{a.o,      part.o.data(), part.m.data(), part.l.data(),
                                   s.rows(), s.d,           f.splits};
    Kokkos::parallel_for(
        "ridgeline::attention::kokkos_flash_combine",
        Kokkos::RangePolicy<Space, Kokkos::IndexType<std::int64_t>>(0, s.rows() * s.d), c);
  }
}

// Empty when `cfg` can launch on `backend` for this shape (team size, vector length, scratch),
// else why not; nothing is allocated (the tuner's launch_limit).
template <class T>
std::string flash_launch_limit(const attention_shape& s, const attention_flash_config& cfg,
                               const std::string& backend) {
  return with_exec_space(backend, [&](auto space) {
    using Space = decltype(space);
    return dispatch_value_pair<attention_reg_m, attention_reg_n>(
        cfg.reg_m, cfg.reg_n, [&](auto rm, auto rn) {
          return flash_limits<T, Space, decltype(rm)::value, decltype(rn)::value>(s, cfg);
        });
  });
}

template <class T>
prepare_outcome prepare_flash(const attention_shape& s, const attention_flash_config& asked,
                              const launch_context& ctx) {
  return with_exec_space(ctx.backend, [&](auto space) -> prepare_outcome {
    using Space = decltype(space);
    std::string why = dispatch_value_pair<attention_reg_m, attention_reg_n>(
        asked.reg_m, asked.reg_n, [&](auto rm, auto rn) {
          return flash_limits<T, Space, decltype(rm)::value, decltype(rn)::value>(s, asked);
        });
    if (!why.empty()) return {nullptr, std::move(why)};
    const attention_flash_config cfg = dispatch_value_pair<attention_reg_m, attention_reg_n>(
        asked.reg_m, asked.reg_n, [&](auto rm, auto rn) {
          constexpr int RM = decltype(rm)::value, RN = decltype(rn)::value;
          return resolve_kv_chunk<T, Space, RM, RN>(s, resolve_scratch<T, Space, RM, RN>(s, asked),
                                                    ctx.backend);
        });
    const int splits = flash_splits(s, cfg);
    flash_partials<T, Space> part;
    if (splits > 1) {
      // Refused, not attempted, when the partials would not fit (a tiny chunk on a long prefill).
      const double bytes = double(splits) * double(s.rows()) * (s.d + 2) * sizeof(T);
      const double available = double(profiler::memory_available_bytes());
      if (available > 0 && bytes > 0.5 * available) {
        return {nullptr, fmt::format("kv_chunk={} splits skv={} into {} chunks whose partial "
                                     "results need {:.2f} GiB (> half the available memory)",
                                     cfg.kv_chunk, s.skv, splits, bytes / (1 << 30))};
      }
      const std::size_t n = std::size_t(splits) * std::size_t(s.rows());
      part.o = decltype(part.o)(Kokkos::ViewAllocateWithoutInitializing("ridgeline::attn::part_o"),
                                n * std::size_t(s.d));
      part.m =
          decltype(part.m)(Kokkos::ViewAllocateWithoutInitializing("ridgeline::attn::part_m"), n);
      part.l =
          decltype(part.l)(Kokkos::ViewAllocateWithoutInitializing("ridgeline::attn::part_l"), n);
    }
    auto launch = [cfg, part](const attention_args<T>& a) {
      dispatch_value_pair<attention_reg_m, attention_reg_n>(
          cfg.reg_m, cfg.reg_n, [&](auto rm, auto rn) {
            flash_launch<T, Space, decltype(rm)::value, decltype(rn)::value>(a, cfg, part);
          });
    };
    std::vector<std::pair<std::string, std::string>> prov = {
        {"attention_kv_splits", std::to_string(splits)},
        {"attention_kv_chunk", std::to_string(cfg.kv_chunk)},
        {"attention_scratch_level", std::to_string(cfg.scratch)},
        {"attention_reg_n", std::to_string(cfg.reg_n)}};
    return {std::make_unique<attention_instance<T, Space>>(s, ctx.copies, launch, std::move(prov)),
            {}};
  });
}

}  // namespace ridgeline::kernels::detail
