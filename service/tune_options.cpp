#include "service/tune_options.hpp"

#include "core/error.hpp"

namespace ridgeline::service {

tuner::stop_conditions make_stop_conditions(const stop_options& o) {
  tuner::stop_conditions stop;
  if (o.budget) {
    if (*o.budget == 0) throw usage_error("--budget: must be >= 1 evaluation");
    stop.max_evaluations = *o.budget;
  }
  if (o.seconds) {
    if (!(*o.seconds > 0)) throw usage_error("--time: must be > 0 seconds");
    stop.max_seconds = *o.seconds;
  }
  if (o.no_improvement) {
    if (*o.no_improvement == 0) throw usage_error("--no-improvement: must be >= 1");
    stop.no_improvement = *o.no_improvement;
  }
  if (o.within_roof_percent) {
    if (!(*o.within_roof_percent > 0 && *o.within_roof_percent < 100)) {
      throw usage_error("--within-roof: a percentage between 0 and 100");
    }
    stop.within_roof = *o.within_roof_percent / 100;
  }
  if (!stop.max_evaluations && !stop.max_seconds && !stop.no_improvement && !stop.within_roof) {
    stop.max_evaluations = default_budget;
  }
  return stop;
}

profiler::harness_options default_tune_harness() {
  profiler::harness_options h;
  h.max_seconds = 0.5;
  h.warmup_seconds = 0.02;
  return h;
}

}  // namespace ridgeline::service
