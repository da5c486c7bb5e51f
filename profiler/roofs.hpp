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
  std::vector<compute_roof> compute;
  std::vector<bandwidth_roof> bandwidth;

  const compute_roof* find_compute(const std::string& precision, const std::string& unit) const;
  const bandwidth_roof* find_bandwidth(const std::string& level) const;
};

}  // namespace ridgeline::profiler
