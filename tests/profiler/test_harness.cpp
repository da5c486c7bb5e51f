// The measurement loop against a fake workload that spins for known durations. Assertions are on
// structure (copy order, fences around batches, sample counts) and on stop reasons that hold even
// on a noisy shared 2-core VM; no assertion compares a measured time with a tight bound.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "profiler/harness.hpp"

namespace ridgeline::profiler {
namespace {

using clock_type = std::chrono::steady_clock;

// launch() spins for durations[i % size] on the calling thread; the log records every launch's copy
// index and every fence, in order.
class spin_workload : public workload {
 public:
  spin_workload(std::size_t copies, std::vector<double> durations_s)
      : copies_(copies), durations_(std::move(durations_s)) {}

  void launch(std::size_t copy) override {
    ASSERT_LT(copy, copies_);
    launched.push_back(copy);
    log.push_back(static_cast<int>(copy));
    const auto d = std::chrono::duration<double>(durations_[n_++ % durations_.size()]);
    const auto until = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(d);
    while (clock_type::now() < until) {
    }
  }
  void fence() override {
    ++fences;
    log.push_back(fence_mark);
  }
  std::size_t copies() const override { return copies_; }

  static constexpr int fence_mark = -1;
  std::vector<std::size_t> launched;
  std::vector<int> log;
  int fences = 0;

