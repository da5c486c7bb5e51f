// place(): attainable = min(compute roof of the work's own precision and unit, AI x bandwidth
// roof per level); the bound, fraction and headroom follow. Numbers by hand from the sample.
#include <gtest/gtest.h>

#include <sstream>

#include "profiler/console_report.hpp"
#include "profiler/measurement_json.hpp"
#include "profiler/placement.hpp"
#include "tests/profiler/sample_measurement.hpp"

namespace ridgeline::profiler {
namespace {

// The sample: 3e9 f32 SIMT + 1e9 f16 tensor FLOPs in 2 ms (2 TFLOP/s achieved); 1e9 DRAM bytes
// (AI 4), 4e9 L2 bytes (AI 1).
roof_set card(double f32_simt, double dram, double l2) {
  roof_set r;
  r.device = "test-card";
  r.compute = {{"f32", "simt", f32_simt, "datasheet"}, {"f16", "tensor", 1e15, "datasheet"}};
  r.bandwidth = {{"dram", dram, "datasheet"}, {"l2", l2, "datasheet"}};
  return r;
}

TEST(Placement, ComputeBoundWhenBandwidthRoofsAreHigh) {
  const placement p = place(test::sample_measurement(), card(10e12, 5e12, 50e12));
  ASSERT_TRUE(p.placed) << p.why_not;
  EXPECT_EQ(p.precision, "f32");  // dominant FLOPs are f32 SIMT: never the tensor roof
  EXPECT_EQ(p.unit, "simt");
  EXPECT_DOUBLE_EQ(p.attainable_flop_per_s, 10e12);  // min(10T, 4*5T=20T, 1*50T=50T)
  EXPECT_EQ(p.bound, "compute (f32 simt)");
  EXPECT_DOUBLE_EQ(p.achieved_flop_per_s, 2e12);
  EXPECT_DOUBLE_EQ(p.fraction_of_attainable, 0.2);
  EXPECT_DOUBLE_EQ(p.headroom, 5.0);
  ASSERT_EQ(p.levels.size(), 2u);
  EXPECT_DOUBLE_EQ(p.levels[0].flop_per_byte, 4.0);
  EXPECT_DOUBLE_EQ(p.levels[1].flop_per_byte, 1.0);
  EXPECT_EQ(p.counts_source, "analytic");
}

TEST(Placement, TheLowestBandwidthRoofBinds) {
  // dram: 4 * 1T = 4T; l2: 1 * 3T = 3T; compute 10T -> L2 binds at 3T.
  const placement p = place(test::sample_measurement(), card(10e12, 1e12, 3e12));
  ASSERT_TRUE(p.placed);
  EXPECT_EQ(p.bound, "l2 bandwidth");
  EXPECT_DOUBLE_EQ(p.attainable_flop_per_s, 3e12);
  EXPECT_NEAR(p.fraction_of_attainable, 2.0 / 3.0, 1e-12);
}

TEST(Placement, MissingRoofsAreSaidNotGuessed) {
  roof_set tensor_only;
  tensor_only.device = "npu";
  tensor_only.compute = {{"f16", "tensor", 1e15, "datasheet"}};
  const placement p = place(test::sample_measurement(), tensor_only);
  EXPECT_FALSE(p.placed);
  EXPECT_NE(p.why_not.find("no f32 simt compute roof"), std::string::npos) << p.why_not;

  // A level without a bandwidth roof keeps its intensity but cannot bind.
  roof_set no_l2 = card(10e12, 1e12, 0);
  no_l2.bandwidth.pop_back();
  const placement q = place(test::sample_measurement(), no_l2);
  ASSERT_TRUE(q.placed);
  EXPECT_EQ(q.bound, "dram bandwidth");
  EXPECT_DOUBLE_EQ(q.levels[1].roof_flop_per_s, 0.0);
}

TEST(Placement, UntimedMeasurementsArePlacedWithoutAFraction) {
  measurement m = test::sample_measurement();
  m.timing.reset();
  const placement p = place(m, card(10e12, 5e12, 50e12));
  ASSERT_TRUE(p.placed);
  EXPECT_DOUBLE_EQ(p.achieved_flop_per_s, 0.0);
  EXPECT_DOUBLE_EQ(p.fraction_of_attainable, 0.0);
}

TEST(Placement, ConsoleAndJsonForms) {
  const placement p = place(test::sample_measurement(), card(10e12, 1e12, 3e12));
  std::ostringstream out;
  write_placement(out, p);
  EXPECT_NE(out.str().find("66.7% of attainable 3 TFLOP/s (l2 bandwidth bound; datasheet roofs "
                           "of test-card); headroom 1.50x; AI dram 4, l2 1 FLOP/B [analytic]"),
            std::string::npos)
      << out.str();
  const auto j = to_json(p);
  EXPECT_EQ(j["bound"], "l2 bandwidth");
  EXPECT_EQ(j["roof_source"], "datasheet");
  EXPECT_DOUBLE_EQ(j["attainable_flop_per_s"].get<double>(), 3e12);
  EXPECT_EQ(j["levels"][1]["level"], "l2");

  std::ostringstream missing;
  write_placement(missing, place(test::sample_measurement(), roof_set{}));
  EXPECT_NE(missing.str().find("roof    not placed: no f32 simt compute roof"), std::string::npos)
      << missing.str();
}

}  // namespace
}  // namespace ridgeline::profiler
