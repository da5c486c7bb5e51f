#pragma once
// What a strategy has proposed so far — the shared bookkeeping that keeps strategies from
// re-proposing points — and cost_of(), the one way strategies rank outcomes.
#include <cmath>
#include <limits>
#include <optional>
#include <set>

#include "tuner/param_space.hpp"
#include "tuner/space_sampling.hpp"
#include "tuner/strategy.hpp"

namespace ridgeline::tuner::detail {

// Time of an outcome as a number to minimise: infinity for anything that is not ok.
inline double cost_of(const evaluation& e) {
  return e.status == eval_status::ok ? e.time_s : std::numeric_limits<double>::infinity();
}

class visited {
 public:
  bool contains(const config& c) const { return seen_.count(c) != 0; }
  void mark(const config& c) { seen_.insert(c); }
  // An outcome counts as seen too: the loop may feed a strategy outcomes of configs it did not
  // propose in this process (resume).
  void record(const evaluation& e) { seen_.insert(e.cfg); }
  std::size_t size() const { return seen_.size(); }

  // A valid point never proposed before, uniformly among those; nothing when all are seen.
  std::optional<config> sample_unseen(const param_space& space, rng& r) const {
    return sample_valid(space, r, [this](const config& c) { return !contains(c); });
  }

 private:
  std::set<config> seen_;
};

}  // namespace ridgeline::tuner::detail
