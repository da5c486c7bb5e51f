#include "roofline/detail/card_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <utility>

#include "core/error.hpp"
#include "core/strict_yaml.hpp"
#include "roofline/detail/pattern.hpp"

namespace ridgeline::roofline::detail {

namespace {

using strict_yaml::field;
using strict_yaml::item;
using strict_yaml::join;
using strict_yaml::line_of;
using strict_yaml::mapping;
using strict_yaml::node_kind;
using strict_yaml::source;
using strict_yaml::text;

constexpr const char* schema_name = "ridgeline.device/1";

// A YAML number as written: plain (unquoted) decimal or scientific notation, finite. Quoted
// numbers, hex, "inf", "1,000" and units glued to the number are rejected.
double number(const source& r, const field& f) {
  if (!f.node.IsScalar()) r.fail(f, fmt::format("expected a number, got {}", node_kind(f.node)));
  const std::string& s = f.node.Scalar();
  const bool quoted = f.node.Tag() == "!";
  const bool chars_ok = !s.empty() && s.find_first_not_of("0123456789+-.eE") == std::string::npos;
  char* end = nullptr;
  errno = 0;
  const double v = chars_ok ? std::strtod(s.c_str(), &end) : 0.0;
  if (quoted || !chars_ok || end != s.c_str() + s.size()) {
    r.fail(f, fmt::format("expected a number, got {}'{}'", quoted ? "the quoted text " : "", s));
  }
  if (errno == ERANGE || !std::isfinite(v)) r.fail(f, fmt::format("number out of range: '{}'", s));
  return v;
}

double positive(const source& r, const field& f) {
  const double v = number(r, f);
  if (!(v > 0)) r.fail(f, fmt::format("must be > 0 (got {})", f.node.Scalar()));
  return v;
}

int positive_integer(const source& r, const field& f) {
  const double v = positive(r, f);
  if (v != std::floor(v) || v > 1e6) {
    r.fail(f, fmt::format("expected a whole number, got {}", f.node.Scalar()));
  }
  return static_cast<int>(v);
}

std::vector<std::string> names_list(const source& r, const field& f) {
  if (!f.node.IsSequence()) r.fail(f, fmt::format("expected a list, got {}", node_kind(f.node)));
  std::vector<std::string> out;
  for (const auto& element : f.node) {
    out.push_back(text(r, item(f, element)));
  }
  return out;
}

confidence read_confidence(const source& r, const mapping& m) {
  std::vector<std::string> allowed;
  for (auto c : {confidence::datasheet, confidence::third_party, confidence::estimate,
                 confidence::unknown}) {
    allowed.emplace_back(to_string(c));
  }
  const field f = m.need("confidence", "expected one of: " + join(allowed));
  const std::string s = text(r, f);
  const auto c = parse_confidence(s);
  if (!c) r.fail(f, fmt::format("unknown confidence '{}'; expected one of: {}", s, join(allowed)));
  return *c;
}

// [low, high] in the file's unit; both > 0, low <= high.
value_range read_range(const source& r, const field& f, double factor) {
  if (!f.node.IsSequence() || f.node.size() != 2) {
    r.fail(f, "expected [low, high]");
  }
  const double low = positive(r, item(f, f.node[0]));
  const double high = positive(r, item(f, f.node[1]));
  if (low > high) r.fail(f, fmt::format("low end {} is above high end {}", low, high));
  return {low * factor, high * factor};
}

quantity read_quantity(const source& r, const field& f, quantity_kind kind) {
  const mapping m(r, f, {"value", "unit", "range", "source", "confidence", "note"}, "keys");
  quantity q;
  q.kind = kind;
  q.line = f.line;
  q.confidence = read_confidence(r, m);
  q.source = text(r, m.need("source", "say where the number comes from"));
  if (auto note = m.get("note")) q.note = text(r, *note);

  const auto value = m.get("value");
  const auto range = m.get("range");
  const auto unit = m.get("unit");
  if (q.confidence == confidence::unknown) {
    if (value) r.fail(*value, "a value needs confidence datasheet, third-party or estimate");
    if (range) r.fail(*range, "a range needs confidence datasheet, third-party or estimate");
  }
  // The number before its unit: "value: 10 TFLOP/s" is reported as a malformed number, which is
  // the mistake, not as a missing unit.
  double x = 0;
  if (q.confidence != confidence::unknown) {
    x = positive(r, value ? *value : m.need("value", "a number (or confidence: unknown)"));
  }
  const std::string units = join(units_of(kind));
  double factor = 1;
  if (unit) {
    q.unit = text(r, *unit);
    const auto fac = unit_factor(kind, q.unit);
    if (!fac) {
      r.fail(*unit,
             fmt::format("unknown unit '{}'; units of {}: {}", q.unit, to_string(kind), units));
    }
    factor = *fac;
  } else if (q.confidence != confidence::unknown) {
    m.need("unit", "expected one of: " + units);
  }
  if (q.confidence == confidence::unknown) return q;

  q.value = x * factor;
  if (range) {
    q.range = read_range(r, *range, factor);
    // Compared in the file's unit: the factor must not turn an exact bound into a rounding miss.
    if (x < q.range->low / factor * (1 - 1e-12) || x > q.range->high / factor * (1 + 1e-12)) {
      r.fail(*value, fmt::format("{} is outside its range [{}, {}]", value->node.Scalar(),
                                 range->node[0].Scalar(), range->node[1].Scalar()));
    }
  }
  return q;
}

price read_price(const source& r, const field& f) {
  static const std::vector<std::string> currencies = {"CNY", "USD", "EUR", "JPY", "GBP",
                                                      "KRW", "TWD", "HKD", "SGD", "CHF"};
  const mapping m(
      r, f, {"amount", "range", "currency", "date", "per", "cards", "source", "confidence", "note"},
      "keys");
  price p;
  p.line = f.line;
  p.confidence = read_confidence(r, m);
  if (p.confidence == confidence::unknown) {
    r.fail(m.need("confidence"), "a price needs a confidence; leave an unknown price out");
  }
  p.source = text(r, m.need("source", "say where the price comes from"));
  if (auto note = m.get("note")) p.note = text(r, *note);
  const field cur = m.need("currency", "an ISO 4217 code: " + join(currencies));
  p.currency = text(r, cur);
  if (std::find(currencies.begin(), currencies.end(), p.currency) == currencies.end()) {
    r.fail(cur,
           fmt::format("unknown currency '{}'{}; expected one of: {}", p.currency,
                       p.currency == "RMB" ? " (renminbi is written CNY)" : "", join(currencies)));
  }
  const field date = m.need("date", "YYYY, YYYY-MM or YYYY-MM-DD");
  p.date = text(r, date);
  static const std::regex date_shape(R"(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)");
  if (!std::regex_match(p.date, date_shape)) {
    r.fail(date, fmt::format("expected YYYY, YYYY-MM or YYYY-MM-DD, got '{}'", p.date));
  }
  const field amount = m.need("amount");
  p.amount = positive(r, amount);
  if (auto range = m.get("range")) {
    p.range = read_range(r, *range, 1.0);
    if (p.amount < p.range->low || p.amount > p.range->high) {
      r.fail(amount, fmt::format("{} is outside its range [{}, {}]", amount.node.Scalar(),
                                 p.range->low, p.range->high));
    }
  }
  if (auto per = m.get("per")) {
    const std::string s = text(r, *per);
    if (s == "server") {
      p.per = price::basis::server;
    } else if (s != "card") {
      r.fail(*per, fmt::format("expected card or server, got '{}'", s));
    }
  }
  const auto cards = m.get("cards");
  if (p.per == price::basis::server) {
    p.cards = positive_integer(r, m.need("cards", "how many cards the priced server holds"));
  } else if (cards) {
    r.fail(*cards, "only a price per server states cards");
  }
  return p;
}

// A CPUID or ARM main-ID number as /proc/cpuinfo prints it: decimal (`cpu family: 25`) or, for
// the ARM ids, hexadecimal (`CPU part: 0xd4f`). Quoted text is refused like any quoted number.
int id_number(const source& r, const field& f) {
  if (!f.node.IsScalar()) r.fail(f, fmt::format("expected a number, got {}", node_kind(f.node)));
  const std::string& s = f.node.Scalar();
  static const std::regex shape("0|[1-9][0-9]{0,5}|0[xX][0-9a-fA-F]{1,4}");
  if (f.node.Tag() == "!" || !std::regex_match(s, shape)) {
    r.fail(f,
           fmt::format("expected a whole number (decimal, or hexadecimal as 0xd4f), got '{}'", s));
  }
  return static_cast<int>(std::strtol(s.c_str(), nullptr, 0));
}

cpu_match_rule read_cpu_match(const source& r, const mapping& m) {
  cpu_match_rule rule;
  if (auto v = m.get("cpu_implementer")) rule.implementer = id_number(r, *v);
  if (auto v = m.get("cpu_part")) rule.part = id_number(r, *v);
  // arm64 kernels print no model name: an ARM rule may name the core by implementer and part.
  const auto model = rule.implementer >= 0 && rule.part >= 0
                         ? m.get("cpu_model")
                         : m.need("cpu_model",
                                  "a cpu card matches by a model-name pattern (or, on ARM, by "
                                  "cpu_implementer and cpu_part)");
  if (model) {
    rule.model_pattern = text(r, *model);
    try {
      compile_pattern(rule.model_pattern);
    } catch (const std::regex_error& e) {
      r.fail(*model, fmt::format("invalid regular expression: {}", e.what()));
    }
  }
  if (auto v = m.get("cpu_vendor")) rule.vendor = text(r, *v);
  if (auto v = m.get("cpu_flags")) rule.flags = names_list(r, *v);
  if (auto v = m.get("cpu_flags_absent")) rule.absent_flags = names_list(r, *v);
  if (auto v = m.get("cpu_family")) rule.family = id_number(r, *v);
  if (auto v = m.get("cpu_model_number")) rule.model_number = id_number(r, *v);
  if (auto v = m.get("physical_cores")) rule.physical_cores = positive_integer(r, *v);
  if (auto v = m.get("sockets")) rule.sockets = positive_integer(r, *v);
  if (auto v = m.get("logical_cpus")) rule.logical_cpus = positive_integer(r, *v);
  return rule;
}

// The match keys of a cpu card, in the order docs/device-catalog.md lists them.
const std::vector<std::string>& cpu_match_keys() {
  static const std::vector<std::string> keys = {
      "cpu_vendor",     "cpu_model",        "cpu_flags",       "cpu_flags_absent",
      "cpu_family",     "cpu_model_number", "cpu_implementer", "cpu_part",
      "physical_cores", "sockets",          "logical_cpus"};
  return keys;
}

void read_match(const source& r, const field& f, device_card& card) {
  std::vector<std::string> allowed = {"device_name"};
  allowed.insert(allowed.end(), cpu_match_keys().begin(), cpu_match_keys().end());
  const mapping m(r, f, allowed, "keys");
  if (card.kind == device_kind::cpu) {
    if (auto d = m.get("device_name")) {
      r.fail(*d, "a cpu card matches by " + join(cpu_match_keys()));
    }
    card.cpu_match = read_cpu_match(r, m);
    return;
  }
  for (const auto& e : m.entries()) {
    if (e.path != f.path + ".device_name") {
      r.fail(e,
             fmt::format("only a cpu card matches by CPU properties; a {} matches by device_name",
                         to_string(card.kind)));
    }
  }
  const field name = m.need("device_name", "a regular expression for the device name");
  card.device_name_pattern = text(r, name);
  try {
    compile_pattern(card.device_name_pattern);
  } catch (const std::regex_error& e) {
    r.fail(name, fmt::format("invalid regular expression: {}", e.what()));
  }
}

void read_compute(const source& r, const field& f, device_card& card) {
  const mapping units(r, f, catalog_units(), "compute units");
  if (units.entries().empty()) r.fail(f, "no compute units; list simt and/or tensor roofs");
  for (const field& unit : units.entries()) {
    const mapping precisions(r, unit, catalog_precisions(), "precisions");
    if (precisions.entries().empty()) r.fail(unit, "no precisions listed");
    for (const field& p : precisions.entries()) {
      const auto kind = p.key == "int8" ? quantity_kind::op_rate : quantity_kind::flop_rate;
      card.compute.push_back({p.key, unit.key, read_quantity(r, p, kind)});
    }
  }
}

void read_bandwidth(const source& r, const field& f, device_card& card) {
  // Other tools' names for the levels, answered with the catalog's name.
  static const std::map<std::string, std::string> aliases = {
      {"hbm", "main memory is 'dram' whatever its type (memory.type says which)"},
      {"ddr", "main memory is 'dram' whatever its type (memory.type says which)"},
      {"gddr", "main memory is 'dram' whatever its type (memory.type says which)"},
      {"l3", "the last-level cache is 'llc'"},
      {"mall", "the last-level cache is 'llc'"},
      {"lds", "shared memory (LDS) is 'shared'"},
      {"smem", "shared memory (LDS) is 'shared'"}};
  if (f.node.IsMap()) {
    for (auto it = f.node.begin(); it != f.node.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      const auto alias = aliases.find(it->first.Scalar());
      if (alias != aliases.end()) {
        r.fail(line_of(it->first), f.path + "." + alias->first, "unknown key; " + alias->second);
      }
    }
  }
  const mapping levels(r, f, catalog_levels(), "memory levels");
  if (levels.entries().empty()) r.fail(f, "no memory levels; list at least dram");
  for (const field& level : levels.entries()) {
    card.bandwidth.push_back({level.key, read_quantity(r, level, quantity_kind::byte_rate)});
  }
}

}  // namespace

bool valid_card_id(const std::string& id) {
  static const std::regex shape("[a-z0-9][a-z0-9_-]*");
  return std::regex_match(id, shape);
}

device_card read_card(const std::string& path, const std::string& text_in, const std::string& id) {
  const source r(path);
  const mapping top(r, r.parse(text_in, "card", "device card"),
                    {"schema", "name", "vendor", "kind", "arch", "note", "match", "memory",
                     "compute", "bandwidth", "economics"},
                    "keys");

  device_card card;
  card.id = id;
  card.file = path;
  const field schema = top.need("schema", std::string("expected ") + schema_name);
  if (text(r, schema) != schema_name) {
    r.fail(schema,
           fmt::format("unsupported schema '{}'; expected {}", schema.node.Scalar(), schema_name));
  }
  const field name = top.need("name");
  card.name = text(r, name);
  card.name_line = name.line;
  card.vendor = text(r, top.need("vendor"));
  const field kind = top.need("kind", "cpu, gpu, npu or accelerator");
  const auto k = parse_device_kind(text(r, kind));
  if (!k) {
    r.fail(kind, fmt::format("unknown kind '{}'; expected cpu, gpu, npu or accelerator",
                             kind.node.Scalar()));
  }
  card.kind = *k;
  card.arch = text(r, top.need("arch"));
  if (auto note = top.get("note")) card.note = text(r, *note);
  read_match(r, top.need("match", "how to recognise the device"), card);

  if (auto memory = top.get("memory")) {
    const mapping m(r, *memory, {"type", "capacity"}, "keys");
    if (auto type = m.get("type")) card.memory_type = text(r, *type);
    if (auto cap = m.get("capacity"))
      card.memory_capacity = read_quantity(r, *cap, quantity_kind::bytes);
  }
  read_compute(r, top.need("compute", "compute roofs per unit and precision"), card);
  read_bandwidth(r, top.need("bandwidth", "bandwidth roofs per memory level"), card);
  if (auto econ = top.get("economics")) {
    const mapping m(r, *econ, {"board_power", "price"}, "keys");
    if (auto power = m.get("board_power")) {
      card.board_power = read_quantity(r, *power, quantity_kind::power);
    }
    if (auto p = m.get("price")) card.price = read_price(r, *p);
  }
  return card;
}

}  // namespace ridgeline::roofline::detail
