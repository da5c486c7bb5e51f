#include "kernels/planted_slowdown.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "core/error.hpp"

namespace ridgeline::kernels {

std::optional<double> planted_slowdown_us(const std::string& kernel, const std::string& variant) {
  const char* text = std::getenv("RIDGELINE_TEST_SLOWDOWN");
  if (text == nullptr || *text == '\0') return std::nullopt;
  std::string rest = text;
  std::optional<double> found;
  while (!rest.empty()) {
    const std::size_t end = rest.find(';');
    const std::string item = rest.substr(0, end);
    rest = end == std::string::npos ? "" : rest.substr(end + 1);
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw usage_error(
          fmt::format("RIDGELINE_TEST_SLOWDOWN: '{}' is not KERNEL[/VARIANT]=MICROSECONDS", item));
    }
    const std::string who = item.substr(0, eq);
    char* parsed_end = nullptr;
    const double us = std::strtod(item.c_str() + eq + 1, &parsed_end);
    if (parsed_end == item.c_str() + eq + 1 || *parsed_end != '\0' || !(us >= 0)) {
      throw usage_error(fmt::format(
          "RIDGELINE_TEST_SLOWDOWN: '{}' needs a non-negative number of microseconds", item));
    }
    if (who == kernel || who == kernel + "/" + variant) found = us;
  }
  return found;
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
