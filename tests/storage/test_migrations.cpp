// Opening and migrating (storage/detail/migrations.cpp, database::open): a new file gets the
// latest version, reopening changes nothing, and a file this build must not touch — a newer
// schema, not SQLite, another application's database — is refused with one line and left as it was.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "storage/database.hpp"
#include "storage/detail/migrations.hpp"
#include "tests/profiler/sample_measurement.hpp"
#include "tests/storage/storage_test_support.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::storage {
namespace {

using ridgeline::test::expect_error;

TEST(Migrations, NumberedFromOneWithoutGaps) {
  const auto& all = detail::migrations();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].version, static_cast<int>(i + 1));
  EXPECT_EQ(database::latest_schema_version(), all.back().version);
}

TEST(Migrations, FreshDatabaseGetsTheLatestVersionInWalMode) {
  test::temp_dir dir;
  const std::string path = dir.file("fresh.sqlite");
  {
    database db = database::open(path);
    EXPECT_EQ(db.version_at_open(), 0);
    EXPECT_EQ(db.schema_version(), database::latest_schema_version());
    EXPECT_TRUE(db.runs().empty());
  }
  test::raw_db raw(path);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), std::to_string(database::latest_schema_version()));
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");  // persistent in the file
  EXPECT_EQ(raw.scalar("PRAGMA application_id"), std::to_string(detail::application_id));
  // runs, devices, roofs, measurements (v1); tuning_runs (v2); imports (v3); nightly_runs,
  // nightly_entries, nightly_flags (v4).
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'"), "9");
}

TEST(Migrations, ReopeningIsANoOp) {
  test::temp_dir dir;
  const std::string path = dir.file("again.sqlite");
  database::open(path).record(test::sample_device(), {profiler::test::sample_measurement()}, {"x"});
  const std::string before = test::file_bytes(path);
  {
    database db = database::open(path);
    EXPECT_EQ(db.version_at_open(), database::latest_schema_version());
    EXPECT_EQ(db.schema_version(), database::latest_schema_version());
    EXPECT_EQ(db.measurements().size(), 1u);
  }
  EXPECT_EQ(test::file_bytes(path), before);  // not a byte written
}

TEST(Migrations, NewerSchemaIsRefusedAndLeftUntouched) {
  test::temp_dir dir;
  const std::string path = dir.file("newer.sqlite");
  database::open(path).record(test::sample_device(), {profiler::test::sample_measurement()}, {"x"});
  test::raw_db(path).exec("PRAGMA user_version = 99");
  const std::string before = test::file_bytes(path);
  expect_error<runtime_error>(
      [&] { database::open(path); },
      {path, "schema version 99 is newer than this build's " +
                 std::to_string(database::latest_schema_version()) + "; upgrade ridgeline"});
  EXPECT_EQ(test::file_bytes(path), before);
  EXPECT_EQ(test::raw_db(path).scalar("PRAGMA user_version"), "99");
}

TEST(Migrations, NewerSchemaInRollbackModeIsNotSwitchedToWal) {
  // Switching the journal mode writes the header; the refusal must come first.
  test::temp_dir dir;
  const std::string path = dir.file("newer-rollback.sqlite");
  {
    test::raw_db raw(path);
    raw.exec("CREATE TABLE t (x); PRAGMA user_version = 7; PRAGMA application_id = " +
             std::to_string(detail::application_id));
  }
  const std::string before = test::file_bytes(path);
  expect_error<runtime_error>([&] { database::open(path); }, {"schema version 7 is newer"});
  EXPECT_EQ(test::file_bytes(path), before);
  EXPECT_EQ(test::raw_db(path).scalar("PRAGMA journal_mode"), "delete");
}

TEST(Migrations, FileThatIsNotSqliteIsRefused) {
  test::temp_dir dir;
  const std::string path = dir.file("results.csv");
  std::ofstream(path) << "measurement_id,run_id\n1,1\n";
  const std::string before = test::file_bytes(path);
  expect_error<runtime_error>([&] { database::open(path); }, {path, "not an SQLite database"});
  EXPECT_EQ(test::file_bytes(path), before);
}

