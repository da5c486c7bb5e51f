// rocprof-compute (formerly Omniperf) workload folders (docs/import.md). A workload folder holds
// `pmc_perf.csv`, one row per dispatch with every counter of every pass joined into it (a rocprof
// wide table: read_rocprof reads it, so the two formats share one reader), and `sysinfo.csv`,
// one row describing the machine, whose GPU column is what rocprof's own CSVs lack: the gfx
// target that chooses the counter formulas. Accepted: the folder, or its pmc_perf.csv (the
// sysinfo.csv beside it is still used).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/csv_table.hpp"
#include "core/error.hpp"
#include "importers/formats.hpp"

namespace ridgeline::importers {

namespace {

namespace fs = std::filesystem;

struct system_info {
  std::string arch;    // gfx target: "gfx942"
  std::string device;  // the product as sysinfo names it: "MI300X", else the arch
  std::string host;
};

// sysinfo.csv's columns changed across releases: Omniperf 1.x wrote gpu_soc (the gfx target) and
// name ("mi200"); rocprof-compute writes gpu_arch and gpu_model. The first row describes the GPU
// the workload ran on.
system_info read_sysinfo(const std::string& path) {
  system_info s;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return s;
  const csv_table t = read_csv(path);
  if (t.rows.empty()) return s;
  const auto& row = t.rows.front();
  const auto first = [&](std::initializer_list<const char*> names) {
    for (const char* n : names) {
      const auto c = t.column(n);
      if (c && !t.cell(row, *c).empty()) return t.cell(row, *c);
    }
    return std::string();
  };
  const std::string arch = first({"gpu_arch", "gpu_soc"});
  for (char c : arch.substr(0, arch.find(':')))  // "gfx90a:sramecc+:xnack-" -> "gfx90a"
    s.arch += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  s.device = first({"gpu_model", "name"});
  if (s.device.empty()) s.device = s.arch;
  s.host = first({"host_name", "hostname"});
  return s;
}

bool has_kernel_column(const std::string& path) {
  // The header only: read up to the first line break (pmc_perf.csv headers run to tens of KB).
  std::ifstream in(path, std::ios::binary);
  std::string header;
  if (!in || !std::getline(in, header)) return false;
  return header.find("KernelName") != std::string::npos ||
         header.find("Kernel_Name") != std::string::npos;
}

}  // namespace

imported_file read_rocprof_compute(const std::string& path, const read_context& context) {
  std::error_code ec;
  std::string pmc = path;
  if (fs::is_directory(path, ec)) {
    pmc = (fs::path(path) / "pmc_perf.csv").string();
    if (!fs::is_regular_file(pmc, ec))
      throw usage_error(fmt::format(
          "{}: no pmc_perf.csv in this folder (not a rocprof-compute workload, or profiling did "
          "not finish)",
          path));
  }
  const system_info sys = read_sysinfo((fs::path(pmc).parent_path() / "sysinfo.csv").string());
  // The folder's own statement of the GPU wins over --device: it is where the counters ran.
  read_context ctx = context;
  if (!sys.arch.empty()) ctx.device_arch = sys.arch;
  imported_file out = read_rocprof(pmc, ctx);
  out.path = path;
  out.format = "rocprof-compute";
  out.tool = "rocprof-compute";
  for (auto& l : out.launches) {
    if (l.device.empty()) l.device = sys.device;
    if (l.host.empty()) l.host = sys.host;
  }
  return out;
}

bool looks_like_rocprof_compute(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    const fs::path pmc = fs::path(path) / "pmc_perf.csv";
    return fs::is_regular_file(pmc, ec) && has_kernel_column(pmc.string());
  }
  const std::string name = fs::path(path).filename().string();
  return fs::is_regular_file(path, ec) && name.rfind("pmc_perf", 0) == 0 && name.size() > 4 &&
         name.compare(name.size() - 4, 4, ".csv") == 0 && has_kernel_column(path);
}

}  // namespace ridgeline::importers
