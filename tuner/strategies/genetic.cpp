// genetic: a steady-state, elitist genetic algorithm. The population is the `population` best
// configurations measured so far; each proposal is one child of two tournament-selected parents
// (uniform crossover, then each gene mutated with chance `mutation`). Steady state rather than
// generational because every evaluation is expensive: a good child joins the parents at once.
// A child that is invalid or already seen is redrawn; after `attempts` misses the strategy
// proposes an unseen neighbour of a parent, then an unseen random point.
#include <algorithm>
#include <cmath>
#include <vector>

#include "tuner/strategies/factories.hpp"
#include "tuner/strategies/sampling_strategy.hpp"

namespace ridgeline::tuner::detail {

namespace {

struct genetic_settings {
  std::size_t population, tournament, attempts;
  double mutation;
};

struct member {
  config cfg;
  double cost;
};

class genetic_strategy final : public sampling_strategy {
 public:
  genetic_strategy(const param_space& space, genetic_settings s, std::uint64_t seed)
      : sampling_strategy(space, seed), s_(s) {}

 private:
  std::optional<config> choose() override {
    if (pool_.size() < std::min<std::size_t>(2, s_.population) || observed() < s_.population) {
      return std::nullopt;
    }
    return breed();
  }

  void learn(const evaluation& e) override {
    const double cost = cost_of(e);
    if (!std::isfinite(cost)) return;  // failed points never become parents
    const auto at = std::upper_bound(pool_.begin(), pool_.end(), cost,
                                     [](double c, const member& m) { return c < m.cost; });
    pool_.insert(at, member{e.cfg, cost});
    if (pool_.size() > s_.population) pool_.pop_back();
  }

  const member& select() {
    std::size_t best = rng_.below(pool_.size());
    for (std::size_t i = 1; i < s_.tournament; ++i) best = std::min(best, rng_.below(pool_.size()));
    return pool_[best];  // pool_ is sorted, so the lowest index is the fittest
  }

  std::optional<config> breed() {
    const auto& axes = space_.axes();
    const member* a = nullptr;
    for (std::size_t attempt = 0; attempt < s_.attempts; ++attempt) {
      a = &select();
      const member& b = select();
      config child;
      for (const auto& ax : axes) {
        const auto& name = ax.name();
        std::int64_t v = rng_.chance(0.5) ? a->cfg.at(name) : b.cfg.at(name);
        if (rng_.chance(s_.mutation)) v = ax.values()[rng_.below(ax.values().size())];
        child[name] = v;
      }
      if (!visited_.contains(child) && !space_.violation(child)) return child;
    }
    return unseen_neighbour(a->cfg, neighbourhood::hamming);
  }

  genetic_settings s_;
  std::vector<member> pool_;  // best first
};

}  // namespace

strategy_info genetic_info() {
  return {"genetic",
          "Steady-state elitist genetic algorithm: tournament selection, uniform crossover, "
          "per-gene mutation",
          {{"population",
            "Parents kept (the best configurations so far); also the number of "
            "random configurations measured first",
            "20"},
           {"tournament", "Tournament size of parent selection", "2"},
           {"mutation", "Chance that each gene of a child takes a random value", "0.1"},
           {"attempts", "Children drawn before falling back to a neighbour of a parent", "50"}}};
}

std::unique_ptr<strategy> make_genetic(const param_space& space, const option_values& o,
                                       std::uint64_t seed) {
  genetic_settings s{};
  s.population = static_cast<std::size_t>(o.integer("population", 2, 100000));
  s.tournament = static_cast<std::size_t>(o.integer("tournament", 1, 1000));
  s.mutation = o.real("mutation", 0, 1);
  s.attempts = static_cast<std::size_t>(o.integer("attempts", 1, 1000000));
  return std::make_unique<genetic_strategy>(space, s, seed);
}

}  // namespace ridgeline::tuner::detail
