// The Ascend msprof reader (importers/msprof_reader.cpp) on hand-written samples under
// data/msprof/, written from the CANN documentation's column tables (msprof op: OpBasicInfo,
// ArithmeticUtilization, Memory, PipeUtilization; Profiling: op_summary). Every expected count is
// worked out below from the sample's own numbers. msprof's KB is read as 1024 bytes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "../support/expect_error.hpp"
#include "core/error.hpp"
#include "importers/formats.hpp"
#include "tests/importers/launch_lookup.hpp"

namespace ridgeline::importers {
namespace {

using ridgeline::importers::test::bytes;
using ridgeline::importers::test::flops;
using ridgeline::importers::test::raw;

using ridgeline::test::usage_error_of;

namespace fs = std::filesystem;

const std::string data = RIDGELINE_TEST_DATA_DIR "/msprof";
constexpr double KiB = 1024;
constexpr double GiB = 1024.0 * 1024 * 1024;

read_context on_ascend() {
  read_context c;
  c.device_arch = "Ascend910B";
  return c;
}

// A fresh folder for files a test writes (malformed inputs), removed afterwards.
class scratch {
 public:
  scratch() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("ridgeline_msprof_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string path(const std::string& name = "") const {
    return name.empty() ? dir_.string() : (dir_ / name).string();
  }

