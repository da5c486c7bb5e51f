#pragma once
// A slowdown planted on purpose, for testing regression detection end to end (issue 14): the
// environment variable RIDGELINE_TEST_SLOWDOWN="KERNEL[/VARIANT]=MICROSECONDS[;...]" makes every
// timed launch of that kernel (variant) wait that long after its work has finished, as a slower
// driver or compiler would. A measurement taken with it says so in its provenance
// ("test_slowdown_us"), so a planted result can never pass for a real one.
#include <cstddef>
#include <optional>
#include <string>

#include "profiler/workload.hpp"

namespace ridgeline::kernels {

// The planted delay for this kernel and variant, in microseconds; none when unset or not named.
// A malformed variable is a usage_error naming RIDGELINE_TEST_SLOWDOWN.
std::optional<double> planted_slowdown_us(const std::string& kernel, const std::string& variant);

// Runs `inner`, then waits (spinning: a sleep's wake-up would add the scheduler's noise) until
// `delay_us` has passed since the launch's work finished.
class delayed_workload : public profiler::workload {
 public:
  delayed_workload(profiler::workload& inner, double delay_us)
      : inner_(inner), delay_us_(delay_us) {}
  void launch(std::size_t copy) override;
  void fence() override { inner_.fence(); }
  std::size_t copies() const override { return inner_.copies(); }

 private:
  profiler::workload& inner_;
  double delay_us_;
};

}  // namespace ridgeline::kernels
