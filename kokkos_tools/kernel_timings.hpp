#pragma once
// The times of one application kernel (one Kokkos label, construct and backend): how often it ran,
// its total time, and the per-invocation times the statistics are computed from. An application
// may launch a kernel millions of times, so at most `cap` times are kept: every one while there are
// fewer, then a uniform random sample of all of them (reservoir sampling, fixed seed so a run is
// reproducible). Counts and totals are always exact.
#include <cstdint>
#include <random>
#include <vector>

namespace ridgeline::kokkos_tools {

class kernel_timings {
 public:
  static constexpr std::size_t default_cap = 10000;  // ~200 KB of samples_json per kernel row

  explicit kernel_timings(std::size_t cap = default_cap);

  void add(double seconds);

  std::uint64_t invocations() const { return invocations_; }
  double total_seconds() const { return total_seconds_; }
  const std::vector<double>& samples() const { return samples_; }  // invocation order until full

 private:
  std::size_t cap_;
  std::uint64_t invocations_ = 0;
  double total_seconds_ = 0;
  std::vector<double> samples_;
  std::mt19937_64 random_;
};

}  // namespace ridgeline::kokkos_tools
