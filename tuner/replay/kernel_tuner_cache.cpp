// Kernel Tuner cache files (kernel_tuner/cache), as written by tune_kernel(cache=...).
#include <fmt/format.h>

#include "core/error.hpp"
#include "tuner/replay/formats.hpp"

namespace ridgeline::tuner::replay {

recorded_space import_kernel_tuner_cache(const nlohmann::json& doc, const std::string& path) {
  using detail::member;
  const auto& keys = member(doc, "tune_params_keys", path, "");
  if (!keys.is_array()) throw usage_error(fmt::format("{}: tune_params_keys is not a list", path));
  std::vector<std::string> names;
  for (const auto& k : keys) {
    if (!k.is_string())
      throw usage_error(fmt::format("{}: tune_params_keys holds a non-string", path));
    names.push_back(k.get<std::string>());
  }
  std::string objective = "time";
  if (doc.contains("objective")) {
    if (!doc["objective"].is_string() || doc["objective"].get<std::string>() != "time") {
      throw usage_error(fmt::format("{}: objective: only \"time\" is supported (got {})", path,
                                    doc["objective"].dump()));
    }
  }
  const auto& cache = member(doc, "cache", path, "");
  if (!cache.is_object()) throw usage_error(fmt::format("{}: cache is not an object", path));

  recorded_space_builder b(path);
  b.set_order(names);
  for (const auto& [key, record] : cache.items()) {
    const std::string where = fmt::format("cache[\"{}\"]", key);
    std::vector<std::pair<std::string, nlohmann::json>> params;
    for (const auto& n : names) params.emplace_back(n, member(record, n.c_str(), path, where));
    const auto& time = member(record, objective.c_str(), path, where);
    recorded_outcome o;
    if (time.is_number()) {
      o.ok = true;
      o.time_s = time.get<double>() * 1e-3;  // Kernel Tuner records milliseconds
    } else if (time.is_string()) {
      o.reason = time.get<std::string>();  // CompilationFailedConfig, RuntimeFailedConfig, ...
    } else {
      throw usage_error(
          fmt::format("{}: {}.time is neither a number nor a failure label", path, where));
    }
    b.add(params, std::move(o), where);
  }
  std::string device, kernel;
  if (doc.contains("device_name") && doc["device_name"].is_string()) device = doc["device_name"];
  if (doc.contains("kernel_name") && doc["kernel_name"].is_string()) kernel = doc["kernel_name"];
  return std::move(b).build("kernel_tuner", device, kernel);
}

}  // namespace ridgeline::tuner::replay
