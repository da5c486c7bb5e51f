#include "tuner/strategies/option_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "core/error.hpp"

namespace ridgeline::tuner::detail {

option_values::option_values(const strategy_info& info, const key_value_list& given)
    : info_(&info), given_(given) {
  // Not a structured binding: lambdas may capture those only from C++20 (clang < 16 rejects it,
  // and hipcc's clang compiles this file in the HIP build).
  for (const auto& entry : given_) {
    const std::string& name = entry.first;
    const bool known = std::any_of(info.options.begin(), info.options.end(),
                                   [&](const strategy_option& o) { return o.name == name; });
    if (known) continue;
    std::vector<std::string> names;
    for (const auto& o : info.options) names.push_back(o.name);
    throw usage_error(
        names.empty()
            ? fmt::format("--strategy-option: unknown option '{}' (strategy '{}' has no options)",
                          name, info.name)
            : fmt::format("--strategy-option: unknown option '{}' for strategy '{}' (options: {})",
                          name, info.name, fmt::join(names, ", ")));
  }
}

std::string option_values::text(const std::string& name) const {
  for (const auto& [n, v] : given_) {
    if (n == name) return v;
  }
  for (const auto& o : info_->options) {
    if (o.name == name) return o.default_value;
  }
  throw std::logic_error("strategy " + info_->name + " reads undeclared option " + name);
}

std::int64_t option_values::integer(const std::string& name, std::int64_t lo,
                                    std::int64_t hi) const {
  const std::string what = "--strategy-option: " + name;
  const std::int64_t v = parse_integer(text(name), what);
  if (v < lo || v > hi) {
    throw usage_error(fmt::format("{} must be in {}..{} (got {})", what, lo, hi, v));
  }
  return v;
}

double option_values::real(const std::string& name, double lo, double hi) const {
  const std::string what = "--strategy-option: " + name;
  const double v = parse_real(text(name), what);
  if (v < lo || v > hi) {
    throw usage_error(fmt::format("{} must be in [{}, {}] (got {})", what, lo, hi, v));
  }
  return v;
}

std::string option_values::word(const std::string& name,
                                const std::vector<std::string>& allowed) const {
  const std::string v = text(name);
  if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
    throw usage_error(fmt::format("--strategy-option: {} must be one of {} (got '{}')", name,
                                  fmt::join(allowed, ", "), v));
  }
  return v;
}

}  // namespace ridgeline::tuner::detail
