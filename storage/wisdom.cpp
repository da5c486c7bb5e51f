#include "storage/wisdom.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace ridgeline::storage {

namespace {

bool same_device(const device_identity& a, const device_identity& b) {
  return a.kind == b.kind && a.vendor == b.vendor && a.name == b.name && a.arch == b.arch &&
         a.backend == b.backend && a.host == b.host;
}

bool same_type(const device_identity& a, const device_identity& b) {
  return a.kind == b.kind && a.vendor == b.vendor && a.name == b.name && a.arch == b.arch &&
         a.backend == b.backend;
}

// Sum of |ln(stored/asked)| over the fields: 2048 vs 4096 costs the same as 4096 vs 8192. A
// problem with other fields (or a non-positive value) is not comparable: infinity.
double shape_distance(const std::map<std::string, double>& stored,
                      const std::map<std::string, double>& asked) {
  if (stored.size() != asked.size()) return std::numeric_limits<double>::infinity();
  double d = 0;
  for (const auto& [name, value] : asked) {
    const auto it = stored.find(name);
    if (it == stored.end()) return std::numeric_limits<double>::infinity();
    if (it->second == value) continue;
    if (!(it->second > 0 && value > 0)) return std::numeric_limits<double>::infinity();
    d += std::fabs(std::log(it->second / value));
  }
  return d;
}

struct pick {
  const tuned_result* result = nullptr;
  double distance = std::numeric_limits<double>::infinity();
  bool stale = true;
};

// Better: current software first, then the nearer shape, then the newer run.
bool better(const pick& a, const pick& b) {
  if (!b.result) return true;
  if (a.stale != b.stale) return !a.stale;
  if (a.distance != b.distance) return a.distance < b.distance;
  return a.result->run.run_id > b.result->run.run_id;
}

}  // namespace

const char* to_string(wisdom_level level) {
  switch (level) {
    case wisdom_level::exact:
      return "exact";
    case wisdom_level::nearest_shape:
      return "nearest_shape";
    case wisdom_level::same_device_type:
      return "same_device_type";
    case wisdom_level::kernel_default:
      return "kernel_default";
  }
  return "unknown";
}

std::map<std::string, double> problem_numbers(const std::string& problem_json) {
  std::map<std::string, double> out;
  const auto j = nlohmann::json::parse(problem_json, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [name, value] : j.items()) {
    if (value.is_number()) out[name] = value.get<double>();
  }
  return out;
}

wisdom_answer choose_wisdom(const std::vector<tuned_result>& candidates, const wisdom_query& q) {
  pick exact, nearest, type;
  for (const auto& c : candidates) {
    pick p{&c, 0, c.run.setup.software_key != q.software_key};
    const bool same_problem = c.run.setup.what.problem_text == q.problem_text;
    p.distance = same_problem ? 0 : shape_distance(problem_numbers(c.run.setup.what.problem_json),
                                                   q.problem);
    if (same_device(c.device, q.device)) {
      if (same_problem && better(p, exact)) exact = p;
      if (!same_problem && std::isfinite(p.distance) && better(p, nearest)) nearest = p;
    } else if (same_type(c.device, q.device) && std::isfinite(p.distance) && better(p, type)) {
      type = p;
    }
  }
  wisdom_answer a;
  auto answer = [&](wisdom_level level, const pick& p, const std::string& what) {
    a.level = level;
    a.from = *p.result;
    a.stale = p.stale;
    a.shape_distance = p.distance;
    const auto& setup = p.result->run.setup;
    a.explanation = fmt::format("{} (tuning run {}, problem {}, {} strategy{})", what,
                                p.result->run.run_id, setup.what.problem_text, setup.strategy,
                                p.stale ? "; STALE: tuned with other software: " +
                                              setup.software_key
                                        : "");
  };
  if (exact.result) {
    answer(wisdom_level::exact, exact, "tuned on this device for this problem");
  } else if (nearest.result) {
    answer(wisdom_level::nearest_shape, nearest,
           "tuned on this device for the nearest problem shape");
  } else if (type.result) {
    answer(wisdom_level::same_device_type, type,
           fmt::format("tuned on the same device type on host {}", type.result->device.host));
  } else {
    a.explanation = "no tuning result for this kernel, variant and dtype: the kernel's default";
  }
  return a;
}

}  // namespace ridgeline::storage
