// plan_rotation: enough buffer copies that cycling through them spans twice the last-level cache;
// rotation_cache_for: that cache is the running device's own (a GPU's L2, the host's LLC for CPUs).
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>

#include "profiler/rotation.hpp"

namespace ridgeline::profiler {
namespace {

constexpr std::size_t MiB = 1024 * 1024;
constexpr std::size_t llc = 32 * MiB;

TEST(PlanRotation, LargeWorkingSetNeedsOneCopy) {
  for (std::size_t ws : {2 * llc, 2 * llc + 1, 48 * 4 * MiB}) {
    const rotation_plan p = plan_rotation(ws, llc);
    EXPECT_EQ(p.copies, 1u) << ws;
    EXPECT_TRUE(p.inputs_cold) << ws;
  }
}

TEST(PlanRotation, SmallWorkingSetGetsCeilOfTwiceLlcOverWorkingSet) {
  // ceil(64 MiB / 10 MiB) = 7; 7 x 10 MiB >= 64 MiB.
  rotation_plan p = plan_rotation(10 * MiB, llc);
  EXPECT_EQ(p.copies, 7u);
  EXPECT_TRUE(p.inputs_cold);
  // Exact division: 64 MiB / 16 MiB = 4.
  p = plan_rotation(16 * MiB, llc);
  EXPECT_EQ(p.copies, 4u);
  EXPECT_TRUE(p.inputs_cold);
  // Just under 2 x LLC: two copies.
  p = plan_rotation(2 * llc - 1, llc);
  EXPECT_EQ(p.copies, 2u);
  EXPECT_TRUE(p.inputs_cold);
  // 768 KiB (a 256^2 f32 GEMM) against 32 MiB: ceil(65536 / 768) = 86.
  p = plan_rotation(768 * 1024, llc);
  EXPECT_EQ(p.copies, 86u);
  EXPECT_TRUE(p.inputs_cold);
}

TEST(PlanRotation, TinyWorkingSetIsCappedAndStaysWarm) {
  rotation_plan p = plan_rotation(1024, llc);  // would want 65536 copies
  EXPECT_EQ(p.copies, 256u);
  EXPECT_FALSE(p.inputs_cold);
  p = plan_rotation(1 * MiB, llc, 16);  // would want 64
  EXPECT_EQ(p.copies, 16u);
  EXPECT_FALSE(p.inputs_cold);
  // The cap is not binding when exactly enough.
  p = plan_rotation(4 * MiB, llc, 16);
  EXPECT_EQ(p.copies, 16u);
  EXPECT_TRUE(p.inputs_cold);
  // A zero cap still allows the one copy every workload has.
  p = plan_rotation(1 * MiB, llc, 0);
  EXPECT_EQ(p.copies, 1u);
  EXPECT_FALSE(p.inputs_cold);
}

TEST(PlanRotation, UnknownLlcMeansNoRotationAndNoColdClaim) {
  const rotation_plan p = plan_rotation(1 * MiB, 0);
  EXPECT_EQ(p.copies, 1u);
  EXPECT_FALSE(p.inputs_cold);
}

TEST(PlanRotation, EmptyWorkingSetNeedsOneCopy) {
  const rotation_plan p = plan_rotation(0, llc);
  EXPECT_EQ(p.copies, 1u);
  EXPECT_TRUE(p.inputs_cold);
}

TEST(RotationCache, AGpuIsSizedAgainstItsOwnL2NotTheHostsLlc) {
  // A CUDA-like device (not a host backend) with an H100's 50 MiB L2, on a host with 384 MiB of
  // L3: the host's cache must not enter the plan.
  const std::uint64_t l2 = 50 * MiB, host_llc = 384 * MiB;
  const rotation_cache c = rotation_cache_for(false, l2, host_llc);
  EXPECT_EQ(c.name, "device_l2");
  EXPECT_EQ(c.bytes, l2);
  // 16 MiB per launch: ceil(100 / 16) = 7 copies against the L2; the host LLC would want 48.
  const rotation_plan p = plan_rotation(16 * MiB, c.bytes);
  EXPECT_EQ(p.copies, 7u);
  EXPECT_TRUE(p.inputs_cold);
  EXPECT_EQ(plan_rotation(16 * MiB, host_llc).copies, 48u);
  // 120 MiB per launch already evicts a 50 MiB L2: one copy, though it fits the host's L3.
  EXPECT_EQ(plan_rotation(120 * MiB, c.bytes).copies, 1u);
}

TEST(RotationCache, ACpuIsSizedAgainstTheHostsLlc) {
  const rotation_cache c = rotation_cache_for(true, 50 * MiB, llc);  // a device L2 is ignored
  EXPECT_EQ(c.name, "host_llc");
  EXPECT_EQ(c.bytes, llc);
  EXPECT_EQ(plan_rotation(10 * MiB, c.bytes).copies, 7u);
}

TEST(RotationCache, AGpuThatDoesNotReportItsL2IsNotRotated) {
  // Unknown stays unknown: the host's LLC is not a stand-in for a GPU's L2.
  const rotation_cache c = rotation_cache_for(false, 0, llc);
  EXPECT_EQ(c.name, "device_l2");
  EXPECT_EQ(c.bytes, 0u);
  const rotation_plan p = plan_rotation(1 * MiB, c.bytes);
  EXPECT_EQ(p.copies, 1u);
  EXPECT_FALSE(p.inputs_cold);
}

}  // namespace
}  // namespace ridgeline::profiler
