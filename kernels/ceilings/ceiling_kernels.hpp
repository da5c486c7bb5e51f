#pragma once
// The micro-benchmark kernels behind `ridgeline ceilings`. Host backends: one worker per thread,
// each sweeping its own contiguous chunk `reps` times inside one launch (a launch per pass would
// measure OpenMP's fork/join, not an L1-resident loop). Device backends: the *_strided kernels,
// one pass per launch, U elements per thread a whole grid apart (coalesced, U loads in flight).
#include <Kokkos_Core.hpp>
#include <cstdint>

#include "kernels/host_simd.hpp"
#include "kernels/unroll.hpp"

namespace ridgeline::kernels::detail {

// The bandwidth kernels, streams counted as likwid-bench does: load reads one array; copy reads
// x and writes out; triad reads x and y and writes out = x + scale * y. Copy and triad share
// one kernel per backend shape, differing only in the second operand.
enum class stream_kind { load, copy, triad };

// CHAINS independent multiply-adds per work item, kept in registers: on GPUs 16 scalars per thread
// (hosts use fma_vector_chains below when the build has explicit host vectors).
// Views live in the memory space of the execution space the functor runs on (Memory).
template <class T, int CHAINS, class Memory>
struct fma_chains {
  Kokkos::View<T*, Memory> out;
  int iterations;
  T a, b;

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    T x[CHAINS];
    RIDGELINE_SIMD
    for (int c = 0; c < CHAINS; ++c) x[c] = T(i + c) * T(1e-9);
    for (int it = 0; it < iterations; ++it) {
      RIDGELINE_SIMD
      for (int c = 0; c < CHAINS; ++c) x[c] = x[c] * a + b;
    }
    T s = 0;
    for (int c = 0; c < CHAINS; ++c) s += x[c];
    out(i) = s;  // keeps the chains alive
  }
  static constexpr double flops_per_item_iteration() { return 2.0 * CHAINS; }
};

// Sums its chunk with 8 x W independent accumulators (W = vector lanes on hosts, 1 on devices).
template <class T, int W, class Memory>
struct load_stream {
  Kokkos::View<const T*, Memory> a;
  Kokkos::View<T*, Memory> sink;
  std::int64_t chunk;
  int reps;

  KOKKOS_INLINE_FUNCTION void operator()(const int w) const {
    T acc[8][W] = {};
    const T* p = a.data() + w * chunk;
    for (int r = 0; r < reps; ++r) {
      for (std::int64_t j = 0; j < chunk; j += 8 * W) {
        RIDGELINE_UNROLL
        for (int u = 0; u < 8; ++u) {
          RIDGELINE_SIMD
          for (int l = 0; l < W; ++l) acc[u][l] += p[j + u * W + l];
        }
      }
    }
    T s = 0;
    for (int u = 0; u < 8; ++u) {
      for (int l = 0; l < W; ++l) s += acc[u][l];
    }
    sink(w) = s;
  }
};

#if defined(RIDGELINE_HOST_SIMD)
// Host peak: `chains` independent FMA chains on full-width vector registers of the build's ISA
// (kernels/host_simd.hpp). The FMA latency x FMA ports product is 8-10 on every x86 and Arm core
// in the catalog (4-5 cycles, 2 pipes); 16 chains cover it with margin where 32 registers exist,
// 12 where only 16 do (the two constants need registers too, and a spill would halve the rate).
template <class T, class Memory>
struct fma_vector_chains {
  static constexpr int chains = simd::vector_registers >= 32 ? 16 : 12;
  Kokkos::View<T*, Memory> out;
  int iterations;
  T a, b;

  void operator()(const int i) const {
    using V = simd::vec<T>;
    V x[chains];
    RIDGELINE_UNROLL
    for (int c = 0; c < chains; ++c) x[c] = simd::broadcast<T>(T(i + c) * T(1e-9));
    const V va = simd::broadcast<T>(a);
    const V vb = simd::broadcast<T>(b);
    for (int it = 0; it < iterations; ++it) {
      RIDGELINE_UNROLL
      for (int c = 0; c < chains; ++c) x[c] = x[c] * va + vb;
    }
    V s = x[0];
    for (int c = 1; c < chains; ++c) s += x[c];
    out(i) = simd::sum<T>(s);  // keeps the chains alive
  }
  static constexpr double flops_per_item_iteration() { return 2.0 * chains * simd::lanes<T>; }
};

// Host load sweep on full-width vectors: plain loads into registers, kept by simd::keep, with no
// arithmetic on them (as likwid-bench's load kernels). Folding them with an FP add or integer XOR
// bounded the loop by the vector ALU ports (2 per cycle on Sapphire Rapids, equal to its loads)
// and measured 0.75-0.81 of likwid-bench's L1 load. `chunk` is a multiple of 16 x 64 bytes.
template <class T, class Memory>
struct load_vector_stream {
  Kokkos::View<const T*, Memory> a;
  Kokkos::View<T*, Memory> sink;
  std::int64_t chunk;
  int reps;

