// T4, the Open Autotuning Results Schema (github.com/odgaard/TuningSchema, results-schema.json on
// branch T4), as written by Kernel Tuner's and KTT's T4 exporters.
#include <fmt/format.h>

#include "core/error.hpp"
#include "tuner/replay/formats.hpp"

namespace ridgeline::tuner::replay {

recorded_space import_t4_results(const nlohmann::json& doc, const std::string& path) {
  using detail::member;
  const auto& results = member(doc, "results", path, "");
  if (!results.is_array()) throw usage_error(fmt::format("{}: results is not a list", path));
  recorded_space_builder b(path);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string where = fmt::format("results[{}]", i);
    const auto& r = results[i];
    const auto& conf = member(r, "configuration", path, where);
    if (!conf.is_object())
      throw usage_error(fmt::format("{}: {}.configuration is not an object", path, where));
    std::vector<std::pair<std::string, nlohmann::json>> params;
    for (const auto& [name, value] : conf.items()) params.emplace_back(name, value);
    const auto& invalidity = member(r, "invalidity", path, where);
    if (!invalidity.is_string())
      throw usage_error(fmt::format("{}: {}.invalidity is not a string", path, where));
    recorded_outcome o;
    const bool correct = !r.contains("correctness") || !r["correctness"].is_number() ||
                         r["correctness"].get<double>() != 0;
    if (invalidity.get<std::string>() == "correct" && correct) {
      std::string objective;
      if (r.contains("objectives") && r["objectives"].is_array() && !r["objectives"].empty() &&
          r["objectives"][0].is_string()) {
        objective = r["objectives"][0];
      }
      const auto& ms = member(r, "measurements", path, where);
      if (!ms.is_array())
        throw usage_error(fmt::format("{}: {}.measurements is not a list", path, where));
      const nlohmann::json* m = nullptr;
      for (const auto& x : ms) {
        if (x.is_object() &&
            (objective.empty() || (x.contains("name") && x["name"] == objective))) {
          m = &x;
          break;
        }
      }
      if (m == nullptr) {
        throw usage_error(fmt::format("{}: {}.measurements has no '{}'", path, where, objective));
      }
      const std::string at = where + ".measurements[" + objective + "]";
      const auto& value = member(*m, "value", path, at);
      const auto& unit = member(*m, "unit", path, at);
      if (!value.is_number() || !unit.is_string()) {
        throw usage_error(
            fmt::format("{}: {}: value must be a number and unit a string", path, at));
      }
      o.ok = true;
      o.time_s =
          value.get<double>() * detail::seconds_per(unit.get<std::string>(), path, at + ".unit");
    } else {
      o.reason = correct ? invalidity.get<std::string>() : "correctness";
    }
    b.add(params, std::move(o), where);
  }
  return std::move(b).build("t4", "", "");
}

}  // namespace ridgeline::tuner::replay
