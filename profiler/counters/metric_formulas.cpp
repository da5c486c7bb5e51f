#include "profiler/counters/metric_formulas.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "core/error.hpp"
#include "core/strict_yaml.hpp"

#ifndef RIDGELINE_METRICS_DIR
#define RIDGELINE_METRICS_DIR "configs/metrics"
#endif

namespace ridgeline::profiler::counters {

namespace {

using strict_yaml::field;
using strict_yaml::join;
using strict_yaml::mapping;
using strict_yaml::source;
using strict_yaml::text;

constexpr const char* schema_name = "ridgeline.metrics/1";

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// --- formula text -> RPN (recursive descent; precedence: unary minus > * / > + -) -------------

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

class formula_parser {
 public:
  formula_parser(const std::string& text, const std::vector<std::string>& known,
                 const std::string& prefix)
      : s_(text), known_(known), prefix_(prefix) {}

  std::vector<formula::op> run(std::vector<std::string>& counters) {
    skip();
    if (pos_ >= s_.size()) fail("empty formula");
    expr();
    skip();
    if (pos_ < s_.size()) fail(fmt::format("unexpected '{}'", s_[pos_]));
    counters = std::move(counters_);
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw usage_error(fmt::format("{}: {} at column {} of '{}'", prefix_, problem, pos_ + 1, s_));
  }
  void push(formula::op::kind_t kind, double value = 0, const std::string& name = {}) {
    formula::op o;
    o.kind = kind;
    o.value = value;
    o.name = name;
    out_.push_back(std::move(o));
  }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // One precedence level of left-associative binary operators over `operand`, the next tighter
  // level.
  using level = void (formula_parser::*)();
  void binary(std::initializer_list<std::pair<char, formula::op::kind_t>> ops, level operand) {
    (this->*operand)();
    for (;;) {
      const auto* it =
          std::find_if(ops.begin(), ops.end(), [&](const auto& o) { return eat(o.first); });
      if (it == ops.end()) return;
      (this->*operand)();
      push(it->second);
    }
  }
  void expr() { binary({{'+', formula::op::add}, {'-', formula::op::sub}}, &formula_parser::term); }
  void term() {
    binary({{'*', formula::op::mul}, {'/', formula::op::div}}, &formula_parser::factor);
  }
  void factor() {
    skip();
    if (pos_ >= s_.size()) fail("expected a number, a counter or '('");
    const char c = s_[pos_];
    if (c == '-') {
      ++pos_;
      factor();
      push(formula::op::neg);
    } else if (c == '(') {
      ++pos_;
      expr();
      if (!eat(')')) fail("expected ')'");
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      const char* begin = s_.c_str() + pos_;
      char* end = nullptr;
      errno = 0;
      const double v = std::strtod(begin, &end);
      if (end == begin || errno == ERANGE || !std::isfinite(v)) fail("malformed number");
      // strtod would accept "0x10", "inf" tails and "1e"; allow only decimal notation.
      const std::string lit(begin, static_cast<const char*>(end));
      if (lit.find_first_not_of("0123456789.eE+-") != std::string::npos) fail("malformed number");
      pos_ += lit.size();
      if (pos_ < s_.size() && ident_char(s_[pos_])) fail("malformed number");
      push(formula::op::constant, v);
    } else if (ident_start(c)) {
      const std::size_t start = pos_;
      while (pos_ < s_.size() && ident_char(s_[pos_])) ++pos_;
      const std::string name = s_.substr(start, pos_ - start);
      if (!contains(known_, name)) {
        pos_ = start;
        fail(fmt::format("unknown counter '{}' (not declared under counters:)", name));
      }
      if (!contains(counters_, name)) counters_.push_back(name);
      push(formula::op::counter, 0, name);
    } else {
      fail(fmt::format("unexpected '{}'", c));
    }
  }

