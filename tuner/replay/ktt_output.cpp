// KTT's JSON output (ktt::Tuner::SaveResults with OutputFormat::JSON).
#include <fmt/format.h>

#include "core/error.hpp"
#include "tuner/replay/formats.hpp"

namespace ridgeline::tuner::replay {

recorded_space import_ktt_output(const nlohmann::json& doc, const std::string& path) {
  using detail::member;
  const auto& meta = member(doc, "Metadata", path, "");
  const auto& unit = member(meta, "TimeUnit", path, "Metadata");
  if (!unit.is_string())
    throw usage_error(fmt::format("{}: Metadata.TimeUnit is not a string", path));
  const double scale = detail::seconds_per(unit.get<std::string>(), path, "Metadata.TimeUnit");
  const auto& results = member(doc, "Results", path, "");
  if (!results.is_array()) throw usage_error(fmt::format("{}: Results is not a list", path));

  recorded_space_builder b(path);
  std::string kernel;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string where = fmt::format("Results[{}]", i);
    const auto& r = results[i];
    const auto& conf = member(r, "Configuration", path, where);
    if (!conf.is_array())
      throw usage_error(fmt::format("{}: {}.Configuration is not a list", path, where));
    std::vector<std::pair<std::string, nlohmann::json>> params;
    for (std::size_t j = 0; j < conf.size(); ++j) {
      const std::string at = fmt::format("{}.Configuration[{}]", where, j);
      const auto& name = member(conf[j], "Name", path, at);
      if (!name.is_string())
        throw usage_error(fmt::format("{}: {}.Name is not a string", path, at));
      params.emplace_back(name.get<std::string>(), member(conf[j], "Value", path, at));
    }
    const auto& status = member(r, "Status", path, where);
    if (!status.is_string())
      throw usage_error(fmt::format("{}: {}.Status is not a string", path, where));
    recorded_outcome o;
    if (status.get<std::string>() == "Ok") {
      const auto& runs = member(r, "ComputationResults", path, where);
      if (!runs.is_array() || runs.empty()) {
        throw usage_error(
            fmt::format("{}: {}.ComputationResults is empty for an Ok result", path, where));
      }
      double sum = 0;
      for (std::size_t k = 0; k < runs.size(); ++k) {
        const auto& d =
            member(runs[k], "Duration", path, fmt::format("{}.ComputationResults[{}]", where, k));
        if (!d.is_number()) {
          throw usage_error(fmt::format("{}: {}.ComputationResults[{}].Duration is not a number",
                                        path, where, k));
        }
        sum += d.get<double>();
      }
      o.ok = true;
      o.time_s = sum * scale;
    } else {
      o.reason = status.get<std::string>();
    }
    if (kernel.empty() && r.contains("KernelName") && r["KernelName"].is_string())
      kernel = r["KernelName"];
    b.add(params, std::move(o), where);
  }
  std::string device;
  if (meta.contains("Device") && meta["Device"].is_string()) device = meta["Device"];
  return std::move(b).build("ktt", device, kernel);
}

}  // namespace ridgeline::tuner::replay
