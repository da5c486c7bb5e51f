#pragma once
// Cache blocking of the host GEMM default from the machine's own caches and core count (issue 13:
// nothing may assume the machine it was written on). A pure function of its inputs, so tests can
// ask what it picks on machines they do not run on.
#include <cstdint>
#include <vector>

namespace ridgeline::kernels {

struct host_cache_sizes {
  std::uint64_t l1d_bytes = 0;  // one core's L1 data cache
  std::uint64_t l2_bytes = 0;   // one core's L2 (or the level that a core's A panel lives in)
  int cores = 1;
};

struct host_gemm_blocking {
  int tile_m = 0;
  int tile_n = 0;
  int tile_k = 0;
};

// tile_m: the most rows (values of `tile_m_values`, whole reg_m micro-tiles, at most 1024) whose
// A panel at K steps of 128 fits 3/4 of L2 and that still leave every core two tiles of a
// 4096 x 4096 product in 512-column tiles. tile_k: the deepest step (values of `tile_k_values`)
// whose B micro-panel (tile_k x reg_n) fits 2/3 of L1 and whose A panel fits 3/4 of L2.
// tile_n: 512 columns, widened (values of `tile_n_values`, whole reg_n micro-tiles, at most 1024)
// while the packed B panel (tile_k x tile_n) fits 3/4 of L2 and the 4096 x 4096 product still has
// two tiles per core — each team packs its own A panel, so a wider tile packs A fewer times.
// gemm_tiled.cpp says what this gave on which machine.
host_gemm_blocking choose_host_gemm_blocking(const host_cache_sizes& caches, int element_bytes,
                                             int reg_m, int reg_n,
                                             const std::vector<std::int64_t>& tile_m_values,
                                             const std::vector<std::int64_t>& tile_n_values,
                                             const std::vector<std::int64_t>& tile_k_values);

// This host's sizes (profiler::this_cpu()), with 32 KiB / 1 MiB where the kernel does not say.
host_cache_sizes this_host_cache_sizes();

}  // namespace ridgeline::kernels
