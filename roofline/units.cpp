#include "roofline/units.hpp"

#include <string>
#include <utility>

namespace ridgeline::roofline {

namespace {

struct unit_row {
  std::string name;
  double factor;
};

struct prefix {
  const char* text;
  double factor;
};

constexpr double kilo = 1e3;
constexpr double kibi = 1024.0;

// Rates of work take the decimal prefixes; memory sizes and bandwidths are quoted with decimal
// and binary ones alike (datasheets differ), so both are accepted, up to tera.
const std::vector<prefix> decimal_prefixes = {{"", 1},    {"k", kilo}, {"M", kilo* kilo},
                                              {"G", 1e9}, {"T", 1e12}, {"P", 1e15}};
const std::vector<prefix> memory_prefixes = {{"", 1},
                                             {"k", kilo},
                                             {"Ki", kibi},
                                             {"M", 1e6},
                                             {"Mi", kibi* kibi},
                                             {"G", 1e9},
                                             {"Gi", kibi* kibi* kibi},
                                             {"T", 1e12},
                                             {"Ti", kibi* kibi* kibi* kibi}};

std::vector<unit_row> prefixed(const std::string& unit, const std::vector<prefix>& prefixes) {
  std::vector<unit_row> out;
  for (const auto& p : prefixes) out.push_back({p.text + unit, p.factor});
  return out;
}

// Tables, not string surgery at lookup: each accepted spelling is listed once with its factor.
const std::vector<unit_row>& table(quantity_kind kind) {
  static const std::vector<unit_row> flop = prefixed("FLOP/s", decimal_prefixes);
  static const std::vector<unit_row> op = prefixed("OP/s", decimal_prefixes);
  static const std::vector<unit_row> byte_rate = prefixed("B/s", memory_prefixes);
  static const std::vector<unit_row> bytes = prefixed("B", memory_prefixes);
  static const std::vector<unit_row> power = prefixed("W", {{"", 1}, {"k", kilo}});
  switch (kind) {
    case quantity_kind::flop_rate:
      return flop;
    case quantity_kind::op_rate:
      return op;
    case quantity_kind::byte_rate:
      return byte_rate;
    case quantity_kind::bytes:
      return bytes;
    case quantity_kind::power:
      break;
  }
  return power;
}

}  // namespace

const char* to_string(quantity_kind k) {
  switch (k) {
    case quantity_kind::flop_rate:
      return "FLOP rate";
    case quantity_kind::op_rate:
      return "operation rate (integer precisions count operations, not FLOPs)";
    case quantity_kind::byte_rate:
      return "bandwidth";
    case quantity_kind::bytes:
      return "capacity";
    case quantity_kind::power:
      break;
  }
  return "power";
}

std::optional<double> unit_factor(quantity_kind kind, std::string_view unit) {
  for (const auto& row : table(kind)) {
    if (unit == row.name) return row.factor;
  }
  return std::nullopt;
}

const std::vector<std::string>& units_of(quantity_kind kind) {
  static const auto names = [] {
    std::vector<std::vector<std::string>> all;
    for (auto k : {quantity_kind::flop_rate, quantity_kind::op_rate, quantity_kind::byte_rate,
                   quantity_kind::bytes, quantity_kind::power}) {
      std::vector<std::string> v;
      for (const auto& row : table(k)) v.emplace_back(row.name);
      all.push_back(std::move(v));
    }
    return all;
  }();
  return names[static_cast<std::size_t>(kind)];
}

}  // namespace ridgeline::roofline
