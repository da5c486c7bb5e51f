// bound_space: one table gives the axes (in declaration order), the typed conversion, the
// per-backend defaults (both validated at construction) and constraints over the typed config.
#include <gtest/gtest.h>

#include <stdexcept>

#include "tuner/bound_space.hpp"

namespace ridgeline::tuner {
namespace {

struct tile_config {
  int tile = 0, reg = 0, layout = 0;
};

bound_space<tile_config> tiles(backend_defaults reg_defaults) {
  return bound_space<tile_config>(
      {{&tile_config::tile, axis::power_of_two("tile", 4, 64, "rows per tile"), {32, 16}},
       {&tile_config::reg, axis::list("reg", {1, 2, 4, 6}, "register rows"), reg_defaults},
       {&tile_config::layout, axis::categorical("layout", {"row", "col"}, "layout"), {0, 1}}},
      {{"tile is a multiple of reg", [](const tile_config& t) { return t.tile % t.reg == 0; }}});
}

TEST(BoundSpace, AxesKeepDeclarationOrder) {
  const auto s = tiles({4, 2});
  ASSERT_EQ(s.space().axes().size(), 3u);
  EXPECT_EQ(s.space().axes()[0].name(), "tile");
  EXPECT_EQ(s.space().axes()[2].name(), "layout");
  EXPECT_EQ(s.space().format(s.default_for("openmp")), "tile=32,reg=4,layout=row");
}

TEST(BoundSpace, DefaultsPerBackend) {
  const auto s = tiles({4, 2});
  EXPECT_EQ(s.default_for("serial"), (config{{"tile", 32}, {"reg", 4}, {"layout", 0}}));
  EXPECT_EQ(s.default_for("cuda"), (config{{"tile", 16}, {"reg", 2}, {"layout", 1}}));
  EXPECT_EQ(s.default_for("hip"), s.default_for("cuda"));
  const tile_config gpu = s.typed_default("hip");
  EXPECT_EQ(gpu.tile, 16);
  EXPECT_EQ(gpu.reg, 2);
  EXPECT_EQ(gpu.layout, 1);
}

TEST(BoundSpace, TypedConstraintsSeeTheTypedPoint) {
  const auto s = tiles({4, 2});
  EXPECT_FALSE(s.space().violation({{"tile", 16}, {"reg", 4}, {"layout", 0}}));
  EXPECT_EQ(s.space().violation({{"tile", 4}, {"reg", 6}, {"layout", 0}}),
            "violates: tile is a multiple of reg");
  // The constraints hold their own copy of the field list: a copied space still checks them.
  const bound_space<tile_config> copy = s;
  EXPECT_TRUE(copy.space().violation({{"tile", 4}, {"reg", 6}, {"layout", 0}}));
}

TEST(BoundSpace, InvalidDefaultsAreRejectedAtConstruction) {
  EXPECT_THROW(tiles({6, 2}), std::logic_error);  // host: 32 is not a multiple of 6
  EXPECT_THROW(tiles({4, 6}), std::logic_error);  // gpu: 16 is not a multiple of 6
}

}  // namespace
}  // namespace ridgeline::tuner
