#pragma once
// The work behind `ridgeline run` and rl.run(): run the requested measurements (each checked and
// timed by kernels::run_kernel), store them as one complete run, and place every one under every
// roof set known for the device — the catalog card's datasheet roofs and the latest measured
// ceilings in the database. The front ends only build the requests and render the result.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kernels/run.hpp"
#include "kernels/runtime.hpp"
#include "profiler/measurement.hpp"
#include "profiler/placement.hpp"
#include "service/device_context.hpp"
#include "storage/database.hpp"

namespace ridgeline::service {

struct placed_measurement {
  profiler::measurement record;
  std::vector<profiler::placement> placements;  // datasheet first, then measured
};

struct measured_cases {
  std::vector<placed_measurement> results;
  bool datasheet_roofs = false;  // a catalog card matched the device
  bool measured_roofs = false;   // the database holds measured ceilings for it
};

// `db` absent: nothing is stored and only the datasheet roofs place the results.
measured_cases measure_and_place(const kernels::runtime& rt, const device_context& device,
                                 storage::database* db,
                                 const std::vector<kernels::run_request>& requests,
                                 const std::string& command);

// The `ridgeline.results/1` document of `ridgeline run --json` and rl.run(): the measurements,
// each with its placements under "roofline".
nlohmann::ordered_json results_document(const measured_cases& cases);

}  // namespace ridgeline::service
