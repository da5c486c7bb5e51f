#pragma once
// A device's roofs as the roofline analysis consumes them: compute ceilings per precision and per
// unit (SIMT/vector and tensor/matrix are different roofs) and bandwidth ceilings per memory level,
// in base units. One roof_set comes from one source — the datasheet catalog or Ridgeline's own
// measured ceilings — and the two are never mixed in one placement.
#include <string>
#include <vector>

namespace ridgeline::profiler {

enum class roof_source { datasheet, measured };
const char* to_string(roof_source s);

struct compute_roof {
  std::string precision;  // "f32", "f64", "bf16", ...
  std::string unit;       // "simt" or "tensor"
  double flop_per_s = 0;
  std::string confidence;  // datasheet / third-party / estimate / measured
};

struct bandwidth_roof {
  std::string level;  // "dram", "l2", "l1", "llc", ...
  double byte_per_s = 0;
  std::string confidence;
};

struct roof_set {
  std::string device;  // catalog id or a description of the measured device
  roof_source source = roof_source::datasheet;
  std::string measured_at;  // measured roofs: when (UTC ISO 8601) they were measured; "" unknown
  std::vector<compute_roof> compute;
  std::vector<bandwidth_roof> bandwidth;

  const compute_roof* find_compute(const std::string& precision, const std::string& unit) const;
  const bandwidth_roof* find_bandwidth(const std::string& level) const;
};

// "datasheet card h200_sxm", "measured ceilings of 2026-11-26T07:12:03Z on <device>" (no date
// when measured_at is unknown): which roof set a message is about, so that a wrong one can be
// found and corrected.
std::string origin_text(const roof_set& r);

// How far an achieved rate may exceed the attainable one before the roofs, not the kernel, are
// judged wrong. Noise alone lets a point sit slightly above a correct roof: the harness aims at a
// relative IQR spread of 2% and may stop above it on its time cap (profiler/harness.hpp), and a
// measured ceiling is itself the maximum of a sweep that agrees with likwid-bench only within 4%
// (docs/design.md, "Measured ceilings"). Up to 5% above a roof is therefore still "at the roof";
// beyond it the roof set is wrong or stale (a datasheet card for another clock or SKU, ceilings
// measured under load or before a BIOS/driver change). The one declaration: placements, the tuner's
// floor (the tune service sets tuner::stop_conditions::floor_tolerance from it) and the Python readers
// (ridgeline.results.ROOF_TOLERANCE, checked equal by tests/python) use this number.
inline constexpr double roof_tolerance = 0.05;

// True when `achieved` exceeds `attainable` by more than roof_tolerance (exactly at
// attainable x (1 + roof_tolerance) is still accepted). Also for times: achieved / attainable =
// floor time / best time, so exceeds_roof(floor_time, best_time) asks the same of a tuner's floor.
inline bool exceeds_roof(double achieved, double attainable) {
  return attainable > 0 && achieved > attainable * (1 + roof_tolerance);
}

}  // namespace ridgeline::profiler
