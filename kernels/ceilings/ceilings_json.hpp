#pragma once
// The `ridgeline.ceilings/1` document (docs/json-schema.md): what `ridgeline --json ceilings`
// prints and what the Python module returns, built in one place.
#include <nlohmann/json.hpp>

#include "kernels/ceilings/ceilings.hpp"

namespace ridgeline::kernels {

nlohmann::ordered_json to_json(const ceilings_result& r);

}  // namespace ridgeline::kernels
