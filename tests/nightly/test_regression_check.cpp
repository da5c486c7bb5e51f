// Regression detection on synthetic nights (nightly/regression_check.hpp): which test fires, with
// what effect, naming which runs and why — without a database or a kernel.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "core/error.hpp"
#include "nightly/regression_check.hpp"
#include "nightly/regression_stats.hpp"

namespace ridgeline::nightly {
namespace {

constexpr const char* software_a = "ridgeline=0.1.0;compiler=GNU 12.2.0;kokkos_version=3.4.1";
constexpr const char* software_b = "ridgeline=0.1.0;compiler=GNU 13.1.0;kokkos_version=3.4.1";

// One night: `n` samples around `median` with 1% noise (seeded: the same nights every run).
night_point night(std::int64_t run, double median, bool good, std::uint32_t seed,
                  const std::string& params = "tile_m=64", const char* software = software_a,
                  int n = 40) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 0.01 * median);
  night_point p;
  p.nightly_run_id = run;
  p.good = good;
  p.params = params;
  p.software_key = software;
  for (int i = 0; i < n; ++i) p.samples.push_back(median + noise(rng));
  std::vector<double> sorted = p.samples;
  std::sort(sorted.begin(), sorted.end());
  p.median_s = (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return p;
}

regression_policy policy() {
  regression_policy p;
  p.min_effect = 0.03;
  p.max_p_value = 0.01;
  p.history = 30;
  p.min_history = 5;
  return p;
}

TEST(RegressionCheck, FirstNightHasNothingToCompareWith) {
  EXPECT_TRUE(regression_flags("gemm/x", {}, night(1, 1e-3, false, 1), policy()).empty());
}

TEST(RegressionCheck, SameTimeAgainFlagsNothing) {
  const std::vector<night_point> earlier = {night(1, 1e-3, true, 1), night(2, 1e-3, true, 2)};
  EXPECT_TRUE(regression_flags("gemm/x", earlier, night(3, 1e-3, false, 3), policy()).empty());
}

TEST(RegressionCheck, ASlowerNightIsFlaggedByTheRankTestWithItsEffectAndRuns) {
  const std::vector<night_point> earlier = {night(1, 1e-3, true, 1), night(2, 1e-3, true, 2)};
  const auto flags = regression_flags("gemm/x", earlier, night(3, 1.2e-3, false, 3), policy());
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].test, "mann_whitney");
  EXPECT_EQ(flags[0].entry_key, "gemm/x");
  EXPECT_NEAR(flags[0].effect, 0.2, 0.02);
  ASSERT_TRUE(flags[0].p_value);
  EXPECT_LT(*flags[0].p_value, 1e-6);
  const auto compared = nlohmann::json::parse(flags[0].compared_json);
  EXPECT_EQ(compared["baseline_run"], 2);
  EXPECT_EQ(compared["tonight_run"], 3);
  EXPECT_NE(flags[0].message.find("the same configuration got slower"), std::string::npos)
      << flags[0].message;
  EXPECT_NE(flags[0].message.find("same software"), std::string::npos) << flags[0].message;
}

TEST(RegressionCheck, TheBaselineIsTheLastGoodNightNotTheLastNight) {
  // Night 2 was already slow (a flagged night): tonight is compared with night 1.
  const std::vector<night_point> earlier = {night(1, 1e-3, true, 1), night(2, 1.2e-3, false, 2)};
  const auto flags = regression_flags("k", earlier, night(3, 1.2e-3, false, 3), policy());
  ASSERT_FALSE(flags.empty());
  EXPECT_EQ(nlohmann::json::parse(flags[0].compared_json)["baseline_run"], 1);
}

TEST(RegressionCheck, ASignificantSlowdownBelowTheMinimumEffectIsNotFlagged) {
  const std::vector<night_point> earlier = {night(1, 1e-3, true, 1)};
  // 2% slower with 1% noise over 200 samples: significant, but under the 3% the job asks for.
  const auto flags = regression_flags(
      "k", earlier, night(2, 1.02e-3, false, 2, "tile_m=64", software_a, 200), policy());
  EXPECT_TRUE(flags.empty());
}

