#include "kokkos_tools/work_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/strict_yaml.hpp"

namespace ridgeline::kokkos_tools {

namespace {

using strict_yaml::field;
using strict_yaml::mapping;
using strict_yaml::node_kind;
using strict_yaml::source;

// A count: a non-negative integer. Written as 2000000 or 2e6; 2.5 or -1 is refused.
std::uint64_t count_of(const source& r, const field& f) {
  if (!f.node.IsScalar()) {
    r.fail(f, fmt::format("expected a non-negative integer, got {}", node_kind(f.node)));
  }
  const std::string& s = f.node.Scalar();
  std::uint64_t value = 0;
  if (YAML::convert<std::uint64_t>::decode(f.node, value) && s.find('-') == std::string::npos) {
    return value;
  }
  double d = 0;
  if (YAML::convert<double>::decode(f.node, d) && std::isfinite(d) && d >= 0 &&
      d == std::floor(d) && d < static_cast<double>(std::numeric_limits<std::uint64_t>::max())) {
    return static_cast<std::uint64_t>(d);
  }
  r.fail(f, fmt::format("expected a non-negative integer, got '{}'", s));
}

// `bytes: N` (DRAM bytes) or `bytes: {LEVEL: N, ...}`; the level names are the data, so any
// plain name is taken, but each once.
std::vector<profiler::byte_count> bytes_of(const source& r, const field& f) {
  if (!f.node.IsMap()) return {{"dram", count_of(r, f)}};
  const mapping levels = mapping::of_any_keys(r, f);
  std::vector<profiler::byte_count> out;
  for (const field& level : levels.entries()) {
    out.push_back({level.key, count_of(r, level)});
  }
  if (out.empty()) r.fail(f, "expected at least one level");
  return out;
}

kernel_work kernel_of(const source& r, const field& f) {
  const mapping m(r, f, {"flops", "precision", "unit", "bytes"});
  kernel_work k;
  const auto flops = m.get("flops");
  const auto bytes = m.get("bytes");
  if (!flops && !bytes) r.fail(f, "states neither flops nor bytes");
  std::string unit = "simt";
  if (const auto u = m.get("unit")) {
    unit = strict_yaml::text(r, *u);
    if (unit != "simt" && unit != "tensor") {
      r.fail(*u, fmt::format("expected simt or tensor, got '{}'", unit));
    }
  }
  if (flops) {
    const std::uint64_t count = count_of(r, *flops);
    k.dtype = strict_yaml::text(
        r, m.need("precision", "required with flops (f64, f32, ...: picks the roof)"));
    k.work.flops.push_back({k.dtype, unit, count});
  } else if (const auto p = m.get("precision")) {
    strict_yaml::text(r, *p);  // beside bytes only it is unused, but still checked
  }
  if (bytes) k.work.bytes = bytes_of(r, *bytes);
  return k;
}

}  // namespace

work_table parse_work_file(const std::string& text, const std::string& path) {
  const source r(path);
  const mapping top(r, r.parse(text, "work file", "work file"), {"kernels"});
  const field kernels =
      top.need("kernels", "the file maps kernels: {LABEL: {flops, precision, unit, bytes}}");
  if (!kernels.node.IsMap()) {
    r.fail(kernels, fmt::format("expected a mapping from Kokkos label to work, got {}",
                                node_kind(kernels.node)));
  }
  const mapping labels = mapping::of_any_keys(r, kernels);
  work_table table;
  for (const field& label : labels.entries()) {
    table[label.key] = kernel_of(r, label);
  }
  return table;
}

work_table read_work_file(const std::string& path) {
  return parse_work_file(strict_yaml::read_file(path, "work file"), path);
}

}  // namespace ridgeline::kokkos_tools
