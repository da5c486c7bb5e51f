#include "kernels/planted_slowdown.hpp"

#include <chrono>
#include <cstdlib>

#include "profiler/slowdown_spec.hpp"

namespace ridgeline::kernels {

namespace {

std::vector<profiler::slowdown_item> planted_items() {
  const char* text = std::getenv("RIDGELINE_TEST_SLOWDOWN");
  if (text == nullptr) return {};
  return profiler::parse_slowdown_spec(text);
}

}  // namespace

std::optional<double> planted_slowdown_us(
    const std::string& kernel, const std::string& variant,
    const std::vector<std::pair<std::string, std::string>>& params) {
  return profiler::slowdown_for(planted_items(), kernel, variant, params);
}

void check_planted_slowdown() {
  planted_items();
}

void delayed_workload::launch(std::size_t copy) {
  inner_.launch(copy);
  inner_.fence();
  using clock = std::chrono::steady_clock;
  const auto until = clock::now() + std::chrono::duration<double, std::micro>(delay_us_);
  while (clock::now() < until) {
  }
}

}  // namespace ridgeline::kernels
