#pragma once
// The parallel units of a backend's device and what one unit holds at once, read from the
// device at run time (never assumed): what a kernel needs to size its launch so every unit is
// busy (attention's kv_chunk=auto). Host backends: one unit per thread, one team each.
#include <cstdint>
#include <string>

namespace ridgeline::kernels {

struct device_units {
  bool gpu = false;
  std::int64_t units = 1;                   // SMs / CUs, or host threads
  std::int64_t max_threads_per_unit = 0;    // 0: no such limit (hosts)
  std::int64_t scratch_bytes_per_unit = 0;  // shared memory (LDS) of one SM / CU; 0: none
  std::int64_t max_teams_per_unit = 0;      // resident blocks per SM; 0: unknown / no limit
};

// The device of `backend` ("openmp", "serial", "cuda", "hip"); a usage_error for a backend this
// Kokkos build lacks.
device_units query_device_units(const std::string& backend);

}  // namespace ridgeline::kernels
