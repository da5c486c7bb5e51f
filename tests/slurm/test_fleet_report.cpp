// The fleet report (nightly/fleet_report.hpp): which night of each hardware type it shows, the
// cells it fills from a merged database, and the page it writes.
#include <gtest/gtest.h>

#include "../profiler/sample_measurement.hpp"
#include "../storage/storage_test_support.hpp"
#include "nightly/fleet_report.hpp"

namespace ridgeline::nightly {
namespace {

using storage::test::file_bytes;
using storage::test::temp_dir;

const std::string key = "gemm/kokkos_tiled/f32/m=64,n=64,k=64";

job fleet_job() {
  job j;
  j.path = "/jobs/fleet.yaml";
  j.name = "fleet";
  j.hardware_types = {{"cpu-a", "cpu_a", "", "", ""},
                      {"cpu-b", "cpu_b", "", "", ""},
                      {"cpu-c", "cpu_c", "", "", ""}};
  job_case c;
  c.kernel = "gemm";
  c.variant = "kokkos_tiled";
  c.dtype = "f32";
  c.problem = "m=64,n=64,k=64";
  c.key = key;
  j.cases = {c};
  job_case other = c;
  other.key = "gemm/kokkos_tiled/f64/m=64,n=64,k=64";
  j.cases.push_back(other);
  return j;
}

storage::device_identity device_on(const std::string& host) {
  auto d = storage::test::sample_device();
  d.host = host;
  return d;
}

// One complete nightly run of `job_name` as `hardware_type` with one entry whose best runs in
// `median_s`; a flag on it when `flagged`.
std::int64_t night(storage::database& db, const std::string& hardware_type, double median_s,
                   bool flagged = false, const std::string& job_name = "fleet") {
  const auto dev = device_on(hardware_type + "-node");
  const storage::nightly_setup setup{
      job_name,      "/jobs/fleet.yaml",    "ab",
      hardware_type, "compiler=GNU 12.2.0", R"({"compiler":"GNU 12.2.0"})"};
  const std::int64_t run = db.begin_nightly_run(dev, {"ridgeline nightly"}, setup);
  storage::tuning_setup t;
  t.what = {"gemm", "kokkos_tiled", "f32", "OpenMP", "m=64,n=64,k=64", R"({"m":64})"};
  t.strategy = "random";
  const std::int64_t tuning = db.begin_tuning_run(dev, {"tune"}, t);
  auto m = profiler::test::sample_measurement();
  m.timing->summary.median = median_s;
  m.timing->samples = {median_s, median_s};
  const std::int64_t best = db.add_measurement(tuning, db.device_id(dev), m);
  db.finish_tuning_run(tuning, storage::run_status::complete, "budget", best, 1);
  storage::nightly_entry_record e;
  e.nightly_run_id = run;
  e.entry_key = key;
  e.what = t.what;
  e.tuning_run_id = tuning;
  e.best_measurement_id = best;
  e.checks_passed = true;
  db.add_nightly_entry(e);
  std::vector<storage::nightly_flag_record> flags;
  if (flagged) {
    storage::nightly_flag_record f;
    f.nightly_run_id = run;
    f.entry_key = key;
    f.test = "mann_whitney";
    f.effect = 0.12;
    f.p_value = 0.001;
    f.compared_json = "{}";
    f.message = "12% slower";
    flags.push_back(f);
  }
  db.finish_nightly_run(
      run, storage::run_status::complete,
      flagged ? storage::nightly_verdict::regression : storage::nightly_verdict::pass, flags,
      "/shared/reports/" + hardware_type + "/run-" + std::to_string(run) + ".html");
  return run;
}

TEST(FleetReport, EachHardwareTypeShowsItsLatestCompleteNightOfTheJob) {
  temp_dir dir;
  auto db = storage::database::open(dir.file("fleet.sqlite"));
  night(db, "cpu-a", 0.004);
  const std::int64_t latest_a = night(db, "cpu-a", 0.002);
  const std::int64_t b = night(db, "cpu-b", 0.001, /*flagged=*/true);
  night(db, "cpu-b", 0.0001, false, "another-job");  // another job's night: not this report's
  night(db, "gpu-x", 0.0005);                        // a type the job does not list
  // An unfinished night is not shown.
  db.begin_nightly_run(device_on("cpu-a-node"), {"ridgeline nightly"},
                       {"fleet", "/jobs/fleet.yaml", "ab", "cpu-a", "k", "{}"});

  const fleet_view v = read_fleet(db, fleet_job(), roofline::device_catalog{});
  ASSERT_EQ(v.types.size(), 4u);
  EXPECT_EQ(v.types[0].hardware_type, "cpu-a");
  ASSERT_TRUE(v.types[0].run);
  EXPECT_EQ(v.types[0].run->run_id, latest_a);
  EXPECT_EQ(v.types[0].device, "AMD EPYC 9B14, znver4, OpenMP backend, host cpu-a-node");
  EXPECT_EQ(v.types[1].run->run_id, b);
  EXPECT_FALSE(v.types[2].run);  // cpu-c listed, never ran
  EXPECT_EQ(v.types[3].hardware_type, "gpu-x");

  ASSERT_EQ(v.cases.size(), 2u);
  const fleet_case& c = v.cases[0];
  EXPECT_EQ(c.key, key);
  ASSERT_TRUE(c.cells[0].best);
  EXPECT_DOUBLE_EQ(c.cells[0].best->timing->summary.median, 0.002);
  EXPECT_EQ(c.cells[0].verdict, "ok");
  EXPECT_DOUBLE_EQ(c.cells[1].best->timing->summary.median, 0.001);
  EXPECT_TRUE(c.cells[1].regression);
  EXPECT_EQ(c.cells[1].verdict, "REGRESSION (mann_whitney +12.0%)");
  EXPECT_EQ(c.cells[2].verdict, "no run");
  EXPECT_FALSE(c.cells[2].best);
  EXPECT_EQ(v.cases[1].cells[0].verdict, "not in run " + std::to_string(latest_a));
}

TEST(FleetReport, WritesMarkdownHtmlAndOneChartPerCase) {
  temp_dir dir;
  auto db = storage::database::open(dir.file("fleet.sqlite"));
  night(db, "cpu-a", 0.002);
  night(db, "cpu-b", 0.001, /*flagged=*/true);
  const fleet_view v = read_fleet(db, fleet_job(), roofline::device_catalog{});
  const std::string out = dir.file("reports");
  const report_paths paths = write_fleet_report(v, out);
  EXPECT_EQ(paths.html, out + "/fleet.html");
  EXPECT_EQ(paths.markdown, out + "/fleet.md");
  const std::string html = file_bytes(paths.html);
  const std::string md = file_bytes(paths.markdown);
  for (const std::string& text : {html, md}) {
    EXPECT_NE(text.find("cpu-a"), std::string::npos);
    EXPECT_NE(text.find("cpu-b"), std::string::npos);
    EXPECT_NE(text.find(key), std::string::npos);
    EXPECT_NE(text.find("REGRESSION (mann_whitney +12.0%)"), std::string::npos);
    // 4e9 FLOP in 2 ms and in 1 ms.
    EXPECT_NE(text.find("2000.00"), std::string::npos);
    EXPECT_NE(text.find("4000.00"), std::string::npos);
    // No roofs in this database or catalog: said, not guessed.
    EXPECT_NE(text.find("no roofs"), std::string::npos);
  }
  EXPECT_NE(md.find("](/shared/reports/cpu-a/run-"), std::string::npos) << md;
  EXPECT_NE(md.find("![" + key + "](fleet/case-1.svg)"), std::string::npos);
  const std::string svg = file_bytes(out + "/fleet/case-1.svg");
  EXPECT_EQ(svg, render_fleet_bars_svg(v, v.cases[0]));
  EXPECT_NE(html.find(svg), std::string::npos);                // inline
  EXPECT_NE(svg.find("fill=\"#d62728\""), std::string::npos);  // the regression's bar
  EXPECT_NE(svg.find("(regression)"), std::string::npos);
  EXPECT_NE(svg.find("no result (no run)"), std::string::npos);  // cpu-c
  EXPECT_TRUE(std::filesystem::exists(out + "/fleet/case-2.svg"));
}

TEST(FleetReport, LinksAreRelativeWhenTheReportsShareAFolder) {
  temp_dir dir;
  auto db = storage::database::open(dir.file("fleet.sqlite"));
  const auto dev = device_on("n1");
  const std::int64_t run = db.begin_nightly_run(
      dev, {"ridgeline nightly"}, {"fleet", "/jobs/fleet.yaml", "ab", "cpu-a", "k", "{}"});
  db.finish_nightly_run(run, storage::run_status::complete, storage::nightly_verdict::pass, {},
                        dir.file("reports/cpu-a/run-1.html"));
  const fleet_view v = read_fleet(db, fleet_job(), roofline::device_catalog{});
  write_fleet_report(v, dir.file("reports"));
  EXPECT_NE(file_bytes(dir.file("reports/fleet.md")).find("[cpu-a/run-1.html](cpu-a/run-1.html)"),
            std::string::npos);
}

}  // namespace
}  // namespace ridgeline::nightly
