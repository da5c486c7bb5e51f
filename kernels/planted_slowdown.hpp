#pragma once
// A slowdown planted on purpose, for testing end to end what a slower launch does: regression
// detection (issue 14) and the tuner abandoning far-slower configurations (issue 16). The
// environment variable RIDGELINE_TEST_SLOWDOWN="KERNEL[/VARIANT][@AXIS=VALUE]=MICROSECONDS[,...]"
// (grammar: profiler/slowdown_spec.hpp) makes every timed launch of that kernel (variant,
// configurations with that axis value) wait that long after its work has finished, as a slower
// driver, compiler or configuration would. A measurement taken with it says so in its provenance
// ("test_slowdown_us"), so a planted result can never pass for a real one.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "profiler/workload.hpp"

namespace ridgeline::kernels {

// The planted delay for this kernel, variant and configuration (axis -> formatted value), in
// microseconds; none when unset or nothing matches. A malformed variable is a usage_error naming
// RIDGELINE_TEST_SLOWDOWN.
std::optional<double> planted_slowdown_us(
    const std::string& kernel, const std::string& variant,
    const std::vector<std::pair<std::string, std::string>>& params);

// Parses the variable only, so a front end can refuse a malformed one before it starts work.
void check_planted_slowdown();

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
