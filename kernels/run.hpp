#pragma once
// One evaluation end to end: refuse what cannot fit in memory before allocating, prepare (or
// record why the configuration is invalid here), optionally check against the reference, time
// with the harness, and return the result record. The request is typed: nothing is parsed here,
// so a tuning loop hands configurations down as they are.
#include <cstdint>
#include <optional>
#include <string>

#include "kernels/kernel_case.hpp"
#include "profiler/counters/counter_pass.hpp"
#include "profiler/harness.hpp"
#include "profiler/measurement.hpp"

namespace ridgeline::kernels {

class runtime;

struct run_request {
  kernel_case what;
  std::string backend;   // a backend of the runtime (runtime::default_backend when none named)
  tuner::config config;  // a whole configuration of the variant's space (may violate it: the
                         // record then says invalid_config)
  bool check = false;
  bool time = true;                   // false: check only
  std::optional<std::uint64_t> seed;  // absent = fresh from std::random_device
  profiler::harness_options harness;
  // Counter pass after timing (profiler/counters/): `none` by default so the tuner and benches
  // launch nothing extra; `ridgeline run --counters` defaults to auto.
  profiler::counters::counter_mode counters = profiler::counters::counter_mode::none;
  std::string metrics_dir;  // empty = the shipped configs/metrics (or $RIDGELINE_METRICS_DIR)
  // > 0: the child of an out-of-process counter pass (rocprofv3): prepare and fill the inputs,
  // then launch copy 0 this many times, fencing after each; no check, no timing, no counters.
  std::size_t counter_replay = 0;
  // True only in the `ridgeline` CLI: an out-of-process counter pass (rocprofv3) re-executes this
  // process's executable with `run` arguments, which is wrong for any other host (the Python
  // interpreter would be started with them). Elsewhere that pass says it cannot re-run.
  bool rerunnable_as_cli = false;
};

// An unknown backend throws usage_error; a variant unavailable there or a problem too large for
// this machine throws runtime_error before anything is allocated. Everything that is a property of
// the configuration (invalid here, failed launch, wrong result) is returned as the record's status.
profiler::measurement run_kernel(const runtime& rt, const run_request& request);

}  // namespace ridgeline::kernels
