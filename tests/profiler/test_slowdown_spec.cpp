// RIDGELINE_TEST_SLOWDOWN's grammar (profiler/slowdown_spec.hpp): which configurations an item
// slows, and one line naming the variable for each malformed text.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "profiler/slowdown_spec.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::profiler {
namespace {

using ridgeline::test::expect_error;
using params = std::vector<std::pair<std::string, std::string>>;

TEST(SlowdownSpec, KernelOnlyItemsKeepTheirOldMeaning) {
  const auto items = parse_slowdown_spec("gemm=400;attention/unfused=7.5");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(slowdown_for(items, "gemm", "kokkos_tiled", {{"tile_m", "64"}}), 400);
  EXPECT_EQ(slowdown_for(items, "attention", "unfused", {}), 7.5);
  EXPECT_EQ(slowdown_for(items, "attention", "kokkos_flash", {}), std::nullopt);
  EXPECT_EQ(slowdown_for(items, "moe", "x", {}), std::nullopt);
}

TEST(SlowdownSpec, AnAxisValueSlowsOnlyTheConfigurationsThatHaveIt) {
  const auto items = parse_slowdown_spec("gemm/kokkos_tiled@tile_m=64=2000,gemm@tile_n=8=10");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].axis, "tile_m");
  EXPECT_EQ(items[0].value, "64");
  EXPECT_EQ(slowdown_for(items, "gemm", "kokkos_tiled", params{{"tile_m", "64"}, {"tile_n", "32"}}),
            2000);
  EXPECT_EQ(slowdown_for(items, "gemm", "kokkos_tiled", params{{"tile_m", "32"}, {"tile_n", "32"}}),
            std::nullopt);
  EXPECT_EQ(slowdown_for(items, "gemm", "other", params{{"tile_m", "64"}}), std::nullopt);
  // Both items match: their delays add.
  EXPECT_EQ(slowdown_for(items, "gemm", "kokkos_tiled", params{{"tile_m", "64"}, {"tile_n", "8"}}),
            2010);
  // An axis the variant does not have matches nothing.
  EXPECT_EQ(slowdown_for(items, "gemm", "kokkos_tiled", params{{"team", "64"}}), std::nullopt);
}

TEST(SlowdownSpec, ZeroMicrosecondsStillMatches) {
  // A matching item of 0 us labels the measurement (it ran under the hook) without delaying it.
  EXPECT_EQ(slowdown_for(parse_slowdown_spec("gemm@tile_m=64=0"), "gemm", "v", {{"tile_m", "64"}}),
            0.0);
}

TEST(SlowdownSpec, EmptyTextIsNoItems) {
  EXPECT_TRUE(parse_slowdown_spec("").empty());
}

TEST(SlowdownSpec, MalformedItemsAreOneLineNamingTheVariable) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"gemm", "is not KERNEL[/VARIANT][@AXIS=VALUE]=MICROSECONDS"},
      {"=5", "is not KERNEL"},
      {"gemm=", "non-negative number of microseconds"},
      {"gemm=-1", "non-negative number of microseconds"},
      {"gemm=fast", "non-negative number of microseconds"},
      {"gemm@tile_m=5", "'@tile_m', not @AXIS=VALUE"},
      {"gemm@=64=5", "not @AXIS=VALUE"},
      {"gemm/=5", "empty variant"},
      {"/v=5", "names no kernel"},
      {"gemm=5,", "is empty"},
      {"gemm=5;;attention=1", "is empty"},
  };
  for (const auto& c : bad) {
    // A named member, not a structured binding: C++17 lambdas cannot capture bindings (clang, the
    // HIP build's compiler, refuses it).
    const std::string text = c.first;
    SCOPED_TRACE(text);
    expect_error<usage_error>([&] { parse_slowdown_spec(text); },
                              {"RIDGELINE_TEST_SLOWDOWN: '", c.second});
  }
}

}  // namespace
}  // namespace ridgeline::profiler
