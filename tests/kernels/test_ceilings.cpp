// The ceilings sweep: level classification by hand, and a quick sweep on every host backend that
// must produce every ceiling with sane values (not a measurement: bench/ceilings_vs_likwid.py is),
// and the progress/stop hooks the Python module's rl.ceilings uses.
#include <gtest/gtest.h>

#include <vector>

#include "kernels/ceilings/ceiling_levels.hpp"
#include "kernels/ceilings/ceilings.hpp"
#include "profiler/cpu_info.hpp"
#include "tests/kernels/test_support.hpp"

namespace ridgeline::test {
namespace {

TEST(CeilingLevels, ClassifiesByPerThreadAndTotalWorkingSet) {
  const kernels::cache_sizes zen4{32 << 10, 1 << 20, 32 << 20};
  EXPECT_EQ(kernels::classify_level(16 << 10, 1, zen4), "l1");
  EXPECT_EQ(kernels::classify_level(32 << 10, 2, zen4), "l1");  // 16 KiB per thread
  EXPECT_EQ(kernels::classify_level(32 << 10, 1, zen4), "");    // a full L1: between levels
  EXPECT_EQ(kernels::classify_level(256 << 10, 2, zen4), "l2");
  EXPECT_EQ(kernels::classify_level(1 << 20, 2, zen4), "l2");   // 512 KiB each: half of L2
  EXPECT_EQ(kernels::classify_level(2 << 20, 2, zen4), "");     // 1 MiB each: a full L2
  EXPECT_EQ(kernels::classify_level(4 << 20, 2, zen4), "llc");  // 2 MiB each, 4 MiB of 32
  EXPECT_EQ(kernels::classify_level(32 << 20, 2, zen4), "");    // the whole LLC
  EXPECT_EQ(kernels::classify_level(128ull << 20, 2, zen4), "dram");
  EXPECT_EQ(kernels::classify_level(1 << 20, 1, kernels::cache_sizes{}), "");  // unknown caches
}

TEST(Ceilings, QuickSweepOnEveryHostBackend) {
  for (const auto& backend : backend_ids()) {
    kernels::ceilings_options o;
    o.backend = backend;
    o.seconds_per_point = 0.02;
    o.quick = true;
    const auto r = kernels::measure_ceilings(rt(), o);
    SCOPED_TRACE(backend);
    const auto roofs = r.roofs("this-cpu");
    EXPECT_EQ(roofs.source, profiler::roof_source::measured);
    for (const char* precision : {"f32", "f64"}) {
      const auto* c = roofs.find_compute(precision, "simt");
      ASSERT_NE(c, nullptr) << precision;
      EXPECT_GT(c->flop_per_s, 1e8);
      EXPECT_LT(c->flop_per_s, 1e14);  // a 2-core VM is not a GPU
    }
    for (const char* level : {"l1", "dram"}) {
      const auto* b = roofs.find_bandwidth(level);
      ASSERT_NE(b, nullptr) << level;
      EXPECT_GT(b->byte_per_s, 1e8);
    }
    // Caches are faster than DRAM on any machine these tests run on.
    EXPECT_GT(roofs.find_bandwidth("l1")->byte_per_s, roofs.find_bandwidth("dram")->byte_per_s);
    // f32 runs twice the lanes of f64 in every vector ISA: a peak where f32 is not clearly above
    // f64 means the f32 chains did not fill the vectors (issue 13: 62.5 vs 170 GFLOP/s on a Xeon).
    EXPECT_GT(roofs.find_compute("f32", "simt")->flop_per_s,
              1.3 * roofs.find_compute("f64", "simt")->flop_per_s);
    EXPECT_TRUE(r.notes.empty()) << r.notes.front();
    for (const auto& c : r.ceilings) {
      EXPECT_LE(c.min, c.mean);
      EXPECT_LE(c.mean, c.max);
      EXPECT_GE(c.points, 1);
    }
  }
}

TEST(Ceilings, DefaultSweepReachesDramWhateverTheLastLevelCache) {
  const std::uint64_t gib = 1ull << 30;
  for (std::uint64_t llc : {32ull << 20, 480ull << 20, 1152ull << 20}) {
    SCOPED_TRACE(llc);
    const std::uint64_t cap = kernels::default_max_working_set(llc, 64 * gib);
    EXPECT_GE(cap, 4 * llc);
    EXPECT_GE(cap, gib);
    EXPECT_LE(cap, 32 * gib);
  }
  // Memory bounds it (half of what is available), and unknown memory does not.
  EXPECT_EQ(kernels::default_max_working_set(480ull << 20, 2 * gib), gib);
  EXPECT_EQ(kernels::default_max_working_set(480ull << 20, 0), 16 * (480ull << 20));
}

TEST(Ceilings, SaysSoWhenDramIsNotReached) {
  const std::uint64_t llc = profiler::this_cpu().last_level_cache_bytes();
  if (llc == 0) GTEST_SKIP() << "this machine reports no last-level cache size";
  kernels::ceilings_options o;
  o.seconds_per_point = 0.01;
  o.quick = true;
  o.max_working_set = 2 * llc;  // below 4x the LLC on any machine
  const auto r = kernels::measure_ceilings(rt(), o);
  EXPECT_EQ(r.roofs("this-cpu").find_bandwidth("dram"), nullptr);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("dram not reached"), std::string::npos) << r.notes[0];
  for (const auto& p : r.sweep) EXPECT_NE(p.level, "dram");
}

TEST(Ceilings, ReportsEachPointAndStopsWhenAsked) {
  kernels::ceilings_options o;
  o.seconds_per_point = 0.01;
  o.quick = true;
  std::vector<std::size_t> done, totals;
  o.on_point = [&](const kernels::sweep_point&, std::size_t d, std::size_t total) {
    done.push_back(d);
    totals.push_back(total);
  };
  const auto full = kernels::measure_ceilings(rt(), o);
  EXPECT_FALSE(full.interrupted);
  ASSERT_EQ(done.size(), full.sweep.size());
  for (std::size_t i = 0; i < done.size(); ++i) {
    EXPECT_EQ(done[i], i + 1);
    EXPECT_EQ(totals[i], full.sweep.size());
  }

  // Stop before the fourth point: three measured, the result marked interrupted.
  done.clear();
  o.should_stop = [&] { return done.size() == 3; };
  const auto partial = kernels::measure_ceilings(rt(), o);
  EXPECT_TRUE(partial.interrupted);
  EXPECT_EQ(partial.sweep.size(), 3u);
  EXPECT_EQ(done.size(), 3u);
}

}  // namespace
}  // namespace ridgeline::test
