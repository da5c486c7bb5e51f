// The counter pass (profiler/counters/counter_pass.cpp) with injected backends, the real
// perf_event backend on this machine (no PMU on the development VM: the unavailable path is
// exercised for real; its collection path is exercised with software events), the CUPTI
// backend's no-driver path, and the counted twin in the JSON and console reports.
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <sstream>

#include "core/error.hpp"
#include "profiler/console_report.hpp"
#include "profiler/counters/counter_pass.hpp"
#include "profiler/measurement_json.hpp"
#include "tests/profiler/sample_measurement.hpp"

#if defined(__linux__)
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace ridgeline::profiler::counters {
namespace {

class counting_workload : public workload {
 public:
  void launch(std::size_t) override {
    ++launches;
    // ~3 ms of CPU work on this thread (the task clock must see it).
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(3);
    volatile double x = 1;
    while (std::chrono::steady_clock::now() < end) x = x * 1.0000001 + 1e-9;
  }
  void fence() override { ++fences; }
  std::size_t copies() const override { return 1; }
  int launches = 0;
  int fences = 0;
};

// Replays recorded counter values, one launch per pass like CUPTI's user replay.
class fake_backend : public counter_backend {
 public:
  std::string name() const override { return "cupti"; }
  std::vector<std::string> device_ids() override {
    if (!unavailable.empty()) throw counters_unavailable(unavailable);
    return {chip};
  }
  counter_values collect(workload& w, const metric_file&,
                         const std::vector<std::string>& counters) override {
    asked = counters;
    counter_values v;
    v.replay = "user";
    for (int p = 0; p < 3; ++p) {
      w.launch(0);
      w.fence();
      ++v.passes;
    }
    for (const auto& c : counters) v.values[c] = recorded.count(c) ? recorded.at(c) : 0.0;
    return v;
  }
  std::string chip = "GH100";
  std::string unavailable;
  std::map<std::string, double> recorded;
  std::vector<std::string> asked;
};

work_model gemm_model(std::uint64_t m, std::uint64_t n, std::uint64_t k) {
  work_model w;
  w.flops = {{"f32", "simt", 2 * m * n * k}};
  w.bytes = {{"dram", 4 * (m * k + k * n + m * n)}};
  return w;
}

TEST(CounterPass, EvaluatesFormulasFromTheMatchingFile) {
  counting_workload w;
  fake_backend b;
  // 512^3 GEMM: 2*512^3 FLOPs as FFMA, plus an epilogue of 512*512 FMUL.
  b.recorded = {{"sm__sass_thread_inst_executed_op_ffma_pred_on.sum", 134217728.0},
                {"sm__sass_thread_inst_executed_op_fmul_pred_on.sum", 262144.0},
                {"dram__bytes_read.sum", 2.1e6},
                {"dram__bytes_write.sum", 1.05e6},
                {"sm__cycles_elapsed.avg.per_second", 1.98e9},
                {"gpu__time_duration.sum", 52000}};
  const auto r = run_counter_pass(w, gemm_model(512, 512, 512), b, RIDGELINE_METRICS_DIR);
  ASSERT_TRUE(r.counted) << r.unavailable;
  const counted_work& c = *r.counted;
  EXPECT_EQ(c.source, "cupti");
  EXPECT_EQ(c.replay, "user");
  EXPECT_EQ(c.passes, 3u);
  EXPECT_EQ(w.launches, 3);
  EXPECT_EQ(c.device_id, "GH100");
  EXPECT_NE(c.metrics_file.find("nvidia/sm_90.yaml"), std::string::npos);
  ASSERT_EQ(c.work.flops.size(), 1u);
  EXPECT_EQ(c.work.flops[0].precision, "f32");
  EXPECT_EQ(c.work.flops[0].unit, "simt");
  EXPECT_EQ(c.work.flops[0].count, 2u * 134217728u + 262144u);
  EXPECT_EQ(c.work.bytes_at("dram"), 3150000u);
  EXPECT_DOUBLE_EQ(*c.time_s, 52e-6);
  ASSERT_EQ(c.clocks_hz.size(), 2u);  // sm and dram (dram not recorded -> 0)
  EXPECT_EQ(c.clocks_hz[0].first, "sm");
  // Only the counters the f32 SIMT work and the byte levels need are asked for: no tensor, no
  // f64 counters (a name a chip lacks must not sink a kernel that does not need it).
  for (const auto& name : b.asked) {
    EXPECT_EQ(name.find("tensor"), std::string::npos) << name;
    EXPECT_EQ(name.find("_op_d"), std::string::npos) << name;
  }
}

TEST(CounterPass, UnavailableBackendGivesItsMessage) {
  counting_workload w;
  fake_backend b;
  b.unavailable = "cupti: GPU performance counters need admin rights (...)";
  const auto r = run_counter_pass(w, gemm_model(8, 8, 8), b, RIDGELINE_METRICS_DIR);
  EXPECT_FALSE(r.counted);
  EXPECT_EQ(r.unavailable, b.unavailable);
  EXPECT_EQ(w.launches, 0);
}

TEST(CounterPass, UnknownDeviceSaysWhichFileToAdd) {
  counting_workload w;
  fake_backend b;
  b.chip = "GB202";
  const auto r = run_counter_pass(w, gemm_model(8, 8, 8), b, RIDGELINE_METRICS_DIR);
  EXPECT_FALSE(r.counted);
  EXPECT_NE(r.unavailable.find("no metric file under"), std::string::npos) << r.unavailable;
  EXPECT_NE(r.unavailable.find("match: [GB202]"), std::string::npos) << r.unavailable;
}

TEST(CounterPass, ModesAndBackendsThatDoNotFit) {
  counting_workload w;
  counter_request req;
  req.mode = counter_mode::none;
  EXPECT_FALSE(run_counter_pass(w, gemm_model(8, 8, 8), req).counted);
  EXPECT_TRUE(run_counter_pass(w, gemm_model(8, 8, 8), req).unavailable.empty());
  req.mode = counter_mode::cupti;
  req.device_is_host = true;
  req.device_backend = "OpenMP";
  EXPECT_EQ(run_counter_pass(w, gemm_model(8, 8, 8), req).unavailable,
            "cupti counts CUDA kernels, and this runs on OpenMP; using the analytic model");
  req.mode = counter_mode::perf;
  req.device_is_host = false;
  req.device_backend = "Cuda";
  EXPECT_NE(run_counter_pass(w, gemm_model(8, 8, 8), req).unavailable.find("perf_event counts CPU"),
            std::string::npos);
  EXPECT_EQ(w.launches, 0);
  EXPECT_EQ(parse_counter_mode("analytic", "--counters"), counter_mode::none);
  EXPECT_EQ(parse_counter_mode("perf", "--counters"), counter_mode::perf);
  EXPECT_THROW(parse_counter_mode("ncu", "--counters"), usage_error);
}

#if defined(__linux__)
bool machine_has_pmu() {
  perf_event_attr a{};
  a.size = sizeof a;
  a.type = PERF_TYPE_HARDWARE;
  a.config = PERF_COUNT_HW_INSTRUCTIONS;
  a.exclude_kernel = 1;
  a.exclude_hv = 1;
  const int fd = static_cast<int>(syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
  if (fd >= 0) close(fd);
  // Not permitted (paranoid level, seccomp) is a different message; treat it as "unknown".
  return fd >= 0 || errno == EACCES || errno == EPERM;
}

// The development VM has no PMU: this is the path every CPU run takes there.
TEST(PerfEvent, NoPmuSaysSoAndFallsBack) {
  if (machine_has_pmu()) GTEST_SKIP() << "this machine has a PMU (or forbids perf_event_open)";
  counting_workload w;
  counter_request req;  // auto on a host backend -> perf_event
  req.device_backend = "OpenMP";
  const auto r = run_counter_pass(w, gemm_model(8, 8, 8), req);
  EXPECT_FALSE(r.counted);
  EXPECT_EQ(r.unavailable.rfind("perf_event: no hardware PMU on this machine (perf_event_open(", 0),
            0u)
      << r.unavailable;
  EXPECT_NE(r.unavailable.find("): using the analytic model"), std::string::npos) << r.unavailable;
  EXPECT_EQ(w.launches, 0);
}

// The collection path itself (per-thread groups, reset/enable/disable, read, passes), with
// software events that exist without a PMU.
TEST(PerfEvent, CollectsSoftwareEventsPerPass) {
  const auto file = parse_metric_file(
      "schema: ridgeline.metrics/1\nvendor: linux\narch: sw\nsource: perf_event\n"
      "match: [any]\ncounters:\n"
      "  task_clock: {unit: nanoseconds, perf_event: {type: software, config: 1}}\n"
      "  page_faults: {unit: faults, perf_event: {type: software, config: 2}}\n"
      "  cs: {unit: switches, perf_event: {type: software, config: 3}}\n"
      "  migrations: {unit: migrations, perf_event: {type: software, config: 4}}\n"
      "  minor_faults: {unit: faults, perf_event: {type: software, config: 5}}\n"
      "metrics:\n  time_s: task_clock / 1e9\n"
      "  flops_any_simt: page_faults + cs + migrations + minor_faults\n",
      "sw.yaml");
  auto backend = make_perf_event_backend();
  counting_workload w;
  std::vector<std::string> counters = file.counters_for({"time_s", "flops_any_simt"});
  ASSERT_EQ(counters.size(), 5u);
  counter_values v;
  try {
    v = backend->collect(w, file, counters);
  } catch (const counters_unavailable& e) {
    GTEST_SKIP() << "software events not permitted here: " << e.what();
  }
  EXPECT_EQ(v.replay, "user");
  EXPECT_EQ(v.passes, 2u);  // 5 events in groups of at most 4
  EXPECT_EQ(w.launches, 2);
  EXPECT_EQ(w.fences, 2);
  EXPECT_EQ(v.values.size(), 5u);
  // task_clock sums this process's threads over one ~3 ms launch.
  EXPECT_GT(v.values.at("task_clock"), 2e6);
  EXPECT_LT(v.values.at("task_clock"), 2e9);
}
#endif

TEST(Cupti, WithoutDriverSaysSo) {
  auto b = make_cupti_backend();
  if (!b) GTEST_SKIP() << "this build has no CUPTI backend";
  try {
    b->device_ids();
    GTEST_SKIP() << "a CUDA context exists here";
  } catch (const counters_unavailable& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("cupti: ", 0), 0u) << what;
    EXPECT_NE(what.find("using the analytic model"), std::string::npos) << what;
  }
}

TEST(ReportOnce, PrintsEachMessageOnce) {
  testing::internal::CaptureStderr();
  report_once("perf_event: test message");
  report_once("perf_event: test message");
  report_once("perf_event: another");
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "ridgeline: counters: perf_event: test message\n"
            "ridgeline: counters: perf_event: another\n");
}

measurement with_counts() {
  measurement m = test::sample_measurement();
  counted_work c;
  c.source = "cupti";
  c.replay = "user";
  c.passes = 2;
  c.metrics_file = "configs/metrics/nvidia/sm_90.yaml";
  c.device_id = "GH100";
  c.work.flops = {{"f32", "simt", 3003000000}};
  c.work.bytes = {{"dram", 1500000000}, {"l2", 9000000000}};
  c.clocks_hz = {{"sm", 1.98e9}};
  c.time_s = 0.0019;
  c.raw = {{"dram__bytes_read.sum", 1e9}};
  m.counted = c;
  return m;
}

TEST(CountedReport, JsonHasTheCountedTwinAndRatios) {
  const auto j = to_json(with_counts());
  const auto& c = j.at("work").at("counted");
  EXPECT_EQ(c.at("source"), "cupti");
  EXPECT_EQ(c.at("replay"), "user");
  EXPECT_EQ(c.at("passes"), 2);
  EXPECT_EQ(c.at("flops").at(0).at("count"), 3003000000u);
  EXPECT_EQ(c.at("bytes").at(0).at("kind"), "counted");
  EXPECT_NEAR(c.at("flops_ratio_to_analytic").get<double>(), 3003000000.0 / 4e9, 1e-12);
  EXPECT_DOUBLE_EQ(c.at("dram_bytes_ratio_to_analytic").get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(c.at("clocks_hz").at("sm").get<double>(), 1.98e9);
  EXPECT_EQ(j.at("work").at("source"), "analytic");  // `work` itself stays the model
  EXPECT_FALSE(to_json(test::sample_measurement()).at("work").contains("counted"));
}

TEST(CountedReport, ConsoleShowsCountedVsAnalytic) {
  std::ostringstream out;
  write_report(out, with_counts());
  const std::string s = out.str();
  EXPECT_NE(s.find("  counts  cupti (user replay, 2 passes; GH100 via "
                   "configs/metrics/nvidia/sm_90.yaml)\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("FLOPs 3003000000 counted vs 4000000000 analytic (0.7508x)"), std::string::npos)
      << s;
  EXPECT_NE(s.find("dram bytes 1500000000 counted vs 1000000000 minimal (1.5000x)"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("sm clock 1.98 GHz, counted launch 1.9 ms"), std::string::npos) << s;
}

}  // namespace
}  // namespace ridgeline::profiler::counters
