// Pass planning for rocprofv3 (profiler/counters/rocprof_pass_plan.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "profiler/counters/metric_formulas.hpp"
#include "profiler/counters/rocprof_pass_plan.hpp"

namespace ridgeline::profiler::counters {
namespace {

std::vector<std::string> names(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

void expect_exact_cover(const std::vector<counter_group>& passes,
                        const std::vector<std::string>& counters, std::size_t limit) {
  std::multiset<std::string> seen;
  for (const auto& p : passes) {
    EXPECT_LE(p.size(), limit);
    EXPECT_FALSE(p.empty());
    seen.insert(p.begin(), p.end());
  }
  EXPECT_EQ(seen, std::multiset<std::string>(counters.begin(), counters.end()));
}

TEST(RocprofPassPlan, EveryCounterOnceWithinTheLimit) {
  for (std::size_t limit = 1; limit <= 9; ++limit) {
    const auto counters = names("C", 11);
    const auto plan = plan_passes(counters, {}, limit);
    expect_exact_cover(plan, counters, limit);
    EXPECT_EQ(plan.size(), (counters.size() + limit - 1) / limit);
  }
  EXPECT_THROW(plan_passes({"A"}, {}, 0), std::invalid_argument);
  EXPECT_TRUE(plan_passes({}, {}, 4).empty());
}

TEST(RocprofPassPlan, AFormulasCountersShareAPassWhenTheyFit) {
  const std::vector<std::string> counters{"A0", "A1", "B0", "B1", "B2", "X"};
  // Without sets, first fit by position would put A0 A1 B0 | B1 B2 X with limit 3.
  const auto plan = plan_passes(counters, {{"A0", "A1"}, {"B0", "B1", "B2"}}, 3);
  expect_exact_cover(plan, counters, 3);
  auto pass_of = [&](const std::string& c) {
    for (std::size_t i = 0; i < plan.size(); ++i)
      if (std::find(plan[i].begin(), plan[i].end(), c) != plan[i].end()) return i;
    return plan.size();
  };
  EXPECT_EQ(pass_of("A0"), pass_of("A1"));
  EXPECT_EQ(pass_of("B0"), pass_of("B1"));
  EXPECT_EQ(pass_of("B1"), pass_of("B2"));
  // A shared counter is read once; counters outside `counters` are ignored.
  const auto shared = plan_passes({"A", "B", "C"}, {{"A", "B"}, {"B", "C", "Z"}}, 4);
  expect_exact_cover(shared, {"A", "B", "C"}, 4);
  EXPECT_EQ(shared.size(), 1u);
}

TEST(RocprofPassPlan, ASetLargerThanAPassIsSplitInOrder) {
  const auto big = names("T", 5);
  const auto plan = plan_passes(big, {big}, 4);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0], counter_group(big.begin(), big.begin() + 4));
  EXPECT_EQ(plan[1], counter_group{"T4"});
}

TEST(RocprofPassPlan, ShippedGfx942FileKeepsEachFormulaTogether) {
  const metric_file f = load_metric_file(std::string(RIDGELINE_METRICS_DIR) + "/amd/gfx942.yaml");
  const std::vector<std::string> metrics{"flops_f32_simt", "bytes_dram"};
  const auto counters = f.counters_for(metrics);
  const auto groups = formula_groups(f, counters);
  ASSERT_EQ(groups.size(), 2u);  // only the two metrics that use these counters
  const auto plan = plan_passes(counters, groups, 4);
  expect_exact_cover(plan, counters, 4);
  // 4 VALU counters in one pass; the 5 TCC counters of bytes_dram need two.
  EXPECT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0], groups[0]);
}

TEST(RocprofPassPlan, SplitGroupHalves) {
  EXPECT_EQ(split_group({"A", "B", "C"}), (std::vector<counter_group>{{"A", "B"}, {"C"}}));
  EXPECT_EQ(split_group({"A", "B"}), (std::vector<counter_group>{{"A"}, {"B"}}));
  EXPECT_EQ(split_group({"A"}), (std::vector<counter_group>{{"A"}}));
}

}  // namespace
}  // namespace ridgeline::profiler::counters
