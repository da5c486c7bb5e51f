// The rocprofv3 backend end to end (profiler/counters/rocprof_backend.cpp) with fake `rocprofv3`
// scripts written here: one writes output in rocprofv3's documented CSV layout for whatever --pmc
// and --counter-replay it is given, one reports no permission, one hangs, one fails otherwise;
// and the paths of a machine without rocprofv3 or without an AMD GPU. The counter pass around it
// evaluates the shipped gfx942 formulas.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "profiler/counters/counter_pass.hpp"
#include "profiler/counters/rocprof_backend.hpp"
#include "profiler/counters/rocprof_command.hpp"
#include "tests/profiler/test_rocprof_helpers.hpp"

namespace ridgeline::profiler::counters {
namespace {

using testing::read_file;
using testing::temp_dir;
using testing::write_file;

// rocprofv3 as documented, for a child that prepares its inputs (2 fill dispatches) and then
// launches the workload N times (2 dispatches each: flash, combine). Fill counters are huge, so a
// selection that keeps them is caught. FAKE_HW_LIMIT refuses larger --pmc sets like rocprofv3.
const char* const fake_rocprofv3 = R"SH(#!/bin/bash
pmc=(); dir=; name=; n=
while [ $# -gt 0 ]; do
  case "$1" in
    --pmc) shift; while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do pmc+=("$1"); shift; done ;;
    -d) dir=$2; shift 2 ;;
    -o) name=$2; shift 2 ;;
    --output-format) [ "$2" = csv ] || { echo "fake: only csv" >&2; exit 2; }; shift 2 ;;
    --) shift; break ;;
    *) echo "fake rocprofv3: unexpected option $1" >&2; exit 2 ;;
  esac
done
[ -x "$1" ] || { echo "fake: child '$1' is not executable" >&2; exit 2; }
while [ $# -gt 0 ]; do [ "$1" = --counter-replay ] && n=$2; shift; done
echo "${#pmc[@]} $n ${pmc[*]}" >> "$FAKE_LOG"
if [ -n "$FAKE_HW_LIMIT" ] && [ ${#pmc[@]} -gt "$FAKE_HW_LIMIT" ]; then
  echo "E20261126 rocprofv3: ROCPROFILER_STATUS_ERROR_EXCEEDS_HW_LIMIT for agent gfx942" >&2
  exit 1
fi
mkdir -p "$dir/host"
out="$dir/host/${name}_counter_collection.csv"
echo '"Correlation_Id","Dispatch_Id","Agent_Id","Queue_Id","Process_Id","Thread_Id","Grid_Size","Kernel_Id","Kernel_Name","Workgroup_Size","LDS_Block_Size","Scratch_Size","VGPR_Count","Accum_VGPR_Count","SGPR_Count","Counter_Name","Counter_Value","Start_Timestamp","End_Timestamp"' > "$out"
value() {
  case "$1:$2" in
    fill:*) echo 999999 ;;
    flash:SQ_INSTS_VALU_ADD_F32) echo 100 ;;  flash:SQ_INSTS_VALU_MUL_F32) echo 200 ;;
    flash:SQ_INSTS_VALU_FMA_F32) echo 3000 ;; flash:SQ_INSTS_VALU_TRANS_F32) echo 50 ;;
    combine:SQ_INSTS_VALU_ADD_F32) echo 10 ;; combine:SQ_INSTS_VALU_MUL_F32) echo 20 ;;
    combine:SQ_INSTS_VALU_FMA_F32) echo 0 ;;  combine:SQ_INSTS_VALU_TRANS_F32) echo 5 ;;
    flash:*) echo 7 ;; combine:*) echo 3 ;;
  esac
}
id=0; t=1000
emit() {
  id=$((id + 1))
  for c in "${pmc[@]}"; do
    echo "$id,$id,\"Agent 1\",1,$$,$$,64,$2,\"$1(float*, int)\",64,0,0,8,0,16,\"$c\",$(value "$1" "$c").000000,$t,$((t + $3))"
  done >> "$out"
  t=$((t + $3 + 100))
}
emit fill 1 500; emit fill 1 500
for ((l = 0; l < n; l++)); do emit flash 2 1000; emit combine 3 200; done
)SH";

work_model attention_model() {
  work_model w;
  w.flops = {{"f32", "simt", 400000}};
  w.bytes = {{"dram", 2000}};
  return w;
}

class null_workload : public workload {  // never launched: rocprofv3 counts a child process
 public:
  void launch(std::size_t) override { ADD_FAILURE() << "launched in process"; }
  void fence() override {}
  std::size_t copies() const override { return 1; }
};

class RocprofBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir / "sys/nodes/0/properties", "simd_count 0\ngfx_target_version 0\n");
    write_file(dir / "sys/nodes/1/properties", "simd_count 1216\ngfx_target_version 90402\n");
    write_file(dir / "kfd", "");
    write_file(dir / "bin/child", "#!/bin/sh\n", true);
    ::setenv("FAKE_LOG", (dir / "log").c_str(), 1);
    ::unsetenv("FAKE_HW_LIMIT");
    o.tool = dir / "bin/rocprofv3";
    o.executable = dir / "bin/child";
    o.replay_args = replay_arguments(
        {"attention", "kokkos_flash", "f32", "sq=1,skv=4096", "tile_k=64", "hip", 7});
    o.kfd_topology = dir / "sys/nodes";
    o.kfd_device = dir / "kfd";
    o.work_dir = dir.path();
    o.timeout_s = 30;
  }
  void TearDown() override {
    ::unsetenv("FAKE_LOG");
    ::unsetenv("FAKE_HW_LIMIT");
  }
  counter_pass_result pass(const std::string& script) {
    write_file(dir / "bin/rocprofv3", script, true);
    auto backend = make_rocprof_backend(o);
    null_workload w;
    return run_counter_pass(w, attention_model(), *backend, RIDGELINE_METRICS_DIR);
  }
  std::vector<std::string> log_lines() {
    std::vector<std::string> out;
    std::istringstream in(read_file(dir / "log"));
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  temp_dir dir;
  rocprof_options o;
};

TEST_F(RocprofBackend, CountsOneLaunchOfTheChildsWorkload) {
  const auto r = pass(fake_rocprofv3);
  ASSERT_TRUE(r.counted) << r.unavailable;
  const counted_work& c = *r.counted;
  EXPECT_EQ(c.source, "rocprofv3");
  EXPECT_EQ(c.replay, "process");
  EXPECT_EQ(c.device_id, "gfx942");
  EXPECT_NE(c.metrics_file.find("amd/gfx942.yaml"), std::string::npos);
  // gfx942 formulas over one launch (flash + combine), fills excluded:
  // 64 * (ADD 110 + MUL 220 + 2 * FMA 3000 + TRANS 55)
  ASSERT_EQ(c.work.flops.size(), 1u);
  EXPECT_EQ(c.work.flops[0].precision, "f32");
  EXPECT_EQ(c.work.flops[0].count, 64u * (110 + 220 + 2 * 3000 + 55));
  // every TCC counter 7 + 3 = 10 per launch: 128*10 + 64*(10-10) + 32*10 + 64*10 + 32*(10-10)
  ASSERT_EQ(c.work.bytes.size(), 1u);
  EXPECT_EQ(c.work.bytes[0].count, 2240u);
  ASSERT_TRUE(c.time_s);
  EXPECT_NEAR(*c.time_s, 1200e-9, 1e-15);
  // 9 counters in passes of <= 4 (the 4 VALU counters of flops_f32_simt together), each child
  // launching 3 times, plus one calibration run of the first pass with 6 launches.
  const auto lines = log_lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].substr(0, 4), "4 3 ");
  EXPECT_EQ(lines[1].substr(0, 4), "4 6 ");
  EXPECT_NE(lines[0].find("SQ_INSTS_VALU_FMA_F32"), std::string::npos);
  EXPECT_EQ(c.passes, lines.size());
  EXPECT_EQ(c.raw.size(), 9u);
}

TEST_F(RocprofBackend, PassesOverTheHardwareLimitAreHalved) {
  ::setenv("FAKE_HW_LIMIT", "3", 1);
  const auto r = pass(fake_rocprofv3);
  ASSERT_TRUE(r.counted) << r.unavailable;
  EXPECT_EQ(r.counted->work.flops[0].count, 64u * (110 + 220 + 2 * 3000 + 55));
  EXPECT_EQ(r.counted->work.bytes[0].count, 2240u);
  std::size_t refused = 0, counted = 0;
  for (const auto& line : log_lines()) {
    const int n = std::stoi(line);
    (n > 3 ? refused : counted) += 1;
  }
  EXPECT_EQ(refused, 2u);  // the 4 VALU and the first 4 TCC counters
  EXPECT_EQ(counted, 6u);  // 2 + 2 + 2 + 1 counters, and the calibration
  EXPECT_EQ(r.counted->passes, counted);
}

