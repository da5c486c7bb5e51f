#pragma once
// What the CLI and the Python module share about a tuning run's options. The stop conditions a
// user asks a tuning run for (`ridgeline tune --budget/--time/
// --no-improvement/--within-roof`, rl.tune's budget/time/no_improvement/within_roof), checked
// once for both: usage errors name the option; nothing asked = a budget of 40 evaluations.
#include <cstdint>
#include <optional>
#include <string>

#include "profiler/harness.hpp"
#include "tuner/search.hpp"

namespace ridgeline::service {

struct stop_options {
  std::optional<std::uint64_t> budget;          // evaluations, >= 1
  std::optional<double> seconds;                // wall time, > 0
  std::optional<std::uint64_t> no_improvement;  // evaluations in a row, >= 1
  std::optional<double> within_roof_percent;    // in (0, 100)
};

constexpr std::uint64_t default_budget = 40;

// "90", "90s", "5m", "1.5h" -> seconds (> 0); usage_error naming `field` otherwise. For --time and
// the nightly job file's time fields.
double parse_duration(const std::string& text, const std::string& field);

tuner::stop_conditions make_stop_conditions(const stop_options& o);

// Per-configuration sampling of a tuning run: shorter than a single `run` (0.5 s cap, 20 ms
// warm-up), since a search measures many configurations and only needs to rank them.
profiler::harness_options default_tune_harness();

}  // namespace ridgeline::service
