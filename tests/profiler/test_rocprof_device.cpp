// AMD GPU identity from the KFD topology (profiler/counters/rocprof_device.cpp).
#include <gtest/gtest.h>

#include "profiler/counters/rocprof_device.hpp"
#include "tests/profiler/test_rocprof_helpers.hpp"

namespace ridgeline::profiler::counters {
namespace {

using testing::temp_dir;
using testing::write_file;

TEST(RocprofDevice, GfxNameFromTargetVersion) {
  EXPECT_EQ(gfx_name(90402), "gfx942");  // MI300X
  EXPECT_EQ(gfx_name(90010), "gfx90a");  // MI250X: stepping 10 is one hex digit
  EXPECT_EQ(gfx_name(90008), "gfx908");  // MI100
  EXPECT_EQ(gfx_name(110000), "gfx1100");
  EXPECT_EQ(gfx_name(100300), "gfx1030");
  EXPECT_EQ(gfx_name(0), "");
}

TEST(RocprofDevice, GpuNodesInNodeOrder) {
  temp_dir dir;
  const std::string cpu = "cpu_cores_count 96\nsimd_count 0\ngfx_target_version 0\n";
  write_file(dir / "nodes/0/properties", cpu);
  write_file(dir / "nodes/10/properties", "simd_count 1216\ngfx_target_version 90010\n");
  write_file(dir / "nodes/2/properties",
             "cpu_cores_count 0\nsimd_count 1216\ngfx_target_version 90402\n");
  write_file(dir / "nodes/generation_id", "1\n");
  EXPECT_EQ(kfd_gpu_targets(dir / "nodes"), (std::vector<std::string>{"gfx942", "gfx90a"}));
  EXPECT_TRUE(kfd_gpu_targets(dir / "missing").empty());
}

}  // namespace
}  // namespace ridgeline::profiler::counters
