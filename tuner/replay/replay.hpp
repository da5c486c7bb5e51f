#pragma once
// Replaying a strategy on a recorded space: `repeats` independent searches (seeds seed,
// seed + 1, ...) of `budget` evaluations each, scored by the methodology (methodology.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "core/key_value.hpp"
#include "tuner/replay/methodology.hpp"
#include "tuner/replay/recorded_space.hpp"
#include "tuner/search.hpp"

namespace ridgeline::tuner::replay {

struct replay_run {
  std::uint64_t seed;
  std::vector<evaluation> history;  // evaluation order
  std::string stop_reason;
  double score;                // methodology score
  double fraction_of_optimum;  // f_opt / F(budget)
};

struct replay_summary {
  std::string strategy;
  key_value_list options;
  std::uint64_t budget, repeats, seed;
  double mean_score, stddev_score, mean_fraction_of_optimum;
  std::vector<replay_run> runs;
};

methodology methodology_of(const recorded_space& rs);
methodology::run run_of(const std::vector<evaluation>& history);

// Throws usage_error for an unknown strategy or option (from make_strategy) and when the space
// has no valid time. budget >= 1, repeats >= 1.
replay_summary replay_strategy(const recorded_space& rs, const std::string& strategy,
                               const key_value_list& options, std::uint64_t budget,
                               std::uint64_t repeats, std::uint64_t seed);

}  // namespace ridgeline::tuner::replay
