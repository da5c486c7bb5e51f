#pragma once
// The `ridgeline.devices/1` document (docs/json-schema.md): this machine's CPU, the Kokkos
// backends built in and the catalog card each one matches, with its datasheet roofs. What
// `ridgeline --json devices` prints and what the Python module's rl.devices() reads.
#include <nlohmann/json.hpp>

#include "kernels/runtime.hpp"
#include "roofline/device_catalog.hpp"

namespace ridgeline::service {

nlohmann::ordered_json devices_json(const kernels::runtime& rt,
                                    const roofline::device_catalog& catalog);

}  // namespace ridgeline::service
