#include "kernels/ceilings/ceiling_levels.hpp"

namespace ridgeline::kernels {

std::string classify_level(std::uint64_t working_set, int threads, const cache_sizes& c) {
  const std::uint64_t per_thread =
      working_set / static_cast<std::uint64_t>(threads > 0 ? threads : 1);
  if (c.l1_per_core > 0 && 2 * per_thread <= c.l1_per_core) return "l1";
  if (c.l2_per_core > 0 && per_thread > c.l1_per_core && 2 * per_thread <= c.l2_per_core) {
    return "l2";
  }
  if (c.llc_total > 0 && per_thread > c.l2_per_core && 2 * working_set <= c.llc_total &&
      c.llc_total != c.l2_per_core) {
    return "llc";
  }
  if (c.llc_total > 0 && working_set >= 4 * c.llc_total) return "dram";
  return {};
}

}  // namespace ridgeline::kernels
