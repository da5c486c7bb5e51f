#pragma once
// The `ridgeline.tune/1` document (docs/json-schema.md): what `ridgeline --json tune` prints and
// what the Python module's rl.tune returns, built in one place.
#include <nlohmann/json.hpp>

#include "service/tune_session.hpp"

namespace ridgeline::service {

nlohmann::ordered_json to_json(const tune_outcome& out);

}  // namespace ridgeline::service
