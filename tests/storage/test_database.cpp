// Writing and reading back: the round trip of the one result record, all-or-nothing runs, the
// reader guarantee for runs written one row at a time, devices, roofs and foreign keys.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>

#include "profiler/measurement_json.hpp"
#include "storage/database.hpp"
#include "storage/run_writer.hpp"
#include "tests/profiler/sample_measurement.hpp"
#include "tests/storage/storage_test_support.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::storage {
namespace {

using profiler::measurement;
using profiler::test::sample_measurement;

measurement untimed_measurement() {
  measurement m = sample_measurement();
  m.timing.reset();
  m.check.reset();
  m.params.clear();
  m.outcome = profiler::status::invalid_config;
  m.reason = "violates: tile_m is a multiple of reg_m";
  return m;
}

// Field-by-field equality through the documented JSON form (every field, doubles exactly).
void expect_same(const measurement& a, const measurement& b) {
  EXPECT_EQ(profiler::to_json(a).dump(2), profiler::to_json(b).dump(2));
}

// Every test here runs on both engines (storage_test_support.hpp).
class DatabaseTest : public ::testing::TestWithParam<test::engine_under_test> {
 protected:
  void SetUp() override {
    if (location.empty()) GTEST_SKIP() << "RIDGELINE_TEST_PG_URL is not set";
  }
  test::temp_dir dir;
  std::string location = test::fresh_database(GetParam(), dir, "results.sqlite");
  // A skipped test still constructs the fixture: it opens a file nobody reads.
  database db = database::open(location.empty() ? dir.file("unused.sqlite") : location);
};

INSTANTIATE_TEST_SUITE_P(Engines, DatabaseTest,
                         ::testing::Values(test::engine_under_test::sqlite,
                                           test::engine_under_test::postgresql),
                         test::engine_name);

TEST_P(DatabaseTest, RoundTripWithTimingAndCheck) {
  const measurement m = sample_measurement();
  db.record(test::sample_device(), {m}, {"ridgeline run gemm"});
  const auto back = db.measurements();
  ASSERT_EQ(back.size(), 1u);
  expect_same(back[0], m);
  // What JSON equality could hide: the integer flag, pair order, exact 64-bit values.
  ASSERT_EQ(back[0].problem.size(), 4u);
  EXPECT_TRUE(back[0].problem[0].integer);
  EXPECT_FALSE(back[0].problem[3].integer);
  EXPECT_EQ(back[0].params, m.params);
  EXPECT_EQ(back[0].provenance, m.provenance);
  EXPECT_EQ(back[0].check->seed, 18446744073709551615ull);
  EXPECT_EQ(back[0].timing->samples, m.timing->samples);
  EXPECT_EQ(back[0].timing->summary.count, 4u);
  EXPECT_EQ(back[0].timing->stopped, profiler::stop_reason::time_cap);
  EXPECT_EQ(back[0].work.bytes[1].count, 4000000000u);
}

TEST_P(DatabaseTest, RoundTripWithoutTimingOrCheck) {
  const measurement m = untimed_measurement();
  db.record(test::sample_device(), {m}, {"ridgeline run gemm"});
  const auto back = db.measurements();
  ASSERT_EQ(back.size(), 1u);
  expect_same(back[0], m);
  EXPECT_FALSE(back[0].timing);
  EXPECT_FALSE(back[0].check);
  EXPECT_TRUE(back[0].params.empty());
  EXPECT_EQ(back[0].outcome, profiler::status::invalid_config);
}

TEST_P(DatabaseTest, NanCheckErrorReadsBackAsNan) {
  // A check over output left poisoned reports NaN errors; JSON stores them as null.
  measurement m = sample_measurement();
  m.check->max_abs_error = std::numeric_limits<double>::quiet_NaN();
  m.check->passed = false;
  db.record(test::sample_device(), {m}, {"x"});
  const auto back = db.measurements();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_TRUE(std::isnan(back[0].check->max_abs_error));
  EXPECT_FALSE(back[0].check->passed);
}

TEST_P(DatabaseTest, RecordIsAllOrNothing) {
  measurement bad = sample_measurement();
  bad.outcome = static_cast<profiler::status>(42);  // fails the status CHECK constraint
  ridgeline::test::expect_error<runtime_error>(
      [&] {
        db.record(test::sample_device(), {sample_measurement(), bad}, {"x"});
      },
      {test::check_failed_words(GetParam())});
  EXPECT_TRUE(db.runs().empty());
  measurement_filter all;
  all.include_unfinished = true;
  EXPECT_TRUE(db.measurements(all).empty());
  EXPECT_FALSE(db.device(1));  // the device insert was rolled back with the rest
}

TEST_P(DatabaseTest, RecordedRunIsComplete) {
  const auto run = db.record(test::sample_device(), {sample_measurement()}, {"ridgeline run x"});
  const auto runs = db.runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].id, run);
  EXPECT_EQ(runs[0].status, run_status::complete);
  EXPECT_EQ(runs[0].command, "ridgeline run x");
  EXPECT_TRUE(runs[0].finished_at);
  EXPECT_GT(runs[0].pid, 0);
}

