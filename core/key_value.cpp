#include "core/key_value.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/error.hpp"

namespace ridgeline {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The trimmed comma-separated items of `text` (none for an empty text). An empty item fails,
// naming `field`; `shape` ends that message with the expected form.
std::vector<std::string_view> split_items(std::string_view text, std::string_view field,
                                          std::string_view shape) {
  std::vector<std::string_view> out;
  text = trim(text);
  if (text.empty()) return out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = trim(text.substr(start, comma - start));
    if (item.empty())
      throw usage_error(fmt::format("{}: empty item in '{}'{}", field, text, shape));
    out.push_back(item);
    start = comma + 1;
  }
  return out;
}

}  // namespace

key_value_list parse_key_value_list(std::string_view text, std::string_view field) {
  key_value_list out;
  for (const std::string_view item : split_items(text, field, " (expected name=value,...)")) {
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      throw usage_error(fmt::format("{}: expected name=value, got '{}'", field, item));
    }
    const std::string name(trim(item.substr(0, eq)));
    const std::string value(trim(item.substr(eq + 1)));
    if (name.empty()) throw usage_error(fmt::format("{}: missing name in '{}'", field, item));
    if (value.empty()) throw usage_error(fmt::format("{}: {} has no value", field, name));
    for (const auto& kv : out) {
      if (kv.first == name) throw usage_error(fmt::format("{}: {} given twice", field, name));
    }
    out.emplace_back(name, value);
  }
  return out;
}

std::vector<std::string> parse_name_list(std::string_view text, std::string_view field) {
  std::vector<std::string> out;
  for (const std::string_view item : split_items(text, field, "")) {
    for (const auto& seen : out) {
      if (seen == item) throw usage_error(fmt::format("{}: {} given twice", field, item));
    }
    out.emplace_back(item);
  }
  return out;
}

std::int64_t parse_integer(std::string_view text, std::string_view what) {
  const std::string s(trim(text));
  if (s.empty()) throw usage_error(fmt::format("{}: expected an integer, got ''", what));
  std::int64_t scale = 1;
  std::string digits = s;
  const char last = s.back();
  if (last == 'k' || last == 'K') {
    scale = 1024;
    digits.pop_back();
  } else if (last == 'M') {
    scale = 1024 * 1024;
    digits.pop_back();
  }
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(digits.c_str(), &end, 10);
  if (digits.empty() || end != digits.c_str() + digits.size()) {
    throw usage_error(fmt::format("{}: expected an integer, got '{}'", what, s));
  }
  if (errno == ERANGE || v > std::numeric_limits<std::int64_t>::max() / scale ||
      v < std::numeric_limits<std::int64_t>::min() / scale) {
    throw usage_error(fmt::format("{}: integer out of range: '{}'", what, s));
  }
  return static_cast<std::int64_t>(v) * scale;
}

double parse_real(std::string_view text, std::string_view what) {
  const std::string s(trim(text));
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) {
    throw usage_error(fmt::format("{}: expected a number, got '{}'", what, s));
  }
  if (errno == ERANGE || !std::isfinite(v)) {
    throw usage_error(fmt::format("{}: number out of range: '{}'", what, s));
  }
  return v;
}

}  // namespace ridgeline
