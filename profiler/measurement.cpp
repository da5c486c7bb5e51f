#include "profiler/measurement.hpp"

#include <fmt/format.h>

namespace ridgeline::profiler {

const char* to_string(status s) {
  switch (s) {
    case status::ok:
      return "ok";
    case status::invalid_config:
      return "invalid_config";
    case status::launch_failed:
      return "launch_failed";
    case status::wrong_result:
      return "wrong_result";
    case status::timeout:
      return "timeout";
  }
  return "unknown";
}

std::uint64_t work_model::total_flops() const {
  std::uint64_t total = 0;
  for (const auto& f : flops) total += f.count;
  return total;
}

std::uint64_t work_model::bytes_at(const std::string& level) const {
  for (const auto& b : bytes) {
    if (b.level == level) return b.count;
  }
  return 0;
}

std::string measurement::problem_text() const {
  std::string out;
  for (const auto& p : problem) {
    if (!out.empty()) out += ',';
    out += p.name + '=' +
           (p.integer ? fmt::format("{}", static_cast<long long>(p.value))
                      : fmt::format("{:g}", p.value));
  }
  return out;
}

std::string measurement::params_text() const {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += ',';
    out += name + '=' + value;
  }
  return out;
}

derived_metrics derive(const measurement& m) {
  derived_metrics d;
  const std::uint64_t flops = m.work.total_flops();
  const std::uint64_t bytes = m.work.bytes_at("dram");
  if (bytes > 0) d.arithmetic_intensity = static_cast<double>(flops) / static_cast<double>(bytes);
  if (m.timing && m.timing->summary.median > 0) {
    d.flop_per_s = static_cast<double>(flops) / m.timing->summary.median;
    d.dram_byte_per_s = static_cast<double>(bytes) / m.timing->summary.median;
  }
  return d;
}

}  // namespace ridgeline::profiler
