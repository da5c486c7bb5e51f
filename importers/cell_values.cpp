#include "importers/cell_values.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "core/error.hpp"

namespace ridgeline::importers {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// `s` without its thousands separators, or nullopt when a comma is not one: commas may only sit
// in the integer part, between groups of exactly three digits after a first group of one to
// three ("1,234,567.5"; not "1,23", "1234,567", ",123" or "1.234,5").
std::optional<std::string> without_separators(std::string_view s) {
  if (s.find(',') == std::string_view::npos) return std::string(s);
  std::size_t i = 0;
  std::string out;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) out += s[i++];
  std::size_t group = 0;
  bool first = true;
  for (; i < s.size() && (is_digit(s[i]) || s[i] == ','); ++i) {
    if (s[i] == ',') {
      if (first ? (group < 1 || group > 3) : group != 3) return std::nullopt;
      first = false;
      group = 0;
    } else {
      out += s[i];
      ++group;
    }
  }
  if (first || group != 3) return std::nullopt;  // first: the comma was past the integer part
  const std::string_view rest = s.substr(i);
  if (rest.find(',') != std::string_view::npos) return std::nullopt;
  out += rest;
  return out;
}

struct unit_entry {
  const char* name;
  double scale;
};

// Nsight Compute's "Kbyte", "Mbyte", "Gbyte", "Tbyte" are decimal (1000^n), like SI: ncu shows a
// 64 KiB shared-memory carve-out as "Shared Memory Configuration Size [Kbyte] 65.54" and the
// 1 KiB driver reservation as "Driver Shared Memory Per Block [Kbyte] 1.02" (65536 / 1000,
// 1024 / 1000; an RTX 3090's 100 KiB per SM reads 102.4). Source: ncu values quoted on NVIDIA's
// developer forums, https://forums.developer.nvidia.com/t/320732 (Shared Memory Configuration
// Size). A search of NVIDIA's ncu documentation (CLI and Profiling Guide) found no sentence that
// states the base. With --print-units base, ncu writes plain "byte" and the question is moot.
constexpr unit_entry byte_units[] = {
    {"byte", 1.0},
    {"B", 1.0},
    {"Kbyte", 1e3},
    {"Mbyte", 1e6},
    {"Gbyte", 1e9},
    {"Tbyte", 1e12},
    {"KB", 1e3},
    {"MB", 1e6},
    {"GB", 1e9},
    {"TB", 1e12},
    {"KiB", 1024.0},
    {"MiB", 1024.0 * 1024},
    {"GiB", 1024.0 * 1024 * 1024},
    {"TiB", 1024.0 * 1024 * 1024 * 1024},
};

constexpr unit_entry time_units[] = {
    {"ns", 1e-9}, {"nsecond", 1e-9}, {"us", 1e-6}, {"usecond", 1e-6},
    {"ms", 1e-3}, {"msecond", 1e-3}, {"s", 1.0},   {"second", 1.0},
};

constexpr const char* count_units[] = {"",           "inst",     "instructions", "count",
                                       "operations", "requests", "cycle"};

template <std::size_t N>
std::optional<double> find(const unit_entry (&table)[N], std::string_view unit) {
  for (const auto& e : table)
    if (unit == e.name) return e.scale;
  return std::nullopt;
}

}  // namespace

const char* to_string(quantity q) {
  switch (q) {
    case quantity::time:
      return "time";
    case quantity::bytes:
      return "bytes";
    case quantity::byte_rate:
      return "byte rate";
    case quantity::count:
      return "count";
    case quantity::percent:
      return "percent";
  }
  return "?";
}

std::optional<double> parse_cell_number(std::string_view text, const std::string& where,
                                        const std::string& column) {
  const std::string_view s = trim(text);
  for (const char* none : {"", "n/a", "na", "-", "nan"})
    if (equals_ignoring_case(s, none)) return std::nullopt;
  auto malformed = [&] {
    return usage_error(fmt::format("{}: {}: expected a number, got '{}'", where, column, s));
  };
  const std::optional<std::string> plain = without_separators(s);
  if (!plain) throw malformed();
  // Decimal notation only: strtod would also take "inf", "0x1p4" and locale-specific forms.
  for (const char c : *plain)
    if (!is_digit(c) && c != '.' && c != '+' && c != '-' && c != 'e' && c != 'E') throw malformed();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(plain->c_str(), &end);
  if (plain->empty() || end != plain->c_str() + plain->size() || !std::isfinite(v))
    throw malformed();
  return v;  // an underflow (1e-400) reads as 0 or a denormal, which is what it is
}

std::optional<double> unit_scale(std::string_view unit, quantity q) {
  unit = trim(unit);
  switch (q) {
    case quantity::time:
      return find(time_units, unit);
    case quantity::bytes:
      return find(byte_units, unit);
    case quantity::byte_rate:
      for (const std::string_view per : {"/second", "/s"}) {
        if (unit.size() > per.size() && unit.substr(unit.size() - per.size()) == per)
          return find(byte_units, unit.substr(0, unit.size() - per.size()));
      }
      return std::nullopt;
    case quantity::count:
      for (const char* name : count_units)
        if (unit == name) return 1.0;
      return std::nullopt;
    case quantity::percent:
      if (unit == "%") return 1.0;  // stays in percent points (0..100), not a fraction
      return std::nullopt;
  }
  return std::nullopt;
}

std::pair<std::string, std::string> split_unit_suffix(std::string_view column) {
  const std::string_view s = trim(column);
  if (s.empty() || s.back() != ')') return {std::string(s), ""};
  // The group's opening parenthesis, matching nested ones ("Size (B (raw))" is not expected,
  // but an unbalanced name is left whole rather than cut in the middle).
  int depth = 0;
  std::size_t open = std::string_view::npos;
  for (std::size_t i = s.size(); i-- > 0;) {
    if (s[i] == ')') ++depth;
    if (s[i] == '(' && --depth == 0) {
      open = i;
      break;
    }
  }
  if (open == std::string_view::npos || open == 0) return {std::string(s), ""};
  const std::string_view name = trim(s.substr(0, open));
  const std::string_view unit = trim(s.substr(open + 1, s.size() - open - 2));
  if (name.empty()) return {std::string(s), ""};
  return {std::string(name), std::string(unit)};
}

}  // namespace ridgeline::importers
