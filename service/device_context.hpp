#pragma once
// The device a backend runs on, as a run is judged and stored: the catalog card that matches it
// (with its datasheet roofs) and the identity its results are stored under. One definition for
// the CLI and the Python module, so both file results under the same device row — a tuning run
// started from Python resumes from the CLI and wisdom finds it from either.
#include <optional>

#include "kernels/runtime.hpp"
#include "profiler/roofs.hpp"
#include "roofline/detection.hpp"
#include "roofline/device_catalog.hpp"
#include "storage/database.hpp"
#include "storage/device_identity.hpp"

namespace ridgeline::service {

struct device_match {
  roofline::detection detection;
  std::optional<profiler::roof_set> datasheet;  // when a card matched
};

// Detection against `catalog`: the CPU for host backends, the GPU's name for device backends.
device_match match_device(const roofline::device_catalog& catalog, const kernels::backend_info& b);

// The CPU (host backends) or the GPU (device backends) a backend runs on, with the catalog card
// when detection matched one.
storage::device_identity identity_of(const kernels::backend_info& backend,
                                     const device_match& match);

// All of the above for the backend a case names (empty: Kokkos' default): what every front end
// needs once the runtime has started.
struct device_context {
  kernels::backend_info backend;
  device_match match;
  storage::device_identity identity;
};
device_context device_for(const kernels::runtime& rt, const roofline::device_catalog& catalog,
                          const std::string& backend);

// The roofs a tuning run takes its floor and its within-roof stop from: what this device really
// reaches (measured ceilings stored by `ridgeline ceilings`), else the datasheet's, else none.
std::optional<profiler::roof_set> tuning_roofs(storage::database& db, const device_context& device);

}  // namespace ridgeline::service
