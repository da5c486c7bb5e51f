// The methodology score on hand-computed cases: B(p), R(n), and runs that are perfect (1),
// random-like (about 0) or worse (< 0).
#include <gtest/gtest.h>

#include "tuner/replay/methodology.hpp"

namespace ridgeline::tuner::replay {
namespace {

// Valid times 1..9: f_opt 1, median 5.
methodology nine() {
  return methodology({9, 1, 8, 2, 7, 3, 6, 4, 5});
}

TEST(Methodology, StatisticsAndBudget) {
  const auto m = nine();
  EXPECT_EQ(m.optimum(), 1);
  EXPECT_EQ(m.median(), 5);
  EXPECT_EQ(methodology({1, 2, 3, 10}).median(), 2.5);  // even: mean of the middle two
  // B(0.95): target 1 + 0.05 * 4 = 1.2, i = 8 slower -> ceil(8 / 2) = 4.
  EXPECT_EQ(m.budget(0.95), 4u);
  // B(0.01): target 1 + 0.99 * 4 = 4.96, i = 5 -> ceil(5 / 5) = 1.
  EXPECT_EQ(m.budget(0.01), 1u);
}

TEST(Methodology, RandomBaseline) {
  const auto m = nine();
  // R(n) = d_{min(8, round(10 n / (n + 1)))}, d worst first: d_0 = 9, d_8 = 1.
  EXPECT_EQ(m.random_baseline(1), 4);  // round(5) = 5 -> d_5 = 4
  EXPECT_EQ(m.random_baseline(2), 2);  // round(6.67) = 7 -> d_7 = 2
  EXPECT_EQ(m.random_baseline(3), 1);  // round(7.5) = 8 (half to even) -> d_8 = 1
}

TEST(Methodology, PerfectRunScoresOne) {
  const auto m = nine();
  EXPECT_DOUBLE_EQ(m.score({1.0}), 1.0);  // optimum at evaluation 1
  EXPECT_DOUBLE_EQ(m.score({1.0, 9.0, std::nullopt}), 1.0);
  EXPECT_DOUBLE_EQ(m.fraction_of_optimum({2.0, 1.0}, 1), 0.5);
  EXPECT_DOUBLE_EQ(m.fraction_of_optimum({2.0, 1.0}, 2), 1.0);
  EXPECT_DOUBLE_EQ(m.fraction_of_optimum({std::nullopt}, 1), 0.0);
}

TEST(Methodology, WorseThanRandomIsNegative) {
  const auto m = nine();
  EXPECT_LT(m.score({9.0, 8.0, 7.0}), 0.0);
  EXPECT_LT(m.score({std::nullopt, std::nullopt}), 0.0);  // F = worst valid time until a time
  // F(n) = R(n) scores 0 at every n of the window (1..3); at n = 3, R = f_opt and F = 2 != f_opt
  // also scores 0 by the convention for a zero denominator.
  methodology::run r;
  for (std::uint64_t n = 1; n <= 2; ++n) r.push_back(m.random_baseline(n));
  EXPECT_NEAR(m.score(r), 0.0, 1e-12);
}

}  // namespace
}  // namespace ridgeline::tuner::replay