TEST_P(DatabaseTest, FilterSelectsByEveryField) {
  measurement f64 = sample_measurement();
  f64.dtype = "f64";
  const auto first = db.record(test::sample_device(), {sample_measurement(), f64}, {"a"});
  db.record(test::sample_device(), {untimed_measurement()}, {"b"});

  measurement_filter f;
  EXPECT_EQ(db.measurements(f).size(), 3u);
  f.dtype = "f64";
  EXPECT_EQ(db.measurements(f).size(), 1u);
  f = {};
  f.run_id = first;
  EXPECT_EQ(db.measurements(f).size(), 2u);
  f = {};
  f.status = "invalid_config";
  EXPECT_EQ(db.measurements(f).size(), 1u);
  f = {};
  f.kernel = "gemm";
  f.variant = "kokkos_tiled";
  f.backend = "OpenMP";
  f.problem_text = "m=257,n=129,k=31,alpha=0.5";
  EXPECT_EQ(db.measurements(f).size(), 3u);
  f.problem_text = "m=1";
  EXPECT_TRUE(db.measurements(f).empty());
  f = {};
  f.device_id = db.device_id(test::sample_device());
  EXPECT_EQ(db.measurements(f).size(), 3u);
}

TEST_P(DatabaseTest, IncrementalRunIsHiddenUntilFinished) {
  measurement_filter unfinished;
  unfinished.include_unfinished = true;
  run_writer w(db, test::sample_device(), {"ridgeline tune gemm"});
  w.add(sample_measurement());
  w.add(untimed_measurement());
  EXPECT_TRUE(db.measurements().empty());  // half a run: invisible
  EXPECT_EQ(db.measurements(unfinished).size(), 2u);
  EXPECT_EQ(db.runs().at(0).status, run_status::running);
  w.finish();
  EXPECT_EQ(db.measurements().size(), 2u);
  EXPECT_EQ(db.runs().at(0).status, run_status::complete);
}

TEST_P(DatabaseTest, AbandonedWriterMarksRunFailedAndHidden) {
  {
    run_writer w(db, test::sample_device(), {"ridgeline tune gemm"});
    w.add(sample_measurement());
  }
  EXPECT_EQ(db.runs().at(0).status, run_status::failed);
  EXPECT_TRUE(db.runs().at(0).finished_at);
  EXPECT_TRUE(db.measurements().empty());
}

TEST_P(DatabaseTest, CompleteRunTakesNoMoreRows) {
  const auto run = db.record(test::sample_device(), {}, {"x"});
  const auto device = db.device_id(test::sample_device());
  ridgeline::test::expect_error<runtime_error>(
      [&] { db.add_measurement(run, device, sample_measurement()); },
      {"run 1 is complete", "running runs only"});
  ridgeline::test::expect_error<runtime_error>([&] { db.finish_run(run, run_status::complete); },
                                               {"run 1 is not running"});
  ridgeline::test::expect_error<runtime_error>(
      [&] { db.add_measurement(99, device, sample_measurement()); }, {"no run 99"});
}

TEST_P(DatabaseTest, ForeignKeysAreEnforced) {
  const auto run = db.begin_run({"x"});
  ridgeline::test::expect_error<runtime_error>(
      [&] { db.add_measurement(run, 12345, sample_measurement()); },
      {test::foreign_key_failed_words(GetParam())});
}

