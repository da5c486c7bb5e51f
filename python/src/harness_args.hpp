#pragma once
// The harness options rl.run and rl.tune take as keyword arguments (the CLI's --warmup,
// --max-time, --target-spread, --min-samples, --max-samples): unset ones keep `base`, and the
// result is validated by the harness itself (messages name the option).
#include <optional>

#include "profiler/harness.hpp"

namespace ridgeline::python {

struct harness_args {
  std::optional<double> warmup;
  std::optional<double> max_time;
  std::optional<double> target_spread;
  std::optional<int> min_samples;
  std::optional<int> max_samples;

  profiler::harness_options apply(profiler::harness_options base) const {
    if (warmup) base.warmup_seconds = *warmup;
    if (max_time) base.max_seconds = *max_time;
    if (target_spread) base.target_relative_spread = *target_spread;
    if (min_samples) base.min_samples = *min_samples;
    if (max_samples) base.max_samples = *max_samples;
    profiler::validate(base);
    return base;
  }
};

}  // namespace ridgeline::python
