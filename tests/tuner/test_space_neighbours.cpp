// space_neighbours: adjacent moves one axis one step, hamming any value of one axis; only valid
// points come back.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/tuner/sample_spaces.hpp"
#include "tuner/space_neighbours.hpp"

namespace ridgeline::tuner {
namespace {

int differing_axes(const config& a, const config& b) {
  int n = 0;
  for (const auto& [k, v] : a) n += b.at(k) != v;
  return n;
}

TEST(SpaceNeighbours, AdjacentMovesOneAxisOneStep) {
  const param_space s = test::small_space();
  const config c{{"x", 2}, {"y", 2}, {"z", 1}};  // 2 + 2 = 4: valid
  const auto n = neighbours(s, c, neighbourhood::adjacent);
  // x: 1 (1+2=3 invalid), 3 (5 ok); y: 0 (2 ok), 4 (6 invalid); z: 0, 2.
  const std::vector<config> want = {{{"x", 3}, {"y", 2}, {"z", 1}},
                                    {{"x", 2}, {"y", 0}, {"z", 1}},
                                    {{"x", 2}, {"y", 2}, {"z", 0}},
                                    {{"x", 2}, {"y", 2}, {"z", 2}}};
  EXPECT_EQ(n, want);
}

TEST(SpaceNeighbours, HammingChangesOneAxisToAnyValue) {
  const param_space s = test::big_sparse_space();
  const config c = s.defaults();
  const auto n = neighbours(s, c, neighbourhood::hamming);
  EXPECT_FALSE(n.empty());
  for (const auto& x : n) {
    EXPECT_EQ(differing_axes(c, x), 1);
    EXPECT_FALSE(s.violation(x).has_value());
  }
  // k=12 with r=4: every k in 1..64 divisible by 4 except 12 itself.
  const auto k_moves =
      std::count_if(n.begin(), n.end(), [&](const config& x) { return x.at("k") != 12; });
  EXPECT_EQ(k_moves, 15);
  EXPECT_TRUE(neighbours(s, {{"tm", 3}}, neighbourhood::hamming).empty());  // off-axis
}

}  // namespace
}  // namespace ridgeline::tuner