  void operator()(const int w) const {
    constexpr int unroll = 16;
    constexpr int L = simd::vector_bytes / static_cast<int>(sizeof(T));  // elements per vector
    const T* p = a.data() + w * chunk;
    for (int r = 0; r < reps; ++r) {
      for (std::int64_t j = 0; j < chunk; j += unroll * L) {
        RIDGELINE_UNROLL
        for (int u = 0; u < unroll; ++u) simd::keep(simd::load_bits(p + j + u * L));
      }
    }
    sink(w) = T(0);
  }
};
#endif

// What copy and triad read and write: out = x (copy) or out = x + scale * y (triad).
template <stream_kind K, class T, class Memory>
struct write_operands {
  static_assert(K != stream_kind::load, "load streams have kernels of their own");
  Kokkos::View<T*, Memory> out;
  Kokkos::View<const T*, Memory> x, y;  // y: triad only
  T scale;
};

// Host copy and triad: each worker streams its own chunk `reps` times. Vectors: 4 full-width
// vectors of the build's ISA per step (needs RIDGELINE_HOST_SIMD); else a loop for the
// auto-vectorizer.
template <stream_kind K, bool Vectors, class T, class Memory>
struct write_stream : write_operands<K, T, Memory> {
  std::int64_t chunk;
  int reps;

  KOKKOS_INLINE_FUNCTION void operator()(const int w) const {
    // Locals, not members: the stores could alias the functor's members for the compiler,
    // which would then reload them inside the loop.
    [[maybe_unused]] const T s = this->scale;
    T* o = this->out.data() + w * chunk;
    const T* px = this->x.data() + w * chunk;
    [[maybe_unused]] const T* py = K == stream_kind::triad ? this->y.data() + w * chunk : nullptr;
    for (int r = 0; r < reps; ++r) {
#if defined(RIDGELINE_HOST_SIMD)
      if constexpr (Vectors) {
        constexpr int L = simd::lanes<T>;
        for (std::int64_t j = 0; j < chunk; j += 4 * L) {
          RIDGELINE_UNROLL
          for (int u = 0; u < 4; ++u) {
            simd::vec<T> v = simd::load(px + j + u * L);
            if constexpr (K == stream_kind::triad) {
              v = v + simd::broadcast<T>(s) * simd::load(py + j + u * L);
            }
            simd::store(o + j + u * L, v);
          }
        }
        continue;
      }
#else
      static_assert(!Vectors, "explicit host vectors need RIDGELINE_HOST_SIMD");
#endif
      RIDGELINE_SIMD
      for (std::int64_t j = 0; j < chunk; ++j) {
        if constexpr (K == stream_kind::triad) {
          o[j] = px[j] + s * py[j];
        } else {
          o[j] = px[j];
        }
      }
    }
  }
};

// Device backends. Thread t of `threads` touches elements t, t + threads, …, t + (U-1)·threads:
// each of the U accesses is coalesced across a warp, and all U loads are issued before any is
// used. One 8-byte load per thread cannot cover HBM latency: on the H200 (2026-11-26,
// docs/device-runs.md) that design read 0.84 TB/s where a plain device copy moved 4.2 TB/s.
template <class T, int U, class Memory>
struct load_strided {
  Kokkos::View<const T*, Memory> a;
  Kokkos::View<T*, Memory> sink;
  std::int64_t threads;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t t) const {
    T x[U];
    RIDGELINE_UNROLL
    for (int u = 0; u < U; ++u) x[u] = a(t + u * threads);
    T s = 0;
    RIDGELINE_UNROLL
    for (int u = 0; u < U; ++u) s += x[u];
    // Never true for the positive fill values; it keeps the loads without writing a sink per
    // thread (which would add 1/U of the read traffic).
    if (s < T(0)) sink(0) = s;
  }
};

// Device copy and triad: all U loads of a thread before its stores (a store between them could
// alias a later load for the compiler).
template <stream_kind K, class T, int U, class Memory>
struct write_strided : write_operands<K, T, Memory> {
  std::int64_t threads;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t t) const {
    T vx[U];
    [[maybe_unused]] T vy[U];  // triad only
    RIDGELINE_UNROLL
    for (int u = 0; u < U; ++u) {
      vx[u] = this->x(t + u * threads);
      if constexpr (K == stream_kind::triad) vy[u] = this->y(t + u * threads);
    }
    RIDGELINE_UNROLL
    for (int u = 0; u < U; ++u) {
      if constexpr (K == stream_kind::triad) {
        this->out(t + u * threads) = vx[u] + this->scale * vy[u];
      } else {
        this->out(t + u * threads) = vx[u];
      }
    }
  }
};

}  // namespace ridgeline::kernels::detail
