// param_space: defaults validated at construction, user overrides parsed against the axes (usage
// errors name the field), violation() explains the first problem, format() prints in axis order.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/error.hpp"
#include "tests/support/expect_error.hpp"
#include "tuner/param_space.hpp"

namespace ridgeline::tuner {
namespace {

using test::expect_usage_error;

constraint multiple_of(const std::string& a, const std::string& b) {
  return {a + " is a multiple of " + b, [a, b](const config& c) { return c.at(a) % c.at(b) == 0; }};
}

// A small GEMM-like space: two tile axes, a register tile, a categorical layout.
param_space gemm_like() {
  return param_space({axis::power_of_two("tile_m", 4, 64, "rows per tile"),
                      axis::power_of_two("tile_n", 4, 64, "columns per tile"),
                      axis::list("reg_m", {1, 2, 4, 6, 8}, "register rows"),
                      axis::categorical("layout", {"row", "col"}, "B layout")},
                     {multiple_of("tile_m", "reg_m")},
                     {{"tile_m", 32}, {"tile_n", 16}, {"reg_m", 4}, {"layout", 0}});
}

TEST(ParamSpace, AccessorsAndDefaults) {
  const param_space s = gemm_like();
  EXPECT_FALSE(s.empty());
  ASSERT_EQ(s.axes().size(), 4u);
  EXPECT_EQ(s.axes()[0].name(), "tile_m");
  EXPECT_EQ(s.constraints().size(), 1u);
  EXPECT_EQ(s.defaults(), (config{{"tile_m", 32}, {"tile_n", 16}, {"reg_m", 4}, {"layout", 0}}));
  ASSERT_NE(s.find("reg_m"), nullptr);
  EXPECT_EQ(s.find("reg_m")->kind(), axis_kind::list);
  EXPECT_EQ(s.find("reg_n"), nullptr);
  EXPECT_FALSE(s.violation(s.defaults()));
}

TEST(ParamSpace, DefaultConstructedIsEmpty) {
  const param_space s;
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.violation({}));
  EXPECT_EQ(s.format({}), "");
  EXPECT_TRUE(s.with_overrides({}, "--params").empty());
}

TEST(ParamSpace, InvalidDefaultsThrowAtConstruction) {
  const auto make = [](config defaults) {
    return param_space({axis::power_of_two("tile_m", 4, 64, ""), axis::list("reg_m", {1, 3}, "")},
                       {multiple_of("tile_m", "reg_m")}, std::move(defaults));
  };
  EXPECT_NO_THROW(make({{"tile_m", 8}, {"reg_m", 1}}));
  // Outside an axis, missing an axis, or breaking a constraint.
  EXPECT_THROW(make({{"tile_m", 12}, {"reg_m", 1}}), std::logic_error);
  EXPECT_THROW(make({{"tile_m", 8}}), std::logic_error);
  EXPECT_THROW(make({{"tile_m", 8}, {"reg_m", 3}}), std::logic_error);
  try {
    make({{"tile_m", 8}, {"reg_m", 3}});
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("tile_m is a multiple of reg_m"), std::string::npos)
        << e.what();
  }
}

TEST(ParamSpace, DuplicateAxisNamesThrow) {
  EXPECT_THROW(param_space({axis::list("a", {1}, ""), axis::list("a", {2}, "")}, {}, {{"a", 1}}),
               std::logic_error);
}

TEST(ParamSpace, WithOverridesReplacesOnlyTheNamedAxes) {
  const param_space s = gemm_like();
  const config c = s.with_overrides({{"tile_n", "64"}, {"reg_m", "8"}}, "--params");
  EXPECT_EQ(c, (config{{"tile_m", 32}, {"tile_n", 64}, {"reg_m", 8}, {"layout", 0}}));
  EXPECT_EQ(s.with_overrides({}, "--params"), s.defaults());
}

TEST(ParamSpace, WithOverridesParsesCategoricalLabels) {
  const param_space s = gemm_like();
  EXPECT_EQ(s.with_overrides({{"layout", "col"}}, "--params").at("layout"), 1);
  expect_usage_error(
      [&] {
        s.with_overrides({{"layout", "1"}}, "--params");
      },
      {"--params", "layout", "{row, col}"});
}

