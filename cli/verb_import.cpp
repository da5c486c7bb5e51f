// `ridgeline import`: other profilers' results (Nsight Compute, rocprof, rocprof-compute, Ascend
// msprof, ridgeline-csv) stored as measurements, so `ridgeline roofline` places them on their
// card's roofs beside Ridgeline's own (docs/import.md). Each file is one transaction; a refused
// file is named with its line and the others are still imported, and the exit code says so.
#include <fmt/format.h>

#include <iostream>

#include "cli/data_sources.hpp"
#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "importers/formats.hpp"
#include "service/import_results.hpp"

namespace ridgeline::cli {

CLI::App* add_import(CLI::App& app, import_options& o) {
  CLI::App* cmd =
      app.add_subcommand("import", "Store other profilers' results to place them on a roofline");
  cmd->add_option("FILE_OR_DIR", o.paths, "Profiler output files or folders")->required();
  std::string formats = "auto";
  for (const auto& f : importers::import_formats()) formats += ", " + f.name;
  cmd->add_option("--format", o.format, "One of: " + formats + " (see docs/import.md)")
      ->capture_default_str();
  cmd->add_option("--device", o.device,
                  "Catalog card the results ran on (default: matched from the device name the "
                  "file states)");
  cmd->add_option("--kernel-filter", o.kernel_filter,
                  "Only kernels whose name matches this regular expression");
  return cmd;
}

int run_import(const global_options& g, const import_options& o) {
  const roofline::device_catalog catalog = load_device_catalog(g.catalog);
  storage::database db = open_results_database(g.db);
  service::import_request request;
  request.paths = o.paths;
  request.format = o.format;
  request.device = o.device;
  request.kernel_filter = o.kernel_filter;
  request.command = g.command;
  const service::import_summary summary = service::import_results(db, catalog, request);

  if (g.json) {
    std::cout << service::to_json(summary).dump(2) << "\n";
  } else {
    for (const auto& f : summary.files) {
      if (!f.error.empty()) continue;  // on stderr below
      if (f.already_imported) {
        std::cout << fmt::format("{}: already imported ({}), nothing added\n", f.path, f.format);
        continue;
      }
      std::cout << fmt::format("{}: {} launches from {} ({} placeable){} -> run {}\n", f.path,
                               f.launches, f.format, f.placeable,
                               f.card.empty() ? "" : ", card " + f.card, *f.run_id);
      if (!f.note.empty()) std::cout << "  note: " << f.note << "\n";
    }
  }
  for (const auto& f : summary.files) {
    if (!f.error.empty()) std::cerr << "ridgeline: " << f.error << "\n";
  }
  return summary.any_refused() ? exit_usage : exit_ok;
}

}  // namespace ridgeline::cli
