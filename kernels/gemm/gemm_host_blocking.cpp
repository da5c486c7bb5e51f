#include "kernels/gemm/gemm_host_blocking.hpp"

#include <algorithm>

#include "profiler/cpu_info.hpp"

namespace ridgeline::kernels {

namespace {
// The reference product the default keeps every core busy on: 4096 x 4096 (the hidden sizes of
// 7B-70B models), 512-column tiles, at least two tiles per core.
constexpr std::int64_t reference_rows = 4096;
constexpr std::int64_t reference_columns = 4096;
constexpr std::int64_t reference_tile_n = 512;
constexpr std::int64_t tiles_per_core = 2;
constexpr std::int64_t max_tile_m = 1024;
constexpr std::int64_t max_tile_n = 1024;
constexpr std::int64_t reference_tile_k = 128;
}  // namespace

host_gemm_blocking choose_host_gemm_blocking(const host_cache_sizes& caches, int element_bytes,
                                             int reg_m, int reg_n,
                                             const std::vector<std::int64_t>& tile_m_values,
                                             const std::vector<std::int64_t>& tile_n_values,
                                             const std::vector<std::int64_t>& tile_k_values) {
  const std::int64_t elem = element_bytes;
  const std::int64_t l1_budget = static_cast<std::int64_t>(caches.l1d_bytes) * 2 / 3;
  const std::int64_t l2_budget = static_cast<std::int64_t>(caches.l2_bytes) * 3 / 4;
  const std::int64_t cores = std::max(1, caches.cores);
  const std::int64_t parallel_rows =
      reference_rows * (reference_columns / reference_tile_n) / (tiles_per_core * cores);
  host_gemm_blocking b;
  b.tile_m = static_cast<int>(reg_m);  // one micro-tile: always valid
  for (const std::int64_t v : tile_m_values) {
    if (v % reg_m != 0 || v > max_tile_m || v > parallel_rows) continue;
    if (v * reference_tile_k * elem <= l2_budget || v == reg_m) b.tile_m = static_cast<int>(v);
  }
  b.tile_k = static_cast<int>(tile_k_values.front());
  for (const std::int64_t v : tile_k_values) {
    if (v * reg_n * elem <= l1_budget && b.tile_m * v * elem <= l2_budget) {
      b.tile_k = static_cast<int>(v);
    }
  }
  b.tile_n = static_cast<int>(reference_tile_n);
  const std::int64_t row_tiles = (reference_rows + b.tile_m - 1) / b.tile_m;
  for (const std::int64_t v : tile_n_values) {
    if (v <= reference_tile_n || v > max_tile_n || v % reg_n != 0) continue;
    if (b.tile_k * v * elem <= l2_budget &&
        row_tiles * (reference_columns / v) >= tiles_per_core * cores) {
      b.tile_n = static_cast<int>(v);
    }
  }
  return b;
}

host_cache_sizes this_host_cache_sizes() {
  const profiler::cpu_info& cpu = profiler::this_cpu();
  host_cache_sizes s;
  s.l1d_bytes = 32 * 1024;
  s.l2_bytes = 1024 * 1024;
  for (const profiler::cache_level& c : cpu.caches) {
    if (c.size_bytes == 0) continue;
    if (c.level == 1 && c.type == "Data") s.l1d_bytes = c.size_bytes;
    if (c.level == 2 && c.type != "Instruction") s.l2_bytes = c.size_bytes;
  }
  s.cores = cpu.physical_cores > 0 ? cpu.physical_cores : std::max(1, cpu.logical_cpus);
  return s;
}

}  // namespace ridgeline::kernels
