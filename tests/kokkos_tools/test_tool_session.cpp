// kokkos_tools/tool_session.cpp without Kokkos: the callbacks' sequence played by hand (begin/end
// with known durations, Kokkos-internal kernels, an end without a begin, two backends), finalized
// into a temporary database and read back.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "kokkos_tools/tool_session.hpp"
#include "storage/database.hpp"

namespace ridgeline::kokkos_tools {
namespace {

constexpr std::uint32_t openmp = 1u << 24, cuda = 2u << 24;

class ToolSession : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "ridgeline-kp-XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    db_path_ = dir_ + "/results.sqlite";
    setenv("RIDGELINE_DB", db_path_.c_str(), 1);
    unsetenv("RIDGELINE_KP_WORK");
  }
  void TearDown() override {
    unsetenv("RIDGELINE_DB");
    unsetenv("RIDGELINE_KP_WORK");
    std::filesystem::remove_all(dir_);
  }
  std::string dir_, db_path_;
};

std::string provenance(const profiler::measurement& m, const std::string& key) {
  for (const auto& [k, v] : m.provenance) {
    if (k == key) return v;
  }
  return "(absent)";
}

TEST_F(ToolSession, StoresEveryLabelWithItsInvocationsTimesAndWork) {
  {
    std::ofstream work(dir_ + "/work.yaml");
    work << "kernels:\n  app::axpy: {flops: 200, precision: f32, bytes: 1200}\n";
  }
  setenv("RIDGELINE_KP_WORK", (dir_ + "/work.yaml").c_str(), 1);
  tool_session s(20210225);
  s.fencing_requested();
  const auto pause = std::chrono::milliseconds(2);
  for (int i = 0; i < 3; ++i) {
    const std::uint64_t id = s.begin("app::axpy", "parallel_for", openmp);
    EXPECT_NE(id, 0u);
    std::this_thread::sleep_for(pause);
    s.end(id);
  }
  const std::uint64_t sum = s.begin("app::sum", "parallel_reduce", openmp);
  const std::uint64_t internal = s.begin("Kokkos::View::initialization [x]", "parallel_for", 0);
  EXPECT_EQ(internal, 0u);  // Kokkos's own kernels are not recorded
  s.end(internal);
  s.end(987654);  // an id this session never gave: ignored
  std::this_thread::sleep_for(pause);
  s.end(sum);
  const std::uint64_t gpu = s.begin("app::gpu_kernel", "parallel_for", cuda);
  s.end(gpu);
  s.begin("app::never_ended", "parallel_for", openmp);  // no end: not stored
  s.finalize();

  storage::database db = storage::database::open(db_path_);
  const auto stored = db.stored_measurements();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(db.runs().size(), 2u);  // one run per device: the CPU (OpenMP) and the GPU (Cuda)
  std::map<std::string, storage::stored_measurement> by;
  for (const auto& m : stored) by[m.record.kernel] = m;

  const profiler::measurement& axpy = by.at("app::axpy").record;
  EXPECT_EQ(axpy.variant, "kokkos_tools");
  EXPECT_EQ(axpy.backend, "OpenMP");
  EXPECT_EQ(axpy.dtype, "f32");
  EXPECT_EQ(axpy.counts_source, "work_file");
  EXPECT_EQ(axpy.work.total_flops(), 200u);
  EXPECT_EQ(axpy.work.bytes_at("dram"), 1200u);
  ASSERT_TRUE(axpy.timing);
  ASSERT_EQ(axpy.timing->samples.size(), 3u);
  for (double t : axpy.timing->samples) EXPECT_GE(t, 0.002);
  EXPECT_EQ(axpy.timing->stopped, profiler::stop_reason::application);
  EXPECT_NE(axpy.timing->timer.find("Kokkos-fenced"), std::string::npos) << axpy.timing->timer;
  EXPECT_EQ(provenance(axpy, "invocations"), "3");
  EXPECT_EQ(provenance(axpy, "source"), "kokkos_tools");
  EXPECT_EQ(provenance(axpy, "kokkos_tools_interface"), "20210225");
  EXPECT_EQ(axpy.params,
            (std::vector<std::pair<std::string, std::string>>{{"construct", "parallel_for"}}));
  EXPECT_EQ(by.at("app::axpy").device.kind, "cpu");

  const profiler::measurement& sum_m = by.at("app::sum").record;
  EXPECT_EQ(sum_m.counts_source, "none");
  EXPECT_TRUE(sum_m.work.flops.empty());
  ASSERT_EQ(sum_m.timing->samples.size(), 1u);
  EXPECT_GE(sum_m.timing->samples[0], 0.002);

  EXPECT_EQ(by.at("app::gpu_kernel").device.kind, "gpu");
  EXPECT_EQ(by.at("app::gpu_kernel").device.backend, "Cuda");
}

TEST_F(ToolSession, WithoutFencingSaysDeviceTimesAreLaunchTimes) {
  tool_session s(20210225);
  s.end(s.begin("app::k", "parallel_for", openmp));
  s.finalize();
  storage::database db = storage::database::open(db_path_);
  const auto ms = db.measurements();
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_NE(ms[0].timing->timer.find("launch times"), std::string::npos) << ms[0].timing->timer;
  EXPECT_NE(provenance(ms[0], "global_fence").find("not offered"), std::string::npos);
}

TEST_F(ToolSession, NothingRanNothingStored) {
  tool_session s(20210225);
  s.finalize();
  EXPECT_FALSE(std::filesystem::exists(db_path_));
}

TEST_F(ToolSession, UnwritableDatabaseThrowsNamingThePath) {
  { std::ofstream(dir_ + "/file"); }
  const std::string bad = dir_ + "/file/results.sqlite";
  setenv("RIDGELINE_DB", bad.c_str(), 1);
  tool_session s(20210225);
  s.end(s.begin("app::k", "parallel_for", openmp));
  try {
    s.finalize();
    ADD_FAILURE() << "finalize stored into " << bad;
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ridgeline::kokkos_tools
