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

template <class T, class Memory>
struct copy_vector_stream {
  Kokkos::View<const T*, Memory> a;
  Kokkos::View<T*, Memory> b;
  std::int64_t chunk;
  int reps;

  void operator()(const int w) const {
    constexpr int L = simd::lanes<T>;
    const T* src = a.data() + w * chunk;
    T* dst = b.data() + w * chunk;
    for (int r = 0; r < reps; ++r) {
      for (std::int64_t j = 0; j < chunk; j += 4 * L) {
        RIDGELINE_UNROLL
        for (int u = 0; u < 4; ++u) simd::store(dst + j + u * L, simd::load(src + j + u * L));
      }
    }
  }
};

template <class T, class Memory>
struct triad_vector_stream {
  Kokkos::View<T*, Memory> a;
  Kokkos::View<const T*, Memory> b, c;
  T scale;
  std::int64_t chunk;
  int reps;

  void operator()(const int w) const {
    using V = simd::vec<T>;
    constexpr int L = simd::lanes<T>;
    const V s = simd::broadcast<T>(scale);
    T* out = a.data() + w * chunk;
    const T* x = b.data() + w * chunk;
    const T* y = c.data() + w * chunk;
    for (int r = 0; r < reps; ++r) {
      for (std::int64_t j = 0; j < chunk; j += 4 * L) {
        RIDGELINE_UNROLL
        for (int u = 0; u < 4; ++u) {
          simd::store(out + j + u * L, simd::load(x + j + u * L) + s * simd::load(y + j + u * L));
        }
      }
    }
  }
};
#endif

template <class T, class Memory>
struct copy_stream {
  Kokkos::View<const T*, Memory> a;
  Kokkos::View<T*, Memory> b;
  std::int64_t chunk;
  int reps;

  KOKKOS_INLINE_FUNCTION void operator()(const int w) const {
    const T* src = a.data() + w * chunk;
    T* dst = b.data() + w * chunk;
    for (int r = 0; r < reps; ++r) {
      RIDGELINE_SIMD
      for (std::int64_t j = 0; j < chunk; ++j) dst[j] = src[j];
    }
  }
};

template <class T, class Memory>
struct triad_stream {
  Kokkos::View<T*, Memory> a;
  Kokkos::View<const T*, Memory> b, c;
  T scale;
  std::int64_t chunk;
  int reps;

  KOKKOS_INLINE_FUNCTION void operator()(const int w) const {
    T* out = a.data() + w * chunk;
    const T* x = b.data() + w * chunk;
    const T* y = c.data() + w * chunk;
    for (int r = 0; r < reps; ++r) {
      RIDGELINE_SIMD
      for (std::int64_t j = 0; j < chunk; ++j) out[j] = x[j] + scale * y[j];
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

template <class T, int U, class Memory>
struct copy_strided {
  Kokkos::View<const T*, Memory> a;
  Kokkos::View<T*, Memory> b;
  std::int64_t threads;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t t) const {
    T x[U];  // all loads first: a store between them could alias a later load for the compiler
    RIDGELINE_UNROLL
    for (int u = 0; u < U; ++u) x[u] = a(t + u * threads);
    RIDGELINE_UNROLL
    for (int u = 0; u < U; ++u) b(t + u * threads) = x[u];
  }
};

template <class T, int U, class Memory>
struct triad_strided {
  Kokkos::View<T*, Memory> a;
  Kokkos::View<const T*, Memory> b, c;
  T scale;
  std::int64_t threads;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t t) const {
    T x[U], y[U];
    RIDGELINE_UNROLL
    for (int u = 0; u < U; ++u) {
      x[u] = b(t + u * threads);
      y[u] = c(t + u * threads);
    }
    RIDGELINE_UNROLL
    for (int u = 0; u < U; ++u) a(t + u * threads) = x[u] + scale * y[u];
  }
};

}  // namespace ridgeline::kernels::detail
