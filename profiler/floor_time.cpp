#include "profiler/floor_time.hpp"

#include <fmt/format.h>

namespace ridgeline::profiler {

std::optional<floor_time> roofline_floor(const work_model& work, const roof_set& roofs) {
  floor_time f;
  double compute = 0;
  std::string compute_what;
  for (const auto& c : work.flops) {
    if (c.count == 0) continue;
    const auto* roof = roofs.find_compute(c.precision, c.unit);
    if (!roof) return std::nullopt;
    compute += static_cast<double>(c.count) / roof->flop_per_s;
    compute_what = fmt::format("compute ({} {})", c.precision, c.unit);
  }
  f.seconds = compute;
  f.bound = compute_what;
  for (const auto& b : work.bytes) {
    if (b.count == 0) continue;
    const auto* roof = roofs.find_bandwidth(b.level);
    if (!roof) continue;  // a level without a roof bounds nothing; dram must exist (below)
    const double t = static_cast<double>(b.count) / roof->byte_per_s;
    if (t > f.seconds) {
      f.seconds = t;
      f.bound = b.level + " bandwidth";
    }
  }
  if (work.bytes_at("dram") > 0 && !roofs.find_bandwidth("dram")) return std::nullopt;
  if (!(f.seconds > 0)) return std::nullopt;
  return f;
}

}  // namespace ridgeline::profiler
