// Which dispatches of a rocprofv3 run are the workload's (profiler/counters/rocprof_select.cpp).
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "profiler/counters/rocprof_select.hpp"
#include "tests/profiler/test_rocprof_helpers.hpp"

namespace ridgeline::profiler::counters {
namespace {

dispatch_record rec(std::uint64_t id, const std::string& kernel, double value,
                    std::uint64_t start = 0, std::uint64_t end = 0,
                    const std::string& agent = "1") {
  dispatch_record d;
  d.dispatch_id = id;
  d.agent = agent;
  d.kernel_name = kernel;
  d.start_ns = start;
  d.end_ns = end;
  d.counters["C"] = value;
  return d;
}

// `setup` dispatches of a fill kernel, then `launches` x {kernels...}.
std::vector<dispatch_record> run(std::size_t setup, std::size_t launches,
                                 const std::vector<std::string>& kernels) {
  std::vector<dispatch_record> out;
  std::uint64_t id = 1;
  for (std::size_t i = 0; i < setup; ++i) out.push_back(rec(id++, "fill", 1e6));
  for (std::size_t l = 0; l < launches; ++l)
    for (std::size_t k = 0; k < kernels.size(); ++k, ++id)
      out.push_back(
          rec(id, kernels[k], static_cast<double>(10 * (k + 1) + l), 100 * id, 100 * id + 50));
  return out;
}

TEST(RocprofSelect, RecordedRunGivesOneLaunch) {
  const auto all = read_counter_output(testing::data_file("counter_collection.csv"));
  const auto m = matching_dispatches(all, "");
  // The recorded file is the N = 3 run; a 2N run of the same child would have 3 + 12 dispatches.
  const std::size_t k = dispatches_per_launch(m.size(), 3 + 12, 3);
  EXPECT_EQ(k, 2u);
  const auto c = per_launch(m, 3, k, {"SQ_INSTS_VALU_FMA_F32", "SQ_INSTS_VALU_ADD_F32"});
  EXPECT_DOUBLE_EQ(c.values.at("SQ_INSTS_VALU_FMA_F32"), 3000);
  EXPECT_DOUBLE_EQ(c.values.at("SQ_INSTS_VALU_ADD_F32"), 110);  // not the fills' 4096
  ASSERT_TRUE(c.time_s);
  EXPECT_NEAR(*c.time_s, (12400.0 + 12000 + 12000) / 3 * 1e-9, 1e-15);
  ASSERT_EQ(c.kernels.size(), 2u);
  EXPECT_NE(c.kernels[1].find("combine_functor"), std::string::npos);
}

TEST(RocprofSelect, MeanOverLaunchesOfSumsOverDispatches) {
  const auto m = matching_dispatches(run(5, 4, {"a", "b", "a"}), "");
  const auto c = per_launch(m, 4, 3, {"C"});
  // launch l: (10 + l) + (20 + l) + (30 + l); mean over l = 0..3 -> 60 + 3 * 1.5
  EXPECT_DOUBLE_EQ(c.values.at("C"), 64.5);
  EXPECT_NEAR(*c.time_s, 3 * 50e-9, 1e-18);
}

TEST(RocprofSelect, DispatchesPerLaunchFromTwoRuns) {
  // A launch that repeats one kernel internally (grouped GEMM: one dispatch per expert) is not
  // mistaken for a shorter period: the count difference decides.
  const auto n = matching_dispatches(run(7, 3, {"g", "g", "g", "g"}), "");
  const auto n2 = matching_dispatches(run(7, 6, {"g", "g", "g", "g"}), "");
  EXPECT_EQ(dispatches_per_launch(n.size(), n2.size(), 3), 4u);
  EXPECT_THROW(dispatches_per_launch(10, 10, 3), runtime_error);
  EXPECT_THROW(dispatches_per_launch(10, 14, 3), runtime_error);
  EXPECT_THROW(dispatches_per_launch(10, 9, 3), runtime_error);
}

TEST(RocprofSelect, RefusesWhatCannotBeAttributed) {
  auto m = matching_dispatches(run(2, 3, {"a", "b"}), "");
  EXPECT_THROW(per_launch(m, 3, 3, {"C"}), runtime_error);  // wants 9, has 8
  m.back().kernel_name = "other";                           // a trailing runtime kernel
  try {
    per_launch(m, 3, 2, {"C"});
    ADD_FAILURE() << "blocks that differ were accepted";
  } catch (const runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("runs 'other' where launch 1 ran 'b'"), std::string::npos)
        << e.what();
  }
  auto missing = matching_dispatches(run(0, 2, {"a"}), "");
  missing[1].counters.clear();
  EXPECT_THROW(per_launch(missing, 2, 1, {"C"}), runtime_error);
  auto two_gpus = run(0, 2, {"a"});
  two_gpus[1].agent = "2";
  EXPECT_THROW(matching_dispatches(two_gpus, ""), runtime_error);
}

TEST(RocprofSelect, RegexKeepsMatchingKernelsInDispatchOrder) {
  auto all = run(3, 2, {"ridgeline_flash", "ridgeline_combine"});
  std::swap(all[0], all[4]);  // file order is completion order, not dispatch order
  const auto m = matching_dispatches(all, "flash");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_LT(m[0].dispatch_id, m[1].dispatch_id);
  EXPECT_EQ(matching_dispatches(all, "").front().dispatch_id, 1u);
  EXPECT_THROW(matching_dispatches(all, "("), usage_error);
  const auto no_time = matching_dispatches(run(0, 2, {"x"}), "");
  auto untimed = no_time;
  for (auto& d : untimed) d.end_ns = 0;
  EXPECT_FALSE(per_launch(untimed, 2, 1, {"C"}).time_s);
}

}  // namespace
}  // namespace ridgeline::profiler::counters