  const std::string& s_;
  const std::vector<std::string>& known_;
  const std::string& prefix_;
  std::size_t pos_ = 0;
  std::vector<formula::op> out_;
  std::vector<std::string> counters_;
};

perf_event_code read_perf_event(const source& r, const field& f) {
  const mapping m(r, f, {"type", "config"});
  perf_event_code code;
  const field type = m.need("type");
  code.type = text(r, type);
  if (code.type != "raw" && code.type != "hardware" && code.type != "software")
    r.fail(type, fmt::format("expected raw, hardware or software, got '{}'", code.type));
  const field config = m.need("config");
  const std::string digits = text(r, config);
  char* end = nullptr;
  errno = 0;
  code.config = std::strtoull(digits.c_str(), &end, 0);
  if (digits[0] == '-' || end != digits.c_str() + digits.size() || errno)
    r.fail(config, fmt::format("expected an integer (decimal or 0x hex), got '{}'", digits));
  return code;
}

}  // namespace

// --- formula ------------------------------------------------------------------------------------

formula formula::parse(const std::string& text, const std::vector<std::string>& known,
                       const std::string& prefix) {
  formula f;
  f.text_ = text;
  f.program_ = formula_parser(text, known, prefix).run(f.counters_);
  return f;
}

double formula::evaluate(const std::map<std::string, double>& values) const {
  std::vector<double> stack;
  for (const auto& o : program_) {
    if (o.kind == op::constant) {
      stack.push_back(o.value);
      continue;
    }
    if (o.kind == op::counter) {
      const auto it = values.find(o.name);
      if (it == values.end())
        throw runtime_error(fmt::format("no value for counter '{}' (formula '{}')", o.name, text_));
      stack.push_back(it->second);
      continue;
    }
    if (o.kind == op::neg) {
      stack.back() = -stack.back();
      continue;
    }
    const double b = stack.back();
    stack.pop_back();
    double& a = stack.back();
    switch (o.kind) {
      case op::add:
        a += b;
        break;
      case op::sub:
        a -= b;
        break;
      case op::mul:
        a *= b;
        break;
      case op::div:
        a /= b;
        break;
      default:
        break;
    }
  }
  return stack.back();
}

// --- metric names -------------------------------------------------------------------------------

bool is_metric_name(const std::string& name) {
  static const std::vector<std::string> precisions = {"f16", "bf16", "tf32", "f32",
                                                      "f64", "fp8",  "i8",   "any"};
  static const std::vector<std::string> levels = {"dram", "llc", "l2", "l1", "lds"};
  if (name == "time_s" || name == "sm_clock_hz" || name == "dram_clock_hz") return true;
  if (name.rfind("bytes_", 0) == 0) return contains(levels, name.substr(6));
  if (name.rfind("flops_", 0) == 0) {
    const std::string rest = name.substr(6);
    const auto us = rest.rfind('_');
    if (us == std::string::npos) return false;
    const std::string unit = rest.substr(us + 1);
    return contains(precisions, rest.substr(0, us)) && (unit == "simt" || unit == "tensor");
  }
  return false;
}

// --- metric_file --------------------------------------------------------------------------------

const metric_def* metric_file::find(const std::string& metric) const {
  for (const auto& m : metrics) {
    if (m.name == metric) return &m;
  }
  return nullptr;
}

const counter_decl* metric_file::find_counter(const std::string& name) const {
  for (const auto& c : counters) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<std::string> metric_file::counters_for(
    const std::vector<std::string>& metric_names) const {
  std::vector<std::string> out;
  for (const auto& name : metric_names) {
    if (const metric_def* m = find(name)) {
      for (const auto& c : m->expr.counters()) {
        if (!contains(out, c)) out.push_back(c);
      }
    }
  }
  return out;
}

std::map<std::string, double> metric_file::evaluate(
    const std::vector<std::string>& metric_names,
    const std::map<std::string, double>& values) const {
  std::map<std::string, double> out;
  for (const auto& name : metric_names) {
    const metric_def* m = find(name);
    if (!m) continue;
    const double v = m->expr.evaluate(values);
    if (!std::isfinite(v))
      throw runtime_error(
          fmt::format("{}: metric {} = '{}' is not finite ({})", path, name, m->expr.text(), v));
    out[name] = v;
  }
  return out;
}

metric_file parse_metric_file(const std::string& yaml_text, const std::string& file_name) {
  const source r(file_name);
  const mapping top(r, r.parse(yaml_text, "metrics", "metric formula file"),
                    {"schema", "vendor", "arch", "source", "match", "counters", "metrics"});
  metric_file f;
  f.path = file_name;
  const field schema = top.need("schema");
  if (text(r, schema) != schema_name)
    r.fail(schema, fmt::format("expected {}, got '{}'", schema_name, schema.node.Scalar()));
  f.vendor = text(r, top.need("vendor"));
  f.arch = text(r, top.need("arch"));
  const field source_field = top.need("source");
  f.source = text(r, source_field);
  static const std::vector<std::string> sources = {"cupti", "perf_event", "rocprofv3"};
  if (!contains(sources, f.source))
    r.fail(source_field,
           fmt::format("unknown source '{}'; expected one of: {}", f.source, join(sources)));

  const field match = top.need("match");
  if (!match.node.IsSequence() || match.node.size() == 0)
    r.fail(match, "expected a non-empty list of device identities");
  for (const auto& element : match.node) {
    f.match.push_back(text(r, strict_yaml::item(match, element)));
  }

  const field counters = top.need("counters");
  std::vector<std::string> names;
  const mapping declared = mapping::of_any_keys(r, counters);
  for (const field& e : declared.entries()) {
    const std::string& name = e.key;
    if (!ident_start(name[0]) ||
        !std::all_of(name.begin(), name.end(), [](char c) { return ident_char(c); }))
      r.fail(e, "a counter name is letters, digits, '_' and '.', not starting with a digit");
    counter_decl d;
    d.name = name;
    d.line = e.line;
    const mapping attrs(r, e, {"unit", "perf_event"});
    d.unit = text(r, attrs.need("unit"));
    if (const auto pe = attrs.get("perf_event")) d.perf_event = read_perf_event(r, *pe);
    if (f.source == "perf_event" && !d.perf_event)
      r.fail(e, "a perf_event file must give each counter's perf_event: {type, config}");
    names.push_back(d.name);
    f.counters.push_back(std::move(d));
  }
  if (f.counters.empty()) r.fail(counters, "no counters declared");

  const field metrics = top.need("metrics");
  std::vector<std::string> used;
  const mapping defined = mapping::of_any_keys(r, metrics);
  for (const field& e : defined.entries()) {
    if (!is_metric_name(e.key))
      r.fail(e,
             "unknown Ridgeline metric; expected flops_<f16|bf16|tf32|f32|f64|fp8|i8|any>_"
             "<simt|tensor>, bytes_<dram|llc|l2|l1|lds>, time_s, sm_clock_hz or dram_clock_hz");
    metric_def m;
    m.name = e.key;
    m.line = strict_yaml::line_of(e.node);
    m.expr = formula::parse(text(r, e), names, r.where(m.line, e.path));
    for (const auto& c : m.expr.counters()) {
      if (!contains(used, c)) used.push_back(c);
    }
    f.metrics.push_back(std::move(m));
  }
  if (f.metrics.empty()) r.fail(metrics, "no metrics defined");
  for (const auto& c : f.counters) {
    if (!contains(used, c.name))
      r.fail(c.line, "counters." + c.name, "declared but used by no metric");
  }
  return f;
}

metric_file load_metric_file(const std::string& path) {
  return parse_metric_file(strict_yaml::read_file(path, "metric file"), path);
}

std::vector<metric_file> load_metric_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw usage_error(fmt::format("{}: not a directory of metric files", dir));
  std::vector<std::string> paths;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<metric_file> out;
  for (const auto& p : paths) out.push_back(load_metric_file(p));
  return out;
}

const metric_file* find_metric_file(const std::vector<metric_file>& files,
                                    const std::string& source,
                                    const std::vector<std::string>& device_ids) {
  for (const auto& id : device_ids) {
    for (const auto& f : files) {
      if (f.source == source && contains(f.match, id)) return &f;
    }
  }
  return nullptr;
}

std::string default_metrics_dir() {
  if (const char* env = std::getenv("RIDGELINE_METRICS_DIR"); env && *env) return env;
  return RIDGELINE_METRICS_DIR;
}

}  // namespace ridgeline::profiler::counters
