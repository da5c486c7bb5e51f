// quantile_sorted is NumPy's default (type 7, linear) quantile; summarize() reports it for the
// median and quartiles, with the IQR relative to the median as the spread.
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "profiler/statistics.hpp"

namespace ridgeline::profiler {
namespace {

TEST(QuantileSorted, MatchesNumpyType7) {
  // np.quantile([1, 2, 4, 8, 16, 32], [0, .1, .25, .5, .75, .9, 1])
  //   -> [1, 1.5, 2.5, 6, 14, 24, 32]
  const std::vector<double> v{1, 2, 4, 8, 16, 32};
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.1), 1.5);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.25), 2.5);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.5), 6.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.75), 14.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.9), 24.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 1.0), 32.0);
}

TEST(QuantileSorted, OddCountHitsElementsExactly) {
  // np.quantile([10, 20, 30, 40, 50], [.25, .5, .75, .6]) -> [20, 30, 40, 34]
  const std::vector<double> v{10, 20, 30, 40, 50};
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.25), 20.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.5), 30.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.75), 40.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.6), 34.0);
}

TEST(QuantileSorted, SingleValueAndClampedP) {
  EXPECT_DOUBLE_EQ(quantile_sorted({7.5}, 0.3), 7.5);
  const std::vector<double> v{1, 2, 3};
  EXPECT_DOUBLE_EQ(quantile_sorted(v, -0.5), 1.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 1.5), 3.0);
}

TEST(QuantileSorted, EmptyThrows) {
  EXPECT_THROW(quantile_sorted({}, 0.5), std::invalid_argument);
}

TEST(Summarize, OddCountUnsortedInput) {
  // sorted: 1 1 3 4 5 -> q1 1, median 3, q3 4, mean 2.8
  const sample_summary s = summarize({3, 1, 4, 1, 5});
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.min, 1.0);
  EXPECT_DOUBLE_EQ(s.max, 5.0);
  EXPECT_DOUBLE_EQ(s.median, 3.0);
  EXPECT_DOUBLE_EQ(s.q1, 1.0);
  EXPECT_DOUBLE_EQ(s.q3, 4.0);
  EXPECT_DOUBLE_EQ(s.mean, 2.8);
  EXPECT_DOUBLE_EQ(s.relative_spread, 1.0);
}

TEST(Summarize, EvenCountInterpolates) {
  // sorted: 1 2 3 4 -> np.quantile(.., [.25, .5, .75]) = [1.75, 2.5, 3.25]
  const sample_summary s = summarize({4, 1, 3, 2});
  EXPECT_EQ(s.count, 4u);
  EXPECT_DOUBLE_EQ(s.min, 1.0);
  EXPECT_DOUBLE_EQ(s.max, 4.0);
  EXPECT_DOUBLE_EQ(s.median, 2.5);
  EXPECT_DOUBLE_EQ(s.q1, 1.75);
  EXPECT_DOUBLE_EQ(s.q3, 3.25);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_DOUBLE_EQ(s.relative_spread, 0.6);
}

TEST(Summarize, SingleSampleHasZeroSpread) {
  const sample_summary s = summarize({2e-3});
  EXPECT_EQ(s.count, 1u);
  EXPECT_DOUBLE_EQ(s.median, 2e-3);
  EXPECT_DOUBLE_EQ(s.min, 2e-3);
  EXPECT_DOUBLE_EQ(s.max, 2e-3);
  EXPECT_DOUBLE_EQ(s.mean, 2e-3);
  EXPECT_DOUBLE_EQ(s.q1, 2e-3);
  EXPECT_DOUBLE_EQ(s.q3, 2e-3);
  EXPECT_DOUBLE_EQ(s.relative_spread, 0.0);
}

TEST(Summarize, IdenticalSamplesHaveZeroSpread) {
  EXPECT_DOUBLE_EQ(summarize({5, 5, 5, 5}).relative_spread, 0.0);
}

TEST(Summarize, OutlierDoesNotMoveTheSpread) {
  // The IQR ignores one descheduled sample that would dominate max - min or a standard deviation.
  const sample_summary s = summarize({1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 50.0});
  EXPECT_DOUBLE_EQ(s.median, 1.0);
  EXPECT_DOUBLE_EQ(s.relative_spread, 0.0);
  EXPECT_DOUBLE_EQ(s.max, 50.0);
}

TEST(Summarize, EmptyGivesZeroes) {
  const sample_summary s = summarize({});
  EXPECT_EQ(s.count, 0u);
  EXPECT_DOUBLE_EQ(s.median, 0.0);
  EXPECT_DOUBLE_EQ(s.relative_spread, 0.0);
}

}  // namespace
}  // namespace ridgeline::profiler
