#pragma once
// The counter pass: choose a backend for the request and the device, find the metric file for the
// device, collect the counters the analytic work model's metrics need, evaluate the formulas, and
// return the counted work — or a one-line reason why not (printed once per process by the caller
// through report_once) so the measurement goes on with timing + analytic counts.
#include <optional>
#include <string>
#include <vector>

#include "profiler/counters/counter_backend.hpp"
#include "profiler/measurement.hpp"
#include "profiler/work_model.hpp"
#include "profiler/workload.hpp"

namespace ridgeline::profiler::counters {

// --counters: auto (perf_event on host backends, cupti on CUDA, rocprofv3 on HIP),
// none/analytic (no pass), cupti, perf, rocprof (alias rocprofv3).
enum class counter_mode { automatic, none, cupti, perf, rocprof };
counter_mode parse_counter_mode(const std::string& text, const std::string& option);
const char* to_string(counter_mode m);

struct counter_request {
  counter_mode mode = counter_mode::automatic;
  bool device_is_host = true;  // Kokkos host backend (OpenMP/Serial/Threads)
  std::string device_backend;  // Kokkos name: "OpenMP", "Cuda", "HIP", ...
  std::string metrics_dir;     // empty = default_metrics_dir()
  // `ridgeline` arguments that re-run this measurement in a child process (rocprof_command.hpp
  // replay_arguments); out-of-process backends (rocprofv3) need them. Empty = cannot re-run.
  std::vector<std::string> replay_args;
};

struct counter_pass_result {
  std::optional<counted_work> counted;
  std::string unavailable;  // why there are no counts (empty when counted or not asked)
};

// Never throws for environment problems (those become `unavailable`); throws usage_error for a
// malformed metric file (a broken shipped file is a bug to fix, not a condition to degrade on).
counter_pass_result run_counter_pass(workload& w, const work_model& analytic,
                                     const counter_request& req);
// Same, with an explicit backend (tests inject fakes).
counter_pass_result run_counter_pass(workload& w, const work_model& analytic,
                                     counter_backend& backend, const std::string& metrics_dir);

// The metrics a pass asks for, given the analytic model: flops_<p>_<u> of each stated precision and
// unit (flops_any_<u> where the file has no per-precision metric), every bytes_<level>, time_s and
// the clocks.
std::vector<std::string> wanted_metrics(const work_model& analytic, const metric_file& file);

// Writes "ridgeline: counters: MESSAGE" to stderr the first time MESSAGE is seen in this process.
void report_once(const std::string& message);

}  // namespace ridgeline::profiler::counters
