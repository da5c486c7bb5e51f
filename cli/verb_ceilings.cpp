// `ridgeline ceilings`: measure this machine's compute and bandwidth ceilings with Ridgeline's own
// micro-benchmarks; print them (or JSON) with the sweep behind them.
#include <fmt/format.h>

#include <iostream>

#include "cli/data_sources.hpp"
#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "core/error.hpp"
#include "core/key_value.hpp"
#include "kernels/ceilings/ceilings.hpp"
#include "kernels/ceilings/ceilings_json.hpp"
#include "kernels/runtime.hpp"
#include "profiler/console_report.hpp"
#include "service/measured_roofs.hpp"

namespace ridgeline::cli {

CLI::App* add_ceilings(CLI::App& app, ceilings_options& o) {
  CLI::App* cmd = app.add_subcommand("ceilings", "Measure compute and bandwidth ceilings");
  cmd->add_option("--backend", o.backend, "Kokkos backend (default: Kokkos' default space)");
  cmd->add_option("--time-per-point", o.seconds_per_point, "Sampling time cap per sweep point, s")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-bytes", o.max_bytes,
                  "Largest working set of the sweeps, e.g. 256M (default: 16x the last-level "
                  "cache, at least 1 GiB, at most half the free memory)");
  cmd->add_flag("--sweep", o.show_sweep, "Also print every sweep point");
  cmd->add_flag("--quick", o.quick, "One sweep point per level (a smoke test, not a measurement)");
  return cmd;
}

int run_ceilings(const global_options& g, const ceilings_options& o) {
  const roofline::device_catalog catalog = load_device_catalog(g.catalog);
  storage::database db = open_results_database(g.db);
  const kernels::runtime rt({g.threads});
  kernels::ceilings_options k;
  k.backend = o.backend;
  k.seconds_per_point = o.seconds_per_point;
  if (!o.max_bytes.empty()) {
    const std::int64_t bytes = parse_integer(o.max_bytes, "--max-bytes");
    if (bytes < (1 << 20)) throw usage_error("--max-bytes: must be at least 1M");
    k.max_working_set = static_cast<std::uint64_t>(bytes);
  }
  k.quick = o.quick;
  const kernels::ceilings_result r = kernels::measure_ceilings(rt, k);
  // Quick sweeps are smoke tests, not measurements: they are not stored as roofs.
  if (!o.quick) {
    service::store_measured_roofs(db, rt, catalog, r, g.command);
  }

  if (g.json) {
    std::cout << kernels::to_json(r).dump(2) << "\n";
    return exit_ok;
  }

  fmt::print("ceilings on {} ({} sweep points)\n", r.backend, r.sweep.size());
  fmt::print("{:<10} {:<6} {:<5} {:<5} {:>16} {:>16} {:>16} {:>6}\n", "kind", "kernel", "prec",
             "level", "max", "mean", "min", "points");
  for (const auto& c : r.ceilings) {
    const char* unit = c.kind == "compute" ? "FLOP" : "B";
    fmt::print("{:<10} {:<6} {:<5} {:<5} {:>16} {:>16} {:>16} {:>6}\n", c.kind, c.kernel,
               c.precision, c.level.empty() ? "-" : c.level, profiler::format_rate(c.max, unit),
               profiler::format_rate(c.mean, unit), profiler::format_rate(c.min, unit), c.points);
  }
  for (const auto& note : r.notes) fmt::print("note: {}\n", note);
  if (o.show_sweep) {
    fmt::print("\n{:<6} {:<5} {:>14} {:<5} {:>16} {:>8}\n", "kernel", "prec", "working set",
               "level", "rate", "spread");
    for (const auto& p : r.sweep) {
      fmt::print("{:<6} {:<5} {:>14} {:<5} {:>16} {:>7.1f}%\n", p.kernel, p.precision,
                 p.working_set_bytes ? std::to_string(p.working_set_bytes) : "-",
                 p.level.empty() ? "-" : p.level,
                 profiler::format_rate(p.rate, p.kernel == "fma" ? "FLOP" : "B"), 100.0 * p.spread);
    }
  }
  return exit_ok;
}

}  // namespace ridgeline::cli
