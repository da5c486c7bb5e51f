#pragma once
// What an importer reads from another profiler's output: one record per kernel launch, with only
// what the file states (time, FLOPs by precision and unit, bytes per memory level) in Ridgeline's
// units, plus the raw counters as read. Turning these into stored measurements (device, variant
// `imported:<tool>`, provenance) is the service's job (service/import_results.hpp), so readers know
// nothing of the database or the catalog.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "profiler/work_model.hpp"

namespace ridgeline::importers {

struct imported_launch {
  std::string kernel;  // the profiled kernel's name as written (commas and quotes kept)
  int line = 0;        // the (first) line it was read from
  std::string launch;  // the tool's id of this launch (ncu ID, dispatch id, task id); "" when none
  std::string device;  // the device as the file names it ("NVIDIA H200", "gfx942", "Ascend910B3");
                       // "" when the file does not say
  std::string host;    // the host as the file names it; "" when it does not say
  std::optional<double> time_s;  // the launch's device time
  profiler::work_model work;     // only what the counters give; a level or precision absent
                                 // from the file is absent here, never zero
  std::vector<std::pair<std::string, double>> raw;  // counter -> value in base units, file order
  // Why this launch cannot be placed on a roofline when it cannot (no FLOP or byte counts, only
  // ratios...), e.g. "op_summary gives utilisation ratios only (aic_mac_ratio), no FLOP counts".
  std::string unplaceable;
};

struct imported_file {
  std::string path;
  std::string format;        // "ncu-raw", "ncu-details", "rocprof", "rocprofv3",
                             // "rocprof-compute", "msprof-op", "msprof-summary", "ridgeline-csv"
  std::string tool;          // "ncu", "rocprof", "rocprofv3", "rocprof-compute", "msprof",
                             // "ridgeline-csv": the variant is "imported:<tool>"
  std::string tool_version;  // as the file states it; "" when it does not
  std::string metrics_file;  // the configs/metrics file whose formulas made FLOPs/bytes, if any
  std::vector<imported_launch> launches;  // in file order; several launches of one kernel are
                                          // kept apart
};

// What a reader may need beyond the file: the metric formula files (configs/metrics) and, when the
// user named one, the catalog card's identity (which arch's formulas apply to a file that does not
// say: rocprof v1 and rocprof-compute CSVs do not name the GPU).
struct read_context {
  std::string metrics_dir;  // configs/metrics
  std::string device_arch;  // e.g. "gfx942", "sm_90", "Ascend910B"; "" when unknown
};

}  // namespace ridgeline::importers
