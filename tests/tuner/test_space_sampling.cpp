// space_sampling: only valid points, uniform among them (chi-square), and exact even when the
// acceptable points are too rare for rejection sampling (the streaming fallback).
#include <gtest/gtest.h>

#include <map>

#include "tests/tuner/sample_spaces.hpp"
#include "tuner/space_enumeration.hpp"
#include "tuner/space_sampling.hpp"

namespace ridgeline::tuner {
namespace {

TEST(SpaceSampling, SparseSpaceGivesValidPoints) {
  const param_space s = test::big_sparse_space();
  rng r(7);
  for (int i = 0; i < 2000; ++i) {
    const auto c = sample_valid(s, r);
    ASSERT_TRUE(c.has_value());
    EXPECT_FALSE(s.violation(*c).has_value()) << s.format(*c);
  }
}

TEST(SpaceSampling, UniformAmongValidPoints) {
  const param_space s = test::small_space();
  rng r(11);
  std::map<config, int> hits;
  const int draws = 39 * 400;
  for (int i = 0; i < draws; ++i) ++hits[*sample_valid(s, r)];
  ASSERT_EQ(hits.size(), test::small_valid);
  double chi2 = 0;
  const double expect = draws / 39.0;
  for (const auto& [c, n] : hits) chi2 += (n - expect) * (n - expect) / expect;
  EXPECT_LT(chi2, 80.0);  // 38 degrees of freedom: p ~ 1e-4 at 80
}

TEST(SpaceSampling, FallbackFindsRarePointsUniformly) {
  const param_space s = test::small_space();
  const config a{{"x", 1}, {"y", 0}, {"z", 2}}, b{{"x", 4}, {"y", 4}, {"z", 1}};
  auto accept = [&](const config& c) { return c == a || c == b; };
  rng r(3);
  sampling_options few;
  few.max_rejections = 1;  // force the streaming pass
  int n_a = 0;
  for (int i = 0; i < 2000; ++i) {
    const auto c = sample_valid(s, r, accept, few);
    ASSERT_TRUE(c.has_value());
    ASSERT_TRUE(*c == a || *c == b);
    n_a += *c == a;
  }
  EXPECT_NEAR(n_a, 1000, 120);
  EXPECT_FALSE(sample_valid(s, r, [](const config&) { return false; }).has_value());
}

TEST(SpaceSampling, SameSeedSameDraws) {
  const param_space s = test::big_sparse_space();
  rng r1(5), r2(5), r3(6);
  bool differs = false;
  for (int i = 0; i < 50; ++i) {
    const auto a = sample_valid(s, r1), b = sample_valid(s, r2), c = sample_valid(s, r3);
    EXPECT_EQ(a, b);
    differs = differs || a != c;
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace ridgeline::tuner
