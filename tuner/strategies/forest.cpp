// forest: a model-based strategy. After `initial` random configurations it fits a random forest
// (bagged regression trees on log time, features = each axis's value position) to everything
// measured, and proposes the unseen candidate with the highest expected improvement, taking the
// trees' spread as the prediction's uncertainty (as SMAC does). Candidates: every unseen valid
// point when at most `candidates` remain, else `candidates` random unseen points (drawn from a
// list of the valid points made once when the space has at most `list_limit` Cartesian
// points, else by bounded rejection sampling) — plus,
// always, the unseen Hamming neighbours of the `local` best points, so the model can refine
// around the incumbents. A failed configuration is learnt as twice the slowest time
// seen: failure regions look bad to the model without dominating the fit.
// Why trees: tuning spaces are discrete, mixed-scale and full of cliffs (a tile that no longer
// fits in shared memory); trees model those without a kernel choice, and fit in microseconds.
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>
#include <vector>

#include "tuner/space_enumeration.hpp"
#include "tuner/space_neighbours.hpp"
#include "tuner/strategies/factories.hpp"
#include "tuner/strategies/regression_forest.hpp"
#include "tuner/strategies/sampling_strategy.hpp"

namespace ridgeline::tuner::detail {

namespace {

struct forest_strategy_settings {
  std::size_t initial, candidates, local;
  std::uint64_t list_limit;
  double explore;  // probability of a random proposal instead of the model's choice
  forest_settings forest;
};

using positions = std::vector<std::uint32_t>;

struct positions_hash {
  std::size_t operator()(const positions& p) const {
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a over the positions
    for (auto v : p) h = (h ^ v) * 0x100000001b3ULL;
    return static_cast<std::size_t>(h);
  }
};
using position_set = std::unordered_set<positions, positions_hash>;

class forest_strategy final : public sampling_strategy {
 public:
  forest_strategy(const param_space& space, forest_strategy_settings s, std::uint64_t seed)
      : sampling_strategy(space, seed), s_(s) {
    for (const auto& a : space_.axes())
      sizes_.push_back(static_cast<std::uint32_t>(a.values().size()));
    // Extra feature per numeric axis: the value's power-of-two alignment (trailing zero bits).
    // GPU parameters often matter through it (warp multiples, bank conflicts), and a tree would
    // need many "<=" splits to carve {16, 32, 64, 128, 256} out of 16..256 step 16.
    for (std::size_t i = 0; i < space_.axes().size(); ++i) {
      const auto& a = space_.axes()[i];
      if (a.kind() == axis_kind::categorical || a.kind() == axis_kind::power_of_two) continue;
      std::vector<std::uint32_t> tz;
      std::uint32_t distinct_max = 0;
      bool usable = true;
      for (std::int64_t v : a.values()) {
        if (v <= 0) usable = false;
        std::uint32_t z = 0;
        while (v > 0 && (v & 1) == 0 && z < 62) {
          v >>= 1;
          ++z;
        }
        tz.push_back(z);
        distinct_max = std::max(distinct_max, z);
      }
      if (!usable || distinct_max == 0) continue;
      alignment_.push_back({i, std::move(tz)});
      sizes_.push_back(distinct_max + 1);
    }
    // Small spaces are listed once (one constraint check per Cartesian point), so candidates
    // are drawn from the list instead of by rejection.
    if (cartesian_size(space_) <= s_.list_limit) {
      for_each_valid(space_, [&](const config& c) {
        all_.push_back(to_positions(c));
        return true;
      });
    }
  }

 private:
  std::optional<config> choose() override {
    if (ok_count_ == 0 || rows_.size() < s_.initial || rng_.chance(s_.explore)) {
      return std::nullopt;
    }
    return model_choice();
  }

  void learn(const evaluation& e) override {
    const auto pos = axis_positions(space_, e.cfg);
    if (!pos) return;
    positions p(pos->begin(), pos->end());
    seen_positions_.insert(p);
    features_.push_back(features(p));
    rows_.push_back(std::move(p));
    const double cost = cost_of(e);
    times_.push_back(std::isfinite(cost) ? std::log(cost)
                                         : std::numeric_limits<double>::quiet_NaN());
    if (std::isfinite(cost)) ++ok_count_;
  }

  positions to_positions(const config& c) const {
    const auto pos = axis_positions(space_, c);
    return positions(pos->begin(), pos->end());
  }

