#include "service/tune_options.hpp"

#include <fmt/format.h>

#include <exception>

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

double parse_duration(const std::string& text, const std::string& field) {
  if (text.empty()) throw usage_error(field + ": empty duration");
  double scale = 1;
  std::string number = text;
  switch (text.back()) {
    case 's':
      number.pop_back();
      break;
    case 'm':
      scale = 60;
      number.pop_back();
      break;
    case 'h':
      scale = 3600;
      number.pop_back();
      break;
    default:
      break;
  }
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(number, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != number.size() || !(value > 0)) {
    throw usage_error(
        fmt::format("{}: '{}' is not a positive duration (e.g. 90, 90s, 5m, 1h)", field, text));
  }
  return value * scale;
}

}  // namespace ridgeline::service
