#pragma once
// A small random forest for the surrogate strategy: bagged regression trees over integer
// features (a configuration's position on each axis, so "<=" splits follow the axis order).
// Sized for tuning data — hundreds of rows, a handful of features — not for general use.
#include <cstdint>
#include <vector>

#include "tuner/random.hpp"

namespace ridgeline::tuner::detail {

struct forest_settings {
  std::size_t trees = 20;
  std::size_t max_depth = 12;
  std::size_t min_leaf = 1;
  double feature_fraction = 0.7;  // features tried per split (at least one)
};

class regression_forest {
 public:
  // rows[i][f] < feature_sizes[f]; every row has feature_sizes.size() entries.
  void fit(const std::vector<std::vector<std::uint32_t>>& rows, const std::vector<double>& y,
           const std::vector<std::uint32_t>& feature_sizes, const forest_settings& s, rng& r);
  // Mean and standard deviation of the trees' predictions.
  void predict(const std::vector<std::uint32_t>& row, double& mean, double& stddev) const;

 private:
  struct node {
    std::int32_t feature = -1;    // -1: leaf
    std::uint32_t threshold = 0;  // row[feature] <= threshold goes left
    std::int32_t left = -1, right = -1;
    double value = 0;
  };
  using tree = std::vector<node>;
  std::int32_t build(tree& t, std::vector<std::size_t>& idx, std::size_t begin, std::size_t end,
                     std::size_t depth, const forest_settings& s, rng& r);

  const std::vector<std::vector<std::uint32_t>>* rows_ = nullptr;
  const std::vector<double>* y_ = nullptr;
  std::vector<std::uint32_t> sizes_;
  std::vector<tree> trees_;
};

}  // namespace ridgeline::tuner::detail
