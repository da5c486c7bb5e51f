// Human-readable output: number formatting with unit prefixes, and the report/table layouts.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>

#include "profiler/console_report.hpp"
#include "tests/profiler/sample_measurement.hpp"

namespace ridgeline::profiler {
namespace {

TEST(FormatSeconds, PicksTheUnit) {
  EXPECT_EQ(format_seconds(845e-9), "845 ns");
  EXPECT_EQ(format_seconds(1.5e-6), "1.5 us");
  EXPECT_EQ(format_seconds(12.3e-3), "12.3 ms");
  EXPECT_EQ(format_seconds(1e-3), "1 ms");
  EXPECT_EQ(format_seconds(2.01), "2.01 s");
  EXPECT_EQ(format_seconds(120), "120 s");
  EXPECT_EQ(format_seconds(3e-12), "0.003 ns");
}

TEST(FormatSeconds, RoundsToThreeSignificantDigits) {
  EXPECT_EQ(format_seconds(12.345e-3), "12.3 ms");
  EXPECT_EQ(format_seconds(999.4e-6), "999 us");
}

TEST(FormatSeconds, RoundingUpMovesToTheNextUnit) {
  // Not "1e+03 ns": the unit is chosen after rounding.
  EXPECT_EQ(format_seconds(999.7e-9), "1 us");
  EXPECT_EQ(format_seconds(999.6e-6), "1 ms");
  EXPECT_EQ(format_seconds(0.99991), "1 s");
}

TEST(FormatSeconds, NonPositiveAndNanAreZero) {
  EXPECT_EQ(format_seconds(0), "0 s");
  EXPECT_EQ(format_seconds(-1e-3), "0 s");
  EXPECT_EQ(format_seconds(NAN), "0 s");
}

TEST(FormatRate, SiPrefixes) {
  EXPECT_EQ(format_rate(0, "FLOP"), "0 FLOP/s");
  EXPECT_EQ(format_rate(999, "B"), "999 B/s");
  EXPECT_EQ(format_rate(1000, "B"), "1 kB/s");
  EXPECT_EQ(format_rate(140e9, "FLOP"), "140 GFLOP/s");
  EXPECT_EQ(format_rate(123456789, "B"), "123.5 MB/s");
  EXPECT_EQ(format_rate(2e12, "FLOP"), "2 TFLOP/s");
  EXPECT_EQ(format_rate(1.5e15, "FLOP"), "1.5 PFLOP/s");
  // Past the last prefix the number grows instead.
  EXPECT_EQ(format_rate(2e18, "FLOP"), "2000 PFLOP/s");
}

TEST(FormatRate, RoundingUpMovesToTheNextPrefix) {
  EXPECT_EQ(format_rate(999.96e9, "FLOP"), "1 TFLOP/s");
  EXPECT_EQ(format_rate(999999, "B"), "1 MB/s");
  EXPECT_EQ(format_rate(999.94e9, "FLOP"), "999.9 GFLOP/s");
}

TEST(WriteReport, ShowsStatusCheckTimeAndRates) {
  std::ostringstream out;
  write_report(out, test::sample_measurement());
  const std::string s = out.str();
  EXPECT_EQ(s.rfind("gemm kokkos_tiled f32 m=257,n=129,k=31,alpha=0.5 [OpenMP]\n", 0), 0u) << s;
  EXPECT_NE(s.find("  params  tile_m=64,layout=row\n"), std::string::npos) << s;
  EXPECT_NE(s.find("  status  ok\n"), std::string::npos) << s;
  EXPECT_NE(s.find("  check   passed: "), std::string::npos) << s;
  EXPECT_NE(s.find("0 of 33153 elements bad"), std::string::npos) << s;
  EXPECT_NE(s.find("  time    2 ms median (min 1.5 ms, max 3 ms; IQR spread 18.8%; 4 samples x 3 "
                   "launches, time_cap)"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("2 TFLOP/s"), std::string::npos) << s;
  EXPECT_NE(s.find("500 GB/s"), std::string::npos) << s;
  EXPECT_NE(s.find("AI 4 FLOP/B"), std::string::npos) << s;
  EXPECT_EQ(s.find("inputs warm"), std::string::npos) << s;
}

TEST(WriteReport, FailedConfigShowsReasonAndNoTime) {
  measurement m = test::sample_measurement();
  m.timing.reset();
  m.check.reset();
  m.outcome = status::invalid_config;
  m.reason = "violates: tile_m is a multiple of reg_m";
  std::ostringstream out;
  write_report(out, m);
  const std::string s = out.str();
  EXPECT_NE(s.find("  status  invalid_config: violates: tile_m is a multiple of reg_m\n"),
            std::string::npos)
      << s;
  EXPECT_EQ(s.find("  time"), std::string::npos) << s;
  EXPECT_EQ(s.find("  check"), std::string::npos) << s;
}

TEST(WriteReport, WarnsWhenInputsStayWarm) {
  measurement m = test::sample_measurement();
  m.rotation = {256, false, 1024};
  std::ostringstream out;
  write_report(out, m);
  EXPECT_NE(out.str().find("even with 256 rotated copies: inputs warm"), std::string::npos)
      << out.str();
}

TEST(WriteTable, OneHeaderAndOneRowPerMeasurement) {
  measurement a = test::sample_measurement();
  measurement b = a;
  b.variant = "vendor";
  b.timing.reset();
  b.check->passed = false;
  b.outcome = status::wrong_result;
  std::ostringstream out;
  write_table(out, {a, b});
  std::istringstream lines(out.str());
  std::string header, row_a, row_b, extra;
  ASSERT_TRUE(std::getline(lines, header));
  ASSERT_TRUE(std::getline(lines, row_a));
  ASSERT_TRUE(std::getline(lines, row_b));
  EXPECT_FALSE(std::getline(lines, extra));
  EXPECT_EQ(header.rfind("kernel", 0), 0u);
  EXPECT_NE(header.find("FLOP rate"), std::string::npos);
  EXPECT_NE(row_a.find("kokkos_tiled"), std::string::npos) << row_a;
  EXPECT_NE(row_a.find("2 ms"), std::string::npos) << row_a;
  EXPECT_NE(row_a.find("2 TFLOP/s"), std::string::npos) << row_a;
  EXPECT_NE(row_a.find("passed"), std::string::npos) << row_a;
  EXPECT_NE(row_a.find("1.00x"), std::string::npos) << row_a;  // the first row is the baseline
  EXPECT_EQ(row_a.substr(row_a.size() - 2), "ok") << row_a;
  EXPECT_NE(row_b.find("FAILED"), std::string::npos) << row_b;
  EXPECT_EQ(row_b.find("FLOP/s"), std::string::npos) << row_b;  // no time, no rate
  EXPECT_NE(row_b.find("wrong_result"), std::string::npos) << row_b;
}

}  // namespace
}  // namespace ridgeline::profiler
