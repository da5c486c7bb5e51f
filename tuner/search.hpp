#pragma once
// The search loop: asks a strategy for configurations, evaluates them, tells the strategy, and
// stops on the first stop condition met. The loop owns the history, so a configuration the
// strategy proposes twice is answered from it: not evaluated again, not counted in the budget.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tuner/strategy.hpp"

namespace ridgeline::tuner {

// Every condition set applies; the first one met ends the search.
struct stop_conditions {
  std::optional<std::uint64_t> max_evaluations;  // "budget": evaluations (repeats are free)
  std::optional<double> max_seconds;             // "time": wall time since search() began,
                                                 // checked before each evaluation
  std::optional<std::uint64_t> no_improvement;   // "no_improvement": this many evaluations in a
                                                 // row without a better ok time (needs one ok)
  // "within_roof": stop once best_time <= floor_time_s / (1 - within_roof), i.e. the best
  // configuration reaches at least (1 - within_roof) of the roofline's attainable performance
  // (0.05 = within 5 % of the roof). Needs floor_time_s; ignored without it.
  // A floor the best beats by more than floor_tolerance (floor_time_s > best x (1 +
  // floor_tolerance)) comes from roofs below what was achieved: it is wrong, and "within_roof"
  // no longer applies. The search then goes on under the other conditions; when within_roof was
  // the only one, it stops with "roof_below_achieved" (nothing else could end it).
  std::optional<double> within_roof;
  std::optional<double> floor_time_s;  // lowest time the roofline allows for this problem
  double floor_tolerance = 0;          // the tune service: profiler::roof_tolerance
};

struct eval_context {
  std::uint64_t index;                // 0-based number of this evaluation
  std::optional<double> best_time_s;  // best ok time so far (for cutting slow configs)
};

using evaluate_fn = std::function<evaluation(const config&, const eval_context&)>;

struct search_progress {
  std::uint64_t done;        // evaluations so far
  std::uint64_t total_hint;  // max_evaluations, or 0 when unbounded
  std::optional<evaluation> best;
  double elapsed_s;
};

struct search_result {
  std::vector<evaluation> history;  // each evaluated configuration once, in evaluation order
  std::optional<evaluation> best;   // the fastest ok evaluation (the first one on ties)
  // "budget", "time", "no_improvement", "within_roof", "exhausted" (the strategy had nothing
  // left), "interrupted" (should_stop said so), "roof_below_achieved" (within_roof was the only
  // condition and the floor proved wrong).
  std::string stop_reason;
  // The best beat floor_time_s by more than floor_tolerance: the floor's roofs are wrong.
  bool floor_below_best = false;
};

// Exceptions thrown by `evaluate` propagate: they mean a broken environment, not a bad config.
// on_progress is called after each evaluation; should_stop (e.g. Ctrl-C) before each proposal.
search_result search(strategy& s, const evaluate_fn& evaluate, const stop_conditions& stop,
                     const std::function<void(const search_progress&)>& on_progress = {},
                     const std::function<bool()>& should_stop = {});

}  // namespace ridgeline::tuner
