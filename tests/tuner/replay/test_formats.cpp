// Importers: Kernel Tuner cache (plain and gzip), KTT output, T4; malformed files are usage
// errors naming the path and the field.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "tests/support/expect_error.hpp"
#include "tuner/replay/formats.hpp"
#include "tuner/replay/json_file.hpp"

namespace ridgeline::tuner::replay {
namespace {

using ridgeline::test::expect_usage_error;

const std::string data = RIDGELINE_TEST_DATA_DIR;

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(Formats, KernelTunerCache) {
  const auto rs = load_recorded_space(data + "/kernel_tuner_a4000_subset.json");
  EXPECT_EQ(rs.format, "kernel_tuner");
  EXPECT_EQ(rs.device, "NVIDIA RTX A4000");
  EXPECT_EQ(rs.size(), 726u);
  EXPECT_EQ(rs.valid_times_s().size(), 726u - 42u);
  ASSERT_EQ(rs.space.axes().size(), 10u);
  EXPECT_EQ(rs.space.axes()[0].name(), "block_size_x");  // tune_params_keys order
  EXPECT_EQ(rs.space.axes()[0].values(), (std::vector<std::int64_t>{16, 32, 64, 128, 256}));
  // The file's best configuration (256,1,2,4,0,0,0,1,15,15 in the full space is kept).
  const config best{{"block_size_x", 256}, {"block_size_y", 1}, {"tile_size_x", 2},
                    {"tile_size_y", 4},    {"read_only", 0},    {"use_padding", 0},
                    {"use_shmem", 0},      {"use_cmem", 1},     {"filter_height", 15},
                    {"filter_width", 15}};
  const evaluation e = rs.evaluate(best);
  EXPECT_EQ(e.status, eval_status::ok);
  EXPECT_NEAR(e.time_s, 1.021171996369958e-3, 1e-12);
  EXPECT_DOUBLE_EQ(rs.valid_times_s().front(), e.time_s);
  // Not in the file: outside the space's constraint, and `invalid` if evaluated anyway.
  config absent = best;
  absent["block_size_y"] = 8;
  absent["tile_size_x"] = 4;
  absent["tile_size_y"] = 4;
  absent["block_size_x"] = 256;
  if (rs.evaluate(absent).status == eval_status::invalid) {
    EXPECT_TRUE(rs.space.violation(absent).has_value());
  }
}

TEST(Formats, FailedConfigurationsKeepTheirLabel) {
  const auto rs = load_recorded_space(data + "/kernel_tuner_a4000_subset.json");
  int failed = 0;
  for (const auto& [index, o] : *rs.outcomes) {
    if (o.ok) continue;
    ++failed;
    EXPECT_TRUE(o.reason == "RuntimeFailedConfig" || o.reason == "CompilationFailedConfig")
        << o.reason;
  }
  EXPECT_EQ(failed, 42);
}

TEST(Formats, GzipIsReadByItsMagicBytes) {
  const auto rs = load_recorded_space(data + "/kernel_tuner_tiny.json.gz");
  EXPECT_EQ(rs.size(), 30u);
}

TEST(Formats, KttOutput) {
  const auto rs = load_recorded_space(data + "/ktt_rtx2080ti_subset.json.gz");
  EXPECT_EQ(rs.format, "ktt");
  EXPECT_EQ(rs.device, "NVIDIA GeForce RTX 2080 Ti");
  EXPECT_EQ(rs.size(), 1196u);
  EXPECT_EQ(rs.valid_times_s().size(), 1196u - 108u);
  ASSERT_NE(rs.space.find("HFS"), nullptr);
  EXPECT_EQ(rs.space.find("HFS")->values(), (std::vector<std::int64_t>{7}));
  // First record of the file: BLOCK_SIZE_X=16 ... Durations are in microseconds.
  for (double t : rs.valid_times_s()) {
    EXPECT_GT(t, 1e-4);
    EXPECT_LT(t, 1.0);
  }
}

TEST(Formats, T4Results) {
  const auto rs = load_recorded_space(data + "/t4_ktt_subset.json");
  EXPECT_EQ(rs.format, "t4");
  EXPECT_EQ(rs.size(), 40u);
  const auto ktt = load_recorded_space(data + "/ktt_rtx2080ti_subset.json.gz");
  // The same configurations and times as the KTT records they were converted from.
  for (const auto& [index, o] : *rs.outcomes) {
    (void)index;
    if (o.ok) {
      EXPECT_GT(o.time_s, 1e-4);
    }
  }
  EXPECT_EQ(ktt.space.axes().size(), rs.space.axes().size());
}

TEST(Formats, MalformedFilesNameTheField) {
  expect_usage_error([] { load_recorded_space("/nonexistent/space.json"); },
                     {"/nonexistent/space.json", "cannot read"});
  const auto bad_json = write_temp("bad.json", "{\"cache\": {");
  expect_usage_error([&] { load_recorded_space(bad_json); }, {bad_json, "malformed JSON"});
  const auto other = write_temp("other.json", "{\"hello\": 1}");
  expect_usage_error([&] { load_recorded_space(other); }, {other, "not a recorded space"});
  const auto no_keys = write_temp("nokeys.json", "{\"cache\": {}}");
  expect_usage_error([&] { load_recorded_space(no_keys); }, {"tune_params_keys is missing"});
  const auto no_time =
      write_temp("notime.json", R"({"tune_params_keys": ["a"], "cache": {"1": {"a": 1}}})");
  expect_usage_error([&] { load_recorded_space(no_time); }, {"cache[\"1\"].time is missing"});
  const auto bad_time = write_temp(
      "badtime.json", R"({"tune_params_keys": ["a"], "cache": {"1": {"a": 1, "time": -2}}})");
  expect_usage_error([&] { load_recorded_space(bad_time); }, {"cache[\"1\"]", "positive"});
  const auto no_param = write_temp(
      "noparam.json", R"({"tune_params_keys": ["a", "b"], "cache": {"1": {"a": 1, "time": 2}}})");
  expect_usage_error([&] { load_recorded_space(no_param); }, {"cache[\"1\"].b is missing"});
  const auto empty = write_temp("empty.json", R"({"tune_params_keys": ["a"], "cache": {}})");
  expect_usage_error([&] { load_recorded_space(empty); }, {"no configurations"});
  const auto ktt_unit =
      write_temp("kttunit.json", R"({"Metadata": {"TimeUnit": "Fortnights"}, "Results": []})");
  expect_usage_error([&] { load_recorded_space(ktt_unit); }, {"Metadata.TimeUnit", "Fortnights"});
  const auto ktt_status = write_temp(
      "kttstatus.json",
      R"({"Metadata": {"TimeUnit": "Microseconds"}, "Results": [{"Configuration": [{"Name": "A", "Value": 1}]}]})");
  expect_usage_error([&] { load_recorded_space(ktt_status); }, {"Results[0].Status is missing"});
  const auto t4 = write_temp("t4.json", R"({"results": [{"configuration": {"a": 1}}]})");
  expect_usage_error([&] { load_recorded_space(t4); }, {"results[0].invalidity is missing"});
  const auto gz = write_temp("broken.json.gz", std::string("\x1f\x8b\x08\x00garbage", 11));
  expect_usage_error([&] { load_recorded_space(gz); }, {gz});
}

TEST(Formats, NonIntegerValuesBecomeCategoricalAxes) {
  const auto path = write_temp("mixed.json", R"({"tune_params_keys": ["f", "s"], "cache": {
      "0.5,x": {"f": 0.5, "s": "x", "time": 2.0},
      "0.25,y": {"f": 0.25, "s": "y", "time": 1.0},
      "0.5,y": {"f": 0.5, "s": "y", "time": "InvalidConfig"}}})");
  const auto rs = load_recorded_space(path);
  const axis* f = rs.space.find("f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind(), axis_kind::categorical);
  EXPECT_EQ(f->format(0), "0.25");  // numbers ordered by value
  const evaluation e = rs.evaluate({{"f", 0}, {"s", 1}});
  EXPECT_EQ(e.status, eval_status::ok);
  EXPECT_DOUBLE_EQ(e.time_s, 1e-3);
  EXPECT_EQ(rs.evaluate({{"f", 1}, {"s", 1}}).status, eval_status::failed);
  EXPECT_EQ(rs.evaluate({{"f", 0}, {"s", 0}}).status, eval_status::invalid);
  EXPECT_TRUE(rs.space.violation({{"f", 0}, {"s", 0}}).has_value());
}

}  // namespace
}  // namespace ridgeline::tuner::replay
