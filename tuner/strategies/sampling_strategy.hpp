#pragma once
// The proposal loop shared by the sampling strategies: a strategy's own choice when it has one
// (choose), else a uniformly drawn unseen valid point; every proposal and every outcome counts
// as seen. On its own (no choice of its own) it is random search.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "tuner/space_neighbours.hpp"
#include "tuner/strategies/visited.hpp"

namespace ridgeline::tuner::detail {

class sampling_strategy : public strategy {
 public:
  sampling_strategy(const param_space& space, std::uint64_t seed) : space_(space), rng_(seed) {}

  std::optional<config> propose() final {
    std::optional<config> next = choose();
    if (!next) next = visited_.sample_unseen(space_, rng_);  // start, or a dead end: restart
    if (next) visited_.mark(*next);
    return next;
  }

  void observe(const evaluation& e) final {
    visited_.record(e);
    ++observed_;
    learn(e);
  }

 protected:
  // Nothing: fall back to an unseen random point.
  virtual std::optional<config> choose() { return std::nullopt; }
  // Called after the outcome is recorded and counted in observed().
  virtual void learn(const evaluation&) {}

  // Outcomes told so far (resumed ones included).
  std::size_t observed() const { return observed_; }

  // A uniformly drawn neighbour of `c` not seen yet; nothing when all are seen.
  std::optional<config> unseen_neighbour(const config& c, neighbourhood moves) {
    std::vector<config> options;
    for (auto& n : neighbours(space_, c, moves)) {
      if (!visited_.contains(n)) options.push_back(std::move(n));
    }
    if (options.empty()) return std::nullopt;
    return options[rng_.below(options.size())];
  }

  const param_space& space_;
  rng rng_;
  visited visited_;

 private:
  std::size_t observed_ = 0;
};

}  // namespace ridgeline::tuner::detail
