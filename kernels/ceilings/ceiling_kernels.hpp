#pragma once
// The micro-benchmark kernels behind `ridgeline ceilings`. Host backends: one worker per thread,
// each sweeping its own contiguous chunk `reps` times inside one launch (a launch per pass would
// measure OpenMP's fork/join, not an L1-resident loop). Device backends: the *_strided kernels,
// one pass per launch, U elements per thread a whole grid apart (coalesced, U loads in flight).
#include <Kokkos_Core.hpp>
#include <cstdint>

#include "kernels/unroll.hpp"

namespace ridgeline::kernels::detail {

// CHAINS independent multiply-adds per work item, kept in registers: on AVX-512 hosts 16 vectors'
// worth (the FMA latency x throughput product with margin), on GPUs 16 scalars per thread.
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
