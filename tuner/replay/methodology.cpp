#include "tuner/replay/methodology.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ridgeline::tuner::replay {

methodology::methodology(std::vector<double> valid_times) : asc_(std::move(valid_times)) {
  if (asc_.empty()) throw std::invalid_argument("methodology: a space without valid times");
  std::sort(asc_.begin(), asc_.end());
  const std::size_t n = asc_.size();
  median_ = n % 2 == 1 ? asc_[n / 2] : (asc_[n / 2 - 1] + asc_[n / 2]) / 2;
}

std::uint64_t methodology::budget(double p) const {
  const double target = optimum() + (1 - p) * (median_ - optimum());
  const auto i =
      static_cast<std::uint64_t>(asc_.end() - std::upper_bound(asc_.begin(), asc_.end(), target));
  const std::uint64_t n = asc_.size();
  return (i + (n + 1 - i) - 1) / (n + 1 - i);  // ceil(i / (N + 1 - i)); N + 1 - i >= 1
}

double methodology::random_baseline(std::uint64_t n) const {
  const double big_n = static_cast<double>(asc_.size());
  const double x = static_cast<double>(n) * (big_n + 1) / (static_cast<double>(n) + 1);
  const auto k =
      std::min<std::uint64_t>(asc_.size() - 1, static_cast<std::uint64_t>(std::nearbyint(x)));
  return asc_[asc_.size() - 1 - k];  // d_k counts from the worst
}

double methodology::best_after(const run& r, std::uint64_t n) const {
  double best = asc_.back();  // d_0 until the first valid time
  bool any = false;
  for (std::uint64_t i = 0; i < n && i < r.size(); ++i) {
    if (r[i] && (!any || *r[i] < best)) {
      best = *r[i];
      any = true;
    }
  }
  return best;
}

double methodology::score(const run& r) const {
  const std::uint64_t first = budget(0.01);
  const std::uint64_t last = std::max(first, budget(0.95) - (budget(0.95) > 0 ? 1 : 0));
  double sum = 0;
  // F(n) incrementally: the window can be thousands of evaluations long.
  double best = asc_.back();
  std::uint64_t seen = 0;
  for (std::uint64_t n = first; n <= last; ++n) {
    for (; seen < n && seen < r.size(); ++seen) {
      if (r[seen] && *r[seen] < best) best = *r[seen];
    }
    const double rn = random_baseline(n);
    const double denom = rn - optimum();
    sum += denom > 0 ? (rn - best) / denom : (best <= optimum() ? 1.0 : 0.0);
  }
  return sum / static_cast<double>(last - first + 1);
}

double methodology::fraction_of_optimum(const run& r, std::uint64_t n) const {
  bool any = false;
  for (std::uint64_t i = 0; i < n && i < r.size(); ++i) any = any || r[i].has_value();
  return any ? optimum() / best_after(r, n) : 0.0;
}

}  // namespace ridgeline::tuner::replay
