// parse_key_value_list / parse_name_list / parse_integer / parse_real: strict parsing of the CLI's
// lists and numbers; every malformed piece is a usage_error that names the option it came from.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/key_value.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline {
namespace {

using test::expect_usage_error;

using kv = key_value_list::value_type;

TEST(ParseKeyValueList, SplitsItemsInOrder) {
  EXPECT_EQ(parse_key_value_list("m=1,n=2,k=3", "--problem"),
            (key_value_list{kv{"m", "1"}, kv{"n", "2"}, kv{"k", "3"}}));
  EXPECT_EQ(parse_key_value_list("tile_m=64", "--params"), (key_value_list{kv{"tile_m", "64"}}));
}

TEST(ParseKeyValueList, TrimsSpacesAndTabsAroundItemsNamesAndValues) {
  EXPECT_EQ(parse_key_value_list("  m = 1 ,\tn=2\t, k =3  ", "--problem"),
            (key_value_list{kv{"m", "1"}, kv{"n", "2"}, kv{"k", "3"}}));
}

TEST(ParseKeyValueList, EmptyOrBlankTextIsAnEmptyList) {
  EXPECT_TRUE(parse_key_value_list("", "--problem").empty());
  EXPECT_TRUE(parse_key_value_list("   \t ", "--problem").empty());
}

TEST(ParseKeyValueList, ValueMayContainEqualsSign) {
  // Only the first '=' separates name from value.
  EXPECT_EQ(parse_key_value_list("a=b=c", "--params"), (key_value_list{kv{"a", "b=c"}}));
}

TEST(ParseKeyValueList, MissingEqualsNamesFieldAndItem) {
  expect_usage_error([] { parse_key_value_list("m=1,n", "--problem"); },
                     {"--problem", "expected name=value", "'n'"});
}

TEST(ParseKeyValueList, EmptyItemIsRejected) {
  expect_usage_error([] { parse_key_value_list("m=1,,n=2", "--problem"); },
                     {"--problem", "empty item", "m=1,,n=2"});
  expect_usage_error([] { parse_key_value_list("m=1,", "--params"); }, {"--params", "empty item"});
  expect_usage_error([] { parse_key_value_list(",m=1", "--params"); }, {"--params", "empty item"});
  expect_usage_error([] { parse_key_value_list("m=1, ,n=2", "--params"); },
                     {"--params", "empty item"});
}

TEST(ParseKeyValueList, EmptyNameIsRejected) {
  expect_usage_error([] { parse_key_value_list("=4", "--problem"); },
                     {"--problem", "missing name", "'=4'"});
  expect_usage_error([] { parse_key_value_list("m=1, =4", "--params"); },
                     {"--params", "missing name"});
}

TEST(ParseKeyValueList, EmptyValueIsRejected) {
  expect_usage_error([] { parse_key_value_list("m=1,n=", "--problem"); },
                     {"--problem", "n has no value"});
  expect_usage_error([] { parse_key_value_list("k= ", "--params"); },
                     {"--params", "k has no value"});
}

TEST(ParseKeyValueList, DuplicateNameIsRejected) {
  expect_usage_error([] { parse_key_value_list("m=1,n=2,m=3", "--problem"); },
                     {"--problem", "m given twice"});
  // Names are compared after trimming.
  expect_usage_error([] { parse_key_value_list("m=1, m =1", "--params"); },
                     {"--params", "m given twice"});
}

TEST(ParseNameList, SplitsAndTrims) {
  EXPECT_EQ(parse_name_list("a,b,c", "--variant"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(parse_name_list(" a ,\tb ", "--variant"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parse_name_list("only", "--variant"), (std::vector<std::string>{"only"}));
}

TEST(ParseNameList, EmptyTextIsAnEmptyList) {
  EXPECT_TRUE(parse_name_list("", "--variant").empty());
  EXPECT_TRUE(parse_name_list("  ", "--variant").empty());
}

TEST(ParseNameList, EmptyItemsAndRepeatsAreRejected) {
  expect_usage_error([] { parse_name_list("a,,b", "--variant"); }, {"--variant", "empty item"});
  expect_usage_error([] { parse_name_list("a,", "--variant"); }, {"--variant", "empty item"});
  expect_usage_error([] { parse_name_list("a,b,a", "--dtype"); }, {"--dtype", "a given twice"});
}

TEST(ParseInteger, PlainDecimal) {
  EXPECT_EQ(parse_integer("0", "--problem: m"), 0);
  EXPECT_EQ(parse_integer("4096", "--problem: m"), 4096);
  EXPECT_EQ(parse_integer("  17\t", "--problem: m"), 17);
  EXPECT_EQ(parse_integer("9223372036854775807", "x"), std::numeric_limits<std::int64_t>::max());
}

TEST(ParseInteger, NegativeValuesParse) {
  // Range rules (m >= 1, ...) belong to the caller, which can then name the rule.
  EXPECT_EQ(parse_integer("-3", "--problem: m"), -3);
  EXPECT_EQ(parse_integer("-2k", "--problem: m"), -2048);
  EXPECT_EQ(parse_integer("-9223372036854775808", "x"), std::numeric_limits<std::int64_t>::min());
}

TEST(ParseInteger, SizeSuffixes) {
  EXPECT_EQ(parse_integer("4k", "x"), 4 * 1024);
  EXPECT_EQ(parse_integer("4K", "x"), 4 * 1024);
  EXPECT_EQ(parse_integer("3M", "x"), 3 * 1024 * 1024);
  EXPECT_EQ(parse_integer("0k", "x"), 0);
  // The largest value whose scaled form still fits.
  EXPECT_EQ(parse_integer("8796093022207M", "x"), std::int64_t{8796093022207} * 1024 * 1024);
}

TEST(ParseInteger, OverflowIsRejected) {
  expect_usage_error([] { parse_integer("99999999999999999999", "--problem: m"); },
                     {"--problem: m", "out of range", "99999999999999999999"});
  expect_usage_error([] { parse_integer("-99999999999999999999", "--problem: m"); },
                     {"--problem: m", "out of range"});
  // In range as digits, out of range once scaled.
  expect_usage_error([] { parse_integer("9007199254740992k", "--problem: k"); },
                     {"--problem: k", "out of range"});
  expect_usage_error([] { parse_integer("8796093022208M", "--problem: k"); },
                     {"--problem: k", "out of range"});
}

TEST(ParseInteger, JunkIsRejected) {
  for (const char* text : {"12x", "x12", "1.5", "1e3", "0x10", "k", "M", "12kk", "12m", "1 2",
                           "12 k", "--3", "1,000"}) {
    SCOPED_TRACE(text);
    expect_usage_error([&] { parse_integer(text, "--problem: n"); },
                       {"--problem: n", "expected an integer"});
  }
  expect_usage_error([] { parse_integer("12x", "--problem: n"); }, {"'12x'"});
}

TEST(ParseInteger, EmptyIsRejected) {
  expect_usage_error([] { parse_integer("", "--problem: n"); },
                     {"--problem: n", "expected an integer, got ''"});
  expect_usage_error([] { parse_integer("   ", "--problem: n"); }, {"--problem: n"});
}

TEST(ParseReal, Numbers) {
  EXPECT_DOUBLE_EQ(parse_real("0.5", "--target-spread"), 0.5);
  EXPECT_DOUBLE_EQ(parse_real(" 2 ", "x"), 2.0);
  EXPECT_DOUBLE_EQ(parse_real("-1.25", "x"), -1.25);
  EXPECT_DOUBLE_EQ(parse_real("1e-3", "x"), 1e-3);
  EXPECT_DOUBLE_EQ(parse_real(".25", "x"), 0.25);
}

TEST(ParseReal, JunkAndEmptyAreRejected) {
  for (const char* text : {"", " ", "abc", "1.5s", "1..5", "1,5", "0.5 0.5", "e3"}) {
    SCOPED_TRACE(text);
    expect_usage_error([&] { parse_real(text, "--max-time"); },
                       {"--max-time", "expected a number"});
  }
}

TEST(ParseReal, NonFiniteAndOverflowAreRejected) {
  for (const char* text : {"inf", "-inf", "INF", "infinity", "nan", "NaN", "1e999", "-1e999"}) {
    SCOPED_TRACE(text);
    expect_usage_error([&] { parse_real(text, "--max-time"); }, {"--max-time", "out of range"});
  }
}

}  // namespace
}  // namespace ridgeline
