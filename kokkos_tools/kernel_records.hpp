#pragma once
// An application kernel's times and stated work as the one result record (profiler::measurement),
// so the database, `ridgeline export` and `ridgeline roofline` treat it like any other
// measurement. The mapping (docs/counters.md, "Kokkos Tools connector"):
//   kernel = the Kokkos label, variant = "kokkos_tools" (never a Ridgeline variant name, so tuning
//   and wisdom never mix application kernels into their choices), params = {construct},
//   dtype = the work file's precision, timing = one sample per invocation, stop reason
//   `application`, work = the work file's entry (counts_source "work_file") or nothing ("none").
#include <map>
#include <string>
#include <tuple>

#include "kokkos_tools/kernel_timings.hpp"
#include "kokkos_tools/work_file.hpp"
#include "profiler/measurement.hpp"
#include "profiler/provenance.hpp"

namespace ridgeline::kokkos_tools {

struct kernel_key {
  std::string label;      // as Kokkos reports it
  std::string construct;  // "parallel_for", "parallel_reduce", "parallel_scan"
  std::string backend;    // Kokkos execution space name

  bool operator<(const kernel_key& o) const {
    return std::tie(label, construct, backend) < std::tie(o.label, o.construct, o.backend);
  }
};

inline constexpr const char* connector_variant = "kokkos_tools";

// What every kernel of one application run shares.
struct record_context {
  profiler::provenance_list provenance;  // host facts, application, Kokkos, fencing, counters
  std::string timer;                     // the clock and what it spans
};

// `work` is null when the work file has no entry for the label (or there is no file).
profiler::measurement to_measurement(const kernel_key& key, const kernel_timings& times,
                                     const kernel_work* work, const record_context& context);

}  // namespace ridgeline::kokkos_tools
