#pragma once
// Where one measurement sits against one roof set: arithmetic intensity per memory level (from the
// measurement's counts — the analytic work model until counters exist, and it says which),
// attainable performance = min(compute roof of its precision and unit, AI_level x bandwidth roof of
// each level), the achieved fraction of that, the bounding roof and the headroom.
// A kernel's FLOPs are judged only against the roof of their own unit: a SIMT kernel is never
// measured against tensor-core peaks, nor the reverse.
#include <string>
#include <vector>

#include "profiler/measurement.hpp"
#include "profiler/roofs.hpp"

namespace ridgeline::profiler {

struct level_intensity {
  std::string level;
  double flop_per_byte = 0;    // work FLOPs / bytes at this level
  double roof_flop_per_s = 0;  // flop_per_byte x the level's bandwidth roof (0: no roof)
};

struct placement {
  bool placed = false;
  std::string why_not;  // when !placed: "no f32 simt roof in datasheet roofs of h100"...
  std::string device;
  roof_source source = roof_source::datasheet;
  std::string counts_source;    // "analytic", "cupti", ...
  std::string precision, unit;  // the compute roof used
  double compute_roof_flop_per_s = 0;
  std::vector<level_intensity> levels;
  double attainable_flop_per_s = 0;
  std::string bound;  // "compute (f32 simt)" or "dram bandwidth"
  double achieved_flop_per_s = 0;
  double fraction_of_attainable = 0;  // achieved / attainable
  double headroom = 0;                // attainable / achieved (how much faster it could go)
};

placement place(const measurement& m, const roof_set& roofs);

}  // namespace ridgeline::profiler
