// random: uniform sampling of the valid points without replacement — the baseline every other
// strategy is scored against (the methodology score of random search is 0 by construction).
// It is the shared sampling loop with no choice of its own.
#include "tuner/strategies/factories.hpp"
#include "tuner/strategies/sampling_strategy.hpp"

namespace ridgeline::tuner::detail {

strategy_info random_search_info() {
  return {"random", "Uniform random sampling of valid configurations, without replacement", {}};
}

std::unique_ptr<strategy> make_random_search(const param_space& space, const option_values&,
                                             std::uint64_t seed) {
  return std::make_unique<sampling_strategy>(space, seed);
}

}  // namespace ridgeline::tuner::detail
