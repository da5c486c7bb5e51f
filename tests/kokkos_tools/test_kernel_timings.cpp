// kokkos_tools/kernel_timings.cpp: exact counts and totals; every time kept up to the cap, then a
// uniform sample of all of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "kokkos_tools/kernel_timings.hpp"

namespace ridgeline::kokkos_tools {
namespace {

TEST(KernelTimings, KeepsEveryTimeBelowTheCap) {
  kernel_timings t(8);
  std::mt19937 rng(std::random_device{}());
  std::uniform_real_distribution<double> time(1e-6, 1e-3);
  std::vector<double> added;
  for (int i = 0; i < 8; ++i) {
    added.push_back(time(rng));
    t.add(added.back());
  }
  EXPECT_EQ(t.invocations(), 8u);
  EXPECT_EQ(t.samples(), added);
  double sum = 0;
  for (double s : added) sum += s;
  EXPECT_DOUBLE_EQ(t.total_seconds(), sum);
}

TEST(KernelTimings, SamplesUniformlyAboveTheCap) {
  // Values 0..n-1 added in order: a uniform reservoir's mean is near (n-1)/2, a "first cap"
  // or "last cap" one is far from it.
  const std::size_t cap = 1000, n = 100000;
  kernel_timings t(cap);
  for (std::size_t i = 0; i < n; ++i) t.add(static_cast<double>(i));
  EXPECT_EQ(t.invocations(), n);
  EXPECT_DOUBLE_EQ(t.total_seconds(), static_cast<double>(n) * (n - 1) / 2);
  ASSERT_EQ(t.samples().size(), cap);
  double mean = 0;
  for (double s : t.samples()) mean += s / cap;
  // Standard error of the mean of 1000 draws from U(0, n): n / sqrt(12 * 1000) ~ 0.0091 n.
  EXPECT_NEAR(mean, (n - 1) / 2.0, 0.05 * n);
  const auto [lo, hi] = std::minmax_element(t.samples().begin(), t.samples().end());
  EXPECT_LT(*lo, 0.05 * n);
  EXPECT_GT(*hi, 0.95 * n);
}

TEST(KernelTimings, RefusesAZeroCap) {
  EXPECT_THROW(kernel_timings(0), std::invalid_argument);
}

}  // namespace
}  // namespace ridgeline::kokkos_tools
