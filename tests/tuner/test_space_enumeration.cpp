// space_enumeration: saturating Cartesian size, streaming count/enumeration in odometer order,
// and the mixed-radix index as a bijection.
#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "tests/tuner/sample_spaces.hpp"
#include "tuner/space_enumeration.hpp"

namespace ridgeline::tuner {
namespace {

TEST(SpaceEnumeration, CartesianSizeSaturates) {
  EXPECT_EQ(cartesian_size(test::big_sparse_space()), 2323200u);
  EXPECT_EQ(cartesian_size(param_space()), 1u);
  std::vector<axis> axes;
  for (int i = 0; i < 8; ++i) axes.push_back(axis::range("a" + std::to_string(i), 0, 999, 1, ""));
  config d;
  for (int i = 0; i < 8; ++i) d["a" + std::to_string(i)] = 0;
  const param_space huge(axes, {}, d);  // 1000^8 = 1e24 points
  EXPECT_EQ(cartesian_size(huge), std::numeric_limits<std::uint64_t>::max());
  EXPECT_FALSE(config_index(huge, d).has_value());
}

TEST(SpaceEnumeration, CountsMillionsOfPointsByStreaming) {
  const param_space s = test::big_sparse_space();
  EXPECT_EQ(count_valid(s), test::big_sparse_valid);
  EXPECT_EQ(count_valid(s, 1000), 1000u);  // stops early
}

TEST(SpaceEnumeration, OdometerOrderIsLastAxisFastest) {
  const param_space s = test::small_space();
  std::vector<config> seen;
  for_each_point(s, [&](const config& c) {
    seen.push_back(c);
    return seen.size() < 4;
  });
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], (config{{"x", 1}, {"y", 0}, {"z", 0}}));
  EXPECT_EQ(seen[1], (config{{"x", 1}, {"y", 0}, {"z", 1}}));
  EXPECT_EQ(seen[3], (config{{"x", 1}, {"y", 2}, {"z", 0}}));
}

TEST(SpaceEnumeration, ValidPointsAreDistinctAndPassConstraints) {
  const param_space s = test::small_space();
  std::set<config> all;
  for_each_valid(s, [&](const config& c) {
    EXPECT_FALSE(s.violation(c).has_value());
    all.insert(c);
    return true;
  });
  EXPECT_EQ(all.size(), test::small_valid);
  odometer o(s);
  std::uint64_t n = 0;
  for (o.skip_invalid(); !o.done(); o.advance(), o.skip_invalid()) ++n;
  EXPECT_EQ(n, test::small_valid);
}

TEST(SpaceEnumeration, IndexIsAMixedRadixBijection) {
  const param_space s = test::small_space();
  std::uint64_t expected = 0;
  for_each_point(s, [&](const config& c) {
    EXPECT_EQ(config_index(s, c), expected);
    EXPECT_EQ(config_at(s, expected), c);
    ++expected;
    return true;
  });
  EXPECT_EQ(expected, 60u);
  EXPECT_FALSE(config_index(s, {{"x", 5}, {"y", 0}, {"z", 0}}).has_value());  // off-axis
  EXPECT_FALSE(config_index(s, {{"x", 1}, {"y", 0}}).has_value());            // missing axis
  EXPECT_THROW(config_at(s, 60), std::out_of_range);
  const param_space big = test::big_sparse_space();
  const config d = big.defaults();
  EXPECT_EQ(config_at(big, *config_index(big, d)), d);
}

}  // namespace
}  // namespace ridgeline::tuner
