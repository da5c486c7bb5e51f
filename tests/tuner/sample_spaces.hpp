#pragma once
// Spaces shared by the tuner suites.
#include <cstdint>

#include "tuner/param_space.hpp"

namespace ridgeline::tuner::test {

// 2 323 200 Cartesian points, 168 168 valid (7.2 %): big enough that materialising it would show,
// sparse enough that constraints matter. Valid count: 28 (tm, tn) pairs with tm*tn <= 64, times
// 143 (k, r) pairs with r | k, times 42 (layout, u) pairs with layout != c or u < 2.
inline param_space big_sparse_space() {
  return param_space(
      {axis::power_of_two("tm", 1, 1024, "tile rows"),
       axis::power_of_two("tn", 1, 1024, "tile cols"), axis::range("k", 1, 64, 1, "depth"),
       axis::list("r", {1, 2, 3, 4, 6}, "register tile"),
       axis::categorical("layout", {"a", "b", "c"}, "layout"),
       axis::range("u", 0, 19, 1, "unroll")},
      {{"tm*tn <= 64", [](const config& c) { return c.at("tm") * c.at("tn") <= 64; }},
       {"r divides k", [](const config& c) { return c.at("k") % c.at("r") == 0; }},
       {"layout c needs u < 2",
        [](const config& c) { return c.at("layout") != 2 || c.at("u") < 2; }}},
      {{"tm", 8}, {"tn", 8}, {"k", 12}, {"r", 4}, {"layout", 0}, {"u", 0}});
}
inline constexpr std::uint64_t big_sparse_valid = 28ull * 143 * 42;

// 4 x 5 x 3 = 60 points, 39 valid (13 of the 20 (x, y) pairs have x + y not a multiple of 3):
// small enough to enumerate in every test.
inline constexpr std::uint64_t small_valid = 39;
inline param_space small_space() {
  return param_space({axis::list("x", {1, 2, 3, 4}, "x"), axis::range("y", 0, 8, 2, "y"),
                      axis::categorical("z", {"p", "q", "r"}, "z")},
                     {{"x + y is not a multiple of 3",
                       [](const config& c) { return (c.at("x") + c.at("y")) % 3 != 0; }}},
                     {{"x", 1}, {"y", 0}, {"z", 0}});
}

}  // namespace ridgeline::tuner::test
