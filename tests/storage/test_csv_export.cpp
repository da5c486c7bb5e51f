// The CSV contract ("ridgeline.results.csv/1", docs/database.md): compared byte for byte with a
// golden file, so a renamed, reordered or re-formatted column fails here before a reader breaks.
#include <gtest/gtest.h>

#include <algorithm>

#include "profiler/measurement_json.hpp"
#include "storage/csv_export.hpp"
#include "storage/database.hpp"
#include "tests/profiler/sample_measurement.hpp"
#include "tests/storage/golden.hpp"
#include "tests/storage/storage_test_support.hpp"

namespace ridgeline::storage {
namespace {

using profiler::test::sample_measurement;

// The sample, and the same case refused as an invalid configuration (no timing, no check).
std::vector<profiler::measurement> two_records() {
  profiler::measurement invalid = sample_measurement();
  invalid.timing.reset();
  invalid.check.reset();
  invalid.outcome = profiler::status::invalid_config;
  invalid.reason = "violates: tile_m is a multiple of reg_m";
  invalid.params = {{"tile_m", "63"}, {"layout", "row"}};
  return {sample_measurement(), invalid};
}

// The golden exports run on both engines: the same bytes from each, so every column reads back
// equal from PostgreSQL as from SQLite (storage_test_support.hpp).
class CsvExportGolden : public test::on_both_engines {};
RIDGELINE_ON_BOTH_ENGINES(CsvExportGolden);

TEST_P(CsvExportGolden, MatchesGoldenFile) {
  database db = database::open(location, test::fixed_clock());
  device_identity device = test::sample_device();
  device.catalog_id = "epyc_9b14_vm";
  db.record(device, two_records(), {"ridgeline run gemm"});
  test::expect_golden("export_golden.csv", db.export_csv());
}

TEST_P(CsvExportGolden, JsonExportMatchesGoldenFileAndTheRunDocument) {
  database db = database::open(location, test::fixed_clock());
  db.record(test::sample_device(), two_records(), {"ridgeline run gemm"});
  const auto exported = db.export_json();
  // The same document `ridgeline --json run` prints for these records.
  EXPECT_EQ(exported, profiler::to_json(two_records()));
  EXPECT_EQ(exported["schema"], "ridgeline.results/1");
  test::expect_golden("export_golden.json", exported.dump(2) + "\n");
}

TEST(CsvExport, HeaderIsTheColumnListAndRowsHaveAsManyFields) {
  stored_measurement row;
  row.record = sample_measurement();
  const std::string csv = to_csv({row});
  const std::string header = csv.substr(0, csv.find('\n'));
  std::string expected;
  for (const auto& c : csv_columns()) expected += (expected.empty() ? "" : ",") + c;
  EXPECT_EQ(header, expected);
  for (const auto& c : csv_columns()) {
    EXPECT_EQ(c.find_first_of(" ,\""), std::string::npos) << c;
  }
}

TEST(CsvExport, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  stored_measurement row;
  row.record = sample_measurement();
  row.record.problem = {{"m", 4, true}};
  row.record.params = {};
  row.record.reason = "bad \"tile\",\nsee log";
  const std::string csv = to_csv({row});
  EXPECT_NE(csv.find(",\"bad \"\"tile\"\",\nsee log\","), std::string::npos) << csv;
  EXPECT_NE(csv.find(",m=4,,ok,"), std::string::npos) << csv;  // plain fields stay unquoted
}

TEST(CsvExport, EmptyIsHeaderOnly) {
  const std::string csv = to_csv({});
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1);
}

}  // namespace
}  // namespace ridgeline::storage
