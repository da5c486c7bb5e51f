#include "service/tune_json.hpp"

#include "profiler/measurement_json.hpp"

namespace ridgeline::service {

nlohmann::ordered_json to_json(const tune_outcome& out) {
  nlohmann::ordered_json j;
  j["schema"] = "ridgeline.tune/1";
  j["run_id"] = out.run_id;
  j["resumed"] = out.resumed;
  j["reused_evaluations"] = out.reused;
  j["evaluations"] = out.search.history.size();
  j["stop_reason"] = out.search.stop_reason;
  j["seconds"] = out.seconds;
  j["measured_evaluations"] = out.measured;
  j["evaluations_per_minute"] =
      out.evaluations_per_minute ? nlohmann::ordered_json(*out.evaluations_per_minute) : nullptr;
  j["floor_time_s"] = out.floor_time_s ? nlohmann::ordered_json(*out.floor_time_s) : nullptr;
  j["floor_bound"] = out.floor_bound;
  j["roofs_source"] = out.roofs_source;
  j["roof_below_achieved"] = out.roof_below_achieved;
  j["roof_below_achieved_reason"] = out.roof_below_achieved_reason;
  j["default"] = profiler::to_json(out.default_config);
  j["best"] = out.best ? profiler::to_json(*out.best) : nlohmann::ordered_json(nullptr);
  return j;
}

}  // namespace ridgeline::service
