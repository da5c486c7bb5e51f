// The rocprofv3 argument vector and PATH lookup (profiler/counters/rocprof_command.cpp).
#include <gtest/gtest.h>

#include <algorithm>

#include "profiler/counters/rocprof_command.hpp"
#include "tests/profiler/test_rocprof_helpers.hpp"

namespace ridgeline::profiler::counters {
namespace {

using testing::temp_dir;
using testing::write_file;

TEST(RocprofCommand, ArgvHasOneElementPerArgument) {
  rocprof_invocation inv;
  inv.tool = "/opt/rocm 7/bin/rocprofv3";
  inv.counters = {"SQ_INSTS_VALU_FMA_F32", "TCC_EA0_RDREQ_sum"};
  inv.output_dir = "/tmp/my results/pass-1";
  inv.executable = "/home/me/ridge line/ridgeline";
  inv.replay_args = {"run", "gemm", "--problem", "m=8,n=8,k=8", "--params", "a=1"};
  inv.launches = 3;
  const std::vector<std::string> want{"/opt/rocm 7/bin/rocprofv3",
                                      "--pmc",
                                      "SQ_INSTS_VALU_FMA_F32",
                                      "TCC_EA0_RDREQ_sum",
                                      "--output-format",
                                      "csv",
                                      "-d",
                                      "/tmp/my results/pass-1",
                                      "-o",
                                      "pass",
                                      "--",
                                      "/home/me/ridge line/ridgeline",
                                      "run",
                                      "gemm",
                                      "--problem",
                                      "m=8,n=8,k=8",
                                      "--params",
                                      "a=1",
                                      "--counter-replay",
                                      "3"};
  EXPECT_EQ(rocprof_argv(inv), want);
  inv.kernel_regex = "flash|combine";
  inv.output_format = "json";
  const auto argv = rocprof_argv(inv);
  const auto at = std::find(argv.begin(), argv.end(), "--kernel-include-regex");
  ASSERT_NE(at, argv.end());
  EXPECT_EQ(*(at + 1), "flash|combine");
  EXPECT_LT(at, std::find(argv.begin(), argv.end(), "--"));
  EXPECT_EQ(*(std::find(argv.begin(), argv.end(), "--output-format") + 1), "json");
}

TEST(RocprofCommand, ReplayArgumentsRerunOneMeasurementWithoutCounters) {
  replay_spec r{"moe_layer", "kokkos", "f32", "tokens=37,experts=16", "block=64", "hip", 42};
  EXPECT_EQ(replay_arguments(r),
            (std::vector<std::string>{"run", "moe_layer", "--variant", "kokkos", "--dtype", "f32",
                                      "--problem", "tokens=37,experts=16", "--params", "block=64",
                                      "--backend", "hip", "--seed", "42", "--counters", "none"}));
  r.params.clear();
  r.backend.clear();
  const auto args = replay_arguments(r);
  EXPECT_EQ(std::count(args.begin(), args.end(), "--params"), 0);
  EXPECT_EQ(std::count(args.begin(), args.end(), "--backend"), 0);
}

TEST(RocprofCommand, FindOnPath) {
  temp_dir dir;
  write_file(dir / "bin a/rocprofv3", "#!/bin/sh\n", true);
  write_file(dir / "bin b/rocprofv3", "not executable\n", false);
  const std::string a = dir / "bin a";
  const std::string b = dir / "bin b";
  EXPECT_EQ(find_on_path("rocprofv3", b + ":" + a), a + "/rocprofv3");  // skips non-executables
  EXPECT_EQ(find_on_path("rocprofv3", b), "");
  EXPECT_EQ(find_on_path("rocprofv3", ""), "");
  EXPECT_EQ(find_on_path(a + "/rocprofv3", ""), a + "/rocprofv3");  // a path is taken as is
  EXPECT_EQ(find_on_path(b + "/rocprofv3", a), "");
  EXPECT_FALSE(self_executable().empty());
}

}  // namespace
}  // namespace ridgeline::profiler::counters
