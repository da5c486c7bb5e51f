#pragma once
// The C++ call behind `ridgeline wisdom`: the best known configuration of a kernel variant for a
// problem on a device, by the fallback chain of storage/wisdom.hpp, ending in the variant's own
// default configuration for the backend when nothing was tuned.
#include <string>

#include "core/key_value.hpp"
#include "kernels/kernel_case.hpp"
#include "kernels/runtime.hpp"
#include "storage/database.hpp"
#include "storage/wisdom.hpp"
#include "tuner/param_space.hpp"

namespace ridgeline::service {

struct wisdom_request {
  kernels::kernel_case what;  // parse_case(..., variant_use::tunable): a variant with axes
  std::string backend;        // a backend of the runtime
};

struct wisdom_result {
  storage::wisdom_answer answer;
  std::string variant;
  tuner::config config;      // the configuration to use
  std::string params_text;   // the same as "name=value,..."
  std::string software_key;  // the current software (answer.stale compares with it)
};

wisdom_result best_known_config(const kernels::runtime& rt, storage::database& db,
                                const storage::device_identity& device,
                                const wisdom_request& request);

}  // namespace ridgeline::service
