#include "tuner/replay/replay.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "tuner/strategy_registry.hpp"

namespace ridgeline::tuner::replay {

methodology methodology_of(const recorded_space& rs) {
  auto times = rs.valid_times_s();
  if (times.empty()) {
    throw usage_error(
        fmt::format("{}: no configuration has a valid time: nothing to score", rs.path));
  }
  return methodology(std::move(times));
}

methodology::run run_of(const std::vector<evaluation>& history) {
  methodology::run r;
  r.reserve(history.size());
  for (const auto& e : history) {
    r.push_back(e.status == eval_status::ok ? std::optional<double>(e.time_s) : std::nullopt);
  }
  return r;
}

replay_summary replay_strategy(const recorded_space& rs, const std::string& strategy,
                               const key_value_list& options, std::uint64_t budget,
                               std::uint64_t repeats, std::uint64_t seed) {
  const methodology m = methodology_of(rs);
  replay_summary out{strategy, options, budget, repeats, seed, 0, 0, 0, {}};
  stop_conditions stop;
  stop.max_evaluations = budget;
  const evaluate_fn lookup = [&rs](const config& c, const eval_context&) { return rs.evaluate(c); };
  for (std::uint64_t i = 0; i < repeats; ++i) {
    replay_run run;
    run.seed = seed + i;
    auto s = make_strategy(strategy, rs.space, options, run.seed);
    search_result result = search(*s, lookup, stop);
    const auto r = run_of(result.history);
    run.score = m.score(r);
    run.fraction_of_optimum = m.fraction_of_optimum(r, budget);
    run.history = std::move(result.history);
    run.stop_reason = result.stop_reason;
    out.mean_score += run.score;
    out.mean_fraction_of_optimum += run.fraction_of_optimum;
    out.runs.push_back(std::move(run));
  }
  const double k = static_cast<double>(repeats);
  out.mean_score /= k;
  out.mean_fraction_of_optimum /= k;
  double var = 0;
  for (const auto& run : out.runs)
    var += (run.score - out.mean_score) * (run.score - out.mean_score);
  out.stddev_score = repeats > 1 ? std::sqrt(var / (k - 1)) : 0;
  return out;
}

}  // namespace ridgeline::tuner::replay