TEST_F(RocprofBackend, NoPermissionIsOneMessageWithTheFix) {
  const auto r = pass(
      "#!/bin/sh\necho 'ROCk module is loaded'\n"
      "echo 'Unable to open /dev/kfd read-write: Permission denied' >&2\nexit 1\n");
  EXPECT_FALSE(r.counted);
  EXPECT_NE(r.unavailable.find("rocprofv3: pass 1 ("), std::string::npos) << r.unavailable;
  EXPECT_NE(r.unavailable.find("Unable to open /dev/kfd read-write: Permission denied"),
            std::string::npos)
      << r.unavailable;
  EXPECT_NE(r.unavailable.find("render and video groups"), std::string::npos);
  EXPECT_EQ(r.unavailable.find('\n'), std::string::npos);
}

TEST_F(RocprofBackend, HangIsCutAtTheTimeout) {
  o.timeout_s = 1;
  const auto r = pass("#!/bin/sh\nsleep 60\n");
  EXPECT_FALSE(r.counted);
  EXPECT_NE(r.unavailable.find("timed out after 1 s"), std::string::npos) << r.unavailable;
  EXPECT_NE(r.unavailable.find("RIDGELINE_ROCPROF_TIMEOUT"), std::string::npos);
}

TEST_F(RocprofBackend, OtherFailuresQuoteTheToolsLastLine) {
  auto r = pass(
      "#!/bin/sh\necho 'starting'\necho 'counter SQ_INSTS_VALU_ADD_F32 not found' >&2\nexit 1\n");
  EXPECT_FALSE(r.counted);
  EXPECT_NE(r.unavailable.find("exit status 1: counter SQ_INSTS_VALU_ADD_F32 not found; using the "
                               "analytic model"),
            std::string::npos)
      << r.unavailable;
  r = pass("#!/bin/sh\nexit 0\n");  // succeeded, wrote nothing
  EXPECT_NE(r.unavailable.find("no counter collection output under"), std::string::npos)
      << r.unavailable;
  r = pass("#!/bin/sh\nkill -ABRT $$\n");  // older rocprofv3 over the limit
  EXPECT_NE(r.unavailable.find("killed by signal 6"), std::string::npos) << r.unavailable;
}

TEST_F(RocprofBackend, MissingRocprofv3SaysHowToInstallIt) {
  o.tool = "rocprofv3";
  o.path_env = dir / "empty";
  const auto r = pass(fake_rocprofv3);
  EXPECT_FALSE(r.counted);
  EXPECT_NE(r.unavailable.find("'rocprofv3' not found on PATH: install rocprofiler-sdk"),
            std::string::npos)
      << r.unavailable;
  EXPECT_TRUE(read_file(dir / "log").empty());  // nothing ran
}

TEST_F(RocprofBackend, NoAmdGpuOrNoReplay) {
  o.kfd_topology = dir / "nosys";
  auto r = pass(fake_rocprofv3);
  EXPECT_NE(r.unavailable.find("no AMD GPU listed under"), std::string::npos) << r.unavailable;
  o.kfd_topology = dir / "sys/nodes";
  o.replay_args.clear();
  r = pass(fake_rocprofv3);
  EXPECT_NE(r.unavailable.find("cannot be re-run in a child process"), std::string::npos)
      << r.unavailable;
}

TEST(RocprofCounterPass, ModeAndBackendMismatchOrMissingTool) {
  EXPECT_EQ(parse_counter_mode("rocprof", "--counters"), counter_mode::rocprof);
  EXPECT_EQ(parse_counter_mode("rocprofv3", "--counters"), counter_mode::rocprof);
  EXPECT_STREQ(to_string(counter_mode::rocprof), "rocprof");
  null_workload w;
  counter_request req;
  req.mode = counter_mode::rocprof;
  req.device_backend = "OpenMP";
  const auto r = run_counter_pass(w, attention_model(), req);
  EXPECT_FALSE(r.counted);
  EXPECT_NE(r.unavailable.find("rocprofv3 counts HIP kernels, and this runs on OpenMP"),
            std::string::npos)
      << r.unavailable;
  // auto on HIP picks rocprofv3; this machine has none on PATH (or no AMD GPU).
  req.mode = counter_mode::automatic;
  req.device_is_host = false;
  req.device_backend = "HIP";
  const auto hip = run_counter_pass(w, attention_model(), req);
  EXPECT_FALSE(hip.counted);
  EXPECT_EQ(hip.unavailable.rfind("rocprofv3: ", 0), 0u) << hip.unavailable;
  ::setenv("RIDGELINE_ROCPROF_LAUNCHES", "zero", 1);
  const auto bad = run_counter_pass(w, attention_model(), req);
  ::unsetenv("RIDGELINE_ROCPROF_LAUNCHES");
  EXPECT_NE(bad.unavailable.find("RIDGELINE_ROCPROF_LAUNCHES: expected a positive integer, got "
                                 "'zero'"),
            std::string::npos)
      << bad.unavailable;
}

}  // namespace
}  // namespace ridgeline::profiler::counters
