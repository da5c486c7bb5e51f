// The pieces every bench shares (bench/bench_report.cpp): the fastest pick never chooses a failed
// measurement, the report file is the document plus its end-of-run load average, and errors map
// to the exit statuses the benches always had.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "bench/bench_report.hpp"
#include "core/error.hpp"

namespace ridgeline::bench {
namespace {

profiler::measurement timed(double median) {
  profiler::measurement m;
  m.timing.emplace();
  m.timing->summary.median = median;
  return m;
}

profiler::measurement failed(const std::string& reason) {
  profiler::measurement m;
  m.outcome = profiler::status::launch_failed;
  m.reason = reason;
  return m;
}

TEST(BenchReport, FastestSkipsFailures) {
  EXPECT_EQ(fastest({failed("no"), timed(2.0), timed(1.0), failed("no")}), 2u);
  EXPECT_EQ(fastest({failed("a"), failed("b")}), 0u);
  EXPECT_TRUE(std::isinf(median_or_inf(failed("no"))));
  EXPECT_EQ(median_or_inf(timed(0.5)), 0.5);
}

TEST(BenchReport, ProgressLineSaysWhyWhenNotTimed) {
  EXPECT_EQ(median_or_reason(failed("scratch too large")), "scratch too large");
  EXPECT_FALSE(median_or_reason(timed(1e-3)).empty());
}

TEST(BenchReport, WritesTheDocumentWithTheEndLoad) {
  const auto path = std::filesystem::temp_directory_path() / "ridgeline_test_bench_report.json";
  nlohmann::ordered_json doc = {{"schema", "ridgeline.bench.test/1"}};
  write_report(doc, path.string(), {"a table line"});
  std::ifstream in(path);
  const auto back = nlohmann::ordered_json::parse(in);
  EXPECT_EQ(back["schema"], "ridgeline.bench.test/1");
  EXPECT_TRUE(back.contains("load_average_at_end"));
  std::filesystem::remove(path);
  EXPECT_THROW(write_report(doc, "/nonexistent-dir/x.json", {}), runtime_error);
}

TEST(BenchReport, ExitStatusByErrorKind) {
  EXPECT_EQ(exit_status_of([] {}), 0);
  EXPECT_EQ(exit_status_of([] { throw usage_error("--sizes: not a number"); }), 2);
  EXPECT_EQ(exit_status_of([] { throw runtime_error("no DRAM roof"); }), 1);
}

}  // namespace
}  // namespace ridgeline::bench
