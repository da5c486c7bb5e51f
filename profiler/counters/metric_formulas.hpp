#pragma once
// Metric formulas as data (STYLE.md lesson 6): configs/metrics/<vendor>/<arch>.yaml maps one
// vendor's counters to Ridgeline's metric names with + - * / ( ) and constants. This file holds no
// vendor counter name: it parses, checks and evaluates whatever a file declares. File format and
// metric names: docs/counters.md.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ridgeline::profiler::counters {

// How perf_event_open encodes a counter (CPU files only): PERF_TYPE_RAW, PERF_TYPE_HARDWARE or
// PERF_TYPE_SOFTWARE with the given config word (software events exist so the collection path can
// be tested on machines without a PMU).
struct perf_event_code {
  std::string type;  // "raw", "hardware" or "software"
  std::uint64_t config = 0;
};

struct counter_decl {
  std::string name;  // the vendor's name, passed to the backend as is
  std::string unit;  // informative: "instructions", "bytes", ...
  std::optional<perf_event_code> perf_event;
  int line = 0;
};

// A parsed formula: reverse Polish notation over constants and counter names.
class formula {
 public:
  struct op {
    enum kind_t { constant, counter, add, sub, mul, div, neg } kind = constant;
    double value = 0;
    std::string name;  // counter
  };

  // Throws usage_error "PREFIX: problem at column C" on malformed text; `known` lists the counters
  // the formula may use (unknown names are rejected).
  static formula parse(const std::string& text, const std::vector<std::string>& known,
                       const std::string& prefix);

  // Missing counters throw runtime_error naming them.
  double evaluate(const std::map<std::string, double>& values) const;
  const std::vector<std::string>& counters() const { return counters_; }  // distinct, in order
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<op> program_;
  std::vector<std::string> counters_;
};

struct metric_def {
  std::string name;  // Ridgeline metric name, e.g. "flops_f32_simt"
  formula expr;
  int line = 0;
};

struct metric_file {
  std::string path;    // as loaded (for messages)
  std::string vendor;  // "nvidia"
  std::string arch;    // "sm_90"
  std::string source;  // the backend that reads these counters: "cupti", "perf_event", "rocprofv3"
  std::vector<std::string> match;  // device identities (CUPTI chip names, "Vendor:family[:model]")
  std::vector<counter_decl> counters;
  std::vector<metric_def> metrics;

  const metric_def* find(const std::string& metric) const;
  const counter_decl* find_counter(const std::string& name) const;
  // The distinct counters the given metrics need (metrics the file lacks are skipped).
  std::vector<std::string> counters_for(const std::vector<std::string>& metric_names) const;
  // metric -> value for the given metrics the file defines. Throws runtime_error when a counter is
  // missing from `values` or a result is not finite.
  std::map<std::string, double> evaluate(const std::vector<std::string>& metric_names,
                                         const std::map<std::string, double>& values) const;
};

// Ridgeline's metric names: flops_<precision>_<unit> (precision f16|bf16|tf32|f32|f64|fp8|i8|any,
// unit simt|tensor), bytes_<level> (dram|llc|l2|l1|lds), time_s, sm_clock_hz, dram_clock_hz.
bool is_metric_name(const std::string& name);

// Strict loaders: unknown keys, repeated keys, unknown metric names, formulas naming undeclared
// counters, declared counters no formula uses and malformed formulas throw usage_error
// "FILE:LINE: field: problem".
metric_file parse_metric_file(const std::string& yaml_text, const std::string& file_name);
metric_file load_metric_file(const std::string& path);
// Every *.yaml under `dir` (recursively), sorted by path. A malformed file throws (a shipped
// catalog must not be half-read).
std::vector<metric_file> load_metric_dir(const std::string& dir);
// The file whose `source` is `source` and whose `match` list holds the first of `device_ids`
// (most specific first) that any file matches; nullptr when none does.
const metric_file* find_metric_file(const std::vector<metric_file>& files,
                                    const std::string& source,
                                    const std::vector<std::string>& device_ids);

// The directory of the shipped metric files: $RIDGELINE_METRICS_DIR, else the source tree's
// configs/metrics compiled in.
std::string default_metrics_dir();

}  // namespace ridgeline::profiler::counters
