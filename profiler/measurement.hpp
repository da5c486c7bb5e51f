#pragma once
// The one result record (STYLE.md lesson 4): everything about one evaluation of one kernel variant
// on one problem and configuration. Console, JSON and (later) database writers all read this.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "profiler/harness.hpp"
#include "profiler/work_model.hpp"

namespace ridgeline::profiler {

enum class status { ok, invalid_config, launch_failed, wrong_result, timeout };
const char* to_string(status s);

struct problem_value {
  std::string name;
  double value = 0;
  bool integer = true;  // printed without a decimal point
};

struct check_result {
  bool passed = false;
  std::string reference;  // what the output was compared with
  std::string bound;      // the error bound, in words
  double max_abs_error = 0;
  double max_error_over_bound = 0;  // worst |err| / bound over all elements (<= 1 passes)
  std::uint64_t elements = 0;
  std::uint64_t bad_elements = 0;  // over the bound, or not finite (poison left in place)
  std::string first_bad;           // e.g. "C[3,17] = nan, expected 4.2 +- 1e-5"
  std::uint64_t seed = 0;          // of the random inputs
};

struct rotation_info {
  std::size_t copies = 1;
  bool inputs_cold = true;
  std::uint64_t working_set_bytes = 0;
  // The cache the copies were sized against (profiler::rotation_cache): "device_l2" or
  // "host_llc", and its size (0 = unknown). Empty in records written before it was recorded.
  std::string cache;
  std::uint64_t cache_bytes = 0;
};

// Counts read from hardware counters in a pass separate from timing (profiler/counters/). `work`
// stays the analytic model (placements use it); this is the counted twin, kept beside it so
// reports can show both and their ratio.
struct counted_work {
  std::string source;        // "cupti", "perf_event", "rocprofv3"
  std::string replay;        // "user" (workload re-launched once per pass), "none" (one launch)
  std::size_t passes = 0;    // counted launches
  std::string metrics_file;  // the formulas used, e.g. ".../configs/metrics/nvidia/sm_90.yaml"
  std::string device_id;     // what the file matched: "GH100", "GenuineIntel:6:143"
  work_model work;           // counted FLOPs (precision "any" when not split) and bytes per level
  std::vector<std::pair<std::string, double>> clocks_hz;  // "sm", "dram": measured during the pass
  std::optional<double> time_s;                            // device time of one counted launch
  std::vector<std::pair<std::string, double>> raw;         // vendor counter -> value
};

struct measurement {
  std::string kernel;
  std::string variant;
  std::string dtype;
  std::string backend;  // Kokkos execution space, e.g. "OpenMP"
  std::vector<problem_value> problem;
  std::vector<std::pair<std::string, std::string>> params;  // axis -> formatted value
  status outcome = status::ok;
  std::string reason;  // why, when outcome != ok
  std::optional<timing_result> timing;
  work_model work;
  std::string counts_source = "analytic";  // where `work` came from
  std::optional<counted_work> counted;     // absent: no counter pass, or counters unavailable
  std::optional<check_result> check;
  rotation_info rotation;
  std::vector<std::pair<std::string, std::string>> provenance;

  std::string problem_text() const;  // "m=257,n=129,k=31"
  std::string params_text() const;
};

// Rates derived from the median time and the work model. Zero when there is no timing.
struct derived_metrics {
  double flop_per_s = 0;
  double dram_byte_per_s = 0;
  double arithmetic_intensity = 0;  // FLOP per minimal DRAM byte
};
derived_metrics derive(const measurement& m);

}  // namespace ridgeline::profiler
