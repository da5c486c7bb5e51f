// Each axis kind: its values, membership, text form, parsing and the domain shown in messages;
// declaration mistakes are logic_errors (programming errors in a kernel's source).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "tests/support/expect_error.hpp"
#include "tuner/axis.hpp"

namespace ridgeline::tuner {
namespace {

using values = std::vector<std::int64_t>;

using test::expect_usage_error;

TEST(AxisRange, ValuesContainsFormatParseDomain) {
  const axis a = axis::range("unroll", 2, 11, 3, "inner-loop unroll");
  EXPECT_EQ(a.name(), "unroll");
  EXPECT_EQ(a.description(), "inner-loop unroll");
  EXPECT_EQ(a.kind(), axis_kind::range);
  EXPECT_EQ(a.values(), (values{2, 5, 8, 11}));
  EXPECT_TRUE(a.contains(2));
  EXPECT_TRUE(a.contains(11));
  EXPECT_FALSE(a.contains(3));
  EXPECT_FALSE(a.contains(14));
  EXPECT_FALSE(a.contains(-1));
  EXPECT_EQ(a.format(8), "8");
  EXPECT_EQ(a.parse("5", "--params"), 5);
  EXPECT_EQ(a.domain(), "2..11 step 3");
}

TEST(AxisRange, HiNotOnTheGridIsExcluded) {
  EXPECT_EQ(axis::range("r", 0, 10, 4, "").values(), (values{0, 4, 8}));
}

TEST(AxisRange, SingleValueDomain) {
  const axis a = axis::range("r", 7, 7, 1, "");
  EXPECT_EQ(a.values(), (values{7}));
  EXPECT_EQ(a.domain(), "{7}");
}

TEST(AxisRange, BadDeclarationsAreLogicErrors) {
  EXPECT_THROW(axis::range("r", 0, 10, 0, ""), std::logic_error);
  EXPECT_THROW(axis::range("r", 0, 10, -1, ""), std::logic_error);
  EXPECT_THROW(axis::range("r", 10, 0, 1, ""), std::logic_error);
}

TEST(AxisPowerOfTwo, ValuesContainsFormatParseDomain) {
  const axis a = axis::power_of_two("tile_m", 4, 64, "rows per tile");
  EXPECT_EQ(a.kind(), axis_kind::power_of_two);
  EXPECT_EQ(a.values(), (values{4, 8, 16, 32, 64}));
  EXPECT_TRUE(a.contains(16));
  EXPECT_FALSE(a.contains(2));
  EXPECT_FALSE(a.contains(24));
  EXPECT_FALSE(a.contains(128));
  EXPECT_EQ(a.format(32), "32");
  EXPECT_EQ(a.parse("64", "--params"), 64);
  EXPECT_EQ(a.domain(), "4..64 (powers of two)");
  EXPECT_EQ(axis::power_of_two("one", 1, 1, "").values(), (values{1}));
}

TEST(AxisPowerOfTwo, BoundsMustBePowersOfTwo) {
  EXPECT_THROW(axis::power_of_two("p", 3, 64, ""), std::logic_error);
  EXPECT_THROW(axis::power_of_two("p", 4, 48, ""), std::logic_error);
  EXPECT_THROW(axis::power_of_two("p", 0, 8, ""), std::logic_error);
  EXPECT_THROW(axis::power_of_two("p", -4, 8, ""), std::logic_error);
  EXPECT_THROW(axis::power_of_two("p", 64, 4, ""), std::logic_error);
}

TEST(AxisList, ValuesAreSortedAndDomainListsThem) {
  const axis a = axis::list("reg_n", {8, 1, 4, 2, 6}, "register tile");
  EXPECT_EQ(a.kind(), axis_kind::list);
  EXPECT_EQ(a.values(), (values{1, 2, 4, 6, 8}));
  EXPECT_TRUE(a.contains(6));
  EXPECT_FALSE(a.contains(3));
  EXPECT_EQ(a.format(6), "6");
  EXPECT_EQ(a.parse("4", "--params"), 4);
  EXPECT_EQ(a.domain(), "{1, 2, 4, 6, 8}");
}

TEST(AxisList, BadDeclarationsAreLogicErrors) {
  EXPECT_THROW(axis::list("l", {1, 2, 1}, ""), std::logic_error);
  EXPECT_THROW(axis::list("l", {}, ""), std::logic_error);
}

TEST(AxisCategorical, LabelsMapToIndices) {
  const axis a = axis::categorical("layout", {"row", "col", "blocked"}, "B layout");
  EXPECT_EQ(a.kind(), axis_kind::categorical);
  EXPECT_EQ(a.values(), (values{0, 1, 2}));
  EXPECT_TRUE(a.contains(0));
  EXPECT_TRUE(a.contains(2));
  EXPECT_FALSE(a.contains(3));
  EXPECT_FALSE(a.contains(-1));
  EXPECT_EQ(a.format(0), "row");
  EXPECT_EQ(a.format(2), "blocked");
  EXPECT_EQ(a.parse("col", "--params"), 1);
  EXPECT_EQ(a.parse("blocked", "--params"), 2);
  EXPECT_EQ(a.domain(), "{row, col, blocked}");
  // A value that is not a label index still has a text form (for messages about bad configs).
  EXPECT_EQ(a.format(7), "7");
}

TEST(AxisCategorical, FormatAndParseRoundTrip) {
  const axis a = axis::categorical("flag", {"off", "on"}, "");
  for (std::int64_t v : a.values()) EXPECT_EQ(a.parse(a.format(v), "--params"), v);
}

TEST(AxisCategorical, UnknownLabelNamesFieldAxisAndDomain) {
  const axis a = axis::categorical("layout", {"row", "col"}, "");
  expect_usage_error([&] { a.parse("diag", "--params"); },
                     {"--params", "layout", "{row, col}", "'diag'"});
  // Labels are matched exactly: an index is not a label.
  expect_usage_error([&] { a.parse("0", "--params"); }, {"--params: layout"});
  expect_usage_error([&] { a.parse("Row", "--params"); }, {"layout"});
}

TEST(AxisCategorical, BadDeclarationsAreLogicErrors) {
  EXPECT_THROW(axis::categorical("c", {}, ""), std::logic_error);
  EXPECT_THROW(axis::categorical("c", {"a", "b", "a"}, ""), std::logic_error);
}

TEST(AxisNamedValue, LabelSpellsOneNumberOfANumericAxis) {
  const axis a = axis::power_of_two("kv_chunk", 64, 256, "").with_named_value(0, "auto");
  EXPECT_EQ(a.kind(), axis_kind::power_of_two);
  EXPECT_EQ(a.values(), (values{0, 64, 128, 256}));
  EXPECT_TRUE(a.contains(0));
  EXPECT_EQ(a.format(0), "auto");
  EXPECT_EQ(a.format(128), "128");
  EXPECT_EQ(a.parse("auto", "--params"), 0);
  EXPECT_EQ(a.parse("64", "--params"), 64);
  for (std::int64_t v : a.values()) EXPECT_EQ(a.parse(a.format(v), "--params"), v);
  EXPECT_EQ(a.domain(), "auto or 64..256 (powers of two)");
  expect_usage_error([&] { a.parse("Auto", "--params"); },
                     {"--params: kv_chunk", "auto or 64..256 (powers of two)", "'Auto'"});
}

TEST(AxisNamedValue, MustBeANewNumberOfANumericAxis) {
  const axis a = axis::list("l", {1, 2}, "");
  EXPECT_THROW(a.with_named_value(2, "two"), std::logic_error);
  EXPECT_THROW(axis::categorical("c", {"x"}, "").with_named_value(5, "five"), std::logic_error);
  EXPECT_EQ(a.with_named_value(-1, "none").domain(), "none or {1, 2}");
}

TEST(AxisNumeric, ParseRejectsNonIntegersNamingFieldAndAxis) {
  const axis a = axis::power_of_two("tile_m", 4, 64, "");
  expect_usage_error([&] { a.parse("big", "--params"); }, {"--params: tile_m", "'big'"});
  expect_usage_error([&] { a.parse("16.0", "--params"); }, {"--params: tile_m"});
  expect_usage_error([&] { a.parse("", "--params"); }, {"--params: tile_m"});
}

TEST(AxisNumeric, ParseAcceptsIntegersOutsideTheAxis) {
  // Membership is param_space::violation()'s job, so an off-axis value becomes a recorded
  // invalid_config outcome rather than a usage error.
  const axis a = axis::power_of_two("tile_m", 4, 64, "");
  EXPECT_EQ(a.parse("24", "--params"), 24);
  EXPECT_FALSE(a.contains(24));
  EXPECT_EQ(a.parse("1k", "--params"), 1024);
}

}  // namespace
}  // namespace ridgeline::tuner
