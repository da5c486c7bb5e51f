#include "service/measure_cases.hpp"

#include "profiler/measurement_json.hpp"

namespace ridgeline::service {

measured_cases measure_and_place(const kernels::runtime& rt, const device_context& device,
                                 storage::database* db,
                                 const std::vector<kernels::run_request>& requests,
                                 const std::string& command) {
  std::vector<profiler::measurement> records;
  for (const auto& r : requests) records.push_back(kernels::run_kernel(rt, r));

  std::optional<profiler::roof_set> measured;
  if (db != nullptr) {
    db->record(device.identity, records, {command});
    measured = db->roofs(device.identity, profiler::roof_source::measured);
  }
  measured_cases out;
  out.datasheet_roofs = device.match.datasheet.has_value();
  out.measured_roofs = measured.has_value();
  for (auto& m : records) {
    placed_measurement p;
    if (device.match.datasheet) p.placements.push_back(profiler::place(m, *device.match.datasheet));
    if (measured) p.placements.push_back(profiler::place(m, *measured));
    p.record = std::move(m);
    out.results.push_back(std::move(p));
  }
  return out;
}

nlohmann::ordered_json results_document(const measured_cases& cases) {
  std::vector<profiler::measurement> records;
  for (const auto& r : cases.results) records.push_back(r.record);
  nlohmann::ordered_json doc = profiler::to_json(records);
  for (std::size_t i = 0; i < cases.results.size(); ++i) {
    auto& roofs = doc["measurements"][i]["roofline"] = nlohmann::ordered_json::array();
    for (const auto& p : cases.results[i].placements) roofs.push_back(profiler::to_json(p));
  }
  return doc;
}

}  // namespace ridgeline::service