TEST(ParamSpace, WithOverridesUnknownAxisListsTheAxes) {
  const param_space s = gemm_like();
  expect_usage_error(
      [&] {
        s.with_overrides({{"tile_k", "8"}}, "--params");
      },
      {"--params: unknown axis 'tile_k'", "tile_m, tile_n, reg_m, layout"});
  const param_space none;
  expect_usage_error(
      [&] {
        none.with_overrides({{"tile", "8"}}, "--params");
      },
      {"--params: unknown axis 'tile'", "no tunable axes"});
}

TEST(ParamSpace, WithOverridesRejectsNonIntegerText) {
  const param_space s = gemm_like();
  expect_usage_error(
      [&] {
        s.with_overrides({{"tile_m", "big"}}, "--params");
      },
      {"--params: tile_m", "'big'"});
  expect_usage_error(
      [&] {
        s.with_overrides({{"reg_m", "2.5"}}, "--tune-params");
      },
      {"--tune-params: reg_m"});
}

TEST(ParamSpace, WithOverridesLeavesValidityToViolation) {
  // Off-axis values and broken constraints are not usage errors: the caller records them.
  const param_space s = gemm_like();
  config c;
  ASSERT_NO_THROW(c = s.with_overrides({{"tile_m", "24"}}, "--params"));
  EXPECT_EQ(c.at("tile_m"), 24);
  EXPECT_TRUE(s.violation(c));
  ASSERT_NO_THROW(c = s.with_overrides({{"tile_m", "4"}, {"reg_m", "8"}}, "--params"));
  EXPECT_TRUE(s.violation(c));
}

TEST(ParamSpace, ViolationReportsValueOutsideAxis) {
  const param_space s = gemm_like();
  config c = s.defaults();
  c["tile_m"] = 24;
  EXPECT_EQ(s.violation(c), "tile_m=24 is outside its axis 4..64 (powers of two)");
  c = s.defaults();
  c["reg_m"] = 3;
  EXPECT_EQ(s.violation(c), "reg_m=3 is outside its axis {1, 2, 4, 6, 8}");
  c = s.defaults();
  c["layout"] = 2;
  EXPECT_EQ(s.violation(c), "layout=2 is outside its axis {row, col}");
}

TEST(ParamSpace, ViolationReportsMissingAxis) {
  const param_space s = gemm_like();
  config c = s.defaults();
  c.erase("tile_n");
  EXPECT_EQ(s.violation(c), "tile_n is not set");
}

TEST(ParamSpace, ViolationReportsBrokenConstraintByDescription) {
  const param_space s = gemm_like();
  config c = s.defaults();
  c["tile_m"] = 4;
  c["reg_m"] = 8;
  EXPECT_EQ(s.violation(c), "violates: tile_m is a multiple of reg_m");
  c["reg_m"] = 6;
  c["tile_m"] = 64;  // 64 % 6 != 0
  EXPECT_EQ(s.violation(c), "violates: tile_m is a multiple of reg_m");
  c["tile_m"] = 8;
  c["reg_m"] = 2;
  EXPECT_FALSE(s.violation(c));
}

TEST(ParamSpace, ViolationReportsTheFirstBrokenConstraint) {
  const param_space s(
      {axis::list("a", {1, 2, 3, 4}, ""), axis::list("b", {1, 2, 3, 4}, "")},
      {{"a <= b", [](const config& c) { return c.at("a") <= c.at("b"); }},
       {"a + b is even", [](const config& c) { return (c.at("a") + c.at("b")) % 2 == 0; }}},
      {{"a", 1}, {"b", 3}});
  EXPECT_EQ(s.violation({{"a", 4}, {"b", 1}}), "violates: a <= b");
  EXPECT_EQ(s.violation({{"a", 1}, {"b", 2}}), "violates: a + b is even");
  // Axis membership is checked before any constraint.
  EXPECT_EQ(s.violation({{"a", 9}, {"b", 1}}), "a=9 is outside its axis {1, 2, 3, 4}");
}

TEST(ParamSpace, FormatUsesAxisOrderAndLabels) {
  const param_space s = gemm_like();
  EXPECT_EQ(s.format(s.defaults()), "tile_m=32,tile_n=16,reg_m=4,layout=row");
  config c = s.defaults();
  c["layout"] = 1;
  EXPECT_EQ(s.format(c), "tile_m=32,tile_n=16,reg_m=4,layout=col");
  // Axes missing from the config are left out; keys that are not axes are ignored.
  c.erase("tile_n");
  c["extra"] = 5;
  EXPECT_EQ(s.format(c), "tile_m=32,reg_m=4,layout=col");
}

}  // namespace
}  // namespace ridgeline::tuner
