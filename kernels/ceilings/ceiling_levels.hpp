#pragma once
// Which memory level a sweep point exercises, from its total working set, the threads sharing
// it, and the cache sizes. Points near a boundary are left unclassified ("") rather than
// attributed to a level they only partly live in.
#include <cstdint>
#include <string>

namespace ridgeline::kernels {

struct cache_sizes {
  std::uint64_t l1_per_core = 0;  // data cache, one instance
  std::uint64_t l2_per_core = 0;
  std::uint64_t llc_total = 0;  // all instances of the last level
};

// Each thread works on working_set / threads bytes: "l1" when that is at most half of L1, "l2"
// when above L1 and at most half of L2, "llc" when above L2 per thread and the total is at most
// half the LLC, "dram" when the total is at least 4x the LLC; else "".
std::string classify_level(std::uint64_t working_set, int threads, const cache_sizes& caches);

}  // namespace ridgeline::kernels
