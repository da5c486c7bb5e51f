// The nightly tables (storage/database_nightly.cpp) and the history read from them
// (nightly/history.hpp): begin, commit entries, resume after a kill, finish with flags; which
// nights a series holds and which configuration the next night re-measures.
#include <gtest/gtest.h>

#include "../profiler/sample_measurement.hpp"
#include "../storage/storage_test_support.hpp"
#include "../support/expect_error.hpp"
#include "nightly/history.hpp"
#include "storage/database.hpp"

namespace ridgeline::storage {
namespace {

using ridgeline::test::expect_error;

nightly_setup sample_setup(const std::string& hardware_type = "xeon-vm") {
  return {"cpu-quick",
          "configs/nightly/cpu-quick.yaml",
          "ab12",
          hardware_type,
          "compiler=GNU 12.2.0",
          R"({"compiler":"GNU 12.2.0","git_revision":"abc"})"};
}

profiler::measurement timed(double median_s, const std::string& tile) {
  auto m = profiler::test::sample_measurement();
  m.timing->summary.median = median_s;
  m.timing->samples = {median_s, median_s * 1.01, median_s * 0.99};
  m.params = {{"tile_m", tile}};
  return m;
}

// One night of one entry: a tuning run whose best has `best_s`, plus optionally the previous
// best re-measured at `previous_s`; the night finished with `verdict`.
std::int64_t night(database& db, const device_identity& dev, double best_s,
                   std::optional<double> previous_s, nightly_verdict verdict,
                   const std::string& hardware_type = "xeon-vm") {
  const std::int64_t run =
      db.begin_nightly_run(dev, {"ridgeline nightly"}, sample_setup(hardware_type));
  tuning_setup t;
  t.what = {"gemm", "kokkos_tiled", "f32", "OpenMP", "m=64,n=64,k=64", R"({"m":64})"};
  t.strategy = "random";
  const std::int64_t tuning = db.begin_tuning_run(dev, {"tune"}, t);
  const std::int64_t best = db.add_measurement(tuning, db.device_id(dev), timed(best_s, "64"));
  db.finish_tuning_run(tuning, run_status::complete, "budget", best, 1);
  nightly_entry_record e;
  e.nightly_run_id = run;
  e.entry_key = "gemm/kokkos_tiled/f32/m=64,n=64,k=64";
  e.what = t.what;
  e.tuning_run_id = tuning;
  e.best_measurement_id = best;
  e.default_measurement_id = best;
  if (previous_s) {
    e.previous_best_measurement_id =
        db.add_measurement(run, db.device_id(dev), timed(*previous_s, "32"));
  }
  e.checks_passed = true;
  db.add_nightly_entry(e);
  db.finish_nightly_run(run, run_status::complete, verdict, {}, "");
  return run;
}

// Runs on both engines (storage_test_support.hpp).
class NightlyHistory : public test::on_both_engines {};
RIDGELINE_ON_BOTH_ENGINES(NightlyHistory);

// Runs on both engines (storage_test_support.hpp).
class NightlyStorage : public test::on_both_engines {};
RIDGELINE_ON_BOTH_ENGINES(NightlyStorage);

TEST_P(NightlyStorage, ARunIsCommittedEntryByEntryAndFinishedWithItsFlags) {
  database db = database::open(location);
  const auto dev = test::sample_device();
  const std::int64_t run =
      db.begin_nightly_run(dev, {"ridgeline nightly job.yaml"}, sample_setup());
  nightly_entry_record e;
  e.nightly_run_id = run;
  e.entry_key = "gemm/kokkos_tiled/f32/m=64";
  e.what = {"gemm", "kokkos_tiled", "f32", "OpenMP", "m=64", R"({"m":64})"};
  e.checks_passed = false;
  e.note = "no configuration ran ok";
  const std::int64_t id = db.add_nightly_entry(e);
  // Entry keys are unique within a run: committing one twice is refused, not duplicated.
  expect_error<runtime_error>([&] { db.add_nightly_entry(e); },
                              {test::unique_failed_words(GetParam())});

  auto runs = db.nightly_runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, run_status::running);
  EXPECT_FALSE(runs[0].verdict);
  EXPECT_EQ(runs[0].setup.job_sha256, "ab12");

  nightly_flag_record f;
  f.entry_key = e.entry_key;
  f.test = "mann_whitney";
  f.effect = 0.25;
  f.p_value = 1e-9;
  f.compared_json = R"({"baseline_run":1})";
  f.message = "25% slower";
  db.finish_nightly_run(run, run_status::complete, nightly_verdict::regression, {f},
                        "reports/run-1.html");
  runs = db.nightly_runs("xeon-vm");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, run_status::complete);
  EXPECT_EQ(runs[0].verdict, nightly_verdict::regression);
  EXPECT_EQ(runs[0].report_path, "reports/run-1.html");
  EXPECT_TRUE(db.nightly_runs("other-type").empty());
  const auto entries = db.nightly_entries(run);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].id, id);
  EXPECT_EQ(entries[0].note, "no configuration ran ok");
  EXPECT_FALSE(entries[0].checks_passed);
  const auto flags = db.nightly_flags(run);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].test, "mann_whitney");
  EXPECT_DOUBLE_EQ(flags[0].effect, 0.25);
  EXPECT_DOUBLE_EQ(*flags[0].p_value, 1e-9);
  expect_error<runtime_error>(
      [&] { db.finish_nightly_run(run, run_status::complete, std::nullopt, {}, ""); },
      {"not running"});
}

