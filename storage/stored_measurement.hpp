#pragma once
// A measurement as read back, with where it is stored and what it ran on (CSV export, tools that
// need row ids). The record itself is exactly what was written.
#include <cstdint>
#include <string>

#include "profiler/measurement.hpp"
#include "storage/device_identity.hpp"

namespace ridgeline::storage {

struct stored_measurement {
  std::int64_t id = 0;
  std::int64_t run_id = 0;
  std::int64_t device_id = 0;
  std::string created_at;  // UTC ISO 8601, when the row was written
  device_identity device;
  profiler::measurement record;
};

}  // namespace ridgeline::storage
