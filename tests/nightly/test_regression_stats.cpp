// mann_whitney_greater / e_divisive_means on cases small enough to check by hand; the values
// quoted from scipy 1.16.3 and apache-otava 0.8.0 were printed by them on the same input. The
// broad comparison over many random series is tests/nightly/reference/ (nightly.stats.reference).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/error.hpp"
#include "nightly/regression_stats.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::nightly {
namespace {

using test::expect_usage_error;

// Relative closeness for p-values: the C++ t and normal tails are our own code, scipy's are
// cephes/boost, so the last few bits may differ.
void expect_close(double actual, double expected, double rel = 1e-12) {
  EXPECT_NEAR(actual, expected, rel * std::fabs(expected)) << "expected " << expected;
}

// Uniform in [-1, 1) from mt19937's raw output, which the standard fixes (the distributions it
// does not), so the series are the same on every platform.
std::vector<double> noisy(std::size_t n, double level, double spread, std::uint32_t seed) {
  std::mt19937 gen(seed);
  std::vector<double> v(n);
  for (double& x : v) x = level + spread * (gen() / 4294967296.0 * 2 - 1);
  return v;
}

std::vector<double> concat(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// --- Mann-Whitney U

TEST(MannWhitney, AllLaterLargerNoTies) {
  // U = 9 (every later sample beats every earlier one); mu = 4.5, s = sqrt(9/12 * 7),
  // z = (9 - 4.5 - 0.5) / s = 1.7457; p = P(Z > z).
  const auto r = mann_whitney_greater({1, 2, 3}, {4, 5, 6});
  EXPECT_EQ(r.u, 9);
  const double z = 4 / std::sqrt(9.0 / 12 * 7);
  expect_close(r.p_value, 0.5 * std::erfc(z / std::sqrt(2.0)));
  expect_close(r.p_value, 0.04042779918502612);  // scipy
  EXPECT_DOUBLE_EQ(r.effect, 1.5);               // medians 5 / 2 - 1
  EXPECT_EQ(r.n_earlier, 3u);
  EXPECT_EQ(r.n_later, 3u);
}

TEST(MannWhitney, TiesGetAverageRanksAndCorrectTheVariance) {
  // Pooled ranks: 1 -> 1, the three 2s -> 3, the three 3s -> 6, 4 -> 8. Later {2,3,3,4} has rank
  // sum 3+6+6+8 = 23, U = 23 - 4*5/2 = 13. Tie term 2 * (27 - 3) = 48:
  // s = sqrt(16/12 * (9 - 48/56)), z = (13 - 8 - 0.5) / s.
  const auto r = mann_whitney_greater({1, 2, 2, 3}, {2, 3, 3, 4});
  EXPECT_EQ(r.u, 13);
  const double s = std::sqrt(16.0 / 12 * (9 - 48.0 / 56));
  expect_close(r.p_value, 0.5 * std::erfc(4.5 / s / std::sqrt(2.0)));
  expect_close(r.p_value, 0.08601685446091145);  // scipy
  EXPECT_DOUBLE_EQ(r.effect, 0.5);
}

TEST(MannWhitney, IdenticalSamplesAreNotSlower) {
  // U = mu; the continuity correction puts p just above 0.5, as scipy has it.
  const auto same = mann_whitney_greater({1, 2, 3, 4, 5}, {1, 2, 3, 4, 5});
  EXPECT_EQ(same.u, 12.5);
  expect_close(same.p_value, 0.5422350133116141);  // scipy
  EXPECT_EQ(same.effect, 0);
  // Every value tied: the variance is 0, z = -0.5 / 0 = -inf, p = 1 (scipy too).
  const auto tied = mann_whitney_greater({5, 5, 5}, {5, 5, 5});
  EXPECT_EQ(tied.u, 4.5);
  EXPECT_EQ(tied.p_value, 1.0);
}

TEST(MannWhitney, FasterLaterIsNotARegression) {
  const auto r = mann_whitney_greater({4, 5, 6}, {1, 2, 3});
  EXPECT_EQ(r.u, 0);
  expect_close(r.p_value, 0.9854518341293739);  // scipy
  EXPECT_DOUBLE_EQ(r.effect, -0.6);
}

TEST(MannWhitney, OneSampleEach) {
  const auto r = mann_whitney_greater({1}, {2});
  EXPECT_EQ(r.u, 1);
  EXPECT_EQ(r.p_value, 0.5);  // z = 0 exactly (scipy: 0.5)
}

TEST(MannWhitney, ClearSlowdownOnManySamplesIsSignificant) {
  const auto r = mann_whitney_greater(noisy(40, 1.0, 0.02, 1), noisy(40, 1.1, 0.02, 2));
  EXPECT_EQ(r.u, 1600);  // every later sample is slower
  EXPECT_LT(r.p_value, 1e-12);
  EXPECT_NEAR(r.effect, 0.1, 0.01);
}

TEST(MannWhitney, EmptyOrNonFiniteSampleIsRefusedNamingTheArgument) {
  expect_usage_error([] { mann_whitney_greater({}, {1, 2}); }, {"earlier", "no samples"});
  expect_usage_error([] { mann_whitney_greater({1, 2}, {}); }, {"later", "no samples"});
  expect_usage_error(
      [] {
        mann_whitney_greater({1, 2}, {1, std::numeric_limits<double>::quiet_NaN()});
      },
      {"later[1]", "not a finite number"});
  expect_usage_error([] { mann_whitney_greater({std::numeric_limits<double>::infinity()}, {1}); },
                     {"earlier[0]"});
}

// --- E-divisive means

TEST(EDivisive, ClearStepIsOneChangePointAtTheStep) {
  const auto series = concat(noisy(30, 10.0, 0.1, 3), noisy(30, 12.0, 0.1, 4));
  const auto points = e_divisive_means(series);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].index, 30u);  // the first point of the new segment
  EXPECT_LT(points[0].p_value, 1e-12);
  EXPECT_NEAR(points[0].mean_before, 10.0, 0.05);
  EXPECT_NEAR(points[0].mean_after, 12.0, 0.05);
  EXPECT_NEAR(points[0].relative_change(), 0.2, 0.01);
}