TEST_P(DatabaseTest, DeviceIdentityIsUnique) {
  device_identity d = test::sample_device();
  const auto id = db.device_id(d);
  EXPECT_EQ(db.device_id(d), id);
  d.catalog_id = "epyc_9b14_2c";
  EXPECT_EQ(db.device_id(d), id);
  d.catalog_id.reset();  // absent: the stored catalog id stays
  EXPECT_EQ(db.device_id(d), id);
  EXPECT_EQ(db.device(id)->catalog_id, "epyc_9b14_2c");
  d.host = "otherhost";
  EXPECT_NE(db.device_id(d), id);
  EXPECT_FALSE(db.device(999));
}

profiler::roof_set roofs_of(profiler::roof_source source, double scale) {
  profiler::roof_set r;
  r.source = source;
  r.compute = {{"f32", "simt", 1e12 * scale, "measured"}, {"f64", "simt", 5e11 * scale, "x"}};
  r.bandwidth = {{"dram", 5e10 * scale, "measured"}, {"l1", 1e12 * scale, "measured"}};
  return r;
}

TEST_P(DatabaseTest, RoofsLatestCompleteSetOfEachSource) {
  const device_identity d = test::sample_device();
  EXPECT_FALSE(db.roofs(d, profiler::roof_source::measured));
  db.record_roofs(d, roofs_of(profiler::roof_source::datasheet, 2), {"catalog"}, "epyc.yaml");
  db.record_roofs(d, roofs_of(profiler::roof_source::measured, 1), {"ceilings"}, "sweep 1");
  db.record_roofs(d, roofs_of(profiler::roof_source::measured, 0.5), {"ceilings"}, "sweep 2");

  const auto measured = db.roofs(d, profiler::roof_source::measured);
  ASSERT_TRUE(measured);
  EXPECT_EQ(measured->source, profiler::roof_source::measured);
  EXPECT_EQ(measured->device, "AMD EPYC 9B14");
  ASSERT_EQ(measured->compute.size(), 2u);
  EXPECT_EQ(measured->compute[0].precision, "f32");
  EXPECT_EQ(measured->compute[0].unit, "simt");
  EXPECT_EQ(measured->compute[0].flop_per_s, 5e11);  // the latest sweep, not the first
  ASSERT_EQ(measured->bandwidth.size(), 2u);
  EXPECT_EQ(measured->bandwidth[0].level, "dram");
  EXPECT_EQ(measured->bandwidth[0].byte_per_s, 2.5e10);
  EXPECT_EQ(measured->bandwidth[1].confidence, "measured");
  // When they were measured: what names the set if one of its roofs proves wrong.
  EXPECT_EQ(measured->measured_at.size(), std::string("2026-11-26T07:12:03.123Z").size())
      << measured->measured_at;
  EXPECT_NE(profiler::origin_text(*measured).find("measured ceilings of " + measured->measured_at +
                                                  " on AMD EPYC 9B14"),
            std::string::npos);

  const auto datasheet = db.roofs(d, profiler::roof_source::datasheet);
  ASSERT_TRUE(datasheet);
  EXPECT_EQ(datasheet->compute[0].flop_per_s, 2e12);  // never mixed with the measured ones
  EXPECT_EQ(datasheet->measured_at, "");

  device_identity other = d;
  other.host = "elsewhere";
  EXPECT_FALSE(db.roofs(other, profiler::roof_source::measured));
}

TEST_P(DatabaseTest, RoofsRejectNonPositiveValues) {
  profiler::roof_set r = roofs_of(profiler::roof_source::measured, 1);
  r.bandwidth[1].byte_per_s = 0;
  ridgeline::test::expect_error<runtime_error>(
      [&] { db.record_roofs(test::sample_device(), r, {"ceilings"}, ""); },
      {test::check_failed_words(GetParam())});
  EXPECT_FALSE(db.roofs(test::sample_device(), profiler::roof_source::measured));
}

TEST_P(DatabaseTest, MovesKeepTheConnection) {
  static_assert(std::is_move_constructible_v<database> && std::is_move_assignable_v<database>);
  static_assert(!std::is_copy_constructible_v<database>);
  database moved = std::move(db);
  moved.record(test::sample_device(), {sample_measurement()}, {"x"});
  EXPECT_EQ(moved.measurements().size(), 1u);
  EXPECT_EQ(moved.path(), location);
}

TEST_P(DatabaseTest, IntegrityCheckIsOk) {
  db.record(test::sample_device(), {sample_measurement()}, {"x"});
  EXPECT_EQ(db.integrity_check(), "ok");
}

}  // namespace
}  // namespace ridgeline::storage
