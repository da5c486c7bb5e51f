#include <fmt/format.h>

#include "core/error.hpp"
#include "tuner/replay/formats.hpp"
#include "tuner/replay/json_file.hpp"

namespace ridgeline::tuner::replay {

namespace detail {

double seconds_per(const std::string& unit, const std::string& path, const std::string& field) {
  if (unit == "s" || unit == "Seconds") return 1;
  if (unit == "ms" || unit == "Milliseconds") return 1e-3;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "Microseconds") return 1e-6;
  if (unit == "ns" || unit == "Nanoseconds") return 1e-9;
  throw usage_error(
      fmt::format("{}: {}: unknown time unit '{}' (s, ms, us, ns)", path, field, unit));
}

const nlohmann::json& member(const nlohmann::json& obj, const char* key, const std::string& path,
                             const std::string& field) {
  if (!obj.is_object()) throw usage_error(fmt::format("{}: {} is not an object", path, field));
  const auto it = obj.find(key);
  if (it == obj.end()) {
    throw usage_error(
        fmt::format("{}: {}{}{} is missing", path, field, field.empty() ? "" : ".", key));
  }
  return *it;
}

}  // namespace detail

recorded_space load_recorded_space(const std::string& path) {
  const nlohmann::json doc = read_json_file(path);
  if (doc.is_object() && doc.contains("cache")) return import_kernel_tuner_cache(doc, path);
  if (doc.is_object() && doc.contains("Results")) return import_ktt_output(doc, path);
  if (doc.is_object() && doc.contains("results")) return import_t4_results(doc, path);
  throw usage_error(
      fmt::format("{}: not a recorded space: expected a Kernel Tuner cache ('cache'), KTT output "
                  "('Results') or T4 results ('results') at the top level",
                  path));
}

}  // namespace ridgeline::tuner::replay
