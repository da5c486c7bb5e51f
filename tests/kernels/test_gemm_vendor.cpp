// gemm's `vendor` variant: which dtypes each backend's library computes, on which units, and that
// placement judges those units by their own roof (matrix roof for tensor units, never the SIMT
// one). The cuBLAS launches themselves need a GPU: scripts/device-check.sh runs them.
#include <gtest/gtest.h>

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
const kernels::variant& variant(const std::string& name) {
  return gemm().find_variant(name);
}

kernels::problem problem(const std::string& text) {
  return gemm().parse_problem(parse_key_value_list(text, "p"), "p");
}

TEST(GemmVendor, UnitsPerBackendAndDtype) {
  const auto& v = variant("vendor");
  EXPECT_EQ(v.unit(dtype::bf16, "cuda"), "tensor");
  EXPECT_EQ(v.unit(dtype::f16, "cuda"), "tensor");
  EXPECT_EQ(v.unit(dtype::f32, "cuda"), "simt");    // pedantic f32: no TF32
  EXPECT_EQ(v.unit(dtype::f64, "cuda"), "tensor");  // DGEMM runs on DMMA
  EXPECT_EQ(v.unit(dtype::f32, "openmp"), "simt");  // OpenBLAS
  EXPECT_EQ(v.unit(dtype::f64, "serial"), "simt");
  EXPECT_EQ(variant("kokkos_tiled").unit(dtype::f64, "cuda"), "simt");
}

TEST(GemmVendor, LowPrecisionOnlyWhereMatrixUnitsRunIt) {
  EXPECT_EQ(variant("vendor").dtype_unsupported(dtype::bf16, "cuda"), "");
  EXPECT_EQ(variant("vendor").dtype_unsupported(dtype::f16, "cuda"), "");
  EXPECT_EQ(variant("vendor").dtype_unsupported(dtype::f32, "openmp"), "");
  const std::string host = variant("vendor").dtype_unsupported(dtype::bf16, "openmp");
  EXPECT_NE(host.find("OpenBLAS"), std::string::npos) << host;
  EXPECT_NE(host.find("bf16"), std::string::npos) << host;
  for (const char* name : {"kokkos_tiled", "reference"}) {
    for (dtype t : {dtype::bf16, dtype::f16}) {
      const std::string why = variant(name).dtype_unsupported(t, "cuda");
      EXPECT_NE(why.find(std::string(name) + " computes in f32 and f64 only"), std::string::npos)
          << why;
      EXPECT_NE(why.find(kernels::to_string(t)), std::string::npos) << why;
    }
    EXPECT_EQ(variant(name).dtype_unsupported(dtype::f64, "openmp"), "");
  }
  // Every other kernel's variants refuse them too (the default declaration).
  for (const kernels::kernel* k : kernels::all_kernels()) {
    if (k->name() == "gemm") continue;
    for (const auto& v : k->variants()) {
      EXPECT_NE(v->dtype_unsupported(dtype::f16, "openmp"), "") << k->name() << " " << v->name();
    }
  }
}

TEST(GemmVendor, LowPrecisionWorkCountsInputsIn16BitsAndCInF32) {
  const auto w = gemm().work(problem("m=3,n=5,k=7"), dtype::bf16);
  ASSERT_EQ(w.flops.size(), 1u);
  EXPECT_EQ(w.flops[0].precision, "bf16");
  EXPECT_EQ(w.flops[0].count, 2u * 3 * 5 * 7);
  EXPECT_EQ(w.bytes_at("dram"), 2u * (3 * 7 + 7 * 5) + 4u * 3 * 5);
  EXPECT_EQ(gemm().working_set_bytes(problem("m=3,n=5,k=7"), dtype::f16),
            2u * (3 * 7 + 7 * 5) + 4u * 3 * 5);
  EXPECT_EQ(gemm().work(problem("m=3,n=5,k=7,beta=2"), dtype::f16).bytes_at("dram"),
            2u * (3 * 7 + 7 * 5) + 4u * 2 * 3 * 5);
}

TEST(GemmVendor, RefusedLowPrecisionIsAnInvalidConfigNamingTheReason) {
  for (const std::string& b : backend_ids()) {
    const auto m = kernels::run_kernel(rt(), check_request("vendor", "bf16", "m=4,n=4,k=4", b));
    EXPECT_EQ(m.outcome, profiler::status::invalid_config) << b;
    EXPECT_NE(m.reason.find("OpenBLAS"), std::string::npos) << m.reason;
    EXPECT_FALSE(m.check.has_value());
    const auto t =
        kernels::run_kernel(rt(), check_request("kokkos_tiled", "f16", "m=4,n=4,k=4", b));
    EXPECT_EQ(t.outcome, profiler::status::invalid_config) << b;
    EXPECT_NE(t.reason.find("kokkos_tiled computes in f32 and f64 only"), std::string::npos)
        << t.reason;
  }
}

// Placement on the shipped H100 card: the vendor's tensor FLOPs meet the matrix roof of their
// precision; f32 without TF32 meets the SIMT roof; neither is ever judged by the other's roof.
TEST(GemmVendor, PlacementUsesTheRoofOfTheVariantsUnit) {
  const auto catalog = roofline::load_catalog(RIDGELINE_DEVICE_CATALOG_DIR);
  const auto* card = catalog.find("h100_sxm");
  ASSERT_NE(card, nullptr);
  const profiler::roof_set roofs = roofline::datasheet_roofs(*card);
  const auto p = problem("m=4096,n=4096,k=4096");
  struct expectation {
    std::string variant;
    dtype t;
    std::string unit;
  };
  for (const auto& e :
       {expectation{"vendor", dtype::bf16, "tensor"}, expectation{"vendor", dtype::f16, "tensor"},
        expectation{"vendor", dtype::f64, "tensor"}, expectation{"vendor", dtype::f32, "simt"},
        expectation{"kokkos_tiled", dtype::f32, "simt"},
        expectation{"kokkos_tiled", dtype::f64, "simt"}}) {
    const std::string precision = kernels::to_string(e.t);
    profiler::measurement m;
    m.work = kernels::variant_work(gemm(), variant(e.variant), p, e.t, "cuda");
    m.counts_source = "analytic";
    const profiler::placement placed = profiler::place(m, roofs);
    ASSERT_TRUE(placed.placed) << e.variant << " " << precision << ": " << placed.why_not;
    EXPECT_EQ(placed.unit, e.unit) << e.variant << " " << precision;
    EXPECT_EQ(placed.precision, precision);
    const profiler::compute_roof* own = roofs.find_compute(precision, e.unit);
    ASSERT_NE(own, nullptr);
    EXPECT_DOUBLE_EQ(placed.compute_roof_flop_per_s, own->flop_per_s);
    const profiler::compute_roof* other =
        roofs.find_compute(precision, e.unit == "tensor" ? "simt" : "tensor");
    if (other != nullptr) {
      EXPECT_NE(placed.compute_roof_flop_per_s, other->flop_per_s);
    }
  }
  // bf16 FLOPs stated as SIMT find no roof on the card: they are not placed against another one.
  profiler::measurement simt_bf16;
  simt_bf16.work = gemm().work(p, dtype::bf16);
  EXPECT_FALSE(profiler::place(simt_bf16, roofs).placed);
}

}  // namespace
}  // namespace ridgeline::test