TEST(Migrations, AnotherApplicationsDatabaseIsRefused) {
  test::temp_dir dir;
  const std::string tables = dir.file("tables.sqlite");
  test::raw_db(tables).exec("CREATE TABLE songs (title TEXT)");
  expect_error<runtime_error>([&] { database::open(tables); },
                              {tables, "not a Ridgeline database", "no Ridgeline schema version"});

  const std::string app = dir.file("app.sqlite");
  test::raw_db(app).exec("PRAGMA application_id = 1234");
  expect_error<runtime_error>([&] { database::open(app); },
                              {app, "not a Ridgeline database", "application_id 0x4d2"});
}

TEST(Migrations, EmptyFileBecomesADatabase) {
  test::temp_dir dir;
  const std::string path = dir.file("empty.sqlite");
  std::ofstream{path};
  EXPECT_EQ(database::open(path).schema_version(), database::latest_schema_version());
}

TEST(Migrations, OpenCreatesParentDirectories) {
  test::temp_dir dir;
  const std::string path = dir.file("a/b/c/ridgeline.sqlite");
  EXPECT_EQ(database::open(path).schema_version(), database::latest_schema_version());
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(Migrations, Version1FileGainsTuningRunsAndKeepsItsRows) {
  // A file written by a version-1 build: the tables of version 1 and user_version 1.
  test::temp_dir dir;
  const std::string path = dir.file("v1.sqlite");
  database::open(path).record(test::sample_device(), {profiler::test::sample_measurement()}, {"x"});
  test::raw_db(path).exec(
      "DROP TABLE nightly_flags; DROP TABLE nightly_entries; DROP TABLE nightly_runs; "
      "DROP TABLE imports; DROP TABLE tuning_runs; PRAGMA user_version = 1");
  {
    database db = database::open(path);
    EXPECT_EQ(db.version_at_open(), 1);
    EXPECT_EQ(db.schema_version(), database::latest_schema_version());
    EXPECT_EQ(db.measurements().size(), 1u);
    EXPECT_TRUE(db.tuning_runs().empty());
    EXPECT_TRUE(db.nightly_runs().empty());
  }
  EXPECT_EQ(
      test::raw_db(path).scalar("SELECT count(*) FROM sqlite_master WHERE name = 'tuning_runs'"),
      "1");
}

TEST(Migrations, Version4FileGainsEvaluationsPerMinuteAndKeepsItsTuningRuns) {
  // A file written by a version-4 build: a finished tuning run, no evaluations_per_minute column.
  test::temp_dir dir;
  const std::string path = dir.file("v4.sqlite");
  std::int64_t run = 0;
  {
    database db = database::open(path);
    tuning_setup setup;
    setup.what = {"gemm", "kokkos_tiled", "f32", "OpenMP", "m=8,n=8,k=8", R"({"m":8})"};
    setup.strategy = "random";
    run = db.begin_tuning_run(test::sample_device(), {"tune"}, setup);
    db.finish_tuning_run(run, run_status::complete, "budget", std::nullopt, 3);
  }
  test::raw_db(path).exec(
      "ALTER TABLE tuning_runs DROP COLUMN evaluations_per_minute; PRAGMA user_version = 4");
  {
    database db = database::open(path);
    EXPECT_EQ(db.version_at_open(), 4);
    EXPECT_EQ(db.schema_version(), 5);
    const auto runs = db.tuning_runs();
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].run_id, run);
    EXPECT_EQ(runs[0].evaluations, 3);
    EXPECT_FALSE(runs[0].evaluations_per_minute);  // unknown for a run from before version 5
  }
  test::raw_db raw(path);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), "5");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM pragma_table_info('tuning_runs') "
                       "WHERE name = 'evaluations_per_minute'"),
            "1");
}

TEST(Migrations, UnwritableDirectoryNamesThePath) {
  test::temp_dir dir;
  const std::string blocker = dir.file("file");
  std::ofstream{blocker};
  expect_error<runtime_error>([&] { database::open(blocker + "/sub/x.sqlite"); },
                              {"cannot create directory", blocker});
}

}  // namespace
}  // namespace ridgeline::storage
