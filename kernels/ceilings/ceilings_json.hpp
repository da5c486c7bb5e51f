#pragma once
// The `ridgeline.ceilings/1` document (docs/json-schema.md): what `ridgeline --json ceilings`
// prints and what the Python module returns, built in one place.
#include <nlohmann/json.hpp>

#include "kernels/ceilings/ceilings.hpp"

namespace ridgeline::kernels {

nlohmann::ordered_json to_json(const ceilings_result& r);

// One entry of its "ceilings" and "sweep" arrays; found by nlohmann::json's argument-dependent
// lookup, so `json = result.ceilings` builds the array (benches embed the ceilings this way too).
void to_json(nlohmann::ordered_json& j, const ceiling& c);
void to_json(nlohmann::ordered_json& j, const sweep_point& p);

}  // namespace ridgeline::kernels
