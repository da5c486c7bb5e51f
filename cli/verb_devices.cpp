// `ridgeline devices`: this machine's CPU and the Kokkos backends built in.
#include <fmt/format.h>

#include <iostream>

#include "cli/data_sources.hpp"
#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "kernels/runtime.hpp"
#include "profiler/console_report.hpp"
#include "profiler/cpu_info.hpp"
#include "service/device_context.hpp"
#include "service/devices_json.hpp"

namespace ridgeline::cli {

namespace {

std::string human_bytes(std::uint64_t b) {
  if (b >= (1ull << 30)) return fmt::format("{:.1f} GiB", static_cast<double>(b) / (1ull << 30));
  if (b >= (1ull << 20)) return fmt::format("{} MiB", b >> 20);
  if (b >= (1ull << 10)) return fmt::format("{} KiB", b >> 10);
  return fmt::format("{} B", b);
}

}  // namespace

CLI::App* add_devices(CLI::App& app, devices_options&) {
  return app.add_subcommand("devices", "Show this machine's CPU and the Kokkos backends");
}

namespace {

std::string roofs_text(const profiler::roof_set& r) {
  std::string out;
  for (const auto& c : r.compute) {
    out += fmt::format("{}{} {} {}", out.empty() ? "" : ", ", c.precision, c.unit,
                       profiler::format_rate(c.flop_per_s, "FLOP"));
  }
  for (const auto& b : r.bandwidth) {
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", b.level,
                       profiler::format_rate(b.byte_per_s, "B"));
  }
  return out;
}

}  // namespace

int run_devices(const global_options& g, const devices_options&) {
  const roofline::device_catalog catalog = load_device_catalog(g.catalog);
  const kernels::runtime rt({g.threads});
  const profiler::cpu_info cpu = profiler::read_cpu_info();
  const auto backends = rt.backends();

  if (g.json) {
    std::cout << service::devices_json(rt, catalog).dump(2) << "\n";
    return exit_ok;
  }

  fmt::print("CPU      {} ({})\n", cpu.model.empty() ? "unknown" : cpu.model, cpu.vendor);
  fmt::print("cores    {} physical, {} logical, {} socket(s); {:.0f} MHz now\n", cpu.physical_cores,
             cpu.logical_cpus, cpu.sockets, cpu.mhz);
  fmt::print("ISA      {}\n", fmt::join(cpu.vector_isa(), " "));
  for (const auto& c : cpu.caches) {
    fmt::print("cache    L{} {:<11} {:>9} x {} ({} B lines)\n", c.level, c.type,
               human_bytes(c.size_bytes), c.instances, c.line_bytes);
  }
  fmt::print("memory   {} total, {} available\n", human_bytes(cpu.memory_total_bytes),
             human_bytes(cpu.memory_available_bytes));
  fmt::print("Kokkos   {}\n", rt.kokkos_version());
  for (const auto& b : backends) {
    fmt::print("backend  {:<7} {:<8} {} {}{}{}\n", b.id, b.is_default ? "default" : "",
               b.host ? "threads:" : "concurrency:", b.concurrency, b.details.empty() ? "" : "  ",
               b.details);
  }
  // Host backends share the CPU's card; each device backend has its own.
  bool cpu_done = false;
  for (const auto& b : backends) {
    if (b.host && cpu_done) continue;
    cpu_done = cpu_done || b.host;
    const service::device_match match = service::match_device(catalog, b);
    fmt::print("catalog  {}: {}\n", b.host ? "CPU" : b.id, match.detection.reason);
    if (match.datasheet) fmt::print("roofs    datasheet: {}\n", roofs_text(*match.datasheet));
  }
  return exit_ok;
}

}  // namespace ridgeline::cli
