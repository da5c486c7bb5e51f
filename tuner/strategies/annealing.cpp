// annealing: simulated annealing over the neighbourhood graph. A worse neighbour is accepted with
// probability exp(-(t_new / t_current - 1) / T): relative, so the schedule means the same for a
// 10 us and a 10 s kernel. T cools geometrically per evaluation and is reheated (from the best
// point) when it falls below t_min; a point whose neighbours are all seen restarts at random.
// The walk starts at the best of `initial` random points: a walk from one random point spends
// its first steps climbing out of whatever region it landed in.
#include <cmath>

#include "tuner/strategies/factories.hpp"
#include "tuner/strategies/sampling_strategy.hpp"

namespace ridgeline::tuner::detail {

namespace {

struct annealing_settings {
  std::size_t initial;
  double t_start, t_min, cooling;
  neighbourhood moves;
};

class annealing_strategy final : public sampling_strategy {
 public:
  annealing_strategy(const param_space& space, annealing_settings s, std::uint64_t seed)
      : sampling_strategy(space, seed), s_(s), temperature_(s.t_start) {}

 private:
  std::optional<config> choose() override {
    if (!current_ || observed() < s_.initial) return std::nullopt;
    return unseen_neighbour(current_->cfg, s_.moves);
  }

  void learn(const evaluation& e) override {
    const double cost = cost_of(e);
    if (std::isfinite(cost) && (!best_ || cost < cost_of(*best_))) best_ = e;
    if (observed() <= s_.initial) {
      if (best_) current_ = best_;  // the walk starts from the best of the initial samples
      if (!current_) current_ = e;
      return;  // the schedule starts with the walk
    } else if (!current_ || !std::isfinite(cost_of(*current_))) {
      current_ = e;  // anything beats a failed start (a failed point still has neighbours)
    } else if (std::isfinite(cost)) {
      const double worse = cost / cost_of(*current_) - 1;
      if (worse <= 0 || rng_.unit() < std::exp(-worse / temperature_)) current_ = e;
    }
    temperature_ *= s_.cooling;
    if (temperature_ < s_.t_min) {
      temperature_ = s_.t_start;
      if (best_) current_ = best_;
    }
  }

  annealing_settings s_;
  double temperature_;
  std::optional<evaluation> current_, best_;
};

}  // namespace

strategy_info annealing_info() {
  return {"annealing",
          "Simulated annealing: random neighbour moves, worse ones accepted with "
          "exp(-relative slowdown / T)",
          {{"initial", "Random configurations measured first; the walk starts at their best", "5"},
           {"t_start", "Initial temperature (relative slowdown accepted with chance 1/e)", "0.5"},
           {"t_min", "Temperature at which the search reheats from the best point", "0.001"},
           {"cooling", "Temperature factor per evaluation", "0.95"},
           {"neighbourhood",
            "adjacent (one axis to a neighbouring value) or hamming (one axis "
            "to any value)",
            "hamming"}}};
}

std::unique_ptr<strategy> make_annealing(const param_space& space, const option_values& o,
                                         std::uint64_t seed) {
  annealing_settings s{};
  s.initial = static_cast<std::size_t>(o.integer("initial", 0, 1000000));
  s.t_start = o.real("t_start", 1e-9, 1e9);
  s.t_min = o.real("t_min", 1e-12, 1e9);
  s.cooling = o.real("cooling", 0.01, 0.999999);
  s.moves = o.word("neighbourhood", {"adjacent", "hamming"}) == "adjacent" ? neighbourhood::adjacent
                                                                           : neighbourhood::hamming;
  return std::make_unique<annealing_strategy>(space, s, seed);
}

}  // namespace ridgeline::tuner::detail
