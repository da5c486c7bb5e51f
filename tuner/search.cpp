#include "tuner/search.hpp"

#include <chrono>
#include <map>

namespace ridgeline::tuner {

search_result search(strategy& s, const evaluate_fn& evaluate, const stop_conditions& stop,
                     const std::function<void(const search_progress&)>& on_progress,
                     const std::function<bool()>& should_stop) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };

  search_result result;
  std::map<config, std::size_t> done;  // config -> index into history
  std::uint64_t since_improvement = 0;
  // A strategy that keeps re-proposing seen configs would spin forever: after this many repeats
  // in a row it is treated as exhausted.
  constexpr std::uint64_t max_repeats_in_a_row = 100000;
  std::uint64_t repeats = 0;

  // A floor the best beats by more than the tolerance is wrong (its roofs are below what was
  // achieved): it must neither stop the search as "within_roof" nor be reported as reached.
  auto floor_wrong = [&] {
    return stop.floor_time_s && result.best &&
           *stop.floor_time_s > result.best->time_s * (1 + stop.floor_tolerance);
  };
  auto reached_roof = [&] {
    return stop.within_roof && stop.floor_time_s && result.best && !floor_wrong() &&
           result.best->time_s <= *stop.floor_time_s / (1 - *stop.within_roof);
  };
  const bool only_within_roof =
      stop.within_roof && !stop.max_evaluations && !stop.max_seconds && !stop.no_improvement;

  for (;;) {
    const std::uint64_t n = result.history.size();
    if (stop.max_evaluations && n >= *stop.max_evaluations) {
      result.stop_reason = "budget";
      break;
    }
    if (reached_roof()) {
      result.stop_reason = "within_roof";
      break;
    }
    if (only_within_roof && floor_wrong()) {
      result.stop_reason = "roof_below_achieved";
      break;
    }
    if (stop.no_improvement && result.best && since_improvement >= *stop.no_improvement) {
      result.stop_reason = "no_improvement";
      break;
    }
    if (stop.max_seconds && elapsed() >= *stop.max_seconds) {
      result.stop_reason = "time";
      break;
    }
    if (should_stop && should_stop()) {
      result.stop_reason = "interrupted";
      break;
    }
    std::optional<config> c = s.propose();
    if (!c) {
      result.stop_reason = "exhausted";
      break;
    }
    if (const auto it = done.find(*c); it != done.end()) {
      s.observe(result.history[it->second]);  // free: answered from the history
      if (++repeats >= max_repeats_in_a_row) {
        result.stop_reason = "exhausted";
        break;
      }
      continue;
    }
    repeats = 0;
    eval_context ctx{n, result.best ? std::optional<double>(result.best->time_s) : std::nullopt};
    evaluation e = evaluate(*c, ctx);
    e.cfg = *c;  // the record is of what was proposed, whatever the evaluator echoed
    done.emplace(e.cfg, result.history.size());
    result.history.push_back(e);
    if (e.status == eval_status::ok && (!result.best || e.time_s < result.best->time_s)) {
      result.best = e;
      since_improvement = 0;
    } else {
      ++since_improvement;
    }
    s.observe(e);
    if (on_progress) {
      on_progress(search_progress{result.history.size(), stop.max_evaluations.value_or(0),
                                  result.best, elapsed()});
    }
  }
  result.floor_below_best = floor_wrong();
  return result;
}

}  // namespace ridgeline::tuner