TEST(EDivisive, StepDownIsFoundToo) {
  const auto points = e_divisive_means(concat(noisy(20, 5.0, 0.1, 5), noisy(25, 4.0, 0.1, 6)));
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].index, 20u);
  EXPECT_LT(points[0].relative_change(), 0);
}

TEST(EDivisive, HandCheckedTTestOfTheTwoSegments) {
  // Segments {1,2,1,2,1,2} and {5,6,5,6,5,6}: means 1.5 and 5.5, population standard deviations
  // 0.5 (otava feeds np.std to the pooled t-test), pooled variance (5*0.25 + 5*0.25)/10 = 0.25,
  // t = -4 / sqrt(0.25 * (1/6 + 1/6)), df = 10. otava: index 6, p = 7.473095594265547e-08.
  const auto points = e_divisive_means({1, 2, 1, 2, 1, 2, 5, 6, 5, 6, 5, 6});
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].index, 6u);
  EXPECT_EQ(points[0].mean_before, 1.5);
  EXPECT_EQ(points[0].mean_after, 5.5);
  expect_close(points[0].p_value, 7.473095594265547e-08, 1e-10);
}

TEST(EDivisive, ConstantSegmentsGiveZeroPValue) {
  // No variance on either side: t is infinite and p = 0 (otava: index 5, p 0.0).
  const auto points = e_divisive_means({10, 10, 10, 10, 10, 11, 11, 11, 11, 11});
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].index, 5u);
  EXPECT_EQ(points[0].p_value, 0.0);
}

TEST(EDivisive, TwoStepsAreTwoChangePoints) {
  const auto series =
      concat(concat(noisy(20, 1.0, 0.01, 7), noisy(20, 1.2, 0.01, 8)), noisy(20, 1.0, 0.01, 9));
  const auto points = e_divisive_means(series);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].index, 20u);
  EXPECT_EQ(points[1].index, 40u);
  EXPECT_GT(points[0].relative_change(), 0.15);
  EXPECT_LT(points[1].relative_change(), -0.1);
}

TEST(EDivisive, FlatNoisySeriesHasNone) {
  EXPECT_TRUE(e_divisive_means(noisy(60, 1.0, 0.05, 10)).empty());
  EXPECT_TRUE(e_divisive_means(noisy(120, 3.0, 0.3, 11)).empty());
  EXPECT_TRUE(e_divisive_means(std::vector<double>(40, 2.5)).empty());  // constant
}

TEST(EDivisive, TooShortSeriesHasNone) {
  EXPECT_TRUE(e_divisive_means({}).empty());
  EXPECT_TRUE(e_divisive_means({1.0}).empty());
  EXPECT_TRUE(e_divisive_means({1.0, 100.0}).empty());  // one point a side: p = 1
}

TEST(EDivisive, MinMagnitudeDropsSmallShifts) {
  // A 2% step with tiny noise is significant, but not above a 5% minimum magnitude.
  const auto series = concat(noisy(25, 1.0, 0.001, 12), noisy(25, 1.02, 0.001, 13));
  ASSERT_EQ(e_divisive_means(series).size(), 1u);
  e_divisive_options options;
  options.min_magnitude = 0.05;
  EXPECT_TRUE(e_divisive_means(series, options).empty());
}

TEST(EDivisive, ShortWindowStillFindsTheStep) {
  e_divisive_options options;
  options.window_len = 8;
  const auto points =
      e_divisive_means(concat(noisy(30, 1.0, 0.01, 14), noisy(30, 2.0, 0.01, 15)), options);
  ASSERT_FALSE(points.empty());
  bool at_step = false;
  for (const auto& p : points) at_step = at_step || p.index == 30;
  EXPECT_TRUE(at_step);
}

TEST(EDivisive, BadOptionsAndValuesAreRefusedNamingThem) {
  e_divisive_options options;
  options.window_len = 1;
  expect_usage_error([&] { e_divisive_means({1, 2, 3}, options); }, {"window_len", "at least 2"});
  options = {};
  options.max_p_value = 0;
  expect_usage_error([&] { e_divisive_means({1, 2, 3}, options); }, {"max_p_value"});
  options = {};
  options.min_magnitude = -0.1;
  expect_usage_error([&] { e_divisive_means({1, 2, 3}, options); }, {"min_magnitude"});
  expect_usage_error(
      [] {
        e_divisive_means({1, 2, std::numeric_limits<double>::infinity()});
      },
      {"series[2]", "not a finite number"});
}

}  // namespace
}  // namespace ridgeline::nightly
