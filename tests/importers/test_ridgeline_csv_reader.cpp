// The ridgeline-csv reader (importers/ridgeline_csv_reader.cpp) on the samples under
// data/ridgeline-csv/ (a Cambricon and a Kunlunxin run written by hand), its strict header, its
// FILE:LINE messages and its recognition. Expected counts are worked out from the samples' sizes.
#include <gtest/gtest.h>
#include <unistd.h>

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

using ridgeline::test::usage_error_of;

namespace fs = std::filesystem;

const std::string data = RIDGELINE_TEST_DATA_DIR "/ridgeline-csv";

// Writes `text` to a fresh file for one test; removed afterwards.
class scratch_file {
 public:
  explicit scratch_file(const std::string& text, const std::string& name = "r.csv") {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("ridgeline_csv_" + std::string(info->name()) + "_" + std::to_string(::getpid()) + "_" +
            std::to_string(counter_++));
    fs::create_directories(dir_);
    path_ = (dir_ / name).string();
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~scratch_file() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path dir_;
  std::string path_;
};

std::string read_error(const std::string& text) {
  scratch_file f(text);
  const std::string message = usage_error_of([&] { read_ridgeline_csv(f.path(), {}); });
  // The message starts with the file's path; the test compares what follows it.
  return message.rfind(f.path(), 0) == 0 ? "F" + message.substr(f.path().size()) : message;
}

TEST(ridgeline_csv, cambricon_sample_with_marker) {
  const imported_file f = read_ridgeline_csv(data + "/mlu590_gemm.csv", {});
  EXPECT_EQ(f.format, "ridgeline-csv");
  EXPECT_EQ(f.tool, "ridgeline-csv");
  ASSERT_EQ(f.launches.size(), 3u);

  // GEMM 4096^3 in f16: 2 * 4096^3 FLOPs on the matrix units, an f32 epilogue of one FLOP per
  // output element on the vector units, A and B read once and C written once (3 * 4096^2 * 2 B).
  const std::uint64_t n = 4096;
  for (int i = 0; i < 2; ++i) {
    const imported_launch& g = f.launches[i];
    EXPECT_EQ(g.kernel, "gemm_f16_4096");
    EXPECT_EQ(g.device, "MLU590");
    EXPECT_EQ(g.host, "");
    EXPECT_EQ(flops(g, "f16", "tensor"), std::optional<std::uint64_t>(2 * n * n * n));
    EXPECT_EQ(flops(g, "f32", "simt"), std::optional<std::uint64_t>(n * n));
    EXPECT_EQ(bytes(g, "dram"), std::optional<std::uint64_t>(3 * n * n * 2));
    EXPECT_EQ(g.unplaceable, "");
  }
  const imported_launch& first = f.launches[0];
  EXPECT_EQ(first.launch, "1");
  EXPECT_EQ(first.line, 5);  // after the marker, two comment lines and the header
  EXPECT_DOUBLE_EQ(*first.time_s, 812.5e-6);
  EXPECT_FALSE(bytes(first, "l2"));  // an empty cell is absent, not zero
  ASSERT_EQ(first.raw.size(), 4u);
  EXPECT_EQ(first.raw[0].first, "time_s");
  EXPECT_DOUBLE_EQ(first.raw[0].second, 812.5e-6);
  EXPECT_EQ(first.raw[1], (std::pair<std::string, double>("flops_f16_tensor", 137438953472.0)));

  const imported_launch& second = f.launches[1];  // the same kernel's second launch, kept apart
  EXPECT_EQ(second.launch, "2");
  EXPECT_EQ(second.line, 6);
  EXPECT_DOUBLE_EQ(*second.time_s, 790.25e-6);
  EXPECT_EQ(bytes(second, "l2"), std::optional<std::uint64_t>(2 * 3 * n * n * 2));

  // Softmax 4096 x 4096 in f32: 4 FLOPs per element, read once and written once (2 * 4 B each).
  const imported_launch& s = f.launches[2];
  EXPECT_EQ(s.kernel, "softmax_f32_4096x4096");
  EXPECT_EQ(s.line, 7);
  EXPECT_DOUBLE_EQ(*s.time_s, 105e-6);
  EXPECT_FALSE(flops(s, "f16", "tensor"));
  EXPECT_EQ(flops(s, "f32", "simt"), std::optional<std::uint64_t>(4 * n * n));
  EXPECT_EQ(s.work.flops.size(), 1u);
  EXPECT_EQ(bytes(s, "dram"), std::optional<std::uint64_t>(2 * n * n * 4));
  EXPECT_EQ(s.unplaceable, "");
}

TEST(ridgeline_csv, kunlunxin_sample_without_marker) {
  // CRLF line ends, a capitalised header, time in ms, `i8` for int8, N/A and empty cells.
  const imported_file f = read_ridgeline_csv(data + "/kunlunxin_p800_no_marker.csv", {});
  ASSERT_EQ(f.launches.size(), 3u);
  // fc1: 8192 x 8192 output, K = 2048: 2 * 8192 * 8192 * 2048 operations; A (8192 x 2048),
  // B (2048 x 8192) and C (8192 x 8192) once each.
  const std::uint64_t m = 8192, k = 2048;
  const imported_launch& bf = f.launches[0];
  EXPECT_EQ(bf.kernel, "fc1_bf16");
  EXPECT_EQ(bf.device, "Kunlunxin P800");
  EXPECT_EQ(bf.launch, "");
  EXPECT_EQ(bf.line, 2);
  EXPECT_DOUBLE_EQ(*bf.time_s, 1.25e-3);
  EXPECT_EQ(flops(bf, "bf16", "tensor"), std::optional<std::uint64_t>(2 * m * m * k));
  EXPECT_EQ(bytes(bf, "dram"), std::optional<std::uint64_t>((m * k + k * m + m * m) * 2));
  EXPECT_EQ(bf.unplaceable, "");

  const imported_launch& i8 = f.launches[1];  // int8 A and B (1 B), bf16 C (2 B)
  EXPECT_DOUBLE_EQ(*i8.time_s, 0.70e-3);
  EXPECT_EQ(flops(i8, "int8", "tensor"), std::optional<std::uint64_t>(2 * m * m * k));
  EXPECT_EQ(i8.work.flops.size(), 1u);
  EXPECT_EQ(bytes(i8, "dram"), std::optional<std::uint64_t>(m * k + k * m + m * m * 2));

  const imported_launch& gather = f.launches[2];
  EXPECT_TRUE(gather.work.flops.empty());
  EXPECT_EQ(bytes(gather, "dram"), std::optional<std::uint64_t>(268435456));
  EXPECT_EQ(gather.unplaceable, "no FLOP count above 0 in this row");
}

TEST(ridgeline_csv, zero_flops_and_missing_time_are_unplaceable) {
  scratch_file f("kernel,time_ns,flops_f64_simt,bytes_l1\ncopy,,0,0\n");
  const imported_launch l = read_ridgeline_csv(f.path(), {}).launches.at(0);
  EXPECT_FALSE(l.time_s);
  EXPECT_TRUE(l.work.flops.empty());  // 0 FLOPs of a precision: that precision was not used
  EXPECT_EQ(bytes(l, "l1"), std::optional<std::uint64_t>(0));  // 0 bytes is a statement
  EXPECT_EQ(l.unplaceable, "no time, no FLOP count above 0 in this row");
}

TEST(ridgeline_csv, comments_and_quoted_names) {
  scratch_file f(
      "# a note, with commas, before the header\n"
      "kernel,host,time_s,flops_tf32_tensor,flops_fp8_tensor,bytes_shared,bytes_llc,note\n"
      "\"gemm<float, 4>\",node7,0.5,10,20,30,40,\"x, y\"\n"
      "  # a comment among the rows, with, more, commas, than, the, header, has, here\n"
      "\"say \"\"hi\"\"\",node7,1e-3,1,,,,\n");
  const imported_file file = read_ridgeline_csv(f.path(), {});
  ASSERT_EQ(file.launches.size(), 2u);
  EXPECT_EQ(file.launches[0].kernel, "gemm<float, 4>");
  EXPECT_EQ(file.launches[0].host, "node7");
  EXPECT_EQ(flops(file.launches[0], "tf32", "tensor"), std::optional<std::uint64_t>(10));
  EXPECT_EQ(flops(file.launches[0], "fp8", "tensor"), std::optional<std::uint64_t>(20));
  EXPECT_EQ(bytes(file.launches[0], "shared"), std::optional<std::uint64_t>(30));
  EXPECT_EQ(bytes(file.launches[0], "llc"), std::optional<std::uint64_t>(40));
  EXPECT_EQ(file.launches[1].kernel, "say \"hi\"");
  EXPECT_EQ(file.launches[1].line, 5);
  EXPECT_EQ(file.launches[1].unplaceable, "no byte count in this row");
}

TEST(ridgeline_csv, header_is_strict) {
  const std::string expected =
      "expected kernel, time_<s|ms|us|ns>, flops_<precision>_<simt|tensor>, bytes_<level>, "
      "device, host, launch, note";
  EXPECT_EQ(read_error("kernel,time_us,gflops\n"),
            "F:1: column 'gflops': unknown column; " + expected);
  EXPECT_EQ(read_error("# ridgeline-csv/1\n# why\n\nkernel,time_us,gflops\n"),
            "F:4: column 'gflops': unknown column; " + expected);
  EXPECT_EQ(read_error("kernel,time_us,flops_fp16_tensor\n"),
            "F:1: column 'flops_fp16_tensor': unknown precision 'fp16' (expected f64, f32, tf32, "
            "bf16, f16, fp8, int8)");
  EXPECT_EQ(read_error("kernel,time_us,flops_f16_matrix\n"),
            "F:1: column 'flops_f16_matrix': unknown unit 'matrix' (expected simt or tensor)");
  EXPECT_EQ(read_error("kernel,time_us,flops_f16\n"),
            "F:1: column 'flops_f16': expected flops_<precision>_<simt|tensor>");
  EXPECT_EQ(read_error("kernel,time_us,bytes_hbm\n"),
            "F:1: column 'bytes_hbm': unknown memory level 'hbm' (expected l1, shared, l2, llc, "
            "dram)");
  EXPECT_EQ(read_error("kernel,time_min\n"),
            "F:1: column 'time_min': unknown time unit 'min' (expected time_s, time_ms, time_us "
            "or time_ns)");
  EXPECT_EQ(read_error("kernel,time_us,bytes_dram,bytes_dram\n"),
            "F:1: column 'bytes_dram' repeats column 3 ('bytes_dram')");
  EXPECT_EQ(read_error("kernel,time_us,flops_i8_tensor,flops_int8_tensor\n"),
            "F:1: column 'flops_int8_tensor' repeats column 3 ('flops_i8_tensor')");
  EXPECT_EQ(read_error("kernel,time_s,time_us\n"),
            "F:1: two time columns ('time_s' and 'time_us'); keep one");
  EXPECT_EQ(read_error("time_us,bytes_dram\n"), "F:1: no 'kernel' column");
  EXPECT_EQ(read_error("kernel,bytes_dram\n"),
            "F:1: no time column (time_s, time_ms, time_us or time_ns)");
  EXPECT_EQ(read_error("# ridgeline-csv/2\nkernel,time_us\n"),
            "F:1: ridgeline-csv/2 is not supported (this Ridgeline reads ridgeline-csv/1)");
  EXPECT_EQ(read_error("# ridgeline-csv/one\nkernel,time_us\n"),
            "F:1: unreadable format marker 'ridgeline-csv/one' (expected '# ridgeline-csv/1')");
  EXPECT_EQ(read_error("# only comments\n"), "F: no header found");
}

TEST(ridgeline_csv, malformed_rows_name_their_line) {
  const std::string h = "kernel,time_us,flops_f32_simt,bytes_dram\n";
  EXPECT_EQ(read_error(h + "a,1,2,3\nb,fast,2,3\n"), "F:3: time_us: expected a number, got 'fast'");
  EXPECT_EQ(read_error(h + "a,1,2,-1\n"), "F:2: bytes_dram: must not be negative (got -1)");
  EXPECT_EQ(read_error(h + "a,1,2.5,3\n"),
            "F:2: flops_f32_simt: expected a whole number (a count, not G or M units), got 2.5");
  EXPECT_EQ(read_error(h + "a,1,1e20,3\n"), "F:2: flops_f32_simt: 1e20 is too large for a count");
  EXPECT_EQ(read_error(h + "a,0,2,3\n"), "F:2: time_us: must be > 0 (got 0)");
  EXPECT_EQ(read_error(h + " ,1,2,3\n"), "F:2: kernel is empty");
  EXPECT_EQ(read_error(h + "a,1,2,3,4\n"), "F:2: 5 fields, the header has 4");
  EXPECT_EQ(read_error(h + "a,1,2,3\n\"b,1,2,3\n"), "F:3: quoted field never closed");
  EXPECT_EQ(usage_error_of([] { read_ridgeline_csv("/nonexistent/r.csv", {}); }),
            "/nonexistent/r.csv: cannot read");
}

TEST(ridgeline_csv, recognises_its_samples_only) {
  EXPECT_TRUE(looks_like_ridgeline_csv(data + "/mlu590_gemm.csv"));
  EXPECT_TRUE(looks_like_ridgeline_csv(data + "/kunlunxin_p800_no_marker.csv"));
  EXPECT_EQ(detect_import_format(data + "/mlu590_gemm.csv").name, "ridgeline-csv");
  EXPECT_EQ(detect_import_format(data + "/kunlunxin_p800_no_marker.csv").name, "ridgeline-csv");
  {
    scratch_file later_version("# ridgeline-csv/2\nkernel,time_us,whatever\n");
    EXPECT_TRUE(looks_like_ridgeline_csv(later_version.path()));  // read says why it refuses
  }
  const std::string msprof = RIDGELINE_TEST_DATA_DIR "/msprof";
  EXPECT_FALSE(looks_like_ridgeline_csv(msprof + "/op_summary_memory.csv"));
  EXPECT_FALSE(looks_like_ridgeline_csv(msprof + "/op_matmul_f16"));  // a folder
  EXPECT_FALSE(looks_like_ridgeline_csv(msprof + "/op_matmul_f16/OpBasicInfo.csv"));
  for (const char* text :
       {"\"ID\",\"Kernel Name\",\"Metric Name\",\"Metric Value\"\n",  // an ncu export
        "kernel,time_us,gflops\n",                                    // one unknown column
        "kernel,flops_f32_simt\n",                                    // no time
        "kernel,time_us,time_ms\n",                                   // two times
        "# comment only\n",                                           // no header
        ""}) {
    scratch_file f(text);
    EXPECT_FALSE(looks_like_ridgeline_csv(f.path())) << text;
  }
  EXPECT_FALSE(looks_like_ridgeline_csv("/nonexistent/r.csv"));
}

}  // namespace
}  // namespace ridgeline::importers
