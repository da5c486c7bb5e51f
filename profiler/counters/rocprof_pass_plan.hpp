#pragma once
// Pass planning for rocprofv3: which counters go into which rocprofv3 invocation. rocprofv3 fails
// a whole job when its --pmc set does not fit the hardware in one pass (EXCEEDS_HW_LIMIT; older
// releases abort and can hang), so Ridgeline splits the set itself: at most `limit` counters per
// pass, and the counters of one metric's formula kept in the same pass whenever they fit (a sum of
// counters read in one pass is consistent; spread over passes it mixes launches).
#include <cstddef>
#include <string>
#include <vector>

#include "profiler/counters/metric_formulas.hpp"

namespace ridgeline::profiler::counters {

using counter_group = std::vector<std::string>;

// Groups of `counters` (every one exactly once, none outside it) of at most `limit` counters.
// `together` lists sets to keep in one pass when they fit (one per metric, in the order asked);
// counters of no set follow. Deterministic: the same input gives the same plan. limit >= 1.
std::vector<counter_group> plan_passes(const std::vector<std::string>& counters,
                                       const std::vector<counter_group>& together,
                                       std::size_t limit);

// The `together` sets of a metric file: for each of its metrics (in file order) that uses any of
// `counters`, those of its formula's counters that are in `counters`.
std::vector<counter_group> formula_groups(const metric_file& file,
                                          const std::vector<std::string>& counters);

// A group rocprofv3 refused as over the hardware limit, halved (first half the larger). A group
// of one counter cannot be split: returns it unchanged, and the caller reports that counter.
std::vector<counter_group> split_group(const counter_group& group);

}  // namespace ridgeline::profiler::counters
