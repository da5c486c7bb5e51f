#include "bench/bench_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <iostream>

#include "core/error.hpp"
#include "profiler/console_report.hpp"
#include "profiler/provenance.hpp"

namespace ridgeline::bench {

namespace {

// The machine is shared (other engineers compile on it): a result says how busy it was.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

nlohmann::ordered_json report_header(const report_kind& kind, const kernels::runtime& rt) {
  nlohmann::ordered_json doc;
  doc["schema"] = kind.schema;
  doc["what"] = kind.what;
  doc["host"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : profiler::host_provenance()) doc["host"][k] = v;
  for (const auto& [k, v] : rt.provenance(rt.default_backend())) doc["host"][k] = v;
  doc["load_average_at_start"] = load_average();
  return doc;
}

}  // namespace

void add_bench_options(CLI::App& app, bench_options& o) {
  app.add_option("--out", o.out_path, "JSON output file")->capture_default_str();
  app.add_option("--max-time", o.max_time, "Sampling time cap per measurement, s")
      ->capture_default_str();
}

int run_bench(const report_kind& kind, const std::string& out_path, const bench_body& body) {
  return exit_status_of([&] {
    const kernels::runtime rt;
    nlohmann::ordered_json doc = report_header(kind, rt);
    std::vector<std::string> table;
    body(rt, doc, table);
    write_report(doc, out_path, table);
  });
}

double median_or_inf(const profiler::measurement& m) {
  return m.outcome == profiler::status::ok && m.timing ? m.timing->summary.median : INFINITY;
}

std::size_t fastest(const std::vector<profiler::measurement>& ms) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < ms.size(); ++i) {
    if (median_or_inf(ms[i]) < median_or_inf(ms[best])) best = i;
  }
  return best;
}

std::string median_or_reason(const profiler::measurement& m) {
  return m.timing ? profiler::format_seconds(m.timing->summary.median) : m.reason;
}

void write_report(nlohmann::ordered_json& doc, const std::string& out_path,
                  const std::vector<std::string>& table) {
  doc["load_average_at_end"] = load_average();
  std::ofstream out(out_path);
  if (!out) throw runtime_error("--out: cannot write " + out_path);
  out << doc.dump(2) << "\n";
  for (const auto& line : table) fmt::print("{}\n", line);
  fmt::print("wrote {}\n", out_path);
}

int exit_status_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const usage_error& e) {
    std::cerr << "bench: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace ridgeline::bench
