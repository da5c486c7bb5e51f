#pragma once
// Storing a ceilings sweep as the device's measured roofs: one definition for `ridgeline
// ceilings` and rl.ceilings(), so both file the roofs under the same device row with the same
// provenance.
#include <string>

#include "kernels/ceilings/ceilings.hpp"
#include "kernels/runtime.hpp"
#include "roofline/device_catalog.hpp"
#include "storage/database.hpp"

namespace ridgeline::service {

// Records `result` (one transaction) under the identity of the backend it ran on; `command` is
// the invocation kept with the row.
void store_measured_roofs(storage::database& db, const kernels::runtime& rt,
                          const roofline::device_catalog& catalog,
                          const kernels::ceilings_result& result, const std::string& command);

}  // namespace ridgeline::service
