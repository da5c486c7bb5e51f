#include "kokkos_tools/work_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.hpp"

namespace ridgeline::kokkos_tools {

namespace {

// A count: a non-negative integer. Written as 2000000 or 2e6; 2.5 or -1 is refused.
std::uint64_t count_of(const YAML::Node& node, const std::string& field) {
  if (!node.IsScalar()) throw usage_error(field + ": expected a non-negative integer");
  const std::string text = node.Scalar();
  std::uint64_t value = 0;
  if (YAML::convert<std::uint64_t>::decode(node, value) && text.find('-') == std::string::npos) {
    return value;
  }
  double d = 0;
  if (YAML::convert<double>::decode(node, d) && std::isfinite(d) && d >= 0 && d == std::floor(d) &&
      d < static_cast<double>(std::numeric_limits<std::uint64_t>::max())) {
    return static_cast<std::uint64_t>(d);
  }
  throw usage_error(fmt::format("{}: expected a non-negative integer, got '{}'", field, text));
}

std::string text_of(const YAML::Node& node, const std::string& field) {
  if (!node.IsScalar() || node.Scalar().empty())
    throw usage_error(field + ": expected a non-empty string");
  return node.Scalar();
}

kernel_work kernel_of(const YAML::Node& node, const std::string& at) {
  if (!node.IsMap()) throw usage_error(at + ": expected a map of flops, precision, unit, bytes");
  kernel_work k;
  std::uint64_t flops = 0;
  bool has_flops = false, has_bytes = false;
  std::string precision, unit = "simt";
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    const std::string field = at + "." + key;
    if (key == "flops") {
      flops = count_of(kv.second, field);
      has_flops = true;
    } else if (key == "precision") {
      precision = text_of(kv.second, field);
    } else if (key == "unit") {
      unit = text_of(kv.second, field);
      if (unit != "simt" && unit != "tensor")
        throw usage_error(fmt::format("{}: expected simt or tensor, got '{}'", field, unit));
    } else if (key == "bytes") {
      has_bytes = true;
      if (kv.second.IsMap()) {
        for (const auto& level : kv.second) {
          const std::string name = level.first.Scalar();
          k.work.bytes.push_back({name, count_of(level.second, field + "." + name)});
        }
        if (k.work.bytes.empty()) throw usage_error(field + ": expected at least one level");
      } else {
        k.work.bytes.push_back({"dram", count_of(kv.second, field)});
      }
    } else {
      throw usage_error(
          fmt::format("{}: unknown field (expected flops, precision, unit, bytes)", field));
    }
  }
  if (!has_flops && !has_bytes) throw usage_error(at + ": states neither flops nor bytes");
  if (has_flops) {
    if (precision.empty())
      throw usage_error(at + ".precision: required with flops (f64, f32, ...: picks the roof)");
    k.work.flops.push_back({precision, unit, flops});
    k.dtype = precision;
  }
  return k;
}

}  // namespace

work_table parse_work_file(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw usage_error(fmt::format("{}: not YAML (line {}: {})", path, e.mark.line + 1, e.msg));
  }
  try {
    if (!root.IsMap() || !root["kernels"])
      throw usage_error("kernels: missing (the file maps kernels: {LABEL: {flops, bytes, ...}})");
    for (const auto& kv : root) {
      if (kv.first.Scalar() != "kernels")
        throw usage_error(kv.first.Scalar() + ": unknown top-level field (expected kernels)");
    }
    const YAML::Node kernels = root["kernels"];
    if (!kernels.IsMap()) throw usage_error("kernels: expected a map from Kokkos label to work");
    work_table table;
    for (const auto& kv : kernels) {
      const std::string label = kv.first.Scalar();
      table[label] = kernel_of(kv.second, "kernels." + label);
    }
    return table;
  } catch (const usage_error& e) {
    throw usage_error(fmt::format("{}: {}", path, e.what()));
  } catch (const YAML::Exception& e) {
    throw usage_error(fmt::format("{}: line {}: {}", path, e.mark.line + 1, e.msg));
  }
}

work_table read_work_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw usage_error(fmt::format("{}: cannot read the file", path));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_work_file(text.str(), path);
}

}  // namespace ridgeline::kokkos_tools
