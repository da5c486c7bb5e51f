#pragma once
// A counter backend reads hardware counters over launches of a workload, in a pass separate from
// timing (STYLE.md lesson 5): timing launches are never counted, and counted launches are never
// timed. Backends receive vendor counter names from a metric file and return their raw values;
// formulas (metric_formulas.hpp) turn those into Ridgeline metrics.
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "profiler/counters/metric_formulas.hpp"
#include "profiler/workload.hpp"

namespace ridgeline::profiler::counters {

// Counters cannot be read here (library missing, no permission, no PMU, unsupported device). The
// message says why and what fixes it; callers report it once and continue with timing + the
// analytic model — never an abort.
class counters_unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct counter_values {
  std::map<std::string, double> values;  // vendor counter -> value over one workload launch
  std::string replay;     // "user" (re-launched once per pass), "none" (all counters in one launch),
                          // "process" (a child process per pass: rocprofv3)
  std::size_t passes = 0;  // launches counted ("process": profiler invocations)
  // Device time of one launch when the backend measures it beside the counters (rocprofv3's
  // dispatch timestamps); a metric file's time_s formula takes precedence.
  std::optional<double> time_s;
};

class counter_backend {
 public:
  virtual ~counter_backend() = default;
  // The `source` of the metric files it reads: "cupti", "perf_event", "rocprofv3".
  virtual std::string name() const = 0;
  // Identities of this device, most specific first, matched against metric files' `match` lists
  // (CUPTI chip name "GH100"; CPU "GenuineIntel:6:143", "GenuineIntel:6"). Throws
  // counters_unavailable.
  virtual std::vector<std::string> device_ids() = 0;
  // Launch `w` (copy 0) as often as the counters need, fencing after each, and return the values
  // of `counters` (names declared in `file`). Throws counters_unavailable.
  virtual counter_values collect(workload& w, const metric_file& file,
                                 const std::vector<std::string>& counters) = 0;
};

std::unique_ptr<counter_backend> make_perf_event_backend();
// nullptr when this build has no CUPTI (RIDGELINE_ENABLE_CUPTI off or no CUDA toolkit).
std::unique_ptr<counter_backend> make_cupti_backend();
bool cupti_built();
// Host-only (no GPU needed): how many passes CUPTI plans for `counters` on `chip` ("GH100").
// Throws counters_unavailable when a name is unknown for the chip. Validates metric files offline.
std::size_t cupti_offline_passes(const std::string& chip, const std::vector<std::string>& counters);

}  // namespace ridgeline::profiler::counters
