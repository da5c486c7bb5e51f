// The wisdom fallback chain: exact -> nearest shape -> same device type -> kernel default, with
// current software preferred and stale answers marked.
#include <gtest/gtest.h>

#include <cmath>

#include "storage/wisdom.hpp"

namespace ridgeline::storage {
namespace {

const device_identity here{"cpu", "AuthenticAMD", "EPYC", "znver4", "OpenMP", "hostA", {}};

tuned_result result(std::int64_t run_id, device_identity dev, int m, const std::string& software) {
  tuned_result r;
  r.run.run_id = run_id;
  r.run.setup.what.problem_text = "m=" + std::to_string(m) + ",n=" + std::to_string(m);
  r.run.setup.what.problem_json =
      "{\"m\":" + std::to_string(m) + ",\"n\":" + std::to_string(m) + "}";
  r.run.setup.software_key = software;
  r.run.setup.strategy = "genetic";
  r.device = std::move(dev);
  return r;
}

wisdom_query query(int m) {
  return {here, "m=" + std::to_string(m) + ",n=" + std::to_string(m),
          {{"m", double(m)}, {"n", double(m)}}, "sw1"};
}

TEST(Wisdom, NothingStoredMeansTheKernelDefault) {
  const auto a = choose_wisdom({}, query(2048));
  EXPECT_EQ(a.level, wisdom_level::kernel_default);
  EXPECT_FALSE(a.from);
  EXPECT_NE(a.explanation.find("default"), std::string::npos);
}

TEST(Wisdom, ExactBeatsNearerShapesAndNewerRuns) {
  const std::vector<tuned_result> c = {result(1, here, 2048, "sw1"), result(2, here, 2000, "sw1"),
                                       result(3, here, 4096, "sw1")};
  const auto a = choose_wisdom(c, query(2048));
  EXPECT_EQ(a.level, wisdom_level::exact);
  EXPECT_EQ(a.from->run.run_id, 1);
  EXPECT_FALSE(a.stale);
}

TEST(Wisdom, NearestShapeIsByLogDistance) {
  // 3000 is nearer to 4096 than to 1024 in ratio (1.37 vs 2.93).
  const std::vector<tuned_result> c = {result(1, here, 1024, "sw1"), result(2, here, 4096, "sw1")};
  const auto a = choose_wisdom(c, query(3000));
  EXPECT_EQ(a.level, wisdom_level::nearest_shape);
  EXPECT_EQ(a.from->run.run_id, 2);
  EXPECT_NEAR(a.shape_distance, 2 * std::log(4096.0 / 3000.0), 1e-12);
}

TEST(Wisdom, CurrentSoftwareIsPreferredAndStaleIsMarked) {
  std::vector<tuned_result> c = {result(1, here, 2048, "sw0"), result(2, here, 2048, "sw1")};
  auto a = choose_wisdom(c, query(2048));
  EXPECT_EQ(a.from->run.run_id, 2);
  EXPECT_FALSE(a.stale);
  c.pop_back();
  a = choose_wisdom(c, query(2048));
  EXPECT_EQ(a.level, wisdom_level::exact);
  EXPECT_TRUE(a.stale);
  EXPECT_NE(a.explanation.find("STALE"), std::string::npos);
  EXPECT_NE(a.explanation.find("sw0"), std::string::npos);
}

TEST(Wisdom, SameModelOnAnotherHostComesAfterThisDevice) {
  auto other_host = here;
  other_host.host = "hostB";
  auto other_model = here;
  other_model.name = "Xeon";
  std::vector<tuned_result> c = {result(1, other_host, 2048, "sw1"),
                                 result(2, other_model, 2048, "sw1")};
  auto a = choose_wisdom(c, query(2048));
  EXPECT_EQ(a.level, wisdom_level::same_device_type);
  EXPECT_EQ(a.from->run.run_id, 1);
  EXPECT_NE(a.explanation.find("hostB"), std::string::npos);
  c.push_back(result(3, here, 512, "sw1"));  // this device, another shape: nearer link wins
  a = choose_wisdom(c, query(2048));
  EXPECT_EQ(a.level, wisdom_level::nearest_shape);
  EXPECT_EQ(a.from->run.run_id, 3);
  // Another model is never an answer.
  a = choose_wisdom({result(2, other_model, 2048, "sw1")}, query(2048));
  EXPECT_EQ(a.level, wisdom_level::kernel_default);
}

TEST(Wisdom, ProblemsWithOtherFieldsAreNotComparable) {
  auto r = result(1, here, 2048, "sw1");
  r.run.setup.what.problem_json = R"({"m":2048,"n":2048,"k":64})";
  r.run.setup.what.problem_text = "m=2048,n=2048,k=64";
  const auto a = choose_wisdom({r}, query(1024));
  EXPECT_EQ(a.level, wisdom_level::kernel_default);
}

}  // namespace
}  // namespace ridgeline::storage
