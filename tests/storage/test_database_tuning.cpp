// Tuning runs in the database: begin, add evaluations one commit at a time, resume after a kill,
// finish; what readers see at each step.
#include <gtest/gtest.h>
#include <unistd.h>

#include <functional>

#include "../profiler/sample_measurement.hpp"
#include "../support/expect_error.hpp"
#include "storage/database.hpp"
#include "storage_test_support.hpp"

namespace ridgeline::storage {
namespace {

using ridgeline::test::expect_error;

tuning_setup sample_setup() {
  tuning_setup t;
  t.what = {"gemm",
            "kokkos_tiled",
            "f32",
            "OpenMP",
            "m=257,n=129,k=31,alpha=0.5",
            R"({"m":257,"n":129,"k":31,"alpha":0.5})"};
  t.software_key = "compiler=GNU 12.2.0;kokkos=3.4.1;backend=OpenMP";
  t.software_json = R"({"compiler":"GNU 12.2.0"})";
  t.strategy = "genetic";
  t.strategy_options = "population=20";
  t.seed = 18446744073709551615ull;  // uint64 max survives as text
  t.stop_json = R"({"max_evaluations":50})";
  t.floor_time_s = 1e-3;
  return t;
}

profiler::measurement with_time(double median_s) {
  auto m = profiler::test::sample_measurement();
  m.timing->summary.median = median_s;
  return m;
}

// Runs on both engines (storage_test_support.hpp).
class DatabaseTuning : public test::on_both_engines {};
RIDGELINE_ON_BOTH_ENGINES(DatabaseTuning);

TEST_P(DatabaseTuning, RunIsInvisibleUntilFinishedThenCarriesItsBest) {
  database db = database::open(location);
  const auto dev = test::sample_device();
  const std::int64_t run = db.begin_tuning_run(dev, {"ridgeline tune gemm"}, sample_setup());
  const std::int64_t device_id = db.device_id(dev);
  db.add_measurement(run, device_id, with_time(3e-3));
  const std::int64_t best = db.add_measurement(run, device_id, with_time(2e-3));
  EXPECT_TRUE(db.measurements().empty());  // the reader guarantee holds for tuning runs
  EXPECT_TRUE(db.tuned_results("gemm", "kokkos_tiled", "f32").empty());

  db.finish_tuning_run(run, run_status::complete, "budget", best, 2);
  EXPECT_EQ(db.measurements().size(), 2u);
  const auto tuned = db.tuned_results("gemm", "kokkos_tiled", "f32");
  ASSERT_EQ(tuned.size(), 1u);
  EXPECT_EQ(tuned[0].run.stop_reason, "budget");
  EXPECT_EQ(tuned[0].run.evaluations, 2);
  EXPECT_EQ(tuned[0].run.setup.seed, 18446744073709551615ull);
  EXPECT_EQ(tuned[0].run.setup.strategy_options, "population=20");
  EXPECT_DOUBLE_EQ(tuned[0].best.timing->summary.median, 2e-3);
  EXPECT_EQ(tuned[0].device.host, "testhost");
  EXPECT_TRUE(db.tuned_results("gemm", "kokkos_tiled", "f64").empty());
}

TEST_P(DatabaseTuning, UnfinishedRunIsOfferedForResumeOnlyToTheSameSetup) {
  database db = database::open(location);
  const auto dev = test::sample_device();
  const auto setup = sample_setup();
  const std::int64_t run = db.begin_tuning_run(dev, {"ridgeline tune gemm"}, setup);
  db.add_measurement(run, db.device_id(dev), with_time(3e-3));
  // This process wrote it and is still alive, but it is this process: offered (a test, or a
  // caller that lost its handle). Another live process would be refused: see the CLI test.
  auto found = db.resumable_tuning_run(dev, setup);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->run_id, run);

  for (auto change : std::vector<std::function<void(tuning_setup&)>>{
           [](tuning_setup& t) { t.seed = 1; }, [](tuning_setup& t) { t.strategy = "random"; },
           [](tuning_setup& t) { t.software_key = "compiler=GNU 13"; },
           [](tuning_setup& t) { t.what.problem_text = "m=1,n=1,k=1,alpha=0.5"; },
           [](tuning_setup& t) { t.what.dtype = "f64"; }}) {
    auto other = setup;
    change(other);
    EXPECT_FALSE(db.resumable_tuning_run(dev, other));
  }
  auto other_device = dev;
  other_device.host = "elsewhere";
  EXPECT_FALSE(db.resumable_tuning_run(other_device, setup));

  // Resumed runs continue in place; a finished one is no longer offered.
  db.finish_tuning_run(run, run_status::failed, "interrupted", std::nullopt, 1);
  found = db.resumable_tuning_run(dev, setup);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, run_status::failed);
  db.reopen_run(run);
  db.add_measurement(run, db.device_id(dev), with_time(1e-3));
  measurement_filter mine;
  mine.run_id = run;
  mine.include_unfinished = true;
  const auto rows = db.stored_measurements(mine);
  EXPECT_EQ(rows.size(), 2u);
  db.finish_tuning_run(run, run_status::complete, "budget", rows.back().id, 2);
  EXPECT_FALSE(db.resumable_tuning_run(dev, setup));
  expect_error<runtime_error>([&] { db.reopen_run(run); }, {"not an unfinished run"});
}

TEST_P(DatabaseTuning, EvaluationsPerMinuteIsStoredWithTheRunAndUnknownStaysNull) {
  database db = database::open(location);
  const auto dev = test::sample_device();
  auto setup = sample_setup();
  const std::int64_t paced = db.begin_tuning_run(dev, {"tune"}, setup);
  db.finish_tuning_run(paced, run_status::complete, "budget", std::nullopt, 2, 37.5);
  setup.seed = 2;
  const std::int64_t unpaced = db.begin_tuning_run(dev, {"tune"}, setup);
  db.finish_tuning_run(unpaced, run_status::complete, "budget", std::nullopt, 0);
  const auto runs = db.tuning_runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].run_id, paced);
  ASSERT_TRUE(runs[0].evaluations_per_minute);
  EXPECT_DOUBLE_EQ(*runs[0].evaluations_per_minute, 37.5);
  EXPECT_FALSE(runs[1].evaluations_per_minute);  // nothing measured: NULL, not 0
}

TEST_P(DatabaseTuning, FinishingTwiceOrAPlainRunIsRefused) {
  database db = database::open(location);
  const auto dev = test::sample_device();
  const std::int64_t run = db.begin_tuning_run(dev, {"tune"}, sample_setup());
  db.finish_tuning_run(run, run_status::complete, "exhausted", std::nullopt, 0);
  expect_error<runtime_error>(
      [&] { db.finish_tuning_run(run, run_status::complete, "budget", std::nullopt, 0); },
      {"is not running"});
  const std::int64_t plain = db.begin_run({"run"});
  expect_error<runtime_error>(
      [&] { db.finish_tuning_run(plain, run_status::complete, "budget", std::nullopt, 0); },
      {"is not a tuning run"});
  // The failed transaction left the plain run as it was.
  EXPECT_EQ(db.runs().back().status, run_status::running);
  EXPECT_EQ(db.tuning_runs().size(), 1u);
}

}  // namespace
}  // namespace ridgeline::storage
