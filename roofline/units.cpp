#include "roofline/units.hpp"

#include <utility>

namespace ridgeline::roofline {

namespace {

struct unit_row {
  const char* name;
  double factor;
};

constexpr double kilo = 1e3;
constexpr double kibi = 1024.0;

// Tables, not string surgery: each accepted spelling is listed once with its factor.
const std::vector<unit_row>& table(quantity_kind kind) {
  static const std::vector<unit_row> flop = {
      {"FLOP/s", 1},    {"kFLOP/s", kilo}, {"MFLOP/s", kilo * kilo},
      {"GFLOP/s", 1e9}, {"TFLOP/s", 1e12}, {"PFLOP/s", 1e15}};
  static const std::vector<unit_row> op = {{"OP/s", 1},    {"kOP/s", kilo}, {"MOP/s", 1e6},
                                           {"GOP/s", 1e9}, {"TOP/s", 1e12}, {"POP/s", 1e15}};
  static const std::vector<unit_row> byte_rate = {{"B/s", 1},
                                                  {"kB/s", kilo},
                                                  {"KiB/s", kibi},
                                                  {"MB/s", 1e6},
                                                  {"MiB/s", kibi * kibi},
                                                  {"GB/s", 1e9},
                                                  {"GiB/s", kibi * kibi * kibi},
                                                  {"TB/s", 1e12},
                                                  {"TiB/s", kibi * kibi * kibi * kibi}};
  static const std::vector<unit_row> bytes = {{"B", 1},
                                              {"kB", kilo},
                                              {"KiB", kibi},
                                              {"MB", 1e6},
                                              {"MiB", kibi * kibi},
                                              {"GB", 1e9},
                                              {"GiB", kibi * kibi * kibi},
                                              {"TB", 1e12},
                                              {"TiB", kibi * kibi * kibi * kibi}};
  static const std::vector<unit_row> power = {{"W", 1}, {"kW", kilo}};
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
