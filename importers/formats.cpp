#include "importers/formats.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace ridgeline::importers {

const std::vector<import_format>& import_formats() {
  // Most specific first: a ridgeline-csv file names its own schema, msprof and rocprof-compute
  // outputs are directories or files with fixed names, ncu and rocprof CSVs are told apart by
  // their header columns.
  static const std::vector<import_format> formats = {
      {"ridgeline-csv",
       "Ridgeline's minimal CSV: kernel, device, time, FLOPs per precision/unit, bytes per level",
       looks_like_ridgeline_csv, read_ridgeline_csv},
      {"ncu", "Nsight Compute CSV (--csv --page raw, or --page details)", looks_like_ncu, read_ncu},
      {"rocprof-compute", "rocprof-compute (Omniperf) workload folder or its pmc_perf.csv",
       looks_like_rocprof_compute, read_rocprof_compute},
      {"rocprof", "rocprof v1 results.csv or rocprofv3 counter_collection.csv", looks_like_rocprof,
       read_rocprof},
      {"msprof", "Ascend msprof: an `msprof op` output folder or an op_summary_*.csv",
       looks_like_msprof, read_msprof},
  };
  return formats;
}

const import_format* find_import_format(const std::string& name) {
  for (const auto& f : import_formats()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const import_format& detect_import_format(const std::string& path) {
  std::string tried;
  for (const auto& f : import_formats()) {
    if (f.recognises(path)) return f;
    tried += (tried.empty() ? "" : ", ") + f.name;
  }
  throw usage_error(
      fmt::format("{}: not a recognised profiler output (tried {}); name the format with --format",
                  path, tried));
}

}  // namespace ridgeline::importers
