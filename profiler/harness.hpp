#pragma once
// The measurement loop: warm-up, then samples until the relative spread is below a target or a
// time/sample cap is hit. Each sample times a batch of back-to-back launches between two fences;
// the batch is sized during warm-up so that one sample is long compared with the timer's resolution
// and the fence's cost. Launches cycle through the workload's buffer copies so that, when the
// working set fits in the last-level cache, consecutive launches do not find their inputs warm.
#include <optional>
#include <string>
#include <vector>

#include "profiler/statistics.hpp"
#include "profiler/workload.hpp"

namespace ridgeline::profiler {

struct harness_options {
  double warmup_seconds = 0.05;      // at least one launch, then until this much time has passed
  double min_sample_seconds = 1e-3;  // batch launches until one sample lasts at least this long
  double target_relative_spread = 0.02;
  int min_samples = 5;
  int max_samples = 1000;
  double max_seconds = 2.0;  // time cap for the sampling phase (warm-up excluded)
  // Give up at the end of warm-up when its fastest launch took longer than this (the tuner
  // abandoning configurations far slower than its best so far): the result then holds that launch
  // as its only sample and stop_reason::abandoned. A launch longer than warmup_seconds ends the
  // warm-up by itself, so an expensive configuration is abandoned after its first launch. Unset =
  // never.
  std::optional<double> abandon_above_seconds;
};

// Why sampling stopped. `application`: nothing stopped it — the samples are every launch an
// application made (the Kokkos Tools connector, kokkos_tools/), so the application chose the count.
enum class stop_reason { converged, time_cap, sample_cap, abandoned, application };
const char* to_string(stop_reason r);

struct timing_result {
  std::vector<double> samples;  // seconds per launch, one entry per sample
  sample_summary summary;       // of `samples`
  int batch = 1;                // launches per sample
  int warmup_launches = 0;
  double warmup_seconds = 0;
  stop_reason stopped = stop_reason::converged;
  std::string timer;  // which clock, and its resolution
};

// Throws std::invalid_argument for nonsensical options (caller validates user input first).
timing_result measure(workload& w, const harness_options& options);

// Checks options, throwing usage_error naming the CLI flag for each bad value.
void validate(const harness_options& options);

}  // namespace ridgeline::profiler
