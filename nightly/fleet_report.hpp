#pragma once
// The fleet report (docs/nightly-slurm.md, "The fleet report"): one page comparing the hardware
// types of a job on the same cases, read from a merged database (`ridgeline merge`). For every
// case of the job and every hardware type, the latest complete nightly run of that type: the time
// the night ended with (the faster of the tuned best and the re-measured previous best, as the
// history charts use), its GFLOP/s and % of attainable against that device's roofs, the
// configuration, the case's verdict, and a link to the type's own report; a bar chart of GFLOP/s
// per hardware type for each case.
// Written as DIR/fleet.md, DIR/fleet.html (SVGs inline) and DIR/fleet/case-<n>.svg.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nightly/job_file.hpp"
#include "nightly/report.hpp"
#include "profiler/measurement.hpp"
#include "profiler/roofs.hpp"
#include "roofline/device_catalog.hpp"
#include "storage/database.hpp"

namespace ridgeline::nightly {

// One hardware type's part: its latest complete nightly run of the job, if any.
struct fleet_type {
  std::string hardware_type;
  std::optional<storage::nightly_run_record> run;
  std::string device;                     // "NAME (ARCH, BACKEND) on HOST"; empty without a run
  std::string report_html;                // the run's own report as stored with it; may be empty
  std::vector<profiler::roof_set> roofs;  // datasheet and/or measured, for % of attainable
};

// One case on one hardware type.
struct fleet_cell {
  std::optional<profiler::measurement> best;  // what the night ended with; none: no ok time
  std::string verdict;  // "ok", "REGRESSION (...)", "checks failed: ...", "no run", "not in run N"
  bool regression = false;
};

struct fleet_case {
  std::string key;                // the job case's key
  std::vector<fleet_cell> cells;  // one per fleet_view::types, same order
};

struct fleet_view {
  std::string job_name;
  std::string generated;  // UTC time written into the report
  std::vector<fleet_type> types;
  std::vector<fleet_case> cases;
};

// The job's hardware types in file order, then any other type with a complete run of the same job
// name in the database (a database merged by hand), by name. Cases: the job's, in file order.
fleet_view read_fleet(storage::database& db, const job& the_job,
                      const roofline::device_catalog& catalog);

// GFLOP/s per hardware type of one case, as horizontal bars (SVG); regressions red, types
// without a time named "no result".
std::string render_fleet_bars_svg(const fleet_view& view, const fleet_case& c);

// Throws ridgeline::runtime_error naming the path when the folder or a file cannot be written.
report_paths write_fleet_report(const fleet_view& view, const std::string& dir);

}  // namespace ridgeline::nightly
