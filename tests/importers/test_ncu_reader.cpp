// The Nsight Compute reader (importers/ncu_reader.cpp) on hand-written samples under data/ncu/
// (data/ncu/README.md says what each one tests). Every expected FLOP, byte and time value is
// worked out here from the sample's cells, with the metrics files' formulas
// (configs/metrics/nvidia/sm_90.yaml, sm_80.yaml): FLOPs = add + mul + 2 x fma per thread
// instruction, tensor ops_path counters as they are, bytes_dram = read + write; ncu's Kbyte,
// Mbyte, Gbyte are 10^3, 10^6, 10^9 bytes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "importers/formats.hpp"
#include "profiler/counters/metric_formulas.hpp"

namespace ridgeline::importers {
namespace {

namespace fs = std::filesystem;

std::string sample(const std::string& name) {
  return std::string(RIDGELINE_TEST_DATA_DIR) + "/ncu/" + name;
}

read_context context(const std::string& arch = "") {
  return {profiler::counters::default_metrics_dir(), arch};
}

imported_file read(const std::string& name, const std::string& arch = "") {
  return read_ncu(sample(name), context(arch));
}

// The message reading `name` fails with ("" when it reads).
std::string failure(const std::string& name) {
  try {
    read(name);
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

std::uint64_t flops(const imported_launch& l, const std::string& precision,
                    const std::string& unit) {
  for (const auto& f : l.work.flops)
    if (f.precision == precision && f.unit == unit) return f.count;
  return 0;
}

bool has_bytes(const imported_launch& l, const std::string& level) {
  for (const auto& b : l.work.bytes)
    if (b.level == level) return true;
  return false;
}

// The raw counter as read (name as written in the file), NaN when absent.
double raw(const imported_launch& l, const std::string& name) {
  for (const auto& [n, v] : l.raw)
    if (n == name) return v;
  return std::nan("");
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// --- raw page ---------------------------------------------------------------------------------

TEST(NcuReader, RawPageWithBannerProfLinesAndUnitsRow) {
  const imported_file f = read("raw_h200.csv");
  EXPECT_EQ(f.format, "ncu-raw");
  EXPECT_EQ(f.tool, "ncu");
  EXPECT_EQ(f.tool_version, "2024.3.2.0");  // `ncu --version`'s banner before the CSV
  EXPECT_TRUE(ends_with(f.metrics_file, "nvidia/sm_90.yaml")) << f.metrics_file;  // CC 9.0
  ASSERT_EQ(f.launches.size(), 3u);

  const imported_launch& g = f.launches[0];
  // The kernel name keeps its commas and its (CSV-doubled) quotes.
  EXPECT_EQ(g.kernel, "void gemm<float, 128, \"x\">(float*, int)");
  EXPECT_EQ(g.line, 12);
  EXPECT_EQ(g.launch, "0");
  EXPECT_EQ(g.device, "NVIDIA H200");  // device__attribute_display_name, not Device's index
  EXPECT_EQ(g.host, "node-a07");
  // fadd 0 + fmul 33,554,432 + 2 x ffma 1,073,741,824 = 2,181,038,080 f32 SIMT FLOPs.
  EXPECT_EQ(flops(g, "f32", "simt"), 0u + 33554432u + 2u * 1073741824u);
  EXPECT_EQ(flops(g, "f32", "simt"), 2181038080u);
  // f64 counters all 0 and the fp16 tensor counter 0: no work of those kinds, not zeros.
  EXPECT_EQ(g.work.flops.size(), 1u);
  // dram 12.58 Mbyte + 4.19 Kbyte = 12,580,000 + 4,190 bytes.
  EXPECT_EQ(g.work.bytes_at("dram"), 12580000u + 4190u);
  EXPECT_EQ(g.work.bytes_at("l2"), 516400000u);   // 516.40 Mbyte
  EXPECT_EQ(g.work.bytes_at("l1"), 4300000000u);  // 4.30 Gbyte
  ASSERT_TRUE(g.time_s.has_value());
  EXPECT_NEAR(*g.time_s, 812.48e-6, 1e-15);  // 812.48 usecond
  EXPECT_EQ(g.unplaceable, "");
  // Raw counters in base units (bytes, seconds); a "%" column is no counter of the formulas.
  EXPECT_DOUBLE_EQ(raw(g, "dram__bytes_read.sum"), 12580000.0);
  EXPECT_NEAR(raw(g, "gpu__time_duration.sum"), 812.48e-6, 1e-15);
  EXPECT_DOUBLE_EQ(raw(g, "sm__sass_thread_inst_executed_op_ffma_pred_on.sum"), 1073741824.0);
  EXPECT_TRUE(std::isnan(raw(g, "sm__throughput.avg.pct_of_peak_sustained_elapsed")));
}

TEST(NcuReader, RawPageThousandsSeparatorsAndNotAvailable) {
  const imported_file f = read("raw_h200.csv");
  const imported_launch& d = f.launches[1];
  EXPECT_EQ(d.kernel, "daxpy(int, double, const double*, double*)");
  // 2 x dfma "1,048,576" = 2,097,152 f64 SIMT FLOPs; nothing else counted.
  EXPECT_EQ(flops(d, "f64", "simt"), 2u * 1048576u);
  EXPECT_EQ(d.work.flops.size(), 1u);
  // dram 16.78 Mbyte + "8,388.61" Kbyte = 16,780,000 + 8,388,610 = 25,168,610 bytes.
  EXPECT_EQ(d.work.bytes_at("dram"), 16780000u + 8388610u);
  EXPECT_EQ(d.work.bytes_at("l1"), 30000000u);  // 0.03 Gbyte
  EXPECT_NEAR(*d.time_s, 5.63e-6, 1e-18);
  // The fp16 tensor counter reads "n/a": absent from raw, and the launch is still placeable.
  EXPECT_TRUE(std::isnan(raw(d, "sm__ops_path_tensor_src_fp16.sum")));
  EXPECT_EQ(d.unplaceable, "");
}

TEST(NcuReader, TwoLaunchesOfOneKernelStayApart) {
  const imported_file f = read("raw_h200.csv");
  const imported_launch& a = f.launches[0];
  const imported_launch& b = f.launches[2];
  EXPECT_EQ(a.kernel, b.kernel);
  EXPECT_EQ(b.launch, "2");
  EXPECT_EQ(b.line, 14);
  EXPECT_EQ(flops(b, "f32", "simt"), flops(a, "f32", "simt"));
  // 8.45 Mbyte + 25.60 Kbyte = 8,450,000 + 25,600 bytes; 809.92 usecond.
  EXPECT_EQ(b.work.bytes_at("dram"), 8450000u + 25600u);
  EXPECT_EQ(b.work.bytes_at("l2"), 516380000u);
  EXPECT_NEAR(*b.time_s, 809.92e-6, 1e-15);
}

TEST(NcuReader, SmspCountersAreTheSmSumsAndDeviceAttributesPickTheArch) {
  // No CC column: device__attribute_compute_capability_major/minor say 8.0, which wins over the
  // caller's card.
  const imported_file f = read("raw_a100_smsp.csv", "sm_90");
  EXPECT_TRUE(ends_with(f.metrics_file, "nvidia/sm_80.yaml")) << f.metrics_file;
  EXPECT_EQ(f.tool_version, "");
  ASSERT_EQ(f.launches.size(), 2u);
  const imported_launch& h = f.launches[0];
  EXPECT_EQ(h.device, "NVIDIA A100-SXM4-80GB");
  // sm_80: f16 tensor = src_fp16_dst_fp16 0 + src_fp16_dst_fp32 68,719,476,736.
  EXPECT_EQ(flops(h, "f16", "tensor"), 68719476736u);
  // smsp__ fadd 0 + fmul 1,048,576 + 2 x ffma 2,097,152 = 5,242,880 f32 SIMT FLOPs.
  EXPECT_EQ(flops(h, "f32", "simt"), 0u + 1048576u + 2u * 2097152u);
  EXPECT_EQ(h.work.flops.size(), 2u);  // the f16 SIMT counters are all 0
  // --print-units base: "50,331,648" + "16,777,216" byte = 67,108,864; "1,523,712" nsecond.
  EXPECT_EQ(h.work.bytes_at("dram"), 50331648u + 16777216u);
  EXPECT_EQ(h.work.bytes_at("l2"), 402653184u);
  EXPECT_EQ(h.work.bytes_at("l1"), 805306368u);
  EXPECT_NEAR(*h.time_s, 1523712e-9, 1e-18);
  EXPECT_EQ(h.unplaceable, "");
  // raw keeps the name as written.
  EXPECT_DOUBLE_EQ(raw(h, "smsp__sass_thread_inst_executed_op_ffma_pred_on.sum"), 2097152.0);

  const imported_launch& v = f.launches[1];
  EXPECT_EQ(flops(v, "f32", "simt"), 1048576u);  // fadd only
  EXPECT_EQ(v.work.bytes_at("dram"), 8388608u + 4194304u);
  EXPECT_NEAR(*v.time_s, 9216e-9, 1e-18);
}

TEST(NcuReader, MissingCountersMakeALaunchUnplaceableWithTheirNames) {
  // Collected with --metrics gpu__time_duration.sum,dram__bytes_*.sum,lts__t_bytes.sum: no FLOP
  // counter at all. No CC column and no device attributes: the caller's arch, else sm_90.
  const imported_file f = read("raw_no_flops.csv");
  EXPECT_TRUE(ends_with(f.metrics_file, "nvidia/sm_90.yaml")) << f.metrics_file;
  EXPECT_TRUE(ends_with(read("raw_no_flops.csv", "sm_80").metrics_file, "nvidia/sm_80.yaml"));
  ASSERT_EQ(f.launches.size(), 2u);

  const imported_launch& a = f.launches[0];
  EXPECT_EQ(a.device, "");  // Device "0" is an index, not a name
  EXPECT_TRUE(a.work.flops.empty());
  // 268.44 + 0.01 Mbyte = 268,440,000 + 10,000 bytes; 0.06 msecond.
  EXPECT_EQ(a.work.bytes_at("dram"), 268440000u + 10000u);
  EXPECT_EQ(a.work.bytes_at("l2"), 268500000u);
  EXPECT_FALSE(has_bytes(a, "l1"));  // not collected: absent, never zero
  EXPECT_NEAR(*a.time_s, 0.06e-3, 1e-18);
  // Every counter of the file's FLOP formulas, once each, in the file's order.
  EXPECT_EQ(a.unplaceable.rfind("no FLOP counters (missing: "
                                "sm__sass_thread_inst_executed_op_fadd_pred_on.sum, "
                                "sm__sass_thread_inst_executed_op_fmul_pred_on.sum, "
                                "sm__sass_thread_inst_executed_op_ffma_pred_on.sum, ",
                                0),
            0u)
      << a.unplaceable;
  EXPECT_NE(a.unplaceable.find(", sm__ops_path_tensor_src_int8.sum)"), std::string::npos);
  EXPECT_EQ(a.unplaceable.find("DRAM"), std::string::npos);

  // dram__bytes_write.sum is "n/a" on the second launch: no DRAM bytes either, named.
  const imported_launch& b = f.launches[1];
  EXPECT_FALSE(has_bytes(b, "dram"));
  EXPECT_NE(b.unplaceable.find("no FLOP counters"), std::string::npos);
  EXPECT_NE(b.unplaceable.find("); no DRAM bytes (missing: dram__bytes_write.sum)"),
            std::string::npos)
      << b.unplaceable;
  EXPECT_NEAR(*b.time_s, 0.07e-3, 1e-18);
}

// --- details page -----------------------------------------------------------------------------

TEST(NcuReader, DetailsPageWithRawNamesHasUnitsPerRow) {
  const imported_file f = read("details_names.csv");
  EXPECT_EQ(f.format, "ncu-details");
  EXPECT_EQ(f.tool_version, "");  // ==PROF== lines name no version
  EXPECT_TRUE(ends_with(f.metrics_file, "nvidia/sm_90.yaml"));
  ASSERT_EQ(f.launches.size(), 2u);

  const imported_launch& a = f.launches[0];
  EXPECT_EQ(a.kernel, "void attention<__half, 64>(const __half*, const __half*, __half*, int)");
  EXPECT_EQ(a.line, 6);  // its first row
  EXPECT_EQ(a.device, "NVIDIA H100 80GB HBM3");
  // Tensor-pipe ops as counted: 137,438,953,472 f16 tensor FLOPs.
  EXPECT_EQ(flops(a, "f16", "tensor"), 137438953472u);
  // hadd 0 + hmul 131,072 + 2 x hfma 262,144 = 655,360 f16 SIMT FLOPs.
  EXPECT_EQ(flops(a, "f16", "simt"), 0u + 131072u + 2u * 262144u);
  // 50.33 Mbyte + 16.38 Kbyte = 50,330,000 + 16,380 bytes; lts 1.07 Gbyte; l1tex 3.22 Gbyte.
  EXPECT_EQ(a.work.bytes_at("dram"), 50330000u + 16380u);
  EXPECT_EQ(a.work.bytes_at("l2"), 1070000000u);
  EXPECT_EQ(a.work.bytes_at("l1"), 3220000000u);
  EXPECT_NEAR(*a.time_s, 1.52e-3, 1e-15);  // 1.52 msecond (stated in two sections, read once)
  EXPECT_EQ(a.unplaceable, "");
  int times = 0;
  for (const auto& r : a.raw) times += r.first == "gpu__time_duration.sum" ? 1 : 0;
  EXPECT_EQ(times, 1);
  EXPECT_EQ(raw(a, "dram__bytes_write.sum"), 16380.0);  // 16.38 Kbyte, a whole number of bytes

  const imported_launch& b = f.launches[1];
  EXPECT_EQ(b.kernel, "softmax_kernel(float*, const float*, int, int)");
  EXPECT_EQ(b.line, 24);
  EXPECT_EQ(b.device, "");
  // fadd 8,388,608 + fmul 8,388,608 + 2 x ffma 4,194,304 = 25,165,824 f32 SIMT FLOPs.
  EXPECT_EQ(flops(b, "f32", "simt"), 8388608u + 8388608u + 2u * 4194304u);
  // 33.55 + 33.55 Mbyte = 67,100,000 bytes; lts "67,239,936" byte; l1tex 134.22 Mbyte.
  EXPECT_EQ(b.work.bytes_at("dram"), 33550000u + 33550000u);
  EXPECT_EQ(b.work.bytes_at("l2"), 67239936u);
  EXPECT_EQ(b.work.bytes_at("l1"), 134220000u);
  EXPECT_NEAR(*b.time_s, 48128e-9, 1e-18);  // "48,128" nsecond
  EXPECT_EQ(b.unplaceable, "");
}

TEST(NcuReader, DetailsPageWithLabelsGivesTimeOnly) {
  const imported_file f = read("details_labels.csv");
  EXPECT_EQ(f.format, "ncu-details");
  ASSERT_EQ(f.launches.size(), 3u);
  const std::string reason =
      "ncu details page without raw counter names: re-export with --print-metric-name name (or "
      "use --page raw)";
  const double durations[] = {13.60e-6, 13.57e-6, 2240e-9};  // usecond, usecond, "2,240" nsecond
  const int lines[] = {2, 18, 21};
  for (std::size_t i = 0; i < 3; ++i) {
    const imported_launch& l = f.launches[i];
    EXPECT_EQ(l.launch, std::to_string(i));
    EXPECT_EQ(l.line, lines[i]);
    ASSERT_TRUE(l.time_s.has_value()) << i;
    EXPECT_NEAR(*l.time_s, durations[i], 1e-18) << i;
    EXPECT_TRUE(l.work.flops.empty());
    EXPECT_TRUE(l.work.bytes.empty());
    EXPECT_EQ(l.unplaceable, reason);
  }
  EXPECT_EQ(f.launches[0].kernel, f.launches[1].kernel);  // two launches, kept apart
  EXPECT_EQ(f.launches[2].kernel, "warmup()");
}

// --- malformed files --------------------------------------------------------------------------

TEST(NcuReader, MalformedFilesNameFileAndLine) {
  EXPECT_EQ(
      failure("malformed_value.csv"),
      sample("malformed_value.csv") + ":3: dram__bytes_read.sum: expected a number, got '12.5x'");
  EXPECT_EQ(failure("malformed_time_unit.csv"),
            sample("malformed_time_unit.csv") +
                ":3: gpu__time_duration.sum: unit 'Mbyte' is not a time unit");
  EXPECT_EQ(failure("malformed_repeated_id.csv"),
            sample("malformed_repeated_id.csv") + ":6: launch ID 0 repeats (first at line 4)");
  EXPECT_EQ(failure("malformed_no_kernel_name.csv"),
            sample("malformed_no_kernel_name.csv") + ":1: no \"Kernel Name\" column in the header");
  EXPECT_EQ(failure("no_such_file.csv"), sample("no_such_file.csv") + ": cannot read");
}

// --- recognising ------------------------------------------------------------------------------

class NcuReaderFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ridgeline_ncu_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  fs::path dir_;
};

TEST(NcuReader, RecognisesEverySampleWithAKernelNameHeader) {
  for (const char* name : {"raw_h200.csv", "raw_a100_smsp.csv", "raw_no_flops.csv",
                           "details_names.csv", "details_labels.csv", "malformed_value.csv",
                           "malformed_time_unit.csv", "malformed_repeated_id.csv"})
    EXPECT_TRUE(looks_like_ncu(sample(name))) << name;
  EXPECT_FALSE(looks_like_ncu(sample("malformed_no_kernel_name.csv")));
  EXPECT_FALSE(looks_like_ncu(sample("no_such_file.csv")));
  EXPECT_FALSE(looks_like_ncu(std::string(RIDGELINE_TEST_DATA_DIR) + "/ncu"));  // a directory
}

TEST_F(NcuReaderFiles, DoesNotRecogniseOtherCsvs) {
  // rocprof v1's results.csv: KernelName, no ncu metric columns.
  EXPECT_FALSE(looks_like_ncu(write("results.csv",
                                    "Index,KernelName,gpu-id,queue-id,DurationNs,SQ_INSTS_VALU\n"
                                    "0,\"vecadd(float*)\",0,0,1200,4096\n")));
  // "Kernel Name" but neither metric columns nor Metric Name/Value (a hand-made timing table).
  EXPECT_FALSE(
      looks_like_ncu(write("times.csv", "\"Kernel Name\",\"Duration (us)\"\n\"k\",\"3\"\n")));
  EXPECT_FALSE(looks_like_ncu(write("empty.csv", "")));
  // A long ==PROF== preamble (one line per profiled kernel) does not hide the header.
  std::string prof;
  for (int i = 0; i < 100; ++i) prof += "==PROF== Profiling \"k\": 0%....50%....100% - 9 passes\n";
  EXPECT_TRUE(looks_like_ncu(write(
      "long.csv", prof +
                      "\"ID\",\"Kernel Name\",\"gpu__time_duration.sum\"\n\"\",\"\",\"nsecond\"\n"
                      "\"0\",\"k\",\"1,000\"\n")));
}

// --- small cases -------------------------------------------------------------------------------

// Cases too small for a sample file of their own: written here, read, removed.
std::string failure_of(const std::string& path) {
  try {
    read_ncu(path, context());
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

const std::string raw_header =
    "\"ID\",\"Kernel Name\",\"CC\",\"dram__bytes_read.sum\",\"dram__bytes_write.sum\","
    "\"sm__sass_thread_inst_executed_op_fadd_pred_on.sum\","
    "\"sm__sass_thread_inst_executed_op_ffma_pred_on.sum\","
    "\"sm__sass_thread_inst_executed_op_fmul_pred_on.sum\"\n"
    "\"\",\"\",\"\",\"byte\",\"byte\",\"inst\",\"inst\",\"inst\"\n";

TEST_F(NcuReaderFiles, ZeroFlopsAndNoTimeAreReasonsToo) {
  const imported_file f = read_ncu(
      write("zero.csv",
            raw_header + "\"0\",\"memset_kernel\",\"9.0\",\"0\",\"4,096\",\"0\",\"0\",\"0\"\n"),
      context());
  ASSERT_EQ(f.launches.size(), 1u);
  const imported_launch& l = f.launches[0];
  EXPECT_EQ(l.work.bytes_at("dram"), 4096u);
  EXPECT_FALSE(l.time_s.has_value());
  EXPECT_EQ(l.unplaceable,
            "no FLOPs: every FLOP counter read is zero; no time (missing: gpu__time_duration.sum)");
}

TEST_F(NcuReaderFiles, ComputeCapabilityMustBeKnownAndWellFormed) {
  const std::string bad =
      write("bad_cc.csv", raw_header + "\"0\",\"k\",\"9.x\",\"1\",\"1\",\"1\",\"1\",\"1\"\n");
  EXPECT_EQ(failure_of(bad), bad + ":3: CC: expected a compute capability like 9.0, got '9.x'");
  // Turing has no metrics file: refused with the arch named, not read with another GPU's formulas.
  const std::string turing =
      write("sm_75.csv", raw_header + "\"0\",\"k\",\"7.5\",\"1\",\"1\",\"1\",\"1\",\"1\"\n");
  EXPECT_EQ(failure_of(turing).rfind(turing + ":3: sm_75: ", 0), 0u) << failure_of(turing);
}

TEST_F(NcuReaderFiles, ARawPageWithoutUnitsRowCannotScaleBytes) {
  const std::string path = write(
      "no_units.csv", "\"ID\",\"Kernel Name\",\"dram__bytes_read.sum\"\n\"0\",\"k\",\"1,024\"\n");
  EXPECT_EQ(failure_of(path),
            path + ":2: dram__bytes_read.sum: no unit stated, expected a byte unit");
}

}  // namespace
}  // namespace ridgeline::importers
