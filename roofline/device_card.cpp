#include "roofline/device_card.hpp"

namespace ridgeline::roofline {

const char* to_string(device_kind k) {
  switch (k) {
    case device_kind::cpu:
      return "cpu";
    case device_kind::gpu:
      return "gpu";
    case device_kind::npu:
      return "npu";
    case device_kind::accelerator:
      break;
  }
  return "accelerator";
}

std::optional<device_kind> parse_device_kind(std::string_view text) {
  for (auto k : {device_kind::cpu, device_kind::gpu, device_kind::npu, device_kind::accelerator}) {
    if (text == to_string(k)) return k;
  }
  return std::nullopt;
}

const std::vector<std::string>& catalog_precisions() {
  static const std::vector<std::string> v = {"f64", "f32", "tf32", "bf16", "f16", "fp8", "int8"};
  return v;
}

const std::vector<std::string>& catalog_units() {
  static const std::vector<std::string> v = {"simt", "tensor"};
  return v;
}

const std::vector<std::string>& catalog_levels() {
  static const std::vector<std::string> v = {"l1", "shared", "l2", "llc", "dram"};
  return v;
}

int cpu_match_rule::constraints() const {
  int n = (model_pattern.empty() ? 0 : 1) + (vendor.empty() ? 0 : 1) +
          static_cast<int>(flags.size() + absent_flags.size());
  for (const int id : {family, model_number, implementer, part}) n += id >= 0 ? 1 : 0;
  for (const int count : {physical_cores, sockets, logical_cpus}) n += count > 0 ? 1 : 0;
  return n;
}

const quantity* device_card::find_compute(std::string_view precision, std::string_view unit) const {
  for (const auto& c : compute) {
    if (c.precision == precision && c.unit == unit) return &c.rate;
  }
  return nullptr;
}

const quantity* device_card::find_bandwidth(std::string_view level) const {
  for (const auto& b : bandwidth) {
    if (b.level == level) return &b.rate;
  }
  return nullptr;
}

profiler::roof_set datasheet_roofs(const device_card& card) {
  profiler::roof_set r;
  r.device = card.id;
  r.source = profiler::roof_source::datasheet;
  for (const auto& c : card.compute) {
    if (c.rate.known()) {
      r.compute.push_back({c.precision, c.unit, *c.rate.value, to_string(c.rate.confidence)});
    }
  }
  for (const auto& b : card.bandwidth) {
    if (b.rate.known())
      r.bandwidth.push_back({b.level, *b.rate.value, to_string(b.rate.confidence)});
  }
  return r;
}

}  // namespace ridgeline::roofline
