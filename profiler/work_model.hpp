#pragma once
// The work a kernel does, stated by the kernel beside its code: FLOPs by precision and by unit
// (SIMT/vector vs matrix/tensor roofs are different roofs), and the minimal bytes that must cross
// each memory level. "Minimal" means compulsory traffic: every input read once, every output
// written once — what an ideal cache would achieve; counters (later) report the real traffic.
#include <cstdint>
#include <string>
#include <vector>

namespace ridgeline::profiler {

struct flop_count {
  std::string precision;  // "f32", "f64", ...
  std::string unit;       // "simt" (vector/SIMT units) or "tensor" (matrix units)
  std::uint64_t count = 0;
};

struct byte_count {
  std::string level;  // "dram", "l2", ...
  std::uint64_t count = 0;
};

struct work_model {
  std::vector<flop_count> flops;
  std::vector<byte_count> bytes;

  std::uint64_t total_flops() const;
  std::uint64_t bytes_at(const std::string& level) const;  // 0 when the level is not stated
};

}  // namespace ridgeline::profiler