TEST(RegressionCheck, AFlagNamesTheSoftwareThatChangedAndTheConfigurations) {
  const std::vector<night_point> earlier = {night(1, 1e-3, true, 1, "tile_m=64")};
  const auto flags = regression_flags(
      "k", earlier, night(2, 1.3e-3, false, 2, "tile_m=128", software_b), policy());
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_NE(flags[0].message.find("compiler GNU 12.2.0 -> GNU 13.1.0"), std::string::npos)
      << flags[0].message;
  EXPECT_NE(flags[0].message.find("tile_m=64 -> tile_m=128"), std::string::npos)
      << flags[0].message;
}

TEST(RegressionCheck, ASeriesThatShiftedAfterTheLastGoodNightIsFlaggedByChangePoints) {
  std::vector<night_point> earlier;
  std::int64_t run = 1;
  for (int i = 0; i < 10; ++i, ++run) earlier.push_back(night(run, 1e-3, true, run));
  const std::int64_t first_slow = run;
  for (int i = 0; i < 4; ++i, ++run) earlier.push_back(night(run, 1.25e-3, false, run));
  const auto flags = regression_flags("k", earlier, night(run, 1.25e-3, false, run), policy());
  const auto e = std::find_if(flags.begin(), flags.end(),
                              [](const auto& f) { return f.test == "e_divisive"; });
  ASSERT_NE(e, flags.end());
  EXPECT_NEAR(e->effect, 0.25, 0.03);
  EXPECT_EQ(nlohmann::json::parse(e->compared_json)["change_at_run"], first_slow);
}

TEST(RegressionCheck, AShiftBeforeTheLastGoodNightWasAcceptedThen) {
  // Slower from night 6 on, but nights 6-12 were judged good: the new level is the norm.
  std::vector<night_point> earlier;
  std::int64_t run = 1;
  for (int i = 0; i < 5; ++i, ++run) earlier.push_back(night(run, 1e-3, true, run));
  for (int i = 0; i < 7; ++i, ++run) earlier.push_back(night(run, 1.25e-3, true, run));
  const auto flags = regression_flags("k", earlier, night(run, 1.25e-3, false, run), policy());
  EXPECT_TRUE(flags.empty());
}

TEST(RegressionCheck, AFasterNightIsNeverARegression) {
  std::vector<night_point> earlier;
  for (std::int64_t run = 1; run <= 8; ++run) earlier.push_back(night(run, 1e-3, true, run));
  EXPECT_TRUE(regression_flags("k", earlier, night(9, 0.7e-3, false, 9), policy()).empty());
}

// The harness stops at 5 samples when they agree; 5 against 5 can never reach p = 0.001. The
// nightly samples as many as its policy needs: with that many, a wholly slower night is flagged
// at the policy's level; one fewer (when above the floor) misses the tenfold margin; a policy ten
// times laxer needs fewer.
TEST(RegressionCheck, EachNightHasTheSamplesItsPolicyNeedsToFlag) {
  for (const double max_p : {0.05, 0.01, 0.001, 1e-4}) {
    const int n = samples_for_significance(max_p, 5);
    EXPECT_GE(n, 5);
    regression_policy strict = policy();
    strict.max_p_value = max_p;
    const std::vector<night_point> earlier = {night(1, 1e-3, true, 1, "tile_m=64", software_a, n)};
    EXPECT_EQ(regression_flags("k", earlier, night(2, 1.5e-3, false, 2, "tile_m=64", software_a, n),
                               strict)
                  .size(),
              1u)
        << "max_p_value " << max_p << " with " << n << " samples";
    if (n > 5) {
      std::vector<double> good, slower;
      for (int i = 0; i < n - 1; ++i) {
        good.push_back(1.0 + i);
        slower.push_back(double(n + i));
      }
      EXPECT_GT(mann_whitney_greater(good, slower).p_value, max_p / 10) << max_p;
      EXPECT_LT(samples_for_significance(max_p * 10, 5), n) << max_p;
    }
  }
  EXPECT_EQ(samples_for_significance(0.5, 5), 5);  // a lax policy keeps the harness's floor
  EXPECT_EQ(samples_for_significance(0.001, 5), 10);  // 9 vs 9 separated: p = 2.1e-4
  EXPECT_THROW(samples_for_significance(0, 5), usage_error);
  EXPECT_THROW(samples_for_significance(1.5, 5), usage_error);
}

}  // namespace
}  // namespace ridgeline::nightly
