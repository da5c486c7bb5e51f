#include "profiler/harness.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "core/error.hpp"

namespace ridgeline::profiler {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// Runs `count` launches on successive copies and fences once; returns elapsed seconds.
double timed_batch(workload& w, int count, std::size_t& next_copy) {
  w.fence();
  const auto t0 = clock_type::now();
  for (int i = 0; i < count; ++i) {
    w.launch(next_copy);
    next_copy = (next_copy + 1) % w.copies();
  }
  w.fence();
  return seconds_since(t0);
}

std::string describe_timer() {
  const double tick =
      static_cast<double>(clock_type::period::num) / static_cast<double>(clock_type::period::den);
  return fmt::format("std::chrono::steady_clock (tick {:g} s), host-side, fenced", tick);
}

}  // namespace

const char* to_string(stop_reason r) {
  switch (r) {
    case stop_reason::converged:
      return "converged";
    case stop_reason::time_cap:
      return "time_cap";
    case stop_reason::sample_cap:
      return "sample_cap";
    case stop_reason::abandoned:
      return "abandoned";
    case stop_reason::application:
      return "application";
  }
  return "unknown";
}

void validate(const harness_options& o) {
  if (!(o.warmup_seconds >= 0)) throw usage_error("--warmup: must be >= 0 seconds");
  if (!(o.target_relative_spread > 0)) throw usage_error("--target-spread: must be > 0");
  if (o.min_samples < 1) throw usage_error("--min-samples: must be >= 1");
  if (o.max_samples < o.min_samples) throw usage_error("--max-samples: must be >= --min-samples");
  if (!(o.max_seconds > 0)) throw usage_error("--max-time: must be > 0 seconds");
  if (!(o.min_sample_seconds >= 0)) throw usage_error("--min-sample-time: must be >= 0 seconds");
  if (o.abandon_above_seconds && !(*o.abandon_above_seconds > 0)) {
    throw usage_error("--abandon-factor: the abandon threshold must be > 0 seconds");
  }
}

timing_result measure(workload& w, const harness_options& o) {
  validate(o);  // usage_error is a std::invalid_argument, as the header promises
  if (w.copies() == 0) throw std::invalid_argument("workload has no buffer copies");
  timing_result r;
  r.timer = describe_timer();
  std::size_t next_copy = 0;

  // Warm-up: also tells how long one launch takes, which sizes the batch.
  double fastest = INFINITY;
  const auto warm_start = clock_type::now();
  do {
    fastest = std::min(fastest, timed_batch(w, 1, next_copy));
    ++r.warmup_launches;
  } while (seconds_since(warm_start) < o.warmup_seconds);
  r.warmup_seconds = seconds_since(warm_start);
  // Judged at the end of warm-up, on its fastest launch. An expensive configuration (one launch
  // longer than the warm-up) is thus judged, and abandoned, after its first launch; a cheap one
  // after a few, so a first launch's one-off costs (thread wake-up, scratch allocation, a lazily
  // loaded GPU module) cannot abandon it: they are many times a microsecond launch.
  if (o.abandon_above_seconds && fastest > *o.abandon_above_seconds) {
    r.samples = {fastest};
    r.summary = summarize(r.samples);
    r.stopped = stop_reason::abandoned;
    return r;
  }
  if (fastest < o.min_sample_seconds) {
    const double want = std::ceil(o.min_sample_seconds / std::max(fastest, 1e-9));
    r.batch = static_cast<int>(std::min(want, 1e6));
  }

  const auto start = clock_type::now();
  for (;;) {
    r.samples.push_back(timed_batch(w, r.batch, next_copy) / r.batch);
    const int n = static_cast<int>(r.samples.size());
    if (n >= o.min_samples) {
      r.summary = summarize(r.samples);
      if (r.summary.relative_spread <= o.target_relative_spread) {
        r.stopped = stop_reason::converged;
        break;
      }
      if (n >= o.max_samples) {
        r.stopped = stop_reason::sample_cap;
        break;
      }
    }
    if (seconds_since(start) >= o.max_seconds && n >= 1) {
      // The cap wins over min_samples: a 10-second kernel is measured once, not five times.
      r.stopped = stop_reason::time_cap;
      break;
    }
  }
  r.summary = summarize(r.samples);
  return r;
}

}  // namespace ridgeline::profiler
