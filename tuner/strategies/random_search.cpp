// random: uniform sampling of the valid points without replacement — the baseline every other
// strategy is scored against (the methodology score of random search is 0 by construction).
#include "tuner/strategies/factories.hpp"
#include "tuner/strategies/visited.hpp"

namespace ridgeline::tuner::detail {

namespace {

class random_strategy final : public strategy {
 public:
  random_strategy(const param_space& space, std::uint64_t seed) : space_(space), rng_(seed) {}

  std::optional<config> propose() override {
    auto c = visited_.sample_unseen(space_, rng_);
    if (c) visited_.mark(*c);
    return c;
  }

  void observe(const evaluation& e) override { visited_.record(e); }

 private:
  const param_space& space_;
  rng rng_;
  visited visited_;
};

}  // namespace

strategy_info random_search_info() {
  return {"random", "Uniform random sampling of valid configurations, without replacement", {}};
}

std::unique_ptr<strategy> make_random_search(const param_space& space, const option_values&,
                                             std::uint64_t seed) {
  return std::make_unique<random_strategy>(space, seed);
}

}  // namespace ridgeline::tuner::detail
