#pragma once
// Host facts recorded with every measurement (the kernel backend adds its own: Kokkos version,
// execution space, threads, BLAS build).
#include <string>
#include <utility>
#include <vector>

namespace ridgeline::profiler {

using provenance_list = std::vector<std::pair<std::string, std::string>>;

std::string utc_now_iso8601();  // "2026-11-26T07:12:03Z"

// date, host, cpu model, Ridgeline version/revision, compiler, build type, ISA flags, and the
// OpenMP binding environment (unbound threads make CPU timings noisy; the record should show it).
provenance_list host_provenance();

}  // namespace ridgeline::profiler
