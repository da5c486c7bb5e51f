#pragma once
// What one imported launch states, looked up by name for the reader tests: nullopt when the
// launch does not state it (absent is not zero, docs/import.md).
#include <cstdint>
#include <optional>
#include <string>

#include "importers/imported_results.hpp"

namespace ridgeline::importers::test {

inline std::optional<std::uint64_t> flops(const imported_launch& l, const std::string& precision,
                                          const std::string& unit) {
  for (const auto& f : l.work.flops) {
    if (f.precision == precision && f.unit == unit) return f.count;
  }
  return std::nullopt;
}

inline std::optional<std::uint64_t> bytes(const imported_launch& l, const std::string& level) {
  for (const auto& b : l.work.bytes) {
    if (b.level == level) return b.count;
  }
  return std::nullopt;
}

inline std::optional<double> raw(const imported_launch& l, const std::string& name) {
  for (const auto& [n, v] : l.raw) {
    if (n == name) return v;
  }
  return std::nullopt;
}

}  // namespace ridgeline::importers::test
