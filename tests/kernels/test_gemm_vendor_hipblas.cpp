// gemm's `vendor` variant on the hip backend (hipBLAS, gemm_vendor_hipblas_math.hpp): which dtypes
// it computes, on which units, and that placement on an AMD card judges them by the matrix roof
// and never by the SIMT one. The hipBLAS launches need an AMD GPU; scripts/hip-compile-check
// compiles and links them.
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>
#include <string>

#include "kernels/kernel.hpp"
#include "profiler/placement.hpp"
#include "roofline/device_catalog.hpp"
#include "tests/kernels/test_support.hpp"

namespace ridgeline::test {
namespace {

using kernels::dtype;

const kernels::kernel& gemm() {
  return kernels::find_kernel("gemm");
}

TEST(GemmVendorHipblas, EveryDtypeRunsOnMatrixUnits) {
  const auto& v = gemm().find_variant("vendor");
  for (dtype t : {dtype::f32, dtype::f64, dtype::bf16, dtype::f16}) {
    EXPECT_EQ(v.unit(t, "hip"), "tensor") << kernels::to_string(t);
    EXPECT_EQ(v.dtype_unsupported(t, "hip"), "") << kernels::to_string(t);
  }
  // The Kokkos variant on the same backend stays on the vector units.
  EXPECT_EQ(gemm().find_variant("kokkos_tiled").unit(dtype::f32, "hip"), "simt");
}

#ifndef KOKKOS_ENABLE_HIP
TEST(GemmVendorHipblas, UnavailableWithoutAHipBuildSayingWhy) {
  const std::string why = gemm().find_variant("vendor").unavailable_reason("hip");
  EXPECT_NE(why.find("no hipBLAS"), std::string::npos) << why;
}
#endif

// Placement on the shipped MI250X card: each dtype meets the matrix roof of its precision where
// the card has one, and is not placed at all where it has none (never against the SIMT roof).
TEST(GemmVendorHipblas, PlacementUsesTheMatrixRoofOfTheCard) {
  const auto catalog = roofline::load_catalog(RIDGELINE_DEVICE_CATALOG_DIR);
  const auto* card = catalog.find("mi250x");
  ASSERT_NE(card, nullptr);
  const profiler::roof_set roofs = roofline::datasheet_roofs(*card);
  const auto p = gemm().parse_problem(parse_key_value_list("m=4096,n=4096,k=4096", "p"), "p");
  const auto& v = gemm().find_variant("vendor");
  int placed_count = 0;
  for (dtype t : {dtype::f32, dtype::f64, dtype::bf16, dtype::f16}) {
    const std::string precision = kernels::to_string(t);
    profiler::measurement m;
    m.work = kernels::variant_work(gemm(), v, p, t, "hip");
    m.counts_source = "analytic";
    const profiler::placement placed = profiler::place(m, roofs);
    const profiler::compute_roof* matrix = roofs.find_compute(precision, "tensor");
    if (matrix == nullptr) {
      EXPECT_FALSE(placed.placed) << precision << " placed against " << placed.unit;
      continue;
    }
    ASSERT_TRUE(placed.placed) << precision << ": " << placed.why_not;
    EXPECT_EQ(placed.unit, "tensor") << precision;
    EXPECT_DOUBLE_EQ(placed.compute_roof_flop_per_s, matrix->flop_per_s) << precision;
    ++placed_count;
  }
  EXPECT_GE(placed_count, 3);  // f64, bf16 and f16 have matrix roofs on the card
}

}  // namespace
}  // namespace ridgeline::test
