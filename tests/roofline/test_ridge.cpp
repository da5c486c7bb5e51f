// Ridge points of the shipped catalog against ROOFLINE-FACTS.md's table (BF16 tensor / FP32 SIMT,
// FLOP per DRAM byte), each within half a unit of the table's last printed digit.
#include <gtest/gtest.h>

#include <string>

#include "roofline/device_catalog.hpp"
#include "roofline/ridge.hpp"

namespace ridgeline::roofline {
namespace {

const device_catalog& shipped() {
  static const device_catalog c = load_catalog(RIDGELINE_DEVICE_CATALOG_DIR);
  return c;
}

struct ridge_row {
  const char* id;
  double bf16_tensor, bf16_tolerance;
  double f32_simt, f32_tolerance;
};

TEST(Ridge, MatchesTheFactsTable) {
  const ridge_row rows[] = {{"a100_sxm_80gb", 153, 0.5, 9.6, 0.05},
                            {"h100_sxm", 295, 0.5, 20, 0.5},
                            {"h200", 206, 0.5, 14, 0.5},
                            {"h20", 37, 0.5, 11, 0.5},
                            {"mi300x", 247, 0.5, 31, 0.5}};
  for (const auto& row : rows) {
    SCOPED_TRACE(row.id);
    const device_card* card = shipped().find(row.id);
    ASSERT_NE(card, nullptr);
    const auto tensor = ridge(*card, "bf16", "tensor", "dram");
    const auto simt = ridge(*card, "f32", "simt", "dram");
    ASSERT_TRUE(tensor && simt);
    EXPECT_NEAR(*tensor, row.bf16_tensor, row.bf16_tolerance);
    EXPECT_NEAR(*simt, row.f32_simt, row.f32_tolerance);
  }
}

TEST(Ridge, TheDecodeInversion) {
  // An M = 64 GEMM has an intensity of roughly 64 FLOP/byte: below the bf16 ridge of A100, H100
  // and H200 (memory-bound) but above H20's (compute-bound).
  for (const char* id : {"a100_sxm_80gb", "h100_sxm", "h200"}) {
    EXPECT_GT(*ridge(*shipped().find(id), "bf16", "tensor", "dram"), 64.0) << id;
  }
  EXPECT_LT(*ridge(*shipped().find("h20"), "bf16", "tensor", "dram"), 64.0);
}

TEST(Ridge, NothingWhenARoofIsMissingOrUnknown) {
  const device_card& h100 = *shipped().find("h100_sxm");
  EXPECT_FALSE(ridge(h100, "f32", "simt", "l2"));      // no L2 roof listed
  EXPECT_FALSE(ridge(h100, "f32", "tensor", "dram"));  // no f32 tensor roof listed
  EXPECT_FALSE(ridge(*shipped().find("b20"), "bf16", "tensor", "dram"));  // unknown roofs
  EXPECT_NEAR(*ridge(*shipped().find("epyc_zen4_vm_2cpu"), "f32", "simt", "l1"), 230.0 / 375.0,
              1e-12);
}

}  // namespace
}  // namespace ridgeline::roofline
