#pragma once
// What every bench shares, so that their documents and tables agree: the options every bench
// takes, the document's header (schema, purpose, the machine, how busy it was), the pick of the
// fastest measurement, and the ending (JSON file, table, exit status). Placements in a bench
// document are profiler::to_json(placement), as in `run --json`.
#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kernels/runtime.hpp"
#include "profiler/measurement.hpp"

namespace ridgeline::bench {

struct bench_options {
  std::string out_path;   // the JSON document
  double max_time = 1.0;  // sampling time cap per measurement, s
};

// --out and --max-time, with `o`'s values as the defaults shown in --help.
void add_bench_options(CLI::App& app, bench_options& o);

// What a bench's document is: its versioned schema (docs/json-schema.md) and what it measures.
struct report_kind {
  const char* schema;
  const char* what;
};

// A bench's measurements: `doc` arrives with its header, `table` empty; both are written after.
using bench_body = std::function<void(const kernels::runtime& rt, nlohmann::ordered_json& doc,
                                      std::vector<std::string>& table)>;

// Runs a bench: the runtime, the header ({"schema", "what", "host": host and default-backend
// provenance, "load_average_at_start"}), the body, then write_report. Returns the exit status.
int run_bench(const report_kind& kind, const std::string& out_path, const bench_body& body);

// The median time of a measurement that ran correctly; infinity otherwise, so a failure never wins.
double median_or_inf(const profiler::measurement& m);

// The index of the fastest measurement (0 when none ran correctly).
std::size_t fastest(const std::vector<profiler::measurement>& ms);

// The median, formatted, or why there is none: one progress line of a candidate search.
std::string median_or_reason(const profiler::measurement& m);

// Adds "load_average_at_end", writes `doc` to `out_path`, then prints the table and the path.
void write_report(nlohmann::ordered_json& doc, const std::string& out_path,
                  const std::vector<std::string>& table);

// 0 when `body` returns; a usage error 2 and any other error 1, each reported as one "bench:" line.
int exit_status_of(const std::function<void()>& body);

}  // namespace ridgeline::bench
