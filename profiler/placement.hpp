#pragma once
// Where one measurement sits against one roof set: arithmetic intensity per memory level (from the
// measurement's counts — the analytic work model until counters exist, and it says which),
// attainable performance = min(compute roof of its precision and unit, AI_level x bandwidth roof of
// each level), the achieved fraction of that, the bounding roof and the headroom.
// A roof below what the kernel achieved (by more than roof_tolerance) is an error of the roofs, not
// a result: the placement is flagged roof_below_achieved, with a reason naming the roof and the
// roof set, and printers say so instead of showing a fraction above 100%.
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
  // achieved > attainable x (1 + roof_tolerance): the roof set is wrong or stale. The fraction and
  // headroom keep their arithmetic values (JSON and CSV carry them beside the flag), but they
  // measure nothing and are never shown as a percentage.
  bool roof_below_achieved = false;
  // When flagged: "this roof set is wrong or stale (datasheet card h100_sxm): its compute (f32
  // simt) roof, 60 TFLOP/s (datasheet), is below the achieved 113 TFLOP/s"; else "".
  std::string roof_below_achieved_reason;
};

placement place(const measurement& m, const roof_set& roofs);

}  // namespace ridgeline::profiler
