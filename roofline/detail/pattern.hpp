#pragma once
// Catalog patterns are ECMAScript regular expressions, case-insensitive, searched anywhere in the
// text. Compiled the same way when the catalog is validated and when a device is detected.
#include <regex>
#include <string>

namespace ridgeline::roofline::detail {

inline std::regex compile_pattern(const std::string& pattern) {
  return std::regex(pattern, std::regex::ECMAScript | std::regex::icase);
}

}  // namespace ridgeline::roofline::detail
