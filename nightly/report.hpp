#pragma once
// The nightly report (docs/nightly.md, "Report"): one Markdown file and one static HTML page per
// nightly run, regressions first, then failed checks, the table of best configurations with their
// % of attainable, the history of each case's nightly time with its change points marked, and the
// roofline with tonight's points; a link to the previous report of the same hardware type.
// Written under DIR/<hardware type>/: run-<id>.md, run-<id>.html (SVGs inline) and run-<id>/
// (the SVGs as files, for the Markdown).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nightly/job_file.hpp"
#include "nightly/night_point.hpp"
#include "nightly/runner.hpp"
#include "profiler/roofs.hpp"
#include "storage/device_identity.hpp"

namespace ridgeline::nightly {

struct report_input {
  const job& the_job;
  const nightly_outcome& outcome;
  storage::device_identity device;
  std::string software_json;
  std::map<std::string, std::vector<night_point>> histories;  // per entry key, tonight last
  std::optional<std::string> previous_report;                 // its HTML path
  std::vector<profiler::roof_set> roofs;                      // datasheet and/or measured
};

struct report_paths {
  std::string markdown;
  std::string html;
};

// Throws ridgeline::runtime_error naming the path when the folder or a file cannot be written.
report_paths write_report(const report_input& in, const std::string& dir);

}  // namespace ridgeline::nightly
