// value_list: the axis values and the dispatch to a compile-time value come from one list.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "kernels/value_list.hpp"

namespace ridgeline::kernels {
namespace {

using tiles = value_list<1, 4, 8>;

TEST(ValueList, AxisValuesInDeclarationOrder) {
  EXPECT_EQ(tiles::axis_values(), (std::vector<std::int64_t>{1, 4, 8}));
  EXPECT_EQ(tiles::values.size(), 3u);
}

TEST(ValueList, DispatchReachesTheCompileTimeValue) {
  for (int v : tiles::values) {
    EXPECT_EQ(dispatch_value<tiles>(v, [](auto c) { return decltype(c)::value; }), v);
  }
}

TEST(ValueList, PairDispatchTakesBothLists) {
  const int product = dispatch_value_pair<tiles, value_list<2, 3>>(
      4, 3, [](auto r, auto c) { return decltype(r)::value * decltype(c)::value; });
  EXPECT_EQ(product, 12);
}

}  // namespace
}  // namespace ridgeline::kernels