 private:
  std::size_t copies_;
  std::vector<double> durations_;
  std::size_t n_ = 0;
};

// Quick options: short warm-up, one launch per sample unless a test asks for batching.
harness_options quick() {
  harness_options o;
  o.warmup_seconds = 0.002;
  o.min_sample_seconds = 0;
  o.target_relative_spread = 0.5;
  o.min_samples = 5;
  o.max_samples = 200;
  o.max_seconds = 0.5;
  return o;
}

std::size_t total_launches(const timing_result& r) {
  return static_cast<std::size_t>(r.warmup_launches) +
         static_cast<std::size_t>(r.batch) * r.samples.size();
}

TEST(Harness, CopyIndicesCycleInOrderAcrossWarmupAndSamples) {
  spin_workload w(3, {20e-6});
  harness_options o = quick();
  o.min_sample_seconds = 200e-6;  // batches of several launches, so the cycle crosses batches
  const timing_result r = measure(w, o);
  ASSERT_EQ(w.launched.size(), total_launches(r));
  for (std::size_t i = 0; i < w.launched.size(); ++i) {
    ASSERT_EQ(w.launched[i], i % 3) << "launch " << i;
  }
}

TEST(Harness, EveryTimedBatchIsFencedOnBothSides) {
  spin_workload w(2, {20e-6});
  harness_options o = quick();
  o.min_sample_seconds = 100e-6;
  const timing_result r = measure(w, o);
  // Warm-up batches hold one launch; sample batches hold `batch` launches.
  std::vector<std::size_t> batch_sizes;
  std::size_t i = 0;
  while (i < w.log.size()) {
    ASSERT_EQ(w.log[i], spin_workload::fence_mark) << "batch not preceded by a fence at " << i;
    std::size_t j = i + 1;
    while (j < w.log.size() && w.log[j] != spin_workload::fence_mark) ++j;
    ASSERT_LT(j, w.log.size()) << "batch not followed by a fence";
    batch_sizes.push_back(j - i - 1);
    i = j + 1;
  }
  ASSERT_EQ(batch_sizes.size(), static_cast<std::size_t>(r.warmup_launches) + r.samples.size());
  for (std::size_t b = 0; b < batch_sizes.size(); ++b) {
    const std::size_t want =
        b < static_cast<std::size_t>(r.warmup_launches) ? 1 : static_cast<std::size_t>(r.batch);
    EXPECT_EQ(batch_sizes[b], want) << "batch " << b;
  }
  EXPECT_EQ(w.fences, 2 * static_cast<int>(batch_sizes.size()));
}

TEST(Harness, ShortLaunchesAreBatched) {
  spin_workload w(1, {10e-6});
  harness_options o = quick();
  o.min_sample_seconds = 2e-3;
  o.min_samples = 3;
  o.max_samples = 5;
  const timing_result r = measure(w, o);
  EXPECT_GT(r.batch, 1);
  // Every launch spins >= 10 us, so the batch never exceeds ceil(2 ms / 10 us) (+1 for rounding).
  EXPECT_LE(r.batch, 201);
  // Samples are per launch, not per batch.
  ASSERT_FALSE(r.samples.empty());
  EXPECT_LT(r.summary.median, o.min_sample_seconds);
  for (double s : r.samples) EXPECT_GE(s, 9e-6);
}

TEST(Harness, LongLaunchesAreNotBatched) {
  spin_workload w(1, {200e-6});
  harness_options o = quick();
  o.min_sample_seconds = 50e-6;
  const timing_result r = measure(w, o);
  EXPECT_EQ(r.batch, 1);
}

TEST(Harness, SteadyWorkloadConverges) {
  spin_workload w(2, {200e-6});
  harness_options o = quick();
  o.max_samples = 1000;
  o.max_seconds = 1.0;
  const timing_result r = measure(w, o);
  EXPECT_EQ(r.stopped, stop_reason::converged) << to_string(r.stopped);
  EXPECT_GE(r.samples.size(), 5u);
  EXPECT_LE(r.summary.relative_spread, o.target_relative_spread);
  EXPECT_GE(r.summary.min, 190e-6);
}

TEST(Harness, WildWorkloadHitsTheTimeCap) {
  spin_workload w(1, {100e-6, 3e-3});
  harness_options o = quick();
  o.target_relative_spread = 1e-3;
  o.max_samples = 1000;  // ~1.5 s of samples: far beyond the time cap
  o.max_seconds = 0.05;
  const auto t0 = clock_type::now();
  const timing_result r = measure(w, o);
  const double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
  EXPECT_EQ(r.stopped, stop_reason::time_cap) << to_string(r.stopped);
  EXPECT_GT(r.summary.relative_spread, o.target_relative_spread);
  EXPECT_LT(r.samples.size(), 1000u);
  EXPECT_LT(wall, 2.0);  // generous: the cap is 50 ms of sampling
}

TEST(Harness, WildWorkloadWithFewSamplesHitsTheSampleCap) {
  spin_workload w(1, {50e-6, 500e-6});
  harness_options o = quick();
  o.target_relative_spread = 1e-3;
  o.min_samples = 3;
  o.max_samples = 8;
  o.max_seconds = 30;
  const timing_result r = measure(w, o);
  EXPECT_EQ(r.stopped, stop_reason::sample_cap) << to_string(r.stopped);
  EXPECT_EQ(r.samples.size(), 8u);
}

TEST(Harness, MinSamplesAreTakenBeforeConverging) {
  spin_workload w(1, {100e-6});
  harness_options o = quick();
  o.target_relative_spread = 100;  // converged as soon as stopping is considered
  o.min_samples = 7;
  o.max_seconds = 30;
  timing_result r = measure(w, o);
  EXPECT_EQ(r.stopped, stop_reason::converged);
  EXPECT_EQ(r.samples.size(), 7u);

  o.min_samples = 1;
  o.max_samples = 1;
  r = measure(w, o);
  EXPECT_EQ(r.samples.size(), 1u);
}

TEST(Harness, TimeCapWinsOverMinSamples) {
  // A launch longer than the whole cap is measured once, not min_samples times.
  spin_workload w(1, {5e-3});
  harness_options o = quick();
  o.warmup_seconds = 0;
  o.min_samples = 5;
  o.max_seconds = 1e-3;
  const timing_result r = measure(w, o);
  EXPECT_EQ(r.stopped, stop_reason::time_cap);
  EXPECT_EQ(r.samples.size(), 1u);
}

TEST(Harness, WarmupRunsAtLeastOnceThenForItsDuration) {
  spin_workload w(1, {100e-6});
  harness_options o = quick();
  o.warmup_seconds = 0;
  timing_result r = measure(w, o);
  EXPECT_EQ(r.warmup_launches, 1);

  o.warmup_seconds = 5e-3;
  r = measure(w, o);
  EXPECT_GE(r.warmup_seconds, 5e-3);
  EXPECT_GE(r.warmup_launches, 2);  // one 100 us launch cannot fill 5 ms
}

TEST(Harness, SummaryDescribesTheSamplesAndTheTimer) {
  spin_workload w(1, {50e-6, 80e-6});
  harness_options o = quick();
  o.max_samples = 9;
  o.min_samples = 9;
  const timing_result r = measure(w, o);
  const sample_summary s = summarize(r.samples);
  EXPECT_EQ(r.summary.count, r.samples.size());
  EXPECT_DOUBLE_EQ(r.summary.median, s.median);
  EXPECT_DOUBLE_EQ(r.summary.min, s.min);
  EXPECT_DOUBLE_EQ(r.summary.max, s.max);
  EXPECT_DOUBLE_EQ(r.summary.relative_spread, s.relative_spread);
  EXPECT_NE(r.timer.find("steady_clock"), std::string::npos) << r.timer;
}

TEST(Harness, WorkloadWithoutCopiesIsRejected) {
  spin_workload w(0, {1e-6});
  EXPECT_THROW(measure(w, quick()), std::invalid_argument);
}

TEST(Harness, MeasureRejectsBadOptions) {
  spin_workload w(1, {1e-6});
  harness_options o = quick();
  o.min_samples = 0;
  EXPECT_THROW(measure(w, o), std::invalid_argument);
  EXPECT_TRUE(w.launched.empty());
}

// Abandoning (the tuner's --abandon-factor): judged at the end of warm-up on its fastest launch.
TEST(HarnessAbandon, AnExpensiveConfigurationIsAbandonedAfterItsFirstLaunch) {
  spin_workload w(3, {0.05});  // one launch outlasts the 2 ms warm-up
  harness_options o = quick();
  o.abandon_above_seconds = 0.01;
  const timing_result r = measure(w, o);
  EXPECT_EQ(r.stopped, stop_reason::abandoned);
  EXPECT_EQ(w.launched.size(), 1u);
  EXPECT_EQ(r.warmup_launches, 1);
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_GE(r.samples[0], 0.05);
  EXPECT_STREQ(to_string(r.stopped), "abandoned");
}

TEST(HarnessAbandon, ACheapConfigurationIsNotAbandonedForItsFirstLaunchAlone) {
  // 20 ms first launch (one-off costs), then 0.1 ms launches: the fastest warm-up launch decides.
  std::vector<double> durations(4000, 1e-4);
  durations[0] = 0.02;
  spin_workload w(2, durations);
  harness_options o = quick();
  o.warmup_seconds = 0.1;
  o.max_seconds = 0.01;
  o.abandon_above_seconds = 0.005;
  const timing_result r = measure(w, o);
  EXPECT_NE(r.stopped, stop_reason::abandoned);
  EXPECT_GT(r.warmup_launches, 1);
}

TEST(HarnessAbandon, EveryWarmupLaunchOverTheLimitAbandonsAtTheEndOfWarmup) {
  spin_workload w(2, {0.005});
  harness_options o = quick();
  o.warmup_seconds = 0.02;
  o.abandon_above_seconds = 0.001;
  const timing_result r = measure(w, o);
  EXPECT_EQ(r.stopped, stop_reason::abandoned);
  EXPECT_GE(r.warmup_launches, 2);
  EXPECT_EQ(w.launched.size(), static_cast<std::size_t>(r.warmup_launches));  // nothing sampled
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_GE(r.samples[0], 0.005);
}

TEST(Harness, StopReasonNames) {
  EXPECT_STREQ(to_string(stop_reason::converged), "converged");
  EXPECT_STREQ(to_string(stop_reason::time_cap), "time_cap");
  EXPECT_STREQ(to_string(stop_reason::sample_cap), "sample_cap");
}

// Each bad option is a usage_error naming the CLI flag.
template <class Edit>
void expect_invalid(Edit edit, const std::string& flag) {
  harness_options o;
  edit(o);
  try {
    validate(o);
    ADD_FAILURE() << "expected a usage_error naming " << flag;
  } catch (const usage_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(flag + ":", 0), 0u) << e.what();
  }
}

TEST(HarnessValidate, DefaultsAreValid) {
  EXPECT_NO_THROW(validate(harness_options{}));
  harness_options o;
  o.warmup_seconds = 0;
  o.min_sample_seconds = 0;
  o.min_samples = 1;
  o.max_samples = 1;
  EXPECT_NO_THROW(validate(o));
}

TEST(HarnessValidate, BadOptionsNameTheirFlag) {
  expect_invalid([](harness_options& o) { o.warmup_seconds = -1; }, "--warmup");
  expect_invalid([](harness_options& o) { o.warmup_seconds = NAN; }, "--warmup");
  expect_invalid([](harness_options& o) { o.target_relative_spread = 0; }, "--target-spread");
  expect_invalid([](harness_options& o) { o.target_relative_spread = -0.1; }, "--target-spread");
  expect_invalid([](harness_options& o) { o.target_relative_spread = NAN; }, "--target-spread");
  expect_invalid([](harness_options& o) { o.min_samples = 0; }, "--min-samples");
  expect_invalid([](harness_options& o) { o.min_samples = -5; }, "--min-samples");
  expect_invalid(
      [](harness_options& o) {
        o.min_samples = 10;
        o.max_samples = 9;
      },
      "--max-samples");
  expect_invalid([](harness_options& o) { o.max_seconds = 0; }, "--max-time");
  expect_invalid([](harness_options& o) { o.max_seconds = NAN; }, "--max-time");
  expect_invalid([](harness_options& o) { o.min_sample_seconds = -1e-3; }, "--min-sample-time");
  expect_invalid([](harness_options& o) { o.abandon_above_seconds = 0; }, "--abandon-factor");
}

}  // namespace
}  // namespace ridgeline::profiler