 private:
  fs::path dir_;
};

// --- msprof op folders ---------------------------------------------------------------------------

TEST(msprof_op, matmul_sums_cube_and_vector_cores) {
  const imported_file f = read_msprof(data + "/op_matmul_f16", on_ascend());
  EXPECT_EQ(f.format, "msprof-op");
  EXPECT_EQ(f.tool, "msprof");
  ASSERT_EQ(f.launches.size(), 1u);
  const imported_launch& l = f.launches[0];
  EXPECT_EQ(l.kernel, "MatMulV2_f16_256x256x1024");
  EXPECT_EQ(l.line, 2);
  EXPECT_EQ(l.launch, "");            // the folder itself is the launch
  EXPECT_EQ(l.device, "Ascend910B");  // the folder names no chip: the context's
  ASSERT_TRUE(l.time_s);
  EXPECT_DOUBLE_EQ(*l.time_s, 24.68e-6);  // OpBasicInfo Task Duration(us) 24.68

  // Cube: two cube cores x aic_cube_fops 67108864 = 134217728 = 2 * 256 * 256 * 1024; only
  // aic_cube_fp16_ratio is non-zero -> f16 on the matrix roof.
  EXPECT_EQ(flops(l, "f16", "tensor"), std::optional<std::uint64_t>(2 * 67108864ull));
  EXPECT_EQ(2 * 67108864ull, 2ull * 256 * 256 * 1024);
  // Vector: four vector cores x aiv_vec_fops 16384 = 65536; only aiv_vec_fp32_ratio non-zero.
  EXPECT_EQ(flops(l, "f32", "simt"), std::optional<std::uint64_t>(4 * 16384ull));
  EXPECT_EQ(l.work.flops.size(), 2u);
  // DRAM: read (768 + 32 + 32 + 768 + 32 + 32) KB + write (64 + 32 + 32 + 64 + 32 + 32) KB
  // = (1664 + 256) KB = 1920 KiB; N/A cells (vector cores' aic_* columns) count nothing.
  EXPECT_EQ(bytes(l, "dram"), std::optional<std::uint64_t>(1920 * 1024ull));
  EXPECT_EQ(l.work.bytes.size(), 1u);  // no L2 byte counts in Memory.csv
  EXPECT_EQ(l.unplaceable, "");

  // raw: counts summed over cores, times and cycles by the longest core, ratios, percentages and
  // rates by the mean of the cores reporting them; all in base units.
  EXPECT_EQ(raw(l, "ArithmeticUtilization.aic_cube_fops (sum over cores)"), 134217728.0);
  EXPECT_DOUBLE_EQ(*raw(l, "PipeUtilization.aic_time (max over cores)"), 21.90e-6);
  EXPECT_DOUBLE_EQ(*raw(l, "ArithmeticUtilization.aiv_total_cycles (max over cores)"), 11340);
  EXPECT_DOUBLE_EQ(*raw(l, "Memory.aic_main_mem_read_bw (mean over cores)"),
                   (34.22 + 33.44) / 2 * GiB);
  EXPECT_DOUBLE_EQ(*raw(l, "Memory.GM_to_L1_bw_usage_rate (mean over cores)"), (41.2 + 40.6) / 2);
  EXPECT_DOUBLE_EQ(*raw(l, "Memory.read_main_memory_datas (sum over cores)"), 1664 * KiB);
  // "L1_to_GM_datas(KB)(estimate)": the unit is the inner group.
  EXPECT_EQ(raw(l, "Memory.L1_to_GM_datas (estimate) (sum over cores)"), 0.0);
  EXPECT_DOUBLE_EQ(*raw(l, "PipeUtilization.aiv_vec_ratio (mean over cores)"),
                   (0.210 + 0.200 + 0.220 + 0.190) / 4);
  EXPECT_DOUBLE_EQ(*raw(l, "OpBasicInfo.Task Duration"), 24.68e-6);
  EXPECT_EQ(raw(l, "OpBasicInfo.Block Dim"), 2.0);
  EXPECT_FALSE(raw(l, "OpBasicInfo.Device ID"));  // ids are not counters
  EXPECT_FALSE(raw(l, "ArithmeticUtilization.block_id (sum over cores)"));
}

TEST(msprof_op, no_context_leaves_the_device_unnamed) {
  const imported_file f = read_msprof(data + "/op_matmul_f16", {});
  EXPECT_EQ(f.launches.at(0).device, "");
}

TEST(msprof_op, opbasicinfo_path_reads_its_folder) {
  const imported_file f = read_msprof(data + "/op_matmul_f16/OpBasicInfo.csv", {});
  EXPECT_EQ(f.format, "msprof-op");
  ASSERT_EQ(f.launches.size(), 1u);
  EXPECT_EQ(flops(f.launches[0], "f16", "tensor"), std::optional<std::uint64_t>(134217728));
}

TEST(msprof_op, launch_folders_are_kept_apart_in_natural_order) {
  const imported_file f = read_msprof(data + "/op_add_launches", {});
  ASSERT_EQ(f.launches.size(), 2u);
  EXPECT_EQ(f.launches[0].launch, "Add/2");  // before Add/10, which sorts first as text
  EXPECT_EQ(f.launches[1].launch, "Add/10");
  EXPECT_DOUBLE_EQ(*f.launches[0].time_s, 8.02e-6);
  EXPECT_DOUBLE_EQ(*f.launches[1].time_s, 7.96e-6);  // CRLF lines and a trailing comma
  for (const auto& l : f.launches) {
    EXPECT_EQ(l.kernel, "Add_f16_65536");
    EXPECT_EQ(l.line, 2);
    // Four vector cores x 16384 = 65536 = one add per element; aiv_vec_fp16_ratio is the only
    // non-zero precision ratio and the folder states no data type -> f16 on the vector roof.
    EXPECT_EQ(flops(l, "f16", "simt"), std::optional<std::uint64_t>(4 * 16384ull));
    EXPECT_EQ(l.work.flops.size(), 1u);
    // Four cores x (64 KB read + 32 KB written) = 384 KiB = two 128 KiB inputs + one output.
    EXPECT_EQ(bytes(l, "dram"), std::optional<std::uint64_t>(4 * (64 + 32) * 1024ull));
    EXPECT_EQ(l.unplaceable, "");
  }
}

TEST(msprof_op, mixed_vector_precisions_are_not_split) {
  const std::string dir = data + "/op_quant_matmul_mixed_vector";
  const imported_file f = read_msprof(dir, {});
  ASSERT_EQ(f.launches.size(), 1u);
  const imported_launch& l = f.launches[0];
  EXPECT_DOUBLE_EQ(*l.time_s, 31.50e-6);
  // Cube: only aic_cube_int8_ratio is non-zero -> int8; 2 x 536870912 = 2 * 512 * 512 * 2048.
  EXPECT_EQ(flops(l, "int8", "tensor"), std::optional<std::uint64_t>(2 * 536870912ull));
  EXPECT_EQ(2 * 536870912ull, 2ull * 512 * 512 * 2048);
  // Vector: fp16 and fp32 ratios both non-zero -> its 4 x 65536 FLOPs are left out of the work.
  EXPECT_FALSE(flops(l, "f16", "simt"));
  EXPECT_FALSE(flops(l, "f32", "simt"));
  EXPECT_EQ(raw(l, "ArithmeticUtilization.aiv_vec_fops (sum over cores)"), 4 * 65536.0);
  // DRAM: read (1280 + 64 + 64 + 1280 + 64 + 64) KB + write (0 + 128 + 128 + 0 + 128 + 128) KB
  // = 2816 + 512 = 3328 KiB.
  EXPECT_EQ(bytes(l, "dram"), std::optional<std::uint64_t>(3328 * 1024ull));
  EXPECT_EQ(l.unplaceable,
            "aiv_vec_fops mixes precisions (aiv_vec_fp16_ratio, aiv_vec_fp32_ratio are non-zero): "
            "cycle ratios do not split a FLOP count");
}

TEST(msprof_op, ratios_only_folder_is_stored_with_its_time) {
  const std::string dir = data + "/op_pipe_only";
  const imported_file f = read_msprof(dir, {});
  ASSERT_EQ(f.launches.size(), 1u);
  const imported_launch& l = f.launches[0];
  EXPECT_EQ(l.kernel, "Softmax_f32_4096x1024");
  EXPECT_DOUBLE_EQ(*l.time_s, 42.30e-6);
  EXPECT_TRUE(l.work.flops.empty());
  EXPECT_TRUE(l.work.bytes.empty());
  EXPECT_EQ(l.unplaceable, dir +
                               ": no FLOP or byte counts (no ArithmeticUtilization.csv, no "
                               "Memory.csv): run `msprof op` with --aic-metrics including "
                               "ArithmeticUtilization and Memory");
  EXPECT_DOUBLE_EQ(*raw(l, "PipeUtilization.aiv_vec_ratio (mean over cores)"), 0.45);
}

// --- op_summary ----------------------------------------------------------------------------------

TEST(msprof_summary, pipe_utilization_rows_are_ratios_only) {
  const std::string path = data + "/op_summary_pipe_utilization.csv";
  const imported_file f = read_msprof(path, on_ascend());
  EXPECT_EQ(f.format, "msprof-summary");
  EXPECT_EQ(f.tool, "msprof");
  ASSERT_EQ(f.launches.size(), 4u);
  const std::string why =
      "op_summary gives no FLOP or byte counts (only utilisation ratios such as aic_mac_ratio, "
      "aic_scalar_ratio): profile with `msprof op` for counts";
  // Two launches of one MatMul, kept apart by their task ids.
  EXPECT_EQ(f.launches[0].kernel, "aclnnMatmul_MatMulV2_MatMulV2");
  EXPECT_EQ(f.launches[1].kernel, "aclnnMatmul_MatMulV2_MatMulV2");
  EXPECT_EQ(f.launches[0].launch, "12");
  EXPECT_EQ(f.launches[1].launch, "15");
  EXPECT_EQ(f.launches[0].line, 2);
  EXPECT_EQ(f.launches[1].line, 3);  // ends with a trailing comma
  EXPECT_DOUBLE_EQ(*f.launches[0].time_s, 24.90e-6);
  EXPECT_DOUBLE_EQ(*f.launches[1].time_s, 24.71e-6);
  // A row shorter than the header (an AI CPU task without PMU columns).
  EXPECT_EQ(f.launches[2].kernel, "aclnnNonzero_NonZero_NonZero");
  EXPECT_EQ(f.launches[2].launch, "16");
  EXPECT_DOUBLE_EQ(*f.launches[2].time_s, 61.20e-6);
  // A communication task: Task ID N/A -> no launch id.
  EXPECT_EQ(f.launches[3].launch, "");
  EXPECT_DOUBLE_EQ(*f.launches[3].time_s, 120.50e-6);
  for (const auto& l : f.launches) {
    EXPECT_TRUE(l.work.flops.empty());
    EXPECT_TRUE(l.work.bytes.empty());
    EXPECT_EQ(l.unplaceable, why);
    EXPECT_EQ(l.device, "Ascend910B");
  }
  // raw: numeric cells in base units, names without their unit; text columns and ids left out.
  const imported_launch& m = f.launches[0];
  EXPECT_DOUBLE_EQ(*raw(m, "Task Duration"), 24.90e-6);
  EXPECT_DOUBLE_EQ(*raw(m, "aic_mac_time"), 16.78e-6);
  EXPECT_DOUBLE_EQ(*raw(m, "aic_mac_ratio"), 0.775);
  EXPECT_DOUBLE_EQ(*raw(m, "cube_utilization"), 87.2);
  EXPECT_FALSE(raw(m, "Input Shapes"));
  EXPECT_FALSE(raw(m, "Task ID"));
}

TEST(msprof_summary, arithmetic_utilization_gives_flops_by_dtype_and_ratio) {
  const std::string path = data + "/op_summary_arithmetic_utilization.csv";
  const imported_file f = read_msprof(path, {});
  ASSERT_EQ(f.launches.size(), 4u);
  const std::string no_bytes =
      "op_summary gives no byte counts: profile with `msprof op` (Memory.csv) for counts";

  // FLOAT16 inputs -> cube f16: 134217728 = 2 * 256 * 256 * 1024 (aic_cube_fops is repeated at
  // the end of the header with the same value: read once). Vector: only aiv_vec_fp32_ratio is
  // non-zero -> f32 (the epilogue computes in fp32 although the inputs are fp16).
  const imported_launch& a = f.launches[0];
  EXPECT_EQ(flops(a, "f16", "tensor"), std::optional<std::uint64_t>(2ull * 256 * 256 * 1024));
  EXPECT_EQ(flops(a, "f32", "simt"), std::optional<std::uint64_t>(65536));
  EXPECT_EQ(a.work.flops.size(), 2u);
  EXPECT_TRUE(a.work.bytes.empty());
  EXPECT_EQ(a.unplaceable, no_bytes);

  // DT_BF16 inputs -> cube bf16 (the fp16 ratio cannot tell bf16 apart): 2 * 512 * 256 * 1024.
  // Vector FLOPs are 0: no vector work.
  const imported_launch& b = f.launches[1];
  EXPECT_EQ(flops(b, "bf16", "tensor"), std::optional<std::uint64_t>(2ull * 512 * 256 * 1024));
  EXPECT_EQ(b.work.flops.size(), 1u);
  EXPECT_EQ(b.unplaceable, no_bytes);

  // INT8;INT8;INT32;FLOAT names two precisions (int8 and f32; INT32 does not count) -> the
  // cube's ratios decide: only aic_mac_int8_ratio -> int8, 2 * 512 * 512 * 2048. The vector's
  // fp32 and fp16 ratios are both non-zero -> its FLOPs are left out, with the reason.
  const imported_launch& q = f.launches[2];
  EXPECT_EQ(flops(q, "int8", "tensor"), std::optional<std::uint64_t>(2ull * 512 * 512 * 2048));
  EXPECT_EQ(q.work.flops.size(), 1u);
  EXPECT_EQ(q.unplaceable, no_bytes +
                               "; aiv_vector_fops mixes precisions (aiv_vec_fp16_ratio, "
                               "aiv_vec_fp32_ratio are non-zero): cycle ratios do not split a "
                               "FLOP count");

  // A vector-only task: cube columns N/A (not a reason), no vector ratio non-zero -> the
  // FLOAT16 data type decides: f16, 65536 = one multiply per element.
  const imported_launch& m = f.launches[3];
  EXPECT_EQ(m.kernel, "aclnnMuls_Muls_Muls");
  EXPECT_EQ(flops(m, "f16", "simt"), std::optional<std::uint64_t>(65536));
  EXPECT_EQ(m.work.flops.size(), 1u);
  EXPECT_EQ(m.unplaceable, no_bytes);
}

TEST(msprof_summary, memory_rows_give_dram_bytes) {
  const imported_file f = read_msprof(data + "/op_summary_memory.csv", {});
  ASSERT_EQ(f.launches.size(), 2u);
  const std::string no_flops =
      "op_summary gives no FLOP counts (collected without --aic-metrics=ArithmeticUtilization): "
      "profile with `msprof op` for counts";
  // aic read 1536 + aic write 128 + aiv read 128 + aiv write 128 = 1920 KiB; the GB/s columns
  // are rates and count nothing.
  EXPECT_EQ(bytes(f.launches[0], "dram"), std::optional<std::uint64_t>(1920 * 1024ull));
  EXPECT_EQ(f.launches[0].launch, "31");
  EXPECT_EQ(f.launches[0].unplaceable, no_flops);
  // Vector-only: aic_* N/A; aiv read 256 + write 128 = 384 KiB.
  EXPECT_EQ(bytes(f.launches[1], "dram"), std::optional<std::uint64_t>(384 * 1024ull));
  EXPECT_EQ(f.launches[1].unplaceable, no_flops);
  EXPECT_DOUBLE_EQ(*raw(f.launches[1], "aiv_main_mem_read_bw"), 42.11 * GiB);
}

// --- malformed input -----------------------------------------------------------------------------

const std::string summary_header = "Op Name,Task ID,Task Duration(us),aic_cube_fops\n";

TEST(msprof_summary, malformed_files_name_file_and_line) {
  scratch s;
  std::string p = s.write("bad_number.csv", summary_header + "MatMul,1,2.5,100\nMatMul,2,fast,1\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(p, {}); }),
            p + ":3: Task Duration(us): expected a number, got 'fast'");

  p = s.write("bad_unit.csv", "Op Name,Task ID,Task Duration(fortnights)\nAdd,1,2\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(p, {}); }),
            p + ":1: column 'Task Duration(fortnights)': expected a time unit such as (us), got "
                "'fortnights'");

  p = s.write("repeated.csv",
              "Op Name,Task ID,Task Duration(us),aic_cube_fops,x,aic_cube_fops\n"
              "MatMul,1,2.5,100,0,100\nMatMul,2,2.5,100,0,200\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(p, {}); }),
            p + ":3: column 'aic_cube_fops' is repeated (columns 4 and 6) with different values "
                "('100', '200')");

  p = s.write("negative.csv", summary_header + "MatMul,1,2.5,-5\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(p, {}); }),
            p + ":2: aic_cube_fops: must not be negative (got -5)");

  p = s.write("wide.csv", summary_header + "MatMul,1,2.5,100\nMatMul,2,2.5,100,7\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(p, {}); }), p + ":3: 5 fields, the header has 4");

  p = s.write("quote.csv", summary_header + "\"MatMul,1,2.5,100\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(p, {}); }), p + ":2: quoted field never closed");

  p = s.write("empty_name.csv", summary_header + ",1,2.5,100\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(p, {}); }), p + ":2: Op Name is empty");

  p = s.write("foreign.csv", "ID,Kernel Name,Metric Name,Metric Value\n1,k,m,2\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(p, {}); }),
            p + ":1: no 'Op Name' column; not an op_summary CSV");

  EXPECT_EQ(usage_error_of([&] { read_msprof(s.path("absent.csv"), {}); }),
            s.path("absent.csv") + ": cannot read");
}

const std::string basic_info = "Op Name,Op Type,Task Duration(us),Block Dim\nAdd_f16,Add,8.0,4\n";

TEST(msprof_op, malformed_folders_name_file_and_line) {
  scratch s;
  s.write("two_rows/OpBasicInfo.csv", basic_info + "Sub_f16,Sub,9.0,4\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(s.path("two_rows"), {}); }),
            s.path("two_rows/OpBasicInfo.csv") +
                ":3: a second operator row; an msprof op folder describes one launch");

  s.write("unitless/OpBasicInfo.csv", basic_info);
  s.write("unitless/Memory.csv", "block_id,sub_block_id,read_main_memory_datas\n0,vector0,64\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(s.path("unitless"), {}); }),
            s.path("unitless/Memory.csv") +
                ":1: column 'read_main_memory_datas': expected a byte unit such as (KB), got ''");

  s.write("text_count/OpBasicInfo.csv", basic_info);
  s.write("text_count/ArithmeticUtilization.csv",
          "block_id,sub_block_id,aiv_vec_fops\n0,vector0,16384\n1,vector0,lots\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(s.path("text_count"), {}); }),
            s.path("text_count/ArithmeticUtilization.csv") +
                ":3: aiv_vec_fops: expected a number, got 'lots'");

  s.write("no_duration/OpBasicInfo.csv", "Op Name,Op Type\nAdd_f16,Add\n");
  EXPECT_EQ(usage_error_of([&] { read_msprof(s.path("no_duration"), {}); }),
            s.path("no_duration/OpBasicInfo.csv") + ":1: no 'Task Duration' column");

  fs::create_directories(s.path("empty"));
  EXPECT_EQ(usage_error_of([&] { read_msprof(s.path("empty"), {}); }),
            s.path("empty") +
                ": no OpBasicInfo.csv here or in its subfolders (up to 4 levels): not an `msprof "
                "op` output folder");
}

TEST(msprof_op, na_counts_and_zero_counts_say_why) {
  scratch s;
  s.write("na/OpBasicInfo.csv", "Op Name,Task Duration(us)\nAdd_f16,N/A\n");
  s.write("na/ArithmeticUtilization.csv",
          "block_id,sub_block_id,aiv_vec_fp16_ratio,aiv_vec_fops\n0,vector0,0.1,N/A\n");
  s.write("na/Memory.csv",
          "block_id,sub_block_id,read_main_memory_datas(KB),write_main_memory_datas(KB)\n"
          "0,vector0,N/A,N/A\n");
  const imported_launch na = read_msprof(s.path("na"), {}).launches.at(0);
  EXPECT_FALSE(na.time_s);
  EXPECT_EQ(na.unplaceable,
            "Task Duration(us) is N/A; no FLOP count (aiv_vec_fops: N/A); no byte count "
            "(read_main_memory_datas(KB), write_main_memory_datas(KB): N/A)");

  s.write("zero/OpBasicInfo.csv", "Op Name,Task Duration(us)\nCopy,3.5\n");
  s.write("zero/ArithmeticUtilization.csv",
          "block_id,sub_block_id,aiv_vec_fp16_ratio,aiv_vec_fops\n0,vector0,0,0\n");
  s.write("zero/Memory.csv",
          "block_id,sub_block_id,read_main_memory_datas(KB),write_main_memory_datas(KB)\n"
          "0,vector0,64,64\n");
  const imported_launch zero = read_msprof(s.path("zero"), {}).launches.at(0);
  EXPECT_TRUE(zero.work.flops.empty());
  EXPECT_EQ(bytes(zero, "dram"), std::optional<std::uint64_t>(128 * 1024ull));
  EXPECT_EQ(zero.unplaceable, "no FLOPs counted (aiv_vec_fops: 0)");

  // FLOPs with no precision ratio column and no data type; no Memory.csv.
  s.write("unknown/OpBasicInfo.csv", "Op Name,Task Duration(us)\nGelu,3.5\n");
  s.write("unknown/ArithmeticUtilization.csv",
          "block_id,sub_block_id,aiv_vec_fops\n0,vector0,1000\n1,vector0,24\n");
  const imported_launch unknown = read_msprof(s.path("unknown"), {}).launches.at(0);
  EXPECT_TRUE(unknown.work.flops.empty());
  EXPECT_EQ(unknown.unplaceable,
            s.path("unknown") +
                ": no byte counts (no Memory.csv): run `msprof op` with --aic-metrics including "
                "Memory; aiv_vec_fops counts 1024 FLOPs of no known precision (the input data "
                "types name no single one and no per-precision ratio is non-zero)");

  // Bytes only: no ArithmeticUtilization.csv.
  s.write("bytes_only/OpBasicInfo.csv", "Op Name,Task Duration(us)\nCopy,3.5\n");
  s.write("bytes_only/Memory.csv",
          "block_id,sub_block_id,read_main_memory_datas(KB),write_main_memory_datas(KB)\n"
          "0,vector0,1,2\n");
  const imported_launch bytes_only = read_msprof(s.path("bytes_only"), {}).launches.at(0);
  EXPECT_EQ(bytes(bytes_only, "dram"), std::optional<std::uint64_t>(3 * 1024));
  EXPECT_EQ(bytes_only.unplaceable,
            s.path("bytes_only") +
                ": no FLOP counts (no ArithmeticUtilization.csv): run `msprof op` with "
                "--aic-metrics including ArithmeticUtilization");
}

// --- recognition ---------------------------------------------------------------------------------

TEST(msprof_format, recognises_its_samples_only) {
  for (const char* p : {"/op_matmul_f16", "/op_add_launches", "/op_add_launches/Add/10",
                        "/op_quant_matmul_mixed_vector", "/op_pipe_only",
                        "/op_matmul_f16/OpBasicInfo.csv", "/op_summary_pipe_utilization.csv",
                        "/op_summary_arithmetic_utilization.csv", "/op_summary_memory.csv"})
    EXPECT_TRUE(looks_like_msprof(data + p)) << p;
  const std::string ridgeline_csv = RIDGELINE_TEST_DATA_DIR "/ridgeline-csv";
  EXPECT_FALSE(looks_like_msprof(ridgeline_csv));
  EXPECT_FALSE(looks_like_msprof(ridgeline_csv + "/mlu590_gemm.csv"));
  EXPECT_FALSE(looks_like_msprof(data + "/op_matmul_f16/PipeUtilization.csv"));  // a part only
  scratch s;
  EXPECT_FALSE(looks_like_msprof(s.write("ncu.csv", "\"ID\",\"Kernel Name\",\"Metric Name\"\n")));
  EXPECT_FALSE(looks_like_msprof(s.write("binary.csv", std::string("\0\x01\"\xff", 4))));
  EXPECT_FALSE(looks_like_msprof(s.path()));  // an empty folder
  EXPECT_FALSE(looks_like_msprof(s.path("absent")));
  EXPECT_EQ(detect_import_format(data + "/op_summary_memory.csv").name, "msprof");
  EXPECT_EQ(detect_import_format(data + "/op_add_launches").name, "msprof");
}

}  // namespace
}  // namespace ridgeline::importers