TEST_P(NightlyStorage, AnUnfinishedRunIsResumedOnlyBySameJobOnTheSameMachine) {
  database db = database::open(location);
  const auto dev = test::sample_device();
  const std::int64_t run = db.begin_nightly_run(dev, {"ridgeline nightly"}, sample_setup());
  db.finish_nightly_run(run, run_status::failed, std::nullopt, {}, "");  // killed, then cleaned up
  auto found = db.resumable_nightly_run(dev, sample_setup());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->run_id, run);
  auto edited = sample_setup();
  edited.job_sha256 = "cd34";  // the job file changed: a new night, not a continuation
  EXPECT_FALSE(db.resumable_nightly_run(dev, edited));
  EXPECT_FALSE(db.resumable_nightly_run(dev, sample_setup("another-type")));
  auto elsewhere = dev;
  elsewhere.host = "node-2";
  EXPECT_FALSE(db.resumable_nightly_run(elsewhere, sample_setup()));
  db.reopen_run(run);
  db.finish_nightly_run(run, run_status::complete, nightly_verdict::pass, {}, "");
  EXPECT_FALSE(db.resumable_nightly_run(dev, sample_setup()));
}

TEST_P(NightlyHistory, TheSeriesHoldsEachCompleteNightsFasterOfBestAndPreviousBest) {
  database db = database::open(location);
  const auto dev = test::sample_device();
  const std::int64_t a = night(db, dev, 2e-3, std::nullopt, nightly_verdict::pass);
  const std::int64_t b = night(db, dev, 2e-3, 1.5e-3, nightly_verdict::pass);
  const std::int64_t c = night(db, dev, 3e-3, 3.5e-3, nightly_verdict::regression);
  night(db, dev, 1e-3, std::nullopt, nightly_verdict::pass, "other-type");
  const std::string key = "gemm/kokkos_tiled/f32/m=64,n=64,k=64";

  const auto series = nightly::entry_history(db, "xeon-vm", key, c + 1);
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[0].nightly_run_id, a);
  EXPECT_DOUBLE_EQ(series[0].median_s, 2e-3);
  EXPECT_FALSE(series[0].from_previous_best);
  EXPECT_EQ(series[1].nightly_run_id, b);
  EXPECT_DOUBLE_EQ(series[1].median_s, 1.5e-3);  // the re-measured previous best was faster
  EXPECT_TRUE(series[1].from_previous_best);
  EXPECT_EQ(series[1].params, "tile_m=32");
  EXPECT_EQ(series[2].nightly_run_id, c);
  EXPECT_FALSE(series[2].good);
  EXPECT_EQ(series[2].samples.size(), 3u);
  EXPECT_EQ(nightly::entry_history(db, "xeon-vm", key, b).size(), 1u);  // before b: a only

  // The next night re-measures what the last *good* night ended with (b's), not c's.
  const auto previous = nightly::latest_good_best(db, "xeon-vm", key, c + 1);
  ASSERT_TRUE(previous);
  EXPECT_EQ(previous->nightly_run_id, b);
  EXPECT_EQ(previous->params, "tile_m=32");
  EXPECT_FALSE(nightly::latest_good_best(db, "xeon-vm", "no/such/key", c + 1));
}

TEST_P(NightlyStorage, WisdomTakesANightsTuningRunsOnlyOnceTheNightPassedItsChecks) {
  database db = database::open(location);
  const auto dev = test::sample_device();
  night(db, dev, 2e-3, std::nullopt, nightly_verdict::pass);
  night(db, dev, 3e-3, std::nullopt, nightly_verdict::regression);  // slower, but correct
  night(db, dev, 1e-3, std::nullopt, nightly_verdict::checks_failed);
  EXPECT_EQ(db.tuned_results("gemm", "kokkos_tiled", "f32").size(), 2u);

  // A night still running (or killed): its finished tuning run waits for the verdict.
  const std::int64_t run = db.begin_nightly_run(dev, {"ridgeline nightly"}, sample_setup());
  tuning_setup t;
  t.what = {"gemm", "kokkos_tiled", "f32", "OpenMP", "m=64,n=64,k=64", R"({"m":64})"};
  const std::int64_t tuning = db.begin_tuning_run(dev, {"tune"}, t);
  const std::int64_t best = db.add_measurement(tuning, db.device_id(dev), timed(5e-4, "8"));
  db.finish_tuning_run(tuning, run_status::complete, "budget", best, 1);
  nightly_entry_record e;
  e.nightly_run_id = run;
  e.entry_key = "k";
  e.what = t.what;
  e.tuning_run_id = tuning;
  e.best_measurement_id = best;
  e.checks_passed = true;
  db.add_nightly_entry(e);
  EXPECT_EQ(db.tuned_results("gemm", "kokkos_tiled", "f32").size(), 2u);
  db.finish_nightly_run(run, run_status::complete, nightly_verdict::pass, {}, "");
  EXPECT_EQ(db.tuned_results("gemm", "kokkos_tiled", "f32").size(), 3u);
}

}  // namespace
}  // namespace ridgeline::storage
