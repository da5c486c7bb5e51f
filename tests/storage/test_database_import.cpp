// Imported profiler files in the database: one transaction per file, the content hash as the
// duplicate key, rows on several devices of one file.
#include <gtest/gtest.h>

#include <cmath>

#include "../profiler/sample_measurement.hpp"
#include "storage/database.hpp"
#include "storage_test_support.hpp"

namespace ridgeline::storage {
namespace {

import_record sample_import(const std::string& sha) {
  import_record r;
  r.content_sha256 = sha;
  r.path = "/data/run1.csv";
  r.format = "ncu-raw";
  r.tool = "ncu";
  r.tool_version = "2025.3.0";
  return r;
}

imported_row row_on(const std::string& device_name, const std::string& kernel) {
  imported_row r;
  r.device = test::sample_device();
  r.device.name = device_name;
  r.device.backend = "imported:ncu";
  r.record = profiler::test::sample_measurement();
  r.record.kernel = kernel;
  r.record.variant = "imported:ncu";
  return r;
}

// Runs on both engines (storage_test_support.hpp).
class DatabaseImport : public test::on_both_engines {};
RIDGELINE_ON_BOTH_ENGINES(DatabaseImport);

TEST_P(DatabaseImport, OneFileIsOneCompleteRunWithItsImportRow) {
  database db = database::open(location);
  const auto run = db.record_import({row_on("NVIDIA H200", "gemm_a"), row_on("NVIDIA H100", "b")},
                                    {"ridgeline import x.csv"}, sample_import("abc"));
  ASSERT_TRUE(run.has_value());
  const auto stored = db.stored_measurements();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].run_id, *run);
  EXPECT_NE(stored[0].device_id, stored[1].device_id);  // two GPUs in one file: two devices
  EXPECT_EQ(stored[1].device.name, "NVIDIA H100");
  const auto imports = db.imports();
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].run_id, *run);
  EXPECT_EQ(imports[0].launches, 2);
  EXPECT_EQ(imports[0].tool_version, "2025.3.0");
  EXPECT_EQ(db.runs().back().status, run_status::complete);
}

TEST_P(DatabaseImport, SameContentTwiceAddsNothing) {
  database db = database::open(location);
  ASSERT_TRUE(db.record_import({row_on("NVIDIA H200", "k")}, {"first"}, sample_import("same")));
  const std::string before = db.export_json().dump();
  const auto again = db.record_import({row_on("NVIDIA H200", "k"), row_on("NVIDIA H200", "k2")},
                                      {"second"}, sample_import("same"));
  EXPECT_FALSE(again.has_value());
  EXPECT_EQ(db.export_json().dump(), before);
  EXPECT_EQ(db.runs().size(), 1u);  // not even an empty run
  EXPECT_EQ(db.imports().size(), 1u);
  // Other content is another import, and so is the same content onto a card the user names.
  EXPECT_TRUE(db.record_import({row_on("NVIDIA H200", "k")}, {"third"}, sample_import("other")));
  import_record named = sample_import("same");
  named.device_option = "h100_sxm";
  EXPECT_TRUE(db.record_import({row_on("NVIDIA H200", "k")}, {"fourth"}, named));
  EXPECT_FALSE(db.record_import({row_on("NVIDIA H200", "k")}, {"fifth"}, named));
  ASSERT_EQ(db.imports().size(), 3u);
  EXPECT_EQ(db.imports()[2].device_option, "h100_sxm");
}

TEST_P(DatabaseImport, AFailingRowLeavesNothingOfTheFile) {
  database db = database::open(location);
  imported_row bad = row_on("NVIDIA H200", "k");
  // SQLite stores a NaN as NULL: a median without a value breaks the table's CHECK (median and
  // samples go together), after the first row was written.
  bad.record.timing->summary.median = std::nan("");
  EXPECT_ANY_THROW(db.record_import({row_on("NVIDIA H200", "ok"), bad}, {"x"}, sample_import("h")));
  EXPECT_TRUE(db.runs().empty());
  EXPECT_TRUE(db.imports().empty());
  measurement_filter everything;
  everything.include_unfinished = true;
  EXPECT_TRUE(db.measurements(everything).empty());
  // The hash was not taken by the failed attempt.
  EXPECT_TRUE(db.record_import({row_on("NVIDIA H200", "ok")}, {"y"}, sample_import("h")));
}

}  // namespace
}  // namespace ridgeline::storage