  std::optional<config> model_choice() {
    // Targets: log time; failures as the slowest time seen plus log 2.
    double worst = -std::numeric_limits<double>::infinity();
    double best = std::numeric_limits<double>::infinity();
    for (double t : times_) {
      if (std::isnan(t)) continue;
      worst = std::max(worst, t);
      best = std::min(best, t);
    }
    std::vector<double> y(times_.size());
    for (std::size_t i = 0; i < y.size(); ++i)
      y[i] = std::isnan(times_[i]) ? worst + std::log(2.0) : times_[i];
    model_.fit(features_, y, sizes_, s_.forest, rng_);

    std::vector<positions> pool;
    position_set in_pool;
    auto add = [&](positions p) {
      if (seen_positions_.count(p) || !in_pool.insert(p).second) return;
      pool.push_back(std::move(p));
    };
    const bool listed = !all_.empty();
    if (listed && all_.size() - std::min(all_.size(), seen_positions_.size()) <= s_.candidates) {
      for (const auto& p : all_) {
        if (!seen_positions_.count(p)) pool.push_back(p);  // all distinct: no in_pool check
      }
    } else if (listed) {
      // A random sample of the list; drawing with replacement is fine, duplicates are dropped.
      for (std::size_t i = 0; i < 2 * s_.candidates && pool.size() < s_.candidates; ++i) {
        add(all_[rng_.below(all_.size())]);
      }
    } else {
      // Plain rejection with a bounded number of draws: in a space where valid points are rare
      // the exact sampler would stream the whole product once per candidate.
      for (std::size_t i = 0; i < 64 * s_.candidates && pool.size() < s_.candidates; ++i) {
        const config c = random_point(space_, rng_);
        if (!space_.violation(c)) add(to_positions(c));
      }
    }
    // The best points' neighbourhoods, best first.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      if (!std::isnan(times_[i])) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return times_[a] < times_[b] || (times_[a] == times_[b] && a < b);
    });
    {
      for (std::size_t k = 0; k < order.size() && k < s_.local; ++k) {
        for (const auto& n :
             neighbours(space_, config_from(rows_[order[k]]), neighbourhood::hamming)) {
          add(to_positions(n));
        }
      }
    }
    if (pool.empty()) return std::nullopt;

    // Expected improvement over the best log time (minimisation).
    double best_ei = -1;
    std::size_t pick = 0;
    for (std::size_t i = 0; i < pool.size(); ++i) {
      double mean = 0, sd = 0;
      model_.predict(features(pool[i]), mean, sd);
      double ei;
      if (sd <= 1e-12) {
        ei = std::max(0.0, best - mean);
      } else {
        const double z = (best - mean) / sd;
        const double cdf = 0.5 * std::erfc(-z / std::sqrt(2.0));
        const double pdf = std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI);
        ei = (best - mean) * cdf + sd * pdf;
      }
      if (ei > best_ei) {
        best_ei = ei;
        pick = i;
      }
    }
    return config_from(pool[pick]);
  }

  // The model's features of a point: its axis positions, then the alignment features.
  positions features(const positions& p) const {
    positions f = p;
    for (const auto& [axis_i, tz] : alignment_) f.push_back(tz[p[axis_i]]);
    return f;
  }

  config config_from(const positions& p) const {
    return config_from_positions(space_, std::vector<std::size_t>(p.begin(), p.end()));
  }

  forest_strategy_settings s_;
  std::vector<std::uint32_t> sizes_;  // feature sizes
  std::vector<std::pair<std::size_t, std::vector<std::uint32_t>>>
      alignment_;                    // axis, tz by position
  std::vector<positions> features_;  // features of rows_
  std::vector<positions> all_;       // every valid point, when the space is small enough
  std::vector<positions> rows_;
  std::vector<double> times_;  // log time, NaN = not ok
  position_set seen_positions_;
  std::size_t ok_count_ = 0;
  regression_forest model_;
};

}  // namespace

strategy_info forest_info() {
  return {"forest",
          "Random-forest surrogate: proposes the unseen configuration with the highest expected "
          "improvement",
          {{"initial", "Random configurations measured before the model is used", "3"},
           {"trees", "Trees in the forest", "24"},
           {"max_depth", "Depth limit of each tree", "12"},
           {"min_leaf", "Fewest training points in a leaf", "1"},
           {"feature_fraction", "Share of the axes tried at each split", "0.7"},
           {"candidates", "Random unseen candidates ranked per step", "2000"},
           {"local", "Best points whose neighbours join the candidates", "5"},
           {"list_limit",
            "Spaces of at most this many Cartesian points are listed once (faster "
            "candidate draws)",
            "1000000"},
           {"explore", "Chance of a random proposal instead of the model's choice", "0.0"}}};
}

std::unique_ptr<strategy> make_forest(const param_space& space, const option_values& o,
                                      std::uint64_t seed) {
  forest_strategy_settings s{};
  s.initial = static_cast<std::size_t>(o.integer("initial", 1, 1000000));
  s.forest.trees = static_cast<std::size_t>(o.integer("trees", 1, 1000));
  s.forest.max_depth = static_cast<std::size_t>(o.integer("max_depth", 1, 64));
  s.forest.min_leaf = static_cast<std::size_t>(o.integer("min_leaf", 1, 1000));
  s.forest.feature_fraction = o.real("feature_fraction", 0.01, 1);
  s.candidates = static_cast<std::size_t>(o.integer("candidates", 1, 10000000));
  s.local = static_cast<std::size_t>(o.integer("local", 0, 100000));
  s.list_limit = static_cast<std::uint64_t>(o.integer("list_limit", 0, 100000000));
  s.explore = o.real("explore", 0, 1);
  return std::make_unique<forest_strategy>(space, s, seed);
}

}  // namespace ridgeline::tuner::detail
