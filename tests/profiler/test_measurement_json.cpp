// The JSON contract ("ridgeline.measurement/1"): compared byte for byte with a golden file, so a
// renamed, reordered or re-typed key fails here before it breaks a Python reader. Also derive().
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "profiler/measurement.hpp"
#include "profiler/measurement_json.hpp"
#include "tests/profiler/sample_measurement.hpp"

namespace ridgeline::profiler {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(MeasurementJson, MatchesGoldenFile) {
  // To regenerate after an intended schema change: print to_json(sample_measurement()).dump(2),
  // check it by eye against docs, bump the schema version if a reader could break, and save it.
  const std::string golden =
      read_file(std::string(RIDGELINE_TEST_DATA_DIR) + "/measurement_golden.json");
  const std::string actual = to_json(test::sample_measurement()).dump(2) + "\n";
  EXPECT_EQ(actual, golden);
  // The same check on parsed values gives a readable diff when the text comparison fails.
  if (actual != golden) {
    EXPECT_EQ(
        nlohmann::json::diff(nlohmann::json::parse(golden), nlohmann::json::parse(actual)).dump(2),
        "[]");
  }
}

TEST(MeasurementJson, TopLevelKeysInOrder) {
  const auto j = to_json(test::sample_measurement());
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"schema", "kernel", "variant", "dtype", "backend",
                                            "problem", "params", "status", "reason", "time_s",
                                            "work", "derived", "check", "rotation", "provenance"}));
  EXPECT_EQ(j["schema"], measurement_schema);
}

TEST(MeasurementJson, IntegersStayIntegersAndExact) {
  const auto j = to_json(test::sample_measurement());
  EXPECT_TRUE(j["problem"]["m"].is_number_integer());
  EXPECT_TRUE(j["problem"]["alpha"].is_number_float());
  EXPECT_EQ(j["check"]["seed"].get<std::uint64_t>(), 18446744073709551615ull);
  EXPECT_EQ(j["work"]["bytes"][1]["count"].get<std::uint64_t>(), 4000000000ull);
}

TEST(MeasurementJson, WithoutTimingTimeIsNullAndRatesZero) {
  measurement m = test::sample_measurement();
  m.timing.reset();
  m.check.reset();
  m.outcome = status::invalid_config;
  m.reason = "violates: tile_m is a multiple of reg_m";
  const auto j = to_json(m);
  EXPECT_TRUE(j["time_s"].is_null());
  EXPECT_TRUE(j["check"].is_null());
  EXPECT_EQ(j["status"], "invalid_config");
  EXPECT_EQ(j["reason"], "violates: tile_m is a multiple of reg_m");
  EXPECT_EQ(j["derived"]["flop_per_s"], 0.0);
  EXPECT_EQ(j["derived"]["dram_byte_per_s"], 0.0);
  // Intensity needs no time.
  EXPECT_EQ(j["derived"]["arithmetic_intensity_flop_per_byte"], 4.0);
}

TEST(MeasurementJson, EmptyProblemAndParamsAreObjects) {
  measurement m;
  const auto j = to_json(m);
  EXPECT_TRUE(j["problem"].is_object());
  EXPECT_TRUE(j["params"].is_object());
  EXPECT_TRUE(j["provenance"].is_object());
  EXPECT_TRUE(j["work"]["flops"].is_array());
  EXPECT_TRUE(j["work"]["bytes"].is_array());
  EXPECT_EQ(j["status"], "ok");
}

TEST(MeasurementJson, ResultsDocumentWrapsMeasurements) {
  measurement a = test::sample_measurement();
  measurement b = a;
  b.variant = "vendor";
  const auto j = to_json(std::vector<measurement>{a, b});
  EXPECT_EQ(j["schema"], "ridgeline.results/1");
  ASSERT_EQ(j["measurements"].size(), 2u);
  EXPECT_EQ(j["measurements"][0], to_json(a));
  EXPECT_EQ(j["measurements"][1]["variant"], "vendor");
  EXPECT_EQ(to_json(std::vector<measurement>{})["measurements"], nlohmann::ordered_json::array());
}

TEST(Derive, RatesFromMedianTimeAndWorkModel) {
  const derived_metrics d = derive(test::sample_measurement());
  EXPECT_DOUBLE_EQ(d.flop_per_s, 2e12);       // 4e9 FLOP / 2 ms
  EXPECT_DOUBLE_EQ(d.dram_byte_per_s, 5e11);  // 1e9 B / 2 ms
  EXPECT_DOUBLE_EQ(d.arithmetic_intensity, 4.0);
}

TEST(Derive, NoTimingOrZeroMedianGivesZeroRates) {
  measurement m = test::sample_measurement();
  m.timing->summary.median = 0;
  derived_metrics d = derive(m);
  EXPECT_EQ(d.flop_per_s, 0.0);
  EXPECT_EQ(d.dram_byte_per_s, 0.0);
  m.timing.reset();
  d = derive(m);
  EXPECT_EQ(d.flop_per_s, 0.0);
  EXPECT_EQ(d.dram_byte_per_s, 0.0);
  EXPECT_DOUBLE_EQ(d.arithmetic_intensity, 4.0);
}

TEST(Derive, NoDramBytesGivesZeroIntensity) {
  measurement m = test::sample_measurement();
  m.work.bytes = {{"l2", 100}};
  const derived_metrics d = derive(m);
  EXPECT_EQ(d.arithmetic_intensity, 0.0);
  EXPECT_EQ(d.dram_byte_per_s, 0.0);
  EXPECT_DOUBLE_EQ(d.flop_per_s, 2e12);
}

TEST(WorkModel, TotalsAndLevels) {
  const work_model w = test::sample_measurement().work;
  EXPECT_EQ(w.total_flops(), 4000000000u);
  EXPECT_EQ(w.bytes_at("dram"), 1000000000u);
  EXPECT_EQ(w.bytes_at("l2"), 4000000000u);
  EXPECT_EQ(w.bytes_at("l1"), 0u);
}

TEST(Measurement, ProblemAndParamsText) {
  const measurement m = test::sample_measurement();
  EXPECT_EQ(m.problem_text(), "m=257,n=129,k=31,alpha=0.5");
  EXPECT_EQ(m.params_text(), "tile_m=64,layout=row");
  EXPECT_EQ(measurement{}.problem_text(), "");
}

TEST(Measurement, StatusNames) {
  EXPECT_STREQ(to_string(status::ok), "ok");
  EXPECT_STREQ(to_string(status::invalid_config), "invalid_config");
  EXPECT_STREQ(to_string(status::launch_failed), "launch_failed");
  EXPECT_STREQ(to_string(status::wrong_result), "wrong_result");
  EXPECT_STREQ(to_string(status::timeout), "timeout");
}

}  // namespace
}  // namespace ridgeline::profiler
