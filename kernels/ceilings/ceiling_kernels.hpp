#pragma once
// The micro-benchmark kernels behind `ridgeline ceilings`. Host backends: one worker per thread,
// each sweeping its own contiguous chunk `reps` times inside one launch (a launch per pass would
// measure OpenMP's fork/join, not an L1-resident loop). Device backends: one element per thread,
// one pass per launch, consecutive threads on consecutive elements (coalesced).
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

}  // namespace ridgeline::kernels::detail
