#include "profiler/slowdown_spec.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "core/error.hpp"

namespace ridgeline::profiler {

namespace {

constexpr const char* grammar = "KERNEL[/VARIANT][@AXIS=VALUE]=MICROSECONDS";

[[noreturn]] void bad(const std::string& item, const std::string& why) {
  throw usage_error(fmt::format("RIDGELINE_TEST_SLOWDOWN: '{}' {}", item, why));
}

slowdown_item parse_item(const std::string& item) {
  // The delay follows the last '=': an axis filter holds one '=' of its own.
  const std::size_t eq = item.rfind('=');
  if (eq == std::string::npos || eq == 0) bad(item, fmt::format("is not {}", grammar));
  const std::string number = item.substr(eq + 1);
  char* end = nullptr;
  slowdown_item s;
  s.microseconds = std::strtod(number.c_str(), &end);
  if (number.empty() || *end != '\0' || !(s.microseconds >= 0)) {
    bad(item, "needs a non-negative number of microseconds after its last '='");
  }
  std::string who = item.substr(0, eq);
  if (const std::size_t at = who.find('@'); at != std::string::npos) {
    const std::string filter = who.substr(at + 1);
    who.resize(at);
    const std::size_t axis_eq = filter.find('=');
    if (axis_eq == std::string::npos || axis_eq == 0 || axis_eq + 1 == filter.size()) {
      bad(item, fmt::format("has '@{}', not @AXIS=VALUE ({})", filter, grammar));
    }
    s.axis = filter.substr(0, axis_eq);
    s.value = filter.substr(axis_eq + 1);
  }
  const std::size_t slash = who.find('/');
  s.kernel = who.substr(0, slash);
  if (slash != std::string::npos) s.variant = who.substr(slash + 1);
  if (s.kernel.empty() || (slash != std::string::npos && s.variant.empty())) {
    bad(item, fmt::format("names no kernel or an empty variant ({})", grammar));
  }
  return s;
}

}  // namespace

std::vector<slowdown_item> parse_slowdown_spec(const std::string& text) {
  std::vector<slowdown_item> out;
  std::size_t begin = 0;
  while (begin <= text.size() && !text.empty()) {
    const std::size_t end = text.find_first_of(",;", begin);
    const std::string item =
        text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (item.empty()) bad(item, fmt::format("is empty: items are {}, separated by ','", grammar));
    out.push_back(parse_item(item));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return out;
}

std::optional<double> slowdown_for(const std::vector<slowdown_item>& items,
                                   const std::string& kernel, const std::string& variant,
                                   const std::vector<std::pair<std::string, std::string>>& params) {
  std::optional<double> total;
  for (const auto& s : items) {
    if (s.kernel != kernel || (!s.variant.empty() && s.variant != variant)) continue;
    bool matches = s.axis.empty();
    for (const auto& [axis, value] : params) {
      if (axis == s.axis && value == s.value) matches = true;
    }
    if (matches) total = total.value_or(0) + s.microseconds;
  }
  return total;
}

}  // namespace ridgeline::profiler
