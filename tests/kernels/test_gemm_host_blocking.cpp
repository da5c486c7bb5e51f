// The host GEMM's cache blocking rule (kernels/gemm/gemm_host_blocking.hpp), asked about machines
// of both kinds this project runs on and about a many-core socket — not only about this one.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kernels/gemm/gemm_host_blocking.hpp"
#include "kernels/gemm/gemm_tiled.hpp"

namespace ridgeline::test {
namespace {

const std::vector<std::int64_t>& axis_values(const std::string& name) {
  return kernels::gemm_tiled_axes().space().find(name)->values();
}

kernels::host_gemm_blocking blocking(std::uint64_t l1, std::uint64_t l2, int cores, int elem,
                                     int reg_m, int reg_n) {
  return kernels::choose_host_gemm_blocking({l1, l2, cores}, elem, reg_m, reg_n,
                                            axis_values("tile_m"), axis_values("tile_n"),
                                            axis_values("tile_k"));
}

constexpr std::uint64_t KiB = 1024, MiB = 1024 * 1024;

TEST(GemmHostBlocking, PanelsFitTheCachesTheyAreMeantFor) {
  for (const int elem : {4, 8}) {
    for (const auto& [l1, l2] : {std::pair{32 * KiB, 1 * MiB}, std::pair{48 * KiB, 2 * MiB},
                                 std::pair{64 * KiB, 1 * MiB}, std::pair{16 * KiB, 256 * KiB}}) {
      const int reg_n = 64 / elem * 2;  // two zmm
      const auto b = blocking(l1, l2, 2, elem, 8, reg_n);
      SCOPED_TRACE(testing::Message() << "elem " << elem << " L1 " << l1 << " L2 " << l2);
      EXPECT_EQ(b.tile_m % 8, 0);
      EXPECT_LE(std::uint64_t(b.tile_k) * reg_n * elem, l1 * 2 / 3);
      EXPECT_LE(std::uint64_t(b.tile_m) * b.tile_k * elem, l2 * 3 / 4);
      EXPECT_LE(b.tile_m, 1024);
      // The packed B panel fits L2 too, unless it is the 512-column floor.
      EXPECT_EQ(b.tile_n % reg_n, 0);
      EXPECT_GE(b.tile_n, 512);
      EXPECT_LE(b.tile_n, 1024);
      if (b.tile_n > 512) EXPECT_LE(std::uint64_t(b.tile_k) * b.tile_n * elem, l2 * 3 / 4);
    }
  }
}

TEST(GemmHostBlocking, MeasuredShapesOnTheTwoVmKinds) {
  // Xeon VM (48 KiB L1d, 2 MiB L2, 2 cores): the fastest shapes measured at 2048^3
  // (gemm_tiled.cpp).
  EXPECT_EQ(blocking(48 * KiB, 2 * MiB, 2, 4, 8, 32).tile_m, 1024);
  EXPECT_EQ(blocking(48 * KiB, 2 * MiB, 2, 4, 8, 32).tile_k, 256);
  EXPECT_EQ(blocking(48 * KiB, 2 * MiB, 2, 8, 8, 16).tile_m, 1024);
  EXPECT_EQ(blocking(48 * KiB, 2 * MiB, 2, 8, 8, 16).tile_k, 192);
  EXPECT_EQ(blocking(48 * KiB, 2 * MiB, 2, 4, 8, 32).tile_n, 1024);
  EXPECT_EQ(blocking(48 * KiB, 2 * MiB, 2, 8, 8, 16).tile_n, 1024);
  // Zen 4 (32 KiB, 1 MiB): a B micro-panel of 128 x 2 zmm is 16 KiB; f64 at K 128 fits 768 rows
  // in 3/4 of L2.
  EXPECT_EQ(blocking(32 * KiB, 1 * MiB, 2, 4, 8, 32).tile_k, 128);
  EXPECT_EQ(blocking(32 * KiB, 1 * MiB, 2, 8, 8, 16).tile_m, 768);
  // ... and its f64 B panel at 1024 columns (1 MiB) would not fit 3/4 of L2: 512 stays.
  EXPECT_EQ(blocking(32 * KiB, 1 * MiB, 2, 8, 8, 16).tile_n, 512);
  EXPECT_EQ(blocking(32 * KiB, 1 * MiB, 2, 4, 8, 32).tile_n, 1024);
}

TEST(GemmHostBlocking, ManyCoresKeepTwoTilesPerCoreOfA4096SquareProduct) {
  for (const int cores : {1, 8, 32, 64, 96, 192}) {
    const auto b = blocking(48 * KiB, 2 * MiB, cores, 4, 8, 32);
    EXPECT_GE((4096 / b.tile_m) * (4096 / b.tile_n), 2 * cores)
        << cores << " cores: tile_m " << b.tile_m << ", tile_n " << b.tile_n;
    EXPECT_GE(b.tile_m, 8);
  }
}

TEST(GemmHostBlocking, ThisHostReportsCachesAndCores) {
  const kernels::host_cache_sizes s = kernels::this_host_cache_sizes();
  EXPECT_GT(s.l1d_bytes, 0u);
  EXPECT_GE(s.l2_bytes, s.l1d_bytes);
  EXPECT_GE(s.cores, 1);
}

}  // namespace
}  // namespace ridgeline::test
