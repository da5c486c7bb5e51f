#pragma once
// The lowest time the roofline allows for a kernel's work on a device: the larger of the compute
// time (each precision/unit's FLOPs over its own roof, summed) and each memory level's minimal
// bytes over that level's bandwidth. The tuner's "within X% of the roof" stop compares against it.
#include <optional>
#include <string>

#include "profiler/roofs.hpp"
#include "profiler/work_model.hpp"

namespace ridgeline::profiler {

struct floor_time {
  double seconds = 0;
  std::string bound;  // "compute (f32 simt)" or "dram bandwidth"
};

// None when a FLOP count or byte count has no roof to judge it (the floor would be too low).
std::optional<floor_time> roofline_floor(const work_model& work, const roof_set& roofs);

}  // namespace ridgeline::profiler
