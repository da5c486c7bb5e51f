#pragma once
// `ridgeline import` and `rl.import_results`: other profilers' output (importers/) stored as
// measurements beside Ridgeline's own, then placed on the card's roofs like any other.
// Each file is one transaction: a malformed file imports nothing, and a file whose content was
// imported before (same SHA-256) adds nothing.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "importers/imported_results.hpp"
#include "profiler/measurement.hpp"
#include "roofline/device_catalog.hpp"
#include "storage/database.hpp"

namespace ridgeline::service {

struct import_request {
  std::vector<std::string> paths;  // files or directories (an msprof op folder, a
                                   // rocprof-compute workload folder)
  std::string format = "auto";     // a name of importers::import_formats(), or "auto"
  std::string device;              // catalog card id; "" = the card matching the device name
                                   // the file states
  std::string kernel_filter;       // ECMAScript regex searched in kernel names; "" = every kernel
  std::string metrics_dir;         // configs/metrics; "" = the shipped one
  std::string command;             // recorded as the run's command line
};

struct file_import {
  std::string path;
  std::string format;  // the format used (auto: the detected one)
  std::string tool;
  std::size_t launches = 0;       // stored (after the kernel filter)
  std::size_t placeable = 0;      // of which have FLOPs, bytes and a time
  bool already_imported = false;  // the same content was imported before: nothing added
  std::optional<std::int64_t> run_id;
  std::string card;   // catalog card of the device, "" when none matched
  std::string note;   // e.g. "no catalog card matches 'Foo GPU': stored without roofs; --device"
  std::string error;  // "FILE:LINE: problem" when the file was refused (nothing imported)
};

struct import_summary {
  std::vector<file_import> files;
  bool any_refused() const;
};

// {"schema": "ridgeline.import/1", "files": [{path, format, tool, launches, placeable,
// already_imported, run_id, card, note, error}]}: what `ridgeline --json import` prints and
// rl.import_results reads (docs/import.md).
nlohmann::ordered_json to_json(const import_summary& summary);

// Checks the request (usage_error naming the field: --format, --device, --kernel-filter), then
// imports each path on its own: a refused file is reported in its file_import and the others go on.
import_summary import_results(storage::database& db, const roofline::device_catalog& catalog,
                              const import_request& request);

// What one imported file becomes: each launch a measurement (kernel as profiled, variant
// "imported:<tool>", the launch's time as its one sample, work.source = the tool, provenance =
// tool/version/file/line/launch/device as read) on a device identity carrying the card when one
// is known. Exposed for tests.
struct imported_measurement {
  storage::device_identity device;
  profiler::measurement record;
};
std::vector<imported_measurement> to_measurements(const importers::imported_file& file,
                                                  const roofline::device_card* card);

}  // namespace ridgeline::service
