#include "tuner/strategies/regression_forest.hpp"

#include <algorithm>
#include <cmath>

namespace ridgeline::tuner::detail {

void regression_forest::fit(const std::vector<std::vector<std::uint32_t>>& rows,
                            const std::vector<double>& y,
                            const std::vector<std::uint32_t>& feature_sizes,
                            const forest_settings& s, rng& r) {
  rows_ = &rows;
  y_ = &y;
  sizes_ = feature_sizes;
  trees_.assign(s.trees, {});
  if (rows.empty()) return;
  for (auto& t : trees_) {
    std::vector<std::size_t> idx(rows.size());
    for (auto& i : idx) i = r.below(rows.size());  // bootstrap sample
    build(t, idx, 0, idx.size(), 0, s, r);
  }
  rows_ = nullptr;  // the data is only needed while building
  y_ = nullptr;
}

std::int32_t regression_forest::build(tree& t, std::vector<std::size_t>& idx, std::size_t begin,
                                      std::size_t end, std::size_t depth, const forest_settings& s,
                                      rng& r) {
  const auto& rows = *rows_;
  const auto& y = *y_;
  const std::size_t n = end - begin;
  double sum = 0;
  for (std::size_t i = begin; i < end; ++i) sum += y[idx[i]];
  const auto self = static_cast<std::int32_t>(t.size());
  t.push_back(node{});
  t[self].value = sum / static_cast<double>(n);
  if (depth >= s.max_depth || n < 2 * s.min_leaf) return self;

  // Features to try: a random subset, drawn by a partial Fisher-Yates shuffle.
  std::vector<std::size_t> features(sizes_.size());
  for (std::size_t f = 0; f < features.size(); ++f) features[f] = f;
  const auto tries = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::ceil(s.feature_fraction * features.size())));
  for (std::size_t k = 0; k < tries && k < features.size(); ++k) {
    std::swap(features[k], features[k + r.below(features.size() - k)]);
  }

  double best_gain = 1e-12 * std::max(1.0, std::abs(sum));
  std::int32_t best_feature = -1;
  std::uint32_t best_threshold = 0;
  std::vector<double> bucket_sum;
  std::vector<std::size_t> bucket_n;
  const double base = sum * sum / static_cast<double>(n);
  for (std::size_t k = 0; k < tries && k < features.size(); ++k) {
    const std::size_t f = features[k];
    if (sizes_[f] < 2) continue;
    bucket_sum.assign(sizes_[f], 0.0);
    bucket_n.assign(sizes_[f], 0);
    for (std::size_t i = begin; i < end; ++i) {
      bucket_sum[rows[idx[i]][f]] += y[idx[i]];
      ++bucket_n[rows[idx[i]][f]];
    }
    // Maximising S_L^2/n_L + S_R^2/n_R minimises the children's squared error.
    double left_sum = 0;
    std::size_t left_n = 0;
    for (std::uint32_t v = 0; v + 1 < sizes_[f]; ++v) {
      left_sum += bucket_sum[v];
      left_n += bucket_n[v];
      if (bucket_n[v] == 0) continue;  // same split as the previous non-empty threshold
      if (left_n < s.min_leaf || n - left_n < s.min_leaf) continue;
      const double right_sum = sum - left_sum;
      const double gain = left_sum * left_sum / static_cast<double>(left_n) +
                          right_sum * right_sum / static_cast<double>(n - left_n) - base;
      if (gain > best_gain) {
        best_gain = gain;
        best_feature = static_cast<std::int32_t>(f);
        best_threshold = v;
      }
    }
  }
  if (best_feature < 0) return self;

  const auto f = static_cast<std::size_t>(best_feature);
  const auto mid = std::partition(idx.begin() + static_cast<std::ptrdiff_t>(begin),
                                  idx.begin() + static_cast<std::ptrdiff_t>(end),
                                  [&](std::size_t i) { return rows[i][f] <= best_threshold; });
  const auto split = static_cast<std::size_t>(mid - idx.begin());
  const std::int32_t left = build(t, idx, begin, split, depth + 1, s, r);
  const std::int32_t right = build(t, idx, split, end, depth + 1, s, r);
  t[self].feature = best_feature;
  t[self].threshold = best_threshold;
  t[self].left = left;
  t[self].right = right;
  return self;
}

void regression_forest::predict(const std::vector<std::uint32_t>& row, double& mean,
                                double& stddev) const {
  double sum = 0, sum2 = 0;
  for (const auto& t : trees_) {
    std::int32_t at = 0;
    while (t[at].feature >= 0) {
      at = row[static_cast<std::size_t>(t[at].feature)] <= t[at].threshold ? t[at].left
                                                                           : t[at].right;
    }
    sum += t[at].value;
    sum2 += t[at].value * t[at].value;
  }
  const double k = static_cast<double>(trees_.size());
  mean = sum / k;
  stddev = std::sqrt(std::max(0.0, sum2 / k - mean * mean));
}

}  // namespace ridgeline::tuner::detail
